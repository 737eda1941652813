//! One-at-a-time sensitivities (the tornado): each input moved down and up
//! by a documented step, every moved scenario run on the same paths as the
//! scenario itself (common random numbers: the same seed, path indices and
//! per-component streams), and the change of the probability of any breach
//! and of the mean December balance of the last year, with paired standard
//! errors from the per-path differences.
//!
//! The steps (docs/sensitivity.md): a driver's mean moves by ±1 of its
//! standard deviation (±10 % of the mean where the scenario gives it no
//! spread); a level moves by ±10 % of itself; the collection rate moves by
//! ±1 standard deviation of its shock (`σκ`, in points; ±10 % of the
//! uncollected share where `σκ` is 0).

use crate::model::scenario::{Driver, Scenario};
use crate::stats::estimate::{Difference, mean_se, paired, paired_values, proportion_se};
use crate::stats::paths::PathSet;
use crate::stats::runner::{self, RunConfig};
use anyhow::{Result, anyhow};
use serde::Serialize;

/// A level moves by this share of itself.
const LEVEL_STEP: f64 = 0.10;

/// The outcomes a move toward severe grades makes more likely: grades 1–4
/// (the allowance grades) and death; medical-only cases give up the mass.
const SEVERE: [usize; 5] = [1, 2, 3, 4, 11];
/// Medical-only cases.
const MEDICAL_ONLY: usize = 0;

/// An input the tornado moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Input {
    /// The mean of wage growth, ±1 sd.
    WageGrowth,
    /// The mean of employment growth (the common factor and every class's
    /// mean together), ±1 sd.
    EmploymentGrowth,
    /// The mean interest rate on the balance, ±1 sd.
    Interest,
    /// The mean medical inflation, ±1 sd.
    MedicalInflation,
    /// Every class's claim frequency, ±10 %.
    ClaimFrequency,
    /// The share of severe outcomes (grades 1–4, death) in every class's
    /// mix, ±10 %, taken from or given to medical-only cases.
    SevereMix,
    /// The three stocks' exit hazards, ±10 %.
    ExitHazards,
    /// Every city's mean collection rate, ±σκ (clamped to [0, 1]).
    CollectionRate,
    /// The opening balance, ±10 %.
    OpeningBalance,
    /// The indexation of allowances and pensions (θ), ±10 %.
    Indexation,
}

impl Input {
    /// Every input, in the order the docs list them.
    pub(crate) const ALL: [Input; 10] = [
        Input::WageGrowth,
        Input::EmploymentGrowth,
        Input::Interest,
        Input::MedicalInflation,
        Input::ClaimFrequency,
        Input::SevereMix,
        Input::ExitHazards,
        Input::CollectionRate,
        Input::OpeningBalance,
        Input::Indexation,
    ];

