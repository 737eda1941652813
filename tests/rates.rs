//! Rate schedules, stability rules and the rate solver (issue 4), on common
//! random numbers: the same seed and path indices for every variant.

use assert_cmd::Command;
use fundsim::lines::{Line, N_LINES};
use fundsim::rates::{self, PathMeasures, SolveBounds, SolveBy, Variant};
use fundsim::runner::{self, RunConfig};
use fundsim::scenario::{Band, BandAction, RatePolicy, Scenario, Stability};
use std::fs;

fn default() -> Scenario {
    Scenario::load(None).unwrap().scenario
}

fn config(paths: u64) -> RunConfig {
    RunConfig {
        seed: 11,
        paths: 0..paths,
        threads: None,
        progress: false,
    }
}

fn any_breach(s: &Scenario, factor: f64, paths: u64) -> f64 {
    let set = runner::run(&rates::scale_rates(s, factor), &config(paths)).unwrap();
    let m = PathMeasures::of(&set, &rates::scale_rates(s, factor));
    m.breach_any.iter().filter(|b| **b).count() as f64 / set.paths as f64
}

/// The solver's multiplier meets the target, and the multiplier smaller by
/// the solver's tolerance does not, on the same paths.
#[test]
fn solver_meets_target_and_tolerance_below_does_not() {
    let s = default();
    let bounds = SolveBounds {
        min: 0.8,
        max: 2.0,
        tolerance: 0.01,
    };
    let sol = rates::solve(&s, &SolveBy::Uniform, 0.10, bounds, &config(300)).unwrap();
    assert_eq!(sol.binding, "target", "{sol:?}");
    assert!(sol.achieved <= 0.10);
    assert!(any_breach(&s, sol.multiplier, 300) <= 0.10);
    let below = sol.below.expect("a bracket below");
    assert!(sol.multiplier - below <= bounds.tolerance + 1e-12);
    assert!(any_breach(&s, sol.multiplier - bounds.tolerance, 300) > 0.10);
}

/// A target no multiplier in range can meet binds at the cap; one met at the
/// lowest multiplier binds at the floor.
#[test]
fn solver_reports_the_binding_bound() {
    let s = default();
    let cap = rates::solve(
        &s,
        &SolveBy::Uniform,
        0.001,
        SolveBounds {
            min: 0.5,
            max: 0.6,
            tolerance: 0.01,
        },
        &config(200),
    )
    .unwrap();
    assert_eq!(cap.binding, "cap");
    assert!(cap.achieved > 0.001);
    let floor = rates::solve(
        &s,
        &SolveBy::Uniform,
        0.9,
        SolveBounds {
            min: 1.5,
            max: 2.0,
            tolerance: 0.01,
        },
        &config(200),
    )
    .unwrap();
    assert_eq!(floor.binding, "floor");
}

/// `--by class`: class rates follow the indicated rates within each
/// class's floating band; the solution meets the target, and a value
/// smaller by the tolerance does not.
#[test]
fn class_solver_keeps_the_bands() {
    let s = default();
    let base = runner::run(&s, &config(300)).unwrap();
    let indicated: Vec<f64> = rates::indicated_rates(&s, &base)
        .iter()
        .map(|r| r.indicated)
        .collect();
    let by = SolveBy::Class { indicated };
    let bounds = SolveBounds {
        min: 0.5,
        max: 4.0,
        tolerance: 0.01,
    };
    let sol = rates::solve(&s, &by, 0.10, bounds, &config(300)).unwrap();
    assert!(sol.binding == "target" || sol.binding == "band", "{sol:?}");
    assert!(sol.achieved <= 0.10);
    for (m, sector) in sol.class_multipliers.iter().zip(&s.sectors) {
        assert!(*m >= sector.floating_band[0] - 1e-12 && *m <= sector.floating_band[1] + 1e-12);
    }
    let p = |u: f64| {
        let scenario = by.apply(&s, u);
        let set = runner::run(&scenario, &config(300)).unwrap();
        let m = PathMeasures::of(&set, &scenario);
        m.breach_any.iter().filter(|b| **b).count() as f64 / 300.0
    };
    assert!(p(sol.multiplier) <= 0.10);
    assert!(p(sol.multiplier - bounds.tolerance) > 0.10);
}

/// On the same paths a higher uniform multiplier never raises the
/// probability of a breach (the default policy only acts below the rule).
#[test]
fn higher_multiplier_never_raises_breach_probability() {
    let s = default();
    let mut previous = f64::INFINITY;
    for factor in [0.8, 0.9, 1.0, 1.05, 1.1, 1.2, 1.4] {
        let p = any_breach(&s, factor, 300);
        assert!(
            p <= previous,
            "P(breach) rose from {previous} to {p} at {factor}"
        );
        previous = p;
    }
    assert!(previous < 0.5, "the test should span a real range");
}

