//! Charts, the only module that touches plotters; each is rendered to SVG
//! text and returned as a file. A projection's fan charts of the December
//! balance (with the 12-months-of-payments level) and of the reserve months
//! (lines at 12, 18 and 24 months) and its probability of breach by year
//! with ±2 standard-error bars; the rate schedules' probability of breach;
//! the stress test's mean burden by payer. Every chart's title says what it
//! shows and its subtitle what ran (paths, seed, overlay, unit), in the
//! report's language. Text names the embedded font ([`super::font`]): a
//! chart written as its own file carries the font cut to its characters,
//! a chart inside `report.html` uses the page's.

pub(crate) mod analyses;
pub(crate) mod backtest;

use super::font;
use super::html::Block;
use super::labels::Lang;
use super::output_dir::File;
use super::provenance::Provenance;
use super::units::Unit;
use crate::analysis::projection::Projection;
use crate::model::breakdown::Part;
use crate::model::lines::Line;
use crate::stats::estimate::proportion_se;
use crate::stats::results::YearResult;
use anyhow::{Result, anyhow};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

type Chart2d<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The font family of chart text.
const FAMILY: &str = "FundsimSans, sans-serif";

fn draw_error<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("cannot draw a chart: {e:?}")
}

/// A chart: the file it is written as, what it shows, and its SVG.
#[derive(Debug, Clone)]
pub(crate) struct Chart {
    /// File name (`balance_fan.svg`).
    pub(crate) name: String,
    /// A sentence saying what it shows, for a caption.
    pub(crate) caption: String,
    /// The SVG document, without the font.
    pub(crate) svg: String,
}

impl Chart {
    /// The chart as its own file: the SVG with the embedded font cut to its
    /// characters, so that it shows no boxes on any machine.
    pub(crate) fn file(&self) -> Result<File> {
        Ok(File::text(&self.name, standalone(&self.svg)?))
    }

    /// The chart as a figure of a report, its anchor from its file name
    /// (`balance-fan`).
    pub(crate) fn figure(&self) -> Block {
        Block::Figure {
            id: self.name.trim_end_matches(".svg").replace('_', "-"),
            svg: self.svg.clone(),
            caption: self.caption.clone(),
        }
    }
}

/// An SVG document with a `<style>` defining the embedded font for its text.
pub(crate) fn standalone(svg: &str) -> Result<String> {
    let (face, _) = font::face_rule(svg)?;
    let Some(start) = svg.find("<svg") else {
        return Ok(svg.to_string());
    };
    let Some(end) = svg[start..].find('>') else {
        return Ok(svg.to_string());
    };
    let at = start + end + 1;
    Ok(format!(
        "{}\n<defs><style>{face}</style></defs>{}",
        &svg[..at],
        &svg[at..]
    ))
}

/// The left and right margin of a chart's title and subtitle, in pixels.
const MARGIN: i32 = 16;
/// A title's font size, and the smallest it is set at to fit: the
/// subtitle's, so that a title is never the smaller.
const TITLE_SIZE: (f64, f64) = (26.0, 17.0);
/// A subtitle's font size, and the smallest it is set at to fit.
const SUBTITLE_SIZE: (f64, f64) = (17.0, 13.0);
/// plotters' SVG backend writes a font size `s` as `font-size = s / 1.24`:
/// the pixels a size's em takes on the page.
const SVG_EM: f64 = 1.0 / 1.24;
/// What separates the fund's title from what a chart shows, in a chart's
/// title (`江西省：…`, `Jiangxi: …`).
const TITLE_SEPARATORS: [&str; 2] = ["：", ": "];

