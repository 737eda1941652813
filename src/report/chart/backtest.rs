//! The back-test's chart: one measure's fan from an origin (5–95 % and
//! 25–75 % bands, the median) with the observed values over it, the
//! origin's own value included, so that a reader sees where the history
//! left the fan.

use super::{Chart, FAMILY, RULE, SIZE, draw_error, draw_fan, mesh, render, value_axis, year_axes};
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
        let mut chart = year_axes(area, (first, last), (lo, hi))?;
        mesh(&mut chart, "year", unit, Some((last - first + 1) as usize))?;
        let points: Vec<(i32, [f64; 5])> = fan.years.iter().map(|(y, q)| (*y, q.map(s))).collect();
        draw_fan(
            &mut chart,
            &points,
            ["5–95 % of paths", "25–75 %", "median"],
        )?;
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
