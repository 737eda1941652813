//! Walker's alias method (Vose's construction): an index drawn in
//! proportion to fixed weights at the cost of one uniform column and one
//! comparison, whatever the number of weights.
//!
//! `rand_distr::weighted::WeightedAliasIndex` does the same, but it
//! allocates on every build and branches on the comparison; the sampler
//! rebuilds a table for every cell and year and draws from it in its
//! innermost loop, so this one reuses its buffers and leaves the choice of
//! column or alias to a select. The column comes from the caller (so that
//! a month and a column can share one uniform draw); acceptance compares 32
//! random bits with the column's odds in units of 2⁻³², so each weight's
//! probability is exact to within 2⁻³² of its column.

/// An alias table over `0..len`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Alias {
    /// Column `j` keeps `j` when 32 random bits are below `keep[j]`
    /// (`0..=2³²`), and gives `alias[j]` otherwise.
    keep: Vec<u64>,
    alias: Vec<u32>,
    scaled: Vec<f64>,
    /// The two work lists of a build in one buffer: the columns still
    /// under one column's worth from the front, those at or over it from
    /// the back, each a stack whose top is nearest the middle.
    work: Vec<u32>,
}

/// `2³²`, the odds of a column that always keeps its own index.
const ALWAYS: u64 = 1 << 32;

impl Alias {
    /// Rebuilds the table for `weights` (each finite and non-negative),
    /// without allocating once its buffers are large enough. Returns `false`,
    /// leaving no usable table, when the weights do not have a positive
    /// finite sum.
    pub(crate) fn rebuild(&mut self, weights: &[f64]) -> bool {
        let n = weights.len();
        let sum: f64 = weights.iter().sum();
        self.keep.clear();
        self.alias.clear();
        if n == 0
            || !(sum > 0.0 && sum.is_finite())
            || weights.iter().any(|w| w.is_nan() || *w < 0.0)
        {
            return false;
        }
        self.keep.resize(n, ALWAYS);
        self.alias.extend(0..n as u32);
        self.scaled.clear();
        self.scaled
            .extend(weights.iter().map(|w| w * n as f64 / sum));
        // `work[..small]` and `work[large..]`: no column is in both, so the
        // two never meet
        self.work.resize(n, 0);
        let (mut small, mut large) = (0, n);
        for (i, p) in self.scaled.iter().enumerate() {
            if *p < 1.0 {
                self.work[small] = i as u32;
                small += 1;
            } else {
                large -= 1;
                self.work[large] = i as u32;
            }
        }
        while small > 0 && large < n {
            small -= 1;
            let (l, g) = (self.work[small], self.work[large]);
            let p = self.scaled[l as usize];
            self.keep[l as usize] = odds(p);
            self.alias[l as usize] = g;
            let rest = self.scaled[g as usize] + p - 1.0;
            self.scaled[g as usize] = rest;
            if rest < 1.0 {
                large += 1;
                self.work[small] = g;
                small += 1;
            }
        }
        // what is left holds (up to rounding) exactly one column's worth
        true
    }

    /// The number of columns (`0` before a successful build).
    pub(crate) fn len(&self) -> usize {
        self.keep.len()
    }

    /// The index drawn, given a column `j` drawn uniformly from
    /// `0..self.len()` and 32 uniform random bits.
    #[inline(always)]
    pub(crate) fn pick(&self, column: usize, bits: u32) -> usize {
        let keep = u64::from(bits) < self.keep[column];
        let alias = self.alias[column] as usize;
        // a select, not a branch: which way it goes is a coin toss
        if keep { column } else { alias }
    }
}

/// A column's probability of keeping its own index, in units of 2⁻³².
fn odds(p: f64) -> u64 {
    super::round_nonnegative(p.clamp(0.0, 1.0) * ALWAYS as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each index's probability, summed exactly over every column and all
    /// 2³² values of the bits.
    fn probabilities(a: &Alias) -> Vec<f64> {
        let n = a.len();
        let mut p = vec![0.0; n];
        for j in 0..n {
            let keep = a.keep[j] as f64 / ALWAYS as f64;
            p[j] += keep / n as f64;
            p[a.alias[j] as usize] += (1.0 - keep) / n as f64;
        }
        p
    }

    /// The table gives each index its weight's share, to 2⁻³² a column.
    #[test]
    fn probabilities_are_the_weights_shares() {
        let mut a = Alias::default();
        for weights in [
            vec![1.0],
            vec![3.0, 1.0],
            vec![0.0, 2.0, 0.0, 6.0],
            vec![0.2, 0.35, 0.001, 7.0, 0.0, 1e-9, 2.5],
            (0..121).map(|g| 0.0065 * 0.9935f64.powi(g)).collect(),
        ] {
            assert!(a.rebuild(&weights));
            let sum: f64 = weights.iter().sum();
            for (i, (p, w)) in probabilities(&a).iter().zip(&weights).enumerate() {
                let want = w / sum;
                assert!(
                    (p - want).abs() <= 2.0 * weights.len() as f64 / ALWAYS as f64 + 1e-15,
                    "index {i} of {weights:?}: {p} against {want}"
                );
            }
        }
    }

    /// A zero weight is never drawn, whatever the bits.
    #[test]
    fn zero_weights_are_never_drawn() {
        let mut a = Alias::default();
        assert!(a.rebuild(&[0.0, 5.0, 0.0, 1.0]));
        for j in 0..4 {
            for bits in [0, 1, u32::MAX / 2, u32::MAX - 1, u32::MAX] {
                let i = a.pick(j, bits);
                assert!(i == 1 || i == 3, "column {j}, bits {bits}: index {i}");
            }
        }
    }

    /// Weights without a positive finite sum build no table.
    #[test]
    fn unusable_weights_are_refused() {
        let mut a = Alias::default();
        for weights in [
            vec![],
            vec![0.0, 0.0],
            vec![1.0, f64::NAN],
            vec![1.0, -0.5],
            vec![f64::INFINITY],
        ] {
            assert!(!a.rebuild(&weights), "{weights:?}");
            assert_eq!(a.len(), 0);
        }
    }
}