    /// The scenario fields the move changes (`[]` for every element).
    pub(crate) fn fields(self) -> &'static [&'static str] {
        match self {
            Input::WageGrowth => &["drivers.wage_growth.mean"],
            Input::EmploymentGrowth => &[
                "drivers.employment_growth.mean",
                "sectors[].employment_growth",
            ],
            Input::Interest => &["drivers.interest_rate.mean"],
            Input::MedicalInflation => &["drivers.medical_inflation.mean"],
            Input::ClaimFrequency => &["sectors[].frequency"],
            Input::SevereMix => &["sectors[].outcome_mix"],
            Input::ExitHazards => &[
                "stocks.disability_exit_hazard",
                "stocks.care_exit_hazard",
                "stocks.survivors_exit_hazard",
            ],
            Input::CollectionRate => &["cities[].collection_rate"],
            Input::OpeningBalance => &["fund.opening_balance"],
            Input::Indexation => &["stocks.indexation"],
        }
    }

    /// The driver whose mean the move shifts, if it is one.
    fn driver(self, s: &Scenario) -> Option<&Driver> {
        let d = &s.drivers;
        match self {
            Input::WageGrowth => Some(&d.wage_growth),
            Input::EmploymentGrowth => Some(&d.employment_growth),
            Input::Interest => Some(&d.interest_rate),
            Input::MedicalInflation => Some(&d.medical_inflation),
            _ => None,
        }
    }

    /// How far a driver's mean moves: its standard deviation, or 10 % of
    /// the mean where the scenario gives the driver no spread.
    fn driver_shift(x: &Driver) -> f64 {
        if x.sd > 0.0 {
            x.sd
        } else {
            (x.mean * LEVEL_STEP).abs()
        }
    }

    /// How far every city's collection rate moves: the shock's scale `σκ`,
    /// or 10 % of the mean uncollected share where the scale is 0.
    fn collection_shift(s: &Scenario, city: usize) -> f64 {
        let sd = s.drivers.collection_shock.sd;
        if sd > 0.0 {
            sd
        } else {
            (1.0 - s.cities[city].collection_rate) * LEVEL_STEP
        }
    }

    /// The step, as the docs and the report state it.
    pub(crate) fn step(self, s: &Scenario) -> String {
        let pts = |v: f64| format!("±{:.2} points", v * 100.0);
        if let Some(x) = self.driver(s) {
            return pts(Self::driver_shift(x));
        }
        match self {
            Input::CollectionRate if s.drivers.collection_shock.sd > 0.0 => {
                pts(s.drivers.collection_shock.sd)
            }
            Input::CollectionRate => {
                format!("±{:.0} % of the uncollected share", LEVEL_STEP * 100.0)
            }
            _ => format!("±{:.0} %", LEVEL_STEP * 100.0),
        }
    }

    /// The scenario with this input moved down (`up == false`) or up.
    pub(crate) fn apply(self, s: &Scenario, up: bool) -> Scenario {
        let sign = if up { 1.0 } else { -1.0 };
        let level = 1.0 + sign * LEVEL_STEP;
        let shift = self.driver(s).map_or(0.0, |x| sign * Self::driver_shift(x));
        let mut m = s.clone();
        let d = &mut m.drivers;
        match self {
            Input::WageGrowth => d.wage_growth.mean += shift,
            Input::EmploymentGrowth => {
                d.employment_growth.mean += shift;
                for sector in &mut m.sectors {
                    sector.employment_growth += shift;
                }
            }
            Input::Interest => d.interest_rate.mean += shift,
            Input::MedicalInflation => d.medical_inflation.mean += shift,
            Input::ClaimFrequency => {
                for sector in &mut m.sectors {
                    sector.frequency *= level;
                }
            }
            Input::SevereMix => {
                for sector in &mut m.sectors {
                    let mix = &mut sector.outcome_mix;
                    let severe: f64 = SEVERE.iter().map(|o| mix[*o]).sum();
                    // at most what medical-only cases hold moves to severe
                    let moved = (severe * LEVEL_STEP * sign).min(mix[MEDICAL_ONLY]);
                    if severe > 0.0 {
                        let scale = 1.0 + moved / severe;
                        for o in SEVERE {
                            mix[o] *= scale;
                        }
                        mix[MEDICAL_ONLY] -= moved;
                    }
                }
            }
            Input::ExitHazards => {
                let st = &mut m.stocks;
                st.disability_exit_hazard = (st.disability_exit_hazard * level).min(1.0);
                st.care_exit_hazard = (st.care_exit_hazard * level).min(1.0);
                st.survivors_exit_hazard = (st.survivors_exit_hazard * level).min(1.0);
            }
            Input::CollectionRate => {
                for (i, city) in m.cities.iter_mut().enumerate() {
                    let shift = sign * Self::collection_shift(s, i);
                    city.collection_rate = (city.collection_rate + shift).clamp(0.0, 1.0);
                }
            }
            Input::OpeningBalance => m.fund.opening_balance *= level,
            Input::Indexation => m.stocks.indexation *= level,
        }
        m
    }
}

/// What is measured on each path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Measure {
    /// The probability of a December below the rule in any year.
    AnyBreach,
    /// The mean December balance of the last year (yuan).
    Balance,
}

/// The two measures of one run, per path.
struct PathValues {
    breach_any: Vec<bool>,
    /// Each path's last-year balance as the path set keeps it (`f32`), for
    /// the standard errors.
    balance: Vec<f64>,
    /// Their mean from the set's exact sums: the figure the other outputs
    /// of the same run print.
    mean_balance: f64,
}

fn values(set: &PathSet) -> PathValues {
    let h = set.shape().years;
    let n = set.paths() as usize;
    PathValues {
        breach_any: (0..n).map(|p| set.breached_any(p)).collect(),
        balance: (0..n)
            .map(|p| set.value(p, h - 1, crate::model::lines::Line::ClosingBalance))
            .collect(),
        mean_balance: set.mean(h - 1, crate::model::lines::Line::ClosingBalance),
    }
}

/// A move's effect on both measures, against the scenario on the same paths.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Effect {
    /// Probability of any breach, moved.
    pub(crate) any_breach: f64,
    /// Its change.
    pub(crate) any_breach_change: Difference,
    /// Mean last-year balance, moved (yuan).
    pub(crate) balance: f64,
    /// Its change (yuan).
    pub(crate) balance_change: Difference,
}

