//! `berth container …` and the top-level verbs Docker has for containers (`create`, `start`,
//! `rm`, `run`, `exec`, `top`, `stop`, `kill`, `restart`, `wait`, `pause`, `unpause`,
//! `attach`, `rename`, `port`).

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use crate::cmd::{print, print_error};
use crate::context::Context;

pub mod attach;
pub mod create;
pub mod exec;
pub mod exists;
pub mod kill;
pub mod logs;
pub mod pause;
pub mod port;
pub mod prune;
pub mod ps;
pub mod rename;
pub mod restart;
pub mod rm;
pub mod start;
pub mod stats;
pub mod stop;
pub mod top;
pub mod update;
pub mod wait;

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
    /// Run a command in a running container
    Exec(exec::ExecArgs),
    /// Show the processes of a running container
    Top(top::TopArgs),
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
    /// Stop running containers
    Stop(stop::StopArgs),
    /// Send a signal to running containers
    Kill(kill::KillArgs),
    /// Restart containers
    Restart(restart::RestartArgs),
    /// Wait for containers to stop and print their exit codes
    Wait(wait::WaitArgs),
    /// Pause all processes in containers
    Pause(pause::PauseArgs),
    /// Unpause paused containers
    Unpause(pause::PauseArgs),
    /// Attach to a running container's output (and input)
    Attach(attach::AttachArgs),
    /// Show what containers use: CPU, memory, network and block I/O, processes
    Stats(stats::StatsArgs),
    /// Change containers' resource limits and restart policy
    Update(update::UpdateArgs),
}

pub fn dispatch(ctx: &Context, c: ContainerCommand) -> Result<ExitCode> {
    match c {
        ContainerCommand::Create(a) => create::run(ctx, *a),
        ContainerCommand::Start(a) => start::run(ctx, a),
        ContainerCommand::Rm(a) => rm::run(ctx, a),
        ContainerCommand::Logs(a) => logs::run(ctx, a),
        ContainerCommand::Ls(a) => ps::run(ctx, a),
        ContainerCommand::Run(a) => super::run::run(ctx, *a),
        ContainerCommand::Exec(a) => exec::run(ctx, a),
        ContainerCommand::Top(a) => top::run(ctx, a),
        ContainerCommand::Inspect(a) => super::inspect::run_container(ctx, a),
        ContainerCommand::Rename(a) => rename::run(ctx, a),
        ContainerCommand::Prune(a) => prune::run(ctx, a),
        ContainerCommand::Exists(a) => exists::run(ctx, a),
        ContainerCommand::Port(a) => port::run(ctx, a),
        ContainerCommand::Stop(a) => stop::run(ctx, a),
        ContainerCommand::Kill(a) => kill::run(ctx, a),
        ContainerCommand::Restart(a) => restart::run(ctx, a),
        ContainerCommand::Wait(a) => wait::run(ctx, a),
        ContainerCommand::Pause(a) => pause::run(ctx, a),
        ContainerCommand::Unpause(a) => pause::run_unpause(ctx, a),
        ContainerCommand::Attach(a) => attach::run(ctx, a),
        ContainerCommand::Stats(a) => stats::run(ctx, a),
        ContainerCommand::Update(a) => update::run(ctx, a),
    }
}

/// Prints each target that worked, reports every failure as `Error: …`, and exits 125 if any
/// failed (Podman's behaviour for multi-target verbs).
pub(crate) fn report_each<T: std::fmt::Display>(results: Vec<Result<T>>) -> Result<ExitCode> {
    let mut failed = false;
    for r in results {
        match r {
            Ok(done) => print(&format!("{done}\n"))?,
            Err(e) => {
                print_error(&e);
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(125)
    } else {
        ExitCode::SUCCESS
    })
}
