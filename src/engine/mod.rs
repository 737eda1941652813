//! One projection path, month by month, in the order of docs/model.md §6:
//! income, new cases, stocks, expenditure and the balance, gap sharing, the
//! months of reserve and (in December) the breach test and the policy.
//!
//! The [`Engine`] holds flat state indexed by city × sector (`cell = c · S +
//! s`) and allocates nothing per month once built: [`Engine::run`] resets it
//! and can be called for path after path. Randomness comes from a
//! [`Sampler`] (the expected-value mode or a Monte Carlo stream), the gap
//! sharing scheme's rules from the scenario, and every month is handed to an
//! [`Observer`]. [`expected_value`] is the one expected-value projection of
//! a scenario. The engine knows nothing of files, formats or commands.

mod plan;
mod record;

pub(crate) use plan::Plan;
pub(crate) use record::{MonthRecord, Observer};

use crate::model::breakdown::{Breakdown, CITY_LINES, Dims, Part};
use crate::model::cases::{DEATH, DEATH_KIND, GRADES, KINDS, OUTCOMES, PerKind, PerOutcome};
use crate::model::claims::{self, CaseCosts};
use crate::model::drivers::{self, Indices};
use crate::model::lines::{self, Line};
use crate::model::policy::{self, PaymentLevel, PolicyState};
use crate::model::sampling::{Expected, Sampler};
use crate::model::scenario::Scenario;
use crate::model::schedule::{Schedule, item};
use crate::model::sharing::{CityWindow, FundMonth, Measure, MonthEnd, Rules};
use crate::model::stocks::{self, Stock, StockCell};
use crate::model::stress::YearShock;

/// The expected-value projection of a scenario (docs/model.md §10): every
/// month of the one path on which each random quantity is its mean.
pub(crate) fn expected_value(s: &Scenario) -> Vec<MonthRecord> {
    let plan = Plan::new(s);
    let mut months = Vec::with_capacity(s.months());
    Engine::new(&plan).run(&mut Expected, &mut months);
    months
}

/// Levels of the current year, per cell unless said otherwise.
#[derive(Debug, Clone)]
struct Year {
    insured: Vec<f64>,
    wage: Vec<f64>,
    benefit_wage: Vec<f64>,
    /// Premiums due before the collection rate.
    due_base: Vec<f64>,
    premium_base: Vec<f64>,
    /// Cases by cell, month of the year and kind: `[(cell · 12 + m) · KINDS + kind]`.
    counts: Vec<f64>,
    collection_rate: Vec<f64>,
    fiscal_revenue: Vec<f64>,
    costs: CaseCosts,
    interest_rate: f64,
    index_factor: f64,
    /// A stress overlay's catastrophe this year: (cell, calendar month, deaths).
    forced_catastrophe: Option<(usize, usize, f64)>,
    average_wage_prev: f64,
    prevention: f64,
    other_expenditure: f64,
    fiscal_subsidy: f64,
    other_income: f64,
}

/// The projection engine for one prepared scenario.
pub(crate) struct Engine<'p> {
    plan: &'p Plan<'p>,
    s: &'p Scenario,
    cities: usize,
    sectors: usize,
    sched: Schedule,
    stocks: Vec<StockCell>,
    window: CityWindow,
    payment_level: PaymentLevel,
    policy: PolicyState,
    indices: Indices,
    lambda: Vec<f64>,
    year: Year,
    extra_deaths: Vec<f64>,
    pipeline_counts: Vec<f64>,
    city_outcomes: Vec<PerOutcome>,
    scratch_city: Vec<f64>,
    scratch_weights: Vec<f64>,
    /// This month's premiums due per city before the collection rate.
    premiums_due: Vec<f64>,
    /// What the payers pay of this month's gap, or get back at its end.
    scratch_payers: Vec<f64>,
    /// The sharing scheme's rules and state for the current path (`None`:
    /// no sharing).
    rules: Option<Box<dyn Rules + 'p>>,
    record: MonthRecord,
}

