//! The fund budget draft's money (issue 6; MODEL.md section 8): the budget
//! lines (预算科目) in their order, amounts in `rust_decimal` at the chosen
//! unit, rounded so that the printed table foots exactly.
//!
//! Footing rules, all exact after rounding:
//! - the income lines add up to 收入合计 and the expenditure lines to
//!   支出合计: each group's total is the exact total rounded half away from
//!   zero, and its lines are rounded by largest remainder to add up to it;
//! - the sub-line 其中：缺口分担资金 is part of 财政补贴收入 (the subsidy
//!   line is printed as the scenario's subsidy plus the gap transfers, each
//!   a rounded part of the income total);
//! - 本年收支结余 = 收入合计 − 支出合计;
//! - 年末滚存结余 = the rounded opening balance + 本年收支结余. This may
//!   differ by one unit of the last digit from the exact closing balance
//!   rounded on its own; the table keeps the identity, as a budget must.

use crate::lines::{Line, LineValues};
use rust_decimal::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// The unit amounts are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// 元, two decimals (fen).
    Yuan,
    /// 万元, two decimals.
    Wan,
    /// 亿元, four decimals.
    Yi,
}

impl Unit {
    /// Yuan per unit.
    pub fn yuan(self) -> Decimal {
        match self {
            Unit::Yuan => Decimal::ONE,
            Unit::Wan => Decimal::from(10_000),
            Unit::Yi => Decimal::from(100_000_000),
        }
    }

    /// Decimals shown.
    pub fn decimals(self) -> u32 {
        match self {
            Unit::Yuan | Unit::Wan => 2,
            Unit::Yi => 4,
        }
    }

    /// The label in a table header.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::Wan => "万元",
            Unit::Yi => "亿元",
        }
    }

    /// An exact amount in yuan expressed in this unit, not yet rounded.
    pub fn convert(self, yuan: f64) -> Decimal {
        let d = Decimal::from_f64(yuan).unwrap_or(Decimal::ZERO);
        d / self.yuan()
    }

    /// A rounded amount written with exactly the unit's decimals (`0.00`).
    pub fn fixed(self, d: Decimal) -> Decimal {
        let mut x = d;
        x.rescale(self.decimals());
        x
    }

    /// Rounds a converted amount to the unit's decimals, half away from zero.
    pub fn round(self, d: Decimal) -> Decimal {
        d.round_dp_with_strategy(self.decimals(), RoundingStrategy::MidpointAwayFromZero)
    }
}

/// Rounds `parts` (already in the unit) so that they add up exactly to
/// their total rounded half away from zero: each part is truncated towards
/// minus infinity at the unit's decimals, then the missing units go one
/// each to the parts with the largest remainders (ties to the earlier
/// part). Returns the rounded parts and the total.
pub fn largest_remainder(parts: &[Decimal], unit: Unit) -> (Vec<Decimal>, Decimal) {
    let dp = unit.decimals();
    let step = Decimal::new(1, dp);
    let total = unit.round(parts.iter().copied().sum());
    let mut rounded: Vec<Decimal> = parts
        .iter()
        .map(|p| p.round_dp_with_strategy(dp, RoundingStrategy::ToNegativeInfinity))
        .collect();
    let mut missing = ((total - rounded.iter().copied().sum::<Decimal>()) / step)
        .round()
        .to_i64()
        .unwrap_or(0);
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (parts[a] - rounded[a], parts[b] - rounded[b]);
        rb.cmp(&ra).then(a.cmp(&b))
    });
    // a negative `missing` cannot happen with floors, but is handled by
    // taking units back from the smallest remainders
    let mut i = 0;
    while missing > 0 && !order.is_empty() {
        rounded[order[i % order.len()]] += step;
        missing -= 1;
        i += 1;
    }
    let mut j = order.len();
    while missing < 0 && !order.is_empty() {
        j = if j == 0 { order.len() - 1 } else { j - 1 };
        rounded[order[j]] -= step;
        missing += 1;
    }
    (rounded, total)
}

/// A row of the budget table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Row {
    /// 工伤保险费收入.
    Premiums,
    /// 利息收入.
    Interest,
    /// 财政补贴收入 (with the gap transfers).
    FiscalSubsidy,
    /// 其中：缺口分担资金.
    GapTransfers,
    /// 其他收入.
    OtherIncome,
    /// 收入合计.
    IncomeTotal,
    /// 工伤医疗待遇支出.
    Medical,
    /// 伤残待遇支出.
    Disability,
    /// 工亡待遇支出.
    Death,
    /// 工伤认定调查支出.
    Investigation,
    /// 劳动能力鉴定支出.
    Appraisal,
    /// 工伤预防费支出.
    Prevention,
    /// 其他支出.
    OtherExpenditure,
    /// 支出合计.
    ExpenditureTotal,
    /// 本年收支结余.
    Surplus,
    /// 年末滚存结余.
    ClosingBalance,
}

impl Row {
    /// Every row, in the order of MODEL.md section 8.
    pub const ALL: [Row; 16] = [
        Row::Premiums,
        Row::Interest,
        Row::FiscalSubsidy,
        Row::GapTransfers,
        Row::OtherIncome,
        Row::IncomeTotal,
        Row::Medical,
        Row::Disability,
        Row::Death,
        Row::Investigation,
        Row::Appraisal,
        Row::Prevention,
        Row::OtherExpenditure,
        Row::ExpenditureTotal,
        Row::Surplus,
        Row::ClosingBalance,
    ];

    /// The budget line's Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Row::FiscalSubsidy => "财政补贴收入",
            Row::GapTransfers => "其中：缺口分担资金",
            other => other.line().label_zh(),
        }
    }

    /// The report line it comes from.
    pub fn line(self) -> Line {
        match self {
            Row::Premiums => Line::Premiums,
            Row::Interest => Line::Interest,
            Row::FiscalSubsidy => Line::FiscalSubsidy,
            Row::GapTransfers => Line::GapTransfers,
            Row::OtherIncome => Line::OtherIncome,
            Row::IncomeTotal => Line::IncomeTotal,
            Row::Medical => Line::Medical,
            Row::Disability => Line::Disability,
            Row::Death => Line::Death,
            Row::Investigation => Line::Investigation,
            Row::Appraisal => Line::Appraisal,
            Row::Prevention => Line::Prevention,
            Row::OtherExpenditure => Line::OtherExpenditure,
            Row::ExpenditureTotal => Line::ExpenditureTotal,
            Row::Surplus => Line::Surplus,
            Row::ClosingBalance => Line::ClosingBalance,
        }
    }
}

/// One column of the budget table, footed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// The unit.
    pub unit: Unit,
    /// The opening balance, rounded.
    pub opening: Decimal,
    /// Each row's amount, in the order of [`Row::ALL`].
    pub rows: Vec<Decimal>,
}

