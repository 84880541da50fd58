//! `berth update` / `berth container update`: change containers' resource limits and restart
//! policy.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::container::report_each;
use crate::cmd::resources::LimitArgs;
use crate::context::Context;
use crate::ops::{self, UpdateOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "A running container's cgroup is changed at once, and the change is recorded so that inspect shows it and later starts apply it; a stopped container's record changes. A limit the host cannot enforce for a running container is an error, as at run.\n\nExamples:\n  berth update --memory 256m --cpus 1 web\n  berth update --pids-limit 500 web db\n  berth update --restart on-failure:3 web"
)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Restart policy: no, on-failure[:MAX-RETRIES], always or unless-stopped
    #[arg(long, value_name = "POLICY")]
    pub restart: Option<String>,
    /// The containers, by name or id
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

/// Prints each container updated, reports every failure, and exits 125 if any failed.
pub fn run(ctx: &Context, a: UpdateArgs) -> Result<ExitCode> {
    report_each(ops::update(
        ctx,
        &UpdateOptions {
            targets: a.containers,
            limits: a.limits.into_flags(),
            restart: a.restart,
        },
    )?)
}
