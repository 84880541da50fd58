//! Containers in the store: ids, names reserved atomically, and each container's directory.
//!
//! `containers/<id>/` holds what the user asked (`config.json`, written once at create), what is
//! (`state.json`, rewritten whole at every change), a `lock` for state changes, and the
//! container's own files (hostname, hosts, resolv.conf, the overlay upper/ and work/ dirs, or
//! the copy rootfs/). A
//! name is reserved by creating `names/<name>` with O_EXCL (SECURITY.md I10), so two
//! `run --name web` never both win.
//!
//! state.json is renamed into place but not fsynced: after a crash the machine has rebooted,
//! the boot id no longer matches, and every container reads as exited whatever the file says
//! (I13). config.json of a container that outlives its run is durable; that of a `--rm`
//! container need not be.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};

use super::atomic;
use super::digest::Digest;
use super::lock::{self, Lock};
use crate::error::{self, ErrorKind};

pub const CONFIG: &str = "config.json";
/// The container's log (json-file), written by its monitor.
pub const LOG: &str = "ctr.log";
pub const STATE: &str = "state.json";
/// The overlay's upper dir: what the container wrote.
const UPPER: &str = "upper";

/// A container id: 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContainerId(String);

impl ContainerId {
    /// A fresh random id.
    pub fn generate() -> Result<ContainerId> {
        let mut bytes = [0u8; 32];
        fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut bytes))
            .context("reading /dev/urandom for a container id")?;
        Ok(ContainerId(
            bytes.iter().map(|b| format!("{b:02x}")).collect(),
        ))
    }

    /// Accepts exactly 64 lowercase hex digits.
    pub fn parse(s: &str) -> Result<ContainerId> {
        if s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            Ok(ContainerId(s.to_string()))
        } else {
            bail!(error::invalid(format!("invalid container id {s:?}")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 12 hex digits Docker shows.
    pub fn short(&self) -> &str {
        &self.0[..12]
    }
}

impl std::fmt::Display for ContainerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the user asked for, fixed when the container is created: everything `start` needs to
/// set the container up again. Options are kept as the user wrote them (they were checked at
/// create) and planned afresh at each start; the environment and command are resolved.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerConfig {
    pub id: String,
    pub name: String,
    /// RFC 3339, nanoseconds.
    pub created: String,
    /// The image as the user named it, and its id.
    pub image: String,
    pub image_id: Option<Digest>,
    /// The command: entrypoint and cmd, resolved as Docker does.
    pub argv: Vec<String>,
    pub env: Vec<String>,
    pub workdir: String,
    /// `user[:group]` as given (or the image's USER); resolved in the container at start.
    pub user: String,
    pub group_add: Vec<String>,
    pub hostname: String,
    pub volumes: Vec<String>,
    pub tmpfs: Vec<String>,
    pub read_only: bool,
    pub network: String,
    pub ulimits: Vec<String>,
    pub tty: bool,
    pub interactive: bool,
    /// Remove the container when it exits.
    pub rm: bool,
    pub cidfile: Option<PathBuf>,
    pub pidfile: Option<PathBuf>,
    /// `json-file` or `none`.
    pub log_driver: String,
    /// Rotation: bytes per file and files in all (json-file).
    pub log_max_size: u64,
    pub log_max_files: u32,
    /// `--init`: berth's own init as PID 1.
    pub init: bool,
    /// The two parts of `argv` as Docker shows them: the entrypoint in effect (the image's,
    /// or `--entrypoint`) and the command after it.
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    /// The image's labels with `--label`/`--label-file` over them.
    pub labels: std::collections::BTreeMap<String, String>,
    /// `-p`, as given (host port 0: a free one is picked at each start).
    pub ports: Vec<crate::net::ports::PortMapping>,
    /// The signal `stop` sends first, by name (`SIGTERM`): `--stop-signal` or the image's
    /// STOPSIGNAL; None when neither set one (then SIGTERM, as Docker).
    pub stop_signal: Option<String>,
    /// `--stop-timeout`: seconds `stop` waits before SIGKILL (None: 10; negative: forever).
    pub stop_timeout: Option<i64>,
    /// `--restart`.
    pub restart: RestartPolicy,
    /// `--memory`, `--cpus`, `--pids-limit` and the other cgroup limits.
    pub resources: crate::runtime::cgroup::Resources,
    /// Capabilities, seccomp, masks, devices (`runtime::security`).
    pub security: crate::runtime::security::SecurityConfig,
    /// `--ipc`, `--pid`, `--uts`, `--cgroupns`, `--shm-size`, `--sysctl`, `--oom-score-adj`.
    pub namespaces: super::namespaces::NamespaceConfig,
    /// Name resolution and networks beyond `network`: `--dns*`, `--add-host`,
    /// `--network-alias`, `network connect`, `-P`, `--expose`.
    pub net: crate::net::hosts::NetConfig,
}

/// `--restart`: what the monitor does when the container's process ends (Docker's policies).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "kebab-case")]
pub enum RestartPolicy {
    /// Never restart.
    #[default]
    No,
    /// Restart after a non-zero exit, at most `max_retries` times (0: no limit).
    OnFailure {
        #[serde(default)]
        max_retries: u32,
    },
    /// Restart whatever the exit, until stopped by the user.
    Always,
    /// As `always`: Docker tells them apart only when its daemon restarts, and berth has none.
    UnlessStopped,
}

impl RestartPolicy {
    /// Parses `no`, `on-failure[:N]`, `always` or `unless-stopped`, with Docker's errors.
    pub fn parse(s: &str) -> Result<RestartPolicy> {
        let bad = |why: &str| error::invalid(format!("invalid restart policy {s:?}: {why}"));
        let (name, count) = match s.split_once(':') {
            Some((n, c)) => (n, Some(c)),
            None => (s, None),
        };
        match (name, count) {
            ("no" | "", None) => Ok(RestartPolicy::No),
            ("always", None) => Ok(RestartPolicy::Always),
            ("unless-stopped", None) => Ok(RestartPolicy::UnlessStopped),
            ("on-failure", None) => Ok(RestartPolicy::OnFailure { max_retries: 0 }),
            ("on-failure", Some(c)) => match c.parse::<i64>() {
                Ok(n) if n < 0 => Err(bad("maximum retry count cannot be negative")),
                Ok(n) => u32::try_from(n)
                    .map(|max_retries| RestartPolicy::OnFailure { max_retries })
                    .map_err(|_| bad("maximum retry count is too large")),
                Err(_) => Err(bad("the maximum retry count must be a number")),
            },
            ("no" | "always" | "unless-stopped", Some(_)) => Err(bad(&format!(
                "maximum retry count cannot be used with restart policy {name:?}"
            ))),
            _ => Err(bad(
                "use no, on-failure[:max-retries], always or unless-stopped",
            )),
        }
    }

    /// Docker's `HostConfig.RestartPolicy.Name`.
    pub fn name(self) -> &'static str {
        match self {
            RestartPolicy::No => "no",
            RestartPolicy::OnFailure { .. } => "on-failure",
            RestartPolicy::Always => "always",
            RestartPolicy::UnlessStopped => "unless-stopped",
        }
    }

    /// Whether a container that ended with `exit_code`, after `restarts` restarts, starts
    /// again. A container stopped by the user never does (the caller checks that).
    pub fn restarts(self, exit_code: i32, restarts: u32) -> bool {
        match self {
            RestartPolicy::No => false,
            RestartPolicy::Always | RestartPolicy::UnlessStopped => true,
            RestartPolicy::OnFailure { max_retries } => {
                exit_code != 0 && (max_retries == 0 || restarts < max_retries)
            }
        }
    }
}

