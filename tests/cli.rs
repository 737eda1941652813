//! Command-line tests: the `fundsim` binary run as a user runs it.
//!
//! Bad scenarios are built by editing the text of `scenarios/tiny.toml` into a
//! temporary folder; every run writes into a temporary folder, never into the
//! repository. Each test says in a comment what it proves.

use assert_cmd::Command;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The 18 lines of `yearly.csv` and `monthly.csv`, in report order (issue 2).
const LINES: [&str; 18] = [
    "premiums",
    "interest",
    "fiscal_subsidy",
    "gap_transfers",
    "other_income",
    "income_total",
    "medical",
    "disability",
    "death",
    "investigation",
    "appraisal",
    "prevention",
    "other_expenditure",
    "expenditure_total",
    "surplus",
    "closing_balance",
    "reserve_months",
    "rate_multiplier",
];

/// The files of a projection run.
const OUTPUT_FILES: [&str; 5] = [
    "by_city.csv",
    "by_sector.csv",
    "monthly.csv",
    "summary.json",
    "yearly.csv",
];

// ---------------------------------------------------------------- helpers

fn fundsim() -> Command {
    Command::cargo_bin("fundsim").expect("the fundsim binary is built")
}

fn tiny_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml")
}

fn tiny_text() -> String {
    fs::read_to_string(tiny_path()).expect("scenarios/tiny.toml is readable")
}

/// `tiny.toml` with `from` replaced by `to`. Panics when `from` is not in the
/// file exactly once, so a change to `tiny.toml` cannot silently turn a bad
/// scenario into a valid one.
fn tiny_with(from: &str, to: &str) -> String {
    let text = tiny_text();
    assert_eq!(
        text.matches(from).count(),
        1,
        "scenarios/tiny.toml should contain {from:?} exactly once"
    );
    text.replacen(from, to, 1)
}

/// A scenario written into its own temporary folder.
struct Scenario {
    dir: TempDir,
    path: PathBuf,
}

impl Scenario {
    fn new(text: &str) -> Scenario {
        let dir = TempDir::new().expect("temporary folder");
        let path = dir.path().join("scenario.toml");
        fs::write(&path, text).expect("write the scenario");
        Scenario { dir, path }
    }
}

/// Output of one run.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Ran {
    let out = cmd.output().expect("run fundsim");
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// No panic reached the user.
fn assert_no_panic(r: &Ran) {
    for bad in ["panicked", "internal error", "RUST_BACKTRACE"] {
        assert!(
            !r.stderr.contains(bad),
            "stderr shows a panic ({bad}):\n{}",
            r.stderr
        );
    }
}

/// `validate` and `simulate --deterministic` both refuse `text` with exit
/// code 2, a message containing every one of `expected`, no panic, nothing
/// on stdout and no output folder. Returns the message of `validate`.
fn assert_rejected(text: &str, expected: &[&str]) -> String {
    let s = Scenario::new(text);
    let v = run(fundsim().arg("validate").arg(&s.path));
    let out = s.dir.path().join("out");
    let sim = run(fundsim()
        .arg("simulate")
        .arg(&s.path)
        .arg("--deterministic")
        .arg("--out")
        .arg(&out));
    for (what, r) in [("validate", &v), ("simulate", &sim)] {
        assert_eq!(r.code, Some(2), "{what}: exit code; stderr:\n{}", r.stderr);
        assert_no_panic(r);
        assert!(r.stdout.is_empty(), "{what}: stdout:\n{}", r.stdout);
        assert!(
            r.stderr.starts_with("error: "),
            "{what}: stderr:\n{}",
            r.stderr
        );
        for e in expected {
            assert!(
                r.stderr.contains(e),
                "{what}: stderr should contain {e:?}:\n{}",
                r.stderr
            );
        }
    }
    assert!(!out.exists(), "a rejected scenario must not write outputs");
    v.stderr
}

