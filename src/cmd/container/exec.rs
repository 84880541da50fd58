//! `berth exec`: run a command in a running container.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::ops::{self, ExecOptions};

#[derive(Debug, Args)]
#[command(
    trailing_var_arg = true,
    after_long_help = "The command joins every namespace of the container and runs with the same capabilities, \
seccomp filter, no_new_privs and rlimits as the container's own process; its exit code is the command's \
(126: cannot be run, 127: not found, 125: berth failed, 128+N: killed by signal N).\n\n\
Examples:\n  berth exec web ps\n  berth exec -it web sh\n  berth exec -u nobody -w /tmp -e X=1 web env\n  berth exec -d web touch /tmp/marker"
)]
pub struct ExecArgs {
    /// Run the command in the background and return at once, printing nothing (its output is
    /// discarded; not with -i or -t)
    #[arg(short, long)]
    pub detach: bool,
    /// Pass stdin to the command (without it the command's stdin is /dev/null)
    #[arg(short, long)]
    pub interactive: bool,
    /// Allocate a pseudo-terminal for the command, from the container's own devpts
    #[arg(short, long)]
    pub tty: bool,
    /// User to run as: NAME, UID, NAME:GROUP or UID:GID, from the container's /etc/passwd and
    /// /etc/group (default: the container's user)
    #[arg(short, long, value_name = "USER[:GROUP]")]
    pub user: Option<String>,
    /// Working directory inside the container, which must exist (default: the container's)
    #[arg(short, long, value_name = "DIR")]
    pub workdir: Option<String>,
    /// Set an environment variable over the container's: KEY=VALUE, or KEY to take the host's
    /// value
    #[arg(short, long, value_name = "KEY[=VALUE]")]
    pub env: Vec<String>,
    /// Read environment variables from a file (KEY=VALUE lines, # comments)
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,
    /// Give the command every capability (the container's seccomp filter still applies, as in
    /// Docker)
    #[arg(long)]
    pub privileged: bool,
    /// The container, by name or id
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// The command and its arguments
    #[arg(required = true, allow_hyphen_values = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

pub fn run(ctx: &Context, a: ExecArgs) -> Result<ExitCode> {
    let exit = ops::exec(
        ctx,
        ExecOptions {
            target: a.container,
            command: a.command,
            interactive: a.interactive,
            tty: a.tty,
            detach: a.detach,
            user: a.user,
            workdir: a.workdir,
            env: a.env,
            env_files: a.env_file,
            privileged: a.privileged,
        },
    )?;
    Ok(ExitCode::from(u8::try_from(exit.code()).unwrap_or(255)))
}
