//! `fundsim simulate`: a projection of the fund, Monte Carlo or expected
//! value, whole or as one shard of a run spread over machines.

use super::Error;
use super::common::{RunSettings, check_out, done, input_file, out_dir, print, provenance, say};
use crate::analysis::projection::Projection;
use crate::input::{Source, read_overlay, read_scenario};
use crate::model::scenario::Scenario;
use crate::report::format::target_figure;
use crate::report::labels::Lang;
use crate::report::provenance::FileRole;
use crate::report::units::Unit;
use crate::report::{OutputDir, projection, shard};
use crate::stats::paths::PathSet;
use crate::stats::runner::{self, RunConfig, Shard, shape};
use crate::stats::shard::Manifest;
use std::path::PathBuf;
use std::time::Instant;

/// What `fundsim simulate` was asked, checked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The scenario file; the embedded default when `None`.
    pub(crate) scenario: Option<PathBuf>,
    /// Expected-value mode instead of Monte Carlo.
    pub(crate) deterministic: bool,
    /// Horizon in years instead of the scenario's.
    pub(crate) years: Option<usize>,
    /// Output folder.
    pub(crate) out: Option<PathBuf>,
    /// How the paths run.
    pub(crate) run: RunSettings,
    /// A stress overlay file and the scale of its shocks.
    pub(crate) stress: Option<(PathBuf, f64)>,
    /// Only this shard of the paths (Monte Carlo, no overlay).
    pub(crate) shard: Option<Shard>,
    /// Unit of the console and the charts (the default rule when `None`).
    pub(crate) unit: Option<Unit>,
    /// Language of `report.html` and the charts (the scenario's default when `None`).
    pub(crate) lang: Option<Lang>,
}

/// Runs `fundsim simulate`.
pub(crate) fn run(config: &Config) -> Result<(), Error> {
    let started = Instant::now();
    let (mut s, source) = read_scenario(config.scenario.as_deref())?;
    let written_years = s.years;
    if let Some(h) = config.years {
        s = s.with_years(h).map_err(|p| Error::usage(p.to_string()))?;
    }
    let mut files = Vec::new();
    if let Some((path, scale)) = &config.stress {
        let (overlay, file) = read_overlay(path, &s).map_err(|e| match config.years {
            // the overlay is checked against the horizon the run has
            Some(h) if h != written_years => Error::usage(format!(
                "{e}\n(this run's horizon is {}–{}: --years {h} in place of the scenario's {written_years} years)",
                s.start_year,
                s.last_year()
            )),
            _ => e.into(),
        })?;
        s.stress = Some(overlay.scaled(*scale));
        files.push(input_file(FileRole::Overlay, &file));
    }
    let mut name = s.name.clone();
    if let Some(st) = &s.stress {
        name = format!("{name}-{}", st.name);
    }
    if config.deterministic {
        name.push_str("-deterministic");
    }
    // a shard never replaces the whole run's outputs, nor another shard's
    if let Some(k) = config.shard.filter(|k| !k.is_all()) {
        name = format!("{name}-shard-{}-of-{}", k.index, k.count);
    }
    let out = out_dir(config.out.as_deref(), name);
    check_out(&out)?;
    let unit = config.unit.unwrap_or_else(|| Unit::default_for(&s));
    let lang = config.lang.unwrap_or_else(|| Lang::default_for(&s));
    if config.deterministic {
        let p = Projection::expected_value(&s);
        let mut prov = provenance(&s, &source, None);
        prov.files.clone_from(&files);
        OutputDir::write(&out, &projection::files(&p, &prov, None, unit, lang)?)?;
        print(&projection::console(&p, &prov, unit))?;
        for row in p.calibration.iter().filter(|r| !r.within_tolerance) {
            say(format_args!(
                "warning: calibration target {} = {} but the model's first year gives {} ({:+.1} %)",
                row.target.name(),
                target_figure(row.target_value),
                target_figure(row.model_value),
                row.relative_error * 100.0
            ));
        }
        done(&out, started);
        return Ok(());
    }
    let shard = config.shard.unwrap_or(Shard::ALL);
    let run = config.run.config(&s, shard.range(config.run.paths));
    let set = runner::run(&s, &run)?;
    let manifest = manifest(&s, &source, &run, (config.run.paths, shard), &set);
    if shard.is_all() {
        let p = Projection::monte_carlo(&s, &set);
        let mut prov = provenance(&s, &source, Some((run.seed, config.run.paths)));
        prov.files = files;
        OutputDir::write(
            &out,
            &projection::files(&p, &prov, Some(&manifest), unit, lang)?,
        )?;
        print(&projection::console(&p, &prov, unit))?;
    } else {
        OutputDir::write(&out, &shard::files(&manifest, &source.text, &set)?)?;
        let held = match set.paths() {
            0 => "no path".to_string(),
            1 => format!("path {}", set.first_path()),
            n => format!(
                "{n} paths, {} to {}",
                set.first_path(),
                set.first_path() + n - 1
            ),
        };
        say(format_args!(
            "shard {}/{}: {held} of the run's {} (numbered from 0); merge all {} shards with `fundsim merge`",
            shard.index, shard.count, config.run.paths, shard.count
        ));
    }
    done(&out, started);
    Ok(())
}

/// The manifest of shard `shard` of a run of `paths` paths of `s` read
/// from `source`, as `run` ran them into `set`.
pub(crate) fn manifest(
    s: &Scenario,
    source: &Source,
    run: &RunConfig,
    (paths, shard): (u64, Shard),
    set: &PathSet,
) -> Manifest {
    Manifest {
        tool_version: crate::report::provenance::TOOL_VERSION.to_string(),
        scenario: s.name.clone(),
        source: source.name.clone(),
        input_sha256: source.sha256.clone(),
        years: s.years,
        seed: run.seed,
        paths,
        shard: (!shard.is_all()).then_some(shard),
        first_path: set.first_path(),
        shard_paths: set.paths(),
        shape: shape(s),
        paths_sha256: None,
    }
}
