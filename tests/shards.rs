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
