//! The stress overlays shipped in `scenarios/stress/`, embedded in the
//! binary so that `fundsim report` runs the office's standard set on any
//! machine, read and checked against the scenario like a file given with
//! `--stress`.

use super::{Source, parse_overlay};
use crate::model::scenario::Scenario;
use crate::model::stress::Stress;

/// The shipped overlays, by file name, in the order the report shows them.
const OVERLAYS: [(&str, &str); 6] = [
    (
        "recession.toml",
        include_str!("../../scenarios/stress/recession.toml"),
    ),
    (
        "claims_surge.toml",
        include_str!("../../scenarios/stress/claims_surge.toml"),
    ),
    (
        "mine_disaster.toml",
        include_str!("../../scenarios/stress/mine_disaster.toml"),
    ),
    (
        "low_interest.toml",
        include_str!("../../scenarios/stress/low_interest.toml"),
    ),
    (
        "benefit_indexation.toml",
        include_str!("../../scenarios/stress/benefit_indexation.toml"),
    ),
    (
        "combined.toml",
        include_str!("../../scenarios/stress/combined.toml"),
    ),
];

/// The shipped overlays that apply to `s`, and the names of those it
/// refuses (an overlay whose years miss the scenario's horizon, say), each
/// checked as a file given with `--stress` would be.
pub(crate) fn overlays(s: &Scenario) -> (Vec<Stress>, Vec<String>) {
    let mut taken = Vec::new();
    let mut refused = Vec::new();
    for (name, text) in OVERLAYS {
        let source = Source::new(
            format!("<embedded>/scenarios/stress/{name}"),
            text.to_string(),
        );
        match parse_overlay(&source, s) {
            Ok(stress) => taken.push(stress),
            Err(_) => refused.push(name.trim_end_matches(".toml").to_string()),
        }
    }
    (taken, refused)
}
