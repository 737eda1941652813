//! The files of a projection (`fundsim simulate`, `fundsim merge`):
//! `summary.json`, `yearly.csv`, `monthly.csv` (expected-value mode),
//! `by_city.csv`, `by_sector.csv` and, in Monte Carlo mode,
//! `manifest.json` and the charts; and `report.html`, the document for a
//! reader. Money is in yuan with two decimals in
//! the data files; no wall-clock time is written, so the files depend only
//! on the inputs.

use super::chart;
use super::labels::{Label, Lang};
use super::output_dir::File;
use super::provenance::{Identity, Provenance};
use super::units::Unit;
use crate::analysis::calibration::CalibrationRow;
use crate::analysis::projection::Projection;
use crate::model::breakdown::Part;
use crate::model::lines::Line;
use crate::stats::estimate::proportion_se;
use crate::stats::paths::PayerBurden;
use crate::stats::shard::Manifest;
use serde::Serialize;

/// Every file of a projection; `manifest` for a Monte Carlo run.
pub(crate) fn files(
    p: &Projection,
    provenance: &Provenance,
    manifest: Option<&Manifest>,
    unit: Unit,
    lang: Lang,
) -> anyhow::Result<Vec<File>> {
    let mut files = vec![
        File::text("summary.json", summary(p, provenance, manifest)?),
        File::text("yearly.csv", yearly(p)?),
    ];
    if p.months.is_some() {
        files.push(File::text("monthly.csv", monthly(p)?));
    }
    files.push(File::text("by_city.csv", by_city(p)?));
    files.push(File::text("by_sector.csv", by_sector(p)?));
    if let Some(m) = manifest {
        files.push(File::text(
            "manifest.json",
            serde_json::to_string_pretty(m)? + "\n",
        ));
        for c in chart::projection(p, provenance, unit, lang)? {
            files.push(c.file()?);
        }
    }
    let report = super::document::projection(p, provenance, unit, lang)?;
    files.push(File::text("report.html", report.render()?));
    Ok(files)
}

/// Money rounded to the fen for output.
pub(crate) fn money(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// A number for CSV: money to 2 decimals, other values to 6; empty when not finite.
pub(crate) fn cell(v: f64, is_money: bool) -> String {
    if !v.is_finite() {
        String::new()
    } else if is_money {
        format!("{v:.2}")
    } else {
        format!("{v:.6}")
    }
}

fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

fn finish(w: csv::Writer<Vec<u8>>) -> anyhow::Result<String> {
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(String::from_utf8(bytes)?)
}

/// How a run was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Mode {
    ExpectedValue,
    MonteCarlo,
}

#[derive(Serialize)]
struct Document<'a> {
    #[serde(flatten)]
    identity: Identity<'a>,
    mode: Mode,
    start_year: i32,
    years: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    stress: Option<String>,
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

/// `summary.json`: provenance and, per year, the December balance, reserve
/// months, breach flag (or, in Monte Carlo mode, the probabilities of
/// breach, of a first breach by then and of a gap, each with its standard
/// error), the rate multiplier and gap transfers by payer; in Monte Carlo
/// mode also the distribution of the first breach year, the mean months
/// below the rule, each payer's cumulative burden and the run's manifest;
/// and the first-year calibration check.
fn summary(
    p: &Projection,
    provenance: &Provenance,
    manifest: Option<&Manifest>,
) -> anyhow::Result<String> {
    let s = p.scenario;
    let mut payers = vec![crate::analysis::stress::PROVINCE.to_string()];
    payers.extend(s.cities.iter().map(|c| c.name.clone()));
    let mc = p.paths.zip(manifest);
    let n = p
        .paths
        .map_or(1, super::super::stats::paths::PathSet::paths);
    let cumulative = p
        .paths
        .map(super::super::stats::paths::PathSet::first_breach_cumulative);
    let se = |x: f64| mc.map(|_| round(proportion_se(x, n), 8));
    let per_year = p
        .years
        .iter()
        .enumerate()
        .map(|(k, y)| {
            let r = y.mean(Line::ReserveMonths);
            let first = cumulative.as_ref().map(|c| c[k]);
            let gap = p.paths.map(|set| set.gap_probability(k));
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
                gap_transfers_by_payer: y
                    .breakdown
                    .part(Part::GapByPayer)
                    .iter()
                    .map(|v| money(*v))
                    .collect(),
            }
        })
        .collect();
    let monte_carlo = mc.map(|(set, manifest)| {
        let first = set.first_breach_distribution();
        MonteCarloSummary {
            manifest,
            never_breach: set.never_breach(),
            first_breach_year: p
                .years
                .iter()
                .zip(&first)
                .map(|(y, share)| FirstBreach {
                    year: y.year,
                    share: *share,
                })
                .collect(),
            mean_months_below_rule: set.mean_months_below_rule(),
            payer_burden: payers
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let b = set.payer_burden(i);
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
        identity: provenance.identity(),
        mode: if mc.is_some() {
            Mode::MonteCarlo
        } else {
            Mode::ExpectedValue
        },
        start_year: s.start_year,
        years: s.years,
        stress: provenance.stress_phrase(),
        opening_balance: s.fund.opening_balance,
        reserve_rule_months: s.law.reserve_rule_months,
        payers,
        per_year,
        monte_carlo,
        calibration: &p.calibration,
    };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// `yearly.csv`: `year,line,mean,p5,p10,p25,p50,p75,p90,p95`.
fn yearly(p: &Projection) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "year", "line", "mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95",
    ])?;
    let lines = super::shown_lines(p.scenario);
    for y in &p.years {
        for line in lines.iter().copied() {
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
    finish(w)
}

/// `monthly.csv`: `month` (YYYY-MM), then one column per line.
fn monthly(p: &Projection) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let lines = super::shown_lines(p.scenario);
    let mut header = vec!["month"];
    header.extend(lines.iter().map(|l| l.name()));
    w.write_record(&header)?;
    for m in p.months.iter().flatten() {
        let mut row = vec![format!(
            "{}-{:02}",
            p.scenario.start_year + m.year as i32,
            m.month
        )];
        row.extend(lines.iter().map(|l| cell(m.get(*l), l.is_money())));
        w.write_record(&row)?;
    }
    finish(w)
}

