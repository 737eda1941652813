//! `fundsim backtest`: calibrate on the years up to an origin, project the
//! rest of the history from the state observed there, and place every
//! observed value in its simulated distribution; with `--rolling`, from
//! every origin that leaves something to fit and something to compare.

use super::Error;
use super::calibrate::calibrated;
use super::common::{RunSettings, check_out, done, out_dir, print, provenance, say};
use crate::analysis::backtest::{self, Fan, Measure, Placement};
use crate::analysis::calibrate::{Parts, another_fund};
use crate::input::{read_history, read_scenario};
use crate::model::history::History;
use crate::report::OutputDir;
use crate::report::backtest::{BacktestReport, OriginSummary, few_drivers, files};
use crate::report::labels::Lang;
use crate::report::provenance::{FileRole, InputFile};
use crate::report::sentences::backtest_verdict;
use crate::report::units::Unit;
use crate::stats::history::simulate_histories;
use std::path::PathBuf;
use std::time::Instant;

/// The fewest years an origin's calibration sees.
pub(crate) const MIN_FIT_YEARS: i32 = 5;

/// What `fundsim backtest` was asked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The history file.
    pub(crate) history: PathBuf,
    /// The base scenario; the embedded default when `None`.
    pub(crate) base: Option<PathBuf>,
    /// The (first) origin year; with `rolling`, the earliest possible when `None`.
    pub(crate) from: Option<i32>,
    /// Repeat from every later origin.
    pub(crate) rolling: bool,
    /// How the paths run.
    pub(crate) run: RunSettings,
    /// Output folder.
    pub(crate) out: Option<PathBuf>,
    /// Unit of backtest.md, the charts and the report; by the first
    /// calibrated scenario's size when `None`.
    pub(crate) unit: Option<Unit>,
    /// Language of report.html and the charts; by the base scenario when `None`.
    pub(crate) lang: Option<Lang>,
}

/// The origins of a back-test of `h`, or why there are none.
fn origins(h: &History, from: Option<i32>, rolling: bool) -> Result<Vec<i32>, Error> {
    let earliest = h.first_year + MIN_FIT_YEARS - 1;
    let latest = h.last_year() - 1;
    let first = from.unwrap_or(earliest);
    if first < earliest || first > latest {
        return Err(Error::usage(format!(
            "--from {first}: the history {} covers {}–{}; an origin leaves at least {MIN_FIT_YEARS} years to fit and one to compare, so it lies in {earliest}–{latest}",
            h.source,
            h.first_year,
            h.last_year()
        )));
    }
    Ok(if rolling {
        (first..=latest).collect()
    } else {
        vec![first]
    })
}

/// Runs `fundsim backtest`.
pub(crate) fn run(config: &Config) -> Result<(), Error> {
    let started = Instant::now();
    let (history, history_sha256) = read_history(&config.history)?;
    let (base, source) = read_scenario(config.base.as_deref())?;
    let origins = origins(&history, config.from, config.rolling)?;
    let stem = config.history.file_stem().map_or_else(
        || "history".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let out = out_dir(config.out.as_deref(), format!("{stem}-backtest"));
    check_out(&out)?;
    let seed = config.run.seed(&base);
    let mut placements: Vec<Placement> = Vec::new();
    let mut fans: Vec<Fan> = Vec::new();
    let mut summaries = Vec::new();
    let mut unit = config.unit;
    if config.base.is_none()
        && let Some(&first) = origins.first()
        && let Some(w) = another_fund(&history.until(first), &base)
    {
        say(format_args!("warning: {w}"));
    }
    for &origin in &origins {
        let fit = history.until(origin);
        let name = format!("the scenario calibrated on {}–{origin}", history.first_year);
        let c = match calibrated(&fit, Parts::default(), &base, &source, &name) {
            Ok(c) => c,
            Err(e) if origins.len() > 1 => {
                say(format_args!("note: origin {origin} skipped: {e}"));
                continue;
            }
            Err(e) => return Err(e),
        };
        let horizon = (history.last_year() - origin) as usize;
        let s = c
            .scenario
            .with_years(horizon)
            .map_err(|p| Error::usage(format!("origin {origin}: {p}")))?;
        unit.get_or_insert(Unit::default_for(&s));
        let paths = simulate_histories(&s, seed, 0..config.run.paths, config.run.threads)?;
        let (p, f) = backtest::place(&history, origin, &paths);
        placements.extend(p);
        if fans.is_empty() {
            fans = f;
        }
        summaries.push(OriginSummary {
            origin,
            drivers_fitted: c
                .calibration
                .drivers
                .iter()
                .filter(|d| d.written.is_some())
                .count(),
            kept: c.calibration.kept.clone(),
        });
    }
    if summaries.is_empty() {
        return Err(Error::usage(format!(
            "no origin of {} could be calibrated",
            history.source
        )));
    }
    if placements.is_empty() {
        // each measure is placed from an origin that observes it: the
        // projection starts from the origin year's figures
        let names: Vec<&str> = Measure::ALL.iter().map(|m| m.name()).collect();
        let years: Vec<String> = summaries.iter().map(|o| o.origin.to_string()).collect();
        return Err(Error::usage(format!(
            "{}: nothing to place: no measure ({}) is known both in the origin year {} and in a later year; the projection starts from the origin's own figures, so choose an origin whose row is filled in",
            history.source,
            names.join(", "),
            years.join(", ")
        )));
    }
    let coverage = backtest::coverage(&placements);
    // a move of the rates after the first origin (the one that sees the
    // most later years) is said beside the coverage
    let rate_move = summaries
        .first()
        .and_then(|o| backtest::rate_move(&history, o.origin));
    let few = few_drivers(&summaries);
    let verdict = backtest_verdict(
        &coverage,
        summaries.len(),
        rate_move.as_ref(),
        &few,
        Lang::En,
    );
    let report = BacktestReport {
        tool: format!("fundsim {}", env!("CARGO_PKG_VERSION")),
        history: history.source.clone(),
        history_sha256,
        base: source.name.clone(),
        base_sha256: source.sha256.clone(),
        seed,
        paths: config.run.paths,
        origins: summaries,
        verdict,
        coverage,
        placements: &placements,
        fans: &fans,
        unit: unit.unwrap_or_else(|| Unit::default_for(&base)),
        lang: config.lang.unwrap_or_else(|| Lang::default_for(&base)),
        rate_move,
    };
    let mut prov = provenance(&base, &source, Some((seed, config.run.paths)));
    prov.files.push(InputFile::new(
        FileRole::History,
        report.history.clone(),
        report.history_sha256.clone(),
    ));
    OutputDir::write(&out, &files(&report, &base, &prov)?)?;
    print(&(report.verdict.join("\n") + "\n"))?;
    done(&out, started);
    Ok(())
}
