//! Which namespaces a container shares (`--ipc`, `--pid`, `--uts`, `--cgroupns`,
//! `--network container:NAME|ns:PATH`), its user namespace (`--userns`, `--uidmap`, `--gidmap`,
//! `--subuidname`, `--subgidname`) and its kernel knobs (`--shm-size`, `--sysctl`,
//! `--oom-score-adj`): checked at create into the record's `NamespaceConfig`, and planned at
//! each start into the namespaces to make or join, the id maps, the mounts that follow from
//! them, and what the container process sets on itself before its mounts.
//!
//! A container joined by name is resolved to its id at create; at start it must be running, and
//! it is joined through a pidfd of its process checked against the recorded one (I11). Rootless,
//! every container has its own user namespace, which owns its other namespaces: joining any of
//! them means joining that user namespace too (as `exec` does), so a rootless container can
//! share namespaces with one other container only.
//!
//! A container whose ids are not the store's (keep-id, nomap, auto, `--uidmap`) gets a copy of
//! its image with the owners shifted into its map (`storage::idshift`), as Podman chowns an
//! image copy when it cannot idmap the layers; id maps are planned in the store's ids (the
//! user's own namespace rootless: 0 the user, 1.. the subordinate ids) and composed onto the
//! host. Where the namespace does not map the caller, the process becomes the namespace's root
//! from inside its container directory before its mounts.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use nix::sched::CloneFlags;

use crate::context::Context;
use crate::error;
use crate::net;
use crate::runtime::mounts::MountOp;
use crate::runtime::namespaces::{self as rt, Knobs};
use crate::runtime::spawn::{Join, Namespaces};
use crate::runtime::userns::IdMaps;
use crate::storage::Store;
use crate::storage::container::{self as records, ContainerConfig, ContainerId};
use crate::storage::namespaces::NamespaceConfig;

/// The namespace and kernel-knob options of `create`/`run`, as the user gave them.
#[derive(Debug, Default, Clone)]
pub struct NamespaceOptions {
    pub ipc: Option<String>,
    pub pid: Option<String>,
    pub uts: Option<String>,
    pub cgroupns: Option<String>,
    pub shm_size: Option<String>,
    pub sysctls: Vec<String>,
    pub oom_score_adj: Option<i64>,
    pub userns: Option<String>,
    pub uidmap: Vec<String>,
    pub gidmap: Vec<String>,
    pub subuidname: Option<String>,
    pub subgidname: Option<String>,
}

/// How one namespace is set: `--ipc`/`--pid`/`--uts`/`--cgroupns` values.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Share {
    /// Not given: a namespace of its own.
    Default,
    Host,
    Private,
    /// `--ipc shareable`: private, and others may join it.
    Shareable,
    /// `--ipc none`: private, without /dev/shm.
    None,
    /// `container:NAME` (at create) or `container:ID` (in the record).
    Container(String),
}

impl Share {
    fn parse(flag: &str, value: &str, allowed: &[&str], container: bool) -> Result<Share> {
        let share = match value {
            "" => Share::Default,
            "host" => Share::Host,
            "private" => Share::Private,
            "shareable" => Share::Shareable,
            "none" => Share::None,
            v => match v.strip_prefix("container:") {
                Some(name) if container && !name.is_empty() => Share::Container(name.to_string()),
                _ => Share::Default,
            },
        };
        let word = value.split(':').next().unwrap_or(value);
        let ok = match &share {
            Share::Default => value.is_empty(),
            Share::Container(_) => container,
            _ => allowed.contains(&word),
        };
        if !ok {
            let mut all: Vec<&str> = allowed.to_vec();
            if container {
                all.push("container:NAME");
            }
            bail!(error::invalid(format!(
                "invalid --{flag} {value:?}: expected {}",
                all.join(", ")
            )));
        }
        Ok(share)
    }

    fn of(flag: &str, value: &str) -> Share {
        // Checked at create; an unreadable value in an old or edited record is refused at start.
        Share::parse(flag, value, &ALLOWED_ANY, true).unwrap_or(Share::Default)
    }

    fn target(&self) -> Option<&str> {
        match self {
            Share::Container(t) => Some(t),
            _ => None,
        }
    }
}

const ALLOWED_ANY: [&str; 4] = ["host", "private", "shareable", "none"];
const IPC: [&str; 4] = ["host", "private", "shareable", "none"];
const PID: [&str; 2] = ["host", "private"];
const UTS: [&str; 2] = ["host", "private"];
const CGROUPNS: [&str; 2] = ["host", "private"];

/// What create keeps: the record's part, the `--network` value to record (`container:ID`),
/// and the hostname the container gets when it is not its own (`--uts host`: the host's;
/// `--network container:X`: X's).
#[derive(Debug)]
pub(super) struct Checked {
    pub config: NamespaceConfig,
    pub network: String,
    pub hostname: Option<String>,
    /// The user the command runs as when `--user` is not given (`--userns keep-id`).
    pub user: Option<String>,
}

