//! The namespaces of rootless user-defined networks: one user namespace per user (the
//! holder's, `ops::rootless_net`) whose network namespace holds the networks' bridges, and
//! the short-lived helpers that join both to change them.
//!
//! Why one user namespace: moving a veth end into a container's network namespace needs
//! CAP_NET_ADMIN over the user namespaces owning both network namespaces, and joining a
//! network namespace needs CAP_SYS_ADMIN in the caller's own user namespace too; an
//! unprivileged process has neither. A container on such a network therefore lives in the
//! holder's user namespace (it joins it instead of making one), and its network namespace is
//! made by a helper inside that user namespace ([`new_netns`]), configured there, and joined
//! by the container (Podman's rootless-netns model). This module makes only namespace calls
//! and forks; the netlink and nft work runs in the closures callers pass to [`run_in`].

use std::os::fd::{AsFd, AsRawFd, OwnedFd};

use anyhow::{Context as _, Result, bail};
use nix::sched::CloneFlags;

use super::spawn::Join;

/// Open handles on the holder's user and network namespaces.
#[derive(Debug)]
pub struct Holder {
    pub pid: i32,
    user: OwnedFd,
    net: OwnedFd,
}

fn open_ns(pid: i32, kind: &str) -> Result<OwnedFd> {
    let path = format!("/proc/{pid}/ns/{kind}");
    let f = std::fs::File::open(&path).with_context(|| format!("opening {path}"))?;
    Ok(OwnedFd::from(f))
}

impl Holder {
    /// Opens the namespaces of process `pid`, which must still be the process that started at
    /// `start` once they are open (I11: a pid reused in between is never joined).
    ///
    /// Errors: the process is gone or is another one.
    pub fn open(pid: i32, start: u64) -> Result<Holder> {
        let user = open_ns(pid, "user")?;
        let net = open_ns(pid, "net")?;
        if crate::storage::container::process_start_time(pid) != Some(start) {
            bail!("the rootless network namespace holder (pid {pid}) has ended");
        }
        Ok(Holder { pid, user, net })
    }

    /// What a container on a rootless network joins first: the holder's user namespace (the
    /// namespaces it makes after that are owned by it).
    pub fn user_join(&self) -> Result<Join> {
        Ok(Join {
            fd: self
                .user
                .try_clone()
                .context("duplicating a namespace fd")?,
            flags: CloneFlags::CLONE_NEWUSER,
            what: "the user namespace of the rootless networks".into(),
        })
    }

    /// Joins the holder's user and network namespaces (in this order: the user namespace
    /// grants the capabilities the second setns needs). The calling process must be
    /// single-threaded (setns of a user namespace refuses otherwise) and must not return to
    /// the host afterwards: only a forked child or a pre-exec hook may call this.
    pub fn enter(&self) -> Result<()> {
        nix::sched::setns(self.user.as_fd(), CloneFlags::CLONE_NEWUSER)
            .context("joining the user namespace of the rootless networks")?;
        nix::sched::setns(self.net.as_fd(), CloneFlags::CLONE_NEWNET)
            .context("joining the network namespace of the rootless networks")?;
        Ok(())
    }

    /// Makes `command` join the holder's user and network namespaces between its fork and
    /// exec. `self` must outlive the command's `spawn` (the hook uses its fds).
    pub fn enter_before_exec(&self, command: &mut std::process::Command) {
        use std::os::unix::process::CommandExt as _;
        let (user, net) = (self.user.as_raw_fd(), self.net.as_raw_fd());
        // SAFETY: the hook makes only setns(2) calls, which are async-signal-safe, in the
        // forked child (single-threaded: setns of a user namespace is allowed there).
        unsafe {
            command.pre_exec(move || enter_raw(user, net));
        }
    }
}

