//! `berth container prune`: remove every stopped container.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::cmd::format;
use crate::context::Context;
use crate::error;
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
    if !a.force {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            bail!(error::invalid(
                "container prune asks for confirmation and stdin is not a terminal: pass --force"
            ));
        }
        eprint!(
            "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] "
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        stdin.lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let report = ops::prune_containers(ctx, &ContainerPruneOptions { filters: a.filters })?;
    let mut out = String::new();
    if !report.deleted.is_empty() {
        out.push_str("Deleted Containers:\n");
        for id in &report.deleted {
            out.push_str(&format!("{id}\n"));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "Total reclaimed space: {}\n",
        format::human_size(report.reclaimed)
    ));
    crate::cmd::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
