//! The lifecycle verbs of a container that exists: `stop`, `kill`, `restart`, `wait`,
//! `pause`, `unpause`, `attach`.
//!
//! Each acts on every target and reports one result per target (STYLE.md 5). A signal goes
//! to the recorded container process through a pidfd opened and then checked against the
//! recorded start time (I11), so a recycled pid is never signalled. `stop`, `rm -f` and the
//! `kill`s that Docker counts as a user's stop record `stopped_by_user` in the state, under the
//! container's lock, before signalling: the monitor reads it when the process ends and does
//! not apply the restart policy (the rule is spelt out on `ops::container::run_loop`). No lock
//! is held while waiting for a process or a state change (I10).

use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use nix::poll::{PollFd, PollFlags, PollTimeout};
use nix::sys::signal::Signal;

use super::container::{Detached, attach_socket, now, start_background};
use super::ps::EXIT_UNKNOWN;
use crate::context::Context;
use crate::error;
use crate::runtime::{freezer, monitor, sys};
use crate::storage::Store;
use crate::storage::container::{
    self as records, ContainerConfig, ContainerDirs, ContainerId, ContainerState, Status,
};

/// Docker's default for `stop -t` and `--stop-timeout`.
pub const DEFAULT_STOP_TIMEOUT: i64 = 10;

/// How long a verb waits for a SIGKILLed process to go, and for its monitor to record the end.
const SETTLE: Duration = Duration::from_secs(10);

/// Parses a signal as Docker does: a name with or without `SIG`, any case (`SIGHUP`, `hup`),
/// or a number from 1 to 64.
pub fn parse_signal(s: &str) -> Result<i32> {
    let bad = || {
        error::invalid(format!(
            "invalid signal {s:?}: use a name such as SIGTERM or TERM, or a number from 1 to 64"
        ))
    };
    let t = s.trim();
    if let Ok(n) = t.parse::<i64>() {
        return match i32::try_from(n) {
            Ok(n @ 1..=64) => Ok(n),
            _ => Err(bad()),
        };
    }
    let upper = t.to_ascii_uppercase();
    let name = if upper.starts_with("SIG") {
        upper
    } else {
        format!("SIG{upper}")
    };
    name.parse::<Signal>().map(|s| s as i32).map_err(|_| bad())
}

/// The name of signal `n` (`SIGTERM`), or its number for signals without one (real-time).
pub fn signal_name(n: i32) -> String {
    Signal::try_from(n).map_or_else(|_| n.to_string(), |s| s.as_str().to_string())
}

/// Options for [`stop`].
#[derive(Debug, Default)]
pub struct StopOptions {
    pub targets: Vec<String>,
    /// Seconds to wait after the stop signal before SIGKILL; None: the container's
    /// `--stop-timeout`, else 10. Negative: wait forever.
    pub timeout: Option<i64>,
}

/// Stops containers: the stop signal (`--stop-signal`, the image's STOPSIGNAL, else SIGTERM),
/// then SIGKILL after the timeout; returns once the end is recorded. A container that is not
/// running is left as it is (success, as Docker); a restarting one stops restarting. One
/// result per target, the target as given on success.
pub fn stop(ctx: &Context, opts: &StopOptions) -> Result<Vec<Result<String>>> {
    let store = Store::open(ctx)?;
    Ok(opts
        .targets
        .iter()
        .map(|t| stop_one(ctx, &store, t, opts.timeout).map(|()| t.clone()))
        .collect())
}

