//! One path's count and exit draws, kept to run another scenario on the
//! same path without drawing them again.
//!
//! Two scenarios that differ only in what cases and heads cost (a wage or
//! medical-inflation mean, the indexation) make the same calls for counts
//! and exits, with the same means, on the same streams: a recording [`Reuse`]
//! of the first keeps what those calls returned ([`Draws`]), and a reusing
//! one of the second hands the same values back in the same
//! order, drawing only the economy and the medical costs afresh. The
//! second run's months are then those a full run of it makes, byte for
//! byte. Which scenarios qualify is the engine's to say
//! (`engine::same_counts`, `engine::same_exits`); this module only keeps
//! and returns the values.

use super::Sampler;
use super::montecarlo::MonteCarlo;
use crate::model::cases::{KINDS, PerKind, PerOutcome};
use crate::model::drivers::YearDrivers;
use crate::model::scenario::Drivers;
use crate::model::stocks::Stock;

/// What the claims stream and the stocks' exits gave one path, in the
/// order the engine asked.
#[derive(Debug, Default, Clone)]
pub(crate) struct Draws {
    /// Every `kind_counts` result, `months · KINDS` values a call, each
    /// call's in [`Draws::narrow`] when every value of it is a whole
    /// number that 16 bits hold (so each reads back exactly), else in
    /// [`Draws::wide`]. A path's counts take about 0.6 MB so, against
    /// 2.4 MB as `f64`: a replay reads them from the core's own cache.
    kinds: Vec<Width>,
    narrow: Vec<u16>,
    wide: Vec<f64>,
    /// Every `count` result.
    counts: Vec<f64>,
    /// `out` after every `catastrophe_deaths` call.
    catastrophes: Vec<f64>,
    /// Every `leavers` result.
    leavers: Vec<f64>,
}

impl Draws {
    fn clear(&mut self) {
        self.kinds.clear();
        self.narrow.clear();
        self.wide.clear();
        self.counts.clear();
        self.catastrophes.clear();
        self.leavers.clear();
    }
}

/// How one `kind_counts` call's values are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Width {
    Narrow,
    Wide,
}

impl Draws {
    /// Keeps one `kind_counts` result.
    fn keep_kinds(&mut self, values: &[f64]) {
        let fits = values
            .iter()
            .all(|v| f64::from(*v as u16).to_bits() == v.to_bits());
        if fits {
            self.narrow.extend(values.iter().map(|v| *v as u16));
            self.kinds.push(Width::Narrow);
        } else {
            self.wide.extend_from_slice(values);
            self.kinds.push(Width::Wide);
        }
    }

    /// Writes the next kept `kind_counts` result to `out` and moves `at` past it.
    fn kinds_into(&self, at: &mut Cursors, out: &mut [f64]) {
        let width = *self
            .kinds
            .get(at.kinds)
            .expect("a scenario reusing draws asks for no more than were recorded");
        at.kinds += 1;
        let n = out.len();
        match width {
            Width::Narrow => {
                let values = self
                    .narrow
                    .get(at.narrow..at.narrow + n)
                    .expect("a recorded call holds its values");
                at.narrow += n;
                for (o, v) in out.iter_mut().zip(values) {
                    *o = f64::from(*v);
                }
            }
            Width::Wide => out.copy_from_slice(take(&self.wide, &mut at.wide, n)),
        }
    }
}

/// Where each kind of recorded value is read next.
#[derive(Debug, Default, Clone, Copy)]
struct Cursors {
    kinds: usize,
    narrow: usize,
    wide: usize,
    counts: usize,
    catastrophes: usize,
    leavers: usize,
}

/// Whether a [`Reuse`] keeps its path's draws or hands recorded ones back.
enum Mode<'a> {
    Record(&'a mut Draws),
    Replay {
        draws: &'a Draws,
        /// The exits too, not only the counts.
        exits: bool,
        at: Cursors,
    },
}

/// A Monte Carlo path that either records its count and exit draws into a
/// [`Draws`] ([`Reuse::recording`]) or takes them from one recorded on the
/// same path ([`Reuse::reusing`]); the drivers and the medical costs are
/// always drawn, by `inner`, which must be a sampler built for the
/// scenario being run (its cap on a drawn sd depends on the driver's mean).
pub(crate) struct Reuse<'a> {
    inner: &'a mut MonteCarlo,
    mode: Mode<'a>,
}

impl<'a> Reuse<'a> {
    /// Records the path `inner` is set to into `draws` (emptied first).
    pub(crate) fn recording(inner: &'a mut MonteCarlo, draws: &'a mut Draws) -> Reuse<'a> {
        draws.clear();
        Reuse {
            inner,
            mode: Mode::Record(draws),
        }
    }

    /// Reuses `draws` on the path `inner` is set to: the counts, and the
    /// exits too when `exits` (otherwise drawn from `inner`'s stocks stream).
    pub(crate) fn reusing(inner: &'a mut MonteCarlo, draws: &'a Draws, exits: bool) -> Reuse<'a> {
        Reuse {
            inner,
            mode: Mode::Replay {
                draws,
                exits,
                at: Cursors::default(),
            },
        }
    }

    /// Whether the exits come from the record.
    fn exits_recorded(&self) -> bool {
        matches!(self.mode, Mode::Replay { exits: true, .. })
    }
}

