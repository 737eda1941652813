//! Scenarios: the validated, typed model every run works from.
//!
//! A scenario is a TOML file (schema in `raw.rs`) that is parsed, checked and
//! resolved once by [`Scenario::from_toml`] into the types of this module,
//! every default filled in (the legal constants of MODEL.md section 9
//! included). The engine never sees TOML; a bad file becomes a
//! [`ScenarioError`] that names the field path, the value and what is allowed.
//!
//! The default Jiangxi scenario is embedded in the binary ([`DEFAULT_TOML`]).

mod raw;
mod validate;

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::Path;

/// The default scenario, `scenarios/jiangxi-2025.toml`, embedded in the binary.
pub const DEFAULT_TOML: &str = include_str!("../../scenarios/jiangxi-2025.toml");
/// The name under which the embedded scenario is reported.
pub const DEFAULT_SOURCE: &str = "<embedded>/scenarios/jiangxi-2025.toml";

/// Outcomes of a recognised injury: index 0 medical only, 1–10 the grades, 11 death.
pub const OUTCOMES: usize = 12;
/// Index of the death outcome.
pub const DEATH: usize = 11;
/// Number of disability grades (伤残等级).
pub const GRADES: usize = 10;
/// Number of annual drivers (MODEL.md section 2).
pub const DRIVERS: usize = 7;
/// Names of the drivers, in the order of the correlation matrix.
pub const DRIVER_NAMES: [&str; DRIVERS] = [
    "wage_growth",
    "employment_growth",
    "interest_rate",
    "claim_intensity",
    "medical_inflation",
    "collection_shock",
    "disposable_income_growth",
];

/// A scenario, validated and resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// Short name, also the default output folder name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// First projection year (January of this year is month 0).
    pub start_year: i32,
    /// Projection horizon in years (1–50).
    pub years: usize,
    /// Master seed of the Monte Carlo streams, if the scenario fixes one.
    pub seed: Option<u64>,
    /// Base-year economy-wide levels.
    pub economy: Economy,
    /// Annual drivers.
    pub drivers: Drivers,
    /// Industry risk classes.
    pub sectors: Vec<Sector>,
    /// Cities (handling units).
    pub cities: Vec<City>,
    /// Per-case costs.
    pub claims: Claims,
    /// Lags and payment pattern.
    pub lags: Lags,
    /// Benefit parameters set by the province.
    pub benefits: Benefits,
    /// Stocks of periodic benefits.
    pub stocks: Stocks,
    /// Fund balances and provincial lines.
    pub fund: Fund,
    /// Rate policy at each December.
    pub policy: RatePolicy,
    /// Dated changes of the benchmark rates, by year (stable order).
    pub schedule: Vec<RateChange>,
    /// A stress overlay applied to the run (`--stress`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stress: Option<crate::stress::Stress>,
    /// Gap-sharing scheme.
    pub sharing: Sharing,
    /// Legal constants.
    pub law: Law,
    /// Calibration targets for the first projection year.
    pub calibration: Option<Calibration>,
    /// The base year's budget execution by line, if given.
    pub execution: Option<Execution>,
}

/// The base year's budget execution (决算/执行数) by line, in yuan: the
/// values of [`crate::lines::Line`]'s income and expenditure lines, and the
/// balance at the start of the base year.
#[derive(Debug, Clone, Serialize)]
pub struct Execution {
    /// Every line, totals filled in.
    pub lines: crate::lines::LineValues,
    /// Balance on 1 January of the base year.
    pub opening_balance: f64,
}

/// Base-year economy-wide levels (MODEL.md section 3).
#[derive(Debug, Clone, Serialize)]
pub struct Economy {
    /// `AW_base`: provincial average monthly wage of the base year (yuan).
    pub average_monthly_wage: f64,
    /// `D_base`: national per-capita disposable income of the base year (yuan a year).
    pub disposable_income: f64,
    /// Monthly premium weights, sum 12.
    pub season: [f64; 12],
}

/// One annual driver (MODEL.md section 2).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Driver {
    /// Mean `μ`.
    pub mean: f64,
    /// Standard deviation `σ`.
    pub sd: f64,
    /// AR(1) persistence `φ` in [0, 1).
    pub persistence: f64,
}

