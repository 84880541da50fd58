//! `berth port`: a running container's published ports, as Docker prints them.

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
    /// Only this container port: PORT or PORT/PROTO (tcp, udp)
    #[arg(value_name = "PRIVATE_PORT/PROTO")]
    pub port: Option<String>,
}

pub fn run(ctx: &Context, a: PortArgs) -> Result<ExitCode> {
    let wanted = match &a.port {
        None => None,
        Some(p) => {
            let (num, proto) = p.split_once('/').unwrap_or((p, "tcp"));
            match (num.parse::<u16>(), proto) {
                (Ok(n), "tcp" | "udp") if n > 0 => Some((n, proto.to_string())),
                _ => bail!(error::invalid(format!(
                    "invalid port {p:?}: expected PORT or PORT/PROTO with PROTO tcp or udp"
                ))),
            }
        }
    };
    let ports = ops::container_ports(ctx, &a.container)?;
    let mut out = String::new();
    for p in &ports {
        for (cport, ip, hport) in p.each() {
            let proto = p.proto.as_str();
            match &wanted {
                None => out.push_str(&format!("{cport}/{proto} -> {ip}:{hport}\n")),
                Some((n, pr)) if *n == cport && pr == proto => {
                    out.push_str(&format!("{ip}:{hport}\n"))
                }
                Some(_) => {}
            }
        }
    }
    if let Some((n, proto)) = &wanted
        && out.is_empty()
    {
        // Docker: asking for a port that is not published is an error.
        bail!(error::not_found(format!(
            "no public port '{n}/{proto}' published for {}",
            a.container
        )));
    }
    crate::cmd::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
