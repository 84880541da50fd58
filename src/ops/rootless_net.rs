//! Rootless user-defined networks (`network create NAME` and `--network NAME` as a user): the
//! life of the per-user network namespace holder and what a container start, `network rm`,
//! `network connect|disconnect`, the DNS server and the published ports' relay do through it.
//! The namespace calls are `runtime::netns`'s, the netlink and nft calls `net::bridge`'s and
//! `net::nft`'s, the relay `net::forward`'s; this module decides when.
//!
//! The holder is berth itself in a hidden mode (`berth __rootless-netns serve STORE DIR`): a
//! process in a user namespace of its own (the user's full subordinate-id map, as a rootless
//! container gets) and a network namespace in which the networks' bridges live, with pasta
//! attached for egress. Containers on these networks join its user namespace, so that a
//! helper in it may plug their network namespaces into the bridges (`runtime::netns`).
//!
//! ```text
//! <runroot>/rootless-netns/lock        taken to start or stop the holder
//! <runroot>/rootless-netns/pid         "PID STARTTIME" of the running holder
//! <runroot>/rootless-netns/wanted      touched by every start of a container on such a network
//! <runroot>/rootless-netns/pasta.log   pasta's log (and pasta.pid its pid)
//! ```
//!
//! Like the DNS server, the holder is no daemon: it checks once a second whether a container
//! on a network of its store is alive or `wanted` is younger than `GRACE`, and otherwise, under
//! the lock, removes its pid file, ends pasta and the networks' DNS servers (which live in
//! its network namespace) and exits. A pid file naming a process that is not the holder it
//! recorded (I11) counts as no holder.

use std::ffi::OsString;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::Ipv4Addr;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, SystemTime};

use anyhow::{Context as _, Result, bail};

use crate::context::Context;
use crate::error;
use crate::net;
use crate::runtime::netns::Holder;
use crate::storage::container::{self as records, ContainerConfig};
use crate::storage::layout::Layout;
use crate::storage::{Store, lock};

/// The hidden first argument that makes berth the holder (`berth __rootless-netns serve
/// STORE DIR`).
pub const CHILD_ARG: &str = "__rootless-netns";
/// How long after a container start the holder stays without a live container.
const GRACE: Duration = Duration::from_secs(10);
/// How long a start waits for another start or the holder's exit.
const LOCK_WAIT: Duration = Duration::from_secs(30);

fn dir(ctx: &Context) -> PathBuf {
    ctx.runroot.join("rootless-netns")
}

/// The live holder recorded in `dir`: (pid, start time).
fn running(dir: &Path) -> Option<(i32, u64)> {
    let text = std::fs::read_to_string(dir.join("pid")).ok()?;
    let (pid, start) = text.trim().split_once(' ')?;
    let (pid, start): (i32, u64) = (pid.parse().ok()?, start.parse().ok()?);
    (pid > 0 && records::process_start_time(pid) == Some(start)).then_some((pid, start))
}

/// True when container `config`, as recorded, is on a rootless user-defined network (the
/// caller is rootless): its user namespace is the holder's.
pub(crate) fn on_rootless_network(rootless: bool, config: &ContainerConfig) -> bool {
    rootless && matches!(net::Mode::parse(&config.network), Ok(net::Mode::Bridge))
}

/// Refuses, at create, what rootless networks cannot do yet: options that give the container
/// a user namespace of its own or another container's (the container must be in the
/// holder's).
pub(super) fn check_create(
    ctx: &Context,
    mode: net::Mode,
    ns: &crate::storage::namespaces::NamespaceConfig,
) -> Result<()> {
    if !ctx.rootless || mode != net::Mode::Bridge {
        return Ok(());
    }
    if !(ns.userns.is_empty() || ns.userns == "host")
        || !ns.uidmap.is_empty()
        || !ns.gidmap.is_empty()
    {
        bail!(error::invalid(
            "--userns, --uidmap and --gidmap are not supported with rootless networks yet: their containers share the user namespace of the rootless networks"
        ));
    }
    if [&ns.ipc, &ns.pid]
        .iter()
        .any(|v| v.starts_with("container:"))
    {
        bail!(error::invalid(
            "--ipc container: and --pid container: are not supported with rootless networks yet: their containers share the user namespace of the rootless networks"
        ));
    }
    Ok(())
}

