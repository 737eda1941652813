//! The outputs of `fundsim sensitivity`: `sensitivity.json` (everything),
//! `sensitivity.csv` (one row per input, direction and measure),
//! `sensitivity.svg` (the tornado of the chosen measure) and `report.html`;
//! and its console table.

use super::chart::{self, analyses};
use super::console::{Align, Table};
use super::format::grouped;
use super::labels::{self, Lang};
use super::output_dir::File;
use super::provenance::{Provenance, RunIdentity};
use super::units::Unit;
use crate::analysis::sensitivity::{Measure, Sensitivity};
use crate::model::policy::RatePolicy;
use crate::model::scenario::Scenario;
use anyhow::{Result, anyhow};
use serde::Serialize;

/// Everything `fundsim sensitivity` reports.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SensitivityReport<'a> {
    /// Scenario, file, SHA-256, version, seed and paths.
    #[serde(flatten)]
    pub(crate) run: RunIdentity<'a>,
    /// The last projection year (the balance measured).
    pub(crate) last_year: i32,
    /// The tornado.
    #[serde(flatten)]
    pub(crate) result: &'a Sensitivity,
    /// Whether a rate policy answers the balance (any policy but `none`),
    /// which can reverse a move's effect on the final balance.
    #[serde(skip)]
    pub(crate) policy_answers: bool,
}

impl<'a> SensitivityReport<'a> {
    /// The report of `result`, the tornado of `s` on `paths` paths.
    pub(crate) fn new(
        provenance: &'a Provenance,
        s: &Scenario,
        seed: u64,
        paths: u64,
        result: &'a Sensitivity,
    ) -> SensitivityReport<'a> {
        SensitivityReport {
            run: provenance.run_identity(seed, paths),
            last_year: s.last_year(),
            result,
            policy_answers: s.policy != RatePolicy::None,
        }
    }
}

/// The four files.
pub(crate) fn files(
    r: &SensitivityReport,
    s: &Scenario,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> Result<Vec<File>> {
    Ok(vec![
        File::text("sensitivity.json", serde_json::to_string_pretty(r)? + "\n"),
        File::text("sensitivity.csv", csv_text(r)?),
        File::text(
            "sensitivity.svg",
            chart::standalone(&tornado(r, provenance, unit, lang)?)?,
        ),
        File::text(
            "report.html",
            super::document::sensitivity(s, r, provenance, unit, lang)?.render()?,
        ),
    ])
}

/// `input,step,direction,measure,baseline,moved,change,se`: probabilities as
/// fractions, balances in yuan.
fn csv_text(r: &SensitivityReport) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "input",
        "step",
        "direction",
        "measure",
        "baseline",
        "moved",
        "change",
        "se",
    ])?;
    let t = r.result;
    for s in &t.swings {
        for (direction, e) in [("down", &s.down), ("up", &s.up)] {
            for (measure, base, moved, d) in [
                (
                    Measure::AnyBreach,
                    t.any_breach,
                    e.any_breach,
                    e.any_breach_change,
                ),
                (Measure::Balance, t.balance, e.balance, e.balance_change),
            ] {
                let f = |v: f64| {
                    if measure == Measure::Balance {
                        format!("{v:.2}")
                    } else {
                        format!("{v:.6}")
                    }
                };
                w.write_record([
                    key(&s.input)?,
                    s.step.clone(),
                    direction.to_string(),
                    key(&measure)?,
                    f(base),
                    f(moved),
                    f(d.difference),
                    f(d.se),
                ])?;
            }
        }
    }
    Ok(String::from_utf8(
        w.into_inner().map_err(|e| anyhow!("{e}"))?,
    )?)
}

/// A value's key as the JSON file writes it (`claim_frequency`).
fn key<T: Serialize>(v: &T) -> Result<String> {
    Ok(serde_json::to_value(v)?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// The measure's words and its value in the chart's unit.
pub(crate) fn measure_words(measure: Measure, unit: Unit, lang: Lang) -> (String, f64) {
    match measure {
        Measure::AnyBreach => (
            lang.pick(
                "至少一次低于警戒线的概率变化（百分点）",
                "change of P(any breach), points",
            )
            .to_string(),
            100.0,
        ),
        Measure::Balance => (
            match lang {
                Lang::Zh => format!("期末滚存结余均值变化（{}）", unit.label()),
                Lang::En => format!("change of the mean final balance, {}", unit.label()),
            },
            1.0 / unit.factor(),
        ),
    }
}

/// The tornado chart of the report's measure.
pub(crate) fn tornado(
    r: &SensitivityReport,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> Result<String> {
    let t = r.result;
    let (x_desc, scale) = measure_words(t.measure, unit, lang);
    let swings: Vec<analyses::Swing> = t
        .swings
        .iter()
        .map(|s| {
            let (d, u) = s.changes(t.measure);
            analyses::Swing {
                label: labels::input(lang, s.input),
                down: d.difference * scale,
                down_se: d.se * scale,
                up: u.difference * scale,
                up_se: u.se * scale,
            }
        })
        .collect();
    let title = match lang {
        Lang::Zh => format!(
            "{}：单因素敏感性（至{}年）",
            r.run.identity.title, r.last_year
        ),
        Lang::En => format!(
            "{}: one-at-a-time sensitivities to {}",
            r.run.identity.title, r.last_year
        ),
    };
    analyses::tornado(
        &title,
        &chart::subtitle(provenance, &x_desc, lang),
        &x_desc,
        (
            lang.pick("下调", "moved down"),
            lang.pick("上调", "moved up"),
        ),
        &swings,
    )
}

/// The console table of `fundsim sensitivity`.
pub(crate) fn console(r: &SensitivityReport, provenance: &Provenance, unit: Unit) -> String {
    let t = r.result;
    let mut out = format!(
        "{}; changes against P(any breach by {}) = {:.1} % and a mean final balance of {} {}, paired standard errors:\n",
        provenance.describe(Lang::En),
        r.last_year,
        t.any_breach * 100.0,
        grouped(unit.scale(t.balance), 2),
        unit.label()
    );
    let mut table = Table::new(&[
        ("input", Align::Left),
        ("step", Align::Left),
        ("P down (pts)", Align::Right),
        ("P up (pts)", Align::Right),
        ("balance down", Align::Right),
        ("balance up", Align::Right),
    ]);
    let pts = |d: crate::stats::estimate::Difference| {
        format!("{:+.1} ± {:.1}", d.difference * 100.0, d.se * 100.0)
    };
    let money = |d: crate::stats::estimate::Difference| {
        format!(
            "{} ± {}",
            grouped(unit.scale(d.difference), 2),
            grouped(unit.scale(d.se), 2)
        )
    };
    for s in &t.swings {
        table.row(vec![
            labels::input(Lang::En, s.input).to_string(),
            s.step.clone(),
            pts(s.down.any_breach_change),
            pts(s.up.any_breach_change),
            money(s.down.balance_change),
            money(s.up.balance_change),
        ]);
    }
    out += &table.render();
    out
}
