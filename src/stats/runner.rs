//! The parallel Monte Carlo runner: paths in fixed chunks on a rayon pool,
//! each path on its own streams (seed, path index), results gathered in
//! path order into one [`PathSet`]. Because every path's draws depend only
//! on its index and the sums are exact, the result is the same for any
//! number of threads and any split into shards.

use super::paths::{OutOfRange, PathSet, Shape};
use super::year::YearAccumulator;
use crate::engine::{Engine, Plan};
use crate::model::sampling::montecarlo::MonteCarlo;
use crate::model::scenario::Scenario;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::ops::Range;

pub(crate) use crate::model::limits::MAX_PATHS;
/// Paths per chunk: the unit of parallel work and of progress.
const CHUNK: u64 = 128;
/// Chunks per wave of parallel work.
const WAVE: usize = 64;

/// One of N contiguous ranges of path indices, `K/N` with K from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Shard {
    /// K, from 1.
    pub(crate) index: u64,
    /// N.
    pub(crate) count: u64,
}

impl Shard {
    /// The whole run.
    pub(crate) const ALL: Shard = Shard { index: 1, count: 1 };

    /// Parses `K/N` with 1 ≤ K ≤ N.
    pub(crate) fn parse(text: &str) -> Result<Shard, String> {
        let err = || format!("--shard {text}: expected K/N with 1 ≤ K ≤ N, for example 2/8");
        let (k, n) = text.split_once('/').ok_or_else(err)?;
        let index: u64 = k.trim().parse().map_err(|_| err())?;
        let count: u64 = n.trim().parse().map_err(|_| err())?;
        if index == 0 || count == 0 || index > count {
            return Err(err());
        }
        Ok(Shard { index, count })
    }

    /// The path indices of this shard out of `total`.
    pub(crate) fn range(&self, total: u64) -> Range<u64> {
        let start =
            (u128::from(total) * u128::from(self.index - 1) / u128::from(self.count)) as u64;
        let end = (u128::from(total) * u128::from(self.index) / u128::from(self.count)) as u64;
        start..end
    }

    /// Whether this is the whole run.
    pub(crate) fn is_all(&self) -> bool {
        self.count == 1
    }
}

/// How to run the paths.
#[derive(Debug, Clone)]
pub(crate) struct RunConfig {
    /// Master seed.
    pub(crate) seed: u64,
    /// Path indices to run.
    pub(crate) paths: Range<u64>,
    /// Worker threads (`None`: rayon's default, one per core).
    pub(crate) threads: Option<usize>,
    /// Show a progress bar on stderr.
    pub(crate) progress: bool,
}

/// The shape of a scenario's results.
pub(crate) fn shape(s: &Scenario) -> Shape {
    Shape {
        years: s.years,
        cities: s.n_cities(),
        sectors: s.n_sectors(),
    }
}

/// The worker pool: `threads` threads, or one per core.
pub(crate) fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        builder = builder.num_threads(t);
    }
    builder.build().context("cannot start the worker threads")
}

/// `paths` cut into consecutive chunks of at most `size` paths.
pub(crate) fn chunks(paths: &Range<u64>, size: u64) -> Vec<Range<u64>> {
    paths
        .clone()
        .step_by(size as usize)
        .map(|a| a..(a + size).min(paths.end))
        .collect()
}

/// Runs the paths of `config` on `s`.
pub(crate) fn run(s: &Scenario, config: &RunConfig) -> Result<PathSet> {
    let pool = pool(config.threads)?;
    let plan = Plan::new(s);
    let range = config.paths.clone();
    let chunks = chunks(&range, CHUNK);
    let bar = if config.progress {
        let bar = ProgressBar::new(range.end - range.start);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {pos}/{len} paths [{elapsed_precise} / eta {eta}] {per_sec}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    // Chunks run in waves, each appended (and dropped) before the next
    // starts, so memory holds the result plus one wave, not two copies.
    let mut all = PathSet::with_capacity(shape(s), range.start, range.end - range.start);
    for wave in chunks.chunks(WAVE) {
        let parts: Vec<PathSet> = pool.install(|| {
            wave.par_iter()
                .map(|chunk| {
                    let part = run_chunk(&plan, config.seed, chunk.clone());
                    bar.inc(chunk.end - chunk.start);
                    part
                })
                .collect::<Result<_, OutOfRange>>()
        })?;
        for part in &parts {
            all.append(part).map_err(anyhow::Error::msg)?;
        }
    }
    bar.finish_and_clear();
    Ok(all)
}

/// Runs one chunk of paths with buffers allocated once for the chunk.
fn run_chunk(plan: &Plan, seed: u64, paths: Range<u64>) -> Result<PathSet, OutOfRange> {
    let s = plan.scenario;
    let mut engine = Engine::new(plan);
    let mut sampler = MonteCarlo::new(seed, s, paths.start);
    let mut acc = YearAccumulator::new(s);
    let mut set = PathSet::with_capacity(shape(s), paths.start, paths.end - paths.start);
    for path in paths {
        sampler.set_path(path);
        acc.reset();
        engine.run(&mut sampler, &mut acc);
        set.record(&acc)?;
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shards are contiguous, cover every path once, and parse strictly.
    #[test]
    fn shards_partition_the_paths() {
        for n in 1..=7 {
            let mut next = 0;
            for k in 1..=n {
                let r = Shard { index: k, count: n }.range(1000);
                assert_eq!(r.start, next);
                next = r.end;
            }
            assert_eq!(next, 1000);
        }
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "1", "a/b", "1/0"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
