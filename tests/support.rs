//! What the command-line tests share: the binary, a scenario written into
//! its own temporary folder, runs and their output, and readers of the
//! files a run writes. Every run writes into a temporary folder, never into
//! the repository.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The binary under test.
pub(crate) fn fundsim() -> Command {
    Command::cargo_bin("fundsim").expect("the fundsim binary is built")
}

pub(crate) fn tiny_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml")
}

pub(crate) fn tiny_text() -> String {
    fs::read_to_string(tiny_path()).expect("scenarios/tiny.toml is readable")
}

/// A file of the repository.
pub(crate) fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The 18 lines of `yearly.csv` and `monthly.csv`, in report order (issue 2).
pub(crate) const LINES: [&str; 18] = [
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

/// The files of an expected-value projection run, with the marker every
/// output folder carries (`fundsim-output.json`).
pub(crate) const OUTPUT_FILES: [&str; 7] = [
    "by_city.csv",
    "by_sector.csv",
    "fundsim-output.json",
    "monthly.csv",
    "report.html",
    "summary.json",
    "yearly.csv",
];

// ---------------------------------------------------------------- helpers

/// `tiny.toml` with `from` replaced by `to`. Panics when `from` is not in the
/// file exactly once, so a change to `tiny.toml` cannot silently turn a bad
/// scenario into a valid one.
pub(crate) fn tiny_with(from: &str, to: &str) -> String {
    let text = tiny_text();
    assert_eq!(
        text.matches(from).count(),
        1,
        "scenarios/tiny.toml should contain {from:?} exactly once"
    );
    text.replacen(from, to, 1)
}

/// A scenario written into its own temporary folder.
pub(crate) struct Scenario {
    pub(crate) dir: TempDir,
    pub(crate) path: PathBuf,
}

impl Scenario {
    pub(crate) fn new(text: &str) -> Scenario {
        let dir = TempDir::new().expect("temporary folder");
        let path = dir.path().join("scenario.toml");
        fs::write(&path, text).expect("write the scenario");
        Scenario { dir, path }
    }
}

/// Output of one run.
pub(crate) struct Ran {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) fn run(cmd: &mut Command) -> Ran {
    let out = cmd.output().expect("run fundsim");
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// No panic reached the user.
pub(crate) fn assert_no_panic(r: &Ran) {
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
pub(crate) fn assert_rejected(text: &str, expected: &[&str]) -> String {
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
pub(crate) fn simulate_tiny(out: &Path, extra: &[&str]) -> Ran {
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
pub(crate) fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
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

pub(crate) fn num(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("{cell:?} is not a number"))
}

pub(crate) fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).expect("read JSON")).expect("valid JSON")
}

/// Names in a folder, sorted.
pub(crate) fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file of a folder, by name, and its bytes.
pub(crate) fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    names_in(dir)
        .into_iter()
        .map(|n| {
            let bytes = fs::read(dir.join(&n)).expect("read file");
            (n, bytes)
        })
        .collect()
}

/// `yearly.csv` as `(year, line) → mean`.
pub(crate) fn yearly_means(dir: &Path) -> BTreeMap<(i32, String), f64> {
    let (_, rows) = read_csv(&dir.join("yearly.csv"));
    rows.iter()
        .map(|r| ((r[0].parse().expect("year"), r[1].clone()), num(&r[2])))
        .collect()
}

/// Paths of the CLI runs: more than two chunks of 128, not a multiple of 128
/// nor of 3·128, so chunk, thread and shard boundaries all differ.
pub(crate) const CLI_PATHS: &str = "300";

/// Output files that must not depend on threads or shards.
pub(crate) const STAT_FILES: [&str; 4] =
    ["summary.json", "yearly.csv", "by_city.csv", "by_sector.csv"];

/// Runs `fundsim` with `args`; returns (exit code, stderr).
pub(crate) fn run_cli(args: &[&str]) -> (Option<i32>, String) {
    let out = fundsim().args(args).output().expect("run fundsim");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "fundsim panicked:\n{stderr}");
    (out.status.code(), stderr)
}

/// `fundsim simulate` (default scenario) with `extra` into `out`; must succeed.
pub(crate) fn simulate(out: &Path, extra: &[&str]) {
    let out_s = out.to_str().expect("UTF-8 temp path");
    let mut args = vec!["simulate", "--paths", CLI_PATHS, "-q", "--out", out_s];
    args.extend_from_slice(extra);
    let (code, stderr) = run_cli(&args);
    assert_eq!(code, Some(0), "fundsim {args:?} failed:\n{stderr}");
}

pub(crate) fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}/{name}: {e}", dir.display()))
}

/// The two folders hold the same files with the same bytes.
#[track_caller]
pub(crate) fn assert_same_files(a: &Path, b: &Path, files: &[&str]) {
    for f in files {
        assert!(
            read(a, f) == read(b, f),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}
