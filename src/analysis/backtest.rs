//! `fundsim backtest` (docs/calibration.md, *Part C*): each observed value
//! after an origin year placed in the distribution that a scenario
//! calibrated on the years up to the origin gives it — its probability
//! integral transform (PIT) and whether it lies inside the 50 % and 90 %
//! bands — and the coverage over lines, years and origins, with a verdict
//! in plain words.

use crate::model::history::{History, N_SERIES, Series};
use crate::stats::estimate::quantile;
use serde::Serialize;

/// The quantiles of a fan: 5, 25, 50, 75 and 95 %.
pub(crate) const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// What is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Measure {
    /// Balance at year end.
    Balance,
    /// Total income.
    Income,
    /// Total expenditure.
    Expenditure,
    /// Recognised injuries.
    Injuries,
    /// Insured workers.
    Insured,
    /// The average wage.
    AverageWage,
}

impl Measure {
    /// Every measure, in report order.
    pub(crate) const ALL: [Measure; 6] = [
        Measure::Balance,
        Measure::Income,
        Measure::Expenditure,
        Measure::Injuries,
        Measure::Insured,
        Measure::AverageWage,
    ];

    /// Its name in files.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Measure::Balance => "balance",
            Measure::Income => "income",
            Measure::Expenditure => "expenditure",
            Measure::Injuries => "injuries",
            Measure::Insured => "insured",
            Measure::AverageWage => "average_wage",
        }
    }

    /// Whether it is an amount of money (for the unit of charts).
    pub(crate) fn is_money(self) -> bool {
        matches!(
            self,
            Measure::Balance | Measure::Income | Measure::Expenditure
        )
    }

    /// Its observed value in a year of the history.
    pub(crate) fn observed(self, h: &History, year: i32) -> Option<f64> {
        match self {
            Measure::Balance => h.get(year, Series::Balance),
            Measure::Income => h.income(year),
            Measure::Expenditure => h.expenditure(year),
            Measure::Injuries => h.get(year, Series::Injuries),
            Measure::Insured => h.get(year, Series::Insured),
            Measure::AverageWage => h.get(year, Series::AverageWage),
        }
    }

    /// Whether the state this measure is projected from was observed at
    /// the origin: its own value, and the series the calibration sets its
    /// level from. Otherwise the projection starts from the base's level
    /// and the comparison says nothing about the fans.
    pub(crate) fn observed_at_origin(self, h: &History, origin: i32) -> bool {
        let known = |s: &[Series]| s.iter().all(|s| h.get(origin, *s).is_some());
        self.observed(h, origin).is_some()
            && match self {
                Measure::Balance | Measure::AverageWage => true,
                Measure::Income => known(&[Series::Premiums, Series::Payroll]),
                Measure::Expenditure => known(&[Series::Medical, Series::Injuries]),
                Measure::Injuries | Measure::Insured => known(&[Series::Insured]),
            }
    }

    /// Its value in a simulated history row.
    pub(crate) fn simulated(self, row: &[f64; N_SERIES]) -> f64 {
        let s = match self {
            Measure::Balance => Series::Balance,
            Measure::Income => Series::IncomeTotal,
            Measure::Expenditure => Series::ExpenditureTotal,
            Measure::Injuries => Series::Injuries,
            Measure::Insured => Series::Insured,
            Measure::AverageWage => Series::AverageWage,
        };
        row[s.index()]
    }
}

/// One observed value in its simulated distribution.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Placement {
    /// The origin: the last year the calibration saw.
    pub(crate) origin: i32,
    /// The year of the value.
    pub(crate) year: i32,
    /// Years after the origin.
    pub(crate) horizon: i32,
    /// What it is.
    pub(crate) measure: Measure,
    /// The observed value.
    pub(crate) observed: f64,
    /// The simulated quantiles at [`QUANTILES`].
    pub(crate) quantiles: [f64; 5],
    /// Share of paths below the observed value (ties count half).
    pub(crate) pit: f64,
    /// Inside the 25–75 % band.
    pub(crate) in_50: bool,
    /// Inside the 5–95 % band.
    pub(crate) in_90: bool,
}

