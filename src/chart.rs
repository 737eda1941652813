//! Charts, the only module that touches plotters: SVG fan charts of the
//! December balance (亿元, with the 12-months-of-payments level) and of the
//! reserve months (with lines at 12, 18 and 24 months), and the probability
//! of breach by year with ±2 standard-error bars. SVG text is drawn by the
//! viewer, so Chinese labels need no embedded font.

use crate::lines::Line;
use crate::report::Run;
use crate::stats::YearResult;
use crate::stats::paths::proportion_se;
use anyhow::{Result, anyhow};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use std::path::Path;

const SIZE: (u32, u32) = (960, 560);
const BAND_90: RGBColor = RGBColor(198, 219, 239);
const BAND_50: RGBColor = RGBColor(107, 174, 214);
const MEDIAN: RGBColor = RGBColor(8, 69, 148);
const RULE: RGBColor = RGBColor(203, 24, 29);
const CAUTION: RGBColor = RGBColor(253, 141, 60);
const COMFORT: RGBColor = RGBColor(65, 171, 93);

/// Writes every chart of a Monte Carlo run into `dir`.
pub fn write_all(run: &Run, dir: &Path) -> Result<()> {
    let rule = run.scenario.law.reserve_rule_months;
    let to_yi = |v: f64| v / 1e8;
    let rule_level: Vec<(i32, f64)> = run
        .years
        .iter()
        .map(|y| (y.year, to_yi(rule / 12.0 * y.mean(Line::ExpenditureTotal))))
        .collect();
    fan(
        &dir.join("balance_fan.svg"),
        &format!("{}: December balance (年末滚存结余)", run.meta.scenario),
        "亿元",
        &run.years,
        Line::ClosingBalance,
        to_yi,
        &[(format!("{rule} months of payments"), RULE, rule_level)],
    )?;
    let flat = |v: f64| run.years.iter().map(|y| (y.year, v)).collect::<Vec<_>>();
    fan(
        &dir.join("reserve_months_fan.svg"),
        &format!(
            "{}: months of reserve in December (累计结余可支付月数)",
            run.meta.scenario
        ),
        "months",
        &run.years,
        Line::ReserveMonths,
        |v| v,
        &[
            (format!("{rule} months: the rule"), RULE, flat(rule)),
            ("18 months".into(), CAUTION, flat(18.0)),
            ("24 months".into(), COMFORT, flat(24.0)),
        ],
    )?;
    breach(&dir.join("breach_probability.svg"), run)
}

type Levels<'a> = &'a [(String, RGBColor, Vec<(i32, f64)>)];

