//! Gaps and how they are shared (docs/model.md §7). After a month's balance
//! is known, a balance below `floor_months · Ē_t` is a gap; the payers (the
//! provincial treasury, then each city's) pay it that month by the
//! scenario's [`Scheme`], and the balance is lifted to the floor.
//!
//! Each scheme lives in its own file: its parameters, how they are read and
//! checked, and its [`Rules`] — what it pays and any state it keeps during a
//! path. This file lists the schemes and holds what they share: the keys
//! and the helpers that split an amount by weights. Keys are taken over the
//! last 12 months ([`CityWindow`]); weights that are all 0 fall back to
//! equal shares.

mod budget_linked;
mod fixed_ratio;
mod loan;
mod performance;
mod responsibility;
mod surplus_return;
mod window;

pub(crate) use budget_linked::{BudgetLinked, CityBudget};
pub(crate) use fixed_ratio::FixedRatio;
pub(crate) use loan::Loan;
pub(crate) use performance::Performance;
pub(crate) use responsibility::Responsibility;
pub(crate) use surplus_return::SurplusReturn;
pub(crate) use window::{CityWindow, Measure};

use super::check::{Checker, did_you_mean};
use super::lines::{Line, LineValues};
use serde::{Deserialize, Deserializer, Serialize};

/// The gap-sharing set-up of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Sharing {
    /// The scheme and its parameters.
    #[serde(flatten)]
    pub(crate) scheme: Scheme,
    /// `gap_floor_months`: the balance is lifted to this many months of payments.
    pub(crate) floor_months: f64,
}

/// A scheme under a name: a preset, which `fundsim stress --scheme NAME`
/// and a scenario's `[sharing] preset = "NAME"` pick.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct NamedScheme {
    /// The preset's name.
    pub(crate) name: String,
    /// What it does, in a sentence.
    pub(crate) description: String,
    /// The scheme.
    #[serde(flatten)]
    pub(crate) scheme: Scheme,
}

/// What a sharing key measures over the last 12 months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SharingKey {
    /// Premium income of the city.
    PremiumIncome,
    /// Payroll of the city's insured.
    Payroll,
    /// Insured workers.
    Insured,
    /// Expenditure attributed to the city.
    Expenditure,
    /// General budget revenue of the city, grown with wages.
    FiscalRevenue,
    /// Equal shares.
    Equal,
}

impl SharingKey {
    /// All keys, with their names in scenario files.
    pub(crate) const ALL: [(&'static str, SharingKey); 6] = [
        ("premium_income", SharingKey::PremiumIncome),
        ("payroll", SharingKey::Payroll),
        ("insured", SharingKey::Insured),
        ("expenditure", SharingKey::Expenditure),
        ("fiscal_revenue", SharingKey::FiscalRevenue),
        ("equal", SharingKey::Equal),
    ];

    /// The key a scheme's `key` names (`premium_income` when absent).
    fn resolve(name: Option<&str>, field: &str, c: &mut Checker) -> SharingKey {
        let Some(name) = name else {
            return SharingKey::PremiumIncome;
        };
        if let Some((_, k)) = SharingKey::ALL.iter().find(|(n, _)| *n == name) {
            return *k;
        }
        let names: Vec<_> = SharingKey::ALL
            .iter()
            .map(|(n, _)| format!("\"{n}\""))
            .collect();
        c.fail(
            field,
            format!("{name:?}"),
            format!(
                "one of {}{}",
                names.join(", "),
                did_you_mean(name, SharingKey::ALL.iter().map(|(n, _)| *n))
            ),
        );
        SharingKey::PremiumIncome
    }
}

/// A gap-sharing scheme and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "scheme", rename_all = "snake_case")]
pub(crate) enum Scheme {
    /// No sharing: the balance may go negative.
    None,
    /// The province pays a fixed share; cities the rest by a key.
    FixedRatio(FixedRatio),
    /// Cities pay a share in proportion to their own 12-month shortfall.
    Responsibility(Responsibility),
    /// Like `fixed_ratio`, with weights raised for collection below target.
    Performance(Performance),
    /// Anhui's budget-linked rule (2024).
    BudgetLinked(BudgetLinked),
    /// The provincial treasury advances every gap as a loan the fund repays.
    Loan(Loan),
    /// Gaps shared like `fixed_ratio`; cities with a large notional reserve
    /// get part of it back each December.
    SurplusReturn(SurplusReturn),
}

/// What a scheme sees of the fund's month when it acts.
pub(crate) struct FundMonth<'a> {
    /// Each city's last 12 months.
    pub(crate) window: &'a CityWindow,
    /// General budget revenue × `Wage_k`, per city.
    pub(crate) fiscal_revenue: &'a [f64],
    /// `κ_k[c]`, this year's collection rate per city.
    pub(crate) collection_rate: &'a [f64],
    /// Premiums due from each city this month before the collection rate.
    pub(crate) premiums_due: &'a [f64],
    /// This month's premiums by city (0 until the month's income is known).
    pub(crate) city_premiums: &'a [f64],
    /// This month's expenditure of each city's cases and stocks (0 until
    /// the month's payments are known).
    pub(crate) city_expenditure: &'a [f64],
}