impl Column {
    /// Foots a column from exact yearly values (yuan) and the opening balance.
    pub fn foot(values: &LineValues, opening: f64, unit: Unit) -> Column {
        let get = |l: Line| unit.convert(values[l.index()]);
        // income: premiums, interest, own subsidy, gap transfers, other
        let income_parts = [
            get(Line::Premiums),
            get(Line::Interest),
            get(Line::FiscalSubsidy),
            get(Line::GapTransfers),
            get(Line::OtherIncome),
        ];
        let (inc, income_total) = largest_remainder(&income_parts, unit);
        let expenditure_parts: Vec<Decimal> = Line::EXPENDITURE.iter().map(|l| get(*l)).collect();
        let (exp, expenditure_total) = largest_remainder(&expenditure_parts, unit);
        let opening = unit.round(unit.convert(opening));
        let surplus = income_total - expenditure_total;
        let rows: Vec<Decimal> = [
            inc[0],
            inc[1],
            inc[2] + inc[3],
            inc[3],
            inc[4],
            income_total,
            exp[0],
            exp[1],
            exp[2],
            exp[3],
            exp[4],
            exp[5],
            exp[6],
            expenditure_total,
            surplus,
            opening + surplus,
        ]
        .into_iter()
        .map(|d| unit.fixed(d))
        .collect();
        Column {
            unit,
            opening: unit.fixed(opening),
            rows,
        }
    }

    /// The amount of a row.
    pub fn get(&self, row: Row) -> Decimal {
        self.rows[Row::ALL
            .iter()
            .position(|r| *r == row)
            .expect("every row is in ALL")]
    }

    /// Checks every footing rule; returns the first that fails.
    pub fn check(&self) -> Result<(), String> {
        let g = |r: Row| self.get(r);
        let income =
            g(Row::Premiums) + g(Row::Interest) + g(Row::FiscalSubsidy) + g(Row::OtherIncome);
        let expenditure = [
            Row::Medical,
            Row::Disability,
            Row::Death,
            Row::Investigation,
            Row::Appraisal,
            Row::Prevention,
            Row::OtherExpenditure,
        ]
        .iter()
        .map(|r| g(*r))
        .sum::<Decimal>();
        let rules = [
            (
                income == g(Row::IncomeTotal),
                "income lines add up to 收入合计",
            ),
            (
                expenditure == g(Row::ExpenditureTotal),
                "expenditure lines add up to 支出合计",
            ),
            (
                g(Row::GapTransfers) <= g(Row::FiscalSubsidy),
                "缺口分担资金 is part of 财政补贴收入",
            ),
            (
                g(Row::IncomeTotal) - g(Row::ExpenditureTotal) == g(Row::Surplus),
                "收入 − 支出 = 结余",
            ),
            (
                self.opening + g(Row::Surplus) == g(Row::ClosingBalance),
                "opening + 结余 = 年末滚存结余",
            ),
        ];
        match rules.iter().find(|(ok, _)| !ok) {
            Some((_, rule)) => Err((*rule).to_string()),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::N_LINES;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Three thirds of 100 round to 33.34 + 33.33 + 33.33 (the first gets the extra cent).
    #[test]
    fn thirds() {
        let third = Decimal::from(100) / Decimal::from(3);
        let (parts, total) = largest_remainder(&[third, third, third], Unit::Wan);
        assert_eq!(total, d("100.00"));
        assert_eq!(parts, vec![d("33.34"), d("33.33"), d("33.33")]);
    }

    /// Half-way amounts round away from zero, not to even (Decimal's default).
    #[test]
    fn midpoint_away_from_zero() {
        assert_eq!(Unit::Wan.round(d("0.125")), d("0.13"));
        assert_eq!(Unit::Wan.round(d("0.135")), d("0.14"));
        assert_eq!(Unit::Wan.round(d("-0.125")), d("-0.13"));
    }

    fn lines() -> impl Strategy<Value = LineValues> {
        // amounts up to 50亿 yuan with fen, income and expenditure lines ≥ 0
        proptest::collection::vec(0.0f64..5e9, 12).prop_map(|v| {
            let mut out = [0.0; N_LINES];
            for (l, x) in Line::INCOME.iter().chain(Line::EXPENDITURE.iter()).zip(v) {
                out[l.index()] = (x * 100.0).round() / 100.0;
            }
            crate::lines::fill_totals(&mut out);
            out
        })
    }

    proptest! {
        /// After rounding, every total equals the sum of its printed parts,
        /// in every unit, for any amounts.
        #[test]
        fn every_column_foots(values in lines(), opening in -1e10f64..1e10, unit in prop_oneof![Just(Unit::Yuan), Just(Unit::Wan), Just(Unit::Yi)]) {
            let col = Column::foot(&values, opening, unit);
            prop_assert_eq!(col.check(), Ok(()));
            // each rounded line is within one unit of the last digit of the exact amount
            let step = Decimal::new(1, unit.decimals());
            for row in [Row::Premiums, Row::Medical, Row::OtherExpenditure] {
                let exact = unit.convert(values[row.line().index()]);
                prop_assert!((col.get(row) - exact).abs() < step, "{:?}", row);
            }
            // totals are the exact totals rounded on their own
            prop_assert_eq!(col.get(Row::IncomeTotal), unit.round(
                Line::INCOME.iter().map(|l| unit.convert(values[l.index()])).sum()));
        }

        /// Largest remainder keeps the rounded total for any parts.
        #[test]
        fn largest_remainder_keeps_the_total(parts in proptest::collection::vec(-1e9f64..1e9, 1..20)) {
            let parts: Vec<Decimal> = parts.iter().map(|p| Unit::Wan.convert(*p)).collect();
            let (rounded, total) = largest_remainder(&parts, Unit::Wan);
            prop_assert_eq!(rounded.iter().copied().sum::<Decimal>(), total);
            prop_assert_eq!(total, Unit::Wan.round(parts.iter().copied().sum()));
        }
    }
}

/// Rounds `parts` so that they add up exactly to `target` (already rounded):
/// floors, then the missing units to the largest remainders.
pub fn largest_remainder_to(parts: &[Decimal], unit: Unit, target: Decimal) -> Vec<Decimal> {
    let (mut rounded, total) = largest_remainder(parts, unit);
    let step = Decimal::new(1, unit.decimals());
    let mut missing = ((target - total) / step).round().to_i64().unwrap_or(0);
    if parts.is_empty() {
        return rounded;
    }
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        (parts[b] - rounded[b])
            .cmp(&(parts[a] - rounded[a]))
            .then(a.cmp(&b))
    });
    let mut i = 0;
    while missing != 0 {
        let at = order[i % order.len()];
        if missing > 0 {
            rounded[at] += step;
            missing -= 1;
        } else {
            rounded[order[order.len() - 1 - i % order.len()]] -= step;
            missing += 1;
        }
        i += 1;
    }
    rounded
}

/// Language of the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Chinese labels.
    Zh,
    /// English labels, the Chinese beside them.
    En,
}