/// A container's lifecycle state, as Docker names it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Created,
    Running,
    /// Between two runs of a container with a restart policy: its monitor waits (backoff).
    Restarting,
    Exited,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Restarting => "restarting",
            Status::Exited => "exited",
        }
    }
}

/// What is: the state file. A running container is identified by pid + start time + boot id
/// (I11), never by pid alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerState {
    pub status: Status,
    /// The container's init process on the host, while running.
    pub pid: i32,
    /// Its start time in clock ticks since boot (`/proc/<pid>/stat` field 22).
    pub pid_start: u64,
    pub boot_id: String,
    pub exit_code: i32,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// The process that waits for the container and records its end (the monitor, or the
    /// foreground CLI), with its start time.
    pub monitor_pid: i32,
    pub monitor_start: u64,
    /// How many times the monitor restarted the container since the user last started it
    /// (Docker's `RestartCount`).
    pub restart_count: u32,
    /// `stop`, `kill` or `rm -f` asked for this run to end: the restart policy does not apply.
    /// Written before the signal is sent, so the monitor sees it when the process ends.
    pub stopped_by_user: bool,
    /// `pause`: its processes are frozen (the status stays running, as Docker's does).
    pub paused: bool,
    /// The freezer cgroup berth made for this run, removed when it ends.
    pub freezer: Option<crate::runtime::freezer::Freezer>,
    /// The container's own cgroup while it runs (limits, `stats`, `update`, `exec`).
    pub cgroup: Option<crate::runtime::cgroup::Cgroup>,
    /// The kernel's OOM killer killed a process of the last run (Docker's `OOMKilled`).
    pub oom_killed: bool,
}