/// The end of a month, after any gap was shared: what a scheme may do with
/// the fund's balance before the months of reserve are read.
pub(crate) struct MonthEnd<'a> {
    /// Projection year `k`.
    pub(crate) year: usize,
    /// Whether it is December.
    pub(crate) december: bool,
    /// The balance after gap sharing.
    pub(crate) balance: f64,
    /// `Ē_t`, the average monthly payment level.
    pub(crate) average_payment: f64,
    /// The balance a gap is lifted to, `floor_months · Ē_t`: money paid back
    /// never takes the balance below it.
    pub(crate) floor: f64,
    /// Out: money paid back to each payer this month (`[0]` the province,
    /// `[1 + c]` city `c`), zeroed before the call; it is expenditure of
    /// the fund ([`Line::Returned`]).
    pub(crate) returned: &'a mut [f64],
    /// Out: the month's values of the scheme's own lines ([`Scheme::lines`]).
    pub(crate) lines: &'a mut LineValues,
}

/// What a scheme is given when a path starts.
pub(crate) struct Context<'a> {
    /// Number of cities.
    pub(crate) cities: usize,
    /// Each city's mean collection rate `κ̄` (its budgeted rate).
    pub(crate) budgeted_collection: &'a [f64],
    /// The cities' expected-value budgets, when the scheme asks for them
    /// ([`Scheme::needs_city_budget`]).
    pub(crate) city_budget: Option<&'a CityBudget>,
    /// The fund's balance on 1 January of the first year.
    pub(crate) opening_balance: f64,
}

/// A scheme's rules during a path: what it pays of each gap, and the state
/// it keeps between months. The engine calls these at fixed points of the
/// month (docs/model.md §6, order within a month).
pub(crate) trait Rules {
    /// A new projection year `k` starts (before its first month).
    fn start_year(&mut self, _k: usize) {}

    /// The month's income is known (step 1).
    fn after_income(&mut self, _month: &FundMonth) {}

    /// Shares a gap `gap > 0` among the payers: `out[0]` the province,
    /// `out[1 + c]` city `c` (zeroed before the call). `weights` is scratch
    /// of one value per city.
    fn share(&mut self, gap: f64, month: &FundMonth, weights: &mut [f64], out: &mut [f64]);

    /// The month is over (step 5, after gap sharing): the scheme may pay
    /// money back and sets its own lines.
    fn month_end(&mut self, _month: &FundMonth, _end: &mut MonthEnd) {}
}

/// The scheme kinds, by their names in scenario files.
pub(crate) const KINDS: [&str; 7] = [
    "none",
    "fixed_ratio",
    "responsibility",
    "performance",
    "budget_linked",
    "loan",
    "surplus_return",
];