impl Row {
    /// The English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Row::Premiums => "Premium income",
            Row::Interest => "Interest income",
            Row::FiscalSubsidy => "Fiscal subsidies",
            Row::GapTransfers => "of which: gap-sharing transfers",
            Row::OtherIncome => "Other income",
            Row::IncomeTotal => "Total income",
            Row::Medical => "Medical and rehabilitation",
            Row::Disability => "Disability benefits",
            Row::Death => "Death benefits",
            Row::Investigation => "Injury-determination investigation",
            Row::Appraisal => "Labour-capacity appraisal",
            Row::Prevention => "Injury prevention",
            Row::OtherExpenditure => "Other expenditure",
            Row::ExpenditureTotal => "Total expenditure",
            Row::Surplus => "Surplus of the year",
            Row::ClosingBalance => "Balance at year end",
        }
    }

    /// The label in a language.
    pub fn label(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.label_zh().to_string(),
            Lang::En => format!("{} ({})", self.label_en(), self.label_zh()),
        }
    }
}

/// The budget draft of one year: the province table (the budget and a low
/// and a high scenario) and the table by city.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    /// Calendar year.
    pub year: i32,
    /// Unit.
    pub unit: Unit,
    /// Paths behind it.
    pub paths: u64,
    /// 预算数: the mean over paths.
    pub budget: Column,
    /// The mean of the paths whose surplus lies between its 5th and 15th
    /// percentiles: a low case centred on the 10th percentile that still foots.
    pub low: Column,
    /// The same between the 85th and 95th percentiles.
    pub high: Column,
    /// Months of reserve at year end in the three columns.
    pub reserve_months: [Option<Decimal>; 3],
    /// Last year: the scenario's execution for the first projection year,
    /// the projected mean of the year before otherwise (`None` when neither).
    pub last: Option<Column>,
    /// What the last-year column is: 上年执行数 or 上年预计数.
    pub last_is_projection: bool,
    /// The budget's change against last year, %, per row (`None` when last year is 0 or absent).
    pub change_pct: Vec<Option<Decimal>>,
    /// By city (then 省本级): premiums, case and stock expenditure, net.
    pub cities: Vec<CityRow>,
    /// By city (then 省本级) and budget line, in the order of [`CITY_TABLE_ROWS`].
    pub by_city_line: Vec<(String, Vec<Decimal>)>,
}

/// The budget lines of the table by city and line: every row but the last,
/// the year-end balance, which is the province's only.
pub const CITY_TABLE_ROWS: &[Row] = Row::ALL.split_at(Row::ALL.len() - 1).0;

/// The table by city and budget line: premiums and the five lines of cases
/// and stocks by city, the provincial lines on the 省本级 row. Each line's
/// cells are rounded by largest remainder to the province's printed amount,
/// and each row's totals are the sums of its printed cells, so the table
/// foots both ways.
fn city_line_table(
    s: &crate::scenario::Scenario,
    y: &crate::stats::YearResult,
    budget: &Column,
    unit: Unit,
) -> Vec<(String, Vec<Decimal>)> {
    use crate::engine::CITY_LINES;
    let c = s.n_cities();
    let rows = c + 1;
    let mut cells = vec![vec![Decimal::ZERO; CITY_TABLE_ROWS.len()]; rows];
    let col = |r: Row| {
        CITY_TABLE_ROWS
            .iter()
            .position(|x| *x == r)
            .expect("a city-table row")
    };
    // attributed to cities: premiums and the lines of cases and stocks
    let mut attributed = vec![(Row::Premiums, y.city_premiums.clone())];
    for (i, line) in CITY_LINES.iter().enumerate() {
        let row = Row::ALL
            .iter()
            .copied()
            .find(|r| r.line() == *line)
            .expect("a budget row per line");
        attributed.push((
            row,
            (0..c)
                .map(|ci| y.city_lines[ci * CITY_LINES.len() + i])
                .collect(),
        ));
    }
    for (row, values) in attributed {
        let parts: Vec<Decimal> = values
            .iter()
            .map(|v| unit.convert(*v))
            .chain([Decimal::ZERO])
            .collect();
        for (r, v) in largest_remainder_to(&parts, unit, budget.get(row))
            .into_iter()
            .enumerate()
        {
            cells[r][col(row)] = v;
        }
    }
    // the province's own lines
    for row in [
        Row::Interest,
        Row::FiscalSubsidy,
        Row::GapTransfers,
        Row::OtherIncome,
        Row::Prevention,
        Row::OtherExpenditure,
    ] {
        cells[c][col(row)] = budget.get(row);
    }
    for row in cells.iter_mut() {
        let g = |r: Row| row[col(r)];
        let income =
            g(Row::Premiums) + g(Row::Interest) + g(Row::FiscalSubsidy) + g(Row::OtherIncome);
        let expenditure: Decimal = [
            Row::Medical,
            Row::Disability,
            Row::Death,
            Row::Investigation,
            Row::Appraisal,
            Row::Prevention,
            Row::OtherExpenditure,
        ]
        .iter()
        .map(|r| g(*r))
        .sum();
        row[col(Row::IncomeTotal)] = income;
        row[col(Row::ExpenditureTotal)] = expenditure;
        row[col(Row::Surplus)] = income - expenditure;
        for v in row.iter_mut() {
            *v = unit.fixed(*v);
        }
    }
    s.cities
        .iter()
        .map(|x| x.name.clone())
        .chain(["省本级".to_string()])
        .zip(cells)
        .collect()
}

/// One row of the table by city.
#[derive(Debug, Clone, Serialize)]
pub struct CityRow {
    /// City, or 省本级 for the provincial lines.
    pub name: String,
    /// 工伤保险费收入.
    pub premiums: Decimal,
    /// 支出 attributed to the city (provincial lines on the 省本级 row).
    pub expenditure: Decimal,
    /// Premiums less expenditure.
    pub net: Decimal,
}

fn months(col: &Column) -> Option<Decimal> {
    let monthly = col.get(Row::ExpenditureTotal) / Decimal::from(12);
    (monthly > Decimal::ZERO).then(|| {
        (col.get(Row::ClosingBalance) / monthly)
            .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
    })
}

