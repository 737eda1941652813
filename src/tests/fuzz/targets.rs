//! The inputs the fuzzer mutates and what each goes through, as the
//! commands run it: the real files ([`Seeds`]: the two scenarios, the
//! overlays, the schedules, an actuals file made from the default's own
//! expected months, a shard run in-process), and per kind the reader, then
//! for an accepted input a short expected-value run, a short Monte Carlo
//! run and the report files in memory, checked by [`super::oracle`].

use super::mutate::{Mutation, apply};
use super::oracle::{Reader, non_finite};
use crate::analysis::budget::Budget;
use crate::analysis::budget::reforecast::reforecast;
use crate::analysis::projection::Projection;
use crate::commands::common::provenance;
use crate::commands::simulate::manifest;
use crate::input::{
    InputError, Source, parse_candidate, parse_overlay, parse_scenario, read_actuals,
    read_shard_head, read_shard_paths,
};
use crate::model::actuals::ACTUAL_LINES;
use crate::model::scenario::Scenario;
use crate::report::budget::Tables;
use crate::report::labels::Lang;
use crate::report::units::Unit;
use crate::report::{File, projection};
use crate::stats::paths::OutOfRange;
use crate::stats::runner::{self, RunConfig, Shard};
use crate::stats::shard::MergeFailure;
use crate::tests::support::{TINY, yearly_csv_books};
use std::fmt::Write as _;
use std::path::Path;

/// What a fuzzed input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// A scenario file (tiny.toml, jiangxi-2025.toml).
    Scenario,
    /// A stress overlay, applied to the default scenario.
    Overlay,
    /// A candidate rate schedule, applied to its scenario.
    Schedule,
    /// An actuals CSV, reforecast on the default scenario.
    Actuals,
    /// A shard folder, read and merged with its sibling.
    Shard,
}

impl Kind {
    /// Every kind, in the order of the table.
    pub(crate) const ALL: [Kind; 5] = [
        Kind::Scenario,
        Kind::Overlay,
        Kind::Schedule,
        Kind::Actuals,
        Kind::Shard,
    ];
}

/// One fuzzed input: a real file of its kind, mutated.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    /// Its kind.
    pub(crate) kind: Kind,
    /// Which real file of the kind (modulo their number).
    pub(crate) file: usize,
    /// For a shard: which of its files is mutated (0 manifest, 1 scenario,
    /// 2 paths) and whether the manifest's SHA-256 is made to match.
    pub(crate) shard_file: (usize, bool),
    /// The mutations.
    pub(crate) mutations: Vec<Mutation>,
    /// Monte Carlo paths of the short run, 2–4.
    pub(crate) paths: u64,
    /// The overlay's scale.
    pub(crate) scale: f64,
}

/// How an input came out, short of a panic or a hang.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// Accepted, run, its files checked.
    Accepted,
    /// Refused by `reader` with `message`.
    Refused(Reader, String),
    /// An accepted input's file holds a value that is not finite.
    NonFinite(String),
    /// An accepted input's files break an accounting identity.
    Identity(String),
    /// A failure of the exit code 1 class (not a refusal of the input).
    Environment(String),
}

/// A reader of a TOML input into the scenario to run and its source.
type Read<'a> = dyn Fn(&Source) -> Result<(Scenario, Source), InputError> + 'a;

/// The real files, read once.
pub(crate) struct Seeds {
    /// Scenario texts with their names.
    scenarios: Vec<(&'static str, &'static str)>,
    /// The default scenario.
    default: Scenario,
    /// Overlays, each with the default cut to the years it needs.
    overlays: Vec<(&'static str, &'static str, Scenario)>,
    /// Schedules, each with its scenario cut to the years it needs.
    schedules: Vec<(&'static str, &'static str, Scenario)>,
    /// An actuals file of the default's first budget year, months 1–3.
    actuals: String,
    /// The two shards of a 4-path, 2-year run of the default: their files.
    shards: [Vec<File>; 2],
}

const OVERLAYS: [(&str, &str); 6] = [
    (
        "benefit_indexation.toml",
        include_str!("../../../scenarios/stress/benefit_indexation.toml"),
    ),
    (
        "claims_surge.toml",
        include_str!("../../../scenarios/stress/claims_surge.toml"),
    ),
    (
        "combined.toml",
        include_str!("../../../scenarios/stress/combined.toml"),
    ),
    (
        "low_interest.toml",
        include_str!("../../../scenarios/stress/low_interest.toml"),
    ),
    (
        "mine_disaster.toml",
        include_str!("../../../scenarios/stress/mine_disaster.toml"),
    ),
    (
        "recession.toml",
        include_str!("../../../scenarios/stress/recession.toml"),
    ),
];

