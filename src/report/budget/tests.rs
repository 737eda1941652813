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

/// The rows of the province's table are the lines of the accounts in
/// report order; the money a scheme pays back appears only for a scheme
/// that pays money back.
#[test]
fn rows_derive_from_the_lines() {
    let s = crate::input::default_scenario();
    let r = rows(&s);
    assert_eq!(r.len(), 16);
    assert_eq!(r[0], Line::Premiums);
    assert_eq!(r[15], Line::ClosingBalance);
    assert!(!r.contains(&Line::Returned));
    let mut loan = s.clone();
    loan.sharing.scheme = s
        .sharing_presets
        .iter()
        .find(|p| p.name == "loan")
        .unwrap()
        .scheme
        .clone();
    let r = rows(&loan);
    assert_eq!(r.len(), 17);
    assert_eq!(r[13], Line::Returned);
    assert!(
        !r.contains(&Line::LoanDebt),
        "memorandum lines are not budget rows"
    );
}
