//! The Monte Carlo sampler: every random quantity of docs/model.md drawn from
//! per-path streams.
//!
//! Streams: each model component (economy, claims, severity, stocks,
//! parameters) has its
//! own `ChaCha8` key derived from (master seed, component name) by SHA-256,
//! and a path uses stream number = its path index. A path's draws therefore
//! depend on (seed, path index) only — not on threads, shards or the other
//! paths — and keeping components apart keeps common random numbers aligned
//! when a policy variant draws more of one kind.
//!
//! Implementation choices allowed by docs/model.md §11, each keeping the law:
//! - Counts of a cell's cases by kind ([`crate::model::cases::KIND_TABLE`]):
//!   grades split into marked kinds (living care, subsidy taken), which is
//!   the same law as binomial thinning; the kinds whose yearly total is at
//!   most [`SPLIT_TOTAL_MAX`] superposed: one Poisson count of their sum,
//!   each case given a kind by an alias table ([`super::alias`]) and a
//!   month uniformly (a Poisson total split multinomially over kinds and
//!   months); larger totals month by month by inversion from the mode
//!   ([`CountRate`]).
//! - Exits from the stocks as one geometric exit month per head, drawn
//!   from an alias table of the months stayed when it joins: the same law
//!   as binomial leavers each month.
//! - The medical cost of a city's month (all its sectors' cases; see
//!   [`crate::model::claims::medical`]): with fewer than [`MEDICAL_EXACT_BELOW`]
//!   cases, the sum of one lognormal per case (mean `med[o]`, coefficient of
//!   variation `cv[o]`); from that many cases on, a gamma with the same mean
//!   `Σ n[o]·med[o]` and variance `Σ n[o]·(cv[o]·med[o])²`. Mean and
//!   variance of the medical line are exact given the counts, so are those
//!   of every budget line and city total; what changes is the shape of one
//!   city's monthly sum (with cv 1.5 and 10 cases, a skewness of 2.5 for the
//!   lognormal sum and 0.95 for the gamma). A year's medical line adds up
//!   twelve such sums per city, each of hundreds of cases in the default
//!   scenario, so its distribution is unaffected in practice.

use super::alias::Alias;
use super::{CountRate, Sampler, reciprocal, round_nonnegative};
use crate::model::cases::{KINDS, OUTCOMES, PerKind, PerOutcome};
use crate::model::drivers::{DRIVER_BOUNDS, YearDrivers, largest_sd};
use crate::model::scenario::{CLAIM_INTENSITY, DRIVERS, Driver, Drivers, Scenario};
use crate::model::stocks::Stock;
use rand::rngs::ChaCha8Rng;
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{ChiSquared, Distribution, Gamma, LogNormal, Poisson, StandardNormal};
use sha2::{Digest, Sha256};

/// Case totals over a year up to this are drawn at once and split over the months.
pub(crate) const SPLIT_TOTAL_MAX: f64 = 36.0;
/// Binomials with a mean below this are drawn by inversion.
pub(crate) const SMALL_MEAN: f64 = 10.0;
/// A city's month with at least this many cases gets a matched-moment gamma
/// medical cost instead of one lognormal per case.
pub(crate) const MEDICAL_EXACT_BELOW: f64 = 10.0;

/// The model components that draw, each with its own stream key.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Component {
    /// Drivers and the per-path frequency multipliers.
    Economy,
    /// Counts: cases, catastrophes, thinning, dependants.
    Claims,
    /// Medical costs.
    Severity,
    /// Exits from the stocks.
    Stocks,
    /// Each path's driver parameters, when they are uncertain (§2.9).
    Parameters,
}

impl Component {
    fn name(self) -> &'static str {
        match self {
            Component::Economy => "economy",
            Component::Claims => "claims",
            Component::Severity => "severity",
            Component::Stocks => "stocks",
            Component::Parameters => "parameters",
        }
    }
}

/// A component's generator for path `path` of a run seeded `seed`.
pub(crate) fn stream(seed: u64, component: Component, path: u64) -> ChaCha8Rng {
    let mut h = Sha256::new();
    h.update(b"fundsim stream v1\0");
    h.update(seed.to_le_bytes());
    h.update(component.name().as_bytes());
    let key: [u8; 32] = h.finalize().into();
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(path);
    rng
}

