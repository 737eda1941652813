//! What the claims side of one path hands to its fund side: per year the
//! drivers and each cell's insured and wage, per month the payments by
//! line, city and sector, the counts of cases and the stock heads.
//!
//! Nothing on the claims side reads the fund (premiums, the balance, the
//! rate policy, gap sharing), so one tape can be replayed under several
//! fund rules (a stress matrix's schemes, a rate solver's candidates) on
//! exactly the draws a full run would make.

use crate::model::breakdown::CITY_LINES;
use crate::model::drivers::YearDrivers;

/// The claims-side lines of a month, in this order on the tape.
pub(crate) const CLAIMS_LINES: usize = 5;

/// Offsets of a month's scalars on the tape.
pub(crate) mod at {
    /// Medical, disability, death, investigation and appraisal payments.
    pub(crate) const LINES: usize = 0;
    /// Recognised injuries incurred.
    pub(crate) const CASES: usize = super::CLAIMS_LINES;
    /// Of which graded.
    pub(crate) const GRADED: usize = CASES + 1;
    /// Of which deaths.
    pub(crate) const DEATHS: usize = GRADED + 1;
    /// Stock recipients paid for the first time this year.
    pub(crate) const NEW_STOCK_PEOPLE: usize = DEATHS + 1;
    /// December's heads of the three stocks.
    pub(crate) const HEADS: usize = NEW_STOCK_PEOPLE + 1;
    /// Where the per-city and per-sector values start.
    pub(crate) const PARTS: usize = HEADS + 3;
}

/// A year's levels as the claims side drew and computed them.
#[derive(Debug, Clone)]
pub(crate) struct TapeYear {
    /// The drivers, after any stress overlay.
    pub(crate) drivers: YearDrivers,
    /// `Wage_k`.
    pub(crate) wage_index: f64,
    /// `Disp_k`.
    pub(crate) disposable_index: f64,
    /// Insured workers per cell.
    pub(crate) insured: Vec<f64>,
    /// Monthly wage per cell.
    pub(crate) wage: Vec<f64>,
}

/// The claims side of one path.
#[derive(Debug, Clone)]
pub(crate) struct Tape {
    cities: usize,
    sectors: usize,
    width: usize,
    months: Vec<f64>,
    pub(crate) years: Vec<TapeYear>,
}

/// A month of the tape, to read.
#[derive(Debug, Clone)]
pub(crate) struct TapeMonth<'a> {
    values: &'a [f64],
    parts: [std::ops::Range<usize>; 3],
}

/// A month of the tape, to write.
#[derive(Debug)]
pub(crate) struct TapeMonthMut<'a> {
    /// The scalars (see [`at`]).
    pub(crate) scalars: &'a mut [f64],
    /// Expenditure per city.
    pub(crate) city_expenditure: &'a mut [f64],
    /// Expenditure per city and line of [`CITY_LINES`].
    pub(crate) city_lines: &'a mut [f64],
    /// Expenditure per sector.
    pub(crate) sector_expenditure: &'a mut [f64],
}

impl Tape {
    /// An empty tape for `years` years of `cities × sectors` cells.
    pub(crate) fn new(cities: usize, sectors: usize, years: usize) -> Tape {
        let cells = cities * sectors;
        let width = at::PARTS + cities * (1 + CITY_LINES.len()) + sectors;
        Tape {
            cities,
            sectors,
            width,
            months: vec![0.0; years * 12 * width],
            years: (0..years)
                .map(|_| TapeYear {
                    // written by the claims side before it is read
                    drivers: YearDrivers::default(),
                    wage_index: 1.0,
                    disposable_index: 1.0,
                    insured: vec![0.0; cells],
                    wage: vec![0.0; cells],
                })
                .collect(),
        }
    }

    /// Empties every month.
    pub(crate) fn clear(&mut self) {
        self.months.fill(0.0);
    }

    /// Where a month's per-city expenditure, per-city lines and per-sector
    /// expenditure start and end: the one statement of the layout.
    fn parts(&self) -> [std::ops::Range<usize>; 3] {
        let lines = at::PARTS + self.cities;
        let sectors = lines + self.cities * CITY_LINES.len();
        [at::PARTS..lines, lines..sectors, sectors..self.width]
    }

    /// Year `k`'s levels and month `t`, both to write.
    pub(crate) fn year_and_month(
        &mut self,
        k: usize,
        t: usize,
    ) -> (&mut TapeYear, TapeMonthMut<'_>) {
        let [cities, lines, _] = self.parts();
        let width = self.width;
        let values = &mut self.months[t * width..(t + 1) * width];
        let (scalars, rest) = values.split_at_mut(cities.start);
        let (city_expenditure, rest) = rest.split_at_mut(cities.len());
        let (city_lines, sector_expenditure) = rest.split_at_mut(lines.len());
        (
            &mut self.years[k],
            TapeMonthMut {
                scalars,
                city_expenditure,
                city_lines,
                sector_expenditure,
            },
        )
    }

    /// Month `t`, to read.
    pub(crate) fn month(&self, t: usize) -> TapeMonth<'_> {
        TapeMonth {
            values: &self.months[t * self.width..(t + 1) * self.width],
            parts: self.parts(),
        }
    }

    /// Bytes the tape holds (for the caches that keep many).
    pub(crate) fn bytes(&self) -> usize {
        let cells = self.cities * self.sectors;
        let f64s = std::mem::size_of::<f64>();
        f64s * self.months.len()
            + self.years.len() * (std::mem::size_of::<TapeYear>() + 2 * cells * f64s)
    }
}

impl TapeMonth<'_> {
    /// Scalar `i` of [`at`].
    pub(crate) fn scalar(&self, i: usize) -> f64 {
        self.values[i]
    }

    /// Claims line `i` (medical, disability, death, investigation, appraisal).
    pub(crate) fn line(&self, i: usize) -> f64 {
        self.values[at::LINES + i]
    }

    /// Expenditure per city.
    pub(crate) fn city_expenditure(&self) -> &[f64] {
        &self.values[self.parts[0].clone()]
    }

    /// Expenditure per city and line.
    pub(crate) fn city_lines(&self) -> &[f64] {
        &self.values[self.parts[1].clone()]
    }

    /// Expenditure per sector.
    pub(crate) fn sector_expenditure(&self) -> &[f64] {
        &self.values[self.parts[2].clone()]
    }
}
