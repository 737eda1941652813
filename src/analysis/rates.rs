//! Evaluating benchmark-rate changes (docs/model.md §6.9): a baseline and candidate
//! schedules run on the same random paths (common random numbers: the same
//! seed and path indices, and per-component streams, so a candidate changes
//! premiums and policy, not the draws), compared path by path; and a solver
//! for the smallest uniform multiplier on the benchmark rates that keeps the
//! probability of any breach over the horizon under a target.

use super::search::{self, Found};
use crate::model::breakdown::Part;
use crate::model::lines::Line;
use crate::model::scenario::{Candidate, Scenario};
use crate::stats::estimate::{Difference, mean_se, paired, proportion_se, quantile};
use crate::stats::paths::PathSet;
use crate::stats::runner::Recorded;
use anyhow::Result;
use serde::Serialize;

/// A schedule to evaluate: the baseline or a candidate.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    /// Name (the baseline is `baseline`).
    pub(crate) name: String,
    /// What it does.
    pub(crate) description: String,
    /// The scenario with the schedule applied.
    pub(crate) scenario: Scenario,
}

impl Variant {
    /// The scenario as it is.
    pub(crate) fn baseline(s: &Scenario) -> Variant {
        Variant {
            name: crate::model::scenario::BASELINE.into(),
            description: "the scenario's own rate schedule".into(),
            scenario: s.clone(),
        }
    }

    /// The scenario with a candidate's changes.
    pub(crate) fn candidate(s: &Scenario, c: &Candidate) -> Variant {
        Variant {
            name: c.name.clone(),
            description: c.description.clone(),
            scenario: s.with_candidate(c),
        }
    }
}

/// Per-path measures of a run that the comparison needs.
#[derive(Debug, Clone)]
pub(crate) struct PathMeasures {
    /// `[path][year]`: December reserve below the rule.
    pub(crate) breach: Vec<bool>,
    /// `[path]`: a breach in any year.
    pub(crate) breach_any: Vec<bool>,
    /// `[path]`: lowest December reserve months over the horizon.
    pub(crate) lowest_reserve: Vec<f64>,
    /// `[path]`: mean absolute year-to-year change of the rate level
    /// (policy multiplier × schedule level, first year = the multiplier).
    pub(crate) volatility: Vec<f64>,
    years: usize,
}

/// The level of the scheduled rates in each projection year, relative to
/// the first year: `Σ_s w_s·rate_k[s] / Σ_s w_s·rate_0[s]`, weighted by
/// base-year payroll `w_s`, so that a schedule's steps count as changes of
/// the rates employers pay, like the policy multiplier's.
pub(crate) fn schedule_levels(s: &Scenario) -> Vec<f64> {
    let weights: Vec<f64> = (0..s.n_sectors())
        .map(|c| {
            s.cities
                .iter()
                .map(|city| city.insured[c] * city.monthly_wage[c])
                .sum()
        })
        .collect();
    let level = |k: usize| -> f64 {
        weights
            .iter()
            .enumerate()
            .map(|(c, w)| w * s.scheduled_rate(k, c))
            .sum()
    };
    let first = level(0);
    (0..s.years)
        .map(|k| if first > 0.0 { level(k) / first } else { 1.0 })
        .collect()
}

impl PathMeasures {
    /// Extracts the measures from a path set of a run of `s` (whose
    /// schedule enters the rate volatility).
    pub(crate) fn of(set: &PathSet, s: &Scenario) -> PathMeasures {
        let levels = schedule_levels(s);
        let h = set.shape().years;
        let n = set.paths() as usize;
        let breach: Vec<bool> = (0..n)
            .flat_map(|p| (0..h).map(move |k| (p, k)))
            .map(|(p, k)| set.breached(p, k))
            .collect();
        let breach_any = (0..n).map(|p| set.breached_any(p)).collect();
        let mut lowest = Vec::with_capacity(n);
        let mut volatility = Vec::with_capacity(n);
        for p in 0..n {
            let low = (0..h)
                .map(|k| set.value(p, k, Line::ReserveMonths))
                .filter(|r| r.is_finite())
                .fold(f64::INFINITY, f64::min);
            lowest.push(low);
            let rate = |k: usize| {
                set.value(p, k, Line::RateMultiplier) * levels.get(k).copied().unwrap_or(1.0)
            };
            let changes: f64 = (1..h).map(|k| (rate(k) - rate(k - 1)).abs()).sum();
            volatility.push(if h > 1 { changes / (h - 1) as f64 } else { 0.0 });
        }
        PathMeasures {
            breach,
            breach_any,
            lowest_reserve: lowest,
            volatility,
            years: h,
        }
    }

    fn paths(&self) -> usize {
        self.breach_any.len()
    }

