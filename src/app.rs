//! The commands: each turns its arguments into validated inputs, runs the
//! model and writes what the user asked for. Errors are [`crate::Error`]s,
//! which carry the exit code.

use crate::Error;
use crate::chart;
use crate::cli::{BudgetArgs, MergeArgs, RatesArgs, SimulateArgs, StressArgs, ValidateArgs};
use crate::engine::{Engine, MonthRecord};
use crate::lines::Line;
use crate::rates::{self, Variant};
use crate::report::rates::RatesReport;
use crate::report::{self, Mode, Run, RunMeta};
use crate::report::{MonteCarloRun, OutputDir};
use crate::runner::{self, RunConfig, Shard};
use crate::sampling::Expected;
use crate::scenario::ScenarioError;
use crate::scenario::{Loaded, Scenario};
use crate::shard::{self, Manifest};
use crate::stats::paths::PathSet;
use crate::stats::{self, YearAccumulator, YearResult};
use crate::stress::Stress;
use anyhow::Context;
use std::io::IsTerminal;
use std::io::Write;
use std::path::Path;
use std::path::PathBuf;
use std::time::Instant;

/// `fundsim validate`.
pub fn validate(args: &ValidateArgs) -> Result<(), Error> {
    let loaded = Scenario::load(args.scenario.as_deref())?;
    let s = &loaded.scenario;
    let mut out = std::io::stdout().lock();
    if args.json {
        let written = serde_json::to_writer_pretty(&mut out, s)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out));
        return quiet_pipe(written);
    }
    let yi = |v: f64| v / 1e8;
    let written = writeln!(
        out,
        "{}: valid scenario \"{}\"\n  {}\n  years      {}–{} ({} years)\n  cities     {} ({})\n  sectors    {} ({})\n  insured    {:.0} (base year)\n  payroll    {:.2} 亿元 a year (base year)\n  opening    {:.2} 亿元 balance on 1 January {}\n  sha256     {}",
        loaded.source_name,
        s.name,
        s.description,
        s.start_year,
        s.start_year + s.years as i32 - 1,
        s.years,
        s.n_cities(),
        s.cities
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        s.n_sectors(),
        s.sectors
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        s.base_insured(),
        yi(s.base_payroll()),
        yi(s.fund.opening_balance),
        s.start_year,
        loaded.sha256,
    );
    quiet_pipe(written)
}

/// A write to stdout that failed because the reader went away (`| head`) is
/// not an error.
fn quiet_pipe(result: std::io::Result<()>) -> Result<(), Error> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other.context("cannot write to stdout")?),
    }
}

/// Refuses an output folder that cannot be written before any work is done.
fn check_out(dir: &Path) -> Result<(), Error> {
    OutputDir::check_target(dir).map_err(|e| Error::Usage(format!("{e:#}")))
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
        monte_carlo: None,
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
        stress: s
            .stress
            .as_ref()
            .map(|st| format!("{} (scale {})", st.name, st.scale)),
    }
}

