//! The copy rootfs (`--storage-driver vfs`, or the last resort of `overlay`): an image's
//! unpacked layers materialised into one plain directory tree, lowest layer first.
//!
//! The layers are in overlay's format (see `apply`): a whiteout is a character device 0:0 and
//! an opaque directory carries `trusted.overlay.opaque=y` (root stores) or
//! `user.overlay.opaque=y` (rootless stores). Applying a layer onto the tree does what overlayfs
//! shows: a whiteout deletes what lower layers put at its path, an opaque directory empties the
//! lower layers' directory before its own entries are copied in, anything else replaces what is
//! at its path unless both are directories, which merge.
//!
//! Owners, modes (setuid/setgid/sticky included), timestamps, extended attributes (overlay's
//! own excepted), symlinks, device nodes, FIFOs and hardlinks within a layer are kept. Both
//! trees are walked one name at a time through directory fds with `O_NOFOLLOW` and the `*at()`
//! no-follow flags, so no symlink in a layer, nor one left by a lower layer, can lead a read or
//! a write outside the layer or the destination (SECURITY.md I1); the one lookup by path, a
//! hardlink's first copy, goes through `inroot`. Rootless stores run this inside a user
//! namespace with the caller's subordinate ids (`Unpacker::copy_layers`), so ownership is kept.
//!
//! It must not touch anything outside `dest`, and assumes nobody else writes into `dest`
//! while it runs (a fresh directory in the container's own directory).

use std::collections::HashMap;
use std::ffi::{CString, OsStr};
use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, openat, readlinkat};
use nix::sys::stat::{
    FchmodatFlags, FileStat, Mode, SFlag, UtimensatFlags, fchmod, fchmodat, fstat, fstatat,
    futimens, mkdirat, mknodat, utimensat,
};
use nix::sys::time::TimeSpec;
use nix::unistd::{Gid, Uid, fchown, fchownat, linkat, symlinkat};

use super::apply::{MAX_REMOVE_DEPTH, list_dir, remove_all};
use super::inroot::{self, Crossing};
use crate::runtime::sys;

/// The opaque-directory markers berth's layer applier writes (root, rootless).
const OPAQUE_XATTRS: [&std::ffi::CStr; 2] = [c"trusted.overlay.opaque", c"user.overlay.opaque"];

/// Overlay's own metadata is not image content and is never copied.
const OVERLAY_XATTR_PREFIXES: [&[u8]; 2] = [b"trusted.overlay.", b"user.overlay."];

/// How [`materialise`] treats what the running user may not be able to do.
#[derive(Clone, Debug, Default)]
pub struct CopyOptions {
    /// Single-id user namespace: a chown the kernel refuses is dropped and counted.
    pub ignore_chown_errors: bool,
}

/// What [`materialise`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CopyStats {
    /// Files, directories, links and nodes written.
    pub entries: u64,
    /// Bytes of regular-file content copied.
    pub bytes: u64,
    /// Whiteouts and opaque directories applied.
    pub whiteouts: u64,
    /// Ownership changes dropped ([`CopyOptions::ignore_chown_errors`]).
    pub chown_errors: u64,
    /// `trusted.*`/`security.*` attributes the kernel would not set.
    pub skipped_xattrs: u64,
}

/// Copies the layer directories `layers` (lowest first) into the existing directory `dest`,
/// honouring whiteouts and opaque directories as overlayfs would show them.
///
/// Errors name the layer and the entry (`copying layer …/diff: "etc/shadow": setting owner:
/// EPERM`); on error `dest` holds a partial tree for the caller to remove.
pub fn materialise(layers: &[PathBuf], dest: &Path, opts: &CopyOptions) -> Result<CopyStats> {
    let dest_root = inroot::open_root(dest)?;
    let mut c = Copier {
        opts,
        dest_root,
        links: HashMap::new(),
        stats: CopyStats::default(),
    };
    for layer in layers {
        c.links.clear();
        c.layer(layer)
            .with_context(|| format!("copying layer {}", layer.display()))?;
    }
    Ok(c.stats)
}

