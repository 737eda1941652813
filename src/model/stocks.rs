//! The three stocks of periodic benefits (docs/model.md §5.2): disability
//! allowances (grades 1–4), living care, survivors' pensions. Each is a head
//! count and a monthly amount per city × sector; living care is held in
//! units of `AW` and paid at `AW_{k−1}`.
//!
//! Each month, in this order: exits, joiners, indexation (in `index_month`),
//! payment.

use super::scenario::{City, OpeningStock, Scenario};
use super::schedule::item;

/// The three stocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stock {
    /// Disability allowances, grades 1–4.
    Disability = 0,
    /// Living care.
    Care = 1,
    /// Survivors' pensions.
    Survivors = 2,
}

/// The stocks of one city × sector cell.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct StockCell {
    /// Disability-allowance heads.
    pub(crate) disability_heads: f64,
    /// Disability-allowance total monthly amount (yuan).
    pub(crate) disability_amount: f64,
    /// Living-care heads.
    pub(crate) care_heads: f64,
    /// Living-care units: the sum of each head's share of `AW`.
    pub(crate) care_units: f64,
    /// Survivors'-pension heads.
    pub(crate) survivor_heads: f64,
    /// Survivors'-pension total monthly amount (yuan).
    pub(crate) survivor_amount: f64,
}

/// What a cell's stocks pay in a month.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct StockPayments {
    /// Allowances and living care (伤残待遇).
    pub(crate) disability: f64,
    /// Survivors' pensions (工亡待遇).
    pub(crate) death: f64,
}

/// Removes `leavers` heads and their average amount.
#[inline]
fn remove(heads: &mut f64, amount: &mut f64, leavers: f64) {
    if *heads > 0.0 {
        *amount -= leavers * *amount / *heads;
        *heads -= leavers;
    }
}

impl Stock {
    /// The three stocks, in the order their exits and joinings are drawn.
    pub(crate) const ALL: [Stock; 3] = [Stock::Disability, Stock::Care, Stock::Survivors];

    /// The stock's key in a city of the scenario file, and of its exit
    /// hazard (`KEY_exit_hazard`) in `[stocks]`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Stock::Disability => "disability",
            Stock::Care => "care",
            Stock::Survivors => "survivors",
        }
    }

    /// A city's opening position in the stock.
    pub(crate) fn opening_of(self, city: &City) -> OpeningStock {
        match self {
            Stock::Disability => city.disability,
            Stock::Care => city.care,
            Stock::Survivors => city.survivors,
        }
    }

    /// The stock's monthly exit hazard in a scenario.
    pub(crate) fn exit_hazard(self, s: &Scenario) -> f64 {
        match self {
            Stock::Disability => s.stocks.disability_exit_hazard,
            Stock::Care => s.stocks.care_exit_hazard,
            Stock::Survivors => s.stocks.survivors_exit_hazard,
        }
    }

    /// Heads joining the stock among a cell's items due in a month.
    pub(crate) fn joining(self, due: &[f64]) -> f64 {
        match self {
            Stock::Disability => due[item::DISABILITY_HEADS],
            Stock::Care => due[item::CARE_HEADS],
            Stock::Survivors => due[item::SURVIVOR_HEADS],
        }
    }
}

impl StockCell {
    /// Heads of one stock.
    pub(crate) fn heads(&self, stock: Stock) -> f64 {
        match stock {
            Stock::Disability => self.disability_heads,
            Stock::Care => self.care_heads,
            Stock::Survivors => self.survivor_heads,
        }
    }

    /// Removes `leavers` heads of one stock, each with the stock's average amount.
    pub(crate) fn remove(&mut self, stock: Stock, leavers: f64) {
        match stock {
            Stock::Disability => remove(
                &mut self.disability_heads,
                &mut self.disability_amount,
                leavers,
            ),
            Stock::Care => remove(&mut self.care_heads, &mut self.care_units, leavers),
            Stock::Survivors => {
                remove(&mut self.survivor_heads, &mut self.survivor_amount, leavers);
            }
        }
    }

    /// Adds the joiners scheduled for a month (`due` is the cell's items).
    pub(crate) fn join(&mut self, due: &[f64]) {
        self.disability_heads += due[item::DISABILITY_HEADS];
        self.disability_amount += due[item::DISABILITY_AMOUNT];
        self.care_heads += due[item::CARE_HEADS];
        self.care_units += due[item::CARE_UNITS];
        self.survivor_heads += due[item::SURVIVOR_HEADS];
        self.survivor_amount += due[item::SURVIVOR_AMOUNT];
    }

