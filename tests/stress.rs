//! `fundsim stress` as a user runs it.

use crate::support::*;
use std::fs;

/// `fundsim stress` writes its files; an unknown scheme name exits 2.
#[test]
fn stress_command_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stress");
    fundsim()
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
    let o = fundsim()
        .args(["stress", "--scheme", "half_half", "--paths", "10"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--scheme half_half"));
}
