//! The first-year calibration check (docs/model.md §8.6): each target of
//! the scenario's `[calibration]` against the expected-value projection's
//! first year.

use crate::model::lines::Line;
use crate::model::scenario::{CalibrationTarget, Scenario};
use crate::stats::year::YearRecord;
use serde::Serialize;

/// One row of the calibration check.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CalibrationRow {
    /// The target (its name in files is [`CalibrationTarget::name`]).
    pub(crate) target: CalibrationTarget,
    /// Value in the scenario's `[calibration]`.
    pub(crate) target_value: f64,
    /// The model's first-year value.
    pub(crate) model_value: f64,
    /// `model / target − 1`.
    pub(crate) relative_error: f64,
    /// Within the scenario's tolerance.
    pub(crate) within_tolerance: bool,
}

/// The first-year value of a calibration target.
pub(crate) fn calibration_value(
    s: &Scenario,
    first: &YearRecord,
    target: CalibrationTarget,
) -> f64 {
    // 0 with fewer than a millionth of a case a year: a share of a
    // vanishing count (a subnormal one among them) would not be finite
    let share = |x: f64| {
        if first.cases >= 1e-6 {
            x / first.cases
        } else {
            0.0
        }
    };
    match target {
        CalibrationTarget::Insured => first.insured,
        CalibrationTarget::PremiumIncome => first.get(Line::Premiums),
        CalibrationTarget::Expenditure => first.get(Line::ExpenditureTotal),
        CalibrationTarget::OpeningBalance => s.fund.opening_balance,
        CalibrationTarget::RecognisedInjuries => first.cases,
        CalibrationTarget::GradedShare => share(first.graded),
        CalibrationTarget::DeathShare => share(first.deaths),
        CalibrationTarget::Beneficiaries => first.beneficiaries,
    }
}

/// Compares the first projection year with the scenario's calibration targets.
pub(crate) fn calibration(s: &Scenario, first: &YearRecord) -> Vec<CalibrationRow> {
    let Some(cal) = &s.calibration else {
        return Vec::new();
    };
    cal.targets
        .iter()
        .map(|&(target, target_value)| {
            let model_value = calibration_value(s, first, target);
            let relative_error = if target_value == 0.0 {
                model_value
            } else {
                model_value / target_value - 1.0
            };
            CalibrationRow {
                target,
                target_value,
                model_value,
                relative_error,
                within_tolerance: relative_error.abs() <= cal.tolerance,
            }
        })
        .collect()
}
