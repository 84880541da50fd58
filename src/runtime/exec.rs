//! `berth exec`: one more process in a running container, confined like its first one.
//!
//! berth opens a pidfd for the container's init and checks it is the recorded process (pid +
//! start time, SECURITY.md I11), then forks a helper. The helper makes itself non-dumpable
//! (I4: the container must never reach the host's berth binary or fds through /proc), joins
//! every namespace of the container in one `setns(pidfd, flags)` call (Linux 5.8; the kernel
//! joins the user namespace first), and clones the process with `CLONE_PARENT`, so that it is
//! berth's own child (waited for, signalled through a pidfd) but lives in the container's pid
//! namespace. The helper exits at once.
//!
//! The process then sets itself up as `runtime::container` does for the container's command,
//! from the same plan values: the identity from the container's own /etc/passwd read in-root
//! (I5), the executable looked up in-root (126/127), the working directory entered by fd and
//! checked with getcwd (I3, runc CVE-2024-21626), rlimits, seccomp, uid/gid, capabilities,
//! no_new_privs, umask, every signal reset and every fd above 2 closed on exec (I3, I17).
//!
//! Known gap, shared with `run` (runc CVE-2019-5736): a container that swaps the command for
//! a script or symlink leading to `/proc/self/exe` gets the host's berth binary executed inside
//! it, dumpable again. Every berth process it could see before is non-dumpable, and writing the
//! binary fails with ETXTBSY while any process runs it, which the container's monitor (the
//! same binary, outliving every process of the container) does; so the window is a berth
//! binary replaced on disk since the container started. Closing it for both verbs means running
//! the pre-exec code from a read-only or sealed copy (I4).
//!
//! Its stdio never is one of berth's: pipes that berth copies (`-i` feeds stdin), a terminal
//! made in the container's own devpts (`-t`), or /dev/null (`-d`); so a host terminal or file
//! is never handed to the container (no TIOCSTI into the caller's terminal). This module does
//! not read container records or decide what the plan holds: `ops::exec` does.

use std::ffi::CString;
use std::fs::File;
use std::io::Read;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::path::Path;

use anyhow::{Context as _, Result, anyhow, bail};
use nix::errno::Errno;
use nix::fcntl::{FcntlArg, OFlag};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::resource::setrlimit;
use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::sys::socket::{
    AddressFamily, ControlMessage, MsgFlags, SockFlag, SockType, sendmsg, socketpair,
};
use nix::sys::stat::Mode;
use nix::unistd::Pid;
use seccompiler::BpfProgram;

use super::container::{FORWARDED, receive_fd, resource, set_identity, terminal_size_source};
use super::process::{self, Rlimit, UserSpec};
use super::spawn::{self, Exit, Namespaces};
use super::userns::{IdMap, IdMaps};
use super::{caps, seccomp, sys, tty};
use crate::error::{self, ErrorKind};
use crate::storage::container::process_start_time;
use crate::storage::inroot;

/// Everything the exec'd process needs, planned by the caller from the container's record.
pub struct ExecPlan {
    /// The container's own cgroup: the helper joins it before the process is cloned, so the
    /// process is in it (and under its limits) before it runs anything.
    pub cgroup: Option<super::cgroup::Cgroup>,
    /// The container's init on the host and its start time, to check before joining (I11).
    pub pid: i32,
    pub pid_start: u64,
    /// Join through the init's child (the command) instead of the init: berth's own init
    /// (`--init`) is non-dumpable (I4), and an unprivileged caller may not setns through it.
    pub via_child: bool,
    /// The container's own namespaces, to join (not those it shares with the host).
    pub namespaces: Namespaces,
    /// The container's id maps when it has a user namespace ([`read_maps`]).
    pub maps: Option<IdMaps>,
    pub argv: Vec<String>,
    /// The environment without HOME (set from the resolved user when missing).
    pub env: Vec<String>,
    pub workdir: String,
    pub user: UserSpec,
    pub group_add: Vec<String>,
    pub rlimits: Vec<Rlimit>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    /// `--privileged`: every capability (the container's seccomp filter stays, as in Docker).
    pub privileged: bool,
    pub seccomp: BpfProgram,
    pub no_new_privs: bool,
    /// `-t`: a terminal from the container's devpts; berth relays it.
    pub tty: bool,
    /// `-i`: pass berth's stdin.
    pub interactive: bool,
    /// `-d`: return once the command runs, its stdio /dev/null.
    pub detach: bool,
}

