//! Mutations of a real input file's text, as proptest strategies: the
//! numbers, quoted strings and bare words of the text (found by a small
//! lexer that serves TOML, JSON and CSV alike), its lines and tables, and
//! its bytes. A [`Mutation`] is a value: it prints as what was done, and
//! [`apply`] turns a text into the mutated bytes.

use proptest::prelude::*;
use proptest::sample::select;
use std::fmt::Write as _;

/// The bounds the validators test (docs/scenario.md, `src/model/limits.rs`,
/// `src/model/check.rs`, `src/input/scenario/resolve.rs`, the overlay and
/// schedule readers): each is tried as it is and one ulp either side.
const BOUNDS: &[f64] = &[
    -1e15, -10.0, -1.5, -1.0, -0.5, -0.05, 0.0, 1e-6, 0.01, 0.5, 1.0, 1.5, 3.9, 10.0, 12.0, 14.0,
    50.0, 60.0, 100.0, 120.0, 240.0, 1000.0, 1900.0, 2200.0, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e15,
    1e26,
];

/// Which of the n things of a kind a mutation hits: `n × p / 2⁶⁴`, so the
/// same mutation lands on any text with something of that kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pick(pub(crate) u64);

impl Pick {
    /// The index among `n > 0` things.
    pub(crate) fn of(self, n: usize) -> usize {
        ((n as u128 * u128::from(self.0)) >> 64) as usize
    }
}

