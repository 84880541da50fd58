//! The container monitor's process mechanics: forking it off the CLI, its stdio, and the log.
//!
//! `run -d` forks the CLI once (DESIGN.md, process model): the child calls setsid, becomes the
//! container's monitor and parent, and reports "running" or the setup error over a pipe; the
//! CLI prints the id and exits. The monitor is the same binary, forked, not exec'd: nothing is
//! parsed or loaded twice.
//!
//! The monitor's own fds 0, 1 and 2 are made the container's stdio (a pipe, or /dev/null)
//! before the container is cloned, so the runtime's foreground code runs unchanged; once the
//! container runs, the monitor points its own 1 and 2 at /dev/null and a thread copies the
//! pipes into the log. The log is Docker's json-file format, one JSON object per line, rotated
//! by size (on by default, unlike Docker and Podman).

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use nix::fcntl::OFlag;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::error::{self, ErrorKind};

/// Which side of the fork this is.
pub enum Forked {
    /// The CLI: wait for the monitor's report.
    Cli(Report),
    /// The monitor: report to the CLI through this.
    Monitor(Reporter),
}

/// The CLI's end of the report pipe.
pub struct Report(OwnedFd);

/// The monitor's end of the report pipe.
pub struct Reporter(Option<OwnedFd>);

/// Forks the monitor. The caller must be single-threaded (it is the CLI, before any thread).
pub fn fork() -> Result<Forked> {
    let (rx, tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
    // SAFETY: the CLI is single-threaded here (documented contract), so the child may go on
    // running ordinary Rust code: no other thread can hold a lock the child would need.
    match unsafe { nix::unistd::fork() }.context("forking the container monitor")? {
        nix::unistd::ForkResult::Child => {
            drop(rx);
            // The monitor's threads share one heap: a second arena would stay mapped for
            // the container's whole life (see `memory`).
            super::memory::one_arena();
            nix::unistd::setsid().context("setsid")?;
            std::env::set_current_dir("/").context("chdir /")?;
            Ok(Forked::Monitor(Reporter(Some(tx))))
        }
        nix::unistd::ForkResult::Parent { .. } => {
            drop(tx);
            Ok(Forked::Cli(Report(rx)))
        }
    }
}

impl Report {
    /// Waits for the monitor to say the container runs; its setup error otherwise, with the
    /// exit code it implies (125, 126, 127).
    pub fn wait(self) -> Result<()> {
        let mut msg = String::new();
        File::from(self.0)
            .read_to_string(&mut msg)
            .context("reading the monitor's report")?;
        if msg == "ok" {
            return Ok(());
        }
        let Some((code, text)) = msg.split_once(':') else {
            bail!("the container monitor exited before the container started");
        };
        let text = text.to_string();
        Err(match code {
            "127" => anyhow::Error::new(ErrorKind::CommandNotFound(text)),
            "126" => anyhow::Error::new(ErrorKind::CommandNotExecutable(text)),
            _ => anyhow::anyhow!(text),
        })
    }
}

impl Reporter {
    /// Tells the CLI the container runs.
    pub fn ok(&mut self) {
        if let Some(fd) = self.0.take() {
            let _ = nix::unistd::write(&fd, b"ok");
        }
    }

    /// Tells the CLI why the container did not start.
    pub fn fail(&mut self, e: &anyhow::Error) {
        if let Some(fd) = self.0.take() {
            let (code, text) = match error::kind_of(e) {
                Some(k @ (ErrorKind::CommandNotFound(w) | ErrorKind::CommandNotExecutable(w))) => {
                    (k.exit_code(), w.clone())
                }
                _ => (125, format!("{e:#}")),
            };
            let _ = nix::unistd::write(&fd, format!("{code}:{text}").as_bytes());
        }
    }
}

/// The monitor's ends of the container's stdio.
pub struct Streams {
    stdout: OwnedFd,
    /// None with a terminal: the pty carries both streams.
    stderr: Option<OwnedFd>,
    /// The container's stdin (`-i`): what attached clients type goes here. Kept open, so the
    /// container's stdin never reaches EOF.
    stdin: Option<OwnedFd>,
    /// A foreground run's own stdout and stderr ([`tee_stdio`]): the output is copied there as
    /// it comes, besides the log.
    mirror: Option<(OwnedFd, OwnedFd)>,
    /// The container's terminal (`-t`): attached clients set its window size.
    terminal: Option<OwnedFd>,
}

impl Streams {
    /// Lets attached clients resize `terminal`, the container's pty master.
    pub fn resize(&mut self, terminal: OwnedFd) {
        self.terminal = Some(terminal);
    }
}

/// Puts back the stdout and stderr [`tee_stdio`] replaced, when dropped.
pub struct Restore {
    stdout: OwnedFd,
    stderr: Option<OwnedFd>,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = nix::unistd::dup2_stdout(&self.stdout);
        if let Some(e) = &self.stderr {
            let _ = nix::unistd::dup2_stderr(e);
        }
    }
}

