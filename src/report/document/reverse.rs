//! The reverse stress test's part of a report: the answer as two headline
//! sentences, a note on the method, the chart of the probability at each
//! scale tried, and a table of the tries of both searches. The same results
//! as `reverse.json`, rounded for reading.

use super::Part;
use crate::report::html::{Block, Row, Table};
use crate::report::labels::Lang;
use crate::report::provenance::Provenance;
use crate::report::reverse::{ReverseReport, measured, percent, scale_3};

/// The part of a reverse stress test.
pub(crate) fn part(r: &ReverseReport, provenance: &Provenance, lang: Lang) -> anyhow::Result<Part> {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let res = r.result;
    let yes_no = |b: bool| t(if b { "是" } else { "否" }, if b { "yes" } else { "no" });
    let mut rows: Vec<Row> = Vec::new();
    for x in &res.monte_carlo_tries {
        rows.push(Row::body(vec![
            scale_3(x.scale),
            format!(
                "{} ± {}",
                measured(x.breach_probability),
                measured(x.breach_probability_se)
            ),
            yes_no(x.breach_probability >= res.target),
        ]));
    }
    let ev_rows = res
        .expected_value_tries
        .iter()
        .map(|x| {
            Row::body(vec![
                scale_3(x.scale),
                x.first_breach_year
                    .map_or_else(|| t("无", "none"), |y| y.to_string()),
            ])
        })
        .collect();
    let blocks = vec![
        Block::Section {
            id: "reverse".into(),
            title: t("反向压力测试", "Reverse stress test (反向压力测试)"),
        },
        Block::Note(r.method(lang)),
        Block::Figure {
            id: "reverse".into(),
            svg: r.chart(provenance, lang)?,
            caption: if res.expected_value_scale.is_some() {
                t(
                    "每个试算倍数下至少一次低于警戒线的概率（±2个标准误），所求概率（红线）和期望值路径首次低于警戒线的倍数（橙线）。",
                    "The chance of a breach at each scale tried (±2 standard errors), the probability looked for (red) and the scale at which the expected-value path first breaches (orange).",
                )
            } else {
                t(
                    "每个试算倍数下至少一次低于警戒线的概率（±2个标准误）和所求概率（红线）；期望值路径在试算的倍数内均不低于警戒线。",
                    "The chance of a breach at each scale tried (±2 standard errors) and the probability looked for (red); the expected-value path breaches at no scale tried.",
                )
            },
        },
        Block::Table(Table {
            id: "reverse-monte-carlo".into(),
            caption: t("蒙特卡洛试算", "Monte Carlo tries"),
            unit: None,
            head: vec![
                t("冲击倍数", "Scale"),
                t("至少一次低于警戒线的概率 (%)", "P(any breach) (%)"),
                format!("{} {}%", t("达到", "Reaches"), percent(res.target)),
            ],
            numeric: vec![true, true, false],
            rows,
            foots: vec![],
            note: Some(t(
                "概率后为标准误。",
                "Each probability is followed by its standard error.",
            )),
        }),
        Block::Table(Table {
            id: "reverse-expected-value".into(),
            caption: t("期望值试算", "Expected-value tries"),
            unit: None,
            head: vec![
                t("冲击倍数", "Scale"),
                t("首次低于警戒线的年份（12月）", "First December in breach"),
            ],
            numeric: vec![true, true],
            rows: ev_rows,
            foots: vec![],
            note: None,
        }),
    ];
    Ok(Part {
        headline: r.sentences(lang),
        blocks,
    })
}
