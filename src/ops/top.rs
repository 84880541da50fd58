//! `top`: the processes of a running container, ps-style, read from the host's /proc.
//!
//! A process belongs to the container when it is in the container's pid namespace (its
//! `/proc/PID/ns/pid` is the init's), so processes started by `exec` count too. Nothing from the
//! container runs on the host (SECURITY.md I5): user and group names come from the container's
//! own /etc/passwd and /etc/group, read in-root through `/proc/INIT/root` (I1, I6). PIDs are the
//! container's, as Podman shows them (the last `NSpid` field), not the host's (Docker); `hpid`
//! gives the host's. Descriptors are Podman's AIX-format ones. Text the container controls
//! (command lines, names) is shown with control characters replaced, so it cannot drive the
//! terminal.

use std::collections::HashMap;
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;

use anyhow::{Result, bail};

use crate::context::Context;
use crate::error;
use crate::runtime::exec::parse_map;
use crate::runtime::process;
use crate::runtime::userns::IdMap;
use crate::storage::Store;
use crate::storage::container as records;

/// Options for [`top`].
#[derive(Debug, Default)]
pub struct TopOptions {
    pub target: String,
    /// Descriptors (`pid`, `%p`, …), each argument possibly several separated by commas or
    /// spaces; empty for the default columns.
    pub descriptors: Vec<String>,
}

/// The table: one header per descriptor, one row per process, ordered by pid.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TopReport {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A column: its name, its AIX code, its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Args,
    Comm,
    Etime,
    Group,
    Hgroup,
    Hpid,
    Huser,
    Nice,
    Pcpu,
    Pgid,
    Pid,
    Ppid,
    Rgroup,
    Rss,
    Ruser,
    Seccomp,
    State,
    Time,
    Tty,
    User,
    Vsz,
}

/// (descriptor, AIX code, header, column).
const COLUMNS: [(&str, &str, &str, Column); 21] = [
    ("args", "%a", "COMMAND", Column::Args),
    ("comm", "%c", "COMMAND", Column::Comm),
    ("etime", "%t", "ELAPSED", Column::Etime),
    ("group", "%G", "GROUP", Column::Group),
    ("hgroup", "", "HGROUP", Column::Hgroup),
    ("hpid", "", "HPID", Column::Hpid),
    ("huser", "", "HUSER", Column::Huser),
    ("nice", "%n", "NI", Column::Nice),
    ("pcpu", "%C", "%CPU", Column::Pcpu),
    ("pgid", "%r", "PGID", Column::Pgid),
    ("pid", "%p", "PID", Column::Pid),
    ("ppid", "%P", "PPID", Column::Ppid),
    ("rgroup", "%g", "RGROUP", Column::Rgroup),
    ("rss", "", "RSS", Column::Rss),
    ("ruser", "%u", "RUSER", Column::Ruser),
    ("seccomp", "", "SECCOMP", Column::Seccomp),
    ("state", "", "STATE", Column::State),
    ("time", "%x", "TIME", Column::Time),
    ("tty", "%y", "TTY", Column::Tty),
    ("user", "%U", "USER", Column::User),
    ("vsz", "%z", "VSZ", Column::Vsz),
];

/// Podman's default: `USER PID PPID %CPU ELAPSED TTY TIME COMMAND`.
const DEFAULT: [&str; 8] = [
    "user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args",
];

/// Every descriptor name, for the help and the error.
pub fn descriptor_names() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.0).collect()
}

/// Parses the descriptors; each argument may hold several, separated by commas or spaces.
/// Errors (`ErrorKind::InvalidInput`): an unknown descriptor, named with the known ones.
fn parse_descriptors(args: &[String]) -> Result<Vec<(Column, &'static str)>> {
    let words: Vec<&str> = args
        .iter()
        .flat_map(|a| a.split([',', ' ', '\t']))
        .filter(|w| !w.is_empty())
        .collect();
    let words = if words.is_empty() {
        DEFAULT.to_vec()
    } else {
        words
    };
    words
        .into_iter()
        .map(|w| {
            COLUMNS
                .iter()
                .find(|(name, code, ..)| *name == w || (!code.is_empty() && *code == w))
                .map(|(_, _, header, col)| (*col, *header))
                .ok_or_else(|| {
                    error::invalid(format!(
                        "unknown descriptor {w:?}: berth top knows {}",
                        descriptor_names().join(", ")
                    ))
                })
        })
        .collect()
}

