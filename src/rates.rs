//! Evaluating benchmark-rate changes (issue 4): a baseline and candidate
//! schedules run on the same random paths (common random numbers: the same
//! seed and path indices, and per-component streams, so a candidate changes
//! premiums and policy, not the draws), compared path by path; and a solver
//! for the smallest uniform multiplier on the benchmark rates that keeps the
//! probability of any breach over the horizon under a target.

use crate::lines::{Line, N_LINES};
use crate::runner::{self, RunConfig};
use crate::scenario::{Candidate, Scenario};
use crate::stats::paths::{FLAG_BREACH, PathSet, proportion_se, quantile};
use anyhow::Result;
use serde::Serialize;

/// A schedule to evaluate: the baseline or a candidate.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Name (the baseline is `baseline`).
    pub name: String,
    /// What it does.
    pub description: String,
    /// The scenario with the schedule applied.
    pub scenario: Scenario,
}

impl Variant {
    /// The scenario as it is.
    pub fn baseline(s: &Scenario) -> Variant {
        Variant {
            name: "baseline".into(),
            description: "the scenario's own rate schedule".into(),
            scenario: s.clone(),
        }
    }

    /// The scenario with a candidate's changes.
    pub fn candidate(s: &Scenario, c: &Candidate) -> Variant {
        Variant {
            name: c.name.clone(),
            description: c.description.clone(),
            scenario: s.with_candidate(c),
        }
    }
}

/// Per-path measures of a run that the comparison needs.
#[derive(Debug, Clone)]
pub struct PathMeasures {
    /// `[path][year]`: December reserve below the rule.
    pub breach: Vec<bool>,
    /// `[path]`: a breach in any year.
    pub breach_any: Vec<bool>,
    /// `[path]`: lowest December reserve months over the horizon.
    pub lowest_reserve: Vec<f64>,
    /// `[path]`: mean absolute year-to-year change of the rate level
    /// (policy multiplier × schedule level, first year = the multiplier).
    pub volatility: Vec<f64>,
    years: usize,
}

/// The level of the scheduled rates in each projection year, relative to
/// the first year: `Σ_s w_s·rate_k[s] / Σ_s w_s·rate_0[s]`, weighted by
/// base-year payroll `w_s`, so that a schedule's steps count as changes of
/// the rates employers pay, like the policy multiplier's.
pub fn schedule_levels(s: &Scenario) -> Vec<f64> {
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
    pub fn of(set: &PathSet, s: &Scenario) -> PathMeasures {
        let levels = schedule_levels(s);
        let h = set.shape.years;
        let n = set.paths as usize;
        let breach: Vec<bool> = set.flags.iter().map(|f| f & FLAG_BREACH != 0).collect();
        let breach_any = breach.chunks(h).map(|p| p.iter().any(|b| *b)).collect();
        let per_path = h * N_LINES;
        let mut lowest = Vec::with_capacity(n);
        let mut volatility = Vec::with_capacity(n);
        for path in set.lines.chunks(per_path) {
            let at = |k: usize, l: Line| f64::from(path[k * N_LINES + l.index()]);
            let low = (0..h)
                .map(|k| at(k, Line::ReserveMonths))
                .filter(|r| r.is_finite())
                .fold(f64::INFINITY, f64::min);
            lowest.push(low);
            let rate =
                |k: usize| at(k, Line::RateMultiplier) * levels.get(k).copied().unwrap_or(1.0);
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
    pub fn breach_in(&self, k: usize) -> impl Iterator<Item = bool> + '_ {
        self.breach.iter().skip(k).step_by(self.years).copied()
    }
}

/// Mean and standard error of per-path values.
fn mean_se(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let v: Vec<f64> = values.collect();
    let n = v.len() as f64;
    if n == 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = v.iter().sum::<f64>() / n;
    let var = if n > 1.0 {
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, (var / n).sqrt())
}

/// A difference from the baseline on the same paths.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Difference {
    /// Candidate minus baseline.
    pub difference: f64,
    /// Paired standard error (from the per-path differences).
    pub se: f64,
    /// The standard error the two runs would have on independent paths.
    pub se_unpaired: f64,
}