/// Checks the options of a new container and resolves the containers it joins.
///
/// Errors (exit 125, nothing made): an unknown mode; a container that does not exist;
/// `--hostname` with `--uts host` or `--network container:`; `-p` with a joined network;
/// `--shm-size` without a /dev/shm of its own; a sysctl that is not namespaced or whose
/// namespace is shared; `--oom-score-adj` outside -1000..1000; rootless, two different
/// containers to join, or a network namespace file.
pub(super) fn check(
    ctx: &Context,
    store: &Store,
    opts: &NamespaceOptions,
    network: &str,
    hostname: Option<&str>,
    publish: &[String],
) -> Result<Checked> {
    let get = |o: &Option<String>| o.clone().unwrap_or_default();
    let ipc = Share::parse("ipc", &get(&opts.ipc), &IPC, true)?;
    let pid = Share::parse("pid", &get(&opts.pid), &PID, true)?;
    let uts = Share::parse("uts", &get(&opts.uts), &UTS, false)?;
    Share::parse("cgroupns", &get(&opts.cgroupns), &CGROUPNS, false)?;
    let dirs = store.containers();
    let resolve = |flag: &str, name: &str| -> Result<ContainerId> {
        dirs.resolve(name)
            .with_context(|| format!("--{flag} container:{name}"))
    };
    let mut targets = Vec::new();
    let mut config = NamespaceConfig::default();
    for (flag, share, slot) in [
        ("ipc", &ipc, &mut config.ipc),
        ("pid", &pid, &mut config.pid),
    ] {
        *slot = match share.target() {
            Some(name) => {
                let id = resolve(flag, name)?;
                targets.push(id.clone());
                format!("container:{id}")
            }
            None => get(if flag == "ipc" { &opts.ipc } else { &opts.pid }),
        };
    }
    config.uts = get(&opts.uts);
    config.cgroupns = get(&opts.cgroupns);

    let mut out_network = network.to_string();
    let mut out_hostname = None;
    if let Some(name) = network.strip_prefix("container:") {
        if name.is_empty() {
            bail!(error::invalid(
                "--network container: needs a container's name or id"
            ));
        }
        let id = resolve("network", name)?;
        if hostname.is_some() {
            bail!(error::invalid(
                "conflicting options: --hostname and --network container: the container has the hostname of the container whose network it joins"
            ));
        }
        if !publish.is_empty() {
            bail!(error::invalid(format!(
                "conflicting options: -p and --network container:{name}: ports are published by the container whose network this is"
            )));
        }
        out_hostname = Some(dirs.read_config(&id)?.hostname);
        out_network = format!("container:{id}");
        targets.push(id);
    } else if let Some(path) = network.strip_prefix("ns:") {
        if !path.starts_with('/') {
            bail!(error::invalid(format!(
                "invalid --network ns:{path}: expected an absolute path to a network namespace file"
            )));
        }
        if ctx.rootless {
            bail!(error::invalid(
                "--network ns:PATH is for root: a rootless container's own user namespace has no rights in a network namespace it did not make"
            ));
        }
        if !publish.is_empty() {
            bail!(error::invalid(
                "conflicting options: -p and --network ns:PATH: berth publishes ports only on networks it made"
            ));
        }
        rt::join_path(Path::new(path), CloneFlags::CLONE_NEWNET)
            .map_err(|e| error::invalid(format!("--network ns:{path}: {e:#}")))?;
    }
    if uts == Share::Host {
        if hostname.is_some() {
            bail!(error::invalid(
                "conflicting options: --hostname and --uts host: the container has the host's hostname"
            ));
        }
        out_hostname = Some(
            nix::unistd::gethostname()
                .context("reading the host's hostname")?
                .to_string_lossy()
                .into_owned(),
        );
    }
    targets.sort();
    targets.dedup();
    if ctx.rootless && targets.len() > 1 {
        bail!(error::invalid(
            "a rootless container can share namespaces with one other container only: each has its own user namespace, which owns its other namespaces"
        ));
    }

    if let Some(s) = &opts.shm_size {
        let size = super::container::parse_size(s)
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                error::invalid(format!(
                    "invalid --shm-size {s:?}: expected a size greater than 0 such as 64m"
                ))
            })?;
        if !matches!(ipc, Share::Default | Share::Private | Share::Shareable) {
            bail!(error::invalid(
                "--shm-size needs a /dev/shm of the container's own: not with --ipc host, none or container:"
            ));
        }
        config.shm_size = Some(size);
    }
    let net_private = !matches!(
        net::Mode::parse(network)?,
        net::Mode::Host | net::Mode::Container | net::Mode::Ns
    );
    for s in &opts.sysctls {
        let (k, v) = check_sysctl(s, &ipc, &uts, net_private)?;
        config.sysctls.insert(k, v);
    }
    if let Some(n) = opts.oom_score_adj {
        if !(-1000..=1000).contains(&n) {
            bail!(error::invalid(format!(
                "invalid --oom-score-adj {n}: expected -1000 to 1000"
            )));
        }
        config.oom_score_adj = i32::try_from(n).ok();
    }
    let user = check_userns(ctx, store, opts, &mut config, !targets.is_empty())?;
    Ok(Checked {
        config,
        network: out_network,
        hostname: out_hostname,
        user,
    })
}

