//! One projection path, month by month, in the order of docs/model.md §6:
//! income, new cases, stocks, expenditure and the balance, gap sharing, the
//! months of reserve and (in December) the breach test and the policy.
//!
//! A path runs in two passes. The claims side (`claims`) makes every draw:
//! drivers, cases, costs and stocks, onto a [`Tape`]. The fund side
//! (`fund`) reads the tape and adds premiums, interest, the balance, gap
//! sharing and the rate policy, none of which the claims side reads; so one
//! tape serves several fund rules ([`Replay`]) on exactly the draws a full
//! run of each would make.
//!
//! The [`Engine`] holds flat state indexed by city × sector (`cell = c · S +
//! s`) and allocates nothing per month once built: [`Engine::run`] resets it
//! and can be called for path after path. Randomness comes from a
//! [`Sampler`] (the expected-value mode or a Monte Carlo stream), the gap
//! sharing scheme's rules from the scenario, and every month is handed to an
//! [`Observer`]. [`expected_value`] is the one expected-value projection of
//! a scenario. The engine knows nothing of files, formats or commands.

mod claims;
mod fund;
mod plan;
mod record;
mod tape;

pub(crate) use plan::Plan;
pub(crate) use record::{MonthRecord, Observer};
pub(crate) use tape::Tape;

use crate::model::sampling::{Expected, Sampler};
use crate::model::scenario::Scenario;
use crate::model::stocks::Stock;
use claims::Claims;
use fund::Fund;

/// The expected-value projection of a scenario (docs/model.md §10): every
/// month of the one path on which each random quantity is its mean.
pub(crate) fn expected_value(s: &Scenario) -> Vec<MonthRecord> {
    let plan = Plan::new(s);
    let mut months = Vec::with_capacity(s.months());
    Engine::new(&plan).run(&mut Expected, &mut months);
    months
}

/// The projection engine for one prepared scenario.
pub(crate) struct Engine<'p> {
    claims: Claims<'p>,
    fund: Fund<'p>,
    tape: Tape,
}

impl<'p> Engine<'p> {
    /// Builds the engine and its buffers for a prepared scenario.
    pub(crate) fn new(plan: &'p Plan<'p>) -> Engine<'p> {
        let s = plan.scenario;
        Engine {
            claims: Claims::new(s),
            fund: Fund::new(plan),
            tape: Tape::new(s.n_cities(), s.n_sectors(), s.years),
        }
    }

    /// Runs one path from the opening position to the horizon.
    pub(crate) fn run<S: Sampler, O: Observer>(&mut self, sampler: &mut S, observer: &mut O) {
        self.claims.run(sampler, &mut self.tape);
        self.fund.run(&self.tape, observer);
    }
}

/// The claims side alone: records a path's [`Tape`] for [`Replay`]s.
pub(crate) struct Recorder<'s> {
    claims: Claims<'s>,
    s: &'s Scenario,
}

