//! The fund budget draft of one year (docs/model.md §8.7), exact: the
//! budget (the mean over paths), a low and a high case that foot, last
//! year's column, the year's amounts by city, the expected-value monthly
//! pattern the funding plan spreads them by ([`plan`]), and the in-year
//! [`reforecast`]. Rounding to a unit, so that every printed table foots,
//! happens where the tables are written ([`crate::report::budget`]).
//!
//! The low and high cases: per-line percentiles cannot foot (a percentile
//! of a sum is not the sum of percentiles), so each case is the mean of the
//! paths whose surplus of the year lies between its 5th and 15th (85th and
//! 95th) percentiles: cases centred on the 10th and 90th percentiles of the
//! surplus that still foot.

pub(crate) mod plan;
pub(crate) mod reforecast;

use crate::model::breakdown::Breakdown;
use crate::model::lines::{Line, LineValues, N_LINES};
use crate::model::scenario::Scenario;
use crate::stats::paths::PathSet;

/// One column of the budget: a year's lines and the balance it opens with (yuan).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Case {
    /// Every line of the year.
    pub(crate) lines: LineValues,
    /// The balance on 1 January.
    pub(crate) opening: f64,
}

/// The budget draft of one projection year, exact.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    /// Calendar year.
    pub(crate) year: i32,
    /// Paths behind it.
    pub(crate) paths: u64,
    /// 预算数: the mean over paths.
    pub(crate) budget: Case,
    /// The low case (surplus between its 5th and 15th percentiles).
    pub(crate) low: Case,
    /// The high case (surplus between its 85th and 95th percentiles).
    pub(crate) high: Case,
    /// Last year: the scenario's execution for the first projection year,
    /// the projected mean of the year before otherwise (`None` when neither).
    pub(crate) last: Option<Case>,
    /// Whether last year is a projection (上年预计数) or the execution (上年执行数).
    pub(crate) last_is_projection: bool,
    /// The year's mean amounts by city, sector and payer.
    pub(crate) breakdown: Breakdown<f64>,
    /// The expected-value monthly pattern of the year.
    pub(crate) pattern: plan::Pattern,
}

impl Budget {
    /// The draft of projection year `k` from a Monte Carlo run of `s`.
    pub(crate) fn new(s: &Scenario, set: &PathSet, k: usize) -> Budget {
        let n = set.paths() as usize;
        let opening_of = |p: usize| {
            if k == 0 {
                s.fund.opening_balance
            } else {
                set.value(p, k - 1, Line::ClosingBalance)
            }
        };
        let means = |k: usize| {
            let mut v = [0.0; N_LINES];
            for l in Line::ALL {
                v[l.index()] = set.mean(k, l);
            }
            v
        };
        let mean_opening = if k == 0 {
            s.fund.opening_balance
        } else {
            set.mean(k - 1, Line::ClosingBalance)
        };
        // the low and high cases: paths ranked by the year's surplus
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|a, b| {
            set.value(*a, k, Line::Surplus)
                .total_cmp(&set.value(*b, k, Line::Surplus))
                .then(a.cmp(b))
        });
        let band = |lo: f64, hi: f64| -> Case {
            let (from, to) = (
                ((n as f64) * lo).floor() as usize,
                (((n as f64) * hi).ceil() as usize).max(1).min(n),
            );
            let picked = &order[from.min(to - 1)..to];
            let mut v = [0.0; N_LINES];
            let mut opening = 0.0;
            for p in picked {
                for l in Line::ALL {
                    v[l.index()] += set.value(*p, k, l);
                }
                opening += opening_of(*p);
            }
            let m = picked.len().max(1) as f64;
            for x in &mut v {
                *x /= m;
            }
            Case {
                lines: v,
                opening: opening / m,
            }
        };
        let last = if k == 0 {
            s.execution.as_ref().map(|e| Case {
                lines: e.lines,
                opening: e.opening_balance,
            })
        } else {
            let opening = if k == 1 {
                s.fund.opening_balance
            } else {
                set.mean(k - 2, Line::ClosingBalance)
            };
            Some(Case {
                lines: means(k - 1),
                opening,
            })
        };
        Budget {
            year: s.start_year + k as i32,
            paths: set.paths(),
            budget: Case {
                lines: means(k),
                opening: mean_opening,
            },
            low: band(0.05, 0.15),
            high: band(0.85, 0.95),
            last,
            last_is_projection: k > 0,
            breakdown: set.breakdown_mean(k),
            pattern: plan::Pattern::expected(s, k),
        }
    }
}

#[cfg(test)]
impl Budget {
    /// The draft of year `k` on the expected-value path alone (every column
    /// that path's year), for hand-worked cases.
    pub(crate) fn expected(s: &Scenario, k: usize) -> Budget {
        let months = crate::engine::expected_value(s);
        let years = crate::stats::year::YearAccumulator::from_months(s, &months);
        let opening = if k == 0 {
            s.fund.opening_balance
        } else {
            years[k - 1].get(Line::ClosingBalance)
        };
        let case = Case {
            lines: years[k].lines,
            opening,
        };
        Budget {
            year: s.start_year + k as i32,
            paths: 1,
            budget: case.clone(),
            low: case.clone(),
            high: case,
            last: None,
            last_is_projection: k > 0,
            breakdown: years[k].breakdown.clone(),
            pattern: plan::Pattern::expected(s, k),
        }
    }
}
