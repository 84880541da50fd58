//! The container's mount namespace: the rootfs (overlay, fuse-overlayfs or a bound copy, as
//! `rootfs` chose), /proc, /sys, /dev, volumes, tmpfs, masked and read-only paths, and
//! pivot_root.
//!
//! Plan as data, apply in one place (STYLE.md 7, bubblewrap's `SetupOp` + `setup_newroot`):
//! [`plan`] turns a [`MountSpec`] into a list of [`MountOp`]s without touching the system, and
//! [`apply`] runs that list inside the container's fresh mount namespace.
//!
//! Every destination inside the rootfs is resolved in-root from an fd of the new root
//! (SECURITY.md I1, via `storage::inroot`) and mounted through `/proc/self/fd/N` of that fd (I2),
//! so a symlink planted in an image can never redirect a mount onto the host. Host-side sources
//! (`-v` sources, the overlay's layer dirs, host /dev nodes for rootless) are the user's or
//! berth's own paths and are opened as given. This module never executes anything and must not
//! open anything under the container's /proc after pivot_root.

use std::collections::HashSet;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail, ensure};
use nix::errno::Errno;
use nix::fcntl::{OFlag, open, openat};
use nix::mount::{MntFlags, MsFlags, mount, umount2};
use nix::sys::stat::{
    FchmodatFlags, Mode, SFlag, fchmodat, fstat, major, makedev, minor, mkdirat, mknodat,
};
use nix::sys::statfs::{
    FUSE_SUPER_MAGIC, FsType, OVERLAYFS_SUPER_MAGIC, PROC_SUPER_MAGIC, fstatfs,
};
use nix::sys::statvfs::{FsFlags, fstatvfs};
use nix::unistd::{chdir, fchdir, pivot_root, symlinkat};

use crate::runtime::rootfs::{self, RootfsSpec};
use crate::runtime::sys;
use crate::storage::inroot::{open_in_root, resolve_parent, try_open_in_root};

/// Paths hidden from the container: a file gets /dev/null bound over it, a directory an empty
/// read-only tmpfs. Moby's current default list (`oci/defaults.go`, with /proc/interrupts added
/// in Docker 28). Moby also masks each `/sys/devices/system/cpu/cpu*/thermal_throttle`, which
/// depends on the host's CPUs; that list is left to the caller that knows them.
pub const DEFAULT_MASKED_PATHS: &[&str] = &[
    "/proc/asound",
    "/proc/acpi",
    "/proc/interrupts",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
];

/// Paths made read-only in the container (moby's default list).
pub const DEFAULT_READONLY_PATHS: &[&str] = &[
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
];

/// Docker's default `--shm-size`: 64 MiB.
pub const DEFAULT_SHM_SIZE: u64 = 64 << 20;

/// The device nodes every container gets (runc's default set): name, major, minor. All are
/// character devices, mode 0666.
pub const DEFAULT_DEVICES: &[(&str, u32, u32)] = &[
    ("null", 1, 3),
    ("zero", 1, 5),
    ("full", 1, 7),
    ("random", 1, 8),
    ("urandom", 1, 9),
    ("tty", 5, 0),
];

/// The symlinks in /dev (runc's `setupDevSymlinks`): target, link.
const DEV_SYMLINKS: &[(&str, &str)] = &[
    ("/proc/self/fd", "/dev/fd"),
    ("/proc/self/fd/0", "/dev/stdin"),
    ("/proc/self/fd/1", "/dev/stdout"),
    ("/proc/self/fd/2", "/dev/stderr"),
    ("pts/ptmx", "/dev/ptmx"),
    ("/proc/kcore", "/dev/core"),
];

/// mount(2) copies at most one page of option data; longer overlay option strings are cut.
const MOUNT_DATA_MAX: usize = 4095;

/// One step of setting up the container's mount namespace. Destinations (`dest`, `path`) are
/// absolute paths inside the container, normalised by [`plan`]; host paths are `PathBuf`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountOp {
    /// The rootfs: overlay of `lower` (lowest layer first) with `upper`/`work`, at the host
    /// directory `target`, always `nodev` (SECURITY.md I19); `userxattr` inside a user namespace;
    /// `volatile` for a container whose upper dir is thrown away after its run.
    Overlay {
        lower: Vec<PathBuf>,
        upper: PathBuf,
        work: PathBuf,
        target: PathBuf,
        userxattr: bool,
        volatile: bool,
    },
    /// The rootfs: the same overlay served by fuse-overlayfs (`program`), `nodev`. The child
    /// mounts the FUSE filesystem at `target` and berth runs `program` outside the container
    /// (see `rootfs` for the protocol); `apply` needs the channel to berth for it.
    FuseOverlayfs {
        program: PathBuf,
        lower: Vec<PathBuf>,
        upper: PathBuf,
        work: PathBuf,
        target: PathBuf,
    },
    /// The rootfs: the filled directory `source` (a copy of the image) bound recursively onto
    /// itself and made `nodev`.
    BindRoot { source: PathBuf },
    /// A fresh procfs at /proc (needs the container's own pid namespace when rootless).
    Proc,
    /// sysfs at /sys; when mounting it is refused and `rootless_bind` is set, the host's /sys is
    /// bound recursively instead (Podman rootless without a private network namespace).
    Sysfs { readonly: bool, rootless_bind: bool },
    /// A tmpfs at /dev (mode 0755, 64 MiB, nosuid).
    DevTmpfs,
    /// A character device created with mknod (root only).
    DevNode {
        name: String,
        major: u32,
        minor: u32,
        mode: u32,
    },
    /// The host's `/dev/<name>` bound into /dev (rootless: unprivileged users cannot mknod),
    /// verified to be the character device `major:minor`.
    DevBind {
        name: String,
        major: u32,
        minor: u32,
    },
    /// A symlink at `dest` pointing to `target` (created, never followed).
    Symlink { target: String, dest: String },
    /// A new devpts instance at /dev/pts; `gid` is the tty group when it is mapped.
    Devpts { gid: Option<u32> },
    /// An mqueue filesystem at /dev/mqueue (needs the container's own IPC namespace).
    Mqueue,
    /// A tmpfs of `size` bytes at /dev/shm.
    Shm { size: u64 },
    /// A tmpfs at `dest` with `--tmpfs` style `options` (see [`parse_tmpfs`]).
    Tmpfs { dest: String, options: String },
    /// The host path `source` (symlinks followed: it is the user's path) bound at `dest`.
    Bind {
        source: PathBuf,
        dest: String,
        readonly: bool,
        recursive: bool,
    },
    /// Hide `path` if it exists: /dev/null over a file, an empty read-only tmpfs over a directory.
    MaskPath { path: String },
    /// Make `path` read-only (recursively) if it exists.
    ReadonlyPath { path: String },
    /// Bind the host's device node (checked to be the device `major:minor` once opened, I2)
    /// at `dest`. A bind rather than mknod, as root too: the rootfs is `nodev` (I19), and a
    /// bind keeps the host mount's flags wherever it lands.
    HostDevice(DeviceMount),
    /// Make the mount at `path` `nodev` (recursively: with the mounts under it) if it is a
    /// directory.
    Nodev { path: String, recursive: bool },
    /// Make the rootfs mount itself read-only (`--read-only`); mounts on top of it stay as they are.
    RemountRootReadonly,
    /// pivot_root into the rootfs and detach the old root; the last step.
    PivotRoot,
}

/// One `-v SRC:DST[:OPTS]` bind mount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindSpec {
    /// Host path, absolute. Symlinks in it are followed when mounting.
    pub source: PathBuf,
    /// Container path, normalised (absolute, no `.`/`..`, no trailing `/`).
    pub dest: String,
    pub readonly: bool,
    /// `rbind` (the default for `-v`, as in Docker and Podman) or `bind`.
    pub recursive: bool,
}

/// What the container's mount namespace should look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountSpec {
    /// The root filesystem, as `rootfs::prepare` chose and prepared it.
    pub rootfs: RootfsSpec,
    /// Mount an overlay rootfs `volatile` (no syncs of the upper dir): for `--rm` containers,
    /// whose upper dir is thrown away anyway, as Podman does. Unmounting then costs no sync of
    /// the store's filesystem.
    pub volatile: bool,
    /// Inside a user namespace without host privileges.
    pub rootless: bool,
    /// `--read-only`.
    pub readonly_root: bool,
    /// `-v` mounts, in command-line order.
    pub binds: Vec<BindSpec>,
    /// `--tmpfs` mounts: destination and options, as [`parse_tmpfs`] returns them.
    pub tmpfs: Vec<(String, String)>,
    /// Files berth writes per container and binds in: host path and destination, such as
    /// `(…/hosts, "/etc/hosts")`. A user mount at the same destination replaces them.
    pub etc_files: Vec<(PathBuf, String)>,
    /// `--shm-size` in bytes.
    pub shm_size: u64,
    /// Masked and read-only paths, /sys, extra device nodes (`--privileged`, `--security-opt`,
    /// `--device`).
    pub security: SecurityMounts,
}

/// What the security options change in the mount plan. The default is Docker's: its masked and
/// read-only paths, /sys read-only, no devices beyond [`DEFAULT_DEVICES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityMounts {
    /// Paths to mask (absolute, normalised).
    pub masked: Vec<String>,
    /// Paths to make read-only.
    pub readonly: Vec<String>,
    /// Mount /sys read-write (`--privileged`).
    pub sys_writable: bool,
    /// Host device nodes to bind in.
    pub devices: Vec<DeviceMount>,
    /// Mount /dev and `-v` binds `nodev`, and bind the default device nodes from the host
    /// instead of creating them. Without a device cgroup this is what keeps a container that
    /// was given CAP_MKNOD from using a node it makes (Docker's default device cgroup lets it
    /// make any node and open none but the defaults): every writable place is then `nodev`,
    /// while bound nodes keep the flags of the host's /dev. Off for `--privileged`, and
    /// rootless, where the kernel refuses mknod of devices anyway (so volumes holding device
    /// nodes work as in Podman).
    pub nodev: bool,
}

impl Default for SecurityMounts {
    fn default() -> Self {
        let own = |l: &[&str]| l.iter().map(|p| (*p).to_owned()).collect();
        SecurityMounts {
            masked: own(DEFAULT_MASKED_PATHS),
            readonly: own(DEFAULT_READONLY_PATHS),
            sys_writable: false,
            devices: Vec::new(),
            nodev: true,
        }
    }
}