/// The fan of one measure from one origin, every year simulated.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Fan {
    /// The origin.
    pub(crate) origin: i32,
    /// What it is.
    pub(crate) measure: Measure,
    /// `(year, quantiles)`.
    pub(crate) years: Vec<(i32, [f64; 5])>,
    /// `(year, observed)` where known, the origin's own value first.
    pub(crate) observed: Vec<(i32, f64)>,
}

/// Places every observed value after `origin` in the simulated paths
/// `paths[path][k]` (year `origin + 1 + k`), for each measure whose state
/// was observed at the origin ([`Measure::observed_at_origin`]); returns
/// the placements and the fans.
pub(crate) fn place(
    h: &History,
    origin: i32,
    paths: &[Vec<[f64; N_SERIES]>],
) -> (Vec<Placement>, Vec<Fan>) {
    let years = paths.first().map_or(0, Vec::len);
    let mut placements = Vec::new();
    let mut fans = Vec::new();
    for measure in Measure::ALL {
        if !measure.observed_at_origin(h, origin) {
            continue;
        }
        let mut fan = Fan {
            origin,
            measure,
            years: Vec::with_capacity(years),
            observed: measure
                .observed(h, origin)
                .map(|v| (origin, v))
                .into_iter()
                .collect(),
        };
        for k in 0..years {
            let year = origin + 1 + k as i32;
            let mut sims: Vec<f64> = paths.iter().map(|p| measure.simulated(&p[k])).collect();
            sims.sort_by(f64::total_cmp);
            let q = QUANTILES.map(|p| quantile(&sims, p));
            fan.years.push((year, q));
            let Some(obs) = measure.observed(h, year) else {
                continue;
            };
            fan.observed.push((year, obs));
            let below = sims.partition_point(|v| *v < obs);
            let equal = sims[below..].partition_point(|v| *v <= obs);
            let pit = (below as f64 + 0.5 * equal as f64) / sims.len() as f64;
            placements.push(Placement {
                origin,
                year,
                horizon: year - origin,
                measure,
                observed: obs,
                quantiles: q,
                pit,
                in_50: (q[1]..=q[3]).contains(&obs),
                in_90: (q[0]..=q[4]).contains(&obs),
            });
        }
        fans.push(fan);
    }
    (placements, fans)
}

/// The history's rate multiplier moving after an origin: a rate change the
/// projection from that origin does not know of (it keeps the calibrated
/// scenario's own policy), which moves income and the balance by itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RateMove {
    /// The origin.
    pub(crate) origin: i32,
    /// The multiplier in force in the origin year.
    pub(crate) at_origin: f64,
    /// The first later year whose multiplier differs from it.
    pub(crate) first: i32,
    /// The last year of the history with a multiplier, and that multiplier.
    pub(crate) last: (i32, f64),
}

/// How far a later multiplier must be from the origin's to count as a
/// move: half a per cent (published multipliers carry two decimals).
const RATE_MOVE: f64 = 0.005;

/// The history's rate multiplier moving after `origin`, if it does.
pub(crate) fn rate_move(h: &History, origin: i32) -> Option<RateMove> {
    let at_origin = h.get(origin, Series::RateMultiplier)?;
    let later: Vec<(i32, f64)> = (origin + 1..=h.last_year())
        .filter_map(|y| h.get(y, Series::RateMultiplier).map(|m| (y, m)))
        .collect();
    let moved = |m: f64| (m - at_origin).abs() > RATE_MOVE * at_origin.abs();
    let first = later.iter().find(|(_, m)| moved(*m))?.0;
    Some(RateMove {
        origin,
        at_origin,
        first,
        last: *later.last()?,
    })
}

