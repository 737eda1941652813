//! `report.html` read back as a reader's program would: its headline
//! numbers are `summary.json`'s after rounding, in Chinese and English;
//! every table that declares how it foots does, to the last printed digit;
//! and the file asks a browser for nothing outside itself.

use crate::support::{fundsim, run};
use serde_json::Value;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// A Monte Carlo run of the default scenario in `lang`; the report's text
/// and `summary.json`.
fn default_run(dir: &Path, lang: &str) -> (String, Value) {
    let out = dir.join(lang);
    let r = run(fundsim()
        .args(["simulate", "--paths", "200", "--lang", lang, "--out"])
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let summary =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    (html, summary)
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"))
        + start.len();
    let len = text[at..].find(end).unwrap();
    &text[at..at + len]
}

/// The text of an HTML fragment: tags removed, the five escapes undone.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The numbers of `summary.json`'s headline: any breach (1 − never), its
/// standard error, the most likely first year, the last year's mean
/// closing balance.
fn headline_numbers(summary: &Value) -> (f64, f64, i64, f64) {
    let mc = &summary["monte_carlo"];
    let n = mc["manifest"]["paths"].as_f64().unwrap();
    let any = 1.0 - mc["never_breach"].as_f64().unwrap();
    let se = (any * (1.0 - any) / n).sqrt();
    let mut best = (0, 0.0);
    for f in mc["first_breach_year"].as_array().unwrap() {
        let share = f["share"].as_f64().unwrap();
        if share > best.1 {
            best = (f["year"].as_i64().unwrap(), share);
        }
    }
    let years = summary["per_year"].as_array().unwrap();
    let closing = years.last().unwrap()["closing_balance"].as_f64().unwrap();
    (any, se, best.0, closing)
}

/// The headline sentences carry `summary.json`'s probability of a breach
/// (to the whole per cent), its standard error (to a tenth of a point), the
/// most likely first year and the expected closing balance (in 万元), in
/// both languages.
#[test]
fn the_headline_is_the_summary_rounded() {
    let dir = TempDir::new().unwrap();
    for lang in ["zh", "en"] {
        let (html, summary) = default_run(dir.path(), lang);
        let (any, se, year, closing) = headline_numbers(&summary);
        let headline = text_of(between(
            &html,
            "<div class=\"headline\" id=\"headline\">",
            "</div>",
        ));
        let percent = format!("{:.0}", any * 100.0);
        let points = format!("±{:.1}", se * 100.0);
        let balance = format!("{:.2}", closing / 1e4);
        let balance = {
            // thousands separators, as printed
            let (int, frac) = balance.split_once('.').unwrap();
            let mut g = String::new();
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    g.push(',');
                }
                g.push(c);
            }
            format!("{g}.{frac}")
        };
        let want = match lang {
            "zh" => vec![
                format!("概率约为{percent}%（{points}个百分点）"),
                format!("最可能首次低于的年份为{year}年"),
                format!("2034年末滚存结余的期望值为{balance}万元"),
            ],
            _ => vec![
                format!("A {percent} % chance ({points} points)"),
                format!("the most likely first year is {year}"),
                format!("the end of 2034 is {balance} 万元"),
            ],
        };
        for w in want {
            assert!(headline.contains(&w), "{lang}: {w:?} not in {headline}");
        }
        assert!(html.starts_with("<!DOCTYPE html>"));
        let tag = if lang == "zh" { "zh-CN" } else { "en" };
        assert!(html.contains(&format!("<html lang=\"{tag}\">")));
    }
}

/// The calibration check speaks the report's language and unit: target
/// names in words, money in 万元 like every other table (the scenario's
/// premium target of 2.0e9 yuan is 200,000.00 万元), counts whole.
#[test]
fn the_calibration_check_is_in_the_reports_words_and_unit() {
    let dir = TempDir::new().unwrap();
    for (lang, premium, insured) in [
        ("zh", "工伤保险费收入 (万元)", "参保人数"),
        ("en", "Premium income (万元)", "Insured workers"),
    ] {
        let (html, _) = default_run(dir.path(), lang);
        let table = text_of(between(&html, "id=\"calibration\"", "</table>"));
        assert!(
            table.contains(&format!("{premium}200,000.00")),
            "{lang}: {table}"
        );
        assert!(
            table.contains(&format!("{insured}6,500,000")),
            "{lang}: {table}"
        );
        assert!(!table.contains("premium_income"), "{lang}: {table}");
    }
}

