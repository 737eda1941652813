//! Shards of one Monte Carlo run and their merge. A shard's folder holds
//! `manifest.json` (what was run: [`Manifest`], with the SHA-256 of
//! `paths.bin`), `scenario.toml` (the scenario text, so the merge needs
//! nothing else) and `paths.bin` (its [`PathSet`], [`PathSet::encode`]).
//! The reader (`crate::input`'s `read_shard_head` and `read_shard_paths`)
//! trusts none of them: it checks the manifest's fields and their
//! consistency, the scenario against its SHA-256, the shape against the
//! scenario and the length of `paths.bin` (computed with checked
//! arithmetic) before reading it, its SHA-256 before decoding it, and the
//! decoded values against the law. [`merge_from`] checks on the heads that
//! shards belong together and cover every path once, then reads and
//! appends their paths in path order, one shard at a time: the result is
//! the [`PathSet`] of one run of
//! all the paths, so its outputs are byte-identical to that run's.
//!
//! `paths.bin` (format 6, little-endian): the 8 bytes `FSIMPATH`, a `u32`
//! format version, then without lengths (the manifest's shape and path
//! count give them): the lines of every path and year (`f32`), the flags
//! (`u8`), the months below the rule (`u16`), each path's net burden by
//! payer (`f64`), each path's gap transfers (`f64`), then the exact sums —
//! lines (`i128`), finite counts (`u64`), each year's breakdown (`i128`),
//! the provincial lines (`i128`) —, the months-below total (`u64`) and each
//! payer's worst year (`f64`). Format 6 has format 5's layout; its number
//! changed when the manifest began to record the file's SHA-256, so that
//! an older fundsim, which would not verify it, refuses the file.

use super::paths::{NoRoom, PathSet, Shape};
use super::runner::Shard;
use crate::model::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// What a Monte Carlo run (or one shard of it) was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// fundsim version.
    pub(crate) tool_version: String,
    /// Scenario name.
    pub(crate) scenario: String,
    /// Scenario file as given.
    pub(crate) source: String,
    /// SHA-256 of the scenario file.
    pub(crate) input_sha256: String,
    /// Horizon in years (after any `--years`).
    pub(crate) years: usize,
    /// Master seed.
    pub(crate) seed: u64,
    /// Paths of the whole run.
    pub(crate) paths: u64,
    /// Which shard this is (`null` for a whole run).
    pub(crate) shard: Option<Shard>,
    /// Path indices held: `[first_path, first_path + shard_paths)`.
    pub(crate) first_path: u64,
    /// Paths held.
    pub(crate) shard_paths: u64,
    /// Shape of the results.
    pub(crate) shape: Shape,
    /// SHA-256 of the shard's `paths.bin`, hex: a shard's manifest has it,
    /// a whole run's (and so a merged run's) has not, so that their
    /// manifests stay those of one run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) paths_sha256: Option<String>,
}

/// One shard's manifest and the scenario it ran, read before its paths.
pub(crate) struct ShardHead {
    /// Its manifest.
    pub(crate) manifest: Manifest,
    /// The scenario text it ran.
    pub(crate) scenario_text: String,
    /// That scenario, parsed, with the manifest's horizon.
    pub(crate) scenario: Scenario,
}

/// One shard: its manifest, the scenario it ran and its paths.
pub(crate) struct ShardFiles {
    /// Its manifest.
    pub(crate) manifest: Manifest,
    /// The scenario text it ran.
    pub(crate) scenario_text: String,
    /// That scenario, parsed, with the manifest's horizon.
    pub(crate) scenario: Scenario,
    /// Its paths.
    pub(crate) set: PathSet,
}

