//! `berth load`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::context::Context;
use crate::error;
use crate::ops;
use crate::registry::reference::familiar;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth load -i busybox.tar\n  berth load < busybox.tar\n  podman save busybox | berth load"
)]
pub struct LoadArgs {
    /// Read from a docker-archive or oci-archive file instead of stdin
    #[arg(short, long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Suppress the load output
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(ctx: &Context, a: LoadArgs) -> Result<ExitCode> {
    let stdin = std::io::stdin();
    if a.input.is_none() && stdin.is_terminal() {
        bail!(error::invalid(
            "requested load from stdin, but stdin is a terminal: use --input FILE or redirect stdin"
        ));
    }
    let report = ops::load(ctx, a.input, stdin.lock())?;
    if !a.quiet {
        let mut out = String::new();
        for img in &report.images {
            if img.names.is_empty() {
                out.push_str(&format!("Loaded image ID: {}\n", img.id));
            }
            for n in &img.names {
                out.push_str(&format!("Loaded image: {}\n", familiar(n)));
            }
        }
        crate::cmd::print(&out)?;
    }
    Ok(ExitCode::SUCCESS)
}
