//! Why an input file cannot be used: [`InputError`], every message in the
//! user's words, naming the file, the line or field, the value and what is
//! allowed. All of them are bad input (exit code 2).

use super::shard::ShardProblem;
use crate::model::check::Problem;
use std::fmt;

/// An input file (scenario, overlay, schedule, actuals, shard) that cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum InputError {
    /// The file could not be read.
    #[error("cannot read {what} {path}: {source}")]
    Read {
        /// What the file is, for example "scenario".
        what: &'static str,
        /// The path given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not UTF-8 text.
    #[error(
        "{source_name}:{line}: the file is not UTF-8 text: byte {byte} (counting from 0) is not valid UTF-8; save it as UTF-8"
    )]
    Encoding {
        /// Where the text came from.
        source_name: String,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 0-based offset of the first bad byte in the file.
        byte: usize,
    },
    /// The file is empty.
    #[error("{source_name}: the {what} file is empty{hint}")]
    Empty {
        /// Where the text came from.
        source_name: String,
        /// What the file is.
        what: &'static str,
        /// Where to start from, if anywhere.
        hint: &'static str,
    },
    /// The TOML is broken, a field is unknown or has the wrong type.
    #[error("{source_name}:{line}:{column}: {field}{message}")]
    Parse {
        /// Where the text came from.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Field path, followed by ": " (empty when unknown).
        field: String,
        /// What the parser said.
        message: String,
    },
    /// Values are out of range or inconsistent.
    #[error("{source_name}: {} problem{} in the {what}:\n{}", problems.len(), if problems.len() == 1 { "" } else { "s" }, ProblemList(problems))]
    Invalid {
        /// Where the text came from.
        source_name: String,
        /// What the file is.
        what: &'static str,
        /// Every problem found.
        problems: Vec<Problem>,
    },
    /// A CSV file (actuals) with bad rows.
    #[error("{0}")]
    Rows(String),
    /// A shard folder that cannot be merged.
    #[error("shard {dir}: {problem}")]
    Shard {
        /// The folder.
        dir: String,
        /// What is wrong.
        problem: ShardProblem,
    },
}

struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  {p}")?;
        }
        Ok(())
    }
}