/// Lower-triangular Cholesky factor of the drivers' correlation matrix.
pub(crate) fn cholesky(drivers: &Drivers) -> [[f64; DRIVERS]; DRIVERS] {
    let m = nalgebra::DMatrix::from_fn(DRIVERS, DRIVERS, |i, j| drivers.correlation[i][j]);
    // validation has checked positive definiteness
    let l = m
        .cholesky()
        .map_or_else(|| nalgebra::DMatrix::identity(DRIVERS, DRIVERS), |c| c.l());
    let mut out = [[0.0; DRIVERS]; DRIVERS];
    for (i, row) in out.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = l[(i, j)];
        }
    }
    out
}

/// Per-path Monte Carlo draws.
#[derive(Debug)]
pub(crate) struct MonteCarlo {
    economy: ChaCha8Rng,
    claims: ChaCha8Rng,
    severity: ChaCha8Rng,
    stocks: ChaCha8Rng,
    parameters: ChaCha8Rng,
    chol: [[f64; DRIVERS]; DRIVERS],
    /// This path's `(μ, σ)` of each driver, drawn in year 0 (docs/model.md §2.9).
    path_params: [(f64, f64); DRIVERS],
    /// The largest factor a drawn `σ` may be of the scenario's: the format's
    /// largest sd for the driver ([`largest_sd`]) over its sd.
    sd_factor_cap: [f64; DRIVERS],
    /// `x_{k−1}`, last year's driver vector.
    state: [f64; DRIVERS],
    /// Exits scheduled by cell, stock and month: `[(cell · 3 + stock) · months + t]`.
    exits: Vec<f64>,
    exit_months: usize,
    /// Each stock's law of the months a joining head stays, once built.
    stays: [Option<Stays>; 3],
    /// The kinds of a cell's small totals, rebuilt for each cell and year.
    kinds: Alias,
}

/// The law of the whole months `g` a head stays in a stock before its exit
/// month, `P(g) = (1 − h)^g · h`, over `g < months` and one outcome for
/// `g ≥ months` (past any horizon), as an alias table: one draw a head
/// instead of a logarithm.
#[derive(Debug)]
struct Stays {
    hazard: f64,
    /// Over `months + 1` outcomes.
    table: Alias,
    column: UniformBelow,
}

impl Stays {
    /// The table for a hazard `0 < h < 1`.
    fn new(hazard: f64, months: usize) -> Stays {
        let stay = 1.0 - hazard;
        let mut weights = Vec::with_capacity(months + 1);
        let mut p = hazard;
        for _ in 0..months {
            weights.push(p);
            p *= stay;
        }
        // P(g ≥ months) = (1 − h)^months
        weights.push(p / hazard);
        let mut table = Alias::default();
        table.rebuild(&weights);
        Stays {
            hazard,
            column: UniformBelow::new(table.len()),
            table,
        }
    }
}

impl MonteCarlo {
    /// A sampler for path `path` of a run of `scenario` seeded `seed`.
    pub(crate) fn new(seed: u64, scenario: &Scenario, path: u64) -> MonteCarlo {
        let drivers = &scenario.drivers;
        MonteCarlo {
            exits: Vec::new(),
            exit_months: 0,
            stays: [None, None, None],
            kinds: Alias::default(),
            economy: stream(seed, Component::Economy, path),
            claims: stream(seed, Component::Claims, path),
            severity: stream(seed, Component::Severity, path),
            stocks: stream(seed, Component::Stocks, path),
            parameters: stream(seed, Component::Parameters, path),
            chol: cholesky(drivers),
            path_params: [(0.0, 0.0); DRIVERS],
            sd_factor_cap: {
                let written = drivers.written();
                std::array::from_fn(|i| {
                    let d = &written[i];
                    if d.sd > 0.0 {
                        largest_sd(i, d) / d.sd
                    } else {
                        1.0
                    }
                })
            },
            state: [0.0; DRIVERS],
        }
    }

