//! Kernel file locks (SECURITY.md I10): released when the holder dies, waited for with a
//! timeout, and a waiter learns who holds the lock.
//!
//! Lock order: store → image → container. Only the store lock exists so far.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};

/// How long a command waits for another berth process before giving up.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct Lock {
    file: Flock<File>,
}

impl Lock {
    /// True while the locked file is still the one linked at `path`. A cleaner may unlink a
    /// lock file it found free in the instant between our open and our flock; a lock on the
    /// unlinked file then protects nothing.
    pub fn is_linked_at(&self, path: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        match (self.file.metadata(), std::fs::symlink_metadata(path)) {
            (Ok(held), Ok(linked)) => held.dev() == linked.dev() && held.ino() == linked.ino(),
            _ => false,
        }
    }
}

/// Opens (creating) a lock file without following symlinks (I18).
fn open(path: &Path) -> Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
        .with_context(|| format!("opening lock file {}", path.display()))
}

/// Opens an existing directory to lock it, without following symlinks (I18): a directory
/// that is its own lock costs no inode of its own.
fn open_dir(path: &Path) -> Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_DIRECTORY)
        .open(path)
        .with_context(|| format!("opening {} to lock it", path.display()))
}

/// Takes `path` exclusively, waiting up to `timeout`. The lock file stays empty: a waiter
/// learns the holder from the kernel's lock table, so taking a lock writes nothing (on a disk
/// mounted with `discard`, truncating the file cost a synchronous discard per lock).
pub fn exclusive(path: &Path, timeout: Duration) -> Result<Lock> {
    acquire(path, open(path)?, timeout)
}

/// [`exclusive`] on the existing directory `path` itself.
pub fn exclusive_dir(path: &Path, timeout: Duration) -> Result<Lock> {
    acquire(path, open_dir(path)?, timeout)
}

fn acquire(path: &Path, file: File, timeout: Duration) -> Result<Lock> {
    let started = Instant::now();
    let mut file = file;
    let mut delay = Duration::from_millis(1);
    loop {
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(held) => return Ok(Lock { file: held }),
            Err((f, Errno::EWOULDBLOCK)) | Err((f, Errno::EINTR)) => {
                file = f;
                if started.elapsed() >= timeout {
                    bail!(
                        "waiting for lock {}: timed out after {}s; held by {}",
                        path.display(),
                        timeout.as_secs(),
                        holder(&file)
                    );
                }
                if started.elapsed() > Duration::from_secs(2) && delay < Duration::from_millis(100)
                {
                    log::info!("waiting for lock held by {}", holder(&file));
                }
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_millis(100));
            }
            Err((_, e)) => return Err(e).with_context(|| format!("locking {}", path.display())),
        }
    }
}

/// Takes `path` exclusively if nobody holds it; `None` when it is held.
pub fn try_exclusive(path: &Path) -> Result<Option<Lock>> {
    try_acquire(path, open(path)?)
}

/// [`try_exclusive`] on the existing directory `path` itself.
pub fn try_exclusive_dir(path: &Path) -> Result<Option<Lock>> {
    try_acquire(path, open_dir(path)?)
}

fn try_acquire(path: &Path, file: File) -> Result<Option<Lock>> {
    match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(held) => Ok(Some(Lock { file: held })),
        Err((_, Errno::EWOULDBLOCK)) => Ok(None),
        Err((_, e)) => Err(e).with_context(|| format!("locking {}", path.display())),
    }
}

/// Who holds the flock on `file`, from /proc/locks (as lslocks does): "pid N (command)".
fn holder(file: &File) -> String {
    use std::os::unix::fs::MetadataExt;
    let unknown = || "another process".to_string();
    let Ok(meta) = file.metadata() else {
        return unknown();
    };
    let Ok(table) = std::fs::read_to_string("/proc/locks") else {
        return unknown();
    };
    match holder_pid(&table, meta.dev(), meta.ino()) {
        Some(pid) => format!("pid {pid} ({})", command_line(pid)),
        None => unknown(),
    }
}

/// The pid holding a FLOCK on device `dev`, inode `ino` in a /proc/locks `table`. Lines of
/// waiters ("->") are skipped; a pid of 0 (a holder outside our pid namespace) is no answer.
fn holder_pid(table: &str, dev: u64, ino: u64) -> Option<u32> {
    let want = format!(
        "{:02x}:{:02x}:{ino}",
        nix::sys::stat::major(dev),
        nix::sys::stat::minor(dev)
    );
    table.lines().find_map(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"
        if f.get(1) != Some(&"FLOCK") || f.get(5) != Some(&want.as_str()) {
            return None;
        }
        f.get(4)?.parse().ok().filter(|&p| p != 0)
    })
}

fn command_line(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| {
            b.split(|&c| c == 0)
                .filter(|a| !a.is_empty())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_times_out_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l");
        let _held = exclusive(&p, LOCK_TIMEOUT).unwrap();
        assert!(try_exclusive(&p).unwrap().is_none());
        let err = exclusive(&p, Duration::from_millis(50)).unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
    }

    #[test]
    fn a_lock_writes_nothing_into_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l");
        let _held = exclusive(&p, LOCK_TIMEOUT).unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().len(), 0);
    }

    #[test]
    fn the_holder_is_found_in_the_lock_table() {
        let table = "1: POSIX  ADVISORY  WRITE 77 fd:01:42 0 EOF\n\
                     2: FLOCK  ADVISORY  WRITE 0 fd:01:42 0 EOF\n\
                     3: FLOCK  ADVISORY  WRITE 88 fd:01:43 0 EOF\n\
                     3: -> FLOCK  ADVISORY  WRITE 99 fd:01:42 0 EOF\n\
                     4: FLOCK  ADVISORY  WRITE 1234 fd:01:42 0 EOF\n";
        let dev = nix::sys::stat::makedev(0xfd, 1);
        assert_eq!(holder_pid(table, dev, 42), Some(1234));
        assert_eq!(holder_pid(table, dev, 44), None);
    }

    #[test]
    fn a_directory_is_its_own_lock() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("c");
        std::fs::create_dir(&d).unwrap();
        let held = exclusive_dir(&d, LOCK_TIMEOUT).unwrap();
        assert!(try_exclusive_dir(&d).unwrap().is_none());
        assert!(held.is_linked_at(&d));
        std::fs::rename(&d, dir.path().join("moved")).unwrap();
        assert!(
            !held.is_linked_at(&d),
            "a moved directory no longer guards its old path"
        );
        drop(held);
        assert!(
            try_exclusive_dir(&dir.path().join("moved"))
                .unwrap()
                .is_some()
        );
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(dir.path().join("moved"), &link).unwrap();
        assert!(exclusive_dir(&link, LOCK_TIMEOUT).is_err());
    }

    #[test]
    fn lock_is_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l");
        drop(exclusive(&p, LOCK_TIMEOUT).unwrap());
        assert!(try_exclusive(&p).unwrap().is_some());
    }

    #[test]
    fn lock_file_symlink_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l");
        std::os::unix::fs::symlink(dir.path().join("target"), &p).unwrap();
        assert!(exclusive(&p, LOCK_TIMEOUT).is_err());
        assert!(!dir.path().join("target").exists());
    }
}
