//! `berth rm`: remove containers.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::{print, print_error};
use crate::context::Context;
use crate::ops::{self, RmOptions};

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth rm c1\n  berth rm -f web db")]
pub struct RmArgs {
    /// Kill running containers first (SIGKILL)
    #[arg(short, long)]
    pub force: bool,
    /// The containers, by name or id
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

/// Prints each container removed, reports every failure, and exits 125 if any failed.
pub fn run(ctx: &Context, a: RmArgs) -> Result<ExitCode> {
    let results = ops::rm(
        ctx,
        &RmOptions {
            targets: a.containers,
            force: a.force,
        },
    )?;
    let mut failed = false;
    for r in results {
        match r {
            Ok(name) => print(&format!("{name}\n"))?,
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
