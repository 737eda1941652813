//! The validated, typed scenario every run works from (docs/model.md §1–7):
//! base-year levels, drivers, sectors, cities, costs, lags, benefits,
//! stocks, the fund, the rate policy and schedule, gap sharing, legal
//! constants and calibration targets, every default filled in. It is built
//! from a file by [`crate::input`]; nothing here reads or writes anything.

use super::breakdown::Dims;
use super::cases::{GRADES, PerOutcome};
use super::check::Problem;
use super::lines::LineValues;
use super::policy::RatePolicy;
use super::sharing::{NamedScheme, Sharing};
use super::stress::Stress;
use serde::Serialize;

/// Number of annual drivers (docs/model.md §2).
pub(crate) const DRIVERS: usize = 7;
/// Names of the drivers, in the order of the correlation matrix.
pub(crate) const DRIVER_NAMES: [&str; DRIVERS] = [
    "wage_growth",
    "employment_growth",
    "interest_rate",
    "claim_intensity",
    "medical_inflation",
    "collection_shock",
    "disposable_income_growth",
];
/// Index of the common employment factor in [`DRIVER_NAMES`].
pub(crate) const EMPLOYMENT_GROWTH: usize = 1;
/// Index of the claim intensity in [`DRIVER_NAMES`].
pub(crate) const CLAIM_INTENSITY: usize = 3;
/// Index of the collection shock in [`DRIVER_NAMES`].
pub(crate) const COLLECTION_SHOCK: usize = 5;

/// A scenario, validated and resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Scenario {
    /// Short name, also the default output folder name.
    pub(crate) name: String,
    /// Whose fund it is, as the title of a report shows it: the file's
    /// `title`, else the short name.
    pub(crate) title: String,
    /// One-line description.
    pub(crate) description: String,
    /// First projection year (January of this year is month 0).
    pub(crate) start_year: i32,
    /// Projection horizon in years (1–50).
    pub(crate) years: usize,
    /// Master seed of the Monte Carlo streams, if the scenario fixes one.
    pub(crate) seed: Option<u64>,
    /// Base-year economy-wide levels.
    pub(crate) economy: Economy,
    /// Annual drivers.
    pub(crate) drivers: Drivers,
    /// Industry risk classes.
    pub(crate) sectors: Vec<Sector>,
    /// Cities (handling units).
    pub(crate) cities: Vec<City>,
    /// Per-case costs.
    pub(crate) claims: Claims,
    /// Lags and payment pattern.
    pub(crate) lags: Lags,
    /// Benefit parameters set by the province.
    pub(crate) benefits: Benefits,
    /// Stocks of periodic benefits.
    pub(crate) stocks: Stocks,
    /// Fund balances and provincial lines.
    pub(crate) fund: Fund,
    /// Rate policy at each December.
    pub(crate) policy: RatePolicy,
    /// Dated changes of the benchmark rates, by year (stable order).
    pub(crate) schedule: Vec<RateChange>,
    /// A stress overlay applied to the run (`--stress`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) stress: Option<Stress>,
    /// Gap-sharing scheme.
    pub(crate) sharing: Sharing,
    /// The sharing presets the scenario can name (the embedded ones and its own).
    pub(crate) sharing_presets: Vec<NamedScheme>,
    /// Legal constants.
    pub(crate) law: Law,
    /// Calibration targets for the first projection year.
    pub(crate) calibration: Option<Calibration>,
    /// The base year's budget execution by line, if given.
    pub(crate) execution: Option<Execution>,
    /// The date the scenario's figures are as of (`YYYY-MM-DD`), if given:
    /// reports print it instead of the run's date, so outputs depend only
    /// on the inputs.
    pub(crate) date: Option<String>,
    /// The source of each assumption a report lists, by field path (one of
    /// [`SOURCED_FIELDS`]); a field without one is an illustrative assumption.
    pub(crate) sources: std::collections::BTreeMap<String, String>,
}

