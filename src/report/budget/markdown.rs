//! `budget.md`: the tables a budget office hands in — the province's table,
//! the table by city, the table by city and line and, with actuals, the
//! in-year reforecast — amounts with thousands separators.

use super::Tables;
use crate::model::lines::Line;
use crate::report::format::{grouped_decimal as g, percent};
use crate::report::labels::{self, Label, Lang};
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// The Markdown page of the draft.
pub(super) fn budget(t: &Tables, scenario: &str, lang: Lang) -> String {
    let mut md = String::new();
    let u = t.unit.label();
    let intro = match lang {
        Lang::Zh => format!(
            "# {} 年工伤保险基金收支预算草案（{scenario}）\n\n单位：{u}。预算数为 {} 条模拟路径的均值；低/高情景为当年收支结余处于第 5–15 / 85–95 百分位的路径均值。各表均已按最大余数法取整并严格平衡。\n",
            t.year, t.paths
        ),
        Lang::En => format!(
            "# Work-injury insurance fund budget draft {} ({scenario})\n\nUnit: {u}. The budget is the mean of {} Monte Carlo paths; the low and high cases are the means of the paths whose surplus of the year lies between its 5th and 15th, and 85th and 95th percentiles. Every table is rounded by largest remainder and foots exactly.\n",
            t.year, t.paths
        ),
    };
    let last = if t.last_is_projection {
        Label::LastProjected
    } else {
        Label::LastExecuted
    };
    let _ = writeln!(
        md,
        "{intro}\n| {} | {} | {} | {} | {} | {} |\n| --- | ---: | ---: | ---: | ---: | ---: |",
        Label::Item.text(lang),
        Label::Budget.text(lang),
        Label::Low.text(lang),
        Label::High.text(lang),
        last.text(lang),
        Label::ChangePct.text(lang),
    );
    for line in t.rows.iter().copied() {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            labels::line(lang, line),
            g(t.budget.get(line)),
            g(t.low.get(line)),
            g(t.high.get(line)),
            t.last.as_ref().map_or("—".to_string(), |l| g(l.get(line))),
            t.change_pct[line.index()].map_or("—".to_string(), |p| format!("{p:+}")),
        );
    }
    let m = |x: Option<Decimal>| x.map_or("—".to_string(), |d| d.to_string());
    let _ = writeln!(
        md,
        "| {} | {} | {} | {} | {} | — |",
        labels::line(lang, Line::ReserveMonths),
        m(t.reserve_months[0]),
        m(t.reserve_months[1]),
        m(t.reserve_months[2]),
        m(t.last.as_ref().and_then(super::Column::reserve_months)),
    );
    let title = lang.pick("\n## 分地区收支（预算数）\n", "\n## By city (budget)\n");
    let _ = writeln!(
        md,
        "{title}\n| {} | {} | {} | {} |\n| --- | ---: | ---: | ---: |",
        Label::City.text(lang),
        Label::Premiums.text(lang),
        Label::Expenditure.text(lang),
        Label::Net.text(lang),
    );
    for c in &t.cities {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            c.name,
            g(c.premiums),
            g(c.expenditure),
            g(c.net)
        );
    }
    let p: Decimal = t.cities.iter().map(|c| c.premiums).sum();
    let e: Decimal = t.cities.iter().map(|c| c.expenditure).sum();
    let _ = writeln!(
        md,
        "| {} | {} | {} | {} |",
        Label::Total.text(lang),
        g(p),
        g(e),
        g(p - e)
    );
    // by city and budget line: cities as columns would be too wide, so lines are rows
    let title = lang.pick(
        "\n## 分地区分科目（预算数）\n",
        "\n## By city and budget line (budget)\n",
    );
    let _ = writeln!(md, "{title}");
    let names: Vec<&str> = t.by_city_line.iter().map(|(n, _)| n.as_str()).collect();
    let _ = writeln!(
        md,
        "| {} | {} | {} |",
        Label::Item.text(lang),
        names.join(" | "),
        Label::TotalColumn.text(lang)
    );
    let _ = writeln!(md, "| --- |{} ---: |", " ---: |".repeat(names.len()));
    for (i, line) in t.city_rows.iter().enumerate() {
        let cells: Vec<String> = t.by_city_line.iter().map(|(_, v)| g(v[i])).collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            labels::line(lang, *line),
            cells.join(" | "),
            g(t.budget.get(*line))
        );
    }
    if let Some(r) = &t.reforecast {
        let title = match lang {
            Lang::Zh => format!("\n## 年中预测（1–{} 月为实际数）\n", r.months),
            Lang::En => format!("\n## In-year reforecast (months 1–{} actual)\n", r.months),
        };
        let _ = writeln!(
            md,
            "{title}\n| {} | {} | {} | {} | {} | {} |\n| --- | ---: | ---: | ---: | ---: | ---: |",
            Label::Item.text(lang),
            Label::ActualToDate.text(lang),
            Label::ExpectedToDate.text(lang),
            Label::ProjectedYearEnd.text(lang),
            Label::Budget.text(lang),
            Label::OverBudget.text(lang),
        );
        for row in &r.rows {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} |",
                labels::line(lang, row.line),
                g(row.actual_to_date),
                g(row.expected_to_date),
                g(row.projected),
                g(row.budget),
                row.overspend_probability.map_or("—".to_string(), percent),
            );
        }
        let _ = writeln!(
            md,
            "\n{}",
            match lang {
                Lang::Zh => format!(
                    "单位：{u}。其余月份按各路径当年数推算，并以可信度 {}/12 向实际与预算进度之比调整。",
                    r.months
                ),
                Lang::En => format!(
                    "Unit: {u}. The remaining months follow each path, scaled towards the actual-to-expected ratio with credibility {}/12.",
                    r.months
                ),
            }
        );
    }
    md
}
