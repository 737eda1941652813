//! The back-test's part of a report: the verdict as the headline, how the
//! test was made, the coverage by measure (which foots to its total row),
//! each measure's fan with what was observed over it, every value placed,
//! and what each origin's calibration kept from the base. The same results
//! as `backtest.json`, rounded for reading.

use super::Part;
use crate::analysis::backtest::Measure;
use crate::report::backtest::{BacktestReport, charts, few_drivers, shown, value};
use crate::report::html::{Block, Footing, Row, Table};
use crate::report::labels::{self, Lang};
use crate::report::sentences::backtest_verdict;

/// The part of a back-test.
pub(crate) fn part(r: &BacktestReport) -> anyhow::Result<Part> {
    let lang = r.lang;
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let origins = origin_years(r);
    let mut blocks = vec![
        Block::Section {
            id: "backtest".into(),
            title: t("回溯检验", "Back-test (回溯检验)"),
        },
        Block::Note(match lang {
            Lang::Zh => format!(
                "以{}中起点年（{origins}）及以前的历史数据校准情景，从起点年的实际状态出发，用{}条路径（随机种子{}）预测其后各年，再看每个实际值落在预测分布中的位置。PIT为低于实际值的路径比例：预测可信时，PIT在0与1之间均匀分布、均值约0.5，约90%的实际值落在90%区间内。",
                r.history, r.paths, r.seed
            ),
            Lang::En => format!(
                "The scenario is calibrated on the years of {} up to each origin ({origins}) and projected with {} paths (seed {}) from the state observed there; each later observed value is then placed in its simulated distribution. The PIT is the share of paths below the observed value: when the fans are honest, PITs spread evenly between 0 and 1 with a mean near 0.5, and about 90 % of the values fall inside the 90 % bands.",
                r.history, r.paths, r.seed
            ),
        }),
        Block::Table(coverage(r)),
    ];
    let charts = charts(r)?;
    for measure in Measure::ALL {
        if let Some(i) = r.fans.iter().position(|f| f.measure == measure) {
            blocks.push(charts[i].figure());
        }
        if r.placements.iter().any(|p| p.measure == measure) {
            blocks.push(Block::Table(placed(r, measure)));
        }
    }
    blocks.push(Block::Table(kept(r)));
    Ok(Part {
        headline: backtest_verdict(
            &r.coverage,
            r.origins.len(),
            r.rate_move.as_ref(),
            &few_drivers(&r.origins),
            lang,
        ),
        blocks,
    })
}

/// The origins, listed in the report's language (`2018、2019`).
fn origin_years(r: &BacktestReport) -> String {
    let years: Vec<String> = r.origins.iter().map(|o| o.origin.to_string()).collect();
    years.join(r.lang.pick("、", ", "))
}

/// The page's subtitle: the history, the years placed, the origins.
pub(crate) fn subtitle(r: &BacktestReport) -> String {
    let years = r.placements.iter().map(|p| p.year);
    let (from, to) = (years.clone().min().unwrap_or(0), years.max().unwrap_or(0));
    let origins = origin_years(r);
    match r.lang {
        Lang::Zh => format!("历史数据{}，检验{from}–{to}年，起点{origins}", r.history),
        Lang::En => format!(
            "History {}, years {from}–{to} placed, origin{} {origins}",
            r.history,
            if r.origins.len() == 1 { "" } else { "s" },
        ),
    }
}

