//! The integration-test harness: a fresh [`TestEnv`] per test, the two modes every test runs in
//! (root and rootless), prerequisite gating with [`require`], and a command builder that runs the
//! real `berth` binary and asserts on its exit code and output.
//!
//! It must not reach the network, touch the host's own container stores (`/var/lib/berth`,
//! `/var/lib/containers`, `~/.local/share/containers`), or kill processes it did not start.

#![allow(dead_code, clippy::print_stderr)]

pub mod default_bridge;
pub mod fixtures;
pub mod tarball;

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The unprivileged user the rootless half of the suite runs as when the tests run as root.
/// `ci/setup.sh` creates it with subordinate uid/gid ranges.
pub const TEST_USER: &str = "berthtest";

/// What every test's `containers.conf` says unless the test changes it: no network for
/// containers run without `--network`.
pub const DEFAULT_CONTAINERS_CONF: &str = "[containers]\nnetns = \"none\"\n";

/// The `PATH` berth and the peers get: the environment is cleared for every command.
const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// How long one command may run before the harness kills it and fails the test.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// Which side of the privilege boundary a test drives berth from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// berth runs as root (the test process must be root).
    Root,
    /// berth runs as an unprivileged user: [`TEST_USER`] when the tests run as root, else the
    /// user running the tests.
    Rootless,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Root => "root",
            Mode::Rootless => "rootless",
        }
    }
}

/// A prerequisite a test can ask for with [`require`].
#[derive(Debug, Clone, Copy)]
pub enum Need {
    /// The test process runs as root.
    Root,
    /// The unprivileged test user exists (only meaningful when running as root).
    TestUser,
    /// An executable on `PATH`.
    Tool(&'static str),
    /// The user berth runs as in rootless mode has /etc/subuid and /etc/subgid ranges.
    SubUid,
    /// A device node every user may open read-write (mode 0666), such as /dev/fuse.
    UserDevice(&'static str),
}

impl std::fmt::Display for Need {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Need::Root => write!(f, "root"),
            Need::TestUser => write!(f, "test user {TEST_USER} (run ci/setup.sh)"),
            Need::Tool(t) => write!(f, "{t} on PATH (run ci/setup.sh)"),
            Need::SubUid => write!(
                f,
                "subuid/subgid ranges for the rootless user (run ci/setup.sh)"
            ),
            Need::UserDevice(d) => {
                write!(f, "{d} usable by every user, mode 0666 (run ci/setup.sh)")
            }
        }
    }
}

/// True when the test process is root.
pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// True when `BERTH_TEST_REQUIRE=1`: a missing prerequisite fails the test instead of skipping.
pub fn require_strict() -> bool {
    std::env::var_os("BERTH_TEST_REQUIRE").is_some_and(|v| v == "1")
}

/// Checks a prerequisite. Returns true when it holds. When it does not, prints
/// `skipped: needs X` and returns false, or panics when `BERTH_TEST_REQUIRE=1`.
/// Use through [`require!`], which returns from the test.
pub fn require(need: Need) -> bool {
    let ok = match need {
        Need::Root => is_root(),
        Need::TestUser => test_user().is_some(),
        Need::Tool(t) => which(t).is_some(),
        Need::SubUid => rootless_user().is_some_and(|u| has_subids(&u)),
        Need::UserDevice(d) => std::fs::metadata(d).is_ok_and(|m| {
            use std::os::unix::fs::FileTypeExt;
            m.file_type().is_char_device() && m.permissions().mode() & 0o666 == 0o666
        }),
    };
    if !ok {
        if require_strict() {
            panic!("needs {need} (BERTH_TEST_REQUIRE=1 turns this skip into a failure)");
        }
        eprintln!("skipped: needs {need}");
    }
    ok
}

/// `require!(Need::Tool("podman"))`: return from the test unless the prerequisite holds.
#[macro_export]
macro_rules! require {
    ($($need:expr),+ $(,)?) => {
        $( if !$crate::support::require($need) { return; } )+
    };
}

