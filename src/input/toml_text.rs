//! TOML text into the raw schema of a file, with errors located: the file,
//! line and column, the field path (`serde_path_to_error`) and the parser's
//! message in the user's words, the offending line quoted.

use super::InputError;
use super::Source;
use crate::model::check::did_you_mean;

/// Parses `source` into `T`; `what` says what the file is ("scenario", …)
/// and `hint` where to start from when it is empty.
pub(crate) fn deserialize<T: serde::de::DeserializeOwned>(
    source: &Source,
    what: &'static str,
    hint: &'static str,
) -> Result<T, InputError> {
    let text = source.text.as_str();
    if text.trim().is_empty() {
        return Err(InputError::Empty {
            source_name: source.name.clone(),
            what,
            hint,
        });
    }
    let parse_error = |field: String, err: &toml::de::Error| {
        let (line, column) = err.span().map_or((1, 1), |s| line_col(text, s.start));
        let message = name_duplicate(err.message(), text, err.span());
        InputError::Parse {
            source_name: source.name.clone(),
            line,
            column,
            field,
            message: friendly(&message, text, line, column),
        }
    };
    let de = toml::Deserializer::parse(text).map_err(|e| parse_error(String::new(), &e))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() {
            String::new()
        } else {
            format!("{path}: ")
        };
        parse_error(field, e.inner())
    })
}

/// A parser message in the user's words, with the offending line quoted
/// (cut to about 120 characters around `column`).
pub(crate) fn friendly(message: &str, text: &str, line: usize, column: usize) -> String {
    let m = plain(message);
    match text.lines().nth(line.saturating_sub(1)) {
        Some(l) if !l.trim().is_empty() => {
            format!("{m}\n    {line} | {}", excerpt(l.trim_end(), column))
        }
        _ => m,
    }
}

/// What to say instead of a serde or TOML phrase that names a Rust type or
/// a serde data-model word, in order (longer phrases first).
const PLAIN: [(&str, &str); 17] = [
    ("invalid type: sequence", "found a list [ … ]"),
    ("invalid type: map", "found a table { … }"),
    ("invalid type: string", "found the text"),
    ("invalid type: floating point", "found the number"),
    ("invalid type: integer", "found the whole number"),
    ("invalid type: boolean", "found"),
    ("invalid type: ", "found "),
    ("invalid length", "found a list of length"),
    ("invalid value: integer", "the whole number"),
    ("invalid value: ", ""),
    ("a sequence", "a list [ … ]"),
    ("i64", "a whole number"),
    ("i32", "a whole number"),
    ("u32", "a whole number ≥ 0"),
    ("u64", "a whole number ≥ 0"),
    ("usize", "a whole number ≥ 0"),
    ("f64", "a number"),
];

/// A serde or TOML message in the user's words: no Rust type names, no
/// serde data-model words.
pub(crate) fn plain(message: &str) -> String {
    let mut m = message.trim().replace('`', "\"");
    for (rust, plain) in PLAIN {
        m = m.replace(rust, plain);
    }
    // a table given in place of a list of a fixed length
    if let Some(i) = m.find(" with ")
        && m[i..].ends_with(" elements")
    {
        m.truncate(i);
    }
    // any remaining raw schema name (with serde's "struct" before it) is "a table"
    let mut words: Vec<String> = Vec::new();
    for w in m.replace("untagged enum ", "").split(' ') {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        if bare.len() > 3 && bare.starts_with("Raw") && bare[3..].starts_with(char::is_uppercase) {
            if matches!(words.last().map(String::as_str), Some("struct" | "table")) {
                words.pop();
            }
            if words.last().map(String::as_str) == Some("a") {
                words.pop();
            }
            words.push(w.replace(bare, "a table"));
        } else {
            words.push(w.to_string());
        }
    }
    unquote(suggest(words.join(" ").replace("struct ", "")))
}

/// `found the text "12", expected a number` with `; write it without
/// quotes: 12` when the text is a number: a figure in quotes is text in
/// TOML. Any other message as it is.
fn unquote(m: String) -> String {
    let Some(rest) = m.strip_prefix("found the text \"") else {
        return m;
    };
    let Some((given, after)) = rest.split_once('"') else {
        return m;
    };
    match quoted_figure(given) {
        Some(figure) if after.contains("number") => {
            format!("{m}; write it without quotes: {figure}")
        }
        _ => m,
    }
}

