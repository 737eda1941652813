//! # fundsim
//!
//! Solvency projections for a provincial work-injury insurance fund under
//! unified provincial collection and expenditure (省级统收统支), as described
//! in `docs/model.md`: monthly income and payments by city and sector, the
//! 12-month reserve rule, the rate policy and gap sharing.
//!
//! The layers, each depending only on those below it:
//!
//! - `cli`: the command line, turned once into each command's config;
//! - `commands`: one module per command;
//! - `input` (every reader), `analysis` (pure functions from a scenario
//!   and its paths to results) and `report` (everything that writes bytes);
//! - `stats` (years, path sets, estimators, the parallel runner, shards)
//!   over `engine` (one path, month by month);
//! - `model`: the scenario and every rule of the model, no I/O.
//!
//! [`run`] is the whole program; `main.rs` only maps its result to an exit
//! code.

mod analysis;
mod cli;
mod commands;
mod engine;
mod input;
mod model;
mod report;
mod stats;

pub use cli::Cli;
pub use commands::Error;

/// Runs one parsed command line.
///
/// # Errors
///
/// Why the command failed; [`Error::exit_code`] says how the process should exit.
pub fn run(cli: Cli) -> Result<(), Error> {
    cli::run(cli)
}

/// The engine benchmark's entry point (`benches/engine.rs`); not part of
/// the tool's interface.
#[doc(hidden)]
pub mod bench {
    /// The size of the embedded default scenario: cities, sectors, months.
    #[must_use]
    pub fn default_size() -> (usize, usize, usize) {
        let s = crate::input::parse_scenario(&crate::input::Source::default_scenario())
            .expect("the embedded scenario is valid");
        (s.n_cities(), s.n_sectors(), s.months())
    }

    /// Runs Monte Carlo paths `0..paths` of the embedded default scenario
    /// on `threads` threads; returns the paths run.
    #[must_use]
    pub fn run_default(seed: u64, paths: u64, threads: usize) -> u64 {
        let s = crate::input::parse_scenario(&crate::input::Source::default_scenario())
            .expect("the embedded scenario is valid");
        let config = crate::stats::runner::RunConfig {
            seed,
            paths: 0..paths,
            threads: Some(threads),
            progress: false,
        };
        crate::stats::runner::run(&s, &config)
            .expect("a benchmark run")
            .paths()
    }

    /// Runs the engine `runs` times on the embedded default scenario in
    /// expected-value mode, where no draw is made: what the arithmetic of a
    /// path costs alone. Returns a sum of the months' total expenditure, so
    /// that the work cannot be left out.
    #[must_use]
    pub fn run_expected_default(runs: usize) -> f64 {
        struct Total(f64);
        impl crate::engine::Observer for Total {
            fn month(&mut self, record: &crate::engine::MonthRecord) {
                self.0 += record.get(crate::model::lines::Line::ExpenditureTotal);
            }
        }
        let s = crate::input::parse_scenario(&crate::input::Source::default_scenario())
            .expect("the embedded scenario is valid");
        let plan = crate::engine::Plan::new(&s);
        let mut engine = crate::engine::Engine::new(&plan);
        let mut total = Total(0.0);
        for _ in 0..runs {
            engine.run(&mut crate::model::sampling::Expected, &mut total);
        }
        total.0
    }
}

#[cfg(test)]
mod tests;
