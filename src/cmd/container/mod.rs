//! `berth container …` and the top-level verbs Docker has for containers (`create`, `start`,
//! `rm`, `run`).

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;

pub mod create;
pub mod exists;
pub mod logs;
pub mod port;
pub mod prune;
pub mod ps;
pub mod rename;
pub mod rm;
pub mod start;

/// `berth container SUBCOMMAND`.
#[derive(Debug, Subcommand)]
pub enum ContainerCommand {
    /// Create a container without starting it
    Create(Box<create::CreateCmd>),
    /// Start a created or exited container
    Start(start::StartArgs),
    /// Remove containers
    Rm(rm::RmArgs),
    /// Show a container's output
    Logs(logs::LogsArgs),
    /// List containers
    #[command(visible_aliases = ["list", "ps"])]
    Ls(ps::PsArgs),
    /// Run a command in a new container
    Run(Box<super::run::RunArgs>),
    /// Show details of containers
    Inspect(super::inspect::ContainerInspectArgs),
    /// Rename a container
    Rename(rename::RenameArgs),
    /// Remove all stopped containers
    Prune(prune::PruneArgs),
    /// Exit 0 if a container exists, 1 if not
    Exists(exists::ExistsArgs),
    /// List a container's published ports
    Port(port::PortArgs),
}

pub fn dispatch(ctx: &Context, c: ContainerCommand) -> Result<ExitCode> {
    match c {
        ContainerCommand::Create(a) => create::run(ctx, *a),
        ContainerCommand::Start(a) => start::run(ctx, a),
        ContainerCommand::Rm(a) => rm::run(ctx, a),
        ContainerCommand::Logs(a) => logs::run(ctx, a),
        ContainerCommand::Ls(a) => ps::run(ctx, a),
        ContainerCommand::Run(a) => super::run::run(ctx, *a),
        ContainerCommand::Inspect(a) => super::inspect::run_container(ctx, a),
        ContainerCommand::Rename(a) => rename::run(ctx, a),
        ContainerCommand::Prune(a) => prune::run(ctx, a),
        ContainerCommand::Exists(a) => exists::run(ctx, a),
        ContainerCommand::Port(a) => port::run(ctx, a),
    }
}
