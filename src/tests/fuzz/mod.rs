//! A property-based fuzzer of everything a user hands the tool (docs/fuzzing.md):
//! scenarios, stress overlays, rate schedules, actuals files and shard
//! folders, each a real file mutated by proptest strategies ([`mutate`]),
//! run through its reader and, when accepted, through short runs and the
//! report files ([`targets`]), and judged by [`oracle`]. This module owns
//! the campaign: cases drawn from a fixed seed, each on a worker thread
//! under a time budget with panics caught, and the table of outcomes.
//!
//! `FUNDSIM_FUZZ_CASES` (or `PROPTEST_CASES`) sets the number of inputs,
//! split evenly over the kinds, `FUNDSIM_FUZZ_SEED` the seed and
//! `FUNDSIM_FUZZ_LANES` the parallel lanes; `benches/fuzz.sh N` runs N.

mod mutate;
mod oracle;
mod targets;

use oracle::{KNOWN_OPEN_LEAKS, MessageFault, Reader, message_fault};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use targets::{Case, Kind, Outcome, Seeds};

/// Inputs of the CI run, split over the kinds.
const CI_CASES: usize = 10_000;
/// The CI run's seed.
const CI_SEED: u64 = 20_250_601;
/// The time one input may take before it counts as a hang.
const BUDGET: Duration = Duration::from_secs(10);
/// The name of the worker threads, whose panics are recorded, not printed.
const WORKER: &str = "fundsim-fuzz-worker";
/// Examples kept per kind of failure.
const EXAMPLES: usize = 3;

/// Failures known and open, counted and shown but not failing the test
/// (docs/fuzzing.md). Empty: every failure fails the test.
const KNOWN_OPEN: &[(Kind, Verdict)] = &[];

/// The cases of a kind.
fn case(kind: Kind) -> impl Strategy<Value = Case> {
    (
        0usize..16,
        (0usize..3, any::<bool>()),
        mutate::mutations(),
        2u64..=4,
        prop::sample::select(&[1.0, 1.0, 0.0, 0.5, 2.5, 10.0][..]),
    )
        .prop_map(move |(file, shard_file, mutations, paths, scale)| Case {
            kind,
            file,
            shard_file,
            mutations,
            paths,
            scale,
        })
}

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verdict {
    Accepted,
    Refused,
    Panic,
    Hang,
    NonFinite,
    Identity,
    Unlocated,
    Leak,
    /// A leak in a message class listed in [`KNOWN_OPEN_LEAKS`].
    KnownLeak,
    Environment,
}

impl Verdict {
    const COLUMNS: [(Verdict, &'static str); 10] = [
        (Verdict::Accepted, "accepted"),
        (Verdict::Refused, "refused"),
        (Verdict::Panic, "panics"),
        (Verdict::Hang, "hangs"),
        (Verdict::NonFinite, "non-finite"),
        (Verdict::Identity, "identity"),
        (Verdict::Unlocated, "unlocated"),
        (Verdict::Leak, "leaks"),
        (Verdict::KnownLeak, "known-leaks"),
        (Verdict::Environment, "env(1)"),
    ];

    fn is_failure(self) -> bool {
        !matches!(
            self,
            Verdict::Accepted | Verdict::Refused | Verdict::KnownLeak
        )
    }
}

/// Counts by kind and verdict, and examples of each failure.
#[derive(Default)]
struct Tally {
    counts: BTreeMap<(Kind, Verdict), u64>,
    /// Leaked words by reader.
    leaks: BTreeMap<(Reader, &'static str), u64>,
    /// By verdict (and, for a leak, reader and word).
    examples: BTreeMap<String, Vec<String>>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        for (k, n) in other.counts {
            *self.counts.entry(k).or_default() += n;
        }
        for (k, n) in other.leaks {
            *self.leaks.entry(k).or_default() += n;
        }
        for (v, e) in other.examples {
            let mine = self.examples.entry(v).or_default();
            mine.extend(e);
            mine.truncate(EXAMPLES);
        }
    }

