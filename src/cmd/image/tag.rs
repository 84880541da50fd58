//! `berth tag` and `berth untag`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::ops;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth tag busybox mybox:1\n  berth tag busybox localhost:5000/me/busybox:1 quay.io/me/busybox"
)]
pub struct TagArgs {
    /// The image to name, by name or id
    pub source: String,
    /// New names: REPOSITORY, REPOSITORY:TAG or REGISTRY/REPOSITORY:TAG
    #[arg(required = true)]
    pub targets: Vec<String>,
}

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth untag mybox mybox:1\n  berth untag mybox")]
pub struct UntagArgs {
    /// The image, by name or id
    pub image: String,
    /// Names to remove (all of the image's names when none are given)
    pub names: Vec<String>,
}

pub fn run(ctx: &Context, a: TagArgs) -> Result<ExitCode> {
    ops::tag(ctx, &a.source, &a.targets)?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_untag(ctx: &Context, a: UntagArgs) -> Result<ExitCode> {
    ops::untag(ctx, &a.image, &a.names)?;
    Ok(ExitCode::SUCCESS)
}
