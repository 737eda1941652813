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
mod drivers;
mod levels;
mod parts;

pub(crate) use parts::Parts;

use crate::model::cases::{GRADES, OUTCOMES, PerOutcome};
use crate::model::history::{History, Series};
use crate::model::scenario::{DRIVERS, Driver, Scenario};
use crate::model::text::group;
use ar1::Ar1;
use correlation::CorrelationFit;
use serde::Serialize;

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

impl Value {
    /// Whether every number in it is finite.
    pub(crate) fn is_finite(&self) -> bool {
        match self {
            Value::Number(x) => x.is_finite(),
            Value::Numbers(xs) => xs.iter().all(|x| x.is_finite()),
            Value::Matrix(m) => m.iter().flatten().all(|x| x.is_finite()),
            Value::Table(fields) => fields.iter().all(|(_, v)| v.is_finite()),
            Value::Integer(_) | Value::Text(_) => true,
        }
    }
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
    /// The by-class and by-city files used, as ``by class `FILE` ``.
    pub(crate) parts: Vec<String>,
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
    /// What makes the calibrated scenario miss its history, for the user
    /// to mend in the base (said on the console and in calibration.md).
    pub(crate) warnings: Vec<String>,
}

/// The base's payroll-weighted assessed rate `Σ N w b f M₀ / Σ N w`.
fn assessed_rate(s: &Scenario) -> f64 {
    let mut sums = (0.0, 0.0);
    for c in &s.cities {
        add_assessed(s, &c.insured, &c.monthly_wage, &mut sums);
    }
    let (due, payroll) = sums;
    if payroll > 0.0 { due / payroll } else { 0.0 }
}

/// Adds one city's monthly premiums due at the base's rates and its
/// monthly payroll, `Σ_s N w b f M₀` and `Σ_s N w`, from its insured and
/// wage rows, to `sums`.
fn add_assessed(s: &Scenario, insured: &[f64], wages: &[f64], sums: &mut (f64, f64)) {
    for (sec, (n, w)) in insured.iter().zip(wages).enumerate() {
        sums.0 += n * w * s.scheduled_rate(0, sec) * s.fund.initial_multiplier;
        sums.1 += n * w;
    }
}

