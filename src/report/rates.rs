//! The outputs of `fundsim rates`: `rates.json`, `rates.csv`, `rates.md`
//! (a page of plain sentences for a committee), `rates.svg` (probability
//! of breach by year, one line per schedule) and `report.html`.

use super::chart;
use super::console::{Align, Table};
use super::format::{grouped, markdown_text, or_dash};
use super::labels::Lang;
use super::output_dir::File;
use super::provenance::{Provenance, RunIdentity};
use super::units::Unit;
use crate::analysis::rates::{Evaluation, IndicatedRate, Solution};
use crate::model::scenario::Scenario;
use anyhow::{Result, anyhow};
use serde::Serialize;
use std::fmt::Write as _;

/// Everything `fundsim rates` reports.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RatesReport<'a> {
    /// Scenario, file, SHA-256, version, seed and paths.
    #[serde(flatten)]
    pub(crate) run: RunIdentity<'a>,
    /// Projection years.
    pub(crate) years: Vec<i32>,
    /// Months of reserve below which a December is a breach.
    pub(crate) reserve_rule_months: f64,
    /// Class names.
    pub(crate) classes: Vec<String>,
    /// The baseline first, then each candidate.
    pub(crate) candidates: Vec<Evaluation>,
    /// The solver's result, with `--solve`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) solve: Option<Solution>,
    /// Break-even rates by class under the baseline.
    pub(crate) indicated_rates: Vec<IndicatedRate>,
    /// Provincial lines (prevention, other) over payroll, left out of the indicated rates.
    pub(crate) provincial_loading: f64,
}

/// The four files.
pub(crate) fn files(
    r: &RatesReport,
    s: &Scenario,
    provenance: &Provenance,
    unit: Unit,
    lang: Lang,
) -> Result<Vec<File>> {
    Ok(vec![
        File::text("rates.json", serde_json::to_string_pretty(r)? + "\n"),
        File::text("rates.csv", csv_text(r)?),
        File::text("rates.md", markdown(r, provenance, unit)),
        File::text(
            "rates.svg",
            chart::standalone(&super::document::rates_by_year_chart(r, provenance, lang)?)?,
        ),
        File::text(
            "report.html",
            super::document::rates(s, r, provenance, unit, lang)?.render()?,
        ),
    ])
}

fn csv_text(r: &RatesReport) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["candidate", "year", "measure", "value", "se"])?;
    let num = |v: f64| {
        if v.is_finite() {
            format!("{v:.6}")
        } else {
            String::new()
        }
    };
    for c in &r.candidates {
        for (k, year) in r.years.iter().enumerate() {
            let y = year.to_string();
            w.write_record([
                &c.name,
                &y,
                "breach_probability",
                &num(c.breach_probability[k]),
                &num(c.breach_probability_se[k]),
            ])?;
            let d = &c.difference_by_year[k];
            w.write_record([
                &c.name,
                &y,
                "difference_from_baseline",
                &num(d.difference),
                &num(d.se),
            ])?;
        }
        let all = "horizon";
        let rows: [(&str, f64, f64); 7] = [
            (
                "breach_probability_any",
                c.breach_probability_any,
                c.breach_probability_any_se,
            ),
            (
                "difference_any_from_baseline",
                c.difference_any.difference,
                c.difference_any.se,
            ),
            (
                "lowest_reserve_months_mean",
                c.lowest_reserve_months_mean.unwrap_or(f64::NAN),
                f64::NAN,
            ),
            (
                "lowest_reserve_months_p5",
                c.lowest_reserve_months_p5.unwrap_or(f64::NAN),
                f64::NAN,
            ),
            (
                "closing_balance_last_year",
                c.closing_balance_horizon,
                f64::NAN,
            ),
            ("premiums_total_a_year", c.premiums_total, f64::NAN),
            ("multiplier_volatility", c.multiplier_volatility, f64::NAN),
        ];
        for (measure, v, se) in rows {
            w.write_record([c.name.as_str(), all, measure, &num(v), &num(se)])?;
        }
        for (i, class) in r.classes.iter().enumerate() {
            let rows = [
                ("premiums_a_year", c.premiums_by_class[i]),
                ("premiums_change_a_year", c.premiums_change_by_class[i]),
                ("premiums_change_pct", c.premiums_change_pct_by_class[i]),
            ];
            for (measure, v) in rows {
                w.write_record([
                    c.name.as_str(),
                    all,
                    &format!("{measure}:{class}"),
                    &num(v),
                    "",
                ])?;
            }
        }
    }
    Ok(String::from_utf8(
        w.into_inner().map_err(|e| anyhow!("{e}"))?,
    )?)
}

