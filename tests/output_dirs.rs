//! Which `--out` folders fundsim replaces and which it refuses before the
//! run, and the leftovers of a killed run put right by the next one. Each
//! test pins one way a hostile tester broke the old rules.

use crate::support::*;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A Monte Carlo run so long that only a refusal before it can finish in
/// [`FAST`]: proof that the check is made up front.
const LONG_RUN: [&str; 3] = ["--paths", "50000000", "-q"];

/// How fast an up-front refusal must come.
const FAST: Duration = Duration::from_secs(20);

/// `simulate` (long) into `out`: must be refused up front with exit 2, a
/// message holding every one of `expected`, and no panic.
#[track_caller]
fn assert_refused_up_front(out: &Path, expected: &[&str]) {
    let started = Instant::now();
    let r = run(fundsim()
        .arg("simulate")
        .arg(tiny_path())
        .args(LONG_RUN)
        .arg("--out")
        .arg(out)
        .timeout(FAST));
    assert_eq!(r.code, Some(2), "exit code; stderr:\n{}", r.stderr);
    assert!(started.elapsed() < FAST, "refused only after the run");
    assert_no_panic(&r);
    for e in expected {
        assert!(r.stderr.contains(e), "stderr lacks {e:?}:\n{}", r.stderr);
    }
}

/// A temporary folder holding an earlier output, `out`.
fn earlier_output() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    simulate_tiny(&out, &[]);
    (dir, out)
}

/// `--out bad` is refused up front, and `folder` and the names beside it
/// are left as they were.
#[track_caller]
fn assert_refused_leaving(folder: &Path, bad: &Path, expected: &[&str]) {
    let parent = folder.parent().unwrap();
    let before = (names_in(parent), contents(folder));
    assert_refused_up_front(bad, expected);
    assert_eq!((names_in(parent), contents(folder)), before);
}

/// A budget office's own folder holding its `budget.csv` and a letter was
/// emptied and replaced (any `budget.csv` made a folder fundsim's). Now it
/// is refused with exit 2, named, and left as it was.
#[test]
fn office_folder_with_budget_csv_and_letter_is_refused_untouched() {
    let dir = TempDir::new().unwrap();
    let office = dir.path().join("office");
    fs::create_dir(&office).unwrap();
    fs::write(office.join("budget.csv"), "科目,预算数\n").unwrap();
    fs::write(office.join("letter.docx"), "dear congress").unwrap();
    assert_refused_leaving(
        &office,
        &office,
        &[
            "office",
            "budget.csv and letter.docx",
            "it is not an output this fundsim can replace (there is no fundsim-output.json)",
        ],
    );
    assert_eq!(names_in(dir.path()), ["office"], "leftovers next to --out");
}

/// An earlier output with a valid marker, plus a file a person added, is
/// not fundsim's any more: refused, the added file kept.
#[test]
fn output_with_marker_plus_an_extra_file_is_refused() {
    let (dir, out) = earlier_output();
    fs::write(out.join("letter.docx"), "keep me").unwrap();
    assert_refused_leaving(
        &out,
        &out,
        &["holds letter.docx, which fundsim did not write"],
    );
    assert_eq!(names_in(dir.path()), ["out"]);
}

/// A folder of files fundsim writes but without the marker (say, an
/// earlier version's) is not taken for an output either.
#[test]
fn output_without_its_marker_is_refused() {
    let (_dir, out) = earlier_output();
    fs::remove_file(out.join("fundsim-output.json")).unwrap();
    assert_refused_leaving(&out, &out, &["there is no fundsim-output.json"]);
}

/// A 255-byte name left no room for the hidden sibling `.NAME…` and failed
/// after the run. Now it is refused up front, nothing created.
#[test]
fn name_of_255_bytes_is_refused_up_front() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("n".repeat(255));
    assert_refused_up_front(&out, &["255 bytes", "at most 227"]);
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
    // the longest name allowed works
    let out = dir.path().join("n".repeat(227));
    simulate_tiny(&out, &[]);
    assert_eq!(names_in(&out), OUTPUT_FILES);
}

