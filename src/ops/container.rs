//! Containers: `create` records what the user asked, `start` sets it up and runs it in the
//! foreground, `rm` removes it.
//!
//! `create` parses and checks every option before anything is made (bad input is exit 125 and
//! leaves nothing behind), then reserves the name, writes the record and the container's /etc
//! files. `start` turns the record into plans (mounts, process, capabilities, seccomp, rlimits)
//! and hands them to `runtime::container::run`; it holds the container's lock only until the
//! state says running (I10), and records how the container ended. `run` is both, then `rm` when
//! `--rm` asks for it, whatever happened.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use super::lifecycle;
use crate::context::Context;
use crate::error::{self, ErrorKind};
use crate::net;
use crate::runtime::container::{self, ContainerPlan};
use crate::runtime::monitor::{self, Forked, LogWriter, Reporter, Rotation};
use crate::runtime::mounts::{self, MountSpec};
use crate::runtime::process::{self, EnvDefaults};
use crate::runtime::rootfs::{self, RootfsSpec};
use crate::runtime::spawn::{Exit, Namespaces};
use crate::runtime::{devcg, security, userns};
use crate::storage::Store;
use crate::storage::container::{
    self as records, ContainerConfig, ContainerId, ContainerState, Status,
};
use crate::storage::image::ConfigView;

/// Options for [`create`] (and `run`, which adds nothing the record does not hold).
#[derive(Debug, Default)]
pub struct CreateOptions {
    pub image: String,
    pub command: Vec<String>,
    pub rm: bool,
    pub interactive: bool,
    /// `-t`: give the container a terminal.
    pub tty: bool,
    pub name: Option<String>,
    pub env: Vec<String>,
    pub env_files: Vec<PathBuf>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub group_add: Vec<String>,
    pub hostname: Option<String>,
    pub entrypoint: Option<String>,
    pub volumes: Vec<String>,
    pub tmpfs: Vec<String>,
    pub read_only: bool,
    /// `--network`; `None`: the default (`containers.conf`, else bridge as root and pasta
    /// rootless).
    pub network: Option<String>,
    pub ulimits: Vec<String>,
    /// `--pull`: missing (default), always, never or newer.
    pub pull: String,
    /// Write the container id here; an existing file is refused. Removed with the container.
    pub cidfile: Option<PathBuf>,
    /// Write the container process's pid here once it runs. Removed with the container.
    pub pidfile: Option<PathBuf>,
    /// `--log-driver`: json-file (default) or none.
    pub log_driver: Option<String>,
    /// `--log-opt`: max-size=SIZE, max-file=N.
    pub log_opts: Vec<String>,
    /// `--init`: berth's own init is PID 1, reaping and forwarding signals to the command.
    pub init: bool,
    /// `--label`: KEY=VALUE or KEY.
    pub labels: Vec<String>,
    /// `--label-file`: files of KEY=VALUE lines.
    pub label_files: Vec<PathBuf>,
    /// `-p`: ports to publish.
    pub publish: Vec<String>,
    /// `--stop-signal`: what `stop` sends first (default: the image's STOPSIGNAL, else SIGTERM).
    pub stop_signal: Option<String>,
    /// `--stop-timeout`: seconds `stop` waits before SIGKILL (default 10; negative: forever).
    pub stop_timeout: Option<i64>,
    /// `--restart`: `no`, `on-failure[:N]`, `always`, `unless-stopped`.
    pub restart: Option<String>,
    /// How an implicit pull reaches the registry, which platform, and its progress output.
    pub pull_with: super::pull::ImplicitPull,
    /// `--ip`: the container's address on its network.
    pub ip: Option<String>,
    /// `--memory`, `--cpus`, `--pids-limit` and the other cgroup flags, as given.
    pub resources: crate::runtime::cgroup::ResourceFlags,
    /// `--cap-add`, `--cap-drop`, `--privileged`, `--security-opt`, `--device`.
    pub security: security::SecurityOptions,
    /// `--ipc`, `--pid`, `--uts`, `--cgroupns`, `--shm-size`, `--sysctl`, `--oom-score-adj`.
    pub namespaces: super::namespaces::NamespaceOptions,
    /// `--dns`, `--dns-search`, `--dns-option`, `--add-host`, `--network-alias`, `-P`,
    /// `--expose`.
    pub net: net::hosts::NetConfig,
}

/// A container just created.
#[derive(Debug)]
pub struct Created {
    pub id: ContainerId,
    pub name: String,
    pub config: ContainerConfig,
}

/// Creates a container: checks every option, resolves the image's command and environment,
/// reserves the name and writes the record. Nothing runs yet.
pub fn create(ctx: &Context, opts: CreateOptions) -> Result<Created> {
    create_in(ctx, &Store::open(ctx)?, opts, true)
}

