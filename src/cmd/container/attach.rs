//! `berth attach`: connect the terminal to a running detached container.

use std::process::ExitCode;

use anyhow::Result;
use clap::{ArgAction, Args};

use crate::context::Context;
use crate::ops::{self, AttachOptions, AttachReport};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Output goes to stdout and stderr; stdin goes to the container when it was created with -i. Exits with the container's exit code when it ends; ctrl-p ctrl-q (or --detach-keys) detaches and leaves it running.\n\nExamples:\n  berth run -d -it --name shell busybox sh && berth attach shell\n  berth attach --no-stdin --detach-keys ctrl-x web"
)]
pub struct AttachArgs {
    /// Keys that detach: comma-separated, each ctrl-X or one character ("" turns detaching off)
    #[arg(long, value_name = "KEYS", default_value = "ctrl-p,ctrl-q")]
    pub detach_keys: String,
    /// Do not send stdin to the container
    #[arg(long)]
    pub no_stdin: bool,
    /// Forward the signals berth receives (INT, TERM, HUP, QUIT, USR1, USR2) to the container;
    /// not with a terminal, where ctrl-c reaches it through the terminal
    #[arg(long, value_name = "BOOL", action = ArgAction::Set, default_value_t = true,
          num_args = 0..=1, default_missing_value = "true")]
    pub sig_proxy: bool,
    /// The container, by name or id
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

pub fn run(ctx: &Context, a: AttachArgs) -> Result<ExitCode> {
    let report = ops::attach(
        ctx,
        &AttachOptions {
            target: a.container,
            no_stdin: a.no_stdin,
            detach_keys: a.detach_keys,
            sig_proxy: a.sig_proxy,
        },
    )?;
    Ok(match report {
        AttachReport::Detached => ExitCode::SUCCESS,
        AttachReport::Exited(code) => ExitCode::from(u8::try_from(code).unwrap_or(255)),
    })
}
