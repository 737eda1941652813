//! The parallel Monte Carlo runner: paths in fixed chunks on a rayon pool,
//! each path on its own streams (seed, path index), results gathered in
//! path order into one [`PathSet`]. Because every path's draws depend only
//! on its index and the sums are exact, the result is the same for any
//! number of threads and any split into shards.

use super::paths::{OutOfRange, PathSet, Shape};
use super::year::YearAccumulator;
use crate::engine::{
    Plan, Recorder, Replay, Tape, same_claims, same_claims_but_interest, same_counts, same_exits,
};
use crate::model::sampling::montecarlo::MonteCarlo;
use crate::model::sampling::reuse::{Draws, Reuse};
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

/// A progress bar over `paths` paths on stderr, or a hidden one.
fn progress_bar(show: bool, paths: u64) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(paths);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {pos}/{len} paths [{elapsed_precise} / eta {eta}] {per_sec}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
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
    run_family(&[vec![s]], config)?
        .pop()
        .and_then(|mut group| group.pop())
        .context("a run gives one set of paths")
}

/// Runs several scenarios on the paths of `config`: the sets `run` gives
/// for each, byte for byte. Scenarios with the claims side of an earlier
/// one ([`same_claims`]: a stress matrix's schemes, a rate schedule's
/// variants) share its draws: each path's claims are made once and
/// replayed under each scenario's fund rules. Scenarios that differ from
/// an earlier one only in the interest rate's mean
/// ([`same_claims_but_interest`]) take its tape of each path and draw their
/// drivers again. Scenarios whose cases cost more or less than an earlier
/// one's, or whose stocks are left at other hazards ([`same_counts`]: the
/// tornado's moves of the wage, the medical inflation, the indexation and
/// the exit hazards) run their claims side on that one's recorded counts
/// (and exits, where [`same_exits`]) instead of drawing them again.
pub(crate) fn run_many(scenarios: &[&Scenario], config: &RunConfig) -> Result<Vec<PathSet>> {
    run_many_with(scenarios, config, |_, set| Ok(set))
}

/// [`run_many`], handing each scenario's set to `keep` (with its index) as
/// soon as its family is done, so that only one family's sets are held.
pub(crate) fn run_many_with<T>(
    scenarios: &[&Scenario],
    config: &RunConfig,
    mut keep: impl FnMut(usize, PathSet) -> Result<T>,
) -> Result<Vec<T>> {
    // groups of scenarios sharing a claims side, in order of first appearance
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, s) in scenarios.iter().enumerate() {
        match groups.iter_mut().find(|g| same_claims(scenarios[g[0]], s)) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    let paths = config.paths.end - config.paths.start;
    let families = families(scenarios, groups, paths, FAMILY_BYTES_MAX);
    let mut out: Vec<Option<T>> = (0..scenarios.len()).map(|_| None).collect();
    for family in families {
        let members: Vec<Vec<&Scenario>> = family
            .iter()
            .map(|g| g.iter().map(|i| scenarios[*i]).collect())
            .collect();
        let sets = run_family(&members, config)?;
        for (group, group_sets) in family.into_iter().zip(sets) {
            for (i, set) in group.into_iter().zip(group_sets) {
                out[i] = Some(keep(i, set)?);
            }
        }
    }
    Ok(out.into_iter().flatten().collect())
}

/// The most memory the sets of one family of groups may take
/// ([`families`]).
pub(crate) const FAMILY_BYTES_MAX: usize = 1 << 30;

/// `groups` (of scenarios sharing a claims side) gathered into families
/// that share the first group's counts ([`same_counts`]), in order of first
/// appearance. A family holds every member's set until its last path, so a
/// group joins one only while their sets of `paths` paths take at most
/// `cap` bytes; past that it starts a family of its own, which draws the
/// counts again (the same results, more slowly).
pub(crate) fn families(
    scenarios: &[&Scenario],
    groups: Vec<Vec<usize>>,
    paths: u64,
    cap: usize,
) -> Vec<Vec<Vec<usize>>> {
    let bytes = |group: &[usize]| -> usize {
        group
            .iter()
            .map(|i| PathSet::bytes_for(shape(scenarios[*i]), paths))
            .fold(0, usize::saturating_add)
    };
    let mut families: Vec<(Vec<Vec<usize>>, usize)> = Vec::new();
    for group in groups {
        let (first, size) = (scenarios[group[0]], bytes(&group));
        match families.iter_mut().find(|(f, held)| {
            same_counts(scenarios[f[0][0]], first) && held.saturating_add(size) <= cap
        }) {
            Some((f, held)) => {
                f.push(group);
                *held += size;
            }
            None => families.push((vec![group], size)),
        }
    }
    families.into_iter().map(|(f, _)| f).collect()
}

