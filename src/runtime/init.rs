//! `run --init`: berth itself as the container's PID 1, the job tini does for Docker and
//! catatonit for Podman, with no extra binary in the container.
//!
//! The container process calls [`fork_command`] after all its setup (mounts, identity, rlimits,
//! seccomp, capabilities), so the init has exactly the command's privileges and filter. The
//! child goes on to execve the command; the parent stays PID 1 and supervises it: it forwards
//! the signals berth forwards (and SIGWINCH), reaps every process that ends up its child, and
//! exits with the command's code, or 128+N when a signal N killed it (tini's behaviour). Once
//! the command has ended the init exits at once, and the kernel kills whatever is left in the
//! pid namespace.
//!
//! The init is the host's berth binary, so it hides itself before the command exists
//! (SECURITY.md I4): non-dumpable, so the container cannot open /proc/1/exe, mem, environ, fd,
//! root or cwd; its argv (host paths such as `--root`) overwritten in place with `init`; every
//! fd closed and its working directory `/`. This module must not allocate after the fork (the
//! init runs for the container's whole life), open anything in the container, or exec.

use std::os::fd::AsFd;

use anyhow::{Context as _, Result, bail};
use nix::sys::signal::{SigHandler, SigSet, SigmaskHow, Signal, sigprocmask};
use nix::unistd::{ForkResult, Pid};

use super::container::FORWARDED;
use super::spawn::Exit;
use super::{sys, tty};

/// What /proc/1/cmdline and /proc/1/comm show instead of berth's command line.
const NAME: &[u8] = b"init";

/// The most argv bytes berth is willing to overwrite: far above any real `berth run` command
/// line, and a guard against writing over memory that is not argv if the kernel's numbers were
/// ever not what this module expects.
const MAX_ARGV_AREA: usize = 16 << 20;

/// Where the calling process's argv strings are: `[start, end)` in its own memory
/// (/proc/PID/stat fields 48 and 49, `arg_start` and `arg_end`; proc(5)). The kernel reads
/// /proc/PID/cmdline from there, so overwriting the bytes changes what it shows. That is the
/// only way open to rootless berth: pointing the kernel elsewhere (prctl PR_SET_MM_ARG_START)
/// needs CAP_SYS_RESOURCE in the initial user namespace, and exec'ing something else as the
/// init would need a binary in the container (Docker's tini) or a sealed copy of berth (I4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgvArea {
    start: usize,
    end: usize,
}

impl ArgvArea {
    /// Reads the calling process's area from /proc/self/stat. Call it on the host, before the
    /// container's clone: the container process has the same addresses (a fork-like clone copies
    /// the address space), and after pivot_root it must not open the container's /proc (I2).
    pub fn of_self() -> Result<ArgvArea> {
        let stat = std::fs::read_to_string("/proc/self/stat")
            .context("reading /proc/self/stat for --init")?;
        ArgvArea::parse(&stat)
    }

    /// The area from a /proc/PID/stat line. The command name (field 2) may hold spaces and
    /// parentheses, so the fields are counted from its last `)`.
    fn parse(stat: &str) -> Result<ArgvArea> {
        let Some((_, rest)) = stat.rsplit_once(')') else {
            bail!("unexpected /proc/self/stat: no command name");
        };
        // `rest` starts at field 3 (state), so field N is at index N - 3.
        let mut fields = rest.split_whitespace().skip(48 - 3);
        let mut next = || -> Option<usize> { fields.next()?.parse().ok() };
        let (Some(start), Some(end)) = (next(), next()) else {
            bail!("/proc/self/stat has no arg_start and arg_end (fields 48 and 49)");
        };
        // Zero when the reader may not see them (never for the process itself).
        if start == 0 || end <= start || end - start > MAX_ARGV_AREA {
            bail!("/proc/self/stat gives an unusable argv area {start:#x}..{end:#x}");
        }
        Ok(ArgvArea { start, end })
    }

