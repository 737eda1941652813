//! Every word a report shows, in Chinese and English, from one place: the
//! language ([`Lang`]), the budget lines' labels (their names are kept with
//! the lines, [`crate::model::lines`]), and the fixed labels of tables,
//! sheets and headings ([`Label`]). In English the Chinese term of art
//! stands beside a budget line's name, so that a reader can match the
//! official tables.

use crate::analysis::stress::{NO_STRESS, OWN_SCHEME, PROVINCE};
use crate::model::lines::Line;
use crate::model::scenario::BASELINE;

/// Language of the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    /// Chinese labels.
    Zh,
    /// English labels, the Chinese terms of art beside them.
    En,
}

impl Lang {
    /// The language a scenario's reports default to: Chinese when a city or
    /// sector is named in Chinese (the Jiangxi scenario), English otherwise.
    pub(crate) fn default_for(s: &crate::model::scenario::Scenario) -> Lang {
        let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
        let names = s
            .cities
            .iter()
            .map(|c| &c.name)
            .chain(s.sectors.iter().map(|x| &x.name));
        if names.into_iter().any(|n| n.chars().any(han)) {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The text of this language.
    pub(crate) fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A budget line's label: its 预算科目 in Chinese; in English its name with
/// the Chinese beside it.
pub(crate) fn line(lang: Lang, line: Line) -> String {
    let d = line.def();
    match lang {
        Lang::Zh => d.zh.to_string(),
        Lang::En => format!("{} ({})", d.en, d.zh),
    }
}

/// How a report shows a rate schedule's name: the scenario's own schedule
/// ([`BASELINE`] in the files for machines) as 现行费率 in Chinese; a
/// candidate's name as its file gives it.
pub(crate) fn schedule_name(lang: Lang, name: &str) -> String {
    if name == BASELINE {
        lang.pick("现行费率", BASELINE).to_string()
    } else {
        name.to_string()
    }
}

/// How a report shows a gap-sharing scheme's name: the scenario's own
/// ([`OWN_SCHEME`] in the files for machines) as 情景自身方案 in Chinese
/// and "the scenario's scheme" in English; a preset by its name.
pub(crate) fn scheme_name(lang: Lang, name: &str) -> String {
    if name == OWN_SCHEME {
        lang.pick("情景自身方案", "the scenario's scheme")
            .to_string()
    } else {
        name.to_string()
    }
}

/// A stress's name as a reader sees it: [`NO_STRESS`] is the scenario as it is.
pub(crate) fn stress_name(lang: Lang, name: &str) -> String {
    if name == NO_STRESS {
        lang.pick("无压力", "no stress").to_string()
    } else {
        name.to_string()
    }
}

/// A payer's name: [`PROVINCE`] is the provincial treasury.
pub(crate) fn payer_name(lang: Lang, name: &str) -> String {
    if name == PROVINCE {
        lang.pick("省级财政", "the province").to_string()
    } else {
        name.to_string()
    }
}

/// How a report shows a rate schedule's description: the scenario's own
/// schedule's in the report's language; a candidate's as its file gives it.
pub(crate) fn schedule_description(lang: Lang, name: &str, description: &str) -> String {
    if name == BASELINE {
        lang.pick("情景本身的费率方案", description).to_string()
    } else {
        description.to_string()
    }
}

/// The name of an input the tornado moves.
pub(crate) fn input(lang: Lang, input: crate::analysis::sensitivity::Input) -> &'static str {
    use crate::analysis::sensitivity::Input;
    let (zh, en) = match input {
        Input::WageGrowth => ("工资增长率", "Wage growth"),
        Input::EmploymentGrowth => ("参保人数增长率", "Employment growth"),
        Input::Interest => ("基金利率", "Interest on the balance"),
        Input::MedicalInflation => ("医疗费用增长率", "Medical inflation"),
        Input::ClaimFrequency => ("事故发生率", "Claim frequency"),
        Input::SevereMix => ("重伤及死亡占比", "Mix toward severe grades"),
        Input::ExitHazards => ("待遇人员退出率", "Exit hazards of the stocks"),
        Input::CollectionRate => ("征缴率", "Collection rate"),
        Input::OpeningBalance => ("年初滚存结余", "Opening balance"),
        Input::Indexation => ("待遇调整系数", "Benefit indexation"),
    };
    lang.pick(zh, en)
}

/// The name of a measure the back-test places, and its unit when it is
/// not money (money is in the report's unit).
pub(crate) fn backtest_measure(
    lang: Lang,
    measure: crate::analysis::backtest::Measure,
) -> (&'static str, Option<&'static str>) {
    use crate::analysis::backtest::Measure as M;
    let (zh, en, unit) = match measure {
        M::Balance => ("年末滚存结余", "Balance at year end", None),
        M::Income => ("基金收入", "Income", None),
        M::Expenditure => ("基金支出", "Expenditure", None),
        M::Injuries => (
            "认定工伤人数",
            "Recognised injuries",
            Some(("人", "persons")),
        ),
        M::Insured => ("参保人数", "Insured workers", Some(("人", "persons"))),
        M::AverageWage => (
            "职工平均工资",
            "Average wage",
            Some(("元/年", "yuan a year")),
        ),
    };
    (lang.pick(zh, en), unit.map(|(zh, en)| lang.pick(zh, en)))
}

/// The name of a calibration target, and whether it is an amount of money.
pub(crate) fn calibration_target(
    lang: Lang,
    target: crate::model::scenario::CalibrationTarget,
) -> (&'static str, bool) {
    use crate::model::scenario::CalibrationTarget as T;
    let (zh, en, money) = match target {
        T::Insured => ("参保人数", "Insured workers", false),
        T::PremiumIncome => ("工伤保险费收入", "Premium income", true),
        T::Expenditure => ("基金支出", "Expenditure", true),
        T::OpeningBalance => ("年初滚存结余", "Opening balance", true),
        T::RecognisedInjuries => ("认定工伤人数", "Recognised injuries", false),
        T::GradedShare => ("评残比例", "Share graded 1–10", false),
        T::DeathShare => ("工亡比例", "Share of deaths", false),
        T::Beneficiaries => ("享受待遇人数", "People paid", false),
    };
    (lang.pick(zh, en), money)
}

/// A fixed label of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    /// The row of the provincial lines in tables by city.
    Provincial,
    /// The first column of a table of lines.
    Item,
    /// The budget column: the mean over paths.
    Budget,
    /// The low case.
    Low,
    /// The high case.
    High,
    /// Last year, from the scenario's execution.
    LastExecuted,
    /// Last year, projected.
    LastProjected,
    /// Change against last year.
    ChangePct,
    /// A city column.
    City,
    /// Premium income (the by-city table).
    Premiums,
    /// Expenditure (the by-city table).
    Expenditure,
    /// Premiums less expenditure.
    Net,
    /// A total row.
    Total,
    /// A total column.
    TotalColumn,
    /// A month column.
    Month,
    /// The revolving fund row of the funding plan.
    RevolvingFund,
    /// The pooled account's balance at month end.
    BalanceAtMonthEnd,
    /// The balance would not cover next month's transfers.
    Short,
    /// "yes" in a flag column.
    Yes,
    /// The province's budget sheet.
    SheetBudget,
    /// The by-city sheet.
    SheetByCity,
    /// The by-city-and-line sheet.
    SheetByCityLine,
    /// The funding plan sheet.
    SheetFundingPlan,
    /// The reforecast sheet.
    SheetReforecast,
    /// Actual to date (reforecast).
    ActualToDate,
    /// Expected to date (reforecast).
    ExpectedToDate,
    /// Projected year end (reforecast).
    ProjectedYearEnd,
    /// Probability of ending the year over budget (reforecast).
    OverBudget,
}

impl Label {
    /// The label in a language.
    pub(crate) fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Label::Provincial => ("省本级", "省本级"),
            Label::Item => ("项目", "Line"),
            Label::Budget => ("预算数", "Budget"),
            Label::Low => ("低情景 (P10)", "Low (P10)"),
            Label::High => ("高情景 (P90)", "High (P90)"),
            Label::LastExecuted => ("上年执行数", "Last year, executed"),
            Label::LastProjected => ("上年预计数", "Last year, projected"),
            Label::ChangePct => ("增减 %", "Change %"),
            Label::City => ("地区", "City"),
            Label::Premiums => ("工伤保险费收入", "Premium income"),
            Label::Expenditure => ("支出", "Expenditure"),
            Label::Net => ("收支差", "Net"),
            Label::Total => ("合计", "Total (合计)"),
            Label::TotalColumn => ("合计", "Total"),
            Label::Month => ("月份", "Month"),
            Label::RevolvingFund => ("周转金", "Revolving fund"),
            Label::BalanceAtMonthEnd => ("月末账户余额", "Balance at month end"),
            Label::Short => ("资金不足", "Short"),
            Label::Yes => ("是", "yes"),
            Label::SheetBudget => ("预算草案", "Budget"),
            Label::SheetByCity => ("分地区", "By city"),
            Label::SheetByCityLine => ("分地区分科目", "By city and line"),
            Label::SheetFundingPlan => ("用款计划", "Funding plan"),
            Label::SheetReforecast => ("年中预测", "Reforecast"),
            Label::ActualToDate => ("累计执行数", "Actual to date"),
            Label::ExpectedToDate => ("同期预算进度", "Expected to date"),
            Label::ProjectedYearEnd => ("全年预计数", "Projected year end"),
            Label::OverBudget => ("超预算概率", "P(over budget)"),
        };
        lang.pick(zh, en)
    }
}