impl<'p> Engine<'p> {
    /// Builds the engine and its buffers for a prepared scenario.
    pub(crate) fn new(plan: &'p Plan<'p>) -> Engine<'p> {
        let s = plan.scenario;
        let (cities, sectors) = (s.n_cities(), s.n_sectors());
        let cells = cities * sectors;
        let costs = CaseCosts::new(s, 1.0, 1.0, 1.0, 1.0);
        Engine {
            plan,
            s,
            cities,
            sectors,
            sched: Schedule::new(s.lags.longest(), cells, s.months()),
            stocks: vec![StockCell::default(); cells],
            window: CityWindow::new(cities),
            payment_level: PaymentLevel::new(0.0),
            policy: PolicyState::new(&s.policy, s.fund.initial_multiplier),
            indices: Indices::base(sectors),
            lambda: vec![1.0; sectors],
            year: Year {
                insured: vec![0.0; cells],
                wage: vec![0.0; cells],
                benefit_wage: vec![0.0; cells],
                due_base: vec![0.0; cells],
                premium_base: vec![0.0; cells],
                counts: vec![0.0; cells * 12 * KINDS],
                collection_rate: vec![0.0; cities],
                fiscal_revenue: vec![0.0; cities],
                costs,
                interest_rate: 0.0,
                index_factor: 1.0,
                forced_catastrophe: None,
                average_wage_prev: 0.0,
                prevention: 0.0,
                other_expenditure: 0.0,
                fiscal_subsidy: 0.0,
                other_income: 0.0,
            },
            extra_deaths: vec![0.0; cells],
            pipeline_counts: vec![0.0; sectors * s.lags.longest() * KINDS],
            city_outcomes: vec![[0.0; OUTCOMES]; sectors],
            scratch_city: vec![0.0; cities],
            scratch_weights: vec![0.0; cities],
            premiums_due: vec![0.0; cities],
            scratch_payers: vec![0.0; cities + 1],
            rules: None,
            record: MonthRecord::new(Dims { cities, sectors }),
        }
    }

    /// Runs one path from the opening position to the horizon.
    pub(crate) fn run<S: Sampler, O: Observer>(&mut self, sampler: &mut S, observer: &mut O) {
        let s = self.s;
        self.reset(sampler);
        self.pipeline(sampler);
        let mut balance = s.fund.opening_balance;
        let mut premiums_last_year = s.fund.base_year_premiums;
        let mut premiums_this_year = 0.0;
        for t in 0..s.months() {
            let m = t % 12;
            if m == 0 {
                self.start_year(t / 12, premiums_last_year, sampler);
            }
            self.record.clear(t);
            self.record.wage_index = self.indices.wage;
            self.record.disposable_index = self.indices.disposable;
            let opening = balance;
            self.income(m, balance);
            self.new_cases(t, sampler);
            self.stocks_and_payments(t, sampler);
            let income: f64 = Line::INCOME.iter().map(|l| self.record.get(*l)).sum();
            let payments: f64 = Line::PAYMENTS.iter().map(|l| self.record.get(*l)).sum();
            balance += income - payments;
            let average_payment = self.payment_level.push(payments);
            self.fill_window();
            balance = self.share_gap(balance, average_payment);
            balance = self.month_end(m, balance, average_payment);
            let reserve = policy::reserve_months(balance, average_payment);
            let rec = &mut self.record;
            rec.average_payment = average_payment;
            rec.lines[Line::ClosingBalance.index()] = balance;
            rec.lines[Line::ReserveMonths.index()] = reserve;
            rec.lines[Line::RateMultiplier.index()] = self.policy.multiplier;
            lines::fill_totals(&mut rec.lines);
            debug_assert!(
                (opening + rec.get(Line::IncomeTotal) - rec.get(Line::ExpenditureTotal) - balance)
                    .abs()
                    <= 1e-6 * (1.0 + balance.abs()),
                "accounting identity fails in month {t}"
            );
            premiums_this_year += rec.get(Line::Premiums);
            if m == 11 {
                rec.breach = Some(policy::in_breach(reserve, s.law.reserve_rule_months));
                self.policy.december(&s.policy, reserve);
                premiums_last_year = premiums_this_year;
                premiums_this_year = 0.0;
            }
            observer.month(&self.record);
            self.sched.release(t);
        }
    }

    fn reset<S: Sampler>(&mut self, sampler: &mut S) {
        let s = self.s;
        self.sched.clear();
        sampler.start_path(self.stocks.len(), s.months());
        stocks::opening(s, sampler.whole_heads(), &mut self.stocks);
        for (cell, stock) in self.stocks.iter().enumerate() {
            // opening heads are present before month 0, exposed to exits from month 0 on
            for which in Stock::ALL {
                let heads = stock.heads(which);
                if heads > 0.0 {
                    sampler.joined(which, cell, -1, heads, which.exit_hazard(s));
                }
            }
        }
        self.window.clear();
        self.payment_level = PaymentLevel::new(s.fund.base_year_expenditure / 12.0);
        self.policy.reset(&s.policy, s.fund.initial_multiplier);
        self.indices.reset();
        for (l, sec) in self.lambda.iter_mut().zip(&s.sectors) {
            *l = sampler.frequency_multiplier(sec.frequency_cv);
        }
        self.rules = s.sharing.scheme.rules(&self.plan.sharing_context());
    }

    /// Cases incurred in the `U` months before the start, at base-year levels
    /// (docs/model.md §5.4): every index 1, `K = K_base`, `Λ = 1`, no
    /// catastrophes.
    /// Their payments and joinings from month 0 on are scheduled.
    fn pipeline<S: Sampler>(&mut self, sampler: &mut S) {
        let s = self.s;
        let costs = CaseCosts::new(s, 1.0, 1.0, 1.0, 1.0);
        let aw = s.economy.average_monthly_wage;
        let longest = s.lags.longest();
        let sectors = self.sectors;
        let block = longest * KINDS;
        for (c, city) in s.cities.iter().enumerate() {
            for sec in 0..sectors {
                let means = claims::expected_kinds(
                    s,
                    sec,
                    city.insured[sec],
                    city.relative_risk,
                    s.claims.base_year_intensity,
                    1.0,
                );
                sampler.kind_counts(
                    &means,
                    longest,
                    &mut self.pipeline_counts[sec * block..(sec + 1) * block],
                );
            }
            for (i, u) in (-(longest as i64)..0).enumerate() {
                for sec in 0..sectors {
                    let cell = c * sectors + sec;
                    let at = sec * block + i * KINDS;
                    let n: &PerKind = self.pipeline_counts[at..at + KINDS]
                        .try_into()
                        .expect("a month of kinds");
                    let wage = claims::benefit_wage(s, city.monthly_wage[sec], aw);
                    self.city_outcomes[sec] =
                        claims::incur(s, &mut self.sched, sampler, u, cell, n, &costs, wage);
                }
                claims::medical(
                    s,
                    &mut self.sched,
                    sampler,
                    u,
                    c * sectors,
                    &self.city_outcomes,
                    &costs,
                );
            }
        }
    }

    /// Draws year `k`'s drivers and computes the year's levels (docs/model.md §2–3, §5.3).
    fn start_year<S: Sampler>(&mut self, k: usize, premiums_last_year: f64, sampler: &mut S) {
        let s = self.s;
        let shock = s.stress.as_ref().map_or(YearShock::NONE, |st| {
            st.year(s.start_year + k as i32, self.sectors)
        });
        let mut d = sampler.drivers(k, &s.drivers);
        d.wage_growth = shock.wage_growth(d.wage_growth);
        d.interest_rate = shock.interest_rate(d.interest_rate);
        self.indices.advance(&d, s, shock.employment_shift);
        let ix = &self.indices;
        let y = &mut self.year;
        y.costs = CaseCosts::new(s, ix.wage, ix.wage_prev, ix.medical, ix.disposable_prev);
        y.average_wage_prev = y.costs.average_wage_prev;
        y.interest_rate = d.interest_rate;
        y.index_factor = 1.0 + shock.indexation(s.stocks.indexation * d.wage_growth);
        y.forced_catastrophe = shock.catastrophe;
        y.prevention = s.fund.prevention_share * premiums_last_year / 12.0;
        y.other_expenditure = s.fund.other_expenditure * ix.wage / 12.0;
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
            y.fiscal_revenue[c] = city.fiscal_revenue * ix.wage;
            for sec in 0..self.sectors {
                let cell = c * self.sectors + sec;
                let insured = city.insured[sec] * ix.employment[sec];
                let wage = city.monthly_wage[sec] * ix.wage;
                y.insured[cell] = insured;
                y.wage[cell] = wage;
                y.benefit_wage[cell] = claims::benefit_wage(s, wage, y.average_wage_prev);
                let rate = s.scheduled_rate(k, sec) * multiplier;
                y.due_base[cell] = insured * wage * rate;
                y.premium_base[cell] = y.due_base[cell] * kappa;
                let means = claims::expected_kinds(
                    s,
                    sec,
                    insured,
                    city.relative_risk,
                    d.claim_intensity * shock.frequency_factor,
                    self.lambda[sec],
                );
                let counts = &mut y.counts[cell * 12 * KINDS..(cell + 1) * 12 * KINDS];
                sampler.kind_counts(&means, 12, counts);
            }
        }
    }

    /// Step 1: premiums, interest on last month's balance, subsidy and other income.
    fn income(&mut self, m: usize, balance: f64) {
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
                b.sector_payroll[sec] += y.insured[cell] * y.wage[cell];
                rec.insured += y.insured[cell];
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

    /// Step 2: the month's new cases, catastrophes included, and everything they schedule.
    fn new_cases<S: Sampler>(&mut self, t: usize, sampler: &mut S) {
        let s = self.s;
        let (cities, sectors) = (self.cities, self.sectors);
        self.extra_deaths.fill(0.0);
        for (sec, sector) in s.sectors.iter().enumerate() {
            if sector.catastrophe_rate <= 0.0 {
                continue;
            }
            for c in 0..cities {
                self.scratch_weights[c] = self.year.insured[c * sectors + sec];
            }
            self.scratch_city.fill(0.0);
            sampler.catastrophe_deaths(
                sector.catastrophe_rate / 12.0,
                sector.catastrophe_size,
                sector.catastrophe_size_shape,
                &self.scratch_weights,
                &mut self.scratch_city,
            );
            for c in 0..cities {
                self.extra_deaths[c * sectors + sec] = self.scratch_city[c];
            }
        }
        if let Some((cell, month, deaths)) = self.year.forced_catastrophe
            && month == t % 12 + 1
        {
            self.extra_deaths[cell] += deaths;
        }
        let y = &self.year;
        let rec = &mut self.record;
        let m = t % 12;
        for c in 0..cities {
            for sec in 0..sectors {
                let cell = c * sectors + sec;
                let at = (cell * 12 + m) * KINDS;
                let mut n: PerKind = y.counts[at..at + KINDS]
                    .try_into()
                    .expect("a month of kinds");
                n[DEATH_KIND] += self.extra_deaths[cell];
                let outcomes = claims::incur(
                    s,
                    &mut self.sched,
                    sampler,
                    t as i64,
                    cell,
                    &n,
                    &y.costs,
                    y.benefit_wage[cell],
                );
                rec.cases += outcomes.iter().sum::<f64>();
                rec.graded += outcomes[1..=GRADES].iter().sum::<f64>();
                rec.deaths += outcomes[DEATH];
                self.city_outcomes[sec] = outcomes;
            }
            claims::medical(
                s,
                &mut self.sched,
                sampler,
                t as i64,
                c * sectors,
                &self.city_outcomes,
                &y.costs,
            );
        }
    }

    /// Steps 3–4: stocks (exits, joiners, indexation, payment) and the
    /// one-off payments due this month, attributed to city and sector.
    fn stocks_and_payments<S: Sampler>(&mut self, t: usize, sampler: &mut S) {
        let s = self.s;
        let m = t % 12;
        let index_now = m + 1 == s.stocks.index_month;
        let y = &self.year;
        let rec = &mut self.record;
        let b = rec.breakdown.parts_mut();
        let due_all = self.sched.due(t);
        let (mut medical, mut disability, mut death, mut investigation, mut appraisal) =
            (0.0, 0.0, 0.0, 0.0, 0.0);
        for c in 0..self.cities {
            for sec in 0..self.sectors {
                let cell = c * self.sectors + sec;
                let due = &due_all[cell * item::N..(cell + 1) * item::N];
                let stock = &mut self.stocks[cell];
                for which in Stock::ALL {
                    let leavers =
                        sampler.leavers(which, cell, t, stock.heads(which), which.exit_hazard(s));
                    stock.remove(which, leavers);
                }
                for which in Stock::ALL {
                    let heads = which.joining(due);
                    if heads > 0.0 {
                        sampler.joined(which, cell, t as i64, heads, which.exit_hazard(s));
                    }
                }
                stock.join(due);
                if index_now {
                    stock.index(y.index_factor);
                }
                if m == 11 {
                    for which in Stock::ALL {
                        rec.heads[which as usize] += stock.heads(which);
                    }
                }
                let paid = stock.payments(y.average_wage_prev);
                rec.new_stock_people += if m == 0 {
                    stock.people()
                } else {
                    due[item::DISABILITY_HEADS] + due[item::SURVIVOR_HEADS]
                };
                let cell_disability = paid.disability + due[item::DISABILITY_ONE_OFF];
                let cell_death = paid.death + due[item::DEATH_ONE_OFF];
                let cell_total = due[item::MEDICAL]
                    + cell_disability
                    + cell_death
                    + due[item::INVESTIGATION]
                    + due[item::APPRAISAL];
                medical += due[item::MEDICAL];
                disability += cell_disability;
                death += cell_death;
                investigation += due[item::INVESTIGATION];
                appraisal += due[item::APPRAISAL];
                b.city_expenditure[c] += cell_total;
                let at = c * CITY_LINES.len();
                b.city_lines[at] += due[item::MEDICAL];
                b.city_lines[at + 1] += cell_disability;
                b.city_lines[at + 2] += cell_death;
                b.city_lines[at + 3] += due[item::INVESTIGATION];
                b.city_lines[at + 4] += due[item::APPRAISAL];
                b.sector_expenditure[sec] += cell_total;
            }
        }
        rec.add(Line::Medical, medical);
        rec.add(Line::Disability, disability);
        rec.add(Line::Death, death);
        rec.add(Line::Investigation, investigation);
        rec.add(Line::Appraisal, appraisal);
        rec.add(Line::Prevention, y.prevention);
        rec.add(Line::OtherExpenditure, y.other_expenditure);
    }

    /// Records this month's per-city measures in the 12-month window.
    fn fill_window(&mut self) {
        let b = &self.record.breakdown;
        let premiums = b.part(Part::CityPremiums);
        let expenditure = b.part(Part::CityExpenditure);
        let y = &self.year;
        for c in 0..self.cities {
            let cells = c * self.sectors..(c + 1) * self.sectors;
            let payroll: f64 = cells.clone().map(|i| y.insured[i] * y.wage[i]).sum();
            let insured: f64 = cells.map(|i| y.insured[i]).sum();
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