/// A host device node bound into the container (`--device`, `--privileged`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceMount {
    /// The host path; symlinks in it are followed (it is the user's path).
    pub host: PathBuf,
    /// Where it appears in the container.
    pub dest: String,
    /// A block device (else a character device).
    pub block: bool,
    pub major: u64,
    pub minor: u64,
    /// `None`: the host's node itself. `Some(bits)` (`--device …:r`, root only): a node of
    /// berth's own with these permission bits, seen through an idmapped mount on which root
    /// is unmapped, so that not even root in the container can override them (capabilities
    /// such as CAP_DAC_OVERRIDE apply only to files whose owner is mapped), and which the
    /// kernel never lets anyone write (inode_permission refuses writes to files with unmapped
    /// ids). A read-only mount would not do: it does not stop writes to a device node.
    pub mode: Option<u32>,
}

/// Normalises a container path: absolute, `//` and `.` dropped, no `..`, not `/` itself.
pub fn normalize_dest(dest: &str) -> Result<String> {
    ensure!(
        !dest.contains('\0'),
        "mount destination {dest:?} contains a NUL byte"
    );
    ensure!(
        dest.starts_with('/'),
        "mount destination {dest:?} is not an absolute path"
    );
    let mut out = String::new();
    for part in dest.split('/') {
        match part {
            "" | "." => {}
            ".." => bail!("mount destination {dest:?} must not contain '..'"),
            _ => {
                out.push('/');
                out.push_str(part);
            }
        }
    }
    ensure!(
        !out.is_empty(),
        "cannot mount over the container's root {dest:?}"
    );
    Ok(out)
}

/// Parses a `-v`/`--volume` argument `SRC:DST[:OPTS]` with a host path as `SRC`. `OPTS` is a
/// comma-separated list of `ro`, `rw`, `z`, `Z` (accepted for compatibility; berth does no
/// SELinux relabelling), `bind`, `rbind` (the default), `private`, `rprivate` (the default).
/// Named and anonymous volumes are the volume store's business and are refused here.
pub fn parse_volume(s: &str) -> Result<BindSpec> {
    let parts: Vec<&str> = s.split(':').collect();
    let (src, dst, opts) = match parts.as_slice() {
        [src, dst] => (*src, *dst, ""),
        [src, dst, opts] => (*src, *dst, *opts),
        [_] => bail!(
            "volume {s:?}: expected SRC:DST[:OPTIONS] (anonymous volumes are not handled here)"
        ),
        _ => bail!("volume {s:?}: too many ':' (expected SRC:DST[:OPTIONS])"),
    };
    ensure!(!src.is_empty(), "volume {s:?}: empty source");
    ensure!(
        !src.contains('\0'),
        "volume {s:?}: source contains a NUL byte"
    );
    ensure!(
        src.starts_with('/'),
        "volume {s:?}: source {src:?} is not an absolute host path (named volumes are resolved by the volume store)"
    );
    let dest = normalize_dest(dst).with_context(|| format!("volume {s:?}"))?;
    let (mut readonly, mut recursive) = (None, None);
    for opt in opts.split(',').filter(|o| !o.is_empty()) {
        let (slot, value) = match opt {
            "ro" => (&mut readonly, true),
            "rw" => (&mut readonly, false),
            "rbind" => (&mut recursive, true),
            "bind" => (&mut recursive, false),
            "z" | "Z" | "private" | "rprivate" => continue,
            "shared" | "rshared" | "slave" | "rslave" => {
                bail!("volume {s:?}: propagation {opt:?} is not supported")
            }
            _ => bail!("volume {s:?}: unknown option {opt:?}"),
        };
        if slot.is_some_and(|v| v != value) {
            bail!("volume {s:?}: conflicting options in {opts:?}");
        }
        *slot = Some(value);
    }
    Ok(BindSpec {
        source: PathBuf::from(src),
        dest,
        readonly: readonly.unwrap_or(false),
        recursive: recursive.unwrap_or(true),
    })
}

/// Parses a `--tmpfs PATH[:OPTIONS]` argument into the normalised destination and the options,
/// which are checked now (see [`tmpfs_mount_options`]) so mistakes fail before anything runs.
pub fn parse_tmpfs(s: &str) -> Result<(String, String)> {
    let (dest, opts) = s.split_once(':').unwrap_or((s, ""));
    let dest = normalize_dest(dest).with_context(|| format!("tmpfs {s:?}"))?;
    tmpfs_mount_options(opts).with_context(|| format!("tmpfs {s:?}"))?;
    Ok((dest, opts.to_owned()))
}

/// Checks the options of a `--tmpfs` at `dest`; with `nodev` (see `SecurityMounts::nodev`:
/// every writable place is nodev) a tmpfs with `dev` is refused, as one where a node the
/// container makes could be opened.
pub fn check_tmpfs(dest: &str, options: &str, nodev: bool) -> Result<()> {
    let (flags, _) = tmpfs_mount_options(options).with_context(|| format!("tmpfs at {dest}"))?;
    ensure!(
        !nodev || flags.contains(MsFlags::MS_NODEV),
        "tmpfs at {dest}: the dev option needs --privileged (in a root container berth keeps \
         every writable place nodev, a second line behind its device cgroup)"
    );
    Ok(())
}

/// Splits `--tmpfs` options into mount flags and tmpfs data. Defaults are `nosuid,nodev,noexec`
/// (as Podman); `exec`, `dev`, `suid`, `ro` and the atime words adjust them; `size`, `mode`,
/// `uid`, `gid`, `nr_inodes`, `nr_blocks` and `huge` go to tmpfs.
pub fn tmpfs_mount_options(opts: &str) -> Result<(MsFlags, String)> {
    let mut flags = MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC;
    let mut data: Vec<&str> = Vec::new();
    for opt in opts.split(',').filter(|o| !o.is_empty()) {
        let (set, clear) = match opt {
            "ro" => (MsFlags::MS_RDONLY, MsFlags::empty()),
            "rw" => (MsFlags::empty(), MsFlags::MS_RDONLY),
            "noexec" => (MsFlags::MS_NOEXEC, MsFlags::empty()),
            "exec" => (MsFlags::empty(), MsFlags::MS_NOEXEC),
            "nosuid" => (MsFlags::MS_NOSUID, MsFlags::empty()),
            "suid" => (MsFlags::empty(), MsFlags::MS_NOSUID),
            "nodev" => (MsFlags::MS_NODEV, MsFlags::empty()),
            "dev" => (MsFlags::empty(), MsFlags::MS_NODEV),
            "noatime" => (MsFlags::MS_NOATIME, MsFlags::empty()),
            "relatime" => (MsFlags::MS_RELATIME, MsFlags::empty()),
            "strictatime" => (MsFlags::MS_STRICTATIME, MsFlags::empty()),
            "nodiratime" => (MsFlags::MS_NODIRATIME, MsFlags::empty()),
            _ => {
                let (key, value) = opt
                    .split_once('=')
                    .with_context(|| format!("unknown tmpfs option {opt:?}"))?;
                let ok = match key {
                    "size" | "nr_blocks" | "nr_inodes" => {
                        let digits = value.trim_end_matches(['k', 'K', 'm', 'M', 'g', 'G', '%']);
                        value.len() - digits.len() <= 1
                            && !digits.is_empty()
                            && digits.bytes().all(|b| b.is_ascii_digit())
                    }
                    "mode" => {
                        !value.is_empty()
                            && value.len() <= 4
                            && value.bytes().all(|b| (b'0'..=b'7').contains(&b))
                    }
                    "uid" | "gid" => value.parse::<u32>().is_ok(),
                    "huge" => matches!(value, "never" | "always" | "within_size" | "advise"),
                    _ => bail!("unknown tmpfs option {opt:?}"),
                };
                ensure!(ok, "invalid value in tmpfs option {opt:?}");
                data.push(opt);
                continue;
            }
        };
        flags = (flags | set) & !clear;
    }
    Ok((flags, data.join(",")))
}

/// The overlay mount(2) option string: [`overlay_options`], `userxattr` inside a user
/// namespace, at most one page.
pub fn overlay_data(
    lower: &[PathBuf],
    upper: &Path,
    work: &Path,
    userxattr: bool,
    volatile: bool,
) -> Result<String> {
    let mut data = overlay_options(lower, upper, work)?;
    if userxattr {
        data.push_str(",userxattr");
    }
    if volatile {
        data.push_str(",volatile");
    }
    ensure!(
        data.len() <= MOUNT_DATA_MAX,
        "overlay options for {} layers are {} bytes, more than mount(2) accepts ({MOUNT_DATA_MAX})",
        lower.len(),
        data.len()
    );
    Ok(data)
}

/// `lowerdir=…,upperdir=…,workdir=…`, with `lowerdir` listing the topmost layer first; every
/// path absolute and free of the separators overlay cannot escape.
pub fn overlay_options(lower: &[PathBuf], upper: &Path, work: &Path) -> Result<String> {
    ensure!(!lower.is_empty(), "an overlay needs at least one layer");
    let text = |p: &Path| -> Result<String> {
        let s = p
            .to_str()
            .with_context(|| format!("overlay path {p:?} is not UTF-8"))?;
        ensure!(
            p.is_absolute() && !s.contains([',', ':', '\\', '\0']),
            "overlay path {s:?} must be absolute and free of ',', ':' and '\\'"
        );
        Ok(s.to_owned())
    };
    let lowers: Vec<String> = lower.iter().rev().map(|p| text(p)).collect::<Result<_>>()?;
    Ok(format!(
        "lowerdir={},upperdir={},workdir={}",
        lowers.join(":"),
        text(upper)?,
        text(work)?
    ))
}

