//! A fund's history (docs/history.md): one row a year of what its annual
//! statements and the statistical yearbooks give, each cell known or not.
//! The series, their units of account and the signs they may take live
//! here; reading a file is [`crate::input`]'s, fitting it
//! [`crate::analysis::calibrate`]'s.

use super::lines::Line;
use serde::Serialize;

/// What a series counts, which fixes the units it may be given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum Quantity {
    /// An amount of money over the year or at its end (yuan).
    Money,
    /// People or cases (a count).
    Count,
    /// A per-person amount a year (yuan a year).
    PerPerson,
    /// A pure number (a multiplier).
    Ratio,
}

/// One series of the history format, in the column order of the docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub(crate) enum Series {
    /// Insured workers (average of the year, or at its end as published).
    Insured,
    /// The annual contribution wage bill.
    Payroll,
    /// Premium income.
    Premiums,
    /// Interest income.
    Interest,
    /// Fiscal subsidy income.
    FiscalSubsidy,
    /// Other income.
    OtherIncome,
    /// Medical and rehabilitation benefits.
    Medical,
    /// Disability benefits.
    Disability,
    /// Death benefits.
    Death,
    /// Injury-determination investigation.
    Investigation,
    /// Labour-capacity appraisal.
    Appraisal,
    /// Work-injury prevention.
    Prevention,
    /// Other expenditure.
    OtherExpenditure,
    /// Balance at year end.
    Balance,
    /// Recognised injuries.
    Injuries,
    /// Of which appraised grades 1–10.
    Graded,
    /// Of which deaths.
    Deaths,
    /// Disability-allowance recipients at year end.
    AllowanceHeads,
    /// Living-care recipients at year end.
    CareHeads,
    /// Survivors' pension recipients at year end.
    SurvivorHeads,
    /// The provincial average wage (in-post, yuan a year).
    AverageWage,
    /// National per-capita disposable income (yuan a year).
    DisposableIncome,
    /// Total income, for statements that give only the total (optional
    /// column; where the lines are given too, they must foot to it).
    IncomeTotal,
    /// Total expenditure, likewise.
    ExpenditureTotal,
    /// The year's rates relative to the base scenario's (1 = the base's
    /// benchmark × floating rates; optional): a rate change then does not
    /// read as a collection shock.
    RateMultiplier,
}

/// Number of series.
pub(crate) const N_SERIES: usize = 25;

impl Series {
    /// Every series, in column order.
    pub(crate) const ALL: [Series; N_SERIES] = [
        Series::Insured,
        Series::Payroll,
        Series::Premiums,
        Series::Interest,
        Series::FiscalSubsidy,
        Series::OtherIncome,
        Series::Medical,
        Series::Disability,
        Series::Death,
        Series::Investigation,
        Series::Appraisal,
        Series::Prevention,
        Series::OtherExpenditure,
        Series::Balance,
        Series::Injuries,
        Series::Graded,
        Series::Deaths,
        Series::AllowanceHeads,
        Series::CareHeads,
        Series::SurvivorHeads,
        Series::AverageWage,
        Series::DisposableIncome,
        Series::IncomeTotal,
        Series::ExpenditureTotal,
        Series::RateMultiplier,
    ];

    /// The income lines, which add up to income.
    pub(crate) const INCOME: [Series; 4] = [
        Series::Premiums,
        Series::Interest,
        Series::FiscalSubsidy,
        Series::OtherIncome,
    ];

    /// The seven expenditure lines, which add up to expenditure.
    pub(crate) const EXPENDITURE: [Series; 7] = [
        Series::Medical,
        Series::Disability,
        Series::Death,
        Series::Investigation,
        Series::Appraisal,
        Series::Prevention,
        Series::OtherExpenditure,
    ];

    /// Index in [`Series::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The budget line a series of the fund's statement is, if it is one:
    /// its column is named as the line is in every other file.
    pub(crate) fn line(self) -> Option<Line> {
        Some(match self {
            Series::Premiums => Line::Premiums,
            Series::Interest => Line::Interest,
            Series::FiscalSubsidy => Line::FiscalSubsidy,
            Series::OtherIncome => Line::OtherIncome,
            Series::Medical => Line::Medical,
            Series::Disability => Line::Disability,
            Series::Death => Line::Death,
            Series::Investigation => Line::Investigation,
            Series::Appraisal => Line::Appraisal,
            Series::Prevention => Line::Prevention,
            Series::OtherExpenditure => Line::OtherExpenditure,
            _ => return None,
        })
    }

