//! One projection path, month by month, in the order of MODEL.md section 6:
//! income, new cases, stocks, expenditure and the balance, gap sharing, the
//! months of reserve and (in December) the breach test and the policy.
//!
//! The [`Engine`] holds flat state indexed by city × sector (`cell = c · S + s`)
//! and allocates nothing once built: [`Engine::run`] resets it and can be
//! called for path after path. Randomness comes from a
//! [`Sampler`] (the expected-value mode or a Monte
//! Carlo stream), and every month is handed to an [`Observer`], which keeps
//! what it needs; the engine keeps no history.

use crate::claims::{self, CaseCosts, DEATH_KIND, KINDS, PerKind, Schedule, item};
use crate::drivers::{self, Indices};
use crate::lines::{self, Line, LineValues, N_LINES};
use crate::policy::{self, PaymentLevel, PolicyState};
use crate::sampling::Sampler;
use crate::scenario::{DEATH, GRADES, OUTCOMES, PerOutcome, Scenario, Scheme};
use crate::sharing::{self, BudgetBook, CityWindow, KeyInputs, Measure};
use crate::stocks::{self, StockCell};
use crate::stress::YearShock;

/// The expenditure lines attributed to a city, in the order of
/// [`MonthRecord::city_lines`].
pub const CITY_LINES: [Line; 5] = [
    Line::Medical,
    Line::Disability,
    Line::Death,
    Line::Investigation,
    Line::Appraisal,
];

/// Everything that happened in one month of one path.
#[derive(Debug, Clone)]
pub struct MonthRecord {
    /// Month index `t` from 0.
    pub t: usize,
    /// Projection year `k`.
    pub year: usize,
    /// Calendar month, 1–12.
    pub month: usize,
    /// Every line (flows of the month, balance and reserve at its end).
    pub lines: LineValues,
    /// Premiums by city.
    pub city_premiums: Vec<f64>,
    /// Case and stock expenditure by city (provincial lines excluded).
    pub city_expenditure: Vec<f64>,
    /// The same by city and line: `[city · 5 + i]`, `i` in the order of
    /// [`CITY_LINES`].
    pub city_lines: Vec<f64>,
    /// Payroll by sector.
    pub sector_payroll: Vec<f64>,
    /// Premiums by sector.
    pub sector_premiums: Vec<f64>,
    /// Case and stock expenditure by sector.
    pub sector_expenditure: Vec<f64>,
    /// Gap transfers by payer: `[0]` the province, `[1 + c]` city `c`.
    pub gap_by_payer: Vec<f64>,
    /// Insured workers in the month.
    pub insured: f64,
    /// Recognised injuries incurred in the month (catastrophe deaths included).
    pub cases: f64,
    /// Of which graded 1–10.
    pub graded: f64,
    /// Of which deaths.
    pub deaths: f64,
    /// Stock recipients paid for the first time this year: every head paid in
    /// January, the joiners in later months.
    pub new_stock_people: f64,
    /// `Ē_t`, the average monthly payment level.
    pub average_payment: f64,
    /// In December: whether the fund is in breach of the 12-month rule.
    pub breach: Option<bool>,
}

impl MonthRecord {
    fn new(cities: usize, sectors: usize) -> MonthRecord {
        MonthRecord {
            t: 0,
            year: 0,
            month: 1,
            lines: [0.0; N_LINES],
            city_premiums: vec![0.0; cities],
            city_expenditure: vec![0.0; cities],
            city_lines: vec![0.0; cities * CITY_LINES.len()],
            sector_payroll: vec![0.0; sectors],
            sector_premiums: vec![0.0; sectors],
            sector_expenditure: vec![0.0; sectors],
            gap_by_payer: vec![0.0; cities + 1],
            insured: 0.0,
            cases: 0.0,
            graded: 0.0,
            deaths: 0.0,
            new_stock_people: 0.0,
            average_payment: 0.0,
            breach: None,
        }
    }

