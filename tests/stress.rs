//! Stress overlays (issue 5, item 2): each changes only its years, scales as
//! documented, and is refused when it names an unknown field, city or
//! sector, or a year outside the horizon.

use assert_cmd::Command;
use fundsim::engine::{Engine, MonthRecord};
use fundsim::lines::Line;
use fundsim::sampling::Expected;
use fundsim::scenario::{Scenario, ScenarioError};
use fundsim::stats::{YearAccumulator, YearRecord};
use fundsim::stress::Stress;
use std::fs;

fn default() -> Scenario {
    Scenario::load(None).unwrap().scenario
}

fn stressed(name: &str, scale: f64) -> Scenario {
    let mut s = default();
    let path = format!("scenarios/stress/{name}.toml");
    let text = fs::read_to_string(&path).unwrap();
    s.stress = Some(Stress::from_toml(&s, &text, &path).unwrap().scaled(scale));
    s
}

fn years(s: &Scenario) -> (Vec<MonthRecord>, Vec<YearRecord>) {
    let mut months = Vec::new();
    Engine::new(s).run(&mut Expected, &mut months);
    let years = YearAccumulator::from_months(s, &months);
    (months, years)
}

/// Claims surge 2026–2028: the expected graded cases are 1.3 times the
/// baseline's in those years and exactly the baseline's in every other year
/// (graded cases, because catastrophe deaths are not claims frequency).
#[test]
fn claims_surge_changes_only_its_years() {
    let (_, base) = years(&default());
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
    let (base, _) = years(&default());
    let (rec, y) = years(&stressed("recession", 1.0));
    for (a, b) in base.iter().zip(&rec).take(12) {
        for line in Line::ALL {
            assert_eq!(a.get(line), b.get(line), "{} in month {}", line.name(), a.t);
        }
    }
    let (_, base_years) = years(&default());
    assert!(y[1].get(Line::Premiums) < base_years[1].get(Line::Premiums));
    assert!(
        y[1].insured < base_years[1].insured * 0.96,
        "employment −5 % in 2026"
    );
}

/// Scale 0 is no stress at all; scale 0.5 is half the shift.
#[test]
fn scale_zero_is_the_baseline() {
    let (base, _) = years(&default());
    let (zero, _) = years(&stressed("combined", 0.0));
    for (a, b) in base.iter().zip(&zero) {
        assert_eq!(a.lines, b.lines, "month {}", a.t);
    }
    let (_, half) = years(&stressed("claims_surge", 0.5));
    let (_, base_years) = years(&default());
    assert!((half[1].graded / base_years[1].graded - 1.15).abs() < 1e-9);
}

/// The mine disaster adds exactly 30 deaths in July 2027, in 萍乡's class 8.
#[test]
fn mine_disaster_adds_thirty_deaths_in_the_city() {
    let s = stressed("mine_disaster", 1.0);
    let (base, base_years) = years(&default());
    let (dis, dis_years) = years(&s);
    let july = 2 * 12 + 6;
    assert!((dis[july].deaths - base[july].deaths - 30.0).abs() < 1e-9);
    for t in (0..dis.len()).filter(|t| *t != july) {
        assert!((dis[t].deaths - base[t].deaths).abs() < 1e-12, "month {t}");
    }
    let city = s.cities.iter().position(|c| c.name == "萍乡").unwrap();
    let k = 2;
    for (c, (a, b)) in base_years[k]
        .city_expenditure
        .iter()
        .zip(&dis_years[k].city_expenditure)
        .enumerate()
    {
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
    let s = default();
    let err = Stress::from_toml(&s, text, "bad.toml").unwrap_err();
    assert!(matches!(
        err,
        ScenarioError::Invalid { .. } | ScenarioError::Parse { .. }
    ));
    let msg = err.to_string();
    assert!(msg.contains(needle), "{msg}");
}

/// Unknown fields, unknown cities and sectors, and years outside the
/// horizon are refused, each named.
#[test]
fn bad_overlays_are_refused() {
    refused(
        "name = \"x\"\n[[shock]]\nfrom = 2026\nfrequency = 1.3\n",
        "unknown field `frequency`",
    );
    refused(
        "name = \"x\"\n[[shock]]\nfrom = 2040\nclaims_frequency_factor = 1.3\n",
        "shock[0].from = 2040",
    );
    refused(
        "name = \"x\"\n[[shock]]\nfrom = 2026\nto = 2035\ninterest_rate = 0.01\n",
        "shock[0].to = 2035",
    );
    refused(
        "name = \"x\"\n[[shock]]\nfrom = 2027\ncatastrophe = { sector = \"八类\", city = \"北京\", deaths = 30 }\n",
        "shock[0].catastrophe.city = \"北京\"",
    );
    // an overlay for the Jiangxi horizon does not fit tiny.toml's 2025–2027
    let tiny = Scenario::from_toml(include_str!("../scenarios/tiny.toml"), "tiny.toml").unwrap();
    let text = fs::read_to_string("scenarios/stress/low_interest.toml").unwrap();
    let msg = Stress::from_toml(&tiny, &text, "low_interest.toml")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("shock[0].to = 2034"), "{msg}");
}

