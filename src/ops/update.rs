//! `update`: change a container's resource limits (and restart policy). The change is
//! recorded in its config under its lock, so `inspect` shows it and every later start
//! applies it; on a running container the cgroup's files are written too, first, so that a
//! limit the kernel refuses changes nothing.

use anyhow::{Result, bail};

use crate::context::Context;
use crate::error;
use crate::runtime::cgroup::{self, Controller, ResourceFlags, Resources};
use crate::runtime::freezer;
use crate::storage::Store;
use crate::storage::container::{self as records, RestartPolicy};

/// Options for [`update`].
#[derive(Debug, Default, Clone)]
pub struct UpdateOptions {
    pub targets: Vec<String>,
    pub limits: ResourceFlags,
    /// `--restart`.
    pub restart: Option<String>,
}

/// The controllers whose limits `f` changes, with the flag that names each.
fn changed(f: &ResourceFlags) -> Vec<(&'static str, Controller)> {
    let mut v = Vec::new();
    for (given, flag, c) in [
        (f.memory.is_some(), "--memory", Controller::Memory),
        (f.memory_swap.is_some(), "--memory-swap", Controller::Memory),
        (
            f.memory_reservation.is_some(),
            "--memory-reservation",
            Controller::Memory,
        ),
        (f.cpus.is_some(), "--cpus", Controller::Cpu),
        (f.cpu_shares.is_some(), "--cpu-shares", Controller::Cpu),
        (f.cpu_period.is_some(), "--cpu-period", Controller::Cpu),
        (f.cpu_quota.is_some(), "--cpu-quota", Controller::Cpu),
        (f.cpuset_cpus.is_some(), "--cpuset-cpus", Controller::Cpuset),
        (f.cpuset_mems.is_some(), "--cpuset-mems", Controller::Cpuset),
        (f.pids_limit.is_some(), "--pids-limit", Controller::Pids),
        (f.blkio_weight.is_some(), "--blkio-weight", Controller::Io),
    ] {
        if given {
            v.push((flag, c));
        }
    }
    v
}

/// Updates each target; one result per target (the name as given).
pub fn update(ctx: &Context, opts: &UpdateOptions) -> Result<Vec<Result<String>>> {
    let changes = changed(&opts.limits);
    if changes.is_empty() && opts.restart.is_none() {
        bail!(error::invalid(
            "you must provide one or more flags when using this command"
        ));
    }
    let restart = opts
        .restart
        .as_deref()
        .map(RestartPolicy::parse)
        .transpose()?;
    // Checked once, before any container is touched.
    Resources::default().update(&opts.limits)?;
    let store = Store::open(ctx)?;
    Ok(opts
        .targets
        .iter()
        .map(|t| update_one(ctx, &store, t, &opts.limits, &changes, restart).map(|()| t.clone()))
        .collect())
}

fn update_one(
    ctx: &Context,
    store: &Store,
    target: &str,
    flags: &ResourceFlags,
    changes: &[(&'static str, Controller)],
    restart: Option<RestartPolicy>,
) -> Result<()> {
    let dirs = store.containers();
    let id = dirs.resolve(target)?;
    let _lock = dirs.lock(&id)?;
    let mut config = dirs.read_config(&id)?;
    let mut resources = config.resources.clone();
    resources.update(flags)?;
    if let Some(p) = restart {
        if config.rm && p != RestartPolicy::No {
            bail!(error::invalid(format!(
                "cannot update container {}: a container removed when it exits (--rm) cannot have a restart policy",
                config.name
            )));
        }
        config.restart = p;
    }
    let mut state = dirs.read_state(&id);
    if !changes.is_empty() && state.is_alive(&records::boot_id()) {
        match &mut state.cgroup {
            Some(cg) => {
                let pids = freezer::namespace_pids(state.pid);
                let result = cg.update(&cgroup::detect(), &resources, changes, &pids);
                // A controller added to the cgroup is recorded even if a later write failed,
                // so that it is removed with the rest.
                dirs.write_state(&id, &state)?;
                result?;
            }
            None if resources.ignore_unenforceable => {
                log::warn!(
                    "container {} has no cgroup: the new limits apply from its next start",
                    config.name
                );
            }
            None => {
                // Why it has none: the same check a start makes, with the new limits.
                cgroup::plan(
                    &cgroup::detect(),
                    &super::resources::caller(ctx),
                    &resources,
                    id.as_str(),
                )?;
                bail!(error::invalid(format!(
                    "{}: cannot update container {}: it runs without a cgroup of its own",
                    changes[0].0, config.name
                )));
            }
        }
    }
    config.resources = resources;
    dirs.rewrite_config(&config)
}
