//! What the crate's tests share: the two scenarios, the engine run in each
//! mode, and comparisons with a tolerance.

use crate::engine::{Engine, MonthRecord, Observer, Plan};
use crate::input::{Source, parse_scenario};
use crate::model::sampling::Expected;
use crate::model::sampling::montecarlo::MonteCarlo;
use crate::model::scenario::Scenario;
use std::ops::Range;

/// The text of `scenarios/tiny.toml`.
pub(crate) const TINY: &str = include_str!("../../scenarios/tiny.toml");

/// A scenario from TOML text (which must be valid).
pub(crate) fn scenario(text: &str) -> Scenario {
    parse_scenario(&Source::new("test.toml".into(), text.into())).expect("a valid scenario")
}

/// `scenarios/tiny.toml`.
pub(crate) fn tiny() -> Scenario {
    scenario(TINY)
}

/// The embedded default scenario.
pub(crate) fn default_scenario() -> Scenario {
    crate::input::default_scenario()
}

/// Every month of the expected-value projection.
pub(crate) fn months(s: &Scenario) -> Vec<MonthRecord> {
    let plan = Plan::new(s);
    let mut out = Vec::new();
    Engine::new(&plan).run(&mut Expected, &mut out);
    out
}

/// Every month of one Monte Carlo path.
pub(crate) fn mc_months(s: &Scenario, seed: u64, path: u64) -> Vec<MonthRecord> {
    let plan = Plan::new(s);
    let mut months = Vec::new();
    Engine::new(&plan).run(&mut MonteCarlo::new(seed, s, path), &mut months);
    months
}

/// Splits `0..n` into contiguous ranges, one per worker thread, runs `work`
/// on each and concatenates the results in path order.
pub(crate) fn par_ranges<T: Send>(n: u64, work: impl Fn(Range<u64>) -> Vec<T> + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4) as u64;
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let range = n * i / threads..n * (i + 1) / threads;
                scope.spawn(move || work(range))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker thread panicked"))
            .collect()
    })
}

/// Runs Monte Carlo paths `0..paths` of `s` seeded `seed`, each into a fresh
/// observer from `new`, and keeps `finish(observer)` per path, in path order.
pub(crate) fn mc_paths<O: Observer, T: Send>(
    s: &Scenario,
    seed: u64,
    paths: u64,
    new: impl Fn() -> O + Sync,
    finish: impl Fn(O) -> T + Sync,
) -> Vec<T> {
    let plan = Plan::new(s);
    par_ranges(paths, |range| {
        let mut engine = Engine::new(&plan);
        let mut mc = MonteCarlo::new(seed, s, range.start);
        range
            .map(|p| {
                mc.set_path(p);
                let mut obs = new();
                engine.run(&mut mc, &mut obs);
                finish(obs)
            })
            .collect()
    })
}

/// Whether `a` is within `tol` of `b`, relative to `1 + |b|`.
pub(crate) fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + b.abs())
}

/// `a` equals `b` to 1e-9 relative.
#[track_caller]
pub(crate) fn assert_close(a: f64, b: f64) {
    assert!(close(a, b, 1e-9), "{a} != {b}");
}

/// The books of a `yearly.csv` as printed, for the years `years` of a run
/// opening at `opening` (yuan): each year's totals are the sums of their
/// lines (a scheme's lines absent from a run that has none count 0), the
/// surplus is income − expenditure, the closing balance is the opening
/// plus the surplus and opens the next year, and each line's quantiles
/// rise from p5 to p95. Rounding allows one fen per number printed and
/// 1e-13 of the amounts (the fen is below an f64's step past 1e13 yuan).
pub(crate) fn yearly_csv_books(yearly: &[u8], opening: f64, years: &[i32]) -> Result<(), String> {
    use crate::model::lines::Line;
    let mut rdr = csv::Reader::from_reader(yearly);
    let mut values = std::collections::BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("yearly.csv: {e}"))?;
        let num = |i: usize| rec.get(i).and_then(|v| v.parse::<f64>().ok());
        let year: i32 = rec[0].parse().map_err(|_| format!("year {:?}", &rec[0]))?;
        let quantiles: Vec<f64> = (3..rec.len()).filter_map(num).collect();
        if quantiles.windows(2).any(|w| w[0] > w[1]) {
            return Err(format!(
                "{year} {}: quantiles {quantiles:?} do not rise",
                &rec[1]
            ));
        }
        values.insert((year, rec[1].to_string()), num(2).unwrap_or(f64::NAN));
    }
    let get = |y: i32, l: Line| match values.get(&(y, l.name().to_string())) {
        Some(v) => Ok(*v),
        None if l.is_scheme_line() => Ok(0.0),
        None => Err(format!("{y}: {} missing from yearly.csv", l.name())),
    };
    let sum = |y: i32, ls: &[Line]| -> Result<(f64, f64), String> {
        ls.iter().try_fold((0.0, 0.0), |(s, a), l| {
            let v = get(y, *l)?;
            Ok((s + v, a + v.abs()))
        })
    };
    let foot = |what: &str, y: i32, found: f64, want: f64, terms: usize, size: f64| {
        let tol = 0.01 * (terms + 1) as f64 + 1e-13 * size;
        if (found - want).abs() <= tol {
            Ok(())
        } else {
            Err(format!("{y}: {what} {found} != {want} (tolerance {tol})"))
        }
    };
    let mut opening = opening;
    for &y in years {
        let (income, income_size) = sum(y, &Line::INCOME)?;
        let (expenditure, exp_size) = sum(y, &Line::EXPENDITURE)?;
        let (total_in, total_out) = (get(y, Line::IncomeTotal)?, get(y, Line::ExpenditureTotal)?);
        foot(
            "income_total",
            y,
            total_in,
            income,
            Line::INCOME.len(),
            income_size,
        )?;
        foot(
            "expenditure_total",
            y,
            total_out,
            expenditure,
            Line::EXPENDITURE.len(),
            exp_size,
        )?;
        let size = opening.abs() + total_in.abs() + total_out.abs();
        foot(
            "surplus",
            y,
            get(y, Line::Surplus)?,
            total_in - total_out,
            3,
            size,
        )?;
        let closing = get(y, Line::ClosingBalance)?;
        foot(
            "closing_balance",
            y,
            closing,
            opening + total_in - total_out,
            3,
            size,
        )?;
        opening = closing;
    }
    Ok(())
}
