//! Paths in the history format (docs/history.md): a path's months folded
//! into one row a year with the columns a fund office fills in, and many
//! paths run on their own streams for a back-test. A simulated history is
//! what a fund would have published had the scenario been the truth.

use crate::engine::{Engine, MonthRecord, Observer, Plan};
use crate::model::breakdown::Part;
#[cfg(test)]
use crate::model::history::{History, Row};
use crate::model::history::{N_SERIES, Series};
use crate::model::lines::Line;
use crate::model::sampling::montecarlo::MonteCarlo;
use crate::model::scenario::Scenario;
use crate::model::stocks::Stock;
use anyhow::Result;
use rayon::prelude::*;
use std::ops::Range;

/// Where each history series comes from in a month: flows are summed,
/// levels taken in December.
fn fold(row: &mut [f64; N_SERIES], m: &MonthRecord, aw_base: f64, d_base: f64) {
    let add = |row: &mut [f64; N_SERIES], s: Series, v: f64| row[s.index()] += v;
    let line = |l: Line| m.get(l);
    add(row, Series::Insured, m.insured / 12.0);
    add(
        row,
        Series::Payroll,
        m.breakdown.part(Part::SectorPayroll).iter().sum(),
    );
    for s in Series::ALL {
        if let Some(l) = s.line() {
            add(row, s, line(l));
        }
    }
    // what a treasury puts in to close a gap reaches a fund's statement as
    // subsidy, and what is paid back to it as other expenditure
    add(row, Series::FiscalSubsidy, line(Line::GapTransfers));
    add(row, Series::OtherExpenditure, line(Line::Returned));
    add(row, Series::Injuries, m.cases);
    add(row, Series::Graded, m.graded);
    add(row, Series::Deaths, m.deaths);
    add(row, Series::IncomeTotal, line(Line::IncomeTotal));
    add(row, Series::ExpenditureTotal, line(Line::ExpenditureTotal));
    if m.month == 1 {
        row[Series::RateMultiplier.index()] = line(Line::RateMultiplier);
    }
    if m.month == 12 {
        row[Series::Balance.index()] = line(Line::ClosingBalance);
        row[Series::AllowanceHeads.index()] = m.heads[Stock::Disability as usize];
        row[Series::CareHeads.index()] = m.heads[Stock::Care as usize];
        row[Series::SurvivorHeads.index()] = m.heads[Stock::Survivors as usize];
        row[Series::AverageWage.index()] = 12.0 * aw_base * m.wage_index;
        row[Series::DisposableIncome.index()] = d_base * m.disposable_index;
    }
}

/// An [`Observer`] that folds a path into history rows, one a projection
/// year, every cell known.
#[derive(Debug, Clone)]
pub(crate) struct HistoryAccumulator {
    rows: Vec<[f64; N_SERIES]>,
    aw_base: f64,
    d_base: f64,
}

impl HistoryAccumulator {
    /// An empty accumulator for a scenario.
    pub(crate) fn new(s: &Scenario) -> HistoryAccumulator {
        HistoryAccumulator {
            rows: vec![[0.0; N_SERIES]; s.years],
            aw_base: s.economy.average_monthly_wage,
            d_base: s.economy.disposable_income,
        }
    }

    /// Zeroes every row for the next path.
    pub(crate) fn reset(&mut self) {
        for r in &mut self.rows {
            *r = [0.0; N_SERIES];
        }
    }

    /// The rows, every cell known.
    #[cfg(test)]
    pub(crate) fn rows(&self) -> Vec<Row> {
        self.rows.iter().map(|r| r.map(Some)).collect()
    }
}

impl Observer for HistoryAccumulator {
    fn month(&mut self, m: &MonthRecord) {
        fold(&mut self.rows[m.year], m, self.aw_base, self.d_base);
    }
}

