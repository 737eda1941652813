//! The analyses on common random numbers: rate schedules, stability rules
//! and the rate solver; stress overlays and gap sharing; the budget draft,
//! its funding plan and the in-year reforecast.

use super::support::*;
use crate::analysis::budget::Budget;
use crate::analysis::budget::plan::Pattern;
use crate::analysis::budget::reforecast::reforecast;
use crate::analysis::rates::{self, SolveBounds, SolveBy, Variant, scale_classes};
use crate::analysis::stress::{self as stress_analysis, PairResult};
use crate::engine::MonthRecord;
use crate::input::{
    InputError, Source, parse_overlay, parse_scenario, read_candidate, read_overlay,
};
use crate::model::actuals::{ACTUAL_LINES, Actuals};
use crate::model::breakdown::Part;
use crate::model::lines::{Line, N_LINES};
use crate::model::policy::{Band, BandAction, RatePolicy, Stability};
use crate::model::scenario::Scenario;
use crate::report::budget::Tables;
use crate::report::units::Unit;
use crate::stats::runner::{self, RunConfig};
use crate::stats::year::{YearAccumulator, YearRecord};
use rust_decimal::Decimal;
use std::path::Path;

fn config(seed: u64, paths: u64) -> RunConfig {
    RunConfig {
        seed,
        paths: 0..paths,
        threads: None,
        progress: false,
    }
}

/// The paths of `config(seed, paths)` on `s`, recorded for replays.
fn recorded(s: &Scenario, seed: u64, paths: u64) -> runner::Recorded {
    runner::Recorded::new(s, &config(seed, paths)).unwrap()
}

// ---------------------------------------------------------------- rates

fn scaled(s: &Scenario, factor: f64) -> Scenario {
    scale_classes(s, &vec![factor; s.n_sectors()])
}

fn any_breach(s: &Scenario, factor: f64, paths: u64) -> f64 {
    runner::run(&scaled(s, factor), &config(11, paths))
        .unwrap()
        .any_breach_probability()
}

/// The solver's multiplier meets the target, and the multiplier smaller by
/// the solver's tolerance does not, on the same paths.
#[test]
fn solver_meets_target_and_tolerance_below_does_not() {
    let s = default_scenario();
    let bounds = SolveBounds {
        min: 0.8,
        max: 2.0,
        tolerance: 0.01,
    };
    let sol = rates::solve(&s, &SolveBy::Uniform, 0.10, bounds, &recorded(&s, 11, 300)).unwrap();
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
    let s = default_scenario();
    let bounds = |min, max| SolveBounds {
        min,
        max,
        tolerance: 0.01,
    };
    let cap = rates::solve(
        &s,
        &SolveBy::Uniform,
        0.001,
        bounds(0.5, 0.6),
        &recorded(&s, 11, 200),
    )
    .unwrap();
    assert_eq!(cap.binding, "cap");
    assert!(cap.achieved > 0.001);
    assert_eq!(cap.runs, 1, "a cap is known after the upper end");
    let floor = rates::solve(
        &s,
        &SolveBy::Uniform,
        0.9,
        bounds(1.5, 2.0),
        &recorded(&s, 11, 200),
    )
    .unwrap();
    assert_eq!(floor.binding, "floor");
}

/// `--by class`: class rates follow the indicated rates within each
/// class's floating band; the solution meets the target, and a value
/// smaller by the tolerance does not.
#[test]
fn class_solver_keeps_the_bands() {
    let s = default_scenario();
    let base = runner::run(&s, &config(11, 300)).unwrap();
    let indicated: Vec<Option<f64>> = rates::indicated_rates(&s, &base)
        .iter()
        .map(|r| r.indicated)
        .collect();
    let by = SolveBy::Class { indicated };
    let bounds = SolveBounds {
        min: 0.5,
        max: 4.0,
        tolerance: 0.01,
    };
    let sol = rates::solve(&s, &by, 0.10, bounds, &recorded(&s, 11, 300)).unwrap();
    assert!(sol.binding == "target" || sol.binding == "band", "{sol:?}");
    assert!(sol.achieved <= 0.10);
    for (m, sector) in sol.class_multipliers.iter().zip(&s.sectors) {
        assert!(*m >= sector.floating_band[0] - 1e-12 && *m <= sector.floating_band[1] + 1e-12);
    }
    let p = |u: f64| {
        runner::run(&by.apply(&s, u), &config(11, 300))
            .unwrap()
            .any_breach_probability()
    };
    assert!(p(sol.multiplier) <= 0.10);
    assert!(p(sol.multiplier - bounds.tolerance) > 0.10);
}

