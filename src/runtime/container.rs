//! Running one container process: the child's setup sequence, start to execve, in one place.
//!
//! Everything here was planned before (`mounts::plan`, `process`, `caps::plan`,
//! `seccomp::default_program`); [`run`] clones the child with `spawn`, and the child applies
//! the plan in DESIGN.md's order: hostname → loopback → mounts and pivot_root → identity (read
//! from the container's own passwd/group, in-root) → executable lookup (126/127) → workdir →
//! rlimits → seccomp (while CAP_SYS_ADMIN is still held: no_new_privs is off by default, I15;
//! with no_new_privs, after it instead) →
//! groups/gid/uid → capabilities → no_new_privs if asked → umask → with `--init`, a fork whose
//! parent stays PID 1 as the init (`init`) → signals, fds (I3, I17) → execve. A failure before
//! execve comes back to the parent on a pipe as an exit code and a message, so the CLI prints
//! `Error: …` and exits 125, 126 or 127.

use std::ffi::CString;
use std::io::Read;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use anyhow::{Context as _, Result, anyhow, bail};
use nix::fcntl::OFlag;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::sys::socket::{
    AddressFamily, ControlMessage, ControlMessageOwned, MsgFlags, SockFlag, SockType, recvmsg,
    sendmsg, socketpair,
};
use nix::unistd::Pid;
use nix::unistd::{Gid, Uid};
use seccompiler::BpfProgram;

use super::caps::{self, CapPlan};
use super::mounts::{self, MountOp};
use super::process::{self, Limit, Rlimit, UserSpec};
use super::spawn::{self, Exit, Namespaces};
use super::userns::IdMaps;
use super::{init, rootfs, seccomp, sys, tty};
use crate::error::{self, ErrorKind};
use crate::storage::inroot;

/// Everything the child needs, planned by the caller.
pub struct ContainerPlan {
    /// The container's own cgroup, made and joined before the child's setup begins; the
    /// caller reads its OOM count and removes it once the container has ended.
    pub cgroup: Option<super::cgroup::Plan>,
    pub namespaces: Namespaces,
    /// What to join for `namespaces.joined` (another container's namespaces, a netns file).
    pub joins: Vec<spawn::Join>,
    /// `--sysctl`, `--oom-score-adj`: set in the container's namespaces before its mounts.
    pub knobs: super::namespaces::Knobs,
    /// The id maps when the container has its own user namespace.
    pub maps: Option<IdMaps>,
    /// The hostname to set (in the container's UTS namespace).
    pub hostname: Option<String>,
    /// Bring `lo` up (a private network namespace).
    pub loopback: bool,
    /// Connect the private network namespace with pasta before the command runs.
    pub pasta: Option<crate::net::pasta::PastaPlan>,
    /// Or with slirp4netns (rootless, where pasta is missing).
    pub slirp: Option<crate::net::slirp::SlirpPlan>,
    /// `--pidfile`: written with the container process's host pid before its setup begins,
    /// so it exists by the time the command runs.
    pub pidfile: Option<std::path::PathBuf>,
    /// Or connect it to a network's bridge (root).
    pub bridge: Option<crate::net::bridge::BridgePlan>,
    /// A process that lives as long as this start (a rootless network's port relay).
    pub companion: Option<super::netns::Companion>,
    pub mounts: Vec<MountOp>,
    pub argv: Vec<String>,
    /// The environment without HOME (set from the resolved user).
    pub env: Vec<String>,
    pub workdir: String,
    pub user: UserSpec,
    pub group_add: Vec<String>,
    pub rlimits: Vec<Rlimit>,
    /// `--cap-add`/`--cap-drop`; the sets are planned in the child once the uid is known.
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    /// `--privileged`: start from every capability berth holds.
    pub privileged: bool,
    /// The filter, planned from the capability bounding set (which the uid does not change);
    /// empty for none (`seccomp=unconfined`, `--privileged`).
    pub seccomp: BpfProgram,
    pub no_new_privs: bool,
    /// Give the container /dev/null as stdin (neither `-i` nor `-t`).
    pub stdin_null: bool,
    /// `-t`: a pseudo-terminal made inside the container (its own devpts), bound on
    /// /dev/console, the command's controlling terminal and stdio; the parent relays it.
    pub tty: bool,
    /// With `tty`: relay the caller's stdin to the terminal (`-i`).
    pub interactive: bool,
    /// `--init`: PID 1 is berth's own init (`runtime::init`), the command its child.
    pub init: bool,
}

