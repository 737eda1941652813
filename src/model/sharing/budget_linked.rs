//! `budget_linked` (docs/model.md §7), after Anhui's 2024 rule: each month's
//! gap is allocated to the cities by their own 12-month shortfall; of its
//! portion a city pays all of what its collection below its budgeted rate
//! lost this year, then a base share — one if its budget for the year
//! showed a surplus, another if a deficit — up to its budgeted gap plus a
//! first band of its budgeted expenditure, a higher share up to a second
//! band, and a third share beyond; the province pays the rest. Anhui's
//! shares and bands (10 % / 20 %, 5 %, 40 %, 10 %, 60 %) are the preset's.
//!
//! The budgets are the cities' premiums and expenditure by year in the
//! expected-value projection of the scenario without stress and without
//! sharing ([`CityBudget`]), made once per run. Anhui measures a city's
//! deviation against its budgeted gap; a percentage of a zero budgeted gap
//! means nothing, so the bands are measured in budgeted expenditure.

use super::{Context, FundMonth, Rules, SharingKey, own_shortfall_weights, portion};
use crate::model::check::Checker;
use serde::{Deserialize, Serialize};

/// The parameters of `budget_linked`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct BudgetLinked {
    /// Key used when no city has a shortfall.
    pub(crate) key: SharingKey,
    /// Base share of a city whose budget for the year showed a surplus.
    pub(crate) surplus_budget_share: f64,
    /// Base share of a city whose budget showed a deficit.
    pub(crate) deficit_budget_share: f64,
    /// The base share applies up to the budgeted gap plus this share of the
    /// budgeted expenditure.
    pub(crate) first_band: f64,
    /// The second share applies from there up to the budgeted gap plus this
    /// share of the budgeted expenditure.
    pub(crate) second_band: f64,
    /// Share of the portion within the second band.
    pub(crate) second_band_share: f64,
    /// Share of the portion beyond the second band.
    pub(crate) beyond_share: f64,
}

/// `budget_linked` as written in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Raw {
    key: Option<String>,
    surplus_budget_share: Option<f64>,
    deficit_budget_share: Option<f64>,
    first_band: Option<f64>,
    second_band: Option<f64>,
    second_band_share: Option<f64>,
    beyond_share: Option<f64>,
}

impl BudgetLinked {
    /// Checks the parameters; problems are reported under `field`.
    pub(super) fn resolve(raw: &Raw, field: &str, c: &mut Checker) -> BudgetLinked {
        let mut share =
            |name: &str, v: Option<f64>| c.required_prob(field, name, v, "budget_linked");
        let p = BudgetLinked {
            surplus_budget_share: share("surplus_budget_share", raw.surplus_budget_share),
            deficit_budget_share: share("deficit_budget_share", raw.deficit_budget_share),
            first_band: share("first_band", raw.first_band),
            second_band: share("second_band", raw.second_band),
            second_band_share: share("second_band_share", raw.second_band_share),
            beyond_share: share("beyond_share", raw.beyond_share),
            key: SharingKey::resolve(raw.key.as_deref(), &format!("{field}.key"), c),
        };
        if p.second_band < p.first_band {
            c.fail(
                format!("{field}.second_band"),
                p.second_band,
                format!(
                    "the second band ends after the first ({field}.first_band = {})",
                    p.first_band
                ),
            );
        }
        p
    }

    /// The scheme's books for a path.
    pub(super) fn rules<'a>(&self, ctx: &Context<'a>) -> Books<'a> {
        let cities = ctx.cities;
        Books {
            params: *self,
            budget: ctx.city_budget,
            budgeted_collection: ctx.budgeted_collection,
            allocated: vec![0.0; cities],
            collection_shortfall: vec![0.0; cities],
            charged: vec![0.0; cities],
            year: 0,
        }
    }
}

/// The cities' budgets: premiums and expenditure of each city's cases and
/// stocks, by year, in the expected-value projection without stress and
/// without sharing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CityBudget {
    /// `[year][city]` premiums.
    pub(crate) premiums: Vec<Vec<f64>>,
    /// `[year][city]` expenditure.
    pub(crate) expenditure: Vec<Vec<f64>>,
}

/// The scheme during a path: each city's budget and what it has been
/// allocated and charged so far this year.
pub(crate) struct Books<'a> {
    params: BudgetLinked,
    budget: Option<&'a CityBudget>,
    budgeted_collection: &'a [f64],
    /// `[city]`: gap portions allocated this year, beyond collection shortfalls.
    allocated: Vec<f64>,
    /// `[city]`: premiums lost this year to collection below the budgeted rate.
    collection_shortfall: Vec<f64>,
    /// `[city]`: collection shortfall already charged to the city this year.
    charged: Vec<f64>,
    year: usize,
}

impl Books<'_> {
    /// City `c`'s budgeted gap and expenditure this year.
    fn budget(&self, c: usize) -> (f64, f64) {
        let Some(b) = self.budget else {
            return (0.0, 0.0);
        };
        let k = self.year.min(b.expenditure.len().saturating_sub(1));
        let e = b.expenditure.get(k).map_or(0.0, |v| v[c]);
        let p = b.premiums.get(k).map_or(0.0, |v| v[c]);
        ((e - p).max(0.0), e)
    }

    /// What city `c` pays of a cumulative own gap `x` this year: the base
    /// share up to the budgeted gap plus the first band of budgeted
    /// expenditure, the second share up to the second band, the third beyond.
    fn city_part(&self, c: usize, x: f64) -> f64 {
        let p = &self.params;
        let (b, e) = self.budget(c);
        let base = if b > 0.0 {
            p.deficit_budget_share
        } else {
            p.surplus_budget_share
        };
        let (t1, t2) = (b + p.first_band * e, b + p.second_band * e);
        base * x.min(t1)
            + p.second_band_share * (x.min(t2) - t1).max(0.0)
            + p.beyond_share * (x - t2).max(0.0)
    }
}

