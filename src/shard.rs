//! Shards on disk and their merge. A shard's output folder holds
//! `manifest.json` (what was run), `scenario.toml` (the scenario text, so the
//! merge needs nothing else) and `paths.bin` (its [`PathSet`], little-endian,
//! layout below). `fundsim merge` reads the folders of all N shards of one
//! run, checks that they belong together and cover every path once, and
//! appends them in path order: the result is the [`PathSet`] of one run of
//! all the paths, so its outputs are byte-identical to that run's.
//!
//! `paths.bin`: the 8 bytes `FSIMPATH`, a `u32` format version, then the
//! arrays of the path set in this order, each without a length (the
//! manifest's shape and path count give the lengths): `lines` (`f32`),
//! `flags` (`u8`), `months_below_rule` (`u16`), `gap_total_by_payer`
//! (`f64`), the nine `i128` arrays of the exact sums, `finite` (`u64`),
//! the months-below total (`u64`) and each payer's worst year (`f64`).

use crate::report::RunMeta;
use crate::runner::Shard;
use crate::stats::paths::{ExactSums, PathSet, Shape};
use anyhow::{Context, Result, bail, ensure};
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::Path;

const MAGIC: &[u8; 8] = b"FSIMPATH";
const VERSION: u32 = 3;

/// What a Monte Carlo run (or one shard of it) was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// fundsim version.
    pub tool_version: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file as given.
    pub source: String,
    /// SHA-256 of the scenario file.
    pub input_sha256: String,
    /// Horizon in years (after any `--years`).
    pub years: usize,
    /// Master seed.
    pub seed: u64,
    /// Paths of the whole run.
    pub paths: u64,
    /// Which shard this is (`null` for a whole run).
    pub shard: Option<Shard>,
    /// Path indices held: `[first_path, first_path + shard_paths)`.
    pub first_path: u64,
    /// Paths held.
    pub shard_paths: u64,
    /// Shape of the results.
    pub shape: Shape,
}

impl Manifest {
    /// The manifest of a run.
    pub fn new(meta: &RunMeta, seed: u64, paths: u64, shard: Shard, set: &PathSet) -> Manifest {
        Manifest {
            tool_version: meta.tool_version.clone(),
            scenario: meta.scenario.clone(),
            source: meta.source.clone(),
            input_sha256: meta.input_sha256.clone(),
            years: meta.years,
            seed,
            paths,
            shard: (!shard.is_all()).then_some(shard),
            first_path: set.first_path,
            shard_paths: set.paths,
            shape: set.shape,
        }
    }
}

/// Encodes a path set as `paths.bin`.
pub fn encode(set: &PathSet) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        16 + set.lines.len() * 4 + set.flags.len() * 3 + set.gap_total_by_payer.len() * 8,
    );
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    set.lines
        .iter()
        .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    out.extend_from_slice(&set.flags);
    set.months_below_rule
        .iter()
        .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    set.gap_total_by_payer
        .iter()
        .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    for field in set.sums.money_fields() {
        field
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    }
    set.sums
        .finite
        .iter()
        .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    out.extend_from_slice(&set.sums.months_below_rule.to_le_bytes());
    set.sums
        .worst_year_by_payer
        .iter()
        .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N]> {
        ensure!(
            self.bytes.len() >= N,
            "paths.bin is shorter than its manifest says"
        );
        let (head, rest) = self.bytes.split_at(N);
        self.bytes = rest;
        Ok(head.try_into().expect("split_at gives N bytes"))
    }

    fn many<T, const N: usize>(&mut self, n: usize, f: fn([u8; N]) -> T) -> Result<Vec<T>> {
        (0..n).map(|_| self.take::<N>().map(f)).collect()
    }
}