    fn count(&self, kind: Option<Kind>, v: Verdict) -> u64 {
        self.counts
            .iter()
            .filter(|((k, x), _)| *x == v && kind.is_none_or(|kind| kind == *k))
            .map(|(_, n)| n)
            .sum()
    }

    fn failures(&self) -> u64 {
        self.counts
            .iter()
            .filter(|((k, v), _)| v.is_failure() && !KNOWN_OPEN.contains(&(*k, *v)))
            .map(|(_, n)| n)
            .sum()
    }

    /// The table: a row per kind and the total.
    fn table(&self) -> String {
        let mut out = format!("{:<10} {:>9}", "kind", "inputs");
        for (_, name) in Verdict::COLUMNS {
            let _ = write!(out, " {name:>11}");
        }
        out.push('\n');
        let rows = Kind::ALL.iter().map(|k| (format!("{k:?}"), Some(*k)));
        for (name, kind) in rows.chain([("total".to_string(), None)]) {
            let all: u64 = Verdict::COLUMNS
                .iter()
                .map(|(v, _)| self.count(kind, *v))
                .sum();
            let _ = write!(out, "{name:<10} {all:>9}");
            for (v, _) in Verdict::COLUMNS {
                let _ = write!(out, " {:>11}", self.count(kind, v));
            }
            out.push('\n');
        }
        for ((reader, word), n) in &self.leaks {
            let _ = writeln!(out, "leak: {reader:?} shows `{word}` in {n} messages");
        }
        out
    }
}

thread_local! {
    /// The last panic of this worker thread: message and place.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Records the panics of the worker threads instead of printing them;
/// other threads' panics go to the hook there was.
fn install_panic_hook() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some(WORKER) {
                PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
            } else {
                previous(info);
            }
        }));
    });
}

/// A thread that runs cases one at a time; a hung one is abandoned.
struct Worker {
    jobs: Sender<Case>,
    results: Receiver<Result<Outcome, String>>,
}

impl Worker {
    fn start(seeds: Arc<Seeds>) -> Worker {
        let (jobs, inbox) = channel::<Case>();
        let (outbox, results) = channel();
        std::thread::Builder::new()
            .name(WORKER.into())
            .spawn(move || {
                for case in inbox {
                    let outcome = catch_unwind(AssertUnwindSafe(|| seeds.run(&case)))
                        .map_err(|_| PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default());
                    if outbox.send(outcome).is_err() {
                        break;
                    }
                }
            })
            .expect("a worker thread");
        Worker { jobs, results }
    }
}

/// The verdict on an outcome of the input `input`, and what to show of it.
fn judge(
    outcome: Result<Outcome, String>,
    input: &[u8],
    tally: &mut Tally,
) -> (Verdict, String, String) {
    match outcome {
        Err(panic) if panic.starts_with("HANG: ") => (Verdict::Hang, "Hang".into(), panic),
        Err(panic) => (Verdict::Panic, "Panic".into(), panic),
        Ok(Outcome::Accepted) => (Verdict::Accepted, String::new(), String::new()),
        Ok(Outcome::NonFinite(m)) => (Verdict::NonFinite, "NonFinite".into(), m),
        Ok(Outcome::Identity(m)) => (Verdict::Identity, "Identity".into(), m),
        Ok(Outcome::Environment(m)) => (Verdict::Environment, "Environment".into(), m),
        Ok(Outcome::Refused(reader, message)) => match message_fault(&message, input) {
            None => (Verdict::Refused, String::new(), String::new()),
            Some(MessageFault::Unlocated) => {
                (Verdict::Unlocated, format!("Unlocated {reader:?}"), message)
            }
            Some(MessageFault::Leak(word)) => {
                *tally.leaks.entry((reader, word)).or_default() += 1;
                let v = if KNOWN_OPEN_LEAKS.contains(&(reader, word)) {
                    Verdict::KnownLeak
                } else {
                    Verdict::Leak
                };
                (v, format!("{v:?} {reader:?} `{word}`"), message)
            }
        },
    }
}

