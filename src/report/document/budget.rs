//! The budget draft's part of a report: a sentence on next year's totals
//! and range, the province's table (预算数, the low and high cases, last
//! year and the change) and the table by city, with the same rounded
//! numbers as `budget.csv`, declared footings and all.

use super::Part;
use crate::model::lines::{Group, Line};
use crate::report::budget::{Column, INCOME_PARTS, Tables, change_text};
use crate::report::format::{NO_VALUE, grouped_decimal};
use crate::report::html::{Block, Footing, Row, Table};
use crate::report::labels::{self, Label, Lang};
use rust_decimal::Decimal;

/// The part of a budget draft.
pub(crate) fn part(b: &Tables, lang: Lang) -> Part {
    let u = b.unit.label();
    let g = |l: Line| grouped_decimal(b.budget.get(l));
    let months = b.reserve_months[0].map_or_else(|| NO_VALUE.to_string(), |m| m.to_string());
    let range = |l: Line| {
        (
            grouped_decimal(b.low.get(l)),
            grouped_decimal(b.high.get(l)),
        )
    };
    // the cases are ranked by the year's surplus, so the surplus is what
    // runs from low to high; expenditure is highest in the low case
    let (e_low, e_high) = range(Line::ExpenditureTotal);
    let (s_low, s_high) = range(Line::Surplus);
    let headline = vec![match lang {
        Lang::Zh => format!(
            "{}年预算草案：收入合计{}{u}，支出合计{}{u}，本年收支结余{}{u}（低情景{s_low}至高情景{s_high}{u}，两情景支出分别为{e_low}和{e_high}{u}）；年末滚存结余{}{u}，可支付{months}个月。",
            b.year,
            g(Line::IncomeTotal),
            g(Line::ExpenditureTotal),
            g(Line::Surplus),
            g(Line::ClosingBalance),
        ),
        Lang::En => format!(
            "The {} budget draft: total income {} {u}, total expenditure {} {u}, a surplus of {} {u} (low case {s_low} to high case {s_high} {u}, with expenditure of {e_low} and {e_high} {u} in those cases); the year-end balance is {} {u}, {months} months of payments.",
            b.year,
            g(Line::IncomeTotal),
            g(Line::ExpenditureTotal),
            g(Line::Surplus),
            g(Line::ClosingBalance),
        ),
    }];
    let blocks = vec![
        Block::Section {
            id: "budget".into(),
            title: match lang {
                Lang::Zh => format!("{}年基金预算草案", b.year),
                Lang::En => format!("The {} fund budget draft (基金预算草案)", b.year),
            },
        },
        Block::Note(match lang {
            Lang::Zh => format!(
                "预算数为{}条路径的均值；低、高情景为当年收支结余位于第5至第15、第85至第95百分位的路径的均值（以第10和第90百分位为中心，各自收支平衡）；各列按最大余数法取整，逐行合计一致。",
                b.paths
            ),
            Lang::En => format!(
                "The budget is the mean of {} paths; the low and high cases are the means of the paths whose surplus for the year lies between the 5th and 15th, and the 85th and 95th percentiles (centred on the 10th and 90th, each of them balanced); each column is rounded by largest remainder so that it foots.",
                b.paths
            ),
        }),
        Block::Table(province_table(b, lang)),
        Block::Table(city_table(b, lang)),
    ];
    Part { headline, blocks }
}

