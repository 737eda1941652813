//! `fundsim budget`: the fund's income and expenditure budget draft for a
//! year (工伤保险基金收支预算草案), with its funding plan and, given the
//! year's actuals so far, the in-year reforecast.

use super::Error;
use super::common::{RunSettings, check_out, done, out_dir, print, provenance, say};
use crate::analysis::budget::Budget;
use crate::analysis::budget::reforecast::reforecast;
use crate::input::{read_actuals, read_scenario};
use crate::report::OutputDir;
use crate::report::budget::Tables;
use crate::report::format::grouped;
use crate::report::labels::Lang;
use crate::report::units::Unit;
use crate::stats::runner;
use std::path::PathBuf;
use std::time::Instant;

/// What `fundsim budget` was asked, checked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The scenario file; the embedded default when `None`.
    pub(crate) scenario: Option<PathBuf>,
    /// Budget year (the first projection year when `None`).
    pub(crate) year: Option<i32>,
    /// How the paths run.
    pub(crate) run: RunSettings,
    /// Unit of the amounts (the default rule when `None`).
    pub(crate) unit: Option<Unit>,
    /// Language of the labels.
    pub(crate) lang: Lang,
    /// Actuals of the first months of the budget year.
    pub(crate) actuals: Option<PathBuf>,
    /// Output folder.
    pub(crate) out: Option<PathBuf>,
    /// Start every CSV file with a UTF-8 byte-order mark.
    pub(crate) csv_bom: bool,
}

/// Runs `fundsim budget`.
pub(crate) fn run(config: &Config) -> Result<(), Error> {
    let started = Instant::now();
    let (s, source) = read_scenario(config.scenario.as_deref())?;
    let year = config.year.unwrap_or(s.start_year);
    let last = s.last_year();
    if !(s.start_year..=last).contains(&year) {
        return Err(Error::usage(format!(
            "--year {year}: a year of the projection, {}–{last}",
            s.start_year
        )));
    }
    let k = (year - s.start_year) as usize;
    let out = out_dir(config.out.as_deref(), format!("{}-budget-{year}", s.name));
    check_out(&out)?;
    let city_names: Vec<String> = s.cities.iter().map(|c| c.name.clone()).collect();
    let actuals = config
        .actuals
        .as_ref()
        .map(|path| read_actuals(path, year, &s.sharing.scheme, &city_names))
        .transpose()?;
    let run = config.run.config(&s, 0..config.run.paths);
    let set = runner::run(&s, &run)?;
    let budget = Budget::new(&s, &set, k);
    let lines = actuals
        .as_ref()
        .map(|a| (a.months, reforecast(&set, k, &budget.pattern, a)));
    if let (Some(a), Some((_, rows))) = (&actuals, &lines) {
        for r in rows.iter().filter(|r| a.given[r.line.index()]) {
            if let Some(ratio) = r.off_by_a_unit() {
                say(format_args!(
                    "warning: the actuals' {} to date, {} yuan, are {} times what the budget expects by then ({} yuan): is the file in 万元 or 亿元? actuals are in yuan",
                    r.line.name(),
                    grouped(r.actual_to_date, 0),
                    crate::model::check::show((ratio * 1e6).round() / 1e6),
                    grouped(r.expected_to_date, 0)
                ));
            }
        }
    }
    let unit = config.unit.unwrap_or_else(|| Unit::default_for(&s));
    let tables = Tables::new(
        &s,
        &budget,
        unit,
        lines.as_ref().map(|(m, l)| (*m, l.as_slice())),
    );
    tables
        .check()
        .map_err(|e| anyhow::anyhow!("internal error: the budget tables do not foot ({e})"))?;
    let prov = provenance(&s, &source, Some((run.seed, config.run.paths)));
    let mut files = tables.files(&s, &prov, config.lang)?;
    if config.csv_bom {
        for f in files.iter_mut().filter(|f| {
            std::path::Path::new(&f.name)
                .extension()
                .is_some_and(|e| e == "csv")
        }) {
            f.add_bom();
        }
    }
    OutputDir::write(&out, &files)?;
    let md = files
        .iter()
        .find(|f| f.name == "budget.md")
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .unwrap_or_default();
    print(&md)?;
    done(&out, started);
    Ok(())
}
