//! `run`: an image and a command line become a running, isolated process (foreground, `--rm`).
//!
//! Parses and checks every option before anything is created (bad input is exit 125 and leaves
//! nothing behind), then: container id and name, container directory and its /etc files, the
//! plans (mounts, process, capabilities, seccomp, rlimits), `runtime::container::run`, and the
//! cleanup `--rm` asks for, which runs whatever happened.

use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};

use crate::context::Context;
use crate::error;
use crate::runtime::container::{self, ContainerPlan};
use crate::runtime::mounts::{self, MountSpec};
use crate::runtime::process::{self, EnvDefaults};
use crate::runtime::spawn::{Exit, Namespaces};
use crate::runtime::{caps, rootfs, seccomp, userns};
use crate::storage::Store;
use crate::storage::container::ContainerId;
use crate::storage::image::ConfigView;

/// Options for [`run`].
#[derive(Debug, Default)]
pub struct RunOptions {
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
    pub network: String,
    pub ulimits: Vec<String>,
    /// `--pull`: never or missing (always needs the registry client, which comes later).
    pub pull: String,
    /// Write the container id here; an existing file is refused. Removed with the container.
    pub cidfile: Option<PathBuf>,
    /// Write the container process's pid here once it runs. Removed with the container.
    pub pidfile: Option<PathBuf>,
}

