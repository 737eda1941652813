//! The marker file `fundsim-output.json` that every output folder carries,
//! and what a folder on disk is ([`inspect`]): absent, empty, an earlier
//! fundsim output (the marker parses, is of a format this tool reads, and
//! the folder holds nothing but the files it lists), or someone else's.

use super::{OutputError, io};
use crate::report::provenance::TOOL_VERSION;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::io::ErrorKind;
use std::path::Path;

/// The marker's file name, written last into every output folder.
pub(super) const MARKER: &str = "fundsim-output.json";

/// The marker's `format` field.
const FORMAT: &str = "fundsim-output";

/// The marker format this tool writes; it reads versions 1 up to this one.
const FORMAT_VERSION: u32 = 1;

/// Markers larger than this are not fundsim's (a real one is a few hundred
/// bytes), and are not read into memory.
const MAX_MARKER_BYTES: u64 = 64 * 1024;

/// The contents of `fundsim-output.json`. Deterministic: no time, no PID,
/// so outputs stay byte-identical across runs, threads and shard splits.
#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    format: String,
    format_version: u32,
    tool_version: String,
    /// The other files of the folder, sorted.
    files: Vec<String>,
}

/// The marker's bytes for a folder holding `names` (the marker aside).
pub(super) fn render<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<u8> {
    let files: BTreeSet<&str> = names.into_iter().collect();
    let marker = Marker {
        format: FORMAT.to_string(),
        format_version: FORMAT_VERSION,
        tool_version: TOOL_VERSION.to_string(),
        files: files.into_iter().map(String::from).collect(),
    };
    let mut text = serde_json::to_string_pretty(&marker).expect("a marker always serialises");
    text.push('\n');
    text.into_bytes()
}

/// What a path on disk is, as an output folder.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Folder {
    /// Nothing there.
    Absent,
    /// An empty folder.
    Empty,
    /// An earlier fundsim output: a valid marker and nothing but the files
    /// it lists; `complete` when every listed file is there.
    Output {
        /// Every file the marker lists is present.
        complete: bool,
    },
    /// A symbolic link (to a folder or not, or dangling).
    Symlink,
    /// Anything else, and why (a phrase: "it holds letter.docx, which
    /// fundsim did not write").
    Foreign(String),
}

/// What `dir` is. Symbolic links are not followed.
pub(super) fn inspect(dir: &Path) -> Result<Folder, OutputError> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Folder::Absent),
        Err(e) => return Err(io("cannot inspect", dir)(e)),
    };
    if meta.file_type().is_symlink() {
        return Ok(Folder::Symlink);
    }
    if !meta.is_dir() {
        return Ok(Folder::Foreign("it exists and is not a folder".into()));
    }
    let mut entries: Vec<OsString> = fs::read_dir(dir)
        .map_err(io("cannot read", dir))?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()
        .map_err(io("cannot read", dir))?;
    entries.sort();
    if entries.is_empty() {
        return Ok(Folder::Empty);
    }
    let listed = match read_marker(dir)? {
        Ok(listed) => listed,
        Err(why) => {
            let others: Vec<OsString> = entries.into_iter().filter(|e| e != MARKER).collect();
            return Ok(Folder::Foreign(if others.is_empty() {
                why
            } else {
                // "which fundsim did not write" would be wrong of a
                // subfolder that is an output of another run
                format!(
                    "it is not an output this fundsim can replace ({why}), and it holds {}",
                    list(&others)
                )
            }));
        }
    };
    let mut foreign = Vec::new();
    let mut present = 0;
    for name in entries.into_iter().filter(|e| e != MARKER) {
        let ours = name.to_str().is_some_and(|n| listed.contains(n))
            && fs::symlink_metadata(dir.join(&name)).is_ok_and(|m| m.is_file());
        if ours {
            present += 1;
        } else {
            foreign.push(name);
        }
    }
    if foreign.is_empty() {
        Ok(Folder::Output {
            complete: present == listed.len(),
        })
    } else {
        Ok(Folder::Foreign(format!(
            "it holds {}, which fundsim did not write",
            list(&foreign)
        )))
    }
}

