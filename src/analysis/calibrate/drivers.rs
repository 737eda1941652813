//! The seven drivers of a calibration (docs/calibration.md B.2): the
//! series each is read from, its AR(1) fit, and what is written into the
//! scenario within the format's bounds.

use super::ar1::{self, Ar1, Centre};
use super::{BOUND_MARGIN, Builder, DriverFit, Value, assessed_rate, province_mix, round6, sig};
use crate::model::cases::PerOutcome;
use crate::model::drivers::{DRIVER_BOUNDS, GROWTH_BOUNDS, largest_sd};
use crate::model::history::{History, Series};
use crate::model::limits::SD_DF;
use crate::model::scenario::{
    CLAIM_INTENSITY, COLLECTION_SHOCK, DRIVER_NAMES, DRIVERS, Driver, EMPLOYMENT_GROWTH,
};
use std::fmt::Write as _;

/// The series of one driver, from the history (docs/calibration.md B.2).
struct DriverSeries {
    values: Vec<(i32, f64)>,
    centre: Centre,
    noise: f64,
}

fn growth(h: &History, s: Series) -> Vec<(i32, f64)> {
    ratio_growth(h, |y| h.get(y, s))
}

fn ratio_growth(h: &History, level: impl Fn(i32) -> Option<f64>) -> Vec<(i32, f64)> {
    h.years()
        .skip(1)
        .filter_map(|y| match (level(y), level(y - 1)) {
            (Some(a), Some(b)) if b > 0.0 && a > 0.0 => Some((y, a / b - 1.0)),
            _ => None,
        })
        .collect()
}

