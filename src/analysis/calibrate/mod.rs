//! `fundsim calibrate`: from a fund's history and a base scenario to the
//! values the history determines (docs/calibration.md, *Part B*). The
//! drivers are AR(1) fits of the series of the table below ([`ar1`]), their
//! innovations' correlation is shrunk toward the identity
//! ([`correlation`]), and the levels of the last history year replace the
//! base's. What comes out is a list of [`Edit`]s — field path, value,
//! comment — which the report layer writes into the base's TOML, and the
//! fitted [`Parameter`]s with their standard errors for the calibration
//! report. What the history cannot determine is kept from the base and
//! listed with the reason ([`Kept`]).

pub(crate) mod ar1;
pub(crate) mod correlation;

use crate::model::cases::{DEATH, GRADES, OUTCOMES, PerOutcome};
use crate::model::drivers::{DRIVER_BOUNDS, GROWTH_BOUNDS};
use crate::model::history::{History, Series};
use crate::model::scenario::{DRIVER_NAMES, DRIVERS, Driver, Scenario};
use ar1::{Ar1, Centre};
use correlation::CorrelationFit;
use serde::Serialize;
use std::fmt::Write as _;

/// Years over which the frequency and the outcome mix are averaged: the
/// last `WINDOW` years with data.
pub(crate) const WINDOW: usize = 5;
/// Fewest years of stock heads with their joiners for an exit hazard.
pub(crate) const MIN_HAZARD_YEARS: usize = 3;
/// Tolerance written into `[calibration]`: the targets are the last
/// history year's figures and the check compares the first projection
/// year, one year of wage and employment growth later.
pub(crate) const TARGET_TOLERANCE: f64 = 0.15;
/// A value held at a bound of the scenario format is held this far
/// inside it, so that the six significant digits written stay inside.
const BOUND_MARGIN: f64 = 0.999;
/// The legal cap on the prevention share (人社部规〔2017〕13号).
const PREVENTION_CAP: f64 = 0.03;

/// A value written into the scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum Value {
    /// A number.
    Number(f64),
    /// A whole number.
    Integer(i64),
    /// Text.
    Text(String),
    /// A list of numbers.
    Numbers(Vec<f64>),
    /// A matrix, by rows.
    Matrix(Vec<Vec<f64>>),
    /// An inline table of named values.
    Table(Vec<(String, Value)>),
}

/// One replaced value: the field path of the scenario format (as in its
/// messages: `drivers.wage_growth.mean`, `sectors[2].frequency`), the
/// value, and the comment written after it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Edit {
    /// Field path.
    pub(crate) path: String,
    /// New value.
    pub(crate) value: Value,
    /// Comment (without `#`).
    pub(crate) comment: String,
}

/// One fitted parameter, for the calibration report.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Parameter {
    /// What it is, by field path or name.
    pub(crate) name: String,
    /// The fitted value (in the scenario's units).
    pub(crate) value: f64,
    /// Its standard error, where the method gives one.
    pub(crate) se: Option<f64>,
    /// First and last year of data used.
    pub(crate) years: (i32, i32),
    /// Years of data used.
    pub(crate) n: usize,
    /// How it was obtained.
    pub(crate) method: String,
}

/// Something the history could not determine, kept from the base.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Kept {
    /// What was kept.
    pub(crate) what: String,
    /// Why, naming the series.
    pub(crate) reason: String,
}

/// One driver's fit (or why there is none).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DriverFit {
    /// Driver name (`wage_growth`, …).
    pub(crate) driver: &'static str,
    /// The series it is read from.
    pub(crate) series: &'static str,
    /// The AR(1) fit of that series.
    pub(crate) fit: Option<Ar1>,
    /// The values written (may differ from the fit: bounds, scaling).
    pub(crate) written: Option<Driver>,
    /// Why it was not fitted.
    pub(crate) reason: Option<String>,
}

/// Everything `fundsim calibrate` determined.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Calibration {
    /// The history's file.
    pub(crate) history: String,
    /// First and last history year.
    pub(crate) years: (i32, i32),
    /// The base year of the written scenario (the last history year).
    pub(crate) base_year: i32,
    /// Every driver.
    pub(crate) drivers: Vec<DriverFit>,
    /// The correlation matrix.
    pub(crate) correlation: CorrelationFit,
    /// Every fitted level and parameter.
    pub(crate) parameters: Vec<Parameter>,
    /// What was kept from the base.
    pub(crate) kept: Vec<Kept>,
    /// The changes to the base scenario, in order.
    pub(crate) edits: Vec<Edit>,
}

/// The series of one driver, from the history (docs/calibration.md B.2).
struct DriverSeries {
    values: Vec<(i32, f64)>,
    centre: Centre,
    noise: f64,
}

fn growth(h: &History, s: Series) -> Vec<(i32, f64)> {
    ratio_growth(h, |y| h.get(y, s))
}