/// [`create`] in `store`; `record_created` is false for a `run`, which starts the container
/// next (see `ContainerDirs::create`).
fn create_in(
    ctx: &Context,
    store: &Store,
    opts: CreateOptions,
    record_created: bool,
) -> Result<Created> {
    // `--userns auto` picks a range no other auto container has taken: held until this
    // container's record (with its range) is written.
    let _ranges = match opts.namespaces.userns.as_deref() {
        Some(u) if u.starts_with("auto") => Some(store.lock_id_ranges()?),
        _ => None,
    };
    let network_value = match &opts.network {
        Some(n) => n.clone(),
        None => super::default_network::network(ctx)?,
    };
    let ns = super::namespaces::check(
        ctx,
        store,
        &opts.namespaces,
        &network_value,
        opts.hostname.as_deref(),
        &opts.publish,
    )?;
    let (network, network_name, ip) =
        super::network::mode_for_create(ctx, store, &ns.network, &opts.publish, &opts.ip)?;
    let host_network = network == net::Mode::Host;
    if matches!(network, net::Mode::Bridge | net::Mode::Pasta) {
        // Addresses and host ports left by containers killed unseen go back first.
        super::net_reconcile::sweep(ctx, store);
    }
    super::network::check_names(&opts.net, network, &network_name)?;
    let mut ports = opts
        .publish
        .iter()
        .map(|p| net::ports::parse(p))
        .collect::<Result<Vec<_>>>()?;
    match network {
        net::Mode::None if !ports.is_empty() => bail!(error::invalid(
            "-p needs a network that can publish ports: --network pasta (rootless) or a bridge network (root); --network none has only lo"
        )),
        net::Mode::Host if !ports.is_empty() => {
            // Docker's behaviour: the container uses the host's ports directly.
            log::warn!("published ports are discarded when using host network mode");
            ports.clear();
        }
        net::Mode::Pasta => {
            if !ctx.rootless {
                // Debian 12's pasta cannot join a root container's namespace (it drops the
                // privileges it would need first); Podman does not use pasta as root either.
                bail!(error::invalid(
                    "--network pasta is for rootless containers; as root use the default bridge (--network bridge), a network of your own, host or none"
                ));
            }
            net::pasta::find().context(
                "--network pasta needs pasta (Debian package passt), which is not installed",
            )?;
        }
        net::Mode::Slirp4netns => {
            if !ctx.rootless {
                // As Podman: root containers use bridges, user-mode networking is for rootless.
                bail!(error::invalid(
                    "--network slirp4netns is for rootless containers; as root use the default bridge (--network bridge), a network of your own, host or none"
                ));
            }
            net::slirp::find().context(
                "--network slirp4netns needs slirp4netns (Debian package slirp4netns), which is not installed",
            )?;
        }
        _ => {}
    }
    if ctx.rootless {
        net::ports::check_unprivileged(&ports)?;
    }
    for v in &opts.volumes {
        mounts::parse_volume(v)?;
    }
    let security = security::parse(&opts.security, ctx.rootless)?;
    for t in &opts.tmpfs {
        let (dest, options) = mounts::parse_tmpfs(t)?;
        mounts::check_tmpfs(&dest, &options, !ctx.rootless && !security.privileged)?;
    }
    let requested = parse_ulimits(&opts.ulimits)?;
    process::rlimits(&container::current_rlimits(&requested), &requested)?;
    let resources = crate::runtime::cgroup::Resources::parse(&opts.resources)?;
    super::resources::check(ctx, &resources)?;
    let (log_driver, rotation) = parse_log(opts.log_driver.as_deref(), &opts.log_opts)?;
    let restart = records::RestartPolicy::parse(opts.restart.as_deref().unwrap_or("no"))?;
    if opts.rm && restart != records::RestartPolicy::No {
        bail!(error::invalid(
            "conflicting options: --restart and --rm: a container removed when it exits cannot be restarted"
        ));
    }
    let user_stop_signal = opts
        .stop_signal
        .as_deref()
        .map(|s| lifecycle::parse_signal(s).map(lifecycle::signal_name))
        .transpose()
        .context("--stop-signal")?;
    let mut env_files = Vec::new();
    for f in &opts.env_files {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("reading env file {}", f.display()))?;
        env_files.extend(process::parse_env_file(&text, |k| ctx.env.lookup(k))?);
    }
    if let Some(n) = &opts.name
        && !records::valid_name(n)
    {
        bail!(error::invalid(format!(
            "invalid container name {n:?}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        )));
    }

    let mut label_lines = Vec::new();
    for f in &opts.label_files {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("reading label file {}", f.display()))?;
        label_lines.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
    }
    label_lines.extend(opts.labels.iter().cloned());
    let labels = label_lines
        .iter()
        .map(|l| parse_label(l))
        .collect::<Result<Vec<_>>>()?;

    // The local record when no pull was needed; after a pull, the image is looked up anew.
    let image =
        match super::pull::ensure_image(ctx, store, &opts.image, &opts.pull, &opts.pull_with)? {
            Some(record) => record,
            None => store.lookup(&opts.image)?,
        };
    let config = ConfigView::parse(&store.read_blob(&image.id)?)
        .with_context(|| format!("parsing the config of image {}", image.id.short()))?;
    let rc = config.config.unwrap_or_default();
    ports.extend(super::network::publish_all(
        &opts.net,
        network,
        rc.exposed_ports.as_ref(),
        &ports,
    )?);
    super::rootless_net::check_create(ctx, network, &ns.config)?;
    let argv = process::argv(
        rc.entrypoint.as_deref(),
        rc.cmd.as_deref(),
        opts.entrypoint.as_deref(),
        &opts.command,
    )?;
    let entrypoint: Vec<String> = match opts.entrypoint.as_deref() {
        None => rc.entrypoint.clone().unwrap_or_default(),
        Some("") => Vec::new(),
        Some(ep) => vec![ep.to_string()],
    };
    let cmd = argv[entrypoint.len().min(argv.len())..].to_vec();
    let mut all_labels = rc.labels.clone().unwrap_or_default();
    all_labels.extend(labels);
    let user = opts
        .user
        .clone()
        .or(ns.user.clone())
        .or(rc.user.clone())
        .unwrap_or_default();
    // The image's STOPSIGNAL is kept only when it names a signal; `stop` falls back to SIGTERM.
    let stop_signal = user_stop_signal.or_else(|| {
        let s = rc.stop_signal.as_deref().filter(|s| !s.is_empty())?;
        match lifecycle::parse_signal(s) {
            Ok(n) => Some(lifecycle::signal_name(n)),
            Err(e) => {
                log::warn!("ignoring the image's STOPSIGNAL: {e:#}");
                None
            }
        }
    });
    process::parse_user(&user)?;
    let workdir = process::workdir(
        rc.working_dir.as_deref().unwrap_or_default(),
        opts.workdir.as_deref(),
    )?;

    let id = ContainerId::generate()?;
    let hostname = match (
        ns.hostname.as_ref().or(opts.hostname.as_ref()),
        host_network,
    ) {
        (Some(h), _) => h.clone(),
        (None, true) => nix::unistd::gethostname()
            .context("reading the host's hostname")?
            .to_string_lossy()
            .into_owned(),
        (None, false) => id.short().to_string(),
    };
    let env = process::merge_env(
        rc.env.as_deref().unwrap_or_default(),
        env_files,
        &opts.env,
        &EnvDefaults {
            hostname: Some(&hostname),
            tty: opts.tty,
        },
        |k| ctx.env.lookup(k),
    )?;

    // A --rm container is gone after its run: nothing about it needs to survive a crash.
    let durable = !opts.rm;
    let dirs = store.containers();
    let name = match &opts.name {
        Some(n) => {
            dirs.reserve_name(n, &id, durable)?;
            n.clone()
        }
        None => dirs.reserve_generated_name(&id, durable)?,
    };
    let record = ContainerConfig {
        id: id.to_string(),
        name: name.clone(),
        created: now(),
        image: opts.image,
        image_id: Some(image.id.clone()),
        argv,
        env,
        workdir,
        user,
        group_add: opts.group_add,
        hostname,
        volumes: opts.volumes,
        tmpfs: opts.tmpfs,
        read_only: opts.read_only,
        network: network_name,
        ports,
        ulimits: opts.ulimits,
        tty: opts.tty,
        interactive: opts.interactive,
        rm: opts.rm,
        cidfile: opts.cidfile,
        pidfile: opts.pidfile,
        log_driver,
        log_max_size: rotation.max_size,
        log_max_files: rotation.max_files,
        init: opts.init,
        entrypoint,
        cmd,
        labels: all_labels,
        stop_signal,
        stop_timeout: opts.stop_timeout,
        restart,
        resources,
        security,
        namespaces: ns.config,
        net: opts.net,
    };
    let mut cidfile_written = false;
    let made = (|| -> Result<()> {
        if let Some(f) = &record.cidfile {
            write_new(f, id.as_str())?;
            cidfile_written = true;
        }
        // Under the store lock, so that rmi, which checks for containers under it, either sees
        // this record or has removed the image before we look again (then create fails).
        let dir = {
            let _lock = store.lock_briefly()?;
            store.lookup(image.id.as_str()).with_context(|| {
                format!(
                    "image {} was removed while creating the container",
                    record.image
                )
            })?;
            dirs.create(&record, durable, record_created)?
        };
        super::network::allocate(store, &id, &record.network, network, ip)?;
        write_etc_files(store, &dir, &id, &record)?;
        Ok(())
    })();
    if let Err(e) = made {
        // Undo only what this call made: a cidfile that was already there stays.
        let undo = ContainerConfig {
            cidfile: record.cidfile.filter(|_| cidfile_written),
            pidfile: None,
            ..record
        };
        if let Err(c) = remove(store, &id, &undo) {
            log::warn!("cleaning up container {}: {c:#}", id.short());
        }
        return Err(e);
    }
    super::container_event(ctx, "create", &id, &record, &[]);
    Ok(Created {
        id,
        name,
        config: record,
    })
}

/// How `start` connects the caller to the container.
#[derive(Debug, Default, Clone, Copy)]
pub struct Attach {
    /// `-i`: pass the caller's stdin (only to a container created with `-i`).
    pub stdin: bool,
}

/// Starts container `name_or_id` in the foreground and returns how its command exited. With a
/// restart policy the caller stays attached across restarts, and gets the last exit.
pub fn start(ctx: &Context, name_or_id: &str, attach: Attach) -> Result<Exit> {
    let store = Store::open(ctx)?;
    let id = store.containers().resolve(name_or_id)?;
    let config = store.containers().read_config(&id)?;
    run_loop(ctx, &store, &id, &config, attach, false, None)
}

/// Runs a container in the foreground: [`create`], then start; with `--rm` the container is
/// removed afterwards in every case.
pub fn run(ctx: &Context, opts: CreateOptions) -> Result<Exit> {
    let interactive = opts.interactive;
    let store = Store::open(ctx)?;
    let created = create_in(ctx, &store, opts, false)?;
    run_loop(
        ctx,
        &store,
        &created.id,
        &created.config,
        Attach { stdin: interactive },
        false,
        None,
    )
}

/// What happened to a detached start or run, on each side of the monitor's fork.
#[derive(Debug)]
pub enum Detached {
    /// The CLI: the container runs under its monitor.
    Started(ContainerId),
    /// The monitor: the container is finished for good; exit quietly.
    MonitorDone,
}

/// Runs a container under a monitor and returns once it runs (`run -d`).
pub fn run_detached(ctx: &Context, opts: CreateOptions) -> Result<Detached> {
    let store = Store::open(ctx)?;
    let created = create_in(ctx, &store, opts, false)?;
    start_detached(ctx, &store, &created.id, &created.config)
}

/// Starts container `name_or_id` under a monitor (`start` without `-a`).
pub fn start_background(ctx: &Context, name_or_id: &str) -> Result<Detached> {
    let store = Store::open(ctx)?;
    let id = store.containers().resolve(name_or_id)?;
    let config = store.containers().read_config(&id)?;
    start_detached(ctx, &store, &id, &config)
}

fn start_detached(
    ctx: &Context,
    store: &Store,
    id: &ContainerId,
    config: &ContainerConfig,
) -> Result<Detached> {
    // Refuse a running container here, in the CLI, before forking anything.
    // Active, not just alive: a monitor still flushing the log would record its exit over
    // the new run's state.
    let state = store.containers().read_state(id);
    if state.is_active(&records::boot_id()) {
        bail!(error::invalid(format!(
            "container {} is already running",
            config.name
        )));
    }
    match monitor::fork()? {
        Forked::Cli(report) => {
            report.wait()?;
            Ok(Detached::Started(id.clone()))
        }
        Forked::Monitor(mut reporter) => {
            let attach = Attach {
                stdin: config.interactive,
            };
            if let Err(e) = run_loop(ctx, store, id, config, attach, true, Some(&mut reporter)) {
                reporter.fail(&e);
            }
            Ok(Detached::MonitorDone)
        }
    }
}

/// Docker's restart backoff (moby `restartmanager`): 100 ms, doubling up to 1 min, back to
/// 100 ms after a run of 10 s or more.
#[derive(Debug, Default)]
struct Backoff(Duration);

impl Backoff {
    const FIRST: Duration = Duration::from_millis(100);
    const MAX: Duration = Duration::from_secs(60);
    const RESET_AFTER: Duration = Duration::from_secs(10);

    /// The delay before the next start, after a run that lasted `ran`.
    fn next(&mut self, ran: Duration) -> Duration {
        if ran >= Self::RESET_AFTER {
            self.0 = Duration::ZERO;
        }
        self.0 = if self.0.is_zero() {
            Self::FIRST
        } else {
            (self.0 * 2).min(Self::MAX)
        };
        self.0
    }
}

/// Starts the container, and again as its restart policy says, until it is done for good.
/// `detached`: this process is the container's monitor (stdio to the log); `reporter` tells the
/// CLI that forked it how the first start went.
///
/// Restart rule (Docker's, moby `daemon/kill.go` and `restartmanager`): a run that ends on its
/// own, or of a signal sent from outside berth (`kill -9` of its pid), is restarted as the
/// policy says; a run ended by `stop`, `rm -f`, or `kill` with SIGKILL or the container's stop
/// signal (any signal when none was configured) is not, because those record
/// `stopped_by_user` before signalling. The backoff wait holds no lock (I10) and ends early
/// when someone stops or removes the container.
fn run_loop(
    ctx: &Context,
    store: &Store,
    id: &ContainerId,
    config: &ContainerConfig,
    attach: Attach,
    detached: bool,
    mut reporter: Option<&mut Reporter>,
) -> Result<Exit> {
    let mut backoff = Backoff::default();
    let mut restarting = false;
    loop {
        let began = Instant::now();
        match start_record(
            ctx,
            store,
            id,
            config,
            attach,
            detached,
            reporter.take(),
            restarting,
        )? {
            Ran::Done(exit) => return Ok(exit),
            Ran::Restart(exit) => {
                let delay = backoff.next(began.elapsed());
                if !wait_to_restart(store, id, delay) {
                    return Ok(exit);
                }
                restarting = true;
            }
        }
    }
}

/// Sleeps `delay` while the state still says this process is about to restart the container;
/// false as soon as it no longer does (stopped, removed).
fn wait_to_restart(store: &Store, id: &ContainerId, delay: Duration) -> bool {
    let dirs = store.containers();
    let me = Me::now();
    let until = Instant::now() + delay;
    loop {
        let state = dirs.read_state(id);
        if !dirs.dir(id).exists() || !me.restarts(&state) {
            return false;
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(Duration::from_millis(50)));
    }
}

/// This process as the state records a monitor: pid and start time.
struct Me {
    pid: i32,
    start: u64,
}

impl Me {
    fn now() -> Me {
        let pid = i32::try_from(std::process::id()).unwrap_or(0);
        Me {
            pid,
            start: records::process_start_time(pid).unwrap_or(0),
        }
    }

    /// True when `state` says this process is waiting to restart the container.
    fn restarts(&self, state: &ContainerState) -> bool {
        state.status == Status::Restarting
            && !state.stopped_by_user
            && state.monitor_pid == self.pid
            && state.monitor_start == self.start
    }
}

/// How one run ended.
enum Ran {
    /// For good: no restart.
    Done(Exit),
    /// The restart policy starts it again; the state says restarting.
    Restart(Exit),
}

#[allow(clippy::too_many_arguments)]
fn start_record(
    ctx: &Context,
    store: &Store,
    id: &ContainerId,
    config: &ContainerConfig,
    attach: Attach,
    detached: bool,
    mut reporter: Option<&mut Reporter>,
    restarting: bool,
) -> Result<Ran> {
    let dirs = store.containers();
    let lock = dirs.lock(id)?;
    let boot = records::boot_id();
    let me = Me::now();
    let before = dirs.read_state(id);
    if restarting {
        // Stopped or removed while we waited: done, with the last run's code.
        if !me.restarts(&before) {
            return Ok(Ran::Done(Exit::Code(before.exit_code)));
        }
    } else if before.is_active(&boot) {
        bail!(error::invalid(format!(
            "container {} is already running",
            config.name
        )));
    }
    // `update` may have changed the record since the monitor read it.
    let fresh;
    let config = if restarting {
        fresh = dirs.read_config(id).unwrap_or_else(|_| config.clone());
        &fresh
    } else {
        config
    };
    let mut pump = None;
    let mut made_cgroup = None;
    let result = (|| -> Result<Exit> {
        let plan = plan(ctx, store, id, config, attach)?;
        let cgroup = plan.cgroup.as_ref().map(|p| p.cgroup.clone());
        made_cgroup.clone_from(&cgroup);
        let mut restore = None;
        let mut streams = if detached {
            Some(monitor::redirect_stdio(config.tty, plan.interactive)?)
        } else if keeps_foreground_log(config) {
            let (streams, r) = monitor::tee_stdio(config.tty)?;
            restore = Some(r);
            Some(streams)
        } else {
            None
        };
        let mut lock = Some(lock);
        let exit = container::run(&plan, |pid, terminal| {
            let state = ContainerState {
                status: Status::Running,
                pid,
                pid_start: records::process_start_time(pid).unwrap_or(0),
                boot_id: boot.clone(),
                exit_code: 0,
                started_at: Some(now()),
                finished_at: None,
                monitor_pid: me.pid,
                monitor_start: me.start,
                // A start by the user begins the count again, as Docker's does.
                restart_count: if restarting { before.restart_count } else { 0 },
                stopped_by_user: false,
                paused: false,
                freezer: None,
                cgroup,
                oom_killed: false,
            };
            dirs.write_state(id, &state)?;
            super::container_event(ctx, "start", id, config, &[]);
            // Running is recorded: others may look and act (stop, rm -f) while we wait.
            drop(lock.take());
            if let Some(mut streams) = streams.take() {
                if let Some(t) = terminal {
                    streams.resize(t.try_clone_to_owned().context("duplicating the terminal")?);
                }
                let log = match config.log_driver.as_str() {
                    "none" => None,
                    _ => Some(LogWriter::open(
                        &dirs.dir(id).join(records::LOG),
                        Rotation {
                            max_size: config.log_max_size,
                            max_files: config.log_max_files,
                        },
                    )?),
                };
                // attach is a convenience: a container whose socket cannot be made runs on
                // without it (attach then says there is nothing to attach to).
                let listener = monitor::listen(&attach_socket(ctx, id))
                    .map_err(|e| log::debug!("{e:#}"))
                    .ok();
                if let Some(r) = reporter.take() {
                    r.ok();
                }
                // With -t the terminal relay, in this process, writes the stdout pipe through
                // fd 1 until the container ends; fd 2 is /dev/null already.
                if detached && !config.tty {
                    monitor::silence_stdio()?;
                }
                pump = Some(std::thread::spawn(move || {
                    monitor::pump(streams, log, listener)
                }));
            }
            Ok(())
        });
        // Our own stdout and stderr back: the container's processes are the pipes' last
        // writers, and they are gone, so the log sees EOF once their output is read.
        drop(restore.take());
        if detached && let Err(e) = monitor::silence_stdio() {
            log::warn!("{e:#}");
        }
        if let Some(p) = pump.take() {
            let _ = p.join();
            let _ = std::fs::remove_file(attach_socket(ctx, id));
        }
        exit
    })();

    // As recorded: `update` may have added a v1 controller's directory meanwhile.
    if made_cgroup.is_some()
        && let Some(recorded) = dirs.read_state(id).cgroup
    {
        made_cgroup = Some(recorded);
    }
    // The OOM killer's count is read before the cgroup goes (I12).
    let oom_killed = made_cgroup.as_ref().is_some_and(|c| c.oom_killed());
    if let Some(c) = &made_cgroup {
        // Whatever outlived the container's init (outside its pid namespace) goes with it.
        c.kill();
        if let Err(e) = c.remove() {
            log::warn!("{e:#}");
        }
    }
    if oom_killed {
        super::container_event(ctx, "oom", id, config, &[]);
    }
    if let Ok(exit) = &result {
        super::container_event(
            ctx,
            "die",
            id,
            config,
            &[("exitCode", exit.code().to_string())],
        );
    }
    if config.rm {
        if let Some(f) = &dirs.read_state(id).freezer
            && let Err(e) = f.remove()
        {
            log::warn!("{e:#}");
        }
        match remove_with(store, id, config, true) {
            Ok(()) => super::container_event(ctx, "remove", id, config, &[]),
            Err(e) => log::warn!("removing container {}: {e:#}", id.short()),
        }
        return result.map(Ran::Done);
    }
    // Under the lock: a stop or rm -f may be recording its intent right now.
    let lock = match dirs.lock(id) {
        Ok(l) => Some(l),
        // Removed meanwhile (rm -f): nothing to record, nothing to restart.
        Err(e) if matches!(error::kind_of(&e), Some(ErrorKind::NotFound(_))) => {
            return result.map(Ran::Done);
        }
        Err(e) => {
            log::warn!("{e:#}");
            None
        }
    };
    let current = dirs.read_state(id);
    // The freezer cgroup a `pause` made for this run.
    if let Some(f) = &current.freezer
        && let Err(e) = f.remove()
    {
        log::warn!("{e:#}");
    }
    let restart = match &result {
        Ok(exit) => {
            !current.stopped_by_user && config.restart.restarts(exit.code(), current.restart_count)
        }
        Err(_) => false,
    };
    let ended = match &result {
        Ok(exit) => ContainerState {
            status: if restart {
                Status::Restarting
            } else {
                Status::Exited
            },
            exit_code: exit.code(),
            finished_at: Some(now()),
            restart_count: current.restart_count + u32::from(restart),
            paused: false,
            freezer: None,
            cgroup: None,
            oom_killed,
            ..current
        },
        // It never ran: Docker leaves such a container "created", with the code it would
        // have exited with (exited when it had been running before this restart).
        Err(e) => ContainerState {
            status: if restarting {
                Status::Exited
            } else {
                Status::Created
            },
            exit_code: error::kind_of(e).map_or(spawn_failed(), ErrorKind::exit_code),
            cgroup: None,
            ..before
        },
    };
    if let Err(e) = dirs.write_state(id, &ended)
        && dirs.dir(id).exists()
    {
        log::warn!("{e:#}");
    }
    drop(lock);
    let exit = result?;
    Ok(if restart {
        Ran::Restart(exit)
    } else {
        Ran::Done(exit)
    })
}

/// Whether a foreground start keeps the container's output in its log, as a detached one does
/// (so `logs` shows what a `run` without `-d` printed); not for `--rm`, whose log would go with
/// the container at once.
fn keeps_foreground_log(config: &ContainerConfig) -> bool {
    !config.rm && config.log_driver != "none"
}

/// Where a detached container's monitor serves `attach` while the container runs.
pub(super) fn attach_socket(ctx: &Context, id: &ContainerId) -> PathBuf {
    ctx.runroot.join("attach").join(id.as_str())
}

fn spawn_failed() -> i32 {
    crate::runtime::spawn::SETUP_FAILED
}

/// The plans for one start of `config`.
fn plan(
    ctx: &Context,
    store: &Store,
    id: &ContainerId,
    config: &ContainerConfig,
    attach: Attach,
) -> Result<ContainerPlan> {
    let network = net::Mode::parse(&config.network)?;
    let image_id = config
        .image_id
        .as_ref()
        .context("the container record names no image")?;
    let image = store.lookup(image_id.as_str()).with_context(|| {
        format!(
            "the image of container {} ({}) is gone",
            config.name, config.image
        )
    })?;
    let binds = config
        .volumes
        .iter()
        .map(|v| mounts::parse_volume(v))
        .collect::<Result<Vec<_>>>()?;
    let tmpfs = config
        .tmpfs
        .iter()
        .map(|t| mounts::parse_tmpfs(t))
        .collect::<Result<Vec<_>>>()?;
    let confined = confinement(ctx, config)?;
    let mut started = super::namespaces::plan_start(ctx, store, config, &confined.namespaces)?;
    let dir = store.containers().dir(id);
    let rootfs = match started.remapped_rootfs(store, &image, id)? {
        Some(r) => r,
        None => rootfs::prepare(ctx, store, &image, id)?,
    };
    if let RootfsSpec::Overlay { target, .. } | RootfsSpec::FuseOverlayfs { target, .. } = &rootfs {
        std::fs::DirBuilder::new()
            .create(target)
            .or_else(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Ok(()),
                _ => Err(e),
            })
            .with_context(|| format!("creating {}", target.display()))?;
    }
    let fuse_rootfs = matches!(rootfs, RootfsSpec::FuseOverlayfs { .. });
    let spec = MountSpec {
        rootfs,
        // A --rm container's upper dir is thrown away after this one start.
        volatile: config.rm,
        rootless: ctx.rootless || confined.namespaces.in_userns(),
        readonly_root: config.read_only,
        binds,
        tmpfs,
        etc_files: etc_files(started.etc_dir.as_deref().unwrap_or(&dir)),
        shm_size: config
            .namespaces
            .shm_size
            .unwrap_or(mounts::DEFAULT_SHM_SIZE),
        security: security::mounts(&config.security, ctx.rootless)?,
    };
    let mut mounts = mounts::plan(&spec)?;
    started.adjust_mounts(&mut mounts);
    let maps = started
        .joined_maps
        .take()
        .or_else(|| started.userns.take().map(|u| u.host))
        .or_else(|| {
            ctx.rootless.then(|| {
                userns::maps_for(
                    ctx.uid,
                    ctx.gid,
                    ctx.user_name.as_deref(),
                    Path::new("/etc"),
                )
            })
        });
    let interactive = config.interactive && attach.stdin;
    let pasta = match network {
        net::Mode::Pasta => {
            // A pasta whose berth was killed would hold the ports still.
            net::pasta::kill_leftover(&dir.join(PASTA_LOG));
            // Random host ports are picked anew at each start, as Docker does.
            let ports = net::ports::resolve(&config.ports)?;
            write_ports(&dir, &ports)?;
            Some(net::pasta::plan(
                &ports,
                &dir.join(PASTA_LOG),
                !ctx.rootless,
            )?)
        }
        _ => None,
    };
    let slirp = match network {
        net::Mode::Slirp4netns => {
            // Random host ports are picked anew at each start, as with pasta.
            let ports = net::ports::resolve(&config.ports)?;
            write_ports(&dir, &ports)?;
            let api = slirp_socket(ctx, id);
            if let Some(d) = api.parent() {
                crate::storage::atomic::ensure_private_dir(d)?;
            }
            Some(net::slirp::plan(&ports, &dir.join(SLIRP_LOG), &api)?)
        }
        _ => None,
    };
    // Rootless, the bridge is in the holder's namespaces (`rootless_net`).
    let holder = match network {
        net::Mode::Bridge if ctx.rootless => Some(super::rootless_net::ensure(ctx, store)?),
        _ => None,
    };
    let bridge = match network {
        net::Mode::Bridge => {
            let ports = net::ports::resolve(&config.ports)?;
            write_ports(&dir, &ports)?;
            Some(super::network::bridge_plan(
                store,
                id,
                &config.network,
                ports,
                holder.as_ref(),
            )?)
        }
        _ => None,
    };
    let devices = device_policy(ctx, config, fuse_rootfs)?;
    let cgroup = super::resources::plan(ctx, &config.resources, devices.as_ref(), id.as_str())?;
    if bridge.is_some() {
        // The address may have changed since create (a network made again).
        write_etc_files(store, &dir, id, config)?;
    }
    let mut namespaces = confined.namespaces;
    let mut joins = started.joins;
    let (bridge, maps, companion) = match (holder, bridge) {
        (Some(holder), Some(bridge)) => {
            // Its user namespace first, its network namespace (made and plugged in already)
            // last; `namespaces` marks the user namespace joined already.
            let joined = super::rootless_net::attach(holder, &bridge)?;
            joins.insert(0, joined.holder.user_join()?);
            joins.push(crate::runtime::spawn::Join {
                fd: joined.netns,
                flags: nix::sched::CloneFlags::CLONE_NEWNET,
                what: "its network namespace".into(),
            });
            namespaces.net = false;
            namespaces.joined |= nix::sched::CloneFlags::CLONE_NEWNET;
            let maps = crate::runtime::exec::read_maps(joined.holder.pid)
                .context("reading the id maps of the rootless networks' user namespace")?;
            let relay = super::rootless_net::publish(&joined.holder, &bridge)?;
            (None, Some(maps), relay)
        }
        (_, bridge) => (bridge, maps, None),
    };
    Ok(ContainerPlan {
        cgroup,
        namespaces,
        joins,
        knobs: started.knobs,
        maps,
        hostname: super::namespaces::StartPlan::hostname(&confined.namespaces, &config.hostname),
        // A rootless network's namespace too (made by the network helper with `lo` down).
        loopback: confined.namespaces.net,
        pasta,
        slirp,
        pidfile: config.pidfile.clone(),
        companion,
        bridge,
        mounts,
        argv: config.argv.clone(),
        env: config.env.clone(),
        workdir: config.workdir.clone(),
        user: process::parse_user(&config.user)?,
        group_add: config.group_add.clone(),
        rlimits: confined.rlimits,
        cap_add: confined.cap_add,
        cap_drop: confined.cap_drop,
        privileged: confined.privileged,
        seccomp: confined.seccomp,
        no_new_privs: confined.no_new_privs,
        stdin_null: !interactive,
        tty: config.tty,
        interactive,
        init: config.init,
    })
}