    /// Overwrites the area with `init` and NULs. The last byte stays NUL, so the kernel shows
    /// exactly the area and does not go on into the environment as it does for setproctitle(3)
    /// (fs/proc/base.c, get_mm_cmdline).
    fn scrub(self) {
        let len = self.end - self.start;
        let ptr = std::ptr::with_exposed_provenance_mut::<u8>(self.start);
        // SAFETY: the kernel put berth's argv strings at [start, end) when it exec'd berth, on
        // the initial stack, which stays mapped and writable for the process's life; `parse`
        // checked the range is non-empty and bounded. Nothing in Rust borrows this memory: std
        // copies argv into owned strings on every `args()` call, and clap keeps only those
        // copies. The process is single-threaded (a fork of berth's single-threaded child), so
        // nothing reads it meanwhile; the name is copied short of the last byte, which stays 0.
        unsafe {
            std::ptr::write_bytes(ptr, 0, len);
            std::ptr::copy_nonoverlapping(NAME.as_ptr(), ptr, NAME.len().min(len - 1));
        }
    }
}

/// The signals the init waits for: berth's forwarded set and SIGWINCH (passed on to the
/// command, as tini does), and SIGCHLD (something to reap).
fn watched() -> SigSet {
    let mut set = SigSet::empty();
    for s in FORWARDED {
        set.add(s);
    }
    set.add(Signal::SIGWINCH);
    set.add(Signal::SIGCHLD);
    set
}

/// Splits the container process in two: returns `Ok` in the child, which goes on to execve the
/// command, and never returns in the parent, which stays PID 1 as the init.
///
/// Before the fork it blocks the signals the init reads (the child's later signal reset
/// unblocks them for the command), makes itself non-dumpable and overwrites its argv with
/// `init` (the area from [`ArgvArea::of_self`]), so the command never sees the init otherwise.
/// With `tty`, the child gets its own process group and makes it the terminal's foreground
/// group, so job control and ^C reach the command directly (tini's `isolate_child`).
///
/// The caller must be single-threaded. Errors (exit 125 in the caller's scheme) come from the
/// steps before the fork, the fork itself, or the child's terminal setup.
pub fn fork_command(area: ArgvArea, tty: bool) -> Result<()> {
    let signals = watched();
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&signals), None)
        .context("blocking the signals the init forwards")?;
    // SAFETY: SIG_DFL installs no handler code. Inherited SIG_IGN would make the kernel reap
    // the command itself (its status lost, and waitpid blocks until every child is gone).
    unsafe { nix::sys::signal::signal(Signal::SIGCHLD, SigHandler::SigDfl) }
        .context("resetting SIGCHLD for the init")?;
    // Non-dumpable makes the /proc/1 links and memory files need ptrace access, which needs
    // CAP_SYS_PTRACE in the user namespace berth was exec'd in (the mm's, i.e. the host's):
    // container root has neither. The command's execve makes it dumpable again.
    nix::sys::prctl::set_dumpable(false).context("making the init non-dumpable")?;
    nix::sys::prctl::set_name(c"init").context("naming the init")?;
    area.scrub();
    // SAFETY: the container process is single-threaded (a fork-like clone of berth's
    // single-threaded run), so the child may allocate and take locks before its execve.
    match unsafe { nix::unistd::fork() }.context("forking the container's command")? {
        ForkResult::Child => {
            if tty {
                take_terminal()?;
            }
            Ok(())
        }
        ForkResult::Parent { child } => supervise(child, &signals),
    }
}

/// In the command's process, with `-t`: a process group of its own, made the terminal's
/// foreground group. The init, which made the terminal its controlling one, stays session
/// leader in the background. Without `-t` the command keeps the init's group: stdin may then
/// be the caller's own terminal, where a background group would be stopped by SIGTTIN.
fn take_terminal() -> Result<()> {
    nix::unistd::setpgid(Pid::from_raw(0), Pid::from_raw(0))
        .context("giving the command its own process group")?;
    // A background group's tcsetpgrp raises SIGTTOU unless it is blocked (tty_check_change);
    // the signal reset before execve unblocks it again.
    let mut ttou = SigSet::empty();
    ttou.add(Signal::SIGTTOU);
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&ttou), None).context("blocking SIGTTOU")?;
    tty::set_foreground(std::io::stdin().as_fd())
}