impl ContainerState {
    /// True while the container runs or its monitor is still finishing (flushing the log,
    /// recording the exit): the state file will change again.
    /// A restarting container is active while its monitor lives.
    pub fn is_active(&self, boot_id: &str) -> bool {
        self.is_alive(boot_id)
            || (matches!(self.status, Status::Running | Status::Restarting)
                && self.monitor_alive(boot_id))
    }

    /// True when the recorded monitor process still exists in this boot.
    pub fn monitor_alive(&self, boot_id: &str) -> bool {
        self.monitor_pid > 0
            && self.boot_id == boot_id
            && process_start_time(self.monitor_pid) == Some(self.monitor_start)
    }

    /// True when the state says running and that very process still exists in this boot.
    pub fn is_alive(&self, boot_id: &str) -> bool {
        self.status == Status::Running
            && self.pid > 0
            && self.boot_id == boot_id
            && process_start_time(self.pid) == Some(self.pid_start)
    }
}

/// The start time of process `pid` in clock ticks since boot, or None if it does not exist
/// or has already ended (a zombie not yet reaped, as a killed monitor's orphans are for a
/// moment: it runs nothing any more).
pub fn process_start_time(pid: i32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields resume after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    // `rest` starts at field 3 (state); the start time is field 22.
    if matches!(fields.next()?, "Z" | "X" | "x") {
        return None;
    }
    fields.nth(18)?.parse().ok()
}

