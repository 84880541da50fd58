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
    /// `--storage-opt KEY=VALUE`, in command-line order.
    pub storage_opts: Vec<String>,
    pub log_level: Option<LogLevel>,
}

/// How container root filesystems are made (`--storage-driver`, as Podman names them). The
/// store itself is the same for both: layers are unpacked once, in overlay's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageDriver {
    /// The image's layers stacked with overlayfs: the kernel's, else fuse-overlayfs, else a copy
    /// (`runtime::rootfs` decides).
    Overlay,
    /// A private copy of the image per container.
    Vfs,
}

impl StorageDriver {
    /// The name Podman and `berth info` use.
    pub fn as_str(self) -> &'static str {
        match self {
            StorageDriver::Overlay => "overlay",
            StorageDriver::Vfs => "vfs",
        }
    }
}

/// The storage driver and the `--storage-opt` values berth understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageOptions {
    pub driver: StorageDriver,
    /// `overlay.mount_program`: always mount the rootfs with this FUSE overlay program
    /// (fuse-overlayfs), never with the kernel's overlay.
    pub mount_program: Option<PathBuf>,
}

/// Resolves `--storage-driver` and `--storage-opt` into [`StorageOptions`]. Unknown drivers,
/// keys and values are errors naming the option. `overlay.mount_program` must be an absolute
/// path to an executable file; the keys may also be spelt `overlay2.` or `.` + the name, as
/// containers/storage accepts them.
pub fn parse_storage(driver: Option<&str>, opts: &[String]) -> Result<StorageOptions> {
    let driver = match driver {
        None | Some("overlay") | Some("overlay2") => StorageDriver::Overlay,
        Some("vfs") => StorageDriver::Vfs,
        Some(other) => bail!(crate::error::invalid(format!(
            "unsupported storage driver {other:?}: berth supports \"overlay\" and \"vfs\""
        ))),
    };
    let mut mount_program = None;
    for opt in opts {
        let bad =
            |why: String| crate::error::invalid(format!("invalid --storage-opt {opt:?}: {why}"));
        let (key, value) = opt
            .split_once('=')
            .ok_or_else(|| bad("expected KEY=VALUE".into()))?;
        let name = key
            .strip_prefix("overlay.")
            .or_else(|| key.strip_prefix("overlay2."))
            .or_else(|| key.strip_prefix('.'));
        match name {
            Some("mount_program") => {}
            _ => bail!(bad(format!(
                "unknown option {key:?} (berth supports overlay.mount_program)"
            ))),
        }
        if driver == StorageDriver::Vfs {
            bail!(bad(
                "the vfs storage driver copies the image and uses no mount program".into()
            ));
        }
        let path = PathBuf::from(value);
        if !path.is_absolute() {
            bail!(bad("the mount program must be an absolute path".into()));
        }
        let meta = std::fs::metadata(&path).map_err(|e| bad(format!("{value}: {e}")))?;
        use std::os::unix::fs::PermissionsExt;
        if !meta.is_file() || meta.permissions().mode() & 0o111 == 0 {
            bail!(bad(format!("{value} is not an executable file")));
        }
        mount_program = Some(path);
    }
    Ok(StorageOptions {
        driver,
        mount_program,
    })
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
    /// The storage driver and options (`--storage-driver`, `--storage-opt`).
    pub storage: StorageOptions,
    pub log_level: LogLevel,
    /// The environment as read at startup.
    pub env: Env,
}

impl Context {
    /// Resolves the context from the caller's ids, the environment and the global options.
    ///
    /// Fails when a rootless caller has no home directory to put the store in, or when the
    /// storage driver or a storage option is not one berth implements (see [`parse_storage`]).
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
        let storage = parse_storage(opts.storage_driver.as_deref(), &opts.storage_opts)?;
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
            storage,
            log_level: opts.log_level.unwrap_or(LogLevel::Warn),
            env,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(driver: Option<&str>, opts: &[&str]) -> String {
        let opts: Vec<String> = opts.iter().map(|s| s.to_string()).collect();
        let e = parse_storage(driver, &opts).unwrap_err();
        assert!(
            matches!(
                crate::error::kind_of(&e),
                Some(crate::error::ErrorKind::InvalidInput(_))
            ),
            "{e:#}"
        );
        format!("{e:#}")
    }

    #[test]
    fn storage_driver_and_options() {
        let sh = "/bin/sh".to_string();
        let ok = |d: Option<&str>, o: &[String]| parse_storage(d, o).unwrap();
        assert_eq!(ok(None, &[]).driver, StorageDriver::Overlay);
        assert_eq!(ok(Some("overlay2"), &[]).driver, StorageDriver::Overlay);
        assert_eq!(ok(Some("vfs"), &[]).driver, StorageDriver::Vfs);
        for key in [
            "overlay.mount_program",
            "overlay2.mount_program",
            ".mount_program",
        ] {
            let o = ok(None, &[format!("{key}={sh}")]);
            assert_eq!(o.mount_program.as_deref(), Some(std::path::Path::new(&sh)));
        }
        assert_eq!(
            err(Some("btrfs"), &[]),
            "unsupported storage driver \"btrfs\": berth supports \"overlay\" and \"vfs\""
        );
        assert_eq!(
            err(None, &["junk"]),
            "invalid --storage-opt \"junk\": expected KEY=VALUE"
        );
        assert_eq!(
            err(None, &["overlay.size=10G"]),
            "invalid --storage-opt \"overlay.size=10G\": unknown option \"overlay.size\" (berth supports overlay.mount_program)"
        );
        assert_eq!(
            err(None, &["mount_program=/bin/sh"]),
            "invalid --storage-opt \"mount_program=/bin/sh\": unknown option \"mount_program\" (berth supports overlay.mount_program)"
        );
        assert_eq!(
            err(None, &["overlay.mount_program=fuse-overlayfs"]),
            "invalid --storage-opt \"overlay.mount_program=fuse-overlayfs\": the mount program must be an absolute path"
        );
        assert_eq!(
            err(None, &["overlay.mount_program="]),
            "invalid --storage-opt \"overlay.mount_program=\": the mount program must be an absolute path"
        );
        assert_eq!(
            err(None, &["overlay.mount_program=/nonexistent/prog"]),
            "invalid --storage-opt \"overlay.mount_program=/nonexistent/prog\": /nonexistent/prog: No such file or directory (os error 2)"
        );
        assert_eq!(
            err(None, &["overlay.mount_program=/etc/passwd"]),
            "invalid --storage-opt \"overlay.mount_program=/etc/passwd\": /etc/passwd is not an executable file"
        );
        assert_eq!(
            err(Some("vfs"), &["overlay.mount_program=/bin/sh"]),
            "invalid --storage-opt \"overlay.mount_program=/bin/sh\": the vfs storage driver copies the image and uses no mount program"
        );
    }
}