/// A root container's device allow list: Docker's default list, `--device` nodes and
/// `--device-cgroup-rule` lines, as Docker builds it (a list that denied `--device` nodes
/// would make that flag lie). None where there is nothing to confine: rootless (an
/// unprivileged user can load no device program, and a user namespace opens no node it makes)
/// and `--privileged` (every device). With a fuse-overlayfs root filesystem, /dev/fuse too:
/// the container's first process opens it to mount that filesystem (`rootfs::mount_fuse`),
/// already in the container's cgroup. Its /dev stays nodev, so using it later takes a node
/// made on a mount that allows them: CAP_SYS_ADMIN and CAP_MKNOD.
fn device_policy(
    ctx: &Context,
    config: &ContainerConfig,
    fuse_rootfs: bool,
) -> Result<Option<devcg::Policy>> {
    if ctx.rootless || config.security.privileged {
        return Ok(None);
    }
    let devices: Vec<String> = config
        .security
        .devices
        .iter()
        .map(|d| {
            let kind = match d.kind {
                security::DeviceKind::Char => 'c',
                security::DeviceKind::Block => 'b',
            };
            format!("{kind} {}:{} {}", d.major, d.minor, d.perms)
        })
        .collect();
    let lines = crate::runtime::cgroup::DEFAULT_DEVICE_RULES
        .iter()
        .copied()
        .chain(fuse_rootfs.then_some("c 10:229 rw"))
        .chain(devices.iter().map(String::as_str))
        .chain(
            config
                .resources
                .device_cgroup_rules
                .iter()
                .map(String::as_str),
        );
    devcg::Policy::new(lines)
        .context("the container's device rules")
        .map(Some)
}

