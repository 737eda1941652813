//! The stress test's part of a report: a sentence on the range of the gap
//! probability over the stresses and on the worst of them, a table of every
//! stress × scheme pair, and for every stress the burden by payer (a chart
//! and a table). The same results as `stress.json`, rounded for reading.

use super::Part;
use crate::analysis::stress::PairResult;
use crate::report::chart;
use crate::report::format::{NO_VALUE, grouped_decimal};
use crate::report::html::{Block, Row, Table};
use crate::report::labels::{Lang, payer_name, scheme_name, stress_name};
use crate::report::provenance::Provenance;
use crate::report::sentences::{points, whole_percent};
use crate::report::stress::StressReport;
use crate::report::units::Unit;

/// What the report and `stress.svg` say of a stress under which no scheme
/// has a gap.
fn no_gap(name: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("“{name}”：各分担方案下均无缺口，没有承担方需要出资。"),
        Lang::En => format!("\"{name}\": no gap under any scheme; no payer pays anything."),
    }
}

/// The part of a stress run.
pub(crate) fn part(
    r: &StressReport,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> anyhow::Result<Part> {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let last = r.years[r.years.len() - 1];
    let money = |v: f64| grouped_decimal(unit.printed(v));
    let u = unit.label();
    let first = r.schemes.first().cloned().unwrap_or_default();
    let under: Vec<&PairResult> = r.pairs.iter().filter(|p| p.scheme == first).collect();
    let first_scheme = scheme_name(lang, &first);
    let mut headline = Vec::new();
    if let Some(worst) = under.iter().max_by(|a, b| {
        (a.gap_total_mean, a.gap_probability_any)
            .partial_cmp(&(b.gap_total_mean, b.gap_probability_any))
            .unwrap_or(std::cmp::Ordering::Equal)
    }) {
        let (lo, hi) = under.iter().fold((1.0f64, 0.0f64), |(lo, hi), p| {
            (lo.min(p.gap_probability_any), hi.max(p.gap_probability_any))
        });
        let province = &worst.payers[0];
        headline.push(match lang {
            _ if hi == 0.0 => match lang {
                Lang::Zh => format!(
                    "缺口分担（{first_scheme}）：在{}种情形下，到{last}年均没有一条路径出现缺口，各级财政无需补足。",
                    under.len()
                ),
                Lang::En => format!(
                    "Gap sharing ({first_scheme}): in none of the {} cases run does any path have a gap by {last}; no treasury has to pay.",
                    under.len()
                ),
            },
            Lang::Zh => format!(
                "缺口分担（{first_scheme}）：在{}种情形下，到{last}年出现缺口的概率为{}%至{}%；最严重的是“{}”，出现缺口的概率约为{}%（±{}个百分点），财政须补足的期望总额为{}{u}（95%分位{}{u}），其中省级财政承担{}{u}。",
                under.len(),
                whole_percent(lo),
                whole_percent(hi),
                stress_name(lang, &worst.stress),
                whole_percent(worst.gap_probability_any),
                points(worst.gap_probability_any_se),
                money(worst.gap_total_mean),
                money(worst.gap_total_p95),
                money(province.burden.mean),
            ),
            Lang::En => format!(
                "Gap sharing ({first_scheme}): over the {} cases run, the chance of a gap by {last} ranges from {} % to {} %; the worst is \"{}\", with a {} % chance (±{} points) and {} {u} for the treasuries to find on average (95th percentile {} {u}), of which the province pays {} {u}.",
                under.len(),
                whole_percent(lo),
                whole_percent(hi),
                stress_name(lang, &worst.stress),
                whole_percent(worst.gap_probability_any),
                points(worst.gap_probability_any_se),
                money(worst.gap_total_mean),
                money(worst.gap_total_p95),
                money(province.burden.mean),
            ),
        });
    }
    let mut blocks = vec![
        Block::Section {
            id: "stress".into(),
            title: t(
                "压力测试与缺口分担",
                "Stress tests and gap sharing (缺口分担)",
            ),
        },
        Block::Note(t(
            "缺口指某月基金余额低于下限、由各级财政补足的部分。各压力情景和分担方案在同一批路径上运行。",
            "A gap is a month whose balance falls below the floor and is lifted by the treasuries. Every stress and scheme runs on the same paths.",
        )),
        Block::Table(pairs_table(r, unit, lang)),
    ];
    let mut stresses: Vec<&str> = Vec::new();
    for p in &r.pairs {
        if !stresses.contains(&p.stress.as_str()) {
            stresses.push(&p.stress);
        }
    }
    for (i, stress) in stresses.iter().enumerate() {
        let pairs: Vec<&PairResult> = r.pairs.iter().filter(|p| p.stress == *stress).collect();
        let name = stress_name(lang, stress);
        let (svg, all_zero) = burden_chart(r, stress, provenance, unit, lang)?;
        if all_zero {
            blocks.push(Block::Note(no_gap(&name, lang)));
            continue;
        }
        blocks.push(Block::Figure {
            id: format!("stress-burden-{i}"),
            svg,
            caption: match lang {
                Lang::Zh => format!("“{name}”：预测期内各承担方累计负担的路径均值，每个分担方案一组柱。"),
                Lang::En => format!(
                    "\"{name}\": each payer's cumulative burden over the horizon, mean across paths, one bar per scheme."
                ),
            },
        });
        blocks.push(Block::Table(payers_table(&pairs, i, &name, unit, lang)));
    }
    Ok(Part { headline, blocks })
}

/// The burden chart of one stress in the report's language: each payer's
/// mean burden over the horizon under each scheme (net of money paid back
/// where a scheme pays back), one bar per scheme; and whether every bar is
/// 0. `stress.svg` is this chart for the last stress.
pub(crate) fn burden_chart(
    r: &StressReport,
    stress: &str,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> anyhow::Result<(String, bool)> {
    let pairs: Vec<&PairResult> = r.pairs.iter().filter(|p| p.stress == stress).collect();
    let payers: Vec<String> = pairs
        .first()
        .map(|p| {
            p.payers
                .iter()
                .map(|x| payer_name(lang, &x.payer))
                .collect()
        })
        .unwrap_or_default();
    let names: Vec<String> = pairs.iter().map(|p| scheme_name(lang, &p.scheme)).collect();
    let series: Vec<(&str, Vec<f64>)> = pairs
        .iter()
        .zip(&names)
        .map(|(p, name)| {
            (
                name.as_str(),
                p.payers.iter().map(|x| x.burden.mean).collect(),
            )
        })
        .collect();
    let pays_back = r
        .pairs
        .iter()
        .any(|p| p.payers.iter().any(|x| x.paid_back_mean.is_some()));
    let what = match (pays_back, lang) {
        (true, Lang::Zh) => "平均净负担（补足减返还）",
        (true, Lang::En) => "mean net burden (transfers less money paid back)",
        (false, Lang::Zh) => "平均缺口负担",
        (false, Lang::En) => "mean gap burden",
    };
    let name = stress_name(lang, stress);
    let (first, last) = (r.years[0], r.years[r.years.len() - 1]);
    let title = match lang {
        Lang::Zh => format!(
            "{}：“{name}”下各承担方的{what}（{first}–{last}）",
            r.run.identity.title
        ),
        Lang::En => format!(
            "{}: {what} by payer under \"{name}\" ({first}–{last})",
            r.run.identity.title
        ),
    };
    let all_zero = series.iter().all(|(_, v)| v.iter().all(|x| *x == 0.0));
    let svg = chart::burden(
        &title,
        provenance,
        unit,
        &payers,
        &series,
        &no_gap(&name, lang),
        lang,
    )?;
    Ok((svg, all_zero))
}

/// Every stress × scheme pair in one table.
fn pairs_table(r: &StressReport, unit: Unit, lang: Lang) -> Table {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let money = |v: f64| grouped_decimal(unit.printed(v));
    let rows = r
        .pairs
        .iter()
        .map(|p| {
            let top = p.payers[1..]
                .iter()
                .max_by(|a, b| a.burden.mean.total_cmp(&b.burden.mean))
                .filter(|c| c.burden.mean > 0.0);
            Row::body(vec![
                stress_name(lang, &p.stress),
                scheme_name(lang, &p.scheme),
                format!(
                    "{:.1} ± {:.1}",
                    p.gap_probability_any * 100.0,
                    p.gap_probability_any_se * 100.0
                ),
                format!("{:.1}", p.breach_probability_any * 100.0),
                money(p.gap_total_mean),
                money(p.gap_total_p95),
                money(p.payers[0].burden.mean),
                top.map_or_else(
                    || NO_VALUE.to_string(),
                    |c| format!("{} {}", c.payer, money(c.burden.mean)),
                ),
            ])
        })
        .collect();
    Table {
        id: "stress-pairs".into(),
        caption: t("各压力情景与分担方案", "Every stress and scheme"),
        unit: Some(format!("{}{}", t("单位：", "Unit: "), unit.label())),
        head: vec![
            t("压力情景", "Stress"),
            t("分担方案", "Scheme"),
            t("出现缺口 %", "P(any gap) %"),
            t("低于警戒线 %", "P(any breach) %"),
            t("缺口总额均值", "Gap money, mean"),
            t("缺口总额95%分位", "Gap money, 95th percentile"),
            t("省级财政负担", "The province's burden"),
            t("负担最重的城市", "The city that pays most"),
        ],
        numeric: vec![false, false, true, true, true, true, true, false],
        rows,
        foots: vec![],
        note: Some(t(
            "金额为预测期内累计数的路径均值；概率后为一个标准误。",
            "Amounts are totals over the horizon, means across paths; each gap probability is followed by one standard error.",
        )),
    }
}

/// One stress's burden by payer under every scheme.
fn payers_table(pairs: &[&PairResult], i: usize, name: &str, unit: Unit, lang: Lang) -> Table {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let money = |v: f64| grouped_decimal(unit.printed(v));
    let mut head = vec![t("承担方", "Payer")];
    for p in pairs {
        let name = scheme_name(lang, &p.scheme);
        head.push(match lang {
            Lang::Zh => format!("{name}：均值"),
            Lang::En => format!("{name}: mean"),
        });
        head.push(match lang {
            Lang::Zh => format!("{name}：最差单年"),
            Lang::En => format!("{name}: worst single year"),
        });
    }
    let rows = (0..pairs[0].payers.len())
        .map(|k| {
            let mut cells = vec![payer_name(lang, &pairs[0].payers[k].payer)];
            for p in pairs {
                cells.push(money(p.payers[k].burden.mean));
                cells.push(money(p.payers[k].burden.worst_year));
            }
            Row::body(cells)
        })
        .collect();
    let mut numeric = vec![false];
    numeric.extend(std::iter::repeat_n(true, 2 * pairs.len()));
    Table {
        id: format!("stress-payers-{i}"),
        caption: match lang {
            Lang::Zh => format!("“{name}”下各承担方的累计负担"),
            Lang::En => format!("Each payer's burden under \"{name}\""),
        },
        unit: Some(format!("{}{}", t("单位：", "Unit: "), unit.label())),
        head,
        rows,
        numeric,
        foots: vec![],
        note: None,
    }
}
