//! The expected-value model against hand arithmetic and accounting
//! identities (docs/model.md §3–7 and §10).

use super::support::*;
use crate::analysis::projection::Projection;
use crate::engine::MonthRecord;
use crate::input::{InputError, Source, parse_scenario};
use crate::model::breakdown::Part;
use crate::model::lines::Line;
use crate::model::policy::{Band, BandAction, RatePolicy, Stability};
use crate::model::scenario::OpeningStock;
use crate::model::sharing::{FixedRatio, Performance, Responsibility, Scheme, SharingKey};
use crate::stats::year::YearAccumulator;

/// tiny.toml by hand. Every growth and the interest rate are 0, and the
/// pipeline cases of late 2024 cost what 2025's cases cost, so every one-off
/// flow is the same each month:
/// - premiums 1,000 × 5,000 × 2 % = 100,000;
/// - one case a month (1,000 × 0.012 / 12): medical 0.69×2,000 + 0.3×10,000 +
///   0.01×20,000 = 4,580 (half this month, half next: 4,580 a month),
///   investigation 100, appraisal 0.3 × 1,000 = 300,
///   disability grants 0.1×21×5,000 + 0.2×7×5,000 = 17,500 plus medical
///   subsidies 0.2 × 0.5 × 6 × 5,000 = 3,000, death grants
///   0.01 × (6×5,000 + 20×50,000) = 10,300, prevention 2 % × 1.2 M / 12 = 2,000,
///   other 1,000: 38,780 in all;
/// - stocks, with exits of 1 % before joiners: disability
///   `D_t = 0.99 D_{t−1} + 375` from 30,000, care `C_t = 0.99 C_{t−1} + 75`
///   from 0, survivors `S_t = 0.99 S_{t−1} + 30` from 15,000, so together
///   `48,000 − 3,000 · 0.99^{t+1}`.
///
/// Net of month t: `13,220 + 3,000 · 0.99^{t+1}`, so after n months
/// `B_n = 1,000,000 + 13,220 n + 3,000 · 99 · (1 − 0.99^n)`.
#[test]
fn tiny_balance_by_hand() {
    let m = months(&tiny());
    let by_hand =
        |n: i32| 1_000_000.0 + 13_220.0 * f64::from(n) + 3_000.0 * 99.0 * (1.0 - 0.99f64.powi(n));
    assert!((m[0].get(Line::ClosingBalance) - 1_016_190.00).abs() < 1e-6);
    assert!((by_hand(1) - 1_016_190.00).abs() < 1e-6);
    assert!((m[11].get(Line::ClosingBalance) - by_hand(12)).abs() < 1e-6);
    assert!((m[23].get(Line::ClosingBalance) - by_hand(24)).abs() < 1e-6);
    // to the fen: 1,192,383.69 and 1,380,933.59
    assert_eq!(
        format!("{:.2}", m[11].get(Line::ClosingBalance)),
        "1192383.69"
    );
    assert_eq!(
        format!("{:.2}", m[23].get(Line::ClosingBalance)),
        "1380933.59"
    );
    // month 1 line by line
    assert_close(m[0].get(Line::Premiums), 100_000.0);
    assert_close(m[0].get(Line::Medical), 4_580.0);
    assert_close(m[0].get(Line::Investigation), 100.0);
    assert_close(m[0].get(Line::Appraisal), 300.0);
    assert_close(
        m[0].get(Line::Disability),
        20_500.0 + 29_700.0 + 375.0 + 75.0,
    );
    assert_close(m[0].get(Line::Death), 10_300.0 + 14_850.0 + 30.0);
    assert_close(m[0].get(Line::Prevention), 2_000.0);
    assert_close(m[0].get(Line::OtherExpenditure), 1_000.0);
}