/// The annual drivers and their correlation.
#[derive(Debug, Clone, Serialize)]
pub struct Drivers {
    /// Wage growth `gW`.
    pub wage_growth: Driver,
    /// Common employment growth factor `gE`.
    pub employment_growth: Driver,
    /// Interest rate on the balance `r`.
    pub interest_rate: Driver,
    /// Log claim intensity `ℓ` (mean 0 by definition).
    pub claim_intensity: Driver,
    /// Medical cost inflation `gM`.
    pub medical_inflation: Driver,
    /// Collection-rate shock `z_κ` (mean 0, sd 1); its `sd` here is `σκ`, the
    /// scale applied to every city's collection rate.
    pub collection_shock: Driver,
    /// National per-capita disposable income growth `gD`.
    pub disposable_income_growth: Driver,
    /// Correlation matrix in the order of [`DRIVER_NAMES`].
    pub correlation: [[f64; DRIVERS]; DRIVERS],
}

impl Drivers {
    /// The drivers in the order of [`DRIVER_NAMES`]. The collection shock is
    /// reported with unit standard deviation: its `sd` field is the scale σκ.
    pub fn as_array(&self) -> [Driver; DRIVERS] {
        [
            self.wage_growth,
            self.employment_growth,
            self.interest_rate,
            self.claim_intensity,
            self.medical_inflation,
            Driver {
                mean: 0.0,
                sd: 1.0,
                persistence: self.collection_shock.persistence,
            },
            self.disposable_income_growth,
        ]
    }
}

/// A value per outcome (medical only, grades 1–10, death).
pub type PerOutcome = [f64; OUTCOMES];

/// One industry risk class.
#[derive(Debug, Clone, Serialize)]
pub struct Sector {
    /// Name (一类 … 八类).
    pub name: String,
    /// Benchmark rate `b` (fraction of payroll).
    pub benchmark_rate: f64,
    /// Average floating factor `f` of the class's employers.
    pub floating_factor: f64,
    /// The national band of floating factors `[low, high]` (class 1:
    /// 100–150 % of the benchmark, classes 2–8: 50–150 %).
    pub floating_band: [f64; 2],
    /// Annual recognised injuries per insured worker `λ`.
    pub frequency: f64,
    /// Coefficient of variation of the per-path frequency multiplier `Λ`.
    pub frequency_cv: f64,
    /// Mean employment growth `μN`.
    pub employment_growth: f64,
    /// Loading `β` on the common employment factor.
    pub employment_beta: f64,
    /// Outcome mix `p` (sums to 1).
    pub outcome_mix: PerOutcome,
    /// Catastrophes a year `ν`.
    pub catastrophe_rate: f64,
    /// Mean deaths per catastrophe (≥ 1).
    pub catastrophe_size: f64,
    /// Negative-binomial shape of the extra deaths per catastrophe.
    pub catastrophe_size_shape: f64,
}

/// Opening position of a stock in one city.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct OpeningStock {
    /// Head count in January of the start year.
    pub heads: f64,
    /// Average monthly amount per head payable in January (yuan).
    pub monthly_amount: f64,
}

/// One city (handling unit).
#[derive(Debug, Clone, Serialize)]
pub struct City {
    /// Name.
    pub name: String,
    /// Insured workers by sector, base year.
    pub insured: Vec<f64>,
    /// Average monthly contribution wage by sector, base year (yuan).
    pub monthly_wage: Vec<f64>,
    /// Relative injury risk `ρ`.
    pub relative_risk: f64,
    /// Mean collection rate `κ̄`.
    pub collection_rate: f64,
    /// General budget revenue of the base year (yuan), for sharing keys.
    pub fiscal_revenue: f64,
    /// Opening disability-allowance stock.
    pub disability: OpeningStock,
    /// Opening living-care stock.
    pub care: OpeningStock,
    /// Opening survivors'-pension stock.
    pub survivors: OpeningStock,
}

/// Per-case costs (MODEL.md section 5.1), base-year levels.
#[derive(Debug, Clone, Serialize)]
pub struct Claims {
    /// Medical and rehabilitation cost per case `med[o]`.
    pub medical_cost: PerOutcome,
    /// Coefficient of variation of one case's medical cost `cv_med[o]`.
    pub medical_cv: PerOutcome,
    /// Investigation cost per case `c_inv`.
    pub investigation_cost: f64,
    /// Appraisal cost per graded case `c_app`.
    pub appraisal_cost: f64,
}

