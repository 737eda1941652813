//! The in-year reforecast (docs/model.md §8.7): from the actual income and
//! expenditure of months 1..j, each line's year end is the actual to date
//! plus each path's remaining months (its own year's amount times the share
//! of the year those months carry in the expected-value pattern), scaled
//! towards the actual-to-expected ratio with credibility j/12 (a
//! Bornhuetter–Ferguson blend); a line the actuals do not give is projected
//! as budgeted. Actuals equal to the budget's own monthly amounts leave the
//! mean at the budget.

use super::plan::Pattern;
use crate::model::actuals::{ACTUAL_LINES, Actuals};
use crate::model::lines::Line;
use crate::stats::paths::PathSet;

/// The in-year reforecast of one line (yuan).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReforecastLine {
    /// The line.
    pub(crate) line: Line,
    /// Actual to date.
    pub(crate) actual_to_date: f64,
    /// What the budget expected to date.
    pub(crate) expected_to_date: f64,
    /// Projected year end, mean over paths.
    pub(crate) projected: f64,
    /// The budget (the exact mean).
    pub(crate) budget: f64,
    /// Probability that the line ends the year above its budget (expenditure lines).
    pub(crate) overspend_probability: Option<f64>,
}

/// How far from the budget's expectation an actual to date may be before
/// it is taken for a unit slip (万元 or 亿元 read as yuan): a hundredth to a
/// hundred times. No year runs a hundred times off its budget.
const PLAUSIBLE_RATIO: (f64, f64) = (0.01, 100.0);

impl ReforecastLine {
    /// The actual to date over what the budget expected to date, when it is
    /// so far off that the actuals' unit is more likely wrong than the year:
    /// outside [`PLAUSIBLE_RATIO`], for an actual and an expectation above 0.
    pub(crate) fn off_by_a_unit(&self) -> Option<f64> {
        let (low, high) = PLAUSIBLE_RATIO;
        (self.actual_to_date > 0.0 && self.expected_to_date > 0.0)
            .then(|| self.actual_to_date / self.expected_to_date)
            .filter(|r| !(low..=high).contains(r))
    }
}

/// The reforecast of year `k`: every line an actuals file may give, then
/// the income and expenditure totals.
pub(crate) fn reforecast(
    set: &PathSet,
    k: usize,
    pattern: &Pattern,
    actuals: &Actuals,
) -> Vec<ReforecastLine> {
    let j = actuals.months;
    let z = j as f64 / 12.0;
    let n = set.paths() as usize;
    let mut out = Vec::new();
    let mut income = vec![0.0; n];
    let mut expenditure = vec![0.0; n];
    let (mut income_sums, mut expenditure_sums) = ([0.0; 3], [0.0; 3]);
    for line in ACTUAL_LINES {
        let i = line.index();
        let ev_year: f64 = pattern.lines.iter().map(|m| m[i]).sum();
        let done_share = if ev_year > 0.0 {
            pattern.lines.iter().take(j).map(|m| m[i]).sum::<f64>() / ev_year
        } else {
            j as f64 / 12.0
        };
        let budget = set.mean(k, line);
        let expected_to_date = budget * done_share;
        let actual = if actuals.given[i] {
            actuals.to_date[i]
        } else {
            expected_to_date
        };
        let ratio = if expected_to_date > 0.0 {
            actual / expected_to_date
        } else {
            1.0
        };
        let factor = 1.0 + z * (ratio - 1.0);
        let projected: Vec<f64> = (0..n)
            .map(|p| actual + set.value(p, k, line) * (1.0 - done_share) * factor)
            .collect();
        let is_expenditure = Line::EXPENDITURE.contains(&line);
        let (target, sums) = if is_expenditure {
            (&mut expenditure, &mut expenditure_sums)
        } else {
            (&mut income, &mut income_sums)
        };
        for (t, v) in target.iter_mut().zip(&projected) {
            *t += v;
        }
        sums[0] += actual;
        sums[1] += expected_to_date;
        sums[2] += budget;
        out.push(summarise(
            line,
            actual,
            expected_to_date,
            &projected,
            budget,
            is_expenditure,
        ));
    }
    out.push(summarise(
        Line::IncomeTotal,
        income_sums[0],
        income_sums[1],
        &income,
        income_sums[2],
        false,
    ));
    out.push(summarise(
        Line::ExpenditureTotal,
        expenditure_sums[0],
        expenditure_sums[1],
        &expenditure,
        expenditure_sums[2],
        true,
    ));
    out
}

fn summarise(
    line: Line,
    actual: f64,
    expected: f64,
    projected: &[f64],
    budget: f64,
    expenditure: bool,
) -> ReforecastLine {
    let n = projected.len().max(1) as f64;
    ReforecastLine {
        line,
        actual_to_date: actual,
        expected_to_date: expected,
        projected: projected.iter().sum::<f64>() / n,
        budget,
        overspend_probability: expenditure
            .then(|| projected.iter().filter(|v| **v > budget).count() as f64 / n),
    }
}

#[cfg(test)]
mod tests {
    use super::ReforecastLine;
    use crate::model::lines::Line;

    #[test]
    fn an_actual_a_unit_off_is_flagged() {
        let line = |actual: f64, expected: f64| ReforecastLine {
            line: Line::Premiums,
            actual_to_date: actual,
            expected_to_date: expected,
            projected: 0.0,
            budget: 0.0,
            overspend_probability: None,
        };
        // premiums in 万元 read as yuan: 1e-4 of the expectation
        assert_eq!(line(5_200.0, 52_000_000.0).off_by_a_unit(), Some(1e-4));
        assert!(
            line(52_000_000.0 * 1e4, 52_000_000.0)
                .off_by_a_unit()
                .is_some()
        );
        // a bad year, however bad, and a line with nothing yet, are not
        assert_eq!(line(26_000_000.0, 52_000_000.0).off_by_a_unit(), None);
        assert_eq!(line(0.0, 52_000_000.0).off_by_a_unit(), None);
        assert_eq!(line(10.0, 0.0).off_by_a_unit(), None);
    }
}
