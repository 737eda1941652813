//! Stress-testing gap sharing (docs/model.md §7, §12): what each stress ×
//! scheme pair costs each payer on the run's paths, each city's notional
//! reserve, and the reverse stress test (the smallest scale of an overlay
//! at which a breach becomes likely).

use super::search::{self, Found};
use crate::engine::expected_value;
use crate::model::breakdown::Part;
use crate::model::lines::Line;
use crate::model::scenario::Scenario;
use crate::model::sharing::notional_opening;
use crate::model::stress::Stress;
use crate::stats::estimate::{proportion_se, quantile};
use crate::stats::paths::{PathSet, PayerBurden};
use crate::stats::results::Distribution;
use crate::stats::runner::{self, RunConfig};
use serde::Serialize;

/// The name under which a stress run shows the scenario's own gap-sharing
/// scheme, beside the presets it is compared with.
pub(crate) const OWN_SCHEME: &str = "scenario";

/// The name under which a stress run shows the scenario without an overlay.
pub(crate) const NO_STRESS: &str = "none";

/// The name of the provincial treasury among the payers of a gap.
pub(crate) const PROVINCE: &str = "province";

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes fields by reference"
)]
fn line_name<S: serde::Serializer>(line: &Line, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(line.name())
}

/// What one stress × scheme pair costs, on the run's paths.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PairResult {
    /// The stress overlay (`none` for the scenario as it is).
    pub(crate) stress: String,
    /// The sharing scheme.
    pub(crate) scheme: String,
    /// Probability of a gap in each year.
    pub(crate) gap_probability: Vec<f64>,
    /// Its standard errors.
    pub(crate) gap_probability_se: Vec<f64>,
    /// Probability of a gap in any year.
    pub(crate) gap_probability_any: f64,
    /// Its standard error.
    pub(crate) gap_probability_any_se: f64,
    /// Probability of a breach of the 12-month rule in any year.
    pub(crate) breach_probability_any: f64,
    /// Mean total gap money over the horizon (yuan): what the treasuries must find.
    pub(crate) gap_total_mean: f64,
    /// Its 95th percentile.
    pub(crate) gap_total_p95: f64,
    /// Per payer (the province, then each city).
    pub(crate) payers: Vec<PayerResult>,
    /// The scheme's own lines (a loan's debt and interest, money paid
    /// back), by year; absent for schemes that have none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) scheme_lines: Vec<SchemeLine>,
}

/// One of a scheme's own lines over the horizon.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SchemeLine {
    /// The line (written as its key).
    #[serde(serialize_with = "line_name")]
    pub(crate) line: Line,
    /// Mean and quantiles in each year (yuan).
    pub(crate) by_year: Vec<Distribution>,
    /// Share of paths on which it is above 0 in the last year: for the
    /// debt, the probability that the loan is still owed at the horizon.
    pub(crate) positive_at_horizon: f64,
    /// Its standard error.
    pub(crate) positive_at_horizon_se: f64,
}

/// One payer's burden under a stress × scheme pair.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PayerResult {
    /// `province` or the city's name.
    pub(crate) payer: String,
    /// Cumulative transfer over the horizon: mean, p95, max, share of paths
    /// with any, worst single year.
    #[serde(flatten)]
    pub(crate) burden: PayerBurden,
    /// Mean cumulative burden over the payer's fiscal revenue of the horizon
    /// (base-year revenue × years; `null` without a revenue).
    pub(crate) share_of_fiscal_revenue: Option<f64>,
    /// The payer's share of the cities' gap transfers over its share of the
    /// cities' premiums (cities only; 1 is proportional, `null` when no
    /// city pays anything or the city collects no premiums).
    pub(crate) fairness: Option<f64>,
    /// Mean money the scheme paid the payer back over the horizon (yuan;
    /// absent for schemes that pay nothing back). The burden is net of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) paid_back_mean: Option<f64>,
}