/// closing = opening + income − expenditure every month and every year, and
/// the totals are the sums of their lines, on the default scenario (growth,
/// policy, sharing) and on tiny ([`assert_month_books`] for the months).
#[test]
fn accounting_identity_months_and_years() {
    let default = default_scenario();
    for s in [tiny(), default] {
        let m = months(&s);
        assert_month_books(&s, &m);
        let years = YearAccumulator::from_months(&s, &m);
        assert_eq!(years.len(), s.years);
        let mut opening = s.fund.opening_balance;
        for y in &years {
            let income: f64 = Line::INCOME.iter().map(|l| y.get(*l)).sum();
            let expenditure: f64 = Line::EXPENDITURE.iter().map(|l| y.get(*l)).sum();
            assert!(close(y.get(Line::IncomeTotal), income, 1e-12));
            assert!(close(y.get(Line::ExpenditureTotal), expenditure, 1e-12));
            assert!(close(
                y.get(Line::ClosingBalance),
                opening + income - expenditure,
                1e-9
            ));
            // city rows plus the provincial lines make the expenditure total
            let by_city: f64 = y.breakdown.part(Part::CityExpenditure).iter().sum::<f64>()
                + y.provincial_expenditure();
            assert!(close(by_city, expenditure, 1e-9));
            let by_sector: f64 = y
                .breakdown
                .part(Part::SectorExpenditure)
                .iter()
                .sum::<f64>()
                + y.provincial_expenditure();
            assert!(close(by_sector, expenditure, 1e-9));
            assert!(close(
                y.breakdown.part(Part::CityPremiums).iter().sum(),
                y.get(Line::Premiums),
                1e-12
            ));
            opening = y.get(Line::ClosingBalance);
        }
    }
}

/// The identity also holds in `yearly.csv` as printed (to the fen, allowing
/// one fen of rounding per printed number).
#[test]
fn accounting_identity_in_yearly_csv() {
    let s = default_scenario();
    let run = Projection::expected_value(&s);
    let prov = crate::report::provenance::Provenance {
        scenario: s.name.clone(),
        title: s.title.clone(),
        source: "test".into(),
        input_sha256: String::new(),
        monte_carlo: None,
        stress: None,
        schedules: Vec::new(),
        files: Vec::new(),
    };
    let files = crate::report::projection::files(
        &run,
        &prov,
        None,
        crate::report::units::Unit::Wan,
        crate::report::labels::Lang::Zh,
    )
    .unwrap();
    let yearly = files.iter().find(|f| f.name == "yearly.csv").unwrap();
    let years: Vec<i32> = run.years.iter().map(|y| y.year).collect();
    yearly_csv_books(&yearly.bytes, s.fund.opening_balance, &years).unwrap();
}

/// Stocks: exits come before joiners (a joiner is not exposed to the
/// month's exits), and amounts are indexed by 1 + θ·gW in `index_month` only.
#[test]
fn stock_order_and_indexation_month() {
    let mut s = tiny();
    // no new cases at all, so the disability line is the stock alone
    s.sectors[0].frequency = 0.0;
    s.lags.appraisal = 0;
    s.lags.medical_subsidy = 0;
    s.lags.death = 0;
    s.lags.payment_pattern = vec![1.0];
    s.drivers.wage_growth.mean = 0.10;
    s.stocks.indexation = 0.5;
    s.stocks.index_month = 7;
    let m = months(&s);
    for (t, r) in m.iter().enumerate().take(12) {
        let factor = if t >= 6 { 1.05 } else { 1.0 };
        let expected = 30_000.0 * 0.99f64.powi(t as i32 + 1) * factor;
        assert_close(r.get(Line::Disability), expected);
    }
    // second year: indexed again in July by 1.05, and not before
    assert_close(
        m[17].get(Line::Disability),
        30_000.0 * 0.99f64.powi(18) * 1.05,
    );
    assert_close(
        m[18].get(Line::Disability),
        30_000.0 * 0.99f64.powi(19) * 1.05 * 1.05,
    );

    // with joiners: month 0 pays 0.99 × 30,000 + 375 (not 0.99 × 30,375)
    let m = months(&tiny());
    let stock = m[0].get(Line::Disability) - 20_500.0 - 75.0;
    assert_close(stock, 0.99 * 30_000.0 + 375.0);
}

