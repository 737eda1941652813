//! What `fundsim calibrate` writes besides the scenario: `calibration.md`
//! for people (each fitted parameter with its standard error, the years
//! used, the residual diagnostics, what was kept from the base and the
//! first-year check) and `calibration.json` with the same content.

use super::format::grouped;
use crate::analysis::calibrate::{Calibration, sig};
use crate::analysis::calibration::CalibrationRow;
use crate::model::scenario::DRIVER_NAMES;
use serde::Serialize;
use std::fmt::Write as _;

/// The calibration and its check, as written.
#[derive(Debug, Serialize)]
pub(crate) struct CalibrationReport<'a> {
    /// The tool and version.
    pub(crate) tool: String,
    /// The base scenario's file.
    pub(crate) base: String,
    /// The SHA-256 of its bytes.
    pub(crate) base_sha256: String,
    /// The SHA-256 of the history file's bytes (its name is in the fit).
    pub(crate) history_sha256: String,
    /// The SHA-256 of the by-class file's bytes, when one was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) by_class_sha256: Option<String>,
    /// The SHA-256 of the by-city file's bytes, when one was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) by_city_sha256: Option<String>,
    /// The fit.
    pub(crate) calibration: &'a Calibration,
    /// The written scenario's first expected-value year against its targets.
    pub(crate) first_year_check: &'a [CalibrationRow],
    /// The relative tolerance of that check (the written scenario's
    /// `calibration.tolerance`).
    #[serde(skip)]
    pub(crate) tolerance: Option<f64>,
}

/// A value as the page shows it: four significant digits, and from ten
/// thousand on (amounts in yuan, counts of persons, wages) the figure the
/// written scenario holds, to the fen when it has one, with grouped digits
/// and no exponent (`7,084,635,437`, `17,883.83`; not `7.085e9`). Whole
/// to the fen is whole: a count computed as 1,016,824.0004 reads
/// `1,016,824`, as the same count given whole does, not `1,016,824.00`.
fn figure(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e4 {
        let whole = (v * 100.0).round() % 100.0 == 0.0;
        grouped(v, if whole { 0 } else { 2 })
    } else {
        sig(v)
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), figure)
}

fn pm(v: f64, se: Option<f64>) -> String {
    match se {
        Some(se) => format!("{} ± {}", figure(v), figure(se)),
        None => figure(v),
    }
}

