//! Amounts broken down by city, by city and budget line, by sector and by
//! payer (docs/model.md §6, §7): the one type every record of a period
//! carries — a month of a path, a year of a path, a year's means across
//! paths, the exact fixed-point sums — so that clearing, adding, merging and
//! encoding them is written once.
//!
//! A [`Breakdown`] is one flat vector; each [`Part`] is a contiguous range
//! of it, in the order of [`Part::ALL`].

use super::lines::Line;
use std::ops::AddAssign;

/// The expenditure lines attributed to a city, in the order of [`Part::CityLines`].
pub(crate) const CITY_LINES: [Line; 5] = [
    Line::Medical,
    Line::Disability,
    Line::Death,
    Line::Investigation,
    Line::Appraisal,
];

/// The size of a scenario's breakdowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dims {
    /// Cities.
    pub(crate) cities: usize,
    /// Sectors (risk classes).
    pub(crate) sectors: usize,
}

impl Dims {
    /// Payers of gap transfers: the province, then each city.
    pub(crate) const fn payers(self) -> usize {
        self.cities + 1
    }
}

/// One part of a breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Premiums by city.
    CityPremiums,
    /// Expenditure of each city's cases and stocks (provincial lines excluded).
    CityExpenditure,
    /// The same by city and line: `[city · 5 + i]`, `i` in the order of [`CITY_LINES`].
    CityLines,
    /// Payroll by sector.
    SectorPayroll,
    /// Premiums by sector.
    SectorPremiums,
    /// Expenditure of each sector's cases and stocks.
    SectorExpenditure,
    /// Gap transfers by payer: `[0]` the province, `[1 + c]` city `c`.
    GapByPayer,
    /// Money a scheme paid back to each payer (same order).
    ReturnedToPayer,
}

impl Part {
    /// Every part, in storage order.
    pub(crate) const ALL: [Part; 8] = [
        Part::CityPremiums,
        Part::CityExpenditure,
        Part::CityLines,
        Part::SectorPayroll,
        Part::SectorPremiums,
        Part::SectorExpenditure,
        Part::GapByPayer,
        Part::ReturnedToPayer,
    ];

    /// Number of values of the part.
    pub(crate) const fn len(self, d: Dims) -> usize {
        match self {
            Part::CityPremiums | Part::CityExpenditure => d.cities,
            Part::CityLines => d.cities * CITY_LINES.len(),
            Part::SectorPayroll | Part::SectorPremiums | Part::SectorExpenditure => d.sectors,
            Part::GapByPayer | Part::ReturnedToPayer => d.payers(),
        }
    }

    fn offset(self, d: Dims) -> usize {
        let mut at = 0;
        for p in Part::ALL {
            if p == self {
                break;
            }
            at += p.len(d);
        }
        at
    }
}

/// Number of values of a whole breakdown.
pub(crate) fn breakdown_len(d: Dims) -> usize {
    Part::ALL.iter().map(|p| p.len(d)).sum()
}

/// Amounts by city, city and line, sector and payer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Breakdown<T> {
    dims: Dims,
    values: Vec<T>,
}

/// The parts of a breakdown the engine fills cell by cell, borrowed mutably at once (for the engine's
/// loops, which write several parts per cell).
pub(crate) struct PartsMut<'a, T> {
    /// [`Part::CityPremiums`].
    pub(crate) city_premiums: &'a mut [T],
    /// [`Part::CityExpenditure`].
    pub(crate) city_expenditure: &'a mut [T],
    /// [`Part::CityLines`].
    pub(crate) city_lines: &'a mut [T],
    /// [`Part::SectorPayroll`].
    pub(crate) sector_payroll: &'a mut [T],
    /// [`Part::SectorPremiums`].
    pub(crate) sector_premiums: &'a mut [T],
    /// [`Part::SectorExpenditure`].
    pub(crate) sector_expenditure: &'a mut [T],
}

impl<T: Copy + Default> Breakdown<T> {
    /// Zeros.
    pub(crate) fn new(dims: Dims) -> Breakdown<T> {
        Breakdown {
            dims,
            values: vec![T::default(); breakdown_len(dims)],
        }
    }