/// A line of head text set to fit `room` pixels, with its font size: at
/// `size.0` when it fits, else at the size that fits down to `size.1`,
/// and shortened with `…` where even that is too wide. A `title` is
/// shortened in the fund's name before its last separator
/// ([`TITLE_SEPARATORS`]), so that what the chart shows stays whole; other
/// text in its middle, so that its end (a subtitle's paths, seed and
/// unit) stays.
fn fit(text: &str, size: (f64, f64), room: f64, title: bool) -> Result<(String, f64)> {
    let (largest, smallest) = size;
    let ellipsis = '…';
    // each character's width at one pixel of font size, the ellipsis last
    let mut widths: Vec<f64> = font::advances(&format!("{text}{ellipsis}"))?
        .iter()
        .map(|w| w * SVG_EM)
        .collect();
    let ellipsis_width = widths.pop().unwrap_or(1.0) * smallest;
    let whole: f64 = widths.iter().sum();
    if whole * largest <= room {
        return Ok((text.to_string(), largest));
    }
    if whole * smallest <= room {
        return Ok((text.to_string(), room / whole));
    }
    let chars: Vec<char> = text.chars().collect();
    for w in &mut widths {
        *w *= smallest;
    }
    let room = room - ellipsis_width;
    // where the text gives way: a title in the fund's name, before the
    // last separator (what a chart shows has none; a fund's name may), if
    // what follows fits; other text in the middle, its end (the run's
    // paths, seed and unit) kept up to half the room
    let separator = TITLE_SEPARATORS
        .iter()
        .filter(|_| title)
        .filter_map(|sep| text.rfind(sep))
        .max()
        .map(|at| text[..at].chars().count());
    let tail_width = |from: usize| widths[from..].iter().sum::<f64>();
    let tail_from = match separator {
        Some(at) if tail_width(at) <= room => at,
        Some(_) => chars.len(),
        None if title => chars.len(),
        None => {
            let mut from = chars.len();
            while from > 0 && tail_width(from - 1) <= room / 2.0 {
                from -= 1;
            }
            from
        }
    };
    let mut used = tail_width(tail_from);
    let mut kept = 0;
    while kept < tail_from && used + widths[kept] <= room {
        used += widths[kept];
        kept += 1;
    }
    let start: String = chars[..kept].iter().collect();
    let end: String = chars[tail_from..].iter().collect();
    Ok((
        format!("{}{ellipsis}{}", start.trim_end(), end.trim_start()),
        smallest,
    ))
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
        let (head, body) = root.split_vertically(70);
        let room = f64::from(size.0) - 2.0 * f64::from(MARGIN);
        let (title, title_size) = fit(title, TITLE_SIZE, room, true)?;
        head.draw_text(
            &title,
            &(FAMILY, title_size).into_font().color(&BLACK),
            (MARGIN, 10),
        )
        .map_err(draw_error)?;
        let (subtitle, subtitle_size) = fit(subtitle, SUBTITLE_SIZE, room, false)?;
        head.draw_text(
            &subtitle,
            &(FAMILY, subtitle_size)
                .into_font()
                .color(&RGBColor(90, 90, 90)),
            (MARGIN, 42),
        )
        .map_err(draw_error)?;
        draw(&body)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// The value axis of a fan: the finite values' range padded by 8 % (not
/// below 0 when every value is positive), `[0, 1]` when there are none.
fn value_axis(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(1e-9);
    let lo = if lo >= 0.0 {
        (lo - pad).max(0.0)
    } else {
        lo - pad
    };
    (lo, hi + pad)
}

/// The subtitle of a chart: what ran, and the unit.
pub(crate) fn subtitle(provenance: &Provenance, unit: &str, lang: Lang) -> String {
    format!("{}; {unit}", provenance.describe(lang))
}

/// A sentence in grey centred on `at` in the plot: what a chart says when
/// its marks alone would say nothing.
fn note(chart: &Chart2d, text: &str, at: (f64, f64)) -> Result<()> {
    let grey = BLACK.mix(0.7);
    let style = TextStyle::from((FAMILY, 21).into_font())
        .color(&grey)
        .pos(Pos::new(HPos::Center, VPos::Center));
    chart
        .plotting_area()
        .draw(&Text::new(text.to_string(), at, style))
        .map_err(draw_error)
}

/// The legend box every chart draws.
fn legend<'a, 'b: 'a>(chart: &mut Chart2d<'a, 'b>, position: SeriesLabelPosition) -> Result<()> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font((FAMILY, 17))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .draw()
        .map_err(draw_error)
}

/// A value axis label: thousands separated, with three significant
/// digits where the values are small (a tick at 0.002 reads `0.002`, not
/// `0.0`), trailing zeros dropped.
#[allow(clippy::trivially_copy_pass_by_ref)] // plotters passes `&f64`
fn axis_number(v: &f64) -> String {
    if *v == 0.0 || !v.is_finite() {
        return super::format::grouped(*v, 0);
    }
    let decimals = (2.0 - v.abs().log10().floor()).clamp(0.0, 6.0) as usize;
    let text = super::format::grouped(*v, decimals);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// The axes every chart draws: labels and descriptions in [`FAMILY`],
/// years as whole numbers when `years` is given.
fn mesh<'a, 'b: 'a>(
    chart: &mut Chart2d<'a, 'b>,
    x_desc: &str,
    y_desc: &str,
    years: Option<usize>,
) -> Result<()> {
    let mut m = chart.configure_mesh();
    m.x_desc(x_desc)
        .y_desc(y_desc)
        .label_style((FAMILY, 17))
        .axis_desc_style((FAMILY, 18))
        .y_label_formatter(&axis_number)
        .light_line_style(WHITE);
    if let Some(n) = years {
        m.x_labels(n.min(12))
            .x_label_formatter(&|x| format!("{x:.0}"));
    }
    m.draw().map_err(draw_error)
}

