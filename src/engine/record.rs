//! What the engine hands out: one [`MonthRecord`] per month of a path, to
//! an [`Observer`] that keeps what it needs (the engine keeps no history).

use crate::model::breakdown::{Breakdown, Dims};
use crate::model::lines::{Line, LineValues, N_LINES};

/// Everything that happened in one month of one path.
#[derive(Debug, Clone)]
pub(crate) struct MonthRecord {
    /// Month index `t` from 0.
    pub(crate) t: usize,
    /// Projection year `k`.
    pub(crate) year: usize,
    /// Calendar month, 1–12.
    pub(crate) month: usize,
    /// Every line (flows of the month, balance and reserve at its end).
    pub(crate) lines: LineValues,
    /// The month's amounts by city, sector and payer.
    pub(crate) breakdown: Breakdown<f64>,
    /// Insured workers in the month.
    pub(crate) insured: f64,
    /// Recognised injuries incurred in the month (catastrophe deaths included).
    pub(crate) cases: f64,
    /// Of which graded 1–10.
    pub(crate) graded: f64,
    /// Of which deaths.
    pub(crate) deaths: f64,
    /// Stock recipients paid for the first time this year: every head paid in
    /// January, the joiners in later months.
    pub(crate) new_stock_people: f64,
    /// In December, stock recipients at the end of the year, in the order
    /// of [`crate::model::stocks::Stock::ALL`] (0 in other months: only the
    /// year-end count is reported, so the engine sums it once a year).
    pub(crate) heads: [f64; 3],
    /// `Wage_k`, the wage index of the month's year (base year = 1).
    pub(crate) wage_index: f64,
    /// `Disp_k`, the disposable-income index of the month's year.
    pub(crate) disposable_index: f64,
    /// `Ē_t`, the average monthly payment level.
    pub(crate) average_payment: f64,
    /// In December: whether the fund is in breach of the 12-month rule.
    pub(crate) breach: Option<bool>,
}

impl MonthRecord {
    /// An empty record for a scenario of these dimensions.
    pub(super) fn new(dims: Dims) -> MonthRecord {
        MonthRecord {
            t: 0,
            year: 0,
            month: 1,
            lines: [0.0; N_LINES],
            breakdown: Breakdown::new(dims),
            insured: 0.0,
            cases: 0.0,
            graded: 0.0,
            deaths: 0.0,
            new_stock_people: 0.0,
            heads: [0.0; 3],
            wage_index: 1.0,
            disposable_index: 1.0,
            average_payment: 0.0,
            breach: None,
        }
    }

    /// Empties the record for month `t`.
    pub(super) fn clear(&mut self, t: usize) {
        self.t = t;
        self.year = t / 12;
        self.month = t % 12 + 1;
        self.lines = [0.0; N_LINES];
        self.breakdown.clear();
        self.insured = 0.0;
        self.cases = 0.0;
        self.graded = 0.0;
        self.deaths = 0.0;
        self.new_stock_people = 0.0;
        self.heads = [0.0; 3];
        self.breach = None;
    }

    /// The value of one line.
    pub(crate) fn get(&self, line: Line) -> f64 {
        self.lines[line.index()]
    }

    pub(super) fn add(&mut self, line: Line, v: f64) {
        self.lines[line.index()] += v;
    }
}

/// Receives every month of a path.
pub(crate) trait Observer {
    /// Called once per month, after the month is complete.
    fn month(&mut self, record: &MonthRecord);
}

/// Keeps every month (the expected-value mode's monthly table).
impl Observer for Vec<MonthRecord> {
    fn month(&mut self, record: &MonthRecord) {
        self.push(record.clone());
    }
}
