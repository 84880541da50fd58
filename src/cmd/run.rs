//! `berth run`, and the options it shares with `berth create`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::ops::pull::ImplicitPull;
use crate::ops::{self, CreateOptions};
use crate::storage::digest::Digest;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth run --rm busybox echo hello\n  berth run --rm -e A=1 -w /tmp -u nobody busybox sh -c 'id; pwd; echo $A'\n  berth run --rm -v \"$PWD\":/src:ro --tmpfs /scratch --read-only busybox ls /src\n  berth run --rm --network host busybox hostname\n  berth run --rm --init busybox sh -c 'sleep 100 & exec sleep 1'\n  berth run --name c1 busybox touch /made-here && berth start -a c1\n  berth run -d --restart on-failure:3 --stop-signal INT busybox sh -c 'sleep 5; exit 1'",
    trailing_var_arg = true,
    disable_help_flag = true
)]
pub struct RunArgs {
    /// Run in the background under a monitor and print the container id
    #[arg(short, long)]
    pub detach: bool,
    #[command(flatten)]
    pub create: CreateArgs,
}

/// The options `run` and `create` share: everything the container record holds.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Print help (-h is --hostname, as in Docker)
    #[arg(long, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    /// Remove the container when it exits
    #[arg(long)]
    pub rm: bool,
    /// Keep stdin open (without it the container's stdin is /dev/null)
    #[arg(short, long)]
    pub interactive: bool,
    /// Allocate a pseudo-terminal (the container's controlling terminal and /dev/console)
    #[arg(short, long)]
    pub tty: bool,
    /// Run an init as PID 1 that forwards signals to the command and reaps zombies (berth
    /// itself, like Docker's tini: no binary is added to the container)
    #[arg(long)]
    pub init: bool,
    /// Name the container (unique)
    #[arg(long)]
    pub name: Option<String>,
    /// Set an environment variable: KEY=VALUE, or KEY to take the host's value
    #[arg(short, long, value_name = "KEY[=VALUE]")]
    pub env: Vec<String>,
    /// Read environment variables from a file (KEY=VALUE lines, # comments)
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,
    /// Working directory inside the container (created if missing)
    #[arg(short, long, value_name = "DIR")]
    pub workdir: Option<String>,
    /// User to run as: NAME, UID, NAME:GROUP or UID:GID
    #[arg(short, long, value_name = "USER[:GROUP]")]
    pub user: Option<String>,
    /// Add supplementary groups (names from the image's /etc/group, or numbers)
    #[arg(long, value_name = "GROUP")]
    pub group_add: Vec<String>,
    /// Container hostname (default: the short container id)
    #[arg(long, short = 'h')]
    pub hostname: Option<String>,
    /// Override the image's entrypoint ("" clears it)
    #[arg(long)]
    pub entrypoint: Option<String>,
    /// Bind mount a host path: SRC:DST, optionally with :ro or :rw
    #[arg(short, long, value_name = "SRC:DST[:OPTS]")]
    pub volume: Vec<String>,
    /// Mount a tmpfs at PATH, optionally with mount options after a colon (PATH:size=64m)
    #[arg(long, value_name = "PATH[:OPTS]")]
    pub tmpfs: Vec<String>,
    /// Mount the container's root filesystem read-only
    #[arg(long)]
    pub read_only: bool,
    /// Network mode: none (a private network namespace with lo up), host, pasta (a private
    /// namespace with the host's addresses, egress and -p ports through pasta), slirp4netns
    /// (rootless: egress and -p ports through slirp4netns, the container at 10.0.2.100), a
    /// network's name (as root: a veth on the network's bridge; bridge is the default network),
    /// container:NAME (a running container's network, hostname, hosts and resolv.conf) or
    /// ns:PATH (a network namespace file, as root). Default: the netns key of containers.conf's
    /// containers table, else the default bridge network as root and pasta rootless (slirp4netns
    /// where pasta is not installed)
    #[arg(long, alias = "net")]
    pub network: Option<String>,
    /// Resource limit NAME=SOFT or NAME=SOFT:HARD (never above your own hard limit)
    #[arg(long, value_name = "NAME=SOFT[:HARD]")]
    pub ulimit: Vec<String>,
    /// When to pull the image: missing (only when absent), always, never (use the local image),
    /// newer (pull, but keep the local image when the registry cannot be reached)
    #[arg(long, value_name = "POLICY", default_value = "missing")]
    pub pull: String,
    /// Suppress the output of an implicit pull
    #[arg(short, long)]
    pub quiet: bool,
    /// The platform to pull for a multi-platform image: OS/ARCH[/VARIANT] (default: the
    /// host's); a local image for another platform is pulled again
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,
    #[command(flatten)]
    pub registry: crate::cmd::image::pull::RegistryArgs,
    #[command(flatten)]
    pub resources: crate::cmd::resources::ResourceArgs,
    #[command(flatten)]
    pub security: crate::cmd::security::SecurityArgs,
    #[command(flatten)]
    pub namespaces: crate::cmd::namespaces::NamespaceArgs,
    #[command(flatten)]
    pub names: crate::cmd::names::NameArgs,
    /// Write the container id to FILE (refused if FILE exists; removed with the container)
    #[arg(long, value_name = "FILE")]
    pub cidfile: Option<PathBuf>,
    /// Write the container process's pid to FILE (removed with the container)
    #[arg(long, value_name = "FILE")]
    pub pidfile: Option<PathBuf>,
    /// Where the container's output is kept for `logs`: json-file (default) or none (a foreground
    /// run keeps it too, except with --rm)
    #[arg(long, value_name = "DRIVER")]
    pub log_driver: Option<String>,
    /// Log options: max-size=SIZE (default 10m), max-file=N (default 3); logs rotate by default
    #[arg(long, value_name = "OPT")]
    pub log_opt: Vec<String>,
    /// Publish container ports on the host: IP:HOST_PORT:CONTAINER_PORT/PROTO, where IP, HOST_PORT
    /// (then a free one is picked) and /PROTO (tcp, udp) may be left out; ports may be ranges
    /// such as 8080-8081:80-81 (needs a network that publishes: the default one, pasta or
    /// slirp4netns rootless, or a network as root)
    #[arg(short, long, value_name = "PORTS")]
    pub publish: Vec<String>,
    /// The container's IPv4 address on its network (--network NAME, as root)
    #[arg(long, value_name = "IP")]
    pub ip: Option<String>,
    /// Set a label on the container: KEY=VALUE, or KEY for an empty value
    #[arg(short, long, value_name = "KEY=VALUE")]
    pub label: Vec<String>,
    /// Read labels from FILE: one KEY=VALUE per line, # comments
    #[arg(long, value_name = "FILE")]
    pub label_file: Vec<PathBuf>,
    /// Signal `stop` sends first: a name (SIGTERM, TERM) or a number (default: the image's
    /// STOPSIGNAL, else SIGTERM)
    #[arg(long, value_name = "SIGNAL")]
    pub stop_signal: Option<String>,
    /// Seconds `stop` waits after the stop signal before SIGKILL (default 10; -1: forever)
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub stop_timeout: Option<i64>,
    /// Restart policy: no, on-failure[:MAX-RETRIES], always or unless-stopped (the same as
    /// always: berth has no daemon whose restart they differ on). Restarts back off from
    /// 100 ms, doubling to 1 min; stop, rm -f and kill end them
    #[arg(long, value_name = "POLICY")]
    pub restart: Option<String>,
    /// The image (by name or id), then the command and its arguments (default: the image's).
    /// Everything after the image belongs to the command, whatever it looks like.
    #[arg(required = true, num_args = 1.., value_name = "IMAGE [COMMAND [ARG...]]")]
    pub image_and_command: Vec<String>,
}