    /// This path's parameters of each driver (docs/model.md §2.9): the
    /// scenario's, or, for a driver whose mean or sd is uncertain, a mean
    /// `μ + se · z` and an sd `σ · √(ν / χ²_ν)` (held at the format's
    /// largest), drawn in driver order from the parameter stream.
    fn draw_parameters(&mut self, params: &[Driver; DRIVERS]) {
        for (i, d) in params.iter().enumerate() {
            let mut mean = d.mean;
            let mut sd = d.sd;
            if d.mean_se > 0.0 {
                let z: f64 = self.parameters.sample(StandardNormal);
                mean += d.mean_se * z;
            }
            if d.sd_df > 0.0 {
                let chi2 =
                    ChiSquared::new(d.sd_df).map_or(d.sd_df, |c| c.sample(&mut self.parameters));
                let factor = (d.sd_df / chi2).sqrt();
                sd *= if factor.is_finite() {
                    factor.min(self.sd_factor_cap[i])
                } else {
                    self.sd_factor_cap[i]
                };
            }
            self.path_params[i] = (mean, sd);
        }
    }

    /// Moves to another path of the same run, without allocating.
    pub(crate) fn set_path(&mut self, path: u64) {
        for rng in [
            &mut self.economy,
            &mut self.claims,
            &mut self.severity,
            &mut self.stocks,
            &mut self.parameters,
        ] {
            rng.set_stream(path);
        }
        self.state = [0.0; DRIVERS];
    }
}

/// Poisson draw; exact law for every mean.
#[inline]
pub(crate) fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> f64 {
    if mean.is_nan() || mean <= 0.0 {
        return 0.0;
    }
    if mean >= SMALL_MEAN {
        return poisson_large(rng, mean);
    }
    // inversion from 0
    let u: f64 = rng.random();
    let mut p = (-mean).exp();
    let mut cdf = p;
    let mut k = 0;
    while u > cdf && p > 0.0 {
        k += 1;
        p *= mean * reciprocal(k);
        cdf += p;
    }
    k as f64
}

/// Uniform draws from `0..n` on 32 random bits (Lemire's multiply-shift
/// with rejection, so exactly uniform), the rejection threshold computed
/// once for many draws.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UniformBelow {
    n: u64,
    threshold: u32,
}

impl UniformBelow {
    /// Draws from `0..n`, `n ≥ 1`.
    pub(crate) fn new(n: usize) -> UniformBelow {
        let n = n.max(1) as u64;
        UniformBelow {
            n,
            threshold: ((1u64 << 32) % n) as u32,
        }
    }

    /// The draw a 32-bit `word` gives, or `None` when it is rejected.
    #[inline(always)]
    fn accept(self, word: u32) -> Option<usize> {
        let m = u64::from(word) * self.n;
        ((m as u32) >= self.threshold).then_some((m >> 32) as usize)
    }

    /// One draw from `0..n`.
    pub(crate) fn sample(self, rng: &mut ChaCha8Rng) -> usize {
        loop {
            if let Some(j) = self.accept(rng.next_u32()) {
                return j;
            }
        }
    }

    /// [`UniformBelow::sample`] and then 32 more random bits, the same
    /// words of the stream as the two calls, from one 64-bit read when the
    /// first try is accepted (the stream hands out a 64-bit word as its
    /// next two 32-bit words, the first in the low half).
    #[inline(always)]
    pub(crate) fn sample_and_bits(self, rng: &mut ChaCha8Rng) -> (usize, u32) {
        let word = rng.next_u64();
        let (first, second) = (word as u32, (word >> 32) as u32);
        match self.accept(first) {
            Some(j) => (j, second),
            None => self.rejected(second, rng),
        }
    }

    /// The rest of [`UniformBelow::sample_and_bits`] after a rejected first
    /// try: `second` is the second try's word.
    #[cold]
    #[inline(never)]
    fn rejected(self, second: u32, rng: &mut ChaCha8Rng) -> (usize, u32) {
        let j = self.accept(second).unwrap_or_else(|| self.sample(rng));
        (j, rng.next_u32())
    }
}

/// Poisson draw at a prepared rate: inversion from the rate's table around
/// the mode ([`CountRate::invert`], exact law); `rand_distr`'s rejection
/// sampler above [`INVERSION_MAX_MEAN`](super::INVERSION_MAX_MEAN).
#[inline(always)]
pub(crate) fn poisson_at(rng: &mut ChaCha8Rng, rate: &CountRate) -> f64 {
    if rate.mean <= 0.0 {
        return 0.0;
    }
    if rate.p_mode <= 0.0 {
        return poisson_large(rng, rate.mean);
    }
    let u: f64 = rng.random();
    rate.invert(u)
}

