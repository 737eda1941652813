//! Reproducibility from the command line: byte-identical outputs for any
//! thread count and any split into shards, the seed's effect, and merge
//! refusing shards that do not make one run.

use crate::support::*;
use std::path::{Path, PathBuf};

/// `--threads 1`, `2` and `4` give byte-identical statistics files (and, in
/// fact, byte-identical folders: manifest and charts too).
#[test]
fn cli_threads_give_identical_bytes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dirs: Vec<PathBuf> = ["1", "2", "4"]
        .iter()
        .map(|t| {
            let dir = tmp.path().join(format!("threads{t}"));
            simulate(&dir, &["--threads", t]);
            dir
        })
        .collect();
    let files = names_in(&dirs[0]);
    for f in STAT_FILES {
        assert!(files.iter().any(|n| n == f), "{f} missing: {files:?}");
    }
    for other in &dirs[1..] {
        assert_eq!(names_in(other), files);
        assert_same_files(&dirs[0], other, &STAT_FILES);
        let all: Vec<&str> = files.iter().map(String::as_str).collect();
        assert_same_files(&dirs[0], other, &all);
    }
}

/// Three shards (`--shard 1/3`, `2/3`, `3/3`), merged with `fundsim merge`,
/// give files byte-identical to one run of all the paths (the marker
/// `fundsim-output.json` too); each shard holds only manifest.json,
/// scenario.toml, paths.bin and its marker.
#[test]
fn cli_three_shards_merge_to_one_run() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let whole = tmp.path().join("whole");
    simulate(&whole, &["--threads", "2"]);
    let shards: Vec<PathBuf> = (1..=3)
        .map(|k| {
            let dir = tmp.path().join(format!("shard{k}"));
            simulate(&dir, &["--shard", &format!("{k}/3"), "--threads", "1"]);
            assert_eq!(
                names_in(&dir),
                [
                    "fundsim-output.json",
                    "manifest.json",
                    "paths.bin",
                    "scenario.toml"
                ],
                "shard {k}"
            );
            dir
        })
        .collect();
    let merged = tmp.path().join("merged");
    // shards given out of order: merge sorts them by path range
    let mut args = vec!["merge"];
    for k in [2, 0, 1] {
        args.push(shards[k].to_str().expect("UTF-8"));
    }
    args.extend(["--out", merged.to_str().expect("UTF-8")]);
    let (code, stderr) = run_cli(&args);
    assert_eq!(code, Some(0), "merge failed:\n{stderr}");
    assert_same_files(&whole, &merged, &STAT_FILES);
    assert_eq!(names_in(&merged), names_in(&whole));
    let all = names_in(&whole);
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    assert_same_files(&whole, &merged, &all);
}

/// The seed matters: `--seed 1` and `--seed 2` give different results, and
/// the scenario's own seed is what a run without `--seed` uses.
#[test]
fn cli_seed_changes_results() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    simulate(&a, &["--seed", "1"]);
    simulate(&b, &["--seed", "2"]);
    for f in ["summary.json", "yearly.csv", "by_city.csv", "by_sector.csv"] {
        assert!(
            read(&a, f) != read(&b, f),
            "{f} is the same for seeds 1 and 2"
        );
    }
    let resolved = fundsim().args(["validate", "--json"]).output().unwrap();
    let resolved: serde_json::Value = serde_json::from_slice(&resolved.stdout).unwrap();
    let seed = resolved["seed"]
        .as_u64()
        .expect("the default scenario has a seed");
    simulate(&c, &["--seed", &seed.to_string()]);
    let d = tmp.path().join("d");
    simulate(&d, &[]);
    assert_same_files(&c, &d, &STAT_FILES);
}

