//! User-mode networking with slirp4netns, the rootless fallback when pasta is not installed:
//! the container's network namespace gets `tap0` (10.0.2.100/24, gateway 10.0.2.2, DNS
//! forwarder 10.0.2.3), egress through slirp4netns's sockets, and published ports added
//! through its API socket (`add_hostfwd`).
//!
//! slirp4netns joins the container's user and network namespaces itself (`--userns-path`,
//! `--netns-type=path`). Its `--ready-fd` is its stdout (it writes "1" once `tap0` is
//! configured; its messages go to stderr) and its `--exit-fd` is its stdin: it exits when the
//! other end of that pipe closes, which is when the process that started it lets go of
//! [`Slirp`] — or is killed, so a SIGKILLed monitor leaves no slirp4netns behind. The host's
//! loopback is not reachable through 10.0.2.2 (`--disable-host-loopback`, as Podman does).

use std::io::{Read as _, Write as _};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use super::ports::{PortMapping, Proto};

/// Where slirp4netns is looked for.
const PROGRAMS: [&str; 2] = ["/usr/bin/slirp4netns", "/usr/local/bin/slirp4netns"];
/// How long slirp4netns may take to configure the namespace.
const READY_TIMEOUT: Duration = Duration::from_secs(10);
/// The container's address on `tap0` (slirp4netns's `--configure` default).
pub const GUEST: &str = "10.0.2.100";
/// slirp4netns's DNS forwarder, as the container sees it.
pub const DNS: &str = "10.0.2.3";

/// The installed slirp4netns, if any.
pub fn find() -> Option<PathBuf> {
    PROGRAMS.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// What to run for one container start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlirpPlan {
    pub program: PathBuf,
    /// Published ports, host ports resolved.
    pub ports: Vec<PortMapping>,
    /// Its API socket (ports are added through it).
    pub api_socket: PathBuf,
    /// Its stderr, read back when it fails.
    pub log: PathBuf,
}

/// Plans slirp4netns for `ports`, logging to `log`, with its API socket at `api_socket` (a unix
/// socket path: under 108 bytes). IPv6 host addresses are refused (the namespace gets IPv4
/// only).
pub fn plan(ports: &[PortMapping], log: &Path, api_socket: &Path) -> Result<SlirpPlan> {
    let program = find().context(
        "--network slirp4netns needs slirp4netns (Debian package slirp4netns), which is not installed",
    )?;
    if api_socket.as_os_str().len() >= 108 {
        bail!(
            "the slirp4netns API socket path {} is too long for a unix socket (108 bytes): use a shorter --runroot",
            api_socket.display()
        );
    }
    for p in ports {
        if let Some(std::net::IpAddr::V6(ip)) = p.host_ip {
            bail!(crate::error::invalid(format!(
                "cannot publish on {ip} with slirp4netns: its network is IPv4"
            )));
        }
    }
    Ok(SlirpPlan {
        program,
        ports: ports.to_vec(),
        api_socket: api_socket.to_path_buf(),
        log: log.to_path_buf(),
    })
}

/// A running slirp4netns: it exits when this is dropped (its exit pipe closes).
#[derive(Debug)]
pub struct Slirp {
    child: Child,
    exit: Option<OwnedFd>,
    api_socket: PathBuf,
}

impl Drop for Slirp {
    fn drop(&mut self) {
        // Closing the exit pipe ends it; SIGKILL in case it does not listen any more.
        self.exit.take();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.api_socket);
    }
}

