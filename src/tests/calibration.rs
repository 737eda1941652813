//! The calibration against histories the engine itself made: one Monte
//! Carlo path of a known scenario, folded into the history format, is all
//! the calibration sees; the fitted drivers and frequency must lie within
//! their standard errors of the truth as often as the errors promise.

use crate::analysis::calibrate::{self, Edit, Value};
use crate::input::{DEFAULT_TOML, Source, parse_scenario};
use crate::model::scenario::Scenario;
use crate::report::scenario_toml;
use crate::stats::history::simulated_history;

/// Years of a synthetic history.
pub(crate) const HISTORY_YEARS: i64 = 30;

fn edit(path: &str, value: Value) -> Edit {
    Edit {
        path: path.into(),
        value,
        comment: "truth".into(),
    }
}

/// The default scenario made identifiable from a province's totals: the
/// unmanaged rate policy (the multiplier stays 1), every class growing
/// with the common employment factor (β = 1, μN = μE), no catastrophes
/// and no parameter uncertainty (the frequency is the scenario's), medical
/// paid in the month of the injury, collection rates of 0.9 (so that the
/// clamp to 1 never binds) and a balance large enough to stay positive.
pub(crate) fn truth_scenario(extra: &[Edit]) -> Scenario {
    parse_scenario(&Source::new("truth".into(), truth_text(extra)))
        .expect("the truth scenario is valid")
}

/// The text of [`truth_scenario`].
fn truth_text(extra: &[Edit]) -> String {
    let base = parse_scenario(&Source::default_scenario()).expect("default");
    let mut edits = vec![
        edit("years", Value::Integer(HISTORY_YEARS)),
        edit("start_year", Value::Integer(1994)),
        edit(
            "policy",
            Value::Table(vec![("kind".into(), Value::Text("none".into()))]),
        ),
        edit("lags.payment_pattern", Value::Numbers(vec![1.0])),
        edit("fund.opening_balance", Value::Number(2e10)),
        edit("drivers.employment_growth.mean", Value::Number(0.01)),
    ];
    for s in 0..base.n_sectors() {
        for (k, v) in [
            ("catastrophe_rate", 0.0),
            ("frequency_cv", 0.0),
            ("employment_beta", 1.0),
            ("employment_growth", 0.01),
        ] {
            edits.push(edit(&format!("sectors[{s}].{k}"), Value::Number(v)));
        }
    }
    for c in 0..base.n_cities() {
        edits.push(edit(
            &format!("cities[{c}].collection_rate"),
            Value::Number(0.9),
        ));
    }
    edits.extend_from_slice(extra);
    scenario_toml::apply(DEFAULT_TOML, &edits, &[]).expect("edits apply")
}

/// One check: a fitted value, its standard error and the truth.
#[derive(Debug)]
struct Check {
    what: String,
    fitted: f64,
    se: f64,
    truth: f64,
}

fn checks(truth: &Scenario, seed: u64, path: u64) -> Vec<Check> {
    let h = simulated_history(truth, seed, path);
    let cal = calibrate::calibrate(&h, truth);
    let d = truth.drivers.as_array();
    let mut out = Vec::new();
    for (i, df) in cal.drivers.iter().enumerate() {
        let f = df
            .fit
            .as_ref()
            .unwrap_or_else(|| panic!("{} not fitted: {:?}", df.driver, df.reason));
        let true_sd = if i == 5 {
            truth.drivers.collection_shock.sd
        } else {
            d[i].sd
        };
        let true_mean = if i == 5 { 0.9 } else { d[i].mean };
        if let Some(se) = f.se_mean {
            out.push(Check {
                what: format!("{} mean", df.driver),
                fitted: f.mean,
                se,
                truth: true_mean,
            });
        }
        out.push(Check {
            what: format!("{} sd", df.driver),
            fitted: f.sd,
            se: f.se_sd,
            truth: true_sd,
        });
    }
    let freq = cal
        .parameters
        .iter()
        .find(|p| p.name.starts_with("frequency (province"))
        .expect("frequency fitted");
    let cases: f64 = (0..truth.n_sectors())
        .map(|s| {
            truth
                .cities
                .iter()
                .map(|c| c.insured[s] * c.relative_risk * truth.sectors[s].frequency)
                .sum::<f64>()
        })
        .sum();
    out.push(Check {
        what: "frequency".into(),
        fitted: freq.value,
        se: freq.se.expect("frequency se"),
        truth: cases / truth.base_insured(),
    });
    out
}

