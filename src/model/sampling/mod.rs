//! Where the model's randomness enters: the [`Sampler`] trait, called by the
//! engine for every random quantity of docs/model.md, and [`Expected`], the
//! implementation that returns expectations (docs/model.md §10).
//!
//! Keeping every draw behind one trait means the expected-value projection and
//! the Monte Carlo paths run the same code for every rule; only the numbers
//! that come back differ.

mod alias;
pub(crate) mod montecarlo;
pub(crate) mod reuse;

use super::cases::{KINDS, PerKind, PerOutcome};
use super::drivers::{GROWTH_BOUNDS, INTEREST_BOUNDS, YearDrivers};
use super::scenario::Drivers;
use super::stocks::Stock;

/// Every random quantity the engine asks for. Counts are `f64` so that the
/// expected-value mode can return fractions; a Monte Carlo sampler returns
/// whole numbers.
pub(crate) trait Sampler {
    /// Driver values of projection year `k` (docs/model.md §2).
    fn drivers(&mut self, k: usize, params: &Drivers) -> YearDrivers;
    /// Per-path frequency multiplier `Λ` of a sector with coefficient of variation `cv`.
    fn frequency_multiplier(&mut self, cv: f64) -> f64;
    /// A Poisson count with the given mean.
    fn count(&mut self, mean: f64) -> f64;
    /// Cases of each kind in each of `months` months whose monthly means
    /// are `means` (constant over the months): `out[m · KINDS + kind]`.
    fn kind_counts(&mut self, means: &PerKind, months: usize, out: &mut [f64]);
    /// Total medical cost of a group of cases (a city's month): `n[o]` cases of
    /// each outcome, one case of outcome `o` costing `mean[o]` on average
    /// with coefficient of variation `cv[o]`.
    fn medical(&mut self, n: &PerOutcome, mean: &PerOutcome, cv: &PerOutcome) -> f64;
    /// Catastrophe deaths of one month in one sector, added to `out` by city:
    /// events at `rate` a month, `size` deaths per event on average
    /// (1 + negative binomial with shape `shape`), each event placed in one
    /// city in proportion to `weights`.
    fn catastrophe_deaths(
        &mut self,
        rate: f64,
        size: f64,
        shape: f64,
        weights: &[f64],
        out: &mut [f64],
    );
    /// Prepares for a path of `cells` cells and `months` months.
    fn start_path(&mut self, cells: usize, months: usize);
    /// `heads` join `stock` in `cell` in month `t` (`−1`: before the start),
    /// exposed to the monthly exit hazard `h` from month `t + 1` on.
    fn joined(&mut self, stock: Stock, cell: usize, t: i64, heads: f64, h: f64);
    /// Leavers from `stock` in `cell` in month `t`, which holds `heads`
    /// heads with monthly exit hazard `h`.
    fn leavers(&mut self, stock: Stock, cell: usize, t: usize, heads: f64, h: f64) -> f64;
    /// Whether opening heads are rounded to whole heads per sector.
    fn whole_heads(&self) -> bool;
}

/// A Poisson mean prepared once for many draws (a cell's expected cases of
/// one outcome, for the twelve months of a year): its mode `m = ⌊mean⌋`, the
/// probability of `m` and the cdf at `m`, so that a draw by inversion can
/// search outward from the mode (about `0.8·√mean` steps) instead of from 0.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct CountRate {
    /// The mean.
    pub(crate) mean: f64,
    /// The mode `⌊mean⌋`.
    pub(crate) mode: f64,
    /// `P(N = mode)`.
    pub(crate) p_mode: f64,
    /// `P(N ≤ mode)`.
    pub(crate) cdf_mode: f64,
    /// `1 / mean`.
    pub(crate) inv_mean: f64,
}

/// `x.round()` for `0 ≤ x < 2⁶³`, exactly (halves away from zero, i.e. up),
/// without the library call a baseline x86-64 build makes for `round`.
#[inline(always)]
pub(crate) fn round_nonnegative(x: f64) -> u64 {
    let whole = x as u64;
    if x - whole as f64 >= 0.5 {
        whole + 1
    } else {
        whole
    }
}

/// `1/k`, from a table for small `k` (a multiplication instead of a division
/// in the inversion loops and in preparing a rate).
#[inline(always)]
pub(crate) fn reciprocal(k: usize) -> f64 {
    match RECIPROCALS.get(k) {
        Some(r) => *r,
        None => 1.0 / k as f64,
    }
}

const RECIPROCALS: [f64; 1024] = {
    let mut t = [0.0; 1024];
    let mut k = 1;
    while k < 1024 {
        t[k] = 1.0 / k as f64;
        k += 1;
    }
    t
};

/// Largest mean prepared for inversion (`e^{−mean}` underflows near 745).
pub(crate) const INVERSION_MAX_MEAN: f64 = 600.0;

