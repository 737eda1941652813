//! Actual income and expenditure of the first months of a budget year, by
//! line (the in-year reforecast's input, docs/model.md §8.7).

use super::lines::{Line, LineValues, N_LINES};

/// Actual income and expenditure of the first months of the budget year.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Actuals {
    /// Months covered: 1..=`months`.
    pub(crate) months: usize,
    /// Amount to date per line (yuan), by [`Line::index`].
    pub(crate) to_date: LineValues,
    /// Whether the file gives the line (a line it does not give carries no
    /// information and is projected as budgeted).
    pub(crate) given: [bool; N_LINES],
}

/// The lines an actuals file may give: every income and expenditure line.
pub(crate) const ACTUAL_LINES: [Line; Line::INCOME.len() + Line::EXPENDITURE.len()] = {
    let mut out = [Line::Premiums; Line::INCOME.len() + Line::EXPENDITURE.len()];
    let mut i = 0;
    while i < Line::INCOME.len() {
        out[i] = Line::INCOME[i];
        i += 1;
    }
    let mut j = 0;
    while j < Line::EXPENDITURE.len() {
        out[i + j] = Line::EXPENDITURE[j];
        j += 1;
    }
    out
};