/// What replaces a number of the text.
#[derive(Debug, Clone)]
pub(crate) enum Number {
    /// A float, written so that it reads back exactly.
    Float(f64),
    /// The number found, one ulp up (`true`) or down.
    Ulp(bool),
    /// The number found, negated.
    Negated,
    /// The number found, times a power of ten.
    Scaled(i32),
    /// Text as written: `nan`, `inf`, huge integers, `1_000`, …
    Text(&'static str),
}

/// What replaces a whole value or a quoted string's contents.
#[derive(Debug, Clone)]
pub(crate) enum Replacement {
    /// A value of another type, as TOML/JSON text.
    WrongType(&'static str),
    /// A string (escaped as a TOML/JSON basic string where it is quoted).
    Text(String),
}

/// One mutation of a text.
#[derive(Debug, Clone)]
pub(crate) enum Mutation {
    /// Replace the i-th number.
    Number(Pick, Number),
    /// Replace the contents of the i-th quoted string.
    Quoted(Pick, String),
    /// Replace the i-th bare word (a key, a line name, `true`, …).
    Word(Pick, String),
    /// Replace the value of the i-th `key = value` / `"key": value` line.
    Value(Pick, Replacement),
    /// Delete the i-th line (a missing key, row or table header).
    DeleteLine(Pick),
    /// Repeat the i-th line (a duplicated key or row).
    DuplicateLine(Pick),
    /// Repeat the table that starts at the i-th `[header]` line, body and all.
    DuplicateTable(Pick),
    /// Insert `key = 1` (or `"key": 1,`) after the i-th line.
    UnknownKey(Pick, &'static str),
    /// Flip a bit of the i-th byte.
    FlipBit(Pick, u8),
    /// Insert a byte before the i-th byte.
    InsertByte(Pick, u8),
    /// Delete the i-th byte.
    DeleteByte(Pick),
    /// Cut the text at the i-th byte.
    Truncate(Pick),
}

/// Strings that a person may paste into a field.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("x".repeat(10_000)),
        Just("南昌".repeat(5_000)),
        Just("工伤保险基金".into()),
        Just("\u{202e}שלום\u{202c} مرحبا".into()),
        Just("e\u{301}\u{302}\u{303}a\u{20dd}".into()),
        Just("🚧👷‍♀️🏭".into()),
        Just("../../etc/passwd".into()),
        Just("a/b\\c".into()),
        Just("nul\0byte".into()),
        Just("\u{1}\u{7}\u{1b}[31m\r\n\t".into()),
        Just(".".into()),
        Just("..".into()),
        Just(" ".into()),
        Just("con".into()),
        "[a-z_]{1,12}",
        any::<String>(),
    ]
}

fn number() -> impl Strategy<Value = Number> {
    let bound = (select(BOUNDS), -1i8..=1).prop_map(|(b, step)| Number::Float(ulp(b, step)));
    prop_oneof![
        3 => bound,
        2 => any::<bool>().prop_map(Number::Ulp),
        1 => Just(Number::Negated),
        1 => (-3i32..=3).prop_map(Number::Scaled),
        1 => select(&[f64::MAX, -f64::MAX, f64::MIN_POSITIVE, 5e-324, 1e308, -1e308, 1e-308][..])
            .prop_map(Number::Float),
        2 => select(
            &[
                "nan", "+nan", "-nan", "inf", "+inf", "-inf", "0", "-0", "-1",
                "9223372036854775807", "-9223372036854775808", "9223372036854775808",
                "18446744073709551616", "99999999999999999999999999999", "1e400", "-1e400",
                "0x10", "0o7", "0b1", "1_000", "01", "1.", ".5", "1e", "--1", "1979-05-27",
                "2147483647", "2147483648", "4294967296", "-2147483649",
            ][..]
        )
        .prop_map(Number::Text),
    ]
}

fn replacement() -> impl Strategy<Value = Replacement> {
    prop_oneof![
        select(
            &[
                "\"text\"",
                "true",
                "[]",
                "{}",
                "[1, \"a\"]",
                "1979-05-27T07:32:00Z",
                "{ x = 1 }",
                "[[1]]",
                "\"\"",
                "'''multi\nline'''",
                "",
                "1 2",
                "nan",
            ][..]
        )
        .prop_map(Replacement::WrongType),
        text().prop_map(Replacement::Text),
    ]
}

/// Unknown keys, among them near-misses of real ones.
const UNKNOWN_KEYS: &[&str] = &[
    "zzz_unknown",
    "Name",
    "mean ",
    "sd2",
    "名字",
    "seed",
    "name",
    "years",
    "shock",
];

/// One mutation.
pub(crate) fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => (any::<u64>().prop_map(Pick), number()).prop_map(|(i, n)| Mutation::Number(i, n)),
        2 => (any::<u64>().prop_map(Pick), text()).prop_map(|(i, s)| Mutation::Quoted(i, s)),
        1 => (any::<u64>().prop_map(Pick), text()).prop_map(|(i, s)| Mutation::Word(i, s)),
        2 => (any::<u64>().prop_map(Pick), replacement()).prop_map(|(i, r)| Mutation::Value(i, r)),
        1 => any::<u64>().prop_map(Pick).prop_map(Mutation::DeleteLine),
        1 => any::<u64>().prop_map(Pick).prop_map(Mutation::DuplicateLine),
        1 => any::<u64>().prop_map(Pick).prop_map(Mutation::DuplicateTable),
        1 => (any::<u64>().prop_map(Pick), select(UNKNOWN_KEYS)).prop_map(|(i, k)| Mutation::UnknownKey(i, k)),
        1 => (any::<u64>().prop_map(Pick), 0u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        1 => (any::<u64>().prop_map(Pick), any::<u8>()).prop_map(|(i, b)| Mutation::InsertByte(i, b)),
        1 => any::<u64>().prop_map(Pick).prop_map(Mutation::DeleteByte),
        1 => any::<u64>().prop_map(Pick).prop_map(Mutation::Truncate),
    ]
}

/// One mutation, or (one case in four) two or three, applied in order: a
/// single mutation leaves the rest of the file valid, so that more inputs
/// get past the reader to the runs.
pub(crate) fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop_oneof![
        3 => prop::collection::vec(mutation(), 1..=1),
        1 => prop::collection::vec(mutation(), 2..=3),
    ]
}

/// `v` moved by `step` ulps (−1, 0 or 1).
pub(crate) fn ulp(v: f64, step: i8) -> f64 {
    match step {
        1 => v.next_up(),
        -1 => v.next_down(),
        _ => v,
    }
}

/// A float as text that reads back as the same float (TOML and JSON).
fn float_text(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        // `{:?}` is the shortest text that reads back exactly, always with a
        // `.` or an exponent, so it stays a float
        let t = format!("{v:?}");
        if t.contains(['.', 'e']) {
            t
        } else {
            format!("{t}.0")
        }
    }
}