/// The signals a foreground `run` passes on to the container (Docker's sig-proxy set).
pub(super) const FORWARDED: [Signal; 6] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
];

/// Runs the container to completion in the foreground and returns how it exited. Setup
/// failures in the child come back as errors carrying `ErrorKind` (126/127) or plain (125).
/// `started` gets the container process's pid once its command runs (to record it), and with
/// `-t` the terminal's master end (an attached client may resize it); if it fails the
/// container is killed. SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 sent to
/// berth meanwhile are forwarded to the container through a pidfd (I11).
///
/// The caller must be single-threaded (see `spawn::spawn`).
pub fn run(
    plan: &ContainerPlan,
    started: impl FnOnce(i32, Option<BorrowedFd<'_>>) -> Result<()>,
) -> Result<Exit> {
    let mut set = SigSet::empty();
    for s in FORWARDED {
        set.add(s);
    }
    let mut blocked = set;
    if plan.tty {
        // Read by the terminal relay's signalfd; every thread must block it (tty::relay).
        blocked.add(Signal::SIGWINCH);
    }
    let mut old = SigSet::empty();
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&blocked), Some(&mut old))
        .context("blocking signals")?;
    // The child inherits the blocked set and clears it (reset_signals) right before execve.
    let result = run_blocked(plan, &set, started);
    let _ = sigprocmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
    result
}

