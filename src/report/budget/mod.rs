//! The budget draft's tables (收支预算草案), rounded in a unit so that every
//! table foots exactly and every table that shows the same amount shows the
//! same digits, and their files: `budget.csv`, `budget.md`, `budget.xlsx`,
//! `cash_plan.csv`, `report.html` and, with actuals, `reforecast.csv`.
//!
//! Footing rules, all exact after rounding:
//! - the income lines add up to 收入合计 and the expenditure lines to
//!   支出合计: each group's total is the exact total rounded half away from
//!   zero, and its lines are rounded by largest remainder to add up to it;
//! - the sub-line 其中：缺口分担资金 is part of 财政补贴收入 (the subsidy line
//!   is printed as the scenario's subsidy plus the gap transfers, each a
//!   rounded part of the income total);
//! - 本年收支结余 = 收入合计 − 支出合计;
//! - 年末滚存结余 = the rounded opening balance + 本年收支结余. This may
//!   differ by one unit of the last digit from the exact closing balance
//!   rounded on its own; the table keeps the identity, as a budget must;
//! - the table by city and line: each line's cells are rounded by largest
//!   remainder to the province's printed amount, and each row's totals are
//!   the sums of its printed cells, so it foots both ways. The table by
//!   city, the funding plan and the workbook take their city totals from it.

mod csv;
mod markdown;
mod xlsx;

use super::labels::Lang;
use super::output_dir::File;
use super::provenance::Provenance;
use super::units::{Unit, largest_remainder, largest_remainder_to};
use crate::analysis::budget::Budget;
use crate::analysis::budget::reforecast::ReforecastLine;
use crate::model::actuals::ACTUAL_LINES;
use crate::model::breakdown::{CITY_LINES, Part};
use crate::model::lines::{Group, Line, LineValues, N_LINES};
use crate::model::scenario::Scenario;
use rust_decimal::{Decimal, RoundingStrategy};

/// The rows of the province's table for a scenario: every line of the
/// accounts its run shows, in report order (the memorandum lines and the
/// ratios stay out; the months of reserve get a row of their own).
pub(crate) fn rows(s: &Scenario) -> Vec<Line> {
    super::shown_lines(s)
        .into_iter()
        .filter(|l| {
            matches!(
                l.group(),
                Group::Income | Group::Payment | Group::Return | Group::Total | Group::Balance
            )
        })
        .collect()
}

/// The income lines that add up to 收入合计 as printed: the gap transfers
/// are printed inside the subsidy (其中：缺口分担资金), not beside it.
pub(crate) const INCOME_PARTS: [Line; 4] = [
    Line::Premiums,
    Line::Interest,
    Line::FiscalSubsidy,
    Line::OtherIncome,
];

/// The lines the province keeps: not attributed to a city (the income lines
/// but premiums, and the provincial expenditure lines).
const PROVINCIAL_LINES: [Line; 6] = [
    Line::Interest,
    Line::FiscalSubsidy,
    Line::GapTransfers,
    Line::OtherIncome,
    Line::Prevention,
    Line::OtherExpenditure,
];

/// A line's change against last year as every table prints it: signed,
/// one decimal (`+105.8`, `-3.2`), or the no-value mark.
pub(crate) fn change_text(change: Option<Decimal>) -> String {
    change.map_or_else(
        || crate::report::format::NO_VALUE.to_string(),
        |p| format!("{p:+}"),
    )
}

/// One column of the budget table, footed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Column {
    /// The opening balance, rounded.
    pub(crate) opening: Decimal,
    /// Each row's amount, by [`Line::index`] (the ratio lines are 0).
    values: [Decimal; N_LINES],
}

