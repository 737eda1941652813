//! The ranges derived from what the engine can compute (docs/limits.md):
//! each defect class of a value the engine could not compute is refused,
//! naming the field, the value and the range; draws and shocks are
//! truncated; a path beyond the sums' range stops the run.

use super::support::{TINY, months};
use crate::input::{InputError, Source, parse_overlay, parse_scenario};
use crate::model::limits::{MAX_CASES_PER_YEAR, MAX_RESERVE_MONTHS};
use crate::model::lines::Line;
use crate::model::policy::reserve_months;
use crate::stats::paths::PathSet;
use crate::stats::runner::shape;
use crate::stats::year::YearAccumulator;

/// The text of the default scenario.
const JIANGXI: &str = include_str!("../../scenarios/jiangxi-2025.toml");

/// The problems of a scenario text (empty when it is valid).
fn problems(text: &str) -> String {
    match parse_scenario(&Source::new("t.toml".into(), text.into())) {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

/// `from` replaced once by `to` in the tiny scenario must be refused with
/// every one of `needles` in the message.
#[track_caller]
fn refused(from: &str, to: &str, needles: &[&str]) {
    assert_eq!(TINY.matches(from).count(), 1, "{from} is not unique");
    let msg = problems(&TINY.replacen(from, to, 1));
    assert!(!msg.is_empty(), "{to} was accepted");
    for n in needles {
        assert!(msg.contains(n), "{to}: {n:?} not in {msg}");
    }
}

/// Values that validated before and then hung a Monte Carlo run or made it
/// overflow are refused, each naming its field and its range.
#[test]
fn unbounded_parameters_are_refused_with_their_range() {
    let sector = "outcome_mix = { medical_only";
    for (field, value, range) in [
        ("employment_beta", "1e15", "from -10 to 10"),
        ("employment_beta", "1000", "from -10 to 10"),
        ("catastrophe_rate", "1e15", "from 0 to 100"),
        ("catastrophe_size", "1e15", "from 1 to 100000"),
        ("catastrophe_size_shape", "1e-308", "from 0.01 to 10000"),
    ] {
        refused(
            sector,
            &format!("{field} = {value}\n{sector}"),
            &[&format!("sectors[0].{field}"), range],
        );
    }
    refused(
        "collection_rate = 1.0",
        "collection_rate = 1.0\nrelative_risk = 1e9",
        &["cities[0].relative_risk", "from 0 to 100"],
    );
    for v in ["1e36", "1e300"] {
        refused(
            "average_monthly_wage = 5000.0",
            &format!("average_monthly_wage = {v}"),
            &["economy.average_monthly_wage", "1,000,000"],
        );
        refused(
            "disposable_income = 50000.0",
            &format!("disposable_income = {v}"),
            &["economy.disposable_income", "1,000,000"],
        );
        refused(
            "opening_balance = 1000000.0",
            &format!("opening_balance = -{v}"),
            &["fund.opening_balance", "from -1e15 to 1e15"],
        );
    }
    refused(
        "[drivers.claim_intensity]\nsd = 0.0",
        "[drivers.claim_intensity]\nsd = 3.0",
        &["drivers.claim_intensity.sd", "from 0 to 0.5"],
    );
    refused(
        "appraisal_cost = 1000.0",
        "appraisal_cost = 1000.0\nbase_year_intensity = 11",
        &["claims.base_year_intensity", "from 0 to 10"],
    );
    // parameter uncertainty (docs/model.md §2.9): a mean's standard error
    // is at most the largest sd its mean allows, an sd's degrees of
    // freedom from 4 to 1e6, and a shock has no mean to be uncertain about
    refused(
        "[drivers.wage_growth]\nmean = 0.0",
        "[drivers.wage_growth]\nmean = 0.0\nmean_se = 0.2",
        &["drivers.wage_growth.mean_se = 0.2", "from 0 to 0.1282"],
    );
    for v in ["2", "-1", "1e9", "nan"] {
        refused(
            "[drivers.interest_rate]\nmean = 0.0",
            &format!("[drivers.interest_rate]\nmean = 0.0\nsd_df = {v}"),
            &["drivers.interest_rate.sd_df", "from 4 to 1e6"],
        );
    }
    refused(
        "[drivers.claim_intensity]\nsd = 0.0",
        "[drivers.claim_intensity]\nsd = 0.0\nmean_se = 0.01",
        &["drivers.claim_intensity", "mean_se"],
    );
}

/// A scenario whose every field is in range but whose cases a year would
/// take too long to draw is refused, naming the year.
#[test]
fn expected_cases_a_year_are_bounded() {
    // the default scenario has about 30,000 cases a year
    let s = crate::input::default_scenario();
    let cases = crate::model::feasible::expected_cases(&s, 0);
    assert!((29_000.0..31_000.0).contains(&cases), "{cases}");
    // 400 × the insured of every cell: each value in range, the total not
    let text = JIANGXI
        .lines()
        .map(|l| match l.strip_prefix("insured = [") {
            Some(rest) => {
                let list = rest.split(']').next().unwrap();
                let scaled: Vec<String> = list
                    .split(',')
                    .map(|v| (v.trim().parse::<f64>().unwrap() * 400.0).to_string())
                    .collect();
                format!("insured = [{}]", scaled.join(", "))
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let msg = problems(&text);
    assert!(msg.contains("expected cases in 20"), "{msg}");
    assert!(msg.contains("at most 1e7 expected cases a year"), "{msg}");
    assert!(MAX_CASES_PER_YEAR >= 300.0 * cases);
}

/// Mean growth that compounds beyond 1000× over the horizon is refused,
/// also when `--years` lengthens the horizon.
#[test]
fn mean_growth_compounding_is_bounded() {
    let short = TINY.replacen(
        "[drivers.wage_growth]\nmean = 0.0",
        "[drivers.wage_growth]\nmean = 0.2",
        1,
    );
    let msg = problems(&short.replacen("years = 3", "years = 50", 1));
    assert!(
        msg.contains("drivers.wage_growth.mean = 0.2") && msg.contains("0.1482"),
        "{msg}"
    );
    let s = parse_scenario(&Source::new("t.toml".into(), short)).expect("valid over 3 years");
    let p = s.with_years(50).unwrap_err();
    assert_eq!(p.field, "drivers.wage_growth.mean");
}

/// Reserve months are held within ±1e6 (a fund whose payments all but
/// stopped), so that their sums cannot overflow; no payments stays +∞.
#[test]
fn reserve_months_saturate() {
    assert_eq!(reserve_months(1e20, 1e-9), MAX_RESERVE_MONTHS);
    assert_eq!(reserve_months(-1e20, 1e-9), -MAX_RESERVE_MONTHS);
    assert_eq!(reserve_months(120.0, 10.0), 12.0);
    assert_eq!(reserve_months(1.0, 0.0), f64::INFINITY);
}

/// A path whose money goes beyond what the fixed-point sums hold stops the
/// run with the path, year and line, instead of wrapping.
#[test]
fn paths_beyond_the_sums_range_are_refused() {
    let s = super::support::tiny();
    let months = months(&s);
    let mut acc = YearAccumulator::new(&s);
    for m in &months {
        crate::engine::Observer::month(&mut acc, m);
    }
    let mut set = PathSet::with_capacity(shape(&s), 0, 2);
    assert!(set.record(&acc).is_ok());
    acc.years[1].lines[Line::ClosingBalance.index()] = 1e36;
    let err = set.record(&acc).unwrap_err();
    assert_eq!((err.path, err.year), (1, 2));
    assert!(err.to_string().contains("1e26"), "{err}");
    acc.years[1].lines[Line::ClosingBalance.index()] = f64::NAN;
    assert!(set.record(&acc).is_err());
    assert_eq!(set.paths(), 1);
}

/// An overlay's catastrophe deaths and shifts are bounded; a shift that
/// would take growth below −100 % is truncated like a draw, so insured
/// workers and payroll stay positive.
#[test]
fn overlay_values_are_bounded_and_truncated() {
    let s = crate::input::default_scenario();
    let overlay = |shock: &str| {
        let text = format!("name = \"x\"\n[[shock]]\nfrom = 2026\nto = 2030\n{shock}\n");
        parse_overlay(&Source::new("o.toml".into(), text), &s)
    };
    let city = &s.cities[0].name;
    let sector = &s.sectors[4].name;
    let err = overlay(&format!(
        "catastrophe = {{ sector = \"{sector}\", city = \"{city}\", deaths = 1e15 }}"
    ))
    .unwrap_err();
    assert!(matches!(err, InputError::Invalid { .. }));
    assert!(
        err.to_string().contains("shock[0].catastrophe.deaths"),
        "{err}"
    );
    for bad in [
        "wage_growth = -0.9",
        "interest_rate = 0.9",
        "benefit_indexation = -0.9",
        "employment_growth_shift = 2.0",
    ] {
        let err = overlay(bad).unwrap_err().to_string();
        assert!(err.contains(bad.split(' ').next().unwrap()), "{err}");
    }
    let stress = overlay("employment_growth_shift = -0.999999").expect("in range");
    let mut shocked = s.clone();
    shocked.stress = Some(stress.scaled(10.0));
    for r in &months(&shocked) {
        assert!(r.get(Line::Premiums) >= 0.0, "month {}", r.t);
        assert!(r.insured > 0.0, "month {}", r.t);
    }
}

/// A positive calibration target is at least 1e-6, so that the relative
/// error `model / target − 1` stays finite (it was `null` in summary.json
/// at 1e-308).
#[test]
fn calibration_targets_keep_the_relative_error_finite() {
    let from = "\nbeneficiaries = 43000.0";
    assert_eq!(JIANGXI.matches(from).count(), 1);
    let text = JIANGXI.replacen(from, "\nbeneficiaries = 1e-308", 1);
    let msg = problems(&text);
    assert!(
        msg.contains("calibration.beneficiaries") && msg.contains("from 1e-6 to 1e15"),
        "{msg}"
    );
}

/// A share of a subnormal count of cases is 0, not infinite.
#[test]
fn calibration_shares_of_subnormal_cases_are_finite() {
    use crate::analysis::calibration::calibration_value;
    use crate::model::scenario::CalibrationTarget;
    let s = super::support::tiny();
    let mut acc = YearAccumulator::new(&s);
    let year = &mut acc.years[0];
    year.cases = 2.2e-308;
    year.graded = 3.0;
    assert_eq!(
        calibration_value(&s, year, CalibrationTarget::GradedShare),
        0.0
    );
    year.cases = 10.0;
    assert_eq!(
        calibration_value(&s, year, CalibrationTarget::GradedShare),
        0.3
    );
}

/// The wages the model divides by are at least a yuan: the fuzzer found
/// `average_monthly_wage = 2.2e-308` gave an infinite expenditure (`null`
/// as `calibration[2].model_value` in summary.json). At the bound itself
/// every month's books are finite.
#[test]
fn wages_the_model_divides_by_are_at_least_a_yuan() {
    for (field, value) in [
        ("average_monthly_wage = 5000.0", "2.2250738585072014e-308"),
        ("average_monthly_wage = 5000.0", "0.5"),
        ("disposable_income = 50000.0", "1e-300"),
    ] {
        let name = field.split(" =").next().unwrap();
        refused(
            field,
            &format!("{name} = {value}"),
            &[&format!("economy.{name} = {value}"), "from 1 to 1,000,000"],
        );
    }
    let text = TINY
        .replacen(
            "average_monthly_wage = 5000.0",
            "average_monthly_wage = 1.0",
            1,
        )
        .replacen("disposable_income = 50000.0", "disposable_income = 1.0", 1);
    let s = super::support::scenario(&text);
    for m in months(&s) {
        assert!(m.lines.iter().all(|v| v.is_finite()), "{:?}", m.lines);
    }
}

/// A path count whose statistics cannot be held is an error that says how
/// much memory they need, not an abort; a count that fits gets its room.
#[test]
fn paths_beyond_memory_are_an_error() {
    let s = super::support::default_scenario();
    let shape = shape(&s);
    // 2⁵⁰ paths need about 10¹⁸ bytes: beyond any address space
    let err = PathSet::try_with_capacity(shape, 0, 1 << 50).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("1125899906842624 paths need about") && text.contains("964 bytes a path"),
        "{text}"
    );
    let err = PathSet::try_with_capacity(shape, 0, u64::MAX).unwrap_err();
    assert!(err.to_string().contains("964 bytes a path"), "{err}");
    let set = PathSet::try_with_capacity(shape, 0, 1000).unwrap();
    assert_eq!(set.paths(), 0);
}
