//! The event log: what happened to containers (and later images), for `berth events`, with no
//! daemon to ask. Every berth process that changes something appends one JSON line to
//! `<runroot>/events/events.log` (O_APPEND: a line is one write(2), so concurrent writers never
//! interleave within a line). The log is bounded: a writer that pushes it past [`MAX_BYTES`]
//! renames it to `events.log.1` (replacing the older one), under `events/lock`, so at most two
//! files of [`MAX_BYTES`] each exist. Readers read `events.log.1`, then `events.log`.
//!
//! The run dir is a tmpfs that a reboot empties, as Docker's in-memory event buffer would be;
//! nothing is fsynced.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use super::atomic;
use super::lock;

/// Where a log file is rotated.
pub const MAX_BYTES: u64 = 1 << 20;
/// The longest line a reader accepts; longer ones (not written by berth) are skipped.
const MAX_LINE: usize = 64 << 10;

/// One event, as stored: Docker's message fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// `container` or `image`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// `create`, `start`, `die`, …
    #[serde(rename = "Action")]
    pub action: String,
    /// The object's full id.
    #[serde(rename = "ID")]
    pub id: String,
    /// `name`, `image`, `exitCode`, `signal`, …
    #[serde(rename = "Attributes", default)]
    pub attributes: BTreeMap<String, String>,
    /// Nanoseconds since the Unix epoch.
    #[serde(rename = "TimeNano")]
    pub time_nano: i64,
}

/// The event log of one run dir.
#[derive(Debug, Clone)]
pub struct EventLog {
    dir: PathBuf,
}

impl EventLog {
    pub fn new(runroot: &Path) -> EventLog {
        EventLog {
            dir: runroot.join("events"),
        }
    }

    /// The directory holding the log (watched by followers).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file being appended to.
    pub fn current(&self) -> PathBuf {
        self.dir.join("events.log")
    }

    /// The rotated file, older than [`EventLog::current`].
    pub fn previous(&self) -> PathBuf {
        self.dir.join("events.log.1")
    }

    /// Appends `event` as one line, creating the log on first use, and rotates the log when
    /// it has grown past [`MAX_BYTES`].
    pub fn append(&self, event: &Event) -> Result<()> {
        let mut line = serde_json::to_vec(event).context("encoding an event")?;
        line.push(b'\n');
        let open = || {
            OpenOptions::new()
                .append(true)
                .create(true)
                .mode(0o600)
                .custom_flags(libc::O_CLOEXEC)
                .open(self.current())
        };
        let mut f = match open() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                atomic::ensure_private_dir(&self.dir)?;
                open()
            }
            r => r,
        }
        .with_context(|| format!("opening {}", self.current().display()))?;
        f.write_all(&line)
            .with_context(|| format!("appending to {}", self.current().display()))?;
        let size = f.metadata().map(|m| m.len()).unwrap_or(0);
        if size > MAX_BYTES {
            self.rotate(&f)?;
        }
        Ok(())
    }

    /// Renames the full log `written` aside, unless another writer did so already.
    fn rotate(&self, written: &File) -> Result<()> {
        let _lock = lock::exclusive(&self.dir.join("lock"), std::time::Duration::from_secs(10))?;
        let held = written.metadata()?.ino();
        if fs::metadata(self.current()).map(|m| m.ino()).ok() == Some(held) {
            fs::rename(self.current(), self.previous())
                .with_context(|| format!("rotating {}", self.current().display()))?;
        }
        Ok(())
    }

    /// Every event in the log, oldest first.
    pub fn read_all(&self) -> Vec<Event> {
        let mut events = Vec::new();
        for p in [self.previous(), self.current()] {
            if let Ok(f) = File::open(&p) {
                read_lines(BufReader::new(f), |e| events.push(e));
            }
        }
        events
    }
}