/// Lists the processes of the running container `opts.target`.
///
/// Errors (exit 125): an unknown descriptor; no such container (`ErrorKind::NotFound`);
/// `container NAME is not running`; /proc cannot be read. Names that cannot be resolved (the
/// container's /etc/passwd is unreadable) show as numbers.
pub fn top(ctx: &Context, opts: &TopOptions) -> Result<TopReport> {
    let columns = parse_descriptors(&opts.descriptors)?;
    let store = Store::open(ctx)?;
    let dirs = store.containers();
    let id = dirs.resolve(&opts.target)?;
    let config = dirs.read_config(&id)?;
    let state = dirs.read_state(&id);
    let not_running = || error::invalid(format!("container {} is not running", config.name));
    if !state.is_alive(&records::boot_id()) {
        bail!(not_running());
    }
    let procs = scan();
    let init = state.pid;
    // The init's namespace; a non-dumpable init (`--init`, rootless) hides it, and then its
    // children tell.
    let ns = procs
        .iter()
        .find(|p| p.pid == init)
        .and_then(|p| p.pid_ns)
        .or_else(|| {
            procs
                .iter()
                .filter(|p| p.ppid == init)
                .find_map(|p| p.pid_ns)
        });
    let mut members: Vec<&Proc> = procs
        .iter()
        .filter(|p| p.pid == init || (ns.is_some() && p.pid_ns == ns))
        .collect();
    if process_start_time(init) != Some(state.pid_start) {
        bail!(not_running());
    }
    members.sort_by_key(|p| (p.ns_pid, p.pid));
    let inside: HashMap<i32, i32> = members.iter().map(|p| (p.pid, p.ns_pid)).collect();
    // The init first; a non-dumpable one hides its root, and then a member shows it.
    let names = Names::of(std::iter::once(init).chain(members.iter().map(|p| p.pid)));
    let clock = Clock::now();
    let rows = members
        .iter()
        .map(|p| {
            columns
                .iter()
                .map(|(c, _)| cell(*c, p, &inside, &names, &clock))
                .collect()
        })
        .collect();
    Ok(TopReport {
        headers: columns.iter().map(|(_, h)| (*h).to_string()).collect(),
        rows,
    })
}

fn process_start_time(pid: i32) -> Option<u64> {
    records::process_start_time(pid)
}

/// One process as /proc shows it to the host.
#[derive(Debug, Default, Clone)]
struct Proc {
    pid: i32,
    /// Its pid in its own (innermost) pid namespace.
    ns_pid: i32,
    ppid: i32,
    pgid: i32,
    state: String,
    tty_nr: u64,
    /// utime + stime, clock ticks.
    cpu_ticks: u64,
    nice: i64,
    start_ticks: u64,
    vsize: u64,
    rss_pages: u64,
    /// Real and effective uid and gid, host ids.
    uids: (u32, u32),
    gids: (u32, u32),
    seccomp: u8,
    comm: String,
    args: String,
    /// The pid namespace (device, inode), when the host may look.
    pid_ns: Option<(u64, u64)>,
}

/// Every process the host's /proc lists; ones that vanish while being read are left out.
fn scan() -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(read_proc)
        .collect()
}

fn read_proc(pid: i32) -> Option<Proc> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let mut p = parse_stat(&stat)?;
    p.pid = pid;
    parse_status(&status, &mut p);
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    p.args = cmdline
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(String::from_utf8_lossy)
        .collect::<Vec<_>>()
        .join(" ");
    p.pid_ns = std::fs::metadata(format!("/proc/{pid}/ns/pid"))
        .ok()
        .map(|m| (m.dev(), m.ino()));
    Some(p)
}

