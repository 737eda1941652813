//! The outputs of `fundsim stress`: `stress.json`, `stress.csv` (long form),
//! `city_reserves.csv` (each city's notional reserve by year, per stress),
//! `stress.md` (plain sentences) and `stress.svg` (mean burden by payer,
//! one line per scheme, under the last stress given) and `report.html`
//! (the burden by payer under every stress).

use super::chart;
use super::format::{grouped, markdown_text};
use super::labels::{self, Lang};
use super::output_dir::File;
use super::provenance::{Provenance, RunIdentity};
use super::units::Unit;
use crate::analysis::stress::{CityReserve, PairResult};
use crate::model::lines::{Aggregation, Line};
use crate::model::scenario::Scenario;
use crate::stats::results::QUANTILES;
use anyhow::{Result, anyhow};
use serde::Serialize;
use std::fmt::Write as _;

/// Everything `fundsim stress` reports.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StressReport<'a> {
    /// Scenario, file, SHA-256, version, seed and paths.
    #[serde(flatten)]
    pub(crate) run: RunIdentity<'a>,
    /// Projection years.
    pub(crate) years: Vec<i32>,
    /// Scheme names, in order.
    pub(crate) schemes: Vec<String>,
    /// Every stress × scheme pair.
    pub(crate) pairs: Vec<PairResult>,
    /// Each city's notional reserve by year, per stress (under the first scheme).
    pub(crate) city_reserves: Vec<(String, Vec<CityReserve>)>,
}

/// The files of a stress test.
pub(crate) fn files(
    r: &StressReport,
    s: &Scenario,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> Result<Vec<File>> {
    Ok(vec![
        File::text("stress.json", serde_json::to_string_pretty(r)? + "\n"),
        File::text("stress.csv", pairs_csv(r)?),
        File::text("city_reserves.csv", cities_csv(r)?),
        File::text("stress.md", markdown(r, provenance, unit)),
        File::text(
            "stress.svg",
            chart::standalone(&last_burden_chart(r, provenance, unit, lang)?)?,
        ),
        File::text(
            "report.html",
            super::document::stress(s, r, provenance, unit, lang)?.render()?,
        ),
    ])
}

fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.6}")
    } else {
        String::new()
    }
}

fn pairs_csv(r: &StressReport) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "stress", "scheme", "payer", "year", "measure", "value", "se",
    ])?;
    for p in &r.pairs {
        for (k, y) in r.years.iter().enumerate() {
            w.write_record([
                &p.stress,
                &p.scheme,
                "",
                &y.to_string(),
                "gap_probability",
                &num(p.gap_probability[k]),
                &num(p.gap_probability_se[k]),
            ])?;
        }
        let all = [
            (
                "gap_probability_any",
                p.gap_probability_any,
                p.gap_probability_any_se,
            ),
            ("breach_probability_any", p.breach_probability_any, f64::NAN),
            ("gap_total_mean", p.gap_total_mean, f64::NAN),
            ("gap_total_p95", p.gap_total_p95, f64::NAN),
        ];
        for (m, v, se) in all {
            w.write_record([
                p.stress.as_str(),
                p.scheme.as_str(),
                "",
                "horizon",
                m,
                &num(v),
                &num(se),
            ])?;
        }
        for payer in &p.payers {
            let b = &payer.burden;
            let rows = [
                ("burden_mean", b.mean),
                ("burden_p95", b.p95),
                ("burden_max", b.max),
                ("burden_share_positive", b.share_positive),
                ("burden_worst_year", b.worst_year),
                (
                    "burden_share_of_fiscal_revenue",
                    payer.share_of_fiscal_revenue.unwrap_or(f64::NAN),
                ),
                ("fairness", payer.fairness.unwrap_or(f64::NAN)),
            ];
            let back = payer.paid_back_mean.map(|v| ("paid_back_mean", v));
            for (m, v) in rows.into_iter().chain(back) {
                w.write_record([
                    p.stress.as_str(),
                    p.scheme.as_str(),
                    payer.payer.as_str(),
                    "horizon",
                    m,
                    &num(v),
                    "",
                ])?;
            }
        }
        for line in &p.scheme_lines {
            for (k, y) in r.years.iter().enumerate() {
                let d = &line.by_year[k];
                let stats = std::iter::once(("mean".to_string(), d.mean)).chain(
                    QUANTILES
                        .iter()
                        .zip(d.quantiles)
                        .map(|(q, v)| (format!("p{:02.0}", q * 100.0), v)),
                );
                for (stat, v) in stats {
                    w.write_record([
                        p.stress.as_str(),
                        p.scheme.as_str(),
                        "",
                        &y.to_string(),
                        &format!("{}_{stat}", line.line.name()),
                        &num(v),
                        "",
                    ])?;
                }
            }
            w.write_record([
                p.stress.as_str(),
                p.scheme.as_str(),
                "",
                "horizon",
                &format!("{}_positive_at_horizon", line.line.name()),
                &num(line.positive_at_horizon),
                &num(line.positive_at_horizon_se),
            ])?;
        }
    }
    Ok(String::from_utf8(
        w.into_inner().map_err(|e| anyhow!("{e}"))?,
    )?)
}