fn stop_one(ctx: &Context, store: &Store, target: &str, timeout: Option<i64>) -> Result<()> {
    let dirs = store.containers();
    let id = dirs.resolve(target)?;
    let config = dirs.read_config(&id)?;
    let boot = records::boot_id();
    let pidfd = {
        let _lock = dirs.lock(&id)?;
        let mut state = dirs.read_state(&id);
        match state.status {
            Status::Running if state.is_alive(&boot) => {
                state.stopped_by_user = true;
                dirs.write_state(&id, &state)?;
                // Signalled under the lock (no waiting here): a paused container is thawed
                // right after, so it can act on the signal, as Docker does.
                let pidfd = signal_process(&state, stop_signal(&config)?)?;
                thaw_if_paused(&dirs, &id, &mut state)?;
                pidfd
            }
            Status::Restarting | Status::Running if !state.is_active(&boot) => {
                // Its monitor died (I12): record the end it could not, and undo its network.
                super::net_reconcile::release_locked(ctx, store, &id, &config);
                reconcile(&dirs, &id, state)?;
                return Ok(());
            }
            Status::Restarting => {
                // No process now; the monitor sees this and exits.
                state.status = Status::Exited;
                state.stopped_by_user = true;
                dirs.write_state(&id, &state)?;
                return Ok(());
            }
            // Running but its process is gone: the monitor is recording the exit.
            Status::Running => None,
            Status::Created | Status::Exited => return Ok(()),
        }
    };
    if let Some(pidfd) = pidfd {
        let timeout = timeout
            .or(config.stop_timeout)
            .unwrap_or(DEFAULT_STOP_TIMEOUT);
        let grace = u64::try_from(timeout).ok().map(Duration::from_secs);
        if !wait_exit(&pidfd, grace)? {
            match sys::pidfd_send_signal(pidfd.as_fd(), libc::SIGKILL) {
                Ok(()) | Err(nix::errno::Errno::ESRCH) => {}
                Err(e) => {
                    return Err(e).with_context(|| format!("killing container {}", config.name));
                }
            }
            if !wait_exit(&pidfd, Some(SETTLE))? {
                bail!(
                    "container {} did not exit within {} s of SIGKILL",
                    config.name,
                    SETTLE.as_secs()
                );
            }
        }
        settle(&dirs, &id);
        super::container_event(ctx, "stop", &id, &config, &[]);
        return Ok(());
    }
    settle(&dirs, &id);
    Ok(())
}

/// Thaws a paused container and records it (the caller holds the container's lock).
fn thaw_if_paused(
    dirs: &ContainerDirs,
    id: &ContainerId,
    state: &mut ContainerState,
) -> Result<()> {
    if !state.paused {
        return Ok(());
    }
    // Recorded while it is still frozen: once thawed, a container that was sent SIGKILL dies
    // at once, and a --rm one is removed by its monitor, state file and all.
    state.paused = false;
    dirs.write_state(id, state)?;
    if let Some(f) = &state.freezer
        && let Err(e) = f.thaw()
    {
        state.paused = true;
        let _ = dirs.write_state(id, state);
        return Err(e);
    }
    Ok(())
}

/// The signal `stop` sends first.
fn stop_signal(config: &ContainerConfig) -> Result<i32> {
    match &config.stop_signal {
        Some(s) => parse_signal(s).context("the container's stop signal"),
        None => Ok(libc::SIGTERM),
    }
}

/// Records that a container whose monitor is gone ended, with Docker's unknown-exit code,
/// and removes the freezer cgroup the monitor could not.
fn reconcile(dirs: &ContainerDirs, id: &ContainerId, state: ContainerState) -> Result<()> {
    if let Some(f) = &state.freezer
        && let Err(e) = f.remove()
    {
        log::warn!("{e:#}");
    }
    if let Some(c) = &state.cgroup
        && let Err(e) = c.remove()
    {
        log::warn!("{e:#}");
    }
    dirs.write_state(
        id,
        &ContainerState {
            status: Status::Exited,
            exit_code: EXIT_UNKNOWN,
            finished_at: Some(now()),
            paused: false,
            freezer: None,
            cgroup: None,
            ..state
        },
    )
}

/// Opens a pidfd for the recorded container process, checks it is that process (pid + start
/// time, I11) and sends `sig` through it. None when the process is already gone.
fn signal_process(state: &ContainerState, sig: i32) -> Result<Option<OwnedFd>> {
    let Ok(pidfd) = sys::pidfd_open(state.pid) else {
        return Ok(None);
    };
    // The pid may have been reused between reading the state and opening the pidfd.
    if records::process_start_time(state.pid) != Some(state.pid_start) {
        return Ok(None);
    }
    match sys::pidfd_send_signal(pidfd.as_fd(), sig) {
        Ok(()) => Ok(Some(pidfd)),
        Err(nix::errno::Errno::ESRCH) => Ok(None),
        Err(e) => Err(e).with_context(|| format!("sending {} to the container", signal_name(sig))),
    }
}