/// `/proc/PID/stat`: the command name is between the first `(` and the last `)` (it may hold
/// either), and the numbered fields resume after it.
fn parse_stat(stat: &str) -> Option<Proc> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat.get(open + 1..close)?.to_string();
    let f: Vec<&str> = stat.get(close + 1..)?.split_whitespace().collect();
    // f[0] is field 3 (state).
    let field = |n: usize| f.get(n - 3).copied();
    let num = |n: usize| field(n).and_then(|v| v.parse::<u64>().ok());
    Some(Proc {
        comm,
        state: field(3)?.to_string(),
        ppid: field(4)?.parse().ok()?,
        pgid: field(5)?.parse().ok()?,
        tty_nr: num(7)?,
        cpu_ticks: num(14)?.saturating_add(num(15)?),
        nice: field(19)?.parse().ok()?,
        start_ticks: num(22)?,
        vsize: num(23)?,
        rss_pages: num(24)?,
        ..Proc::default()
    })
}

/// `NSpid`, `Uid`, `Gid` and `Seccomp` from `/proc/PID/status`.
fn parse_status(status: &str, p: &mut Proc) {
    for line in status.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let nums: Vec<u64> = value
            .split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect();
        match key {
            "NSpid" => p.ns_pid = nums.last().map_or(0, |n| i32::try_from(*n).unwrap_or(0)),
            "Uid" if nums.len() >= 2 => p.uids = (nums[0] as u32, nums[1] as u32),
            "Gid" if nums.len() >= 2 => p.gids = (nums[0] as u32, nums[1] as u32),
            "Seccomp" => p.seccomp = nums.first().map_or(0, |n| *n as u8),
            _ => {}
        }
    }
}

/// Host ids to the container's ids and names.
#[derive(Default)]
struct Names {
    uid_map: Vec<IdMap>,
    gid_map: Vec<IdMap>,
    passwd: String,
    group: String,
}

impl Names {
    /// Reads the maps and the container's passwd and group through the /proc entries of the
    /// first of `pids` whose root berth may open; whatever cannot be read is left empty (ids
    /// then show as numbers).
    fn of(pids: impl Iterator<Item = i32>) -> Names {
        let mut first = None;
        for pid in pids {
            first.get_or_insert(pid);
            let names = Names::of_one(pid);
            if !names.passwd.is_empty() {
                return names;
            }
        }
        first.map(Names::of_one).unwrap_or_default()
    }

    fn of_one(init: i32) -> Names {
        let map = |which: &str| {
            std::fs::read_to_string(format!("/proc/{init}/{which}"))
                .ok()
                .and_then(|t| parse_map(&t).ok())
                .unwrap_or_default()
        };
        // The host's procfs, so following the /proc/INIT/root magic link is intended; inside
        // it, resolution stays in-root (I1).
        let files = nix::fcntl::open(
            format!("/proc/{init}/root").as_str(),
            nix::fcntl::OFlag::O_PATH
                | nix::fcntl::OFlag::O_DIRECTORY
                | nix::fcntl::OFlag::O_CLOEXEC,
            nix::sys::stat::Mode::empty(),
        )
        .ok()
        .and_then(|root| process::read_identity_files(root.as_fd()).ok())
        .unwrap_or_default();
        Names {
            uid_map: map("uid_map"),
            gid_map: map("gid_map"),
            passwd: files.0,
            group: files.1,
        }
    }

    fn user(&self, host: u32) -> String {
        let id = to_inside(host, &self.uid_map);
        lookup(&self.passwd, id, 2)
    }

    fn group(&self, host: u32) -> String {
        let id = to_inside(host, &self.gid_map);
        lookup(&self.group, id, 2)
    }
}

/// The container's id for host id `host`; unmapped ids show as the overflow id, as the kernel
/// does.
/// With no maps (unreadable), the host's id is shown.
fn to_inside(host: u32, maps: &[IdMap]) -> Option<u32> {
    if maps.is_empty() {
        return Some(host);
    }
    maps.iter().find_map(|m| {
        let off = host.checked_sub(m.outside)?;
        (off < m.count).then(|| m.inside + off)
    })
}

/// The kernel's overflow uid and gid (/proc/sys/kernel/overflowuid): what unmapped ids read as.
const OVERFLOW_ID: u32 = 65534;

/// The name of `id` in passwd or group text (the id is field `field`), else the number.
fn lookup(text: &str, id: Option<u32>, field: usize) -> String {
    let id = id.unwrap_or(OVERFLOW_ID);
    text.lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() > field && f[field].parse::<u32>() == Ok(id) && !f[0].is_empty())
                .then(|| clean(f[0]))
        })
        .unwrap_or_else(|| id.to_string())
}