/// This boot's id (/proc/sys/kernel/random/boot_id).
pub fn boot_id() -> String {
    fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Docker's container name grammar: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 2
        && b.len() <= 253
        && b[0].is_ascii_alphanumeric()
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// The names and containers directories of one store.
#[derive(Debug, Clone)]
pub struct ContainerDirs {
    pub names: PathBuf,
    pub containers: PathBuf,
}

impl ContainerDirs {
    /// The directory of container `id`.
    pub fn dir(&self, id: &ContainerId) -> PathBuf {
        self.containers.join(id.as_str())
    }

    /// Creates container `id`'s directory with its overlay upper/ and work/ dirs and writes its
    /// config, and a `created` state when `record_created`; `durable` fsyncs the config.
    /// Without a state file a container reads as created in listings (`try_read_state`), so a
    /// `run`, which starts it at once, leaves it out: its first state is `running`, written
    /// once instead of replacing another (one inode and, on ext4, one forced block allocation
    /// less on the path of every `run`).
    pub fn create(
        &self,
        config: &ContainerConfig,
        durable: bool,
        record_created: bool,
    ) -> Result<PathBuf> {
        let id = ContainerId::parse(&config.id)?;
        let dir = self.dir(&id);
        atomic::ensure_private_dir(&self.containers)?;
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .with_context(|| format!("creating {}", dir.display()))?;
        for sub in ["upper", "work"] {
            let p = dir.join(sub);
            fs::DirBuilder::new()
                .mode(0o755)
                .create(&p)
                .with_context(|| format!("creating {}", p.display()))?;
        }
        let bytes = serde_json::to_vec(config)?;
        if durable {
            atomic::write_file(&dir.join(CONFIG), &bytes, 0o600)?;
        } else {
            write_quick(&dir.join(CONFIG), &bytes)?;
        }
        if record_created {
            self.write_state(&id, &ContainerState::default())?;
        }
        Ok(dir)
    }

    /// Replaces container `id`'s config.json whole (for `rename`), durably unless the
    /// container is `--rm`.
    pub fn rewrite_config(&self, config: &ContainerConfig) -> Result<()> {
        let id = ContainerId::parse(&config.id)?;
        let bytes = serde_json::to_vec(config)?;
        let path = self.dir(&id).join(CONFIG);
        if config.rm {
            write_quick(&path, &bytes)
        } else {
            atomic::write_file(&path, &bytes, 0o600)
        }
    }

    pub fn read_config(&self, id: &ContainerId) -> Result<ContainerConfig> {
        let p = self.dir(id).join(CONFIG);
        let bytes = fs::read(&p).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => error::not_found(format!("no such container: {id}")),
            _ => anyhow::Error::from(e).context(format!("reading {}", p.display())),
        })?;
        serde_json::from_slice(&bytes)
            .with_context(|| format!("container {}: config.json is corrupt", id.short()))
    }

    /// The recorded state; a missing or unreadable state file reads as exited.
    pub fn read_state(&self, id: &ContainerId) -> ContainerState {
        fs::read(self.dir(id).join(STATE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(ContainerState {
                status: Status::Exited,
                ..ContainerState::default()
            })
    }

    /// The recorded state for listing: `Ok(None)` when there is no state file yet (the
    /// container is being created), an error when the file cannot be read or parsed. Verbs that
    /// must act whatever the file says use [`ContainerDirs::read_state`] instead.
    pub fn try_read_state(&self, id: &ContainerId) -> Result<Option<ContainerState>> {
        let p = self.dir(id).join(STATE);
        match fs::read(&p) {
            Ok(b) => serde_json::from_slice(&b)
                .map(Some)
                .with_context(|| format!("its {STATE} is corrupt")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {}", p.display())),
        }
    }

    /// When container `id`'s directory last changed, or None when it does not exist.
    pub fn modified(&self, id: &ContainerId) -> Option<std::time::SystemTime> {
        fs::metadata(self.dir(id)).and_then(|m| m.modified()).ok()
    }

    /// The bytes container `id` has written: the size of its overlay upper dir counted as
    /// Docker's `directory.Size` does (file sizes, each inode once, directories not counted).
    /// What the caller cannot read (a rootless container's private dirs, owned by a
    /// subordinate id) is left out rather than failing the count.
    pub fn upper_size(&self, id: &ContainerId) -> u64 {
        fn walk(dir: &Path, seen: &mut std::collections::HashSet<(u64, u64)>, total: &mut u64) {
            let Ok(entries) = fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                // DirEntry::metadata does not follow symlinks: a link counts its own length.
                let Ok(m) = e.metadata() else { continue };
                if m.is_dir() {
                    walk(&e.path(), seen, total);
                } else if m.len() > 0 && seen.insert((m.dev(), m.ino())) {
                    *total += m.len();
                }
            }
        }
        let mut total = 0;
        walk(
            &self.dir(id).join(UPPER),
            &mut Default::default(),
            &mut total,
        );
        total
    }

    /// Replaces the state file whole (renamed into place; see the module doc for why no fsync).
    pub fn write_state(&self, id: &ContainerId, state: &ContainerState) -> Result<()> {
        write_quick(&self.dir(id).join(STATE), &serde_json::to_vec(state)?)
            .with_context(|| format!("recording the state of container {}", id.short()))
    }

    /// Takes container `id`'s lock (state changes: start, remove): a flock on its directory.
    /// Fails with NotFound when the container is gone, including when it was removed while
    /// we waited.
    pub fn lock(&self, id: &ContainerId) -> Result<Lock> {
        let dir = self.dir(id);
        let gone = || error::not_found(format!("no such container: {id}"));
        let l = match lock::exclusive_dir(&dir, lock::LOCK_TIMEOUT) {
            Ok(l) => l,
            Err(e) if is_not_found(&e) => bail!(gone()),
            Err(e) => return Err(e),
        };
        if !l.is_linked_at(&dir) {
            bail!(gone());
        }
        Ok(l)
    }

    /// Takes container `id`'s lock if nobody holds it: `None` when someone does (a start,
    /// stop or rm in progress) or the container is gone.
    pub fn try_lock(&self, id: &ContainerId) -> Result<Option<Lock>> {
        let dir = self.dir(id);
        match lock::try_exclusive_dir(&dir) {
            Ok(l) => Ok(l.filter(|l| l.is_linked_at(&dir))),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every container id in the store, in no particular order.
    pub fn list(&self) -> Vec<ContainerId> {
        let Ok(dir) = fs::read_dir(&self.containers) else {
            return Vec::new();
        };
        dir.flatten()
            .filter_map(|e| ContainerId::parse(e.file_name().to_str()?).ok())
            .collect()
    }

    /// Finds a container the way Docker does: a full id, a name, then an unambiguous id prefix.
    pub fn resolve(&self, name_or_id: &str) -> Result<ContainerId> {
        let not_found = || error::not_found(format!("no such container: {name_or_id}"));
        if let Ok(id) = ContainerId::parse(name_or_id)
            && self.dir(&id).exists()
        {
            return Ok(id);
        }
        if valid_name(name_or_id)
            && let Ok(held) = fs::read_to_string(self.names.join(name_or_id))
            && let Ok(id) = ContainerId::parse(held.trim())
            && self.dir(&id).exists()
        {
            return Ok(id);
        }
        let is_hex = !name_or_id.is_empty()
            && name_or_id
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !is_hex {
            return Err(not_found());
        }
        let hits: Vec<ContainerId> = self
            .list()
            .into_iter()
            .filter(|id| id.as_str().starts_with(name_or_id))
            .collect();
        match hits.len() {
            0 => Err(not_found()),
            1 => Ok(hits.into_iter().next().expect("one hit")),
            n => Err(error::invalid(format!(
                "container id prefix {name_or_id:?} is ambiguous: {n} containers match"
            ))),
        }
    }

    /// Reserves a generated `adjective_name` for `id`, as Docker names unnamed containers.
    pub fn reserve_generated_name(&self, id: &ContainerId, durable: bool) -> Result<String> {
        let seed = u64::from_str_radix(&id.as_str()[..16], 16).unwrap_or(0);
        for attempt in 0..64u64 {
            let name = generated_name(
                seed.wrapping_add(attempt.wrapping_mul(0x9e37_79b9)),
                attempt,
            );
            match self.reserve_name(&name, id, durable) {
                Ok(()) => return Ok(name),
                Err(e) if matches!(error::kind_of(&e), Some(ErrorKind::NameInUse(_))) => continue,
                Err(e) => return Err(e),
            }
        }
        bail!("could not find a free container name: pass --name")
    }

    /// Reserves `name` for `id`: creates `names/<name>` holding the id, or fails with
    /// NameInUse naming the holder. `durable` fsyncs the reservation.
    pub fn reserve_name(&self, name: &str, id: &ContainerId, durable: bool) -> Result<()> {
        if !valid_name(name) {
            bail!(error::invalid(format!(
                "invalid container name {name:?}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
            )));
        }
        atomic::ensure_private_dir(&self.names)?;
        let path = self.names.join(name);
        let created = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&path);
        match created {
            Ok(mut f) => {
                f.write_all(id.as_str().as_bytes())
                    .with_context(|| format!("reserving container name {name:?}"))?;
                if durable {
                    f.sync_all()
                        .with_context(|| format!("reserving container name {name:?}"))?;
                    atomic::fsync_dir(&self.names)?;
                }
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let holder = fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.get(..12).unwrap_or("another container");
                Err(anyhow::Error::new(ErrorKind::NameInUse(format!(
                    "the container name {name:?} is already in use by {holder}: remove or rename that container"
                ))))
            }
            Err(e) => Err(e).with_context(|| format!("reserving container name {name:?}")),
        }
    }

    /// Releases `name` if `id` holds it; a name held by another container is left alone.
    pub fn release_name(&self, name: &str, id: &ContainerId) -> Result<()> {
        let path = self.names.join(name);
        match fs::read_to_string(&path) {
            Ok(holder) if holder == id.as_str() => {
                fs::remove_file(&path).with_context(|| format!("releasing name {name:?}"))
            }
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("releasing name {name:?}")),
        }
    }
}

/// Writes `path` whole by renaming a temp file over it, without fsync.
/// True when `e` is (caused by) a missing file.
fn is_not_found(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::NotFound)
    })
}

