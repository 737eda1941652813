//! What a killed run left next to `--out`, put right by the next run into
//! the same folder before it looks at `--out`: every partial sibling
//! (`.NAME.fundsim-partial-PID`) is removed; an old sibling
//! (`.NAME.fundsim-old-PID`) that holds a complete earlier output is
//! renamed back to `NAME` when `NAME` is absent, and removed otherwise.
//! Only folders with fundsim's sibling names are touched, an old one only
//! when it is fundsim's output (or empty), and never one whose process is
//! still running.

use super::marker::{Folder, inspect};
use super::swap::{remove_output, sync_dir};
use super::target::{Sibling, Target};
use super::{OutputError, io};
use std::ffi::OsStr;
use std::fs;
use std::io::ErrorKind;
use std::path::Path;

/// Cleans up after killed runs into `target`; returns a sentence for each
/// thing done. Does nothing when the parent does not exist.
pub(super) fn recover(target: &Target) -> Result<Vec<String>, OutputError> {
    let entries = match fs::read_dir(&target.parent) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io("cannot read", &target.parent)(e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io("cannot read", &target.parent))?;
        let name = entry.file_name();
        for kind in Sibling::ALL {
            if let Some(pid) = pid_of(&name, &target.sibling_prefix(kind))
                && !running(pid)
                && entry.file_type().is_ok_and(|t| t.is_dir())
            {
                found.push((kind, entry.path()));
            }
        }
    }
    // Partial ones first, so that the old ones are judged on a clean parent.
    found.sort();
    let mut done = Vec::new();
    for (kind, path) in found {
        let shown = path.display();
        match kind {
            Sibling::Partial => {
                fs::remove_dir_all(&path).map_err(io("cannot remove", &path))?;
                done.push(format!(
                    "removed {shown}, left by a run that did not finish"
                ));
            }
            Sibling::Old => match (inspect(&path)?, inspect(&target.path)?) {
                (Folder::Output { complete: true } | Folder::Empty, Folder::Absent) => {
                    fs::rename(&path, &target.path).map_err(io("cannot restore", &path))?;
                    sync_dir(&target.parent)?;
                    done.push(format!(
                        "restored the earlier output {} from {shown}, left by a run that did not finish",
                        target.shown
                    ));
                }
                (Folder::Output { .. } | Folder::Empty, _) => {
                    remove_output(&path)?;
                    done.push(format!(
                        "removed {shown}, left by a run that did not finish"
                    ));
                }
                (Folder::Absent | Folder::Symlink | Folder::Foreign(_), _) => {}
            },
        }
    }
    Ok(done)
}

/// The PID in `name` when it is `prefix` followed by a decimal number.
fn pid_of(name: &OsStr, prefix: &OsStr) -> Option<u32> {
    let rest = name
        .as_encoded_bytes()
        .strip_prefix(prefix.as_encoded_bytes())?;
    if rest.is_empty() || !rest.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(rest).ok()?.parse().ok()
}

/// Whether another process with this id is running now (its leftovers may
/// be its work in progress). Where that cannot be told, none is.
fn running(pid: u32) -> bool {
    pid != std::process::id()
        && cfg!(target_os = "linux")
        && Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::super::marker::{MARKER, render};
    use super::*;
    use std::path::PathBuf;

    /// A PID no Linux process has (`pid_max` is at most 2²²).
    const DEAD: u32 = 4_000_000_000;

    fn output(dir: &Path, text: &str) {
        fs::create_dir(dir).unwrap();
        fs::write(dir.join("a.csv"), text).unwrap();
        fs::write(dir.join(MARKER), render(["a.csv"])).unwrap();
    }

    fn setup() -> (tempfile::TempDir, Target) {
        let tmp = tempfile::tempdir().unwrap();
        let t = Target::parse(&tmp.path().join("out")).unwrap();
        (tmp, t)
    }

    fn names(dir: &Path) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap()
            .map(|e| PathBuf::from(e.unwrap().file_name()))
            .collect();
        v.sort();
        v
    }

    /// With `--out` absent, a complete old sibling is renamed back and a
    /// partial one removed.
    #[test]
    fn restores_old_when_target_is_absent() {
        let (tmp, t) = setup();
        output(&t.sibling(Sibling::Old, DEAD), "earlier");
        fs::create_dir(t.sibling(Sibling::Partial, DEAD)).unwrap();
        assert_eq!(recover(&t).unwrap().len(), 2);
        assert_eq!(names(tmp.path()), [PathBuf::from("out")]);
        assert_eq!(fs::read_to_string(t.path.join("a.csv")).unwrap(), "earlier");
    }

    /// With `--out` present, or the old sibling incomplete, the old sibling
    /// is removed; a folder without fundsim's naming or marker is kept.
    #[test]
    fn removes_old_when_target_is_present_or_old_incomplete() {
        let (tmp, t) = setup();
        output(&t.path, "new");
        output(&t.sibling(Sibling::Old, DEAD), "earlier");
        recover(&t).unwrap();
        assert_eq!(names(tmp.path()), [PathBuf::from("out")]);
        assert_eq!(fs::read_to_string(t.path.join("a.csv")).unwrap(), "new");

        fs::remove_dir_all(&t.path).unwrap();
        let old = t.sibling(Sibling::Old, DEAD);
        output(&old, "earlier");
        fs::remove_file(old.join("a.csv")).unwrap();
        let foreign = t.sibling(Sibling::Old, DEAD - 1);
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("letter.docx"), "keep").unwrap();
        let unrelated = tmp.path().join(".out.fundsim-partial-x1");
        fs::create_dir(&unrelated).unwrap();
        recover(&t).unwrap();
        assert_eq!(
            names(tmp.path()),
            [
                PathBuf::from(".out.fundsim-old-3999999999"),
                PathBuf::from(".out.fundsim-partial-x1")
            ]
        );
    }
}
