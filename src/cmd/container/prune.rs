//! `berth container prune`: remove every stopped container.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::prune;
use crate::context::Context;
use crate::ops::{self, ContainerPruneOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth container prune -f\n  berth container prune -f --filter until=1h --filter label=tmp"
)]
pub struct PruneArgs {
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Only containers matching: until=TIME (created before), label=KEY[=VALUE], label!=KEY[=VALUE]
    #[arg(long = "filter", value_name = "KEY=VALUE")]
    pub filters: Vec<String>,
}

pub fn run(ctx: &Context, a: PruneArgs) -> Result<ExitCode> {
    if !a.force && !prune::confirm("container prune", "all stopped containers")? {
        return Ok(ExitCode::SUCCESS);
    }
    let report = ops::prune_containers(ctx, &ContainerPruneOptions { filters: a.filters })?;
    let lines: Vec<String> = report.deleted.iter().map(|id| id.to_string()).collect();
    crate::cmd::print(&prune::report(
        "Deleted Containers",
        &lines,
        report.reclaimed,
    ))?;
    Ok(ExitCode::SUCCESS)
}