impl Scheme {
    /// Reads and checks the parameters of a scheme of kind `kind` (one of
    /// [`KINDS`]) from `params`; problems go to `c` under `field` (for
    /// example `sharing`). `None` when the kind is unknown (also a problem).
    pub(crate) fn resolve<'de, D: Deserializer<'de>>(
        kind: &str,
        params: D,
        field: &str,
        c: &mut Checker,
    ) -> Result<Option<Scheme>, D::Error> {
        Ok(Some(match kind {
            "none" => {
                NoParameters::deserialize(params)?;
                Scheme::None
            }
            "fixed_ratio" => Scheme::FixedRatio(FixedRatio::resolve(
                &Deserialize::deserialize(params)?,
                field,
                c,
            )),
            "responsibility" => Scheme::Responsibility(Responsibility::resolve(
                &Deserialize::deserialize(params)?,
                field,
                c,
            )),
            "performance" => Scheme::Performance(Performance::resolve(
                &Deserialize::deserialize(params)?,
                field,
                c,
            )),
            "budget_linked" => Scheme::BudgetLinked(BudgetLinked::resolve(
                &Deserialize::deserialize(params)?,
                field,
                c,
            )),
            "loan" => Scheme::Loan(Loan::resolve(&Deserialize::deserialize(params)?, field, c)),
            "surplus_return" => Scheme::SurplusReturn(SurplusReturn::resolve(
                &Deserialize::deserialize(params)?,
                field,
                c,
            )),
            other => {
                let kinds: Vec<String> = KINDS.iter().map(|k| format!("\"{k}\"")).collect();
                c.fail(
                    format!("{field}.scheme"),
                    format!("{other:?}"),
                    format!(
                        "one of {}{}",
                        kinds.join(", "),
                        did_you_mean(other, KINDS.iter().copied())
                    ),
                );
                return Ok(None);
            }
        }))
    }

    /// Whether the scheme reads the cities' expected-value budgets.
    pub(crate) fn needs_city_budget(&self) -> bool {
        matches!(self, Scheme::BudgetLinked(_))
    }

    /// The lines only some schemes move ([`Line::is_scheme_line`]) that this
    /// one does: a run shows these and leaves the others out.
    pub(crate) fn lines(&self) -> &'static [Line] {
        match self {
            Scheme::Loan(_) => &[Line::Returned, Line::LoanDebt, Line::LoanInterestPaid],
            Scheme::SurplusReturn(_) => &[Line::Returned],
            _ => &[],
        }
    }

    /// Whether a run under this scheme shows `line`: every line but the
    /// scheme lines of other schemes.
    pub(crate) fn shows(&self, line: Line) -> bool {
        !line.is_scheme_line() || self.lines().contains(&line)
    }

    /// The scheme's rules for a path; `None` for no sharing at all (the
    /// balance may go negative).
    pub(crate) fn rules<'a>(&self, ctx: &Context<'a>) -> Option<Box<dyn Rules + 'a>> {
        Some(match self {
            Scheme::None => return None,
            Scheme::FixedRatio(p) => Box::new(*p),
            Scheme::Responsibility(p) => Box::new(*p),
            Scheme::Performance(p) => Box::new(*p),
            Scheme::BudgetLinked(p) => Box::new(p.rules(ctx)),
            Scheme::Loan(p) => Box::new(p.rules()),
            Scheme::SurplusReturn(p) => Box::new(p.rules(ctx)),
        })
    }
}

/// The parameters of scheme `none`: there are none.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoParameters {}

/// Each city's share of the opening balance in the city view of the fund,
/// written to `out`: the balance split in proportion to the cities'
/// premiums of the first year (nothing when they are all 0).
pub(crate) fn notional_opening(opening_balance: f64, first_year_premiums: &[f64], out: &mut [f64]) {
    let total: f64 = first_year_premiums.iter().sum();
    for (o, p) in out.iter_mut().zip(first_year_premiums) {
        *o = if total > 0.0 {
            opening_balance * p / total
        } else {
            0.0
        };
    }
}

