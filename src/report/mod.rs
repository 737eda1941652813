//! Everything that writes bytes for a person or another program: the files
//! of each command (one module per command's outputs, each returning
//! [`File`]s), the charts, the console tables, and the one place that puts
//! files on disk ([`output_dir`]). Units, number formatting, labels and the
//! provenance header each live in one module, used by all of them.

pub(crate) mod backtest;
pub(crate) mod budget;
pub(crate) mod calibrate;
pub(crate) mod chart;
pub(crate) mod console;
pub(crate) mod document;
pub(crate) mod font;
pub(crate) mod format;
#[cfg(test)]
pub(crate) mod history_csv;
pub(crate) mod html;
pub(crate) mod labels;
pub(crate) mod output_dir;
pub(crate) mod projection;
pub(crate) mod provenance;
pub(crate) mod rates;
pub(crate) mod reverse;
pub(crate) mod scenario_toml;
pub(crate) mod sensitivity;
pub(crate) mod sentences;
pub(crate) mod shard;
pub(crate) mod stress;
pub(crate) mod units;

pub(crate) use output_dir::{File, OutputDir, OutputError, OwnFile};

use crate::model::lines::Line;
use crate::model::scenario::Scenario;

/// The lines a run of `s` shows: every line but those only other sharing
/// schemes move ([`Line::is_scheme_line`]).
pub(crate) fn shown_lines(s: &Scenario) -> Vec<Line> {
    Line::ALL
        .into_iter()
        .filter(|l| s.sharing.scheme.shows(*l))
        .collect()
}