/// Paired difference of two per-path indicators.
pub fn paired(
    candidate: impl Iterator<Item = bool>,
    baseline: impl Iterator<Item = bool>,
) -> Difference {
    let pairs: Vec<(f64, f64)> = candidate
        .zip(baseline)
        .map(|(a, b)| (f64::from(u8::from(a)), f64::from(u8::from(b))))
        .collect();
    let n = pairs.len() as u64;
    let (d, se) = mean_se(pairs.iter().map(|(a, b)| a - b));
    let pa = pairs.iter().map(|p| p.0).sum::<f64>() / n as f64;
    let pb = pairs.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let se_unpaired = (proportion_se(pa, n).powi(2) + proportion_se(pb, n).powi(2)).sqrt();
    Difference {
        difference: d,
        se,
        se_unpaired,
    }
}

/// What a schedule does, on the run's paths.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Probability of a breach in each year.
    pub breach_probability: Vec<f64>,
    /// Its standard errors.
    pub breach_probability_se: Vec<f64>,
    /// Probability of a breach in any year of the horizon.
    pub breach_probability_any: f64,
    /// Its standard error.
    pub breach_probability_any_se: f64,
    /// Paired difference from the baseline, each year.
    pub difference_by_year: Vec<Difference>,
    /// Paired difference from the baseline of the probability of any breach.
    pub difference_any: Difference,
    /// Mean of the lowest December reserve months over the horizon.
    pub lowest_reserve_months_mean: f64,
    /// 5th percentile of the lowest December reserve months.
    pub lowest_reserve_months_p5: f64,
    /// Mean December balance of the last year (yuan).
    pub closing_balance_horizon: f64,
    /// Employers' premiums by class, mean a year over the horizon (yuan).
    pub premiums_by_class: Vec<f64>,
    /// Employers' premiums, mean a year over the horizon (yuan).
    pub premiums_total: f64,
    /// Change of premiums by class against the baseline (yuan a year).
    pub premiums_change_by_class: Vec<f64>,
    /// The same as a share of the baseline's premiums of the class (%).
    pub premiums_change_pct_by_class: Vec<f64>,
    /// Change of total premiums against the baseline (yuan a year).
    pub premiums_change_total: f64,
    /// The same as a share of the baseline's premiums.
    pub premiums_change_pct: f64,
    /// Mean absolute year-to-year change of the rate level: the policy
    /// multiplier times the schedule's payroll-weighted level.
    pub multiplier_volatility: f64,
}

/// A run of one variant: its paths and their measures.
pub struct VariantRun {
    /// The variant.
    pub variant: Variant,
    /// The paths' statistics.
    pub set: PathSet,
    /// Per-path measures.
    pub measures: PathMeasures,
}

/// Runs a variant on the configured paths.
pub fn run_variant(variant: Variant, config: &RunConfig) -> Result<VariantRun> {
    let set = runner::run(&variant.scenario, config)?;
    let measures = PathMeasures::of(&set, &variant.scenario);
    Ok(VariantRun {
        variant,
        set,
        measures,
    })
}

/// Mean annual premiums by class over the horizon.
fn premiums_by_class(set: &PathSet) -> Vec<f64> {
    let (h, s) = (set.shape.years, set.shape.sectors);
    let n = set.paths as f64;
    (0..s)
        .map(|c| {
            let fen: i128 = (0..h).map(|k| set.sums.sector_premiums[k * s + c]).sum();
            fen as f64 / 100.0 / n / h as f64
        })
        .collect()
}

