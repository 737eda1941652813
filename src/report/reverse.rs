//! The outputs of `fundsim stress --reverse`: `reverse.json` (what ran, the
//! answer and every scale tried), `reverse.md`, `reverse.svg` (the
//! probability of breach at each scale tried) and `report.html`, and the
//! console's sentence. The sentences of both languages are written here,
//! once, for the page, the report and the console alike.

use super::chart;
use super::chart::analyses::ScaleCurve;
use super::format::{NO_VALUE, markdown_text};
use super::labels::Lang;
use super::output_dir::File;
use super::provenance::{Provenance, RunIdentity};
use super::units::Unit;
use crate::analysis::stress::{REVERSE_GRID, REVERSE_MAX_SCALE, ReverseResult};
use crate::model::scenario::Scenario;
use anyhow::Result;
use serde::Serialize;
use std::fmt::Write as _;

/// Everything `fundsim stress --reverse` reports.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReverseReport<'a> {
    /// Scenario, file, SHA-256, version, seed and paths.
    #[serde(flatten)]
    pub(crate) run: RunIdentity<'a>,
    /// The overlay's file, as given.
    pub(crate) stress_file: String,
    /// The SHA-256 of its bytes.
    pub(crate) stress_sha256: String,
    /// The last projection year, the horizon of "any breach".
    pub(crate) last_year: i32,
    /// The months of payments the reserve rule asks for.
    #[serde(skip)]
    pub(crate) rule_months: f64,
    /// The answer and the scales tried.
    #[serde(flatten)]
    pub(crate) result: &'a ReverseResult,
}

/// A scale tried, and the answer, which is one of them: to three decimals,
/// since two tries are more than 0.005 apart (rounded to 0.01 the
/// answer could read below the scale that reached the target).
pub(crate) fn scale_3(x: f64) -> String {
    format!("{x:.3}")
}

/// A measured probability (or its standard error) as the tables and the
/// sentences show it: a per cent, one decimal.
pub(crate) fn measured(p: f64) -> String {
    format!("{:.1}", p * 100.0)
}

/// A probability looked for, as a whole per cent.
pub(crate) fn percent(p: f64) -> String {
    format!("{:.0}", p * 100.0)
}

