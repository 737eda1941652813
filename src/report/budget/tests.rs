//! Footing of the budget's columns, for any amounts in every unit.

use super::*;
use crate::model::lines::fill_totals;
use proptest::prelude::*;

fn lines() -> impl Strategy<Value = LineValues> {
    // amounts up to 50亿 yuan with fen, income and expenditure lines ≥ 0
    proptest::collection::vec(0.0f64..5e9, 12).prop_map(|v| {
        let mut out = [0.0; N_LINES];
        for (l, x) in Line::INCOME.iter().chain(Line::EXPENDITURE.iter()).zip(v) {
            out[l.index()] = (x * 100.0).round() / 100.0;
        }
        fill_totals(&mut out);
        out
    })
}

proptest! {
    /// After rounding, every total equals the sum of its printed parts, in
    /// every unit, for any amounts; each printed line is within one unit of
    /// its last digit of the exact amount; totals are the exact totals
    /// rounded on their own.
    #[test]
    fn every_column_foots(values in lines(), opening in -1e10f64..1e10, unit in prop_oneof![Just(Unit::Yuan), Just(Unit::Wan), Just(Unit::Yi)]) {
        let col = Column::foot(&values, opening, unit);
        prop_assert_eq!(col.check(), Ok(()));
        let step = Decimal::new(1, unit.decimals());
        for line in [Line::Premiums, Line::Medical, Line::OtherExpenditure] {
            let exact = unit.convert(values[line.index()]);
            prop_assert!((col.get(line) - exact).abs() < step, "{:?}", line);
        }
        prop_assert_eq!(col.get(Line::IncomeTotal), unit.round(
            Line::INCOME.iter().map(|l| unit.convert(values[l.index()])).sum()));
    }
}

/// The rows of the province's table are the money lines in report order,
/// and the table by city and line drops only the year-end balance.
#[test]
fn rows_derive_from_the_lines() {
    assert_eq!(ROWS.len(), 16);
    assert_eq!(ROWS[0], Line::Premiums);
    assert_eq!(ROWS[15], Line::ClosingBalance);
    assert!(ROWS.iter().all(|l| l.is_money()));
    assert_eq!(&ROWS[..15], &CITY_TABLE_ROWS[..]);
}
