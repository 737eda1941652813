//! The `paths.bin` codec of a shard ([`PathSet::encode`],
//! [`PathSet::decode`]; layout in [`crate::stats::shard`]) and what guards
//! it: the file's length, computed with checked arithmetic and compared
//! before anything is allocated ([`encoded_len`]), and cheap checks of the
//! decoded values that the law bounds ([`PathSet::check_values`]). The
//! shard's checksum, verified by the reader before decoding, is the main
//! guard; these catch what a checksum cannot (a file written wrong).

use super::{ExactSums, FLAG_BREACH, FLAG_GAP, PathSet, Shape};
use crate::model::breakdown::{Breakdown, CITY_LINES, Part, breakdown_len};
use crate::model::limits::money_in_range;
use crate::model::lines::{Line, LineValues, N_LINES, fill_totals};

/// The first bytes of `paths.bin`.
const MAGIC: &[u8; 8] = b"FSIMPATH";
/// Its format version. Format 6 has format 5's layout; it says that the
/// shard's manifest records the file's SHA-256, so that a fundsim that
/// would not verify it refuses the file instead of trusting it.
const VERSION: u32 = 6;
/// Bytes before the values: the magic and the version.
const HEADER: u64 = 12;
/// The highest rate multiplier a scenario allows (docs/scenario.md).
const MAX_MULTIPLIER: f32 = 10.0;

/// Why `paths.bin` cannot be decoded, in the user's words.
#[derive(Debug, PartialEq, thiserror::Error)]
pub(crate) enum CodecError {
    /// The file does not start with [`MAGIC`].
    #[error("it does not start with the bytes FSIMPATH: it is not a fundsim paths.bin file")]
    NotPaths,
    /// Another format version.
    #[error(
        "it is format {found}; this fundsim reads format {VERSION}: merge with the fundsim that wrote the shards"
    )]
    Version {
        /// The file's version.
        found: u32,
    },
    /// The manifest's shape and path count give no possible length.
    #[error(
        "the manifest's shape ({shape}) and shard_paths ({paths}) give a paths.bin too large to exist"
    )]
    TooLarge {
        /// The shape.
        shape: Shape,
        /// The paths.
        paths: u64,
    },
    /// The file's length is not the one the manifest gives.
    #[error(
        "it holds {found} bytes, but the manifest's shape and shard_paths need {expected}: the file is truncated, extended or not this shard's"
    )]
    Length {
        /// The file's length.
        found: u64,
        /// The length the manifest gives.
        expected: u64,
    },
    /// A decoded value the law rules out.
    #[error("{what} of {at} is {value}; {allowed}")]
    Value {
        /// Which value.
        what: &'static str,
        /// Where: path (and year).
        at: String,
        /// The value found.
        value: String,
        /// What is allowed.
        allowed: String,
    },
}

/// The length of `paths.bin` for a shape and path count, `None` when the
/// shape is beyond [`Shape::within_limits`] or the length does not fit in a
/// `u64`. Every product and sum is checked: a hostile manifest cannot make
/// it wrap to a small length.
pub(crate) fn encoded_len(shape: Shape, paths: u64) -> Option<u64> {
    if !shape.within_limits() {
        return None;
    }
    let n = paths;
    let h = u64::try_from(shape.years).ok()?;
    let p = u64::try_from(shape.payers()).ok()?;
    let lines = u64::try_from(N_LINES).ok()?;
    let breakdown = u64::try_from(breakdown_len(shape.dims())).ok()?;
    let path_years = n.checked_mul(h)?;
    let per_path_bytes = [
        path_years.checked_mul(lines)?.checked_mul(4)?, // lines, f32
        path_years,                                     // flags, u8
        n.checked_mul(2)?,                              // months below, u16
        n.checked_mul(p)?.checked_mul(8)?,              // burden by payer, f64
        n.checked_mul(8)?,                              // gap total, f64
    ];
    let sum_bytes = [
        h.checked_mul(lines)?.checked_mul(16 + 8)?, // line sums i128, finite u64
        h.checked_mul(breakdown)?.checked_mul(16)?, // breakdowns, i128
        h.checked_mul(16)?,                         // provincial, i128
        8,                                          // months below total, u64
        p.checked_mul(8)?,                          // worst year by payer, f64
    ];
    per_path_bytes
        .iter()
        .chain(&sum_bytes)
        .try_fold(HEADER, |total, b| total.checked_add(*b))
}

