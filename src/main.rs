//! The `fundsim` binary: parses the command line, calls [`fundsim::run`],
//! prints any error's chain and exits with 0 (success), 2 (bad input) or 1
//! (anything else). A panic is reported as an internal error, exit code 1.
//! Nothing here panics when stderr cannot be written (a full disk, a closed
//! pipe): the message is lost and the exit code is kept.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// Writes a line to stderr, ignoring a stderr that cannot be written.
fn say(text: std::fmt::Arguments) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn main() -> ExitCode {
    let cli = match fundsim::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    std::panic::set_hook(Box::new(|info| {
        say(format_args!(
            "error: internal error, please report it: {info}"
        ));
    }));
    match std::panic::catch_unwind(|| fundsim::run(cli)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            say(format_args!("error: {e:#}"));
            ExitCode::from(e.exit_code())
        }
        Err(_) => ExitCode::from(1),
    }
}
