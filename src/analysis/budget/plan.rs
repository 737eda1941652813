//! The monthly funding plan's pattern (用款计划, docs/model.md §8.7): how the
//! expected-value projection spreads a year's amounts over its months. The
//! plan itself spreads the budget's own amounts by this pattern, so that it
//! agrees with the budget tables to the last digit: before the 15th of
//! each month the province funds each city's benefit account with that
//! month's share of the city's budgeted payments; the pooled account's
//! balance at each month end follows from the budget's lines spread the
//! same way.

use crate::engine::expected_value;
use crate::model::breakdown::Part;
use crate::model::lines::LineValues;
use crate::model::scenario::Scenario;

/// A year's expected-value amounts by month.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pattern {
    /// `[month][city]`: expenditure of the city's cases and stocks.
    pub(crate) city: Vec<Vec<f64>>,
    /// `[month]`: every line.
    pub(crate) lines: Vec<LineValues>,
    /// Next January's city expenditure, all cities, when the projection goes on.
    pub(crate) next_january: Option<f64>,
}

impl Pattern {
    /// The pattern of projection year `k` of a scenario.
    pub(crate) fn expected(s: &Scenario, k: usize) -> Pattern {
        let months = expected_value(s);
        let year: Vec<_> = months.iter().filter(|m| m.year == k).collect();
        Pattern {
            city: year
                .iter()
                .map(|m| m.breakdown.part(Part::CityExpenditure).to_vec())
                .collect(),
            lines: year.iter().map(|m| m.lines).collect(),
            next_january: months
                .iter()
                .find(|m| m.year == k + 1 && m.month == 1)
                .map(|m| m.breakdown.part(Part::CityExpenditure).iter().sum()),
        }
    }

    /// The share of each month in a city's year (equal twelfths when the
    /// city pays nothing).
    pub(crate) fn city_shares(&self, city: usize) -> Vec<f64> {
        shares(self.city.iter().map(|m| m[city]))
    }

    /// The share of each month in a line's year (equal twelfths when the
    /// line is 0 all year).
    pub(crate) fn line_shares(&self, line: usize) -> Vec<f64> {
        shares(self.lines.iter().map(|m| m[line]))
    }
}

fn shares(values: impl Iterator<Item = f64> + Clone) -> Vec<f64> {
    let total: f64 = values.clone().sum();
    let n = values.clone().count() as f64;
    values
        .map(|v| if total > 0.0 { v / total } else { 1.0 / n })
        .collect()
}
