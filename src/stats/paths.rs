//! Monte Carlo statistics that merge exactly (docs/model.md §8, §11).
//!
//! A [`PathSet`] holds, for a contiguous range of path indices, what the
//! statistics need and nothing per month:
//! - per path and year, every line as `f32` (for quantiles), a breach flag
//!   and a gap flag; per path, the months below the rule, each payer's
//!   cumulative burden (its gap transfers less what was paid back to it) and
//!   the gap total (`f64`). With 21 lines, H years and P payers that is
//!   `H·(21·4 + 1) + 2 + 8·P + 8` bytes a path: 964 bytes for the default
//!   scenario (10 years, 13 payers), 9.6 MB for 10,000 paths;
//! - sums for the means, in fixed point (`i128`: money in fen, other values
//!   in units of 1e-9). Integer addition is exact and associative, so sums
//!   over any split of the paths into chunks, threads or shards are
//!   identical to the last digit.
//!
//! Concatenating path sets in path order ([`PathSet::append`]) therefore
//! gives, byte for byte, the statistics of one run over all the paths.
//! Nothing outside this module sees the storage or the fixed point: the
//! analyses ask questions through methods, and exact totals travel as
//! [`Total`]s. The `paths.bin` codec of a shard and its checks are the
//! submodule `codec`.

use super::estimate::quantile;
use super::results::{Distribution, QUANTILES, YearResult};
use super::year::YearAccumulator;
use crate::model::breakdown::{Breakdown, Dims, Part};
use crate::model::limits::{MAX_MONEY_VALUE, money_in_range};
use crate::model::lines::{Line, N_LINES};
use serde::Serialize;
use std::fmt;
use std::ops::{Add, Range};

mod codec;

pub(crate) use codec::{CodecError, expected_len};

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

/// A run's path statistics that do not fit in memory: they are kept whole
/// (for the quantiles), so shards help to run the paths but not to merge
/// them.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "{paths} paths need about {:.1} GB of memory for their statistics ({per_path} bytes a path), more than this machine can give; run fewer paths (a merge of shards needs this memory too)",
    *bytes as f64 / 1e9
)]
pub(crate) struct NoRoom {
    paths: u64,
    bytes: usize,
    per_path: usize,
}

/// A path whose values the statistics cannot add up exactly: a scenario
/// whose growth compounded beyond [`MAX_MONEY_VALUE`] on this path.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "path {path}, projection year {year}: {line} = {value:e} yuan, beyond the {MAX_MONEY_VALUE:e} yuan a path's value may reach (docs/limits.md); the scenario's growth compounds too far on this path: lower the growth means or standard deviations, or shorten the horizon"
)]
pub(crate) struct OutOfRange {
    /// Path index.
    pub(crate) path: u64,
    /// Projection year, from 1.
    pub(crate) year: usize,
    /// The line (or breakdown) that went out of range.
    pub(crate) line: &'static str,
    /// Its value.
    pub(crate) value: f64,
}

/// Checks that every money value of a path is finite and within
/// ±[`MAX_MONEY_VALUE`], so that no fixed-point sum over up to
/// [`crate::model::limits::MAX_PATHS`] paths and 50 years can overflow.
/// Ratio lines are held in range where they are computed.
fn check_range(acc: &YearAccumulator, path: u64) -> Result<(), OutOfRange> {
    for (k, y) in acc.years.iter().enumerate() {
        let fail = |line: &'static str, value: f64| OutOfRange {
            path,
            year: k + 1,
            line,
            value,
        };
        for line in Line::ALL.into_iter().filter(|l| l.is_money()) {
            let v = y.lines[line.index()];
            if !money_in_range(v) {
                return Err(fail(line.name(), v));
            }
        }
        if let Some(v) = y.breakdown.values().iter().find(|v| !money_in_range(**v)) {
            return Err(fail("a city or class breakdown", *v));
        }
    }
    Ok(())
}

