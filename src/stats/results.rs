//! Per-year results of a run in the shape every report reads
//! (docs/model.md §8): each line's mean and quantiles, the probability of
//! breach, the breakdown's means — from a path set, or from the one path of
//! the expected-value mode.

use super::year::YearRecord;
use crate::model::breakdown::Breakdown;
use crate::model::lines::{Line, N_LINES};
use serde::Serialize;

/// Quantile levels reported for every line.
pub(crate) const QUANTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// Mean and quantiles of one line in one year across paths.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Distribution {
    /// Mean.
    pub(crate) mean: f64,
    /// Values at [`QUANTILES`].
    pub(crate) quantiles: [f64; QUANTILES.len()],
}

impl Distribution {
    /// A single value: every statistic equal to it.
    pub(crate) fn point(v: f64) -> Distribution {
        Distribution {
            mean: v,
            quantiles: [v; QUANTILES.len()],
        }
    }
}

/// Per-year results of a run.
#[derive(Debug, Clone)]
pub(crate) struct YearResult {
    /// Calendar year.
    pub(crate) year: i32,
    /// Distribution of every line.
    pub(crate) lines: [Distribution; N_LINES],
    /// Share of paths in breach at December (0 or 1 in expected-value mode).
    pub(crate) breach_probability: f64,
    /// Mean amounts by city, sector and payer.
    pub(crate) breakdown: Breakdown<f64>,
    /// Mean provincial expenditure (prevention and other).
    pub(crate) provincial_expenditure: f64,
}

impl YearResult {
    /// The result of a single path (the expected-value mode).
    pub(crate) fn from_path(y: &YearRecord) -> YearResult {
        let mut lines = [Distribution::point(0.0); N_LINES];
        for (d, v) in lines.iter_mut().zip(&y.lines) {
            *d = Distribution::point(*v);
        }
        YearResult {
            year: y.year,
            lines,
            breach_probability: if y.breach { 1.0 } else { 0.0 },
            breakdown: y.breakdown.clone(),
            provincial_expenditure: y.provincial_expenditure(),
        }
    }

    /// Mean of one line.
    pub(crate) fn mean(&self, line: Line) -> f64 {
        self.lines[line.index()].mean
    }
}