/// The seed of a run when neither the command line nor the scenario gives one.
pub const DEFAULT_SEED: u64 = 20_240_101;

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
    if let Some(path) = &args.stress {
        if args.shard.is_some() {
            return Err(Error::Usage(
                "--stress cannot be combined with --shard yet: run the stressed scenario whole"
                    .into(),
            ));
        }
        if !(args.stress_scale.is_finite() && (0.0..=10.0).contains(&args.stress_scale)) {
            return Err(Error::Usage(format!(
                "--stress-scale {}: a scale in [0, 10]",
                args.stress_scale
            )));
        }
        let text = read_input(path)?;
        let stress = Stress::from_toml(&loaded.scenario, &text, &path.display().to_string())?;
        loaded.scenario.stress = Some(stress.scaled(args.stress_scale));
    }
    let out_dir = args.out.clone().unwrap_or_else(|| {
        let name = match &loaded.scenario.stress {
            Some(st) => format!("{}-{}", loaded.scenario.name, st.name),
            None => loaded.scenario.name.clone(),
        };
        PathBuf::from("outputs").join(name)
    });
    check_out(&out_dir)?;
    if args.deterministic {
        if args.shard.is_some() {
            return Err(Error::Usage(
                "--shard splits Monte Carlo paths; it cannot be used with --deterministic".into(),
            ));
        }
        let run = expected_value(&loaded);
        report::write_run(&run, &out_dir)?;
        quiet_pipe(print_years(&run))?;
        warn_calibration(&run);
    } else {
        let shard = args.shard.unwrap_or(Shard::ALL);
        let config = run_config(
            &loaded.scenario,
            args.seed,
            shard.range(args.paths),
            args.threads,
            args.quiet,
        );
        let seed = config.seed;
        let set = runner::run(&loaded.scenario, &config)?;
        let meta = meta(&loaded, Mode::MonteCarlo);
        let manifest = Manifest::new(&meta, seed, args.paths, shard, &set);
        if shard.is_all() {
            let run = monte_carlo_run(&loaded, meta, manifest, &set);
            write_monte_carlo(&run, &out_dir)?;
            quiet_pipe(print_years(&run))?;
        } else {
            let text = scenario_text(args.scenario.as_deref())?;
            let out = OutputDir::create(&out_dir)?;
            shard::write(out.path(), &manifest, &text, &set)?;
            out.commit()?;
            eprintln!(
                "shard {}/{}: paths {}..{} of {}; merge all {} shards with `fundsim merge`",
                shard.index,
                shard.count,
                set.first_path,
                set.first_path + set.paths,
                args.paths,
                shard.count
            );
        }
    }
    done(&out_dir, started);
    Ok(())
}

