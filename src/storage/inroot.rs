//! In-root path resolution (SECURITY.md I1): every path inside a tree whose contents an image or
//! container controls (layer dir, rootfs, volume, upper dir) is resolved here, fd-relatively, as
//! if the tree's root were `/`.
//!
//! The kernel does it when it can (`openat2` with `RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS`);
//! before Linux 5.6 a userspace walk gives the same answer: one `O_PATH|O_NOFOLLOW` open per
//! component, symlinks re-resolved against the root (absolute targets restart at the root, `..`
//! never climbs above it), at most [`MAX_SYMLINK_HOPS`] links per lookup.
//!
//! This module must never build a host path with `Path::join` plus a prefix check, and never
//! hands out a path string for a caller to reopen: it returns fds, and callers act on them with
//! `*at()` calls.

use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context as _;
use nix::errno::Errno;
use nix::fcntl::{OFlag, OpenHow, ResolveFlag, openat, openat2, readlinkat};
use nix::sys::stat::{Mode, SFlag, fchmod, fstat, mkdirat};

/// How many symlinks one lookup may follow before it fails with `ELOOP` (the kernel's
/// `MAXSYMLINKS`).
pub const MAX_SYMLINK_HOPS: usize = 40;

/// How often an `openat2` lookup is retried when the kernel reports `EAGAIN` (a concurrent rename
/// made `..` resolution ambiguous, see openat2(2)).
const OPENAT2_RETRIES: usize = 32;

/// Set once `openat2` has answered `ENOSYS`, so later lookups go straight to the userspace walk.
static OPENAT2_MISSING: AtomicBool = AtomicBool::new(false);

#[cfg(test)]
thread_local! {
    /// Tests set this to exercise the userspace walk where the kernel has `openat2`. Per thread,
    /// so other tests running in parallel are unaffected.
    pub(crate) static FORCE_WALK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn openat2_usable() -> bool {
    #[cfg(test)]
    if FORCE_WALK.with(|f| f.get()) {
        return false;
    }
    !OPENAT2_MISSING.load(Ordering::Relaxed)
}

/// Whether a lookup may cross mount points inside the root.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Crossing {
    /// Mounts inside the root may be crossed: a container rootfs with volumes bound into it.
    #[default]
    AnyMount,
    /// Every component must be on the root's own mount (`RESOLVE_NO_XDEV`): trees that berth
    /// fills itself, such as a layer being unpacked, where a mount point can only mean trouble.
    SameMount,
}

/// Opens the directory `path` to serve as a root for the lookups below. The last component is not
/// followed if it is a symlink. The fd is `O_PATH`, so it works for any `*at()` call but cannot be
/// read; open `"."` in it for that.
pub fn open_root(path: &Path) -> anyhow::Result<OwnedFd> {
    nix::fcntl::open(
        path,
        OFlag::O_PATH | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("opening root directory {}", path.display()))
}

/// Opens `path` inside `root` with `flags` (`O_CLOEXEC` is always added) and, when creating,
/// `mode`. Symlinks are resolved as if `root` were `/`; magic links (`/proc/self/fd/N`) are
/// refused. A final symlink is followed unless `flags` has `O_NOFOLLOW`, as with `openat(2)`.
///
/// Errors carry the `Errno` as their root cause (`err.downcast_ref::<Errno>()`), so callers can
/// tell `ENOENT` from the rest.
pub fn open_in_root(
    root: BorrowedFd<'_>,
    path: &Path,
    flags: OFlag,
    mode: Mode,
) -> anyhow::Result<OwnedFd> {
    open_in_root_with(root, path, flags, mode, Crossing::AnyMount)
}

/// [`open_in_root`] returning the bare errno: for callers that expect a miss (ENOENT) on their
/// normal path and should not build an error (nor capture a backtrace) for it.
pub fn try_open_in_root(
    root: BorrowedFd<'_>,
    path: &Path,
    flags: OFlag,
    mode: Mode,
) -> nix::Result<OwnedFd> {
    resolve(root, path, flags, mode, Crossing::AnyMount)
}

/// [`open_in_root`] with an explicit mount-crossing policy.
pub fn open_in_root_with(
    root: BorrowedFd<'_>,
    path: &Path,
    flags: OFlag,
    mode: Mode,
    crossing: Crossing,
) -> anyhow::Result<OwnedFd> {
    resolve(root, path, flags, mode, crossing)
        .with_context(|| format!("opening {:?} in root", path.as_os_str()))
}

