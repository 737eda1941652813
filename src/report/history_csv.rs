//! A history in its own CSV format (docs/history.md): the header, a
//! `units` row and one row a year, empty cells where unknown. Used for
//! the synthetic example history and by tests that hand the calibration
//! nothing but a file.

use crate::model::history::{History, Quantity, Series};
use std::fmt::Write as _;

/// The base unit of each quantity, as the `units` row spells it.
fn base_unit(q: Quantity) -> &'static str {
    match q {
        Quantity::Money => "yuan",
        Quantity::Count => "persons",
        Quantity::PerPerson => "yuan/year",
        Quantity::Ratio => "1",
    }
}

/// The history as CSV, money and counts rounded to whole units.
pub(crate) fn history_csv(h: &History) -> String {
    let mut out = String::from("year");
    for s in Series::ALL {
        out.push(',');
        out.push_str(s.name());
    }
    out.push_str("\nunits");
    for s in Series::ALL {
        out.push(',');
        out.push_str(base_unit(s.quantity()));
    }
    out.push('\n');
    for (i, row) in h.rows.iter().enumerate() {
        out.push_str(&(h.first_year + i as i32).to_string());
        for v in row {
            out.push(',');
            if let Some(v) = v {
                if v.fract() == 0.0 || v.abs() >= 100.0 {
                    let _ = write!(out, "{:.0}", v.round());
                } else {
                    let _ = write!(out, "{}", crate::analysis::calibrate::round6(*v));
                }
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::parse_history;

    /// Written and read back, a history keeps every cell (to the rounding).
    #[test]
    fn round_trip() {
        let s = crate::input::default_scenario();
        let h = crate::stats::history::simulated_history(&s, 5, 1);
        let back = parse_history(&history_csv(&h), "h.csv").unwrap();
        assert_eq!(back.first_year, h.first_year);
        for (a, b) in h.rows.iter().zip(&back.rows) {
            for (x, y) in a.iter().zip(b) {
                assert!((x.unwrap() - y.unwrap()).abs() <= 0.5);
            }
        }
    }
}
