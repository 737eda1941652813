//! What every command shares: how its paths are run (seed, paths, threads,
//! progress), its provenance, its output folder, and printing to the
//! console without failing when the reader has gone away.

use super::Error;
use crate::input::Source;
use crate::model::scenario::Scenario;
use crate::report::OutputDir;
use crate::report::provenance::{FileRole, InputFile, Provenance};
use crate::stats::runner::RunConfig;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The seed of a run when neither the command line nor the scenario gives one.
pub(crate) const DEFAULT_SEED: u64 = 20_240_101;

/// How a command runs its Monte Carlo paths, as the user asked.
#[derive(Debug, Clone)]
pub(crate) struct RunSettings {
    /// Paths (the command's default when not given).
    pub(crate) paths: u64,
    /// Master seed (the scenario's, else [`DEFAULT_SEED`], when not given).
    pub(crate) seed: Option<u64>,
    /// Worker threads (one per core when not given).
    pub(crate) threads: Option<usize>,
    /// Show a progress bar (on a terminal only).
    pub(crate) progress: bool,
}

impl RunSettings {
    /// The seed: the command line's, else the scenario's, else the default.
    pub(crate) fn seed(&self, s: &Scenario) -> u64 {
        self.seed.or(s.seed).unwrap_or(DEFAULT_SEED)
    }

    /// How to run path indices `paths` of `s`.
    pub(crate) fn config(&self, s: &Scenario, paths: Range<u64>) -> RunConfig {
        RunConfig {
            seed: self.seed(s),
            paths,
            threads: self.threads,
            progress: self.progress,
        }
    }
}

/// The provenance of a run of `s` read from `source`.
pub(crate) fn provenance(
    s: &Scenario,
    source: &Source,
    monte_carlo: Option<(u64, u64)>,
) -> Provenance {
    Provenance {
        scenario: s.name.clone(),
        title: s.title.clone(),
        source: source.name.clone(),
        input_sha256: source.sha256.clone(),
        monte_carlo,
        stress: s.stress.as_ref().map(|st| (st.name.clone(), st.scale)),
        schedules: Vec::new(),
        files: Vec::new(),
    }
}

/// A file read beside the scenario (`role`), as the provenance names it:
/// as given, with the SHA-256 of its bytes.
pub(crate) fn input_file(role: FileRole, file: &Source) -> InputFile {
    InputFile::new(role, file.name.clone(), file.sha256.clone())
}

/// The output folder: `--out`, else `outputs/NAME`.
pub(crate) fn out_dir(out: Option<&Path>, default_name: String) -> PathBuf {
    out.map_or_else(
        || PathBuf::from("outputs").join(default_name),
        Path::to_path_buf,
    )
}

/// Refuses an output folder that cannot be written before any work is done,
/// after putting right what killed runs left next to it (said on stderr).
pub(crate) fn check_out(dir: &Path) -> Result<(), Error> {
    for note in OutputDir::check_target(dir)? {
        say(format_args!("note: {note}"));
    }
    Ok(())
}

/// Prints to stdout; a reader that went away (`| head`) is not an error.
pub(crate) fn print(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(anyhow::Error::new(e)
            .context("cannot write to stdout")
            .into()),
        Ok(()) => Ok(()),
    }
}

/// Writes a line to stderr. A stderr that cannot be written (a full disk, a
/// closed pipe) loses the line and nothing else: unlike `eprintln!`, this
/// never panics, so the exit code stays what the run deserves.
pub(crate) fn say(text: std::fmt::Arguments) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Tells stderr where the outputs went and how long it took.
pub(crate) fn done(out_dir: &Path, started: Instant) {
    say(format_args!(
        "wrote {} in {:.2} s",
        out_dir.display(),
        started.elapsed().as_secs_f64()
    ));
}
