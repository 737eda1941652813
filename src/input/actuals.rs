//! Actuals files for the in-year reforecast (`fundsim budget --actuals`):
//! CSV `month,line,amount[,city]`, one row per month and line of months
//! 1..j of the budget year, amounts in yuan. Every bad row is reported with
//! its line number (the first 20 listed), and an unknown city or line is
//! refused.

use super::history::record_line;
use super::{InputError, Source};
use crate::model::actuals::{ACTUAL_LINES, Actuals};
use crate::model::check::did_you_mean;
use crate::model::limits::MAX_AMOUNT;
use crate::model::lines::{Line, N_LINES, fill_totals};
use crate::model::sharing::Scheme;
use std::path::Path;

/// Reads an actuals file for budget year `year` of a run under `scheme`
/// (which says whether money paid back, `returned`, is a line of the run).
pub(crate) fn read_actuals(
    path: &Path,
    year: i32,
    scheme: &Scheme,
    cities: &[String],
) -> Result<Actuals, InputError> {
    let source = Source::read(path, "actuals")?;
    let lines: Vec<Line> = ACTUAL_LINES
        .into_iter()
        .filter(|l| scheme.shows(*l))
        .collect();
    parse(&source.text, year, &lines, cities, &source.name).map_err(InputError::Rows)
}

/// Parses an actuals CSV: a header `month,line,amount` (an optional
/// fourth column `city` is accepted and summed over), one row per month
/// and line; `month` is 1–12 or `YYYY-MM` of the budget year, `line` a
/// line name of yearly.csv (`premiums`, `medical`, …), `amount` in yuan,
/// ≥ 0. A bad row is refused with its line number.
fn parse(
    text: &str,
    year: i32,
    lines: &[Line],
    cities: &[String],
    source: &str,
) -> Result<Actuals, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = rdr.headers().map_err(|e| format!("{source}: {e}"))?.clone();
    let names: Vec<&str> = header.iter().map(str::trim).collect();
    if names.len() < 3 || names[0] != "month" || names[1] != "line" || names[2] != "amount" {
        return Err(format!(
            "{source}:1: the header must be `month,line,amount` (optionally `,city`), found `{}`",
            names.join(",")
        ));
    }
    if names.len() > 4 || (names.len() == 4 && names[3] != "city") {
        return Err(format!(
            "{source}:1: the header must be `month,line,amount` or `month,line,amount,city`, found `{}`",
            names.join(",")
        ));
    }
    let by_city = names.len() == 4;
    let mut to_date = [0.0; N_LINES];
    let mut given = [false; N_LINES];
    let mut seen: std::collections::HashMap<(usize, usize, String), usize> =
        std::collections::HashMap::new();
    let mut months_of_line: Vec<std::collections::BTreeSet<usize>> =
        vec![std::collections::BTreeSet::default(); N_LINES];
    let mut first_row_of_line = [0usize; N_LINES];
    let mut months = 0;
    let mut bad: Vec<String> = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                let n = record_line(text, e.position());
                bad.push(format!("{source}:{n}: {}", plain_csv_error(&e)));
                continue;
            }
        };
        let n = record_line(text, rec.position());
        match row(&rec, year, lines, cities, by_city) {
            Err(e) => bad.push(format!("{source}:{n}: {e}")),
            Ok((month, line, amount, city)) => {
                if let Some(first) = seen.insert((month, line.index(), city.clone()), n) {
                    let what = if by_city {
                        format!("month {month}, line {}, city {city}", line.name())
                    } else {
                        format!("month {month}, line {}", line.name())
                    };
                    bad.push(format!(
                        "{source}:{n}: {what} is given again (first on line {first})"
                    ));
                    continue;
                }
                to_date[line.index()] += amount;
                if !given[line.index()] {
                    first_row_of_line[line.index()] = n;
                }
                given[line.index()] = true;
                months_of_line[line.index()].insert(month);
                months = months.max(month);
            }
        }
    }
    if !bad.is_empty() {
        let shown = bad.len().min(MAX_REPORTED);
        let more = if bad.len() > shown {
            format!("\n  … and {} more", bad.len() - shown)
        } else {
            String::new()
        };
        return Err(format!(
            "{source}: {} bad row{}:\n  {}{more}",
            bad.len(),
            if bad.len() == 1 { "" } else { "s" },
            bad[..shown].join("\n  ")
        ));
    }
    if months == 0 {
        return Err(format!(
            "{source}:2: no rows after the header: give months 1..j of the budget year"
        ));
    }
    for line in lines {
        let i = line.index();
        if given[i]
            && let Some(missing) = (1..=months).find(|m| !months_of_line[i].contains(m))
        {
            return Err(format!(
                "{source}:{}: line {} is given for some months but not month {missing}; give every month 1–{months} of a line (0 where nothing happened)",
                first_row_of_line[i],
                line.name()
            ));
        }
    }
    fill_totals(&mut to_date);
    Ok(Actuals {
        months,
        to_date,
        given,
    })
}

