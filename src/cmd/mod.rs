//! The command line: the clap definitions (their doc comments are the user documentation), one
//! file per verb, a folder per noun, and `dispatch`.
//!
//! A command file holds its `XxxArgs`, turns them into the engine's options, makes one `ops::`
//! call and prints the report. No syscalls, no file formats, no locks here (STYLE.md 4).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

use crate::context::{Context, Env, GlobalOptions, LogLevel};
use crate::error::{self, ErrorKind};

pub mod container;
mod events;
pub mod format;
pub mod image;
mod info;
pub(crate) mod inspect;
mod login;
mod names;
pub mod namespaces;
pub mod network;
mod prune;
pub mod resources;
mod run;
mod search;
pub mod security;
mod version;

/// berth: a daemonless, rootless-first container tool that speaks the Docker/Podman command line.
#[derive(Debug, Parser)]
#[command(
    name = "berth",
    version,
    max_term_width = 100,
    after_help = "Run 'berth COMMAND --help' for more information on a command."
)]
pub struct Cli {
    #[command(flatten)]
    pub globals: Globals,
    #[command(subcommand)]
    pub command: Command,
}

/// The options every command takes.
#[derive(Debug, Args)]
pub struct Globals {
    /// Path to the image and container store (default: /var/lib/berth as root,
    /// $XDG_DATA_HOME/berth rootless)
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Path to the runtime state directory (default: /run/berth as root,
    /// $XDG_RUNTIME_DIR/berth rootless)
    #[arg(long, global = true, value_name = "DIR")]
    pub runroot: Option<PathBuf>,
    /// Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image's layers
    /// with the kernel's overlayfs, falling back to fuse-overlayfs and then to a copy where the
    /// kernel refuses; "vfs" gives every container its own copy of the image
    #[arg(long, global = true, value_name = "DRIVER")]
    pub storage_driver: Option<String>,
    /// Storage driver option, KEY=VALUE (repeatable); berth knows
    /// overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container's root
    /// with that FUSE program instead of the kernel's overlay
    #[arg(long, global = true, value_name = "KEY=VALUE")]
    pub storage_opt: Vec<String>,
    /// Log messages at this level and above: trace, debug, info, warn, error
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,
}

/// `berth run` alone: the same options as [`Cli`] with only the `run` subcommand, so that the
/// hottest command does not build the parser of every other one (clap builds the whole tree
/// it is given, a large part of a `run --rm`'s start-up). Used only when the command line's
/// verb is `run` (see [`run_verb`]); its help and errors are `Cli`'s for `run`.
#[derive(Debug, Parser)]
#[command(name = "berth", version, max_term_width = 100)]
struct RunCli {
    #[command(flatten)]
    globals: Globals,
    #[command(subcommand)]
    command: RunOnly,
}

#[derive(Debug, Subcommand)]
enum RunOnly {
    /// Run a command in a new container
    Run(Box<run::RunArgs>),
}

/// Whether the verb of `args` (after the program name and any global options) is `run`.
fn run_verb(args: &[std::ffi::OsString]) -> bool {
    const WITH_VALUE: [&str; 5] = [
        "--root",
        "--runroot",
        "--storage-driver",
        "--storage-opt",
        "--log-level",
    ];
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let Some(a) = a.to_str() else {
            return false;
        };
        if WITH_VALUE.contains(&a) {
            it.next();
        } else if WITH_VALUE.iter().any(|g| a.starts_with(&format!("{g}="))) {
        } else {
            return a == "run";
        }
    }
    false
}

/// Parses the command line; `run` through [`RunCli`].
fn parse(args: &[std::ffi::OsString]) -> Result<Cli, clap::Error> {
    if run_verb(args) {
        let RunCli { globals, command } = RunCli::try_parse_from(args)?;
        let RunOnly::Run(a) = command;
        return Ok(Cli {
            globals,
            command: Command::Run(a),
        });
    }
    Cli::try_parse_from(args)
}