/// On the same paths a higher uniform multiplier never raises the
/// probability of a breach (the default policy only acts below the rule).
#[test]
fn higher_multiplier_never_raises_breach_probability() {
    let s = default_scenario();
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
    let mut s = default_scenario();
    s.policy = RatePolicy::None;
    let (candidate, _) =
        read_candidate(Path::new("scenarios/rates/rise-2026-phased.toml"), &s).unwrap();
    let paths = recorded(&s, 11, 20);
    let base = rates::run_variant(Variant::baseline(&s), &paths).unwrap();
    let run = rates::run_variant(Variant::candidate(&s, &candidate), &paths).unwrap();
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
    let s = default_scenario();
    let paths = recorded(&s, 11, 400);
    let base = rates::run_variant(Variant::baseline(&s), &paths).unwrap();
    let (candidate, _) = read_candidate(Path::new("scenarios/rates/rise-2027.toml"), &s).unwrap();
    let run = rates::run_variant(Variant::candidate(&s, &candidate), &paths).unwrap();
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
    let s = default_scenario();
    let (candidate, _) = read_candidate(Path::new("scenarios/rates/rise-2027.toml"), &s).unwrap();
    let changed = s.with_candidate(&candidate);
    for c in 0..s.n_sectors() {
        assert_eq!(changed.scheduled_rate(0, c), s.scheduled_rate(0, c));
        assert_eq!(changed.scheduled_rate(1, c), s.scheduled_rate(1, c));
        assert!((changed.scheduled_rate(2, c) / s.scheduled_rate(2, c) - 1.1).abs() < 1e-12);
    }
    let a = runner::run(&s, &config(11, 50)).unwrap();
    let b = runner::run(&changed, &config(11, 50)).unwrap();
    for p in 0..50 {
        for k in 0..2 {
            assert_eq!(
                a.value(p, k, Line::Premiums),
                b.value(p, k, Line::Premiums),
                "premiums of year {k}"
            );
        }
        assert_ne!(a.value(p, 2, Line::Premiums), b.value(p, 2, Line::Premiums));
    }
}

/// Stability rules: with a cap of ±5 % a year and a ceiling of 1.12, no
/// path's multiplier moves more than 5 % from one year to the next or
/// passes the ceiling, although the bands ask for +20 % raises.
#[test]
fn stability_caps_are_never_exceeded() {
    let mut s = default_scenario();
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
    let set = runner::run(&s, &config(11, 300)).unwrap();
    let mut moved = false;
    for p in 0..300 {
        let m = |k: usize| set.value(p, k, Line::RateMultiplier);
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

/// The national-cut preset (data in scenarios/presets.toml) sets 0.8 at
/// 18–23 months and 0.5 from 24, and restores 1.0 below 18; an own band
/// that overlaps the preset's bands from 18 months up is refused.
#[test]
fn national_cut_preset() {
    let text = TINY.replace(
        "[policy]\nkind = \"none\"",
        "[policy]\nkind = \"bands\"\npreset = \"national_cut\"\n[[policy.bands]]\nupper = 18\naction = \"set\"\nfactor = 1.0",
    );
    let s = scenario(&text);
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
    let covering = TINY.replace(
        "[policy]\nkind = \"none\"",
        "[policy]\nkind = \"bands\"\npreset = \"national_cut\"\n[[policy.bands]]\nlower = 12\naction = \"hold\"",
    );
    let msg = parse_scenario(&Source::new("covering.toml".into(), covering))
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("policy.preset") && msg.contains("would not act there"),
        "{msg}"
    );
    // a band that overlaps the preset's [18, 24) only in part is refused too
    let partial = TINY.replace(
        "[policy]\nkind = \"none\"",
        "[policy]\nkind = \"bands\"\npreset = \"national_cut\"\n[[policy.bands]]\nlower = 12\nupper = 19\naction = \"hold\"",
    );
    let msg = parse_scenario(&Source::new("partial.toml".into(), partial))
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("[12, 19) overlaps the preset's band [18, 24)"),
        "{msg}"
    );
    // a scenario's own preset of the same name replaces the embedded one
    let own = format!(
        "{text}\n[presets.policy.national_cut]\nbands = [{{ lower = 30.0, action = \"set\", factor = 0.9 }}]\n"
    );
    let s = scenario(&own);
    let RatePolicy::Bands { bands, .. } = &s.policy else {
        panic!("bands expected")
    };
    assert_eq!(bands.len(), 2);
    assert_eq!(bands[1].action, BandAction::Set { factor: 0.9 });
}

