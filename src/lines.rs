//! The reported lines of a projection (MODEL.md section 8): income and
//! expenditure by budget line, their totals, the balance, the months of
//! reserve and the rate multiplier, in the order of `yearly.csv`.
//!
//! Money is in yuan. `fiscal_subsidy` is the scenario's subsidy only; gap
//! transfers (section 7) are their own line, and `income_total` is the sum of
//! the five income lines (the budget table shows gap transfers as a sub-line
//! of 财政补贴收入).

/// One reported line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Line {
    /// 工伤保险费收入.
    Premiums,
    /// 利息收入.
    Interest,
    /// 财政补贴收入 (without gap transfers).
    FiscalSubsidy,
    /// 缺口分担资金: transfers from treasuries that lift the balance.
    GapTransfers,
    /// 其他收入.
    OtherIncome,
    /// 收入合计.
    IncomeTotal,
    /// 工伤医疗待遇支出.
    Medical,
    /// 伤残待遇支出: one-time grants, allowances, living care, medical subsidies.
    Disability,
    /// 工亡待遇支出: funeral, death grant, survivors' pensions.
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
    /// 本年收支结余 (income − expenditure).
    Surplus,
    /// 年末滚存结余 (balance at the end of the period).
    ClosingBalance,
    /// 累计结余可支付月数 (months of reserve at the end of the period).
    ReserveMonths,
    /// The policy multiplier `M` in force.
    RateMultiplier,
}

/// Number of lines.
pub const N_LINES: usize = 18;

/// How a line aggregates from months to a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// Summed over the months.
    Flow,
    /// The value at the end of December.
    EndOfYear,
}

impl Line {
    /// Every line, in report order.
    pub const ALL: [Line; N_LINES] = [
        Line::Premiums,
        Line::Interest,
        Line::FiscalSubsidy,
        Line::GapTransfers,
        Line::OtherIncome,
        Line::IncomeTotal,
        Line::Medical,
        Line::Disability,
        Line::Death,
        Line::Investigation,
        Line::Appraisal,
        Line::Prevention,
        Line::OtherExpenditure,
        Line::ExpenditureTotal,
        Line::Surplus,
        Line::ClosingBalance,
        Line::ReserveMonths,
        Line::RateMultiplier,
    ];

    /// The income lines that make up `income_total`.
    pub const INCOME: [Line; 5] = [
        Line::Premiums,
        Line::Interest,
        Line::FiscalSubsidy,
        Line::GapTransfers,
        Line::OtherIncome,
    ];

    /// The expenditure lines that make up `expenditure_total`.
    pub const EXPENDITURE: [Line; 7] = [
        Line::Medical,
        Line::Disability,
        Line::Death,
        Line::Investigation,
        Line::Appraisal,
        Line::Prevention,
        Line::OtherExpenditure,
    ];

    /// Position in [`Line::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Name in CSV and JSON outputs.
    pub const fn name(self) -> &'static str {
        match self {
            Line::Premiums => "premiums",
            Line::Interest => "interest",
            Line::FiscalSubsidy => "fiscal_subsidy",
            Line::GapTransfers => "gap_transfers",
            Line::OtherIncome => "other_income",
            Line::IncomeTotal => "income_total",
            Line::Medical => "medical",
            Line::Disability => "disability",
            Line::Death => "death",
            Line::Investigation => "investigation",
            Line::Appraisal => "appraisal",
            Line::Prevention => "prevention",
            Line::OtherExpenditure => "other_expenditure",
            Line::ExpenditureTotal => "expenditure_total",
            Line::Surplus => "surplus",
            Line::ClosingBalance => "closing_balance",
            Line::ReserveMonths => "reserve_months",
            Line::RateMultiplier => "rate_multiplier",
        }
    }

    /// The budget-line label (预算科目) in Chinese.
    pub const fn label_zh(self) -> &'static str {
        match self {
            Line::Premiums => "工伤保险费收入",
            Line::Interest => "利息收入",
            Line::FiscalSubsidy => "财政补贴收入",
            Line::GapTransfers => "其中：缺口分担资金",
            Line::OtherIncome => "其他收入",
            Line::IncomeTotal => "收入合计",
            Line::Medical => "工伤医疗待遇支出",
            Line::Disability => "伤残待遇支出",
            Line::Death => "工亡待遇支出",
            Line::Investigation => "工伤认定调查支出",
            Line::Appraisal => "劳动能力鉴定支出",
            Line::Prevention => "工伤预防费支出",
            Line::OtherExpenditure => "其他支出",
            Line::ExpenditureTotal => "支出合计",
            Line::Surplus => "本年收支结余",
            Line::ClosingBalance => "年末滚存结余",
            Line::ReserveMonths => "累计结余可支付月数",
            Line::RateMultiplier => "费率调整系数",
        }
    }

    /// How the line aggregates from months to a year.
    pub const fn aggregation(self) -> Aggregation {
        match self {
            Line::ClosingBalance | Line::ReserveMonths | Line::RateMultiplier => {
                Aggregation::EndOfYear
            }
            _ => Aggregation::Flow,
        }
    }

    /// Whether the line is money (yuan).
    pub const fn is_money(self) -> bool {
        !matches!(self, Line::ReserveMonths | Line::RateMultiplier)
    }
}

/// Values of every line for one period, indexed by [`Line::index`].
pub type LineValues = [f64; N_LINES];

/// Fills `income_total`, `expenditure_total` and `surplus` from the other lines.
pub fn fill_totals(v: &mut LineValues) {
    v[Line::IncomeTotal.index()] = Line::INCOME.iter().map(|l| v[l.index()]).sum();
    v[Line::ExpenditureTotal.index()] = Line::EXPENDITURE.iter().map(|l| v[l.index()]).sum();
    v[Line::Surplus.index()] = v[Line::IncomeTotal.index()] - v[Line::ExpenditureTotal.index()];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ALL` is in declaration order, so `index` is a position in it.
    #[test]
    fn index_matches_position() {
        for (i, l) in Line::ALL.iter().enumerate() {
            assert_eq!(l.index(), i, "{}", l.name());
        }
    }
}
