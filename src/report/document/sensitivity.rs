//! The tornado's part of a report: a sentence naming the input that moves
//! the result most, the chart, and a table of every move's change of both
//! measures with its paired standard error. The same results as
//! `sensitivity.json`, rounded for reading.

use super::Part;
use crate::analysis::sensitivity::Measure;
use crate::report::format::grouped_decimal;
use crate::report::html::{Block, Row, Table};
use crate::report::labels::{self, Lang};
use crate::report::provenance::Provenance;
use crate::report::sensitivity::{SensitivityReport, tornado};
use crate::report::units::Unit;
use crate::stats::estimate::Difference;

/// The part of a sensitivity run.
pub(crate) fn part(
    r: &SensitivityReport,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> anyhow::Result<Part> {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let res = r.result;
    let last = r.last_year;
    let pts = |d: Difference| format!("{:+.1}", d.difference * 100.0);
    let money = |d: Difference| grouped_decimal(unit.printed(d.difference));
    let mut headline = Vec::new();
    if let Some(top) = res.swings.first() {
        let name = labels::input(lang, top.input);
        let (down, up) = top.changes(res.measure);
        let se = |d: Difference| match res.measure {
            Measure::AnyBreach => format!("{:.1}", d.se * 100.0),
            Measure::Balance => grouped_decimal(unit.printed(d.se)),
        };
        let value = |d: Difference| match res.measure {
            Measure::AnyBreach => pts(d),
            Measure::Balance => money(d),
        };
        let u = unit.label();
        let step = top
            .step
            .trim_start_matches('±')
            .replace(" points", lang.pick("个百分点", " points"))
            .replace(" %", "%");
        headline.push(match (res.measure, lang) {
            (Measure::AnyBreach, Lang::Zh) => format!(
                "影响最大的假设是{name}：下调{step}时，到{last}年至少一次低于警戒线的概率变化{}个百分点（配对标准误{}），上调时变化{}个百分点（{}）。",
                value(down),
                se(down),
                value(up),
                se(up)
            ),
            (Measure::AnyBreach, Lang::En) => format!(
                "The assumption that matters most is {}: moved down by {step} it changes the chance of a breach by {last} by {} points (paired standard error {}), moved up by {} points ({}).",
                name.to_lowercase(),
                value(down),
                se(down),
                value(up),
                se(up)
            ),
            (Measure::Balance, Lang::Zh) => format!(
                "影响最大的假设是{name}：下调{step}时，{last}年末滚存结余均值变化{}{u}（配对标准误{}），上调时变化{}{u}（{}）。",
                value(down),
                se(down),
                value(up),
                se(up)
            ),
            (Measure::Balance, Lang::En) => format!(
                "The assumption that matters most is {}: moved down by {step} it changes the mean balance at the end of {last} by {} {u} (paired standard error {}), moved up by {} {u} ({}).",
                name.to_lowercase(),
                value(down),
                se(down),
                value(up),
                se(up)
            ),
        });
    }
    let rows = res
        .swings
        .iter()
        .map(|s| {
            let p = |d: Difference| format!("{:+.1} ± {:.1}", d.difference * 100.0, d.se * 100.0);
            let m = |d: Difference| {
                format!(
                    "{} ± {}",
                    grouped_decimal(unit.printed(d.difference)),
                    grouped_decimal(unit.printed(d.se))
                )
            };
            Row::body(vec![
                labels::input(lang, s.input).to_string(),
                s.step.replace("points", lang.pick("个百分点", "points")),
                p(s.down.any_breach_change),
                p(s.up.any_breach_change),
                m(s.down.balance_change),
                m(s.up.balance_change),
            ])
        })
        .collect();
    let blocks = vec![
        Block::Section {
            id: "sensitivity".into(),
            title: t("敏感性分析", "Sensitivity (敏感性分析)"),
        },
        Block::Note(match lang {
            Lang::Zh => format!(
                "每次只调整一项假设：增长率和利率的均值各调整一个标准差，水平值调整±10%，征缴率调整其冲击的一个标准差；各调整在同一批{}条路径上运行，变化为配对差异。基线：概率{:.1}%，{last}年末滚存结余均值{}{}。",
                r.run.paths,
                res.any_breach * 100.0,
                grouped_decimal(unit.printed(res.balance)),
                unit.label()
            ),
            Lang::En => format!(
                "One assumption is moved at a time: the mean of a growth rate or of the interest rate by one standard deviation, a level by ±10 %, the collection rate by one standard deviation of its shock; every move runs on the same {} paths, so the changes are paired. The scenario itself: {:.1} % and a mean balance of {} {} at the end of {last}.",
                r.run.paths,
                res.any_breach * 100.0,
                grouped_decimal(unit.printed(res.balance)),
                unit.label()
            ),
        }),
        Block::Figure {
            id: "tornado".into(),
            svg: tornado(r, provenance, unit, lang)?,
            caption: t(
                "每项假设下调（浅色）和上调（深色）时结果的变化，按宽度排序；误差线为±2个配对标准误。",
                "The change of the result when each assumption is moved down (light) and up (dark), widest first; error bars are ±2 paired standard errors.",
            ),
        },
        Block::Table(Table {
            id: "sensitivity-table".into(),
            caption: t("单因素敏感性", "One-at-a-time sensitivities"),
            unit: Some(format!(
                "{}{}",
                t("金额单位：", "Amounts in "),
                unit.label()
            )),
            head: vec![
                t("假设", "Assumption"),
                t("调整幅度", "Step"),
                t("概率变化：下调（百分点）", "P(any breach), down (points)"),
                t("概率变化：上调（百分点）", "P(any breach), up (points)"),
                t("期末结余变化：下调", "Final balance, down"),
                t("期末结余变化：上调", "Final balance, up"),
            ],
            numeric: vec![false, false, true, true, true, true],
            rows,
            foots: vec![],
            note: Some(if r.policy_answers {
                t(
                    "变化后为配对标准误。期末结余的变化已计入费率政策的反应：结余不足时调整费率，因此某项假设的变化可能使期末结余反向变动（例如期初结余下调，费率更早上调，期末结余反而增加）；违规概率不受此影响。",
                    "Each change is followed by its paired standard error. The final balance's change includes the rate policy's answer: rates move when the reserve runs short, so a move can push the final balance the other way (a lower opening balance raises rates sooner and can end higher); the probability of a breach has no such reversal.",
                )
            } else {
                t(
                    "变化后为配对标准误。",
                    "Each change is followed by its paired standard error.",
                )
            }),
        }),
    ];
    Ok(Part { headline, blocks })
}