// ---------------------------------------------------------------- stress

fn stressed(name: &str, scale: f64) -> Scenario {
    let mut s = default_scenario();
    let path = format!("scenarios/stress/{name}.toml");
    s.stress = Some(read_overlay(Path::new(&path), &s).unwrap().0.scaled(scale));
    s
}

fn years(s: &Scenario) -> (Vec<MonthRecord>, Vec<YearRecord>) {
    let months = months(s);
    let years = YearAccumulator::from_months(s, &months);
    (months, years)
}

/// Claims surge 2026–2028: the expected graded cases are 1.3 times the
/// baseline's in those years and exactly the baseline's in every other year
/// (graded cases, because catastrophe deaths are not claims frequency).
#[test]
fn claims_surge_changes_only_its_years() {
    let (_, base) = years(&default_scenario());
    let (_, surge) = years(&stressed("claims_surge", 1.0));
    for (b, x) in base.iter().zip(&surge) {
        let ratio = x.graded / b.graded;
        if (2026..=2028).contains(&b.year) {
            assert!((ratio - 1.3).abs() < 1e-9, "{}: {ratio}", b.year);
        } else {
            assert!((ratio - 1.0).abs() < 1e-12, "{}: {ratio}", b.year);
        }
    }
}

/// A recession from 2026 leaves 2025 exactly as it was, line by line.
#[test]
fn recession_leaves_earlier_years_alone() {
    let (base, base_years) = years(&default_scenario());
    let (rec, y) = years(&stressed("recession", 1.0));
    for (a, b) in base.iter().zip(&rec).take(12) {
        for line in Line::ALL {
            assert_eq!(a.get(line), b.get(line), "{} in month {}", line.name(), a.t);
        }
    }
    assert!(y[1].get(Line::Premiums) < base_years[1].get(Line::Premiums));
    assert!(
        y[1].insured < base_years[1].insured * 0.96,
        "employment −5 % in 2026"
    );
}

/// Scale 0 is no stress at all; scale 0.5 is half the shift.
#[test]
fn scale_zero_is_the_baseline() {
    let (base, base_years) = years(&default_scenario());
    let (zero, _) = years(&stressed("combined", 0.0));
    for (a, b) in base.iter().zip(&zero) {
        assert_eq!(a.lines, b.lines, "month {}", a.t);
    }
    let (_, half) = years(&stressed("claims_surge", 0.5));
    assert!((half[1].graded / base_years[1].graded - 1.15).abs() < 1e-9);
}

