//! Every reader of what a user gives the tool: scenario files (with the
//! embedded default and the presets), stress overlays, candidate rate
//! schedules, actuals and shard folders. Each turns bytes into the
//! validated types of [`crate::model`] (or a [`crate::stats`] path set), or
//! into an [`InputError`] that names the file, the field or line, the value
//! and what is allowed.

mod actuals;
mod error;
mod history;
mod overlay;
mod parts;
mod presets;
mod scenario;
mod schedule;
mod shard;
mod standard;
pub(crate) mod toml_text;

pub(crate) use actuals::read_actuals;
pub(crate) use error::InputError;
#[cfg(test)]
pub(crate) use history::parse_history;
pub(crate) use history::read_history;
pub(crate) use overlay::parse_overlay;
pub(crate) use overlay::read_overlay;
pub(crate) use parts::read_parts;
pub(crate) use presets::Presets;
pub(crate) use scenario::{parse_scenario, read_scenario};
#[cfg(test)]
pub(crate) use schedule::parse_candidate;
#[cfg(test)]
pub(crate) use schedule::read_candidate;
pub(crate) use schedule::read_candidates;
pub(crate) use shard::{read_shard_head, read_shard_paths};
pub(crate) use standard::overlays as standard_overlays;

use sha2::{Digest, Sha256};
use std::path::Path;

/// The default scenario, `scenarios/jiangxi-2025.toml`, embedded in the binary.
pub(crate) const DEFAULT_TOML: &str = include_str!("../../scenarios/jiangxi-2025.toml");
/// The name under which the embedded scenario is reported.
pub(crate) const DEFAULT_SOURCE: &str = "<embedded>/scenarios/jiangxi-2025.toml";

/// The text of an input and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// The file as given (or the embedded default's name).
    pub(crate) name: String,
    /// Its text.
    pub(crate) text: String,
    /// SHA-256 of its bytes, hex.
    pub(crate) sha256: String,
}

impl Source {
    /// Reads a file; `what` says what it is in messages ("scenario", "stress overlay", …).
    pub(crate) fn read(path: &Path, what: &'static str) -> Result<Source, InputError> {
        let bytes = std::fs::read(path).map_err(|source| InputError::Read {
            what,
            path: path.display().to_string(),
            source,
        })?;
        let name = path.display().to_string();
        let text = utf8(bytes).map_err(|(line, byte)| InputError::Encoding {
            source_name: name.clone(),
            line,
            byte,
        })?;
        Ok(Source::new(name, text))
    }

    /// A text under a name.
    pub(crate) fn new(name: String, text: String) -> Source {
        Source {
            sha256: sha256_hex(text.as_bytes()),
            name,
            text,
        }
    }

    /// The embedded default scenario.
    pub(crate) fn default_scenario() -> Source {
        Source::new(DEFAULT_SOURCE.to_string(), DEFAULT_TOML.to_string())
    }
}

/// The bytes as UTF-8 text; otherwise the 1-based line of the first bad
/// byte and its 0-based offset in the file.
pub(crate) fn utf8(bytes: Vec<u8>) -> Result<String, (usize, usize)> {
    String::from_utf8(bytes).map_err(|e| {
        let byte = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..byte].split(|b| *b == b'\n').count();
        (line, byte)
    })
}

/// Lower-case hex SHA-256 of some bytes.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// The embedded default scenario, validated (for tests and benchmarks).
#[cfg(test)]
pub(crate) fn default_scenario() -> crate::model::scenario::Scenario {
    parse_scenario(&Source::default_scenario()).expect("the embedded scenario is valid")
}
