//! `berth network connect` and `berth network disconnect`: add a network to a container, or
//! take one `connect` added away again.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::ops::network;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth network connect back db\n  berth network connect --alias store --ip 10.42.0.50 back db\n  berth network disconnect back db"
)]
pub struct ConnectArgs {
    /// Another name of the container on this network, answered by its DNS server (repeatable)
    #[arg(long, value_name = "ALIAS")]
    pub alias: Vec<String>,
    /// The container's IPv4 address on this network
    #[arg(long, value_name = "IP")]
    pub ip: Option<String>,
    /// The network, by name or id
    pub network: String,
    /// The container, by name or id
    pub container: String,
}

pub fn run(ctx: &Context, a: ConnectArgs) -> Result<ExitCode> {
    network::connect(
        ctx,
        network::ConnectOptions {
            network: a.network,
            container: a.container,
            aliases: a.alias,
            ip: a.ip,
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth network disconnect back db")]
pub struct DisconnectArgs {
    /// Accepted for compatibility (a disconnect never needs forcing)
    #[arg(short, long)]
    pub force: bool,
    /// The network, by name or id
    pub network: String,
    /// The container, by name or id
    pub container: String,
}

pub fn run_disconnect(ctx: &Context, a: DisconnectArgs) -> Result<ExitCode> {
    network::disconnect(ctx, &a.network, &a.container)?;
    Ok(ExitCode::SUCCESS)
}