/// The most bad rows a message lists; the rest are counted.
const MAX_REPORTED: usize = 20;

/// One row: its month, line, amount and city (empty without a city column).
fn row<'a>(
    rec: &csv::StringRecord,
    year: i32,
    lines: &'a [Line],
    cities: &[String],
    by_city: bool,
) -> Result<(usize, &'a Line, f64, String), String> {
    let field = |k: usize| rec.get(k).map_or("", str::trim);
    let columns = if by_city { 4 } else { 3 };
    // trailing empty cells (a spreadsheet's `1,premiums,100,`) hold nothing
    let used = rec
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.trim().is_empty())
        .last()
        .map_or(0, |(i, _)| i + 1);
    if used > columns {
        return Err(format!(
            "{used} cells where the header has {columns}: more than `month,line,amount{}` (\"{}\" besides); a number with a thousands comma must be quoted, or written without the comma",
            if by_city { ",city" } else { "" },
            shorten(
                &rec.iter()
                    .skip(columns)
                    .take(used - columns)
                    .collect::<Vec<_>>()
                    .join(",")
            )
        ));
    }
    let month_text = field(0);
    let month: usize = match month_text.split_once('-') {
        Some((y, m)) if y == year.to_string() => m.parse().unwrap_or(0),
        Some(_) => {
            return Err(format!(
                "month \"{month_text}\" is not in the budget year {year}"
            ));
        }
        None => month_text.parse().unwrap_or(0),
    };
    if !(1..=12).contains(&month) {
        return Err(format!("month \"{month_text}\": a month 1–12 or {year}-MM"));
    }
    let line = lines.iter().find(|l| l.name() == field(1)).ok_or_else(|| {
        let all: Vec<&str> = lines.iter().map(|l| l.name()).collect();
        format!(
            "unknown line \"{}\"; one of {}{}",
            shorten(field(1)),
            all.join(", "),
            did_you_mean(field(1), all.iter().copied())
        )
    })?;
    let amount: f64 = field(2)
        .parse()
        .map_err(|_| format!("amount \"{}\" is not a number (yuan)", shorten(field(2))))?;
    if !(0.0..=MAX_AMOUNT).contains(&amount) {
        return Err(format!(
            "amount {}: an amount in yuan from 0 to 1e15",
            shorten(field(2))
        ));
    }
    let city = if by_city {
        let city = field(3);
        if !cities.iter().any(|c| c == city) {
            return Err(format!(
                "unknown city \"{}\"; one of {}{}",
                shorten(city),
                cities.join(", "),
                did_you_mean(city, cities.iter().map(String::as_str))
            ));
        }
        city.to_string()
    } else {
        String::new()
    };
    Ok((month, line, amount, city))
}

/// A cell cut to 60 characters for a message.
fn shorten(cell: &str) -> String {
    if cell.chars().count() <= 60 {
        cell.to_string()
    } else {
        cell.chars().take(57).collect::<String>() + "…"
    }
}