/// [`encoded_len`] as a [`CodecError`] when there is none.
pub(crate) fn expected_len(shape: Shape, paths: u64) -> Result<u64, CodecError> {
    encoded_len(shape, paths).ok_or(CodecError::TooLarge { shape, paths })
}

impl PathSet {
    /// Encodes the set as `paths.bin`.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let len = encoded_len(self.shape, self.paths).expect("a run's own shape has a length");
        let mut out = Vec::with_capacity(len as usize);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        for v in &self.lines {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.flags);
        for v in &self.months_below_rule {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in self.burden_by_payer.iter().chain(&self.gap_total) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let s = &self.sums;
        for v in &s.lines {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in &s.finite {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for b in &s.breakdown {
            for v in b.values() {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        for v in &s.provincial_expenditure {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&s.months_below_rule.to_le_bytes());
        for v in &s.worst_year_by_payer {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Decodes `paths.bin` for a set of `paths` paths of shape `shape`
    /// starting at `first_path`. The header and the length are checked
    /// before anything is allocated, so nothing allocated exceeds a few
    /// times the file's own size; the values are then checked with
    /// [`Self::check_values`].
    pub(crate) fn decode(
        bytes: &[u8],
        shape: Shape,
        first_path: u64,
        paths: u64,
    ) -> Result<PathSet, CodecError> {
        let want = expected_len(shape, paths)?;
        if bytes.len() < HEADER as usize || &bytes[..8] != MAGIC {
            return Err(CodecError::NotPaths);
        }
        let found = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if found != VERSION {
            return Err(CodecError::Version { found });
        }
        if bytes.len() as u64 != want {
            return Err(CodecError::Length {
                found: bytes.len() as u64,
                expected: want,
            });
        }
        let mut r = Reader {
            bytes: &bytes[HEADER as usize..],
        };
        // the length matched, so each count fits in memory the file fills
        let n = paths as usize;
        let h = shape.years;
        let lines = r.many(n * h * N_LINES, f32::from_le_bytes);
        let flags = r.many(n * h, |b: [u8; 1]| b[0]);
        let months_below_rule = r.many(n, u16::from_le_bytes);
        let burden_by_payer = r.many(n * shape.payers(), f64::from_le_bytes);
        let gap_total = r.many(n, f64::from_le_bytes);
        let sum_lines = r.many(h * N_LINES, i128::from_le_bytes);
        let finite = r.many(h * N_LINES, u64::from_le_bytes);
        let breakdown = (0..h)
            .map(|_| {
                let values = r.many(breakdown_len(shape.dims()), i128::from_le_bytes);
                Breakdown::from_values(shape.dims(), values).expect("a breakdown's length")
            })
            .collect();
        let provincial_expenditure = r.many(h, i128::from_le_bytes);
        let total_below = u64::from_le_bytes(r.take());
        let worst_year_by_payer = r.many(shape.payers(), f64::from_le_bytes);
        let set = PathSet {
            shape,
            first_path,
            paths,
            lines,
            flags,
            months_below_rule,
            burden_by_payer,
            gap_total,
            sums: ExactSums {
                lines: sum_lines,
                finite,
                breakdown,
                provincial_expenditure,
                months_below_rule: total_below,
                worst_year_by_payer,
            },
        };
        set.check_values()?;
        Ok(set)
    }

    /// Cheap checks of values the law bounds: flags only of known bits, a
    /// rate multiplier in [0, 10] and gap transfers not negative each year,
    /// at most 12 months below the rule a year (and their total the sum of
    /// the paths'), finite counts at most the paths, each path's transfers
    /// and burdens finite, each payer's worst year finite and not negative.
    /// One pass over the path-years, one over the paths.
    pub(crate) fn check_values(&self) -> Result<(), CodecError> {
        let h = self.shape.years;
        let bad = |what, at: String, value: String, allowed: &str| CodecError::Value {
            what,
            at,
            value,
            allowed: allowed.to_string(),
        };
        let first = self.first_path;
        let at = |i: usize| format!("path {}, year {}", first + (i / h) as u64, i % h + 1);
        if let Some(i) = self
            .flags
            .iter()
            .position(|f| f & !(FLAG_BREACH | FLAG_GAP) != 0)
        {
            return Err(bad(
                "the flags",
                at(i),
                self.flags[i].to_string(),
                "only bits 1 (breach) and 2 (gap) exist",
            ));
        }
        // each year's rate multiplier and gap transfers (a sum of gaps > 0)
        let bounded = [
            (
                Line::RateMultiplier,
                "the rate multiplier",
                0.0..=MAX_MULTIPLIER,
                "a rate multiplier is from 0 to 10",
            ),
            (
                Line::GapTransfers,
                "the gap transfers",
                0.0..=f32::MAX,
                "transfers are a finite amount, not negative",
            ),
        ];
        for (i, year) in self.lines.chunks_exact(N_LINES).enumerate() {
            for (line, what, range, allowed) in &bounded {
                let v = year[line.index()];
                if !range.contains(&v) {
                    return Err(bad(what, at(i), v.to_string(), allowed));
                }
            }
        }
        let most = 12 * h as u64;
        let mut total = 0u64;
        for (p, months) in self.months_below_rule.iter().enumerate() {
            if u64::from(*months) > most {
                return Err(bad(
                    "the months below the rule",
                    format!("path {}", first + p as u64),
                    months.to_string(),
                    &format!("at most 12 a year, {most} in {h} years"),
                ));
            }
            total += u64::from(*months);
        }
        if total != self.sums.months_below_rule {
            return Err(bad(
                "the total of the months below the rule",
                "all paths".into(),
                self.sums.months_below_rule.to_string(),
                &format!("the paths' months add up to {total}"),
            ));
        }
        if let Some(f) = self.sums.finite.iter().find(|f| **f > self.paths) {
            return Err(bad(
                "a count of finite values",
                "all paths".into(),
                f.to_string(),
                &format!("at most the {} paths", self.paths),
            ));
        }
        if let Some((p, v)) = self
            .gap_total
            .iter()
            .chain(&self.burden_by_payer)
            .enumerate()
            .find(|(_, v)| !v.is_finite())
        {
            return Err(bad(
                "a path's gap transfers or burden",
                format!("value {p}"),
                v.to_string(),
                "a finite amount",
            ));
        }
        self.check_books()?;
        let not_negative = |v: &f64| v.is_finite() && *v >= 0.0;
        if let Some(v) = self
            .sums
            .worst_year_by_payer
            .iter()
            .find(|v| !not_negative(v))
        {
            return Err(bad(
                "a payer's worst year",
                "all paths".into(),
                v.to_string(),
                "a finite amount, not negative",
            ));
        }
        Ok(())
    }
}

impl PathSet {
    /// The books of every path-year and of the sums. A file re-signed after
    /// it was altered passes the checksum but not these.
    fn check_books(&self) -> Result<(), CodecError> {
        let (path_sums, magnitude) = self.check_path_books()?;
        self.check_sum_books()?;
        self.check_breakdown_books()?;
        self.check_sums_against_paths(&path_sums, &magnitude)
    }

    /// Each path-year: every money line within ±[`MAX_MONEY_VALUE`], the
    /// totals and surplus those of its lines (to the `f32` rounding of the
    /// stored copies). Returns, per year and line, the sum over the paths
    /// and the sum of magnitudes, for [`PathSet::check_sums_against_paths`].
    fn check_path_books(&self) -> Result<(Vec<f64>, Vec<f64>), CodecError> {
        let h = self.shape.years;
        let first = self.first_path;
        let bad = |what, at: String, value: f32, allowed: String| CodecError::Value {
            what,
            at,
            value: value.to_string(),
            allowed,
        };
        let money: Vec<Line> = Line::ALL.into_iter().filter(|l| l.is_money()).collect();
        let mut path_sums = vec![0.0f64; h * N_LINES];
        let mut magnitude = vec![0.0f64; h * N_LINES];
        for (i, year) in self.lines.chunks_exact(N_LINES).enumerate() {
            let at = || format!("path {}, year {}", first + (i / h) as u64, i % h + 1);
            for line in &money {
                let v = year[line.index()];
                if !money_in_range(f64::from(v)) {
                    return Err(bad(
                        "a money line",
                        at(),
                        v,
                        format!("{} is within ±1e26 yuan", line.name()),
                    ));
                }
                path_sums[(i % h) * N_LINES + line.index()] += f64::from(v);
                magnitude[(i % h) * N_LINES + line.index()] += f64::from(v).abs();
            }
            let mut books: LineValues = [0.0; N_LINES];
            for (b, v) in books.iter_mut().zip(year) {
                *b = f64::from(*v);
            }
            fill_totals(&mut books);
            let scale: f64 = Line::INCOME
                .iter()
                .chain(&Line::EXPENDITURE)
                .map(|l| books[l.index()].abs())
                .sum();
            for total in [Line::IncomeTotal, Line::ExpenditureTotal, Line::Surplus] {
                let stored = f64::from(year[total.index()]);
                if (stored - books[total.index()]).abs() > BOOKS_TOLERANCE * scale + 1.0 {
                    return Err(bad(
                        "the books of a year",
                        at(),
                        year[total.index()],
                        format!(
                            "{} equals the sum of its lines, {}",
                            total.name(),
                            books[total.index()]
                        ),
                    ));
                }
            }
        }
        Ok((path_sums, magnitude))
    }

    /// The exact sums keep the books too, to a fen a path and term of
    /// rounding (and far below 1e-12 of the f64 rounding of each path's
    /// totals): this refuses a change in an exact sum's last bits. From the
    /// second year on, the closing balances are the year before's plus the
    /// surplus ([`PathSet::check_opening`] checks the first year).
    fn check_sum_books(&self) -> Result<(), CodecError> {
        let slack = i128::from(self.paths) * (Line::EXPENDITURE.len() as i128 + 2);
        let closing = |k: usize| self.sums.lines[k * N_LINES + Line::ClosingBalance.index()];
        for k in 1..self.shape.years {
            let surplus = self.sums.lines[k * N_LINES + Line::Surplus.index()];
            self.check_closing(k, closing(k - 1), surplus)?;
        }
        for (k, year) in self.sums.lines.chunks_exact(N_LINES).enumerate() {
            let terms = |lines: &[Line]| -> i128 { lines.iter().map(|l| year[l.index()]).sum() };
            let income = year[Line::IncomeTotal.index()];
            let expenditure = year[Line::ExpenditureTotal.index()];
            for (total, want) in [
                (Line::IncomeTotal, terms(&Line::INCOME)),
                (Line::ExpenditureTotal, terms(&Line::EXPENDITURE)),
                (Line::Surplus, income - expenditure),
            ] {
                let got = year[total.index()];
                let rounding = (income.abs() + expenditure.abs()) / 1_000_000_000_000;
                if (got - want).abs() > slack + rounding {
                    return Err(CodecError::Value {
                        what: "an exact sum",
                        at: format!("year {}", k + 1),
                        value: super::unfixed(got, true).to_string(),
                        allowed: format!(
                            "the sum of {} over the paths keeps the books: {}",
                            total.name(),
                            super::unfixed(want, true)
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// The exact closing balances of year `k` (0-based) are `opening` (the
    /// sum over the paths of the year's opening balances) plus the surplus,
    /// to three fen a path and 1e-12 of the amounts.
    fn check_closing(&self, k: usize, opening: i128, surplus: i128) -> Result<(), CodecError> {
        let got = self.sums.lines[k * N_LINES + Line::ClosingBalance.index()];
        let want = opening + surplus;
        self.exact_sum_agrees(k, got, want, 3, |want| {
            format!("the closing balances are the opening balances plus the surplus, {want}")
        })
    }

    /// An exact sum of year `k` (0-based) equals `want` to `fen` a path and
    /// 1e-12 of the amounts; `allowed` says what it should be, given `want`
    /// in yuan.
    fn exact_sum_agrees(
        &self,
        k: usize,
        got: i128,
        want: i128,
        fen: i128,
        allowed: impl FnOnce(f64) -> String,
    ) -> Result<(), CodecError> {
        let slack = i128::from(self.paths) * fen + (got.abs() + want.abs()) / 1_000_000_000_000;
        if (got - want).abs() > slack {
            return Err(CodecError::Value {
                what: "an exact sum",
                at: format!("year {}", k + 1),
                value: super::unfixed(got, true).to_string(),
                allowed: allowed(super::unfixed(want, true)),
            });
        }
        Ok(())
    }

    /// The first year's closing balances are the scenario's opening
    /// balance on every path plus the year's surplus (the decoder cannot
    /// check this alone: the opening balance is the scenario's).
    pub(crate) fn check_opening(&self, opening_balance: f64) -> Result<(), CodecError> {
        if self.shape.years == 0 || self.paths == 0 {
            return Ok(());
        }
        let opening = super::fixed(opening_balance, true) * i128::from(self.paths);
        self.check_closing(0, opening, self.sums.lines[Line::Surplus.index()])
    }

    /// The exact breakdowns keep the books with the exact lines, to a fen a
    /// path and term (and 1e-12 of the amounts for the `f64` rounding of
    /// each path's record): premiums by city and by sector add up to the
    /// premiums; expenditure by city, by sector and by city and line to the
    /// lines cases and stocks are paid from; the provincial expenditure to
    /// prevention and other expenditure. A sector's payroll is not negative,
    /// and a sector with no payroll has no premiums.
    fn check_breakdown_books(&self) -> Result<(), CodecError> {
        let dims = self.shape.dims();
        for (k, b) in self.sums.breakdown.iter().enumerate() {
            let year = &self.sums.lines[k * N_LINES..(k + 1) * N_LINES];
            let line = |l: Line| year[l.index()];
            let total = |p: Part| -> i128 { b.part(p).iter().sum() };
            let case_lines: i128 = CITY_LINES.iter().map(|l| line(*l)).sum();
            let by_line = b.part(Part::CityLines);
            let mut checks = vec![
                (
                    "premiums by city",
                    total(Part::CityPremiums),
                    Line::Premiums.name().to_string(),
                    line(Line::Premiums),
                    dims.cities,
                ),
                (
                    "premiums by sector",
                    total(Part::SectorPremiums),
                    Line::Premiums.name().to_string(),
                    line(Line::Premiums),
                    dims.sectors,
                ),
                (
                    "expenditure by city",
                    total(Part::CityExpenditure),
                    "case and stock lines".to_string(),
                    case_lines,
                    dims.cities + CITY_LINES.len(),
                ),
                (
                    "expenditure by sector",
                    total(Part::SectorExpenditure),
                    "case and stock lines".to_string(),
                    case_lines,
                    dims.sectors + CITY_LINES.len(),
                ),
                (
                    "the provincial expenditure",
                    self.sums.provincial_expenditure[k],
                    format!(
                        "{} and {}",
                        Line::Prevention.name(),
                        Line::OtherExpenditure.name()
                    ),
                    line(Line::Prevention) + line(Line::OtherExpenditure),
                    2,
                ),
            ];
            for (i, l) in CITY_LINES.iter().enumerate() {
                let got = by_line.iter().skip(i).step_by(CITY_LINES.len()).sum();
                checks.push((
                    "a line by city",
                    got,
                    l.name().to_string(),
                    line(*l),
                    dims.cities,
                ));
            }
            for (what, got, name, want, terms) in checks {
                self.exact_sum_agrees(k, got, want, terms as i128 + 1, |want| {
                    format!("{what} adds up to {name}, {want}")
                })?;
            }
            let payroll = b.part(Part::SectorPayroll);
            let premiums = b.part(Part::SectorPremiums);
            for (sector, (pay, prem)) in payroll.iter().zip(premiums).enumerate() {
                if *pay < 0 || (*pay == 0 && *prem != 0) {
                    return Err(CodecError::Value {
                        what: "a sector's payroll",
                        at: format!("year {}, sector {}", k + 1, sector + 1),
                        value: super::unfixed(*pay, true).to_string(),
                        allowed: format!(
                            "a payroll is not negative, and not 0 where the sector's premiums are {}",
                            super::unfixed(*prem, true)
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// Each exact sum is the sum of the paths' stored values, to their `f32`
    /// rounding.
    fn check_sums_against_paths(
        &self,
        path_sums: &[f64],
        magnitude: &[f64],
    ) -> Result<(), CodecError> {
        for (k, (sum, size)) in path_sums.iter().zip(magnitude).enumerate() {
            let line = Line::ALL[k % N_LINES];
            if !line.is_money() {
                continue;
            }
            let exact = super::unfixed(self.sums.lines[k], true);
            if (exact - sum).abs() > BOOKS_TOLERANCE * size + 1.0 {
                return Err(CodecError::Value {
                    what: "an exact sum",
                    at: format!("year {}", k / N_LINES + 1),
                    value: exact.to_string(),
                    allowed: format!("the sum of {} over the paths, {sum}", line.name()),
                });
            }
        }
        Ok(())
    }
}

/// Relative tolerance of the books' checks: the stored `f32` copies round
/// each value to about 6e-8 of itself, and a year adds at most a dozen.
const BOOKS_TOLERANCE: f64 = 1e-5;

/// Reads fixed-size little-endian values from bytes whose length was checked.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let (head, rest) = self.bytes.split_at(N);
        self.bytes = rest;
        head.try_into().expect("split_at gives N bytes")
    }

    fn many<T, const N: usize>(&mut self, n: usize, f: fn([u8; N]) -> T) -> Vec<T> {
        (0..n).map(|_| f(self.take::<N>())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A change that breaks a decoded set.
    type Break = fn(&mut PathSet);

    const SHAPE: Shape = Shape {
        years: 10,
        cities: 11,
        sectors: 8,
    };

    /// The length is the one `encode` writes, and products that would wrap
    /// a `u64` or shapes beyond the limits give no length instead of a small
    /// wrong one.
    #[test]
    fn encoded_len_is_checked_arithmetic() {
        let empty = PathSet::new(SHAPE, 0);
        assert_eq!(
            encoded_len(SHAPE, 0),
            Some(empty.encode().len() as u64),
            "an empty set"
        );
        // each path adds H·(21·4 + 1) + 2 + 8·P + 8 bytes
        let per_path = 10 * (21 * 4 + 1) + 2 + 8 * 12 + 8;
        assert_eq!(
            encoded_len(SHAPE, 1000).unwrap() - encoded_len(SHAPE, 0).unwrap(),
            1000 * per_path
        );
        // n·h·21·4 wraps a u64 for n = u64::MAX / 4
        assert_eq!(encoded_len(SHAPE, u64::MAX / 4), None);
        assert_eq!(encoded_len(SHAPE, u64::MAX), None);
        // 2^62 paths of one year: 2^62 · 85 bytes wraps
        let one_year = Shape { years: 1, ..SHAPE };
        assert_eq!(encoded_len(one_year, 1 << 62), None);
        for absurd in [
            Shape {
                years: 1_000_000,
                ..SHAPE
            },
            Shape { years: 0, ..SHAPE },
            Shape {
                cities: usize::MAX,
                ..SHAPE
            },
            Shape {
                sectors: usize::MAX / 2,
                ..SHAPE
            },
        ] {
            assert_eq!(encoded_len(absurd, 1), None, "{absurd}");
        }
    }

    /// A decoded set that breaks a bound of the law is refused, naming the
    /// value; the untouched set passes.
    #[test]
    fn decoded_values_out_of_the_law_are_refused() {
        let shape = Shape {
            years: 2,
            cities: 1,
            sectors: 1,
        };
        let mut set = PathSet::new(shape, 0);
        set.paths = 1;
        set.lines = vec![0.0; 2 * N_LINES];
        set.lines[Line::RateMultiplier.index()] = 1.0;
        set.flags = vec![FLAG_BREACH, FLAG_GAP];
        set.months_below_rule = vec![24];
        set.sums.months_below_rule = 24;
        set.burden_by_payer = vec![0.0; 2];
        set.gap_total = vec![0.0];
        assert_eq!(set.check_values(), Ok(()));
        let bytes = set.encode();
        assert_eq!(PathSet::decode(&bytes, shape, 0, 1).as_ref(), Ok(&set));
        let cases: [(&str, Break); 17] = [
            ("the flags", |s| s.flags[1] = 4),
            ("the rate multiplier", |s| {
                s.lines[N_LINES + Line::RateMultiplier.index()] = 10.5;
            }),
            ("the months below", |s| {
                s.months_below_rule[0] = 25;
                s.sums.months_below_rule = 25;
            }),
            ("the total of the months", |s| s.sums.months_below_rule = 3),
            ("the gap transfers", |s| {
                s.lines[Line::GapTransfers.index()] = -1.0;
            }),
            ("a path's gap transfers", |s| s.gap_total[0] = f64::INFINITY),
            ("a payer's worst year", |s| {
                s.sums.worst_year_by_payer[1] = f64::NAN;
            }),
            // re-signed after it was altered: the checksum holds, the books do not
            ("the books of a year", |s| {
                s.lines[Line::Premiums.index()] = 5.0;
            }),
            ("an exact sum", |s| {
                s.sums.lines[Line::Premiums.index()] = 10_000;
            }),
            // a total's exact sum 1 yuan off its lines' on one path
            ("an exact sum", |s| {
                s.sums.lines[Line::IncomeTotal.index()] += 100;
                s.sums.lines[Line::Surplus.index()] += 100;
            }),
            ("a money line", |s| {
                s.lines[Line::ClosingBalance.index()] = 1e30;
            }),
            // the breakdowns against the lines: 100 yuan of premiums in a
            // city that the premiums line does not have
            ("an exact sum", |s| {
                s.sums.breakdown[0].part_mut(Part::CityPremiums)[0] = 10_000;
            }),
            ("an exact sum", |s| {
                s.sums.breakdown[1].part_mut(Part::CityLines)[2] = 500;
            }),
            ("an exact sum", |s| s.sums.provincial_expenditure[0] = 300),
            // the fuzzer's last case: a closing balance 2.52 yuan off the
            // year before's plus the surplus, re-signed
            ("an exact sum", |s| {
                s.sums.lines[N_LINES + Line::ClosingBalance.index()] += 252;
            }),
            ("a sector's payroll", |s| {
                s.sums.breakdown[0].part_mut(Part::SectorPayroll)[0] = -5;
            }),
            // books that hold everywhere, but premiums from a sector with no
            // payroll (the fuzzer's empty cost_rate cells)
            ("a sector's payroll", |s| {
                for line in [Line::Premiums, Line::IncomeTotal, Line::Surplus] {
                    s.lines[line.index()] = 100.0;
                    s.sums.lines[line.index()] = 10_000;
                }
                let b = &mut s.sums.breakdown[0];
                b.part_mut(Part::CityPremiums)[0] = 10_000;
                b.part_mut(Part::SectorPremiums)[0] = 10_000;
            }),
        ];
        for (what, break_it) in cases {
            let mut bad = set.clone();
            break_it(&mut bad);
            let e = PathSet::decode(&bad.encode(), shape, 0, 1).expect_err(what);
            assert!(e.to_string().starts_with(what), "{what}: {e}");
        }
        // the first year's closing balance against the scenario's opening
        assert_eq!(set.check_opening(0.0), Ok(()));
        let e = set
            .check_opening(1.0)
            .expect_err("opening 1 yuan, closing 0");
        assert!(
            e.to_string().contains("opening balances plus the surplus"),
            "{e}"
        );
    }

    /// Bytes of the wrong kind, version or length are refused before any
    /// value is read.
    #[test]
    fn decode_refuses_foreign_old_and_cut_files() {
        let bytes = PathSet::new(SHAPE, 0).encode();
        let decode = |b: &[u8]| PathSet::decode(b, SHAPE, 0, 0).map(|_| ());
        assert_eq!(decode(b"FSIM"), Err(CodecError::NotPaths));
        let mut old = bytes.clone();
        old[8..12].copy_from_slice(&(VERSION - 1).to_le_bytes());
        assert_eq!(
            decode(&old),
            Err(CodecError::Version { found: VERSION - 1 })
        );
        let want = bytes.len() as u64;
        assert_eq!(
            decode(&bytes[..bytes.len() - 1]),
            Err(CodecError::Length {
                found: want - 1,
                expected: want
            })
        );
        assert_eq!(
            PathSet::decode(&bytes, SHAPE, 0, u64::MAX).map(|_| ()),
            Err(CodecError::TooLarge {
                shape: SHAPE,
                paths: u64::MAX
            })
        );
    }
}