fn run_blocked(
    plan: &ContainerPlan,
    forwarded: &SigSet,
    started: impl FnOnce(i32, Option<BorrowedFd<'_>>) -> Result<()>,
) -> Result<Exit> {
    let signals = SignalFd::with_flags(forwarded, SfdFlags::SFD_CLOEXEC | SfdFlags::SFD_NONBLOCK)
        .context("signalfd")?;
    let (err_rx, err_tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
    let init_argv = plan.init.then(init::ArgvArea::of_self).transpose()?;
    // With -t, the child sends the terminal's master end back on this socket pair.
    let tty_sockets = if plan.tty {
        Some(
            socketpair(
                AddressFamily::Unix,
                SockType::Stream,
                None,
                SockFlag::SOCK_CLOEXEC,
            )
            .context("socketpair for the terminal")?,
        )
    } else {
        None
    };
    // With a fuse-overlayfs rootfs, the child hands its FUSE connection over this pair and
    // waits until berth serves it (rootfs.rs has the protocol).
    let fuse = plan.mounts.iter().find_map(|op| match op {
        MountOp::FuseOverlayfs {
            program,
            lower,
            upper,
            work,
            ..
        } => Some((program, lower, upper, work)),
        _ => None,
    });
    let fuse_options = fuse
        .map(|(_, lower, upper, work)| rootfs::fuse_overlayfs_options(lower, upper, work))
        .transpose()?;
    let rootfs_sockets = match fuse {
        Some(_) => Some(
            socketpair(
                AddressFamily::Unix,
                SockType::Stream,
                None,
                SockFlag::SOCK_CLOEXEC,
            )
            .context("socketpair for the rootfs")?,
        ),
        None => None,
    };
    // With pasta, a bridge or a pid file, the child waits on this pipe until berth has
    // connected its network namespace and written its pid down.
    let go_pipe = if plan.pasta.is_some()
        || plan.slirp.is_some()
        || plan.bridge.is_some()
        || plan.pidfile.is_some()
        || plan.cgroup.is_some()
    {
        Some(nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?)
    } else {
        None
    };
    // With a cgroup of its own, the child makes its cgroup namespace once it is in that
    // cgroup (after the go byte), so that the namespace is rooted there, as runc does.
    let mut namespaces = plan.namespaces;
    namespaces.cgroup &= plan.cgroup.is_none();
    // A v2 cgroup is made first and the child born in it (CLONE_INTO_CGROUP); v1 has no such
    // thing, so the child is moved into its cgroups before its go byte.
    let into = match &plan.cgroup {
        Some(cg) if matches!(cg.cgroup, super::cgroup::Cgroup::V2(_)) => {
            let made = cg.create()?;
            let dir = made.paths()[0];
            Some(
                nix::fcntl::open(
                    dir,
                    OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
                    nix::sys::stat::Mode::empty(),
                )
                .with_context(|| format!("opening cgroup {}", dir.display()))?,
            )
        }
        _ => None,
    };
    let into_fd = into.as_ref().map(|fd| fd.as_fd());
    let (pid, placed) = spawn::spawn_joined(
        &namespaces,
        &plan.joins,
        plan.maps.as_ref(),
        into_fd,
        || {
            let tty_socket = tty_sockets.as_ref().map(|(_, child)| child);
            let rootfs_socket = rootfs_sockets.as_ref().map(|(_, child)| child);
            let go = go_pipe.as_ref().map(|(rx, _)| rx);
            match setup_and_exec(plan, tty_socket, rootfs_socket, go, init_argv) {
                Ok(never) => match never {},
                Err((code, e)) => {
                    // A command-lookup error travels as its ErrorKind's subject, so the parent
                    // rebuilds the same ErrorKind (and message) on its side.
                    let text = match error::kind_of(&e) {
                        Some(
                            ErrorKind::CommandNotFound(w) | ErrorKind::CommandNotExecutable(w),
                        ) => w.clone(),
                        _ => format!("{e:#}"),
                    };
                    let msg = format!("{code}:{text}");
                    let _ = nix::unistd::write(&err_tx, msg.as_bytes());
                    code
                }
            }
        },
    )?;
    let join_after = !placed;
    drop(err_tx);
    // Lives until this function returns: the container has ended then (or never ran).
    let mut _pasta = None;
    let mut _slirp = None;
    let mut _bridge = None;
    if let Some((rx, tx)) = go_pipe {
        drop(rx);
        let prepared = (|| -> Result<()> {
            match &plan.cgroup {
                // v1: made here, joined by the child itself (`Cgroup::join_self`).
                Some(cg) if matches!(cg.cgroup, super::cgroup::Cgroup::V1(_)) => {
                    cg.create()?;
                }
                Some(cg) if join_after => {
                    if into.is_some() {
                        cg.cgroup.join(pid.as_raw())?;
                    } else {
                        cg.create()?.join(pid.as_raw())?;
                    }
                }
                _ => {}
            }
            if let Some(f) = &plan.pidfile {
                std::fs::write(f, format!("{pid}\n"))
                    .with_context(|| format!("writing the pid file {}", f.display()))?;
            }
            if let Some(pasta) = &plan.pasta {
                _pasta = Some(crate::net::pasta::start(pasta, pid.as_raw())?);
            } else if let Some(slirp) = &plan.slirp {
                _slirp = Some(crate::net::slirp::start(slirp, pid.as_raw())?);
            } else if let Some(bridge) = &plan.bridge {
                _bridge = Some(crate::net::bridge::attach(bridge, pid.as_raw())?);
            }
            Ok(())
        })();
        if let Err(e) = prepared {
            let _ = nix::sys::signal::kill(pid, Signal::SIGKILL);
            let _ = spawn::wait(pid);
            return Err(e);
        }
        // The child may have failed already (its error is read below); a closed pipe is fine.
        let _ = nix::unistd::write(&tx, b"g");
    }
    if let (Some((parent, child)), Some((program, ..)), Some(options)) =
        (rootfs_sockets, fuse, fuse_options)
    {
        drop(child);
        if let Err(e) =
            rootfs::serve_fuse(pid, &parent, program, &options, plan.namespaces.in_userns())
        {
            let _ = nix::sys::signal::kill(pid, Signal::SIGKILL);
            let _ = spawn::wait(pid);
            return Err(e);
        }
    }
    let master = match tty_sockets {
        Some((parent, child)) => {
            drop(child);
            let master = receive_fd(&parent)?;
            if let Some(m) = &master {
                // The window size is set before the command runs (the child waits for this
                // byte), so its first look at the terminal sees the caller's size.
                let (stdout, stdin) = (std::io::stdout(), std::io::stdin());
                if let Some(src) = terminal_size_source(stdout.as_fd(), stdin.as_fd()) {
                    let _ = tty::copy_winsize(src, m.as_fd());
                }
                let _ = nix::unistd::write(&parent, b"k");
            }
            master
        }
        None => None,
    };
    let mut report = String::new();
    let _ = std::fs::File::from(err_rx).read_to_string(&mut report);
    if report.is_empty() {
        return supervise(pid, &signals, started, master, plan.interactive);
    }
    spawn::wait(pid)?;
    let (code, msg) = report.split_once(':').unwrap_or(("125", report.as_str()));
    Err(match code {
        "127" => anyhow::Error::new(ErrorKind::CommandNotFound(msg.to_string())),
        "126" => anyhow::Error::new(ErrorKind::CommandNotExecutable(msg.to_string())),
        _ => anyhow!("{msg}"),
    })
}

/// Waits for the running container, forwarding signals, after telling `started` its pid; with
/// a terminal, relays it (in a second thread) until the container ends.
fn supervise(
    pid: Pid,
    signals: &SignalFd,
    started: impl FnOnce(i32, Option<BorrowedFd<'_>>) -> Result<()>,
    master: Option<OwnedFd>,
    interactive: bool,
) -> Result<Exit> {
    let pidfd = match sys::pidfd_open(pid.as_raw()) {
        Ok(fd) => fd,
        Err(e) => {
            let _ = nix::sys::signal::kill(pid, Signal::SIGKILL);
            let _ = spawn::wait(pid);
            return Err(e).context("pidfd_open for the container process");
        }
    };
    if let Err(e) = started(pid.as_raw(), master.as_ref().map(AsFd::as_fd)) {
        let _ = sys::pidfd_send_signal(pidfd.as_fd(), libc::SIGKILL);
        let _ = spawn::wait(pid);
        return Err(e);
    }
    let Some(master) = master else {
        return forward_until_exit(pid, signals, &pidfd);
    };
    relay_tty(pid, signals, &pidfd, master, interactive)
}

/// `-t`: relays the terminal (in a second thread) while forwarding signals until the process
/// exits.
pub(super) fn relay_tty(
    pid: Pid,
    signals: &SignalFd,
    pidfd: &OwnedFd,
    master: OwnedFd,
    interactive: bool,
) -> Result<Exit> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let size_source = terminal_size_source(stdout.as_fd(), stdin.as_fd());
    let raw = if interactive {
        tty::RawMode::enable(stdin.as_fd())?
    } else {
        None
    };
    let (exit, relayed) = std::thread::scope(|s| {
        let relay = s.spawn(|| {
            tty::relay(
                &master,
                interactive.then(|| stdin.as_fd()),
                stdout.as_fd(),
                size_source,
                Some(pidfd.as_fd()),
            )
        });
        let exit = forward_until_exit(pid, signals, pidfd);
        (exit, relay.join())
    });
    drop(raw);
    match relayed {
        Ok(Err(e)) => log::debug!("terminal relay: {e:#}"),
        Err(_) => log::warn!("the terminal relay thread panicked"),
        Ok(Ok(())) => {}
    }
    exit
}

/// Whichever of our stdout or stdin is a terminal: where the container's window size comes from.
pub(super) fn terminal_size_source<'a>(
    stdout: std::os::fd::BorrowedFd<'a>,
    stdin: std::os::fd::BorrowedFd<'a>,
) -> Option<std::os::fd::BorrowedFd<'a>> {
    [stdout, stdin]
        .into_iter()
        .find(|fd| nix::unistd::isatty(fd).unwrap_or(false))
}