    /// Indicator of a breach in year `k` for each path.
    pub(crate) fn breach_in(&self, k: usize) -> impl Iterator<Item = bool> + '_ {
        self.breach.iter().skip(k).step_by(self.years).copied()
    }
}

/// What a schedule does, on the run's paths.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Evaluation {
    /// Name.
    pub(crate) name: String,
    /// What it does.
    pub(crate) description: String,
    /// Probability of a breach in each year.
    pub(crate) breach_probability: Vec<f64>,
    /// Its standard errors.
    pub(crate) breach_probability_se: Vec<f64>,
    /// Probability of a breach in any year of the horizon.
    pub(crate) breach_probability_any: f64,
    /// Its standard error.
    pub(crate) breach_probability_any_se: f64,
    /// Paired difference from the baseline, each year.
    pub(crate) difference_by_year: Vec<Difference>,
    /// Paired difference from the baseline of the probability of any breach.
    pub(crate) difference_any: Difference,
    /// Mean of the lowest December reserve months over the horizon, over
    /// the paths that pay anything (none when no path does: with no
    /// payments there are no months of them to count).
    pub(crate) lowest_reserve_months_mean: Option<f64>,
    /// 5th percentile of the lowest December reserve months, likewise.
    pub(crate) lowest_reserve_months_p5: Option<f64>,
    /// Mean December balance of the last year (yuan).
    pub(crate) closing_balance_horizon: f64,
    /// Employers' premiums by class, mean a year over the horizon (yuan).
    pub(crate) premiums_by_class: Vec<f64>,
    /// Employers' premiums, mean a year over the horizon (yuan).
    pub(crate) premiums_total: f64,
    /// Change of premiums by class against the baseline (yuan a year).
    pub(crate) premiums_change_by_class: Vec<f64>,
    /// The same as a share of the baseline's premiums of the class (%).
    pub(crate) premiums_change_pct_by_class: Vec<f64>,
    /// Change of total premiums against the baseline (yuan a year).
    pub(crate) premiums_change_total: f64,
    /// The same as a share of the baseline's premiums.
    pub(crate) premiums_change_pct: f64,
    /// Mean absolute year-to-year change of the rate level: the policy
    /// multiplier times the schedule's payroll-weighted level.
    pub(crate) multiplier_volatility: f64,
}

/// A run of one variant: its paths and their measures.
pub(crate) struct VariantRun {
    /// The variant.
    pub(crate) variant: Variant,
    /// The paths' statistics.
    pub(crate) set: PathSet,
    /// Per-path measures.
    pub(crate) measures: PathMeasures,
}

/// Runs a variant on the recorded paths (its schedule's rates are read
/// by the fund side only, so the paths' claims are replayed).
pub(crate) fn run_variant(variant: Variant, paths: &Recorded) -> Result<VariantRun> {
    let set = paths.run(&variant.scenario)?;
    let measures = PathMeasures::of(&set, &variant.scenario);
    Ok(VariantRun {
        variant,
        set,
        measures,
    })
}

/// Mean annual premiums by class over the horizon.
fn premiums_by_class(set: &PathSet) -> Vec<f64> {
    let shape = set.shape();
    let (h, n) = (shape.years, set.paths() as f64);
    (0..shape.sectors)
        .map(|c| set.total(0..h, Part::SectorPremiums, Some(c)).yuan() / n / h as f64)
        .collect()
}

/// Evaluates a run against the baseline run (the baseline against itself).
pub(crate) fn evaluate(run: &VariantRun, baseline: &VariantRun) -> Evaluation {
    let m = &run.measures;
    let b = &baseline.measures;
    let n = m.paths() as u64;
    let h = m.years;
    let breach: Vec<f64> = (0..h)
        .map(|k| m.breach_in(k).filter(|x| *x).count() as f64 / n as f64)
        .collect();
    let any = m.breach_any.iter().filter(|x| **x).count() as f64 / n as f64;
    let mut lowest: Vec<f64> = m
        .lowest_reserve
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    lowest.sort_by(f64::total_cmp);
    let premiums = premiums_by_class(&run.set);
    let base_premiums = premiums_by_class(&baseline.set);
    let total: f64 = premiums.iter().sum();
    let base_total: f64 = base_premiums.iter().sum();
    Evaluation {
        name: run.variant.name.clone(),
        description: run.variant.description.clone(),
        breach_probability_se: breach.iter().map(|p| proportion_se(*p, n)).collect(),
        breach_probability: breach,
        breach_probability_any: any,
        breach_probability_any_se: proportion_se(any, n),
        difference_by_year: (0..h)
            .map(|k| paired(m.breach_in(k), b.breach_in(k)))
            .collect(),
        difference_any: paired(m.breach_any.iter().copied(), b.breach_any.iter().copied()),
        lowest_reserve_months_mean: (!lowest.is_empty()).then(|| mean_se(lowest.iter().copied()).0),
        lowest_reserve_months_p5: (!lowest.is_empty()).then(|| quantile(&lowest, 0.05)),
        closing_balance_horizon: run.set.mean(h - 1, Line::ClosingBalance),
        premiums_change_by_class: premiums
            .iter()
            .zip(&base_premiums)
            .map(|(a, b)| a - b)
            .collect(),
        premiums_change_pct_by_class: premiums
            .iter()
            .zip(&base_premiums)
            .map(|(a, b)| if *b > 0.0 { (a / b - 1.0) * 100.0 } else { 0.0 })
            .collect(),
        premiums_by_class: premiums,
        premiums_total: total,
        premiums_change_total: total - base_total,
        premiums_change_pct: if base_total > 0.0 {
            (total / base_total - 1.0) * 100.0
        } else {
            0.0
        },
        multiplier_volatility: mean_se(m.volatility.iter().copied()).0,
    }
}