/// The province's table, as `budget.csv`'s `province` rows.
fn province_table(b: &Tables, lang: Lang) -> Table {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let last_label = if b.last_is_projection {
        Label::LastProjected
    } else {
        Label::LastExecuted
    };
    let mut rows: Vec<Row> = b
        .rows
        .iter()
        .map(|line| {
            let l = *line;
            Row {
                cells: vec![
                    labels::line(lang, l),
                    grouped_decimal(b.budget.get(l)),
                    grouped_decimal(b.low.get(l)),
                    grouped_decimal(b.high.get(l)),
                    b.last
                        .as_ref()
                        .map_or_else(|| NO_VALUE.to_string(), |c| grouped_decimal(c.get(l))),
                    change_text(b.change_pct[l.index()]),
                ],
                total: matches!(l.group(), Group::Total | Group::Balance),
            }
        })
        .collect();
    // as budget.md and the workbook print it: the no-value mark where
    // there is none
    let months = |m: Option<Decimal>| m.map_or_else(|| NO_VALUE.to_string(), |d| d.to_string());
    rows.push(Row::body(vec![
        labels::line(lang, Line::ReserveMonths),
        months(b.reserve_months[0]),
        months(b.reserve_months[1]),
        months(b.reserve_months[2]),
        months(b.last.as_ref().and_then(Column::reserve_months)),
        NO_VALUE.to_string(),
    ]));
    let at = |l: Line| b.rows.iter().position(|x| *x == l);
    let present = |lines: &[Line]| lines.iter().filter_map(|l| at(*l)).collect::<Vec<_>>();
    let columns = if b.last.is_some() {
        vec![1, 2, 3, 4]
    } else {
        vec![1, 2, 3]
    };
    let mut foots = Vec::new();
    if let (Some(income), Some(spent), Some(surplus)) = (
        at(Line::IncomeTotal),
        at(Line::ExpenditureTotal),
        at(Line::Surplus),
    ) {
        foots.push(Footing::Rows {
            columns: columns.clone(),
            result: income,
            plus: present(&INCOME_PARTS),
            minus: vec![],
        });
        foots.push(Footing::Rows {
            columns: columns.clone(),
            result: spent,
            plus: present(&Line::EXPENDITURE),
            minus: vec![],
        });
        foots.push(Footing::Rows {
            columns,
            result: surplus,
            plus: vec![income],
            minus: vec![spent],
        });
    }
    let mut head = vec![
        Label::Item.text(lang).to_string(),
        Label::Budget.text(lang).to_string(),
        Label::Low.text(lang).to_string(),
        Label::High.text(lang).to_string(),
        last_label.text(lang).to_string(),
        Label::ChangePct.text(lang).to_string(),
    ];
    let mut numeric = vec![false, true, true, true, true, true];
    if b.last.is_none() {
        // without last year the two columns would be empty
        for row in &mut rows {
            row.cells.truncate(4);
        }
        head.truncate(4);
        numeric.truncate(4);
    }
    Table {
        id: "budget-province".into(),
        caption: match lang {
            Lang::Zh => format!("{}年工伤保险基金收支预算草案", b.year),
            Lang::En => format!("Work-injury fund budget draft, {}", b.year),
        },
        unit: Some(format!("{}{}", t("单位：", "Unit: "), b.unit.label())),
        head,
        numeric,
        rows,
        foots,
        note: Some(t(
            "其中：缺口分担资金含在财政补贴收入内；年末滚存结余为年初滚存结余取整加本年收支结余；可支付月数为同栏年末滚存结余除以同栏月均支付（不含返还财政的资金），单位为月，可与分年度表中各路径可支付月数的均值略有差异（比值的均值不等于均值的比值）。",
            "Of which gap-sharing transfers (其中：缺口分担资金) are part of the fiscal subsidy; the year-end balance is the rounded opening balance plus the surplus; the months of reserve are the column's year-end balance over a month of the column's payments (money returned to a treasury is not a payment), so they can differ somewhat from the mean of each path's months in the table by year (a ratio of means is not a mean of ratios).",
        )),
    }
}

/// The table by city: premiums, expenditure and their difference, the
/// provincial lines on the 省本级 row, the total last.
fn city_table(b: &Tables, lang: Lang) -> Table {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let mut rows: Vec<Row> = b
        .cities
        .iter()
        .map(|c| {
            Row::body(vec![
                c.name.clone(),
                grouped_decimal(c.premiums),
                grouped_decimal(c.expenditure),
                grouped_decimal(c.net),
            ])
        })
        .collect();
    let sum = |f: fn(&crate::report::budget::CityRow) -> Decimal| {
        b.unit.fixed(b.cities.iter().map(f).sum())
    };
    rows.push(Row {
        cells: vec![
            Label::Total.text(lang).to_string(),
            grouped_decimal(sum(|c| c.premiums)),
            grouped_decimal(sum(|c| c.expenditure)),
            grouped_decimal(sum(|c| c.net)),
        ],
        total: true,
    });
    let n = b.cities.len();
    Table {
        id: "budget-cities".into(),
        caption: match lang {
            Lang::Zh => format!("{}年分地区收支预算", b.year),
            Lang::En => format!("The {} budget by city", b.year),
        },
        unit: Some(format!("{}{}", t("单位：", "Unit: "), b.unit.label())),
        head: vec![
            Label::City.text(lang).to_string(),
            Label::Premiums.text(lang).to_string(),
            Label::Expenditure.text(lang).to_string(),
            Label::Net.text(lang).to_string(),
        ],
        numeric: vec![false, true, true, true],
        rows,
        foots: vec![
            Footing::Columns {
                result: 3,
                plus: vec![1],
                minus: vec![2],
            },
            Footing::Rows {
                columns: vec![1, 2, 3],
                result: n,
                plus: (0..n).collect(),
                minus: vec![],
            },
        ],
        note: None,
    }
}
