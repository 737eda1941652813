//! `summary.json`: provenance and, per year, the December balance, reserve
//! months, breach flag (or, in Monte Carlo mode, the probabilities of breach,
//! of a first breach by then and of a gap, each with its standard error),
//! the rate multiplier and gap transfers by payer; in Monte Carlo mode also
//! the distribution of the first breach year, the mean months below the rule,
//! each payer's cumulative burden and the run's manifest; and the first-year
//! calibration check. No wall-clock time is written, so the file depends
//! only on the inputs.

use super::{Export, Run, RunMeta, money};
use crate::lines::Line;
use crate::shard::Manifest;
use crate::stats::CalibrationRow;
use crate::stats::paths::{FLAG_GAP, PayerBurden, proportion_se};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

/// The `summary.json` export.
pub struct Summary;

#[derive(Serialize)]
struct Document<'a> {
    #[serde(flatten)]
    meta: &'a RunMeta,
    opening_balance: f64,
    reserve_rule_months: f64,
    payers: Vec<String>,
    per_year: Vec<YearSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    monte_carlo: Option<MonteCarloSummary<'a>>,
    calibration: &'a [CalibrationRow],
}

#[derive(Serialize)]
struct YearSummary {
    year: i32,
    /// Mean December balance (yuan).
    closing_balance: f64,
    /// Mean December reserve months; `null` when infinite.
    reserve_months: Option<f64>,
    /// Expected-value mode: December reserve below the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    breach: Option<bool>,
    breach_probability: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    breach_probability_se: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_breach_cumulative: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_breach_cumulative_se: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gap_probability: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gap_probability_se: Option<f64>,
    rate_multiplier: f64,
    income_total: f64,
    expenditure_total: f64,
    gap_transfers: f64,
    gap_transfers_by_payer: Vec<f64>,
}

#[derive(Serialize)]
struct MonteCarloSummary<'a> {
    manifest: &'a Manifest,
    /// Share of paths whose first breach is in each year.
    first_breach_year: Vec<FirstBreach>,
    /// Share of paths that never breach within the horizon.
    never_breach: f64,
    mean_months_below_rule: f64,
    /// Cumulative gap transfer over the horizon, per payer (yuan).
    payer_burden: Vec<NamedBurden>,
}

#[derive(Serialize)]
struct FirstBreach {
    year: i32,
    share: f64,
}

#[derive(Serialize)]
struct NamedBurden {
    payer: String,
    #[serde(flatten)]
    burden: PayerBurden,
}

fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

impl Export for Summary {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn write(&self, run: &Run, out: &mut dyn Write) -> Result<()> {
        let s = run.scenario;
        let mut payers = vec!["province".to_string()];
        payers.extend(s.cities.iter().map(|c| c.name.clone()));
        let mc = run.monte_carlo.as_ref();
        let n = mc.map_or(1, |m| m.paths.paths);
        let cumulative = mc.map(|m| m.paths.first_breach_cumulative());
        let se = |p: f64| mc.map(|_| round(proportion_se(p, n), 8));
        let per_year = run
            .years
            .iter()
            .enumerate()
            .map(|(k, y)| {
                let r = y.mean(Line::ReserveMonths);
                let first = cumulative.as_ref().map(|c| c[k]);
                let gap = mc.map(|m| m.paths.share(k, FLAG_GAP));
                YearSummary {
                    year: y.year,
                    closing_balance: money(y.mean(Line::ClosingBalance)),
                    reserve_months: r.is_finite().then(|| round(r, 4)),
                    breach: mc.is_none().then_some(y.breach_probability >= 0.5),
                    breach_probability: y.breach_probability,
                    breach_probability_se: se(y.breach_probability),
                    first_breach_cumulative: first,
                    first_breach_cumulative_se: first.and_then(se),
                    gap_probability: gap,
                    gap_probability_se: gap.and_then(se),
                    rate_multiplier: round(y.mean(Line::RateMultiplier), 9),
                    income_total: money(y.mean(Line::IncomeTotal)),
                    expenditure_total: money(y.mean(Line::ExpenditureTotal)),
                    gap_transfers: money(y.mean(Line::GapTransfers)),
                    gap_transfers_by_payer: y.gap_by_payer.iter().map(|v| money(*v)).collect(),
                }
            })
            .collect();
        let monte_carlo = mc.map(|m| {
            let first = m.paths.first_breach_distribution();
            MonteCarloSummary {
                manifest: &m.manifest,
                never_breach: m.paths.never_breach(),
                first_breach_year: run
                    .years
                    .iter()
                    .zip(&first)
                    .map(|(y, share)| FirstBreach {
                        year: y.year,
                        share: *share,
                    })
                    .collect(),
                mean_months_below_rule: m.paths.mean_months_below_rule(),
                payer_burden: payers
                    .iter()
                    .enumerate()
                    .map(|(i, name)| {
                        let b = m.paths.payer_burden(i);
                        NamedBurden {
                            payer: name.clone(),
                            burden: PayerBurden {
                                mean: money(b.mean),
                                p95: money(b.p95),
                                max: money(b.max),
                                share_positive: b.share_positive,
                                worst_year: money(b.worst_year),
                            },
                        }
                    })
                    .collect(),
            }
        });
        let doc = Document {
            meta: &run.meta,
            opening_balance: s.fund.opening_balance,
            reserve_rule_months: s.law.reserve_rule_months,
            payers,
            per_year,
            monte_carlo,
            calibration: &run.calibration,
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
        Ok(())
    }
}