fn cities_csv(r: &StressReport) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "stress",
        "year",
        "city",
        "notional_reserve",
        "reserve_months",
        "net",
    ])?;
    for (stress, rows) in &r.city_reserves {
        for c in rows {
            w.write_record([
                stress.clone(),
                c.year.to_string(),
                c.city.clone(),
                format!("{:.2}", c.notional_reserve),
                c.reserve_months.map_or(String::new(), num),
                format!("{:.2}", c.net),
            ])?;
        }
    }
    Ok(String::from_utf8(
        w.into_inner().map_err(|e| anyhow!("{e}"))?,
    )?)
}

fn markdown(r: &StressReport, provenance: &Provenance, unit: Unit) -> String {
    let mut md = String::new();
    let u = unit.label();
    let money = |v: f64| grouped(unit.scale(v), 2);
    let last = r.years[r.years.len() - 1];
    let _ = writeln!(
        md,
        "# Gap-sharing stress test for {}\n",
        markdown_text(r.run.identity.title)
    );
    let _ = writeln!(
        md,
        "{}.\n\n{}–{last}; every stress and scheme runs on the same paths. A gap is a month whose \
         balance falls below the floor and is lifted by the treasuries. Amounts in {u}.\n",
        provenance.describe(super::labels::Lang::En),
        r.years[0]
    );
    for p in &r.pairs {
        let province = &p.payers[0];
        let mut cities: Vec<_> = p.payers[1..].iter().collect();
        cities.sort_by(|a, b| b.burden.mean.total_cmp(&a.burden.mean));
        let top = cities.first().filter(|c| c.burden.mean > 0.0);
        let _ = write!(
            md,
            "- **{} / {}**: a gap occurs in {:.1} % of paths (± {:.1}); the treasuries must find {} {u} on average over the horizon \
             (95th percentile {} {u}). The province pays {} {u} on average",
            labels::stress_name(Lang::En, &p.stress),
            labels::scheme_name(Lang::En, &p.scheme),
            p.gap_probability_any * 100.0,
            p.gap_probability_any_se * 100.0,
            money(p.gap_total_mean),
            money(p.gap_total_p95),
            money(province.burden.mean),
        );
        if let Some(share) = province.share_of_fiscal_revenue {
            let _ = write!(md, " ({:.3} % of its revenue)", share * 100.0);
        }
        match top {
            Some(c) => {
                let _ = writeln!(
                    md,
                    "; the largest city burden is {}'s, {} {u} on average ({:.3} % of its revenue, worst single year {} {u}, {}).",
                    c.payer,
                    money(c.burden.mean),
                    c.share_of_fiscal_revenue.unwrap_or(0.0) * 100.0,
                    money(c.burden.worst_year),
                    c.fairness.map_or_else(
                        || "no fairness ratio: no premiums or no gap transfers to compare"
                            .to_string(),
                        |f| format!("fairness ratio {f:.2}")
                    )
                );
            }
            None => {
                let _ = writeln!(md, "; no city pays anything.");
            }
        }
        scheme_lines_md(&mut md, p, last, unit);
    }
    if let Some((stress, rows)) = r.city_reserves.first() {
        let stress = labels::stress_name(Lang::En, stress);
        let receivers: Vec<&str> = rows
            .iter()
            .filter(|c| c.year == last && c.notional_reserve < 0.0)
            .map(|c| c.city.as_str())
            .collect();
        let _ = writeln!(
            md,
            "\n## Cities' notional reserves ({stress})\n\nEach city's share of the opening balance plus its own premiums less the payments of its cases and stocks. \
             {}\n",
            if receivers.is_empty() {
                format!("No city's notional reserve is negative by {last}.")
            } else {
                format!(
                    "By {last} these cities have drawn more from the pool than they put in: {}.",
                    receivers.join(", ")
                )
            }
        );
    }
    md
}