/// Forwards signals to the container until it exits, then reaps it.
fn forward_until_exit(pid: Pid, signals: &SignalFd, pidfd: &OwnedFd) -> Result<Exit> {
    loop {
        let mut fds = [
            PollFd::new(signals.as_fd(), PollFlags::POLLIN),
            PollFd::new(pidfd.as_fd(), PollFlags::POLLIN),
        ];
        match poll(&mut fds, PollTimeout::NONE) {
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e).context("waiting for the container"),
        }
        let exited = fds[1].revents().is_some_and(|r| !r.is_empty());
        while let Ok(Some(info)) = signals.read_signal() {
            // ESRCH: it has just exited; the pidfd reports that next.
            let signo = i32::try_from(info.ssi_signo).unwrap_or(0);
            let _ = sys::pidfd_send_signal(pidfd.as_fd(), signo);
        }
        if exited {
            return spawn::wait(pid);
        }
    }
}

/// Receives an fd the child sends with SCM_RIGHTS (the terminal master, the FUSE connection);
/// `None` when the child ended before sending one (its error comes on the error pipe).
pub(crate) fn receive_fd(sock: &OwnedFd) -> Result<Option<OwnedFd>> {
    let mut byte = [0u8; 1];
    let mut iov = [std::io::IoSliceMut::new(&mut byte)];
    let mut space = nix::cmsg_space!([std::os::fd::RawFd; 1]);
    let msg = loop {
        match recvmsg::<()>(
            sock.as_raw_fd(),
            &mut iov,
            Some(&mut space),
            MsgFlags::MSG_CMSG_CLOEXEC,
        ) {
            Err(nix::errno::Errno::EINTR) => continue,
            r => break r.context("receiving an fd from the container")?,
        }
    };
    for c in msg.cmsgs().context("reading the container's fd message")? {
        if let ControlMessageOwned::ScmRights(fds) = c
            && let Some(&fd) = fds.first()
        {
            // SAFETY: SCM_RIGHTS just installed `fd` in this process; nothing else owns it.
            return Ok(Some(unsafe { OwnedFd::from_raw_fd(fd) }));
        }
    }
    Ok(None)
}