/// The words of the projection's charts.
struct Words {
    lang: Lang,
}

impl Words {
    fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// A chart's title: the fund's, then what the chart shows, after a
    /// full-width colon in Chinese (`江西省：年末滚存结余`), `: ` in English.
    fn title(&self, fund: &str, zh: &str, en: &str) -> String {
        match self.lang {
            Lang::Zh => format!("{fund}：{zh}"),
            Lang::En => format!("{fund}: {en}"),
        }
    }
}

/// The charts of a Monte Carlo projection, in a language: the fans of the
/// December balance and of the reserve months, the probability of breach
/// by year (and of a first breach by then), income against expenditure,
/// and each city's net contribution.
pub(crate) fn projection(
    p: &Projection,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> Result<Vec<Chart>> {
    let w = Words { lang };
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
    let name = &p.scenario.title;
    let balance_title = w.title(name, "年末滚存结余", "December balance (年末滚存结余)");
    let balance = fan(
        &w,
        &balance_title,
        &subtitle(provenance, unit.label(), lang),
        unit.label(),
        &p.years,
        Line::ClosingBalance,
        to_unit,
        &[(
            match lang {
                Lang::Zh => format!("{rule}个月平均支付水平"),
                Lang::En => format!("{rule} months of payments"),
            },
            RULE,
            rule_level,
        )],
    )?;
    let flat = |v: f64| p.years.iter().map(|y| (y.year, v)).collect::<Vec<_>>();
    let months_unit = w.t("个月", "months");
    let months_title = w.title(
        name,
        "年末累计结余可支付月数",
        "months of reserve in December (累计结余可支付月数)",
    );
    let months = fan(
        &w,
        &months_title,
        &subtitle(provenance, months_unit, lang),
        months_unit,
        &p.years,
        Line::ReserveMonths,
        |v| v,
        &[
            (
                match lang {
                    Lang::Zh => format!("{rule}个月：警戒线"),
                    Lang::En => format!("{rule} months: the rule"),
                },
                RULE,
                flat(rule),
            ),
            (w.t("18个月", "18 months").into(), CAUTION, flat(18.0)),
            (w.t("24个月", "24 months").into(), COMFORT, flat(24.0)),
        ],
    )?;
    let (last, net) = (p.years.len(), city_net(p));
    Ok(vec![
        Chart {
            name: "balance_fan.svg".into(),
            caption: match lang {
                Lang::Zh => format!(
                    "年末滚存结余的分布：深色带为25%–75%的路径，浅色带为5%–95%，线为中位数；红线为{rule}个月平均支付水平。"
                ),
                Lang::En => format!(
                    "The December balance: the dark band holds 25–75 % of the paths, the light band 5–95 %, the line is the median; red is {rule} months of payments."
                ),
            },
            svg: balance,
        },
        Chart {
            name: "reserve_months_fan.svg".into(),
            caption: w
                .t(
                    "年末累计结余可支付月数的分布，及12、18、24个月三条参考线。",
                    "Months of reserve in December, with the 12-, 18- and 24-month lines.",
                )
                .to_string(),
            svg: months,
        },
        Chart {
            name: "breach_probability.svg".into(),
            caption: w
                .t(
                    "柱：当年12月低于警戒线的概率；线：到当年为止至少一次低于的概率；误差线为±2个标准误。",
                    "Bars: the chance of a December below the rule in that year; line: of at least one by then; error bars are ±2 standard errors.",
                )
                .to_string(),
            svg: breach(p, provenance, &w)?,
        },
        Chart {
            name: "income_expenditure.svg".into(),
            caption: w
                .t(
                    "各年收入合计与支出合计（各路径均值）。",
                    "Total income and total expenditure by year (means across paths).",
                )
                .to_string(),
            svg: income_expenditure(p, provenance, unit, &w)?,
        },
        Chart {
            name: "city_net.svg".into(),
            caption: match lang {
                Lang::Zh => format!(
                    "各地区{last}年累计净贡献：保险费收入减本地区支出（各路径均值）；负值为净受益地区。"
                ),
                Lang::En => format!(
                    "Each city's net contribution over the {last} years: its premiums less its own expenditure (means across paths); a negative bar is a city the pool supports."
                ),
            },
            svg: bars(
                &w.title(name, "各地区累计净贡献", "net contribution by city (各地区净贡献)"),
                &subtitle(provenance, unit.label(), lang),
                unit,
                &p.scenario.cities.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
                &[(w.t("保险费收入减支出", "premiums less expenditure"), net)],
                w.t("各地区净贡献均为零", "every city's net contribution is 0"),
            )?,
        },
    ])
}

/// Each city's premiums less its expenditure, summed over the years (yuan).
fn city_net(p: &Projection) -> Vec<f64> {
    let mut net = vec![0.0; p.scenario.cities.len()];
    for y in &p.years {
        let premiums = y.breakdown.part(Part::CityPremiums);
        let spent = y.breakdown.part(Part::CityExpenditure);
        for (i, n) in net.iter_mut().enumerate() {
            *n += premiums[i] - spent[i];
        }
    }
    net
}

type Levels<'a> = &'a [(String, RGBColor, Vec<(i32, f64)>)];

/// A fan chart of one line: 5–95 % and 25–75 % bands and the median.
#[allow(clippy::too_many_arguments)]
fn fan(
    w: &Words,
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
    let (lo, hi) = value_axis(years.iter().flat_map(|y| {
        [q(y, 0), q(y, 6)]
            .into_iter()
            .chain(levels.iter().flat_map(|l| l.2.iter().map(|p| p.1)))
    }));
    let points: Vec<(i32, [f64; 5])> = years
        .iter()
        .map(|y| (y.year, [q(y, 0), q(y, 2), q(y, 3), q(y, 4), q(y, 6)]))
        .collect();
    let drawn: Vec<(f64, f64)> = points
        .iter()
        .flat_map(|(x, q)| [(f64::from(*x), q[0]), (f64::from(*x), q[4])])
        .chain(
            levels
                .iter()
                .flat_map(|l| l.2.iter().map(|(x, v)| (f64::from(*x), *v))),
        )
        .collect();
    let x_axis = (f64::from(first) - 0.3, f64::from(last) + 0.3);
    let (corner, (lo, hi)) = legend_room(&drawn, x_axis, (lo, hi), 3 + levels.len());
    render(SIZE, title, subtitle, |area| {
        let mut chart = year_axes(area, (first, last), (lo, hi))?;
        mesh(
            &mut chart,
            w.t("年份（12月）", "year (December)"),
            unit,
            Some(years.len()),
        )?;
        draw_fan(&mut chart, &points, fan_legend(w.lang))?;
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
        legend(&mut chart, corner)
    })
}

/// The height of a legend entry and the legend box's padding, and the
/// share of the plot's width the box takes, in a chart of [`SIZE`].
const LEGEND_ROW: f64 = 21.0;
const LEGEND_PAD: f64 = 19.0;
const LEGEND_WIDTH: f64 = 0.32;
/// The plot's height in a chart of [`SIZE`] drawn on [`year_axes`]: the
/// head, the margins and the year labels taken off.
const PLOT_HEIGHT: f64 = SIZE.1 as f64 - 70.0 - 2.0 * 16.0 - 56.0;

/// Where a chart by year puts its legend of `rows` entries, and the value
/// axis that leaves it room: the corner the drawn points (`drawn`, year
/// and value, on an axis of years `x_axis` and values `lo..hi`) leave
/// freest, the upper left first among equals; when no corner has room,
/// the axis grows on the side that needs the least (a legend on the bands
/// hides what the chart is for). A value axis from 0 or above is not
/// taken below 0.
fn legend_room(
    drawn: &[(f64, f64)],
    x_axis: (f64, f64),
    (lo, hi): (f64, f64),
    rows: usize,
) -> (SeriesLabelPosition, (f64, f64)) {
    let need = ((rows as f64).mul_add(LEGEND_ROW, LEGEND_PAD) / PLOT_HEIGHT).min(0.9);
    let span = x_axis.1 - x_axis.0;
    let at = |x: f64| (x - x_axis.0) / span;
    let corners = [
        (SeriesLabelPosition::UpperLeft, true, true),
        (SeriesLabelPosition::UpperRight, true, false),
        (SeriesLabelPosition::LowerLeft, false, true),
        (SeriesLabelPosition::LowerRight, false, false),
    ];
    let mut best: Option<(f64, SeriesLabelPosition, (f64, f64))> = None;
    for (corner, top, left) in corners {
        let under = drawn.iter().filter(|(x, v)| {
            v.is_finite()
                && if left {
                    at(*x) <= LEGEND_WIDTH
                } else {
                    at(*x) >= 1.0 - LEGEND_WIDTH
                }
        });
        let axis = if top {
            let m = under.map(|p| p.1).fold(lo, f64::max);
            let free = (hi - m) / (hi - lo);
            if free >= need {
                (lo, hi)
            } else {
                (lo, (m - need * lo) / (1.0 - need))
            }
        } else {
            let m = under.map(|p| p.1).fold(hi, f64::min);
            let free = (m - lo) / (hi - lo);
            if free >= need {
                (lo, hi)
            } else {
                let grown = (m - need * hi) / (1.0 - need);
                if lo >= 0.0 && grown < 0.0 {
                    continue;
                }
                (grown, hi)
            }
        };
        let growth = (axis.1 - axis.0) / (hi - lo);
        if best.as_ref().is_none_or(|b| growth < b.0) {
            best = Some((growth, corner, axis));
        }
    }
    best.map_or((SeriesLabelPosition::UpperLeft, (lo, hi)), |b| (b.1, b.2))
}

/// The axes of a chart by year, `first` to `last`, values `lo` to `hi`.
fn year_axes<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    (first, last): (i32, i32),
    (lo, hi): (f64, f64),
) -> Result<Chart2d<'a, 'b>> {
    ChartBuilder::on(area)
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(110)
        .build_cartesian_2d(f64::from(first) - 0.3..f64::from(last) + 0.3, lo..hi)
        .map_err(draw_error)
}

