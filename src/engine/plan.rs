//! What a run derives from its scenario once, before any path: the inputs a
//! sharing scheme asks for (the cities' expected-value budgets) and the
//! cities' budgeted collection rates. A [`Plan`] is shared, read-only, by
//! every chunk of paths and every thread of a run.

use super::expected_value;
use crate::model::breakdown::Part;
use crate::model::scenario::Scenario;
use crate::model::sharing::{CityBudget, Context, Scheme};

/// A scenario prepared for running.
#[derive(Debug, Clone)]
pub(crate) struct Plan<'s> {
    /// The scenario.
    pub(crate) scenario: &'s Scenario,
    budgeted_collection: Vec<f64>,
    city_budget: Option<CityBudget>,
}

impl<'s> Plan<'s> {
    /// Prepares a scenario: runs the expected-value projection the sharing
    /// scheme needs, if it needs one.
    pub(crate) fn new(scenario: &'s Scenario) -> Plan<'s> {
        Plan {
            scenario,
            budgeted_collection: scenario.cities.iter().map(|c| c.collection_rate).collect(),
            city_budget: scenario
                .sharing
                .scheme
                .needs_city_budget()
                .then(|| city_budget(scenario)),
        }
    }

    /// What the sharing scheme is given when a path starts.
    pub(crate) fn sharing_context(&self) -> Context<'_> {
        Context {
            cities: self.scenario.n_cities(),
            budgeted_collection: &self.budgeted_collection,
            city_budget: self.city_budget.as_ref(),
            opening_balance: self.scenario.fund.opening_balance,
        }
    }
}

/// The cities' budgets: their premiums and the expenditure of their cases
/// and stocks by year in the expected-value projection of the scenario
/// without stress and without sharing (sharing moves the balance, not a
/// city's premiums or payments).
fn city_budget(s: &Scenario) -> CityBudget {
    let mut plain = s.clone();
    plain.stress = None;
    plain.sharing.scheme = Scheme::None;
    let cities = s.n_cities();
    let mut budget = CityBudget {
        premiums: vec![vec![0.0; cities]; s.years],
        expenditure: vec![vec![0.0; cities]; s.years],
    };
    for m in expected_value(&plain) {
        for (part, out) in [
            (Part::CityPremiums, &mut budget.premiums[m.year]),
            (Part::CityExpenditure, &mut budget.expenditure[m.year]),
        ] {
            for (o, v) in out.iter_mut().zip(m.breakdown.part(part)) {
                *o += v;
            }
        }
    }
    budget
}
