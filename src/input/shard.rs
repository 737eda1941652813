//! Reading a shard's folder (written by `fundsim simulate --shard K/N`) as
//! untrusted input: its `manifest.json`, `scenario.toml` and `paths.bin`,
//! each checked before the next step relies on it, so that a damaged,
//! truncated, inconsistent or hostile shard is refused with a message
//! naming the folder, the file, the field and the value, and nothing is
//! allocated beyond the files' own sizes. The order:
//! 1. the manifest: its size, its fields ([`manifest::parse`]), their
//!    consistency and bounds ([`manifest::check`]);
//! 2. the scenario: its SHA-256 against the manifest's, then parsed, with
//!    the manifest's horizon, and the manifest's shape against it;
//! 3. `paths.bin`: its length (from the shape and path count, with checked
//!    arithmetic) against the file's before reading it, its SHA-256 against
//!    the manifest's before decoding it, then the decoded values.

mod manifest;
mod problem;

use super::{InputError, Source, parse_scenario, sha256_hex};
use crate::model::scenario::Scenario;
use crate::stats::paths::{CodecError, PathSet, expected_len};
use crate::stats::runner::shape;
use crate::stats::shard::{Manifest, ShardHead};
pub(crate) use problem::ShardProblem;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The largest `manifest.json` read (a shard's holds about 500 bytes).
const MANIFEST_LIMIT: u64 = 64 * 1024;

/// Steps 1 and 2 of a shard folder, and the length of its `paths.bin`
/// against the manifest's shape and path count, without reading the file:
/// what a merge checks of every shard before it holds any shard's paths.
pub(crate) fn read_shard_head(dir: &Path) -> Result<ShardHead, InputError> {
    let fail = |problem: ShardProblem| InputError::Shard {
        dir: dir.display().to_string(),
        problem,
    };
    let manifest = read_manifest(dir).map_err(&fail)?;
    let (scenario_text, scenario) = read_scenario(dir, &manifest)?;
    check_shape(&manifest, &scenario).map_err(&fail)?;
    open_paths(dir, &manifest).map_err(&fail)?;
    Ok(ShardHead {
        manifest,
        scenario_text,
        scenario,
    })
}

/// Step 3: the shard's `paths.bin`, read, checked and decoded.
pub(crate) fn read_shard_paths(dir: &Path, head: &ShardHead) -> Result<PathSet, InputError> {
    let fail = |problem: ShardProblem| InputError::Shard {
        dir: dir.display().to_string(),
        problem,
    };
    let set = read_paths(dir, &head.manifest).map_err(&fail)?;
    set.check_opening(head.scenario.fund.opening_balance)
        .map_err(|e| fail(e.into()))?;
    Ok(set)
}

/// The manifest, parsed and checked on its own.
fn read_manifest(dir: &Path) -> Result<Manifest, ShardProblem> {
    let (f, length) = open(dir, "manifest.json")?;
    let too_large = ShardProblem::ManifestTooLarge {
        limit: MANIFEST_LIMIT,
    };
    if length > MANIFEST_LIMIT {
        return Err(too_large);
    }
    let bytes = read(f, "manifest.json", length, MANIFEST_LIMIT)?;
    if bytes.len() as u64 > MANIFEST_LIMIT {
        return Err(too_large);
    }
    let manifest = manifest::parse(&String::from_utf8_lossy(&bytes))?;
    manifest::check(&manifest)?;
    Ok(manifest)
}

/// The shard's scenario text, checked against the manifest's SHA-256, and
/// the scenario parsed with the manifest's horizon. Its problems name the
/// folder's `scenario.toml`.
fn read_scenario(dir: &Path, m: &Manifest) -> Result<(String, Scenario), InputError> {
    let path = dir.join("scenario.toml");
    let source = Source::read(&path, "shard scenario")?;
    if source.sha256 != m.input_sha256 {
        return Err(InputError::Shard {
            dir: dir.display().to_string(),
            problem: ShardProblem::ScenarioChanged {
                found: source.sha256,
                expected: m.input_sha256.clone(),
            },
        });
    }
    let scenario = parse_scenario(&source)?
        .with_years(m.years)
        .map_err(|p| InputError::Shard {
            dir: dir.display().to_string(),
            problem: ShardProblem::Value {
                field: "years",
                value: p.value,
                expected: p.allowed,
            },
        })?;
    Ok((source.text, scenario))
}

/// The manifest's shape is its scenario's: the same horizon, cities and
/// sectors, so that no city's numbers are read under another's name.
fn check_shape(m: &Manifest, s: &Scenario) -> Result<(), ShardProblem> {
    let want = shape(s);
    for (field, manifest, scenario, what) in [
        (
            "shape.years",
            m.shape.years,
            want.years,
            "years (after --years)",
        ),
        ("shape.cities", m.shape.cities, want.cities, "cities"),
        ("shape.sectors", m.shape.sectors, want.sectors, "sectors"),
    ] {
        if manifest != scenario {
            return Err(ShardProblem::ShapeDiffers {
                field,
                manifest,
                scenario,
                what,
            });
        }
    }
    Ok(())
}

/// `paths.bin` opened, its length (from the shape and path count, with
/// checked arithmetic) against the file's, without reading it; returns the
/// file and that length.
fn open_paths(dir: &Path, m: &Manifest) -> Result<(File, u64), ShardProblem> {
    let expected = expected_len(m.shape, m.shard_paths)?;
    let (f, found) = open(dir, "paths.bin")?;
    if found != expected {
        return Err(CodecError::Length { found, expected }.into());
    }
    Ok((f, expected))
}

/// `paths.bin`: its length checked before it is read, its SHA-256 before it
/// is decoded.
fn read_paths(dir: &Path, m: &Manifest) -> Result<PathSet, ShardProblem> {
    let (f, expected) = open_paths(dir, m)?;
    let length = |found| CodecError::Length { found, expected };
    let bytes = read(f, "paths.bin", expected, expected)?;
    if bytes.len() as u64 != expected {
        return Err(length(bytes.len() as u64).into());
    }
    let found = sha256_hex(&bytes);
    let want = m.paths_sha256.as_deref().ok_or(ShardProblem::NoChecksum)?;
    if found != want {
        return Err(ShardProblem::Checksum {
            found,
            expected: want.to_string(),
        });
    }
    Ok(PathSet::decode(
        &bytes,
        m.shape,
        m.first_path,
        m.shard_paths,
    )?)
}

/// `dir/file` opened, and its length.
fn open(dir: &Path, file: &'static str) -> Result<(File, u64), ShardProblem> {
    let unreadable = |source| ShardProblem::Unreadable { file, source };
    let f = File::open(dir.join(file)).map_err(unreadable)?;
    let length = f.metadata().map_err(unreadable)?.len();
    Ok((f, length))
}

/// The bytes of a file of `length` bytes, reading at most `limit + 1` of
/// them even if it grows meanwhile.
fn read(f: File, file: &'static str, length: u64, limit: u64) -> Result<Vec<u8>, ShardProblem> {
    let mut bytes = Vec::with_capacity(length.min(limit) as usize);
    f.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ShardProblem::Unreadable { file, source })?;
    Ok(bytes)
}