/// Living care follows `AW_{k−1}`: with wages growing 10 %, a care unit pays
/// 5,000 in 2025 and 5,500 in 2026, whatever the indexation.
#[test]
fn living_care_follows_previous_year_wage() {
    let mut s = tiny();
    s.sectors[0].frequency = 0.0;
    s.cities[0].disability.heads = 0.0;
    s.cities[0].care = OpeningStock {
        heads: 10.0,
        monthly_amount: 1_500.0,
    };
    s.stocks.indexation = 0.0;
    s.drivers.wage_growth.mean = 0.10;
    let m = months(&s);
    assert_close(m[0].get(Line::Disability), 10.0 * 0.99 * 1_500.0);
    assert_close(
        m[12].get(Line::Disability),
        10.0 * 0.99f64.powi(13) * 1_500.0 * 1.1,
    );
}

/// A payment whose lag passes the horizon is dropped, and does not wrap
/// around the schedule into an earlier month: the first year of a one-year
/// run equals the first year of a two-year run.
#[test]
fn payments_past_horizon_are_dropped() {
    let mut s = tiny();
    s.lags.death = 11;
    s.lags.payment_pattern = vec![0.25, 0.25, 0.25, 0.25];
    let long = months(&s);
    let short = months(&s.clone().with_years(1).unwrap());
    assert_eq!(short.len(), 12);
    for (a, b) in short.iter().zip(&long) {
        for line in Line::ALL {
            assert_eq!(a.get(line), b.get(line), "{} in month {}", line.name(), a.t);
        }
    }
    // and the schedule itself drops a payment at or past the horizon
    let mut sched = crate::model::schedule::Schedule::new(3, 1, 12);
    sched.add(12, 0, 0, 1.0);
    sched.add(-1, 0, 0, 1.0);
    for t in 0..12 {
        assert!(sched.due(t).iter().all(|v| *v == 0.0), "month {t}");
    }
}

/// The pipeline of late-2024 cases is paid: month 0 carries appraisals of
/// cases incurred two months before the start, death grants of the month
/// before, and the second half of last month's medical costs. Without the
/// pipeline these would be 0 (appraisal, death grants) or half (medical).
#[test]
fn pipeline_at_start_is_paid() {
    let s = tiny();
    let m = months(&s);
    assert_close(m[0].get(Line::Appraisal), 300.0);
    assert_close(m[0].get(Line::Medical), 4_580.0);
    assert_close(m[0].get(Line::Death) - 14_850.0 - 30.0, 10_300.0);
    // a month's pipeline flows are the steady-state flows (tiny has no growth)
    assert_close(m[0].get(Line::Appraisal), m[12].get(Line::Appraisal));
}

/// The base year's claim intensity scales the cases before the start, and
/// only them: with `K_base = 1.5` the appraisals of month 0 (cases of month
/// −2) are 1.5 × 300, those of month 12 (cases of the projection) stay 300,
/// and the investigations of month 0 (its own cases) are unchanged.
#[test]
fn base_year_intensity_scales_the_cases_before_the_start() {
    let plain = months(&tiny());
    let s = scenario(&TINY.replacen(
        "appraisal_cost = 1000.0",
        "appraisal_cost = 1000.0\nbase_year_intensity = 1.5",
        1,
    ));
    assert_eq!(s.claims.base_year_intensity, 1.5);
    let m = months(&s);
    assert_close(m[0].get(Line::Appraisal), 450.0);
    assert_close(m[1].get(Line::Appraisal), 450.0);
    assert_close(m[12].get(Line::Appraisal), 300.0);
    assert_close(
        m[0].get(Line::Investigation),
        plain[0].get(Line::Investigation),
    );
    assert_close(m[0].cases, plain[0].cases);
}