/// Runs slirp4netns for the namespaces of `pid`, waits until it has configured them and
/// publishes the plan's ports. Errors carry slirp4netns's own words.
pub fn start(plan: &SlirpPlan, pid: i32) -> Result<Slirp> {
    let _ = std::fs::remove_file(&plan.api_socket);
    let log = std::fs::File::create(&plan.log)
        .with_context(|| format!("creating {}", plan.log.display()))?;
    let (exit_r, exit_w) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).context("pipe2 for slirp4netns")?;
    let (ready_r, ready_w) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).context("pipe2 for slirp4netns")?;
    let child = Command::new(&plan.program)
        .args(["--configure", "--mtu=65520", "--disable-host-loopback"])
        .args(["--ready-fd=1", "--exit-fd=0", "--api-socket"])
        .arg(&plan.api_socket)
        .arg(format!("--userns-path=/proc/{pid}/ns/user"))
        .args(["--netns-type=path", &format!("/proc/{pid}/ns/net"), "tap0"])
        .stdin(Stdio::from(exit_r))
        .stdout(Stdio::from(ready_w))
        .stderr(Stdio::from(log))
        .spawn()
        .with_context(|| format!("running {}", plan.program.display()))?;
    let slirp = Slirp {
        child,
        exit: Some(exit_w),
        api_socket: plan.api_socket.clone(),
    };
    let words = || {
        let text = std::fs::read_to_string(&plan.log).unwrap_or_default();
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.contains("tapfd"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if !ready(&ready_r)? {
        bail!(
            "slirp4netns could not set up the container's network: {}",
            words()
        );
    }
    for p in &plan.ports {
        for (container, _, host) in p.each() {
            add_hostfwd(&plan.api_socket, p, host, container).with_context(|| {
                let ip = p.host_ip.map_or("0.0.0.0".to_string(), |ip| ip.to_string());
                format!(
                    "publishing {ip}:{host}/{} with slirp4netns",
                    p.proto.as_str()
                )
            })?;
        }
    }
    Ok(slirp)
}

/// Waits for slirp4netns's "1" on `fd`; false when it ended (or said nothing) first.
fn ready(fd: &OwnedFd) -> Result<bool> {
    use nix::poll::{PollFd, PollFlags, PollTimeout};
    let mut fds = [PollFd::new(fd.as_fd(), PollFlags::POLLIN)];
    let timeout = PollTimeout::try_from(READY_TIMEOUT).unwrap_or(PollTimeout::MAX);
    if nix::poll::poll(&mut fds, timeout).context("waiting for slirp4netns")? == 0 {
        bail!(
            "slirp4netns did not configure the container's network within {} s",
            READY_TIMEOUT.as_secs()
        );
    }
    let mut byte = [0u8; 1];
    let mut f = std::fs::File::from(fd.try_clone().context("dup")?);
    Ok(matches!(f.read(&mut byte), Ok(1)) && byte[0] == b'1')
}

/// Asks slirp4netns (through its API socket) to forward `host` to the container's `container`.
fn add_hostfwd(api: &Path, p: &PortMapping, host: u16, container: u16) -> Result<()> {
    let host_addr = match p.host_ip {
        Some(ip) => ip.to_string(),
        None => "0.0.0.0".to_string(),
    };
    let proto = match p.proto {
        Proto::Tcp => "tcp",
        Proto::Udp => "udp",
    };
    let request = serde_json::json!({
        "execute": "add_hostfwd",
        "arguments": {
            "proto": proto,
            "host_addr": host_addr,
            "host_port": host,
            "guest_addr": GUEST,
            "guest_port": container,
        }
    });
    let mut s = UnixStream::connect(api)
        .with_context(|| format!("connecting to slirp4netns's API socket {}", api.display()))?;
    s.set_read_timeout(Some(READY_TIMEOUT))?;
    s.write_all(request.to_string().as_bytes())?;
    s.shutdown(std::net::Shutdown::Write)?;
    let mut answer = Vec::new();
    s.take(1 << 16).read_to_end(&mut answer)?;
    let v: serde_json::Value =
        serde_json::from_slice(&answer).context("reading slirp4netns's answer")?;
    if let Some(e) = v.get("error") {
        let desc = e
            .get("desc")
            .and_then(|d| d.as_str())
            .unwrap_or("no reason given");
        bail!("{desc}");
    }
    Ok(())
}

/// The host's address as a slirp4netns container reaches it: the IPv4 address of the host's
/// default route's interface (10.0.2.2 would be the host's loopback, which is not reachable
/// with `--disable-host-loopback`). None without a default route.
pub fn host_address() -> Option<std::net::Ipv4Addr> {
    let routes = std::fs::read_to_string("/proc/net/route").ok()?;
    let iface = routes.lines().skip(1).find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        (f.get(1) == Some(&"00000000") && f.get(7) == Some(&"00000000")).then(|| f[0].to_string())
    })?;
    nix::ifaddrs::getifaddrs().ok()?.find_map(|a| {
        if a.interface_name != iface {
            return None;
        }
        let sin = a.address?.as_sockaddr_in().copied()?;
        Some(sin.ip())
    })
}