/// Makes sure the holder of `ctx`'s rootless networks runs (starting it if not) and marks it
/// wanted; returns handles on its namespaces. The caller must be single-threaded.
///
/// Errors: pasta is not installed, the user has no subordinate ids, the holder or pasta fail.
pub(super) fn ensure(ctx: &Context, store: &Store) -> Result<Holder> {
    let dir = dir(ctx);
    crate::storage::atomic::ensure_private_dir(&dir)?;
    let _lock = lock::exclusive(&dir.join("lock"), LOCK_WAIT)?;
    let wanted = dir.join("wanted");
    std::fs::write(&wanted, b"").with_context(|| format!("writing {}", wanted.display()))?;
    if let Some((pid, start)) = running(&dir) {
        return Holder::open(pid, start);
    }
    start(ctx, store, &dir).context("starting the network namespace of the rootless networks")
}

fn start(ctx: &Context, store: &Store, dir: &Path) -> Result<Holder> {
    let log = dir.join("pasta.log");
    net::pasta::kill_leftover(&log);
    let pasta = net::pasta::plan(&[], &log, false).map_err(|_| {
        error::invalid(
            "rootless user-defined networks need pasta (Debian package passt) for their egress, which is not installed",
        )
    })?;
    let maps = crate::runtime::userns::maps_for(
        ctx.uid,
        ctx.gid,
        ctx.user_name.as_deref(),
        Path::new("/etc"),
    );
    if !maps.is_full() {
        bail!(error::invalid(
            "rootless user-defined networks need subordinate ids in /etc/subuid and /etc/subgid and newuidmap/newgidmap (package uidmap)"
        ));
    }
    let root = store.networks();
    let root = root
        .parent()
        .context("the networks directory has no parent")?;
    let mut child = Command::new("/proc/self/exe")
        .arg(CHILD_ARG)
        .arg("serve")
        .arg(root)
        .arg(dir)
        .current_dir("/")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the holder")?;
    let said = (|| -> Result<String> {
        let mut out = BufReader::new(child.stdout.take().context("the holder's output")?);
        let mut line = String::new();
        out.read_line(&mut line)
            .context("reading from the holder")?;
        if line != "ready\n" {
            bail!("the holder did not start: {}", line.trim());
        }
        crate::runtime::userns::write_maps(child.id(), &maps)
            .context("writing the holder's id maps")?;
        child
            .stdin
            .as_mut()
            .context("the holder's input")?
            .write_all(b"go\n")
            .context("starting the holder")?;
        line.clear();
        out.read_line(&mut line)
            .context("reading from the holder")?;
        Ok(line)
    })();
    // The holder proper keeps this pipe until it is told pasta's pid (or sees it closed).
    let mut tell = child.stdin.take();
    // It exits once the holder proper runs in the background.
    let _ = child.wait();
    let said = said?;
    let Some((pid, start)) = said
        .trim()
        .strip_prefix("holder ")
        .and_then(|r| r.split_once(' '))
        .and_then(|(p, s)| Some((p.parse::<i32>().ok()?, s.parse::<u64>().ok()?)))
    else {
        bail!(
            "{}",
            said.trim()
                .strip_prefix("error: ")
                .unwrap_or("the holder ended without a word")
        );
    };
    let holder = Holder::open(pid, start)?;
    let attached = net::pasta::start(&pasta, pid).and_then(|p| {
        let daemon = std::fs::read_to_string(&pasta.pidfile).unwrap_or_default();
        tell.as_mut()
            .context("the holder's input")?
            .write_all(format!("pasta {}\n", daemon.trim()).as_bytes())
            .context("telling the holder pasta's pid")?;
        // pasta stays as long as the holder, which ends it (through its own pidfd) on exit.
        std::mem::forget(p);
        Ok(())
    });
    drop(tell);
    if let Err(e) = attached {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        );
        return Err(e);
    }
    crate::storage::atomic::write_file(
        &dir.join("pid"),
        format!("{pid} {start}\n").as_bytes(),
        0o600,
    )?;
    Ok(holder)
}