/// Summarises a run of one stress × scheme pair.
pub(crate) fn pair_result(s: &Scenario, stress: &str, scheme: &str, set: &PathSet) -> PairResult {
    let h = set.shape().years;
    let n = set.paths();
    let p = set.shape().payers();
    let gap: Vec<f64> = (0..h).map(|k| set.gap_probability(k)).collect();
    let gap_any = set.any_gap_probability();
    let mut totals: Vec<f64> = (0..n as usize).map(|path| set.gap_total(path)).collect();
    totals.sort_by(f64::total_cmp);
    let burdens: Vec<_> = (0..p).map(|i| set.payer_burden(i)).collect();
    // fairness compares the gap transfers themselves, before any money paid back
    let transfers: Vec<f64> = (0..p)
        .map(|i| set.total(0..h, Part::GapByPayer, Some(i)).yuan() / n as f64)
        .collect();
    let city_transfers: f64 = transfers[1..].iter().sum();
    let premium_shares = set.shares_over_horizon(Part::CityPremiums);
    let years = h as f64;
    let own = s.sharing.scheme.lines();
    let pays_back = own.contains(&Line::Returned);
    let payers = burdens
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (name, revenue) = if i == 0 {
                (PROVINCE.to_string(), s.fund.provincial_fiscal_revenue)
            } else {
                (
                    s.cities[i - 1].name.clone(),
                    Some(s.cities[i - 1].fiscal_revenue),
                )
            };
            // none for the province, and for a city that collects nothing
            // (its share of the transfers has no share of premiums to match)
            let fairness = premium_shares
                .as_ref()
                .filter(|shares| i > 0 && city_transfers > 0.0 && shares[i - 1] > 0.0)
                .map(|shares| (transfers[i] / city_transfers) / shares[i - 1]);
            PayerResult {
                payer: name,
                burden: *b,
                share_of_fiscal_revenue: revenue.filter(|r| *r > 0.0).map(|r| b.mean / (r * years)),
                fairness,
                paid_back_mean: pays_back
                    .then(|| set.total(0..h, Part::ReturnedToPayer, Some(i)).yuan() / n as f64),
            }
        })
        .collect();
    PairResult {
        stress: stress.to_string(),
        scheme: scheme.to_string(),
        gap_probability_se: gap.iter().map(|g| proportion_se(*g, n)).collect(),
        gap_probability: gap,
        gap_probability_any: gap_any,
        gap_probability_any_se: proportion_se(gap_any, n),
        breach_probability_any: set.any_breach_probability(),
        gap_total_mean: totals.iter().sum::<f64>() / n as f64,
        gap_total_p95: quantile(&totals, 0.95),
        payers,
        scheme_lines: own
            .iter()
            .map(|line| {
                let positive = set.share_positive(h - 1, *line);
                SchemeLine {
                    line: *line,
                    by_year: (0..h).map(|k| set.distribution(k, *line)).collect(),
                    positive_at_horizon: positive,
                    positive_at_horizon_se: proportion_se(positive, n),
                }
            })
            .collect(),
    }
}

/// A city's notional reserve in one year (mean over paths).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CityReserve {
    /// Calendar year.
    pub(crate) year: i32,
    /// City.
    pub(crate) city: String,
    /// Its share of the opening balance plus its premiums less its
    /// attributed expenditure, accumulated to December (yuan).
    pub(crate) notional_reserve: f64,
    /// That reserve over the city's average monthly expenditure of the year.
    pub(crate) reserve_months: Option<f64>,
    /// Premiums less expenditure of the year (yuan): negative for a net receiver of the pool.
    pub(crate) net: f64,
}

/// Each city's notional reserve by year: the opening balance split in
/// proportion to the cities' first-year premiums, then each city's own
/// premiums less the expenditure of its cases and stocks (provincial lines,
/// interest, subsidies and gap transfers stay with the province), less
/// what a scheme paid the city back.
pub(crate) fn city_reserves(s: &Scenario, set: &PathSet) -> Vec<CityReserve> {
    let c = s.n_cities();
    let first = set.breakdown_mean(0);
    let mut reserve = vec![0.0; c];
    notional_opening(
        s.fund.opening_balance,
        first.part(Part::CityPremiums),
        &mut reserve,
    );
    let mut out = Vec::with_capacity(c * set.shape().years);
    for k in 0..set.shape().years {
        let year = set.breakdown_mean(k);
        for (i, city) in s.cities.iter().enumerate() {
            let premiums = year.part(Part::CityPremiums)[i];
            let expenditure = year.part(Part::CityExpenditure)[i];
            let paid_back = year.part(Part::ReturnedToPayer)[i + 1];
            reserve[i] += premiums - expenditure - paid_back;
            out.push(CityReserve {
                year: s.start_year + k as i32,
                city: city.name.clone(),
                notional_reserve: reserve[i],
                reserve_months: (expenditure > 0.0).then(|| reserve[i] / (expenditure / 12.0)),
                net: premiums - expenditure,
            });
        }
    }
    out
}

/// The reverse stress test's answer.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReverseResult {
    /// The overlay.
    pub(crate) stress: String,
    /// Probability of any breach looked for.
    pub(crate) target: f64,
    /// Smallest scale at which the Monte Carlo probability of any breach
    /// reaches the target (`null`: not up to [`REVERSE_MAX_SCALE`]).
    pub(crate) monte_carlo_scale: Option<f64>,
    /// Smallest scale at which the expected-value path breaches in some year.
    pub(crate) expected_value_scale: Option<f64>,
    /// Bisection tolerance on the scale.
    pub(crate) tolerance: f64,
    /// Every scale the Monte Carlo search ran, in ascending order.
    pub(crate) monte_carlo_tries: Vec<MonteCarloTry>,
    /// Every scale the expected-value search ran, in ascending order.
    pub(crate) expected_value_tries: Vec<ExpectedValueTry>,
    /// Whether the tries bear out the search's assumption: the probability
    /// of breach never falls as the scale grows by more than two standard
    /// errors (of the larger of the two tries'), and the expected-value path
    /// that breaches at a scale breaches at every larger one tried.
    pub(crate) rises_with_scale: bool,
}