/// In the child, after pivot_root: makes a terminal on the container's own devpts, binds its
/// slave on /dev/console (checked by device number, I2), sends the master to the parent and
/// makes the slave the controlling terminal and stdio.
fn setup_tty(sock: &OwnedFd) -> Result<()> {
    let pty = tty::open_pty()?;
    let dev = inroot::open_root(std::path::Path::new("/dev")).context("opening /dev")?;
    let console = nix::fcntl::openat(
        &dev,
        "console",
        OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC | OFlag::O_WRONLY,
        nix::sys::stat::Mode::empty(),
    )
    .context("creating /dev/console")?;
    drop(console);
    let slave_path = pty.slave_path();
    nix::mount::mount(
        Some(&slave_path),
        "/dev/console",
        None::<&str>,
        nix::mount::MsFlags::MS_BIND,
        None::<&str>,
    )
    .with_context(|| format!("binding {} on /dev/console", slave_path.display()))?;
    let bound = nix::sys::stat::stat("/dev/console").context("checking /dev/console")?;
    let slave = nix::sys::stat::fstat(&pty.slave).context("checking the terminal")?;
    if bound.st_rdev != slave.st_rdev {
        bail!("/dev/console is not the container's terminal after binding it");
    }
    let fds = [pty.master.as_raw_fd()];
    let cmsg = [ControlMessage::ScmRights(&fds)];
    sendmsg::<()>(
        sock.as_raw_fd(),
        &[std::io::IoSlice::new(b"t")],
        &cmsg,
        MsgFlags::empty(),
        None,
    )
    .context("sending the terminal to berth")?;
    drop(pty.master);
    // Wait until berth has set the window size.
    let mut ack = [0u8; 1];
    loop {
        match nix::unistd::read(sock, &mut ack) {
            Ok(1) => break,
            Err(nix::errno::Errno::EINTR) => continue,
            _ => bail!("berth did not take the terminal"),
        }
    }
    tty::make_controlling(&pty.slave)
}

