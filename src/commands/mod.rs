//! The commands, one module each: a validated `Config` (built by
//! [`crate::cli`], which does every flag check) and a `run` that reads the
//! inputs, runs the analysis and hands the results to the report writers.
//! Errors are [`Error`]s, which carry the exit code.

pub(crate) mod backtest;
pub(crate) mod budget;
pub(crate) mod calibrate;
pub(crate) mod common;
mod error;
pub(crate) mod merge;
pub(crate) mod rates;
pub(crate) mod report;
pub(crate) mod sensitivity;
pub(crate) mod simulate;
pub(crate) mod stress;
pub(crate) mod validate;

pub(crate) use common::RunSettings;
pub use error::Error;