/// `by_city.csv`: `year,city,premiums,expenditure_total,net`; a last row per
/// year, `省本级`, holds the provincial expenditure lines (prevention, other),
/// so the rows of a year add up to the year's premiums and expenditure.
fn by_city(p: &Projection) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["year", "city", "premiums", "expenditure_total", "net"])?;
    let provincial = Label::Provincial.text(super::labels::Lang::Zh);
    for y in &p.years {
        let premiums = y.breakdown.part(Part::CityPremiums);
        let expenditure = y.breakdown.part(Part::CityExpenditure);
        // money a scheme paid back counts as expenditure of its payer's row
        let returned = y.breakdown.part(Part::ReturnedToPayer);
        let rows = p
            .scenario
            .cities
            .iter()
            .enumerate()
            .map(|(c, city)| {
                (
                    city.name.as_str(),
                    premiums[c],
                    expenditure[c] + returned[1 + c],
                )
            })
            .chain(std::iter::once((
                provincial,
                0.0,
                y.provincial_expenditure + returned[0],
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
    finish(w)
}

/// `by_sector.csv`: `year,sector,payroll,premiums,expenditure_total,cost_rate`,
/// where expenditure covers what arises from cases and stocks and
/// `cost_rate = expenditure_total / payroll`.
fn by_sector(p: &Projection) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "year",
        "sector",
        "payroll",
        "premiums",
        "expenditure_total",
        "cost_rate",
    ])?;
    for y in &p.years {
        let b = &y.breakdown;
        for (i, sector) in p.scenario.sectors.iter().enumerate() {
            let payroll = b.part(Part::SectorPayroll)[i];
            let expenditure = b.part(Part::SectorExpenditure)[i];
            let rate = if payroll > 0.0 {
                expenditure / payroll
            } else {
                f64::NAN
            };
            w.write_record([
                y.year.to_string(),
                sector.name.clone(),
                cell(payroll, true),
                cell(b.part(Part::SectorPremiums)[i], true),
                cell(expenditure, true),
                cell(rate, false),
            ])?;
        }
    }
    finish(w)
}

/// The console table of a projection (means across paths in Monte Carlo
/// mode) and its headline.
pub(crate) fn console(p: &Projection, provenance: &Provenance, unit: Unit) -> String {
    use super::console::{Align, Table};
    use super::format::grouped;
    let mc = p.paths.is_some();
    let mut out = format!(
        "{}; {}amounts in {}\n",
        provenance.describe(super::labels::Lang::En),
        if mc { "means across paths; " } else { "" },
        unit.label()
    );
    let breach = if mc { "P(breach)" } else { "breach" };
    let mut t = Table::new(&[
        ("year", Align::Right),
        ("income", Align::Right),
        ("paid", Align::Right),
        ("balance", Align::Right),
        ("months", Align::Right),
        (breach, Align::Right),
        ("multiplier", Align::Right),
    ]);
    for y in &p.years {
        let r = y.mean(Line::ReserveMonths);
        t.row(vec![
            y.year.to_string(),
            grouped(unit.scale(y.mean(Line::IncomeTotal)), 2),
            grouped(unit.scale(y.mean(Line::ExpenditureTotal)), 2),
            grouped(unit.scale(y.mean(Line::ClosingBalance)), 2),
            if r.is_finite() {
                format!("{r:.1}")
            } else {
                "-".into()
            },
            if mc {
                format!("{:.1} %", y.breach_probability * 100.0)
            } else if y.breach_probability >= 0.5 {
                "yes".into()
            } else {
                "no".into()
            },
            format!("{:.3}", y.mean(Line::RateMultiplier)),
        ]);
    }
    out.push_str(&t.render());
    out.push_str(&headline_sentence(p));
    out.push('\n');
    out
}

/// The headline as a sentence: the probability of at least one breach by
/// the horizon with its standard error, and the most likely first year.
pub(crate) fn headline_sentence(p: &Projection) -> String {
    let h = p.headline();
    let rule = p.scenario.law.reserve_rule_months;
    match h.any_breach_se {
        Some(se) => {
            let first = match h.first_breach_year {
                Some(y) => format!("the most likely first year of a breach is {y}"),
                None => "no path breaches".to_string(),
            };
            format!(
                "Chance that reserves fall below {rule} months of payments at least once by {}: {:.1} % (± {:.1} points); {first}.",
                h.last_year,
                h.any_breach * 100.0,
                se * 100.0
            )
        }
        None => match h.first_breach_year {
            Some(y) => format!(
                "The expected-value path first falls below {rule} months of payments in December {y}."
            ),
            None => format!(
                "The expected-value path stays at or above {rule} months of payments through {}.",
                h.last_year
            ),
        },
    }
}
