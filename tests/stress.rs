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

/// The two schemes that pay money back, through `fundsim stress`: a fund
/// that starts empty with a floor of 2 months borrows in its first month
/// and repays from its surpluses; the loan's lines are reported by year, the
/// province's burden is net of the repayments, and a scheme that pays
/// nothing back keeps its old fields only.
#[test]
fn loan_and_surplus_return_in_stress() {
    let text = tiny_with("opening_balance = 1000000.0", "opening_balance = 0.0")
        .replace("[sharing]\n", "[sharing]\nfloor_months = 2.0\n");
    let sc = Scenario::new(&text);
    let out = sc.dir.path().join("out");
    fundsim()
        .arg("stress")
        .arg(&sc.path)
        .args(["--scheme", "loan", "--scheme", "surplus_return"])
        .args(["--scheme", "scenario", "--paths", "40", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let json = read_json(&out.join("stress.json"));
    let pairs = json["pairs"].as_array().unwrap();
    let loan = &pairs[0];
    assert_eq!(loan["scheme"], "loan");
    let lines: Vec<&str> = loan["scheme_lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].as_str().unwrap())
        .collect();
    assert_eq!(lines, ["returned", "loan_debt", "loan_interest_paid"]);
    let province = &loan["payers"][0];
    let advanced = loan["gap_total_mean"].as_f64().unwrap();
    let repaid = province["paid_back_mean"].as_f64().unwrap();
    assert!(advanced > 0.0 && repaid > 0.0, "{advanced} {repaid}");
    let net = province["mean"].as_f64().unwrap();
    assert!((net - (advanced - repaid)).abs() < 1e-6 * advanced, "{net}");
    let debt = &loan["scheme_lines"][1];
    assert_eq!(
        debt["by_year"].as_array().unwrap().len(),
        3,
        "tiny runs 3 years"
    );
    let owed = debt["positive_at_horizon"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&owed));
    let returned = &pairs[1];
    assert_eq!(returned["scheme"], "surplus_return");
    assert_eq!(returned["scheme_lines"][0]["line"], "returned");
    assert!(returned["payers"][1]["paid_back_mean"].as_f64().unwrap() >= 0.0);
    let own = &pairs[2];
    assert!(own.get("scheme_lines").is_none());
    assert!(own["payers"][0].get("paid_back_mean").is_none());
    let csv = std::fs::read_to_string(out.join("stress.csv")).unwrap();
    for measure in [
        ",loan_debt_mean,",
        ",loan_debt_p95,",
        ",loan_interest_paid_mean,",
        ",loan_debt_positive_at_horizon,",
        ",paid_back_mean,",
    ] {
        assert!(csv.contains(measure), "{measure}");
    }
    let md = std::fs::read_to_string(out.join("stress.md")).unwrap();
    assert!(md.contains("Loan outstanding at the end of"), "{md}");
}

/// `fundsim stress --reverse` on `tiny.toml`: `reverse.json` names the
/// scenario, the overlay, the SHA-256 of each, the seed and the paths; the answer is the smallest
/// scale tried that reaches the target, within the tolerance of the largest
/// that does not; `reverse.md` has one row per try with the JSON's values,
/// and the default folder is the reverse test's own, not the stress test's.
#[test]
fn reverse_stress_names_its_inputs_and_shows_every_try() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("surge.toml");
    fs::write(
        &overlay,
        "name = \"surge\"\ndescription = \"claims up\"\n\n[[shock]]\nfrom = 2026\nto = 2027\nclaims_frequency_factor = 1.5\n",
    )
    .unwrap();
    fundsim()
        .current_dir(dir.path())
        .arg("stress")
        .arg(tiny_path())
        .arg("--reverse")
        .arg(&overlay)
        .args(["--paths", "200", "-q"])
        .assert()
        .success();
    let out = dir.path().join("outputs/tiny-reverse");
    assert!(
        !dir.path().join("outputs/tiny-stress").exists(),
        "a reverse test leaves the stress test's folder alone"
    );
    for f in ["reverse.json", "reverse.md", "reverse.svg", "report.html"] {
        assert!(out.join(f).exists(), "{f}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("reverse.json")).unwrap()).unwrap();
    let sha = format!("{:x}", Sha256::digest(fs::read(tiny_path()).unwrap()));
    assert_eq!(json["scenario"], "tiny");
    assert_eq!(json["input_sha256"], sha.as_str());
    assert_eq!(json["seed"], 7, "tiny.toml's seed");
    assert_eq!(json["paths"], 200);
    let target = json["target"].as_f64().unwrap();
    let tolerance = json["tolerance"].as_f64().unwrap();
    let tries: Vec<(f64, f64)> = json["monte_carlo_tries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["scale"].as_f64().unwrap(),
                t["breach_probability"].as_f64().unwrap(),
            )
        })
        .collect();
    assert!(tries.windows(2).all(|w| w[0].0 < w[1].0), "ascending");
    for (_, p) in &tries {
        assert_eq!((p * 200.0).round() / 200.0, *p, "a share of 200 paths");
    }
    let found = json["monte_carlo_scale"]
        .as_f64()
        .expect("a scale is found");
    let holds = tries.iter().find(|t| t.1 >= target).unwrap().0;
    let fails = tries.iter().rev().find(|t| t.0 < found).unwrap();
    assert_eq!(
        found, holds,
        "the smallest scale tried that reaches the target"
    );
    assert!(
        fails.1 < target && found - fails.0 <= tolerance,
        "{fails:?}"
    );
    let note = "without the shocks (scale 0)";
    let svg = fs::read_to_string(out.join("reverse.svg")).unwrap();
    assert!(!svg.contains(note), "a scale found above 0 needs no note");
    // a target the scenario reaches unshocked ends at scale 0, one point on
    // the axis, and the chart says why
    let zero = dir.path().join("zero");
    fundsim()
        .arg("stress")
        .arg(tiny_path())
        .arg("--reverse")
        .arg(&overlay)
        .args(["--reverse-target", "0.01", "--paths", "200", "-q", "--out"])
        .arg(&zero)
        .assert()
        .success();
    let svg = fs::read_to_string(zero.join("reverse.svg")).unwrap();
    assert!(svg.contains(note), "reverse.svg at scale 0 says why");
    let md = fs::read_to_string(out.join("reverse.md")).unwrap();
    for (scale, p) in &tries {
        let row = format!("| {scale:.3} | {:.1} |", p * 100.0);
        assert!(md.contains(&row), "{row} in\n{md}");
    }
    let sentence = format!("are scaled by {found:.3} (Monte Carlo, 200 paths");
    assert!(md.contains(&sentence), "{sentence} in\n{md}");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains(&sentence) && html.contains(&sha));
    // the overlay is named with its SHA-256 too, in the JSON and the report
    let overlay_sha = format!("{:x}", Sha256::digest(fs::read(&overlay).unwrap()));
    assert_eq!(json["stress_sha256"], overlay_sha.as_str());
    assert!(
        html.contains(&overlay_sha),
        "the report names the overlay's SHA-256"
    );
    // both say how the search went, in the same words
    let method = "The search tries the factors 0, 0.25, 0.5, 1, 2, 5, 10 in turn";
    assert!(md.contains(method) && html.contains(method), "{md}");
    let ev = json["expected_value_scale"].as_f64().unwrap();
    let last = json["last_year"].as_i64().unwrap();
    assert_eq!(last, 2027, "tiny.toml runs 2025–2027");
    let mut previous = None;
    for t in json["expected_value_tries"].as_array().unwrap() {
        let scale = t["scale"].as_f64().unwrap();
        assert_eq!(
            t["first_breach_year"].is_null(),
            scale < ev,
            "the expected-value path breaches from its scale on: {t}"
        );
        // the overlay's shocks start in 2026, so no breach comes before it,
        // and a larger scale breaches no later
        if let Some(year) = t["first_breach_year"].as_i64() {
            assert!((2026..=last).contains(&year), "{t}");
            assert!(previous.is_none_or(|p| year <= p), "{t}");
            previous = Some(year);
        }
    }
    assert_eq!(json["rises_with_scale"], true);
    // what the reverse test would not use is refused, not ignored
    for args in [
        &["--reverse", "x.toml", "--scheme", "loan"][..],
        &["--reverse-target", "0.3"][..],
    ] {
        let r = run(fundsim().arg("stress").args(args).args(["--paths", "10"]));
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("--reverse"), "{args:?}: {}", r.stderr);
    }
}
