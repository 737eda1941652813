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

/// Cdf values a prepared rate holds on each side of its mode.
pub(crate) const SIDE: usize = 15;
/// Length of a prepared rate's table: [`SIDE`] values each side, the
/// mode's, and one `+∞` that makes it 32 long, a power of two, so that
/// [`CountRate::invert`] halves it in steps of 16, 8, 4, 2 and 1 (which
/// read at most its first 31 values).
const TABLE: usize = 2 * SIDE + 2;
const _: () = assert!(TABLE == 32, "invert's search steps assume 32 values");

/// A Poisson mean prepared once for many draws (a cell's expected cases of
/// one outcome, for the twelve months of a year): its mode `m = ⌊mean⌋`, the
/// probability of `m` and the cdf at `m`, and a table of the cdf around the
/// mode, so that a draw by inversion counts the table's values below its
/// uniform instead of searching outward from the mode step by step (about
/// `0.8·√mean` steps, each a branch that goes either way).
///
/// The table holds the very values the outward search computes, in the
/// same order of operations: `F(m − j)` by subtracting each probability
/// from `F(m)` downward, `F(m + j)` by adding upward. Each side is
/// monotone, so the steps the search would take are the values of its side
/// the uniform passes, and counting them gives its result to the bit. The
/// whole table is ascending (`−∞` below, the two sides meeting at `F(m)`,
/// `+∞` above), so the count is found by halving, in five steps without a
/// branch.
/// Beyond the table (`min(SIDE, 1 + 3√mean)` values a side, fewer below
/// when the mode is small) the search goes on from the table's last value.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct CountRate {
    /// The mean.
    pub(crate) mean: f64,
    /// The mode `⌊mean⌋`.
    pub(crate) mode: usize,
    /// `P(N = mode)`.
    pub(crate) p_mode: f64,
    /// `P(N ≤ mode)`.
    pub(crate) cdf_mode: f64,
    /// `1 / mean`.
    pub(crate) inv_mean: f64,
    /// `table[SIDE − j]` is the search's `F(m − j)` for `j ≤ down`, and
    /// `−∞` below; `table[SIDE + j]` its `F(m + j)` for `j ≤ up` while
    /// `P(m + j) > 0` (where the search stops), and `+∞` past that and in
    /// the last place.
    pub(crate) table: [f64; TABLE],
    /// Values below the mode in the table.
    pub(crate) down: usize,
    /// Values above the mode in the table.
    pub(crate) up: usize,
    /// `(P, F)` at `m − down`, where a search below the table goes on.
    pub(crate) low: (f64, f64),
    /// `(P, F)` at `m + up`, where a search above the table goes on.
    pub(crate) high: (f64, f64),
}

/// `x.round()` for `0 ≤ x < 2⁶³`, exactly (halves away from zero, i.e. up),
/// without the library call a baseline x86-64 build makes for `round`.
/// Through `i64`, whose conversions to and from `f64` are one instruction
/// each there (`u64`'s take a branch and several); in this range both
/// truncate to the same whole number.
#[inline(always)]
pub(crate) fn round_nonnegative(x: f64) -> u64 {
    let whole = x as i64;
    let rounded = if x - whole as f64 >= 0.5 {
        whole + 1
    } else {
        whole
    };
    rounded as u64
}

/// `k as f64` for a count `k < 2⁵³`, through `i64`: one instruction on a
/// baseline x86-64 build, where `usize`'s conversion takes several.
#[inline(always)]
pub(crate) fn count_value(k: usize) -> f64 {
    k as i64 as f64
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
        for k in 1..whole + 1 {
            p *= mean * reciprocal(k);
            cdf += p;
        }
        let inv_mean = 1.0 / mean;
        // about 3 standard deviations a side, within the table
        let side = ((3.0 * mean.sqrt()) as usize + 1).min(SIDE);
        let (down, up) = (side.min(whole), side);
        let mut table = [f64::NEG_INFINITY; TABLE];
        table[SIDE] = cdf;
        table[SIDE + 1..].fill(f64::INFINITY);
        // down, as `walk_down` steps: F(k − 1) = F(k) − P(k), P(k − 1) = P(k)·k/mean
        let (mut p_low, mut cdf_low) = (p, cdf);
        for j in 1..down + 1 {
            cdf_low -= p_low;
            p_low *= count_value(whole - j + 1) * inv_mean;
            table[SIDE - j] = cdf_low;
        }
        // up, as `walk_up` steps: P(k + 1) = P(k)·mean/(k + 1), F(k + 1) = F(k) + P(k + 1)
        let (mut p_high, mut cdf_high) = (p, cdf);
        for j in 1..up + 1 {
            if p_high > 0.0 {
                p_high *= mean * reciprocal(whole + j);
                cdf_high += p_high;
            }
            table[SIDE + j] = if p_high > 0.0 {
                cdf_high
            } else {
                f64::INFINITY
            };
        }
        CountRate {
            mean,
            mode: whole,
            p_mode: p,
            cdf_mode: cdf,
            inv_mean,
            table,
            down,
            up,
            low: (p_low, cdf_low),
            high: (p_high, cdf_high),
        }
    }

    /// The draw for the uniform `u`: the smallest `k` with `u ≤ F(k)`, as
    /// the outward search from the mode finds it (see the type's doc).
    #[inline(always)]
    pub(crate) fn invert(&self, u: f64) -> f64 {
        // the number of table values below `u`, by halving: after each
        // step the first `passed` values are below it; the last value
        // (`+∞`) never is
        let mut passed = 0;
        for step in [16, 8, 4, 2, 1] {
            passed += step * usize::from(u > self.table[passed + step - 1]);
        }
        if passed == SIDE - self.down && self.down < self.mode {
            let (p, cdf) = self.low;
            return walk_down(u, self.inv_mean, self.mode - self.down, p, cdf);
        }
        if passed == SIDE + 1 + self.up {
            let (p, cdf) = self.high;
            return walk_up(u, self.mean, self.mode + self.up, p, cdf);
        }
        count_value(self.mode + passed - SIDE)
    }

    /// The outward search from the mode, step by step: what
    /// [`CountRate::invert`] must equal.
    #[cfg(test)]
    pub(crate) fn search(&self, u: f64) -> f64 {
        if u <= self.cdf_mode {
            walk_down(u, self.inv_mean, self.mode, self.p_mode, self.cdf_mode)
        } else {
            walk_up(u, self.mean, self.mode, self.p_mode, self.cdf_mode)
        }
    }
}