/// The figure a text holds, when the text is a finite number (`"12"`,
/// `" 5e9"`): a value the user meant as a number and wrote in quotes.
pub(crate) fn quoted_figure(text: &str) -> Option<&str> {
    let t = text.trim();
    t.parse::<f64>().is_ok_and(f64::is_finite).then_some(t)
}

/// serde's `unknown field "x", expected one of "a", "b"` with
/// `; did you mean "a"?` when one of the names is close to what was
/// written; any other message as it is.
fn suggest(m: String) -> String {
    let Some(rest) = m.strip_prefix("unknown field \"") else {
        return m;
    };
    let Some((given, expected)) = rest
        .split_once('"')
        .and_then(|(given, after)| Some((given, after.split_once("expected")?.1)))
    else {
        return m;
    };
    let hint = did_you_mean(given, expected.split('"').skip(1).step_by(2));
    m.clone() + &hint
}

/// `line` cut to about 120 characters around the 1-based `column`, with
/// `…` where it was cut.
pub(crate) fn excerpt(line: &str, column: usize) -> String {
    const WIDTH: usize = 120;
    let n = line.chars().count();
    if n <= WIDTH {
        return line.to_string();
    }
    let start = column.saturating_sub(WIDTH / 2 + 1).min(n - WIDTH);
    let cut: String = line.chars().skip(start).take(WIDTH).collect();
    format!(
        "{}{cut}{}",
        if start > 0 { "…" } else { "" },
        if start + WIDTH < n { "…" } else { "" }
    )
}

/// A duplicate key or table, named: the text at the parser's span.
fn name_duplicate(message: &str, text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span.filter(|_| message.trim() == "duplicate key") else {
        return message.to_string();
    };
    let key: String = text
        .get(span.clone())
        .unwrap_or_default()
        .trim()
        .chars()
        .take(120)
        .collect();
    let line_start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    if text[line_start..].trim_start().starts_with('[') {
        let header: String = text[line_start..]
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .chars()
            .take(120)
            .collect();
        let header = header.split('#').next().unwrap_or_default().trim();
        format!("the table {header} is given twice; merge the two into one")
    } else if key.starts_with('[') {
        format!("the table {key} is given twice; merge the two into one")
    } else {
        format!("the key \"{key}\" is given twice in the same table")
    }
}

/// Line and column of a byte offset, 1-based, counting characters not bytes.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages name no Rust type and no serde data-model word.
    #[test]
    fn messages_are_plain() {
        for (raw, want) in [
            (
                "invalid type: sequence, expected f64",
                "found a list [ … ], expected a number",
            ),
            (
                "invalid length 2, expected a table RawOpeningStock with 2 elements",
                "found a list of length 2, expected a table",
            ),
            (
                "invalid type: map, expected struct RawLaw",
                "found a table { … }, expected a table",
            ),
            // a figure in quotes is text: say how to write it
            (
                "invalid type: string \"5e9\", expected f64",
                "found the text \"5e9\", expected a number; write it without quotes: 5e9",
            ),
            (
                "invalid type: string \"12\", expected u32",
                "found the text \"12\", expected a whole number ≥ 0; write it without quotes: 12",
            ),
            (
                "invalid type: string \"abc\", expected f64",
                "found the text \"abc\", expected a number",
            ),
        ] {
            assert_eq!(plain(raw), want);
        }
    }

    /// A long line is quoted around the error, cut to about 120 characters.
    #[test]
    fn long_lines_are_cut_around_the_error() {
        let line = format!("seed = 7 {}", "x".repeat(200_000));
        let e = excerpt(&line, 10);
        assert!(e.starts_with("seed = 7 x") && e.ends_with('…'), "{e}");
        assert!(e.chars().count() <= 122);
        let e = excerpt(&line, 100_000);
        assert!(e.starts_with('…') && e.ends_with('…') && e.chars().count() == 122);
        assert_eq!(excerpt("short", 3), "short");
    }

    /// Line and column of a byte offset, 1-based, counting characters not bytes.
    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("a\n名字 = 1", 9), (2, 4));
        assert_eq!(line_col("abc", 0), (1, 1));
    }
}