/// Bit of the flags: December reserve below the rule.
const FLAG_BREACH: u8 = 1;
/// Bit of the flags: a gap was shared during the year.
const FLAG_GAP: u8 = 2;

/// Shape of a run: years, cities, sectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub(crate) struct Shape {
    /// Projection years.
    pub(crate) years: usize,
    /// Cities.
    pub(crate) cities: usize,
    /// Sectors.
    pub(crate) sectors: usize,
}

impl Shape {
    /// The longest horizon a scenario allows (docs/scenario.md).
    pub(crate) const MAX_YEARS: usize = 50;
    /// The most cities a shard's shape may claim: far beyond any province
    /// (the default scenario has 12), so that only a damaged or hostile
    /// manifest exceeds it.
    pub(crate) const MAX_CITIES: usize = 10_000;
    /// The most sectors (risk classes) a shard's shape may claim (the law
    /// has 8).
    pub(crate) const MAX_SECTORS: usize = 10_000;

    /// Whether the shape is one a scenario can have: 1 to
    /// [`Self::MAX_YEARS`] years, 1 to [`Self::MAX_CITIES`] cities and 1 to
    /// [`Self::MAX_SECTORS`] sectors.
    pub(crate) fn within_limits(&self) -> bool {
        (1..=Self::MAX_YEARS).contains(&self.years)
            && (1..=Self::MAX_CITIES).contains(&self.cities)
            && (1..=Self::MAX_SECTORS).contains(&self.sectors)
    }

    /// Payers: the province and each city.
    pub(crate) fn payers(&self) -> usize {
        self.cities + 1
    }

    /// The breakdown's dimensions.
    pub(crate) fn dims(&self) -> Dims {
        Dims {
            cities: self.cities,
            sectors: self.sectors,
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} years, {} cities, {} sectors",
            self.years, self.cities, self.sectors
        )
    }
}

/// An exact money total over paths (and years), kept in fixed point so that
/// ratios of totals are those of the exact sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Total(i128);

impl Total {
    /// The total in yuan.
    pub(crate) fn yuan(self) -> f64 {
        unfixed(self.0, true)
    }

    /// This total over another, `None` when the other is not positive.
    pub(crate) fn ratio(self, other: Total) -> Option<f64> {
        (other.0 > 0).then(|| self.0 as f64 / other.0 as f64)
    }
}

impl Add for Total {
    type Output = Total;
    fn add(self, other: Total) -> Total {
        Total(self.0 + other.0)
    }
}

impl std::ops::Sub for Total {
    type Output = Total;
    fn sub(self, other: Total) -> Total {
        Total(self.0 - other.0)
    }
}

impl std::iter::Sum for Total {
    fn sum<I: Iterator<Item = Total>>(iter: I) -> Total {
        Total(iter.map(|t| t.0).sum())
    }
}

/// Exact sums over paths, per year.
#[derive(Debug, Clone, PartialEq)]
struct ExactSums {
    /// `[year][line]`, fixed point.
    lines: Vec<i128>,
    /// `[year][line]`: paths where the line was finite (reserve months can be infinite).
    finite: Vec<u64>,
    /// `[year]`: the breakdown, fen.
    breakdown: Vec<Breakdown<i128>>,
    /// `[year]` provincial expenditure, fen.
    provincial_expenditure: Vec<i128>,
    /// Months below the rule, all paths.
    months_below_rule: u64,
    /// `[payer]`: the largest transfer a payer made in one year, over all
    /// paths and years (merged by maximum, which is exact).
    worst_year_by_payer: Vec<f64>,
}

impl ExactSums {
    fn new(shape: Shape) -> ExactSums {
        let h = shape.years;
        ExactSums {
            lines: vec![0; h * N_LINES],
            finite: vec![0; h * N_LINES],
            breakdown: vec![Breakdown::new(shape.dims()); h],
            provincial_expenditure: vec![0; h],
            months_below_rule: 0,
            worst_year_by_payer: vec![0.0; shape.payers()],
        }
    }