/// `fundsim merge`.
pub fn merge(args: &MergeArgs) -> Result<(), Error> {
    let started = Instant::now();
    check_out(&args.out)?;
    let shards = args
        .shards
        .iter()
        .map(|d| shard::read(d))
        .collect::<anyhow::Result<Vec<_>>>()
        .map_err(|e| Error::Usage(format!("{e:#}")))?;
    let whole = shard::merge(shards).map_err(|e| Error::Usage(format!("{e:#}")))?;
    let m = &whole.manifest;
    let scenario = Scenario::from_toml(&whole.scenario_text, &m.source)?;
    let scenario = scenario
        .with_years(m.years)
        .map_err(|p| Error::Usage(p.to_string()))?;
    let loaded = Loaded {
        scenario,
        source_name: m.source.clone(),
        sha256: crate::scenario::sha256_hex(whole.scenario_text.as_bytes()),
    };
    if loaded.sha256 != m.input_sha256 {
        return Err(Error::Usage(
            "a shard's scenario.toml does not match its manifest's input_sha256".into(),
        ));
    }
    let meta = meta(&loaded, Mode::MonteCarlo);
    let run = monte_carlo_run(&loaded, meta, m.clone(), &whole.set);
    write_monte_carlo(&run, &args.out)?;
    quiet_pipe(print_years(&run))?;
    eprintln!(
        "merged {} shards into {} in {:.2} s",
        args.shards.len(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `fundsim rates`.
pub fn rates(args: &RatesArgs) -> Result<(), Error> {
    let started = Instant::now();
    let loaded = Scenario::load(args.scenario.as_deref())?;
    let s = &loaded.scenario;
    let bounds_ok = args.min > 0.0 && args.min < args.max && args.tolerance > 0.0;
    if !bounds_ok {
        return Err(Error::Usage(format!(
            "--min {} --max {} --tolerance {}: need 0 < min < max and a tolerance > 0",
            args.min, args.max, args.tolerance
        )));
    }
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}-rates", s.name)));
    check_out(&out_dir)?;
    let mut variants = vec![Variant::baseline(s)];
    for path in &args.schedules {
        let text = read_input(path)?;
        let candidate = s.candidate_from_toml(&text, &path.display().to_string())?;
        variants.push(Variant::candidate(s, &candidate));
    }
    let config = run_config(s, args.seed, 0..args.paths, args.threads, args.quiet);
    let seed = config.seed;
    let runs = variants
        .into_iter()
        .map(|v| rates::run_variant(v, &config))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let evaluations: Vec<_> = runs.iter().map(|r| rates::evaluate(r, &runs[0])).collect();
    let solve = if args.solve {
        let bounds = rates::SolveBounds {
            min: args.min,
            max: args.max,
            tolerance: args.tolerance,
        };
        let by = match args.by {
            crate::cli::SolveBy::Uniform => rates::SolveBy::Uniform,
            crate::cli::SolveBy::Class => rates::SolveBy::Class {
                indicated: rates::indicated_rates(s, &runs[0].set)
                    .iter()
                    .map(|r| r.indicated)
                    .collect(),
            },
        };
        Some(rates::solve(s, &by, args.target, bounds, &config)?)
    } else {
        None
    };
    let report = RatesReport {
        scenario: s.name.clone(),
        source: loaded.source_name.clone(),
        input_sha256: loaded.sha256.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        seed,
        paths: args.paths,
        years: (0..s.years).map(|k| s.start_year + k as i32).collect(),
        reserve_rule_months: s.law.reserve_rule_months,
        classes: s.sectors.iter().map(|c| c.name.clone()).collect(),
        candidates: evaluations,
        solve,
        indicated_rates: rates::indicated_rates(s, &runs[0].set),
        provincial_loading: rates::provincial_loading(&runs[0].set),
    };
    let out = OutputDir::create(&out_dir)?;
    report::rates::write(&report, out.path())?;
    out.commit()?;
    let mut stdout = std::io::stdout().lock();
    let printed = (|| -> std::io::Result<()> {
        writeln!(
            stdout,
            "{}: {} paths, seed {seed}; P(any breach by {}):",
            s.name,
            args.paths,
            s.start_year + s.years as i32 - 1
        )?;
        for e in &report.candidates {
            writeln!(
                stdout,
                "  {:<24} {:>6.1} % ± {:.1}   vs baseline {:+.1} points (paired se {:.1})   premiums {:+.2} 亿元 a year",
                e.name,
                e.breach_probability_any * 100.0,
                e.breach_probability_any_se * 100.0,
                e.difference_any.difference * 100.0,
                e.difference_any.se * 100.0,
                e.premiums_change_total / 1e8
            )?;
        }
        if let Some(sol) = &report.solve {
            writeln!(
                stdout,
                "  solve ({}): multiplier {:.3} gives {:.1} % ± {:.1} (target {:.1} %, binding: {})",
                sol.by,
                sol.multiplier,
                sol.achieved * 100.0,
                sol.achieved_se * 100.0,
                sol.target * 100.0,
                sol.binding
            )?;
        }
        Ok(())
    })();
    quiet_pipe(printed)?;
    done(&out_dir, started);
    Ok(())
}

/// `fundsim stress`.
pub fn stress(args: &StressArgs) -> Result<(), Error> {
    let started = Instant::now();
    let loaded = Scenario::load(args.scenario.as_deref())?;
    let s = &loaded.scenario;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}-stress", s.name)));
    check_out(&out_dir)?;
    let read_stress = |path: &PathBuf| -> Result<Stress, Error> {
        let text = read_input(path)?;
        Ok(Stress::from_toml(s, &text, &path.display().to_string())?)
    };
    let config = run_config(s, args.seed, 0..args.paths, args.threads, args.quiet);
    let seed = config.seed;
    if let Some(path) = &args.reverse {
        let overlay = read_stress(path)?;
        let result = crate::stress::reverse(s, &overlay, args.reverse_target, &config)?;
        let out = OutputDir::create(&out_dir)?;
        let json =
            serde_json::to_string_pretty(&result).context("cannot write reverse.json")? + "\n";
        std::fs::write(out.path().join("reverse.json"), json)
            .context("cannot write reverse.json")?;
        out.commit()?;
        let describe = |v: Option<f64>| {
            v.map_or("not reached up to scale 10".to_string(), |x| {
                format!("scale {x:.2}")
            })
        };
        quiet_pipe(writeln!(
            std::io::stdout().lock(),
            "{} on {}: P(any breach) reaches {:.0} % at {} (Monte Carlo, {} paths); the expected-value path breaches at {}",
            overlay.name,
            s.name,
            args.reverse_target * 100.0,
            describe(result.monte_carlo_scale),
            args.paths,
            describe(result.expected_value_scale)
        ))?;
        done(&out_dir, started);
        return Ok(());
    }
    let mut stresses: Vec<Option<Stress>> = vec![None];
    for path in &args.stresses {
        stresses.push(Some(read_stress(path)?));
    }
    let mut schemes = Vec::new();
    for name in if args.schemes.is_empty() {
        vec!["scenario".to_string()]
    } else {
        args.schemes.clone()
    } {
        let scheme = if name == "scenario" {
            s.sharing.scheme
        } else {
            crate::sharing::scheme_preset(&name).ok_or_else(|| {
                let names: Vec<_> = crate::sharing::SCHEME_PRESETS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect();
                Error::Usage(format!(
                    "--scheme {name}: one of scenario, {}",
                    names.join(", ")
                ))
            })?
        };
        schemes.push((name, scheme));
    }
    let mut pairs = Vec::new();
    let mut cities = Vec::new();
    for stress in &stresses {
        let stress_name = stress
            .as_ref()
            .map_or("none".to_string(), |x| x.name.clone());
        for (i, (scheme_name, scheme)) in schemes.iter().enumerate() {
            let mut scenario = s.clone();
            scenario.stress = stress.clone();
            scenario.sharing.scheme = *scheme;
            let set = runner::run(&scenario, &config)?;
            pairs.push(crate::stress::pair_result(
                &scenario,
                &stress_name,
                scheme_name,
                &set,
            ));
            if i == 0 {
                cities.push((
                    stress_name.clone(),
                    crate::stress::city_reserves(&scenario, &set),
                ));
            }
        }
    }
    let report = crate::report::stress::StressReport {
        scenario: s.name.clone(),
        source: loaded.source_name.clone(),
        input_sha256: loaded.sha256.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        seed,
        paths: args.paths,
        years: (0..s.years).map(|k| s.start_year + k as i32).collect(),
        schemes: schemes.iter().map(|(n, _)| n.clone()).collect(),
        pairs,
        city_reserves: cities,
    };
    let out = OutputDir::create(&out_dir)?;
    crate::report::stress::write(&report, out.path())?;
    out.commit()?;
    let mut stdout = std::io::stdout().lock();
    let printed = (|| -> std::io::Result<()> {
        writeln!(
            stdout,
            "{}: {} paths, seed {seed}; gap money over the horizon, 亿元",
            s.name, args.paths
        )?;
        writeln!(
            stdout,
            "  {:<20} {:<16} {:>8} {:>10} {:>10} {:>10}",
            "stress", "scheme", "P(gap)", "mean", "p95", "province"
        )?;
        for p in &report.pairs {
            writeln!(
                stdout,
                "  {:<20} {:<16} {:>7.1}% {:>10.2} {:>10.2} {:>10.2}",
                p.stress,
                p.scheme,
                p.gap_probability_any * 100.0,
                p.gap_total_mean / 1e8,
                p.gap_total_p95 / 1e8,
                p.payers[0].burden.mean / 1e8
            )?;
        }
        Ok(())
    })();
    quiet_pipe(printed)?;
    done(&out_dir, started);
    Ok(())
}

/// `fundsim budget`.
pub fn budget(args: &BudgetArgs) -> Result<(), Error> {
    let started = Instant::now();
    let loaded = Scenario::load(args.scenario.as_deref())?;
    let s = &loaded.scenario;
    let year = args.year.unwrap_or(s.start_year);
    let last = s.start_year + s.years as i32 - 1;
    if !(s.start_year..=last).contains(&year) {
        return Err(Error::Usage(format!(
            "--year {year}: a year of the projection, {}–{last}",
            s.start_year
        )));
    }
    let k = (year - s.start_year) as usize;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}-budget-{year}", s.name)));
    check_out(&out_dir)?;
    let config = run_config(s, args.seed, 0..args.paths, args.threads, args.quiet);
    let actuals = match &args.actuals {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?;
            Some(
                crate::budget::Actuals::parse(&text, year, &path.display().to_string())
                    .map_err(Error::Usage)?,
            )
        }
        None => None,
    };
    let set = runner::run(s, &config)?;
    let draft = crate::budget::Draft::new(s, &set, k, args.unit);
    draft
        .check()
        .map_err(|e| anyhow::anyhow!("internal error: the budget table does not foot ({e})"))?;
    let out = OutputDir::create(&out_dir)?;
    std::fs::write(out.path().join("budget.csv"), draft.csv(args.lang)?)
        .context("cannot write budget.csv")?;
    let md = draft.markdown(&s.name, args.lang);
    std::fs::write(out.path().join("budget.md"), &md).context("cannot write budget.md")?;
    let mut md = md;
    if let Some(a) = &actuals {
        let lines = crate::budget::reforecast(s, &set, k, a);
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "line",
            "actual_to_date",
            "expected_to_date",
            "projected_year_end",
            "budget",
            "overspend_probability",
        ])
        .context("cannot write reforecast.csv")?;
        for l in &lines {
            w.write_record([
                l.line.to_string(),
                format!("{:.2}", l.actual_to_date),
                format!("{:.2}", l.expected_to_date),
                format!("{:.2}", l.projected),
                format!("{:.2}", l.budget),
                l.overspend_probability
                    .map_or(String::new(), |p| format!("{p:.4}")),
            ])
            .context("cannot write reforecast.csv")?;
        }
        let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        std::fs::write(out.path().join("reforecast.csv"), bytes)
            .context("cannot write reforecast.csv")?;
        use std::fmt::Write as _;
        let _ = writeln!(
            md,
            "\n## 年中预测 (in-year reforecast, months 1–{} actual)\n",
            a.months
        );
        let _ = writeln!(
            md,
            "| line | actual to date | expected to date | projected year end | budget | P(over budget) |\n| --- | ---: | ---: | ---: | ---: | ---: |"
        );
        for l in &lines {
            let _ = writeln!(
                md,
                "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {} |",
                l.line,
                l.actual_to_date / 1e4,
                l.expected_to_date / 1e4,
                l.projected / 1e4,
                l.budget / 1e4,
                l.overspend_probability
                    .map_or("—".to_string(), |p| format!("{:.1} %", p * 100.0))
            );
        }
        let _ = writeln!(
            md,
            "\n(万元; the remaining months follow each path, scaled towards the actual-to-expected ratio with credibility {}/12.)",
            a.months
        );
        std::fs::write(out.path().join("budget.md"), &md).context("cannot write budget.md")?;
    }
    let plan = crate::budget::CashPlan::new(s, k, args.unit);
    std::fs::write(out.path().join("cash_plan.csv"), plan.csv()?)
        .context("cannot write cash_plan.csv")?;
    let xlsx = draft
        .xlsx(&s.name, args.lang, &plan)
        .context("cannot build budget.xlsx")?;
    std::fs::write(out.path().join("budget.xlsx"), xlsx).context("cannot write budget.xlsx")?;
    out.commit()?;
    quiet_pipe(write!(std::io::stdout().lock(), "{md}"))?;
    done(&out_dir, started);
    Ok(())
}