/// A basic string (TOML and JSON), control characters escaped.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where the numbers, quoted strings and bare words of a text are.
#[derive(Debug, Default)]
struct Tokens {
    numbers: Vec<(usize, usize)>,
    quoted: Vec<(usize, usize)>,
    words: Vec<(usize, usize)>,
}

/// Lexes a TOML, JSON or CSV text: `#` comments skipped, `"…"` strings
/// (contents only), then numbers (from a digit or a sign before one) and
/// words (from a letter or `_`).
fn tokens(text: &str) -> Tokens {
    let b = text.as_bytes();
    let mut t = Tokens::default();
    let mut i = 0;
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < b.len() {
        let c = b[i];
        if c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'"' {
            let start = i + 1;
            i += 1;
            while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            t.quoted.push((start, i.min(b.len())));
            i += 1;
        } else if c.is_ascii_digit()
            || ((c == b'-' || c == b'+') && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let start = i;
            i += 1;
            while i < b.len() && (word(b[i]) || matches!(b[i], b'.' | b'+' | b'-' | b':')) {
                i += 1;
            }
            t.numbers.push((start, i));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (word(b[i]) || b[i] == b'-') {
                i += 1;
            }
            t.words.push((start, i));
        } else {
            i += 1;
        }
    }
    t
}

/// The byte ranges of the lines of a text, newlines included.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.bytes().enumerate() {
        if c == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

fn splice(bytes: &[u8], (a, b): (usize, usize), with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + with.len());
    out.extend_from_slice(&bytes[..a]);
    out.extend_from_slice(with);
    out.extend_from_slice(&bytes[b..]);
    out
}

/// The text with one mutation applied (unchanged when it has nothing to
/// mutate, for example no number).
pub(crate) fn apply_one(bytes: &[u8], m: &Mutation) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let pick = |v: &[(usize, usize)], i: &Pick| (!v.is_empty()).then(|| v[i.of(v.len())]);
    let byte_at = |i: &Pick| (!bytes.is_empty()).then(|| i.of(bytes.len()));
    // positions below are of `text`, equal to `bytes` when it is UTF-8
    let base = text.as_bytes();
    match m {
        Mutation::Number(i, n) => {
            let Some(at) = pick(&tokens(&text).numbers, i) else {
                return bytes.to_vec();
            };
            let found: f64 = text[at.0..at.1].replace('_', "").parse().unwrap_or(1.0);
            let with = match n {
                Number::Float(v) => float_text(*v),
                Number::Ulp(up) => float_text(ulp(found, if *up { 1 } else { -1 })),
                Number::Negated => float_text(-found),
                Number::Scaled(k) => float_text(found * 10f64.powi(*k)),
                Number::Text(t) => (*t).to_string(),
            };
            splice(base, at, with.as_bytes())
        }
        Mutation::Quoted(i, s) => match pick(&tokens(&text).quoted, i) {
            Some(at) => {
                let q = quoted(s);
                splice(base, at, &q.as_bytes()[1..q.len() - 1])
            }
            None => bytes.to_vec(),
        },
        Mutation::Word(i, s) => match pick(&tokens(&text).words, i) {
            Some(at) => splice(base, at, s.as_bytes()),
            None => bytes.to_vec(),
        },
        Mutation::Value(i, r) => {
            let assignments: Vec<(usize, usize)> = lines(&text)
                .into_iter()
                .filter_map(|(a, b)| {
                    let line = &text[a..b];
                    let eq = line.find('=').or_else(|| line.find("\":"))?;
                    let skip = if line[eq..].starts_with('=') { 1 } else { 2 };
                    let end = line.trim_end_matches(['\n', '\r', ',']).len();
                    (!line.trim_start().starts_with('#') && a + eq + skip <= a + end)
                        .then_some((a + eq + skip, a + end))
                })
                .collect();
            let Some(at) = pick(&assignments, i) else {
                return bytes.to_vec();
            };
            let with = match r {
                Replacement::WrongType(t) => format!(" {t}"),
                Replacement::Text(s) => format!(" {}", quoted(s)),
            };
            splice(base, at, with.as_bytes())
        }
        Mutation::DeleteLine(i) => match pick(&lines(&text), i) {
            Some(at) => splice(base, at, b""),
            None => bytes.to_vec(),
        },
        Mutation::DuplicateLine(i) => match pick(&lines(&text), i) {
            Some((a, b)) => {
                let mut line = base[a..b].to_vec();
                if !line.ends_with(b"\n") {
                    line.insert(0, b'\n');
                }
                splice(base, (b, b), &line)
            }
            None => bytes.to_vec(),
        },
        Mutation::DuplicateTable(i) => {
            let all = lines(&text);
            let headers: Vec<usize> = (0..all.len())
                .filter(|k| text[all[*k].0..all[*k].1].trim_start().starts_with('['))
                .collect();
            if headers.is_empty() {
                return bytes.to_vec();
            }
            let h = headers[i.of(headers.len())];
            let end = headers
                .iter()
                .find(|k| **k > h)
                .map_or(text.len(), |k| all[*k].0);
            let mut table = base[all[h].0..end].to_vec();
            if !table.ends_with(b"\n") {
                table.insert(0, b'\n');
            }
            splice(base, (end, end), &table)
        }
        Mutation::UnknownKey(i, key) => {
            let all = lines(&text);
            let at = pick(&all, i).map_or(text.len(), |(_, b)| b);
            let line = if text.trim_start().starts_with('{') {
                format!("{}: 1,\n", quoted(key))
            } else {
                format!("{key} = 1\n")
            };
            splice(base, (at, at), line.as_bytes())
        }
        Mutation::FlipBit(i, bit) => {
            let mut out = bytes.to_vec();
            if let Some(k) = byte_at(i) {
                out[k] ^= 1 << bit;
            }
            out
        }
        Mutation::InsertByte(i, b) => {
            let k = byte_at(i).unwrap_or(0);
            splice(bytes, (k, k), &[*b])
        }
        Mutation::DeleteByte(i) => match byte_at(i) {
            Some(k) => splice(bytes, (k, k + 1), b""),
            None => bytes.to_vec(),
        },
        Mutation::Truncate(i) => {
            let k = byte_at(i).unwrap_or(0);
            bytes[..k].to_vec()
        }
    }
}

