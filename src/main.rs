//! The `berth` binary: parse the command line, resolve the context, dispatch, map the result to
//! an exit code. The only place that calls `process::exit` (STYLE.md 1).

#![allow(clippy::print_stderr)]

use std::process::ExitCode;

fn main() -> ExitCode {
    berth::cmd::main()
}
