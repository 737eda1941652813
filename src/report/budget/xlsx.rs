//! `budget.xlsx` (`rust_xlsxwriter)`: a first sheet 说明/About (what ran,
//! the unit, how the low and high columns are defined, the warning when the
//! calibration is illustrative), then the province's table, the table by
//! city, the table by city and line, the funding plan and, with actuals,
//! the reforecast, one sheet each. Cells hold the rounded amounts of the
//! other files; every total and subtotal is a `SUM` (or a difference) of
//! the cells above or beside it, its cached value the printed amount, so
//! that a reader who changes a line sees the total move. Every sheet prints
//! on A4, one page wide (landscape where the table is wide), its header
//! row repeated and a footer with the fund's title and the page.

use super::Tables;
use crate::model::lines::Line;
use crate::model::scenario::{SOURCED_FIELDS, Scenario};
use crate::report::labels::{self, Label, Lang};
use crate::report::provenance::{Provenance, TOOL_VERSION};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
};
use unicode_width::UnicodeWidthStr;

/// A4 in Excel's paper codes.
const A4: u8 = 9;

/// Print setup of a sheet: A4, one page wide, the header row (row 2)
/// repeated, a footer with the fund's title and the page.
fn print_setup(
    sheet: &mut Worksheet,
    landscape: bool,
    fund: &str,
    lang: Lang,
) -> anyhow::Result<()> {
    sheet.set_paper_size(A4);
    if landscape {
        sheet.set_landscape();
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(2, 2)?;
    let page = match lang {
        Lang::Zh => "第 &P 页，共 &N 页",
        Lang::En => "Page &P of &N",
    };
    sheet.set_footer(format!("&L{}&R{page}", fund.replace('&', "&&")));
    Ok(())
}

/// The display widths of a sheet's headers and totals, which the autofit
/// does not see (a formula's value is not measured, and a Chinese header
/// is reckoned short).
#[derive(Default)]
struct Widths(Vec<usize>);

impl Widths {
    /// Notes text of `width` columns in column `c`.
    fn note(&mut self, c: u16, width: usize) {
        let c = c as usize;
        if self.0.len() <= c {
            self.0.resize(c + 1, 0);
        }
        self.0[c] = self.0[c].max(width);
    }

    /// Widens every noted column to fit (after the autofit).
    fn apply(&self, sheet: &mut Worksheet) -> anyhow::Result<()> {
        for (c, w) in self.0.iter().enumerate().skip(1) {
            if *w > 0 {
                sheet.set_column_width(c as u16, (*w as f64 + 3.0).min(40.0))?;
            }
        }
        Ok(())
    }
}

/// Writes a total as a formula over other cells, its cached value the
/// printed amount.
fn total(
    sheet: &mut Worksheet,
    widths: &mut Widths,
    (r, c): (u32, u16),
    formula: String,
    value: Decimal,
    f: &Format,
) -> anyhow::Result<()> {
    widths.note(c, crate::report::format::grouped_decimal(value).len());
    sheet.write_formula_with_format(
        r,
        c,
        Formula::new(formula).set_result(value.to_string()),
        f,
    )?;
    Ok(())
}

/// Writes an amount, noting its printed width: the autofit reckons a
/// number by its digits alone, without the grouping commas and the
/// trailing zeros the format shows, and leaves its column too narrow.
fn amount(
    sheet: &mut Worksheet,
    widths: &mut Widths,
    (r, c): (u32, u16),
    value: Decimal,
    f: &Format,
) -> anyhow::Result<()> {
    widths.note(c, crate::report::format::grouped_decimal(value).len());
    sheet.write_number_with_format(r, c, num(value), f)?;
    Ok(())
}

/// `=SUM(B4,B5,B7)` of the cells at `rows` in column `c`.
fn sum_of(rows: &[u32], c: u16) -> String {
    let cells: Vec<String> = rows.iter().map(|r| row_col_to_cell(*r, c)).collect();
    format!("=SUM({})", cells.join(","))
}

/// Widths fitted to the content; the label column from its display width
/// (a Chinese character takes two columns), which the autofit reckons short.
fn fit(sheet: &mut Worksheet, labels: usize) -> anyhow::Result<()> {
    sheet.autofit();
    sheet.set_column_width(0, (labels as f64 + 2.0).clamp(8.0, 60.0))?;
    Ok(())
}

/// The formats every sheet uses.
struct Formats {
    money: Format,
    bold_money: Format,
    /// A total column's cell: bold, with no rule above (the rule marks a
    /// total row).
    total_column: Format,
    header: Format,
    title: Format,
    text: Format,
    bold: Format,
    months: Format,
    pct: Format,
}

impl Formats {
    fn new(t: &Tables) -> Formats {
        let decimals = "0".repeat(t.unit.decimals() as usize);
        let money =
            Format::new().set_num_format(format!("#,##0.{decimals};[Red]-#,##0.{decimals}"));
        Formats {
            bold_money: money.clone().set_bold().set_border_top(FormatBorder::Thin),
            total_column: money.clone().set_bold(),
            money,
            header: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_border_bottom(FormatBorder::Medium),
            title: Format::new().set_bold().set_font_size(14),
            text: Format::new(),
            bold: Format::new().set_bold().set_border_top(FormatBorder::Thin),
            months: Format::new().set_num_format("0.0"),
            pct: Format::new().set_num_format("+0.0;-0.0;0.0"),
        }
    }
}

fn num(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Writes a heading row of labels at row 2.
fn heads(
    sheet: &mut Worksheet,
    widths: &mut Widths,
    labels: &[&str],
    f: &Formats,
) -> anyhow::Result<()> {
    for (c, h) in labels.iter().enumerate() {
        widths.note(c as u16, h.width());
        sheet.write_string_with_format(2, c as u16, *h, &f.header)?;
    }
    Ok(())
}

/// The workbook of the draft.
pub(super) fn workbook(
    t: &Tables,
    s: &Scenario,
    provenance: &Provenance,
    lang: Lang,
) -> anyhow::Result<Vec<u8>> {
    let fund = provenance.title.as_str();
    let mut book = Workbook::new();
    // a fixed creation date (1 January of the budget year), so that the same
    // inputs give the same bytes
    let created = ExcelDateTime::from_ymd(t.year.clamp(1900, 9999) as u16, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let f = Formats::new(t);
    let zh = lang == Lang::Zh;
    let u = t.unit.label();
    about(&mut book, t, s, provenance, lang, &f)?;
    // the province's table
    let sheet = book.add_worksheet();
    let mut widths = Widths::default();
    sheet.set_name(Label::SheetBudget.text(lang))?;
    let heading = if zh {
        format!("{} 年工伤保险基金收支预算草案（{fund}，单位：{u}）", t.year)
    } else {
        format!(
            "Work-injury insurance fund budget draft {} ({fund}, {u})",
            t.year
        )
    };
    sheet.write_string_with_format(0, 0, &heading, &f.title)?;
    let last = if t.last_is_projection {
        Label::LastProjected
    } else {
        Label::LastExecuted
    };
    let names = [
        Label::Item,
        Label::Budget,
        Label::Low,
        Label::High,
        last,
        Label::ChangePct,
    ]
    .map(|l| l.text(lang));
    heads(sheet, &mut widths, &names, &f)?;
    let strong = [
        Line::IncomeTotal,
        Line::ExpenditureTotal,
        Line::Surplus,
        Line::ClosingBalance,
    ];
    let mut width = names[0].width();
    for (i, line) in t.rows.iter().enumerate() {
        let r = 3 + i as u32;
        let is_strong = strong.contains(line);
        let label = labels::line(lang, *line);
        width = width.max(label.width());
        sheet.write_string_with_format(r, 0, &label, if is_strong { &f.bold } else { &f.text })?;
        let money = if is_strong { &f.bold_money } else { &f.money };
        let mut columns = vec![(1u16, &t.budget), (2, &t.low), (3, &t.high)];
        if let Some(last) = &t.last {
            columns.push((4, last));
        }
        for (c, col) in columns {
            let v = col.get(*line);
            match total_formula(&t.rows, *line, Some(col.opening), c) {
                Some(formula) => total(sheet, &mut widths, (r, c), formula, v, money)?,
                None => amount(sheet, &mut widths, (r, c), v, money)?,
            }
        }
        if let Some(p) = t.change_pct[line.index()] {
            sheet.write_number_with_format(r, 5, num(p), &f.pct)?;
        }
    }
    let r = 3 + t.rows.len() as u32;
    sheet.write_string(r, 0, labels::line(lang, Line::ReserveMonths))?;
    let last = t.last.as_ref().and_then(super::Column::reserve_months);
    for (c, m) in t.reserve_months.iter().chain([&last]).enumerate() {
        if let Some(m) = m {
            sheet.write_number_with_format(r, 1 + c as u16, num(*m), &f.months)?;
        }
    }
    fit(sheet, width)?;
    widths.apply(sheet)?;
    sheet.set_freeze_panes(3, 1)?;
    print_setup(sheet, false, fund, lang)?;
    // by city
    let sheet = book.add_worksheet();
    let mut widths = Widths::default();
    sheet.set_name(Label::SheetByCity.text(lang))?;
    let heading = if zh {
        format!("{} 年分地区收支预算（单位：{u}）", t.year)
    } else {
        format!("Budget by city {} ({u})", t.year)
    };
    sheet.write_string_with_format(0, 0, &heading, &f.title)?;
    let names =
        [Label::City, Label::Premiums, Label::Expenditure, Label::Net].map(|l| l.text(lang));
    heads(sheet, &mut widths, &names, &f)?;
    for (i, city) in t.cities.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 0, &city.name)?;
        amount(sheet, &mut widths, (r, 1), city.premiums, &f.money)?;
        amount(sheet, &mut widths, (r, 2), city.expenditure, &f.money)?;
        total(
            sheet,
            &mut widths,
            (r, 3),
            format!("={}-{}", row_col_to_cell(r, 1), row_col_to_cell(r, 2)),
            city.net,
            &f.money,
        )?;
    }
    let r = 3 + t.cities.len() as u32;
    let (p, e): (Decimal, Decimal) = (
        t.cities.iter().map(|c| c.premiums).sum(),
        t.cities.iter().map(|c| c.expenditure).sum(),
    );
    sheet.write_string_with_format(r, 0, Label::Total.text(lang), &f.bold)?;
    let rows: Vec<u32> = (3..r).collect();
    for (c, v) in [p, e, p - e].iter().enumerate() {
        let c = 1 + c as u16;
        total(
            sheet,
            &mut widths,
            (r, c),
            sum_of(&rows, c),
            t.unit.fixed(*v),
            &f.bold_money,
        )?;
    }
    let names = t.cities.iter().map(|c| c.name.width()).max().unwrap_or(0);
    fit(sheet, names.max(Label::City.text(lang).width()))?;
    widths.apply(sheet)?;
    sheet.set_freeze_panes(3, 1)?;
    print_setup(sheet, false, fund, lang)?;
    // by city and budget line
    let sheet = book.add_worksheet();
    let mut widths = Widths::default();
    sheet.set_name(Label::SheetByCityLine.text(lang))?;
    let heading = if zh {
        format!("{} 年分地区分科目收支预算（单位：{u}）", t.year)
    } else {
        format!("Budget by city and line {} ({u})", t.year)
    };
    sheet.write_string_with_format(0, 0, &heading, &f.title)?;
    sheet.write_string_with_format(2, 0, Label::Item.text(lang), &f.header)?;
    for (c, (name, _)) in t.by_city_line.iter().enumerate() {
        widths.note(1 + c as u16, name.width());
        sheet.write_string_with_format(2, 1 + c as u16, name, &f.header)?;
    }
    let n = t.by_city_line.len() as u16;
    widths.note(1 + n, Label::TotalColumn.text(lang).width());
    sheet.write_string_with_format(2, 1 + n, Label::TotalColumn.text(lang), &f.header)?;
    let mut width = Label::Item.text(lang).width();
    for (i, line) in t.city_rows.iter().enumerate() {
        let r = 3 + i as u32;
        let is_strong = [Line::IncomeTotal, Line::ExpenditureTotal, Line::Surplus].contains(line);
        let label = labels::line(lang, *line);
        width = width.max(label.width());
        sheet.write_string_with_format(r, 0, &label, if is_strong { &f.bold } else { &f.text })?;
        for (c, (_, values)) in t.by_city_line.iter().enumerate() {
            let c16 = 1 + c as u16;
            let fmt = if is_strong { &f.bold_money } else { &f.money };
            match total_formula(&t.city_rows, *line, None, c16) {
                Some(formula) => total(sheet, &mut widths, (r, c16), formula, values[i], fmt)?,
                None => amount(sheet, &mut widths, (r, c16), values[i], fmt)?,
            }
        }
        total(
            sheet,
            &mut widths,
            (r, 1 + n),
            format!("=SUM({}:{})", row_col_to_cell(r, 1), row_col_to_cell(r, n)),
            t.budget.get(*line),
            if is_strong {
                &f.bold_money
            } else {
                &f.total_column
            },
        )?;
    }
    fit(sheet, width)?;
    widths.apply(sheet)?;
    sheet.set_freeze_panes(3, 1)?;
    print_setup(sheet, true, fund, lang)?;
    // the monthly funding plan
    let plan = &t.plan;
    let sheet = book.add_worksheet();
    let mut widths = Widths::default();
    sheet.set_name(Label::SheetFundingPlan.text(lang))?;
    let heading = if zh {
        format!("{} 年用款计划（每月 15 日前拨付，单位：{u}）", t.year)
    } else {
        format!(
            "Monthly funding plan {} (transfers before the 15th, {u})",
            t.year
        )
    };
    sheet.write_string_with_format(0, 0, &heading, &f.title)?;
    sheet.write_string_with_format(2, 0, Label::Month.text(lang), &f.header)?;
    for (c, name) in t.city_names.iter().enumerate() {
        widths.note(1 + c as u16, name.width());
        sheet.write_string_with_format(2, 1 + c as u16, name, &f.header)?;
    }
    let n = t.city_names.len() as u16;
    let tail = [Label::TotalColumn, Label::BalanceAtMonthEnd, Label::Short].map(|l| l.text(lang));
    for (j, h) in tail.iter().enumerate() {
        widths.note(1 + n + j as u16, h.width());
        sheet.write_string_with_format(2, 1 + n + j as u16, *h, &f.header)?;
    }
    sheet.write_string(3, 0, Label::RevolvingFund.text(lang))?;
    for (c, v) in plan.revolving_fund.iter().enumerate() {
        amount(sheet, &mut widths, (3, 1 + c as u16), *v, &f.money)?;
    }
    total(
        sheet,
        &mut widths,
        (3, 1 + n),
        format!("=SUM({}:{})", row_col_to_cell(3, 1), row_col_to_cell(3, n)),
        plan.revolving_fund.iter().copied().sum(),
        &f.total_column,
    )?;
    for (m, row) in plan.transfers.iter().enumerate() {
        let r = 4 + m as u32;
        sheet.write_string(r, 0, format!("{}-{:02}", t.year, m + 1))?;
        for (c, v) in row.iter().enumerate() {
            amount(sheet, &mut widths, (r, 1 + c as u16), *v, &f.money)?;
        }
        total(
            sheet,
            &mut widths,
            (r, 1 + n),
            format!("=SUM({}:{})", row_col_to_cell(r, 1), row_col_to_cell(r, n)),
            plan.totals[m],
            &f.total_column,
        )?;
        amount(sheet, &mut widths, (r, 2 + n), plan.balance[m], &f.money)?;
        let flag = if plan.short[m] {
            Label::Yes.text(lang)
        } else {
            ""
        };
        sheet.write_string(r, 3 + n, flag)?;
    }
    fit(sheet, Label::RevolvingFund.text(lang).width().max(8))?;
    widths.apply(sheet)?;
    sheet.set_freeze_panes(3, 1)?;
    print_setup(sheet, true, fund, lang)?;
    // the in-year reforecast
    if let Some(rf) = &t.reforecast {
        let sheet = book.add_worksheet();
        let mut widths = Widths::default();
        sheet.set_name(Label::SheetReforecast.text(lang))?;
        let heading = if zh {
            format!(
                "{} 年年中预测（1–{} 月为实际数，单位：{u}）",
                t.year, rf.months
            )
        } else {
            format!(
                "In-year reforecast {} (months 1–{} actual, {u})",
                t.year, rf.months
            )
        };
        sheet.write_string_with_format(0, 0, &heading, &f.title)?;
        let names = [
            Label::Item,
            Label::ActualToDate,
            Label::ExpectedToDate,
            Label::ProjectedYearEnd,
            Label::Budget,
            Label::OverBudget,
        ]
        .map(|l| l.text(lang));
        heads(sheet, &mut widths, &names, &f)?;
        let mut width = names[0].width();
        let pct = Format::new().set_num_format("0.0%");
        for (i, row) in rf.rows.iter().enumerate() {
            let r = 3 + i as u32;
            let is_strong = [Line::IncomeTotal, Line::ExpenditureTotal].contains(&row.line);
            let label = labels::line(lang, row.line);
            width = width.max(label.width());
            sheet.write_string_with_format(
                r,
                0,
                &label,
                if is_strong { &f.bold } else { &f.text },
            )?;
            let money = if is_strong { &f.bold_money } else { &f.money };
            let group: &[Line] = match row.line {
                Line::IncomeTotal => &Line::INCOME,
                Line::ExpenditureTotal => &Line::EXPENDITURE,
                _ => &[],
            };
            let parts: Vec<u32> = rf
                .rows
                .iter()
                .enumerate()
                .filter(|(_, x)| group.contains(&x.line))
                .map(|(j, _)| 3 + j as u32)
                .collect();
            for (c, v) in [
                row.actual_to_date,
                row.expected_to_date,
                row.projected,
                row.budget,
            ]
            .iter()
            .enumerate()
            {
                let c = 1 + c as u16;
                if is_strong {
                    total(sheet, &mut widths, (r, c), sum_of(&parts, c), *v, money)?;
                } else {
                    amount(sheet, &mut widths, (r, c), *v, money)?;
                }
            }
            if let Some(p) = row.overspend_probability {
                sheet.write_number_with_format(r, 5, p, &pct)?;
            }
        }
        fit(sheet, width)?;
        widths.apply(sheet)?;
        sheet.set_freeze_panes(3, 1)?;
        print_setup(sheet, false, fund, lang)?;
    }
    Ok(book.save_to_buffer()?)
}

/// The formula of a total row in column `c` of a sheet whose rows from
/// row 3 are `rows`: income and expenditure totals as sums of their lines
/// ([`super::INCOME_PARTS`]: the gap transfers are inside the subsidy), the
/// surplus as their difference and, given the rounded opening balance, the
/// year-end balance as the opening plus the surplus.
fn total_formula(rows: &[Line], line: Line, opening: Option<Decimal>, c: u16) -> Option<String> {
    let row = |l: Line| rows.iter().position(|x| *x == l).map(|i| 3 + i as u32);
    let sum = |lines: &[Line]| sum_of(&lines.iter().filter_map(|l| row(*l)).collect::<Vec<_>>(), c);
    let cell = |l: Line| row(l).map(|r| row_col_to_cell(r, c));
    match line {
        Line::IncomeTotal => Some(sum(&super::INCOME_PARTS)),
        Line::ExpenditureTotal => Some(sum(&Line::EXPENDITURE)),
        Line::Surplus => Some(format!(
            "={}-{}",
            cell(Line::IncomeTotal)?,
            cell(Line::ExpenditureTotal)?
        )),
        Line::ClosingBalance => Some(format!("={}+{}", opening?, cell(Line::Surplus)?)),
        _ => None,
    }
}

/// The width of the About sheet's text column, in characters.
const ABOUT_WIDTH: usize = 70;

/// The first sheet: what ran and how to read the others.
fn about(
    book: &mut Workbook,
    t: &Tables,
    s: &Scenario,
    provenance: &Provenance,
    lang: Lang,
    f: &Formats,
) -> anyhow::Result<()> {
    let tr = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let sheet = book.add_worksheet();
    sheet.set_name(tr("说明", "About"))?;
    let title = match lang {
        Lang::Zh => format!("{} 年工伤保险基金收支预算草案：说明", t.year),
        Lang::En => format!(
            "Work-injury fund budget draft {}: about this workbook",
            t.year
        ),
    };
    sheet.write_string_with_format(0, 0, &title, &f.title)?;
    sheet.write_string_with_format(2, 0, tr("项目", "Item"), &f.header)?;
    sheet.write_string_with_format(2, 1, tr("内容", "Value"), &f.header)?;
    let unsourced = SOURCED_FIELDS
        .iter()
        .filter(|k| !s.sources.contains_key(**k))
        .count();
    let mut rows = vec![
        (tr("情景", "Scenario"), provenance.scenario.clone()),
        (tr("情景文件", "Scenario file"), provenance.source.clone()),
        ("SHA-256".to_string(), provenance.input_sha256.clone()),
        (
            tr("情景日期", "Scenario date"),
            s.date.clone().unwrap_or_else(|| tr("未注明", "not given")),
        ),
    ];
    if let Some((seed, paths)) = provenance.monte_carlo {
        rows.push((tr("随机种子", "Seed"), seed.to_string()));
        rows.push((tr("路径数", "Paths"), paths.to_string()));
    }
    rows.push((
        tr("工具版本", "Tool version"),
        format!("fundsim {TOOL_VERSION}"),
    ));
    rows.push((tr("金额单位", "Unit"), t.unit.label().to_string()));
    rows.push((
        tr("预算数", "Budget"),
        tr(
            "各路径当年数的均值，按最大余数法取整，使各表合计一致。",
            "The mean over paths of the year's amounts, rounded by largest remainder so that every table foots.",
        ),
    ));
    rows.push((
        tr("低情景、高情景", "Low and high cases"),
        tr(
            "低情景为当年收支结余位于第5至第15百分位的路径的均值，高情景为第85至第95百分位的路径的均值：以第10和第90百分位为中心、且各自收支平衡的两种情形。",
            "The low case is the mean of the paths whose surplus of the year lies between its 5th and 15th percentiles, the high case between its 85th and 95th: cases centred on the 10th and 90th percentiles that still foot.",
        ),
    ));
    rows.push((
        tr("合计", "Totals"),
        tr(
            "合计、小计均为公式（SUM），修改某一科目后合计随之变化。",
            "Totals and subtotals are formulas (SUM): change a line and its totals move.",
        ),
    ));
    if unsourced > 0 {
        rows.push((
            tr("注意", "Warning"),
            match lang {
                Lang::Zh => format!(
                    "驱动结果的{}项主要假设中有{unsourced}项未注明来源：本测算的参数为示意性假设，不是对本省数据的估计。",
                    SOURCED_FIELDS.len()
                ),
                Lang::En => format!(
                    "{unsourced} of the {} assumptions that drive the result give no source: the calibration is illustrative, not an estimate from the province's own data.",
                    SOURCED_FIELDS.len()
                ),
            },
        ));
    }
    // a label stands at the top of its wrapped text, not beside its last line
    let top = Format::new().set_align(FormatAlign::Top);
    let wrap = top.clone().set_text_wrap();
    for (i, (k, v)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string_with_format(r, 0, k, &top)?;
        sheet.write_string_with_format(r, 1, v, &wrap)?;
        // LibreOffice keeps a written row height: give a wrapped text its lines
        let lines = v.width().div_ceil(ABOUT_WIDTH - 4).max(1);
        if lines > 1 {
            sheet.set_row_height(r, 15.0 * lines as f64)?;
        }
    }
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, ABOUT_WIDTH as f64)?;
    print_setup(sheet, false, &provenance.title, lang)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An amount's column is noted at its printed width, grouping commas
    /// and trailing zeros included (`1,653.50` is 8 wide, its digits
    /// `1653.5` only 6), the widest amount of the column winning.
    #[test]
    fn an_amount_notes_its_printed_width() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let mut widths = Widths::default();
        let f = Format::new().set_num_format("#,##0.00");
        amount(sheet, &mut widths, (3, 2), Decimal::new(165_350, 2), &f).unwrap();
        amount(sheet, &mut widths, (4, 2), Decimal::new(69_613, 2), &f).unwrap();
        amount(sheet, &mut widths, (3, 1), Decimal::new(-113_838, 2), &f).unwrap();
        assert_eq!(widths.0, vec![0, "-1,138.38".len(), "1,653.50".len()]);
    }
}
