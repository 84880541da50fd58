//! User-mode networking with pasta (passt): the container's network namespace gets an
//! interface with the host's addresses and routes, egress through pasta's sockets, and the
//! published ports forwarded from the host.
//!
//! berth runs `pasta --config-net … PID` once the container's namespaces exist and before its
//! command runs; pasta configures the namespace, then detaches. Debian 12's pasta does not
//! notice when the container is gone (it holds the namespace itself), so berth keeps a pidfd
//! of it and SIGKILLs it (it ignores SIGTERM) when the container's process has ended. Nothing
//! else is forwarded: every implicit forwarding (`-t auto`, the default) is turned off.

use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail};

use super::ports::{PortMapping, Proto};

/// Where pasta is looked for.
const PROGRAMS: [&str; 2] = ["/usr/bin/pasta", "/usr/local/bin/pasta"];

/// The installed pasta, if any.
pub fn find() -> Option<PathBuf> {
    PROGRAMS.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// What to run for one container start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastaPlan {
    pub program: PathBuf,
    /// Everything but the target pid.
    pub args: Vec<String>,
    /// pasta's log, read back when it fails.
    pub log: PathBuf,
    /// Where pasta writes its pid.
    pub pidfile: PathBuf,
    /// Join the container's user namespace too (rootless); as root the container has none of
    /// its own and pasta joins only the network namespace.
    pub join_userns: bool,
}

/// Plans pasta for `ports` (host ports already resolved), logging to `log`. `root`: the
/// container has no user namespace of its own; pasta, which would drop to "nobody" first, is
/// told to stay root and joins only the network namespace. (`create` refuses pasta as root
/// while Debian 12's pasta cannot do that; the plan stays right for a pasta that can.)
pub fn plan(ports: &[PortMapping], log: &Path, root: bool) -> Result<PastaPlan> {
    let join_userns = !root;
    let pidfile = log.with_extension("pid");
    let program = find()
        .context("--network pasta needs pasta (Debian package passt), which is not installed")?;
    let mut args: Vec<String> = vec!["--config-net".into(), "--quiet".into()];
    args.extend(["--log-file".into(), log.display().to_string()]);
    args.extend(["--pid".into(), pidfile.display().to_string()]);
    if root {
        args.extend(["--runas".into(), "0".into()]);
    }
    let (mut tcp, mut udp) = (Vec::new(), Vec::new());
    for p in ports {
        let spec = spec(p);
        match p.proto {
            Proto::Tcp => tcp.push(spec),
            Proto::Udp => udp.push(spec),
        }
    }
    for (flag, specs) in [("-t", tcp), ("-u", udp)] {
        if specs.is_empty() {
            args.extend([flag.to_string(), "none".into()]);
        } else {
            for s in specs {
                args.extend([flag.to_string(), s]);
            }
        }
    }
    // Nothing from the container's side to the host's ports.
    args.extend(["-T".into(), "none".into(), "-U".into(), "none".into()]);
    Ok(PastaPlan {
        program,
        args,
        log: log.to_path_buf(),
        pidfile,
        join_userns,
    })
}

/// pasta's forwarding spec: `[ADDR/]HOST[-END]:CONT[-END]`.
fn spec(p: &PortMapping) -> String {
    let range = |start: u16| {
        if p.count > 1 {
            format!("{start}-{}", start + (p.count - 1))
        } else {
            start.to_string()
        }
    };
    let addr = p.host_ip.map(|ip| format!("{ip}/")).unwrap_or_default();
    format!("{addr}{}:{}", range(p.host_port), range(p.container_port))
}

/// A running pasta, ended by [`Pasta::stop`] (or when dropped).
#[derive(Debug)]
pub struct Pasta(Option<OwnedFd>);

impl Pasta {
    /// SIGKILLs pasta (through its pidfd: never another process that got its pid).
    pub fn stop(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        if let Some(fd) = self.0.take() {
            kill_and_wait(&fd);
        }
    }
}