/// Runs a container in the foreground and returns how its command exited.
///
/// Errors: bad options, an unknown image, setup failures in the container (exit 125), a
/// command that is not found (127) or not executable (126). With `--rm` the container's
/// directory and name are removed afterwards in every case.
pub fn run(ctx: &Context, opts: RunOptions) -> Result<Exit> {
    if !opts.rm {
        bail!(error::invalid(
            "berth run needs --rm for now: containers that outlive their run (ps, start, rm) come with the container-management work"
        ));
    }
    let host_network = match opts.network.as_str() {
        "none" | "" => false,
        "host" => true,
        other => bail!(error::invalid(format!(
            "--network {other:?} is not supported yet: use none or host"
        ))),
    };
    let binds = opts
        .volumes
        .iter()
        .map(|v| mounts::parse_volume(v))
        .collect::<Result<Vec<_>>>()?;
    let tmpfs = opts
        .tmpfs
        .iter()
        .map(|t| mounts::parse_tmpfs(t))
        .collect::<Result<Vec<_>>>()?;
    let requested = opts
        .ulimits
        .iter()
        .map(|u| process::parse_ulimit(u))
        .collect::<Result<Vec<_>>>()?;
    let rlimits = process::rlimits(&container::current_rlimits(&requested), &requested)?;
    let mut env_files = Vec::new();
    for f in &opts.env_files {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("reading env file {}", f.display()))?;
        env_files.extend(process::parse_env_file(&text, |k| ctx.env.lookup(k))?);
    }

    match opts.pull.as_str() {
        "never" | "missing" | "" => {}
        "always" | "newer" => bail!(error::invalid(format!(
            "--pull={}: pulling images is not implemented yet (it comes with the registry work); use --pull=never with a loaded image",
            opts.pull
        ))),
        other => bail!(error::invalid(format!(
            "invalid --pull {other:?}: use never, missing or always"
        ))),
    }
    let store = Store::open(ctx)?;
    let image = store.lookup(&opts.image).map_err(|e| {
        let missing = matches!(error::kind_of(&e), Some(error::ErrorKind::NotFound(_)));
        if missing && opts.pull != "never" {
            error::not_found(format!(
                "no such image: {}: pulling is not implemented yet, load or import it first",
                opts.image
            ))
        } else {
            e
        }
    })?;
    let config = ConfigView::parse(&store.read_blob(&image.id)?)
        .with_context(|| format!("parsing the config of image {}", image.id.short()))?;
    let rc = config.config.unwrap_or_default();
    let argv = process::argv(
        rc.entrypoint.as_deref(),
        rc.cmd.as_deref(),
        opts.entrypoint.as_deref(),
        &opts.command,
    )?;
    let user = process::parse_user(
        opts.user
            .as_deref()
            .or(rc.user.as_deref())
            .unwrap_or_default(),
    )?;
    let workdir = process::workdir(
        rc.working_dir.as_deref().unwrap_or_default(),
        opts.workdir.as_deref(),
    )?;

    let id = ContainerId::generate()?;
    let hostname = match (&opts.hostname, host_network) {
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

    let names = store.containers();
    if let Some(n) = &opts.name {
        names.reserve_name(n, &id)?;
    }
    if let Some(f) = &opts.cidfile
        && let Err(e) = write_new(f, id.as_str())
    {
        if let Some(n) = &opts.name {
            let _ = names.release_name(n, &id);
        }
        return Err(e);
    }
    let result = (|| -> Result<Exit> {
        let dir = store.create_container_dir(&id)?;
        let etc = write_etc_files(&dir, &hostname, host_network)?;
        let spec = MountSpec {
            rootfs: rootfs::prepare(ctx, &store, &image, &id)?,
            rootless: ctx.rootless,
            readonly_root: opts.read_only,
            binds,
            tmpfs,
            etc_files: etc,
            shm_size: mounts::DEFAULT_SHM_SIZE,
        };
        let mounts = mounts::plan(&spec)?;
        let bounding = caps::plan(&[], &[], false, 0)?;
        let maps = ctx.rootless.then(|| {
            userns::maps_for(
                ctx.uid,
                ctx.gid,
                ctx.user_name.as_deref(),
                std::path::Path::new("/etc"),
            )
        });
        let mut namespaces = Namespaces::container(ctx.rootless);
        namespaces.net = !host_network;
        let plan = ContainerPlan {
            namespaces,
            maps,
            hostname: Some(hostname.clone()),
            loopback: !host_network,
            mounts,
            argv,
            env,
            workdir,
            user,
            group_add: opts.group_add.clone(),
            rlimits,
            cap_add: Vec::new(),
            cap_drop: Vec::new(),
            seccomp: seccomp::default_program(&bounding)?,
            no_new_privs: false,
            stdin_null: !opts.interactive && !opts.tty,
            tty: opts.tty,
            interactive: opts.interactive,
        };
        container::run(&plan, |pid| match &opts.pidfile {
            Some(f) => std::fs::write(f, format!("{pid}\n"))
                .with_context(|| format!("writing the pid file {}", f.display())),
            None => Ok(()),
        })
    })();
    // --rm: remove what was made, whatever happened, and report the run's own result first.
    let mut cleanup = Vec::new();
    if let Err(e) = store.remove_container_dir(&id) {
        cleanup.push(format!("{e:#}"));
    }
    if let Some(n) = &opts.name
        && let Err(e) = names.release_name(n, &id)
    {
        cleanup.push(format!("{e:#}"));
    }
    for f in [&opts.cidfile, &opts.pidfile].into_iter().flatten() {
        match std::fs::remove_file(f) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                cleanup.push(format!("removing {}: {e}", f.display()))
            }
            _ => {}
        }
    }
    if !cleanup.is_empty() {
        log::warn!("removing container {}: {}", id.short(), cleanup.join("; "));
    }
    result
}

/// Creates `path` (which must not exist, as Docker requires of --cidfile) holding `content`.
fn write_new(path: &std::path::Path, content: &str) -> Result<()> {
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

/// Writes the container's /etc/hostname, /etc/hosts and /etc/resolv.conf into its directory and
/// returns them as (host path, container path) pairs for the mount plan.
fn write_etc_files(
    dir: &std::path::Path,
    hostname: &str,
    host_network: bool,
) -> Result<Vec<(PathBuf, String)>> {
    let hosts = if host_network {
        std::fs::read_to_string("/etc/hosts").unwrap_or_default()
    } else {
        format!(
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n"
        )
    };
    let resolv = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let files = [
        ("hostname", format!("{hostname}\n"), "/etc/hostname"),
        ("hosts", hosts, "/etc/hosts"),
        ("resolv.conf", resolv, "/etc/resolv.conf"),
    ];
    let mut out = Vec::new();
    for (name, content, dest) in files {
        let p = dir.join(name);
        std::fs::write(&p, content).with_context(|| format!("writing {}", p.display()))?;
        out.push((p, dest.to_string()));
    }
    Ok(out)
}