/// A printed amount in hundredths (`-4,488.89` → -448889), or a whole
/// count in hundredths (`36` → 3600).
fn cents(cell: &str) -> Option<i128> {
    let plain: String = cell.chars().filter(|c| *c != ',').collect();
    if !plain.contains('.') {
        return plain.parse::<i128>().ok().map(|n| n * 100);
    }
    let (int, frac) = plain.split_once('.')?;
    if frac.len() != 2 {
        return None;
    }
    format!("{int}{frac}").parse().ok()
}

/// The cells of each body row of a table, as text.
fn body_rows(table: &str) -> Vec<Vec<String>> {
    between(table, "<tbody>", "</tbody>")
        .split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|c| text_of(&format!("<td{c}")).trim().to_string())
                .collect()
        })
        .collect()
}

/// A sum of signed terms (`c1+c4-c2`, `r0+r3`), each looked up by `value`.
fn sum_of(terms: &str, value: &dyn Fn(usize) -> i128) -> i128 {
    let mut sum = 0i128;
    let mut term = String::new();
    let mut sign = 1;
    for ch in terms.chars().chain(std::iter::once('+')) {
        if ch == '+' || ch == '-' {
            if !term.is_empty() {
                sum += sign * value(term[1..].parse().unwrap());
            }
            term.clear();
            sign = if ch == '-' { -1 } else { 1 };
        } else {
            term.push(ch);
        }
    }
    sum
}

/// Checks every `data-foot` rule of every table of a report in its printed
/// digits: `c3=c1-c2` in every row, `r5=r0+r1:c1,c2` in each column named.
/// Returns how many sums were checked.
fn check_footings(html: &str) -> usize {
    let mut checked = 0;
    for table in html.split("<table").skip(1) {
        let table = &table[..table.find("</table>").unwrap()];
        let Some(foot) = table
            .split_once("data-foot=\"")
            .map(|(_, rest)| &rest[..rest.find('"').unwrap()])
        else {
            continue;
        };
        let rows = body_rows(table);
        for rule in foot.split(' ') {
            let (result, terms) = rule.split_once('=').unwrap();
            if let Some(r) = result.strip_prefix('r') {
                let (terms, columns) = terms.split_once(':').unwrap();
                let at: usize = r.parse().unwrap();
                for c in columns.split(',').filter(|c| !c.is_empty()) {
                    let c: usize = c[1..].parse().unwrap();
                    let value = |row: usize| {
                        cents(&rows[row][c]).unwrap_or_else(|| panic!("{rule}: {:?}", rows[row]))
                    };
                    assert_eq!(value(at), sum_of(terms, &value), "{rule} in column {c}");
                    checked += 1;
                }
            } else {
                for cells in &rows {
                    let value = |c: usize| cents(&cells[c]).expect("a number");
                    let c: usize = result[1..].parse().unwrap();
                    assert_eq!(value(c), sum_of(terms, &value), "{rule} in {cells:?}");
                    checked += 1;
                }
            }
        }
    }
    checked
}

/// Every table that declares `data-foot` foots in every row, exactly in
/// its printed digits; the yearly table's closing balances are
/// `summary.json`'s rounded to 万元 within one unit of the last digit (the
/// rounded opening plus the surplus, as a budget prints it).
#[test]
fn every_table_foots() {
    let dir = TempDir::new().unwrap();
    let (html, summary) = default_run(dir.path(), "zh");
    let checked = check_footings(&html);
    assert!(checked >= 20, "only {checked} footings checked");
    // the yearly table against summary.json
    let yearly = between(&html, "<table id=\"yearly\"", "</table>");
    let years = summary["per_year"].as_array().unwrap();
    let rows: Vec<&str> = between(yearly, "<tbody>", "</tbody>")
        .split("<tr")
        .skip(1)
        .collect();
    assert_eq!(rows.len(), years.len());
    for (row, y) in rows.iter().zip(years) {
        let cells: Vec<String> = row
            .split("<td")
            .skip(1)
            .map(|c| text_of(&format!("<td{c}")))
            .collect();
        assert_eq!(cells[0], y["year"].as_i64().unwrap().to_string());
        let printed = cents(&cells[5]).unwrap();
        let exact = (y["closing_balance"].as_f64().unwrap() / 100.0).round() as i128;
        assert!(
            (printed - exact).abs() <= 1,
            "{}: {printed} vs {exact}",
            cells[0]
        );
    }
}