/// Turns a spec into the ordered list of mount steps: the rootfs; /proc, /sys, /dev and what lives
/// in it; the per-container /etc files; user tmpfs and binds (parents before children); masked
/// and read-only paths; `--read-only`; pivot_root. Pure: nothing is touched.
///
/// Errors: no layers, a zero `--shm-size`, a bad destination, two user mounts at one place, a
/// user mount over /proc, overlay paths mount(2) or fuse-overlayfs cannot express.
pub fn plan(spec: &MountSpec) -> Result<Vec<MountOp>> {
    ensure!(spec.shm_size > 0, "--shm-size must be greater than 0");
    let root = match &spec.rootfs {
        RootfsSpec::Overlay {
            layers,
            upper,
            work,
            target,
        } => {
            overlay_data(layers, upper, work, spec.rootless, spec.volatile)?;
            MountOp::Overlay {
                lower: layers.clone(),
                upper: upper.clone(),
                work: work.clone(),
                target: target.clone(),
                userxattr: spec.rootless,
                volatile: spec.volatile,
            }
        }
        RootfsSpec::FuseOverlayfs {
            program,
            layers,
            upper,
            work,
            target,
        } => {
            rootfs::fuse_overlayfs_options(layers, upper, work)?;
            MountOp::FuseOverlayfs {
                program: program.clone(),
                lower: layers.clone(),
                upper: upper.clone(),
                work: work.clone(),
                target: target.clone(),
            }
        }
        RootfsSpec::Copy { dir } => MountOp::BindRoot {
            source: dir.clone(),
        },
    };
    let mut ops = vec![
        root,
        MountOp::Proc,
        MountOp::Sysfs {
            readonly: !spec.security.sys_writable,
            rootless_bind: spec.rootless,
        },
        MountOp::DevTmpfs,
    ];
    if spec.security.nodev {
        // Before the nodes are bound: a bind keeps the flags of the mount it comes from.
        ops.push(MountOp::Nodev {
            path: "/dev".into(),
            recursive: false,
        });
    }
    for &(name, major, minor) in DEFAULT_DEVICES {
        let name = name.to_owned();
        ops.push(if spec.rootless || spec.security.nodev {
            MountOp::DevBind { name, major, minor }
        } else {
            MountOp::DevNode {
                name,
                major,
                minor,
                mode: 0o666,
            }
        });
    }
    for &(target, dest) in DEV_SYMLINKS {
        ops.push(MountOp::Symlink {
            target: target.to_owned(),
            dest: dest.to_owned(),
        });
    }
    // The tty group (5) may not be mapped in a rootless namespace; devpts refuses unmapped ids.
    ops.push(MountOp::Devpts {
        gid: (!spec.rootless).then_some(5),
    });

    // User mounts: validated, checked for duplicates, then ordered parents first (stable, so
    // command-line order decides among equals), as Docker sorts by destination depth.
    let mut user: Vec<(String, MountOp)> = Vec::new();
    for b in &spec.binds {
        let dest = normalize_dest(&b.dest)?;
        user.push((
            dest.clone(),
            MountOp::Bind {
                source: b.source.clone(),
                dest,
                readonly: b.readonly,
                recursive: b.recursive,
            },
        ));
    }
    for (dest, options) in &spec.tmpfs {
        let dest = normalize_dest(dest)?;
        check_tmpfs(&dest, options, spec.security.nodev)?;
        user.push((
            dest.clone(),
            MountOp::Tmpfs {
                dest,
                options: options.clone(),
            },
        ));
    }
    for d in &spec.security.devices {
        let dest = normalize_dest(&d.dest)?;
        ensure!(dest != "/dev", "cannot bind a device over /dev");
        user.push((
            dest.clone(),
            MountOp::HostDevice(DeviceMount { dest, ..d.clone() }),
        ));
    }
    let mut seen = HashSet::new();
    for (dest, _) in &user {
        ensure!(dest != "/proc", "cannot mount over /proc");
        ensure!(seen.insert(dest.as_str()), "duplicate mount point {dest}");
    }
    if !seen.contains("/dev/shm") {
        ops.push(MountOp::Shm {
            size: spec.shm_size,
        });
    }
    if !seen.contains("/dev/mqueue") {
        ops.push(MountOp::Mqueue);
    }
    for (source, dest) in &spec.etc_files {
        let dest = normalize_dest(dest)?;
        if !seen.contains(dest.as_str()) {
            ops.push(MountOp::Bind {
                source: source.clone(),
                dest,
                readonly: false,
                recursive: false,
            });
        }
    }
    user.sort_by_key(|(dest, _)| dest.matches('/').count());
    for (dest, op) in user {
        let nodev = match &op {
            MountOp::Bind { recursive, .. } if spec.security.nodev => Some(*recursive),
            _ => None,
        };
        ops.push(op);
        if let Some(recursive) = nodev {
            ops.push(MountOp::Nodev {
                path: dest,
                recursive,
            });
        }
    }

    for path in &spec.security.masked {
        ops.push(MountOp::MaskPath {
            path: normalize_dest(path)?,
        });
    }
    for path in &spec.security.readonly {
        ops.push(MountOp::ReadonlyPath {
            path: normalize_dest(path)?,
        });
    }
    if spec.readonly_root {
        ops.push(MountOp::RemountRootReadonly);
    }
    ops.push(MountOp::PivotRoot);
    Ok(ops)
}

/// The new root while it is being filled: an `O_PATH` fd of the overlay's root and, for
/// messages only, its host path.
struct Root {
    fd: OwnedFd,
    path: PathBuf,
}

impl Root {
    /// The host path of `dest`, for error messages (never opened).
    fn show(&self, dest: &str) -> String {
        format!("{}{dest}", self.path.display())
    }
}

/// Runs `ops` in order inside the container's new mount namespace (the caller has unshared
/// `CLONE_NEWNS`, and `CLONE_NEWUSER` with maps written when rootless; /proc needs a new pid
/// namespace and /dev/mqueue a new IPC namespace when rootless). First makes `/` recursively
/// private so nothing propagates to the host. A fuse-overlayfs rootfs needs `rootfs_channel`,
/// the socket to berth that serves it (`rootfs::mount_fuse`). On success the process is inside
/// the new root with cwd `/`. On error the namespace is half set up and must be abandoned;
/// every error names the step and its target, e.g. `mounting proc at /…/merged/proc: EPERM:
/// Operation not permitted`.
pub fn apply(ops: &[MountOp], rootfs_channel: Option<&OwnedFd>) -> Result<()> {
    // After pivot_root the root fd is stale and /proc/self/fd is the container's: nothing may follow.
    if let Some(i) = ops.iter().position(|op| *op == MountOp::PivotRoot) {
        ensure!(i + 1 == ops.len(), "mount plan has steps after pivot_root");
    }
    mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .context("making / private")?;
    // The host's /dev/null, opened and checked before anything can be mounted over it (I2).
    let dev_null = open_host_dev("null", 1, 3)?;
    let mut root: Option<Root> = None;
    for op in ops {
        let Some(r) = &root else {
            root = Some(mount_root(op, rootfs_channel)?);
            continue;
        };
        apply_one(r, op, &dev_null)?;
    }
    Ok(())
}

/// The first step: mounts the rootfs `op` describes and returns it.
fn mount_root(op: &MountOp, rootfs_channel: Option<&OwnedFd>) -> Result<Root> {
    match op {
        MountOp::Overlay {
            lower,
            upper,
            work,
            target,
            userxattr,
            volatile,
        } => {
            let data = overlay_data(lower, upper, work, *userxattr, *volatile)?;
            let fd = open_dir(target)?;
            mount(
                Some("overlay"),
                &fd_path(&fd),
                Some("overlay"),
                MsFlags::MS_NODEV,
                Some(data.as_str()),
            )
            .with_context(|| format!("mounting overlay at {}", target.display()))?;
            // Reopen: the old fd names the directory under the new mount.
            let fd = open_dir(target)?;
            check_fs(
                &fd,
                OVERLAYFS_SUPER_MAGIC,
                "overlay",
                &target.display().to_string(),
            )?;
            Ok(Root {
                fd,
                path: target.clone(),
            })
        }
        MountOp::FuseOverlayfs { target, .. } => {
            let channel =
                rootfs_channel.context("a fuse-overlayfs rootfs needs a channel to berth")?;
            let fd = open_dir(target)?;
            rootfs::mount_fuse(&fd, target, channel)?;
            let fd = open_dir(target)?;
            // ENOTCONN here: the mount program exited without serving the connection.
            check_fs(
                &fd,
                FUSE_SUPER_MAGIC,
                "fuse-overlayfs",
                &target.display().to_string(),
            )
            .with_context(|| format!("fuse-overlayfs is not serving {}", target.display()))?;
            Ok(Root {
                fd,
                path: target.clone(),
            })
        }
        MountOp::BindRoot { source } => {
            let src = open_dir(source)?;
            bind(&src, &src, true)
                .with_context(|| format!("binding {} onto itself", source.display()))?;
            let fd = open_dir(source)?;
            let (a, b) = (fstat(&fd)?, fstat(&src)?);
            ensure!(
                (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino),
                "{} changed while it was being mounted",
                source.display()
            );
            make_nodev(&fd).with_context(|| format!("making {} nodev", source.display()))?;
            Ok(Root {
                fd,
                path: source.clone(),
            })
        }
        _ => bail!("mount plan does not start with the rootfs: {op:?}"),
    }
}