/// Decodes `paths.bin` for the set the manifest describes.
pub fn decode(bytes: &[u8], m: &Manifest) -> Result<PathSet> {
    let mut r = Reader { bytes };
    ensure!(&r.take::<8>()? == MAGIC, "not a fundsim paths.bin file");
    let version = u32::from_le_bytes(r.take()?);
    ensure!(
        version == VERSION,
        "paths.bin format {version}, this fundsim reads format {VERSION}"
    );
    let shape = m.shape;
    let n = m.shard_paths as usize;
    let h = shape.years;
    let mut set = PathSet::new(shape, m.first_path);
    set.paths = m.shard_paths;
    set.lines = r.many(n * h * crate::lines::N_LINES, f32::from_le_bytes)?;
    set.flags = r.many(n * h, |b: [u8; 1]| b[0])?;
    set.months_below_rule = r.many(n, u16::from_le_bytes)?;
    set.gap_total_by_payer = r.many(n * shape.payers(), f64::from_le_bytes)?;
    let mut sums = ExactSums::default();
    let lengths = [
        h * shape.cities * crate::engine::CITY_LINES.len(),
        h * crate::lines::N_LINES,
        h * shape.cities,
        h * shape.cities,
        h,
        h * shape.sectors,
        h * shape.sectors,
        h * shape.sectors,
        h * shape.payers(),
    ];
    for (field, len) in sums.money_fields_mut().into_iter().zip(lengths) {
        *field = r.many(len, i128::from_le_bytes)?;
    }
    sums.finite = r.many(h * crate::lines::N_LINES, u64::from_le_bytes)?;
    sums.months_below_rule = u64::from_le_bytes(r.take()?);
    sums.worst_year_by_payer = r.many(shape.payers(), f64::from_le_bytes)?;
    ensure!(
        r.bytes.is_empty(),
        "paths.bin is longer than its manifest says"
    );
    set.sums = sums;
    Ok(set)
}

/// Writes a shard's files into an (already temporary) folder.
pub fn write(dir: &Path, manifest: &Manifest, scenario_text: &str, set: &PathSet) -> Result<()> {
    let json = serde_json::to_string_pretty(manifest)? + "\n";
    fs::write(dir.join("manifest.json"), json).context("cannot write manifest.json")?;
    fs::write(dir.join("scenario.toml"), scenario_text).context("cannot write scenario.toml")?;
    fs::write(dir.join("paths.bin"), encode(set)).context("cannot write paths.bin")?;
    Ok(())
}

/// One shard read back.
pub struct ShardFiles {
    /// Its manifest.
    pub manifest: Manifest,
    /// The scenario text it ran.
    pub scenario_text: String,
    /// Its paths.
    pub set: PathSet,
}

/// Reads a shard folder.
pub fn read(dir: &Path) -> Result<ShardFiles> {
    let text = fs::read_to_string(dir.join("manifest.json")).with_context(|| {
        format!(
            "{}: no manifest.json (is it a shard written with --shard?)",
            dir.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("{}: manifest.json is not a shard manifest", dir.display()))?;
    let scenario_text = fs::read_to_string(dir.join("scenario.toml"))
        .with_context(|| format!("{}: no scenario.toml", dir.display()))?;
    let bytes = fs::read(dir.join("paths.bin"))
        .with_context(|| format!("{}: no paths.bin", dir.display()))?;
    let set = decode(&bytes, &manifest).with_context(|| format!("{}/paths.bin", dir.display()))?;
    Ok(ShardFiles {
        manifest,
        scenario_text,
        set,
    })
}

/// Checks that shards make one whole run and appends them in path order.
pub fn merge(mut shards: Vec<ShardFiles>) -> Result<ShardFiles> {
    ensure!(!shards.is_empty(), "nothing to merge");
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
        for (what, a, b) in [
            (
                "scenario file (input_sha256)",
                &m.input_sha256,
                &first.input_sha256,
            ),
            ("fundsim version", &m.tool_version, &first.tool_version),
        ] {
            ensure!(
                a == b,
                "shards come from different runs: {what} differs ({a} vs {b})"
            );
        }
        ensure!(
            m.seed == first.seed && m.paths == first.paths && m.years == first.years,
            "shards come from different runs: seed, paths or years differ"
        );
        ensure!(
            m.shard.map_or(1, |s| s.count) == count,
            "shards come from runs split in different numbers of shards"
        );
    }
    let got: Vec<u64> = shards
        .iter()
        .map(|s| s.manifest.shard.map_or(1, |s| s.index))
        .collect();
    let want: Vec<u64> = (1..=count).collect();
    if got != want {
        bail!("a run split in {count} shards needs shards 1..{count} once each; got {got:?}");
    }
    let mut iter = shards.into_iter();
    let mut whole = iter.next().expect("checked non-empty");
    for s in iter {
        whole.set.append(&s.set).map_err(anyhow::Error::msg)?;
    }
    ensure!(
        whole.set.paths == whole.manifest.paths,
        "shards hold {} of {} paths",
        whole.set.paths,
        whole.manifest.paths
    );
    whole.manifest.shard = None;
    whole.manifest.shard_paths = whole.set.paths;
    whole.manifest.first_path = 0;
    Ok(whole)
}
