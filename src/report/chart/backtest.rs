//! The back-test's chart: one measure's fan from an origin (5–95 % and
//! 25–75 % bands, the median) with the observed values over it, the
//! origin's own value included, so that a reader sees where the history
//! left the fan.

use super::{
    BAND_50, BAND_90, Chart, FAMILY, MEDIAN, RULE, SIZE, draw_error, mesh, render, value_axis,
};
use crate::analysis::backtest::Fan;
use anyhow::Result;
use plotters::prelude::*;

/// The chart of one fan; `scale` puts values in the chart's unit, named
/// `unit`.
pub(crate) fn observed_fan(fan: &Fan, subtitle: &str, unit: &str, scale: f64) -> Result<Chart> {
    let name = fan.measure.name();
    let title = format!("{name}: fan from {} and what was observed", fan.origin);
    let s = |v: f64| v / scale;
    let (lo, hi) = value_axis(
        fan.years
            .iter()
            .flat_map(|(_, q)| [q[0], q[4]])
            .chain(fan.observed.iter().map(|o| o.1))
            .map(s),
    );
    let first = fan.origin;
    let last = fan.years.last().map_or(first + 1, |y| y.0);
    let svg = render(SIZE, &title, subtitle, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(110)
            .build_cartesian_2d(f64::from(first) - 0.3..f64::from(last) + 0.3, lo..hi)
            .map_err(draw_error)?;
        mesh(&mut chart, "year", unit, Some((last - first + 1) as usize))?;
        let band = |a: usize, b: usize| -> Vec<(f64, f64)> {
            let mut pts: Vec<(f64, f64)> = fan
                .years
                .iter()
                .map(|(y, q)| (f64::from(*y), s(q[b])))
                .collect();
            pts.extend(
                fan.years
                    .iter()
                    .rev()
                    .map(|(y, q)| (f64::from(*y), s(q[a]))),
            );
            pts
        };
        chart
            .draw_series(std::iter::once(Polygon::new(band(0, 4), BAND_90.filled())))
            .map_err(draw_error)?
            .label("5–95 % of paths")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BAND_90.filled()));
        chart
            .draw_series(std::iter::once(Polygon::new(band(1, 3), BAND_50.filled())))
            .map_err(draw_error)?
            .label("25–75 %")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BAND_50.filled()));
        chart
            .draw_series(LineSeries::new(
                fan.years.iter().map(|(y, q)| (f64::from(*y), s(q[2]))),
                MEDIAN.stroke_width(3),
            ))
            .map_err(draw_error)?
            .label("median")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], MEDIAN.stroke_width(3)));
        chart
            .draw_series(
                fan.observed
                    .iter()
                    .map(|(y, v)| Circle::new((f64::from(*y), s(*v)), 6, RULE.filled())),
            )
            .map_err(draw_error)?
            .label("observed")
            .legend(|(x, y)| Circle::new((x + 9, y), 6, RULE.filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .label_font((FAMILY, 17))
            .draw()
            .map_err(draw_error)?;
        Ok(())
    })?;
    Ok(Chart {
        name: format!("backtest_{name}.svg"),
        caption: format!(
            "{name}: the fan a calibration on the years up to {} gives (light band 5–95 % of paths, dark 25–75 %, line the median); red dots are the observed values.",
            fan.origin
        ),
        svg,
    })
}