/// One step after the rootfs is mounted.
fn apply_one(root: &Root, op: &MountOp, dev_null: &OwnedFd) -> Result<()> {
    let (nosuid, nodev, noexec) = (MsFlags::MS_NOSUID, MsFlags::MS_NODEV, MsFlags::MS_NOEXEC);
    match op {
        MountOp::Overlay { .. } | MountOp::FuseOverlayfs { .. } | MountOp::BindRoot { .. } => {
            bail!("a second rootfs in the mount plan")
        }
        MountOp::Proc => {
            let fd = kernel_fs_point(root, "/proc")?;
            mount_fs(root, "proc", &fd, "/proc", nosuid | nodev | noexec, None)?;
            let fd = kernel_fs_point(root, "/proc")?;
            check_fs(&fd, PROC_SUPER_MAGIC, "procfs", &root.show("/proc"))?;
        }
        MountOp::Sysfs {
            readonly,
            rootless_bind,
        } => {
            let ro = if *readonly {
                MsFlags::MS_RDONLY
            } else {
                MsFlags::empty()
            };
            let fd = kernel_fs_point(root, "/sys")?;
            match mount(
                Some("sysfs"),
                &fd_path(&fd),
                Some("sysfs"),
                nosuid | nodev | noexec | ro,
                None::<&str>,
            ) {
                Ok(()) => {}
                // Only the owner of the network namespace may mount sysfs; bind the host's.
                Err(Errno::EPERM) if *rootless_bind => {
                    let host = open_dir(Path::new("/sys"))?;
                    bind(&host, &fd, true)
                        .with_context(|| format!("binding /sys at {}", root.show("/sys")))?;
                    if *readonly {
                        make_readonly(&reopen(root, "/sys", &host)?, true)
                            .with_context(|| format!("making {} read-only", root.show("/sys")))?;
                    }
                }
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("mounting sysfs at {}", root.show("/sys")));
                }
            }
        }
        MountOp::DevTmpfs => {
            let fd = kernel_fs_point(root, "/dev")?;
            mount_fs(
                root,
                "tmpfs",
                &fd,
                "/dev",
                nosuid | MsFlags::MS_STRICTATIME,
                Some("mode=755,size=65536k"),
            )?;
        }
        MountOp::DevNode {
            name,
            major: ma,
            minor: mi,
            mode,
        } => {
            let dest = format!("/dev/{name}");
            let (parent, leaf) = resolve_parent(root.fd.as_fd(), rel(&dest), false)?;
            let mode = Mode::from_bits_truncate(*mode);
            mknodat(
                &parent,
                leaf.as_os_str(),
                SFlag::S_IFCHR,
                mode,
                makedev((*ma).into(), (*mi).into()),
            )
            .with_context(|| format!("creating device {}", root.show(&dest)))?;
            // mknod applies the umask; set the mode exactly. The node was just created in our own
            // fresh tmpfs, so following a symlink is not a concern here.
            fchmodat(
                &parent,
                leaf.as_os_str(),
                mode,
                FchmodatFlags::FollowSymlink,
            )
            .with_context(|| format!("setting mode of {}", root.show(&dest)))?;
        }
        MountOp::DevBind {
            name,
            major: ma,
            minor: mi,
        } => {
            let dest = format!("/dev/{name}");
            let src = open_host_dev(name, *ma, *mi)?;
            let fd = mount_point(root, &dest, false)?;
            bind(&src, &fd, false)
                .with_context(|| format!("binding /dev/{name} at {}", root.show(&dest)))?;
        }
        MountOp::Symlink { target, dest } => {
            let (parent, leaf) = resolve_parent(root.fd.as_fd(), rel(dest), true)?;
            symlinkat(target.as_str(), &parent, leaf.as_os_str())
                .with_context(|| format!("creating symlink {}", root.show(dest)))?;
        }
        MountOp::Devpts { gid } => {
            let mut data = String::from("newinstance,ptmxmode=0666,mode=0620");
            if let Some(gid) = gid {
                data.push_str(&format!(",gid={gid}"));
            }
            let fd = mount_point(root, "/dev/pts", true)?;
            mount_fs(
                root,
                "devpts",
                &fd,
                "/dev/pts",
                nosuid | noexec,
                Some(&data),
            )?;
        }
        MountOp::Mqueue => {
            let fd = mount_point(root, "/dev/mqueue", true)?;
            mount_fs(
                root,
                "mqueue",
                &fd,
                "/dev/mqueue",
                nosuid | nodev | noexec,
                None,
            )?;
        }
        MountOp::Shm { size } => {
            let fd = mount_point(root, "/dev/shm", true)?;
            let data = format!("mode=1777,size={size}");
            mount_fs(
                root,
                "tmpfs",
                &fd,
                "/dev/shm",
                nosuid | nodev | noexec,
                Some(&data),
            )?;
        }
        MountOp::Tmpfs { dest, options } => {
            let (flags, data) = tmpfs_mount_options(options)?;
            let fd = mount_point(root, dest, true)?;
            mount_fs(root, "tmpfs", &fd, dest, flags, Some(&data))?;
        }
        MountOp::Bind {
            source,
            dest,
            readonly,
            recursive,
        } => {
            let src = open(
                source.as_path(),
                OFlag::O_PATH | OFlag::O_CLOEXEC,
                Mode::empty(),
            )
            .with_context(|| format!("opening bind source {}", source.display()))?;
            let is_dir = file_type(&src)? == SFlag::S_IFDIR;
            let fd = mount_point(root, dest, is_dir)?;
            bind(&src, &fd, *recursive)
                .with_context(|| format!("binding {} at {}", source.display(), root.show(dest)))?;
            if *readonly {
                make_readonly(&reopen(root, dest, &src)?, *recursive)
                    .with_context(|| format!("making {} read-only", root.show(dest)))?;
            }
        }
        MountOp::MaskPath { path } => {
            let Some(fd) = existing(root, path)? else {
                return Ok(());
            };
            match file_type(&fd)? {
                SFlag::S_IFDIR => mount_fs(
                    root,
                    "tmpfs",
                    &fd,
                    path,
                    MsFlags::MS_RDONLY | nosuid | nodev | noexec,
                    Some("size=0"),
                )?,
                SFlag::S_IFLNK => bail!("refusing to mask {}: it is a symlink", root.show(path)),
                _ => bind(dev_null, &fd, false)
                    .with_context(|| format!("masking {}", root.show(path)))?,
            }
        }
        MountOp::ReadonlyPath { path } => {
            let Some(fd) = existing(root, path)? else {
                return Ok(());
            };
            ensure!(
                file_type(&fd)? != SFlag::S_IFLNK,
                "refusing to bind {}: it is a symlink",
                root.show(path)
            );
            bind(&fd, &fd, true)
                .with_context(|| format!("binding {} onto itself", root.show(path)))?;
            make_readonly(&reopen(root, path, &fd)?, true)
                .with_context(|| format!("making {} read-only", root.show(path)))?;
        }
        MountOp::HostDevice(d) => {
            let src = open(
                d.host.as_path(),
                OFlag::O_PATH | OFlag::O_CLOEXEC,
                Mode::empty(),
            )
            .with_context(|| format!("opening device {}", d.host.display()))?;
            let want = if d.block {
                SFlag::S_IFBLK
            } else {
                SFlag::S_IFCHR
            };
            let st = fstat(&src).with_context(|| format!("fstat {}", d.host.display()))?;
            ensure!(
                file_type(&src)? == want
                    && major(st.st_rdev) == d.major
                    && minor(st.st_rdev) == d.minor,
                "{} is no longer the device {}:{}",
                d.host.display(),
                d.major,
                d.minor
            );
            let fd = mount_point(root, &d.dest, false)?;
            match d.mode {
                None => bind(&src, &fd, false).with_context(|| {
                    format!("binding {} at {}", d.host.display(), root.show(&d.dest))
                })?,
                Some(mode) => limited_device(root, d, mode, &fd)
                    .with_context(|| format!("making {} {}", root.show(&d.dest), perms(mode)))?,
            }
        }
        MountOp::Nodev { path, recursive } => {
            let fd = open_in_root(root.fd.as_fd(), rel(path), OFlag::O_PATH, Mode::empty())
                .with_context(|| format!("opening {}", root.show(path)))?;
            // A file bind (`-v /dev/null:/etc/x`, the usual way to hide a file) holds no new
            // nodes: it keeps working.
            if file_type(&fd)? != SFlag::S_IFDIR {
                return Ok(());
            }
            make_nodev_at(&fd, *recursive)
                .with_context(|| format!("making {} nodev", root.show(path)))?;
        }
        MountOp::RemountRootReadonly => make_readonly(&root.fd, false)
            .with_context(|| format!("making the rootfs {} read-only", root.path.display()))?,
        MountOp::PivotRoot => {
            // runc's idiom (pivot_root(2) NOTES): stack the old root on the new one, then detach it.
            let to = || root.path.display().to_string();
            fchdir(&root.fd).with_context(|| format!("entering {}", to()))?;
            pivot_root(".", ".").with_context(|| format!("pivot_root to {}", to()))?;
            umount2(".", MntFlags::MNT_DETACH).context("detaching the old root")?;
            chdir("/").context("changing directory to the new root")?;
        }
    }
    Ok(())
}

fn perms(mode: u32) -> &'static str {
    match (mode & 0o4 != 0, mode & 0o2 != 0) {
        (true, false) => "read-only",
        (false, true) => "write-only",
        (true, true) => "readable and writable",
        (false, false) => "neither readable nor writable",
    }
}

/// A scratch tmpfs where [`limited_device`] makes its nodes, inside the container's /dev
/// (whose own tmpfs is nodev) and gone before the command runs.
const SCRATCH_DEV: &str = "/dev/.berth-device";

