//! New injuries and what they cost, and when (docs/model.md §4 and §5.1):
//! the expected count of each outcome per city and sector, and the
//! [`Schedule`] of one-off payments and stock joinings a month's cases cause.
//!
//! Amounts are fixed at incurrence, at the levels of the incurrence year
//! ([`CaseCosts`]); a payment or joining that falls past the horizon is
//! dropped, and one that falls before month 0 (pipeline cases, docs/model.md §5)
//! was already paid before the start.

use super::cases::{
    ALLOWANCE_GRADES, DEATH, GRADES, KIND_TABLE, KINDS, OUTCOMES, PerKind, PerOutcome, by_outcome,
    marked_kind,
};
use super::sampling::Sampler;
use super::scenario::Scenario;
use super::schedule::{Schedule, item};

/// Amounts per case for cases incurred in one year (docs/model.md §5.1).
#[derive(Debug, Clone)]
pub(crate) struct CaseCosts {
    /// `med[o] · Med_k`.
    pub(crate) medical_mean: PerOutcome,
    /// `c_inv · Wage_k`.
    pub(crate) investigation: f64,
    /// `c_app · Wage_k`.
    pub(crate) appraisal: f64,
    /// `AW_{k−1}`, the benefit base of the year.
    pub(crate) average_wage_prev: f64,
    /// `D_{k−1}`, national disposable income of the year before.
    pub(crate) disposable_prev: f64,
}

impl CaseCosts {
    /// Costs of a year with the given index levels.
    pub(crate) fn new(
        s: &Scenario,
        wage: f64,
        wage_prev: f64,
        medical: f64,
        disposable_prev: f64,
    ) -> CaseCosts {
        let mut medical_mean = s.claims.medical_cost;
        for m in &mut medical_mean {
            *m *= medical;
        }
        CaseCosts {
            medical_mean,
            investigation: s.claims.investigation_cost * wage,
            appraisal: s.claims.appraisal_cost * wage,
            average_wage_prev: s.economy.average_monthly_wage * wage_prev,
            disposable_prev: s.economy.disposable_income * disposable_prev,
        }
    }
}

/// The own wage used for benefits: `w` bounded to `[floor, cap] · AW_{k−1}`.
pub(crate) fn benefit_wage(s: &Scenario, wage: f64, average_wage_prev: f64) -> f64 {
    wage.clamp(
        s.law.wage_floor * average_wage_prev,
        s.law.wage_cap * average_wage_prev,
    )
}

/// Expected recognised injuries of each outcome in one month for one cell:
/// `N / 12 · λ · ρ · K · Λ · p[o]` (docs/model.md §4).
pub(crate) fn expected_cases(
    s: &Scenario,
    sector: usize,
    insured: f64,
    rho: f64,
    intensity: f64,
    lambda: f64,
) -> PerOutcome {
    let sec = &s.sectors[sector];
    let base = insured / 12.0 * sec.frequency * rho * intensity * lambda;
    let mut out = [0.0; OUTCOMES];
    for (o, p) in out.iter_mut().zip(&sec.outcome_mix) {
        *o = base * p;
    }
    out
}

/// The share of grade `g` (1–10) cases that are marked.
fn mark_share(s: &Scenario, g: usize) -> f64 {
    if g <= ALLOWANCE_GRADES {
        s.benefits.care_share[g - 1]
    } else {
        s.benefits.medical_subsidy_take_up[g - ALLOWANCE_GRADES - 1]
    }
}

/// Expected cases of each kind in one month for one cell (see [`expected_cases`]).
pub(crate) fn expected_kinds(
    s: &Scenario,
    sector: usize,
    insured: f64,
    rho: f64,
    intensity: f64,
    lambda: f64,
) -> PerKind {
    let by_outcome = expected_cases(s, sector, insured, rho, intensity, lambda);
    let mut out = [0.0; KINDS];
    for (k, kind) in KIND_TABLE.iter().enumerate() {
        let n = by_outcome[kind.outcome];
        out[k] = if (1..=GRADES).contains(&kind.outcome) {
            let share = mark_share(s, kind.outcome);
            n * if kind.marked { share } else { 1.0 - share }
        } else {
            n
        };
    }
    out
}

