//! The command line (clap derive). These types are parsed once and turned
//! into validated inputs by [`crate::app`]; nothing below sees them.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Solvency projections for a provincial work-injury insurance fund
/// (工伤保险基金省级统收统支): income, payments, reserve months against the
/// 12-month rule, rate policy and gap sharing, by city and sector.
#[derive(Debug, Parser)]
#[command(
    name = "fundsim",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Examples:\n  fundsim validate                      check the embedded Jiangxi scenario\n  fundsim simulate --deterministic      project it in expected-value mode\n  fundsim simulate scenarios/tiny.toml --deterministic --years 2 --out /tmp/tiny"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a scenario and print a short summary of it.
    #[command(
        after_help = "Examples:\n  fundsim validate\n  fundsim validate scenarios/tiny.toml\n  fundsim validate scenarios/tiny.toml --json > resolved.json"
    )]
    Validate(ValidateArgs),
    /// Project the fund (Monte Carlo, or expected-value with --deterministic) and write the results.
    #[command(after_help = "Examples:
  fundsim simulate                                   10,000 Monte Carlo paths of the default scenario
  fundsim simulate --paths 100000 --threads 2 --seed 7
  fundsim simulate --deterministic                   expected-value projection
  fundsim simulate scenarios/tiny.toml --deterministic --years 2 --out /tmp/tiny
  fundsim simulate --shard 2/8 --out shards/2        one shard of a run spread over 8 machines
  fundsim simulate --stress scenarios/stress/recession.toml --deterministic

