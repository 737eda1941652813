//! The command line (clap derive): the flags as typed ([`Cli`]), turned once
//! into each command's validated configuration ([`config`]), which does
//! every range and combination check; nothing below sees clap.

mod config;
mod help;

use crate::commands::{self, Error};
use crate::report::format::group;
use crate::stats::runner::MAX_PATHS;
use clap::{Args, Parser, Subcommand, ValueEnum};
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
    after_help = "Examples:\n  fundsim validate                      check the embedded Jiangxi scenario\n  fundsim simulate                      10,000 Monte Carlo paths of it\n  fundsim simulate --deterministic      its expected-value projection\n  fundsim simulate scenarios/tiny.toml --deterministic --years 2 --out /tmp/tiny"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Check a scenario and print a short summary of it.
    #[command(after_help = help::validate())]
    Validate(ValidateArgs),
    /// Project the fund (Monte Carlo, or expected-value with --deterministic) and write the results.
    #[command(after_help = help::simulate())]
    Simulate(SimulateArgs),
    /// Merge the output folders of the shards of one run into the outputs of the whole run.
    #[command(after_help = help::merge())]
    Merge(MergeArgs),
    /// Evaluate benchmark-rate schedules on common random paths, and solve for the smallest rise.
    #[command(after_help = help::rates())]
    Rates(RatesArgs),
    /// Stress-test gap-sharing schemes: every stress × scheme pair on common random paths, or a reverse stress test.
    #[command(after_help = help::stress())]
    Stress(StressArgs),
    /// Draft the fund's income and expenditure budget for a year (工伤保险基金收支预算草案).
    #[command(after_help = help::budget())]
    Budget(BudgetArgs),
    /// One-at-a-time sensitivities (a tornado): each assumption moved down and up on the same paths.
    #[command(after_help = help::sensitivity())]
    Sensitivity(SensitivityArgs),
    /// The office's standard set on one seed, in one report: projection, budget draft, a rate rise, the stress overlays and the tornado.
    #[command(after_help = help::report())]
    Report(ReportArgs),
    /// Calibrate a scenario on a fund's history: drivers, levels and parameter uncertainty fitted, the rest kept from a base.
    #[command(after_help = help::calibrate())]
    Calibrate(CalibrateArgs),
    /// Back-test: calibrate on the years up to an origin and place what was observed later in the simulated fans.
    #[command(after_help = help::backtest())]
    Backtest(BacktestArgs),
}

/// Runs one parsed command line.
pub(crate) fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Validate(a) => commands::validate::run(&config::validate(a)),
        Command::Simulate(a) => commands::simulate::run(&config::simulate(a)?),
        Command::Merge(a) => commands::merge::run(&config::merge(a)),
        Command::Rates(a) => commands::rates::run(&config::rates(a)?),
        Command::Stress(a) => commands::stress::run(&config::stress(a)),
        Command::Budget(a) => commands::budget::run(&config::budget(a)),
        Command::Sensitivity(a) => commands::sensitivity::run(&config::sensitivity(a)),
        Command::Report(a) => commands::report::run(&config::report(a)),
        Command::Calibrate(a) => commands::calibrate::run(&config::calibrate(a)),
        Command::Backtest(a) => commands::backtest::run(&config::backtest(a)?),
    }
}

/// The flags every command that runs Monte Carlo paths shares.
#[derive(Debug, Args)]
struct RunFlags {
    /// Master seed [default: the scenario's seed, else 20240101].
    #[arg(long, value_name = "S", allow_negative_numbers = true, value_parser = whole_number(0, u64::MAX))]
    seed: Option<u64>,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, value_name = "T", allow_negative_numbers = true, value_parser = threads)]
    threads: Option<u16>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

/// The unit amounts are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum UnitArg {
    /// 元.
    Yuan,
    /// 万元.
    Wan,
    /// 亿元.
    Yi,
}

/// The language of the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LangArg {
    /// Chinese.
    Zh,
    /// English, the Chinese terms of art beside them.
    En,
}

/// Arguments of `fundsim validate`.
#[derive(Debug, Args)]
struct ValidateArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    scenario: Option<PathBuf>,
    /// Print the fully resolved scenario, every default filled in, as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `fundsim simulate`.
