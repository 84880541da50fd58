//! `berth start -a`: start a container in the foreground.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::cmd::{print, print_error};
use crate::context::Context;
use crate::error;
use crate::ops::{self, Attach};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth create --name c1 busybox echo hi && berth start -a c1\n  berth start -ai shell"
)]
pub struct StartArgs {
    /// Attach to the container's output and exit with its exit code (without it the container
    /// runs in the background under its monitor)
    #[arg(short, long)]
    pub attach: bool,
    /// Attach stdin (the container must have been created with -i)
    #[arg(short, long)]
    pub interactive: bool,
    /// The container, by name or id
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

pub fn run(ctx: &Context, a: StartArgs) -> Result<ExitCode> {
    if !a.attach && !a.interactive {
        // Several at once, each reported (STYLE.md 5); exit 125 if any failed.
        let mut failed = false;
        for target in &a.containers {
            match ops::start_background(ctx, target) {
                Ok(ops::Detached::Started(_)) => print(&format!("{target}\n"))?,
                Ok(ops::Detached::MonitorDone) => return Ok(ExitCode::SUCCESS),
                Err(e) => {
                    print_error(&e);
                    failed = true;
                }
            }
        }
        return Ok(if failed {
            ExitCode::from(125)
        } else {
            ExitCode::SUCCESS
        });
    }
    let [target] = &a.containers[..] else {
        bail!(error::invalid(
            "you cannot start and attach multiple containers at once"
        ));
    };
    let exit = ops::start(
        ctx,
        target,
        Attach {
            stdin: a.interactive,
        },
    )?;
    Ok(ExitCode::from(u8::try_from(exit.code()).unwrap_or(255)))
}
