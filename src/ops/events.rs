//! `events`: recording what happens to containers, and reading it back with filters, a time
//! window and a follow mode. The log itself is `storage::events`.
//!
//! Recording never fails the operation that happened: an event that cannot be written is a
//! warning (the container was still created, started or removed).

use std::collections::BTreeMap;
use std::os::fd::AsFd;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, Utc};
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};

use crate::context::Context;
use crate::error;
use crate::storage::container::{ContainerConfig, ContainerId};
use crate::storage::events::{Cursor, Event, EventLog};

/// Appends a container event: `action` on container `id`, with its name and image and any
/// `extra` attributes (`exitCode`, `signal`, …).
pub fn container_event(
    ctx: &Context,
    action: &str,
    id: &ContainerId,
    config: &ContainerConfig,
    extra: &[(&str, String)],
) {
    let mut attributes = BTreeMap::from([
        ("name".to_string(), config.name.clone()),
        ("image".to_string(), config.image.clone()),
    ]);
    for (k, v) in extra {
        attributes.insert((*k).to_string(), v.clone());
    }
    let event = Event {
        kind: "container".into(),
        action: action.into(),
        id: id.to_string(),
        attributes,
        time_nano: now_nanos(),
    };
    if let Err(e) = EventLog::new(&ctx.runroot).append(&event) {
        log::warn!(
            "recording the {action} event of container {}: {e:#}",
            id.short()
        );
    }
}

/// The exit code of container `id`'s last recorded `die`, if the log still holds one.
pub fn last_exit_code(ctx: &Context, id: &ContainerId) -> Option<i32> {
    EventLog::new(&ctx.runroot)
        .read_all()
        .into_iter()
        .rev()
        .find(|e| e.kind == "container" && e.action == "die" && e.id == id.as_str())
        .and_then(|e| e.attributes.get("exitCode")?.parse().ok())
}

fn now_nanos() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Options for [`events`].
#[derive(Debug, Default)]
pub struct EventsOptions {
    /// Only events at or after this time (RFC 3339, Unix time, or a duration before now).
    pub since: Option<String>,
    /// Only events before this time; following stops when it is reached.
    pub until: Option<String>,
    /// `KEY=VALUE` filters: container, event, type, image, label.
    pub filters: Vec<String>,
    /// Keep printing new events (until `until`, or for ever).
    pub follow: bool,
}

/// The filter keys `events` knows.
const FILTER_KEYS: &[&str] = &["container", "event", "type", "image", "label"];

/// Parsed `--filter`s: values of one key are alternatives, different keys must all match.
#[derive(Debug, Default)]
struct Filters(BTreeMap<String, Vec<String>>);

impl Filters {
    fn parse(filters: &[String]) -> Result<Filters> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in filters {
            let (k, v) = f.split_once('=').ok_or_else(|| {
                error::invalid(format!("invalid --filter {f:?}: expected KEY=VALUE"))
            })?;
            if !FILTER_KEYS.contains(&k) {
                bail!(error::invalid(format!(
                    "invalid --filter {f:?}: unknown key {k:?} (berth knows {})",
                    FILTER_KEYS.join(", ")
                )));
            }
            map.entry(k.to_string()).or_default().push(v.to_string());
        }
        Ok(Filters(map))
    }

    fn matches(&self, e: &Event) -> bool {
        self.0.iter().all(|(key, values)| {
            values.iter().any(|v| match key.as_str() {
                "container" => {
                    e.kind == "container"
                        && (e.attributes.get("name") == Some(v) || e.id.starts_with(v.as_str()))
                }
                // Docker calls a removal "destroy"; berth records it as "remove", like Podman.
                "event" => e.action == *v || (v == "destroy" && e.action == "remove"),
                "type" => e.kind == *v,
                "image" => e.attributes.get("image").is_some_and(|i| {
                    i == v || i.split_once(':').is_some_and(|(repo, _)| repo == v)
                }),
                "label" => match v.split_once('=') {
                    Some((lk, lv)) => e.attributes.get(lk).is_some_and(|x| x == lv),
                    None => e.attributes.contains_key(v.as_str()),
                },
                _ => false,
            })
        })
    }
}

