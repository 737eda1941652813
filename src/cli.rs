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
    /// Project the fund and write the results to an output folder.
    #[command(
        after_help = "Examples:\n  fundsim simulate --deterministic\n  fundsim simulate scenarios/tiny.toml --deterministic --years 2 --out /tmp/tiny\n\nOutputs: summary.json, yearly.csv, monthly.csv, by_city.csv, by_sector.csv (money in yuan)."
    )]
    Simulate(SimulateArgs),
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
    /// Output folder [default: outputs/<scenario name>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}