/// Resolves everything but the last component of `path` inside `root` and returns an `O_PATH`
/// fd for that parent directory plus the last component's name, for the caller to create, replace
/// or remove with `*at()` calls. The last component is never followed: it is a plain name.
///
/// With `create_missing`, missing intermediate directories are created in-root with mode 0755
/// (exactly, whatever the umask). A dangling symlink in the way is an error, not a hint to create
/// its target. `path` must end in a normal component (not `.`, `..` or the root itself).
pub fn resolve_parent(
    root: BorrowedFd<'_>,
    path: &Path,
    create_missing: bool,
) -> anyhow::Result<(OwnedFd, OsString)> {
    resolve_parent_with(root, path, create_missing, Crossing::AnyMount)
}

/// [`resolve_parent`] with an explicit mount-crossing policy.
pub fn resolve_parent_with(
    root: BorrowedFd<'_>,
    path: &Path,
    create_missing: bool,
    crossing: Crossing,
) -> anyhow::Result<(OwnedFd, OsString)> {
    let Some(Component::Normal(name)) = path.components().next_back() else {
        anyhow::bail!("path {:?} does not end in a file name", path.as_os_str());
    };
    let parent = path.parent().unwrap_or(Path::new(""));
    let dir_flags = OFlag::O_PATH | OFlag::O_DIRECTORY;
    match resolve(root, parent, dir_flags, Mode::empty(), crossing) {
        Ok(fd) => return Ok((fd, name.to_owned())),
        Err(Errno::ENOENT) if create_missing => {}
        Err(e) => {
            return Err(e).with_context(|| format!("resolving parent of {:?}", path.as_os_str()));
        }
    }
    // Slow path: walk the parent one prefix at a time, creating what is missing. Existing
    // prefixes are resolved from the root again, so a symlink anywhere in them is still confined;
    // below a directory this call created, nothing can exist yet, so the walk goes on from its fd
    // without further lookups (O(depth) syscalls, not O(depth^2)).
    let mut cur =
        openat(root, ".", dir_flags | OFlag::O_CLOEXEC, Mode::empty()).context("reopening root")?;
    let mut prefix = PathBuf::new();
    let mut created = false;
    for comp in parent.components() {
        prefix.push(comp);
        let part = match comp {
            Component::Normal(part) => part,
            // `.`, `..` or `/`: whatever was created, the prefix exists; look it up properly.
            _ => {
                created = false;
                cur = resolve(root, &prefix, dir_flags, Mode::empty(), crossing)
                    .with_context(|| format!("resolving {:?}", prefix.as_os_str()))?;
                continue;
            }
        };
        if !created {
            match resolve(root, &prefix, dir_flags, Mode::empty(), crossing) {
                Ok(fd) => {
                    cur = fd;
                    continue;
                }
                Err(Errno::ENOENT) => {}
                Err(e) => {
                    return Err(e).with_context(|| format!("resolving {:?}", prefix.as_os_str()));
                }
            }
        }
        match mkdirat(&cur, part, Mode::from_bits_truncate(0o755)) {
            Ok(()) => {
                // Opened without following and chmod'ed through the fd: the umask must not
                // decide the mode, and nothing may be swapped in between.
                let fd = openat(
                    &cur,
                    part,
                    OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
                    Mode::empty(),
                )
                .with_context(|| format!("opening new directory {:?}", prefix.as_os_str()))?;
                fchmod(&fd, Mode::from_bits_truncate(0o755))
                    .with_context(|| format!("setting mode of {:?}", prefix.as_os_str()))?;
                cur = fd;
                created = true;
            }
            // A dangling symlink (or a racing creator): look the prefix up again, which fails
            // with ENOENT for the former rather than creating the link's target.
            Err(Errno::EEXIST) => {
                cur = resolve(root, &prefix, dir_flags, Mode::empty(), crossing)
                    .with_context(|| format!("resolving {:?}", prefix.as_os_str()))?;
                created = false;
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("creating directory {:?}", prefix.as_os_str()));
            }
        }
    }
    Ok((cur, name.to_owned()))
}