/// Across 24 simulated histories of 30 years (14 checks each: the mean
/// and sd of every driver that has a mean, the sd of the two shocks, the
/// collection ratio and the frequency), the fitted values lie within 3
/// standard errors of the truth as often as honest errors allow (at most
/// 4 of 336 beyond, the 99 % bound at 0.27 % each; measured: 3), and the
/// share within 2 standard errors is consistent with 95 %: inside the
/// two-sided 99 % binomial interval, 308–330 of 336 (measured: 322).
#[test]
fn calibration_recovers_the_truth_within_its_standard_errors() {
    let truth = truth_scenario(&[]);
    let mut all = Vec::new();
    for path in 0..24 {
        all.extend(checks(&truth, 2024, path));
    }
    let n = all.len();
    // a normal error lies beyond 3 se with probability 0.27 %: of 336
    // checks 0.9 are expected, and more than 4 has a probability below 1 %
    let beyond3: Vec<&Check> = all
        .iter()
        .filter(|c| (c.fitted - c.truth).abs() > 3.0 * c.se)
        .collect();
    let (_, most) = binomial_interval(n, 0.0027, 2.576);
    assert!(
        beyond3.len() <= most.max(4),
        "{} beyond 3 se (at most {most}): {beyond3:#?}",
        beyond3.len()
    );
    let within2 = all
        .iter()
        .filter(|c| (c.fitted - c.truth).abs() <= 2.0 * c.se)
        .count();
    let (lo, hi) = binomial_interval(n, 0.95, 2.576);
    let mut by_what = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    for c in &all {
        let e = by_what.entry(c.what.as_str()).or_default();
        e.0 += usize::from((c.fitted - c.truth).abs() <= 2.0 * c.se);
        e.1 += 1;
    }
    eprintln!(
        "{within2} of {n} within 2 se ({lo}–{hi}), {} beyond 3 se: {by_what:?}",
        beyond3.len()
    );
    assert!(
        (lo..=hi).contains(&within2),
        "{within2} of {n} within 2 se, expected {lo}–{hi}: {by_what:?}"
    );
}

/// The two-sided interval of a binomial(n, p) count at `z` standard
/// deviations (normal approximation), rounded outward.
pub(crate) fn binomial_interval(n: usize, p: f64, z: f64) -> (usize, usize) {
    let nf = n as f64;
    let sd = (nf * p * (1.0 - p)).sqrt();
    let lo = (nf * p - z * sd).floor().max(0.0) as usize;
    let hi = (nf * p + z * sd).ceil().min(nf) as usize;
    (lo, hi)
}

/// The shipped synthetic example, `scenarios/history/jiangxi-synthetic.csv`:
/// path 0 of the default scenario moved to 2010–2024 (seed 20100101), as
/// the fund would have published it. Regenerate with
/// `FUNDSIM_REGENERATE=1 cargo test --release --lib example_history`.
#[test]
fn example_history_is_the_engines() {
    let s = example_truth();
    let h = simulated_history(&s, 20100101, 0);
    let csv = crate::report::history_csv::history_csv(&h);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/history/jiangxi-synthetic.csv"
    );
    if std::env::var_os("FUNDSIM_REGENERATE").is_some() {
        std::fs::write(path, &csv).expect("write the example");
    }
    let shipped = std::fs::read_to_string(path).expect("the example is shipped");
    assert_eq!(
        shipped, csv,
        "the example differs from the engine's path: regenerate it"
    );
}

/// The default scenario, 15 years from 2010.
pub(crate) fn example_truth() -> Scenario {
    let edits = [
        edit("start_year", Value::Integer(2010)),
        edit("years", Value::Integer(15)),
    ];
    let text = scenario_toml::apply(DEFAULT_TOML, &edits, &[]).expect("edits apply");
    parse_scenario(&Source::new("example".into(), text)).expect("valid")
}

