//! `logs`: a container's output from the json-file log its monitor writes, stdout and stderr
//! kept apart, with `--tail`, `--since`, `--until`, `-t` and `-f`.

use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::context::Context;
use crate::error;
use crate::storage::Store;
use crate::storage::container::{self as records, ContainerId};

/// Options for [`logs`].
#[derive(Debug, Default)]
pub struct LogsOptions {
    pub target: String,
    pub follow: bool,
    /// Only the last N entries.
    pub tail: Option<usize>,
    pub timestamps: bool,
    pub since: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawEntry {
    log: String,
    stream: String,
    time: String,
}

#[derive(Debug)]
struct Entry {
    log: String,
    stream: String,
    time: DateTime<Utc>,
}

impl Entry {
    fn parse(line: &[u8]) -> Option<Entry> {
        let raw: RawEntry = serde_json::from_slice(line).ok()?;
        Some(Entry {
            time: DateTime::parse_from_rfc3339(&raw.time)
                .ok()?
                .with_timezone(&Utc),
            log: raw.log,
            stream: raw.stream,
        })
    }
}

/// Writes the container's log entries to `out` and `err` by stream.
pub fn logs(
    ctx: &Context,
    opts: &LogsOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let now = Utc::now();
    let since = opts
        .since
        .as_deref()
        .map(|s| parse_time(s, now))
        .transpose()?;
    let until = opts
        .until
        .as_deref()
        .map(|s| parse_time(s, now))
        .transpose()?;
    let store = Store::open(ctx)?;
    let dirs = store.containers();
    let id = dirs.resolve(&opts.target)?;
    let config = dirs.read_config(&id)?;
    if config.log_driver == "none" {
        bail!(error::invalid(format!(
            "container {} has log driver none: it keeps no log",
            config.name
        )));
    }
    let path = dirs.dir(&id).join(records::LOG);
    let keep = |e: &Entry| since.is_none_or(|s| e.time >= s) && until.is_none_or(|u| e.time <= u);
    let mut entries: Vec<Entry> = Vec::new();
    // The newest file, and how far it was read: following goes on from exactly there.
    let mut last: Option<(File, u64)> = None;
    for file in log_files(&path, config.log_max_files) {
        let Ok(mut f) = File::open(&file) else {
            continue;
        };
        let used = read_entries(BufReader::new(&mut f), |e| {
            if keep(&e) {
                entries.push(e);
            }
        });
        last = Some((f, used));
    }
    if let Some(n) = opts.tail {
        let skip = entries.len().saturating_sub(n);
        entries.drain(..skip);
    }
    for e in &entries {
        emit(e, opts.timestamps, out, err)?;
    }
    if opts.follow && until.is_none_or(|u| u > now) {
        let mut print = |f: &mut File, pos: &mut u64| -> Result<()> {
            f.seek(SeekFrom::Start(*pos))
                .with_context(|| format!("reading {}", path.display()))?;
            let mut failed = None;
            *pos += read_entries(BufReader::new(&mut *f), |e| {
                if failed.is_none() && keep(&e) {
                    failed = emit(&e, opts.timestamps, out, err).err();
                }
            });
            failed.map_or(Ok(()), Err)
        };
        follow(&dirs, &id, &path, last, config.log_max_files, &mut print)?;
    }
    Ok(())
}

/// The log's files, oldest first: ctr.log.N-1 … ctr.log.1, ctr.log.
fn log_files(path: &Path, max_files: u32) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = (1..max_files.max(1))
        .rev()
        .map(|n| PathBuf::from(format!("{}.{n}", path.display())))
        .collect();
    files.push(path.to_path_buf());
    files
}

/// Parses complete lines; a line that is not an entry (a torn last line) is skipped.
fn read_entries(mut r: impl BufRead, mut each: impl FnMut(Entry)) -> u64 {
    let mut consumed = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        match r.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return consumed,
            Ok(n) if line.last() == Some(&b'\n') => {
                consumed += n as u64;
                if let Some(e) = Entry::parse(&line) {
                    each(e);
                }
            }
            // A line still being written: read it whole next time.
            Ok(_) => return consumed,
        }
    }
}

