//! The outputs of `fundsim rates`: `rates.json`, `rates.csv`, `rates.md`
//! (a page of plain sentences for a committee) and `rates.svg` (probability
//! of breach by year, one line per schedule).

use crate::rates::{Evaluation, IndicatedRate, Solution};
use anyhow::{Context, Result, anyhow};
use plotters::prelude::*;
use serde::Serialize;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Everything `fundsim rates` reports.
#[derive(Debug, Clone, Serialize)]
pub struct RatesReport {
    /// Scenario name.
    pub scenario: String,
    /// Scenario file.
    pub source: String,
    /// Its SHA-256.
    pub input_sha256: String,
    /// fundsim version.
    pub tool_version: String,
    /// Master seed (the same paths for every schedule).
    pub seed: u64,
    /// Paths.
    pub paths: u64,
    /// Projection years.
    pub years: Vec<i32>,
    /// Months of reserve below which a December is a breach.
    pub reserve_rule_months: f64,
    /// Class names.
    pub classes: Vec<String>,
    /// The baseline first, then each candidate.
    pub candidates: Vec<Evaluation>,
    /// The solver's result, with `--solve`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solve: Option<Solution>,
    /// Break-even rates by class under the baseline.
    pub indicated_rates: Vec<IndicatedRate>,
    /// Provincial lines (prevention, other) over payroll, left out of the indicated rates.
    pub provincial_loading: f64,
}

/// Writes the four files into `dir`.
pub fn write(report: &RatesReport, dir: &Path) -> Result<()> {
    let json = serde_json::to_string_pretty(report)? + "\n";
    fs::write(dir.join("rates.json"), json).context("cannot write rates.json")?;
    fs::write(dir.join("rates.csv"), csv_text(report)?).context("cannot write rates.csv")?;
    fs::write(dir.join("rates.md"), markdown(report)).context("cannot write rates.md")?;
    chart(report, &dir.join("rates.svg"))
}