/// The file names `dir`'s marker lists, or why the folder has no valid
/// marker.
fn read_marker(dir: &Path) -> Result<Result<BTreeSet<String>, String>, OutputError> {
    let path = dir.join(MARKER);
    match fs::symlink_metadata(&path) {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Ok(Err(format!("there is no {MARKER}")));
        }
        Err(e) => return Err(io("cannot inspect", &path)(e)),
        Ok(m) if !m.is_file() || m.len() > MAX_MARKER_BYTES => {
            return Ok(Err(format!("its {MARKER} is not one fundsim wrote")));
        }
        Ok(_) => {}
    }
    let bytes = fs::read(&path).map_err(io("cannot read", &path))?;
    let Ok(marker) = serde_json::from_slice::<Marker>(&bytes) else {
        return Ok(Err(format!("its {MARKER} is not one fundsim wrote")));
    };
    if marker.format != FORMAT {
        return Ok(Err(format!(
            "its {MARKER} has format {:?}, not {FORMAT:?}",
            marker.format
        )));
    }
    if !(1..=FORMAT_VERSION).contains(&marker.format_version) {
        return Ok(Err(format!(
            "its {MARKER} is format version {}, and this fundsim ({TOOL_VERSION}) reads versions 1 to {FORMAT_VERSION}",
            marker.format_version
        )));
    }
    Ok(Ok(marker.files.into_iter().collect()))
}

/// `a, b and c`, or the first few names and how many more.
fn list(names: &[OsString]) -> String {
    const SHOWN: usize = 3;
    let shown: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    match names.len() {
        0 | 1 => shown.concat(),
        n if n <= SHOWN => format!("{} and {}", shown[..n - 1].join(", "), shown[n - 1]),
        n => format!("{} and {} more", shown.join(", "), n - SHOWN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files {
            fs::write(dir.path().join(name), bytes).unwrap();
        }
        dir
    }

    /// The marker is deterministic: sorted names, no time or PID.
    #[test]
    fn marker_is_sorted_and_deterministic() {
        let a = render(["b.csv", "a.json"]);
        assert_eq!(a, render(["a.json", "b.csv"]));
        let text = String::from_utf8(a).unwrap();
        assert!(text.contains("\"fundsim-output\""), "{text}");
        assert!(text.find("a.json") < text.find("b.csv"), "{text}");
    }

    /// A folder with a valid marker and only listed files is an output;
    /// missing listed files make it incomplete, an extra file foreign.
    #[test]
    fn inspect_tells_outputs_from_other_folders() {
        let marker = render(["a.csv", "b.csv"]);
        let full = folder(&[("a.csv", b"1"), ("b.csv", b"2"), (MARKER, &marker)]);
        assert_eq!(
            inspect(full.path()).unwrap(),
            Folder::Output { complete: true }
        );
        let part = folder(&[("a.csv", b"1"), (MARKER, &marker)]);
        assert_eq!(
            inspect(part.path()).unwrap(),
            Folder::Output { complete: false }
        );
        let extra = folder(&[("a.csv", b"1"), ("letter.docx", b"x"), (MARKER, &marker)]);
        assert_eq!(
            inspect(extra.path()).unwrap(),
            Folder::Foreign("it holds letter.docx, which fundsim did not write".into())
        );
        let office = folder(&[("budget.csv", b"1"), ("letter.docx", b"x")]);
        let Folder::Foreign(why) = inspect(office.path()).unwrap() else {
            panic!("an office folder is not an output");
        };
        assert!(why.contains("budget.csv and letter.docx"), "{why}");
        let newer = render(["a.csv"]);
        let newer = String::from_utf8(newer)
            .unwrap()
            .replace("\"format_version\": 1", "\"format_version\": 99");
        let newer = folder(&[(MARKER, newer.as_bytes())]);
        let Folder::Foreign(why) = inspect(newer.path()).unwrap() else {
            panic!("a marker of a newer format is not read");
        };
        assert!(
            why.starts_with("its fundsim-output.json is format version 99"),
            "{why}"
        );
        assert_eq!(inspect(folder(&[]).path()).unwrap(), Folder::Empty);
    }
}