/// Prints (through `each`) the recorded events that match, oldest first; with `follow`, then
/// every matching new one as it is recorded, until `until` passes or `each` fails (the reader
/// went away). Errors: bad filters or times, an `until` before `since`.
pub fn events(
    ctx: &Context,
    opts: &EventsOptions,
    each: &mut dyn FnMut(&Event) -> Result<()>,
) -> Result<()> {
    let filters = Filters::parse(&opts.filters)?;
    let now = Utc::now();
    let nanos = |t: DateTime<Utc>| t.timestamp_nanos_opt().unwrap_or(i64::MAX);
    let since = opts
        .since
        .as_deref()
        .map(|s| super::logs::parse_time(s, now))
        .transpose()?
        .map(nanos);
    let until = opts
        .until
        .as_deref()
        .map(|s| super::logs::parse_time(s, now))
        .transpose()?
        .map(nanos);
    if let (Some(s), Some(u)) = (since, until)
        && u < s
    {
        bail!(error::invalid("--until is before --since".to_string()));
    }
    let wanted = |e: &Event| {
        since.is_none_or(|s| e.time_nano >= s)
            && until.is_none_or(|u| e.time_nano <= u)
            && filters.matches(e)
    };
    let log = EventLog::new(&ctx.runroot);
    let mut print = |e: Event| -> Result<()> { if wanted(&e) { each(&e) } else { Ok(()) } };
    // Watch before reading, so nothing appended meanwhile is missed.
    let watch = if opts.follow {
        crate::storage::atomic::ensure_private_dir(log.dir())?;
        let inotify = Inotify::init(InitFlags::IN_CLOEXEC | InitFlags::IN_NONBLOCK)
            .context("inotify_init")?;
        inotify
            .add_watch(
                log.dir(),
                AddWatchFlags::IN_MODIFY | AddWatchFlags::IN_CREATE | AddWatchFlags::IN_MOVED_TO,
            )
            .with_context(|| format!("watching {}", log.dir().display()))?;
        Some(inotify)
    } else {
        None
    };
    let mut cursor = Cursor::at_start(&log.current());
    let mut history = Vec::new();
    if let Some(mut old) = Cursor::at_start(&log.previous()) {
        old.read_new(|e| history.push(e))?;
    }
    if let Some(c) = &mut cursor {
        c.read_new(|e| history.push(e))?;
    }
    for e in history {
        print(e)?;
    }
    let Some(inotify) = watch else {
        return Ok(());
    };
    loop {
        let left = match until {
            Some(u) => {
                let left = u.saturating_sub(now_nanos());
                if left <= 0 {
                    return Ok(());
                }
                Duration::from_nanos(u64::try_from(left).unwrap_or(0))
            }
            None => Duration::from_secs(3600),
        };
        let ms = u16::try_from(left.as_millis().clamp(1, 60_000)).unwrap_or(60_000);
        let mut fds = [nix::poll::PollFd::new(
            inotify.as_fd(),
            nix::poll::PollFlags::POLLIN,
        )];
        match nix::poll::poll(&mut fds, nix::poll::PollTimeout::from(ms)) {
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e).context("waiting for events"),
        }
        // Drain the notifications; what changed is read below whatever they said.
        while let Ok(evs) = inotify.read_events() {
            if evs.is_empty() {
                break;
            }
        }
        let mut batch = Vec::new();
        if let Some(c) = &mut cursor {
            c.read_new(|e| batch.push(e))?;
        }
        let linked = std::fs::metadata(log.current())
            .ok()
            .map(|m| std::os::unix::fs::MetadataExt::ino(&m));
        if linked.is_some() && linked != cursor.as_ref().and_then(Cursor::ino) {
            // Rotated (or created): what the old file got last was read above.
            cursor = Cursor::at_start(&log.current());
            if let Some(c) = &mut cursor {
                c.read_new(|e| batch.push(e))?;
            }
        }
        for e in batch {
            print(e)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(action: &str, name: &str, image: &str) -> Event {
        Event {
            kind: "container".into(),
            action: action.into(),
            id: format!("abc{}", "0".repeat(61)),
            attributes: BTreeMap::from([
                ("name".to_string(), name.to_string()),
                ("image".to_string(), image.to_string()),
            ]),
            time_nano: 1,
        }
    }

    fn f(list: &[&str]) -> Filters {
        Filters::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn filters_match_like_docker() {
        let e = ev("die", "web", "busybox:latest");
        assert!(f(&[]).matches(&e));
        assert!(f(&["container=web"]).matches(&e));
        assert!(f(&["container=abc0"]).matches(&e));
        assert!(!f(&["container=db"]).matches(&e));
        assert!(f(&["container=db", "container=web"]).matches(&e));
        assert!(!f(&["container=web", "event=start"]).matches(&e));
        assert!(f(&["event=start", "event=die", "type=container"]).matches(&e));
        assert!(f(&["image=busybox"]).matches(&e));
        assert!(f(&["image=busybox:latest"]).matches(&e));
        assert!(!f(&["image=alpine"]).matches(&e));
        assert!(f(&["label=name=web"]).matches(&e));
        assert!(f(&["label=image"]).matches(&e));
        assert!(!f(&["label=other"]).matches(&e));
        assert!(f(&["event=destroy"]).matches(&ev("remove", "web", "busybox")));
        assert!(!f(&["type=image"]).matches(&e));
    }

    #[test]
    fn bad_filters_are_invalid_input() {
        for bad in ["container", "colour=red"] {
            let e = Filters::parse(&[bad.to_string()]).unwrap_err();
            assert!(
                matches!(error::kind_of(&e), Some(error::ErrorKind::InvalidInput(_))),
                "{e:#}"
            );
        }
    }
}
