//! What the fuzzer asserts of an outcome: a refusal's message names a line
//! or a field and leaks no Rust type name ([`message_fault`]); an accepted
//! input's files hold no NaN, infinity, `null` or empty cell
//! ([`non_finite`]). The accounting identities of the files are checked by
//! the shared [`crate::tests::support::yearly_csv_books`].

use crate::report::File;

/// Words of Rust, not of a user, that a message must not show.
pub(crate) const LEAKS: &[&str] = &[
    "Raw", "struct ", "enum ", "f64", "f32", "i64", "i32", "u64", "u32", "usize", "Option<",
    "Vec<", "sequence", "panicked",
];

/// Leak classes known and open: a leak of a reader and word listed here is
/// counted and reported, not a failure. Empty: every message is held to
/// [`LEAKS`].
pub(crate) const KNOWN_OPEN_LEAKS: &[(Reader, &str)] = &[];

/// The reader that wrote a message, by the file that owns its wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Reader {
    /// `src/input/mod.rs`: a file that cannot be read (or is not UTF-8).
    Read,
    /// `src/input/toml_text.rs`: TOML syntax, types, missing and unknown fields.
    TomlText,
    /// `src/input/scenario/*`: scenario values out of range.
    Scenario,
    /// `src/input/overlay.rs`: overlay values.
    Overlay,
    /// `src/input/schedule.rs`: candidate schedule values.
    Schedule,
    /// `src/input/actuals.rs`: actuals rows.
    Actuals,
    /// `src/input/shard*`: shard folders.
    Shard,
    /// The run or the analysis (a path out of range, the horizon cut).
    Run,
}

/// What is wrong with a refusal's message, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MessageFault {
    /// It names no line (`file:LINE:`, `line N`) and no field (`field = `,
    /// `` `field` ``, a shard's file).
    Unlocated,
    /// It shows a word of Rust that the input does not hold.
    Leak(&'static str),
}

/// Whether a message names a line or a field: `name:LINE:` or `:LINE:COL:`
/// (a parse error, a CSV row), `line N`, a problem list's `field = value:`,
/// a shard message's file (`manifest.json`, `paths.bin`, `scenario.toml`)
/// or a field in backquotes, a path's projection year; a file that is
/// empty, and a merge's message of what differs across shards, which have
/// no line to name.
pub(crate) fn located(message: &str) -> bool {
    let b = message.as_bytes();
    let colon_number = b.windows(2).enumerate().any(|(i, w)| {
        w[0] == b':' && w[1].is_ascii_digit() && {
            let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            b.get(i + 1 + digits) == Some(&b':')
        }
    });
    let line_n = message
        .match_indices("line ")
        .any(|(i, _)| b.get(i + 5).is_some_and(u8::is_ascii_digit));
    let problem_list = message
        .lines()
        .skip(1)
        .any(|l| l.starts_with("  ") && l.contains(" = "));
    let field = message.split_once(": ").is_some_and(|(_, rest)| {
        rest.starts_with('`') && rest[1..].contains('`')
            || rest.starts_with(|c: char| c.is_ascii_alphabetic()) && rest.contains(" = ")
    });
    let shard_file = message.starts_with("shard ")
        && ["manifest.json", "paths.bin", "scenario.toml", "years"]
            .iter()
            .any(|f| message.contains(f));
    let path_year = message.starts_with("path ") && message.contains("projection year ");
    // a file that is empty has no line to name
    let empty_file = message.contains(" file is empty");
    // `fundsim merge` across shards: the manifest field that differs, the
    // shard numbers given
    let across_shards = message.starts_with("shards come from different runs: ")
        || message.starts_with("a run split in ");
    colon_number
        || line_n
        || problem_list
        || field
        || shard_file
        || path_year
        || empty_file
        || across_shards
}

