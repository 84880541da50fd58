//! `exec`: one more command in a running container, with the confinement its first one got.
//!
//! Checks every option first (bad input is exit 125 before anything runs), finds the container
//! and checks that its recorded init still runs (pid + start time + boot id, I11), plans the
//! process from the container's record the way `start` does (namespaces, rlimits, capabilities,
//! seccomp, no_new_privs: `container::confinement`), records an `exec_create` event, and hands
//! it to `runtime::exec`. Holds no lock while the command runs (I10) and writes nothing to the
//! store.

use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};

use super::container::confinement;
use crate::context::Context;
use crate::error;
use crate::runtime::exec::{self as runtime, ExecPlan};
use crate::runtime::process::{self, EnvDefaults};
use crate::runtime::spawn::Exit;
use crate::storage::Store;
use crate::storage::container as records;

/// Options for [`exec`].
#[derive(Debug, Default)]
pub struct ExecOptions {
    /// The container, by name or id.
    pub target: String,
    /// The command and its arguments.
    pub command: Vec<String>,
    /// `-i`: pass stdin.
    pub interactive: bool,
    /// `-t`: a terminal.
    pub tty: bool,
    /// `-d`: return once the command runs.
    pub detach: bool,
    /// `-u user[:group]`, resolved in the container (default: the container's user).
    pub user: Option<String>,
    /// `-w`: an absolute path that exists in the container (default: the container's).
    pub workdir: Option<String>,
    /// `-e KEY[=VALUE]`, over the container's environment.
    pub env: Vec<String>,
    pub env_files: Vec<PathBuf>,
    /// `--privileged`: every capability for this process.
    pub privileged: bool,
}

/// Runs `opts.command` in the running container `opts.target` and returns how it exited
/// (`Exit::Code(0)` as soon as it runs with `detach`).
///
/// Errors (exit 125 unless said): bad options; no such container (`ErrorKind::NotFound`);
/// `container NAME is not running`; joining or setting up failed; the command was not found
/// (`ErrorKind::CommandNotFound`, 127) or cannot be run (`CommandNotExecutable`, 126).
/// Leaves an `exec_create` event in the event log. The caller must be single-threaded.
pub fn exec(ctx: &Context, opts: ExecOptions) -> Result<Exit> {
    if opts.command.is_empty() {
        bail!(error::invalid("exec needs a command to run"));
    }
    if opts.detach && (opts.tty || opts.interactive) {
        bail!(error::invalid(
            "--detach cannot be combined with --tty or --interactive: nothing would be attached to them"
        ));
    }
    let user_override = opts.user.as_deref().map(process::parse_user).transpose()?;
    let workdir = opts
        .workdir
        .as_deref()
        .map(|w| process::workdir("", Some(w)))
        .transpose()?;
    let mut env_files = Vec::new();
    for f in &opts.env_files {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("reading env file {}", f.display()))?;
        env_files.extend(process::parse_env_file(&text, |k| ctx.env.lookup(k))?);
    }

    let store = Store::open(ctx)?;
    let dirs = store.containers();
    let id = dirs.resolve(&opts.target)?;
    let config = dirs.read_config(&id)?;
    let state = dirs.read_state(&id);
    if !state.is_alive(&records::boot_id()) {
        bail!(error::invalid(format!(
            "container {} is not running",
            config.name
        )));
    }
    if state.paused {
        // Docker's refusal: the new process would freeze with the rest.
        bail!(error::invalid(format!(
            "container {} is paused, unpause the container before exec",
            config.name
        )));
    }
    let confined = confinement(ctx, &config)?;
    super::events::container_event(ctx, "exec_create", &id, &config, &[]);
    let env = process::merge_env(
        &config.env,
        env_files,
        &opts.env,
        &EnvDefaults {
            hostname: None,
            tty: opts.tty,
        },
        |k| ctx.env.lookup(k),
    )?;
    let maps = if confined.namespaces.in_userns() {
        Some(
            runtime::read_maps(state.pid)
                .with_context(|| format!("reading the id maps of container {}", config.name))?,
        )
    } else {
        None
    };
    let user = match user_override {
        Some(u) => u,
        None => process::parse_user(&config.user)?,
    };
    let plan = ExecPlan {
        cgroup: state.cgroup.clone(),
        pid: state.pid,
        pid_start: state.pid_start,
        via_child: config.init && ctx.rootless,
        namespaces: confined.namespaces,
        maps,
        argv: opts.command,
        env,
        workdir: workdir.unwrap_or(config.workdir),
        user,
        group_add: config.group_add,
        rlimits: confined.rlimits,
        cap_add: confined.cap_add,
        cap_drop: confined.cap_drop,
        privileged: opts.privileged || confined.privileged,
        seccomp: confined.seccomp,
        no_new_privs: confined.no_new_privs,
        tty: opts.tty,
        interactive: opts.interactive,
        detach: opts.detach,
    };
    runtime::exec(&plan).with_context(|| format!("exec in container {}", config.name))
}