/// What confines every process of a container, the first (start) and later ones (exec), planned
/// from the record alone so that both agree.
pub(super) struct Confinement {
    pub namespaces: Namespaces,
    pub rlimits: Vec<process::Rlimit>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    /// `--privileged`: every capability berth holds.
    pub privileged: bool,
    /// Empty: no filter.
    pub seccomp: seccompiler::BpfProgram,
    pub no_new_privs: bool,
}

/// Plans [`Confinement`] for `config` in this context (rootless or not).
pub(super) fn confinement(ctx: &Context, config: &ContainerConfig) -> Result<Confinement> {
    let requested = parse_ulimits(&config.ulimits)?;
    let rlimits = process::rlimits(&container::current_rlimits(&requested), &requested)?;
    let sec = &config.security;
    let seccomp = security::seccomp_program(sec, &security::cap_plan(sec)?)?;
    let namespaces = super::namespaces::namespaces(ctx.rootless, config)?;
    Ok(Confinement {
        namespaces,
        rlimits,
        cap_add: sec.cap_add.clone(),
        cap_drop: sec.cap_drop.clone(),
        privileged: sec.privileged,
        seccomp,
        no_new_privs: sec.no_new_privileges,
    })
}

/// Options for [`rm`].
#[derive(Debug, Default)]
pub struct RmOptions {
    pub targets: Vec<String>,
    /// Kill a running container first.
    pub force: bool,
}