/// Every top-level command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage images
    #[command(subcommand)]
    Image(image::ImageCommand),
    /// List images
    Images(image::ls::LsArgs),
    /// Load images from a docker-archive or oci-archive
    Load(image::load::LoadArgs),
    /// Save images to a docker-archive or oci-archive
    Save(image::save::SaveArgs),
    /// Create an image from a root filesystem tarball
    Import(image::import::ImportArgs),
    /// Add names to an image
    Tag(image::tag::TagArgs),
    /// Remove names from an image
    Untag(image::tag::UntagArgs),
    /// Remove images
    Rmi(image::rm::RmArgs),
    /// Show the history of an image
    History(image::history::HistoryArgs),
    /// Show details of images
    Inspect(inspect::InspectArgs),
    /// Pull an image from a registry
    Pull(image::pull::PullArgs),
    /// Push an image to a registry
    Push(image::push::PushArgs),
    /// Search a registry for images
    Search(search::SearchArgs),
    /// Log in to a registry
    Login(login::LoginArgs),
    /// Log out of a registry
    Logout(login::LogoutArgs),
    /// Manage containers
    #[command(subcommand)]
    Container(container::ContainerCommand),
    /// Run a command in a new container
    Run(Box<run::RunArgs>),
    /// Create a container without starting it
    Create(Box<container::create::CreateCmd>),
    /// Start a created or exited container
    Start(container::start::StartArgs),
    /// Remove containers
    Rm(container::rm::RmArgs),
    /// Show a container's output
    Logs(container::logs::LogsArgs),
    /// List containers
    Ps(container::ps::PsArgs),
    /// Run a command in a running container
    Exec(container::exec::ExecArgs),
    /// Show the processes of a running container
    Top(container::top::TopArgs),
    /// Rename a container
    Rename(container::rename::RenameArgs),
    /// List a container's published ports
    Port(container::port::PortArgs),
    /// Manage networks
    #[command(subcommand)]
    Network(network::NetworkCommand),
    /// Show what happened to containers, as it happens
    Events(events::EventsArgs),
    /// Stop running containers
    Stop(container::stop::StopArgs),
    /// Send a signal to running containers
    Kill(container::kill::KillArgs),
    /// Restart containers
    Restart(container::restart::RestartArgs),
    /// Wait for containers to stop and print their exit codes
    Wait(container::wait::WaitArgs),
    /// Pause all processes in containers
    Pause(container::pause::PauseArgs),
    /// Unpause paused containers
    Unpause(container::pause::PauseArgs),
    /// Attach to a running container's output (and input)
    Attach(container::attach::AttachArgs),
    /// Show what containers use: CPU, memory, network and block I/O, processes
    Stats(container::stats::StatsArgs),
    /// Change containers' resource limits and restart policy
    Update(container::update::UpdateArgs),
    /// Show the berth version
    Version(version::VersionArgs),
    /// Show system-wide information
    Info(info::InfoArgs),
}

/// Runs one command.
pub fn dispatch(ctx: &Context, command: Command) -> Result<ExitCode> {
    match command {
        Command::Image(c) => image::dispatch(ctx, c),
        Command::Images(a) => image::ls::run(ctx, a),
        Command::Load(a) => image::load::run(ctx, a),
        Command::Save(a) => image::save::run(ctx, a),
        Command::Import(a) => image::import::run(ctx, a),
        Command::Tag(a) => image::tag::run(ctx, a),
        Command::Untag(a) => image::tag::run_untag(ctx, a),
        Command::Rmi(a) => image::rm::run(ctx, a),
        Command::History(a) => image::history::run(ctx, a),
        Command::Inspect(a) => inspect::run(ctx, a),
        Command::Pull(a) => image::pull::run(ctx, a),
        Command::Push(a) => image::push::run(ctx, a),
        Command::Search(a) => search::run(ctx, a),
        Command::Login(a) => login::run(ctx, a),
        Command::Logout(a) => login::run_logout(ctx, a),
        Command::Container(c) => container::dispatch(ctx, c),
        Command::Run(a) => run::run(ctx, *a),
        Command::Create(a) => container::create::run(ctx, *a),
        Command::Start(a) => container::start::run(ctx, a),
        Command::Rm(a) => container::rm::run(ctx, a),
        Command::Logs(a) => container::logs::run(ctx, a),
        Command::Ps(a) => container::ps::run(ctx, a),
        Command::Exec(a) => container::exec::run(ctx, a),
        Command::Top(a) => container::top::run(ctx, a),
        Command::Rename(a) => container::rename::run(ctx, a),
        Command::Port(a) => container::port::run(ctx, a),
        Command::Network(c) => network::dispatch(ctx, c),
        Command::Events(a) => events::run(ctx, a),
        Command::Stop(a) => container::stop::run(ctx, a),
        Command::Kill(a) => container::kill::run(ctx, a),
        Command::Restart(a) => container::restart::run(ctx, a),
        Command::Wait(a) => container::wait::run(ctx, a),
        Command::Pause(a) => container::pause::run(ctx, a),
        Command::Unpause(a) => container::pause::run_unpause(ctx, a),
        Command::Attach(a) => container::attach::run(ctx, a),
        Command::Stats(a) => container::stats::run(ctx, a),
        Command::Update(a) => container::update::run(ctx, a),
        Command::Version(a) => version::run(a),
        Command::Info(a) => info::run(ctx, a),
    }
}