impl ReverseReport<'_> {
    /// The first breach year the expected-value path reaches at `scale`, if
    /// that scale was tried and breaches.
    fn first_breach_at(&self, scale: f64) -> Option<i32> {
        self.result
            .expected_value_tries
            .iter()
            .find(|t| t.scale == scale)
            .and_then(|t| t.first_breach_year)
    }

    /// The Monte Carlo probability at `scale`, if that scale was tried.
    fn probability_at(&self, scale: f64) -> Option<f64> {
        self.result
            .monte_carlo_tries
            .iter()
            .find(|t| t.scale == scale)
            .map(|t| t.breach_probability)
    }

    /// The answer, two sentences: the Monte Carlo scale, then the
    /// expected-value one.
    pub(crate) fn sentences(&self, lang: Lang) -> Vec<String> {
        let r = self.result;
        let (stress, last, paths) = (&r.stress, self.last_year, self.run.paths);
        let target = percent(r.target);
        let rule = self.rule_months;
        let max = REVERSE_MAX_SCALE;
        let seen = |scale: f64| self.probability_at(scale).map_or(NO_VALUE.into(), measured);
        let highest = r
            .monte_carlo_tries
            .iter()
            .map(|t| (t.scale, t.breach_probability))
            .fold(
                (0.0, f64::NEG_INFINITY),
                |a, b| if b.1 > a.1 { b } else { a },
            );
        let mc = match (r.monte_carlo_scale, lang) {
            (Some(0.0), Lang::En) => format!(
                "Without the shocks of the overlay {stress} (scale 0), the chance that reserves fall below {rule} months of payments at least once by {last} is already {} %, at or above the {target} % looked for (Monte Carlo, {paths} paths).",
                seen(0.0)
            ),
            (Some(0.0), Lang::Zh) => format!(
                "不施加压力情景{stress}的冲击（倍数0）时，到{last}年基金累计结余至少一次低于{rule}个月平均支付水平的概率已为{}%，不低于所求的{target}%（蒙特卡洛，{paths}条路径）。",
                seen(0.0)
            ),
            (Some(x), Lang::En) => format!(
                "The chance that reserves fall below {rule} months of payments at least once by {last} reaches {target} % when the shocks of the overlay {stress} are scaled by {} (Monte Carlo, {paths} paths; the scale to within {}).",
                scale_3(x),
                r.tolerance
            ),
            (Some(x), Lang::Zh) => format!(
                "压力情景{stress}的冲击放大到{}倍时，到{last}年基金累计结余至少一次低于{rule}个月平均支付水平的概率达到{target}%（蒙特卡洛，{paths}条路径；倍数精确到{}）。",
                scale_3(x),
                r.tolerance
            ),
            (None, Lang::En) => format!(
                "At no scale of the shocks of the overlay {stress} tried up to {max} does the chance that reserves fall below {rule} months of payments at least once by {last} reach {target} % (the highest is {} % at scale {}; Monte Carlo, {paths} paths).",
                measured(highest.1),
                scale_3(highest.0)
            ),
            (None, Lang::Zh) => format!(
                "压力情景{stress}的冲击在试算的0到{max}倍之间，到{last}年基金累计结余至少一次低于{rule}个月平均支付水平的概率均未达到{target}%（最高为{}倍时的{}%；蒙特卡洛，{paths}条路径）。",
                scale_3(highest.0),
                measured(highest.1)
            ),
        };
        let year = |x: f64| {
            self.first_breach_at(x)
                .map_or_else(|| NO_VALUE.to_string(), |y| y.to_string())
        };
        let ev = match (r.expected_value_scale, lang) {
            (Some(0.0), Lang::En) => format!(
                "The expected-value path breaches without the shocks, first in December {}.",
                year(0.0)
            ),
            (Some(0.0), Lang::Zh) => format!(
                "按期望值路径，不施加冲击时即低于警戒线，首次在{}年12月。",
                year(0.0)
            ),
            (Some(x), Lang::En) => format!(
                "The expected-value path first breaches with the shocks scaled by {}, in December {}.",
                scale_3(x),
                year(x)
            ),
            (Some(x), Lang::Zh) => format!(
                "按期望值路径，冲击放大到{}倍时低于警戒线，首次在{}年12月。",
                scale_3(x),
                year(x)
            ),
            (None, Lang::En) => {
                format!(
                    "The expected-value path does not breach with the shocks scaled by up to {max}."
                )
            }
            (None, Lang::Zh) => {
                format!("按期望值路径，冲击放大到{max}倍以内均不低于警戒线。")
            }
        };
        let mut out = vec![mc, ev];
        if !r.rises_with_scale {
            out.push(match lang {
                Lang::En => "The tries do not all rise with the scale (see the table): some shocks of the overlay make a breach less likely, or the paths are too few to tell the scales apart. The search assumes they rise, so the scale found may not be the smallest.".to_string(),
                Lang::Zh => "各试算结果并非都随倍数上升（见下表）：该压力情景的部分冲击反而降低低于警戒线的可能，或路径数不足以区分相近的倍数。二分查找假定结果随倍数上升，因此所得倍数未必最小。".to_string(),
            });
        }
        out
    }

    /// How the test searched, one paragraph, for the page and the report.
    pub(crate) fn method(&self, lang: Lang) -> String {
        let r = self.result;
        let grid: Vec<String> = REVERSE_GRID.iter().map(ToString::to_string).collect();
        let (stress, paths, target, tol) =
            (&r.stress, self.run.paths, percent(r.target), r.tolerance);
        match lang {
            Lang::En => format!(
                "Each try multiplies every shock of the overlay {stress} by the same factor and runs the same {paths} paths. The search tries the factors {} in turn, up to the first at which the chance of a breach reaches {target} %, then bisects the interval below it to within {tol}. A factor of 1 is the overlay as written, 0 no shock at all.",
                grid.join(", ")
            ),
            Lang::Zh => format!(
                "每次试算将压力情景{stress}的全部冲击乘以同一倍数，在同一批{paths}条路径上运行：依次试算{}倍，直到至少一次低于警戒线的概率首次达到{target}%，再在其下方的区间内二分查找，精确到{tol}。倍数1即压力情景原样，0即不施加冲击。",
                grid.join("、")
            ),
        }
    }

    /// The chart of the probability at each scale tried.
    pub(crate) fn chart(&self, provenance: &Provenance, lang: Lang) -> Result<String> {
        let r = self.result;
        let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let points: Vec<(f64, f64, f64)> = r
            .monte_carlo_tries
            .iter()
            .map(|x| (x.scale, x.breach_probability, x.breach_probability_se))
            .collect();
        let target = format!(
            "{} {} %",
            t("所求概率", "probability looked for"),
            percent(r.target)
        );
        let fund = self.run.identity.title;
        let title = match lang {
            Lang::Zh => format!("{fund}：{}冲击的倍数与低于警戒线的概率", r.stress),
            Lang::En => format!(
                "{fund}: the chance of a breach by {} against the scale of {}",
                self.last_year, r.stress
            ),
        };
        chart::analyses::breach_by_scale(
            &title,
            &provenance.describe(lang),
            &ScaleCurve {
                x_desc: t(
                    "冲击倍数（1 = 压力情景原样）",
                    "scale of the shocks (1 = the overlay as written)",
                ),
                y_desc: t("至少一次低于警戒线的概率 (%)", "P(any breach) (%)"),
                tried: t(
                    "试算的倍数（±2个标准误）",
                    "scales tried (±2 standard errors)",
                ),
                target_label: &target,
                expected_label: t(
                    "期望值路径首次低于警戒线",
                    "expected-value path first breaches",
                ),
                points: &points,
                target: r.target,
                expected_value_scale: r.expected_value_scale,
                note: (r.monte_carlo_scale == Some(0.0)).then(|| {
                    t(
                        "不加冲击（倍数0）时已达到所求概率",
                        "the probability looked for is reached without the shocks (scale 0)",
                    )
                }),
            },
        )
    }
}