/// `fundsim merge` refuses, with a non-zero exit and a message, shards that do
/// not make one whole run: a shard missing, the same shard twice, and shards
/// of runs with different seeds. It writes nothing then.
#[test]
fn cli_merge_refuses_incomplete_or_mixed_shards() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let shard = |k: u32, seed: &str| {
        let dir = tmp.path().join(format!("s{k}-{seed}"));
        simulate(&dir, &["--shard", &format!("{k}/3"), "--seed", seed]);
        dir
    };
    let (s1, s2, s3) = (shard(1, "11"), shard(2, "11"), shard(3, "11"));
    let s2_other = shard(2, "12");
    let cases: [(&str, Vec<&Path>, &[&str]); 3] = [
        (
            "a shard missing",
            vec![&s1, &s3],
            &["shards 1..3", "[1, 3]"],
        ),
        ("a shard twice", vec![&s1, &s1, &s3], &["shards 1..3"]),
        ("different seeds", vec![&s1, &s2_other, &s3], &["seed"]),
    ];
    for (what, dirs, expected) in cases {
        let out = tmp.path().join(format!("merged {what}"));
        let mut args = vec!["merge"];
        args.extend(dirs.iter().map(|d| d.to_str().expect("UTF-8")));
        args.extend(["--out", out.to_str().expect("UTF-8")]);
        let (code, stderr) = run_cli(&args);
        assert!(
            code.is_some_and(|c| c != 0),
            "{what}: merge exited {code:?}\n{stderr}"
        );
        for e in expected {
            assert!(
                stderr.contains(e),
                "{what}: the message should contain {e:?}:\n{stderr}"
            );
        }
        assert!(
            !out.exists(),
            "{what}: a refused merge must not write outputs"
        );
    }
    // --out an input shard (which replacing would delete) is refused, and
    // the shard is left as it was
    let before = names_in(&s1);
    let (code, stderr) = run_cli(&[
        "merge",
        s1.to_str().unwrap(),
        s2.to_str().unwrap(),
        s3.to_str().unwrap(),
        "--out",
        s1.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "merge into its own input:\n{stderr}");
    assert!(stderr.contains("would lose the shard"), "{stderr}");
    assert_eq!(names_in(&s1), before);
    // the complete set merges
    let out = tmp.path().join("merged ok");
    let (code, stderr) = run_cli(&[
        "merge",
        s1.to_str().unwrap(),
        s2.to_str().unwrap(),
        s3.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "complete merge failed:\n{stderr}");
}

// ------------------------------------------------------------ damaged shards

/// Two shards (`1/2`, `2/2`) of one run of the default scenario in `tmp`.
fn two_shards(tmp: &Path) -> [PathBuf; 2] {
    [1, 2].map(|k| {
        let dir = tmp.join(format!("shard{k}"));
        simulate(&dir, &["--shard", &format!("{k}/2"), "--threads", "1"]);
        dir
    })
}

/// A copy of the shard folder `shard` as `tmp/name`, changed by `tamper`.
fn tampered(tmp: &Path, shard: &Path, name: &str, tamper: impl FnOnce(&Path)) -> PathBuf {
    let dir = tmp.join(name);
    std::fs::create_dir(&dir).expect("create the copy");
    for f in ["manifest.json", "scenario.toml", "paths.bin"] {
        std::fs::copy(shard.join(f), dir.join(f)).expect("copy a shard file");
    }
    tamper(&dir);
    dir
}

/// The shard's manifest with `edit` applied.
fn edit_manifest(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read the manifest"))
            .expect("a shard's manifest is JSON");
    edit(&mut m);
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).expect("write it");
}

/// A change to a manifest, parsed as JSON.
type Edit = fn(&mut serde_json::Value);

/// Each `(name, edit, expected)`: a copy of `shard` whose manifest `edit`
/// changes is refused by [`assert_refused`] with a message holding `expected`.
fn assert_edits_refused(tmp: &Path, [shard, good]: &[PathBuf; 2], cases: &[(&str, Edit, &[&str])]) {
    for (name, edit, expected) in cases {
        let bad = tampered(tmp, shard, name, |d| edit_manifest(d, edit));
        assert_refused(tmp, &bad, good, expected);
    }
}