/// The kernel lookup with the userspace walk as fallback.
fn resolve(
    root: BorrowedFd<'_>,
    path: &Path,
    flags: OFlag,
    mode: Mode,
    crossing: Crossing,
) -> nix::Result<OwnedFd> {
    if openat2_usable() {
        let mut resolve = ResolveFlag::RESOLVE_IN_ROOT | ResolveFlag::RESOLVE_NO_MAGICLINKS;
        if crossing == Crossing::SameMount {
            resolve |= ResolveFlag::RESOLVE_NO_XDEV;
        }
        // openat2 rejects an empty path; "." names the root itself.
        let path2 = if path.as_os_str().is_empty() {
            Path::new(".")
        } else {
            path
        };
        let mut tries = 0;
        loop {
            let how = OpenHow::new()
                .flags(flags | OFlag::O_CLOEXEC)
                .mode(mode)
                .resolve(resolve);
            match openat2(root, path2, how) {
                Err(Errno::EAGAIN) if tries < OPENAT2_RETRIES => tries += 1,
                Err(Errno::ENOSYS) => {
                    OPENAT2_MISSING.store(true, Ordering::Relaxed);
                    break;
                }
                // Seccomp profiles of older container engines answer EPERM for syscalls they do
                // not know. The walk is just as strict, so let it give the real answer.
                Err(Errno::EPERM) => break,
                other => return other,
            }
        }
    }
    walk_in_root(root, path, flags, mode, crossing)
}

/// The components of `path` as the walk consumes them: `.` and the root are dropped (an absolute
/// path is root-relative), `..` is kept for the walk to apply physically.
fn components(path: &Path) -> impl DoubleEndedIterator<Item = OsString> + '_ {
    path.components().filter_map(|c| match c {
        Component::Normal(n) => Some(n.to_owned()),
        Component::ParentDir => Some(OsString::from("..")),
        Component::RootDir | Component::CurDir | Component::Prefix(_) => None,
    })
}

/// The userspace lookup used when `openat2` is missing: the same answer as
/// `openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)`, one component at a time.
///
/// Intermediate components are opened `O_PATH|O_NOFOLLOW` and inspected; a symlink's target is
/// spliced into the remaining components (an absolute one restarts at the root), `..` pops back to
/// the previous directory fd and stops at the root. The final component is opened with
/// `O_NOFOLLOW` added, so a symlink swapped in after the check fails with `ELOOP` rather than
/// being followed out of the root.
pub(crate) fn walk_in_root(
    root: BorrowedFd<'_>,
    path: &Path,
    flags: OFlag,
    mode: Mode,
    crossing: Crossing,
) -> nix::Result<OwnedFd> {
    let root_dev = match crossing {
        Crossing::SameMount => Some(fstat(root)?.st_dev),
        Crossing::AnyMount => None,
    };
    let follow_last = !flags.contains(OFlag::O_NOFOLLOW);
    let mut todo: VecDeque<OsString> = components(path).collect();
    // Directories entered so far below the root; `..` pops, an absolute symlink clears.
    let mut stack: Vec<OwnedFd> = Vec::new();
    let mut hops = 0usize;
    while let Some(name) = todo.pop_front() {
        if name.as_bytes() == b".." {
            stack.pop();
            continue;
        }
        let cur = stack.last().map_or(root, |fd| fd.as_fd());
        let last = todo.is_empty();
        let probe = match openat(
            cur,
            name.as_os_str(),
            OFlag::O_PATH | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd) => fd,
            Err(Errno::ENOENT) if last => {
                return openat(
                    cur,
                    name.as_os_str(),
                    flags | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
                    mode,
                );
            }
            Err(e) => return Err(e),
        };
        let st = fstat(&probe)?;
        let kind = SFlag::from_bits_truncate(st.st_mode & SFlag::S_IFMT.bits());
        if kind == SFlag::S_IFLNK && (!last || follow_last) {
            hops += 1;
            if hops > MAX_SYMLINK_HOPS {
                return Err(Errno::ELOOP);
            }
            // Empty path on an O_PATH symlink fd reads that very link (readlinkat(2)), so a
            // rename since the probe cannot substitute another one.
            let target = readlinkat(&probe, "")?;
            let target = Path::new(&target);
            if target.has_root() {
                stack.clear();
            }
            for comp in components(target).rev() {
                todo.push_front(comp);
            }
            continue;
        }
        if let Some(dev) = root_dev
            && st.st_dev != dev
        {
            return Err(Errno::EXDEV);
        }
        if last {
            return openat(
                cur,
                name.as_os_str(),
                flags | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
                mode,
            );
        }
        if kind != SFlag::S_IFDIR {
            return Err(Errno::ENOTDIR);
        }
        stack.push(probe);
    }
    // The path named a directory already walked (or the root itself): reopen it as asked.
    let cur = stack.last().map_or(root, |fd| fd.as_fd());
    openat(cur, ".", flags | OFlag::O_CLOEXEC, mode)
}