Outputs: summary.json, yearly.csv, by_city.csv, by_sector.csv, manifest.json and charts
(balance_fan.svg, reserve_months_fan.svg, breach_probability.svg); monthly.csv in
expected-value mode. Money in yuan.")]
    Simulate(SimulateArgs),
    /// Merge the output folders of the shards of one run into the outputs of the whole run.
    #[command(after_help = "Examples:
  fundsim merge shards/1 shards/2 shards/3 --out outputs/jiangxi-2025
  fundsim merge shards/* --out merged

The merged outputs are byte-identical to one run of all the paths.")]
    Merge(MergeArgs),
    /// Evaluate benchmark-rate schedules on common random paths, and solve for the smallest uniform rise.
    #[command(after_help = "Examples:
  fundsim rates --schedule scenarios/rates/rise-2027.toml
  fundsim rates --schedule a.toml --schedule b.toml --paths 5000
  fundsim rates --solve --target 0.05
  fundsim rates --solve --target 0.05 --by class

A candidate file has a name, a description and [[schedule]] changes (year, multiplier,
benchmark_rates, floating_factors), applied on top of the scenario's own schedule.
Outputs: rates.json, rates.csv, rates.md, rates.svg in outputs/NAME-rates.")]
    Rates(RatesArgs),
    /// Stress-test gap-sharing schemes: every stress × scheme pair on common random paths, or a reverse stress test.
    #[command(after_help = "Examples:
  fundsim stress --stress scenarios/stress/recession.toml --stress scenarios/stress/combined.toml
  fundsim stress --stress scenarios/stress/combined.toml --scheme fixed_ratio --scheme responsibility --scheme province_pays
  fundsim stress --reverse scenarios/stress/claims_surge.toml

Schemes by name: scenario (the scenario's own), province_pays, fixed_ratio, responsibility,
performance, cities_pay. Outputs: stress.json, stress.csv, stress.md, stress.svg,
city_reserves.csv (or reverse.json with --reverse) in outputs/NAME-stress.")]
    Stress(StressArgs),
    /// Draft the fund's income and expenditure budget for a year (工伤保险基金收支预算草案).
    #[command(after_help = "Examples:
  fundsim budget                         the first projection year, in 万元
  fundsim budget --year 2026 --unit yi --lang en

Outputs: budget.csv and budget.md in outputs/NAME-budget-YEAR. Every table foots exactly.")]
    Budget(BudgetArgs),
}

/// Arguments of `fundsim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    pub scenario: Option<PathBuf>,
    /// Print the fully resolved scenario, every default filled in, as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `fundsim simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    pub scenario: Option<PathBuf>,
    /// Expected-value mode: every random quantity at its mean (MODEL.md section 10).
    #[arg(long)]
    pub deterministic: bool,
    /// Horizon in years (1–50), instead of the scenario's.
    #[arg(long, value_name = "H")]
    pub years: Option<usize>,
    /// Output folder [default: outputs/NAME, NAME the scenario's name].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Monte Carlo paths.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub paths: u64,
    /// Master seed [default: the scenario's seed, else 20240101].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// A stress overlay (scenarios/stress/*.toml) applied to the given years.
    #[arg(long, value_name = "FILE")]
    pub stress: Option<PathBuf>,
    /// Scale of every shock of --stress (1 as written, 0 none).
    #[arg(long, value_name = "S", default_value_t = 1.0, requires = "stress")]
    pub stress_scale: f64,
    /// Run only shard K of N (contiguous ranges of path indices) and write a mergeable result.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<crate::runner::Shard>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_shard(text: &str) -> Result<crate::runner::Shard, String> {
    crate::runner::Shard::parse(text)
}

/// Arguments of `fundsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output folders of the shards (written with `simulate --shard K/N`).
    #[arg(required = true, value_name = "DIR")]
    pub shards: Vec<PathBuf>,
    /// Where to write the merged outputs.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Arguments of `fundsim rates`.
#[derive(Debug, Args)]
pub struct RatesArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    pub scenario: Option<PathBuf>,
    /// A candidate schedule file; repeat for several.
    #[arg(long = "schedule", value_name = "FILE")]
    pub schedules: Vec<PathBuf>,
    /// Monte Carlo paths, the same for every schedule.
    #[arg(long, value_name = "N", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub paths: u64,
    /// Master seed [default: the scenario's seed, else 20240101].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Output folder [default: outputs/NAME-rates].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Find the smallest uniform multiplier on the benchmark rates that meets --target.
    #[arg(long)]
    pub solve: bool,
    /// What the solver moves: one multiplier on every benchmark rate, or
    /// class rates in proportion to their indicated rates within the floating bands.
    #[arg(long, value_enum, default_value_t = SolveBy::Uniform)]
    pub by: SolveBy,
    /// Target probability of any breach over the horizon, for --solve.
    #[arg(long, value_name = "P", default_value_t = 0.05, value_parser = parse_probability)]
    pub target: f64,
    /// Lowest multiplier the solver searches.
    #[arg(long, value_name = "M", default_value_t = 0.5)]
    pub min: f64,
    /// Highest multiplier the solver searches.
    #[arg(long, value_name = "M", default_value_t = 3.0)]
    pub max: f64,
    /// The solver stops when the multiplier is known to this precision.
    #[arg(long, value_name = "D", default_value_t = 0.005)]
    pub tolerance: f64,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        _ => Err(format!("{text}: a probability in (0, 1), for example 0.05")),
    }
}

/// What `fundsim rates --solve` moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SolveBy {
    /// One multiplier on every class's benchmark rate.
    Uniform,
    /// Class rates in proportion to the indicated rates, within each class's band.
    Class,
}

/// Arguments of `fundsim stress`.
#[derive(Debug, Args)]
pub struct StressArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    pub scenario: Option<PathBuf>,
    /// A stress overlay (scenarios/stress/*.toml); repeat for several. The unstressed scenario always runs too.
    #[arg(long = "stress", value_name = "FILE")]
    pub stresses: Vec<PathBuf>,
    /// A sharing scheme by name; repeat for several [default: the scenario's own].
    #[arg(long = "scheme", value_name = "NAME")]
    pub schemes: Vec<String>,
    /// Reverse stress test: the smallest scale of this overlay's shocks at which the probability of a breach reaches --reverse-target.
    #[arg(long, value_name = "FILE", conflicts_with = "stresses")]
    pub reverse: Option<PathBuf>,
    /// Probability of any breach the reverse stress test looks for.
    #[arg(long, value_name = "P", default_value_t = 0.5, value_parser = parse_probability)]
    pub reverse_target: f64,
    /// Monte Carlo paths, the same for every pair.
    #[arg(long, value_name = "N", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub paths: u64,
    /// Master seed [default: the scenario's seed, else 20240101].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Output folder [default: outputs/NAME-stress].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `fundsim budget`.
#[derive(Debug, Args)]
pub struct BudgetArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    pub scenario: Option<PathBuf>,
    /// Budget year [default: the first projection year].
    #[arg(long, value_name = "Y")]
    pub year: Option<i32>,
    /// Monte Carlo paths.
    #[arg(long, value_name = "N", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub paths: u64,
    /// Master seed [default: the scenario's seed, else 20240101].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Unit of the amounts.
    #[arg(long, value_enum, default_value_t = crate::budget::Unit::Wan)]
    pub unit: crate::budget::Unit,
    /// Language of the labels.
    #[arg(long, value_enum, default_value_t = crate::budget::Lang::Zh)]
    pub lang: crate::budget::Lang,
    /// Actual income and expenditure of months 1..j of the budget year (CSV
    /// `month,line,amount[,city]`, yuan): adds an in-year reforecast.
    #[arg(long, value_name = "FILE")]
    pub actuals: Option<PathBuf>,
    /// Output folder [default: outputs/NAME-budget-YEAR].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}