/// The init's life: forward, reap, and exit with the command's code. Allocates nothing.
fn supervise(command: Pid, signals: &SigSet) -> ! {
    // Not pinning the workdir's mount. "/" exists in every root; were it to fail, the only
    // cost is that pin.
    let _ = nix::unistd::chdir("/");
    // Every fd goes, stdio included: the error pipe's write end above all, whose EOF tells
    // berth the command has exec'd. close_range exists wherever berth runs (the command's
    // setup needs it); were it to fail, berth would only see that EOF when the init exits.
    // SAFETY: the owners of these fds (the error pipe, the terminal socket) live in frames
    // this process never returns to: the init ends in `exit` below, without unwinding.
    let _ = unsafe { sys::close_from(0) };
    loop {
        match sys::sigwaitinfo(signals) {
            Ok(libc::SIGCHLD) => {
                if let Some(code) = reap(command, true) {
                    exit(code);
                }
            }
            Ok(signo) => {
                // ESRCH cannot happen: the command stays our unreaped child until we exit.
                if let Ok(sig) = Signal::try_from(signo) {
                    let _ = nix::sys::signal::kill(command, sig);
                }
            }
            Err(nix::errno::Errno::EINTR) => {}
            // Cannot happen for a valid set; still, never spin: wait without signals.
            Err(_) => loop {
                if let Some(code) = reap(command, false) {
                    exit(code);
                }
            },
        }
    }
}

/// Reaps every child that has ended (all of them, with `nohang`; otherwise at least one) and
/// returns the command's exit code once it is among them.
fn reap(command: Pid, nohang: bool) -> Option<i32> {
    let mut code = None;
    loop {
        match sys::waitpid_any(nohang) {
            Ok(Some((pid, status))) => {
                if pid == command.as_raw() {
                    code = code.or(exit_code(status));
                }
                if !nohang {
                    return code;
                }
            }
            Err(nix::errno::Errno::EINTR) => {}
            // None left that has ended (or none at all: ECHILD).
            Ok(None) | Err(_) => return code,
        }
    }
}

/// The shell's view of a wait status: the code, or 128+N for a death by signal N.
fn exit_code(status: i32) -> Option<i32> {
    if libc::WIFEXITED(status) {
        Some(Exit::Code(libc::WEXITSTATUS(status)).code())
    } else if libc::WIFSIGNALED(status) {
        Some(Exit::Signal(libc::WTERMSIG(status)).code())
    } else {
        None
    }
}

