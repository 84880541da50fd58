//! `berth network exists`: exit 0 when the network exists, 1 when not, no output.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::ops::network;

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth network exists app && echo present")]
pub struct ExistsArgs {
    /// The network, by name or id
    pub network: String,
}

pub fn run(ctx: &Context, a: ExistsArgs) -> Result<ExitCode> {
    Ok(if network::exists(ctx, &a.network)? {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