/// One sentence per scheme line of a pair, under its bullet.
fn scheme_lines_md(md: &mut String, p: &PairResult, last: i32, unit: Unit) {
    let u = unit.label();
    let money = |v: f64| grouped(unit.scale(v), 2);
    for l in &p.scheme_lines {
        let line = l.line;
        let label = line.def().en;
        let end = &l.by_year[l.by_year.len() - 1];
        let sum: f64 = l.by_year.iter().map(|d| d.mean).sum();
        let _ = match line.aggregation() {
            Aggregation::EndOfYear => writeln!(
                md,
                "  - {label} at the end of {last}: {} {u} on average (95th percentile {} {u}); \
                 above zero on {:.1} % of paths (± {:.1}).",
                money(end.mean),
                money(end.quantiles[QUANTILES.len() - 1]),
                l.positive_at_horizon * 100.0,
                l.positive_at_horizon_se * 100.0
            ),
            Aggregation::Flow => {
                let mut text = format!(
                    "  - {label} over the horizon: {} {u} on average",
                    money(sum)
                );
                if line == Line::Returned {
                    let province = p.payers[0].paid_back_mean.unwrap_or(0.0);
                    let _ = write!(
                        text,
                        " ({} {u} to the province, {} {u} to the cities); the burdens above are net of it",
                        money(province),
                        money(sum - province)
                    );
                }
                writeln!(md, "{text}.")
            }
        };
    }
}

/// `stress.svg`: the burden chart of the last stress, as the report draws it.
fn last_burden_chart(
    r: &StressReport,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> Result<String> {
    let stress = r
        .pairs
        .last()
        .map(|p| p.stress.as_str())
        .unwrap_or_default();
    Ok(super::document::stress_burden_chart(r, stress, provenance, unit, lang)?.0)
}

/// The console summary of `fundsim stress`.
pub(crate) fn console(r: &StressReport, provenance: &Provenance, unit: Unit) -> String {
    use super::console::{Align, Table};
    let mut out = format!(
        "{}; gap money over the horizon, {}:\n",
        provenance.describe(super::labels::Lang::En),
        unit.label()
    );
    let mut t = Table::new(&[
        ("stress", Align::Left),
        ("scheme", Align::Left),
        ("P(gap)", Align::Right),
        ("mean", Align::Right),
        ("p95", Align::Right),
        ("province", Align::Right),
    ]);
    for p in &r.pairs {
        t.row(vec![
            p.stress.clone(),
            p.scheme.clone(),
            format!("{:.1} %", p.gap_probability_any * 100.0),
            grouped(unit.scale(p.gap_total_mean), 2),
            grouped(unit.scale(p.gap_total_p95), 2),
            grouped(unit.scale(p.payers[0].burden.mean), 2),
        ]);
    }
    out.push_str(&t.render());
    for p in &r.pairs {
        for l in &p.scheme_lines {
            if l.line.aggregation() == Aggregation::EndOfYear {
                let end = &l.by_year[l.by_year.len() - 1];
                let _ = writeln!(
                    out,
                    "{} / {}: {} at the end of {}: {} on average, above zero on {:.1} % of paths",
                    p.stress,
                    p.scheme,
                    l.line.def().en.to_lowercase(),
                    r.years[r.years.len() - 1],
                    grouped(unit.scale(end.mean), 2),
                    l.positive_at_horizon * 100.0
                );
            }
        }
    }
    out
}
