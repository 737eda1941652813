//! One file written outside an output folder (`fundsim calibrate --out
//! NAME.toml`). Only a file fundsim wrote is replaced: an existing file
//! must begin with the writer's marker line. The text goes into a hidden
//! sibling first and is renamed into place, so that a crash leaves the old
//! file or the new one, never a part of either.

use super::{OutputError, io};
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// A file fundsim owns: see the module documentation.
#[derive(Debug)]
pub(crate) struct OwnFile;

impl OwnFile {
    /// Whether `target` may be written, checked before any work: its
    /// folder exists, and it is absent or a regular file whose first line
    /// starts with `marker`.
    pub(crate) fn check(target: &Path, marker: &str) -> Result<(), OutputError> {
        let parent = parent(target);
        if !parent.is_dir() {
            return Err(OutputError::Refused(format!(
                "--out {}: the folder {} does not exist",
                target.display(),
                parent.display()
            )));
        }
        match fs::symlink_metadata(target) {
            Err(_) => Ok(()),
            Ok(m) if m.is_file() => {
                let file = fs::File::open(target).map_err(io("cannot read", target))?;
                let mut first = String::new();
                // a file that is not text has no marker line
                let _ = BufReader::new(file).read_line(&mut first);
                if first.starts_with(marker) {
                    Ok(())
                } else {
                    Err(OutputError::Refused(format!(
                        "--out {}: the file exists and was not written by fundsim (its first line does not start with `{marker}`); choose another name or move it away",
                        target.display()
                    )))
                }
            }
            Ok(_) => Err(OutputError::Refused(format!(
                "--out {}: this is not a file (a folder or a link); give the name of a .toml file",
                target.display()
            ))),
        }
    }

    /// Writes `text` to `target` through a hidden sibling, after the
    /// checks of [`OwnFile::check`].
    pub(crate) fn write(target: &Path, text: &str, marker: &str) -> Result<(), OutputError> {
        OwnFile::check(target, marker)?;
        let partial = sibling(target);
        let result = (|| {
            let mut f = fs::File::create(&partial).map_err(io("cannot create", &partial))?;
            f.write_all(text.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(io("cannot write", &partial))?;
            fs::rename(&partial, target).map_err(io("cannot move into place", target))
        })();
        if result.is_err() {
            let _ = fs::remove_file(&partial);
        }
        result
    }
}

fn parent(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.NAME.fundsim-partial-PID` beside `target`.
fn sibling(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    parent(target).join(format!(".{name}.fundsim-partial-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_its_own_file_is_replaced() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("s.toml");
        OwnFile::write(&path, "# mine\nx = 1\n", "# mine").unwrap();
        OwnFile::write(&path, "# mine\nx = 2\n", "# mine").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "# mine\nx = 2\n");
        let theirs = dir.path().join("theirs.toml");
        fs::write(&theirs, "name = \"a user's\"\n").unwrap();
        let e = OwnFile::write(&theirs, "# mine\n", "# mine").unwrap_err();
        assert!(e.to_string().contains("was not written by fundsim"), "{e}");
        assert_eq!(
            fs::read_to_string(&theirs).unwrap(),
            "name = \"a user's\"\n"
        );
        let e = OwnFile::check(dir.path(), "# mine").unwrap_err();
        assert!(e.to_string().contains("not a file"), "{e}");
        let e = OwnFile::check(&dir.path().join("no/s.toml"), "# mine").unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 2, "no sibling left: {left:?}");
    }
}
