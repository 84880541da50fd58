//! The terminal for `run -t` (and later `exec -t` and attach): a pty pair, the slave as the
//! container's controlling terminal, raw mode and window size for the caller's terminal, and
//! the loop that copies bytes between the caller and the master.
//!
//! This module owns every termios setting and tty ioctl berth makes. It does not spawn or wait
//! for processes, pick which fds the container keeps, or mount anything: the caller spawns,
//! closes its own copy of the slave after spawning (or the relay never sees the hang-up), and
//! has `mounts` bind the slave onto /dev/console (SECURITY.md I2).

use std::mem::MaybeUninit;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use nix::errno::Errno;
use nix::fcntl::{FcntlArg, OFlag};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{SigSet, SigmaskHow, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::sys::stat::{Mode, SFlag};

/// Size of each relay buffer (SECURITY.md I6: 16 KiB).
const BUF: usize = 16 * 1024;

/// The devpts slave majors (Documentation/admin-guide/devices.txt: 136-143, Unix98 pty slaves).
const PTY_SLAVE_MAJORS: std::ops::RangeInclusive<u64> = 136..=143;

/// A pseudo-terminal pair. Both ends are O_CLOEXEC and O_NOCTTY: opening them gives nobody a
/// controlling terminal; [`make_controlling`] does that in the container.
#[derive(Debug)]
pub struct Pty {
    /// berth's end: what the container writes is read here, what is written here is its input.
    pub master: OwnedFd,
    /// The container's end. The parent must drop its copy once the child holds one.
    pub slave: OwnedFd,
    /// The slave's index in the master's devpts instance (`/dev/pts/<number>` where that
    /// instance is mounted).
    pub number: u32,
}

impl Pty {
    /// `/dev/pts/<number>`: the slave's path where its devpts instance is mounted at /dev/pts
    /// (the caller's /dev/pts when the pty was opened through the caller's /dev/ptmx).
    pub fn slave_path(&self) -> PathBuf {
        PathBuf::from(format!("/dev/pts/{}", self.number))
    }
}

/// Opens a new pty pair through `/dev/ptmx` (posix_openpt + unlockpt + ptsname, then the
/// slave), both ends O_RDWR|O_NOCTTY|O_CLOEXEC.
///
/// `/dev/ptmx` is resolved in the caller's mount namespace and root, so a container child that
/// calls this after mounting its own devpts gets a pty of that instance. The slave is opened
/// from the master with TIOCGPTPEER (Linux 4.13), which cannot be redirected by whatever is
/// mounted at /dev/pts; older kernels fall back to the path, checked to be a pty slave.
///
/// Errors: no /dev/ptmx (or devpts), the pty limit (`/proc/sys/kernel/pty/max`) reached.
pub fn open_pty() -> Result<Pty> {
    let flags = OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC;
    let master = nix::fcntl::open("/dev/ptmx", flags, Mode::empty())
        .context("opening /dev/ptmx for a new terminal")?;
    // grantpt(3) is not needed: devpts sets the slave's owner and mode when the master is
    // opened, and glibc's grantpt only checks that the fd is a pty master.
    unlock(master.as_fd()).context("unlocking the new terminal's slave (TIOCSPTLCK)")?;
    let number = pts_number(master.as_fd()).context("asking /dev/ptmx for the pty number")?;
    let slave = match open_peer(master.as_fd(), flags) {
        Ok(fd) => fd,
        // Kernels before 4.13 do not know TIOCGPTPEER.
        Err(Errno::ENOTTY | Errno::EINVAL) => open_slave_path(number, flags)?,
        Err(e) => {
            return Err(e).with_context(|| format!("opening the slave of pty {number}"));
        }
    };
    Ok(Pty {
        master,
        slave,
        number,
    })
}

/// The fallback for kernels without TIOCGPTPEER: opens `/dev/pts/<number>` and checks that it
/// is a pty slave with that number (SECURITY.md I2: verify after open).
fn open_slave_path(number: u32, flags: OFlag) -> Result<OwnedFd> {
    let path = format!("/dev/pts/{number}");
    let fd = nix::fcntl::open(path.as_str(), flags | OFlag::O_NOFOLLOW, Mode::empty())
        .with_context(|| format!("opening {path}"))?;
    let st = nix::sys::stat::fstat(&fd).with_context(|| format!("fstat {path}"))?;
    let is_char = SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFCHR;
    let (major, minor) = (libc::major(st.st_rdev), libc::minor(st.st_rdev));
    let (major, minor) = (u64::from(major), u64::from(minor));
    // The kernel numbers slaves across the majors 136.. in blocks of 2^20 minors.
    let index = (major.saturating_sub(136) << 20) | minor;
    if !is_char || !PTY_SLAVE_MAJORS.contains(&major) || index != u64::from(number) {
        bail!("{path} is not the slave of pty {number} (device {major}:{minor})");
    }
    Ok(fd)
}

/// In the container child, before execve: starts a new session and makes `slave` its
/// controlling terminal and its stdin, stdout and stderr.
///
/// setsid(2), ioctl(TIOCSCTTY, 0), then dup2 onto 0, 1 and 2 (which clears O_CLOEXEC on those
/// three only; `slave` itself stays close-on-exec). Only raw syscalls run on success; memory is
/// allocated only to report an error, so it may run right after a fork of a multi-threaded
/// process as long as it succeeds. Errors: the caller is already a process group leader
/// (setsid: EPERM), or `slave` is not a terminal or is some other session's terminal.
pub fn make_controlling(slave: &OwnedFd) -> Result<()> {
    nix::unistd::setsid().context("starting a new session for the terminal (setsid)")?;
    set_controlling(slave.as_fd())
        .context("making the pty the controlling terminal (TIOCSCTTY)")?;
    nix::unistd::dup2_stdin(slave).context("making the pty stdin")?;
    nix::unistd::dup2_stdout(slave).context("making the pty stdout")?;
    nix::unistd::dup2_stderr(slave).context("making the pty stderr")?;
    Ok(())
}

/// Makes the caller's process group the foreground group of `tty`, its controlling terminal
/// (tcsetpgrp(3), which is TIOCSPGRP): the terminal's ^C, ^Z and input go to that group. Used by
/// the container's init (`run --init -t`) for the command's own group. A background group must
/// have SIGTTOU blocked or ignored first, or the kernel stops it instead. Errors: `tty` is not
/// the caller's controlling terminal.
pub fn set_foreground(tty: BorrowedFd<'_>) -> Result<()> {
    let pgrp = nix::unistd::getpgrp().as_raw();
    // SAFETY: TIOCSPGRP reads one pid_t through the pointer, which points at `pgrp`, alive for
    // the call; `tty` is open for the call.
    let res = unsafe { libc::ioctl(tty.as_raw_fd(), libc::TIOCSPGRP, &raw const pgrp) };
    Errno::result(res)
        .map(drop)
        .context("making the process group the terminal's foreground group (TIOCSPGRP)")
}

/// The caller's terminal in raw mode for as long as this lives: keys go to the container
/// unprocessed (^C included, for the container's own line discipline to turn into SIGINT), and
/// output is written as the container's pty already translated it. Dropping it puts back the
/// settings saved by [`RawMode::enable`], on error paths and panics too.
#[derive(Debug)]
pub struct RawMode<'fd> {
    fd: BorrowedFd<'fd>,
    saved: libc::termios,
}