/// The legend entries of a fan's bands and median, as [`draw_fan`] takes them.
fn fan_legend(lang: Lang) -> [&'static str; 3] {
    [
        lang.pick("5%–95%的路径", "5–95 % of paths"),
        lang.pick("25%–75%", "25–75 %"),
        lang.pick("中位数", "median"),
    ]
}

/// A fan's 5–95 % and 25–75 % bands and its median, by year, with their
/// legend entries (`labels` in that order); values that are not finite
/// are left out.
fn draw_fan(chart: &mut Chart2d, points: &[(i32, [f64; 5])], labels: [&str; 3]) -> Result<()> {
    let band = |lower: usize, upper: usize| -> Vec<(f64, f64)> {
        let mut pts: Vec<(f64, f64)> = points
            .iter()
            .map(|(y, q)| (f64::from(*y), q[upper]))
            .collect();
        pts.extend(points.iter().rev().map(|(y, q)| (f64::from(*y), q[lower])));
        pts.retain(|p| p.1.is_finite());
        pts
    };
    chart
        .draw_series(std::iter::once(Polygon::new(band(0, 4), BAND_90.filled())))
        .map_err(draw_error)?
        .label(labels[0])
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BAND_90.filled()));
    chart
        .draw_series(std::iter::once(Polygon::new(band(1, 3), BAND_50.filled())))
        .map_err(draw_error)?
        .label(labels[1])
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BAND_50.filled()));
    chart
        .draw_series(LineSeries::new(
            points
                .iter()
                .map(|(y, q)| (f64::from(*y), q[2]))
                .filter(|p| p.1.is_finite()),
            MEDIAN.stroke_width(3),
        ))
        .map_err(draw_error)?
        .label(labels[2])
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], MEDIAN.stroke_width(3)));
    Ok(())
}

