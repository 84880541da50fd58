//! `inspect` for containers: Docker's `ContainerJSON` shape (moby `api/types`), built from the
//! container's record and its state as reconciled now (the same view as `ps`).
//!
//! Read-only, no lock: every file read was renamed into place whole.

use std::path::Path;

use anyhow::{Context as _, Result};
use serde_json::{Map, Value as Json, json};

use super::ps::{PsState, Seen};
use crate::context::Context;
use crate::net::ports::PortMapping;
use crate::runtime::mounts;
use crate::storage::Store;
use crate::storage::container::{self as records, ContainerConfig, ContainerId, RestartPolicy};

/// Docker's time for "never".
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// Options for [`inspect_containers`].
#[derive(Debug, Default)]
pub struct InspectContainerOptions {
    /// Add `SizeRw` and `SizeRootFs` (walks the container's upper dir).
    pub size: bool,
}

/// Inspects each target (a container name, id or id prefix); one result per target, in order.
pub fn inspect_containers(
    ctx: &Context,
    targets: &[String],
    opts: &InspectContainerOptions,
) -> Result<Vec<(String, Result<Json>)>> {
    let store = Store::open(ctx)?;
    Ok(targets
        .iter()
        .map(|t| (t.clone(), inspect_one(ctx, &store, t, opts)))
        .collect())
}

/// Whether `target` names a container (for `inspect` without `--type`).
pub fn is_container(ctx: &Context, target: &str) -> bool {
    Store::open(ctx)
        .ok()
        .is_some_and(|s| s.containers().resolve(target).is_ok())
}

fn inspect_one(
    ctx: &Context,
    store: &Store,
    target: &str,
    opts: &InspectContainerOptions,
) -> Result<Json> {
    let dirs = store.containers();
    let id = dirs.resolve(target)?;
    let config = dirs.read_config(&id)?;
    let state = dirs
        .try_read_state(&id)
        .with_context(|| format!("reading the state of container {}", config.name))?
        .unwrap_or_default();
    let seen = Seen::of(&state, &records::boot_id());
    let dir = dirs.dir(&id);
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or(ZERO_TIME.to_string(), |t| {
            t.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
        })
    };
    // Docker counts paused and restarting containers as running too.
    let running = matches!(
        seen.state,
        PsState::Running | PsState::Paused | PsState::Restarting
    );
    let alive = matches!(seen.state, PsState::Running | PsState::Paused);
    let image = config
        .image_id
        .as_ref()
        .and_then(|i| store.lookup(i.as_str()).ok());
    let mut v = Map::new();
    v.insert("Id".into(), json!(id.as_str()));
    v.insert("Created".into(), json!(config.created));
    v.insert("Path".into(), json!(config.argv.first()));
    v.insert(
        "Args".into(),
        json!(config.argv.get(1..).unwrap_or_default()),
    );
    v.insert(
        "State".into(),
        json!({
            "Status": seen.state.as_str(),
            "Running": running,
            "Paused": seen.state == PsState::Paused,
            "Restarting": seen.state == PsState::Restarting,
            "OOMKilled": state.oom_killed && !alive,
            "Dead": false,
            "Pid": if alive { state.pid } else { 0 },
            "ExitCode": if alive { 0 } else { seen.exit_code },
            "Error": "",
            "StartedAt": time(seen.started_at),
            "FinishedAt": time(seen.finished_at),
        }),
    );
    v.insert(
        "Image".into(),
        json!(config.image_id.as_ref().map(|d| d.to_string())),
    );
    let file = |name: &str| json!(dir.join(name).display().to_string());
    v.insert("ResolvConfPath".into(), file("resolv.conf"));
    v.insert("HostnamePath".into(), file("hostname"));
    v.insert("HostsPath".into(), file("hosts"));
    v.insert(
        "LogPath".into(),
        match config.log_driver.as_str() {
            "none" => json!(""),
            _ => file(records::LOG),
        },
    );
    v.insert("Name".into(), json!(format!("/{}", config.name)));
    v.insert("RestartCount".into(), json!(state.restart_count));
    v.insert("Driver".into(), json!(ctx.storage.driver.as_str()));
    v.insert("Platform".into(), json!("linux"));
    v.insert("MountLabel".into(), json!(""));
    v.insert("ProcessLabel".into(), json!(""));
    v.insert("AppArmorProfile".into(), json!(""));
    v.insert("ExecIDs".into(), Json::Null);
    let mut hc = host_config(&config);
    super::network::add_host_config(&config, &mut hc);
    v.insert("HostConfig".into(), hc);
    v.insert(
        "GraphDriver".into(),
        graph_driver(ctx, store, &dir, image.as_ref()),
    );
    if opts.size {
        let rw = dirs.upper_size(&id);
        v.insert("SizeRw".into(), json!(rw));
        v.insert(
            "SizeRootFs".into(),
            json!(rw + image.as_ref().map_or(0, |i| i.size)),
        );
    }
    v.insert("Mounts".into(), mounts_of(&config));
    v.insert("Config".into(), config_of(&config));
    let published = if running {
        super::container::published_ports(&dir)
    } else {
        Vec::new()
    };
    let mut settings = network_settings(&config, &published);
    super::network::add_settings(store, &id, &config.network, &mut settings);
    v.insert("NetworkSettings".into(), settings);
    Ok(Json::Object(v))
}