impl<'fd> RawMode<'fd> {
    /// Puts `fd` in raw mode (as cfmakeraw(3)) and returns the guard that restores it; `None`
    /// when `fd` is not a terminal (stdin from a pipe or file), which is left alone.
    ///
    /// Errors: `fd` is a terminal whose settings cannot be read or changed.
    pub fn enable(fd: BorrowedFd<'fd>) -> Result<Option<RawMode<'fd>>> {
        match nix::unistd::isatty(fd) {
            Ok(true) => {}
            Ok(false) | Err(Errno::ENOTTY | Errno::EINVAL) => return Ok(None),
            Err(e) => return Err(e).context("checking whether stdin is a terminal"),
        }
        let saved = get_termios(fd).context("reading the terminal's settings (tcgetattr)")?;
        let mut settings = saved;
        make_raw(&mut settings);
        set_termios(fd, &settings).context("putting the terminal in raw mode (tcsetattr)")?;
        Ok(Some(RawMode { fd, saved }))
    }
}

impl Drop for RawMode<'_> {
    fn drop(&mut self) {
        // Nothing to hand the error to here, and a terminal that cannot take its settings
        // back has most likely gone away: note it and carry on.
        if let Err(e) = set_termios(self.fd, &self.saved) {
            log::debug!("restoring the terminal's settings: {e}");
        }
    }
}

/// cfmakeraw(3), as glibc does it: no input or output processing, no echo, no signals from
/// keys, 8-bit characters, reads return after one byte.
fn make_raw(t: &mut libc::termios) {
    t.c_iflag &= !(libc::IGNBRK
        | libc::BRKINT
        | libc::PARMRK
        | libc::ISTRIP
        | libc::INLCR
        | libc::IGNCR
        | libc::ICRNL
        | libc::IXON);
    t.c_oflag &= !libc::OPOST;
    t.c_lflag &= !(libc::ECHO | libc::ECHONL | libc::ICANON | libc::ISIG | libc::IEXTEN);
    t.c_cflag &= !(libc::CSIZE | libc::PARENB);
    t.c_cflag |= libc::CS8;
    t.c_cc[libc::VMIN] = 1;
    t.c_cc[libc::VTIME] = 0;
}

