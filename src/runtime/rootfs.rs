//! The container's root filesystem: which kind it gets, and the parts of making it that reach
//! outside the container's own setup.
//!
//! Three kinds, as Podman users know them (DESIGN.md "mount rootfs"):
//!
//! - **native overlay**: the kernel's overlayfs over the image's layers, with the container's
//!   upper/ and work/ in its directory, mounted by the container's init inside its own user and
//!   mount namespaces (`mounts::apply`);
//! - **fuse-overlayfs**: the same layering served by the fuse-overlayfs program, for kernels
//!   that refuse overlay mounts here (`--storage-opt overlay.mount_program=…` forces it);
//! - **copy** (`--storage-driver vfs`, or the last resort): the layers materialised into
//!   `<container dir>/rootfs` (`storage::copy`), bound as the root (rbind, nodev).
//!
//! The choice is [`choose`], a pure function of the options and what the host allows. Whether
//! the kernel allows a native overlay mount is learnt once by a throwaway mount in a forked
//! child's fresh mount (and, rootless, user) namespace, on the store's filesystem, and cached in
//! `<runroot>/rootfs-probe` keyed by boot id and store path, so `run` reads one small file
//! instead of probing. A fallback is announced with one warning when the probe is made; `berth
//! info` shows the choice and why at any time.
//!
//! fuse-overlayfs runs outside the container: not in its pid namespace (nothing in the
//! container can see it, signal it or reach its executable through /proc/N/exe, SECURITY.md
//! I4) and not in its mount namespace (so it cannot keep that namespace alive). The sync
//! protocol on a socket pair between berth and the container's init, after the usual "go":
//!
//! 1. init makes / private (the first mount step), opens /dev/fuse, mounts a FUSE filesystem
//!    `fuse.fuse-overlayfs` on the target with that fd, and sends the fd to berth (SCM_RIGHTS);
//! 2. berth starts fuse-overlayfs with the mount point `/dev/fd/3` (libfuse's "already
//!    mounted" form) and that fd, after making the helper non-dumpable and joining the
//!    container's user namespace when rootless (so the upper dir gets the container's owners);
//!    it waits for the program to daemonize, which it does once it serves the connection;
//! 3. berth sends `k`; init goes on with the rest of `mounts::apply` (pivot_root …). EOF
//!    instead means berth failed and says why.
//!
//! When the container ends, its mount namespace and with it the last mount of the FUSE
//! filesystem go away, the kernel ends the connection, and the daemon exits by itself. Because
//! the mount is made inside the namespace after / is private, nothing propagates to the host.
//!
//! This module never runs anything from the container's tree.

use std::fs::File;
use std::io::{Read, Seek};
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail, ensure};
use nix::fcntl::OFlag;
use nix::mount::MsFlags;
use nix::sys::memfd::MFdFlags;
use nix::sys::socket::{ControlMessage, MsgFlags, sendmsg};
use nix::sys::stat::{Mode, SFlag, fstat, major, minor};
use nix::unistd::Pid;

use super::mounts::{self, fd_path};
use super::spawn::{self, Exit, Namespaces};
use super::sys;
use super::userns::{self, IdMaps};
use crate::context::{Context, StorageDriver, StorageOptions};
use crate::storage::Store;
use crate::storage::container::ContainerId;
use crate::storage::image::ImageRecord;

/// The cached verdict on native overlay mounts, in the run root.
pub const PROBE_CACHE: &str = "rootfs-probe";

/// Where fuse-overlayfs is looked for when the fallback needs it.
const FUSE_OVERLAYFS_DIRS: [&str; 3] = ["/usr/local/bin", "/usr/bin", "/bin"];

/// The fd number fuse-overlayfs finds the mounted /dev/fuse connection at (`/dev/fd/3`).
const FUSE_FD: RawFd = 3;

/// /dev/fuse is this character device (devices.txt: 10:229).
const DEV_FUSE: (u64, u64) = (10, 229);

/// The largest cache file or probe message read back (I6); a real one is a few hundred bytes.
const MAX_CACHE: u64 = 64 * 1024;

