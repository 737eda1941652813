//! History files for `fundsim calibrate` and `fundsim backtest`
//! (docs/history.md): CSV, one row a year, UTF-8 with or without a BOM,
//! a header naming every column of the format, an optional `units` row
//! (or units in brackets in the header), empty cells for what is unknown.
//! Every bad cell is reported with its file, line and column (the first
//! 20 listed); years must be consecutive.

use super::{InputError, Source};
use crate::model::check::{closest, did_you_mean_fraction, suggestion};
use crate::model::history::{History, N_SERIES, Quantity, Row, Series, expenditure_of};
use crate::model::text::group;
use std::fmt::Write as _;
use std::path::Path;

/// Columns that carry text for people, not figures: kept out of the fit.
pub(super) const TEXT_COLUMNS: [&str; 2] = ["source", "note"];
/// The first and last year a history may hold.
pub(super) const YEARS: std::ops::RangeInclusive<i64> = 1900..=2200;
/// How many problems are listed before the rest are counted.
const MAX_LISTED: usize = 20;
/// How far the lines may be from a total given beside them (rounding of
/// published figures).
const FOOTING_TOLERANCE: f64 = 0.01;

/// The units a quantity may be given in: names (English and Chinese) and
/// the factor to base units. The first is the default.
fn units(q: Quantity) -> &'static [(&'static [&'static str], f64)] {
    match q {
        Quantity::Money => &[
            (&["yuan", "元"], 1.0),
            (&["10k yuan", "万元"], 1e4),
            (&["100m yuan", "亿元"], 1e8),
        ],
        Quantity::Count => &[
            (&["persons", "cases", "heads", "人", "件"], 1.0),
            (
                &["10k persons", "10k cases", "10k heads", "万人", "万件"],
                1e4,
            ),
        ],
        Quantity::PerPerson => &[
            (&["yuan/year", "元/年"], 1.0),
            (&["yuan/month", "元/月"], 12.0),
        ],
        Quantity::Ratio => &[(&["1", "ratio"], 1.0)],
    }
}