/// Copies the window size of `from` (the caller's terminal) to `to` (a pty master), which
/// sends SIGWINCH to the foreground process group of the pty.
///
/// Errors: `from` or `to` is not a terminal.
pub fn copy_winsize(from: BorrowedFd<'_>, to: BorrowedFd<'_>) -> Result<()> {
    let ws = get_winsize(from).context("reading the terminal's window size (TIOCGWINSZ)")?;
    set_winsize(to, &ws).context("setting the container terminal's window size (TIOCSWINSZ)")?;
    Ok(())
}

/// The window size of terminal `tty`: rows and columns.
pub fn window_size(tty: BorrowedFd<'_>) -> Result<(u16, u16)> {
    let ws = get_winsize(tty).context("reading the terminal's window size (TIOCGWINSZ)")?;
    Ok((ws.ws_row, ws.ws_col))
}

/// Sets the window size of `tty` (a pty master: its foreground process group gets SIGWINCH).
pub fn set_window_size(tty: BorrowedFd<'_>, rows: u16, cols: u16) -> Result<()> {
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    set_winsize(tty, &ws).context("setting the container terminal's window size (TIOCSWINSZ)")
}

/// Copies between the caller and the container's terminal until the container's side is gone:
/// `stdin` → `master` (when `Some`), `master` → `stdout`, with `poll(2)` and 16 KiB buffers.
///
/// - Ends when the master reports the hang-up (EIO: every slave fd is closed). The caller must
///   therefore have closed its own copy of the slave after spawning.
/// - Also ends when `stop` becomes readable (pass the container's pidfd, so that an orphan
///   still holding the slave, as under `--pid host` or `exec`, cannot keep it going), after
///   copying what the master has ready.
/// - EOF on `stdin` stops reading it but not the relay, and the master stays open: in a
///   terminal the program's own line discipline sees ^D. For `-t` without `-i` pass `None`.
/// - With `winsize_source`, its window size is copied to the master at the start and on every
///   SIGWINCH. SIGWINCH is read from a signalfd, so it must be blocked: relay blocks it in the
///   calling thread for the call (and restores the mask), but in a multi-threaded process every
///   other thread must block it too, or the kernel may deliver it to one of those (where it is
///   ignored) and the resize is missed. Block it before spawning the container and threads;
///   the container child unblocks everything before execve (I17).
/// - Sets O_NONBLOCK on `master` (its own end; `stdin` and `stdout` are shared with the
///   caller's shell and left as they are), so output keeps flowing while the container is not
///   reading its input.
///
/// Errors: reading `stdin` or the master or writing `stdout` or the master fails (a closed
/// `stdout` comes back as EPIPE), or the signalfd cannot be set up.
pub fn relay(
    master: &OwnedFd,
    stdin: Option<BorrowedFd<'_>>,
    stdout: BorrowedFd<'_>,
    winsize_source: Option<BorrowedFd<'_>>,
    stop: Option<BorrowedFd<'_>>,
) -> Result<()> {
    set_nonblocking(master.as_fd()).context("making the terminal master non-blocking")?;
    let mut relay = Relay::new(master.as_fd(), stdin, stdout, stop);
    let Some(source) = winsize_source else {
        return relay.run(None);
    };
    let mut winch = SigSet::empty();
    winch.add(Signal::SIGWINCH);
    let old = winch
        .thread_swap_mask(SigmaskHow::SIG_BLOCK)
        .context("blocking SIGWINCH")?;
    let result = run_resizing(&mut relay, &winch, source);
    if !old.contains(Signal::SIGWINCH) {
        // Cannot fail for a valid `how`; a SIGWINCH still pending is ignored (its default).
        let _ = winch.thread_unblock();
    }
    result
}

/// `relay.run` with SIGWINCH (blocked by the caller) read from a signalfd.
fn run_resizing(relay: &mut Relay<'_>, winch: &SigSet, source: BorrowedFd<'_>) -> Result<()> {
    let signals = SignalFd::with_flags(winch, SfdFlags::SFD_CLOEXEC | SfdFlags::SFD_NONBLOCK)
        .context("signalfd for SIGWINCH")?;
    // After the signalfd exists, so that no resize from here on is missed.
    resize(source, relay.master);
    relay.run(Some((&signals, source)))
}

