//! `budget.md`: the tables a budget office hands in — the province's table,
//! the table by city, the table by city and line and, with actuals, the
//! in-year reforecast — amounts with thousands separators.

use super::Tables;
use crate::model::lines::Line;
use crate::report::console::{Align, Table};
use crate::report::format::{NO_VALUE, grouped_decimal as g, markdown_text, percent};
use crate::report::labels::{self, Label, Lang};
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// The Markdown page of the draft.
pub(super) fn budget(t: &Tables, fund: &str, lang: Lang) -> String {
    let mut md = String::new();
    let u = t.unit.label();
    let fund = markdown_text(fund);
    let intro = match lang {
        Lang::Zh => format!(
            "# {} 年工伤保险基金收支预算草案（{fund}）\n\n单位：{u}。预算数为 {} 条模拟路径的均值；低/高情景为当年收支结余处于第 5–15 / 85–95 百分位的路径均值。各表均已按最大余数法取整并严格平衡。\n",
            t.year, t.paths
        ),
        Lang::En => format!(
            "# Work-injury insurance fund budget draft {} ({fund})\n\nUnit: {u}. The budget is the mean of {} Monte Carlo paths; the low and high cases are the means of the paths whose surplus of the year lies between its 5th and 15th, and 85th and 95th percentiles. Every table is rounded by largest remainder and foots exactly.\n",
            t.year, t.paths
        ),
    };
    let last = if t.last_is_projection {
        Label::LastProjected
    } else {
        Label::LastExecuted
    };
    let mut table = Table::new(&[
        (Label::Item.text(lang), Align::Left),
        (Label::Budget.text(lang), Align::Right),
        (Label::Low.text(lang), Align::Right),
        (Label::High.text(lang), Align::Right),
        (last.text(lang), Align::Right),
        (Label::ChangePct.text(lang), Align::Right),
    ]);
    for line in t.rows.iter().copied() {
        table.row(vec![
            labels::line(lang, line),
            g(t.budget.get(line)),
            g(t.low.get(line)),
            g(t.high.get(line)),
            t.last
                .as_ref()
                .map_or(NO_VALUE.to_string(), |l| g(l.get(line))),
            super::change_text(t.change_pct[line.index()]),
        ]);
    }
    let m = |x: Option<Decimal>| x.map_or(NO_VALUE.to_string(), |d| d.to_string());
    table.row(vec![
        labels::line(lang, Line::ReserveMonths),
        m(t.reserve_months[0]),
        m(t.reserve_months[1]),
        m(t.reserve_months[2]),
        m(t.last.as_ref().and_then(super::Column::reserve_months)),
        NO_VALUE.to_string(),
    ]);
    let _ = writeln!(md, "{intro}");
    md += &table.markdown();
    let title = lang.pick("\n## 分地区收支（预算数）\n", "\n## By city (budget)\n");
    let mut table = Table::new(&[
        (Label::City.text(lang), Align::Left),
        (Label::Premiums.text(lang), Align::Right),
        (Label::Expenditure.text(lang), Align::Right),
        (Label::Net.text(lang), Align::Right),
    ]);
    for c in &t.cities {
        table.row(vec![
            c.name.clone(),
            g(c.premiums),
            g(c.expenditure),
            g(c.net),
        ]);
    }
    let p: Decimal = t.cities.iter().map(|c| c.premiums).sum();
    let e: Decimal = t.cities.iter().map(|c| c.expenditure).sum();
    table.row(vec![
        Label::Total.text(lang).to_string(),
        g(p),
        g(e),
        g(p - e),
    ]);
    let _ = writeln!(md, "{title}");
    md += &table.markdown();
    // by city and budget line: cities as columns would be too wide, so lines are rows
    let title = lang.pick(
        "\n## 分地区分科目（预算数）\n",
        "\n## By city and budget line (budget)\n",
    );
    let mut heads = vec![(Label::Item.text(lang), Align::Left)];
    heads.extend(
        t.by_city_line
            .iter()
            .map(|(n, _)| (n.as_str(), Align::Right)),
    );
    heads.push((Label::TotalColumn.text(lang), Align::Right));
    let mut table = Table::new(&heads);
    for (i, line) in t.city_rows.iter().enumerate() {
        let mut cells = vec![labels::line(lang, *line)];
        cells.extend(t.by_city_line.iter().map(|(_, v)| g(v[i])));
        cells.push(g(t.budget.get(*line)));
        table.row(cells);
    }
    let _ = writeln!(md, "{title}");
    md += &table.markdown();
    if let Some(r) = &t.reforecast {
        let title = match lang {
            Lang::Zh => format!("\n## 年中预测（1–{} 月为实际数）\n", r.months),
            Lang::En => format!("\n## In-year reforecast (months 1–{} actual)\n", r.months),
        };
        let mut table = Table::new(&[
            (Label::Item.text(lang), Align::Left),
            (Label::ActualToDate.text(lang), Align::Right),
            (Label::ExpectedToDate.text(lang), Align::Right),
            (Label::ProjectedYearEnd.text(lang), Align::Right),
            (Label::Budget.text(lang), Align::Right),
            (Label::OverBudget.text(lang), Align::Right),
        ]);
        for row in &r.rows {
            table.row(vec![
                labels::line(lang, row.line),
                g(row.actual_to_date),
                g(row.expected_to_date),
                g(row.projected),
                g(row.budget),
                row.overspend_probability
                    .map_or(NO_VALUE.to_string(), percent),
            ]);
        }
        let _ = writeln!(md, "{title}");
        md += &table.markdown();
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