/// Back-tests of synthetic histories: 60 histories of 25 years from the
/// truth scenario (`sd_scale` multiplies every driver sd the calibration
/// writes, to show that the check has power), each calibrated on its first
/// 20 years and projected over the last 5 with 200 paths. From history i
/// one value is taken — measure i mod 6, horizon 1 + (i div 6) mod 5 — so
/// that the 60 placements are independent. Returns how many lie inside
/// their 90 % band.
fn synthetic_coverage(sd_scale: f64) -> (usize, usize) {
    use crate::analysis::backtest::{Measure, place};
    use crate::stats::history::simulate_histories;
    let years = [edit("years", Value::Integer(25))];
    let text = truth_text(&years);
    let truth = truth_scenario(&years);
    let mut inside = 0;
    let n = 60;
    for i in 0..n {
        let h = simulated_history(&truth, 777, i as u64);
        let origin = h.first_year + 19;
        let mut cal = calibrate::calibrate(&h.until(origin), &truth);
        for e in &mut cal.edits {
            if e.path.rsplit('.').next() == Some("sd")
                && let Value::Number(v) = &mut e.value
            {
                *v *= sd_scale;
            }
        }
        let text = scenario_toml::apply(&text, &cal.edits, &[]).expect("apply");
        let s = parse_scenario(&Source::new("cal".into(), text))
            .expect("valid")
            .with_years(5)
            .expect("5 years");
        let paths = simulate_histories(&s, 99, 0..200, Some(1)).expect("paths");
        let (placements, _) = place(&h, origin, &paths);
        let measure = Measure::ALL[i % 6];
        let horizon = 1 + ((i / 6) % 5) as i32;
        let p = placements
            .iter()
            .find(|p| p.measure == measure && p.horizon == horizon)
            .expect("a placement");
        inside += usize::from(p.in_90);
        if !p.in_90 {
            eprintln!(
                "outside: {} horizon {horizon} pit {:.3}",
                measure.name(),
                p.pit
            );
        }
    }
    (inside, n)
}

/// The 90 % bands of back-tests on synthetic histories cover the truth at
/// a rate consistent with 90 %: inside the exact 95 % binomial interval of
/// 60 independent placements, 49–58; with every driver sd written at 30 %
/// of its fit, the same check fails. Measured: 55 of 60, and 44 with the
/// narrowed sds (docs/calibration.md C.4). It takes about a minute.
#[test]
fn backtest_bands_cover_the_truth() {
    let (inside, n) = synthetic_coverage(1.0);
    let (lo, hi) = crate::analysis::backtest::binomial_interval(n, 0.9);
    let (narrow, _) = synthetic_coverage(0.3);
    eprintln!("coverage {inside} of {n} ({lo}–{hi}); with sd × 0.3: {narrow}");
    assert!(
        (lo..=hi).contains(&inside),
        "{inside} of {n} inside the 90 % bands, expected {lo}–{hi}"
    );
    assert!(
        narrow < lo,
        "too-small sds must fail the check: {narrow} of {n}"
    );
}

/// The property of [`any_accepted_history_calibrates_without_panic`] for
/// one list of `(row, column, kind)` changes to the example history.
fn history_changes_calibrate(
    changes: Vec<(usize, usize, usize)>,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/history/jiangxi-synthetic.csv"
    ))
    .unwrap();
    let mut lines: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    // the totals are left unknown, so that a changed line need not foot
    for row in &mut lines[2..] {
        for cell in &mut row[23..25] {
            cell.clear();
        }
    }
    for (row, col, kind) in changes {
        let cell = &mut lines[2 + row][1 + col];
        *cell = match kind {
            0 => String::new(),
            1 => "0".into(),
            2 => "1e9".into(),
            3 => "0.5".into(),
            4 => format!("{}", cell.parse::<f64>().unwrap_or(1.0) * 3.0),
            _ => "1".into(),
        };
    }
    let text = lines
        .iter()
        .map(|l| l.join(","))
        .collect::<Vec<_>>()
        .join("\n");
    let Ok(h) = crate::input::parse_history(&text, "fuzzed.csv") else {
        return Ok(());
    };
    let base = crate::input::default_scenario();
    let cal = calibrate::calibrate(&h, &base);
    let out = scenario_toml::apply(DEFAULT_TOML, &cal.edits, &[]).unwrap();
    match parse_scenario(&Source::new("out".into(), out)) {
        Err(e) => proptest::prop_assert!(e.to_string().contains(" = "), "{e}"),
        Ok(s) => {
            let months = crate::engine::expected_value(&s);
            // months of reserve are +∞ when nothing is paid (docs/model.md §6)
            let reserve = crate::model::lines::Line::ReserveMonths.index();
            for m in &months {
                let ok = m
                    .lines
                    .iter()
                    .enumerate()
                    .all(|(i, v)| v.is_finite() || (i == reserve && *v == f64::INFINITY));
                proptest::prop_assert!(ok, "month {}: {:?}", m.t, m.lines);
            }
        }
    }
    Ok(())
}