/// The state of one relay: the bytes read from stdin that the master has not taken yet.
struct Relay<'a> {
    master: BorrowedFd<'a>,
    stdin: Option<BorrowedFd<'a>>,
    stdout: BorrowedFd<'a>,
    stop: Option<BorrowedFd<'a>>,
    output: [u8; BUF],
    input: [u8; BUF],
    /// `input[pending.0..pending.1]` is still to be written to the master.
    pending: (usize, usize),
}

/// Whether the relay goes on.
enum Flow {
    Continue,
    Done,
}

impl<'a> Relay<'a> {
    fn new(
        master: BorrowedFd<'a>,
        stdin: Option<BorrowedFd<'a>>,
        stdout: BorrowedFd<'a>,
        stop: Option<BorrowedFd<'a>>,
    ) -> Relay<'a> {
        Relay {
            master,
            stdin,
            stdout,
            stop,
            output: [0; BUF],
            input: [0; BUF],
            pending: (0, 0),
        }
    }

    fn run(&mut self, winch: Option<(&SignalFd, BorrowedFd<'_>)>) -> Result<()> {
        let ready = PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR;
        loop {
            let has_pending = self.pending.0 < self.pending.1;
            let mut master_events = PollFlags::POLLIN;
            if has_pending {
                master_events |= PollFlags::POLLOUT;
            }
            // Order: master, then whichever of stdin (only when its last read went out),
            // SIGWINCH and stop are present.
            let mut fds = vec![PollFd::new(self.master, master_events)];
            let stdin_at = match self.stdin {
                Some(fd) if !has_pending => {
                    fds.push(PollFd::new(fd, PollFlags::POLLIN));
                    Some(fds.len() - 1)
                }
                _ => None,
            };
            let winch_at = winch.map(|(signals, _)| {
                fds.push(PollFd::new(signals.as_fd(), PollFlags::POLLIN));
                fds.len() - 1
            });
            let stop_at = self.stop.map(|fd| {
                fds.push(PollFd::new(fd, PollFlags::POLLIN));
                fds.len() - 1
            });
            match poll(&mut fds, PollTimeout::NONE) {
                Ok(_) | Err(Errno::EINTR) => {}
                Err(e) => return Err(e).context("waiting on the terminal (poll)"),
            }
            let revents = |i: usize| fds[i].revents().unwrap_or(PollFlags::empty());
            if (0..fds.len()).any(|i| revents(i).contains(PollFlags::POLLNVAL)) {
                bail!("a terminal relay fd is not open (POLLNVAL)");
            }
            if let (Some(i), Some((signals, source))) = (winch_at, winch)
                && revents(i).intersects(ready)
            {
                while let Ok(Some(_)) = signals.read_signal() {}
                resize(source, self.master);
            }
            if revents(0).intersects(ready)
                && let Flow::Done = self.copy_output()?
            {
                return Ok(());
            }
            if has_pending && revents(0).contains(PollFlags::POLLOUT) {
                self.flush_input()?;
            }
            if let Some(i) = stdin_at
                && revents(i).intersects(ready)
            {
                self.copy_input()?;
            }
            if let Some(i) = stop_at
                && revents(i).intersects(ready)
            {
                return self.drain();
            }
        }
    }

    /// One read from the master to stdout.
    fn copy_output(&mut self) -> Result<Flow> {
        match nix::unistd::read(self.master, &mut self.output) {
            // EIO: every slave fd is closed and the buffered output has been read.
            Ok(0) | Err(Errno::EIO) => Ok(Flow::Done),
            Ok(n) => {
                write_all(self.stdout, &self.output[..n])
                    .context("writing the container's terminal output to stdout")?;
                Ok(Flow::Continue)
            }
            Err(Errno::EAGAIN | Errno::EINTR) => Ok(Flow::Continue),
            Err(e) => Err(e).context("reading the container's terminal output"),
        }
    }

    /// One read from stdin, written to the master as far as it takes it now.
    fn copy_input(&mut self) -> Result<()> {
        let Some(stdin) = self.stdin else {
            return Ok(());
        };
        match nix::unistd::read(stdin, &mut self.input) {
            // EIO: stdin is a terminal that hung up; treat it as the end of input.
            Ok(0) | Err(Errno::EIO) => self.stdin = None,
            Ok(n) => {
                self.pending = (0, n);
                self.flush_input()?;
            }
            Err(Errno::EAGAIN | Errno::EINTR) => {}
            Err(e) => return Err(e).context("reading stdin for the container's terminal"),
        }
        Ok(())
    }

    /// Writes pending input to the master until it is all taken or the master is full.
    fn flush_input(&mut self) -> Result<()> {
        while self.pending.0 < self.pending.1 {
            let (from, to) = self.pending;
            match nix::unistd::write(self.master, &self.input[from..to]) {
                Ok(n) => self.pending.0 += n,
                Err(Errno::EINTR) => {}
                Err(Errno::EAGAIN) => break,
                // The container's side is gone; the next master read reports it.
                Err(Errno::EIO) => self.pending = (0, 0),
                Err(e) => return Err(e).context("writing stdin to the container's terminal"),
            }
        }
        Ok(())
    }

    /// Copies what the master has ready, without waiting for more.
    fn drain(&mut self) -> Result<()> {
        while let Flow::Continue = self.copy_output()? {
            match poll(
                &mut [PollFd::new(self.master, PollFlags::POLLIN)],
                PollTimeout::ZERO,
            ) {
                Ok(0) => return Ok(()),
                Ok(_) | Err(Errno::EINTR) => {}
                Err(e) => return Err(e).context("waiting on the terminal (poll)"),
            }
        }
        Ok(())
    }
}

