//! The commands: each turns its arguments into validated inputs, runs the
//! model and writes what the user asked for. Errors are [`crate::Error`]s,
//! which carry the exit code.

use crate::Error;
use crate::cli::{SimulateArgs, ValidateArgs};
use crate::engine::{Engine, MonthRecord};
use crate::lines::Line;
use crate::report::{self, Mode, Run, RunMeta};
use crate::sampling::Expected;
use crate::scenario::{Loaded, Scenario};
use crate::stats::{self, YearAccumulator, YearResult};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// `fundsim validate`.
pub fn validate(args: &ValidateArgs) -> Result<(), Error> {
    let loaded = Scenario::load(args.scenario.as_deref())?;
    let s = &loaded.scenario;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, s).context("cannot write JSON")?;
        writeln!(out).context("cannot write to stdout")?;
        return Ok(());
    }
    let yi = |v: f64| v / 1e8;
    writeln!(
        out,
        "{}: valid scenario \"{}\"\n  {}\n  years      {}–{} ({} years)\n  cities     {} ({})\n  sectors    {} ({})\n  insured    {:.0} (base year)\n  payroll    {:.2} 亿元 a year (base year)\n  opening    {:.2} 亿元 balance on 1 January {}\n  sha256     {}",
        loaded.source_name,
        s.name,
        s.description,
        s.start_year,
        s.start_year + s.years as i32 - 1,
        s.years,
        s.n_cities(),
        s.cities.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "),
        s.n_sectors(),
        s.sectors.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "),
        s.base_insured(),
        yi(s.base_payroll()),
        yi(s.fund.opening_balance),
        s.start_year,
        loaded.sha256,
    )
    .context("cannot write to stdout")?;
    Ok(())
}

/// Runs the expected-value projection of a loaded scenario.
pub fn expected_value(loaded: &Loaded) -> Run<'_> {
    let s = &loaded.scenario;
    let mut engine = Engine::new(s);
    let mut months: Vec<MonthRecord> = Vec::with_capacity(s.months());
    engine.run(&mut Expected, &mut months);
    let years = YearAccumulator::from_months(s, &months);
    let calibration = years
        .first()
        .map(|y| stats::calibration(s, y))
        .unwrap_or_default();
    Run {
        meta: meta(loaded, Mode::ExpectedValue),
        scenario: s,
        years: years.iter().map(YearResult::from_path).collect(),
        months: Some(months),
        calibration,
    }
}

fn meta(loaded: &Loaded, mode: Mode) -> RunMeta {
    let s = &loaded.scenario;
    RunMeta {
        scenario: s.name.clone(),
        source: loaded.source_name.clone(),
        input_sha256: loaded.sha256.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        mode,
        start_year: s.start_year,
        years: s.years,
    }
}

/// `fundsim simulate`.
pub fn simulate(args: &SimulateArgs) -> Result<(), Error> {
    let started = Instant::now();
    let mut loaded = Scenario::load(args.scenario.as_deref())?;
    if let Some(h) = args.years {
        loaded.scenario = loaded
            .scenario
            .with_years(h)
            .map_err(|p| Error::Usage(p.to_string()))?;
    }
    if !args.deterministic {
        eprintln!(
            "note: the Monte Carlo engine is not built yet; running expected-value mode (--deterministic)"
        );
    }
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(&loaded.scenario.name));
    let run = expected_value(&loaded);
    report::write_run(&run, &out_dir)?;
    print_years(&run).context("cannot write to stdout")?;
    for row in run.calibration.iter().filter(|r| !r.within_tolerance) {
        eprintln!(
            "warning: calibration target {} = {} but the model's first year gives {:.0} ({:+.1} %)",
            row.target,
            row.target_value,
            row.model_value,
            row.relative_error * 100.0
        );
    }
    eprintln!(
        "wrote {} in {:.2} s",
        out_dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn print_years(run: &Run) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} ({}), expected-value mode; 亿元",
        run.meta.scenario, run.meta.source
    )?;
    writeln!(
        out,
        "{:>6} {:>10} {:>10} {:>10} {:>9} {:>7} {:>10}",
        "year", "income", "payments", "balance", "months", "breach", "multiplier"
    )?;
    for y in &run.years {
        let r = y.mean(Line::ReserveMonths);
        writeln!(
            out,
            "{:>6} {:>10.2} {:>10.2} {:>10.2} {:>9} {:>7} {:>10.3}",
            y.year,
            y.mean(Line::IncomeTotal) / 1e8,
            y.mean(Line::ExpenditureTotal) / 1e8,
            y.mean(Line::ClosingBalance) / 1e8,
            if r.is_finite() {
                format!("{r:.1}")
            } else {
                "-".into()
            },
            if y.breach_probability >= 0.5 {
                "yes"
            } else {
                "no"
            },
            y.mean(Line::RateMultiplier),
        )?;
    }
    Ok(())
}
