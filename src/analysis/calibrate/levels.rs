//! The base year's levels of a calibration (docs/calibration.md B.4):
//! the economy, insured and wages, frequency and its uncertainty, the
//! outcome mix, costs per case, stocks and exit hazards, the fund's
//! figures and the `[calibration]` targets.

use super::ar1;
use super::parts::{self, Tables, part_ratios, parts_total_ratio, rake};
use super::{
    Builder, DriverFit, MIN_HAZARD_YEARS, PREVENTION_CAP, TARGET_TOLERANCE, Value, WINDOW,
    add_assessed, assessed_rate, class_cases, graded, mix_weighted, province_mix, round_cents,
    round_share, round6, sig, years_text,
};
use crate::model::cases::{DEATH, GRADES, OUTCOMES, PerOutcome};
use crate::model::history::{History, Series};
use crate::model::limits::BASE_YEAR_INTENSITY;
use crate::model::scenario::CLAIM_INTENSITY;
use crate::model::stocks::Stock;

/// The last `WINDOW` years where every series of `series` is known.
fn window(h: &History, series: &[Series]) -> Vec<i32> {
    let mut years: Vec<i32> = h
        .years()
        .filter(|y| series.iter().all(|s| h.get(*y, *s).is_some()))
        .collect();
    let start = years.len().saturating_sub(WINDOW);
    years.drain(..start);
    years
}

