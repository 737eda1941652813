//! The back-test's chart: one measure's fan from an origin (5–95 % and
//! 25–75 % bands, the median) with the observed values over it, the
//! origin's own value included, so that a reader sees where the history
//! left the fan.

use super::{
    Chart, RULE, SIZE, draw_error, draw_fan, fan_legend, legend, legend_room, mesh, render,
    value_axis, year_axes,
};
use crate::analysis::backtest::Fan;
use crate::report::labels::{self, Lang};
use anyhow::Result;
use plotters::prelude::*;

/// The chart of one fan; `scale` puts values in the chart's unit, named
/// `unit`.
pub(crate) fn observed_fan(
    fan: &Fan,
    subtitle: &str,
    unit: &str,
    scale: f64,
    lang: Lang,
) -> Result<Chart> {
    let name = labels::backtest_measure(lang, fan.measure).0;
    let origin = fan.origin;
    let title = match lang {
        Lang::Zh => format!("{name}：{origin}年起的预测与实际值"),
        Lang::En => format!("{name}: fan from {origin} and what was observed"),
    };
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
    let points: Vec<(i32, [f64; 5])> = fan.years.iter().map(|(y, q)| (*y, q.map(s))).collect();
    let drawn: Vec<(f64, f64)> = points
        .iter()
        .flat_map(|(x, q)| [(f64::from(*x), q[0]), (f64::from(*x), q[4])])
        .chain(fan.observed.iter().map(|(y, v)| (f64::from(*y), s(*v))))
        .collect();
    let x_axis = (f64::from(first) - 0.3, f64::from(last) + 0.3);
    // the fan's three entries and the observed values
    let rows = fan_legend(lang).len() + 1;
    let (corner, (lo, hi)) = legend_room(&drawn, x_axis, (lo, hi), rows);
    let svg = render(SIZE, &title, subtitle, |area| {
        let mut chart = year_axes(area, (first, last), (lo, hi))?;
        mesh(
            &mut chart,
            lang.pick("年份", "year"),
            unit,
            Some((last - first + 1) as usize),
        )?;
        draw_fan(&mut chart, &points, fan_legend(lang))?;
        chart
            .draw_series(
                fan.observed
                    .iter()
                    .map(|(y, v)| Circle::new((f64::from(*y), s(*v)), 6, RULE.filled())),
            )
            .map_err(draw_error)?
            .label(lang.pick("实际值", "observed"))
            .legend(|(x, y)| Circle::new((x + 9, y), 6, RULE.filled()));
        legend(&mut chart, corner)
    })?;
    Ok(Chart {
        name: format!("backtest_{}.svg", fan.measure.name()),
        caption: match lang {
            Lang::Zh => format!(
                "{name}：以截至{origin}年的历史数据校准后的预测（浅色带为5%–95%的路径，深色带为25%–75%，线为中位数）；红点为实际值。"
            ),
            Lang::En => format!(
                "{name}: the fan a calibration on the years up to {origin} gives (light band 5–95 % of paths, dark 25–75 %, line the median); red dots are the observed values."
            ),
        },
        svg,
    })
}
