//! `fundsim budget` as a user runs it: its files foot as printed, the
//! workbook reads back with the CSV's numbers, bad input is refused.

use crate::support::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// `fundsim budget` writes budget.csv and budget.md; read back, the CSV's
/// numbers foot exactly as printed; a rerun into the same folder works.
#[test]
fn budget_command_csv_foots_as_printed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("budget");
    for _ in 0..2 {
        fundsim()
            .args(["budget", "--paths", "150", "--year", "2026", "-q", "--out"])
            .arg(&out)
            .assert()
            .success();
    }
    assert!(out.join("budget.md").exists());
    let mut rdr = csv::Reader::from_path(out.join("budget.csv")).unwrap();
    let mut province: HashMap<String, [Decimal; 3]> = HashMap::new();
    let mut cities: Vec<(String, String, Decimal)> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        if &rec[0] == "province" && &rec[1] != "reserve_months" {
            let v = [3, 4, 5].map(|i| rec[i].parse::<Decimal>().unwrap());
            assert_eq!(v[0].scale(), 2, "万元 with two decimals: {}", &rec[3]);
            province.insert(rec[1].to_string(), v);
        } else if &rec[0] == "by_city" {
            cities.push((
                rec[1].to_string(),
                rec[2].to_string(),
                rec[3].parse().unwrap(),
            ));
        }
    }
    // each of the three columns: budget, low, high
    #[allow(clippy::needless_range_loop)]
    for c in 0..3 {
        let g = |name: &str| province[name][c];
        let income = g("premiums") + g("interest") + g("fiscal_subsidy") + g("other_income");
        assert_eq!(income, g("income_total"));
        let expenditure = [
            "medical",
            "disability",
            "death",
            "investigation",
            "appraisal",
            "prevention",
            "other_expenditure",
        ]
        .iter()
        .map(|n| g(n))
        .sum::<Decimal>();
        assert_eq!(expenditure, g("expenditure_total"));
        assert_eq!(g("income_total") - g("expenditure_total"), g("surplus"));
        assert!(g("gap_transfers") <= g("fiscal_subsidy"));
    }
    let sum = |row: &str| {
        cities
            .iter()
            .filter(|c| c.0 == row)
            .map(|c| c.2)
            .sum::<Decimal>()
    };
    assert_eq!(sum("premiums"), province["premiums"][0]);
    assert_eq!(sum("expenditure_total"), province["expenditure_total"][0]);
    assert_eq!(
        sum("net"),
        province["premiums"][0] - province["expenditure_total"][0]
    );
}

