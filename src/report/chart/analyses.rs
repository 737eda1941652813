//! The charts of the analyses beside the projection: a probability per
//! candidate with ±2 standard-error bars (the rate schedules), and the
//! tornado of one-at-a-time sensitivities (a bar down and a bar up per
//! input, widest at the top, each with its paired ±2 standard errors), and
//! the reverse stress test's probability of breach at each scale it tried.

use super::{FAMILY, MEDIAN, RULE, SERIES, draw_error, legend, note, render};
use anyhow::Result;
use plotters::prelude::*;

/// One bar of [`probabilities`]: a label, a probability and its standard error.
pub(crate) struct Bar<'a> {
    /// What the bar is (a schedule's name).
    pub(crate) label: &'a str,
    /// Probability in [0, 1].
    pub(crate) p: f64,
    /// Its standard error.
    pub(crate) se: f64,
}

/// A probability per category, as a per cent with ±2 standard-error bars.
pub(crate) fn probabilities(
    title: &str,
    subtitle: &str,
    y_desc: &str,
    se_label: &str,
    bars: &[Bar],
) -> Result<String> {
    let n = bars.len().max(1);
    let top = bars
        .iter()
        .map(|b| (b.p + 2.0 * b.se) * 100.0)
        .fold(5.0f64, f64::max)
        .min(100.0)
        * 1.15;
    let labels: Vec<String> = bars.iter().map(|b| b.label.to_string()).collect();
    render((960, 520), title, subtitle, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.5..n as f64 - 0.5, 0.0..top)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_labels(n)
            .x_label_formatter(&|x| category(&labels, *x))
            .y_desc(y_desc)
            .label_style((FAMILY, 17))
            .axis_desc_style((FAMILY, 18))
            .y_label_formatter(&super::axis_number)
            .light_line_style(WHITE)
            .draw()
            .map_err(draw_error)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                let x = i as f64;
                Rectangle::new(
                    [(x - 0.3, 0.0), (x + 0.3, b.p * 100.0)],
                    SERIES[i % SERIES.len()].mix(0.75).filled(),
                )
            }))
            .map_err(draw_error)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                let (p, e) = (b.p * 100.0, 2.0 * b.se * 100.0);
                ErrorBar::new_vertical(
                    i as f64,
                    (p - e).max(0.0),
                    p,
                    (p + e).min(100.0),
                    BLACK.stroke_width(2),
                    14,
                )
            }))
            .map_err(draw_error)?
            .label(se_label)
            .legend(|(x, y)| {
                PathElement::new(vec![(x + 9, y - 6), (x + 9, y + 6)], BLACK.stroke_width(2))
            });
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

/// The label of the category at `x`, blank between categories.
fn category(labels: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() < 1e-6 && i >= 0.0 {
        labels.get(i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// One input of a tornado: its label and the effect of moving it down and
/// up, each with its paired standard error, in the chart's unit.
pub(crate) struct Swing<'a> {
    /// The input moved.
    pub(crate) label: &'a str,
    /// Effect of the move down.
    pub(crate) down: f64,
    /// Its standard error.
    pub(crate) down_se: f64,
    /// Effect of the move up.
    pub(crate) up: f64,
    /// Its standard error.
    pub(crate) up_se: f64,
}

/// The tornado: one row per input in the order given (the caller sorts
/// them widest first, drawn at the top), the move down and the move up as
/// bars from 0, each with ±2 standard errors.
pub(crate) fn tornado(
    title: &str,
    subtitle: &str,
    x_desc: &str,
    names: (&str, &str),
    swings: &[Swing],
) -> Result<String> {
    let n = swings.len().max(1);
    let reach = swings
        .iter()
        .flat_map(|s| [s.down.abs() + 2.0 * s.down_se, s.up.abs() + 2.0 * s.up_se])
        .fold(0.0f64, f64::max);
    let reach = if reach > 0.0 { reach * 1.15 } else { 1.0 };
    // row i is drawn at n-1-i, so the first (widest) is at the top
    let labels: Vec<String> = swings.iter().rev().map(|s| s.label.to_string()).collect();
    let height = 160 + 44 * n as u32;
    render((1000, height), title, subtitle, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(250)
            .build_cartesian_2d(-reach..reach, -0.5..n as f64 - 0.5)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| category(&labels, *y))
            .x_desc(x_desc)
            .label_style((FAMILY, 17))
            .axis_desc_style((FAMILY, 18))
            .x_label_formatter(&super::axis_number)
            .light_line_style(WHITE)
            .draw()
            .map_err(draw_error)?;
        let row = |i: usize| (n - 1 - i) as f64;
        for (k, (name, color)) in [(names.0, SERIES[4]), (names.1, MEDIAN)]
            .into_iter()
            .enumerate()
        {
            let offset = if k == 0 { 0.02 } else { -0.36 };
            let value = |s: &Swing| if k == 0 { s.down } else { s.up };
            chart
                .draw_series(swings.iter().enumerate().map(|(i, s)| {
                    let y = row(i) + offset;
                    Rectangle::new([(0.0, y), (value(s), y + 0.34)], color.filled())
                }))
                .map_err(draw_error)?
                .label(name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 18, y + 5)], color.filled())
                });
            chart
                .draw_series(swings.iter().enumerate().map(|(i, s)| {
                    let (v, e) = if k == 0 {
                        (s.down, 2.0 * s.down_se)
                    } else {
                        (s.up, 2.0 * s.up_se)
                    };
                    ErrorBar::new_horizontal(
                        row(i) + offset + 0.17,
                        v - e,
                        v,
                        v + e,
                        BLACK.stroke_width(1),
                        8,
                    )
                }))
                .map_err(draw_error)?;
        }
        chart
            .draw_series(LineSeries::new(
                [(0.0, -0.5), (0.0, n as f64 - 0.5)],
                RULE.stroke_width(2),
            ))
            .map_err(draw_error)?;
        legend(&mut chart, SeriesLabelPosition::LowerRight)
    })
}