/// The own wage used for benefits is bounded to [0.6, 3] × AW: a wage of
/// 50,000 pays grants on 15,000, a wage of 1,000 on 3,000; premiums use the
/// unbounded wage.
#[test]
fn wage_clamp() {
    for (wage, bounded) in [(50_000.0, 15_000.0), (1_000.0, 3_000.0), (5_000.0, 5_000.0)] {
        let mut s = tiny();
        s.cities[0].monthly_wage = vec![wage];
        let m = months(&s);
        assert_close(m[0].get(Line::Premiums), 1_000.0 * wage * 0.02);
        let grants = 0.1 * 21.0 * bounded + 0.2 * 7.0 * bounded;
        let allowance_joiners = 0.1 * 0.75 * bounded;
        let expected = grants + 3_000.0 + 29_700.0 + allowance_joiners + 75.0;
        assert_close(m[0].get(Line::Disability), expected);
        // survivors join at ψ × the bounded wage
        assert_close(
            m[0].get(Line::Death),
            10_300.0 + 14_850.0 + 0.02 * 0.3 * bounded,
        );
    }
}

/// Prevention: at most 3 % of last year's premiums. 0.031 is refused with a
/// message naming the field; a scenario that raises `law.prevention_cap` may
/// go higher; the line is π × the previous year's premium income.
#[test]
fn prevention_cap_and_base() {
    let bad = TINY.replace("prevention_share = 0.02", "prevention_share = 0.031");
    let err = parse_scenario(&Source::new("bad.toml".into(), bad.clone())).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("fund.prevention_share = 0.031"), "{text}");
    assert!(matches!(err, InputError::Invalid { .. }));
    let raised = format!("{bad}\n[law]\nprevention_cap = 0.05\n");
    assert!(parse_scenario(&Source::new("ok.toml".into(), raised)).is_ok());

    let mut s = tiny();
    s.sectors[0].benchmark_rate = 0.03; // premiums 150,000 a month from 2025
    let m = months(&s);
    assert_close(m[0].get(Line::Prevention), 0.02 * 1_200_000.0 / 12.0);
    assert_close(m[12].get(Line::Prevention), 0.02 * 1_800_000.0 / 12.0);
}

fn with_policy(bands: Vec<Band>) -> crate::model::scenario::Scenario {
    let mut s = tiny();
    s.policy = RatePolicy::Bands {
        bands,
        stability: Stability::default(),
    };
    s
}

fn band(lower: f64, upper: f64, action: BandAction, years_in_a_row: u32) -> Band {
    Band {
        lower,
        upper,
        action,
        years_in_a_row,
    }
}

/// Each band action through the engine: tiny ends 2025 with 14.2 months and
/// 2026 with 16.4 months (without a policy); the December reading sets next
/// year's multiplier, which scales premiums.
#[test]
fn policy_actions_in_the_engine() {
    let premiums = |m: &[MonthRecord], k: usize| m[12 * k].get(Line::Premiums);
    // raise 10 % below 15 months
    let s = with_policy(vec![band(
        0.0,
        15.0,
        BandAction::Raise {
            step: 0.1,
            cap: 2.0,
        },
        1,
    )]);
    let m = months(&s);
    assert_close(premiums(&m, 1), 110_000.0);
    assert_close(m[12].get(Line::RateMultiplier), 1.1);
    // the cap binds
    let s = with_policy(vec![band(
        0.0,
        100.0,
        BandAction::Raise {
            step: 0.1,
            cap: 1.05,
        },
        1,
    )]);
    assert_close(premiums(&months(&s), 1), 105_000.0);
    // set 0.8
    let s = with_policy(vec![band(0.0, 100.0, BandAction::Set { factor: 0.8 }, 1)]);
    assert_close(premiums(&months(&s), 1), 80_000.0);
    // hold keeps the initial multiplier
    let mut s = with_policy(vec![band(0.0, 100.0, BandAction::Hold, 1)]);
    s.fund.initial_multiplier = 1.2;
    let m = months(&s);
    assert_close(premiums(&m, 0), 120_000.0);
    assert_close(premiums(&m, 2), 120_000.0);
}