/// The next `n` recorded values from `at` on, and `at` moved past them.
/// Running out is a bug in the choice of scenarios that may reuse draws.
fn take<'d>(values: &'d [f64], at: &mut usize, n: usize) -> &'d [f64] {
    let start = *at;
    *at += n;
    values
        .get(start..start + n)
        .expect("a scenario reusing draws asks for no more than were recorded")
}

impl Sampler for Reuse<'_> {
    fn drivers(&mut self, k: usize, params: &Drivers) -> YearDrivers {
        self.inner.drivers(k, params)
    }

    fn frequency_multiplier(&mut self, cv: f64) -> f64 {
        self.inner.frequency_multiplier(cv)
    }

    fn count(&mut self, mean: f64) -> f64 {
        match &mut self.mode {
            Mode::Record(draws) => {
                let n = self.inner.count(mean);
                draws.counts.push(n);
                n
            }
            Mode::Replay { draws, at, .. } => take(&draws.counts, &mut at.counts, 1)[0],
        }
    }

    fn kind_counts(&mut self, means: &PerKind, months: usize, out: &mut [f64]) {
        let n = months * KINDS;
        match &mut self.mode {
            Mode::Record(draws) => {
                self.inner.kind_counts(means, months, out);
                draws.keep_kinds(&out[..n]);
            }
            Mode::Replay { draws, at, .. } => draws.kinds_into(at, &mut out[..n]),
        }
    }

    fn medical(&mut self, n: &PerOutcome, mean: &PerOutcome, cv: &PerOutcome) -> f64 {
        self.inner.medical(n, mean, cv)
    }

    fn catastrophe_deaths(
        &mut self,
        rate: f64,
        size: f64,
        shape: f64,
        weights: &[f64],
        out: &mut [f64],
    ) {
        match &mut self.mode {
            Mode::Record(draws) => {
                self.inner
                    .catastrophe_deaths(rate, size, shape, weights, out);
                draws.catastrophes.extend_from_slice(out);
            }
            Mode::Replay { draws, at, .. } => {
                // the engine hands every call a zeroed `out`, so the
                // recorded result is this call's
                let n = out.len();
                out.copy_from_slice(take(&draws.catastrophes, &mut at.catastrophes, n));
            }
        }
    }

    fn start_path(&mut self, cells: usize, months: usize) {
        if !self.exits_recorded() {
            self.inner.start_path(cells, months);
        }
    }

    fn joined(&mut self, stock: Stock, cell: usize, t: i64, heads: f64, h: f64) {
        if !self.exits_recorded() {
            self.inner.joined(stock, cell, t, heads, h);
        }
    }

    fn leavers(&mut self, stock: Stock, cell: usize, t: usize, heads: f64, h: f64) -> f64 {
        match &mut self.mode {
            Mode::Record(draws) => {
                let n = self.inner.leavers(stock, cell, t, heads, h);
                draws.leavers.push(n);
                n
            }
            Mode::Replay {
                draws,
                exits: true,
                at,
            } => take(&draws.leavers, &mut at.leavers, 1)[0],
            Mode::Replay { .. } => self.inner.leavers(stock, cell, t, heads, h),
        }
    }

    fn whole_heads(&self) -> bool {
        self.inner.whole_heads()
    }
}

#[cfg(test)]
mod tests {
    use super::Width::{Narrow, Wide};
    use super::*;

    /// Every kept `kind_counts` result reads back bit for bit, in order,
    /// whether 16 bits hold it or not: whole counts up to 65,535 narrow; a
    /// larger count, a fraction, `-0.0` or a NaN keep the call wide.
    #[test]
    fn kept_counts_read_back_exactly() {
        let calls: [Vec<f64>; 6] = [
            vec![0.0, 1.0, 65_535.0, 17.0],
            vec![3.0, 65_536.0, 0.0, 2.0],
            vec![0.5, 1.0, 2.0, 3.0],
            vec![1.0, -0.0, 4.0, 0.0],
            vec![f64::NAN, 1.0, 1.0, 1.0],
            vec![9.0, 8.0, 7.0, 6.0],
        ];
        let mut draws = Draws::default();
        for call in &calls {
            draws.keep_kinds(call);
        }
        assert_eq!(draws.kinds, [Narrow, Wide, Wide, Wide, Wide, Narrow]);
        let mut at = Cursors::default();
        for call in &calls {
            let mut out = [42.0; 4];
            draws.kinds_into(&mut at, &mut out);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&out), bits(call));
        }
        assert_eq!((at.narrow, at.wide), (8, 16));
    }
}
