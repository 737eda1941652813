//! Monte Carlo statistics that merge exactly (MODEL.md section 8).
//!
//! A [`PathSet`] holds, for a contiguous range of path indices, what the
//! statistics need and nothing per month:
//! - per path and year, every line as `f32` (for quantiles), a breach flag
//!   and a gap flag; per path, the months below the rule and the cumulative
//!   gap transfer of each payer (`f64`). With 18 lines, H years and P payers
//!   that is `H·(18·4 + 1) + 2 + 8·P` bytes a path: 844 bytes for the
//!   default scenario (10 years, 13 payers), 8.4 MB for 10,000 paths;
//! - sums for the means, in fixed point (`i128`: money in fen, other values
//!   in units of 1e-9). Integer addition is exact and associative, so sums
//!   over any split of the paths into chunks, threads or shards are
//!   identical to the last digit.
//!
//! Concatenating path sets in path order ([`PathSet::append`]) therefore
//! gives, byte for byte, the statistics of one run over all the paths.

use super::{Distribution, QUANTILES, YearAccumulator, YearResult};
use crate::lines::{Line, N_LINES};
use serde::Serialize;

/// Fixed-point scale of money (fen).
const MONEY_SCALE: f64 = 100.0;
/// Fixed-point scale of other values (reserve months, multipliers).
const RATIO_SCALE: f64 = 1e9;

fn fixed(v: f64, money: bool) -> i128 {
    (v * if money { MONEY_SCALE } else { RATIO_SCALE }).round() as i128
}

fn unfixed(v: i128, money: bool) -> f64 {
    v as f64 / if money { MONEY_SCALE } else { RATIO_SCALE }
}

/// Bit of [`PathSet::flags`]: December reserve below the rule.
pub const FLAG_BREACH: u8 = 1;
/// Bit of [`PathSet::flags`]: a gap was shared during the year.
pub const FLAG_GAP: u8 = 2;

/// Shape of a run: years, cities, sectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Shape {
    /// Projection years.
    pub years: usize,
    /// Cities.
    pub cities: usize,
    /// Sectors.
    pub sectors: usize,
}

impl Shape {
    /// Payers: the province and each city.
    pub fn payers(&self) -> usize {
        self.cities + 1
    }
}

/// Exact sums over paths, per year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExactSums {
    /// `[year][line]`, fixed point.
    pub lines: Vec<i128>,
    /// `[year][line]`: paths where the line was finite (reserve months can be infinite).
    pub finite: Vec<u64>,
    /// `[year][city]` premiums, fen.
    pub city_premiums: Vec<i128>,
    /// `[year][city]` case and stock expenditure, fen.
    pub city_expenditure: Vec<i128>,
    /// `[year][city][line]` expenditure by city and line, fen.
    pub city_lines: Vec<i128>,
    /// `[year]` provincial expenditure, fen.
    pub provincial_expenditure: Vec<i128>,
    /// `[year][sector]` payroll, fen.
    pub sector_payroll: Vec<i128>,
    /// `[year][sector]` premiums, fen.
    pub sector_premiums: Vec<i128>,
    /// `[year][sector]` expenditure, fen.
    pub sector_expenditure: Vec<i128>,
    /// `[year][payer]` gap transfers, fen.
    pub gap_by_payer: Vec<i128>,
    /// Months below the rule, all paths.
    pub months_below_rule: u64,
    /// `[payer]`: the largest transfer a payer made in one year, over all
    /// paths and years (merged by maximum, which is exact).
    pub worst_year_by_payer: Vec<f64>,
}

impl ExactSums {
    fn new(shape: Shape) -> ExactSums {
        let h = shape.years;
        ExactSums {
            lines: vec![0; h * N_LINES],
            finite: vec![0; h * N_LINES],
            city_premiums: vec![0; h * shape.cities],
            city_expenditure: vec![0; h * shape.cities],
            city_lines: vec![0; h * shape.cities * crate::engine::CITY_LINES.len()],
            provincial_expenditure: vec![0; h],
            sector_payroll: vec![0; h * shape.sectors],
            sector_premiums: vec![0; h * shape.sectors],
            sector_expenditure: vec![0; h * shape.sectors],
            gap_by_payer: vec![0; h * shape.payers()],
            months_below_rule: 0,
            worst_year_by_payer: vec![0.0; shape.payers()],
        }
    }

    /// The `i128` fields, in a fixed order (for merging and serialisation).
    pub fn money_fields(&self) -> [&Vec<i128>; 9] {
        [
            &self.city_lines,
            &self.lines,
            &self.city_premiums,
            &self.city_expenditure,
            &self.provincial_expenditure,
            &self.sector_payroll,
            &self.sector_premiums,
            &self.sector_expenditure,
            &self.gap_by_payer,
        ]
    }