    /// Indexation: disability and survivors' amounts × `factor` (`1 + θ·gW_k`).
    pub(crate) fn index(&mut self, factor: f64) {
        self.disability_amount *= factor;
        self.survivor_amount *= factor;
    }

    /// The month's payments, living care at `AW_{k−1}`.
    pub(crate) fn payments(&self, average_wage_prev: f64) -> StockPayments {
        StockPayments {
            disability: self.disability_amount + self.care_units * average_wage_prev,
            death: self.survivor_amount,
        }
    }

    /// People paid: allowance and survivors' heads (living-care recipients
    /// are counted among the allowance recipients).
    pub(crate) fn people(&self) -> f64 {
        self.disability_heads + self.survivor_heads
    }
}

/// Opening stocks by city × sector (docs/model.md §5.2): each city's heads
/// split over sectors by `stocks.sector_split`, at the city's average amount.
/// With `whole_heads`, each city's heads are rounded to whole heads per
/// sector by largest remainder, the city total kept.
pub(crate) fn opening(s: &Scenario, whole_heads: bool, out: &mut [StockCell]) {
    let n_sectors = s.n_sectors();
    let aw = s.economy.average_monthly_wage;
    let mut heads = vec![0.0; n_sectors];
    for (c, city) in s.cities.iter().enumerate() {
        let cells = &mut out[c * n_sectors..(c + 1) * n_sectors];
        cells.fill(StockCell::default());
        split(
            city.disability.heads,
            &s.stocks.sector_split,
            whole_heads,
            &mut heads,
        );
        for (cell, h) in cells.iter_mut().zip(&heads) {
            cell.disability_heads = *h;
            cell.disability_amount = h * city.disability.monthly_amount;
        }
        split(
            city.care.heads,
            &s.stocks.sector_split,
            whole_heads,
            &mut heads,
        );
        for (cell, h) in cells.iter_mut().zip(&heads) {
            cell.care_heads = *h;
            cell.care_units = h * city.care.monthly_amount / aw;
        }
        split(
            city.survivors.heads,
            &s.stocks.sector_split,
            whole_heads,
            &mut heads,
        );
        for (cell, h) in cells.iter_mut().zip(&heads) {
            cell.survivor_heads = *h;
            cell.survivor_amount = h * city.survivors.monthly_amount;
        }
    }
}

/// Splits `total` by `shares`; with `whole`, into whole numbers by largest
/// remainder (ties to the lower index), keeping the rounded total.
pub(crate) fn split(total: f64, shares: &[f64], whole: bool, out: &mut [f64]) {
    for (o, sh) in out.iter_mut().zip(shares) {
        *o = total * sh;
    }
    if !whole {
        return;
    }
    let target = total.round();
    let mut floor_sum = 0.0;
    for o in out.iter_mut() {
        floor_sum += o.floor();
    }
    let mut left = (target - floor_sum).max(0.0) as usize;
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (out[a] - out[a].floor(), out[b] - out[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let floors: Vec<f64> = out.iter().map(|o| o.floor()).collect();
    out.copy_from_slice(&floors);
    for &i in &order {
        if left == 0 {
            break;
        }
        out[i] += 1.0;
        left -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Largest remainder keeps the city total and gives the extra heads to
    /// the largest fractional parts.
    #[test]
    fn largest_remainder_keeps_total() {
        let mut out = [0.0; 3];
        split(10.0, &[0.45, 0.35, 0.2], true, &mut out);
        assert_eq!(out, [5.0, 3.0, 2.0]);
        split(7.0, &[0.5, 0.25, 0.25], true, &mut out);
        assert_eq!(out.iter().sum::<f64>(), 7.0);
        assert_eq!(out, [3.0, 2.0, 2.0], "remainders 0.5, 0.75, 0.75");
    }

    /// Removing leavers takes their average amount, so the amount per head
    /// left is unchanged.
    #[test]
    fn exits_remove_average_amount() {
        let (mut h, mut a) = (10.0, 30_000.0);
        remove(&mut h, &mut a, 2.0);
        assert_eq!((h, a), (8.0, 24_000.0));
    }
}