/// Whether `message` shows `word` as a word: not inside a longer one (a
/// SHA-256's hex digits hold `f64`, `RawScenario` holds `Raw`, which is
/// shown: a word may continue in capitals and lower case after its first
/// letters, never with a letter or digit before it).
fn shows_word(message: &str, word: &str) -> bool {
    message.match_indices(word).any(|(i, _)| {
        let before = message[..i].chars().next_back();
        let after = message[i + word.len()..].chars().next();
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        // `Raw` starts a type name (`RawCatastrophe`); the others stand alone
        !alnum(before) && (word == "Raw" || !alnum(after) || !word.ends_with(char::is_alphanumeric))
    })
}

/// The fault of a refusal's message of an input `input`, if any.
pub(crate) fn message_fault(message: &str, input: &[u8]) -> Option<MessageFault> {
    let input = String::from_utf8_lossy(input);
    if let Some(leak) = LEAKS
        .iter()
        .find(|w| shows_word(message, w) && !input.contains(**w))
    {
        return Some(MessageFault::Leak(leak));
    }
    (!located(message)).then_some(MessageFault::Unlocated)
}

/// JSON keys whose `null` is documented: a December reserve of infinitely
/// many months (docs/outputs.md), a whole run's `shard`.
const NULLABLE: &[&str] = &["reserve_months", "shard", "paths_sha256"];

/// Cells that a budget file leaves empty by design (a column that does not
/// apply to a row, no last year, no change from a zero): file, column.
/// Their values are decimals, which cannot be NaN; a cell there that is not
/// empty is still checked.
const EMPTY_BY_DESIGN: &[(&str, &str)] = &[
    ("budget.csv", "low_p10"),
    ("budget.csv", "high_p90"),
    ("budget.csv", "last_year"),
    ("budget.csv", "change_pct"),
    ("cash_plan.csv", "revolving_fund"),
    ("cash_plan.csv", "account_balance_end"),
    ("cash_plan.csv", "short"),
    ("reforecast.csv", "overspend_probability"),
];

/// Where a file holds a value that is not a finite number: a CSV cell that
/// is empty (the formatter writes a non-finite value as empty, so outside
/// [`EMPTY_BY_DESIGN`], the infinite reserve of a year without payments and
/// the cost rate of a sector without payroll) or reads `NaN`/`inf`; a JSON `null` (serde's NaN)
/// outside [`NULLABLE`]; a Markdown, SVG or HTML text with `NaN` or `inf`
/// as a word outside its `<style>` (which holds the font as base64).
/// Workbooks are skipped.
pub(crate) fn non_finite(f: &File) -> Option<String> {
    let bad_word = |w: &str| {
        let w = w.trim().trim_start_matches(['-', '+', '−']);
        w.eq_ignore_ascii_case("nan") || w.eq_ignore_ascii_case("inf") || w == "∞"
    };
    let name = f.name.as_str();
    let ext = std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    if ext == "csv" {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(f.bytes.as_slice());
        let header: Vec<String> = match rdr.headers() {
            Ok(h) => h.iter().map(str::to_string).collect(),
            Err(e) => return Some(format!("{name}: not CSV: {e}")),
        };
        let may_be_empty = |col: usize| {
            header
                .get(col)
                .is_some_and(|h| EMPTY_BY_DESIGN.contains(&(name, h.as_str())))
        };
        for (row, rec) in rdr.records().enumerate() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => return Some(format!("{name}: not CSV: {e}")),
            };
            // the reserve of a year without payments is infinitely many
            // months; a sector without payroll has no cost rate
            // (docs/outputs.md)
            let reserve_row = rec.get(1) == Some("reserve_months");
            let no_payroll = |col: usize| {
                name == "by_sector.csv"
                    && header.get(col).is_some_and(|h| h == "cost_rate")
                    && rec.get(2).and_then(|p| p.parse::<f64>().ok()) == Some(0.0)
            };
            if let Some((col, cell)) = rec.iter().enumerate().find(|(col, c)| {
                bad_word(c)
                    || c.trim().is_empty()
                        && !may_be_empty(*col)
                        && !reserve_row
                        && !no_payroll(*col)
            }) {
                return Some(format!(
                    "{name}: row {}, column {}: {cell:?}",
                    row + 2,
                    col + 1
                ));
            }
        }
    } else if ext == "json" {
        let v: serde_json::Value = match serde_json::from_slice(&f.bytes) {
            Ok(v) => v,
            Err(e) => return Some(format!("{name}: not JSON: {e}")),
        };
        return null_in(&v, "").map(|at| format!("{name}: {at} is null"));
    } else if ext == "md" || ext == "svg" || ext == "html" {
        let text = without_styles(&String::from_utf8_lossy(&f.bytes));
        let words = text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '∞'));
        if let Some(w) = words.into_iter().find(|w| bad_word(w)) {
            return Some(format!("{name}: {w:?}"));
        }
    }
    None
}