/// Poisson draw for a mean too large to prepare (`rand_distr`'s rejection method).
#[cold]
#[inline(never)]
fn poisson_large(rng: &mut ChaCha8Rng, mean: f64) -> f64 {
    Poisson::new(mean).map_or(mean, |d| d.sample(rng))
}

/// Binomial draw `B(n, p)` for whole `n`; exact law (the reference the
/// geometric exit times are tested against).
#[cfg(test)]
pub(crate) fn binomial(rng: &mut ChaCha8Rng, n: f64, p: f64) -> f64 {
    let q = 1.0 - p;
    let none = if n < 16.0 {
        let mut v = 1.0;
        for _ in 0..n as u32 {
            v *= q;
        }
        v
    } else {
        (n * (-p).ln_1p()).exp()
    };
    binomial_from(rng, n, p, none)
}

/// Binomial draw `B(n, p)` given `none = (1 − p)^n`: inversion from 0 for a
/// small mean, `rand_distr`'s BTPE otherwise.
#[cfg(test)]
fn binomial_from(rng: &mut ChaCha8Rng, n: f64, p: f64, none: f64) -> f64 {
    if n <= 0.0 || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return n;
    }
    if !(n * p < SMALL_MEAN && p < 0.5) {
        return binomial_large(rng, n, p);
    }
    {
        let u: f64 = rng.random();
        let mut prob = none;
        let mut cdf = prob;
        let ratio = p / (1.0 - p);
        let mut k = 0.0;
        let mut j = 0usize;
        while u > cdf && k < n && prob > 0.0 {
            j += 1;
            prob *= (n - k) * reciprocal(j) * ratio;
            k += 1.0;
            cdf += prob;
        }
        k
    }
}

/// Binomial draw with a large mean (`rand_distr`'s BTPE).
#[cfg(test)]
fn binomial_large(rng: &mut ChaCha8Rng, n: f64, p: f64) -> f64 {
    use rand_distr::Binomial;
    Binomial::new(n as u64, p).map_or(n * p, |d| d.sample(rng) as f64)
}

impl Sampler for MonteCarlo {
    /// `x_0 = μ + σ ⊙ (L ε_0)`, then `x_k = μ + φ ⊙ (x_{k−1} − μ) + √(1−φ²) ⊙ σ ⊙ (L ε_k)`,
    /// each draw truncated to its [`DRIVER_BOUNDS`].
    fn drivers(&mut self, k: usize, p: &Drivers) -> YearDrivers {
        let params = p.as_array();
        if k == 0 {
            self.draw_parameters(&params);
        }
        let mut eps = [0.0; DRIVERS];
        for e in &mut eps {
            *e = self.economy.sample(StandardNormal);
        }
        let mut x = [0.0; DRIVERS];
        for i in 0..DRIVERS {
            let mut z = 0.0;
            for (j, e) in eps.iter().enumerate().take(i + 1) {
                z += self.chol[i][j] * e;
            }
            let phi = params[i].persistence;
            let (mean, sd) = self.path_params[i];
            x[i] = if k == 0 {
                mean + sd * z
            } else {
                mean + phi * (self.state[i] - mean) + (1.0 - phi * phi).sqrt() * sd * z
            };
            // docs/model.md §2.8: truncated, and the recursion goes on from
            // the truncated value
            if let Some(b) = DRIVER_BOUNDS[i] {
                x[i] = b.clamp(x[i]);
            }
        }
        self.state = x;
        let sigma_l = self.path_params[CLAIM_INTENSITY].1;
        YearDrivers {
            wage_growth: x[0],
            employment_growth: x[1],
            interest_rate: x[2],
            claim_intensity: (x[3] - sigma_l * sigma_l / 2.0).exp(),
            medical_inflation: x[4],
            collection_shock: x[5],
            disposable_income_growth: x[6],
        }
    }

    /// `Λ ~ Gamma(1/cv², cv²)`, mean 1.
    fn frequency_multiplier(&mut self, cv: f64) -> f64 {
        if cv <= 0.0 {
            return 1.0;
        }
        let shape = 1.0 / (cv * cv);
        Gamma::new(shape, cv * cv).map_or(1.0, |g| g.sample(&mut self.economy))
    }

