//! Actuals files for the in-year reforecast (`fundsim budget --actuals`):
//! CSV `month,line,amount[,city]`, one row per month and line of months
//! 1..j of the budget year, amounts in yuan. A bad row is refused with its
//! line number.

use super::{InputError, Source};
use crate::model::actuals::{ACTUAL_LINES, Actuals};
use crate::model::lines::{Line, N_LINES, fill_totals};
use crate::model::sharing::Scheme;
use std::path::Path;

/// Reads an actuals file for budget year `year` of a run under `scheme`
/// (which says whether money paid back, `returned`, is a line of the run).
pub(crate) fn read_actuals(path: &Path, year: i32, scheme: &Scheme) -> Result<Actuals, InputError> {
    let source = Source::read(path, "actuals")?;
    let lines: Vec<Line> = ACTUAL_LINES
        .into_iter()
        .filter(|l| scheme.shows(*l))
        .collect();
    parse(&source.text, year, &lines, &source.name).map_err(InputError::Rows)
}

/// Parses an actuals CSV: a header `month,line,amount` (an optional
/// fourth column `city` is accepted and summed over), one row per month
/// and line; `month` is 1–12 or `YYYY-MM` of the budget year, `line` a
/// line name of yearly.csv (`premiums`, `medical`, …), `amount` in yuan,
/// ≥ 0. A bad row is refused with its line number.
fn parse(text: &str, year: i32, lines: &[Line], source: &str) -> Result<Actuals, String> {
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
    let mut seen: std::collections::HashMap<(usize, usize, String), u64> =
        std::collections::HashMap::new();
    let mut months_of_line: Vec<std::collections::BTreeSet<usize>> =
        vec![std::collections::BTreeSet::default(); N_LINES];
    let mut first_row_of_line = [0u64; N_LINES];
    let mut months = 0;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("{source}: {e}"))?;
        // the physical line, counted from the byte offset past any blank
        // lines the reader skipped before the record
        let n = rec.position().map_or(0, |p| {
            let bytes = text.as_bytes();
            let mut at = (p.byte() as usize).min(bytes.len());
            while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
                at += 1;
            }
            text.get(..at).map_or(0, |t| t.matches('\n').count()) as u64 + 1
        });
        let field = |k: usize| rec.get(k).map_or("", str::trim);
        let month_text = field(0);
        let month: usize = match month_text.split_once('-') {
            Some((y, m)) if y == year.to_string() => m.parse().unwrap_or(0),
            Some(_) => {
                return Err(format!(
                    "{source}:{n}: month `{month_text}` is not in the budget year {year}"
                ));
            }
            None => month_text.parse().unwrap_or(0),
        };
        if !(1..=12).contains(&month) {
            return Err(format!(
                "{source}:{n}: month `{month_text}`: a month 1–12 or {year}-MM"
            ));
        }
        let line = lines.iter().find(|l| l.name() == field(1)).ok_or_else(|| {
            let all: Vec<&str> = lines.iter().map(|l| l.name()).collect();
            format!(
                "{source}:{n}: unknown line `{}`; one of {}",
                field(1),
                all.join(", ")
            )
        })?;
        let amount: f64 = field(2)
            .parse()
            .map_err(|_| format!("{source}:{n}: amount `{}` is not a number (yuan)", field(2)))?;
        if !(amount.is_finite() && amount >= 0.0) {
            return Err(format!(
                "{source}:{n}: amount {amount}: an amount in yuan ≥ 0"
            ));
        }
        let city = if by_city {
            field(3).to_string()
        } else {
            String::new()
        };
        if let Some(first) = seen.insert((month, line.index(), city.clone()), n) {
            let what = if by_city {
                format!("month {month}, line {}, city {city}", line.name())
            } else {
                format!("month {month}, line {}", line.name())
            };
            return Err(format!(
                "{source}:{n}: {what} is given again (first on line {first})"
            ));
        }
        to_date[line.index()] += amount;
        if !given[line.index()] {
            first_row_of_line[line.index()] = n;
        }
        given[line.index()] = true;
        months_of_line[line.index()].insert(month);
        months = months.max(month);
    }
    if months == 0 {
        return Err(format!(
            "{source}: no rows: give months 1..j of the budget year"
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

    /// Bad rows of an actuals file are refused with their line number.
    #[test]
    fn bad_actuals_are_refused_with_the_line_number() {
        let err = parse(
            "month,line,amount\n1,premiums,100\n2,medicl,5\n",
            2025,
            &ALL,
            "a.csv",
        )
        .unwrap_err();
        assert!(
            err.starts_with("a.csv:3:") && err.contains("medicl"),
            "{err}"
        );
        let err = parse("month,line,amount\n13,premiums,100\n", 2025, &ALL, "a.csv").unwrap_err();
        assert!(err.starts_with("a.csv:2:"), "{err}");
        let err = parse(
            "month,line,amount\n2024-03,premiums,100\n",
            2025,
            &ALL,
            "a.csv",
        )
        .unwrap_err();
        assert!(err.contains("not in the budget year 2025"), "{err}");
        let err = parse("month,line,amount\n1,premiums,-5\n", 2025, &ALL, "a.csv").unwrap_err();
        assert!(err.starts_with("a.csv:2:"), "{err}");
        let err = parse("mon,line,amount\n", 2025, &ALL, "a.csv").unwrap_err();
        assert!(err.starts_with("a.csv:1:"), "{err}");
        // the line number counts physical lines, blank ones included
        let err = parse("month,line,amount\n\n1,premiums,abc\n", 2025, &ALL, "a.csv").unwrap_err();
        assert!(err.starts_with("a.csv:3:"), "{err}");
        // a line given for some months must be given for every month 1..j
        let err = parse(
            "month,line,amount\n1,premiums,1\n2,premiums,1\n3,premiums,1\n1,medical,1\n",
            2025,
            &ALL,
            "a.csv",
        )
        .unwrap_err();
        assert!(
            err.starts_with("a.csv:5:") && err.contains("not month 2"),
            "{err}"
        );
        // a repeated month and line is refused (without a city column)
        let err = parse(
            "month,line,amount\n1,premiums,1\n1,premiums,2\n",
            2025,
            &ALL,
            "a.csv",
        )
        .unwrap_err();
        assert!(
            err.starts_with("a.csv:3:") && err.contains("first on line 2"),
            "{err}"
        );
        let err = parse(
            "month,line,amount,town\n1,premiums,1,x\n",
            2025,
            &ALL,
            "a.csv",
        )
        .unwrap_err();
        assert!(err.starts_with("a.csv:1:"), "{err}");
        let ok = parse(
            "month,line,amount,city\n2025-01,premiums,100,南昌\n2025-02,premiums,50,九江\n",
            2025,
            &ALL,
            "a.csv",
        )
        .unwrap();
        assert_eq!(ok.months, 2);
        // money paid back is a line only of runs whose scheme pays back
        let err = parse("month,line,amount\n1,returned,5\n", 2025, &ALL, "a.csv").unwrap_err();
        assert!(
            err.starts_with("a.csv:2:") && err.contains("`returned`"),
            "{err}"
        );
        let mut with_returns = ALL.to_vec();
        with_returns.push(Line::Returned);
        let ok = parse(
            "month,line,amount\n1,returned,5\n",
            2025,
            &with_returns,
            "a.csv",
        )
        .unwrap();
        assert_eq!(ok.to_date[Line::Returned.index()], 5.0);
    }
}