/// `null` for an empty list, as Go encodes a nil slice.
fn list_or_null<T: serde::Serialize>(items: &[T]) -> Json {
    if items.is_empty() {
        Json::Null
    } else {
        json!(items)
    }
}

fn host_config(c: &ContainerConfig) -> Json {
    let tmpfs: Map<String, Json> = c
        .tmpfs
        .iter()
        .filter_map(|t| mounts::parse_tmpfs(t).ok())
        .map(|(dest, opts)| (dest, json!(opts)))
        .collect();
    let ulimits: Vec<Json> = c
        .ulimits
        .iter()
        .filter_map(|u| {
            let (name, limits) = u.split_once('=')?;
            let (soft, hard) = limits.split_once(':').unwrap_or((limits, limits));
            Some(json!({
                "Name": name,
                "Soft": soft.parse::<i64>().ok()?,
                "Hard": hard.parse::<i64>().ok()?,
            }))
        })
        .collect();
    let mut log_config = Map::new();
    if c.log_driver != "none" {
        log_config.insert("max-size".into(), json!(c.log_max_size.to_string()));
        log_config.insert("max-file".into(), json!(c.log_max_files.to_string()));
    }
    let mut host = json!({
        "Binds": list_or_null(&c.volumes),
        "ContainerIDFile": c.cidfile.as_ref().map_or(String::new(), |p| p.display().to_string()),
        "LogConfig": {"Type": c.log_driver, "Config": log_config},
        "NetworkMode": c.network,
        "PortBindings": port_map(&c.ports),
        "RestartPolicy": {
            "Name": c.restart.name(),
            "MaximumRetryCount": match c.restart {
                RestartPolicy::OnFailure { max_retries } => max_retries,
                _ => 0,
            },
        },
        "AutoRemove": c.rm,
        "VolumeDriver": "",
        "VolumesFrom": null,
        "CapAdd": list_or_null(&c.security.cap_add),
        "CapDrop": list_or_null(&c.security.cap_drop),
        "Dns": [],
        "DnsOptions": [],
        "DnsSearch": [],
        "ExtraHosts": null,
        "GroupAdd": list_or_null(&c.group_add),
        "IpcMode": "private",
        "PidMode": "",
        "Privileged": c.security.privileged,
        "PublishAllPorts": false,
        "ReadonlyRootfs": c.read_only,
        "SecurityOpt": list_or_null(&c.security.security_opt),
        "Devices": devices(c),
        "Tmpfs": if tmpfs.is_empty() { Json::Null } else { Json::Object(tmpfs) },
        "UTSMode": if c.network == "host" { "host" } else { "" },
        "UsernsMode": "",
        "ShmSize": mounts::DEFAULT_SHM_SIZE,
        "Runtime": "berth",
        "Init": c.init,
        "Ulimits": list_or_null(&ulimits),
    });
    if let Json::Object(m) = &mut host {
        m.extend(resources_json(&c.resources));
    }
    super::namespaces::add_inspect(c, &mut host);
    host
}

/// Docker's HostConfig resource fields, zero when unset.
fn resources_json(r: &crate::runtime::cgroup::Resources) -> Map<String, Json> {
    let throttle = |list: &[crate::runtime::cgroup::Throttle]| -> Json {
        if list.is_empty() {
            return Json::Null;
        }
        json!(
            list.iter()
                .map(|t| json!({"Path": t.path, "Rate": t.rate}))
                .collect::<Vec<_>>()
        )
    };
    let Json::Object(m) = json!({
        "Memory": r.memory,
        "MemorySwap": r.memory_swap,
        "MemoryReservation": r.memory_reservation,
        "NanoCpus": r.nano_cpus,
        "CpuShares": r.cpu_shares,
        "CpuPeriod": r.cpu_period,
        "CpuQuota": r.cpu_quota,
        "CpusetCpus": r.cpuset_cpus,
        "CpusetMems": r.cpuset_mems,
        "PidsLimit": r.pids_limit,
        "BlkioWeight": r.blkio_weight,
        "BlkioDeviceReadBps": throttle(&r.device_read_bps),
        "BlkioDeviceWriteBps": throttle(&r.device_write_bps),
        "BlkioDeviceReadIOps": throttle(&r.device_read_iops),
        "BlkioDeviceWriteIOps": throttle(&r.device_write_iops),
        "CgroupParent": r.cgroup_parent,
        "Cgroups": r.cgroups,
        "DeviceCgroupRules": if r.device_cgroup_rules.is_empty() { Json::Null } else { json!(r.device_cgroup_rules) },
    }) else {
        return Map::new();
    };
    m
}

