//! A scenario as written ([`super::raw`]) resolved into a validated
//! [`Scenario`]: defaults (the legal constants of docs/model.md §9 among
//! them, and the presets), and every range and consistency check. All
//! problems are collected, not only the first.

use super::raw::{
    RawBand, RawBenefits, RawCalibration, RawCity, RawClaims, RawDriver, RawDrivers, RawEconomy,
    RawExecution, RawFund, RawLags, RawLaw, RawOpeningStock, RawOutcomes, RawPerYear, RawPolicy,
    RawScenario, RawSector, RawShock, RawStocks,
};
use crate::input::presets::{ChainBreak, Presets};
use crate::input::schedule::resolve_schedule;
use crate::input::toml_text::quoted_figure;
use crate::model::cases::{DEATH, GRADES, OUTCOMES, PerOutcome};
use crate::model::check::{
    Checker, MAX_LAG, Problem, SUM_TOL, did_you_mean, did_you_mean_fraction,
};
use crate::model::drivers::{
    Bounds, GROWTH_BOUNDS, INTEREST_BOUNDS, MAX_SHOCK_STATIONARY_SD, SD_MARGIN,
};
use crate::model::limits::{
    BASE_YEAR_INTENSITY, MAX_AMOUNT, MAX_CATASTROPHE_DEATHS, MAX_INSURED, MAX_PER_PERSON,
    MAX_RESERVE_MONTHS, MAX_STOCK_HEADS, SD_DF,
};
use crate::model::lines::{Line, N_LINES};
use crate::model::policy::{Band, BandAction, RatePolicy, Stability};
use crate::model::scenario::{
    Benefits, Calibration, CalibrationTarget, City, Claims, DRIVER_NAMES, DRIVERS, Driver, Drivers,
    Economy, Execution, Fund, Lags, Law, OpeningStock, Scenario, Sector, Stocks,
};
use crate::model::sharing::{NamedScheme, Scheme, Sharing};
use nalgebra::DMatrix;

pub(super) fn resolve(raw: RawScenario, presets: Presets, c: &mut Checker) -> Scenario {
    let presets = presets.with(raw.presets);
    c.name("name", &raw.name);
    if !(1900..=2200).contains(&raw.start_year) {
        c.fail(
            "start_year",
            raw.start_year,
            "a calendar year from 1900 to 2200",
        );
    }
    let years = if (1..=crate::model::limits::MAX_YEARS as i64).contains(&raw.years) {
        raw.years as usize
    } else {
        c.fail(
            "years",
            raw.years,
            "the horizon is a whole number of years from 1 to 50",
        );
        1
    };
    let law = resolve_law(raw.law, c);
    let economy = resolve_economy(raw.economy, c);
    let drivers = resolve_drivers(raw.drivers, c);
    if raw.sectors.is_empty() {
        c.fail(
            "sectors",
            "an empty list",
            "a scenario needs at least one sector ([[sectors]])",
        );
    }
    if raw.cities.is_empty() {
        c.fail(
            "cities",
            "an empty list",
            "a scenario needs at least one city ([[cities]])",
        );
    }
    unique_names(c, "sectors", raw.sectors.iter().map(|s| s.name.as_str()));
    unique_names(c, "cities", raw.cities.iter().map(|s| s.name.as_str()));
    let n_sectors = raw.sectors.len();
    let sectors = raw
        .sectors
        .into_iter()
        .enumerate()
        .map(|(i, s)| resolve_sector(s, i, drivers.employment_growth.mean, c))
        .collect::<Vec<Sector>>();
    // a sector's growth has sd |β| σE and is truncated like every growth draw
    let sd_e = drivers.employment_growth.sd;
    for (i, sector) in sectors.iter().enumerate() {
        let largest = GROWTH_BOUNDS.largest_sd(sector.employment_growth);
        if sector.employment_beta.abs() * sd_e > largest {
            c.fail(
                format!("sectors[{i}].employment_beta"),
                sector.employment_beta,
                format!(
                    "|employment_beta| × drivers.employment_growth.sd ({sd_e}) must be at most {largest:.4}: the sector's growth must lie {SD_MARGIN} sd inside [-0.5, 1] so that its truncation binds in fewer than 1 draw in 10,000"
                ),
            );
        }
    }
    let cities = raw
        .cities
        .into_iter()
        .enumerate()
        .map(|(i, city)| resolve_city(city, &format!("cities[{i}]"), n_sectors, c))
        .collect();
    let claims = resolve_claims(&raw.claims, c);
    let lags = resolve_lags(raw.lags, c);
    let benefits = resolve_benefits(&raw.benefits, c);
    let stocks = resolve_stocks(raw.stocks, n_sectors, c);
    let fund = resolve_fund(raw.fund, &law, c);
    let policy = resolve_policy(raw.policy, &presets, c);
    let m0 = fund.initial_multiplier;
    match &policy {
        RatePolicy::Bands { stability, .. } => {
            if m0 < stability.floor || m0 > stability.ceiling {
                c.fail(
                    "fund.initial_multiplier",
                    m0,
                    format!(
                        "must lie within policy.floor and policy.ceiling, [{}, {}]",
                        stability.floor, stability.ceiling
                    ),
                );
            }
        }
        // docs/model.md §6.5: policy `none` keeps M = 1 in every year
        RatePolicy::None if m0 != 1.0 => c.fail(
            "fund.initial_multiplier",
            m0,
            "must be 1 with policy.kind = \"none\", which keeps the multiplier at 1 in every year; set policy.kind = \"bands\" to start from another multiplier",
        ),
        RatePolicy::None => {}
    }
    let schedule = resolve_schedule(
        &raw.schedule,
        &sectors,
        raw.start_year.clamp(1900, 2200) + years as i32 - 1,
        c,
    );
    let sharing = resolve_sharing(raw.sharing, &presets, c);
    let sharing_presets = resolve_sharing_presets(&presets, c);
    let calibration = raw
        .calibration
        .as_ref()
        .map(|cal| resolve_calibration(cal, c));
    let execution = raw.execution.as_ref().map(|e| resolve_execution(e, c));
    let date = raw.date.filter(|d| check_date(c, d));
    let sources = resolve_sources(raw.sources, c);
    let title = resolve_title(raw.title, &raw.name, c);
    let s = Scenario {
        name: raw.name,
        title,
        description: raw.description,
        start_year: raw.start_year,
        years,
        seed: raw.seed,
        economy,
        drivers,
        sectors,
        cities,
        claims,
        lags,
        benefits,
        stocks,
        fund,
        policy,
        schedule,
        stress: None,
        sharing,
        sharing_presets,
        law,
        calibration,
        execution,
        date,
        sources,
    };
    // what one field's range cannot see, once every field is in range
    if c.problems.is_empty() {
        c.problems.extend(crate::model::feasible::check(&s));
    }
    s
}

