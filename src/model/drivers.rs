//! Annual drivers and the indices built from them (docs/model.md §2–3):
//! wage, medical, employment and disposable-income indices (base year = 1),
//! and the collection rate of each city.
//!
//! How a year's drivers are drawn is the sampler's business
//! ([`crate::model::sampling::Sampler::drivers`]); this module turns them into the
//! levels the rest of the model reads.

use super::scenario::{COLLECTION_SHOCK, DRIVERS, Driver, Scenario};

/// A closed interval a yearly draw is truncated to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bounds {
    /// Lowest value.
    pub(crate) low: f64,
    /// Highest value.
    pub(crate) high: f64,
}

/// How many standard deviations a driver's mean must lie inside its
/// bounds: the truncation then binds in fewer than 1 draw in 10,000
/// (2 · Φ(−3.9) = 9.6 · 10⁻⁵ when both bounds are that close).
pub(crate) const SD_MARGIN: f64 = 3.9;

impl Bounds {
    /// `v` truncated to the bounds.
    pub(crate) fn clamp(self, v: f64) -> f64 {
        v.clamp(self.low, self.high)
    }

    /// Whether `v` lies within the bounds.
    pub(crate) fn contains(self, v: f64) -> bool {
        (self.low..=self.high).contains(&v)
    }

    /// The largest standard deviation of a draw with mean `mean` for which
    /// the truncation binds in fewer than 1 draw in 10,000.
    pub(crate) fn largest_sd(self, mean: f64) -> f64 {
        ((mean - self.low).min(self.high - mean) / SD_MARGIN).max(0.0)
    }
}

/// Every yearly growth draw — wage, the common employment factor, each
/// sector's employment, medical inflation, disposable income — is
/// truncated to [−50 %, +100 %], so that no index reaches zero
/// (docs/model.md §2.8).
pub(crate) const GROWTH_BOUNDS: Bounds = Bounds {
    low: -0.5,
    high: 1.0,
};

/// The yearly interest draw is truncated to [−5 %, 50 %].
pub(crate) const INTEREST_BOUNDS: Bounds = Bounds {
    low: -0.05,
    high: 0.5,
};

/// The bounds of each driver, in the order of
/// [`super::scenario::DRIVER_NAMES`] (`None`: the claim intensity and the
/// collection shock, which enter through `exp` and a clamp to [0, 1]).
pub(crate) const DRIVER_BOUNDS: [Option<Bounds>; DRIVERS] = [
    Some(GROWTH_BOUNDS),
    Some(GROWTH_BOUNDS),
    Some(INTEREST_BOUNDS),
    None,
    Some(GROWTH_BOUNDS),
    None,
    Some(GROWTH_BOUNDS),
];

/// The largest standard deviation the scenario format allows driver `i`
/// (in the order of [`super::scenario::DRIVER_NAMES`]) with the mean and
/// persistence of `d` (docs/scenario.md): for a growth or the interest
/// rate, its mean must lie [`SD_MARGIN`] sd inside its bounds; for the
/// claim intensity and the collection shock the stationary sd
/// `σ / √(1 − φ²)` is at most 0.5, and σκ at most 1.
pub(crate) fn largest_sd(i: usize, d: &Driver) -> f64 {
    if let Some(b) = DRIVER_BOUNDS[i] {
        b.largest_sd(d.mean)
    } else {
        let s = MAX_SHOCK_STATIONARY_SD * (1.0 - d.persistence * d.persistence).sqrt();
        if i == COLLECTION_SHOCK { s.min(1.0) } else { s }
    }
}

/// Largest stationary sd of the claim intensity and the collection shock:
/// the claim intensity `exp(x)` then stays within `e^±2` at 4 sd.
pub(crate) const MAX_SHOCK_STATIONARY_SD: f64 = 0.5;

/// Driver values of one projection year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct YearDrivers {
    /// `gW_k`.
    pub(crate) wage_growth: f64,
    /// `gE_k`, the common employment factor.
    pub(crate) employment_growth: f64,
    /// `r_k`, annual interest rate on the balance.
    pub(crate) interest_rate: f64,
    /// `K_k`, claim intensity with mean 1.
    pub(crate) claim_intensity: f64,
    /// `gM_k`.
    pub(crate) medical_inflation: f64,
    /// `z_κ,k`, the standard-normal collection shock.
    pub(crate) collection_shock: f64,
    /// `gD_k`.
    pub(crate) disposable_income_growth: f64,
}