/// Reads the uid and gid maps of process `pid`'s user namespace, as seen from the caller's.
///
/// Errors: the process is gone, or a map line is not three numbers.
pub fn read_maps(pid: i32) -> Result<IdMaps> {
    let read = |which: &str| -> Result<Vec<IdMap>> {
        let path = format!("/proc/{pid}/{which}");
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        parse_map(&text).with_context(|| format!("parsing {path}"))
    };
    Ok(IdMaps {
        uids: read("uid_map")?,
        gids: read("gid_map")?,
    })
}

/// `/proc/PID/uid_map` lines: `inside outside count`.
pub fn parse_map(text: &str) -> Result<Vec<IdMap>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<u32> = l
                .split_whitespace()
                .map(str::parse)
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| anyhow!("bad line {l:?}"))?;
            match f[..] {
                [inside, outside, count] => Ok(IdMap {
                    inside,
                    outside,
                    count,
                }),
                _ => bail!("bad line {l:?}"),
            }
        })
        .collect()
}

/// Runs `plan` in the container: in the foreground, relaying its stdio (or terminal) and the
/// signals berth gets (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2) until it exits, and
/// returns how it did; with `detach`, returns `Exit::Code(0)` as soon as it runs.
///
/// Errors: the container's init is no longer the recorded process; joining its namespaces
/// fails; the process's setup fails (exit 125), with `ErrorKind::CommandNotFound` (127) or
/// `CommandNotExecutable` (126) for the command. The caller must be single-threaded.
pub fn exec(plan: &ExecPlan) -> Result<Exit> {
    let mut forwarded = SigSet::empty();
    for s in FORWARDED {
        forwarded.add(s);
    }
    let mut blocked = forwarded;
    if plan.tty {
        blocked.add(Signal::SIGWINCH);
    }
    let mut old = SigSet::empty();
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&blocked), Some(&mut old))
        .context("blocking signals")?;
    let result = exec_blocked(plan, &forwarded);
    let _ = sigprocmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
    result
}

/// What the exec'd process's fds 0, 1 and 2 become (all opened by berth on the host).
enum ChildStdio {
    Fds([OwnedFd; 3]),
    /// `-t`: the terminal is made in the container; this socket carries its master to berth.
    /// Until then 0, 1 and 2 are /dev/null.
    Tty(OwnedFd, OwnedFd),
}

/// berth's ends of the exec'd process's stdio.
#[derive(Default)]
struct Ends {
    stdin: Option<OwnedFd>,
    stdout: Option<OwnedFd>,
    stderr: Option<OwnedFd>,
    tty: Option<OwnedFd>,
}

fn dev_null() -> Result<OwnedFd> {
    nix::fcntl::open("/dev/null", OFlag::O_RDWR | OFlag::O_CLOEXEC, Mode::empty())
        .context("opening /dev/null")
}