/// Lags in whole months and the medical payment pattern.
#[derive(Debug, Clone, Serialize)]
pub struct Lags {
    /// Share of a case's medical cost paid `d` months after incurrence.
    pub payment_pattern: Vec<f64>,
    /// `lag_app`: incurrence to appraisal.
    pub appraisal: usize,
    /// `lag_sub`: appraisal to the one-time medical subsidy.
    pub medical_subsidy: usize,
    /// `lag_death`: death to the death benefits.
    pub death: usize,
}

impl Lags {
    /// `U`: the longest lag, so the number of months of pipeline before the start.
    pub fn longest(&self) -> usize {
        (self.payment_pattern.len() - 1)
            .max(self.appraisal + self.medical_subsidy)
            .max(self.death)
    }
}

/// Benefit parameters the law leaves to the province.
#[derive(Debug, Clone, Serialize)]
pub struct Benefits {
    /// `H[g]`, grades 5–10: one-time medical subsidy in months of `AW`.
    pub medical_subsidy_months: [f64; 6],
    /// `τ[g]`, grades 5–10: share of cases that take the subsidy.
    pub medical_subsidy_take_up: [f64; 6],
    /// `φ[g]`, grades 1–4: share who receive living care.
    pub care_share: [f64; 4],
    /// Blended living-care share of `AW` per grade 1–4.
    pub care_pct: [f64; 4],
    /// `ψ`: survivor's pension per dependant as a share of the own wage.
    pub survivor_pension_share: f64,
    /// `dep`: mean dependants per death.
    pub dependants_per_death: f64,
}

/// The stocks of periodic benefits (MODEL.md section 5.2).
#[derive(Debug, Clone, Serialize)]
pub struct Stocks {
    /// Split of every city's opening heads over sectors.
    pub sector_split: Vec<f64>,
    /// Monthly exit hazard of the disability-allowance stock.
    pub disability_exit_hazard: f64,
    /// Monthly exit hazard of the living-care stock.
    pub care_exit_hazard: f64,
    /// Monthly exit hazard of the survivors'-pension stock.
    pub survivors_exit_hazard: f64,
    /// `θ`: indexation as a share of wage growth.
    pub indexation: f64,
    /// Calendar month (1–12) of the yearly indexation.
    pub index_month: usize,
}

/// Balances, base-year figures and provincial lines (yuan).
#[derive(Debug, Clone, Serialize)]
pub struct Fund {
    /// Pooled balance at 1 January of the start year.
    pub opening_balance: f64,
    /// Premium income of the base year (prevention budget of year 0).
    pub base_year_premiums: f64,
    /// Total expenditure of the base year (reserve months before 12 months exist).
    pub base_year_expenditure: f64,
    /// Fiscal subsidy per projection year (the last value carries forward).
    pub fiscal_subsidy: Vec<f64>,
    /// Other income per projection year (the last value carries forward).
    pub other_income: Vec<f64>,
    /// Other expenditure of the base year, grown with wages.
    pub other_expenditure: f64,
    /// `π`: prevention spending as a share of last year's premiums.
    pub prevention_share: f64,
    /// `M_0`: the rate multiplier of the first year.
    pub initial_multiplier: f64,
    /// General budget revenue of the provincial treasury, base year (yuan),
    /// to express its gap burden as a share; `None` when not given.
    pub provincial_fiscal_revenue: Option<f64>,
}

impl Fund {
    /// Fiscal subsidy of projection year `k`.
    pub fn fiscal_subsidy(&self, k: usize) -> f64 {
        per_year(&self.fiscal_subsidy, k)
    }
    /// Other income of projection year `k`.
    pub fn other_income(&self, k: usize) -> f64 {
        per_year(&self.other_income, k)
    }
}

fn per_year(values: &[f64], k: usize) -> f64 {
    values[k.min(values.len() - 1)]
}