/// Waits for the process behind `pidfd` to exit, up to `limit` (None, or too far to count:
/// forever); true if it did.
fn wait_exit(pidfd: &OwnedFd, limit: Option<Duration>) -> Result<bool> {
    let deadline = limit.and_then(|l| Instant::now().checked_add(l));
    loop {
        let left = match deadline {
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                // poll takes at most ~65 s at a time here; loop for longer waits.
                PollTimeout::from(u16::try_from(left.as_millis()).unwrap_or(u16::MAX))
            }
            None => PollTimeout::NONE,
        };
        let mut fds = [PollFd::new(pidfd.as_fd(), PollFlags::POLLIN)];
        match nix::poll::poll(&mut fds, left) {
            Ok(n) if n > 0 => return Ok(true),
            Ok(_) => {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return Ok(false);
                }
            }
            Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e).context("waiting for the container to exit"),
        }
    }
}

/// SIGKILLs the container's init (checked to be the recorded process through a pidfd) and
/// waits until it has exited. The caller records `stopped_by_user` first.
pub(super) fn kill_and_wait(state: &ContainerState) -> Result<()> {
    let Some(pidfd) = signal_process(state, libc::SIGKILL)? else {
        return Ok(());
    };
    // A frozen v1 task does not die of SIGKILL until thawed.
    if state.paused
        && let Some(f) = &state.freezer
    {
        f.thaw()?;
    }
    if wait_exit(&pidfd, Some(SETTLE))? {
        Ok(())
    } else {
        bail!(
            "the container did not exit within {} s of SIGKILL",
            SETTLE.as_secs()
        )
    }
}

/// Waits (without a lock) until the container's monitor has recorded how it ended, so that
/// `start` or `rm` right after see a finished container. Gives up quietly after a while: the
/// next verb then reports what it finds.
fn settle(dirs: &ContainerDirs, id: &ContainerId) {
    let boot = records::boot_id();
    let until = Instant::now() + SETTLE;
    let quick = Instant::now() + Duration::from_millis(200);
    while Instant::now() < until {
        if !dirs.read_state(id).is_active(&boot) {
            return;
        }
        // The monitor records the end within milliseconds of the exit: look often at first
        // (a state read is a few microseconds).
        let now = Instant::now();
        std::thread::sleep(if now < quick {
            Duration::from_micros(500)
        } else {
            Duration::from_millis(20)
        });
    }
    log::warn!(
        "container {}: its monitor has not recorded the exit yet",
        id.short()
    );
}

/// Options for [`kill`].
#[derive(Debug)]
pub struct KillOptions {
    pub targets: Vec<String>,
    /// A signal number, from [`parse_signal`].
    pub signal: i32,
}

/// Sends a signal to each container's main process (SIGKILL by default, waiting until it is
/// gone). A container that is not running is an error for that target. One result per target.
pub fn kill(ctx: &Context, opts: &KillOptions) -> Result<Vec<Result<String>>> {
    let store = Store::open(ctx)?;
    Ok(opts
        .targets
        .iter()
        .map(|t| kill_one(ctx, &store, t, opts.signal).map(|()| t.clone()))
        .collect())
}