/// `--out DIR/.` (and `DIR/..`, `.`) name no folder of their own; they
/// failed after the run. Now refused up front, DIR untouched.
#[test]
fn dot_as_last_part_of_out_is_refused() {
    let (dir, out) = earlier_output();
    for bad in [out.join("."), out.join(".."), dir.path().join(".")] {
        assert_refused_leaving(&out, &bad, &["names no folder of its own"]);
    }
    assert_eq!(names_in(dir.path()), ["out"]);
}

/// A dangling symbolic link passed the check and failed after the run.
/// Links are refused up front; the link stays, nothing is created where
/// it points.
#[test]
fn dangling_symlink_is_refused() {
    let dir = TempDir::new().unwrap();
    let link = dir.path().join("out");
    symlink(dir.path().join("nowhere"), &link).unwrap();
    assert_refused_up_front(&link, &["is a symbolic link", "pass the real folder"]);
    assert_eq!(names_in(dir.path()), ["out"]);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// `--out` a link to an earlier output replaced the link with a folder.
/// Now refused; the link and the folder it points to are untouched.
#[test]
fn symlink_to_an_output_folder_is_refused_and_kept() {
    let (dir, real) = earlier_output();
    let link = dir.path().join("link");
    symlink(&real, &link).unwrap();
    assert_refused_leaving(&real, &link, &["is a symbolic link"]);
    assert_eq!(fs::read_link(&link).unwrap(), real);
    assert_eq!(names_in(dir.path()), ["link", "out"]);
    // a symbolic link higher up is fine
    simulate_tiny(&link.join("inner"), &[]);
    assert_eq!(names_in(&real.join("inner")), OUTPUT_FILES);
}

/// A PID no Linux process has (`pid_max` is at most 2²²), for leftovers
/// of a run that is surely dead.
const DEAD_PID: u32 = 4_000_000_000;

/// A killed run's hidden partial sibling was never cleaned up. Now the
/// next run into the same parent removes it and, with `--out` absent,
/// moves a complete earlier output set aside by the killed run back; then
/// writes its own output. No leftovers remain.
#[test]
fn leftover_partial_and_old_folders_are_cleaned_by_the_next_run() {
    let (dir, out) = earlier_output();
    let expected = contents(&out);
    // as left by a run killed between its two renames
    fs::rename(
        &out,
        dir.path().join(format!(".out.fundsim-old-{DEAD_PID}")),
    )
    .unwrap();
    let partial = dir.path().join(format!(".out.fundsim-partial-{DEAD_PID}"));
    fs::create_dir(&partial).unwrap();
    fs::write(partial.join("summary.json"), "{").unwrap();
    let r = simulate_tiny(&out, &[]);
    assert!(
        r.stderr.contains("restored the earlier output"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("fundsim-partial"), "{}", r.stderr);
    assert_eq!(names_in(dir.path()), ["out"], "leftovers next to --out");
    assert_eq!(contents(&out), expected);
    // as left by a run killed after the new output was in place
    let old = dir.path().join(format!(".out.fundsim-old-{DEAD_PID}"));
    fs::create_dir(&old).unwrap();
    for (name, bytes) in &expected {
        fs::write(old.join(name), bytes).unwrap();
    }
    let r = simulate_tiny(&out, &[]);
    assert!(r.stderr.contains("removed"), "{}", r.stderr);
    assert_eq!(names_in(dir.path()), ["out"], "leftovers next to --out");
    assert_eq!(contents(&out), expected);
}

/// Siblings that only look like leftovers (another name, a folder that is
/// not fundsim's output) are never removed.
#[test]
fn lookalike_leftovers_are_left_alone() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    for name in [
        ".out.fundsim-partial-x".to_string(),
        format!(".other.fundsim-partial-{DEAD_PID}"),
        format!(".out.fundsim-old-{DEAD_PID}"),
    ] {
        fs::create_dir(dir.path().join(&name)).unwrap();
        fs::write(dir.path().join(&name).join("letter.docx"), "keep").unwrap();
    }
    let before = names_in(dir.path());
    simulate_tiny(&out, &[]);
    let mut expected = before;
    expected.push("out".into());
    assert_eq!(names_in(dir.path()), expected);
}
