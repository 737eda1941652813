//! AR(1) fits of one annual series with gaps (docs/calibration.md, *Part
//! B*): the mean, the stationary standard deviation and the persistence,
//! each with its standard error, by Yule–Walker on the years where the
//! series is known, corrected for the small-sample biases of a short
//! autocorrelated series; the innovations by year (for the correlation
//! matrix) and residual diagnostics.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Fewer known values than this and the series is too short to fit.
pub(crate) const MIN_VALUES: usize = 5;
/// Fewer pairs of consecutive known values than this and the persistence
/// is kept from the base scenario.
pub(crate) const MIN_PAIRS: usize = 4;
/// The persistence is held in `[0, MAX_PERSISTENCE]`.
pub(crate) const MAX_PERSISTENCE: f64 = 0.95;

/// The persistence at which the standard errors are evaluated is at most
/// this (unless the estimate itself is higher).
const SE_PERSISTENCE_CAP: f64 = 0.9;
/// The fewest effective degrees of freedom the widening assumes.
const MIN_DOF: f64 = 3.0;

/// What the fitted level is taken about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Centre {
    /// A constant mean.
    Mean,
    /// A straight line in time (the claim intensity, "about its trend").
    Trend,
}

/// Residual checks of a fit.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Diagnostics {
    /// Innovations the checks use.
    pub(crate) innovations: usize,
    /// Lag-1 autocorrelation of the innovations (near 0 if AR(1) fits).
    pub(crate) innovation_lag1: Option<f64>,
    /// Ljung–Box statistic over lags 1..`ljung_box_lags` and its p-value.
    pub(crate) ljung_box: Option<f64>,
    /// Lags of the Ljung–Box statistic.
    pub(crate) ljung_box_lags: usize,
    /// Its p-value (χ² with that many degrees of freedom).
    pub(crate) ljung_box_p: Option<f64>,
    /// Skewness of the innovations.
    pub(crate) skewness: Option<f64>,
    /// Excess kurtosis of the innovations.
    pub(crate) excess_kurtosis: Option<f64>,
    /// Jarque–Bera p-value (normality of the innovations).
    pub(crate) jarque_bera_p: Option<f64>,
}

/// A fitted AR(1) series.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Ar1 {
    /// Mean (0 about a trend).
    pub(crate) mean: f64,
    /// Its standard error (`None` about a trend: the mean is 0 by definition).
    pub(crate) se_mean: Option<f64>,
    /// Stationary standard deviation.
    pub(crate) sd: f64,
    /// Its standard error.
    pub(crate) se_sd: f64,
    /// Degrees of freedom of the variance estimate, `ν = 2 / Var(σ̂²/σ²)`
    /// (at the φ the standard errors use): `σ̂² ≈ σ² χ²_ν / ν`.
    pub(crate) sd_df: f64,
    /// Persistence, in `[0, MAX_PERSISTENCE]`.
    pub(crate) persistence: f64,
    /// Its standard error (`None` when kept from the base).
    pub(crate) se_persistence: Option<f64>,
    /// Whether the persistence was fitted (else the base's was used).
    pub(crate) persistence_fitted: bool,
    /// Trend per year (about a trend only).
    pub(crate) trend: Option<f64>,
    /// Known values used.
    pub(crate) n: usize,
    /// Pairs of consecutive known values.
    pub(crate) pairs: usize,
    /// First and last year used.
    pub(crate) years: (i32, i32),
    /// Innovations `e_t = d_t − φ d_{t−1}` by year, divided by their sd
    /// `σ √(1 − φ²)`.
    pub(crate) innovations: Vec<(i32, f64)>,
    /// Residual checks.
    pub(crate) diagnostics: Diagnostics,
}

/// `V(φ) = n · Var(x̄) / σ²` for `n` consecutive values of an AR(1).
pub(crate) fn variance_factor(phi: f64, n: usize) -> f64 {
    let mut v = 1.0;
    let mut p = 1.0;
    for k in 1..n {
        p *= phi;
        v += 2.0 * (1.0 - k as f64 / n as f64) * p;
    }
    v
}

