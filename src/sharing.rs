//! Gaps and how they are shared (MODEL.md section 7). After a month's
//! balance is known, a balance below `floor_months · Ē_t` is a gap; the
//! payers (the provincial treasury, then each city's) pay it that month, by
//! the scenario's [`Scheme`], and the balance is lifted to the floor.
//!
//! Keys are taken over the last 12 months, or the months since the start
//! when fewer ([`CityWindow`]); weights that are all 0 fall back to equal shares.

use crate::scenario::{Scheme, SharingKey};

/// Per-city quantities over the last 12 months that keys and the
/// responsibility rule read.
#[derive(Debug, Clone)]
pub struct CityWindow {
    cities: usize,
    /// `[month slot][city][measure]`, measures as in [`Measure`].
    ring: Vec<f64>,
    next: usize,
}

/// What the window keeps per city and month.
#[derive(Debug, Clone, Copy)]
pub enum Measure {
    /// Premium income.
    Premiums = 0,
    /// Payroll.
    Payroll = 1,
    /// Insured workers.
    Insured = 2,
    /// Expenditure attributed to the city.
    Expenditure = 3,
}

const MEASURES: usize = 4;

impl CityWindow {
    /// An empty window for `cities` cities.
    pub fn new(cities: usize) -> CityWindow {
        CityWindow {
            cities,
            ring: vec![0.0; 12 * cities * MEASURES],
            next: 0,
        }
    }

    /// Empties the window.
    pub fn clear(&mut self) {
        self.ring.fill(0.0);
        self.next = 0;
    }

    /// The slot for the next month, to be filled with [`CityWindow::set`] and then [`CityWindow::commit`].
    pub fn set(&mut self, city: usize, m: Measure, value: f64) {
        self.ring[(self.next * self.cities + city) * MEASURES + m as usize] = value;
    }

    /// Closes the month being filled.
    pub fn commit(&mut self) {
        self.next = (self.next + 1) % 12;
    }

    /// Sum of a measure over the window for one city.
    pub fn total(&self, city: usize, m: Measure) -> f64 {
        let mut sum = 0.0;
        for slot in 0..12 {
            sum += self.ring[(slot * self.cities + city) * MEASURES + m as usize];
        }
        sum
    }
}

/// Schemes selectable by name on the command line (`fundsim stress
/// --scheme NAME`), with the parameters each name stands for.
pub const SCHEME_PRESETS: [(&str, &str); 6] = [
    (
        "budget_linked",
        "Anhui 2024: cities 10 % / 20 % of their own gap, more beyond budget, all of their collection shortfall",
    ),
    ("province_pays", "the provincial treasury pays every gap"),
    (
        "fixed_ratio",
        "province 50 %, cities 50 % by premium income",
    ),
    (
        "responsibility",
        "cities 50 % by their own 12-month shortfall, the province the rest",
    ),
    (
        "performance",
        "province 50 %, cities by premium income, weights +100 % per unit of collection below 95 %",
    ),
    ("cities_pay", "cities pay every gap by premium income"),
];

/// The scheme a preset name stands for.
pub fn scheme_preset(name: &str) -> Option<Scheme> {
    Some(match name {
        "province_pays" => Scheme::FixedRatio {
            province: 1.0,
            key: SharingKey::PremiumIncome,
        },
        "fixed_ratio" => Scheme::FixedRatio {
            province: 0.5,
            key: SharingKey::PremiumIncome,
        },
        "responsibility" => Scheme::Responsibility {
            city_share: 0.5,
            key: SharingKey::PremiumIncome,
        },
        "performance" => Scheme::Performance {
            province: 0.5,
            key: SharingKey::PremiumIncome,
            target: 0.95,
            penalty: 1.0,
        },
        "cities_pay" => Scheme::FixedRatio {
            province: 0.0,
            key: SharingKey::PremiumIncome,
        },
        "budget_linked" => Scheme::BudgetLinked {
            key: SharingKey::PremiumIncome,
        },
        _ => return None,
    })
}

