//! `fundsim rates`: the baseline and candidate rate schedules on common
//! random paths, and optionally the smallest rate rise that keeps the
//! probability of any breach under a target.

use super::Error;
use super::common::{RunSettings, check_out, done, input_file, out_dir, print, provenance};
use crate::analysis::rates::{self, SolveBounds, SolveBy, Variant};
use crate::input::{read_candidates, read_scenario};
use crate::model::scenario::Scenario;
use crate::report::OutputDir;
use crate::report::provenance::{FileRole, Provenance};
use crate::report::rates::{self as report, RatesReport};
use crate::report::units::Unit;
use crate::stats::runner::{Recorded, RunConfig};
use std::path::PathBuf;
use std::time::Instant;

/// What the solver moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Solve {
    /// One multiplier on every class's benchmark rate.
    Uniform,
    /// Class rates in proportion to their indicated rates.
    Class,
}

/// What `fundsim rates` was asked, checked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The scenario file; the embedded default when `None`.
    pub(crate) scenario: Option<PathBuf>,
    /// Candidate schedule files.
    pub(crate) schedules: Vec<PathBuf>,
    /// How the paths run.
    pub(crate) run: RunSettings,
    /// Output folder.
    pub(crate) out: Option<PathBuf>,
    /// The solver: what it moves, its target and bounds.
    pub(crate) solve: Option<(Solve, f64, SolveBounds)>,
    /// Unit of the console, the page and the chart (the default rule when `None`).
    pub(crate) unit: Option<Unit>,
    /// Language of report.html (by the scenario when `None`).
    pub(crate) lang: Option<crate::report::labels::Lang>,
}

/// Runs `fundsim rates`.
pub(crate) fn run(config: &Config) -> Result<(), Error> {
    let started = Instant::now();
    let (s, source) = read_scenario(config.scenario.as_deref())?;
    let out = out_dir(config.out.as_deref(), format!("{}-rates", s.name));
    check_out(&out)?;
    let mut variants = vec![Variant::baseline(&s)];
    let mut files = Vec::new();
    for (candidate, file) in read_candidates(&config.schedules, &s)? {
        variants.push(Variant::candidate(&s, &candidate));
        files.push(input_file(FileRole::Schedule, &file));
    }
    let run = config.run.config(&s, 0..config.run.paths);
    let mut prov = provenance(&s, &source, Some((run.seed, config.run.paths)));
    prov.files = files;
    prov.schedules = variants.iter().skip(1).map(|v| v.name.clone()).collect();
    let report = compare(&s, &prov, variants, &run, config.solve)?;
    let unit = config.unit.unwrap_or_else(|| Unit::default_for(&s));
    let lang = config
        .lang
        .unwrap_or_else(|| crate::report::labels::Lang::default_for(&s));
    OutputDir::write(&out, &report::files(&report, &s, &prov, unit, lang)?)?;
    print(&report::console(&report, &prov, unit))?;
    done(&out, started);
    Ok(())
}

/// Runs the baseline and the candidates (the baseline first) on the paths
/// of `run` and, with `solve`, the solver; `provenance` names the schedules.
pub(crate) fn compare<'a>(
    s: &Scenario,
    provenance: &'a Provenance,
    variants: Vec<Variant>,
    run: &RunConfig,
    solve: Option<(Solve, f64, SolveBounds)>,
) -> Result<RatesReport<'a>, Error> {
    // the schedules and the solver's candidates differ in rates only: every
    // path's claims are drawn once and replayed under each
    let paths = Recorded::new(s, run)?;
    let runs = variants
        .into_iter()
        .map(|v| rates::run_variant(v, &paths))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let evaluations: Vec<_> = runs.iter().map(|r| rates::evaluate(r, &runs[0])).collect();
    let indicated = rates::indicated_rates(s, &runs[0].set);
    let solve = match solve {
        Some((by, target, bounds)) => {
            let by = match by {
                Solve::Uniform => SolveBy::Uniform,
                Solve::Class => SolveBy::Class {
                    indicated: indicated.iter().map(|r| r.indicated).collect(),
                },
            };
            Some(rates::solve(s, &by, target, bounds, &paths)?)
        }
        None => None,
    };
    Ok(RatesReport {
        run: provenance.run_identity(run.seed, run.paths.end - run.paths.start),
        years: (0..s.years).map(|k| s.start_year + k as i32).collect(),
        reserve_rule_months: s.law.reserve_rule_months,
        classes: s.sectors.iter().map(|c| c.name.clone()).collect(),
        candidates: evaluations,
        solve,
        indicated_rates: indicated,
        provincial_loading: rates::provincial_loading(&runs[0].set),
    })
}
