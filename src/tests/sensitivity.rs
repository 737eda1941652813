//! The tornado's moves: each changes its own fields and nothing else, by
//! the documented step, in both directions; and on common random paths a
//! move of nothing changes nothing, path by path.

use super::support::{default_scenario, tiny};
use crate::analysis::sensitivity::{self, Input, Measure};
use crate::model::lines::Line;
use crate::stats::runner::{self, RunConfig};
use serde_json::Value;

/// Every leaf of a JSON value with its path, array indices written `[]`
/// (`sectors[].frequency`), the index kept apart for the comparison.
fn leaves(v: &Value, path: String, out: &mut Vec<(String, String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                leaves(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let mut sub = Vec::new();
                leaves(x, format!("{path}[]"), &mut sub);
                out.extend(
                    sub.into_iter()
                        .map(|(p, at, v)| (p, format!("{i}.{at}"), v)),
                );
            }
        }
        leaf => out.push((path, String::new(), leaf.clone())),
    }
}

/// The leaves that differ between two scenarios, by pattern path.
fn changed(
    a: &crate::model::scenario::Scenario,
    b: &crate::model::scenario::Scenario,
) -> Vec<String> {
    let mut la = Vec::new();
    let mut lb = Vec::new();
    leaves(&serde_json::to_value(a).unwrap(), String::new(), &mut la);
    leaves(&serde_json::to_value(b).unwrap(), String::new(), &mut lb);
    assert_eq!(la.len(), lb.len());
    la.iter()
        .zip(&lb)
        .filter(|(x, y)| x != y)
        .map(|(x, _)| x.0.clone())
        .collect()
}

/// On the Jiangxi scenario every move, down and up, changes at least one
/// value, and only values under its declared fields.
#[test]
fn each_move_changes_only_its_own_input() {
    let s = default_scenario();
    for input in Input::ALL {
        for up in [false, true] {
            let moved = input.apply(&s, up);
            let fields = changed(&s, &moved);
            assert!(!fields.is_empty(), "{input:?} up={up} changes nothing");
            for f in &fields {
                assert!(
                    input.fields().iter().any(|own| f.starts_with(own)),
                    "{input:?} up={up} changes {f}, not one of {:?}",
                    input.fields()
                );
            }
        }
    }
}

/// The steps as documented: a driver's mean by its sd, a level by 10 %,
/// the severe mix by 10 % with the outcome mix still summing to 1, the
/// collection rate by σκ.
#[test]
fn the_steps_are_the_documented_ones() {
    let s = default_scenario();
    let up = |i: Input| i.apply(&s, true);
    let down = |i: Input| i.apply(&s, false);
    let w = &s.drivers.wage_growth;
    assert!((up(Input::WageGrowth).drivers.wage_growth.mean - (w.mean + w.sd)).abs() < 1e-15);
    assert!((down(Input::WageGrowth).drivers.wage_growth.mean - (w.mean - w.sd)).abs() < 1e-15);
    let b = s.fund.opening_balance;
    assert!((up(Input::OpeningBalance).fund.opening_balance - 1.1 * b).abs() < 1e-6 * b);
    for (moved, factor) in [(up(Input::SevereMix), 1.1), (down(Input::SevereMix), 0.9)] {
        for (a, m) in s.sectors.iter().zip(&moved.sectors) {
            let sum: f64 = m.outcome_mix.iter().sum();
            assert!((sum - 1.0).abs() < 1e-12, "{sum}");
            assert!((m.outcome_mix[11] - factor * a.outcome_mix[11]).abs() < 1e-15);
            assert!((m.outcome_mix[1] - factor * a.outcome_mix[1]).abs() < 1e-15);
            assert_eq!(m.outcome_mix[5], a.outcome_mix[5], "grade 5 is not severe");
        }
    }
    let sd = s.drivers.collection_shock.sd;
    for (a, m) in s.cities.iter().zip(&up(Input::CollectionRate).cities) {
        assert!((m.collection_rate - (a.collection_rate + sd).min(1.0)).abs() < 1e-15);
    }
    // the employment move shifts every class's mean with the common factor
    let e = up(Input::EmploymentGrowth);
    let shift = s.drivers.employment_growth.sd;
    for (a, m) in s.sectors.iter().zip(&e.sectors) {
        assert!((m.employment_growth - a.employment_growth - shift).abs() < 1e-15);
    }
}

/// On the tiny scenario, whose drivers have no spread, the drivers' moves
/// are ±10 % of a mean of 0: nothing moves, and on common random numbers
/// their paired changes are exactly 0 with a standard error of 0.
#[test]
fn a_move_of_nothing_changes_nothing_on_common_paths() {
    let s = tiny();
    let config = one_thread(7, 200);
    let t = sensitivity::run(&s, Measure::AnyBreach, &config).unwrap();
    let wage = t
        .swings
        .iter()
        .find(|x| x.input == Input::WageGrowth)
        .unwrap();
    for e in [wage.down, wage.up] {
        assert_eq!(e.any_breach_change.difference, 0.0);
        assert_eq!(e.any_breach_change.se, 0.0);
        assert_eq!(e.balance_change.difference, 0.0);
    }
    // sorted by width, widest first
    let widths: Vec<f64> = t
        .swings
        .iter()
        .map(|x| x.width(Measure::AnyBreach))
        .collect();
    assert!(widths.windows(2).all(|w| w[0] >= w[1]), "{widths:?}");
}

/// The tornado's balances are the exact means every other output of the
/// same paths prints (a run of the scenario alone, and of a move alone),
/// and each change is the moved run's mean less the scenario's.
#[test]
fn balances_are_the_runs_own_means() {
    let s = tiny();
    let config = one_thread(4, 60);
    let t = sensitivity::run(&s, Measure::Balance, &config).unwrap();
    let last = s.years - 1;
    let alone = runner::run(&s, &config).unwrap();
    assert_eq!(t.balance, alone.mean(last, Line::ClosingBalance));
    let swing = t
        .swings
        .iter()
        .find(|x| x.input == Input::OpeningBalance)
        .unwrap();
    let moved = runner::run(&Input::OpeningBalance.apply(&s, true), &config).unwrap();
    assert_eq!(swing.up.balance, moved.mean(last, Line::ClosingBalance));
    let down = runner::run(&Input::OpeningBalance.apply(&s, false), &config).unwrap();
    assert_eq!(
        swing.down.balance_change.difference,
        down.mean(last, Line::ClosingBalance) - alone.mean(last, Line::ClosingBalance)
    );
}

/// A run of paths `0..paths` on one thread, without a progress bar.
fn one_thread(seed: u64, paths: u64) -> RunConfig {
    RunConfig {
        seed,
        paths: 0..paths,
        threads: Some(1),
        progress: false,
    }
}
