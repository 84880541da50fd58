//! The mount points layer of an image's layer stack: the directories and files every container
//! mounts something on (`/proc`, `/sys`, `/dev`, `/etc/hosts`, `/etc/hostname`,
//! `/etc/resolv.conf`) that the image itself lacks, made once per stack and stacked as the top
//! lower layer (Docker's "init layer", shared instead of made per container).
//!
//! Without it, a minimal image (a static binary in `/bin`) makes every start create these in
//! the container's upper directory through the overlay, and every `--rm` remove them again:
//! on a disk mounted with `discard`, each removed directory is a synchronous discard.
//!
//! The layer only ever adds what no layer of the stack has at all (no entry, no whiteout), so
//! it can hide nothing of the image; `/etc`'s files are added only when the stack has no
//! `/etc` either. Its root takes the mode of the image's top layer root, which overlay shows as
//! the container's `/`; when that root has an owner we cannot give ours (rootless, a root owned
//! by another id), the layer stays empty. An empty layer is left out of the stack, and the
//! runtime creates whatever is still missing in the upper directory, as before.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::atomic;

/// The mount points layer's name inside the top layer's directory (beside `diff`).
pub const MOUNT_POINTS: &str = "mountpoints";

/// Top-level directories the runtime mounts on.
const DIRS: [&str; 3] = ["proc", "sys", "dev"];
/// Files in `/etc` the runtime binds its own copies over.
const ETC_FILES: [&str; 3] = ["hosts", "hostname", "resolv.conf"];

/// The mount points layer of the stack whose layer directories are `layers` (lowest first),
/// kept in `top_dir` (the top layer's directory), made now if missing, with `tmp` on the same
/// file system for staging. `None` when it is empty (the image has every mount point) or
/// cannot be made: the runtime then creates what is missing in the upper directory.
pub fn layer(layers: &[PathBuf], top_dir: &Path, tmp: &Path) -> Option<PathBuf> {
    let path = top_dir.join(MOUNT_POINTS);
    // Every entry of the layer is a directory (`etc` holds the files), so a directory with
    // more than two links has entries: one statx on the hot path.
    match fs::symlink_metadata(&path) {
        Ok(m) if m.is_dir() => return (m.nlink() > 2).then_some(path),
        Ok(_) => return None,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => {
            log::debug!("{}: {e}", path.display());
            return None;
        }
    }
    match make(layers, &path, tmp) {
        Ok(used) => used.then_some(path),
        Err(e) => {
            log::debug!("making the mount points layer {}: {e:#}", path.display());
            None
        }
    }
}

/// What the layer must hold for `layers`: the top-level directories no layer has, and
/// whether `/etc` (with its files) is missing from every layer.
fn missing(layers: &[PathBuf]) -> (Vec<&'static str>, bool) {
    let absent = |name: &str| {
        layers.iter().all(|l| {
            matches!(fs::symlink_metadata(l.join(name)), Err(e) if e.kind() == io::ErrorKind::NotFound)
        })
    };
    let dirs = DIRS.into_iter().filter(|d| absent(d)).collect();
    (dirs, absent("etc"))
}

