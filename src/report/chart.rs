//! Charts, the only module that touches plotters; each is rendered to SVG
//! text and returned as a file. A projection's fan charts of the December
//! balance (with the 12-months-of-payments level) and of the reserve months
//! (lines at 12, 18 and 24 months) and its probability of breach by year
//! with ±2 standard-error bars; the rate schedules' probability of breach;
//! the stress test's mean burden by payer. Every chart's title says what it
//! shows and its subtitle what ran (paths, seed, overlay, unit). SVG text is
//! drawn by the viewer.

use super::output_dir::File;
use super::provenance::Provenance;
use super::units::Unit;
use crate::analysis::projection::Projection;
use crate::model::lines::Line;
use crate::stats::estimate::proportion_se;
use crate::stats::results::YearResult;
use anyhow::{Result, anyhow};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

const SIZE: (u32, u32) = (960, 580);
const BAND_90: RGBColor = RGBColor(198, 219, 239);
const BAND_50: RGBColor = RGBColor(107, 174, 214);
const MEDIAN: RGBColor = RGBColor(8, 69, 148);
const RULE: RGBColor = RGBColor(203, 24, 29);
const CAUTION: RGBColor = RGBColor(253, 141, 60);
const COMFORT: RGBColor = RGBColor(65, 171, 93);
/// Distinct, print-safe colours for series.
const SERIES: [RGBColor; 6] = [
    RGBColor(8, 69, 148),
    RGBColor(203, 24, 29),
    RGBColor(35, 139, 69),
    RGBColor(217, 95, 2),
    RGBColor(117, 107, 177),
    RGBColor(102, 102, 102),
];

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn draw_error<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("cannot draw a chart: {e:?}")
}

/// Renders a chart of `size` into SVG text: `draw` gets the area below a
/// title and a subtitle.
fn render(
    size: (u32, u32),
    title: &str,
    subtitle: &str,
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<()>,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let (head, body) = root.split_vertically(58);
        head.draw_text(
            title,
            &("sans-serif", 21).into_font().color(&BLACK),
            (16, 10),
        )
        .map_err(draw_error)?;
        head.draw_text(
            subtitle,
            &("sans-serif", 14).into_font().color(&RGBColor(90, 90, 90)),
            (16, 36),
        )
        .map_err(draw_error)?;
        draw(&body)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// The subtitle of a chart: what ran, and the unit.
fn subtitle(provenance: &Provenance, unit: &str) -> String {
    format!("{}; {unit}", provenance.describe(super::labels::Lang::En))
}

/// The legend box every chart draws.
fn legend<'a, 'b: 'a>(chart: &mut Chart<'a, 'b>, position: SeriesLabelPosition) -> Result<()> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .draw()
        .map_err(draw_error)
}

/// The charts of a Monte Carlo projection.
pub(crate) fn projection(p: &Projection, provenance: &Provenance, unit: Unit) -> Result<Vec<File>> {
    let rule = p.scenario.law.reserve_rule_months;
    let to_unit = |v: f64| unit.scale(v);
    let rule_level: Vec<(i32, f64)> = p
        .years
        .iter()
        .map(|y| {
            (
                y.year,
                to_unit(rule / 12.0 * y.mean(Line::ExpenditureTotal)),
            )
        })
        .collect();
    let balance = fan(
        &format!("{}: December balance (年末滚存结余)", p.scenario.name),
        &subtitle(provenance, unit.label()),
        unit.label(),
        &p.years,
        Line::ClosingBalance,
        to_unit,
        &[(format!("{rule} months of payments"), RULE, rule_level)],
    )?;
    let flat = |v: f64| p.years.iter().map(|y| (y.year, v)).collect::<Vec<_>>();
    let months = fan(
        &format!(
            "{}: months of reserve in December (累计结余可支付月数)",
            p.scenario.name
        ),
        &subtitle(provenance, "months"),
        "months",
        &p.years,
        Line::ReserveMonths,
        |v| v,
        &[
            (format!("{rule} months: the rule"), RULE, flat(rule)),
            ("18 months".into(), CAUTION, flat(18.0)),
            ("24 months".into(), COMFORT, flat(24.0)),
        ],
    )?;
    let breach = breach(p, provenance)?;
    Ok(vec![
        File::text("balance_fan.svg", balance),
        File::text("reserve_months_fan.svg", months),
        File::text("breach_probability.svg", breach),
    ])
}

type Levels<'a> = &'a [(String, RGBColor, Vec<(i32, f64)>)];