impl CreateArgs {
    pub fn into_options(self) -> CreateOptions {
        let pull_with = implicit_pull(self.quiet, self.platform, self.registry);
        CreateOptions {
            image: self.image_and_command.first().cloned().unwrap_or_default(),
            command: self.image_and_command.get(1..).unwrap_or_default().to_vec(),
            rm: self.rm,
            interactive: self.interactive,
            tty: self.tty,
            name: self.name,
            env: self.env,
            env_files: self.env_file,
            workdir: self.workdir,
            user: self.user,
            group_add: self.group_add,
            hostname: self.hostname,
            entrypoint: self.entrypoint,
            volumes: self.volume,
            tmpfs: self.tmpfs,
            read_only: self.read_only,
            network: self.network,
            ulimits: self.ulimit,
            pull: self.pull,
            cidfile: self.cidfile,
            pidfile: self.pidfile,
            log_driver: self.log_driver,
            log_opts: self.log_opt,
            init: self.init,
            labels: self.label,
            label_files: self.label_file,
            publish: self.publish,
            stop_signal: self.stop_signal,
            stop_timeout: self.stop_timeout,
            restart: self.restart,
            pull_with,
            ip: self.ip,
            resources: self.resources.into_flags(),
            security: self.security.into_options(),
            namespaces: self.namespaces.into_options(),
            net: self.names.into_config(),
        }
    }
}

/// An implicit pull's settings: its progress on stderr as `berth pull` shows it (bars on a
/// terminal, plain lines otherwise), or nothing with `-q`.
fn implicit_pull(
    quiet: bool,
    platform: Option<String>,
    registry: crate::cmd::image::pull::RegistryArgs,
) -> ImplicitPull {
    let mut how = ImplicitPull {
        registry: registry.into_options(),
        platform,
        ..ImplicitPull::default()
    };
    if quiet {
        return how;
    }
    if std::io::stderr().is_terminal() {
        let bars = Arc::new(crate::cmd::image::pull::Bars::new());
        let b2 = bars.clone();
        how.progress = Some(Arc::new(move |line: &str| bars.line(line)));
        how.bytes = Some(Arc::new(move |d: &Digest, done, total| {
            b2.bytes(d, done, total)
        }));
    } else {
        how.progress = Some(Arc::new(|line: &str| eprintln!("{line}")));
    }
    how
}

pub fn run(ctx: &Context, a: RunArgs) -> Result<ExitCode> {
    if a.detach {
        if let ops::Detached::Started(id) = ops::run_detached(ctx, a.create.into_options())? {
            crate::cmd::print(&format!("{id}\n"))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let exit = ops::run(ctx, a.create.into_options())?;
    Ok(ExitCode::from(u8::try_from(exit.code()).unwrap_or(255)))
}
