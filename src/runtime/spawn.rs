//! Cloning a process into new namespaces, with the parent/child handshake around id maps.
//!
//! `spawn` is the one place berth forks a container process: a raw `clone(2)` (fork-like, no
//! new stack) with the namespace flags, after which the child blocks on a pipe until the parent
//! has written its uid/gid maps (rootless), then runs the given setup closure, which ends in
//! execve or returns an exit code. Waiting and exit-status decoding live here too. What the
//! child sets up (mounts, credentials, capabilities, seccomp) is planned elsewhere and only run
//! here; this module makes no mount or credential decisions.

use std::os::fd::OwnedFd;

use anyhow::{Context as _, Result, bail};
use nix::errno::Errno;
use nix::sched::CloneFlags;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

use super::userns::{self, IdMaps};

/// Which namespaces the child gets of its own (the booleans: new ones, made by clone), which it
/// joins (`joined`: another container's, entered with setns before the clone, see
/// [`spawn_joined`]), and, for the rest, the caller's (the host's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Namespaces {
    pub user: bool,
    pub mount: bool,
    pub pid: bool,
    pub uts: bool,
    pub ipc: bool,
    pub net: bool,
    pub cgroup: bool,
    /// The namespaces joined rather than made; never also set as new above.
    pub joined: CloneFlags,
}

impl Default for Namespaces {
    fn default() -> Namespaces {
        Namespaces {
            user: false,
            mount: false,
            pid: false,
            uts: false,
            ipc: false,
            net: false,
            cgroup: false,
            joined: CloneFlags::empty(),
        }
    }
}

impl Namespaces {
    /// Every namespace a container gets by default; `user` when rootless.
    pub fn container(rootless: bool) -> Namespaces {
        Namespaces {
            user: rootless,
            mount: true,
            pid: true,
            uts: true,
            ipc: true,
            net: true,
            cgroup: true,
            joined: CloneFlags::empty(),
        }
    }

    /// The namespaces that are not the host's: new and joined ones (what `exec` joins).
    pub fn own(&self) -> CloneFlags {
        self.flags() | self.joined
    }

    /// True when the process is in a user namespace other than the caller's.
    pub fn in_userns(&self) -> bool {
        self.own().contains(CloneFlags::CLONE_NEWUSER)
    }

    /// The clone(2) flags for the new namespaces.
    pub fn flags(&self) -> CloneFlags {
        let mut f = CloneFlags::empty();
        for (on, flag) in [
            (self.user, CloneFlags::CLONE_NEWUSER),
            (self.mount, CloneFlags::CLONE_NEWNS),
            (self.pid, CloneFlags::CLONE_NEWPID),
            (self.uts, CloneFlags::CLONE_NEWUTS),
            (self.ipc, CloneFlags::CLONE_NEWIPC),
            (self.net, CloneFlags::CLONE_NEWNET),
            (self.cgroup, CloneFlags::CLONE_NEWCGROUP),
        ] {
            if on {
                f |= flag;
            }
        }
        f
    }
}

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

impl Exit {
    /// The shell's view, as Docker reports it: the code, or 128 + the signal number.
    pub fn code(self) -> i32 {
        match self {
            Exit::Code(c) => c,
            Exit::Signal(s) => 128 + s,
        }
    }
}

/// Exit code of a child whose setup failed before its command ran (DESIGN.md: 125).
pub const SETUP_FAILED: i32 = 125;

/// Clones a child into the namespaces `ns`. If `ns.user`, the parent writes `maps` for it
/// before letting it go on. The child then runs `child` and exits with its return value.
///
/// The caller must be single-threaded: the child runs `child` right after a fork-like clone,
/// where only async-signal-safe work is sound in a multi-threaded parent (STYLE.md 18). Returns
/// the child's pid in the caller's pid namespace.
pub fn spawn(ns: &Namespaces, maps: Option<&IdMaps>, child: impl FnOnce() -> i32) -> Result<Pid> {
    spawn_joined(ns, &[], maps, None, child).map(|(pid, _)| pid)
}

