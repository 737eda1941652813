//! By-class and by-city history files for `fundsim calibrate --by-class`
//! and `--by-city` (docs/history.md §4): CSV, one row a year and class (or
//! city), keyed by the base scenario's class or city names, with the
//! province file's units and cell rules. Each part's years must be
//! consecutive; a year a part has no row for is unknown.

use super::history::{
    Column, Problems, TEXT_COLUMNS, Whole, cells, cross_checks, data_row, header_unit, open,
    split_unit,
};
use super::{InputError, Source};
use crate::model::check::{closest, suggestion};
use crate::model::history::{History, N_SERIES, PART_SERIES, PartHistory, PartKind, Row, Series};
use crate::model::scenario::Scenario;
use std::collections::BTreeMap;
use std::path::Path;

/// Reads a by-class or by-city file keyed by the base scenario's class or
/// city names; returns it with the SHA-256 of its bytes.
pub(crate) fn read_parts(
    path: &Path,
    kind: PartKind,
    base: &Scenario,
) -> Result<(PartHistory, String), InputError> {
    let names: Vec<String> = match kind {
        PartKind::Class => base.sectors.iter().map(|s| s.name.clone()).collect(),
        PartKind::City => base.cities.iter().map(|c| c.name.clone()).collect(),
    };
    let what = match kind {
        PartKind::Class => "by-class history",
        PartKind::City => "by-city history",
    };
    let source = Source::read(path, what)?;
    let parts = parse_parts(&source.text, &source.name, kind, &names).map_err(InputError::Rows)?;
    Ok((parts, source.sha256))
}

/// The columns a part file may have, for messages.
fn columns_text(kind: PartKind) -> String {
    format!(
        "year, {}, {}, and `source` or `note` for text",
        kind.key(),
        PART_SERIES.map(Series::name).join(", ")
    )
}

