//! From the TOML text to a validated [`Scenario`]: parsing with field paths,
//! defaults (the legal constants of MODEL.md section 9 among them), and every
//! range and consistency check. All problems are collected, not only the first.

use super::raw::*;
use super::*;
use nalgebra::DMatrix;

/// Tolerance for "sums to 1" and symmetry checks.
const SUM_TOL: f64 = 1e-6;
/// Longest lag or payment pattern accepted, in months.
const MAX_LAG: f64 = 240.0;
/// Largest amount or count accepted anywhere: beyond it sums overflow into
/// infinities long before a result could mean anything.
const MAX_AMOUNT: f64 = 1e15;
/// Largest insured head count of one city and sector.
const MAX_INSURED: f64 = 1e9;
/// Largest opening stock of one city (each head's exit is drawn).
const MAX_STOCK_HEADS: f64 = 1e7;
/// Largest average monthly wage accepted (yuan).
const MAX_MONTHLY_WAGE: f64 = 1e6;

pub(super) fn parse(text: &str, source_name: &str) -> Result<Scenario, ScenarioError> {
    if text.trim().is_empty() {
        return Err(ScenarioError::Empty {
            source_name: source_name.to_string(),
        });
    }
    let raw = deserialize(text, source_name)?;
    let mut check = Checker::default();
    let scenario = resolve(raw, &mut check);
    if check.problems.is_empty() {
        Ok(scenario)
    } else {
        Err(ScenarioError::Invalid {
            source_name: source_name.to_string(),
            problems: check.problems,
        })
    }
}

fn deserialize<T: serde::de::DeserializeOwned>(
    text: &str,
    source_name: &str,
) -> Result<T, ScenarioError> {
    let parse_error = |field: String, err: &toml::de::Error| {
        let (line, column) = err
            .span()
            .map(|s| line_col(text, s.start))
            .unwrap_or((1, 1));
        ScenarioError::Parse {
            source_name: source_name.to_string(),
            line,
            column,
            field,
            message: friendly(err.message().trim(), text, line),
        }
    };
    let de = toml::Deserializer::parse(text).map_err(|e| parse_error(String::new(), &e))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() {
            String::new()
        } else {
            format!("{path}: ")
        };
        parse_error(field, e.inner())
    })
}

/// A parser message in the user's words, with the offending line quoted.
fn friendly(message: &str, text: &str, line: usize) -> String {
    let mut m = message.to_string();
    for (rust, plain) in [
        ("i64", "a whole number"),
        ("i32", "a whole number"),
        ("u64", "a whole number ≥ 0"),
        ("f64", "a number"),
        ("a sequence", "a list [ … ]"),
        ("struct ", "a table "),
    ] {
        m = m.replace(rust, plain);
    }
    match text.lines().nth(line.saturating_sub(1)) {
        Some(l) if !l.trim().is_empty() => format!("{m}\n    {line} | {}", l.trim_end()),
        _ => m,
    }
}

pub(super) fn parse_candidate(
    scenario: &Scenario,
    text: &str,
    source_name: &str,
) -> Result<Candidate, ScenarioError> {
    if text.trim().is_empty() {
        return Err(ScenarioError::Empty {
            source_name: source_name.to_string(),
        });
    }
    let raw: RawCandidate = deserialize(text, source_name)?;
    let mut check = Checker::default();
    check_name(&mut check, &raw.name);
    if raw.schedule.is_empty() {
        check.fail(
            "schedule",
            "an empty list",
            "a candidate needs at least one [[schedule]] change",
        );
    }
    let last_year = scenario.start_year + scenario.years as i32 - 1;
    let schedule = resolve_schedule(&raw.schedule, &scenario.sectors, last_year, &mut check);
    if check.problems.is_empty() {
        Ok(Candidate {
            name: raw.name,
            description: raw.description,
            schedule,
        })
    } else {
        Err(ScenarioError::Invalid {
            source_name: source_name.to_string(),
            problems: check.problems,
        })
    }
}

