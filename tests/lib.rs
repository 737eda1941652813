//! The `fundsim` binary run as a user runs it, one module per command (one
//! test binary, as casey/just does), its output folders and their crash
//! safety, and the architecture of `src/` read
//! from its source. Each test says in a comment what it proves. The model
//! itself is tested inside the crate (`src/tests/`).

mod architecture;
mod browser;
mod budget;
mod calibrate;
mod crash_safety;
mod output_dirs;
mod rates;
mod report;
mod sensitivity;
mod shards;
mod simulate;
mod stress;
mod support;
mod validate;