/// What a key needs beyond the window: this year's fiscal revenue per city.
pub struct KeyInputs<'a> {
    /// The window of the last 12 months.
    pub window: &'a CityWindow,
    /// General budget revenue × `Wage_k`, per city.
    pub fiscal_revenue: &'a [f64],
    /// `κ_k[c]`, this year's collection rate per city.
    pub collection_rate: &'a [f64],
}

/// Weight of each city under a key, written to `out`.
pub fn key_weights(key: SharingKey, inputs: &KeyInputs, out: &mut [f64]) {
    for (c, w) in out.iter_mut().enumerate() {
        *w = match key {
            SharingKey::PremiumIncome => inputs.window.total(c, Measure::Premiums),
            SharingKey::Payroll => inputs.window.total(c, Measure::Payroll),
            SharingKey::Insured => inputs.window.total(c, Measure::Insured),
            SharingKey::Expenditure => inputs.window.total(c, Measure::Expenditure),
            SharingKey::FiscalRevenue => inputs.fiscal_revenue[c],
            SharingKey::Equal => 1.0,
        };
    }
}

/// Each city's own shortfall over the window, `max(0, expenditure − premiums)`.
fn own_shortfall_weights(inputs: &KeyInputs, weights: &mut [f64]) {
    for (c, w) in weights.iter_mut().enumerate() {
        let own = inputs.window.total(c, Measure::Expenditure)
            - inputs.window.total(c, Measure::Premiums);
        *w = own.max(0.0);
    }
}

/// Splits `amount` by `weights` into `out` (added), equal shares when the weights are all 0.
fn distribute(amount: f64, weights: &[f64], out: &mut [f64]) {
    let total: f64 = weights.iter().sum();
    let n = weights.len() as f64;
    for (o, w) in out.iter_mut().zip(weights) {
        *o += if total > 0.0 {
            amount * w / total
        } else {
            amount / n
        };
    }
}

/// The budget-linked scheme's books: each city's budget for every year
/// (the expected-value projection) and what it has been allocated and
/// charged so far this year.
#[derive(Debug, Clone, Default)]
pub struct BudgetBook {
    /// `[year][city]`: budgeted own gap, `max(0, expenditure − premiums)`.
    pub budget_gap: Vec<Vec<f64>>,
    /// `[year][city]`: budgeted expenditure of the city's cases and stocks.
    pub budget_expenditure: Vec<Vec<f64>>,
    /// `[city]`: gap portions allocated this year, beyond collection shortfalls.
    allocated: Vec<f64>,
    /// `[city]`: premiums lost this year to collection below the budgeted rate.
    pub collection_shortfall: Vec<f64>,
    /// `[city]`: collection shortfall already charged to the city this year.
    charged: Vec<f64>,
    year: usize,
}

impl BudgetBook {
    /// Books for budgets `[year][city]` of gaps and expenditure.
    pub fn new(budget_gap: Vec<Vec<f64>>, budget_expenditure: Vec<Vec<f64>>) -> BudgetBook {
        let cities = budget_gap.first().map_or(0, Vec::len);
        BudgetBook {
            budget_gap,
            budget_expenditure,
            allocated: vec![0.0; cities],
            collection_shortfall: vec![0.0; cities],
            charged: vec![0.0; cities],
            year: 0,
        }
    }

    /// Starts year `k`: this year's allocations and shortfalls restart.
    pub fn start_year(&mut self, k: usize) {
        self.year = k;
        for v in [
            &mut self.allocated,
            &mut self.collection_shortfall,
            &mut self.charged,
        ] {
            v.fill(0.0);
        }
    }

    /// What city `c` pays of a cumulative own gap `x` this year (Anhui's
    /// tiers): 10 % (budget surplus) or 20 % (budget deficit) up to the
    /// budgeted gap plus 5 % of budgeted expenditure, 40 % of the next 5 %,
    /// 60 % beyond. The deviation is measured in budgeted expenditure
    /// because a percentage of a zero budgeted gap means nothing.
    pub fn city_part(&self, c: usize, x: f64) -> f64 {
        let k = self.year.min(self.budget_gap.len().saturating_sub(1));
        let b = self.budget_gap.get(k).map_or(0.0, |v| v[c]);
        let e = self.budget_expenditure.get(k).map_or(0.0, |v| v[c]);
        let base = if b > 0.0 { 0.2 } else { 0.1 };
        let (t1, t2) = (b + 0.05 * e, b + 0.10 * e);
        base * x.min(t1) + 0.4 * (x.min(t2) - t1).max(0.0) + 0.6 * (x - t2).max(0.0)
    }
}

