//! Units of money and how amounts are rounded in them (元, 万元, 亿元):
//! conversion to `rust_decimal`, rounding half away from zero, largest
//! remainder so that printed parts add up to printed totals, and the one
//! default rule that picks a unit for a scenario. Every table a person
//! reads (console, Markdown, CSV tables, the workbook, the charts) takes its
//! unit from here.

use crate::model::scenario::Scenario;
use rust_decimal::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// The unit amounts are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Unit {
    /// 元, two decimals (fen).
    Yuan,
    /// 万元, two decimals.
    Wan,
    /// 亿元, four decimals.
    Yi,
}

impl Unit {
    /// Yuan per unit.
    pub(crate) fn yuan(self) -> Decimal {
        match self {
            Unit::Yuan => Decimal::ONE,
            Unit::Wan => Decimal::from(10_000),
            Unit::Yi => Decimal::from(100_000_000),
        }
    }

    /// Decimals shown.
    pub(crate) fn decimals(self) -> u32 {
        match self {
            Unit::Yuan | Unit::Wan => 2,
            Unit::Yi => 4,
        }
    }

    /// The label in a table header.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::Wan => "万元",
            Unit::Yi => "亿元",
        }
    }

    /// An exact amount in yuan expressed in this unit, not yet rounded.
    pub(crate) fn convert(self, yuan: f64) -> Decimal {
        let d = Decimal::from_f64(yuan).unwrap_or(Decimal::ZERO);
        d / self.yuan()
    }

    /// A rounded amount written with exactly the unit's decimals (`0.00`).
    pub(crate) fn fixed(self, d: Decimal) -> Decimal {
        let mut x = d;
        x.rescale(self.decimals());
        x
    }

    /// An amount in yuan as printed in this unit: converted, rounded half
    /// away from zero and written with the unit's decimals.
    pub(crate) fn printed(self, yuan: f64) -> Decimal {
        self.fixed(self.round(self.convert(yuan)))
    }

    /// Rounds a converted amount to the unit's decimals, half away from zero.
    pub(crate) fn round(self, d: Decimal) -> Decimal {
        d.round_dp_with_strategy(self.decimals(), RoundingStrategy::MidpointAwayFromZero)
    }
}

/// Rounds `parts` (already in the unit) so that they add up exactly to
/// their total rounded half away from zero: each part is truncated towards
/// minus infinity at the unit's decimals, then the missing units go one
/// each to the parts with the largest remainders (ties to the earlier
/// part). Returns the rounded parts and the total.
pub(crate) fn largest_remainder(parts: &[Decimal], unit: Unit) -> (Vec<Decimal>, Decimal) {
    let dp = unit.decimals();
    let step = Decimal::new(1, dp);
    let total = unit.round(parts.iter().copied().sum());
    let mut rounded: Vec<Decimal> = parts
        .iter()
        .map(|p| p.round_dp_with_strategy(dp, RoundingStrategy::ToNegativeInfinity))
        .collect();
    let mut missing = ((total - rounded.iter().copied().sum::<Decimal>()) / step)
        .round()
        .to_i64()
        .unwrap_or(0);
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (parts[a] - rounded[a], parts[b] - rounded[b]);
        rb.cmp(&ra).then(a.cmp(&b))
    });
    // a negative `missing` cannot happen with floors, but is handled by
    // taking units back from the smallest remainders
    let mut i = 0;
    while missing > 0 && !order.is_empty() {
        rounded[order[i % order.len()]] += step;
        missing -= 1;
        i += 1;
    }
    let mut j = order.len();
    while missing < 0 && !order.is_empty() {
        j = if j == 0 { order.len() - 1 } else { j - 1 };
        rounded[order[j]] -= step;
        missing += 1;
    }
    (rounded, total)
}

