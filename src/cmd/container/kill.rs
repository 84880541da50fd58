//! `berth kill`: send a signal to running containers.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::container::report_each;
use crate::context::Context;
use crate::ops::{self, KillOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth kill web\n  berth kill -s HUP web\n  berth kill --signal 10 web db"
)]
pub struct KillArgs {
    /// Signal to send: a name (SIGHUP, HUP) or a number (1)
    #[arg(short, long, value_name = "SIGNAL", default_value = "KILL")]
    pub signal: String,
    /// The containers, by name or id
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

/// Prints each container signalled, reports every failure, and exits 125 if any failed.
pub fn run(ctx: &Context, a: KillArgs) -> Result<ExitCode> {
    let signal = ops::parse_signal(&a.signal)?;
    let results = ops::kill(
        ctx,
        &KillOptions {
            targets: a.containers,
            signal,
        },
    )?;
    report_each(results)
}