/// One Monte Carlo path of `s` as a history of its projection years.
#[cfg(test)]
pub(crate) fn simulated_history(s: &Scenario, seed: u64, path: u64) -> History {
    let plan = Plan::new(s);
    let mut engine = Engine::new(&plan);
    let mut sampler = MonteCarlo::new(seed, s, path);
    sampler.set_path(path);
    let mut acc = HistoryAccumulator::new(s);
    engine.run(&mut sampler, &mut acc);
    History {
        source: format!("simulated: {} seed {seed} path {path}", s.name),
        first_year: s.start_year,
        rows: acc.rows(),
    }
}

/// Paths per unit of parallel work.
const CHUNK: u64 = 64;

/// The paths of `paths` as history rows (`[path][year]`), in path order:
/// each path on its own streams, so the result is the same for any number
/// of threads.
pub(crate) fn simulate_histories(
    s: &Scenario,
    seed: u64,
    paths: Range<u64>,
    threads: Option<usize>,
) -> Result<Vec<Vec<[f64; N_SERIES]>>> {
    let pool = super::runner::pool(threads)?;
    let plan = Plan::new(s);
    let chunks = super::runner::chunks(&paths, CHUNK);
    let parts: Vec<Vec<Vec<[f64; N_SERIES]>>> = pool.install(|| {
        chunks
            .par_iter()
            .map(|chunk| {
                let mut engine = Engine::new(&plan);
                let mut sampler = MonteCarlo::new(seed, s, chunk.start);
                let mut acc = HistoryAccumulator::new(s);
                chunk
                    .clone()
                    .map(|p| {
                        sampler.set_path(p);
                        acc.reset();
                        engine.run(&mut sampler, &mut acc);
                        acc.rows.clone()
                    })
                    .collect()
            })
            .collect()
    });
    Ok(parts.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::year::YearAccumulator;

    /// The history rows of a path foot like its accounts: income less
    /// expenditure is the change in the balance, and every line agrees with
    /// the yearly table of the same path.
    #[test]
    fn a_simulated_history_foots_with_the_yearly_table() {
        let s = crate::input::default_scenario();
        let h = simulated_history(&s, 7, 3);
        let plan = Plan::new(&s);
        let mut engine = Engine::new(&plan);
        let mut sampler = MonteCarlo::new(7, &s, 3);
        sampler.set_path(3);
        let mut acc = YearAccumulator::new(&s);
        engine.run(&mut sampler, &mut acc);
        let mut opening = s.fund.opening_balance;
        for (k, y) in acc.years.iter().enumerate() {
            let year = s.start_year + k as i32;
            let get = |x: Series| h.get(year, x).unwrap();
            assert_eq!(get(Series::Premiums), y.get(Line::Premiums));
            assert_eq!(get(Series::Injuries), y.cases);
            assert!((get(Series::Insured) - y.insured).abs() < 1e-6 * y.insured);
            let income = h.income(year).unwrap();
            let expenditure = h.expenditure(year).unwrap();
            let closing = get(Series::Balance);
            assert!(
                (opening + income - expenditure - closing).abs() < 1e-6 * closing.abs().max(1.0),
                "{year}"
            );
            let lines: f64 = Series::EXPENDITURE.iter().map(|x| get(*x)).sum();
            assert!((lines - expenditure).abs() < 1e-6 * expenditure);
            opening = closing;
        }
        let wage = |k: i32| h.get(s.start_year + k, Series::AverageWage).unwrap();
        assert!(wage(0) > 12.0 * s.economy.average_monthly_wage * 0.8);
        assert!(wage(1) != wage(0));
    }

    /// Many paths come back in path order, the same for 1 and 2 threads,
    /// and path p equals the single simulated history of path p.
    #[test]
    fn histories_do_not_depend_on_threads() {
        let s = crate::input::default_scenario();
        let one = simulate_histories(&s, 11, 5..9, Some(1)).unwrap();
        let two = simulate_histories(&s, 11, 5..9, Some(2)).unwrap();
        assert_eq!(one, two);
        let single = simulated_history(&s, 11, 7);
        assert_eq!(
            one[2][4][Series::Balance.index()],
            single.rows[4][Series::Balance.index()].unwrap()
        );
    }
}
