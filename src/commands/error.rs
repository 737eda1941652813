//! Why a command failed, and the exit code that follows: 2 for bad input
//! (arguments, input files, an output folder that is someone else's), 1
//! for anything else (the environment: a disk that cannot be written).

use crate::input::InputError;
use crate::report::OutputError;
use crate::stats::paths::OutOfRange;
use std::fmt;

/// Why a command failed; decides the exit code.
#[derive(Debug)]
pub struct Error(Kind);

#[derive(Debug, thiserror::Error)]
enum Kind {
    /// An input file that cannot be used (exit code 2).
    #[error(transparent)]
    Input(InputError),
    /// Bad arguments (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// Outputs that cannot be written (exit code 2 when the folder is
    /// refused, 1 when the file system fails).
    #[error(transparent)]
    Output(OutputError),
    /// Anything else (exit code 1).
    #[error(transparent)]
    Other(anyhow::Error),
}

impl Error {
    /// Bad arguments, in the user's words.
    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error(Kind::Usage(message.into()))
    }

    /// The process exit code: 2 for bad input, 1 otherwise.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match &self.0 {
            Kind::Input(_) | Kind::Usage(_) | Kind::Output(OutputError::Refused(_)) => 2,
            Kind::Output(OutputError::Io { .. }) | Kind::Other(_) => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.0)
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Error {
        Error(Kind::Input(e))
    }
}

impl From<OutputError> for Error {
    fn from(e: OutputError) -> Error {
        Error(Kind::Output(e))
    }
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Error {
        // a path out of range follows from the scenario: bad input
        if let Some(out) = e.downcast_ref::<OutOfRange>() {
            return Error::usage(out.to_string());
        }
        Error(Kind::Other(e))
    }
}