/// Expected cases a year by class, `Σ_c N[c,s] ρ[c] λ[s]`, from each
/// city's insured row and relative risk.
fn class_cases<'a, I>(cities: &I, lambda: &[f64]) -> Vec<f64>
where
    I: Iterator<Item = (&'a [f64], f64)> + Clone,
{
    (0..lambda.len())
        .map(|s| cities.clone().map(|(n, rho)| n[s] * rho * lambda[s]).sum())
        .collect()
}

/// Expected cases a year by sector at the base's levels.
fn sector_cases(s: &Scenario) -> Vec<f64> {
    let lambda: Vec<f64> = s.sectors.iter().map(|sec| sec.frequency).collect();
    class_cases(
        &s.cities.iter().map(|c| (&c.insured[..], c.relative_risk)),
        &lambda,
    )
}

/// The province's outcome shares under the base: sectors weighted by cases.
fn province_mix(s: &Scenario, mixes: &[PerOutcome]) -> PerOutcome {
    mix_weighted(&sector_cases(s), mixes)
}

/// The province's outcome shares with the classes weighted by `cases`.
fn mix_weighted(cases: &[f64], mixes: &[PerOutcome]) -> PerOutcome {
    let total: f64 = cases.iter().sum();
    let mut out = [0.0; OUTCOMES];
    for (mix, n) in mixes.iter().zip(cases) {
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

/// How far a history's insured may be from the embedded default's before
/// [`another_fund`] warns: Jiangxi's own history from a decade back is
/// within it, another province's (or the nation's) is not.
const SAME_FUND_SIZE: f64 = 2.0;

/// The warning for a history calibrated on the embedded default scenario,
/// Jiangxi's fund, whose insured in the last year that gives them are not
/// of that fund's size (more than [`SAME_FUND_SIZE`] times more or fewer):
/// the scenario written keeps Jiangxi's cities, classes and rates, fed
/// with the history's figures. `None` when the sizes agree or the history
/// gives no insured.
pub(crate) fn another_fund(h: &History, base: &Scenario) -> Option<String> {
    let (y, insured) = h
        .years()
        .filter_map(|y| Some((y, h.get(y, Series::Insured).filter(|n| *n > 0.0)?)))
        .last()?;
    let own: f64 = base.cities.iter().flat_map(|c| &c.insured).sum();
    let times = insured / own;
    if !times.is_finite() || (1.0 / SAME_FUND_SIZE..=SAME_FUND_SIZE).contains(&times) {
        return None;
    }
    Some(format!(
        "the history's {y} insured, {}, are {} times the default scenario's {}: the default is the fund of {}, and the scenario written keeps its {} cities, {} risk classes and their rates, fed with this history's figures; for another fund, calibrate on a base scenario of its own (--base FILE, docs/calibration.md)",
        group(&format!("{insured:.0}")),
        sig(times),
        group(&format!("{own:.0}")),
        base.title,
        base.cities.len(),
        base.sectors.len(),
    ))
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

/// Rounds a share to six decimals, how the target shares taken from the
/// history are written (to the cent, 0.013 would become 0.01).
pub(crate) fn round_share(v: f64) -> f64 {
    if !v.is_finite() {
        return v;
    }
    (v * 1e6).round() / 1e6
}

/// Rounds to hundredths, the fen of an amount in yuan (how levels and
/// targets taken from the history are written).
pub(crate) fn round_cents(v: f64) -> f64 {
    if !v.is_finite() {
        return v;
    }
    (v * 100.0).round() / 100.0
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
    parts: Parts<'a>,
    parameters: Vec<Parameter>,
    kept: Vec<Kept>,
    edits: Vec<Edit>,
    warnings: Vec<String>,
}

impl Builder<'_> {
    /// Adds an edit; a value that is not finite (a history whose figures
    /// divide by zero) is not written, and the base's is kept and listed.
    fn edit(&mut self, path: impl Into<String>, value: Value, comment: impl Into<String>) {
        let path = path.into();
        if !value.is_finite() {
            self.keep(
                path,
                "the history's figures give no finite value (a zero they divide by)",
            );
            return;
        }
        self.edits.push(Edit {
            path,
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

    /// A level of the last history year, written to the fen: an amount the
    /// fund's accounts give to the yuan stays that amount.
    fn level(&mut self, path: &str, value: f64, series: &str) {
        let y = self.h.last_year();
        let value = round_cents(value);
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
#[cfg(test)]
pub(crate) fn calibrate(h: &History, base: &Scenario) -> Calibration {
    calibrate_with(h, Parts::default(), base)
}

/// A warning for each series a by-class or by-city file gives in the base
/// year for some parts but not all: the calibration reads a series of a
/// breakdown for every part of a year or not at all, so the file's figures
/// of that series were not used, and without a word they would be missed.
fn partial_parts(b: &mut Builder) {
    let y = b.h.last_year();
    let files = [
        (
            "by-class",
            b.parts.by_class,
            b.base
                .sectors
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>(),
        ),
        (
            "by-city",
            b.parts.by_city,
            b.base.cities.iter().map(|c| c.name.clone()).collect(),
        ),
    ];
    for (what, file, names) in files {
        let Some(file) = file else { continue };
        for series in Series::ALL {
            let lacking: Vec<&str> = file
                .parts
                .iter()
                .zip(&names)
                .filter(|(p, _)| p.get(y, series).is_none())
                .map(|(_, n)| n.as_str())
                .collect();
            if !lacking.is_empty() && lacking.len() < file.parts.len() {
                b.warnings.push(format!(
                    "the {what} file `{}` gives {} for {y} but not for {}: a breakdown's series is read for every part of a year or not at all, so its {} was not used",
                    file.source,
                    series.name(),
                    lacking.join(", "),
                    series.name()
                ));
            }
        }
    }
}

/// Calibrates `base` on `h` and the by-class and by-city files of `parts`.
pub(crate) fn calibrate_with(h: &History, parts: Parts, base: &Scenario) -> Calibration {
    let mut b = Builder {
        h,
        base,
        parts,
        parameters: Vec::new(),
        kept: Vec::new(),
        edits: Vec::new(),
        warnings: Vec::new(),
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
    let drivers = drivers::fit_drivers(&mut b, &mixes);
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
    levels::levels(&mut b, &drivers, mixes);
    partial_parts(&mut b);
    let Builder {
        parameters,
        kept,
        edits,
        parts,
        warnings,
        ..
    } = b;
    let parts = [("by class", parts.by_class), ("by city", parts.by_city)]
        .into_iter()
        .filter_map(|(what, p)| p.map(|p| format!("{what} `{}`", p.source)))
        .collect();
    Calibration {
        history: h.source.clone(),
        parts,
        years: (h.first_year, y),
        base_year: y,
        drivers,
        correlation,
        parameters,
        kept,
        edits,
        warnings,
    }
}
