//! Shards of one Monte Carlo run and their merge. A shard's folder holds
//! `manifest.json` (what was run: [`Manifest`], with the SHA-256 of
//! `paths.bin`), `scenario.toml` (the scenario text, so the merge needs
//! nothing else) and `paths.bin` (its [`PathSet`], [`PathSet::encode`]).
//! The reader (`crate::input`'s `read_shard`) trusts none of them: it checks
//! the manifest's fields and their consistency, the scenario against its
//! SHA-256 and the shape against the scenario, the length of `paths.bin`
//! (computed with checked arithmetic) before reading it, its SHA-256 before
//! decoding it, and the decoded values against the law. [`merge`] then
//! checks that shards belong together and cover every path once, and
//! appends them in path order: the result is the [`PathSet`] of one run of
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

use super::paths::{PathSet, Shape};
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
}

/// Checks that shards make one whole run and appends them in path order.
pub(crate) fn merge(mut shards: Vec<ShardFiles>) -> Result<ShardFiles, MergeError> {
    if shards.is_empty() {
        return Err(MergeError::Empty);
    }
    // an empty shard starts where the next one does: order by index too
    shards.sort_by_key(|s| {
        (
            s.manifest.first_path,
            s.manifest.shard.map_or(1, |x| x.index),
        )
    });
    let first = &shards[0].manifest;
    let count = first.shard.map_or(1, |s| s.count);
    for s in &shards {
        let m = &s.manifest;
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
        .map(|s| s.manifest.shard.map_or(1, |s| s.index))
        .collect();
    // compared without listing 1..=count, which a manifest makes any size
    let once_each = got.len() as u64 == count && got.iter().zip(1..).all(|(k, i)| *k == i);
    if !once_each {
        return Err(MergeError::Incomplete { count, got });
    }
    let mut iter = shards.into_iter();
    let mut whole = iter.next().expect("checked non-empty");
    for s in iter {
        whole.set.append(&s.set).map_err(MergeError::Paths)?;
    }
    if whole.set.paths() != whole.manifest.paths {
        return Err(MergeError::Paths(format!(
            "shards hold {} of {} paths",
            whole.set.paths(),
            whole.manifest.paths
        )));
    }
    whole.manifest.shard = None;
    whole.manifest.paths_sha256 = None;
    whole.manifest.shard_paths = whole.set.paths();
    whole.manifest.first_path = 0;
    Ok(whole)
}
