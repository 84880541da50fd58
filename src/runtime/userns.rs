//! Running work inside a user namespace that maps the caller's subordinate id ranges.
//!
//! Rootless berth unpacks and removes image layers as root of such a namespace, so file
//! ownership inside images is right (uid 100 in a layer is `subuid_start + 99` on the host) and
//! the files stay removable. The parent plans the id maps ([`IdMap`], pure and unit-tested),
//! spawns `berth __userns …` (this binary: it must not enter any container's namespaces, and
//! this child never does), and writes the maps with the setuid `newuidmap`/`newgidmap` — or a
//! single-id map when the user has no ranges, with a warning naming /etc/subuid.
//!
//! Protocol with the child: it unshares its user namespace first thing in `main` (while still
//! single-threaded), prints `ready\n`; the parent writes the maps and sends `go\n` on stdin; the
//! child becomes uid/gid 0 in the namespace and does its work, results on stdout.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail};

/// The argument that marks the hidden child mode.
pub const CHILD_ARG: &str = "__userns";

/// One line of a uid_map or gid_map: `inside outside count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdMap {
    pub inside: u32,
    pub outside: u32,
    pub count: u32,
}

/// The maps for one namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdMaps {
    pub uids: Vec<IdMap>,
    pub gids: Vec<IdMap>,
}

impl IdMaps {
    /// True when the maps cover more than one id each (rootless, newuidmap is needed; a
    /// single-id map is the caller's own, written directly with setgroups denied).
    pub fn is_full(&self) -> bool {
        let more = |m: &[IdMap]| m.len() > 1 || m.first().is_some_and(|m| m.count > 1);
        more(&self.uids) || more(&self.gids)
    }
}

/// Parses `/etc/subuid`-style text: the ranges of `user` (by name or numeric uid).
pub fn parse_subids(text: &str, user: Option<&str>, id: u32) -> Vec<(u32, u32)> {
    let id = id.to_string();
    text.lines()
        .filter_map(|line| {
            let mut f = line.trim().split(':');
            let (who, start, count) = (f.next()?, f.next()?, f.next()?);
            if who.is_empty() || (Some(who) != user && who != id) {
                return None;
            }
            let (start, count) = (start.parse::<u32>().ok()?, count.parse::<u32>().ok()?);
            (count > 0 && start.checked_add(count).is_some()).then_some((start, count))
        })
        .collect()
}

/// Container root is the caller; ids 1.. follow the subordinate ranges in order.
pub fn plan(own: u32, ranges: &[(u32, u32)]) -> Vec<IdMap> {
    let mut maps = vec![IdMap {
        inside: 0,
        outside: own,
        count: 1,
    }];
    let mut next = 1u32;
    for &(start, count) in ranges {
        let Some(end) = next.checked_add(count) else {
            break;
        };
        maps.push(IdMap {
            inside: next,
            outside: start,
            count,
        });
        next = end;
    }
    maps
}

/// Reads /etc/subuid and /etc/subgid for the caller and plans the maps. Warns (once per call)
/// when there are no ranges and the single-id fallback applies.
pub fn maps_for(uid: u32, gid: u32, user: Option<&str>, etc: &Path) -> IdMaps {
    let read = |f: &str| std::fs::read_to_string(etc.join(f)).unwrap_or_default();
    let subuids = parse_subids(&read("subuid"), user, uid);
    let subgids = parse_subids(&read("subgid"), user, uid);
    let have_tools = which("newuidmap") && which("newgidmap");
    if subuids.is_empty() || subgids.is_empty() || !have_tools {
        let why = if have_tools {
            format!(
                "no subordinate id range for {} in {}/subuid and {}/subgid",
                user.unwrap_or("this user"),
                etc.display(),
                etc.display()
            )
        } else {
            "newuidmap/newgidmap are not installed (package uidmap)".to_string()
        };
        log::warn!(
            "{why}: using a single-id mapping, so files in images that belong to other users are owned by you"
        );
        return IdMaps {
            uids: plan(uid, &[]),
            gids: plan(gid, &[]),
        };
    }
    IdMaps {
        uids: plan(uid, &subuids),
        gids: plan(gid, &subgids),
    }
}