/// A CSV reader's error in the user's words.
fn plain_csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the row is not UTF-8 text; save the file as UTF-8".into(),
        csv::ErrorKind::UnequalLengths { len, .. } => {
            format!(
                "a row of {len} cells; give month,line,amount (and city when the header has it)"
            )
        }
        _ => "the row cannot be read as CSV".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines of a run whose scheme pays nothing back.
    const ALL: [Line; ACTUAL_LINES.len() - 1] = {
        let mut out = [Line::Premiums; ACTUAL_LINES.len() - 1];
        let mut i = 0;
        let mut j = 0;
        while i < ACTUAL_LINES.len() {
            if !ACTUAL_LINES[i].is_scheme_line() {
                out[j] = ACTUAL_LINES[i];
                j += 1;
            }
            i += 1;
        }
        out
    };

    /// The message refusing `text` as actuals for 2025.
    fn refused(text: &str) -> String {
        parse(text, 2025, &ALL, &cities(), "a.csv").unwrap_err()
    }

    /// The cities of the test files.
    fn cities() -> Vec<String> {
        vec!["南昌".into(), "九江".into()]
    }

    /// Every bad row is reported with its line (the first 20 listed, the
    /// rest counted); an unknown city and an amount beyond 1e15 yuan are
    /// refused instead of reaching the reforecast as inf or NaN.
    #[test]
    fn every_bad_row_is_reported_and_unknown_cities_refused() {
        let rows: Vec<String> = (1..=12)
            .map(|m| format!("{m},premium,1\n{m},medical,1e308"))
            .collect();
        let text = format!("month,line,amount\n{}\n", rows.join("\n"));
        let err = refused(&text);
        assert!(err.starts_with("a.csv: 24 bad rows:"), "{err}");
        assert!(
            err.contains("a.csv:2: unknown line") && err.contains("a.csv:3: amount 1e308"),
            "{err}"
        );
        assert!(err.contains("… and 4 more"), "{err}");
        let err = refused("month,line,amount,city\n1,premiums,1,南昌\n1,premiums,1,Atlantis\n");
        assert!(
            err.contains("a.csv:3: unknown city \"Atlantis\"; one of 南昌, 九江"),
            "{err}"
        );
    }

    /// A row with more cells than the header is refused, not read from its
    /// first three: an unquoted thousands comma would otherwise make
    /// `1,700,000` an amount of 1. Quoted, it is one cell.
    #[test]
    fn a_row_longer_than_the_header_is_refused() {
        let err = refused("month,line,amount\n1,premiums,1,700,000\n");
        assert!(
            err.contains("a.csv:2: 5 cells where the header has 3") && err.contains("\"700,000\""),
            "{err}"
        );
        let err = refused("month,line,amount,city\n1,premiums,1,南昌,x\n");
        assert!(
            err.contains("a.csv:2: 5 cells where the header has 4"),
            "{err}"
        );
        let err = refused("month,line,amount\n1,premiums,\"1,700,000\"\n");
        assert!(!err.contains("cells where the header"), "{err}");
        // trailing empty cells, as a spreadsheet writes them, are nothing
        let text = "month,line,amount\n1,premiums,100,\n1,medical,5,,\n";
        assert!(parse(text, 2025, &ALL, &cities(), "a.csv").is_ok());
    }

    /// Bad rows of an actuals file are refused with their line number.
    #[test]
    fn bad_actuals_are_refused_with_the_line_number() {
        let err = refused("month,line,amount\n1,premiums,100\n2,medicl,5\n");
        assert!(err.contains("a.csv:3:") && err.contains("medicl"), "{err}");
        let err = refused("month,line,amount\n13,premiums,100\n");
        assert!(err.contains("a.csv:2:"), "{err}");
        let err = refused("month,line,amount\n2024-03,premiums,100\n");
        assert!(err.contains("not in the budget year 2025"), "{err}");
        let err = refused("month,line,amount\n1,premiums,-5\n");
        assert!(err.contains("a.csv:2:"), "{err}");
        let err = refused("month,line,amount\n");
        assert!(err.starts_with("a.csv:2: no rows"), "{err}");
        let err = refused("mon,line,amount\n");
        assert!(err.contains("a.csv:1:"), "{err}");
        // the line number counts physical lines, blank ones included
        let err = refused("month,line,amount\n\n1,premiums,abc\n");
        assert!(err.contains("a.csv:3:"), "{err}");
        // a line given for some months must be given for every month 1..j
        let err =
            refused("month,line,amount\n1,premiums,1\n2,premiums,1\n3,premiums,1\n1,medical,1\n");
        assert!(
            err.contains("a.csv:5:") && err.contains("not month 2"),
            "{err}"
        );
        // a repeated month and line is refused (without a city column)
        let err = refused("month,line,amount\n1,premiums,1\n1,premiums,2\n");
        assert!(
            err.contains("a.csv:3:") && err.contains("first on line 2"),
            "{err}"
        );
        let err = refused("month,line,amount,town\n1,premiums,1,x\n");
        assert!(err.contains("a.csv:1:"), "{err}");
        let ok = parse(
            "month,line,amount,city\n2025-01,premiums,100,南昌\n2025-02,premiums,50,九江\n",
            2025,
            &ALL,
            &cities(),
            "a.csv",
        )
        .unwrap();
        assert_eq!(ok.months, 2);
        // money paid back is a line only of runs whose scheme pays back
        let err = refused("month,line,amount\n1,returned,5\n");
        assert!(
            err.contains("a.csv:2:") && err.contains("\"returned\""),
            "{err}"
        );
        let mut with_returns = ALL.to_vec();
        with_returns.push(Line::Returned);
        let ok = parse(
            "month,line,amount\n1,returned,5\n",
            2025,
            &with_returns,
            &cities(),
            "a.csv",
        )
        .unwrap();
        assert_eq!(ok.to_date[Line::Returned.index()], 5.0);
    }
}