/// Runs `n` cases of each kind in `kinds` from `seed`, one lane.
fn lane(seeds: &Arc<Seeds>, kinds: &[Kind], n: usize, seed: u64) -> Tally {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &key);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let mut tally = Tally::default();
    let mut worker = Worker::start(Arc::clone(seeds));
    for i in 0..n * kinds.len() {
        let kind = kinds[i % kinds.len()];
        let case = case(kind).new_tree(&mut runner).expect("a case").current();
        worker.jobs.send(case.clone()).expect("the worker is alive");
        let outcome = match worker.results.recv_timeout(BUDGET) {
            Ok(o) => o,
            Err(RecvTimeoutError::Timeout) => {
                // the hung thread is left to itself; a fresh one goes on
                worker = Worker::start(Arc::clone(seeds));
                Err(format!("no answer within {BUDGET:?}")).map_err(|m| format!("HANG: {m}"))
            }
            Err(RecvTimeoutError::Disconnected) => {
                worker = Worker::start(Arc::clone(seeds));
                Err("the worker thread died".into())
            }
        };
        let input = seeds.input(&case);
        let (verdict, label, shown) = judge(outcome, &input, &mut tally);
        *tally.counts.entry((kind, verdict)).or_default() += 1;
        if verdict.is_failure() || verdict == Verdict::KnownLeak {
            let examples = tally
                .examples
                .entry(format!("{label} ({kind:?})"))
                .or_default();
            if examples.len() < EXAMPLES {
                let text = String::from_utf8_lossy(&input);
                let excerpt: String = text.chars().take(1500).collect();
                examples.push(format!(
                    "{shown}\n  case: {case:?}\n  input ({} bytes): {excerpt:?}",
                    input.len()
                ));
            }
        }
    }
    tally
}

/// Runs `total` inputs split over the kinds on `lanes` threads from `seed`.
fn campaign(total: usize, lanes: usize, seed: u64) -> Tally {
    install_panic_hook();
    let seeds = Arc::new(Seeds::new());
    let per_kind_lane = total.div_ceil(Kind::ALL.len() * lanes).max(1);
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..lanes)
            .map(|l| {
                let seeds = &seeds;
                scope.spawn(move || lane(seeds, &Kind::ALL, per_kind_lane, seed + l as u64))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a lane"))
            .collect()
    });
    let mut tally = Tally::default();
    for t in tallies {
        tally.add(t);
    }
    tally
}

fn env_number(names: &[&str]) -> Option<u64> {
    names
        .iter()
        .find_map(|n| std::env::var(n).ok()?.trim().parse().ok())
}

/// Every fuzzed input — a real scenario, overlay, schedule, actuals file
/// or shard folder, mutated — is accepted (its runs and files finite and
/// keeping the books) or refused with a message naming a line or field,
/// without a panic, a hang or a Rust type name.
#[test]
fn fuzzed_inputs_are_accepted_or_refused_by_line_or_field() {
    let total =
        env_number(&["FUNDSIM_FUZZ_CASES", "PROPTEST_CASES"]).map_or(CI_CASES, |n| n as usize);
    let seed = env_number(&["FUNDSIM_FUZZ_SEED"]).unwrap_or(CI_SEED);
    let lanes = env_number(&["FUNDSIM_FUZZ_LANES"]).map_or(2, |n| n.max(1) as usize);
    let started = Instant::now();
    let tally = campaign(total, lanes, seed);
    let mut report = format!(
        "fuzz: seed {seed}, {lanes} lanes, {:.1} s\n{}",
        started.elapsed().as_secs_f64(),
        tally.table()
    );
    for (v, examples) in &tally.examples {
        for e in examples {
            let _ = writeln!(report, "--- {v}\n{e}");
        }
    }
    println!("{report}");
    assert_eq!(tally.failures(), 0, "{report}");
}