/// `fundsim merge` of `bad` (and the good second shard) is refused with
/// exit code 2 (not an abort or a panic), a message naming the folder `bad`
/// and every one of `expected`, no Rust type name, and no outputs.
#[track_caller]
fn assert_refused(tmp: &Path, bad: &Path, good: &Path, expected: &[&str]) {
    let out = tmp.join(format!(
        "merged-{}",
        bad.file_name().unwrap().to_string_lossy()
    ));
    let (code, stderr) = run_cli(&[
        "merge",
        bad.to_str().unwrap(),
        good.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let what = bad.display();
    assert_eq!(code, Some(2), "{what}: merge exited {code:?}:\n{stderr}");
    assert!(
        stderr.contains(&format!("shard {what}: ")),
        "{what}: the message should name the shard folder:\n{stderr}"
    );
    for e in expected {
        assert!(
            stderr.contains(e),
            "{what}: the message should contain {e:?}:\n{stderr}"
        );
    }
    for rust in [
        "struct ", "Manifest", "Shape", "enum ", "usize", "u64", "Option", "panicked",
    ] {
        assert!(
            !stderr.contains(rust),
            "{what}: the message shows {rust:?}:\n{stderr}"
        );
    }
    assert!(
        !out.exists(),
        "{what}: a refused merge must not write outputs"
    );
}

/// One flipped bit anywhere in `paths.bin` (here in a path's values, in the
/// exact sums and in the header) is caught by the manifest's SHA-256 before
/// anything is decoded; the untouched shards still merge.
#[test]
fn cli_merge_refuses_a_flipped_byte_in_paths_bin() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let [s1, s2] = two_shards(tmp.path());
    let len = std::fs::metadata(s1.join("paths.bin")).unwrap().len() as usize;
    for at in [12, len / 3, len - 20] {
        let bad = tampered(tmp.path(), &s1, &format!("flipped-{at}"), |d| {
            let mut b = std::fs::read(d.join("paths.bin")).unwrap();
            b[at] ^= 0x10;
            std::fs::write(d.join("paths.bin"), b).unwrap();
        });
        assert_refused(
            tmp.path(),
            &bad,
            &s2,
            &["paths.bin", "checksum mismatch", "paths_sha256"],
        );
    }
    let out = tmp.path().join("merged");
    let (code, stderr) = run_cli(&[
        "merge",
        s1.to_str().unwrap(),
        s2.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
}

/// A `paths.bin` cut short or extended is refused by its length, compared
/// with the one the manifest gives before the file is read.
#[test]
fn cli_merge_refuses_a_truncated_paths_bin() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let [s1, s2] = two_shards(tmp.path());
    let len = std::fs::metadata(s1.join("paths.bin")).unwrap().len();
    let resize = |name: &str, to: u64| {
        tampered(tmp.path(), &s1, name, |d| {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(d.join("paths.bin"))
                .unwrap();
            f.set_len(to).unwrap();
        })
    };
    for (name, to) in [
        ("cut", len - 1),
        ("half", len / 2),
        ("empty", 0),
        ("long", len + 8),
    ] {
        let bad = resize(name, to);
        assert_refused(
            tmp.path(),
            &bad,
            &s2,
            &[
                "paths.bin",
                &format!("holds {to} bytes"),
                &format!("need {len}"),
            ],
        );
    }
}

/// A manifest claiming a huge shape or path count is refused with a
/// message naming the field, before anything of its size is allocated
/// (an allocation abort would exit by a signal, not with code 2).
#[test]
fn cli_merge_refuses_absurd_shapes_without_allocating() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let shards = two_shards(tmp.path());
    let cases: [(&str, Edit, &[&str]); 6] = [
        (
            "years",
            |m| {
                m["shape"]["years"] = 1_000_000.into();
                m["years"] = 1_000_000.into();
            },
            &["`years` is 1000000", "from 1 to 50"],
        ),
        (
            "shape-years",
            |m| m["shape"]["years"] = 1_000_000.into(),
            &["`shape.years` is 1000000", "10, the manifest's `years`"],
        ),
        (
            "cities",
            |m| m["shape"]["cities"] = u64::MAX.into(),
            &["`shape.cities` is 18446744073709551615", "from 1 to 10000"],
        ),
        (
            "sectors",
            |m| m["shape"]["sectors"] = 4_000_000_000_u64.into(),
            &["`shape.sectors` is 4000000000", "from 1 to 10000"],
        ),
        (
            "paths",
            |m| {
                m["paths"] = u64::MAX.into();
                m["shard_paths"] = u64::MAX.into();
            },
            &["`paths` is 18446744073709551615", "from 1 to 100000000"],
        ),
        (
            "shard-count",
            |m| m["shard"]["count"] = u64::MAX.into(),
            &[
                "`first_path, shard_paths` is 0, 150",
                "0, 0: shard 1/18446744073709551615",
            ],
        ),
    ];
    assert_edits_refused(tmp.path(), &shards, &cases);
}

/// A manifest whose shape is not its own scenario's (which would put one
/// city's numbers under another's name) is refused naming the field, the
/// manifest's value and the scenario's.
#[test]
fn cli_merge_refuses_a_shape_that_disagrees_with_the_scenario() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let shards = two_shards(tmp.path());
    let [s1, s2] = &shards;
    let cases: [(&str, Edit, &[&str]); 2] = [
        (
            "cities",
            |m| m["shape"]["cities"] = 11.into(),
            &["`shape.cities` is 11", "its scenario.toml has 12 cities"],
        ),
        (
            "sectors",
            |m| m["shape"]["sectors"] = 9.into(),
            &["`shape.sectors` is 9", "its scenario.toml has 8 sectors"],
        ),
    ];
    assert_edits_refused(tmp.path(), &shards, &cases);
    // and a scenario changed after the shard ran
    let bad = tampered(tmp.path(), s1, "scenario", |d| {
        let mut text = std::fs::read_to_string(d.join("scenario.toml")).unwrap();
        text.push_str("\n# edited\n");
        std::fs::write(d.join("scenario.toml"), text).unwrap();
    });
    assert_refused(
        tmp.path(),
        &bad,
        s2,
        &["scenario.toml has SHA-256", "`input_sha256`"],
    );
}