struct Copier<'o> {
    opts: &'o CopyOptions,
    /// `O_PATH` fd of `dest`, for the in-root lookup of hardlink targets.
    dest_root: OwnedFd,
    /// This layer's multiply-linked files: (st_dev, st_ino) → where the first one was copied.
    links: HashMap<(u64, u64), PathBuf>,
    stats: CopyStats,
}

fn dir_flags() -> OFlag {
    OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC
}

fn kind(st: &FileStat) -> SFlag {
    SFlag::from_bits_truncate(st.st_mode & SFlag::S_IFMT.bits())
}

impl Copier<'_> {
    fn layer(&mut self, layer: &Path) -> Result<()> {
        let src = nix::fcntl::open(layer, dir_flags(), Mode::empty())
            .with_context(|| format!("opening {}", layer.display()))?;
        let dst = openat(&self.dest_root, ".", dir_flags(), Mode::empty())
            .context("opening the destination")?;
        self.dir_contents(&src, &dst, Path::new(""), 0)?;
        let st = fstat(&src).context("inspecting the layer's root")?;
        self.fd_metadata(src.as_fd(), dst.as_fd(), &st)
            .context("copying the root directory's metadata")
    }

    /// Copies the entries of `src` into `dst` (both `O_RDONLY` directory fds); `rel` is their
    /// path relative to the root, for messages and hardlinks.
    fn dir_contents(
        &mut self,
        src: &OwnedFd,
        dst: &OwnedFd,
        rel: &Path,
        depth: usize,
    ) -> Result<()> {
        if depth > MAX_REMOVE_DEPTH {
            bail!("directory tree at {:?} is too deep", rel.as_os_str());
        }
        if is_opaque(src.as_fd()).with_context(|| format!("reading {:?}", rel.as_os_str()))? {
            self.stats.whiteouts += 1;
            for name in
                list_dir(dst.as_fd()).with_context(|| format!("listing {:?}", rel.as_os_str()))?
            {
                remove_all(dst.as_fd(), &name, depth)?;
            }
        }
        let names =
            list_dir(src.as_fd()).with_context(|| format!("listing {:?}", rel.as_os_str()))?;
        for name in names {
            let path = rel.join(&name);
            self.entry(src, dst, &name, &path, depth)
                .with_context(|| format!("{:?}", path.as_os_str()))?;
        }
        Ok(())
    }

    fn entry(
        &mut self,
        src: &OwnedFd,
        dst: &OwnedFd,
        name: &OsStr,
        path: &Path,
        depth: usize,
    ) -> Result<()> {
        let st = fstatat(src, name, AtFlags::AT_SYMLINK_NOFOLLOW).context("inspecting")?;
        let k = kind(&st);
        if k == SFlag::S_IFCHR && st.st_rdev == 0 {
            // A whiteout: what lower layers put here is gone.
            self.stats.whiteouts += 1;
            return remove_all(dst.as_fd(), name, depth);
        }
        self.stats.entries += 1;
        match k {
            SFlag::S_IFDIR => {
                match fstatat(dst, name, AtFlags::AT_SYMLINK_NOFOLLOW) {
                    Ok(have) if kind(&have) == SFlag::S_IFDIR => {}
                    Ok(_) => {
                        remove_all(dst.as_fd(), name, depth)?;
                        mkdirat(dst, name, Mode::S_IRWXU).context("creating directory")?;
                    }
                    Err(Errno::ENOENT) => {
                        mkdirat(dst, name, Mode::S_IRWXU).context("creating directory")?;
                    }
                    Err(e) => return Err(e).context("inspecting the destination"),
                }
                let s = openat(src, name, dir_flags(), Mode::empty()).context("opening")?;
                let d = openat(dst, name, dir_flags(), Mode::empty())
                    .context("opening the new directory")?;
                self.dir_contents(&s, &d, path, depth + 1)?;
                // After the children: their creation would change the mtime again.
                self.fd_metadata(s.as_fd(), d.as_fd(), &st)
            }
            SFlag::S_IFREG => {
                remove_all(dst.as_fd(), name, depth)?;
                let key = (st.st_dev, st.st_ino);
                if st.st_nlink > 1
                    && let Some(first) = self.links.get(&key)
                {
                    let (parent, leaf) = inroot::resolve_parent_with(
                        self.dest_root.as_fd(),
                        first,
                        false,
                        Crossing::SameMount,
                    )
                    .with_context(|| {
                        format!("resolving hardlink target {:?}", first.as_os_str())
                    })?;
                    return linkat(&parent, leaf.as_os_str(), dst, name, AtFlags::empty())
                        .with_context(|| format!("linking to {:?}", first.as_os_str()));
                }
                self.file(src, dst, name, &st)?;
                if st.st_nlink > 1 {
                    self.links.insert(key, path.to_path_buf());
                }
                Ok(())
            }
            SFlag::S_IFLNK => {
                remove_all(dst.as_fd(), name, depth)?;
                let target = readlinkat(src, name).context("reading symlink")?;
                symlinkat(target.as_os_str(), dst, name).context("creating symlink")?;
                self.at_metadata(dst.as_fd(), name, &st, false)
            }
            SFlag::S_IFCHR | SFlag::S_IFBLK | SFlag::S_IFIFO | SFlag::S_IFSOCK => {
                remove_all(dst.as_fd(), name, depth)?;
                mknodat(dst, name, k, Mode::S_IRUSR | Mode::S_IWUSR, st.st_rdev)
                    .context("creating node")?;
                self.at_metadata(dst.as_fd(), name, &st, true)
            }
            _ => bail!("unknown file type {:#o}", st.st_mode),
        }
    }

    fn file(&mut self, src: &OwnedFd, dst: &OwnedFd, name: &OsStr, st: &FileStat) -> Result<()> {
        let from = openat(
            src,
            name,
            OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .context("opening")?;
        let to = openat(
            dst,
            name,
            OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
            Mode::S_IRUSR | Mode::S_IWUSR,
        )
        .context("creating file")?;
        let (mut from, mut to) = (File::from(from), File::from(to));
        // std copies File to File with copy_file_range(2): in the kernel, reflinked where the
        // filesystem can.
        self.stats.bytes += std::io::copy(&mut from, &mut to).context("copying content")?;
        self.fd_metadata(from.as_fd(), to.as_fd(), st)
    }

    /// Owner, then mode (chown clears setuid bits and file capabilities), then extended
    /// attributes, then timestamps, from `st`/`src` onto the open `dst`.
    fn fd_metadata(
        &mut self,
        src: BorrowedFd<'_>,
        dst: BorrowedFd<'_>,
        st: &FileStat,
    ) -> Result<()> {
        let res = fchown(
            dst,
            Some(Uid::from_raw(st.st_uid)),
            Some(Gid::from_raw(st.st_gid)),
        );
        self.chown_result(res, st)?;
        fchmod(dst, Mode::from_bits_truncate(st.st_mode & 0o7777)).context("setting mode")?;
        self.xattrs(src, dst)?;
        let (atime, mtime) = times(st);
        futimens(dst, &atime, &mtime).context("setting times")
    }

    /// The same for entries there is no fd for (symlinks, nodes), by name without following.
    fn at_metadata(
        &mut self,
        dst: BorrowedFd<'_>,
        name: &OsStr,
        st: &FileStat,
        chmod: bool,
    ) -> Result<()> {
        let res = fchownat(
            dst,
            name,
            Some(Uid::from_raw(st.st_uid)),
            Some(Gid::from_raw(st.st_gid)),
            AtFlags::AT_SYMLINK_NOFOLLOW,
        );
        self.chown_result(res, st)?;
        if chmod {
            let mode = Mode::from_bits_truncate(st.st_mode & 0o7777);
            match fchmodat(dst, name, mode, FchmodatFlags::NoFollowSymlink) {
                Ok(()) => {}
                // Before fchmodat2 (Linux 6.6) no-follow chmod is unsupported; the node was just
                // created by us as a non-symlink in a directory only we write to.
                Err(Errno::ENOTSUP) => fchmodat(dst, name, mode, FchmodatFlags::FollowSymlink)
                    .context("setting mode")?,
                Err(e) => return Err(e).context("setting mode"),
            }
        }
        let (atime, mtime) = times(st);
        utimensat(dst, name, &atime, &mtime, UtimensatFlags::NoFollowSymlink)
            .context("setting times")
    }

    fn chown_result(&mut self, res: nix::Result<()>, st: &FileStat) -> Result<()> {
        match res {
            Ok(()) => Ok(()),
            Err(Errno::EPERM | Errno::EINVAL) if self.opts.ignore_chown_errors => {
                self.stats.chown_errors += 1;
                Ok(())
            }
            Err(e) => Err(e).with_context(|| format!("setting owner {}:{}", st.st_uid, st.st_gid)),
        }
    }

    fn xattrs(&mut self, src: BorrowedFd<'_>, dst: BorrowedFd<'_>) -> Result<()> {
        let names = sys::flistxattr(src).context("listing extended attributes")?;
        for name in names.split(|b| *b == 0).filter(|n| !n.is_empty()) {
            if OVERLAY_XATTR_PREFIXES.iter().any(|p| name.starts_with(p)) {
                continue;
            }
            let cname = CString::new(name).context("attribute name contains NUL")?;
            let value = match sys::fgetxattr(src, &cname) {
                Ok(v) => v,
                // Removed meanwhile, or not readable by us (trusted.* in a user namespace).
                Err(Errno::ENODATA | Errno::EPERM) => continue,
                Err(e) => return Err(e).with_context(|| format!("reading attribute {cname:?}")),
            };
            match sys::fsetxattr(dst, &cname, &value) {
                Ok(()) => {}
                Err(Errno::EPERM | Errno::ENOTSUP)
                    if name.starts_with(b"trusted.") || name.starts_with(b"security.") =>
                {
                    self.stats.skipped_xattrs += 1;
                }
                Err(e) => return Err(e).with_context(|| format!("setting attribute {cname:?}")),
            }
        }
        Ok(())
    }
}

