//! `berth stop`: stop running containers (the stop signal, then SIGKILL).

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::container::report_each;
use crate::context::Context;
use crate::ops::{self, StopOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth stop web\n  berth stop -t 0 web db\n  berth stop --time 30 slow-to-quit"
)]
pub struct StopArgs {
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

/// Prints each container stopped, reports every failure, and exits 125 if any failed.
pub fn run(ctx: &Context, a: StopArgs) -> Result<ExitCode> {
    let results = ops::stop(
        ctx,
        &StopOptions {
            targets: a.containers,
            timeout: a.time,
        },
    )?;
    report_each(results)
}