fn exit(code: i32) -> ! {
    // SAFETY: _exit ends the process without unwinding, destructors or atexit handlers: the
    // init's fds are already closed and its stdio buffers are copies of berth's, not its own
    // to flush.
    unsafe { libc::_exit(code) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::test_support::in_child;

    fn stat_line(comm: &str, start: usize, end: usize) -> String {
        // Fields 3..=47 as filler (field N holds N), then arg_start and arg_end, then 50..=52.
        let mid: Vec<String> = (3..=47).map(|n| n.to_string()).collect();
        format!("4242 ({comm}) {} {start} {end} 50 51 52\n", mid.join(" "))
    }

    #[test]
    fn argv_area_is_fields_48_and_49() {
        let a = ArgvArea::parse(&stat_line("berth", 0x7ffd_0000, 0x7ffd_0040)).unwrap();
        assert_eq!(
            a,
            ArgvArea {
                start: 0x7ffd_0000,
                end: 0x7ffd_0040
            }
        );
        // A command name with spaces and parentheses does not shift the fields.
        let b = ArgvArea::parse(&stat_line("a) (b c", 0x1000, 0x1010)).unwrap();
        assert_eq!(
            b,
            ArgvArea {
                start: 0x1000,
                end: 0x1010
            }
        );
    }

    #[test]
    fn unusable_argv_areas_are_refused() {
        for (start, end) in [
            (0, 0x10),
            (0x20, 0x20),
            (0x30, 0x10),
            (0x1000, 0x1000 + (32 << 20)),
        ] {
            assert!(ArgvArea::parse(&stat_line("berth", start, end)).is_err());
        }
        assert!(ArgvArea::parse("4242 berth R 1 2").is_err());
        assert!(ArgvArea::parse("4242 (berth) R 1 2 3").is_err());
    }

    #[test]
    fn own_argv_area_is_the_cmdline() {
        let a = ArgvArea::of_self().unwrap();
        let cmdline = std::fs::read("/proc/self/cmdline").unwrap();
        assert_eq!(a.end - a.start, cmdline.len());
    }

    #[test]
    fn wait_statuses_become_shell_codes() {
        assert_eq!(exit_code(3 << 8), Some(3));
        assert_eq!(exit_code(0), Some(0));
        assert_eq!(exit_code(libc::SIGKILL), Some(137));
        // SIGRTMIN+2, which nix's WaitStatus cannot represent.
        assert_eq!(exit_code(36), Some(164));
        // Stopped by SIGSTOP: not an exit.
        assert_eq!(exit_code(0x137f), None);
    }

    // The test harness is multi-threaded; `in_child` forks, and everything below runs in that
    // single-threaded child, which becomes the init of a grandchild (no namespaces needed).

    /// Runs `command` under the init in a forked child and returns the init's exit code.
    fn under_init(command: fn() -> i32) -> i32 {
        in_child(|| {
            let area = ArgvArea::of_self().expect("argv area");
            match fork_command(area, false) {
                Ok(()) => {
                    let _ = sys::reset_signals();
                    command()
                }
                Err(_) => 90,
            }
        })
    }

    #[test]
    fn init_exits_with_the_commands_code() {
        assert_eq!(under_init(|| 3), 3);
        assert_eq!(
            under_init(|| {
                let _ = nix::sys::signal::raise(Signal::SIGKILL);
                0
            }),
            137
        );
    }

    #[test]
    fn init_is_hidden_before_the_command_runs() {
        let code = under_init(|| {
            // Inherited from the init's fork, before any execve: the init was already
            // non-dumpable and renamed when the command came to exist.
            if nix::sys::prctl::get_dumpable().unwrap_or(true) {
                return 1;
            }
            let ppid = nix::unistd::getppid();
            let Ok(cmdline) = std::fs::read(format!("/proc/{ppid}/cmdline")) else {
                return 2;
            };
            let shown: Vec<&[u8]> = cmdline
                .split(|b| *b == 0)
                .filter(|s| !s.is_empty())
                .collect();
            if shown != [NAME] || cmdline.last() != Some(&0) {
                return 3;
            }
            match std::fs::read_to_string(format!("/proc/{ppid}/comm")) {
                Ok(c) if c == "init\n" => 0,
                _ => 4,
            }
        });
        assert_eq!(code, 0);
    }

    #[test]
    fn init_forwards_signals_to_the_command() {
        let code = under_init(|| {
            // Block TERM, ask the init (our parent) to pass one on, and take it.
            let mut term = SigSet::empty();
            term.add(Signal::SIGTERM);
            if sigprocmask(SigmaskHow::SIG_BLOCK, Some(&term), None).is_err() {
                return 1;
            }
            if nix::sys::signal::kill(nix::unistd::getppid(), Signal::SIGTERM).is_err() {
                return 2;
            }
            match sys::sigwaitinfo(&term) {
                Ok(libc::SIGTERM) => 0,
                _ => 3,
            }
        });
        assert_eq!(code, 0);
    }
}
