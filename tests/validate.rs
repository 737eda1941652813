//! `fundsim validate` and every refusal of a bad scenario: exit code 2, the
//! field, the value and what is allowed named, nothing written.

use crate::support::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fs;
use tempfile::TempDir;

// ---------------------------------------------------------------- bad input

/// An unknown top-level field is an error that names it (exit 2), not ignored.
#[test]
fn unknown_top_level_field_is_named() {
    assert_rejected(
        &tiny_with("seed = 7\n", "seed = 7\nfoo = 1\n"),
        &["foo", "unknown field"],
    );
}

/// An unknown field inside an array of tables is named by its full path.
#[test]
fn unknown_field_in_sector_names_its_path() {
    assert_rejected(
        &tiny_with("name = \"class1\"\n", "name = \"class1\"\nfoo = 1\n"),
        &["sectors[0].foo", "unknown field"],
    );
}

/// An unknown field inside an inline table of a city is named by its full path.
#[test]
fn unknown_field_in_inline_table_names_its_path() {
    assert_rejected(
        &tiny_with(
            "disability = { heads = 10.0, monthly_amount = 3000.0 }",
            "disability = { heads = 10.0, monthly_amount = 3000.0, foo = 1 }",
        ),
        &["cities[0].disability.foo", "unknown field"],
    );
}

/// A misspelt legal constant in `[law]` is refused, not silently defaulted.
#[test]
fn misspelt_law_constant_is_named() {
    assert_rejected(
        &tiny_with("[policy]\n", "[law]\nreserve_months = 6\n\n[policy]\n"),
        &["law.reserve_months", "unknown field"],
    );
}

/// A value of the wrong type names the field and shows the value.
#[test]
fn wrong_type_is_named() {
    assert_rejected(
        &tiny_with("years = 3\n", "years = \"ten\"\n"),
        &["years", "\"ten\""],
    );
    assert_rejected(
        &tiny_with("insured = [1000.0]", "insured = \"many\""),
        &["cities[0].insured", "\"many\""],
    );
}

/// A rate written as a percentage is refused with the field path, the value,
/// what is allowed and the fraction that was probably meant.
#[test]
fn rate_out_of_range_suggests_the_fraction() {
    assert_rejected(
        &tiny_with("benchmark_rate = 0.02 ", "benchmark_rate = 1.9 "),
        &[
            "sectors[0].benchmark_rate = 1.9",
            "(0, 0.1]",
            "did you mean 0.019",
        ],
    );
    // as a person writes it: 0.7 / 100 in binary is 0.006999999999999999
    assert_rejected(
        &tiny_with("benchmark_rate = 0.02 ", "benchmark_rate = 0.7 "),
        &["sectors[0].benchmark_rate = 0.7", "did you mean 0.007?"],
    );
}

/// A symmetric, unit-diagonal correlation matrix whose correlations
/// contradict each other (wage ~ employment ~ interest at +0.9, employment ~
/// interest at −0.9) is refused as not positive definite.
#[test]
fn correlation_matrix_not_positive_definite() {
    let mut m = [[0.0_f64; 7]; 7];
    for (i, row) in m.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for (i, j, r) in [(0, 1, 0.9), (0, 2, 0.9), (1, 2, -0.9)] {
        m[i][j] = r;
        m[j][i] = r;
    }
    let rows: Vec<String> = m
        .iter()
        .map(|r| {
            let cells: Vec<String> = r.iter().map(|x| format!("{x:.1}")).collect();
            format!("  [{}],", cells.join(", "))
        })
        .collect();
    let table = format!(
        "[drivers]\ncorrelation = [\n{}\n]\n\n[drivers.wage_growth]\n",
        rows.join("\n")
    );
    assert_rejected(
        &tiny_with("[drivers.wage_growth]\n", &table),
        &["drivers.correlation", "positive definite"],
    );
}

/// A correlation matrix of the wrong shape is refused, naming the field.
#[test]
fn correlation_matrix_wrong_shape() {
    assert_rejected(
        &tiny_with(
            "[drivers.wage_growth]\n",
            "[drivers]\ncorrelation = [[1.0, 0.0], [0.0, 1.0]]\n\n[drivers.wage_growth]\n",
        ),
        &["drivers.correlation", "7×7"],
    );
}

/// An outcome mix that sums to 1.01 is refused.
#[test]
fn outcome_mix_must_sum_to_one() {
    assert_rejected(
        &tiny_with("death = 0.01 }", "death = 0.02 }"),
        &["sectors[0].outcome_mix", "sum to 1"],
    );
}

