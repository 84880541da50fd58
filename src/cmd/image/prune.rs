//! `berth image prune`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::cmd::format;
use crate::context::Context;
use crate::error;
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
    if !a.force {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            bail!(error::invalid(
                "image prune asks for confirmation and stdin is not a terminal: pass --force"
            ));
        }
        let what = if a.all {
            "all images without at least one container associated to them"
        } else {
            "all dangling images"
        };
        eprint!("WARNING! This will remove {what}.\nAre you sure you want to continue? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        stdin.lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let report = ops::prune(ctx, a.all)?;
    let mut out = String::new();
    if !report.deleted.is_empty() {
        out.push_str("Deleted Images:\n");
        for u in &report.untagged {
            out.push_str(&format!("untagged: {}\n", familiar(u)));
        }
        for d in &report.deleted {
            out.push_str(&format!("deleted: {d}\n"));
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
