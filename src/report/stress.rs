//! The outputs of `fundsim stress`: `stress.json`, `stress.csv` (long form),
//! `city_reserves.csv` (each city's notional reserve by year, per stress),
//! `stress.md` (plain sentences) and `stress.svg` (mean burden by payer,
//! one line per scheme, under the last stress given).

use crate::stress::{CityReserve, PairResult};
use anyhow::{Context, Result, anyhow};
use plotters::prelude::*;
use serde::Serialize;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Everything `fundsim stress` reports.
#[derive(Debug, Clone, Serialize)]
pub struct StressReport {
    /// Scenario name.
    pub scenario: String,
    /// Scenario file.
    pub source: String,
    /// Its SHA-256.
    pub input_sha256: String,
    /// fundsim version.
    pub tool_version: String,
    /// Master seed (the same paths for every pair).
    pub seed: u64,
    /// Paths.
    pub paths: u64,
    /// Projection years.
    pub years: Vec<i32>,
    /// Scheme names, in order.
    pub schemes: Vec<String>,
    /// Every stress × scheme pair.
    pub pairs: Vec<PairResult>,
    /// Each city's notional reserve by year, per stress (under the first scheme).
    pub city_reserves: Vec<(String, Vec<CityReserve>)>,
}

/// Writes the files into `dir`.
pub fn write(r: &StressReport, dir: &Path) -> Result<()> {
    let json = serde_json::to_string_pretty(r)? + "\n";
    fs::write(dir.join("stress.json"), json).context("cannot write stress.json")?;
    fs::write(dir.join("stress.csv"), pairs_csv(r)?).context("cannot write stress.csv")?;
    fs::write(dir.join("city_reserves.csv"), cities_csv(r)?)
        .context("cannot write city_reserves.csv")?;
    fs::write(dir.join("stress.md"), markdown(r)).context("cannot write stress.md")?;
    chart(r, &dir.join("stress.svg"))
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
            for (m, v) in rows {
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

fn markdown(r: &StressReport) -> String {
    let mut md = String::new();
    let last = r.years[r.years.len() - 1];
    let _ = writeln!(md, "# Gap-sharing stress test for {}\n", r.scenario);
    let _ = writeln!(
        md,
        "{} Monte Carlo paths, seed {}, {}–{last}; every stress and scheme runs on the same paths. A gap is a month whose \
         balance falls below the floor and is lifted by the treasuries.\n",
        r.paths, r.seed, r.years[0]
    );
    for p in &r.pairs {
        let province = &p.payers[0];
        let mut cities: Vec<_> = p.payers[1..].iter().collect();
        cities.sort_by(|a, b| b.burden.mean.total_cmp(&a.burden.mean));
        let top = cities.first().filter(|c| c.burden.mean > 0.0);
        let _ = write!(
            md,
            "- **{} / {}**: a gap occurs in {:.1} % of paths (± {:.1}); the treasuries must find {:.2} 亿元 on average over the horizon \
             (95th percentile {:.2} 亿元). The province pays {:.2} 亿元 on average",
            p.stress,
            p.scheme,
            p.gap_probability_any * 100.0,
            p.gap_probability_any_se * 100.0,
            p.gap_total_mean / 1e8,
            p.gap_total_p95 / 1e8,
            province.burden.mean / 1e8,
        );
        if let Some(share) = province.share_of_fiscal_revenue {
            let _ = write!(md, " ({:.3} % of its revenue)", share * 100.0);
        }
        match top {
            Some(c) => {
                let _ = writeln!(
                    md,
                    "; the largest city burden is {}'s, {:.2} 亿元 on average ({:.3} % of its revenue, worst single year {:.2} 亿元, fairness ratio {:.2}).",
                    c.payer,
                    c.burden.mean / 1e8,
                    c.share_of_fiscal_revenue.unwrap_or(0.0) * 100.0,
                    c.burden.worst_year / 1e8,
                    c.fairness.unwrap_or(f64::NAN)
                );
            }
            None => {
                let _ = writeln!(md, "; no city pays anything.");
            }
        }
    }
    if let Some((stress, rows)) = r.city_reserves.first() {
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

const COLORS: [RGBColor; 6] = [
    RGBColor(8, 69, 148),
    RGBColor(203, 24, 29),
    RGBColor(35, 139, 69),
    RGBColor(217, 95, 2),
    RGBColor(117, 107, 177),
    RGBColor(102, 102, 102),
];

fn chart(r: &StressReport, path: &Path) -> Result<()> {
    let draw = |e: &dyn std::fmt::Debug| anyhow!("cannot draw stress.svg: {e:?}");
    let stress = r.pairs.last().map(|p| p.stress.clone()).unwrap_or_default();
    let pairs: Vec<&PairResult> = r.pairs.iter().filter(|p| p.stress == stress).collect();
    let payers: Vec<String> = pairs
        .first()
        .map(|p| p.payers.iter().map(|x| x.payer.clone()).collect())
        .unwrap_or_default();
    let top = pairs
        .iter()
        .flat_map(|p| p.payers.iter().map(|x| x.burden.mean / 1e8))
        .fold(0.01f64, f64::max)
        * 1.15;
    let root = SVGBackend::new(path, (1100, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw(&e))?;
    let n = payers.len().max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "{}: mean gap burden by payer under \"{stress}\" (亿元, {}–{})",
                r.scenario,
                r.years[0],
                r.years[r.years.len() - 1]
            ),
            ("sans-serif", 20),
        )
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.5..n as f64 - 0.5, 0.0..top)
        .map_err(|e| draw(&e))?;
    let labels = payers.clone();
    chart
        .configure_mesh()
        .x_labels(n)
        .x_label_formatter(&move |x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_desc("亿元")
        .light_line_style(WHITE)
        .draw()
        .map_err(|e| draw(&e))?;
    let width = 0.8 / pairs.len().max(1) as f64;
    for (j, p) in pairs.iter().enumerate() {
        let color = COLORS[j % COLORS.len()];
        let offset = -0.4 + width * j as f64;
        chart
            .draw_series(p.payers.iter().enumerate().map(|(i, x)| {
                let left = i as f64 + offset;
                Rectangle::new(
                    [(left, 0.0), (left + width * 0.9, x.burden.mean / 1e8)],
                    color.filled(),
                )
            }))
            .map_err(|e| draw(&e))?
            .label(p.scheme.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .draw()
        .map_err(|e| draw(&e))?;
    root.present().map_err(|e| draw(&e))?;
    Ok(())
}