/// One scale the Monte Carlo search ran.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct MonteCarloTry {
    /// The overlay's scale.
    pub(crate) scale: f64,
    /// The share of paths that breach in some year.
    pub(crate) breach_probability: f64,
    /// Its standard error.
    pub(crate) breach_probability_se: f64,
}

/// One scale the expected-value search ran.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct ExpectedValueTry {
    /// The overlay's scale.
    pub(crate) scale: f64,
    /// The first projection year whose balance breaches (`null`: none).
    pub(crate) first_breach_year: Option<i32>,
}

/// The scales the reverse stress test tries first, ascending, before it
/// bisects the first bracket where the condition starts to hold: the
/// probability of breach need not rise with the scale all the way (a
/// large recession also shrinks what the fund pays), so the search does
/// not rely on the largest scale alone.
pub(crate) const REVERSE_GRID: [f64; 7] = [0.0, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0];
/// Largest scale the reverse stress test tries.
pub(crate) const REVERSE_MAX_SCALE: f64 = REVERSE_GRID[REVERSE_GRID.len() - 1];
/// Precision of the reverse stress test's scale.
pub(crate) const REVERSE_TOLERANCE: f64 = 0.01;

/// Reverse stress test: the smallest scale of an overlay's shocks at which
/// the probability of any breach reaches `target` (on common random
/// numbers), and at which the expected-value path breaches.
pub(crate) fn reverse(
    s: &Scenario,
    overlay: &Stress,
    target: f64,
    config: &RunConfig,
) -> anyhow::Result<ReverseResult> {
    let at = |scale: f64| {
        let mut x = s.clone();
        x.stress = Some(overlay.scaled(scale));
        x
    };
    let scale = |found: Found| match found {
        Found::AtLowest => Some(0.0),
        Found::Never => None,
        Found::Between { holds, .. } => Some(holds),
    };
    let paths = config.paths.end - config.paths.start;
    let mut monte_carlo_tries: Vec<MonteCarloTry> = Vec::new();
    let mc = grid_then_bisect(|scale| {
        let p = runner::run(&at(scale), config)?.any_breach_probability();
        monte_carlo_tries.push(MonteCarloTry {
            scale,
            breach_probability: p,
            breach_probability_se: proportion_se(p, paths),
        });
        Ok(p >= target)
    })?;
    let mut expected_value_tries = Vec::new();
    let ev = grid_then_bisect(|scale| {
        let first = expected_value(&at(scale))
            .iter()
            .find(|m| m.breach == Some(true))
            .map(|m| s.start_year + m.year as i32);
        expected_value_tries.push(ExpectedValueTry {
            scale,
            first_breach_year: first,
        });
        Ok(first.is_some())
    })?;
    monte_carlo_tries.sort_by(|a, b| a.scale.total_cmp(&b.scale));
    expected_value_tries.sort_by(|a, b| a.scale.total_cmp(&b.scale));
    // a fall within sampling error is not a fall: a path can cross the rule
    // either way between two scales
    let rises_with_scale = monte_carlo_tries.windows(2).all(|w| {
        let noise = 2.0 * w[0].breach_probability_se.max(w[1].breach_probability_se);
        w[1].breach_probability >= w[0].breach_probability - noise
    }) && expected_value_tries
        .windows(2)
        .all(|w| w[0].first_breach_year.is_none() || w[1].first_breach_year.is_some());
    Ok(ReverseResult {
        stress: overlay.name.clone(),
        target,
        monte_carlo_scale: scale(mc),
        expected_value_scale: scale(ev),
        monte_carlo_tries,
        expected_value_tries,
        rises_with_scale,
        tolerance: REVERSE_TOLERANCE,
    })
}

/// The smallest scale at which `holds` is true: the [`REVERSE_GRID`] in
/// ascending order up to the first scale where it holds, then the one
/// bisection inside the bracket that scale closes, each scale tried once.
fn grid_then_bisect(mut holds: impl FnMut(f64) -> anyhow::Result<bool>) -> anyhow::Result<Found> {
    let mut below = None;
    for g in REVERSE_GRID {
        if holds(g)? {
            let Some(lo) = below else {
                return Ok(Found::AtLowest);
            };
            // both ends are known: the bisection evaluates them first
            let mut ends = [(lo, false), (g, true)];
            return search::smallest(lo, g, REVERSE_TOLERANCE, |x| {
                match ends.iter_mut().find(|(e, _)| *e == x) {
                    Some((e, known)) => {
                        *e = f64::NAN;
                        Ok(*known)
                    }
                    None => holds(x),
                }
            });
        }
        below = Some(g);
    }
    Ok(Found::Never)
}
