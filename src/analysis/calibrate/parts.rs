//! The city × class tables of a calibration (docs/calibration.md B.4):
//! insured and wages scaled from the base's tables onto the province's
//! totals, or raked onto the by-class and by-city files' margins when they
//! are given; the raking itself; and the window ratios of those files that
//! the levels ([`super::levels`]) read for each class's frequency and
//! outcome mix and each city's relative risk.

use super::{Builder, Value, round6, sig};
use crate::model::history::{History, PartHistory, Series};

/// The by-class and by-city histories a calibration may use.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Parts<'a> {
    /// Rows by risk class (the base's `[[sectors]]`).
    pub(crate) by_class: Option<&'a PartHistory>,
    /// Rows by city (the base's `[[cities]]`).
    pub(crate) by_city: Option<&'a PartHistory>,
}

/// Sweeps of [`rake`] at most; each halves the margins' error or better on
/// tables like the scenario's.
const RAKE_SWEEPS: usize = 500;
/// Relative error of every margin at which raking stops.
const RAKE_TOLERANCE: f64 = 1e-12;

/// Raking (iterative proportional fitting): row factors `a` and column
/// factors `k` such that `a[c] · t[c][s] · k[s]` has the row sums `rows` and
/// the column sums `cols` (each optional; with both, the columns are first
/// scaled to the rows' total). A row or column of zeros keeps factor 1.
pub(super) fn rake(
    t: &[Vec<f64>],
    rows: Option<&[f64]>,
    cols: Option<&[f64]>,
) -> (Vec<f64>, Vec<f64>) {
    let (nr, nc) = (t.len(), t.first().map_or(0, Vec::len));
    let mut a = vec![1.0; nr];
    let mut k = vec![1.0; nc];
    let cols: Option<Vec<f64>> = cols.map(|c| match rows {
        Some(r) => {
            let (tr, tc) = (r.iter().sum::<f64>(), c.iter().sum::<f64>());
            c.iter()
                .map(|v| if tc > 0.0 { v * tr / tc } else { *v })
                .collect()
        }
        None => c.to_vec(),
    });
    for _ in 0..RAKE_SWEEPS {
        let mut worst: f64 = 0.0;
        if let Some(r) = rows {
            for (i, row) in t.iter().enumerate() {
                let sum: f64 = row.iter().zip(&k).map(|(v, k)| v * k).sum::<f64>() * a[i];
                if sum > 0.0 {
                    worst = worst.max((sum / r[i] - 1.0).abs());
                    a[i] *= r[i] / sum;
                }
            }
        }
        if let Some(c) = &cols {
            for (s, target) in c.iter().enumerate() {
                let sum: f64 = t.iter().zip(&a).map(|(row, a)| row[s] * a).sum::<f64>() * k[s];
                if sum > 0.0 {
                    worst = worst.max((sum / target - 1.0).abs());
                    k[s] *= target / sum;
                }
            }
        }
        if worst < RAKE_TOLERANCE || rows.is_none() || cols.is_none() {
            break;
        }
    }
    (a, k)
}

/// The insured and monthly-wage tables written, by city then class.
pub(super) struct Tables {
    pub(super) insured: Vec<Vec<f64>>,
    pub(super) wages: Vec<Vec<f64>>,
    /// The province's payroll against the base's, if it changed: the
    /// factor the stock amounts set on own wages follow.
    pub(super) wage_factor: Option<f64>,
}

/// The base year's margin of a part file, scaled to the province's total
/// `total` when the province file gives it: the part files give the
/// structure, the province file every province total.
fn margin(p: Option<&PartHistory>, y: i32, s: Series, total: Option<f64>) -> Option<Vec<f64>> {
    let v = p?.all(y, s)?;
    let sum: f64 = v.iter().sum();
    (sum > 0.0).then(|| match total {
        Some(t) => v.iter().map(|x| x * t / sum).collect(),
        None => v,
    })
}