#[derive(Debug, Args)]
struct SimulateArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    scenario: Option<PathBuf>,
    /// Expected-value mode: every random quantity at its mean (docs/model.md §10).
    #[arg(long)]
    deterministic: bool,
    /// Horizon in years (1–50), instead of the scenario's.
    #[arg(long, value_name = "H", allow_negative_numbers = true, value_parser = horizon)]
    years: Option<usize>,
    /// Output folder [default: outputs/NAME, NAME the scenario's name, with the
    /// overlay's name and -deterministic appended when they apply].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Monte Carlo paths.
    #[arg(long, value_name = "N", default_value_t = 10_000, allow_negative_numbers = true, value_parser = whole_number(1, MAX_PATHS))]
    paths: u64,
    #[command(flatten)]
    run: RunFlags,
    /// A stress overlay (scenarios/stress/*.toml) applied to the given years.
    #[arg(long, value_name = "FILE")]
    stress: Option<PathBuf>,
    /// Scale of every shock of --stress (1 as written, 0 none), 0–10.
    #[arg(long, value_name = "S", default_value_t = 1.0, requires = "stress")]
    stress_scale: f64,
    /// Run only shard K of N (contiguous ranges of path indices) and write a mergeable result.
    #[arg(long, value_name = "K/N", value_parser = crate::stats::runner::Shard::parse)]
    shard: Option<crate::stats::runner::Shard>,
    /// Unit of the console table and the charts [default: by the scenario's size, 万元 for a province].
    #[arg(long, value_enum)]
    unit: Option<UnitArg>,
    /// Language of report.html and the charts [default: zh when the scenario names its cities in Chinese, else en].
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

/// Arguments of `fundsim merge`.
#[derive(Debug, Args)]
struct MergeArgs {
    /// Output folders of the shards (written with `simulate --shard K/N`).
    #[arg(required = true, value_name = "DIR")]
    shards: Vec<PathBuf>,
    /// Where to write the merged outputs.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Unit of the console table and the charts [default: by the scenario's size].
    #[arg(long, value_enum)]
    unit: Option<UnitArg>,
    /// Language of report.html and the charts [default: zh when the scenario names its cities in Chinese, else en].
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

/// Arguments of `fundsim rates`.
#[derive(Debug, Args)]
struct RatesArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    scenario: Option<PathBuf>,
    /// A candidate schedule file; repeat for several.
    #[arg(long = "schedule", value_name = "FILE")]
    schedules: Vec<PathBuf>,
    /// Monte Carlo paths, the same for every schedule.
    #[arg(long, value_name = "N", default_value_t = 2_000, allow_negative_numbers = true, value_parser = whole_number(1, 10_000_000))]
    paths: u64,
    #[command(flatten)]
    run: RunFlags,
    /// Output folder [default: outputs/NAME-rates].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Find the smallest multiplier on the benchmark rates that meets --target.
    #[arg(long)]
    solve: bool,
    /// What the solver moves: one multiplier on every benchmark rate, or
    /// class rates in proportion to their indicated rates within the floating bands.
    #[arg(long, value_enum, default_value_t = SolveBy::Uniform)]
    by: SolveBy,
    /// Target probability of any breach over the horizon, for --solve.
    #[arg(long, value_name = "P", default_value_t = 0.05, value_parser = parse_probability)]
    target: f64,
    /// Lowest multiplier the solver searches, in (0, 10].
    #[arg(long, value_name = "M", default_value_t = 0.5)]
    min: f64,
    /// Highest multiplier the solver searches, in (0, 10].
    #[arg(long, value_name = "M", default_value_t = 3.0)]
    max: f64,
    /// The solver stops when the multiplier is known to this precision, in [0.0001, 1].
    #[arg(long, value_name = "D", default_value_t = 0.005)]
    tolerance: f64,
    /// Unit of the console, rates.md and the chart [default: by the scenario's size].
    #[arg(long, value_enum)]
    unit: Option<UnitArg>,
    /// Language of report.html and its charts [default: zh when the scenario names its cities in Chinese, else en].
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

/// A whole number from `lo` to `hi`, said in the user's words when it is not.
fn whole_number(lo: u64, hi: u64) -> impl Fn(&str) -> Result<u64, String> + Clone + Send + Sync {
    move |text: &str| match text.trim().parse::<u64>() {
        Ok(n) if (lo..=hi).contains(&n) && !text.trim().starts_with('+') => Ok(n),
        _ => Err(format!(
            "a whole number from {} to {}, in plain digits (no exponent, sign or separators)",
            group(&lo.to_string()),
            group(&hi.to_string()),
        )),
    }
}

/// A horizon in years, read as a whole number; its range is the scenario
/// check's, which names `--years` with the value.
fn horizon(text: &str) -> Result<usize, String> {
    text.trim().parse::<usize>().map_err(|_| {
        format!(
            "a number of years from 1 to {}, in plain digits",
            crate::model::limits::MAX_YEARS
        )
    })
}

/// A calendar year, such as 2026; whether the scenario has it is checked
/// with the scenario.
fn calendar_year(text: &str) -> Result<i32, String> {
    match text.trim().parse::<i32>() {
        Ok(y) if (1..=9999).contains(&y) => Ok(y),
        _ => Err("a calendar year in plain digits, such as 2026".to_string()),
    }
}

/// Worker threads: 1 to 1,024.
fn threads(text: &str) -> Result<u16, String> {
    whole_number(1, 1024)(text).map(|n| n as u16)
}

fn parse_probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        _ => Err(format!("{text}: a probability in (0, 1), for example 0.05")),
    }
}