/// The text with every `<style>…</style>` element removed.
fn without_styles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<style") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</style>") {
            Some(end) => rest = &rest[start + end + "</style>".len()..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

fn null_in(v: &serde_json::Value, at: &str) -> Option<String> {
    match v {
        serde_json::Value::Null => Some(at.to_string()),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| null_in(x, &format!("{at}[{i}]"))),
        serde_json::Value::Object(o) => o.iter().find_map(|(k, x)| {
            if x.is_null() && NULLABLE.contains(&k.as_str()) {
                None
            } else {
                null_in(x, &format!("{at}.{k}"))
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message check accepts the readers' located messages and refuses
    /// a bare one or one that leaks a type name.
    #[test]
    fn message_check_needs_a_line_or_a_field() {
        for ok in [
            "a.toml:3:7: years: invalid type: string, expected a whole number",
            "a.toml: 1 problem in the scenario:\n  years = 0: from 1 to 50",
            "a.csv:4: unknown line `x`",
            "shard /tmp/x: manifest.json: field `seed` is missing",
        ] {
            assert_eq!(message_fault(ok, b""), None, "{ok}");
        }
        assert_eq!(
            message_fault("something went wrong", b""),
            Some(MessageFault::Unlocated)
        );
        assert_eq!(
            message_fault("a.toml:1:1: x: expected f64", b""),
            Some(MessageFault::Leak("f64"))
        );
        // a word the input itself holds is quoted, not leaked
        assert_eq!(message_fault("a.toml:1:1: `Raw`", b"Raw = 1"), None);
        // nor is a SHA-256 that holds the letters of one
        assert_eq!(message_fault("a.toml:1:1: sha 3f64a", b""), None);
        assert_eq!(
            message_fault("a.toml:1:1: x: expected a table RawShock", b""),
            Some(MessageFault::Leak("Raw"))
        );
    }

    /// Non-finite values are found in each kind of file.
    #[test]
    fn non_finite_values_are_found_in_every_kind_of_file() {
        let f = |name: &str, text: &str| File::text(name, text.to_string());
        assert!(non_finite(&f("a.csv", "a,b\n1,2\n")).is_none());
        assert!(non_finite(&f("a.csv", "a,b\n1,\n")).is_some());
        assert!(non_finite(&f("a.csv", "a,b\n1,NaN\n")).is_some());
        assert!(non_finite(&f("a.json", r#"{"reserve_months": null, "x": [1]}"#)).is_none());
        assert!(non_finite(&f("a.json", r#"{"x": [1, null]}"#)).is_some());
        assert!(non_finite(&f("a.md", "| a | b |\n| 1 | inf |\n")).is_some());
        assert!(non_finite(&f("budget.csv", "row,last_year\nx,\n")).is_none());
        let sector = "year,sector,payroll,cost_rate\n";
        assert!(non_finite(&f("by_sector.csv", &format!("{sector}2025,a,0.00,\n"))).is_none());
        assert!(non_finite(&f("by_sector.csv", &format!("{sector}2025,a,1.00,\n"))).is_some());
        assert!(non_finite(&f("a.md", "| a | b |\n| 1 | 2 |\ninformation\n")).is_none());
    }
}
