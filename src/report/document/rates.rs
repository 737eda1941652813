//! The rate schedules' part of a report: a sentence per schedule (its
//! chance of a breach, the paired difference from the baseline and what
//! employers pay), the probability per schedule with error bars, by year,
//! the premiums by class, and the tables behind them. The same results as
//! `rates.json`, rounded for reading.

use super::Part;
use crate::report::chart::{self, analyses};
use crate::report::format::{NO_VALUE, grouped_decimal, or_dash};
use crate::report::html::{Block, Footing, Row, Table};
use crate::report::labels::{Lang, schedule_description, schedule_name};
use crate::report::provenance::Provenance;
use crate::report::rates::RatesReport;
use crate::report::sentences::{self, ScheduleOutcome};
use crate::report::units::{Unit, largest_remainder};
use rust_decimal::Decimal;

/// The part of a rates run.
pub(crate) fn part(
    r: &RatesReport,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> anyhow::Result<Part> {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let last = r.years[r.years.len() - 1];
    let rule = r.reserve_rule_months;
    let premiums = premiums_table(r, unit, lang);
    let totals = premiums_totals(r, unit);
    let headline: Vec<String> = r
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let against = (i > 0).then(|| {
                (
                    c.difference_any.difference,
                    c.difference_any.se,
                    totals[i] - totals[0],
                    c.premiums_change_pct,
                )
            });
            sentences::schedule_headline(
                &ScheduleOutcome {
                    name: &schedule_name(lang, &c.name),
                    any: c.breach_probability_any,
                    se: c.breach_probability_any_se,
                    against,
                },
                last,
                rule,
                unit,
                lang,
            )
        })
        .collect();
    let sub = |u: &str| chart::subtitle(provenance, u, lang);
    let names: Vec<String> = r
        .candidates
        .iter()
        .map(|c| schedule_name(lang, &c.name))
        .collect();
    let by_schedule = analyses::probabilities(
        &match lang {
            Lang::Zh => format!(
                "{}：到{last}年至少一次低于警戒线的概率，按费率方案",
                r.run.identity.title
            ),
            Lang::En => format!(
                "{}: probability of at least one breach by {last}, by schedule",
                r.run.identity.title
            ),
        },
        &sub(lang.pick("路径占比 %", "% of paths")),
        lang.pick("路径占比 %", "% of paths"),
        lang.pick("±2个标准误", "±2 standard errors"),
        &r.candidates
            .iter()
            .zip(&names)
            .map(|(c, name)| analyses::Bar {
                label: name,
                p: c.breach_probability_any,
                se: c.breach_probability_any_se,
            })
            .collect::<Vec<_>>(),
    )?;
    let by_class = chart::bars(
        &match lang {
            Lang::Zh => format!("{}：各行业类别年均保险费，按费率方案", r.run.identity.title),
            Lang::En => format!(
                "{}: employers' premiums a year by risk class, by schedule",
                r.run.identity.title
            ),
        },
        &sub(unit.label()),
        unit,
        &r.classes,
        &r.candidates
            .iter()
            .zip(&names)
            .map(|(c, name)| (name.as_str(), c.premiums_by_class.clone()))
            .collect::<Vec<_>>(),
        lang.pick("各方案下保险费均为零", "no schedule collects any premium"),
    )?;
    let mut blocks = vec![
        Block::Section {
            id: "rates".into(),
            title: t("费率方案比较", "Rate schedules (费率方案)"),
        },
        Block::Note(t(
            "各方案在同一批路径上运行，差异为配对差异，其标准误由逐路径差值计算。",
            "Every schedule runs on the same paths, so the differences are paired; their standard errors come from the per-path differences.",
        )),
        Block::Figure {
            id: "rates-any-breach".into(),
            svg: by_schedule,
            caption: match lang {
                Lang::Zh => format!(
                    "各方案到{last}年至少一次低于{rule}个月警戒线的概率；误差线为±2个标准误。"
                ),
                Lang::En => format!(
                    "Each schedule's chance of at least one December below {rule} months by {last}; error bars are ±2 standard errors."
                ),
            },
        },
        Block::Figure {
            id: "rates-by-year".into(),
            svg: by_year_chart(r, provenance, lang)?,
            caption: t(
                "各方案每年12月低于警戒线的概率。",
                "Each schedule's chance of a December below the rule, by year.",
            ),
        },
        Block::Figure {
            id: "rates-premiums".into(),
            svg: by_class,
            caption: match lang {
                Lang::Zh => format!(
                    "{}–{last}年各行业类别年均保险费（各路径均值）。",
                    r.years[0]
                ),
                Lang::En => format!(
                    "Employers' premiums a year by risk class over {}–{last} (means across paths).",
                    r.years[0]
                ),
            },
        },
        Block::Table(candidates_table(r, &totals, unit, lang)),
        Block::Table(premiums),
        Block::Table(indicated_table(r, lang)),
    ];
    if let Some(s) = &r.solve {
        blocks.push(Block::Note(match lang {
            Lang::Zh => format!(
                "求解：使到{last}年至少一次低于警戒线的概率不超过{:.1}%的最小{}为{:.3}（实际{:.1}% ± {:.1}）。",
                s.target * 100.0,
                if s.by == "class" { "指示费率倍数" } else { "基准费率统一倍数" },
                s.multiplier,
                s.achieved * 100.0,
                s.achieved_se * 100.0
            ),
            Lang::En => format!(
                "The solver: the smallest {} that keeps the chance of a breach by {last} at or under {:.1} % is {:.3} (achieved {:.1} % ± {:.1}).",
                if s.by == "class" { "multiple of the indicated rates" } else { "uniform multiplier on the benchmark rates" },
                s.target * 100.0,
                s.multiplier,
                s.achieved * 100.0,
                s.achieved_se * 100.0
            ),
        }));
    }
    Ok(Part { headline, blocks })
}