/// The unit names a quantity accepts, for messages.
pub(crate) fn unit_names(q: Quantity) -> String {
    units(q)
        .iter()
        .map(|(names, _)| format!("`{}`", names.join("` or `")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn unit_factor(q: Quantity, unit: &str) -> Option<f64> {
    let unit = unit.trim();
    if unit.is_empty() {
        return Some(1.0);
    }
    units(q)
        .iter()
        .find(|(names, _)| names.iter().any(|n| n.eq_ignore_ascii_case(unit)))
        .map(|(_, f)| *f)
}

/// Reads a history file; returns it with the SHA-256 of its bytes.
pub(crate) fn read_history(path: &Path) -> Result<(History, String), InputError> {
    let source = Source::read(path, "history")?;
    let history = parse_history(&source.text, &source.name).map_err(InputError::Rows)?;
    Ok((history, source.sha256))
}

/// What a column of the file holds.
#[derive(Debug, Clone, Copy)]
pub(super) enum Column {
    Year,
    /// The class or city of a part file.
    Key,
    Figure(Series),
    Text,
}

/// Parses a history CSV; `name` is the file's name in messages.
pub(crate) fn parse_history(text: &str, name: &str) -> Result<History, String> {
    let (header, records, text) = open(
        text,
        name,
        "the history file is empty; it needs a header `year,insured,payroll,…` and one row a year (docs/history.md)",
    )?;
    let mut problems = Problems::new(name);
    let mut columns = Vec::with_capacity(header.len());
    let mut factors = vec![1.0; header.len()];
    let mut seen = [false; N_SERIES];
    let mut has_year = false;
    // the columns a misspelt one was likely meant to be: their absence is
    // that one problem, not another
    let mut meant: Vec<&str> = Vec::new();
    let known = || {
        ["year"]
            .into_iter()
            .chain(Series::ALL.map(Series::name))
            .chain(TEXT_COLUMNS)
    };
    for (i, cell) in header.iter().enumerate() {
        let (col_name, unit) = split_unit(cell.trim());
        let column = if col_name == "year" {
            if has_year {
                problems.at(1, i, col_name, "the column `year` appears twice");
            }
            has_year = true;
            Column::Year
        } else if let Some(series) = Series::from_name(col_name) {
            if seen[series.index()] {
                problems.at(
                    1,
                    i,
                    col_name,
                    format!("the column `{col_name}` appears twice"),
                );
            }
            seen[series.index()] = true;
            header_unit(series, unit, i, &mut factors, &mut problems);
            Column::Figure(series)
        } else if TEXT_COLUMNS.contains(&col_name) {
            Column::Text
        } else {
            let guess = closest(col_name, known());
            problems.at(
                1,
                i,
                col_name,
                format!(
                    "`{col_name}` is not a column of the history format; the columns are year, {}, and `source` or `note` for text (docs/history.md){}",
                    Series::ALL.map(Series::name).join(", "),
                    suggestion(guess)
                ),
            );
            meant.extend(guess);
            Column::Text
        };
        columns.push(column);
    }
    if !has_year && !meant.contains(&"year") {
        problems.line(1, "the header has no column `year`");
    }
    let missing: Vec<&str> = Series::ALL
        .into_iter()
        .filter(|s| s.required() && !seen[s.index()])
        .map(Series::name)
        .filter(|n| !meant.contains(n))
        .collect();
    if !missing.is_empty() {
        problems.line(
            1,
            format!(
                "the header lacks the required column{} {}: every column of the format must be there, with empty cells where a figure is unknown",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ),
        );
    }
    problems.done()?;

    // a row refused for its length keeps its place in the sequence of
    // years (its year when that cell reads as one), so that the rows after
    // it are not refused as out of sequence too
    let mut parsed: Vec<(usize, Option<i32>, Option<Row>)> = Vec::new();
    let mut units_allowed = true;
    let year_at = columns.iter().position(|c| matches!(c, Column::Year));
    for record in records {
        let record = record.map_err(|e| format!("{name}: {e}"))?;
        let line = match data_row(
            text,
            &record,
            &columns,
            &mut factors,
            &mut units_allowed,
            &mut problems,
        ) {
            DataRow::Figures(line) => line,
            DataRow::WrongLength(line) => {
                let year = year_at
                    .and_then(|i| record.get(i))
                    .and_then(|c| read_year(c.trim()));
                parsed.push((line, year, None));
                continue;
            }
            DataRow::Other => continue,
        };
        let (year, row, _) = cells(
            &record,
            &columns,
            &factors,
            line,
            &mut problems,
            &mut |_, _, _| None,
        );
        parsed.push((line, year, Some(row)));
    }
    let years: Vec<(usize, Option<i32>)> = parsed
        .iter()
        .map(|(line, year, _)| (*line, *year))
        .collect();
    let breaks = sequence_breaks(&years);
    let first_year = parsed.iter().find_map(|(_, year, _)| *year);
    let mut rows: Vec<Row> = Vec::with_capacity(parsed.len());
    for ((line, year, row), problem) in parsed.into_iter().zip(breaks) {
        let Some(row) = row else {
            continue;
        };
        if let Some(problem) = problem {
            problems.at(line, year_at.unwrap_or(0), "year", problem);
            continue;
        }
        // a row whose year cannot be read is refused for that cell already
        if year.is_some() {
            cross_checks(&row, line, &columns, Whole::Province, &mut problems);
            rows.push(row);
        }
    }
    problems.done()?;
    let Some(first_year) = first_year else {
        return Err(format!("{name}: the history has a header but no year rows"));
    };
    Ok(History {
        source: name.to_string(),
        first_year,
        rows,
    })
}

/// What breaks the sequence of years at each row (`(line, year)` in file
/// order; `None` for a year cell that cannot be read, refused for itself
/// and taken as the year expected there), one problem a break, saying
/// what it is:
/// - the years running from newest to oldest: one problem for the file;
/// - a year given twice;
/// - a row out of order: named once, at the row that comes too early (the
///   year it skipped is not refused again where it turns up);
/// - a year that stands where another is expected (a typing error): between
///   that year's neighbours, a decade or more from the next two years at
///   the top, or a decade or more past the last year at the bottom;
/// - a stray row between two years that follow each other;
/// - years missing from the whole file.
///
/// The rows after a break are compared with the year expected next,
/// which moves back only where a new run of years starts.
fn sequence_breaks(years: &[(usize, Option<i32>)]) -> Vec<Option<String>> {
    use std::collections::{HashMap, HashSet};
    let mut out = vec![None; years.len()];
    let known: Vec<(usize, usize, i32)> = years
        .iter()
        .enumerate()
        .filter_map(|(i, (line, y))| y.map(|y| (i, *line, y)))
        .collect();
    // newest first, or nearly (a slip or two among them): one problem
    let falls = known.windows(2).filter(|w| w[1].2 < w[0].2).count();
    if known.len() >= 3 && falls * 4 >= (known.len() - 1) * 3 {
        let (i, _, newest) = known[0];
        let oldest = known[known.len() - 1].2;
        out[i] = Some(format!(
            "the years run from {newest} down to {oldest}: rows must be in year order, the oldest first"
        ));
        return out;
    }
    let mut first_line: HashMap<i32, usize> = HashMap::new();
    for (_, line, year) in &known {
        first_line.entry(*year).or_insert(*line);
    }
    let placed = |year: i32| first_line.get(&year).copied();
    // years already named as coming later than they should
    let mut named: HashSet<i32> = HashSet::new();
    let mut expected: Option<i32> = None;
    for (i, &(line, year)) in years.iter().enumerate() {
        let Some(year) = year else {
            expected = expected.map(|e| e + 1);
            continue;
        };
        let next = years.get(i + 1).and_then(|(_, y)| *y);
        let after_next = years.get(i + 2).and_then(|(_, y)| *y);
        let Some(e) = expected.filter(|e| *e != year) else {
            match (expected, next) {
                // the first row, before two years that follow each other
                (None, Some(n)) if (n - year).abs() >= TYPO_GAP && after_next == Some(n + 1) => {
                    out[i] = Some(format!(
                        "{year} stands before {n} and {}: a typing error, or a row out of place?",
                        n + 1
                    ));
                    expected = Some(n);
                }
                _ => expected = Some(year + 1),
            }
            continue;
        };
        let first_here = placed(year) == Some(line);
        // the rows resume after this one at `n`, and none of the years
        // between is in the file: this row stands where they should
        let stands_for = next
            .filter(|n| *n > e && (year > *n || year < e) && (e..*n).all(|y| placed(y).is_none()));
        out[i] = if named.contains(&year) && first_here {
            None
        } else if let Some(n) = stands_for {
            expected = Some(n);
            Some(if n == e + 1 {
                format!(
                    "{year} stands between {} and {n}, where {e} is expected: a typing error?",
                    e - 1
                )
            } else {
                format!(
                    "{year} stands between {} and {n}, where {} are expected: a typing error, or rows missing?",
                    e - 1,
                    year_list(&(e..n).collect::<Vec<_>>())
                )
            })
        } else if let Some(first) = placed(year).filter(|first| *first != line) {
            Some(format!(
                "{year} is given twice (first on line {first}): one row a year"
            ))
        } else if next == Some(e) && year != e + 1 {
            Some(format!(
                "{year} stands between {} and {e}, out of order: a row out of place, or a typing error?",
                e - 1
            ))
        } else if year > e {
            expected = Some(year + 1);
            let absent: Vec<i32> = (e..year).filter(|y| placed(*y).is_none()).collect();
            let later = (e..year).find_map(|y| placed(y).filter(|l| *l > line).map(|l| (y, l)));
            if !absent.is_empty() {
                // far past the last year, at the bottom: more likely a slip
                let slip = if next.is_none() && year - e >= TYPO_GAP {
                    format!("; or is {year} a typing error for {e}?")
                } else {
                    String::new()
                };
                Some(format!(
                    "{year} follows {}: years must be consecutive and rising; {}{slip} (a year without figures is a row with empty cells)",
                    e - 1,
                    missing_years(&absent)
                ))
            } else if let Some((skipped, at)) = later {
                named.extend((e..year).filter(|y| placed(*y).is_some_and(|l| l > line)));
                Some(format!(
                    "{year} follows {}, but {skipped} is on line {at}: rows must be in year order",
                    e - 1
                ))
            } else {
                // every year skipped is on an earlier row, whose break
                // was reported there
                None
            }
        } else {
            if next == Some(year + 1) {
                expected = Some(year + 1);
            }
            Some(format!(
                "{year} follows {}: rows must be in year order",
                e - 1
            ))
        };
    }
    out
}

/// A first year this far from the two after it, or a last year this far
/// past the one expected, is taken for a typing error: a history has no
/// gap of a decade.
const TYPO_GAP: i32 = 10;

/// Years missing from a history, as a clause: `2014 is missing`,
/// `2014–2016 are missing`, `2012 and 2014–2016 are missing`.
fn missing_years(years: &[i32]) -> String {
    let verb = if years.len() == 1 { "is" } else { "are" };
    format!("{} {verb} missing", year_list(years))
}

/// Rising years as a list of runs: `2014`, `2014–2016`,
/// `2012 and 2014–2016`, `2010, 2012 and 2014–2016`.
fn year_list(years: &[i32]) -> String {
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for &y in years {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == y => *end = y,
            _ => runs.push((y, y)),
        }
    }
    let names: Vec<String> = runs
        .iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// The header and the rows of a CSV file's text, and the text they are
/// read from (a BOM dropped), for [`record_line`]; an empty file is
/// refused with `empty`.
pub(super) fn open<'t>(
    text: &'t str,
    name: &str,
    empty: &str,
) -> Result<
    (
        csv::StringRecord,
        csv::StringRecordsIntoIter<&'t [u8]>,
        &'t str,
    ),
    String,
> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(format!("{name}: {empty}"));
    }
    // a file saved by a spreadsheet set to separate with ; (or tabs) is read
    // as it was written: its header then has no comma, and that separator
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = match (
        header_line.contains(','),
        header_line.contains(';'),
        header_line.contains('\t'),
    ) {
        (false, true, _) => b';',
        (false, false, true) => b'\t',
        _ => b',',
    };
    let mut records = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .into_records();
    match records.next() {
        Some(Ok(h)) => Ok((h, records, text)),
        Some(Err(e)) => Err(format!("{name}:1: {e}")),
        None => Err(format!("{name}: {empty}")),
    }
}

