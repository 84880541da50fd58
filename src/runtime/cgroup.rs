//! A container's own cgroup: resource limits (memory, CPU, cpuset, pids, block I/O), OOM
//! reporting and the numbers `stats` shows.
//!
//! cgroup v2 is the primary path: one leaf per container, `<root>/berth/<id>` as root (or
//! `<root>/<--cgroup-parent>/<id>`), and for rootless berth the same below the user's delegated
//! subtree (the highest cgroup above our own that we own, as systemd's `user@UID.service`),
//! with only the controllers a limit needs enabled on the way down. On hybrid and legacy hosts
//! root falls back to cgroup v1, one directory per needed controller
//! (`/sys/fs/cgroup/<controller>/berth/<id>`), as Docker and Podman do there.
//!
//! It plans as data and applies in one place (STYLE.md 7): [`plan`] turns the record's
//! [`Resources`] and the host's [`Hierarchy`] into a [`Plan`] (directories and file writes),
//! refusing a limit the host cannot enforce (SECURITY.md I14) unless the user opted out with
//! `--ignore-unenforceable-limits`; [`Plan::create`] makes the cgroup before the container's
//! process runs anything, [`Cgroup::join`] puts a process in it, and after the process ends
//! its monitor reads [`Cgroup::oom_killed`] and then [`Cgroup::remove`]s it (I12). Every path is
//! a parameter, so the v2 and v1 file writes are tested against plain directories. berth
//! creates and removes only its own cgroups; it never mounts, unmounts or moves anything.

use std::collections::BTreeMap;
use std::fs;
use std::io::ErrorKind as IoKind;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};

use crate::error;

/// Podman's default `--pids-limit`, applied where the pids controller is available.
pub const DEFAULT_PIDS_LIMIT: i64 = 2048;
/// Docker's smallest `--memory`.
const MIN_MEMORY: i64 = 6 * 1024 * 1024;
/// The CFS period Docker uses for `--cpus`.
const DEFAULT_CPU_PERIOD: i64 = 100_000;

/// The resource flags as the user typed them (`run`, `create`, `update`): parsed by
/// [`Resources::parse`].
#[derive(Debug, Clone, Default)]
pub struct ResourceFlags {
    pub memory: Option<String>,
    pub memory_swap: Option<String>,
    pub memory_reservation: Option<String>,
    pub cpus: Option<String>,
    pub cpu_shares: Option<i64>,
    pub cpu_period: Option<i64>,
    pub cpu_quota: Option<i64>,
    pub cpuset_cpus: Option<String>,
    pub cpuset_mems: Option<String>,
    pub pids_limit: Option<i64>,
    pub blkio_weight: Option<u16>,
    pub device_read_bps: Vec<String>,
    pub device_write_bps: Vec<String>,
    pub device_read_iops: Vec<String>,
    pub device_write_iops: Vec<String>,
    pub cgroup_parent: Option<String>,
    pub cgroups: Option<String>,
    pub ignore_unenforceable_limits: bool,
    pub device_cgroup_rules: Vec<String>,
}

/// One `--device-read-bps`-style limit: a block device by number and a rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Throttle {
    /// The device as given (`/dev/sda`).
    pub path: String,
    pub major: u64,
    pub minor: u64,
    pub rate: u64,
}

/// What the container record holds about resources (Docker's HostConfig fields): zero means
/// unset, as in Docker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Resources {
    /// Bytes.
    pub memory: i64,
    /// Memory plus swap, bytes; -1 unlimited; 0 unset (then twice `memory`, as Docker).
    pub memory_swap: i64,
    pub memory_reservation: i64,
    pub nano_cpus: i64,
    pub cpu_shares: i64,
    pub cpu_period: i64,
    pub cpu_quota: i64,
    pub cpuset_cpus: String,
    pub cpuset_mems: String,
    /// None: not given (the default applies where pids is available); 0 or less: unlimited.
    pub pids_limit: Option<i64>,
    pub blkio_weight: u16,
    pub device_read_bps: Vec<Throttle>,
    pub device_write_bps: Vec<Throttle>,
    pub device_read_iops: Vec<Throttle>,
    pub device_write_iops: Vec<Throttle>,
    pub cgroup_parent: String,
    /// `--cgroups`: enabled (""), disabled, no-conmon, split.
    pub cgroups: String,
    /// `--ignore-unenforceable-limits`: skip (with a warning) a limit the host cannot enforce.
    pub ignore_unenforceable: bool,
    /// `--device-cgroup-rule`: `TYPE MAJOR:MINOR ACCESS` lines over Docker's default list.
    pub device_cgroup_rules: Vec<String>,
}

fn invalid(flag: &str, value: &str, why: &str) -> anyhow::Error {
    error::invalid(format!("invalid {flag} {value:?}: {why}"))
}