/// What a band of the rate policy does (MODEL.md section 6).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BandAction {
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
#[derive(Debug, Clone, Serialize)]
pub struct Band {
    /// Lower bound (inclusive); `-inf` when absent.
    pub lower: f64,
    /// Upper bound (exclusive); `+inf` when absent.
    pub upper: f64,
    /// What the band does.
    #[serde(flatten)]
    pub action: BandAction,
    /// Consecutive Decembers in the band before it acts (≥ 1).
    pub years_in_a_row: u32,
}

/// The rate policy.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RatePolicy {
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
pub struct Stability {
    /// Largest relative change from one year to the next (`None`: no cap).
    pub max_change: Option<f64>,
    /// Lowest multiplier.
    pub floor: f64,
    /// Highest multiplier.
    pub ceiling: f64,
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
    pub fn limit(&self, previous: f64, proposed: f64) -> f64 {
        let mut m = proposed;
        if let Some(c) = self.max_change {
            m = m.clamp(previous * (1.0 - c), previous * (1.0 + c));
        }
        m.clamp(self.floor, self.ceiling)
    }
}

/// Named sets of policy bands a scenario can add to its own.
pub const POLICY_PRESETS: [&str; 1] = ["national_cut"];

/// The bands of a preset: `national_cut` is the national phased rate cut
/// (国办发〔2019〕13号): 18–23 months of reserve −20 %, 24 months or more
/// −50 %, each relative to the benchmark rates, and the benchmark restored
/// (1.0) below 18 months, where the cut stops. The preset's bands come after
/// the scenario's own, so a scenario's own band below 12 months (a raise)
/// still acts first; between its own bands' end and 18 months the preset
/// restores 1.0.
pub fn preset_bands(name: &str) -> Option<Vec<Band>> {
    match name {
        "national_cut" => Some(vec![
            Band {
                lower: 24.0,
                upper: f64::INFINITY,
                action: BandAction::Set { factor: 0.5 },
                years_in_a_row: 1,
            },
            Band {
                lower: 18.0,
                upper: 24.0,
                action: BandAction::Set { factor: 0.8 },
                years_in_a_row: 1,
            },
            Band {
                lower: f64::NEG_INFINITY,
                upper: 18.0,
                action: BandAction::Set { factor: 1.0 },
                years_in_a_row: 1,
            },
        ]),
        _ => None,
    }
}

/// A dated change of the benchmark rates, in force from 1 January of `year`
/// until a later change replaces what it sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateChange {
    /// First calendar year in force.
    pub year: i32,
    /// Uniform multiplier on every class's benchmark rate.
    pub multiplier: Option<f64>,
    /// New benchmark rates by class.
    pub benchmark_rates: Option<Vec<f64>>,
    /// New average floating factors by class.
    pub floating_factors: Option<Vec<f64>>,
}

/// A candidate rate schedule (`fundsim rates --schedule FILE`): changes
/// applied on top of the scenario's own schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Short name.
    pub name: String,
    /// What it does, in a sentence.
    pub description: String,
    /// Its changes.
    pub schedule: Vec<RateChange>,
}

/// What a sharing key measures over the last 12 months (MODEL.md section 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SharingKey {
    /// Premium income of the city.
    PremiumIncome,
    /// Payroll of the city's insured.
    Payroll,
    /// Insured workers.
    Insured,
    /// Expenditure attributed to the city.
    Expenditure,
    /// General budget revenue of the city, grown with wages.
    FiscalRevenue,
    /// Equal shares.
    Equal,
}