/// A case the property found in the test profile, whose debug assertions
/// check each month's accounting: with a class's payroll tripled in two
/// years and a cell of 1e9, month 100 has 9.3e9 yuan of income and
/// expenditure and a closing balance of 0 (gap sharing fills it). The two
/// sums differ by one unit in the last place (2e-6 yuan), which a
/// tolerance scaled by the balance alone refused.
#[test]
fn tripled_payrolls_and_a_huge_wage_calibrate() {
    history_changes_calibrate(vec![(1, 0, 4), (14, 0, 4), (14, 5, 2)]).unwrap();
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, failure_persistence: None, .. proptest::prelude::ProptestConfig::default() })]

    /// Any history the reader accepts — here the synthetic example with
    /// cells emptied, zeroed or set to extreme values — is calibrated
    /// without a panic; the written scenario is either refused with the
    /// field and value named (`field = value: …`) or valid, and then its
    /// expected-value projection is finite in every line and month (months
    /// of reserve may be +∞).
    #[test]
    fn any_accepted_history_calibrates_without_panic(
        changes in proptest::collection::vec((0usize..15, 0usize..22, 0usize..6), 0..40)
    ) {
        history_changes_calibrate(changes)?;

    }
}

/// A base year with no insured gives no frequency: the base's class
/// frequencies are kept and listed, never an infinite one written.
#[test]
fn a_zero_insured_year_keeps_the_base_frequency() {
    let s = example_truth();
    let mut h = simulated_history(&s, 20100101, 0);
    for row in &mut h.rows {
        row[crate::model::history::Series::Insured.index()] = Some(0.0);
    }
    let cal = calibrate::calibrate(&h, &s);
    assert!(cal.edits.iter().all(|e| e.value.is_finite()));
    assert!(!cal.edits.iter().any(|e| e.path == "sectors[0].frequency"));
    assert!(
        cal.kept.iter().any(|k| k.what == "sectors[*].frequency"),
        "{:?}",
        cal.kept
    );
}

/// A shorter history gives a wider frequency multiplier Λ: the cv written
/// is the relative standard error of the mean frequency, larger over 2
/// years than over the 5-year window of the full synthetic history.
#[test]
fn a_short_history_widens_the_frequency_uncertainty() {
    let s = example_truth();
    let h = simulated_history(&s, 20100101, 0);
    let cv = |h: &crate::model::history::History| {
        let cal = calibrate::calibrate(h, &s);
        cal.edits
            .iter()
            .find(|e| e.path == "sectors[0].frequency_cv")
            .and_then(|e| match e.value {
                Value::Number(v) => Some(v),
                _ => None,
            })
            .expect("frequency_cv written")
    };
    let long = cv(&h);
    let short = cv(&h.until(h.first_year + 1));
    assert!(short > 1.3 * long, "2 years {short}, 15 years {long}");
}