const SCHEDULES: [(&str, &str, bool); 3] = [
    (
        "rise-2027.toml",
        include_str!("../../../scenarios/rates/rise-2027.toml"),
        false,
    ),
    (
        "rise-2026-phased.toml",
        include_str!("../../../scenarios/rates/rise-2026-phased.toml"),
        false,
    ),
    (
        "tiny-rise.toml",
        include_str!("../../../tests/data/tiny-rise.toml"),
        true,
    ),
];

impl Seeds {
    /// Reads the real files and makes the actuals and the shards.
    pub(crate) fn new() -> Seeds {
        let default = crate::input::default_scenario();
        let tiny = crate::tests::support::tiny();
        // the shortest horizon that still holds the years a file names
        let cut = |s: &Scenario, last: i32| {
            let years = (last - s.start_year + 1).clamp(2, s.years as i32) as usize;
            s.clone().with_years(years).expect("a shorter horizon")
        };
        let overlays = OVERLAYS
            .iter()
            .map(|(name, text)| {
                let st = parse_overlay(&source(name, text), &default).expect("a real overlay");
                let last = st.shocks.iter().map(|k| k.to).max().unwrap_or(0);
                (*name, *text, cut(&default, last))
            })
            .collect();
        let schedules = SCHEDULES
            .iter()
            .map(|(name, text, on_tiny)| {
                let s = if *on_tiny { &tiny } else { &default };
                let c = parse_candidate(&source(name, text), s).expect("a real schedule");
                let last = c.schedule.iter().map(|ch| ch.year).max().unwrap_or(0);
                (*name, *text, cut(s, last))
            })
            .collect();
        let short = default.clone().with_years(2).expect("two years");
        Seeds {
            scenarios: vec![
                ("tiny.toml", TINY),
                ("jiangxi-2025.toml", crate::input::DEFAULT_TOML),
            ],
            actuals: actuals_of(&short),
            shards: [1, 2].map(|k| shard_files(&short, Shard { index: k, count: 2 })),
            default,
            overlays,
            schedules,
        }
    }

    /// The bytes a case mutates.
    pub(crate) fn original(&self, c: &Case) -> Vec<u8> {
        match c.kind {
            Kind::Scenario => self.scenarios[c.file % self.scenarios.len()].1.into(),
            Kind::Overlay => self.overlays[c.file % self.overlays.len()].1.into(),
            Kind::Schedule => self.schedules[c.file % self.schedules.len()].1.into(),
            Kind::Actuals => self.actuals.clone().into_bytes(),
            Kind::Shard => self.shards[0][c.shard_file.0 % 3].bytes.clone(),
        }
    }

    /// The mutated input of a case.
    pub(crate) fn input(&self, c: &Case) -> Vec<u8> {
        apply(&self.original(c), &c.mutations)
    }

    /// Runs a case through its reader and, when accepted, its runs and files.
    pub(crate) fn run(&self, c: &Case) -> Outcome {
        let bytes = self.input(c);
        let config = |s: &Scenario| RunConfig {
            seed: s.seed.unwrap_or(crate::commands::common::DEFAULT_SEED),
            paths: 0..c.paths,
            threads: Some(1),
            progress: false,
        };
        let toml = |name: &str, read: &Read| match text_source(name, bytes.clone())
            .and_then(|src| read(&src))
        {
            Ok((s, src)) => project(&s, &src, &config(&s)),
            Err(e) => refused(&e),
        };
        match c.kind {
            Kind::Scenario => {
                let name = self.scenarios[c.file % self.scenarios.len()].0;
                let src = match text_source(name, bytes) {
                    Ok(src) => src,
                    Err(e) => return refused(&e),
                };
                match parse_scenario(&src).map(|s| s.with_years(2)) {
                    Ok(Ok(s)) => project(&s, &src, &config(&s)),
                    Ok(Err(p)) => Outcome::Refused(Reader::Run, p.to_string()),
                    Err(e) => refused(&e),
                }
            }
            Kind::Overlay => {
                let (name, _, base) = &self.overlays[c.file % self.overlays.len()];
                toml(name, &|src| {
                    let mut s = base.clone();
                    s.stress = Some(parse_overlay(src, base)?.scaled(c.scale));
                    Ok((s, Source::default_scenario()))
                })
            }
            Kind::Schedule => {
                let (name, _, base) = &self.schedules[c.file % self.schedules.len()];
                toml(name, &|src| {
                    let candidate = parse_candidate(src, base)?;
                    Ok((base.with_candidate(&candidate), Source::default_scenario()))
                })
            }
            Kind::Actuals => self.budget(&bytes, &config(&self.default)),
            Kind::Shard => self.shard(c, bytes),
        }
    }

