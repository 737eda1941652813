//! Statistics (MODEL.md section 8): months folded into years
//! ([`YearAccumulator`]), and the per-year results a run reports
//! ([`YearResult`], [`paths::PathSet`]): every line's mean and quantiles, the breach flags, the
//! city and sector views, gap transfers by payer, and the first-year
//! calibration check.

pub mod paths;

use crate::engine::{MonthRecord, Observer};
use crate::lines::{Aggregation, Line, LineValues, N_LINES};
use crate::scenario::{CalibrationTarget, Scenario};
use serde::Serialize;

/// Quantile levels reported for every line.
pub const QUANTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// One projection year of one path.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRecord {
    /// Calendar year.
    pub year: i32,
    /// Every line: flows summed, balance, reserve and multiplier at December.
    pub lines: LineValues,
    /// Premiums by city.
    pub city_premiums: Vec<f64>,
    /// Case and stock expenditure by city.
    pub city_expenditure: Vec<f64>,
    /// The same by city and line (`[city · 5 + i]`, [`crate::engine::CITY_LINES`]).
    pub city_lines: Vec<f64>,
    /// Payroll by sector.
    pub sector_payroll: Vec<f64>,
    /// Premiums by sector.
    pub sector_premiums: Vec<f64>,
    /// Case and stock expenditure by sector.
    pub sector_expenditure: Vec<f64>,
    /// Gap transfers by payer (`[0]` province, `[1 + c]` city `c`).
    pub gap_by_payer: Vec<f64>,
    /// Average monthly insured workers.
    pub insured: f64,
    /// Recognised injuries incurred.
    pub cases: f64,
    /// Of which graded 1–10.
    pub graded: f64,
    /// Of which deaths.
    pub deaths: f64,
    /// People paid: new cases plus stock recipients paid in the year.
    pub beneficiaries: f64,
    /// December's reserve below the rule.
    pub breach: bool,
}

