//! `berth top`: the processes of a running container.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::format::tabwriter;
use crate::cmd::print;
use crate::context::Context;
use crate::ops::{self, TopOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Descriptors (Podman's AIX-format ones; AIX codes in parentheses): args (%a), comm (%c), \
etime (%t), group (%G), hgroup, hpid, huser, nice (%n), pcpu (%C), pgid (%r), pid (%p), ppid (%P), rgroup (%g), \
rss, ruser (%u), seccomp, state, time (%x), tty (%y), user (%U), vsz (%z). The default is \
user pid ppid pcpu etime tty time args.\n\n\
PIDs are the container's own, as Podman shows them (Docker shows the host's): use hpid for the host's. \
Everything is read from the host's /proc; nothing runs in the container.\n\n\
Examples:\n  berth top web\n  berth top web pid user args\n  berth top web pid,hpid,etime"
)]
pub struct TopArgs {
    /// The container, by name or id
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Columns to show (separated by spaces or commas)
    #[arg(value_name = "DESCRIPTOR")]
    pub descriptors: Vec<String>,
}

pub fn run(ctx: &Context, a: TopArgs) -> Result<ExitCode> {
    let report = ops::top(
        ctx,
        &TopOptions {
            target: a.container,
            descriptors: a.descriptors,
        },
    )?;
    let mut text = report.headers.join("\t");
    text.push('\n');
    for row in &report.rows {
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    print(&tabwriter::align(&text))?;
    Ok(ExitCode::SUCCESS)
}
