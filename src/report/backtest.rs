//! What `fundsim backtest` writes: `backtest.csv` (one row per observed
//! value placed), `backtest.json` (the rows, the coverage, the verdict and
//! each origin's calibration summary), `backtest.md` for people, one
//! chart per measure of the first origin's fans, and `report.html`, the
//! document in the report's language.

use super::chart::backtest::observed_fan;
use super::format::{grouped, grouped_decimal};
use super::labels::{self, Lang};
use super::output_dir::File;
use super::provenance::Provenance;
use super::units::Unit;
use crate::analysis::backtest::{Coverage, Fan, Measure, Placement};
use crate::analysis::calibrate::Kept;
use crate::model::scenario::Scenario;
use anyhow::Result;
use serde::Serialize;
use std::fmt::Write as _;

/// One origin's calibration, in brief.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OriginSummary {
    /// The origin year.
    pub(crate) origin: i32,
    /// Drivers fitted from the history (of 7).
    pub(crate) drivers_fitted: usize,
    /// What the calibration kept from the base.
    pub(crate) kept: Vec<Kept>,
}

/// The origins whose calibration fitted fewer than half of the drivers,
/// with how many it fitted.
pub(crate) fn few_drivers(origins: &[OriginSummary]) -> Vec<(i32, usize)> {
    origins
        .iter()
        .filter(|o| 2 * o.drivers_fitted < crate::model::scenario::DRIVER_NAMES.len())
        .map(|o| (o.origin, o.drivers_fitted))
        .collect()
}

/// Everything a back-test found.
#[derive(Debug, Serialize)]
pub(crate) struct BacktestReport<'a> {
    /// The tool and version.
    pub(crate) tool: String,
    /// The history file.
    pub(crate) history: String,
    /// The SHA-256 of its bytes.
    pub(crate) history_sha256: String,
    /// The base scenario.
    pub(crate) base: String,
    /// The SHA-256 of its bytes.
    pub(crate) base_sha256: String,
    /// Master seed and paths per origin.
    pub(crate) seed: u64,
    /// Paths per origin.
    pub(crate) paths: u64,
    /// The origins, each with its calibration summary.
    pub(crate) origins: Vec<OriginSummary>,
    /// The verdict, in English (the report's own language is `lang`).
    pub(crate) verdict: Vec<String>,
    /// Coverage by measure and over all.
    pub(crate) coverage: Vec<Coverage>,
    /// Every placement.
    pub(crate) placements: &'a [Placement],
    /// The first origin's fans.
    #[serde(skip)]
    pub(crate) fans: &'a [Fan],
    /// The unit of money in backtest.md and the charts (the files for
    /// machines keep yuan).
    #[serde(skip)]
    pub(crate) unit: Unit,
    /// The language of report.html and the charts.
    #[serde(skip)]
    pub(crate) lang: Lang,
    /// The history's rates moving after the first origin, if they do.
    #[serde(skip)]
    pub(crate) rate_move: Option<crate::analysis::backtest::RateMove>,
}

/// The unit a measure's values are shown in to a person, in backtest.md,
/// report.html and on its chart alike: the report's unit for money, else
/// the measure's own (persons, yuan a year).
pub(crate) fn shown(measure: Measure, unit: Unit, lang: Lang) -> &'static str {
    labels::backtest_measure(lang, measure)
        .1
        .unwrap_or(unit.label())
}

/// What one unit of a measure's chart is worth.
fn per(measure: Measure, unit: Unit) -> f64 {
    if measure.is_money() {
        unit.factor()
    } else {
        1.0
    }
}

/// A measure's value as the tables print it.
pub(crate) fn value(measure: Measure, unit: Unit, v: f64) -> String {
    if measure.is_money() && v.is_finite() {
        grouped_decimal(unit.printed(v))
    } else {
        grouped(v, 0)
    }
}

/// `backtest.csv`.
fn csv(r: &BacktestReport) -> String {
    let mut out =
        String::from("origin,year,horizon,measure,observed,p05,p25,p50,p75,p95,pit,in_50,in_90\n");
    for p in r.placements {
        let _ = write!(
            out,
            "{},{},{},{},{}",
            p.origin,
            p.year,
            p.horizon,
            p.measure.name(),
            p.observed
        );
        for q in p.quantiles {
            let _ = write!(out, ",{q}");
        }
        let _ = writeln!(out, ",{:.4},{},{}", p.pit, p.in_50, p.in_90);
    }
    out
}