/// Whether the layer directory behind `dir` is opaque (hides lower layers' entries).
fn is_opaque(dir: BorrowedFd<'_>) -> Result<bool> {
    let names = sys::flistxattr(dir).context("listing extended attributes")?;
    for want in OPAQUE_XATTRS {
        if names.split(|b| *b == 0).any(|n| n == want.to_bytes()) {
            match sys::fgetxattr(dir, want) {
                Ok(v) if v == b"y" => return Ok(true),
                Ok(_) | Err(Errno::ENODATA) => {}
                Err(e) => return Err(e).with_context(|| format!("reading {want:?}")),
            }
        }
    }
    Ok(false)
}

fn times(st: &FileStat) -> (TimeSpec, TimeSpec) {
    (
        TimeSpec::new(st.st_atime, st.st_atime_nsec),
        TimeSpec::new(st.st_mtime, st.st_mtime_nsec),
    )
}

#[cfg(test)]
#[allow(clippy::print_stderr)]
mod tests {
    use super::*;
    use nix::sys::stat::makedev;
    use std::fs;
    use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt, symlink};

    /// A layer directory as the store writes them.
    struct Layers {
        tmp: tempfile::TempDir,
    }

    impl Layers {
        fn new() -> Layers {
            let tmp = tempfile::tempdir().unwrap();
            for d in ["lower", "upper", "dest", "outside"] {
                fs::create_dir(tmp.path().join(d)).unwrap();
            }
            Layers { tmp }
        }
        fn p(&self, rel: &str) -> PathBuf {
            self.tmp.path().join(rel)
        }
        fn file(&self, rel: &str, content: &str) {
            let p = self.p(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, content).unwrap();
        }
        fn whiteout(&self, rel: &str) {
            let p = self.p(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            nix::sys::stat::mknod(&p, SFlag::S_IFCHR, Mode::empty(), makedev(0, 0)).unwrap();
        }
        /// Marks a directory opaque the way a rootless store does; false when the filesystem
        /// has no user xattrs.
        fn opaque(&self, rel: &str) -> bool {
            let p = self.p(rel);
            fs::create_dir_all(&p).unwrap();
            let fd = nix::fcntl::open(&p, dir_flags(), Mode::empty()).unwrap();
            sys::fsetxattr(fd.as_fd(), c"user.overlay.opaque", b"y").is_ok()
        }
        fn copy(&self) -> Result<CopyStats> {
            materialise(
                &[self.p("lower"), self.p("upper")],
                &self.p("dest"),
                &CopyOptions::default(),
            )
        }
    }

    #[test]
    fn whiteouts_and_opaque_directories_are_honoured() {
        let l = Layers::new();
        l.file("lower/etc/gone", "lower\n");
        l.file("lower/etc/kept", "lower\n");
        l.file("lower/opq/old", "lower\n");
        l.file("lower/opq/sub/deep", "lower\n");
        l.file("lower/tree/a/b", "lower\n");
        l.file("lower/file-then-dir", "lower\n");
        l.whiteout("upper/etc/gone");
        l.whiteout("upper/tree");
        // A whiteout of something no lower layer has is harmless.
        l.whiteout("upper/never");
        if !l.opaque("upper/opq") {
            return crate::runtime::test_support::skip(
                "skipped: needs user xattrs on the temp dir",
            );
        }
        l.file("upper/opq/new", "upper\n");
        l.file("upper/file-then-dir/inside", "upper\n");
        let stats = l.copy().unwrap();
        let d = |rel: &str| l.p("dest").join(rel);
        assert!(!d("etc/gone").exists(), "whiteout not applied");
        assert!(d("etc/gone").symlink_metadata().is_err());
        assert_eq!(fs::read_to_string(d("etc/kept")).unwrap(), "lower\n");
        assert!(!d("tree").exists(), "directory whiteout not applied");
        assert!(
            d("never").symlink_metadata().is_err(),
            "a whiteout was copied"
        );
        let mut opq: Vec<String> = fs::read_dir(d("opq"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        opq.sort();
        assert_eq!(opq, ["new"], "opaque directory kept lower entries");
        assert_eq!(
            fs::read_to_string(d("file-then-dir/inside")).unwrap(),
            "upper\n"
        );
        assert_eq!(stats.whiteouts, 4);
        // Overlay's markers are not image content.
        let fd = nix::fcntl::open(&d("opq"), dir_flags(), Mode::empty()).unwrap();
        assert_eq!(
            sys::fgetxattr(fd.as_fd(), c"user.overlay.opaque"),
            Err(Errno::ENODATA)
        );
        // The layers are untouched.
        assert!(l.p("lower/etc/gone").exists() && l.p("lower/opq/old").exists());
    }

    #[test]
    fn metadata_links_and_nodes_are_kept() {
        let l = Layers::new();
        l.file("lower/bin/tool", "#!/bin/sh\n");
        fs::create_dir(l.p("lower/sticky")).unwrap();
        fs::set_permissions(l.p("lower/sticky"), fs::Permissions::from_mode(0o1777)).unwrap();
        l.file("lower/a", "linked\n");
        fs::hard_link(l.p("lower/a"), l.p("lower/b")).unwrap();
        symlink("../a", l.p("lower/bin/rel")).unwrap();
        nix::unistd::mkfifo(&l.p("lower/fifo"), Mode::from_bits_truncate(0o640)).unwrap();
        let old = TimeSpec::new(1_000_000, 5);
        nix::sys::stat::utimensat(
            nix::fcntl::AT_FDCWD,
            &l.p("lower/a"),
            &old,
            &old,
            UtimensatFlags::NoFollowSymlink,
        )
        .unwrap();
        let xattr = {
            let f = fs::File::open(l.p("lower/a")).unwrap();
            sys::fsetxattr(f.as_fd(), c"user.berth.test", b"v").is_ok()
        };
        let root = nix::unistd::geteuid().is_root();
        if root {
            std::os::unix::fs::lchown(l.p("lower/bin/tool"), Some(1234), Some(5678)).unwrap();
            std::os::unix::fs::lchown(l.p("lower/bin/rel"), Some(42), Some(43)).unwrap();
            nix::sys::stat::mknod(
                &l.p("lower/null"),
                SFlag::S_IFCHR,
                Mode::from_bits_truncate(0o666),
                makedev(1, 3),
            )
            .unwrap();
        }
        // After the chown, which clears setuid.
        fs::set_permissions(l.p("lower/bin/tool"), fs::Permissions::from_mode(0o4755)).unwrap();
        l.copy().unwrap();
        let d = |rel: &str| fs::symlink_metadata(l.p("dest").join(rel)).unwrap();
        assert_eq!(d("bin/tool").mode() & 0o7777, 0o4755);
        assert_eq!(d("sticky").mode() & 0o7777, 0o1777);
        assert_eq!(d("a").ino(), d("b").ino(), "hardlink not kept");
        assert_eq!(d("a").nlink(), 2);
        assert_eq!((d("a").mtime(), d("a").mtime_nsec()), (1_000_000, 5));
        assert_eq!(
            fs::read_link(l.p("dest/bin/rel")).unwrap(),
            PathBuf::from("../a")
        );
        assert!(d("fifo").file_type().is_fifo() && d("fifo").mode() & 0o777 == 0o640);
        if xattr {
            let f = fs::File::open(l.p("dest/a")).unwrap();
            assert_eq!(sys::fgetxattr(f.as_fd(), c"user.berth.test").unwrap(), b"v");
        }
        if root {
            assert_eq!((d("bin/tool").uid(), d("bin/tool").gid()), (1234, 5678));
            assert_eq!((d("bin/rel").uid(), d("bin/rel").gid()), (42, 43));
            assert_eq!(d("null").rdev(), makedev(1, 3));
        } else {
            eprintln!("skipped: ownership and device checks need root");
        }
    }

    #[test]
    fn symlinks_in_lower_layers_are_never_followed() {
        let l = Layers::new();
        let outside = l.p("outside");
        fs::write(outside.join("victim"), "host\n").unwrap();
        // Lower layers plant symlinks to the host; upper layers write "through" them.
        symlink(&outside, l.p("lower/dir")).unwrap();
        symlink(outside.join("victim"), l.p("lower/victim")).unwrap();
        symlink(&outside, l.p("lower/gone")).unwrap();
        l.file("upper/dir/new", "upper\n");
        l.file("upper/victim", "upper\n");
        l.whiteout("upper/gone");
        l.copy().unwrap();
        assert_eq!(
            fs::read_to_string(outside.join("victim")).unwrap(),
            "host\n"
        );
        assert!(!outside.join("new").exists(), "wrote through a symlink");
        assert!(outside.exists(), "a whiteout removed the symlink's target");
        let dir = fs::symlink_metadata(l.p("dest/dir")).unwrap();
        assert!(dir.is_dir(), "the directory did not replace the symlink");
        assert_eq!(fs::read_to_string(l.p("dest/victim")).unwrap(), "upper\n");
        // A symlinked layer root is refused rather than followed.
        let link = l.p("link-layer");
        symlink(l.p("upper"), &link).unwrap();
        assert!(materialise(&[link], &l.p("dest"), &CopyOptions::default()).is_err());
    }
}