/// Writes `s` to stdout in one piece.
pub(crate) fn print(s: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Prints an error the way every berth error looks: `Error: <what>: <why>`.
pub(crate) fn print_error(e: &anyhow::Error) {
    eprintln!("Error: {e:#}");
}

struct StderrLogger(LogLevel);

impl log::Log for StderrLogger {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        let lvl = match m.level() {
            log::Level::Error => LogLevel::Error,
            log::Level::Warn => LogLevel::Warn,
            log::Level::Info => LogLevel::Info,
            log::Level::Debug => LogLevel::Debug,
            log::Level::Trace => LogLevel::Trace,
        };
        lvl <= self.0
    }
    fn log(&self, r: &log::Record<'_>) {
        if self.enabled(r.metadata()) {
            let tag = match r.level() {
                log::Level::Error => "Error",
                log::Level::Warn => "Warning",
                log::Level::Info => "Info",
                log::Level::Debug => "Debug",
                log::Level::Trace => "Trace",
            };
            eprintln!("{tag}: {}", r.args());
        }
    }
    fn flush(&self) {}
}

fn init_logging(level: LogLevel) {
    let max = match level {
        LogLevel::Error => log::LevelFilter::Error,
        LogLevel::Warn => log::LevelFilter::Warn,
        LogLevel::Info => log::LevelFilter::Info,
        LogLevel::Debug => log::LevelFilter::Debug,
        LogLevel::Trace => log::LevelFilter::Trace,
    };
    if log::set_boxed_logger(Box::new(StderrLogger(level))).is_ok() {
        log::set_max_level(max);
    }
}

/// True when a broken pipe on stdout caused the error: that counts as success (a reader such as
/// `head` closed early), as in ripgrep.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Runs berth with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args
        .get(1)
        .is_some_and(|a| a == crate::runtime::userns::CHILD_ARG)
    {
        // The rootless helper: must run before anything starts a thread (unshare(CLONE_NEWUSER)).
        init_logging(LogLevel::Warn);
        return match crate::storage::unpack::userns_child(&args[2..]) {
            Ok(out) => match io::stdout().lock().write_all(&out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(125),
            },
            Err(e) => {
                print_error(&e);
                ExitCode::from(125)
            }
        };
    }
    if args.get(1).is_some_and(|a| a == crate::ops::dns::CHILD_ARG) {
        // A user-defined network's DNS server (started by a container start, not by users).
        return crate::ops::dns::main(&args[2..]);
    }
    if args
        .get(1)
        .is_some_and(|a| a == crate::ops::rootless_net::CHILD_ARG)
    {
        // The holder of rootless networks: unshares a user namespace, so before any thread.
        return crate::ops::rootless_net::main(&args[2..]);
    }
    // Rust ignores SIGPIPE; a closed pipe shows up as EPIPE, handled in is_broken_pipe.
    let cli = match parse(&args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind as K;
            return match e.kind() {
                K::DisplayHelp
                | K::DisplayVersion
                | K::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    if e.kind() == K::DisplayHelpOnMissingArgumentOrSubcommand {
                        ExitCode::from(125)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                _ => {
                    let text = e.render().to_string();
                    let text = text.strip_prefix("error: ").unwrap_or(&text);
                    eprint!("Error: {text}");
                    ExitCode::from(125)
                }
            };
        }
    };
    let log_level = match cli
        .globals
        .log_level
        .as_deref()
        .map(str::parse::<LogLevel>)
        .transpose()
    {
        Ok(l) => l,
        Err(e) => {
            print_error(&e);
            return ExitCode::from(125);
        }
    };
    init_logging(log_level.unwrap_or(LogLevel::Warn));
    let opts = GlobalOptions {
        root: cli.globals.root,
        runroot: cli.globals.runroot,
        storage_driver: cli.globals.storage_driver,
        storage_opts: cli.globals.storage_opt,
        log_level,
    };
    let result =
        Context::resolve(opts, Env::from_process()).and_then(|ctx| dispatch(&ctx, cli.command));
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(&e);
            ExitCode::from(error::kind_of(&e).map_or(125, ErrorKind::exit_code) as u8)
        }
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<std::ffi::OsString> {
        v.iter().map(|s| s.into()).collect()
    }

    #[test]
    fn run_is_found_after_global_options_only() {
        assert!(run_verb(&os(&["berth", "run", "busybox"])));
        assert!(run_verb(&os(&[
            "berth",
            "--root",
            "/r",
            "--log-level=debug",
            "run"
        ])));
        assert!(!run_verb(&os(&["berth", "container", "run", "busybox"])));
        assert!(!run_verb(&os(&["berth", "--root"])));
        assert!(!run_verb(&os(&["berth", "--help", "run"])));
        assert!(!run_verb(&os(&["berth", "ps", "run"])));
        assert!(!run_verb(&os(&["berth"])));
    }

    #[test]
    fn the_fast_parser_gives_what_the_full_one_gives() {
        let args = os(&[
            "berth", "--root", "/r", "run", "--rm", "-e", "A=1", "busybox", "ls", "-l",
        ]);
        let fast = format!("{:?}", parse(&args).unwrap());
        let full = format!("{:?}", Cli::try_parse_from(&args).unwrap());
        assert_eq!(fast, full);
    }
}
