//! `surplus_return` (docs/model.md §7.10): gaps are shared like
//! `fixed_ratio` (the province a share, the cities the rest by a key); and
//! each December, every city whose notional reserve exceeds a number of
//! months of its own payments gets back a share of the excess, as a
//! transfer from the fund to the city's treasury (偿还及返还财政资金支出).
//!
//! A city's notional reserve is the city view of [`notional_opening`]: its
//! share of the opening balance, in proportion to its premiums of the first
//! year, plus its premiums less the payments of its cases and stocks since,
//! less what it has been given back. A return never takes the fund's
//! balance below the gap floor: when the cities' claims exceed the room
//! above it, each is cut in the same proportion.

use super::{
    Context, FixedRatio, FundMonth, Measure, MonthEnd, Rules, SharingKey, notional_opening,
};
use crate::model::check::Checker;
use serde::{Deserialize, Serialize};

/// The parameters of `surplus_return`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct SurplusReturn {
    /// Province's share of each gap.
    pub(crate) province: f64,
    /// Key splitting the cities' part of a gap.
    pub(crate) key: SharingKey,
    /// Months of its own payments above which a city's notional reserve is a surplus.
    pub(crate) above_months: f64,
    /// Share of the surplus returned each December.
    pub(crate) share: f64,
}

/// `surplus_return` as written in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Raw {
    province: Option<f64>,
    key: Option<String>,
    above_months: Option<f64>,
    share: Option<f64>,
}

impl SurplusReturn {
    /// Checks the parameters; problems are reported under `field`.
    pub(super) fn resolve(raw: &Raw, field: &str, c: &mut Checker) -> SurplusReturn {
        SurplusReturn {
            province: c.required_prob(field, "province", raw.province, "surplus_return"),
            key: SharingKey::resolve(raw.key.as_deref(), &format!("{field}.key"), c),
            above_months: c.required_num(
                (field, "above_months"),
                raw.above_months,
                "surplus_return",
                |v| (0.0..=120.0).contains(&v),
                "months of a city's payments in [0, 120] above which its reserve is a surplus",
            ),
            share: c.required_prob(field, "share", raw.share, "surplus_return"),
        }
    }

    /// The cities' notional reserves for a path.
    pub(super) fn rules(self, ctx: &Context) -> Reserves {
        Reserves {
            params: self,
            opening_balance: ctx.opening_balance,
            first_year_premiums: vec![0.0; ctx.cities],
            since_start: vec![0.0; ctx.cities],
            opening_share: vec![0.0; ctx.cities],
            claims: vec![0.0; ctx.cities],
        }
    }
}

/// The cities' notional reserves during a path.
pub(crate) struct Reserves {
    params: SurplusReturn,
    opening_balance: f64,
    /// `[city]`: premiums of the first year.
    first_year_premiums: Vec<f64>,
    /// `[city]`: premiums less payments since the start, less returns.
    since_start: Vec<f64>,
    /// `[city]`: share of the opening balance (known after the first year).
    opening_share: Vec<f64>,
    /// `[city]`: scratch, this December's claims.
    claims: Vec<f64>,
}

impl Rules for Reserves {
    fn share(&mut self, gap: f64, month: &FundMonth, weights: &mut [f64], out: &mut [f64]) {
        FixedRatio {
            province: self.params.province,
            key: self.params.key,
        }
        .share(gap, month, weights, out);
    }

    fn month_end(&mut self, month: &FundMonth, end: &mut MonthEnd) {
        for (c, s) in self.since_start.iter_mut().enumerate() {
            *s += month.city_premiums[c] - month.city_expenditure[c];
            if end.year == 0 {
                self.first_year_premiums[c] += month.city_premiums[c];
            }
        }
        if !end.december {
            return;
        }
        if end.year == 0 {
            notional_opening(
                self.opening_balance,
                &self.first_year_premiums,
                &mut self.opening_share,
            );
        }
        let p = &self.params;
        for (c, claim) in self.claims.iter_mut().enumerate() {
            let reserve = self.opening_share[c] + self.since_start[c];
            let monthly = month.window.total(c, Measure::Expenditure) / 12.0;
            *claim = p.share * (reserve - p.above_months * monthly.max(0.0)).max(0.0);
        }
        let total: f64 = self.claims.iter().sum();
        let room = (end.balance - end.floor).max(0.0);
        let cut = if total > room { room / total } else { 1.0 };
        for (c, claim) in self.claims.iter().enumerate() {
            let given = claim * cut;
            end.returned[1 + c] = given;
            self.since_start[c] -= given;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::window;
    use super::*;
    use crate::model::lines::N_LINES;

    /// A year by hand, two cities, an opening balance of 1,200: A collects
    /// 100 a month and pays 40, B collects 50 and pays 45, so the opening
    /// splits 800 / 400 by first-year premiums and in December A holds
    /// 800 + 720 = 1,520 against 24 months of its payments (960): half the
    /// excess of 560, 280, goes back to A; B's 460 is below its 24 months
    /// (1,080). With only 100 of room above the floor, A gets 100.
    #[test]
    fn surplus_return_hand_case() {
        let params = SurplusReturn {
            province: 0.5,
            key: SharingKey::PremiumIncome,
            above_months: 24.0,
            share: 0.5,
        };
        let kappa = [1.0; 2];
        let ctx = Context {
            cities: 2,
            budgeted_collection: &kappa,
            city_budget: None,
            opening_balance: 1_200.0,
        };
        for (room, want) in [(10_000.0, 280.0), (100.0, 100.0)] {
            let mut r = params.rules(&ctx);
            // the window as it stands in December: 12 months of each
            let mut w = window(&[100.0, 50.0], &[40.0, 45.0]);
            for _ in 0..11 {
                for (c, (p, e)) in [(100.0, 40.0), (50.0, 45.0)].iter().enumerate() {
                    w.set(c, Measure::Premiums, *p);
                    w.set(c, Measure::Expenditure, *e);
                }
                w.commit();
            }
            let zero = [0.0; 2];
            let month = FundMonth {
                window: &w,
                fiscal_revenue: &zero,
                collection_rate: &kappa,
                premiums_due: &zero,
                city_premiums: &[100.0, 50.0],
                city_expenditure: &[40.0, 45.0],
            };
            let mut lines = [0.0; N_LINES];
            let mut returned = [0.0; 3];
            for m in 0..12 {
                returned = [0.0; 3];
                let mut end = MonthEnd {
                    year: 0,
                    december: m == 11,
                    balance: room,
                    average_payment: 85.0,
                    floor: 0.0,
                    returned: &mut returned,
                    lines: &mut lines,
                };
                r.month_end(&month, &mut end);
            }
            assert!((returned[1] - want).abs() < 1e-9, "{returned:?}");
            assert_eq!(returned[0], 0.0, "nothing goes to the province");
            assert_eq!(returned[2], 0.0, "B has no surplus");
        }
    }
}
