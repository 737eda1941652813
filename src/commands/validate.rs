//! `fundsim validate`: checks a scenario and prints a summary of it, or the
//! fully resolved scenario as JSON.

use super::Error;
use super::common::print;
use crate::input::read_scenario;
use crate::report::format::grouped;
use crate::report::units::Unit;
use std::path::PathBuf;

/// What `fundsim validate` was asked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The scenario file; the embedded default when `None`.
    pub(crate) scenario: Option<PathBuf>,
    /// Print the resolved scenario as JSON instead of a summary.
    pub(crate) json: bool,
}

/// Runs `fundsim validate`.
pub(crate) fn run(config: &Config) -> Result<(), Error> {
    let (s, source) = read_scenario(config.scenario.as_deref())?;
    if config.json {
        let json = serde_json::to_string_pretty(&s).map_err(anyhow::Error::from)? + "\n";
        return print(&json);
    }
    let unit = Unit::default_for(&s);
    let names = |v: Vec<&str>| v.join(", ");
    print(&format!(
        "{}: valid scenario \"{}\"\n  {}\n  years      {}–{} ({} years)\n  cities     {} ({})\n  sectors    {} ({})\n  insured    {} (base year)\n  payroll    {} {} a year (base year)\n  opening    {} {} balance on 1 January {}\n  sha256     {}\n",
        source.name,
        s.name,
        s.description,
        s.start_year,
        s.last_year(),
        s.years,
        s.n_cities(),
        names(s.cities.iter().map(|c| c.name.as_str()).collect()),
        s.n_sectors(),
        names(s.sectors.iter().map(|c| c.name.as_str()).collect()),
        grouped(s.base_insured(), 0),
        grouped(unit.scale(s.base_payroll()), 2),
        unit.label(),
        grouped(unit.scale(s.fund.opening_balance), 2),
        unit.label(),
        s.start_year,
        source.sha256,
    ))
}