/// A year outside the projection is a usage error.
#[test]
fn budget_year_outside_the_horizon_is_refused() {
    let o = fundsim()
        .args(["budget", "--year", "2040", "--paths", "10"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--year 2040"));
}

/// The workbook reads back (calamine) with the CSV's values in both sheets,
/// with Chinese labels, and its totals foot.
#[test]
fn workbook_reads_back_with_the_csv_values() {
    use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("budget");
    fundsim()
        .args(["budget", "--paths", "120", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut book: Xlsx<_> = open_workbook(out.join("budget.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec![
            "说明".to_string(),
            "预算草案".to_string(),
            "分地区".to_string(),
            "分地区分科目".to_string(),
            "用款计划".to_string()
        ]
    );
    let sheet = book.worksheet_range("预算草案").unwrap();
    let mut rdr = csv::Reader::from_path(out.join("budget.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let province: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[0] == "province" && &r[1] != "reserve_months")
        .collect();
    for (i, rec) in province.iter().enumerate() {
        let r = 3 + i as u32;
        assert_eq!(
            sheet.get_value((r, 0)).and_then(|d| d.get_string()),
            Some(&rec[2]),
            "label of row {i}"
        );
        for c in 0..3u32 {
            let cell = sheet
                .get_value((r, 1 + c))
                .and_then(|d: &Data| d.get_float())
                .unwrap();
            let csv_value: f64 = rec[3 + c as usize].parse().unwrap();
            assert!(
                (cell - csv_value).abs() < 1e-6,
                "row {i} col {c}: {cell} vs {csv_value}"
            );
        }
    }
    let by_city = book.worksheet_range("分地区").unwrap();
    let cities: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[0] == "by_city" && &r[1] == "premiums")
        .collect();
    let mut sum = 0.0;
    for (i, rec) in cities.iter().enumerate() {
        let r = 3 + i as u32;
        assert_eq!(
            by_city.get_value((r, 0)).and_then(|d| d.get_string()),
            Some(&rec[2])
        );
        let v = by_city
            .get_value((r, 1))
            .and_then(calamine::DataType::get_float)
            .unwrap();
        assert!((v - rec[3].parse::<f64>().unwrap()).abs() < 1e-6);
        sum += v;
    }
    let total = by_city
        .get_value((3 + cities.len() as u32, 1))
        .and_then(calamine::DataType::get_float)
        .unwrap();
    assert!((total - sum).abs() < 1e-6);
    // the funding plan sheet holds cash_plan.csv's monthly totals
    let plan = book.worksheet_range("用款计划").unwrap();
    let mut rdr = csv::Reader::from_path(out.join("cash_plan.csv")).unwrap();
    let totals: Vec<f64> = rdr
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[1] == "全省")
        .map(|r| r[2].parse().unwrap())
        .collect();
    assert_eq!(totals.len(), 12);
    let n = 12 + 1; // 12 cities, then the total column
    for (m, t) in totals.iter().enumerate() {
        let v = plan
            .get_value((4 + m as u32, n))
            .and_then(calamine::DataType::get_float)
            .unwrap();
        assert!((v - t).abs() < 1e-6, "month {m}");
    }
}

/// A cell reference (`B12`) as (row, column), 0-based.
fn cell_ref(text: &str) -> (u32, u32) {
    let letters: String = text.chars().take_while(char::is_ascii_uppercase).collect();
    let col = letters
        .chars()
        .fold(0u32, |acc, c| acc * 26 + (c as u32 - 'A' as u32 + 1))
        - 1;
    let row: u32 = text[letters.len()..].parse().unwrap();
    (row - 1, col)
}

/// Evaluates the formulas the workbook writes (`SUM` of cells and ranges, a
/// difference, a number plus a cell) on the sheet's values.
fn evaluate(formula: &str, value: &dyn Fn((u32, u32)) -> f64) -> f64 {
    let f = formula.trim_start_matches('=');
    if let Some(args) = f.strip_prefix("SUM(").and_then(|a| a.strip_suffix(')')) {
        return args
            .split(',')
            .map(|a| match a.split_once(':') {
                Some((from, to)) => {
                    let ((r0, c0), (r1, c1)) = (cell_ref(from), cell_ref(to));
                    let mut sum = 0.0;
                    for r in r0..=r1 {
                        for c in c0..=c1 {
                            sum += value((r, c));
                        }
                    }
                    sum
                }
                None => value(cell_ref(a)),
            })
            .sum();
    }
    let term = |t: &str| match t.parse::<f64>() {
        Ok(v) => v,
        Err(_) => value(cell_ref(t)),
    };
    // a − b or a + b, a possibly a negative number
    let at = f[1..]
        .find(['-', '+'])
        .map(|i| i + 1)
        .expect("a binary formula");
    let (a, b) = (&f[..at], &f[at + 1..]);
    if f.as_bytes()[at] == b'-' {
        term(a) - term(b)
    } else {
        term(a) + term(b)
    }
}

/// Every total of the workbook is a formula (read back with calamine) whose
/// value, computed from the cells it names, is its cached value, which is
/// the printed total; a change to a line would move it. The About sheet
/// names the scenario's SHA-256 and warns that the calibration is
/// illustrative.
#[test]
fn workbook_totals_are_formulas_that_give_the_printed_totals() {
    use calamine::{DataType, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("budget");
    fundsim()
        .args(["budget", "--paths", "120", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut book: Xlsx<_> = open_workbook(out.join("budget.xlsx")).unwrap();
    let mut checked = 0;
    for name in ["预算草案", "分地区", "分地区分科目", "用款计划"] {
        let values = book.worksheet_range(name).unwrap();
        let formulas = book.worksheet_formula(name).unwrap();
        let value = |(r, c): (u32, u32)| {
            values
                .get_value((r, c))
                .and_then(DataType::get_float)
                .unwrap_or(0.0)
        };
        let (r0, c0) = formulas.start().unwrap();
        for (r, row) in formulas.rows().enumerate() {
            for (c, f) in row.iter().enumerate() {
                if f.is_empty() {
                    continue;
                }
                let at = (r0 + r as u32, c0 + c as u32);
                let got = evaluate(f, &value);
                assert!(
                    (got - value(at)).abs() < 1e-6,
                    "{name} {at:?}: {f} gives {got}, cached {}",
                    value(at)
                );
                checked += 1;
            }
        }
    }
    // income, expenditure, surplus, closing in three columns; 13 nets and 3
    // totals by city; 3 totals in 13 city columns and 13 row totals by line;
    // 12 monthly totals
    assert!(checked >= 12 + 16 + 39 + 12, "only {checked} formulas");
    // the province's totals are budget.csv's
    let province = book.worksheet_range("预算草案").unwrap();
    let csv = std::fs::read_to_string(out.join("budget.csv")).unwrap();
    let income: f64 = csv
        .lines()
        .find(|l| l.starts_with("province,income_total,"))
        .unwrap()
        .split(',')
        .nth(3)
        .unwrap()
        .parse()
        .unwrap();
    let labels: Vec<String> = (3..30)
        .map(|r| {
            province
                .get_value((r, 0))
                .and_then(DataType::get_string)
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let row = 3 + labels.iter().position(|l| l == "收入合计").unwrap() as u32;
    let cached = province
        .get_value((row, 1))
        .and_then(DataType::get_float)
        .unwrap();
    assert!((cached - income).abs() < 1e-9, "{cached} vs {income}");
    let about = book.worksheet_range("说明").unwrap();
    let text: Vec<String> = about
        .rows()
        .flat_map(|r| r.iter().map(std::string::ToString::to_string))
        .collect();
    let sha = text.iter().position(|t| t == "SHA-256").unwrap();
    assert!(
        text[sha + 1].len() == 64 && text[sha + 1].chars().all(|c| c.is_ascii_hexdigit()),
        "{}",
        text[sha + 1]
    );
    assert!(text.iter().any(|t| t.contains("示意性假设")), "{text:?}");
}

/// `--csv-bom` starts every CSV file with the UTF-8 byte-order mark and
/// changes nothing else; without it no file has one.
#[test]
fn csv_bom_marks_every_csv_file_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, marked) = (dir.path().join("plain"), dir.path().join("bom"));
    for (out, extra) in [(&plain, None), (&marked, Some("--csv-bom"))] {
        let mut cmd = fundsim();
        cmd.args(["budget", "--paths", "60", "-q", "--out"])
            .arg(out);
        if let Some(flag) = extra {
            cmd.arg(flag);
        }
        cmd.assert().success();
    }
    for name in ["budget.csv", "cash_plan.csv", "budget.md", "budget.xlsx"] {
        let a = std::fs::read(plain.join(name)).unwrap();
        let b = std::fs::read(marked.join(name)).unwrap();
        if std::path::Path::new(name)
            .extension()
            .is_some_and(|e| e == "csv")
        {
            assert_eq!(&b[..3], [0xEF, 0xBB, 0xBF], "{name}");
            assert_eq!(&b[3..], &a[..], "{name}");
        } else {
            assert_eq!(a, b, "{name}");
        }
        assert_ne!(&a[..3.min(a.len())], [0xEF, 0xBB, 0xBF], "{name}");
    }
}

/// A bad row of an actuals file is refused with its line number (exit 2).
#[test]
fn bad_actuals_exit_2_with_the_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "month,line,amount\n1,premiums,abc\n").unwrap();
    let o = fundsim()
        .args(["budget", "--paths", "10", "--actuals"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.csv:2:"));
}

/// Actuals a unit off (premiums in 万元 read as yuan) are run, with a
/// warning naming the line and the ratio and asking for yuan; actuals of
/// the budget's size get none.
#[test]
fn actuals_a_unit_off_are_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let budget = |name: &str, per_month: f64| {
        let file = dir.path().join(format!("{name}.csv"));
        std::fs::write(
            &file,
            format!("month,line,amount\n1,premiums,{per_month}\n2,premiums,{per_month}\n"),
        )
        .unwrap();
        let o = fundsim()
            .args(["budget", "--paths", "10", "--actuals"])
            .arg(&file)
            .arg("--out")
            .arg(dir.path().join(name))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let wan = budget("wan", 5_200.0);
    assert!(
        wan.contains("warning: the actuals' premiums to date, 10,400 yuan, are 0.000")
            && wan.contains("is the file in 万元 or 亿元? actuals are in yuan"),
        "{wan}"
    );
    let yuan = budget("yuan", 52_000_000.0);
    assert!(!yuan.contains("warning:"), "{yuan}");
}