/// `years_in_a_row = 2`: below 20 months in December 2025 and 2026, so the
/// raise acts from 2027 only.
#[test]
fn policy_years_in_a_row_in_the_engine() {
    let s = with_policy(vec![band(
        0.0,
        20.0,
        BandAction::Raise {
            step: 0.1,
            cap: 2.0,
        },
        2,
    )]);
    let m = months(&s);
    assert_close(m[12].get(Line::Premiums), 100_000.0);
    assert_close(m[24].get(Line::Premiums), 110_000.0);
}

/// Policy `none` keeps M = 1 in the engine even when given another `M_0`
/// (validation refuses such a scenario: `policy_none_with_a_multiplier_is_refused`).
#[test]
fn policy_none_keeps_one() {
    let mut s = tiny();
    s.fund.initial_multiplier = 1.3;
    let m = months(&s);
    assert_close(m[0].get(Line::RateMultiplier), 1.0);
    assert_close(m[0].get(Line::Premiums), 100_000.0);
}

/// Gap sharing in the engine: a fund that starts empty and pays more than it
/// collects is lifted to the floor every month; the payers' transfers add up
/// to the gap line; a floor of 2 months keeps `R` at exactly 2.
#[test]
fn gap_sharing_in_the_engine() {
    let schemes = [
        Scheme::FixedRatio(FixedRatio {
            province: 0.3,
            key: SharingKey::PremiumIncome,
        }),
        Scheme::Responsibility(Responsibility {
            city_share: 0.4,
            key: SharingKey::Equal,
        }),
        Scheme::Performance(Performance {
            province: 0.5,
            key: SharingKey::Payroll,
            target: 1.0,
            penalty: 1.0,
        }),
    ];
    for scheme in schemes {
        for floor_months in [0.0, 2.0] {
            let mut s = tiny();
            s.fund.opening_balance = 0.0;
            s.sectors[0].benchmark_rate = 0.01; // premiums 50,000 < payments
            s.sharing.scheme = scheme.clone();
            s.sharing.floor_months = floor_months;
            let m = months(&s);
            let mut gaps = 0.0;
            for r in &m {
                let paid: f64 = r.breakdown.part(Part::GapByPayer).iter().sum();
                assert!(close(paid, r.get(Line::GapTransfers), 1e-12), "{scheme:?}");
                assert!(close(
                    r.get(Line::ClosingBalance),
                    floor_months * r.average_payment,
                    1e-9
                ));
                gaps += r.get(Line::GapTransfers);
            }
            assert!(gaps > 0.0);
            let province_share = m
                .iter()
                .map(|r| r.breakdown.part(Part::GapByPayer)[0])
                .sum::<f64>()
                / gaps;
            let expected = match &scheme {
                Scheme::FixedRatio(p) => p.province,
                Scheme::Performance(p) => p.province,
                Scheme::Responsibility(p) => 1.0 - p.city_share,
                _ => unreachable!("the schemes listed above"),
            };
            assert!(close(province_share, expected, 1e-9), "{scheme:?}");
        }
    }
}

/// tiny, starting empty with a floor of 2 months: the first month's gap
/// lifts the fund to the floor, and its surpluses then carry it above 3
/// months by December, so that the schemes that pay back have something to
/// pay back.
fn lifted_tiny(scheme: Scheme) -> crate::model::scenario::Scenario {
    let mut s = tiny();
    s.fund.opening_balance = 0.0;
    s.sharing.floor_months = 2.0;
    s.sharing.scheme = scheme;
    s
}

