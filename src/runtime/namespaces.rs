//! Joining other containers' namespaces, and the per-container kernel knobs set in the
//! container's own namespaces (`--sysctl`, `--oom-score-adj`).
//!
//! What a container shares is decided in `ops::namespaces`; here are only the kernel calls:
//! opening what a container joins ([`join_container`], [`join_path`]: a pidfd checked against
//! the recorded process, SECURITY.md I11, or a namespace file) for `spawn::spawn_joined`, and
//! [`apply_knobs`], which the container process runs before its mounts, in its new namespaces
//! (so `/proc/sys/net` is its network namespace's, `/proc/sys/kernel/shm*` its IPC
//! namespace's), through the host's procfs checked by its magic number (I2), and, for a
//! user namespace that does not map the caller, becomes that namespace's root.

use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sched::CloneFlags;
use nix::sys::stat::Mode;

use super::spawn::Join;

/// Joins the namespaces `flags` of the running container whose process is `pid` (started at
/// `pid_start`), named `name` in messages; `via_child` as `exec` does for a container with
/// berth's init.
///
/// Errors: the process has exited or is not the recorded one.
pub fn join_container(
    name: &str,
    pid: i32,
    pid_start: u64,
    via_child: bool,
    flags: CloneFlags,
) -> Result<Join> {
    let fd = super::exec::open_container(pid, pid_start, via_child)
        .with_context(|| format!("container {name:?} is not running"))?;
    Ok(Join {
        fd,
        flags,
        what: format!("the namespaces of container {name:?}"),
    })
}

/// Joins the namespace file `path` (such as `/run/netns/NAME` or `/proc/PID/ns/net`), which must
/// be a namespace of the kind `flag`.
///
/// Errors: the file cannot be opened or is not a namespace of that kind.
pub fn join_path(path: &Path, flag: CloneFlags) -> Result<Join> {
    let fd = nix::fcntl::open(path, OFlag::O_RDONLY | OFlag::O_CLOEXEC, Mode::empty())
        .with_context(|| format!("opening the namespace {}", path.display()))?;
    // NS_GET_NSTYPE (ioctl _IO(0xb7, 0x3)): the kind of namespace behind an nsfs fd.
    let kind = super::sys::ns_get_type(fd.as_fd())
        .map_err(|e| anyhow::anyhow!("{} is not a namespace file: {}", path.display(), e.desc()))?;
    if kind != flag.bits() {
        bail!("{} is not a {} namespace", path.display(), flag_name(flag));
    }
    Ok(Join {
        fd,
        flags: flag,
        what: format!("the namespace {}", path.display()),
    })
}

fn flag_name(flag: CloneFlags) -> &'static str {
    match flag {
        CloneFlags::CLONE_NEWNET => "network",
        CloneFlags::CLONE_NEWIPC => "IPC",
        CloneFlags::CLONE_NEWPID => "pid",
        CloneFlags::CLONE_NEWUTS => "UTS",
        CloneFlags::CLONE_NEWUSER => "user",
        CloneFlags::CLONE_NEWCGROUP => "cgroup",
        CloneFlags::CLONE_NEWNS => "mount",
        _ => "such",
    }
}

