//! `responsibility` (docs/model.md §7): the cities pay a share of each gap
//! in proportion to their own shortfall over the last 12 months (their
//! expenditure less their premiums), by a key when no city has one; the
//! province pays the rest.

use super::{FundMonth, Rules, SharingKey, distribute, own_shortfall_weights};
use crate::model::check::Checker;
use serde::{Deserialize, Serialize};

/// The parameters of `responsibility`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Responsibility {
    /// Cities' share of each gap.
    pub(crate) city_share: f64,
    /// Key used when no city has a shortfall.
    pub(crate) key: SharingKey,
}

/// `responsibility` as written in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Raw {
    city_share: Option<f64>,
    key: Option<String>,
}

impl Responsibility {
    /// Checks the parameters; problems are reported under `field`.
    pub(super) fn resolve(raw: &Raw, field: &str, c: &mut Checker) -> Responsibility {
        Responsibility {
            city_share: c.required_prob(field, "city_share", raw.city_share, "responsibility"),
            key: SharingKey::resolve(raw.key.as_deref(), &format!("{field}.key"), c),
        }
    }
}

impl Rules for Responsibility {
    fn share(&mut self, gap: f64, month: &FundMonth, weights: &mut [f64], out: &mut [f64]) {
        let (province, cities) = out.split_at_mut(1);
        own_shortfall_weights(self.key, month, weights);
        province[0] = (1.0 - self.city_share) * gap;
        distribute(self.city_share * gap, weights, cities);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, window};
    use super::*;
    use crate::model::sharing::Scheme;

    /// Only the city whose expenditure exceeds its premiums pays the cities' part.
    #[test]
    fn responsibility_hand_case() {
        let w = window(&[300.0, 100.0, 50.0], &[200.0, 400.0, 150.0]);
        let out = run(
            &Scheme::Responsibility(Responsibility {
                city_share: 0.3,
                key: SharingKey::Equal,
            }),
            &w,
            &[1.0; 3],
        );
        // shortfalls 0, 300, 100 → cities' 300 split 225 / 75.
        assert_eq!(out, vec![700.0, 0.0, 225.0, 75.0]);
    }

    /// With no shortfall anywhere the cities' part falls back to the key.
    #[test]
    fn responsibility_falls_back_to_key() {
        let w = window(&[300.0, 100.0], &[0.0, 0.0]);
        let out = run(
            &Scheme::Responsibility(Responsibility {
                city_share: 0.5,
                key: SharingKey::Equal,
            }),
            &w,
            &[1.0; 2],
        );
        assert_eq!(out, vec![500.0, 250.0, 250.0]);
    }
}