/// The mine disaster adds exactly 30 deaths in July 2027, in 萍乡's class 8.
#[test]
fn mine_disaster_adds_thirty_deaths_in_the_city() {
    let s = stressed("mine_disaster", 1.0);
    let (base, base_years) = years(&default_scenario());
    let (dis, dis_years) = years(&s);
    let july = 2 * 12 + 6;
    assert!((dis[july].deaths - base[july].deaths - 30.0).abs() < 1e-9);
    for t in (0..dis.len()).filter(|t| *t != july) {
        assert!((dis[t].deaths - base[t].deaths).abs() < 1e-12, "month {t}");
    }
    let city = s.cities.iter().position(|c| c.name == "萍乡").unwrap();
    let k = 2;
    let before = base_years[k].breakdown.part(Part::CityExpenditure);
    let after = dis_years[k].breakdown.part(Part::CityExpenditure);
    for (c, (a, b)) in before.iter().zip(after).enumerate() {
        if c == city {
            assert!(
                b - a > 30.0 * 1_000_000.0,
                "death grants of 30 deaths in 萍乡"
            );
        } else {
            assert_eq!(a, b, "city {c}");
        }
    }
}

fn refused(text: &str, needle: &str) {
    let s = default_scenario();
    let err = parse_overlay(&Source::new("bad.toml".into(), text.into()), &s).unwrap_err();
    assert!(matches!(
        err,
        InputError::Invalid { .. } | InputError::Parse { .. }
    ));
    let msg = err.to_string();
    assert!(msg.contains(needle), "{msg}");
}

/// Unknown fields, unknown cities and sectors, and years outside the
/// horizon are refused, each named; the message says it is the overlay.
#[test]
fn bad_overlays_are_refused() {
    refused(
        "name = \"x\"\n[[shock]]\nfrom = 2026\nfrequency = 1.3\n",
        "unknown field \"frequency\"",
    );
    refused(
        "name = \"x\"\n[[shock]]\nfrom = 2040\nclaims_frequency_factor = 1.3\n",
        "shock[0].from = 2040",
    );
    refused(
        "name = \"x\"\n[[shock]]\nfrom = 2026\nto = 2035\ninterest_rate = 0.01\n",
        "in the stress overlay",
    );
    refused(
        "name = \"x\"\n[[shock]]\nfrom = 2027\ncatastrophe = { sector = \"八类\", city = \"北京\", deaths = 30 }\n",
        "shock[0].catastrophe.city = \"北京\"",
    );
    // deaths are whole people, and no more than the cell insures
    refused(
        "name = \"x\"\n[[shock]]\nfrom = 2027\ncatastrophe = { sector = \"八类\", city = \"萍乡\", deaths = 2.5 }\n",
        "deaths = 2.5: the deaths of one catastrophe, a whole number",
    );
    let s = default_scenario();
    let (sec, city) = (
        s.sectors.iter().position(|x| x.name == "八类").unwrap(),
        s.cities.iter().position(|x| x.name == "萍乡").unwrap(),
    );
    let over = (s.cities[city].insured[sec] + 1.0).ceil();
    refused(
        &format!(
            "name = \"x\"\n[[shock]]\nfrom = 2027\ncatastrophe = {{ sector = \"八类\", city = \"萍乡\", deaths = {over} }}\n"
        ),
        "insured workers of 八类 in 萍乡",
    );
    // an overlay for the Jiangxi horizon does not fit tiny.toml's 2025–2027
    let msg = read_overlay(Path::new("scenarios/stress/low_interest.toml"), &tiny())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("shock[0].to = 2034"), "{msg}");
}

/// Every shipped overlay applies to the default scenario.
#[test]
fn shipped_overlays_apply_to_the_default_scenario() {
    let s = default_scenario();
    for name in [
        "recession",
        "claims_surge",
        "mine_disaster",
        "low_interest",
        "benefit_indexation",
        "combined",
    ] {
        let (st, _) =
            read_overlay(Path::new(&format!("scenarios/stress/{name}.toml")), &s).unwrap();
        assert_eq!(st.name, name);
    }
}

fn run_pair(scenario: &Scenario, scheme: &str) -> PairResult {
    let mut s = scenario.clone();
    s.sharing.scheme = s
        .sharing_presets
        .iter()
        .find(|p| p.name == scheme)
        .unwrap_or_else(|| panic!("a preset {scheme}"))
        .scheme
        .clone();
    let set = runner::run(&s, &config(5, 200)).unwrap();
    stress_analysis::pair_result(&s, "test", scheme, &set)
}

