//! Scenario files: the TOML schema as written ([`raw`]) and its resolution
//! into a validated [`Scenario`] ([`resolve`]), every default filled in —
//! the legal constants of docs/model.md §9 and the presets among them — and
//! every range and consistency check made, all problems collected.

pub(crate) mod raw;
mod resolve;

use super::presets::Presets;
use super::toml_text::deserialize;
use super::{InputError, Source};
use crate::model::check::Checker;
use crate::model::scenario::Scenario;
use std::path::Path;

/// Reads a scenario file, or the embedded default when `path` is `None`;
/// returns the validated scenario and its source.
pub(crate) fn read_scenario(path: Option<&Path>) -> Result<(Scenario, Source), InputError> {
    let source = match path {
        Some(p) => Source::read(p, "scenario")?,
        None => Source::default_scenario(),
    };
    let scenario = parse_scenario(&source)?;
    Ok((scenario, source))
}

/// Parses and validates a scenario's text.
pub(crate) fn parse_scenario(source: &Source) -> Result<Scenario, InputError> {
    let raw: raw::RawScenario =
        deserialize(source, "scenario", "; start from scenarios/tiny.toml")?;
    let presets = Presets::embedded()?;
    let mut check = Checker::default();
    let scenario = resolve::resolve(raw, presets, &mut check);
    if check.problems.is_empty() {
        Ok(scenario)
    } else {
        Err(InputError::Invalid {
            source_name: source.name.clone(),
            what: "scenario",
            problems: check.problems,
        })
    }
}