    /// Mutable access to the `i128` fields, same order as [`ExactSums::money_fields`].
    pub fn money_fields_mut(&mut self) -> [&mut Vec<i128>; 9] {
        [
            &mut self.city_lines,
            &mut self.lines,
            &mut self.city_premiums,
            &mut self.city_expenditure,
            &mut self.provincial_expenditure,
            &mut self.sector_payroll,
            &mut self.sector_premiums,
            &mut self.sector_expenditure,
            &mut self.gap_by_payer,
        ]
    }

    fn add(&mut self, other: &ExactSums) {
        for (a, b) in self
            .money_fields_mut()
            .into_iter()
            .zip(other.money_fields())
        {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (x, y) in self.finite.iter_mut().zip(&other.finite) {
            *x += y;
        }
        self.months_below_rule += other.months_below_rule;
        for (x, y) in self
            .worst_year_by_payer
            .iter_mut()
            .zip(&other.worst_year_by_payer)
        {
            *x = x.max(*y);
        }
    }
}

/// The mergeable record of a contiguous range of paths.
#[derive(Debug, Clone, PartialEq)]
pub struct PathSet {
    /// Shape of the run.
    pub shape: Shape,
    /// Index of the first path.
    pub first_path: u64,
    /// Number of paths.
    pub paths: u64,
    /// `[path][year][line]`.
    pub lines: Vec<f32>,
    /// `[path][year]`: [`FLAG_BREACH`] | [`FLAG_GAP`].
    pub flags: Vec<u8>,
    /// `[path]`: months with `R_t` below the rule.
    pub months_below_rule: Vec<u16>,
    /// `[path][payer]`: cumulative gap transfer over the horizon (yuan).
    pub gap_total_by_payer: Vec<f64>,
    /// Exact sums for the means.
    pub sums: ExactSums,
}

impl PathSet {
    /// An empty set starting at `first_path`.
    pub fn new(shape: Shape, first_path: u64) -> PathSet {
        PathSet {
            shape,
            first_path,
            paths: 0,
            lines: Vec::new(),
            flags: Vec::new(),
            months_below_rule: Vec::new(),
            gap_total_by_payer: Vec::new(),
            sums: ExactSums::new(shape),
        }
    }

    /// An empty set with room for `paths` paths.
    pub fn with_capacity(shape: Shape, first_path: u64, paths: u64) -> PathSet {
        let n = paths as usize;
        let mut set = PathSet::new(shape, first_path);
        set.lines.reserve_exact(n * shape.years * N_LINES);
        set.flags.reserve_exact(n * shape.years);
        set.months_below_rule.reserve_exact(n);
        set.gap_total_by_payer.reserve_exact(n * shape.payers());
        set
    }

    /// Records the next path from its folded years.
    pub fn record(&mut self, acc: &YearAccumulator) {
        let shape = self.shape;
        let sums = &mut self.sums;
        let payers = shape.payers();
        let start = self.gap_total_by_payer.len();
        self.gap_total_by_payer.resize(start + payers, 0.0);
        for (k, y) in acc.years.iter().enumerate() {
            for line in Line::ALL {
                let v = y.lines[line.index()];
                self.lines.push(v as f32);
                if v.is_finite() {
                    let i = k * N_LINES + line.index();
                    sums.lines[i] += fixed(v, line.is_money());
                    sums.finite[i] += 1;
                }
            }
            let gap = y.get(Line::GapTransfers) > 0.0;
            self.flags
                .push(if y.breach { FLAG_BREACH } else { 0 } | if gap { FLAG_GAP } else { 0 });
            let add = |dst: &mut [i128], src: &[f64]| {
                for (d, s) in dst.iter_mut().zip(src) {
                    *d += fixed(*s, true);
                }
            };
            let (c, s) = (shape.cities, shape.sectors);
            add(
                &mut sums.city_premiums[k * c..(k + 1) * c],
                &y.city_premiums,
            );
            add(
                &mut sums.city_expenditure[k * c..(k + 1) * c],
                &y.city_expenditure,
            );
            let cl = c * crate::engine::CITY_LINES.len();
            add(&mut sums.city_lines[k * cl..(k + 1) * cl], &y.city_lines);
            sums.provincial_expenditure[k] += fixed(y.provincial_expenditure(), true);
            add(
                &mut sums.sector_payroll[k * s..(k + 1) * s],
                &y.sector_payroll,
            );
            add(
                &mut sums.sector_premiums[k * s..(k + 1) * s],
                &y.sector_premiums,
            );
            add(
                &mut sums.sector_expenditure[k * s..(k + 1) * s],
                &y.sector_expenditure,
            );
            add(
                &mut sums.gap_by_payer[k * payers..(k + 1) * payers],
                &y.gap_by_payer,
            );
            for (w, g) in sums.worst_year_by_payer.iter_mut().zip(&y.gap_by_payer) {
                *w = w.max(*g);
            }
            for (t, g) in self.gap_total_by_payer[start..]
                .iter_mut()
                .zip(&y.gap_by_payer)
            {
                *t += g;
            }
        }
        let below = acc.months_below_rule.min(u16::MAX as u32) as u16;
        self.months_below_rule.push(below);
        sums.months_below_rule += u64::from(below);
        self.paths += 1;
    }