/// Runs `simulate tiny.toml --deterministic` (plus `extra`) into `out`; exit 0.
fn simulate_tiny(out: &Path, extra: &[&str]) -> Ran {
    let r = run(fundsim()
        .arg("simulate")
        .arg(tiny_path())
        .arg("--deterministic")
        .args(extra)
        .arg("--out")
        .arg(out));
    assert_eq!(r.code, Some(0), "simulate failed:\n{}", r.stderr);
    assert_no_panic(&r);
    r
}

/// A CSV file as its header and rows of strings.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).expect("open CSV");
    let header = reader
        .headers()
        .expect("CSV header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("CSV row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn num(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("{cell:?} is not a number"))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).expect("read JSON")).expect("valid JSON")
}

/// Names in a folder, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `yearly.csv` as `(year, line) → mean`.
fn yearly_means(dir: &Path) -> BTreeMap<(i32, String), f64> {
    let (_, rows) = read_csv(&dir.join("yearly.csv"));
    rows.iter()
        .map(|r| ((r[0].parse().expect("year"), r[1].clone()), num(&r[2])))
        .collect()
}

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
/// constants of MODEL.md section 9 and the optional fields tiny.toml omits.
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

// ---------------------------------------------------------------- simulate

/// A deterministic run writes exactly the five output files, nothing else.
#[test]
fn simulate_writes_exactly_the_output_files() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("out");
    simulate_tiny(&out, &[]);
    assert_eq!(names_in(&out), OUTPUT_FILES);
    assert_eq!(names_in(dir.path()), ["out"]);
}

/// `yearly.csv` has the documented header and, for each year in order, the
/// 18 lines of issue 2 in order; in expected-value mode every quantile
/// column equals the mean.
#[test]
fn yearly_csv_layout() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("out");
    simulate_tiny(&out, &[]);
    let (header, rows) = read_csv(&out.join("yearly.csv"));
    assert_eq!(
        header.join(","),
        "year,line,mean,p5,p10,p25,p50,p75,p90,p95"
    );
    assert_eq!(rows.len(), 3 * LINES.len());
    for (i, row) in rows.iter().enumerate() {
        let year = 2025 + (i / LINES.len()) as i32;
        assert_eq!(row[0], year.to_string(), "row {i}");
        assert_eq!(row[1], LINES[i % LINES.len()], "row {i}");
        for q in &row[3..] {
            assert_eq!(q, &row[2], "row {i}: {row:?}");
        }
    }
}

/// `monthly.csv`: `month` as YYYY-MM then the 18 lines; 12 rows a year, in
/// calendar order; each month's closing balance is the last one plus surplus.
#[test]
fn monthly_csv_layout() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("out");
    simulate_tiny(&out, &[]);
    let (header, rows) = read_csv(&out.join("monthly.csv"));
    assert_eq!(header[0], "month");
    assert_eq!(header[1..], LINES);
    assert_eq!(rows.len(), 12 * 3);
    let surplus = header.iter().position(|h| h == "surplus").unwrap();
    let closing = header.iter().position(|h| h == "closing_balance").unwrap();
    let mut balance = 1_000_000.0; // tiny.toml's opening balance
    for (t, row) in rows.iter().enumerate() {
        let expected = format!("{}-{:02}", 2025 + t / 12, t % 12 + 1);
        assert_eq!(row[0], expected, "row {t}");
        balance += num(&row[surplus]);
        assert!(
            (balance - num(&row[closing])).abs() < 0.02,
            "{}: closing {} vs opening + surplus {balance}",
            row[0],
            row[closing]
        );
        balance = num(&row[closing]);
    }
}

