//! The CSV exports: `yearly.csv` (every line's mean and quantiles by year),
//! `monthly.csv` (expected-value mode), `by_city.csv` and `by_sector.csv`.
//! Money is in yuan with two decimals.

use super::{Export, Run, cell};
use crate::lines::Line;
use anyhow::Result;
use std::io::Write;

/// `yearly.csv`: `year,line,mean,p5,p10,p25,p50,p75,p90,p95`.
pub struct Yearly;

impl Export for Yearly {
    fn file_name(&self) -> &'static str {
        "yearly.csv"
    }

    fn write(&self, run: &Run, out: &mut dyn Write) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "year", "line", "mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95",
        ])?;
        for y in &run.years {
            for line in Line::ALL {
                let d = &y.lines[line.index()];
                let mut row = vec![
                    y.year.to_string(),
                    line.name().to_string(),
                    cell(d.mean, line.is_money()),
                ];
                row.extend(d.quantiles.iter().map(|q| cell(*q, line.is_money())));
                w.write_record(&row)?;
            }
        }
        w.flush()?;
        Ok(())
    }
}

/// `monthly.csv`: `month` (YYYY-MM), then one column per line.
pub struct Monthly;

impl Export for Monthly {
    fn file_name(&self) -> &'static str {
        "monthly.csv"
    }

    fn applies(&self, run: &Run) -> bool {
        run.months.is_some()
    }

    fn write(&self, run: &Run, out: &mut dyn Write) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        let mut header = vec!["month"];
        header.extend(Line::ALL.iter().map(|l| l.name()));
        w.write_record(&header)?;
        for m in run.months.iter().flatten() {
            let mut row = vec![format!(
                "{}-{:02}",
                run.meta.start_year + m.year as i32,
                m.month
            )];
            row.extend(Line::ALL.iter().map(|l| cell(m.get(*l), l.is_money())));
            w.write_record(&row)?;
        }
        w.flush()?;
        Ok(())
    }
}

/// Row label of the provincial lines in `by_city.csv`.
pub const PROVINCIAL_ROW: &str = "省本级";

/// `by_city.csv`: `year,city,premiums,expenditure_total,net`; a last row per
/// year, `省本级`, holds the provincial expenditure lines (prevention, other),
/// so the rows of a year add up to the year's premiums and expenditure.
pub struct ByCity;

impl Export for ByCity {
    fn file_name(&self) -> &'static str {
        "by_city.csv"
    }

    fn write(&self, run: &Run, out: &mut dyn Write) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["year", "city", "premiums", "expenditure_total", "net"])?;
        for y in &run.years {
            let rows = run
                .scenario
                .cities
                .iter()
                .enumerate()
                .map(|(c, city)| {
                    (
                        city.name.as_str(),
                        y.city_premiums[c],
                        y.city_expenditure[c],
                    )
                })
                .chain(std::iter::once((
                    PROVINCIAL_ROW,
                    0.0,
                    y.provincial_expenditure,
                )));
            for (name, premiums, expenditure) in rows {
                w.write_record([
                    y.year.to_string(),
                    name.to_string(),
                    cell(premiums, true),
                    cell(expenditure, true),
                    cell(premiums - expenditure, true),
                ])?;
            }
        }
        w.flush()?;
        Ok(())
    }
}

/// `by_sector.csv`: `year,sector,payroll,premiums,expenditure_total,cost_rate`,
/// where expenditure covers what arises from cases and stocks and
/// `cost_rate = expenditure_total / payroll`.
pub struct BySector;

impl Export for BySector {
    fn file_name(&self) -> &'static str {
        "by_sector.csv"
    }

    fn write(&self, run: &Run, out: &mut dyn Write) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "year",
            "sector",
            "payroll",
            "premiums",
            "expenditure_total",
            "cost_rate",
        ])?;
        for y in &run.years {
            for (i, sector) in run.scenario.sectors.iter().enumerate() {
                let payroll = y.sector_payroll[i];
                let expenditure = y.sector_expenditure[i];
                let rate = if payroll > 0.0 {
                    expenditure / payroll
                } else {
                    f64::NAN
                };
                w.write_record([
                    y.year.to_string(),
                    sector.name.clone(),
                    cell(payroll, true),
                    cell(y.sector_premiums[i], true),
                    cell(expenditure, true),
                    cell(rate, false),
                ])?;
            }
        }
        w.flush()?;
        Ok(())
    }
}