/// The seven drivers (docs/calibration.md B.2, B.3).
pub(super) fn fit_drivers(b: &mut Builder, mixes: &[PerOutcome]) -> Vec<DriverFit> {
    let h = b.h;
    let base = b.base;
    let base_drivers = base.drivers.as_array();
    let rate = assessed_rate(base);
    let medical_noise = {
        // variance of a year's mean medical cost per case: the spread of
        // one case's cost (outcome mix and lognormal cv) over the cases
        let q = province_mix(base, mixes);
        let (mut m1, mut m2) = (0.0, 0.0);
        for ((qo, c), cv) in q
            .iter()
            .zip(&base.claims.medical_cost)
            .zip(&base.claims.medical_cv)
        {
            m1 += qo * c;
            m2 += qo * c * c * (1.0 + cv * cv);
        }
        let cv2 = if m1 > 0.0 { m2 / (m1 * m1) - 1.0 } else { 0.0 };
        let cases: Vec<f64> = h
            .years()
            .filter_map(|y| h.get(y, Series::Injuries))
            .collect();
        let mean_cases = cases.iter().sum::<f64>() / cases.len().max(1) as f64;
        if mean_cases > 0.0 {
            cv2 / mean_cases
        } else {
            0.0
        }
    };
    let series: [(&'static str, DriverSeries); DRIVERS] = [
        (
            "average_wage",
            DriverSeries {
                values: growth(h, Series::AverageWage),
                centre: Centre::Mean,
                noise: 0.0,
            },
        ),
        (
            "insured",
            DriverSeries {
                values: growth(h, Series::Insured),
                centre: Centre::Mean,
                noise: 0.0,
            },
        ),
        (
            "interest / mean balance",
            DriverSeries {
                values: h
                    .years()
                    .skip(1)
                    .filter_map(|y| {
                        let (i, b1, b0) = (
                            h.get(y, Series::Interest)?,
                            h.get(y, Series::Balance)?,
                            h.get(y - 1, Series::Balance)?,
                        );
                        let mean = 0.5 * (b0 + b1);
                        (mean > 0.0).then(|| (y, i / mean))
                    })
                    .collect(),
                centre: Centre::Mean,
                noise: 0.0,
            },
        ),
        (
            "log(injuries / insured)",
            DriverSeries {
                values: h
                    .years()
                    .filter_map(|y| {
                        let (n, i) = (h.get(y, Series::Injuries)?, h.get(y, Series::Insured)?);
                        (n > 0.0 && i > 0.0).then(|| (y, (n / i).ln()))
                    })
                    .collect(),
                centre: Centre::Trend,
                noise: 0.0,
            },
        ),
        (
            "medical / injuries",
            DriverSeries {
                values: ratio_growth(h, |y| {
                    let (m, n) = (h.get(y, Series::Medical)?, h.get(y, Series::Injuries)?);
                    (n > 0.0).then(|| m / n)
                }),
                centre: Centre::Mean,
                noise: medical_noise,
            },
        ),
        (
            "premiums / (payroll × assessed rate)",
            DriverSeries {
                values: h
                    .years()
                    .filter_map(|y| {
                        let (p, w) = (h.get(y, Series::Premiums)?, h.get(y, Series::Payroll)?);
                        let m = h.get(y, Series::RateMultiplier).unwrap_or(1.0);
                        (w > 0.0 && rate > 0.0 && m > 0.0).then(|| (y, p / (w * rate * m)))
                    })
                    .collect(),
                centre: Centre::Mean,
                noise: 0.0,
            },
        ),
        (
            "disposable_income",
            DriverSeries {
                values: growth(h, Series::DisposableIncome),
                centre: Centre::Mean,
                noise: 0.0,
            },
        ),
    ];
    let mut out = Vec::with_capacity(DRIVERS);
    for (i, (name, ds)) in series.into_iter().enumerate() {
        let driver = DRIVER_NAMES[i];
        let base_d = base_drivers[i];
        let fit = ar1::fit(&ds.values, ds.centre, ds.noise, base_d.persistence);
        let mut df = DriverFit {
            driver,
            series: name,
            fit: None,
            written: None,
            reason: None,
        };
        match fit {
            Err(reason) => {
                b.keep(format!("drivers.{driver}"), format!("{name}: {reason}"));
                df.reason = Some(reason);
            }
            Ok(f) => {
                df.written = Some(write_driver(b, i, &f, name));
                df.fit = Some(f);
            }
        }
        out.push(df);
    }
    out
}

/// Writes one driver's fit into the scenario, within the bounds the
/// scenario format allows; returns what was written.
fn write_driver(b: &mut Builder, i: usize, f: &Ar1, series: &str) -> Driver {
    let driver = DRIVER_NAMES[i];
    let base = b.base;
    let (years, n) = (f.years, f.n);
    let method = format!("AR(1) of {series}, Yule–Walker");
    let phi = f.persistence;
    let mut mean = f.mean;
    let mut sd = f.sd;
    let mut note = String::new();
    match i {
        // the common employment factor: total insured growth is the sectors'
        // weighted μN plus β̄ (gE − μE), so σE = sd / β̄ and every μN moves
        // by the same amount to put the weighted mean on the fitted one
        EMPLOYMENT_GROWTH => {
            let weights: Vec<f64> = (0..base.n_sectors())
                .map(|s| base.cities.iter().map(|c| c.insured[s]).sum::<f64>())
                .collect();
            let total: f64 = weights.iter().sum();
            let beta: f64 = weights
                .iter()
                .zip(&base.sectors)
                .map(|(w, s)| w * s.employment_beta)
                .sum::<f64>()
                / total;
            let mu_n: f64 = weights
                .iter()
                .zip(&base.sectors)
                .map(|(w, s)| w * s.employment_growth)
                .sum::<f64>()
                / total;
            let shift = mean - mu_n;
            if beta.abs() > 1e-9 {
                sd /= beta.abs();
            }
            let mut largest = f64::INFINITY;
            for (s, sec) in base.sectors.iter().enumerate() {
                let m = GROWTH_BOUNDS.clamp(sec.employment_growth + shift);
                b.edit(
                    format!("sectors[{s}].employment_growth"),
                    Value::Number(round6(m)),
                    format!(
                        "base value {} moved by {} so that insured-weighted μN is the fitted mean",
                        sig(sec.employment_growth),
                        sig(shift)
                    ),
                );
                if sec.employment_beta != 0.0 {
                    largest = largest.min(
                        BOUND_MARGIN * GROWTH_BOUNDS.largest_sd(m) / sec.employment_beta.abs(),
                    );
                }
            }
            if sd > largest {
                note = format!("; sd {} held at the bound {}", sig(sd), sig(largest));
                sd = largest;
            }
            if (beta - 1.0).abs() > 1e-9 {
                let _ = write!(
                    note,
                    "; sd of insured growth {} ÷ insured-weighted β {}",
                    sig(f.sd),
                    sig(beta)
                );
            }
        }
        // shocks: mean 0 by definition, stationary sd within the format's bound
        CLAIM_INTENSITY | COLLECTION_SHOCK => {
            mean = 0.0;
            // the format's bound on the stationary sd, with a margin for rounding
            let largest = BOUND_MARGIN * largest_sd(i, &Driver::known(0.0, 0.0, phi));
            if sd > largest {
                note = format!("; sd {} held at the bound {}", sig(sd), sig(largest));
                sd = largest;
            }
        }
        _ => {
            if let Some(bounds) = DRIVER_BOUNDS[i] {
                let m = bounds.clamp(mean);
                if m != mean {
                    note = format!("; mean {} held at the bound {}", sig(mean), sig(m));
                    // a mean past the format's bounds is no fund's: most
                    // likely a unit or a slip in the history
                    b.warnings.push(format!(
                        "drivers.{driver}.mean: the history's {series} gives {}, outside what a scenario takes ({} to {}); {} was written: check {series} for a unit or a typing error",
                        sig(mean),
                        sig(bounds.low),
                        sig(bounds.high),
                        sig(m)
                    ));
                    mean = m;
                }
                let largest = BOUND_MARGIN * bounds.largest_sd(mean);
                if sd > largest {
                    let _ = write!(note, "; sd {} held at the bound {}", sig(sd), sig(largest));
                    sd = largest;
                }
            }
        }
    }
    let field = format!("drivers.{driver}");
    if i != CLAIM_INTENSITY && i != COLLECTION_SHOCK {
        b.fitted(&format!("{field}.mean"), mean, f.se_mean, years, n, &method);
    } else if i == COLLECTION_SHOCK {
        b.parameter(
            "mean collection ratio (premiums ÷ payroll × assessed rate)",
            f.mean,
            f.se_mean,
            years,
            n,
            &method,
        );
    }
    let sd_se = if i == EMPLOYMENT_GROWTH {
        f.se_sd * sd / f.sd.max(f64::MIN_POSITIVE)
    } else {
        f.se_sd
    };
    b.fitted(
        &format!("{field}.sd"),
        sd,
        Some(sd_se),
        years,
        n,
        &format!("{method}{note}"),
    );
    if f.persistence_fitted {
        b.fitted(
            &format!("{field}.persistence"),
            phi,
            f.se_persistence,
            years,
            f.pairs,
            &format!("{method}, bias-corrected, held in [0, 0.95]"),
        );
    } else {
        let why = if f.pairs < ar1::MIN_PAIRS {
            format!(
                "{series}: {} pairs of consecutive years (at least {} are needed)",
                f.pairs,
                ar1::MIN_PAIRS
            )
        } else {
            // enough pairs, but nothing varies once the trend and the
            // measurement noise (the injury counts', for medical costs) are out
            format!(
                "{series}: {} pairs of consecutive years, but nothing is left of its variation once the trend and the noise of its figures are taken out, so no persistence can be read from it",
                f.pairs
            )
        };
        b.keep(format!("{field}.persistence"), why);
    }
    if let Some(t) = f.trend {
        b.parameter(
            &format!("{field} trend per year"),
            t,
            None,
            years,
            n,
            "least squares, removed before the fit",
        );
    }
    // parameter uncertainty carried into the paths (docs/calibration.md B.3)
    let mean_se = match i {
        CLAIM_INTENSITY | COLLECTION_SHOCK => None,
        EMPLOYMENT_GROWTH => f.se_mean.map(|se| se * sd / f.sd.max(f64::MIN_POSITIVE)),
        _ => f.se_mean,
    };
    let mut written_se = 0.0;
    if let Some(se) = mean_se {
        let largest = BOUND_MARGIN * largest_sd(i, &Driver::known(mean, 0.0, phi));
        written_se = round6(se.min(largest));
        b.edit(
            format!("{field}.mean_se"),
            Value::Number(written_se),
            format!(
                "the mean's standard error{}: each path draws its own mean",
                if se > largest {
                    " (held at the largest sd the mean allows)"
                } else {
                    ""
                }
            ),
        );
    }
    let (lo, hi) = SD_DF;
    let df = round6(f.sd_df.clamp(lo, hi));
    b.edit(
        format!("{field}.sd_df"),
        Value::Number(df),
        format!(
            "degrees of freedom of the sd, {} years{}: each path draws its own sd",
            n,
            if f.sd_df < lo {
                format!(" ({} raised to the smallest allowed)", sig(f.sd_df))
            } else {
                String::new()
            }
        ),
    );
    Driver {
        mean,
        sd: round6(sd),
        persistence: round6(phi),
        mean_se: written_se,
        sd_df: df,
    }
}
