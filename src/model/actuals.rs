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

/// The lines an actuals file may give.
pub(crate) const ACTUAL_LINES: [Line; 12] = [
    Line::Premiums,
    Line::Interest,
    Line::FiscalSubsidy,
    Line::GapTransfers,
    Line::OtherIncome,
    Line::Medical,
    Line::Disability,
    Line::Death,
    Line::Investigation,
    Line::Appraisal,
    Line::Prevention,
    Line::OtherExpenditure,
];