/// By-class and by-city files (docs/calibration.md B.4): the written
/// insured table has the by-city totals as its rows and the by-class
/// totals as its columns, each scaled to the province file's insured; the
/// payroll the same, at the province file's payroll; each class's expected cases per insured keep the by-class
/// file's ratios and each city's the by-city file's, at the province's
/// level f̂; the relative risks average 1 over the insured; each city's
/// collection rate is its premiums ÷ payroll ÷ its assessed rate; and the
/// scenario is valid.
#[test]
fn by_class_and_by_city_files_set_the_tables_and_the_structure() {
    use crate::analysis::calibrate::{Parts, calibrate_with};
    use crate::model::history::{History, N_SERIES, PartHistory, PartKind, Series};
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/history/jiangxi-synthetic.csv"
    ))
    .expect("shipped");
    let h = crate::input::parse_history(&text, "h.csv").expect("valid");
    let base = parse_scenario(&Source::default_scenario()).expect("default");
    let y = h.last_year();
    let years = 5;
    let part = |values: &dyn Fn(usize, i32) -> [(Series, f64); 5], i: usize| History {
        source: "p".into(),
        first_year: y - years + 1,
        rows: (0..years)
            .map(|k| {
                let mut row = [None; N_SERIES];
                for (s, v) in values(i, y - years + 1 + k) {
                    row[s.index()] = Some(v);
                }
                row
            })
            .collect(),
    };
    let n_s = base.n_sectors();
    let n_c = base.n_cities();
    let class_n: Vec<f64> = (0..n_s)
        .map(|s| base.cities.iter().map(|c| c.insured[s]).sum::<f64>() * (1.0 + 0.1 * s as f64))
        .collect();
    let class_f: Vec<f64> = (0..n_s)
        .map(|s| 0.004 * (1.0 + 0.5 * (s % 3) as f64))
        .collect();
    let class_values = |s: usize, _y: i32| {
        [
            (Series::Insured, class_n[s]),
            (
                Series::Payroll,
                class_n[s] * 60_000.0 * (1.0 + 0.05 * s as f64),
            ),
            (Series::Injuries, class_f[s] * class_n[s]),
            (
                Series::Graded,
                (0.2 + 0.02 * s as f64) * class_f[s] * class_n[s],
            ),
            (Series::Deaths, 0.002 * class_f[s] * class_n[s]),
        ]
    };
    let city_n: Vec<f64> = base
        .cities
        .iter()
        .map(|c| c.insured.iter().sum::<f64>() * 1.2)
        .collect();
    let city_f: Vec<f64> = (0..n_c)
        .map(|c| 0.005 * (1.0 + 0.1 * (c % 4) as f64))
        .collect();
    let city_pay: Vec<f64> = (0..n_c)
        .map(|c| city_n[c] * 55_000.0 * (1.0 + 0.02 * c as f64))
        .collect();
    let city_values = |c: usize, _y: i32| {
        [
            (Series::Insured, city_n[c]),
            (Series::Payroll, city_pay[c]),
            (Series::Injuries, city_f[c] * city_n[c]),
            (Series::Premiums, 0.004 * city_pay[c]),
            (Series::Deaths, 0.0),
        ]
    };
    let by_class = PartHistory {
        kind: PartKind::Class,
        source: "c".into(),
        parts: (0..n_s).map(|s| part(&class_values, s)).collect(),
    };
    let by_city = PartHistory {
        kind: PartKind::City,
        source: "t".into(),
        parts: (0..n_c).map(|c| part(&city_values, c)).collect(),
    };
    let parts = Parts {
        by_class: Some(&by_class),
        by_city: Some(&by_city),
    };
    let cal = calibrate_with(&h, parts, &base);
    let written = scenario_toml::apply(DEFAULT_TOML, &cal.edits, &[]).expect("apply");
    let s = parse_scenario(&Source::new("cal".into(), written)).expect("a valid scenario");
    let close = |a: f64, b: f64, what: &str| {
        assert!((a / b - 1.0).abs() < 1e-5, "{what}: {a} against {b}");
    };
    // the margins' structure at the province file's totals
    let total = h.get(y, Series::Insured).expect("known");
    let payroll = h.get(y, Series::Payroll).expect("known");
    let (city_total, class_total): (f64, f64) = (city_n.iter().sum(), class_n.iter().sum());
    let city_pay_total: f64 = city_pay.iter().sum();
    for (c, city) in s.cities.iter().enumerate() {
        close(
            city.insured.iter().sum(),
            city_n[c] * total / city_total,
            "city insured",
        );
        let pay: f64 = city
            .insured
            .iter()
            .zip(&city.monthly_wage)
            .map(|(n, w)| 12.0 * n * w)
            .sum();
        close(pay, city_pay[c] * payroll / city_pay_total, "city payroll");
    }
    for (sec, want) in class_n.iter().enumerate() {
        let n: f64 = s.cities.iter().map(|c| c.insured[sec]).sum();
        close(n, want * total / class_total, "class insured");
    }
    // cases per insured by class and by city, against the files' ratios
    let cases = |c: usize, sec: usize| {
        s.cities[c].insured[sec] * s.cities[c].relative_risk * s.sectors[sec].frequency
    };
    let class_rate = |sec: usize| {
        (0..n_c).map(|c| cases(c, sec)).sum::<f64>()
            / (0..n_c).map(|c| s.cities[c].insured[sec]).sum::<f64>()
    };
    let city_rate = |c: usize| {
        (0..n_s).map(|sec| cases(c, sec)).sum::<f64>() / s.cities[c].insured.iter().sum::<f64>()
    };
    for sec in 1..n_s {
        let (got, want) = (class_rate(sec) / class_rate(0), class_f[sec] / class_f[0]);
        assert!(
            (got / want - 1.0).abs() < 2e-3,
            "class {sec}: {got} against {want}"
        );
    }
    for c in 1..n_c {
        let (got, want) = (city_rate(c) / city_rate(0), city_f[c] / city_f[0]);
        assert!(
            (got / want - 1.0).abs() < 2e-3,
            "city {c}: {got} against {want}"
        );
    }
    let mean_rho: f64 = s
        .cities
        .iter()
        .map(|c| c.relative_risk * c.insured.iter().sum::<f64>())
        .sum::<f64>()
        / total;
    close(mean_rho, 1.0, "insured-weighted relative risk");
    // the province's level is the province history's f̂
    let f_hat = (y - 4..=y)
        .map(|t| h.get(t, Series::Injuries).unwrap() / h.get(t, Series::Insured).unwrap())
        .sum::<f64>()
        / 5.0;
    let all_cases: f64 = (0..n_c)
        .flat_map(|c| (0..n_s).map(move |sec| (c, sec)))
        .map(|(c, sec)| cases(c, sec))
        .sum();
    assert!(
        (all_cases / total / f_hat - 1.0).abs() < 1e-4,
        "{} against {f_hat}",
        all_cases / total
    );
    // each class's outcome mix has the by-class file's structure, at the
    // province's level: graded shares in the file's ratios, and one death
    // share for every class (the file's is uniform)
    let graded = |sec: usize| -> f64 {
        s.sectors[sec].outcome_mix[1..=crate::model::cases::GRADES]
            .iter()
            .sum()
    };
    let death = |sec: usize| s.sectors[sec].outcome_mix[crate::model::cases::DEATH];
    for sec in 1..n_s {
        let want = (0.2 + 0.02 * sec as f64) / 0.2;
        assert!(
            (graded(sec) / graded(0) / want - 1.0).abs() < 1e-4,
            "class {sec} graded"
        );
        assert!(
            (death(sec) / death(0) - 1.0).abs() < 1e-3,
            "class {sec} death"
        );
    }
    // each city's collection rate: premiums ÷ payroll ÷ its assessed rate
    for (c, city) in s.cities.iter().enumerate() {
        let (due, pay) = (0..n_s).fold((0.0, 0.0), |(d, p), sec| {
            let nw = city.insured[sec] * city.monthly_wage[sec];
            (
                d + nw * s.scheduled_rate(0, sec) * s.fund.initial_multiplier,
                p + nw,
            )
        });
        let want = (0.004 / (due / pay)).min(1.0);
        assert!(
            (city.collection_rate - want).abs() < 1e-5,
            "city {c}: {} against {want}",
            city.collection_rate
        );
    }
}