/// Checks dated rate changes against the sectors' bands and the horizon.
fn resolve_schedule(
    raw: &[RawRateChange],
    sectors: &[Sector],
    last_year: i32,
    c: &mut Checker,
) -> Vec<RateChange> {
    let n = sectors.len();
    let mut out: Vec<RateChange> = raw
        .iter()
        .enumerate()
        .map(|(i, ch)| {
            let f = |name: &str| format!("schedule[{i}].{name}");
            let year = if (1900..=last_year as i64).contains(&ch.year) {
                ch.year as i32
            } else {
                c.fail(f("year"), ch.year, format!("a calendar year up to the horizon's last year, {last_year}"));
                1900
            };
            if ch.multiplier.is_none() && ch.benchmark_rates.is_none() && ch.floating_factors.is_none() {
                c.fail(f("year"), year, "a change sets at least one of multiplier, benchmark_rates, floating_factors");
            }
            if let Some(m) = ch.multiplier {
                c.num(&f("multiplier"), m, |v| v > 0.0 && v <= 10.0, &format!("a multiplier on the benchmark rates in (0, 10] (year {year})"));
            }
            if let Some(rates) = &ch.benchmark_rates {
                if c.len(&f("benchmark_rates"), rates, n, "one per sector") {
                    for (s, r) in rates.iter().enumerate() {
                        c.rate(&format!("{}[{s}]", f("benchmark_rates")), *r);
                    }
                }
            }
            if let Some(factors) = &ch.floating_factors {
                if c.len(&f("floating_factors"), factors, n, "one per sector") {
                    for (s, (x, sector)) in factors.iter().zip(sectors).enumerate() {
                        let [lo, hi] = sector.floating_band;
                        c.num(
                            &format!("{}[{s}]", f("floating_factors")),
                            *x,
                            |v| (lo..=hi).contains(&v),
                            &format!("outside the national band for {} in {year}: floating factors of this class lie in [{lo}, {hi}]", sector.name),
                        );
                    }
                }
            }
            RateChange {
                year,
                multiplier: ch.multiplier,
                benchmark_rates: ch.benchmark_rates.clone(),
                floating_factors: ch.floating_factors.clone(),
            }
        })
        .collect();
    out.sort_by_key(|ch| ch.year);
    out
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A number as a person would write it: plain, or in exponent form when huge or tiny.
fn show(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e15 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// Collects problems while values are read.
#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(
        &mut self,
        field: impl Into<String>,
        value: impl fmt::Display,
        allowed: impl Into<String>,
    ) {
        self.problems.push(Problem {
            field: field.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        });
    }

    /// Checks `ok(v)` (and finiteness); returns `v` either way.
    fn num(&mut self, field: &str, v: f64, ok: impl Fn(f64) -> bool, allowed: &str) -> f64 {
        if !v.is_finite() || !ok(v) {
            self.fail(field, show(v), allowed);
        }
        v
    }

    fn nonneg(&mut self, field: &str, v: f64) -> f64 {
        self.num(
            field,
            v,
            |v| (0.0..=MAX_AMOUNT).contains(&v),
            "must be a number from 0 to 1e15",
        )
    }

    fn positive(&mut self, field: &str, v: f64) -> f64 {
        self.num(field, v, |v| v > 0.0, "must be a number > 0")
    }

    fn finite(&mut self, field: &str, v: f64) -> f64 {
        self.num(field, v, |_| true, "must be a finite number")
    }

    fn prob(&mut self, field: &str, v: f64) -> f64 {
        if v.is_finite() && v > 1.0 && v <= 100.0 {
            self.fail(
                field,
                v,
                format!(
                    "a probability or share is a fraction in [0, 1]; did you mean {}?",
                    v / 100.0
                ),
            );
            return v;
        }
        self.num(
            field,
            v,
            |v| (0.0..=1.0).contains(&v),
            "a probability or share is a fraction in [0, 1]",
        )
    }

    fn rate(&mut self, field: &str, v: f64) -> f64 {
        let ok = |v: f64| v > 0.0 && v <= 0.1;
        if v.is_finite() && !ok(v) && ok(v / 100.0) {
            self.fail(
                field,
                v,
                format!(
                    "a rate is a fraction in (0, 0.1]; did you mean {}?",
                    v / 100.0
                ),
            );
            return v;
        }
        self.num(field, v, ok, "a rate is a fraction in (0, 0.1]")
    }

    fn growth(&mut self, field: &str, v: f64) -> f64 {
        self.num(
            field,
            v,
            |v| v > -1.0 && v < 1.0,
            "an annual growth rate is a fraction in (-1, 1)",
        )
    }

    fn months(&mut self, field: &str, v: f64) -> usize {
        if !v.is_finite() || v < 0.0 || v.fract() != 0.0 || v > MAX_LAG {
            self.fail(
                field,
                v,
                format!("a lag is a whole number of months from 0 to {MAX_LAG}"),
            );
            return 0;
        }
        v as usize
    }

    /// Checks the length of a list; returns whether it is right.
    fn len(&mut self, field: &str, v: &[f64], n: usize, what: &str) -> bool {
        if v.len() != n {
            self.fail(
                field,
                format!("a list of {}", v.len()),
                format!("must list {n} values, {what}"),
            );
            false
        } else {
            true
        }
    }

    fn each(&mut self, field: &str, v: &[f64], check: fn(&mut Checker, &str, f64) -> f64) {
        for (i, x) in v.iter().enumerate() {
            check(self, &format!("{field}[{i}]"), *x);
        }
    }

    fn sums_to(&mut self, field: &str, v: &[f64], target: f64, what: &str) {
        let sum: f64 = v.iter().sum();
        if v.iter().all(|x| x.is_finite()) && (sum - target).abs() > SUM_TOL * target.max(1.0) {
            self.fail(
                field,
                format!("{v:?} (sum {sum})"),
                format!("{what} must sum to {target}"),
            );
        }
    }

    fn fixed<const N: usize>(
        &mut self,
        field: &str,
        v: &[f64],
        what: &str,
        check: fn(&mut Checker, &str, f64) -> f64,
    ) -> [f64; N] {
        let mut out = [0.0; N];
        if self.len(field, v, N, what) {
            self.each(field, v, check);
            out.copy_from_slice(v);
        }
        out
    }

    fn unused(&mut self, field: &str, value: Option<impl fmt::Display>, why: &str) {
        if let Some(v) = value {
            self.fail(field, v, why.to_string());
        }
    }
}

