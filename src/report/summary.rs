//! `summary.json`: provenance and, per year, the December balance, reserve
//! months, breach flag and rate multiplier, gap transfers by payer, and the
//! first-year calibration check. No wall-clock time is written, so the file
//! depends only on the inputs.

use super::{Export, Run, RunMeta, money};
use crate::lines::Line;
use crate::stats::CalibrationRow;
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
    calibration: &'a [CalibrationRow],
}

#[derive(Serialize)]
struct YearSummary {
    year: i32,
    closing_balance: f64,
    /// `null` when nothing was paid (infinite months).
    reserve_months: Option<f64>,
    breach: bool,
    breach_probability: f64,
    rate_multiplier: f64,
    income_total: f64,
    expenditure_total: f64,
    gap_transfers: f64,
    gap_transfers_by_payer: Vec<f64>,
}

impl Export for Summary {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn write(&self, run: &Run, out: &mut dyn Write) -> Result<()> {
        let s = run.scenario;
        let mut payers = vec!["province".to_string()];
        payers.extend(s.cities.iter().map(|c| c.name.clone()));
        let per_year = run
            .years
            .iter()
            .map(|y| {
                let r = y.mean(Line::ReserveMonths);
                YearSummary {
                    year: y.year,
                    closing_balance: money(y.mean(Line::ClosingBalance)),
                    reserve_months: r.is_finite().then(|| (r * 1e4).round() / 1e4),
                    breach: y.breach_probability >= 0.5,
                    breach_probability: y.breach_probability,
                    rate_multiplier: y.mean(Line::RateMultiplier),
                    income_total: money(y.mean(Line::IncomeTotal)),
                    expenditure_total: money(y.mean(Line::ExpenditureTotal)),
                    gap_transfers: money(y.mean(Line::GapTransfers)),
                    gap_transfers_by_payer: y.gap_by_payer.iter().map(|v| money(*v)).collect(),
                }
            })
            .collect();
        let doc = Document {
            meta: &run.meta,
            opening_balance: s.fund.opening_balance,
            reserve_rule_months: s.law.reserve_rule_months,
            payers,
            per_year,
            calibration: &run.calibration,
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
        Ok(())
    }
}