    /// A breakdown of the given values, which must have the length of one.
    pub(crate) fn from_values(dims: Dims, values: Vec<T>) -> Option<Breakdown<T>> {
        (values.len() == breakdown_len(dims)).then_some(Breakdown { dims, values })
    }

    /// Its size.
    pub(crate) fn dims(&self) -> Dims {
        self.dims
    }

    /// The values of one part.
    pub(crate) fn part(&self, p: Part) -> &[T] {
        let at = p.offset(self.dims);
        &self.values[at..at + p.len(self.dims)]
    }

    /// The values of one part, to change.
    pub(crate) fn part_mut(&mut self, p: Part) -> &mut [T] {
        let at = p.offset(self.dims);
        let len = p.len(self.dims);
        &mut self.values[at..at + len]
    }

    /// Every part at once.
    pub(crate) fn parts_mut(&mut self) -> PartsMut<'_, T> {
        let d = self.dims;
        let rest = self.values.as_mut_slice();
        let (city_premiums, rest) = rest.split_at_mut(Part::CityPremiums.len(d));
        let (city_expenditure, rest) = rest.split_at_mut(Part::CityExpenditure.len(d));
        let (city_lines, rest) = rest.split_at_mut(Part::CityLines.len(d));
        let (sector_payroll, rest) = rest.split_at_mut(Part::SectorPayroll.len(d));
        let (sector_premiums, rest) = rest.split_at_mut(Part::SectorPremiums.len(d));
        let (sector_expenditure, _) = rest.split_at_mut(Part::SectorExpenditure.len(d));
        PartsMut {
            city_premiums,
            city_expenditure,
            city_lines,
            sector_payroll,
            sector_premiums,
            sector_expenditure,
        }
    }

    /// One city's amount of one of [`CITY_LINES`] (by its position `i`).
    pub(crate) fn city_line(&self, city: usize, i: usize) -> T {
        self.part(Part::CityLines)[city * CITY_LINES.len() + i]
    }

    /// Every value, parts in storage order.
    pub(crate) fn values(&self) -> &[T] {
        &self.values
    }

    /// Zeroes every value.
    pub(crate) fn clear(&mut self) {
        self.values.fill(T::default());
    }

    /// The breakdown with `f` applied to every value.
    pub(crate) fn map<U: Copy + Default>(&self, f: impl Fn(T) -> U) -> Breakdown<U> {
        Breakdown {
            dims: self.dims,
            values: self.values.iter().map(|v| f(*v)).collect(),
        }
    }

    /// Adds `f` of each value of `other` to the same value of this one.
    pub(crate) fn add_mapped<U: Copy>(&mut self, other: &Breakdown<U>, f: impl Fn(U) -> T)
    where
        T: AddAssign,
    {
        debug_assert_eq!(self.dims, other.dims);
        for (a, b) in self.values.iter_mut().zip(&other.values) {
            *a += f(*b);
        }
    }

    /// Adds another breakdown of the same size, value by value.
    pub(crate) fn add(&mut self, other: &Breakdown<T>)
    where
        T: AddAssign,
    {
        self.add_mapped(other, |v| v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts are disjoint, contiguous and cover the vector; `parts_mut`
    /// hands out the same ranges as `part`.
    #[test]
    fn parts_tile_the_vector() {
        let d = Dims {
            cities: 3,
            sectors: 2,
        };
        assert_eq!(breakdown_len(d), 3 + 3 + 15 + 2 + 2 + 2 + 4 + 4);
        let mut b = Breakdown::<f64>::new(d);
        {
            let p = b.parts_mut();
            p.city_premiums[2] = 1.0;
            p.city_lines[14] = 2.0;
        }
        b.part_mut(Part::GapByPayer)[0] = 3.0;
        assert_eq!(b.part(Part::CityPremiums), &[0.0, 0.0, 1.0]);
        assert_eq!(b.city_line(2, 4), 2.0);
        assert_eq!(b.part(Part::GapByPayer)[0], 3.0);
        let mut twice = b.clone();
        twice.add(&b);
        assert_eq!(twice.part(Part::GapByPayer)[0], 6.0);
        let as_int = b.map(|v| v as i64);
        assert_eq!(as_int.values().iter().sum::<i64>(), 6);
    }
}
