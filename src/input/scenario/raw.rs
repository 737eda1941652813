//! The scenario file as written: the TOML schema, parsed with serde.
//!
//! Every table refuses unknown fields. Fields with a default are `Option`s
//! here; [`super::resolve`] fills the defaults in and checks every value, so
//! nothing outside the input layer ever sees these types. The `[sharing]`
//! table is kept as TOML: its fields depend on the scheme, whose own file
//! reads them ([`crate::model::sharing`]).

use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawScenario {
    pub(crate) name: String,
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) description: String,
    pub(crate) start_year: i32,
    pub(crate) years: i64,
    pub(crate) seed: Option<u64>,
    pub(crate) economy: RawEconomy,
    pub(crate) drivers: RawDrivers,
    pub(crate) sectors: Vec<RawSector>,
    pub(crate) cities: Vec<RawCity>,
    pub(crate) claims: RawClaims,
    pub(crate) lags: RawLags,
    pub(crate) benefits: RawBenefits,
    pub(crate) stocks: RawStocks,
    pub(crate) fund: RawFund,
    pub(crate) policy: Option<RawPolicy>,
    #[serde(default)]
    pub(crate) schedule: Vec<RawRateChange>,
    pub(crate) sharing: Option<toml::Table>,
    #[serde(default)]
    pub(crate) law: RawLaw,
    pub(crate) calibration: Option<RawCalibration>,
    pub(crate) execution: Option<RawExecution>,
    pub(crate) presets: Option<RawPresets>,
    pub(crate) date: Option<String>,
    #[serde(default)]
    pub(crate) sources: std::collections::BTreeMap<String, String>,
}

/// The base year's budget execution by line (yuan), for the budget's
/// last-year column.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawExecution {
    pub(crate) premiums: f64,
    #[serde(default)]
    pub(crate) interest: f64,
    #[serde(default)]
    pub(crate) fiscal_subsidy: f64,
    #[serde(default)]
    pub(crate) gap_transfers: f64,
    #[serde(default)]
    pub(crate) other_income: f64,
    pub(crate) medical: f64,
    pub(crate) disability: f64,
    pub(crate) death: f64,
    #[serde(default)]
    pub(crate) investigation: f64,
    #[serde(default)]
    pub(crate) appraisal: f64,
    #[serde(default)]
    pub(crate) prevention: f64,
    #[serde(default)]
    pub(crate) other_expenditure: f64,
    pub(crate) opening_balance: f64,
}

/// Base-year economy-wide levels (docs/model.md §3).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawEconomy {
    pub(crate) average_monthly_wage: f64,
    pub(crate) disposable_income: f64,
    pub(crate) season: Option<Vec<f64>>,
}

/// One driver with mean, standard deviation and AR(1) persistence.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table with mean, sd and persistence"
)]
pub(crate) struct RawDriver {
    pub(crate) mean: f64,
    #[serde(default)]
    pub(crate) sd: f64,
    #[serde(default)]
    pub(crate) persistence: f64,
    pub(crate) mean_se: Option<f64>,
    pub(crate) sd_df: Option<f64>,
}

/// A driver whose mean is fixed by definition (claim intensity, collection shock).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table with sd and persistence")]
pub(crate) struct RawShock {
    #[serde(default)]
    pub(crate) sd: f64,
    #[serde(default)]
    pub(crate) persistence: f64,
    pub(crate) sd_df: Option<f64>,
}

/// The annual drivers of docs/model.md §2.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawDrivers {
    pub(crate) wage_growth: RawDriver,
    pub(crate) employment_growth: RawDriver,
    pub(crate) interest_rate: RawDriver,
    pub(crate) claim_intensity: RawShock,
    pub(crate) medical_inflation: RawDriver,
    pub(crate) collection_shock: RawShock,
    pub(crate) disposable_income_growth: RawDriver,
    pub(crate) correlation: Option<Vec<Vec<f64>>>,
}

/// A value per outcome: medical only, grades 1–10, death.
#[derive(Debug, Deserialize, Clone)]
#[serde(
    deny_unknown_fields,
    expecting = "a table { medical_only = …, grades = [ … ], death = … }"
)]
pub(crate) struct RawOutcomes {
    pub(crate) medical_only: f64,
    pub(crate) grades: Vec<f64>,
    pub(crate) death: f64,
}

/// One industry risk class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawSector {
    pub(crate) name: String,
    pub(crate) benchmark_rate: f64,
    pub(crate) floating_factor: Option<f64>,
    pub(crate) floating_band: Option<Vec<f64>>,
    pub(crate) frequency: f64,
    pub(crate) frequency_cv: Option<f64>,
    pub(crate) employment_growth: Option<f64>,
    pub(crate) employment_beta: Option<f64>,
    pub(crate) outcome_mix: RawOutcomes,
    pub(crate) catastrophe_rate: Option<f64>,
    pub(crate) catastrophe_size: Option<f64>,
    pub(crate) catastrophe_size_shape: Option<f64>,
}

/// A stock's opening position in one city.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table { heads = …, monthly_amount = … }"
)]
pub(crate) struct RawOpeningStock {
    pub(crate) heads: f64,
    pub(crate) monthly_amount: f64,
}

/// One city (设区市 or 赣江新区).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawCity {
    pub(crate) name: String,
    pub(crate) insured: Vec<f64>,
    pub(crate) monthly_wage: Vec<f64>,
    pub(crate) relative_risk: Option<f64>,
    pub(crate) collection_rate: f64,
    pub(crate) fiscal_revenue: f64,
    pub(crate) disability: RawOpeningStock,
    pub(crate) care: RawOpeningStock,
    pub(crate) survivors: RawOpeningStock,
}

