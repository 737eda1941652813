//! A shard's `manifest.json` read as untrusted input: parsed with every
//! parser message rewritten in the user's words (the field, what was found,
//! what it holds; never a Rust type), then checked on its own — the shard
//! range, the path count, the horizon and the shape within what a scenario
//! can have, the checksums present — before any other file is read.

use super::problem::ShardProblem;
use crate::stats::paths::Shape;
use crate::stats::runner::{MAX_PATHS, Shard};
use crate::stats::shard::Manifest;
use serde_json::error::Category;

/// Parses a manifest's text.
pub(super) fn parse(text: &str) -> Result<Manifest, ShardProblem> {
    let mut json = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut json).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            Category::Data => data_problem(&path, &inner),
            Category::Io | Category::Syntax | Category::Eof => {
                ShardProblem::NotJson(inner.to_string())
            }
        }
    })
}

/// A field's wrong or missing value, from the parser's message, keeping of
/// it only what was found.
fn data_problem(path: &str, e: &serde_json::Error) -> ShardProblem {
    let message = e.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m);
    // an array where an object was expected is read by position: the
    // problem is the array (`[0]`, `shape[1]`), not its element
    let (path, array) = match path.find('[') {
        Some(0) => (".", true),
        Some(i) => (&path[..i], true),
        None => (path, message.starts_with("invalid length ")),
    };
    let field = |name: &str| match path {
        "." => name.to_string(),
        parent => format!("{parent}.{name}"),
    };
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
        .filter(|_| !array)
    {
        return ShardProblem::MissingField { field: field(name) };
    }
    let found = if array {
        "found an array, ".to_string()
    } else {
        ["invalid type: ", "invalid value: "]
            .iter()
            .find_map(|p| message.strip_prefix(p))
            .and_then(|m| m.split_once(", expected "))
            .map_or(String::new(), |(found, _)| {
                let found = match found {
                    "map" => "an object",
                    "sequence" => "an array",
                    other => other,
                };
                format!("found {found}, ")
            })
    };
    let (field, expected) = match path {
        "." => (String::new(), "an object of a shard's fields"),
        "tool_version" | "scenario" | "source" | "input_sha256" | "paths_sha256" => {
            (format!("field `{path}`: "), "a string")
        }
        "years" | "shape.years" | "shape.cities" | "shape.sectors" | "seed" | "paths"
        | "first_path" | "shard_paths" | "shard.index" | "shard.count" => {
            (format!("field `{path}`: "), "a whole number")
        }
        "shard" => (
            format!("field `{path}`: "),
            "null or an object {index, count}",
        ),
        "shape" => (
            format!("field `{path}`: "),
            "an object {years, cities, sectors}",
        ),
        _ => (format!("field `{path}`: "), "another value"),
    };
    ShardProblem::WrongKind {
        field,
        found,
        expected,
    }
}

/// Checks a manifest on its own: which shard it is and the paths it holds,
/// the horizon and the shape, and its checksums. The shape against the
/// scenario is checked once that is parsed (`super::check_shape`).
pub(super) fn check(m: &Manifest) -> Result<(), ShardProblem> {
    let value = |field, value: String, expected: String| {
        Err(ShardProblem::Value {
            field,
            value,
            expected,
        })
    };
    // first, so that a whole run's folder is called that, not an old shard
    let Some(shard) = m.shard else {
        return value(
            "shard",
            "null".into(),
            "{index, count}: null is a whole run's manifest, not a shard's; only the folders of `fundsim simulate --shard K/N` can be merged".into(),
        );
    };
    for (field, hash) in [
        ("input_sha256", Some(&m.input_sha256)),
        ("paths_sha256", m.paths_sha256.as_ref()),
    ] {
        let Some(hash) = hash else {
            return Err(ShardProblem::NoChecksum);
        };
        if !is_sha256_hex(hash) {
            return value(field, format!("{hash:?}"), "64 hexadecimal digits".into());
        }
    }
    if shard.count == 0 || shard.index == 0 || shard.index > shard.count {
        return value(
            "shard",
            format!("{}/{}", shard.index, shard.count),
            "index from 1 to count".into(),
        );
    }
    if !(1..=MAX_PATHS).contains(&m.paths) {
        return value(
            "paths",
            m.paths.to_string(),
            format!("from 1 to {MAX_PATHS}, as --paths allows"),
        );
    }
    check_range(m, shard)?;
    if !(1..=Shape::MAX_YEARS).contains(&m.years) {
        return value(
            "years",
            m.years.to_string(),
            format!("from 1 to {}", Shape::MAX_YEARS),
        );
    }
    let shape = m.shape;
    for (field, got, most, want) in [
        ("shape.years", shape.years, Shape::MAX_YEARS, Some(m.years)),
        ("shape.cities", shape.cities, Shape::MAX_CITIES, None),
        ("shape.sectors", shape.sectors, Shape::MAX_SECTORS, None),
    ] {
        if let Some(want) = want.filter(|w| *w != got) {
            return value(
                field,
                got.to_string(),
                format!("{want}, the manifest's `years`"),
            );
        }
        if !(1..=most).contains(&got) {
            return value(field, got.to_string(), format!("from 1 to {most}"));
        }
    }
    Ok(())
}

/// The paths held are shard K/N's of the run's paths.
fn check_range(m: &Manifest, shard: Shard) -> Result<(), ShardProblem> {
    let end = m.first_path.checked_add(m.shard_paths);
    if end.is_none_or(|end| end > m.paths) {
        return Err(ShardProblem::Value {
            field: "first_path + shard_paths",
            value: format!("{} + {}", m.first_path, m.shard_paths),
            expected: format!("at most `paths`, {}", m.paths),
        });
    }
    let range = shard.range(m.paths);
    if range != (m.first_path..m.first_path + m.shard_paths) {
        return Err(ShardProblem::Value {
            field: "first_path, shard_paths",
            value: format!("{}, {}", m.first_path, m.shard_paths),
            expected: format!(
                "{}, {}: shard {}/{} of {} paths holds paths {}..{}",
                range.start,
                range.end - range.start,
                shard.index,
                shard.count,
                m.paths,
                range.start,
                range.end
            ),
        });
    }
    Ok(())
}

/// Whether `text` is a SHA-256 as fundsim writes it: 64 lower-case hex digits.
fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A parser message never reaches the user as it is: the field, what was
    /// found and what it holds, in plain words, and no Rust type.
    #[test]
    fn parser_messages_name_the_field_without_rust_types() {
        let cases = [
            ("3", "manifest.json: found integer `3`, expected an object"),
            (
                r#"{"shape": {"years": "ten"}}"#,
                "field `shape.years`: found string \"ten\", expected a whole number",
            ),
            (
                r#"{"shard": 7}"#,
                "field `shard`: found integer `7`, expected null or an object",
            ),
            (
                r#"{"seed": -1}"#,
                "field `seed`: found integer `-1`, expected a whole number",
            ),
            (r#"{"shape": {}}"#, "field `shape.years` is missing"),
            ("{", "is not JSON"),
            ("[]", "manifest.json: found an array, expected an object"),
            (
                "[1, 2]",
                "manifest.json: found an array, expected an object",
            ),
            (
                r#"{"shape": [1]}"#,
                "field `shape`: found an array, expected an object",
            ),
        ];
        for (text, want) in cases {
            let e = parse(text).expect_err(text).to_string();
            assert!(e.contains(want), "{text}: {e}");
            for rust in [
                "struct", "Manifest", "Shape", "Shard", "usize", "u64", "enum", "Option",
            ] {
                assert!(!e.contains(rust), "{text}: {e}");
            }
        }
    }
}