impl YearRecord {
    fn new(year: i32, cities: usize, sectors: usize) -> YearRecord {
        YearRecord {
            year,
            lines: [0.0; N_LINES],
            city_premiums: vec![0.0; cities],
            city_expenditure: vec![0.0; cities],
            city_lines: vec![0.0; cities * crate::engine::CITY_LINES.len()],
            sector_payroll: vec![0.0; sectors],
            sector_premiums: vec![0.0; sectors],
            sector_expenditure: vec![0.0; sectors],
            gap_by_payer: vec![0.0; cities + 1],
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
        for v in [
            &mut self.city_premiums,
            &mut self.city_expenditure,
            &mut self.city_lines,
            &mut self.sector_payroll,
            &mut self.sector_premiums,
            &mut self.sector_expenditure,
            &mut self.gap_by_payer,
        ] {
            v.fill(0.0);
        }
        self.insured = 0.0;
        self.cases = 0.0;
        self.graded = 0.0;
        self.deaths = 0.0;
        self.beneficiaries = 0.0;
        self.breach = false;
    }

    /// The value of one line.
    pub fn get(&self, line: Line) -> f64 {
        self.lines[line.index()]
    }

    /// Provincial expenditure lines not attributed to a city or sector.
    pub fn provincial_expenditure(&self) -> f64 {
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
        let pairs: [(&mut Vec<f64>, &Vec<f64>); 7] = [
            (&mut self.city_premiums, &m.city_premiums),
            (&mut self.city_expenditure, &m.city_expenditure),
            (&mut self.city_lines, &m.city_lines),
            (&mut self.sector_payroll, &m.sector_payroll),
            (&mut self.sector_premiums, &m.sector_premiums),
            (&mut self.sector_expenditure, &m.sector_expenditure),
            (&mut self.gap_by_payer, &m.gap_by_payer),
        ];
        for (acc, v) in pairs {
            for (a, x) in acc.iter_mut().zip(v) {
                *a += x;
            }
        }
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
pub struct YearAccumulator {
    /// One record per projection year.
    pub years: Vec<YearRecord>,
    /// Months whose reserve was below the rule (`R_t < reserve_rule_months`).
    pub months_below_rule: u32,
    rule_months: f64,
}

impl YearAccumulator {
    /// An empty accumulator for a scenario.
    pub fn new(s: &Scenario) -> YearAccumulator {
        let years = (0..s.years)
            .map(|k| YearRecord::new(s.start_year + k as i32, s.n_cities(), s.n_sectors()))
            .collect();
        YearAccumulator {
            years,
            months_below_rule: 0,
            rule_months: s.law.reserve_rule_months,
        }
    }

    /// Zeroes every year for the next path.
    pub fn reset(&mut self) {
        for y in &mut self.years {
            y.clear();
        }
        self.months_below_rule = 0;
    }

    /// Folds recorded months into years.
    pub fn from_months(s: &Scenario, months: &[MonthRecord]) -> Vec<YearRecord> {
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

/// Mean and quantiles of one line in one year across paths.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Distribution {
    /// Mean.
    pub mean: f64,
    /// Values at [`QUANTILES`].
    pub quantiles: [f64; QUANTILES.len()],
}

impl Distribution {
    /// A single value: every statistic equal to it.
    pub fn point(v: f64) -> Distribution {
        Distribution {
            mean: v,
            quantiles: [v; QUANTILES.len()],
        }
    }
}

/// One row of the calibration check.
#[derive(Debug, Clone, Serialize)]
pub struct CalibrationRow {
    /// Target name.
    pub target: &'static str,
    /// Value in the scenario's `[calibration]`.
    pub target_value: f64,
    /// The model's first-year value.
    pub model_value: f64,
    /// `model / target − 1`.
    pub relative_error: f64,
    /// Within the scenario's tolerance.
    pub within_tolerance: bool,
}

/// The first-year value of a calibration target.
pub fn calibration_value(s: &Scenario, first: &YearRecord, target: CalibrationTarget) -> f64 {
    let share = |x: f64| {
        if first.cases > 0.0 {
            x / first.cases
        } else {
            0.0
        }
    };
    match target {
        CalibrationTarget::Insured => first.insured,
        CalibrationTarget::PremiumIncome => first.get(Line::Premiums),
        CalibrationTarget::Expenditure => first.get(Line::ExpenditureTotal),
        CalibrationTarget::OpeningBalance => s.fund.opening_balance,
        CalibrationTarget::RecognisedInjuries => first.cases,
        CalibrationTarget::GradedShare => share(first.graded),
        CalibrationTarget::DeathShare => share(first.deaths),
        CalibrationTarget::Beneficiaries => first.beneficiaries,
    }
}

/// Compares the first projection year with the scenario's calibration targets.
pub fn calibration(s: &Scenario, first: &YearRecord) -> Vec<CalibrationRow> {
    let Some(cal) = &s.calibration else {
        return Vec::new();
    };
    cal.targets
        .iter()
        .map(|&(target, target_value)| {
            let model_value = calibration_value(s, first, target);
            let relative_error = if target_value != 0.0 {
                model_value / target_value - 1.0
            } else {
                model_value
            };
            CalibrationRow {
                target: target.name(),
                target_value,
                model_value,
                relative_error,
                within_tolerance: relative_error.abs() <= cal.tolerance,
            }
        })
        .collect()
}

/// Per-year results of a run, in the shape every report reads.
#[derive(Debug, Clone)]
pub struct YearResult {
    /// Calendar year.
    pub year: i32,
    /// Distribution of every line.
    pub lines: [Distribution; N_LINES],
    /// Share of paths in breach at December (0 or 1 in expected-value mode).
    pub breach_probability: f64,
    /// Mean premiums by city.
    pub city_premiums: Vec<f64>,
    /// Mean case and stock expenditure by city.
    pub city_expenditure: Vec<f64>,
    /// Mean expenditure by city and line (`[city · 5 + i]`).
    pub city_lines: Vec<f64>,
    /// Mean provincial expenditure (prevention and other).
    pub provincial_expenditure: f64,
    /// Mean payroll by sector.
    pub sector_payroll: Vec<f64>,
    /// Mean premiums by sector.
    pub sector_premiums: Vec<f64>,
    /// Mean case and stock expenditure by sector.
    pub sector_expenditure: Vec<f64>,
    /// Mean gap transfers by payer in the year.
    pub gap_by_payer: Vec<f64>,
}

impl YearResult {
    /// The result of a single path (the expected-value mode).
    pub fn from_path(y: &YearRecord) -> YearResult {
        let mut lines = [Distribution::point(0.0); N_LINES];
        for (d, v) in lines.iter_mut().zip(&y.lines) {
            *d = Distribution::point(*v);
        }
        YearResult {
            year: y.year,
            lines,
            breach_probability: if y.breach { 1.0 } else { 0.0 },
            city_premiums: y.city_premiums.clone(),
            city_expenditure: y.city_expenditure.clone(),
            city_lines: y.city_lines.clone(),
            provincial_expenditure: y.provincial_expenditure(),
            sector_payroll: y.sector_payroll.clone(),
            sector_premiums: y.sector_premiums.clone(),
            sector_expenditure: y.sector_expenditure.clone(),
            gap_by_payer: y.gap_by_payer.clone(),
        }
    }

    /// Mean of one line.
    pub fn mean(&self, line: Line) -> f64 {
        self.lines[line.index()].mean
    }
}
