//! Writing a run's results: one file per format behind the [`Export`]
//! trait, all written into a temporary folder that is renamed into place
//! only when every file is complete ([`OutputDir`]), so an output folder is
//! never left half-written.

mod csv_files;
pub mod rates;
pub mod stress;
mod summary;

use crate::engine::MonthRecord;
use crate::scenario::Scenario;
use crate::shard::Manifest;
use crate::stats::paths::PathSet;
use crate::stats::{CalibrationRow, YearResult};
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub use csv_files::{ByCity, BySector, Monthly, Yearly};
pub use summary::Summary;

/// How a run was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Every random quantity at its expectation (MODEL.md section 10).
    ExpectedValue,
    /// Monte Carlo paths.
    MonteCarlo,
}

/// Where a run came from: enough to regenerate it.
#[derive(Debug, Clone, Serialize)]
pub struct RunMeta {
    /// Scenario name.
    pub scenario: String,
    /// Scenario file (or the embedded default).
    pub source: String,
    /// SHA-256 of the scenario file.
    pub input_sha256: String,
    /// fundsim version.
    pub tool_version: String,
    /// Computation mode.
    pub mode: Mode,
    /// First projection year.
    pub start_year: i32,
    /// Horizon in years.
    pub years: usize,
    /// The stress overlay applied, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stress: Option<String>,
}

/// What a Monte Carlo run adds to a [`Run`].
#[derive(Debug, Clone)]
pub struct MonteCarloRun<'a> {
    /// What was run, for `manifest.json` and `summary.json`.
    pub manifest: Manifest,
    /// The paths' statistics.
    pub paths: &'a PathSet,
}

/// Everything a run reports.
#[derive(Debug, Clone)]
pub struct Run<'a> {
    /// Provenance.
    pub meta: RunMeta,
    /// The scenario run.
    pub scenario: &'a Scenario,
    /// Results by year.
    pub years: Vec<YearResult>,
    /// Every month (expected-value mode only).
    pub months: Option<Vec<MonthRecord>>,
    /// First-year calibration check (expected-value mode's first year).
    pub calibration: Vec<CalibrationRow>,
    /// Monte Carlo statistics (Monte Carlo mode only).
    pub monte_carlo: Option<MonteCarloRun<'a>>,
}

/// One output file.
pub trait Export {
    /// File name inside the output folder.
    fn file_name(&self) -> &'static str;
    /// Whether this run has anything for the file.
    fn applies(&self, _run: &Run) -> bool {
        true
    }
    /// Writes the file.
    fn write(&self, run: &Run, out: &mut dyn Write) -> Result<()>;
}

/// Every export of a projection run.
pub fn exports() -> Vec<Box<dyn Export>> {
    vec![
        Box::new(Summary),
        Box::new(Yearly),
        Box::new(Monthly),
        Box::new(ByCity),
        Box::new(BySector),
        Box::new(ManifestFile),
    ]
}

/// `manifest.json` of a Monte Carlo run: tool version, scenario SHA-256,
/// seed, paths, shard.
pub struct ManifestFile;

impl Export for ManifestFile {
    fn file_name(&self) -> &'static str {
        "manifest.json"
    }

    fn applies(&self, run: &Run) -> bool {
        run.monte_carlo.is_some()
    }

    fn write(&self, run: &Run, out: &mut dyn Write) -> Result<()> {
        if let Some(mc) = &run.monte_carlo {
            serde_json::to_writer_pretty(&mut *out, &mc.manifest)?;
            writeln!(out)?;
        }
        Ok(())
    }
}

/// Writes every applicable export into `dir`, atomically; returns the files written.
pub fn write_run(run: &Run, dir: &Path) -> Result<Vec<PathBuf>> {
    let out = OutputDir::create(dir)?;
    let names = write_exports(run, out.path(), dir)?;
    out.commit()?;
    Ok(names)
}

/// Writes every applicable export into `tmp`; returns the final paths under `dir`.
pub fn write_exports(run: &Run, tmp: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut names = Vec::new();
    for export in exports() {
        if !export.applies(run) {
            continue;
        }
        let path = tmp.join(export.file_name());
        let file =
            fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut w = BufWriter::new(file);
        export
            .write(run, &mut w)
            .with_context(|| format!("cannot write {}", export.file_name()))?;
        w.flush()
            .with_context(|| format!("cannot write {}", export.file_name()))?;
        names.push(dir.join(export.file_name()));
    }
    Ok(names)
}

/// An output folder being written: files go to a hidden sibling folder,
/// renamed onto the final path by [`OutputDir::commit`]; dropped without a
/// commit, the temporary folder is removed.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

/// Files that mark a folder as a fundsim output folder, safe to replace.
const MARKERS: [&str; 6] = [
    "summary.json",
    "manifest.json",
    "rates.json",
    "stress.json",
    "reverse.json",
    "budget.csv",
];

impl OutputDir {
    /// Whether `target` may receive outputs: it does not exist, or is an
    /// empty folder, or an earlier fundsim output folder (which is replaced).
    pub fn check_target(target: &Path) -> Result<()> {
        if target.exists() {
            if !target.is_dir() {
                bail!(
                    "output path {} exists and is not a folder",
                    target.display()
                );
            }
            let empty = fs::read_dir(target)
                .with_context(|| format!("cannot read {}", target.display()))?
                .next()
                .is_none();
            if !empty && !MARKERS.iter().any(|m| target.join(m).exists()) {
                bail!(
                    "refusing to replace {}: it is not empty and holds no fundsim outputs (summary.json, manifest.json, rates.json, stress.json, reverse.json or budget.csv); choose another --out",
                    target.display()
                );
            }
        }
        Ok(())
    }

    /// Starts writing to `target`, after [`OutputDir::check_target`].
    pub fn create(target: &Path) -> Result<OutputDir> {
        Self::check_target(target)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "outputs".into());
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let temp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp)
                .with_context(|| format!("cannot clear {}", temp.display()))?;
        }
        fs::create_dir(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
        Ok(OutputDir {
            target: target.to_path_buf(),
            temp,
            committed: false,
        })
    }

    /// The folder to write into.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Moves the finished folder into place, replacing an earlier one.
    pub fn commit(mut self) -> Result<()> {
        let old = self.temp.with_file_name(format!(
            "{}.old",
            self.temp
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let replacing = self.target.exists();
        if replacing {
            fs::rename(&self.target, &old).with_context(|| {
                format!("cannot move the earlier {} aside", self.target.display())
            })?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            if replacing {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e)
                .with_context(|| format!("cannot move outputs into {}", self.target.display()));
        }
        self.committed = true;
        if replacing {
            fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        }
        Ok(())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// Money rounded to the fen for output.
pub(crate) fn money(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// A number for CSV: money to 2 decimals, other values to 6; empty when not finite.
pub(crate) fn cell(v: f64, is_money: bool) -> String {
    if !v.is_finite() {
        String::new()
    } else if is_money {
        format!("{v:.2}")
    } else {
        format!("{v:.6}")
    }
}