/// Removes containers; one result per target, in order (STYLE.md 5).
pub fn rm(ctx: &Context, opts: &RmOptions) -> Result<Vec<Result<String>>> {
    let store = Store::open(ctx)?;
    Ok(opts
        .targets
        .iter()
        .map(|t| rm_one(ctx, &store, t, opts.force).map(|()| t.clone()))
        .collect())
}

pub(super) fn rm_one(ctx: &Context, store: &Store, target: &str, force: bool) -> Result<()> {
    let dirs = store.containers();
    let id = dirs.resolve(target)?;
    let config = dirs.read_config(&id)?;
    let lock = dirs.lock(&id)?;
    let mut state = dirs.read_state(&id);
    let boot = records::boot_id();
    let alive = state.is_alive(&boot);
    let restarting = state.status == Status::Restarting && state.monitor_alive(&boot);
    if (alive || restarting) && !force {
        let what = if alive { "running" } else { "restarting" };
        bail!(ErrorKind::InUse(format!(
            "container {} is {what}: stop it first, or remove it with rm -f",
            config.name
        )));
    }
    if alive {
        // Recorded first, so that its monitor does not restart it.
        state.stopped_by_user = true;
        dirs.write_state(&id, &state)?;
        lifecycle::kill_and_wait(&state)?;
        // Whatever outlived its init (outside its pid namespace).
        if let Some(c) = &state.cgroup {
            c.kill();
        }
    }
    // Left behind when its monitor was killed; the monitor removes them otherwise.
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
    // A restarting container's monitor sees its directory gone and exits.
    remove(store, &id, &config)?;
    drop(lock);
    super::container_event(ctx, "remove", &id, &config, &[]);
    Ok(())
}