/// Probability of breach by year, and of a first breach by then, with ±2
/// standard-error bars.
fn breach(p: &Projection, provenance: &Provenance, w: &Words) -> Result<String> {
    let n = p
        .paths
        .map_or(1, super::super::stats::paths::PathSet::paths);
    let years = &p.years;
    let (first, last) = (years[0].year, years[years.len() - 1].year);
    let with_se = |b: f64| (b * 100.0, 2.0 * proportion_se(b, n) * 100.0);
    let points: Vec<(f64, f64, f64)> = years
        .iter()
        .map(|y| {
            let (b, e) = with_se(y.breach_probability);
            (f64::from(y.year), b, e)
        })
        .collect();
    let cumulative: Vec<(f64, f64, f64)> = p
        .paths
        .map(super::super::stats::paths::PathSet::first_breach_cumulative)
        .unwrap_or_default()
        .iter()
        .zip(years)
        .map(|(c, y)| {
            let (b, e) = with_se(*c);
            (f64::from(y.year), b, e)
        })
        .collect();
    let top = points
        .iter()
        .chain(&cumulative)
        .map(|p| p.1 + p.2)
        .fold(5.0f64, f64::max)
        .min(100.0)
        * 1.1;
    let rule = p.scenario.law.reserve_rule_months;
    let title = match w.lang {
        Lang::Zh => format!(
            "{}：年末累计结余低于{rule}个月平均支付水平的概率",
            p.scenario.title
        ),
        Lang::En => format!(
            "{}: probability that December reserves are below {rule} months (违反12个月规则的概率)",
            p.scenario.title
        ),
    };
    let unit = w.t("路径占比 %", "% of paths");
    render(SIZE, &title, &subtitle(provenance, unit, w.lang), |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(f64::from(first) - 0.5..f64::from(last) + 0.5, 0.0..top)
            .map_err(draw_error)?;
        let y_desc = match w.lang {
            Lang::Zh => format!("占{n}条路径的 %"),
            Lang::En => format!("% of {n} paths"),
        };
        mesh(
            &mut chart,
            w.t("年份（12月）", "year (December)"),
            &y_desc,
            Some(years.len()),
        )?;
        chart
            .draw_series(
                points.iter().map(|(x, p, _)| {
                    Rectangle::new([(x - 0.3, 0.0), (x + 0.3, *p)], BAND_50.filled())
                }),
            )
            .map_err(draw_error)?
            .label(w.t("当年低于警戒线", "below the rule that December"))
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BAND_50.filled()));
        let bars = |series: &[(f64, f64, f64)], color: RGBColor| {
            series
                .iter()
                .map(|(x, p, e)| {
                    ErrorBar::new_vertical(
                        *x,
                        (p - e).max(0.0),
                        *p,
                        (p + e).min(100.0),
                        color.stroke_width(2),
                        10,
                    )
                })
                .collect::<Vec<_>>()
        };
        chart
            .draw_series(bars(&points, MEDIAN))
            .map_err(draw_error)?
            .label(w.t("±2个标准误", "±2 standard errors"))
            .legend(|(x, y)| {
                PathElement::new(vec![(x + 9, y - 6), (x + 9, y + 6)], MEDIAN.stroke_width(2))
            });
        if !cumulative.is_empty() {
            chart
                .draw_series(LineSeries::new(
                    cumulative.iter().map(|(x, p, _)| (*x, *p)),
                    RULE.stroke_width(3),
                ))
                .map_err(draw_error)?
                .label(w.t("到当年至少一次低于", "at least once by then"))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], RULE.stroke_width(3)));
            chart
                .draw_series(bars(&cumulative, RULE))
                .map_err(draw_error)?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// Total income and total expenditure by year, side by side.
