//! Reading a shard's folder (written by `fundsim simulate --shard K/N`):
//! its `manifest.json`, `scenario.toml` and `paths.bin`.

use super::InputError;
use crate::stats::paths::PathSet;
use crate::stats::shard::{Manifest, ShardFiles};
use std::fs;
use std::path::Path;

/// Reads a shard folder.
pub(crate) fn read_shard(dir: &Path) -> Result<ShardFiles, InputError> {
    let fail = |message: String| InputError::Shard {
        dir: dir.display().to_string(),
        message,
    };
    let text = fs::read_to_string(dir.join("manifest.json")).map_err(|e| {
        fail(format!(
            "no readable manifest.json (is it a shard written with --shard?): {e}"
        ))
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| fail(format!("manifest.json is not a shard manifest: {e}")))?;
    let scenario_text = fs::read_to_string(dir.join("scenario.toml"))
        .map_err(|e| fail(format!("no readable scenario.toml: {e}")))?;
    let bytes =
        fs::read(dir.join("paths.bin")).map_err(|e| fail(format!("no readable paths.bin: {e}")))?;
    let set = PathSet::decode(
        &bytes,
        manifest.shape,
        manifest.first_path,
        manifest.shard_paths,
    )
    .map_err(|e| fail(format!("paths.bin: {e}")))?;
    Ok(ShardFiles {
        manifest,
        scenario_text,
        set,
    })
}