/// A fund that starts empty and collects too little: gaps on every path.
fn gappy() -> Scenario {
    let mut s = default_scenario();
    s.fund.opening_balance = 0.0;
    for sector in &mut s.sectors {
        sector.benchmark_rate *= 0.8;
    }
    s
}

/// Under every scheme the payers' transfers add up to the gap money, and
/// with the province paying 100 % the cities pay nothing.
#[test]
fn payers_cover_the_gap_and_province_pays_means_cities_do_not() {
    let s = gappy();
    for scheme in [
        "province_pays",
        "fixed_ratio",
        "responsibility",
        "performance",
        "cities_pay",
        "budget_linked",
    ] {
        let p = run_pair(&s, scheme);
        assert!(p.gap_probability_any > 0.9, "{scheme}: gaps expected");
        let paid: f64 = p.payers.iter().map(|x| x.burden.mean).sum();
        assert!(
            (paid - p.gap_total_mean).abs() <= 0.01 * p.payers.len() as f64,
            "{scheme}: {paid} vs {}",
            p.gap_total_mean
        );
        match scheme {
            "province_pays" => {
                assert!(
                    p.payers[1..]
                        .iter()
                        .all(|c| c.burden.max == 0.0 && c.burden.share_positive == 0.0)
                );
                assert!(p.payers[1..].iter().all(|c| c.fairness.is_none()));
            }
            "cities_pay" => assert_eq!(p.payers[0].burden.max, 0.0),
            "budget_linked" => {
                // cities pay between 10 % and 60 % of their portions, plus collection
                // shortfalls: the province always pays most, but not all
                let share = p.payers[0].burden.mean / p.gap_total_mean;
                assert!(share > 0.3 && share < 0.95, "province share {share}");
            }
            "fixed_ratio" => {
                let share = p.payers[0].burden.mean / p.gap_total_mean;
                assert!((share - 0.5).abs() < 1e-6, "{share}");
                // by premium income: every city's fairness ratio is about 1
                for c in &p.payers[1..] {
                    let f = c.fairness.unwrap();
                    assert!((f - 1.0).abs() < 0.1, "{}: {f}", c.payer);
                }
            }
            _ => {}
        }
        for c in &p.payers[1..] {
            assert!(c.burden.worst_year <= c.burden.max + 1e-6);
        }
    }
}

/// The reverse stress scale is monotone in the target: a higher
/// probability of breach needs a larger shock.
#[test]
fn reverse_stress_scale_is_monotone_in_the_target() {
    let mut s = default_scenario();
    s.fund.opening_balance *= 1.6; // a healthier fund, so that the shocks matter
    let (overlay, _) = read_overlay(Path::new("scenarios/stress/claims_surge.toml"), &s).unwrap();
    let mut previous = 0.0;
    for target in [0.1, 0.3, 0.6] {
        let r = stress_analysis::reverse(&s, &overlay, target, &config(3, 150)).unwrap();
        let scale = r.monte_carlo_scale.unwrap_or(f64::INFINITY);
        assert!(
            scale >= previous,
            "target {target}: scale {scale} below {previous}"
        );
        previous = scale;
    }
    assert!(previous > 0.0, "the largest target needs some shock");
}

/// An overlay whose shocks make a breach less likely. With the scenario's
/// own probability as the target, scale 0 answers at once. Just above it,
/// the search tries every scale of its grid before it says the target is
/// out of reach, and it flags the tries as not rising with the scale.
#[test]
fn reverse_stress_of_a_relief_scans_its_grid() {
    let s = default_scenario();
    let relief = parse_overlay(
        &Source::new(
            "relief.toml".into(),
            "name = \"relief\"\n[[shock]]\nfrom = 2025\nto = 2034\nclaims_frequency_factor = 0.5\n"
                .into(),
        ),
        &s,
    )
    .unwrap();
    let base = runner::run(&s, &config(3, 100))
        .unwrap()
        .any_breach_probability();
    assert!(base > 0.1, "the scenario breaches on its own: {base}");
    let r = stress_analysis::reverse(&s, &relief, base, &config(3, 100)).unwrap();
    assert_eq!(r.monte_carlo_scale, Some(0.0), "{r:?}");
    assert_eq!(r.monte_carlo_tries.len(), 1, "{r:?}");
    let r = stress_analysis::reverse(&s, &relief, base + 0.005, &config(3, 100)).unwrap();
    assert_eq!(r.monte_carlo_scale, None, "{r:?}");
    let tried: Vec<f64> = r.monte_carlo_tries.iter().map(|t| t.scale).collect();
    assert_eq!(tried, stress_analysis::REVERSE_GRID.to_vec());
    assert!(r.monte_carlo_tries[6].breach_probability < base);
    assert!(!r.rises_with_scale);
}