/// The 1-based line of the file on which a record read from `text`
/// starts. The CSV reader's own line count is one short after each
/// Windows line end (`\r\n`, a known bug of the reader) and after a blank
/// line it skips, so the line is counted here from the record's byte
/// offset, past the line ends the reader left before it: `\n`, `\r\n` or
/// a lone `\r` is one line end each.
pub(super) fn record_line(text: &str, position: Option<&csv::Position>) -> usize {
    let Some(p) = position else { return 0 };
    let bytes = text.as_bytes();
    let mut at = usize::try_from(p.byte()).map_or(bytes.len(), |b| b.min(bytes.len()));
    while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
        at += 1;
    }
    let before = &bytes[..at];
    let ends = before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && before.get(i + 1) != Some(&b'\n')))
        .count();
    ends + 1
}

/// A unit in brackets in the header of column `i`.
pub(super) fn header_unit(
    series: Series,
    unit: Option<&str>,
    i: usize,
    factors: &mut [f64],
    problems: &mut Problems,
) {
    if let Some(unit) = unit {
        match unit_factor(series.quantity(), unit) {
            Some(f) => factors[i] = f,
            None => problems.at(1, i, series.name(), bad_unit(series, unit)),
        }
    }
}

/// What a record of a history or part file is.
pub(super) enum DataRow {
    /// A row of figures, on this line.
    Figures(usize),
    /// A row of the wrong length, on this line (reported).
    WrongLength(usize),
    /// A blank row, or the `units` row.
    Other,
}

impl DataRow {
    /// The line of a row of figures.
    pub(super) fn figures(&self) -> Option<usize> {
        match self {
            DataRow::Figures(line) => Some(*line),
            _ => None,
        }
    }
}

/// What a record is: a row of figures, a row of the wrong length
/// (reported; a figure written with thousands separators makes more cells,
/// and the problem says so), or another (a blank row, the `units` row,
/// read into `factors`; it must come right after the header).
pub(super) fn data_row(
    text: &str,
    record: &csv::StringRecord,
    columns: &[Column],
    factors: &mut [f64],
    units_allowed: &mut bool,
    problems: &mut Problems,
) -> DataRow {
    let line = record_line(text, record.position());
    if record.iter().all(|c| c.trim().is_empty()) {
        return DataRow::Other;
    }
    if record.len() != columns.len() {
        let hint = if record.len() > columns.len() {
            "; a figure written with thousands separators (6,800,000) or a decimal comma (2,5) makes more cells: write 6800000 or 2.5"
        } else {
            ""
        };
        problems.line(
            line,
            format!(
                "the row has {} cells, the header {}{hint}",
                record.len(),
                columns.len()
            ),
        );
        return DataRow::WrongLength(line);
    }
    let first = columns
        .iter()
        .position(|c| matches!(c, Column::Year))
        .map_or("", |i| record[i].trim());
    if first.eq_ignore_ascii_case("units") || first == "单位" {
        if !*units_allowed {
            problems.line(line, "the `units` row must come right after the header");
        }
        *units_allowed = false;
        for (i, (col, cell)) in columns.iter().zip(record.iter()).enumerate() {
            if let Column::Figure(series) = col {
                match unit_factor(series.quantity(), cell) {
                    Some(f) => factors[i] = f,
                    None => problems.at(line, i, series.name(), bad_unit(*series, cell.trim())),
                }
            }
        }
        return DataRow::Other;
    }
    *units_allowed = false;
    DataRow::Figures(line)
}

/// The cells of a data row, each bad cell reported in column order: its
/// year, its figures and what `key` makes of its key cell (a part file's
/// class or city: `key` gets the column index and the cell, and reports a
/// bad one itself).
pub(super) fn cells(
    record: &csv::StringRecord,
    columns: &[Column],
    factors: &[f64],
    line: usize,
    problems: &mut Problems,
    key: &mut dyn FnMut(&mut Problems, usize, &str) -> Option<usize>,
) -> (Option<i32>, Row, Option<usize>) {
    let mut row: Row = [None; N_SERIES];
    let (mut year, mut part) = (None, None);
    for (i, (col, cell)) in columns.iter().zip(record.iter()).enumerate() {
        let cell = cell.trim();
        match col {
            Column::Text => {}
            Column::Key => part = key(problems, i, cell),
            Column::Year => year = year_cell(cell, line, i, problems),
            Column::Figure(series) => match figure(cell, *series, factors[i]) {
                Ok(v) => row[series.index()] = v,
                Err(m) => problems.at(line, i, series.name(), m),
            },
        }
    }
    (year, row, part)
}

/// A year cell.
/// A year cell's year, when it reads as one in [`YEARS`].
fn read_year(cell: &str) -> Option<i32> {
    cell.parse::<i64>()
        .ok()
        .filter(|y| YEARS.contains(y))
        .map(|y| y as i32)
}