impl Rules for Books<'_> {
    fn start_year(&mut self, k: usize) {
        self.year = k;
        for v in [
            &mut self.allocated,
            &mut self.collection_shortfall,
            &mut self.charged,
        ] {
            v.fill(0.0);
        }
    }

    /// Premiums lost this month to collection below each city's budgeted rate.
    fn after_income(&mut self, month: &FundMonth) {
        for (c, budgeted) in self.budgeted_collection.iter().enumerate() {
            let lost = (budgeted - month.collection_rate[c]).max(0.0);
            if lost > 0.0 {
                self.collection_shortfall[c] += month.premiums_due[c] * lost;
            }
        }
    }

    fn share(&mut self, gap: f64, month: &FundMonth, weights: &mut [f64], out: &mut [f64]) {
        let (province, cities) = out.split_at_mut(1);
        // first, what each city's collection below its budgeted rate lost
        // this year and has not yet paid: the city's alone, whatever its own
        // balance (in city order while the gap lasts)
        let mut rest = gap;
        for (c, paid) in cities.iter_mut().enumerate() {
            let collection = (self.collection_shortfall[c] - self.charged[c])
                .max(0.0)
                .min(rest);
            self.charged[c] += collection;
            *paid = collection;
            rest -= collection;
        }
        // then the rest by own shortfall, each city's portion through its bands
        own_shortfall_weights(self.params.key, month, weights);
        let total: f64 = weights.iter().sum();
        for (c, paid) in cities.iter_mut().enumerate() {
            let portion = portion(rest, weights, total, c);
            let before = self.allocated[c];
            self.allocated[c] += portion;
            *paid += self.city_part(c, self.allocated[c]) - self.city_part(c, before);
        }
        province[0] = gap - cities.iter().sum::<f64>();
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::window;
    use super::*;

    /// Anhui's shares and bands.
    fn anhui() -> BudgetLinked {
        BudgetLinked {
            key: SharingKey::PremiumIncome,
            surplus_budget_share: 0.1,
            deficit_budget_share: 0.2,
            first_band: 0.05,
            second_band: 0.10,
            second_band_share: 0.4,
            beyond_share: 0.6,
        }
    }

    /// Each band by hand, for one city whose budget showed a deficit
    /// (budgeted gap 100, budgeted expenditure 1,000: bands end at 150 and
    /// 200) and one whose budget showed a surplus (0 and 1,000: 50 and 100);
    /// then through `share`: a 300 gap all on city 0 (the only shortfall) in
    /// two months of 150, and a collection shortfall of 40 paid in full.
    #[test]
    fn budget_linked_hand_case() {
        let budget = CityBudget {
            premiums: vec![vec![900.0, 1_100.0]],
            expenditure: vec![vec![1_000.0, 1_000.0]],
        };
        let kappa = [1.0; 2];
        let ctx = Context {
            cities: 2,
            budgeted_collection: &kappa,
            city_budget: Some(&budget),
            opening_balance: 0.0,
        };
        let mut book = anhui().rules(&ctx);
        book.start_year(0);
        // deficit budget: 20 % of 150, 40 % of 50, 60 % of 100
        assert!((book.city_part(0, 300.0) - (30.0 + 20.0 + 60.0)).abs() < 1e-9);
        assert!(
            (book.city_part(0, 120.0) - 24.0).abs() < 1e-9,
            "within budget + 5 %: base 20 %"
        );
        assert!(
            (book.city_part(0, 180.0) - (30.0 + 12.0)).abs() < 1e-9,
            "5–10 % band: 40 %"
        );
        // surplus budget: 10 % of 50, 40 % of 50, 60 % of 200
        assert!((book.city_part(1, 300.0) - (5.0 + 20.0 + 120.0)).abs() < 1e-9);
        let w = window(&[100.0, 500.0], &[400.0, 100.0]);
        let fiscal = vec![1.0; 2];
        let due = vec![0.0; 2];
        let month = FundMonth {
            window: &w,
            fiscal_revenue: &fiscal,
            collection_rate: &kappa,
            premiums_due: &due,
            city_premiums: &due,
            city_expenditure: &due,
        };
        let (mut weights, mut out) = (vec![0.0; 2], vec![0.0; 3]);
        book.share(150.0, &month, &mut weights, &mut out);
        assert!(
            (out[1] - 30.0).abs() < 1e-9 && out[2] == 0.0 && (out[0] - 120.0).abs() < 1e-9,
            "{out:?}"
        );
        out.fill(0.0);
        book.share(150.0, &month, &mut weights, &mut out);
        assert!((out[1] - 80.0).abs() < 1e-9, "20 + 60: {out:?}");
        assert!((out.iter().sum::<f64>() - 150.0).abs() < 1e-9);
        book.start_year(0);
        // a city collecting 0.9 of a budgeted 1.0 on 400 due loses 40
        let low = [0.9, 1.0];
        let due = [400.0, 0.0];
        book.after_income(&FundMonth {
            collection_rate: &low,
            premiums_due: &due,
            ..month
        });
        out.fill(0.0);
        book.share(100.0, &month, &mut weights, &mut out);
        assert!(
            (out[1] - (40.0 + 0.2 * 60.0)).abs() < 1e-9,
            "collection first, then 20 %: {out:?}"
        );
    }
}