/// The text with every mutation applied in order.
pub(crate) fn apply(text: &[u8], ms: &[Mutation]) -> Vec<u8> {
    ms.iter()
        .fold(text.to_vec(), |bytes, m| apply_one(&bytes, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lexer finds numbers, strings and words of TOML, JSON and CSV,
    /// and mutations land on them.
    #[test]
    fn mutations_land_on_the_tokens_they_name() {
        let t = tokens("a = 1.5 # 7\nb = \"x\\\"y\"\n[[c]]\nd = [-2, 3e-4]\n");
        assert_eq!(t.numbers.len(), 3, "{t:?}");
        assert_eq!(t.quoted.len(), 1);
        let first = Pick(0);
        let m = Mutation::Number(first, Number::Text("nan"));
        assert_eq!(apply(b"a = 1.5\n", &[m]), b"a = nan\n");
        let m = Mutation::Number(first, Number::Ulp(true));
        assert_eq!(apply(b"a = 1.0\n", &[m]), b"a = 1.0000000000000002\n");
        let m = Mutation::Value(first, Replacement::Text("a\0".into()));
        assert_eq!(apply(b"k = 1\n", &[m]), b"k = \"a\\u0000\"\n");
        let m = Mutation::DuplicateTable(Pick(u64::MAX / 2 + 1));
        assert_eq!(
            apply(b"[a]\nx = 1\n[b]\ny = 2\n", &[m]),
            b"[a]\nx = 1\n[b]\ny = 2\n[b]\ny = 2\n"
        );
        let m = Mutation::UnknownKey(first, "k");
        assert_eq!(apply(b"{\n\"a\": 1\n}", &[m]), b"{\n\"k\": 1,\n\"a\": 1\n}");
        assert_eq!(float_text(1e308), "1e308");
        assert_eq!(float_text(2.0), "2.0");
    }
}