    /// Appends the next contiguous range of paths.
    pub fn append(&mut self, other: &PathSet) -> Result<(), String> {
        if other.shape != self.shape {
            return Err(format!(
                "shapes differ: {:?} and {:?}",
                self.shape, other.shape
            ));
        }
        if other.first_path != self.first_path + self.paths {
            return Err(format!(
                "paths are not contiguous: {}..{} then {}..{}",
                self.first_path,
                self.first_path + self.paths,
                other.first_path,
                other.first_path + other.paths
            ));
        }
        self.lines.extend_from_slice(&other.lines);
        self.flags.extend_from_slice(&other.flags);
        self.months_below_rule
            .extend_from_slice(&other.months_below_rule);
        self.gap_total_by_payer
            .extend_from_slice(&other.gap_total_by_payer);
        self.sums.add(&other.sums);
        self.paths += other.paths;
        Ok(())
    }

    fn n(&self) -> f64 {
        self.paths as f64
    }

    /// The values of one line in one year, one per path.
    pub fn column(&self, year: usize, line: Line) -> impl Iterator<Item = f32> + '_ {
        let stride = self.shape.years * N_LINES;
        let offset = year * N_LINES + line.index();
        self.lines.iter().skip(offset).step_by(stride).copied()
    }

    /// Per-year results: means from the exact sums, quantiles from the paths.
    pub fn year_results(&self, start_year: i32) -> Vec<YearResult> {
        let shape = self.shape;
        let n = self.n();
        let (c, s, p) = (shape.cities, shape.sectors, shape.payers());
        let mean = |v: &[i128]| -> Vec<f64> { v.iter().map(|x| unfixed(*x, true) / n).collect() };
        let mut column = Vec::with_capacity(self.paths as usize);
        (0..shape.years)
            .map(|k| {
                let mut lines = [Distribution::point(0.0); N_LINES];
                for line in Line::ALL {
                    let i = k * N_LINES + line.index();
                    column.clear();
                    // +∞ months (nothing paid) sort above every finite value
                    column.extend(self.column(k, line).filter(|v| !v.is_nan()).map(f64::from));
                    column.sort_by(f64::total_cmp);
                    let finite = self.sums.finite[i];
                    lines[line.index()] = Distribution {
                        mean: if finite > 0 {
                            unfixed(self.sums.lines[i], line.is_money()) / finite as f64
                        } else {
                            f64::INFINITY
                        },
                        quantiles: QUANTILES.map(|q| quantile(&column, q)),
                    };
                }
                YearResult {
                    year: start_year + k as i32,
                    lines,
                    breach_probability: self.share(k, FLAG_BREACH),
                    city_premiums: mean(&self.sums.city_premiums[k * c..(k + 1) * c]),
                    city_expenditure: mean(&self.sums.city_expenditure[k * c..(k + 1) * c]),
                    city_lines: {
                        let cl = c * crate::engine::CITY_LINES.len();
                        mean(&self.sums.city_lines[k * cl..(k + 1) * cl])
                    },
                    provincial_expenditure: unfixed(self.sums.provincial_expenditure[k], true) / n,
                    sector_payroll: mean(&self.sums.sector_payroll[k * s..(k + 1) * s]),
                    sector_premiums: mean(&self.sums.sector_premiums[k * s..(k + 1) * s]),
                    sector_expenditure: mean(&self.sums.sector_expenditure[k * s..(k + 1) * s]),
                    gap_by_payer: mean(&self.sums.gap_by_payer[k * p..(k + 1) * p]),
                }
            })
            .collect()
    }

    /// Share of paths with `flag` set in year `k`.
    pub fn share(&self, k: usize, flag: u8) -> f64 {
        let h = self.shape.years;
        let hits = self
            .flags
            .iter()
            .skip(k)
            .step_by(h)
            .filter(|f| **f & flag != 0)
            .count();
        hits as f64 / self.n()
    }