impl Column {
    /// Foots a column from exact yearly values (yuan) and the opening balance.
    pub(crate) fn foot(values: &LineValues, opening: f64, unit: Unit) -> Column {
        let get = |l: Line| unit.convert(values[l.index()]);
        let mut out = [Decimal::ZERO; N_LINES];
        let income: Vec<Decimal> = Line::INCOME.iter().map(|l| get(*l)).collect();
        let (income, income_total) = largest_remainder(&income, unit);
        for (l, v) in Line::INCOME.iter().zip(income) {
            out[l.index()] = v;
        }
        // 财政补贴收入 is printed with its sub-line 其中：缺口分担资金
        out[Line::FiscalSubsidy.index()] += out[Line::GapTransfers.index()];
        let expenditure: Vec<Decimal> = Line::EXPENDITURE.iter().map(|l| get(*l)).collect();
        let (expenditure, expenditure_total) = largest_remainder(&expenditure, unit);
        for (l, v) in Line::EXPENDITURE.iter().zip(expenditure) {
            out[l.index()] = v;
        }
        let opening = unit.round(unit.convert(opening));
        let surplus = income_total - expenditure_total;
        out[Line::IncomeTotal.index()] = income_total;
        out[Line::ExpenditureTotal.index()] = expenditure_total;
        out[Line::Surplus.index()] = surplus;
        out[Line::ClosingBalance.index()] = opening + surplus;
        for v in &mut out {
            *v = unit.fixed(*v);
        }
        Column {
            opening: unit.fixed(opening),
            values: out,
        }
    }

    /// The printed amount of a row.
    pub(crate) fn get(&self, line: Line) -> Decimal {
        self.values[line.index()]
    }

    /// The scenario's own subsidy, without the gap transfers printed under it.
    fn own_subsidy(&self) -> Decimal {
        self.get(Line::FiscalSubsidy) - self.get(Line::GapTransfers)
    }

    /// The months of reserve at year end: closing balance over a month of
    /// the year's payments (money paid back to a treasury is not a payment,
    /// docs/model.md §6.2).
    pub(crate) fn reserve_months(&self) -> Option<Decimal> {
        let payments: Decimal = Line::PAYMENTS.iter().map(|l| self.get(*l)).sum();
        let monthly = payments / Decimal::from(12);
        (monthly > Decimal::ZERO).then(|| {
            (self.get(Line::ClosingBalance) / monthly)
                .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        })
    }

    /// Checks every footing rule; returns the first that fails.
    pub(crate) fn check(&self) -> Result<(), String> {
        let g = |l: Line| self.get(l);
        let income: Decimal = INCOME_PARTS.iter().map(|l| g(*l)).sum();
        let expenditure: Decimal = Line::EXPENDITURE.iter().map(|l| g(*l)).sum();
        let rules = [
            (
                income == g(Line::IncomeTotal),
                "income lines add up to 收入合计",
            ),
            (
                expenditure == g(Line::ExpenditureTotal),
                "expenditure lines add up to 支出合计",
            ),
            (
                g(Line::GapTransfers) <= g(Line::FiscalSubsidy),
                "缺口分担资金 is part of 财政补贴收入",
            ),
            (
                g(Line::IncomeTotal) - g(Line::ExpenditureTotal) == g(Line::Surplus),
                "收入 − 支出 = 结余",
            ),
            (
                self.opening + g(Line::Surplus) == g(Line::ClosingBalance),
                "opening + 结余 = 年末滚存结余",
            ),
        ];
        match rules.iter().find(|(ok, _)| !ok) {
            Some((_, rule)) => Err((*rule).to_string()),
            None => Ok(()),
        }
    }
}

/// One row of the table by city.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CityRow {
    /// City, or 省本级 for the provincial lines.
    pub(crate) name: String,
    /// 工伤保险费收入.
    pub(crate) premiums: Decimal,
    /// 支出 attributed to the city (provincial lines on the 省本级 row).
    pub(crate) expenditure: Decimal,
    /// Premiums less expenditure.
    pub(crate) net: Decimal,
}

/// The monthly funding plan (用款计划), rounded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlanTable {
    /// `[month][city]`: transfer due before the 15th; each city's months
    /// add up to its expenditure in the table by city.
    pub(crate) transfers: Vec<Vec<Decimal>>,
    /// `[month]`: all cities' transfers.
    pub(crate) totals: Vec<Decimal>,
    /// `[city]`: revolving fund, one month (January) of payments.
    pub(crate) revolving_fund: Vec<Decimal>,
    /// `[month]`: the pooled account's balance at month end; December's is
    /// the budget's year-end balance.
    pub(crate) balance: Vec<Decimal>,
    /// `[month]`: the balance would not cover the next month's transfers.
    pub(crate) short: Vec<bool>,
}