/// linux/sched.h: the child starts in the cgroup `clone_args.cgroup` names (Linux 5.7).
const CLONE_INTO_CGROUP: u64 = 0x2_0000_0000;

/// `clone3`'s argument (linux/sched.h `struct clone_args`, CLONE_ARGS_SIZE_VER2).
#[repr(C)]
#[derive(Default)]
struct CloneArgs {
    flags: u64,
    pidfd: u64,
    child_tid: u64,
    parent_tid: u64,
    exit_signal: u64,
    stack: u64,
    stack_size: u64,
    tls: u64,
    set_tid: u64,
    set_tid_size: u64,
    cgroup: u64,
}

/// One set of namespaces to join: an fd setns(2) takes (a pidfd, or a namespace file such as a
/// bind-mounted netns), the namespaces to join through it, and what it is, for messages.
#[derive(Debug)]
pub struct Join {
    pub fd: OwnedFd,
    pub flags: CloneFlags,
    pub what: String,
}

/// [`spawn`], after joining `joins` in order, and born in the cgroup v2 directory `cgroup`
/// (an open fd) when given.
///
/// With joins, a helper forked from the caller makes itself non-dumpable (SECURITY.md I4:
/// nothing in a joined namespace may reach berth through /proc), enters each with setns(2) (a
/// user namespace first: the kernel joins it first within one call) and clones the child with
/// `CLONE_PARENT`, so that the child is the caller's (waited for, signalled through a pidfd)
/// and, for a joined pid namespace, a member of it; then the helper exits. This is how `exec`
/// enters a container (`runtime::exec`).
///
/// The cgroup: `clone3(CLONE_INTO_CGROUP)`, which spares moving the child there afterwards (a
/// migration waits for an RCU grace period, milliseconds). Where the kernel lacks clone3
/// (ENOSYS before Linux 5.7), and with joins, the child is cloned without it; the flag
/// returned says whether the child is in `cgroup` (else the caller moves it there).
pub fn spawn_joined(
    ns: &Namespaces,
    joins: &[Join],
    maps: Option<&IdMaps>,
    cgroup: Option<std::os::fd::BorrowedFd<'_>>,
    child: impl FnOnce() -> i32,
) -> Result<(Pid, bool)> {
    if ns.user && maps.is_none() {
        bail!("a user namespace needs id maps");
    }
    let (go_rx, go_tx) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).context("pipe2")?;
    if !joins.is_empty() {
        return spawn_via_helper(ns, joins, maps, (go_rx, go_tx), child).map(|pid| (pid, false));
    }
    let clone = || {
        let flags = ns.flags().bits() as libc::c_long | libc::c_long::from(libc::SIGCHLD);
        // SAFETY: clone(2) with a NULL stack and no CLONE_VM behaves like fork(2): the child
        // gets a copy of the address space and continues here. The caller guarantees it is
        // single-threaded (documented above), so the child may allocate and take locks in
        // `child`.
        unsafe { libc::syscall(libc::SYS_clone, flags, 0usize, 0usize, 0usize, 0usize) }
    };
    let (ret, placed) = match cgroup {
        None => (clone(), false),
        Some(fd) => {
            use std::os::fd::AsRawFd;
            let args = CloneArgs {
                flags: u64::from(ns.flags().bits().cast_unsigned()) | CLONE_INTO_CGROUP,
                exit_signal: libc::SIGCHLD as u64,
                cgroup: u64::try_from(fd.as_raw_fd()).context("bad cgroup fd")?,
                ..CloneArgs::default()
            };
            // SAFETY: clone3(2) with no stack and no CLONE_VM behaves like fork(2), as the
            // clone above (same single-threaded caller); `args` is a valid clone_args of the
            // size passed, alive for the call.
            let ret = unsafe {
                libc::syscall(
                    libc::SYS_clone3,
                    &args as *const CloneArgs,
                    std::mem::size_of::<CloneArgs>(),
                )
            };
            if ret == -1 && Errno::last() == Errno::ENOSYS {
                (clone(), false)
            } else {
                (ret, true)
            }
        }
    };
    match ret {
        -1 => {
            let e = Errno::last();
            Err(e).with_context(|| format!("clone({:?})", ns.flags()))
        }
        0 => {
            drop(go_tx);
            run_child(&go_rx, child)
        }
        pid => {
            drop(go_rx);
            let pid = Pid::from_raw(i32::try_from(pid).context("clone returned a bad pid")?);
            go_on(pid, ns, maps, go_tx).map(|pid| (pid, placed))
        }
    }
}