    /// The column name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Series::Insured => "insured",
            Series::Payroll => "payroll",
            Series::Balance => "balance",
            Series::Injuries => "injuries",
            Series::Graded => "graded",
            Series::Deaths => "deaths",
            Series::AllowanceHeads => "allowance_heads",
            Series::CareHeads => "care_heads",
            Series::SurvivorHeads => "survivor_heads",
            Series::AverageWage => "average_wage",
            Series::DisposableIncome => "disposable_income",
            Series::IncomeTotal => "income",
            Series::ExpenditureTotal => "expenditure",
            Series::RateMultiplier => "rate_multiplier",
            // the statement's lines are named as the lines are
            line_series => line_series.line().map_or("", Line::name),
        }
    }

    /// Whether a history file must have the column (the totals are optional).
    pub(crate) fn required(self) -> bool {
        !matches!(
            self,
            Series::IncomeTotal | Series::ExpenditureTotal | Series::RateMultiplier
        )
    }

    /// What it counts.
    pub(crate) fn quantity(self) -> Quantity {
        match self {
            Series::Insured
            | Series::Injuries
            | Series::Graded
            | Series::Deaths
            | Series::AllowanceHeads
            | Series::CareHeads
            | Series::SurvivorHeads => Quantity::Count,
            Series::AverageWage | Series::DisposableIncome => Quantity::PerPerson,
            Series::RateMultiplier => Quantity::Ratio,
            _ => Quantity::Money,
        }
    }

    /// Whether the series may be negative (interest can be, a balance can
    /// be overdrawn; nothing else can).
    pub(crate) fn may_be_negative(self) -> bool {
        matches!(self, Series::Interest | Series::Balance)
    }

    /// The largest magnitude accepted, in base units (yuan, persons, yuan
    /// a year): what the engine's own limits allow a scenario.
    pub(crate) fn max_magnitude(self) -> f64 {
        use super::limits::{MAX_AMOUNT, MAX_CASES_PER_YEAR, MAX_INSURED, MAX_PER_PERSON};
        match self {
            Series::Insured
            | Series::AllowanceHeads
            | Series::CareHeads
            | Series::SurvivorHeads => MAX_INSURED,
            Series::Injuries | Series::Graded | Series::Deaths => MAX_CASES_PER_YEAR,
            Series::AverageWage | Series::DisposableIncome => 12.0 * MAX_PER_PERSON,
            Series::RateMultiplier => 10.0,
            _ => MAX_AMOUNT,
        }
    }

    /// The series of a column name.
    pub(crate) fn from_name(name: &str) -> Option<Series> {
        Series::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// One year of the history: every series, known or not, in base units.
pub(crate) type Row = [Option<f64>; N_SERIES];

/// A history of consecutive years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct History {
    /// Where it was read from (for reports).
    pub(crate) source: String,
    /// The first year.
    pub(crate) first_year: i32,
    /// One row a year from `first_year` on.
    pub(crate) rows: Vec<Row>,
}

impl History {
    /// The last year (the base year of a calibration).
    pub(crate) fn last_year(&self) -> i32 {
        self.first_year + self.rows.len() as i32 - 1
    }

    /// The years, in order.
    pub(crate) fn years(&self) -> impl Iterator<Item = i32> + '_ {
        (0..self.rows.len()).map(|i| self.first_year + i as i32)
    }

    /// The value of a series in a year, if known.
    pub(crate) fn get(&self, year: i32, series: Series) -> Option<f64> {
        let i = usize::try_from(year - self.first_year).ok()?;
        self.rows.get(i).and_then(|r| r[series.index()])
    }

    /// The years up to and including `year` (for a back-test's fit).
    pub(crate) fn until(&self, year: i32) -> History {
        let n = usize::try_from(year - self.first_year + 1)
            .unwrap_or(0)
            .min(self.rows.len());
        History {
            source: self.source.clone(),
            first_year: self.first_year,
            rows: self.rows[..n].to_vec(),
        }
    }

    /// The row of a year, if the history has it.
    fn row(&self, year: i32) -> Option<&Row> {
        self.rows.get(usize::try_from(year - self.first_year).ok()?)
    }

    /// Total income of a year ([`income_of`]).
    pub(crate) fn income(&self, year: i32) -> Option<f64> {
        self.row(year).and_then(income_of)
    }

    /// Total expenditure of a year ([`expenditure_of`]).
    pub(crate) fn expenditure(&self, year: i32) -> Option<f64> {
        self.row(year).and_then(expenditure_of)
    }
}

/// A row's total income: the `income` column, else the sum of the income
/// lines if every one is known.
pub(crate) fn income_of(row: &Row) -> Option<f64> {
    row[Series::IncomeTotal.index()].or_else(|| Series::INCOME.iter().map(|s| row[s.index()]).sum())
}

/// A row's total expenditure: the `expenditure` column, else the sum of
/// the seven lines if every one is known.
pub(crate) fn expenditure_of(row: &Row) -> Option<f64> {
    row[Series::ExpenditureTotal.index()]
        .or_else(|| Series::EXPENDITURE.iter().map(|s| row[s.index()]).sum())
}

/// What a part file breaks the province down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum PartKind {
    /// Industry risk classes: the scenario's `[[sectors]]`.
    Class,
    /// Cities: the scenario's `[[cities]]`.
    City,
}

impl PartKind {
    /// The key column's name, and the word in messages.
    pub(crate) fn key(self) -> &'static str {
        match self {
            PartKind::Class => "class",
            PartKind::City => "city",
        }
    }
}

/// The series a by-class or by-city file may give (docs/history.md §4).
pub(crate) const PART_SERIES: [Series; 6] = [
    Series::Insured,
    Series::Payroll,
    Series::Premiums,
    Series::Injuries,
    Series::Graded,
    Series::Deaths,
];

/// A history by class or by city: one [`History`] for each of the base
/// scenario's classes or cities, in its order, over the same consecutive
/// years; only the [`PART_SERIES`] are ever known.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PartHistory {
    /// Class or city.
    pub(crate) kind: PartKind,
    /// Where it was read from.
    pub(crate) source: String,
    /// Each part's history, in the scenario's order of classes or cities.
    pub(crate) parts: Vec<History>,
}

impl PartHistory {
    /// Every part's value of a series in a year, if every part has it.
    pub(crate) fn all(&self, year: i32, series: Series) -> Option<Vec<f64>> {
        self.parts.iter().map(|p| p.get(year, series)).collect()
    }
}