fn stdio(plan: &ExecPlan) -> Result<(ChildStdio, Ends)> {
    let pipe = || nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2");
    if plan.detach {
        let null = dev_null()?;
        return Ok((
            ChildStdio::Fds([null.try_clone()?, null.try_clone()?, null]),
            Ends::default(),
        ));
    }
    if plan.tty {
        let (parent, child) = socketpair(
            AddressFamily::Unix,
            SockType::Stream,
            None,
            SockFlag::SOCK_CLOEXEC,
        )
        .context("socketpair for the terminal")?;
        return Ok((
            ChildStdio::Tty(child, dev_null()?),
            Ends {
                tty: Some(parent),
                ..Ends::default()
            },
        ));
    }
    let (stdin_r, stdin_w) = if plan.interactive {
        let (r, w) = pipe()?;
        (r, Some(w))
    } else {
        (dev_null()?, None)
    };
    let (out_r, out_w) = pipe()?;
    let (err_r, err_w) = pipe()?;
    Ok((
        ChildStdio::Fds([stdin_r, out_w, err_w]),
        Ends {
            stdin: stdin_w,
            stdout: Some(out_r),
            stderr: Some(err_r),
            tty: None,
        },
    ))
}

fn exec_blocked(plan: &ExecPlan, forwarded: &SigSet) -> Result<Exit> {
    let init = open_container(plan.pid, plan.pid_start, plan.via_child)?;
    let signals = SignalFd::with_flags(forwarded, SfdFlags::SFD_CLOEXEC | SfdFlags::SFD_NONBLOCK)
        .context("signalfd")?;
    let (err_rx, err_tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
    let (pid_rx, pid_tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
    let (child_stdio, ends) = stdio(plan)?;
    // SAFETY: the caller is single-threaded (documented on `exec`), so the forked helper may
    // run ordinary Rust code: no other thread can hold a lock it needs. It only ever leaves
    // through `_exit`.
    let helper = match unsafe { nix::unistd::fork() }.context("forking the exec helper")? {
        nix::unistd::ForkResult::Child => {
            drop((err_rx, pid_rx, ends, signals));
            let code = match enter(plan, &init, child_stdio, &err_tx) {
                Ok(pid) => {
                    let _ = nix::unistd::write(&pid_tx, pid.to_string().as_bytes());
                    0
                }
                Err(e) => {
                    let _ = nix::unistd::write(&err_tx, format!("125:{e:#}").as_bytes());
                    spawn::SETUP_FAILED
                }
            };
            // SAFETY: _exit ends the helper without running the parent's atexit handlers or
            // flushing stdio buffers it inherited, which belong to berth.
            unsafe { libc::_exit(code) }
        }
        nix::unistd::ForkResult::Parent { child } => child,
    };
    drop((err_tx, pid_tx, child_stdio, init));
    spawn::wait(helper).context("waiting for the exec helper")?;
    // One read: the helper wrote the pid in one write (atomic below PIPE_BUF), and the process
    // holds a copy of the write end until its execve, so EOF may be far off.
    let mut buf = [0u8; 16];
    let n = loop {
        match nix::unistd::read(&pid_rx, &mut buf) {
            Err(Errno::EINTR) => continue,
            r => break r.unwrap_or(0),
        }
    };
    drop(pid_rx);
    let pid = std::str::from_utf8(&buf[..n]).unwrap_or("").parse::<i32>();
    let Ok(pid) = pid.map(Pid::from_raw) else {
        // The helper failed; its message is on the error pipe, which nothing else holds.
        return Err(report_error(&read_report(err_rx)));
    };
    let pidfd = match sys::pidfd_open(pid.as_raw()) {
        Ok(fd) => fd,
        Err(e) => {
            let _ = nix::sys::signal::kill(pid, Signal::SIGKILL);
            let _ = spawn::wait(pid);
            return Err(e).context("pidfd_open for the exec'd process");
        }
    };
    let master = match &ends.tty {
        Some(sock) => {
            let master = receive_fd(sock)?;
            if let Some(m) = &master {
                let (stdout, stdin) = (std::io::stdout(), std::io::stdin());
                if let Some(src) = terminal_size_source(stdout.as_fd(), stdin.as_fd()) {
                    let _ = tty::copy_winsize(src, m.as_fd());
                }
                let _ = nix::unistd::write(sock, b"k");
            }
            master
        }
        None => None,
    };
    let report = read_report(err_rx);
    if !report.is_empty() {
        spawn::wait(pid)?;
        return Err(report_error(&report));
    }
    if plan.detach {
        return Ok(Exit::Code(0));
    }
    match master {
        Some(m) => super::container::relay_tty(pid, &signals, &pidfd, m, plan.interactive),
        None => relay_pipes(pid, &signals, &pidfd, ends),
    }
}

/// A pidfd through which to join the namespaces of the container whose init is `pid`, started
/// at `pid_start` (checked once the pidfd pins it: not a recycled pid, I11); `via_child`:
/// through the init's child (see [`ExecPlan::via_child`]).
///
/// Errors: the process has exited.
pub(crate) fn open_container(pid: i32, pid_start: u64, via_child: bool) -> Result<OwnedFd> {
    let init = sys::pidfd_open(pid).map_err(|_| gone(pid))?;
    // The pidfd pins the process; check it is the recorded one, not a recycled pid (I11).
    if process_start_time(pid) != Some(pid_start) {
        return Err(gone(pid));
    }
    if via_child {
        return command_of(pid).ok_or_else(|| gone(pid));
    }
    Ok(init)
}

/// A pidfd for a child of `init` (its command, under berth's init), checked to still be its
/// child once pinned. It is in the container's pid namespace by birth; its other namespaces
/// are the container's unless the command itself left them, which is its own business.
fn command_of(init: i32) -> Option<OwnedFd> {
    let ppid = |pid: i32| -> Option<i32> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        stat.get(stat.rfind(')')? + 1..)?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| ppid(pid) == Some(init))
        .find_map(|pid| {
            let fd = sys::pidfd_open(pid).ok()?;
            (ppid(pid) == Some(init)).then_some(fd)
        })
}

fn gone(pid: i32) -> anyhow::Error {
    anyhow!("the container's process {pid} has exited")
}

fn read_report(rx: OwnedFd) -> String {
    let mut report = String::new();
    let _ = File::from(rx).read_to_string(&mut report);
    report
}

/// Rebuilds the child's error from its `code:message` report.
fn report_error(report: &str) -> anyhow::Error {
    let (code, msg) = report
        .split_once(':')
        .unwrap_or(("125", "the exec helper exited without a word"));
    match code {
        "127" => anyhow::Error::new(ErrorKind::CommandNotFound(msg.to_string())),
        "126" => anyhow::Error::new(ErrorKind::CommandNotExecutable(msg.to_string())),
        _ => anyhow!("{msg}"),
    }
}

/// In the helper: join the container and clone the process into it; returns its pid.
fn enter(
    plan: &ExecPlan,
    init: &OwnedFd,
    stdio: ChildStdio,
    err_tx: &OwnedFd,
) -> Result<libc::pid_t> {
    // Before joining anything: the container must not open /proc/PID/{exe,fd,mem} of berth's
    // processes (I4). The exec'd process inherits this until its execve.
    nix::sys::prctl::set_dumpable(false).context("making the exec helper non-dumpable")?;
    if let Some(cg) = &plan.cgroup {
        // This helper is single-threaded: moving itself moves the process.
        cg.join_self()?;
    }
    nix::sched::setns(init, plan.namespaces.own()).with_context(|| {
        format!(
            "joining the container's namespaces (setns {:?})",
            plan.namespaces.own()
        )
    })?;
    let flags = libc::c_long::from(libc::CLONE_PARENT | libc::SIGCHLD);
    // SAFETY: clone(2) with a NULL stack and no CLONE_VM behaves like fork(2). The helper is
    // single-threaded (forked from the single-threaded CLI), so the child may allocate. With
    // CLONE_PARENT the child is berth's, and in the pid namespace joined above.
    let ret = unsafe { libc::syscall(libc::SYS_clone, flags, 0usize, 0usize, 0usize, 0usize) };
    match ret {
        -1 => Err(Errno::last()).context("clone into the container's pid namespace"),
        0 => {
            let code = match setup_and_exec(plan, stdio) {
                Ok(never) => match never {},
                Err((code, e)) => {
                    let text = match error::kind_of(&e) {
                        Some(
                            ErrorKind::CommandNotFound(w) | ErrorKind::CommandNotExecutable(w),
                        ) => w.clone(),
                        _ => format!("{e:#}"),
                    };
                    let _ = nix::unistd::write(err_tx, format!("{code}:{text}").as_bytes());
                    code
                }
            };
            // SAFETY: as for the helper: leave without running berth's exit handlers.
            unsafe { libc::_exit(code) }
        }
        pid => libc::pid_t::try_from(pid).context("clone returned a bad pid"),
    }
}

type ChildResult = std::result::Result<std::convert::Infallible, (i32, anyhow::Error)>;

fn fail(code: i32) -> impl FnOnce(anyhow::Error) -> (i32, anyhow::Error) {
    move |e| (code, e)
}

/// The exec'd process, in every namespace of the container, before execve.
fn setup_and_exec(p: &ExecPlan, stdio: ChildStdio) -> ChildResult {
    let setup = spawn::SETUP_FAILED;
    match stdio {
        ChildStdio::Fds([stdin, stdout, stderr]) => {
            // Its own session: no job-control tie to the caller's terminal.
            nix::unistd::setsid()
                .context("setsid")
                .map_err(fail(setup))?;
            (|| -> nix::Result<()> {
                nix::unistd::dup2_stdin(&stdin)?;
                nix::unistd::dup2_stdout(&stdout)?;
                nix::unistd::dup2_stderr(&stderr)
            })()
            .context("setting up stdio")
            .map_err(fail(setup))?;
        }
        ChildStdio::Tty(sock, null) => {
            // Nothing of the caller's stdio stays, even while the terminal is being made.
            (|| -> nix::Result<()> {
                nix::unistd::dup2_stdin(&null)?;
                nix::unistd::dup2_stdout(&null)?;
                nix::unistd::dup2_stderr(&null)
            })()
            .context("setting up stdio")
            .map_err(fail(setup))?;
            setup_tty(&sock).map_err(fail(setup))?;
        }
    }
    // setns(CLONE_NEWNS) made the container's root our root and working directory.
    let root = inroot::open_root(Path::new("/")).map_err(fail(setup))?;
    let (passwd, group) = process::read_identity_files(root.as_fd()).map_err(fail(setup))?;
    let id = process::resolve_user(&p.user, &passwd, &group, &p.group_add).map_err(fail(setup))?;
    if let Some(m) = &p.maps {
        process::check_identity_mapped(&id, &m.uids, &m.gids).map_err(fail(setup))?;
    }
    let mut env = p.env.clone();
    process::set_home(&mut env, &id.home);
    let path_env = process::env_value(&env, "PATH").map(str::to_string);
    let by_kind = |e: anyhow::Error| match error::kind_of(&e) {
        Some(k) => (k.exit_code(), e),
        None => (setup, e),
    };
    let exe = process::find_executable(root.as_fd(), &p.argv[0], path_env.as_deref(), &p.workdir)
        .map_err(by_kind)?;
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
    let mut caps =
        caps::plan(&p.cap_add, &p.cap_drop, p.privileged, id.uid).map_err(fail(setup))?;
    // "Every capability" is every one berth itself may hand on (Podman: the bounding set);
    // the kernel refuses the others.
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
    nix::sys::stat::umask(Mode::from_bits_truncate(0o022));
    sys::reset_signals()
        .context("resetting signals")
        .map_err(fail(setup))?;
    sys::cloexec_from(3)
        .context("close_range")
        .map_err(fail(setup))?;
    let cstr = |s: &str| CString::new(s).map_err(|_| anyhow!("{s:?} contains a NUL byte"));
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
    let exe_c = cstr(&exe).map_err(fail(setup))?;
    // By path, as `run` does, so the process's name (comm) is the command's, not the applet
    // binary's; the path resolves in the container's root.
    let err = nix::unistd::execve(&exe_c, &argv, &envp).unwrap_err();
    Err(match err {
        Errno::ENOENT => (
            127,
            anyhow::Error::new(ErrorKind::CommandNotFound(format!("{exe:?}"))),
        ),
        _ => (
            126,
            anyhow::Error::new(ErrorKind::CommandNotExecutable(format!("{exe:?}"))),
        ),
    })
}

/// Enters the working directory by an in-root fd (it must exist: exec creates nothing in the
/// container), then checks where we are (I3: getcwd must be an absolute path inside the root).
fn enter_workdir(root: &OwnedFd, workdir: &str) -> Result<()> {
    let rel = workdir.trim_start_matches('/');
    let target = if rel.is_empty() { "." } else { rel };
    let fd = inroot::open_in_root(
        root.as_fd(),
        Path::new(target),
        OFlag::O_PATH | OFlag::O_DIRECTORY,
        Mode::empty(),
    )
    .with_context(|| format!("opening the working directory {workdir}"))?;
    nix::unistd::fchdir(&fd)
        .with_context(|| format!("entering the working directory {workdir}"))?;
    let cwd = nix::unistd::getcwd().context("getcwd after entering the working directory")?;
    if !cwd.is_absolute() {
        bail!(
            "possible container breakout: the working directory {} is outside the root",
            cwd.display()
        );
    }
    Ok(())
}

/// In the exec'd process: a terminal from the container's own devpts (its /dev/ptmx, resolved
/// in the container's root), its master sent to berth, its slave the controlling terminal and
/// stdio.
fn setup_tty(sock: &OwnedFd) -> Result<()> {
    let pty = tty::open_pty()?;
    let fds = [pty.master.as_raw_fd()];
    sendmsg::<()>(
        sock.as_raw_fd(),
        &[std::io::IoSlice::new(b"t")],
        &[ControlMessage::ScmRights(&fds)],
        MsgFlags::empty(),
        None,
    )
    .context("sending the terminal to berth")?;
    drop(pty.master);
    let mut ack = [0u8; 1];
    loop {
        match nix::unistd::read(sock, &mut ack) {
            Ok(1) => break,
            Err(Errno::EINTR) => continue,
            _ => bail!("berth did not take the terminal"),
        }
    }
    tty::make_controlling(&pty.slave)
}

/// Size of each copy (SECURITY.md I6: 16 KiB).
const BUF: usize = 16 * 1024;

/// Without a terminal: copies the process's stdout and stderr pipes to berth's and berth's
/// stdin to its stdin pipe (`-i`, in a thread that blocks on stdin), forwarding signals, until
/// it exits; then copies what is left in the pipes without waiting for other holders (a
/// background process in the container keeps them open). Returns how it exited.
fn relay_pipes(pid: Pid, signals: &SignalFd, pidfd: &OwnedFd, ends: Ends) -> Result<Exit> {
    if let Some(w) = ends.stdin {
        // Not joined: once the process has exited, berth returns even if stdin is a terminal
        // nobody types into.
        std::thread::spawn(move || {
            let mut input = std::io::stdin().lock();
            let mut pipe = File::from(w);
            let _ = std::io::copy(&mut input, &mut pipe);
        });
    }
    let (stdout, stderr) = (std::io::stdout(), std::io::stderr());
    let mut streams: Vec<(OwnedFd, BorrowedFd<'_>, bool)> = Vec::new();
    for (src, dst) in [(ends.stdout, stdout.as_fd()), (ends.stderr, stderr.as_fd())] {
        if let Some(src) = src {
            nix::fcntl::fcntl(&src, FcntlArg::F_SETFL(OFlag::O_NONBLOCK))
                .context("making an output pipe non-blocking")?;
            streams.push((src, dst, true));
        }
    }
    let mut buf = vec![0u8; BUF];
    loop {
        let mut fds = vec![
            PollFd::new(signals.as_fd(), PollFlags::POLLIN),
            PollFd::new(pidfd.as_fd(), PollFlags::POLLIN),
        ];
        let open: Vec<usize> = (0..streams.len()).filter(|&i| streams[i].2).collect();
        for &i in &open {
            fds.push(PollFd::new(streams[i].0.as_fd(), PollFlags::POLLIN));
        }
        match poll(&mut fds, PollTimeout::NONE) {
            Ok(_) | Err(Errno::EINTR) => {}
            Err(e) => return Err(e).context("waiting for the exec'd process"),
        }
        let ready: Vec<bool> = fds
            .iter()
            .map(|f| f.revents().is_some_and(|r| !r.is_empty()))
            .collect();
        drop(fds);
        while let Ok(Some(info)) = signals.read_signal() {
            let signo = i32::try_from(info.ssi_signo).unwrap_or(0);
            let _ = sys::pidfd_send_signal(pidfd.as_fd(), signo);
        }
        for (k, &i) in open.iter().enumerate() {
            if ready[2 + k] {
                // One read per wake-up: a command that writes without pause must not keep
                // signals and its exit from being seen.
                copy_ready(&mut streams[i], &mut buf, 1);
            }
        }
        if ready[1] {
            // What it wrote before exiting: a pipe holds 64 KiB by default, 1 MiB at most unprivileged
            // (pipe(7));
            // bounded, so a background writer that outlives it cannot keep berth here.
            for s in streams.iter_mut().filter(|s| s.2) {
                copy_ready(s, &mut buf, 256);
            }
            return spawn::wait(pid);
        }
    }
}

/// Copies what `src` has ready to `dst`, at most `reads` reads; marks the stream closed at EOF
/// or on a read error. A failing `dst` (a reader that went away: EPIPE) loses the output, not
/// the process.
fn copy_ready(stream: &mut (OwnedFd, BorrowedFd<'_>, bool), buf: &mut [u8], reads: usize) {
    for _ in 0..reads {
        match nix::unistd::read(&stream.0, buf) {
            Ok(0) => {
                stream.2 = false;
                return;
            }
            Ok(n) => write_all(stream.1, &buf[..n]),
            Err(Errno::EINTR) => continue,
            Err(Errno::EAGAIN) => return,
            Err(_) => {
                stream.2 = false;
                return;
            }
        }
    }
}

/// Writes all of `data` to `fd`, giving up on the first error (the output is lost, not the
/// process).
fn write_all(fd: BorrowedFd<'_>, mut data: &[u8]) {
    while !data.is_empty() {
        match nix::unistd::write(fd, data) {
            Ok(0) => return,
            Ok(n) => data = &data[n..],
            Err(Errno::EINTR) => {}
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_maps_parse_as_the_kernel_prints_them() {
        let m = parse_map("         0       1000          1\n         1     100000      65536\n")
            .unwrap();
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
                    outside: 100_000,
                    count: 65536
                }
            ]
        );
        assert!(parse_map("0 1000\n").is_err());
        assert!(parse_map("0 x 1\n").is_err());
        assert!(parse_map("").unwrap().is_empty());
    }

    #[test]
    fn reports_rebuild_the_error_kind() {
        let e = report_error("127:\"nosuch\"");
        assert_eq!(crate::error::kind_of(&e).unwrap().exit_code(), 127);
        let e = report_error("126:\"/etc\"");
        assert_eq!(crate::error::kind_of(&e).unwrap().exit_code(), 126);
        let e = report_error("125:joining: EPERM");
        assert!(crate::error::kind_of(&e).is_none());
        assert_eq!(format!("{e:#}"), "joining: EPERM");
    }
}