/// A foreground run that keeps a log (not `--rm`): makes fd 1 (and fd 2 without a terminal,
/// which carries both streams) pipes the container inherits, and hands [`pump`] copies of the
/// caller's stdout and stderr to show the output on besides logging it, as `run -d` followed
/// by `attach` would. stdin is left as it is (so with `-t` the terminal's size and raw mode
/// come from there). Dropping the [`Restore`] puts the caller's fds back, after which the
/// pipes' only writers are the container's processes (the pump sees EOF when they are gone).
pub fn tee_stdio(tty: bool) -> Result<(Streams, Restore)> {
    let keep = |fd: std::os::fd::BorrowedFd<'_>| -> Result<OwnedFd> {
        fd.try_clone_to_owned().context("duplicating stdio")
    };
    let restore = Restore {
        stdout: keep(std::io::stdout().as_fd())?,
        stderr: (!tty)
            .then(|| keep(std::io::stderr().as_fd()))
            .transpose()?,
    };
    let mirror = (
        keep(std::io::stdout().as_fd())?,
        keep(std::io::stderr().as_fd())?,
    );
    let (out_r, out_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
    let stderr = if tty {
        None
    } else {
        let (err_r, err_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
        nix::unistd::dup2_stderr(&err_w).context("dup2")?;
        Some(err_r)
    };
    nix::unistd::dup2_stdout(&out_w).context("dup2")?;
    Ok((
        Streams {
            stdout: out_r,
            stderr,
            stdin: None,
            mirror: Some(mirror),
            terminal: None,
        },
        restore,
    ))
}

/// Makes the monitor's fds 0, 1 and 2 the container's stdio: pipes for stdout and stderr (one
/// with a terminal, which merges them), stdin a pipe kept open with `-i`, else /dev/null.
pub fn redirect_stdio(tty: bool, interactive: bool) -> Result<Streams> {
    let null = nix::fcntl::open(
        "/dev/null",
        OFlag::O_RDWR | OFlag::O_CLOEXEC,
        nix::sys::stat::Mode::empty(),
    )
    .context("opening /dev/null")?;
    let stdin = if interactive {
        let (r, w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
        nix::unistd::dup2_stdin(&r).context("dup2")?;
        Some(w)
    } else {
        nix::unistd::dup2_stdin(&null).context("dup2")?;
        None
    };
    let (out_r, out_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
    nix::unistd::dup2_stdout(&out_w).context("dup2")?;
    let stderr = if tty {
        nix::unistd::dup2_stderr(&null).context("dup2")?;
        None
    } else {
        let (err_r, err_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
        nix::unistd::dup2_stderr(&err_w).context("dup2")?;
        Some(err_r)
    };
    Ok(Streams {
        stdout: out_r,
        stderr,
        stdin,
        mirror: None,
        terminal: None,
    })
}

/// Points the monitor's own stdout and stderr at /dev/null, so that the pipes' only writers
/// are the container's processes and the log sees EOF when they are gone.
pub fn silence_stdio() -> Result<()> {
    let null = nix::fcntl::open(
        "/dev/null",
        OFlag::O_WRONLY | OFlag::O_CLOEXEC,
        nix::sys::stat::Mode::empty(),
    )
    .context("opening /dev/null")?;
    nix::unistd::dup2_stdout(&null).context("dup2")?;
    nix::unistd::dup2_stderr(&null).context("dup2")?;
    Ok(())
}

/// Log rotation: `max_size` bytes per file, `max_files` files in all (ctr.log, ctr.log.1, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    pub max_size: u64,
    pub max_files: u32,
}

/// berth's default: 10 MB × 3. Docker and Podman leave logs unbounded.
pub const DEFAULT_ROTATION: Rotation = Rotation {
    max_size: 10 * 1000 * 1000,
    max_files: 3,
};

/// Docker splits a line longer than this into several entries.
const MAX_ENTRY: usize = 16 * 1024;

/// Writes json-file entries to `path`, rotating by size.
pub struct LogWriter {
    path: PathBuf,
    file: File,
    size: u64,
    rotation: Rotation,
}

impl LogWriter {
    pub fn open(path: &Path, rotation: Rotation) -> Result<LogWriter> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening the log {}", path.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(LogWriter {
            path: path.to_path_buf(),
            file,
            size,
            rotation,
        })
    }

    /// Appends one entry: `text` (a line with its newline, or a partial line) from `stream`.
    pub fn write(&mut self, stream: &str, text: &[u8]) -> Result<()> {
        let line = log_line(stream, text, std::time::SystemTime::now());
        if self.size > 0 && self.size + line.len() as u64 > self.rotation.max_size {
            self.rotate()?;
        }
        self.file
            .write_all(&line)
            .with_context(|| format!("writing the log {}", self.path.display()))?;
        self.size += line.len() as u64;
        Ok(())
    }

    fn rotate(&mut self) -> Result<()> {
        let numbered = |n: u32| PathBuf::from(format!("{}.{n}", self.path.display()));
        if self.rotation.max_files <= 1 {
            self.file.set_len(0)?;
            self.size = 0;
            return Ok(());
        }
        for n in (1..self.rotation.max_files - 1).rev() {
            let _ = std::fs::rename(numbered(n), numbered(n + 1));
        }
        std::fs::rename(&self.path, numbered(1))
            .with_context(|| format!("rotating the log {}", self.path.display()))?;
        *self = LogWriter::open(&self.path, self.rotation)?;
        Ok(())
    }
}