/// `berth __rootless-netns serve STORE DIR`: enters a new user namespace (mapped by the
/// caller), makes the network namespace, forks the holder into the background, tells the
/// caller its pid and exits; the holder waits until no container needs it. `forward`: a
/// container's port relay (started by `publish`).
pub fn main(args: &[OsString]) -> ExitCode {
    let say = |line: &str| {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(format!("{line}\n").as_bytes());
        let _ = out.flush();
    };
    let result = match (
        args.first().and_then(|a| a.to_str()),
        args.get(1).map(PathBuf::from),
        args.get(2).map(PathBuf::from),
    ) {
        (Some("serve"), Some(root), Some(dir)) => serve(&root, &dir, &say),
        (Some("forward"), ..) => forward(&args[1..], &say),
        _ => Err(anyhow::anyhow!(
            "usage: berth __rootless-netns serve STORE DIR | forward PID START HOST=CONTAINER..."
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("error: {e:#}"));
            ExitCode::from(125)
        }
    }
}

fn serve(root: &Path, dir: &Path, say: &dyn Fn(&str)) -> Result<()> {
    crate::runtime::userns::enter_as_child()?;
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
        .context("making the network namespace")?;
    net::bridge::up("lo")?;
    // The bridges' traffic is routed out through pasta's interface.
    std::fs::write("/proc/sys/net/ipv4/ip_forward", "1")
        .context("turning on IPv4 forwarding in the network namespace")?;
    let Some(()) = (match crate::runtime::netns::detach()? {
        Some(pid) => {
            let start =
                records::process_start_time(pid).context("reading the holder's start time")?;
            say(&format!("holder {pid} {start}"));
            None
        }
        None => Some(()),
    }) else {
        return Ok(());
    };
    // The holder proper: pasta's pid first (its pid file may go with the runroot before we
    // do; a pidfd does not), then nothing of the caller's stays open.
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    let log = dir.join("pasta.log").display().to_string();
    let Some(pasta) = line
        .trim()
        .strip_prefix("pasta ")
        .and_then(|p| p.parse::<i32>().ok())
        .and_then(|pid| {
            let fd = crate::runtime::sys::pidfd_open(pid).ok()?;
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
            String::from_utf8_lossy(&cmdline)
                .contains(&log)
                .then_some(fd)
        })
    else {
        // The caller gave up (pasta failed): it kills us anyway.
        return Ok(());
    };
    if let Ok(null) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
    {
        let _ = nix::unistd::dup2_stdin(&null);
        let _ = nix::unistd::dup2_stdout(&null);
        let _ = nix::unistd::dup2_stderr(&null);
    }
    hold(root, dir);
    let _ = crate::runtime::sys::pidfd_send_signal(std::os::fd::AsFd::as_fd(&pasta), libc::SIGKILL);
    Ok(())
}