/// The `[calibration]` targets calibrate writes are the history's last
/// figures: the graded and death shares to six decimals, not to the cent
/// as amounts are (0.013 was written 0.01, a miss of a third the model was
/// then flagged for).
#[test]
fn the_target_shares_are_the_historys_own() {
    use crate::model::history::Series;
    let h = synthetic_history();
    let base = parse_scenario(&Source::default_scenario()).expect("default");
    let cal = calibrate::calibrate(&h, &base);
    let y = h.last_year();
    let written = |key: &str| written_number(&cal, "calibration", key);
    let injuries = h.get(y, Series::Injuries).expect("injuries");
    for (key, series) in [
        ("graded_share", Series::Graded),
        ("death_share", Series::Deaths),
    ] {
        let share = h.get(y, series).expect("in the history") / injuries;
        let found = written(key).expect(key);
        assert!((found - share).abs() <= 5e-7, "{key}: {found} for {share}");
        // the test has power only for a share that rounding to the cent moves
        let cent = (share * 100.0).round() / 100.0;
        assert!(
            (share - cent).abs() > 5e-7,
            "{key}: {share} is a whole cent"
        );
    }
}

/// Premiums above what the base's rates assess cannot be matched by a
/// collection rate held at 1: calibrate warns, naming the factor and what
/// to set in the base; a history the base's rates can match gets no warning.
#[test]
fn premiums_above_the_bases_rates_are_warned_of() {
    use crate::model::history::Series;
    let mut h = synthetic_history();
    let base = parse_scenario(&Source::default_scenario()).expect("default");
    assert!(calibrate::calibrate(&h, &base).warnings.is_empty());
    let scaled = |h: &crate::model::history::History, by: f64| {
        let mut h = h.clone();
        for row in &mut h.rows {
            if let Some(p) = row[Series::Premiums.index()].as_mut() {
                *p *= by;
            }
        }
        h
    };
    // premiums within the full assessment: a city's rate may be held at 1
    // (its excess is small), but no warning
    let cal = calibrate::calibrate(&scaled(&h, 1.10), &base);
    assert!(
        cal.kept
            .iter()
            .any(|k| k.what == "cities[*].collection_rate"),
        "a rate held at 1"
    );
    assert!(cal.warnings.is_empty(), "{:?}", cal.warnings);
    h = scaled(&h, 2.0);
    let warnings = calibrate::calibrate(&h, &base).warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("times what the base's benchmark and floating rates assess")
            && warnings[0].contains("benchmark_rate and floating_factor"),
        "{}",
        warnings[0]
    );
}

