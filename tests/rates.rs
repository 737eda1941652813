//! `fundsim rates` as a user runs it.

use crate::support::*;
use std::fs;

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
    let out = fundsim()
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
    let out = fundsim()
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
    let out = fundsim()
        .args(["rates", "--paths", "10", "--schedule"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("multiplyer"));
}

/// Schedules are told apart by name in every output, so a schedule named
/// like the scenario's own (`baseline`) or like an earlier one is refused,
/// naming the file, the field, the value and the clash (exit 2).
#[test]
fn schedule_names_are_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        fs::write(
            &path,
            format!("name = \"{text}\"\n[[schedule]]\nyear = 2027\nmultiplier = 1.1\n"),
        )
        .unwrap();
        path
    };
    let (a, b, base) = (
        file("a.toml", "rise"),
        file("b.toml", "rise"),
        file("c.toml", "baseline"),
    );
    for (files, expected) in [
        (vec![&a, &b], "the schedule in"),
        (vec![&base], "the scenario's own schedule"),
    ] {
        let mut cmd = fundsim();
        cmd.args(["rates", "--paths", "10", "--out"])
            .arg(dir.path().join("out"));
        for f in &files {
            cmd.arg("--schedule").arg(f);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        let last = files.last().unwrap().display().to_string();
        assert!(err.contains(&last) && err.contains("name = "), "{err}");
        assert!(err.contains(expected), "{err}");
        assert!(!dir.path().join("out").exists());
    }
}

/// `fundsim rates` writes its four files with the fields the issue names.
#[test]
fn rates_command_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rates");
    fundsim()
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
    // the schedule file is named with its SHA-256, in the JSON and the report
    let sha = {
        use sha2::{Digest, Sha256};
        format!(
            "{:x}",
            Sha256::digest(fs::read("tests/data/tiny-rise.toml").unwrap())
        )
    };
    assert_eq!(json["input_files"][0]["role"], "schedule");
    assert_eq!(json["input_files"][0]["file"], "tests/data/tiny-rise.toml");
    assert_eq!(json["input_files"][0]["sha256"], sha.as_str());
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("tests/data/tiny-rise.toml") && html.contains(&sha));
    for key in ["breach_probability_any", "breach_probability_any_se"] {
        assert!(c[1][key].is_number(), "{key}");
    }
    for key in ["target", "multiplier", "achieved", "achieved_se", "binding"] {
        assert!(!json["solve"][key].is_null(), "solve.{key}");
    }
    let md = fs::read_to_string(out.join("rates.md")).unwrap();
    assert!(md.contains("tiny-rise") && md.contains("Indicated rates"));
}

/// The solver's flags have finite ranges so that it always ends: `--max
/// inf` and `--tolerance 1e-300` (which never finished) are refused with
/// exit 2 before any run, naming the flags and the ranges.
#[test]
fn solver_flags_are_bounded() {
    for args in [
        &["--max", "inf"][..],
        &["--max", "11"][..],
        &["--tolerance", "1e-300"][..],
        &["--tolerance", "NaN"][..],
        &["--min", "0"][..],
    ] {
        let o = fundsim()
            .args([
                "rates",
                "scenarios/tiny.toml",
                "--paths",
                "10",
                "--solve",
                "-q",
            ])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("(0, 10]") && err.contains("[0.0001, 1]"),
            "{args:?}: {err}"
        );
    }
}
