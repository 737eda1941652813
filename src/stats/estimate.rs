//! Estimators over per-path values: type-7 quantiles, the standard error of
//! a proportion and of a mean, and the paired difference of two runs on the
//! same paths (common random numbers).

use serde::Serialize;

/// Quantile of sorted values, linear interpolation between order statistics
/// (Hyndman–Fan type 7, numpy's default); NaN for no values.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
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
pub(crate) fn proportion_se(p: f64, n: u64) -> f64 {
    if n == 0 {
        f64::NAN
    } else {
        (p * (1.0 - p) / n as f64).sqrt()
    }
}

/// Mean and standard error of per-path values.
pub(crate) fn mean_se(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let v: Vec<f64> = values.collect();
    let n = v.len() as f64;
    if n == 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = v.iter().sum::<f64>() / n;
    let var = if n > 1.0 {
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, (var / n).sqrt())
}

/// A difference from a baseline on the same paths.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Difference {
    /// Candidate minus baseline.
    pub(crate) difference: f64,
    /// Paired standard error (from the per-path differences).
    pub(crate) se: f64,
    /// The standard error the two runs would have on independent paths.
    pub(crate) se_unpaired: f64,
}

/// Paired difference of two per-path indicators.
pub(crate) fn paired(
    candidate: impl Iterator<Item = bool>,
    baseline: impl Iterator<Item = bool>,
) -> Difference {
    let pairs: Vec<(f64, f64)> = candidate
        .zip(baseline)
        .map(|(a, b)| (f64::from(u8::from(a)), f64::from(u8::from(b))))
        .collect();
    let n = pairs.len() as u64;
    let (d, se) = mean_se(pairs.iter().map(|(a, b)| a - b));
    let pa = pairs.iter().map(|p| p.0).sum::<f64>() / n as f64;
    let pb = pairs.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let se_unpaired = (proportion_se(pa, n).powi(2) + proportion_se(pb, n).powi(2)).sqrt();
    Difference {
        difference: d,
        se,
        se_unpaired,
    }
}

/// Paired difference of two per-path values (the same paths, in order).
pub(crate) fn paired_values(candidate: &[f64], baseline: &[f64]) -> Difference {
    let (d, se) = mean_se(candidate.iter().zip(baseline).map(|(a, b)| a - b));
    let (_, sa) = mean_se(candidate.iter().copied());
    let (_, sb) = mean_se(baseline.iter().copied());
    Difference {
        difference: d,
        se,
        se_unpaired: (sa * sa + sb * sb).sqrt(),
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

    /// A paired difference of identical indicators is exactly 0 with SE 0,
    /// while the unpaired SE is not.
    #[test]
    fn paired_difference_of_identical_paths() {
        let a = [true, false, true, false, false];
        let d = paired(a.iter().copied(), a.iter().copied());
        assert_eq!(d.difference, 0.0);
        assert_eq!(d.se, 0.0);
        assert!(d.se_unpaired > 0.0);
    }
}