fn csv_text(r: &RatesReport) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["candidate", "year", "measure", "value", "se"])?;
    let num = |v: f64| {
        if v.is_finite() {
            format!("{v:.6}")
        } else {
            String::new()
        }
    };
    for c in &r.candidates {
        for (k, year) in r.years.iter().enumerate() {
            let y = year.to_string();
            w.write_record([
                &c.name,
                &y,
                "breach_probability",
                &num(c.breach_probability[k]),
                &num(c.breach_probability_se[k]),
            ])?;
            let d = &c.difference_by_year[k];
            w.write_record([
                &c.name,
                &y,
                "difference_from_baseline",
                &num(d.difference),
                &num(d.se),
            ])?;
        }
        let all = "horizon";
        let rows: [(&str, f64, f64); 7] = [
            (
                "breach_probability_any",
                c.breach_probability_any,
                c.breach_probability_any_se,
            ),
            (
                "difference_any_from_baseline",
                c.difference_any.difference,
                c.difference_any.se,
            ),
            (
                "lowest_reserve_months_mean",
                c.lowest_reserve_months_mean,
                f64::NAN,
            ),
            (
                "lowest_reserve_months_p5",
                c.lowest_reserve_months_p5,
                f64::NAN,
            ),
            (
                "closing_balance_last_year",
                c.closing_balance_horizon,
                f64::NAN,
            ),
            ("premiums_total_a_year", c.premiums_total, f64::NAN),
            ("multiplier_volatility", c.multiplier_volatility, f64::NAN),
        ];
        for (measure, v, se) in rows {
            w.write_record([c.name.as_str(), all, measure, &num(v), &num(se)])?;
        }
        for (i, class) in r.classes.iter().enumerate() {
            let rows = [
                ("premiums_a_year", c.premiums_by_class[i]),
                ("premiums_change_a_year", c.premiums_change_by_class[i]),
                ("premiums_change_pct", c.premiums_change_pct_by_class[i]),
            ];
            for (measure, v) in rows {
                w.write_record([
                    c.name.as_str(),
                    all,
                    &format!("{measure}:{class}"),
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

fn yi(v: f64) -> f64 {
    v / 1e8
}

/// A probability as a person says it: "about 1 in 4" or "under 1 in 1,000".
fn chance(p: f64) -> String {
    if p <= 0.0 {
        "nil in these paths".into()
    } else if p < 0.001 {
        "under 1 in 1,000".into()
    } else if p >= 0.5 {
        format!("{:.0} %", p * 100.0)
    } else {
        format!("about 1 in {:.0}", 1.0 / p)
    }
}

fn markdown(r: &RatesReport) -> String {
    let mut md = String::new();
    let (first, last) = (r.years[0], r.years[r.years.len() - 1]);
    let rule = r.reserve_rule_months;
    let _ = writeln!(md, "# Benchmark-rate schedules for {}\n", r.scenario);
    let _ = writeln!(
        md,
        "{} Monte Carlo paths, seed {}, {first}–{last}; every schedule runs on the same paths, so differences are paired. \
         A breach is a December whose reserve covers fewer than {rule} months of payments (the 12-month rule).\n",
        r.paths, r.seed
    );
    let base = &r.candidates[0];
    let _ = writeln!(
        md,
        "**{}** ({}): the chance that reserves fall below {rule} months at least once by {last} is {} ({:.1} % ± {:.1}). \
         Employers pay {:.2} 亿元 a year on average over {first}–{last}; the lowest December reserve averages {:.1} months (5 % of paths: {:.1} or less); \
         the balance at the end of {last} averages {:.2} 亿元.\n",
        base.name,
        base.description,
        chance(base.breach_probability_any),
        base.breach_probability_any * 100.0,
        base.breach_probability_any_se * 100.0,
        yi(base.premiums_total),
        base.lowest_reserve_months_mean,
        base.lowest_reserve_months_p5,
        yi(base.closing_balance_horizon),
    );
    for c in r.candidates.iter().skip(1) {
        let d = &c.difference_any;
        let direction = if d.difference < 0.0 {
            "lower"
        } else {
            "higher"
        };
        let mut classes: Vec<(usize, f64)> = c
            .premiums_change_by_class
            .iter()
            .copied()
            .enumerate()
            .collect();
        classes.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        let top: Vec<&str> = classes
            .iter()
            .take(2)
            .map(|(i, _)| r.classes[*i].as_str())
            .collect();
        let pays = if c.premiums_change_total >= 0.0 {
            "more"
        } else {
            "less"
        };
        let _ = writeln!(
            md,
            "**{}** ({}): the chance of a breach by {last} becomes {} ({:.1} % ± {:.1}), {:.1} points {direction} than the baseline \
             (paired standard error {:.1}). Employers pay {:.2} 亿元 {pays} a year on average over {first}–{last} ({:+.1} %), most of it in {}. \
             The rate level (policy multiplier × schedule) moves by {:.3} a year on average (baseline {:.3}).\n",
            c.name,
            c.description,
            chance(c.breach_probability_any),
            c.breach_probability_any * 100.0,
            c.breach_probability_any_se * 100.0,
            d.difference.abs() * 100.0,
            d.se * 100.0,
            yi(c.premiums_change_total.abs()),
            c.premiums_change_pct,
            top.join(" and "),
            c.multiplier_volatility,
            base.multiplier_volatility,
        );
    }
    if let Some(s) = &r.solve {
        let what = if s.by == "class" {
            "multiple of the indicated rates (each class's rate held to its floating band)"
        } else {
            "uniform multiplier on the benchmark rates"
        };
        let sentence = match s.binding {
            "target" | "band" => format!(
                "The smallest {what} that keeps the chance of a breach by {last} at or under {:.1} % is **{:.3}** \
                 (achieved {:.1} % ± {:.1}); {:.3} does not (bisection to {}).{}",
                s.target * 100.0,
                s.multiplier,
                s.achieved * 100.0,
                s.achieved_se * 100.0,
                s.below.unwrap_or(f64::NAN),
                s.tolerance,
                if s.binding == "band" {
                    " Some classes are held at the edge of their floating band."
                } else {
                    ""
                }
            ),
            "floor" => format!(
                "Even the lowest {what} searched, {:.3}, keeps the chance of a breach at or under {:.1} % (achieved {:.1} %).",
                s.multiplier,
                s.target * 100.0,
                s.achieved * 100.0
            ),
            _ => format!(
                "No {what} up to {:.3} brings the chance of a breach under {:.1} %: there it is still {:.1} % ± {:.1}.",
                s.multiplier,
                s.target * 100.0,
                s.achieved * 100.0,
                s.achieved_se * 100.0
            ),
        };
        let _ = writeln!(md, "## Solver\n\n{sentence}\n");
        let _ = writeln!(
            md,
            "| class | multiplier on the benchmark | new benchmark |\n| --- | ---: | ---: |"
        );
        for ((class, m), ir) in r
            .classes
            .iter()
            .zip(&s.class_multipliers)
            .zip(&r.indicated_rates)
        {
            let _ = writeln!(
                md,
                "| {class} | {m:.3} | {:.3} % |",
                ir.benchmark * m * 100.0
            );
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "## Indicated rates (以支定收)\n");
    let _ = writeln!(
        md,
        "Expected cost of each class's cases and stocks over {first}–{last}, divided by its expected payroll (the break-even rate), \
         beside the benchmark and what employers of the class were collected in {first} (premiums over payroll, after floating \
         factors, schedule, policy and the collection rate). The provincial lines (prevention, other expenditure) add {:.3} % of \
         payroll for every class on top of the indicated rates.\n",
        r.provincial_loading * 100.0
    );
    let _ = writeln!(
        md,
        "| class | benchmark | collected in {first} | indicated |\n| --- | ---: | ---: | ---: |"
    );
    for i in &r.indicated_rates {
        let _ = writeln!(
            md,
            "| {} | {:.3} % | {:.3} % | {:.3} % |",
            i.class,
            i.benchmark * 100.0,
            i.collected * 100.0,
            i.indicated * 100.0
        );
    }
    md
}

/// Distinct, print-safe colours for the schedules' lines.
const LINE_COLORS: [RGBColor; 6] = [
    RGBColor(8, 69, 148),
    RGBColor(203, 24, 29),
    RGBColor(35, 139, 69),
    RGBColor(217, 95, 2),
    RGBColor(117, 107, 177),
    RGBColor(102, 102, 102),
];

fn chart(r: &RatesReport, path: &Path) -> Result<()> {
    let draw = |e: &dyn std::fmt::Debug| anyhow!("cannot draw rates.svg: {e:?}");
    let (first, last) = (r.years[0], r.years[r.years.len() - 1]);
    let top = r
        .candidates
        .iter()
        .flat_map(|c| c.breach_probability.iter())
        .fold(0.05f64, |a, b| a.max(*b))
        * 110.0;
    let root = SVGBackend::new(path, (960, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "{}: probability of a December below {} months, by schedule",
                r.scenario, r.reserve_rule_months
            ),
            ("sans-serif", 20),
        )
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(first as f64 - 0.3..last as f64 + 0.3, 0.0..top.min(100.0))
        .map_err(|e| draw(&e))?;
    chart
        .configure_mesh()
        .x_desc("year (December)")
        .y_desc(format!("% of {} paths", r.paths))
        .x_labels(r.years.len().min(12))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .light_line_style(WHITE)
        .draw()
        .map_err(|e| draw(&e))?;
    for (i, c) in r.candidates.iter().enumerate() {
        let color = LINE_COLORS[i % LINE_COLORS.len()];
        let points: Vec<(f64, f64)> = r
            .years
            .iter()
            .zip(&c.breach_probability)
            .map(|(y, p)| (*y as f64, p * 100.0))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(3)))
            .map_err(|e| draw(&e))?
            .label(c.name.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3))
            });
        chart
            .draw_series(points.iter().map(|p| Circle::new(*p, 4, color.filled())))
            .map_err(|e| draw(&e))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .draw()
        .map_err(|e| draw(&e))?;
    root.present().map_err(|e| draw(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Probabilities read as a committee would say them.
    #[test]
    fn chances_in_words() {
        assert_eq!(chance(0.25), "about 1 in 4");
        assert_eq!(chance(0.05), "about 1 in 20");
        assert_eq!(chance(0.0), "nil in these paths");
        assert_eq!(chance(0.0004), "under 1 in 1,000");
        assert_eq!(chance(0.62), "62 %");
    }
}