/// Docker's `HostConfig.Devices`.
fn devices(c: &ContainerConfig) -> Json {
    let list: Vec<Json> = c
        .security
        .devices
        .iter()
        .map(|d| {
            json!({
                "PathOnHost": d.host.display().to_string(),
                "PathInContainer": d.container,
                "CgroupPermissions": d.perms,
            })
        })
        .collect();
    Json::Array(list)
}

fn graph_driver(
    ctx: &Context,
    store: &Store,
    dir: &Path,
    image: Option<&crate::storage::ImageRecord>,
) -> Json {
    let copy = dir.join(crate::storage::layout::ROOTFS_COPY);
    if copy.is_dir() {
        return json!({"Data": {"Dir": copy.display().to_string()}, "Name": "vfs"});
    }
    let lower: Vec<String> = image
        .map(|i| store.layer_dirs(i))
        .unwrap_or_default()
        .iter()
        .rev()
        .map(|p| p.display().to_string())
        .collect();
    let path = |n: &str| dir.join(n).display().to_string();
    json!({
        "Data": {
            "LowerDir": lower.join(":"),
            "MergedDir": path("merged"),
            "UpperDir": path("upper"),
            "WorkDir": path("work"),
        },
        "Name": ctx.storage.driver.as_str(),
    })
}

fn mounts_of(c: &ContainerConfig) -> Json {
    let mut out = Vec::new();
    for v in &c.volumes {
        if let Ok(b) = mounts::parse_volume(v) {
            out.push(json!({
                "Type": "bind",
                "Source": b.source.display().to_string(),
                "Destination": b.dest,
                "Mode": if b.readonly { "ro" } else { "" },
                "RW": !b.readonly,
                "Propagation": "rprivate",
            }));
        }
    }
    for t in &c.tmpfs {
        if let Ok((dest, _)) = mounts::parse_tmpfs(t) {
            out.push(json!({
                "Type": "tmpfs",
                "Source": "",
                "Destination": dest,
                "Mode": "",
                "RW": true,
                "Propagation": "",
            }));
        }
    }
    json!(out)
}

fn config_of(c: &ContainerConfig) -> Json {
    json!({
        "Hostname": c.hostname,
        "Domainname": "",
        "User": c.user,
        "AttachStdin": c.interactive,
        "AttachStdout": true,
        "AttachStderr": true,
        "Tty": c.tty,
        "OpenStdin": c.interactive,
        "StdinOnce": false,
        "Env": list_or_null(&c.env),
        "Cmd": list_or_null(&c.cmd),
        "Image": c.image,
        "Volumes": null,
        "WorkingDir": c.workdir,
        "Entrypoint": list_or_null(&c.entrypoint),
        "OnBuild": null,
        "Labels": c.labels,
        "StopSignal": c.stop_signal,
        "StopTimeout": c.stop_timeout,
    })
}

/// Docker's port map: `{"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}`; a random
/// host port not yet picked is "".
fn port_map(ports: &[PortMapping]) -> Json {
    let mut map = Map::new();
    for p in ports {
        for (cport, ip, hport) in p.each() {
            let key = format!("{cport}/{}", p.proto.as_str());
            let binding = json!({
                "HostIp": ip,
                "HostPort": if hport == 0 { String::new() } else { hport.to_string() },
            });
            if let Json::Array(a) = map.entry(key).or_insert_with(|| json!([])) {
                a.push(binding);
            }
        }
    }
    Json::Object(map)
}

/// The running container's published ports (as its start resolved them); no networks of
/// their own until bridge networks exist: `port` agrees with this.
fn network_settings(c: &ContainerConfig, published: &[PortMapping]) -> Json {
    let networks = if c.network == "host" {
        json!({"host": {"NetworkID": "host", "IPAddress": "", "Gateway": "", "MacAddress": ""}})
    } else {
        json!({})
    };
    json!({
        "Bridge": "",
        "SandboxID": "",
        "SandboxKey": "",
        "Ports": port_map(published),
        "Gateway": "",
        "IPAddress": "",
        "IPPrefixLen": 0,
        "MacAddress": "",
        "Networks": networks,
    })
}

/// The ports running container `target` published at its start (empty when it is not
/// running or publishes none).
pub fn container_ports(ctx: &Context, target: &str) -> Result<Vec<PortMapping>> {
    let store = Store::open(ctx)?;
    let dirs = store.containers();
    let id = dirs.resolve(target)?;
    if !dirs.read_state(&id).is_alive(&records::boot_id()) {
        return Ok(Vec::new());
    }
    Ok(super::container::published_ports(&dirs.dir(&id)))
}

/// Every container's id, in no particular order.
pub fn container_ids(ctx: &Context) -> Result<Vec<ContainerId>> {
    Ok(Store::open(ctx)?.containers().list())
}

/// The container's id for `id` (a name, id or prefix): for commands that only need to know
/// the container exists.
pub fn resolve_container(ctx: &Context, target: &str) -> Result<ContainerId> {
    Store::open(ctx)?.containers().resolve(target)
}