/// One json-file line, `{"log":…,"stream":…,"time":…}` and a newline, as serde_json would
/// write it (invalid UTF-8 replaced by U+FFFD; the time in RFC 3339 UTC with nanoseconds).
/// Written by hand: this runs for every line a container prints for as long as it runs, and a
/// small, self-contained path keeps the monitor's mapped code (its memory) small.
fn log_line(stream: &str, text: &[u8], now: std::time::SystemTime) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 80);
    out.extend_from_slice(b"{\"log\":\"");
    for chunk in text.utf8_chunks() {
        json_escape(chunk.valid(), &mut out);
        if !chunk.invalid().is_empty() {
            out.extend_from_slice("\u{fffd}".as_bytes());
        }
    }
    out.extend_from_slice(b"\",\"stream\":\"");
    json_escape(stream, &mut out);
    out.extend_from_slice(b"\",\"time\":\"");
    rfc3339_nanos(now, &mut out);
    out.extend_from_slice(b"\"}\n");
    out
}

/// Appends `s` escaped for a JSON string, as serde_json escapes.
fn json_escape(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in s.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            0..=0x1f => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
            _ => out.push(b),
        }
    }
}

/// Appends `t` as `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (times before 1970 as 1970).
fn rfc3339_nanos(t: std::time::SystemTime, out: &mut Vec<u8>) {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    let parts = [
        (None, year, 4),
        (Some(b'-'), month, 2),
        (Some(b'-'), day, 2),
        (Some(b'T'), rem / 3600, 2),
        (Some(b':'), rem % 3600 / 60, 2),
        (Some(b':'), rem % 60, 2),
        (Some(b'.'), u64::from(d.subsec_nanos()), 9),
    ];
    for (sep, n, width) in parts {
        out.extend(sep);
        let digits = n.to_string();
        out.extend(std::iter::repeat_n(b'0', width - digits.len().min(width)));
        out.extend_from_slice(digits.as_bytes());
    }
    out.push(b'Z');
}

/// Frame tags on the attach socket: each frame is the tag, a big-endian u32 length, the bytes.
/// From the monitor: the container's stdout and stderr.
pub const FRAME_STDOUT: u8 = 1;
pub const FRAME_STDERR: u8 = 2;
/// From a client: bytes for the container's stdin.
pub const FRAME_STDIN: u8 = 0;
/// From a client: its terminal's size, rows then columns as big-endian u16s.
pub const FRAME_RESIZE: u8 = 3;
/// The most a client's frame may hold (a client sends what it read from its stdin, 64 KiB at
/// a time).
const MAX_CLIENT_FRAME: usize = 1 << 20;