fn ratio_growth(h: &History, level: impl Fn(i32) -> Option<f64>) -> Vec<(i32, f64)> {
    h.years()
        .skip(1)
        .filter_map(|y| match (level(y), level(y - 1)) {
            (Some(a), Some(b)) if b > 0.0 && a > 0.0 => Some((y, a / b - 1.0)),
            _ => None,
        })
        .collect()
}

/// The base's payroll-weighted assessed rate `Σ N w b f M₀ / Σ N w`.
fn assessed_rate(s: &Scenario) -> f64 {
    let (mut due, mut payroll) = (0.0, 0.0);
    for city in &s.cities {
        for (sec, (n, w)) in city.insured.iter().zip(&city.monthly_wage).enumerate() {
            due += n * w * s.scheduled_rate(0, sec) * s.fund.initial_multiplier;
            payroll += n * w;
        }
    }
    if payroll > 0.0 { due / payroll } else { 0.0 }
}

/// Expected cases a year by sector at base-year levels (`Σ_c N ρ λ`).
fn sector_cases(s: &Scenario) -> Vec<f64> {
    (0..s.n_sectors())
        .map(|sec| {
            s.cities
                .iter()
                .map(|c| c.insured[sec] * c.relative_risk * s.sectors[sec].frequency)
                .sum()
        })
        .collect()
}

/// The province's outcome shares under the base: sectors weighted by cases.
fn province_mix(s: &Scenario, mixes: &[PerOutcome]) -> PerOutcome {
    let cases = sector_cases(s);
    let total: f64 = cases.iter().sum();
    let mut out = [0.0; OUTCOMES];
    for (mix, n) in mixes.iter().zip(&cases) {
        for (o, p) in out.iter_mut().zip(mix) {
            *o += p * n / total.max(f64::MIN_POSITIVE);
        }
    }
    out
}

fn graded(p: &PerOutcome) -> f64 {
    p[1..=GRADES].iter().sum()
}

fn years_text(a: i32, b: i32) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}–{b}")
    }
}

/// Significant digits for values written and commented.
pub(crate) fn sig(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let digits = (4 - v.abs().log10().floor() as i32 - 1).max(0) as usize;
    if v.abs() >= 1e6 {
        format!("{v:.3e}")
    } else {
        format!("{v:.digits$}")
    }
}

/// Rounds to 6 significant digits (what is written).
pub(crate) fn round6(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let p = 10f64.powi(5 - v.abs().log10().floor() as i32);
    (v * p).round() / p
}

struct Builder<'a> {
    h: &'a History,
    base: &'a Scenario,
    parameters: Vec<Parameter>,
    kept: Vec<Kept>,
    edits: Vec<Edit>,
}

impl Builder<'_> {
    fn edit(&mut self, path: impl Into<String>, value: Value, comment: impl Into<String>) {
        self.edits.push(Edit {
            path: path.into(),
            value,
            comment: comment.into(),
        });
    }

    fn keep(&mut self, what: impl Into<String>, reason: impl Into<String>) {
        self.kept.push(Kept {
            what: what.into(),
            reason: reason.into(),
        });
    }

    fn parameter(
        &mut self,
        name: &str,
        value: f64,
        se: Option<f64>,
        years: (i32, i32),
        n: usize,
        method: &str,
    ) {
        self.parameters.push(Parameter {
            name: name.to_string(),
            value,
            se,
            years,
            n,
            method: method.to_string(),
        });
    }

    /// A fitted number with its standard error: edit, parameter and comment.
    fn fitted(
        &mut self,
        path: &str,
        value: f64,
        se: Option<f64>,
        years: (i32, i32),
        n: usize,
        method: &str,
    ) {
        let value = round6(value);
        let pm = se.map_or(String::new(), |se| format!(" ± {}", sig(se)));
        let comment = format!(
            "fitted from history {}: {}{pm} ({n} years; {method})",
            years_text(years.0, years.1),
            sig(value)
        );
        self.parameter(path, value, se, years, n, method);
        self.edit(path, Value::Number(value), comment);
    }

    /// A level of the last history year.
    fn level(&mut self, path: &str, value: f64, series: &str) {
        let y = self.h.last_year();
        let value = round6(value);
        self.parameter(path, value, None, (y, y), 1, series);
        self.edit(
            path,
            Value::Number(value),
            format!("from history {y}: {series}"),
        );
    }

    fn last(&self, s: Series) -> Option<f64> {
        self.h.get(self.h.last_year(), s)
    }
}