    fn count(&mut self, mean: f64) -> f64 {
        poisson(&mut self.claims, mean)
    }

    /// Small totals (`months · mean` ≤ [`SPLIT_TOTAL_MAX`]) superposed: one
    /// Poisson draw of their sum, each case given a kind in proportion to
    /// the kinds' totals and a month uniformly (independent Poisson counts,
    /// each split multinomially over the months, are the same law); larger
    /// totals month by month.
    fn kind_counts(&mut self, means: &PerKind, months: usize, out: &mut [f64]) {
        let out = &mut out[..months * KINDS];
        out.fill(0.0);
        let mut small = [0.0; KINDS];
        let mut small_total = 0.0;
        for (k, mean) in means.iter().enumerate() {
            if *mean <= 0.0 {
                continue;
            }
            let total = mean * months as f64;
            if total <= SPLIT_TOTAL_MAX {
                small[k] = total;
                small_total += total;
            } else {
                let rate = CountRate::new(*mean);
                for m in 0..months {
                    out[m * KINDS + k] = poisson_at(&mut self.claims, &rate);
                }
            }
        }
        let n = poisson(&mut self.claims, small_total) as u64;
        if n == 0 || !self.kinds.rebuild(&small) {
            return;
        }
        // one uniform draw gives the month and the alias column
        let cell = UniformBelow::new(months * KINDS);
        for _ in 0..n {
            let (j, bits) = cell.sample_and_bits(&mut self.claims);
            let (m, column) = (j / KINDS, j % KINDS);
            let k = self.kinds.pick(column, bits);
            out[m * KINDS + k] += 1.0;
        }
    }

    fn medical(&mut self, n: &PerOutcome, mean: &PerOutcome, cv: &PerOutcome) -> f64 {
        let cases: f64 = n.iter().sum();
        if cases <= 0.0 {
            return 0.0;
        }
        if cases >= MEDICAL_EXACT_BELOW {
            let (mut m, mut v) = (0.0, 0.0);
            for o in 0..OUTCOMES {
                m += n[o] * mean[o];
                v += n[o] * (cv[o] * mean[o]).powi(2);
            }
            if v <= 0.0 || m <= 0.0 {
                return m;
            }
            return Gamma::new(m * m / v, v / m).map_or(m, |g| g.sample(&mut self.severity));
        }
        let mut total = 0.0;
        for o in 0..OUTCOMES {
            if n[o] <= 0.0 || mean[o] <= 0.0 {
                continue;
            }
            if cv[o] <= 0.0 {
                total += n[o] * mean[o];
                continue;
            }
            let s2 = cv[o].mul_add(cv[o], 1.0).ln();
            let mu = mean[o].ln() - s2 / 2.0;
            let Ok(d) = LogNormal::new(mu, s2.sqrt()) else {
                total += n[o] * mean[o];
                continue;
            };
            for _ in 0..n[o] as u64 {
                total += d.sample(&mut self.severity);
            }
        }
        total
    }

