//! `fundsim calibrate` and `fundsim backtest` as a user runs them: the
//! shipped example histories calibrate into scenarios that pass
//! `fundsim validate`, bad history files are refused with the cell named,
//! and back-tests of the synthetic and of the real national series write
//! their outputs and a verdict.

use crate::support::{assert_no_panic, fundsim, repo, run};
use serde_json::Value;
use std::fmt::Write as _;
use std::fs;
use tempfile::TempDir;

/// The JSON of a run on the synthetic history and the embedded base names
/// both files by the SHA-256 of their bytes.
fn assert_names_its_inputs(json: &Value) {
    use sha2::{Digest, Sha256};
    let sha = |path: &str| format!("{:x}", Sha256::digest(fs::read(repo(path)).unwrap()));
    assert_eq!(
        json["history_sha256"],
        sha("scenarios/history/jiangxi-synthetic.csv").as_str()
    );
    assert_eq!(
        json["base_sha256"],
        sha("scenarios/jiangxi-2025.toml").as_str()
    );
}

/// The synthetic Jiangxi history calibrates: the three files are written,
/// every driver is fitted, each replaced value carries its comment, and
/// the scenario passes `fundsim validate` and simulates.
#[test]
fn calibrate_writes_a_valid_commented_scenario() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("cal");
    let r = run(fundsim()
        .arg("calibrate")
        .arg(repo("scenarios/history/jiangxi-synthetic.csv"))
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let toml = fs::read_to_string(out.join("scenario.toml")).unwrap();
    assert!(toml.starts_with("# Calibrated by fundsim"));
    assert!(toml.contains("start_year = 2025"));
    assert!(toml.contains("# fitted from history 2011–2024: "), "{toml}");
    let json: Value =
        serde_json::from_str(&fs::read_to_string(out.join("calibration.json")).unwrap()).unwrap();
    assert_names_its_inputs(&json);
    let drivers = json["calibration"]["drivers"].as_array().unwrap();
    assert_eq!(drivers.len(), 7);
    assert!(drivers.iter().all(|d| d["fit"].is_object()));
    assert!(
        json["first_year_check"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["within_tolerance"] == true)
    );
    let md = fs::read_to_string(out.join("calibration.md")).unwrap();
    assert!(
        md.contains("| wage_growth | average_wage | 2011–2024 | 14 |"),
        "{md}"
    );
    // a level is the history's figure to the yuan (7,084,635,437 in the
    // file), and the page shows the digits the scenario holds, not `7.085e9`
    assert!(toml.contains("opening_balance = 7084635437.0"), "{toml}");
    assert!(toml.contains("average_monthly_wage = 17883.83"), "{toml}");
    assert!(
        md.contains("| fund.opening_balance | 7,084,635,437 |")
            && md.contains("| economy.average_monthly_wage | 17,883.83 |"),
        "{md}"
    );
    assert!(
        !md.lines()
            .filter(|l| l.starts_with("| "))
            .any(|l| l.contains("e9") || l.contains("e6")),
        "{md}"
    );
    let v = run(fundsim().arg("validate").arg(out.join("scenario.toml")));
    assert_eq!(v.code, Some(0), "{}", v.stderr);
    let s = run(fundsim()
        .arg("simulate")
        .arg(out.join("scenario.toml"))
        .args(["--deterministic", "--out"])
        .arg(dir.path().join("sim")));
    assert_eq!(s.code, Some(0), "{}", s.stderr);
}

/// The real national series is sparse: the calibration uses each series
/// where it has data, names what it could not fit, and keeps it from the
/// base; the result is still a valid scenario.
#[test]
fn the_national_series_calibrates_with_what_it_has() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("nat");
    let r = run(fundsim()
        .arg("calibrate")
        .arg(repo("scenarios/history/national.csv"))
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let json: Value =
        serde_json::from_str(&fs::read_to_string(out.join("calibration.json")).unwrap()).unwrap();
    let drivers = json["calibration"]["drivers"].as_array().unwrap();
    let fitted: Vec<&str> = drivers
        .iter()
        .filter(|d| d["fit"].is_object())
        .map(|d| d["driver"].as_str().unwrap())
        .collect();
    assert_eq!(fitted, ["wage_growth", "employment_growth"]);
    // calibrated on Jiangxi's default, the nation is warned of, by its
    // last year with insured (2023 has none): 29,000万 in 2022
    assert!(
        r.stdout
            .contains("warning: the history's 2022 insured, 290,000,000, are 45.02 times"),
        "{}",
        r.stdout
    );
    let kept = json["calibration"]["kept"].as_array().unwrap();
    let medical = kept
        .iter()
        .find(|k| k["what"] == "drivers.medical_inflation")
        .unwrap();
    assert!(
        medical["reason"]
            .as_str()
            .unwrap()
            .contains("0 known values"),
        "{medical}"
    );
    let v = run(fundsim().arg("validate").arg(out.join("scenario.toml")));
    assert_eq!(v.code, Some(0), "{}", v.stderr);
}

