//! The `--out` path as fundsim uses it ([`Target`]): a parent and a plain
//! final name, its hidden siblings' names, and the checks that need no
//! run — a name that names a folder of its own, short enough for the
//! siblings, and a parent where fundsim can create them.

use super::{OutputError, io};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

/// The longest file name most file systems take (Linux's `NAME_MAX`).
const NAME_MAX: usize = 255;

/// The longest process id a sibling's name can carry (`u32::MAX`).
const PID_DIGITS: usize = 10;

/// The kinds of hidden sibling fundsim creates next to `--out`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Sibling {
    /// `.NAME.fundsim-partial-PID`: the new outputs being written.
    Partial,
    /// `.NAME.fundsim-old-PID`: the earlier output moved aside.
    Old,
}

impl Sibling {
    /// Both kinds, the longest name first.
    pub(super) const ALL: [Sibling; 2] = [Sibling::Partial, Sibling::Old];

    /// What follows `.NAME` in the sibling's name, before the PID.
    fn infix(self) -> &'static str {
        match self {
            Sibling::Partial => ".fundsim-partial-",
            Sibling::Old => ".fundsim-old-",
        }
    }
}

/// An output folder's path, split as fundsim uses it.
#[derive(Debug, Clone)]
pub(super) struct Target {
    /// The folder holding it (`.` for a bare name).
    pub(super) parent: PathBuf,
    /// Its own name: never empty, `.` or `..`.
    pub(super) name: OsString,
    /// `parent/name`.
    pub(super) path: PathBuf,
    /// The path as the user gave it, for messages.
    pub(super) shown: String,
}

impl Target {
    /// Splits `path`, refusing one whose final component names no folder
    /// of its own (`DIR/.`, `..`, `/`) or whose names are too long.
    pub(super) fn parse(path: &Path) -> Result<Target, OutputError> {
        let shown = path.display().to_string();
        let bytes = path.as_os_str().as_encoded_bytes();
        let trimmed = trim_separators(bytes);
        let start = trimmed
            .iter()
            .rposition(|&b| is_separator(b))
            .map_or(0, |i| i + 1);
        let last = &trimmed[start..];
        if last.is_empty() || last == b"." || last == b".." {
            return Err(OutputError::Refused(format!(
                "--out {shown} names no folder of its own (its last part is {:?}); give the output folder's own name, e.g. --out {}",
                String::from_utf8_lossy(last),
                Path::new("DIR").join("results").display()
            )));
        }
        // With `.`, `..` and trailing separators ruled out, `Path`'s own
        // final name is that last part.
        let name = path
            .file_name()
            .map(OsStr::to_os_string)
            .unwrap_or_default();
        debug_assert_eq!(name.as_encoded_bytes(), last);
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let target = Target {
            path: parent.join(&name),
            parent,
            name,
            shown,
        };
        target.check_lengths()?;
        Ok(target)
    }

    /// The hidden sibling of this kind for process `pid`.
    pub(super) fn sibling(&self, kind: Sibling, pid: u32) -> PathBuf {
        let mut name = self.sibling_prefix(kind);
        name.push(pid.to_string());
        self.parent.join(name)
    }

    /// `.NAME.fundsim-partial-` or `.NAME.fundsim-old-`.
    pub(super) fn sibling_prefix(&self, kind: Sibling) -> OsString {
        let mut name = OsString::from(".");
        name.push(&self.name);
        name.push(kind.infix());
        name
    }