/// A size as Docker's `--memory` takes it (go-units RAMInBytes): a number, optionally with a
/// b, k, m, g, t suffix (powers of 1024, with or without a trailing b).
pub fn parse_bytes(s: &str) -> Option<i64> {
    let lower = s.trim().to_ascii_lowercase();
    let lower = lower.strip_suffix('b').unwrap_or(&lower);
    let lower = lower.strip_suffix('i').unwrap_or(lower);
    let (num, mult) = match lower.char_indices().last()? {
        (i, 'k') => (&lower[..i], 1i64 << 10),
        (i, 'm') => (&lower[..i], 1 << 20),
        (i, 'g') => (&lower[..i], 1 << 30),
        (i, 't') => (&lower[..i], 1 << 40),
        _ => (lower, 1),
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let n: f64 = num.parse().ok()?;
    let v = n * mult as f64;
    (v.is_finite() && v >= 0.0 && v < i64::MAX as f64).then_some(v as i64)
}

/// A `--cpuset-cpus`/`--cpuset-mems` list (`0-3,5`) as the set of numbers it names.
pub fn parse_cpuset(s: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    for part in s.trim().split(',') {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        if a > b || b - a > 65536 {
            return None;
        }
        out.extend(a..=b);
    }
    Some(out)
}

fn parse_throttle(flag: &str, s: &str, bytes: bool) -> Result<Throttle> {
    let (path, rate) = s
        .rsplit_once(':')
        .ok_or_else(|| invalid(flag, s, "expected DEVICE:RATE"))?;
    let rate = if bytes {
        parse_bytes(rate).and_then(|r| u64::try_from(r).ok())
    } else {
        rate.parse::<u64>().ok()
    }
    .filter(|r| *r > 0)
    .ok_or_else(|| invalid(flag, s, "expected a positive rate"))?;
    use std::os::unix::fs::FileTypeExt;
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(path).map_err(|e| invalid(flag, s, &format!("{path}: {e}")))?;
    if !meta.file_type().is_block_device() {
        return Err(invalid(flag, s, &format!("{path} is not a block device")));
    }
    let rdev = meta.rdev();
    Ok(Throttle {
        path: path.to_string(),
        major: nix::sys::stat::major(rdev),
        minor: nix::sys::stat::minor(rdev),
        rate,
    })
}

/// The host's online CPUs.
pub fn online_cpus() -> Vec<u32> {
    fs::read_to_string("/sys/devices/system/cpu/online")
        .ok()
        .and_then(|s| parse_cpuset(&s))
        .unwrap_or_default()
}

impl Resources {
    /// Parses and checks the flags (Docker's rules and messages), so that a bad value is an
    /// error at create time.
    pub fn parse(f: &ResourceFlags) -> Result<Resources> {
        let mut r = Resources::default();
        let bytes = |flag: &str, v: &Option<String>| -> Result<i64> {
            match v {
                None => Ok(0),
                Some(s) => parse_bytes(s)
                    .ok_or_else(|| invalid(flag, s, "expected a size such as 64m or 1g")),
            }
        };
        r.memory = bytes("--memory", &f.memory)?;
        if f.memory.is_some() && r.memory < MIN_MEMORY && r.memory != 0 {
            bail!(error::invalid(
                "--memory: minimum memory limit allowed is 6MB"
            ));
        }
        r.memory_swap = match f.memory_swap.as_deref() {
            Some("-1") => -1,
            _ => bytes("--memory-swap", &f.memory_swap)?,
        };
        if r.memory_swap > 0 {
            if r.memory == 0 {
                bail!(error::invalid(
                    "--memory-swap: you should always set the memory limit when using the memory-swap limit"
                ));
            }
            if r.memory_swap < r.memory {
                bail!(error::invalid(
                    "--memory-swap: the memory limit should be smaller than the memory-swap limit (memory-swap is memory plus swap)"
                ));
            }
        }
        r.memory_reservation = bytes("--memory-reservation", &f.memory_reservation)?;
        if r.memory > 0 && r.memory_reservation > r.memory {
            bail!(error::invalid(
                "--memory-reservation: the minimum memory limit should be larger than the memory reservation"
            ));
        }
        if let Some(c) = &f.cpus {
            let n: f64 = c
                .trim()
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite() && *n >= 0.0)
                .ok_or_else(|| invalid("--cpus", c, "expected a number of CPUs such as 1.5"))?;
            let host = online_cpus().len().max(1);
            if n > host as f64 {
                bail!(error::invalid(format!(
                    "--cpus: range of CPUs is from 0.01 to {host}.00, as there are only {host} CPUs available"
                )));
            }
            r.nano_cpus = (n * 1e9).round() as i64;
            if r.nano_cpus != 0 && r.nano_cpus < 10_000_000 {
                bail!(error::invalid("--cpus: the minimum is 0.01"));
            }
        }
        r.cpu_shares = f.cpu_shares.unwrap_or(0);
        if r.cpu_shares != 0 && !(2..=262_144).contains(&r.cpu_shares) {
            bail!(error::invalid(
                "--cpu-shares: expected a value between 2 and 262144"
            ));
        }
        r.cpu_period = f.cpu_period.unwrap_or(0);
        if r.cpu_period != 0 && !(1000..=1_000_000).contains(&r.cpu_period) {
            bail!(error::invalid(
                "--cpu-period: CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)"
            ));
        }
        r.cpu_quota = f.cpu_quota.unwrap_or(0);
        if r.cpu_quota != 0 && r.cpu_quota != -1 && r.cpu_quota < 1000 {
            bail!(error::invalid(
                "--cpu-quota: CPU cfs quota can not be less than 1ms (i.e. 1000)"
            ));
        }
        if r.nano_cpus > 0 && (r.cpu_period > 0 || r.cpu_quota > 0) {
            bail!(error::invalid(
                "conflicting options: --cpus and --cpu-period/--cpu-quota: use one or the other"
            ));
        }
        if let Some(c) = &f.cpuset_cpus {
            let cpus = parse_cpuset(c)
                .ok_or_else(|| invalid("--cpuset-cpus", c, "expected a list such as 0-3,5"))?;
            let online = online_cpus();
            if let Some(bad) = cpus.iter().find(|n| !online.contains(n)) {
                bail!(invalid(
                    "--cpuset-cpus",
                    c,
                    &format!("CPU {bad} is not available on this host")
                ));
            }
            r.cpuset_cpus = c.trim().to_string();
        }
        if let Some(m) = &f.cpuset_mems {
            let mems = parse_cpuset(m)
                .ok_or_else(|| invalid("--cpuset-mems", m, "expected a list such as 0-1"))?;
            let online = fs::read_to_string("/sys/devices/system/node/online")
                .ok()
                .and_then(|s| parse_cpuset(&s))
                .unwrap_or_else(|| vec![0]);
            if let Some(bad) = mems.iter().find(|n| !online.contains(n)) {
                bail!(invalid(
                    "--cpuset-mems",
                    m,
                    &format!("memory node {bad} is not available on this host")
                ));
            }
            r.cpuset_mems = m.trim().to_string();
        }
        r.pids_limit = f.pids_limit;
        if let Some(w) = f.blkio_weight
            && w != 0
            && !(10..=1000).contains(&w)
        {
            bail!(error::invalid(
                "--blkio-weight: expected a value between 10 and 1000 (0 to disable)"
            ));
        }
        r.blkio_weight = f.blkio_weight.unwrap_or(0);
        for (flag, list, out, bytes) in [
            (
                "--device-read-bps",
                &f.device_read_bps,
                &mut r.device_read_bps,
                true,
            ),
            (
                "--device-write-bps",
                &f.device_write_bps,
                &mut r.device_write_bps,
                true,
            ),
            (
                "--device-read-iops",
                &f.device_read_iops,
                &mut r.device_read_iops,
                false,
            ),
            (
                "--device-write-iops",
                &f.device_write_iops,
                &mut r.device_write_iops,
                false,
            ),
        ] {
            for s in list {
                out.push(parse_throttle(flag, s, bytes)?);
            }
        }
        if let Some(p) = &f.cgroup_parent {
            let rel = p.trim_start_matches('/');
            if rel.is_empty()
                || Path::new(rel)
                    .components()
                    .any(|c| !matches!(c, Component::Normal(_)))
            {
                bail!(invalid(
                    "--cgroup-parent",
                    p,
                    "expected a cgroup path such as /mygroup or a/b, without . or .."
                ));
            }
            r.cgroup_parent = p.clone();
        }
        r.cgroups = match f.cgroups.as_deref() {
            None | Some("enabled") => String::new(),
            Some(m @ ("disabled" | "no-conmon" | "split")) => m.to_string(),
            Some(other) => bail!(invalid(
                "--cgroups",
                other,
                "expected enabled, disabled, no-conmon or split"
            )),
        };
        r.ignore_unenforceable = f.ignore_unenforceable_limits;
        for rule in &f.device_cgroup_rules {
            r.device_cgroup_rules.push(parse_device_rule(rule)?);
        }
        if r.cgroups == "disabled" {
            if let Some(flag) = r.requested().first() {
                bail!(error::invalid(format!(
                    "conflicting options: {} and --cgroups disabled: a limit needs a cgroup",
                    flag.0
                )));
            }
            if !r.cgroup_parent.is_empty() {
                bail!(error::invalid(
                    "conflicting options: --cgroup-parent and --cgroups disabled"
                ));
            }
        }
        Ok(r)
    }

    /// Applies `update`'s flags over the record: only those given change.
    pub fn update(&mut self, f: &ResourceFlags) -> Result<()> {
        let given = Resources::parse(&ResourceFlags {
            cgroup_parent: None,
            cgroups: None,
            ..f.clone()
        })?;
        if f.memory.is_some() {
            self.memory = given.memory;
            if f.memory_swap.is_none() && self.memory_swap > 0 && self.memory_swap < self.memory {
                bail!(error::invalid(
                    "--memory: the memory limit should be smaller than the already set memory-swap limit: update the memory-swap limit too"
                ));
            }
        }
        if f.memory_swap.is_some() {
            self.memory_swap = given.memory_swap;
            if self.memory_swap > 0 && self.memory_swap < self.memory {
                bail!(error::invalid(
                    "--memory-swap: the memory limit should be smaller than the memory-swap limit"
                ));
            }
        }
        if f.memory_reservation.is_some() {
            self.memory_reservation = given.memory_reservation;
        }
        if f.cpus.is_some() {
            self.nano_cpus = given.nano_cpus;
            self.cpu_period = 0;
            self.cpu_quota = 0;
        }
        if f.cpu_shares.is_some() {
            self.cpu_shares = given.cpu_shares;
        }
        if f.cpu_period.is_some() {
            self.cpu_period = given.cpu_period;
            self.nano_cpus = 0;
        }
        if f.cpu_quota.is_some() {
            self.cpu_quota = given.cpu_quota;
            self.nano_cpus = 0;
        }
        if f.cpuset_cpus.is_some() {
            self.cpuset_cpus = given.cpuset_cpus;
        }
        if f.cpuset_mems.is_some() {
            self.cpuset_mems = given.cpuset_mems;
        }
        if f.pids_limit.is_some() {
            self.pids_limit = given.pids_limit;
        }
        if f.blkio_weight.is_some() {
            self.blkio_weight = given.blkio_weight;
        }
        if self.cgroups == "disabled" && !self.requested().is_empty() {
            bail!(error::invalid(
                "the container was created with --cgroups disabled: it has no cgroup to limit"
            ));
        }
        Ok(())
    }

    /// The limits the user asked for, as (flag, controller) pairs.
    pub fn requested(&self) -> Vec<(&'static str, Controller)> {
        let mut v = Vec::new();
        let mut on = |set: bool, flag, c| {
            if set {
                v.push((flag, c));
            }
        };
        on(self.memory != 0, "--memory", Controller::Memory);
        on(self.memory_swap != 0, "--memory-swap", Controller::Memory);
        on(
            self.memory_reservation != 0,
            "--memory-reservation",
            Controller::Memory,
        );
        on(self.nano_cpus != 0, "--cpus", Controller::Cpu);
        on(self.cpu_shares != 0, "--cpu-shares", Controller::Cpu);
        on(self.cpu_period != 0, "--cpu-period", Controller::Cpu);
        on(self.cpu_quota != 0, "--cpu-quota", Controller::Cpu);
        on(
            !self.cpuset_cpus.is_empty(),
            "--cpuset-cpus",
            Controller::Cpuset,
        );
        on(
            !self.cpuset_mems.is_empty(),
            "--cpuset-mems",
            Controller::Cpuset,
        );
        on(self.pids_limit.is_some(), "--pids-limit", Controller::Pids);
        on(self.blkio_weight != 0, "--blkio-weight", Controller::Io);
        on(
            !self.device_read_bps.is_empty(),
            "--device-read-bps",
            Controller::Io,
        );
        on(
            !self.device_write_bps.is_empty(),
            "--device-write-bps",
            Controller::Io,
        );
        on(
            !self.device_read_iops.is_empty(),
            "--device-read-iops",
            Controller::Io,
        );
        on(
            !self.device_write_iops.is_empty(),
            "--device-write-iops",
            Controller::Io,
        );
        on(
            !self.device_cgroup_rules.is_empty(),
            "--device-cgroup-rule",
            Controller::Devices,
        );
        v
    }

    /// The pids limit in effect: the user's, else the default.
    fn pids_max(&self) -> i64 {
        self.pids_limit.unwrap_or(DEFAULT_PIDS_LIMIT)
    }

    /// The CFS (quota, period) in effect, quota -1 for none; None when no CPU bandwidth is set.
    fn cfs(&self) -> Option<(i64, i64)> {
        if self.nano_cpus > 0 {
            let period = DEFAULT_CPU_PERIOD;
            return Some((self.nano_cpus * period / 1_000_000_000, period));
        }
        if self.cpu_quota != 0 || self.cpu_period != 0 {
            let period = if self.cpu_period > 0 {
                self.cpu_period
            } else {
                DEFAULT_CPU_PERIOD
            };
            let quota = if self.cpu_quota > 0 {
                self.cpu_quota
            } else {
                -1
            };
            return Some((quota, period));
        }
        None
    }

    /// memory + swap in effect (bytes, -1 unlimited), when memory is limited: Docker gives a
    /// container with only `--memory` twice that in memory + swap.
    fn memsw(&self) -> Option<i64> {
        match (self.memory, self.memory_swap) {
            (0, _) => None,
            (m, 0) => Some(m.saturating_mul(2)),
            (_, s) => Some(s),
        }
    }
}