/// Makes the layer at `path` (staged in `tmp`, renamed into place); true when it has entries.
fn make(layers: &[PathBuf], path: &Path, tmp: &Path) -> Result<bool> {
    let top = layers.last().context("an image without layers")?;
    let root = fs::symlink_metadata(top).with_context(|| format!("reading {}", top.display()))?;
    let ours = (root.uid(), root.gid())
        == (
            nix::unistd::geteuid().as_raw(),
            nix::unistd::getegid().as_raw(),
        );
    let (dirs, etc) = if ours {
        missing(layers)
    } else {
        (Vec::new(), false)
    };
    let staged = tmp.join(format!("mountpoints-{}", atomic::unique_name()));
    let build = || -> Result<()> {
        let mut b = fs::DirBuilder::new();
        b.mode(0o755);
        b.create(&staged)?;
        for d in &dirs {
            b.create(staged.join(d))?;
        }
        if etc {
            b.create(staged.join("etc"))?;
            for f in ETC_FILES {
                fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o644)
                    .open(staged.join("etc").join(f))?;
            }
        }
        // Overlay shows the top layer's root as the container's `/`: keep the image's mode.
        fs::set_permissions(&staged, fs::Permissions::from_mode(root.mode() & 0o7777))?;
        Ok(())
    };
    let built = build().with_context(|| format!("staging {}", staged.display()));
    let placed = built.and_then(|()| {
        fs::rename(&staged, path).or_else(|e| match e.raw_os_error() {
            // Another start made it first: theirs is the same.
            Some(libc::EEXIST) | Some(libc::ENOTEMPTY) => Ok(()),
            _ => Err(e).with_context(|| format!("renaming it to {}", path.display())),
        })
    });
    if staged.exists() {
        let _ = fs::remove_dir_all(&staged);
    }
    placed?;
    Ok(!dirs.is_empty() || etc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(dir: &Path, layers: &[&[&str]]) -> Vec<PathBuf> {
        layers
            .iter()
            .enumerate()
            .map(|(i, entries)| {
                let l = dir.join(format!("l{i}"));
                fs::create_dir_all(&l).unwrap();
                for e in *entries {
                    if let Some(d) = e.strip_suffix('/') {
                        fs::create_dir_all(l.join(d)).unwrap();
                    } else {
                        fs::write(l.join(e), "").unwrap();
                    }
                }
                l
            })
            .collect()
    }

    #[test]
    fn a_minimal_image_gets_every_mount_point_once() {
        let dir = tempfile::tempdir().unwrap();
        let layers = stack(dir.path(), &[&["bin/"]]);
        let top = dir.path().join("top");
        fs::create_dir(&top).unwrap();
        let l = layer(&layers, &top, dir.path()).expect("a layer");
        for d in ["proc", "sys", "dev", "etc"] {
            assert!(l.join(d).is_dir(), "{d}");
        }
        for f in ETC_FILES {
            assert!(l.join("etc").join(f).is_file(), "{f}");
        }
        assert_eq!(layer(&layers, &top, dir.path()), Some(l));
    }

    #[test]
    fn nothing_the_image_has_is_added_or_hidden() {
        let dir = tempfile::tempdir().unwrap();
        // /etc is a file in the lower layer and /dev a whiteout-like entry in the upper one:
        // neither may be covered.
        let layers = stack(dir.path(), &[&["etc", "proc/"], &["dev"]]);
        let top = dir.path().join("top");
        fs::create_dir(&top).unwrap();
        let l = layer(&layers, &top, dir.path()).expect("a layer");
        let mut names: Vec<String> = fs::read_dir(&l)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["sys"]);
    }

    #[test]
    fn a_complete_image_gets_no_layer() {
        let dir = tempfile::tempdir().unwrap();
        let layers = stack(dir.path(), &[&["proc/", "sys/", "dev/", "etc/"]]);
        let top = dir.path().join("top");
        fs::create_dir(&top).unwrap();
        assert_eq!(layer(&layers, &top, dir.path()), None);
        assert!(
            top.join(MOUNT_POINTS).is_dir(),
            "made once, found empty next time"
        );
        assert_eq!(layer(&layers, &top, dir.path()), None);
    }

    #[test]
    fn the_root_keeps_the_images_mode() {
        let dir = tempfile::tempdir().unwrap();
        let layers = stack(dir.path(), &[&["bin/"]]);
        fs::set_permissions(&layers[0], fs::Permissions::from_mode(0o750)).unwrap();
        let top = dir.path().join("top");
        fs::create_dir(&top).unwrap();
        let l = layer(&layers, &top, dir.path()).expect("a layer");
        assert_eq!(fs::metadata(&l).unwrap().mode() & 0o7777, 0o750);
    }
}
