//! What the engine can compute: the ceilings every documented range of a
//! scenario, overlay, schedule, actuals file and flag is derived from
//! (docs/limits.md), and the scenario-wide checks that follow from them —
//! the expected cases a path can have, the aggregate payroll and how far
//! mean growth compounds over the horizon. Per-field ranges are applied
//! where each field is read; this module owns the numbers behind them.

use super::check::{Problem, show};
use super::scenario::Scenario;

/// Most paths of one run (`--paths`).
pub(crate) const MAX_PATHS: u64 = 100_000_000;
/// Longest horizon, in years.
pub(crate) const MAX_YEARS: usize = 50;
/// Largest aggregate amount a file gives, in yuan (a balance, a year's
/// premiums or expenditure, an actual to date): 1e15 yuan is about eight
/// times China's GDP.
pub(crate) const MAX_AMOUNT: f64 = 1e15;
/// Largest amount for one person or case, in yuan (a monthly wage, a
/// yearly disposable income, a monthly benefit, a cost per case).
pub(crate) const MAX_PER_PERSON: f64 = 1e6;
/// Largest insured head count of one city and sector.
pub(crate) const MAX_INSURED: f64 = 1e9;
/// Largest opening stock of one city (each head's exit is drawn).
pub(crate) const MAX_STOCK_HEADS: f64 = 1e7;
/// Largest expected number of new cases (injuries and catastrophe deaths)
/// in any year of the horizon, along the mean path: about 330 times the
/// default scenario, 8 times all of China's recognised injuries.
pub(crate) const MAX_CASES_PER_YEAR: f64 = 1e7;
/// Largest deaths of one catastrophe, drawn or forced by an overlay.
pub(crate) const MAX_CATASTROPHE_DEATHS: f64 = 1e5;
/// Largest factor by which the mean of any growth driver (or the interest
/// rate) may compound over the horizon: `(1 + mean)^years ≤ 1000`.
pub(crate) const MAX_MEAN_COMPOUNDING: f64 = 1e3;
/// Largest value of one money line of one path and year that the
/// statistics add up, in yuan. Sums are fixed point in fen (`i128`, at most
/// 1.7e38): 1e8 paths × 50 years × 1e26 yuan × 100 fen = 5e36, with room
/// for adding lines; an `f32` copy (at most 3.4e38) and a table's decimal
/// (at most 7.9e28) hold it too. The mean path of a valid scenario stays
/// below 5e25 (docs/limits.md).
pub(crate) const MAX_MONEY_VALUE: f64 = 1e26;
/// Reserve months beyond this count as unlimited, like a fund with no
/// payments: 1e6 months is more than 80,000 years of payments.
pub(crate) const MAX_RESERVE_MONTHS: f64 = 1e6;

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

/// Whether a money value of one path and year can be added up exactly.
pub(crate) fn money_in_range(v: f64) -> bool {
    v.abs() <= MAX_MONEY_VALUE
}
