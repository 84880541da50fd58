//! Reconciling network state with what really happened when nobody was there to see it
//! (SECURITY.md I12): a container whose process and monitor were SIGKILLed (or crashed) ran no
//! teardown, so what its network holds on the host stays — a pasta process still listening on
//! its published ports (Debian 12's pasta does not notice its namespace's end; slirp4netns
//! does, through its exit pipe), the nftables table that forwards its published ports, a host
//! veth — and addresses can be left to containers whose records are gone. The next berth
//! command that looks at such a container (`ps`, `stop`) or touches networking (`network`
//! verbs, `create`/`run` on a network) releases them.
//!
//! The container's record itself is left alone: its state still says running, for `start`,
//! `stop` or `rm` to act on as they do (`ps` shows it exited). A container that still exists
//! keeps its address while it exists, as it does when stopped normally; `--rm` containers are
//! removed whole (`reconcile::reap_vanished`), their addresses with them.

use std::path::Path;

use anyhow::Result;

use crate::context::Context;
use crate::net;
use crate::storage::Store;
use crate::storage::container::{self as records, ContainerConfig, ContainerId, Status};

/// In a container's directory: the run (`PID:START`) whose network leftovers were released,
/// so that each vanished run is dealt with once.
const RELEASED: &str = "network-released";

/// Releases what the network of container `id` still holds on the host when its process and
/// its monitor vanished unseen; nothing for a live, stopped or busy (locked) container.
/// Failures are warnings: the caller goes on with its own work.
pub(super) fn release_vanished(ctx: &Context, store: &Store, id: &ContainerId) {
    let dirs = store.containers();
    let boot = records::boot_id();
    // A cheap look first: most containers are alive or stopped.
    match dirs.try_read_state(id) {
        Ok(Some(s)) if vanished(&s, &boot) => {}
        _ => return,
    }
    let lock = match dirs.try_lock(id) {
        Ok(Some(l)) => l,
        // Another berth holds it: that one deals with the container.
        Ok(None) => return,
        Err(e) => {
            log::warn!("container {}: {e:#}", id.short());
            return;
        }
    };
    // Looked at again under the lock: a start may have run it meanwhile.
    let state = dirs.read_state(id);
    if !vanished(&state, &boot) {
        return;
    }
    let dir = dirs.dir(id);
    let run = format!("{}:{}", state.pid, state.pid_start);
    if std::fs::read_to_string(dir.join(RELEASED)).is_ok_and(|r| r == run) {
        return;
    }
    let Ok(config) = dirs.read_config(id) else {
        return;
    };
    if release_locked(ctx, store, id, &config)
        && let Err(e) =
            crate::storage::atomic::write_file(&dir.join(RELEASED), run.as_bytes(), 0o600)
    {
        log::warn!("{e:#}");
    }
    drop(lock);
}

/// Releases what the network of container `id`, whose process and monitor are gone, holds on
/// the host, for a caller that holds the container's lock (`stop` recording the end of such a
/// container). Failures are warnings; returns whether everything went.
pub(super) fn release_locked(
    ctx: &Context,
    store: &Store,
    id: &ContainerId,
    config: &ContainerConfig,
) -> bool {
    let errors = release(ctx, store, id, config, &store.containers().dir(id));
    for e in &errors {
        log::warn!(
            "releasing the network of container {} whose process is gone: {e}",
            config.name
        );
    }
    errors.is_empty()
}

/// True when `state` says running (or restarting) in this boot while neither the container's
/// process nor its monitor exists: nobody ran its teardown.
fn vanished(state: &records::ContainerState, boot: &str) -> bool {
    matches!(state.status, Status::Running | Status::Restarting)
        && state.boot_id == boot
        && !state.is_active(boot)
}

/// Releases the host side of container `id`'s network; returns the failures.
fn release(
    ctx: &Context,
    store: &Store,
    id: &ContainerId,
    config: &ContainerConfig,
    dir: &Path,
) -> Vec<String> {
    let mut errors = Vec::new();
    match net::Mode::parse(&config.network) {
        Ok(net::Mode::Pasta) => net::pasta::kill_leftover(&dir.join(super::container::PASTA_LOG)),
        // slirp4netns ended by itself with its monitor (its exit pipe); its socket file did not.
        Ok(net::Mode::Slirp4netns) => {
            let _ = std::fs::remove_file(super::container::slirp_socket(ctx, id));
        }
        Ok(net::Mode::Bridge) if !ctx.rootless => {
            // The veths normally go with the container's network namespace.
            let nets = net::network::Networks::new(&store.networks());
            let connected = config.net.connected.iter().filter_map(|c| {
                let n = nets.resolve(&c.network).ok()?;
                Some(net::bridge::connected_veth_name(id.as_str(), &n.id))
            });
            for veth in std::iter::once(net::bridge::host_veth_name(id.as_str())).chain(connected) {
                if Path::new("/sys/class/net").join(&veth).exists()
                    && let Err(e) = net::bridge::delete(&veth)
                {
                    errors.push(format!("{e:#}"));
                }
            }
            if !config.ports.is_empty()
                && net::nft::installed()
                && let Err(e) = net::nft::remove_ports(&net::nft::ports_table_name(id.as_str()))
            {
                errors.push(format!("{e:#}"));
            }
        }
        _ => {}
    }
    errors
}

/// Releases the network leftovers of every vanished container of the store (a `--rm` one is
/// removed whole, as `ps` does), and the addresses held by containers whose records are gone
/// (a berth killed between removing a container's directory and releasing its address). For
/// the commands that touch networking.
pub(super) fn sweep(ctx: &Context, store: &Store) {
    let dirs = store.containers();
    let boot = records::boot_id();
    for id in dirs.list() {
        if !matches!(dirs.try_read_state(&id), Ok(Some(s)) if vanished(&s, &boot)) {
            continue;
        }
        match dirs.read_config(&id) {
            // Nobody is left to remove it: it goes whole, its address included (as ps does).
            Ok(c) if c.rm => {
                super::reconcile::reap_vanished(ctx, store, &id, &c);
            }
            _ => release_vanished(ctx, store, &id),
        }
    }
    let nets = net::network::Networks::new(&store.networks());
    if !store.networks().exists() {
        return;
    }
    let (all, _) = nets.list();
    for n in &all {
        for (ip, owner) in nets.allocations(n) {
            let gone = match ContainerId::parse(&owner) {
                Ok(id) => !dirs.dir(&id).exists(),
                // Not a container id: nothing berth wrote; left alone.
                Err(_) => false,
            };
            if gone && let Err(e) = release_if_still_gone(store, &nets, n, &owner) {
                log::warn!(
                    "releasing address {ip} on network {:?} of removed container {}: {e:#}",
                    n.name,
                    owner.get(..12).unwrap_or(&owner)
                );
            }
        }
    }
}

/// Releases `owner`'s address on `n` if its container directory is (still) gone.
fn release_if_still_gone(
    store: &Store,
    nets: &net::network::Networks,
    n: &net::network::Network,
    owner: &str,
) -> Result<()> {
    let id = ContainerId::parse(owner)?;
    if store.containers().dir(&id).exists() {
        return Ok(());
    }
    nets.release(n, owner)
}