impl Unit {
    /// The default unit for a scenario, the same rule for every command:
    /// 万元, unless its base-year premiums are under 1,000,000 yuan (元) or
    /// at least 10,000,000,000 yuan (亿元), so that a year's amounts read
    /// with three to six digits before the decimal point.
    pub(crate) fn default_for(s: &Scenario) -> Unit {
        let premiums = s.fund.base_year_premiums;
        if premiums < 1e6 {
            Unit::Yuan
        } else if premiums < 1e10 {
            Unit::Wan
        } else {
            Unit::Yi
        }
    }

    /// Yuan per unit, as a float (for charts and sentences, not for tables that foot).
    pub(crate) fn factor(self) -> f64 {
        match self {
            Unit::Yuan => 1.0,
            Unit::Wan => 1e4,
            Unit::Yi => 1e8,
        }
    }

    /// An amount in yuan expressed in this unit, as a float.
    pub(crate) fn scale(self, yuan: f64) -> f64 {
        yuan / self.factor()
    }
}

/// Rounds `parts` so that they add up exactly to `target` (already rounded):
/// floors, then the missing units to the largest remainders.
pub(crate) fn largest_remainder_to(parts: &[Decimal], unit: Unit, target: Decimal) -> Vec<Decimal> {
    let (mut rounded, total) = largest_remainder(parts, unit);
    let step = Decimal::new(1, unit.decimals());
    let mut missing = ((target - total) / step).round().to_i64().unwrap_or(0);
    if parts.is_empty() {
        return rounded;
    }
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        (parts[b] - rounded[b])
            .cmp(&(parts[a] - rounded[a]))
            .then(a.cmp(&b))
    });
    let mut i = 0;
    while missing != 0 {
        let at = order[i % order.len()];
        if missing > 0 {
            rounded[at] += step;
            missing -= 1;
        } else {
            rounded[order[order.len() - 1 - i % order.len()]] -= step;
            missing += 1;
        }
        i += 1;
    }
    rounded
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Three thirds of 100 round to 33.34 + 33.33 + 33.33 (the first gets the extra cent).
    #[test]
    fn thirds() {
        let third = Decimal::from(100) / Decimal::from(3);
        let (parts, total) = largest_remainder(&[third, third, third], Unit::Wan);
        assert_eq!(total, d("100.00"));
        assert_eq!(parts, vec![d("33.34"), d("33.33"), d("33.33")]);
    }

    /// Half-way amounts round away from zero, not to even (Decimal's default).
    #[test]
    fn midpoint_away_from_zero() {
        assert_eq!(Unit::Wan.round(d("0.125")), d("0.13"));
        assert_eq!(Unit::Wan.round(d("0.135")), d("0.14"));
        assert_eq!(Unit::Wan.round(d("-0.125")), d("-0.13"));
    }

    /// The default unit reads a year's amounts with three to six digits.
    #[test]
    fn default_unit_by_size() {
        let mut s = crate::input::default_scenario();
        assert_eq!(Unit::default_for(&s), Unit::Wan);
        s.fund.base_year_premiums = 5e5;
        assert_eq!(Unit::default_for(&s), Unit::Yuan);
        s.fund.base_year_premiums = 2e10;
        assert_eq!(Unit::default_for(&s), Unit::Yi);
    }

    proptest! {
        /// Largest remainder keeps the rounded total for any parts, and
        /// rounding to a target reaches it.
        #[test]
        fn largest_remainder_keeps_the_total(parts in proptest::collection::vec(-1e9f64..1e9, 1..20), shift in -5i64..5) {
            let parts: Vec<Decimal> = parts.iter().map(|p| Unit::Wan.convert(*p)).collect();
            let (rounded, total) = largest_remainder(&parts, Unit::Wan);
            prop_assert_eq!(rounded.iter().copied().sum::<Decimal>(), total);
            prop_assert_eq!(total, Unit::Wan.round(parts.iter().copied().sum()));
            let target = total + Decimal::new(shift, 2);
            let to = largest_remainder_to(&parts, Unit::Wan, target);
            prop_assert_eq!(to.iter().copied().sum::<Decimal>(), target);
        }
    }
}