type ChildResult = std::result::Result<std::convert::Infallible, (i32, anyhow::Error)>;

fn fail(code: i32) -> impl FnOnce(anyhow::Error) -> (i32, anyhow::Error) {
    move |e| (code, e)
}

/// Blocks until berth has done what must precede the setup (one byte: network connected,
/// pid file written), or fails when berth gave up (EOF).
fn wait_for_go(rx: &OwnedFd) -> Result<()> {
    let mut b = [0u8; 1];
    loop {
        match nix::unistd::read(rx, &mut b) {
            Ok(1) => return Ok(()),
            Err(nix::errno::Errno::EINTR) => continue,
            Ok(_) => bail!("berth could not prepare the container (cgroup, network or pid file)"),
            Err(e) => return Err(e).context("waiting for berth to prepare the container"),
        }
    }
}

/// The child's whole life before execve. Errors carry the exit code to report. With
/// `init_argv` (`--init`) the child forks after its last privilege change, and its parent
/// becomes the init and never returns here.
fn setup_and_exec(
    p: &ContainerPlan,
    tty_socket: Option<&OwnedFd>,
    rootfs_socket: Option<&OwnedFd>,
    go: Option<&OwnedFd>,
    init_argv: Option<init::ArgvArea>,
) -> ChildResult {
    let setup = spawn::SETUP_FAILED;
    if let Some(rx) = go {
        wait_for_go(rx).map_err(fail(setup))?;
    }
    // Made by the parent before the go byte; still the host's /sys/fs/cgroup here.
    if let Some(cg) = &p.cgroup
        && matches!(cg.cgroup, super::cgroup::Cgroup::V1(_))
    {
        cg.cgroup.join_self().map_err(fail(setup))?;
    }
    if p.cgroup.is_some() && p.namespaces.cgroup {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWCGROUP)
            .context("creating the cgroup namespace")
            .map_err(fail(setup))?;
    }
    if p.stdin_null {
        let null = nix::fcntl::open(
            "/dev/null",
            OFlag::O_RDONLY | OFlag::O_CLOEXEC,
            nix::sys::stat::Mode::empty(),
        )
        .context("opening /dev/null for stdin")
        .map_err(fail(setup))?;
        nix::unistd::dup2_stdin(&null)
            .context("redirecting stdin")
            .map_err(fail(setup))?;
    }
    if let Some(h) = &p.hostname {
        nix::unistd::sethostname(h)
            .with_context(|| format!("setting hostname {h:?}"))
            .map_err(fail(setup))?;
    }
    if p.loopback {
        sys::loopback_up()
            .context("bringing lo up")
            .map_err(fail(setup))?;
    }
    super::namespaces::apply_knobs(&p.knobs).map_err(fail(setup))?;
    mounts::apply(&p.mounts, rootfs_socket).map_err(fail(setup))?;
    super::namespaces::after_mounts(&p.knobs).map_err(fail(setup))?;
    if let Some(sock) = tty_socket {
        setup_tty(sock).map_err(fail(setup))?;
    }
    let root = inroot::open_root(std::path::Path::new("/")).map_err(fail(setup))?;
    let (passwd, group) = process::read_identity_files(root.as_fd()).map_err(fail(setup))?;
    let id = process::resolve_user(&p.user, &passwd, &group, &p.group_add).map_err(fail(setup))?;
    if let Some(m) = &p.maps {
        process::check_identity_mapped(&id, &m.uids, &m.gids).map_err(fail(setup))?;
    }
    let mut env = p.env.clone();
    process::set_home(&mut env, &id.home);
    let path_env = process::env_value(&env, "PATH").map(str::to_string);
    let exe = process::find_executable(root.as_fd(), &p.argv[0], path_env.as_deref(), &p.workdir)
        .map_err(|e| match error::kind_of(&e) {
        Some(k) => (k.exit_code(), e),
        None => (setup, e),
    })?;
    enter_workdir(&root, &p.workdir).map_err(fail(setup))?;
    drop(root);
    for r in &p.rlimits {
        setrlimit(resource(r.limit), r.soft, r.hard)
            .with_context(|| format!("setting rlimit {}", r.limit.name()))
            .map_err(fail(setup))?;
    }
    // Without no_new_privs the filter needs CAP_SYS_ADMIN, so it goes on before the
    // capabilities are lowered; with it, last, right before exec (I20), so that a profile
    // cannot break the setup calls in between (runc does the same).
    if !p.no_new_privs && !p.seccomp.is_empty() {
        seccomp::install(&p.seccomp).map_err(fail(setup))?;
    }
    set_identity(&id, p.maps.as_ref()).map_err(fail(setup))?;
    let mut caps: CapPlan =
        caps::plan(&p.cap_add, &p.cap_drop, p.privileged, id.uid).map_err(fail(setup))?;
    let bounding = caps::Bounding::read();
    caps::fit_to_held(&mut caps, &p.cap_add, &bounding).map_err(fail(setup))?;
    caps::apply(&caps, &bounding).map_err(fail(setup))?;
    if p.no_new_privs {
        nix::sys::prctl::set_no_new_privs()
            .context("setting no_new_privs")
            .map_err(fail(setup))?;
        if !p.seccomp.is_empty() {
            seccomp::install(&p.seccomp).map_err(fail(setup))?;
        }
    }
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o022));
    // The container dies with the process that waits for it (its monitor, or the foreground
    // CLI), so a killed monitor never leaves a container nobody records (I12). After the last
    // credential change, which clears it (prctl(2), PR_SET_PDEATHSIG; so does exec of a
    // set-id or file-capability binary, whose container then outlives a killed monitor);
    // PID 1's death ends every process in its pid namespace. I17: the one intended use.
    nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)
        .context("PR_SET_PDEATHSIG")
        .map_err(fail(setup))?;
    if let Some(argv) = init_argv {
        // Before the signal reset, so the init never has its signals unblocked.
        init::fork_command(argv, p.tty).map_err(fail(setup))?;
    }
    sys::reset_signals()
        .context("resetting signals")
        .map_err(fail(setup))?;
    sys::cloexec_from(3)
        .context("close_range")
        .map_err(fail(setup))?;
    let cstr = |s: &str| CString::new(s).map_err(|_| anyhow!("{s:?} contains a NUL byte"));
    let exe_c = cstr(&exe).map_err(fail(setup))?;
    let argv: Vec<CString> = p
        .argv
        .iter()
        .map(|a| cstr(a))
        .collect::<Result<_>>()
        .map_err(fail(setup))?;
    let envp: Vec<CString> = env
        .iter()
        .map(|a| cstr(a))
        .collect::<Result<_>>()
        .map_err(fail(setup))?;
    let err = nix::unistd::execve(&exe_c, &argv, &envp).unwrap_err();
    Err(match err {
        nix::errno::Errno::ENOENT => (
            127,
            anyhow::Error::new(ErrorKind::CommandNotFound(format!("{exe:?}"))),
        ),
        _ => (
            126,
            anyhow::Error::new(ErrorKind::CommandNotExecutable(format!("{exe:?}"))),
        ),
    })
}

