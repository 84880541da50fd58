//! `berth image prune`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::prune;
use crate::context::Context;
use crate::ops;
use crate::registry::reference::familiar;

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth image prune -f\n  berth image prune -a -f")]
pub struct PruneArgs {
    /// Remove all unused images, not just dangling ones
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
}

pub fn run(ctx: &Context, a: PruneArgs) -> Result<ExitCode> {
    let what = if a.all {
        "all images without at least one container associated to them"
    } else {
        "all dangling images"
    };
    if !a.force && !prune::confirm("image prune", what)? {
        return Ok(ExitCode::SUCCESS);
    }
    let report = ops::prune(ctx, a.all)?;
    // Docker lists what was untagged only along with what was deleted.
    let lines: Vec<String> = if report.deleted.is_empty() {
        Vec::new()
    } else {
        (report
            .untagged
            .iter()
            .map(|u| format!("untagged: {}", familiar(u))))
        .chain(report.deleted.iter().map(|d| format!("deleted: {d}")))
        .collect()
    };
    crate::cmd::print(&prune::report("Deleted Images", &lines, report.reclaimed))?;
    Ok(ExitCode::SUCCESS)
}
