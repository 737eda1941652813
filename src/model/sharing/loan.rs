//! `loan` (docs/model.md §7.9), in the shape of the US unemployment-insurance
//! Title XII advances: when the balance would fall below the floor, the
//! provincial treasury advances the gap and the fund owes it. Interest
//! accrues monthly at the scenario's annual rate, compounded, from the month
//! after an advance. Each December, when the months of reserve exceed the
//! repayment threshold, the fund repays a share of the balance above that
//! threshold, up to the debt, interest first. Repayments are expenditure of
//! the fund (偿还及返还财政资金支出) and income of the lender, so the
//! province's burden is its advances less what it got back.

use super::{FundMonth, MonthEnd, Rules};
use crate::model::check::Checker;
use crate::model::lines::Line;
use serde::{Deserialize, Serialize};

/// The parameters of `loan`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Loan {
    /// Annual interest rate on the debt, compounded monthly.
    pub(crate) interest_rate: f64,
    /// Months of reserve above which the fund repays in December.
    pub(crate) repay_above_months: f64,
    /// Share of the balance above that threshold repaid each December.
    pub(crate) repay_share: f64,
}

/// `loan` as written in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Raw {
    interest_rate: Option<f64>,
    repay_above_months: Option<f64>,
    repay_share: Option<f64>,
}

impl Loan {
    /// Checks the parameters; problems are reported under `field`.
    pub(super) fn resolve(raw: &Raw, field: &str, c: &mut Checker) -> Loan {
        Loan {
            interest_rate: c.required_num(
                (field, "interest_rate"),
                raw.interest_rate,
                "loan",
                |v| (0.0..=0.5).contains(&v),
                "an annual interest rate in [0, 0.5], for example 0.03",
            ),
            repay_above_months: c.required_num(
                (field, "repay_above_months"),
                raw.repay_above_months,
                "loan",
                |v| (0.0..=120.0).contains(&v),
                "months of reserve in [0, 120] above which the fund repays",
            ),
            repay_share: c.required_num(
                (field, "repay_share"),
                raw.repay_share,
                "loan",
                |v| v > 0.0 && v <= 1.0,
                "the share of the balance above the threshold repaid, in (0, 1]",
            ),
        }
    }

    /// The debt's books for a path.
    pub(super) fn rules(self) -> Debt {
        Debt {
            params: self,
            principal: 0.0,
            interest: 0.0,
            advanced: 0.0,
        }
    }
}

/// The debt during a path.
pub(crate) struct Debt {
    params: Loan,
    /// Advances not yet repaid.
    principal: f64,
    /// Interest accrued and not yet paid.
    interest: f64,
    /// This month's advances (accruing from next month).
    advanced: f64,
}

impl Rules for Debt {
    /// The province advances the whole gap.
    fn share(&mut self, gap: f64, _month: &FundMonth, _weights: &mut [f64], out: &mut [f64]) {
        out[0] = gap;
        self.advanced += gap;
    }

    fn month_end(&mut self, _month: &FundMonth, end: &mut MonthEnd) {
        let p = &self.params;
        self.interest += (self.principal + self.interest) * p.interest_rate / 12.0;
        self.principal += self.advanced;
        self.advanced = 0.0;
        let owed = self.principal + self.interest;
        if end.december && owed > 0.0 {
            let threshold = (p.repay_above_months * end.average_payment.max(0.0)).max(end.floor);
            let room = end.balance - threshold;
            if room > 0.0 {
                let repay = (p.repay_share * room).min(owed);
                let interest = repay.min(self.interest);
                self.interest -= interest;
                self.principal -= repay - interest;
                end.returned[0] = repay;
                end.lines[Line::LoanInterestPaid.index()] = interest;
            }
        }
        end.lines[Line::LoanDebt.index()] = self.principal + self.interest;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::window;
    use super::*;
    use crate::model::lines::N_LINES;

    /// A year by hand: 1,200 advanced in March at 12 % a year (1 % a month)
    /// accrues from April, so by December 1,200 × 1.01⁹ = 1,312.42 is owed
    /// (112.42 interest). With a balance of 5,000, a payment level of 200
    /// and a threshold of 18 months (3,600), half of the 1,400 above it is
    /// repaid: 700, interest first, leaving 612.42 of principal. The
    /// province's burden over the year is 1,200 − 700 = 500.
    #[test]
    fn loan_hand_case() {
        let mut debt = Loan {
            interest_rate: 0.12,
            repay_above_months: 18.0,
            repay_share: 0.5,
        }
        .rules();
        let w = window(&[0.0], &[0.0]);
        let zero = [0.0];
        let month = FundMonth {
            window: &w,
            fiscal_revenue: &zero,
            collection_rate: &zero,
            premiums_due: &zero,
            city_premiums: &zero,
            city_expenditure: &zero,
        };
        let mut paid = [0.0; 2];
        let mut lines = [0.0; N_LINES];
        let mut end_of = |debt: &mut Debt, m: usize, balance: f64, returned: &mut [f64; 2]| {
            let mut end = MonthEnd {
                year: 0,
                december: m == 11,
                balance,
                average_payment: 200.0,
                floor: 0.0,
                returned,
                lines: &mut lines,
            };
            debt.month_end(&month, &mut end);
            (
                lines[Line::LoanDebt.index()],
                lines[Line::LoanInterestPaid.index()],
            )
        };
        let mut returned = [0.0; 2];
        for m in 0..11 {
            if m == 2 {
                let mut out = [0.0; 2];
                debt.share(1_200.0, &month, &mut [0.0], &mut out);
                assert_eq!(out, [1_200.0, 0.0], "the province advances the gap");
                paid[0] += out[0];
            }
            let (owed, _) = end_of(&mut debt, m, 0.0, &mut returned);
            if m == 2 {
                assert_eq!(owed, 1_200.0, "no interest in the month of the advance");
            }
            assert_eq!(returned, [0.0; 2], "no repayment before December");
        }
        let owed_before = 1_200.0 * 1.01f64.powi(9);
        let (owed, interest) = end_of(&mut debt, 11, 5_000.0, &mut returned);
        assert!((returned[0] - 700.0).abs() < 1e-9, "{returned:?}");
        assert!((interest - (owed_before - 1_200.0)).abs() < 1e-9);
        assert!((owed - (owed_before - 700.0)).abs() < 1e-9, "{owed}");
        assert!((paid[0] - returned[0] - 500.0).abs() < 1e-9);
        // below the threshold nothing is repaid
        let mut returned = [0.0; 2];
        end_of(&mut debt, 11, 3_000.0, &mut returned);
        assert_eq!(returned, [0.0; 2]);
    }
}
