//! The scenario file as written: the TOML schema, parsed with serde.
//!
//! Every table refuses unknown fields. Fields with a default are `Option`s
//! here; [`super::validate`] fills the defaults in and checks every value, so
//! nothing outside the `scenario` module ever sees these types.

use serde::Deserialize;

/// A whole scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub start_year: i32,
    pub years: i64,
    pub seed: Option<u64>,
    pub economy: RawEconomy,
    pub drivers: RawDrivers,
    pub sectors: Vec<RawSector>,
    pub cities: Vec<RawCity>,
    pub claims: RawClaims,
    pub lags: RawLags,
    pub benefits: RawBenefits,
    pub stocks: RawStocks,
    pub fund: RawFund,
    pub policy: Option<RawPolicy>,
    #[serde(default)]
    pub schedule: Vec<RawRateChange>,
    pub sharing: Option<RawSharing>,
    #[serde(default)]
    pub law: RawLaw,
    pub calibration: Option<RawCalibration>,
    pub execution: Option<RawExecution>,
}

/// The base year's budget execution by line (yuan), for the budget's
/// last-year column.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExecution {
    pub premiums: f64,
    #[serde(default)]
    pub interest: f64,
    #[serde(default)]
    pub fiscal_subsidy: f64,
    #[serde(default)]
    pub gap_transfers: f64,
    #[serde(default)]
    pub other_income: f64,
    pub medical: f64,
    pub disability: f64,
    pub death: f64,
    #[serde(default)]
    pub investigation: f64,
    #[serde(default)]
    pub appraisal: f64,
    #[serde(default)]
    pub prevention: f64,
    #[serde(default)]
    pub other_expenditure: f64,
    pub opening_balance: f64,
}

/// Base-year economy-wide levels (MODEL.md section 3).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEconomy {
    pub average_monthly_wage: f64,
    pub disposable_income: f64,
    pub season: Option<Vec<f64>>,
}

/// One driver with mean, standard deviation and AR(1) persistence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDriver {
    pub mean: f64,
    #[serde(default)]
    pub sd: f64,
    #[serde(default)]
    pub persistence: f64,
}

/// A driver whose mean is fixed by definition (claim intensity, collection shock).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShock {
    #[serde(default)]
    pub sd: f64,
    #[serde(default)]
    pub persistence: f64,
}

/// The annual drivers of MODEL.md section 2.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDrivers {
    pub wage_growth: RawDriver,
    pub employment_growth: RawDriver,
    pub interest_rate: RawDriver,
    pub claim_intensity: RawShock,
    pub medical_inflation: RawDriver,
    pub collection_shock: RawShock,
    pub disposable_income_growth: RawDriver,
    pub correlation: Option<Vec<Vec<f64>>>,
}

/// A value per outcome: medical only, grades 1–10, death.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawOutcomes {
    pub medical_only: f64,
    pub grades: Vec<f64>,
    pub death: f64,
}

/// One industry risk class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSector {
    pub name: String,
    pub benchmark_rate: f64,
    pub floating_factor: Option<f64>,
    pub floating_band: Option<Vec<f64>>,
    pub frequency: f64,
    pub frequency_cv: Option<f64>,
    pub employment_growth: Option<f64>,
    pub employment_beta: Option<f64>,
    pub outcome_mix: RawOutcomes,
    pub catastrophe_rate: Option<f64>,
    pub catastrophe_size: Option<f64>,
    pub catastrophe_size_shape: Option<f64>,
}

/// A stock's opening position in one city.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOpeningStock {
    pub heads: f64,
    pub monthly_amount: f64,
}

/// One city (设区市 or 赣江新区).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCity {
    pub name: String,
    pub insured: Vec<f64>,
    pub monthly_wage: Vec<f64>,
    pub relative_risk: Option<f64>,
    pub collection_rate: f64,
    pub fiscal_revenue: f64,
    pub disability: RawOpeningStock,
    pub care: RawOpeningStock,
    pub survivors: RawOpeningStock,
}