/// Every month: the totals are the sums of their lines, the expenditure
/// counting what a scheme paid back; closing = opening + income −
/// expenditure; the payers' parts add up to the gap and returned lines; and
/// `Ē` is the mean of the last 12 months' payments alone.
fn assert_month_books(s: &crate::model::scenario::Scenario, m: &[MonthRecord]) {
    let mut opening = s.fund.opening_balance;
    // before the start every month counts at the base year's average
    let mut payments = vec![s.fund.base_year_expenditure / 12.0; 12];
    for r in m {
        let at = format!("{}: month {}", s.name, r.t);
        let income: f64 = Line::INCOME.iter().map(|l| r.get(*l)).sum();
        let expenditure: f64 = Line::EXPENDITURE.iter().map(|l| r.get(*l)).sum();
        let paid: f64 = Line::PAYMENTS.iter().map(|l| r.get(*l)).sum();
        assert!(close(r.get(Line::IncomeTotal), income, 1e-12), "{at}");
        assert!(
            close(r.get(Line::ExpenditureTotal), expenditure, 1e-12),
            "{at}"
        );
        assert!(
            close(expenditure, paid + r.get(Line::Returned), 1e-12),
            "{at}"
        );
        assert!(
            close(r.get(Line::Surplus), income - expenditure, 1e-12),
            "{at}"
        );
        let closing = opening + income - expenditure;
        assert!(close(r.get(Line::ClosingBalance), closing, 1e-9), "{at}");
        let back: f64 = r.breakdown.part(Part::ReturnedToPayer).iter().sum();
        assert!(close(back, r.get(Line::Returned), 1e-12), "{at}");
        let gap: f64 = r.breakdown.part(Part::GapByPayer).iter().sum();
        assert!(close(gap, r.get(Line::GapTransfers), 1e-12), "{at}");
        payments.push(paid);
        let mean = payments.iter().rev().take(12).sum::<f64>() / 12.0;
        assert!(close(r.average_payment, mean, 1e-12), "Ē, {at}");
        opening = r.get(Line::ClosingBalance);
    }
}

/// The books of a run whose floor is 2 months: they hold, and the
/// balance never ends a month below the floor.
fn assert_books_with_returns(s: &crate::model::scenario::Scenario, m: &[MonthRecord]) {
    assert_month_books(s, m);
    for r in m {
        assert!(r.get(Line::ClosingBalance) >= 2.0 * r.average_payment - 1e-6);
    }
}

/// `loan` through the engine: the province advances every gap; the debt
/// follows `D ← D (1 + r/12) + advance − repayment` (interest from the month
/// after an advance); December repays `share × (balance − threshold)` up to
/// the debt; the province's burden is its advances less the repayments;
/// and until the first repayment the fund's balance is the one it has when
/// the province simply pays every gap.
#[test]
fn loan_in_the_engine() {
    let loan = crate::model::sharing::Loan {
        interest_rate: 0.06,
        repay_above_months: 3.0,
        repay_share: 0.5,
    };
    let s = lifted_tiny(Scheme::Loan(loan));
    let m = months(&s);
    assert_books_with_returns(&s, &m);
    let gift = months(&lifted_tiny(Scheme::FixedRatio(FixedRatio {
        province: 1.0,
        key: SharingKey::PremiumIncome,
    })));
    let mut debt = 0.0;
    let mut repaid_any = false;
    let (mut advanced, mut repaid) = (0.0, 0.0);
    for (r, g) in m.iter().zip(&gift) {
        let advance = r.breakdown.part(Part::GapByPayer)[0];
        let repay = r.breakdown.part(Part::ReturnedToPayer)[0];
        assert_eq!(&r.breakdown.part(Part::GapByPayer)[1..], &[0.0]);
        debt = debt * (1.0 + 0.06 / 12.0) + advance;
        if r.month == 12 && debt > 0.0 {
            let threshold = 3.0 * r.average_payment;
            let before = r.get(Line::ClosingBalance) + repay;
            let want = (0.5 * (before - threshold)).max(0.0).min(debt);
            assert!(close(repay, want, 1e-9), "December of year {}", r.year);
        } else {
            assert_eq!(repay, 0.0, "repayments only in December");
        }
        debt -= repay;
        assert!(close(r.get(Line::LoanDebt), debt, 1e-9), "month {}", r.t);
        if !repaid_any {
            assert!(close(r.average_payment, g.average_payment, 1e-12));
            if repay == 0.0 {
                assert!(close(
                    r.get(Line::ClosingBalance),
                    g.get(Line::ClosingBalance),
                    1e-9
                ));
            }
        }
        repaid_any |= repay > 0.0;
        advanced += advance;
        repaid += repay;
    }
    assert!(advanced > 0.0 && repaid > 0.0, "{advanced} {repaid}");
    assert!(
        m[11].get(Line::LoanInterestPaid) > 0.0,
        "interest is paid first"
    );
    let years = YearAccumulator::from_months(&s, &m);
    let burden: f64 = years
        .iter()
        .map(|y| y.breakdown.part(Part::GapByPayer)[0] - y.breakdown.part(Part::ReturnedToPayer)[0])
        .sum();
    assert!(close(burden, advanced - repaid, 1e-9));
    assert!(close(
        years[1].get(Line::LoanDebt),
        m[23].get(Line::LoanDebt),
        1e-12
    ));
}