    /// An actuals file through `fundsim budget`'s reforecast of the first year.
    fn budget(&self, bytes: &[u8], run: &RunConfig) -> Outcome {
        let Ok(dir) = tempfile::tempdir() else {
            return Outcome::Environment("no temporary folder".into());
        };
        let path = dir.path().join("actuals.csv");
        if let Err(e) = std::fs::write(&path, bytes) {
            return Outcome::Environment(format!("cannot write {}: {e}", path.display()));
        }
        let s = self.default.clone().with_years(2).expect("two years");
        let actuals = match read_actuals(&path, s.start_year, &s.sharing.scheme, &city_names(&s)) {
            Ok(a) => a,
            Err(e) => return refused(&e),
        };
        let set = match runner::run(&s, run) {
            Ok(set) => set,
            Err(e) => return run_failure(&e),
        };
        let budget = Budget::new(&s, &set, 0);
        let lines = reforecast(&set, 0, &budget.pattern, &actuals);
        let unit = Unit::default_for(&s);
        let tables = Tables::new(&s, &budget, unit, Some((actuals.months, lines.as_slice())));
        if let Err(e) = tables.check() {
            return Outcome::Identity(format!("budget tables: {e}"));
        }
        let prov = provenance(&s, &Source::default_scenario(), Some((run.seed, 4)));
        match tables.files(&s, &prov, Lang::Zh) {
            Ok(files) => check_files(&files, None),
            Err(e) => Outcome::Environment(format!("budget files: {e}")),
        }
    }

    /// A shard folder with one file mutated, read and merged with its sibling.
    fn shard(&self, c: &Case, bytes: Vec<u8>) -> Outcome {
        let Ok(dir) = tempfile::tempdir() else {
            return Outcome::Environment("no temporary folder".into());
        };
        let (which, resign) = (c.shard_file.0 % 3, c.shard_file.1);
        let mut files = self.shards[0].clone();
        files[which].bytes = bytes;
        if resign && which > 0 {
            // the manifest made to match the mutated file, so that the
            // checks past the checksum see it
            let field = if which == 1 {
                "input_sha256"
            } else {
                "paths_sha256"
            };
            let sha = crate::input::sha256_hex(&files[which].bytes);
            let mut m: serde_json::Value =
                serde_json::from_slice(&files[0].bytes).expect("the real manifest");
            m[field] = serde_json::Value::String(sha);
            files[0].bytes = (serde_json::to_string_pretty(&m).expect("JSON") + "\n").into();
        }
        let mut heads = Vec::new();
        for (k, shard) in [&files, &self.shards[1]].into_iter().enumerate() {
            let at = dir.path().join(format!("shard{}", k + 1));
            if let Err(e) = write_all(&at, shard) {
                return Outcome::Environment(format!("cannot write {}: {e}", at.display()));
            }
            match read_shard_head(&at) {
                Ok(head) => heads.push((head, at)),
                Err(e) => return refused(&e),
            }
        }
        let merged = crate::stats::shard::merge_from(heads, |at, head| read_shard_paths(&at, head));
        let whole = match merged {
            Ok(w) => w,
            Err(MergeFailure::Load(e)) => return refused(&e),
            Err(MergeFailure::Merge(e)) => return Outcome::Refused(Reader::Shard, e.to_string()),
        };
        let m = &whole.manifest;
        let s = &whole.scenario;
        let src = Source::new(m.source.clone(), whole.scenario_text.clone());
        let p = Projection::monte_carlo(s, &whole.set);
        let prov = provenance(s, &src, Some((m.seed, m.paths)));
        match projection::files(
            &p,
            &prov,
            Some(m),
            Unit::default_for(s),
            Lang::default_for(s),
        ) {
            Ok(files) => check_files(&files, Some((s, &p))),
            Err(e) => Outcome::Environment(format!("projection files: {e}")),
        }
    }
}

fn source(name: &str, text: &str) -> Source {
    Source::new(name.to_string(), text.to_string())
}

/// The input as the commands read it: text, or (not UTF-8) what reading
/// the file says, through the real reader.
fn text_source(name: &str, bytes: Vec<u8>) -> Result<Source, InputError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(name.to_string(), text)),
        Err(e) => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let path = dir.path().join(name);
            std::fs::write(&path, e.as_bytes()).expect("a temporary file");
            Source::read(&path, "input")
        }
    }
}