/// Removes everything of container `id`: its directory, its name, its cid and pid files.
pub(super) fn remove(store: &Store, id: &ContainerId, config: &ContainerConfig) -> Result<()> {
    remove_with(store, id, config, false)
}

/// [`remove`]; with `detached` (the end of a `--rm` run), the directory's contents are
/// deleted by a detached child (see `Store::remove_container_dir`).
fn remove_with(
    store: &Store,
    id: &ContainerId,
    config: &ContainerConfig,
    detached: bool,
) -> Result<()> {
    let mut errors = Vec::new();
    if config.network == net::Mode::Pasta.as_str() {
        net::pasta::kill_leftover(&store.containers().dir(id).join(PASTA_LOG));
    }
    if let Err(e) = store.remove_container_dir(id, detached) {
        errors.push(format!("{e:#}"));
    }
    if let Err(e) = super::network::release(store, id.as_str(), config) {
        errors.push(format!("{e:#}"));
    }
    if let Err(e) = store.containers().release_name(&config.name, id) {
        errors.push(format!("{e:#}"));
    }
    for f in [&config.cidfile, &config.pidfile].into_iter().flatten() {
        match std::fs::remove_file(f) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                errors.push(format!("removing {}: {e}", f.display()));
            }
            _ => {}
        }
    }
    if !errors.is_empty() {
        bail!("{}", errors.join("; "));
    }
    Ok(())
}