/// Creates the workdir in-root if missing (Docker does), enters it, and checks where we are
/// (SECURITY.md I3: after chdir, getcwd must be an absolute path inside the root).
fn enter_workdir(root: &OwnedFd, workdir: &str) -> Result<()> {
    let rel = workdir.trim_start_matches('/');
    if !rel.is_empty() {
        let (parent, name) = inroot::resolve_parent(root.as_fd(), std::path::Path::new(rel), true)
            .with_context(|| format!("creating workdir {workdir}"))?;
        match nix::sys::stat::mkdirat(
            &parent,
            name.as_os_str(),
            nix::sys::stat::Mode::from_bits_truncate(0o755),
        ) {
            Ok(()) | Err(nix::errno::Errno::EEXIST) => {}
            Err(e) => return Err(e).with_context(|| format!("creating workdir {workdir}")),
        }
        let fd = inroot::open_in_root(
            root.as_fd(),
            std::path::Path::new(rel),
            OFlag::O_PATH | OFlag::O_DIRECTORY,
            nix::sys::stat::Mode::empty(),
        )
        .with_context(|| format!("opening workdir {workdir}"))?;
        nix::unistd::fchdir(&fd).with_context(|| format!("entering workdir {workdir}"))?;
    }
    let cwd = nix::unistd::getcwd().context("getcwd after entering the workdir")?;
    if !cwd.is_absolute() {
        bail!(
            "possible container breakout: the working directory {} is outside the root",
            cwd.display()
        );
    }
    Ok(())
}

