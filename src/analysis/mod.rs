//! The analyses a command asks for, as pure functions from a scenario and
//! its paths to result structs, which [`crate::report`] writes: the
//! [`projection`] and its [`calibration`] check, benchmark-rate schedules
//! and the rate solver ([`rates`]), gap-sharing stress tests ([`stress`]),
//! the one-at-a-time [`sensitivity`] tornado, the fund [`budget`] draft
//! with its funding plan and in-year reforecast, and the one bisection
//! they share ([`search`]).

pub(crate) mod backtest;
pub(crate) mod budget;
pub(crate) mod calibrate;
pub(crate) mod calibration;
pub(crate) mod projection;
pub(crate) mod rates;
pub(crate) mod search;
pub(crate) mod sensitivity;
pub(crate) mod stress;
