//! How numbers are written for a person (the console and Markdown): money
//! with thousands separators, shares as percentages, probabilities with
//! their standard errors. Machine-readable files (CSV, JSON) use plain
//! numbers and do not come here.

pub(crate) use crate::model::text::group;
use rust_decimal::Decimal;

/// What a table shows where there is no value, or none that is finite.
pub(crate) const NO_VALUE: &str = "—";

/// A calibration target's figure that is not money: a share to four
/// decimals (`0.0130`), a count whole (`5,161`).
pub(crate) fn target_figure(v: f64) -> String {
    grouped(v, if v.abs() < 10.0 { 4 } else { 0 })
}

/// A float with `decimals` decimals and thousands separators; [`NO_VALUE`]
/// when not finite.
pub(crate) fn grouped(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return NO_VALUE.into();
    }
    // −0.00 reads as 0.00
    let s = format!("{v:.decimals$}");
    let s = if s
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    };
    group(&s)
}

/// A float with a sign always shown: `+1,234.00`, `-5.00`.
pub(crate) fn signed(v: f64, decimals: usize) -> String {
    let text = grouped(v, decimals);
    if text.starts_with('-') || text == NO_VALUE {
        text
    } else {
        format!("+{text}")
    }
}

/// A rounded Decimal as printed, with thousands separators.
pub(crate) fn grouped_decimal(d: Decimal) -> String {
    group(&d.to_string())
}

/// A value as `show` prints it, or [`NO_VALUE`] where there is none.
pub(crate) fn or_dash(v: Option<f64>, show: impl FnOnce(f64) -> String) -> String {
    v.map_or_else(|| NO_VALUE.to_string(), show)
}

/// Text as Markdown shows it literally: the characters that would start
/// emphasis, code, a link, HTML, a heading or a table cell escaped with a
/// backslash (a title such as `A*B_C` reads as written).
pub(crate) fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage with one decimal: `0.123` → `12.3 %`.
pub(crate) fn percent(p: f64) -> String {
    format!("{:.1} %", p * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Separators every three digits of the integer part only, signs kept,
    /// negative zero shown as zero.
    #[test]
    fn thousands_separators() {
        assert_eq!(grouped(1234567.891, 2), "1,234,567.89");
        assert_eq!(grouped(-1234.5, 1), "-1,234.5");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(-0.001, 2), "0.00");
        assert_eq!(grouped(f64::NAN, 2), "—");
        assert_eq!(
            markdown_text("A*B_C [x] #1 | 江西省"),
            "A\\*B\\_C \\[x\\] \\#1 \\| 江西省"
        );
        assert_eq!(
            grouped_decimal("-295277.50".parse().unwrap()),
            "-295,277.50"
        );
        assert_eq!(percent(0.6612), "66.1 %");
    }
}