/// Parses one `--uidmap`/`--gidmap` value, `CONTAINER:HOST:COUNT`.
///
/// Errors: not three numbers, a zero count, or a range past the end of the id space.
pub fn parse_idmap(s: &str) -> Result<IdMap> {
    let f: Vec<&str> = s.split(':').collect();
    let num = |t: &str| t.trim().parse::<u32>().ok();
    let (Some(inside), Some(outside), Some(count)) = (
        f.first().copied().and_then(num),
        f.get(1).copied().and_then(num),
        f.get(2).copied().and_then(num),
    ) else {
        bail!("invalid id mapping {s:?}: expected CONTAINER:HOST:COUNT");
    };
    if f.len() != 3 {
        bail!("invalid id mapping {s:?}: expected CONTAINER:HOST:COUNT");
    }
    if count == 0 || inside.checked_add(count).is_none() || outside.checked_add(count).is_none() {
        bail!(
            "invalid id mapping {s:?}: the count must be at least 1 and the ranges within 0..2^32"
        );
    }
    Ok(IdMap {
        inside,
        outside,
        count,
    })
}

/// Checks that no two ranges of `maps` overlap, inside or outside (the kernel refuses them).
pub fn check_disjoint(maps: &[IdMap]) -> Result<()> {
    for (i, a) in maps.iter().enumerate() {
        for b in &maps[i + 1..] {
            let overlap = |x: u32, y: u32| x < y + b.count && y < x + a.count;
            if overlap(a.inside, b.inside) || overlap(a.outside, b.outside) {
                bail!(
                    "the id mappings {}:{}:{} and {}:{}:{} overlap",
                    a.inside,
                    a.outside,
                    a.count,
                    b.inside,
                    b.outside,
                    b.count
                );
            }
        }
    }
    Ok(())
}

/// `second ∘ first`: maps `first`'s inside ids through `first` and then `second` (such as a
/// container's map onto the user's namespace, then that namespace onto the host).
///
/// Errors: an id `first` maps to that `second` does not map.
pub fn compose(first: &[IdMap], second: &[IdMap]) -> Result<Vec<IdMap>> {
    let mut out = Vec::new();
    for f in first {
        let (mut inside, mut mid, mut left) = (f.inside, f.outside, f.count);
        while left > 0 {
            let Some(s) = second
                .iter()
                .find(|s| s.inside <= mid && mid - s.inside < s.count)
            else {
                bail!("id {mid} is not in the range of ids available to the container");
            };
            let n = left.min(s.count - (mid - s.inside));
            out.push(IdMap {
                inside,
                outside: s.outside + (mid - s.inside),
                count: n,
            });
            inside += n;
            mid += n;
            left -= n;
        }
    }
    Ok(out)
}

/// Podman's `--userns keep-id[:uid=U]` in the coordinates of the user's own namespace (0: the
/// user, 1..`size`: the subordinate ids): container `uid` is the user, the container ids below
/// it the first subordinate ids, the ones above it the rest.
pub fn keep_id(uid: u32, size: u32) -> Result<Vec<IdMap>> {
    if size < 2 || uid >= size {
        bail!(
            "keep-id needs subordinate ids for the ids up to {uid}: {} are available",
            size.saturating_sub(1)
        );
    }
    let mut maps = Vec::new();
    if uid > 0 {
        maps.push(IdMap {
            inside: 0,
            outside: 1,
            count: uid,
        });
    }
    maps.push(IdMap {
        inside: uid,
        outside: 0,
        count: 1,
    });
    if uid + 1 < size {
        maps.push(IdMap {
            inside: uid + 1,
            outside: uid + 1,
            count: size - uid - 1,
        });
    }
    Ok(maps)
}

/// The number of ids `maps` maps from 0 up without a gap.
pub fn size(maps: &[IdMap]) -> u32 {
    let mut next = 0u32;
    while let Some(m) = maps
        .iter()
        .find(|m| m.inside <= next && next - m.inside < m.count)
    {
        next = m.inside + m.count;
    }
    next
}

