//! The last 12 months of each city's premiums, payroll, insured workers
//! and expenditure (docs/model.md §7), which sharing keys and the schemes'
//! own-shortfall weights read. Before 12 months have passed the window
//! holds the months since the start.

/// Per-city quantities over the last 12 months that keys and the
/// responsibility rule read.
#[derive(Debug, Clone)]
pub(crate) struct CityWindow {
    cities: usize,
    /// `[month slot][city][measure]`, measures as in [`Measure`].
    ring: Vec<f64>,
    next: usize,
}

/// What the window keeps per city and month.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Measure {
    /// Premium income.
    Premiums = 0,
    /// Payroll.
    Payroll = 1,
    /// Insured workers.
    Insured = 2,
    /// Expenditure attributed to the city.
    Expenditure = 3,
}

const MEASURES: usize = 4;

impl CityWindow {
    /// An empty window for `cities` cities.
    pub(crate) fn new(cities: usize) -> CityWindow {
        CityWindow {
            cities,
            ring: vec![0.0; 12 * cities * MEASURES],
            next: 0,
        }
    }

    /// Empties the window.
    pub(crate) fn clear(&mut self) {
        self.ring.fill(0.0);
        self.next = 0;
    }

    /// The slot for the next month, to be filled with [`CityWindow::set`] and then [`CityWindow::commit`].
    pub(crate) fn set(&mut self, city: usize, m: Measure, value: f64) {
        self.ring[(self.next * self.cities + city) * MEASURES + m as usize] = value;
    }

    /// Closes the month being filled.
    pub(crate) fn commit(&mut self) {
        self.next = (self.next + 1) % 12;
    }

    /// Sum of a measure over the window for one city.
    pub(crate) fn total(&self, city: usize, m: Measure) -> f64 {
        let mut sum = 0.0;
        for slot in 0..12 {
            sum += self.ring[(slot * self.cities + city) * MEASURES + m as usize];
        }
        sum
    }
}