/// The assumptions a report lists with their sources, by field path, in
/// the report's order: the scenario's `[sources]` may name these.
pub(crate) const SOURCED_FIELDS: [&str; 9] = [
    "drivers.wage_growth",
    "drivers.employment_growth",
    "drivers.interest_rate",
    "drivers.medical_inflation",
    "drivers.claim_intensity",
    "drivers.disposable_income_growth",
    "economy.average_monthly_wage",
    "fund.opening_balance",
    "law.reserve_rule_months",
];

/// The base year's budget execution (决算/执行数) by line, in yuan: the
/// values of [`crate::model::lines::Line`]'s income and expenditure lines, and the
/// balance at the start of the base year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Execution {
    /// Every line, totals filled in.
    pub(crate) lines: LineValues,
    /// Balance on 1 January of the base year.
    pub(crate) opening_balance: f64,
}

/// Base-year economy-wide levels (docs/model.md §3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Economy {
    /// `AW_base`: provincial average monthly wage of the base year (yuan).
    pub(crate) average_monthly_wage: f64,
    /// `D_base`: national per-capita disposable income of the base year (yuan a year).
    pub(crate) disposable_income: f64,
    /// Monthly premium weights, sum 12.
    pub(crate) season: [f64; 12],
}

/// One annual driver (docs/model.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Driver {
    /// Mean `μ`.
    pub(crate) mean: f64,
    /// Standard deviation `σ`.
    pub(crate) sd: f64,
    /// AR(1) persistence `φ` in [0, 1).
    pub(crate) persistence: f64,
    /// Standard error of `μ` (0: `μ` is known): each Monte Carlo path draws
    /// its own mean `μ + se · z` (docs/model.md §2.9).
    pub(crate) mean_se: f64,
    /// Degrees of freedom `ν` of `σ` (0: `σ` is known): each Monte Carlo
    /// path draws its own `σ · √(ν / χ²_ν)` (docs/model.md §2.9).
    pub(crate) sd_df: f64,
}

impl Driver {
    /// A driver whose parameters are known.
    pub(crate) fn known(mean: f64, sd: f64, persistence: f64) -> Driver {
        Driver {
            mean,
            sd,
            persistence,
            mean_se: 0.0,
            sd_df: 0.0,
        }
    }
}

/// The annual drivers and their correlation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Drivers {
    /// Wage growth `gW`.
    pub(crate) wage_growth: Driver,
    /// Common employment growth factor `gE`.
    pub(crate) employment_growth: Driver,
    /// Interest rate on the balance `r`.
    pub(crate) interest_rate: Driver,
    /// Log claim intensity `ℓ` (mean 0 by definition).
    pub(crate) claim_intensity: Driver,
    /// Medical cost inflation `gM`.
    pub(crate) medical_inflation: Driver,
    /// Collection-rate shock `z_κ` (mean 0, sd 1); its `sd` here is `σκ`, the
    /// scale applied to every city's collection rate.
    pub(crate) collection_shock: Driver,
    /// National per-capita disposable income growth `gD`.
    pub(crate) disposable_income_growth: Driver,
    /// Correlation matrix in the order of [`DRIVER_NAMES`].
    pub(crate) correlation: [[f64; DRIVERS]; DRIVERS],
}

impl Drivers {
    /// The drivers as the scenario writes them, in the order of
    /// [`DRIVER_NAMES`] (the collection shock's `sd` is σκ).
    pub(crate) fn written(&self) -> [Driver; DRIVERS] {
        [
            self.wage_growth,
            self.employment_growth,
            self.interest_rate,
            self.claim_intensity,
            self.medical_inflation,
            self.collection_shock,
            self.disposable_income_growth,
        ]
    }

    /// The drivers in the order of [`DRIVER_NAMES`]. The collection shock is
    /// reported with unit standard deviation: its `sd` field is the scale σκ.
    pub(crate) fn as_array(&self) -> [Driver; DRIVERS] {
        let mut d = self.written();
        d[COLLECTION_SHOCK].sd = 1.0;
        d
    }
}