/// The break-even (以支定收) rate of each class: the horizon's expected
/// cost of its cases and stocks over its expected payroll.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndicatedRate {
    /// Class name.
    pub(crate) class: String,
    /// Benchmark rate in force in the first year.
    pub(crate) benchmark: f64,
    /// Rate employers pay in the first year before the policy multiplier
    /// (benchmark × floating factor × schedule multiplier).
    pub(crate) effective: f64,
    /// Premiums collected in the first year over payroll (after the policy
    /// multiplier and the collection rate): what the fund actually gets;
    /// none for a class without payroll that year.
    pub(crate) collected: Option<f64>,
    /// Expected cost ÷ expected payroll over the horizon; none for a class
    /// without payroll.
    pub(crate) indicated: Option<f64>,
}

/// The provincial lines (prevention, other expenditure) over the horizon's
/// payroll: a loading every class's indicated rate leaves out.
pub(crate) fn provincial_loading(set: &PathSet) -> f64 {
    let h = set.shape().years;
    set.provincial_total(0..h)
        .ratio(set.total(0..h, Part::SectorPayroll, None))
        .unwrap_or(0.0)
}

/// Indicated rates from a run.
pub(crate) fn indicated_rates(s: &Scenario, set: &PathSet) -> Vec<IndicatedRate> {
    let h = set.shape().years;
    s.sectors
        .iter()
        .enumerate()
        .map(|(c, sector)| {
            let cost = set.total(0..h, Part::SectorExpenditure, Some(c));
            let payroll = set.total(0..h, Part::SectorPayroll, Some(c));
            let premiums_0 = set.total(0..1, Part::SectorPremiums, Some(c));
            let payroll_0 = set.total(0..1, Part::SectorPayroll, Some(c));
            IndicatedRate {
                class: sector.name.clone(),
                benchmark: s.rate_terms(0, c).0,
                effective: s.scheduled_rate(0, c),
                collected: premiums_0.ratio(payroll_0),
                indicated: cost.ratio(payroll),
            }
        })
        .collect()
}

/// What the solver moves.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SolveBy {
    /// One multiplier on every class's benchmark rate.
    Uniform,
    /// Class rates in proportion to their indicated (break-even) rates (a
    /// class without payroll, which has none, keeps its benchmark),
    /// `u × indicated`, each class's multiplier on its benchmark held to the
    /// class's national floating band (class 1: 1–1.5, classes 2–8: 0.5–1.5).
    Class {
        /// Indicated rates by class, from the baseline run.
        indicated: Vec<Option<f64>>,
    },
}

impl SolveBy {
    /// The multiplier on each class's benchmark rate at solver value `u`.
    pub(crate) fn class_multipliers(&self, s: &Scenario, u: f64) -> Vec<f64> {
        match self {
            SolveBy::Uniform => vec![u; s.n_sectors()],
            SolveBy::Class { indicated } => s
                .sectors
                .iter()
                .enumerate()
                .map(|(c, sector)| {
                    let paid = s.scheduled_rate(0, c);
                    let wanted = match indicated[c] {
                        Some(rate) if paid > 0.0 => u * rate / paid,
                        _ => 1.0,
                    };
                    wanted.clamp(sector.floating_band[0], sector.floating_band[1])
                })
                .collect(),
        }
    }

    /// The scenario at solver value `u`.
    pub(crate) fn apply(&self, s: &Scenario, u: f64) -> Scenario {
        scale_classes(s, &self.class_multipliers(s, u))
    }
}