impl Draft {
    /// The draft of projection year `k` from a Monte Carlo run.
    pub fn new(
        s: &crate::scenario::Scenario,
        set: &crate::stats::paths::PathSet,
        k: usize,
        unit: Unit,
    ) -> Draft {
        use crate::lines::N_LINES;
        let h = set.shape.years;
        let n = set.paths as usize;
        let per_path = h * N_LINES;
        let path_value = |p: usize, year: usize, l: Line| {
            f64::from(set.lines[p * per_path + year * N_LINES + l.index()])
        };
        let opening_of = |p: usize| {
            if k == 0 {
                s.fund.opening_balance
            } else {
                path_value(p, k - 1, Line::ClosingBalance)
            }
        };
        // the budget: exact means (fixed-point sums)
        let results = set.year_results(s.start_year);
        let mut mean = [0.0; N_LINES];
        for l in Line::ALL {
            mean[l.index()] = results[k].mean(l);
        }
        let mean_opening = if k == 0 {
            s.fund.opening_balance
        } else {
            results[k - 1].mean(Line::ClosingBalance)
        };
        // the low and high cases: paths ranked by the year's surplus
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|a, b| {
            path_value(*a, k, Line::Surplus)
                .total_cmp(&path_value(*b, k, Line::Surplus))
                .then(a.cmp(b))
        });
        let band = |lo: f64, hi: f64| -> (LineValues, f64) {
            let (from, to) = (
                ((n as f64) * lo).floor() as usize,
                (((n as f64) * hi).ceil() as usize).max(1).min(n),
            );
            let picked = &order[from.min(to - 1)..to];
            let mut v = [0.0; N_LINES];
            let mut opening = 0.0;
            for p in picked {
                for l in Line::ALL {
                    v[l.index()] += path_value(*p, k, l);
                }
                opening += opening_of(*p);
            }
            let m = picked.len().max(1) as f64;
            v.iter_mut().for_each(|x| *x /= m);
            (v, opening / m)
        };
        let (low_values, low_opening) = band(0.05, 0.15);
        let (high_values, high_opening) = band(0.85, 0.95);
        let budget = Column::foot(&mean, mean_opening, unit);
        let low = Column::foot(&low_values, low_opening, unit);
        let high = Column::foot(&high_values, high_opening, unit);
        // by city: cities' premiums and expenditure foot to the province's
        let y = &results[k];
        let premiums: Vec<Decimal> = y
            .city_premiums
            .iter()
            .map(|v| unit.convert(*v))
            .chain([Decimal::ZERO])
            .collect();
        let expenditure: Vec<Decimal> = y
            .city_expenditure
            .iter()
            .map(|v| unit.convert(*v))
            .chain([unit.convert(y.provincial_expenditure)])
            .collect();
        let premiums = largest_remainder_to(&premiums, unit, budget.get(Row::Premiums));
        let expenditure =
            largest_remainder_to(&expenditure, unit, budget.get(Row::ExpenditureTotal));
        let names = s
            .cities
            .iter()
            .map(|c| c.name.clone())
            .chain(["省本级".to_string()]);
        let cities = names
            .zip(premiums.iter().zip(&expenditure))
            .map(|(name, (p, e))| CityRow {
                name,
                premiums: unit.fixed(*p),
                expenditure: unit.fixed(*e),
                net: unit.fixed(p - e),
            })
            .collect();
        let by_city_line = city_line_table(s, y, &budget, unit);
        let last = if k == 0 {
            s.execution
                .as_ref()
                .map(|e| Column::foot(&e.lines, e.opening_balance, unit))
        } else {
            let mut prev = [0.0; N_LINES];
            for l in Line::ALL {
                prev[l.index()] = results[k - 1].mean(l);
            }
            let opening = if k == 1 {
                s.fund.opening_balance
            } else {
                results[k - 2].mean(Line::ClosingBalance)
            };
            Some(Column::foot(&prev, opening, unit))
        };
        let change_pct = budget
            .rows
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let l = last.as_ref()?.rows[i];
                (!l.is_zero()).then(|| {
                    ((*b - l) / l.abs() * Decimal::from(100))
                        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
                })
            })
            .collect();
        Draft {
            by_city_line,
            last,
            last_is_projection: k > 0,
            change_pct,
            year: s.start_year + k as i32,
            unit,
            paths: set.paths,
            reserve_months: [months(&budget), months(&low), months(&high)],
            budget,
            low,
            high,
            cities,
        }
    }

    /// Every footing rule of both tables; the first that fails.
    pub fn check(&self) -> Result<(), String> {
        for (name, col) in [
            ("budget", &self.budget),
            ("low", &self.low),
            ("high", &self.high),
        ] {
            col.check().map_err(|e| format!("{name} column: {e}"))?;
        }
        let p: Decimal = self.cities.iter().map(|c| c.premiums).sum();
        let e: Decimal = self.cities.iter().map(|c| c.expenditure).sum();
        if p != self.budget.get(Row::Premiums) {
            return Err("cities' premiums add up to the province's".into());
        }
        if e != self.budget.get(Row::ExpenditureTotal) {
            return Err("cities' expenditure (with 省本级) adds up to the province's".into());
        }
        if self
            .cities
            .iter()
            .any(|c| c.premiums - c.expenditure != c.net)
        {
            return Err("net = premiums − expenditure on every row".into());
        }
        for (i, row) in CITY_TABLE_ROWS.iter().enumerate() {
            let sum: Decimal = self.by_city_line.iter().map(|(_, v)| v[i]).sum();
            if sum != self.budget.get(*row) {
                return Err(format!(
                    "by city and line: {} adds up to the province's",
                    row.label_zh()
                ));
            }
        }
        Ok(())
    }

    /// `budget.csv`: `table,row,label,budget,low_p10,high_p90,unit,last_year,change_pct`
    /// (amounts in the unit; `by_city` and `by_city_line` rows use `budget` only).
    pub fn csv(&self, lang: Lang) -> anyhow::Result<String> {
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
        for (i, row) in Row::ALL.iter().enumerate() {
            let name = serde_json::to_value(row)?
                .as_str()
                .unwrap_or_default()
                .to_string();
            w.write_record([
                "province".to_string(),
                name,
                row.label(lang),
                self.budget.rows[i].to_string(),
                self.low.rows[i].to_string(),
                self.high.rows[i].to_string(),
                self.unit.label().to_string(),
                self.last
                    .as_ref()
                    .map_or(String::new(), |l| l.rows[i].to_string()),
                self.change_pct[i].map_or(String::new(), |p| p.to_string()),
            ])?;
        }
        let months = |m: Option<Decimal>| m.map_or(String::new(), |d| d.to_string());
        w.write_record([
            "province",
            "reserve_months",
            &match lang {
                Lang::Zh => "累计结余可支付月数".to_string(),
                Lang::En => "Months of reserve (累计结余可支付月数)".to_string(),
            },
            &months(self.reserve_months[0]),
            &months(self.reserve_months[1]),
            &months(self.reserve_months[2]),
            "月",
            "",
            "",
        ])?;
        for (name, values) in &self.by_city_line {
            for (row, v) in CITY_TABLE_ROWS.iter().zip(values) {
                let key = serde_json::to_value(row)?
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                w.write_record([
                    "by_city_line",
                    key.as_str(),
                    name.as_str(),
                    &v.to_string(),
                    "",
                    "",
                    self.unit.label(),
                    "",
                    "",
                ])?;
            }
        }
        for c in &self.cities {
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
                    self.unit.label(),
                    "",
                    "",
                ])?;
            }
        }
        Ok(String::from_utf8(
            w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?,
        )?)
    }

    /// `budget.md`: the two tables a budget office hands in.
    pub fn markdown(&self, scenario: &str, lang: Lang) -> String {
        use std::fmt::Write as _;
        let mut md = String::new();
        let u = self.unit.label();
        let (title, head) = match lang {
            Lang::Zh => (
                format!(
                    "# {} 年工伤保险基金收支预算草案（{scenario}）\n\n单位：{u}。预算数为 {} 条模拟路径的均值；低/高情景为当年收支结余处于第 5–15 / 85–95 百分位的路径均值。各表均已按最大余数法取整并严格平衡。\n",
                    self.year, self.paths
                ),
                format!(
                    "| 项目 | 预算数 | 低情景 (P10) | 高情景 (P90) | {} | 增减 % |\n| --- | ---: | ---: | ---: | ---: | ---: |",
                    if self.last_is_projection {
                        "上年预计数"
                    } else {
                        "上年执行数"
                    }
                ),
            ),
            Lang::En => (
                format!(
                    "# Work-injury insurance fund budget draft {} ({scenario})\n\nUnit: {u}. The budget is the mean of {} Monte Carlo paths; the low and high cases are the means of the paths whose surplus of the year lies between its 5th and 15th, and 85th and 95th percentiles. Every table is rounded by largest remainder and foots exactly.\n",
                    self.year, self.paths
                ),
                format!(
                    "| Line | Budget | Low (P10) | High (P90) | {} | Change % |\n| --- | ---: | ---: | ---: | ---: | ---: |",
                    if self.last_is_projection {
                        "Last year, projected"
                    } else {
                        "Last year, executed"
                    }
                ),
            ),
        };
        let _ = writeln!(md, "{title}\n{head}");
        for (i, row) in Row::ALL.iter().enumerate() {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} |",
                row.label(lang),
                self.budget.rows[i],
                self.low.rows[i],
                self.high.rows[i],
                self.last
                    .as_ref()
                    .map_or("—".to_string(), |l| l.rows[i].to_string()),
                self.change_pct[i].map_or("—".to_string(), |p| format!("{p:+}")),
            );
        }
        let m = |x: Option<Decimal>| x.map_or("—".to_string(), |d| d.to_string());
        let label = match lang {
            Lang::Zh => "累计结余可支付月数".to_string(),
            Lang::En => "Months of reserve (累计结余可支付月数)".to_string(),
        };
        let _ = writeln!(
            md,
            "| {label} | {} | {} | {} | {} | — |",
            m(self.reserve_months[0]),
            m(self.reserve_months[1]),
            m(self.reserve_months[2]),
            m(self.last.as_ref().and_then(months)),
        );
        let (title, head, total) = match lang {
            Lang::Zh => (
                "\n## 分地区收支（预算数）\n",
                "| 地区 | 工伤保险费收入 | 支出 | 收支差 |\n| --- | ---: | ---: | ---: |",
                "合计",
            ),
            Lang::En => (
                "\n## By city (budget)\n",
                "| City | Premium income | Expenditure | Net |\n| --- | ---: | ---: | ---: |",
                "Total (合计)",
            ),
        };
        let _ = writeln!(md, "{title}\n{head}");
        for c in &self.cities {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                c.name, c.premiums, c.expenditure, c.net
            );
        }
        let p: Decimal = self.cities.iter().map(|c| c.premiums).sum();
        let e: Decimal = self.cities.iter().map(|c| c.expenditure).sum();
        let _ = writeln!(md, "| {total} | {p} | {e} | {} |", p - e);
        // by city and budget line: cities as columns would be too wide, so lines are rows
        let title = match lang {
            Lang::Zh => "\n## 分地区分科目（预算数）\n",
            Lang::En => "\n## By city and budget line (budget)\n",
        };
        let _ = writeln!(md, "{title}");
        let names: Vec<&str> = self.by_city_line.iter().map(|(n, _)| n.as_str()).collect();
        let first = if lang == Lang::Zh { "项目" } else { "Line" };
        let _ = writeln!(
            md,
            "| {first} | {} | {} |",
            names.join(" | "),
            if lang == Lang::Zh { "合计" } else { "Total" }
        );
        let _ = writeln!(md, "| --- |{} ---: |", " ---: |".repeat(names.len()));
        for (i, row) in CITY_TABLE_ROWS.iter().enumerate() {
            let cells: Vec<String> = self
                .by_city_line
                .iter()
                .map(|(_, v)| v[i].to_string())
                .collect();
            let _ = writeln!(
                md,
                "| {} | {} | {} |",
                row.label(lang),
                cells.join(" | "),
                self.budget.get(*row)
            );
        }
        md
    }
}

