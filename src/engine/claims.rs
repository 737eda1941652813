//! The claims side of one path (docs/model.md §2–5): the drivers and index
//! levels, the new cases (pipeline, monthly and catastrophe), everything
//! they schedule, and the stocks, written month by month to a [`Tape`].
//! Every draw of a path is made here, in the order of §6; nothing here
//! reads premiums, the balance, the rate policy or gap sharing.

use super::tape::{CLAIMS_LINES, Tape, TapeMonthMut, TapeYear, at};
use crate::model::breakdown::CITY_LINES;
use crate::model::cases::{DEATH, GRADES, KINDS, OUTCOMES, PerKind, PerOutcome};
use crate::model::claims::{self, CaseCosts};
use crate::model::drivers::{Indices, YearDrivers};
use crate::model::sampling::Sampler;
use crate::model::scenario::Scenario;
use crate::model::schedule::{Schedule, item};
use crate::model::stocks::{self, Stock, StockCell};
use crate::model::stress::YearShock;

/// Claims-side levels of the current year, per cell unless said otherwise.
#[derive(Debug, Clone)]
struct Year {
    benefit_wage: Vec<f64>,
    /// Cases by cell, month of the year and kind: `[(cell · 12 + m) · KINDS + kind]`.
    counts: Vec<f64>,
    costs: CaseCosts,
    index_factor: f64,
    /// A stress overlay's catastrophe this year: (cell, calendar month, deaths).
    forced_catastrophe: Option<(usize, usize, f64)>,
    average_wage_prev: f64,
}

/// The claims side of the engine for one scenario.
pub(super) struct Claims<'s> {
    s: &'s Scenario,
    cities: usize,
    sectors: usize,
    sched: Schedule,
    stocks: Vec<StockCell>,
    indices: Indices,
    lambda: Vec<f64>,
    year: Year,
    extra_deaths: Vec<f64>,
    pipeline_counts: Vec<f64>,
    city_outcomes: Vec<PerOutcome>,
    scratch_city: Vec<f64>,
    scratch_weights: Vec<f64>,
    /// Each sector's expected medical cost of a city-month.
    scratch_expected: Vec<f64>,
}