/// The report asks for nothing outside itself: no script, no link, no
/// image or style sheet by address; the only `http` is the SVG namespace
/// (an identifier, not a request); the font is a data URL.
#[test]
fn the_report_fetches_nothing() {
    let dir = TempDir::new().unwrap();
    let (html, _) = default_run(dir.path(), "en");
    for bad in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "src=\"http",
        "href=\"http",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(html.matches("http://").count(), namespaces);
    assert_eq!(html.matches("https://").count(), 0);
    for url in html.split("url(").skip(1) {
        assert!(
            url.starts_with("data:font/otf;base64,"),
            "{}",
            &url[..40.min(url.len())]
        );
    }
    // five charts inline, the three tables, the headline
    assert_eq!(html.matches("<figure id=").count(), 5);
    for id in ["yearly", "assumptions", "calibration"] {
        assert!(html.contains(&format!("<table id=\"{id}\"")), "{id}");
    }
}

/// The checks every report passes: it fetches nothing and its tables foot.
fn self_contained_and_footed(html: &str) -> usize {
    assert!(html.starts_with("<!DOCTYPE html>"));
    for bad in ["<script", "<link", "<img", "src=\"http", "href=\"http"] {
        assert!(!html.contains(bad), "{bad}");
    }
    assert_eq!(html.matches("https://").count(), 0);
    assert_eq!(
        html.matches("http://").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    check_footings(html)
}

/// `rates`, `stress` and `budget` each write a `report.html`: self-contained,
/// its tables footed; the rates headline carries `rates.json`'s
/// probabilities rounded, and the budget table prints `budget.csv`'s
/// numbers row for row.
#[test]
fn every_command_writes_a_report() {
    let dir = TempDir::new().unwrap();
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let go = |args: &[&str], name: &str| {
        let out = dir.path().join(name);
        let r = run(fundsim().args(args).arg("--out").arg(&out));
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        out
    };
    // rates: two schedules on 150 paths
    let rise = scenarios.join("rates/rise-2027.toml");
    let out = go(
        &[
            "rates",
            "--paths",
            "150",
            "--schedule",
            rise.to_str().unwrap(),
        ],
        "rates",
    );
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    // the premiums table: 3 columns down, the change across 9 rows
    assert!(self_contained_and_footed(&html) >= 3 + 9);
    let json: Value =
        serde_json::from_str(&fs::read_to_string(out.join("rates.json")).unwrap()).unwrap();
    let headline = text_of(between(
        &html,
        "<div class=\"headline\" id=\"headline\">",
        "</div>",
    ));
    for c in json["candidates"].as_array().unwrap() {
        let p = c["breach_probability_any"].as_f64().unwrap();
        let se = c["breach_probability_any_se"].as_f64().unwrap();
        let want = format!("{:.0}%（±{:.1}个百分点）", p * 100.0, se * 100.0);
        assert!(headline.contains(&want), "{want} not in {headline}");
    }
    // the chart beside the page is in the page's language (Chinese here)
    let svg = fs::read_to_string(out.join("rates.svg")).unwrap();
    assert!(
        svg.contains("各费率方案下") && !svg.contains("by schedule"),
        "rates.svg in Chinese"
    );
    // the scenario's own schedule is 现行费率 to a Chinese reader; `baseline`
    // stays its name in the files for machines
    assert!(svg.contains("现行费率") && !svg.contains("baseline"));
    assert!(html.contains("现行费率") && !html.contains(">baseline<"));
    assert!(
        fs::read_to_string(out.join("rates.json"))
            .unwrap()
            .contains("\"baseline\"")
    );
    for id in ["rates-any-breach", "rates-by-year", "rates-premiums"] {
        assert!(html.contains(&format!("<figure id=\"{id}\"")), "{id}");
    }
    // stress: a stress with gaps under two schemes gets its chart and table
    let combined = scenarios.join("stress/combined.toml");
    let out = go(
        &[
            "stress",
            "--paths",
            "150",
            "--stress",
            combined.to_str().unwrap(),
            "--scheme",
            "scenario",
            "--scheme",
            "fixed_ratio",
            "--lang",
            "en",
        ],
        "stress",
    );
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    self_contained_and_footed(&html);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<table id=\"stress-pairs\""));
    // stress.md names the pairs as the report does, not by the CLI's keys
    let md = fs::read_to_string(out.join("stress.md")).unwrap();
    assert!(
        md.contains("- **no stress / the scenario's scheme**:"),
        "{md}"
    );
    assert!(
        !md.contains("**none /") && !md.contains("/ scenario**"),
        "{md}"
    );
    // stress.svg is the report's chart of the last stress, in its language
    let svg = fs::read_to_string(out.join("stress.svg")).unwrap();
    assert!(
        svg.contains("by payer under") && !svg.contains("承担方的"),
        "stress.svg in English"
    );
    // the scenario's own scheme is named as a reader says it, not by the
    // name --scheme takes
    assert!(
        svg.contains("the scenario&apos;s scheme") || svg.contains("the scenario's scheme"),
        "{svg:.0}"
    );
    assert!(html.contains("the scenario&#39;s scheme") || html.contains("the scenario's scheme"));
    assert!(!html.contains(">scenario<") && !svg.contains(">scenario<"));
    // budget: the province's table is budget.csv's
    for lang in ["zh", "en"] {
        let out = go(&["budget", "--paths", "200", "--lang", lang], lang);
        let html = fs::read_to_string(out.join("report.html")).unwrap();
        // three totals in three columns; by city: 14 rows across, 3 columns down
        assert_eq!(self_contained_and_footed(&html), 3 * 3 + 14 + 3);
        let table = between(&html, "<table id=\"budget-province\"", "</table>");
        let rows = body_rows(table);
        let csv = fs::read_to_string(out.join("budget.csv")).unwrap();
        let province: Vec<Vec<&str>> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|f| f[0] == "province")
            .collect();
        assert_eq!(rows.len(), province.len());
        for (row, fields) in rows.iter().zip(&province) {
            let plain = |c: &str| c.replace(',', "");
            assert_eq!(plain(&row[1]), fields[3], "{row:?}");
            assert_eq!(plain(&row[2]), fields[4], "{row:?}");
            assert_eq!(plain(&row[3]), fields[5], "{row:?}");
        }
    }
}