/// Which kind of root filesystem a container gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rootfs {
    /// The kernel's overlayfs.
    Overlay,
    /// fuse-overlayfs, this program.
    FuseOverlayfs(PathBuf),
    /// A copy of the image per container.
    Copy,
}

impl Rootfs {
    /// The short name `berth info` shows: `overlay`, `fuse-overlayfs` or `copy`.
    pub fn name(&self) -> &'static str {
        match self {
            Rootfs::Overlay => "overlay",
            Rootfs::FuseOverlayfs(_) => "fuse-overlayfs",
            Rootfs::Copy => "copy",
        }
    }
}

impl std::fmt::Display for Rootfs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rootfs::Overlay => write!(f, "native overlay"),
            Rootfs::FuseOverlayfs(p) => write!(f, "fuse-overlayfs ({})", p.display()),
            Rootfs::Copy => write!(f, "a copy of the image per container"),
        }
    }
}

/// What [`choose`] decided, and why when it fell back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub rootfs: Rootfs,
    /// Set when overlay was asked for but the kernel refused it: the one warning to show.
    pub fallback: Option<String>,
    /// The kernel was probed just now (rather than the cached verdict read).
    pub probed: bool,
}

/// The kernel's answer to a native overlay mount here: `Err` carries why it refused.
pub type Verdict = std::result::Result<(), String>;

/// Chooses the root filesystem: `vfs` copies; `overlay.mount_program` forces that program;
/// otherwise the kernel's overlay when `native` allows it, else fuse-overlayfs when `fuse`
/// finds it usable, else the copy, with a warning naming the choice and the reasons. `native`
/// and `fuse` are only called when the answer depends on them (probing costs a fork).
pub fn choose(
    storage: &StorageOptions,
    native: impl FnOnce() -> Result<Verdict>,
    fuse: impl FnOnce() -> std::result::Result<PathBuf, String>,
) -> Result<Selection> {
    let plain = |rootfs| Selection {
        rootfs,
        fallback: None,
        probed: false,
    };
    if storage.driver == StorageDriver::Vfs {
        return Ok(plain(Rootfs::Copy));
    }
    if let Some(p) = &storage.mount_program {
        return Ok(plain(Rootfs::FuseOverlayfs(p.clone())));
    }
    let refused = match native()? {
        Ok(()) => return Ok(plain(Rootfs::Overlay)),
        Err(why) => why,
    };
    let (rootfs, warning) = match fuse() {
        Ok(p) => {
            let w = format!(
                "the kernel refused a native overlay mount ({refused}): using fuse-overlayfs {} for container root filesystems",
                p.display()
            );
            (Rootfs::FuseOverlayfs(p), w)
        }
        Err(no_fuse) => (
            Rootfs::Copy,
            format!(
                "the kernel refused a native overlay mount ({refused}) and fuse-overlayfs is not usable ({no_fuse}): copying the image for every container, which is slower and uses more disk"
            ),
        ),
    };
    Ok(Selection {
        rootfs,
        fallback: Some(warning),
        probed: false,
    })
}

/// How the container's root filesystem is made: what [`prepare`] hands to `mounts::plan` in
/// `MountSpec::rootfs`. Paths are host paths in the container's directory and the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootfsSpec {
    /// The kernel's overlay of `layers` (lowest first) at `target`.
    Overlay {
        layers: Vec<PathBuf>,
        upper: PathBuf,
        work: PathBuf,
        target: PathBuf,
    },
    /// fuse-overlayfs (`program`) serving the same overlay at `target`.
    FuseOverlayfs {
        program: PathBuf,
        layers: Vec<PathBuf>,
        upper: PathBuf,
        work: PathBuf,
        target: PathBuf,
    },
    /// The filled directory `dir`, bound onto itself as the root.
    Copy { dir: PathBuf },
}