/// The scenario with each class's benchmark rates (the sector's and the
/// schedule's) multiplied by its factor.
pub(crate) fn scale_classes(s: &Scenario, factors: &[f64]) -> Scenario {
    let mut out = s.clone();
    for (sector, f) in out.sectors.iter_mut().zip(factors) {
        sector.benchmark_rate *= f;
    }
    for change in &mut out.schedule {
        if let Some(rates) = &mut change.benchmark_rates {
            for (r, f) in rates.iter_mut().zip(factors) {
                *r *= f;
            }
        }
    }
    out
}

/// What the solver found.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Solution {
    /// What was moved: `uniform` or `class`.
    pub(crate) by: &'static str,
    /// Target probability of any breach over the horizon.
    pub(crate) target: f64,
    /// Smallest solver value found that meets the target (or the bound
    /// that binds): the uniform multiplier, or with `class` the multiple of
    /// the indicated rates.
    pub(crate) multiplier: f64,
    /// The resulting multiplier on each class's benchmark rate.
    pub(crate) class_multipliers: Vec<f64>,
    /// Probability of any breach at that multiplier.
    pub(crate) achieved: f64,
    /// Its standard error.
    pub(crate) achieved_se: f64,
    /// What binds: `target` (met, to the tolerance, by the smallest value),
    /// `band` (met, with some class held at its floating band), `floor`
    /// (met already at the lowest value searched) or `cap` (not met even at
    /// the highest value searched, or with every class at its band's top).
    pub(crate) binding: &'static str,
    /// The largest value tried that misses the target (`null` if none).
    pub(crate) below: Option<f64>,
    /// Bisection tolerance on the multiplier.
    pub(crate) tolerance: f64,
    /// Runs made.
    pub(crate) runs: usize,
}

/// Bounds and tolerance of the search.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SolveBounds {
    /// Lowest multiplier searched.
    pub(crate) min: f64,
    /// Highest multiplier searched.
    pub(crate) max: f64,
    /// Stop when the bracket is this narrow.
    pub(crate) tolerance: f64,
}

/// Probability of any breach of a scenario on the recorded paths.
fn any_breach(s: &Scenario, paths: &Recorded) -> Result<(f64, u64)> {
    let set = paths.run(s)?;
    Ok((set.any_breach_probability(), set.paths()))
}

/// Bisection on common random numbers for the smallest solver value with
/// `P(any breach) ≤ target`. On the same paths the probability does not
/// rise with the rates when the policy only acts below the rule (higher
/// rates give every path a higher balance until its first breach); with
/// cutting bands above the rule this can fail, and the solver then finds a
/// value that meets the target, not necessarily the smallest.
pub(crate) fn solve(
    s: &Scenario,
    by: &SolveBy,
    target: f64,
    bounds: SolveBounds,
    paths: &Recorded,
) -> Result<Solution> {
    let mut tried: Vec<(f64, f64)> = Vec::new();
    let mut n = 0;
    let found = search::smallest(bounds.min, bounds.max, bounds.tolerance, |u| {
        let (p, paths) = any_breach(&by.apply(s, u), paths)?;
        tried.push((u, p));
        n = paths;
        Ok::<_, anyhow::Error>(p <= target)
    })?;
    let at = |u: f64| {
        tried
            .iter()
            .rev()
            .find(|(x, _)| *x == u)
            .map_or(f64::NAN, |(_, p)| *p)
    };
    let at_band = |u: f64| {
        by.class_multipliers(s, u)
            .iter()
            .zip(&s.sectors)
            .any(|(m, sec)| *m <= sec.floating_band[0] || *m >= sec.floating_band[1])
    };
    let name = match by {
        SolveBy::Uniform => "uniform",
        SolveBy::Class { .. } => "class",
    };
    let (multiplier, binding, below) = match found {
        Found::Never => (bounds.max, "cap", Some(bounds.max)),
        Found::AtLowest => (bounds.min, "floor", None),
        Found::Between { holds, fails } => {
            let binding = if matches!(by, SolveBy::Class { .. }) && at_band(holds) {
                "band"
            } else {
                "target"
            };
            (holds, binding, Some(fails))
        }
    };
    let achieved = at(multiplier);
    let runs = tried.len();
    Ok(Solution {
        by: name,
        target,
        multiplier,
        class_multipliers: by.class_multipliers(s, multiplier),
        achieved,
        achieved_se: proportion_se(achieved, n),
        binding,
        below,
        tolerance: bounds.tolerance,
        runs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scaling rates multiplies the scheduled rate of every year.
    #[test]
    fn scale_rates_scales_every_year() {
        let s = crate::input::default_scenario();
        let scaled = scale_classes(&s, &vec![1.2; s.n_sectors()]);
        for k in 0..s.years {
            for c in 0..s.n_sectors() {
                let ratio = scaled.scheduled_rate(k, c) / s.scheduled_rate(k, c);
                assert!((ratio - 1.2).abs() < 1e-12);
            }
        }
    }
}
