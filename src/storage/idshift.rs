//! Shifting the owners of a container's copy rootfs into its user namespace's mapping, so that a
//! file the image gives to uid N is owned, inside the container, by uid N (Podman does the
//! same with a chowned copy when it cannot idmap the layers).
//!
//! Runs on a copy made a moment before and never run yet, so nothing in the tree is a
//! container's doing; even so it walks by directory fds and never follows a symlink (I1). As
//! root the ids are host ids; rootless it runs in the user-namespace helper (`__userns
//! idshift`), where they are the ids of the user's own namespace.

use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use nix::dir::{Dir, Type};
use nix::fcntl::{AtFlags, OFlag};
use nix::sys::stat::{FchmodatFlags, Mode, SFlag, fchmodat, fstatat};
use nix::unistd::{Gid, Uid, fchownat};

use crate::runtime::userns::{IdMap, map_id};

/// Deepest directory nesting walked (I6).
const MAX_DEPTH: usize = 512;

/// Gives every entry under (and including) `root` the owner `uids`/`gids` map its current one
/// to; an id outside the maps stays as it is. Modes are kept (chown clears set-id bits, which
/// are put back).
///
/// Errors: a directory nested deeper than 512, or a chown the kernel refuses.
pub fn shift_tree(root: &Path, uids: &[IdMap], gids: &[IdMap]) -> Result<()> {
    let top = nix::fcntl::open(
        root,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("opening {}", root.display()))?;
    shift_one(&top, None, uids, gids).with_context(|| format!("shifting {}", root.display()))?;
    walk(top, uids, gids, 0).with_context(|| format!("shifting the owners in {}", root.display()))
}

fn walk(dir: OwnedFd, uids: &[IdMap], gids: &[IdMap], depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        bail!("directories nested deeper than {MAX_DEPTH}");
    }
    let mut d = Dir::from_fd(dir).context("reading a directory")?;
    let mut subdirs = Vec::new();
    let fd = d.as_fd().try_clone_to_owned().context("dup")?;
    for e in d.iter() {
        let e = e.context("reading a directory")?;
        let name = e.file_name().to_owned();
        if name.as_bytes() == b"." || name.as_bytes() == b".." {
            continue;
        }
        shift_one(&fd, Some(&name), uids, gids)
            .with_context(|| format!("shifting {}", name.to_string_lossy()))?;
        if e.file_type() == Some(Type::Directory) {
            subdirs.push(name);
        }
    }
    for name in subdirs {
        let sub = nix::fcntl::openat(
            &fd,
            name.as_c_str(),
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .with_context(|| format!("opening {}", name.to_string_lossy()))?;
        walk(sub, uids, gids, depth + 1)
            .with_context(|| format!("in {}", name.to_string_lossy()))?;
    }
    Ok(())
}

/// Shifts the entry `name` of `dir` (or `dir` itself).
fn shift_one(
    dir: &OwnedFd,
    name: Option<&std::ffi::CStr>,
    uids: &[IdMap],
    gids: &[IdMap],
) -> Result<()> {
    let path = name.unwrap_or(c"");
    let flags = if name.is_some() {
        AtFlags::AT_SYMLINK_NOFOLLOW
    } else {
        AtFlags::AT_EMPTY_PATH
    };
    let st = fstatat(dir, path, flags)?;
    let (uid, gid) = (map_id(uids, st.st_uid), map_id(gids, st.st_gid));
    if uid.is_none_or(|u| u == st.st_uid) && gid.is_none_or(|g| g == st.st_gid) {
        return Ok(());
    }
    fchownat(
        dir,
        path,
        uid.map(Uid::from_raw),
        gid.map(Gid::from_raw),
        flags,
    )?;
    let kind = SFlag::from_bits_truncate(st.st_mode & SFlag::S_IFMT.bits());
    let setid = st.st_mode & (libc::S_ISUID | libc::S_ISGID);
    if setid != 0 && kind != SFlag::S_IFLNK {
        let mode = Mode::from_bits_truncate(st.st_mode & 0o7777);
        fchmodat(dir, path, mode, FchmodatFlags::FollowSymlink)?;
    }
    Ok(())
}

/// `i:o:c,i:o:c`: maps as the helper's command line carries them.
pub fn maps_arg(maps: &[IdMap]) -> String {
    maps.iter()
        .map(|m| format!("{}:{}:{}", m.inside, m.outside, m.count))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads [`maps_arg`]'s form back.
pub fn parse_maps_arg(s: &str) -> Result<Vec<IdMap>> {
    s.split(',')
        .filter(|p| !p.is_empty())
        .map(crate::runtime::userns::parse_idmap)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_travel_as_text() {
        let m = vec![
            IdMap {
                inside: 0,
                outside: 1,
                count: 5,
            },
            IdMap {
                inside: 5,
                outside: 0,
                count: 1,
            },
        ];
        assert_eq!(maps_arg(&m), "0:1:5,5:0:1");
        assert_eq!(parse_maps_arg(&maps_arg(&m)).unwrap(), m);
    }

    #[test]
    fn shift_moves_mapped_owners_keeps_others_and_setid_bits() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let t = tempfile::tempdir().unwrap();
        let own = nix::unistd::getuid().as_raw();
        std::fs::create_dir_all(t.path().join("a/b")).unwrap();
        std::fs::write(t.path().join("a/b/f"), b"x").unwrap();
        std::fs::set_permissions(t.path().join("a/b/f"), PermissionsExt::from_mode(0o4755))
            .unwrap();
        std::os::unix::fs::symlink("/etc/passwd", t.path().join("a/l")).unwrap();
        // As root the owner really moves; otherwise the caller's id maps onto itself.
        let to = if own == 0 { 100_000 } else { own };
        let map = [IdMap {
            inside: own,
            outside: to,
            count: 1,
        }];
        shift_tree(t.path(), &map, &[]).unwrap();
        let f = std::fs::metadata(t.path().join("a/b/f")).unwrap();
        assert_eq!(f.uid(), to);
        assert_eq!(f.mode() & 0o7777, 0o4755);
        assert_eq!(std::fs::metadata(t.path().join("a")).unwrap().uid(), to);
        // The symlink itself moved; its target did not.
        assert_eq!(
            std::fs::symlink_metadata(t.path().join("a/l"))
                .unwrap()
                .uid(),
            to
        );
        assert_eq!(std::fs::metadata("/etc/passwd").unwrap().uid(), 0);
    }
}
