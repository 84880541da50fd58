//! The command line: clap definitions, one file per verb, and `dispatch`.
//!
//! No syscalls, no file formats, no locks here (STYLE.md 4).

use std::process::ExitCode;

pub mod format;

/// Runs berth with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    ExitCode::SUCCESS
}
