//! The three stocks of periodic benefits (MODEL.md section 5.2): disability
//! allowances (grades 1–4), living care, survivors' pensions. Each is a head
//! count and a monthly amount per city × sector; living care is held in
//! units of `AW` and paid at `AW_{k−1}`.
//!
//! Each month, in this order: exits, joiners, indexation (in `index_month`),
//! payment.

use crate::claims::item;
use crate::sampling::Sampler;
use crate::scenario::Scenario;

/// The three stocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stock {
    /// Disability allowances, grades 1–4.
    Disability = 0,
    /// Living care.
    Care = 1,
    /// Survivors' pensions.
    Survivors = 2,
}

/// The stocks of one city × sector cell.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StockCell {
    /// Disability-allowance heads.
    pub disability_heads: f64,
    /// Disability-allowance total monthly amount (yuan).
    pub disability_amount: f64,
    /// Living-care heads.
    pub care_heads: f64,
    /// Living-care units: the sum of each head's share of `AW`.
    pub care_units: f64,
    /// Survivors'-pension heads.
    pub survivor_heads: f64,
    /// Survivors'-pension total monthly amount (yuan).
    pub survivor_amount: f64,
}

/// What a cell's stocks pay in a month.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StockPayments {
    /// Allowances and living care (伤残待遇).
    pub disability: f64,
    /// Survivors' pensions (工亡待遇).
    pub death: f64,
}

/// Removes `leavers` heads and their average amount.
#[inline]
fn remove(heads: &mut f64, amount: &mut f64, leavers: f64) {
    if *heads > 0.0 {
        *amount -= leavers * *amount / *heads;
        *heads -= leavers;
    }
}

impl StockCell {
    /// Exits of month `t` with the scenario's hazards; `cell` is this cell's index.
    pub fn exits<S: Sampler>(&mut self, s: &Scenario, sampler: &mut S, cell: usize, t: usize) {
        let st = &s.stocks;
        let l = sampler.leavers(
            Stock::Disability,
            cell,
            t,
            self.disability_heads,
            st.disability_exit_hazard,
        );
        remove(&mut self.disability_heads, &mut self.disability_amount, l);
        let l = sampler.leavers(Stock::Care, cell, t, self.care_heads, st.care_exit_hazard);
        remove(&mut self.care_heads, &mut self.care_units, l);
        let l = sampler.leavers(
            Stock::Survivors,
            cell,
            t,
            self.survivor_heads,
            st.survivors_exit_hazard,
        );
        remove(&mut self.survivor_heads, &mut self.survivor_amount, l);
    }

    /// Adds the joiners scheduled for month `t` (`due` is the cell's items)
    /// and tells the sampler, which may draw their exits.
    pub fn join<S: Sampler>(
        &mut self,
        s: &Scenario,
        sampler: &mut S,
        cell: usize,
        t: usize,
        due: &[f64],
    ) {
        let st = &s.stocks;
        let joined = [
            (
                Stock::Disability,
                due[item::DISABILITY_HEADS],
                st.disability_exit_hazard,
            ),
            (Stock::Care, due[item::CARE_HEADS], st.care_exit_hazard),
            (
                Stock::Survivors,
                due[item::SURVIVOR_HEADS],
                st.survivors_exit_hazard,
            ),
        ];
        for (stock, heads, h) in joined {
            if heads > 0.0 {
                sampler.joined(stock, cell, t as i64, heads, h);
            }
        }
        self.disability_heads += due[item::DISABILITY_HEADS];
        self.disability_amount += due[item::DISABILITY_AMOUNT];
        self.care_heads += due[item::CARE_HEADS];
        self.care_units += due[item::CARE_UNITS];
        self.survivor_heads += due[item::SURVIVOR_HEADS];
        self.survivor_amount += due[item::SURVIVOR_AMOUNT];
    }

    /// Tells the sampler about the opening heads of this cell (present
    /// before month 0, so exposed to exits from month 0 on).
    pub fn opened<S: Sampler>(&self, s: &Scenario, sampler: &mut S, cell: usize) {
        let st = &s.stocks;
        for (stock, heads, h) in [
            (
                Stock::Disability,
                self.disability_heads,
                st.disability_exit_hazard,
            ),
            (Stock::Care, self.care_heads, st.care_exit_hazard),
            (
                Stock::Survivors,
                self.survivor_heads,
                st.survivors_exit_hazard,
            ),
        ] {
            if heads > 0.0 {
                sampler.joined(stock, cell, -1, heads, h);
            }
        }
    }

    /// Indexation: disability and survivors' amounts × `factor` (`1 + θ·gW_k`).
    pub fn index(&mut self, factor: f64) {
        self.disability_amount *= factor;
        self.survivor_amount *= factor;
    }

    /// The month's payments, living care at `AW_{k−1}`.
    pub fn payments(&self, average_wage_prev: f64) -> StockPayments {
        StockPayments {
            disability: self.disability_amount + self.care_units * average_wage_prev,
            death: self.survivor_amount,
        }
    }

    /// People paid: allowance and survivors' heads (living-care recipients
    /// are counted among the allowance recipients).
    pub fn people(&self) -> f64 {
        self.disability_heads + self.survivor_heads
    }
}

/// Opening stocks by city × sector (MODEL.md section 5.2): each city's heads
/// split over sectors by `stocks.sector_split`, at the city's average amount.
/// With `whole_heads`, each city's heads are rounded to whole heads per
/// sector by largest remainder, the city total kept.
pub fn opening(s: &Scenario, whole_heads: bool, out: &mut [StockCell]) {
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
pub fn split(total: f64, shares: &[f64], whole: bool, out: &mut [f64]) {
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
