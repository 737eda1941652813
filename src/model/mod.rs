//! The model of docs/model.md, without any I/O: the validated [`scenario`]
//! and every rule that turns it into money — the annual [`drivers`], new
//! injuries and what they cost ([`cases`], [`claims`], [`schedule`]), the
//! benefit [`stocks`], the 12-month rule and rate [`policy`], gap
//! [`sharing`] and [`stress`] overlays — plus where randomness enters
//! ([`sampling`]), the reported [`lines`] and their [`breakdown`] by city,
//! sector and payer, the range [`check`]s every parameter passes and the [`limits`] they
//! are derived from, and how a figure is written in [`text`].
//!
//! Nothing here imports from the layers above (engine, statistics, input,
//! analysis, report, commands).

pub(crate) mod actuals;
pub(crate) mod breakdown;
pub(crate) mod cases;
pub(crate) mod check;
pub(crate) mod claims;
pub(crate) mod drivers;
pub(crate) mod feasible;
pub(crate) mod history;
pub(crate) mod limits;
pub(crate) mod lines;
pub(crate) mod policy;
pub(crate) mod sampling;
pub(crate) mod scenario;
pub(crate) mod schedule;
pub(crate) mod sharing;
pub(crate) mod stocks;
pub(crate) mod stress;
pub(crate) mod text;