/// One row of the reforecast table, rounded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReforecastRow {
    /// The line.
    pub(crate) line: Line,
    /// Actual to date.
    pub(crate) actual_to_date: Decimal,
    /// What the budget expected to date.
    pub(crate) expected_to_date: Decimal,
    /// Projected year end, mean over paths.
    pub(crate) projected: Decimal,
    /// The budget, as printed in the budget table.
    pub(crate) budget: Decimal,
    /// Probability of ending above the budget (expenditure lines).
    pub(crate) overspend_probability: Option<f64>,
}

/// The in-year reforecast, rounded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReforecastTable {
    /// Months of actuals: 1..=`months`.
    pub(crate) months: usize,
    /// The actual lines, then the two totals.
    pub(crate) rows: Vec<ReforecastRow>,
}

/// Every table of the budget draft, in one unit.
#[derive(Debug, Clone)]
pub(crate) struct Tables {
    /// Calendar year.
    pub(crate) year: i32,
    /// Unit.
    pub(crate) unit: Unit,
    /// Paths behind the budget.
    pub(crate) paths: u64,
    /// The rows of the province's table ([`rows`]).
    pub(crate) rows: Vec<Line>,
    /// The rows of the table by city and line: every row but the year-end
    /// balance, which is the province's only.
    pub(crate) city_rows: Vec<Line>,
    /// 预算数.
    pub(crate) budget: Column,
    /// The low case.
    pub(crate) low: Column,
    /// The high case.
    pub(crate) high: Column,
    /// Months of reserve at year end in the three columns.
    pub(crate) reserve_months: [Option<Decimal>; 3],
    /// Last year's column.
    pub(crate) last: Option<Column>,
    /// Whether last year is a projection.
    pub(crate) last_is_projection: bool,
    /// The budget's change against last year, %, per row (`None` when last year is 0 or absent).
    pub(crate) change_pct: [Option<Decimal>; N_LINES],
    /// By city (then 省本级) and line, in the order of `city_rows`.
    pub(crate) by_city_line: Vec<(String, Vec<Decimal>)>,
    /// By city (then 省本级): from the table by city and line.
    pub(crate) cities: Vec<CityRow>,
    /// City names (without 省本级).
    pub(crate) city_names: Vec<String>,
    /// The funding plan.
    pub(crate) plan: PlanTable,
    /// The reforecast, with actuals.
    pub(crate) reforecast: Option<ReforecastTable>,
}

impl Tables {
    /// Rounds a budget draft of `s` in `unit`; `reforecast` adds its table.
    pub(crate) fn new(
        s: &Scenario,
        b: &Budget,
        unit: Unit,
        reforecast: Option<(usize, &[ReforecastLine])>,
    ) -> Tables {
        let budget = Column::foot(&b.budget.lines, b.budget.opening, unit);
        let low = Column::foot(&b.low.lines, b.low.opening, unit);
        let high = Column::foot(&b.high.lines, b.high.opening, unit);
        let last = b
            .last
            .as_ref()
            .map(|c| Column::foot(&c.lines, c.opening, unit));
        let rows = rows(s);
        let city_rows: Vec<Line> = rows
            .iter()
            .copied()
            .filter(|l| *l != Line::ClosingBalance)
            .collect();
        let mut change_pct = [None; N_LINES];
        for line in rows.iter().copied() {
            change_pct[line.index()] = last.as_ref().and_then(|l| {
                let (now, was) = (budget.get(line), l.get(line));
                (!was.is_zero()).then(|| {
                    ((now - was) / was.abs() * Decimal::from(100))
                        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
                })
            });
        }
        let provincial = super::labels::Label::Provincial.text(Lang::Zh).to_string();
        let by_city_line = city_line_table(s, b, &budget, unit, &provincial, &city_rows);
        let col = |l: Line| city_rows.iter().position(|x| *x == l);
        let cell = |cells: &[Decimal], l: Line| col(l).map_or(Decimal::ZERO, |i| cells[i]);
        let cities: Vec<CityRow> = by_city_line
            .iter()
            .map(|(name, cells)| {
                let premiums = cell(cells, Line::Premiums);
                let expenditure = cell(cells, Line::ExpenditureTotal);
                CityRow {
                    name: name.clone(),
                    premiums,
                    expenditure,
                    net: unit.fixed(premiums - expenditure),
                }
            })
            .collect();
        // the funding plan pays each city's cases and stocks: its expenditure
        // without the money a scheme gives back to its treasury
        let payments: Vec<Decimal> = by_city_line
            .iter()
            .map(|(_, cells)| cell(cells, Line::ExpenditureTotal) - cell(cells, Line::Returned))
            .collect();
        let plan = plan_table(b, &budget, &payments, unit);
        let reforecast =
            reforecast.map(|(months, lines)| reforecast_table(months, lines, &budget, unit, &rows));
        Tables {
            year: b.year,
            unit,
            paths: b.paths,
            rows,
            city_rows,
            reserve_months: [
                budget.reserve_months(),
                low.reserve_months(),
                high.reserve_months(),
            ],
            budget,
            low,
            high,
            last,
            last_is_projection: b.last_is_projection,
            change_pct,
            by_city_line,
            cities,
            city_names: s.cities.iter().map(|c| c.name.clone()).collect(),
            plan,
            reforecast,
        }
    }