fn year_cell(cell: &str, line: usize, i: usize, problems: &mut Problems) -> Option<i32> {
    let year = read_year(cell);
    if year.is_none() {
        problems.at(
            line,
            i,
            "year",
            format!(
                "`{cell}` is not a year: expected a whole number from {} to {}",
                YEARS.start(),
                YEARS.end()
            ),
        );
    }
    year
}

/// `insured [万人]` → (`insured`, Some(`万人`)).
pub(super) fn split_unit(cell: &str) -> (&str, Option<&str>) {
    match cell.split_once('[') {
        Some((name, rest)) => (name.trim(), Some(rest.trim_end_matches(']').trim())),
        None => (cell, None),
    }
}

pub(super) fn bad_unit(series: Series, unit: &str) -> String {
    format!(
        "`{unit}` is not a unit of {}: use {} (docs/history.md)",
        series.name(),
        unit_names(series.quantity())
    )
}

/// `0,96` written with a decimal comma, as `0.96`: one comma, digits on
/// both sides, and not three after it (`1,234` is a thousands separator).
fn decimal_comma(cell: &str) -> Option<String> {
    let (whole, fraction) = cell.split_once(',')?;
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let whole_digits = whole.strip_prefix('-').unwrap_or(whole);
    (digits(whole_digits) && digits(fraction) && fraction.len() != 3)
        .then(|| format!("{whole}.{fraction}"))
}

/// One figure cell: empty is unknown; otherwise a finite number in range.
pub(super) fn figure(cell: &str, series: Series, factor: f64) -> Result<Option<f64>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    let v: f64 = cell.parse().map_err(|_| {
        let hint = if let Some(point) = decimal_comma(cell) {
            format!(" (a decimal comma? write {point}, with a point)")
        } else if cell.contains(',') || cell.contains('，') {
            " (write it without thousands separators)".to_string()
        } else {
            " (leave the cell empty if the figure is unknown)".to_string()
        };
        format!("`{cell}` is not a number{hint}")
    })?;
    if !v.is_finite() {
        return Err(format!("`{cell}` is not a finite number"));
    }
    let v = v * factor;
    if v < 0.0 && !series.may_be_negative() {
        return Err(format!(
            "{cell} is negative: {} cannot be below 0",
            series.name()
        ));
    }
    let max = series.max_magnitude();
    if v.abs() > max {
        let unit = match series.quantity() {
            Quantity::Money => " yuan",
            Quantity::PerPerson => " yuan a year",
            Quantity::Count | Quantity::Ratio => "",
        };
        // a multiplier written as a percentage
        let hint = match series.quantity() {
            Quantity::Ratio => did_you_mean_fraction(v, |x| x.abs() <= max),
            _ => String::new(),
        };
        return Err(format!(
            "{cell} is out of range: {} is at most {}{unit}{hint}",
            series.name(),
            crate::model::check::show(max)
        ));
    }
    Ok(Some(v))
}

/// Whose figures a row holds: the province's, or a class's or city's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Whole {
    /// The province's history.
    Province,
    /// A row of a by-class or by-city breakdown.
    Part,
}

/// Parts that cannot exceed their whole, and lines that must foot to a
/// total given beside them.
pub(super) fn cross_checks(
    row: &Row,
    line: usize,
    columns: &[Column],
    whole: Whole,
    problems: &mut Problems,
) {
    let at = |s: Series| {
        columns
            .iter()
            .position(|c| matches!(c, Column::Figure(x) if *x == s))
            .unwrap_or(0)
    };
    let get = |s: Series| row[s.index()];
    if let Some(injuries) = get(Series::Injuries) {
        for part in [Series::Graded, Series::Deaths] {
            if let Some(v) = get(part)
                && v > injuries
            {
                problems.at(
                    line,
                    at(part),
                    part.name(),
                    format!(
                        "{v} exceeds the year's injuries ({injuries}): it counts a part of them"
                    ),
                );
            }
        }
    }
    unit_slips(row, &at, line, whole, problems);
    for (total, parts) in [
        (Series::IncomeTotal, &Series::INCOME[..]),
        (Series::ExpenditureTotal, &Series::EXPENDITURE[..]),
    ] {
        let sum: Option<f64> = parts.iter().map(|s| get(*s)).sum();
        if let (Some(t), Some(sum)) = (get(total), sum)
            && (t - sum).abs() > FOOTING_TOLERANCE * t.abs().max(1.0)
        {
            problems.at(
                line,
                at(total),
                total.name(),
                format!(
                    "{t} does not foot: its lines add up to {sum} (more than {} % apart)",
                    FOOTING_TOLERANCE * 100.0
                ),
            );
        }
    }
}

/// What a year's average wage can be, in yuan: from 100 (a sixth of the
/// national average wage of 1978, 615 yuan) to 1e7, a dozen times the
/// engine's largest monthly amount a person. Payroll ÷ insured and the
/// average wage outside it are a unit left out, not a wage.
const PLAUSIBLE_WAGE: (f64, f64) = (100.0, 1e7);
/// What premiums ÷ payroll can be: from 0.01 % (a tenth of the lowest
/// class rate, 0.2 %, floated down by half) to 10 %, the largest benchmark
/// rate a scenario takes.
const PLAUSIBLE_RATE: (f64, f64) = (1e-4, 0.1);

/// A balance below this share of a month's expenditure, that 万元 or 亿元
/// would turn into [`PLAUSIBLE_RESERVE`] months, is a unit left out: a
/// hundredth of a month is a fund that could not pay out a day.
const SLIPPED_RESERVE: f64 = 0.01;
/// Months of expenditure a fund's balance can hold, read as the balance
/// with a unit put back: from half a month to twenty years.
const PLAUSIBLE_RESERVE: (f64, f64) = (0.5, 240.0);

