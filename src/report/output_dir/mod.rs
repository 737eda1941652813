//! The only place that writes output files, and the rules for which
//! folder it may replace (docs/outputs.md, *How a folder is written*).
//!
//! - Every output folder carries `fundsim-output.json` ([`marker`]), and
//!   only a folder whose marker is valid and which holds nothing but the
//!   files it lists counts as an earlier fundsim output. Any other
//!   non-empty folder, a file or a symbolic link at `--out` is refused.
//! - [`OutputDir::check_target`] runs before any work: besides the folder
//!   itself it refuses a name that names no folder (`DIR/.`), a name too
//!   long for the hidden siblings, and a parent fundsim cannot write in
//!   ([`target`]).
//! - [`OutputDir::write`] writes into a hidden sibling and moves it into
//!   place so that a crash leaves `--out` complete ([`swap`]); what a
//!   killed run leaves behind is hidden, named as unfinished, and put
//!   right by the next run into the same parent ([`leftovers`]).

mod leftovers;
mod marker;
mod own_file;
mod swap;
mod target;

use marker::{Folder, inspect};
pub(crate) use own_file::OwnFile;
use std::path::Path;
use swap::Partial;
use target::Target;

/// One output file: its name inside the folder and its bytes.
#[derive(Debug, Clone)]
pub(crate) struct File {
    /// Name inside the output folder.
    pub(crate) name: String,
    /// Contents.
    pub(crate) bytes: Vec<u8>,
}

impl File {
    /// Starts the file with a UTF-8 byte-order mark (what Excel needs to
    /// read a CSV file as UTF-8 on a double click).
    pub(crate) fn add_bom(&mut self) {
        self.bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
    }

    /// A text file.
    pub(crate) fn text(name: impl Into<String>, text: String) -> File {
        File {
            name: name.into(),
            bytes: text.into_bytes(),
        }
    }
}

/// Why outputs could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OutputError {
    /// The target is someone else's folder, not a folder, or a path fundsim
    /// cannot use (bad input).
    #[error("{0}")]
    Refused(String),
    /// The file system failed.
    #[error("{what} {path}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

fn io<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        what,
        path: path.display().to_string(),
        source,
    }
}

/// Writes output folders: see the module documentation.
#[derive(Debug)]
pub(crate) struct OutputDir;

impl OutputDir {
    /// Whether `target` may receive outputs, checked before any work: it is
    /// absent, an empty folder or an earlier fundsim output (which is
    /// replaced), and its parent can take fundsim's hidden siblings. Puts
    /// right what killed runs left first; returns a sentence for each
    /// thing it put right.
    pub(crate) fn check_target(target: &Path) -> Result<Vec<String>, OutputError> {
        let target = Target::parse(target)?;
        let recovered = leftovers::recover(&target)?;
        existing(&target)?;
        target.check_parent()?;
        Ok(recovered)
    }

    /// Writes `files` and the marker into `target` as one folder, replacing
    /// an earlier output there.
    pub(crate) fn write(target: &Path, files: &[File]) -> Result<(), OutputError> {
        let target = Target::parse(target)?;
        std::fs::create_dir_all(&target.parent).map_err(io("cannot create", &target.parent))?;
        leftovers::recover(&target)?;
        let replacing = existing(&target)?;
        Partial::write(&target, files)?.commit(&target, replacing)
    }
}

/// Refuses a target that is not absent, empty or an earlier output;
/// returns whether there is a folder to replace.
fn existing(target: &Target) -> Result<bool, OutputError> {
    match inspect(&target.path)? {
        Folder::Absent => Ok(false),
        Folder::Empty | Folder::Output { .. } => Ok(true),
        Folder::Symlink => Err(OutputError::Refused(format!(
            "--out {} is a symbolic link; fundsim does not write through links, so pass the real folder instead",
            target.shown
        ))),
        Folder::Foreign(why) => Err(OutputError::Refused(format!(
            "refusing to replace {}: {why}; choose another --out, or empty or remove it first",
            target.shown
        ))),
    }
}