/// What `fundsim rates --solve` moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SolveBy {
    /// One multiplier on every class's benchmark rate.
    Uniform,
    /// Class rates in proportion to the indicated rates, within each class's band.
    Class,
}

/// Arguments of `fundsim stress`.
#[derive(Debug, Args)]
struct StressArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    scenario: Option<PathBuf>,
    /// A stress overlay (scenarios/stress/*.toml); repeat for several. The unstressed scenario always runs too.
    #[arg(long = "stress", value_name = "FILE")]
    stresses: Vec<PathBuf>,
    /// A sharing scheme by name (see below); repeat for several [default: the scenario's own].
    #[arg(long = "scheme", value_name = "NAME")]
    schemes: Vec<String>,
    /// Reverse stress test: the smallest scale of this overlay's shocks at which the probability of a breach reaches --reverse-target (under the scenario's own scheme).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["stresses", "schemes"])]
    reverse: Option<PathBuf>,
    /// Probability of any breach the reverse stress test looks for.
    #[arg(long, value_name = "P", default_value_t = 0.5, value_parser = parse_probability, requires = "reverse")]
    reverse_target: f64,
    /// Monte Carlo paths, the same for every pair.
    #[arg(long, value_name = "N", default_value_t = 2_000, allow_negative_numbers = true, value_parser = whole_number(1, 10_000_000))]
    paths: u64,
    #[command(flatten)]
    run: RunFlags,
    /// Output folder [default: outputs/NAME-stress].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Unit of the console, stress.md and the chart [default: by the scenario's size].
    #[arg(long, value_enum)]
    unit: Option<UnitArg>,
    /// Language of report.html and its charts [default: zh when the scenario names its cities in Chinese, else en].
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

/// Arguments of `fundsim report`.
#[derive(Debug, Args)]
struct ReportArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    scenario: Option<PathBuf>,
    /// Monte Carlo paths, the same for every part.
    #[arg(long, value_name = "N", default_value_t = 2_000, allow_negative_numbers = true, value_parser = whole_number(1, 10_000_000))]
    paths: u64,
    #[command(flatten)]
    run: RunFlags,
    /// Output folder [default: outputs/NAME-report].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Unit of the amounts [default: by the scenario's size].
    #[arg(long, value_enum)]
    unit: Option<UnitArg>,
    /// Language of the report [default: zh when the scenario names its cities in Chinese, else en].
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

/// What the tornado measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MeasureArg {
    /// The probability of at least one December below the rule.
    AnyBreach,
    /// The mean December balance of the last year.
    Balance,
}

