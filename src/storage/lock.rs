//! Kernel file locks (SECURITY.md I10): released when the holder dies, waited for with a
//! timeout, and a waiter learns who holds the lock.
//!
//! Lock order: store → image → container. Only the store lock exists so far.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
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

/// Takes `path` exclusively, waiting up to `timeout`; records our pid and command in the file.
pub fn exclusive(path: &Path, timeout: Duration) -> Result<Lock> {
    let started = Instant::now();
    let mut file = open(path)?;
    let mut delay = Duration::from_millis(1);
    loop {
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(mut held) => {
                // Best effort: a waiter reads this to say who it waits for.
                let me = format!("{} {}", std::process::id(), command_line());
                let _ = held.set_len(0);
                let _ = held.rewind();
                let _ = held.write_all(me.as_bytes());
                return Ok(Lock { file: held });
            }
            Err((f, Errno::EWOULDBLOCK)) | Err((f, Errno::EINTR)) => {
                file = f;
                if started.elapsed() >= timeout {
                    bail!(
                        "waiting for lock {}: timed out after {}s; held by {}",
                        path.display(),
                        timeout.as_secs(),
                        holder(&mut file)
                    );
                }
                if started.elapsed() > Duration::from_secs(2) && delay < Duration::from_millis(100)
                {
                    log::info!("waiting for lock held by {}", holder(&mut file));
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
    let file = open(path)?;
    match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(held) => Ok(Some(Lock { file: held })),
        Err((_, Errno::EWOULDBLOCK)) => Ok(None),
        Err((_, e)) => Err(e).with_context(|| format!("locking {}", path.display())),
    }
}

fn holder(file: &mut File) -> String {
    let mut s = String::new();
    let _ = file.rewind();
    let _ = file.take(512).read_to_string(&mut s);
    match s.split_once(' ') {
        Some((pid, cmd)) => format!("pid {pid} ({cmd})"),
        None => "another process".to_string(),
    }
}

fn command_line() -> String {
    std::fs::read("/proc/self/cmdline")
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