impl<'s> Claims<'s> {
    /// Buffers for a scenario.
    pub(super) fn new(s: &'s Scenario) -> Claims<'s> {
        let (cities, sectors) = (s.n_cities(), s.n_sectors());
        let cells = cities * sectors;
        Claims {
            s,
            cities,
            sectors,
            sched: Schedule::new(s.lags.longest(), cells, s.months()),
            stocks: vec![StockCell::default(); cells],
            indices: Indices::base(sectors),
            lambda: vec![1.0; sectors],
            year: Year {
                benefit_wage: vec![0.0; cells],
                counts: vec![0.0; cells * 12 * KINDS],
                costs: CaseCosts::new(s, 1.0, 1.0, 1.0, 1.0),
                index_factor: 1.0,
                forced_catastrophe: None,
                average_wage_prev: 0.0,
            },
            extra_deaths: vec![0.0; cells],
            pipeline_counts: vec![0.0; sectors * s.lags.longest() * KINDS],
            city_outcomes: vec![[0.0; OUTCOMES]; sectors],
            scratch_city: vec![0.0; cities],
            scratch_weights: vec![0.0; cities],
            scratch_expected: vec![0.0; sectors],
        }
    }

    /// Runs the claims side of one path onto `tape`.
    pub(super) fn run<S: Sampler>(&mut self, sampler: &mut S, tape: &mut Tape) {
        self.reset(sampler);
        self.pipeline(sampler);
        tape.clear();
        for t in 0..self.s.months() {
            let k = t / 12;
            let (year, mut month) = tape.year_and_month(k, t);
            if t % 12 == 0 {
                self.start_year(k, sampler, year);
            }
            self.new_cases(t, sampler, year, &mut month);
            self.stocks_and_payments(t, sampler, &mut month);
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
        self.indices.reset();
        self.frequency_multipliers(sampler);
    }

    /// Draws the path's frequency multiplier `Λ` of each sector.
    fn frequency_multipliers<S: Sampler>(&mut self, sampler: &mut S) {
        for (l, sec) in self.lambda.iter_mut().zip(&self.s.sectors) {
            *l = sampler.frequency_multiplier(sec.frequency_cv);
        }
    }

    /// Draws year `k`'s drivers, after the stress overlay's shocks to wage
    /// growth and the interest rate; returns them with the year's shock.
    fn year_drivers<S: Sampler>(&self, k: usize, sampler: &mut S) -> (YearDrivers, YearShock) {
        let s = self.s;
        let shock = s.stress.as_ref().map_or(YearShock::NONE, |st| {
            st.year(s.start_year + k as i32, self.sectors)
        });
        let mut d = sampler.drivers(k, &s.drivers);
        d.wage_growth = shock.wage_growth(d.wage_growth);
        d.interest_rate = shock.interest_rate(d.interest_rate);
        (d, shock)
    }

    /// Draws a path's drivers, and nothing else, onto `tape`, which holds
    /// the claims of a scenario that differs from this one in the interest
    /// rate's mean only ([`super::same_claims_but_interest`]): nothing the
    /// claims side computes reads the interest rate, and moving one
    /// driver's mean moves no other driver's draw, so the tape becomes this
    /// scenario's. The economy and parameter streams are used as
    /// [`Claims::run`] uses them: the frequency multipliers, then each
    /// year's drivers.
    pub(super) fn redraw_drivers<S: Sampler>(&mut self, sampler: &mut S, tape: &mut Tape) {
        self.frequency_multipliers(sampler);
        for k in 0..self.s.years {
            let (d, _) = self.year_drivers(k, sampler);
            let year = &mut tape.years[k];
            debug_assert!(
                YearDrivers {
                    interest_rate: d.interest_rate,
                    ..year.drivers
                } == d,
                "a driver other than the interest rate moved"
            );
            year.drivers = d;
        }
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
                        claims::incur(s, &mut self.sched, sampler, u, cell, n, 0.0, &costs, wage);
                }
                claims::medical(
                    s,
                    &mut self.sched,
                    sampler,
                    u,
                    c * sectors,
                    &self.city_outcomes,
                    &costs,
                    &mut self.scratch_expected,
                );
            }
        }
    }

    /// Draws year `k`'s drivers and computes the year's levels and cases
    /// (docs/model.md §2–4).
    fn start_year<S: Sampler>(&mut self, k: usize, sampler: &mut S, tape: &mut TapeYear) {
        let s = self.s;
        let (d, shock) = self.year_drivers(k, sampler);
        self.indices.advance(&d, s, shock.employment_shift);
        let ix = &self.indices;
        let y = &mut self.year;
        y.costs = CaseCosts::new(s, ix.wage, ix.wage_prev, ix.medical, ix.disposable_prev);
        y.average_wage_prev = y.costs.average_wage_prev;
        y.index_factor = 1.0 + shock.indexation(s.stocks.indexation * d.wage_growth);
        y.forced_catastrophe = shock.catastrophe;
        tape.drivers = d;
        tape.wage_index = ix.wage;
        tape.disposable_index = ix.disposable;
        for (c, city) in s.cities.iter().enumerate() {
            for sec in 0..self.sectors {
                let cell = c * self.sectors + sec;
                let insured = city.insured[sec] * ix.employment[sec];
                let wage = city.monthly_wage[sec] * ix.wage;
                tape.insured[cell] = insured;
                tape.wage[cell] = wage;
                y.benefit_wage[cell] = claims::benefit_wage(s, wage, y.average_wage_prev);
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

    /// Step 2: the month's new cases, catastrophes included, and everything they schedule.
    fn new_cases<S: Sampler>(
        &mut self,
        t: usize,
        sampler: &mut S,
        levels: &TapeYear,
        out: &mut TapeMonthMut<'_>,
    ) {
        let s = self.s;
        let (cities, sectors) = (self.cities, self.sectors);
        self.extra_deaths.fill(0.0);
        for (sec, sector) in s.sectors.iter().enumerate() {
            if sector.catastrophe_rate <= 0.0 {
                continue;
            }
            for c in 0..cities {
                self.scratch_weights[c] = levels.insured[c * sectors + sec];
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
        let m = t % 12;
        let scalars = &mut *out.scalars;
        for c in 0..cities {
            for sec in 0..sectors {
                let cell = c * sectors + sec;
                let at = (cell * 12 + m) * KINDS;
                let n: &PerKind = y.counts[at..at + KINDS]
                    .try_into()
                    .expect("a month of kinds");
                let outcomes = claims::incur(
                    s,
                    &mut self.sched,
                    sampler,
                    t as i64,
                    cell,
                    n,
                    self.extra_deaths[cell],
                    &y.costs,
                    y.benefit_wage[cell],
                );
                scalars[at::CASES] += outcomes.iter().sum::<f64>();
                scalars[at::GRADED] += outcomes[1..=GRADES].iter().sum::<f64>();
                scalars[at::DEATHS] += outcomes[DEATH];
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
                &mut self.scratch_expected,
            );
        }
    }

    /// Steps 3–4: stocks (exits, joiners, indexation, payment) and the
    /// one-off payments due this month, attributed to city and sector.
    fn stocks_and_payments<S: Sampler>(
        &mut self,
        t: usize,
        sampler: &mut S,
        out: &mut TapeMonthMut<'_>,
    ) {
        let s = self.s;
        let m = t % 12;
        let index_now = m + 1 == s.stocks.index_month;
        let y = &self.year;
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
                        out.scalars[at::HEADS + which as usize] += stock.heads(which);
                    }
                }
                let paid = stock.payments(y.average_wage_prev);
                out.scalars[at::NEW_STOCK_PEOPLE] += if m == 0 {
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
                out.city_expenditure[c] += cell_total;
                let at = c * CITY_LINES.len();
                out.city_lines[at] += due[item::MEDICAL];
                out.city_lines[at + 1] += cell_disability;
                out.city_lines[at + 2] += cell_death;
                out.city_lines[at + 3] += due[item::INVESTIGATION];
                out.city_lines[at + 4] += due[item::APPRAISAL];
                out.sector_expenditure[sec] += cell_total;
            }
        }
        out.scalars[at::LINES..at::LINES + CLAIMS_LINES].copy_from_slice(&[
            medical,
            disability,
            death,
            investigation,
            appraisal,
        ]);
    }
}
