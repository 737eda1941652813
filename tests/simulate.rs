//! `fundsim simulate` as a user runs it: its files and their layout, the
//! identities they keep as printed, output folders, the overlay, and help.

use crate::support::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use tempfile::TempDir;

// ---------------------------------------------------------------- simulate

/// A deterministic run writes exactly the five data files, the report and
/// the marker, nothing else.
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
/// expenditure; `by_sector.csv` has `cost_rate` = expenditure ÷ payroll, and
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

/// Without `--out`, a Monte Carlo run writes to `outputs/<scenario name>/`
/// under the current folder and an expected-value run to
/// `outputs/<scenario name>-deterministic/`, so that one never replaces the
/// other; an overlay's name is added to both.
#[test]
fn default_output_folders() {
    let dir = TempDir::new().expect("temporary folder");
    let r = run(fundsim()
        .arg("simulate")
        .arg(tiny_path())
        .arg("--deterministic")
        .current_dir(dir.path()));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        names_in(&dir.path().join("outputs/tiny-deterministic")),
        OUTPUT_FILES
    );
    let r = run(fundsim()
        .arg("simulate")
        .arg(tiny_path())
        .args(["--paths", "20", "-q"])
        .current_dir(dir.path()));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let mc = names_in(&dir.path().join("outputs/tiny"));
    assert!(mc.contains(&"manifest.json".to_string()), "{mc:?}");
    assert_eq!(
        names_in(&dir.path().join("outputs/tiny-deterministic")),
        OUTPUT_FILES,
        "the Monte Carlo run left the expected-value folder alone"
    );
    let r = run(fundsim()
        .arg("simulate")
        .arg(tiny_path())
        .args(["--deterministic", "--stress"])
        .arg(repo("scenarios/stress/recession.toml"))
        .current_dir(dir.path()));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        dir.path()
            .join("outputs/tiny-recession-deterministic")
            .is_dir()
    );
}