/// `--subuidname NAME`/`--subgidname NAME` (root): the ranges of NAME in `etc`/subuid and
/// subgid as `--uidmap`/`--gidmap`, container ids from 0 up; one names both when the other is
/// not given, as in Podman.
fn with_subids(ctx: &Context, opts: &NamespaceOptions, etc: &Path) -> Result<NamespaceOptions> {
    let mut out = opts.clone();
    let (uname, gname) = match (&opts.subuidname, &opts.subgidname) {
        (None, None) => return Ok(out),
        (u, g) => (
            u.clone().or_else(|| g.clone()).unwrap_or_default(),
            g.clone().or_else(|| u.clone()).unwrap_or_default(),
        ),
    };
    if ctx.rootless {
        bail!(error::invalid(
            "--subuidname and --subgidname are for root: rootless, newuidmap maps only your own ranges (use --uidmap)"
        ));
    }
    if !opts.uidmap.is_empty() || !opts.gidmap.is_empty() || opts.userns.is_some() {
        bail!(error::invalid(
            "conflicting options: --subuidname/--subgidname and --userns, --uidmap or --gidmap"
        ));
    }
    for (file, name, slot) in [
        ("subuid", &uname, &mut out.uidmap),
        ("subgid", &gname, &mut out.gidmap),
    ] {
        let path = etc.join(file);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let ranges = crate::runtime::userns::parse_subids(&text, Some(name), u32::MAX);
        if ranges.is_empty() {
            bail!(error::invalid(format!(
                "no range for {name:?} in {}",
                path.display()
            )));
        }
        *slot = crate::runtime::userns::plan(0, &ranges)
            .into_iter()
            .skip(1)
            .map(|m| format!("{}:{}:{}", m.inside - 1, m.outside, m.count))
            .collect();
    }
    Ok(out)
}

/// `--userns auto[:size=N]`: N ids (default 1024) that no other container of the store has
/// taken with auto, from the user's subordinate ids (rootless) or, as root, from the ranges
/// of the name `containers` in /etc/subuid and /etc/subgid (Podman's convention), as
/// `--uidmap`/`--gidmap` from container id 0. The choice is made without a lock: two creates
/// at the same instant may pick the same range.
fn with_auto(
    ctx: &Context,
    store: &Store,
    opts: &NamespaceOptions,
    etc: &Path,
) -> Result<NamespaceOptions> {
    use crate::runtime::userns;
    let value = opts.userns.clone().unwrap_or_default();
    let Some(rest) = value.strip_prefix("auto") else {
        return Ok(opts.clone());
    };
    let bad = || {
        error::invalid(format!(
            "invalid --userns {value:?}: expected auto[:size=N]"
        ))
    };
    let size: u32 = match rest {
        "" => 1024,
        r => r
            .strip_prefix(":size=")
            .and_then(|n| n.parse().ok())
            .filter(|n| *n > 0)
            .ok_or_else(bad)?,
    };
    if !opts.uidmap.is_empty() || !opts.gidmap.is_empty() {
        bail!(error::invalid(
            "conflicting options: --userns auto and --uidmap/--gidmap"
        ));
    }
    // The pools, as ranges in the ids the maps are written in.
    let pools: [Vec<(u32, u32)>; 2] = match standard_maps(ctx) {
        Some(s) => [
            vec![(1, userns::size(&s.uids).saturating_sub(1))],
            vec![(1, userns::size(&s.gids).saturating_sub(1))],
        ],
        None => {
            let read = |f: &str| {
                let path = etc.join(f);
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                userns::parse_subids(&text, Some("containers"), u32::MAX)
            };
            [read("subuid"), read("subgid")]
        }
    };
    if pools.iter().any(|p| p.iter().all(|&(_, n)| n == 0)) {
        bail!(error::invalid(if ctx.rootless {
            "--userns auto needs subordinate ids for your user in /etc/subuid and /etc/subgid"
        } else {
            "--userns auto as root needs ranges for the name \"containers\" in /etc/subuid and /etc/subgid (Podman's convention), such as containers:2147483647:2147483648"
        }));
    }
    // What other auto containers took.
    let dirs = store.containers();
    let mut taken: [Vec<(u32, u32)>; 2] = [Vec::new(), Vec::new()];
    for id in dirs.list() {
        let Ok(c) = dirs.read_config(&id) else {
            continue;
        };
        if !c.namespaces.userns.starts_with("auto") {
            continue;
        }
        for (list, slot) in [(&c.namespaces.uidmap, 0), (&c.namespaces.gidmap, 1)] {
            for m in list.iter().filter_map(|m| userns::parse_idmap(m).ok()) {
                taken[slot].push((m.outside, m.count));
            }
        }
    }
    let mut out = opts.clone();
    for (i, slot) in [&mut out.uidmap, &mut out.gidmap].into_iter().enumerate() {
        let start = pick(&pools[i], &taken[i], size).ok_or_else(|| {
            error::invalid(format!(
                "--userns auto: no {size} {} ids are left that other containers have not taken",
                if i == 0 { "user" } else { "group" }
            ))
        })?;
        *slot = vec![format!("0:{start}:{size}")];
    }
    Ok(out)
}

/// The lowest start of `size` ids inside one of `pools` that overlaps nothing `taken`.
fn pick(pools: &[(u32, u32)], taken: &[(u32, u32)], size: u32) -> Option<u32> {
    for &(pool_start, pool_len) in pools {
        let end = u64::from(pool_start) + u64::from(pool_len);
        let mut start = u64::from(pool_start);
        while start + u64::from(size) <= end {
            let clash = taken.iter().find(|&&(t, n)| {
                u64::from(t) < start + u64::from(size) && start < u64::from(t) + u64::from(n)
            });
            match clash {
                None => return u32::try_from(start).ok(),
                Some(&(t, n)) => start = u64::from(t) + u64::from(n),
            }
        }
    }
    None
}

