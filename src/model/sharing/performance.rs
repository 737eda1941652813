//! `performance` (docs/model.md §7): like `fixed_ratio`, but a city's
//! weight is raised by `penalty × (1 − κ/target)` when its collection rate
//! κ is below the target.

use super::{FundMonth, Rules, SharingKey, distribute, key_weights};
use crate::model::check::Checker;
use serde::{Deserialize, Serialize};

/// The parameters of `performance`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Performance {
    /// Province's share of each gap.
    pub(crate) province: f64,
    /// Key splitting the cities' part.
    pub(crate) key: SharingKey,
    /// Target collection rate.
    pub(crate) target: f64,
    /// Weight penalty per unit of relative shortfall.
    pub(crate) penalty: f64,
}

/// `performance` as written in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Raw {
    province: Option<f64>,
    key: Option<String>,
    target: Option<f64>,
    penalty: Option<f64>,
}

impl Performance {
    /// Checks the parameters; problems are reported under `field`.
    pub(super) fn resolve(raw: &Raw, field: &str, c: &mut Checker) -> Performance {
        let f = |name: &str| format!("{field}.{name}");
        let target = if let Some(t) = raw.target {
            c.num(
                &f("target"),
                t,
                |v| v > 0.0 && v <= 1.0,
                "a target collection rate in (0, 1]",
            )
        } else {
            c.fail(
                f("target"),
                "missing",
                "scheme \"performance\" needs target, a collection rate in (0, 1]",
            );
            1.0
        };
        let penalty = if let Some(p) = raw.penalty {
            c.within(
                &f("penalty"),
                p,
                (0.0, 100.0),
                "the weight penalty per unit of shortfall",
            )
        } else {
            c.fail(
                f("penalty"),
                "missing",
                "scheme \"performance\" needs penalty, the weight added per unit of collection below target (≥ 0)",
            );
            0.0
        };
        Performance {
            province: c.required_prob(field, "province", raw.province, "performance"),
            key: SharingKey::resolve(raw.key.as_deref(), &f("key"), c),
            target,
            penalty,
        }
    }
}

impl Rules for Performance {
    fn share(&mut self, gap: f64, month: &FundMonth, weights: &mut [f64], out: &mut [f64]) {
        let (province, cities) = out.split_at_mut(1);
        key_weights(self.key, month, weights);
        for (w, kappa) in weights.iter_mut().zip(month.collection_rate) {
            *w *= 1.0 + self.penalty * (1.0 - kappa / self.target).max(0.0);
        }
        province[0] = self.province * gap;
        distribute((1.0 - self.province) * gap, weights, cities);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, window};
    use super::*;
    use crate::model::sharing::Scheme;

    /// A city collecting 80 % against a 100 % target with penalty 1 weighs
    /// 1.2 times its key.
    #[test]
    fn performance_hand_case() {
        let w = window(&[100.0, 100.0], &[0.0, 0.0]);
        let s = Scheme::Performance(Performance {
            province: 0.5,
            key: SharingKey::PremiumIncome,
            target: 1.0,
            penalty: 1.0,
        });
        let out = run(&s, &w, &[1.0, 0.8]);
        assert!((out[1] - 500.0 / 2.2).abs() < 1e-9);
        assert!((out[2] - 500.0 * 1.2 / 2.2).abs() < 1e-9);
        assert!((out.iter().sum::<f64>() - 1000.0).abs() < 1e-9);
    }
}