/// From `k` with `P(k) = p` and `F(k) = cdf ≥ u`, down to the smallest `k`
/// with `u ≤ F(k)`: `F(k − 1) = F(k) − P(k)`, `P(k − 1) = P(k)·k/mean`.
#[cold]
#[inline(never)]
fn walk_down(u: f64, inv_mean: f64, mut k: usize, mut p: f64, mut cdf: f64) -> f64 {
    while k > 0 && u <= cdf - p {
        cdf -= p;
        p *= count_value(k) * inv_mean;
        k -= 1;
    }
    count_value(k)
}

/// From `k` with `P(k) = p` and `F(k) = cdf`, up to the first `k` with
/// `u ≤ F(k)` (or where `P` underflows): `P(k + 1) = P(k)·mean/(k + 1)`,
/// `F(k + 1) = F(k) + P(k + 1)`.
#[cold]
#[inline(never)]
fn walk_up(u: f64, mean: f64, mut k: usize, mut p: f64, mut cdf: f64) -> f64 {
    while u > cdf && p > 0.0 {
        k += 1;
        p *= mean * reciprocal(k);
        cdf += p;
    }
    count_value(k)
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
        // the ends of the range: the alias odds (up to 2³²) and below 2⁶³
        let top = 9_223_372_036_854_775_808.0_f64.next_down();
        let mut xs = vec![0.0, 0.5, 1.5, 2.5, 1e15 + 0.5, 4_503_599_627_370_497.0, top];
        xs.extend([4_294_967_295.5, 4_294_967_296.0, 4_294_967_296.5]);
        for k in 0..2000u32 {
            let half = f64::from(k) + 0.5;
            xs.extend([f64::from(k), half, half.next_down(), half.next_up()]);
            xs.push(f64::from(k) * 0.37 + 0.013);
        }
        for x in xs {
            assert_eq!(round_nonnegative(x), x.round() as u64, "{x}");
        }
    }

    /// Counting the table gives the outward search's draw to the bit: for
    /// means from below 1 to the largest prepared (tables that cover every
    /// likely draw, and ones the search leaves on either side), for
    /// uniforms spread over (0, 1) and packed near 0 and 1, and for each
    /// value the table holds and its two neighbours, where a comparison
    /// flips.
    #[test]
    fn the_table_draws_what_the_search_draws() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(5);
        let (mut below, mut above) = (0, 0);
        for mean in [
            0.01, 0.4, 1.0, 2.5, 3.0, 7.3, 10.0, 24.9, 25.0, 25.1, 64.0, 99.5, 333.3, 599.9,
        ] {
            let rate = CountRate::new(mean);
            let mut us: Vec<f64> = (0..20_000).map(|_| rng.random::<f64>()).collect();
            for e in 1..40 {
                let tiny = 2f64.powi(-e);
                us.extend([tiny, 1.0 - tiny]);
            }
            for t in rate.table.iter().filter(|t| t.is_finite()) {
                us.extend([*t, t.next_down(), t.next_up()]);
            }
            us.extend([0.0, rate.low.1, rate.high.1]);
            for u in us.into_iter().filter(|u| (0.0..1.0).contains(u)) {
                let k = rate.invert(u);
                assert_eq!(k, rate.search(u), "mean {mean}, u {u}");
                below += usize::from(k < (rate.mode - rate.down) as f64);
                above += usize::from(k > (rate.mode + rate.up) as f64);
            }
        }
        // the searches beyond both ends of a table were taken
        assert!(below > 100 && above > 100, "{below} {above}");
    }

    /// A prepared rate's mode, `P(N = mode)` and `P(N ≤ mode)` against the
    /// Poisson law computed term by term in logarithms, from a mean below
    /// 1 to the largest mean prepared.
    #[test]
    fn count_rate_holds_the_poisson_mode_and_cdf() {
        for mean in [0.1, 1.0, 3.7, 55.5, 250.25, INVERSION_MAX_MEAN - 0.1] {
            let rate = CountRate::new(mean);
            let mode = mean.floor();
            assert_eq!(count_value(rate.mode), mode, "mode of {mean}");
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
