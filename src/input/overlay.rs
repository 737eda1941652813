//! Stress overlay files (`scenarios/stress/*.toml`, docs/model.md §12): a
//! `name`, a `description` and `[[shock]]` tables, checked against the
//! scenario they are applied to — unknown fields, unknown cities or
//! classes and years outside the horizon are refused.

use super::toml_text::deserialize;
use super::{InputError, Source};
use crate::model::check::{NAME_RULE, Problem, did_you_mean, plain_name, show};
use crate::model::drivers::{GROWTH_BOUNDS, INTEREST_BOUNDS};
use crate::model::limits::MAX_CATASTROPHE_DEATHS;
use crate::model::scenario::Scenario;
use crate::model::stress::{ForcedCatastrophe, Shock, Stress};
use serde::Deserialize;
use std::path::Path;

/// Reads an overlay file and checks it against `scenario`; the file's
/// source too, whose name and SHA-256 say what ran.
pub(crate) fn read_overlay(
    path: &Path,
    scenario: &Scenario,
) -> Result<(Stress, Source), InputError> {
    let source = Source::read(path, "stress overlay")?;
    Ok((parse_overlay(&source, scenario)?, source))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
struct RawStress {
    name: String,
    #[serde(default)]
    description: String,
    shock: Vec<RawShock>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
struct RawShock {
    from: i64,
    to: Option<i64>,
    employment_growth_shift: Option<f64>,
    wage_growth: Option<f64>,
    collection_rate_shift: Option<f64>,
    claims_frequency_factor: Option<f64>,
    interest_rate: Option<f64>,
    benefit_indexation: Option<f64>,
    catastrophe: Option<RawCatastrophe>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table { sector = …, city = …, deaths = …, month = … }"
)]
struct RawCatastrophe {
    sector: String,
    city: String,
    deaths: f64,
    month: Option<i64>,
}

/// Parses an overlay and checks it against `scenario`.
pub(crate) fn parse_overlay(source: &Source, scenario: &Scenario) -> Result<Stress, InputError> {
    let raw: RawStress = deserialize(
        source,
        "stress overlay",
        "; start from scenarios/stress/recession.toml",
    )?;
    let mut problems = Vec::new();
    let mut fail = |field: String, value: String, allowed: String| {
        problems.push(Problem {
            field,
            value,
            allowed,
        });
    };
    let first = scenario.start_year;
    let last = scenario.last_year();
    // the name becomes part of the default output folder
    if !plain_name(&raw.name) {
        let shown: String = raw.name.chars().take(120).collect();
        fail("name".into(), format!("{shown:?}"), NAME_RULE.into());
    }
    if raw.shock.is_empty() {
        fail(
            "shock".into(),
            "an empty list".into(),
            "an overlay needs at least one [[shock]]".into(),
        );
    }
    let mut shocks = Vec::new();
    for (i, r) in raw.shock.iter().enumerate() {
        let f = |name: &str| format!("shock[{i}].{name}");
        let to = r.to.unwrap_or(r.from);
        for (name, y) in [("from", r.from), ("to", to)] {
            if y < i64::from(first) || y > i64::from(last) {
                fail(
                    f(name),
                    y.to_string(),
                    format!("a year of the horizon, {first}–{last}"),
                );
            }
        }
        if to < r.from {
            fail(
                f("to"),
                to.to_string(),
                format!("not before shock[{i}].from ({})", r.from),
            );
        }
        let mut check = |name: &str, v: Option<f64>, ok: fn(f64) -> bool, allowed: &str| {
            if let Some(v) = v
                && (!v.is_finite() || !ok(v))
            {
                fail(f(name), show(v), allowed.to_string());
            }
        };
        check(
            "employment_growth_shift",
            r.employment_growth_shift,
            |v| v.abs() <= 1.5,
            "a shift of annual employment growth in [-1.5, 1.5]; the shifted growth is held within [-0.5, 1] like every growth draw",
        );
        check(
            "wage_growth",
            r.wage_growth,
            |v| GROWTH_BOUNDS.contains(v),
            "an annual growth rate in [-0.5, 1], the bounds of every growth draw",
        );
        check(
            "collection_rate_shift",
            r.collection_rate_shift,
            |v| v.abs() <= 1.0,
            "a shift of the collection rate in [−1, 1] (−0.05 is 5 points)",
        );
        check(
            "claims_frequency_factor",
            r.claims_frequency_factor,
            |v| (0.0..=10.0).contains(&v),
            "a factor on claim frequency in [0, 10]",
        );
        check(
            "interest_rate",
            r.interest_rate,
            |v| INTEREST_BOUNDS.contains(v),
            "an annual rate in [-0.05, 0.5], the bounds of every interest draw",
        );
        check(
            "benefit_indexation",
            r.benefit_indexation,
            |v| (-0.5..=1.0).contains(&v),
            "an annual indexation in [-0.5, 1], 0.08 for +8 %",
        );
        let catastrophe = r.catastrophe.as_ref().and_then(|c| {
            let sector = scenario.sectors.iter().position(|s| s.name == c.sector);
            let city = scenario.cities.iter().position(|x| x.name == c.city);
            if sector.is_none() {
                let names: Vec<_> = scenario.sectors.iter().map(|s| s.name.as_str()).collect();
                fail(
                    f("catastrophe.sector"),
                    format!("{:?}", c.sector),
                    format!("one of {}{}", names.join(", "), did_you_mean(&c.sector, names.iter().copied())),
                );
            }
            if city.is_none() {
                let names: Vec<_> = scenario.cities.iter().map(|s| s.name.as_str()).collect();
                fail(
                    f("catastrophe.city"),
                    format!("{:?}", c.city),
                    format!("one of {}{}", names.join(", "), did_you_mean(&c.city, names.iter().copied())),
                );
            }
            if !(1.0..=MAX_CATASTROPHE_DEATHS).contains(&c.deaths) || c.deaths.fract() != 0.0 {
                fail(
                    f("catastrophe.deaths"),
                    show(c.deaths),
                    "the deaths of one catastrophe, a whole number from 1 to 100000".into(),
                );
            } else if let (Some(sec), Some(ci)) = (sector, city) {
                // no more deaths than the cell insures (in the base year)
                let insured = scenario.cities[ci].insured[sec];
                if c.deaths > insured {
                    fail(
                        f("catastrophe.deaths"),
                        show(c.deaths),
                        format!(
                            "at most the {} insured workers of {} in {} (the scenario's `cities[{ci}].insured[{sec}]`)",
                            insured.floor(),
                            c.sector,
                            c.city
                        ),
                    );
                }
            }
            let month = c.month.unwrap_or(7);
            if !(1..=12).contains(&month) {
                fail(
                    f("catastrophe.month"),
                    month.to_string(),
                    "a calendar month, 1–12".into(),
                );
            }
            Some(ForcedCatastrophe {
                sector: sector?,
                city: city?,
                deaths: c.deaths,
                month: month.clamp(1, 12) as usize,
            })
        });
        shocks.push(Shock {
            from: r.from as i32,
            to: to as i32,
            employment_growth_shift: r.employment_growth_shift,
            wage_growth: r.wage_growth,
            collection_rate_shift: r.collection_rate_shift,
            claims_frequency_factor: r.claims_frequency_factor,
            interest_rate: r.interest_rate,
            benefit_indexation: r.benefit_indexation,
            catastrophe,
        });
    }
    if !problems.is_empty() {
        return Err(InputError::Invalid {
            source_name: source.name.clone(),
            what: "stress overlay",
            problems,
        });
    }
    Ok(Stress {
        name: raw.name,
        description: raw.description,
        shocks,
        scale: 1.0,
    })
}
