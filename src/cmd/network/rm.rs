//! `berth network rm`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::ops::network;

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth network rm back\n  berth network rm -f app")]
pub struct RmArgs {
    /// Also remove the containers on the network (killing running ones)
    #[arg(short, long)]
    pub force: bool,
    /// Networks, by name or id
    #[arg(required = true, value_name = "NETWORK")]
    pub networks: Vec<String>,
}

/// Prints each network removed, reports every failure, and exits 125 if any failed.
pub fn run(ctx: &Context, a: RmArgs) -> Result<ExitCode> {
    crate::cmd::container::report_each(network::rm(ctx, &a.networks, a.force)?)
}