/// A by-city file whose city pays more than the base's rates assess on its
/// payroll is warned of by the city's name, with its ratio to the
/// assessment; two such cities by their count and the larger; none when
/// every city pays within its assessment.
#[test]
fn a_city_paying_above_the_bases_rates_is_warned_of() {
    use crate::analysis::calibrate::{Parts, calibrate_with};
    use crate::model::history::{History, N_SERIES, PartHistory, PartKind, Series};
    let h = synthetic_history();
    let base = parse_scenario(&Source::default_scenario()).expect("default");
    let y = h.last_year();
    let payroll = |c: usize| 1e9 * (1.0 + 0.1 * c as f64);
    let file = |premium_rate: &dyn Fn(usize) -> f64| PartHistory {
        kind: PartKind::City,
        source: "t".into(),
        parts: (0..base.n_cities())
            .map(|c| {
                let mut row = [None; N_SERIES];
                row[Series::Insured.index()] = Some(1e4);
                row[Series::Payroll.index()] = Some(payroll(c));
                row[Series::Premiums.index()] = Some(premium_rate(c) * payroll(c));
                History {
                    source: "t".into(),
                    first_year: y,
                    rows: vec![row],
                }
            })
            .collect(),
    };
    let calibrated = |f: &PartHistory| {
        let parts = Parts {
            by_class: None,
            by_city: Some(f),
        };
        calibrate_with(&h, parts, &base)
    };
    // premiums of 0.1 % of payroll, below any city's assessment: each
    // city's collection rate is 0.001 over its assessed rate
    let low = calibrated(&file(&|_| 0.001));
    assert!(low.warnings.is_empty(), "{:?}", low.warnings);
    let assessed: Vec<f64> = (0..base.n_cities())
        .map(|c| {
            let path = format!("cities[{c}].collection_rate");
            let e = low.edits.iter().find(|e| e.path == path).expect("fitted");
            let Value::Number(k) = e.value else {
                panic!("{path}: {:?}", e.value)
            };
            assert!(k < 1.0, "{path} = {k}");
            0.001 / k
        })
        .collect();
    let within = calibrated(&file(&|c| 0.9 * assessed[c]));
    assert!(within.warnings.is_empty(), "{:?}", within.warnings);
    let one = calibrated(&file(&|c| assessed[c] * if c == 2 { 3.0 } else { 0.9 }));
    assert_eq!(one.warnings.len(), 1, "{:?}", one.warnings);
    let name = &base.cities[2].name;
    assert!(
        one.warnings[0].starts_with(&format!("{name}'s {y} premiums are 3.00")),
        "{}",
        one.warnings[0]
    );
    let two = calibrated(&file(&|c| {
        assessed[c]
            * match c {
                2 => 3.0,
                5 => 1.5,
                _ => 0.9,
            }
    }));
    assert_eq!(two.warnings.len(), 1, "{:?}", two.warnings);
    assert!(
        two.warnings[0].starts_with(&format!(
            "2 cities' ({name}'s the most) {y} premiums are 3.00"
        )),
        "{}",
        two.warnings[0]
    );
}