/// Maps one id through `maps` (inside to outside).
pub fn map_id(maps: &[IdMap], id: u32) -> Option<u32> {
    maps.iter()
        .find(|m| m.inside <= id && id - m.inside < m.count)
        .map(|m| m.outside + (id - m.inside))
}

fn which(tool: &str) -> bool {
    ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"]
        .iter()
        .any(|d| Path::new(d).join(tool).exists())
}

fn map_args(pid: u32, maps: &[IdMap]) -> Vec<String> {
    let mut args = vec![pid.to_string()];
    for m in maps {
        args.extend([
            m.inside.to_string(),
            m.outside.to_string(),
            m.count.to_string(),
        ]);
    }
    args
}

/// Writes `maps` for the user namespace of process `pid`: newuidmap/newgidmap for full maps,
/// /proc/PID/{setgroups,uid_map,gid_map} for a single-id map.
pub fn write_maps(pid: u32, maps: &IdMaps) -> Result<()> {
    if nix::unistd::geteuid().is_root() {
        // Root may write any map itself (newuidmap would look for root's own subuid ranges),
        // and leaves setgroups allowed, as newgidmap does.
        let proc = format!("/proc/{pid}");
        let text = |m: &[IdMap]| -> String {
            m.iter()
                .map(|m| format!("{} {} {}\n", m.inside, m.outside, m.count))
                .collect()
        };
        std::fs::write(format!("{proc}/uid_map"), text(&maps.uids))
            .with_context(|| format!("writing {proc}/uid_map"))?;
        std::fs::write(format!("{proc}/gid_map"), text(&maps.gids))
            .with_context(|| format!("writing {proc}/gid_map"))?;
        return Ok(());
    }
    if maps.is_full() {
        for (tool, m) in [("newuidmap", &maps.uids), ("newgidmap", &maps.gids)] {
            let out = Command::new(tool)
                .args(map_args(pid, m))
                .stdin(Stdio::null())
                .output()
                .with_context(|| format!("running {tool}"))?;
            if !out.status.success() {
                bail!(
                    "{tool} {}: {}",
                    map_args(pid, m).join(" "),
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
        }
        return Ok(());
    }
    let proc = format!("/proc/{pid}");
    let line = |m: &[IdMap]| format!("{} {} {}\n", m[0].inside, m[0].outside, m[0].count);
    std::fs::write(format!("{proc}/setgroups"), "deny")
        .with_context(|| format!("writing {proc}/setgroups"))?;
    std::fs::write(format!("{proc}/uid_map"), line(&maps.uids))
        .with_context(|| format!("writing {proc}/uid_map"))?;
    std::fs::write(format!("{proc}/gid_map"), line(&maps.gids))
        .with_context(|| format!("writing {proc}/gid_map"))?;
    Ok(())
}

/// Runs `berth __userns ARGS…` inside a new user namespace with `maps` and returns its stdout.
/// The child's stderr passes through; a failing child is an error carrying its message.
pub fn run(maps: &IdMaps, args: &[OsString]) -> Result<Vec<u8>> {
    let mut child = Command::new("/proc/self/exe")
        .arg(CHILD_ARG)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting the user-namespace helper")?;
    let pid = child.id();
    let mut stdout = BufReader::new(child.stdout.take().context("helper stdout")?);
    let mut line = String::new();
    stdout
        .read_line(&mut line)
        .context("reading from the user-namespace helper")?;
    let setup = if line == "ready\n" {
        write_maps(pid, maps).and_then(|()| {
            let stdin = child.stdin.as_mut().context("helper stdin")?;
            stdin
                .write_all(b"go\n")
                .context("starting the user-namespace helper")
        })
    } else {
        Err(anyhow::anyhow!("the user-namespace helper did not start"))
    };
    drop(child.stdin.take());
    let mut out = Vec::new();
    let read = stdout.read_to_end(&mut out);
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    let status = child
        .wait()
        .context("waiting for the user-namespace helper")?;
    setup?;
    read.context("reading from the user-namespace helper")?;
    if !status.success() {
        let msg = err
            .trim()
            .strip_prefix("Error: ")
            .unwrap_or(err.trim())
            .to_string();
        bail!(if msg.is_empty() {
            format!("user-namespace helper failed: {status}")
        } else {
            msg
        });
    }
    Ok(out)
}

/// The child side, called first thing in `main` while the process is single-threaded: unshares
/// the user namespace, waits for the parent to map it, and becomes root inside.
pub fn enter_as_child() -> Result<()> {
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWUSER).context("unshare(CLONE_NEWUSER)")?;
    let mut out = std::io::stdout().lock();
    out.write_all(b"ready\n")
        .and_then(|()| out.flush())
        .context("signalling the parent")?;
    drop(out);
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("waiting for the parent")?;
    if line != "go\n" {
        bail!("the parent could not set up the user namespace");
    }
    let root_g = nix::unistd::Gid::from_raw(0);
    let root_u = nix::unistd::Uid::from_raw(0);
    nix::unistd::setresgid(root_g, root_g, root_g).context("setresgid(0) in the user namespace")?;
    // setgroups is denied under a single-id map; with full maps, drop the host's groups.
    let _ = nix::unistd::setgroups(&[]);
    nix::unistd::setresuid(root_u, root_u, root_u).context("setresuid(0) in the user namespace")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_subid_files_by_name_and_uid() {
        let text = "alice:100000:65536\n1001:300000:1000\nbob:200000:65536\n# junk\nalice:bad:1\n";
        assert_eq!(
            parse_subids(text, Some("alice"), 1000),
            vec![(100000, 65536)]
        );
        assert_eq!(
            parse_subids(text, Some("carol"), 1001),
            vec![(300000, 1000)]
        );
        assert!(parse_subids(text, None, 5).is_empty());
    }

    #[test]
    fn keep_id_puts_the_user_at_its_own_uid() {
        let k = keep_id(1001, 65537).unwrap();
        let m = |i, o, c| IdMap {
            inside: i,
            outside: o,
            count: c,
        };
        assert_eq!(k, vec![m(0, 1, 1001), m(1001, 0, 1), m(1002, 1002, 64535)]);
        assert_eq!(size(&k), 65537);
        // Onto the host through the user's namespace: 0 is the user, 1.. its subuids.
        let standard = plan(1001, &[(100000, 65536)]);
        let host = compose(&k, &standard).unwrap();
        assert_eq!(
            host,
            vec![m(0, 100000, 1001), m(1001, 1001, 1), m(1002, 101001, 64535)]
        );
        assert_eq!(map_id(&host, 1001), Some(1001));
        assert_eq!(map_id(&host, 70000), None);
        assert!(keep_id(70000, 65537).is_err());
        let e = compose(&[m(0, 65537, 1)], &standard).unwrap_err();
        assert!(format!("{e}").contains("id 65537"), "{e}");
    }

    #[test]
    fn id_mappings_parse_and_must_not_overlap() {
        assert_eq!(
            parse_idmap("0:100000:65536").unwrap(),
            IdMap {
                inside: 0,
                outside: 100000,
                count: 65536
            }
        );
        for bad in ["0:1", "0:1:0", "a:1:2", "0:1:2:3", "4294967295:0:2", ""] {
            assert!(parse_idmap(bad).is_err(), "{bad}");
        }
        let a = parse_idmap("0:100000:1000").unwrap();
        let b = parse_idmap("500:300000:10").unwrap();
        assert!(check_disjoint(&[a, b]).is_err());
        let c = parse_idmap("1000:300000:10").unwrap();
        assert!(check_disjoint(&[a, c]).is_ok());
    }

    #[test]
    fn plan_puts_the_user_at_zero_then_ranges() {
        let m = plan(1000, &[(100000, 65536), (300000, 10)]);
        assert_eq!(
            m,
            vec![
                IdMap {
                    inside: 0,
                    outside: 1000,
                    count: 1
                },
                IdMap {
                    inside: 1,
                    outside: 100000,
                    count: 65536
                },
                IdMap {
                    inside: 65537,
                    outside: 300000,
                    count: 10
                },
            ]
        );
        assert_eq!(map_args(7, &m[..1]), vec!["7", "0", "1000", "1"]);
    }
}
