//! The store's write protocol (SECURITY.md I9): stage on the same filesystem, fsync, rename into
//! place, fsync the parent. Deletion renames into trash/ first, so it needs no free space.
//!
//! A staging area holds a lock for as long as it is in use; cleanup removes only areas whose
//! owner is gone, so a crashed or SIGKILLed command leaves nothing a retry trips over.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result};

use super::lock::{self, Lock};

/// A name nobody else will pick: pid, time and a counter.
pub fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}-{:x}-{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// fsyncs a directory so a rename inside it is durable.
pub fn fsync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("syncing directory {}", dir.display()))
}

/// Writes `bytes` to `path` atomically: a temp file beside it, fsync, rename, fsync the parent.
pub fn write_file(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let parent = path.parent().context("atomic write target has no parent")?;
    let tmp = parent.join(format!(".tmp-{}", unique_name()));
    let result = (|| -> Result<()> {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&tmp)
            .with_context(|| format!("creating {}", tmp.display()))?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .with_context(|| format!("writing {}", tmp.display()))?;
        fs::rename(&tmp, path).with_context(|| format!("renaming into {}", path.display()))?;
        fsync_dir(parent)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A private directory under the store's tmp/, removed on drop unless its contents were
/// committed. While it exists its lock is held, so cleanup never removes it under us.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    lock_path: PathBuf,
    _lock: Lock,
}

impl Staging {
    /// Creates a staging directory in `tmp` (which must be on the store's filesystem).
    pub fn new(tmp: &Path) -> Result<Staging> {
        // The lock file must still be linked once we hold it (see Lock::is_linked_at): a
        // concurrent clean_tmp may take it for stale between our open and our flock, and then
        // our directory, left without a lock file, would look abandoned to the next cleanup.
        let (name, lock_path, lock) = (0..8)
            .find_map(|_| {
                let name = unique_name();
                let lock_path = tmp.join(format!("{name}.lock"));
                match lock::try_exclusive(&lock_path) {
                    Ok(Some(l)) if l.is_linked_at(&lock_path) => Some(Ok((name, lock_path, l))),
                    Ok(_) => None,
                    Err(e) => Some(Err(e)),
                }
            })
            .context("could not create a staging area: its lock kept being cleaned away")??;
        let dir = tmp.join(&name);
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .with_context(|| format!("creating staging directory {}", dir.display()))?;
        Ok(Staging {
            dir,
            lock_path,
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// A fresh path inside the staging directory.
    pub fn entry(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Whatever was not renamed out is abandoned work. Failing here leaves the directory for
        // the next cleanup, which is safe: its lock dies with us.
        let _ = fs::remove_dir_all(&self.dir);
        let _ = fs::remove_file(&self.lock_path);
    }
}

/// Removes staging areas whose owners are gone (their lock is free). Call under the store lock.
/// Returns the paths that could not be removed (a rootless store may need a user namespace).
pub fn clean_tmp(tmp: &Path) -> Vec<PathBuf> {
    let mut leftovers = Vec::new();
    let Ok(entries) = fs::read_dir(tmp) else {
        return leftovers;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(base) = name.strip_suffix(".lock") else {
            // An area without a lock is abandoned (its lock may have been removed just above).
            if !tmp.join(format!("{name}.lock")).exists() && !leftovers.contains(&path) {
                leftovers.push(path);
            }
            continue;
        };
        if let Ok(Some(_stale)) = lock::try_exclusive(&path) {
            let dir = tmp.join(base);
            if dir.exists() && !leftovers.contains(&dir) {
                leftovers.push(dir);
            }
            let _ = fs::remove_file(&path);
        }
    }
    leftovers
}

/// Moves `path` into `trash` (a rename: no space needed) and returns where it went.
pub fn move_to_trash(path: &Path, trash: &Path) -> Result<PathBuf> {
    let dest = trash.join(unique_name());
    fs::rename(path, &dest)
        .with_context(|| format!("moving {} to {}", path.display(), trash.display()))?;
    Ok(dest)
}

/// Creates `dir` (and parents) with mode 0700 if missing.
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("creating directory {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_file_replaces_atomically() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        write_file(&p, b"one", 0o600).unwrap();
        write_file(&p, b"two", 0o600).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(
            fs::read_dir(d.path()).unwrap().count(),
            1,
            "temp file left behind"
        );
    }

    #[test]
    fn staging_is_removed_on_drop_and_protected_while_alive() {
        let d = tempfile::tempdir().unwrap();
        let s = Staging::new(d.path()).unwrap();
        fs::write(s.entry("x"), b"x").unwrap();
        assert!(clean_tmp(d.path()).is_empty());
        assert!(s.path().exists(), "cleanup removed a live staging area");
        let p = s.path().to_path_buf();
        drop(s);
        assert!(!p.exists());
    }

    #[test]
    fn clean_tmp_reports_abandoned_dirs() {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir(d.path().join("123-abc-0")).unwrap();
        fs::write(d.path().join("123-abc-0.lock"), b"").unwrap();
        let left = clean_tmp(d.path());
        assert_eq!(left, vec![d.path().join("123-abc-0")]);
        assert!(!d.path().join("123-abc-0.lock").exists());
    }
}
