//! The life of a user-defined network's DNS server (`net::dns`), which is berth itself in a
//! hidden mode: started by the first container start on the network, gone after the last
//! container on it has stopped. No daemon outlives its network's containers.
//!
//! ```text
//! <store>/networks/dns/<id>.lock     taken to start or stop the server, and by the server to exit
//! <store>/networks/dns/<id>.pid      "PID STARTTIME" of the running server
//! <store>/networks/dns/<id>.wanted   touched by every start of a container on the network
//! ```
//!
//! A starting container touches `wanted` and starts the server unless its pid file names a live
//! process, both under the lock. The server checks once a second whether any container with
//! an address on the network is alive or has its lock held (a start in progress); when none
//! is and `wanted` is older than `GRACE` (2 s), it takes the lock, closes its sockets, removes
//! its pid file and exits. The server reads the container records at each query, so
//! it is never out of date and holds nothing that can leak.

use std::ffi::OsString;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::{Context as _, Result, bail};

use crate::net::dns::{self, Lookup};
use crate::net::network::{Network, Networks};
use crate::storage::container::{self as records, ContainerDirs, ContainerId};
use crate::storage::layout::Layout;
use crate::storage::{Store, lock};

/// The hidden first argument that makes berth a DNS server (`berth __dns start|serve ROOT ID`).
pub const CHILD_ARG: &str = "__dns";
/// How long after a container start the server stays without a live container (besides the
/// start's lock, which it also watches).
const GRACE: Duration = Duration::from_secs(2);
/// How long a start or stop waits for another one on the same network.
const LOCK_WAIT: Duration = Duration::from_secs(30);

fn dir(networks: &Path) -> PathBuf {
    networks.join("dns")
}

fn file(networks: &Path, id: &str, ext: &str) -> PathBuf {
    dir(networks).join(format!("{id}.{ext}"))
}

/// The live server of network `id`: its pid, when its pid file names a process that is still
/// the one that wrote it (I11).
fn running(networks: &Path, id: &str) -> Option<i32> {
    let text = std::fs::read_to_string(file(networks, id, "pid")).ok()?;
    let (pid, start) = text.trim().split_once(' ')?;
    let (pid, start): (i32, u64) = (pid.parse().ok()?, start.parse().ok()?);
    (pid > 0 && records::process_start_time(pid) == Some(start)).then_some(pid)
}

/// Makes sure network `n` of `store` has its DNS server running: starts it unless it is, and
/// in any case tells it that a container is starting. Errors: the server cannot bind its
/// address (another DNS server on the host's port 53 of all addresses, say). With `holder`,
/// the server starts inside its namespaces (a rootless network's bridge lives there;
/// `ops::rootless_net`).
pub(super) fn ensure(
    store: &Store,
    n: &Network,
    holder: Option<&crate::runtime::netns::Holder>,
) -> Result<()> {
    let networks = store.networks();
    crate::storage::atomic::ensure_private_dir(&dir(&networks))?;
    let _lock = lock::exclusive(&file(&networks, &n.id, "lock"), LOCK_WAIT)?;
    let wanted = file(&networks, &n.id, "wanted");
    std::fs::write(&wanted, b"").with_context(|| format!("writing {}", wanted.display()))?;
    if running(&networks, &n.id).is_some() {
        return Ok(());
    }
    // The store's root: the networks directory's parent (storage::layout).
    let root = networks
        .parent()
        .context("the networks directory has no parent")?;
    let mut command = Command::new("/proc/self/exe");
    command
        .arg(CHILD_ARG)
        .arg("start")
        .arg(root)
        .arg(&n.id)
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(h) = holder {
        h.enter_before_exec(&mut command);
    }
    let mut child = command
        .spawn()
        .context("starting the network's DNS server")?;
    let mut said = String::new();
    if let Some(out) = child.stdout.take() {
        let _ = out.take(64 * 1024).read_to_string(&mut said);
    }
    let _ = child.wait();
    match said.trim() {
        "ready" => Ok(()),
        "" => bail!("the DNS server of network {:?} did not start", n.name),
        why => bail!(
            "starting the DNS server of network {:?}: {}",
            n.name,
            why.strip_prefix("error: ").unwrap_or(why)
        ),
    }
}