/// Control characters (terminal escapes) from the container become `?`, as ps does.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// What time-based columns need.
struct Clock {
    ticks_per_sec: u64,
    /// Seconds since boot, in nanoseconds.
    uptime_ns: u128,
    page_size: u64,
}

impl Clock {
    fn now() -> Clock {
        let ticks_per_sec = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
            .ok()
            .flatten()
            .and_then(|t| u64::try_from(t).ok())
            .filter(|t| *t > 0)
            .unwrap_or(100);
        let page_size = nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
            .ok()
            .flatten()
            .and_then(|t| u64::try_from(t).ok())
            .unwrap_or(4096);
        let uptime_ns = std::fs::read_to_string("/proc/uptime")
            .ok()
            .and_then(|s| s.split_whitespace().next().map(str::to_string))
            .and_then(|s| s.parse::<f64>().ok())
            .map_or(0, |s| (s * 1e9) as u128);
        Clock {
            ticks_per_sec,
            uptime_ns,
            page_size,
        }
    }

    fn ticks_ns(&self, ticks: u64) -> u128 {
        u128::from(ticks) * 1_000_000_000 / u128::from(self.ticks_per_sec)
    }
}

fn cell(c: Column, p: &Proc, inside: &HashMap<i32, i32>, names: &Names, clock: &Clock) -> String {
    let elapsed = clock
        .uptime_ns
        .saturating_sub(clock.ticks_ns(p.start_ticks));
    let cpu = clock.ticks_ns(p.cpu_ticks);
    let in_ns = |pid: i32| inside.get(&pid).copied().unwrap_or(0).to_string();
    match c {
        Column::Args if p.args.is_empty() => format!("[{}]", clean(&p.comm)),
        Column::Args => clean(&p.args),
        Column::Comm => clean(&p.comm),
        Column::Etime => go_duration(elapsed),
        Column::Group => names.group(p.gids.1),
        Column::Rgroup => names.group(p.gids.0),
        Column::User => names.user(p.uids.1),
        Column::Ruser => names.user(p.uids.0),
        Column::Hgroup => p.gids.1.to_string(),
        Column::Huser => p.uids.1.to_string(),
        Column::Hpid => p.pid.to_string(),
        Column::Pid => p.ns_pid.to_string(),
        Column::Ppid => in_ns(p.ppid),
        Column::Pgid => in_ns(p.pgid),
        Column::Nice => p.nice.to_string(),
        Column::Pcpu => {
            let pct = if elapsed == 0 {
                0.0
            } else {
                cpu as f64 * 100.0 / elapsed as f64
            };
            format!("{pct:.3}")
        }
        Column::Rss => (p.rss_pages * clock.page_size / 1024).to_string(),
        Column::Vsz => (p.vsize / 1024).to_string(),
        Column::Seccomp => match p.seccomp {
            0 => "disabled",
            1 => "strict",
            _ => "filter",
        }
        .to_string(),
        Column::State => p.state.clone(),
        Column::Time => go_duration(cpu),
        Column::Tty => tty_name(p.tty_nr),
    }
}

/// The terminal of `tty_nr` (proc(5): major in bits 15..8, minor in 31..20 and 7..0).
fn tty_name(tty_nr: u64) -> String {
    if tty_nr == 0 {
        return "?".to_string();
    }
    let major = (tty_nr >> 8) & 0xfff;
    let minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
    match major {
        136..=143 => format!("pts/{}", ((major - 136) << 8) + minor),
        4 if minor < 64 => format!("tty{minor}"),
        5 if minor == 1 => "console".to_string(),
        _ => format!("{major}:{minor}"),
    }
}