/// Fits an AR(1) to `(year, value)` pairs in rising year order, with gaps.
/// `noise` is the variance of a measurement error that enters as a
/// difference `ε_t − ε_{t−1}` (a growth rate of a ratio of counts: the
/// medical cost per injury); it is taken out of the variance and the
/// lag-1 covariance. `base_persistence` is used when there are too few
/// consecutive pairs. `Err` says why the series cannot be fitted.
pub(crate) fn fit(
    values: &[(i32, f64)],
    centre: Centre,
    noise: f64,
    base_persistence: f64,
) -> Result<Ar1, String> {
    let n = values.len();
    if n < MIN_VALUES {
        return Err(format!(
            "{n} known value{} (at least {MIN_VALUES} are needed)",
            if n == 1 { "" } else { "s" }
        ));
    }
    let nf = n as f64;
    let (fitted, trend, regressors): (Vec<f64>, Option<f64>, f64) = match centre {
        Centre::Mean => {
            let m = values.iter().map(|v| v.1).sum::<f64>() / nf;
            (vec![m; n], None, 1.0)
        }
        Centre::Trend => {
            let tm = values.iter().map(|v| f64::from(v.0)).sum::<f64>() / nf;
            let xm = values.iter().map(|v| v.1).sum::<f64>() / nf;
            let sxx: f64 = values.iter().map(|v| (f64::from(v.0) - tm).powi(2)).sum();
            let sxy: f64 = values
                .iter()
                .map(|v| (f64::from(v.0) - tm) * (v.1 - xm))
                .sum();
            let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
            let f = values
                .iter()
                .map(|v| xm + b * (f64::from(v.0) - tm))
                .collect();
            (f, Some(b), 2.0)
        }
    };
    let d: Vec<f64> = values.iter().zip(&fitted).map(|(v, f)| v.1 - f).collect();
    let c0 = d.iter().map(|x| x * x).sum::<f64>() / nf - 2.0 * noise;
    let mut pair_products = Vec::new();
    for i in 1..n {
        if values[i].0 == values[i - 1].0 + 1 {
            pair_products.push(d[i] * d[i - 1]);
        }
    }
    let pairs = pair_products.len();
    let c0 = c0.max(0.0);
    let (persistence, persistence_fitted) = if pairs >= MIN_PAIRS && c0 > 0.0 {
        let c1 = pair_products.iter().sum::<f64>() / pairs as f64 + noise;
        let r1 = c1 / c0;
        // Kendall's bias of the lag-1 autocorrelation, E r1 ≈ φ − (1 + 3φ)/n
        let corrected = (nf * r1 + 1.0) / (nf - 3.0);
        (corrected.clamp(0.0, MAX_PERSISTENCE), true)
    } else {
        (base_persistence.clamp(0.0, MAX_PERSISTENCE), false)
    };
    // E Σ(x − x̄)² = σ² (n − V(φ)) for each fitted regressor
    let v = variance_factor(persistence, n);
    let denominator = (nf - regressors * v).max(2.0);
    let phi2 = persistence * persistence;
    let sd = (c0 * nf / denominator).sqrt();
    let se_persistence_raw = ((1.0 - phi2) / nf).sqrt().max(1.0 / nf);
    // Standard errors. The usual formulas — se(x̄) = σ √(V/n), se(σ) =
    // σ √((1 + φ²) / (2n (1 − φ²))) — are evaluated at φ one standard
    // error above its estimate (where φ is fitted): when φ is
    // underestimated, so are the spread of x̄ and of σ, and the plain
    // formulas would be too small exactly when the estimate is off (the
    // shifted value is held at 0.9 unless φ itself is higher). With
    // few effective years the estimated σ makes the error heavier-tailed
    // than normal, so each is widened by t(0.975, ν) / z(0.975), ν = n / V
    // − 1 the effective degrees of freedom (at least 3). Checked by simulation: ± 2 se
    // covers the truth about 95 % of the time (see the tests).
    let phi_se = if persistence_fitted {
        (persistence + 1.5 * se_persistence_raw)
            .min(SE_PERSISTENCE_CAP)
            .max(persistence)
    } else {
        persistence
    };
    let v_se = variance_factor(phi_se, n);
    let widen = student_widening(nf / v_se - 1.0);
    let rel_var = 2.0 * (1.0 + phi_se * phi_se) / (nf * (1.0 - phi_se * phi_se));
    let se_sd = widen * sd * (rel_var / 4.0).sqrt();
    let widen_mean = student_widening(nf / v - 1.0);
    let se_mean = (centre == Centre::Mean).then(|| widen_mean * sd * (v_se / nf).sqrt());
    let se_persistence = persistence_fitted.then_some(se_persistence_raw);
    let scale = sd * (1.0 - phi2).sqrt();
    let mut innovations = Vec::new();
    for i in 1..n {
        if values[i].0 == values[i - 1].0 + 1 && scale > 0.0 {
            innovations.push((values[i].0, (d[i] - persistence * d[i - 1]) / scale));
        }
    }
    let mean = match centre {
        Centre::Mean => fitted[0],
        Centre::Trend => 0.0,
    };
    Ok(Ar1 {
        mean,
        se_mean,
        sd,
        se_sd,
        sd_df: 2.0 / rel_var,
        persistence,
        se_persistence,
        persistence_fitted,
        trend,
        n,
        pairs,
        years: (values[0].0, values[n - 1].0),
        diagnostics: diagnostics(&innovations),
        innovations,
    })
}