/// `--userns keep-id[:uid=U,gid=G]`: the container uid and gid the user is.
fn parse_keep_id(ctx: &Context, value: &str) -> Result<Option<(u32, u32)>> {
    let Some(rest) = value.strip_prefix("keep-id") else {
        return Ok(None);
    };
    let (mut uid, mut gid) = (ctx.uid, ctx.gid);
    let opts = match rest {
        "" => "",
        r => r.strip_prefix(':').unwrap_or("?"),
    };
    for o in opts.split(',').filter(|o| !o.is_empty()) {
        let bad = || {
            error::invalid(format!(
                "invalid --userns {value:?}: expected keep-id[:uid=UID,gid=GID]"
            ))
        };
        let (k, v) = o.split_once('=').ok_or_else(bad)?;
        let n: u32 = v.parse().map_err(|_| bad())?;
        match k {
            "uid" => uid = n,
            "gid" => gid = n,
            _ => return Err(bad()),
        }
    }
    Ok(Some((uid, gid)))
}

/// Checks `--userns`, `--uidmap` and `--gidmap` into the record; returns the default user
/// keep-id implies.
fn check_userns(
    ctx: &Context,
    store: &Store,
    opts: &NamespaceOptions,
    config: &mut NamespaceConfig,
    joins: bool,
) -> Result<Option<String>> {
    let opts = &with_subids(ctx, opts, Path::new("/etc"))?;
    let opts = &with_auto(ctx, store, opts, Path::new("/etc"))?;
    let value = opts.userns.clone().unwrap_or_default();
    let keep = parse_keep_id(ctx, &value)?;
    let maps = !opts.uidmap.is_empty() || !opts.gidmap.is_empty();
    match value.split(':').next().unwrap_or_default() {
        "" | "host" | "keep-id" => {}
        "nomap" if value == "nomap" => {}
        "auto" => {}
        "ns" => {
            let path = value.strip_prefix("ns:").unwrap_or_default();
            if ctx.rootless {
                bail!(error::invalid(
                    "--userns ns:PATH is for root: berth cannot shift a rootless container's files into another user namespace's ids"
                ));
            }
            if maps || joins {
                bail!(error::invalid(
                    "conflicting options: --userns ns:PATH and --uidmap/--gidmap or sharing another container's namespaces"
                ));
            }
            if !path.starts_with('/') {
                bail!(error::invalid(format!(
                    "invalid --userns {value:?}: expected ns:PATH with an absolute path"
                )));
            }
            user_maps(&value, &[], &[], ctx, None)
                .map_err(|e| error::invalid(format!("--userns {value}: {e:#}")))?;
            config.userns = value;
            return Ok(None);
        }
        "private" => bail!(error::invalid(format!(
            "--userns {value:?} is not supported by berth yet: use keep-id, nomap, auto, ns:PATH, or --uidmap and --gidmap"
        ))),
        _ => bail!(error::invalid(format!(
            "invalid --userns {value:?}: expected host, keep-id[:uid=UID,gid=GID] or nomap"
        ))),
    }
    let nomap = value == "nomap";
    if nomap && !ctx.rootless {
        bail!(error::invalid(
            "--userns nomap is only for rootless containers (Podman's rule): as root there is no user of yours to leave out"
        ));
    }
    if nomap && maps {
        bail!(error::invalid(
            "conflicting options: --userns nomap and --uidmap/--gidmap"
        ));
    }
    if keep.is_none() && !maps && !nomap {
        config.userns = value;
        return Ok(None);
    }
    if !ctx.rootless && keep.is_some() {
        bail!(error::invalid(
            "--userns keep-id is only for rootless containers (Podman's rule): as root the container's ids are the host's"
        ));
    }
    if keep.is_some() && maps {
        bail!(error::invalid(
            "conflicting options: --userns keep-id and --uidmap/--gidmap"
        ));
    }
    if joins {
        bail!(error::invalid(
            "conflicting options: --userns/--uidmap and sharing another container's namespaces: a rootless container that joins one shares its user namespace"
        ));
    }
    let standard = standard_maps(ctx);
    if standard.as_ref().is_some_and(|s| !s.is_full()) {
        bail!(error::invalid(format!(
            "--userns {value} and --uidmap need subordinate ids for your user in /etc/subuid and /etc/subgid, and newuidmap/newgidmap (package uidmap)"
        )));
    }
    user_maps(&value, &opts.uidmap, &opts.gidmap, ctx, standard.as_ref())
        .map_err(|e| error::invalid(format!("{e:#}")))?;
    config.userns = value;
    config.uidmap = opts.uidmap.clone();
    config.gidmap = opts.gidmap.clone();
    Ok(keep.map(|(u, g)| format!("{u}:{g}")))
}

/// Rootless, the maps of the user's own namespace (0 the user, 1.. the subordinate ids).
fn standard_maps(ctx: &Context) -> Option<IdMaps> {
    ctx.rootless.then(|| {
        crate::runtime::userns::maps_for(
            ctx.uid,
            ctx.gid,
            ctx.user_name.as_deref(),
            Path::new("/etc"),
        )
    })
}

/// True when the record gives the container a user namespace of its own mapping.
fn has_own_userns(n: &NamespaceConfig) -> bool {
    n.userns.starts_with("keep-id")
        || n.userns == "nomap"
        || n.userns.starts_with("ns:")
        || !n.uidmap.is_empty()
        || !n.gidmap.is_empty()
}

