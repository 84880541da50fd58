//! `berth inspect`: containers and images, Docker's JSON; `berth container inspect`.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use serde_json::Value as Json;

use crate::cmd::{format, print_error};
use crate::context::Context;
use crate::error;
use crate::ops::{self, InspectContainerOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Without --type, each name is looked up as a container first, then as an image.\n\nExamples:\n  berth inspect web\n  berth inspect --format '{{.State.Running}} {{.State.Pid}}' web\n  berth inspect --type image busybox"
)]
pub struct InspectArgs {
    /// Format output with a Go template, or "json"
    #[arg(short, long)]
    pub format: Option<String>,
    /// Only objects of this kind: container or image
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Add the container's sizes (SizeRw, SizeRootFs)
    #[arg(short, long)]
    pub size: bool,
    /// Containers or images, by name or id
    #[arg(required = true, value_name = "NAME")]
    pub targets: Vec<String>,
}

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth container inspect web\n  berth container inspect -f '{{.State.Status}} {{.State.ExitCode}}' web"
)]
pub struct ContainerInspectArgs {
    /// Format output with a Go template, or "json"
    #[arg(short, long)]
    pub format: Option<String>,
    /// Add the container's sizes (SizeRw, SizeRootFs)
    #[arg(short, long)]
    pub size: bool,
    /// Containers, by name or id
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

/// What one target is looked up as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Container,
    Image,
    Any,
}

pub fn run(ctx: &Context, a: InspectArgs) -> Result<ExitCode> {
    let kind = match a.kind.as_deref() {
        None => Kind::Any,
        Some("container") => Kind::Container,
        Some("image") => Kind::Image,
        Some(other) => bail!(error::invalid(format!(
            "invalid --type {other:?}: berth inspects \"container\" and \"image\""
        ))),
    };
    inspect(ctx, kind, a.targets, a.size, a.format.as_deref())
}

/// `image inspect`: images only.
pub fn images(ctx: &Context, targets: Vec<String>, template: Option<&str>) -> Result<ExitCode> {
    inspect(ctx, Kind::Image, targets, false, template)
}

pub fn run_container(ctx: &Context, a: ContainerInspectArgs) -> Result<ExitCode> {
    inspect(
        ctx,
        Kind::Container,
        a.containers,
        a.size,
        a.format.as_deref(),
    )
}

fn inspect(
    ctx: &Context,
    kind: Kind,
    targets: Vec<String>,
    size: bool,
    template: Option<&str>,
) -> Result<ExitCode> {
    let opts = InspectContainerOptions { size };
    let mut found: Vec<Json> = Vec::new();
    let mut failed = false;
    for t in targets {
        let as_container = match kind {
            Kind::Container => true,
            Kind::Image => false,
            Kind::Any => ops::is_container(ctx, &t),
        };
        let result = if as_container {
            ops::inspect_containers(ctx, std::slice::from_ref(&t), &opts)?
        } else {
            ops::inspect(ctx, std::slice::from_ref(&t))?
        };
        for (_, r) in result {
            match r {
                Ok(v) => found.push(v),
                Err(e) if kind == Kind::Any && is_not_found(&e) => {
                    print_error(&error::not_found(format!("no such object: {t}")));
                    failed = true;
                }
                Err(e) => {
                    print_error(&e);
                    failed = true;
                }
            }
        }
    }
    let out = match template {
        None | Some("json") => format::json_pretty(&found),
        Some(f) => format::render_each(f, &found)?,
    };
    crate::cmd::print(&out)?;
    Ok(if failed {
        ExitCode::from(125)
    } else {
        ExitCode::SUCCESS
    })
}

fn is_not_found(e: &anyhow::Error) -> bool {
    matches!(error::kind_of(e), Some(error::ErrorKind::NotFound(_)))
}
