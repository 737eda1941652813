//! The budget draft (issue 6, first part): the printed tables foot to the
//! last digit in every unit, cities add up to the province, and the
//! low/high cases bracket the budget.

use assert_cmd::Command;
use fundsim::budget::{Draft, Row, Unit};
use fundsim::runner::{self, RunConfig};
use fundsim::scenario::Scenario;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Every year of the default scenario, in every unit: both tables foot and
/// the low case has the lowest surplus.
#[test]
fn drafts_foot_in_every_unit_and_year() {
    let s = Scenario::load(None).unwrap().scenario;
    let set = runner::run(
        &s,
        &RunConfig {
            seed: 9,
            paths: 0..200,
            threads: None,
            progress: false,
        },
    )
    .unwrap();
    for k in 0..s.years {
        for unit in [Unit::Yuan, Unit::Wan, Unit::Yi] {
            let d = Draft::new(&s, &set, k, unit);
            assert_eq!(d.check(), Ok(()), "year {k}, {unit:?}");
            assert!(d.low.get(Row::Surplus) <= d.budget.get(Row::Surplus));
            assert!(d.high.get(Row::Surplus) >= d.budget.get(Row::Surplus));
        }
    }
}

/// `fundsim budget` writes budget.csv and budget.md; read back, the CSV's
/// numbers foot exactly as printed; a rerun into the same folder works.
#[test]
fn budget_command_csv_foots_as_printed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("budget");
    for _ in 0..2 {
        Command::cargo_bin("fundsim")
            .unwrap()
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
    let o = Command::cargo_bin("fundsim")
        .unwrap()
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
    Command::cargo_bin("fundsim")
        .unwrap()
        .args(["budget", "--paths", "120", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut book: Xlsx<_> = open_workbook(out.join("budget.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec![
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
            .and_then(|d| d.get_float())
            .unwrap();
        assert!((v - rec[3].parse::<f64>().unwrap()).abs() < 1e-6);
        sum += v;
    }
    let total = by_city
        .get_value((3 + cities.len() as u32, 1))
        .and_then(|d| d.get_float())
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
            .and_then(|d| d.get_float())
            .unwrap();
        assert!((v - t).abs() < 1e-6, "month {m}");
    }
}

/// The funding plan of tiny.toml by hand (its arithmetic in tests/model.rs):
/// January's transfer is the city's payments, 83,810 − 2,000 prevention −
/// 1,000 other = 80,810; February's 80,839.70 (stocks 48,000 − 3,000 ×
/// 0.99²); the account ends January at 1,016,190 and February at
/// 1,032,350.30; the revolving fund is one month, 80,810. With an opening
/// balance of 50,000 the account cannot cover February's transfers: flagged.
#[test]
fn funding_plan_by_hand() {
    use fundsim::budget::CashPlan;
    let mut s = Scenario::from_toml(include_str!("../scenarios/tiny.toml"), "tiny.toml").unwrap();
    let plan = CashPlan::new(&s, 0, Unit::Yuan);
    let d = |x: &str| x.parse::<Decimal>().unwrap();
    assert_eq!(plan.transfers[0], vec![d("80810.00")]);
    assert_eq!(plan.transfers[1], vec![d("80839.70")]);
    assert_eq!(plan.revolving_fund, vec![d("80810.00")]);
    assert_eq!(plan.balance[0], d("1016190.00"));
    assert_eq!(plan.balance[1], d("1032350.30"));
    assert!(plan.short.iter().all(|x| !x));
    s.fund.opening_balance = 50_000.0;
    let plan = CashPlan::new(&s, 0, Unit::Yuan);
    assert!(
        plan.short[0],
        "66,190 at the end of January does not cover 80,839.70"
    );
    assert_eq!(plan.totals.len(), 12);
}

/// Last year's column: the scenario's execution for the first projection
/// year (footed like the budget), with the change in %; for later years the
/// projected year before.
#[test]
fn last_year_column_and_change() {
    let text = format!(
        "{}\n[execution]\npremiums = 1100000\ninterest = 20000\nmedical = 50000\ndisability = 600000\ndeath = 300000\nprevention = 22000\nother_expenditure = 12000\nopening_balance = 900000\n",
        include_str!("../scenarios/tiny.toml")
    );
    let s = Scenario::from_toml(&text, "tiny-exec.toml").unwrap();
    let set = runner::run(
        &s,
        &RunConfig {
            seed: 2,
            paths: 0..100,
            threads: None,
            progress: false,
        },
    )
    .unwrap();
    let d = Draft::new(&s, &set, 0, Unit::Yuan);
    assert_eq!(d.check(), Ok(()));
    let last = d.last.as_ref().expect("execution given");
    assert!(!d.last_is_projection);
    let dec = |x: &str| x.parse::<Decimal>().unwrap();
    assert_eq!(last.get(Row::Premiums), dec("1100000.00"));
    assert_eq!(last.get(Row::IncomeTotal), dec("1120000.00"));
    assert_eq!(last.get(Row::ExpenditureTotal), dec("984000.00"));
    assert_eq!(last.get(Row::ClosingBalance), dec("1036000.00"));
    // premiums budgeted at 1,200,000 (tiny's 100,000 a month): +9.1 %
    assert_eq!(d.budget.get(Row::Premiums), dec("1200000.00"));
    assert_eq!(d.change_pct[0], Some(dec("9.1")));
    // 2026: last year is the projected 2025
    let d2 = Draft::new(&s, &set, 1, Unit::Yuan);
    assert!(d2.last_is_projection);
    assert_eq!(
        d2.last.as_ref().unwrap().get(Row::Premiums),
        d.budget.get(Row::Premiums)
    );
}

/// The in-year reforecast: actuals equal to the budget's own monthly
/// amounts leave the projected year end at the budget; actuals 20 % above on
/// the expenditure lines raise the probability of overspending each of them.
#[test]
fn reforecast_unchanged_by_budgeted_actuals_and_raised_by_overruns() {
    use fundsim::budget::{ACTUAL_LINES, Actuals, reforecast};
    use fundsim::engine::Engine;
    use fundsim::lines::{Line, N_LINES};
    use fundsim::sampling::Expected;
    let s = Scenario::load(None).unwrap().scenario;
    let set = runner::run(
        &s,
        &RunConfig {
            seed: 4,
            paths: 0..400,
            threads: None,
            progress: false,
        },
    )
    .unwrap();
    let mut months = Vec::new();
    Engine::new(&s).run(&mut Expected, &mut months);
    let results = set.year_results(s.start_year);
    let j = 4;
    let budgeted = |scale: f64| {
        let mut to_date = [0.0; N_LINES];
        for line in ACTUAL_LINES {
            let i = line.index();
            let year: f64 = months.iter().take(12).map(|m| m.lines[i]).sum();
            let done: f64 = months.iter().take(j).map(|m| m.lines[i]).sum();
            let share = if year > 0.0 { done / year } else { 0.0 };
            let extra = if Line::EXPENDITURE.contains(&line) {
                scale
            } else {
                1.0
            };
            to_date[i] = results[0].mean(line) * share * extra;
        }
        Actuals {
            months: j,
            to_date,
            given: [true; N_LINES],
        }
    };
    let exact = reforecast(&s, &set, 0, &budgeted(1.0));
    for l in &exact {
        assert!(
            (l.projected - l.budget).abs() <= 1e-6 * l.budget.abs().max(1.0),
            "{}: {} vs {}",
            l.line,
            l.projected,
            l.budget
        );
    }
    let over = reforecast(&s, &set, 0, &budgeted(1.2));
    for (a, b) in exact.iter().zip(&over) {
        if let (Some(p), Some(q)) = (a.overspend_probability, b.overspend_probability) {
            if a.budget > 0.0 && a.line != "prevention" {
                assert!(q > p, "{}: {p} → {q}", a.line);
            }
        }
    }
}

/// Bad rows of an actuals file are refused with their line number (exit 2).
#[test]
fn bad_actuals_are_refused_with_the_line_number() {
    use fundsim::budget::Actuals;
    let err = Actuals::parse(
        "month,line,amount\n1,premiums,100\n2,medicl,5\n",
        2025,
        "a.csv",
    )
    .unwrap_err();
    assert!(
        err.starts_with("a.csv:3:") && err.contains("medicl"),
        "{err}"
    );
    let err = Actuals::parse("month,line,amount\n13,premiums,100\n", 2025, "a.csv").unwrap_err();
    assert!(err.starts_with("a.csv:2:"), "{err}");
    let err =
        Actuals::parse("month,line,amount\n2024-03,premiums,100\n", 2025, "a.csv").unwrap_err();
    assert!(err.contains("not in the budget year 2025"), "{err}");
    let err = Actuals::parse("month,line,amount\n1,premiums,-5\n", 2025, "a.csv").unwrap_err();
    assert!(err.starts_with("a.csv:2:"), "{err}");
    let err = Actuals::parse("mon,line,amount\n", 2025, "a.csv").unwrap_err();
    assert!(err.starts_with("a.csv:1:"), "{err}");
    // the line number counts physical lines, blank ones included
    let err = Actuals::parse("month,line,amount\n\n1,premiums,abc\n", 2025, "a.csv").unwrap_err();
    assert!(err.starts_with("a.csv:3:"), "{err}");
    // a line given for some months must be given for every month 1..j
    let err = Actuals::parse(
        "month,line,amount\n1,premiums,1\n2,premiums,1\n3,premiums,1\n1,medical,1\n",
        2025,
        "a.csv",
    )
    .unwrap_err();
    assert!(
        err.starts_with("a.csv:5:") && err.contains("not month 2"),
        "{err}"
    );
    // a repeated month and line is refused (without a city column)
    let err = Actuals::parse(
        "month,line,amount\n1,premiums,1\n1,premiums,2\n",
        2025,
        "a.csv",
    )
    .unwrap_err();
    assert!(
        err.starts_with("a.csv:3:") && err.contains("first on line 2"),
        "{err}"
    );
    let err =
        Actuals::parse("month,line,amount,town\n1,premiums,1,x\n", 2025, "a.csv").unwrap_err();
    assert!(err.starts_with("a.csv:1:"), "{err}");
    let ok = Actuals::parse(
        "month,line,amount,city\n2025-01,premiums,100,南昌\n2025-02,premiums,50,九江\n",
        2025,
        "a.csv",
    )
    .unwrap();
    assert_eq!(ok.months, 2);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "month,line,amount\n1,premiums,abc\n").unwrap();
    let o = Command::cargo_bin("fundsim")
        .unwrap()
        .args(["budget", "--paths", "10", "--actuals"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.csv:2:"));
}
