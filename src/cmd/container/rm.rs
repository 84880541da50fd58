//! `berth rm`: remove containers.

use std::process::ExitCode;

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Args;

use crate::context::Context;
use crate::ops::{self, RmOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth rm c1\n  berth rm -f web db\n  berth rm -a\n  berth rm --cidfile /tmp/web.cid"
)]
pub struct RmArgs {
    /// Kill running containers first (SIGKILL)
    #[arg(short, long)]
    pub force: bool,
    /// Remove every container (running ones only with --force)
    #[arg(short, long, conflicts_with_all = ["containers", "cidfile"])]
    pub all: bool,
    /// Remove the container whose id FILE holds (repeatable)
    #[arg(long, value_name = "FILE")]
    pub cidfile: Vec<PathBuf>,
    /// Succeed for containers that do not exist
    #[arg(short, long)]
    pub ignore: bool,
    /// Also remove the container's anonymous volumes (berth creates none yet, so there is
    /// nothing more to remove)
    #[arg(short, long)]
    pub volumes: bool,
    /// Also remove the containers that depend on it (none can yet: berth has no
    /// --network container: or --volumes-from)
    #[arg(long)]
    pub depend: bool,
    /// The containers, by name or id
    #[arg(value_name = "CONTAINER", required_unless_present_any = ["all", "cidfile"])]
    pub containers: Vec<String>,
}

/// Prints each container removed, reports every failure, and exits 125 if any failed.
pub fn run(ctx: &Context, a: RmArgs) -> Result<ExitCode> {
    let mut targets = a.containers;
    for f in &a.cidfile {
        let id = std::fs::read_to_string(f)
            .with_context(|| format!("reading the container id file {}", f.display()))?;
        targets.push(id.trim().to_string());
    }
    if a.all {
        targets = ops::container_ids(ctx)?
            .into_iter()
            .map(|id| id.to_string())
            .collect();
    }
    let results = ops::rm(
        ctx,
        &RmOptions {
            targets,
            force: a.force,
        },
    )?;
    // -i: a container that does not exist is neither printed nor a failure.
    let results = results
        .into_iter()
        .filter(|r| {
            !(a.ignore
                && r.as_ref().is_err_and(|e| {
                    matches!(
                        crate::error::kind_of(e),
                        Some(crate::error::ErrorKind::NotFound(_))
                    )
                }))
        })
        .collect();
    super::report_each(results)
}
