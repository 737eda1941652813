//! # fundsim
//!
//! Solvency projections for a provincial work-injury insurance fund under
//! unified provincial collection and expenditure (省级统收统支), as specified
//! in `MODEL.md`: monthly income and payments by city and sector, the
//! 12-month reserve rule, the rate policy and gap sharing.
//!
//! One module per concept of the model:
//! [`scenario`] (schema and validation), [`drivers`] (section 2),
//! [`claims`] (sections 4 and 5.1), [`stocks`] (5.2), [`policy`] (6),
//! [`sharing`] (7), [`engine`] (the month loop), [`sampling`] (where
//! randomness enters), [`lines`] and [`stats`] (section 8), [`report`]
//! (output files). [`run`] is the whole program; `main.rs` only maps its
//! result to an exit code.

pub mod app;
pub mod budget;
pub mod chart;
pub mod claims;
pub mod cli;
pub mod drivers;
pub mod engine;
pub mod lines;
pub mod policy;
pub mod rates;
pub mod report;
pub mod runner;
pub mod sampling;
pub mod scenario;
pub mod shard;
pub mod sharing;
pub mod stats;
pub mod stocks;
pub mod stress;

use cli::{Cli, Command};

/// Why a command failed; decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scenario that cannot be used (exit code 2).
    #[error(transparent)]
    Scenario(#[from] scenario::ScenarioError),
    /// Bad arguments (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// Anything else (exit code 1).
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl Error {
    /// The process exit code: 2 for bad input, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scenario(_) | Error::Usage(_) => 2,
            Error::Other(_) => 1,
        }
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<(), Error> {
    match &cli.command {
        Command::Validate(args) => app::validate(args),
        Command::Simulate(args) => app::simulate(args),
        Command::Merge(args) => app::merge(args),
        Command::Rates(args) => app::rates(args),
        Command::Stress(args) => app::stress(args),
        Command::Budget(args) => app::budget(args),
    }
}
