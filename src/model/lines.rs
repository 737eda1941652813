//! The reported lines of a projection (docs/model.md §8): income and
//! expenditure by budget line (预算科目), their totals, the balance, the
//! months of reserve and the rate multiplier, in the order of `yearly.csv`.
//! Everything about a line lives in its row of [`DEFS`]: its name in the
//! data files, its Chinese and English labels and its group, from which
//! the lists of income and expenditure lines and the aggregation from months
//! to years follow.
//!
//! Money is in yuan. `fiscal_subsidy` is the scenario's subsidy only; gap
//! transfers (§7) are their own line, and `income_total` is the sum of the
//! five income lines (the budget table shows gap transfers as a sub-line of
//! 财政补贴收入).

/// One reported line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Line {
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
    /// 偿还及返还财政资金支出: money a scheme pays back to a payer (a loan's
    /// repayment to the provincial treasury, a surplus returned to a city).
    Returned,
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
    /// A loan scheme's debt to the provincial treasury at the end of the
    /// period, accrued interest included (a memorandum line).
    LoanDebt,
    /// Interest on that debt paid in the period, as part of repayments (a
    /// memorandum line).
    LoanInterestPaid,
}

/// Number of lines.
pub(crate) const N_LINES: usize = 21;

/// How a line aggregates from months to a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Aggregation {
    /// Summed over the months.
    Flow,
    /// The value at the end of December.
    EndOfYear,
}

/// Where a line sits in the accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    /// An income line: part of `income_total`.
    Income,
    /// A payment of benefits or running costs: part of `expenditure_total`
    /// and of the average payment level `Ē` the 12-month rule reads.
    Payment,
    /// Money paid back to a payer: part of `expenditure_total`, not of `Ē`.
    Return,
    /// A total or the surplus, computed from the lines of a group.
    Total,
    /// The closing balance.
    Balance,
    /// Not money: the months of reserve, the multiplier.
    Ratio,
    /// A memorandum amount at the end of the period, outside the accounts.
    MemoBalance,
    /// A memorandum flow of the period, outside the accounts.
    MemoFlow,
}

/// Everything about one line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineDef {
    /// The line.
    pub(crate) line: Line,
    /// Name in CSV and JSON outputs.
    pub(crate) name: &'static str,
    /// The budget-line label (预算科目) in Chinese.
    pub(crate) zh: &'static str,
    /// The label in English.
    pub(crate) en: &'static str,
    /// Its place in the accounts.
    pub(crate) group: Group,
}

const fn def(
    line: Line,
    name: &'static str,
    zh: &'static str,
    en: &'static str,
    group: Group,
) -> LineDef {
    LineDef {
        line,
        name,
        zh,
        en,
        group,
    }
}

/// Every line, in report order.
pub(crate) const DEFS: [LineDef; N_LINES] = [
    def(
        Line::Premiums,
        "premiums",
        "工伤保险费收入",
        "Premium income",
        Group::Income,
    ),
    def(
        Line::Interest,
        "interest",
        "利息收入",
        "Interest income",
        Group::Income,
    ),
    def(
        Line::FiscalSubsidy,
        "fiscal_subsidy",
        "财政补贴收入",
        "Fiscal subsidies",
        Group::Income,
    ),
    def(
        Line::GapTransfers,
        "gap_transfers",
        "其中：缺口分担资金",
        "of which: gap-sharing transfers",
        Group::Income,
    ),
    def(
        Line::OtherIncome,
        "other_income",
        "其他收入",
        "Other income",
        Group::Income,
    ),
    def(
        Line::IncomeTotal,
        "income_total",
        "收入合计",
        "Total income",
        Group::Total,
    ),
    def(
        Line::Medical,
        "medical",
        "工伤医疗待遇支出",
        "Medical and rehabilitation",
        Group::Payment,
    ),
    def(
        Line::Disability,
        "disability",
        "伤残待遇支出",
        "Disability benefits",
        Group::Payment,
    ),
    def(
        Line::Death,
        "death",
        "工亡待遇支出",
        "Death benefits",
        Group::Payment,
    ),
    def(
        Line::Investigation,
        "investigation",
        "工伤认定调查支出",
        "Injury-determination investigation",
        Group::Payment,
    ),
    def(
        Line::Appraisal,
        "appraisal",
        "劳动能力鉴定支出",
        "Labour-capacity appraisal",
        Group::Payment,
    ),
    def(
        Line::Prevention,
        "prevention",
        "工伤预防费支出",
        "Injury prevention",
        Group::Payment,
    ),
    def(
        Line::OtherExpenditure,
        "other_expenditure",
        "其他支出",
        "Other expenditure",
        Group::Payment,
    ),
    def(
        Line::Returned,
        "returned",
        "偿还及返还财政资金支出",
        "Repayments and returns to treasuries",
        Group::Return,
    ),
    def(
        Line::ExpenditureTotal,
        "expenditure_total",
        "支出合计",
        "Total expenditure",
        Group::Total,
    ),
    def(
        Line::Surplus,
        "surplus",
        "本年收支结余",
        "Surplus of the year",
        Group::Total,
    ),
    def(
        Line::ClosingBalance,
        "closing_balance",
        "年末滚存结余",
        "Balance at year end",
        Group::Balance,
    ),
    def(
        Line::ReserveMonths,
        "reserve_months",
        "累计结余可支付月数",
        "Months of reserve",
        Group::Ratio,
    ),
    def(
        Line::RateMultiplier,
        "rate_multiplier",
        "费率调整系数",
        "Rate multiplier",
        Group::Ratio,
    ),
    def(
        Line::LoanDebt,
        "loan_debt",
        "借款余额",
        "Loan outstanding",
        Group::MemoBalance,
    ),
    def(
        Line::LoanInterestPaid,
        "loan_interest_paid",
        "其中：借款利息",
        "Loan interest paid",
        Group::MemoFlow,
    ),
];

