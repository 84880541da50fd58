//! `berth start -a`: start a container in the foreground.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::context::Context;
use crate::error;
use crate::ops::{self, Attach};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth create --name c1 busybox echo hi && berth start -a c1\n  berth start -ai shell"
)]
pub struct StartArgs {
    /// Attach to the container's output and exit with its exit code (required for now: a
    /// detached start needs the container monitor, which is not built yet)
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
        bail!(error::invalid(
            "berth start needs -a for now: starting a container in the background needs the container monitor, which is not built yet"
        ));
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
