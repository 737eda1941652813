//! `fundsim sensitivity` as a user runs it: the tornado's bars on the tiny
//! scenario have the signs a person expects, outside their sampling error,
//! and its files and report are written.

use crate::support::{fundsim, run};
use serde_json::Value;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// A higher claim frequency (or a more severe mix) raises the probability
/// of a breach and a lower one lowers it; a higher opening balance lowers
/// it and a lower one raises it — each by more than three paired standard
/// errors on 4,000 paths of `tiny.toml`. The bars are sorted by width, and
/// the files name every input once.
#[test]
fn the_tornado_has_the_signs_a_person_expects() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("t");
    let tiny = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let r = run(fundsim()
        .arg("sensitivity")
        .arg(&tiny)
        .args(["--paths", "4000", "--out"])
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for f in [
        "sensitivity.json",
        "sensitivity.csv",
        "sensitivity.svg",
        "report.html",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let json: Value =
        serde_json::from_str(&fs::read_to_string(out.join("sensitivity.json")).unwrap()).unwrap();
    let swings = json["swings"].as_array().unwrap();
    assert_eq!(swings.len(), 10);
    let change = |input: &str, dir: &str| {
        let s = swings.iter().find(|s| s["input"] == input).unwrap();
        let c = &s[dir]["any_breach_change"];
        (c["difference"].as_f64().unwrap(), c["se"].as_f64().unwrap())
    };
    let raises = |(d, se): (f64, f64)| d > 3.0 * se && se > 0.0;
    let lowers = |(d, se): (f64, f64)| d < -3.0 * se && se > 0.0;
    assert!(
        raises(change("claim_frequency", "up")),
        "{:?}",
        change("claim_frequency", "up")
    );
    assert!(lowers(change("claim_frequency", "down")));
    assert!(raises(change("severe_mix", "up")));
    assert!(
        lowers(change("opening_balance", "up")),
        "{:?}",
        change("opening_balance", "up")
    );
    assert!(raises(change("opening_balance", "down")));
    let csv = fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 10 * 2 * 2);
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<figure id=\"tornado\""));
    assert!(html.contains("<table id=\"sensitivity-table\""));
    // the widest bar is named in the headline
    let first = swings[0]["input"].as_str().unwrap();
    assert!(
        first == "claim_frequency" || first == "severe_mix",
        "{first}"
    );
}