/// SIGKILLs the pasta of `pidfd` and waits (up to a second) until it is gone, so that the
/// ports it held are free when the container's stop or removal returns: a `run -p` of the
/// same port right after `rm -f` would find it taken otherwise.
fn kill_and_wait(pidfd: &OwnedFd) {
    if crate::runtime::sys::pidfd_send_signal(pidfd.as_fd(), libc::SIGKILL).is_err() {
        return;
    }
    wait_for_exit(pidfd);
}

/// Waits (up to a second) until the process of `pidfd` has ended: a pidfd polls readable then.
fn wait_for_exit(pidfd: &OwnedFd) {
    let mut fds = [nix::poll::PollFd::new(
        pidfd.as_fd(),
        nix::poll::PollFlags::POLLIN,
    )];
    let _ = nix::poll::poll(&mut fds, nix::poll::PollTimeout::from(1000u16));
}

impl Drop for Pasta {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Ends a pasta left behind by a berth that was killed before it could (its pid file says
/// which; it is signalled only if its command line names `log`, and through a pidfd).
pub fn kill_leftover(log: &Path) {
    let pidfile = log.with_extension("pid");
    let Some(pid) = std::fs::read_to_string(&pidfile)
        .ok()
        .and_then(|s| s.trim().parse::<i32>().ok())
    else {
        return;
    };
    if let Ok(fd) = crate::runtime::sys::pidfd_open(pid) {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if cmdline.is_empty() {
            // Exiting already (its memory goes before its sockets): wait for the ports.
            wait_for_exit(&fd);
        } else if String::from_utf8_lossy(&cmdline).contains(&log.display().to_string()) {
            kill_and_wait(&fd);
        }
    }
    let _ = std::fs::remove_file(&pidfile);
}

/// Runs pasta for the namespaces of `pid` and waits until it has configured them (it detaches
/// then). Errors carry pasta's own words from its log.
pub fn start(plan: &PastaPlan, pid: i32) -> Result<Pasta> {
    let _ = std::fs::remove_file(&plan.log);
    let _ = std::fs::remove_file(&plan.pidfile);
    let target = if plan.join_userns {
        vec![pid.to_string()]
    } else {
        vec!["--netns".to_string(), format!("/proc/{pid}/ns/net")]
    };
    let out = Command::new(&plan.program)
        .args(&plan.args)
        .args(target)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("running {}", plan.program.display()))?;
    if !out.status.success() {
        let log = std::fs::read_to_string(&plan.log).unwrap_or_default();
        let words = if log.trim().is_empty() {
            String::from_utf8_lossy(&out.stderr).into_owned()
        } else {
            log
        };
        let words: Vec<&str> = words
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("Failed to send"))
            .collect();
        bail!(
            "pasta could not set up the container's network ({}): {}",
            out.status,
            words.join("; ")
        );
    }
    // The pid pasta wrote is checked to be that pasta (its command line names our log) after
    // the pidfd is open, so a pid reused in between is never signalled.
    let daemon: i32 = std::fs::read_to_string(&plan.pidfile)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .with_context(|| format!("pasta wrote no pid to {}", plan.pidfile.display()))?;
    let fd = crate::runtime::sys::pidfd_open(daemon).context("pidfd_open for pasta")?;
    let cmdline = std::fs::read(format!("/proc/{daemon}/cmdline")).unwrap_or_default();
    let log = plan.log.display().to_string();
    if !String::from_utf8_lossy(&cmdline).contains(&log) {
        bail!(
            "pid {daemon} from {} is not our pasta",
            plan.pidfile.display()
        );
    }
    Ok(Pasta(Some(fd)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::ports::parse;

    #[test]
    fn specs_are_pastas() {
        assert_eq!(spec(&parse("8080:80").unwrap()), "8080:80");
        assert_eq!(
            spec(&parse("127.0.0.1:9000-9001:80-81").unwrap()),
            "127.0.0.1/9000-9001:80-81"
        );
        assert_eq!(spec(&parse("[::1]:8080:80").unwrap()), "::1/8080:80");
    }
}
