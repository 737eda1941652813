//! What can be wrong with a shard folder: [`ShardProblem`], each in the
//! user's words, naming the file, the field, the value found and what was
//! expected. The folder itself is named by [`super::super::InputError::Shard`].

use crate::stats::paths::CodecError;

/// Why a shard folder cannot be merged.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ShardProblem {
    /// A file is missing or unreadable.
    #[error("no readable {file} (is it a shard folder written with --shard K/N?): {source}")]
    Unreadable {
        /// The file.
        file: &'static str,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `manifest.json` is larger than any manifest.
    #[error("manifest.json holds more than {limit} bytes; a shard's manifest holds about 500")]
    ManifestTooLarge {
        /// The largest manifest read.
        limit: u64,
    },
    /// `manifest.json` is not JSON.
    #[error("manifest.json is not JSON: {0}")]
    NotJson(String),
    /// A field of `manifest.json` is missing.
    #[error("manifest.json: field `{field}` is missing")]
    MissingField {
        /// The field's path, for example `shape.years`.
        field: String,
    },
    /// A field of `manifest.json` has the wrong kind of value.
    #[error("manifest.json: {field}{found}expected {expected}")]
    WrongKind {
        /// "field `PATH`: " (empty for the whole file).
        field: String,
        /// What was found, followed by ", " (empty when unknown).
        found: String,
        /// What the field holds.
        expected: &'static str,
    },
    /// A field of `manifest.json` has a value it cannot have.
    #[error("manifest.json: `{field}` is {value}; expected {expected}")]
    Value {
        /// The field (or fields).
        field: &'static str,
        /// The value found.
        value: String,
        /// What is allowed.
        expected: String,
    },
    /// The manifest records no checksum of `paths.bin`.
    #[error(
        "manifest.json has no `paths_sha256` (the SHA-256 of paths.bin): the shard was written by a fundsim that does not record it; run the shard again"
    )]
    NoChecksum,
    /// `scenario.toml` is not the scenario the manifest names.
    #[error(
        "scenario.toml has SHA-256 {found}, but manifest.json's `input_sha256` is {expected}: the scenario was changed after the shard ran"
    )]
    ScenarioChanged {
        /// The file's SHA-256.
        found: String,
        /// The manifest's.
        expected: String,
    },
    /// The manifest's shape is not its scenario's.
    #[error("manifest.json: `{field}` is {manifest}, but its scenario.toml has {scenario} {what}")]
    ShapeDiffers {
        /// The field of the shape.
        field: &'static str,
        /// The manifest's value.
        manifest: usize,
        /// The scenario's.
        scenario: usize,
        /// What is counted.
        what: &'static str,
    },
    /// `paths.bin` is not the file the manifest recorded.
    #[error(
        "paths.bin: checksum mismatch: its SHA-256 is {found}, but manifest.json's `paths_sha256` is {expected}: the file is damaged or is not this shard's"
    )]
    Checksum {
        /// The file's SHA-256.
        found: String,
        /// The manifest's.
        expected: String,
    },
    /// `paths.bin` cannot be decoded.
    #[error("paths.bin: {0}")]
    Paths(#[from] CodecError),
}