/// The words and marks of [`breach_by_scale`].
pub(crate) struct ScaleCurve<'a> {
    /// The x axis (the overlay's scale).
    pub(crate) x_desc: &'a str,
    /// The y axis (the probability, in per cent).
    pub(crate) y_desc: &'a str,
    /// The legend of the tried scales.
    pub(crate) tried: &'a str,
    /// The legend of the target's line.
    pub(crate) target_label: &'a str,
    /// The legend of the expected-value scale's line.
    pub(crate) expected_label: &'a str,
    /// Each scale tried, its probability and standard error, ascending.
    pub(crate) points: &'a [(f64, f64, f64)],
    /// The probability looked for.
    pub(crate) target: f64,
    /// The scale at which the expected-value path first breaches, if any.
    pub(crate) expected_value_scale: Option<f64>,
    /// What the plot says over the points, if anything (a search that
    /// ended at scale 0 draws one point on the axis).
    pub(crate) note: Option<&'a str>,
}

/// Where the reverse chart's note stands, in per cent of the value axis:
/// high in the plot, clear of the legend in the lower right, and at least
/// 15 points from the target's line (a target of 80 % would strike it
/// through).
fn note_height(target_pct: f64) -> f64 {
    if (target_pct - 80.0).abs() < 15.0 {
        target_pct - 30.0
    } else {
        80.0
    }
}

/// The probability of breach at each scale the reverse stress test tried,
/// as a per cent joined by a line, with ±2 standard-error bars, the target
/// as a horizontal line and the expected-value scale as a vertical one.
pub(crate) fn breach_by_scale(title: &str, subtitle: &str, c: &ScaleCurve) -> Result<String> {
    let right = c
        .points
        .iter()
        .map(|p| p.0)
        .chain(c.expected_value_scale)
        .fold(1.0f64, f64::max);
    render((960, 560), title, subtitle, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..right * 1.02, 0.0..105.0)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_desc(c.x_desc)
            .y_desc(c.y_desc)
            .label_style((FAMILY, 17))
            .axis_desc_style((FAMILY, 18))
            .x_label_formatter(&super::axis_number)
            .y_label_formatter(&super::axis_number)
            .light_line_style(WHITE)
            .draw()
            .map_err(draw_error)?;
        let pct = |p: f64| p * 100.0;
        chart
            .draw_series(LineSeries::new(
                [(0.0, pct(c.target)), (right * 1.02, pct(c.target))],
                RULE.stroke_width(2),
            ))
            .map_err(draw_error)?
            .label(c.target_label)
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], RULE.stroke_width(2)));
        if let Some(ev) = c.expected_value_scale {
            chart
                .draw_series(LineSeries::new(
                    [(ev, 0.0), (ev, 105.0)],
                    SERIES[3].stroke_width(2),
                ))
                .map_err(draw_error)?
                .label(c.expected_label)
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], SERIES[3].stroke_width(2))
                });
        }
        chart
            .draw_series(LineSeries::new(
                c.points.iter().map(|p| (p.0, pct(p.1))),
                MEDIAN.stroke_width(2),
            ))
            .map_err(draw_error)?;
        chart
            .draw_series(c.points.iter().map(|p| {
                let e = 2.0 * pct(p.2);
                ErrorBar::new_vertical(
                    p.0,
                    (pct(p.1) - e).max(0.0),
                    pct(p.1),
                    (pct(p.1) + e).min(100.0),
                    MEDIAN.stroke_width(1),
                    8,
                )
            }))
            .map_err(draw_error)?;
        chart
            .draw_series(
                c.points
                    .iter()
                    .map(|p| Circle::new((p.0, pct(p.1)), 5, MEDIAN.filled())),
            )
            .map_err(draw_error)?
            .label(c.tried)
            .legend(|(x, y)| Circle::new((x + 9, y), 5, MEDIAN.filled()));
        if let Some(text) = c.note {
            note(&chart, text, (right * 0.51, note_height(pct(c.target))))?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)
    })
}

#[cfg(test)]
mod tests {
    use super::note_height;

    /// The note stays 15 points or more from any target's line, inside
    /// the plot (0–105) and above its lower third, where the legend is.
    #[test]
    fn the_reverse_note_keeps_clear_of_the_target() {
        for t in 0..=100 {
            let t = f64::from(t);
            let y = note_height(t);
            assert!((y - t).abs() >= 15.0, "target {t}: note at {y}");
            assert!((35.0..=100.0).contains(&y), "target {t}: note at {y}");
        }
    }
}