/// Why shards cannot be merged.
#[derive(Debug, thiserror::Error)]
pub(crate) enum MergeError {
    /// Nothing to merge.
    #[error("nothing to merge")]
    Empty,
    /// Shards of different runs.
    #[error("shards come from different runs: {what} differs ({a} vs {b})")]
    DifferentRuns {
        /// What differs.
        what: &'static str,
        /// One value.
        a: String,
        /// The other.
        b: String,
    },
    /// Shards missing or repeated.
    #[error("a run split in {count} shards needs shards 1..{count} once each; got {got:?}")]
    Incomplete {
        /// Shards of the run.
        count: u64,
        /// Shards given.
        got: Vec<u64>,
    },
    /// The paths do not line up.
    #[error("{0}")]
    Paths(String),
    /// The merged run's statistics do not fit in memory.
    #[error(transparent)]
    NoRoom(#[from] NoRoom),
}

/// Why a merge stopped: the shards do not make one run, or one shard's
/// paths could not be loaded.
#[derive(Debug)]
pub(crate) enum MergeFailure<E> {
    /// The shards do not make one run.
    Merge(MergeError),
    /// Loading a shard's paths failed.
    Load(E),
}

impl<E> From<MergeError> for MergeFailure<E> {
    fn from(e: MergeError) -> Self {
        MergeFailure::Merge(e)
    }
}

/// Checks on the heads alone that shards make one whole run, then loads
/// each shard's paths with `load` and appends them in path order, one
/// shard at a time, into a set sized once for the whole run: the merge
/// holds the run's paths and one shard's, not every shard's as well.
pub(crate) fn merge_from<X, E>(
    mut shards: Vec<(ShardHead, X)>,
    mut load: impl FnMut(X, &ShardHead) -> Result<PathSet, E>,
) -> Result<ShardFiles, MergeFailure<E>> {
    if shards.is_empty() {
        return Err(MergeError::Empty.into());
    }
    // an empty shard starts where the next one does: order by index too
    shards.sort_by_key(|(h, _)| {
        (
            h.manifest.first_path,
            h.manifest.shard.map_or(1, |x| x.index),
        )
    });
    let first = &shards[0].0.manifest;
    let count = first.shard.map_or(1, |s| s.count);
    for (h, _) in &shards {
        let m = &h.manifest;
        let differs = |what: &'static str, a: String, b: String| {
            if a == b {
                Ok(())
            } else {
                Err(MergeError::DifferentRuns { what, a, b })
            }
        };
        differs(
            "scenario file (input_sha256)",
            m.input_sha256.clone(),
            first.input_sha256.clone(),
        )?;
        differs(
            "fundsim version",
            m.tool_version.clone(),
            first.tool_version.clone(),
        )?;
        differs("seed", m.seed.to_string(), first.seed.to_string())?;
        differs("paths", m.paths.to_string(), first.paths.to_string())?;
        differs("years", m.years.to_string(), first.years.to_string())?;
        differs(
            "shard count",
            m.shard.map_or(1, |s| s.count).to_string(),
            count.to_string(),
        )?;
    }
    let got: Vec<u64> = shards
        .iter()
        .map(|(h, _)| h.manifest.shard.map_or(1, |s| s.index))
        .collect();
    // compared without listing 1..=count, which a manifest makes any size
    let once_each = got.len() as u64 == count && got.iter().zip(1..).all(|(k, i)| *k == i);
    if !once_each {
        return Err(MergeError::Incomplete { count, got }.into());
    }
    // every shard's paths.bin has its manifest's length (checked with the
    // head), so the sum is backed by files and safe to reserve
    let held = shards
        .iter()
        .try_fold(0u64, |n, (h, _)| n.checked_add(h.manifest.shard_paths));
    let paths = first.paths;
    if held != Some(paths) {
        return Err(MergeError::Paths(match held {
            Some(n) => format!("shards hold {n} of {paths} paths"),
            None => format!("shards hold more than {paths} paths"),
        })
        .into());
    }
    let mut set = PathSet::try_with_capacity(first.shape, first.first_path, paths)
        .map_err(MergeError::NoRoom)?;
    let mut whole_head = None;
    for (h, x) in shards {
        let part = load(x, &h).map_err(MergeFailure::Load)?;
        set.append(&part).map_err(MergeError::Paths)?;
        // the first shard's head, in path order, heads the merged run
        whole_head.get_or_insert(h);
    }
    if set.paths() != paths {
        return Err(
            MergeError::Paths(format!("shards hold {} of {paths} paths", set.paths())).into(),
        );
    }
    let head = whole_head.expect("checked non-empty");
    let mut manifest = head.manifest;
    manifest.shard = None;
    manifest.paths_sha256 = None;
    manifest.shard_paths = set.paths();
    manifest.first_path = 0;
    Ok(ShardFiles {
        manifest,
        scenario_text: head.scenario_text,
        scenario: head.scenario,
        set,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Source, parse_scenario};
    use crate::stats::runner::{self, RunConfig, shape};

    fn tiny() -> Scenario {
        let text = include_str!("../../scenarios/tiny.toml");
        parse_scenario(&Source::new("tiny.toml".into(), text.into())).expect("a valid scenario")
    }

    /// The heads of a tiny run of 30 paths in 3 shards, each with its set.
    fn shards() -> (PathSet, Vec<(ShardHead, PathSet)>) {
        let s = tiny();
        let run = |paths| {
            let config = RunConfig {
                seed: 7,
                paths,
                threads: Some(1),
                progress: false,
            };
            runner::run(&s, &config).expect("tiny runs")
        };
        let parts = (1..=3)
            .map(|index| {
                let set = run((index - 1) * 10..index * 10);
                let manifest = Manifest {
                    tool_version: "test".into(),
                    scenario: s.name.clone(),
                    source: "tiny.toml".into(),
                    input_sha256: "0".into(),
                    years: s.years,
                    seed: 7,
                    paths: 30,
                    shard: Some(Shard { index, count: 3 }),
                    first_path: set.first_path(),
                    shard_paths: set.paths(),
                    shape: shape(&s),
                    paths_sha256: None,
                };
                let head = ShardHead {
                    manifest,
                    scenario_text: String::new(),
                    scenario: s.clone(),
                };
                (head, set)
            })
            .collect();
        (run(0..30), parts)
    }

    /// Shards given out of order are loaded one at a time in path order,
    /// and their merge is the whole run's set, byte for byte.
    #[test]
    fn merge_loads_in_path_order_and_gives_the_whole_run() {
        let (whole, mut parts) = shards();
        parts.rotate_left(1);
        let mut loaded = Vec::new();
        let merged = merge_from(parts, |set, head| {
            loaded.push(head.manifest.shard.map(|s| s.index));
            Ok::<_, String>(set)
        })
        .map_err(|_| "merge failed")
        .expect("three shards of one run");
        assert_eq!(loaded, [Some(1), Some(2), Some(3)]);
        assert_eq!(merged.set.encode(), whole.encode());
        assert_eq!(merged.manifest.shard, None);
        assert_eq!(merged.manifest.shard_paths, 30);
    }

    /// A missing shard, or a head that claims more paths than the run, is
    /// refused on the heads, before any shard's paths are read.
    #[test]
    fn merge_refuses_on_the_heads_before_loading() {
        for case in ["missing", "oversized"] {
            let (_, mut parts) = shards();
            match case {
                "missing" => drop(parts.remove(1)),
                _ => parts[1].0.manifest.shard_paths = u64::MAX,
            }
            let mut loads = 0;
            let got = merge_from(parts, |set, _| {
                loads += 1;
                Ok::<_, String>(set)
            });
            assert!(matches!(got, Err(MergeFailure::Merge(_))), "{case}");
            assert_eq!(loads, 0, "{case}");
        }
    }
}