/// [`Holder::enter`] for a pre-exec hook: setns(2) on raw fds only (async-signal-safe).
fn enter_raw(user: i32, net: i32) -> std::io::Result<()> {
    for (fd, flag) in [(user, libc::CLONE_NEWUSER), (net, libc::CLONE_NEWNET)] {
        // SAFETY: setns(2) takes an fd and a flag and touches no memory of ours; the fds are
        // kept open by the Holder the caller borrows from while the hook runs.
        if unsafe { libc::setns(fd, flag) } == -1 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// In a helper of [`run_in`]: makes a network namespace owned by the holder's user namespace
/// (`lo` down, nothing else), returns an fd to it and goes back to the holder's network
/// namespace.
pub fn new_netns(holder: &Holder) -> Result<OwnedFd> {
    nix::sched::unshare(CloneFlags::CLONE_NEWNET).context("making a network namespace")?;
    let made = open_ns(nix::unistd::getpid().as_raw(), "net")?;
    nix::sched::setns(holder.net.as_fd(), CloneFlags::CLONE_NEWNET)
        .context("returning to the network namespace of the rootless networks")?;
    Ok(made)
}

/// Runs `f` in a forked helper that joined the holder's namespaces, and returns what it
/// returned: an error (as its message) or an fd (passed back over a socket). `what` names the
/// work in errors. The caller must be single-threaded (it forks and the helper allocates);
/// this is checked.
pub fn run_in(
    holder: &Holder,
    what: &str,
    f: impl FnOnce() -> Result<Option<OwnedFd>>,
) -> Result<Option<OwnedFd>> {
    single_threaded()?;
    use nix::sys::socket::{AddressFamily, SockFlag, SockType, socketpair};
    let (parent, child) = socketpair(
        AddressFamily::Unix,
        SockType::Stream,
        None,
        SockFlag::SOCK_CLOEXEC,
    )
    .context("socketpair")?;
    // SAFETY: the caller is single-threaded (checked above), so the forked helper may run
    // ordinary Rust code: no other thread can hold a lock it needs. It only leaves through
    // `_exit`.
    let helper = match unsafe { nix::unistd::fork() }.context("forking a network helper")? {
        nix::unistd::ForkResult::Child => {
            drop(parent);
            let done = (|| -> Result<Option<OwnedFd>> {
                // Nothing that joined the holder's namespaces may read berth's memory (I4).
                nix::sys::prctl::set_dumpable(false)
                    .context("making the network helper non-dumpable")?;
                holder.enter()?;
                f()
            })();
            let code = match done {
                Ok(fd) => {
                    let sent = send(&child, b"o", fd.as_ref());
                    i32::from(sent.is_err())
                }
                Err(e) => {
                    let _ = send(&child, format!("e{e:#}").as_bytes(), None);
                    1
                }
            };
            // SAFETY: _exit ends the helper without running berth's exit handlers or
            // flushing stdio buffers it inherited, which belong to the caller.
            unsafe { libc::_exit(code) }
        }
        nix::unistd::ForkResult::Parent { child } => child,
    };
    drop(child);
    let got = receive(&parent);
    let exit = super::spawn::wait(helper);
    let (text, fd) = got.with_context(|| format!("{what}: reading from the network helper"))?;
    let clean = matches!(exit, Ok(e) if e.code() == 0);
    match text.split_at_checked(1) {
        Some(("o", _)) if clean => Ok(fd),
        Some(("e", why)) => bail!("{what}: {why}"),
        _ => bail!("{what}: the network helper ended without a word ({exit:?})"),
    }
}

fn single_threaded() -> Result<()> {
    let status =
        std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let threads = status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .map(str::trim);
    if threads != Some("1") {
        bail!(
            "internal error: a rootless network helper must be forked by a single-threaded process"
        );
    }
    Ok(())
}

fn send(sock: &OwnedFd, text: &[u8], fd: Option<&OwnedFd>) -> Result<()> {
    use nix::sys::socket::{ControlMessage, MsgFlags, sendmsg};
    let iov = [std::io::IoSlice::new(text)];
    let fds = fd.map(|f| [f.as_raw_fd()]);
    let cmsg: Vec<ControlMessage<'_>> = fds
        .as_ref()
        .map(|f| ControlMessage::ScmRights(f))
        .into_iter()
        .collect();
    sendmsg::<()>(sock.as_raw_fd(), &iov, &cmsg, MsgFlags::empty(), None)
        .context("answering the caller")?;
    Ok(())
}

/// One message of at most 4 KiB (the helper's only one) and the fd with it, if any.
fn receive(sock: &OwnedFd) -> Result<(String, Option<OwnedFd>)> {
    use nix::sys::socket::{ControlMessageOwned, MsgFlags, recvmsg};
    use std::os::fd::FromRawFd;
    let mut buf = vec![0u8; 4096];
    let mut space = nix::cmsg_space!([std::os::fd::RawFd; 1]);
    let (len, fd) = {
        let mut iov = [std::io::IoSliceMut::new(&mut buf)];
        let msg = loop {
            match recvmsg::<()>(
                sock.as_raw_fd(),
                &mut iov,
                Some(&mut space),
                MsgFlags::MSG_CMSG_CLOEXEC,
            ) {
                Err(nix::errno::Errno::EINTR) => continue,
                r => break r.context("recvmsg")?,
            }
        };
        let mut fd = None;
        for c in msg.cmsgs().context("reading the helper's message")? {
            if let ControlMessageOwned::ScmRights(fds) = c {
                for raw in fds {
                    // SAFETY: SCM_RIGHTS just installed `raw` in this process; nothing else
                    // owns it.
                    let owned = unsafe { OwnedFd::from_raw_fd(raw) };
                    fd.get_or_insert(owned);
                }
            }
        }
        (msg.bytes, fd)
    };
    buf.truncate(len);
    Ok((String::from_utf8_lossy(&buf).into_owned(), fd))
}

/// Forks the calling process into the background: returns the child's pid in the parent and
/// `None` in the child, which starts a session of its own (no terminal signal reaches it).
/// The caller must be single-threaded (checked).
pub fn detach() -> Result<Option<i32>> {
    single_threaded()?;
    // SAFETY: the caller is single-threaded (checked above), so the child may go on running
    // ordinary Rust code.
    match unsafe { nix::unistd::fork() }.context("forking the network namespace holder")? {
        nix::unistd::ForkResult::Child => {
            let _ = nix::unistd::setsid();
            Ok(None)
        }
        nix::unistd::ForkResult::Parent { child } => Ok(Some(child.as_raw())),
    }
}

/// A process berth started for a container's lifetime (the port relay of a rootless network):
/// SIGKILLed and reaped when dropped, and, through PR_SET_PDEATHSIG, when the berth that
/// started it dies first.
#[derive(Debug)]
pub struct Companion(std::process::Child);

impl Companion {
    /// Spawns `command` (its stdout piped) and waits for its first line, `ready`; any other
    /// line is its error, returned.
    pub fn spawn(mut command: std::process::Command) -> Result<Companion> {
        use std::io::BufRead as _;
        use std::os::unix::process::CommandExt as _;
        // SAFETY: the hook makes one prctl(2) call, which is async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)
                    .map_err(std::io::Error::from)
            });
        }
        let mut child = command
            .stdout(std::process::Stdio::piped())
            .spawn()
            .context("starting the port relay")?;
        let mut line = String::new();
        let read = child
            .stdout
            .take()
            .map(|out| std::io::BufReader::new(out).read_line(&mut line));
        let companion = Companion(child);
        match (read, line.trim()) {
            (Some(Ok(_)), "ready") => Ok(companion),
            (_, "") => bail!("the port relay ended without a word"),
            (_, why) => bail!("{}", why.strip_prefix("error: ").unwrap_or(why)),
        }
    }
}

impl Drop for Companion {
    fn drop(&mut self) {
        // Not waited for yet, so its pid cannot have been reused.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