/// Weight of each city under a key, written to `out`.
fn key_weights(key: SharingKey, month: &FundMonth, out: &mut [f64]) {
    for (c, w) in out.iter_mut().enumerate() {
        *w = match key {
            SharingKey::PremiumIncome => month.window.total(c, Measure::Premiums),
            SharingKey::Payroll => month.window.total(c, Measure::Payroll),
            SharingKey::Insured => month.window.total(c, Measure::Insured),
            SharingKey::Expenditure => month.window.total(c, Measure::Expenditure),
            SharingKey::FiscalRevenue => month.fiscal_revenue[c],
            SharingKey::Equal => 1.0,
        };
    }
}

/// Each city's own shortfall over the window, `max(0, expenditure −
/// premiums)`; the key's weights where no city has one.
fn own_shortfall_weights(key: SharingKey, month: &FundMonth, weights: &mut [f64]) {
    for (c, w) in weights.iter_mut().enumerate() {
        let own =
            month.window.total(c, Measure::Expenditure) - month.window.total(c, Measure::Premiums);
        *w = own.max(0.0);
    }
    if weights.iter().all(|w| *w <= 0.0) {
        key_weights(key, month, weights);
    }
}

/// The share of `amount` that `weights[i]` carries (equal shares when the
/// weights are all 0).
fn portion(amount: f64, weights: &[f64], total: f64, i: usize) -> f64 {
    if total > 0.0 {
        amount * weights[i] / total
    } else {
        amount / weights.len() as f64
    }
}

/// Splits `amount` by `weights` into `out` (added), equal shares when the weights are all 0.
fn distribute(amount: f64, weights: &[f64], out: &mut [f64]) {
    let total: f64 = weights.iter().sum();
    for (i, o) in out.iter_mut().enumerate() {
        *o += portion(amount, weights, total, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A window with one month of the given premiums and expenditure.
    pub(super) fn window(premiums: &[f64], expenditure: &[f64]) -> CityWindow {
        let mut w = CityWindow::new(premiums.len());
        for (c, (p, e)) in premiums.iter().zip(expenditure).enumerate() {
            w.set(c, Measure::Premiums, *p);
            w.set(c, Measure::Expenditure, *e);
            w.set(c, Measure::Payroll, p * 100.0);
            w.set(c, Measure::Insured, 1.0);
        }
        w.commit();
        w
    }

    /// What `scheme` makes the payers pay of a gap of 1,000.
    pub(super) fn run(scheme: &Scheme, w: &CityWindow, kappa: &[f64]) -> Vec<f64> {
        let fiscal = vec![1.0; kappa.len()];
        let zero = vec![0.0; kappa.len()];
        let month = FundMonth {
            window: w,
            fiscal_revenue: &fiscal,
            collection_rate: kappa,
            premiums_due: &zero,
            city_premiums: &zero,
            city_expenditure: &zero,
        };
        let ctx = Context {
            cities: kappa.len(),
            budgeted_collection: kappa,
            city_budget: None,
            opening_balance: 0.0,
        };
        let mut weights = vec![0.0; kappa.len()];
        let mut out = vec![0.0; kappa.len() + 1];
        let mut rules = scheme.rules(&ctx).expect("a sharing scheme");
        rules.share(1000.0, &month, &mut weights, &mut out);
        out
    }

    /// Weights all 0 fall back to equal shares.
    #[test]
    fn zero_weights_mean_equal_shares() {
        let w = window(&[0.0, 0.0], &[0.0, 0.0]);
        let out = run(
            &Scheme::FixedRatio(FixedRatio {
                province: 0.0,
                key: SharingKey::PremiumIncome,
            }),
            &w,
            &[1.0; 2],
        );
        assert_eq!(out, vec![0.0, 500.0, 500.0]);
    }
}