/// Figures of one row that no fund has, the mark of a unit left out of the
/// header (万元 read as yuan, 万人 as persons, a month's wage as a year's):
/// each is refused with the unit it most likely lacks.
fn unit_slips(
    row: &Row,
    at: &impl Fn(Series) -> usize,
    line: usize,
    whole: Whole,
    problems: &mut Problems,
) {
    let get = |s: Series| row[s.index()];
    let (low, high) = PLAUSIBLE_WAGE;
    let per_head = match (get(Series::Payroll), get(Series::Insured)) {
        (Some(p), Some(n)) if p > 0.0 && n > 0.0 => Some(p / n),
        _ => None,
    };
    if let Some(w) = per_head {
        if w < low {
            problems.at_once("payroll low", line, at(Series::Payroll), Series::Payroll.name(), format!(
                "payroll ÷ insured is {} yuan a year, below any wage (at least {}): is payroll in 万元 or 亿元? give its unit in the header (`payroll [万元]`) or in a units row",
                approx(w), approx(low)
            ));
        } else if w > high {
            problems.at_once("payroll high", line, at(Series::Insured), Series::Insured.name(), format!(
                "payroll ÷ insured is {} yuan a year, above any average wage (at most {}): is insured in 万人? give its unit in the header (`insured [万人]`) or in a units row",
                approx(w), approx(high)
            ));
        }
    }
    if let Some(a) = get(Series::AverageWage).filter(|a| *a > 0.0) {
        if a < low {
            problems.at_once("wage low", line, at(Series::AverageWage), Series::AverageWage.name(), format!(
                "{} yuan a year is below any wage (at least {}): in 万元? average_wage is in yuan a year, or a month's wage with the header `average_wage [元/月]`",
                approx(a), approx(low)
            ));
        } else if let Some(w) = per_head.filter(|w| (low..=high).contains(w) && *w >= 6.0 * a) {
            problems.at_once("wage monthly", line, at(Series::AverageWage), Series::AverageWage.name(), format!(
                "{} is 1/{} of payroll ÷ insured ({} yuan a year): a month's wage? average_wage is in yuan a year; write the header `average_wage [元/月]` for a monthly figure",
                approx(a), (w / a).round(), approx(w.round())
            ));
        }
    }
    // a balance in 万元 read as yuan is a ten-thousandth of its months of
    // payments; refused only when the unit put back gives a real reserve
    if let (Whole::Province, Some(balance), Some(spent)) =
        (whole, get(Series::Balance), expenditure_of(row))
        && balance > 0.0
        && spent > 0.0
    {
        let months = balance / (spent / 12.0);
        let (lo, hi) = PLAUSIBLE_RESERVE;
        let put_back = [("万元", 1e4), ("亿元", 1e8)]
            .into_iter()
            .find(|(_, f)| (lo..=hi).contains(&(months * f)));
        if months < SLIPPED_RESERVE
            && let Some((unit, f)) = put_back
        {
            problems.at_once("balance low", line, at(Series::Balance), Series::Balance.name(), format!(
                "the balance is {} of a month of the year's expenditure, which no paying fund holds; in {unit} it would be {} months: is balance in {unit}? give its unit in the header (`balance [{unit}]`) or in a units row",
                approx(months), approx(months * f)
            ));
        }
    }
    // a class or city of a breakdown may be levied otherwise (construction
    // by project, 按项目参保): only the province's rate is bounded
    if let (Whole::Province, Some(premiums), Some(payroll)) =
        (whole, get(Series::Premiums), get(Series::Payroll))
        && premiums > 0.0
        && payroll > 0.0
    {
        let r = premiums / payroll;
        let (lo, hi) = PLAUSIBLE_RATE;
        if !(lo..=hi).contains(&r) {
            problems.at_once("rate", line, at(Series::Premiums), Series::Premiums.name(), format!(
                "premiums ÷ payroll is {} %, outside what any work-injury rate gives ({} % to {} %): are premiums and payroll in different units (元, 万元, 亿元)?",
                approx(r * 100.0), lo * 100.0, hi * 100.0
            ));
        }
    }
}

/// A figure of a message, to three significant digits or whole:
/// `5.63`, `0.00680`, `563,452`.
fn approx(v: f64) -> String {
    if !v.is_finite() || v.abs() >= 100.0 || v == 0.0 {
        return group(&format!("{v:.0}"));
    }
    let decimals = (2.0 - v.abs().log10().floor()).max(0.0) as usize;
    format!("{v:.decimals$}")
}

/// The problems found so far, each with its place.
pub(super) struct Problems<'a> {
    name: &'a str,
    list: Vec<String>,
    /// Problems listed once a file: a key, where in `list`, how many rows had it.
    once: Vec<(&'static str, usize, usize)>,
}

