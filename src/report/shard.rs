//! The files of one shard of a Monte Carlo run: `manifest.json` (with the
//! SHA-256 of `paths.bin`), `scenario.toml` (the scenario text, so the
//! merge needs nothing else) and `paths.bin` (the shard's path set,
//! [`crate::stats::shard`]).

use super::output_dir::File;
use crate::input::sha256_hex;
use crate::stats::paths::PathSet;
use crate::stats::shard::Manifest;

/// The files of a shard; the manifest written records the SHA-256 of the
/// `paths.bin` written beside it.
pub(crate) fn files(
    manifest: &Manifest,
    scenario_text: &str,
    set: &PathSet,
) -> anyhow::Result<Vec<File>> {
    let paths = set.encode();
    let manifest = Manifest {
        paths_sha256: Some(sha256_hex(&paths)),
        ..manifest.clone()
    };
    Ok(vec![
        File::text(
            "manifest.json",
            serde_json::to_string_pretty(&manifest)? + "\n",
        ),
        File::text("scenario.toml", scenario_text.to_string()),
        File {
            name: "paths.bin".into(),
            bytes: paths,
        },
    ])
}