/// The container's published ports as this start resolved them: `<dir>/ports.json`, read by
/// `port`, `ps` and `inspect`.
fn write_ports(dir: &Path, ports: &[net::ports::PortMapping]) -> Result<()> {
    let p = dir.join(PORTS);
    std::fs::write(&p, serde_json::to_vec(ports)?)
        .with_context(|| format!("writing {}", p.display()))
}

/// The file [`write_ports`] writes.
pub const PORTS: &str = "ports.json";
/// Where container `id`'s slirp4netns has its API socket: in the run state dir, since the
/// container's own directory is too deep for a unix socket path.
pub(super) fn slirp_socket(ctx: &Context, id: &ContainerId) -> PathBuf {
    ctx.runroot
        .join("slirp4netns")
        .join(format!("{}.sock", id.short()))
}

/// slirp4netns's stderr in the container's directory (its API socket is [`slirp_socket`]).
const SLIRP_LOG: &str = "slirp4netns.log";
/// pasta's log in the container's directory (its pid file is `pasta.pid`).
pub(super) const PASTA_LOG: &str = "pasta.log";

/// The ports container `dir` published at its last start (empty when none or unreadable).
pub fn published_ports(dir: &Path) -> Vec<net::ports::PortMapping> {
    std::fs::read(dir.join(PORTS))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// `--log-driver` and `--log-opt`: the driver and the rotation (berth's default: 10 MB × 3).
fn parse_log(driver: Option<&str>, opts: &[String]) -> Result<(String, Rotation)> {
    let driver = match driver.unwrap_or("json-file") {
        d @ ("json-file" | "none") => d.to_string(),
        other => bail!(error::invalid(format!(
            "unsupported log driver {other:?}: berth supports json-file and none"
        ))),
    };
    let mut rotation = monitor::DEFAULT_ROTATION;
    for o in opts {
        let bad = |why: &str| error::invalid(format!("invalid --log-opt {o:?}: {why}"));
        let (k, v) = o.split_once('=').ok_or_else(|| bad("expected KEY=VALUE"))?;
        match k {
            "max-size" => {
                rotation.max_size =
                    parse_size(v).ok_or_else(|| bad("expected a size such as 10m"))?;
                if rotation.max_size == 0 {
                    return Err(bad("the size must be more than 0"));
                }
            }
            "max-file" => {
                rotation.max_files = v
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| bad("expected a number of files, at least 1"))?;
            }
            _ => return Err(bad("berth supports max-size and max-file")),
        }
    }
    Ok((driver, rotation))
}

