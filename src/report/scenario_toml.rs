//! Writes a calibration's edits into the base scenario's own TOML text: the
//! base's layout and comments are kept, each replaced value gets the
//! edit's comment after it, and a header says what was done. The text is
//! then read back by the ordinary scenario reader, so what is written is
//! what is validated.

use crate::analysis::calibrate::{Edit, Value};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, TableLike, value};

/// One step of a field path: a key, or a key and an index into an array
/// of tables (`sectors[2]`).
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(String, usize),
}

/// Splits `a.b[2]."c.d"` into steps.
fn steps(path: &str) -> Result<Vec<Step>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let (key, tail) = if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| format!("unclosed quote in {path}"))?;
            (quoted[..end].to_string(), &quoted[end + 1..])
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        };
        let (step, tail) = if let Some(t) = tail.strip_prefix('[') {
            let end = t
                .find(']')
                .ok_or_else(|| format!("unclosed index in {path}"))?;
            let i = t[..end]
                .parse()
                .map_err(|_| format!("bad index in {path}"))?;
            (Step::Index(key, i), &t[end + 1..])
        } else {
            (Step::Key(key), tail)
        };
        out.push(step);
        rest = tail.strip_prefix('.').unwrap_or(tail);
    }
    Ok(out)
}

fn toml_value(v: &Value) -> toml_edit::Value {
    match v {
        Value::Number(x) => toml_edit::Value::from(*x),
        Value::Integer(i) => toml_edit::Value::from(*i),
        Value::Text(t) => toml_edit::Value::from(t.as_str()),
        Value::Numbers(xs) => toml_edit::Value::Array(xs.iter().copied().collect::<Array>()),
        Value::Matrix(rows) => {
            let mut a = Array::new();
            for r in rows {
                let mut row: toml_edit::Value = r.iter().copied().collect::<Array>().into();
                row.decor_mut().set_prefix("\n    ");
                a.push_formatted(row);
            }
            a.set_trailing("\n");
            a.set_trailing_comma(true);
            toml_edit::Value::Array(a)
        }
        Value::Table(fields) => {
            let mut t = InlineTable::new();
            for (k, v) in fields {
                t.insert(k, toml_value(v));
            }
            toml_edit::Value::InlineTable(t)
        }
    }
}

fn table_at<'a>(
    root: &'a mut dyn TableLike,
    step: &Step,
    path: &str,
) -> Result<&'a mut dyn TableLike, String> {
    match step {
        Step::Key(k) => {
            if root.get(k).is_none() {
                let mut t = Table::new();
                t.set_implicit(true);
                root.insert(k, Item::Table(t));
            }
            root.get_mut(k)
                .and_then(Item::as_table_like_mut)
                .ok_or_else(|| format!("{path}: `{k}` is not a table in the base"))
        }
        Step::Index(k, i) => root
            .get_mut(k)
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|a| a.get_mut(*i))
            .map(|t| t as &mut dyn TableLike)
            .ok_or_else(|| format!("{path}: the base has no `{k}` number {}", i + 1)),
    }
}

/// The base text with the edits made and `header` (lines without `#`)
/// put first.
pub(crate) fn apply(base: &str, edits: &[Edit], header: &[String]) -> Result<String, String> {
    let mut doc: DocumentMut = base
        .parse()
        .map_err(|e| format!("the base scenario: {e}"))?;
    for edit in edits {
        let steps = steps(&edit.path)?;
        let (last, parents) = steps.split_last().ok_or("an empty field path")?;
        let mut table: &mut dyn TableLike = doc.as_table_mut();
        for step in parents {
            table = table_at(table, step, &edit.path)?;
        }
        let Step::Key(key) = last else {
            return Err(format!("{}: a path must end in a key", edit.path));
        };
        let comment = edit.comment.replace(['\n', '\r'], " ");
        match &edit.value {
            // a whole top-level table (the targets): a standard table with
            // the comment above it, in place of the base's
            // an empty one removes the base's table
            Value::Table(fields) if parents.is_empty() && fields.is_empty() => {
                table.remove(key);
            }
            Value::Table(fields) if parents.is_empty() => {
                let mut t = Table::new();
                for (k, v) in fields {
                    t.insert(k, value(toml_value(v)));
                }
                t.decor_mut().set_prefix(format!("\n# {comment}\n"));
                table.insert(key, Item::Table(t));
            }
            v => {
                let mut v = toml_value(v);
                v.decor_mut().set_suffix(format!("  # {comment}"));
                if let Some(item) = table.get_mut(key) {
                    if let Some(old) = item.as_value() {
                        v.decor_mut().set_prefix(
                            old.decor().prefix().cloned().unwrap_or_else(|| " ".into()),
                        );
                    }
                    *item = Item::Value(v);
                } else {
                    table.insert(key, Item::Value(v));
                }
            }
        }
    }
    let mut out = String::new();
    for line in header {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("#\n# The base scenario's own text follows; its comments describe the base.\n\n");
    out.push_str(&doc.to_string());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_steps() {
        assert_eq!(
            steps("sectors[2].frequency").unwrap(),
            vec![
                Step::Index("sectors".into(), 2),
                Step::Key("frequency".into())
            ]
        );
        assert_eq!(
            steps("sources.\"drivers.wage_growth\"").unwrap(),
            vec![
                Step::Key("sources".into()),
                Step::Key("drivers.wage_growth".into())
            ]
        );
        assert!(steps("a[x]").is_err());
    }

    /// Values are replaced in place with their comment; the rest of the
    /// text, comments included, is kept; missing tables are made.
    #[test]
    fn edits_keep_the_rest_of_the_text() {
        let base = "# top\nname = \"b\"  # old\n[drivers.wage_growth]\nmean = 0.05   # assumption\nsd = 0.01\n[[sectors]]\nname = \"一类\"\nfrequency = 0.001\n[[sectors]]\nname = \"二类\"\nfrequency = 0.002\n";
        let edits = vec![
            Edit {
                path: "drivers.wage_growth.mean".into(),
                value: Value::Number(0.061),
                comment: "fitted from history 2000–2020: 0.061 ± 0.004 (20 years)".into(),
            },
            Edit {
                path: "sectors[1].frequency".into(),
                value: Value::Number(0.0025),
                comment: "scaled".into(),
            },
            Edit {
                path: "sources.\"drivers.wage_growth\"".into(),
                value: Value::Text("fitted".into()),
                comment: "c".into(),
            },
        ];
        let out = apply(base, &edits, &["made by a test".into()]).unwrap();
        assert!(out.starts_with("# made by a test\n"));
        assert!(
            out.contains(
                "mean = 0.061  # fitted from history 2000–2020: 0.061 ± 0.004 (20 years)\n"
            ),
            "{out}"
        );
        assert!(out.contains("sd = 0.01\n"));
        assert!(out.contains("frequency = 0.001\n"));
        assert!(out.contains("frequency = 0.0025  # scaled\n"));
        assert!(out.contains("# top\n"));
        assert!(out.contains("\"drivers.wage_growth\" = \"fitted\""));
        let bad = vec![Edit {
            path: "sectors[5].frequency".into(),
            value: Value::Number(1.0),
            comment: String::new(),
        }];
        assert!(
            apply(base, &bad, &[])
                .unwrap_err()
                .contains("no `sectors` number 6")
        );
    }
}