/// A probability as a person says it: "about 1 in 4" or "under 1 in 1,000".
fn chance(p: f64) -> String {
    if p <= 0.0 {
        "nil in these paths".into()
    } else if p < 0.001 {
        "under 1 in 1,000".into()
    } else if p >= 0.5 {
        format!("{:.0} %", p * 100.0)
    } else {
        format!("about 1 in {:.0}", 1.0 / p)
    }
}

fn markdown(r: &RatesReport, provenance: &Provenance, unit: Unit) -> String {
    let mut md = String::new();
    let u = unit.label();
    let money = |v: f64| grouped(unit.scale(v), 2);
    let (first, last) = (r.years[0], r.years[r.years.len() - 1]);
    let rule = r.reserve_rule_months;
    let _ = writeln!(
        md,
        "# Benchmark-rate schedules for {}\n",
        markdown_text(r.run.identity.title)
    );
    let _ = writeln!(
        md,
        "{}.\n\n{first}–{last}; every schedule runs on the same paths, so differences are paired. \
         A breach is a December whose reserve covers fewer than {rule} months of payments (the 12-month rule). Amounts in {u}.\n",
        provenance.describe(super::labels::Lang::En)
    );
    let base = &r.candidates[0];
    let _ = writeln!(
        md,
        "**{}** ({}): the chance that reserves fall below {rule} months at least once by {last} is {} ({:.1} % ± {:.1}). \
         Employers pay {} {u} a year on average over {first}–{last}; {}; \
         the balance at the end of {last} averages {} {u}.\n",
        base.name,
        base.description,
        chance(base.breach_probability_any),
        base.breach_probability_any * 100.0,
        base.breach_probability_any_se * 100.0,
        money(base.premiums_total),
        match (
            base.lowest_reserve_months_mean,
            base.lowest_reserve_months_p5
        ) {
            (Some(mean), Some(p5)) => format!(
                "the lowest December reserve averages {mean:.1} months (5 % of paths: {p5:.1} or less)"
            ),
            _ =>
                "no path pays anything, so there are no months of payments to count the reserve in"
                    .to_string(),
        },
        money(base.closing_balance_horizon),
    );
    for c in r.candidates.iter().skip(1) {
        let d = &c.difference_any;
        let direction = if d.difference < 0.0 {
            "lower"
        } else {
            "higher"
        };
        let mut classes: Vec<(usize, f64)> = c
            .premiums_change_by_class
            .iter()
            .copied()
            .enumerate()
            .collect();
        classes.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        let top: Vec<&str> = classes
            .iter()
            .take(2)
            .map(|(i, _)| r.classes[*i].as_str())
            .collect();
        let pays = if c.premiums_change_total >= 0.0 {
            "more"
        } else {
            "less"
        };
        let _ = writeln!(
            md,
            "**{}** ({}): the chance of a breach by {last} becomes {} ({:.1} % ± {:.1}), {:.1} points {direction} than the baseline \
             (paired standard error {:.1}). Employers pay {} {u} {pays} a year on average over {first}–{last} ({:+.1} %), most of it in {}. \
             The rate level (policy multiplier × schedule) moves by {:.3} a year on average (baseline {:.3}).\n",
            c.name,
            c.description,
            chance(c.breach_probability_any),
            c.breach_probability_any * 100.0,
            c.breach_probability_any_se * 100.0,
            d.difference.abs() * 100.0,
            d.se * 100.0,
            money(c.premiums_change_total.abs()),
            c.premiums_change_pct,
            top.join(" and "),
            c.multiplier_volatility,
            base.multiplier_volatility,
        );
    }
    if let Some(s) = &r.solve {
        let what = if s.by == "class" {
            "multiple of the indicated rates (each class's rate held to its floating band)"
        } else {
            "uniform multiplier on the benchmark rates"
        };
        let sentence = match s.binding {
            "target" | "band" => format!(
                "The smallest {what} that keeps the chance of a breach by {last} at or under {:.1} % is **{:.3}** \
                 (achieved {:.1} % ± {:.1}); {:.3} does not (bisection to {}).{}",
                s.target * 100.0,
                s.multiplier,
                s.achieved * 100.0,
                s.achieved_se * 100.0,
                s.below.unwrap_or(f64::NAN),
                s.tolerance,
                if s.binding == "band" {
                    " Some classes are held at the edge of their floating band."
                } else {
                    ""
                }
            ),
            "floor" => format!(
                "Even the lowest {what} searched, {:.3}, keeps the chance of a breach at or under {:.1} % (achieved {:.1} %).",
                s.multiplier,
                s.target * 100.0,
                s.achieved * 100.0
            ),
            _ => format!(
                "No {what} up to {:.3} brings the chance of a breach under {:.1} %: there it is still {:.1} % ± {:.1}.",
                s.multiplier,
                s.target * 100.0,
                s.achieved * 100.0,
                s.achieved_se * 100.0
            ),
        };
        let _ = writeln!(md, "## Solver\n\n{sentence}\n");
        let mut table = Table::new(&[
            ("class", Align::Left),
            ("multiplier on the benchmark", Align::Right),
            ("new benchmark", Align::Right),
        ]);
        for ((class, m), ir) in r
            .classes
            .iter()
            .zip(&s.class_multipliers)
            .zip(&r.indicated_rates)
        {
            table.row(vec![
                class.clone(),
                format!("{m:.3}"),
                format!("{:.3} %", ir.benchmark * m * 100.0),
            ]);
        }
        md += &table.markdown();
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "## Indicated rates (以支定收)\n");
    let _ = writeln!(
        md,
        "Expected cost of each class's cases and stocks over {first}–{last}, divided by its expected payroll (the break-even rate), \
         beside the benchmark and what employers of the class were collected in {first} (premiums over payroll, after floating \
         factors, schedule, policy and the collection rate). The provincial lines (prevention, other expenditure) add {:.3} % of \
         payroll for every class on top of the indicated rates.{}\n",
        r.provincial_loading * 100.0,
        if r.a_class_without_payroll() {
            " A class without payroll has no rate to compute (\"—\")."
        } else {
            ""
        }
    );
    let collected = format!("collected in {first}");
    let mut table = Table::new(&[
        ("class", Align::Left),
        ("benchmark", Align::Right),
        (collected.as_str(), Align::Right),
        ("indicated", Align::Right),
    ]);
    for i in &r.indicated_rates {
        table.row(vec![
            i.class.clone(),
            format!("{:.3} %", i.benchmark * 100.0),
            or_dash(i.collected, |v| format!("{:.3} %", v * 100.0)),
            or_dash(i.indicated, |v| format!("{:.3} %", v * 100.0)),
        ]);
    }
    md += &table.markdown();
    md
}

