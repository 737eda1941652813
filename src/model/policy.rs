//! The 12-month rule and the rate policy (docs/model.md §6): the average
//! monthly payment level `Ē_t` over the last 12 months (base-year months
//! before the start), the months of reserve `R_t = B_t / Ē_t`, the breach
//! test, and the bands that set next year's rate multiplier each December.

use super::limits::MAX_RESERVE_MONTHS;
use serde::Serialize;

/// What a band of the rate policy does (docs/model.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub(crate) enum BandAction {
    /// Keep the multiplier.
    Hold,
    /// Multiply by `1 + step`, at most `cap`.
    Raise {
        /// Relative step.
        step: f64,
        /// Highest multiplier a raise may reach.
        cap: f64,
    },
    /// Set the multiplier to `factor`.
    Set {
        /// The new multiplier.
        factor: f64,
    },
}

/// One band `[lower, upper)` on the reserve months.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Band {
    /// Lower bound (inclusive); `-inf` when absent.
    pub(crate) lower: f64,
    /// Upper bound (exclusive); `+inf` when absent.
    pub(crate) upper: f64,
    /// What the band does.
    #[serde(flatten)]
    pub(crate) action: BandAction,
    /// Consecutive Decembers in the band before it acts (≥ 1).
    pub(crate) years_in_a_row: u32,
}

/// The rate policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum RatePolicy {
    /// The unmanaged fund: the multiplier stays at 1.
    None,
    /// Ordered bands; the first that holds acts.
    Bands {
        /// The bands.
        bands: Vec<Band>,
        /// Limits on the multiplier the bands set.
        stability: Stability,
    },
}

/// Stability rules on the policy multiplier: after a band acts, next year's
/// multiplier is kept within `±max_change` of this year's, then within
/// `[floor, ceiling]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Stability {
    /// Largest relative change from one year to the next (`None`: no cap).
    pub(crate) max_change: Option<f64>,
    /// Lowest multiplier.
    pub(crate) floor: f64,
    /// Highest multiplier.
    pub(crate) ceiling: f64,
}

impl Default for Stability {
    fn default() -> Stability {
        Stability {
            max_change: None,
            floor: 0.0,
            ceiling: f64::INFINITY,
        }
    }
}

impl Stability {
    /// Applies the rules to a proposed multiplier.
    pub(crate) fn limit(&self, previous: f64, proposed: f64) -> f64 {
        let mut m = proposed;
        if let Some(c) = self.max_change {
            m = m.clamp(previous * (1.0 - c), previous * (1.0 + c));
        }
        m.clamp(self.floor, self.ceiling)
    }
}

/// The last 12 months of payments (money paid back to a payer aside), for `Ē_t`.
#[derive(Debug, Clone)]
pub(crate) struct PaymentLevel {
    months: [f64; 12],
    next: usize,
}

impl PaymentLevel {
    /// Before the start every month counts at `base_monthly` (base-year expenditure ÷ 12).
    pub(crate) fn new(base_monthly: f64) -> PaymentLevel {
        PaymentLevel {
            months: [base_monthly; 12],
            next: 0,
        }
    }

    /// Records month `t`'s payments and returns `Ē_t`.
    pub(crate) fn push(&mut self, payments: f64) -> f64 {
        self.months[self.next] = payments;
        self.next = (self.next + 1) % 12;
        self.average()
    }

    /// `Ē`: the mean of the last 12 months (summed in a fixed order).
    pub(crate) fn average(&self) -> f64 {
        self.months.iter().sum::<f64>() / 12.0
    }
}

/// `R = B / Ē`, `+∞` when `Ē ≤ 0`, held within ±[`MAX_RESERVE_MONTHS`]
/// otherwise (a fund whose payments all but stopped).
pub(crate) fn reserve_months(balance: f64, average_payment: f64) -> f64 {
    if average_payment <= 0.0 {
        f64::INFINITY
    } else {
        (balance / average_payment).clamp(-MAX_RESERVE_MONTHS, MAX_RESERVE_MONTHS)
    }
}

/// The fund is in breach when December's `R` is below the rule.
pub(crate) fn in_breach(reserve_months: f64, rule_months: f64) -> bool {
    reserve_months < rule_months
}

/// The policy's memory: the multiplier in force and, per band, how many
/// consecutive Decembers `R` has been in it.
#[derive(Debug, Clone)]
pub(crate) struct PolicyState {
    /// `M_k`, the multiplier in force this year.
    pub(crate) multiplier: f64,
    streaks: Vec<u32>,
}

impl PolicyState {
    /// The state at the start, with `M_0 = initial`.
    pub(crate) fn new(policy: &RatePolicy, initial: f64) -> PolicyState {
        let n = match policy {
            RatePolicy::None => 0,
            RatePolicy::Bands { bands, .. } => bands.len(),
        };
        PolicyState {
            multiplier: initial,
            streaks: vec![0; n],
        }
    }

    /// Resets to the start without allocating.
    pub(crate) fn reset(&mut self, policy: &RatePolicy, initial: f64) {
        self.multiplier = match policy {
            RatePolicy::None => 1.0,
            RatePolicy::Bands { .. } => initial,
        };
        self.streaks.fill(0);
    }