/// `--years` overrides the scenario's horizon in every output.
#[test]
fn years_flag_sets_the_horizon() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("out");
    simulate_tiny(&out, &["--years", "2"]);
    let summary = read_json(&out.join("summary.json"));
    assert_eq!(summary["years"], 2);
    assert_eq!(summary["per_year"].as_array().unwrap().len(), 2);
    assert_eq!(read_csv(&out.join("monthly.csv")).1.len(), 24);
    assert_eq!(read_csv(&out.join("yearly.csv")).1.len(), 2 * LINES.len());
}

/// `summary.json` carries the provenance (input SHA-256 of the file's bytes,
/// tool version, mode) and per year the December balance, reserve months,
/// breach flag and multiplier, which agree with `yearly.csv`.
#[test]
fn summary_json_contents() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("out");
    simulate_tiny(&out, &[]);
    let s = read_json(&out.join("summary.json"));
    let sha = format!("{:x}", Sha256::digest(fs::read(tiny_path()).unwrap()));
    assert_eq!(s["scenario"], "tiny");
    assert_eq!(s["start_year"], 2025);
    assert_eq!(s["years"], 3);
    assert_eq!(s["mode"], "expected_value");
    assert_eq!(s["input_sha256"], sha.as_str());
    assert_eq!(s["tool_version"], env!("CARGO_PKG_VERSION"));
    let yearly = yearly_means(&out);
    let per_year = s["per_year"].as_array().expect("per_year is a list");
    assert_eq!(per_year.len(), 3);
    for (k, y) in per_year.iter().enumerate() {
        let year = 2025 + k as i32;
        assert_eq!(y["year"], year);
        let mean = |line: &str| yearly[&(year, line.to_string())];
        let closing = y["closing_balance"].as_f64().expect("closing_balance");
        assert!((closing - mean("closing_balance")).abs() < 0.01, "{year}");
        let months = y["reserve_months"].as_f64().expect("reserve_months");
        assert!((months - mean("reserve_months")).abs() < 1e-3, "{year}");
        assert_eq!(y["breach"], months < 12.0, "{year}: breach flag");
        let m = y["rate_multiplier"].as_f64().expect("rate_multiplier");
        assert!((m - mean("rate_multiplier")).abs() < 1e-6, "{year}");
    }
}

/// `by_city.csv` has one row per city and year plus the `省本级` row of
/// provincial lines, so its rows add up to the year's premiums and
/// expenditure; `by_sector.csv` has cost_rate = expenditure ÷ payroll, and
/// its expenditure plus the provincial row is the year's expenditure.
#[test]
fn by_city_and_by_sector_add_up() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("out");
    simulate_tiny(&out, &[]);
    let yearly = yearly_means(&out);

    let (header, rows) = read_csv(&out.join("by_city.csv"));
    assert_eq!(header.join(","), "year,city,premiums,expenditure_total,net");
    assert_eq!(rows.len(), 3 * 2);
    let mut provincial = BTreeMap::new();
    for year in 2025..2028 {
        let of_year: Vec<_> = rows.iter().filter(|r| r[0] == year.to_string()).collect();
        let names: Vec<_> = of_year.iter().map(|r| r[1].as_str()).collect();
        assert_eq!(names, ["Alpha", "省本级"]);
        let sum = |col: usize| of_year.iter().map(|r| num(&r[col])).sum::<f64>();
        assert!((sum(2) - yearly[&(year, "premiums".into())]).abs() < 0.05);
        assert!((sum(3) - yearly[&(year, "expenditure_total".into())]).abs() < 0.05);
        for r in &of_year {
            assert!(
                (num(&r[2]) - num(&r[3]) - num(&r[4])).abs() < 0.015,
                "{r:?}"
            );
        }
        provincial.insert(year, num(&of_year[1][3]));
        let expected =
            yearly[&(year, "prevention".into())] + yearly[&(year, "other_expenditure".into())];
        assert!((provincial[&year] - expected).abs() < 0.05, "{year}");
    }

    let (header, rows) = read_csv(&out.join("by_sector.csv"));
    assert_eq!(
        header.join(","),
        "year,sector,payroll,premiums,expenditure_total,cost_rate"
    );
    assert_eq!(rows.len(), 3);
    for r in &rows {
        let year: i32 = r[0].parse().unwrap();
        assert_eq!(r[1], "class1");
        assert_eq!(
            num(&r[2]),
            60_000_000.0,
            "tiny's payroll: 1,000 × 5,000 × 12"
        );
        let rate = num(&r[4]) / num(&r[2]);
        assert!((num(&r[5]) - rate).abs() < 1e-6, "{r:?}");
        let total = num(&r[4]) + provincial[&year];
        assert!((total - yearly[&(year, "expenditure_total".into())]).abs() < 0.05);
    }
}