/// The console summary of `fundsim rates`.
pub(crate) fn console(r: &RatesReport, provenance: &Provenance, unit: Unit) -> String {
    let last = r.years[r.years.len() - 1];
    let mut out = format!(
        "{}; P(any breach by {last}), premiums in {} a year:\n",
        provenance.describe(super::labels::Lang::En),
        unit.label()
    );
    let mut t = Table::new(&[
        ("schedule", Align::Left),
        ("P(breach)", Align::Right),
        ("se", Align::Right),
        ("vs baseline", Align::Right),
        ("paired se", Align::Right),
        ("premiums", Align::Right),
    ]);
    for e in &r.candidates {
        t.row(vec![
            e.name.clone(),
            format!("{:.1} %", e.breach_probability_any * 100.0),
            format!("{:.1}", e.breach_probability_any_se * 100.0),
            format!("{:+.1} points", e.difference_any.difference * 100.0),
            format!("{:.1}", e.difference_any.se * 100.0),
            super::format::signed(unit.scale(e.premiums_change_total), 2),
        ]);
    }
    out.push_str(&t.render());
    if let Some(sol) = &r.solve {
        let _ = writeln!(
            out,
            "  solve ({}): multiplier {:.3} gives {:.1} % ± {:.1} (target {:.1} %, binding: {})",
            sol.by,
            sol.multiplier,
            sol.achieved * 100.0,
            sol.achieved_se * 100.0,
            sol.target * 100.0,
            sol.binding
        );
    }
    out
}

impl RatesReport<'_> {
    /// Whether a class has no payroll, and so no collected or indicated
    /// rate: the pages then say why its cells hold "—".
    pub(crate) fn a_class_without_payroll(&self) -> bool {
        self.indicated_rates
            .iter()
            .any(|i| i.indicated.is_none() || i.collected.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Probabilities read as a committee would say them.
    #[test]
    fn chances_in_words() {
        assert_eq!(chance(0.25), "about 1 in 4");
        assert_eq!(chance(0.05), "about 1 in 20");
        assert_eq!(chance(0.0), "nil in these paths");
        assert_eq!(chance(0.0004), "under 1 in 1,000");
        assert_eq!(chance(0.62), "62 %");
    }
}
