//! `rename` and `container prune`: changing a container's name, removing stopped containers.

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};

use crate::context::Context;
use crate::error::{self, ErrorKind};
use crate::storage::Store;
use crate::storage::container::{self as records, ContainerId};

/// Renames container `target` to `new_name`, running or not. The new name is reserved first
/// (O_EXCL, so it cannot be taken twice), then the record is rewritten, then the old name is
/// released: a crash in between leaves the container reachable by both names, never by none.
pub fn rename(ctx: &Context, target: &str, new_name: &str) -> Result<()> {
    let store = Store::open(ctx)?;
    let dirs = store.containers();
    let id = dirs.resolve(target)?;
    let _lock = dirs.lock(&id)?;
    let mut config = dirs.read_config(&id)?;
    if config.name == new_name {
        bail!(error::invalid(format!(
            "renaming container {new_name:?}: the new name is the old one"
        )));
    }
    let old = config.name.clone();
    dirs.reserve_name(new_name, &id, !config.rm)?;
    config.name = new_name.to_string();
    if let Err(e) = dirs.rewrite_config(&config) {
        let _ = dirs.release_name(new_name, &id);
        return Err(e);
    }
    dirs.release_name(&old, &id)?;
    super::container_event(
        ctx,
        "rename",
        &id,
        &config,
        &[("oldName", format!("/{old}"))],
    );
    Ok(())
}

/// Options for [`prune_containers`].
#[derive(Debug, Default)]
pub struct ContainerPruneOptions {
    /// `until=TIME`: only containers created before TIME; `label=K[=V]` / `label!=K[=V]`.
    pub filters: Vec<String>,
}

/// What [`prune_containers`] removed.
#[derive(Debug, Default)]
pub struct ContainerPruneReport {
    pub deleted: Vec<ContainerId>,
    /// Bytes of the removed containers' writable layers.
    pub reclaimed: u64,
}

/// Removes every container that is not running (and matches the filters). A container that
/// starts meanwhile is left alone; one that cannot be removed is a warning, not a stop.
pub fn prune_containers(
    ctx: &Context,
    opts: &ContainerPruneOptions,
) -> Result<ContainerPruneReport> {
    let now = Utc::now();
    let mut until: Option<DateTime<Utc>> = None;
    let mut labels: Vec<(bool, String, Option<String>)> = Vec::new();
    for f in &opts.filters {
        let bad = || {
            error::invalid(format!(
                "invalid --filter {f:?}: berth knows until=TIME, label=KEY[=VALUE] and label!=KEY[=VALUE]"
            ))
        };
        let (k, v) = f.split_once('=').ok_or_else(bad)?;
        match k {
            "until" => until = Some(super::logs::parse_time(v, now)?),
            "label" | "label!" => {
                let (lk, lv) = match v.split_once('=') {
                    Some((a, b)) => (a.to_string(), Some(b.to_string())),
                    None => (v.to_string(), None),
                };
                labels.push((k == "label", lk, lv));
            }
            _ => return Err(bad()),
        }
    }
    let store = Store::open(ctx)?;
    let dirs = store.containers();
    let boot = records::boot_id();
    let mut report = ContainerPruneReport::default();
    for id in dirs.list() {
        if dirs.read_state(&id).is_alive(&boot) {
            continue;
        }
        let Ok(config) = dirs.read_config(&id) else {
            continue;
        };
        if let Some(u) = until {
            let created = DateTime::parse_from_rfc3339(&config.created)
                .map(|t| t.with_timezone(&Utc))
                .ok();
            if created.is_none_or(|c| c >= u) {
                continue;
            }
        }
        let labelled = labels.iter().all(|(want, k, v)| {
            let has = config
                .labels
                .get(k)
                .is_some_and(|have| v.as_ref().is_none_or(|v| v == have));
            has == *want
        });
        if !labelled {
            continue;
        }
        let size = dirs.upper_size(&id);
        match super::container::rm_one(ctx, &store, id.as_str(), false) {
            Ok(()) => {
                report.deleted.push(id);
                report.reclaimed += size;
            }
            Err(e) if matches!(error::kind_of(&e), Some(ErrorKind::InUse(_))) => {}
            Err(e) if matches!(error::kind_of(&e), Some(ErrorKind::NotFound(_))) => {}
            Err(e) => log::warn!("removing container {}: {e:#}", id.short()),
        }
    }
    Ok(report)
}
