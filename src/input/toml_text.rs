//! TOML text into the raw schema of a file, with errors located: the file,
//! line and column, the field path (`serde_path_to_error`) and the parser's
//! message in the user's words, the offending line quoted.

use super::InputError;
use super::Source;

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
        InputError::Parse {
            source_name: source.name.clone(),
            line,
            column,
            field,
            message: friendly(err.message().trim(), text, line),
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

/// A parser message in the user's words, with the offending line quoted.
pub(crate) fn friendly(message: &str, text: &str, line: usize) -> String {
    let mut m = message.to_string();
    for (rust, plain) in [
        ("i64", "a whole number"),
        ("i32", "a whole number"),
        ("u64", "a whole number ≥ 0"),
        ("f64", "a number"),
        ("a sequence", "a list [ … ]"),
        ("struct ", "a table "),
    ] {
        m = m.replace(rust, plain);
    }
    match text.lines().nth(line.saturating_sub(1)) {
        Some(l) if !l.trim().is_empty() => format!("{m}\n    {line} | {}", l.trim_end()),
        _ => m,
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

    /// Line and column of a byte offset, 1-based, counting characters not bytes.
    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("a\n名字 = 1", 9), (2, 4));
        assert_eq!(line_col("abc", 0), (1, 1));
    }
}