/// The container's own maps in the store's ids (rootless: the user's namespace, `standard`'s
/// inside, 0 the user and 1.. the subordinate ids; root: the host's), and composed onto the
/// host; None without keep-id or maps.
fn user_maps(
    userns: &str,
    uidmap: &[String],
    gidmap: &[String],
    ctx: &Context,
    standard: Option<&IdMaps>,
) -> Result<Option<UserMaps>> {
    use crate::runtime::userns;
    let keep = parse_keep_id(ctx, userns)?;
    if let (Some(path), None) = (userns.strip_prefix("ns:"), standard) {
        // As root: the maps of the namespace joined, in host ids.
        let fd = rt::join_path(Path::new(path), CloneFlags::CLONE_NEWUSER)?;
        let own = rt::maps_of_userns(&fd.fd)?;
        if userns::map_id(&own.uids, 0).is_none() || userns::map_id(&own.gids, 0).is_none() {
            bail!("it does not map uid and gid 0: berth sets the container up as its root");
        }
        return Ok(Some(UserMaps {
            host: own.clone(),
            own,
        }));
    }
    let own = if let (Some((uid, gid)), Some(standard)) = (keep, standard) {
        IdMaps {
            uids: userns::keep_id(uid, userns::size(&standard.uids)).context("--userns keep-id")?,
            gids: userns::keep_id(gid, userns::size(&standard.gids)).context("--userns keep-id")?,
        }
    } else if let (true, Some(standard)) = (userns == "nomap", standard) {
        // Podman's nomap: the subordinate ids only; the user is not in the container.
        let all = |m: &[userns::IdMap]| {
            vec![userns::IdMap {
                inside: 0,
                outside: 1,
                count: userns::size(m).saturating_sub(1).max(1),
            }]
        };
        IdMaps {
            uids: all(&standard.uids),
            gids: all(&standard.gids),
        }
    } else if !uidmap.is_empty() || !gidmap.is_empty() {
        let parse = |list: &[String], flag: &str| -> Result<Vec<userns::IdMap>> {
            let maps = list
                .iter()
                .map(|m| userns::parse_idmap(m).with_context(|| format!("--{flag}")))
                .collect::<Result<Vec<_>>>()?;
            userns::check_disjoint(&maps).with_context(|| format!("--{flag}"))?;
            Ok(maps)
        };
        let uids = parse(if uidmap.is_empty() { gidmap } else { uidmap }, "uidmap")?;
        let gids = parse(if gidmap.is_empty() { uidmap } else { gidmap }, "gidmap")?;
        for (flag, m) in [("uidmap", &uids), ("gidmap", &gids)] {
            // berth sets the container up as the caller, or, where the caller is not mapped,
            // as the container's root.
            if !m.iter().any(|m| m.outside == 0) && userns::map_id(m, 0).is_none() {
                bail!(
                    "--{flag} must map container id 0, or host id 0 (rootless: you), to set the container up"
                );
            }
        }
        IdMaps { uids, gids }
    } else {
        return Ok(None);
    };
    let host = match standard {
        Some(standard) => IdMaps {
            uids: userns::compose(&own.uids, &standard.uids).context("--uidmap")?,
            gids: userns::compose(&own.gids, &standard.gids).context("--gidmap")?,
        },
        None => own.clone(),
    };
    Ok(Some(UserMaps { own, host }))
}

/// A container's user namespace maps when it has its own.
pub(super) struct UserMaps {
    /// In the store's ids (the user's namespace): how the copy rootfs's owners are shifted.
    pub own: IdMaps,
    /// Onto the host: what is written for the container's namespace.
    pub host: IdMaps,
}

/// `--sysctl KEY=VALUE`: only namespaced sysctls, and only when their namespace is the
/// container's own (Docker's and runc's rules).
fn check_sysctl(s: &str, ipc: &Share, uts: &Share, net_private: bool) -> Result<(String, String)> {
    let bad = |why: &str| error::invalid(format!("invalid --sysctl {s:?}: {why}"));
    let (k, v) = s.split_once('=').ok_or_else(|| bad("expected KEY=VALUE"))?;
    let key = k.trim().replace('/', ".");
    if key.is_empty()
        || key.split('.').any(|p| p.is_empty() || p == "..")
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Err(bad("not a sysctl name"));
    }
    let ipc_private = matches!(
        ipc,
        Share::Default | Share::Private | Share::Shareable | Share::None
    );
    const IPC_KEYS: [&str; 8] = [
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
    ];
    let (needs, ok) = if IPC_KEYS.contains(&key.as_str()) || key.starts_with("fs.mqueue.") {
        (
            "the container's own IPC namespace (not --ipc host or container:)",
            ipc_private,
        )
    } else if key.starts_with("net.") {
        (
            "the container's own network namespace (not --network host, container: or ns:)",
            net_private,
        )
    } else if key == "kernel.domainname" || key == "kernel.hostname" {
        (
            "the container's own UTS namespace (not --uts host)",
            *uts != Share::Host,
        )
    } else {
        return Err(bad(
            "not a namespaced sysctl: berth sets only kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.* and kernel.domainname in the container's own namespaces",
        ));
    };
    if !ok {
        return Err(bad(&format!("it needs {needs}")));
    }
    Ok((key, v.to_string()))
}