fn kill_one(ctx: &Context, store: &Store, target: &str, sig: i32) -> Result<()> {
    let dirs = store.containers();
    let id = dirs.resolve(target)?;
    let config = dirs.read_config(&id)?;
    let boot = records::boot_id();
    // moby `killWithSignal`: SIGKILL, the configured stop signal, or any signal when none is
    // configured, counts as the user stopping the container (no restart afterwards).
    let ends_restarts = sig == libc::SIGKILL
        || match &config.stop_signal {
            None => true,
            Some(_) => stop_signal(&config)? == sig,
        };
    let pidfd = {
        let _lock = dirs.lock(&id)?;
        let mut state = dirs.read_state(&id);
        if state.status == Status::Restarting && state.monitor_alive(&boot) {
            // Nothing to signal between two runs; Docker only cancels the restart.
            if ends_restarts {
                state.status = Status::Exited;
                state.stopped_by_user = true;
                dirs.write_state(&id, &state)?;
            }
            return Ok(());
        }
        if !state.is_alive(&boot) {
            bail!(error::invalid(format!(
                "cannot kill container {}: it is not running",
                config.name
            )));
        }
        if ends_restarts {
            state.stopped_by_user = true;
            dirs.write_state(&id, &state)?;
        }
        let Some(pidfd) = signal_process(&state, sig)? else {
            bail!(error::invalid(format!(
                "cannot kill container {}: it is not running",
                config.name
            )));
        };
        // moby thaws a paused container for the signals that end it; others wait for
        // unpause.
        if ends_restarts {
            thaw_if_paused(&dirs, &id, &mut state)?;
        }
        pidfd
    };
    super::container_event(ctx, "kill", &id, &config, &[("signal", sig.to_string())]);
    if sig == libc::SIGKILL {
        // As Docker: a SIGKILL returns once the container is gone.
        if !wait_exit(&pidfd, Some(SETTLE))? {
            bail!(
                "container {} did not exit within {} s of SIGKILL",
                config.name,
                SETTLE.as_secs()
            );
        }
        settle(&dirs, &id);
    }
    Ok(())
}

/// Options for [`pause`] and [`unpause`].
#[derive(Debug, Default)]
pub struct PauseOptions {
    pub targets: Vec<String>,
}

/// Freezes every process of each running container in a freezer cgroup made for the run at
/// its first pause (cgroup v2 `cgroup.freeze`, or the v1 freezer as root; see
/// `runtime::freezer`). Rootless it is an error saying why. One result per target.
pub fn pause(ctx: &Context, opts: &PauseOptions) -> Result<Vec<Result<String>>> {
    let store = Store::open(ctx)?;
    Ok(opts
        .targets
        .iter()
        .map(|t| set_paused(ctx, &store, t, true).map(|()| t.clone()))
        .collect())
}

/// Thaws paused containers. One result per target.
pub fn unpause(ctx: &Context, opts: &PauseOptions) -> Result<Vec<Result<String>>> {
    let store = Store::open(ctx)?;
    Ok(opts
        .targets
        .iter()
        .map(|t| set_paused(ctx, &store, t, false).map(|()| t.clone()))
        .collect())
}

fn set_paused(ctx: &Context, store: &Store, target: &str, pause: bool) -> Result<()> {
    let dirs = store.containers();
    let id = dirs.resolve(target)?;
    let config = dirs.read_config(&id)?;
    let _lock = dirs.lock(&id)?;
    let mut state = dirs.read_state(&id);
    let name = &config.name;
    if !state.is_alive(&records::boot_id()) {
        bail!(error::invalid(format!("container {name} is not running")));
    }
    match (pause, state.paused) {
        (true, true) => bail!(error::invalid(format!(
            "container {name} is already paused"
        ))),
        (false, false) => bail!(error::invalid(format!("container {name} is not paused"))),
        _ => {}
    }
    if pause
        && state.freezer.is_none()
        && let Some(crate::runtime::cgroup::Cgroup::V2(own)) = &state.cgroup
    {
        // On cgroup v2 the container's own cgroup freezes it.
        state.freezer = Some(freezer::Freezer::V2(own.clone()));
        dirs.write_state(&id, &state)?;
    }
    if pause && state.freezer.is_none() {
        // Made at the first pause of a run, not at start: moving a process into a cgroup
        // waits for an RCU grace period (milliseconds), which every start would pay.
        let Some(hierarchy) = freezer::hierarchy().filter(|_| !ctx.rootless) else {
            bail!(error::invalid(format!(
                "cannot pause container {name}: {}",
                freezer::why_none(ctx.rootless)
            )));
        };
        let made = hierarchy
            .create(id.as_str(), &freezer::namespace_pids(state.pid))
            .with_context(|| format!("pausing container {name}"))?;
        state.freezer = Some(made);
        // Recorded at once: its monitor removes it when the run ends.
        dirs.write_state(&id, &state)?;
    }
    let Some(f) = &state.freezer else {
        bail!(error::invalid(format!("container {name} is not paused")));
    };
    if pause {
        // Frozen first, then whatever the container forked while it was being moved in
        // (a process moved into a frozen cgroup freezes).
        let frozen = f.freeze().and_then(|()| {
            f.adopt(&freezer::namespace_pids(state.pid))?;
            f.freeze()
        });
        if let Err(e) = frozen {
            // Leave it running rather than half frozen.
            let _ = f.thaw();
            return Err(e).with_context(|| format!("pausing container {name}"));
        }
    } else {
        f.thaw()
            .with_context(|| format!("unpausing container {name}"))?;
    }
    state.paused = pause;
    dirs.write_state(&id, &state)?;
    let action = if pause { "pause" } else { "unpause" };
    super::container_event(ctx, action, &id, &config, &[]);
    Ok(())
}