/// Arguments of `fundsim sensitivity`.
#[derive(Debug, Args)]
struct SensitivityArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    scenario: Option<PathBuf>,
    /// What the bars show and are sorted by (both are written to the files).
    #[arg(long, value_enum, default_value_t = MeasureArg::AnyBreach)]
    measure: MeasureArg,
    /// Monte Carlo paths, the same for every move.
    #[arg(long, value_name = "N", default_value_t = 2_000, allow_negative_numbers = true, value_parser = whole_number(1, 10_000_000))]
    paths: u64,
    #[command(flatten)]
    run: RunFlags,
    /// Output folder [default: outputs/NAME-sensitivity].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Unit of the console, the chart and the report [default: by the scenario's size].
    #[arg(long, value_enum)]
    unit: Option<UnitArg>,
    /// Language of report.html and the chart [default: zh when the scenario names its cities in Chinese, else en].
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

/// Arguments of `fundsim calibrate`.
#[derive(Debug, Args)]
struct CalibrateArgs {
    /// History file (CSV, one row a year; docs/history.md).
    history: PathBuf,
    /// Base scenario: what the history does not determine is kept from it [default: the embedded Jiangxi scenario].
    #[arg(long, value_name = "SCENARIO")]
    base: Option<PathBuf>,
    /// History by risk class (CSV: year, class, insured, payroll, premiums, injuries, graded, deaths; docs/history.md): the class columns of the insured and wage tables, each class's frequency and outcome mix.
    #[arg(long, value_name = "FILE")]
    by_class: Option<PathBuf>,
    /// History by city (CSV: year, city, and the same figures): the city rows of the tables, each city's relative risk and collection rate.
    #[arg(long, value_name = "FILE")]
    by_city: Option<PathBuf>,
    /// Output folder for scenario.toml, calibration.md and calibration.json [default: outputs/HISTORY-calibration]; or NAME.toml: the scenario there, the reports in the folder NAME.calibration beside it.
    #[arg(long, value_name = "DIR|NAME.toml")]
    out: Option<PathBuf>,
}

/// Arguments of `fundsim backtest`.
#[derive(Debug, Args)]
struct BacktestArgs {
    /// History file (CSV, one row a year; docs/history.md).
    history: PathBuf,
    /// Base scenario [default: the embedded Jiangxi scenario].
    #[arg(long, value_name = "SCENARIO")]
    base: Option<PathBuf>,
    /// The origin: the last year the calibration sees [default with --rolling: the earliest possible].
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true, value_parser = calendar_year)]
    from: Option<i32>,
    /// Repeat from every origin from --from to the year before the last, and report coverage over all of them.
    #[arg(long)]
    rolling: bool,
    /// Monte Carlo paths per origin.
    #[arg(long, value_name = "N", default_value_t = 1_000, allow_negative_numbers = true, value_parser = whole_number(20, 1_000_000))]
    paths: u64,
    #[command(flatten)]
    run: RunFlags,
    /// Output folder [default: outputs/HISTORY-backtest].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Unit of backtest.md, the charts and the report [default: by the calibrated scenario's size].
    #[arg(long, value_enum)]
    unit: Option<UnitArg>,
    /// Language of report.html and the charts [default: zh when the base scenario names its cities in Chinese, else en].
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

/// Arguments of `fundsim budget`.
#[derive(Debug, Args)]
struct BudgetArgs {
    /// Scenario file (TOML); the embedded Jiangxi 2025 scenario when omitted.
    scenario: Option<PathBuf>,
    /// Budget year [default: the first projection year].
    #[arg(long, value_name = "Y", allow_negative_numbers = true, value_parser = calendar_year)]
    year: Option<i32>,
    /// Monte Carlo paths.
    #[arg(long, value_name = "N", default_value_t = 2_000, allow_negative_numbers = true, value_parser = whole_number(1, 10_000_000))]
    paths: u64,
    #[command(flatten)]
    run: RunFlags,
    /// Unit of the amounts [default: by the scenario's size, 万元 for a province].
    #[arg(long, value_enum)]
    unit: Option<UnitArg>,
    /// Language of the labels.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    /// Actual income and expenditure of months 1..j of the budget year (CSV
    /// `month,line,amount[,city]`, yuan): adds an in-year reforecast.
    #[arg(long, value_name = "FILE")]
    actuals: Option<PathBuf>,
    /// Output folder [default: outputs/NAME-budget-YEAR].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Start every CSV file with a UTF-8 byte-order mark, so that Excel opens
    /// the Chinese labels correctly on a double click.
    #[arg(long)]
    csv_bom: bool,
}