/// A duration as Go's `time.Duration.String` writes it (what Podman shows): `0s`, `15ms`,
/// `4.5s`, `1m2.25s`, `3h0m1s`.
fn go_duration(ns: u128) -> String {
    fn frac(v: u128, unit: u128, digits: usize) -> String {
        let (whole, rest) = (v / unit, v % unit);
        if rest == 0 {
            return whole.to_string();
        }
        let f = format!("{rest:0digits$}");
        format!("{whole}.{}", f.trim_end_matches('0'))
    }
    const S: u128 = 1_000_000_000;
    match ns {
        0 => "0s".to_string(),
        n if n < 1_000 => format!("{n}ns"),
        n if n < 1_000_000 => format!("{}µs", frac(n, 1_000, 3)),
        n if n < S => format!("{}ms", frac(n, 1_000_000, 6)),
        n => {
            let (h, m) = (n / (3600 * S), n / (60 * S) % 60);
            let s = frac(n % (60 * S), S, 9);
            match (h, m) {
                (0, 0) => format!("{s}s"),
                (0, m) => format!("{m}m{s}s"),
                (h, m) => format!("{h}h{m}m{s}s"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_go() {
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_duration(999), "999ns");
        assert_eq!(go_duration(1_500), "1.5µs");
        assert_eq!(go_duration(10_000_000), "10ms");
        assert_eq!(go_duration(4_999_340_466), "4.999340466s");
        assert_eq!(go_duration(62_250_000_000), "1m2.25s");
        assert_eq!(
            go_duration(3 * 3600 * 1_000_000_000 + 1_000_000_000),
            "3h0m1s"
        );
    }

    #[test]
    fn stat_fields_survive_hostile_names() {
        let stat = "42 (a) b (c) S 1 42 42 34816 42 4194560 100 0 0 0 7 3 0 0 20 5 1 0 12345 \
                    4300800 250 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0";
        let p = parse_stat(stat).unwrap();
        assert_eq!(p.comm, "a) b (c");
        assert_eq!((p.state.as_str(), p.ppid, p.pgid), ("S", 1, 42));
        assert_eq!((p.cpu_ticks, p.nice, p.start_ticks), (10, 5, 12345));
        assert_eq!((p.vsize, p.rss_pages), (4_300_800, 250));
        assert_eq!(tty_name(p.tty_nr), "pts/0");
        assert!(parse_stat("garbage").is_none());
        assert!(parse_stat("1 (x) S").is_none());
    }

    #[test]
    fn status_gives_the_innermost_pid_and_ids() {
        let mut p = Proc::default();
        parse_status(
            "Name:\tsleep\nUid:\t1000\t1001\t1000\t1000\nGid:\t5\t6\t5\t5\nNSpid:\t4242\t1\nSeccomp:\t2\n",
            &mut p,
        );
        assert_eq!(
            (p.ns_pid, p.uids, p.gids, p.seccomp),
            (1, (1000, 1001), (5, 6), 2)
        );
    }

    #[test]
    fn descriptors_parse_by_name_and_code() {
        let d = parse_descriptors(&["pid,%U".into(), "args comm".into()]).unwrap();
        let headers: Vec<&str> = d.iter().map(|(_, h)| *h).collect();
        assert_eq!(headers, ["PID", "USER", "COMMAND", "COMMAND"]);
        let d = parse_descriptors(&[]).unwrap();
        let headers: Vec<&str> = d.iter().map(|(_, h)| *h).collect();
        assert_eq!(
            headers,
            [
                "USER", "PID", "PPID", "%CPU", "ELAPSED", "TTY", "TIME", "COMMAND"
            ]
        );
        let e = parse_descriptors(&["pid,bogus".into()]).unwrap_err();
        assert!(
            format!("{e:#}").contains("unknown descriptor \"bogus\""),
            "{e:#}"
        );
    }

    #[test]
    fn ids_map_to_names_in_the_container() {
        let maps = parse_map("0 1000 1\n1 100000 65536\n").unwrap();
        assert_eq!(to_inside(1000, &maps), Some(0));
        assert_eq!(to_inside(100_064, &maps), Some(65));
        assert_eq!(to_inside(5, &maps), None);
        let passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n";
        assert_eq!(lookup(passwd, Some(0), 2), "root");
        assert_eq!(lookup(passwd, Some(65534), 2), "nobody");
        assert_eq!(lookup(passwd, Some(7), 2), "7");
        assert_eq!(lookup(passwd, None, 2), "nobody");
        assert_eq!(to_inside(5, &[]), Some(5));
        assert_eq!(clean("a\u{1b}[2Jb"), "a?[2Jb");
    }
}