/// Options for [`attach`].
#[derive(Debug)]
pub struct AttachOptions {
    pub target: String,
    /// `--no-stdin`: do not send our stdin even to a container created with `-i`.
    pub no_stdin: bool,
    /// `--detach-keys`, as the user wrote it (default `ctrl-p,ctrl-q`).
    pub detach_keys: String,
    /// `--sig-proxy`: forward the signals we get to the container (not with a terminal).
    pub sig_proxy: bool,
}

/// How [`attach`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachReport {
    /// The user detached; the container runs on.
    Detached,
    /// The container ended with this code.
    Exited(i32),
}

/// Attaches to a running detached container through its monitor's socket: its output to our
/// stdout and stderr, our stdin to it when it was created with `-i`, until it exits (then its
/// exit code, once recorded) or the detach keys are typed. Holds no lock (I10).
///
/// Errors: the container is not running, or was started in the foreground (its output goes
/// to the terminal that started it: there is no monitor to attach to).
pub fn attach(ctx: &Context, opts: &AttachOptions) -> Result<AttachReport> {
    let detach_keys = monitor::parse_detach_keys(&opts.detach_keys)?;
    let store = Store::open(ctx)?;
    let dirs = store.containers();
    let id = dirs.resolve(&opts.target)?;
    let config = dirs.read_config(&id)?;
    let state = dirs.read_state(&id);
    let name = &config.name;
    if !state.is_alive(&records::boot_id()) {
        bail!(error::invalid(format!(
            "cannot attach to container {name}: it is not running (start it first)"
        )));
    }
    let socket = attach_socket(ctx, &id);
    if !socket.exists() {
        // sun_path holds 107 bytes and a NUL.
        let why = if socket.as_os_str().len() > 107 {
            format!(
                "its monitor cannot listen on {}: the path is too long for a unix socket (use a shorter --runroot)",
                socket.display()
            )
        } else {
            "it runs in the foreground of the terminal that started it, without a monitor to attach to".to_string()
        };
        bail!(error::invalid(format!(
            "cannot attach to container {name}: {why}"
        )));
    }
    let proxy = if opts.sig_proxy && !config.tty {
        let fd = sys::pidfd_open(state.pid).ok();
        // The identity check of I11, after opening: a recycled pid gets no signals.
        fd.filter(|_| records::process_start_time(state.pid) == Some(state.pid_start))
    } else {
        None
    };
    let end = monitor::attach(
        &socket,
        monitor::AttachClient {
            stdin: config.interactive && !opts.no_stdin,
            detach_keys,
            proxy,
            tty: config.tty,
        },
    )
    .with_context(|| format!("attaching to container {name}"))?;
    Ok(match end {
        monitor::Attached::Detached => AttachReport::Detached,
        monitor::Attached::Ended => {
            settle(&dirs, &id);
            let s = dirs.read_state(&id);
            AttachReport::Exited(
                if s.status == Status::Running && !s.is_active(&records::boot_id()) {
                    EXIT_UNKNOWN
                } else {
                    s.exit_code
                },
            )
        }
    })
}

/// Restarts one container (`stop`, then a detached start): returns on the CLI's side once it
/// runs again, and [`Detached::MonitorDone`] in the monitor forked for it, which must exit.
pub fn restart(ctx: &Context, target: &str, timeout: Option<i64>) -> Result<Detached> {
    let store = Store::open(ctx)?;
    stop_one(ctx, &store, target, timeout)?;
    let started = start_background(ctx, target)?;
    let dirs = store.containers();
    if let Ok(id) = dirs.resolve(target)
        && let Ok(config) = dirs.read_config(&id)
    {
        super::container_event(ctx, "restart", &id, &config, &[]);
    }
    Ok(started)
}