/// A calendar date `YYYY-MM-DD` from 1900 to 2200.
fn check_date(c: &mut Checker, d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let ok = match parts.as_slice() {
        [y, m, day] => match (number(y, 4), number(m, 2), number(day, 2)) {
            (Some(y), Some(m), Some(day)) => {
                let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                let days = match m {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    1..=12 => 31,
                    _ => 0,
                };
                (1900..=2200).contains(&y) && (1..=days).contains(&day)
            }
            _ => false,
        },
        _ => false,
    };
    if !ok {
        c.fail(
            "date",
            format!("\"{d}\""),
            "a calendar date written YYYY-MM-DD, from 1900 to 2200",
        );
    }
    ok
}

/// Whether a character ends a line or cannot be seen where it stands: the
/// control characters, Unicode's line and paragraph separators, and the
/// invisible ones that hide in a title or turn its text around: the
/// zero-width space, the zero-width no-break space (byte-order mark), the
/// word joiner and invisible operators, the soft hyphen, the combining
/// grapheme joiner, the Arabic letter and Mongolian vowel marks, the
/// Hangul fillers, the tag characters, and the embeddings, overrides and
/// isolates of bidirectional text. The joiners and the directional marks
/// that scripts need (U+200C–U+200F) are allowed, but they do not make a
/// title ([`shows`]).
fn unseen(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// Whether a character shows by itself: not a space, not [`unseen`],
/// not a joiner or directional mark, not a variation selector, not the
/// blank Braille pattern, not a combining mark (an accent shows only on a
/// letter). A title needs one.
fn shows(c: char) -> bool {
    !c.is_whitespace()
        && !unseen(c)
        && !matches!(
            c,
            '\u{0300}'..='\u{036F}'
                | '\u{1AB0}'..='\u{1AFF}'
                | '\u{1DC0}'..='\u{1DFF}'
                | '\u{200C}'..='\u{200F}'
                | '\u{20D0}'..='\u{20FF}'
                | '\u{2800}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FE20}'..='\u{FE2F}'
        )
}

/// A key or text as a TOML basic string: quoted, with the quote, the
/// backslash and every character that does not show escaped (`\u001B`,
/// `\u200B`, `\U000E0041`; a plain space stays), so that a message shows it
/// on one line, and what hides in it, as the user would write it.
fn toml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if !shows(c) && c != ' ' => {
                let code = c as u32;
                let _ = if code > 0xFFFF {
                    std::fmt::Write::write_fmt(&mut out, format_args!("\\U{code:08X}"))
                } else {
                    std::fmt::Write::write_fmt(&mut out, format_args!("\\u{code:04X}"))
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Longest report title, in characters.
const TITLE_MAX: usize = 80;

/// The report title: `title` when written (1 to [`TITLE_MAX`] characters on
/// one line, once the spaces around it are dropped), else the scenario's name.
fn resolve_title(title: Option<String>, name: &str, c: &mut Checker) -> String {
    match title {
        None => name.to_string(),
        Some(t)
            if !t.chars().any(shows)
                || t.trim().chars().count() > TITLE_MAX
                || t.chars().any(unseen) =>
        {
            c.fail(
                "title",
                toml_quoted(&t),
                format!(
                    "whose fund it is, as a report's title shows it: 1 to {TITLE_MAX} characters on one line, some visible and none of them hidden"
                ),
            );
            name.to_string()
        }
        Some(t) => t.trim().to_string(),
    }
}

/// The sources of the report's assumptions: keys among
/// [`crate::model::scenario::SOURCED_FIELDS`], texts of 1 to 500 characters.
fn resolve_sources(
    raw: std::collections::BTreeMap<String, String>,
    c: &mut Checker,
) -> std::collections::BTreeMap<String, String> {
    use crate::model::scenario::SOURCED_FIELDS;
    let mut out = std::collections::BTreeMap::new();
    for (key, text) in raw {
        let field = format!("sources.{}", toml_quoted(&key));
        if !SOURCED_FIELDS.contains(&key.as_str()) {
            c.fail(
                field,
                toml_quoted(&text),
                format!(
                    "a source for one of the assumptions a report lists: {}",
                    SOURCED_FIELDS.join(", ")
                ),
            );
        } else if !text.chars().any(shows) || text.chars().count() > 500 || text.chars().any(unseen)
        {
            c.fail(
                field,
                toml_quoted(&text),
                "a source of 1 to 500 characters on one line, some visible and none of them hidden",
            );
        } else {
            out.insert(key, text);
        }
    }
    out
}

fn resolve_execution(e: &RawExecution, c: &mut Checker) -> Execution {
    let mut lines = [0.0; N_LINES];
    for (line, v) in [
        (Line::Premiums, e.premiums),
        (Line::Interest, e.interest),
        (Line::FiscalSubsidy, e.fiscal_subsidy),
        (Line::GapTransfers, e.gap_transfers),
        (Line::OtherIncome, e.other_income),
        (Line::Medical, e.medical),
        (Line::Disability, e.disability),
        (Line::Death, e.death),
        (Line::Investigation, e.investigation),
        (Line::Appraisal, e.appraisal),
        (Line::Prevention, e.prevention),
        (Line::OtherExpenditure, e.other_expenditure),
    ] {
        lines[line.index()] = c.nonneg(&format!("execution.{}", line.name()), v);
    }
    crate::model::lines::fill_totals(&mut lines);
    let opening_balance = c.balance("execution.opening_balance", e.opening_balance);
    lines[Line::ClosingBalance.index()] = opening_balance + lines[Line::Surplus.index()];
    Execution {
        lines,
        opening_balance,
    }
}

fn unique_names<'a>(c: &mut Checker, field: &str, names: impl Iterator<Item = &'a str>) {
    let mut seen = std::collections::HashSet::new();
    for (i, n) in names.enumerate() {
        if !crate::model::check::plain_name(n) {
            c.name(&format!("{field}[{i}].name"), n);
        } else if !seen.insert(n) {
            c.fail(
                format!("{field}[{i}].name"),
                format!("{n:?}"),
                "names must be unique",
            );
        }
    }
}

fn resolve_law(raw: RawLaw, c: &mut Checker) -> Law {
    let grant = raw.disability_grant_months.map_or(
        [27.0, 25.0, 23.0, 21.0, 18.0, 16.0, 13.0, 11.0, 9.0, 7.0],
        |v| {
            c.fixed::<GRADES>(
                "law.disability_grant_months",
                &v,
                "one per grade 1–10",
                Checker::month_multiple,
            )
        },
    );
    let allowance = raw
        .disability_allowance_share
        .map_or([0.90, 0.85, 0.80, 0.75], |v| {
            c.fixed::<4>(
                "law.disability_allowance_share",
                &v,
                "one per grade 1–4",
                Checker::prob,
            )
        });
    let multiple = "a multiple of the average wage";
    let wage_floor = c.within(
        "law.wage_floor",
        raw.wage_floor.unwrap_or(0.6),
        (0.0, 10.0),
        multiple,
    );
    let wage_cap = c.within(
        "law.wage_cap",
        raw.wage_cap.unwrap_or(3.0),
        (0.0, 10.0),
        multiple,
    );
    if wage_cap < wage_floor {
        c.fail(
            "law.wage_cap",
            wage_cap,
            format!("must be at least law.wage_floor ({wage_floor})"),
        );
    }
    Law {
        disability_grant_months: grant,
        disability_allowance_share: allowance,
        funeral_grant_months: c.month_multiple(
            "law.funeral_grant_months",
            raw.funeral_grant_months.unwrap_or(6.0),
        ),
        death_grant_multiple: c.within(
            "law.death_grant_multiple",
            raw.death_grant_multiple.unwrap_or(20.0),
            (0.0, 100.0),
            "a multiple of the yearly disposable income",
        ),
        prevention_cap: c.prob("law.prevention_cap", raw.prevention_cap.unwrap_or(0.03)),
        wage_floor,
        wage_cap,
        reserve_rule_months: c.within(
            "law.reserve_rule_months",
            raw.reserve_rule_months.unwrap_or(12.0),
            (0.0, MAX_LAG),
            "months of average payments",
        ),
    }
}

fn resolve_economy(raw: RawEconomy, c: &mut Checker) -> Economy {
    let mut season = [1.0; 12];
    if let Some(s) = raw.season {
        season = c.fixed::<12>(
            "economy.season",
            &s,
            "one weight per month",
            Checker::nonneg,
        );
        c.sums_to("economy.season", &season, 12.0, "the monthly weights");
    }
    Economy {
        average_monthly_wage: c.wage("economy.average_monthly_wage", raw.average_monthly_wage),
        disposable_income: c.wage("economy.disposable_income", raw.disposable_income),
        season,
    }
}

/// A driver whose yearly draws are truncated to `bounds` (docs/model.md
/// §2.8): its mean lies within them and its sd is small enough that the
/// truncation binds in fewer than 1 draw in 10,000.
fn resolve_driver(raw: &RawDriver, field: &str, bounds: Bounds, c: &mut Checker) -> Driver {
    // a rate written as a percentage (5.36 for 5.36 %) gets the fraction
    let hint = did_you_mean_fraction(raw.mean, |v| bounds.contains(v));
    let mean = c.num(
        &format!("{field}.mean"),
        raw.mean,
        |v| bounds.contains(v),
        &format!(
            "an annual rate, a fraction in [{}, {}] (the bounds of every draw){hint}",
            bounds.low, bounds.high
        ),
    );
    let sd = c.nonneg(&format!("{field}.sd"), raw.sd);
    // the sd's bound follows from the mean: checked only against a mean that
    // is itself allowed, so that one wrong mean is one problem
    let mean_se = if bounds.contains(mean) {
        let largest = bounds.largest_sd(mean);
        c.num(
            &format!("{field}.sd"),
            sd,
            |v| v <= largest,
            &format!(
                "at most {largest:.4} with mean {mean}: the mean must lie {SD_MARGIN} sd inside [{}, {}], so that the draws' truncation binds in fewer than 1 draw in 10,000",
                bounds.low, bounds.high
            ),
        );
        c.num(
            &format!("{field}.mean_se"),
            raw.mean_se.unwrap_or(0.0),
            |v| (0.0..=largest).contains(&v),
            &format!("a standard error from 0 to {largest:.4}, the largest sd this mean allows"),
        )
    } else {
        c.nonneg(&format!("{field}.mean_se"), raw.mean_se.unwrap_or(0.0))
    };
    Driver {
        mean,
        sd,
        persistence: persistence(c, &format!("{field}.persistence"), raw.persistence),
        mean_se,
        sd_df: sd_df(c, &format!("{field}.sd_df"), raw.sd_df),
    }
}

/// Degrees of freedom of an estimated sd (docs/model.md §2.9): absent when
/// the sd is known.
fn sd_df(c: &mut Checker, field: &str, v: Option<f64>) -> f64 {
    let Some(v) = v else { return 0.0 };
    c.num(
        field,
        v,
        |v| (SD_DF.0..=SD_DF.1).contains(&v),
        &format!(
            "degrees of freedom from {} to {:e} (leave it out when the sd is known)",
            SD_DF.0, SD_DF.1
        ),
    )
}

fn persistence(c: &mut Checker, field: &str, v: f64) -> f64 {
    c.num(
        field,
        v,
        |v| (0.0..1.0).contains(&v),
        "the AR(1) persistence is in [0, 1)",
    )
}

fn resolve_drivers(raw: RawDrivers, c: &mut Checker) -> Drivers {
    // a shock's stationary sd σ/√(1 − φ²) is at most 0.5: the claim
    // intensity exp(x) then stays within e^±2 at 4 sd
    let shock = |c: &mut Checker, raw: &RawShock, field: &str| {
        let sd = c.within(
            &format!("{field}.sd"),
            raw.sd,
            (0.0, MAX_SHOCK_STATIONARY_SD),
            "a standard deviation",
        );
        let persistence = persistence(c, &format!("{field}.persistence"), raw.persistence);
        let stationary = sd / (1.0 - persistence * persistence).sqrt();
        if sd.is_finite() && stationary > MAX_SHOCK_STATIONARY_SD {
            c.fail(
                format!("{field}.persistence"),
                persistence,
                format!(
                    "with sd {sd}, at most {:.4}: the stationary sd, sd / √(1 − persistence²), must be at most {MAX_SHOCK_STATIONARY_SD}",
                    (1.0 - (sd / MAX_SHOCK_STATIONARY_SD).powi(2)).max(0.0).sqrt()
                ),
            );
        }
        Driver {
            sd_df: sd_df(c, &format!("{field}.sd_df"), raw.sd_df),
            ..Driver::known(0.0, sd, persistence)
        }
    };
    let collection_shock = shock(c, &raw.collection_shock, "drivers.collection_shock");
    c.num(
        "drivers.collection_shock.sd",
        collection_shock.sd,
        |v| v <= 1.0,
        "σκ scales a collection rate, a fraction: use a value in [0, 1]",
    );
    let mut correlation = [[0.0; DRIVERS]; DRIVERS];
    for (i, row) in correlation.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    if let Some(m) = raw.correlation {
        if m.len() != DRIVERS || m.iter().any(|r| r.len() != DRIVERS) {
            c.fail(
                "drivers.correlation",
                format!(
                    "{} rows of lengths {:?}",
                    m.len(),
                    m.iter().map(Vec::len).collect::<Vec<_>>()
                ),
                format!(
                    "must be a {DRIVERS}×{DRIVERS} matrix in the order {}",
                    DRIVER_NAMES.join(", ")
                ),
            );
        } else {
            for (i, row) in m.iter().enumerate() {
                correlation[i].copy_from_slice(row);
            }
            check_correlation(c, &correlation);
        }
    }
    Drivers {
        wage_growth: resolve_driver(&raw.wage_growth, "drivers.wage_growth", GROWTH_BOUNDS, c),
        employment_growth: resolve_driver(
            &raw.employment_growth,
            "drivers.employment_growth",
            GROWTH_BOUNDS,
            c,
        ),
        interest_rate: resolve_driver(
            &raw.interest_rate,
            "drivers.interest_rate",
            INTEREST_BOUNDS,
            c,
        ),
        claim_intensity: shock(c, &raw.claim_intensity, "drivers.claim_intensity"),
        medical_inflation: resolve_driver(
            &raw.medical_inflation,
            "drivers.medical_inflation",
            GROWTH_BOUNDS,
            c,
        ),
        collection_shock,
        disposable_income_growth: resolve_driver(
            &raw.disposable_income_growth,
            "drivers.disposable_income_growth",
            GROWTH_BOUNDS,
            c,
        ),
        correlation,
    }
}

fn check_correlation(c: &mut Checker, m: &[[f64; DRIVERS]; DRIVERS]) {
    let before = c.problems.len();
    for i in 0..DRIVERS {
        if (m[i][i] - 1.0).abs() > SUM_TOL {
            c.fail(
                format!("drivers.correlation[{i}][{i}]"),
                m[i][i],
                format!(
                    "the diagonal of a correlation matrix is 1 ({})",
                    DRIVER_NAMES[i]
                ),
            );
        }
        for j in 0..DRIVERS {
            if !(-1.0..=1.0).contains(&m[i][j]) || !m[i][j].is_finite() {
                c.fail(
                    format!("drivers.correlation[{i}][{j}]"),
                    m[i][j],
                    "a correlation is in [-1, 1]",
                );
            } else if j > i && (m[i][j] - m[j][i]).abs() > SUM_TOL {
                c.fail(
                    format!("drivers.correlation[{i}][{j}]"),
                    m[i][j],
                    format!(
                        "the matrix must be symmetric: [{j}][{i}] is {} ({} × {})",
                        m[j][i], DRIVER_NAMES[i], DRIVER_NAMES[j]
                    ),
                );
            }
        }
    }
    if c.problems.len() == before {
        let matrix = DMatrix::from_fn(DRIVERS, DRIVERS, |i, j| m[i][j]);
        let eigen = matrix.clone().symmetric_eigenvalues();
        let min = eigen.min();
        if matrix.cholesky().is_none() || min <= 1e-10 {
            c.fail(
                "drivers.correlation",
                format!("a matrix with smallest eigenvalue {min:.4}"),
                "a correlation matrix must be positive definite (some correlations contradict each other)",
            );
        }
    }
}

fn resolve_outcomes(
    raw: &RawOutcomes,
    field: &str,
    check: fn(&mut Checker, &str, f64) -> f64,
    c: &mut Checker,
) -> PerOutcome {
    let mut out = [0.0; OUTCOMES];
    out[0] = check(c, &format!("{field}.medical_only"), raw.medical_only);
    let grades = c.fixed::<GRADES>(
        &format!("{field}.grades"),
        &raw.grades,
        "one per grade 1–10",
        check,
    );
    out[1..=GRADES].copy_from_slice(&grades);
    out[DEATH] = check(c, &format!("{field}.death"), raw.death);
    out
}

fn resolve_sector(raw: RawSector, index: usize, default_growth: f64, c: &mut Checker) -> Sector {
    let field = format!("sectors[{index}]");
    let f = |name: &str| format!("{field}.{name}");
    // class 1 floats up only (100–150 %), classes 2–8 between 50 and 150 % (人社部发〔2015〕71号)
    let band = match &raw.floating_band {
        None if index == 0 => [1.0, 1.5],
        None => [0.5, 1.5],
        Some(b) => {
            let band = c.fixed::<2>(&f("floating_band"), b, "[low, high]", Checker::nonneg);
            if band[0] > band[1] || band[1] > 3.0 {
                c.fail(
                    f("floating_band"),
                    format!("{b:?}"),
                    "a band [low, high] with low ≤ high ≤ 3",
                );
            }
            band
        }
    };
    let outcome_mix = resolve_outcomes(&raw.outcome_mix, &f("outcome_mix"), Checker::prob, c);
    c.sums_to(
        &f("outcome_mix"),
        &outcome_mix,
        1.0,
        "medical_only + grades + death",
    );
    let floating = raw.floating_factor.unwrap_or(1.0);
    Sector {
        benchmark_rate: c.rate(&f("benchmark_rate"), raw.benchmark_rate),
        floating_factor: c.num(
            &f("floating_factor"),
            floating,
            |v| (band[0]..=band[1]).contains(&v),
            &format!(
                "an average floating factor lies within the class's band, [{}, {}]",
                band[0], band[1]
            ),
        ),
        floating_band: band,
        frequency: c.prob(&f("frequency"), raw.frequency),
        frequency_cv: c.num(
            &f("frequency_cv"),
            raw.frequency_cv.unwrap_or(0.0),
            |v| (0.0..=3.0).contains(&v),
            "a coefficient of variation in [0, 3]",
        ),
        employment_growth: c.num(
            &f("employment_growth"),
            raw.employment_growth.unwrap_or(default_growth),
            |v| GROWTH_BOUNDS.contains(v),
            "an annual growth rate, a fraction in [-0.5, 1] (the bounds of every draw)",
        ),
        employment_beta: c.within(
            &f("employment_beta"),
            raw.employment_beta.unwrap_or(1.0),
            (-10.0, 10.0),
            "the loading on the common employment factor",
        ),
        outcome_mix,
        catastrophe_rate: c.within(
            &f("catastrophe_rate"),
            raw.catastrophe_rate.unwrap_or(0.0),
            (0.0, 100.0),
            "catastrophes a year",
        ),
        catastrophe_size: c.within(
            &f("catastrophe_size"),
            raw.catastrophe_size.unwrap_or(1.0),
            (1.0, MAX_CATASTROPHE_DEATHS),
            "the mean deaths per catastrophe",
        ),
        catastrophe_size_shape: c.within(
            &f("catastrophe_size_shape"),
            raw.catastrophe_size_shape.unwrap_or(1.0),
            (0.01, 1e4),
            "the negative-binomial shape of the extra deaths",
        ),
        name: raw.name,
    }
}

fn resolve_stock(raw: &RawOpeningStock, field: &str, c: &mut Checker) -> OpeningStock {
    OpeningStock {
        heads: c.num(
            &format!("{field}.heads"),
            raw.heads,
            |v| (0.0..=MAX_STOCK_HEADS).contains(&v),
            "a head count from 0 to 1e7",
        ),
        monthly_amount: c.per_person(&format!("{field}.monthly_amount"), raw.monthly_amount),
    }
}

fn resolve_city(raw: RawCity, field: &str, n_sectors: usize, c: &mut Checker) -> City {
    let f = |name: &str| format!("{field}.{name}");
    let bounded = [
        (
            "insured",
            &raw.insured,
            MAX_INSURED,
            "a head count from 0 to 1e9",
        ),
        (
            "monthly_wage",
            &raw.monthly_wage,
            MAX_PER_PERSON,
            "an average monthly wage in yuan, from 0 to 1,000,000",
        ),
    ];
    for (name, values, max, allowed) in bounded {
        if c.len(&f(name), values, n_sectors, "one per sector") {
            for (i, v) in values.iter().enumerate() {
                c.num(
                    &format!("{}[{i}]", f(name)),
                    *v,
                    |v| (0.0..=max).contains(&v),
                    allowed,
                );
            }
        }
    }
    City {
        relative_risk: c.within(
            &f("relative_risk"),
            raw.relative_risk.unwrap_or(1.0),
            (0.0, 100.0),
            "injury frequency relative to the class average",
        ),
        collection_rate: c.prob(&f("collection_rate"), raw.collection_rate),
        fiscal_revenue: c.nonneg(&f("fiscal_revenue"), raw.fiscal_revenue),
        disability: resolve_stock(&raw.disability, &f("disability"), c),
        care: resolve_stock(&raw.care, &f("care"), c),
        survivors: resolve_stock(&raw.survivors, &f("survivors"), c),
        name: raw.name,
        insured: raw.insured,
        monthly_wage: raw.monthly_wage,
    }
}

fn resolve_claims(raw: &RawClaims, c: &mut Checker) -> Claims {
    let medical_cv = match &raw.medical_cv {
        Some(cv) => resolve_outcomes(cv, "claims.medical_cv", Checker::cost_cv, c),
        None => [0.0; OUTCOMES],
    };
    Claims {
        medical_cost: resolve_outcomes(
            &raw.medical_cost,
            "claims.medical_cost",
            Checker::per_person,
            c,
        ),
        medical_cv,
        investigation_cost: c.per_person("claims.investigation_cost", raw.investigation_cost),
        appraisal_cost: c.per_person("claims.appraisal_cost", raw.appraisal_cost),
        base_year_intensity: c.within(
            "claims.base_year_intensity",
            raw.base_year_intensity.unwrap_or(1.0),
            BASE_YEAR_INTENSITY,
            "the base year's injuries relative to what the frequencies give",
        ),
    }
}

fn resolve_lags(raw: RawLags, c: &mut Checker) -> Lags {
    let pattern = raw.payment_pattern;
    if pattern.is_empty() || pattern.len() as f64 > MAX_LAG {
        c.fail(
            "lags.payment_pattern",
            format!("a list of {}", pattern.len()),
            format!(
                "list the shares paid 0, 1, 2, … months after incurrence (1 to {MAX_LAG} values)"
            ),
        );
    } else {
        c.each("lags.payment_pattern", &pattern, Checker::prob);
        c.sums_to("lags.payment_pattern", &pattern, 1.0, "the payment pattern");
    }
    Lags {
        payment_pattern: if pattern.is_empty() {
            vec![1.0]
        } else {
            pattern
        },
        appraisal: c.months("lags.appraisal", raw.appraisal),
        medical_subsidy: c.months("lags.medical_subsidy", raw.medical_subsidy),
        death: c.months("lags.death", raw.death),
    }
}

fn resolve_benefits(raw: &RawBenefits, c: &mut Checker) -> Benefits {
    Benefits {
        medical_subsidy_months: c.fixed::<6>(
            "benefits.medical_subsidy_months",
            &raw.medical_subsidy_months,
            "one per grade 5–10",
            Checker::month_multiple,
        ),
        medical_subsidy_take_up: c.fixed::<6>(
            "benefits.medical_subsidy_take_up",
            &raw.medical_subsidy_take_up,
            "one per grade 5–10",
            Checker::prob,
        ),
        care_share: c.fixed::<4>(
            "benefits.care_share",
            &raw.care_share,
            "one per grade 1–4",
            Checker::prob,
        ),
        care_pct: c.fixed::<4>(
            "benefits.care_pct",
            &raw.care_pct,
            "one per grade 1–4",
            Checker::prob,
        ),
        survivor_pension_share: c.prob(
            "benefits.survivor_pension_share",
            raw.survivor_pension_share,
        ),
        dependants_per_death: c.num(
            "benefits.dependants_per_death",
            raw.dependants_per_death,
            |v| (0.0..=20.0).contains(&v),
            "the mean number of dependants per death, from 0 to 20",
        ),
    }
}

fn resolve_stocks(raw: RawStocks, n_sectors: usize, c: &mut Checker) -> Stocks {
    if c.len(
        "stocks.sector_split",
        &raw.sector_split,
        n_sectors,
        "one per sector",
    ) {
        c.each("stocks.sector_split", &raw.sector_split, Checker::prob);
        c.sums_to(
            "stocks.sector_split",
            &raw.sector_split,
            1.0,
            "the sector split",
        );
    }
    let index_month = if (1..=12).contains(&raw.index_month) {
        raw.index_month as usize
    } else {
        c.fail(
            "stocks.index_month",
            raw.index_month,
            "a calendar month, 1 to 12",
        );
        1
    };
    Stocks {
        disability_exit_hazard: c.prob("stocks.disability_exit_hazard", raw.disability_exit_hazard),
        care_exit_hazard: c.prob("stocks.care_exit_hazard", raw.care_exit_hazard),
        survivors_exit_hazard: c.prob("stocks.survivors_exit_hazard", raw.survivors_exit_hazard),
        indexation: c.num(
            "stocks.indexation",
            raw.indexation,
            |v| (0.0..=2.0).contains(&v),
            "θ, the share of wage growth passed to benefits, is in [0, 2]",
        ),
        sector_split: raw.sector_split,
        index_month,
    }
}

fn resolve_per_year(raw: Option<RawPerYear>, field: &str, c: &mut Checker) -> Vec<f64> {
    let values = match raw {
        None => vec![0.0],
        Some(RawPerYear::Every(v)) => vec![v],
        Some(RawPerYear::ByYear(v)) => v,
    };
    if values.is_empty() {
        c.fail(
            field,
            "an empty list",
            "give one amount for every year, or a list by projection year",
        );
        return vec![0.0];
    }
    c.each(field, &values, Checker::nonneg);
    values
}

fn resolve_fund(raw: RawFund, law: &Law, c: &mut Checker) -> Fund {
    let cap = law.prevention_cap;
    Fund {
        opening_balance: c.balance("fund.opening_balance", raw.opening_balance),
        base_year_premiums: c.nonneg("fund.base_year_premiums", raw.base_year_premiums),
        base_year_expenditure: c.nonneg("fund.base_year_expenditure", raw.base_year_expenditure),
        fiscal_subsidy: resolve_per_year(raw.fiscal_subsidy, "fund.fiscal_subsidy", c),
        other_income: resolve_per_year(raw.other_income, "fund.other_income", c),
        other_expenditure: c.nonneg("fund.other_expenditure", raw.other_expenditure.unwrap_or(0.0)),
        prevention_share: c.num(
            "fund.prevention_share",
            raw.prevention_share,
            |v| (0.0..=cap).contains(&v),
            &format!("prevention spending is at most {cap} of last year's premiums (law.prevention_cap, 人社部规〔2017〕13号)"),
        ),
        initial_multiplier: c.num("fund.initial_multiplier", raw.initial_multiplier.unwrap_or(1.0), |v| v > 0.0 && v <= 10.0, "a rate multiplier in (0, 10]"),
        provincial_fiscal_revenue: raw
            .provincial_fiscal_revenue
            .map(|v| c.nonneg("fund.provincial_fiscal_revenue", v)),
    }
}

fn resolve_policy(raw: Option<RawPolicy>, presets: &Presets, c: &mut Checker) -> RatePolicy {
    let Some(raw) = raw else {
        return RatePolicy::None;
    };
    match raw.kind.as_str() {
        "none" => {
            let why = "policy kind \"none\" keeps the multiplier at 1: it takes no bands, preset or limits";
            if !raw.bands.is_empty() {
                c.fail("policy.bands", format!("{} bands", raw.bands.len()), why);
            }
            c.unused("policy.preset", raw.preset.as_ref(), why);
            c.unused("policy.max_change", raw.max_change, why);
            c.unused("policy.floor", raw.floor, why);
            c.unused("policy.ceiling", raw.ceiling, why);
            RatePolicy::None
        }
        "bands" => {
            let mut bands: Vec<Band> = raw
                .bands
                .iter()
                .enumerate()
                .map(|(i, b)| resolve_band(b, &format!("policy.bands[{i}]"), c))
                .collect();
            if let Some(name) = &raw.preset {
                if let Some(preset) = presets.policy(name) {
                    let extra: Vec<Band> = preset
                        .bands
                        .iter()
                        .enumerate()
                        .map(|(i, b)| {
                            resolve_band(b, &format!("presets.policy.{name}.bands[{i}]"), c)
                        })
                        .collect();
                    check_preset_reachable(name, &bands, &extra, c);
                    bands.extend(extra);
                } else {
                    let names: Vec<String> = presets
                        .policy_names()
                        .iter()
                        .map(|p| {
                            let what = presets.policy(p).map_or("", |x| x.description.as_str());
                            format!("\"{p}\" ({what})")
                        })
                        .collect();
                    c.fail(
                        "policy.preset",
                        format!("{name:?}"),
                        format!(
                            "one of {}{}",
                            names.join(", "),
                            did_you_mean(name, presets.policy_names().iter().copied())
                        ),
                    );
                }
            }
            if bands.is_empty() {
                c.fail(
                    "policy.bands",
                    "no bands",
                    "policy kind \"bands\" needs at least one [[policy.bands]] or a preset",
                );
            }
            let max_change = raw
                .max_change
                .map(|v| c.num("policy.max_change", v, |v| v > 0.0 && v <= 1.0, "the largest change of the multiplier from one year to the next, a fraction in (0, 1], for example 0.15"));
            let floor = c.num(
                "policy.floor",
                raw.floor.unwrap_or(0.0),
                |v| (0.0..=10.0).contains(&v),
                "the lowest multiplier, in [0, 10]",
            );
            let ceiling = c.num(
                "policy.ceiling",
                raw.ceiling.unwrap_or(10.0),
                |v| v > 0.0 && v <= 10.0,
                "the highest multiplier, in (0, 10]",
            );
            if floor > ceiling {
                c.fail(
                    "policy.floor",
                    floor,
                    format!("must not exceed policy.ceiling ({ceiling})"),
                );
            }
            RatePolicy::Bands {
                bands,
                stability: Stability {
                    max_change,
                    floor,
                    ceiling,
                },
            }
        }
        other => {
            c.fail(
                "policy.kind",
                format!("{other:?}"),
                format!(
                    "one of \"none\", \"bands\"{}",
                    did_you_mean(other, ["none", "bands"])
                ),
            );
            RatePolicy::None
        }
    }
}

fn resolve_band(raw: &RawBand, field: &str, c: &mut Checker) -> Band {
    let f = |name: &str| format!("{field}.{name}");
    let edge = |c: &mut Checker, name: &str, v: f64| {
        c.within(
            &f(name),
            v,
            (-MAX_RESERVE_MONTHS, MAX_RESERVE_MONTHS),
            "months of reserve",
        )
    };
    let lower = raw.lower.map_or(f64::NEG_INFINITY, |v| edge(c, "lower", v));
    let upper = raw.upper.map_or(f64::INFINITY, |v| edge(c, "upper", v));
    if lower.is_nan() || upper.is_nan() || lower >= upper {
        c.fail(
            f("upper"),
            upper,
            format!("a band [lower, upper) needs lower < upper (lower = {lower})"),
        );
    }
    let step_factor_cap = (raw.step, raw.factor, raw.cap);
    let action = match raw.action.as_str() {
        "hold" => {
            c.unused(&f("step"), raw.step, "not used by action \"hold\"");
            c.unused(&f("factor"), raw.factor, "not used by action \"hold\"");
            c.unused(&f("cap"), raw.cap, "not used by action \"hold\"");
            BandAction::Hold
        }
        "raise" => {
            c.unused(
                &f("factor"),
                raw.factor,
                "not used by action \"raise\" (use step and cap)",
            );
            let step = if let Some(s) = step_factor_cap.0 {
                c.num(
                    &f("step"),
                    s,
                    |v| v > 0.0 && v <= 1.0,
                    "a relative step in (0, 1], for example 0.1 for +10 %",
                )
            } else {
                c.fail(
                    f("step"),
                    "missing",
                    "action \"raise\" needs a step, for example 0.1 for +10 %",
                );
                0.0
            };
            let cap = if let Some(s) = step_factor_cap.2 {
                c.num(
                    &f("cap"),
                    s,
                    |v| v > 0.0 && v <= 10.0,
                    "the highest multiplier a raise may reach, in (0, 10]",
                )
            } else {
                c.fail(f("cap"), "missing", "action \"raise\" needs a cap, the highest multiplier it may reach (for example 1.5)");
                1.0
            };
            BandAction::Raise { step, cap }
        }
        "set" => {
            c.unused(
                &f("step"),
                raw.step,
                "not used by action \"set\" (use factor)",
            );
            c.unused(
                &f("cap"),
                raw.cap,
                "not used by action \"set\" (use factor)",
            );
            let factor = if let Some(s) = raw.factor {
                c.num(
                    &f("factor"),
                    s,
                    |v| v > 0.0 && v <= 10.0,
                    "the new multiplier, in (0, 10]",
                )
            } else {
                c.fail(
                    f("factor"),
                    "missing",
                    "action \"set\" needs a factor, for example 0.8 for a 20 % cut",
                );
                1.0
            };
            BandAction::Set { factor }
        }
        other => {
            c.fail(
                f("action"),
                format!("{other:?}"),
                format!(
                    "one of \"hold\", \"raise\", \"set\"{}",
                    did_you_mean(other, ["hold", "raise", "set"])
                ),
            );
            BandAction::Hold
        }
    };
    let years_in_a_row = match raw.years_in_a_row {
        None => 1,
        Some(n) if (1..=50).contains(&n) => n as u32,
        Some(n) => {
            c.fail(
                f("years_in_a_row"),
                n,
                "a whole number of Decembers from 1 to 50",
            );
            1
        }
    };
    Band {
        lower,
        upper,
        action,
        years_in_a_row,
    }
}

/// The first band that holds acts: an own band that overlaps one of a
/// preset's bands with a finite lower bound would switch that band off
/// where they overlap. (A preset's band below everything, such as the
/// national cut's "restore 1.0 below 18 months", is where a scenario's own
/// bands are meant to act first.)
fn check_preset_reachable(name: &str, own: &[Band], preset: &[Band], c: &mut Checker) {
    for p in preset.iter().filter(|p| p.lower.is_finite()) {
        if let Some((i, b)) = own
            .iter()
            .enumerate()
            .find(|(_, b)| b.lower < p.upper && p.lower < b.upper)
        {
            c.fail(
                "policy.preset",
                format!("{name:?}"),
                format!(
                    "policy.bands[{i}] [{}, {}) overlaps the preset's band [{}, {}), which would not act there: end your own bands at or below {} months",
                    b.lower, b.upper, p.lower, p.upper, p.lower
                ),
            );
            return;
        }
    }
}

/// The `[sharing]` table: `floor_months`, and the scheme (see [`resolve_scheme`]).
fn resolve_sharing(raw: Option<toml::Table>, presets: &Presets, c: &mut Checker) -> Sharing {
    let Some(mut table) = raw else {
        return Sharing {
            scheme: Scheme::None,
            floor_months: 0.0,
        };
    };
    let floor_months = match table.remove("floor_months") {
        None => 0.0,
        Some(v) => {
            if let Some(x) = number(&v) {
                c.within(
                    "sharing.floor_months",
                    x,
                    (0.0, MAX_LAG),
                    "months of average payments",
                )
            } else {
                let allowed = if v.as_str().and_then(quoted_figure).is_some() {
                    "a number of months ≥ 0, written without quotes"
                } else {
                    "a number of months ≥ 0"
                };
                c.fail("sharing.floor_months", v, allowed);
                0.0
            }
        }
    };
    Sharing {
        scheme: resolve_scheme(table, ("sharing", None), presets, c).unwrap_or(Scheme::None),
        floor_months,
    }
}

/// A TOML number as `f64`.
fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Float(x) => Some(*x),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

/// A scheme from its table: `preset = "NAME"` starts from the preset NAME,
/// `scheme = "KIND"` from the preset named KIND when there is one of that
/// kind, down the chain ([`Presets::expand_sharing`]), the same way for
/// `[sharing]` and for a preset; the table's own fields replace the base's.
/// The scheme's file reads and checks the parameters.
///
/// A value the table takes from the preset it builds on, and that the
/// preset's own check already refuses (as `presets.sharing.NAME.…`), is not
/// refused a second time under the table's name: one wrong value is one
/// problem, named where it was written.
fn resolve_scheme(
    table: toml::Table,
    (field, own): (&str, Option<&str>),
    presets: &Presets,
    c: &mut Checker,
) -> Option<Scheme> {
    let written: Vec<String> = table.keys().cloned().collect();
    let text = |key: &str| table.get(key).and_then(toml::Value::as_str);
    // the preset the table builds on, as [`Presets::expand_sharing`] picks it:
    // `preset = "NAME"`, else the preset named by `scheme` when it is of that kind
    let base = match (text("preset"), text("scheme")) {
        (Some(name), _) => Some(name),
        (None, Some(kind)) => presets
            .sharing(kind)
            .filter(|t| t.get("scheme").and_then(toml::Value::as_str) == Some(kind))
            .map(|_| kind),
        (None, None) => None,
    }
    .filter(|name| Some(*name) != own)
    .and_then(|name| presets.sharing(name).map(|t| (name.to_string(), t.clone())));
    let mut own_check = Checker::default();
    let scheme = scheme_of(table, (field, own), presets, &mut own_check);
    // what the preset alone refuses, checked under this table's name so that
    // the same problem reads the same: field, value and reason
    // and the fields the preset gives a value: only a value taken from it
    // can be refused there (a missing field is this table's own problem, and
    // so is a loop of presets that gives nothing)
    let (refused_in_base, given_by_base): (Vec<Problem>, Vec<String>) =
        base.map_or_else(Default::default, |(name, t)| {
            let given = presets
                .expand_sharing(t.clone(), Some(&name))
                .keys()
                .cloned()
                .collect();
            let mut base_check = Checker::default();
            let _ = scheme_of(t, (field, Some(&name)), presets, &mut base_check);
            (base_check.problems, given)
        });
    let prefix = format!("{field}.");
    for p in own_check.problems {
        let key = p.field.strip_prefix(&prefix).unwrap_or_default();
        let top = key.split(['.', '[']).next().unwrap_or_default();
        let from_base = !top.is_empty()
            && !written.iter().any(|w| w == top)
            && given_by_base.iter().any(|g| g == top);
        if !(from_base && refused_in_base.contains(&p)) {
            c.problems.push(p);
        }
    }
    scheme
}

/// [`resolve_scheme`] without the filter of values refused in the preset.
fn scheme_of(
    mut table: toml::Table,
    (field, own): (&str, Option<&str>),
    presets: &Presets,
    c: &mut Checker,
) -> Option<Scheme> {
    let written: Vec<String> = table.keys().cloned().collect();
    let base_name = match table.remove("preset") {
        None => None,
        Some(value) => {
            let name = preset_name(value, (field, own), presets, c)?;
            table.insert("preset".into(), toml::Value::String(name.clone()));
            Some(name)
        }
    };
    let chain = presets.chain_break(&table, own);
    let mut merged = presets.expand_sharing(table, own);
    merged.remove("preset");
    merged.remove("description");
    let kind = match merged.remove("scheme") {
        Some(toml::Value::String(kind)) => kind,
        Some(other) => {
            c.fail(format!("{field}.scheme"), other, "a scheme kind in quotes");
            return None;
        }
        None => {
            no_scheme(chain, (field, own), c);
            return None;
        }
    };
    let (scheme, foreign) =
        read_parameters(&kind, &merged, field, (&written, base_name.is_some()), c);
    match base_name {
        Some(name) if !foreign.is_empty() => {
            let base_kind = presets
                .sharing(&name)
                .map(|t| presets.expand_sharing(t.clone(), Some(&name)))
                .and_then(|t| {
                    t.get("scheme")
                        .and_then(toml::Value::as_str)
                        .map(String::from)
                })
                .unwrap_or_default();
            c.fail(
                format!("{field}.preset"),
                format!("{name:?}"),
                format!(
                    "the preset gives {}, which a {kind:?} scheme does not take (it is a {base_kind:?} scheme): build on a preset of kind {kind:?}, or give scheme = {base_kind:?}",
                    foreign.join(", ")
                ),
            );
            None
        }
        _ => scheme,
    }
}

/// The preset a sharing table names with `preset = …`, or `None` with the
/// problem when it is not the name of a sharing preset.
fn preset_name(
    value: toml::Value,
    (field, own): (&str, Option<&str>),
    presets: &Presets,
    c: &mut Checker,
) -> Option<String> {
    match value {
        toml::Value::String(name) if presets.sharing(&name).is_some() => Some(name),
        toml::Value::String(name) => {
            // a preset cannot build on itself: its own name is no choice
            let names: Vec<&str> = presets
                .sharing_presets()
                .map(|(n, _)| n)
                .filter(|n| Some(*n) != own)
                .collect();
            let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
            c.fail(
                format!("{field}.preset"),
                format!("{name:?}"),
                format!(
                    "one of {}{}",
                    quoted.join(", "),
                    did_you_mean(&name, names.iter().copied())
                ),
            );
            None
        }
        other => {
            c.fail(
                format!("{field}.preset"),
                other,
                "the name of a sharing preset, in quotes",
            );
            None
        }
    }
}

/// The problem of a sharing table that ends up naming no scheme: one for a
/// loop of presets, at its first preset by name; none for the tables that
/// build on it, nor for a chain that breaks at another preset, refused
/// there; else `scheme` is missing.
fn no_scheme(chain: Option<ChainBreak>, (field, own): (&str, Option<&str>), c: &mut Checker) {
    match chain {
        Some(ChainBreak::Loop(mut members)) => {
            let first = members
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.cmp(b.1))
                .map_or(0, |(i, _)| i);
            members.rotate_left(first);
            if own == members.first().map(String::as_str) {
                let next = members.get(1).unwrap_or(&members[0]).clone();
                members.push(members[0].clone());
                c.fail(
                    format!("{field}.preset"),
                    format!("{next:?}"),
                    format!(
                        "the presets build on each other in a loop ({}), so none of them names a scheme: give one of them scheme = \"…\" instead of preset",
                        members.join(" → ")
                    ),
                );
            }
        }
        Some(ChainBreak::RefusedElsewhere) => {}
        None => c.fail(
            format!("{field}.scheme"),
            "missing",
            "name a scheme (scheme = \"fixed_ratio\", …) or a preset (preset = \"…\")",
        ),
    }
}

/// Reads a scheme of `kind` from its parameters. A parameter of the wrong
/// type (or one the kind does not take) stops the reading: it is refused,
/// taken out, and the rest read again, so that every such parameter is
/// refused at once, up to one try a parameter; a scheme is given only when
/// nothing was refused. Returns with it the parameters the kind does not
/// take that the table did not write (`written`) although it builds on a
/// preset (`on_preset`): the preset gives them, and they are one problem,
/// left to the caller.
fn read_parameters(
    kind: &str,
    given: &toml::Table,
    field: &str,
    (written, on_preset): (&[String], bool),
    c: &mut Checker,
) -> (Option<Scheme>, Vec<String>) {
    let mut params_left = given.clone();
    let mut taken_out: Vec<String> = Vec::new();
    let mut foreign: Vec<String> = Vec::new();
    let scheme = loop {
        let mut track = serde_path_to_error::Track::new();
        let params = serde_path_to_error::Deserializer::new(
            toml::Value::Table(params_left.clone()),
            &mut track,
        );
        let mut checked = Checker::default();
        let e = match Scheme::resolve(kind, params, field, &mut checked) {
            Ok(scheme) if taken_out.is_empty() => {
                c.problems.extend(checked.problems);
                break scheme;
            }
            Ok(_) => {
                // the others' checks, but none that reads a parameter
                // taken out (it would name the default in its place)
                let reads_taken_out = |p: &Problem| {
                    taken_out.iter().any(|k| {
                        let name = format!("{field}.{k}");
                        names_field(&p.field, &name) || names_field(&p.allowed, &name)
                    })
                };
                c.problems
                    .extend(checked.problems.into_iter().filter(|p| !reads_taken_out(p)));
                break None;
            }
            Err(e) => e,
        };
        let path = track.path().to_string();
        let top = path.split('.').next().unwrap_or_default().to_string();
        let message = crate::input::toml_text::plain(e.message());
        // a parameter taken out that the kind needs: refused already
        if taken_out
            .iter()
            .any(|k| message.contains(&format!("missing field `{k}`")))
        {
            break None;
        }
        if on_preset && message.starts_with("unknown field") && !written.contains(&top) {
            foreign.push(top.clone());
        } else {
            let at = if path == "." || path.is_empty() {
                field.to_string()
            } else {
                format!("{field}.{path}")
            };
            let value = given
                .get(&top)
                .map_or_else(|| format!("scheme {kind:?}"), ToString::to_string);
            c.fail(at, value, format!("{message} (scheme {kind:?})"));
        }
        if params_left.remove(&top).is_none() {
            break None;
        }
        taken_out.push(top);
    };
    (scheme, foreign)
}

/// Whether `text` names the field `name` itself or a part of it
/// (`sharing.band`, `sharing.band[0]`, `sharing.band.x`), not another field
/// whose name only starts the same (`sharing.band_share`).
fn names_field(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let after = text[at + name.len()..].chars().next();
        !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Every sharing preset, checked (`fundsim stress --scheme NAME` picks one).
fn resolve_sharing_presets(presets: &Presets, c: &mut Checker) -> Vec<NamedScheme> {
    presets
        .sharing_presets()
        .filter_map(|(name, table)| {
            let description = table
                .get("description")
                .and_then(|d| d.as_str())
                .unwrap_or_default()
                .to_string();
            let scheme = resolve_scheme(
                table.clone(),
                (&format!("presets.sharing.{name}"), Some(name)),
                presets,
                c,
            )?;
            Some(NamedScheme {
                name: name.to_string(),
                description,
                scheme,
            })
        })
        .collect()
}

fn resolve_calibration(raw: &RawCalibration, c: &mut Checker) -> Calibration {
    let tolerance = c.num(
        "calibration.tolerance",
        raw.tolerance.unwrap_or(0.05),
        |v| v > 0.0 && v < 1.0,
        "a relative tolerance in (0, 1)",
    );
    let mut targets = Vec::new();
    for (target, value) in [
        (CalibrationTarget::Insured, raw.insured),
        (CalibrationTarget::PremiumIncome, raw.premium_income),
        (CalibrationTarget::Expenditure, raw.expenditure),
        (CalibrationTarget::OpeningBalance, raw.opening_balance),
        (
            CalibrationTarget::RecognisedInjuries,
            raw.recognised_injuries,
        ),
        (CalibrationTarget::GradedShare, raw.graded_share),
        (CalibrationTarget::DeathShare, raw.death_share),
        (CalibrationTarget::Beneficiaries, raw.beneficiaries),
    ] {
        if let Some(v) = value {
            // a positive target is at least 1e-6, so that model / target
            // stays finite (docs/limits.md)
            targets.push((
                target,
                c.num(
                    &format!("calibration.{}", target.name()),
                    v,
                    |v| v == 0.0 || (1e-6..=MAX_AMOUNT).contains(&v),
                    "a target of 0, or from 1e-6 to 1e15",
                ),
            ));
        }
    }
    Calibration { tolerance, targets }
}
