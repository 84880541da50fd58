//! `stats`: one sample of what each container uses, from its cgroup (v2 or v1 files) and
//! /proc. The command takes two samples to compute CPU %.
//!
//! What a container without a cgroup of its own shows (rootless on a host without a
//! delegated v2 subtree, `--cgroups disabled`): CPU time, block I/O, PIDs and network come
//! from /proc for every process in its pid namespace, so they are always there; memory comes
//! only from a cgroup, and is None (`--` in the table) without one.

use std::collections::HashMap;
use std::fs;
use std::time::Instant;

use anyhow::Result;

use crate::context::Context;
use crate::runtime::cgroup::Usage;
use crate::storage::Store;
use crate::storage::container::{self as records, ContainerId};

/// Options for [`stats`].
#[derive(Debug, Default, Clone)]
pub struct StatsOptions {
    /// Names or ids; empty: every running container (every container with `all`).
    pub targets: Vec<String>,
    pub all: bool,
}

/// One container at one moment.
#[derive(Debug, Clone)]
pub struct StatsSample {
    pub id: ContainerId,
    pub name: String,
    /// As the user named it (or the short id when listing).
    pub target: String,
    pub running: bool,
    pub at: Instant,
    /// CPU time of all its processes, nanoseconds.
    pub cpu_ns: u64,
    pub memory: Option<u64>,
    /// The memory limit, or the host's memory when unlimited.
    pub memory_limit: u64,
    pub net_rx: u64,
    pub net_tx: u64,
    pub blk_read: u64,
    pub blk_write: u64,
    pub pids: u64,
}

/// Samples each target (or every running container); one result per target.
pub fn stats(ctx: &Context, opts: &StatsOptions) -> Result<Vec<Result<StatsSample>>> {
    let store = Store::open(ctx)?;
    let dirs = store.containers();
    let boot = records::boot_id();
    let targets: Vec<(String, Result<ContainerId>)> = if opts.targets.is_empty() {
        dirs.list()
            .into_iter()
            .filter(|id| opts.all || dirs.read_state(id).is_alive(&boot))
            .map(|id| (id.short().to_string(), Ok(id)))
            .collect()
    } else {
        opts.targets
            .iter()
            .map(|t| (t.clone(), dirs.resolve(t)))
            .collect()
    };
    let host_mem = host_memory();
    let procs = scan();
    Ok(targets
        .into_iter()
        .map(|(target, id)| {
            let id = id?;
            let config = dirs.read_config(&id)?;
            let state = dirs.read_state(&id);
            let running = state.is_alive(&boot);
            let mut s = StatsSample {
                id,
                name: config.name,
                target,
                running,
                at: Instant::now(),
                cpu_ns: 0,
                memory: None,
                memory_limit: host_mem,
                net_rx: 0,
                net_tx: 0,
                blk_read: 0,
                blk_write: 0,
                pids: 0,
            };
            if !running {
                s.memory = Some(0);
                s.memory_limit = 0;
                return Ok(s);
            }
            let members = members(&procs, state.pid);
            let usage = state.cgroup.as_ref().map(|c| c.usage()).unwrap_or_default();
            let Usage {
                memory,
                memory_limit,
                blk_read,
                blk_write,
                pids,
                cpu_ns,
            } = usage;
            s.memory = memory;
            s.memory_limit = memory_limit.unwrap_or(host_mem).min(host_mem);
            let tick_ns = 1_000_000_000 / clock_ticks();
            s.cpu_ns = cpu_ns.unwrap_or_else(|| {
                members
                    .iter()
                    .filter_map(|m| procs.get(m))
                    .map(|p| p.cpu_ticks * tick_ns)
                    .sum()
            });
            s.pids = pids.unwrap_or(members.len() as u64);
            let (r, w) = match (blk_read, blk_write) {
                (Some(r), Some(w)) => (r, w),
                _ => members
                    .iter()
                    .map(|m| proc_io(*m))
                    .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
            };
            (s.blk_read, s.blk_write) = (r, w);
            (s.net_rx, s.net_tx) = net_dev(state.pid);
            s.at = Instant::now();
            Ok(s)
        })
        .collect())
}

struct Proc {
    ppid: i32,
    cpu_ticks: u64,
}

/// Every process's parent and CPU time.
fn scan() -> HashMap<i32, Proc> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return HashMap::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(|pid| {
            let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let rest = &stat[stat.rfind(')')? + 1..];
            let f: Vec<&str> = rest.split_whitespace().collect();
            // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
            let n = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            Some((
                pid,
                Proc {
                    ppid: f.get(1)?.parse().ok()?,
                    cpu_ticks: n(11) + n(12),
                },
            ))
        })
        .collect()
}

/// The container's processes: `init` and every process in its pid namespace (a
/// non-dumpable init hides its namespace link; its children then tell).
fn members(procs: &HashMap<i32, Proc>, init: i32) -> Vec<i32> {
    let ns = |p: i32| fs::read_link(format!("/proc/{p}/ns/pid")).ok();
    let Some(target) = ns(init).or_else(|| {
        procs
            .iter()
            .filter(|(_, p)| p.ppid == init)
            .find_map(|(pid, _)| ns(*pid))
    }) else {
        return vec![init];
    };
    let mut v: Vec<i32> = procs
        .keys()
        .copied()
        .filter(|p| *p == init || ns(*p).as_ref() == Some(&target))
        .collect();
    if !v.contains(&init) {
        v.push(init);
    }
    v
}

/// Bytes read from and written to storage by `pid` (`/proc/PID/io`).
fn proc_io(pid: i32) -> (u64, u64) {
    let text = fs::read_to_string(format!("/proc/{pid}/io")).unwrap_or_default();
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(k))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    };
    (get("read_bytes:"), get("write_bytes:"))
}

/// Bytes received and sent on every interface but lo of `pid`'s network namespace.
fn net_dev(pid: i32) -> (u64, u64) {
    let text = fs::read_to_string(format!("/proc/{pid}/net/dev")).unwrap_or_default();
    parse_net_dev(&text)
}

fn parse_net_dev(text: &str) -> (u64, u64) {
    let (mut rx, mut tx) = (0, 0);
    for l in text.lines().skip(2) {
        let Some((iface, rest)) = l.split_once(':') else {
            continue;
        };
        if iface.trim() == "lo" {
            continue;
        }
        let f: Vec<u64> = rest
            .split_whitespace()
            .map(|v| v.parse().unwrap_or(0))
            .collect();
        rx += f.first().copied().unwrap_or(0);
        tx += f.get(8).copied().unwrap_or(0);
    }
    (rx, tx)
}

fn host_memory() -> u64 {
    fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

fn clock_ticks() -> u64 {
    nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .and_then(|t| u64::try_from(t).ok())
        .filter(|t| *t > 0)
        .unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn net_dev_sums_every_interface_but_lo() {
        let text = "Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0\n  eth0:    2000      10    0    0    0     0          0         0      300       3    0    0    0     0       0          0\n";
        assert_eq!(parse_net_dev(text), (2000, 300));
    }
}
