//! `berth logs`: a container's output, stdout and stderr kept apart.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::ops::{self, LogsOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth logs web\n  berth logs -f --tail 5 -t web\n  berth logs --since 10s web"
)]
pub struct LogsArgs {
    /// Keep printing new output until the container stops
    #[arg(short, long)]
    pub follow: bool,
    /// Only the last N lines ("all" for every line)
    #[arg(short = 'n', long, value_name = "N")]
    pub tail: Option<String>,
    /// Prefix each line with its time (RFC 3339, nanoseconds)
    #[arg(short, long)]
    pub timestamps: bool,
    /// Only output since TIME (RFC 3339, Unix time, or a duration such as 10m)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only output until TIME
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// The container, by name or id
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

pub fn run(ctx: &Context, a: LogsArgs) -> Result<ExitCode> {
    let tail = match a.tail.as_deref() {
        None | Some("all") => None,
        Some(n) => Some(n.parse::<usize>().map_err(|_| {
            crate::error::invalid(format!("invalid --tail {n:?}: a number or \"all\""))
        })?),
    };
    let opts = LogsOptions {
        target: a.container,
        follow: a.follow,
        tail,
        timestamps: a.timestamps,
        since: a.since,
        until: a.until,
    };
    let (stdout, stderr) = (std::io::stdout(), std::io::stderr());
    ops::logs(ctx, &opts, &mut stdout.lock(), &mut stderr.lock())?;
    Ok(ExitCode::SUCCESS)
}
