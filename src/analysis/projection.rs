//! A projection of the fund (`fundsim simulate`, `fundsim merge`): the
//! per-year results of the expected-value path or of a Monte Carlo path
//! set, the first-year calibration check, and the headline a committee
//! asks for — how likely it is that reserves fall below the rule at least
//! once over the horizon, and when that most likely happens first.

use super::calibration::{CalibrationRow, calibration};
use crate::engine::{MonthRecord, expected_value};
use crate::model::scenario::Scenario;
use crate::stats::estimate::proportion_se;
use crate::stats::paths::PathSet;
use crate::stats::results::YearResult;
use crate::stats::year::YearAccumulator;

/// The results of a projection.
#[derive(Debug, Clone)]
pub(crate) struct Projection<'a> {
    /// The scenario projected.
    pub(crate) scenario: &'a Scenario,
    /// Results by year.
    pub(crate) years: Vec<YearResult>,
    /// Every month (expected-value mode only).
    pub(crate) months: Option<Vec<MonthRecord>>,
    /// First-year calibration check (always the expected-value projection's first year).
    pub(crate) calibration: Vec<CalibrationRow>,
    /// The paths (Monte Carlo mode only).
    pub(crate) paths: Option<&'a PathSet>,
}

/// The answer to "how likely is a breach of the rule by the horizon?".
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Headline {
    /// Last year of the horizon.
    pub(crate) last_year: i32,
    /// Probability of at least one December below the rule (0 or 1 in
    /// expected-value mode).
    pub(crate) any_breach: f64,
    /// Its standard error (`None` in expected-value mode).
    pub(crate) any_breach_se: Option<f64>,
    /// The most likely year of the first breach (the earliest of equals);
    /// `None` when no path breaches.
    pub(crate) first_breach_year: Option<i32>,
}

impl<'a> Projection<'a> {
    /// The expected-value projection of a scenario.
    pub(crate) fn expected_value(s: &'a Scenario) -> Projection<'a> {
        let months = expected_value(s);
        let years = YearAccumulator::from_months(s, &months);
        Projection {
            scenario: s,
            calibration: first_year_calibration(s, &years),
            years: years.iter().map(YearResult::from_path).collect(),
            months: Some(months),
            paths: None,
        }
    }

    /// The projection of a Monte Carlo path set of a scenario.
    pub(crate) fn monte_carlo(s: &'a Scenario, set: &'a PathSet) -> Projection<'a> {
        let months = expected_value(s);
        let ev_years = YearAccumulator::from_months(s, &months);
        Projection {
            scenario: s,
            years: set.year_results(s.start_year),
            months: None,
            calibration: first_year_calibration(s, &ev_years),
            paths: Some(set),
        }
    }

    /// The headline: the probability of a breach by the horizon and the
    /// most likely first year.
    pub(crate) fn headline(&self) -> Headline {
        let last_year = self.scenario.last_year();
        if let Some(set) = self.paths {
            let any = 1.0 - set.never_breach();
            let first = set.first_breach_distribution();
            let most = first.iter().enumerate().filter(|(_, p)| **p > 0.0).fold(
                None,
                |best: Option<(usize, f64)>, (k, p)| match best {
                    Some((_, b)) if b >= *p => best,
                    _ => Some((k, *p)),
                },
            );
            Headline {
                last_year,
                any_breach: any,
                any_breach_se: Some(proportion_se(any, set.paths())),
                first_breach_year: most.map(|(k, _)| self.scenario.start_year + k as i32),
            }
        } else {
            let first = self.years.iter().find(|y| y.breach_probability >= 0.5);
            Headline {
                last_year,
                any_breach: if first.is_some() { 1.0 } else { 0.0 },
                any_breach_se: None,
                first_breach_year: first.map(|y| y.year),
            }
        }
    }
}

fn first_year_calibration(
    s: &Scenario,
    years: &[crate::stats::year::YearRecord],
) -> Vec<CalibrationRow> {
    years.first().map(|y| calibration(s, y)).unwrap_or_default()
}