    /// For each year, the share of paths that breached in that year or before.
    pub fn first_breach_cumulative(&self) -> Vec<f64> {
        let mut cumulative = 0;
        self.first_breach_counts()
            .iter()
            .map(|c| {
                cumulative += c;
                cumulative as f64 / self.n()
            })
            .collect()
    }

    /// Paths whose first breach falls in each year.
    fn first_breach_counts(&self) -> Vec<u64> {
        let h = self.shape.years;
        let mut counts = vec![0u64; h];
        for path in self.flags.chunks(h) {
            if let Some(first) = path.iter().position(|f| f & FLAG_BREACH != 0) {
                counts[first] += 1;
            }
        }
        counts
    }

    /// Distribution of the first breach year: the share of paths whose first
    /// breach falls in each year (the rest never breach), from whole counts.
    pub fn first_breach_distribution(&self) -> Vec<f64> {
        self.first_breach_counts()
            .iter()
            .map(|c| *c as f64 / self.n())
            .collect()
    }

    /// Share of paths that never breach within the horizon.
    pub fn never_breach(&self) -> f64 {
        let breached: u64 = self.first_breach_counts().iter().sum();
        (self.paths - breached) as f64 / self.n()
    }

    /// Mean number of months with `R_t` below the rule.
    pub fn mean_months_below_rule(&self) -> f64 {
        self.sums.months_below_rule as f64 / self.n()
    }

    /// Statistics of one payer's cumulative gap transfer over the horizon.
    pub fn payer_burden(&self, payer: usize) -> PayerBurden {
        let p = self.shape.payers();
        let mut v: Vec<f64> = self
            .gap_total_by_payer
            .iter()
            .skip(payer)
            .step_by(p)
            .copied()
            .collect();
        v.sort_by(f64::total_cmp);
        let total: i128 = (0..self.shape.years)
            .map(|k| self.sums.gap_by_payer[k * p + payer])
            .sum();
        PayerBurden {
            mean: unfixed(total, true) / self.n(),
            p95: quantile(&v, 0.95),
            max: v.last().copied().unwrap_or(0.0),
            share_positive: v.iter().filter(|x| **x > 0.0).count() as f64 / self.n(),
            worst_year: self
                .sums
                .worst_year_by_payer
                .get(payer)
                .copied()
                .unwrap_or(0.0),
        }
    }
}

/// A payer's cumulative gap transfer across paths.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PayerBurden {
    /// Mean (yuan).
    pub mean: f64,
    /// 95th percentile (yuan).
    pub p95: f64,
    /// Largest (yuan).
    pub max: f64,
    /// Share of paths where the payer paid anything.
    pub share_positive: f64,
    /// The largest amount it paid in a single year, any path (yuan).
    pub worst_year: f64,
}

/// Quantile of sorted values, linear interpolation between order statistics
/// (Hyndman–Fan type 7, numpy's default); NaN for no values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            let frac = h - lo as f64;
            // equal neighbours (also both +∞) or an exact order statistic need no interpolation
            if frac == 0.0 || sorted[lo] == sorted[hi] {
                sorted[lo]
            } else {
                sorted[lo] + frac * (sorted[hi] - sorted[lo])
            }
        }
    }
}

/// Standard error of a proportion `p` over `n` paths.
pub fn proportion_se(p: f64, n: u64) -> f64 {
    if n == 0 {
        f64::NAN
    } else {
        (p * (1.0 - p) / n as f64).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Type-7 quantiles match numpy on a hand case.
    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.95) - 8.8).abs() < 1e-12, "numpy gives 8.8");
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 10.0);
        // +∞ (no payments) sorts last and does not turn a quantile into NaN
        let w = [1.0, 2.0, f64::INFINITY, f64::INFINITY];
        assert_eq!(quantile(&w, 1.0 / 3.0), 2.0);
        assert_eq!(quantile(&w, 0.9), f64::INFINITY);
        assert_eq!(quantile(&w, 0.5), f64::INFINITY);
    }

    /// Fixed point keeps money to the fen and adds exactly in any order.
    #[test]
    fn fixed_point_sums_are_order_free() {
        let xs = [0.1, 1e9 + 0.07, -3.33, 2.5e-3, 123456.789];
        let forward: i128 = xs.iter().map(|x| fixed(*x, true)).sum();
        let backward: i128 = xs.iter().rev().map(|x| fixed(*x, true)).sum();
        assert_eq!(forward, backward);
        assert_eq!(unfixed(fixed(1234.567, true), true), 1234.57);
    }
}