/// Copies the window size for a SIGWINCH. A failure is not worth ending the session for (the
/// caller's terminal may just have gone), so it is noted and dropped.
fn resize(source: BorrowedFd<'_>, master: BorrowedFd<'_>) {
    if let Err(e) = copy_winsize(source, master) {
        log::debug!("copying the window size to the container's terminal: {e:#}");
    }
}

/// Writes all of `buf`, through partial writes, EINTR and (if `fd` is non-blocking) EAGAIN.
fn write_all(fd: BorrowedFd<'_>, mut buf: &[u8]) -> nix::Result<()> {
    while !buf.is_empty() {
        match nix::unistd::write(fd, buf) {
            Ok(0) => return Err(Errno::EIO),
            Ok(n) => buf = &buf[n..],
            Err(Errno::EINTR) => {}
            Err(Errno::EAGAIN) => {
                match poll(
                    &mut [PollFd::new(fd, PollFlags::POLLOUT)],
                    PollTimeout::NONE,
                ) {
                    Ok(_) | Err(Errno::EINTR) => {}
                    Err(e) => return Err(e),
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn set_nonblocking(fd: BorrowedFd<'_>) -> nix::Result<()> {
    let flags = OFlag::from_bits_retain(nix::fcntl::fcntl(fd, FcntlArg::F_GETFL)?);
    nix::fcntl::fcntl(fd, FcntlArg::F_SETFL(flags | OFlag::O_NONBLOCK)).map(drop)
}

// The raw ioctls and termios calls. nix has wrappers for the termios and pty ones behind its
// `term` feature, which berth does not enable; these are the same calls, one each.

/// unlockpt(3): clears the slave's lock so it can be opened.
fn unlock(master: BorrowedFd<'_>) -> nix::Result<()> {
    let unlock: libc::c_int = 0;
    // SAFETY: TIOCSPTLCK reads one int through the pointer, which points at `unlock`, alive
    // for the call; `master` is open for the call.
    let res = unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCSPTLCK, &raw const unlock) };
    Errno::result(res).map(drop)
}

/// The pty number behind a master (what ptsname(3) formats).
fn pts_number(master: BorrowedFd<'_>) -> nix::Result<u32> {
    let mut n: libc::c_uint = 0;
    // SAFETY: TIOCGPTN writes one unsigned int through the pointer, which points at `n`, alive
    // and writable for the call; `master` is open for the call.
    let res = unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCGPTN, &raw mut n) };
    Errno::result(res)?;
    Ok(n)
}

/// TIOCGPTPEER: opens the slave of `master` with `flags`, without a path lookup.
fn open_peer(master: BorrowedFd<'_>, flags: OFlag) -> nix::Result<OwnedFd> {
    // SAFETY: TIOCGPTPEER takes the open flags as an integer argument, not a pointer; `master`
    // is open for the call.
    let res = unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCGPTPEER, flags.bits()) };
    let fd = Errno::result(res)?;
    // SAFETY: on success the kernel returned a new open fd that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// TIOCSCTTY with 0: makes `tty` the controlling terminal of the calling session leader,
/// without stealing it from another session.
fn set_controlling(tty: BorrowedFd<'_>) -> nix::Result<()> {
    // SAFETY: TIOCSCTTY takes an integer argument (0: do not steal), not a pointer; `tty` is
    // open for the call. It is a plain syscall, safe after fork in a multi-threaded process.
    let res = unsafe { libc::ioctl(tty.as_raw_fd(), libc::TIOCSCTTY, 0) };
    Errno::result(res).map(drop)
}

fn get_winsize(tty: BorrowedFd<'_>) -> nix::Result<libc::winsize> {
    let mut ws = MaybeUninit::<libc::winsize>::uninit();
    // SAFETY: TIOCGWINSZ writes one struct winsize through the pointer, which points at `ws`,
    // sized for it and writable for the call; `tty` is open for the call.
    let res = unsafe { libc::ioctl(tty.as_raw_fd(), libc::TIOCGWINSZ, ws.as_mut_ptr()) };
    Errno::result(res)?;
    // SAFETY: the ioctl succeeded, so the kernel filled in the whole struct.
    Ok(unsafe { ws.assume_init() })
}

