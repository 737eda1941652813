//! The fund side of one path (docs/model.md §3, §6–7): premiums, interest,
//! the balance, gap sharing, the months of reserve and the rate policy,
//! read off a path's claims [`Tape`] and handed month by month to an
//! [`Observer`]. It draws nothing: the same tape under the same fund rules
//! gives the same months.

use super::plan::Plan;
use super::record::{MonthRecord, Observer};
use super::tape::{Tape, TapeMonth, TapeYear, at};
use crate::model::breakdown::{Breakdown, Dims, Part};
use crate::model::drivers;
use crate::model::lines::{self, Line};
use crate::model::policy::{self, PaymentLevel, PolicyState};
use crate::model::scenario::Scenario;
use crate::model::sharing::{CityWindow, FundMonth, Measure, MonthEnd, Rules};
use crate::model::stress::YearShock;

/// The claims lines of a month, in the order of the tape.
const CLAIMS_LINES: [Line; super::tape::CLAIMS_LINES] = [
    Line::Medical,
    Line::Disability,
    Line::Death,
    Line::Investigation,
    Line::Appraisal,
];

/// Fund-side levels of the current year.
#[derive(Debug, Clone)]
struct Year {
    /// Premiums due per cell before the collection rate.
    due_base: Vec<f64>,
    premium_base: Vec<f64>,
    collection_rate: Vec<f64>,
    fiscal_revenue: Vec<f64>,
    interest_rate: f64,
    prevention: f64,
    other_expenditure: f64,
    fiscal_subsidy: f64,
    other_income: f64,
}

/// The fund side of the engine for one prepared scenario.
pub(super) struct Fund<'p> {
    plan: &'p Plan<'p>,
    s: &'p Scenario,
    cities: usize,
    sectors: usize,
    window: CityWindow,
    payment_level: PaymentLevel,
    policy: PolicyState,
    year: Year,
    /// This month's premiums due per city before the collection rate.
    premiums_due: Vec<f64>,
    /// What the payers pay of this month's gap, or get back at its end.
    scratch_payers: Vec<f64>,
    scratch_weights: Vec<f64>,
    /// The sharing scheme's rules and state for the current path (`None`:
    /// no sharing).
    rules: Option<Box<dyn Rules + 'p>>,
    record: MonthRecord,
}