/// One input of the tornado.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Swing {
    /// The input.
    pub(crate) input: Input,
    /// The step, as stated.
    pub(crate) step: String,
    /// The fields moved.
    pub(crate) fields: &'static [&'static str],
    /// Moved down.
    pub(crate) down: Effect,
    /// Moved up.
    pub(crate) up: Effect,
}

impl Swing {
    /// The change of `measure` down and up.
    pub(crate) fn changes(&self, measure: Measure) -> (Difference, Difference) {
        match measure {
            Measure::AnyBreach => (self.down.any_breach_change, self.up.any_breach_change),
            Measure::Balance => (self.down.balance_change, self.up.balance_change),
        }
    }

    /// The width of its bar: the span from the lower to the higher of 0
    /// and the two changes.
    pub(crate) fn width(&self, measure: Measure) -> f64 {
        let (d, u) = self.changes(measure);
        let (d, u) = (d.difference, u.difference);
        d.max(u).max(0.0) - d.min(u).min(0.0)
    }
}

/// The tornado.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Sensitivity {
    /// The measure the bars are sorted by.
    pub(crate) measure: Measure,
    /// The scenario's probability of any breach.
    pub(crate) any_breach: f64,
    /// Its standard error.
    pub(crate) any_breach_se: f64,
    /// The scenario's mean last-year balance (yuan).
    pub(crate) balance: f64,
    /// Its standard error.
    pub(crate) balance_se: f64,
    /// Every input, widest bar first.
    pub(crate) swings: Vec<Swing>,
}

fn effect(moved: &PathValues, base: &PathValues) -> Effect {
    let n = moved.breach_any.len() as u64;
    Effect {
        any_breach: moved.breach_any.iter().filter(|b| **b).count() as f64 / n as f64,
        any_breach_change: paired(
            moved.breach_any.iter().copied(),
            base.breach_any.iter().copied(),
        ),
        balance: moved.mean_balance,
        balance_change: Difference {
            // the levels' own difference (base + change = moved, before
            // each is rounded for print); the spread from the per-path values
            difference: moved.mean_balance - base.mean_balance,
            ..paired_values(&moved.balance, &base.balance)
        },
    }
}

/// Runs the tornado of `s` on the paths of `config`, sorted by `measure`.
pub(crate) fn run(s: &Scenario, measure: Measure, config: &RunConfig) -> Result<Sensitivity> {
    let mut moved = Vec::with_capacity(2 * Input::ALL.len());
    for input in Input::ALL {
        for up in [false, true] {
            let m = input.apply(s, up);
            if let Some(p) = crate::model::feasible::check(&m).into_iter().next() {
                return Err(anyhow!(
                    "moving {} {} leaves the limits: {} = {} ({})",
                    input.fields().join(", "),
                    if up { "up" } else { "down" },
                    p.field,
                    p.value,
                    p.allowed
                ));
            }
            moved.push(m);
        }
    }
    // the moves of fund-side inputs (collection, opening balance) replay
    // the scenario's own claims; those of the interest rate take them too
    // and draw their drivers again; those of costs and exit hazards take
    // its counts (and exits) on each path; the others draw their own
    let scenarios: Vec<&Scenario> = std::iter::once(s).chain(&moved).collect();
    let mut runs =
        runner::run_many_with(&scenarios, config, |_, set| Ok(values(&set)))?.into_iter();
    let base = runs.next().ok_or_else(|| anyhow!("no run"))?;
    let n = base.breach_any.len() as u64;
    let mut swings = Vec::with_capacity(Input::ALL.len());
    for input in Input::ALL {
        let (Some(down), Some(up)) = (runs.next(), runs.next()) else {
            return Err(anyhow!("a move was not run"));
        };
        swings.push(Swing {
            input,
            step: input.step(s),
            fields: input.fields(),
            down: effect(&down, &base),
            up: effect(&up, &base),
        });
    }
    swings.sort_by(|a, b| b.width(measure).total_cmp(&a.width(measure)));
    let any = base.breach_any.iter().filter(|b| **b).count() as f64 / n as f64;
    let (_, balance_se) = mean_se(base.balance.iter().copied());
    let balance = base.mean_balance;
    Ok(Sensitivity {
        measure,
        any_breach: any,
        any_breach_se: proportion_se(any, n),
        balance,
        balance_se,
        swings,
    })
}