/// `surplus_return` through the engine: gaps split like `fixed_ratio`, and
/// each December the city gets back `share × (reserve − above × its monthly
/// payments)`, its notional reserve being the opening balance (tiny has one
/// city) plus its premiums less its payments, less what it got back before.
#[test]
fn surplus_return_in_the_engine() {
    let params = crate::model::sharing::SurplusReturn {
        province: 0.3,
        key: SharingKey::PremiumIncome,
        above_months: 1.0,
        share: 0.5,
    };
    let s = lifted_tiny(Scheme::SurplusReturn(params));
    let m = months(&s);
    assert_books_with_returns(&s, &m);
    let mut reserve = s.fund.opening_balance;
    let mut returned = 0.0;
    for (i, r) in m.iter().enumerate() {
        let gap = r.get(Line::GapTransfers);
        assert!(close(
            r.breakdown.part(Part::GapByPayer)[0],
            0.3 * gap,
            1e-12
        ));
        reserve +=
            r.breakdown.part(Part::CityPremiums)[0] - r.breakdown.part(Part::CityExpenditure)[0];
        let back = r.breakdown.part(Part::ReturnedToPayer);
        assert_eq!(back[0], 0.0, "nothing goes back to the province");
        if r.month == 12 {
            let year: f64 = m[i + 1 - 12..=i]
                .iter()
                .map(|x| x.breakdown.part(Part::CityExpenditure)[0])
                .sum();
            let claim = (0.5 * (reserve - year / 12.0)).max(0.0);
            let room = r.get(Line::ClosingBalance) + back[1] - 2.0 * r.average_payment;
            assert!(
                close(back[1], claim.min(room.max(0.0)), 1e-9),
                "year {}",
                r.year
            );
        } else {
            assert_eq!(back[1], 0.0);
        }
        reserve -= back[1];
        returned += back[1];
    }
    assert!(returned > 0.0);
}

/// The default scenario meets every calibration target of its
/// `[calibration]` section within ±5 % in its first year (2025).
#[test]
fn default_scenario_meets_calibration_targets() {
    let s = default_scenario();
    let run = Projection::expected_value(&s);
    assert!(
        run.calibration.len() >= 8,
        "the default scenario lists every target of docs/calibration.md §7"
    );
    for row in &run.calibration {
        assert!(
            row.relative_error.abs() <= 0.05,
            "{}: target {} model {} ({:+.1} %)",
            row.target.name(),
            row.target_value,
            row.model_value,
            row.relative_error * 100.0
        );
    }
}
