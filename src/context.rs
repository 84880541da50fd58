//! `Context`: everything an invocation learns about its caller, resolved once in `main`.
//!
//! Who we are (uid, rootless or not), where the store and the run state live (XDG dirs, or the
//! `--root`/`--runroot` overrides), and the environment values later code needs. Code below
//! `cmd/` reads these fields and never `std::env` (STYLE.md 2; clippy.toml enforces it).

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};

/// How much berth says on stderr about what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl std::str::FromStr for LogLevel {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "error" | "fatal" | "panic" => LogLevel::Error,
            "warn" | "warning" => LogLevel::Warn,
            "info" => LogLevel::Info,
            "debug" => LogLevel::Debug,
            "trace" => LogLevel::Trace,
            other => bail!(
                "invalid log level {other:?}: use one of trace, debug, info, warn, error, fatal, panic"
            ),
        })
    }
}

/// The values of the environment berth uses, read once by [`Env::from_process`].
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub home: Option<OsString>,
    pub xdg_data_home: Option<OsString>,
    pub xdg_runtime_dir: Option<OsString>,
    pub xdg_config_home: Option<OsString>,
    pub tmpdir: Option<OsString>,
    /// The whole environment, for `-e KEY` and env-file lines that take the host's value.
    pub vars: std::collections::BTreeMap<String, String>,
}

impl Env {
    /// The value of the host's variable `key`, as `-e KEY` wants it.
    pub fn lookup(&self, key: &str) -> Option<String> {
        self.vars.get(key).cloned()
    }
}

impl Env {
    /// Reads the variables berth cares about from the process environment.
    #[allow(clippy::disallowed_methods)] // the one place the environment is read
    pub fn from_process() -> Env {
        let get = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        Env {
            home: get("HOME"),
            xdg_data_home: get("XDG_DATA_HOME"),
            xdg_runtime_dir: get("XDG_RUNTIME_DIR"),
            xdg_config_home: get("XDG_CONFIG_HOME"),
            tmpdir: get("TMPDIR"),
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }
}

/// What the global command-line options asked for.
#[derive(Debug, Clone, Default)]
pub struct GlobalOptions {
    pub root: Option<PathBuf>,
    pub runroot: Option<PathBuf>,
    pub storage_driver: Option<String>,
    pub log_level: Option<LogLevel>,
}

/// The resolved invocation context.
#[derive(Debug, Clone)]
pub struct Context {
    /// The real uid of the caller.
    pub uid: u32,
    /// The real gid of the caller.
    pub gid: u32,
    /// The caller's login name, for subuid/subgid lookups.
    pub user_name: Option<String>,
    /// True when berth runs without root on the host.
    pub rootless: bool,
    /// The store: blobs, layers, images, containers.
    pub root: PathBuf,
    /// Run state: locks that die with the boot, pid files, sockets.
    pub runroot: PathBuf,
    /// Configuration (`/etc/berth` or `$XDG_CONFIG_HOME/berth`).
    pub config_dir: PathBuf,
    /// The storage driver the store uses (only `overlay` exists).
    pub storage_driver: String,
    pub log_level: LogLevel,
    /// The environment as read at startup.
    pub env: Env,
}

impl Context {
    /// Resolves the context from the caller's ids, the environment and the global options.
    ///
    /// Fails when a rootless caller has no home directory to put the store in, or when the
    /// storage driver is not one berth implements.
    pub fn resolve(opts: GlobalOptions, env: Env) -> Result<Context> {
        let uid = nix::unistd::getuid().as_raw();
        let gid = nix::unistd::getgid().as_raw();
        let rootless = nix::unistd::geteuid().as_raw() != 0;
        // Only a rootless caller needs its name (for /etc/subuid); the lookup goes through NSS,
        // which costs a visible share of a `run` as root.
        let user_name = if rootless {
            nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
                .ok()
                .flatten()
                .map(|u| u.name)
        } else {
            None
        };
        let storage_driver = match opts.storage_driver.as_deref() {
            None | Some("overlay") | Some("overlay2") => "overlay".to_string(),
            Some(other) => bail!(crate::error::invalid(format!(
                "unsupported storage driver {other:?}: berth supports \"overlay\""
            ))),
        };
        let home = || -> Result<PathBuf> {
            env.home
                .as_ref()
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .context(
                    "$HOME is not set to an absolute path: set it, or pass --root and --runroot",
                )
        };
        let (default_root, default_runroot, config_dir) = if rootless {
            let data = match &env.xdg_data_home {
                Some(d) if PathBuf::from(d).is_absolute() => PathBuf::from(d),
                _ if opts.root.is_some() => PathBuf::new(),
                _ => home()?.join(".local/share"),
            };
            let runtime = match &env.xdg_runtime_dir {
                Some(d) if PathBuf::from(d).is_absolute() => PathBuf::from(d).join("berth"),
                _ => PathBuf::from(format!("/tmp/berth-{uid}")),
            };
            let config = match &env.xdg_config_home {
                Some(d) if PathBuf::from(d).is_absolute() => PathBuf::from(d),
                _ => home().unwrap_or_default().join(".config"),
            };
            (data.join("berth"), runtime, config.join("berth"))
        } else {
            (
                PathBuf::from("/var/lib/berth"),
                PathBuf::from("/run/berth"),
                PathBuf::from("/etc/berth"),
            )
        };
        let absolute = |p: PathBuf, what: &str| -> Result<PathBuf> {
            if p.is_absolute() {
                Ok(p)
            } else {
                std::path::absolute(&p).with_context(|| format!("resolving {what} {}", p.display()))
            }
        };
        Ok(Context {
            uid,
            gid,
            user_name,
            rootless,
            root: absolute(opts.root.unwrap_or(default_root), "--root")?,
            runroot: absolute(opts.runroot.unwrap_or(default_runroot), "--runroot")?,
            config_dir,
            storage_driver,
            log_level: opts.log_level.unwrap_or(LogLevel::Warn),
            env,
        })
    }
}
