//! `berth image inspect` / `berth inspect`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth image inspect busybox\n  berth image inspect --format '{{.Config.Cmd}}' busybox\n  berth image inspect --format '{{json .RootFS.Layers}}' busybox"
)]
pub struct InspectArgs {
    /// Format output with a Go template, or "json"
    #[arg(short, long)]
    pub format: Option<String>,
    /// The kind of object: only "image" here (`berth inspect` also finds containers)
    #[arg(long = "type", default_value = "image")]
    pub kind: String,
    /// Images, by name or id
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
}

pub fn run(ctx: &Context, a: InspectArgs) -> Result<ExitCode> {
    if a.kind != "image" {
        anyhow::bail!(crate::error::invalid(format!(
            "invalid --type {:?}: image inspect inspects images; use berth inspect --type container",
            a.kind
        )));
    }
    crate::cmd::inspect::images(ctx, a.images, a.format.as_deref())
}