/// Per-case costs (MODEL.md section 5.1).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaims {
    pub medical_cost: RawOutcomes,
    pub medical_cv: Option<RawOutcomes>,
    pub investigation_cost: f64,
    pub appraisal_cost: f64,
}

/// Lags in months and the medical payment pattern.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLags {
    pub payment_pattern: Vec<f64>,
    pub appraisal: f64,
    pub medical_subsidy: f64,
    pub death: f64,
}

/// Scenario-set benefit parameters that the law leaves to the province.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBenefits {
    pub medical_subsidy_months: Vec<f64>,
    pub medical_subsidy_take_up: Vec<f64>,
    pub care_share: Vec<f64>,
    pub care_pct: Vec<f64>,
    pub survivor_pension_share: f64,
    pub dependants_per_death: f64,
}

/// The three stocks of periodic benefits (MODEL.md section 5.2).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStocks {
    pub sector_split: Vec<f64>,
    pub disability_exit_hazard: f64,
    pub care_exit_hazard: f64,
    pub survivors_exit_hazard: f64,
    pub indexation: f64,
    pub index_month: i64,
}

/// An amount per projection year: one number for every year, or a list.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum RawPerYear {
    Every(f64),
    ByYear(Vec<f64>),
}

/// Balances, base-year figures and the provincial lines.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFund {
    pub opening_balance: f64,
    pub base_year_premiums: f64,
    pub base_year_expenditure: f64,
    pub fiscal_subsidy: Option<RawPerYear>,
    pub other_income: Option<RawPerYear>,
    pub other_expenditure: Option<f64>,
    pub prevention_share: f64,
    pub initial_multiplier: Option<f64>,
    pub provincial_fiscal_revenue: Option<f64>,
}

/// The rate policy (MODEL.md section 6).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub kind: String,
    #[serde(default)]
    pub bands: Vec<RawBand>,
    pub preset: Option<String>,
    pub max_change: Option<f64>,
    pub floor: Option<f64>,
    pub ceiling: Option<f64>,
}

/// A dated change of the benchmark rates (`[[schedule]]`).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawRateChange {
    pub year: i64,
    pub multiplier: Option<f64>,
    pub benchmark_rates: Option<Vec<f64>>,
    pub floating_factors: Option<Vec<f64>>,
}

/// A candidate rate schedule in its own file (`fundsim rates --schedule`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCandidate {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub schedule: Vec<RawRateChange>,
}

/// One band of the rate policy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBand {
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub action: String,
    pub step: Option<f64>,
    pub cap: Option<f64>,
    pub factor: Option<f64>,
    pub years_in_a_row: Option<i64>,
}

/// The gap-sharing scheme (MODEL.md section 7).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSharing {
    pub scheme: String,
    pub floor_months: Option<f64>,
    pub province: Option<f64>,
    pub city_share: Option<f64>,
    pub key: Option<String>,
    pub target: Option<f64>,
    pub penalty: Option<f64>,
}

/// Legal constants (MODEL.md section 9); every one has the legal default.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawLaw {
    pub disability_grant_months: Option<Vec<f64>>,
    pub disability_allowance_share: Option<Vec<f64>>,
    pub funeral_grant_months: Option<f64>,
    pub death_grant_multiple: Option<f64>,
    pub prevention_cap: Option<f64>,
    pub wage_floor: Option<f64>,
    pub wage_cap: Option<f64>,
    pub reserve_rule_months: Option<f64>,
}

/// First-projection-year targets the scenario is calibrated to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalibration {
    pub tolerance: Option<f64>,
    pub insured: Option<f64>,
    pub premium_income: Option<f64>,
    pub expenditure: Option<f64>,
    pub opening_balance: Option<f64>,
    pub recognised_injuries: Option<f64>,
    pub graded_share: Option<f64>,
    pub death_share: Option<f64>,
    pub beneficiaries: Option<f64>,
}