/// One industry risk class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Sector {
    /// Name (一类 … 八类).
    pub(crate) name: String,
    /// Benchmark rate `b` (fraction of payroll).
    pub(crate) benchmark_rate: f64,
    /// Average floating factor `f` of the class's employers.
    pub(crate) floating_factor: f64,
    /// The national band of floating factors `[low, high]` (class 1:
    /// 100–150 % of the benchmark, classes 2–8: 50–150 %).
    pub(crate) floating_band: [f64; 2],
    /// Annual recognised injuries per insured worker `λ`.
    pub(crate) frequency: f64,
    /// Coefficient of variation of the per-path frequency multiplier `Λ`.
    pub(crate) frequency_cv: f64,
    /// Mean employment growth `μN`.
    pub(crate) employment_growth: f64,
    /// Loading `β` on the common employment factor.
    pub(crate) employment_beta: f64,
    /// Outcome mix `p` (sums to 1).
    pub(crate) outcome_mix: PerOutcome,
    /// Catastrophes a year `ν`.
    pub(crate) catastrophe_rate: f64,
    /// Mean deaths per catastrophe (≥ 1).
    pub(crate) catastrophe_size: f64,
    /// Negative-binomial shape of the extra deaths per catastrophe.
    pub(crate) catastrophe_size_shape: f64,
}

/// Opening position of a stock in one city.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct OpeningStock {
    /// Head count in January of the start year.
    pub(crate) heads: f64,
    /// Average monthly amount per head payable in January (yuan).
    pub(crate) monthly_amount: f64,
}

/// One city (handling unit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct City {
    /// Name.
    pub(crate) name: String,
    /// Insured workers by sector, base year.
    pub(crate) insured: Vec<f64>,
    /// Average monthly contribution wage by sector, base year (yuan).
    pub(crate) monthly_wage: Vec<f64>,
    /// Relative injury risk `ρ`.
    pub(crate) relative_risk: f64,
    /// Mean collection rate `κ̄`.
    pub(crate) collection_rate: f64,
    /// General budget revenue of the base year (yuan), for sharing keys.
    pub(crate) fiscal_revenue: f64,
    /// Opening disability-allowance stock.
    pub(crate) disability: OpeningStock,
    /// Opening living-care stock.
    pub(crate) care: OpeningStock,
    /// Opening survivors'-pension stock.
    pub(crate) survivors: OpeningStock,
}

/// Per-case costs (docs/model.md §5.1), base-year levels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Claims {
    /// Medical and rehabilitation cost per case `med[o]`.
    pub(crate) medical_cost: PerOutcome,
    /// Coefficient of variation of one case's medical cost `cv_med[o]`.
    pub(crate) medical_cv: PerOutcome,
    /// Investigation cost per case `c_inv`.
    pub(crate) investigation_cost: f64,
    /// Appraisal cost per graded case `c_app`.
    pub(crate) appraisal_cost: f64,
    /// `K_base`: the claim intensity of the base year, which scales the
    /// cases incurred before the start (docs/model.md §5.4); 1 by default.
    pub(crate) base_year_intensity: f64,
}

/// Lags in whole months and the medical payment pattern.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Lags {
    /// Share of a case's medical cost paid `d` months after incurrence.
    pub(crate) payment_pattern: Vec<f64>,
    /// `lag_app`: incurrence to appraisal.
    pub(crate) appraisal: usize,
    /// `lag_sub`: appraisal to the one-time medical subsidy.
    pub(crate) medical_subsidy: usize,
    /// `lag_death`: death to the death benefits.
    pub(crate) death: usize,
}

impl Lags {
    /// `U`: the longest lag, so the number of months of pipeline before the start.
    pub(crate) fn longest(&self) -> usize {
        (self.payment_pattern.len() - 1)
            .max(self.appraisal + self.medical_subsidy)
            .max(self.death)
    }
}