/// [`run_many`] for one family: groups of scenarios, each group sharing a
/// claims side, every group's counts those of the first group.
fn run_family(groups: &[Vec<&Scenario>], config: &RunConfig) -> Result<Vec<Vec<PathSet>>> {
    let pool = pool(config.threads)?;
    let plans: Vec<Vec<Plan>> = groups
        .iter()
        .map(|g| g.iter().map(|s| Plan::new(s)).collect())
        .collect();
    let range = config.paths.clone();
    let chunks = chunks(&range, CHUNK);
    let bar = progress_bar(config.progress, range.end - range.start);
    let mut all: Vec<Vec<PathSet>> = groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|s| PathSet::try_with_capacity(shape(s), range.start, range.end - range.start))
                .collect()
        })
        .collect::<Result<_, _>>()?;
    for wave in chunks.chunks(WAVE) {
        let parts: Vec<Vec<Vec<PathSet>>> = pool.install(|| {
            wave.par_iter()
                .map(|chunk| {
                    let part = family_chunk(&plans, config.seed, chunk.clone());
                    bar.inc(chunk.end - chunk.start);
                    part
                })
                .collect::<Result<_, OutOfRange>>()
        })?;
        for part in &parts {
            for (sets, p) in all.iter_mut().zip(part) {
                for (set, q) in sets.iter_mut().zip(p) {
                    set.append(q).map_err(anyhow::Error::msg)?;
                }
            }
        }
    }
    bar.finish_and_clear();
    Ok(all)
}

/// Where a group other than a family's first takes its claims from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The first group's tape, with the group's own drivers drawn again
    /// ([`same_claims_but_interest`]).
    Tape,
    /// Its own claims pass on the first group's counts, and on its exits
    /// too when `exits` ([`same_counts`], [`same_exits`]).
    Counts { exits: bool },
}

/// One group's buffers for a chunk of paths: its own sampler (a drawn sd's
/// cap depends on the driver's mean, which may differ within a family),
/// its claims side, one tape, and its members' fund sides.
struct GroupChunk<'p> {
    sampler: MonteCarlo,
    recorder: Recorder<'p>,
    tape: Tape,
    members: Members<'p>,
    /// What the group takes from the family's first group.
    source: Source,
}

/// Each member's fund side, accumulator and paths.
struct Members<'p> {
    replays: Vec<Replay<'p>>,
    accs: Vec<YearAccumulator>,
    sets: Vec<PathSet>,
}

impl Members<'_> {
    /// Replays a path's tape under each member's fund rules.
    fn replay(&mut self, tape: &Tape) -> Result<(), OutOfRange> {
        for ((replay, acc), set) in self
            .replays
            .iter_mut()
            .zip(&mut self.accs)
            .zip(&mut self.sets)
        {
            acc.reset();
            replay.run(tape, acc);
            set.record(acc)?;
        }
        Ok(())
    }
}

impl<'p> GroupChunk<'p> {
    fn new(
        plans: &'p [Plan<'p>],
        first: &Scenario,
        seed: u64,
        paths: &Range<u64>,
    ) -> GroupChunk<'p> {
        let s = plans[0].scenario;
        let recorder = Recorder::new(s);
        GroupChunk {
            sampler: MonteCarlo::new(seed, s, paths.start),
            tape: recorder.tape(),
            recorder,
            members: Members {
                replays: plans.iter().map(Replay::new).collect(),
                accs: plans
                    .iter()
                    .map(|p| YearAccumulator::new(p.scenario))
                    .collect(),
                sets: plans
                    .iter()
                    .map(|p| {
                        PathSet::with_capacity(
                            shape(p.scenario),
                            paths.start,
                            paths.end - paths.start,
                        )
                    })
                    .collect(),
            },
            source: if same_claims_but_interest(first, s) {
                Source::Tape
            } else {
                Source::Counts {
                    exits: same_exits(first, s),
                }
            },
        }
    }
}