/// Insured and wages, by city and class (docs/calibration.md B.4).
pub(super) fn tables(b: &mut Builder) -> Tables {
    let (h, base, parts) = (b.h, b.base, b.parts);
    let y = h.last_year();
    let base_n: Vec<Vec<f64>> = base.cities.iter().map(|c| c.insured.clone()).collect();
    let base_w: Vec<Vec<f64>> = base.cities.iter().map(|c| c.monthly_wage.clone()).collect();
    let base_payroll = base.base_payroll();

    // insured
    let class_n = margin(parts.by_class, y, Series::Insured, b.last(Series::Insured));
    let city_n = margin(parts.by_city, y, Series::Insured, b.last(Series::Insured));
    let insured: Vec<Vec<f64>> = if class_n.is_some() || city_n.is_some() {
        let (a, k) = rake(&base_n, city_n.as_deref(), class_n.as_deref());
        let how = match (&city_n, &class_n) {
            (Some(_), Some(_)) => "the base table raked to the by-city and by-class insured",
            (Some(_), None) => "the base table's rows scaled to the by-city insured",
            _ => "the base table's columns scaled to the by-class insured",
        };
        let t = scaled(&base_n, &a, &k);
        for (c, row) in t.iter().enumerate() {
            b.edit(
                format!("cities[{c}].insured"),
                Value::Numbers(row.iter().map(|v| round6(*v)).collect()),
                format!("from history {y}: {how}"),
            );
        }
        let total: f64 = t.iter().flatten().sum();
        b.parameter("insured (province)", total, None, (y, y), 1, how);
        t
    } else if let Some(n) = b.last(Series::Insured) {
        let f = n / base.base_insured();
        let t: Vec<Vec<f64>> = base_n
            .iter()
            .map(|r| r.iter().map(|v| v * f).collect())
            .collect();
        for (c, row) in t.iter().enumerate() {
            b.edit(
                format!("cities[{c}].insured"),
                Value::Numbers(row.iter().map(|v| round6(*v)).collect()),
                format!(
                    "base table × {} so that the province has history {y} insured",
                    sig(f)
                ),
            );
        }
        b.parameter(
            "insured (province)",
            n,
            None,
            (y, y),
            1,
            "insured of the base year",
        );
        t
    } else {
        b.keep(
            "cities[*].insured",
            format!(
                "{} is unknown in {y}, the base year",
                Series::Insured.name()
            ),
        );
        base_n.clone()
    };

    // wages: the payroll cells N·w·12 raked to the payroll margins, else
    // every wage scaled by the province's payroll (or average wage)
    let class_p = margin(parts.by_class, y, Series::Payroll, b.last(Series::Payroll));
    let city_p = margin(parts.by_city, y, Series::Payroll, b.last(Series::Payroll));
    let cells: Vec<Vec<f64>> = insured
        .iter()
        .zip(&base_w)
        .map(|(n, w)| n.iter().zip(w).map(|(n, w)| 12.0 * n * w).collect())
        .collect();
    let cells_total: f64 = cells.iter().flatten().sum();
    let (wages, how): (Vec<Vec<f64>>, Option<String>) = if class_p.is_some() || city_p.is_some() {
        let (a, k) = rake(&cells, city_p.as_deref(), class_p.as_deref());
        let how = match (&city_p, &class_p) {
            (Some(_), Some(_)) => "payroll raked to the by-city and by-class payroll",
            (Some(_), None) => "each city's payroll from the by-city file",
            _ => "each class's payroll from the by-class file",
        };
        (
            base_w
                .iter()
                .enumerate()
                .map(|(c, w)| w.iter().enumerate().map(|(s, w)| w * a[c] * k[s]).collect())
                .collect(),
            Some(format!(
                "from history {y}: base wages × the factor that gives {how}"
            )),
        )
    } else {
        let factor = match (b.last(Series::Payroll), b.last(Series::AverageWage)) {
            (Some(p), _) if cells_total > 0.0 => Some((p / cells_total, "payroll")),
            (_, Some(aw)) => Some((
                aw / (12.0 * base.economy.average_monthly_wage),
                "average_wage (payroll unknown)",
            )),
            _ => None,
        };
        if let Some((f, from)) = factor {
            (
                base_w
                    .iter()
                    .map(|w| w.iter().map(|v| v * f).collect())
                    .collect(),
                Some(format!("base table × {} from history {y} {from}", sig(f))),
            )
        } else {
            b.keep(
                "cities[*].monthly_wage",
                format!("payroll and average_wage are unknown in {y}"),
            );
            (base_w.clone(), None)
        }
    };
    if let Some(how) = &how {
        for (c, row) in wages.iter().enumerate() {
            b.edit(
                format!("cities[{c}].monthly_wage"),
                Value::Numbers(row.iter().map(|v| round6(*v)).collect()),
                how.clone(),
            );
        }
    }
    let payroll: f64 = insured
        .iter()
        .zip(&wages)
        .map(|(n, w)| n.iter().zip(w).map(|(n, w)| 12.0 * n * w).sum::<f64>())
        .sum();
    // the wages' own growth, without the change in the insured
    let wage_factor = how.map(|_| {
        payroll / (base_payroll * insured.iter().flatten().sum::<f64>() / base.base_insured())
    });
    Tables {
        insured,
        wages,
        wage_factor,
    }
}