/// `simulate` prints the headline: the probability of at least one breach
/// over the horizon with its standard error, as in `summary.json`
/// (`1 − never_breach`), and the most likely first year; the console header
/// and every chart's subtitle name the overlay and its scale, the paths and
/// the seed.
#[test]
fn simulate_prints_the_headline_and_what_ran() {
    let dir = TempDir::new().expect("temporary folder");
    let out = dir.path().join("out");
    let r = run(fundsim()
        .arg("simulate")
        .arg(tiny_path())
        .args(["--paths", "300", "-q", "--stress"])
        .arg(repo("scenarios/stress/recession.toml"))
        .args(["--stress-scale", "0.5", "--out"])
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let summary = read_json(&out.join("summary.json"));
    let mc = &summary["monte_carlo"];
    let any = 1.0 - mc["never_breach"].as_f64().unwrap();
    let se = (any * (1.0 - any) / 300.0).sqrt();
    let headline = format!(
        "at least once by 2027: {:.1} % (± {:.1} points)",
        any * 100.0,
        se * 100.0
    );
    assert!(r.stdout.contains(&headline), "{headline}\n{}", r.stdout);
    let first = mc["first_breach_year"].as_array().unwrap();
    let best = first
        .iter()
        .fold((0, 0.0), |b, y| {
            let share = y["share"].as_f64().unwrap();
            if share > b.1 {
                (y["year"].as_i64().unwrap(), share)
            } else {
                b
            }
        })
        .0;
    assert!(
        r.stdout
            .contains(&format!("the most likely first year of a breach is {best}")),
        "{}",
        r.stdout
    );
    let header = r.stdout.lines().next().unwrap();
    for part in ["300 paths", "seed 7", "stress recession (scale 0.5)"] {
        assert!(header.contains(part), "{part}: {header}");
    }
    for chart in [
        "balance_fan.svg",
        "reserve_months_fan.svg",
        "breach_probability.svg",
        "income_expenditure.svg",
        "city_net.svg",
    ] {
        let svg = fs::read_to_string(out.join(chart)).unwrap();
        assert!(
            svg.contains("300 paths, seed 7, stress recession (scale 0.5)"),
            "{chart}"
        );
    }
}

/// `--unit` sets the unit of the console table for every command, and the
/// default follows the scenario's size: 万元 for the province and tiny.
#[test]
fn unit_flag_sets_the_console_unit() {
    let dir = TempDir::new().expect("temporary folder");
    for (unit, label) in [("yuan", "元"), ("wan", "万元"), ("yi", "亿元")] {
        let r = run(fundsim()
            .arg("simulate")
            .arg(tiny_path())
            .args(["--deterministic", "--unit", unit, "--out"])
            .arg(dir.path().join(unit)));
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(
            r.stdout
                .lines()
                .next()
                .unwrap()
                .ends_with(&format!("amounts in {label}")),
            "{}",
            r.stdout
        );
    }
    let r = simulate_tiny(&dir.path().join("default"), &[]);
    assert!(
        r.stdout
            .lines()
            .next()
            .unwrap()
            .ends_with("amounts in 万元")
    );
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

/// `simulate --stress` runs and records the overlay in summary.json; a bad
/// overlay exits 2 and writes nothing.
#[test]
fn simulate_with_stress() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    fundsim()
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
    let o = fundsim()
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

/// A stderr that cannot be written (here /dev/full, as on a full disk)
/// loses the messages and nothing else: a good run still exits 0 with its
/// outputs written, and a bad scenario still exits 2 — no panic, no abort.
#[test]
fn unwritable_stderr_keeps_the_exit_code() {
    let full = std::path::Path::new("/dev/full");
    if !full.exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let bin = || std::process::Command::new(assert_cmd::cargo::cargo_bin!("fundsim"));
    let status = bin()
        .args(["simulate", "--deterministic", "--out"])
        .arg(&out)
        .arg(tiny_path())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(full).unwrap())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(out.join("summary.json").exists());
    let status = bin()
        .args(["validate", "no-such-scenario.toml"])
        .stderr(std::fs::File::create(full).unwrap())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}

/// A scenario's `title` heads its report and charts in place of its name;
/// the name still names the output folder and the files for machines. A
/// title on two lines, or with a character that cannot be seen, is
/// refused, naming the field and showing the character escaped.
#[test]
fn the_title_heads_the_report() {
    let sc = Scenario::new(&tiny_with(
        "name = \"tiny\"\n",
        "name = \"tiny\"\ntitle = \"Fund of Alpha & Co\"\n",
    ));
    let r = run(fundsim().current_dir(sc.dir.path()).args([
        "simulate",
        "--deterministic",
        "scenario.toml",
        "-q",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let out = sc.dir.path().join("outputs/tiny-deterministic");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("<title>Fund of Alpha &amp; Co: work-injury fund projection"),
        "{}",
        &html[..html.len().min(600)]
    );
    let summary = fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("\"scenario\": \"tiny\""), "{summary}");
    let bad = Scenario::new(&tiny_with(
        "name = \"tiny\"\n",
        "name = \"tiny\"\ntitle = \"two\\nlines\"\n",
    ));
    let r = run(fundsim().arg("validate").arg(&bad.path));
    assert_eq!(r.code, Some(2));
    let separated = Scenario::new(&tiny_with(
        "name = \"tiny\"\n",
        "name = \"tiny\"\ntitle = \"two\\u2028lines\"\n",
    ));
    let r2 = run(fundsim().arg("validate").arg(&separated.path));
    assert!(
        r2.code == Some(2) && r2.stderr.contains("title = \"two\\u2028lines\""),
        "a line separator breaks the line too: {}",
        r2.stderr
    );
    assert!(
        r.stderr.contains(
            "title = \"two\\u000Alines\": whose fund it is, as a report's title shows it"
        ),
        "{}",
        r.stderr
    );
    // what cannot be seen is refused and shown: a zero-width space alone, a
    // right-to-left override that turns the text around; a zero-width
    // joiner, which scripts need, is taken
    for (title, shown, refused) in [
        ("\\u200B", "\\u200B", true),
        ("Fund \\u202Eorez\\u202C", "Fund \\u202Eorez\\u202C", true),
        ("Fund\\uFEFF", "Fund\\uFEFF", true),
        ("a\\u200Db", "", false),
        // nothing that shows (review)
        ("\\u200D", "\\u200D", true),
        ("\\u3164", "\\u3164", true),
        ("\\u2800", "\\u2800", true),
        ("\\u0301\\u0302", "\\u0301\\u0302", true),
        ("e\\u0301", "", false),
        ("\\U000E0041\\U000E0042", "\\U000E0041\\U000E0042", true),
    ] {
        let sc = Scenario::new(&tiny_with(
            "name = \"tiny\"\n",
            &format!("name = \"tiny\"\ntitle = \"{title}\"\n"),
        ));
        let r = run(fundsim().arg("validate").arg(&sc.path));
        if refused {
            assert!(
                r.code == Some(2)
                    && r.stderr
                        .contains(&format!("title = \"{shown}\": whose fund")),
                "{title}: {}",
                r.stderr
            );
        } else {
            assert_eq!(r.code, Some(0), "{title}: {}", r.stderr);
        }
    }
}

/// An overlay whose shock falls after a horizon shortened by `--years` is
/// refused with the shock's field, and the message says the horizon is the
/// run's, not the scenario's; exit 2, nothing written.
#[test]
fn an_overlay_past_a_shortened_horizon_says_why() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("y2");
    let r = run(fundsim()
        .args(["simulate", "--years", "2", "--paths", "10", "--stress"])
        .arg(repo("scenarios/stress/claims_surge.toml"))
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("shock[0].to = 2028: a year of the horizon, 2025–2026")
            && r.stderr.contains(
                "this run's horizon is 2025–2026: --years 2 in place of the scenario's 10 years"
            ),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

/// A rate multiplier that starts above 1 (a history's 1.21) and that the
/// policy never moves (a balance far above every band) is raised on no
/// path: the headline says 0 %, not the 100 % that comparing its single-
/// precision copy (1.2100000381…) with 1.21 gave, and the rates stay 1.00
/// times today's (today's being 1.21 times the benchmark), not 1.21.
#[test]
fn a_multiplier_that_stays_at_its_start_is_raised_on_no_path() {
    let text = tiny_with(
        "[policy]\nkind = \"none\"\n",
        "[policy]\nkind = \"bands\"\n[[policy.bands]]\nupper = 12.0\naction = \"raise\"\nstep = 0.1\ncap = 1.5\n[[policy.bands]]\nlower = 12.0\naction = \"hold\"\n",
    )
    .replacen(
        "opening_balance = 1000000.0",
        "opening_balance = 1000000000.0\ninitial_multiplier = 1.21",
        1,
    );
    let sc = Scenario::new(&text);
    let out = sc.dir.path().join("out");
    let r = run(fundsim()
        .args(["simulate", "--paths", "50", "--lang", "en", "-q", "--out"])
        .arg(&out)
        .arg(&sc.path));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("have been raised on 0 % of paths; on average they are 1.00 times today&#39;s, and at most 1.00 times"),
        "{}",
        html.split("The rate policy")
            .nth(1)
            .unwrap_or(&html)
            .chars()
            .take(300)
            .collect::<String>()
    );
}