/// Levels of the base year (docs/calibration.md B.4).
pub(super) fn levels(b: &mut Builder, drivers: &[DriverFit], mut mixes: Vec<PerOutcome>) {
    let h = b.h;
    let base = b.base;
    let y = h.last_year();
    let unknown = |s: Series| format!("{} is unknown in {y}, the base year", s.name());

    // economy
    match b.last(Series::AverageWage) {
        Some(aw) => b.level(
            "economy.average_monthly_wage",
            aw / 12.0,
            "average_wage ÷ 12",
        ),
        None => b.keep("economy.average_monthly_wage", unknown(Series::AverageWage)),
    }
    match b.last(Series::DisposableIncome) {
        Some(d) => b.level("economy.disposable_income", d, "disposable_income"),
        None => b.keep(
            "economy.disposable_income",
            unknown(Series::DisposableIncome),
        ),
    }

    // insured and wages, by city and class
    let tables = parts::tables(b);
    let parts = b.parts;
    // the classes' weights in the province's outcome mix: with part files
    // the written tables' structure, else the base's
    let weights: Option<Vec<f64>> =
        (parts.by_class.is_some() || parts.by_city.is_some()).then(|| {
            let (lambda, rho, _) = structure(b, &tables.insured);
            class_cases(
                &tables
                    .insured
                    .iter()
                    .map(Vec::as_slice)
                    .zip(rho.iter().copied()),
                &lambda,
            )
        });
    let mix_of = |mixes: &[PerOutcome]| {
        weights
            .as_deref()
            .map_or_else(|| province_mix(base, mixes), |w| mix_weighted(w, mixes))
    };

    // frequency and its parameter uncertainty
    // a year with no insured has no frequency
    let freq_years: Vec<i32> = window(h, &[Series::Injuries, Series::Insured])
        .into_iter()
        .filter(|y| h.get(*y, Series::Insured).is_some_and(|n| n > 0.0))
        .collect();
    let claim = drivers[CLAIM_INTENSITY]
        .written
        .unwrap_or(base.drivers.claim_intensity);
    if freq_years.is_empty() {
        b.keep(
            "sectors[*].frequency",
            "injuries or insured unknown in every year",
        );
        b.keep("sectors[*].frequency_cv", "no frequency to estimate");
    } else {
        let w = freq_years.len();
        let f_hat = freq_years
            .iter()
            .map(|y| {
                h.get(*y, Series::Injuries).unwrap_or(0.0)
                    / h.get(*y, Series::Insured).unwrap_or(1.0)
            })
            .sum::<f64>()
            / w as f64;
        // class frequencies λ and city risks ρ: the base's, with the
        // structure of the by-class and by-city files where given, at the
        // province's level f̂
        let (lambda, rho, structure) = structure(b, &tables.insured);
        let cases = class_cases(
            &tables
                .insured
                .iter()
                .map(Vec::as_slice)
                .zip(rho.iter().copied()),
            &lambda,
        );
        let f_base = cases.iter().sum::<f64>() / tables.insured.iter().flatten().sum::<f64>();
        // relative error of a W-year mean of K = exp(ℓ − σ²/2), ℓ AR(1)
        let cv = claim.sd * (ar1::variance_factor(claim.persistence, w) / w as f64).sqrt();
        let years = (freq_years[0], freq_years[w - 1]);
        let factor = f_hat / f_base;
        // Λ is drawn per class, independently (docs/model.md §2.7): the
        // province's case-weighted multiplier Σ w Λ then has cv · √Σw², so
        // each class gets cv / √Σw² for the province's to be the fitted cv
        let total: f64 = cases.iter().sum();
        let concentration = cases
            .iter()
            .map(|n| (n / total).powi(2))
            .sum::<f64>()
            .sqrt();
        let cv_class = cv / concentration;
        b.parameter(
            "frequency (province, injuries per insured)",
            f_hat,
            Some(cv * f_hat),
            years,
            w,
            &format!("mean of injuries ÷ insured over the last {w} years with data"),
        );
        for (c, r) in rho.iter().enumerate() {
            if let Some(how) = &structure.city {
                b.edit(
                    format!("cities[{c}].relative_risk"),
                    Value::Number(round6(*r)),
                    format!("from history: {how}"),
                );
            }
        }
        for (s, l) in lambda.iter().enumerate() {
            let v = round6(l * factor);
            b.edit(
                format!("sectors[{s}].frequency"),
                Value::Number(v),
                format!(
                    "fitted from history {}: {} × {} (province {} ± {} per insured, {w} years)",
                    years_text(years.0, years.1),
                    structure.class.as_deref().unwrap_or("base class frequency"),
                    sig(factor),
                    sig(f_hat),
                    sig(cv * f_hat)
                ),
            );
            let cv_w = round6(cv_class.min(3.0));
            b.edit(
                format!("sectors[{s}].frequency_cv"),
                Value::Number(cv_w),
                format!(
                    "estimation error of the {w}-year mean frequency: claim-intensity sd {} × √(V/{w}) = {}, ÷ {} (√Σw², w the classes' case shares) because each class draws its own multiplier",
                    sig(claim.sd),
                    sig(cv),
                    sig(concentration)
                ),
            );
        }
        b.parameter(
            "frequency_cv (Λ, province)",
            cv,
            None,
            years,
            w,
            "relative standard error of the mean frequency",
        );
        // the base year's own claim intensity: its injuries against the
        // fitted frequency, which scales the cases still being appraised
        // and paid at the start (docs/model.md §5.4)
        match (b.last(Series::Injuries), b.last(Series::Insured)) {
            (Some(n), Some(ins)) if ins > 0.0 && f_hat > 0.0 => {
                let k = n / ins / f_hat;
                let (lo, hi) = BASE_YEAR_INTENSITY;
                if (lo..=hi).contains(&k) {
                    b.level(
                        "claims.base_year_intensity",
                        k,
                        "(injuries ÷ insured) ÷ the fitted frequency: the cases before the start are at the base year's level",
                    );
                } else {
                    b.keep(
                        "claims.base_year_intensity",
                        format!("the base year's injuries are {} times the fitted frequency's, outside {lo}–{hi}", sig(k)),
                    );
                }
            }
            _ => b.keep(
                "claims.base_year_intensity",
                format!("injuries or insured unknown in {y}"),
            ),
        }
        b.parameter(
            "frequency_cv (Λ, each class)",
            cv_class,
            None,
            years,
            w,
            "the province's cv ÷ √Σw², w the classes' case shares: the classes' independent multipliers average to the province's cv",
        );
    }

    // the outcome mix
    let mix_years = window(h, &[Series::Injuries, Series::Graded, Series::Deaths]);
    if mix_years.is_empty() {
        b.keep(
            "sectors[*].outcome_mix",
            "graded or deaths unknown in every year",
        );
    } else {
        let sum = |s: Series| {
            mix_years
                .iter()
                .map(|y| h.get(*y, s).unwrap_or(0.0))
                .sum::<f64>()
        };
        let (n, g, d) = (
            sum(Series::Injuries),
            sum(Series::Graded),
            sum(Series::Deaths),
        );
        let q = mix_of(&mixes);
        let (g0, d0) = (graded(&q), q[DEATH]);
        if n > 0.0 && g0 > 0.0 && d0 > 0.0 {
            let (g_hat, d_hat) = (g / n, d / n);
            let (ag, ad) = (g_hat / g0, d_hat / d0);
            let years = (mix_years[0], mix_years[mix_years.len() - 1]);
            let se = |p: f64| (p * (1.0 - p) / n).sqrt();
            b.parameter(
                "graded share",
                g_hat,
                Some(se(g_hat)),
                years,
                mix_years.len(),
                "graded ÷ injuries over the window",
            );
            b.parameter(
                "death share",
                d_hat,
                Some(se(d_hat)),
                years,
                mix_years.len(),
                "deaths ÷ injuries over the window",
            );
            // by class, where the by-class file has graded and deaths: its
            // structure, at the province's shares
            let by_class = |num: Series, province: f64| {
                let p = parts.by_class?;
                let level = parts_total_ratio(p, num, Series::Injuries, WINDOW)?;
                let shares = part_ratios(Some(p), num, Series::Injuries, WINDOW)?;
                (level > 0.0).then(|| {
                    shares
                        .iter()
                        .map(|v| v * province / level)
                        .collect::<Vec<f64>>()
                })
            };
            let class_g = by_class(Series::Graded, g_hat);
            let class_d = by_class(Series::Deaths, d_hat);
            for (s, mix) in mixes.iter_mut().enumerate() {
                let own = |shares: &Option<Vec<f64>>, base_share: f64| {
                    shares
                        .as_ref()
                        .filter(|_| base_share > 0.0)
                        .map(|v| v[s] / base_share)
                };
                let (cg, cd) = (own(&class_g, graded(mix)), own(&class_d, mix[DEATH]));
                let (ag, ad) = (cg.unwrap_or(ag), cd.unwrap_or(ad));
                let by = if cg.is_some() || cd.is_some() {
                    "the by-class file's"
                } else {
                    "the province's"
                };
                for p in &mut mix[1..=GRADES] {
                    *p = round6(*p * ag);
                }
                mix[DEATH] = round6(mix[DEATH] * ad);
                let rest = graded(mix) + mix[DEATH];
                if rest >= 1.0 {
                    b.keep(
                        format!("sectors[{s}].outcome_mix"),
                        "the fitted shares leave no medical-only cases in this class",
                    );
                    *mix = base.sectors[s].outcome_mix;
                    continue;
                }
                mix[0] = 1.0 - rest;
                b.edit(
                    format!("sectors[{s}].outcome_mix"),
                    mix_value(mix),
                    format!(
                        "fitted from history {}: graded × {}, death × {} from {by} shares (province graded {}, death {})",
                        years_text(years.0, years.1),
                        sig(ag),
                        sig(ad),
                        sig(g_hat),
                        sig(d_hat)
                    ),
                );
            }
        } else {
            b.keep(
                "sectors[*].outcome_mix",
                "no injuries, or the base has no graded or death cases",
            );
        }
    }

    // cost levels per case
    let q = mix_of(&mixes);
    let model_medical: f64 = (0..OUTCOMES)
        .map(|o| q[o] * base.claims.medical_cost[o])
        .sum();
    match (b.last(Series::Medical), b.last(Series::Injuries)) {
        (Some(m), Some(n)) if n > 0.0 && model_medical > 0.0 => {
            let f = m / n / model_medical;
            let mut cost = base.claims.medical_cost;
            for c in &mut cost {
                *c = round6(*c * f);
            }
            b.parameter(
                "medical cost per case",
                m / n,
                None,
                (y, y),
                1,
                "medical ÷ injuries",
            );
            b.edit("claims.medical_cost", mix_value(&cost), format!("from history {y}: base costs × {} so that the mean cost per case is medical ÷ injuries = {}", sig(f), sig(m / n)));
        }
        _ => b.keep(
            "claims.medical_cost",
            format!("medical or injuries unknown in {y}"),
        ),
    }
    match (b.last(Series::Investigation), b.last(Series::Injuries)) {
        (Some(v), Some(n)) if n > 0.0 => b.level(
            "claims.investigation_cost",
            v / n,
            "investigation ÷ injuries",
        ),
        _ => b.keep(
            "claims.investigation_cost",
            format!("investigation or injuries unknown in {y}"),
        ),
    }
    match (b.last(Series::Appraisal), b.last(Series::Graded)) {
        (Some(v), Some(n)) if n > 0.0 => {
            b.level("claims.appraisal_cost", v / n, "appraisal ÷ graded");
        }
        _ => b.keep(
            "claims.appraisal_cost",
            format!("appraisal or graded unknown in {y}"),
        ),
    }

    stocks(b, &q, tables.wage_factor);
    fund(b, &tables);
    targets(b);
    execution(b);
}

