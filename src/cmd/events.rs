//! `berth events`: what happened to containers, from the daemonless event log.

use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, Local, SecondsFormat};
use clap::{ArgAction, Args};
use serde_json::{Value as Json, json};

use crate::cmd::format;
use crate::context::Context;
use crate::ops::{self, EventsOptions};
use crate::storage::events::Event;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Filters: container=NAME|ID, event=ACTION (create, start, die, stop, kill, \
pause, unpause, rename, remove, exec_create, restart), type=container, image=IMAGE, \
label=KEY[=VALUE] (matches the event's attributes). Repeated keys are alternatives; different \
keys must all match.\n\nExamples:\n  berth events\n  berth events --since 1m --until 0s\n  \
berth events --since 1m --filter container=web --format '{{.Status}} {{.Actor.Attributes.name}}'"
)]
pub struct EventsArgs {
    /// Show events since TIME (RFC 3339, Unix time, or a duration such as 10m before now)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Show events until TIME, then stop (without it, berth waits for new events)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only events matching KEY=VALUE (repeatable)
    #[arg(short, long = "filter", value_name = "KEY=VALUE")]
    pub filters: Vec<String>,
    /// Format each event with a Go template, or "json"
    #[arg(long)]
    pub format: Option<String>,
    /// Keep waiting for new events (--stream=false prints the recorded ones and exits)
    #[arg(long, default_value_t = true, action = ArgAction::Set, value_name = "BOOL")]
    pub stream: bool,
}

pub fn run(ctx: &Context, a: EventsArgs) -> Result<ExitCode> {
    let opts = EventsOptions {
        follow: a.stream,
        since: a.since,
        until: a.until,
        filters: a.filters,
    };
    let format = a.format;
    if let Some(f) = &format {
        // A template that does not parse is an error before anything is printed.
        format::render_each(f, &[template_view(&sample())])?;
    }
    let result = ops::events(ctx, &opts, &mut |e| {
        let line = match &format {
            None => default_line(e),
            Some(f) => format::render_each(f, &[template_view(e)])?,
        };
        crate::cmd::print(&line)
    });
    match result {
        // The reader went away (`berth events | head -1`): that ends a follow, not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(e),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

fn time_of(e: &Event) -> DateTime<Local> {
    DateTime::from_timestamp_nanos(e.time_nano).with_timezone(&Local)
}

/// Docker's line: `TIME TYPE ACTION ID (k=v, k=v)`, the time in RFC 3339 with nanoseconds.
fn default_line(e: &Event) -> String {
    let attrs: Vec<String> = e
        .attributes
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut line = format!(
        "{} {} {} {}",
        time_of(e).to_rfc3339_opts(SecondsFormat::Nanos, true),
        e.kind,
        e.action,
        e.id
    );
    if !attrs.is_empty() {
        line.push_str(&format!(" ({})", attrs.join(", ")));
    }
    line.push('\n');
    line
}

/// What `--format` templates see: Docker's message fields (`.Status`, `.ID`, `.From`, `.Type`,
/// `.Action`, `.Actor.ID`, `.Actor.Attributes`, `.Scope`, `.Time`, `.TimeNano`) and Podman's
/// (`.Name`, `.Image`, `.Attributes`).
fn template_view(e: &Event) -> Json {
    let attr = |k: &str| e.attributes.get(k).cloned().unwrap_or_default();
    json!({
        "Status": e.action,
        "ID": e.id,
        "From": attr("image"),
        "Type": e.kind,
        "Action": e.action,
        "Actor": {"ID": e.id, "Attributes": e.attributes},
        "Scope": "local",
        "Time": e.time_nano.div_euclid(1_000_000_000),
        "TimeNano": e.time_nano,
        "Name": attr("name"),
        "Image": attr("image"),
        "Attributes": e.attributes,
    })
}

fn sample() -> Event {
    Event {
        kind: "container".into(),
        action: "create".into(),
        id: String::new(),
        attributes: Default::default(),
        time_nano: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_line_is_dockers() {
        let e = Event {
            kind: "container".into(),
            action: "die".into(),
            id: "c".repeat(64),
            attributes: [("name", "web"), ("image", "busybox"), ("exitCode", "3")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            time_nano: 1_700_000_000_123_456_789,
        };
        let line = default_line(&e);
        let (time, rest) = line.split_once(' ').unwrap();
        assert_eq!(
            DateTime::parse_from_rfc3339(time)
                .unwrap()
                .timestamp_nanos_opt(),
            Some(1_700_000_000_123_456_789)
        );
        assert!(time.contains(".123456789"), "{time}");
        assert_eq!(
            rest,
            format!(
                "container die {} (exitCode=3, image=busybox, name=web)\n",
                "c".repeat(64)
            )
        );
        let out = format::render_each(
            "{{.Status}} {{.Actor.Attributes.name}} {{.Time}}",
            &[template_view(&e)],
        )
        .unwrap();
        assert_eq!(out, "die web 1700000000\n");
    }
}