/// Index levels of the current and previous year (base year = 1, `X_{−1} = 1`).
#[derive(Debug, Clone)]
pub(crate) struct Indices {
    /// `Wage_k`.
    pub(crate) wage: f64,
    /// `Wage_{k−1}`.
    pub(crate) wage_prev: f64,
    /// `Med_k`.
    pub(crate) medical: f64,
    /// `Disp_k`.
    pub(crate) disposable: f64,
    /// `Disp_{k−1}`.
    pub(crate) disposable_prev: f64,
    /// `Emp_k[s]`.
    pub(crate) employment: Vec<f64>,
}

impl Indices {
    /// Base-year levels: every index 1.
    pub(crate) fn base(n_sectors: usize) -> Indices {
        Indices {
            wage: 1.0,
            wage_prev: 1.0,
            medical: 1.0,
            disposable: 1.0,
            disposable_prev: 1.0,
            employment: vec![1.0; n_sectors],
        }
    }

    /// Resets to base-year levels without allocating.
    pub(crate) fn reset(&mut self) {
        self.wage = 1.0;
        self.wage_prev = 1.0;
        self.medical = 1.0;
        self.disposable = 1.0;
        self.disposable_prev = 1.0;
        self.employment.fill(1.0);
    }

    /// Moves from year `k−1` to year `k` with year `k`'s drivers;
    /// `employment_shift` is added to every sector's employment growth (a
    /// stress overlay's shock, 0 otherwise).
    pub(crate) fn advance(&mut self, d: &YearDrivers, scenario: &Scenario, employment_shift: f64) {
        self.wage_prev = self.wage;
        self.wage *= 1.0 + d.wage_growth;
        self.medical *= 1.0 + d.medical_inflation;
        self.disposable_prev = self.disposable;
        self.disposable *= 1.0 + d.disposable_income_growth;
        let mu_e = scenario.drivers.employment_growth.mean;
        for (e, s) in self.employment.iter_mut().zip(&scenario.sectors) {
            let growth = sector_employment_growth(
                s.employment_growth,
                s.employment_beta,
                d.employment_growth,
                mu_e,
            );
            *e *= 1.0 + GROWTH_BOUNDS.clamp(growth + employment_shift);
        }
    }
}

/// `gN_k[s] = μN[s] + β[s] (gE_k − μE)`, truncated to [`GROWTH_BOUNDS`].
pub(crate) fn sector_employment_growth(mu_n: f64, beta: f64, g_e: f64, mu_e: f64) -> f64 {
    GROWTH_BOUNDS.clamp(mu_n + beta * (g_e - mu_e))
}

/// `κ_k[c] = clamp(κ̄[c] + σκ · z_κ,k, 0, 1)`.
pub(crate) fn collection_rate(mean: f64, scale: f64, shock: f64) -> f64 {
    (mean + scale * shock).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The clamp keeps a collection rate in [0, 1] whatever the shock.
    #[test]
    fn collection_rate_is_clamped() {
        assert_eq!(collection_rate(0.95, 0.1, 1.0), 1.0);
        assert_eq!(collection_rate(0.05, 0.1, -1.0), 0.0);
        assert!((collection_rate(0.9, 0.05, -1.0) - 0.85).abs() < 1e-12);
    }

    /// A sector with β = 2 moves twice as much as the common factor, and
    /// its growth is truncated to [−0.5, 1.0] like every growth draw.
    #[test]
    fn sector_growth_loads_on_common_factor() {
        assert!((sector_employment_growth(0.01, 2.0, 0.03, 0.02) - 0.03).abs() < 1e-12);
        assert_eq!(sector_employment_growth(0.0, 1000.0, -0.1, 0.0), -0.5);
        assert_eq!(sector_employment_growth(0.0, 1000.0, 0.1, 0.0), 1.0);
    }

    /// At the largest allowed sd the mean lies 3.9 sd inside the nearer bound.
    #[test]
    fn largest_sd_keeps_the_mean_inside() {
        let sd = GROWTH_BOUNDS.largest_sd(0.05);
        assert!((sd - 0.55 / 3.9).abs() < 1e-15);
        assert_eq!(GROWTH_BOUNDS.largest_sd(-0.5), 0.0);
        assert_eq!(INTEREST_BOUNDS.clamp(-0.2), -0.05);
    }
}