/// A size as Docker's `--log-opt max-size` takes it: a number with an optional k, m or g
/// (powers of 1024, as go-units' RAMInBytes).
/// `--label KEY=VALUE` (or `KEY`, an empty value), as Docker reads it.
fn parse_label(s: &str) -> Result<(String, String)> {
    let (k, v) = s.split_once('=').unwrap_or((s, ""));
    if k.is_empty() || k.chars().any(|c| c.is_whitespace() || c.is_control()) {
        bail!(error::invalid(format!(
            "invalid label {s:?}: expected KEY=VALUE with a non-empty KEY without spaces"
        )));
    }
    Ok((k.to_string(), v.to_string()))
}

pub(super) fn parse_size(s: &str) -> Option<u64> {
    let lower = s.trim().to_ascii_lowercase();
    let lower = lower.strip_suffix('b').unwrap_or(&lower);
    let (num, mult) = match lower.char_indices().last()? {
        (i, 'k') => (&lower[..i], 1u64 << 10),
        (i, 'm') => (&lower[..i], 1 << 20),
        (i, 'g') => (&lower[..i], 1 << 30),
        _ => (lower, 1),
    };
    num.parse::<u64>().ok()?.checked_mul(mult)
}

fn parse_ulimits(ulimits: &[String]) -> Result<Vec<process::Rlimit>> {
    ulimits.iter().map(|u| process::parse_ulimit(u)).collect()
}

pub(super) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

/// Creates `path` (which must not exist, as Docker requires of --cidfile) holding `content`.
fn write_new(path: &Path, content: &str) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                error::invalid(format!(
                    "container id file {} exists: make sure the other container is not running, or delete the file",
                    path.display()
                ))
            } else {
                anyhow::Error::from(e).context(format!("creating {}", path.display()))
            }
        })?;
    f.write_all(content.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// The container's /etc files in its directory: (file name, path in the container).
const ETC_FILES: [(&str, &str); 3] = [
    ("hostname", "/etc/hostname"),
    ("hosts", "/etc/hosts"),
    ("resolv.conf", "/etc/resolv.conf"),
];

/// The container's /etc files as (host path, container path) pairs for the mount plan.
fn etc_files(dir: &Path) -> Vec<(PathBuf, String)> {
    ETC_FILES
        .iter()
        .map(|(name, dest)| (dir.join(name), (*dest).to_string()))
        .collect()
}

/// Writes the container's /etc/hostname, /etc/hosts and /etc/resolv.conf into its directory
/// (at create, and again at each start on a bridge network: its address may have changed).
pub(super) fn write_etc_files(
    store: &Store,
    dir: &Path,
    id: &ContainerId,
    config: &ContainerConfig,
) -> Result<()> {
    let (hosts, resolv) = super::network::name_files(store, id, config)?;
    for ((name, _), content) in
        ETC_FILES
            .iter()
            .zip([format!("{}\n", config.hostname), hosts, resolv])
    {
        let p = dir.join(name);
        std::fs::write(&p, content).with_context(|| format!("writing {}", p.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_a_minute_and_resets_after_ten_seconds() {
        let mut b = Backoff::default();
        let quick = Duration::from_millis(5);
        let got: Vec<u128> = (0..12).map(|_| b.next(quick).as_millis()).collect();
        assert_eq!(
            got,
            [
                100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000
            ]
        );
        assert_eq!(b.next(Duration::from_secs(10)), Duration::from_millis(100));
        assert_eq!(b.next(quick), Duration::from_millis(200));
    }
}
