//! The correlation matrix of the drivers' innovations (docs/calibration.md,
//! *Part B*): pairwise correlations over the years two fitted drivers share,
//! shrunk toward the identity with a Ledoit–Wolf intensity that grows as
//! the years get fewer, the base's value where the history cannot tell,
//! and a repair to positive definite if the pieces do not fit together.

use crate::model::scenario::DRIVERS;
use nalgebra::{SMatrix, SymmetricEigen};
use serde::Serialize;

/// Fewer common innovations than this and a pair keeps the base's value.
pub(crate) const MIN_COMMON: usize = 5;
/// The smallest eigenvalue a repaired matrix keeps.
const MIN_EIGENVALUE: f64 = 1e-3;

type Matrix = [[f64; DRIVERS]; DRIVERS];

/// The fitted correlation matrix and how it was made.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CorrelationFit {
    /// Sample correlation of each pair, where estimated.
    pub(crate) sample: [[Option<f64>; DRIVERS]; DRIVERS],
    /// Common innovations of each pair.
    pub(crate) common: [[usize; DRIVERS]; DRIVERS],
    /// The shrinkage intensity δ toward the identity (`None`: no pair estimated).
    pub(crate) shrinkage: Option<f64>,
    /// Whether the assembled matrix had to be repaired to positive definite.
    pub(crate) repaired: bool,
    /// The matrix written.
    pub(crate) matrix: Matrix,
}

/// Fits the matrix from each driver's standardised innovations by year
/// (`None`: the driver was not fitted and keeps the base's row).
pub(crate) fn fit(
    innovations: &[Option<Vec<(i32, f64)>>; DRIVERS],
    base: &Matrix,
) -> CorrelationFit {
    let mut sample = [[None; DRIVERS]; DRIVERS];
    let mut common = [[0usize; DRIVERS]; DRIVERS];
    for i in 0..DRIVERS {
        for j in (i + 1)..DRIVERS {
            let (Some(a), Some(b)) = (&innovations[i], &innovations[j]) else {
                continue;
            };
            let pairs: Vec<(f64, f64)> = a
                .iter()
                .filter_map(|(y, x)| b.iter().find(|(z, _)| z == y).map(|(_, w)| (*x, *w)))
                .collect();
            common[i][j] = pairs.len();
            common[j][i] = pairs.len();
            if pairs.len() >= MIN_COMMON {
                let r = pearson(&pairs);
                sample[i][j] = r;
                sample[j][i] = r;
            }
        }
    }
    // Ledoit–Wolf intensity toward the identity: the summed sampling
    // variance of the estimated correlations over their summed squares
    let (mut var, mut sq) = (0.0, 0.0);
    for i in 0..DRIVERS {
        for j in (i + 1)..DRIVERS {
            if let Some(r) = sample[i][j] {
                var += (1.0 - r * r).powi(2) / (common[i][j] as f64 - 1.0);
                sq += r * r;
            }
        }
    }
    let any = sample.iter().flatten().any(Option::is_some);
    let shrinkage = any.then(|| if sq > 0.0 { (var / sq).min(1.0) } else { 1.0 });
    let mut matrix = *base;
    for i in 0..DRIVERS {
        for j in 0..DRIVERS {
            if let Some(r) = sample[i][j] {
                matrix[i][j] = (1.0 - shrinkage.unwrap_or(1.0)) * r;
            }
        }
        matrix[i][i] = 1.0;
    }
    let (matrix, repaired) = positive_definite(&matrix);
    CorrelationFit {
        sample,
        common,
        shrinkage,
        repaired,
        matrix,
    }
}

fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    let (ma, mb) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (a, b) in pairs {
        sab += (a - ma) * (b - mb);
        saa += (a - ma).powi(2);
        sbb += (b - mb).powi(2);
    }
    (saa > 0.0 && sbb > 0.0).then(|| (sab / (saa * sbb).sqrt()).clamp(-1.0, 1.0))
}

/// The matrix itself if its smallest eigenvalue is at least
/// [`MIN_EIGENVALUE`]; otherwise its eigenvalues raised to that floor and
/// the result scaled back to a unit diagonal.
fn positive_definite(m: &Matrix) -> (Matrix, bool) {
    let a = SMatrix::<f64, DRIVERS, DRIVERS>::from_fn(|i, j| m[i][j]);
    let eig = SymmetricEigen::new(a);
    if eig.eigenvalues.min() >= MIN_EIGENVALUE {
        return (*m, false);
    }
    let clipped = eig.eigenvalues.map(|v| v.max(MIN_EIGENVALUE));
    let b = eig.eigenvectors * SMatrix::from_diagonal(&clipped) * eig.eigenvectors.transpose();
    // from the upper triangle, so that the result is exactly symmetric
    let out = std::array::from_fn(|i| {
        std::array::from_fn(|j| {
            if i == j {
                1.0
            } else {
                let (p, q) = (i.min(j), i.max(j));
                b[(p, q)] / (b[(p, p)] * b[(q, q)]).sqrt()
            }
        })
    });
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Matrix {
        let mut m = [[0.0; DRIVERS]; DRIVERS];
        for (i, row) in m.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        m
    }

    fn series(v: &[f64]) -> Vec<(i32, f64)> {
        v.iter()
            .enumerate()
            .map(|(i, x)| (2000 + i as i32, *x))
            .collect()
    }

    /// Two perfectly correlated drivers over 6 years: the sample value is 1,
    /// the shrinkage is the Ledoit–Wolf ratio (0 here: a correlation of 1 has
    /// no sampling variance), and drivers without data keep the base's value.
    #[test]
    fn estimated_pairs_replace_the_base_and_others_keep_it() {
        let mut base = identity();
        base[2][4] = 0.3;
        base[4][2] = 0.3;
        let x = [0.1, -0.5, 1.2, 0.3, -0.9, 0.4];
        let mut inn: [Option<Vec<(i32, f64)>>; DRIVERS] = Default::default();
        inn[0] = Some(series(&x));
        inn[1] = Some(series(&x.map(|v| 2.0 * v)));
        let f = fit(&inn, &base);
        assert_eq!(f.sample[0][1], Some(1.0));
        assert_eq!(f.shrinkage, Some(0.0));
        assert!((f.matrix[0][1] - 1.0).abs() < 0.01);
        assert!(f.repaired, "a correlation of 1 is not positive definite");
        assert!((f.matrix[2][4] - 0.3).abs() < 0.01);
        assert_eq!(f.common[0][2], 0);
    }

    /// Weak correlations from few years are shrunk most of the way to 0:
    /// δ = Σ(1 − r²)²/(n − 1) / Σ r², checked by hand.
    #[test]
    fn shrinkage_by_hand() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let b = [2.0, 1.0, 4.0, 3.0, 6.0, 5.0];
        let mut inn: [Option<Vec<(i32, f64)>>; DRIVERS] = Default::default();
        inn[0] = Some(series(&a));
        inn[6] = Some(series(&b));
        let f = fit(&inn, &identity());
        let r = f.sample[0][6].unwrap();
        // r of these two is 29/35 by hand
        assert!((r - 29.0 / 35.0).abs() < 1e-12);
        let delta = (1.0 - r * r).powi(2) / 5.0 / (r * r);
        assert!((f.shrinkage.unwrap() - delta).abs() < 1e-12);
        assert!((f.matrix[0][6] - (1.0 - delta) * r).abs() < 1e-12);
        assert!(!f.repaired);
    }
}
