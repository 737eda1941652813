//! The scenario-wide limits of docs/limits.md, which no single field's
//! range can see: the expected cases a path can have in a year, the base
//! year's payroll, and how far mean growth compounds over the horizon.

use super::check::{Problem, show};
use super::limits::{MAX_AMOUNT, MAX_CASES_PER_YEAR, MAX_MEAN_COMPOUNDING};
use super::scenario::Scenario;

/// Expected new cases (injuries, plus catastrophe deaths) of year `k`
/// along the mean path: every sector's insured grown at its mean rate,
/// frequency at its mean, every random multiplier at 1.
pub(crate) fn expected_cases(s: &Scenario, k: usize) -> f64 {
    s.sectors
        .iter()
        .enumerate()
        .map(|(j, sec)| {
            let insured: f64 = s
                .cities
                .iter()
                .map(|c| c.insured[j] * c.relative_risk)
                .sum();
            let growth = (1.0 + sec.employment_growth).powi(k as i32);
            insured * growth * sec.frequency + sec.catastrophe_rate * sec.catastrophe_size
        })
        .sum()
}

/// The scenario-wide limits: what one field's range cannot see. Each
/// problem names the field to change.
pub(crate) fn check(s: &Scenario) -> Vec<Problem> {
    let mut problems = Vec::new();
    let h = s.years as i32;
    let (worst_year, worst) = (0..s.years)
        .map(|k| (k, expected_cases(s, k)))
        .fold((0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
    let before = expected_cases(s, 0) * s.claims.base_year_intensity;
    if before > MAX_CASES_PER_YEAR {
        problems.push(Problem {
            field: "claims.base_year_intensity".into(),
            value: format!(
                "{} ({before:.3e} expected cases in the base year)",
                show(s.claims.base_year_intensity)
            ),
            allowed: format!(
                "at most {MAX_CASES_PER_YEAR:e} expected cases in the base year (the cases before the start: {}'s cases × base_year_intensity)",
                s.start_year
            ),
        });
    }
    if worst > MAX_CASES_PER_YEAR {
        problems.push(Problem {
            field: "sectors".into(),
            value: format!(
                "{worst:.3e} expected cases in {}",
                s.start_year + worst_year as i32
            ),
            allowed: format!(
                "at most {MAX_CASES_PER_YEAR:e} expected cases a year (insured × relative_risk × frequency, grown at employment_growth, plus catastrophe_rate × catastrophe_size): beyond that a Monte Carlo path takes too long to draw"
            ),
        });
    }
    let payroll = s.base_payroll();
    if payroll > MAX_AMOUNT {
        problems.push(Problem {
            field: "cities".into(),
            value: format!("a payroll of {} yuan a year", show(payroll)),
            allowed: format!(
                "the base year's payroll (insured × monthly_wage × 12 over every city and sector) is at most {} yuan",
                show(MAX_AMOUNT)
            ),
        });
    }
    let d = &s.drivers;
    let means = [
        ("drivers.wage_growth.mean", d.wage_growth.mean),
        ("drivers.medical_inflation.mean", d.medical_inflation.mean),
        (
            "drivers.disposable_income_growth.mean",
            d.disposable_income_growth.mean,
        ),
        ("drivers.interest_rate.mean", d.interest_rate.mean),
    ]
    .into_iter()
    .map(|(f, m)| (f.to_string(), m))
    .chain(s.sectors.iter().enumerate().map(|(i, sec)| {
        (
            format!("sectors[{i}].employment_growth"),
            sec.employment_growth,
        )
    }));
    let largest = MAX_MEAN_COMPOUNDING.powf(1.0 / f64::from(h)) - 1.0;
    for (field, mean) in means {
        if (1.0 + mean).powi(h) > MAX_MEAN_COMPOUNDING {
            problems.push(Problem {
                field,
                value: show(mean),
                allowed: format!(
                    "at most {largest:.4} over {h} years: (1 + mean)^years may reach at most {MAX_MEAN_COMPOUNDING}, so that amounts stay within what the tool can add up"
                ),
            });
        }
    }
    problems
}
