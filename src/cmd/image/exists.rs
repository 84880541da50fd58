//! `berth image exists`: exit 0 when the image exists, 1 when not, no output.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::ops;

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth image exists busybox && echo present")]
pub struct ExistsArgs {
    /// The image, by name or id
    pub image: String,
}

pub fn run(ctx: &Context, a: ExistsArgs) -> Result<ExitCode> {
    Ok(if ops::exists(ctx, &a.image)? {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
