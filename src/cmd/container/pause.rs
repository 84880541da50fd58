//! `berth pause` and `berth unpause`: freeze and thaw every process of running containers.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::container::report_each;
use crate::context::Context;
use crate::ops::{self, PauseOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Needs a cgroup to freeze the container in: its own cgroup on cgroup v2 (rootless too, where the host delegates a cgroup v2 subtree to the user), or the cgroup v1 freezer as root.\n\nExamples:\n  berth pause web\n  berth pause web db && berth unpause web db"
)]
pub struct PauseArgs {
    /// The containers, by name or id
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

/// Prints each container paused, reports every failure, and exits 125 if any failed.
pub fn run(ctx: &Context, a: PauseArgs) -> Result<ExitCode> {
    report_each(ops::pause(
        ctx,
        &PauseOptions {
            targets: a.containers,
        },
    )?)
}

/// Prints each container unpaused, reports every failure, and exits 125 if any failed.
pub fn run_unpause(ctx: &Context, a: PauseArgs) -> Result<ExitCode> {
    report_each(ops::unpause(
        ctx,
        &PauseOptions {
            targets: a.containers,
        },
    )?)
}
