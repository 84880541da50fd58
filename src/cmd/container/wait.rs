//! `berth wait`: wait for containers and print each one's exit code.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::ops::{self, WaitCondition, WaitOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth wait job\n  berth wait --condition running web && echo up"
)]
pub struct WaitArgs {
    /// What to wait for: stopped or exited (the container is not running nor restarting;
    /// prints its exit code), or running (prints -1, as Podman)
    #[arg(long, value_name = "CONDITION", default_value = "stopped")]
    pub condition: String,
    /// The containers, by name or id
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

/// Prints each exit code in order, reports every failure, and exits 125 if any failed.
pub fn run(ctx: &Context, a: WaitArgs) -> Result<ExitCode> {
    let condition = WaitCondition::parse(&a.condition)?;
    let results = ops::wait(
        ctx,
        &WaitOptions {
            targets: a.containers,
            condition,
        },
    )?;
    super::report_each(results)
}