    /// Every footing rule of every table; the first that fails.
    pub(crate) fn check(&self) -> Result<(), String> {
        for (name, col) in [
            ("budget", &self.budget),
            ("low", &self.low),
            ("high", &self.high),
        ] {
            col.check().map_err(|e| format!("{name} column: {e}"))?;
        }
        let p: Decimal = self.cities.iter().map(|c| c.premiums).sum();
        let e: Decimal = self.cities.iter().map(|c| c.expenditure).sum();
        if p != self.budget.get(Line::Premiums) {
            return Err("cities' premiums add up to the province's".into());
        }
        if e != self.budget.get(Line::ExpenditureTotal) {
            return Err("cities' expenditure (with 省本级) adds up to the province's".into());
        }
        if self
            .cities
            .iter()
            .any(|c| c.premiums - c.expenditure != c.net)
        {
            return Err("net = premiums − expenditure on every row".into());
        }
        for (i, row) in self.city_rows.iter().enumerate() {
            let sum: Decimal = self.by_city_line.iter().map(|(_, v)| v[i]).sum();
            if sum != self.budget.get(*row) {
                return Err(format!(
                    "by city and line: {} adds up to the province's",
                    row.def().zh
                ));
            }
        }
        let returned = self.city_rows.iter().position(|l| *l == Line::Returned);
        for (c, city) in self.city_names.iter().enumerate() {
            let months: Decimal = self.plan.transfers.iter().map(|m| m[c]).sum();
            let back = returned.map_or(Decimal::ZERO, |i| self.by_city_line[c].1[i]);
            if months != self.cities[c].expenditure - back {
                return Err(format!(
                    "funding plan: {city}'s months add up to its expenditure"
                ));
            }
        }
        if self.plan.balance.last() != Some(&self.budget.get(Line::ClosingBalance)) {
            return Err("funding plan: December's balance is the year-end balance".into());
        }
        if let Some(r) = &self.reforecast {
            for (total, group) in [
                (Line::IncomeTotal, &Line::INCOME[..]),
                (Line::ExpenditureTotal, &Line::EXPENDITURE[..]),
            ] {
                let t = r
                    .rows
                    .iter()
                    .find(|x| x.line == total)
                    .expect("a total row");
                let lines = r.rows.iter().filter(|x| group.contains(&x.line));
                let sums = lines.fold([Decimal::ZERO; 4], |mut acc, x| {
                    acc[0] += x.actual_to_date;
                    acc[1] += x.expected_to_date;
                    acc[2] += x.projected;
                    acc[3] += x.budget;
                    acc
                });
                if sums != [t.actual_to_date, t.expected_to_date, t.projected, t.budget] {
                    return Err(format!(
                        "reforecast: the lines add up to {}",
                        total.def().zh
                    ));
                }
            }
        }
        Ok(())
    }

