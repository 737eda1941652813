//! `budget.xlsx` (`rust_xlsxwriter)`: the province's table, the table by
//! city, the table by city and line, the funding plan and, with actuals,
//! the reforecast, one sheet each, with number formats, frozen header rows
//! and widths that fit. Cells hold the rounded amounts of the other files,
//! so the sheets foot like the CSV.

use super::Tables;
use crate::model::lines::Line;
use crate::report::labels::{self, Label, Lang};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// The formats every sheet uses.
struct Formats {
    money: Format,
    bold_money: Format,
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
fn heads(sheet: &mut Worksheet, labels: &[&str], f: &Formats) -> anyhow::Result<()> {
    for (c, h) in labels.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &f.header)?;
    }
    Ok(())
}

/// The workbook of the draft.
pub(super) fn workbook(t: &Tables, scenario: &str, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    // a fixed creation date (1 January of the budget year), so that the same
    // inputs give the same bytes
    let created = ExcelDateTime::from_ymd(t.year.clamp(1900, 9999) as u16, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let f = Formats::new(t);
    let zh = lang == Lang::Zh;
    let u = t.unit.label();
    // the province's table
    let sheet = book.add_worksheet();
    sheet.set_name(Label::SheetBudget.text(lang))?;
    let heading = if zh {
        format!(
            "{} 年工伤保险基金收支预算草案（{scenario}，单位：{u}）",
            t.year
        )
    } else {
        format!(
            "Work-injury insurance fund budget draft {} ({scenario}, {u})",
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
    heads(sheet, &names, &f)?;
    let strong = [
        Line::IncomeTotal,
        Line::ExpenditureTotal,
        Line::Surplus,
        Line::ClosingBalance,
    ];
    let mut width = names[0].chars().count();
    for (i, line) in t.rows.iter().enumerate() {
        let r = 3 + i as u32;
        let is_strong = strong.contains(line);
        let label = labels::line(lang, *line);
        width = width.max(label.chars().count());
        sheet.write_string_with_format(r, 0, &label, if is_strong { &f.bold } else { &f.text })?;
        let money = if is_strong { &f.bold_money } else { &f.money };
        for (c, col) in [&t.budget, &t.low, &t.high].iter().enumerate() {
            sheet.write_number_with_format(r, 1 + c as u16, num(col.get(*line)), money)?;
        }
        if let Some(last) = &t.last {
            sheet.write_number_with_format(r, 4, num(last.get(*line)), money)?;
        }
        if let Some(p) = t.change_pct[line.index()] {
            sheet.write_number_with_format(r, 5, num(p), &f.pct)?;
        }
    }
    let r = 3 + t.rows.len() as u32;
    sheet.write_string(r, 0, labels::line(lang, Line::ReserveMonths))?;
    for (c, m) in t.reserve_months.iter().enumerate() {
        if let Some(m) = m {
            sheet.write_number_with_format(r, 1 + c as u16, num(*m), &f.months)?;
        }
    }
    sheet.set_column_width(0, (width as f64 * 2.0).clamp(14.0, 60.0))?;
    for c in 1..=5 {
        sheet.set_column_width(c, 18)?;
    }
    sheet.set_freeze_panes(3, 1)?;
    // by city
    let sheet = book.add_worksheet();
    sheet.set_name(Label::SheetByCity.text(lang))?;
    let heading = if zh {
        format!("{} 年分地区收支预算（单位：{u}）", t.year)
    } else {
        format!("Budget by city {} ({u})", t.year)
    };
    sheet.write_string_with_format(0, 0, &heading, &f.title)?;
    let names =
        [Label::City, Label::Premiums, Label::Expenditure, Label::Net].map(|l| l.text(lang));
    heads(sheet, &names, &f)?;
    for (i, city) in t.cities.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 0, &city.name)?;
        for (c, v) in [city.premiums, city.expenditure, city.net]
            .iter()
            .enumerate()
        {
            sheet.write_number_with_format(r, 1 + c as u16, num(*v), &f.money)?;
        }
    }
    let r = 3 + t.cities.len() as u32;
    let (p, e): (Decimal, Decimal) = (
        t.cities.iter().map(|c| c.premiums).sum(),
        t.cities.iter().map(|c| c.expenditure).sum(),
    );
    sheet.write_string_with_format(r, 0, Label::Total.text(lang), &f.bold)?;
    for (c, v) in [p, e, p - e].iter().enumerate() {
        sheet.write_number_with_format(r, 1 + c as u16, num(*v), &f.bold_money)?;
    }
    sheet.set_column_width(0, 16)?;
    for c in 1..=5 {
        sheet.set_column_width(c, 18)?;
    }
    sheet.set_freeze_panes(3, 1)?;
    // by city and budget line
    let sheet = book.add_worksheet();
    sheet.set_name(Label::SheetByCityLine.text(lang))?;
    let heading = if zh {
        format!("{} 年分地区分科目收支预算（单位：{u}）", t.year)
    } else {
        format!("Budget by city and line {} ({u})", t.year)
    };
    sheet.write_string_with_format(0, 0, &heading, &f.title)?;
    sheet.write_string_with_format(2, 0, Label::Item.text(lang), &f.header)?;
    for (c, (name, _)) in t.by_city_line.iter().enumerate() {
        sheet.write_string_with_format(2, 1 + c as u16, name, &f.header)?;
    }
    let n = t.by_city_line.len() as u16;
    sheet.write_string_with_format(2, 1 + n, Label::TotalColumn.text(lang), &f.header)?;
    let mut width = 4;
    for (i, line) in t.city_rows.iter().enumerate() {
        let r = 3 + i as u32;
        let is_strong = [Line::IncomeTotal, Line::ExpenditureTotal, Line::Surplus].contains(line);
        let label = labels::line(lang, *line);
        width = width.max(label.chars().count());
        sheet.write_string_with_format(r, 0, &label, if is_strong { &f.bold } else { &f.text })?;
        for (c, (_, values)) in t.by_city_line.iter().enumerate() {
            sheet.write_number_with_format(
                r,
                1 + c as u16,
                num(values[i]),
                if is_strong { &f.bold_money } else { &f.money },
            )?;
        }
        sheet.write_number_with_format(r, 1 + n, num(t.budget.get(*line)), &f.bold_money)?;
    }
    sheet.set_column_width(0, (width as f64 * 2.0).clamp(14.0, 60.0))?;
    for c in 1..=(n + 1) {
        sheet.set_column_width(c, 14)?;
    }
    sheet.set_freeze_panes(3, 1)?;
    // the monthly funding plan
    let plan = &t.plan;
    let sheet = book.add_worksheet();
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
        sheet.write_string_with_format(2, 1 + c as u16, name, &f.header)?;
    }
    let n = t.city_names.len() as u16;
    let tail = [Label::TotalColumn, Label::BalanceAtMonthEnd, Label::Short].map(|l| l.text(lang));
    for (j, h) in tail.iter().enumerate() {
        sheet.write_string_with_format(2, 1 + n + j as u16, *h, &f.header)?;
    }
    sheet.write_string(3, 0, Label::RevolvingFund.text(lang))?;
    for (c, v) in plan.revolving_fund.iter().enumerate() {
        sheet.write_number_with_format(3, 1 + c as u16, num(*v), &f.money)?;
    }
    for (m, row) in plan.transfers.iter().enumerate() {
        let r = 4 + m as u32;
        sheet.write_string(r, 0, format!("{}-{:02}", t.year, m + 1))?;
        for (c, v) in row.iter().enumerate() {
            sheet.write_number_with_format(r, 1 + c as u16, num(*v), &f.money)?;
        }
        sheet.write_number_with_format(r, 1 + n, num(plan.totals[m]), &f.bold_money)?;
        sheet.write_number_with_format(r, 2 + n, num(plan.balance[m]), &f.money)?;
        let flag = if plan.short[m] {
            Label::Yes.text(lang)
        } else {
            ""
        };
        sheet.write_string(r, 3 + n, flag)?;
    }
    sheet.set_column_width(0, 14)?;
    for c in 1..=(n + 2) {
        sheet.set_column_width(c, 14)?;
    }
    sheet.set_freeze_panes(3, 1)?;
    // the in-year reforecast
    if let Some(rf) = &t.reforecast {
        let sheet = book.add_worksheet();
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
        heads(sheet, &names, &f)?;
        let mut width = names[0].chars().count();
        let pct = Format::new().set_num_format("0.0%");
        for (i, row) in rf.rows.iter().enumerate() {
            let r = 3 + i as u32;
            let is_strong = [Line::IncomeTotal, Line::ExpenditureTotal].contains(&row.line);
            let label = labels::line(lang, row.line);
            width = width.max(label.chars().count());
            sheet.write_string_with_format(
                r,
                0,
                &label,
                if is_strong { &f.bold } else { &f.text },
            )?;
            let money = if is_strong { &f.bold_money } else { &f.money };
            for (c, v) in [
                row.actual_to_date,
                row.expected_to_date,
                row.projected,
                row.budget,
            ]
            .iter()
            .enumerate()
            {
                sheet.write_number_with_format(r, 1 + c as u16, num(*v), money)?;
            }
            if let Some(p) = row.overspend_probability {
                sheet.write_number_with_format(r, 5, p, &pct)?;
            }
        }
        sheet.set_column_width(0, (width as f64 * 2.0).clamp(14.0, 60.0))?;
        for c in 1..=5 {
            sheet.set_column_width(c, 18)?;
        }
        sheet.set_freeze_panes(3, 1)?;
    }
    Ok(book.save_to_buffer()?)
}
