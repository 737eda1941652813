//! Writing a new output folder and moving it into place so that a crash
//! at any point leaves `--out` holding a complete output. The files go to
//! the hidden sibling `.NAME.fundsim-partial-PID`, each synced, the marker
//! last, then the folder itself ([`Partial`]). An earlier output is then
//! swapped with it in one `renameat2(RENAME_EXCHANGE)` where the system
//! has it; elsewhere it is renamed to `.NAME.fundsim-old-PID` first, and a
//! crash between the two renames is undone by the next run
//! ([`super::leftovers`]). docs/outputs.md lists the state after each step.

use super::marker::{self, MARKER};
use super::target::{Sibling, Target};
use super::{File, OutputError, io};
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// New outputs being written into their hidden sibling; removed when
/// dropped before [`Partial::commit`] moved it into place.
#[derive(Debug)]
pub(super) struct Partial {
    dir: PathBuf,
    committed: bool,
}

impl Partial {
    /// Creates the sibling and writes `files` and then the marker into it,
    /// every file and the folder synced to disk.
    pub(super) fn write(target: &Target, files: &[File]) -> Result<Partial, OutputError> {
        let dir = target.sibling(Sibling::Partial, std::process::id());
        fs::create_dir(&dir).map_err(io("cannot create", &dir))?;
        let partial = Partial {
            dir,
            committed: false,
        };
        for f in files {
            debug_assert!(f.name != MARKER, "{MARKER} is written by OutputDir itself");
            partial.file(&f.name, &f.bytes)?;
        }
        partial.file(
            MARKER,
            &marker::render(files.iter().map(|f| f.name.as_str())),
        )?;
        sync_dir(&partial.dir)?;
        Ok(partial)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dir.join(name);
        let mut file = fs::File::create_new(&path).map_err(io("cannot create", &path))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(io("cannot write", &path))
    }

    /// Moves the outputs onto `target`; `replacing` says whether an
    /// earlier output (or an empty folder) is there.
    pub(super) fn commit(mut self, target: &Target, replacing: bool) -> Result<(), OutputError> {
        if !replacing {
            fs::rename(&self.dir, &target.path)
                .map_err(io("cannot move outputs into", &target.path))?;
            self.committed = true;
            return sync_dir(&target.parent);
        }
        if exchange(&self.dir, &target.path).map_err(io("cannot replace", &target.path))? {
            // `self.dir` now holds the earlier output.
            self.committed = true;
            sync_dir(&target.parent)?;
            return remove_output(&self.dir);
        }
        let old = target.sibling(Sibling::Old, std::process::id());
        fs::rename(&target.path, &old)
            .map_err(io("cannot move the earlier output aside", &target.path))?;
        if let Err(e) = fs::rename(&self.dir, &target.path) {
            let _ = fs::rename(&old, &target.path);
            return Err(io("cannot move outputs into", &target.path)(e));
        }
        self.committed = true;
        sync_dir(&target.parent)?;
        remove_output(&old)
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Swaps two folders in one step; `false` where the system or the file
/// system cannot, leaving both as they were.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Syncs a folder's entries (the names created or renamed in it) to disk.
pub(super) fn sync_dir(dir: &Path) -> Result<(), OutputError> {
    if cfg!(unix) {
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io("cannot sync", dir))?;
    }
    Ok(())
}

/// Removes an earlier output folder, its marker last, so that a removal
/// cut short leaves a folder still recognisably fundsim's (a marker and
/// some of its files) or empty.
pub(super) fn remove_output(dir: &Path) -> Result<(), OutputError> {
    for entry in fs::read_dir(dir).map_err(io("cannot read", dir))? {
        let path = entry.map_err(io("cannot read", dir))?.path();
        if path.file_name().is_some_and(|n| n != MARKER) {
            fs::remove_file(&path).map_err(io("cannot remove", &path))?;
        }
    }
    let marker = dir.join(MARKER);
    match fs::remove_file(&marker) {
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(io("cannot remove", &marker)(e)),
        _ => {}
    }
    fs::remove_dir(dir).map_err(io("cannot remove", dir))
}