/// Benefit parameters the law leaves to the province.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Benefits {
    /// `H[g]`, grades 5–10: one-time medical subsidy in months of `AW`.
    pub(crate) medical_subsidy_months: [f64; 6],
    /// `τ[g]`, grades 5–10: share of cases that take the subsidy.
    pub(crate) medical_subsidy_take_up: [f64; 6],
    /// `φ[g]`, grades 1–4: share who receive living care.
    pub(crate) care_share: [f64; 4],
    /// Blended living-care share of `AW` per grade 1–4.
    pub(crate) care_pct: [f64; 4],
    /// `ψ`: survivor's pension per dependant as a share of the own wage.
    pub(crate) survivor_pension_share: f64,
    /// `dep`: mean dependants per death.
    pub(crate) dependants_per_death: f64,
}

/// The stocks of periodic benefits (docs/model.md §5.2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Stocks {
    /// Split of every city's opening heads over sectors.
    pub(crate) sector_split: Vec<f64>,
    /// Monthly exit hazard of the disability-allowance stock.
    pub(crate) disability_exit_hazard: f64,
    /// Monthly exit hazard of the living-care stock.
    pub(crate) care_exit_hazard: f64,
    /// Monthly exit hazard of the survivors'-pension stock.
    pub(crate) survivors_exit_hazard: f64,
    /// `θ`: indexation as a share of wage growth.
    pub(crate) indexation: f64,
    /// Calendar month (1–12) of the yearly indexation.
    pub(crate) index_month: usize,
}

/// Balances, base-year figures and provincial lines (yuan).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Fund {
    /// Pooled balance at 1 January of the start year.
    pub(crate) opening_balance: f64,
    /// Premium income of the base year (prevention budget of year 0).
    pub(crate) base_year_premiums: f64,
    /// Total expenditure of the base year (reserve months before 12 months exist).
    pub(crate) base_year_expenditure: f64,
    /// Fiscal subsidy per projection year (the last value carries forward).
    pub(crate) fiscal_subsidy: Vec<f64>,
    /// Other income per projection year (the last value carries forward).
    pub(crate) other_income: Vec<f64>,
    /// Other expenditure of the base year, grown with wages.
    pub(crate) other_expenditure: f64,
    /// `π`: prevention spending as a share of last year's premiums.
    pub(crate) prevention_share: f64,
    /// `M_0`: the rate multiplier of the first year.
    pub(crate) initial_multiplier: f64,
    /// General budget revenue of the provincial treasury, base year (yuan),
    /// to express its gap burden as a share; `None` when not given.
    pub(crate) provincial_fiscal_revenue: Option<f64>,
}

impl Fund {
    /// Fiscal subsidy of projection year `k`.
    pub(crate) fn fiscal_subsidy(&self, k: usize) -> f64 {
        per_year(&self.fiscal_subsidy, k)
    }
    /// Other income of projection year `k`.
    pub(crate) fn other_income(&self, k: usize) -> f64 {
        per_year(&self.other_income, k)
    }
}

fn per_year(values: &[f64], k: usize) -> f64 {
    values[k.min(values.len() - 1)]
}

/// A dated change of the benchmark rates, in force from 1 January of `year`
/// until a later change replaces what it sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct RateChange {
    /// First calendar year in force.
    pub(crate) year: i32,
    /// Uniform multiplier on every class's benchmark rate.
    pub(crate) multiplier: Option<f64>,
    /// New benchmark rates by class.
    pub(crate) benchmark_rates: Option<Vec<f64>>,
    /// New average floating factors by class.
    pub(crate) floating_factors: Option<Vec<f64>>,
}

/// The name the scenario's own rate schedule goes by beside candidates.
pub(crate) const BASELINE: &str = "baseline";

/// A candidate rate schedule (`fundsim rates --schedule FILE`): changes
/// applied on top of the scenario's own schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Candidate {
    /// Short name.
    pub(crate) name: String,
    /// What it does, in a sentence.
    pub(crate) description: String,
    /// Its changes.
    pub(crate) schedule: Vec<RateChange>,
}