/// Docker's default device allow list (moby `oci.DefaultLinuxSpec`, runc's defaults): mknod
/// of any node, and use of null, zero, full, random, urandom, tty, console, ptmx, the pty
/// slaves and tun.
pub const DEFAULT_DEVICE_RULES: [&str; 12] = [
    "c *:* m",
    "b *:* m",
    "c 1:3 rwm",
    "c 1:5 rwm",
    "c 1:7 rwm",
    "c 1:8 rwm",
    "c 1:9 rwm",
    "c 5:0 rwm",
    "c 5:1 rwm",
    "c 5:2 rwm",
    "c 136:* rwm",
    "c 10:200 rwm",
];

/// A `--device-cgroup-rule` (`c 1:3 rmw`, `b 8:* r`, `a *:* rwm`) in the kernel's form.
pub fn parse_device_rule(s: &str) -> Result<String> {
    let bad = |why: &str| invalid("--device-cgroup-rule", s, why);
    let f: Vec<&str> = s.split_whitespace().collect();
    let [kind, numbers, access] = f[..] else {
        return Err(bad("expected TYPE MAJOR:MINOR ACCESS, such as 'c 1:3 rwm'"));
    };
    if !matches!(kind, "a" | "b" | "c") {
        return Err(bad("the type must be a (all), b (block) or c (char)"));
    }
    let (major, minor) = numbers
        .split_once(':')
        .ok_or_else(|| bad("expected MAJOR:MINOR, numbers or *"))?;
    for n in [major, minor] {
        if n != "*" && n.parse::<u32>().is_err() {
            return Err(bad("expected MAJOR:MINOR, numbers or *"));
        }
    }
    if access.is_empty()
        || access.len() > 3
        || !access.chars().all(|c| matches!(c, 'r' | 'w' | 'm'))
    {
        return Err(bad("the access must be made of r, w and m"));
    }
    Ok(format!("{kind} {major}:{minor} {access}"))
}

/// Docker's `--cpu-shares` (2..262144, default 1024) as a cgroup v2 `cpu.weight` (1..10000).
pub fn shares_to_weight(shares: i64) -> i64 {
    1 + ((shares - 2) * 9999) / 262_142
}

/// `--blkio-weight` (10..1000) as `io.weight` (1..10000), as crun converts it.
pub fn blkio_to_io_weight(w: u16) -> i64 {
    1 + (i64::from(w) - 10) * 9999 / 990
}

/// The cgroup controllers a limit can need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Controller {
    Memory,
    Cpu,
    Cpuset,
    Pids,
    Io,
    /// The v1 devices controller (v2 has none: an eBPF program does its job).
    Devices,
}

impl Controller {
    /// The v2 name.
    pub fn v2(self) -> &'static str {
        match self {
            Controller::Memory => "memory",
            Controller::Cpu => "cpu",
            Controller::Cpuset => "cpuset",
            Controller::Pids => "pids",
            Controller::Io => "io",
            Controller::Devices => "devices",
        }
    }

    /// The v1 hierarchy's name.
    pub fn v1(self) -> &'static str {
        match self {
            Controller::Io => "blkio",
            c => c.v2(),
        }
    }
}

/// Where cgroups live on this host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hierarchy {
    /// Pure cgroup v2, mounted here.
    V2(PathBuf),
    /// Hybrid or legacy: each v1 hierarchy's mount point by controller name (`memory`,
    /// `cpu`, `cpuacct`, ...).
    V1(BTreeMap<String, PathBuf>),
    None,
}

/// Reads the host's cgroup layout: one statfs on a pure v2 host (every current distribution),
/// else `/proc/self/mountinfo`.
pub fn detect() -> Hierarchy {
    const ROOT: &str = "/sys/fs/cgroup";
    if nix::sys::statfs::statfs(ROOT)
        .is_ok_and(|s| s.filesystem_type() == nix::sys::statfs::CGROUP2_SUPER_MAGIC)
    {
        return Hierarchy::V2(PathBuf::from(ROOT));
    }
    fs::read_to_string("/proc/self/mountinfo")
        .map(|m| hierarchy_from(&m))
        .unwrap_or(Hierarchy::None)
}

/// The layout a mountinfo dump describes: v2 when /sys/fs/cgroup itself is cgroup2.
pub fn hierarchy_from(mountinfo: &str) -> Hierarchy {
    let mut v1 = BTreeMap::new();
    let mut v2 = None;
    for l in mountinfo.lines() {
        let Some((pre, post)) = l.split_once(" - ") else {
            continue;
        };
        let mut post = post.split(' ');
        let (Some(fstype), Some(_), Some(opts)) = (post.next(), post.next(), post.next()) else {
            continue;
        };
        let Some(point) = pre.split(' ').nth(4) else {
            continue;
        };
        match fstype {
            "cgroup2" if point == "/sys/fs/cgroup" => v2 = Some(PathBuf::from(point)),
            "cgroup" if point.starts_with("/sys/fs/cgroup/") => {
                for o in opts.split(',') {
                    if matches!(
                        o,
                        "memory" | "cpu" | "cpuacct" | "cpuset" | "pids" | "blkio" | "devices"
                    ) {
                        v1.insert(o.to_string(), PathBuf::from(point));
                    }
                }
            }
            _ => {}
        }
    }
    // A later mount over /sys/fs/cgroup (a private cgroup2 view) hides the v1 ones.
    match v2 {
        Some(p) => Hierarchy::V2(p),
        None if !v1.is_empty() => Hierarchy::V1(v1),
        None => Hierarchy::None,
    }
}

/// Who asks: root, or a rootless user (whose v2 cgroup, from /proc/self/cgroup, is under
/// the v2 root).
#[derive(Debug, Clone)]
pub struct Caller {
    pub rootless: bool,
    pub uid: u32,
    /// The caller's own v2 cgroup path (`/user.slice/...`), from `/proc/self/cgroup`.
    pub own: Option<String>,
}

impl Caller {
    pub fn current(rootless: bool, uid: u32) -> Caller {
        let own = fs::read_to_string("/proc/self/cgroup").ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("0::").map(str::to_string))
        });
        Caller { rootless, uid, own }
    }
}

/// A container's cgroup, recorded in its state while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "version", content = "paths", rename_all = "lowercase")]
pub enum Cgroup {
    V2(PathBuf),
    /// v1: the directory in each hierarchy, by controller name (`memory`, `pids`, `cpu`,
    /// `cpuset`, `blkio`).
    V1(BTreeMap<String, PathBuf>),
}

/// One directory to make: its ancestors below `base` are made too (and, on v2, get the
/// controllers enabled for their children).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dir {
    /// The existing directory the chain starts under (the v2 root or delegated subtree, or a
    /// v1 hierarchy's mount point).
    pub base: PathBuf,
    /// The path below `base`: ancestors, then the container's leaf.
    pub rel: PathBuf,
    /// v2: controllers to enable in `base` and every ancestor's `cgroup.subtree_control`.
    pub enable: Vec<&'static str>,
    /// v1 cpuset: copy `cpuset.cpus`/`cpuset.mems` from the parent where empty.
    pub cpuset_copy: bool,
    /// Limit files in the leaf, in order.
    pub writes: Vec<(String, String)>,
}

impl Dir {
    pub fn leaf(&self) -> PathBuf {
        self.base.join(&self.rel)
    }
}

/// A container's cgroup as planned: made by [`Plan::create`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub cgroup: Cgroup,
    pub dirs: Vec<Dir>,
    /// v2: the device program attached to the leaf once it is made (root; see `devcg`).
    pub devices: Option<super::devcg::Filter>,
}

/// The error for a limit the host cannot enforce.
fn cannot(flag: &str, c: Controller, caller: &Caller, h: &Hierarchy, why: &str) -> anyhow::Error {
    let host = match h {
        Hierarchy::V2(_) => "this host has cgroup v2",
        Hierarchy::V1(_) => "this host has cgroup v1 controllers",
        Hierarchy::None => "this host has no cgroup hierarchy mounted",
    };
    if caller.rootless && c == Controller::Devices {
        return error::invalid(format!(
            "{flag}: cannot enforce: device rules need root: an unprivileged user can neither write the v1 devices controller nor load a cgroup v2 eBPF device program (and a rootless container cannot open device nodes it makes anyway) (--ignore-unenforceable-limits runs the container without them)"
        ));
    }
    let need = if caller.rootless {
        format!(
            "rootless berth needs a delegated cgroup v2 subtree with the {} controller",
            c.v2()
        )
    } else {
        format!("berth needs the {} cgroup controller", c.v2())
    };
    error::invalid(format!(
        "{flag}: cannot enforce: {need}; {host}{why} (--ignore-unenforceable-limits runs the container without it)"
    ))
}

