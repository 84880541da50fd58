//! `berth network …`: the network noun and its verbs.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;

pub mod connect;
pub mod create;
pub mod exists;
pub mod inspect;
pub mod ls;
pub mod prune;
pub mod rm;

/// `berth network` subcommands.
#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// Create a network
    Create(create::CreateArgs),
    /// List networks
    #[command(visible_alias = "list")]
    Ls(ls::LsArgs),
    /// Show details of networks
    Inspect(inspect::InspectArgs),
    /// Remove networks
    #[command(visible_alias = "remove")]
    Rm(rm::RmArgs),
    /// Remove every network without containers
    Prune(prune::PruneArgs),
    /// Check whether a network exists (exit 0) or not (exit 1)
    Exists(exists::ExistsArgs),
    /// Connect a container to a network
    Connect(connect::ConnectArgs),
    /// Disconnect a container from a network it was connected to
    Disconnect(connect::DisconnectArgs),
}

pub fn dispatch(ctx: &Context, c: NetworkCommand) -> Result<ExitCode> {
    match c {
        NetworkCommand::Create(a) => create::run(ctx, a),
        NetworkCommand::Ls(a) => ls::run(ctx, a),
        NetworkCommand::Inspect(a) => inspect::run(ctx, a),
        NetworkCommand::Rm(a) => rm::run(ctx, a),
        NetworkCommand::Prune(a) => prune::run(ctx, a),
        NetworkCommand::Exists(a) => exists::run(ctx, a),
        NetworkCommand::Connect(a) => connect::run(ctx, a),
        NetworkCommand::Disconnect(a) => connect::run_disconnect(ctx, a),
    }
}