/// Legal constants (docs/model.md §9).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Law {
    /// `G[g]`: one-time disability grant in months of own wage, grades 1–10.
    pub(crate) disability_grant_months: [f64; GRADES],
    /// `a[g]`: disability allowance as a share of own wage, grades 1–4.
    pub(crate) disability_allowance_share: [f64; 4],
    /// Funeral grant in months of `AW`.
    pub(crate) funeral_grant_months: f64,
    /// One-time death grant as a multiple of national disposable income.
    pub(crate) death_grant_multiple: f64,
    /// Largest prevention share allowed.
    pub(crate) prevention_cap: f64,
    /// Own wage floor as a share of `AW`.
    pub(crate) wage_floor: f64,
    /// Own wage cap as a share of `AW`.
    pub(crate) wage_cap: f64,
    /// Months of reserve below which the fund is in breach.
    pub(crate) reserve_rule_months: f64,
}

/// First-projection-year calibration targets (every target optional).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Calibration {
    /// Relative tolerance (default 0.05).
    pub(crate) tolerance: f64,
    /// Targets by name.
    pub(crate) targets: Vec<(CalibrationTarget, f64)>,
}

/// A quantity of the first projection year that a scenario can be calibrated to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CalibrationTarget {
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
    pub(crate) fn name(self) -> &'static str {
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

impl Scenario {
    /// Number of cities.
    pub(crate) fn n_cities(&self) -> usize {
        self.cities.len()
    }

    /// Number of sectors.
    pub(crate) fn n_sectors(&self) -> usize {
        self.sectors.len()
    }

    /// The size of the scenario's breakdowns by city, sector and payer.
    pub(crate) fn dims(&self) -> Dims {
        Dims {
            cities: self.n_cities(),
            sectors: self.n_sectors(),
        }
    }

    /// Number of projection months.
    pub(crate) fn months(&self) -> usize {
        self.years * 12
    }

    /// The last projection year.
    pub(crate) fn last_year(&self) -> i32 {
        self.start_year + self.years as i32 - 1
    }

    /// Returns the scenario with another horizon, checked against 1–50 years
    /// and the scenario-wide limits ([`super::feasible::check`]).
    pub(crate) fn with_years(mut self, years: usize) -> Result<Scenario, Problem> {
        if !(1..=super::limits::MAX_YEARS).contains(&years) {
            return Err(Problem {
                field: "--years".into(),
                value: years.to_string(),
                allowed: "the horizon is a whole number of years from 1 to 50".into(),
            });
        }
        self.years = years;
        // mean growth compounds further over a longer horizon
        match super::feasible::check(&self).into_iter().next() {
            Some(p) => Err(p),
            None => Ok(self),
        }
    }

    /// The scheduled rate of a sector in projection year `k`, before the
    /// policy multiplier: benchmark × floating factor × schedule multiplier,
    /// each as last set by a change in force on 1 January of that year.
    pub(crate) fn scheduled_rate(&self, k: usize, sector: usize) -> f64 {
        let (b, f, m) = self.rate_terms(k, sector);
        b * f * m
    }

    /// Benchmark rate, floating factor and schedule multiplier of a sector in year `k`.
    pub(crate) fn rate_terms(&self, k: usize, sector: usize) -> (f64, f64, f64) {
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
    pub(crate) fn with_candidate(&self, candidate: &Candidate) -> Scenario {
        let mut s = self.clone();
        s.schedule.extend(candidate.schedule.iter().cloned());
        s.schedule.sort_by_key(|c| c.year);
        s
    }

    /// Base-year insured workers, all cities and sectors.
    pub(crate) fn base_insured(&self) -> f64 {
        self.cities.iter().flat_map(|c| c.insured.iter()).sum()
    }

    /// Base-year annual payroll (yuan), all cities and sectors.
    pub(crate) fn base_payroll(&self) -> f64 {
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