/// A prevention share above the 3 % legal cap is refused, naming the cap.
#[test]
fn prevention_share_above_cap() {
    assert_rejected(
        &tiny_with("prevention_share = 0.02 ", "prevention_share = 0.05 "),
        &["fund.prevention_share = 0.05", "0.03"],
    );
}

/// A lag of 2.5 months is refused: lags are whole months.
#[test]
fn fractional_lag() {
    assert_rejected(
        &tiny_with("appraisal = 2\n", "appraisal = 2.5\n"),
        &["lags.appraisal = 2.5", "whole number of months"],
    );
}

/// Negative head counts (insured workers and an opening stock) are refused,
/// and both problems are reported in one run.
#[test]
fn negative_head_counts() {
    let text = tiny_with("insured = [1000.0]", "insured = [-1000.0]").replacen(
        "disability = { heads = 10.0,",
        "disability = { heads = -10.0,",
        1,
    );
    let msg = assert_rejected(
        &text,
        &[
            "cities[0].insured[0] = -1000",
            "cities[0].disability.heads = -10",
            "from 0 to",
        ],
    );
    assert!(msg.contains("2 problems"), "{msg}");
}

/// A payment pattern that sums to 0.9 is refused.
#[test]
fn payment_pattern_must_sum_to_one() {
    assert_rejected(
        &tiny_with(
            "payment_pattern = [0.5, 0.5]",
            "payment_pattern = [0.5, 0.4]",
        ),
        &["lags.payment_pattern", "sum to 1"],
    );
}

/// The horizon must be 1–50 years: 0 and 51 are refused.
#[test]
fn horizon_outside_1_to_50_years() {
    for years in ["0", "51"] {
        assert_rejected(
            &tiny_with("years = 3\n", &format!("years = {years}\n")),
            &[&format!("years = {years}"), "from 1 to 50"],
        );
    }
}

/// An empty (or blank) file is refused with a message saying so.
#[test]
fn empty_file() {
    for text in ["", "\n  \n"] {
        assert_rejected(text, &["scenario.toml", "empty"]);
    }
}

/// Broken TOML is refused with the file, line and column of the error.
#[test]
fn broken_toml_points_at_the_line() {
    let text = tiny_with("name = \"tiny\"\n", "name = \n");
    let line = text
        .lines()
        .position(|l| l.starts_with("name = "))
        .expect("the edited line")
        + 1;
    assert_rejected(&text, &[&format!("scenario.toml:{line}:")]);
}

/// A file that does not exist is bad input (exit 2), naming the path.
#[test]
fn missing_scenario_file() {
    let dir = TempDir::new().expect("temporary folder");
    let path = dir.path().join("no-such-scenario.toml");
    for cmd in ["validate", "simulate"] {
        let r = run(fundsim().arg(cmd).arg(&path).current_dir(dir.path()));
        assert_eq!(r.code, Some(2), "{cmd}: {}", r.stderr);
        assert_no_panic(&r);
        assert!(r.stderr.contains("cannot read scenario"), "{}", r.stderr);
        assert!(r.stderr.contains("no-such-scenario.toml"), "{}", r.stderr);
    }
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}

/// `--years` outside 1–50, or not a number, and unknown flags are bad
/// arguments: exit 2, the flag named, nothing written.
#[test]
fn bad_years_flag_and_unknown_flag() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("out");
    for (args, expected) in [
        (&["--years", "0"][..], "--years = 0"),
        (&["--years", "51"][..], "--years = 51"),
        (&["--years", "ten"][..], "--years"),
        (&["--no-such-flag"][..], "--no-such-flag"),
    ] {
        let r = run(fundsim()
            .arg("simulate")
            .arg(tiny_path())
            .arg("--deterministic")
            .args(args)
            .arg("--out")
            .arg(&out));
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert_no_panic(&r);
        assert!(r.stderr.contains(expected), "{args:?}: {}", r.stderr);
        assert!(!out.exists(), "{args:?} wrote outputs");
    }
}

