//! Stress overlays (docs/model.md §7): named shocks that change given years of any
//! scenario — employment, wage growth, collection, claim frequency, the
//! interest rate, benefit indexation, a catastrophe in a named city — and a
//! scale that shrinks or grows every shock at once (for the reverse stress
//! test). An overlay is read from its file by [`crate::input`] and checked
//! against the scenario it is applied to.
//!
//! Scaling by `s`: shifts are multiplied by `s`, factors become
//! `1 + s·(f − 1)`, values that replace a drawn one move from the drawn
//! value `x` to `x + s·(v − x)`, catastrophe deaths are `s` times the
//! stated number (rounded). `s = 1` is the overlay as written, `s = 0`
//! changes nothing.

use serde::Serialize;

/// A stress overlay, checked against a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Stress {
    /// Short name.
    pub(crate) name: String,
    /// What it does.
    pub(crate) description: String,
    /// The shocks.
    pub(crate) shocks: Vec<Shock>,
    /// Scale of every shock (1 as written).
    pub(crate) scale: f64,
}

/// Changes in force from `from` to `to` (calendar years, inclusive).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Shock {
    /// First year.
    pub(crate) from: i32,
    /// Last year.
    pub(crate) to: i32,
    /// Added to every sector's employment growth.
    pub(crate) employment_growth_shift: Option<f64>,
    /// Replaces the year's wage growth.
    pub(crate) wage_growth: Option<f64>,
    /// Added to every city's collection rate (a fraction: −0.05 is 5 points).
    pub(crate) collection_rate_shift: Option<f64>,
    /// Multiplies the expected number of cases.
    pub(crate) claims_frequency_factor: Option<f64>,
    /// Replaces the year's interest rate.
    pub(crate) interest_rate: Option<f64>,
    /// Replaces the indexation of allowances and pensions (`1 + value` in the index month).
    pub(crate) benefit_indexation: Option<f64>,
    /// One catastrophe in the year.
    pub(crate) catastrophe: Option<ForcedCatastrophe>,
}

/// A catastrophe forced into a year: `deaths` deaths in one cell, in `month`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ForcedCatastrophe {
    /// Sector index.
    pub(crate) sector: usize,
    /// City index.
    pub(crate) city: usize,
    /// Deaths at scale 1.
    pub(crate) deaths: f64,
    /// Calendar month, 1–12.
    pub(crate) month: usize,
}

/// The largest factor on claim frequency in one year, however many shocks
/// overlap and however they are scaled (docs/limits.md).
pub(crate) const MAX_FREQUENCY_FACTOR: f64 = 100.0;

/// The shocks in force in one year, already scaled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct YearShock {
    scale: f64,
    /// Added to every sector's employment growth.
    pub(crate) employment_shift: f64,
    wage_growth: Option<f64>,
    /// Added to every city's collection rate.
    pub(crate) collection_shift: f64,
    /// Multiplies the expected number of cases.
    pub(crate) frequency_factor: f64,
    interest_rate: Option<f64>,
    indexation: Option<f64>,
    /// Catastrophe deaths forced into (cell, calendar month).
    pub(crate) catastrophe: Option<(usize, usize, f64)>,
}

impl YearShock {
    /// No shock.
    pub(crate) const NONE: YearShock = YearShock {
        scale: 0.0,
        employment_shift: 0.0,
        wage_growth: None,
        collection_shift: 0.0,
        frequency_factor: 1.0,
        interest_rate: None,
        indexation: None,
        catastrophe: None,
    };

    /// A replaced value moves from the drawn one towards the overlay's by
    /// the scale, never past it (a scale above 1 cannot push a replaced
    /// interest rate below the one the overlay names).
    fn towards(&self, drawn: f64, set: Option<f64>) -> f64 {
        set.map_or(drawn, |v| drawn + self.scale.min(1.0) * (v - drawn))
    }

    /// The year's wage growth after the shock.
    pub(crate) fn wage_growth(&self, drawn: f64) -> f64 {
        self.towards(drawn, self.wage_growth)
    }

    /// The year's interest rate after the shock.
    pub(crate) fn interest_rate(&self, drawn: f64) -> f64 {
        self.towards(drawn, self.interest_rate)
    }

    /// The year's indexation of amounts (`factor − 1`) after the shock.
    pub(crate) fn indexation(&self, normal: f64) -> f64 {
        self.towards(normal, self.indexation)
    }
}

impl Stress {
    /// The scaled shocks in force in calendar year `year`.
    pub(crate) fn year(&self, year: i32, sectors: usize) -> YearShock {
        let s = self.scale;
        let mut y = YearShock {
            scale: s,
            ..YearShock::NONE
        };
        for shock in self
            .shocks
            .iter()
            .filter(|x| x.from <= year && year <= x.to)
        {
            y.employment_shift += s * shock.employment_growth_shift.unwrap_or(0.0);
            y.collection_shift += s * shock.collection_rate_shift.unwrap_or(0.0);
            // a factor below 1 scaled far enough would turn negative: no fewer than no claims
            y.frequency_factor = (y.frequency_factor
                * (1.0 + s * (shock.claims_frequency_factor.unwrap_or(1.0) - 1.0)).max(0.0))
            .min(MAX_FREQUENCY_FACTOR);
            y.wage_growth = shock.wage_growth.or(y.wage_growth);
            y.interest_rate = shock.interest_rate.or(y.interest_rate);
            y.indexation = shock.benefit_indexation.or(y.indexation);
            if let Some(c) = &shock.catastrophe {
                y.catastrophe =
                    Some((c.city * sectors + c.sector, c.month, (s * c.deaths).round()));
            }
        }
        y
    }

    /// The same overlay at another scale.
    pub(crate) fn scaled(&self, scale: f64) -> Stress {
        Stress {
            scale,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shock(from: i32, to: i32) -> Shock {
        Shock {
            from,
            to,
            employment_growth_shift: Some(-0.05),
            wage_growth: Some(0.0),
            collection_rate_shift: None,
            claims_frequency_factor: Some(1.3),
            interest_rate: None,
            benefit_indexation: None,
            catastrophe: None,
        }
    }

    /// A shock is in force in its years only, and scales as documented.
    #[test]
    fn years_and_scale() {
        let st = Stress {
            name: "x".into(),
            description: String::new(),
            shocks: vec![shock(2026, 2027)],
            scale: 1.0,
        };
        assert_eq!(
            st.year(2025, 1),
            YearShock {
                scale: 1.0,
                ..YearShock::NONE
            }
        );
        let y = st.year(2026, 1);
        assert_eq!(y.employment_shift, -0.05);
        assert_eq!(y.wage_growth(0.05), 0.0);
        assert!((y.frequency_factor - 1.3).abs() < 1e-12);
        assert_eq!(st.year(2028, 1).frequency_factor, 1.0);
        let half = st.scaled(0.5).year(2027, 1);
        assert!((half.employment_shift + 0.025).abs() < 1e-12);
        assert!((half.wage_growth(0.05) - 0.025).abs() < 1e-12);
        assert!((half.frequency_factor - 1.15).abs() < 1e-12);
        let none = st.scaled(0.0).year(2027, 1);
        assert_eq!(none.wage_growth(0.05), 0.05);
        assert_eq!(none.frequency_factor, 1.0);
    }
}