/// The holder's loop: returns (under the lock, which is released as the process exits; the
/// caller then ends pasta) once nothing needs it.
fn hold(root: &Path, dir: &Path) {
    let layout = Layout::new(root);
    let boot = records::boot_id();
    let needed = || {
        if !root.is_dir() || !dir.is_dir() {
            return false;
        }
        let wanted = std::fs::metadata(dir.join("wanted"))
            .and_then(|m| m.modified())
            .is_ok_and(|t| SystemTime::now().duration_since(t).unwrap_or_default() < GRACE);
        if wanted {
            return true;
        }
        let dirs = layout.containers();
        dirs.list().into_iter().any(|id| {
            dirs.read_config(&id)
                .is_ok_and(|c| on_rootless_network(true, &c))
                && dirs.read_state(&id).is_alive(&boot)
        })
    };
    loop {
        std::thread::sleep(Duration::from_secs(1));
        if needed() {
            continue;
        }
        let held = match lock::try_exclusive(&dir.join("lock")) {
            Ok(Some(l)) => Some(l),
            // Someone is starting a container: look again in a second.
            Ok(None) => continue,
            // The directory is gone: nobody can start anything through us any more.
            Err(_) => None,
        };
        if held.is_some() && needed() {
            continue;
        }
        let _ = std::fs::remove_file(dir.join("pid"));
        let _ = std::fs::remove_file(dir.join("pasta.pid"));
        // The DNS servers listen in our network namespace, which is going away.
        let networks = layout.networks();
        let (all, _) = net::network::Networks::new(&networks).list();
        for n in all {
            let _ = super::dns::stop(&networks, &n);
        }
        // The lock is released as the process exits.
        std::mem::forget(held);
        return;
    }
}

/// What a container start on a rootless network adds to its plan: its network namespace,
/// made in the holder's user namespace and plugged into its networks' bridges, and the
/// holder's user namespace to join first.
pub(super) struct Started {
    pub holder: Holder,
    pub netns: OwnedFd,
}

/// Plugs a new network namespace into the bridges `plan` names (made if missing) inside the
/// holder's network namespace; returns the namespace, which the container joins.
pub(super) fn attach(holder: Holder, plan: &net::bridge::BridgePlan) -> Result<Started> {
    // Published ports are relayed ([`publish`]), not DNATed: no port table in the namespace.
    let mut plan = plan.clone();
    plan.ports = None;
    let netns =
        crate::runtime::netns::run_in(&holder, "connecting to the rootless network", || {
            let made = crate::runtime::netns::new_netns(&holder)?;
            // With no port table, the attachment leaves nothing to undo.
            net::bridge::attach_netns(&plan, &made)?;
            Ok(Some(made))
        })?
        .context("the network helper sent no network namespace")?;
    Ok(Started { holder, netns })
}

/// Starts the relay of the ports `plan` publishes (none: nothing to start): `berth
/// __rootless-netns forward`, which binds the host's ports here, then relays from inside the
/// holder's network namespace. It lives as long as the returned handle.
///
/// Errors: a host port is taken or privileged (`net.ipv4.ip_unprivileged_port_start`).
pub(super) fn publish(
    holder: &Holder,
    plan: &net::bridge::BridgePlan,
) -> Result<Option<crate::runtime::netns::Companion>> {
    let Some(rules) = &plan.ports else {
        return Ok(None);
    };
    let mut forwards = Vec::new();
    for p in &rules.ports {
        let ip = p
            .host_ip
            .unwrap_or(std::net::IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        for (container, _, host) in p.each() {
            forwards.push(net::forward::Forward {
                proto: p.proto,
                host: std::net::SocketAddr::new(ip, host),
                container: std::net::SocketAddrV4::new(rules.address, container),
            });
        }
    }
    let start = records::process_start_time(holder.pid).context("the holder has ended")?;
    let mut command = Command::new("/proc/self/exe");
    command
        .arg(CHILD_ARG)
        .arg("forward")
        .arg(holder.pid.to_string())
        .arg(start.to_string())
        .args(forwards.iter().map(ToString::to_string))
        .current_dir("/")
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    crate::runtime::netns::Companion::spawn(command)
        .map(Some)
        .context("publishing the container's ports")
}

/// `berth __rootless-netns forward PID START HOST=CONTAINER…`: binds the host's ports, enters
/// the holder's namespaces (PID, started at START), says `ready` and relays.
fn forward(args: &[OsString], say: &dyn Fn(&str)) -> Result<()> {
    let text: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    let [pid, start, specs @ ..] = text.as_slice() else {
        bail!("usage: berth __rootless-netns forward PID START HOST=CONTAINER...");
    };
    let (pid, start): (i32, u64) = (
        pid.parse().context("bad pid")?,
        start.parse().context("bad start time")?,
    );
    let forwards = specs
        .iter()
        .map(|s| net::forward::Forward::parse(s))
        .collect::<Result<Vec<_>>>()?;
    let listeners = net::forward::bind(&forwards).map_err(|e| {
        let privileged = e.chain().any(|c| {
            c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::PermissionDenied)
        });
        match privileged {
            true => e.context(
                "ports below net.ipv4.ip_unprivileged_port_start need root (sysctl net.ipv4.ip_unprivileged_port_start)",
            ),
            false => e,
        }
    })?;
    let holder = Holder::open(pid, start)?;
    nix::sys::prctl::set_dumpable(false).context("making the port relay non-dumpable")?;
    holder.enter()?;
    drop(holder);
    say("ready");
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        let _ = nix::unistd::dup2_stdout(&null);
    }
    net::forward::serve(listeners)
}

