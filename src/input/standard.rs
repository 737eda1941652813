//! The stress overlays shipped in `scenarios/stress/`, embedded in the
//! binary so that `fundsim report` runs the office's standard set on any
//! machine, read and checked against the scenario like a file given with
//! `--stress`.

use super::{InputError, Source, parse_overlay};
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
/// refuses with why (an overlay whose years miss the scenario's horizon, a
/// catastrophe in a city the scenario does not have), each checked as a
/// file given with `--stress` would be.
pub(crate) fn overlays(s: &Scenario) -> (Vec<Stress>, Vec<(String, String)>) {
    let mut taken = Vec::new();
    let mut refused = Vec::new();
    for (name, text) in OVERLAYS {
        let source = Source::new(
            format!("<embedded>/scenarios/stress/{name}"),
            text.to_string(),
        );
        match parse_overlay(&source, s) {
            Ok(stress) => taken.push(stress),
            Err(e) => refused.push((name.trim_end_matches(".toml").to_string(), why(&e))),
        }
    }
    (taken, refused)
}

/// What an overlay's refusal says, on one line and without the embedded
/// file's name: its problems, one after the other.
fn why(e: &InputError) -> String {
    match e {
        InputError::Invalid { problems, .. } => problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::overlays;
    use crate::input::{Source, parse_scenario};
    const TINY: &str = include_str!("../../scenarios/tiny.toml");

    /// A shipped overlay the scenario refuses is named with why: the
    /// horizon it misses, or the city and class of a catastrophe the
    /// scenario does not have; not a horizon for a city.
    #[test]
    fn a_refused_overlay_says_why() {
        let s = parse_scenario(&Source::new("tiny.toml".into(), TINY.to_string())).expect("tiny");
        let (taken, refused) = overlays(&s);
        assert_eq!(taken.len() + refused.len(), 6);
        let why = |name: &str| {
            refused.iter().find(|(n, _)| n == name).map_or_else(
                || panic!("{name} is refused: {refused:?}"),
                |(_, w)| w.as_str(),
            )
        };
        assert!(
            why("mine_disaster").contains("catastrophe.city = \"萍乡\": one of Alpha"),
            "{}",
            why("mine_disaster")
        );
        assert!(!why("mine_disaster").contains("horizon"));
        assert!(why("low_interest").contains("a year of the horizon, 2025–2027"));
        for (_, w) in &refused {
            assert!(!w.contains("<embedded>") && !w.contains('\n'), "{w}");
        }
    }
}