/// Parses a by-class or by-city CSV; `name` is the file's name in messages.
pub(crate) fn parse_parts(
    text: &str,
    name: &str,
    kind: PartKind,
    names: &[String],
) -> Result<PartHistory, String> {
    let key = kind.key();
    let (header, records, text) = open(
        text,
        name,
        &format!(
            "the file is empty; it needs a header `year,{key},insured,…` and one row a year and {key} (docs/history.md)"
        ),
    )?;
    let mut problems = Problems::new(name);
    let mut columns = Vec::with_capacity(header.len());
    let mut factors = vec![1.0; header.len()];
    let mut seen = [false; N_SERIES];
    let (mut has_year, mut has_key) = (false, false);
    // the columns a misspelt one was likely meant to be: their absence is
    // that one problem, not another
    let mut meant: Vec<&str> = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        let (col_name, unit) = split_unit(cell.trim());
        let twice = |problems: &mut Problems, seen: bool| {
            if seen {
                problems.at(
                    1,
                    i,
                    col_name,
                    format!("the column `{col_name}` appears twice"),
                );
            }
        };
        let column = if col_name == "year" {
            twice(&mut problems, has_year);
            has_year = true;
            Column::Year
        } else if col_name == key {
            twice(&mut problems, has_key);
            has_key = true;
            Column::Key
        } else if let Some(series) = Series::from_name(col_name).filter(|s| PART_SERIES.contains(s))
        {
            twice(&mut problems, seen[series.index()]);
            seen[series.index()] = true;
            header_unit(series, unit, i, &mut factors, &mut problems);
            Column::Figure(series)
        } else if TEXT_COLUMNS.contains(&col_name) {
            Column::Text
        } else {
            let guess = closest(
                col_name,
                ["year", key]
                    .into_iter()
                    .chain(PART_SERIES.map(Series::name))
                    .chain(TEXT_COLUMNS),
            );
            problems.at(
                1,
                i,
                col_name,
                format!(
                    "`{col_name}` is not a column of the by-{key} format; the columns are {} (docs/history.md){}",
                    columns_text(kind),
                    suggestion(guess)
                ),
            );
            meant.extend(guess);
            Column::Text
        };
        columns.push(column);
    }
    if (!has_year && !meant.contains(&"year")) || (!has_key && !meant.contains(&key)) {
        problems.line(
            1,
            format!(
                "the header needs the columns `year` and `{key}`, then figures: {}",
                columns_text(kind)
            ),
        );
    }
    let figure_meant = PART_SERIES.iter().any(|s| meant.contains(&s.name()));
    if !seen.iter().any(|s| *s) && !figure_meant {
        problems.line(
            1,
            format!(
                "the header has no figure column: give at least one of {}",
                PART_SERIES.map(Series::name).join(", ")
            ),
        );
    }
    problems.done()?;

    let year_at = columns.iter().position(|c| matches!(c, Column::Year));
    let key_at = columns.iter().position(|c| matches!(c, Column::Key));
    let mut by_part: Vec<BTreeMap<i32, (Row, usize)>> = vec![BTreeMap::new(); names.len()];
    let mut units_allowed = true;
    for record in records {
        let record = record.map_err(|e| format!("{name}: {e}"))?;
        let Some(line) = data_row(
            text,
            &record,
            &columns,
            &mut factors,
            &mut units_allowed,
            &mut problems,
        )
        .figures() else {
            continue;
        };
        let mut part_of = |problems: &mut Problems, i: usize, cell: &str| {
            let p = names.iter().position(|n| n.eq_ignore_ascii_case(cell));
            if p.is_none() {
                problems.at(
                    line,
                    i,
                    key,
                    format!(
                        "`{cell}` is not a {key} of the base scenario; its {key} names are {}",
                        names.join(", ")
                    ),
                );
            }
            p
        };
        let (year, row, part) = cells(
            &record,
            &columns,
            &factors,
            line,
            &mut problems,
            &mut part_of,
        );
        let (Some(year), Some(part)) = (year, part) else {
            continue;
        };
        cross_checks(&row, line, &columns, Whole::Part, &mut problems);
        if by_part[part].insert(year, (row, line)).is_some() {
            problems.at(
                line,
                year_at.or(key_at).unwrap_or(0),
                "year",
                format!("{year} appears twice for {key} {}", names[part]),
            );
        }
    }
    // a part whose years have a break is refused there, not again below
    let mut broken = vec![false; by_part.len()];
    for (part, rows) in by_part.iter().enumerate() {
        let years: Vec<(i32, usize)> = rows.iter().map(|(y, (_, l))| (*y, *l)).collect();
        if let Some(w) = years.windows(2).find(|w| w[1].0 != w[0].0 + 1) {
            broken[part] = true;
            problems.at(
                w[1].1,
                year_at.unwrap_or(0),
                "year",
                format!(
                    "{key} {}: {} follows {}; each {key}'s years must be consecutive (a year without figures is a row with empty cells)",
                    names[part], w[1].0, w[0].0
                ),
            );
        }
    }
    // every part for the same years, those most parts have: the calibration
    // reads all of them in a year or none, so a part left out would drop
    // the whole file unsaid
    let span = |rows: &BTreeMap<i32, (Row, usize)>| {
        Some((*rows.keys().next()?, *rows.keys().next_back()?))
    };
    let spans: Vec<Option<(i32, i32)>> = by_part.iter().map(span).collect();
    let common = spans
        .iter()
        .flatten()
        .max_by_key(|s| {
            (
                spans.iter().filter(|t| t.as_ref() == Some(*s)).count(),
                s.1,
                -s.0,
            )
        })
        .copied();
    if let Some((first, last)) = common {
        for (part, s) in spans.iter().enumerate() {
            match s {
                None => problems.file(format!(
                    "{key} {} has no rows: the file gives every {key} of the base scenario ({}) for the same years, here {first}–{last} (a year without figures is a row with empty cells)",
                    names[part],
                    names.join(", ")
                )),
                Some((a, b)) if (*a, *b) != (first, last) && !broken[part] => problems.file(format!(
                    "{key} {}'s rows run {a}–{b}, the others' {first}–{last}: every {key} needs a row for each year (a year without figures is a row with empty cells)",
                    names[part]
                )),
                Some(_) => {}
            }
        }
    }
    problems.done()?;
    let first = by_part
        .iter()
        .filter_map(|r| r.keys().next().copied())
        .min();
    let last = by_part
        .iter()
        .filter_map(|r| r.keys().next_back().copied())
        .max();
    let (Some(first), Some(last)) = (first, last) else {
        return Err(format!("{name}: the file has a header but no rows"));
    };
    let parts = by_part
        .into_iter()
        .map(|rows| History {
            source: name.to_string(),
            first_year: first,
            rows: (first..=last)
                .map(|y| rows.get(&y).map_or([None; N_SERIES], |r| r.0))
                .collect(),
        })
        .collect();
    Ok(PartHistory {
        kind,
        source: name.to_string(),
        parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["mining".into(), "office".into()]
    }

    fn parse(text: &str) -> Result<PartHistory, String> {
        parse_parts(text, "c.csv", PartKind::Class, &names())
    }

    #[test]
    fn rows_in_any_order_make_one_history_per_class() {
        let p = parse(
            "year,class,insured [万人],injuries\n2021,office,2,30\n2020,mining,1,50\n2021,mining,1.5,\n2020,office,1.8,28\n",
        )
        .expect("valid");
        assert_eq!(p.parts.len(), 2);
        assert_eq!(p.parts[0].first_year, 2020);
        assert_eq!(p.parts[0].get(2021, Series::Insured), Some(15_000.0));
        assert_eq!(p.parts[0].get(2021, Series::Injuries), None);
        assert_eq!(p.all(2020, Series::Injuries), Some(vec![50.0, 28.0]));
        assert_eq!(p.all(2021, Series::Injuries), None);
    }

    #[test]
    fn bad_cells_are_named() {
        let e = parse("year,class,insured\n2020,farming,1\n").unwrap_err();
        assert!(
            e.contains("c.csv:2:2 (column class)") && e.contains("mining, office"),
            "{e}"
        );
        let e = parse("year,class,insured,rate\n").unwrap_err();
        assert!(e.contains("c.csv:1:4 (column rate)"), "{e}");
        let e = parse("year,class,insured\n2020,mining,1\n2020,mining,2\n").unwrap_err();
        assert!(e.contains("c.csv:3:1") && e.contains("twice"), "{e}");
        let e = parse("year,class,insured\n2020,mining,1\n2022,mining,2\n").unwrap_err();
        assert!(
            e.contains("c.csv:3:1") && e.contains("mining: 2022 follows 2020"),
            "{e}"
        );
        let e = parse("year,class,injuries,deaths\n2020,mining,1,3\n").unwrap_err();
        assert!(e.contains("c.csv:2:4 (column deaths)"), "{e}");
        let e = parse("year,insured\n2020,1\n").unwrap_err();
        assert!(e.contains("`class`"), "{e}");
    }

    /// A misspelt column offers the one it was likely meant to be, and a
    /// misspelt `year` or `class` is that one problem: the header is not
    /// also refused for lacking the column.
    #[test]
    fn a_misspelt_column_is_one_problem() {
        for (header, meant) in [
            ("yaer,class,insured", "year"),
            ("year,clas,insured", "class"),
            ("year,class,insurd", "insured"),
        ] {
            let e = parse(&format!("{header}\n2020,mining,1\n")).unwrap_err();
            assert_eq!(e.lines().count(), 1, "{e}");
            assert!(e.ends_with(&format!("; did you mean \"{meant}\"?")), "{e}");
        }
    }

    /// A part left out, or given for fewer years than the others, is
    /// refused by name: the calibration reads every part of a year or
    /// none, so it would have dropped the whole file without a word.
    #[test]
    fn every_part_is_given_for_the_same_years() {
        let e = parse("year,class,insured\n2020,mining,1\n2021,mining,2\n").unwrap_err();
        assert!(
            e.contains("c.csv: class office has no rows") && e.contains("2020–2021"),
            "{e}"
        );
        let e = parse(
            "year,class,insured\n2020,mining,1\n2021,mining,2\n2022,mining,2\n2021,office,1\n2022,office,1\n",
        )
        .unwrap_err();
        assert!(
            e.contains("class office's rows run 2021–2022, the others' 2020–2022"),
            "{e}"
        );
        assert_eq!(e.lines().count(), 1, "{e}");
    }
}
