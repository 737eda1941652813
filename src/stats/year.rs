//! A path's months folded into years (docs/model.md §8): flows summed,
//! the balance, the months of reserve and the multiplier at December, the
//! breakdown by city, sector and payer, and the counts a calibration reads.

use crate::engine::{MonthRecord, Observer};
use crate::model::breakdown::{Breakdown, Dims};
use crate::model::lines::{Aggregation, Line, LineValues, N_LINES};
use crate::model::scenario::Scenario;

/// One projection year of one path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct YearRecord {
    /// Calendar year.
    pub(crate) year: i32,
    /// Every line: flows summed, balance, reserve and multiplier at December.
    pub(crate) lines: LineValues,
    /// The year's amounts by city, sector and payer.
    pub(crate) breakdown: Breakdown<f64>,
    /// Average monthly insured workers.
    pub(crate) insured: f64,
    /// Recognised injuries incurred.
    pub(crate) cases: f64,
    /// Of which graded 1–10.
    pub(crate) graded: f64,
    /// Of which deaths.
    pub(crate) deaths: f64,
    /// People paid: new cases plus stock recipients paid in the year.
    pub(crate) beneficiaries: f64,
    /// December's reserve below the rule.
    pub(crate) breach: bool,
}

impl YearRecord {
    fn new(year: i32, dims: Dims) -> YearRecord {
        YearRecord {
            year,
            lines: [0.0; N_LINES],
            breakdown: Breakdown::new(dims),
            insured: 0.0,
            cases: 0.0,
            graded: 0.0,
            deaths: 0.0,
            beneficiaries: 0.0,
            breach: false,
        }
    }

    fn clear(&mut self) {
        self.lines = [0.0; N_LINES];
        self.breakdown.clear();
        self.insured = 0.0;
        self.cases = 0.0;
        self.graded = 0.0;
        self.deaths = 0.0;
        self.beneficiaries = 0.0;
        self.breach = false;
    }

    /// The value of one line.
    pub(crate) fn get(&self, line: Line) -> f64 {
        self.lines[line.index()]
    }

    /// Provincial expenditure lines not attributed to a city or sector.
    pub(crate) fn provincial_expenditure(&self) -> f64 {
        self.get(Line::Prevention) + self.get(Line::OtherExpenditure)
    }

    /// Adds a month (months must come in order).
    fn add(&mut self, m: &MonthRecord) {
        for line in Line::ALL {
            let i = line.index();
            match line.aggregation() {
                Aggregation::Flow => self.lines[i] += m.lines[i],
                Aggregation::EndOfYear => self.lines[i] = m.lines[i],
            }
        }
        self.breakdown.add(&m.breakdown);
        self.insured += m.insured / 12.0;
        self.cases += m.cases;
        self.graded += m.graded;
        self.deaths += m.deaths;
        self.beneficiaries += m.cases + m.new_stock_people;
        if let Some(b) = m.breach {
            self.breach = b;
        }
    }
}

/// An [`Observer`] that folds a path's months into years. Its buffers are
/// allocated once and reused path after path ([`YearAccumulator::reset`]).
#[derive(Debug, Clone)]
pub(crate) struct YearAccumulator {
    /// One record per projection year.
    pub(crate) years: Vec<YearRecord>,
    /// Months whose reserve was below the rule (`R_t < reserve_rule_months`).
    pub(crate) months_below_rule: u32,
    rule_months: f64,
}

impl YearAccumulator {
    /// An empty accumulator for a scenario.
    pub(crate) fn new(s: &Scenario) -> YearAccumulator {
        let dims = s.dims();
        let years = (0..s.years)
            .map(|k| YearRecord::new(s.start_year + k as i32, dims))
            .collect();
        YearAccumulator {
            years,
            months_below_rule: 0,
            rule_months: s.law.reserve_rule_months,
        }
    }

    /// Zeroes every year for the next path.
    pub(crate) fn reset(&mut self) {
        for y in &mut self.years {
            y.clear();
        }
        self.months_below_rule = 0;
    }

    /// Folds recorded months into years.
    pub(crate) fn from_months(s: &Scenario, months: &[MonthRecord]) -> Vec<YearRecord> {
        let mut acc = YearAccumulator::new(s);
        for m in months {
            acc.month(m);
        }
        acc.years
    }
}

impl Observer for YearAccumulator {
    fn month(&mut self, m: &MonthRecord) {
        self.years[m.year].add(m);
        if m.get(Line::ReserveMonths) < self.rule_months {
            self.months_below_rule += 1;
        }
    }
}