    /// Events `~ Poisson(rate)`; each kills `1 + NegBin(mean size − 1, shape)`
    /// (a gamma-mixed Poisson) in one city drawn in proportion to `weights`.
    fn catastrophe_deaths(
        &mut self,
        rate: f64,
        size: f64,
        shape: f64,
        weights: &[f64],
        out: &mut [f64],
    ) {
        let events = poisson(&mut self.claims, rate) as u64;
        if events == 0 {
            return;
        }
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return;
        }
        for _ in 0..events {
            let extra = if size > 1.0 {
                let lambda = Gamma::new(shape, (size - 1.0) / shape)
                    .map_or(size - 1.0, |g| g.sample(&mut self.claims));
                poisson(&mut self.claims, lambda)
            } else {
                0.0
            };
            let mut u = self.claims.random::<f64>() * total;
            let mut city = weights.len() - 1;
            for (c, w) in weights.iter().enumerate() {
                if u < *w {
                    city = c;
                    break;
                }
                u -= w;
            }
            out[city] += 1.0 + extra;
        }
    }

    fn start_path(&mut self, cells: usize, months: usize) {
        self.exit_months = months;
        self.exits.clear();
        self.exits.resize(cells * 3 * months, 0.0);
    }

    /// Each head's exit month is drawn when it joins: with a monthly hazard
    /// `h`, the months it stays are geometric, `P(stays g more months, then
    /// leaves) = (1 − h)^g · h`, drawn from the alias table of [`Stays`].
    /// Independent geometric exit times are the same law as a binomial
    /// number of leavers each month (docs/model.md §5.2), at one draw per
    /// head instead of one per cell and month.
    fn joined(&mut self, stock: Stock, cell: usize, t: i64, heads: f64, h: f64) {
        if h <= 0.0 {
            return;
        }
        let base = (cell * 3 + stock as usize) * self.exit_months;
        let heads = round_nonnegative(heads);
        if h >= 1.0 {
            let month = t + 1;
            if (0..self.exit_months as i64).contains(&month) {
                self.exits[base + month as usize] += heads as f64;
            }
            return;
        }
        let months = self.exit_months;
        let stays = match &mut self.stays[stock as usize] {
            Some(st) if st.hazard == h && st.table.len() == months + 1 => st,
            slot => slot.insert(Stays::new(h, months)),
        };
        if stays.table.len() == 0 {
            return;
        }
        for _ in 0..heads {
            let (column, bits) = stays.column.sample_and_bits(&mut self.stocks);
            let g = stays.table.pick(column, bits);
            let month = t + 1 + g as i64;
            if (0..months as i64).contains(&month) {
                self.exits[base + month as usize] += 1.0;
            }
        }
    }

    fn leavers(&mut self, stock: Stock, cell: usize, t: usize, heads: f64, _h: f64) -> f64 {
        let leavers = self.exits[(cell * 3 + stock as usize) * self.exit_months + t];
        debug_assert!(leavers <= heads.round(), "more leavers than heads");
        leavers
    }

    fn whole_heads(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(draws: impl Iterator<Item = f64>) -> (f64, f64, usize) {
        let v: Vec<f64> = draws.collect();
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var, v.len())
    }

    /// Poisson draws on both sides of the inversion threshold have mean and
    /// variance λ (within 4 standard errors).
    #[test]
    fn poisson_mean_and_variance() {
        let mut rng = stream(1, Component::Claims, 0);
        for lambda in [0.05, 0.7, 3.0, 9.9, 10.0, 40.0] {
            let (m, v, n) = moments((0..200_000).map(|_| poisson(&mut rng, lambda)));
            let se_mean = (lambda / n as f64).sqrt();
            assert!((m - lambda).abs() < 4.0 * se_mean, "λ = {lambda}: mean {m}");
            // var of the sample variance ≈ (μ4 − σ⁴)/n with μ4 = λ + 3λ²
            let se_var = ((lambda + 2.0 * lambda * lambda) / n as f64).sqrt();
            assert!((v - lambda).abs() < 4.0 * se_var, "λ = {lambda}: var {v}");
        }
    }

    /// Binomial draws have mean np and variance np(1−p) on both paths.
    #[test]
    fn binomial_mean_and_variance() {
        let mut rng = stream(2, Component::Stocks, 0);
        for (n, p) in [
            (10.0, 0.01),
            (500.0, 0.005),
            (40.0, 0.3),
            (1000.0, 0.2),
            (7.0, 0.9),
        ] {
            let (m, v, k) = moments((0..200_000).map(|_| binomial(&mut rng, n, p)));
            let (mu, var) = (n * p, n * p * (1.0 - p));
            assert!(
                (m - mu).abs() < 4.0 * (var / k as f64).sqrt(),
                "B({n}, {p}): mean {m}"
            );
            assert!(
                (v - var).abs() < 0.03 * var + 1e-9,
                "B({n}, {p}): var {v} vs {var}"
            );
        }
    }

    /// `sample_and_bits` reads the very words `sample` and `next_u32` read,
    /// in order, across block boundaries and through rejections: for a
    /// table size, a size with almost no rejections and one that rejects
    /// about half the first tries, two copies of a stream stay in step.
    #[test]
    fn sample_and_bits_reads_what_two_calls_read() {
        for n in [1, 121, 264, (1 << 31) + 1] {
            let below = UniformBelow::new(n);
            let (mut a, mut b) = (
                stream(4, Component::Claims, 9),
                stream(4, Component::Claims, 9),
            );
            let mut rejected = 0;
            for i in 0..50_000 {
                if i % 7 == 0 {
                    // an odd offset, so that 64-bit reads straddle blocks
                    assert_eq!(a.next_u32(), b.next_u32());
                }
                let (j, bits) = below.sample_and_bits(&mut a);
                let before = b.get_word_pos();
                let k = below.sample(&mut b);
                rejected += usize::from(b.get_word_pos() - before > 1);
                assert_eq!((j, bits), (k, b.next_u32()), "n {n}, draw {i}");
            }
            assert_eq!(a.next_u64(), b.next_u64(), "n {n}: in step at the end");
            if n > 1 << 31 {
                assert!(rejected > 10_000, "rejections taken: {rejected}");
            }
        }
    }

    /// Streams differ by component and path, and repeat exactly for the same key.
    #[test]
    fn streams_are_keyed() {
        let a: u64 = stream(9, Component::Claims, 3).random();
        let b: u64 = stream(9, Component::Claims, 3).random();
        let c: u64 = stream(9, Component::Claims, 4).random();
        let d: u64 = stream(9, Component::Stocks, 3).random();
        let e: u64 = stream(10, Component::Claims, 3).random();
        assert_eq!(a, b);
        assert!(a != c && a != d && a != e);
    }

    /// Growth and interest draws are truncated to their bounds and the
    /// AR(1) recursion goes on from the truncated value: with sds far past
    /// what validation allows, every draw stays inside, both bounds are
    /// hit, and the state the next year starts from is the truncated value.
    #[test]
    fn driver_draws_are_truncated() {
        use crate::model::drivers::{GROWTH_BOUNDS, INTEREST_BOUNDS};
        let mut scenario = crate::input::default_scenario();
        let d = &mut scenario.drivers;
        for driver in [
            &mut d.wage_growth,
            &mut d.employment_growth,
            &mut d.medical_inflation,
            &mut d.disposable_income_growth,
            &mut d.interest_rate,
        ] {
            driver.sd = 5.0;
            driver.persistence = 0.9;
        }
        let drivers = scenario.drivers.clone();
        let mut mc = MonteCarlo::new(11, &scenario, 0);
        let (mut low, mut high) = (0, 0);
        for path in 0..200 {
            mc.set_path(path);
            for k in 0..10 {
                let y = mc.drivers(k, &drivers);
                for g in [
                    y.wage_growth,
                    y.employment_growth,
                    y.medical_inflation,
                    y.disposable_income_growth,
                ] {
                    assert!(GROWTH_BOUNDS.contains(g), "{g}");
                    low += usize::from(g == GROWTH_BOUNDS.low);
                    high += usize::from(g == GROWTH_BOUNDS.high);
                }
                assert!(INTEREST_BOUNDS.contains(y.interest_rate));
                // the recursion's state is the truncated value
                assert_eq!(mc.state[0], y.wage_growth);
                assert_eq!(mc.state[2], y.interest_rate);
            }
        }
        assert!(low > 100 && high > 100, "{low} {high}");
    }

    /// The medical cost has the matched mean and variance both below and
    /// above the gamma threshold.
    #[test]
    fn medical_cost_moments() {
        let scenario = crate::input::default_scenario();
        let mut mc = MonteCarlo::new(3, &scenario, 0);
        let mean = [1000.0; OUTCOMES];
        let mut cv = [0.0; OUTCOMES];
        cv[0] = 1.5;
        cv[5] = 0.8;
        for cases in [4.0, 60.0] {
            let mut n = [0.0; OUTCOMES];
            n[0] = cases / 2.0;
            n[5] = cases / 2.0;
            let (m, v, k) = moments((0..100_000).map(|_| mc.medical(&n, &mean, &cv)));
            let mu = cases * 1000.0;
            let var = cases / 2.0 * (1500.0f64.powi(2) + 800.0f64.powi(2));
            assert!(
                (m - mu).abs() < 4.0 * (var / k as f64).sqrt(),
                "{cases} cases: mean {m}"
            );
            assert!(
                (v / var - 1.0).abs() < 0.08,
                "{cases} cases: var {v} vs {var}"
            );
        }
    }
}