fn set_winsize(tty: BorrowedFd<'_>, ws: &libc::winsize) -> nix::Result<()> {
    // SAFETY: TIOCSWINSZ reads one struct winsize through the pointer, which points at `ws`,
    // alive for the call; `tty` is open for the call.
    let res = unsafe { libc::ioctl(tty.as_raw_fd(), libc::TIOCSWINSZ, std::ptr::from_ref(ws)) };
    Errno::result(res).map(drop)
}

fn get_termios(tty: BorrowedFd<'_>) -> nix::Result<libc::termios> {
    let mut t = MaybeUninit::<libc::termios>::uninit();
    // SAFETY: tcgetattr writes one struct termios through the pointer, which points at `t`,
    // sized for it and writable for the call; `tty` is open for the call.
    let res = unsafe { libc::tcgetattr(tty.as_raw_fd(), t.as_mut_ptr()) };
    Errno::result(res)?;
    // SAFETY: tcgetattr succeeded, so it filled in the whole struct.
    Ok(unsafe { t.assume_init() })
}

fn set_termios(tty: BorrowedFd<'_>, t: &libc::termios) -> nix::Result<()> {
    // SAFETY: tcsetattr only reads the struct termios `t` points at, alive for the call;
    // `tty` is open for the call.
    let res = unsafe { libc::tcsetattr(tty.as_raw_fd(), libc::TCSANOW, t) };
    Errno::result(res).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::spawn::{self, Exit, Namespaces};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    /// Reads what `fd` has within `within`, until `want` shows up or time runs out.
    fn read_until(fd: BorrowedFd<'_>, want: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let mut got = Vec::new();
        while !String::from_utf8_lossy(&got).contains(want) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            let ms = u16::try_from(left.as_millis()).unwrap_or(u16::MAX);
            let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
            if poll(&mut fds, PollTimeout::from(ms)).unwrap() == 0 {
                break;
            }
            let mut buf = [0u8; 256];
            match nix::unistd::read(fd, &mut buf) {
                Ok(0) | Err(Errno::EIO) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(Errno::EAGAIN | Errno::EINTR) => {}
                Err(e) => panic!("read: {e}"),
            }
        }
        String::from_utf8_lossy(&got).into_owned()
    }

    /// fd 0, 1 or 2 in a forked child, without std::io's handles (which may allocate).
    fn std_fd(n: i32) -> BorrowedFd<'static> {
        assert!((0..=2).contains(&n));
        // SAFETY: only called in a child after `make_controlling` put the slave on fds 0-2,
        // which stay open until the child exits.
        unsafe { BorrowedFd::borrow_raw(n) }
    }

    fn winsize(rows: u16, cols: u16) -> libc::winsize {
        libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        }
    }

    fn size_of(fd: BorrowedFd<'_>) -> (u16, u16) {
        let ws = get_winsize(fd).unwrap();
        (ws.ws_row, ws.ws_col)
    }

    /// Runs `relay` on another thread, so a hang fails the test instead of blocking it.
    fn relay_in_thread(
        master: OwnedFd,
        stdin: Option<OwnedFd>,
        stdout: OwnedFd,
        stop: Option<OwnedFd>,
    ) -> mpsc::Receiver<Result<()>> {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let r = relay(
                &master,
                stdin.as_ref().map(AsFd::as_fd),
                stdout.as_fd(),
                None,
                stop.as_ref().map(AsFd::as_fd),
            );
            drop(stdout);
            let _ = tx.send(r);
        });
        rx
    }

    #[test]
    fn open_pty_gives_a_master_and_a_tty_slave() {
        let pty = open_pty().unwrap();
        assert!(nix::unistd::isatty(&pty.slave).unwrap());
        assert!(nix::unistd::isatty(&pty.master).unwrap());
        for fd in [&pty.master, &pty.slave] {
            let fdflags = nix::fcntl::fcntl(fd, FcntlArg::F_GETFD).unwrap();
            assert_ne!(fdflags & libc::FD_CLOEXEC, 0, "pty fds are close-on-exec");
        }
        // Where /dev/pts is the instance /dev/ptmx opened, the path names the same device.
        if let Ok(st) = nix::sys::stat::stat(&pty.slave_path()) {
            let fst = nix::sys::stat::fstat(&pty.slave).unwrap();
            assert_eq!(st.st_rdev, fst.st_rdev);
        }
    }

    #[test]
    fn the_path_fallback_opens_the_same_slave() {
        let pty = open_pty().unwrap();
        let flags = OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC;
        if !std::path::Path::new(&pty.slave_path()).exists() {
            return; // /dev/pts is some other devpts instance here
        }
        let by_path = open_slave_path(pty.number, flags).unwrap();
        let a = nix::sys::stat::fstat(&by_path).unwrap();
        let b = nix::sys::stat::fstat(&pty.slave).unwrap();
        assert_eq!(a.st_rdev, b.st_rdev);
        assert!(open_slave_path(pty.number + 100_000, flags).is_err());
    }

    #[test]
    fn slave_output_reaches_the_master_with_crlf() {
        let pty = open_pty().unwrap();
        write_all(pty.slave.as_fd(), b"hi\n").unwrap();
        let got = read_until(pty.master.as_fd(), "hi\r\n", Duration::from_secs(5));
        assert_eq!(got, "hi\r\n", "ONLCR turns \\n into \\r\\n");
    }

    #[test]
    fn relay_copies_child_output_until_the_child_is_gone() {
        let Pty { master, slave, .. } = open_pty().unwrap();
        let (out_rx, out_tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        // The test harness is multi-threaded: the child makes raw syscalls only, on buffers
        // made before the fork, and returns a number.
        let pid = spawn::spawn(&Namespaces::default(), None, || {
            if make_controlling(&slave).is_err() {
                return 10;
            }
            if !matches!(nix::unistd::isatty(std_fd(0)), Ok(true))
                || !matches!(nix::unistd::isatty(std_fd(2)), Ok(true))
            {
                return 11;
            }
            // Only a process with a controlling terminal can open /dev/tty.
            let tty = OFlag::O_RDWR | OFlag::O_CLOEXEC;
            if nix::fcntl::open("/dev/tty", tty, Mode::empty()).is_err() {
                return 12;
            }
            if write_all(std_fd(1), b"hello\n").is_err() {
                return 13;
            }
            0
        })
        .unwrap();
        drop(slave); // or the relay never sees the hang-up
        let done = relay_in_thread(master, None, out_tx, None);
        let result = done
            .recv_timeout(Duration::from_secs(10))
            .expect("relay ended");
        result.unwrap();
        assert_eq!(spawn::wait(pid).unwrap(), Exit::Code(0));
        let got = read_until(out_rx.as_fd(), "hello", Duration::from_secs(1));
        assert!(got.contains("hello\r\n"), "got {got:?}");
    }

    #[test]
    fn relay_feeds_stdin_and_outlives_its_eof() {
        let Pty { master, slave, .. } = open_pty().unwrap();
        let (out_rx, out_tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        let (in_rx, in_tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        let pid = spawn::spawn(&Namespaces::default(), None, || {
            if make_controlling(&slave).is_err() {
                return 10;
            }
            // Canonical mode: the read returns the line once the newline arrives.
            let mut line = [0u8; 64];
            let n = match nix::unistd::read(std_fd(0), &mut line) {
                Ok(n) => n,
                Err(_) => return 11,
            };
            if write_all(std_fd(1), b"got:").is_err() || write_all(std_fd(1), &line[..n]).is_err() {
                return 12;
            }
            0
        })
        .unwrap();
        drop(slave);
        write_all(in_tx.as_fd(), b"ping\n").unwrap();
        drop(in_tx); // EOF on stdin right away: the relay must go on for the output
        let done = relay_in_thread(master, Some(in_rx), out_tx, None);
        let result = done
            .recv_timeout(Duration::from_secs(10))
            .expect("relay ended");
        result.unwrap();
        assert_eq!(spawn::wait(pid).unwrap(), Exit::Code(0));
        let got = read_until(out_rx.as_fd(), "got:ping", Duration::from_secs(1));
        assert!(got.contains("got:ping\r\n"), "got {got:?}");
    }

    #[test]
    fn relay_ends_on_stop_even_with_the_slave_open() {
        let pty = open_pty().unwrap();
        let (out_rx, out_tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        let (stop_rx, stop_tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        write_all(pty.slave.as_fd(), b"last words\n").unwrap();
        // Wait until the line has reached the master, so the drain has it to copy.
        let mut fds = [PollFd::new(pty.master.as_fd(), PollFlags::POLLIN)];
        assert_eq!(poll(&mut fds, PollTimeout::from(5000u16)).unwrap(), 1);
        drop(stop_tx);
        let Pty { master, slave, .. } = pty;
        let done = relay_in_thread(master, None, out_tx, Some(stop_rx));
        let result = done
            .recv_timeout(Duration::from_secs(10))
            .expect("relay ended");
        result.unwrap();
        drop(slave);
        let got = read_until(out_rx.as_fd(), "last words", Duration::from_secs(1));
        assert!(got.contains("last words\r\n"), "got {got:?}");
    }

    #[test]
    fn relay_reports_a_closed_stdout() {
        let pty = open_pty().unwrap();
        let (out_rx, out_tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        drop(out_rx);
        write_all(pty.slave.as_fd(), b"nobody reads this\n").unwrap();
        let Pty { master, slave, .. } = pty;
        let done = relay_in_thread(master, None, out_tx, None);
        let err = done
            .recv_timeout(Duration::from_secs(10))
            .expect("relay ended")
            .unwrap_err();
        drop(slave);
        assert!(format!("{err:#}").contains("EPIPE"), "{err:#}");
    }

    #[test]
    fn relay_resizes_on_sigwinch() {
        use std::os::unix::thread::JoinHandleExt as _;
        let outer = open_pty().unwrap(); // the caller's terminal
        let inner = open_pty().unwrap(); // the container's
        set_winsize(outer.master.as_fd(), &winsize(30, 100)).unwrap();
        let (out_rx, out_tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        let (stop_rx, stop_tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        let Pty { master, slave, .. } = inner;
        let source = outer.slave.try_clone().unwrap();
        let thread = std::thread::spawn(move || {
            relay(
                &master,
                None,
                out_tx.as_fd(),
                Some(source.as_fd()),
                Some(stop_rx.as_fd()),
            )
        });
        let wait_for = |want: (u16, u16)| {
            let deadline = Instant::now() + Duration::from_secs(10);
            while size_of(slave.as_fd()) != want {
                assert!(Instant::now() < deadline, "size never became {want:?}");
                std::thread::sleep(Duration::from_millis(10));
            }
        };
        // The start-up copy happens once SIGWINCH is blocked and the signalfd is there.
        wait_for((30, 100));
        set_winsize(outer.master.as_fd(), &winsize(50, 132)).unwrap();
        // Thread-directed, so no other test thread can take it.
        // SAFETY: the thread has not been joined, so its pthread_t is valid; SIGWINCH is blocked
        // there, so it only queues for the relay's signalfd.
        let rc = unsafe { libc::pthread_kill(thread.as_pthread_t(), libc::SIGWINCH) };
        assert_eq!(rc, 0);
        wait_for((50, 132));
        drop(stop_tx);
        thread.join().unwrap().unwrap();
        drop(out_rx);
    }

    #[test]
    fn copy_winsize_round_trip() {
        let a = open_pty().unwrap();
        let b = open_pty().unwrap();
        set_winsize(a.master.as_fd(), &winsize(42, 123)).unwrap();
        copy_winsize(a.slave.as_fd(), b.master.as_fd()).unwrap();
        assert_eq!(size_of(b.slave.as_fd()), (42, 123));
        let (r, _w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        let err = copy_winsize(r.as_fd(), b.master.as_fd()).unwrap_err();
        assert!(format!("{err:#}").contains("TIOCGWINSZ"), "{err:#}");
    }

    fn flags_of(t: &libc::termios) -> (u32, u32, u32, u32, Vec<u8>) {
        (t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag, t.c_cc.to_vec())
    }

    #[test]
    fn raw_mode_changes_the_terminal_and_drop_restores_it() {
        let pty = open_pty().unwrap();
        let before = get_termios(pty.slave.as_fd()).unwrap();
        assert_ne!(
            before.c_lflag & libc::ICANON,
            0,
            "a new pty starts canonical"
        );
        {
            let _raw = RawMode::enable(pty.slave.as_fd()).unwrap().expect("a tty");
            let now = get_termios(pty.slave.as_fd()).unwrap();
            assert_eq!(now.c_lflag & (libc::ICANON | libc::ECHO | libc::ISIG), 0);
            assert_eq!(now.c_oflag & libc::OPOST, 0);
            assert_eq!(now.c_cc[libc::VMIN], 1);
        }
        let after = get_termios(pty.slave.as_fd()).unwrap();
        assert_eq!(flags_of(&after), flags_of(&before));
    }

    #[test]
    fn raw_mode_leaves_a_pipe_alone() {
        let (r, _w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        assert!(RawMode::enable(r.as_fd()).unwrap().is_none());
    }

    #[test]
    fn make_raw_matches_cfmakeraw() {
        let pty = open_pty().unwrap();
        let t = get_termios(pty.slave.as_fd()).unwrap();
        let mut ours = t;
        make_raw(&mut ours);
        let mut libcs = t;
        // SAFETY: cfmakeraw only edits the struct `libcs`, which is alive and writable.
        unsafe { libc::cfmakeraw(&mut libcs) };
        assert_eq!(flags_of(&ours), flags_of(&libcs));
    }
}
