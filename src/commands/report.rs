//! `fundsim report`: the office's standard set on one seed and one set of
//! paths, in one document — the projection, next year's budget draft, the
//! baseline rate policy against a uniform rise, every shipped stress
//! overlay under the scenario's own sharing scheme, and the tornado — with
//! the JSON and CSV files its numbers come from.

use super::Error;
use super::common::{RunSettings, check_out, done, out_dir, provenance, say};
use crate::analysis::budget::Budget;
use crate::analysis::projection::Projection;
use crate::analysis::rates::Variant;
use crate::analysis::sensitivity::{self, Measure};
use crate::input::{read_scenario, standard_overlays};
use crate::model::scenario::{Candidate, RateChange};
use crate::report::budget::Tables;
use crate::report::labels::Lang;
use crate::report::sensitivity::SensitivityReport;
use crate::report::units::Unit;
use crate::report::{File, OutputDir, document, projection};
use crate::stats::runner;
use std::path::PathBuf;
use std::time::Instant;

/// The rise the standard set compares with the baseline: every benchmark
/// rate times this from the first projection year (the lever the policy
/// names when reserves fall below the rule).
const STANDARD_RISE: f64 = 1.10;

/// What `fundsim report` was asked, checked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The scenario file; the embedded default when `None`.
    pub(crate) scenario: Option<PathBuf>,
    /// How the paths run (the same paths for every part).
    pub(crate) run: RunSettings,
    /// Output folder.
    pub(crate) out: Option<PathBuf>,
    /// Unit (the default rule when `None`).
    pub(crate) unit: Option<Unit>,
    /// Language (by the scenario when `None`).
    pub(crate) lang: Option<Lang>,
}

/// The file of each part that the report's numbers come from.
const KEPT: [&str; 6] = [
    "summary.json",
    "yearly.csv",
    "budget.csv",
    "rates.json",
    "stress.json",
    "sensitivity.json",
];

/// Runs `fundsim report`.
pub(crate) fn run(config: &Config) -> Result<(), Error> {
    let started = Instant::now();
    let (s, source) = read_scenario(config.scenario.as_deref())?;
    let out = out_dir(config.out.as_deref(), format!("{}-report", s.name));
    check_out(&out)?;
    let unit = config.unit.unwrap_or_else(|| Unit::default_for(&s));
    let lang = config.lang.unwrap_or_else(|| Lang::default_for(&s));
    let run = config.run.config(&s, 0..config.run.paths);
    let prov = provenance(&s, &source, Some((run.seed, config.run.paths)));
    let mut files: Vec<File> = Vec::new();
    let mut keep = |mut more: Vec<File>| {
        more.retain(|f| KEPT.contains(&f.name.as_str()));
        files.extend(more);
    };
    say(format_args!("1/5 the projection"));
    let set = runner::run(&s, &run)?;
    let p = Projection::monte_carlo(&s, &set);
    let manifest = super::simulate::manifest(
        &s,
        &source,
        &run,
        (config.run.paths, runner::Shard::ALL),
        &set,
    );
    keep(projection::files(&p, &prov, Some(&manifest), unit, lang)?);
    let projection_part = document::projection_part(&p, &prov, unit, lang)?;
    say(format_args!("2/5 the budget draft for {}", s.start_year));
    let budget = Budget::new(&s, &set, 0);
    let tables = Tables::new(&s, &budget, unit, None);
    tables
        .check()
        .map_err(|e| anyhow::anyhow!("internal error: the budget tables do not foot ({e})"))?;
    keep(tables.files(&s, &prov, lang)?);
    let budget_part = document::budget_part(&tables, lang);
    drop(set);
    say(format_args!("3/5 the baseline against a rise"));
    let rise = Candidate {
        name: format!("plus-{:.0}", (STANDARD_RISE - 1.0) * 100.0),
        description: format!("benchmark rates ×{STANDARD_RISE} from {}", s.start_year),
        schedule: vec![RateChange {
            year: s.start_year,
            multiplier: Some(STANDARD_RISE),
            benchmark_rates: None,
            floating_factors: None,
        }],
    };
    let mut rates_prov = prov.clone();
    rates_prov.schedules = vec![rise.name.clone()];
    let variants = vec![Variant::baseline(&s), Variant::candidate(&s, &rise)];
    let rates = super::rates::compare(&s, &rates_prov, variants, &run, None)?;
    keep(crate::report::rates::files(
        &rates,
        &s,
        &rates_prov,
        unit,
        lang,
    )?);
    let rates_part = document::rates_part(&rates, &rates_prov, unit, lang)?;
    say(format_args!("4/5 the stress overlays"));
    let (overlays, refused) = standard_overlays(&s);
    for (name, why) in &refused {
        say(format_args!(
            "note: the shipped overlay {name} does not apply to this scenario, left out: {why}"
        ));
    }
    let mut stresses = vec![None];
    stresses.extend(overlays.into_iter().map(Some));
    let schemes = vec![(
        super::stress::OWN_SCHEME.to_string(),
        s.sharing.scheme.clone(),
    )];
    let stress = super::stress::matrix(&s, &prov, &stresses, &schemes, &run)?;
    keep(crate::report::stress::files(
        &stress, &s, &prov, unit, lang,
    )?);
    let stress_part = document::stress_part(&stress, &prov, unit, lang)?;
    say(format_args!("5/5 the sensitivity tornado"));
    let tornado = sensitivity::run(&s, Measure::AnyBreach, &run)?;
    let r = SensitivityReport::new(&prov, &s, run.seed, config.run.paths, &tornado);
    keep(crate::report::sensitivity::files(
        &r, &s, &prov, unit, lang,
    )?);
    let sensitivity_part = document::sensitivity_part(&r, &prov, unit, lang)?;
    let doc = document::standard(
        &s,
        &prov,
        unit,
        lang,
        [
            projection_part,
            budget_part,
            rates_part,
            stress_part,
            sensitivity_part,
        ],
    );
    files.insert(
        0,
        File::text("report.html", doc.render().map_err(anyhow::Error::from)?),
    );
    OutputDir::write(&out, &files)?;
    done(&out, started);
    Ok(())
}