/// The reader whose wording a refusal is in.
fn reader(e: &InputError) -> Reader {
    match e {
        InputError::Read { .. } | InputError::Encoding { .. } => Reader::Read,
        InputError::Empty { .. } | InputError::Parse { .. } => Reader::TomlText,
        InputError::Invalid { what, .. } => match *what {
            "stress overlay" => Reader::Overlay,
            "rate schedule" => Reader::Schedule,
            _ => Reader::Scenario,
        },
        InputError::Rows(_) => Reader::Actuals,
        InputError::Shard { .. } => Reader::Shard,
    }
}

fn refused(e: &InputError) -> Outcome {
    Outcome::Refused(reader(e), e.to_string())
}

/// A run that failed: a path out of range is the scenario's (a refusal,
/// exit code 2); anything else is of the exit code 1 class.
fn run_failure(e: &anyhow::Error) -> Outcome {
    if e.downcast_ref::<OutOfRange>().is_some() {
        Outcome::Refused(Reader::Run, e.to_string())
    } else {
        Outcome::Environment(format!("{e:#}"))
    }
}

/// The expected-value run and a short Monte Carlo run of `s`, with their files.
fn project(s: &Scenario, src: &Source, run: &RunConfig) -> Outcome {
    let unit = Unit::default_for(s);
    let det = Projection::expected_value(s);
    let prov = provenance(s, src, None);
    match projection::files(&det, &prov, None, unit, Lang::default_for(s)) {
        Ok(files) => match check_files(&files, Some((s, &det))) {
            Outcome::Accepted => {}
            other => return other,
        },
        Err(e) => return Outcome::Environment(format!("projection files: {e}")),
    }
    let set = match runner::run(s, run) {
        Ok(set) => set,
        Err(e) => return run_failure(&e),
    };
    let m = manifest(s, src, run, (run.paths.end, Shard::ALL), &set);
    let mc = Projection::monte_carlo(s, &set);
    let prov = provenance(s, src, Some((run.seed, run.paths.end)));
    match projection::files(&mc, &prov, Some(&m), unit, Lang::default_for(s)) {
        Ok(files) => check_files(&files, Some((s, &mc))),
        Err(e) => Outcome::Environment(format!("projection files: {e}")),
    }
}

/// No file holds a non-finite value; a projection's `yearly.csv` keeps the books.
fn check_files(files: &[File], projection: Option<(&Scenario, &Projection)>) -> Outcome {
    if let Some(fault) = files.iter().find_map(non_finite) {
        return Outcome::NonFinite(fault);
    }
    if let Some((s, p)) = projection
        && let Some(yearly) = files.iter().find(|f| f.name == "yearly.csv")
    {
        let years: Vec<i32> = p.years.iter().map(|y| y.year).collect();
        if let Err(e) = yearly_csv_books(&yearly.bytes, s.fund.opening_balance, &years) {
            return Outcome::Identity(format!("yearly.csv: {e}"));
        }
    }
    Outcome::Accepted
}

/// An actuals file of months 1–3 of `s`'s first year: each line's expected
/// monthly amounts, as a finance office would export them.
fn actuals_of(s: &Scenario) -> String {
    let months = crate::tests::support::months(s);
    let mut out = String::from("month,line,amount\n");
    for m in months.iter().take(3) {
        for line in ACTUAL_LINES.iter().filter(|l| s.sharing.scheme.shows(**l)) {
            let _ = writeln!(out, "{},{},{:.2}", m.month, line.name(), m.get(*line));
        }
    }
    out
}

/// The files of shard `shard` of a 4-path run of `s`, as `simulate --shard` writes them.
fn shard_files(s: &Scenario, shard: Shard) -> Vec<File> {
    let src = Source::default_scenario();
    let run = RunConfig {
        seed: crate::commands::common::DEFAULT_SEED,
        paths: shard.range(4),
        threads: Some(1),
        progress: false,
    };
    let set = runner::run(s, &run).expect("a shard's run");
    let m = manifest(s, &src, &run, (4, shard), &set);
    crate::report::shard::files(&m, &src.text, &set).expect("a shard's files")
}

fn write_all(dir: &Path, files: &[File]) -> std::io::Result<()> {
    std::fs::create_dir(dir)?;
    for f in files {
        std::fs::write(dir.join(&f.name), &f.bytes)?;
    }
    Ok(())
}

/// The names of a scenario's cities, which an actuals file may use.
fn city_names(s: &Scenario) -> Vec<String> {
    s.cities.iter().map(|c| c.name.clone()).collect()
}