/// calibrate writes `[execution]`, the budget's 上年执行数, from the last
/// history year: its lines, and the year before's balance as the opening
/// balance; a history without a benefit line gets none.
#[test]
fn the_last_history_year_is_the_budgets_execution() {
    use crate::model::history::Series;
    let mut h = synthetic_history();
    let base = parse_scenario(&Source::default_scenario()).expect("default");
    let y = h.last_year();
    let cal = calibrate::calibrate(&h, &base);
    let written = |key: &str| written_number(&cal, "execution", key);
    let cents = |v: f64| (v * 100.0).round() / 100.0;
    assert_eq!(written("premiums"), h.get(y, Series::Premiums).map(cents));
    assert_eq!(written("death"), h.get(y, Series::Death).map(cents));
    assert_eq!(
        written("opening_balance"),
        h.get(y - 1, Series::Balance).map(cents)
    );
    let last = h.rows.len() - 1;
    h.rows[last][Series::Disability.index()] = None;
    let cal = calibrate::calibrate(&h, &base);
    assert!(cal.edits.iter().all(|e| e.path != "execution"));
}

/// The shipped synthetic history of the default scenario.
fn synthetic_history() -> crate::model::history::History {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/history/jiangxi-synthetic.csv"
    ))
    .expect("shipped");
    crate::input::parse_history(&text, "h.csv").expect("valid")
}

/// The number a calibration writes as `key` of its table `table`.
fn written_number(cal: &calibrate::Calibration, table: &str, key: &str) -> Option<f64> {
    use crate::analysis::calibrate::Value;
    let edit = cal.edits.iter().find(|e| e.path == table)?;
    let Value::Table(rows) = &edit.value else {
        panic!("{table} is a table: {:?}", edit.value)
    };
    rows.iter().find(|(k, _)| k == key).map(|(_, v)| match v {
        Value::Number(x) => *x,
        other => panic!("{key}: {other:?}"),
    })
}

/// A series that never varies gives no persistence however many years it
/// has: wages growing by exactly a quarter a year (1.25 is exact in binary,
/// so every growth is the same number) keep the base's persistence and say
/// why, not that the pairs are too few.
#[test]
fn a_series_without_variation_keeps_the_base_persistence_and_says_why() {
    use crate::model::history::Series;
    let base = example_truth();
    let mut h = synthetic_history();
    let mut wage = 65_536.0;
    for row in &mut h.rows {
        row[Series::AverageWage.index()] = Some(wage);
        wage *= 1.25;
    }
    let cal = calibrate::calibrate(&h, &base);
    let kept = cal
        .kept
        .iter()
        .find(|k| k.what == "drivers.wage_growth.persistence")
        .unwrap_or_else(|| panic!("kept: {:?}", cal.kept));
    assert!(
        kept.reason.starts_with(
            "average_wage: 13 pairs of consecutive years, but nothing is left of its variation"
        ),
        "{}",
        kept.reason
    );
    assert!(
        !cal.edits
            .iter()
            .any(|e| e.path == "drivers.wage_growth.persistence"),
        "no persistence written"
    );
}

/// A driver mean past the format's bounds is written at the bound and
/// warned of: interest a hundred times the synthetic history's gives a
/// rate of 144 % a year, held at 50 %; the history as shipped warns of no
/// driver.
#[test]
fn a_mean_held_at_its_bound_is_warned_of() {
    use crate::model::history::Series;
    let base = example_truth();
    let h = synthetic_history();
    let bounded = |c: &calibrate::Calibration| {
        c.warnings
            .iter()
            .filter(|w| w.starts_with("drivers."))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        bounded(&calibrate::calibrate(&h, &base)),
        Vec::<String>::new()
    );
    let mut h = h;
    for row in &mut h.rows {
        if let Some(v) = row[Series::Interest.index()].as_mut() {
            *v *= 100.0;
        }
    }
    let warned = bounded(&calibrate::calibrate(&h, &base));
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(
        warned[0].starts_with(
            "drivers.interest_rate.mean: the history's interest / mean balance gives 1.4"
        ) && warned[0].contains("0.5000 was written"),
        "{}",
        warned[0]
    );
}