/// The delegated subtree of a rootless caller: the highest ancestor of its own cgroup that
/// it owns (systemd's `user@UID.service`), or None.
fn delegated(root: &Path, caller: &Caller) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let own = caller.own.as_deref()?.trim_start_matches('/');
    let mut best = None;
    let mut p = root.to_path_buf();
    for c in Path::new(own).components() {
        p.push(c);
        if fs::metadata(&p).is_ok_and(|m| m.uid() == caller.uid) {
            best = Some(p.clone());
            break;
        }
    }
    best
}

fn read_words(p: &Path) -> Vec<String> {
    fs::read_to_string(p)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Plans container `name`'s cgroup for `r` on hierarchy `h`; None when it gets none
/// (`--cgroups disabled`, or nothing to limit and nothing usable). A requested limit the host
/// cannot enforce is an error naming what is missing, unless `r.ignore_unenforceable`. No
/// device confinement: see [`plan_with`].
pub fn plan(h: &Hierarchy, caller: &Caller, r: &Resources, name: &str) -> Result<Option<Plan>> {
    plan_with(h, caller, r, None, name)
}

/// [`plan`], confining the container's device access to `devices` (a root container's whole
/// list: Docker's defaults, `--device` nodes, `--device-cgroup-rule` lines; None for none, as
/// rootless and `--privileged`): on v2 with an eBPF device program attached to the leaf, on v1
/// with a cgroup in the devices hierarchy (none where that hierarchy is not mounted, as runc).
pub fn plan_with(
    h: &Hierarchy,
    caller: &Caller,
    r: &Resources,
    devices: Option<&super::devcg::Policy>,
    name: &str,
) -> Result<Option<Plan>> {
    let devices = devices.filter(|p| !caller.rootless && !p.allows_all());
    if r.cgroups == "disabled" {
        return Ok(None);
    }
    let requested = r.requested();
    let refuse = |flag: &str, c: Controller, why: &str| -> Result<()> {
        let e = cannot(flag, c, caller, h, why);
        if r.ignore_unenforceable {
            log::warn!("{e:#}: ignored");
            Ok(())
        } else {
            Err(e)
        }
    };
    let parent_rel = |base: &Path| -> PathBuf {
        if !r.cgroup_parent.is_empty() {
            PathBuf::from(r.cgroup_parent.trim_start_matches('/'))
        } else if r.cgroups == "split"
            && let Some(own) = &caller.own
            && base.join(own.trim_start_matches('/')).is_dir()
        {
            // The caller's own cgroup's parent, beside it (no process may sit in an inner node).
            Path::new(own.trim_start_matches('/'))
                .parent()
                .map(|p| p.join("berth"))
                .unwrap_or_else(|| PathBuf::from("berth"))
        } else {
            PathBuf::from("berth")
        }
    };
    match h {
        Hierarchy::V2(root) => {
            let base = if caller.rootless {
                match delegated(root, caller) {
                    Some(d) => d,
                    None => {
                        for (flag, c) in &requested {
                            refuse(flag, *c, ", but no part of it is delegated to this user")?;
                        }
                        return Ok(None);
                    }
                }
            } else {
                root.clone()
            };
            let available = read_words(&base.join("cgroup.controllers"));
            let has = |c: Controller| available.iter().any(|a| a == c.v2());
            let mut enable = Vec::new();
            for (flag, c) in &requested {
                if *c == Controller::Devices {
                    // Not a v2 controller: an eBPF program (root), or refused (rootless).
                    if caller.rootless {
                        refuse(flag, *c, "")?;
                    }
                } else if has(*c) {
                    if !enable.contains(&c.v2()) {
                        enable.push(c.v2());
                    }
                } else {
                    refuse(
                        flag,
                        *c,
                        &format!(", without the {} controller in {}", c.v2(), base.display()),
                    )?;
                }
            }
            // The default pids limit, and memory accounting for `stats` and OOM reporting
            // (as Docker), where the controllers are there.
            for c in [Controller::Memory, Controller::Pids] {
                if has(c) && !enable.contains(&c.v2()) {
                    enable.push(c.v2());
                }
            }
            let writes = v2_writes(r, &enable);
            let rel = parent_rel(&base).join(name);
            let dir = Dir {
                base,
                rel,
                enable,
                cpuset_copy: false,
                writes,
            };
            Ok(Some(Plan {
                cgroup: Cgroup::V2(dir.leaf()),
                dirs: vec![dir],
                devices: devices.map(|p| super::devcg::Filter {
                    policy: p.clone(),
                    ignore_failure: r.ignore_unenforceable,
                }),
            }))
        }
        Hierarchy::V1(mounts) => {
            if caller.rootless {
                for (flag, c) in &requested {
                    refuse(flag, *c, "")?;
                }
                return Ok(None);
            }
            let mut wanted: Vec<Controller> = Vec::new();
            // The device list, as Docker and Podman confine a root container on a legacy
            // host: deny all, then allow the list (rules asked for with no devices hierarchy
            // are refused below).
            if devices.is_some() && mounts.contains_key("devices") {
                wanted.push(Controller::Devices);
            }
            for (flag, c) in &requested {
                if *c == Controller::Devices && mounts.contains_key("devices") {
                    continue;
                }
                if *flag == "--memory-swap"
                    && let Some(m) = mounts.get("memory")
                    && !m.join("memory.memsw.limit_in_bytes").exists()
                {
                    // The default (twice --memory) is just not applied there; a request is.
                    refuse(
                        flag,
                        *c,
                        ", whose memory hierarchy has no swap accounting (memory.memsw.*; the kernel needs swapaccount=1)",
                    )?;
                    continue;
                }
                if mounts.contains_key(c.v1()) {
                    if !wanted.contains(c) {
                        wanted.push(*c);
                    }
                } else {
                    refuse(flag, *c, &format!(", but no {} hierarchy", c.v1()))?;
                }
            }
            // The default pids limit. Not memory accounting, unlike v2: a v1 memory cgroup
            // would take the container out of the caller's own memory cgroup (and its
            // accounting), and every controller's move costs a migration here.
            if !wanted.contains(&Controller::Pids) && mounts.contains_key("pids") {
                wanted.push(Controller::Pids);
            }
            if wanted.is_empty() {
                return Ok(None);
            }
            wanted.sort();
            let mut dirs = Vec::new();
            let mut paths = BTreeMap::new();
            for c in wanted {
                let Some(base) = mounts.get(c.v1()) else {
                    continue;
                };
                let writes = match (c, devices) {
                    (Controller::Devices, Some(p)) => p.v1_writes(),
                    _ => v1_writes(r, c, base),
                };
                let dir = Dir {
                    base: base.clone(),
                    rel: parent_rel(base).join(name),
                    enable: Vec::new(),
                    cpuset_copy: c == Controller::Cpuset,
                    writes,
                };
                paths.insert(c.v1().to_string(), dir.leaf());
                dirs.push(dir);
            }
            Ok(Some(Plan {
                cgroup: Cgroup::V1(paths),
                dirs,
                devices: None,
            }))
        }
        Hierarchy::None => {
            for (flag, c) in &requested {
                refuse(flag, *c, "")?;
            }
            Ok(None)
        }
    }
}

fn max_or(v: i64) -> String {
    if v <= 0 {
        "max".to_string()
    } else {
        v.to_string()
    }
}

/// The v2 files for `r`, for the controllers in `enabled`.
pub fn v2_writes(r: &Resources, enabled: &[&str]) -> Vec<(String, String)> {
    let on = |c: &str| enabled.contains(&c);
    let mut w = Vec::new();
    let mut put = |f: &str, v: String| w.push((f.to_string(), v));
    if on("memory") {
        if r.memory_reservation != 0 {
            put("memory.low", r.memory_reservation.to_string());
        }
        if r.memory != 0 {
            put("memory.max", r.memory.to_string());
        }
        if let Some(sw) = r.memsw() {
            let swap = if sw < 0 {
                "max".to_string()
            } else {
                (sw - r.memory).max(0).to_string()
            };
            put("memory.swap.max", swap);
        }
    }
    if on("cpu") {
        if r.cpu_shares != 0 {
            put("cpu.weight", shares_to_weight(r.cpu_shares).to_string());
        }
        if let Some((quota, period)) = r.cfs() {
            put("cpu.max", format!("{} {period}", max_or(quota)));
        }
    }
    if on("cpuset") {
        if !r.cpuset_cpus.is_empty() {
            put("cpuset.cpus", r.cpuset_cpus.clone());
        }
        if !r.cpuset_mems.is_empty() {
            put("cpuset.mems", r.cpuset_mems.clone());
        }
    }
    if on("pids") {
        put("pids.max", max_or(r.pids_max()));
    }
    if on("io") {
        if r.blkio_weight != 0 {
            put(
                "io.weight",
                format!("default {}", blkio_to_io_weight(r.blkio_weight)),
            );
        }
        for (list, key) in [
            (&r.device_read_bps, "rbps"),
            (&r.device_write_bps, "wbps"),
            (&r.device_read_iops, "riops"),
            (&r.device_write_iops, "wiops"),
        ] {
            for t in list {
                put(
                    "io.max",
                    format!("{}:{} {key}={}", t.major, t.minor, t.rate),
                );
            }
        }
    }
    w
}

/// The v1 files for controller `c` (whose hierarchy is mounted at `mount`).
pub fn v1_writes(r: &Resources, c: Controller, mount: &Path) -> Vec<(String, String)> {
    let mut w = Vec::new();
    let mut put = |f: &str, v: String| w.push((f.to_string(), v));
    match c {
        Controller::Memory => {
            if r.memory_reservation != 0 {
                put(
                    "memory.soft_limit_in_bytes",
                    r.memory_reservation.to_string(),
                );
            }
            if r.memory != 0 {
                put("memory.limit_in_bytes", r.memory.to_string());
            }
            if let Some(sw) = r.memsw()
                && mount.join("memory.memsw.limit_in_bytes").exists()
            {
                put("memory.memsw.limit_in_bytes", sw.to_string());
            }
        }
        Controller::Cpu => {
            if r.cpu_shares != 0 {
                put("cpu.shares", r.cpu_shares.to_string());
            }
            if let Some((quota, period)) = r.cfs() {
                put("cpu.cfs_period_us", period.to_string());
                put("cpu.cfs_quota_us", quota.to_string());
            }
        }
        Controller::Cpuset => {
            if !r.cpuset_cpus.is_empty() {
                put("cpuset.cpus", r.cpuset_cpus.clone());
            }
            if !r.cpuset_mems.is_empty() {
                put("cpuset.mems", r.cpuset_mems.clone());
            }
        }
        Controller::Pids => put("pids.max", max_or(r.pids_max())),
        Controller::Devices => {
            // Docker's list and the user's rules, both checked by `parse_device_rule` already
            // (a start plans the container's whole list, `--device` nodes included: see
            // `plan_with`).
            let lines = DEFAULT_DEVICE_RULES
                .iter()
                .copied()
                .chain(r.device_cgroup_rules.iter().map(String::as_str));
            if let Ok(p) = super::devcg::Policy::new(lines) {
                w.extend(p.v1_writes());
            }
        }
        Controller::Io => {
            if r.blkio_weight != 0 {
                // CFQ's file, or BFQ's: which one is known once the cgroup exists (neither is
                // in a hierarchy's root); see `write_limits`.
                put("blkio.weight", r.blkio_weight.to_string());
            }
            for (list, f) in [
                (&r.device_read_bps, "blkio.throttle.read_bps_device"),
                (&r.device_write_bps, "blkio.throttle.write_bps_device"),
                (&r.device_read_iops, "blkio.throttle.read_iops_device"),
                (&r.device_write_iops, "blkio.throttle.write_iops_device"),
            ] {
                for t in list {
                    put(f, format!("{}:{} {}", t.major, t.minor, t.rate));
                }
            }
        }
    }
    w
}

/// The v1 proportional I/O weight file in cgroup `dir`: CFQ's, or BFQ's; None when neither
/// scheduler is there.
fn v1_weight_file(dir: &Path) -> Option<&'static str> {
    ["blkio.weight", "blkio.bfq.weight"]
        .into_iter()
        .find(|f| dir.join(f).exists())
}