fn write_quick(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", atomic::unique_name()));
    let r = fs::write(&tmp, bytes)
        .and_then(|()| fs::rename(&tmp, path))
        .with_context(|| format!("writing {}", path.display()));
    if r.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    r
}

/// A Docker-style name from a seed: `adjective_scientist`, with a number after the first tries.
fn generated_name(seed: u64, attempt: u64) -> String {
    const LEFT: [&str; 32] = [
        "admiring",
        "agitated",
        "amazing",
        "brave",
        "busy",
        "clever",
        "cool",
        "dazzling",
        "eager",
        "elastic",
        "epic",
        "festive",
        "focused",
        "gallant",
        "happy",
        "jolly",
        "keen",
        "kind",
        "loving",
        "modest",
        "nifty",
        "optimistic",
        "peaceful",
        "quirky",
        "relaxed",
        "serene",
        "sharp",
        "stoic",
        "tender",
        "vibrant",
        "wizardly",
        "zealous",
    ];
    const RIGHT: [&str; 32] = [
        "agnesi", "babbage", "bohr", "curie", "darwin", "dijkstra", "einstein", "euler", "fermat",
        "feynman", "galileo", "gauss", "hopper", "hypatia", "johnson", "kepler", "knuth", "lamarr",
        "lovelace", "maxwell", "meitner", "newton", "noether", "pascal", "ritchie", "shannon",
        "tesla", "thompson", "torvalds", "turing", "wozniak", "yalow",
    ];
    let l = LEFT[(seed % 32) as usize];
    let r = RIGHT[((seed >> 8) % 32) as usize];
    if attempt < 4 {
        format!("{l}_{r}")
    } else {
        format!("{l}_{r}{}", seed % 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs() -> (tempfile::TempDir, ContainerDirs) {
        let t = tempfile::tempdir().unwrap();
        let d = ContainerDirs {
            names: t.path().join("names"),
            containers: t.path().join("containers"),
        };
        (t, d)
    }

    #[test]
    fn ids_are_64_hex_and_validated() {
        let a = ContainerId::generate().unwrap();
        let b = ContainerId::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(ContainerId::parse(a.as_str()).unwrap(), a);
        assert_eq!(a.short().len(), 12);
        for bad in [
            "",
            "abc",
            &"A".repeat(64),
            &format!("../{}", "a".repeat(61)),
        ] {
            assert!(ContainerId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn start_times_identify_live_processes() {
        let me = i32::try_from(std::process::id()).unwrap();
        let t = process_start_time(me).expect("this process");
        assert_eq!(process_start_time(me), Some(t));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = i32::try_from(child.id()).unwrap();
        // Exited but not reaped: a zombie runs nothing.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while process_start_time(pid).is_some() {
            assert!(
                std::time::Instant::now() < deadline,
                "zombie reads as alive"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.wait().unwrap();
    }

    #[test]
    fn restart_policies_parse_as_docker() {
        use RestartPolicy as P;
        assert_eq!(P::parse("no").unwrap(), P::No);
        assert_eq!(P::parse("always").unwrap(), P::Always);
        assert_eq!(P::parse("unless-stopped").unwrap(), P::UnlessStopped);
        assert_eq!(
            P::parse("on-failure").unwrap(),
            P::OnFailure { max_retries: 0 }
        );
        assert_eq!(
            P::parse("on-failure:3").unwrap(),
            P::OnFailure { max_retries: 3 }
        );
        for (bad, why) in [
            ("on-failure:-1", "cannot be negative"),
            ("always:3", "cannot be used with"),
            ("no:1", "cannot be used with"),
            ("on-failure:x", "must be a number"),
            ("sometimes", "use no, on-failure"),
        ] {
            let e = format!("{:#}", P::parse(bad).unwrap_err());
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn restart_decisions_follow_the_policy() {
        use RestartPolicy as P;
        assert!(!P::No.restarts(1, 0));
        assert!(P::Always.restarts(0, 100));
        assert!(P::UnlessStopped.restarts(0, 0));
        let three = P::OnFailure { max_retries: 3 };
        assert!(!three.restarts(0, 0));
        assert!(three.restarts(1, 2));
        assert!(!three.restarts(1, 3));
        assert!(P::OnFailure { max_retries: 0 }.restarts(137, 1000));
        // Old records without the new fields still read.
        let old: ContainerConfig = serde_json::from_str(r#"{"id":"x"}"#).unwrap();
        assert_eq!(old.restart, P::No);
        let json = serde_json::to_string(&three).unwrap();
        assert_eq!(serde_json::from_str::<P>(&json).unwrap(), three);
    }

    #[test]
    fn names_follow_docker_grammar() {
        assert!(valid_name("web"));
        assert!(valid_name("my_app.1-x"));
        for bad in ["", "a", "-web", "_x", "a/b", "../x", "a b", "é1"] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_name_is_reserved_once() {
        let (_t, d) = dirs();
        let (a, b) = (
            ContainerId::generate().unwrap(),
            ContainerId::generate().unwrap(),
        );
        d.reserve_name("web", &a, true).unwrap();
        let e = d.reserve_name("web", &b, true).unwrap_err();
        assert!(matches!(
            crate::error::kind_of(&e),
            Some(ErrorKind::NameInUse(_))
        ));
        assert!(format!("{e:#}").contains(a.short()), "{e:#}");
        d.release_name("web", &b).unwrap();
        assert!(
            d.reserve_name("web", &b, true).is_err(),
            "released by a non-holder"
        );
        d.release_name("web", &a).unwrap();
        d.reserve_name("web", &b, true).unwrap();
    }

    #[test]
    fn parallel_reservations_have_one_winner() {
        let (_t, d) = dirs();
        let winners = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    let d = d.clone();
                    s.spawn(move || {
                        let id = ContainerId::generate().unwrap();
                        d.reserve_name("race", &id, true).is_ok()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap())
                .filter(|won| *won)
                .count()
        });
        assert_eq!(winners, 1);
    }
}