impl Draft {
    /// `budget.xlsx`: a sheet for the province's table and one by city, with
    /// number formats, frozen header rows, widths that fit and the labels in
    /// the chosen language. Cells hold the rounded amounts, so the sheet foots
    /// like the CSV.
    pub fn xlsx(&self, scenario: &str, lang: Lang, plan: &CashPlan) -> anyhow::Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
        let mut book = Workbook::new();
        let decimals = "0".repeat(self.unit.decimals() as usize);
        let money =
            Format::new().set_num_format(format!("#,##0.{decimals};[Red]-#,##0.{decimals}"));
        let bold_money = money.clone().set_bold().set_border_top(FormatBorder::Thin);
        let header = Format::new()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_border_bottom(FormatBorder::Medium);
        let title = Format::new().set_bold().set_font_size(14);
        let text = Format::new();
        let bold = Format::new().set_bold().set_border_top(FormatBorder::Thin);
        let months_fmt = Format::new().set_num_format("0.0");
        let zh = lang == Lang::Zh;
        let u = self.unit.label();
        let num = |d: Decimal| d.to_f64().unwrap_or(0.0);
        // the province's table
        let sheet = book.add_worksheet();
        sheet.set_name(if zh { "预算草案" } else { "Budget" })?;
        let heading = if zh {
            format!(
                "{} 年工伤保险基金收支预算草案（{scenario}，单位：{u}）",
                self.year
            )
        } else {
            format!(
                "Work-injury insurance fund budget draft {} ({scenario}, {u})",
                self.year
            )
        };
        sheet.write_string_with_format(0, 0, &heading, &title)?;
        let last_head = match (zh, self.last_is_projection) {
            (true, true) => "上年预计数",
            (true, false) => "上年执行数",
            (false, true) => "Last year, projected",
            (false, false) => "Last year, executed",
        };
        let heads: [&str; 6] = if zh {
            [
                "项目",
                "预算数",
                "低情景 (P10)",
                "高情景 (P90)",
                last_head,
                "增减 %",
            ]
        } else {
            [
                "Line",
                "Budget",
                "Low (P10)",
                "High (P90)",
                last_head,
                "Change %",
            ]
        };
        let pct = Format::new().set_num_format("+0.0;-0.0;0.0");
        for (c, h) in heads.iter().enumerate() {
            sheet.write_string_with_format(2, c as u16, *h, &header)?;
        }
        let totals = [
            Row::IncomeTotal,
            Row::ExpenditureTotal,
            Row::Surplus,
            Row::ClosingBalance,
        ];
        let mut width = heads[0].chars().count();
        for (i, row) in Row::ALL.iter().enumerate() {
            let r = 3 + i as u32;
            let strong = totals.contains(row);
            let label = row.label(lang);
            width = width.max(label.chars().count());
            sheet.write_string_with_format(r, 0, &label, if strong { &bold } else { &text })?;
            for (c, col) in [&self.budget, &self.low, &self.high].iter().enumerate() {
                sheet.write_number_with_format(
                    r,
                    1 + c as u16,
                    num(col.rows[i]),
                    if strong { &bold_money } else { &money },
                )?;
            }
            if let Some(last) = &self.last {
                let format = if strong { &bold_money } else { &money };
                sheet.write_number_with_format(r, 4, num(last.rows[i]), format)?;
            }
            if let Some(p) = self.change_pct[i] {
                sheet.write_number_with_format(r, 5, num(p), &pct)?;
            }
        }
        let r = 3 + Row::ALL.len() as u32;
        sheet.write_string(
            r,
            0,
            if zh {
                "累计结余可支付月数"
            } else {
                "Months of reserve (累计结余可支付月数)"
            },
        )?;
        for (c, m) in self.reserve_months.iter().enumerate() {
            if let Some(m) = m {
                sheet.write_number_with_format(r, 1 + c as u16, num(*m), &months_fmt)?;
            }
        }
        sheet.set_column_width(0, (width as f64 * 2.0).clamp(14.0, 60.0))?;
        for c in 1..=5 {
            sheet.set_column_width(c, 18)?;
        }
        sheet.set_freeze_panes(3, 1)?;
        // by city
        let sheet = book.add_worksheet();
        sheet.set_name(if zh { "分地区" } else { "By city" })?;
        sheet.write_string_with_format(
            0,
            0,
            &if zh {
                format!("{} 年分地区收支预算（单位：{u}）", self.year)
            } else {
                format!("Budget by city {} ({u})", self.year)
            },
            &title,
        )?;
        let heads: [&str; 4] = if zh {
            ["地区", "工伤保险费收入", "支出", "收支差"]
        } else {
            ["City", "Premium income", "Expenditure", "Net"]
        };
        for (c, h) in heads.iter().enumerate() {
            sheet.write_string_with_format(2, c as u16, *h, &header)?;
        }
        for (i, city) in self.cities.iter().enumerate() {
            let r = 3 + i as u32;
            sheet.write_string(r, 0, &city.name)?;
            for (c, v) in [city.premiums, city.expenditure, city.net]
                .iter()
                .enumerate()
            {
                sheet.write_number_with_format(r, 1 + c as u16, num(*v), &money)?;
            }
        }
        let r = 3 + self.cities.len() as u32;
        let (p, e): (Decimal, Decimal) = (
            self.cities.iter().map(|c| c.premiums).sum(),
            self.cities.iter().map(|c| c.expenditure).sum(),
        );
        sheet.write_string_with_format(r, 0, if zh { "合计" } else { "Total (合计)" }, &bold)?;
        for (c, v) in [p, e, p - e].iter().enumerate() {
            sheet.write_number_with_format(r, 1 + c as u16, num(*v), &bold_money)?;
        }
        sheet.set_column_width(0, 16)?;
        for c in 1..=5 {
            sheet.set_column_width(c, 18)?;
        }
        sheet.set_freeze_panes(3, 1)?;
        // by city and budget line
        let sheet = book.add_worksheet();
        sheet.set_name(if zh {
            "分地区分科目"
        } else {
            "By city and line"
        })?;
        sheet.write_string_with_format(
            0,
            0,
            &if zh {
                format!("{} 年分地区分科目收支预算（单位：{u}）", self.year)
            } else {
                format!("Budget by city and line {} ({u})", self.year)
            },
            &title,
        )?;
        sheet.write_string_with_format(2, 0, if zh { "项目" } else { "Line" }, &header)?;
        for (c, (name, _)) in self.by_city_line.iter().enumerate() {
            sheet.write_string_with_format(2, 1 + c as u16, name, &header)?;
        }
        let n = self.by_city_line.len() as u16;
        sheet.write_string_with_format(2, 1 + n, if zh { "合计" } else { "Total" }, &header)?;
        let mut width = 4;
        for (i, row) in CITY_TABLE_ROWS.iter().enumerate() {
            let r = 3 + i as u32;
            let strong = [Row::IncomeTotal, Row::ExpenditureTotal, Row::Surplus].contains(row);
            let label = row.label(lang);
            width = width.max(label.chars().count());
            sheet.write_string_with_format(r, 0, &label, if strong { &bold } else { &text })?;
            for (c, (_, values)) in self.by_city_line.iter().enumerate() {
                sheet.write_number_with_format(
                    r,
                    1 + c as u16,
                    num(values[i]),
                    if strong { &bold_money } else { &money },
                )?;
            }
            sheet.write_number_with_format(r, 1 + n, num(self.budget.get(*row)), &bold_money)?;
        }
        sheet.set_column_width(0, (width as f64 * 2.0).clamp(14.0, 60.0))?;
        for c in 1..=(n + 1) {
            sheet.set_column_width(c, 14)?;
        }
        sheet.set_freeze_panes(3, 1)?;
        // the monthly funding plan
        let sheet = book.add_worksheet();
        sheet.set_name(if zh { "用款计划" } else { "Funding plan" })?;
        sheet.write_string_with_format(
            0,
            0,
            &if zh {
                format!("{} 年用款计划（每月 15 日前拨付，单位：{u}）", plan.year)
            } else {
                format!(
                    "Monthly funding plan {} (transfers before the 15th, {u})",
                    plan.year
                )
            },
            &title,
        )?;
        sheet.write_string_with_format(2, 0, if zh { "月份" } else { "Month" }, &header)?;
        for (c, name) in plan.cities.iter().enumerate() {
            sheet.write_string_with_format(2, 1 + c as u16, name, &header)?;
        }
        let n = plan.cities.len() as u16;
        let tail: [&str; 3] = if zh {
            ["合计", "月末账户余额", "资金不足"]
        } else {
            ["Total", "Balance at month end", "Short"]
        };
        for (j, h) in tail.iter().enumerate() {
            sheet.write_string_with_format(2, 1 + n + j as u16, *h, &header)?;
        }
        sheet.write_string(3, 0, if zh { "周转金" } else { "Revolving fund" })?;
        for (c, v) in plan.revolving_fund.iter().enumerate() {
            sheet.write_number_with_format(3, 1 + c as u16, num(*v), &money)?;
        }
        for (m, row) in plan.transfers.iter().enumerate() {
            let r = 4 + m as u32;
            sheet.write_string(r, 0, format!("{}-{:02}", plan.year, m + 1))?;
            for (c, v) in row.iter().enumerate() {
                sheet.write_number_with_format(r, 1 + c as u16, num(*v), &money)?;
            }
            sheet.write_number_with_format(r, 1 + n, num(plan.totals[m]), &bold_money)?;
            sheet.write_number_with_format(r, 2 + n, num(plan.balance[m]), &money)?;
            let flag = if plan.short[m] {
                if zh { "是" } else { "yes" }
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
        Ok(book.save_to_buffer()?)
    }
}

/// The monthly funding plan (用款计划) of a year, from the expected-value
/// projection: before the 15th of each month the province funds each
/// city's benefit account with that month's expected payments of its cases
/// and stocks (the provincial lines are paid from the provincial account);
/// each city holds a revolving fund of one month of payments (its January
/// payments); the pooled account's balance at each month end is shown, and
/// a month is flagged when that balance would not cover the next month's
/// transfers.
#[derive(Debug, Clone, Serialize)]
pub struct CashPlan {
    /// Calendar year.
    pub year: i32,
    /// Unit.
    pub unit: Unit,
    /// City names.
    pub cities: Vec<String>,
    /// `[month][city]`: transfer due before the 15th.
    pub transfers: Vec<Vec<Decimal>>,
    /// `[month]`: all cities' transfers.
    pub totals: Vec<Decimal>,
    /// `[city]`: revolving fund, one month of payments.
    pub revolving_fund: Vec<Decimal>,
    /// `[month]`: the pooled account's balance at month end.
    pub balance: Vec<Decimal>,
    /// `[month]`: the balance would not cover the next month's transfers.
    pub short: Vec<bool>,
}

impl CashPlan {
    /// The plan of projection year `k`.
    pub fn new(s: &crate::scenario::Scenario, k: usize, unit: Unit) -> CashPlan {
        let mut months = Vec::new();
        crate::engine::Engine::new(s).run(&mut crate::sampling::Expected, &mut months);
        let year: Vec<&crate::engine::MonthRecord> =
            months.iter().filter(|m| m.year == k).collect();
        let mut transfers = Vec::new();
        let mut totals = Vec::new();
        for m in &year {
            let parts: Vec<Decimal> = m
                .city_expenditure
                .iter()
                .map(|v| unit.convert(*v))
                .collect();
            let (rounded, total) = largest_remainder(&parts, unit);
            transfers.push(
                rounded
                    .into_iter()
                    .map(|d| unit.fixed(d))
                    .collect::<Vec<_>>(),
            );
            totals.push(unit.fixed(total));
        }
        let revolving_fund = transfers.first().cloned().unwrap_or_default();
        let balance: Vec<Decimal> = year
            .iter()
            .map(|m| unit.fixed(unit.round(unit.convert(m.get(Line::ClosingBalance)))))
            .collect();
        let next_need = |i: usize| -> Decimal {
            match year.get(i + 1) {
                Some(_) => totals[i + 1],
                // December: the next January's transfers, from the projection if it goes on
                None => months
                    .iter()
                    .find(|m| m.year == k + 1 && m.month == 1)
                    .map_or(totals[i], |m| {
                        unit.round(unit.convert(m.city_expenditure.iter().sum()))
                    }),
            }
        };
        let short = (0..balance.len())
            .map(|i| balance[i] < next_need(i))
            .collect();
        CashPlan {
            year: s.start_year + k as i32,
            unit,
            cities: s.cities.iter().map(|c| c.name.clone()).collect(),
            transfers,
            totals,
            revolving_fund,
            balance,
            short,
        }
    }

