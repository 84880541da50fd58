//! The container's freezer cgroup, for `pause`/`unpause`: cgroup v2 `cgroup.freeze`, or the
//! cgroup v1 freezer on hybrid and legacy hosts (root only, as Docker and Podman do there).
//!
//! berth makes one cgroup per paused container, `berth/<id>` below the v2 root or the v1
//! freezer hierarchy, at the run's first `pause` (not at start: moving a process between
//! cgroups waits for an RCU grace period, ~13 ms here), and the container's monitor removes it
//! when the run ends. berth creates and removes only these (and their `berth` parent, which it
//! leaves in place): it never touches another cgroup, and never mounts or unmounts anything. Every function takes the hierarchy's
//! directory as a parameter, so the file writes are tested against a plain directory.
//!
//! On cgroup v2 a container with a cgroup of its own (`runtime::cgroup`; rootless too, in a
//! delegated subtree) is frozen in that one instead. Without one a rootless container cannot
//! be paused; [`why_none`] says so.

use std::fs;
use std::io::ErrorKind as IoKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};

/// A container's freezer cgroup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "version", content = "path", rename_all = "lowercase")]
pub enum Freezer {
    /// A cgroup v2 directory: `cgroup.freeze`, `cgroup.events`.
    V2(PathBuf),
    /// A directory in the v1 freezer hierarchy: `freezer.state`.
    V1(PathBuf),
}

/// Where berth can make freezer cgroups on this host, as root: the v2 root when
/// /sys/fs/cgroup is cgroup2, else the v1 freezer hierarchy's mount point, else none.
pub fn hierarchy() -> Option<Freezer> {
    let root = Path::new("/sys/fs/cgroup");
    if nix::sys::statfs::statfs(root)
        .is_ok_and(|s| s.filesystem_type() == nix::sys::statfs::CGROUP2_SUPER_MAGIC)
    {
        return Some(Freezer::V2(root.to_path_buf()));
    }
    let mountinfo = fs::read_to_string("/proc/self/mountinfo").ok()?;
    v1_freezer_mount(&mountinfo).map(Freezer::V1)
}

/// The mount point of the v1 freezer hierarchy in a mountinfo dump.
fn v1_freezer_mount(mountinfo: &str) -> Option<PathBuf> {
    mountinfo.lines().find_map(|l| {
        let (pre, post) = l.split_once(" - ")?;
        let mut post = post.split(' ');
        let (fstype, _source, opts) = (post.next()?, post.next()?, post.next()?);
        let point = pre.split(' ').nth(4)?;
        (fstype == "cgroup" && opts.split(',').any(|o| o == "freezer"))
            .then(|| PathBuf::from(point))
    })
}

/// `init` and every other process in its pid namespace: the container's processes, which go
/// into its freezer cgroup.
pub fn namespace_pids(init: i32) -> Vec<i32> {
    let mut pids = vec![init];
    let Ok(ns) = fs::read_link(format!("/proc/{init}/ns/pid")) else {
        return pids;
    };
    let Ok(dir) = fs::read_dir("/proc") else {
        return pids;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        if pid != init && fs::read_link(e.path().join("ns/pid")).is_ok_and(|l| l == ns) {
            pids.push(pid);
        }
    }
    pids
}

/// Why a container has no freezer cgroup, for the error `pause` gives.
pub fn why_none(rootless: bool) -> &'static str {
    if rootless {
        "pausing needs a cgroup to freeze the container in, and this rootless container has \
         none: the cgroup v1 freezer needs root, and the host delegates no cgroup v2 subtree \
         to this user"
    } else {
        "pausing needs a cgroup to freeze the container in, and none was usable when it started \
         (neither cgroup v2 at /sys/fs/cgroup nor a cgroup v1 freezer hierarchy)"
    }
}

impl Freezer {
    /// Creates the cgroup `berth/<name>` in hierarchy `self` (as returned by [`hierarchy`])
    /// and moves `pids` into it.
    pub fn create(&self, name: &str, pids: &[i32]) -> Result<Freezer> {
        let (base, make): (&Path, fn(PathBuf) -> Freezer) = match self {
            Freezer::V2(p) => (p, Freezer::V2),
            Freezer::V1(p) => (p, Freezer::V1),
        };
        let parent = base.join("berth");
        mkdir(&parent, true)?;
        let made = make(parent.join(name));
        if let Err(e) = mkdir(made.path(), false) {
            // Left by an earlier run whose monitor was killed: ours, and empty once its
            // processes are gone; anything else is an error.
            if made.path().is_dir() && fs::remove_dir(made.path()).is_ok() {
                mkdir(made.path(), false)?;
            } else {
                return Err(e);
            }
        }
        if let Err(e) = made.adopt(pids) {
            let _ = made.remove();
            return Err(e);
        }
        Ok(made)
    }