/// `--device HOST:CONTAINER:r` as root: makes a node with `d`'s numbers and the permission
/// bits `mode` (owner root) on a scratch tmpfs, and mounts it on `at` through an idmapped
/// mount that maps only id 1, so root, its owner, is unmapped there: everyone in the container
/// gets the "other" bits, capabilities included. Needs idmapped tmpfs mounts (Linux 6.3).
fn limited_device(root: &Root, d: &DeviceMount, mode: u32, at: &OwnedFd) -> Result<()> {
    let userns = unmapping_userns(root)?;
    let dir = mount_point(root, SCRATCH_DEV, true)?;
    mount_fs(
        root,
        "tmpfs",
        &dir,
        SCRATCH_DEV,
        MsFlags::MS_NOSUID | MsFlags::MS_NOEXEC,
        Some("mode=700,size=16k"),
    )?;
    let made = (|| -> Result<()> {
        let scratch = open_in_root(
            root.fd.as_fd(),
            rel(SCRATCH_DEV),
            OFlag::O_PATH | OFlag::O_DIRECTORY,
            Mode::empty(),
        )?;
        let kind = if d.block {
            SFlag::S_IFBLK
        } else {
            SFlag::S_IFCHR
        };
        let bits = Mode::from_bits_truncate(mode & 0o777);
        mknodat(&scratch, "node", kind, bits, makedev(d.major, d.minor)).context("mknod")?;
        fchmodat(&scratch, "node", bits, FchmodatFlags::NoFollowSymlink)
            .or_else(|e| match e {
                // Linux refuses AT_SYMLINK_NOFOLLOW before fchmodat2; the node is our own.
                Errno::EOPNOTSUPP | Errno::EINVAL => {
                    fchmodat(&scratch, "node", bits, FchmodatFlags::FollowSymlink)
                }
                e => Err(e),
            })
            .context("chmod")?;
        let node = openat(
            &scratch,
            "node",
            OFlag::O_PATH | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .context("opening the node")?;
        let tree = sys::open_tree_clone(node.as_fd()).context("open_tree")?;
        sys::mount_setattr_idmap(tree.as_fd(), userns.as_fd()).context(
            "making an idmapped mount (berth needs Linux 6.3 for idmapped tmpfs mounts)",
        )?;
        sys::move_mount_onto(tree.as_fd(), at.as_fd()).context("move_mount")?;
        Ok(())
    })();
    let scratch = open_in_root(
        root.fd.as_fd(),
        rel(SCRATCH_DEV),
        OFlag::O_PATH,
        Mode::empty(),
    )?;
    umount2(&fd_path(&scratch), MntFlags::MNT_DETACH).context("unmounting the scratch tmpfs")?;
    drop(scratch);
    let (parent, leaf) = resolve_parent(root.fd.as_fd(), rel(SCRATCH_DEV), false)?;
    nix::unistd::unlinkat(
        &parent,
        leaf.as_os_str(),
        nix::unistd::UnlinkatFlags::RemoveDir,
    )
    .context("removing the scratch directory")?;
    made
}

/// A user namespace that maps only id 1 (uid and gid), for [`limited_device`]'s idmapped
/// mount. Made by a short-lived child: it unshares a user namespace and waits while this
/// process, root in the initial namespace, writes its maps through the container's procfs
/// (verified, and the container has no process yet) and opens the namespace.
///
/// The caller is the container child before pivot_root, which is single-threaded.
fn unmapping_userns(root: &Root) -> Result<OwnedFd> {
    use nix::unistd::{ForkResult, fork, pipe2, read, write};
    let (ready_rx, ready_tx) = pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
    let (done_rx, done_tx) = pipe2(OFlag::O_CLOEXEC).context("pipe2")?;
    // SAFETY: the container child is single-threaded (runtime::spawn clones it from berth and
    // it starts no thread before execve), so the forked child may run any code; it only calls
    // unshare, write, read and _exit.
    match unsafe { fork() }.context("fork")? {
        ForkResult::Child => {
            drop(ready_rx);
            drop(done_tx);
            let ok = nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWUSER).is_ok();
            let _ = write(&ready_tx, if ok { b"1" } else { b"0" });
            let mut b = [0u8; 1];
            let _ = read(&done_rx, &mut b);
            // SAFETY: `_exit` ends this forked child at once, without running anything the
            // parent owns (atexit handlers, buffered output).
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            drop(ready_tx);
            drop(done_rx);
            let made = (|| -> Result<OwnedFd> {
                let mut b = [0u8; 1];
                match read(&ready_rx, &mut b) {
                    Ok(1) if b[0] == b'1' => {}
                    _ => bail!("the helper could not make a user namespace"),
                }
                let proc_dir = open_in_root(
                    root.fd.as_fd(),
                    Path::new("proc"),
                    OFlag::O_PATH | OFlag::O_DIRECTORY,
                    Mode::empty(),
                )?;
                check_fs(&proc_dir, PROC_SUPER_MAGIC, "procfs", &root.show("/proc"))?;
                let proc_dir = openat(
                    &proc_dir,
                    ".",
                    OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
                    Mode::empty(),
                )
                .context("opening /proc")?;
                for map in ["uid_map", "gid_map"] {
                    let f = openat(
                        &proc_dir,
                        format!("{child}/{map}").as_str(),
                        OFlag::O_WRONLY | OFlag::O_CLOEXEC,
                        Mode::empty(),
                    )
                    .with_context(|| format!("opening {map}"))?;
                    write(&f, b"1 1 1\n").with_context(|| format!("writing {map}"))?;
                }
                openat(
                    &proc_dir,
                    format!("{child}/ns/user").as_str(),
                    OFlag::O_RDONLY | OFlag::O_CLOEXEC,
                    Mode::empty(),
                )
                .context("opening the user namespace")
            })();
            drop(done_tx);
            let _ = nix::sys::wait::waitpid(child, None);
            made
        }
    }
}

/// `/proc/self/fd/N`: how mount(2) is pointed at an fd (valid only before pivot_root).
pub(crate) fn fd_path(fd: &OwnedFd) -> PathBuf {
    PathBuf::from(format!("/proc/self/fd/{}", fd.as_raw_fd()))
}

/// `dest` without its leading `/`, for the in-root lookups.
fn rel(dest: &str) -> &Path {
    Path::new(dest.trim_start_matches('/'))
}

fn open_dir(path: &Path) -> Result<OwnedFd> {
    open(
        path,
        OFlag::O_PATH | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("opening directory {}", path.display()))
}

fn file_type(fd: &OwnedFd) -> Result<SFlag> {
    let st = fstat(fd).context("fstat")?;
    Ok(SFlag::from_bits_truncate(st.st_mode & SFlag::S_IFMT.bits()))
}

fn check_fs(fd: &OwnedFd, want: FsType, name: &str, at: &str) -> Result<()> {
    let got = fstatfs(fd)
        .with_context(|| format!("statfs {at}"))?
        .filesystem_type();
    ensure!(
        got == want,
        "{at} is not {name} after mounting it (type {:#x})",
        got.0
    );
    Ok(())
}

/// Opens the host's `/dev/<name>` and checks it is the character device `ma:mi` (I2).
fn open_host_dev(name: &str, ma: u32, mi: u32) -> Result<OwnedFd> {
    let path = format!("/dev/{name}");
    let fd = open(
        path.as_str(),
        OFlag::O_PATH | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("opening {path}"))?;
    let st = fstat(&fd).with_context(|| format!("fstat {path}"))?;
    let is_chr = st.st_mode & SFlag::S_IFMT.bits() == SFlag::S_IFCHR.bits();
    ensure!(
        is_chr && major(st.st_rdev) == u64::from(ma) && minor(st.st_rdev) == u64::from(mi),
        "{path} is not the character device {ma}:{mi}"
    );
    Ok(fd)
}

/// The directory for /proc, /sys or /dev: it must be a real directory in the rootfs, not a
/// symlink (a procfs mounted through an image's symlink was runc CVE-2019-19921's class).
fn kernel_fs_point(root: &Root, dest: &str) -> Result<OwnedFd> {
    let fd = mount_point(root, dest, true)?;
    let link = open_in_root(
        root.fd.as_fd(),
        rel(dest),
        OFlag::O_PATH | OFlag::O_NOFOLLOW,
        Mode::empty(),
    )?;
    ensure!(
        file_type(&link)? == SFlag::S_IFDIR,
        "{} is not a directory",
        root.show(dest)
    );
    Ok(fd)
}

/// `dest` opened in-root (`O_PATH`, not following a final symlink), or `None` when it is absent.
fn existing(root: &Root, dest: &str) -> Result<Option<OwnedFd>> {
    let flags = OFlag::O_PATH | OFlag::O_NOFOLLOW;
    // Absence is the common case (most masked paths are not in most kernels' /proc): no error
    // is built for it.
    match try_open_in_root(root.fd.as_fd(), rel(dest), flags, Mode::empty()) {
        Ok(fd) => Ok(Some(fd)),
        Err(Errno::ENOENT) => Ok(None),
        Err(_) => open_in_root(root.fd.as_fd(), rel(dest), flags, Mode::empty())
            .map(Some)
            .with_context(|| format!("opening {}", root.show(dest))),
    }
}

/// Opens the mount point `dest` in-root, creating it (and its parents) when missing: a directory
/// when `dir`, else an empty file. Symlinks on the way, the last one included, are resolved
/// inside the root, like runc's securejoin.
fn mount_point(root: &Root, dest: &str, dir: bool) -> Result<OwnedFd> {
    let what = || format!("mount point {}", root.show(dest));
    let lookup = || open_in_root(root.fd.as_fd(), rel(dest), OFlag::O_PATH, Mode::empty());
    // A missing mount point is the common case for a small image: no error is built for it.
    let fd = match try_open_in_root(root.fd.as_fd(), rel(dest), OFlag::O_PATH, Mode::empty()) {
        Ok(fd) => fd,
        Err(Errno::ENOENT) => {
            let (parent, leaf) =
                resolve_parent(root.fd.as_fd(), rel(dest), true).with_context(what)?;
            let made = if dir {
                mkdirat(&parent, leaf.as_os_str(), Mode::from_bits_truncate(0o755))
            } else {
                let flags = OFlag::O_CREAT
                    | OFlag::O_EXCL
                    | OFlag::O_WRONLY
                    | OFlag::O_NOFOLLOW
                    | OFlag::O_CLOEXEC;
                openat(
                    &parent,
                    leaf.as_os_str(),
                    flags,
                    Mode::from_bits_truncate(0o644),
                )
                .map(drop)
            };
            // EEXIST: a dangling symlink; the lookup below then fails with ENOENT.
            if let Err(e) = made.or_else(|e| if e == Errno::EEXIST { Ok(()) } else { Err(e) }) {
                return Err(e).with_context(|| format!("creating {}", what()));
            }
            lookup().with_context(what)?
        }
        Err(_) => lookup().with_context(what)?,
    };
    let is_dir = file_type(&fd)? == SFlag::S_IFDIR;
    ensure!(
        is_dir == dir,
        "{} is {}a directory",
        what(),
        if is_dir { "" } else { "not " }
    );
    Ok(fd)
}

/// Reopens `dest` in-root after something was mounted on it and checks it is the mount of
/// `source`: the old fd names the covered directory, not the new mount.
fn reopen(root: &Root, dest: &str, source: &OwnedFd) -> Result<OwnedFd> {
    let fd = open_in_root(root.fd.as_fd(), rel(dest), OFlag::O_PATH, Mode::empty())?;
    let (a, b) = (fstat(&fd)?, fstat(source)?);
    ensure!(
        (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino),
        "{} changed while it was being mounted",
        root.show(dest)
    );
    Ok(fd)
}

fn mount_fs(
    root: &Root,
    fstype: &str,
    fd: &OwnedFd,
    dest: &str,
    flags: MsFlags,
    data: Option<&str>,
) -> Result<()> {
    mount(Some(fstype), &fd_path(fd), Some(fstype), flags, data)
        .with_context(|| format!("mounting {fstype} at {}", root.show(dest)))
}

fn bind(src: &OwnedFd, dst: &OwnedFd, recursive: bool) -> nix::Result<()> {
    let rec = if recursive {
        MsFlags::MS_REC
    } else {
        MsFlags::empty()
    };
    mount(
        Some(&fd_path(src)),
        &fd_path(dst),
        None::<&str>,
        MsFlags::MS_BIND | rec,
        None::<&str>,
    )
}

/// Makes the mount tree whose root `fd` is `nodev` (SECURITY.md I19): mount_setattr(2), or a
/// bind remount that repeats the flags the mount has (see [`make_readonly`]).
fn make_nodev(fd: &OwnedFd) -> Result<()> {
    make_nodev_at(fd, true)
}

/// [`make_nodev`], recursively or for the one mount whose root `fd` is.
fn make_nodev_at(fd: &OwnedFd, recursive: bool) -> Result<()> {
    match sys::mount_setattr(fd.as_fd(), recursive, sys::MOUNT_ATTR_NODEV, 0) {
        Ok(()) => return Ok(()),
        Err(Errno::ENOSYS) => {}
        Err(e) => return Err(e).context("mount_setattr"),
    }
    remount_bind(fd, MsFlags::MS_NODEV, "nodev")
}