impl SharingKey {
    /// All keys, with their names in scenario files.
    pub const ALL: [(&'static str, SharingKey); 6] = [
        ("premium_income", SharingKey::PremiumIncome),
        ("payroll", SharingKey::Payroll),
        ("insured", SharingKey::Insured),
        ("expenditure", SharingKey::Expenditure),
        ("fiscal_revenue", SharingKey::FiscalRevenue),
        ("equal", SharingKey::Equal),
    ];
}

/// A gap-sharing scheme (MODEL.md section 7).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "scheme", rename_all = "snake_case")]
pub enum Scheme {
    /// No sharing: the balance may go negative.
    None,
    /// The province pays a fixed share; cities the rest by a key.
    FixedRatio {
        /// Province's share of each gap.
        province: f64,
        /// Key splitting the cities' part.
        key: SharingKey,
    },
    /// Cities pay `city_share` in proportion to their own 12-month shortfall.
    Responsibility {
        /// Cities' share of each gap.
        city_share: f64,
        /// Key used when no city has a shortfall.
        key: SharingKey,
    },
    /// Like `fixed_ratio`, with weights raised for collection below target.
    Performance {
        /// Province's share of each gap.
        province: f64,
        /// Key splitting the cities' part.
        key: SharingKey,
        /// Target collection rate.
        target: f64,
        /// Weight penalty per unit of relative shortfall.
        penalty: f64,
    },
    /// Anhui's budget-linked rule (2024): each month's gap is allocated to
    /// the cities by their own 12-month shortfall; of its portion a city pays
    /// all of what its collection below its budgeted rate caused, then 10 %
    /// (its budget for the year showed a surplus) or 20 % (a deficit) up to
    /// its budgeted gap plus 5 % of its budgeted expenditure, 40 % of the next
    /// 5 %, and 60 % beyond; the province pays the rest. Budgets are the
    /// expected-value projection of the scenario without stress.
    BudgetLinked {
        /// Key used when no city has a shortfall.
        key: SharingKey,
    },
}

/// The gap-sharing set-up.
#[derive(Debug, Clone, Serialize)]
pub struct Sharing {
    /// The scheme.
    #[serde(flatten)]
    pub scheme: Scheme,
    /// `gap_floor_months`: the balance is lifted to this many months of payments.
    pub floor_months: f64,
}

/// Legal constants (MODEL.md section 9).
#[derive(Debug, Clone, Serialize)]
pub struct Law {
    /// `G[g]`: one-time disability grant in months of own wage, grades 1–10.
    pub disability_grant_months: [f64; GRADES],
    /// `a[g]`: disability allowance as a share of own wage, grades 1–4.
    pub disability_allowance_share: [f64; 4],
    /// Funeral grant in months of `AW`.
    pub funeral_grant_months: f64,
    /// One-time death grant as a multiple of national disposable income.
    pub death_grant_multiple: f64,
    /// Largest prevention share allowed.
    pub prevention_cap: f64,
    /// Own wage floor as a share of `AW`.
    pub wage_floor: f64,
    /// Own wage cap as a share of `AW`.
    pub wage_cap: f64,
    /// Months of reserve below which the fund is in breach.
    pub reserve_rule_months: f64,
}

/// First-projection-year calibration targets (every target optional).
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    /// Relative tolerance (default 0.05).
    pub tolerance: f64,
    /// Targets by name.
    pub targets: Vec<(CalibrationTarget, f64)>,
}

/// A quantity of the first projection year that a scenario can be calibrated to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationTarget {
    /// Insured workers (average of the year).
    Insured,
    /// Premium income of the year.
    PremiumIncome,
    /// Total expenditure of the year.
    Expenditure,
    /// Opening balance.
    OpeningBalance,
    /// Recognised injuries incurred in the year.
    RecognisedInjuries,
    /// Share of recognised injuries graded 1–10.
    GradedShare,
    /// Share of recognised injuries that are deaths.
    DeathShare,
    /// People paid in the year.
    Beneficiaries,
}

impl CalibrationTarget {
    /// Name in scenario files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Insured => "insured",
            Self::PremiumIncome => "premium_income",
            Self::Expenditure => "expenditure",
            Self::OpeningBalance => "opening_balance",
            Self::RecognisedInjuries => "recognised_injuries",
            Self::GradedShare => "graded_share",
            Self::DeathShare => "death_share",
            Self::Beneficiaries => "beneficiaries",
        }
    }
}

/// A scenario file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario {path}: {source}")]
    Read {
        /// The path given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is empty.
    #[error("{source_name}: the scenario file is empty; start from scenarios/tiny.toml")]
    Empty {
        /// Where the text came from.
        source_name: String,
    },
    /// The TOML is broken, a field is unknown or has the wrong type.
    #[error("{source_name}:{line}:{column}: {field}{message}")]
    Parse {
        /// Where the text came from.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Field path, followed by ": " (empty when unknown).
        field: String,
        /// What the parser said.
        message: String,
    },
    /// Values are out of range or inconsistent.
    #[error("{source_name}: {} problem{} in the scenario:\n{}", problems.len(), if problems.len() == 1 { "" } else { "s" }, ProblemList(problems))]
    Invalid {
        /// Where the text came from.
        source_name: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

/// One invalid value: where, what, and what is allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Field path, for example `sectors[7].benchmark_rate`.
    pub field: String,
    /// The value found, as written.
    pub value: String,
    /// What is allowed (and, where it helps, a guess at what was meant).
    pub allowed: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}: {}", self.field, self.value, self.allowed)
    }
}

struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// A scenario together with where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated scenario.
    pub scenario: Scenario,
    /// The file it came from (or [`DEFAULT_SOURCE`]).
    pub source_name: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

impl Scenario {
    /// Parses and validates scenario text; `source_name` is used in messages.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Scenario, ScenarioError> {
        validate::parse(text, source_name)
    }

    /// Loads a scenario file, or the embedded default when `path` is `None`.
    pub fn load(path: Option<&Path>) -> Result<Loaded, ScenarioError> {
        let (text, source_name) = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|source| ScenarioError::Read {
                    path: p.display().to_string(),
                    source,
                })?;
                (text, p.display().to_string())
            }
            None => (DEFAULT_TOML.to_string(), DEFAULT_SOURCE.to_string()),
        };
        let scenario = Scenario::from_toml(&text, &source_name)?;
        Ok(Loaded {
            scenario,
            sha256: sha256_hex(text.as_bytes()),
            source_name,
        })
    }

    /// Number of cities.
    pub fn n_cities(&self) -> usize {
        self.cities.len()
    }

    /// Number of sectors.
    pub fn n_sectors(&self) -> usize {
        self.sectors.len()
    }

    /// Number of projection months.
    pub fn months(&self) -> usize {
        self.years * 12
    }

    /// Returns the scenario with another horizon, checked against 1–50 years.
    pub fn with_years(mut self, years: usize) -> Result<Scenario, Problem> {
        if !(1..=50).contains(&years) {
            return Err(Problem {
                field: "--years".into(),
                value: years.to_string(),
                allowed: "the horizon is a whole number of years from 1 to 50".into(),
            });
        }
        self.years = years;
        Ok(self)
    }

    /// The scheduled rate of a sector in projection year `k`, before the
    /// policy multiplier: benchmark × floating factor × schedule multiplier,
    /// each as last set by a change in force on 1 January of that year.
    pub fn scheduled_rate(&self, k: usize, sector: usize) -> f64 {
        let (b, f, m) = self.rate_terms(k, sector);
        b * f * m
    }

    /// Benchmark rate, floating factor and schedule multiplier of a sector in year `k`.
    pub fn rate_terms(&self, k: usize, sector: usize) -> (f64, f64, f64) {
        let year = self.start_year + k as i32;
        let sec = &self.sectors[sector];
        let (mut b, mut f, mut m) = (sec.benchmark_rate, sec.floating_factor, 1.0);
        for change in self.schedule.iter().filter(|c| c.year <= year) {
            if let Some(v) = change.multiplier {
                m = v;
            }
            if let Some(v) = &change.benchmark_rates {
                b = v[sector];
            }
            if let Some(v) = &change.floating_factors {
                f = v[sector];
            }
        }
        (b, f, m)
    }

    /// The scenario with a candidate's changes added to its schedule.
    pub fn with_candidate(&self, candidate: &Candidate) -> Scenario {
        let mut s = self.clone();
        s.schedule.extend(candidate.schedule.iter().cloned());
        s.schedule.sort_by_key(|c| c.year);
        s
    }

    /// Parses a candidate schedule file against this scenario.
    pub fn candidate_from_toml(
        &self,
        text: &str,
        source_name: &str,
    ) -> Result<Candidate, ScenarioError> {
        validate::parse_candidate(self, text, source_name)
    }

    /// Base-year insured workers, all cities and sectors.
    pub fn base_insured(&self) -> f64 {
        self.cities.iter().flat_map(|c| c.insured.iter()).sum()
    }

    /// Base-year annual payroll (yuan), all cities and sectors.
    pub fn base_payroll(&self) -> f64 {
        self.cities
            .iter()
            .map(|c| {
                c.insured
                    .iter()
                    .zip(&c.monthly_wage)
                    .map(|(n, w)| n * w * 12.0)
                    .sum::<f64>()
            })
            .sum()
    }
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