    /// `cash_plan.csv`: `month,city,transfer_due,revolving_fund,account_balance_end,short`;
    /// a `全省` row per month holds the total, the balance and the flag.
    pub fn csv(&self) -> anyhow::Result<String> {
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
        for (m, row) in self.transfers.iter().enumerate() {
            let month = format!("{}-{:02}", self.year, m + 1);
            for (c, v) in row.iter().enumerate() {
                let fund = if m == 0 {
                    self.revolving_fund[c].to_string()
                } else {
                    String::new()
                };
                w.write_record([
                    month.as_str(),
                    &self.cities[c],
                    &v.to_string(),
                    &fund,
                    "",
                    "",
                    self.unit.label(),
                ])?;
            }
            w.write_record([
                month.as_str(),
                "全省",
                &self.totals[m].to_string(),
                &if m == 0 {
                    self.revolving_fund
                        .iter()
                        .copied()
                        .sum::<Decimal>()
                        .to_string()
                } else {
                    String::new()
                },
                &self.balance[m].to_string(),
                if self.short[m] { "yes" } else { "no" },
                self.unit.label(),
            ])?;
        }
        Ok(String::from_utf8(
            w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?,
        )?)
    }
}

/// Actual income and expenditure of the first months of the budget year.
#[derive(Debug, Clone, PartialEq)]
pub struct Actuals {
    /// Months covered: 1..=`months`.
    pub months: usize,
    /// Amount to date per line (yuan), by [`Line::index`].
    pub to_date: LineValues,
    /// Whether the file gives the line (a line it does not give carries no
    /// information and is projected as budgeted).
    pub given: [bool; crate::lines::N_LINES],
}

/// The lines an actuals file may give.
pub const ACTUAL_LINES: [Line; 12] = [
    Line::Premiums,
    Line::Interest,
    Line::FiscalSubsidy,
    Line::GapTransfers,
    Line::OtherIncome,
    Line::Medical,
    Line::Disability,
    Line::Death,
    Line::Investigation,
    Line::Appraisal,
    Line::Prevention,
    Line::OtherExpenditure,
];

impl Actuals {
    /// Parses an actuals CSV: a header `month,line,amount` (an optional
    /// fourth column `city` is accepted and summed over), one row per month
    /// and line; `month` is 1–12 or `YYYY-MM` of the budget year, `line` a
    /// line name of yearly.csv (`premiums`, `medical`, …), `amount` in yuan,
    /// ≥ 0. A bad row is refused with its line number.
    pub fn parse(text: &str, year: i32, source: &str) -> Result<Actuals, String> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = rdr.headers().map_err(|e| format!("{source}: {e}"))?.clone();
        let names: Vec<&str> = header.iter().map(str::trim).collect();
        if names.len() < 3 || names[0] != "month" || names[1] != "line" || names[2] != "amount" {
            return Err(format!(
                "{source}:1: the header must be `month,line,amount` (optionally `,city`), found `{}`",
                names.join(",")
            ));
        }
        if names.len() > 4 || (names.len() == 4 && names[3] != "city") {
            return Err(format!(
                "{source}:1: the header must be `month,line,amount` or `month,line,amount,city`, found `{}`",
                names.join(",")
            ));
        }
        let by_city = names.len() == 4;
        let mut to_date = [0.0; crate::lines::N_LINES];
        let mut given = [false; crate::lines::N_LINES];
        let mut seen: std::collections::HashMap<(usize, usize, String), u64> =
            std::collections::HashMap::new();
        let mut months_of_line: Vec<std::collections::BTreeSet<usize>> =
            vec![Default::default(); crate::lines::N_LINES];
        let mut first_row_of_line = [0u64; crate::lines::N_LINES];
        let mut months = 0;
        for rec in rdr.records() {
            let rec = rec.map_err(|e| format!("{source}: {e}"))?;
            // the physical line, counted from the byte offset past any blank
            // lines the reader skipped before the record
            let n = rec.position().map_or(0, |p| {
                let bytes = text.as_bytes();
                let mut at = (p.byte() as usize).min(bytes.len());
                while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
                    at += 1;
                }
                bytes[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1
            });
            let field = |k: usize| rec.get(k).map(str::trim).unwrap_or("");
            let month_text = field(0);
            let month: usize = match month_text.split_once('-') {
                Some((y, m)) if y == year.to_string() => m.parse().unwrap_or(0),
                Some(_) => {
                    return Err(format!(
                        "{source}:{n}: month `{month_text}` is not in the budget year {year}"
                    ));
                }
                None => month_text.parse().unwrap_or(0),
            };
            if !(1..=12).contains(&month) {
                return Err(format!(
                    "{source}:{n}: month `{month_text}`: a month 1–12 or {year}-MM"
                ));
            }
            let line = ACTUAL_LINES
                .iter()
                .find(|l| l.name() == field(1))
                .ok_or_else(|| {
                    let all: Vec<&str> = ACTUAL_LINES.iter().map(|l| l.name()).collect();
                    format!(
                        "{source}:{n}: unknown line `{}`; one of {}",
                        field(1),
                        all.join(", ")
                    )
                })?;
            let amount: f64 = field(2).parse().map_err(|_| {
                format!("{source}:{n}: amount `{}` is not a number (yuan)", field(2))
            })?;
            if !(amount.is_finite() && amount >= 0.0) {
                return Err(format!(
                    "{source}:{n}: amount {amount}: an amount in yuan ≥ 0"
                ));
            }
            let city = if by_city {
                field(3).to_string()
            } else {
                String::new()
            };
            if let Some(first) = seen.insert((month, line.index(), city.clone()), n) {
                let what = if by_city {
                    format!("month {month}, line {}, city {city}", line.name())
                } else {
                    format!("month {month}, line {}", line.name())
                };
                return Err(format!(
                    "{source}:{n}: {what} is given again (first on line {first})"
                ));
            }
            to_date[line.index()] += amount;
            if !given[line.index()] {
                first_row_of_line[line.index()] = n;
            }
            given[line.index()] = true;
            months_of_line[line.index()].insert(month);
            months = months.max(month);
        }
        if months == 0 {
            return Err(format!(
                "{source}: no rows: give months 1..j of the budget year"
            ));
        }
        for line in ACTUAL_LINES {
            let i = line.index();
            if given[i] {
                if let Some(missing) = (1..=months).find(|m| !months_of_line[i].contains(m)) {
                    return Err(format!(
                        "{source}:{}: line {} is given for some months but not month {missing}; give every month 1–{months} of a line (0 where nothing happened)",
                        first_row_of_line[i],
                        line.name()
                    ));
                }
            }
        }
        crate::lines::fill_totals(&mut to_date);
        Ok(Actuals {
            months,
            to_date,
            given,
        })
    }
}