/// The namespaces the record asks for, with `rootless` deciding the user namespace: what
/// `start` makes or joins, and what `exec` joins.
pub(super) fn namespaces(rootless: bool, config: &ContainerConfig) -> Result<Namespaces> {
    let n = &config.namespaces;
    let mut ns = Namespaces::container(rootless);
    let mut joins_container = false;
    let mut set =
        |share: Share, own: &mut bool, flag: CloneFlags, joined: &mut CloneFlags| match share {
            Share::Host => *own = false,
            Share::Container(_) => {
                *own = false;
                *joined |= flag;
                joins_container = true;
            }
            _ => {}
        };
    let mut joined = CloneFlags::empty();
    set(
        Share::of("ipc", &n.ipc),
        &mut ns.ipc,
        CloneFlags::CLONE_NEWIPC,
        &mut joined,
    );
    set(
        Share::of("pid", &n.pid),
        &mut ns.pid,
        CloneFlags::CLONE_NEWPID,
        &mut joined,
    );
    set(
        Share::of("uts", &n.uts),
        &mut ns.uts,
        CloneFlags::CLONE_NEWUTS,
        &mut joined,
    );
    set(
        Share::of("cgroupns", &n.cgroupns),
        &mut ns.cgroup,
        CloneFlags::CLONE_NEWCGROUP,
        &mut joined,
    );
    match net::Mode::parse(&config.network)? {
        net::Mode::Host => ns.net = false,
        net::Mode::Container => {
            ns.net = false;
            joined |= CloneFlags::CLONE_NEWNET;
            joins_container = true;
        }
        net::Mode::Ns => {
            ns.net = false;
            joined |= CloneFlags::CLONE_NEWNET;
        }
        _ => {}
    }
    if rootless && joins_container {
        ns.user = false;
        joined |= CloneFlags::CLONE_NEWUSER;
    }
    if super::rootless_net::on_rootless_network(rootless, config) {
        // The user namespace of the rootless networks, joined at start (`rootless_net`).
        ns.user = false;
        joined |= CloneFlags::CLONE_NEWUSER;
    }
    if !rootless && n.userns.starts_with("ns:") {
        joined |= CloneFlags::CLONE_NEWUSER;
    } else if !rootless && has_own_userns(n) {
        ns.user = true;
    }
    ns.joined = joined;
    Ok(ns)
}

/// What one start of a container needs beyond its record's confinement.
pub(super) struct StartPlan {
    pub joins: Vec<Join>,
    /// Rootless, the id maps of the user namespace joined (for the identity checks).
    pub joined_maps: Option<IdMaps>,
    /// Where the /etc files come from: the directory of the container whose network is joined.
    pub etc_dir: Option<PathBuf>,
    pub knobs: Knobs,
    /// `--userns keep-id`, `--uidmap`: the container's own maps.
    pub userns: Option<UserMaps>,
    ipc: Share,
    pid: Share,
    rootless: bool,
}

/// Opens what container `config` joins at this start, in the order setns needs (rootless: the
/// one container joined, user namespace included).
///
/// Errors: a container to join is gone or not running, or (`--ipc container:`) its IPC
/// namespace is not shareable.
pub(super) fn plan_start(
    ctx: &Context,
    store: &Store,
    config: &ContainerConfig,
    ns: &Namespaces,
) -> Result<StartPlan> {
    let n = &config.namespaces;
    let ipc = Share::of("ipc", &n.ipc);
    let pid = Share::of("pid", &n.pid);
    let network = config.network.strip_prefix("container:");
    let mut wanted: Vec<(String, CloneFlags)> = Vec::new();
    for (target, flag) in [
        (ipc.target(), CloneFlags::CLONE_NEWIPC),
        (pid.target(), CloneFlags::CLONE_NEWPID),
        (network, CloneFlags::CLONE_NEWNET),
    ] {
        let Some(t) = target else { continue };
        match wanted.iter_mut().find(|(w, _)| w == t) {
            Some((_, f)) => *f |= flag,
            None => wanted.push((t.to_string(), flag)),
        }
    }
    let dirs = store.containers();
    let boot = records::boot_id();
    let mut adopted = None;
    let mut shm = None;
    let mut joins = Vec::new();
    if let (Some(path), false) = (n.userns.strip_prefix("ns:"), ctx.rootless) {
        // First: the namespaces made after it are then owned by it.
        joins.push(rt::join_path(Path::new(path), CloneFlags::CLONE_NEWUSER)?);
    }
    let mut joined_maps = None;
    let mut etc_dir = None;
    for (i, (target, mut flags)) in wanted.into_iter().enumerate() {
        let id = ContainerId::parse(&target)?;
        let other = dirs
            .read_config(&id)
            .with_context(|| format!("the container whose namespaces {} joins", config.name))?;
        let state = dirs.read_state(&id);
        if !state.is_alive(&boot) {
            bail!(error::invalid(format!(
                "container {:?}, whose namespaces {} joins, is not running",
                other.name, config.name
            )));
        }
        if flags.contains(CloneFlags::CLONE_NEWIPC)
            && matches!(
                Share::of("ipc", &other.namespaces.ipc),
                Share::Private | Share::None
            )
        {
            bail!(error::invalid(format!(
                "cannot join the IPC namespace of container {:?}: it is private (it must be created with --ipc shareable, the default)",
                other.name
            )));
        }
        if flags.contains(CloneFlags::CLONE_NEWNET) {
            etc_dir = Some(dirs.dir(&id));
        }
        if ctx.rootless && has_own_userns(&other.namespaces) {
            // Joining it means joining its user namespace: this container's rootfs is then
            // shifted into that namespace's map, as the other's is.
            let o = &other.namespaces;
            adopted = user_maps(
                &o.userns,
                &o.uidmap,
                &o.gidmap,
                ctx,
                standard_maps(ctx).as_ref(),
            )
            .with_context(|| format!("the id maps of container {:?}", other.name))?;
        }
        if i == 0 && ns.joined.contains(CloneFlags::CLONE_NEWUSER) {
            flags |= CloneFlags::CLONE_NEWUSER;
            joined_maps =
                Some(crate::runtime::exec::read_maps(state.pid).with_context(|| {
                    format!("reading the id maps of container {:?}", other.name)
                })?);
        }
        let via_child = other.init && ctx.rootless;
        if flags.contains(CloneFlags::CLONE_NEWIPC) {
            // Docker shares the other's /dev/shm with its IPC namespace.
            let pidfd = crate::runtime::exec::open_container(state.pid, state.pid_start, via_child)
                .with_context(|| format!("container {:?} is not running", other.name))?;
            shm = Some(rt::container_shm(&pidfd, ctx.rootless, &other.name)?);
        }
        joins.push(rt::join_container(
            &other.name,
            state.pid,
            state.pid_start,
            via_child,
            flags,
        )?);
    }
    if let Some(path) = config.network.strip_prefix("ns:") {
        joins.push(rt::join_path(Path::new(path), CloneFlags::CLONE_NEWNET)?);
    }
    let userns = if has_own_userns(n) {
        user_maps(
            &n.userns,
            &n.uidmap,
            &n.gidmap,
            ctx,
            standard_maps(ctx).as_ref(),
        )?
    } else {
        adopted
    };
    let mut knobs = Knobs {
        sysctls: n.sysctls.clone().into_iter().collect(),
        oom_score_adj: n.oom_score_adj,
        shm,
        ..Knobs::default()
    };
    let caller_unmapped = userns.as_ref().is_some_and(|u| {
        !(u.own.uids.iter().any(|m| m.outside == 0) && u.own.gids.iter().any(|m| m.outside == 0))
    });
    if caller_unmapped {
        // The process starts as the caller (the host's root, or the rootless user), which its
        // namespace does not map: files it made in its own tmpfs would be refused
        // (EOVERFLOW). It becomes the namespace's root before its mounts, from inside its
        // directory (0711), so that the store above it, 0700 (I19), need not be reachable by
        // that root: the rootfs and /etc files are named relative to it.
        let dir = dirs.dir(&ContainerId::parse(&config.id)?);
        set_mode(&dir, 0o711)?;
        knobs.enter = Some(dir);
        knobs.become_root = true;
        etc_dir = Some(PathBuf::new());
    }
    Ok(StartPlan {
        joins,
        joined_maps,
        etc_dir,
        userns,
        knobs,
        ipc,
        pid,
        rootless: ctx.rootless || userns_made(ctx, config),
    })
}