/// Tells stderr where the outputs went and how long it took.
fn done(out_dir: &Path, started: Instant) {
    eprintln!(
        "wrote {} in {:.2} s",
        out_dir.display(),
        started.elapsed().as_secs_f64()
    );
}

/// How to run the paths `paths` of a command: the seed from the command
/// line, the scenario or the default; a progress bar only on a terminal.
fn run_config(
    s: &Scenario,
    seed: Option<u64>,
    paths: std::ops::Range<u64>,
    threads: Option<u16>,
    quiet: bool,
) -> RunConfig {
    RunConfig {
        seed: seed.or(s.seed).unwrap_or(DEFAULT_SEED),
        paths,
        threads: threads.map(usize::from),
        progress: !quiet && std::io::stderr().is_terminal(),
    }
}

/// The text of an input file (an overlay, a schedule); a file that cannot
/// be read is bad input.
fn read_input(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| {
        ScenarioError::Read {
            path: path.display().to_string(),
            source,
        }
        .into()
    })
}

/// The text of the scenario file (or the embedded default).
fn scenario_text(path: Option<&Path>) -> Result<String, Error> {
    match path {
        Some(p) => std::fs::read_to_string(p).map_err(|source| {
            ScenarioError::Read {
                path: p.display().to_string(),
                source,
            }
            .into()
        }),
        None => Ok(crate::scenario::DEFAULT_TOML.to_string()),
    }
}