/// Decides container `id`'s root filesystem (see [`select`]) and prepares it: for a copy, the
/// image is copied into `<container dir>/rootfs` now (the container's directory must exist),
/// unless an earlier start made that copy, which is used again.
/// Warns once, when the kernel was probed just now, if overlay fell back.
///
/// Errors: the probe could not run (the store's tmp/ is unwritable, fork failed), or the copy
/// failed (it is left in the container's directory for its removal).
pub fn prepare(
    ctx: &Context,
    store: &Store,
    image: &ImageRecord,
    id: &ContainerId,
) -> Result<RootfsSpec> {
    let dir = store.containers().dir(id);
    // A container keeps the rootfs its first start made: its copy holds its changes.
    let copy = dir.join(crate::storage::layout::ROOTFS_COPY);
    if copy.is_dir() {
        return Ok(RootfsSpec::Copy { dir: copy });
    }
    let sel = select(ctx, store)?;
    if let Some(why) = &sel.fallback {
        if sel.probed {
            log::warn!("{why}");
        } else {
            log::debug!("{why}");
        }
    }
    Ok(match sel.rootfs {
        Rootfs::Overlay => RootfsSpec::Overlay {
            layers: store.overlay_layer_dirs(image),
            upper: dir.join("upper"),
            work: dir.join("work"),
            target: dir.join("merged"),
        },
        Rootfs::FuseOverlayfs(program) => RootfsSpec::FuseOverlayfs {
            program,
            layers: store.overlay_layer_dirs(image),
            upper: dir.join("upper"),
            work: dir.join("work"),
            target: dir.join("merged"),
        },
        Rootfs::Copy => RootfsSpec::Copy {
            dir: store.create_rootfs_copy(id, image)?,
        },
    })
}

/// [`choose`] with the facts of this host: the cached or freshly probed verdict on native
/// overlay, and whether fuse-overlayfs is installed and /dev/fuse opens. The caller must be
/// single-threaded (a probe forks).
pub fn select(ctx: &Context, store: &Store) -> Result<Selection> {
    let mut probed = false;
    let mut sel = choose(
        &ctx.storage,
        || {
            let (verdict, fresh) = native_verdict(ctx, store)?;
            probed = fresh;
            Ok(verdict)
        },
        fuse_overlayfs,
    )?;
    sel.probed = probed;
    Ok(sel)
}

/// The verdict on native overlay from the cache, or from a probe that is then cached. The
/// boolean is true when it was probed now.
fn native_verdict(ctx: &Context, store: &Store) -> Result<(Verdict, bool)> {
    let boot = boot_id();
    let cache = ctx.runroot.join(PROBE_CACHE);
    if let Some(v) = read_cache(&cache).and_then(|t| parse_cache(&t, &boot, &ctx.root)) {
        return Ok((v, false));
    }
    let verdict = probe_native(store, ctx.rootless, ctx.uid, ctx.gid)?;
    log::debug!("native overlay probe: {verdict:?}");
    if let Err(e) = write_cache(
        &ctx.runroot,
        &cache,
        &cache_text(&boot, &ctx.root, &verdict),
    ) {
        log::debug!("not caching the overlay probe: {e:#}");
    }
    Ok((verdict, true))
}

/// This boot's id (empty when unreadable: the cache is then keyed by the store alone).
fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The cache file: a version line, the boot and store it holds for, and the verdict.
pub fn cache_text(boot: &str, root: &Path, verdict: &Verdict) -> String {
    let v = match verdict {
        Ok(()) => "ok".to_string(),
        Err(why) => format!("refused {}", why.replace('\n', " ")),
    };
    format!(
        "berth-rootfs-probe 1\nboot {boot}\nroot {}\nnative {v}\n",
        root.display()
    )
}

/// The verdict in a cache file written by [`cache_text`], if it holds for this boot and store.
pub fn parse_cache(text: &str, boot: &str, root: &Path) -> Option<Verdict> {
    let mut lines = text.lines();
    if lines.next()? != "berth-rootfs-probe 1"
        || lines.next()?.strip_prefix("boot ")? != boot
        || Path::new(lines.next()?.strip_prefix("root ")?) != root
    {
        return None;
    }
    let v = lines.next()?.strip_prefix("native ")?;
    if lines.next().is_some() {
        return None;
    }
    match v {
        "ok" => Some(Ok(())),
        _ => Some(Err(v.strip_prefix("refused ")?.to_string())),
    }
}

