//! `berth network inspect`: Docker's shape (Name, Id, IPAM.Config, Containers, …).

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::{format, print_error};
use crate::context::Context;
use crate::ops::network;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth network inspect app\n  berth network inspect app --format '{{range .IPAM.Config}}{{.Subnet}}{{end}}'"
)]
pub struct InspectArgs {
    /// Format output with a Go template, or "json"
    #[arg(short, long)]
    pub format: Option<String>,
    /// Networks, by name or id
    #[arg(required = true, value_name = "NETWORK")]
    pub networks: Vec<String>,
}

pub fn run(ctx: &Context, a: InspectArgs) -> Result<ExitCode> {
    let mut found = Vec::new();
    let mut failed = false;
    for r in network::inspect(ctx, &a.networks)? {
        match r {
            Ok(v) => found.push(v),
            Err(e) => {
                print_error(&e);
                failed = true;
            }
        }
    }
    let out = match a.format.as_deref() {
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