/// Calibrates `base` on `h` (the written scenario starts the year after
/// the history's last).
pub(crate) fn calibrate(h: &History, base: &Scenario) -> Calibration {
    let mut b = Builder {
        h,
        base,
        parameters: Vec::new(),
        kept: Vec::new(),
        edits: Vec::new(),
    };
    let y = h.last_year();
    b.edit(
        "start_year",
        Value::Integer(i64::from(y) + 1),
        format!("the year after the last history year ({y}, the base year)"),
    );
    b.edit(
        "date",
        Value::Text(format!("{y}-12-31")),
        "the figures are levels of the last history year",
    );

    let mixes: Vec<PerOutcome> = base.sectors.iter().map(|s| s.outcome_mix).collect();
    let drivers = fit_drivers(&mut b, &mixes);
    let innovations: [Option<Vec<(i32, f64)>>; DRIVERS] = std::array::from_fn(|i| {
        drivers[i]
            .fit
            .as_ref()
            .filter(|_| drivers[i].written.is_some())
            .map(|f| f.innovations.clone())
    });
    let correlation = correlation::fit(&innovations, &base.drivers.correlation);
    if correlation.shrinkage.is_some() {
        let delta = correlation.shrinkage.unwrap_or(1.0);
        b.edit(
            "drivers.correlation",
            Value::Matrix(correlation.matrix.iter().map(|r| r.iter().map(|v| round6(*v)).collect()).collect()),
            format!(
                "fitted from history {}: innovation correlations shrunk toward the identity by δ = {} (Ledoit–Wolf); pairs with fewer than {} common years keep the base's value{}",
                years_text(h.first_year, y),
                sig(delta),
                correlation::MIN_COMMON,
                if correlation.repaired { "; repaired to positive definite" } else { "" }
            ),
        );
    } else {
        b.keep(
            "drivers.correlation",
            format!(
                "no two fitted drivers share {} years of innovations",
                correlation::MIN_COMMON
            ),
        );
    }
    levels(&mut b, &drivers, mixes);
    let Builder {
        parameters,
        kept,
        edits,
        ..
    } = b;
    Calibration {
        history: h.source.clone(),
        years: (h.first_year, y),
        base_year: y,
        drivers,
        correlation,
        parameters,
        kept,
        edits,
    }
}