/// Defines one test per mode: `both_modes!(load_and_list, |env| { ... })` makes
/// `load_and_list::root` and `load_and_list::rootless`, each with a fresh [`TestEnv`].
#[macro_export]
macro_rules! both_modes {
    ($(#[$meta:meta])* $name:ident, |$env:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn body($env: &$crate::support::TestEnv) $body

            $(#[$meta])*
            #[test]
            fn root() {
                $crate::support::run_test($crate::support::Mode::Root, module_path!(), body)
            }

            $(#[$meta])*
            #[test]
            fn rootless() {
                $crate::support::run_test($crate::support::Mode::Rootless, module_path!(), body)
            }
        }
    };
}

/// Runs `body` in a fresh [`TestEnv`] for `mode`, or skips when the mode cannot run here.
///
/// `BERTH_TEST_MODES` (comma-separated `root`, `rootless`; default both) selects modes: CI uses
/// it to run the suite a second time as the unprivileged user with only the rootless half.
pub fn run_test(mode: Mode, test_path: &str, body: fn(&TestEnv)) {
    if let Ok(modes) = std::env::var("BERTH_TEST_MODES")
        && !modes.split(',').any(|m| m.trim() == mode.name())
    {
        eprintln!(
            "skipped: mode {} not selected by BERTH_TEST_MODES={modes}",
            mode.name()
        );
        return;
    }
    match mode {
        Mode::Root => {
            if !require(Need::Root) {
                return;
            }
        }
        Mode::Rootless => {
            if is_root() && !require(Need::TestUser) {
                return;
            }
        }
    }
    let env = TestEnv::new(mode, test_path);
    body(&env);
}

/// The account a rootless-mode command runs as.
#[derive(Debug, Clone)]
pub struct User {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

fn test_user() -> Option<User> {
    let u = nix::unistd::User::from_name(TEST_USER).ok().flatten()?;
    Some(User {
        name: u.name,
        uid: u.uid.as_raw(),
        gid: u.gid.as_raw(),
    })
}

fn current_user() -> User {
    let uid = nix::unistd::getuid();
    let u = nix::unistd::User::from_uid(uid).ok().flatten();
    User {
        name: u.map(|u| u.name).unwrap_or_else(|| uid.to_string()),
        uid: uid.as_raw(),
        gid: nix::unistd::getgid().as_raw(),
    }
}

/// The user rootless mode runs berth as: the test user under root, else ourselves.
fn rootless_user() -> Option<User> {
    if is_root() {
        test_user()
    } else {
        Some(current_user())
    }
}

fn has_subids(u: &User) -> bool {
    let has = |file: &str| {
        std::fs::read_to_string(file).is_ok_and(|s| {
            s.lines().any(|l| {
                let first = l.split(':').next().unwrap_or("");
                first == u.name || first == u.uid.to_string()
            })
        })
    };
    has("/etc/subuid") && has("/etc/subgid")
}

/// Finds an executable on `PATH` (the tests' own PATH, plus the sbin dirs).
pub fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(std::env::split_paths(PATH))
        .map(|d| d.join(tool))
        .find(|p| {
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// The berth binary cargo built for this test run.
pub fn berth_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_berth"))
}

static SEQ: AtomicUsize = AtomicUsize::new(0);

/// A fresh, private world for one test: its own store (`--root`), run state (`--runroot`),
/// `HOME` and XDG directories, a scratch directory, and unique object names. Everything lives in
/// one temp directory owned by the user berth runs as, removed on drop (set `BERTH_TEST_KEEP=1`
/// to keep it when the test fails).
pub struct TestEnv {
    pub mode: Mode,
    /// The test's temp directory; everything below is inside it.
    pub dir: PathBuf,
    /// berth's `--root` (not created: berth must create it).
    pub root: PathBuf,
    /// berth's `--runroot` (not created).
    pub runroot: PathBuf,
    pub home: PathBuf,
    pub xdg_data_home: PathBuf,
    pub xdg_runtime_dir: PathBuf,
    pub xdg_config_home: PathBuf,
    /// Scratch space for archives and other files a test makes; writable by berth.
    pub work: PathBuf,
    /// `Some` when commands run as another user than the test process (rootless under root).
    pub user: Option<User>,
    /// A short, unique, lowercase tag for names (Podman's `safename`).
    pub tag: String,
    names: AtomicUsize,
}

impl TestEnv {
    /// Makes the directories for a test named `test_path` (its module path) in `mode`.
    pub fn new(mode: Mode, test_path: &str) -> TestEnv {
        let short: String = test_path
            .rsplit("::")
            .next()
            .unwrap_or("t")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .take(24)
            .collect();
        let seq = SEQ.fetch_add(1, Ordering::Relaxed);
        let rand = random_hex(3);
        let letter = if mode == Mode::Root { 'r' } else { 'u' };
        let tag = format!("{short}-{letter}{seq}{rand}");
        let dir = tempfile::Builder::new()
            // Short: Podman refuses a runroot over 50 characters, and unix socket paths are
            // capped at 108 bytes. The test's name is written into the dir instead.
            .prefix(&format!("berth-{letter}-"))
            .tempdir_in(std::env::temp_dir())
            .expect("creating the test's temp dir")
            .keep();
        let user = match mode {
            Mode::Rootless if is_root() => {
                Some(test_user().expect("test user checked by run_test"))
            }
            _ => None,
        };
        std::fs::write(dir.join("TEST"), format!("{test_path} ({})\n", mode.name()))
            .expect("writing TEST");
        let env = TestEnv {
            mode,
            root: dir.join("root"),
            runroot: dir.join("runroot"),
            home: dir.join("home"),
            xdg_data_home: dir.join("home/.local/share"),
            xdg_runtime_dir: dir.join("run"),
            xdg_config_home: dir.join("home/.config"),
            work: dir.join("work"),
            dir,
            user,
            tag,
            names: AtomicUsize::new(0),
        };
        for d in [
            &env.home,
            &env.xdg_data_home,
            &env.xdg_config_home,
            &env.xdg_runtime_dir,
            &env.work,
        ] {
            std::fs::create_dir_all(d).expect("creating test dirs");
        }
        // Containers get no network unless a test asks: the suite stays fast, and tests do not
        // share the host's one default bridge (see `default_bridge`).
        std::fs::create_dir_all(env.xdg_config_home.join("berth")).expect("creating test dirs");
        std::fs::write(env.containers_conf(), DEFAULT_CONTAINERS_CONF)
            .expect("writing containers.conf");
        std::fs::set_permissions(&env.xdg_runtime_dir, std::fs::Permissions::from_mode(0o700))
            .expect("chmod XDG_RUNTIME_DIR");
        std::fs::set_permissions(&env.dir, std::fs::Permissions::from_mode(0o755))
            .expect("chmod test dir");
        if let Some(u) = &env.user {
            chown_tree(&env.dir, u.uid, u.gid);
        }
        env
    }

    /// The test's `containers.conf`: the file berth reads rootless (`$XDG_CONFIG_HOME/berth`),
    /// and through `$CONTAINERS_CONF` as root (whose own, /etc/berth, tests must not write).
    pub fn containers_conf(&self) -> PathBuf {
        self.xdg_config_home.join("berth/containers.conf")
    }

    /// Replaces the test's `containers.conf` (which starts as [`DEFAULT_CONTAINERS_CONF`]);
    /// `""` gives berth's own defaults, the default network included.
    pub fn set_containers_conf(&self, text: &str) {
        let p = self.containers_conf();
        std::fs::write(&p, text).expect("writing containers.conf");
        if let Some(u) = &self.user {
            std::os::unix::fs::chown(&p, Some(u.uid), Some(u.gid)).expect("chown containers.conf");
        }
    }

    /// True when berth runs unprivileged in this environment.
    pub fn rootless(&self) -> bool {
        self.mode == Mode::Rootless
    }

    /// A unique, valid image/container name for this test: `{prefix}-{test}-{n}{random}`.
    pub fn name(&self, prefix: &str) -> String {
        let n = self.names.fetch_add(1, Ordering::Relaxed);
        format!("{prefix}-{}-{n}", self.tag)
    }

    /// A `berth` command with this environment's `--root` and `--runroot`.
    pub fn berth<I, S>(&self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut all: Vec<OsString> = vec![
            "--root".into(),
            self.root.clone().into(),
            "--runroot".into(),
            self.runroot.clone().into(),
        ];
        all.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self.berth_bare(all)
    }

    /// A `berth` command without `--root`/`--runroot`: the store comes from the environment
    /// (XDG dirs rootless; `/var/lib/berth` as root, so root mode must not use this to write).
    pub fn berth_bare<I, S>(&self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command(berth_bin(), args)
    }

    /// A `podman` command with a private store, run state and configuration in this
    /// environment (TESTING.md: rlimits within the host's hard limits, no /etc edits).
    pub fn podman<I, S>(&self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let base = self.dir.join("podman");
        let conf = base.join("containers.conf");
        let storage_conf = base.join("storage.conf");
        if !conf.exists() {
            std::fs::create_dir_all(base.join("tmp")).expect("creating podman dirs");
            std::fs::write(&conf, include_str!("../../../ci/containers.conf"))
                .expect("writing containers.conf");
            std::fs::write(
                &storage_conf,
                format!(
                    "[storage]\ndriver = \"vfs\"\ngraphroot = \"{}\"\nrunroot = \"{}\"\n",
                    base.join("root").display(),
                    base.join("runroot").display()
                ),
            )
            .expect("writing storage.conf");
            if let Some(u) = &self.user {
                chown_tree(&base, u.uid, u.gid);
            }
        }
        let mut all: Vec<OsString> = vec![
            "--root".into(),
            base.join("root").into(),
            "--runroot".into(),
            base.join("runroot").into(),
            "--tmpdir".into(),
            base.join("tmp").into(),
            "--storage-driver".into(),
            "vfs".into(),
        ];
        all.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self.command("podman", all)
            .env("CONTAINERS_CONF", &conf)
            .env("CONTAINERS_STORAGE_CONF", &storage_conf)
    }

    /// Any program, run as the mode's user with this environment's variables.
    pub fn command<P, I, S>(&self, program: P, args: I) -> Cmd
    where
        P: AsRef<OsStr>,
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let program = program.as_ref().to_owned();
        let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let mut desc = program.to_string_lossy().into_owned();
        for a in &args {
            desc.push(' ');
            desc.push_str(&shell_quote(&a.to_string_lossy()));
        }
        let mut cmd = match &self.user {
            Some(u) => {
                let mut c = Command::new("setpriv");
                c.arg(format!("--reuid={}", u.uid))
                    .arg(format!("--regid={}", u.gid))
                    .arg("--init-groups")
                    .arg("--")
                    .arg(&program);
                c
            }
            None => Command::new(&program),
        };
        cmd.args(&args).current_dir(&self.work).env_clear();
        let user = match &self.user {
            Some(u) => u.name.clone(),
            None => current_user().name,
        };
        cmd.env("HOME", &self.home)
            .env("USER", &user)
            .env("LOGNAME", &user)
            .env("PATH", PATH)
            .env("XDG_DATA_HOME", &self.xdg_data_home)
            .env("XDG_RUNTIME_DIR", &self.xdg_runtime_dir)
            .env("XDG_CONFIG_HOME", &self.xdg_config_home)
            .env("TMPDIR", &self.work)
            .env("LANG", "C.UTF-8")
            .env("RUST_BACKTRACE", "1");
        if self.mode == Mode::Root {
            // Also for berth run through a shell or `script` (podman gets its own below).
            cmd.env("CONTAINERS_CONF", self.containers_conf());
        }
        Cmd {
            cmd,
            desc: format!("[{}] {desc}", self.mode.name()),
            stdin: Stdin::Null,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Writes a file into the scratch dir (readable by berth) and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.work.join(name);
        std::fs::write(&p, contents).expect("writing scratch file");
        if let Some(u) = &self.user {
            std::os::unix::fs::chown(&p, Some(u.uid), Some(u.gid)).expect("chown scratch file");
        }
        p
    }

    /// A path in the scratch dir for berth to write to.
    pub fn path(&self, name: &str) -> PathBuf {
        self.work.join(name)
    }

    /// Loads a fixture image from its docker-archive and checks berth says so.
    pub fn load(&self, image: &fixtures::Image) {
        self.berth(["load", "-i"])
            .arg(&image.docker_archive)
            .assert_success()
            .stdout_contains(&format!("Loaded image: {}", image.reference));
    }

    /// What the store looks like from the outside, for before/after comparisons around a
    /// failing command: `images --no-trunc -a` (absolute times), every file under `blobs/` and `images/`, and the
    /// entries of `layers/`.
    pub fn store_snapshot(&self) -> String {
        let mut s = String::new();
        // Absolute times: the default table's "N seconds ago" changes while the test runs.
        let images = self
            .berth([
                "images",
                "--no-trunc",
                "-a",
                "--format",
                "{{.Repository}}:{{.Tag}} {{.ID}} {{.CreatedAt}} {{.Size}}",
            ])
            .assert_success();
        writeln!(s, "== images --no-trunc -a\n{}", images.stdout).unwrap();
        for sub in ["blobs", "images"] {
            writeln!(s, "== {sub}/").unwrap();
            for f in list_files(&self.root.join(sub)) {
                writeln!(s, "{f}").unwrap();
            }
        }
        writeln!(s, "== layers/").unwrap();
        let mut layers: Vec<String> = std::fs::read_dir(self.root.join("layers"))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        layers.sort();
        for l in layers {
            writeln!(s, "{l}").unwrap();
        }
        s
    }

    /// Asserts the store looks exactly like `before` (from [`TestEnv::store_snapshot`]).
    pub fn assert_store_is(&self, before: &str, after_what: &str) {
        let now = self.store_snapshot();
        assert_eq!(
            before, now,
            "the store changed after {after_what}:\n--- before\n{before}\n--- after\n{now}"
        );
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if std::thread::panicking() && std::env::var_os("BERTH_TEST_KEEP").is_some_and(|v| v == "1")
        {
            eprintln!("kept test dir {}", self.dir.display());
            return;
        }
        stop_leftover_monitors(&self.root);
        remove_leftover_cgroups(&self.root);
        stop_podman_pause(&self.dir.join("podman/tmp/pause.pid"));
        stop_podman_pause(&self.xdg_runtime_dir.join("libpod/tmp/pause.pid"));
        if std::fs::remove_dir_all(&self.dir).is_ok() || !self.dir.exists() {
            return;
        }
        // Not root: the store holds files owned by subordinate ids. Remove them from inside a user
        // namespace with the user's full subuid/subgid mapping (what `podman unshare` does).
        if !is_root() {
            let _ = Command::new("unshare")
                .args(["--map-root-user", "--map-auto", "rm", "-rf", "--"])
                .arg(&self.dir)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        if self.dir.exists() && !std::thread::panicking() {
            eprintln!("warning: could not remove test dir {}", self.dir.display());
        }
    }
}

/// SIGKILLs the monitors of the store's containers that still run (a test that failed before
/// its `rm -f`): their containers die with them (PDEATHSIG), and with those their slirp4netns;
/// a pasta, which does not notice, is SIGKILLed by its pid file. Only a process whose command
/// line names this store is signalled (a monitor also only with its recorded start time): one
/// this test started.
fn stop_leftover_monitors(root: &Path) {
    let Ok(dir) = std::fs::read_dir(root.join("containers")) else {
        return;
    };
    let store = root.display().to_string();
    let names_store = |pid: i32| {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        String::from_utf8_lossy(&cmdline).contains(&store)
    };
    for e in dir.flatten() {
        if let Some(pid) = std::fs::read_to_string(e.path().join("pasta.pid"))
            .ok()
            .and_then(|p| p.trim().parse::<i32>().ok())
            .filter(|&p| p > 1 && names_store(p))
        {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        let Ok(text) = std::fs::read_to_string(e.path().join("state.json")) else {
            continue;
        };
        let Ok(state) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let (Some(pid), Some(start)) = (
            state["monitor_pid"]
                .as_i64()
                .and_then(|p| i32::try_from(p).ok()),
            state["monitor_start"].as_u64(),
        ) else {
            continue;
        };
        if pid <= 1 {
            continue;
        }
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let started = stat
            .rfind(')')
            .and_then(|i| stat[i + 1..].split_whitespace().nth(19))
            .and_then(|s| s.parse::<u64>().ok());
        if started == Some(start) && names_store(pid) {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
            // Gone (or a zombie) before its cgroups are removed below.
            let deadline = Instant::now() + Duration::from_secs(2);
            while Instant::now() < deadline
                && std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    .is_ok_and(|s| !s.contains(") Z"))
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            // As root, its published ports' table (named after the container) outlives it.
            if is_root()
                && let Some(id) = e.file_name().to_str().and_then(|n| n.get(..12))
            {
                let _ = Command::new("nft")
                    .args(["delete", "table", "ip", &format!("berth-c-{id}")])
                    .stderr(Stdio::null())
                    .status();
            }
        }
    }
}

/// Removes the (empty) cgroups the store's containers still record: a test that SIGKILLs
/// berth, or fails before `rm`, leaves them, and no later start or `rm` in this store comes.
fn remove_leftover_cgroups(root: &Path) {
    let Ok(dir) = std::fs::read_dir(root.join("containers")) else {
        return;
    };
    for e in dir.flatten() {
        let Ok(text) = std::fs::read_to_string(e.path().join("state.json")) else {
            continue;
        };
        let Ok(state) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let paths: Vec<&str> = match &state["cgroup"]["paths"] {
            serde_json::Value::String(p) => vec![p.as_str()],
            serde_json::Value::Object(m) => m.values().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        for p in paths {
            // Only an empty cgroup can go; one with processes stays (EBUSY).
            let _ = std::fs::remove_dir(p);
        }
    }
}

/// Rootless Podman leaves a "pause" process holding its user namespace, one per
/// `--tmpdir` (or XDG_RUNTIME_DIR); each test has its own, so stop the one this test started.
fn stop_podman_pause(pid_file: &Path) {
    let Ok(pid) = std::fs::read_to_string(pid_file) else {
        return;
    };
    let Ok(pid) = pid.trim().parse::<i32>() else {
        return;
    };
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    if comm.trim() == "podman" || comm.trim() == "catatonit" {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

fn chown_tree(dir: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::lchown(dir, Some(uid), Some(gid)).expect("chown test dir");
    if dir.is_dir() && !dir.is_symlink() {
        for e in std::fs::read_dir(dir).expect("reading test dir") {
            chown_tree(&e.expect("dir entry").path(), uid, gid);
        }
    }
}

/// Every file (not directory) below `dir`, as sorted relative paths with sizes.
pub fn list_files(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.filter_map(|e| e.ok()) {
            let p = e.path();
            let Ok(m) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if m.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap_or(&p).display().to_string();
                out.push(format!("{rel} {}", m.size()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// `n` random bytes as hex, from the kernel.
pub fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .expect("reading /dev/urandom");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

enum Stdin {
    Null,
    Bytes(Vec<u8>),
    File(PathBuf),
}

/// A command about to run; finish it with [`Cmd::run`] or one of the `assert_*` methods.
#[must_use = "a Cmd does nothing until run or asserted"]
pub struct Cmd {
    cmd: Command,
    desc: String,
    stdin: Stdin,
    timeout: Duration,
}

impl Cmd {
    /// Appends one argument.
    pub fn arg(mut self, a: impl AsRef<OsStr>) -> Cmd {
        self.desc.push(' ');
        self.desc
            .push_str(&shell_quote(&a.as_ref().to_string_lossy()));
        self.cmd.arg(a);
        self
    }

    /// Appends arguments.
    pub fn args<I, S>(mut self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for a in args {
            self = self.arg(a);
        }
        self
    }

    /// Sets an environment variable for the command.
    pub fn env(mut self, k: impl AsRef<OsStr>, v: impl AsRef<OsStr>) -> Cmd {
        self.cmd.env(k, v);
        self
    }

    /// Feeds these bytes on stdin (otherwise stdin is /dev/null).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Cmd {
        self.stdin = Stdin::Bytes(bytes.into());
        self
    }

    /// Connects stdin to a file (opened by the test process, so berth need not read it).
    pub fn stdin_file(mut self, path: impl Into<PathBuf>) -> Cmd {
        self.stdin = Stdin::File(path.into());
        self
    }

    /// Overrides the default timeout.
    pub fn timeout(mut self, t: Duration) -> Cmd {
        self.timeout = t;
        self
    }

    /// Starts the command without waiting (stdin, stdout and stderr to /dev/null), for tests
    /// that kill it midway. The caller kills and waits for it.
    pub fn spawn(self) -> std::process::Child {
        self.spawn_to(Stdio::null())
    }

    /// Like [`Cmd::spawn`], with stdout written to the file `path` (created or truncated).
    pub fn spawn_with_stdout(self, path: &Path) -> std::process::Child {
        let f = std::fs::File::create(path).expect("creating stdout file");
        self.spawn_to(Stdio::from(f))
    }

    fn spawn_to(mut self, stdout: Stdio) -> std::process::Child {
        let stdin = match std::mem::replace(&mut self.stdin, Stdin::Null) {
            Stdin::File(p) => Stdio::from(std::fs::File::open(&p).expect("opening stdin file")),
            _ => Stdio::null(),
        };
        self.cmd
            .stdin(stdin)
            .stdout(stdout)
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawning {}: {e}", self.desc))
    }

    /// Runs the command and returns what it did. Fails the test if it panicked (exit 101,
    /// SECURITY.md I16), died of a signal, or ran past its timeout.
    pub fn run(mut self) -> Output {
        self.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut input = None;
        match std::mem::replace(&mut self.stdin, Stdin::Null) {
            Stdin::Null => {
                self.cmd.stdin(Stdio::null());
            }
            Stdin::Bytes(b) => {
                self.cmd.stdin(Stdio::piped());
                input = Some(b);
            }
            Stdin::File(p) => {
                let f = std::fs::File::open(&p)
                    .unwrap_or_else(|e| panic!("opening {}: {e}", p.display()));
                self.cmd.stdin(f);
            }
        }
        let start = Instant::now();
        let mut child = self
            .cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawning {}: {e}", self.desc));
        let writer = input.map(|b| {
            let mut w = child.stdin.take().expect("piped stdin");
            // A command that stops reading early gets EPIPE here, which is fine.
            std::thread::spawn(move || {
                let _ = w.write_all(&b);
            })
        });
        let mut out_pipe = child.stdout.take().expect("piped stdout");
        let mut err_pipe = child.stderr.take().expect("piped stderr");
        let out_t = std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = out_pipe.read_to_end(&mut v);
            v
        });
        let err_t = std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = err_pipe.read_to_end(&mut v);
            v
        });
        let status = loop {
            if let Some(s) = child.try_wait().expect("waiting for command") {
                break s;
            }
            if start.elapsed() > self.timeout {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{} ran longer than {:?} and was killed",
                    self.desc, self.timeout
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        if let Some(w) = writer {
            let _ = w.join();
        }
        let stdout_bytes = out_t.join().expect("stdout reader");
        let stderr_bytes = err_t.join().expect("stderr reader");
        let out = Output {
            desc: self.desc,
            code: status.code(),
            stdout: String::from_utf8_lossy(&stdout_bytes).into_owned(),
            stderr: String::from_utf8_lossy(&stderr_bytes).into_owned(),
            stdout_bytes,
            elapsed: start.elapsed(),
        };
        if out.code.is_none() {
            panic!(
                "{} was killed by a signal ({status})\n{}",
                out.desc,
                out.dump()
            );
        }
        if out.code == Some(101) {
            panic!(
                "{} panicked (exit 101 is a Rust panic: SECURITY.md I16)\n{}",
                out.desc,
                out.dump()
            );
        }
        out
    }

    /// Runs the command and asserts it exited 0.
    pub fn assert_success(self) -> Output {
        self.assert_exit(0)
    }

    /// Runs the command and asserts its exit code.
    #[track_caller]
    pub fn assert_exit(self, code: i32) -> Output {
        let out = self.run();
        if out.code != Some(code) {
            panic!(
                "expected exit {code}, got {:?} from {}\n{}",
                out.code,
                out.desc,
                out.dump()
            );
        }
        out
    }

    /// Runs a berth command that must fail the way berth itself fails: exit 125 with one
    /// `Error: ` message on stderr (DESIGN.md "Exit codes").
    #[track_caller]
    pub fn assert_error(self) -> Output {
        let out = self.assert_exit(125);
        if !out.stderr.contains("Error: ") {
            panic!(
                "expected an `Error: ` message on stderr from {}\n{}",
                out.desc,
                out.dump()
            );
        }
        out
    }
}

/// What a finished command did.
#[derive(Debug, Clone)]
pub struct Output {
    pub desc: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
    pub elapsed: Duration,
}

impl Output {
    fn dump(&self) -> String {
        let cut = |s: &str| {
            if s.len() > 8000 {
                let mut end = 8000;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}… ({} bytes)", &s[..end], s.len())
            } else {
                s.to_string()
            }
        };
        format!(
            "--- stdout\n{}\n--- stderr\n{}\n---",
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }

    #[track_caller]
    pub fn stdout_is(self, expected: &str) -> Output {
        if self.stdout != expected {
            panic!(
                "stdout of {} differs\n--- expected\n{expected}\n{}",
                self.desc,
                self.dump()
            );
        }
        self
    }

    #[track_caller]
    pub fn stdout_contains(self, needle: &str) -> Output {
        if !self.stdout.contains(needle) {
            panic!("stdout of {} lacks {needle:?}\n{}", self.desc, self.dump());
        }
        self
    }

    #[track_caller]
    pub fn stdout_lacks(self, needle: &str) -> Output {
        if self.stdout.contains(needle) {
            panic!(
                "stdout of {} contains {needle:?}\n{}",
                self.desc,
                self.dump()
            );
        }
        self
    }

    #[track_caller]
    pub fn stdout_empty(self) -> Output {
        self.stdout_is("")
    }

    #[track_caller]
    pub fn stderr_is(self, expected: &str) -> Output {
        if self.stderr != expected {
            panic!(
                "stderr of {} differs\n--- expected\n{expected}\n{}",
                self.desc,
                self.dump()
            );
        }
        self
    }

    #[track_caller]
    pub fn stderr_contains(self, needle: &str) -> Output {
        if !self.stderr.contains(needle) {
            panic!("stderr of {} lacks {needle:?}\n{}", self.desc, self.dump());
        }
        self
    }

    /// Case-insensitive: one of the words appears on stderr.
    #[track_caller]
    pub fn stderr_mentions_any(self, words: &[&str]) -> Output {
        let low = self.stderr.to_lowercase();
        if !words.iter().any(|w| low.contains(&w.to_lowercase())) {
            panic!(
                "stderr of {} mentions none of {words:?}\n{}",
                self.desc,
                self.dump()
            );
        }
        self
    }

    #[track_caller]
    pub fn stderr_empty(self) -> Output {
        self.stderr_is("")
    }

    /// stdout split into lines.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// stdout without the trailing newline.
    pub fn trimmed(&self) -> &str {
        self.stdout.trim_end_matches('\n')
    }

    /// stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout of {} is not JSON: {e}\n{}", self.desc, self.dump()))
    }
}

/// Renders rows the way Go's text/tabwriter does with Docker's settings (minwidth 10, tabwidth 1,
/// padding 3, padchar ' ', no flags): every cell but the last in a row is padded to the widest
/// cell of its column plus 3, at least 10.
pub fn tabwriter(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let mut widths = BTreeMap::new();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i + 1 < r.len() {
                let w = widths.entry(i).or_insert(0usize);
                *w = (*w).max((c.chars().count() + 3).max(10));
            }
        }
    }
    let _ = cols;
    let mut s = String::new();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i + 1 < r.len() {
                write!(s, "{c:<width$}", width = widths[&i]).unwrap();
            } else {
                s.push_str(c);
            }
        }
        s.push('\n');
    }
    s
}
