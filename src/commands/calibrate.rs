//! `fundsim calibrate`: a fund's history and a base scenario in, a complete
//! scenario out (`scenario.toml`, with a comment on every value the history
//! replaced), with `calibration.md` and `calibration.json`. The written
//! scenario is read back and validated before anything is written, and
//! its first expected-value year is checked against its targets.

use super::Error;
use super::common::{check_out, done, out_dir, print};
use crate::analysis::calibrate::{self, Calibration, Edit, Parts, Value};
use crate::analysis::calibration::{CalibrationRow, calibration};
use crate::engine;
use crate::input::{Source, parse_scenario, read_history, read_parts, read_scenario};
use crate::model::history::{History, PartKind};
use crate::model::scenario::{SOURCED_FIELDS, Scenario};
use crate::report::calibrate::{CalibrationReport, json, markdown};
use crate::report::{File, OutputDir, OwnFile, scenario_toml};
use crate::stats::year::YearAccumulator;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How a calibrated scenario's first line starts (after `# `): the mark by
/// which `--out NAME.toml` knows a file it may replace.
const MARKER: &str = "Calibrated by fundsim";

/// What `fundsim calibrate` was asked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The history file.
    pub(crate) history: PathBuf,
    /// The by-class history file, if any.
    pub(crate) by_class: Option<PathBuf>,
    /// The by-city history file, if any.
    pub(crate) by_city: Option<PathBuf>,
    /// The base scenario; the embedded default when `None`.
    pub(crate) base: Option<PathBuf>,
    /// Output folder.
    pub(crate) out: Option<PathBuf>,
}

/// A calibrated scenario: its text, the scenario it reads as, the fit and
/// the first-year check.
pub(crate) struct Calibrated {
    /// `scenario.toml`.
    pub(crate) text: String,
    /// The same, read back and validated.
    pub(crate) scenario: Scenario,
    /// The fit.
    pub(crate) calibration: Calibration,
    /// The first expected-value year against the targets.
    pub(crate) check: Vec<CalibrationRow>,
}

/// The edits that say where the scenario came from.
fn provenance_edits(c: &Calibration, base: &Scenario, history_name: &str) -> Vec<Edit> {
    let (a, b) = c.years;
    let from = format!("history {history_name}, {a}–{b} (fundsim calibrate)");
    let mut edits = vec![
        Edit {
            path: "name".into(),
            value: Value::Text(format!("{}-calibrated", base.name)),
            comment: format!("calibrated from {from}"),
        },
        Edit {
            path: "description".into(),
            value: Value::Text(format!("{}; calibrated from {from}", base.description)),
            comment: "base description, then the calibration".into(),
        },
    ];
    for d in &c.drivers {
        let field = format!("drivers.{}", d.driver);
        if d.written.is_some() && SOURCED_FIELDS.contains(&field.as_str()) {
            edits.push(Edit {
                path: format!("sources.\"drivers.{}\"", d.driver),
                value: Value::Text(format!("fitted from {from}: an AR(1) of {}", d.series)),
                comment: "replaces the base's source".into(),
            });
        }
    }
    for (field, what) in [
        ("economy.average_monthly_wage", "average_wage"),
        ("fund.opening_balance", "balance"),
    ] {
        if c.edits.iter().any(|e| e.path == field) {
            edits.push(Edit {
                path: format!("sources.\"{field}\""),
                value: Value::Text(format!("{what} of {b} in {from}")),
                comment: "replaces the base's source".into(),
            });
        }
    }
    edits
}

/// Calibrates `base` (read from `base_source`) on `history` and reads the
/// result back; `out_name` is how the written scenario is named in messages.
pub(crate) fn calibrated(
    history: &History,
    parts: Parts,
    base: &Scenario,
    base_source: &Source,
    out_name: &str,
) -> Result<Calibrated, Error> {
    let mut cal = calibrate::calibrate_with(history, parts, base);
    let mut edits = cal.edits.clone();
    edits.extend(provenance_edits(&cal, base, &history.source));
    cal.edits.clone_from(&edits);
    let (a, b) = cal.years;
    let header = vec![
        format!(
            "{MARKER} {} from the history {} ({a}–{b})",
            env!("CARGO_PKG_VERSION"),
            history.source
        ),
        format!("on the base scenario {}.", base_source.name),
        "Every value the history determined carries a comment saying so (`fitted from history …`,"
            .into(),
        "`from history …`); every other value is the base's. calibration.md lists each fitted"
            .into(),
        format!(
            "parameter with its standard error and what was kept from the base. Base year {b}."
        ),
    ];
    let text = scenario_toml::apply(&base_source.text, &edits, &header)
        .map_err(|e| Error::usage(format!("cannot write the calibrated scenario: {e}")))?;
    let scenario = parse_scenario(&Source::new(out_name.to_string(), text.clone()))?;
    let months = engine::expected_value(&scenario);
    let years = YearAccumulator::from_months(&scenario, &months);
    let check = years
        .first()
        .map_or_else(Vec::new, |first| calibration(&scenario, first));
    Ok(Calibrated {
        text,
        scenario,
        calibration: cal,
        check,
    })
}

