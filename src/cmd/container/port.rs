//! `berth port`: a container's published ports (none until published ports exist: berth's
//! networks are `none` and `host`, which publish nothing; `inspect` agrees).

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::context::Context;
use crate::error;
use crate::ops;

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth port web\n  berth port web 80/tcp")]
pub struct PortArgs {
    /// The container, by name or id
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Only this container port: PORT or PORT/PROTO (tcp, udp, sctp)
    #[arg(value_name = "PRIVATE_PORT[/PROTO]")]
    pub port: Option<String>,
}

pub fn run(ctx: &Context, a: PortArgs) -> Result<ExitCode> {
    let id = ops::resolve_container(ctx, &a.container)?;
    if let Some(p) = &a.port {
        let (num, proto) = p.split_once('/').unwrap_or((p, "tcp"));
        if num.parse::<u16>().map_or(true, |n| n == 0) || !matches!(proto, "tcp" | "udp" | "sctp") {
            bail!(error::invalid(format!(
                "invalid port {p:?}: expected PORT or PORT/PROTO with PROTO tcp, udp or sctp"
            )));
        }
        // Docker: asking for a port that is not published is an error.
        bail!(error::not_found(format!(
            "no public port '{num}/{proto}' published for {}",
            id.short()
        )));
    }
    Ok(ExitCode::SUCCESS)
}