/// setgroups, setresgid, keep capabilities across setresuid, setresuid.
pub(super) fn set_identity(id: &process::Identity, maps: Option<&IdMaps>) -> Result<()> {
    // Under a single-id map setgroups is denied by the kernel (setgroups=deny).
    if maps.is_none_or(IdMaps::is_full) {
        let groups: Vec<Gid> = id
            .additional_gids
            .iter()
            .map(|g| Gid::from_raw(*g))
            .collect();
        nix::unistd::setgroups(&groups).context("setgroups")?;
    }
    let g = Gid::from_raw(id.gid);
    nix::unistd::setresgid(g, g, g).with_context(|| format!("setresgid({})", id.gid))?;
    nix::sys::prctl::set_keepcaps(true).context("PR_SET_KEEPCAPS")?;
    let u = Uid::from_raw(id.uid);
    nix::unistd::setresuid(u, u, u).with_context(|| format!("setresuid({})", id.uid))?;
    Ok(())
}

pub(super) fn resource(l: Limit) -> Resource {
    match l {
        Limit::Core => Resource::RLIMIT_CORE,
        Limit::Cpu => Resource::RLIMIT_CPU,
        Limit::Data => Resource::RLIMIT_DATA,
        Limit::Fsize => Resource::RLIMIT_FSIZE,
        Limit::Locks => Resource::RLIMIT_LOCKS,
        Limit::Memlock => Resource::RLIMIT_MEMLOCK,
        Limit::Msgqueue => Resource::RLIMIT_MSGQUEUE,
        Limit::Nice => Resource::RLIMIT_NICE,
        Limit::Nofile => Resource::RLIMIT_NOFILE,
        Limit::Nproc => Resource::RLIMIT_NPROC,
        Limit::Rss => Resource::RLIMIT_RSS,
        Limit::Rtprio => Resource::RLIMIT_RTPRIO,
        Limit::Rttime => Resource::RLIMIT_RTTIME,
        Limit::Sigpending => Resource::RLIMIT_SIGPENDING,
        Limit::Stack => Resource::RLIMIT_STACK,
    }
}

/// The caller's current limits for the resources berth sets defaults for or the user named.
pub fn current_rlimits(requested: &[Rlimit]) -> Vec<Rlimit> {
    let mut wanted = vec![Limit::Nofile, Limit::Nproc];
    wanted.extend(requested.iter().map(|r| r.limit));
    wanted.dedup();
    wanted
        .into_iter()
        .filter_map(|l| {
            let (soft, hard) = nix::sys::resource::getrlimit(resource(l)).ok()?;
            Some(Rlimit {
                limit: l,
                soft,
                hard,
            })
        })
        .collect()
}