fn mix_value(p: &PerOutcome) -> Value {
    Value::Table(vec![
        ("medical_only".into(), Value::Number(round6(p[0]))),
        (
            "grades".into(),
            Value::Numbers(p[1..=GRADES].iter().map(|v| round6(*v)).collect()),
        ),
        ("death".into(), Value::Number(round6(p[DEATH]))),
    ])
}

/// Opening stocks and exit hazards from the heads and their joiners.
fn stocks(b: &mut Builder, q: &PerOutcome, wage_factor: Option<f64>) {
    let h = b.h;
    let base = b.base;
    let y = h.last_year();
    let gq = graded(q);
    // joiners a year per graded case (allowance, care) and per death (survivors)
    let allowance_per_graded = if gq > 0.0 {
        q[1..=4].iter().sum::<f64>() / gq
    } else {
        0.0
    };
    let care_per_graded = if gq > 0.0 {
        (0..4)
            .map(|g| q[1 + g] * base.benefits.care_share[g])
            .sum::<f64>()
            / gq
    } else {
        0.0
    };
    let table = [
        (
            Stock::Disability,
            Series::AllowanceHeads,
            Series::Graded,
            allowance_per_graded,
            "graded × the base's share of grades 1–4",
        ),
        (
            Stock::Care,
            Series::CareHeads,
            Series::Graded,
            care_per_graded,
            "graded × the base's share of grades 1–4 with care",
        ),
        (
            Stock::Survivors,
            Series::SurvivorHeads,
            Series::Deaths,
            base.benefits.dependants_per_death,
            "deaths × dependants per death",
        ),
    ];
    // the opening amounts are base-year levels: those set on own wages
    // (allowances, survivors' pensions) follow the contribution wages, the
    // living-care amounts the provincial average wage
    let aw_factor = b
        .last(Series::AverageWage)
        .map(|aw| aw / (12.0 * base.economy.average_monthly_wage));
    for (which, heads, source, per_case, joiners) in table {
        let stock = which.key();
        let amount_factor = if which == Stock::Care {
            aw_factor
        } else {
            wage_factor
        };
        let base_total: f64 = base.cities.iter().map(|c| which.opening_of(c).heads).sum();
        let heads_factor = b
            .last(heads)
            .filter(|_| base_total > 0.0)
            .map(|t| t / base_total);
        if heads_factor.is_some() || amount_factor.is_some() {
            let (fh, fa) = (heads_factor.unwrap_or(1.0), amount_factor.unwrap_or(1.0));
            for (c, city) in base.cities.iter().enumerate() {
                let o = which.opening_of(city);
                b.edit(
                    format!("cities[{c}].{stock}"),
                    Value::Table(vec![
                        ("heads".into(), Value::Number(round6(o.heads * fh))),
                        (
                            "monthly_amount".into(),
                            Value::Number(round6(o.monthly_amount * fa)),
                        ),
                    ]),
                    format!(
                        "from history {y}: heads × {}{}, amount × {} ({})",
                        sig(fh),
                        if heads_factor.is_some() {
                            format!(" ({})", heads.name())
                        } else {
                            " (heads unknown: base kept)".into()
                        },
                        sig(fa),
                        match (which, amount_factor.is_some()) {
                            (_, false) => "wages unknown: base kept",
                            (Stock::Care, true) => "the average wage's growth",
                            _ => "the contribution wages' growth",
                        }
                    ),
                );
            }
        }
        match (b.last(heads), heads_factor) {
            (Some(total), Some(_)) => b.parameter(
                &format!("{stock} heads (opening)"),
                total,
                None,
                (y, y),
                1,
                heads.name(),
            ),
            (Some(_), None) => b.keep(
                format!("cities[*].{stock}.heads"),
                "the base has no heads to scale",
            ),
            (None, _) => b.keep(
                format!("cities[*].{stock}.heads"),
                format!("{} unknown in {y}", heads.name()),
            ),
        }
        // annual exit rate q_t = (H_{t−1} + J_t − H_t) / (H_{t−1} + J_t / 2)
        let rates: Vec<(i32, f64)> = h
            .years()
            .skip(1)
            .filter_map(|t| {
                let (h0, h1, n) = (h.get(t - 1, heads)?, h.get(t, heads)?, h.get(t, source)?);
                let j = n * per_case;
                let exposed = h0 + 0.5 * j;
                (exposed > 0.0).then(|| (t, ((h0 + j - h1) / exposed).clamp(0.0, 0.999)))
            })
            .collect();
        let field = format!("stocks.{stock}_exit_hazard");
        if rates.len() < MIN_HAZARD_YEARS {
            b.keep(
                field,
                format!(
                    "{} years of {} with {} (at least {MIN_HAZARD_YEARS} are needed)",
                    rates.len(),
                    heads.name(),
                    source.name()
                ),
            );
            continue;
        }
        let n = rates.len() as f64;
        let mean = rates.iter().map(|r| r.1).sum::<f64>() / n;
        let sd = (rates.iter().map(|r| (r.1 - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let monthly = |a: f64| 1.0 - (1.0 - a).powf(1.0 / 12.0);
        let hz = monthly(mean);
        let se = (monthly((mean + sd / n.sqrt()).min(0.999)) - hz).abs();
        let years = (rates[0].0, rates[rates.len() - 1].0);
        b.fitted(
            &field,
            hz,
            Some(se),
            years,
            rates.len(),
            &format!(
                "annual exits (H₀ + J − H₁)/(H₀ + J/2), joiners J = {joiners}, as a monthly hazard"
            ),
        );
    }
}

/// The fund's base-year figures.
fn fund(b: &mut Builder, tables: &Tables) {
    let h = b.h;
    let y = h.last_year();
    match b.last(Series::Balance) {
        Some(v) => b.level(
            "fund.opening_balance",
            v,
            "balance at the end of the base year",
        ),
        None => b.keep("fund.opening_balance", format!("balance unknown in {y}")),
    }
    match b.last(Series::Premiums) {
        Some(v) => b.level("fund.base_year_premiums", v, "premiums"),
        None => b.keep(
            "fund.base_year_premiums",
            format!("premiums unknown in {y}"),
        ),
    }
    match h.expenditure(y) {
        Some(v) => b.level("fund.base_year_expenditure", v, "expenditure"),
        None => b.keep(
            "fund.base_year_expenditure",
            format!("expenditure unknown in {y}"),
        ),
    }
    for (s, field) in [
        (Series::FiscalSubsidy, "fund.fiscal_subsidy"),
        (Series::OtherIncome, "fund.other_income"),
        (Series::OtherExpenditure, "fund.other_expenditure"),
    ] {
        match b.last(s) {
            Some(v) => b.level(field, v, s.name()),
            None => b.keep(field, format!("{} unknown in {y}", s.name())),
        }
    }
    match (b.last(Series::Prevention), h.get(y - 1, Series::Premiums)) {
        (Some(p), Some(prem)) if prem > 0.0 => {
            let share = (p / prem).min(PREVENTION_CAP);
            b.level(
                "fund.prevention_share",
                share,
                "prevention ÷ the previous year's premiums (at most the legal 3 %)",
            );
        }
        _ => b.keep(
            "fund.prevention_share",
            format!("prevention in {y} or premiums in {} unknown", y - 1),
        ),
    }
    if let Some(m) = b.last(Series::RateMultiplier) {
        if matches!(b.base.policy, crate::model::policy::RatePolicy::None) && m != 1.0 {
            b.keep("fund.initial_multiplier", format!("the base's rate policy is `none`, which keeps the multiplier at 1 (history {y}: {m})"));
        } else {
            b.level(
                "fund.initial_multiplier",
                m,
                "rate_multiplier in force in the base year, kept for the first projection year",
            );
        }
    }
    // the collection rates: each city's own, from the by-city file's
    // premiums and payroll against the city's assessed rate
    let m = b.last(Series::RateMultiplier).unwrap_or(1.0);
    let by_city = b.parts.by_city;
    if let (Some(prem), Some(pay)) = (
        by_city.and_then(|p| p.all(y, Series::Premiums)),
        by_city.and_then(|p| p.all(y, Series::Payroll)),
    ) {
        let base = b.base;
        let mut capped = false;
        let mut above: Vec<(String, f64)> = Vec::new();
        for (c, (prem, pay)) in prem.iter().zip(&pay).enumerate() {
            let mut sums = (0.0, 0.0);
            add_assessed(base, &tables.insured[c], &tables.wages[c], &mut sums);
            let (due, payroll) = sums;
            if *pay <= 0.0 || due <= 0.0 {
                b.keep(
                    format!("cities[{c}].collection_rate"),
                    format!(
                        "the by-city file's {y} payroll is 0, or the city has no assessed premiums"
                    ),
                );
                continue;
            }
            let rate = due / payroll;
            let k = prem / (pay * rate * m);
            capped |= k > 1.0;
            if k > 1.0 {
                above.push((base.cities[c].name.clone(), k));
            }
            b.edit(
                format!("cities[{c}].collection_rate"),
                Value::Number(round6(k.min(1.0))),
                format!(
                    "from history {y}: the by-city file's premiums ÷ payroll ÷ the city's assessed rate {}",
                    sig(rate)
                ),
            );
        }
        if capped {
            b.keep("cities[*].collection_rate", "part of a city's fitted collection rate is above 1 and was held at 1: its premiums are above what the base's rates assess");
        }
        if let Some((name, k)) = above.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
            let whose = if above.len() == 1 {
                format!("{name}'s")
            } else {
                format!("{} cities' ({name}'s the most)", above.len())
            };
            b.warnings.push(above_assessment(y, &whose, *k));
        }
        return;
    }
    // else the observed premium rate of the province against the base's
    // assessed rate, applied to every city's κ̄
    let rate = assessed_rate(b.base);
    if let (Some(p), Some(w)) = (b.last(Series::Premiums), b.last(Series::Payroll))
        && w > 0.0
        && rate > 0.0
    {
        let base = b.base;
        let kappa_w: f64 = base
            .cities
            .iter()
            .map(|c| {
                c.collection_rate
                    * c.insured
                        .iter()
                        .zip(&c.monthly_wage)
                        .map(|(n, w)| n * w)
                        .sum::<f64>()
            })
            .sum::<f64>()
            / (base.base_payroll() / 12.0);
        let observed = p / (w * rate * m);
        let f = observed / kappa_w;
        let mut capped = false;
        for (c, city) in base.cities.iter().enumerate() {
            let k = city.collection_rate * f;
            capped |= k > 1.0;
            b.edit(
                format!("cities[{c}].collection_rate"),
                Value::Number(round6(k.min(1.0))),
                format!(
                    "from history {y}: base × {} (premiums ÷ payroll = {} of the assessed rate {})",
                    sig(f),
                    sig(observed),
                    sig(rate)
                ),
            );
        }
        b.parameter(
            "premiums ÷ (payroll × assessed rate)",
            observed,
            None,
            (y, y),
            1,
            "the base year's collection against the base's rates",
        );
        if capped {
            b.keep("cities[*].collection_rate", "part of the fitted collection rate is above 1 and was held at 1: the history's premiums are above what the base's rates assess");
        }
        // premiums above the full assessment no collection rate can match;
        // a city held at 1 below it loses only its own excess
        if observed > 1.0 {
            b.warnings
                .push(above_assessment(y, "the province's", observed));
        }
    }
}

/// The warning for premiums `times` what the base's rates assess on the
/// payroll (`whose`: the province's, a city's): no collection rate, held
/// at 1, can match them, so the scenario's premiums fall short.
fn above_assessment(y: i32, whose: &str, times: f64) -> String {
    format!(
        "{whose} {y} premiums are {} times what the base's benchmark and floating rates assess on its payroll, more than any collection rate (held at 1) can match, so the scenario's premiums fall short of the history's: the base's rates are not this fund's; set the base's [[sectors]] benchmark_rate and floating_factor to the fund's own (docs/calibration.md)",
        sig(times)
    )
}

/// `[calibration]` targets: the last history year's figures.
fn targets(b: &mut Builder) {
    let h = b.h;
    let y = h.last_year();
    let mut table = vec![("tolerance".to_string(), Value::Number(TARGET_TOLERANCE))];
    // amounts and counts to the cent, shares to six decimals: a share to
    // the cent would move a death share of 0.013 to 0.01, a third off
    let mut add = |k: &str, v: Option<f64>, round: fn(f64) -> f64| {
        if let Some(v) = v {
            table.push((k.to_string(), Value::Number(round(v))));
        }
    };
    add("insured", h.get(y, Series::Insured), round_cents);
    add("premium_income", h.get(y, Series::Premiums), round_cents);
    add("expenditure", h.expenditure(y), round_cents);
    add("opening_balance", h.get(y, Series::Balance), round_cents);
    add(
        "recognised_injuries",
        h.get(y, Series::Injuries),
        round_cents,
    );
    let share = |s: Series| Some(h.get(y, s)? / h.get(y, Series::Injuries).filter(|n| *n > 0.0)?);
    add("graded_share", share(Series::Graded), round_share);
    add("death_share", share(Series::Deaths), round_share);
    if table.len() > 1 {
        b.edit(
            "calibration",
            Value::Table(table),
            format!("the history's {y} figures; the first projection year, {}, is a year of growth later, hence the tolerance", y + 1),
        );
    } else {
        // the base's targets are another year's and another fund's
        b.edit("calibration", Value::Table(Vec::new()), "");
        b.keep(
            "calibration",
            format!("no target figure is known in {y}: the base's targets are removed"),
        );
    }
}

/// `[execution]`, the budget's 上年执行数: the last history year's lines,
/// its opening balance the year before's closing one. Written only when the
/// history gives every line the table needs (premiums, the three benefit
/// lines and both balances); the others are 0 when unknown, as the table's
/// defaults are.
fn execution(b: &mut Builder) {
    let h = b.h;
    let y = h.last_year();
    let needed = [
        Series::Premiums,
        Series::Medical,
        Series::Disability,
        Series::Death,
    ];
    let (Some(opening), true) = (
        h.get(y - 1, Series::Balance),
        needed.iter().all(|s| h.get(y, *s).is_some()),
    ) else {
        return;
    };
    let lines = [
        ("premiums", Series::Premiums),
        ("interest", Series::Interest),
        ("fiscal_subsidy", Series::FiscalSubsidy),
        ("other_income", Series::OtherIncome),
        ("medical", Series::Medical),
        ("disability", Series::Disability),
        ("death", Series::Death),
        ("investigation", Series::Investigation),
        ("appraisal", Series::Appraisal),
        ("prevention", Series::Prevention),
        ("other_expenditure", Series::OtherExpenditure),
    ];
    let mut table: Vec<(String, Value)> = lines
        .iter()
        .filter_map(|(k, s)| Some((k.to_string(), Value::Number(round_cents(h.get(y, *s)?)))))
        .collect();
    table.push((
        "opening_balance".into(),
        Value::Number(round_cents(opening)),
    ));
    b.edit(
        "execution",
        Value::Table(table),
        format!("the history's {y} lines, for the budget's 上年执行数; the opening balance is {}'s closing balance", y - 1),
    );
}

/// How the class frequencies and the city risks were set from the part
/// files, for the comments (`None`: the base's structure).
#[derive(Default)]
struct Structure {
    class: Option<String>,
    city: Option<String>,
}

/// Class frequencies `λ` and city risks `ρ` with the structure of the
/// by-class and by-city files: the expected cases `N ρ λ` of the written
/// insured table raked to each file's mean injuries per insured over the
/// window (× the base year's insured), `ρ` normalised to an insured-weighted
/// mean of 1. The level is set afterwards, from the province's f̂.
fn structure(b: &Builder, insured: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>, Structure) {
    let base = b.base;
    let lambda: Vec<f64> = base.sectors.iter().map(|s| s.frequency).collect();
    let rho: Vec<f64> = base.cities.iter().map(|c| c.relative_risk).collect();
    let class_f = part_ratios(b.parts.by_class, Series::Injuries, Series::Insured, WINDOW);
    let city_f = part_ratios(b.parts.by_city, Series::Injuries, Series::Insured, WINDOW);
    if class_f.is_none() && city_f.is_none() {
        return (lambda, rho, Structure::default());
    }
    let n_sectors = lambda.len();
    let col_n: Vec<f64> = (0..n_sectors)
        .map(|s| insured.iter().map(|r| r[s]).sum())
        .collect();
    let row_n: Vec<f64> = insured.iter().map(|r| r.iter().sum()).collect();
    let expected: Vec<Vec<f64>> = insured
        .iter()
        .zip(&rho)
        .map(|(r, rho)| r.iter().zip(&lambda).map(|(n, l)| n * rho * l).collect())
        .collect();
    let cols = class_f.map(|f| f.iter().zip(&col_n).map(|(f, n)| f * n).collect::<Vec<_>>());
    let rows = city_f.map(|f| f.iter().zip(&row_n).map(|(f, n)| f * n).collect::<Vec<_>>());
    let (a, k) = rake(&expected, rows.as_deref(), cols.as_deref());
    let total: f64 = row_n.iter().sum();
    let mean_rho = rho
        .iter()
        .zip(&a)
        .zip(&row_n)
        .map(|((r, a), n)| r * a * n)
        .sum::<f64>()
        / total;
    let rho: Vec<f64> = rho.iter().zip(&a).map(|(r, a)| r * a / mean_rho).collect();
    let lambda: Vec<f64> = lambda
        .iter()
        .zip(&k)
        .map(|(l, k)| l * k * mean_rho)
        .collect();
    let structure = Structure {
        class: cols.is_some().then(|| "the by-class file's injuries ÷ insured".to_string()),
        city: rows.is_some().then(|| {
            format!(
                "the by-city file's injuries ÷ insured against the class frequencies (mean of the last {WINDOW} years), relative to the province"
            )
        }),
    };
    (lambda, rho, structure)
}