/// Evaluates a run against the baseline run (the baseline against itself).
pub fn evaluate(run: &VariantRun, baseline: &VariantRun) -> Evaluation {
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
    let last = (h - 1) * N_LINES + Line::ClosingBalance.index();
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
        lowest_reserve_months_mean: mean_se(lowest.iter().copied()).0,
        lowest_reserve_months_p5: quantile(&lowest, 0.05),
        closing_balance_horizon: run.set.sums.lines[last] as f64 / 100.0 / n as f64,
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
pub struct IndicatedRate {
    /// Class name.
    pub class: String,
    /// Benchmark rate in force in the first year.
    pub benchmark: f64,
    /// Rate employers pay in the first year before the policy multiplier
    /// (benchmark × floating factor × schedule multiplier).
    pub effective: f64,
    /// Premiums collected in the first year over payroll (after the policy
    /// multiplier and the collection rate): what the fund actually gets.
    pub collected: f64,
    /// Expected cost ÷ expected payroll over the horizon.
    pub indicated: f64,
}

/// The provincial lines (prevention, other expenditure) over the horizon's
/// payroll: a loading every class's indicated rate leaves out.
pub fn provincial_loading(set: &PathSet) -> f64 {
    let payroll: i128 = set.sums.sector_payroll.iter().sum();
    let provincial: i128 = set.sums.provincial_expenditure.iter().sum();
    if payroll > 0 {
        provincial as f64 / payroll as f64
    } else {
        0.0
    }
}

/// Indicated rates from a run.
pub fn indicated_rates(s: &Scenario, set: &PathSet) -> Vec<IndicatedRate> {
    let (h, n_s) = (set.shape.years, set.shape.sectors);
    s.sectors
        .iter()
        .enumerate()
        .map(|(c, sector)| {
            let cost: i128 = (0..h)
                .map(|k| set.sums.sector_expenditure[k * n_s + c])
                .sum();
            let payroll: i128 = (0..h).map(|k| set.sums.sector_payroll[k * n_s + c]).sum();
            IndicatedRate {
                class: sector.name.clone(),
                benchmark: s.rate_terms(0, c).0,
                effective: s.scheduled_rate(0, c),
                collected: {
                    let (p, w) = (set.sums.sector_premiums[c], set.sums.sector_payroll[c]);
                    if w > 0 { p as f64 / w as f64 } else { f64::NAN }
                },
                indicated: if payroll > 0 {
                    cost as f64 / payroll as f64
                } else {
                    f64::NAN
                },
            }
        })
        .collect()
}

/// The scenario with every benchmark rate (the sectors' and the
/// schedule's) multiplied by `factor`.
pub fn scale_rates(s: &Scenario, factor: f64) -> Scenario {
    scale_classes(s, &vec![factor; s.n_sectors()])
}

/// What the solver moves.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveBy {
    /// One multiplier on every class's benchmark rate.
    Uniform,
    /// Class rates in proportion to their indicated (break-even) rates,
    /// `u × indicated`, each class's multiplier on its benchmark held to the
    /// class's national floating band (class 1: 1–1.5, classes 2–8: 0.5–1.5).
    Class {
        /// Indicated rates by class, from the baseline run.
        indicated: Vec<f64>,
    },
}

impl SolveBy {
    /// The multiplier on each class's benchmark rate at solver value `u`.
    pub fn class_multipliers(&self, s: &Scenario, u: f64) -> Vec<f64> {
        match self {
            SolveBy::Uniform => vec![u; s.n_sectors()],
            SolveBy::Class { indicated } => s
                .sectors
                .iter()
                .enumerate()
                .map(|(c, sector)| {
                    let paid = s.scheduled_rate(0, c);
                    let wanted = if paid > 0.0 {
                        u * indicated[c] / paid
                    } else {
                        1.0
                    };
                    wanted.clamp(sector.floating_band[0], sector.floating_band[1])
                })
                .collect(),
        }
    }

    /// The scenario at solver value `u`.
    pub fn apply(&self, s: &Scenario, u: f64) -> Scenario {
        scale_classes(s, &self.class_multipliers(s, u))
    }
}