/// A fan chart of one line: 5–95 % and 25–75 % bands and the median.
fn fan(
    path: &Path,
    title: &str,
    unit: &str,
    years: &[YearResult],
    line: Line,
    scale: impl Fn(f64) -> f64,
    levels: Levels,
) -> Result<()> {
    let q = |y: &YearResult, i: usize| scale(y.lines[line.index()].quantiles[i]);
    let (first, last) = (years[0].year, years[years.len() - 1].year);
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for y in years {
        for v in [q(y, 0), q(y, 6)]
            .into_iter()
            .chain(levels.iter().flat_map(|l| l.2.iter().map(|p| p.1)))
        {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(1e-9);
    let (lo, hi) = (
        if lo >= 0.0 {
            (lo - pad).max(0.0)
        } else {
            lo - pad
        },
        hi + pad,
    );
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(draw_error)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d(first as f64 - 0.3..last as f64 + 0.3, lo..hi)
        .map_err(draw_error)?;
    chart
        .configure_mesh()
        .x_desc("year (December)")
        .y_desc(unit)
        .x_labels(years.len().min(12))
        .x_label_formatter(&|x| format!("{:.0}", x))
        .light_line_style(WHITE)
        .draw()
        .map_err(draw_error)?;
    let band = |lower: usize, upper: usize| -> Vec<(f64, f64)> {
        let mut pts: Vec<(f64, f64)> = years.iter().map(|y| (y.year as f64, q(y, upper))).collect();
        pts.extend(years.iter().rev().map(|y| (y.year as f64, q(y, lower))));
        pts.retain(|p| p.1.is_finite());
        pts
    };
    chart
        .draw_series(std::iter::once(Polygon::new(band(0, 6), BAND_90.filled())))
        .map_err(draw_error)?
        .label("5–95 % of paths")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BAND_90.filled()));
    chart
        .draw_series(std::iter::once(Polygon::new(band(2, 4), BAND_50.filled())))
        .map_err(draw_error)?
        .label("25–75 %")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BAND_50.filled()));
    chart
        .draw_series(LineSeries::new(
            years
                .iter()
                .map(|y| (y.year as f64, q(y, 3)))
                .filter(|p| p.1.is_finite()),
            MEDIAN.stroke_width(3),
        ))
        .map_err(draw_error)?
        .label("median")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], MEDIAN.stroke_width(3)));
    for (label, color, points) in levels {
        let color = *color;
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|(x, v)| (*x as f64, *v)),
                color.stroke_width(2),
            ))
            .map_err(draw_error)?
            .label(label.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
            });
    }
    legend(&mut chart)?;
    root.present().map_err(draw_error)?;
    Ok(())
}

/// Probability of breach by year, with ±2 standard-error bars.
fn breach(path: &Path, run: &Run) -> Result<()> {
    let n = run.monte_carlo.as_ref().map_or(1, |m| m.paths.paths);
    let years = &run.years;
    let (first, last) = (years[0].year, years[years.len() - 1].year);
    let points: Vec<(f64, f64, f64)> = years
        .iter()
        .map(|y| {
            let p = y.breach_probability;
            (y.year as f64, p * 100.0, 2.0 * proportion_se(p, n) * 100.0)
        })
        .collect();
    let top = points
        .iter()
        .map(|p| p.1 + p.2)
        .fold(5.0f64, f64::max)
        .min(100.0)
        * 1.1;
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(draw_error)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "{}: probability that December reserves are below {} months (违反12个月规则的概率)",
                run.meta.scenario, run.scenario.law.reserve_rule_months
            ),
            ("sans-serif", 20),
        )
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(first as f64 - 0.5..last as f64 + 0.5, 0.0..top)
        .map_err(draw_error)?;
    chart
        .configure_mesh()
        .x_desc("year (December)")
        .y_desc(format!("% of {n} paths"))
        .x_labels(years.len().min(12))
        .x_label_formatter(&|x| format!("{:.0}", x))
        .light_line_style(WHITE)
        .draw()
        .map_err(draw_error)?;
    chart
        .draw_series(
            points
                .iter()
                .map(|(x, p, _)| Rectangle::new([(x - 0.3, 0.0), (x + 0.3, *p)], BAND_50.filled())),
        )
        .map_err(draw_error)?
        .label("breach probability")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BAND_50.filled()));
    chart
        .draw_series(points.iter().map(|(x, p, e)| {
            ErrorBar::new_vertical(
                *x,
                (p - e).max(0.0),
                *p,
                (p + e).min(100.0),
                MEDIAN.stroke_width(2),
                10,
            )
        }))
        .map_err(draw_error)?
        .label("±2 standard errors")
        .legend(|(x, y)| {
            PathElement::new(vec![(x + 9, y - 6), (x + 9, y + 6)], MEDIAN.stroke_width(2))
        });
    legend(&mut chart)?;
    root.present().map_err(draw_error)?;
    Ok(())
}

/// The legend box every chart draws, in its upper left corner.
fn legend<'a, 'b>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
) -> Result<()>
where
    'b: 'a,
{
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .draw()
        .map_err(draw_error)
}

fn draw_error<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("cannot draw a chart: {e:?}")
}