/// Runs `fundsim calibrate`.
pub(crate) fn run(config: &Config) -> Result<(), Error> {
    let started = Instant::now();
    let (history, history_sha256) = read_history(&config.history)?;
    let (base, base_source) = read_scenario(config.base.as_deref())?;
    let read = |path: &Option<PathBuf>, kind| {
        path.as_deref()
            .map(|p| read_parts(p, kind, &base))
            .transpose()
    };
    let by_class = read(&config.by_class, PartKind::Class)?;
    let by_city = read(&config.by_city, PartKind::City)?;
    let parts = Parts {
        by_class: by_class.as_ref().map(|(p, _)| p),
        by_city: by_city.as_ref().map(|(p, _)| p),
    };
    let stem = config.history.file_stem().map_or_else(
        || "history".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let out = out_dir(config.out.as_deref(), format!("{stem}-calibration"));
    // `--out NAME.toml`: the scenario there, the reports (and a copy of
    // the scenario) in the output folder NAME.calibration beside it
    let single = out
        .extension()
        .is_some_and(|e| e == "toml")
        .then(|| out.clone());
    let out = single
        .as_ref()
        .map_or(out, |f| f.with_extension("calibration"));
    let marker = format!("# {MARKER}");
    if let Some(f) = &single {
        OwnFile::check(f, &marker)?;
    }
    check_out(&out)?;
    let scenario_path = single.clone().unwrap_or_else(|| out.join("scenario.toml"));
    let name = scenario_path.display().to_string();
    let mut c = calibrated(&history, parts, &base, &base_source, &name)?;
    if config.base.is_none() {
        c.calibration
            .warnings
            .extend(calibrate::another_fund(&history, &base));
    }
    let report = CalibrationReport {
        tool: format!("fundsim {}", env!("CARGO_PKG_VERSION")),
        history_sha256,
        base: base_source.name.clone(),
        base_sha256: base_source.sha256.clone(),
        by_class_sha256: by_class.as_ref().map(|(_, sha)| sha.clone()),
        by_city_sha256: by_city.as_ref().map(|(_, sha)| sha.clone()),
        calibration: &c.calibration,
        first_year_check: &c.check,
        tolerance: c.scenario.calibration.as_ref().map(|t| t.tolerance),
    };
    let files = vec![
        File::text("scenario.toml", c.text.clone()),
        File::text("calibration.md", markdown(&report)),
        File::text(
            "calibration.json",
            json(&report).map_err(anyhow::Error::from)?,
        ),
    ];
    OutputDir::write(&out, &files)?;
    if let Some(f) = &single {
        OwnFile::write(f, &c.text, &marker)?;
    }
    print(&console(&c, &scenario_path, &out))?;
    done(&out, started);
    Ok(())
}

/// What the console says.
fn console(c: &Calibrated, scenario: &Path, out: &Path) -> String {
    let cal = &c.calibration;
    let fitted = cal.drivers.iter().filter(|d| d.written.is_some()).count();
    let mut text = format!(
        "calibrated {} on {}–{}: {fitted} of {} drivers fitted, {} values replaced, {} kept from the base (see calibration.md)\n",
        c.scenario.name,
        cal.years.0,
        cal.years.1,
        cal.drivers.len(),
        cal.edits.len(),
        cal.kept.len()
    );
    for w in &cal.warnings {
        let _ = writeln!(text, "warning: {w}");
    }
    for row in c.check.iter().filter(|r| !r.within_tolerance) {
        let _ = writeln!(
            text,
            "note: the first projection year's {} is {:+.1} % from the history's {} figure",
            row.target.name(),
            100.0 * row.relative_error,
            cal.base_year
        );
    }
    let _ = writeln!(
        text,
        "the scenario is {}; run it with: fundsim simulate {}",
        scenario.display(),
        scenario.display()
    );
    if scenario.parent() != Some(out) {
        let _ = writeln!(
            text,
            "calibration.md and calibration.json are in {}",
            out.display()
        );
    }
    text
}
