//! `fundsim stress`: every stress overlay × gap-sharing scheme on common
//! random paths, or the reverse stress test of one overlay.

use super::Error;
use super::common::{RunSettings, check_out, done, input_file, out_dir, print, provenance};
use crate::analysis::stress::{self, PairResult};
use crate::input::{read_overlay, read_scenario};
use crate::model::check::did_you_mean;
use crate::model::scenario::Scenario;
use crate::model::sharing::Scheme;
use crate::model::stress::Stress;
use crate::report::OutputDir;
use crate::report::provenance::{FileRole, Provenance};
use crate::report::reverse::{self, ReverseReport};
use crate::report::stress::{self as report, StressReport};
use crate::report::units::Unit;
use crate::stats::runner;
use crate::stats::runner::RunConfig;
use std::path::PathBuf;
use std::time::Instant;

pub(crate) use crate::analysis::stress::OWN_SCHEME;

/// What `fundsim stress` was asked, checked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The scenario file; the embedded default when `None`.
    pub(crate) scenario: Option<PathBuf>,
    /// Overlay files (the unstressed scenario always runs too).
    pub(crate) stresses: Vec<PathBuf>,
    /// Scheme names: [`OWN_SCHEME`] or a preset.
    pub(crate) schemes: Vec<String>,
    /// The reverse stress test: an overlay and the probability looked for.
    pub(crate) reverse: Option<(PathBuf, f64)>,
    /// How the paths run.
    pub(crate) run: RunSettings,
    /// Output folder.
    pub(crate) out: Option<PathBuf>,
    /// Unit of the console, the page and the chart (the default rule when `None`).
    pub(crate) unit: Option<Unit>,
    /// Language of report.html (by the scenario when `None`).
    pub(crate) lang: Option<crate::report::labels::Lang>,
}

/// Runs `fundsim stress`.
pub(crate) fn run(config: &Config) -> Result<(), Error> {
    let started = Instant::now();
    let (s, source) = read_scenario(config.scenario.as_deref())?;
    let what = if config.reverse.is_some() {
        "reverse"
    } else {
        "stress"
    };
    let out = out_dir(config.out.as_deref(), format!("{}-{what}", s.name));
    check_out(&out)?;
    let run = config.run.config(&s, 0..config.run.paths);
    let mut prov = provenance(&s, &source, Some((run.seed, config.run.paths)));
    let unit = config.unit.unwrap_or_else(|| Unit::default_for(&s));
    let lang = config
        .lang
        .unwrap_or_else(|| crate::report::labels::Lang::default_for(&s));
    if let Some((path, target)) = &config.reverse {
        let (overlay, file) = read_overlay(path, &s)?;
        prov.files.push(input_file(FileRole::Overlay, &file));
        let result = stress::reverse(&s, &overlay, *target, &run)?;
        let r = ReverseReport {
            run: prov.run_identity(run.seed, config.run.paths),
            stress_file: path.display().to_string(),
            stress_sha256: file.sha256,
            last_year: s.last_year(),
            rule_months: s.law.reserve_rule_months,
            result: &result,
        };
        OutputDir::write(&out, &reverse::files(&r, &s, &prov, unit, lang)?)?;
        print(&reverse::console(&r))?;
        done(&out, started);
        return Ok(());
    }
    let mut stresses: Vec<Option<Stress>> = vec![None];
    for path in &config.stresses {
        let (overlay, file) = read_overlay(path, &s)?;
        prov.files.push(input_file(FileRole::Overlay, &file));
        stresses.push(Some(overlay));
    }
    let names = if config.schemes.is_empty() {
        vec![OWN_SCHEME.to_string()]
    } else {
        config.schemes.clone()
    };
    let mut schemes = Vec::new();
    for name in names {
        let scheme = if name == OWN_SCHEME {
            s.sharing.scheme.clone()
        } else if let Some(p) = s.sharing_presets.iter().find(|p| p.name == name) {
            p.scheme.clone()
        } else {
            let known: Vec<&str> = s.sharing_presets.iter().map(|p| p.name.as_str()).collect();
            return Err(Error::usage(format!(
                "--scheme {name}: one of {OWN_SCHEME}, {}{}",
                known.join(", "),
                did_you_mean(
                    &name,
                    std::iter::once(OWN_SCHEME).chain(known.iter().copied())
                )
            )));
        };
        schemes.push((name, scheme));
    }
    let report = matrix(&s, &prov, &stresses, &schemes, &run)?;
    OutputDir::write(&out, &report::files(&report, &s, &prov, unit, lang)?)?;
    print(&report::console(&report, &prov, unit))?;
    done(&out, started);
    Ok(())
}

/// Every stress (`None`: the scenario as it is) under every named scheme,
/// on the paths of `run`.
pub(crate) fn matrix<'a>(
    s: &Scenario,
    provenance: &'a Provenance,
    stresses: &[Option<Stress>],
    schemes: &[(String, Scheme)],
    run: &RunConfig,
) -> Result<StressReport<'a>, Error> {
    let mut pairs: Vec<PairResult> = Vec::new();
    let mut cities = Vec::new();
    for overlay in stresses {
        let stress_name = overlay
            .as_ref()
            .map_or(crate::analysis::stress::NO_STRESS.to_string(), |x| {
                x.name.clone()
            });
        // the schemes of one overlay share its claims: drawn once a path
        let scenarios: Vec<Scenario> = schemes
            .iter()
            .map(|(_, scheme)| {
                let mut scenario = s.clone();
                scenario.stress.clone_from(overlay);
                scenario.sharing.scheme = scheme.clone();
                scenario
            })
            .collect();
        let refs: Vec<&Scenario> = scenarios.iter().collect();
        let sets = runner::run_many(&refs, run)?;
        for (i, (((scheme_name, _), scenario), set)) in
            schemes.iter().zip(&scenarios).zip(&sets).enumerate()
        {
            pairs.push(stress::pair_result(
                scenario,
                &stress_name,
                scheme_name,
                set,
            ));
            if i == 0 {
                cities.push((stress_name.clone(), stress::city_reserves(scenario, set)));
            }
        }
    }
    Ok(StressReport {
        run: provenance.run_identity(run.seed, run.paths.end - run.paths.start),
        years: (0..s.years).map(|k| s.start_year + k as i32).collect(),
        schemes: schemes.iter().map(|(n, _)| n.clone()).collect(),
        pairs,
        city_reserves: cities,
    })
}