fn emit(e: &Entry, timestamps: bool, out: &mut dyn Write, err: &mut dyn Write) -> Result<()> {
    let w: &mut dyn Write = if e.stream == "stderr" { err } else { out };
    if timestamps {
        write!(
            w,
            "{} ",
            e.time.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
        )?;
    }
    w.write_all(e.log.as_bytes())?;
    w.flush()?;
    Ok(())
}

/// Prints entries appended to the log (`current`: the file being read and how far) until the
/// container's monitor is done and the log has been read to its end. Rotation is followed: the
/// file being read is finished through its open descriptor, then the newer files of the chain
/// are read from their start.
fn follow(
    dirs: &records::ContainerDirs,
    id: &ContainerId,
    path: &Path,
    mut current: Option<(File, u64)>,
    max_files: u32,
    print: &mut dyn FnMut(&mut File, &mut u64) -> Result<()>,
) -> Result<()> {
    let boot = records::boot_id();
    loop {
        // Read the state before the files: whatever was written before the monitor finished
        // is then read before we stop.
        let active = dirs.read_state(id).is_active(&boot);
        if let Some((f, pos)) = &mut current {
            print(f, pos)?;
        }
        let held = current
            .as_ref()
            .and_then(|(f, _)| f.metadata().ok())
            .map(|m| m.ino());
        let linked = std::fs::metadata(path).map(|m| m.ino()).ok();
        if held != linked {
            // Rotated since we opened it: read every newer file of the chain whole.
            let chain = log_files(path, max_files);
            let newer_from = chain
                .iter()
                .position(|p| held.is_some() && std::fs::metadata(p).map(|m| m.ino()).ok() == held)
                .map_or(0, |i| i + 1);
            current = None;
            for p in &chain[newer_from..] {
                if let Ok(mut f) = File::open(p) {
                    let mut pos = 0;
                    print(&mut f, &mut pos)?;
                    current = Some((f, pos));
                }
            }
        }
        if !active || !dirs.dir(id).exists() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `--since`/`--until`: RFC 3339, a Unix timestamp, or a duration before now (`10s`, `5m`,
/// `1h30m`).
pub(crate) fn parse_time(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let bad = || {
        error::invalid(format!(
            "invalid time {s:?}: use RFC 3339, a Unix timestamp or a duration such as 10m"
        ))
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(secs) = s.parse::<f64>() {
        let whole = secs.trunc() as i64;
        let nanos = ((secs.fract()) * 1e9) as u32;
        return DateTime::from_timestamp(whole, nanos).ok_or_else(bad);
    }
    let mut total = Duration::ZERO;
    let mut num = String::new();
    let mut any = false;
    for c in s.chars() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600.0,
            'm' => 60.0,
            's' => 1.0,
            _ => return Err(bad()),
        };
        let n: f64 = num.parse().map_err(|_| bad())?;
        total += Duration::from_secs_f64(n * unit);
        num.clear();
        any = true;
    }
    if !any || !num.is_empty() {
        return Err(bad());
    }
    Ok(now - chrono::Duration::from_std(total).map_err(|_| bad())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_like_docker() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:10:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let at = |s: &str| parse_time(s, now).unwrap().to_rfc3339();
        assert_eq!(at("10s"), "2026-01-01T00:09:50+00:00");
        assert_eq!(at("1m30s"), "2026-01-01T00:08:30+00:00");
        assert_eq!(at("2026-01-01T00:00:00Z"), "2026-01-01T00:00:00+00:00");
        assert_eq!(at("1767225600"), "2026-01-01T00:00:00+00:00");
        for bad in ["", "10x", "m", "yesterday", "5d"] {
            assert!(parse_time(bad, now).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_torn_last_line_is_left_for_later() {
        let data = b"{\"log\":\"a\\n\",\"stream\":\"stdout\",\"time\":\"2026-01-01T00:00:00Z\"}\n{\"log\":\"b";
        let mut got = Vec::new();
        let used = read_entries(&data[..], |e| got.push(e.log));
        assert_eq!(got, ["a\n"]);
        assert_eq!(
            used as usize,
            data.iter().position(|&b| b == b'\n').unwrap() + 1
        );
    }
}