/// Rate volatility counts a schedule's steps: a phased rise (+5 % in 2026,
/// +10 % in 2028) on a policy that never moves has a mean yearly change of
/// (0.05 + 0.05) / 9 of the rate level.
#[test]
fn volatility_counts_schedule_steps() {
    let mut s = default();
    s.policy = RatePolicy::None;
    let text = fs::read_to_string("scenarios/rates/rise-2026-phased.toml").unwrap();
    let candidate = s.candidate_from_toml(&text, "phased.toml").unwrap();
    let base = rates::run_variant(Variant::baseline(&s), &config(20)).unwrap();
    let run = rates::run_variant(Variant::candidate(&s, &candidate), &config(20)).unwrap();
    let e = rates::evaluate(&run, &base);
    assert!(
        (e.multiplier_volatility - 0.1 / 9.0).abs() < 1e-6,
        "{}",
        e.multiplier_volatility
    );
    assert_eq!(rates::evaluate(&base, &base).multiplier_volatility, 0.0);
}

/// The paired standard error of a difference is smaller than the unpaired
/// one for a candidate run on the same paths as the baseline.
#[test]
fn paired_standard_error_is_smaller() {
    let s = default();
    let base = rates::run_variant(Variant::baseline(&s), &config(400)).unwrap();
    let text = fs::read_to_string("scenarios/rates/rise-2027.toml").unwrap();
    let candidate = s.candidate_from_toml(&text, "rise-2027.toml").unwrap();
    let run = rates::run_variant(Variant::candidate(&s, &candidate), &config(400)).unwrap();
    let e = rates::evaluate(&run, &base);
    assert!(
        e.difference_any.difference < 0.0,
        "a rise lowers the chance of a breach"
    );
    assert!(
        e.difference_any.se < e.difference_any.se_unpaired,
        "{:?}",
        e.difference_any
    );
    assert!(e.premiums_change_total > 0.0);
    // the baseline against itself: no difference, no error
    let b = rates::evaluate(&base, &base);
    assert_eq!(b.difference_any.difference, 0.0);
    assert_eq!(b.difference_any.se, 0.0);
}

/// A schedule changes rates from its year only: a +10 % change from 2027
/// leaves 2025–2026 premiums identical to the baseline's on every path.
#[test]
fn a_schedule_acts_from_its_year() {
    let s = default();
    let text = fs::read_to_string("scenarios/rates/rise-2027.toml").unwrap();
    let candidate = s.candidate_from_toml(&text, "rise-2027.toml").unwrap();
    let changed = s.with_candidate(&candidate);
    for c in 0..s.n_sectors() {
        assert_eq!(changed.scheduled_rate(0, c), s.scheduled_rate(0, c));
        assert_eq!(changed.scheduled_rate(1, c), s.scheduled_rate(1, c));
        assert!((changed.scheduled_rate(2, c) / s.scheduled_rate(2, c) - 1.1).abs() < 1e-12);
    }
    let a = runner::run(&s, &config(50)).unwrap();
    let b = runner::run(&changed, &config(50)).unwrap();
    let per_path = s.years * N_LINES;
    for (pa, pb) in a.lines.chunks(per_path).zip(b.lines.chunks(per_path)) {
        for k in 0..2 {
            let i = k * N_LINES + Line::Premiums.index();
            assert_eq!(pa[i], pb[i], "premiums of year {k}");
        }
    }
}

/// Stability rules: with a cap of ±5 % a year and a ceiling of 1.12, no
/// path's multiplier moves more than 5 % from one year to the next or
/// passes the ceiling, although the bands ask for +20 % raises.
#[test]
fn stability_caps_are_never_exceeded() {
    let mut s = default();
    s.policy = RatePolicy::Bands {
        bands: vec![
            Band {
                lower: f64::NEG_INFINITY,
                upper: 14.0,
                action: BandAction::Raise {
                    step: 0.2,
                    cap: 3.0,
                },
                years_in_a_row: 1,
            },
            Band {
                lower: 20.0,
                upper: f64::INFINITY,
                action: BandAction::Set { factor: 0.5 },
                years_in_a_row: 1,
            },
        ],
        stability: Stability {
            max_change: Some(0.05),
            floor: 0.9,
            ceiling: 1.12,
        },
    };
    let set = runner::run(&s, &config(300)).unwrap();
    let per_path = s.years * N_LINES;
    let mut moved = false;
    for path in set.lines.chunks(per_path) {
        let m = |k: usize| f64::from(path[k * N_LINES + Line::RateMultiplier.index()]);
        for k in 1..s.years {
            let change = m(k) / m(k - 1) - 1.0;
            assert!(change.abs() <= 0.05 + 1e-6, "a change of {change}");
            assert!(
                m(k) <= 1.12 + 1e-6 && m(k) >= 0.9 - 1e-6,
                "multiplier {}",
                m(k)
            );
            moved |= change.abs() > 0.01;
        }
    }
    assert!(moved, "the bands should have acted on some path");
}