/// The id maps of the user namespace behind `fd` (a namespace file), as the caller sees them:
/// a short-lived helper joins it and reads its own `/proc/self/uid_map` and `gid_map`. The
/// caller must be single-threaded (it forks).
///
/// Errors: the namespace cannot be joined (not root, or not its owner).
pub fn maps_of_userns(fd: &OwnedFd) -> Result<super::userns::IdMaps> {
    let (rx, tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
    // SAFETY: the caller is single-threaded (documented above), so the forked helper may run
    // ordinary Rust code; it only ever leaves through `_exit`.
    let helper = match unsafe { nix::unistd::fork() }
        .context("forking the user namespace helper")?
    {
        nix::unistd::ForkResult::Child => {
            drop(rx);
            let read = (|| -> Result<String> {
                nix::sys::prctl::set_dumpable(false).context("making the helper non-dumpable")?;
                nix::sched::setns(fd, CloneFlags::CLONE_NEWUSER).context("joining it")?;
                let u = std::fs::read_to_string("/proc/self/uid_map").context("uid_map")?;
                let g = std::fs::read_to_string("/proc/self/gid_map").context("gid_map")?;
                Ok(format!("ok\n{u}--\n{g}"))
            })();
            let text = read.unwrap_or_else(|e| format!("{e:#}"));
            let _ = nix::unistd::write(&tx, text.as_bytes());
            // SAFETY: _exit ends the helper without running berth's exit handlers.
            unsafe { libc::_exit(0) }
        }
        nix::unistd::ForkResult::Parent { child } => child,
    };
    drop(tx);
    let mut text = String::new();
    let _ = std::io::Read::read_to_string(&mut std::fs::File::from(rx), &mut text);
    let _ = super::spawn::wait(helper);
    let Some(body) = text.strip_prefix("ok\n") else {
        bail!("reading the user namespace's id maps: {text}");
    };
    let (u, g) = body
        .split_once("--\n")
        .context("reading the user namespace's id maps")?;
    Ok(super::userns::IdMaps {
        uids: super::exec::parse_map(u)?,
        gids: super::exec::parse_map(g)?,
    })
}

/// What the container process sets on itself before its mounts, applied by [`apply_knobs`].
#[derive(Debug, Default)]
pub struct Knobs {
    /// `--sysctl`: key (dotted, checked to be namespaced) and value.
    pub sysctls: Vec<(String, String)>,
    /// `--oom-score-adj`.
    pub oom_score_adj: Option<i32>,
    /// Enter this directory (the mount plan names paths relative to it), then...
    pub enter: Option<std::path::PathBuf>,
    /// ...become uid and gid 0 of the process's own user namespace (a root container with
    /// `--uidmap`, whose host root is not mapped).
    pub become_root: bool,
    /// `--ipc container:X`: a detached copy of X's /dev/shm mount ([`container_shm`]),
    /// attached at /dev/shm once the mounts are done ([`after_mounts`]).
    pub shm: Option<OwnedFd>,
}

/// Opens a detached copy of the /dev/shm mount of the running container whose process `pidfd`
/// is, from a short-lived helper that enters its mount namespace (and, with `user`, its user
/// namespace first: rootless, that namespace owns the mount namespace). The container's
/// `/dev/shm` is resolved in its own root, the last component not followed.
///
/// The caller must be single-threaded (it forks). Errors: the helper cannot enter the
/// namespaces or the container has no /dev/shm.
pub fn container_shm(pidfd: &OwnedFd, user: bool, name: &str) -> Result<OwnedFd> {
    use nix::sys::socket::{
        AddressFamily, ControlMessage, MsgFlags, SockFlag, SockType, sendmsg, socketpair,
    };
    use std::os::fd::AsRawFd;
    let (parent, child) = socketpair(
        AddressFamily::Unix,
        SockType::Stream,
        None,
        SockFlag::SOCK_CLOEXEC,
    )
    .context("socketpair")?;
    // SAFETY: the caller is single-threaded (documented above), so the forked helper may run
    // ordinary Rust code; it only ever leaves through `_exit`.
    let helper = match unsafe { nix::unistd::fork() }.context("forking the /dev/shm helper")? {
        nix::unistd::ForkResult::Child => {
            drop(parent);
            let opened = (|| -> Result<OwnedFd> {
                nix::sys::prctl::set_dumpable(false).context("making the helper non-dumpable")?;
                let mut flags = CloneFlags::CLONE_NEWNS;
                if user {
                    flags |= CloneFlags::CLONE_NEWUSER;
                }
                nix::sched::setns(pidfd, flags).context("entering its mount namespace")?;
                let shm = nix::fcntl::open(
                    "/dev/shm",
                    OFlag::O_PATH | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
                    nix::sys::stat::Mode::empty(),
                )
                .context("opening its /dev/shm")?;
                super::sys::open_tree_clone(shm.as_fd()).context("cloning its /dev/shm mount")
            })();
            let code = match opened {
                Ok(fd) => {
                    let fds = [fd.as_raw_fd()];
                    let sent = sendmsg::<()>(
                        child.as_raw_fd(),
                        &[std::io::IoSlice::new(b"t")],
                        &[ControlMessage::ScmRights(&fds)],
                        MsgFlags::empty(),
                        None,
                    );
                    i32::from(sent.is_err())
                }
                Err(e) => {
                    let _ = nix::unistd::write(&child, format!("E{e:#}").as_bytes());
                    1
                }
            };
            // SAFETY: _exit ends the helper without running berth's exit handlers or flushing
            // stdio buffers it inherited.
            unsafe { libc::_exit(code) }
        }
        nix::unistd::ForkResult::Parent { child } => child,
    };
    drop(child);
    let got = super::container::receive_fd(&parent);
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut std::fs::File::from(parent), &mut rest);
    let _ = super::spawn::wait(helper);
    match got? {
        Some(fd) => Ok(fd),
        None => bail!(
            "sharing the /dev/shm of container {name:?}: {}",
            if rest.is_empty() {
                "the helper exited without a word"
            } else {
                rest.as_str()
            }
        ),
    }
}