fn set_mode(dir: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).with_context(|| {
        format!(
            "making {} reachable for the container's root",
            dir.display()
        )
    })
}

/// True when a root container gets a user namespace of its own (`--uidmap`).
fn userns_made(ctx: &Context, config: &ContainerConfig) -> bool {
    !ctx.rootless && has_own_userns(&config.namespaces)
}

impl StartPlan {
    /// Adjusts the mount plan to the namespaces: no /dev/shm with `--ipc none`, the host's
    /// /dev/shm (and, rootless, /dev/mqueue) with `--ipc host`, and rootless with `--pid host`
    /// the host's /proc bound recursively (a user namespace may not mount a procfs for a pid
    /// namespace it does not own; Podman does the same).
    pub fn adjust_mounts(&self, ops: &mut Vec<MountOp>) {
        let host_bind = |path: &str, recursive: bool| MountOp::Bind {
            source: PathBuf::from(path),
            dest: path.to_string(),
            readonly: false,
            recursive,
        };
        // Rootless, an mqueue cannot be mounted for the host's IPC namespace: the host's is
        // bound when it has one.
        let host_mqueue = Path::new("/dev/mqueue").is_dir();
        ops.retain(|op| match op {
            // With --ipc container:, the other's is attached instead (`rt::after_mounts`).
            MountOp::Shm { .. } => {
                self.ipc != Share::None && !matches!(self.ipc, Share::Container(_))
            }
            MountOp::Mqueue => !(self.ipc == Share::Host && self.rootless && !host_mqueue),
            _ => true,
        });
        for op in ops.iter_mut() {
            match op {
                MountOp::Shm { .. } if self.ipc == Share::Host => {
                    *op = host_bind("/dev/shm", false);
                }
                MountOp::Mqueue if self.ipc == Share::Host && self.rootless => {
                    *op = host_bind("/dev/mqueue", false);
                }
                MountOp::Proc if self.pid == Share::Host && self.rootless => {
                    *op = host_bind("/proc", true);
                }
                _ => {}
            }
        }
    }

    /// The container's root filesystem when its user namespace is not the user's: a copy of
    /// the image with its owners shifted into the container's map (made at the first start),
    /// so that files the image gives to uid N belong to uid N inside.
    pub fn remapped_rootfs(
        &self,
        store: &Store,
        image: &crate::storage::ImageRecord,
        id: &ContainerId,
    ) -> Result<Option<crate::runtime::rootfs::RootfsSpec>> {
        let Some(u) = &self.userns else {
            return Ok(None);
        };
        let copy = store
            .containers()
            .dir(id)
            .join(crate::storage::layout::ROOTFS_COPY);
        if !copy.is_dir() {
            store.create_shifted_rootfs_copy(id, image, Some(&u.own))?;
        }
        // As root the process reaches it from inside the container's directory (see
        // `plan_start`).
        let dir = match self.knobs.enter {
            Some(_) => PathBuf::from(crate::storage::layout::ROOTFS_COPY),
            None => copy,
        };
        Ok(Some(crate::runtime::rootfs::RootfsSpec::Copy { dir }))
    }