/// The national-cut preset sets 0.8 at 18–23 months and 0.5 from 24, and
/// restores 1.0 below 18.
#[test]
fn national_cut_preset() {
    let text = include_str!("../scenarios/tiny.toml").replace(
        "[policy]\nkind = \"none\"",
        "[policy]\nkind = \"bands\"\npreset = \"national_cut\"\n[[policy.bands]]\nupper = 18\naction = \"set\"\nfactor = 1.0",
    );
    let s = Scenario::from_toml(&text, "tiny-cut.toml").unwrap();
    let RatePolicy::Bands { bands, .. } = &s.policy else {
        panic!("bands expected")
    };
    assert_eq!(bands.len(), 4);
    assert_eq!(bands[1].action, BandAction::Set { factor: 0.5 });
    assert_eq!(bands[2].action, BandAction::Set { factor: 0.8 });
    assert_eq!((bands[2].lower, bands[2].upper), (18.0, 24.0));
    assert_eq!(
        bands[3].action,
        BandAction::Set { factor: 1.0 },
        "the cut stops below 18 months"
    );
    // an own band covering 18 months and more would switch the preset off: refused
    let covering = include_str!("../scenarios/tiny.toml").replace(
        "[policy]\nkind = \"none\"",
        "[policy]\nkind = \"bands\"\npreset = \"national_cut\"\n[[policy.bands]]\nlower = 12\naction = \"hold\"",
    );
    let msg = Scenario::from_toml(&covering, "tiny-covering.toml")
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("policy.preset") && msg.contains("would never act"),
        "{msg}"
    );
}

/// A schedule outside the floating bands is refused, with the field, the
/// class and the year named (exit code 2).
#[test]
fn schedule_outside_the_bands_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    fs::write(
        &bad,
        "name = \"bad\"\n[[schedule]]\nyear = 2027\nfloating_factors = [0.8, 1, 1, 1, 1, 1, 1, 1.6]\n",
    )
    .unwrap();
    let out = Command::cargo_bin("fundsim")
        .unwrap()
        .args(["rates", "--paths", "10", "--out"])
        .arg(dir.path().join("out"))
        .arg("--schedule")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("schedule[0].floating_factors[0] = 0.8"),
        "{err}"
    );
    assert!(err.contains("一类 in 2027"), "{err}");
    assert!(
        err.contains("schedule[0].floating_factors[7] = 1.6"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
    // a year past the horizon and an unknown field are refused too
    fs::write(
        &bad,
        "name = \"late\"\n[[schedule]]\nyear = 2040\nmultiplier = 1.1\n",
    )
    .unwrap();
    let out = Command::cargo_bin("fundsim")
        .unwrap()
        .args(["rates", "--paths", "10", "--schedule"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("schedule[0].year = 2040"));
    fs::write(
        &bad,
        "name = \"typo\"\n[[schedule]]\nyear = 2027\nmultiplyer = 1.1\n",
    )
    .unwrap();
    let out = Command::cargo_bin("fundsim")
        .unwrap()
        .args(["rates", "--paths", "10", "--schedule"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("multiplyer"));
}

/// `fundsim rates` writes its four files with the fields the issue names.
#[test]
fn rates_command_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rates");
    Command::cargo_bin("fundsim")
        .unwrap()
        .args([
            "rates",
            "scenarios/tiny.toml",
            "--paths",
            "200",
            "--solve",
            "--target",
            "0.2",
            "--min",
            "0.2",
            "--max",
            "2",
            "-q",
            "--out",
        ])
        .arg(&out)
        .args(["--schedule", "tests/data/tiny-rise.toml"])
        .assert()
        .success();
    for f in ["rates.json", "rates.csv", "rates.md", "rates.svg"] {
        assert!(out.join(f).exists(), "{f}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("rates.json")).unwrap()).unwrap();
    let c = &json["candidates"];
    assert_eq!(c[0]["name"], "baseline");
    assert_eq!(c[1]["name"], "tiny-rise");
    for key in ["breach_probability_any", "breach_probability_any_se"] {
        assert!(c[1][key].is_number(), "{key}");
    }
    for key in ["target", "multiplier", "achieved", "achieved_se", "binding"] {
        assert!(!json["solve"][key].is_null(), "solve.{key}");
    }
    let md = fs::read_to_string(out.join("rates.md")).unwrap();
    assert!(md.contains("tiny-rise") && md.contains("Indicated rates"));
}
