//! `berth network prune`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::context::Context;
use crate::error;
use crate::ops::network;

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth network prune -f")]
pub struct PruneArgs {
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
}

pub fn run(ctx: &Context, a: PruneArgs) -> Result<ExitCode> {
    if !a.force {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            bail!(error::invalid(
                "network prune asks for confirmation and stdin is not a terminal: pass --force"
            ));
        }
        eprint!(
            "WARNING! This will remove all networks not used by at least one container.\nAre you sure you want to continue? [y/N] "
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        stdin.lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let removed = network::prune(ctx)?;
    let mut out = String::new();
    if !removed.is_empty() {
        out.push_str("Deleted Networks:\n");
        for n in &removed {
            out.push_str(&format!("{n}\n"));
        }
    }
    crate::cmd::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
