//! From the flags as typed to each command's validated configuration: every
//! range and combination check of the command line happens here, once.

use super::{
    BacktestArgs, BudgetArgs, CalibrateArgs, LangArg, MeasureArg, MergeArgs, RatesArgs, ReportArgs,
    RunFlags, SensitivityArgs, SimulateArgs, SolveBy, StressArgs, UnitArg, ValidateArgs,
};
use crate::analysis::rates::SolveBounds;
use crate::analysis::sensitivity::Measure;
use crate::commands::{self, Error, RunSettings};
use crate::report::labels::Lang;
use crate::report::units::Unit;
use std::io::IsTerminal;

fn unit(u: Option<UnitArg>) -> Option<Unit> {
    u.map(|u| match u {
        UnitArg::Yuan => Unit::Yuan,
        UnitArg::Wan => Unit::Wan,
        UnitArg::Yi => Unit::Yi,
    })
}

fn lang(l: Option<LangArg>) -> Option<Lang> {
    l.map(|l| match l {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    })
}

fn run_settings(paths: u64, flags: &RunFlags) -> RunSettings {
    RunSettings {
        paths,
        seed: flags.seed,
        threads: flags.threads.map(usize::from),
        progress: !flags.quiet && std::io::stderr().is_terminal(),
    }
}

/// `fundsim validate`.
pub(super) fn validate(a: ValidateArgs) -> commands::validate::Config {
    commands::validate::Config {
        scenario: a.scenario,
        json: a.json,
    }
}

/// `fundsim simulate`: a shard splits Monte Carlo paths of the scenario as
/// it is; the overlay's scale lies in [0, 10].
pub(super) fn simulate(a: SimulateArgs) -> Result<commands::simulate::Config, Error> {
    if a.shard.is_some() && a.deterministic {
        return Err(Error::usage(
            "--shard splits Monte Carlo paths; it cannot be used with --deterministic",
        ));
    }
    if a.shard.is_some() && a.stress.is_some() {
        return Err(Error::usage(
            "--stress cannot be combined with --shard yet: run the stressed scenario whole",
        ));
    }
    if !(a.stress_scale.is_finite() && (0.0..=10.0).contains(&a.stress_scale)) {
        return Err(Error::usage(format!(
            "--stress-scale {}: a scale in [0, 10]",
            a.stress_scale
        )));
    }
    Ok(commands::simulate::Config {
        run: run_settings(a.paths, &a.run),
        stress: a.stress.map(|p| (p, a.stress_scale)),
        scenario: a.scenario,
        deterministic: a.deterministic,
        years: a.years,
        out: a.out,
        shard: a.shard,
        unit: unit(a.unit),
        lang: lang(a.lang),
    })
}

/// `fundsim merge`.
pub(super) fn merge(a: MergeArgs) -> commands::merge::Config {
    commands::merge::Config {
        shards: a.shards,
        out: a.out,
        unit: unit(a.unit),
        lang: lang(a.lang),
    }
}

/// The solver's search range: a multiplier in (0, 10], like a schedule's.
const SOLVE_RANGE: (f64, f64) = (0.0, 10.0);
/// The solver's precision: at least 10⁻⁴, so that a search over the whole
/// range takes at most ⌈log₂(10 / 10⁻⁴)⌉ = 17 runs after its two ends.
const SOLVE_TOLERANCE: (f64, f64) = (1e-4, 1.0);

/// `fundsim rates`: the solver needs min < max within (0, 10] and a
/// tolerance in [0.0001, 1], so that it always ends.
pub(super) fn rates(a: RatesArgs) -> Result<commands::rates::Config, Error> {
    let in_range = |v: f64| v > SOLVE_RANGE.0 && v <= SOLVE_RANGE.1;
    let ok = in_range(a.min)
        && in_range(a.max)
        && a.min < a.max
        && (SOLVE_TOLERANCE.0..=SOLVE_TOLERANCE.1).contains(&a.tolerance);
    if !ok {
        return Err(Error::usage(format!(
            "--min {} --max {} --tolerance {}: need min < max, both multipliers in (0, 10], and a tolerance in [0.0001, 1]",
            a.min, a.max, a.tolerance
        )));
    }
    let by = match a.by {
        SolveBy::Uniform => commands::rates::Solve::Uniform,
        SolveBy::Class => commands::rates::Solve::Class,
    };
    let bounds = SolveBounds {
        min: a.min,
        max: a.max,
        tolerance: a.tolerance,
    };
    Ok(commands::rates::Config {
        run: run_settings(a.paths, &a.run),
        scenario: a.scenario,
        schedules: a.schedules,
        out: a.out,
        solve: a.solve.then_some((by, a.target, bounds)),
        unit: unit(a.unit),
        lang: lang(a.lang),
    })
}

/// `fundsim stress`.
pub(super) fn stress(a: StressArgs) -> commands::stress::Config {
    commands::stress::Config {
        run: run_settings(a.paths, &a.run),
        scenario: a.scenario,
        stresses: a.stresses,
        schemes: a.schemes,
        reverse: a.reverse.map(|p| (p, a.reverse_target)),
        out: a.out,
        unit: unit(a.unit),
        lang: lang(a.lang),
    }
}

/// `fundsim report`.
pub(super) fn report(a: ReportArgs) -> commands::report::Config {
    commands::report::Config {
        run: run_settings(a.paths, &a.run),
        scenario: a.scenario,
        out: a.out,
        unit: unit(a.unit),
        lang: lang(a.lang),
    }
}

/// `fundsim sensitivity`.
pub(super) fn sensitivity(a: SensitivityArgs) -> commands::sensitivity::Config {
    commands::sensitivity::Config {
        run: run_settings(a.paths, &a.run),
        scenario: a.scenario,
        measure: match a.measure {
            MeasureArg::AnyBreach => Measure::AnyBreach,
            MeasureArg::Balance => Measure::Balance,
        },
        out: a.out,
        unit: unit(a.unit),
        lang: lang(a.lang),
    }
}

/// `fundsim budget`.
pub(super) fn budget(a: BudgetArgs) -> commands::budget::Config {
    commands::budget::Config {
        run: run_settings(a.paths, &a.run),
        scenario: a.scenario,
        year: a.year,
        unit: unit(a.unit),
        lang: lang(Some(a.lang)).unwrap_or(Lang::Zh),
        actuals: a.actuals,
        out: a.out,
        csv_bom: a.csv_bom,
    }
}

/// `fundsim calibrate`.
pub(super) fn calibrate(a: CalibrateArgs) -> commands::calibrate::Config {
    commands::calibrate::Config {
        history: a.history,
        by_class: a.by_class,
        by_city: a.by_city,
        base: a.base,
        out: a.out,
    }
}

/// `fundsim backtest`: one origin needs `--from`.
pub(super) fn backtest(a: BacktestArgs) -> Result<commands::backtest::Config, Error> {
    if a.from.is_none() && !a.rolling {
        return Err(Error::usage(
            "backtest needs --from YEAR (the last year the calibration sees), or --rolling for every origin",
        ));
    }
    Ok(commands::backtest::Config {
        run: run_settings(a.paths, &a.run),
        history: a.history,
        base: a.base,
        from: a.from,
        rolling: a.rolling,
        out: a.out,
        unit: unit(a.unit),
        lang: lang(a.lang),
    })
}