/// `backtest.md`.
fn markdown(r: &BacktestReport) -> String {
    let mut md = String::from("# Back-test\n\n");
    let origins: Vec<String> = r.origins.iter().map(|o| o.origin.to_string()).collect();
    let _ = writeln!(
        md,
        "History `{}`, base scenario `{}`; calibrated on the years up to each origin ({}) and projected with {} paths (seed {}). Written by {}. Method: docs/calibration.md, part C.\n",
        r.history,
        r.base,
        origins.join(", "),
        r.paths,
        r.seed,
        r.tool
    );
    let _ = writeln!(md, "## Verdict\n");
    for v in &r.verdict {
        let _ = writeln!(md, "- {v}");
    }
    let _ = writeln!(
        md,
        "\n## Coverage\n\n| measure | values | in 90 % band | honest 90 % bands (95 % interval) | in 50 % band | above the median | mean PIT |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for c in &r.coverage {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {}–{} | {} | {} | {:.2} |",
            c.measure.map_or("all", |m| m.name()),
            c.n,
            c.in_90,
            c.expected_in_90.0,
            c.expected_in_90.1,
            c.in_50,
            c.above_median,
            c.mean_pit
        );
    }
    let _ = writeln!(
        md,
        "\n## Values placed\n\n| origin | year | measure | unit | observed | 5 % | median | 95 % | PIT | in 90 % |\n| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    for p in r.placements {
        let v = |x: f64| value(p.measure, r.unit, x);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.3} | {} |",
            p.origin,
            p.year,
            p.measure.name(),
            shown(p.measure, r.unit, Lang::En),
            v(p.observed),
            v(p.quantiles[0]),
            v(p.quantiles[2]),
            v(p.quantiles[4]),
            p.pit,
            if p.in_90 { "yes" } else { "no" }
        );
    }
    let _ = writeln!(
        md,
        "\n## What each origin's calibration kept from the base\n"
    );
    for o in &r.origins {
        let _ = writeln!(
            md,
            "- {}: {} of 7 drivers fitted; kept: {}",
            o.origin,
            o.drivers_fitted,
            if o.kept.is_empty() {
                "nothing".to_string()
            } else {
                o.kept
                    .iter()
                    .map(|k| format!("{} ({})", k.what, k.reason))
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        );
    }
    if !r.fans.is_empty() {
        let _ = writeln!(md, "\n## Charts\n");
        for f in r.fans {
            let _ = writeln!(md, "- backtest_{}.svg", f.measure.name());
        }
    }
    md
}

/// The chart of each of the first origin's fans, in the report's language.
pub(crate) fn charts(r: &BacktestReport) -> Result<Vec<super::chart::Chart>> {
    r.fans
        .iter()
        .map(|f| {
            let subtitle = match r.lang {
                Lang::Zh => format!(
                    "{}条路径，随机种子{}；以{}截至{}年的数据校准",
                    r.paths, r.seed, r.history, f.origin
                ),
                Lang::En => format!(
                    "{} paths, seed {}; calibrated on {} up to {}",
                    r.paths, r.seed, r.history, f.origin
                ),
            };
            let unit = shown(f.measure, r.unit, r.lang);
            observed_fan(f, &subtitle, unit, per(f.measure, r.unit), r.lang)
        })
        .collect()
}

/// Every file of the back-test; `base` and `provenance` head report.html.
pub(crate) fn files(
    r: &BacktestReport,
    base: &Scenario,
    provenance: &Provenance,
) -> Result<Vec<File>> {
    let mut files = vec![
        File::text("backtest.csv", csv(r)),
        File::text("backtest.json", serde_json::to_string_pretty(r)? + "\n"),
        File::text("backtest.md", markdown(r)),
    ];
    for chart in charts(r)? {
        files.push(chart.file()?);
    }
    files.push(File::text(
        "report.html",
        super::document::backtest(base, r, provenance)?.render()?,
    ));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three of 7 drivers fitted is fewer than half; four is not.
    #[test]
    fn few_drivers_is_fewer_than_half() {
        let o = |origin, drivers_fitted| OriginSummary {
            origin,
            drivers_fitted,
            kept: Vec::new(),
        };
        assert_eq!(
            few_drivers(&[o(2014, 2), o(2015, 3), o(2016, 4), o(2017, 7)]),
            vec![(2014, 2), (2015, 3)]
        );
    }
}
