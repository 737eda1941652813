//! What each `report.html` says. Every analysis has a part (its headline
//! sentences and its blocks: charts, tables, notes), built from the same
//! results as its CSV and JSON files and rounded for reading; a command's
//! report is its part with the provenance, and `fundsim report` puts the
//! parts of the office's standard set in one document under one headline.
//! The words of both languages come from the same code path.

mod backtest;
mod budget;
mod projection;
mod rates;
mod reverse;
mod sensitivity;
mod stress;

pub(crate) use budget::part as budget_part;
pub(crate) use projection::part as projection_part;
pub(crate) use rates::by_year_chart as rates_by_year_chart;
pub(crate) use rates::part as rates_part;
pub(crate) use reverse::part as reverse_part;
pub(crate) use sensitivity::part as sensitivity_part;
pub(crate) use stress::burden_chart as stress_burden_chart;
pub(crate) use stress::part as stress_part;

use super::html::{Block, Document};
use super::labels::Lang;
use super::provenance::{Provenance, TOOL_VERSION};
use super::units::Unit;
use crate::model::scenario::Scenario;

/// One analysis's share of a report.
#[derive(Debug, Clone, Default)]
pub(crate) struct Part {
    /// The sentences it adds to the headline.
    pub(crate) headline: Vec<String>,
    /// What follows under its sections.
    pub(crate) blocks: Vec<Block>,
}

/// A report: the title, then the headline of every part in order, then
/// each part's blocks, then what ran.
pub(crate) fn document(
    s: &Scenario,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
    what: (&str, &str),
    parts: Vec<Part>,
) -> Document {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let mut blocks = vec![
        Block::Section {
            id: "summary".into(),
            title: t("主要结论", "Summary"),
        },
        Block::Headline(parts.iter().flat_map(|p| p.headline.clone()).collect()),
    ];
    for p in parts {
        blocks.extend(p.blocks);
    }
    blocks.push(Block::Section {
        id: "provenance".into(),
        title: t("运行信息", "Provenance"),
    });
    blocks.push(Block::Facts(facts(s, provenance, unit, lang)));
    Document {
        lang,
        title: match lang {
            Lang::Zh => format!("{}：{}", s.title, what.0),
            Lang::En => format!("{}: {} ({})", s.title, what.1, what.0),
        },
        subtitle: s.description.clone(),
        blocks,
    }
}

/// The report of a projection (`simulate`, `merge`).
pub(crate) fn projection(
    p: &crate::analysis::projection::Projection,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> anyhow::Result<Document> {
    let part = projection_part(p, provenance, unit, lang)?;
    Ok(document(
        p.scenario,
        provenance,
        unit,
        lang,
        ("工伤保险基金收支预测", "work-injury fund projection"),
        vec![part],
    ))
}

/// The report of a rates run.
pub(crate) fn rates(
    s: &Scenario,
    r: &crate::report::rates::RatesReport,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> anyhow::Result<Document> {
    let part = rates_part(r, provenance, unit, lang)?;
    Ok(document(
        s,
        provenance,
        unit,
        lang,
        ("费率方案评估", "benchmark-rate schedules"),
        vec![part],
    ))
}

/// The report of a stress test.
pub(crate) fn stress(
    s: &Scenario,
    r: &crate::report::stress::StressReport,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> anyhow::Result<Document> {
    let part = stress_part(r, provenance, unit, lang)?;
    Ok(document(
        s,
        provenance,
        unit,
        lang,
        ("缺口分担压力测试", "gap-sharing stress test"),
        vec![part],
    ))
}

/// The report of a reverse stress test.
pub(crate) fn reverse(
    s: &Scenario,
    r: &crate::report::reverse::ReverseReport,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> anyhow::Result<Document> {
    let part = reverse_part(r, provenance, lang)?;
    Ok(document(
        s,
        provenance,
        unit,
        lang,
        ("反向压力测试", "reverse stress test"),
        vec![part],
    ))
}

/// The report of a budget draft.
pub(crate) fn budget(
    s: &Scenario,
    b: &crate::report::budget::Tables,
    provenance: &Provenance,
    lang: Lang,
) -> Document {
    document(
        s,
        provenance,
        b.unit,
        lang,
        ("工伤保险基金预算草案", "work-injury fund budget draft"),
        vec![budget_part(b, lang)],
    )
}

/// The report of a sensitivity run.
pub(crate) fn sensitivity(
    s: &Scenario,
    r: &crate::report::sensitivity::SensitivityReport,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> anyhow::Result<Document> {
    let part = sensitivity_part(r, provenance, unit, lang)?;
    Ok(document(
        s,
        provenance,
        unit,
        lang,
        ("敏感性分析", "sensitivity of the projection"),
        vec![part],
    ))
}

/// The report of a back-test: its part under the base scenario's title.
pub(crate) fn backtest(
    base: &Scenario,
    r: &crate::report::backtest::BacktestReport,
    provenance: &Provenance,
) -> anyhow::Result<Document> {
    let mut doc = document(
        base,
        provenance,
        r.unit,
        r.lang,
        ("回溯检验", "back-test"),
        vec![backtest::part(r)?],
    );
    // the base's description names its projection years, not the history's
    doc.subtitle = backtest::subtitle(r);
    Ok(doc)
}

/// The report of the office's standard set (`fundsim report`): the
/// projection, next year's budget draft, the baseline against a rate rise,
/// the stress overlays under the scenario's scheme and the tornado, under
/// one headline. The rates part's baseline sentence is left out of the
/// headline: the projection's first sentence says the same.
pub(crate) fn standard(
    s: &Scenario,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
    parts: [Part; 5],
) -> Document {
    let [projection, budget, mut rates, stress, sensitivity] = parts;
    if !rates.headline.is_empty() {
        rates.headline.remove(0);
    }
    document(
        s,
        provenance,
        unit,
        lang,
        ("工伤保险基金精算报告", "work-injury fund actuarial report"),
        vec![projection, budget, rates, stress, sensitivity],
    )
}

/// What ran: scenario, file, SHA-256, date, seed, paths, version, unit.
fn facts(s: &Scenario, provenance: &Provenance, unit: Unit, lang: Lang) -> Vec<(String, String)> {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let mut out = vec![
        (t("情景", "Scenario"), s.name.clone()),
        (t("情景文件", "Scenario file"), provenance.source.clone()),
        ("SHA-256".to_string(), provenance.input_sha256.clone()),
        (
            t("情景日期", "Scenario date"),
            s.date.clone().unwrap_or_else(|| t("未注明", "not given")),
        ),
    ];
    match provenance.monte_carlo {
        Some((seed, paths)) => {
            out.push((t("随机种子", "Seed"), seed.to_string()));
            out.push((t("路径数", "Paths"), paths.to_string()));
        }
        None => out.push((t("模式", "Mode"), t("期望值", "expected value"))),
    }
    if let Some(st) = provenance.stress_phrase() {
        out.push((t("压力情景", "Stress"), st));
    }
    for file in &provenance.files {
        out.push((file.role.label(lang).to_string(), file.path.clone()));
        out.push(("SHA-256".to_string(), file.sha256.clone()));
    }
    if !provenance.schedules.is_empty() {
        out.push((
            t("费率方案", "Rate schedules"),
            provenance.schedules.join(", "),
        ));
    }
    out.push((
        t("工具版本", "Tool version"),
        format!("fundsim {TOOL_VERSION}"),
    ));
    out.push((t("金额单位", "Unit"), unit.label().to_string()));
    out
}
