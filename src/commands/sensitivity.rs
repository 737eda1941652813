//! `fundsim sensitivity`: the one-at-a-time tornado on common random paths.

use super::Error;
use super::common::{RunSettings, check_out, done, out_dir, print, provenance};
use crate::analysis::sensitivity::{self, Measure};
use crate::input::read_scenario;
use crate::report::OutputDir;
use crate::report::labels::Lang;
use crate::report::sensitivity::{self as report, SensitivityReport};
use crate::report::units::Unit;
use std::path::PathBuf;
use std::time::Instant;

/// What `fundsim sensitivity` was asked, checked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The scenario file; the embedded default when `None`.
    pub(crate) scenario: Option<PathBuf>,
    /// The measure the bars show and are sorted by.
    pub(crate) measure: Measure,
    /// How the paths run.
    pub(crate) run: RunSettings,
    /// Output folder.
    pub(crate) out: Option<PathBuf>,
    /// Unit of the console, the chart and the report (the default rule when `None`).
    pub(crate) unit: Option<Unit>,
    /// Language of report.html and the chart (by the scenario when `None`).
    pub(crate) lang: Option<Lang>,
}

/// Runs `fundsim sensitivity`.
pub(crate) fn run(config: &Config) -> Result<(), Error> {
    let started = Instant::now();
    let (s, source) = read_scenario(config.scenario.as_deref())?;
    let out = out_dir(config.out.as_deref(), format!("{}-sensitivity", s.name));
    check_out(&out)?;
    let run = config.run.config(&s, 0..config.run.paths);
    let result = sensitivity::run(&s, config.measure, &run)?;
    let prov = provenance(&s, &source, Some((run.seed, config.run.paths)));
    let unit = config.unit.unwrap_or_else(|| Unit::default_for(&s));
    let lang = config.lang.unwrap_or_else(|| Lang::default_for(&s));
    let r = SensitivityReport::new(&prov, &s, run.seed, config.run.paths, &result);
    OutputDir::write(&out, &report::files(&r, &s, &prov, unit, lang)?)?;
    print(&report::console(&r, &prov, unit))?;
    done(&out, started);
    Ok(())
}