/// Calls `each` for every whole, well-formed line of `r`; returns how many bytes the whole
/// lines took (a torn last line, still being written, is left for the next read).
pub fn read_lines(mut r: impl BufRead, mut each: impl FnMut(Event)) -> u64 {
    let mut used = 0;
    let mut line = Vec::new();
    loop {
        line.clear();
        match (&mut r)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
        {
            Ok(0) | Err(_) => return used,
            Ok(n) => {
                if line.last() != Some(&b'\n') {
                    if n > MAX_LINE {
                        // Not a berth line: skip to its end.
                        let mut rest = Vec::new();
                        match r.read_until(b'\n', &mut rest) {
                            Ok(m) if rest.last() == Some(&b'\n') => used += (n + m) as u64,
                            _ => return used,
                        }
                        continue;
                    }
                    return used;
                }
                used += n as u64;
                if let Ok(e) = serde_json::from_slice::<Event>(&line) {
                    each(e);
                }
            }
        }
    }
}

/// An open log file and how far it has been read: for followers.
#[derive(Debug)]
pub struct Cursor {
    file: File,
    pos: u64,
}

impl Cursor {
    /// Opens `path` positioned at its end, or `None` when it does not exist.
    pub fn at_end(path: &Path) -> Option<Cursor> {
        let mut file = File::open(path).ok()?;
        let pos = file.seek(SeekFrom::End(0)).ok()?;
        Some(Cursor { file, pos })
    }

    /// Opens `path` at its start.
    pub fn at_start(path: &Path) -> Option<Cursor> {
        Some(Cursor {
            file: File::open(path).ok()?,
            pos: 0,
        })
    }

    /// The inode of the open file.
    pub fn ino(&self) -> Option<u64> {
        self.file.metadata().ok().map(|m| m.ino())
    }

    /// Calls `each` for every whole line written since the last read.
    pub fn read_new(&mut self, each: impl FnMut(Event)) -> Result<()> {
        self.file.seek(SeekFrom::Start(self.pos))?;
        let used = read_lines(BufReader::new(&self.file), each);
        self.pos += used;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str, n: i64) -> Event {
        Event {
            kind: "container".into(),
            action: action.into(),
            id: "a".repeat(64),
            attributes: BTreeMap::from([("name".to_string(), "web".to_string())]),
            time_nano: n,
        }
    }

    #[test]
    fn appends_reads_and_rotates_within_bounds() {
        let tmp = tempfile::tempdir().unwrap();
        let log = EventLog::new(tmp.path());
        assert!(log.read_all().is_empty());
        log.append(&event("create", 1)).unwrap();
        log.append(&event("start", 2)).unwrap();
        let all = log.read_all();
        assert_eq!(all, vec![event("create", 1), event("start", 2)]);
        // Enough events to rotate twice: at most two files, both bounded, newest kept.
        let line = serde_json::to_vec(&event("die", 0)).unwrap().len() as u64 + 1;
        let n = (2 * MAX_BYTES / line + 10) as i64;
        for i in 0..n {
            log.append(&event("die", 10 + i)).unwrap();
        }
        assert!(fs::metadata(log.previous()).unwrap().len() <= MAX_BYTES + line);
        assert!(fs::metadata(log.current()).unwrap().len() <= MAX_BYTES + line);
        let all = log.read_all();
        assert_eq!(all.last().unwrap().time_nano, 10 + n - 1);
        assert!(all.windows(2).all(|w| w[0].time_nano < w[1].time_nano));
    }

    #[test]
    fn torn_and_foreign_lines_are_skipped() {
        let mut text = serde_json::to_vec(&event("create", 1)).unwrap();
        text.extend_from_slice(b"\nnot json\n");
        text.extend(std::iter::repeat_n(b'x', MAX_LINE + 10));
        text.push(b'\n');
        let whole = text.len() as u64;
        text.extend_from_slice(br#"{"Type":"container","Act"#);
        let mut seen = Vec::new();
        let used = read_lines(&text[..], |e| seen.push(e));
        assert_eq!(seen, vec![event("create", 1)]);
        assert_eq!(used, whole);
    }

    #[test]
    fn a_cursor_reads_only_what_is_new() {
        let tmp = tempfile::tempdir().unwrap();
        let log = EventLog::new(tmp.path());
        log.append(&event("create", 1)).unwrap();
        let mut c = Cursor::at_end(&log.current()).unwrap();
        log.append(&event("start", 2)).unwrap();
        let mut seen = Vec::new();
        c.read_new(|e| seen.push(e)).unwrap();
        c.read_new(|e| seen.push(e)).unwrap();
        assert_eq!(seen, vec![event("start", 2)]);
    }
}