/// A fan chart of one line: 5–95 % and 25–75 % bands and the median.
fn fan(
    title: &str,
    subtitle: &str,
    unit: &str,
    years: &[YearResult],
    line: Line,
    scale: impl Fn(f64) -> f64,
    levels: Levels,
) -> Result<String> {
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
    render(SIZE, title, subtitle, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(84)
            .build_cartesian_2d(f64::from(first) - 0.3..f64::from(last) + 0.3, lo..hi)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_desc("year (December)")
            .y_desc(unit)
            .x_labels(years.len().min(12))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .light_line_style(WHITE)
            .draw()
            .map_err(draw_error)?;
        let band = |lower: usize, upper: usize| -> Vec<(f64, f64)> {
            let mut pts: Vec<(f64, f64)> = years
                .iter()
                .map(|y| (f64::from(y.year), q(y, upper)))
                .collect();
            pts.extend(years.iter().rev().map(|y| (f64::from(y.year), q(y, lower))));
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
                    .map(|y| (f64::from(y.year), q(y, 3)))
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
                    points.iter().map(|(x, v)| (f64::from(*x), *v)),
                    color.stroke_width(2),
                ))
                .map_err(draw_error)?
                .label(label.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                });
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// Probability of breach by year, with ±2 standard-error bars.
fn breach(p: &Projection, provenance: &Provenance) -> Result<String> {
    let n = p
        .paths
        .map_or(1, super::super::stats::paths::PathSet::paths);
    let years = &p.years;
    let (first, last) = (years[0].year, years[years.len() - 1].year);
    let points: Vec<(f64, f64, f64)> = years
        .iter()
        .map(|y| {
            let b = y.breach_probability;
            (
                f64::from(y.year),
                b * 100.0,
                2.0 * proportion_se(b, n) * 100.0,
            )
        })
        .collect();
    let top = points
        .iter()
        .map(|p| p.1 + p.2)
        .fold(5.0f64, f64::max)
        .min(100.0)
        * 1.1;
    let title = format!(
        "{}: probability that December reserves are below {} months (违反12个月规则的概率)",
        p.scenario.name, p.scenario.law.reserve_rule_months
    );
    render(SIZE, &title, &subtitle(provenance, "% of paths"), |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(f64::from(first) - 0.5..f64::from(last) + 0.5, 0.0..top)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_desc("year (December)")
            .y_desc(format!("% of {n} paths"))
            .x_labels(years.len().min(12))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .light_line_style(WHITE)
            .draw()
            .map_err(draw_error)?;
        chart
            .draw_series(
                points.iter().map(|(x, p, _)| {
                    Rectangle::new([(x - 0.3, 0.0), (x + 0.3, *p)], BAND_50.filled())
                }),
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
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// The rate schedules' probability of a December below the rule, by year,
/// one line per schedule.
pub(crate) fn rates(
    scenario: &str,
    provenance: &Provenance,
    rule: f64,
    years: &[i32],
    paths: u64,
    candidates: &[(&str, &[f64])],
) -> Result<String> {
    let (first, last) = (years[0], years[years.len() - 1]);
    let top = candidates
        .iter()
        .flat_map(|c| c.1.iter())
        .fold(0.05f64, |a, b| a.max(*b))
        * 110.0;
    let title = format!("{scenario}: probability of a December below {rule} months, by schedule");
    render(SIZE, &title, &subtitle(provenance, "% of paths"), |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(
                f64::from(first) - 0.3..f64::from(last) + 0.3,
                0.0..top.min(100.0),
            )
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_desc("year (December)")
            .y_desc(format!("% of {paths} paths"))
            .x_labels(years.len().min(12))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .light_line_style(WHITE)
            .draw()
            .map_err(draw_error)?;
        for (i, (name, probabilities)) in candidates.iter().enumerate() {
            let color = SERIES[i % SERIES.len()];
            let points: Vec<(f64, f64)> = years
                .iter()
                .zip(probabilities.iter())
                .map(|(y, p)| (f64::from(*y), p * 100.0))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(3)))
                .map_err(draw_error)?
                .label(*name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3))
                });
            chart
                .draw_series(points.iter().map(|p| Circle::new(*p, 4, color.filled())))
                .map_err(draw_error)?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// Mean burden by payer, one bar per scheme, under one stress.
pub(crate) fn burden(
    title: &str,
    provenance: &Provenance,
    unit: Unit,
    payers: &[String],
    schemes: &[(&str, Vec<f64>)],
) -> Result<String> {
    let values = || {
        schemes
            .iter()
            .flat_map(|s| s.1.iter().map(|v| unit.scale(*v)))
    };
    let top = values().fold(0.01f64, f64::max) * 1.15;
    // a burden net of money paid back can be negative: show it below 0
    let bottom = values().fold(0.0f64, f64::min) * 1.15;
    let n = payers.len().max(1);
    render(
        (1100, 580),
        title,
        &subtitle(provenance, unit.label()),
        |area| {
            let mut chart = ChartBuilder::on(area)
                .margin(16)
                .x_label_area_size(50)
                .y_label_area_size(72)
                .build_cartesian_2d(-0.5..n as f64 - 0.5, bottom..top)
                .map_err(draw_error)?;
            let labels = payers.to_vec();
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
                .y_desc(unit.label())
                .light_line_style(WHITE)
                .draw()
                .map_err(draw_error)?;
            let width = 0.8 / schemes.len().max(1) as f64;
            for (j, (scheme, burdens)) in schemes.iter().enumerate() {
                let color = SERIES[j % SERIES.len()];
                let offset = -0.4 + width * j as f64;
                chart
                    .draw_series(burdens.iter().enumerate().map(|(i, b)| {
                        let left = i as f64 + offset;
                        Rectangle::new(
                            [(left, 0.0), (left + width * 0.9, unit.scale(*b))],
                            color.filled(),
                        )
                    }))
                    .map_err(draw_error)?
                    .label(*scheme)
                    .legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 18, y + 5)], color.filled())
                    });
            }
            legend(&mut chart, SeriesLabelPosition::UpperRight)
        },
    )
}