/// A whole-number flag given a number it cannot take, or no number at all
/// (an exponent, a sign, too many digits), says its range in the user's
/// words: exit 2, no Rust parse error, nothing written.
#[test]
fn whole_number_flags_say_their_range() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("out");
    let paths = "--paths <N>': a whole number from 1 to 100,000,000";
    let cases = ["1e3", "-5", "0", "18446744073709551616"]
        .map(|v| (vec!["--paths", v], paths))
        .into_iter()
        .chain([
            (
                vec!["--threads", "0"],
                "--threads <T>': a whole number from 1 to 1,024",
            ),
            (
                vec!["--seed", "-1"],
                "--seed <S>': a whole number from 0 to 18,446,744,073,709,551,615",
            ),
        ]);
    for (args, expected) in cases {
        let r = run(fundsim()
            .arg("simulate")
            .arg(tiny_path())
            .args(&args)
            .arg("--out")
            .arg(&out));
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert_no_panic(&r);
        assert!(r.stderr.contains(expected), "{args:?}: {}", r.stderr);
        assert!(
            !r.stderr.contains("invalid digit"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(!out.exists(), "{args:?} wrote outputs");
    }
}

// ---------------------------------------------------------------- validate

/// The embedded default scenario is valid: `validate` without a file exits 0.
#[test]
fn validate_embedded_default() {
    let r = run(fundsim().arg("validate"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("valid scenario"), "{}", r.stdout);
    assert!(r.stdout.contains("<embedded>"), "{}", r.stdout);
}

/// `validate FILE` prints the summary, including the file's SHA-256.
#[test]
fn validate_tiny_summary() {
    let r = run(fundsim().arg("validate").arg(tiny_path()));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let sha = format!("{:x}", Sha256::digest(fs::read(tiny_path()).unwrap()));
    for expected in ["valid scenario \"tiny\"", "Alpha", "class1", &sha] {
        assert!(r.stdout.contains(expected), "{expected}: {}", r.stdout);
    }
}

/// `validate --json` prints only JSON, with every default resolved: the legal
/// constants of docs/model.md §9 and the optional fields tiny.toml omits.
#[test]
fn validate_json_resolves_defaults() {
    let r = run(fundsim().arg("validate").arg(tiny_path()).arg("--json"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("stdout is one JSON document");
    assert_eq!(v["name"], "tiny");
    assert_eq!(v["years"], 3);
    let law = &v["law"];
    assert_eq!(law["reserve_rule_months"], 12.0);
    assert_eq!(
        law["disability_grant_months"],
        serde_json::json!([27.0, 25.0, 23.0, 21.0, 18.0, 16.0, 13.0, 11.0, 9.0, 7.0])
    );
    assert_eq!(
        law["disability_allowance_share"],
        serde_json::json!([0.9, 0.85, 0.8, 0.75])
    );
    assert_eq!(law["funeral_grant_months"], 6.0);
    assert_eq!(law["death_grant_multiple"], 20.0);
    assert_eq!(law["prevention_cap"], 0.03);
    assert_eq!(law["wage_floor"], 0.6);
    assert_eq!(law["wage_cap"], 3.0);
    assert_eq!(v["economy"]["season"], serde_json::json!(vec![1.0; 12]));
    assert_eq!(v["sectors"][0]["floating_factor"], 1.0);
    assert_eq!(v["cities"][0]["relative_risk"], 1.0);
    assert_eq!(v["fund"]["initial_multiplier"], 1.0);
    assert_eq!(v["policy"]["kind"], "none");
    assert_eq!(v["sharing"]["scheme"], "fixed_ratio");
}

/// A scenario can override a legal constant, and `--json` shows the override.
#[test]
fn validate_json_shows_law_override() {
    let s = Scenario::new(&tiny_with(
        "[policy]\n",
        "[law]\nreserve_rule_months = 9\n\n[policy]\n",
    ));
    let r = run(fundsim().arg("validate").arg(&s.path).arg("--json"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(v["law"]["reserve_rule_months"], 9.0);
    assert_eq!(v["law"]["wage_cap"], 3.0);
}

/// A preset resolves the same way from `[sharing] preset = "NAME"` as for
/// `stress --scheme NAME`: a scenario's own preset of kind `performance`
/// takes the missing target and penalty from the shipped `performance`
/// preset either way; and redefining the `fixed_ratio` preset as another
/// kind does not break the presets of kind `fixed_ratio` built on it.
#[test]
fn presets_resolve_one_way() {
    let text = tiny_with(
        "[sharing]\nscheme = \"fixed_ratio\"\nprovince = 0.5\nkey = \"premium_income\"\n",
        "[sharing]\npreset = \"mine\"\n\n[presets.sharing.mine]\nscheme = \"performance\"\nprovince = 0.4\n\n\
         [presets.sharing.fixed_ratio]\nscheme = \"responsibility\"\ncity_share = 0.3\n",
    );
    let s = Scenario::new(&text);
    let r = run(fundsim().arg("validate").arg(&s.path).arg("--json"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(v["sharing"]["scheme"], "performance");
    assert_eq!(v["sharing"]["province"], 0.4);
    assert_eq!(v["sharing"]["target"], 0.95);
    assert_eq!(v["sharing"]["penalty"], 1.0);
    let presets = v["sharing_presets"].as_array().unwrap();
    let find = |name: &str| presets.iter().find(|p| p["name"] == name).unwrap().clone();
    let mine = find("mine");
    assert_eq!(mine["scheme"], "performance");
    assert_eq!(mine["target"], 0.95);
    assert_eq!(find("fixed_ratio")["scheme"], "responsibility");
    let province_pays = find("province_pays");
    assert_eq!(province_pays["scheme"], "fixed_ratio");
    assert_eq!(province_pays["province"], 1.0);
}

/// Policy `none` keeps the multiplier at 1 in every year (docs/model.md
/// §6.5), so a starting multiplier other than 1 with it is refused, naming
/// both fields.
#[test]
fn policy_none_with_a_multiplier_is_refused() {
    let text = tiny_with("[fund]\n", "[fund]\ninitial_multiplier = 1.2\n");
    assert_rejected(
        &text,
        &["fund.initial_multiplier = 1.2", "policy.kind = \"none\""],
    );
}

/// Growth and interest draws are truncated (docs/model.md §2.8), so their
/// means must lie inside the bounds and their sds must keep the truncation
/// rare: a wage sd of 1 (draws below −100 % made wages negative) and a
/// sector loading of 1,000 on the employment factor are refused, naming the
/// field and the largest value allowed.
#[test]
fn driver_sds_are_bounded_by_the_truncation() {
    let text = tiny_with(
        "[drivers.wage_growth]\nmean = 0.0\n",
        "[drivers.wage_growth]\nmean = 0.0\nsd = 1.0\n",
    );
    assert_rejected(&text, &["drivers.wage_growth.sd = 1", "at most 0.1282"]);
    let text = tiny_with(
        "[drivers.interest_rate]\nmean = 0.0\n",
        "[drivers.interest_rate]\nmean = -0.06\n",
    );
    assert_rejected(
        &text,
        &["drivers.interest_rate.mean = -0.06", "[-0.05, 0.5]"],
    );
    let text = tiny_with(
        "[drivers.employment_growth]\nmean = 0.0\n",
        "[drivers.employment_growth]\nmean = 0.0\nsd = 0.01\n",
    )
    .replace(
        "frequency = 0.012 ",
        "employment_beta = 1000\nfrequency = 0.012 ",
    );
    assert_rejected(
        &text,
        &["sectors[0].employment_beta = 1000", "at most 0.1282"],
    );
}

/// Names are plain (docs/scenario.md): an overlay named to climb out of
/// `outputs/` is refused before anything is written, as is a city name of
/// 65 characters; Chinese names, a schedule called "2027年上调10%" among
/// them, are fine.
#[test]
fn names_are_plain() {
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("escape.toml");
    std::fs::write(
        &overlay,
        "name = \"x/../../../escaped\"\n[[shock]]\nfrom = 2025\nwage_growth = 0.0\n",
    )
    .unwrap();
    let r = run(fundsim()
        .current_dir(dir.path())
        .args(["simulate", "--deterministic", "--stress"])
        .arg(&overlay)
        .arg(tiny_path()));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("name = \"x/../../../escaped\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("escape.toml"), "{}", r.stderr);
    assert!(!dir.path().join("outputs").exists());
    let long = "长".repeat(65);
    let text = tiny_with("name = \"Alpha\"", &format!("name = \"{long}\""));
    assert_rejected(&text, &["cities[0].name", "1 to 64 characters"]);
    let chinese = dir.path().join("rise.toml");
    let schedule = std::fs::read_to_string(repo("tests/data/tiny-rise.toml"))
        .unwrap()
        .replace("name = \"tiny-rise\"", "name = \"2027年上调10%\"");
    std::fs::write(&chinese, schedule).unwrap();
    let r = run(fundsim()
        .args(["rates", "--paths", "20", "-q", "--schedule"])
        .arg(&chinese)
        .arg("--out")
        .arg(dir.path().join("rates"))
        .arg(tiny_path()));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}
