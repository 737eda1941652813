//! `budget.csv`, `cash_plan.csv` and `reforecast.csv`: the budget's tables
//! as printed, amounts in the unit (the same rounded numbers as the
//! Markdown page and the workbook).

use super::Tables;
use crate::model::lines::Line;
use crate::report::labels::{self, Lang};
use rust_decimal::Decimal;

fn finish(w: csv::Writer<Vec<u8>>) -> anyhow::Result<String> {
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(String::from_utf8(bytes)?)
}

/// `budget.csv`: `table,row,label,budget,low_p10,high_p90,unit,last_year,change_pct`
/// (amounts in the unit; `by_city_line` and `by_city` rows use `budget` only).
pub(super) fn budget(t: &Tables, lang: Lang) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "table",
        "row",
        "label",
        "budget",
        "low_p10",
        "high_p90",
        "unit",
        "last_year",
        "change_pct",
    ])?;
    let unit = t.unit.label();
    for line in t.rows.iter().copied() {
        w.write_record([
            "province".to_string(),
            line.name().to_string(),
            labels::line(lang, line),
            t.budget.get(line).to_string(),
            t.low.get(line).to_string(),
            t.high.get(line).to_string(),
            unit.to_string(),
            t.last
                .as_ref()
                .map_or(String::new(), |l| l.get(line).to_string()),
            t.change_pct[line.index()].map_or(String::new(), |p| p.to_string()),
        ])?;
    }
    let months = |m: Option<Decimal>| m.map_or(String::new(), |d| d.to_string());
    w.write_record([
        "province",
        Line::ReserveMonths.name(),
        &labels::line(lang, Line::ReserveMonths),
        &months(t.reserve_months[0]),
        &months(t.reserve_months[1]),
        &months(t.reserve_months[2]),
        "月",
        "",
        "",
    ])?;
    for (name, values) in &t.by_city_line {
        for (line, v) in t.city_rows.iter().zip(values) {
            w.write_record([
                "by_city_line",
                line.name(),
                name.as_str(),
                &v.to_string(),
                "",
                "",
                unit,
                "",
                "",
            ])?;
        }
    }
    for c in &t.cities {
        for (row, v) in [
            ("premiums", c.premiums),
            ("expenditure_total", c.expenditure),
            ("net", c.net),
        ] {
            w.write_record([
                "by_city",
                row,
                c.name.as_str(),
                &v.to_string(),
                "",
                "",
                unit,
                "",
                "",
            ])?;
        }
    }
    finish(w)
}

/// `cash_plan.csv`: `month,city,transfer_due,revolving_fund,account_balance_end,short,unit`;
/// a `全省` row per month holds the total, the balance and the flag.
pub(super) fn cash_plan(t: &Tables) -> anyhow::Result<String> {
    let p = &t.plan;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "month",
        "city",
        "transfer_due",
        "revolving_fund",
        "account_balance_end",
        "short",
        "unit",
    ])?;
    let unit = t.unit.label();
    for (m, row) in p.transfers.iter().enumerate() {
        let month = format!("{}-{:02}", t.year, m + 1);
        for (c, v) in row.iter().enumerate() {
            let fund = if m == 0 {
                p.revolving_fund[c].to_string()
            } else {
                String::new()
            };
            w.write_record([
                month.as_str(),
                &t.city_names[c],
                &v.to_string(),
                &fund,
                "",
                "",
                unit,
            ])?;
        }
        w.write_record([
            month.as_str(),
            "全省",
            &p.totals[m].to_string(),
            &if m == 0 {
                p.revolving_fund
                    .iter()
                    .copied()
                    .sum::<Decimal>()
                    .to_string()
            } else {
                String::new()
            },
            &p.balance[m].to_string(),
            if p.short[m] { "yes" } else { "no" },
            unit,
        ])?;
    }
    finish(w)
}

/// `reforecast.csv`: `row,label,actual_to_date,expected_to_date,projected_year_end,budget,overspend_probability,unit`,
/// amounts in the unit, labels in the language.
pub(super) fn reforecast(t: &Tables, lang: Lang) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "row",
        "label",
        "actual_to_date",
        "expected_to_date",
        "projected_year_end",
        "budget",
        "overspend_probability",
        "unit",
    ])?;
    for r in t.reforecast.iter().flat_map(|r| &r.rows) {
        w.write_record([
            r.line.name().to_string(),
            labels::line(lang, r.line),
            r.actual_to_date.to_string(),
            r.expected_to_date.to_string(),
            r.projected.to_string(),
            r.budget.to_string(),
            r.overspend_probability
                .map_or(String::new(), |p| format!("{p:.4}")),
            t.unit.label().to_string(),
        ])?;
    }
    finish(w)
}