/// Two runs into the same folder give byte-identical files, the second
/// replaces the first, and no temporary (`.partial`) folder is left behind.
#[test]
fn reruns_are_byte_identical_and_leave_no_temp_folder() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("out");
    simulate_tiny(&out, &[]);
    let first: Vec<Vec<u8>> = OUTPUT_FILES
        .iter()
        .map(|f| fs::read(out.join(f)).unwrap())
        .collect();
    simulate_tiny(&out, &[]);
    for (f, bytes) in OUTPUT_FILES.iter().zip(&first) {
        assert!(&fs::read(out.join(f)).unwrap() == bytes, "{f} changed");
    }
    assert_eq!(names_in(dir.path()), ["out"], "leftovers next to --out");
    assert_eq!(names_in(&out), OUTPUT_FILES);
}

/// `--out` on a non-empty folder that is not a fundsim output is refused,
/// and the folder's file is left untouched.
#[test]
fn refuses_to_overwrite_a_foreign_folder() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("notes");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("notes.txt"), "keep me").unwrap();
    let r = run(fundsim()
        .arg("simulate")
        .arg(tiny_path())
        .arg("--deterministic")
        .arg("--out")
        .arg(&out));
    assert_ne!(r.code, Some(0), "{}", r.stderr);
    assert!(r.code.is_some(), "killed by a signal");
    assert_no_panic(&r);
    assert!(r.stderr.contains("refusing"), "{}", r.stderr);
    assert_eq!(names_in(&out), ["notes.txt"]);
    assert_eq!(
        fs::read_to_string(out.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(names_in(dir.path()), ["notes"], "leftovers next to --out");
}

/// Without `--out`, a run writes to `outputs/<scenario name>/` under the
/// current folder.
#[test]
fn default_output_folder() {
    let dir = TempDir::new().expect("temporary folder");
    let r = run(fundsim()
        .arg("simulate")
        .arg(tiny_path())
        .arg("--deterministic")
        .current_dir(dir.path()));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(names_in(&dir.path().join("outputs/tiny")), OUTPUT_FILES);
}

/// Without `--deterministic`, `simulate` still runs (in expected-value mode
/// until the Monte Carlo engine lands) and exits 0.
#[test]
fn simulate_without_deterministic_exits_0() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("out");
    let r = run(fundsim()
        .arg("simulate")
        .arg(tiny_path())
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_no_panic(&r);
    assert!(out.join("summary.json").exists());
}

// ---------------------------------------------------------------- help

/// The help of the program and of each subcommand shows examples; asking for
/// help is not an error.
#[test]
fn help_has_examples() {
    for args in [
        &["--help"][..],
        &["validate", "--help"][..],
        &["simulate", "--help"][..],
        &["help", "simulate"][..],
    ] {
        let r = run(fundsim().args(args));
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        assert!(r.stdout.contains("Examples"), "{args:?}:\n{}", r.stdout);
    }
}

/// Running without a subcommand is a usage error (exit 2), not a panic.
#[test]
fn no_subcommand_is_a_usage_error() {
    let r = run(&mut fundsim());
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_no_panic(&r);
    assert!(r.stderr.contains("Usage"), "{}", r.stderr);
}