/// Coverage of a set of placements.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Coverage {
    /// The measure, or `None` for all together.
    pub(crate) measure: Option<Measure>,
    /// Values placed.
    pub(crate) n: usize,
    /// Inside the 50 % band.
    pub(crate) in_50: usize,
    /// Inside the 90 % band.
    pub(crate) in_90: usize,
    /// Above the simulated median.
    pub(crate) above_median: usize,
    /// Mean PIT (0.5 if the fans are centred).
    pub(crate) mean_pit: f64,
    /// The count inside the 90 % band that honest bands give with 95 %
    /// probability (a binomial(n, 0.9) interval), for reading `in_90`.
    pub(crate) expected_in_90: (usize, usize),
}

/// The coverage by measure and over all.
pub(crate) fn coverage(placements: &[Placement]) -> Vec<Coverage> {
    let one = |measure: Option<Measure>| {
        let set: Vec<&Placement> = placements
            .iter()
            .filter(|p| measure.is_none_or(|m| p.measure == m))
            .collect();
        let n = set.len();
        Coverage {
            measure,
            n,
            in_50: set.iter().filter(|p| p.in_50).count(),
            in_90: set.iter().filter(|p| p.in_90).count(),
            above_median: set.iter().filter(|p| p.observed > p.quantiles[2]).count(),
            mean_pit: if n == 0 {
                f64::NAN
            } else {
                set.iter().map(|p| p.pit).sum::<f64>() / n as f64
            },
            expected_in_90: binomial_interval(n, 0.9),
        }
    };
    let mut out: Vec<Coverage> = Measure::ALL
        .into_iter()
        .map(|m| one(Some(m)))
        .filter(|c| c.n > 0)
        .collect();
    out.push(one(None));
    out
}

/// The central 95 % interval of a binomial(n, p) count, exact (the
/// smallest and largest counts whose tails each exceed 2.5 %).
pub(crate) fn binomial_interval(n: usize, p: f64) -> (usize, usize) {
    use statrs::distribution::{Binomial, DiscreteCDF};
    let Ok(d) = Binomial::new(p, n as u64) else {
        return (0, n);
    };
    let lo = (0..=n as u64).find(|k| d.cdf(*k) > 0.025).unwrap_or(0);
    let hi = (0..=n as u64)
        .find(|k| d.cdf(*k) >= 0.975)
        .unwrap_or(n as u64);
    (lo as usize, hi as usize)
}

/// How the 90 % bands' coverage reads against honest bands'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Judgement {
    /// Fewer values inside than honest bands would hold: the fans are too narrow.
    TooNarrow,
    /// As many as honest bands would hold.
    Honest,
    /// More than honest bands would hold: the fans are wider than needed.
    TooWide,
}

impl Coverage {
    /// How its 90 % coverage reads against [`Coverage::expected_in_90`].
    pub(crate) fn judgement(&self) -> Judgement {
        let (lo, hi) = self.expected_in_90;
        if self.in_90 < lo {
            Judgement::TooNarrow
        } else if self.in_90 > hi {
            Judgement::TooWide
        } else {
            Judgement::Honest
        }
    }

