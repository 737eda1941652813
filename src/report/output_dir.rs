//! The only place that writes output files. A command's files are written
//! into a hidden sibling folder and renamed onto the final path only when
//! every file is complete ([`OutputDir`]), so an output folder is never
//! left half-written; a non-empty folder that is not an earlier fundsim
//! output is never replaced.

use std::fs;
use std::path::{Path, PathBuf};

/// One output file: its name inside the folder and its bytes.
#[derive(Debug, Clone)]
pub(crate) struct File {
    /// Name inside the output folder.
    pub(crate) name: String,
    /// Contents.
    pub(crate) bytes: Vec<u8>,
}

impl File {
    /// A file of text.
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
    /// The target is someone else's folder, or not a folder (bad input).
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

/// Files that mark a folder as a fundsim output folder, safe to replace.
const MARKERS: [&str; 6] = [
    "summary.json",
    "manifest.json",
    "rates.json",
    "stress.json",
    "reverse.json",
    "budget.csv",
];

/// An output folder being written: files go to a hidden sibling folder,
/// renamed onto the final path by [`OutputDir::commit`]; dropped without a
/// commit, the temporary folder is removed.
#[derive(Debug)]
pub(crate) struct OutputDir {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl OutputDir {
    /// Whether `target` may receive outputs: it does not exist, or is an
    /// empty folder, or an earlier fundsim output folder (which is replaced).
    pub(crate) fn check_target(target: &Path) -> Result<(), OutputError> {
        if target.exists() {
            if !target.is_dir() {
                return Err(OutputError::Refused(format!(
                    "output path {} exists and is not a folder",
                    target.display()
                )));
            }
            let empty = fs::read_dir(target)
                .map_err(io("cannot read", target))?
                .next()
                .is_none();
            if !empty && !MARKERS.iter().any(|m| target.join(m).exists()) {
                return Err(OutputError::Refused(format!(
                    "refusing to replace {}: it is not empty and holds no fundsim outputs (summary.json, manifest.json, rates.json, stress.json, reverse.json or budget.csv); choose another --out",
                    target.display()
                )));
            }
        }
        Ok(())
    }

    /// Writes `files` into `target` as one folder, replacing an earlier
    /// output there.
    pub(crate) fn write(target: &Path, files: &[File]) -> Result<(), OutputError> {
        let out = OutputDir::create(target)?;
        for f in files {
            let path = out.temp.join(&f.name);
            fs::write(&path, &f.bytes).map_err(io("cannot write", &path))?;
        }
        out.commit()
    }

    /// Starts writing to `target`, after [`OutputDir::check_target`].
    fn create(target: &Path) -> Result<OutputDir, OutputError> {
        Self::check_target(target)?;
        let name = target
            .file_name()
            .map_or_else(|| "outputs".into(), |n| n.to_string_lossy().into_owned());
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io("cannot create", parent))?;
        let temp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp).map_err(io("cannot clear", &temp))?;
        }
        fs::create_dir(&temp).map_err(io("cannot create", &temp))?;
        Ok(OutputDir {
            target: target.to_path_buf(),
            temp,
            committed: false,
        })
    }

    /// Moves the finished folder into place, replacing an earlier one.
    fn commit(mut self) -> Result<(), OutputError> {
        let old = self.temp.with_file_name(format!(
            "{}.old",
            self.temp
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let replacing = self.target.exists();
        if replacing {
            fs::rename(&self.target, &old)
                .map_err(io("cannot move the earlier output aside", &self.target))?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            if replacing {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(io("cannot move outputs into", &self.target)(e));
        }
        self.committed = true;
        if replacing {
            fs::remove_dir_all(&old).map_err(io("cannot remove", &old))?;
        }
        Ok(())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}