// ---------------------------------------------------------------- budget

/// Every year of the default scenario, in every unit: every table foots
/// (the budget columns, the tables by city, the funding plan) and the low
/// case has the lowest surplus.
#[test]
fn drafts_foot_in_every_unit_and_year() {
    let s = default_scenario();
    let set = runner::run(&s, &config(9, 200)).unwrap();
    for k in 0..s.years {
        let b = Budget::new(&s, &set, k);
        for unit in [Unit::Yuan, Unit::Wan, Unit::Yi] {
            let t = Tables::new(&s, &b, unit, None);
            assert_eq!(t.check(), Ok(()), "year {k}, {unit:?}");
            assert!(t.low.get(Line::Surplus) <= t.budget.get(Line::Surplus));
            assert!(t.high.get(Line::Surplus) >= t.budget.get(Line::Surplus));
        }
    }
}

/// The table by city takes its totals from the table by city and line, so
/// the two agree to the last digit, and the funding plan's months add up
/// to each city's expenditure in them.
#[test]
fn budget_tables_share_one_set_of_city_totals() {
    let s = default_scenario();
    let set = runner::run(&s, &config(9, 300)).unwrap();
    let t = Tables::new(&s, &Budget::new(&s, &set, 0), Unit::Wan, None);
    let expenditure = t
        .city_rows
        .iter()
        .position(|l| *l == Line::ExpenditureTotal)
        .unwrap();
    for ((name, cells), city) in t.by_city_line.iter().zip(&t.cities) {
        assert_eq!(name, &city.name);
        assert_eq!(cells[expenditure], city.expenditure, "{name}");
    }
    for (c, city) in t.city_names.iter().enumerate() {
        let months: Decimal = t.plan.transfers.iter().map(|m| m[c]).sum();
        assert_eq!(months, t.cities[c].expenditure, "{city}");
    }
}

/// The funding plan of tiny.toml by hand (its arithmetic in the model
/// tests), on the expected-value budget: January's transfer is the city's
/// payments, 83,810 − 2,000 prevention − 1,000 other = 80,810; February's
/// 80,839.70 (stocks 48,000 − 3,000 × 0.99²); the account ends January at
/// 1,016,190 and February at 1,032,350.30; the revolving fund is one month,
/// 80,810. With an opening balance of 50,000 the account cannot cover
/// February's transfers: flagged.
#[test]
fn funding_plan_by_hand() {
    let mut s = tiny();
    let t = Tables::new(&s, &Budget::expected(&s, 0), Unit::Yuan, None);
    assert_eq!(t.check(), Ok(()));
    let plan = &t.plan;
    let d = |x: &str| x.parse::<Decimal>().unwrap();
    assert_eq!(plan.transfers[0], vec![d("80810.00")]);
    assert_eq!(plan.transfers[1], vec![d("80839.70")]);
    assert_eq!(plan.revolving_fund, vec![d("80810.00")]);
    assert_eq!(plan.balance[0], d("1016190.00"));
    assert_eq!(plan.balance[1], d("1032350.30"));
    assert!(plan.short.iter().all(|x| !x));
    s.fund.opening_balance = 50_000.0;
    let t = Tables::new(&s, &Budget::expected(&s, 0), Unit::Yuan, None);
    assert!(
        t.plan.short[0],
        "66,190 at the end of January does not cover 80,839.70"
    );
    assert_eq!(t.plan.totals.len(), 12);
}

