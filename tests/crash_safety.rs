//! A run killed at any point leaves `--out` complete: under `strace`, a
//! tiny Monte Carlo run is killed (`SIGKILL`) at every invocation, one at a
//! time, of each system call that creates, writes, syncs, renames or
//! removes something; after each kill `--out` must hold the complete
//! earlier output or the complete new one (or nothing, when there was
//! none), and the next run must leave no leftovers and a complete output.
//! It is run twice: with `renameat2(RENAME_EXCHANGE)` and with it failing
//! (`EINVAL`, as on a file system without it), which takes the two-rename
//! path and its recovery.

use crate::support::*;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tempfile::TempDir;

/// The system calls killed at, each at every one of its invocations.
const SYSCALLS: [&str; 12] = [
    "openat",
    "write",
    "fsync",
    "fdatasync",
    "rename",
    "renameat",
    "renameat2",
    "mkdir",
    "mkdirat",
    "unlink",
    "unlinkat",
    "rmdir",
];

/// The tiny run: a Monte Carlo run writes the most files (charts too).
fn tiny_run(seed: &str) -> Vec<String> {
    let args = ["simulate", "--paths", "2", "--years", "1", "-q"];
    let mut v: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
    v.push(tiny_path().display().to_string());
    v.extend(["--threads", "1", "--seed", seed].map(String::from));
    v
}

/// A folder's files, by name, and their bytes.
type Files = BTreeMap<String, Vec<u8>>;

/// The files of `dir`; `None` when it does not exist.
fn files(dir: &Path) -> Option<Files> {
    fs::symlink_metadata(dir).is_ok().then(|| contents(dir))
}

/// Whether `strace` can trace here; panics when it cannot and `CI` is set.
fn strace_works() -> bool {
    let ok = Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "strace is missing or cannot trace, and CI is set: .ci/run installs it"
        );
        eprintln!("crash_safety: skipped, strace is not installed or cannot trace here");
    }
    ok
}

/// What `--out` held right after a kill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum After {
    /// The complete earlier output.
    Earlier,
    /// The complete new output.
    New,
    /// Nothing, and there was nothing before.
    Absent,
    /// Nothing, the complete earlier output in `.out.fundsim-old-PID` (a
    /// kill between the two renames; the next run moves it back).
    Aside,
}

struct Harness {
    bin: PathBuf,
    new: Files,
    earlier: Files,
}

impl Harness {
    /// The reference outputs of seed 1 (new) and seed 2 (earlier).
    fn new() -> Harness {
        let bin = assert_cmd::cargo::cargo_bin("fundsim");
        let tmp = TempDir::new().unwrap();
        let reference = |seed: &str| {
            let out = tmp.path().join(seed);
            let status = Command::new(&bin)
                .args(tiny_run(seed))
                .arg("--out")
                .arg(&out)
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            files(&out).unwrap()
        };
        let (new, earlier) = (reference("1"), reference("2"));
        assert_ne!(new, earlier);
        Harness { bin, new, earlier }
    }

    /// Kills the seed-1 run into `dir/out` at invocation `n` of `syscall`;
    /// `None` when the run finished before it.
    fn kill(&self, dir: &Path, syscall: &str, n: u32, exchange: bool) -> Option<After> {
        let out = dir.join("out");
        let mut cmd = Command::new("strace");
        cmd.args(["-f", "-qq", "-o", "/dev/null"]);
        if !exchange {
            cmd.args(["-e", "inject=renameat2:error=EINVAL"]);
        }
        cmd.args(["-e", &format!("inject={syscall}:signal=KILL:when={n}")])
            .arg(&self.bin)
            .args(tiny_run("1"))
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let status = cmd.status().expect("run strace");
        if status.success() {
            return None;
        }
        assert_eq!(
            status.signal().or(status.code().map(|c| c - 128)),
            Some(9),
            "{syscall} #{n}: the run failed without being killed: {status}"
        );
        let mut leftovers = names_in(dir);
        leftovers.retain(|n| n != "out");
        for l in &leftovers {
            assert!(
                l.starts_with(".out.fundsim-partial-") || l.starts_with(".out.fundsim-old-"),
                "{syscall} #{n}: leftover {l} is not hidden and named as unfinished"
            );
        }
        let old_aside = leftovers
            .iter()
            .filter(|l| l.starts_with(".out.fundsim-old-"))
            .any(|l| files(&dir.join(l)).as_ref() == Some(&self.earlier));
        Some(match files(&out) {
            Some(f) if f == self.new => After::New,
            Some(f) if f == self.earlier => After::Earlier,
            None if old_aside && !exchange => After::Aside,
            None if old_aside => panic!("{syscall} #{n}: --out absent with RENAME_EXCHANGE"),
            None => After::Absent,
            Some(f) => panic!(
                "{syscall} #{n}: --out holds neither output: {:?}",
                f.keys().collect::<Vec<_>>()
            ),
        })
    }

    /// Every kill point of one setting; returns how often each state came.
    fn sweep(&self, earlier: bool, exchange: bool) -> BTreeMap<After, u32> {
        let mut seen = BTreeMap::new();
        for syscall in SYSCALLS {
            if !exchange && syscall == "renameat2" {
                continue; // it fails with EINVAL in this setting
            }
            for n in 1.. {
                let tmp = TempDir::new().unwrap();
                let out = tmp.path().join("out");
                if earlier {
                    fs::create_dir(&out).unwrap();
                    for (name, bytes) in &self.earlier {
                        fs::write(out.join(name), bytes).unwrap();
                    }
                }
                let Some(after) = self.kill(tmp.path(), syscall, n, exchange) else {
                    break;
                };
                assert!(
                    earlier || after == After::Absent || after == After::New,
                    "{syscall} #{n}: {after:?} without an earlier output"
                );
                assert!(
                    !earlier || after != After::Absent,
                    "{syscall} #{n}: the earlier output is lost"
                );
                *seen.entry(after).or_default() += 1;
                self.rerun(tmp.path(), &format!("{syscall} #{n} ({after:?})"));
            }
        }
        seen
    }

    /// The next run into the same parent cleans up and writes it all.
    fn rerun(&self, dir: &Path, what: &str) {
        let out = dir.join("out");
        let status = Command::new(&self.bin)
            .args(tiny_run("1"))
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{what}: the next run failed");
        assert_eq!(
            names_in(dir),
            ["out"],
            "{what}: leftovers after the next run"
        );
        assert!(files(&out) == Some(self.new.clone()), "{what}: incomplete");
    }
}

/// Killed at every write, sync, rename and removal, with and without an
/// earlier output and with and without `RENAME_EXCHANGE`, `--out` is never
/// half-written or lost, and the next run leaves it complete and alone.
#[test]
fn killed_at_any_step_the_output_folder_stays_complete() {
    if !strace_works() {
        return;
    }
    let h = Harness::new();
    for exchange in [true, false] {
        for earlier in [false, true] {
            let seen = h.sweep(earlier, exchange);
            eprintln!(
                "crash_safety: exchange {exchange}, earlier output {earlier}: {} kill points, {seen:?}",
                seen.values().sum::<u32>()
            );
            // the kills reached both sides of the move into place
            let before = if earlier {
                After::Earlier
            } else {
                After::Absent
            };
            assert!(seen.contains_key(&before), "{seen:?}");
            assert!(seen.contains_key(&After::New), "{seen:?}");
            if earlier && !exchange {
                assert!(seen.contains_key(&After::Aside), "{seen:?}");
            }
        }
    }
}