/// Whether a name is a single plain component that can be created in a directory.
pub fn is_plain_name(name: &OsStr) -> bool {
    let b = name.as_bytes();
    !b.is_empty() && b != b"." && b != b".." && !b.contains(&b'/') && !b.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    /// The lookups under test: the kernel's (whatever this host has) and the userspace walk.
    fn both(
        root: BorrowedFd<'_>,
        path: &str,
        flags: OFlag,
    ) -> [Result<std::fs::Metadata, Errno>; 2] {
        let meta = |r: nix::Result<OwnedFd>| r.map(|fd| fs::File::from(fd).metadata().unwrap());
        [
            meta(resolve(
                root,
                Path::new(path),
                flags,
                Mode::empty(),
                Crossing::AnyMount,
            )),
            meta(walk_in_root(
                root,
                Path::new(path),
                flags,
                Mode::empty(),
                Crossing::AnyMount,
            )),
        ]
    }

    fn ino(p: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(p).unwrap().ino()
    }

    fn same(r: &Result<std::fs::Metadata, Errno>, p: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        matches!(r, Ok(m) if m.ino() == ino(p))
    }

    struct Tree {
        _tmp: tempfile::TempDir,
        root: PathBuf,
        outside: PathBuf,
        fd: OwnedFd,
    }

    fn tree() -> Tree {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        let outside = tmp.path().join("outside");
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(root.join("a/b/file"), "in").unwrap();
        fs::write(root.join("file"), "rootfile").unwrap();
        fs::write(outside.join("file"), "host").unwrap();
        let fd = open_root(&root).unwrap();
        Tree {
            _tmp: tmp,
            root,
            outside,
            fd,
        }
    }

    #[test]
    fn plain_paths_resolve() {
        let t = tree();
        for r in both(t.fd.as_fd(), "a/b/file", OFlag::O_RDONLY) {
            assert!(same(&r, &t.root.join("a/b/file")));
        }
        for r in both(t.fd.as_fd(), "", OFlag::O_PATH) {
            assert!(same(&r, &t.root));
        }
        for r in both(t.fd.as_fd(), "a/./b/../b/file", OFlag::O_RDONLY) {
            assert!(same(&r, &t.root.join("a/b/file")));
        }
    }

    #[test]
    fn dotdot_stops_at_root() {
        let t = tree();
        for r in both(t.fd.as_fd(), "../../../file", OFlag::O_RDONLY) {
            assert!(same(&r, &t.root.join("file")), "{r:?}");
        }
        for r in both(t.fd.as_fd(), "a/../../..", OFlag::O_PATH) {
            assert!(same(&r, &t.root));
        }
    }

    #[test]
    fn absolute_symlinks_restart_at_root() {
        let t = tree();
        symlink("/", t.root.join("slash")).unwrap();
        symlink(&t.outside, t.root.join("host")).unwrap();
        symlink("/a/b", t.root.join("abs")).unwrap();
        for r in both(t.fd.as_fd(), "slash/file", OFlag::O_RDONLY) {
            assert!(same(&r, &t.root.join("file")));
        }
        for r in both(t.fd.as_fd(), "abs/file", OFlag::O_RDONLY) {
            assert!(same(&r, &t.root.join("a/b/file")));
        }
        // The host path does not exist inside the root, so the lookup must fail, not escape.
        for r in both(t.fd.as_fd(), "host/file", OFlag::O_RDONLY) {
            assert_eq!(r.unwrap_err(), Errno::ENOENT);
        }
        for r in both(t.fd.as_fd(), "/file", OFlag::O_RDONLY) {
            assert!(same(&r, &t.root.join("file")));
        }
    }

    #[test]
    fn relative_symlinks_cannot_climb_out() {
        let t = tree();
        symlink("../../../../..", t.root.join("a/up")).unwrap();
        for r in both(t.fd.as_fd(), "a/up/file", OFlag::O_RDONLY) {
            assert!(same(&r, &t.root.join("file")));
        }
        symlink("../outside/file", t.root.join("rel")).unwrap();
        for r in both(t.fd.as_fd(), "rel", OFlag::O_RDONLY) {
            assert_eq!(r.unwrap_err(), Errno::ENOENT);
        }
    }

    #[test]
    fn symlink_chains_and_final_nofollow() {
        let t = tree();
        symlink("a", t.root.join("l1")).unwrap();
        symlink("l1/b", t.root.join("l2")).unwrap();
        symlink("/l2/file", t.root.join("l3")).unwrap();
        for r in both(t.fd.as_fd(), "l3", OFlag::O_RDONLY) {
            assert!(same(&r, &t.root.join("a/b/file")));
        }
        // O_NOFOLLOW on the final component: O_PATH gives the link itself, others ELOOP.
        for r in both(t.fd.as_fd(), "l3", OFlag::O_PATH | OFlag::O_NOFOLLOW) {
            assert!(same(&r, &t.root.join("l3")));
        }
        for r in both(t.fd.as_fd(), "l3", OFlag::O_RDONLY | OFlag::O_NOFOLLOW) {
            assert_eq!(r.unwrap_err(), Errno::ELOOP);
        }
    }

    #[test]
    fn symlink_loops_fail_with_eloop() {
        let t = tree();
        symlink("loop2", t.root.join("loop1")).unwrap();
        symlink("/loop1", t.root.join("loop2")).unwrap();
        symlink("self/x", t.root.join("self")).unwrap();
        for p in ["loop1", "loop1/x", "self"] {
            for r in both(t.fd.as_fd(), p, OFlag::O_RDONLY) {
                assert_eq!(r.unwrap_err(), Errno::ELOOP, "{p}");
            }
        }
    }

    #[test]
    fn walk_creates_through_symlink_inside_root() {
        let t = tree();
        symlink("/a/new", t.root.join("dangling")).unwrap();
        let fd = walk_in_root(
            t.fd.as_fd(),
            Path::new("dangling"),
            OFlag::O_WRONLY | OFlag::O_CREAT,
            Mode::from_bits_truncate(0o600),
            Crossing::AnyMount,
        )
        .unwrap();
        drop(fd);
        assert!(t.root.join("a/new").is_file());
        // O_CREAT|O_NOFOLLOW on an existing symlink refuses instead of following it.
        let err = walk_in_root(
            t.fd.as_fd(),
            Path::new("dangling"),
            OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_NOFOLLOW,
            Mode::from_bits_truncate(0o600),
            Crossing::AnyMount,
        )
        .unwrap_err();
        assert_eq!(err, Errno::ELOOP);
    }

    #[test]
    fn walk_same_mount_checks_devices() {
        let t = tree();
        // Everything here is on one filesystem, so SameMount must still succeed.
        walk_in_root(
            t.fd.as_fd(),
            Path::new("a/b/file"),
            OFlag::O_RDONLY,
            Mode::empty(),
            Crossing::SameMount,
        )
        .unwrap();
    }

    #[test]
    fn resolve_parent_creates_missing_dirs_in_root() {
        let t = tree();
        symlink("/", t.root.join("slash")).unwrap();
        let (fd, name) = resolve_parent(t.fd.as_fd(), Path::new("slash/x/y/leaf"), true).unwrap();
        assert_eq!(name, "leaf");
        assert!(same(
            &Ok(fs::File::from(fd).metadata().unwrap()),
            &t.root.join("x/y")
        ));
        use std::os::unix::fs::PermissionsExt;
        let m = fs::metadata(t.root.join("x/y")).unwrap();
        assert_eq!(m.permissions().mode() & 0o7777, 0o755);
        assert!(!t.outside.join("x").exists());
    }

    #[test]
    fn resolve_parent_final_is_not_followed_and_missing_is_enoent() {
        let t = tree();
        symlink(&t.outside, t.root.join("host")).unwrap();
        let (_fd, name) = resolve_parent(t.fd.as_fd(), Path::new("host"), false).unwrap();
        assert_eq!(name, "host");
        let err = resolve_parent(t.fd.as_fd(), Path::new("nope/leaf"), false).unwrap_err();
        assert_eq!(err.downcast_ref::<Errno>(), Some(&Errno::ENOENT));
        // A dangling symlink in the way is not silently replaced by a directory.
        symlink("/nowhere", t.root.join("dangling")).unwrap();
        assert!(resolve_parent(t.fd.as_fd(), Path::new("dangling/leaf"), true).is_err());
        assert!(resolve_parent(t.fd.as_fd(), Path::new("a/.."), true).is_err());
        assert!(resolve_parent(t.fd.as_fd(), Path::new(""), true).is_err());
    }

    #[test]
    fn plain_names() {
        assert!(is_plain_name(OsStr::new("a.b")));
        for bad in ["", ".", "..", "a/b"] {
            assert!(!is_plain_name(OsStr::new(bad)), "{bad}");
        }
    }
}
