//! `fixed_ratio` (docs/model.md §7): the province pays a fixed share of each
//! gap; the cities pay the rest in proportion to a key.

use super::{FundMonth, Rules, SharingKey, distribute, key_weights};
use crate::model::check::Checker;
use serde::{Deserialize, Serialize};

/// The parameters of `fixed_ratio`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct FixedRatio {
    /// Province's share of each gap.
    pub(crate) province: f64,
    /// Key splitting the cities' part.
    pub(crate) key: SharingKey,
}

/// `fixed_ratio` as written in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Raw {
    province: Option<f64>,
    key: Option<String>,
}

impl FixedRatio {
    /// Checks the parameters; problems are reported under `field`.
    pub(super) fn resolve(raw: &Raw, field: &str, c: &mut Checker) -> FixedRatio {
        FixedRatio {
            province: c.required_prob(field, "province", raw.province, "fixed_ratio"),
            key: SharingKey::resolve(raw.key.as_deref(), &format!("{field}.key"), c),
        }
    }
}

impl Rules for FixedRatio {
    fn share(&mut self, gap: f64, month: &FundMonth, weights: &mut [f64], out: &mut [f64]) {
        let (province, cities) = out.split_at_mut(1);
        province[0] = self.province * gap;
        key_weights(self.key, month, weights);
        distribute((1.0 - self.province) * gap, weights, cities);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, window};
    use super::*;
    use crate::model::sharing::Scheme;

    /// `fixed_ratio` 40 % province, cities by premiums 300:100.
    #[test]
    fn fixed_ratio_hand_case() {
        let w = window(&[300.0, 100.0], &[0.0, 0.0]);
        let out = run(
            &Scheme::FixedRatio(FixedRatio {
                province: 0.4,
                key: SharingKey::PremiumIncome,
            }),
            &w,
            &[1.0, 1.0],
        );
        assert_eq!(out, vec![400.0, 450.0, 150.0]);
        assert_eq!(out.iter().sum::<f64>(), 1000.0);
    }
}