/// The scenario with each class's benchmark rates (the sector's and the
/// schedule's) multiplied by its factor.
pub fn scale_classes(s: &Scenario, factors: &[f64]) -> Scenario {
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
pub struct Solution {
    /// What was moved: `uniform` or `class`.
    pub by: &'static str,
    /// Target probability of any breach over the horizon.
    pub target: f64,
    /// Smallest solver value found that meets the target (or the bound
    /// that binds): the uniform multiplier, or with `class` the multiple of
    /// the indicated rates.
    pub multiplier: f64,
    /// The resulting multiplier on each class's benchmark rate.
    pub class_multipliers: Vec<f64>,
    /// Probability of any breach at that multiplier.
    pub achieved: f64,
    /// Its standard error.
    pub achieved_se: f64,
    /// What binds: `target` (met, to the tolerance, by the smallest value),
    /// `band` (met, with some class held at its floating band), `floor`
    /// (met already at the lowest value searched) or `cap` (not met even at
    /// the highest value searched, or with every class at its band's top).
    pub binding: &'static str,
    /// The largest value tried that misses the target (`null` if none).
    pub below: Option<f64>,
    /// Bisection tolerance on the multiplier.
    pub tolerance: f64,
    /// Runs made.
    pub runs: usize,
}

/// Bounds and tolerance of the search.
#[derive(Debug, Clone, Copy)]
pub struct SolveBounds {
    /// Lowest multiplier searched.
    pub min: f64,
    /// Highest multiplier searched.
    pub max: f64,
    /// Stop when the bracket is this narrow.
    pub tolerance: f64,
}

/// Probability of any breach of a scenario on the configured paths.
fn any_breach(s: &Scenario, config: &RunConfig) -> Result<(f64, u64)> {
    let set = runner::run(s, config)?;
    let m = PathMeasures::of(&set, s);
    let hits = m.breach_any.iter().filter(|x| **x).count() as f64;
    Ok((hits / set.paths as f64, set.paths))
}

/// Bisection on common random numbers for the smallest solver value with
/// `P(any breach) ≤ target`. On the same paths the probability does not
/// rise with the rates when the policy only acts below the rule (higher
/// rates give every path a higher balance until its first breach); with
/// cutting bands above the rule this can fail, and the solver then finds a
/// value that meets the target, not necessarily the smallest.
pub fn solve(
    s: &Scenario,
    by: &SolveBy,
    target: f64,
    bounds: SolveBounds,
    config: &RunConfig,
) -> Result<Solution> {
    let mut runs = 0;
    let mut eval = |u: f64| {
        runs += 1;
        any_breach(&by.apply(s, u), config)
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
    let (p_max, n) = eval(bounds.max)?;
    let (multiplier, achieved, binding, below) = if p_max > target {
        (bounds.max, p_max, "cap", Some(bounds.max))
    } else {
        let (p_min, _) = eval(bounds.min)?;
        if p_min <= target {
            (bounds.min, p_min, "floor", None)
        } else {
            let (mut lo, mut hi, mut p_hi) = (bounds.min, bounds.max, p_max);
            while hi - lo > bounds.tolerance {
                let mid = (lo + hi) / 2.0;
                let (p, _) = eval(mid)?;
                if p <= target {
                    hi = mid;
                    p_hi = p;
                } else {
                    lo = mid;
                }
            }
            let binding = if matches!(by, SolveBy::Class { .. }) && at_band(hi) {
                "band"
            } else {
                "target"
            };
            (hi, p_hi, binding, Some(lo))
        }
    };
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

    /// A paired difference of identical indicators is exactly 0 with SE 0,
    /// while the unpaired SE is not.
    #[test]
    fn paired_difference_of_identical_paths() {
        let a = [true, false, true, false, false];
        let d = paired(a.iter().copied(), a.iter().copied());
        assert_eq!(d.difference, 0.0);
        assert_eq!(d.se, 0.0);
        assert!(d.se_unpaired > 0.0);
    }

    /// Scaling rates multiplies the scheduled rate of every year.
    #[test]
    fn scale_rates_scales_every_year() {
        let s = Scenario::load(None).unwrap().scenario;
        let scaled = scale_rates(&s, 1.2);
        for k in 0..s.years {
            for c in 0..s.n_sectors() {
                let ratio = scaled.scheduled_rate(k, c) / s.scheduled_rate(k, c);
                assert!((ratio - 1.2).abs() < 1e-12);
            }
        }
    }
}