/// Each bad history is refused with exit code 2, naming the file, the line,
/// the column and the cell, and nothing is written.
#[test]
fn bad_history_files_name_the_cell() {
    let good = fs::read_to_string(repo("scenarios/history/jiangxi-synthetic.csv")).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    let gap = [&lines[..3], &lines[4..]].concat().join("\n");
    // line 3's cell in column `c` (1-based) edited, the rest as shipped
    let edit = |c: usize, f: &dyn Fn(&str) -> String| -> (String, String) {
        let mut cells: Vec<String> = lines[2].split(',').map(str::to_owned).collect();
        let old = cells[c - 1].clone();
        cells[c - 1] = f(&old);
        let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        out[2] = cells.join(",");
        (out.join("\n"), old)
    };
    let (text, injuries) = edit(16, &|v| format!("{v}x"));
    let (negative, care) = edit(20, &|v| format!("-{v}"));
    let text_error = format!("text.csv:3:16 (column injuries): `{injuries}x` is not a number");
    let negative_error = format!("negative.csv:3:20 (column care_heads): -{care} is negative");
    let missing = {
        let mut out = Vec::new();
        for l in &lines {
            let cells: Vec<&str> = l.split(',').collect();
            let kept: Vec<&str> = cells
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != 17)
                .map(|(_, c)| *c)
                .collect();
            out.push(kept.join(","));
        }
        out.join("\n")
    };
    let cases = [
        (
            "gap.csv",
            gap,
            "gap.csv:4:1 (column year): 2012 follows 2010",
        ),
        ("text.csv", text, text_error.as_str()),
        ("negative.csv", negative, negative_error.as_str()),
        (
            "missing.csv",
            missing,
            "missing.csv:1: the header lacks the required column deaths",
        ),
    ];
    let dir = TempDir::new().unwrap();
    for (name, body, expected) in cases {
        let path = dir.path().join(name);
        fs::write(&path, body).unwrap();
        let out = dir.path().join(format!("{name}-out"));
        let r = run(fundsim().arg("calibrate").arg(&path).arg("--out").arg(&out));
        assert_no_panic(&r);
        assert_eq!(r.code, Some(2), "{name}: {}", r.stderr);
        assert!(
            r.stderr.contains(expected),
            "{name}: {}\n--- expected {expected}",
            r.stderr
        );
        assert!(!out.exists(), "{name}: nothing is written");
    }
}

