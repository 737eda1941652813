//! The projection's part of a report: the headline sentences with their
//! standard errors, the charts, the yearly projection (footed in the
//! report's unit), the assumptions that drive it with their sources and the
//! first-year calibration check. The same results as `summary.json` and
//! `yearly.csv`, rounded for reading.

use super::Part;
use crate::analysis::projection::Projection;
use crate::model::lines::{Line, LineValues, N_LINES};
use crate::model::scenario::{SOURCED_FIELDS, Scenario};
use crate::report::budget::Column;
use crate::report::chart;
use crate::report::format::{NO_VALUE, grouped_decimal};
use crate::report::html::{Block, Footing, Row, Table};
use crate::report::labels::{self, Lang};
use crate::report::provenance::Provenance;
use crate::report::sentences;
use crate::report::units::Unit;
use crate::stats::estimate::proportion_se;
use crate::stats::results::YearResult;

/// Index of the 5th and 90th percentiles in a distribution's quantiles.
const P5: usize = 0;
const P90: usize = 5;

/// The projection's part of a report: its headline sentences, the charts
/// (Monte Carlo), the yearly table, the assumptions and the calibration
/// check.
pub(crate) fn part(
    p: &Projection,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> anyhow::Result<Part> {
    let s = p.scenario;
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let mut blocks = Vec::new();
    if let Some(set) = p.paths {
        blocks.push(Block::Note(sentences::sampling_note(set.paths(), lang)));
        blocks.push(Block::Section {
            id: "charts".into(),
            title: t("预测图", "Charts"),
        });
        for c in chart::projection(p, provenance, unit, lang)? {
            blocks.push(c.figure());
        }
    }
    blocks.push(Block::Section {
        id: "projection".into(),
        title: t("分年度预测", "The projection by year"),
    });
    blocks.push(Block::Table(yearly_table(p, unit, lang)));
    blocks.push(Block::Section {
        id: "assumptions".into(),
        title: t("主要假设", "Assumptions"),
    });
    blocks.push(Block::Table(assumptions_table(s, unit, lang)));
    if !p.calibration.is_empty() {
        blocks.push(Block::Table(calibration_table(p, unit, lang)));
    }
    Ok(Part {
        headline: headline(p, unit, lang),
        blocks,
    })
}

/// The headline sentences: breach, balance, rate policy.
fn headline(p: &Projection, unit: Unit, lang: Lang) -> Vec<String> {
    let s = p.scenario;
    let h = p.headline();
    let last = &p.years[p.years.len() - 1];
    let mc = p.paths.is_some();
    let balance = &last.lines[Line::ClosingBalance.index()];
    let multiplier = &last.lines[Line::RateMultiplier.index()];
    vec![
        sentences::breach_headline(&h, s.law.reserve_rule_months, lang),
        sentences::balance_headline(
            h.last_year,
            unit.printed(balance.mean),
            mc.then(|| unit.printed(balance.quantiles[P5])),
            unit,
            lang,
        ),
        // today's rates are the benchmark times the multiplier in force at
        // the start (above 1 after a history's rises)
        sentences::rate_headline(
            h.last_year,
            multiplier.mean / s.fund.initial_multiplier,
            p.paths.map(|set| {
                set.share_above(
                    p.years.len() - 1,
                    Line::RateMultiplier,
                    s.fund.initial_multiplier,
                )
            }),
            mc.then_some(multiplier.quantiles[P90] / s.fund.initial_multiplier),
            lang,
        ),
    ]
}

/// The mean of every line of a year.
fn means(y: &YearResult) -> LineValues {
    let mut v = [0.0; N_LINES];
    for (out, d) in v.iter_mut().zip(&y.lines) {
        *out = d.mean;
    }
    v
}

/// The projection by year: income, expenditure, surplus, opening and
/// closing balance in the unit (footed as the budget is: the totals are
/// rounded, the surplus is their difference and the closing balance the
/// rounded opening plus the surplus), the months of reserve and the
/// probability of a December below the rule.
fn yearly_table(p: &Projection, unit: Unit, lang: Lang) -> Table {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let mc = p.paths.is_some();
    let n = p.paths.map_or(1, crate::stats::paths::PathSet::paths);
    let mut opening = p.scenario.fund.opening_balance;
    let mut rows = Vec::new();
    for y in &p.years {
        let col = Column::foot(&means(y), opening, unit);
        opening = y.mean(Line::ClosingBalance);
        let r = y.mean(Line::ReserveMonths);
        let b = y.breach_probability;
        rows.push(Row::body(vec![
            y.year.to_string(),
            grouped_decimal(col.get(Line::IncomeTotal)),
            grouped_decimal(col.get(Line::ExpenditureTotal)),
            grouped_decimal(col.get(Line::Surplus)),
            grouped_decimal(col.opening),
            grouped_decimal(col.get(Line::ClosingBalance)),
            if r.is_finite() {
                format!("{r:.1}")
            } else {
                NO_VALUE.into()
            },
            if mc {
                format!("{:.1} ± {:.1}", b * 100.0, proportion_se(b, n) * 100.0)
            } else if b >= 0.5 {
                t("是", "yes")
            } else {
                t("否", "no")
            },
        ]));
    }
    let breach = if mc {
        t("低于警戒线概率 %", "P(below the rule) %")
    } else {
        t("低于警戒线", "Below the rule")
    };
    Table {
        id: "yearly".into(),
        caption: t(
            "分年度收支及滚存结余",
            "Income, expenditure and balance by year",
        ),
        unit: Some(format!("{}{}", t("单位：", "Unit: "), unit.label())),
        head: vec![
            t("年份", "Year"),
            t("收入合计", "Total income (收入合计)"),
            t("支出合计", "Total expenditure (支出合计)"),
            t("本年收支结余", "Surplus (本年收支结余)"),
            t("年初滚存结余", "Opening balance (年初滚存结余)"),
            t("年末滚存结余", "Closing balance (年末滚存结余)"),
            t("可支付月数", "Months of reserve"),
            breach,
        ],
        numeric: vec![false, true, true, true, true, true, true, true],
        rows,
        foots: vec![
            Footing::Columns {
                result: 3,
                plus: vec![1],
                minus: vec![2],
            },
            Footing::Columns {
                result: 5,
                plus: vec![4, 3],
                minus: vec![],
            },
        ],
        note: Some(if mc {
            t(
                "各路径均值。年初滚存结余为上年末均值单独取整，可能与上一行年末数相差末位一个单位；每行自身收支平衡。概率后为一个标准误。",
                "Means across paths. Each year's opening balance is the previous December's mean rounded on its own, so it may differ from the row above by one unit of the last digit; each row foots. The probability is followed by one standard error.",
            )
        } else {
            t(
                "期望值路径。年初滚存结余为上年末数单独取整，可能与上一行年末数相差末位一个单位；每行自身收支平衡。",
                "The expected-value path. Each year's opening balance is the previous December's rounded on its own, so it may differ from the row above by one unit of the last digit; each row foots.",
            )
        }),
    }
}

/// A rate as a percentage with two decimals.
fn pct(v: f64) -> String {
    format!("{:.2} %", v * 100.0)
}

/// The assumptions that drive the result, each with its source: the
/// scenario's `[sources]` entry for the field, or "illustrative assumption".
fn assumptions_table(s: &Scenario, unit: Unit, lang: Lang) -> Table {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let d = &s.drivers;
    let driver = |x: &crate::model::scenario::Driver| {
        format!(
            "{} {} {}, {} {:.2}",
            t("均值", "mean"),
            pct(x.mean),
            match lang {
                Lang::Zh => format!("标准差 {}", pct(x.sd)),
                Lang::En => format!("sd {}", pct(x.sd)),
            },
            t("持续性", "persistence"),
            x.persistence
        )
    };
    let money = |v: f64| format!("{} {}", grouped_decimal(unit.printed(v)), unit.label());
    let rows: Vec<(&str, String, String)> = SOURCED_FIELDS
        .iter()
        .map(|field| {
            let (label, value) = match *field {
                "drivers.wage_growth" => (t("工资增长率", "Wage growth"), driver(&d.wage_growth)),
                "drivers.employment_growth" => (
                    t("参保人数增长率", "Employment growth"),
                    driver(&d.employment_growth),
                ),
                "drivers.interest_rate" => (
                    t("基金利率", "Interest on the balance"),
                    driver(&d.interest_rate),
                ),
                "drivers.medical_inflation" => (
                    t("医疗费用增长率", "Medical inflation"),
                    driver(&d.medical_inflation),
                ),
                "drivers.claim_intensity" => (
                    t("事故频率波动（对数）", "Claim frequency (log intensity)"),
                    driver(&d.claim_intensity),
                ),
                "drivers.disposable_income_growth" => (
                    t("人均可支配收入增长率", "Disposable-income growth"),
                    driver(&d.disposable_income_growth),
                ),
                "economy.average_monthly_wage" => (
                    t("社会平均工资（月）", "Average monthly wage"),
                    format!(
                        "{} 元",
                        grouped_decimal(Unit::Yuan.printed(s.economy.average_monthly_wage))
                    ),
                ),
                "fund.opening_balance" => (
                    t("年初滚存结余", "Opening balance"),
                    money(s.fund.opening_balance),
                ),
                _ => (
                    t(
                        "警戒线（可支付月数）",
                        "The reserve rule (months of payments)",
                    ),
                    format!("{}", s.law.reserve_rule_months),
                ),
            };
            (*field, label, value)
        })
        .collect();
    let illustrative = t("示意性假设", "illustrative assumption");
    Table {
        id: "assumptions".into(),
        caption: t(
            "驱动结果的主要假设",
            "The assumptions that drive the result",
        ),
        unit: None,
        head: vec![
            t("假设", "Assumption"),
            t("情景字段", "Scenario field"),
            t("取值", "Value"),
            t("来源", "Source"),
        ],
        numeric: vec![false, false, false, false],
        rows: rows
            .into_iter()
            .map(|(field, label, value)| {
                let source = s
                    .sources
                    .get(field)
                    .cloned()
                    .unwrap_or_else(|| illustrative.clone());
                Row::body(vec![label, field.to_string(), value, source])
            })
            .collect(),
        foots: vec![],
        note: None,
    }
}

/// The first-year calibration check.
fn calibration_table(p: &Projection, unit: Unit, lang: Lang) -> Table {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    Table {
        id: "calibration".into(),
        caption: t(
            "首年校准检验（期望值路径）",
            "First-year calibration check (expected-value path)",
        ),
        unit: None,
        head: vec![
            t("目标", "Target"),
            t("目标值", "Target value"),
            t("模型值", "Model value"),
            t("相对误差", "Relative error"),
            t("是否在容差内", "Within tolerance"),
        ],
        numeric: vec![false, true, true, true, false],
        rows: p
            .calibration
            .iter()
            .map(|r| {
                let (name, money) = labels::calibration_target(lang, r.target);
                // money in the report's unit, counts whole, shares to 4 decimals
                let shown = |v: f64| {
                    if money {
                        grouped_decimal(unit.printed(v))
                    } else {
                        crate::report::format::target_figure(v)
                    }
                };
                Row::body(vec![
                    if money {
                        format!("{name} ({})", unit.label())
                    } else {
                        name.to_string()
                    },
                    shown(r.target_value),
                    shown(r.model_value),
                    format!("{:+.1} %", r.relative_error * 100.0),
                    if r.within_tolerance {
                        t("是", "yes")
                    } else {
                        t("否", "no")
                    },
                ])
            })
            .collect(),
        foots: vec![],
        note: p.scenario.calibration.as_ref().map(|c| {
            let tol = crate::report::format::grouped(c.tolerance * 100.0, 1);
            match lang {
                Lang::Zh => format!("容差为±{tol}%（情景文件的 calibration.tolerance）。"),
                Lang::En => format!(
                    "The tolerance is ±{tol} % (calibration.tolerance in the scenario file)."
                ),
            }
        }),
    }
}