/// Schedules every payment and stock joining caused by the cases incurred
/// in month `u` in `cell` (`n[k]` of each kind, and `extra_deaths` more
/// deaths, a catastrophe's), whose benefit wage is `wage`, except the
/// medical cost ([`medical`], drawn for a whole city); returns the counts
/// by outcome.
/// The extra deaths are added to the outcome, not to a copy of the kinds:
/// one kind makes the death outcome, so the sum is the same.
#[allow(clippy::too_many_arguments)]
pub(crate) fn incur<S: Sampler>(
    s: &Scenario,
    sched: &mut Schedule,
    sampler: &mut S,
    u: i64,
    cell: usize,
    n: &PerKind,
    extra_deaths: f64,
    costs: &CaseCosts,
    wage: f64,
) -> PerOutcome {
    let lags = &s.lags;
    let app = u + lags.appraisal as i64;
    let mut outcomes = by_outcome(n);
    outcomes[DEATH] += extra_deaths;
    let cases: f64 = outcomes.iter().sum();
    if cases <= 0.0 {
        return outcomes;
    }
    sched.add(u, cell, item::INVESTIGATION, cases * costs.investigation);
    // what falls at appraisal, summed over the grades before scheduling; a
    // grade without cases adds zeros, so the sums need no test per grade
    let (mut graded, mut grants) = (0.0, 0.0);
    let (mut heads, mut allowance, mut cared, mut care_units) = (0.0, 0.0, 0.0, 0.0);
    for g in 1..ALLOWANCE_GRADES + 1 {
        let (count, marked, i) = (outcomes[g], n[marked_kind(g)], g - 1);
        graded += count;
        grants += count * s.law.disability_grant_months[i];
        heads += count;
        allowance += count * s.law.disability_allowance_share[i];
        cared += marked;
        care_units += marked * s.benefits.care_pct[i];
    }
    let mut subsidies = 0.0;
    for g in ALLOWANCE_GRADES + 1..GRADES + 1 {
        let (count, marked, i) = (outcomes[g], n[marked_kind(g)], g - 1);
        graded += count;
        grants += count * s.law.disability_grant_months[i];
        subsidies += marked * s.benefits.medical_subsidy_months[g - ALLOWANCE_GRADES - 1];
    }
    if graded > 0.0 {
        if let Some(due) = sched.row(app, cell) {
            due[item::APPRAISAL] += graded * costs.appraisal;
            due[item::DISABILITY_ONE_OFF] += grants * wage;
            if heads > 0.0 {
                due[item::DISABILITY_HEADS] += heads;
                due[item::DISABILITY_AMOUNT] += allowance * wage;
                due[item::CARE_HEADS] += cared;
                due[item::CARE_UNITS] += care_units;
            }
        }
        if subsidies > 0.0 {
            let at = app + lags.medical_subsidy as i64;
            sched.add(
                at,
                cell,
                item::DISABILITY_ONE_OFF,
                subsidies * costs.average_wage_prev,
            );
        }
    }
    let deaths = outcomes[DEATH];
    if deaths > 0.0 {
        let at = u + lags.death as i64;
        let grants = s.law.funeral_grant_months * costs.average_wage_prev
            + s.law.death_grant_multiple * costs.disposable_prev;
        let dependants = sampler.count(deaths * s.benefits.dependants_per_death);
        if let Some(due) = sched.row(at, cell) {
            due[item::DEATH_ONE_OFF] += deaths * grants;
            due[item::SURVIVOR_HEADS] += dependants;
            due[item::SURVIVOR_AMOUNT] += dependants * s.benefits.survivor_pension_share * wage;
        }
    }
    outcomes
}

/// Draws the medical cost of one city's cases of month `u` (`outcomes[s]`
/// are the counts of the city's sector `s`, whose cell is `first_cell + s`)
/// and schedules it by the payment pattern. The cost is drawn once for the
/// city (its law is that of the sum of its cases' costs, docs/model.md §5.1) and attributed to the city's sectors in proportion to their expected
/// cost, so city totals and budget lines keep their law; sector shares are
/// exact in expectation. `expected` (one value per sector) is scratch for
/// the sectors' expected costs, computed once each.
#[allow(clippy::too_many_arguments)]
pub(crate) fn medical<S: Sampler>(
    s: &Scenario,
    sched: &mut Schedule,
    sampler: &mut S,
    u: i64,
    first_cell: usize,
    outcomes: &[PerOutcome],
    costs: &CaseCosts,
    expected: &mut [f64],
) {
    let mut n = [0.0; OUTCOMES];
    for sector in outcomes {
        for (t, x) in n.iter_mut().zip(sector) {
            *t += x;
        }
    }
    let total = sampler.medical(&n, &costs.medical_mean, &s.claims.medical_cv);
    debug_assert!(expected.len() >= outcomes.len(), "scratch for every sector");
    for (e, o) in expected.iter_mut().zip(outcomes) {
        *e = o
            .iter()
            .zip(&costs.medical_mean)
            .map(|(n, m)| n * m)
            .sum::<f64>();
    }
    let expected = &expected[..outcomes.len()];
    let weight: f64 = expected.iter().sum();
    if total == 0.0 || weight <= 0.0 {
        return;
    }
    for (i, e) in expected.iter().enumerate() {
        let amount = total * e / weight;
        if amount == 0.0 {
            continue;
        }
        sched.spread(
            u,
            first_cell + i,
            item::MEDICAL,
            amount,
            &s.lags.payment_pattern,
        );
    }
}