fn mkdir(p: &Path) -> Result<bool> {
    match fs::create_dir(p) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == IoKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("creating cgroup {}", p.display())),
    }
}

fn write(p: &Path, value: &str) -> Result<()> {
    fs::write(p, value).with_context(|| format!("writing {value:?} to {}", p.display()))
}

/// Writes each of `values` to the cgroup file `p` with a write(2) of its own (the kernel takes
/// each as one setting), through one open.
fn write_each<'a>(p: &Path, values: impl Iterator<Item = &'a str>) -> Result<()> {
    use std::io::Write as _;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(p)
        .with_context(|| format!("opening {}", p.display()))?;
    for v in values {
        file.write_all(v.as_bytes())
            .with_context(|| format!("writing {v:?} to {}", p.display()))?;
    }
    Ok(())
}

/// Writes the limit files in order; a v1 memory pair that the kernel refuses in this order
/// (the memory limit above the old memory+swap limit) is written the other way round.
fn write_limits(leaf: &Path, writes: &[(String, String)]) -> Result<()> {
    let mut i = 0;
    while i < writes.len() {
        let (f, v) = &writes[i];
        if f == "blkio.weight" && leaf.join("cgroup.procs").exists() {
            let Some(file) = v1_weight_file(leaf) else {
                bail!(error::invalid(
                    "--blkio-weight: cannot enforce: the blkio cgroup has neither blkio.weight nor blkio.bfq.weight (no proportional I/O scheduler on this kernel)"
                ));
            };
            write(&leaf.join(file), v)?;
            i += 1;
            continue;
        }
        // A run of writes to one file (the v1 devices list, one rule each): one open for all.
        let run = writes[i..].iter().take_while(|(g, _)| g == f).count();
        if run > 1 {
            write_each(
                &leaf.join(f),
                writes[i..i + run].iter().map(|(_, v)| v.as_str()),
            )?;
            i += run;
            continue;
        }
        if let Err(e) = write(&leaf.join(f), v) {
            let next = writes.get(i + 1);
            if f == "memory.limit_in_bytes"
                && let Some((f2, v2)) = next.filter(|(f2, _)| f2 == "memory.memsw.limit_in_bytes")
            {
                write(&leaf.join(f2), v2)?;
                write(&leaf.join(f), v)?;
                i += 2;
                continue;
            }
            return Err(e);
        }
        i += 1;
    }
    Ok(())
}

impl Plan {
    /// Makes the cgroup: the chain of parents (enabling the controllers the leaf needs on
    /// v2; copying cpuset from the parent on v1), a fresh leaf (an empty one left by a berth
    /// that was killed is removed first) and its limit files. On failure what this made of the
    /// leaf is removed again.
    pub fn create(&self) -> Result<Cgroup> {
        let mut made: Vec<PathBuf> = Vec::new();
        let result = (|| -> Result<()> {
            for d in &self.dirs {
                let mut p = d.base.clone();
                let comps: Vec<_> = d.rel.components().collect();
                for (i, c) in comps.iter().enumerate() {
                    enable(&p, &d.enable)?;
                    let parent = p.clone();
                    p.push(c);
                    let last = i + 1 == comps.len();
                    if last && !mkdir(&p)? {
                        // Left by an earlier run of this container whose berth was killed.
                        remove_dir(&p)?;
                        mkdir(&p)?;
                    } else if !last {
                        mkdir(&p)?;
                    }
                    if last {
                        made.push(p.clone());
                    }
                    if d.cpuset_copy {
                        for f in ["cpuset.cpus", "cpuset.mems"] {
                            let mine = fs::read_to_string(p.join(f)).unwrap_or_default();
                            if mine.trim().is_empty() {
                                let theirs = fs::read_to_string(parent.join(f))
                                    .with_context(|| format!("reading {}", parent.display()))?;
                                write(&p.join(f), theirs.trim())?;
                            }
                        }
                    }
                }
                write_limits(&p, &d.writes)?;
                if let (Cgroup::V2(_), Some(f)) = (&self.cgroup, &self.devices) {
                    f.attach(&p)?;
                }
            }
            Ok(())
        })();
        if let Err(e) = result {
            for p in made {
                let _ = fs::remove_dir(p);
            }
            return Err(e);
        }
        Ok(self.cgroup.clone())
    }
}

/// Enables `controllers` for the children of v2 cgroup `dir`, those not enabled yet.
fn enable(dir: &Path, controllers: &[&str]) -> Result<()> {
    if controllers.is_empty() {
        return Ok(());
    }
    let f = dir.join("cgroup.subtree_control");
    let on = read_words(&f);
    let missing: Vec<String> = controllers
        .iter()
        .filter(|c| !on.iter().any(|o| o == *c))
        .map(|c| format!("+{c}"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    write(&f, &missing.join(" "))
        .with_context(|| format!("enabling the {} controllers", controllers.join(", ")))
}

fn remove_dir(p: &Path) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match fs::remove_dir(p) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == IoKind::NotFound => return Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EBUSY) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => return Err(e).with_context(|| format!("removing cgroup {}", p.display())),
        }
    }
}

/// One process's counts from a cgroup, as `stats` shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    pub memory: Option<u64>,
    /// The memory limit (None: unlimited).
    pub memory_limit: Option<u64>,
    pub blk_read: Option<u64>,
    pub blk_write: Option<u64>,
    pub pids: Option<u64>,
    /// CPU time used, nanoseconds.
    pub cpu_ns: Option<u64>,
}

fn read_u64(p: &Path) -> Option<u64> {
    fs::read_to_string(p).ok()?.trim().parse().ok()
}

fn keyed(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok())?
    })
}

impl Cgroup {
    /// The directories, v2's one or v1's per controller.
    pub fn paths(&self) -> Vec<&Path> {
        match self {
            Cgroup::V2(p) => vec![p.as_path()],
            Cgroup::V1(m) => m.values().map(PathBuf::as_path).collect(),
        }
    }

    /// Moves the calling thread into the cgroup (every hierarchy on v1), which in a
    /// single-threaded process (a container's first process, exec's helper) is the whole
    /// process. On v1 this is much cheaper than [`Cgroup::join`]: a thread moving itself
    /// through `tasks` spares the kernel's global threadgroup lock, whose taking waits for an
    /// RCU grace period (milliseconds on a busy host, for every container start).
    pub fn join_self(&self) -> Result<()> {
        match self {
            Cgroup::V2(_) => self.join(0),
            Cgroup::V1(_) => {
                for p in self.paths() {
                    write(&p.join("tasks"), "0").context("moving into its cgroup")?;
                }
                Ok(())
            }
        }
    }