/// Every shipped overlay applies to the default scenario.
#[test]
fn shipped_overlays_apply_to_the_default_scenario() {
    let s = default();
    for name in [
        "recession",
        "claims_surge",
        "mine_disaster",
        "low_interest",
        "benefit_indexation",
        "combined",
    ] {
        let text = fs::read_to_string(format!("scenarios/stress/{name}.toml")).unwrap();
        let st = Stress::from_toml(&s, &text, name).unwrap();
        assert_eq!(st.name, name);
    }
}

/// `simulate --stress` runs and records the overlay in summary.json; a bad
/// overlay exits 2 and writes nothing.
#[test]
fn simulate_with_stress() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    Command::cargo_bin("fundsim")
        .unwrap()
        .args([
            "simulate",
            "--deterministic",
            "--stress",
            "scenarios/stress/recession.toml",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["stress"], "recession (scale 1)");
    let bad = dir.path().join("bad.toml");
    fs::write(
        &bad,
        "name = \"x\"\n[[shock]]\nfrom = 1999\nwage_growth = 0\n",
    )
    .unwrap();
    let out2 = dir.path().join("run2");
    let o = Command::cargo_bin("fundsim")
        .unwrap()
        .args(["simulate", "--deterministic", "--stress"])
        .arg(&bad)
        .arg("--out")
        .arg(&out2)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("shock[0].from = 1999"));
    assert!(!out2.exists());
}

fn run_pair(scenario: &Scenario, scheme: &str) -> fundsim::stress::PairResult {
    let mut s = scenario.clone();
    s.sharing.scheme = fundsim::sharing::scheme_preset(scheme).unwrap();
    let config = fundsim::runner::RunConfig {
        seed: 5,
        paths: 0..200,
        threads: None,
        progress: false,
    };
    let set = fundsim::runner::run(&s, &config).unwrap();
    fundsim::stress::pair_result(&s, "test", scheme, &set)
}

/// A fund that starts empty and collects too little: gaps on every path.
fn gappy() -> Scenario {
    let mut s = default();
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
    let mut s = default();
    s.fund.opening_balance *= 1.6; // a healthier fund, so that the shocks matter
    let text = fs::read_to_string("scenarios/stress/claims_surge.toml").unwrap();
    let overlay = Stress::from_toml(&s, &text, "claims_surge.toml").unwrap();
    let config = fundsim::runner::RunConfig {
        seed: 3,
        paths: 0..150,
        threads: None,
        progress: false,
    };
    let mut previous = 0.0;
    for target in [0.1, 0.3, 0.6] {
        let r = fundsim::stress::reverse(&s, &overlay, target, &config).unwrap();
        let scale = r.monte_carlo_scale.unwrap_or(f64::INFINITY);
        assert!(
            scale >= previous,
            "target {target}: scale {scale} below {previous}"
        );
        previous = scale;
    }
    assert!(previous > 0.0, "the largest target needs some shock");
}

/// `fundsim stress` writes its files; an unknown scheme name exits 2.
#[test]
fn stress_command_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stress");
    Command::cargo_bin("fundsim")
        .unwrap()
        .args([
            "stress",
            "--stress",
            "scenarios/stress/recession.toml",
            "--scheme",
            "fixed_ratio",
            "--scheme",
            "province_pays",
        ])
        .args(["--paths", "100", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    for f in [
        "stress.json",
        "stress.csv",
        "stress.md",
        "stress.svg",
        "city_reserves.csv",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("stress.json")).unwrap()).unwrap();
    assert_eq!(
        json["pairs"].as_array().unwrap().len(),
        4,
        "2 stresses (none, recession) × 2 schemes"
    );
    let o = Command::cargo_bin("fundsim")
        .unwrap()
        .args(["stress", "--scheme", "half_half", "--paths", "10"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--scheme half_half"));
}