/// What [`wait`] waits for (Podman's `--condition` names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitCondition {
    /// Until the container runs; reports -1, as Podman does for a state condition.
    Running,
    /// Until it is not running (nor restarting); reports its exit code (`stopped`, `exited`).
    Stopped,
}

impl WaitCondition {
    pub fn parse(s: &str) -> Result<WaitCondition> {
        match s {
            "running" => Ok(WaitCondition::Running),
            "stopped" | "exited" | "not-running" => Ok(WaitCondition::Stopped),
            other => bail!(error::invalid(format!(
                "invalid --condition {other:?}: use running, stopped or exited"
            ))),
        }
    }
}

/// Options for [`wait`].
#[derive(Debug)]
pub struct WaitOptions {
    pub targets: Vec<String>,
    pub condition: WaitCondition,
}

/// Waits for each container in turn, holding no lock (I10), and returns each one's exit
/// code (-1 for `running`). A container whose monitor died reads as exited with 255 (I12);
/// one removed while waited on (a `--rm` container) reports the exit its last `die` event
/// recorded, and is an error when the event log has none.
pub fn wait(ctx: &Context, opts: &WaitOptions) -> Result<Vec<Result<i32>>> {
    let store = Store::open(ctx)?;
    Ok(opts
        .targets
        .iter()
        .map(|t| wait_one(ctx, &store, t, opts.condition))
        .collect())
}

fn wait_one(ctx: &Context, store: &Store, target: &str, condition: WaitCondition) -> Result<i32> {
    let dirs = store.containers();
    let id = dirs.resolve(target)?;
    let boot = records::boot_id();
    let mut nap = Duration::from_millis(1);
    loop {
        let state = match dirs.try_read_state(&id) {
            Ok(Some(s)) => s,
            Ok(None) if !dirs.dir(&id).exists() => {
                // A --rm container removes itself once it has exited: its end is in the event
                // log, as Docker's wait still reports it.
                if let Some(code) = super::events::last_exit_code(ctx, &id) {
                    return Ok(code);
                }
                bail!(error::not_found(format!(
                    "no such container: {target}: it was removed while waiting"
                )))
            }
            Ok(None) => ContainerState::default(),
            Err(e) => return Err(e).with_context(|| format!("container {target}")),
        };
        match condition {
            WaitCondition::Running if state.is_alive(&boot) => return Ok(-1),
            WaitCondition::Stopped if !state.is_active(&boot) => {
                if matches!(state.status, Status::Running | Status::Restarting) {
                    // Read before the monitor recorded the end, looked at after it exited:
                    // the state file has the answer now, unless the monitor died unseen.
                    let again = dirs.try_read_state(&id).ok().flatten();
                    if again
                        .is_some_and(|a| !matches!(a.status, Status::Running | Status::Restarting))
                    {
                        continue;
                    }
                    return Ok(EXIT_UNKNOWN);
                }
                return Ok(state.exit_code);
            }
            _ => {}
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_parse_as_docker() {
        for s in ["SIGHUP", "HUP", "hup", "SigHup", "1", " 1 "] {
            assert_eq!(parse_signal(s).unwrap(), libc::SIGHUP, "{s}");
        }
        assert_eq!(parse_signal("KILL").unwrap(), 9);
        assert_eq!(parse_signal("40").unwrap(), 40);
        for bad in ["", "0", "65", "-1", "SIGNOPE", "99999999999", "HUP1"] {
            let e = format!("{:#}", parse_signal(bad).unwrap_err());
            assert!(e.contains("invalid signal"), "{bad}: {e}");
        }
        assert_eq!(signal_name(15), "SIGTERM");
        assert_eq!(signal_name(40), "40");
    }

    #[test]
    fn wait_conditions() {
        assert_eq!(
            WaitCondition::parse("exited").unwrap(),
            WaitCondition::Stopped
        );
        assert_eq!(
            WaitCondition::parse("running").unwrap(),
            WaitCondition::Running
        );
        assert!(WaitCondition::parse("paused").is_err());
    }
}