    /// Moves those of `pids` that are not in the cgroup yet into it.
    pub fn adopt(&self, pids: &[i32]) -> Result<()> {
        let procs = self.path().join("cgroup.procs");
        let inside: Vec<i32> = fs::read_to_string(&procs)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect();
        for pid in pids.iter().filter(|p| !inside.contains(p)) {
            // One pid per write: the kernel takes one at a time. A process that has just
            // exited (ESRCH) needs no freezing.
            match fs::write(&procs, pid.to_string()) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc::ESRCH) => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("moving {pid} into {}", procs.display()));
                }
            }
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        match self {
            Freezer::V2(p) | Freezer::V1(p) => p,
        }
    }

    /// Freezes every process in the cgroup and waits until the kernel says they are frozen.
    pub fn freeze(&self) -> Result<()> {
        match self {
            Freezer::V2(p) => {
                write(&p.join("cgroup.freeze"), "1")?;
                wait_for(|| Ok(read(&p.join("cgroup.events"))?.contains("frozen 1")))
            }
            Freezer::V1(p) => {
                write(&p.join("freezer.state"), "FROZEN")?;
                wait_for(|| Ok(read(&p.join("freezer.state"))?.trim() == "FROZEN"))
            }
        }
        .with_context(|| format!("freezing {}", self.path().display()))
    }

    /// Thaws the cgroup.
    pub fn thaw(&self) -> Result<()> {
        match self {
            Freezer::V2(p) => write(&p.join("cgroup.freeze"), "0"),
            Freezer::V1(p) => write(&p.join("freezer.state"), "THAWED"),
        }
        .with_context(|| format!("thawing {}", self.path().display()))
    }

    /// Removes the cgroup once its processes are gone (the last ones may take a moment to be
    /// reaped). Gone already is fine.
    pub fn remove(&self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            match fs::remove_dir(self.path()) {
                Ok(()) => return Ok(()),
                Err(e) if e.kind() == IoKind::NotFound => return Ok(()),
                Err(e) if e.raw_os_error() == Some(libc::EBUSY) && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("removing cgroup {}", self.path().display()));
                }
            }
        }
    }
}

fn mkdir(p: &Path, exist_ok: bool) -> Result<()> {
    match fs::create_dir(p) {
        Ok(()) => Ok(()),
        Err(e) if exist_ok && e.kind() == IoKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("creating cgroup {}", p.display())),
    }
}

fn write(p: &Path, value: &str) -> Result<()> {
    fs::write(p, value).with_context(|| format!("writing {value:?} to {}", p.display()))
}

fn read(p: &Path) -> Result<String> {
    fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
}

/// Polls `done` for up to 5 s (freezing waits for every task to reach the refrigerator).
fn wait_for(done: impl Fn() -> Result<bool>) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done()? {
        if Instant::now() > deadline {
            bail!("the kernel did not finish freezing within 5 s");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_v1_freezer_mount() {
        let info = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n\
                    35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n\
                    37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime shared:9 - cgroup cgroup rw,freezer\n\
                    41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
        assert_eq!(
            v1_freezer_mount(info),
            Some(PathBuf::from("/sys/fs/cgroup/freezer"))
        );
        assert_eq!(v1_freezer_mount(&info.replace("freezer\n", "pids\n")), None);
    }

    #[test]
    fn v1_and_v2_files_are_written_as_the_kernel_expects() {
        let t = tempfile::tempdir().unwrap();
        for base in [
            Freezer::V1(t.path().join("v1")),
            Freezer::V2(t.path().join("v2")),
        ] {
            fs::create_dir(base.path()).unwrap();
            let f = base.create("abc", &[]).unwrap();
            assert_eq!(f.path(), base.path().join("berth/abc"));
            // A plain directory stands in for the kernel: say "frozen" up front.
            match &f {
                Freezer::V1(p) => fs::write(p.join("freezer.state"), "FROZEN").unwrap(),
                Freezer::V2(p) => {
                    fs::write(p.join("cgroup.events"), "populated 1\nfrozen 1\n").unwrap()
                }
            }
            f.freeze().unwrap();
            f.thaw().unwrap();
            let (file, thawed) = match &f {
                Freezer::V1(p) => (p.join("freezer.state"), "THAWED"),
                Freezer::V2(p) => (p.join("cgroup.freeze"), "0"),
            };
            assert_eq!(fs::read_to_string(file).unwrap(), thawed);
            // A second container's cgroup sits beside it; one still in use cannot be made
            // again, an empty leftover can.
            base.create("def", &[]).unwrap();
            assert!(base.create("abc", &[]).is_err());
            for e in fs::read_dir(f.path()).unwrap() {
                fs::remove_file(e.unwrap().path()).unwrap();
            }
            base.create("abc", &[]).unwrap();
            f.remove().unwrap();
            f.remove().unwrap();
            assert!(base.path().join("berth/def").exists());
        }
        let json = serde_json::to_string(&Freezer::V1("/x".into())).unwrap();
        assert_eq!(json, r#"{"version":"v1","path":"/x"}"#);
    }
}