/// In the child: waits for the parent's go, runs `child`, exits with its code.
fn run_child(go_rx: &OwnedFd, child: impl FnOnce() -> i32) -> ! {
    let code = if wait_for_go(go_rx) {
        child()
    } else {
        SETUP_FAILED
    };
    // SAFETY: _exit ends the child without running the parent's atexit handlers or
    // flushing stdio buffers it inherited, which belong to the parent.
    unsafe { libc::_exit(code) }
}

/// In the parent: releases the child, or reaps it and reports why not.
fn go_on(pid: Pid, ns: &Namespaces, maps: Option<&IdMaps>, go_tx: OwnedFd) -> Result<Pid> {
    let released = release(pid, ns, maps, go_tx);
    if let Err(e) = released {
        // The child sees EOF on its pipe and exits; reap it before reporting.
        let _ = waitpid(pid, None);
        return Err(e);
    }
    Ok(pid)
}

fn spawn_via_helper(
    ns: &Namespaces,
    joins: &[Join],
    maps: Option<&IdMaps>,
    (go_rx, go_tx): (OwnedFd, OwnedFd),
    child: impl FnOnce() -> i32,
) -> Result<Pid> {
    let (pid_rx, pid_tx) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).context("pipe2")?;
    // SAFETY: the caller is single-threaded (documented on `spawn_joined`), so the forked helper
    // may run ordinary Rust code: no other thread can hold a lock it needs. It only ever leaves
    // through `_exit`.
    let helper = match unsafe { nix::unistd::fork() }.context("forking the namespace helper")? {
        nix::unistd::ForkResult::Child => {
            // The child must see EOF on its go pipe when the parent gives up.
            drop((go_tx, pid_rx));
            let entered = (|| -> Result<()> {
                nix::sys::prctl::set_dumpable(false)
                    .context("making the namespace helper non-dumpable")?;
                for j in joins {
                    nix::sched::setns(&j.fd, j.flags)
                        .with_context(|| format!("joining {} (setns {:?})", j.what, j.flags))?;
                }
                Ok(())
            })();
            if let Err(e) = entered {
                let _ = nix::unistd::write(&pid_tx, format!("{e:#}").as_bytes());
                // SAFETY: as below: leave without running berth's exit handlers.
                unsafe { libc::_exit(SETUP_FAILED) }
            }
            let flags = ns.flags().bits() as libc::c_long
                | libc::c_long::from(libc::CLONE_PARENT | libc::SIGCHLD);
            // SAFETY: clone(2) with a NULL stack and no CLONE_VM behaves like fork(2); the helper
            // is single-threaded, so the child may allocate. With CLONE_PARENT the child is the
            // caller's, in the pid namespace joined above.
            let ret =
                unsafe { libc::syscall(libc::SYS_clone, flags, 0usize, 0usize, 0usize, 0usize) };
            match ret {
                0 => {
                    drop(pid_tx);
                    run_child(&go_rx, child)
                }
                -1 => {
                    let e = Errno::last();
                    let msg = format!("clone({:?}) after joining: {e}", ns.flags());
                    let _ = nix::unistd::write(&pid_tx, msg.as_bytes());
                }
                pid => {
                    let _ = nix::unistd::write(&pid_tx, format!("pid {pid}").as_bytes());
                }
            }
            // SAFETY: _exit ends the helper without running the parent's atexit handlers or
            // flushing stdio buffers it inherited, which belong to berth.
            unsafe { libc::_exit(0) }
        }
        nix::unistd::ForkResult::Parent { child } => child,
    };
    drop((pid_tx, go_rx));
    let _ = wait(helper);
    let mut report = String::new();
    std::io::Read::read_to_string(&mut std::fs::File::from(pid_rx), &mut report)
        .context("reading from the namespace helper")?;
    let Some(pid) = report
        .strip_prefix("pid ")
        .and_then(|p| p.parse::<i32>().ok())
    else {
        bail!(if report.is_empty() {
            "the namespace helper exited without a word".to_string()
        } else {
            report
        });
    };
    go_on(Pid::from_raw(pid), ns, maps, go_tx)
}