/// The in-year reforecast of one line.
#[derive(Debug, Clone, Serialize)]
pub struct ReforecastLine {
    /// Line name.
    pub line: &'static str,
    /// Actual to date (yuan).
    pub actual_to_date: f64,
    /// What the budget expected to date (yuan).
    pub expected_to_date: f64,
    /// Projected year end, mean over paths (yuan).
    pub projected: f64,
    /// The budget (yuan).
    pub budget: f64,
    /// Probability that the line ends the year above its budget (expenditure lines).
    pub overspend_probability: Option<f64>,
}

/// Reforecasts year `k` from actuals: each path's remaining months are its
/// own year's value times the share of the year they carry (from the
/// expected-value monthly pattern), scaled towards the actual-to-expected
/// ratio with credibility `j/12` (a Bornhuetter–Ferguson blend); the year
/// end is the actual to date plus that remainder. Actuals equal to the
/// budget's own monthly amounts leave the mean at the budget.
pub fn reforecast(
    s: &crate::scenario::Scenario,
    set: &crate::stats::paths::PathSet,
    k: usize,
    actuals: &Actuals,
) -> Vec<ReforecastLine> {
    use crate::lines::N_LINES;
    let mut months = Vec::new();
    crate::engine::Engine::new(s).run(&mut crate::sampling::Expected, &mut months);
    let year: Vec<&crate::engine::MonthRecord> = months.iter().filter(|m| m.year == k).collect();
    let results = set.year_results(s.start_year);
    let j = actuals.months;
    let z = j as f64 / 12.0;
    let h = set.shape.years;
    let n = set.paths as usize;
    let mut out = Vec::new();
    let mut income = vec![0.0; n];
    let mut expenditure = vec![0.0; n];
    let (mut income_sums, mut expenditure_sums) = ([0.0; 3], [0.0; 3]);
    for line in ACTUAL_LINES {
        let i = line.index();
        let ev_year: f64 = year.iter().map(|m| m.lines[i]).sum();
        let done_share = if ev_year > 0.0 {
            year.iter().take(j).map(|m| m.lines[i]).sum::<f64>() / ev_year
        } else {
            j as f64 / 12.0
        };
        let budget = results[k].mean(line);
        let expected_to_date = budget * done_share;
        let actual = if actuals.given[i] {
            actuals.to_date[i]
        } else {
            expected_to_date
        };
        let ratio = if expected_to_date > 0.0 {
            actual / expected_to_date
        } else {
            1.0
        };
        let factor = 1.0 + z * (ratio - 1.0);
        let projected: Vec<f64> = (0..n)
            .map(|p| {
                let path_year = f64::from(set.lines[p * h * N_LINES + k * N_LINES + i]);
                actual + path_year * (1.0 - done_share) * factor
            })
            .collect();
        let is_expenditure = Line::EXPENDITURE.contains(&line);
        let (target, sums) = if is_expenditure {
            (&mut expenditure, &mut expenditure_sums)
        } else {
            (&mut income, &mut income_sums)
        };
        for (t, v) in target.iter_mut().zip(&projected) {
            *t += v;
        }
        sums[0] += actual;
        sums[1] += expected_to_date;
        sums[2] += budget;
        out.push(summarise(
            line,
            actual,
            expected_to_date,
            &projected,
            budget,
            is_expenditure,
        ));
    }
    out.push(summarise(
        Line::IncomeTotal,
        income_sums[0],
        income_sums[1],
        &income,
        income_sums[2],
        false,
    ));
    out.push(summarise(
        Line::ExpenditureTotal,
        expenditure_sums[0],
        expenditure_sums[1],
        &expenditure,
        expenditure_sums[2],
        true,
    ));
    out
}

fn summarise(
    line: Line,
    actual: f64,
    expected: f64,
    projected: &[f64],
    budget: f64,
    expenditure: bool,
) -> ReforecastLine {
    let n = projected.len().max(1) as f64;
    ReforecastLine {
        line: line.name(),
        actual_to_date: actual,
        expected_to_date: expected,
        projected: projected.iter().sum::<f64>() / n,
        budget,
        overspend_probability: expenditure
            .then(|| projected.iter().filter(|v| **v > budget).count() as f64 / n),
    }
}