/// The chart of each schedule's chance of a December below the rule, by
/// year: a figure of the report and `rates.svg`.
pub(crate) fn by_year_chart(
    r: &RatesReport,
    provenance: &Provenance,
    lang: Lang,
) -> anyhow::Result<String> {
    let names: Vec<String> = r
        .candidates
        .iter()
        .map(|c| schedule_name(lang, &c.name))
        .collect();
    let by_year: Vec<(&str, &[f64])> = r
        .candidates
        .iter()
        .zip(&names)
        .map(|(c, name)| (name.as_str(), c.breach_probability.as_slice()))
        .collect();
    chart::rates(
        r.run.identity.title,
        provenance,
        r.reserve_rule_months,
        &r.years,
        r.run.paths,
        &by_year,
        lang,
    )
}

/// Each schedule's premiums by class, rounded by largest remainder to
/// their rounded total; the total last.
fn premiums_rounded(by_class: &[f64], unit: Unit) -> (Vec<Decimal>, Decimal) {
    let parts: Vec<Decimal> = by_class.iter().map(|v| unit.convert(*v)).collect();
    let (rounded, total) = largest_remainder(&parts, unit);
    (
        rounded.into_iter().map(|d| unit.fixed(d)).collect(),
        unit.fixed(total),
    )
}

/// Each schedule's printed total premiums a year.
fn premiums_totals(r: &RatesReport, unit: Unit) -> Vec<Decimal> {
    r.candidates
        .iter()
        .map(|c| premiums_rounded(&c.premiums_by_class, unit).1)
        .collect()
}

/// The schedules side by side.
fn candidates_table(r: &RatesReport, totals: &[Decimal], unit: Unit, lang: Lang) -> Table {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let last = r.years[r.years.len() - 1];
    let rows = r
        .candidates
        .iter()
        .zip(totals)
        .enumerate()
        .map(|(i, (c, total))| {
            Row::body(vec![
                schedule_name(lang, &c.name),
                schedule_description(lang, &c.name, &c.description),
                format!(
                    "{:.1} ± {:.1}",
                    c.breach_probability_any * 100.0,
                    c.breach_probability_any_se * 100.0
                ),
                if i == 0 {
                    NO_VALUE.into()
                } else {
                    format!(
                        "{:+.1} ± {:.1}",
                        c.difference_any.difference * 100.0,
                        c.difference_any.se * 100.0
                    )
                },
                grouped_decimal(*total),
                or_dash(c.lowest_reserve_months_mean, |v| format!("{v:.1}")),
                or_dash(c.lowest_reserve_months_p5, |v| format!("{v:.1}")),
            ])
        })
        .collect();
    Table {
        id: "rates-candidates".into(),
        caption: t("各费率方案的结果", "The schedules compared"),
        unit: None,
        head: vec![
            t("方案", "Schedule"),
            t("说明", "What it does"),
            match lang {
                Lang::Zh => format!("到{last}年至少一次低于警戒线 %"),
                Lang::En => format!("P(any breach by {last}) %"),
            },
            t(
                "较基线（百分点，配对）",
                "Against the baseline (points, paired)",
            ),
            match lang {
                Lang::Zh => format!("年均保险费（{}）", unit.label()),
                Lang::En => format!("Premiums a year ({})", unit.label()),
            },
            t("最低可支付月数均值", "Lowest months of reserve, mean"),
            t(
                "最低可支付月数 5%分位",
                "Lowest months of reserve, 5th percentile",
            ),
        ],
        numeric: vec![false, false, true, true, true, true, true],
        rows,
        foots: vec![],
        note: Some(t(
            "概率后为一个标准误；“较基线”为同一路径上的配对差异及其标准误。",
            "Each probability is followed by one standard error; the difference from the baseline is paired on the same paths, with its standard error.",
        )),
    }
}