impl<'a> Problems<'a> {
    pub(super) fn new(name: &'a str) -> Problems<'a> {
        Problems {
            name,
            list: Vec::new(),
            once: Vec::new(),
        }
    }

    /// A problem in one cell: line, 0-based column index and column name.
    pub(super) fn at(
        &mut self,
        line: usize,
        column: usize,
        col_name: &str,
        message: impl std::fmt::Display,
    ) {
        self.list.push(format!(
            "{}:{line}:{} (column {col_name}): {message}",
            self.name,
            column + 1
        ));
    }

    /// A problem in one cell, as [`Problems::at`], listed at its first row
    /// only: the rows after it with the same `key` are counted.
    pub(super) fn at_once(
        &mut self,
        key: &'static str,
        line: usize,
        column: usize,
        col_name: &str,
        message: impl std::fmt::Display,
    ) {
        if let Some(seen) = self.once.iter_mut().find(|(k, _, _)| *k == key) {
            seen.2 += 1;
            return;
        }
        self.once.push((key, self.list.len(), 1));
        self.at(line, column, col_name, message);
    }

    /// A problem with the whole file.
    pub(super) fn file(&mut self, message: impl std::fmt::Display) {
        self.list.push(format!("{}: {message}", self.name));
    }

    /// A problem with a whole line.
    pub(super) fn line(&mut self, line: usize, message: impl std::fmt::Display) {
        self.list.push(format!("{}:{line}: {message}", self.name));
    }

    pub(super) fn done(&mut self) -> Result<(), String> {
        if self.list.is_empty() {
            return Ok(());
        }
        for (_, at, rows) in self.once.drain(..) {
            if rows > 1 {
                let _ = write!(
                    self.list[at],
                    " (the same in {} more row{})",
                    rows - 1,
                    if rows == 2 { "" } else { "s" }
                );
            }
        }
        let n = self.list.len();
        let mut text = self.list[..n.min(MAX_LISTED)].join("\n");
        if n > MAX_LISTED {
            let _ = write!(text, "\n… and {} more problems", n - MAX_LISTED);
        }
        Err(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> String {
        std::iter::once("year")
            .chain(
                Series::ALL
                    .iter()
                    .filter(|s| s.required())
                    .map(|s| s.name()),
            )
            .collect::<Vec<_>>()
            .join(",")
    }

    fn row(year: i32, cells: &[(Series, &str)]) -> String {
        let mut out = vec![year.to_string()];
        for s in Series::ALL.iter().filter(|s| s.required()) {
            out.push(
                cells
                    .iter()
                    .find(|(x, _)| x == s)
                    .map_or(String::new(), |(_, v)| (*v).to_string()),
            );
        }
        out.join(",")
    }

    #[test]
    fn reads_units_bom_and_empty_cells() {
        let units = row(
            0,
            &[
                (Series::Insured, "万人"),
                (Series::Balance, "亿元"),
                (Series::AverageWage, "yuan/month"),
            ],
        )
        .replacen('0', "units", 1);
        let text = format!(
            "\u{feff}{}\n{units}\n{}\n{}\n",
            header(),
            row(2020, &[(Series::Insured, "2.5"), (Series::Balance, "-1.5")]),
            row(2021, &[(Series::AverageWage, "8000")]),
        );
        let h = parse_history(&text, "h.csv").unwrap();
        assert_eq!(h.first_year, 2020);
        assert_eq!(h.last_year(), 2021);
        assert_eq!(h.get(2020, Series::Insured), Some(25_000.0));
        assert_eq!(h.get(2020, Series::Balance), Some(-1.5e8));
        assert_eq!(h.get(2021, Series::AverageWage), Some(96_000.0));
        assert_eq!(h.get(2021, Series::Insured), None);
        assert_eq!(h.get(2019, Series::Insured), None);
    }

    #[test]
    fn units_in_the_header() {
        let text = header().replace("payroll", "payroll [亿元]")
            + "\n"
            + &row(2020, &[(Series::Payroll, "3")]);
        let h = parse_history(&text, "h.csv").unwrap();
        assert_eq!(h.get(2020, Series::Payroll), Some(3e8));
    }

    /// A balance in 万元 read as yuan (a ten-thousandth of 15 months of
    /// expenditure) is refused with the unit to write; the same balance in
    /// yuan, and a fund nearly empty whose balance no unit makes a reserve,
    /// pass.
    #[test]
    fn a_balance_in_wan_is_a_unit_left_out() {
        let text = |balance: &str| {
            format!(
                "{},expenditure\n{},1200000000",
                header(),
                row(2020, &[(Series::Balance, balance)])
            )
        };
        let e = parse_history(&text("150000"), "h.csv").unwrap_err();
        assert!(
            e.contains("(column balance): the balance is 0.00150 of a month of the year's expenditure, which no paying fund holds; in 万元 it would be 15.0 months: is balance in 万元?"),
            "{e}"
        );
        assert!(parse_history(&text("1500000000"), "h.csv").is_ok());
        // 10 yuan, 10⁻⁷ of a month, which 亿元 makes 10 months: refused
        // with 亿元; 1,000 yuan, 10⁻⁵ of a month, is 0.1 month in 万元 and
        // 1,000 months in 亿元, neither a reserve: passes
        let e = parse_history(&text("10"), "h.csv").unwrap_err();
        assert!(e.contains("in 亿元 it would be 10.0 months"), "{e}");
        assert!(parse_history(&text("1000"), "h.csv").is_ok());
    }

    /// A misspelt column (`disabilty`, `Insured`, `yaer`) is one problem,
    /// which offers the column it was likely meant to be; the required
    /// column it stands for is not refused as missing too.
    #[test]
    fn a_misspelt_column_is_one_problem_that_names_the_column() {
        for (from, to) in [
            ("disability", "disabilty"),
            ("insured", "Insured"),
            ("year", "yaer"),
        ] {
            let h = header().replacen(from, to, 1);
            let text = [h, row(2020, &[])].join("\n");
            let e = parse_history(&text, "h.csv").unwrap_err();
            assert_eq!(e.lines().count(), 1, "{e}");
            assert!(e.ends_with(&format!("; did you mean \"{from}\"?")), "{e}");
        }
    }

    /// A row split by a grouped figure (`6,800,000` unquoted) is one
    /// problem, which says why it has more cells; it keeps its year's place,
    /// so the row after it is not refused as out of sequence. A row of too
    /// few cells gets no such hint.
    #[test]
    fn a_row_of_the_wrong_length_is_one_problem() {
        let grouped = row(2011, &[(Series::Insured, "6,800,000")]);
        let text = [header(), row(2010, &[]), grouped, row(2012, &[])].join("\n");
        let e = parse_history(&text, "h.csv").unwrap_err();
        let n = header().split(',').count();
        assert_eq!(
            e,
            format!(
                "h.csv:3: the row has {} cells, the header {n}; a figure written with thousands separators (6,800,000) or a decimal comma (2,5) makes more cells: write 6800000 or 2.5",
                n + 2
            )
        );
        let text = [
            header(),
            row(2010, &[]),
            "2011,1".to_string(),
            row(2012, &[]),
        ]
        .join("\n");
        let e = parse_history(&text, "h.csv").unwrap_err();
        assert_eq!(e, format!("h.csv:3: the row has 2 cells, the header {n}"));
    }

    /// The year problems of a history whose rows hold `years` (lines from 2).
    fn year_problems(years: &[i32]) -> Vec<String> {
        let text = std::iter::once(header())
            .chain(years.iter().map(|y| row(*y, &[])))
            .collect::<Vec<_>>()
            .join("\n");
        match parse_history(&text, "h.csv") {
            Ok(_) => Vec::new(),
            Err(e) => e
                .lines()
                .map(|l| {
                    l.replacen("h.csv:", "", 1)
                        .replacen(":1 (column year): ", ": ", 1)
                })
                .collect(),
        }
    }

    /// Each break in the years is one problem, saying what it is: a year
    /// missing from the file (however many years follow), rows out of
    /// order (once, not again where the skipped year turns up), a year
    /// given twice, a year typed wrong between its neighbours, a stray
    /// row; the rows after a break are not refused for it.
    #[test]
    fn each_break_in_the_years_is_one_problem_that_says_what_it_is() {
        let cases: [(&[i32], &[&str]); 20] = [
            (&[2010, 2011, 2012, 2013], &[]),
            (
                &[2010, 2011, 2013, 2014, 2015, 2016, 2017],
                &[
                    "4: 2013 follows 2011: years must be consecutive and rising; 2012 is missing (a year without figures is a row with empty cells)",
                ],
            ),
            (
                &[2010, 2013, 2015, 2016],
                &[
                    "3: 2013 follows 2010: years must be consecutive and rising; 2011–2012 are missing (a year without figures is a row with empty cells)",
                    "4: 2015 follows 2013: years must be consecutive and rising; 2014 is missing (a year without figures is a row with empty cells)",
                ],
            ),
            // a gap right after the first row is a gap, not a typing error
            (
                &[2010, 2012, 2013],
                &[
                    "3: 2012 follows 2010: years must be consecutive and rising; 2011 is missing (a year without figures is a row with empty cells)",
                ],
            ),
            // two rows swapped
            (
                &[2013, 2014, 2016, 2015, 2017, 2018],
                &["4: 2016 follows 2014, but 2015 is on line 5: rows must be in year order"],
            ),
            // two rows swapped and the year after them missing: two problems,
            // the swapped row not taken for a typing error
            (
                &[2013, 2014, 2016, 2015, 2018, 2019],
                &[
                    "4: 2016 follows 2014, but 2015 is on line 5: rows must be in year order",
                    "6: 2018 follows 2016: years must be consecutive and rising; 2017 is missing (a year without figures is a row with empty cells)",
                ],
            ),
            // a year typed wrong: 2071 for 2018
            (
                &[2015, 2016, 2017, 2071, 2019, 2020],
                &["5: 2071 stands between 2017 and 2019, where 2018 is expected: a typing error?"],
            ),
            // ... in the first row, and in the last
            (
                &[2071, 2019, 2020, 2021],
                &["2: 2071 stands before 2019 and 2020: a typing error, or a row out of place?"],
            ),
            (
                &[1918, 2019, 2020, 2021],
                &["2: 1918 stands before 2019 and 2020: a typing error, or a row out of place?"],
            ),
            (
                &[2015, 2016, 2017, 2071],
                &[
                    "5: 2071 follows 2017: years must be consecutive and rising; 2018–2070 are missing; or is 2071 a typing error for 2018? (a year without figures is a row with empty cells)",
                ],
            ),
            (
                &[2015, 2016, 2016, 2017],
                &["4: 2016 is given twice (first on line 3): one row a year"],
            ),
            // a stray row between two years that follow each other
            (
                &[2015, 2016, 2011, 2017, 2018],
                &[
                    "4: 2011 stands between 2016 and 2017, out of order: a row out of place, or a typing error?",
                ],
            ),
            (
                &[2010, 2011, 2050, 2012, 2013, 2014],
                &[
                    "4: 2050 stands between 2011 and 2012, out of order: a row out of place, or a typing error?",
                ],
            ),
            // the first row out of place
            (
                &[2015, 2010, 2011, 2012, 2013, 2014, 2016],
                &["3: 2010 follows 2015: rows must be in year order"],
            ),
            // newest first: one problem for the file
            (
                &[2014, 2013, 2012, 2011, 2010],
                &[
                    "2: the years run from 2014 down to 2010: rows must be in year order, the oldest first",
                ],
            ),
            // one year out of place and a repeat, further on
            (
                &[2010, 2011, 2013, 2014, 2015, 2016, 2016, 2017, 2012, 2018],
                &[
                    "4: 2013 follows 2011, but 2012 is on line 10: rows must be in year order",
                    "8: 2016 is given twice (first on line 7): one row a year",
                ],
            ),
            // a typo beside a missing year, a typo onto a year in the file,
            // a nearly newest-first file (trial)
            (
                &[2017, 2018, 2091, 2021, 2022],
                &[
                    "4: 2091 stands between 2018 and 2021, where 2019–2020 are expected: a typing error, or rows missing?",
                ],
            ),
            (
                &[2015, 2016, 2017, 2017, 2019, 2020],
                &["5: 2017 stands between 2017 and 2019, where 2018 is expected: a typing error?"],
            ),
            (
                &[2024, 2023, 2022, 2081, 2020, 2019, 2018, 2017],
                &[
                    "2: the years run from 2024 down to 2017: rows must be in year order, the oldest first",
                ],
            ),
            (
                &[1900, 2200],
                &[
                    "3: 2200 follows 1900: years must be consecutive and rising; 1901–2199 are missing; or is 2200 a typing error for 1901? (a year without figures is a row with empty cells)",
                ],
            ),
        ];
        for (years, want) in cases {
            assert_eq!(year_problems(years), want, "years {years:?}");
        }
    }

    /// A year cell that cannot be read is refused for itself, and its row
    /// stands for the year expected there: the years around it are not
    /// called missing for it.
    #[test]
    fn an_unreadable_year_is_one_problem() {
        let text = std::iter::once(header())
            .chain([2010, 2011, 2012, 2013].iter().map(|y| row(*y, &[])))
            .collect::<Vec<_>>()
            .join("\n")
            .replacen("\n2012,", "\n2O12,", 1);
        let e = parse_history(&text, "h.csv").unwrap_err();
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(e.starts_with("h.csv:4:1 (column year): `2O12`"), "{e}");
    }

    /// A bad cell is refused on the line of the file it is on, whatever
    /// the line ends (`\n`, Windows' `\r\n`, a lone `\r`) and blank lines
    /// before it: the CSV reader's own count is one short after each
    /// `\r\n` and each blank line.
    #[test]
    fn a_problem_is_on_its_line_whatever_the_line_ends() {
        let lines: Vec<String> = std::iter::once(header())
            .chain([2010, 2011, 2012, 2013].iter().map(|y| row(*y, &[])))
            .collect();
        for end in ["\n", "\r\n", "\r"] {
            for blank in [false, true] {
                let mut rows = lines.clone();
                if blank {
                    rows.insert(2, String::new());
                }
                let text =
                    rows.join(end)
                        .replacen(&format!("{end}2012,"), &format!("{end}2O12,"), 1)
                        + end;
                let e = parse_history(&text, "h.csv").unwrap_err();
                let line = if blank { 5 } else { 4 };
                assert!(
                    e.starts_with(&format!("h.csv:{line}:1 (column year)")),
                    "{end:?}, blank line {blank}: {e}"
                );
            }
        }
    }

    #[test]
    fn a_record_line_counts_every_kind_of_line_end() {
        for (text, lines) in [
            ("a\nb\n\nc\n", [1, 2, 4]),
            ("a\r\nb\r\n\r\nc\r\n", [1, 2, 4]),
            ("a\rb\r\rc\r", [1, 2, 4]),
            ("a\r\nb\n\rc", [1, 2, 4]),
        ] {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.as_bytes());
            let found: Vec<usize> = r
                .records()
                .map(|rec| record_line(text, rec.unwrap().position()))
                .collect();
            assert_eq!(found, lines, "{text:?}");
        }
    }

    /// Figures no fund has — a payroll of 4 yuan a head, an insured of 8e8
    /// yuan a head, a yearly wage a twelfth of the payroll a head, premiums
    /// a ten-thousandth of a rate — are a unit left out, refused with the
    /// unit to write, once a file; plausible figures pass.
    #[test]
    fn a_unit_left_out_is_named() {
        let plausible = [
            (Series::Insured, "800000"),
            (Series::Payroll, "40000000000"),
            (Series::Premiums, "280000000"),
            (Series::AverageWage, "60000"),
        ];
        let file = |cells: &[(Series, &str)]| {
            std::iter::once(header())
                .chain([2020, 2021, 2022].iter().map(|y| row(*y, cells)))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert!(parse_history(&file(&plausible), "h.csv").is_ok());
        let with = |s: Series, v: &'static str| {
            let mut cells = plausible.to_vec();
            cells.iter_mut().find(|(x, _)| *x == s).expect("a cell").1 = v;
            cells
        };
        for (cells, expected) in [
            (
                // payroll and premiums in 万元, so that their ratio is a rate
                vec![
                    (Series::Insured, "800000"),
                    (Series::Payroll, "4000000"),
                    (Series::Premiums, "28000"),
                    (Series::AverageWage, "60000"),
                ],
                "payroll ÷ insured is 5.00 yuan a year, below any wage (at least 100): is payroll in 万元 or 亿元?",
            ),
            (
                with(Series::Insured, "80"),
                "payroll ÷ insured is 500,000,000 yuan a year, above any average wage (at most 10,000,000): is insured in 万人?",
            ),
            (
                with(Series::AverageWage, "5000"),
                "5,000 is 1/10 of payroll ÷ insured (50,000 yuan a year): a month's wage?",
            ),
            (
                with(Series::AverageWage, "6"),
                "6.00 yuan a year is below any wage (at least 100): in 万元?",
            ),
            (
                with(Series::Premiums, "28000"),
                "premiums ÷ payroll is 0.0000700 %, outside what any work-injury rate gives (0.01 % to 10 %)",
            ),
        ] {
            let e = parse_history(&file(&cells), "h.csv").unwrap_err();
            assert_eq!(e.lines().count(), 1, "{e}");
            assert!(e.contains(expected), "{e}\n--- expected {expected}");
            assert!(e.ends_with("(the same in 2 more rows)"), "{e}");
        }
    }

    /// A file a spreadsheet saved with `;` or tabs between the cells reads
    /// as the same file with commas; a decimal comma is refused with the
    /// number written with a point.
    #[test]
    fn semicolons_and_tabs_separate_like_commas() {
        let lines: Vec<String> = std::iter::once(header())
            .chain(
                [2010, 2011]
                    .iter()
                    .map(|y| row(*y, &[(Series::Insured, "800000")])),
            )
            .collect();
        let commas = parse_history(&lines.join("\n"), "h.csv").expect("valid");
        for sep in [";", "\t"] {
            let text = lines.join("\n").replace(',', sep);
            let h = parse_history(&text, "h.csv").unwrap_or_else(|e| panic!("{sep:?}: {e}"));
            assert_eq!(h.rows, commas.rows, "{sep:?}");
        }
        let text = lines
            .join("\n")
            .replace(',', ";")
            .replace(";800000", ";0,96");
        let e = parse_history(&text, "h.csv").unwrap_err();
        assert!(
            e.contains("`0,96` is not a number (a decimal comma? write 0.96, with a point)"),
            "{e}"
        );
        assert_eq!(decimal_comma("1,234"), None, "a thousands separator");
        assert_eq!(decimal_comma("-3,5").as_deref(), Some("-3.5"));
        assert_eq!(decimal_comma("1,234,5"), None);
    }

    /// A figure past its range says the range in the column's unit, and a
    /// multiplier written as a percentage gets the multiplier.
    #[test]
    fn a_figure_out_of_range_names_its_range() {
        let text = format!(
            "{},rate_multiplier\n{},85\n",
            header(),
            row(2020, &[(Series::Insured, "800000")])
        );
        let e = parse_history(&text, "h.csv").unwrap_err();
        assert!(
            e.contains("85 is out of range: rate_multiplier is at most 10; did you mean 0.85?"),
            "{e}"
        );
        let text = format!(
            "{}\n{}\n",
            header(),
            row(2020, &[(Series::Injuries, "2e7")])
        );
        let e = parse_history(&text, "h.csv").unwrap_err();
        assert!(
            e.contains("2e7 is out of range: injuries is at most 10000000"),
            "{e}"
        );
        assert!(!e.contains("did you mean"), "{e}");
    }

    /// Each bad file is refused with the line, column and name of the cell.
    #[test]
    fn bad_files_name_the_cell() {
        let h = header();
        let cases = [
            (
                format!("{h}\n{}\n{}", row(2020, &[]), row(2022, &[])),
                "h.csv:3:1 (column year): 2022 follows 2020",
            ),
            (
                format!("{h}\n{}", row(2020, &[(Series::Premiums, "12a")])),
                "h.csv:2:4 (column premiums): `12a` is not a number",
            ),
            (
                format!("{h}\n{}", row(2020, &[(Series::CareHeads, "-3")])),
                "h.csv:2:20 (column care_heads): -3 is negative",
            ),
            (
                format!(
                    "{}\n{}",
                    h.replace(",deaths", ""),
                    row(2020, &[]).replacen(',', "", 1)
                ),
                "h.csv:1: the header lacks the required column deaths",
            ),
            (
                format!(
                    "{h}\n{}",
                    row(2020, &[(Series::Injuries, "10"), (Series::Deaths, "11")])
                ),
                "h.csv:2:18 (column deaths): 11 exceeds",
            ),
            (
                format!("{h}\n{}", row(2020, &[(Series::Balance, "inf")])),
                "column balance): `inf` is not a finite number",
            ),
            (
                format!(
                    "{}\n{}",
                    h.replace("insured", "insured [dozens]"),
                    row(2020, &[])
                ),
                "h.csv:1:2 (column insured): `dozens` is not a unit of insured",
            ),
            (format!("{h},wages\n"), "`wages` is not a column"),
            (format!("{h}\n"), "no year rows"),
            (String::new(), "the history file is empty"),
        ];
        for (text, expected) in cases {
            let e = parse_history(&text, "h.csv").unwrap_err();
            assert!(e.contains(expected), "{e}\n--- expected: {expected}");
        }
    }
}