/// Writes the child's id maps (if any), then lets it go on.
fn release(pid: Pid, ns: &Namespaces, maps: Option<&IdMaps>, go_tx: OwnedFd) -> Result<()> {
    if let (true, Some(m)) = (ns.user, maps) {
        let raw = u32::try_from(pid.as_raw()).context("negative pid")?;
        userns::write_maps(raw, m).context("writing the container's id maps")?;
    }
    nix::unistd::write(&go_tx, b"g").context("starting the container process")?;
    Ok(())
}

/// Blocks until the parent sends its byte; false when the parent gave up (EOF).
fn wait_for_go(rx: &OwnedFd) -> bool {
    let mut b = [0u8; 1];
    loop {
        match nix::unistd::read(rx, &mut b) {
            Ok(1) => return true,
            Err(Errno::EINTR) => continue,
            _ => return false,
        }
    }
}

/// Waits for `pid` to end and decodes how it did.
pub fn wait(pid: Pid) -> Result<Exit> {
    loop {
        match waitpid(pid, None) {
            Ok(WaitStatus::Exited(_, code)) => return Ok(Exit::Code(code)),
            Ok(WaitStatus::Signaled(_, sig, _)) => return Ok(Exit::Signal(sig as i32)),
            Ok(_) | Err(Errno::EINTR) => continue,
            Err(e) => return Err(e).with_context(|| format!("waiting for process {pid}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::userns::IdMap;

    #[test]
    fn flags_follow_the_namespaces() {
        let f = Namespaces::container(true).flags();
        assert!(f.contains(CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWPID));
        assert!(
            !Namespaces::container(false)
                .flags()
                .contains(CloneFlags::CLONE_NEWUSER)
        );
        assert_eq!(Exit::Signal(9).code(), 137);
        assert_eq!(Exit::Code(3).code(), 3);
    }

    // The test harness is multi-threaded, so the child closures below only make raw,
    // async-signal-safe syscalls and return a number.

    #[test]
    fn child_is_pid_1_of_its_own_pid_namespace() {
        // Skips when not root, and fails instead under BERTH_TEST_REQUIRE=1 (STYLE.md 31).
        if !crate::runtime::test_support::require_root("child_is_pid_1_of_its_own_pid_namespace") {
            return;
        }
        let ns = Namespaces::container(false);
        let pid = spawn(&ns, None, || if raw_getpid() == 1 { 42 } else { 1 }).unwrap();
        assert_eq!(wait(pid).unwrap(), Exit::Code(42));
    }

    #[test]
    fn user_namespace_child_is_root_inside_after_the_maps() {
        let uid = nix::unistd::getuid().as_raw();
        let gid = nix::unistd::getgid().as_raw();
        let maps = IdMaps {
            uids: vec![IdMap {
                inside: 0,
                outside: uid,
                count: 1,
            }],
            gids: vec![IdMap {
                inside: 0,
                outside: gid,
                count: 1,
            }],
        };
        let ns = Namespaces {
            user: true,
            pid: true,
            mount: true,
            ..Namespaces::default()
        };
        let pid = spawn(&ns, Some(&maps), || if raw_getuid() == 0 { 7 } else { 1 }).unwrap();
        assert_eq!(wait(pid).unwrap(), Exit::Code(7));
    }

    #[test]
    fn signals_are_reported_as_128_plus_n() {
        let pid = spawn(&Namespaces::default(), None, || {
            nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL).ok();
            0
        })
        .unwrap();
        assert_eq!(wait(pid).unwrap().code(), 137);
    }

    fn raw_getpid() -> i32 {
        nix::unistd::getpid().as_raw()
    }

    fn raw_getuid() -> u32 {
        nix::unistd::getuid().as_raw()
    }
}
