//! How a figure is written for a person, in a message or a table: the
//! integer part's thousands grouped with commas. Shared by the readers'
//! messages and the report writers, which may not depend on each other.

/// Inserts thousands separators into the integer part of a plain number
/// (`-1234567.80` → `-1,234,567.80`).
pub(crate) fn group(plain: &str) -> String {
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", plain),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    out.push_str(sign);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}