    /// Every name in the path, and the longest sibling's, fit `NAME_MAX`.
    fn check_lengths(&self) -> Result<(), OutputError> {
        for c in self.path.components() {
            if let Component::Normal(part) = c
                && part.len() > NAME_MAX
            {
                return Err(OutputError::Refused(format!(
                    "--out {}: the name {}… is {} bytes, more than the {NAME_MAX} a file system allows",
                    self.shown,
                    truncated(part),
                    part.len()
                )));
            }
        }
        let longest = self.sibling_prefix(Sibling::ALL[0]).len() + PID_DIGITS;
        if longest > NAME_MAX {
            let extra = longest - self.name.len();
            return Err(OutputError::Refused(format!(
                "--out {}: its name is {} bytes; fundsim writes into a hidden folder next to it (.NAME{}PID), whose name must fit the file system's {NAME_MAX} bytes, so the name may have at most {} bytes",
                self.shown,
                self.name.len(),
                Sibling::ALL[0].infix(),
                NAME_MAX - extra
            )));
        }
        Ok(())
    }

    /// The parent exists (or can be created) and fundsim can create its
    /// sibling there: a probe folder is created and removed at once (the
    /// partial sibling itself when the parent exists, else the first
    /// missing ancestor). Nothing is left behind and `--out` itself is
    /// never created.
    pub(super) fn check_parent(&self) -> Result<(), OutputError> {
        let mut probe = self.sibling(Sibling::Partial, std::process::id());
        let mut missing = None;
        for dir in self.parent.ancestors() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            match fs::metadata(dir) {
                Ok(m) if m.is_dir() => break,
                Ok(_) => {
                    return Err(OutputError::Refused(format!(
                        "--out {}: {} is not a folder",
                        self.shown,
                        dir.display()
                    )));
                }
                Err(e) if e.kind() == ErrorKind::NotFound => missing = Some(dir.to_path_buf()),
                Err(e) => return Err(io("cannot inspect", dir)(e)),
            }
        }
        if let Some(first_missing) = missing {
            probe = first_missing;
        }
        match fs::create_dir(&probe) {
            Ok(()) => fs::remove_dir(&probe).map_err(io("cannot remove the probe", &probe)),
            Err(e) => Err(match e.kind() {
                ErrorKind::PermissionDenied
                | ErrorKind::ReadOnlyFilesystem
                | ErrorKind::InvalidFilename => OutputError::Refused(format!(
                    "--out {}: fundsim cannot create {}: {e}",
                    self.shown,
                    probe.display()
                )),
                _ => io("cannot create", &probe)(e),
            }),
        }
    }
}

fn is_separator(b: u8) -> bool {
    b.is_ascii() && std::path::is_separator(char::from(b))
}

/// `bytes` without trailing separators (but `/` stays `/`: its last part
/// is then empty).
fn trim_separators(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .rposition(|&b| !is_separator(b))
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

/// The first 40 characters of a name, for a message.
fn truncated(name: &OsStr) -> String {
    name.to_string_lossy().chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `DIR/.`, `DIR/..`, `.`, `..`, `/` and the empty path are refused;
    /// `DIR/` is the folder `DIR`.
    #[test]
    fn final_component_must_be_a_name() {
        for bad in ["out/.", "out/..", ".", "..", "/", "", "out/./", "a/b/.."] {
            assert!(
                matches!(Target::parse(Path::new(bad)), Err(OutputError::Refused(_))),
                "{bad:?} should be refused"
            );
        }
        let t = Target::parse(Path::new("a/out/")).unwrap();
        assert_eq!(t.path, Path::new("a/out"));
        assert_eq!(t.name, "out");
        let t = Target::parse(Path::new("out")).unwrap();
        assert_eq!(t.parent, Path::new("."));
    }

    /// The longest name accepted leaves room for `.NAME.fundsim-partial-`
    /// and ten digits of PID within 255 bytes.
    #[test]
    fn name_leaves_room_for_the_siblings() {
        let ok = "n".repeat(NAME_MAX - 1 - ".fundsim-partial-".len() - PID_DIGITS);
        let t = Target::parse(Path::new(&ok)).unwrap();
        let sibling = t.sibling(Sibling::Partial, u32::MAX);
        assert_eq!(sibling.file_name().unwrap().len(), NAME_MAX);
        let long = format!("{ok}n");
        assert!(matches!(
            Target::parse(Path::new(&long)),
            Err(OutputError::Refused(_))
        ));
    }
}