    /// Reads December's `R` and sets `M_{k+1}`; returns it.
    ///
    /// Every band whose range holds extends its streak, every other band's
    /// streak restarts. The first band that holds acts if its streak has
    /// reached `years_in_a_row`; otherwise the multiplier is held. A band
    /// keeps acting each December while its condition persists (a `raise`
    /// band raises again, up to its cap). A `raise` never lowers the
    /// multiplier: docs/model.md's `min(M·(1+step), cap)` would cut a multiplier
    /// already above the cap while the fund is in breach, so above the cap
    /// it holds. Stability rules then limit the result.
    pub(crate) fn december(&mut self, policy: &RatePolicy, reserve_months: f64) -> f64 {
        let RatePolicy::Bands { bands, stability } = policy else {
            self.multiplier = 1.0;
            return self.multiplier;
        };
        let mut acting = None;
        for (i, band) in bands.iter().enumerate() {
            let holds = reserve_months >= band.lower && reserve_months < band.upper;
            self.streaks[i] = if holds { self.streaks[i] + 1 } else { 0 };
            if holds && acting.is_none() {
                acting = Some(i);
            }
        }
        if let Some(i) = acting {
            let band = &bands[i];
            if self.streaks[i] >= band.years_in_a_row {
                let proposed = match band.action {
                    BandAction::Hold => self.multiplier,
                    // a raise never lowers: at or above its cap it holds
                    BandAction::Raise { step, cap } => (self.multiplier * (1.0 + step))
                        .min(cap)
                        .max(self.multiplier),
                    BandAction::Set { factor } => factor,
                };
                self.multiplier = stability.limit(self.multiplier, proposed);
            }
        }
        self.multiplier
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands(list: Vec<Band>) -> RatePolicy {
        RatePolicy::Bands {
            bands: list,
            stability: Stability::default(),
        }
    }

    fn band(lower: f64, upper: f64, action: BandAction, years: u32) -> Band {
        Band {
            lower,
            upper,
            action,
            years_in_a_row: years,
        }
    }

    /// `Ē` starts at the base-year level and becomes the mean of real months.
    #[test]
    fn payment_level_mixes_base_and_real_months() {
        let mut p = PaymentLevel::new(100.0);
        assert_eq!(p.push(220.0), (11.0 * 100.0 + 220.0) / 12.0);
        for _ in 0..11 {
            p.push(220.0);
        }
        assert_eq!(p.average(), 220.0);
    }

    /// `R` is infinite when nothing is paid, and the breach test is strict.
    #[test]
    fn reserve_months_and_breach() {
        assert_eq!(reserve_months(10.0, 0.0), f64::INFINITY);
        assert_eq!(reserve_months(120.0, 10.0), 12.0);
        assert!(!in_breach(12.0, 12.0));
        assert!(in_breach(11.99, 12.0));
    }

    /// Each action: hold keeps, raise multiplies up to the cap, set sets.
    #[test]
    fn band_actions() {
        let p = bands(vec![
            band(
                f64::NEG_INFINITY,
                12.0,
                BandAction::Raise {
                    step: 0.1,
                    cap: 1.15,
                },
                1,
            ),
            band(12.0, 18.0, BandAction::Hold, 1),
            band(18.0, 24.0, BandAction::Set { factor: 0.8 }, 1),
        ]);
        let mut s = PolicyState::new(&p, 1.0);
        assert!((s.december(&p, 11.0) - 1.1).abs() < 1e-12);
        assert!((s.december(&p, 11.0) - 1.15).abs() < 1e-12, "capped");
        assert!((s.december(&p, 15.0) - 1.15).abs() < 1e-12, "held");
        assert!((s.december(&p, 20.0) - 0.8).abs() < 1e-12, "set");
        assert!((s.december(&p, 30.0) - 0.8).abs() < 1e-12, "no band: held");
    }

    /// A band with `years_in_a_row = 2` acts only on the second consecutive
    /// December, and a December outside it restarts the count.
    #[test]
    fn years_in_a_row() {
        let p = bands(vec![band(
            f64::NEG_INFINITY,
            12.0,
            BandAction::Set { factor: 1.2 },
            2,
        )]);
        let mut s = PolicyState::new(&p, 1.0);
        assert_eq!(s.december(&p, 10.0), 1.0);
        assert_eq!(s.december(&p, 13.0), 1.0);
        assert_eq!(s.december(&p, 10.0), 1.0);
        assert_eq!(s.december(&p, 10.0), 1.2);
    }

    /// The first band that holds acts, even when a later one also holds.
    #[test]
    fn first_band_wins() {
        let p = bands(vec![
            band(0.0, 12.0, BandAction::Set { factor: 1.3 }, 1),
            band(0.0, 100.0, BandAction::Set { factor: 0.5 }, 1),
        ]);
        let mut s = PolicyState::new(&p, 1.0);
        assert_eq!(s.december(&p, 5.0), 1.3);
    }

    /// Stability rules: a set of 2.0 from 1.0 is held to +15 %, then to the
    /// ceiling; a set of 0.5 to −15 %, then to the floor.
    #[test]
    fn stability_limits_the_change() {
        let s = Stability {
            max_change: Some(0.15),
            floor: 0.9,
            ceiling: 1.1,
        };
        assert!((s.limit(1.0, 2.0) - 1.1).abs() < 1e-12);
        assert!((s.limit(1.0, 0.5) - 0.9).abs() < 1e-12);
        assert!((s.limit(1.0, 1.05) - 1.05).abs() < 1e-12);
        let p = RatePolicy::Bands {
            bands: vec![band(
                f64::NEG_INFINITY,
                12.0,
                BandAction::Set { factor: 2.0 },
                1,
            )],
            stability: Stability {
                max_change: Some(0.15),
                floor: 0.0,
                ceiling: 10.0,
            },
        };
        let mut st = PolicyState::new(&p, 1.0);
        assert!((st.december(&p, 5.0) - 1.15).abs() < 1e-12);
        assert!((st.december(&p, 5.0) - 1.15 * 1.15).abs() < 1e-12);
    }

    /// Policy `none` keeps the multiplier at 1.
    #[test]
    fn none_keeps_one() {
        let mut s = PolicyState::new(&RatePolicy::None, 1.0);
        assert_eq!(s.december(&RatePolicy::None, 1.0), 1.0);
    }
}