    fn clear(&mut self, t: usize) {
        self.t = t;
        self.year = t / 12;
        self.month = t % 12 + 1;
        self.lines = [0.0; N_LINES];
        for v in [
            &mut self.city_premiums,
            &mut self.city_expenditure,
            &mut self.city_lines,
            &mut self.sector_payroll,
            &mut self.sector_premiums,
            &mut self.sector_expenditure,
            &mut self.gap_by_payer,
        ] {
            v.fill(0.0);
        }
        self.insured = 0.0;
        self.cases = 0.0;
        self.graded = 0.0;
        self.deaths = 0.0;
        self.new_stock_people = 0.0;
        self.breach = None;
    }

    /// The value of one line.
    pub fn get(&self, line: Line) -> f64 {
        self.lines[line.index()]
    }

    fn add(&mut self, line: Line, v: f64) {
        self.lines[line.index()] += v;
    }
}

/// Receives every month of a path.
pub trait Observer {
    /// Called once per month, after the month is complete.
    fn month(&mut self, record: &MonthRecord);
}

/// Keeps every month (the expected-value mode's monthly table).
impl Observer for Vec<MonthRecord> {
    fn month(&mut self, record: &MonthRecord) {
        self.push(record.clone());
    }
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

/// The projection engine for one scenario.
pub struct Engine<'s> {
    s: &'s Scenario,
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
    /// The budget-linked scheme's budgets and year-to-date books.
    book: BudgetBook,
    record: MonthRecord,
}

impl<'s> Engine<'s> {
    /// Builds the engine and its buffers for a scenario.
    pub fn new(s: &'s Scenario) -> Engine<'s> {
        let (cities, sectors) = (s.n_cities(), s.n_sectors());
        let cells = cities * sectors;
        let costs = CaseCosts::new(s, 1.0, 1.0, 1.0, 1.0);
        Engine {
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
            book: match s.sharing.scheme {
                Scheme::BudgetLinked { .. } => budget_book(s),
                _ => BudgetBook::default(),
            },
            record: MonthRecord::new(cities, sectors),
        }
    }

    /// The scenario.
    pub fn scenario(&self) -> &'s Scenario {
        self.s
    }