    /// Which side of the median its values ran on more often (`true`:
    /// above), and in how many of its years.
    pub(crate) fn side(&self) -> (bool, usize) {
        if 2 * self.above_median > self.n {
            (true, self.above_median)
        } else {
            (false, self.n - self.above_median)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact binomial interval by hand: for n = 10, p = 0.9, P(X ≤ 6)
    /// = 0.0128 and P(X ≤ 7) = 0.0702, so the interval starts at 7 and,
    /// as P(X ≤ 9) = 0.651 < 0.975, ends at 10.
    #[test]
    fn binomial_interval_by_hand() {
        assert_eq!(binomial_interval(10, 0.9), (7, 10));
        let (lo, hi) = binomial_interval(100, 0.9);
        assert!(
            (83..=85).contains(&lo) && (95..=96).contains(&hi),
            "{lo}–{hi}"
        );
    }

    /// A value at the median of its paths has PIT 0.5 and lies in both
    /// bands; one below every path has PIT 0 and lies in neither.
    #[test]
    fn pit_and_bands() {
        let mut h = History {
            source: "t".into(),
            first_year: 2000,
            rows: vec![[None; N_SERIES]; 3],
        };
        h.rows[0][Series::Insured.index()] = Some(50.0);
        h.rows[1][Series::Insured.index()] = Some(50.0);
        h.rows[2][Series::Insured.index()] = Some(-1.0);
        let paths: Vec<Vec<[f64; N_SERIES]>> = (0..101)
            .map(|i| {
                let mut r = [0.0; N_SERIES];
                r[Series::Insured.index()] = f64::from(i);
                vec![r, r]
            })
            .collect();
        let (p, fans) = place(&h, 2000, &paths);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].pit, p[0].in_50, p[0].in_90), (0.5, true, true));
        assert_eq!((p[1].pit, p[1].in_50, p[1].in_90), (0.0, false, false));
        assert_eq!(
            fans.iter()
                .find(|f| f.measure == Measure::Insured)
                .unwrap()
                .years[0]
                .1,
            [5.0, 25.0, 50.0, 75.0, 95.0]
        );
        let c = coverage(&p);
        let all = c.last().unwrap();
        assert_eq!((all.n, all.in_90, all.in_50), (2, 1, 1));
        // honest 90 % bands hold 1 or 2 of 2 values with 95 % probability
        assert_eq!(all.expected_in_90, (1, 2));
        assert_eq!(all.judgement(), Judgement::Honest);
    }

    /// The judgement by hand: 10 values, whose honest interval is 7–10
    /// (above), read as too narrow at 6 inside and honest at 10; 100 values
    /// (84 or 85 to 95 or 96) read as too wide at 100 inside. The side is
    /// the median's side most values ran on, ties below.
    #[test]
    fn judgement_and_side() {
        let c = |n: usize, in_90: usize, above_median: usize| Coverage {
            measure: None,
            n,
            in_50: 0,
            in_90,
            above_median,
            mean_pit: 0.5,
            expected_in_90: binomial_interval(n, 0.9),
        };
        assert_eq!(c(10, 6, 0).judgement(), Judgement::TooNarrow);
        assert_eq!(c(10, 7, 0).judgement(), Judgement::Honest);
        assert_eq!(c(10, 10, 0).judgement(), Judgement::Honest);
        assert_eq!(c(100, 100, 0).judgement(), Judgement::TooWide);
        assert_eq!(c(6, 6, 6).side(), (true, 6));
        assert_eq!(c(6, 6, 3).side(), (false, 3));
        assert_eq!(c(6, 6, 1).side(), (false, 5));
    }

    /// A rate move after the origin is found from the first year that
    /// differs by more than half a per cent, with the last known value; one
    /// before the origin, a change of 0.4 %, or no multiplier at the origin
    /// is none.
    #[test]
    fn a_rate_move_after_the_origin() {
        let h = |rates: &[Option<f64>]| History {
            source: "t".into(),
            first_year: 2000,
            rows: rates
                .iter()
                .map(|m| {
                    let mut r = [None; N_SERIES];
                    r[Series::RateMultiplier.index()] = *m;
                    r
                })
                .collect(),
        };
        let rise = h(&[Some(1.0), Some(1.0), Some(1.1), None, Some(1.21), None]);
        assert_eq!(
            rate_move(&rise, 2001),
            Some(RateMove {
                origin: 2001,
                at_origin: 1.0,
                first: 2002,
                last: (2004, 1.21),
            })
        );
        assert_eq!(rate_move(&rise, 2002).map(|m| m.first), Some(2004));
        assert_eq!(rate_move(&rise, 2003), None);
        assert_eq!(
            rate_move(&h(&[Some(1.1), Some(1.0), Some(1.0)]), 2001),
            None
        );
        assert_eq!(rate_move(&h(&[Some(1.0), Some(1.004)]), 2000), None);
    }
}