fn income_expenditure(
    p: &Projection,
    provenance: &Provenance,
    unit: Unit,
    w: &Words,
) -> Result<String> {
    let years = &p.years;
    let (first, last) = (years[0].year, years[years.len() - 1].year);
    let pairs: Vec<(f64, f64, f64)> = years
        .iter()
        .map(|y| {
            (
                f64::from(y.year),
                unit.scale(y.mean(Line::IncomeTotal)),
                unit.scale(y.mean(Line::ExpenditureTotal)),
            )
        })
        .collect();
    let top = pairs
        .iter()
        .map(|p| p.1.max(p.2))
        .fold(0.0f64, f64::max)
        .max(1e-9)
        * 1.15;
    let title = w.title(
        &p.scenario.title,
        "收入与支出",
        "income and expenditure (收入合计与支出合计)",
    );
    render(
        SIZE,
        &title,
        &subtitle(provenance, unit.label(), w.lang),
        |area| {
            let mut chart = ChartBuilder::on(area)
                .margin(16)
                .x_label_area_size(56)
                .y_label_area_size(110)
                .build_cartesian_2d(f64::from(first) - 0.5..f64::from(last) + 0.5, 0.0..top)
                .map_err(draw_error)?;
            mesh(
                &mut chart,
                w.t("年份", "year"),
                unit.label(),
                Some(years.len()),
            )?;
            let (income, spent) = (SERIES[0], SERIES[1]);
            chart
                .draw_series(pairs.iter().map(|(x, v, _)| {
                    Rectangle::new([(x - 0.38, 0.0), (x - 0.02, *v)], income.filled())
                }))
                .map_err(draw_error)?
                .label(w.t("收入合计", "total income"))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 18, y + 5)], income.filled())
                });
            chart
                .draw_series(pairs.iter().map(|(x, _, v)| {
                    Rectangle::new([(x + 0.02, 0.0), (x + 0.38, *v)], spent.filled())
                }))
                .map_err(draw_error)?
                .label(w.t("支出合计", "total expenditure"))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 18, y + 5)], spent.filled())
                });
            legend(&mut chart, SeriesLabelPosition::UpperLeft)
        },
    )
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
    lang: Lang,
) -> Result<String> {
    let w = Words { lang };
    let (first, last) = (years[0], years[years.len() - 1]);
    let top = candidates
        .iter()
        .flat_map(|c| c.1.iter())
        .fold(0.05f64, |a, b| a.max(*b))
        * 110.0;
    let title = match lang {
        Lang::Zh => format!("{scenario}：各费率方案下年末累计结余低于{rule}个月平均支付水平的概率"),
        Lang::En => {
            format!("{scenario}: probability of a December below {rule} months, by schedule")
        }
    };
    let sub = subtitle(provenance, w.t("路径占比 %", "% of paths"), lang);
    render(SIZE, &title, &sub, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(
                f64::from(first) - 0.3..f64::from(last) + 0.3,
                0.0..top.min(100.0),
            )
            .map_err(draw_error)?;
        let y_desc = match lang {
            Lang::Zh => format!("占{paths}条路径的 %"),
            Lang::En => format!("% of {paths} paths"),
        };
        mesh(
            &mut chart,
            w.t("年份（12月）", "year (December)"),
            &y_desc,
            Some(years.len()),
        )?;
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
    empty: &str,
    lang: Lang,
) -> Result<String> {
    bars(
        title,
        &subtitle(provenance, unit.label(), lang),
        unit,
        payers,
        schemes,
        empty,
    )
}

/// Amounts in yuan by category (a payer, a city, a class), one bar per
/// series in each category; negative amounts go below 0. `empty` is what
/// the plot says when every amount is 0 (an empty frame says nothing).
pub(crate) fn bars(
    title: &str,
    subtitle: &str,
    unit: Unit,
    categories: &[String],
    series: &[(&str, Vec<f64>)],
    empty: &str,
) -> Result<String> {
    let values = || {
        series
            .iter()
            .flat_map(|s| s.1.iter().map(|v| unit.scale(*v)))
    };
    let nothing = values().all(|v| v == 0.0);
    let top = values().fold(0.01f64, f64::max) * 1.15;
    let bottom = values().fold(0.0f64, f64::min) * 1.15;
    let n = categories.len().max(1);
    render((1100, 580), title, subtitle, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(110)
            .build_cartesian_2d(-0.5..n as f64 - 0.5, bottom..top)
            .map_err(draw_error)?;
        let labels = categories.to_vec();
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
            .label_style((FAMILY, 17))
            .axis_desc_style((FAMILY, 18))
            // bars that are all zero stand on an axis that says 0 alone,
            // not on ticks of hundredths that no amount reaches (11 is
            // plotters' own count)
            .y_labels(if nothing { 1 } else { 11 })
            .y_label_formatter(&axis_number)
            .light_line_style(WHITE)
            .draw()
            .map_err(draw_error)?;
        let width = 0.8 / series.len().max(1) as f64;
        for (j, (name, amounts)) in series.iter().enumerate() {
            let color = SERIES[j % SERIES.len()];
            let offset = -0.4 + width * j as f64;
            chart
                .draw_series(amounts.iter().enumerate().map(|(i, b)| {
                    let left = i as f64 + offset;
                    Rectangle::new(
                        [(left, 0.0), (left + width * 0.9, unit.scale(*b))],
                        color.filled(),
                    )
                }))
                .map_err(draw_error)?
                .label(*name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 18, y + 5)], color.filled())
                });
        }
        if nothing {
            note(&chart, empty, ((n as f64 - 1.0) / 2.0, top / 2.0))?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

#[cfg(test)]
mod tests {
    use plotters::prelude::SeriesLabelPosition;

    /// The legend goes to the freest corner, the upper left first; when no
    /// corner has room, the axis grows by the least, never below 0 for
    /// values from 0 up.
    #[test]
    fn the_legend_takes_the_freest_corner() {
        let x_axis = (-0.3, 9.3);
        let years = |f: &dyn Fn(f64) -> f64| -> Vec<(f64, f64)> {
            (0..10).map(|x| (f64::from(x), f(f64::from(x)))).collect()
        };
        let name = |p: &SeriesLabelPosition| format!("{p:?}");
        // a rising line: the upper left is free
        let (corner, axis) = super::legend_room(&years(&|x| x), x_axis, (0.0, 10.0), 3);
        assert_eq!(name(&corner), "UpperLeft");
        assert_eq!(axis, (0.0, 10.0));
        // a falling line: the upper right
        let (corner, axis) = super::legend_room(&years(&|x| 9.0 - x), x_axis, (0.0, 10.0), 3);
        assert_eq!(name(&corner), "UpperRight");
        assert_eq!(axis, (0.0, 10.0));
        // a band from 2 to 9.5 across the whole plot: no corner has room;
        // below, the axis would pass 0, so it grows upward until the upper
        // left has the legend's height free
        let mut band = years(&|_| 9.5);
        band.extend(years(&|_| 2.0));
        let (corner, axis) = super::legend_room(&band, x_axis, (0.0, 10.0), 6);
        let need = 6.0f64.mul_add(super::LEGEND_ROW, super::LEGEND_PAD) / super::PLOT_HEIGHT;
        assert_eq!(name(&corner), "UpperLeft");
        assert_eq!(axis.0, 0.0);
        assert!(((axis.1 - 9.5) / axis.1 - need).abs() < 1e-12, "{axis:?}");
        // a band from 6 to 9.5: the lower left is free
        let mut band = years(&|_| 9.5);
        band.extend(years(&|_| 6.0));
        let (corner, axis) = super::legend_room(&band, x_axis, (0.0, 10.0), 6);
        assert_eq!(name(&corner), "LowerLeft");
        assert_eq!(axis, (0.0, 10.0));
        // values on both sides of 0, from −9 to 9.5: growing downward costs
        // the less
        let mut band = years(&|_| 9.5);
        band.extend(years(&|_| -9.0));
        let (corner, axis) = super::legend_room(&band, x_axis, (-10.0, 10.0), 6);
        assert_eq!(name(&corner), "LowerLeft");
        assert_eq!(axis.1, 10.0);
        assert!(
            ((-9.0 - axis.0) / (10.0 - axis.0) - need).abs() < 1e-12,
            "{axis:?}"
        );
    }

    /// A bar chart of zeros says so in its plot; one with a bar does not.
    #[test]
    fn a_chart_of_zeros_says_so() {
        let chart = |v: f64| {
            super::bars(
                "t",
                "s",
                super::Unit::Wan,
                &["a".to_string(), "b".to_string()],
                &[("x", vec![0.0, v])],
                "nothing here",
            )
            .unwrap()
        };
        assert!(chart(0.0).contains("nothing here"));
        assert!(!chart(1e6).contains("nothing here"));
    }

    /// Ticks of every size stay distinct and plain.
    #[test]
    fn axis_numbers_keep_small_steps_apart() {
        let f = |v: f64| super::axis_number(&v);
        assert_eq!(f(0.0), "0");
        assert_eq!(f(0.002), "0.002");
        assert_eq!(f(0.004), "0.004");
        assert_eq!(f(12.5), "12.5");
        assert_eq!(f(10.0), "10");
        assert_eq!(f(-20000.0), "-20,000");
        assert_eq!(f(6_500_000.0), "6,500,000");
    }

    /// Head text fits the chart's width: whole at full size when it fits,
    /// smaller when that is enough, else shortened; a title's fund name
    /// gives way first, so that what the chart shows stays whole.
    #[test]
    fn head_text_fits_the_chart() {
        use super::{SUBTITLE_SIZE, SVG_EM, TITLE_SIZE, fit};
        let width = |t: &str, size: f64| {
            crate::report::font::advances(t)
                .unwrap()
                .iter()
                .sum::<f64>()
                * SVG_EM
                * size
        };
        let room = 928.0;
        let (t, size) = fit("江西省：年末滚存结余", TITLE_SIZE, room, true).unwrap();
        assert_eq!((t.as_str(), size), ("江西省：年末滚存结余", 26.0));

        let medium = format!("{}：年末滚存结余", "江".repeat(38));
        let (t, size) = fit(&medium, TITLE_SIZE, room, true).unwrap();
        assert_eq!(t, medium);
        assert!(size < 26.0 && size > 17.0, "{size}");
        assert!((width(&t, size) - room).abs() < 1e-6);

        let fund = "江西省人力资源和社会保障厅工伤保险省级统收统支基金".repeat(4);
        let long = format!("{fund}：年末滚存结余");
        let (t, size) = fit(&long, TITLE_SIZE, room, true).unwrap();
        assert_eq!(size, 17.0);
        assert!(
            t.starts_with("江西省人力资源") && t.ends_with("…：年末滚存结余"),
            "{t}"
        );
        assert!(width(&t, size) <= room, "{t}");
        assert!(
            width(&t, size) > room - 2.0 * width("江", size),
            "{t} is cut too short"
        );

        // a fund's name with a separator of its own gives way, not the
        // chart's subject (review)
        let named = format!("江西：{}：年末滚存结余", "省级统收统支基金".repeat(10));
        let (t, size) = fit(&named, TITLE_SIZE, room, true).unwrap();
        assert!(
            t.starts_with("江西：省级") && t.ends_with("…：年末滚存结余"),
            "{t}"
        );
        assert!(width(&t, size) <= room, "{t}");

        // a subtitle gives way in its middle: the run's details at its end stay
        let path = format!(
            "jiangxi-2025 (/{}/x.toml): Monte Carlo, 200 paths, seed 7; 万元",
            "folder/".repeat(40)
        );
        let (t, size) = fit(&path, SUBTITLE_SIZE, room, false).unwrap();
        assert_eq!(size, 13.0);
        assert!(
            t.starts_with("jiangxi-2025 (/folder/") && t.ends_with("200 paths, seed 7; 万元"),
            "{t}"
        );
        assert!(t.contains('…') && width(&t, size) <= room, "{t}");
    }
}