/// Last year's column: the scenario's execution for the first projection
/// year (footed like the budget), with the change in %; for later years the
/// projected year before.
#[test]
fn last_year_column_and_change() {
    let text = format!(
        "{TINY}\n[execution]\npremiums = 1100000\ninterest = 20000\nmedical = 50000\ndisability = 600000\ndeath = 300000\nprevention = 22000\nother_expenditure = 12000\nopening_balance = 900000\n"
    );
    let s = scenario(&text);
    let set = runner::run(&s, &config(2, 100)).unwrap();
    let t = Tables::new(&s, &Budget::new(&s, &set, 0), Unit::Yuan, None);
    assert_eq!(t.check(), Ok(()));
    let last = t.last.as_ref().expect("execution given");
    assert!(!t.last_is_projection);
    let dec = |x: &str| x.parse::<Decimal>().unwrap();
    assert_eq!(last.get(Line::Premiums), dec("1100000.00"));
    assert_eq!(last.get(Line::IncomeTotal), dec("1120000.00"));
    assert_eq!(last.get(Line::ExpenditureTotal), dec("984000.00"));
    assert_eq!(last.get(Line::ClosingBalance), dec("1036000.00"));
    // premiums budgeted at 1,200,000 (tiny's 100,000 a month): +9.1 %
    assert_eq!(t.budget.get(Line::Premiums), dec("1200000.00"));
    assert_eq!(t.change_pct[Line::Premiums.index()], Some(dec("9.1")));
    // 2026: last year is the projected 2025
    let t2 = Tables::new(&s, &Budget::new(&s, &set, 1), Unit::Yuan, None);
    assert!(t2.last_is_projection);
    assert_eq!(
        t2.last.as_ref().unwrap().get(Line::Premiums),
        t.budget.get(Line::Premiums)
    );
}

/// The in-year reforecast: actuals equal to the budget's own monthly
/// amounts leave the projected year end at the budget; actuals 20 % above on
/// the expenditure lines raise the probability of overspending each of
/// them; its table foots in the chosen unit and shows the budget column as
/// the budget table prints it.
#[test]
fn reforecast_unchanged_by_budgeted_actuals_and_raised_by_overruns() {
    let s = default_scenario();
    let set = runner::run(&s, &config(4, 400)).unwrap();
    let pattern = Pattern::expected(&s, 0);
    let j = 4;
    let budgeted = |scale: f64| {
        let mut to_date = [0.0; N_LINES];
        for line in ACTUAL_LINES {
            let i = line.index();
            let year: f64 = pattern.lines.iter().map(|m| m[i]).sum();
            let done: f64 = pattern.lines.iter().take(j).map(|m| m[i]).sum();
            let share = if year > 0.0 { done / year } else { 0.0 };
            let extra = if Line::EXPENDITURE.contains(&line) {
                scale
            } else {
                1.0
            };
            to_date[i] = set.mean(0, line) * share * extra;
        }
        Actuals {
            months: j,
            to_date,
            given: [true; N_LINES],
        }
    };
    let exact = reforecast(&set, 0, &pattern, &budgeted(1.0));
    for l in &exact {
        assert!(
            (l.projected - l.budget).abs() <= 1e-6 * l.budget.abs().max(1.0),
            "{}: {} vs {}",
            l.line.name(),
            l.projected,
            l.budget
        );
    }
    let over = reforecast(&set, 0, &pattern, &budgeted(1.2));
    for (a, b) in exact.iter().zip(&over) {
        if let (Some(p), Some(q)) = (a.overspend_probability, b.overspend_probability)
            && a.budget > 0.0
            && a.line != Line::Prevention
        {
            assert!(q > p, "{}: {p} → {q}", a.line.name());
        }
    }
    let budget = Budget::new(&s, &set, 0);
    for unit in [Unit::Yuan, Unit::Wan, Unit::Yi] {
        let t = Tables::new(&s, &budget, unit, Some((j, over.as_slice())));
        assert_eq!(t.check(), Ok(()), "{unit:?}");
        let rf = t.reforecast.as_ref().unwrap();
        let row = |l: Line| rf.rows.iter().find(|r| r.line == l).unwrap();
        assert_eq!(row(Line::Premiums).budget, t.budget.get(Line::Premiums));
        assert_eq!(
            row(Line::ExpenditureTotal).budget,
            t.budget.get(Line::ExpenditureTotal)
        );
    }
}