/// The seven drivers (docs/calibration.md B.2, B.3).
fn fit_drivers(b: &mut Builder, mixes: &[PerOutcome]) -> Vec<DriverFit> {
    let h = b.h;
    let base = b.base;
    let base_drivers = base.drivers.as_array();
    let rate = assessed_rate(base);
    let medical_noise = {
        // variance of a year's mean medical cost per case: the spread of
        // one case's cost (outcome mix and lognormal cv) over the cases
        let q = province_mix(base, mixes);
        let (mut m1, mut m2) = (0.0, 0.0);
        for ((qo, c), cv) in q
            .iter()
            .zip(&base.claims.medical_cost)
            .zip(&base.claims.medical_cv)
        {
            m1 += qo * c;
            m2 += qo * c * c * (1.0 + cv * cv);
        }
        let cv2 = if m1 > 0.0 { m2 / (m1 * m1) - 1.0 } else { 0.0 };
        let cases: Vec<f64> = h
            .years()
            .filter_map(|y| h.get(y, Series::Injuries))
            .collect();
        let mean_cases = cases.iter().sum::<f64>() / cases.len().max(1) as f64;
        if mean_cases > 0.0 {
            cv2 / mean_cases
        } else {
            0.0
        }
    };
    let series: [(&'static str, DriverSeries); DRIVERS] = [
        (
            "average_wage",
            DriverSeries {
                values: growth(h, Series::AverageWage),
                centre: Centre::Mean,
                noise: 0.0,
            },
        ),
        (
            "insured",
            DriverSeries {
                values: growth(h, Series::Insured),
                centre: Centre::Mean,
                noise: 0.0,
            },
        ),
        (
            "interest / mean balance",
            DriverSeries {
                values: h
                    .years()
                    .skip(1)
                    .filter_map(|y| {
                        let (i, b1, b0) = (
                            h.get(y, Series::Interest)?,
                            h.get(y, Series::Balance)?,
                            h.get(y - 1, Series::Balance)?,
                        );
                        let mean = 0.5 * (b0 + b1);
                        (mean > 0.0).then(|| (y, i / mean))
                    })
                    .collect(),
                centre: Centre::Mean,
                noise: 0.0,
            },
        ),
        (
            "log(injuries / insured)",
            DriverSeries {
                values: h
                    .years()
                    .filter_map(|y| {
                        let (n, i) = (h.get(y, Series::Injuries)?, h.get(y, Series::Insured)?);
                        (n > 0.0 && i > 0.0).then(|| (y, (n / i).ln()))
                    })
                    .collect(),
                centre: Centre::Trend,
                noise: 0.0,
            },
        ),
        (
            "medical / injuries",
            DriverSeries {
                values: ratio_growth(h, |y| {
                    let (m, n) = (h.get(y, Series::Medical)?, h.get(y, Series::Injuries)?);
                    (n > 0.0).then(|| m / n)
                }),
                centre: Centre::Mean,
                noise: medical_noise,
            },
        ),
        (
            "premiums / (payroll × assessed rate)",
            DriverSeries {
                values: h
                    .years()
                    .filter_map(|y| {
                        let (p, w) = (h.get(y, Series::Premiums)?, h.get(y, Series::Payroll)?);
                        let m = h.get(y, Series::RateMultiplier).unwrap_or(1.0);
                        (w > 0.0 && rate > 0.0 && m > 0.0).then(|| (y, p / (w * rate * m)))
                    })
                    .collect(),
                centre: Centre::Mean,
                noise: 0.0,
            },
        ),
        (
            "disposable_income",
            DriverSeries {
                values: growth(h, Series::DisposableIncome),
                centre: Centre::Mean,
                noise: 0.0,
            },
        ),
    ];
    let mut out = Vec::with_capacity(DRIVERS);
    for (i, (name, ds)) in series.into_iter().enumerate() {
        let driver = DRIVER_NAMES[i];
        let base_d = base_drivers[i];
        let fit = ar1::fit(&ds.values, ds.centre, ds.noise, base_d.persistence);
        let mut df = DriverFit {
            driver,
            series: name,
            fit: None,
            written: None,
            reason: None,
        };
        match fit {
            Err(reason) => {
                b.keep(format!("drivers.{driver}"), format!("{name}: {reason}"));
                df.reason = Some(reason);
            }
            Ok(f) => {
                df.written = Some(write_driver(b, i, &f, name));
                df.fit = Some(f);
            }
        }
        out.push(df);
    }
    out
}

/// Writes one driver's fit into the scenario, within the bounds the
/// scenario format allows; returns what was written.
fn write_driver(b: &mut Builder, i: usize, f: &Ar1, series: &str) -> Driver {
    let driver = DRIVER_NAMES[i];
    let base = b.base;
    let (years, n) = (f.years, f.n);
    let method = format!("AR(1) of {series}, Yule–Walker");
    let phi = f.persistence;
    let mut mean = f.mean;
    let mut sd = f.sd;
    let mut note = String::new();
    match i {
        // the common employment factor: total insured growth is the sectors'
        // weighted μN plus β̄ (gE − μE), so σE = sd / β̄ and every μN moves
        // by the same amount to put the weighted mean on the fitted one
        1 => {
            let weights: Vec<f64> = (0..base.n_sectors())
                .map(|s| base.cities.iter().map(|c| c.insured[s]).sum::<f64>())
                .collect();
            let total: f64 = weights.iter().sum();
            let beta: f64 = weights
                .iter()
                .zip(&base.sectors)
                .map(|(w, s)| w * s.employment_beta)
                .sum::<f64>()
                / total;
            let mu_n: f64 = weights
                .iter()
                .zip(&base.sectors)
                .map(|(w, s)| w * s.employment_growth)
                .sum::<f64>()
                / total;
            let shift = mean - mu_n;
            if beta.abs() > 1e-9 {
                sd /= beta.abs();
            }
            let mut largest = f64::INFINITY;
            for (s, sec) in base.sectors.iter().enumerate() {
                let m = GROWTH_BOUNDS.clamp(sec.employment_growth + shift);
                b.edit(
                    format!("sectors[{s}].employment_growth"),
                    Value::Number(round6(m)),
                    format!(
                        "base value {} moved by {} so that insured-weighted μN is the fitted mean",
                        sig(sec.employment_growth),
                        sig(shift)
                    ),
                );
                if sec.employment_beta != 0.0 {
                    largest = largest.min(
                        BOUND_MARGIN * GROWTH_BOUNDS.largest_sd(m) / sec.employment_beta.abs(),
                    );
                }
            }
            if sd > largest {
                note = format!("; sd {} held at the bound {}", sig(sd), sig(largest));
                sd = largest;
            }
            if (beta - 1.0).abs() > 1e-9 {
                let _ = write!(
                    note,
                    "; sd of insured growth {} ÷ insured-weighted β {}",
                    sig(f.sd),
                    sig(beta)
                );
            }
        }
        // shocks: mean 0 by definition, stationary sd within the format's bound
        3 | 5 => {
            mean = 0.0;
            // the format's bound on the stationary sd, with a margin for rounding
            let largest = BOUND_MARGIN * 0.5 * (1.0 - phi * phi).sqrt();
            let largest = if i == 5 { largest.min(1.0) } else { largest };
            if sd > largest {
                note = format!("; sd {} held at the bound {}", sig(sd), sig(largest));
                sd = largest;
            }
        }
        _ => {
            if let Some(bounds) = DRIVER_BOUNDS[i] {
                let m = bounds.clamp(mean);
                if m != mean {
                    note = format!("; mean {} held at the bound {}", sig(mean), sig(m));
                    mean = m;
                }
                let largest = BOUND_MARGIN * bounds.largest_sd(mean);
                if sd > largest {
                    let _ = write!(note, "; sd {} held at the bound {}", sig(sd), sig(largest));
                    sd = largest;
                }
            }
        }
    }
    let field = format!("drivers.{driver}");
    if i != 3 && i != 5 {
        b.fitted(&format!("{field}.mean"), mean, f.se_mean, years, n, &method);
    } else if i == 5 {
        b.parameter(
            "mean collection ratio (premiums ÷ payroll × assessed rate)",
            f.mean,
            f.se_mean,
            years,
            n,
            &method,
        );
    }
    let sd_se = if i == 1 {
        f.se_sd * sd / f.sd.max(f64::MIN_POSITIVE)
    } else {
        f.se_sd
    };
    b.fitted(
        &format!("{field}.sd"),
        sd,
        Some(sd_se),
        years,
        n,
        &format!("{method}{note}"),
    );
    if f.persistence_fitted {
        b.fitted(
            &format!("{field}.persistence"),
            phi,
            f.se_persistence,
            years,
            f.pairs,
            &format!("{method}, bias-corrected, held in [0, 0.95]"),
        );
    } else {
        b.keep(
            format!("{field}.persistence"),
            format!(
                "{series}: {} pairs of consecutive years (at least {} are needed)",
                f.pairs,
                ar1::MIN_PAIRS
            ),
        );
    }
    if let Some(t) = f.trend {
        b.parameter(
            &format!("{field} trend per year"),
            t,
            None,
            years,
            n,
            "least squares, removed before the fit",
        );
    }
    Driver {
        mean,
        sd: round6(sd),
        persistence: round6(phi),
    }
}

/// The last `WINDOW` years where every series of `series` is known.
fn window(h: &History, series: &[Series]) -> Vec<i32> {
    let mut years: Vec<i32> = h
        .years()
        .filter(|y| series.iter().all(|s| h.get(*y, *s).is_some()))
        .collect();
    let start = years.len().saturating_sub(WINDOW);
    years.drain(..start);
    years
}

/// Levels of the base year (docs/calibration.md B.4).
fn levels(b: &mut Builder, drivers: &[DriverFit], mut mixes: Vec<PerOutcome>) {
    let h = b.h;
    let base = b.base;
    let y = h.last_year();
    let unknown = |s: Series| format!("{} is unknown in {y}, the base year", s.name());

    // economy
    match b.last(Series::AverageWage) {
        Some(aw) => b.level(
            "economy.average_monthly_wage",
            aw / 12.0,
            "average_wage ÷ 12",
        ),
        None => b.keep("economy.average_monthly_wage", unknown(Series::AverageWage)),
    }
    match b.last(Series::DisposableIncome) {
        Some(d) => b.level("economy.disposable_income", d, "disposable_income"),
        None => b.keep(
            "economy.disposable_income",
            unknown(Series::DisposableIncome),
        ),
    }

    // insured and wages, scaled onto the base's city × class tables
    let insured_factor = b.last(Series::Insured).map(|n| n / base.base_insured());
    let base_payroll = base.base_payroll() * insured_factor.unwrap_or(1.0);
    let wage_factor = match (b.last(Series::Payroll), b.last(Series::AverageWage)) {
        (Some(p), _) => Some((p / base_payroll, "payroll")),
        (None, Some(aw)) => Some((
            aw / (12.0 * base.economy.average_monthly_wage),
            "average_wage (payroll unknown)",
        )),
        _ => None,
    };
    for (c, city) in base.cities.iter().enumerate() {
        if let Some(f) = insured_factor {
            let v: Vec<f64> = city.insured.iter().map(|n| round6(n * f)).collect();
            b.edit(
                format!("cities[{c}].insured"),
                Value::Numbers(v),
                format!(
                    "base table × {} so that the province has history {y} insured",
                    sig(f)
                ),
            );
        }
        if let Some((f, from)) = wage_factor {
            let v: Vec<f64> = city.monthly_wage.iter().map(|w| round6(w * f)).collect();
            b.edit(
                format!("cities[{c}].monthly_wage"),
                Value::Numbers(v),
                format!("base table × {} from history {y} {from}", sig(f)),
            );
        }
    }
    if let Some(f) = insured_factor {
        b.parameter(
            "insured (province)",
            base.base_insured() * f,
            None,
            (y, y),
            1,
            "insured of the base year",
        );
    } else {
        b.keep("cities[*].insured", unknown(Series::Insured));
    }
    if wage_factor.is_none() {
        b.keep(
            "cities[*].monthly_wage",
            format!("payroll and average_wage are unknown in {y}"),
        );
    }

    // frequency and its parameter uncertainty
    let freq_years = window(h, &[Series::Injuries, Series::Insured]);
    let claim = drivers[3].written.unwrap_or(base.drivers.claim_intensity);
    if freq_years.is_empty() {
        b.keep(
            "sectors[*].frequency",
            "injuries or insured unknown in every year",
        );
        b.keep("sectors[*].frequency_cv", "no frequency to estimate");
    } else {
        let w = freq_years.len();
        let f_hat = freq_years
            .iter()
            .map(|y| {
                h.get(*y, Series::Injuries).unwrap_or(0.0)
                    / h.get(*y, Series::Insured).unwrap_or(1.0)
            })
            .sum::<f64>()
            / w as f64;
        let cases = sector_cases(base);
        let f_base = cases.iter().sum::<f64>() / base.base_insured();
        // relative error of a W-year mean of K = exp(ℓ − σ²/2), ℓ AR(1)
        let cv = claim.sd * (ar1::variance_factor(claim.persistence, w) / w as f64).sqrt();
        let years = (freq_years[0], freq_years[w - 1]);
        let factor = f_hat / f_base;
        b.parameter(
            "frequency (province, injuries per insured)",
            f_hat,
            Some(cv * f_hat),
            years,
            w,
            &format!("mean of injuries ÷ insured over the last {w} years with data"),
        );
        for (s, sec) in base.sectors.iter().enumerate() {
            let v = round6(sec.frequency * factor);
            b.edit(
                format!("sectors[{s}].frequency"),
                Value::Number(v),
                format!(
                    "fitted from history {}: base class frequency × {} (province {} ± {} per insured, {w} years)",
                    years_text(years.0, years.1),
                    sig(factor),
                    sig(f_hat),
                    sig(cv * f_hat)
                ),
            );
            let cv_w = round6(cv.min(3.0));
            b.edit(
                format!("sectors[{s}].frequency_cv"),
                Value::Number(cv_w),
                format!("estimation error of the {w}-year mean frequency: claim-intensity sd {} × √(V/{w})", sig(claim.sd)),
            );
        }
        b.parameter(
            "frequency_cv (Λ, every class)",
            cv,
            None,
            years,
            w,
            "relative standard error of the mean frequency",
        );
    }

    // the outcome mix
    let mix_years = window(h, &[Series::Injuries, Series::Graded, Series::Deaths]);
    if mix_years.is_empty() {
        b.keep(
            "sectors[*].outcome_mix",
            "graded or deaths unknown in every year",
        );
    } else {
        let sum = |s: Series| {
            mix_years
                .iter()
                .map(|y| h.get(*y, s).unwrap_or(0.0))
                .sum::<f64>()
        };
        let (n, g, d) = (
            sum(Series::Injuries),
            sum(Series::Graded),
            sum(Series::Deaths),
        );
        let q = province_mix(base, &mixes);
        let (g0, d0) = (graded(&q), q[DEATH]);
        if n > 0.0 && g0 > 0.0 && d0 > 0.0 {
            let (g_hat, d_hat) = (g / n, d / n);
            let (ag, ad) = (g_hat / g0, d_hat / d0);
            let years = (mix_years[0], mix_years[mix_years.len() - 1]);
            let se = |p: f64| (p * (1.0 - p) / n).sqrt();
            b.parameter(
                "graded share",
                g_hat,
                Some(se(g_hat)),
                years,
                mix_years.len(),
                "graded ÷ injuries over the window",
            );
            b.parameter(
                "death share",
                d_hat,
                Some(se(d_hat)),
                years,
                mix_years.len(),
                "deaths ÷ injuries over the window",
            );
            for (s, mix) in mixes.iter_mut().enumerate() {
                for p in &mut mix[1..=GRADES] {
                    *p = round6(*p * ag);
                }
                mix[DEATH] = round6(mix[DEATH] * ad);
                let rest = graded(mix) + mix[DEATH];
                if rest >= 1.0 {
                    b.keep(
                        format!("sectors[{s}].outcome_mix"),
                        "the fitted shares leave no medical-only cases in this class",
                    );
                    *mix = base.sectors[s].outcome_mix;
                    continue;
                }
                mix[0] = 1.0 - rest;
                b.edit(
                    format!("sectors[{s}].outcome_mix"),
                    mix_value(mix),
                    format!(
                        "fitted from history {}: graded × {}, death × {} (province graded {}, death {})",
                        years_text(years.0, years.1),
                        sig(ag),
                        sig(ad),
                        sig(g_hat),
                        sig(d_hat)
                    ),
                );
            }
        } else {
            b.keep(
                "sectors[*].outcome_mix",
                "no injuries, or the base has no graded or death cases",
            );
        }
    }

    // cost levels per case
    let q = province_mix(base, &mixes);
    let model_medical: f64 = (0..OUTCOMES)
        .map(|o| q[o] * base.claims.medical_cost[o])
        .sum();
    match (b.last(Series::Medical), b.last(Series::Injuries)) {
        (Some(m), Some(n)) if n > 0.0 && model_medical > 0.0 => {
            let f = m / n / model_medical;
            let mut cost = base.claims.medical_cost;
            for c in &mut cost {
                *c = round6(*c * f);
            }
            b.parameter(
                "medical cost per case",
                m / n,
                None,
                (y, y),
                1,
                "medical ÷ injuries",
            );
            b.edit("claims.medical_cost", mix_value(&cost), format!("from history {y}: base costs × {} so that the mean cost per case is medical ÷ injuries = {}", sig(f), sig(m / n)));
        }
        _ => b.keep(
            "claims.medical_cost",
            format!("medical or injuries unknown in {y}"),
        ),
    }
    match (b.last(Series::Investigation), b.last(Series::Injuries)) {
        (Some(v), Some(n)) if n > 0.0 => b.level(
            "claims.investigation_cost",
            v / n,
            "investigation ÷ injuries",
        ),
        _ => b.keep(
            "claims.investigation_cost",
            format!("investigation or injuries unknown in {y}"),
        ),
    }
    match (b.last(Series::Appraisal), b.last(Series::Graded)) {
        (Some(v), Some(n)) if n > 0.0 => {
            b.level("claims.appraisal_cost", v / n, "appraisal ÷ graded");
        }
        _ => b.keep(
            "claims.appraisal_cost",
            format!("appraisal or graded unknown in {y}"),
        ),
    }

    stocks(b, &q);
    fund(b);
    targets(b);
}

fn mix_value(p: &PerOutcome) -> Value {
    Value::Table(vec![
        ("medical_only".into(), Value::Number(round6(p[0]))),
        (
            "grades".into(),
            Value::Numbers(p[1..=GRADES].iter().map(|v| round6(*v)).collect()),
        ),
        ("death".into(), Value::Number(round6(p[DEATH]))),
    ])
}

/// Opening stocks and exit hazards from the heads and their joiners.
fn stocks(b: &mut Builder, q: &PerOutcome) {
    let h = b.h;
    let base = b.base;
    let y = h.last_year();
    let gq = graded(q);
    // joiners a year per graded case (allowance, care) and per death (survivors)
    let allowance_per_graded = if gq > 0.0 {
        q[1..=4].iter().sum::<f64>() / gq
    } else {
        0.0
    };
    let care_per_graded = if gq > 0.0 {
        (0..4)
            .map(|g| q[1 + g] * base.benefits.care_share[g])
            .sum::<f64>()
            / gq
    } else {
        0.0
    };
    let table = [
        (
            "disability",
            "disability_exit_hazard",
            Series::AllowanceHeads,
            Series::Graded,
            allowance_per_graded,
            "graded × the base's share of grades 1–4",
        ),
        (
            "care",
            "care_exit_hazard",
            Series::CareHeads,
            Series::Graded,
            care_per_graded,
            "graded × the base's share of grades 1–4 with care",
        ),
        (
            "survivors",
            "survivors_exit_hazard",
            Series::SurvivorHeads,
            Series::Deaths,
            base.benefits.dependants_per_death,
            "deaths × dependants per death",
        ),
    ];
    for (stock, hazard_field, heads, source, per_case, joiners) in table {
        match b.last(heads) {
            Some(total) => {
                let base_total: f64 = base
                    .cities
                    .iter()
                    .map(|c| match stock {
                        "disability" => c.disability.heads,
                        "care" => c.care.heads,
                        _ => c.survivors.heads,
                    })
                    .sum();
                if base_total > 0.0 {
                    let f = total / base_total;
                    for (c, city) in base.cities.iter().enumerate() {
                        let o = match stock {
                            "disability" => city.disability,
                            "care" => city.care,
                            _ => city.survivors,
                        };
                        b.edit(
                            format!("cities[{c}].{stock}"),
                            Value::Table(vec![
                                ("heads".into(), Value::Number(round6(o.heads * f))),
                                ("monthly_amount".into(), Value::Number(o.monthly_amount)),
                            ]),
                            format!(
                                "heads: base × {} so that the province has history {y} {}",
                                sig(f),
                                heads.name()
                            ),
                        );
                    }
                    b.parameter(
                        &format!("{stock} heads (opening)"),
                        total,
                        None,
                        (y, y),
                        1,
                        heads.name(),
                    );
                } else {
                    b.keep(
                        format!("cities[*].{stock}"),
                        "the base has no heads to scale",
                    );
                }
            }
            None => b.keep(
                format!("cities[*].{stock}"),
                format!("{} unknown in {y}", heads.name()),
            ),
        }
        // annual exit rate q_t = (H_{t−1} + J_t − H_t) / (H_{t−1} + J_t / 2)
        let rates: Vec<(i32, f64)> = h
            .years()
            .skip(1)
            .filter_map(|t| {
                let (h0, h1, n) = (h.get(t - 1, heads)?, h.get(t, heads)?, h.get(t, source)?);
                let j = n * per_case;
                let exposed = h0 + 0.5 * j;
                (exposed > 0.0).then(|| (t, ((h0 + j - h1) / exposed).clamp(0.0, 0.999)))
            })
            .collect();
        let field = format!("stocks.{hazard_field}");
        if rates.len() < MIN_HAZARD_YEARS {
            b.keep(
                field,
                format!(
                    "{} years of {} with {} (at least {MIN_HAZARD_YEARS} are needed)",
                    rates.len(),
                    heads.name(),
                    source.name()
                ),
            );
            continue;
        }
        let n = rates.len() as f64;
        let mean = rates.iter().map(|r| r.1).sum::<f64>() / n;
        let sd = (rates.iter().map(|r| (r.1 - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let monthly = |a: f64| 1.0 - (1.0 - a).powf(1.0 / 12.0);
        let hz = monthly(mean);
        let se = (monthly((mean + sd / n.sqrt()).min(0.999)) - hz).abs();
        let years = (rates[0].0, rates[rates.len() - 1].0);
        b.fitted(
            &field,
            hz,
            Some(se),
            years,
            rates.len(),
            &format!(
                "annual exits (H₀ + J − H₁)/(H₀ + J/2), joiners J = {joiners}, as a monthly hazard"
            ),
        );
    }
}

/// The fund's base-year figures.
fn fund(b: &mut Builder) {
    let h = b.h;
    let y = h.last_year();
    match b.last(Series::Balance) {
        Some(v) => b.level(
            "fund.opening_balance",
            v,
            "balance at the end of the base year",
        ),
        None => b.keep("fund.opening_balance", format!("balance unknown in {y}")),
    }
    match b.last(Series::Premiums) {
        Some(v) => b.level("fund.base_year_premiums", v, "premiums"),
        None => b.keep(
            "fund.base_year_premiums",
            format!("premiums unknown in {y}"),
        ),
    }
    match h.expenditure(y) {
        Some(v) => b.level("fund.base_year_expenditure", v, "expenditure"),
        None => b.keep(
            "fund.base_year_expenditure",
            format!("expenditure unknown in {y}"),
        ),
    }
    for (s, field) in [
        (Series::FiscalSubsidy, "fund.fiscal_subsidy"),
        (Series::OtherIncome, "fund.other_income"),
        (Series::OtherExpenditure, "fund.other_expenditure"),
    ] {
        match b.last(s) {
            Some(v) => b.level(field, v, s.name()),
            None => b.keep(field, format!("{} unknown in {y}", s.name())),
        }
    }
    match (b.last(Series::Prevention), h.get(y - 1, Series::Premiums)) {
        (Some(p), Some(prem)) if prem > 0.0 => {
            let share = (p / prem).min(PREVENTION_CAP);
            b.level(
                "fund.prevention_share",
                share,
                "prevention ÷ the previous year's premiums (at most the legal 3 %)",
            );
        }
        _ => b.keep(
            "fund.prevention_share",
            format!("prevention in {y} or premiums in {} unknown", y - 1),
        ),
    }
    if let Some(m) = b.last(Series::RateMultiplier) {
        if matches!(b.base.policy, crate::model::policy::RatePolicy::None) && m != 1.0 {
            b.keep("fund.initial_multiplier", format!("the base's rate policy is `none`, which keeps the multiplier at 1 (history {y}: {m})"));
        } else {
            b.level(
                "fund.initial_multiplier",
                m,
                "rate_multiplier in force in the base year, kept for the first projection year",
            );
        }
    }
    // the collection rates: the observed premium rate of the base year
    // against the base's assessed rate, applied to every city's κ̄
    let rate = assessed_rate(b.base);
    if let (Some(p), Some(w)) = (b.last(Series::Premiums), b.last(Series::Payroll))
        && w > 0.0
        && rate > 0.0
    {
        let base = b.base;
        let kappa_w: f64 = base
            .cities
            .iter()
            .map(|c| {
                c.collection_rate
                    * c.insured
                        .iter()
                        .zip(&c.monthly_wage)
                        .map(|(n, w)| n * w)
                        .sum::<f64>()
            })
            .sum::<f64>()
            / (base.base_payroll() / 12.0);
        let observed = p / (w * rate * b.last(Series::RateMultiplier).unwrap_or(1.0));
        let f = observed / kappa_w;
        let mut capped = false;
        for (c, city) in base.cities.iter().enumerate() {
            let k = city.collection_rate * f;
            capped |= k > 1.0;
            b.edit(
                format!("cities[{c}].collection_rate"),
                Value::Number(round6(k.min(1.0))),
                format!(
                    "from history {y}: base × {} (premiums ÷ payroll = {} of the assessed rate {})",
                    sig(f),
                    sig(observed),
                    sig(rate)
                ),
            );
        }
        b.parameter(
            "premiums ÷ (payroll × assessed rate)",
            observed,
            None,
            (y, y),
            1,
            "the base year's collection against the base's rates",
        );
        if capped {
            b.keep("cities[*].collection_rate", "part of the fitted collection rate is above 1 and was held at 1: the history's premiums are above what the base's rates assess");
        }
    }
}

/// `[calibration]` targets: the last history year's figures.
fn targets(b: &mut Builder) {
    let h = b.h;
    let y = h.last_year();
    let mut table = vec![("tolerance".to_string(), Value::Number(TARGET_TOLERANCE))];
    let mut add = |k: &str, v: Option<f64>| {
        if let Some(v) = v {
            table.push((k.to_string(), Value::Number(round6(v))));
        }
    };
    add("insured", h.get(y, Series::Insured));
    add("premium_income", h.get(y, Series::Premiums));
    add("expenditure", h.expenditure(y));
    add("opening_balance", h.get(y, Series::Balance));
    add("recognised_injuries", h.get(y, Series::Injuries));
    let share = |s: Series| Some(h.get(y, s)? / h.get(y, Series::Injuries).filter(|n| *n > 0.0)?);
    add("graded_share", share(Series::Graded));
    add("death_share", share(Series::Deaths));
    if table.len() > 1 {
        b.edit(
            "calibration",
            Value::Table(table),
            format!("the history's {y} figures; the first projection year, {}, is a year of growth later, hence the tolerance", y + 1),
        );
    } else {
        // the base's targets are another year's and another fund's
        b.edit("calibration", Value::Table(Vec::new()), "");
        b.keep(
            "calibration",
            format!("no target figure is known in {y}: the base's targets are removed"),
        );
    }
}