/// The cache's text, if it is a regular file of ours (the run root is private, but a file
/// planted by someone else must not steer the choice).
fn read_cache(path: &Path) -> Option<String> {
    let fd = nix::fcntl::open(
        path,
        OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    let st = fstat(&fd).ok()?;
    let regular = st.st_mode & SFlag::S_IFMT.bits() == SFlag::S_IFREG.bits();
    if !regular || st.st_uid != nix::unistd::geteuid().as_raw() {
        return None;
    }
    let mut text = String::new();
    File::from(fd)
        .take(MAX_CACHE)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// Writes the cache atomically into the run root, creating the run root (0700) if needed and
/// refusing one that is not a private directory of ours (SECURITY.md I18).
fn write_cache(runroot: &Path, path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(runroot)
        .with_context(|| format!("creating the run root {}", runroot.display()))?;
    let meta = std::fs::symlink_metadata(runroot)
        .with_context(|| format!("inspecting the run root {}", runroot.display()))?;
    ensure!(
        meta.is_dir() && meta.uid() == nix::unistd::geteuid().as_raw() && meta.mode() & 0o022 == 0,
        "the run root {} is not a private directory of yours",
        runroot.display()
    );
    crate::storage::atomic::write_file(path, text.as_bytes(), 0o600)
}

/// Mounts a throwaway native overlay, exactly as a container's would be (nodev; userxattr in a
/// user namespace), on the store's filesystem, in a forked child's own mount namespace (and user
/// namespace, mapping only the caller, when rootless). The mount dies with the child.
fn probe_native(store: &Store, rootless: bool, uid: u32, gid: u32) -> Result<Verdict> {
    let scratch = store.staging()?;
    let dir = |name: &str| scratch.entry(name);
    for d in ["lower", "upper", "work", "merged"] {
        std::fs::create_dir(dir(d)).with_context(|| format!("creating {}", dir(d).display()))?;
    }
    let data = mounts::overlay_data(
        &[dir("lower")],
        &dir("upper"),
        &dir("work"),
        rootless,
        false,
    )?;
    let merged = dir("merged");
    let (rx, tx) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
    let ns = Namespaces {
        user: rootless,
        mount: true,
        ..Namespaces::default()
    };
    let maps = rootless.then(|| IdMaps {
        uids: userns::plan(uid, &[]),
        gids: userns::plan(gid, &[]),
    });
    let pid = spawn::spawn(&ns, maps.as_ref(), || {
        let private = nix::mount::mount(
            None::<&str>,
            "/",
            None::<&str>,
            MsFlags::MS_REC | MsFlags::MS_PRIVATE,
            None::<&str>,
        );
        let mounted = private
            .map_err(|e| format!("making / private: {e}"))
            .and_then(|()| {
                nix::mount::mount(
                    Some("overlay"),
                    &merged,
                    Some("overlay"),
                    MsFlags::MS_NODEV,
                    Some(data.as_str()),
                )
                .map_err(|e| format!("mounting overlay: {e}"))
            });
        match mounted {
            Ok(()) => 0,
            Err(msg) => {
                let _ = nix::unistd::write(&tx, msg.as_bytes());
                1
            }
        }
    })
    .context("starting the overlay probe")?;
    drop(tx);
    let exit = spawn::wait(pid)?;
    let mut msg = String::new();
    let _ = File::from(rx).take(MAX_CACHE).read_to_string(&mut msg);
    // Overlay made work/work mode 0: let the staging area's removal into it.
    let _ = std::fs::set_permissions(
        dir("work").join("work"),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    );
    Ok(match exit {
        Exit::Code(0) => Ok(()),
        _ if !msg.is_empty() => Err(msg),
        other => Err(format!("the probe ended with {other:?}")),
    })
}

/// fuse-overlayfs, when it is installed and /dev/fuse opens; otherwise why not.
fn fuse_overlayfs() -> std::result::Result<PathBuf, String> {
    use std::os::unix::fs::PermissionsExt;
    let program = FUSE_OVERLAYFS_DIRS
        .iter()
        .map(|d| Path::new(d).join("fuse-overlayfs"))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
        .ok_or("it is not installed (Debian package fuse-overlayfs)")?;
    open_dev_fuse().map_err(|e| format!("{e:#}"))?;
    Ok(program)
}

/// Opens the host's /dev/fuse and checks it is the FUSE device (I2).
fn open_dev_fuse() -> Result<OwnedFd> {
    let fd = nix::fcntl::open(
        "/dev/fuse",
        OFlag::O_RDWR | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .context("opening /dev/fuse")?;
    let st = fstat(&fd).context("fstat /dev/fuse")?;
    let is_chr = st.st_mode & SFlag::S_IFMT.bits() == SFlag::S_IFCHR.bits();
    ensure!(
        is_chr && (major(st.st_rdev), minor(st.st_rdev)) == DEV_FUSE,
        "/dev/fuse is not the FUSE device 10:229"
    );
    Ok(fd)
}

/// fuse-overlayfs's `-o` value: overlay's layer options (lowerdir lists the top layer first).
pub fn fuse_overlayfs_options(lower: &[PathBuf], upper: &Path, work: &Path) -> Result<String> {
    mounts::overlay_options(lower, upper, work)
}

/// Protocol step 1, in the container's init after / was made private: mounts a FUSE filesystem
/// on `target` (an `O_PATH` fd of the directory; `shown` names it in messages), sends its
/// /dev/fuse fd to berth on `channel`, and waits until berth serves it.
pub(crate) fn mount_fuse(target: &OwnedFd, shown: &Path, channel: &OwnedFd) -> Result<()> {
    let dev = open_dev_fuse()?;
    // The owner the kernel checks access against (with default_permissions it checks modes as
    // any filesystem does; allow_other lets every uid of the container in).
    let data = format!(
        "fd={},rootmode=40000,user_id={},group_id={},default_permissions,allow_other",
        dev.as_raw_fd(),
        nix::unistd::geteuid(),
        nix::unistd::getegid()
    );
    nix::mount::mount(
        Some("fuse-overlayfs"),
        &fd_path(target),
        Some("fuse.fuse-overlayfs"),
        MsFlags::MS_NODEV | MsFlags::MS_NOATIME,
        Some(data.as_str()),
    )
    .with_context(|| format!("mounting fuse-overlayfs at {}", shown.display()))?;
    let fds = [dev.as_raw_fd()];
    sendmsg::<()>(
        channel.as_raw_fd(),
        &[std::io::IoSlice::new(b"f")],
        &[ControlMessage::ScmRights(&fds)],
        MsgFlags::empty(),
        None,
    )
    .context("sending the FUSE connection to berth")?;
    drop(dev);
    let mut ack = [0u8; 1];
    loop {
        match nix::unistd::read(channel, &mut ack) {
            Ok(1) if ack[0] == b'k' => return Ok(()),
            Err(nix::errno::Errno::EINTR) => continue,
            _ => bail!("berth did not start fuse-overlayfs for {}", shown.display()),
        }
    }
}

/// Protocol step 2, in berth after releasing the container's init `child`: takes the FUSE
/// connection from `channel`, starts `program` on it with `options` (see
/// [`fuse_overlayfs_options`]), in `child`'s user namespace when `userns`, waits for it to
/// daemonize, and lets the child go on. Returns without doing anything when the child ended
/// before sending the connection (its error follows on its error pipe).
///
/// Errors: the program could not start or exited non-zero (its stderr is in the message).
/// The caller must be single-threaded (the helper is forked).
pub(crate) fn serve_fuse(
    child: Pid,
    channel: &OwnedFd,
    program: &Path,
    options: &str,
    userns: bool,
) -> Result<()> {
    let Some(dev) = super::container::receive_fd(channel)? else {
        return Ok(());
    };
    // The child is ours and not yet reaped, so its pid names it.
    let ns = if userns {
        let p = format!("/proc/{child}/ns/user");
        Some(
            nix::fcntl::open(
                p.as_str(),
                OFlag::O_RDONLY | OFlag::O_CLOEXEC,
                Mode::empty(),
            )
            .with_context(|| format!("opening {p}"))?,
        )
    } else {
        None
    };
    // Its stderr goes to a memfd, read once it has exited: a pipe could stay open in a daemon
    // that does not close it, and berth would wait forever.
    let errors = nix::sys::memfd::memfd_create("berth-fuse-overlayfs", MFdFlags::MFD_CLOEXEC)
        .context("memfd_create")?;
    let mut cmd = Command::new(program);
    cmd.arg("-o")
        .arg(options)
        .arg(format!("/dev/fd/{FUSE_FD}"))
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(errors.try_clone().context("dup")?));
    let (dev_raw, ns_raw) = (dev.as_raw_fd(), ns.as_ref().map(AsRawFd::as_raw_fd));
    // SAFETY: the closure runs in the forked helper before execve. The caller is
    // single-threaded (documented above), so the helper is a copy of one thread holding no
    // locks; even so the closure only makes raw syscalls (prctl, setns, fcntl/dup2,
    // close_range, rt_sigaction, sigprocmask) on fds that stay open in the parent until the
    // helper has exited, and allocates nothing.
    unsafe {
        cmd.pre_exec(move || prepare_helper(dev_raw, ns_raw).map_err(std::io::Error::from));
    }
    let status = cmd
        .status()
        .with_context(|| format!("starting {}", program.display()))?;
    drop(dev);
    let mut text = String::new();
    let mut errors = File::from(errors);
    let _ = errors.rewind();
    let _ = errors.take(64 * 1024).read_to_string(&mut text);
    let text = text.trim();
    if !status.success() {
        bail!(
            "{} could not serve the container's root filesystem ({status}){}{text}",
            program.display(),
            if text.is_empty() { "" } else { ": " }
        );
    }
    if !text.is_empty() {
        log::debug!("{}: {text}", program.display());
    }
    nix::unistd::write(channel, b"k").context("letting the container go on")?;
    Ok(())
}

/// In the forked helper: non-dumpable and into the container's user namespace (rootless), the
/// FUSE connection at fd 3 without close-on-exec and every later fd close-on-exec (I3: nothing
/// berth inherited reaches the daemon), default signal handling and an empty mask (berth
/// blocks the signals it forwards; execve would keep that mask).
fn prepare_helper(dev: RawFd, userns: Option<RawFd>) -> nix::Result<()> {
    if let Some(ns) = userns {
        // SECURITY.md I4: never dumpable while joining a container's namespace.
        nix::sys::prctl::set_dumpable(false)?;
        // SAFETY: `ns` is an fd the parent keeps open until this helper has exited.
        let ns = unsafe { BorrowedFd::borrow_raw(ns) };
        nix::sched::setns(ns, nix::sched::CloneFlags::CLONE_NEWUSER)?;
    }
    // SAFETY: as above, for the FUSE connection.
    sys::dup_to(unsafe { BorrowedFd::borrow_raw(dev) }, FUSE_FD)?;
    sys::cloexec_from(FUSE_FD as u32 + 1)?;
    sys::reset_signals()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(driver: StorageDriver, mount_program: Option<&str>) -> StorageOptions {
        StorageOptions {
            driver,
            mount_program: mount_program.map(PathBuf::from),
        }
    }

    fn never_native() -> Result<Verdict> {
        panic!("native overlay probed when the choice did not depend on it")
    }

    fn never_fuse() -> std::result::Result<PathBuf, String> {
        panic!("fuse-overlayfs looked for when the choice did not depend on it")
    }

    #[test]
    fn vfs_copies_and_a_mount_program_is_used_without_probing() {
        let s = choose(&opts(StorageDriver::Vfs, None), never_native, never_fuse).unwrap();
        assert_eq!(s.rootfs, Rootfs::Copy);
        assert_eq!(s.fallback, None);
        let s = choose(
            &opts(StorageDriver::Overlay, Some("/opt/fuse-overlayfs")),
            never_native,
            never_fuse,
        )
        .unwrap();
        assert_eq!(
            s.rootfs,
            Rootfs::FuseOverlayfs("/opt/fuse-overlayfs".into())
        );
        assert_eq!(s.fallback, None);
    }

    #[test]
    fn overlay_is_native_when_the_kernel_allows_it() {
        let s = choose(
            &opts(StorageDriver::Overlay, None),
            || Ok(Ok(())),
            never_fuse,
        )
        .unwrap();
        assert_eq!(s.rootfs, Rootfs::Overlay);
        assert_eq!(s.fallback, None);
    }

    #[test]
    fn refused_overlay_falls_back_to_fuse_then_to_a_copy_with_one_warning() {
        let refused = || {
            Ok(Err(
                "mounting overlay: EPERM: Operation not permitted".to_string()
            ))
        };
        let s = choose(&opts(StorageDriver::Overlay, None), refused, || {
            Ok("/usr/bin/fuse-overlayfs".into())
        })
        .unwrap();
        assert_eq!(
            s.rootfs,
            Rootfs::FuseOverlayfs("/usr/bin/fuse-overlayfs".into())
        );
        assert_eq!(
            s.fallback.as_deref(),
            Some(
                "the kernel refused a native overlay mount (mounting overlay: EPERM: Operation not permitted): using fuse-overlayfs /usr/bin/fuse-overlayfs for container root filesystems"
            )
        );
        let s = choose(&opts(StorageDriver::Overlay, None), refused, || {
            Err("opening /dev/fuse: EACCES: Permission denied".to_string())
        })
        .unwrap();
        assert_eq!(s.rootfs, Rootfs::Copy);
        assert_eq!(
            s.fallback.as_deref(),
            Some(
                "the kernel refused a native overlay mount (mounting overlay: EPERM: Operation not permitted) and fuse-overlayfs is not usable (opening /dev/fuse: EACCES: Permission denied): copying the image for every container, which is slower and uses more disk"
            )
        );
    }

    #[test]
    fn a_probe_that_cannot_run_is_an_error() {
        let e = choose(
            &opts(StorageDriver::Overlay, None),
            || Err(anyhow::anyhow!("creating /s/tmp/x: EROFS")),
            never_fuse,
        )
        .unwrap_err();
        assert_eq!(format!("{e:#}"), "creating /s/tmp/x: EROFS");
    }

    #[test]
    fn the_cache_holds_for_its_boot_and_store_only() {
        let root = Path::new("/var/lib/berth");
        for v in [
            Ok(()),
            Err("mounting overlay: EINVAL:\nInvalid argument".to_string()),
        ] {
            let text = cache_text("b1", root, &v);
            let back = parse_cache(&text, "b1", root).unwrap();
            assert_eq!(back, v.map_err(|e| e.replace('\n', " ")));
            assert_eq!(parse_cache(&text, "b2", root), None, "another boot");
            assert_eq!(
                parse_cache(&text, "b1", Path::new("/other")),
                None,
                "another store"
            );
        }
        let ok = cache_text("b1", root, &Ok(()));
        for bad in [
            String::new(),
            ok.replace("probe 1", "probe 2"),
            ok.replace("native ok", "native maybe"),
            format!("{ok}extra\n"),
            ok.lines().take(3).collect::<Vec<_>>().join("\n"),
        ] {
            assert_eq!(parse_cache(&bad, "b1", root), None, "{bad:?}");
        }
    }

    #[test]
    fn fuse_options_list_the_top_layer_first() {
        let o = fuse_overlayfs_options(
            &["/l/a".into(), "/l/b".into()],
            Path::new("/u"),
            Path::new("/w"),
        )
        .unwrap();
        assert_eq!(o, "lowerdir=/l/b:/l/a,upperdir=/u,workdir=/w");
        assert!(
            fuse_overlayfs_options(&["/l/a,b".into()], Path::new("/u"), Path::new("/w")).is_err()
        );
    }
}