/// Makes the mount whose root `fd` is read-only. Recursively: mount_setattr(2), which leaves
/// other flags alone. Otherwise (or before Linux 5.12): a bind remount that repeats the flags
/// the mount has, since dropping a locked nosuid/nodev/noexec fails with EPERM in a user
/// namespace (mount(2), "Locked mounts").
fn make_readonly(fd: &OwnedFd, recursive: bool) -> Result<()> {
    if recursive {
        match sys::mount_setattr(fd.as_fd(), true, sys::MOUNT_ATTR_RDONLY, 0) {
            Ok(()) => return Ok(()),
            Err(Errno::ENOSYS) => {}
            Err(e) => return Err(e).context("mount_setattr"),
        }
    }
    remount_bind(fd, MsFlags::MS_RDONLY, "read-only")
}

/// A bind remount of the mount whose root `fd` is, adding `add` (`what`, for the message) to
/// the flags it has.
fn remount_bind(fd: &OwnedFd, add: MsFlags, what: &str) -> Result<()> {
    let have = fstatvfs(fd).context("statvfs")?.flags();
    let mut keep = MsFlags::empty();
    for (st, ms) in [
        (FsFlags::ST_NOSUID, MsFlags::MS_NOSUID),
        (FsFlags::ST_NODEV, MsFlags::MS_NODEV),
        (FsFlags::ST_NOEXEC, MsFlags::MS_NOEXEC),
        (FsFlags::ST_NOATIME, MsFlags::MS_NOATIME),
        (FsFlags::ST_NODIRATIME, MsFlags::MS_NODIRATIME),
        (FsFlags::ST_RELATIME, MsFlags::MS_RELATIME),
    ] {
        if have.contains(st) {
            keep |= ms;
        }
    }
    for (st, ms) in [(FsFlags::ST_RDONLY, MsFlags::MS_RDONLY)] {
        if have.contains(st) {
            keep |= ms;
        }
    }
    let flags = MsFlags::MS_BIND | MsFlags::MS_REMOUNT | add | keep;
    mount(
        None::<&str>,
        &fd_path(fd),
        None::<&str>,
        flags,
        None::<&str>,
    )
    .with_context(|| format!("remounting {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> MountSpec {
        MountSpec {
            rootfs: RootfsSpec::Overlay {
                layers: vec!["/s/l1".into(), "/s/l2".into()],
                upper: "/s/c/upper".into(),
                work: "/s/c/work".into(),
                target: "/s/c/merged".into(),
            },
            volatile: false,
            rootless: false,
            readonly_root: false,
            binds: vec![],
            tmpfs: vec![],
            etc_files: vec![("/s/c/hosts".into(), "/etc/hosts".into())],
            shm_size: DEFAULT_SHM_SIZE,
            security: SecurityMounts::default(),
        }
    }

    fn pos(ops: &[MountOp], f: impl Fn(&MountOp) -> bool) -> usize {
        ops.iter().position(f).expect("op in plan")
    }

    #[test]
    fn plan_orders_rootfs_kernel_fs_dev_binds_masks_pivot() {
        let mut s = spec();
        s.binds = vec![
            parse_volume("/host/a:/data/sub").unwrap(),
            parse_volume("/host/b:/data:ro").unwrap(),
        ];
        s.tmpfs = vec![parse_tmpfs("/run:size=1m").unwrap()];
        s.readonly_root = true;
        let ops = plan(&s).unwrap();
        assert!(matches!(
            &ops[0],
            MountOp::Overlay {
                userxattr: false,
                ..
            }
        ));
        assert_eq!(ops[1], MountOp::Proc);
        assert_eq!(
            ops[2],
            MountOp::Sysfs {
                readonly: true,
                rootless_bind: false
            }
        );
        assert_eq!(ops[3], MountOp::DevTmpfs);
        assert_eq!(
            ops[4],
            MountOp::Nodev {
                path: "/dev".into(),
                recursive: false
            }
        );
        assert_eq!(ops.last(), Some(&MountOp::PivotRoot));
        assert_eq!(ops[ops.len() - 2], MountOp::RemountRootReadonly);
        let dev_null = pos(
            &ops,
            |o| matches!(o, MountOp::DevBind { name, major: 1, minor: 3 } if name == "null"),
        );
        let shm = pos(
            &ops,
            |o| matches!(o, MountOp::Shm { size } if *size == DEFAULT_SHM_SIZE),
        );
        let hosts = pos(
            &ops,
            |o| matches!(o, MountOp::Bind { dest, .. } if dest == "/etc/hosts"),
        );
        let parent = pos(
            &ops,
            |o| matches!(o, MountOp::Bind { dest, readonly: true, .. } if dest == "/data"),
        );
        let child = pos(
            &ops,
            |o| matches!(o, MountOp::Bind { dest, .. } if dest == "/data/sub"),
        );
        let run = pos(
            &ops,
            |o| matches!(o, MountOp::Tmpfs { dest, .. } if dest == "/run"),
        );
        let kcore = pos(
            &ops,
            |o| matches!(o, MountOp::MaskPath { path } if path == "/proc/kcore"),
        );
        let sys = pos(
            &ops,
            |o| matches!(o, MountOp::ReadonlyPath { path } if path == "/proc/sys"),
        );
        assert!(3 < dev_null && dev_null < shm && shm < hosts && hosts < parent);
        assert!(parent < child && run < child, "parents before children");
        assert_eq!(
            ops[parent + 1],
            MountOp::Nodev {
                path: "/data".into(),
                recursive: true
            },
            "volumes are nodev"
        );
        // --privileged: /dev and volumes as they come, default nodes made with mknod.
        s.security.nodev = false;
        let privileged = plan(&s).unwrap();
        assert!(
            !privileged
                .iter()
                .any(|o| matches!(o, MountOp::Nodev { .. }))
        );
        assert!(
            privileged
                .iter()
                .any(|o| matches!(o, MountOp::DevNode { .. }))
        );
        assert!(child < kcore && kcore < sys && sys < ops.len() - 2);
        for p in DEFAULT_MASKED_PATHS {
            assert!(
                ops.contains(&MountOp::MaskPath { path: (*p).into() }),
                "{p}"
            );
        }
        assert!(ops.contains(&MountOp::Symlink {
            target: "/proc/self/fd".into(),
            dest: "/dev/fd".into()
        }));
        assert!(ops.contains(&MountOp::Devpts { gid: Some(5) }));
    }

    #[test]
    fn plan_rootless_binds_devices_and_uses_userxattr() {
        let mut s = spec();
        s.rootless = true;
        let ops = plan(&s).unwrap();
        assert!(
            matches!(&ops[0], MountOp::Overlay { userxattr: true, lower, .. } if lower.len() == 2)
        );
        assert!(ops.contains(&MountOp::DevBind {
            name: "null".into(),
            major: 1,
            minor: 3
        }));
        assert!(!ops.iter().any(|o| matches!(o, MountOp::DevNode { .. })));
        assert!(ops.contains(&MountOp::Sysfs {
            readonly: true,
            rootless_bind: true
        }));
        assert!(ops.contains(&MountOp::Devpts { gid: None }));
        assert!(!ops.contains(&MountOp::RemountRootReadonly));
    }

    #[test]
    fn plan_rejects_duplicates_proc_and_bad_specs() {
        let mut s = spec();
        s.binds = vec![parse_volume("/a:/x").unwrap()];
        s.tmpfs = vec![("/x/".into(), String::new())];
        assert!(format!("{:#}", plan(&s).unwrap_err()).contains("duplicate mount point /x"));
        s.tmpfs = vec![("/proc".into(), String::new())];
        assert!(format!("{:#}", plan(&s).unwrap_err()).contains("cannot mount over /proc"));
        s.tmpfs = vec![("/t".into(), "bogus".into())];
        assert!(format!("{:#}", plan(&s).unwrap_err()).contains("unknown tmpfs option \"bogus\""));
        let layers = |s: &mut MountSpec| match &mut s.rootfs {
            RootfsSpec::Overlay { layers, .. } => layers.clone(),
            _ => unreachable!(),
        };
        let set_layers = |s: &mut MountSpec, l: Vec<PathBuf>| {
            if let RootfsSpec::Overlay { layers, .. } = &mut s.rootfs {
                *layers = l;
            }
        };
        let mut s = spec();
        set_layers(&mut s, vec![]);
        assert!(plan(&s).is_err());
        let mut s = spec();
        s.shm_size = 0;
        assert!(plan(&s).is_err());
        let mut s = spec();
        let mut l = layers(&mut s);
        l.push("/s/with:colon".into());
        set_layers(&mut s, l);
        assert!(format!("{:#}", plan(&s).unwrap_err()).contains("free of"));
        // fuse-overlayfs takes the same option string, without mount(2)'s one-page cap.
        let long: Vec<PathBuf> = (0..200)
            .map(|i| PathBuf::from(format!("/a/long/store/path/layers/{i:064}")))
            .collect();
        s.rootfs = RootfsSpec::FuseOverlayfs {
            program: "/usr/bin/fuse-overlayfs".into(),
            layers: long,
            upper: "/u".into(),
            work: "/w".into(),
            target: "/m".into(),
        };
        assert!(plan(&s).is_ok());
        if let RootfsSpec::FuseOverlayfs { layers, .. } = &mut s.rootfs {
            layers.push("/s/with,comma".into());
        }
        assert!(format!("{:#}", plan(&s).unwrap_err()).contains("free of"));
        let mut s = spec();
        s.etc_files = vec![("/h".into(), "etc/hosts".into())];
        assert!(plan(&s).is_err());
    }

    #[test]
    fn plan_starts_with_the_chosen_rootfs() {
        let mut s = spec();
        s.rootless = true;
        s.rootfs = RootfsSpec::FuseOverlayfs {
            program: "/usr/bin/fuse-overlayfs".into(),
            layers: vec!["/s/l1".into(), "/s/l2".into()],
            upper: "/s/c/upper".into(),
            work: "/s/c/work".into(),
            target: "/s/c/merged".into(),
        };
        let ops = plan(&s).unwrap();
        assert_eq!(
            ops[0],
            MountOp::FuseOverlayfs {
                program: "/usr/bin/fuse-overlayfs".into(),
                lower: vec!["/s/l1".into(), "/s/l2".into()],
                upper: "/s/c/upper".into(),
                work: "/s/c/work".into(),
                target: "/s/c/merged".into(),
            }
        );
        assert_eq!(ops[1], MountOp::Proc);
        s.rootfs = RootfsSpec::Copy {
            dir: "/s/c/rootfs".into(),
        };
        let ops = plan(&s).unwrap();
        assert_eq!(
            ops[0],
            MountOp::BindRoot {
                source: "/s/c/rootfs".into()
            }
        );
        assert_eq!(ops.last(), Some(&MountOp::PivotRoot));
    }

    #[test]
    fn user_mounts_replace_defaults_at_the_same_place() {
        let mut s = spec();
        s.binds = vec![parse_volume("/mine:/etc/hosts:ro").unwrap()];
        s.tmpfs = vec![parse_tmpfs("/dev/shm:size=1g").unwrap()];
        let ops = plan(&s).unwrap();
        let hosts: Vec<_> = ops
            .iter()
            .filter(|o| matches!(o, MountOp::Bind { dest, .. } if dest == "/etc/hosts"))
            .collect();
        assert_eq!(hosts.len(), 1);
        assert!(matches!(hosts[0], MountOp::Bind { readonly: true, .. }));
        assert!(!ops.iter().any(|o| matches!(o, MountOp::Shm { .. })));
        assert!(ops.contains(&MountOp::Mqueue));
    }

    #[test]
    fn overlay_lowerdir_lists_top_layer_first() {
        let d = overlay_data(
            &["/l/a".into(), "/l/b".into()],
            Path::new("/u"),
            Path::new("/w"),
            true,
            false,
        )
        .unwrap();
        assert_eq!(d, "lowerdir=/l/b:/l/a,upperdir=/u,workdir=/w,userxattr");
        let d = overlay_data(
            &["/l".into()],
            Path::new("/u"),
            Path::new("/w"),
            false,
            true,
        );
        assert_eq!(d.unwrap(), "lowerdir=/l,upperdir=/u,workdir=/w,volatile");
        let many: Vec<PathBuf> = (0..200)
            .map(|i| PathBuf::from(format!("/a/long/store/path/layers/{i:064}")))
            .collect();
        assert!(overlay_data(&many, Path::new("/u"), Path::new("/w"), false, false).is_err());
        let rel = overlay_data(
            &["rel".into()],
            Path::new("/u"),
            Path::new("/w"),
            false,
            false,
        );
        assert!(rel.is_err());
    }

    #[test]
    fn volumes_parse_like_docker() {
        let b = parse_volume("/srv/data:/data").unwrap();
        assert_eq!(
            b,
            BindSpec {
                source: "/srv/data".into(),
                dest: "/data".into(),
                readonly: false,
                recursive: true
            }
        );
        let b = parse_volume("/srv:/a//b/./c/:ro,Z,bind").unwrap();
        assert_eq!(
            (b.dest.as_str(), b.readonly, b.recursive),
            ("/a/b/c", true, false)
        );
        assert!(parse_volume("/srv:/x:rw,z").is_ok_and(|b| !b.readonly));
        for (bad, why) in [
            ("/data", "anonymous"),
            ("name:/data", "named volumes"),
            ("./rel:/data", "absolute host path"),
            (":/data", "empty source"),
            ("/a:data", "not an absolute path"),
            ("/a:/x/../../etc", "'..'"),
            ("/a:/", "root"),
            ("/a:/x:ro,rw", "conflicting"),
            ("/a:/x:rshared", "not supported"),
            ("/a:/x:nope", "unknown option"),
            ("/a:/x:ro:extra", "too many"),
            ("/a\0:/x", "NUL"),
        ] {
            let e = format!("{:#}", parse_volume(bad).unwrap_err());
            assert!(e.contains(why), "{bad:?}: {e}");
        }
    }

    #[test]
    fn tmpfs_options_parse_and_default_to_nosuid_nodev_noexec() {
        assert_eq!(parse_tmpfs("/run").unwrap(), ("/run".into(), String::new()));
        let (flags, data) = tmpfs_mount_options("").unwrap();
        assert_eq!(
            flags,
            MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC
        );
        assert_eq!(data, "");
        let (flags, data) = tmpfs_mount_options("exec,size=64m,mode=1777,uid=1000,ro").unwrap();
        assert_eq!(
            flags,
            MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_RDONLY
        );
        assert_eq!(data, "size=64m,mode=1777,uid=1000");
        let (dest, opts) = parse_tmpfs("/tmp/x/:size=10%").unwrap();
        assert_eq!((dest.as_str(), opts.as_str()), ("/tmp/x", "size=10%"));
        for bad in [
            "/t:size=",
            "/t:size=1mm",
            "/t:mode=999",
            "/t:uid=-1",
            "/t:huge=yes",
            "/t:foo=1",
            "/t:bar",
            "t",
            "/t/..:size=1",
        ] {
            assert!(parse_tmpfs(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn apply_refuses_steps_after_pivot_root() {
        // Both are refused before anything is mounted, so this runs unprivileged in-process.
        let e = apply(&[MountOp::PivotRoot, MountOp::Proc], None).unwrap_err();
        assert!(format!("{e:#}").contains("after pivot_root"), "{e:#}");
    }

    // Executor tests (STYLE.md 28). Each test re-runs itself in a fresh process of this test
    // binary (`--exact NAME --test-threads=1`, marked by CHILD_ENV), so that when it forks, the
    // only other thread is libtest's main thread idling in a channel receive and holding no lock.
    // (Forking straight from the parallel harness deadlocked here: with RUST_BACKTRACE set, anyhow
    // captures backtraces, and a lock another thread held at fork time stays held in the child.)
    // The forked child unshares its own mount, pid, IPC and UTS namespaces (and a user namespace
    // for the rootless variant) and forks again so the body is pid 1 of the new pid namespace, as
    // container init is. It reports through a pipe: nothing means success, "skipped: …" with exit
    // 77 a missing kernel feature, anything else the failure; it always leaves with _exit.

    const CHILD_ENV: &str = "BERTH_MOUNTS_TEST_CHILD";

    /// True in the re-run process, where the caller goes on with the test body. In the first
    /// process: re-runs `test` and checks it passed, passing on any "skipped:" line, and returns
    /// false.
    #[allow(clippy::print_stderr, clippy::disallowed_methods)]
    fn in_fresh_process(test: &str) -> bool {
        if std::env::var_os(CHILD_ENV).is_some() {
            return true;
        }
        let name = format!("runtime::mounts::tests::{test}");
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([name.as_str(), "--exact", "--test-threads=1", "--nocapture"])
            .env(CHILD_ENV, "1")
            .env("RUST_LIB_BACKTRACE", "0")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{name} failed in its own process:\n{text}"
        );
        assert!(text.contains("1 passed"), "{name} did not run:\n{text}");
        for line in text.lines().filter(|l| l.starts_with("skipped:")) {
            eprintln!("{line}");
        }
        false
    }

    use nix::sys::statfs::{TMPFS_MAGIC, statfs};
    use nix::sys::wait::{WaitStatus, waitpid};
    use nix::unistd::{ForkResult, Uid, fork, getgid, getuid, pipe2, write};
    use std::fs;
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, MetadataExt, symlink};

    const SKIP: i32 = 77;

    /// Leaves a forked child without running atexit handlers or destructors of the harness.
    fn _exit(code: i32) -> ! {
        // SAFETY: _exit(2) takes no pointers and never returns; skipping destructors is the point.
        unsafe { libc::_exit(code) }
    }

    use crate::runtime::test_support::skip;

    /// Runs `body` as pid 1 of fresh namespaces; `Ok(None)` on success, `Ok(Some(why))` when
    /// skipped, `Err(message)` on failure.
    fn in_namespaces(
        userns: bool,
        body: impl FnOnce() -> Result<(), String>,
    ) -> Result<Option<String>, String> {
        #[allow(clippy::disallowed_methods)]
        let rerun = std::env::var_os(CHILD_ENV).is_some();
        assert!(
            rerun,
            "fork only in the re-run process (see in_fresh_process)"
        );
        let (rd, wr) = pipe2(OFlag::O_CLOEXEC).unwrap();
        let maps = [
            ("/proc/self/setgroups", "deny".to_owned()),
            ("/proc/self/uid_map", format!("0 {} 1", getuid())),
            ("/proc/self/gid_map", format!("0 {} 1", getgid())),
        ];
        // SAFETY: only called in the re-run process (in_fresh_process), whose one other thread
        // is libtest's main thread blocked in a channel receive, holding no lock; the child ends
        // with _exit and never returns into the harness.
        match unsafe { fork() }.unwrap() {
            ForkResult::Child => {
                drop(rd);
                let report = |msg: &str| {
                    let _ = write(&wr, msg.as_bytes());
                };
                let mut flags = nix::sched::CloneFlags::CLONE_NEWNS
                    | nix::sched::CloneFlags::CLONE_NEWPID
                    | nix::sched::CloneFlags::CLONE_NEWIPC
                    | nix::sched::CloneFlags::CLONE_NEWUTS;
                if userns {
                    flags |= nix::sched::CloneFlags::CLONE_NEWUSER;
                }
                if let Err(e) = nix::sched::unshare(flags) {
                    report(&format!("skipped: needs unshare {flags:?}: {e}"));
                    _exit(SKIP);
                }
                if userns {
                    for (file, text) in &maps {
                        if let Err(e) = fs::write(file, text) {
                            report(&format!("writing {file}: {e}"));
                            _exit(1);
                        }
                    }
                }
                // SAFETY: this child is single-threaded (only the forking thread survives fork).
                match unsafe { fork() } {
                    Ok(ForkResult::Child) => match body() {
                        Ok(()) => _exit(0),
                        Err(msg) => {
                            report(&msg);
                            _exit(if msg.starts_with("skipped:") { SKIP } else { 1 })
                        }
                    },
                    Ok(ForkResult::Parent { child }) => match waitpid(child, None) {
                        Ok(WaitStatus::Exited(_, code)) => _exit(code),
                        other => {
                            report(&format!("namespace init ended with {other:?}"));
                            _exit(1)
                        }
                    },
                    Err(e) => {
                        report(&format!("fork: {e}"));
                        _exit(1)
                    }
                }
            }
            ForkResult::Parent { child } => {
                drop(wr);
                let mut msg = String::new();
                fs::File::from(rd).read_to_string(&mut msg).unwrap();
                match waitpid(child, None).unwrap() {
                    WaitStatus::Exited(_, 0) => Ok(None),
                    WaitStatus::Exited(_, SKIP) => Ok(Some(msg)),
                    other => Err(format!("{other:?}: {msg}")),
                }
            }
        }
    }

    /// A tiny image and container dirs: lower/{bin,hello,etc -> /../../..}, a volume, /etc files.
    struct Fixture {
        tmp: tempfile::TempDir,
        spec: MountSpec,
    }

    /// The fixture's rootfs: an overlay of lower/, or lower/ itself standing for a copy.
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        Overlay,
        Copy,
    }

    fn fixture(rootless: bool, readonly_root: bool) -> Fixture {
        fixture_of(Kind::Overlay, rootless, readonly_root)
    }

    fn fixture_of(kind: Kind, rootless: bool, readonly_root: bool) -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let d = |n: &str| tmp.path().join(n);
        for dir in ["lower/bin", "upper", "work", "merged", "vol"] {
            fs::create_dir_all(d(dir)).unwrap();
        }
        fs::write(d("lower/hello"), "from the image\n").unwrap();
        // A hostile image: /etc points "above" the root. /etc/hosts must still land in-root.
        symlink("/../../..", d("lower/etc")).unwrap();
        fs::write(d("vol/file"), "volume\n").unwrap();
        fs::write(d("hosts"), "127.0.0.1 localhost\n").unwrap();
        let rootfs = match kind {
            Kind::Overlay => RootfsSpec::Overlay {
                layers: vec![d("lower")],
                upper: d("upper"),
                work: d("work"),
                target: d("merged"),
            },
            Kind::Copy => RootfsSpec::Copy { dir: d("lower") },
        };
        let spec = MountSpec {
            rootfs,
            volatile: false,
            rootless,
            readonly_root,
            binds: vec![parse_volume(&format!("{}:/data:ro", d("vol").display())).unwrap()],
            tmpfs: vec![parse_tmpfs("/scratch:size=1m").unwrap()],
            etc_files: vec![(d("hosts"), "/etc/hosts".into())],
            shm_size: DEFAULT_SHM_SIZE,
            security: SecurityMounts::default(),
        };
        Fixture { tmp, spec }
    }

    fn is_errno<T>(r: std::io::Result<T>, want: Errno) -> bool {
        matches!(r, Err(e) if e.raw_os_error() == Some(want as i32))
    }

    /// What the container sees after `apply`; runs inside the new root.
    fn check_inside(kind: Kind, readonly_root: bool) -> Result<(), String> {
        let fail = |what: &str| Err(what.to_owned());
        let fs_type = |p: &str| {
            statfs(p)
                .map(|s| s.filesystem_type())
                .map_err(|e| format!("statfs {p}: {e}"))
        };
        if (fs_type("/")? == OVERLAYFS_SUPER_MAGIC) != (kind == Kind::Overlay) {
            return fail("/ is not the expected filesystem");
        }
        let nodev =
            nix::sys::statvfs::statvfs("/").is_ok_and(|v| v.flags().contains(FsFlags::ST_NODEV));
        if !nodev {
            return fail("/ is not nodev");
        }
        if std::env::current_dir().map_err(|e| e.to_string())? != Path::new("/") {
            return fail("cwd is not /");
        }
        if fs::read_to_string("/hello").ok().as_deref() != Some("from the image\n") {
            return fail("/hello unreadable");
        }
        let written = fs::write("/written", "upper\n");
        if readonly_root != is_errno(written, Errno::EROFS) {
            return fail("--read-only not honoured for the rootfs");
        }
        if fs_type("/proc")? != PROC_SUPER_MAGIC || !Path::new("/proc/self/stat").exists() {
            return fail("/proc is not a fresh procfs");
        }
        if fs::read_link("/proc/self").ok() != Some(PathBuf::from("1")) {
            return fail("not pid 1 of the new pid namespace");
        }
        // Every masked file that exists here (this kernel may lack /proc/kcore) reads as /dev/null.
        let mut masked_files = 0;
        for p in DEFAULT_MASKED_PATHS {
            let Ok(m) = fs::metadata(p) else { continue };
            if m.is_dir() {
                continue;
            }
            masked_files += 1;
            let empty = fs::read(p).map(|b| b.is_empty()).unwrap_or(false);
            if !m.file_type().is_char_device() || m.rdev() != makedev(1, 3) || !empty {
                return Err(format!("{p} is not masked with /dev/null"));
            }
        }
        if masked_files == 0 {
            return fail("no masked file exists to check (expected /proc/keys at least)");
        }
        if fs::read_dir("/sys/firmware").is_ok_and(|mut d| d.next().is_some()) {
            return fail("/sys/firmware is not masked");
        }
        // A read-only mount, and opening for writing fails (EROFS, or EACCES first when rootless);
        // nothing is ever written.
        let ro = nix::sys::statvfs::statvfs("/proc/sys")
            .is_ok_and(|v| v.flags().contains(FsFlags::ST_RDONLY));
        let w = fs::OpenOptions::new()
            .write(true)
            .open("/proc/sys/kernel/hostname");
        if !ro || w.is_ok() {
            return fail("/proc/sys is writable");
        }
        let null = fs::metadata("/dev/null").map_err(|e| format!("/dev/null: {e}"))?;
        if !null.file_type().is_char_device()
            || null.rdev() != makedev(1, 3)
            || fs::write("/dev/null", "x").is_err()
        {
            return fail("/dev/null is not a working char 1:3");
        }
        for p in ["/dev/zero", "/dev/tty", "/dev/pts/ptmx", "/dev/mqueue"] {
            if !Path::new(p).exists() {
                return Err(format!("{p} missing"));
            }
        }
        if fs::read_link("/dev/fd").ok() != Some(PathBuf::from("/proc/self/fd"))
            || fs_type("/dev/shm")? != TMPFS_MAGIC
        {
            return fail("/dev/fd or /dev/shm wrong");
        }
        // The /etc symlink pointed "above" the root: the bind landed at /hosts inside it.
        if fs::read_to_string("/hosts").ok().as_deref() != Some("127.0.0.1 localhost\n") {
            return fail("/etc/hosts bind not found in-root at /hosts");
        }
        if fs::read_to_string("/data/file").ok().as_deref() != Some("volume\n")
            || !is_errno(fs::write("/data/new", ""), Errno::EROFS)
        {
            return fail("the :ro volume is missing or writable");
        }
        if fs_type("/scratch")? != TMPFS_MAGIC || fs::write("/scratch/x", "").is_err() {
            return fail("--tmpfs /scratch missing or not writable");
        }
        Ok(())
    }

    fn run_container(rootless: bool, readonly_root: bool) {
        run_container_of(Kind::Overlay, rootless, readonly_root)
    }

    fn run_container_of(kind: Kind, rootless: bool, readonly_root: bool) {
        let f = fixture_of(kind, rootless, readonly_root);
        let ops = plan(&f.spec).unwrap();
        let escape = Path::new("/hosts");
        let escaped_before = escape.exists();
        let outcome = in_namespaces(rootless, || {
            match apply(&ops, None) {
                Err(e) if rootless && format!("{e:#}").contains("mounting overlay") => {
                    return Err(format!(
                        "skipped: needs overlayfs in a user namespace: {e:#}"
                    ));
                }
                Err(e) => return Err(format!("apply: {e:#}")),
                Ok(()) => {}
            }
            check_inside(kind, readonly_root)
        });
        match outcome {
            Ok(None) => {}
            Ok(Some(why)) => return skip(&why),
            Err(msg) => panic!("{msg}"),
        }
        // A copy is written in place; an overlay writes to upper/ only.
        let up = f.tmp.path().join(match kind {
            Kind::Overlay => "upper",
            Kind::Copy => "lower",
        });
        assert_eq!(
            up.join("written").exists(),
            !readonly_root,
            "write did not land in upper"
        );
        if kind == Kind::Overlay {
            assert!(
                !f.tmp.path().join("lower/written").exists(),
                "write reached the lower layer"
            );
        }
        assert!(
            up.join("hosts").is_file(),
            "mount point for /etc/hosts not created in-root"
        );
        assert_eq!(
            escape.exists(),
            escaped_before,
            "a mount point was created on the host"
        );
    }

    #[test]
    fn apply_builds_the_container_root_as_root() {
        if !in_fresh_process("apply_builds_the_container_root_as_root") {
            return;
        }
        if !Uid::effective().is_root() {
            return skip("skipped: needs root");
        }
        run_container(false, false);
    }

    #[test]
    fn apply_builds_the_container_root_in_a_user_namespace() {
        if !in_fresh_process("apply_builds_the_container_root_in_a_user_namespace") {
            return;
        }
        run_container(true, false);
    }

    #[test]
    fn apply_read_only_root_keeps_other_mounts_writable() {
        if !in_fresh_process("apply_read_only_root_keeps_other_mounts_writable") {
            return;
        }
        run_container(!Uid::effective().is_root(), true);
    }

    #[test]
    fn apply_binds_a_copied_root_as_root() {
        if !in_fresh_process("apply_binds_a_copied_root_as_root") {
            return;
        }
        if !Uid::effective().is_root() {
            return skip("skipped: needs root");
        }
        run_container_of(Kind::Copy, false, false);
    }

    #[test]
    fn apply_binds_a_copied_root_in_a_user_namespace() {
        if !in_fresh_process("apply_binds_a_copied_root_in_a_user_namespace") {
            return;
        }
        run_container_of(Kind::Copy, true, true);
    }

    #[test]
    fn apply_errors_name_their_target() {
        if !in_fresh_process("apply_errors_name_their_target") {
            return;
        }
        let f = fixture(true, false);
        let mut spec = f.spec.clone();
        spec.binds = vec![parse_volume("/nonexistent/berth-src:/data").unwrap()];
        let ops = plan(&spec).unwrap();
        let outcome = in_namespaces(true, || match apply(&ops, None) {
            Err(e) if format!("{e:#}").contains("mounting overlay") => Err(format!(
                "skipped: needs overlayfs in a user namespace: {e:#}"
            )),
            Err(e) => {
                let msg = format!("{e:#}");
                if msg
                    == "opening bind source /nonexistent/berth-src: ENOENT: No such file or directory"
                {
                    Ok(())
                } else {
                    Err(msg)
                }
            }
            Ok(()) => Err("apply succeeded with a missing bind source".into()),
        });
        match outcome {
            Ok(None) => {}
            Ok(Some(why)) => skip(&why),
            Err(msg) => panic!("{msg}"),
        }
    }
}