/// A scenario file that does not parse as TOML is bad input, with its line.
#[test]
fn broken_scenario_text_names_the_line() {
    let err = parse_scenario(&Source::new("x.toml".into(), "name = \n".into())).unwrap_err();
    assert!(err.to_string().starts_with("x.toml:1:"), "{err}");
}

/// The tiny scenario with each `(from, to)` replaced in its text (each
/// must occur).
fn tiny_with(edits: &[(&str, &str)]) -> Scenario {
    let mut text = TINY.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "the tiny scenario has {from}");
        text = text.replacen(from, to, 1);
    }
    scenario(&text)
}

/// A class without payroll has no collected or indicated rate (not a
/// NaN), and the class solver leaves it at its benchmark, so every rate
/// it sets stays finite.
#[test]
fn a_class_without_payroll_has_no_rate() {
    let s = tiny_with(&[("insured = [1000.0]", "insured = [0.0]")]);
    let set = runner::run(&s, &config(3, 20)).unwrap();
    let rates = rates::indicated_rates(&s, &set);
    assert_eq!(rates.len(), 1);
    assert_eq!((rates[0].collected, rates[0].indicated), (None, None));
    let by = SolveBy::Class {
        indicated: rates.iter().map(|r| r.indicated).collect(),
    };
    assert_eq!(by.class_multipliers(&s, 1.7), vec![1.0]);
    // with payroll, the same class has both
    let s = tiny();
    let set = runner::run(&s, &config(3, 20)).unwrap();
    let r = &rates::indicated_rates(&s, &set)[0];
    assert!(r.collected.is_some_and(|v| v > 0.0) && r.indicated.is_some_and(|v| v > 0.0));
}

/// With no payments at all there are no months of payments to count the
/// reserve in: the lowest reserve is absent, not NaN; with payments it is
/// there and finite.
#[test]
fn no_payments_no_reserve_months() {
    let s = tiny_with(&[
        ("frequency = 0.012", "frequency = 0.0"),
        ("disability = { heads = 10.0", "disability = { heads = 0.0"),
        ("survivors = { heads = 10.0", "survivors = { heads = 0.0"),
        ("other_expenditure = 12000.0", "other_expenditure = 0.0"),
        ("prevention_share = 0.02", "prevention_share = 0.0"),
    ]);
    let paths = recorded(&s, 5, 20);
    let base = rates::run_variant(Variant::baseline(&s), &paths).unwrap();
    let e = rates::evaluate(&base, &base);
    assert_eq!(e.lowest_reserve_months_mean, None);
    assert_eq!(e.lowest_reserve_months_p5, None);
    let s = tiny();
    let paths = recorded(&s, 5, 20);
    let base = rates::run_variant(Variant::baseline(&s), &paths).unwrap();
    let e = rates::evaluate(&base, &base);
    assert!(e.lowest_reserve_months_mean.is_some_and(f64::is_finite));
    assert!(e.lowest_reserve_months_p5.is_some_and(f64::is_finite));
}

/// A city without insured employers collects no premiums and has no fairness ratio (its share of
/// the transfers has no share of premiums to be compared with), not an
/// infinite or NaN one; every other city's stays finite.
#[test]
fn a_city_without_premiums_has_no_fairness_ratio() {
    let mut s = gappy();
    s.cities[0].insured.iter_mut().for_each(|n| *n = 0.0);
    let p = run_pair(&s, "fixed_ratio");
    assert!(p.gap_probability_any > 0.9, "gaps expected");
    assert_eq!(p.payers[1].fairness, None, "{}", p.payers[1].payer);
    assert!(
        p.payers[2..]
            .iter()
            .all(|c| c.fairness.is_some_and(f64::is_finite))
    );
}