/// `t(0.975, ν) / z(0.975)`, ν at least [`MIN_DOF`].
pub(crate) fn student_widening(dof: f64) -> f64 {
    use statrs::distribution::{Normal, StudentsT};
    let dof = dof.max(MIN_DOF);
    let t = StudentsT::new(0.0, 1.0, dof).map_or(12.7, |d| d.inverse_cdf(0.975));
    let z = Normal::standard().inverse_cdf(0.975);
    t / z
}

/// Ljung–Box and Jarque–Bera on the standardised innovations.
fn diagnostics(e: &[(i32, f64)]) -> Diagnostics {
    let m = e.len();
    let mf = m as f64;
    let mean = e.iter().map(|x| x.1).sum::<f64>() / mf.max(1.0);
    let c = |k: i32| -> Option<f64> {
        let mut s = 0.0;
        let mut count = 0;
        for a in e {
            if let Some(b) = e.iter().find(|b| b.0 == a.0 - k) {
                s += (a.1 - mean) * (b.1 - mean);
                count += 1;
            }
        }
        (count >= 2).then_some(s / mf)
    };
    let c0 = c(0).filter(|v| *v > 0.0);
    let acf = |k: i32| Some(c(k)? / c0?);
    let lags = (m / 4).clamp(1, 5);
    let mut q = Some(0.0);
    for k in 1..=lags {
        q = match (q, acf(k as i32)) {
            (Some(q), Some(r)) => Some(q + r * r / (mf - k as f64)),
            _ => None,
        };
    }
    let q = q.map(|q| mf * (mf + 2.0) * q).filter(|_| m >= 4);
    let chi = |x: f64, dof: f64| ChiSquared::new(dof).ok().map(|d| 1.0 - d.cdf(x));
    let (skew, kurt) = if m >= 4 {
        let m2 = e.iter().map(|x| (x.1 - mean).powi(2)).sum::<f64>() / mf;
        let m3 = e.iter().map(|x| (x.1 - mean).powi(3)).sum::<f64>() / mf;
        let m4 = e.iter().map(|x| (x.1 - mean).powi(4)).sum::<f64>() / mf;
        if m2 > 0.0 {
            (Some(m3 / m2.powf(1.5)), Some(m4 / (m2 * m2) - 3.0))
        } else {
            (None, None)
        }
    } else {
        (None, None)
    };
    let jb = match (skew, kurt) {
        (Some(s), Some(k)) => chi(mf / 6.0 * (s * s + k * k / 4.0), 2.0),
        _ => None,
    };
    Diagnostics {
        innovations: m,
        innovation_lag1: acf(1).filter(|_| m >= 4),
        ljung_box: q,
        ljung_box_lags: lags,
        ljung_box_p: q.and_then(|q| chi(q, lags as f64)),
        skewness: skew,
        excess_kurtosis: kurt,
        jarque_bera_p: jb,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    fn ar1_series(rng: &mut ChaCha8Rng, n: usize, mu: f64, sd: f64, phi: f64) -> Vec<(i32, f64)> {
        let mut x: f64 = StandardNormal.sample(rng);
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            if i > 0 {
                let e: f64 = StandardNormal.sample(rng);
                x = phi * x + (1.0 - phi * phi).sqrt() * e;
            }
            out.push((2000 + i as i32, mu + sd * x));
        }
        out
    }

    /// `V(φ)` is 1 for white noise and the closed form
    /// `(1+φ)/(1−φ) − 2φ(1−φⁿ)/(n(1−φ)²)` otherwise.
    #[test]
    fn variance_factor_closed_form() {
        assert_eq!(variance_factor(0.0, 10), 1.0);
        for (phi, n) in [(0.5, 10), (0.9, 25), (0.3, 3)] {
            let nf = f64::from(n);
            let closed = (1.0 + phi) / (1.0 - phi)
                - 2.0 * phi * (1.0 - f64::powi(phi, n)) / (nf * (1.0 - phi).powi(2));
            assert!((variance_factor(phi, n as usize) - closed).abs() < 1e-12);
        }
    }

    /// Over 2,000 series of 20 years (persistence 0.5, about 7 effective
    /// years), the truth lies within 2 standard errors of the estimate in
    /// 93–98.5 % of fits for the mean and for the sd — the standard errors
    /// are honest, not just the estimates (measured: 97.6 % and 96.2 %) —
    /// and the estimates are nearly unbiased.
    #[test]
    fn standard_errors_are_honest() {
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let (mu, sd, phi) = (0.05, 0.02, 0.5);
        let reps = 2000;
        let (mut within, mut bias) = ([0usize; 2], [0.0; 2]);
        for _ in 0..reps {
            let f = fit(
                &ar1_series(&mut rng, 20, mu, sd, phi),
                Centre::Mean,
                0.0,
                0.0,
            )
            .unwrap();
            within[0] += usize::from((f.mean - mu).abs() < 2.0 * f.se_mean.unwrap());
            within[1] += usize::from((f.sd - sd).abs() < 2.0 * f.se_sd);
            bias[0] += (f.mean - mu) / sd / f64::from(reps);
            bias[1] += (f.sd / sd - 1.0) / f64::from(reps);
        }
        for (k, name) in ["mean", "sd"].iter().enumerate() {
            let share = within[k] as f64 / f64::from(reps);
            assert!(
                (0.93..0.985).contains(&share),
                "{name}: {share} within 2 se"
            );
            assert!(
                bias[k].abs() < 0.05,
                "{name}: bias {} (in sd units / relative)",
                bias[k]
            );
        }
    }

    /// Persistence is recovered without the downward bias of the raw lag-1
    /// autocorrelation, and held in [0, 0.95].
    #[test]
    fn persistence_is_bias_corrected_and_bounded() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut sum = 0.0;
        for _ in 0..2000 {
            let f = fit(
                &ar1_series(&mut rng, 25, 0.0, 1.0, 0.5),
                Centre::Mean,
                0.0,
                0.0,
            )
            .unwrap();
            assert!((0.0..=MAX_PERSISTENCE).contains(&f.persistence));
            sum += f.persistence;
        }
        let mean = sum / 2000.0;
        assert!((mean - 0.5).abs() < 0.04, "mean persistence {mean}");
        let rising: Vec<(i32, f64)> = (0..10).map(|i| (2000 + i, f64::from(i))).collect();
        assert_eq!(
            fit(&rising, Centre::Mean, 0.0, 0.0).unwrap().persistence,
            MAX_PERSISTENCE
        );
    }

    /// A straight line is all trend: no residual, and the slope is exact.
    #[test]
    fn trend_is_removed() {
        let line: Vec<(i32, f64)> = (0..8)
            .map(|i| (2010 + i, 1.0 + 0.1 * f64::from(i)))
            .collect();
        let f = fit(&line, Centre::Trend, 0.0, 0.3).unwrap();
        assert!((f.trend.unwrap() - 0.1).abs() < 1e-12);
        assert!(f.sd < 1e-9);
        assert_eq!(f.mean, 0.0);
    }

    /// Gaps: only consecutive pairs enter the persistence; too few values
    /// or pairs are reported, and the base persistence is used.
    #[test]
    fn short_and_gappy_series() {
        let four: Vec<(i32, f64)> = (0..4).map(|i| (2000 + i, f64::from(i))).collect();
        assert!(
            fit(&four, Centre::Mean, 0.0, 0.4)
                .unwrap_err()
                .contains("4 known values")
        );
        let gappy = [
            (2000, 1.0),
            (2002, 2.0),
            (2004, 1.5),
            (2006, 0.5),
            (2008, 1.2),
            (2009, 1.1),
        ];
        let f = fit(&gappy, Centre::Mean, 0.0, 0.4).unwrap();
        assert_eq!(f.pairs, 1);
        assert!(!f.persistence_fitted);
        assert_eq!(f.persistence, 0.4);
        assert_eq!(f.years, (2000, 2009));
    }
}