/// Stops network `n`'s DNS server, if it runs (at `network rm`: its address may be reused
/// by the next network at once).
pub(super) fn stop(networks: &Path, n: &Network) -> Result<()> {
    if !dir(networks).exists() {
        return Ok(());
    }
    let lock = lock::exclusive(&file(networks, &n.id, "lock"), LOCK_WAIT)?;
    if let Some(pid) = running(networks, &n.id) {
        // Its start time was checked a moment ago, under the lock it needs to exit.
        let pid = nix::unistd::Pid::from_raw(pid);
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL)
            .with_context(|| format!("stopping the DNS server of network {:?}", n.name))?;
        // It is nobody's child (init reaps it): wait until its sockets are closed.
        for _ in 0..200 {
            if records::process_start_time(pid.as_raw()).is_none() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    // The network is gone: nobody starts its server again, so its lock file can go too.
    for ext in ["pid", "wanted", "lock"] {
        let _ = std::fs::remove_file(file(networks, &n.id, ext));
    }
    drop(lock);
    Ok(())
}

/// `berth __dns start|serve ROOT ID`. `start` runs `serve` as an orphan in its own process
/// group (so that the caller need not reap it, and a ctrl-c at the terminal does not reach it),
/// relays its first line and exits; `serve` binds, writes the pid file, says `ready` and serves.
pub fn main(args: &[OsString]) -> ExitCode {
    let say = |line: &str| {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(format!("{line}\n").as_bytes());
        let _ = out.flush();
    };
    let (Some(verb), Some(root), Some(id)) = (
        args.first().and_then(|a| a.to_str()),
        args.get(1),
        args.get(2).and_then(|a| a.to_str()),
    ) else {
        say("error: usage: berth __dns start|serve ROOT ID");
        return ExitCode::from(125);
    };
    let result = match verb {
        "start" => start_orphan(root, id).map(|line| say(&line)),
        "serve" => serve(Path::new(root), id, &say),
        other => Err(anyhow::anyhow!("unknown verb {other:?}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("error: {e:#}"));
            ExitCode::from(125)
        }
    }
}

fn start_orphan(root: &std::ffi::OsStr, id: &str) -> Result<String> {
    use std::os::unix::process::CommandExt as _;
    let mut child = Command::new("/proc/self/exe")
        .arg(CHILD_ARG)
        .arg("serve")
        .arg(root)
        .arg(id)
        .current_dir("/")
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the DNS server")?;
    let out = child.stdout.take().context("the DNS server's output")?;
    let mut line = String::new();
    BufReader::new(out)
        .read_line(&mut line)
        .context("reading from the DNS server")?;
    Ok(line.trim().to_string())
}

/// The store-backed names of one network.
struct NetworkNames {
    nets: Networks,
    networks_dir: PathBuf,
    network: Network,
    dirs: ContainerDirs,
    boot: String,
}

impl NetworkNames {
    /// The live containers on the network: (address, record).
    fn members(&self) -> Vec<(std::net::Ipv4Addr, records::ContainerConfig)> {
        self.nets
            .allocations(&self.network)
            .into_iter()
            .filter_map(|(ip, owner)| {
                let id = ContainerId::parse(&owner).ok()?;
                if !self.dirs.read_state(&id).is_alive(&self.boot) {
                    return None;
                }
                Some((ip, self.dirs.read_config(&id).ok()?))
            })
            .collect()
    }

    /// True when a container on the network is being started (or stopped, or removed) right
    /// now: its lock is held. A start holds it from before it starts this server until its
    /// state says running (I10), so no start is ever left without its server.
    fn busy(&self) -> bool {
        self.nets
            .allocations(&self.network)
            .into_iter()
            .filter_map(|(_, owner)| ContainerId::parse(&owner).ok())
            .any(|id| self.dirs.dir(&id).exists() && matches!(self.dirs.try_lock(&id), Ok(None)))
    }

    /// Whether the server is still needed.
    fn needed(&self) -> bool {
        !self.members().is_empty()
            || self.busy()
            || recently_wanted(&self.networks_dir, &self.network.id)
    }
}

impl NetworkNames {
    /// The aliases of container `c` on this network: `--network-alias` on its own network,
    /// `network connect --alias` on one it was connected to.
    fn aliases<'c>(&self, c: &'c records::ContainerConfig) -> &'c [String] {
        if c.network == self.network.name {
            return &c.net.aliases;
        }
        c.net
            .connected
            .iter()
            .find(|k| k.network == self.network.name)
            .map_or(&[], |k| &k.aliases)
    }
}

impl dns::Names for NetworkNames {
    fn lookup(&self, name: &str) -> Lookup {
        let found: Vec<_> = self
            .members()
            .into_iter()
            .filter(|(_, c)| {
                let short = c.id.get(..12).unwrap_or(&c.id);
                c.name.eq_ignore_ascii_case(name)
                    || short == name
                    || c.id == name
                    || self.aliases(c).iter().any(|a| a.eq_ignore_ascii_case(name))
            })
            .map(|(ip, _)| ip)
            .collect();
        if !found.is_empty() {
            Lookup::Found(found)
        } else if !name.contains('.') {
            // A single label is a container name or nothing: the host's resolvers would only
            // be asked for what cannot exist.
            Lookup::NoSuchName
        } else {
            Lookup::Forward
        }
    }

    fn upstreams(&self, client: IpAddr) -> Vec<SocketAddr> {
        // The address's holder, alive or not yet recorded as running: a container's command
        // may ask before its start has written the state.
        let own = self
            .nets
            .allocations(&self.network)
            .into_iter()
            .find(|(ip, _)| IpAddr::V4(*ip) == client)
            .and_then(|(_, owner)| ContainerId::parse(&owner).ok())
            .and_then(|id| self.dirs.read_config(&id).ok())
            .map(|c| c.net.dns)
            .unwrap_or_default();
        let addrs: Vec<IpAddr> = if own.is_empty() {
            crate::net::hosts::ResolvConf::parse(
                &std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default(),
            )
            .addresses()
        } else {
            own.iter().filter_map(|a| a.parse().ok()).collect()
        };
        addrs
            .into_iter()
            .filter(|a| *a != IpAddr::V4(self.network.gateway))
            .map(|a| SocketAddr::new(a, dns::PORT))
            .collect()
    }

    fn serves(&self, client: IpAddr) -> bool {
        matches!(client, IpAddr::V4(ip) if self.network.subnet.contains(ip))
    }

    fn keep_going(&self) -> bool {
        if self.nets.resolve(&self.network.id).is_err() {
            return false;
        }
        if self.needed() {
            return true;
        }
        // Exit under the lock, so that a start either sees our pid file or none.
        let Ok(Some(held)) =
            lock::try_exclusive(&file(&self.networks_dir, &self.network.id, "lock"))
        else {
            return true;
        };
        if self.needed() {
            return true;
        }
        let _ = std::fs::remove_file(file(&self.networks_dir, &self.network.id, "pid"));
        let _ = std::fs::remove_file(file(&self.networks_dir, &self.network.id, "wanted"));
        // The lock is released as the process exits, after its sockets are closed.
        std::mem::forget(held);
        false
    }
}

fn recently_wanted(networks: &Path, id: &str) -> bool {
    std::fs::metadata(file(networks, id, "wanted"))
        .and_then(|m| m.modified())
        .is_ok_and(|t| SystemTime::now().duration_since(t).unwrap_or_default() < GRACE)
}

fn serve(root: &Path, id: &str, say: &dyn Fn(&str)) -> Result<()> {
    let layout = Layout::new(root);
    let networks_dir = layout.networks();
    let nets = Networks::new(&networks_dir);
    let network = nets.resolve(id)?;
    let server = dns::Server::bind(network.gateway, dns::PORT)?;
    let me = std::process::id();
    let start = records::process_start_time(me as i32).context("reading our own start time")?;
    let pid_file = file(&networks_dir, id, "pid");
    crate::storage::atomic::write_file(&pid_file, format!("{me} {start}\n").as_bytes(), 0o600)?;
    say("ready");
    let names = NetworkNames {
        nets,
        networks_dir,
        network,
        dirs: layout.containers(),
        boot: records::boot_id(),
    };
    server.serve(Arc::new(names))
}