    /// The container's hostname is set in its own UTS namespace only.
    pub fn hostname(ns: &Namespaces, hostname: &str) -> Option<String> {
        ns.uts.then(|| hostname.to_string())
    }
}

/// Fills inspect's `HostConfig` namespace fields as Docker shows them: `IpcMode`, `PidMode`,
/// `UTSMode`, `CgroupnsMode`, `ShmSize`, `Sysctls`, `OomScoreAdj`.
pub(super) fn add_inspect(c: &ContainerConfig, host_config: &mut serde_json::Value) {
    use serde_json::json;
    let n = &c.namespaces;
    let Some(v) = host_config.as_object_mut() else {
        return;
    };
    let or = |s: &str, default: &str| {
        if s.is_empty() {
            default.to_string()
        } else {
            s.to_string()
        }
    };
    v.insert("IpcMode".into(), json!(or(&n.ipc, "shareable")));
    v.insert("PidMode".into(), json!(n.pid));
    if !n.uts.is_empty() {
        v.insert("UTSMode".into(), json!(n.uts));
    }
    v.insert("CgroupnsMode".into(), json!(or(&n.cgroupns, "private")));
    v.insert(
        "ShmSize".into(),
        json!(
            n.shm_size
                .unwrap_or(crate::runtime::mounts::DEFAULT_SHM_SIZE)
        ),
    );
    if !n.sysctls.is_empty() {
        v.insert("Sysctls".into(), json!(n.sysctls));
    }
    v.insert("OomScoreAdj".into(), json!(n.oom_score_adj.unwrap_or(0)));
    v.insert("UsernsMode".into(), json!(n.userns));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_picks_the_lowest_free_range() {
        assert_eq!(pick(&[(1, 65536)], &[], 1024), Some(1));
        assert_eq!(pick(&[(1, 65536)], &[(1, 1024)], 1024), Some(1025));
        assert_eq!(
            pick(&[(1, 65536)], &[(2000, 10), (1, 1024)], 1024),
            Some(2010)
        );
        assert_eq!(pick(&[(1, 2048)], &[(1000, 100)], 1024), None);
        assert_eq!(pick(&[(1, 10), (100, 2000)], &[], 1024), Some(100));
    }

    #[test]
    fn modes_parse_as_docker_spells_them() {
        assert_eq!(
            Share::parse("ipc", "none", &IPC, true).unwrap(),
            Share::None
        );
        assert_eq!(
            Share::parse("pid", "container:db", &PID, true).unwrap(),
            Share::Container("db".into())
        );
        for (flag, v, allowed, c) in [
            ("uts", "container:db", &UTS[..], false),
            ("pid", "shareable", &PID[..], true),
            ("ipc", "container:", &IPC[..], true),
            ("cgroupns", "bogus", &CGROUPNS[..], false),
        ] {
            let e = Share::parse(flag, v, allowed, c).unwrap_err();
            assert!(
                format!("{e:#}").contains(&format!("invalid --{flag}")),
                "{e:#}"
            );
        }
    }

    #[test]
    fn sysctls_must_be_namespaced_and_their_namespace_private() {
        let private = Share::Default;
        assert_eq!(
            check_sysctl("net.ipv4.ip_forward=1", &private, &private, true).unwrap(),
            ("net.ipv4.ip_forward".to_string(), "1".to_string())
        );
        assert!(check_sysctl("kernel.shmmax=1000", &private, &private, true).is_ok());
        assert!(check_sysctl("fs.mqueue.msg_max=20", &private, &private, true).is_ok());
        for (s, ipc, net, words) in [
            (
                "kernel.pid_max=5",
                Share::Default,
                true,
                "not a namespaced sysctl",
            ),
            (
                "net.ipv4.ip_forward=1",
                Share::Default,
                false,
                "own network namespace",
            ),
            ("kernel.shmmax=1", Share::Host, true, "own IPC namespace"),
            ("vm.swappiness", Share::Default, true, "expected KEY=VALUE"),
            ("net...x=1", Share::Default, true, "not a sysctl name"),
        ] {
            let e = check_sysctl(s, &ipc, &private, net).unwrap_err();
            assert!(format!("{e:#}").contains(words), "{s}: {e:#}");
        }
        assert!(check_sysctl("kernel.domainname=x", &private, &Share::Host, true).is_err());
    }

    #[test]
    fn namespaces_follow_the_record() {
        let mut c = ContainerConfig {
            network: "container:ab".into(),
            ..ContainerConfig::default()
        };
        c.namespaces.ipc = "host".into();
        c.namespaces.pid = "container:ab".into();
        c.namespaces.cgroupns = "host".into();
        let ns = namespaces(true, &c).unwrap();
        assert!(!ns.ipc && !ns.pid && !ns.net && !ns.cgroup && !ns.user && ns.uts);
        assert_eq!(
            ns.joined,
            CloneFlags::CLONE_NEWPID | CloneFlags::CLONE_NEWNET | CloneFlags::CLONE_NEWUSER
        );
        let ns = namespaces(false, &c).unwrap();
        assert_eq!(
            ns.joined,
            CloneFlags::CLONE_NEWPID | CloneFlags::CLONE_NEWNET
        );
        assert!(namespaces(true, &ContainerConfig::default()).unwrap().user);
    }
}