/// Connects the running container whose process is `pid` to one more network (`network
/// connect`), inside the holder's network namespace. `still_ours` is asked once the
/// container's namespace is open, so that a pid reused meanwhile is never joined (I11).
pub(super) fn connect(
    holder: &Holder,
    plan: &net::bridge::BridgePlan,
    pid: i32,
    still_ours: &dyn Fn() -> bool,
) -> Result<()> {
    let netns = std::fs::File::open(format!("/proc/{pid}/ns/net"))
        .with_context(|| format!("opening the network namespace of process {pid}"))?;
    if !still_ours() {
        bail!("the container's process {pid} has ended");
    }
    let netns = OwnedFd::from(netns);
    crate::runtime::netns::run_in(holder, "connecting to the rootless network", || {
        net::bridge::connect_netns(plan, &netns).map(|()| None)
    })
    .map(|_| ())
}

/// Deletes the veth `name` (a container's, taking its other end with it) in the holder's
/// network namespace, if the holder runs (otherwise it went with it).
pub(super) fn unplug(ctx: &Context, name: &str) -> Result<()> {
    let Some((pid, start)) = running(&dir(ctx)) else {
        return Ok(());
    };
    let holder = Holder::open(pid, start)?;
    crate::runtime::netns::run_in(&holder, "unplugging the container", || {
        net::bridge::delete(name).map(|()| None)
    })
    .map(|_| ())
}

/// The address the containers of rootless networks reach the host at: pasta's gateway (the
/// host's default gateway, which pasta maps to the host itself).
pub(super) fn host_address() -> Option<Ipv4Addr> {
    std::fs::read_to_string("/proc/net/route")
        .ok()
        .and_then(|t| net::hosts::default_gateway(&t))
}

/// Deletes network `n`'s bridge and nftables table in the holder's network namespace, if the
/// holder runs (otherwise they went with it), after stopping its DNS server.
pub(super) fn delete_bridge(ctx: &Context, store: &Store, n: &net::network::Network) -> Result<()> {
    let dns = super::dns::stop(&store.networks(), n);
    let dir = dir(ctx);
    let Some((pid, start)) = running(&dir) else {
        return dns;
    };
    let holder = Holder::open(pid, start)?;
    let (bridge, table) = (n.interface.clone(), net::nft::table_name(&n.id));
    let removed =
        crate::runtime::netns::run_in(&holder, "removing the rootless network's bridge", || {
            let b = net::bridge::delete(&bridge);
            let t = net::nft::remove(&table);
            b.and(t).map(|()| None)
        });
    dns.and(removed.map(|_| ()))
}