impl CountRate {
    /// Prepares a rate; means above [`INVERSION_MAX_MEAN`] are drawn another way.
    pub(crate) fn new(mean: f64) -> CountRate {
        if mean.is_nan() || mean <= 0.0 || mean > INVERSION_MAX_MEAN {
            return CountRate {
                mean: mean.max(0.0),
                ..CountRate::default()
            };
        }
        // the floor of a positive mean, without a library call
        let whole = mean as usize;
        let mut p = (-mean).exp();
        let mut cdf = p;
        for k in 1..=whole {
            p *= mean * reciprocal(k);
            cdf += p;
        }
        let mode = whole as f64;
        CountRate {
            mean,
            mode,
            p_mode: p,
            cdf_mode: cdf,
            inv_mean: 1.0 / mean,
        }
    }
}

/// The expected-value "sampler": every random quantity is its mean.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Expected;

impl Sampler for Expected {
    fn drivers(&mut self, _k: usize, p: &Drivers) -> YearDrivers {
        // the same truncation as the draws (validation keeps the means inside)
        YearDrivers {
            wage_growth: GROWTH_BOUNDS.clamp(p.wage_growth.mean),
            employment_growth: GROWTH_BOUNDS.clamp(p.employment_growth.mean),
            interest_rate: INTEREST_BOUNDS.clamp(p.interest_rate.mean),
            claim_intensity: 1.0,
            medical_inflation: GROWTH_BOUNDS.clamp(p.medical_inflation.mean),
            collection_shock: 0.0,
            disposable_income_growth: GROWTH_BOUNDS.clamp(p.disposable_income_growth.mean),
        }
    }

    fn frequency_multiplier(&mut self, _cv: f64) -> f64 {
        1.0
    }

    fn count(&mut self, mean: f64) -> f64 {
        mean
    }

    fn kind_counts(&mut self, means: &PerKind, months: usize, out: &mut [f64]) {
        for month in out.chunks_exact_mut(KINDS).take(months) {
            month.copy_from_slice(means);
        }
    }

    fn medical(&mut self, n: &PerOutcome, mean: &PerOutcome, _cv: &PerOutcome) -> f64 {
        n.iter().zip(mean).map(|(n, m)| n * m).sum()
    }

    fn catastrophe_deaths(
        &mut self,
        rate: f64,
        size: f64,
        _shape: f64,
        weights: &[f64],
        out: &mut [f64],
    ) {
        let total: f64 = weights.iter().sum();
        if rate <= 0.0 || total <= 0.0 {
            return;
        }
        for (o, w) in out.iter_mut().zip(weights) {
            *o += rate * size * w / total;
        }
    }

    fn start_path(&mut self, _cells: usize, _months: usize) {}

    fn joined(&mut self, _stock: Stock, _cell: usize, _t: i64, _heads: f64, _h: f64) {}

    fn leavers(&mut self, _stock: Stock, _cell: usize, _t: usize, heads: f64, h: f64) -> f64 {
        heads * h
    }

    fn whole_heads(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `round_nonnegative` agrees with `f64::round` on whole numbers,
    /// halves, the neighbours of halves and a spread of fractions.
    #[test]
    fn round_nonnegative_is_round() {
        let mut xs = vec![0.0, 0.5, 1.5, 2.5, 1e15 + 0.5, 4_503_599_627_370_497.0];
        for k in 0..2000u32 {
            let half = f64::from(k) + 0.5;
            xs.extend([f64::from(k), half, half.next_down(), half.next_up()]);
            xs.push(f64::from(k) * 0.37 + 0.013);
        }
        for x in xs {
            assert_eq!(round_nonnegative(x), x.round() as u64, "{x}");
        }
    }

    /// A prepared rate's mode, `P(N = mode)` and `P(N ≤ mode)` against the
    /// Poisson law computed term by term in logarithms, from a mean below
    /// 1 to the largest mean prepared.
    #[test]
    fn count_rate_holds_the_poisson_mode_and_cdf() {
        for mean in [0.1, 1.0, 3.7, 55.5, 250.25, INVERSION_MAX_MEAN - 0.1] {
            let rate = CountRate::new(mean);
            let mode = mean.floor();
            assert_eq!(rate.mode, mode, "mode of {mean}");
            let (mut ln_p, mut cdf) = (-mean, (-mean).exp());
            for j in 1..=mode as u32 {
                ln_p += mean.ln() - f64::from(j).ln();
                cdf += ln_p.exp();
            }
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-10 * b;
            assert!(close(rate.p_mode, ln_p.exp()), "P(N = mode) of {mean}");
            assert!(close(rate.cdf_mode, cdf), "P(N ≤ mode) of {mean}");
            assert!(close(rate.inv_mean, 1.0 / mean));
        }
        // outside the prepared range: drawn another way, nothing prepared
        assert_eq!(CountRate::new(INVERSION_MAX_MEAN + 1.0).p_mode, 0.0);
        assert_eq!(CountRate::new(-1.0).mean, 0.0);
    }
}
