//! Dated rate schedules (docs/model.md §6.8): the `[[schedule]]` changes of
//! a scenario, and candidate schedule files for `fundsim rates`
//! (`name`, `description`, `[[schedule]]`), checked against the scenario's
//! classes, their floating bands and its horizon.

use super::scenario::raw::{RawCandidate, RawRateChange};
use super::toml_text::deserialize;
use super::{InputError, Source};
use crate::model::check::Checker;
use crate::model::scenario::{BASELINE, Candidate, RateChange, Scenario, Sector};
use std::path::Path;

/// Reads a candidate schedule file and checks it against `scenario`.
pub(crate) fn read_candidate(
    path: &Path,
    scenario: &Scenario,
) -> Result<(Candidate, Source), InputError> {
    let source = Source::read(path, "rate schedule")?;
    Ok((parse_candidate(&source, scenario)?, source))
}

/// Reads every candidate schedule file, in order (each with its source,
/// whose name and SHA-256 say what ran), and checks that each has
/// a name of its own: not [`BASELINE`], the scenario's own schedule's name, and not an earlier file's, since
/// the outputs tell the schedules apart by name.
pub(crate) fn read_candidates(
    paths: &[impl AsRef<Path>],
    scenario: &Scenario,
) -> Result<Vec<(Candidate, Source)>, InputError> {
    let mut out: Vec<(Candidate, Source)> = Vec::with_capacity(paths.len());
    for path in paths {
        let path = path.as_ref();
        let (candidate, source) = read_candidate(path, scenario)?;
        let taken = if candidate.name == BASELINE {
            Some("the scenario's own schedule".to_string())
        } else {
            out.iter()
                .find(|(c, _)| c.name == candidate.name)
                .map(|(_, file)| format!("the schedule in {}", file.name))
        };
        if let Some(by) = taken {
            return Err(InputError::Invalid {
                source_name: path.display().to_string(),
                what: "rate schedule",
                problems: vec![crate::model::check::Problem {
                    field: "name".into(),
                    value: format!("{:?}", candidate.name),
                    allowed: format!(
                        "a name no other schedule of the run has: {by} is called that, and the outputs tell schedules apart by name"
                    ),
                }],
            });
        }
        out.push((candidate, source));
    }
    Ok(out)
}

/// Parses a candidate schedule against `scenario`.
pub(crate) fn parse_candidate(
    source: &Source,
    scenario: &Scenario,
) -> Result<Candidate, InputError> {
    let raw: RawCandidate = deserialize(
        source,
        "rate schedule",
        "; start from scenarios/rates/rise-2027.toml",
    )?;
    let mut check = Checker::default();
    check.name("name", &raw.name);
    if raw.schedule.is_empty() {
        check.fail(
            "schedule",
            "an empty list",
            "a candidate needs at least one [[schedule]] change",
        );
    }
    let last_year = scenario.last_year();
    let schedule = resolve_schedule(&raw.schedule, &scenario.sectors, last_year, &mut check);
    if check.problems.is_empty() {
        Ok(Candidate {
            name: raw.name,
            description: raw.description,
            schedule,
        })
    } else {
        Err(InputError::Invalid {
            source_name: source.name.clone(),
            what: "rate schedule",
            problems: check.problems,
        })
    }
}

/// Checks dated rate changes against the sectors' bands and the horizon.
pub(crate) fn resolve_schedule(
    raw: &[RawRateChange],
    sectors: &[Sector],
    last_year: i32,
    c: &mut Checker,
) -> Vec<RateChange> {
    let n = sectors.len();
    let mut out: Vec<RateChange> = raw
        .iter()
        .enumerate()
        .map(|(i, ch)| {
            let f = |name: &str| format!("schedule[{i}].{name}");
            let year_ok = (1900..=i64::from(last_year)).contains(&ch.year);
            if !year_ok {
                c.fail(f("year"), ch.year, format!("a calendar year up to the horizon's last year, {last_year}"));
            }
            let year = if year_ok { ch.year as i32 } else { 1900 };
            // messages name the year only when it is one
            let in_year = if year_ok { format!(" in {year}") } else { String::new() };
            if ch.multiplier.is_none() && ch.benchmark_rates.is_none() && ch.floating_factors.is_none() {
                c.fail(f("year"), year, "a change sets at least one of multiplier, benchmark_rates, floating_factors");
            }
            if let Some(m) = ch.multiplier {
                c.num(&f("multiplier"), m, |v| v > 0.0 && v <= 10.0, &format!("a multiplier on the benchmark rates in (0, 10]{in_year}"));
            }
            if let Some(rates) = &ch.benchmark_rates
                && c.len(&f("benchmark_rates"), rates, n, "one per sector") {
                    for (s, r) in rates.iter().enumerate() {
                        c.rate(&format!("{}[{s}]", f("benchmark_rates")), *r);
                    }
                }
            if let Some(factors) = &ch.floating_factors
                && c.len(&f("floating_factors"), factors, n, "one per sector") {
                    for (s, (x, sector)) in factors.iter().zip(sectors).enumerate() {
                        let [lo, hi] = sector.floating_band;
                        c.num(
                            &format!("{}[{s}]", f("floating_factors")),
                            *x,
                            |v| (lo..=hi).contains(&v),
                            &format!("outside the national band for {}{in_year}: floating factors of this class lie in [{lo}, {hi}]", sector.name),
                        );
                    }
                }
            RateChange {
                year,
                multiplier: ch.multiplier,
                benchmark_rates: ch.benchmark_rates.clone(),
                floating_factors: ch.floating_factors.clone(),
            }
        })
        .collect();
    out.sort_by_key(|ch| ch.year);
    out
}