impl<'s> Recorder<'s> {
    /// Buffers for a scenario.
    pub(crate) fn new(s: &'s Scenario) -> Recorder<'s> {
        Recorder {
            claims: Claims::new(s),
            s,
        }
    }

    /// An empty tape of the scenario's shape.
    pub(crate) fn tape(&self) -> Tape {
        Tape::new(self.s.n_cities(), self.s.n_sectors(), self.s.years)
    }

    /// Runs the claims side of one path onto `tape`.
    pub(crate) fn record<S: Sampler>(&mut self, sampler: &mut S, tape: &mut Tape) {
        self.claims.run(sampler, tape);
    }

    /// Turns `tape`, recorded on the same path for a scenario whose claims
    /// side is this one's but for the interest rate's mean
    /// ([`same_claims_but_interest`]), into this scenario's tape: only the
    /// drivers are drawn.
    pub(crate) fn redraw_drivers<S: Sampler>(&mut self, sampler: &mut S, tape: &mut Tape) {
        self.claims.redraw_drivers(sampler, tape);
    }
}

/// Whether `b` has the claims side of `a`: every field that the claims side
/// (drivers, cases, costs, stocks) reads is equal, so that a tape of `a`
/// replayed under `b`'s fund rules gives `b`'s months exactly. Only the fund
/// side reads the rates (benchmark rates, floating factors and bands, the
/// schedule), the rate policy, gap sharing and its presets, the fund's
/// accounts, the cities' collection rates and fiscal revenue, the premium
/// season, the 12-month rule and the prevention cap; names, sources and
/// calibration targets are read by neither.
pub(crate) fn same_claims(a: &Scenario, b: &Scenario) -> bool {
    let mut view = b.clone();
    view.name.clone_from(&a.name);
    view.description.clone_from(&a.description);
    view.seed = a.seed;
    view.fund.clone_from(&a.fund);
    view.policy.clone_from(&a.policy);
    view.schedule.clone_from(&a.schedule);
    view.sharing.clone_from(&a.sharing);
    view.sharing_presets.clone_from(&a.sharing_presets);
    view.calibration.clone_from(&a.calibration);
    view.execution.clone_from(&a.execution);
    view.date.clone_from(&a.date);
    view.sources.clone_from(&a.sources);
    view.economy.season = a.economy.season;
    view.law.reserve_rule_months = a.law.reserve_rule_months;
    view.law.prevention_cap = a.law.prevention_cap;
    if view.sectors.len() != a.sectors.len() || view.cities.len() != a.cities.len() {
        return false;
    }
    for (v, x) in view.sectors.iter_mut().zip(&a.sectors) {
        v.benchmark_rate = x.benchmark_rate;
        v.floating_factor = x.floating_factor;
        v.floating_band = x.floating_band;
    }
    for (v, x) in view.cities.iter_mut().zip(&a.cities) {
        v.collection_rate = x.collection_rate;
        v.fiscal_revenue = x.fiscal_revenue;
    }
    view == *a
}

/// Whether `b` has the claims side of `a` but for the mean of the interest
/// rate, so that `a`'s tape of a path with `b`'s drivers drawn again is
/// `b`'s tape ([`Recorder::redraw_drivers`]): nothing the claims side
/// computes reads the interest rate (it only writes the drawn one to the
/// tape), and a mean alone moves no other driver's draw.
pub(crate) fn same_claims_but_interest(a: &Scenario, b: &Scenario) -> bool {
    let mut view = b.clone();
    view.drivers.interest_rate.mean = a.drivers.interest_rate.mean;
    same_claims(a, &view)
}

/// Whether a path of `b` asks for the counts `a`'s path asks for, with the
/// same means, on the same streams, so that `b` may reuse `a`'s count draws
/// ([`crate::model::sampling::reuse`]): `b` has `a`'s claims side but for
/// what its cases and heads cost and what the fund earns, namely the means
/// of wage growth, medical inflation, disposable-income growth and the
/// interest rate, and the indexation of the stocks, and the stocks' exit
/// hazards (which [`same_exits`] adds). A mean alone moves no other
/// driver's draw: the innovations and the parameter stream are drawn
/// whatever the means are.
pub(crate) fn same_counts(a: &Scenario, b: &Scenario) -> bool {
    let mut view = b.clone();
    let (v, x) = (&mut view.drivers, &a.drivers);
    v.wage_growth.mean = x.wage_growth.mean;
    v.medical_inflation.mean = x.medical_inflation.mean;
    v.disposable_income_growth.mean = x.disposable_income_growth.mean;
    v.interest_rate.mean = x.interest_rate.mean;
    view.stocks.indexation = a.stocks.indexation;
    view.stocks.disability_exit_hazard = a.stocks.disability_exit_hazard;
    view.stocks.care_exit_hazard = a.stocks.care_exit_hazard;
    view.stocks.survivors_exit_hazard = a.stocks.survivors_exit_hazard;
    same_claims(a, &view)
}

/// Whether `b` may reuse `a`'s exits from the stocks as well as its counts:
/// [`same_counts`] and the same exit hazards (the same heads then join
/// each stock in the same months, and leave at the same hazard).
pub(crate) fn same_exits(a: &Scenario, b: &Scenario) -> bool {
    same_counts(a, b)
        && Stock::ALL
            .iter()
            .all(|stock| stock.exit_hazard(a) == stock.exit_hazard(b))
}

/// The fund side alone, for a scenario whose claims side is another's
/// ([`same_claims`]): replays a recorded [`Tape`].
pub(crate) struct Replay<'p> {
    fund: Fund<'p>,
}

impl<'p> Replay<'p> {
    /// The fund side of a prepared scenario.
    pub(crate) fn new(plan: &'p Plan<'p>) -> Replay<'p> {
        Replay {
            fund: Fund::new(plan),
        }
    }

    /// The months of the path `tape` recorded, under this scenario's fund rules.
    pub(crate) fn run<O: Observer>(&mut self, tape: &Tape, observer: &mut O) {
        self.fund.run(tape, observer);
    }
}