    /// Every file of the draft.
    pub(crate) fn files(
        &self,
        s: &Scenario,
        provenance: &Provenance,
        lang: Lang,
    ) -> anyhow::Result<Vec<File>> {
        let mut files = vec![
            File::text("budget.csv", csv::budget(self, lang)?),
            File::text("budget.md", markdown::budget(self, &provenance.title, lang)),
            File {
                name: "budget.xlsx".into(),
                bytes: xlsx::workbook(self, s, provenance, lang)?,
            },
            File::text("cash_plan.csv", csv::cash_plan(self)?),
            File::text(
                "report.html",
                super::document::budget(s, self, provenance, lang).render()?,
            ),
        ];
        if self.reforecast.is_some() {
            files.push(File::text("reforecast.csv", csv::reforecast(self, lang)?));
        }
        Ok(files)
    }
}

/// The table by city and budget line: premiums and the lines of cases and
/// stocks by city, the provincial lines on the 省本级 row.
fn city_line_table(
    s: &Scenario,
    b: &Budget,
    budget: &Column,
    unit: Unit,
    provincial: &str,
    city_rows: &[Line],
) -> Vec<(String, Vec<Decimal>)> {
    let c = s.n_cities();
    let mut cells = vec![vec![Decimal::ZERO; city_rows.len()]; c + 1];
    let col = |l: Line| city_rows.iter().position(|x| *x == l);
    // attributed to cities: premiums and the lines of cases and stocks (the
    // province's row 0); money paid back, by payer (the province's last)
    let mut attributed = vec![(
        Line::Premiums,
        b.breakdown
            .part(Part::CityPremiums)
            .iter()
            .copied()
            .chain([0.0])
            .collect::<Vec<f64>>(),
    )];
    for (i, line) in CITY_LINES.iter().enumerate() {
        attributed.push((
            *line,
            (0..c)
                .map(|ci| b.breakdown.city_line(ci, i))
                .chain([0.0])
                .collect(),
        ));
    }
    let back = b.breakdown.part(Part::ReturnedToPayer);
    attributed.push((
        Line::Returned,
        back[1..].iter().copied().chain([back[0]]).collect(),
    ));
    for (line, values) in attributed {
        let Some(at) = col(line) else {
            continue;
        };
        let parts: Vec<Decimal> = values.iter().map(|v| unit.convert(*v)).collect();
        for (r, v) in largest_remainder_to(&parts, unit, budget.get(line))
            .into_iter()
            .enumerate()
        {
            cells[r][at] = v;
        }
    }
    for line in PROVINCIAL_LINES {
        if let Some(at) = col(line) {
            cells[c][at] = budget.get(line);
        }
    }
    for row in &mut cells {
        let g = |l: Line| col(l).map_or(Decimal::ZERO, |i| row[i]);
        let income: Decimal = INCOME_PARTS.iter().map(|l| g(*l)).sum();
        let expenditure: Decimal = Line::EXPENDITURE.iter().map(|l| g(*l)).sum();
        for (line, v) in [
            (Line::IncomeTotal, income),
            (Line::ExpenditureTotal, expenditure),
            (Line::Surplus, income - expenditure),
        ] {
            if let Some(i) = col(line) {
                row[i] = v;
            }
        }
        for v in row.iter_mut() {
            *v = unit.fixed(*v);
        }
    }
    s.cities
        .iter()
        .map(|x| x.name.clone())
        .chain([provincial.to_string()])
        .zip(cells)
        .collect()
}

