//! The examples and the list of files each subcommand's `--help` shows, and
//! the sharing schemes there are (the kinds, and the presets by name from
//! the embedded presets file).

use crate::input::Presets;
use crate::model::sharing;
use std::fmt::Write as _;

/// The sharing schemes: every kind, and every preset with what it does.
fn schemes() -> String {
    let mut out = format!(
        "Scheme kinds (in a scenario's [sharing]): {}.\nPresets by name (--scheme NAME, or [sharing] preset = \"NAME\"; \"scenario\" is the scenario's own):\n",
        sharing::KINDS.join(", ")
    );
    if let Ok(presets) = Presets::embedded() {
        for (name, table) in presets.sharing_presets() {
            let what = table
                .get("description")
                .and_then(|d| d.as_str())
                .unwrap_or_default();
            let _ = writeln!(out, "  {name:<16} {what}");
        }
    }
    out
}

pub(super) fn validate() -> String {
    "Examples:\n  fundsim validate\n  fundsim validate scenarios/tiny.toml\n  fundsim validate scenarios/tiny.toml --json > resolved.json\n\nWrites nothing: prints a summary (or the resolved scenario as JSON) on stdout.".into()
}

pub(super) fn simulate() -> String {
    "Examples:
  fundsim simulate                                   10,000 Monte Carlo paths of the default scenario
  fundsim simulate --paths 100000 --threads 2 --seed 7
  fundsim simulate --deterministic                   expected-value projection
  fundsim simulate scenarios/tiny.toml --deterministic --years 2 --out /tmp/tiny
  fundsim simulate --shard 2/8 --out shards/2        one shard of a run spread over 8 machines
  fundsim simulate --stress scenarios/stress/recession.toml --deterministic

Writes (into --out): summary.json, yearly.csv, by_city.csv, by_sector.csv and report.html;
in Monte Carlo mode also manifest.json, balance_fan.svg, reserve_months_fan.svg,
breach_probability.svg, income_expenditure.svg, city_net.svg; in expected-value mode
monthly.csv. With --shard: manifest.json, scenario.toml, paths.bin.
Money in the data files is in yuan."
        .into()
}

pub(super) fn merge() -> String {
    "Examples:
  fundsim merge shards/1 shards/2 shards/3 --out outputs/jiangxi-2025
  fundsim merge shards/* --out merged

Writes the files of `fundsim simulate` (summary.json, yearly.csv, by_city.csv, by_sector.csv,
manifest.json, the charts and report.html), byte-identical to one run of all the paths."
        .into()
}

pub(super) fn report() -> String {
    "Examples:
  fundsim report
  fundsim report --paths 5000 --lang en --out /tmp/jiangxi-report

Runs, on one seed and the same paths: the projection; the budget draft for the first
projection year; the baseline rate policy against every benchmark rate ×1.1 from that
year; the shipped stress overlays under the scenario's own sharing scheme; and the
sensitivity tornado. Writes report.html (one self-contained file that prints on A4) and
the files its numbers come from (summary.json, yearly.csv, budget.csv, rates.json,
stress.json, sensitivity.json) into outputs/NAME-report."
        .into()
}

pub(super) fn sensitivity() -> String {
    "Examples:
  fundsim sensitivity
  fundsim sensitivity scenarios/tiny.toml --paths 1000 --measure balance

Moves one assumption at a time, down and up, and runs every move on the same paths: the
means of wage growth, employment growth, interest and medical inflation by one standard
deviation; claim frequency, the share of severe outcomes, the stocks' exit hazards, the
opening balance and the benefit indexation by 10 %; the collection rate by one standard
deviation of its shock. Writes sensitivity.json, sensitivity.csv, sensitivity.svg and
report.html into outputs/NAME-sensitivity."
        .into()
}

pub(super) fn rates() -> String {
    "Examples:
  fundsim rates --schedule scenarios/rates/rise-2027.toml
  fundsim rates --schedule a.toml --schedule b.toml --paths 5000
  fundsim rates --solve --target 0.05
  fundsim rates --solve --target 0.05 --by class

A candidate file has a name, a description and [[schedule]] changes (year, multiplier,
benchmark_rates, floating_factors), applied on top of the scenario's own schedule.
Writes rates.json, rates.csv, rates.md, rates.svg and report.html into outputs/NAME-rates."
        .into()
}

pub(super) fn stress() -> String {
    format!(
        "Examples:
  fundsim stress --stress scenarios/stress/recession.toml --stress scenarios/stress/combined.toml
  fundsim stress --stress scenarios/stress/combined.toml --scheme fixed_ratio --scheme responsibility
  fundsim stress --reverse scenarios/stress/claims_surge.toml

Writes stress.json, stress.csv, stress.md, stress.svg, city_reserves.csv and report.html into
outputs/NAME-stress; with --reverse, reverse.json, reverse.md, reverse.svg and report.html into
outputs/NAME-reverse.

{}",
        schemes()
    )
}

pub(super) fn budget() -> String {
    "Examples:
  fundsim budget                         the first projection year, in 万元
  fundsim budget --year 2026 --unit yi --lang en
  fundsim budget --actuals actuals.csv   with an in-year reforecast

Writes budget.csv, budget.md, budget.xlsx, cash_plan.csv and report.html (and
reforecast.csv with --actuals) into outputs/NAME-budget-YEAR. Every table foots exactly."
        .into()
}

pub(super) fn calibrate() -> String {
    "Examples:
  fundsim calibrate scenarios/history/national.csv
  fundsim calibrate my-fund.csv --base scenarios/jiangxi-2025.toml --out outputs/my-fund
  fundsim calibrate my-fund.csv --by-class my-fund-classes.csv --by-city my-fund-cities.csv

Fits the annual drivers (mean, sd and AR(1) persistence, with standard errors carried into
the paths), their innovations' correlation (shrunk toward the identity), the frequency and its
parameter uncertainty, the outcome mix, costs per case, stocks and exit hazards, and the last
history year's levels; with --by-class and --by-city, the class and city tables, frequencies,
risks, mixes and collection rates. Writes scenario.toml (the base's text with every replaced value commented),
calibration.md and calibration.json. A series too short to fit something is named, and that
value is kept from the base. The history format is in docs/history.md."
        .into()
}

pub(super) fn backtest() -> String {
    "Examples:
  fundsim backtest scenarios/history/jiangxi-synthetic.csv --from 2018
  fundsim backtest scenarios/history/national.csv --from 2010 --paths 2000
  fundsim backtest my-fund.csv --rolling --paths 500

Calibrates on the years up to the origin (as fundsim calibrate does), projects the
remaining history years from the state observed at the origin, and places each observed
balance, income, expenditure, injuries, insured and average wage in its simulated
distribution: its PIT and whether it lies in the 50 % and 90 % bands. Writes backtest.csv,
backtest.json, backtest.md (with the verdict), one fan chart per measure and report.html
(the verdict, the coverage, the charts and every value placed, in --lang)."
        .into()
}