/// The files of a reverse stress test.
pub(crate) fn files(
    r: &ReverseReport,
    s: &Scenario,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> Result<Vec<File>> {
    Ok(vec![
        File::text("reverse.json", serde_json::to_string_pretty(r)? + "\n"),
        File::text("reverse.md", markdown(r, provenance)),
        File::text(
            "reverse.svg",
            chart::standalone(&r.chart(provenance, lang)?)?,
        ),
        File::text(
            "report.html",
            super::document::reverse(s, r, provenance, unit, lang)?.render()?,
        ),
    ])
}

/// `reverse.md`: the answer and every scale tried.
fn markdown(r: &ReverseReport, provenance: &Provenance) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Reverse stress test for {}\n",
        markdown_text(r.run.identity.title)
    );
    let _ = writeln!(
        md,
        "{}; overlay `{}` ({}). {}\n",
        provenance.describe(Lang::En),
        r.result.stress,
        r.stress_file,
        r.method(Lang::En)
    );
    for line in r.sentences(Lang::En) {
        let _ = writeln!(md, "- {line}");
    }
    let _ = writeln!(md, "\n## Monte Carlo tries\n");
    let _ = writeln!(
        md,
        "| scale | P(any breach) (%) | ± se (points) | reaches {} % |",
        percent(r.result.target)
    );
    let _ = writeln!(md, "| ---: | ---: | ---: | --- |");
    for x in &r.result.monte_carlo_tries {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            scale_3(x.scale),
            measured(x.breach_probability),
            measured(x.breach_probability_se),
            if x.breach_probability >= r.result.target {
                "yes"
            } else {
                "no"
            }
        );
    }
    let _ = writeln!(md, "\n## Expected-value tries\n");
    let _ = writeln!(md, "| scale | first December in breach |");
    let _ = writeln!(md, "| ---: | ---: |");
    for x in &r.result.expected_value_tries {
        let _ = writeln!(
            md,
            "| {} | {} |",
            scale_3(x.scale),
            x.first_breach_year
                .map_or_else(|| "none".to_string(), |y| y.to_string())
        );
    }
    md
}

/// The console's sentence.
pub(crate) fn console(r: &ReverseReport) -> String {
    r.sentences(Lang::En).join(" ") + "\n"
}