impl Line {
    /// Every line, in report order.
    pub(crate) const ALL: [Line; N_LINES] = {
        let mut all = [Line::Premiums; N_LINES];
        let mut i = 0;
        while i < N_LINES {
            all[i] = DEFS[i].line;
            i += 1;
        }
        all
    };

    /// The income lines that make up `income_total`, in report order.
    pub(crate) const INCOME: [Line; count(mask(Group::Income))] = select(mask(Group::Income));

    /// The expenditure lines that make up `expenditure_total`, in report order.
    pub(crate) const EXPENDITURE: [Line; count(EXPENDITURE_GROUPS)] = select(EXPENDITURE_GROUPS);

    /// The payments: the expenditure lines the average payment level `Ē`
    /// counts (everything but money paid back to a payer).
    pub(crate) const PAYMENTS: [Line; count(mask(Group::Payment))] = select(mask(Group::Payment));

    /// Position in [`Line::ALL`].
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// Everything about the line.
    pub(crate) const fn def(self) -> &'static LineDef {
        &DEFS[self.index()]
    }

    /// Name in CSV and JSON outputs.
    pub(crate) const fn name(self) -> &'static str {
        self.def().name
    }

    /// Its place in the accounts.
    pub(crate) const fn group(self) -> Group {
        self.def().group
    }

    /// How the line aggregates from months to a year.
    pub(crate) const fn aggregation(self) -> Aggregation {
        match self.group() {
            Group::Balance | Group::Ratio | Group::MemoBalance => Aggregation::EndOfYear,
            _ => Aggregation::Flow,
        }
    }

    /// Whether the line is money (yuan).
    pub(crate) const fn is_money(self) -> bool {
        !matches!(self.group(), Group::Ratio)
    }

    /// Whether only some gap-sharing schemes move the line (money paid
    /// back, a loan's memorandum lines); a run shows it only when its
    /// scheme does ([`crate::model::sharing::Scheme::lines`]).
    pub(crate) const fn is_scheme_line(self) -> bool {
        matches!(
            self.group(),
            Group::Return | Group::MemoBalance | Group::MemoFlow
        )
    }
}

/// A set of groups, one bit each.
const fn mask(group: Group) -> u16 {
    1 << group as u8
}

/// The groups whose lines make up `expenditure_total`.
const EXPENDITURE_GROUPS: u16 = mask(Group::Payment) | mask(Group::Return);

/// Number of lines in a set of groups.
const fn count(groups: u16) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < N_LINES {
        if groups & mask(DEFS[i].group) != 0 {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The lines of a set of groups, in report order.
const fn select<const N: usize>(groups: u16) -> [Line; N] {
    let mut out = [Line::Premiums; N];
    let (mut i, mut j) = (0, 0);
    while i < N_LINES {
        if groups & mask(DEFS[i].group) != 0 {
            out[j] = DEFS[i].line;
            j += 1;
        }
        i += 1;
    }
    out
}

/// Values of every line for one period, indexed by [`Line::index`].
pub(crate) type LineValues = [f64; N_LINES];

/// Fills `income_total`, `expenditure_total` and `surplus` from the other lines.
pub(crate) fn fill_totals(v: &mut LineValues) {
    v[Line::IncomeTotal.index()] = Line::INCOME.iter().map(|l| v[l.index()]).sum();
    v[Line::ExpenditureTotal.index()] = Line::EXPENDITURE.iter().map(|l| v[l.index()]).sum();
    v[Line::Surplus.index()] = v[Line::IncomeTotal.index()] - v[Line::ExpenditureTotal.index()];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `DEFS` is in declaration order, so `index` is a position in it and
    /// the totals add the lines in the order the
    /// accounts (and the sums' rounding) have always used.
    #[test]
    fn definitions_match_the_enum() {
        use Line::*;
        for (i, l) in Line::ALL.iter().enumerate() {
            assert_eq!(l.index(), i, "{}", l.name());
        }
        assert_eq!(
            Line::INCOME,
            [Premiums, Interest, FiscalSubsidy, GapTransfers, OtherIncome]
        );
        assert_eq!(
            Line::EXPENDITURE,
            [
                Medical,
                Disability,
                Death,
                Investigation,
                Appraisal,
                Prevention,
                OtherExpenditure,
                Returned
            ]
        );
        assert_eq!(&Line::EXPENDITURE[..7], &Line::PAYMENTS[..]);
        assert_eq!(ReserveMonths.aggregation(), Aggregation::EndOfYear);
        assert_eq!(LoanDebt.aggregation(), Aggregation::EndOfYear);
        assert_eq!(LoanInterestPaid.aggregation(), Aggregation::Flow);
        assert!(!RateMultiplier.is_money() && ClosingBalance.is_money());
    }
}