    fn add(&mut self, other: &ExactSums) {
        for (x, y) in self.lines.iter_mut().zip(&other.lines) {
            *x += y;
        }
        for (x, y) in self.finite.iter_mut().zip(&other.finite) {
            *x += y;
        }
        for (x, y) in self.breakdown.iter_mut().zip(&other.breakdown) {
            x.add(y);
        }
        for (x, y) in self
            .provincial_expenditure
            .iter_mut()
            .zip(&other.provincial_expenditure)
        {
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
pub(crate) struct PathSet {
    shape: Shape,
    first_path: u64,
    paths: u64,
    /// `[path][year][line]`.
    lines: Vec<f32>,
    /// `[path][year]`: [`FLAG_BREACH`] | [`FLAG_GAP`].
    flags: Vec<u8>,
    /// `[path]`: months with `R_t` below the rule.
    months_below_rule: Vec<u16>,
    /// `[path][payer]`: cumulative gap transfer over the horizon less what
    /// the scheme paid the payer back (yuan): its net burden.
    burden_by_payer: Vec<f64>,
    /// `[path]`: the gap transfers over the horizon, all payers (yuan).
    gap_total: Vec<f64>,
    sums: ExactSums,
}

/// A payer's cumulative gap transfer across paths.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct PayerBurden {
    /// Mean (yuan).
    pub(crate) mean: f64,
    /// 95th percentile (yuan).
    pub(crate) p95: f64,
    /// Largest (yuan).
    pub(crate) max: f64,
    /// Share of paths where the payer paid anything.
    pub(crate) share_positive: f64,
    /// The largest amount it paid in a single year, any path (yuan).
    pub(crate) worst_year: f64,
}

impl PathSet {
    /// An empty set starting at `first_path`.
    pub(crate) fn new(shape: Shape, first_path: u64) -> PathSet {
        PathSet {
            shape,
            first_path,
            paths: 0,
            lines: Vec::new(),
            flags: Vec::new(),
            months_below_rule: Vec::new(),
            burden_by_payer: Vec::new(),
            gap_total: Vec::new(),
            sums: ExactSums::new(shape),
        }
    }

    /// An empty set with room for `paths` paths.
    pub(crate) fn with_capacity(shape: Shape, first_path: u64, paths: u64) -> PathSet {
        // a chunk's few paths; should even they not fit, the set grows as
        // paths are recorded instead
        PathSet::try_with_capacity(shape, first_path, paths)
            .unwrap_or_else(|_| PathSet::new(shape, first_path))
    }

    /// [`PathSet::with_capacity`] for a whole run's paths, which may not
    /// fit: an error, not an abort, when the memory cannot be had.
    pub(crate) fn try_with_capacity(
        shape: Shape,
        first_path: u64,
        paths: u64,
    ) -> Result<PathSet, NoRoom> {
        let no_room = || NoRoom {
            paths,
            bytes: PathSet::bytes_for(shape, paths),
            per_path: PathSet::bytes_for(shape, 1),
        };
        let n = usize::try_from(paths).map_err(|_| no_room())?;
        let room = |per_path: usize| n.checked_mul(per_path).ok_or_else(no_room);
        let mut set = PathSet::new(shape, first_path);
        set.lines
            .try_reserve_exact(room(shape.years * N_LINES)?)
            .map_err(|_| no_room())?;
        set.flags
            .try_reserve_exact(room(shape.years)?)
            .map_err(|_| no_room())?;
        set.months_below_rule
            .try_reserve_exact(n)
            .map_err(|_| no_room())?;
        set.burden_by_payer
            .try_reserve_exact(room(shape.payers())?)
            .map_err(|_| no_room())?;
        set.gap_total.try_reserve_exact(n).map_err(|_| no_room())?;
        Ok(set)
    }

    /// The memory `paths` paths of `shape` take in a set.
    pub(crate) fn bytes_for(shape: Shape, paths: u64) -> usize {
        fn size<T>(_: &[T]) -> usize {
            std::mem::size_of::<T>()
        }
        let set = PathSet::new(shape, 0);
        let per_path = shape.years * N_LINES * size(&set.lines)
            + shape.years * size(&set.flags)
            + size(&set.months_below_rule)
            + shape.payers() * size(&set.burden_by_payer)
            + size(&set.gap_total);
        per_path.saturating_mul(usize::try_from(paths).unwrap_or(usize::MAX))
    }

    /// Shape of the run.
    pub(crate) fn shape(&self) -> Shape {
        self.shape
    }

    /// Index of the first path.
    pub(crate) fn first_path(&self) -> u64 {
        self.first_path
    }

    /// Number of paths.
    pub(crate) fn paths(&self) -> u64 {
        self.paths
    }

    fn n(&self) -> f64 {
        self.paths as f64
    }

    /// Records the next path from its folded years, after checking that
    /// every value can be added up exactly ([`check_range`]).
    pub(crate) fn record(&mut self, acc: &YearAccumulator) -> Result<(), OutOfRange> {
        check_range(acc, self.first_path + self.paths)?;
        self.record_checked(acc);
        Ok(())
    }

    fn record_checked(&mut self, acc: &YearAccumulator) {
        let payers = self.shape.payers();
        let sums = &mut self.sums;
        let start = self.burden_by_payer.len();
        self.burden_by_payer.resize(start + payers, 0.0);
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
            sums.breakdown[k].add_mapped(&y.breakdown, |v| fixed(v, true));
            sums.provincial_expenditure[k] += fixed(y.provincial_expenditure(), true);
            let paid = y.breakdown.part(Part::GapByPayer);
            for (w, g) in sums.worst_year_by_payer.iter_mut().zip(paid) {
                *w = w.max(*g);
            }
            for (t, g) in self.burden_by_payer[start..].iter_mut().zip(paid) {
                *t += g;
            }
        }
        let burden = &mut self.burden_by_payer[start..];
        self.gap_total.push(burden.iter().sum());
        for y in &acc.years {
            for (t, r) in burden
                .iter_mut()
                .zip(y.breakdown.part(Part::ReturnedToPayer))
            {
                *t -= r;
            }
        }
        let below = acc.months_below_rule.min(u32::from(u16::MAX)) as u16;
        self.months_below_rule.push(below);
        sums.months_below_rule += u64::from(below);
        self.paths += 1;
    }

    /// Appends the next contiguous range of paths.
    pub(crate) fn append(&mut self, other: &PathSet) -> Result<(), String> {
        if other.shape != self.shape {
            return Err(format!("shapes differ: {} and {}", self.shape, other.shape));
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
        self.burden_by_payer
            .extend_from_slice(&other.burden_by_payer);
        self.gap_total.extend_from_slice(&other.gap_total);
        self.sums.add(&other.sums);
        self.paths += other.paths;
        Ok(())
    }

    // ------------------------------------------------------------ per path

    /// The value of `line` in year `k` of the set's `p`-th path.
    pub(crate) fn value(&self, p: usize, k: usize, line: Line) -> f64 {
        f64::from(self.lines[(p * self.shape.years + k) * N_LINES + line.index()])
    }

    /// Whether the set's `p`-th path is in breach in December of year `k`.
    pub(crate) fn breached(&self, p: usize, k: usize) -> bool {
        self.flags[p * self.shape.years + k] & FLAG_BREACH != 0
    }

    /// Whether the set's `p`-th path breaches in any year.
    pub(crate) fn breached_any(&self, p: usize) -> bool {
        self.path_flags(p).iter().any(|f| f & FLAG_BREACH != 0)
    }

    fn path_flags(&self, p: usize) -> &[u8] {
        let h = self.shape.years;
        &self.flags[p * h..(p + 1) * h]
    }

    /// The `p`-th path's gap transfers over the horizon, all payers.
    pub(crate) fn gap_total(&self, p: usize) -> f64 {
        self.gap_total[p]
    }

    /// The values of one line in one year, one per path.
    fn column(&self, year: usize, line: Line) -> impl Iterator<Item = f32> + '_ {
        let stride = self.shape.years * N_LINES;
        let offset = year * N_LINES + line.index();
        self.lines.iter().skip(offset).step_by(stride).copied()
    }

    // ------------------------------------------------------------ across paths

    /// The exact mean of `line` in year `k` over the paths where it is finite
    /// (`+∞` when it is nowhere finite).
    pub(crate) fn mean(&self, k: usize, line: Line) -> f64 {
        let i = k * N_LINES + line.index();
        let finite = self.sums.finite[i];
        if finite > 0 {
            unfixed(self.sums.lines[i], line.is_money()) / finite as f64
        } else {
            f64::INFINITY
        }
    }

    /// The exact means of year `k`'s breakdown.
    pub(crate) fn breakdown_mean(&self, k: usize) -> Breakdown<f64> {
        let n = self.n();
        self.sums.breakdown[k].map(|x| unfixed(x, true) / n)
    }

    /// The exact total over every path and the years `years` of the values
    /// `index` of a breakdown part (all of its values when `None`).
    pub(crate) fn total(&self, years: Range<usize>, part: Part, index: Option<usize>) -> Total {
        self.sums.breakdown[years]
            .iter()
            .map(|b| {
                let v = b.part(part);
                Total(match index {
                    Some(i) => v[i],
                    None => v.iter().sum(),
                })
            })
            .sum()
    }

    /// The exact total of the provincial expenditure lines over every path
    /// and the years `years`.
    pub(crate) fn provincial_total(&self, years: Range<usize>) -> Total {
        Total(self.sums.provincial_expenditure[years].iter().sum())
    }

    /// Each value's share of its part's total over the horizon (for example
    /// each city's share of the cities' premiums); `None` when the total is 0.
    pub(crate) fn shares_over_horizon(&self, part: Part) -> Option<Vec<f64>> {
        let n = part.len(self.shape.dims());
        let totals: Vec<f64> = (0..n)
            .map(|i| {
                (0..self.shape.years)
                    .map(|k| self.sums.breakdown[k].part(part)[i])
                    .sum::<i128>() as f64
            })
            .collect();
        let all: f64 = totals.iter().sum();
        (all > 0.0).then(|| totals.iter().map(|t| t / all).collect())
    }

    /// Per-year results: means from the exact sums, quantiles from the paths.
    pub(crate) fn year_results(&self, start_year: i32) -> Vec<YearResult> {
        let n = self.n();
        let mut column = Vec::with_capacity(self.paths as usize);
        (0..self.shape.years)
            .map(|k| {
                let mut lines = [Distribution::point(0.0); N_LINES];
                for line in Line::ALL {
                    lines[line.index()] = self.distribution_into(k, line, &mut column);
                }
                YearResult {
                    year: start_year + k as i32,
                    lines,
                    breach_probability: self.breach_probability(k),
                    breakdown: self.breakdown_mean(k),
                    provincial_expenditure: unfixed(self.sums.provincial_expenditure[k], true) / n,
                }
            })
            .collect()
    }

    /// Mean and quantiles of `line` in year `k`.
    pub(crate) fn distribution(&self, k: usize, line: Line) -> Distribution {
        self.distribution_into(k, line, &mut Vec::with_capacity(self.paths as usize))
    }

    /// [`Self::distribution`], sorting in a caller's buffer.
    fn distribution_into(&self, k: usize, line: Line, column: &mut Vec<f64>) -> Distribution {
        column.clear();
        // +∞ months (nothing paid) sort above every finite value
        column.extend(self.column(k, line).filter(|v| !v.is_nan()).map(f64::from));
        column.sort_by(f64::total_cmp);
        Distribution {
            mean: self.mean(k, line),
            quantiles: QUANTILES.map(|q| quantile(column, q)),
        }
    }

    /// Share of paths with `flag` set in year `k`.
    fn share(&self, k: usize, flag: u8) -> f64 {
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

    /// Share of paths with `flag` set in any year.
    fn share_any(&self, flag: u8) -> f64 {
        let h = self.shape.years;
        self.flags
            .chunks(h)
            .filter(|path| path.iter().any(|f| f & flag != 0))
            .count() as f64
            / self.n()
    }

    /// Probability of a breach of the 12-month rule in December of year `k`.
    pub(crate) fn breach_probability(&self, k: usize) -> f64 {
        self.share(k, FLAG_BREACH)
    }

    /// Probability of a breach in at least one year of the horizon.
    pub(crate) fn any_breach_probability(&self) -> f64 {
        self.share_any(FLAG_BREACH)
    }

    /// Probability that a gap is shared during year `k`.
    pub(crate) fn gap_probability(&self, k: usize) -> f64 {
        self.share(k, FLAG_GAP)
    }

    /// Probability that a gap is shared in at least one year.
    pub(crate) fn any_gap_probability(&self) -> f64 {
        self.share_any(FLAG_GAP)
    }

    /// For each year, the share of paths that breached in that year or before.
    pub(crate) fn first_breach_cumulative(&self) -> Vec<f64> {
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
    pub(crate) fn first_breach_distribution(&self) -> Vec<f64> {
        self.first_breach_counts()
            .iter()
            .map(|c| *c as f64 / self.n())
            .collect()
    }

    /// Share of paths that never breach within the horizon.
    pub(crate) fn never_breach(&self) -> f64 {
        let breached: u64 = self.first_breach_counts().iter().sum();
        (self.paths - breached) as f64 / self.n()
    }

    /// Mean number of months with `R_t` below the rule.
    pub(crate) fn mean_months_below_rule(&self) -> f64 {
        self.sums.months_below_rule as f64 / self.n()
    }

    /// Share of paths on which `line` is above 0 in year `k` (a loan still
    /// owed at the horizon, say).
    pub(crate) fn share_positive(&self, k: usize, line: Line) -> f64 {
        self.share_above(k, line, 0.0)
    }

    /// Share of paths on which `line` is above `level` in year `k` (a rate
    /// multiplier above its start, say). The values are kept in single
    /// precision, so `level` is compared at that precision: a multiplier
    /// that stays at 1.21 is kept as 1.2100000381…, which is not above
    /// 1.21 (it was, in double precision, on every path).
    pub(crate) fn share_above(&self, k: usize, line: Line, level: f64) -> f64 {
        let n = self.paths as usize;
        let level = f64::from(level as f32);
        (0..n).filter(|p| self.value(*p, k, line) > level).count() as f64 / self.n()
    }

    /// Statistics of one payer's cumulative burden over the horizon: its gap
    /// transfers less what the scheme paid it back (the worst single year
    /// counts transfers alone).
    pub(crate) fn payer_burden(&self, payer: usize) -> PayerBurden {
        let p = self.shape.payers();
        let mut v: Vec<f64> = self
            .burden_by_payer
            .iter()
            .skip(payer)
            .step_by(p)
            .copied()
            .collect();
        v.sort_by(f64::total_cmp);
        let years = 0..self.shape.years;
        let total = self.total(years.clone(), Part::GapByPayer, Some(payer))
            - self.total(years, Part::ReturnedToPayer, Some(payer));
        PayerBurden {
            mean: total.yuan() / self.n(),
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

#[cfg(test)]
mod tests {
    use super::*;

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