/// Per-case costs (docs/model.md §5.1).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawClaims {
    pub(crate) medical_cost: RawOutcomes,
    pub(crate) medical_cv: Option<RawOutcomes>,
    pub(crate) investigation_cost: f64,
    pub(crate) appraisal_cost: f64,
    pub(crate) base_year_intensity: Option<f64>,
}

/// Lags in months and the medical payment pattern.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawLags {
    pub(crate) payment_pattern: Vec<f64>,
    pub(crate) appraisal: f64,
    pub(crate) medical_subsidy: f64,
    pub(crate) death: f64,
}

/// Scenario-set benefit parameters that the law leaves to the province.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawBenefits {
    pub(crate) medical_subsidy_months: Vec<f64>,
    pub(crate) medical_subsidy_take_up: Vec<f64>,
    pub(crate) care_share: Vec<f64>,
    pub(crate) care_pct: Vec<f64>,
    pub(crate) survivor_pension_share: f64,
    pub(crate) dependants_per_death: f64,
}

/// The three stocks of periodic benefits (docs/model.md §5.2).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawStocks {
    pub(crate) sector_split: Vec<f64>,
    pub(crate) disability_exit_hazard: f64,
    pub(crate) care_exit_hazard: f64,
    pub(crate) survivors_exit_hazard: f64,
    pub(crate) indexation: f64,
    pub(crate) index_month: i64,
}

/// An amount per projection year: one number for every year, or a list.
#[derive(Debug, Deserialize, Clone)]
#[serde(
    untagged,
    expecting = "expected an amount in yuan, or a list of amounts by projection year"
)]
pub(crate) enum RawPerYear {
    Every(f64),
    ByYear(Vec<f64>),
}

/// Balances, base-year figures and the provincial lines.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawFund {
    pub(crate) opening_balance: f64,
    pub(crate) base_year_premiums: f64,
    pub(crate) base_year_expenditure: f64,
    pub(crate) fiscal_subsidy: Option<RawPerYear>,
    pub(crate) other_income: Option<RawPerYear>,
    pub(crate) other_expenditure: Option<f64>,
    pub(crate) prevention_share: f64,
    pub(crate) initial_multiplier: Option<f64>,
    pub(crate) provincial_fiscal_revenue: Option<f64>,
}

/// The rate policy (docs/model.md §6).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawPolicy {
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) bands: Vec<RawBand>,
    pub(crate) preset: Option<String>,
    pub(crate) max_change: Option<f64>,
    pub(crate) floor: Option<f64>,
    pub(crate) ceiling: Option<f64>,
}

/// A dated change of the benchmark rates (`[[schedule]]`).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawRateChange {
    pub(crate) year: i64,
    pub(crate) multiplier: Option<f64>,
    pub(crate) benchmark_rates: Option<Vec<f64>>,
    pub(crate) floating_factors: Option<Vec<f64>>,
}

/// A candidate rate schedule in its own file (`fundsim rates --schedule`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawCandidate {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) description: String,
    pub(crate) schedule: Vec<RawRateChange>,
}

/// One band of the rate policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawBand {
    pub(crate) lower: Option<f64>,
    pub(crate) upper: Option<f64>,
    pub(crate) action: String,
    pub(crate) step: Option<f64>,
    pub(crate) cap: Option<f64>,
    pub(crate) factor: Option<f64>,
    pub(crate) years_in_a_row: Option<i64>,
}

/// Legal constants (docs/model.md §9); every one has the legal default.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawLaw {
    pub(crate) disability_grant_months: Option<Vec<f64>>,
    pub(crate) disability_allowance_share: Option<Vec<f64>>,
    pub(crate) funeral_grant_months: Option<f64>,
    pub(crate) death_grant_multiple: Option<f64>,
    pub(crate) prevention_cap: Option<f64>,
    pub(crate) wage_floor: Option<f64>,
    pub(crate) wage_cap: Option<f64>,
    pub(crate) reserve_rule_months: Option<f64>,
}

/// First-projection-year targets the scenario is calibrated to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawCalibration {
    pub(crate) tolerance: Option<f64>,
    pub(crate) insured: Option<f64>,
    pub(crate) premium_income: Option<f64>,
    pub(crate) expenditure: Option<f64>,
    pub(crate) opening_balance: Option<f64>,
    pub(crate) recognised_injuries: Option<f64>,
    pub(crate) graded_share: Option<f64>,
    pub(crate) death_share: Option<f64>,
    pub(crate) beneficiaries: Option<f64>,
}

/// Presets as written, in the presets file or a scenario's `[presets]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawPresets {
    /// Named sets of policy bands.
    #[serde(default)]
    pub(crate) policy: BTreeMap<String, RawPolicyPreset>,
    /// Named sharing schemes with their parameters (a `scheme` kind, an
    /// optional `description`, then the kind's own fields).
    #[serde(default)]
    pub(crate) sharing: BTreeMap<String, toml::Table>,
}

/// A named set of policy bands.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(crate) struct RawPolicyPreset {
    /// What the bands do, in a sentence.
    #[serde(default)]
    pub(crate) description: String,
    /// The bands, appended after a scenario's own.
    pub(crate) bands: Vec<RawBand>,
}