/// `backtest` writes a report in the base scenario's language: its
/// headline is the verdict over the coverage in `backtest.json` (in
/// English, word for word the JSON's), its coverage table foots (the
/// total row in each count column), each measure's table prints the same
/// digits as `backtest.md`'s rows of that measure, and its charts are in
/// the report's language.
#[test]
fn the_backtest_report_is_its_results_in_words() {
    let dir = TempDir::new().unwrap();
    let history =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/history/jiangxi-synthetic.csv");
    let go = |lang: Option<&str>| {
        let out = dir.path().join(lang.unwrap_or("default"));
        let mut cmd = fundsim();
        cmd.arg("backtest")
            .arg(&history)
            .args(["--from", "2018", "--paths", "60", "-q", "--out"])
            .arg(&out);
        if let Some(l) = lang {
            cmd.args(["--lang", l]);
        }
        let r = run(&mut cmd);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        let html = fs::read_to_string(out.join("report.html")).unwrap();
        let json: Value =
            serde_json::from_str(&fs::read_to_string(out.join("backtest.json")).unwrap()).unwrap();
        (out, html, json)
    };
    let (out, html, json) = go(None);
    assert!(html.contains("<html lang=\"zh"), "Chinese by default");
    // 6 measures and the total: values, inside 90 %, inside 50 %, above the median
    assert_eq!(self_contained_and_footed(&html), 4);
    let all = json["coverage"].as_array().unwrap().last().unwrap();
    let headline = text_of(between(
        &html,
        "<div class=\"headline\" id=\"headline\">",
        "</div>",
    ));
    let want = format!(
        "在{}个实际值中，90%预测区间覆盖了{}个",
        all["n"], all["in_90"]
    );
    assert!(headline.contains(&want), "{want} not in {headline}");
    let md = fs::read_to_string(out.join("backtest.md")).unwrap();
    for (measure, id) in [
        ("balance", "backtest-balance"),
        ("average_wage", "backtest-average-wage"),
    ] {
        let table = between(&html, &format!("<table id=\"{id}\""), "</table>");
        let rows = body_rows(table);
        let md_rows: Vec<Vec<&str>> = md
            .lines()
            .filter(|l| l.contains(&format!(" | {measure} | ")))
            .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
            .collect();
        assert_eq!(rows.len(), 6, "{measure}");
        assert_eq!(rows.len(), md_rows.len(), "{measure}");
        for (h, m) in rows.iter().zip(&md_rows) {
            // origin, year; then observed, 5 %, median, 95 %, PIT
            assert_eq!((&h[0][..], &h[1][..]), (m[0], m[1]));
            assert_eq!(&h[2..7], &m[4..9], "{measure}");
        }
        assert!(html.contains(&format!("<figure id=\"{id}\"")), "{id}");
    }
    let svg = fs::read_to_string(out.join("backtest_balance.svg")).unwrap();
    assert!(svg.contains("实际值") && !svg.contains("observed"));
    let (out, html, json) = go(Some("en"));
    assert!(html.contains("<html lang=\"en\">"));
    let headline = text_of(between(
        &html,
        "<div class=\"headline\" id=\"headline\">",
        "</div>",
    ));
    for v in json["verdict"].as_array().unwrap() {
        let v = v.as_str().unwrap();
        assert!(headline.contains(v), "{v} not in {headline}");
    }
    let svg = fs::read_to_string(out.join("backtest_balance.svg")).unwrap();
    assert!(svg.contains("observed") && !svg.contains("实际值"));
}

