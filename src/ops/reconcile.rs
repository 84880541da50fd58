//! Reconciling records with what really happened when nobody was there to see it (SECURITY.md
//! I12, I13): a `--rm` container whose process is gone while its state still says running
//! (the host went down, or the berth that ran it was SIGKILLed) has no one left to remove it.

use crate::context::Context;
use crate::storage::Store;
use crate::storage::container::{self as records, ContainerConfig, ContainerId};

/// Removes `--rm` container `id` if its process vanished unseen and nobody holds its lock.
/// Returns whether it is gone. Failures are warnings: the caller goes on showing it.
pub fn reap_vanished(
    ctx: &Context,
    store: &Store,
    id: &ContainerId,
    config: &ContainerConfig,
) -> bool {
    let dirs = store.containers();
    let lock = match dirs.try_lock(id) {
        Ok(Some(l)) => l,
        Ok(None) => return !dirs.dir(id).exists(),
        Err(e) => {
            log::warn!("container {}: {e:#}", id.short());
            return false;
        }
    };
    // Looked at again under the lock: a start may have run it meanwhile.
    let state = dirs.read_state(id);
    if state.status != records::Status::Running || state.is_alive(&records::boot_id()) {
        return false;
    }
    // The cgroup the berth that ran it (killed too) could not remove: its processes are gone.
    if let Some(c) = &state.cgroup
        && let Err(e) = c.remove()
    {
        log::warn!("container {}: {e:#}", id.short());
    }
    let removed = super::container::remove(store, id, config);
    drop(lock);
    match removed {
        Ok(()) => {
            super::container_event(ctx, "remove", id, config, &[]);
            true
        }
        Err(e) => {
            log::warn!(
                "removing --rm container {} whose process is gone: {e:#}",
                id.short()
            );
            false
        }
    }
}