/// `calibration.md`.
pub(crate) fn markdown(r: &CalibrationReport) -> String {
    let c = r.calibration;
    let mut md = String::new();
    let (a, b) = c.years;
    let _ = writeln!(md, "# Calibration from history\n");
    let _ = writeln!(
        md,
        "History `{}`, {a}–{b}{}; base scenario `{}`. The written scenario's base year is {}, its first projection year {}. Method: docs/calibration.md, part B. Written by {}.\n",
        c.history,
        c.parts.iter().fold(String::new(), |mut s, p| {
            let _ = write!(s, ", {p}");
            s
        }),
        r.base,
        c.base_year,
        c.base_year + 1,
        r.tool
    );
    if !c.warnings.is_empty() {
        let _ = writeln!(md, "## Warnings\n");
        for w in &c.warnings {
            let _ = writeln!(md, "- **{w}**");
        }
        md.push('\n');
    }
    let _ = writeln!(md, "## Drivers\n");
    let _ = writeln!(
        md,
        "Each driver is an AR(1) fit of its series over the years it is known (mean, stationary sd, persistence; ± one standard error). *Written* is what the scenario gets after the format's bounds and, for employment, the division by the insured-weighted loading β. *Path draws* is the parameter uncertainty carried into the Monte Carlo paths (docs/model.md §2.9): each path draws its own mean with this standard error and its own sd with these degrees of freedom. Ljung–Box and Jarque–Bera are p-values of the standardised innovations (small values: the AR(1) with normal shocks fits badly).\n"
    );
    let _ = writeln!(
        md,
        "| driver | series | years | n | mean | sd | persistence | written mean / sd / persistence | path draws: mean se / sd df | Ljung–Box p | Jarque–Bera p |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for d in &c.drivers {
        match &d.fit {
            Some(f) => {
                let w = d.written.unwrap_or(crate::model::scenario::Driver::known(
                    f64::NAN,
                    f64::NAN,
                    f64::NAN,
                ));
                let _ = writeln!(
                    md,
                    "| {} | {} | {}–{} | {} | {} | {} | {}{} | {} / {} / {} | {} / {} | {} | {} |",
                    d.driver,
                    d.series,
                    f.years.0,
                    f.years.1,
                    f.n,
                    if f.se_mean.is_some() {
                        pm(f.mean, f.se_mean)
                    } else {
                        "0 (about its trend)".into()
                    },
                    pm(f.sd, Some(f.se_sd)),
                    pm(f.persistence, f.se_persistence),
                    if f.persistence_fitted { "" } else { " (base)" },
                    sig(w.mean),
                    sig(w.sd),
                    sig(w.persistence),
                    if w.mean_se > 0.0 {
                        sig(w.mean_se)
                    } else {
                        "–".into()
                    },
                    if w.sd_df > 0.0 {
                        sig(w.sd_df)
                    } else {
                        "–".into()
                    },
                    opt(f.diagnostics.ljung_box_p),
                    opt(f.diagnostics.jarque_bera_p),
                );
            }
            None => {
                let _ = writeln!(
                    md,
                    "| {} | {} | – | – | kept from the base: {} | | | | | | |",
                    d.driver,
                    d.series,
                    d.reason.as_deref().unwrap_or("")
                );
            }
        }
    }
    let _ = writeln!(md, "\n## Correlation of the innovations\n");
    let corr = &c.correlation;
    match corr.shrinkage {
        Some(delta) => {
            let _ = writeln!(
                md,
                "Shrinkage toward the identity δ = {} (Ledoit–Wolf: the summed sampling variance of the estimated correlations over their summed squares; fewer years, larger δ).{} Pairs with fewer than {} common years keep the base's value.\n",
                sig(delta),
                if corr.repaired {
                    " The assembled matrix was not positive definite and was repaired (eigenvalues raised to 0.001, unit diagonal restored)."
                } else {
                    ""
                },
                crate::analysis::calibrate::correlation::MIN_COMMON
            );
        }
        None => {
            let _ = writeln!(
                md,
                "No two fitted drivers share enough years: the base's matrix is kept.\n"
            );
        }
    }
    let _ = writeln!(
        md,
        "| | {} |\n| --- |{}",
        DRIVER_NAMES.join(" | "),
        " ---: |".repeat(DRIVER_NAMES.len())
    );
    for (i, row) in corr.matrix.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(j, v)| match corr.sample[i][j] {
                Some(s) if i != j => {
                    format!("{:.3} (sample {:.3}, {} yrs)", v, s, corr.common[i][j])
                }
                _ => format!("{v:.3}"),
            })
            .collect();
        let _ = writeln!(md, "| {} | {} |", DRIVER_NAMES[i], cells.join(" | "));
    }
    let _ = writeln!(md, "\n## Levels and other parameters\n");
    let _ = writeln!(
        md,
        "| parameter | value | standard error | years | n | how |\n| --- | ---: | ---: | --- | ---: | --- |"
    );
    for p in &c.parameters {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            p.name,
            figure(p.value),
            opt(p.se),
            if p.years.0 == p.years.1 {
                p.years.0.to_string()
            } else {
                format!("{}–{}", p.years.0, p.years.1)
            },
            p.n,
            p.method
        );
    }
    let _ = writeln!(md, "\n## Kept from the base scenario\n");
    if c.kept.is_empty() {
        let _ = writeln!(
            md,
            "Nothing: the history determined every value this calibration fits."
        );
    } else {
        let _ = writeln!(md, "| value | why |\n| --- | --- |");
        for k in &c.kept {
            let _ = writeln!(md, "| {} | {} |", k.what, k.reason);
        }
    }
    let _ = writeln!(md, "\n## First-year check\n");
    if r.first_year_check.is_empty() {
        let _ = writeln!(md, "No target figure was known in the base year.");
    } else {
        let _ = writeln!(
            md,
            "The targets are the history's {} figures; the model's value is the written scenario's expected-value projection of {}, one year of growth later.{}\n",
            c.base_year,
            c.base_year + 1,
            r.tolerance.map_or_else(String::new, |t| format!(
                " A difference within ±{} % (`calibration.tolerance`) is within tolerance.",
                grouped(t * 100.0, 1)
            ))
        );
        let _ = writeln!(
            md,
            "| target | history {} | model {} | difference | within tolerance |\n| --- | ---: | ---: | ---: | --- |",
            c.base_year,
            c.base_year + 1
        );
        for row in r.first_year_check {
            // money to the fen, as the scenario holds it; counts and shares
            // as the report's check shows them (a projected 2,520,861.19
            // insured is 2,520,861 persons)
            let money = super::labels::calibration_target(super::labels::Lang::En, row.target).1;
            let shown = |v: f64| {
                if money {
                    figure(v)
                } else {
                    super::format::target_figure(v)
                }
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {:+.1} % | {} |",
                row.target.name(),
                shown(row.target_value),
                shown(row.model_value),
                100.0 * row.relative_error,
                if row.within_tolerance { "yes" } else { "no" }
            );
        }
    }
    md
}

/// `calibration.json`.
pub(crate) fn json(r: &CalibrationReport) -> Result<String, serde_json::Error> {
    Ok(serde_json::to_string_pretty(r)? + "\n")
}

#[cfg(test)]
mod tests {
    /// A figure whole to the fen reads whole, one with fen keeps them, and
    /// small values keep four significant digits.
    #[test]
    fn figures_are_whole_when_whole_to_the_fen() {
        assert_eq!(super::figure(1_016_824.000_4), "1,016,824");
        assert_eq!(super::figure(1_016_823.996), "1,016,824");
        assert_eq!(super::figure(1_016_824.0), "1,016,824");
        assert_eq!(super::figure(17_883.83), "17,883.83");
        assert_eq!(super::figure(7_084_635_437.0), "7,084,635,437");
        assert_eq!(super::figure(0.012982), "0.01298");
    }
}
