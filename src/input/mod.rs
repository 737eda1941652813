//! Every reader of what a user gives the tool: scenario files (with the
//! embedded default and the presets), stress overlays, candidate rate
//! schedules, actuals and shard folders. Each turns bytes into the
//! validated types of [`crate::model`] (or a [`crate::stats`] path set), or
//! into an [`InputError`] that names the file, the field or line, the value
//! and what is allowed.

mod actuals;
mod error;
mod overlay;
mod presets;
mod scenario;
mod schedule;
mod shard;
mod toml_text;

pub(crate) use actuals::read_actuals;
pub(crate) use error::InputError;
#[cfg(test)]
pub(crate) use overlay::parse_overlay;
pub(crate) use overlay::read_overlay;
pub(crate) use presets::Presets;
pub(crate) use scenario::{parse_scenario, read_scenario};
#[cfg(test)]
pub(crate) use schedule::parse_candidate;
pub(crate) use schedule::read_candidate;
pub(crate) use shard::read_shard;

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
    /// A file that is not UTF-8 text is refused at the line and column of
    /// its first byte that is not.
    pub(crate) fn read(path: &Path, what: &'static str) -> Result<Source, InputError> {
        let bytes = std::fs::read(path).map_err(|source| InputError::Read {
            what,
            path: path.display().to_string(),
            source,
        })?;
        let name = path.display().to_string();
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(name, text)),
            Err(e) => Err(not_utf8(name, what, e.as_bytes())),
        }
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

/// Why a file of `bytes` that is not UTF-8 is refused: the line and column
/// of its first byte that is not, and the byte.
fn not_utf8(source_name: String, what: &'static str, bytes: &[u8]) -> InputError {
    let valid = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len);
    let before = String::from_utf8_lossy(&bytes[..valid]);
    let (line, column) = toml_text::line_col(&before, before.len());
    InputError::Parse {
        source_name,
        line,
        column,
        field: String::new(),
        message: format!(
            "the {what} file is not UTF-8 text (byte 0x{:02x} here); save it as UTF-8",
            bytes.get(valid).copied().unwrap_or_default()
        ),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that is not UTF-8 is refused at the line and column of its
    /// first bad byte (it was refused as unreadable, naming no line).
    #[test]
    fn a_file_not_utf8_is_refused_at_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, b"name = \"\xe5\x8d\x97\"\nyears = \xff3\n").unwrap();
        let err = Source::read(&path, "scenario").unwrap_err().to_string();
        let want = format!(
            "{}:2:9: the scenario file is not UTF-8 text (byte 0xff here)",
            path.display()
        );
        assert!(err.starts_with(&want), "{err}");
        assert!(matches!(
            Source::read(&dir.path().join("absent"), "scenario"),
            Err(InputError::Read { .. })
        ));
    }
}