/// One chunk of paths of a family, with buffers allocated once for the
/// chunk: each path's claims recorded by the first group (its counts and
/// exits kept when another group reuses them) and replayed under its
/// members' fund rules; then each other group's: its own claims pass on
/// those counts, or, for a group that needs only its drivers drawn again,
/// the first group's tape itself, already replayed, with the group's
/// drivers drawn onto it (each such group rewrites every year's drivers,
/// and the next path's pass rewrites the whole tape).
fn family_chunk(
    plans: &[Vec<Plan>],
    seed: u64,
    paths: Range<u64>,
) -> Result<Vec<Vec<PathSet>>, OutOfRange> {
    let first = plans[0][0].scenario;
    let mut groups: Vec<GroupChunk> = plans
        .iter()
        .map(|p| GroupChunk::new(p, first, seed, &paths))
        .collect();
    let mut draws = Draws::default();
    let (head, rest) = groups
        .split_first_mut()
        .expect("a family has a first group");
    let counts_wanted = rest
        .iter()
        .any(|g| matches!(g.source, Source::Counts { .. }));
    for path in paths {
        head.sampler.set_path(path);
        if counts_wanted {
            let mut recording = Reuse::recording(&mut head.sampler, &mut draws);
            head.recorder.record(&mut recording, &mut head.tape);
        } else {
            head.recorder.record(&mut head.sampler, &mut head.tape);
        }
        head.members.replay(&head.tape)?;
        for group in rest.iter_mut() {
            let sampler = &mut group.sampler;
            sampler.set_path(path);
            match group.source {
                Source::Tape => {
                    group.recorder.redraw_drivers(sampler, &mut head.tape);
                    group.members.replay(&head.tape)?;
                }
                Source::Counts { exits } => {
                    let mut reusing = Reuse::reusing(sampler, &draws, exits);
                    group.recorder.record(&mut reusing, &mut group.tape);
                    group.members.replay(&group.tape)?;
                }
            }
        }
    }
    Ok(groups.into_iter().map(|g| g.members.sets).collect())
}

/// The most memory [`Recorded`] keeps its tapes in.
pub(crate) const RECORDED_BYTES_MAX: usize = 1 << 30;

/// Every path's claims tape of one scenario, kept to run fund-side
/// variants of it (rate schedules, a rate solver's candidates) without
/// drawing again; past [`RECORDED_BYTES_MAX`] no tapes are kept and every
/// variant is run afresh (the same results, more slowly).
pub(crate) struct Recorded {
    scenario: Scenario,
    config: RunConfig,
    tapes: Option<Vec<Tape>>,
}

impl Recorded {
    /// Records the paths of `config` on `s`, unless their tapes would take
    /// more than [`RECORDED_BYTES_MAX`].
    pub(crate) fn new(s: &Scenario, config: &RunConfig) -> Result<Recorded> {
        let recorder = Recorder::new(s);
        let paths = config.paths.end - config.paths.start;
        if recorder.tape().bytes().saturating_mul(paths as usize) > RECORDED_BYTES_MAX {
            return Ok(Recorded {
                scenario: s.clone(),
                config: config.clone(),
                tapes: None,
            });
        }
        let pool = pool(config.threads)?;
        let chunks = chunks(&config.paths, CHUNK);
        let bar = progress_bar(config.progress, paths);
        let parts: Vec<Vec<Tape>> = pool.install(|| {
            chunks
                .par_iter()
                .map(|chunk| {
                    let mut recorder = Recorder::new(s);
                    let mut sampler = MonteCarlo::new(config.seed, s, chunk.start);
                    let tapes = chunk
                        .clone()
                        .map(|path| {
                            let mut tape = recorder.tape();
                            sampler.set_path(path);
                            recorder.record(&mut sampler, &mut tape);
                            tape
                        })
                        .collect();
                    bar.inc(chunk.end - chunk.start);
                    tapes
                })
                .collect()
        });
        bar.finish_and_clear();
        Ok(Recorded {
            scenario: s.clone(),
            config: config.clone(),
            tapes: Some(parts.into_iter().flatten().collect()),
        })
    }

    /// What [`run`] gives for `s` on the recorded paths, byte for byte:
    /// replayed from the tapes when `s` has the recorded scenario's claims
    /// side ([`same_claims`]), run afresh otherwise.
    pub(crate) fn run(&self, s: &Scenario) -> Result<PathSet> {
        let Some(tapes) = self
            .tapes
            .as_ref()
            .filter(|_| same_claims(&self.scenario, s))
        else {
            return run(s, &self.config);
        };
        let pool = pool(self.config.threads)?;
        let plan = Plan::new(s);
        let range = self.config.paths.clone();
        let chunks = chunks(&range, CHUNK);
        // the whole set's room first: no work for a run that cannot be held
        let mut all = PathSet::try_with_capacity(shape(s), range.start, range.end - range.start)?;
        let parts: Vec<PathSet> = pool.install(|| {
            chunks
                .par_iter()
                .map(|chunk| {
                    let mut replay = Replay::new(&plan);
                    let mut acc = YearAccumulator::new(s);
                    let mut set =
                        PathSet::with_capacity(shape(s), chunk.start, chunk.end - chunk.start);
                    for path in chunk.clone() {
                        acc.reset();
                        replay.run(&tapes[(path - range.start) as usize], &mut acc);
                        set.record(&acc)?;
                    }
                    Ok(set)
                })
                .collect::<Result<_, OutOfRange>>()
        })?;
        for part in &parts {
            all.append(part).map_err(anyhow::Error::msg)?;
        }
        Ok(all)
    }
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