/// How long the monitor waits on an attached client that does not read before dropping it,
/// so that a stuck client cannot stall the log.
const CLIENT_SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Listens on `path` (a unix socket in the run dir) for `attach` clients; a stale socket left
/// by an earlier run is replaced.
pub fn listen(path: &Path) -> Result<UnixListener> {
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("creating {}", dir.display()))?;
    }
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("removing the stale {}", path.display()));
        }
        _ => {}
    }
    let l = UnixListener::bind(path)
        .with_context(|| format!("listening on the attach socket {}", path.display()))?;
    l.set_nonblocking(true).context("attach socket")?;
    Ok(l)
}

/// Copies the container's output into `log` and to every client attached through `listener`,
/// until every writer is gone; what clients send goes to the container's stdin (`-i`). Log
/// lines are entries; a line longer than 16 KiB is split, and a last line without a newline is
/// kept as is.
pub fn pump(streams: Streams, mut log: Option<LogWriter>, listener: Option<UnixListener>) {
    let mut sources: Vec<(OwnedFd, &str, Vec<u8>)> = vec![(streams.stdout, "stdout", Vec::new())];
    if let Some(e) = streams.stderr {
        sources.push((e, "stderr", Vec::new()));
    }
    let stdin = streams.stdin;
    let mirror = streams.mirror;
    if let Some(fd) = &stdin {
        // Input nobody reads is dropped rather than blocking the log.
        let _ = nix::fcntl::fcntl(fd, nix::fcntl::FcntlArg::F_SETFL(OFlag::O_NONBLOCK));
    }
    let streams_terminal = streams.terminal;
    let mut clients: Vec<Client> = Vec::new();
    let mut emit = |stream: &str, text: &[u8]| {
        if let Some(l) = &mut log
            && let Err(e) = l.write(stream, text)
        {
            log::warn!("{e:#}");
        }
    };
    // One log entry's worth: a bigger buffer would be zeroed, and so kept, for as long as the
    // container runs, in every monitor.
    let mut buf = vec![0u8; MAX_ENTRY];
    // Once the start is over, what it touched is given back (see `memory`): after the first
    // quiet second, or after a few seconds of steady output.
    let started = std::time::Instant::now();
    // A foreground CLI goes on after its container: nothing to give back there.
    let mut shed = mirror.is_some();
    while !sources.is_empty() {
        if !shed && started.elapsed() > std::time::Duration::from_secs(3) {
            super::memory::shed();
            shed = true;
        }
        let mut fds: Vec<PollFd<'_>> = sources
            .iter()
            .map(|(fd, _, _)| PollFd::new(fd.as_fd(), PollFlags::POLLIN))
            .collect();
        if let Some(l) = &listener {
            fds.push(PollFd::new(l.as_fd(), PollFlags::POLLIN));
        }
        fds.extend(
            clients
                .iter()
                .map(|c| PollFd::new(c.sock.as_fd(), PollFlags::POLLIN)),
        );
        let timeout = if shed {
            PollTimeout::NONE
        } else {
            PollTimeout::from(1000u16)
        };
        match poll(&mut fds, timeout) {
            Ok(0) if !shed => {
                super::memory::shed();
                shed = true;
            }
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(_) => return,
        }
        let ready: Vec<bool> = fds
            .iter()
            .map(|f| f.revents().is_some_and(|r| !r.is_empty()))
            .collect();
        drop(fds);
        let (src_ready, rest) = ready.split_at(sources.len());
        let (listen_ready, client_ready) = rest.split_at(usize::from(listener.is_some()));
        // Clients first: one that has gone is not written to.
        let mut gone = Vec::new();
        for (i, c) in clients.iter_mut().enumerate() {
            if !client_ready[i] {
                continue;
            }
            match c.sock.read(&mut buf) {
                Ok(0) | Err(_) => gone.push(i),
                Ok(n) => {
                    c.input.extend_from_slice(&buf[..n]);
                    while let Some((tag, data)) = take_frame(&mut c.input) {
                        match tag {
                            FRAME_STDIN => {
                                if let Some(fd) = &stdin
                                    && nix::unistd::write(fd, &data).is_err()
                                {
                                    log::debug!(
                                        "attach: the container's stdin is full; input dropped"
                                    );
                                }
                            }
                            FRAME_RESIZE => {
                                if let (Some(t), [r0, r1, c0, c1]) =
                                    (&streams_terminal, data.as_slice())
                                {
                                    let rows = u16::from_be_bytes([*r0, *r1]);
                                    let cols = u16::from_be_bytes([*c0, *c1]);
                                    if let Err(e) =
                                        super::tty::set_window_size(t.as_fd(), rows, cols)
                                    {
                                        log::debug!("attach: {e:#}");
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    // No frame is that long: a client that claims one is dropped.
                    if c.input.len() > MAX_CLIENT_FRAME {
                        gone.push(i);
                    }
                }
            }
        }
        for i in gone.into_iter().rev() {
            clients.remove(i);
        }
        if listen_ready.first() == Some(&true)
            && let Some(l) = &listener
        {
            while let Ok((c, _)) = l.accept() {
                if c.set_nonblocking(false).is_ok()
                    && c.set_write_timeout(Some(CLIENT_SEND_TIMEOUT)).is_ok()
                {
                    clients.push(Client {
                        sock: c,
                        input: Vec::new(),
                    });
                }
            }
        }
        let mut closed = Vec::new();
        for (i, (fd, stream, pending)) in sources.iter_mut().enumerate() {
            if !src_ready[i] {
                continue;
            }
            match nix::unistd::read(&*fd, &mut buf) {
                Ok(0) | Err(_) => {
                    if !pending.is_empty() {
                        emit(stream, pending);
                        pending.clear();
                    }
                    closed.push(i);
                }
                Ok(n) => {
                    let tag = if *stream == "stderr" {
                        FRAME_STDERR
                    } else {
                        FRAME_STDOUT
                    };
                    send_frame(&mut clients, tag, &buf[..n]);
                    if let Some((out, err)) = &mirror {
                        let to = if tag == FRAME_STDERR { err } else { out };
                        // The caller's terminal or pipe gone: the log goes on regardless.
                        let _ = write_all(to.as_fd(), &buf[..n]);
                    }
                    pending.extend_from_slice(&buf[..n]);
                    let mut start = 0;
                    while let Some(nl) = pending[start..].iter().position(|&b| b == b'\n') {
                        let end = start + nl + 1;
                        for chunk in pending[start..end].chunks(MAX_ENTRY) {
                            emit(stream, chunk);
                        }
                        start = end;
                    }
                    pending.drain(..start);
                    while pending.len() >= MAX_ENTRY {
                        let chunk: Vec<u8> = pending.drain(..MAX_ENTRY).collect();
                        emit(stream, &chunk);
                    }
                }
            }
        }
        for i in closed.into_iter().rev() {
            sources.remove(i);
        }
    }
}

/// Writes all of `data` to `fd`, waiting as a blocking write does.
fn write_all(fd: std::os::fd::BorrowedFd<'_>, mut data: &[u8]) -> nix::Result<()> {
    while !data.is_empty() {
        match nix::unistd::write(fd, data) {
            Ok(n) => data = &data[n..],
            Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Sends one frame to every client, dropping those that fail or stall.
fn send_frame(clients: &mut Vec<Client>, tag: u8, data: &[u8]) {
    if clients.is_empty() {
        return;
    }
    let frame = frame(tag, data);
    clients.retain_mut(|c| c.sock.write_all(&frame).is_ok());
}

/// One attached client, and what it sent that does not make a whole frame yet.
struct Client {
    sock: UnixStream,
    input: Vec<u8>,
}

/// A frame: `tag`, the length of `data` as a big-endian u32, `data`.
fn frame(tag: u8, data: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(data.len() + 5);
    frame.push(tag);
    frame.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    frame.extend_from_slice(data);
    frame
}

/// Takes the first whole frame off the front of `buf`: its tag and bytes.
fn take_frame(buf: &mut Vec<u8>) -> Option<(u8, Vec<u8>)> {
    let len = u32::from_be_bytes(buf.get(1..5)?.try_into().ok()?) as usize;
    let data = buf.get(5..5usize.checked_add(len)?)?.to_vec();
    let tag = buf[0];
    buf.drain(..5 + len);
    Some((tag, data))
}

/// The attaching side's options.
pub struct AttachClient {
    /// Send our stdin to the container.
    pub stdin: bool,
    /// The byte sequence that detaches (empty: none).
    pub detach_keys: Vec<u8>,
    /// Forward SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 to the container's process
    /// through this pidfd (`--sig-proxy`, without a terminal).
    pub proxy: Option<OwnedFd>,
    /// The container has a terminal: put ours in raw mode while attached.
    pub tty: bool,
}

/// How an attach ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attached {
    /// The user typed the detach keys; the container runs on.
    Detached,
    /// The container's output ended: it exited.
    Ended,
}

/// Parses `--detach-keys` as Docker does: comma-separated keys, each `ctrl-X` (X a letter or
/// one of `@[\\]^_`) or a single character. The empty string turns detaching off.
pub fn parse_detach_keys(s: &str) -> Result<Vec<u8>> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    s.split(',')
        .map(|k| {
            let bad = || error::invalid(format!("invalid --detach-keys {s:?}: bad key {k:?}"));
            match k.strip_prefix("ctrl-") {
                Some(c) if c.len() == 1 => {
                    let b = c.as_bytes()[0].to_ascii_uppercase();
                    match b {
                        b'@'..=b'_' => Ok(b - b'@'),
                        _ => Err(bad()),
                    }
                }
                Some(_) => Err(bad()),
                None if k.len() == 1 && k.is_ascii() => Ok(k.as_bytes()[0]),
                None => Err(bad()),
            }
        })
        .collect()
}

/// Attaches the caller's stdio to a container's monitor at `socket` until the container ends
/// or the user detaches. The caller must not have other threads (signals are blocked for the
/// proxy's signalfd).
pub fn attach(socket: &Path, opts: AttachClient) -> Result<Attached> {
    let mut sock = UnixStream::connect(socket)
        .with_context(|| format!("connecting to the monitor at {}", socket.display()))?;
    let stdin = std::io::stdin();
    let raw = if opts.tty && opts.stdin {
        crate::runtime::tty::RawMode::enable(stdin.as_fd())?
    } else {
        None
    };
    // Signals read from a signalfd: those --sig-proxy forwards (without a terminal), and
    // SIGWINCH with one (the container's terminal follows our window's size).
    let mut set = nix::sys::signal::SigSet::empty();
    if opts.proxy.is_some() && !opts.tty {
        for sig in crate::runtime::container::FORWARDED {
            set.add(sig);
        }
    }
    let size_source = if opts.tty {
        set.add(nix::sys::signal::Signal::SIGWINCH);
        crate::runtime::container::terminal_size_source(
            std::io::stdout().as_fd(),
            std::io::stdin().as_fd(),
        )
        .and_then(|fd| fd.try_clone_to_owned().ok())
    } else {
        None
    };
    let send_size = |sock: &mut UnixStream| -> std::io::Result<()> {
        match size_source
            .as_ref()
            .map(|t| crate::runtime::tty::window_size(t.as_fd()))
        {
            Some(Ok((rows, cols))) => {
                let mut size = rows.to_be_bytes().to_vec();
                size.extend_from_slice(&cols.to_be_bytes());
                sock.write_all(&frame(FRAME_RESIZE, &size))
            }
            _ => Ok(()),
        }
    };
    let signals = if set.iter().next().is_some() {
        set.thread_block().context("blocking signals")?;
        Some(
            nix::sys::signalfd::SignalFd::with_flags(
                &set,
                nix::sys::signalfd::SfdFlags::SFD_CLOEXEC
                    | nix::sys::signalfd::SfdFlags::SFD_NONBLOCK,
            )
            .context("signalfd")?,
        )
    } else {
        None
    };
    // The container's terminal takes our size as we attach, as Docker's does.
    let _ = send_size(&mut sock);
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let mut read_stdin = opts.stdin;
    // Bytes of a possible detach sequence held back until it completes or breaks.
    let mut held: Vec<u8> = Vec::new();
    let mut frames: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let result = loop {
        let mut fds = vec![PollFd::new(sock.as_fd(), PollFlags::POLLIN)];
        if read_stdin {
            fds.push(PollFd::new(stdin.as_fd(), PollFlags::POLLIN));
        }
        if let Some(sfd) = &signals {
            fds.push(PollFd::new(sfd.as_fd(), PollFlags::POLLIN));
        }
        match poll(&mut fds, PollTimeout::NONE) {
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(e) => break Err(anyhow::Error::from(e).context("attach: poll")),
        }
        let ready: Vec<bool> = fds
            .iter()
            .map(|f| f.revents().is_some_and(|r| !r.is_empty()))
            .collect();
        drop(fds);
        if let Some(sfd) = &signals
            && ready.last() == Some(&true)
        {
            while let Ok(Some(info)) = sfd.read_signal() {
                if info.ssi_signo == libc::SIGWINCH as u32 {
                    let _ = send_size(&mut sock);
                } else if let Some(p) = &opts.proxy {
                    let _ = crate::runtime::sys::pidfd_send_signal(
                        p.as_fd(),
                        i32::try_from(info.ssi_signo).unwrap_or(0),
                    );
                }
            }
        }
        if read_stdin && ready[1] {
            match nix::unistd::read(&stdin, &mut buf) {
                // EOF: nothing more to send; the output still comes until the container ends.
                Ok(0) | Err(_) => read_stdin = false,
                Ok(n) => {
                    let mut send = Vec::with_capacity(n);
                    let mut detached = false;
                    for &b in &buf[..n] {
                        if opts.detach_keys.is_empty() {
                            send.push(b);
                            continue;
                        }
                        held.push(b);
                        if opts.detach_keys.starts_with(&held) {
                            if held.len() == opts.detach_keys.len() {
                                detached = true;
                                break;
                            }
                        } else {
                            send.append(&mut held);
                        }
                    }
                    if !send.is_empty() && sock.write_all(&frame(FRAME_STDIN, &send)).is_err() {
                        read_stdin = false;
                    }
                    if detached {
                        break Ok(Attached::Detached);
                    }
                }
            }
        }
        if ready[0] {
            match sock.read(&mut buf) {
                Ok(0) | Err(_) => break Ok(Attached::Ended),
                Ok(n) => {
                    frames.extend_from_slice(&buf[..n]);
                    while frames.len() >= 5 {
                        let len = u32::from_be_bytes([frames[1], frames[2], frames[3], frames[4]])
                            as usize;
                        if frames.len() < 5 + len {
                            break;
                        }
                        let data = &frames[5..5 + len];
                        let w = if frames[0] == FRAME_STDERR {
                            err.write_all(data).and_then(|()| err.flush())
                        } else {
                            out.write_all(data).and_then(|()| out.flush())
                        };
                        if let Err(e) = w {
                            return Err(anyhow::Error::from(e).context("writing the output"));
                        }
                        frames.drain(..5 + len);
                    }
                }
            }
        }
    };
    drop(raw);
    result
}

#[cfg(test)]
mod tests {

    #[test]
    fn log_lines_are_what_serde_json_and_chrono_would_write() {
        let times = [
            0u64,
            951_782_400,
            1_700_000_000,
            4_102_444_800,
            253_402_300_799,
        ];
        let texts: [&[u8]; 6] = [
            b"hello\n",
            b"",
            b"quote \" back\\slash \t tab \x01\x1f \x7f \r\n",
            "\u{e9}t\u{e9} \u{1f600} <&>\n".as_bytes(),
            b"bad \xff\xfe utf8 \xe2\x82\n",
            b"\x08\x0c",
        ];
        for secs in times {
            for nanos in [0u32, 1, 123_456_789, 999_999_999] {
                let t = std::time::UNIX_EPOCH + std::time::Duration::new(secs, nanos);
                for text in texts {
                    let want = serde_json::json!({
                        "log": String::from_utf8_lossy(text),
                        "stream": "stderr",
                        "time": chrono::DateTime::<chrono::Utc>::from(t)
                            .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
                    });
                    let mut want = serde_json::to_vec(&want).unwrap();
                    want.push(b'\n');
                    assert_eq!(
                        String::from_utf8_lossy(&log_line("stderr", text, t)),
                        String::from_utf8_lossy(&want),
                        "{secs}.{nanos} {text:?}"
                    );
                }
            }
        }
    }

    use super::*;

    fn entries(path: &Path) -> Vec<serde_json::Value> {
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn the_log_rotates_by_size_and_keeps_max_files() {
        let t = tempfile::tempdir().unwrap();
        let path = t.path().join("ctr.log");
        let rotation = Rotation {
            max_size: 300,
            max_files: 3,
        };
        let mut w = LogWriter::open(&path, rotation).unwrap();
        for i in 0..40 {
            w.write("stdout", format!("line {i}\n").as_bytes()).unwrap();
        }
        let mut names: Vec<String> = std::fs::read_dir(t.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["ctr.log", "ctr.log.1", "ctr.log.2"]);
        for n in &names {
            let len = std::fs::metadata(t.path().join(n)).unwrap().len();
            assert!(len <= 300, "{n} is {len} bytes");
        }
        let last = entries(&path);
        assert_eq!(last.last().unwrap()["log"], "line 39\n");
        assert_eq!(last[0]["stream"], "stdout");
        // The rotated files hold the lines just before, in order.
        let prev = entries(&t.path().join("ctr.log.1"));
        let first_now = last[0]["log"].as_str().unwrap().to_string();
        let last_prev = prev.last().unwrap()["log"].as_str().unwrap().to_string();
        let num = |s: &str| s.trim().trim_start_matches("line ").parse::<u32>().unwrap();
        assert_eq!(num(&last_prev) + 1, num(&first_now));
    }

    #[test]
    fn pump_splits_lines_and_keeps_streams_apart() {
        let t = tempfile::tempdir().unwrap();
        let path = t.path().join("ctr.log");
        let (out_r, out_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        let (err_r, err_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        // A foreground run's own stdout and stderr get the bytes as they came.
        let (mout_r, mout_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        let (merr_r, merr_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        let streams = Streams {
            stdout: out_r,
            stderr: Some(err_r),
            stdin: None,
            mirror: Some((mout_w, merr_w)),
            terminal: None,
        };
        let long = "x".repeat(MAX_ENTRY + 10);
        nix::unistd::write(&out_w, b"one\ntw").unwrap();
        nix::unistd::write(&out_w, b"o\n").unwrap();
        nix::unistd::write(&err_w, b"oops\n").unwrap();
        nix::unistd::write(&out_w, long.as_bytes()).unwrap();
        nix::unistd::write(&out_w, b"\nlast").unwrap();
        drop((out_w, err_w));
        pump(
            streams,
            Some(LogWriter::open(&path, DEFAULT_ROTATION).unwrap()),
            None,
        );
        let got: Vec<(String, String)> = entries(&path)
            .iter()
            .map(|e| {
                (
                    e["stream"].as_str().unwrap().to_string(),
                    e["log"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let out: Vec<&str> = got
            .iter()
            .filter(|(s, _)| s == "stdout")
            .map(|(_, l)| l.as_str())
            .collect();
        assert_eq!(out[0], "one\n");
        assert_eq!(out[1], "two\n");
        assert_eq!(out[2].len(), MAX_ENTRY);
        assert_eq!(out[3], "xxxxxxxxxx\n");
        assert_eq!(out[4], "last");
        assert_eq!(out.len(), 5);
        assert!(got.contains(&("stderr".to_string(), "oops\n".to_string())));
        let read_all = |fd: OwnedFd| {
            let mut s = String::new();
            File::from(fd).read_to_string(&mut s).unwrap();
            s
        };
        assert_eq!(read_all(mout_r), format!("one\ntwo\n{long}\nlast"));
        assert_eq!(read_all(merr_r), "oops\n");
    }

    #[test]
    fn detach_keys_parse_as_docker() {
        assert_eq!(parse_detach_keys("ctrl-p,ctrl-q").unwrap(), [16, 17]);
        assert_eq!(parse_detach_keys("ctrl-a,x").unwrap(), [1, b'x']);
        assert_eq!(parse_detach_keys("ctrl-@,ctrl-_").unwrap(), [0, 31]);
        assert!(parse_detach_keys("").unwrap().is_empty());
        for bad in ["ctrl-", "ctrl-pp", "ab", "ctrl-1", "é"] {
            assert!(parse_detach_keys(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pump_serves_attached_clients() {
        let t = tempfile::tempdir().unwrap();
        let sock = t.path().join("a/sock");
        let listener = listen(&sock).unwrap();
        let (out_r, out_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        let (in_r, in_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
        let pty = crate::runtime::tty::open_pty().unwrap();
        let mut streams = Streams {
            stdout: out_r,
            stderr: None,
            stdin: Some(in_w),
            mirror: None,
            terminal: None,
        };
        streams.resize(pty.master.try_clone().unwrap());
        let pumping = std::thread::spawn(move || pump(streams, None, Some(listener)));
        let mut client = UnixStream::connect(&sock).unwrap();
        // Input frames arrive whole however the bytes are split; a resize frame sets the
        // terminal's size.
        let mut sent = frame(FRAME_STDIN, b"ty");
        sent.extend(frame(FRAME_RESIZE, &[0, 33, 0, 91]));
        sent.extend(frame(FRAME_STDIN, b"ped"));
        let (a, b) = sent.split_at(9);
        client.write_all(a).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        client.write_all(b).unwrap();
        let mut typed = [0u8; 5];
        File::from(in_r).read_exact(&mut typed).unwrap();
        assert_eq!(&typed, b"typed");
        assert_eq!(
            crate::runtime::tty::window_size(pty.slave.as_fd()).unwrap(),
            (33, 91)
        );
        // Accepted (its input arrived), so it gets the output as a frame.
        nix::unistd::write(&out_w, b"hello\n").unwrap();
        drop(out_w);
        let mut got = Vec::new();
        client.read_to_end(&mut got).unwrap();
        assert_eq!(got, b"\x01\x00\x00\x00\x06hello\n");
        pumping.join().unwrap();
    }
}