/// The funding plan: each city's payments (from the table by city and
/// line) spread over the months by the expected-value pattern, rounded by
/// largest remainder so that its months add up to it; the account's
/// balance from the budget's lines spread the same way.
fn plan_table(b: &Budget, budget: &Column, payments: &[Decimal], unit: Unit) -> PlanTable {
    let n_cities = b.breakdown.dims().cities;
    let months = b.pattern.lines.len();
    let spread = |total: Decimal, shares: &[f64]| -> Vec<Decimal> {
        let parts: Vec<Decimal> = shares
            .iter()
            .map(|s| total * Decimal::try_from(*s).unwrap_or(Decimal::ZERO))
            .collect();
        largest_remainder_to(&parts, unit, total)
            .into_iter()
            .map(|d| unit.fixed(d))
            .collect()
    };
    let by_city: Vec<Vec<Decimal>> = (0..n_cities)
        .map(|c| spread(payments[c], &b.pattern.city_shares(c)))
        .collect();
    let transfers: Vec<Vec<Decimal>> = (0..months)
        .map(|m| by_city.iter().map(|city| city[m]).collect())
        .collect();
    let totals: Vec<Decimal> = transfers
        .iter()
        .map(|m| unit.fixed(m.iter().copied().sum()))
        .collect();
    // the account: every flow line's printed amount spread over the months
    let mut net = vec![Decimal::ZERO; months];
    for (lines, sign) in [
        (&Line::INCOME[..], Decimal::ONE),
        (&Line::EXPENDITURE[..], -Decimal::ONE),
    ] {
        for line in lines {
            let amount = if *line == Line::FiscalSubsidy {
                budget.own_subsidy()
            } else {
                budget.get(*line)
            };
            for (n, v) in net
                .iter_mut()
                .zip(spread(amount, &b.pattern.line_shares(line.index())))
            {
                *n += sign * v;
            }
        }
    }
    let mut balance = Vec::with_capacity(months);
    let mut running = budget.opening;
    for n in &net {
        running += n;
        balance.push(unit.fixed(running));
    }
    let next_january = b.pattern.next_january.map(|v| unit.round(unit.convert(v)));
    let short = (0..months)
        .map(|m| {
            let need = match totals.get(m + 1) {
                Some(t) => *t,
                None => next_january.unwrap_or(totals[m]),
            };
            balance[m] < need
        })
        .collect();
    PlanTable {
        revolving_fund: transfers.first().cloned().unwrap_or_default(),
        transfers,
        totals,
        balance,
        short,
    }
}

/// The reforecast rounded: each column's lines by largest remainder to
/// their group's rounded total; the budget column as the budget table
/// prints it.
fn reforecast_table(
    months: usize,
    lines: &[ReforecastLine],
    budget: &Column,
    unit: Unit,
    shown: &[Line],
) -> ReforecastTable {
    let find = |l: Line| {
        lines
            .iter()
            .find(|x| x.line == l)
            .expect("a reforecast line")
    };
    let mut rows: Vec<ReforecastRow> = ACTUAL_LINES
        .iter()
        .filter(|l| shown.contains(l))
        .chain([Line::IncomeTotal, Line::ExpenditureTotal].iter())
        .map(|l| {
            let x = find(*l);
            ReforecastRow {
                line: *l,
                actual_to_date: Decimal::ZERO,
                expected_to_date: Decimal::ZERO,
                projected: Decimal::ZERO,
                budget: match *l {
                    Line::FiscalSubsidy => budget.own_subsidy(),
                    other => budget.get(other),
                },
                overspend_probability: x.overspend_probability,
            }
        })
        .collect();
    for (total, group) in [
        (Line::IncomeTotal, &Line::INCOME[..]),
        (Line::ExpenditureTotal, &Line::EXPENDITURE[..]),
    ] {
        type Pick = fn(&ReforecastLine) -> f64;
        type Put = fn(&mut ReforecastRow, Decimal);
        let columns: [(Pick, Put); 3] = [
            (|x| x.actual_to_date, |r, v| r.actual_to_date = v),
            (|x| x.expected_to_date, |r, v| r.expected_to_date = v),
            (|x| x.projected, |r, v| r.projected = v),
        ];
        for (pick, put) in columns {
            let parts: Vec<Decimal> = group.iter().map(|l| unit.convert(pick(find(*l)))).collect();
            let (rounded, sum) = largest_remainder(&parts, unit);
            for (l, v) in group.iter().zip(rounded) {
                // a line the run does not show is 0 in every column
                if let Some(row) = rows.iter_mut().find(|r| r.line == *l) {
                    put(row, unit.fixed(v));
                }
            }
            let row = rows
                .iter_mut()
                .find(|r| r.line == total)
                .expect("a total row");
            put(row, unit.fixed(sum));
        }
    }
    ReforecastTable { months, rows }
}

#[cfg(test)]
mod tests;