    /// Moves process `pid` into the cgroup (every hierarchy on v1).
    pub fn join(&self, pid: i32) -> Result<()> {
        for p in self.paths() {
            write(&p.join("cgroup.procs"), &pid.to_string())
                .with_context(|| format!("moving process {pid} into its cgroup"))?;
        }
        Ok(())
    }

    /// SIGKILLs every process in the cgroup: v2 `cgroup.kill` (Linux 5.14); else each pid
    /// listed, through a pidfd opened while it is listed (I11). For processes outside the
    /// container's pid namespace (`--pid host`) or left behind; best effort.
    pub fn kill(&self) {
        if let Cgroup::V2(p) = self
            && fs::write(p.join("cgroup.kill"), "1").is_ok()
        {
            return;
        }
        let listed = |p: &Path| -> Vec<i32> {
            fs::read_to_string(p.join("cgroup.procs"))
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.trim().parse().ok())
                .collect()
        };
        for dir in self.paths() {
            for pid in listed(dir) {
                if let Ok(fd) = super::sys::pidfd_open(pid)
                    && listed(dir).contains(&pid)
                {
                    use std::os::fd::AsFd;
                    let _ = super::sys::pidfd_send_signal(fd.as_fd(), libc::SIGKILL);
                }
            }
        }
    }

    /// True when the kernel's OOM killer killed a process in the cgroup (v2
    /// `memory.events`, v1 `memory.oom_control`).
    pub fn oom_killed(&self) -> bool {
        let (file, p) = match self {
            Cgroup::V2(p) => ("memory.events", p),
            Cgroup::V1(m) => match m.get("memory") {
                Some(p) => ("memory.oom_control", p),
                None => return false,
            },
        };
        let text = fs::read_to_string(p.join(file)).unwrap_or_default();
        keyed(&text, "oom_kill").is_some_and(|n| n > 0)
            || keyed(&text, "oom_group_kill").is_some_and(|n| n > 0)
    }

    /// Removes the cgroup once its processes are gone. Gone already is fine; every
    /// directory is tried.
    pub fn remove(&self) -> Result<()> {
        let errors: Vec<String> = self
            .paths()
            .into_iter()
            .filter_map(|p| remove_dir(p).err().map(|e| format!("{e:#}")))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            bail!("{}", errors.join("; "))
        }
    }

    /// Applies `r` to the running cgroup (`update`): the limit files of the controllers that
    /// `changed` names. A controller the cgroup does not have yet is added: enabled in the
    /// parent on v2, or (v1) a directory made beside the others in that hierarchy with `pids`
    /// moved into it. One the host lacks is an error.
    pub fn update(
        &mut self,
        h: &Hierarchy,
        r: &Resources,
        changed: &[(&'static str, Controller)],
        pids: &[i32],
    ) -> Result<()> {
        let mut wanted: Vec<Controller> = changed.iter().map(|(_, c)| *c).collect();
        wanted.sort();
        wanted.dedup();
        let missing = |flag: &str, _: Controller, why: String| {
            error::invalid(format!("{flag}: cannot update: {why}"))
        };
        match self {
            Cgroup::V2(p) => {
                let on = read_words(&p.join("cgroup.controllers"));
                for (flag, c) in changed {
                    if on.iter().any(|o| o == c.v2()) {
                        continue;
                    }
                    let parent = p.parent().unwrap_or(p);
                    if !read_words(&parent.join("cgroup.controllers"))
                        .iter()
                        .any(|o| o == c.v2())
                    {
                        return Err(missing(
                            flag,
                            *c,
                            format!(
                                "the {} controller is not available in {}",
                                c.v2(),
                                parent.display()
                            ),
                        ));
                    }
                    enable(parent, &[c.v2()])?;
                }
                let names: Vec<&str> = wanted.iter().map(|c| c.v2()).collect();
                write_limits(p, &v2_writes(r, &names))
            }
            Cgroup::V1(m) => {
                let Hierarchy::V1(mounts) = h else {
                    bail!("the host's cgroup hierarchy changed since the container started");
                };
                // The path below each hierarchy's mount point, the same in all of them.
                let rel = m
                    .iter()
                    .find_map(|(k, p)| p.strip_prefix(mounts.get(k)?).ok())
                    .map(Path::to_path_buf)
                    .context("the container's cgroup is not in the host's hierarchies")?;
                for c in &wanted {
                    let dir = match m.get(c.v1()) {
                        Some(d) => d.clone(),
                        None => {
                            let Some(mount) = mounts.get(c.v1()) else {
                                let flag =
                                    changed.iter().find(|(_, x)| x == c).map_or("", |(f, _)| f);
                                return Err(missing(
                                    flag,
                                    *c,
                                    format!("this host has no {} hierarchy", c.v1()),
                                ));
                            };
                            let plan = Plan {
                                devices: None,
                                cgroup: Cgroup::V1(BTreeMap::new()),
                                dirs: vec![Dir {
                                    base: mount.clone(),
                                    rel: rel.clone(),
                                    enable: Vec::new(),
                                    cpuset_copy: *c == Controller::Cpuset,
                                    writes: Vec::new(),
                                }],
                            };
                            plan.create()?;
                            let leaf = mount.join(&rel);
                            let added =
                                Cgroup::V1(BTreeMap::from([(c.v1().to_string(), leaf.clone())]));
                            for pid in pids {
                                if let Err(e) = added.join(*pid)
                                    && !format!("{e:#}").contains("No such process")
                                {
                                    let _ = added.remove();
                                    return Err(e);
                                }
                            }
                            m.insert(c.v1().to_string(), leaf.clone());
                            leaf
                        }
                    };
                    if *c == Controller::Memory
                        && changed.iter().any(|(f, _)| *f == "--memory-swap")
                        && !dir.join("memory.memsw.limit_in_bytes").exists()
                    {
                        return Err(missing(
                            "--memory-swap",
                            *c,
                            "the memory hierarchy has no swap accounting (the kernel needs swapaccount=1)".into(),
                        ));
                    }
                    write_limits(&dir, &v1_writes(r, *c, &dir))?;
                }
                Ok(())
            }
        }
    }

    /// What the cgroup counts now (`stats`).
    pub fn usage(&self) -> Usage {
        match self {
            Cgroup::V2(p) => {
                let stat = fs::read_to_string(p.join("memory.stat")).unwrap_or_default();
                let mem = read_u64(&p.join("memory.current"))
                    .map(|c| c.saturating_sub(keyed(&stat, "inactive_file").unwrap_or(0)));
                let limit = fs::read_to_string(p.join("memory.max"))
                    .ok()
                    .and_then(|s| s.trim().parse().ok());
                let (mut r, mut w) = (None, None);
                if let Ok(io) = fs::read_to_string(p.join("io.stat")) {
                    let (mut rs, mut ws) = (0, 0);
                    for l in io.lines() {
                        for kv in l.split_whitespace().skip(1) {
                            match kv.split_once('=') {
                                Some(("rbytes", v)) => rs += v.parse::<u64>().unwrap_or(0),
                                Some(("wbytes", v)) => ws += v.parse::<u64>().unwrap_or(0),
                                _ => {}
                            }
                        }
                    }
                    (r, w) = (Some(rs), Some(ws));
                }
                let cpu = fs::read_to_string(p.join("cpu.stat"))
                    .ok()
                    .and_then(|s| keyed(&s, "usage_usec"))
                    .map(|u| u * 1000);
                Usage {
                    memory: mem,
                    memory_limit: limit,
                    blk_read: r,
                    blk_write: w,
                    pids: read_u64(&p.join("pids.current")),
                    cpu_ns: cpu,
                }
            }
            Cgroup::V1(m) => {
                let mut u = Usage::default();
                if let Some(p) = m.get("memory") {
                    let stat = fs::read_to_string(p.join("memory.stat")).unwrap_or_default();
                    u.memory = read_u64(&p.join("memory.usage_in_bytes")).map(|c| {
                        c.saturating_sub(keyed(&stat, "total_inactive_file").unwrap_or(0))
                    });
                    // v1 says "unlimited" with a huge page-rounded number.
                    u.memory_limit =
                        read_u64(&p.join("memory.limit_in_bytes")).filter(|l| *l < (1u64 << 62));
                }
                if let Some(p) = m.get("pids") {
                    u.pids = read_u64(&p.join("pids.current"));
                }
                if let Some(p) = m.get("blkio") {
                    let text = fs::read_to_string(p.join("blkio.throttle.io_service_bytes"))
                        .unwrap_or_default();
                    let (mut rs, mut ws) = (0, 0);
                    for l in text.lines() {
                        let f: Vec<&str> = l.split_whitespace().collect();
                        if let [_, op, v] = f[..] {
                            match op {
                                "Read" => rs += v.parse::<u64>().unwrap_or(0),
                                "Write" => ws += v.parse::<u64>().unwrap_or(0),
                                _ => {}
                            }
                        }
                    }
                    (u.blk_read, u.blk_write) = (Some(rs), Some(ws));
                }
                u
            }
        }
    }
}

/// Whether this host can enforce limits for this caller, for `info`: the hierarchy's kind and
/// the controllers a container's cgroup can use.
pub fn enforceable(h: &Hierarchy, caller: &Caller) -> (String, Vec<String>) {
    match h {
        Hierarchy::V2(root) => {
            if caller.rootless {
                match delegated(root, caller) {
                    Some(d) => ("v2".into(), read_words(&d.join("cgroup.controllers"))),
                    None => ("v2 (nothing delegated to this user)".into(), Vec::new()),
                }
            } else {
                ("v2".into(), read_words(&root.join("cgroup.controllers")))
            }
        }
        Hierarchy::V1(m) if caller.rootless => (
            "v1 (cgroup v1 needs root: limits cannot be enforced rootless)".into(),
            {
                let _ = m;
                Vec::new()
            },
        ),
        Hierarchy::V1(m) => (
            "v1".into(),
            [
                Controller::Cpu,
                Controller::Cpuset,
                Controller::Io,
                Controller::Memory,
                Controller::Pids,
            ]
            .iter()
            .filter(|c| m.contains_key(c.v1()))
            .map(|c| c.v2().to_string())
            .collect(),
        ),
        Hierarchy::None => ("none".into(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags() -> ResourceFlags {
        ResourceFlags::default()
    }

    fn root() -> Caller {
        Caller {
            rootless: false,
            uid: 0,
            own: Some("/".into()),
        }
    }

    #[test]
    fn sizes_and_cpusets_parse_as_docker_reads_them() {
        assert_eq!(parse_bytes("64m"), Some(64 << 20));
        assert_eq!(parse_bytes("1g"), Some(1 << 30));
        assert_eq!(parse_bytes("1.5k"), Some(1536));
        assert_eq!(parse_bytes("100"), Some(100));
        assert_eq!(parse_bytes("64MiB"), Some(64 << 20));
        for bad in ["", "m", "-1m", "1x", "99999999999999999999t", "nan"] {
            assert_eq!(parse_bytes(bad), None, "{bad}");
        }
        assert_eq!(parse_cpuset("0-2,5"), Some(vec![0, 1, 2, 5]));
        assert_eq!(parse_cpuset("3-1"), None);
        assert_eq!(parse_cpuset("a"), None);
    }

    #[test]
    fn flags_are_checked_as_docker_checks_them() {
        let err = |f: ResourceFlags| format!("{:#}", Resources::parse(&f).unwrap_err());
        assert!(
            err(ResourceFlags {
                memory: Some("4m".into()),
                ..flags()
            })
            .contains("minimum memory limit allowed is 6MB")
        );
        assert!(
            err(ResourceFlags {
                memory_swap: Some("64m".into()),
                ..flags()
            })
            .contains("always set the memory limit")
        );
        assert!(
            err(ResourceFlags {
                cpus: Some("100000".into()),
                ..flags()
            })
            .contains("CPUs available")
        );
        assert!(
            err(ResourceFlags {
                cpuset_cpus: Some("4000".into()),
                ..flags()
            })
            .contains("CPU 4000 is not available")
        );
        assert!(
            err(ResourceFlags {
                memory: Some("64m".into()),
                cgroups: Some("disabled".into()),
                ..flags()
            })
            .contains("--memory and --cgroups disabled")
        );
        assert!(
            err(ResourceFlags {
                cgroup_parent: Some("../x".into()),
                ..flags()
            })
            .contains("--cgroup-parent")
        );
        let r = Resources::parse(&ResourceFlags {
            memory: Some("64m".into()),
            cpus: Some("0.5".into()),
            pids_limit: Some(-1),
            ..flags()
        })
        .unwrap();
        assert_eq!((r.memory, r.nano_cpus), (64 << 20, 500_000_000));
        assert_eq!(r.memsw(), Some(128 << 20));
        assert_eq!(r.cfs(), Some((50_000, 100_000)));
    }

    #[test]
    fn device_rules_parse_as_docker_takes_them() {
        assert_eq!(parse_device_rule("c 1:3 rmw").unwrap(), "c 1:3 rmw");
        assert_eq!(parse_device_rule(" b  8:*  r ").unwrap(), "b 8:* r");
        for bad in [
            "c 1:3",
            "x 1:3 r",
            "c 1-3 r",
            "c a:3 r",
            "c 1:3 rx",
            "c 1:3 rwmr",
        ] {
            assert!(parse_device_rule(bad).is_err(), "{bad}");
        }
        let r = Resources {
            device_cgroup_rules: vec!["b 8:0 r".into()],
            ..Resources::default()
        };
        let w = v1_writes(&r, Controller::Devices, Path::new("/nonexistent"));
        assert_eq!(w[0], ("devices.deny".into(), "a".into()));
        assert_eq!(w.len(), 2 + DEFAULT_DEVICE_RULES.len());
        assert_eq!(w.last().unwrap().1, "b 8:0 r");
        // v2 has no devices controller: root gets an eBPF program (planned, attached at
        // create); rootless is refused, saying why.
        let t = v2_fixture("memory pids");
        let h = Hierarchy::V2(t.path().to_path_buf());
        let policy = crate::runtime::devcg::Policy::new(
            DEFAULT_DEVICE_RULES.iter().copied().chain(["b 8:0 r"]),
        )
        .unwrap();
        let p = plan_with(&h, &root(), &r, Some(&policy), "x")
            .unwrap()
            .unwrap();
        assert_eq!(p.devices.as_ref().map(|f| &f.policy), Some(&policy));
        assert!(!p.dirs[0].enable.contains(&"devices"));
        // Nothing to confine (--privileged's list): no program.
        let all = crate::runtime::devcg::Policy::new(["a *:* rwm"]).unwrap();
        let p = plan_with(&h, &root(), &r, Some(&all), "x")
            .unwrap()
            .unwrap();
        assert_eq!(p.devices, None);
        let me = Caller {
            rootless: true,
            uid: 1000,
            own: None,
        };
        let e = format!("{:#}", plan(&h, &me, &r, "x").unwrap_err());
        assert!(
            e.starts_with("--device-cgroup-rule: cannot enforce: device rules need root"),
            "{e}"
        );
        // v1: a devices cgroup by default for root (with the whole list), none without the
        // hierarchy unless rules were asked for.
        let v1 = tempfile::tempdir().unwrap();
        let mut mounts = BTreeMap::new();
        for c in ["pids", "devices"] {
            fs::create_dir(v1.path().join(c)).unwrap();
            mounts.insert(c.to_string(), v1.path().join(c));
        }
        let none = Resources::default();
        let p = plan_with(
            &Hierarchy::V1(mounts.clone()),
            &root(),
            &none,
            Some(&policy),
            "x",
        )
        .unwrap()
        .unwrap();
        let Cgroup::V1(paths) = &p.cgroup else {
            panic!()
        };
        assert_eq!(paths.keys().collect::<Vec<_>>(), ["devices", "pids"]);
        let dev = p.dirs.iter().find(|d| d.base.ends_with("devices")).unwrap();
        assert_eq!(dev.writes, policy.v1_writes());
        let p = plan_with(&Hierarchy::V1(mounts.clone()), &root(), &none, None, "x")
            .unwrap()
            .unwrap();
        assert_eq!(p.dirs.len(), 1);
        mounts.remove("devices");
        let p = plan_with(
            &Hierarchy::V1(mounts.clone()),
            &root(),
            &none,
            Some(&policy),
            "x",
        )
        .unwrap()
        .unwrap();
        assert_eq!(p.dirs.len(), 1);
        let e = format!(
            "{:#}",
            plan_with(&Hierarchy::V1(mounts), &root(), &r, Some(&policy), "x").unwrap_err()
        );
        assert!(
            e.contains("berth needs the devices cgroup controller"),
            "{e}"
        );
    }

    #[test]
    fn shares_convert_to_weight_as_docker_does() {
        assert_eq!(shares_to_weight(2), 1);
        assert_eq!(shares_to_weight(1024), 39);
        assert_eq!(shares_to_weight(262_144), 10_000);
        assert_eq!(blkio_to_io_weight(10), 1);
        assert_eq!(blkio_to_io_weight(1000), 10_000);
    }

    #[test]
    fn detects_hybrid_and_pure_v2() {
        let hybrid = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n\
                      32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n\
                      35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n\
                      41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
        let Hierarchy::V1(m) = hierarchy_from(hybrid) else {
            panic!("not v1")
        };
        assert_eq!(m["memory"], PathBuf::from("/sys/fs/cgroup/memory"));
        assert!(!m.contains_key("pids"));
        let v2 = "30 23 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n";
        assert_eq!(
            hierarchy_from(v2),
            Hierarchy::V2(PathBuf::from("/sys/fs/cgroup"))
        );
        assert_eq!(hierarchy_from(""), Hierarchy::None);
    }

    /// A fixture v2 root: a plain directory with the controller files the kernel would have.
    fn v2_fixture(controllers: &str) -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        fs::write(t.path().join("cgroup.controllers"), controllers).unwrap();
        fs::write(t.path().join("cgroup.subtree_control"), "").unwrap();
        t
    }

    #[test]
    fn v2_plan_enables_what_the_limits_need_and_writes_the_files() {
        let t = v2_fixture("cpuset cpu io memory hugetlb pids");
        let h = Hierarchy::V2(t.path().to_path_buf());
        let r = Resources::parse(&ResourceFlags {
            memory: Some("64m".into()),
            memory_reservation: Some("32m".into()),
            cpus: Some("0.5".into()),
            cpu_shares: Some(512),
            blkio_weight: Some(500),
            ..flags()
        })
        .unwrap();
        let plan = plan(&h, &root(), &r, "abc").unwrap().unwrap();
        let leaf = t.path().join("berth/abc");
        assert_eq!(plan.cgroup, Cgroup::V2(leaf.clone()));
        // The kernel would make the files of a new cgroup; the fixture makes berth/ by hand.
        let cg = plan.create().unwrap();
        let read = |f: &str| fs::read_to_string(leaf.join(f)).unwrap();
        assert_eq!(read("memory.max"), (64u64 << 20).to_string());
        assert_eq!(read("memory.swap.max"), (64u64 << 20).to_string());
        assert_eq!(read("memory.low"), (32u64 << 20).to_string());
        assert_eq!(read("cpu.max"), "50000 100000");
        assert_eq!(read("cpu.weight"), shares_to_weight(512).to_string());
        assert_eq!(read("pids.max"), "2048");
        assert_eq!(read("io.weight"), "default 4950");
        let enabled = fs::read_to_string(t.path().join("cgroup.subtree_control")).unwrap();
        assert_eq!(enabled, "+memory +cpu +io +pids");
        assert!(t.path().join("berth/cgroup.subtree_control").exists());
        cg.join(42).unwrap();
        assert_eq!(read("cgroup.procs"), "42");
        fs::write(
            leaf.join("memory.events"),
            "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n",
        )
        .unwrap();
        assert!(cg.oom_killed());
        // A leftover (berth killed) is replaced by the next start.
        for e in fs::read_dir(&leaf).unwrap() {
            fs::remove_file(e.unwrap().path()).unwrap();
        }
        plan.create().unwrap();
        assert!(!cg.oom_killed());
        for e in fs::read_dir(&leaf).unwrap() {
            fs::remove_file(e.unwrap().path()).unwrap();
        }
        cg.remove().unwrap();
        cg.remove().unwrap();
        assert!(!leaf.exists());
    }

    #[test]
    fn v2_unlimited_swap_and_pids_and_a_parent() {
        let t = v2_fixture("memory pids");
        let h = Hierarchy::V2(t.path().to_path_buf());
        let r = Resources::parse(&ResourceFlags {
            memory: Some("64m".into()),
            memory_swap: Some("-1".into()),
            pids_limit: Some(0),
            cgroup_parent: Some("/my/parent".into()),
            ..flags()
        })
        .unwrap();
        let p = plan(&h, &root(), &r, "x").unwrap().unwrap();
        assert_eq!(p.dirs[0].rel, PathBuf::from("my/parent/x"));
        assert!(
            p.dirs[0]
                .writes
                .contains(&("memory.swap.max".into(), "max".into()))
        );
        assert!(
            p.dirs[0]
                .writes
                .contains(&("pids.max".into(), "max".into()))
        );
    }

    #[test]
    fn a_missing_controller_is_an_error_unless_ignored() {
        let t = v2_fixture("hugetlb");
        let h = Hierarchy::V2(t.path().to_path_buf());
        let mut r = Resources::parse(&ResourceFlags {
            memory: Some("64m".into()),
            ..flags()
        })
        .unwrap();
        let e = format!("{:#}", plan(&h, &root(), &r, "x").unwrap_err());
        assert!(e.starts_with("--memory: cannot enforce"), "{e}");
        assert!(e.contains("memory controller"), "{e}");
        r.ignore_unenforceable = true;
        let p = plan(&h, &root(), &r, "x").unwrap().unwrap();
        assert!(p.dirs[0].writes.is_empty());
        // No limit asked and no pids controller: the default pids limit is just skipped.
        let p = plan(&h, &root(), &Resources::default(), "x")
            .unwrap()
            .unwrap();
        assert!(p.dirs[0].enable.is_empty());
        // Rootless on v1: refused with the reason.
        let v1 = Hierarchy::V1(BTreeMap::from([("memory".into(), t.path().to_path_buf())]));
        let me = Caller {
            rootless: true,
            uid: 1000,
            own: None,
        };
        r.ignore_unenforceable = false;
        let e = format!("{:#}", plan(&v1, &me, &r, "x").unwrap_err());
        assert!(
            e.contains("rootless berth needs a delegated cgroup v2 subtree with the memory controller; this host has cgroup v1 controllers"),
            "{e}"
        );
        assert_eq!(plan(&v1, &me, &Resources::default(), "x").unwrap(), None);
    }

    #[test]
    fn rootless_v2_uses_the_delegated_subtree() {
        if !crate::runtime::test_support::require_root("rootless_v2_uses_the_delegated_subtree") {
            return;
        }
        let t = v2_fixture("cpu memory pids");
        let scope = "user.slice/user-4242.slice/user@4242.service/app.slice/x.scope";
        fs::create_dir_all(t.path().join(scope)).unwrap();
        let deleg = t
            .path()
            .join("user.slice/user-4242.slice/user@4242.service");
        for p in [
            deleg.clone(),
            deleg.join("app.slice"),
            deleg.join("app.slice/x.scope"),
        ] {
            std::os::unix::fs::chown(&p, Some(4242), Some(4242)).unwrap();
        }
        fs::write(deleg.join("cgroup.controllers"), "memory pids").unwrap();
        let me = Caller {
            rootless: true,
            uid: 4242,
            own: Some(format!("/{scope}")),
        };
        let h = Hierarchy::V2(t.path().to_path_buf());
        let r = Resources::parse(&ResourceFlags {
            memory: Some("64m".into()),
            ..flags()
        })
        .unwrap();
        let p = plan(&h, &me, &r, "c").unwrap().unwrap();
        assert_eq!(p.cgroup, Cgroup::V2(deleg.join("berth/c")));
        assert_eq!(p.dirs[0].enable, ["memory", "pids"]);
        // cpu is not delegated: refused, naming it.
        let cpu = Resources::parse(&ResourceFlags {
            cpus: Some("0.5".into()),
            ..flags()
        })
        .unwrap();
        let e = format!("{:#}", plan(&h, &me, &cpu, "c").unwrap_err());
        assert!(
            e.contains(
                "rootless berth needs a delegated cgroup v2 subtree with the cpu controller"
            ),
            "{e}"
        );
        // Nothing owned by the user: nothing delegated.
        let nobody = Caller { uid: 4343, ..me };
        let e = format!("{:#}", plan(&h, &nobody, &r, "c").unwrap_err());
        assert!(e.contains("no part of it is delegated to this user"), "{e}");
        assert_eq!(plan(&h, &nobody, &Resources::default(), "c").unwrap(), None);
    }

    #[test]
    fn v1_swap_limit_needs_swap_accounting() {
        let t = tempfile::tempdir().unwrap();
        let mounts = BTreeMap::from([("memory".to_string(), t.path().to_path_buf())]);
        let r = Resources::parse(&ResourceFlags {
            memory: Some("32m".into()),
            memory_swap: Some("64m".into()),
            ..flags()
        })
        .unwrap();
        let e = format!(
            "{:#}",
            plan(&Hierarchy::V1(mounts.clone()), &root(), &r, "c").unwrap_err()
        );
        assert!(e.starts_with("--memory-swap: cannot enforce"), "{e}");
        // --memory alone: its default swap limit is skipped, the memory limit is not.
        let m = Resources {
            memory_swap: 0,
            ..r
        };
        let p = plan(&Hierarchy::V1(mounts), &root(), &m, "c")
            .unwrap()
            .unwrap();
        assert_eq!(
            p.dirs[0].writes,
            [(
                "memory.limit_in_bytes".to_string(),
                (32u64 << 20).to_string()
            )]
        );
    }

    #[test]
    fn v1_plan_makes_a_directory_per_controller() {
        let t = tempfile::tempdir().unwrap();
        let mut mounts = BTreeMap::new();
        for c in ["memory", "pids", "cpu", "cpuset"] {
            let d = t.path().join(c);
            fs::create_dir(&d).unwrap();
            mounts.insert(c.to_string(), d);
        }
        fs::write(t.path().join("memory/memory.memsw.limit_in_bytes"), "").unwrap();
        fs::write(t.path().join("cpuset/cpuset.cpus"), "0-1\n").unwrap();
        fs::write(t.path().join("cpuset/cpuset.mems"), "0\n").unwrap();
        let r = Resources::parse(&ResourceFlags {
            memory: Some("32m".into()),
            cpuset_cpus: Some("0".into()),
            ..flags()
        })
        .unwrap();
        let p = plan(&Hierarchy::V1(mounts), &root(), &r, "c")
            .unwrap()
            .unwrap();
        let cg = p.create().unwrap();
        let Cgroup::V1(paths) = &cg else { panic!() };
        assert_eq!(
            paths.keys().collect::<Vec<_>>(),
            ["cpuset", "memory", "pids"]
        );
        let read = |p: PathBuf| fs::read_to_string(p).unwrap();
        assert_eq!(
            read(paths["memory"].join("memory.limit_in_bytes")),
            (32u64 << 20).to_string()
        );
        assert_eq!(
            read(paths["memory"].join("memory.memsw.limit_in_bytes")),
            (64u64 << 20).to_string()
        );
        assert_eq!(read(paths["pids"].join("pids.max")), "2048");
        assert_eq!(read(paths["cpuset"].join("cpuset.cpus")), "0");
        // Copied from the parent, through berth/.
        assert_eq!(read(paths["cpuset"].join("cpuset.mems")), "0");
        assert_eq!(read(t.path().join("cpuset/berth/cpuset.cpus")), "0-1");
        fs::write(
            paths["memory"].join("memory.oom_control"),
            "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n",
        )
        .unwrap();
        assert!(cg.oom_killed());
    }
}