/// A budget of a calibrated scenario, which knows last year's execution:
/// the report's province table prints every cell of `budget.md`'s, the
/// last year's months of reserve, the signed change and the no-value mark
/// included.
#[test]
fn the_budget_report_prints_what_budget_md_prints() {
    let dir = TempDir::new().unwrap();
    let history =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/history/jiangxi-synthetic.csv");
    let cal = dir.path().join("cal");
    let r = run(fundsim()
        .arg("calibrate")
        .arg(&history)
        .arg("--out")
        .arg(&cal));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let out = dir.path().join("budget");
    let r = run(fundsim()
        .arg("budget")
        .arg(cal.join("scenario.toml"))
        .args(["--paths", "60", "-q", "--out"])
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let rows = body_rows(between(&html, "<table id=\"budget-province\"", "</table>"));
    let md = fs::read_to_string(out.join("budget.md")).unwrap();
    let table: Vec<Vec<String>> = md
        .split("\n\n")
        .find(|block| block.starts_with("| 项目 |"))
        .unwrap()
        .lines()
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), table.len());
    for (h, m) in rows.iter().zip(&table) {
        assert_eq!(h, m);
    }
    // the months of reserve last year, and a signed change, are there
    let months = rows.last().unwrap();
    assert!(months[4].parse::<f64>().is_ok(), "{months:?}");
    assert!(
        rows[0][5].starts_with('+') || rows[0][5].starts_with('-'),
        "{:?}",
        rows[0]
    );
}

/// `fundsim report` runs the standard set on one seed: its report holds the
/// projection's charts and tables, the budget draft, the two schedules, the
/// stress table with every shipped overlay, and the tornado; it foots and
/// fetches nothing; its headline carries `summary.json`'s probability, and
/// the numbers' own files sit beside it.
#[test]
fn the_report_command_holds_the_standard_set() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("r");
    let r = run(fundsim()
        .args(["report", "--paths", "40", "--out"])
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(self_contained_and_footed(&html) >= 26 + 12);
    for id in [
        "balance-fan",
        "reserve-months-fan",
        "breach-probability",
        "income-expenditure",
        "city-net",
        "rates-any-breach",
        "rates-by-year",
        "rates-premiums",
        "tornado",
    ] {
        assert!(
            html.contains(&format!("<figure id=\"{id}\"")),
            "figure {id}"
        );
    }
    for id in [
        "yearly",
        "assumptions",
        "budget-province",
        "budget-cities",
        "rates-candidates",
        "rates-premiums",
        "stress-pairs",
        "sensitivity-table",
    ] {
        assert!(html.contains(&format!("<table id=\"{id}\"")), "table {id}");
    }
    let stress = between(&html, "<table id=\"stress-pairs\"", "</table>");
    assert_eq!(
        body_rows(stress).len(),
        7,
        "none and the six shipped overlays"
    );
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let (any, se, year, _) = headline_numbers(&summary);
    let headline = text_of(between(
        &html,
        "<div class=\"headline\" id=\"headline\">",
        "</div>",
    ));
    let want = format!(
        "概率约为{:.0}%（±{:.1}个百分点）；最可能首次低于的年份为{year}年",
        any * 100.0,
        se * 100.0
    );
    assert!(headline.contains(&want), "{want} not in {headline}");
    assert!(headline.contains("影响最大的假设是"), "{headline}");
    assert!(headline.contains("预算草案"), "{headline}");
    for f in [
        "yearly.csv",
        "budget.csv",
        "rates.json",
        "stress.json",
        "sensitivity.json",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
}