/// Premiums by class under each schedule, and each candidate's change
/// against the baseline; foots down (the total row) and across (each
/// change is its schedule less the baseline).
fn premiums_table(r: &RatesReport, unit: Unit, lang: Lang) -> Table {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let columns: Vec<(Vec<Decimal>, Decimal)> = r
        .candidates
        .iter()
        .map(|c| premiums_rounded(&c.premiums_by_class, unit))
        .collect();
    let n = r.candidates.len();
    let row = |cells: Vec<Decimal>, label: String| {
        let mut out = vec![label];
        out.extend(cells.iter().map(|d| grouped_decimal(*d)));
        for c in 1..n {
            out.push(grouped_decimal(unit.fixed(cells[c] - cells[0])));
        }
        out
    };
    let mut rows: Vec<Row> = r
        .classes
        .iter()
        .enumerate()
        .map(|(k, class)| Row::body(row(columns.iter().map(|c| c.0[k]).collect(), class.clone())))
        .collect();
    rows.push(Row {
        cells: row(columns.iter().map(|c| c.1).collect(), t("合计", "Total")),
        total: true,
    });
    let mut head = vec![t("行业类别", "Risk class")];
    head.extend(r.candidates.iter().map(|c| schedule_name(lang, &c.name)));
    let base = schedule_name(lang, &r.candidates[0].name);
    for c in r.candidates.iter().skip(1) {
        head.push(match lang {
            Lang::Zh => format!("{}较{base}", c.name),
            Lang::En => format!("{} less {base}", c.name),
        });
    }
    let mut foots = vec![Footing::Rows {
        columns: (1..2 * n).collect(),
        result: r.classes.len(),
        plus: (0..r.classes.len()).collect(),
        minus: vec![],
    }];
    for c in 1..n {
        foots.push(Footing::Columns {
            result: n + c,
            plus: vec![1 + c],
            minus: vec![1],
        });
    }
    let mut numeric = vec![false];
    numeric.extend(std::iter::repeat_n(true, 2 * n - 1));
    Table {
        id: "rates-premiums".into(),
        caption: match lang {
            Lang::Zh => format!(
                "{}–{}年各行业类别年均保险费",
                r.years[0],
                r.years[r.years.len() - 1]
            ),
            Lang::En => format!(
                "Employers' premiums a year by risk class, {}–{}",
                r.years[0],
                r.years[r.years.len() - 1]
            ),
        },
        unit: Some(format!("{}{}", t("单位：", "Unit: "), unit.label())),
        head,
        rows,
        numeric,
        foots,
        note: Some(t(
            "各路径均值；各类别按最大余数法取整，使其合计等于总额取整。",
            "Means across paths; the classes are rounded by largest remainder so that they add up to the rounded total.",
        )),
    }
}

/// The break-even (indicated) rates by class.
fn indicated_table(r: &RatesReport, lang: Lang) -> Table {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let pct = |v: f64| format!("{:.3}", v * 100.0);
    let unpaid = r.a_class_without_payroll();
    Table {
        id: "rates-indicated".into(),
        caption: t(
            "以支定收：各行业类别的指示费率",
            "Indicated rates by risk class (以支定收)",
        ),
        unit: Some(t("单位：工资总额的 %", "Unit: % of payroll")),
        head: vec![
            t("行业类别", "Risk class"),
            t("基准费率", "Benchmark rate"),
            match lang {
                Lang::Zh => format!("{}年实收费率", r.years[0]),
                Lang::En => format!("Collected in {}", r.years[0]),
            },
            t("指示费率", "Indicated rate"),
        ],
        numeric: vec![false, true, true, true],
        rows: r
            .indicated_rates
            .iter()
            .map(|i| {
                Row::body(vec![
                    i.class.clone(),
                    pct(i.benchmark),
                    or_dash(i.collected, pct),
                    or_dash(i.indicated, pct),
                ])
            })
            .collect(),
        foots: vec![],
        note: Some(match lang {
            Lang::Zh => format!(
                "指示费率为该类别预测期内案件及存量待遇的期望支出除以期望工资总额；省级支出（预防费、其他支出）另占工资总额的{:.3}%。{}",
                r.provincial_loading * 100.0,
                if unpaid {
                    "无工资总额的类别没有费率可算，记为“—”。"
                } else {
                    ""
                }
            ),
            Lang::En => format!(
                "The indicated rate is the class's expected cost of cases and stocks over the horizon divided by its expected payroll; the provincial lines (prevention, other expenditure) add {:.3} % of payroll on top.{}",
                r.provincial_loading * 100.0,
                if unpaid {
                    " A class without payroll has no rate to compute: \"—\"."
                } else {
                    ""
                }
            ),
        }),
    }
}