    /// Runs one path from the opening position to the horizon.
    pub fn run<S: Sampler, O: Observer>(&mut self, sampler: &mut S, observer: &mut O) {
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
            let opening = balance;
            self.income(m, balance);
            self.new_cases(t, sampler);
            self.stocks_and_payments(t, sampler);
            let income: f64 = Line::INCOME.iter().map(|l| self.record.get(*l)).sum();
            let expenditure: f64 = Line::EXPENDITURE.iter().map(|l| self.record.get(*l)).sum();
            balance += income - expenditure;
            let average_payment = self.payment_level.push(expenditure);
            self.fill_window();
            balance = self.share_gap(balance, average_payment);
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
            stock.opened(s, sampler, cell);
        }
        self.window.clear();
        self.payment_level = PaymentLevel::new(s.fund.base_year_expenditure / 12.0);
        self.policy.reset(&s.policy, s.fund.initial_multiplier);
        self.indices.reset();
        for (l, sec) in self.lambda.iter_mut().zip(&s.sectors) {
            *l = sampler.frequency_multiplier(sec.frequency_cv);
        }
    }

    /// Cases incurred in the `U` months before the start, at base-year levels
    /// (MODEL.md section 5): every index 1, `K = Λ = 1`, no catastrophes.
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
                let means =
                    claims::expected_kinds(s, sec, city.insured[sec], city.relative_risk, 1.0, 1.0);
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

    /// Draws year `k`'s drivers and computes the year's levels (MODEL.md sections 2–3, 5.3).
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
        if !self.book.budget_gap.is_empty() {
            self.book.start_year(k);
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
        for c in 0..self.cities {
            for sec in 0..self.sectors {
                let cell = c * self.sectors + sec;
                let premiums = y.premium_base[cell] * season;
                rec.city_premiums[c] += premiums;
                rec.sector_premiums[sec] += premiums;
                rec.sector_payroll[sec] += y.insured[cell] * y.wage[cell];
                rec.insured += y.insured[cell];
            }
        }
        if !self.book.budget_gap.is_empty() {
            // premiums lost to collection below the city's budgeted rate
            for (c, city) in s.cities.iter().enumerate() {
                let lost = (city.collection_rate - y.collection_rate[c]).max(0.0);
                if lost > 0.0 {
                    let due: f64 = (0..self.sectors)
                        .map(|sec| y.due_base[c * self.sectors + sec])
                        .sum();
                    self.book.collection_shortfall[c] += due * season * lost;
                }
            }
        }
        let premiums: f64 = rec.city_premiums.iter().sum();
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
        if let Some((cell, month, deaths)) = self.year.forced_catastrophe {
            if month == t % 12 + 1 {
                self.extra_deaths[cell] += deaths;
            }
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
        let due_all = self.sched.due(t);
        let (mut medical, mut disability, mut death, mut investigation, mut appraisal) =
            (0.0, 0.0, 0.0, 0.0, 0.0);
        for c in 0..self.cities {
            for sec in 0..self.sectors {
                let cell = c * self.sectors + sec;
                let due = &due_all[cell * item::N..(cell + 1) * item::N];
                let stock = &mut self.stocks[cell];
                stock.exits(s, sampler, cell, t);
                stock.join(s, sampler, cell, t, due);
                if index_now {
                    stock.index(y.index_factor);
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
                rec.city_expenditure[c] += cell_total;
                let at = c * CITY_LINES.len();
                rec.city_lines[at] += due[item::MEDICAL];
                rec.city_lines[at + 1] += cell_disability;
                rec.city_lines[at + 2] += cell_death;
                rec.city_lines[at + 3] += due[item::INVESTIGATION];
                rec.city_lines[at + 4] += due[item::APPRAISAL];
                rec.sector_expenditure[sec] += cell_total;
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
        let rec = &self.record;
        let y = &self.year;
        for c in 0..self.cities {
            let cells = c * self.sectors..(c + 1) * self.sectors;
            let payroll: f64 = cells.clone().map(|i| y.insured[i] * y.wage[i]).sum();
            let insured: f64 = cells.map(|i| y.insured[i]).sum();
            self.window.set(c, Measure::Premiums, rec.city_premiums[c]);
            self.window.set(c, Measure::Payroll, payroll);
            self.window.set(c, Measure::Insured, insured);
            self.window
                .set(c, Measure::Expenditure, rec.city_expenditure[c]);
        }
        self.window.commit();
    }

    /// Step 5: a balance below the floor is lifted by the payers (MODEL.md section 7).
    fn share_gap(&mut self, balance: f64, average_payment: f64) -> f64 {
        let sharing = &self.s.sharing;
        if matches!(sharing.scheme, Scheme::None) {
            return balance;
        }
        let floor = sharing.floor_months * average_payment.max(0.0);
        if balance >= floor {
            return balance;
        }
        let gap = floor - balance;
        let inputs = KeyInputs {
            window: &self.window,
            fiscal_revenue: &self.year.fiscal_revenue,
            collection_rate: &self.year.collection_rate,
        };
        sharing::share(
            &sharing.scheme,
            gap,
            &inputs,
            &mut self.scratch_weights,
            &mut self.book,
            &mut self.record.gap_by_payer,
        );
        self.record.add(Line::GapTransfers, gap);
        floor
    }
}

/// The budget-linked scheme's books: each city's budgeted gap and
/// expenditure by year, from the expected-value projection of the scenario
/// without stress and without gap sharing (sharing moves the balance, not a
/// city's premiums or payments).
fn budget_book(s: &Scenario) -> BudgetBook {
    let mut plain = s.clone();
    plain.stress = None;
    plain.sharing.scheme = Scheme::None;
    let mut months = Vec::new();
    Engine::new(&plain).run(&mut crate::sampling::Expected, &mut months);
    let years = crate::stats::YearAccumulator::from_months(&plain, &months);
    let gap = years
        .iter()
        .map(|y| {
            y.city_expenditure
                .iter()
                .zip(&y.city_premiums)
                .map(|(e, p)| (e - p).max(0.0))
                .collect()
        })
        .collect();
    let expenditure = years.iter().map(|y| y.city_expenditure.clone()).collect();
    BudgetBook::new(gap, expenditure)
}