/// A back-test of the synthetic history from 2018 places every later value
/// of the six measures (6 years × 6) and writes its files, with a verdict
/// that counts them; --rolling repeats it from every origin from 2020.
#[test]
fn backtest_writes_placements_charts_and_a_verdict() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("bt");
    let r = run(fundsim()
        .arg("backtest")
        .arg(repo("scenarios/history/jiangxi-synthetic.csv"))
        .args(["--from", "2018", "--paths", "100", "-q", "--out"])
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for f in [
        "backtest.csv",
        "backtest.json",
        "backtest.md",
        "backtest_balance.svg",
        "backtest_average_wage.svg",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let csv = fs::read_to_string(out.join("backtest.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 36);
    assert!(r.stdout.contains("of 36 observed values"), "{}", r.stdout);
    // backtest.md shows money in the scenario's unit (万元 here), grouped,
    // the figure the JSON gives in yuan; no value is written with an exponent
    let md = fs::read_to_string(out.join("backtest.md")).unwrap();
    let json: Value =
        serde_json::from_str(&fs::read_to_string(out.join("backtest.json")).unwrap()).unwrap();
    assert_names_its_inputs(&json);
    let balance = json["placements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["measure"] == "balance" && p["year"] == 2019)
        .unwrap();
    let wan = format!("{:.2}", balance["observed"].as_f64().unwrap() / 1e4);
    let (int, frac) = wan.split_once('.').unwrap();
    let grouped: Vec<String> = int
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let row = format!(
        "| 2018 | 2019 | balance | 万元 | {}.{frac} |",
        grouped.join(",")
    );
    assert!(md.contains(&row), "{row} not in\n{md}");
    let table = md.split("## Values placed").nth(1).unwrap();
    assert!(
        !table.contains("e8") && !table.contains("e9"),
        "an exponent in\n{table}"
    );
    let rolling = dir.path().join("roll");
    let r = run(fundsim()
        .arg("backtest")
        .arg(repo("scenarios/history/jiangxi-synthetic.csv"))
        .args([
            "--from",
            "2020",
            "--rolling",
            "--paths",
            "50",
            "-q",
            "--out",
        ])
        .arg(&rolling));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let json: Value =
        serde_json::from_str(&fs::read_to_string(rolling.join("backtest.json")).unwrap()).unwrap();
    assert_eq!(json["origins"].as_array().unwrap().len(), 4);
    // origins 2020–2023 leave 4 + 3 + 2 + 1 years of 6 measures
    assert_eq!(json["placements"].as_array().unwrap().len(), 60);
    let bad = run(fundsim()
        .arg("backtest")
        .arg(repo("scenarios/history/jiangxi-synthetic.csv"))
        .args(["--from", "2024"]));
    assert_eq!(bad.code, Some(2));
    assert!(bad.stderr.contains("lies in 2014–2023"), "{}", bad.stderr);
}

/// The real national series back-tested from 2009: the wage and employment
/// drivers fitted on 1995–2009, the 2010–2023 average wages and the
/// insured counts placed in their fans; it runs and writes its outputs
/// (its coverage is reported in docs/calibration.md, whatever it is).
#[test]
fn the_national_series_backtests() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("nat");
    let r = run(fundsim()
        .arg("backtest")
        .arg(repo("scenarios/history/national.csv"))
        .args(["--from", "2009", "--paths", "200", "-q", "--out"])
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let json: Value =
        serde_json::from_str(&fs::read_to_string(out.join("backtest.json")).unwrap()).unwrap();
    let placements = json["placements"].as_array().unwrap();
    let count = |m: &str| placements.iter().filter(|p| p["measure"] == m).count();
    assert_eq!(count("average_wage"), 13);
    assert_eq!(count("insured"), 8);
    assert!(out.join("backtest_average_wage.svg").is_file());
}

/// `--by-class` and `--by-city` files as a user writes them: a good pair
/// sets the class and city tables (the comments say so) and the scenario
/// validates; a class the base does not have, a gap in a city's years and
/// an unknown column are refused with exit 2 and the cell named, and
/// nothing is written.
#[test]
fn by_class_and_by_city_files_calibrate_or_name_the_cell() {
    let dir = TempDir::new().unwrap();
    let classes = [
        "一类", "二类", "三类", "四类", "五类", "六类", "七类", "八类",
    ];
    let mut by_class =
        String::from("year,class,insured [万人],payroll [亿元],injuries,graded,deaths\n");
    for y in 2022..=2024 {
        for (i, c) in classes.iter().enumerate() {
            let n = 50.0 + 10.0 * i as f64;
            let _ = writeln!(
                by_class,
                "{y},{c},{n},{},{},{},{}",
                n * 7.0,
                n * 40.0 * (1.0 + i as f64 / 4.0),
                n * 12.0,
                (i + 1) as f64
            );
        }
    }
    let cities = [
        "南昌",
        "景德镇",
        "萍乡",
        "九江",
        "新余",
        "鹰潭",
        "赣州",
        "吉安",
        "宜春",
        "抚州",
        "上饶",
        "赣江新区",
    ];
    let mut by_city = String::from("year,city,insured,premiums,payroll\n");
    for y in 2023..=2024 {
        for (i, c) in cities.iter().enumerate() {
            let n = 300_000.0 + 10_000.0 * i as f64;
            let _ = writeln!(by_city, "{y},{c},{n},{},{}", n * 250.0, n * 70_000.0);
        }
    }
    let class_path = dir.path().join("class.csv");
    let city_path = dir.path().join("city.csv");
    fs::write(&class_path, &by_class).unwrap();
    fs::write(&city_path, &by_city).unwrap();
    let out = dir.path().join("cal");
    let r = run(fundsim()
        .arg("calibrate")
        .arg(repo("scenarios/history/jiangxi-synthetic.csv"))
        .arg("--by-class")
        .arg(&class_path)
        .arg("--by-city")
        .arg(&city_path)
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let toml = fs::read_to_string(out.join("scenario.toml")).unwrap();
    for needle in [
        "the base table raked to the by-city and by-class insured",
        "the by-class file's injuries ÷ insured",
        "the by-city file's premiums ÷ payroll",
        "from the by-class file's shares",
    ] {
        assert!(toml.contains(needle), "{needle} not in the scenario");
    }
    let json: Value =
        serde_json::from_str(&fs::read_to_string(out.join("calibration.json")).unwrap()).unwrap();
    assert_names_its_inputs(&json);
    for (key, body) in [("by_class_sha256", &by_class), ("by_city_sha256", &by_city)] {
        use sha2::{Digest, Sha256};
        let sha = format!("{:x}", Sha256::digest(body.as_bytes()));
        assert_eq!(json[key], sha.as_str(), "{key}");
    }
    let v = run(fundsim().arg("validate").arg(out.join("scenario.toml")));
    assert_eq!(v.code, Some(0), "{}", v.stderr);

    // a class whose rows are all empty cells: the file's series are read for
    // every class or none, so each one dropped is a warning naming the class
    let emptied: String = by_class
        .lines()
        .map(|l| {
            if l.contains(",八类,") {
                let year = l.split(',').next().unwrap_or_default();
                format!("{year},八类,,,,,")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let empty_path = dir.path().join("class-empty.csv");
    fs::write(&empty_path, &emptied).unwrap();
    let r = run(fundsim()
        .arg("calibrate")
        .arg(repo("scenarios/history/jiangxi-synthetic.csv"))
        .arg("--by-class")
        .arg(&empty_path)
        .arg("--out")
        .arg(dir.path().join("cal-empty")));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let console = format!("{}{}", r.stdout, r.stderr);
    assert!(
        console.contains("gives insured for 2024 but not for 八类")
            && console.contains("so its insured was not used"),
        "{console}"
    );

    let cases = [
        (
            "class",
            by_class.replacen(",八类,", ",九类,", 1),
            "bad.csv:9:2 (column class): `九类` is not a class of the base scenario",
        ),
        (
            "city",
            by_city.replacen("2024,南昌,", "2025,南昌,", 1),
            "bad.csv:14:1 (column year): city 南昌: 2025 follows 2023",
        ),
        (
            "class",
            by_class.replacen("deaths\n", "deaths,rate\n", 1),
            "bad.csv:1:8 (column rate): `rate` is not a column of the by-class format",
        ),
    ];
    for (kind, body, expected) in cases {
        let path = dir.path().join("bad.csv");
        fs::write(&path, body).unwrap();
        let out = dir.path().join("bad-out");
        let r = run(fundsim()
            .arg("calibrate")
            .arg(repo("scenarios/history/jiangxi-synthetic.csv"))
            .arg(format!("--by-{kind}"))
            .arg(&path)
            .arg("--out")
            .arg(&out));
        assert_no_panic(&r);
        assert_eq!(r.code, Some(2), "{expected}: {}", r.stderr);
        assert!(
            r.stderr.contains(expected),
            "{}\n--- expected {expected}",
            r.stderr
        );
        assert!(!out.exists(), "nothing is written");
    }
}

/// `--out NAME.toml` (the form): the scenario is written there and
/// the reports into `NAME.calibration` beside it; a second run replaces
/// both; a `.toml` file fundsim did not write is refused with exit 2 and
/// left as it was, and nothing else is written.
#[test]
fn calibrate_out_a_toml_file() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("fund.toml");
    let calibrate = |out: &std::path::Path| {
        run(fundsim()
            .arg("calibrate")
            .arg(repo("scenarios/history/jiangxi-synthetic.csv"))
            .arg("--out")
            .arg(out))
    };
    for _ in 0..2 {
        let r = calibrate(&file);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.starts_with("# Calibrated by fundsim"));
        let folder = dir.path().join("fund.calibration");
        assert!(folder.join("calibration.md").is_file());
        assert_eq!(
            fs::read_to_string(folder.join("scenario.toml")).unwrap(),
            text
        );
    }
    let v = run(fundsim().arg("validate").arg(&file));
    assert_eq!(v.code, Some(0), "{}", v.stderr);
    let theirs = dir.path().join("theirs.toml");
    fs::write(&theirs, "name = \"mine\"\n").unwrap();
    let r = calibrate(&theirs);
    assert_no_panic(&r);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("was not written by fundsim"),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read_to_string(&theirs).unwrap(), "name = \"mine\"\n");
    assert!(!dir.path().join("theirs.calibration").exists());
}

/// A back-test from an origin year whose row is empty places nothing: the
/// projection starts from the origin's own figures. It is refused, saying
/// so, instead of writing a verdict over no values (and a mean PIT of NaN).
#[test]
fn a_backtest_from_an_empty_origin_is_refused() {
    let dir = TempDir::new().unwrap();
    let text = fs::read_to_string(repo("scenarios/history/jiangxi-synthetic.csv")).unwrap();
    let blank: String = text
        .lines()
        .map(|l| {
            if l.starts_with("2018,") {
                let cells = l.split(',').count();
                format!("2018{}", ",".repeat(cells - 1))
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let path = dir.path().join("blank.csv");
    fs::write(&path, blank).unwrap();
    let out = dir.path().join("bt");
    let r = run(fundsim()
        .arg("backtest")
        .arg(&path)
        .args(["--from", "2018", "--paths", "20", "--out"])
        .arg(&out));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("nothing to place") && r.stderr.contains("origin year 2018"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

/// A history of a fund a fifth of Jiangxi's size (its 2024 insured are
/// 0.2353 of the default's: the synthetic history's are 1.18) calibrated without
/// `--base` is warned of on the console and in calibration.json (the
/// default keeps Jiangxi's cities and rates); with the default's own
/// history, or with that same fund's base given, there is no such warning.
#[test]
fn another_funds_history_on_the_default_is_warned_of() {
    let dir = TempDir::new().unwrap();
    let text = fs::read_to_string(repo("scenarios/history/jiangxi-synthetic.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut small = String::new();
    let _ = writeln!(small, "{}", header.join(","));
    let _ = writeln!(small, "{}", lines.next().unwrap());
    // every amount and count a fifth; wages, incomes and the multiplier kept
    let kept = [
        "year",
        "average_wage",
        "disposable_income",
        "rate_multiplier",
    ];
    for line in lines {
        let cells: Vec<String> = line
            .split(',')
            .zip(&header)
            .map(|(cell, name)| match cell.parse::<f64>() {
                Ok(v) if !kept.contains(name) => format!("{:.0}", v / 5.0),
                _ => cell.to_string(),
            })
            .collect();
        let _ = writeln!(small, "{}", cells.join(","));
    }
    let path = dir.path().join("small.csv");
    fs::write(&path, small).unwrap();
    let calibrate = |history: &std::path::Path, base: Option<&std::path::Path>, out: &str| {
        let mut c = fundsim();
        c.arg("calibrate").arg(history);
        if let Some(b) = base {
            c.arg("--base").arg(b);
        }
        let out = dir.path().join(out);
        let r = run(c.arg("--out").arg(&out));
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        let json: Value =
            serde_json::from_str(&fs::read_to_string(out.join("calibration.json")).unwrap())
                .unwrap();
        (r, json)
    };
    let warned = |json: &Value| {
        json["calibration"]["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("times the default scenario's"))
    };
    let (r, json) = calibrate(&path, None, "small");
    assert!(
        r.stdout.contains("warning: the history's 2024 insured, ")
            && r.stdout
                .contains(" are 0.2353 times the default scenario's 6,441,066")
            && r.stdout.contains("--base FILE"),
        "{}",
        r.stdout
    );
    assert!(warned(&json), "{json}");
    let own = dir.path().join("small").join("scenario.toml");
    let (_, json) = calibrate(&path, Some(&own), "again");
    assert!(!warned(&json), "{json}");
    let (r, json) = calibrate(
        &repo("scenarios/history/jiangxi-synthetic.csv"),
        None,
        "jiangxi",
    );
    assert!(
        !warned(&json) && !r.stdout.contains("default scenario's"),
        "{}",
        r.stdout
    );
}
