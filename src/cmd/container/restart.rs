//! `berth restart`: stop containers, then start them again in the background.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::{print, print_error};
use crate::context::Context;
use crate::ops;

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth restart web\n  berth restart -t 0 web db")]
pub struct RestartArgs {
    /// Seconds to wait after the stop signal before SIGKILL (default: the container's
    /// --stop-timeout, else 10; -1 waits forever)
    #[arg(
        short = 't',
        long = "time",
        visible_alias = "timeout",
        value_name = "SECONDS",
        allow_negative_numbers = true
    )]
    pub time: Option<i64>,
    /// The containers, by name or id
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

/// Prints each container restarted, reports every failure, and exits 125 if any failed.
pub fn run(ctx: &Context, a: RestartArgs) -> Result<ExitCode> {
    let mut failed = false;
    for target in &a.containers {
        match ops::restart(ctx, target, a.time) {
            Ok(ops::Detached::Started(_)) => print(&format!("{target}\n"))?,
            // The forked monitor: its container is done for good.
            Ok(ops::Detached::MonitorDone) => return Ok(ExitCode::SUCCESS),
            Err(e) => {
                print_error(&e);
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(125)
    } else {
        ExitCode::SUCCESS
    })
}
