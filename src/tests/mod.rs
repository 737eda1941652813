//! Tests of the whole model through the crate's own API: hand-worked cases
//! and identities of the expected-value projection ([`model`]), the Monte
//! Carlo engine against the law it draws from ([`montecarlo`]), seeded
//! value-stability of every sampling code path ([`value_stability`]),
//! Kolmogorov–Smirnov tests of the exits and the medical cost ([`laws`]),
//! and the analyses' properties ([`analyses`]). Unit tests sit next to the
//! rules they check; the command line is tested from `tests/`.

mod analyses;
mod calibration;
mod fuzz;
mod laws;
mod limits;
mod messages;
mod model;
mod montecarlo;
mod reformulations;
mod replay;
mod reuse;
mod sensitivity;
mod support;
mod value_stability;