/// The coverage by measure; its last row, all measures together, is the
/// sum of the others in every count column.
fn coverage(r: &BacktestReport) -> Table {
    let lang = r.lang;
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let rows: Vec<Row> = r
        .coverage
        .iter()
        .map(|c| Row {
            cells: vec![
                c.measure.map_or_else(
                    || labels::Label::Total.text(lang).to_string(),
                    |m| labels::backtest_measure(lang, m).0.to_string(),
                ),
                c.n.to_string(),
                c.in_90.to_string(),
                format!("{}–{}", c.expected_in_90.0, c.expected_in_90.1),
                c.in_50.to_string(),
                c.above_median.to_string(),
                format!("{:.2}", c.mean_pit),
            ],
            total: c.measure.is_none(),
        })
        .collect();
    let last = rows.len().saturating_sub(1);
    Table {
        id: "backtest-coverage".into(),
        caption: t("预测区间的覆盖情况", "Coverage of the bands"),
        unit: None,
        head: vec![
            t("指标", "Measure"),
            t("实际值个数", "Values"),
            t("落在90%区间内", "Inside the 90 % band"),
            t(
                "可信区间应覆盖（95%概率）",
                "Honest 90 % bands (95 % interval)",
            ),
            t("落在50%区间内", "Inside the 50 % band"),
            t("高于中位数", "Above the median"),
            t("PIT均值", "Mean PIT"),
        ],
        numeric: vec![false, true, true, true, true, true, true],
        foots: vec![Footing::Rows {
            columns: vec![1, 2, 4, 5],
            result: last,
            plus: (0..last).collect(),
            minus: vec![],
        }],
        rows,
        note: Some(t(
            "“可信区间应覆盖”为预测区间可信时，90%区间以95%的概率覆盖的实际值个数（二项分布）。",
            "An honest 90 % band holds each value with probability 0.9; the interval is where the count inside falls with 95 % probability (binomial).",
        )),
    }
}

/// Every observed value of one measure placed: its fan's 5 %, median and
/// 95 %, its PIT.
fn placed(r: &BacktestReport, measure: Measure) -> Table {
    let lang = r.lang;
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let v = |x: f64| value(measure, r.unit, x);
    let rows = r
        .placements
        .iter()
        .filter(|p| p.measure == measure)
        .map(|p| {
            Row::body(vec![
                p.origin.to_string(),
                p.year.to_string(),
                v(p.observed),
                v(p.quantiles[0]),
                v(p.quantiles[2]),
                v(p.quantiles[4]),
                format!("{:.3}", p.pit),
                if p.in_90 {
                    labels::Label::Yes.text(lang).to_string()
                } else {
                    t("否", "no")
                },
            ])
        })
        .collect();
    let name = labels::backtest_measure(lang, measure).0;
    Table {
        id: format!("backtest-{}", measure.name().replace('_', "-")),
        caption: match lang {
            Lang::Zh => format!("{name}：各年实际值在预测分布中的位置"),
            Lang::En => format!("{name}: each observed value in its simulated distribution"),
        },
        unit: Some(format!(
            "{}{}",
            t("单位：", "Unit: "),
            shown(measure, r.unit, lang)
        )),
        head: vec![
            t("起点", "Origin"),
            t("年份", "Year"),
            t("实际值", "Observed"),
            "5%".into(),
            t("中位数", "Median"),
            "95%".into(),
            "PIT".into(),
            t("在90%区间内", "Inside 90 %"),
        ],
        numeric: vec![false, false, true, true, true, true, true, false],
        rows,
        foots: vec![],
        note: None,
    }
}

/// What each origin's calibration fitted and kept from the base scenario.
fn kept(r: &BacktestReport) -> Table {
    let lang = r.lang;
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let rows = r
        .origins
        .iter()
        .map(|o| {
            let kept = if o.kept.is_empty() {
                t("无", "nothing")
            } else {
                o.kept
                    .iter()
                    .map(|k| match lang {
                        Lang::Zh => k.what.clone(),
                        Lang::En => format!("{} ({})", k.what, k.reason),
                    })
                    .collect::<Vec<_>>()
                    .join(lang.pick("；", "; "))
            };
            Row::body(vec![
                o.origin.to_string(),
                format!(
                    "{} / {}",
                    o.drivers_fitted,
                    crate::model::scenario::DRIVER_NAMES.len()
                ),
                kept,
            ])
        })
        .collect();
    Table {
        id: "backtest-kept".into(),
        caption: t(
            "各起点校准中拟合的驱动因素和沿用基础情景的参数",
            "What each origin's calibration fitted and kept from the base",
        ),
        unit: None,
        head: vec![
            t("起点", "Origin"),
            t("拟合的驱动因素", "Drivers fitted"),
            t("沿用基础情景取值的参数", "Kept from the base"),
        ],
        numeric: vec![false, true, false],
        rows,
        foots: vec![],
        note: r.origins.iter().any(|o| !o.kept.is_empty()).then(|| {
            t(
                "参数按情景文件中的字段名列出；沿用的原因见backtest.md（英文）。",
                "Fields are named as in the scenario file.",
            )
        }),
    }
}