fn scaled(t: &[Vec<f64>], a: &[f64], k: &[f64]) -> Vec<Vec<f64>> {
    t.iter()
        .zip(a)
        .map(|(row, a)| row.iter().zip(k).map(|(v, k)| a * v * k).collect())
        .collect()
}

/// The mean of `num / den` over the last `window` years of `h` where both
/// are known and `den` is positive, with the years used.
pub(super) fn window_ratio(
    h: &History,
    num: Series,
    den: Series,
    window: usize,
) -> Option<(f64, Vec<i32>)> {
    let mut years: Vec<i32> = h
        .years()
        .filter(|y| h.get(*y, num).is_some() && h.get(*y, den).is_some_and(|d| d > 0.0))
        .collect();
    let start = years.len().saturating_sub(window);
    years.drain(..start);
    if years.is_empty() {
        return None;
    }
    let mean = years
        .iter()
        .map(|y| h.get(*y, num).unwrap_or(0.0) / h.get(*y, den).unwrap_or(1.0))
        .sum::<f64>()
        / years.len() as f64;
    Some((mean, years))
}

/// `Σ num / Σ den` over every part and the last `window` years where each
/// part knows both: the province's value the parts imply.
pub(super) fn parts_total_ratio(
    p: &PartHistory,
    num: Series,
    den: Series,
    window: usize,
) -> Option<f64> {
    let (mut n, mut d) = (0.0, 0.0);
    for h in &p.parts {
        let (_, years) = window_ratio(h, num, den, window)?;
        for y in years {
            n += h.get(y, num)?;
            d += h.get(y, den)?;
        }
    }
    (d > 0.0).then_some(n / d)
}

/// Each part's `num / den` over the window, if every part has one.
pub(super) fn part_ratios(
    p: Option<&PartHistory>,
    num: Series,
    den: Series,
    window: usize,
) -> Option<Vec<f64>> {
    p?.parts
        .iter()
        .map(|h| window_ratio(h, num, den, window).map(|r| r.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raking_meets_both_margins() {
        let t = vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]];
        let rows = [10.0, 20.0];
        let cols = [3.0, 12.0, 15.0];
        let (a, k) = rake(&t, Some(&rows), Some(&cols));
        let r = scaled(&t, &a, &k);
        for (i, row) in r.iter().enumerate() {
            assert!((row.iter().sum::<f64>() / rows[i] - 1.0).abs() < 1e-9);
        }
        for s in 0..3 {
            let sum: f64 = r.iter().map(|row| row[s]).sum();
            assert!((sum / cols[s] - 1.0).abs() < 1e-9, "{sum}");
        }
        // one margin only: a plain scaling of the columns
        let (a, k) = rake(&t, None, Some(&[10.0, 14.0, 9.0]));
        assert_eq!(a, vec![1.0, 1.0]);
        assert!((k[0] - 2.0).abs() < 1e-12 && (k[2] - 1.0).abs() < 1e-12);
        // a zero column keeps its factor
        let (_, k) = rake(&[vec![0.0, 1.0]], None, Some(&[5.0, 2.0]));
        assert_eq!(k, vec![1.0, 2.0]);
    }
}