fn resolve(raw: RawScenario, c: &mut Checker) -> Scenario {
    check_name(c, &raw.name);
    if !(1900..=2200).contains(&raw.start_year) {
        c.fail(
            "start_year",
            raw.start_year,
            "a calendar year from 1900 to 2200",
        );
    }
    let years = if (1..=50).contains(&raw.years) {
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
    let cities = raw
        .cities
        .into_iter()
        .enumerate()
        .map(|(i, city)| resolve_city(city, &format!("cities[{i}]"), n_sectors, c))
        .collect();
    let claims = resolve_claims(raw.claims, c);
    let lags = resolve_lags(raw.lags, c);
    let benefits = resolve_benefits(raw.benefits, c);
    let stocks = resolve_stocks(raw.stocks, n_sectors, c);
    let fund = resolve_fund(raw.fund, &law, c);
    let policy = resolve_policy(raw.policy, c);
    if let RatePolicy::Bands { stability, .. } = &policy {
        let m0 = fund.initial_multiplier;
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
    let schedule = resolve_schedule(
        &raw.schedule,
        &sectors,
        raw.start_year.clamp(1900, 2200) + years as i32 - 1,
        c,
    );
    let sharing = resolve_sharing(raw.sharing, c);
    let calibration = raw.calibration.map(|cal| resolve_calibration(cal, c));
    let execution = raw.execution.map(|e| resolve_execution(e, c));
    Scenario {
        name: raw.name,
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
        law,
        calibration,
        execution,
    }
}

fn resolve_execution(e: RawExecution, c: &mut Checker) -> Execution {
    use crate::lines::{Line, N_LINES};
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
    crate::lines::fill_totals(&mut lines);
    let opening_balance = c.finite("execution.opening_balance", e.opening_balance);
    lines[Line::ClosingBalance.index()] = opening_balance + lines[Line::Surplus.index()];
    Execution {
        lines,
        opening_balance,
    }
}

fn check_name(c: &mut Checker, name: &str) {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.'));
    if !ok {
        c.fail(
            "name",
            format!("{name:?}"),
            "the name is also the output folder: use letters, digits, '-', '_' or '.' (for example \"jiangxi-2025\")",
        );
    }
}

fn unique_names<'a>(c: &mut Checker, field: &str, names: impl Iterator<Item = &'a str>) {
    let mut seen = std::collections::HashSet::new();
    for (i, n) in names.enumerate() {
        if n.trim().is_empty() {
            c.fail(
                format!("{field}[{i}].name"),
                format!("{n:?}"),
                "a name must not be empty",
            );
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
    let grant = raw
        .disability_grant_months
        .map(|v| {
            c.fixed::<GRADES>(
                "law.disability_grant_months",
                &v,
                "one per grade 1–10",
                Checker::nonneg,
            )
        })
        .unwrap_or([27.0, 25.0, 23.0, 21.0, 18.0, 16.0, 13.0, 11.0, 9.0, 7.0]);
    let allowance = raw
        .disability_allowance_share
        .map(|v| {
            c.fixed::<4>(
                "law.disability_allowance_share",
                &v,
                "one per grade 1–4",
                Checker::prob,
            )
        })
        .unwrap_or([0.90, 0.85, 0.80, 0.75]);
    let wage_floor = c.nonneg("law.wage_floor", raw.wage_floor.unwrap_or(0.6));
    let wage_cap = c.nonneg("law.wage_cap", raw.wage_cap.unwrap_or(3.0));
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
        funeral_grant_months: c.nonneg(
            "law.funeral_grant_months",
            raw.funeral_grant_months.unwrap_or(6.0),
        ),
        death_grant_multiple: c.nonneg(
            "law.death_grant_multiple",
            raw.death_grant_multiple.unwrap_or(20.0),
        ),
        prevention_cap: c.prob("law.prevention_cap", raw.prevention_cap.unwrap_or(0.03)),
        wage_floor,
        wage_cap,
        reserve_rule_months: c.nonneg(
            "law.reserve_rule_months",
            raw.reserve_rule_months.unwrap_or(12.0),
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
        average_monthly_wage: c.positive("economy.average_monthly_wage", raw.average_monthly_wage),
        disposable_income: c.positive("economy.disposable_income", raw.disposable_income),
        season,
    }
}

fn resolve_driver(
    raw: &RawDriver,
    field: &str,
    mean_ok: fn(&mut Checker, &str, f64) -> f64,
    c: &mut Checker,
) -> Driver {
    Driver {
        mean: mean_ok(c, &format!("{field}.mean"), raw.mean),
        sd: c.nonneg(&format!("{field}.sd"), raw.sd),
        persistence: persistence(c, &format!("{field}.persistence"), raw.persistence),
    }
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
    let shock = |c: &mut Checker, raw: &RawShock, field: &str| Driver {
        mean: 0.0,
        sd: c.nonneg(&format!("{field}.sd"), raw.sd),
        persistence: persistence(c, &format!("{field}.persistence"), raw.persistence),
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
        wage_growth: resolve_driver(&raw.wage_growth, "drivers.wage_growth", Checker::growth, c),
        employment_growth: resolve_driver(
            &raw.employment_growth,
            "drivers.employment_growth",
            Checker::growth,
            c,
        ),
        interest_rate: resolve_driver(
            &raw.interest_rate,
            "drivers.interest_rate",
            Checker::growth,
            c,
        ),
        claim_intensity: shock(c, &raw.claim_intensity, "drivers.claim_intensity"),
        medical_inflation: resolve_driver(
            &raw.medical_inflation,
            "drivers.medical_inflation",
            Checker::growth,
            c,
        ),
        collection_shock,
        disposable_income_growth: resolve_driver(
            &raw.disposable_income_growth,
            "drivers.disposable_income_growth",
            Checker::growth,
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
        employment_growth: c.growth(
            &f("employment_growth"),
            raw.employment_growth.unwrap_or(default_growth),
        ),
        employment_beta: c.finite(&f("employment_beta"), raw.employment_beta.unwrap_or(1.0)),
        outcome_mix,
        catastrophe_rate: c.nonneg(&f("catastrophe_rate"), raw.catastrophe_rate.unwrap_or(0.0)),
        catastrophe_size: c.num(
            &f("catastrophe_size"),
            raw.catastrophe_size.unwrap_or(1.0),
            |v| v >= 1.0,
            "the mean deaths per catastrophe is at least 1",
        ),
        catastrophe_size_shape: c.positive(
            &f("catastrophe_size_shape"),
            raw.catastrophe_size_shape.unwrap_or(1.0),
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
        monthly_amount: c.nonneg(&format!("{field}.monthly_amount"), raw.monthly_amount),
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
            MAX_MONTHLY_WAGE,
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
        relative_risk: c.nonneg(&f("relative_risk"), raw.relative_risk.unwrap_or(1.0)),
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

fn resolve_claims(raw: RawClaims, c: &mut Checker) -> Claims {
    let medical_cv = match &raw.medical_cv {
        Some(cv) => resolve_outcomes(cv, "claims.medical_cv", Checker::nonneg, c),
        None => [0.0; OUTCOMES],
    };
    Claims {
        medical_cost: resolve_outcomes(
            &raw.medical_cost,
            "claims.medical_cost",
            Checker::nonneg,
            c,
        ),
        medical_cv,
        investigation_cost: c.nonneg("claims.investigation_cost", raw.investigation_cost),
        appraisal_cost: c.nonneg("claims.appraisal_cost", raw.appraisal_cost),
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

fn resolve_benefits(raw: RawBenefits, c: &mut Checker) -> Benefits {
    Benefits {
        medical_subsidy_months: c.fixed::<6>(
            "benefits.medical_subsidy_months",
            &raw.medical_subsidy_months,
            "one per grade 5–10",
            Checker::nonneg,
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
        opening_balance: c.finite("fund.opening_balance", raw.opening_balance),
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

fn resolve_policy(raw: Option<RawPolicy>, c: &mut Checker) -> RatePolicy {
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
                match preset_bands(name) {
                    Some(extra) => {
                        // the first band that holds acts: an own band holding in the
                        // preset's ranges would silently switch the preset off
                        for (i, b) in bands.iter().enumerate() {
                            if let Some(p) = [20.0, 30.0]
                                .into_iter()
                                .find(|p| *p >= b.lower && *p < b.upper)
                            {
                                c.fail(
                                    "policy.preset",
                                    format!("{name:?}"),
                                    format!(
                                        "policy.bands[{i}] [{}, {}) holds at {p} months, before the preset's bands (18–24 and 24+), which would never act: end your own bands at 18 months",
                                        b.lower, b.upper
                                    ),
                                );
                                break;
                            }
                        }
                        bands.extend(extra)
                    }
                    None => c.fail(
                        "policy.preset",
                        format!("{name:?}"),
                        format!(
                            "one of {}",
                            POLICY_PRESETS.map(|p| format!("\"{p}\"")).join(", ")
                        ),
                    ),
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
                "one of \"none\", \"bands\"",
            );
            RatePolicy::None
        }
    }
}

fn resolve_band(raw: &RawBand, field: &str, c: &mut Checker) -> Band {
    let f = |name: &str| format!("{field}.{name}");
    let lower = raw.lower.unwrap_or(f64::NEG_INFINITY);
    let upper = raw.upper.unwrap_or(f64::INFINITY);
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
            let step = match step_factor_cap.0 {
                Some(s) => c.num(
                    &f("step"),
                    s,
                    |v| v > 0.0 && v <= 1.0,
                    "a relative step in (0, 1], for example 0.1 for +10 %",
                ),
                None => {
                    c.fail(
                        f("step"),
                        "missing",
                        "action \"raise\" needs a step, for example 0.1 for +10 %",
                    );
                    0.0
                }
            };
            let cap = match step_factor_cap.2 {
                Some(s) => c.num(
                    &f("cap"),
                    s,
                    |v| v > 0.0 && v <= 10.0,
                    "the highest multiplier a raise may reach, in (0, 10]",
                ),
                None => {
                    c.fail(f("cap"), "missing", "action \"raise\" needs a cap, the highest multiplier it may reach (for example 1.5)");
                    1.0
                }
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
            let factor = match raw.factor {
                Some(s) => c.num(
                    &f("factor"),
                    s,
                    |v| v > 0.0 && v <= 10.0,
                    "the new multiplier, in (0, 10]",
                ),
                None => {
                    c.fail(
                        f("factor"),
                        "missing",
                        "action \"set\" needs a factor, for example 0.8 for a 20 % cut",
                    );
                    1.0
                }
            };
            BandAction::Set { factor }
        }
        other => {
            c.fail(
                f("action"),
                format!("{other:?}"),
                "one of \"hold\", \"raise\", \"set\"",
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

fn resolve_key(raw: &Option<String>, field: &str, c: &mut Checker) -> SharingKey {
    let Some(name) = raw else {
        return SharingKey::PremiumIncome;
    };
    match SharingKey::ALL.iter().find(|(n, _)| n == name) {
        Some((_, k)) => *k,
        None => {
            let names: Vec<_> = SharingKey::ALL
                .iter()
                .map(|(n, _)| format!("\"{n}\""))
                .collect();
            c.fail(
                field,
                format!("{name:?}"),
                format!("one of {}", names.join(", ")),
            );
            SharingKey::PremiumIncome
        }
    }
}

fn resolve_sharing(raw: Option<RawSharing>, c: &mut Checker) -> Sharing {
    let Some(raw) = raw else {
        return Sharing {
            scheme: Scheme::None,
            floor_months: 0.0,
        };
    };
    let floor_months = c.nonneg("sharing.floor_months", raw.floor_months.unwrap_or(0.0));
    let required = |c: &mut Checker, v: Option<f64>, name: &str, scheme: &str| match v {
        Some(x) => c.prob(&format!("sharing.{name}"), x),
        None => {
            c.fail(
                format!("sharing.{name}"),
                "missing",
                format!("scheme \"{scheme}\" needs {name}, a fraction in [0, 1]"),
            );
            0.0
        }
    };
    let scheme = match raw.scheme.as_str() {
        "none" => {
            let why = "not used by scheme \"none\"";
            c.unused("sharing.province", raw.province, why);
            c.unused("sharing.city_share", raw.city_share, why);
            c.unused("sharing.key", raw.key.as_ref(), why);
            c.unused("sharing.target", raw.target, why);
            c.unused("sharing.penalty", raw.penalty, why);
            Scheme::None
        }
        "fixed_ratio" => {
            let why = "not used by scheme \"fixed_ratio\"";
            c.unused("sharing.city_share", raw.city_share, why);
            c.unused("sharing.target", raw.target, why);
            c.unused("sharing.penalty", raw.penalty, why);
            Scheme::FixedRatio {
                province: required(c, raw.province, "province", "fixed_ratio"),
                key: resolve_key(&raw.key, "sharing.key", c),
            }
        }
        "responsibility" => {
            let why = "not used by scheme \"responsibility\"";
            c.unused("sharing.province", raw.province, why);
            c.unused("sharing.target", raw.target, why);
            c.unused("sharing.penalty", raw.penalty, why);
            Scheme::Responsibility {
                city_share: required(c, raw.city_share, "city_share", "responsibility"),
                key: resolve_key(&raw.key, "sharing.key", c),
            }
        }
        "performance" => {
            c.unused(
                "sharing.city_share",
                raw.city_share,
                "not used by scheme \"performance\"",
            );
            let target = match raw.target {
                Some(t) => c.num(
                    "sharing.target",
                    t,
                    |v| v > 0.0 && v <= 1.0,
                    "a target collection rate in (0, 1]",
                ),
                None => {
                    c.fail(
                        "sharing.target",
                        "missing",
                        "scheme \"performance\" needs target, a collection rate in (0, 1]",
                    );
                    1.0
                }
            };
            Scheme::Performance {
                province: required(c, raw.province, "province", "performance"),
                key: resolve_key(&raw.key, "sharing.key", c),
                target,
                penalty: c.nonneg("sharing.penalty", raw.penalty.unwrap_or(1.0)),
            }
        }
        "budget_linked" => {
            let why = "not used by scheme \"budget_linked\" (its ratios are Anhui's, its budgets the expected-value projection)";
            c.unused("sharing.province", raw.province, why);
            c.unused("sharing.city_share", raw.city_share, why);
            c.unused("sharing.target", raw.target, why);
            c.unused("sharing.penalty", raw.penalty, why);
            Scheme::BudgetLinked {
                key: resolve_key(&raw.key, "sharing.key", c),
            }
        }
        other => {
            c.fail(
                "sharing.scheme",
                format!("{other:?}"),
                "one of \"none\", \"fixed_ratio\", \"responsibility\", \"performance\", \"budget_linked\"",
            );
            Scheme::None
        }
    };
    Sharing {
        scheme,
        floor_months,
    }
}

fn resolve_calibration(raw: RawCalibration, c: &mut Checker) -> Calibration {
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
            targets.push((
                target,
                c.nonneg(&format!("calibration.{}", target.name()), v),
            ));
        }
    }
    Calibration { tolerance, targets }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line and column of a byte offset, 1-based, counting characters not bytes.
    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("a\n名字 = 1", 9), (2, 4));
        assert_eq!(line_col("abc", 0), (1, 1));
    }
}