/// Shares a gap `gap > 0` among the payers: `out[0]` the province, `out[1 + c]`
/// city `c` (overwritten). `weights` is scratch of one value per city; `book`
/// is used (and updated) by the budget-linked scheme only.
pub fn share(
    scheme: &Scheme,
    gap: f64,
    inputs: &KeyInputs,
    weights: &mut [f64],
    book: &mut BudgetBook,
    out: &mut [f64],
) {
    out.fill(0.0);
    let (province, cities) = out.split_at_mut(1);
    match *scheme {
        Scheme::None => {}
        Scheme::BudgetLinked { key } => {
            // first, what each city's collection below its budgeted rate
            // lost this year and has not yet paid: the city's alone, whatever
            // its own balance (in city order while the gap lasts)
            let mut rest = gap;
            for (c, paid) in cities.iter_mut().enumerate() {
                let collection = (book.collection_shortfall[c] - book.charged[c])
                    .max(0.0)
                    .min(rest);
                book.charged[c] += collection;
                *paid = collection;
                rest -= collection;
            }
            // then the rest by own shortfall, each city's portion through its tiers
            own_shortfall_weights(inputs, weights);
            if weights.iter().all(|w| *w <= 0.0) {
                key_weights(key, inputs, weights);
            }
            let total: f64 = weights.iter().sum();
            let n = weights.len() as f64;
            for (c, paid) in cities.iter_mut().enumerate() {
                let portion = if total > 0.0 {
                    rest * weights[c] / total
                } else {
                    rest / n
                };
                let before = book.allocated[c];
                book.allocated[c] += portion;
                *paid += book.city_part(c, book.allocated[c]) - book.city_part(c, before);
            }
            province[0] = gap - cities.iter().sum::<f64>();
        }
        Scheme::FixedRatio { province: p, key } => {
            province[0] = p * gap;
            key_weights(key, inputs, weights);
            distribute((1.0 - p) * gap, weights, cities);
        }
        Scheme::Responsibility { city_share, key } => {
            own_shortfall_weights(inputs, weights);
            if weights.iter().all(|w| *w <= 0.0) {
                key_weights(key, inputs, weights);
            }
            province[0] = (1.0 - city_share) * gap;
            distribute(city_share * gap, weights, cities);
        }
        Scheme::Performance {
            province: p,
            key,
            target,
            penalty,
        } => {
            key_weights(key, inputs, weights);
            for (w, kappa) in weights.iter_mut().zip(inputs.collection_rate) {
                *w *= 1.0 + penalty * (1.0 - kappa / target).max(0.0);
            }
            province[0] = p * gap;
            distribute((1.0 - p) * gap, weights, cities);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(premiums: &[f64], expenditure: &[f64]) -> CityWindow {
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

    fn run(scheme: Scheme, w: &CityWindow, kappa: &[f64]) -> Vec<f64> {
        let fiscal = vec![1.0; kappa.len()];
        let inputs = KeyInputs {
            window: w,
            fiscal_revenue: &fiscal,
            collection_rate: kappa,
        };
        let mut weights = vec![0.0; kappa.len()];
        let mut out = vec![0.0; kappa.len() + 1];
        share(
            &scheme,
            1000.0,
            &inputs,
            &mut weights,
            &mut BudgetBook::default(),
            &mut out,
        );
        out
    }

    /// fixed_ratio 40 % province, cities by premiums 300:100.
    #[test]
    fn fixed_ratio_hand_case() {
        let w = window(&[300.0, 100.0], &[0.0, 0.0]);
        let out = run(
            Scheme::FixedRatio {
                province: 0.4,
                key: SharingKey::PremiumIncome,
            },
            &w,
            &[1.0, 1.0],
        );
        assert_eq!(out, vec![400.0, 450.0, 150.0]);
        assert_eq!(out.iter().sum::<f64>(), 1000.0);
    }

    /// responsibility: only the city whose expenditure exceeds its premiums pays the cities' part.
    #[test]
    fn responsibility_hand_case() {
        let w = window(&[300.0, 100.0, 50.0], &[200.0, 400.0, 150.0]);
        let out = run(
            Scheme::Responsibility {
                city_share: 0.3,
                key: SharingKey::Equal,
            },
            &w,
            &[1.0; 3],
        );
        // shortfalls 0, 300, 100 → cities' 300 split 225 / 75.
        assert_eq!(out, vec![700.0, 0.0, 225.0, 75.0]);
    }

    /// responsibility with no shortfall anywhere falls back to the key.
    #[test]
    fn responsibility_falls_back_to_key() {
        let w = window(&[300.0, 100.0], &[0.0, 0.0]);
        let out = run(
            Scheme::Responsibility {
                city_share: 0.5,
                key: SharingKey::Equal,
            },
            &w,
            &[1.0; 2],
        );
        assert_eq!(out, vec![500.0, 250.0, 250.0]);
    }

    /// performance: a city collecting 80 % against a 100 % target with
    /// penalty 1 weighs 1.2 times its key.
    #[test]
    fn performance_hand_case() {
        let w = window(&[100.0, 100.0], &[0.0, 0.0]);
        let s = Scheme::Performance {
            province: 0.5,
            key: SharingKey::PremiumIncome,
            target: 1.0,
            penalty: 1.0,
        };
        let out = run(s, &w, &[1.0, 0.8]);
        assert!((out[1] - 500.0 / 2.2).abs() < 1e-9);
        assert!((out[2] - 500.0 * 1.2 / 2.2).abs() < 1e-9);
        assert!((out.iter().sum::<f64>() - 1000.0).abs() < 1e-9);
    }

    /// budget_linked, each deviation band by hand, for one city whose budget
    /// showed a deficit (budgeted gap 100, budgeted expenditure 1,000: tiers
    /// end at 150 and 200) and one whose budget showed a surplus (0 and
    /// 1,000: tiers at 50 and 100).
    #[test]
    fn budget_linked_hand_case() {
        let mut book = BudgetBook::new(vec![vec![100.0, 0.0]], vec![vec![1_000.0, 1_000.0]]);
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
        // through share(): a 300 gap all on city 0 (the only shortfall), in two
        // months of 150 each; then a collection shortfall of 40 paid in full
        let w = window(&[100.0, 500.0], &[400.0, 100.0]);
        let fiscal = vec![1.0; 2];
        let kappa = [1.0; 2];
        let inputs = KeyInputs {
            window: &w,
            fiscal_revenue: &fiscal,
            collection_rate: &kappa,
        };
        let scheme = Scheme::BudgetLinked {
            key: SharingKey::PremiumIncome,
        };
        let (mut weights, mut out) = (vec![0.0; 2], vec![0.0; 3]);
        share(&scheme, 150.0, &inputs, &mut weights, &mut book, &mut out);
        assert!(
            (out[1] - 30.0).abs() < 1e-9 && out[2] == 0.0 && (out[0] - 120.0).abs() < 1e-9,
            "{out:?}"
        );
        share(&scheme, 150.0, &inputs, &mut weights, &mut book, &mut out);
        assert!((out[1] - 80.0).abs() < 1e-9, "20 + 60: {out:?}");
        assert!((out.iter().sum::<f64>() - 150.0).abs() < 1e-9);
        book.start_year(0);
        book.collection_shortfall[0] = 40.0;
        share(&scheme, 100.0, &inputs, &mut weights, &mut book, &mut out);
        assert!(
            (out[1] - (40.0 + 0.2 * 60.0)).abs() < 1e-9,
            "collection first, then 20 %: {out:?}"
        );
    }

    /// Weights all 0 fall back to equal shares.
    #[test]
    fn zero_weights_mean_equal_shares() {
        let w = window(&[0.0, 0.0], &[0.0, 0.0]);
        let out = run(
            Scheme::FixedRatio {
                province: 0.0,
                key: SharingKey::PremiumIncome,
            },
            &w,
            &[1.0; 2],
        );
        assert_eq!(out, vec![0.0, 500.0, 500.0]);
    }
}