/// In the container process, after pivot_root: attaches the shared /dev/shm, if any, on the
/// container's /dev/shm (berth's own tmpfs /dev, made a moment before: nothing from the image
/// is on that path).
pub fn after_mounts(k: &Knobs) -> Result<()> {
    let Some(fd) = &k.shm else {
        return Ok(());
    };
    match nix::unistd::mkdir("/dev/shm", Mode::from_bits_truncate(0o1777)) {
        Ok(()) | Err(Errno::EEXIST) => {}
        Err(e) => return Err(e).context("creating /dev/shm"),
    }
    let r = super::sys::move_mount_to(fd.as_fd(), c"/dev/shm");
    r.context("attaching the shared /dev/shm")?;
    Ok(())
}

const PROC_SUPER_MAGIC: i64 = 0x9fa0;

/// In the container process, before its mounts: writes `/proc/self/oom_score_adj` and each
/// sysctl through the host's procfs (checked to be one, I2). The process is in its new
/// namespaces already, so namespaced sysctls land in them.
///
/// Errors name the setting: a value the kernel refuses, a sysctl this kernel lacks, an
/// `oom_score_adj` below what the caller may set (CAP_SYS_RESOURCE).
pub fn apply_knobs(k: &Knobs) -> Result<()> {
    write_knobs(k)?;
    if let Some(dir) = &k.enter {
        nix::unistd::chdir(dir).with_context(|| format!("entering {}", dir.display()))?;
    }
    if k.become_root {
        let (g, u) = (nix::unistd::Gid::from_raw(0), nix::unistd::Uid::from_raw(0));
        nix::unistd::setresgid(g, g, g).context("setresgid(0) in the user namespace")?;
        nix::unistd::setgroups(&[]).context("setgroups in the user namespace")?;
        nix::unistd::setresuid(u, u, u).context("setresuid(0) in the user namespace")?;
    }
    Ok(())
}

fn write_knobs(k: &Knobs) -> Result<()> {
    if k.sysctls.is_empty() && k.oom_score_adj.is_none() {
        return Ok(());
    }
    let proc = nix::fcntl::open(
        "/proc",
        OFlag::O_PATH | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .context("opening /proc")?;
    let fs = nix::sys::statfs::fstatfs(&proc).context("checking /proc")?;
    if fs.filesystem_type().0 as i64 != PROC_SUPER_MAGIC {
        bail!("/proc is not a procfs");
    }
    if let Some(adj) = k.oom_score_adj {
        let current = read_at(&proc, "self/oom_score_adj").unwrap_or_default();
        write_at(&proc, "self/oom_score_adj", &adj.to_string()).map_err(|e| match e {
            Errno::EACCES | Errno::EPERM => anyhow::anyhow!(
                "setting --oom-score-adj {adj}: {}: lowering it below the caller's value ({}) needs CAP_SYS_RESOURCE, which berth does not have here",
                e.desc(),
                current.trim()
            ),
            e => anyhow::anyhow!("setting --oom-score-adj {adj}: {}", e.desc()),
        })?;
    }
    for (key, value) in &k.sysctls {
        let rel = format!("sys/{}", key.replace('.', "/"));
        write_at(&proc, &rel, value).map_err(|e| {
            let why = match e {
                Errno::ENOENT => "this kernel has no such sysctl".to_string(),
                Errno::EACCES | Errno::EPERM => format!(
                    "{}: the container's namespaces do not let it be set here",
                    e.desc()
                ),
                e => format!("the kernel refused the value: {}", e.desc()),
            };
            anyhow::anyhow!("setting --sysctl {key}={value}: {why}")
        })?;
    }
    Ok(())
}

fn write_at(dir: &OwnedFd, rel: &str, value: &str) -> nix::Result<()> {
    let fd = nix::fcntl::openat(
        dir.as_fd(),
        rel,
        OFlag::O_WRONLY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )?;
    let n = nix::unistd::write(&fd, value.as_bytes())?;
    if n != value.len() {
        return Err(Errno::EIO);
    }
    Ok(())
}

fn read_at(dir: &OwnedFd, rel: &str) -> nix::Result<String> {
    let fd = nix::fcntl::openat(
        dir.as_fd(),
        rel,
        OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )?;
    let mut buf = [0u8; 32];
    let n = nix::unistd::read(&fd, &mut buf)?;
    Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_namespace_file_of_another_kind_is_refused() {
        let e = join_path(Path::new("/proc/self/ns/uts"), CloneFlags::CLONE_NEWNET).unwrap_err();
        assert!(
            format!("{e:#}").contains("is not a network namespace"),
            "{e:#}"
        );
        let e = join_path(Path::new("/proc/self/status"), CloneFlags::CLONE_NEWNET).unwrap_err();
        assert!(format!("{e:#}").contains("not a namespace file"), "{e:#}");
        assert!(join_path(Path::new("/proc/self/ns/net"), CloneFlags::CLONE_NEWNET).is_ok());
    }
}