/// The report of a Monte Carlo path set.
pub fn monte_carlo_run<'a>(
    loaded: &'a Loaded,
    meta: RunMeta,
    manifest: Manifest,
    set: &'a PathSet,
) -> Run<'a> {
    let s = &loaded.scenario;
    Run {
        meta,
        scenario: s,
        years: set.year_results(s.start_year),
        months: None,
        calibration: expected_value(loaded).calibration,
        monte_carlo: Some(MonteCarloRun {
            manifest,
            paths: set,
        }),
    }
}

/// Writes a Monte Carlo run's files and charts, atomically.
pub fn write_monte_carlo(run: &Run, dir: &Path) -> Result<(), Error> {
    let out = OutputDir::create(dir)?;
    report::write_exports(run, out.path(), dir)?;
    chart::write_all(run, out.path())?;
    out.commit()?;
    Ok(())
}

fn warn_calibration(run: &Run) {
    for row in run.calibration.iter().filter(|r| !r.within_tolerance) {
        eprintln!(
            "warning: calibration target {} = {} but the model's first year gives {:.0} ({:+.1} %)",
            row.target,
            row.target_value,
            row.model_value,
            row.relative_error * 100.0
        );
    }
}

fn print_years(run: &Run) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let mc = run.monte_carlo.as_ref();
    let mode = match mc {
        Some(mc) => format!(
            "Monte Carlo, {} paths, seed {}; means across paths",
            mc.paths.paths, mc.manifest.seed
        ),
        None => "expected-value mode".to_string(),
    };
    // 亿元 for a province, 万元 for a scenario too small to read in 亿
    let largest = run
        .years
        .iter()
        .map(|y| y.mean(Line::IncomeTotal).abs())
        .fold(0.0, f64::max);
    let (unit, scale) = if largest >= 1e8 {
        ("亿元", 1e8)
    } else {
        ("万元", 1e4)
    };
    writeln!(
        out,
        "{} ({}), {mode}; amounts in {unit}",
        run.meta.scenario, run.meta.source
    )?;
    let breach = if mc.is_some() { "P(breach)" } else { "breach" };
    writeln!(
        out,
        "{:>6} {:>12} {:>12} {:>12} {:>8} {:>10} {:>10}",
        "year", "income", "paid", "balance", "months", breach, "multiplier"
    )?;
    for y in &run.years {
        let r = y.mean(Line::ReserveMonths);
        let breach = match mc {
            Some(_) => format!("{:.1} %", y.breach_probability * 100.0),
            None if y.breach_probability >= 0.5 => "yes".into(),
            None => "no".into(),
        };
        writeln!(
            out,
            "{:>6} {:>12.2} {:>12.2} {:>12.2} {:>8} {:>10} {:>10.3}",
            y.year,
            y.mean(Line::IncomeTotal) / scale,
            y.mean(Line::ExpenditureTotal) / scale,
            y.mean(Line::ClosingBalance) / scale,
            if r.is_finite() {
                format!("{r:.1}")
            } else {
                "-".into()
            },
            breach,
            y.mean(Line::RateMultiplier),
        )?;
    }
    Ok(())
}
