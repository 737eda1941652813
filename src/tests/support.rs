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