impl<'p> Fund<'p> {
    /// Buffers for a prepared scenario.
    pub(super) fn new(plan: &'p Plan<'p>) -> Fund<'p> {
        let s = plan.scenario;
        let (cities, sectors) = (s.n_cities(), s.n_sectors());
        let cells = cities * sectors;
        Fund {
            plan,
            s,
            cities,
            sectors,
            window: CityWindow::new(cities),
            payment_level: PaymentLevel::new(0.0),
            policy: PolicyState::new(&s.policy, s.fund.initial_multiplier),
            year: Year {
                due_base: vec![0.0; cells],
                premium_base: vec![0.0; cells],
                collection_rate: vec![0.0; cities],
                fiscal_revenue: vec![0.0; cities],
                interest_rate: 0.0,
                prevention: 0.0,
                other_expenditure: 0.0,
                fiscal_subsidy: 0.0,
                other_income: 0.0,
            },
            premiums_due: vec![0.0; cities],
            scratch_payers: vec![0.0; cities + 1],
            scratch_weights: vec![0.0; cities],
            rules: None,
            record: MonthRecord::new(Dims { cities, sectors }),
        }
    }

    /// Runs the fund side of one path from its claims tape.
    pub(super) fn run<O: Observer>(&mut self, tape: &Tape, observer: &mut O) {
        let s = self.s;
        self.window.clear();
        self.payment_level = PaymentLevel::new(s.fund.base_year_expenditure / 12.0);
        self.policy.reset(&s.policy, s.fund.initial_multiplier);
        self.rules = s.sharing.scheme.rules(&self.plan.sharing_context());
        let mut balance = s.fund.opening_balance;
        let mut premiums_last_year = s.fund.base_year_premiums;
        let mut premiums_this_year = 0.0;
        for t in 0..s.months() {
            let m = t % 12;
            let levels = &tape.years[t / 12];
            if m == 0 {
                self.start_year(t / 12, premiums_last_year, levels);
            }
            self.record.clear(t);
            self.record.wage_index = levels.wage_index;
            self.record.disposable_index = levels.disposable_index;
            let opening = balance;
            self.income(m, balance, levels);
            self.claims(&tape.month(t));
            let income: f64 = Line::INCOME.iter().map(|l| self.record.get(*l)).sum();
            let payments: f64 = Line::PAYMENTS.iter().map(|l| self.record.get(*l)).sum();
            balance += income - payments;
            let average_payment = self.payment_level.push(payments);
            self.fill_window(levels);
            balance = self.share_gap(balance, average_payment);
            balance = self.month_end(m, balance, average_payment);
            let reserve = policy::reserve_months(balance, average_payment);
            let rec = &mut self.record;
            rec.average_payment = average_payment;
            rec.lines[Line::ClosingBalance.index()] = balance;
            rec.lines[Line::ReserveMonths.index()] = reserve;
            rec.lines[Line::RateMultiplier.index()] = self.policy.multiplier;
            lines::fill_totals(&mut rec.lines);
            // to within the rounding of the month's sums, which scales with
            // the largest amount in them, not with the balance they leave
            debug_assert!(
                {
                    let (i, e) = (rec.get(Line::IncomeTotal), rec.get(Line::ExpenditureTotal));
                    let scale = 1.0 + opening.abs() + i.abs() + e.abs() + balance.abs();
                    (opening + i - e - balance).abs() <= 1e-9 * scale
                },
                "accounting identity fails in month {t}: opening {opening:e} + income {:e} − expenditure {:e} ≠ closing {balance:e}",
                rec.get(Line::IncomeTotal),
                rec.get(Line::ExpenditureTotal)
            );
            premiums_this_year += rec.get(Line::Premiums);
            if m == 11 {
                rec.breach = Some(policy::in_breach(reserve, s.law.reserve_rule_months));
                self.policy.december(&s.policy, reserve);
                premiums_last_year = premiums_this_year;
                premiums_this_year = 0.0;
            }
            observer.month(&self.record);
        }
    }

    /// The year's premium bases, running costs and other income (docs/model.md §3, §5.3).
    fn start_year(&mut self, k: usize, premiums_last_year: f64, levels: &TapeYear) {
        let s = self.s;
        let shock = s.stress.as_ref().map_or(YearShock::NONE, |st| {
            st.year(s.start_year + k as i32, self.sectors)
        });
        let d = &levels.drivers;
        let wage_index = levels.wage_index;
        let y = &mut self.year;
        y.interest_rate = d.interest_rate;
        y.prevention = s.fund.prevention_share * premiums_last_year / 12.0;
        y.other_expenditure = s.fund.other_expenditure * wage_index / 12.0;
        y.fiscal_subsidy = s.fund.fiscal_subsidy(k) / 12.0;
        y.other_income = s.fund.other_income(k) / 12.0;
        let multiplier = self.policy.multiplier;
        if let Some(rules) = &mut self.rules {
            rules.start_year(k);
        }
        for (c, city) in s.cities.iter().enumerate() {
            let kappa = drivers::collection_rate(
                city.collection_rate + shock.collection_shift,
                s.drivers.collection_shock.sd,
                d.collection_shock,
            );
            y.collection_rate[c] = kappa;
            y.fiscal_revenue[c] = city.fiscal_revenue * wage_index;
            for sec in 0..self.sectors {
                let cell = c * self.sectors + sec;
                let rate = s.scheduled_rate(k, sec) * multiplier;
                y.due_base[cell] = levels.insured[cell] * levels.wage[cell] * rate;
                y.premium_base[cell] = y.due_base[cell] * kappa;
            }
        }
    }

    /// Step 1: premiums, interest on last month's balance, subsidy and other income.
    fn income(&mut self, m: usize, balance: f64, levels: &TapeYear) {
        let s = self.s;
        let season = s.economy.season[m];
        let y = &self.year;
        let rec = &mut self.record;
        let b = rec.breakdown.parts_mut();
        for c in 0..self.cities {
            for sec in 0..self.sectors {
                let cell = c * self.sectors + sec;
                let premiums = y.premium_base[cell] * season;
                b.city_premiums[c] += premiums;
                b.sector_premiums[sec] += premiums;
                b.sector_payroll[sec] += levels.insured[cell] * levels.wage[cell];
                rec.insured += levels.insured[cell];
            }
        }
        let premiums: f64 = b.city_premiums.iter().sum();
        if let Some(rules) = &mut self.rules {
            for (c, due) in self.premiums_due.iter_mut().enumerate() {
                let base: f64 = (0..self.sectors)
                    .map(|sec| y.due_base[c * self.sectors + sec])
                    .sum();
                *due = base * season;
            }
            rules.after_income(&fund_month(
                &self.window,
                y,
                &self.premiums_due,
                &rec.breakdown,
            ));
        }
        rec.add(Line::Premiums, premiums);
        rec.add(Line::Interest, balance.max(0.0) * y.interest_rate / 12.0);
        rec.add(Line::FiscalSubsidy, y.fiscal_subsidy);
        rec.add(Line::OtherIncome, y.other_income);
    }

    /// Steps 2–4 as the claims side made them, and the running costs.
    fn claims(&mut self, month: &TapeMonth<'_>) {
        let rec = &mut self.record;
        rec.cases = month.scalar(at::CASES);
        rec.graded = month.scalar(at::GRADED);
        rec.deaths = month.scalar(at::DEATHS);
        rec.new_stock_people = month.scalar(at::NEW_STOCK_PEOPLE);
        for (i, h) in rec.heads.iter_mut().enumerate() {
            *h = month.scalar(at::HEADS + i);
        }
        let b = rec.breakdown.parts_mut();
        b.city_expenditure.copy_from_slice(month.city_expenditure());
        b.city_lines.copy_from_slice(month.city_lines());
        b.sector_expenditure
            .copy_from_slice(month.sector_expenditure());
        for (i, line) in CLAIMS_LINES.iter().enumerate() {
            rec.add(*line, month.line(i));
        }
        rec.add(Line::Prevention, self.year.prevention);
        rec.add(Line::OtherExpenditure, self.year.other_expenditure);
    }

    /// Records this month's per-city measures in the 12-month window.
    fn fill_window(&mut self, levels: &TapeYear) {
        let b = &self.record.breakdown;
        let premiums = b.part(Part::CityPremiums);
        let expenditure = b.part(Part::CityExpenditure);
        for c in 0..self.cities {
            let cells = c * self.sectors..(c + 1) * self.sectors;
            let payroll: f64 = cells
                .clone()
                .map(|i| levels.insured[i] * levels.wage[i])
                .sum();
            let insured: f64 = cells.map(|i| levels.insured[i]).sum();
            self.window.set(c, Measure::Premiums, premiums[c]);
            self.window.set(c, Measure::Payroll, payroll);
            self.window.set(c, Measure::Insured, insured);
            self.window.set(c, Measure::Expenditure, expenditure[c]);
        }
        self.window.commit();
    }

    /// Step 5: a balance below the floor is lifted by the payers (docs/model.md §7).
    fn share_gap(&mut self, balance: f64, average_payment: f64) -> f64 {
        let Some(rules) = &mut self.rules else {
            return balance;
        };
        let floor = self.s.sharing.floor_months * average_payment.max(0.0);
        if balance >= floor {
            return balance;
        }
        let gap = floor - balance;
        let month = fund_month(
            &self.window,
            &self.year,
            &self.premiums_due,
            &self.record.breakdown,
        );
        self.scratch_payers.fill(0.0);
        rules.share(
            gap,
            &month,
            &mut self.scratch_weights,
            &mut self.scratch_payers,
        );
        self.record
            .breakdown
            .part_mut(Part::GapByPayer)
            .copy_from_slice(&self.scratch_payers);
        self.record.add(Line::GapTransfers, gap);
        floor
    }

    /// Step 5, continued: the scheme may pay money back to the payers and
    /// sets its own lines; what it pays back is expenditure of the month.
    fn month_end(&mut self, m: usize, balance: f64, average_payment: f64) -> f64 {
        let Some(rules) = &mut self.rules else {
            return balance;
        };
        let rec = &mut self.record;
        let month = fund_month(&self.window, &self.year, &self.premiums_due, &rec.breakdown);
        self.scratch_payers.fill(0.0);
        let mut end = MonthEnd {
            year: rec.year,
            december: m == 11,
            balance,
            average_payment,
            floor: self.s.sharing.floor_months * average_payment.max(0.0),
            returned: &mut self.scratch_payers,
            lines: &mut rec.lines,
        };
        rules.month_end(&month, &mut end);
        let returned: f64 = self.scratch_payers.iter().sum();
        if returned == 0.0 {
            return balance;
        }
        rec.breakdown
            .part_mut(Part::ReturnedToPayer)
            .copy_from_slice(&self.scratch_payers);
        rec.add(Line::Returned, returned);
        balance - returned
    }
}

/// What a sharing scheme sees of the month so far.
fn fund_month<'a>(
    window: &'a CityWindow,
    year: &'a Year,
    premiums_due: &'a [f64],
    breakdown: &'a Breakdown<f64>,
) -> FundMonth<'a> {
    FundMonth {
        window,
        fiscal_revenue: &year.fiscal_revenue,
        collection_rate: &year.collection_rate,
        premiums_due,
        city_premiums: breakdown.part(Part::CityPremiums),
        city_expenditure: breakdown.part(Part::CityExpenditure),
    }
}