/// A manifest whose path range is not its shard's is refused: a range
/// beyond the run's paths (and one whose end overflows), a shifted start,
/// a shard index above the count, no shard at all.
#[test]
fn cli_merge_refuses_inconsistent_path_ranges() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let shards = two_shards(tmp.path());
    let cases: [(&str, Edit, &[&str]); 5] = [
        (
            "beyond",
            |m| m["shard_paths"] = 301.into(),
            &[
                "`first_path + shard_paths` is 0 + 301",
                "at most `paths`, 300",
            ],
        ),
        (
            "overflow",
            |m| {
                m["first_path"] = 1.into();
                m["shard_paths"] = u64::MAX.into();
            },
            &["`first_path + shard_paths` is 1 + 18446744073709551615"],
        ),
        (
            "shifted",
            |m| m["first_path"] = 10.into(),
            &[
                "`first_path, shard_paths` is 10, 150",
                "shard 1/2 of 300 paths holds paths 0..150",
            ],
        ),
        (
            "index",
            |m| m["shard"]["index"] = 3.into(),
            &["`shard` is 3/2", "index from 1 to count"],
        ),
        (
            "whole",
            |m| m["shard"] = serde_json::Value::Null,
            &["`shard` is null", "not a shard's"],
        ),
    ];
    assert_edits_refused(tmp.path(), &shards, &cases);
}

/// A manifest that is not JSON, or whose fields have the wrong kind of
/// value or are missing, is refused in the user's words: the field, what
/// was found and what it holds, and no Rust type name.
#[test]
fn cli_merge_refuses_manifests_that_are_not_json_or_have_wrong_types() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let shards = two_shards(tmp.path());
    let [s1, s2] = &shards;
    let write =
        |text: &'static str| move |d: &Path| std::fs::write(d.join("manifest.json"), text).unwrap();
    let bad = tampered(tmp.path(), s1, "not-json", write("shard manifest, honest"));
    assert_refused(
        tmp.path(),
        &bad,
        s2,
        &["manifest.json is not JSON", "line 1 column 1"],
    );
    let bad = tampered(tmp.path(), s1, "array", write("[1, 2]"));
    assert_refused(
        tmp.path(),
        &bad,
        s2,
        &["manifest.json: found an array, expected an object"],
    );
    let cases: [(&str, Edit, &[&str]); 6] = [
        (
            "years-text",
            |m| m["shape"]["years"] = "ten".into(),
            &["field `shape.years`: found string \"ten\", expected a whole number"],
        ),
        (
            "seed-negative",
            |m| m["seed"] = (-1).into(),
            &["field `seed`: found integer `-1`, expected a whole number"],
        ),
        (
            "shard-number",
            |m| m["shard"] = 7.into(),
            &["field `shard`: found integer `7`, expected null or an object"],
        ),
        (
            "missing-cities",
            |m| {
                m["shape"].as_object_mut().unwrap().remove("cities");
            },
            &["field `shape.cities` is missing"],
        ),
        (
            "no-checksum",
            |m| {
                m.as_object_mut().unwrap().remove("paths_sha256");
            },
            &["no `paths_sha256`", "run the shard again"],
        ),
        (
            // a whole run's folder (no shard, no checksum) is called that
            "whole-run",
            |m| {
                m["shard"] = serde_json::Value::Null;
                m.as_object_mut().unwrap().remove("paths_sha256");
            },
            &[
                "`shard` is null",
                "a whole run's manifest, not a shard's",
                "--shard K/N",
            ],
        ),
    ];
    assert_edits_refused(tmp.path(), &shards, &cases);
}

/// A shard run without --out writes its own folder, so that it never
/// replaces the whole run's outputs or another shard's.
#[test]
fn cli_shard_default_folder_is_its_own() {
    let dir = tempfile::tempdir().unwrap();
    for k in ["1/2", "2/2"] {
        fundsim()
            .current_dir(dir.path())
            .args([
                "simulate", "--paths", "6", "--years", "1", "-q", "--shard", k,
            ])
            .assert()
            .success();
    }
    let outputs = dir.path().join("outputs");
    for k in ["1-of-2", "2-of-2"] {
        let shard = outputs.join(format!("jiangxi-2025-shard-{k}"));
        assert!(shard.join("paths.bin").is_file(), "{}", shard.display());
    }
    assert!(!outputs.join("jiangxi-2025").exists());
}
