//! `berth ps` / `berth container ls` (also `container list`, `container ps`): list containers
//! in Docker's shapes (docker/cli `formatter/container.go`).

use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::Args;
use serde_json::{Value, json};

use crate::cmd::format;
use crate::context::Context;
use crate::ops::{self, PsEntry, PsOptions, PsState};
use crate::registry::ImageRef;
use crate::storage::digest::Digest;

#[derive(Debug, Args)]
#[command(
    after_long_help = "A container whose process is gone without its exit being recorded (berth was killed, the machine rebooted) is listed as exited with code 255, the code Docker gives an exit it did not see.\n\nExamples:\n  berth ps\n  berth ps -a\n  berth ps -aq --filter status=exited\n  berth ps -a --filter name=web --filter ancestor=busybox\n  berth ps -n 3 --no-trunc\n  berth ps -a --format '{{.Names}}\\t{{.Status}}'\n  berth ps -a --format '{{json .}}'"
)]
pub struct PsArgs {
    /// Show all containers (default shows just running)
    #[arg(short, long)]
    pub all: bool,
    /// Filter output: id=PREFIX, name=NAME|REGEX, label=KEY[=VALUE], status=STATE (created,
    /// running, exited, paused, restarting, removing, dead), exited=CODE, ancestor=IMAGE,
    /// before=CONTAINER, since=CONTAINER
    #[arg(short, long, value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Format output with a Go template, "table …", or "json"
    #[arg(long)]
    pub format: Option<String>,
    /// Show the N last created containers (includes all states)
    #[arg(short = 'n', long, value_name = "N", allow_negative_numbers = true)]
    pub last: Option<i64>,
    /// Show the latest created container (includes all states)
    #[arg(short, long)]
    pub latest: bool,
    /// Don't truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Only display container IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Display total file sizes
    #[arg(short, long)]
    pub size: bool,
}

/// docker/cli `defaultContainerTableFormat`.
const TABLE: &str =
    "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
/// docker/cli truncates the command to this many columns.
const COMMAND_WIDTH: usize = 20;
/// … and each mount's name to this many.
const MOUNT_WIDTH: usize = 15;

const HEADERS: &str = r#"{"Command":"COMMAND","CreatedAt":"CREATED AT","HealthStatus":"HEALTH STATUS","ID":"CONTAINER ID","IPAddresses":"IP ADDRESSES","Image":"IMAGE","Labels":"LABELS","LocalVolumes":"LOCAL VOLUMES","Mounts":"MOUNTS","Names":"NAMES","Networks":"NETWORKS","Platform":"PLATFORM","Ports":"PORTS","RunningFor":"CREATED","Size":"SIZE","State":"STATE","Status":"STATUS"}"#;

pub fn run(ctx: &Context, a: PsArgs) -> Result<ExitCode> {
    let filters = a
        .filter
        .iter()
        .map(|f| f.parse())
        .collect::<Result<Vec<_>>>()?;
    let custom = a.format.as_deref().filter(|f| !f.is_empty());
    if custom.is_some() && a.quiet {
        log::warn!("ignoring custom format, because both --format and --quiet are set");
    }
    let fmt = if a.quiet { None } else { custom };
    let headers: Value = serde_json::from_str(HEADERS)?;
    // docker/cli checks the template before listing, so a bad one fails with no containers
    // too, and measures sizes when the template shows them.
    if let Some(f) = fmt {
        format::render(Some(f), TABLE, &headers, &[probe()])?;
    }
    // With -q, Docker measures sizes it then does not show; berth skips that work.
    let size = !a.quiet && (a.size || fmt.is_some_and(shows_size));
    let last = match a.last.unwrap_or(-1) {
        -1 if a.latest => 1,
        n => n,
    };
    let report = ops::ps(
        ctx,
        PsOptions {
            all: a.all,
            limit: usize::try_from(last).unwrap_or(0),
            size,
            filters,
        },
    )?;
    for (what, why) in &report.broken {
        log::warn!("{what} is broken and not listed: {why}");
    }
    let now = Utc::now();
    let rows: Vec<Value> = report
        .containers
        .iter()
        .map(|e| row(e, !a.no_trunc, now))
        .collect();
    let default = if a.quiet {
        "{{.ID}}".to_string()
    } else if size {
        format!("{TABLE}\t{{{{.Size}}}}")
    } else {
        TABLE.to_string()
    };
    crate::cmd::print(&format::render(fmt, &default, &headers, &rows)?)?;
    Ok(ExitCode::SUCCESS)
}

/// One container as docker/cli's `ContainerContext` shows it; keys in Go's sorted order, so
/// `{{json .}}` prints what Docker prints.
fn row(e: &PsEntry, trunc: bool, now: DateTime<Utc>) -> Value {
    // The API gives the creation time in whole seconds, and docker/cli computes from that.
    let created = DateTime::from_timestamp(e.created.timestamp(), 0).unwrap_or(e.created);
    let command = if trunc {
        format::ellipsis(&e.command, COMMAND_WIDTH)
    } else {
        e.command.clone()
    };
    let mounts: Vec<String> = e
        .mounts
        .iter()
        .map(|m| {
            if trunc {
                format::ellipsis(m, MOUNT_WIDTH)
            } else {
                m.clone()
            }
        })
        .collect();
    let size = e.size.map_or(0, |s| s.rw);
    let root_fs = e.size.map_or(0, |s| s.root_fs);
    let size = if root_fs > 0 {
        format!(
            "{} (virtual {})",
            format::human_size_precision(size, 3),
            format::human_size_precision(root_fs, 3)
        )
    } else {
        format::human_size_precision(size, 3)
    };
    json!({
        "Command": format::go_quote(&command),
        "CreatedAt": created.format("%Y-%m-%d %H:%M:%S +0000 UTC").to_string(),
        "HealthStatus": "",
        "ID": if trunc { e.id.short() } else { e.id.as_str() },
        "IPAddresses": [],
        "Image": if trunc { short_image(&e.image, e.image_id.as_ref()) } else { e.image.clone() },
        "Labels": e
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        "LocalVolumes": "0",
        "Mounts": mounts.join(","),
        "Names": e.name,
        "Networks": e.network,
        "Platform": null,
        "Ports": e
            .ports
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        "RunningFor": format::since(created, now),
        "Size": size,
        "State": e.state.as_str(),
        "Status": status(e, now),
    })
}

/// A row with every field and nothing in it, to check a template against.
fn probe() -> Value {
    let mut v: Value = serde_json::from_str(HEADERS).expect("HEADERS is JSON");
    if let Some(m) = v.as_object_mut() {
        for (k, val) in m.iter_mut() {
            *val = match k.as_str() {
                "IPAddresses" => json!([]),
                "Platform" => Value::Null,
                _ => json!(""),
            };
        }
    }
    v
}

/// moby `State.String`: `Up 5 minutes`, `Exited (0) 3 seconds ago`, `Created`,
/// `Restarting (1) 2 seconds ago`, `Up 1 minute (Paused)`.
fn status(e: &PsEntry, now: DateTime<Utc>) -> String {
    let since = |t: DateTime<Utc>| format::human_duration((now - t).to_std().unwrap_or_default());
    match e.state {
        PsState::Running => format!("Up {}", since(e.started_at.unwrap_or(e.created))),
        PsState::Paused => format!("Up {} (Paused)", since(e.started_at.unwrap_or(e.created))),
        PsState::Created => "Created".to_string(),
        PsState::Restarting => e.finished_at.map_or_else(String::new, |f| {
            format!("Restarting ({}) {} ago", e.exit_code, since(f))
        }),
        // moby prints nothing for an exit with no time.
        PsState::Exited => e.finished_at.map_or_else(String::new, |f| {
            format!("Exited ({}) {} ago", e.exit_code, since(f))
        }),
    }
}

/// docker/cli `ContainerContext.Image` when truncating: the short id when the container was
/// made from an id, else the familiar name with its tag and without a digest.
fn short_image(image: &str, id: Option<&Digest>) -> String {
    let truncate_id = |s: &str| -> String {
        let s = s.split_once(':').map_or(s, |(_, rest)| rest);
        s.chars().take(12).collect()
    };
    if let Some(id) = id
        && truncate_id(id.as_str()) == truncate_id(image)
    {
        return truncate_id(image);
    }
    match ImageRef::parse(image) {
        Ok(r) => match &r.tag {
            Some(t) => format!("{}:{t}", r.familiar_repository()),
            None => r.familiar_repository(),
        },
        Err(_) => image.to_string(),
    }
}

/// Whether a `--format` template shows sizes, which then get measured. docker/cli runs the
/// template once and watches for a call of `.Size`, which `{{json .}}` makes too (but the
/// word `json` does not: Docker shows `0B` there). This looks for the same two uses in the
/// text.
fn shows_size(format: &str) -> bool {
    let token_at = |needle: &str| {
        format.match_indices(needle).any(|(i, _)| {
            !format[i + needle.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    };
    token_at(".Size") || token_at("json .")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::PsSize;
    use crate::storage::container::ContainerId;

    fn entry() -> PsEntry {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        PsEntry {
            id: ContainerId::parse(&"0123456789ab".repeat(6)[..64]).unwrap(),
            name: "web".into(),
            image: "busybox".into(),
            image_id: Some(Digest::from_hex(&"a".repeat(64)).unwrap()),
            command: "sh -c 'while true; do sleep 1; done'".into(),
            created: t("2024-05-01T12:00:00.900Z"),
            state: PsState::Exited,
            exit_code: 3,
            started_at: Some(t("2024-05-01T12:00:01Z")),
            finished_at: Some(t("2024-05-01T12:00:07Z")),
            mounts: vec!["/home/someone/project".into()],
            network: "none".into(),
            labels: [("b", "2"), ("a", "1")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ports: Vec::new(),
            size: None,
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2024-05-01T12:00:10.500Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_row_has_dockers_fields_and_text() {
        let r = row(&entry(), true, now());
        assert_eq!(r["ID"], "0123456789ab");
        assert_eq!(r["Command"], "\"sh -c 'while true; …\"");
        assert_eq!(r["CreatedAt"], "2024-05-01 12:00:00 +0000 UTC");
        // From the whole second, as docker/cli computes it: 10.5 s, not 9.6 s.
        assert_eq!(r["RunningFor"], "10 seconds ago");
        assert_eq!(r["Status"], "Exited (3) 3 seconds ago");
        assert_eq!(r["State"], "exited");
        assert_eq!(r["Mounts"], "/home/someone/…");
        assert_eq!(r["Size"], "0B");
        assert_eq!(r["Networks"], "none");
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "Go marshals a map with sorted keys");
        let full = row(&entry(), false, now());
        assert_eq!(full["ID"], entry().id.as_str());
        assert_eq!(full["Command"], "\"sh -c 'while true; do sleep 1; done'\"");
        assert_eq!(full["Mounts"], "/home/someone/project");
    }

    #[test]
    fn statuses() {
        let mut e = entry();
        e.state = PsState::Running;
        assert_eq!(status(&e, now()), "Up 9 seconds");
        e.state = PsState::Created;
        assert_eq!(status(&e, now()), "Created");
        e.state = PsState::Exited;
        e.finished_at = None;
        assert_eq!(status(&e, now()), "");
    }

    #[test]
    fn sizes_like_docker() {
        let mut e = entry();
        e.size = Some(PsSize {
            rw: 2,
            root_fs: 1_900_002,
        });
        assert_eq!(row(&e, true, now())["Size"], "2B (virtual 1.9MB)");
    }

    #[test]
    fn images_shown_like_docker() {
        let id = Digest::from_hex(&"ab".repeat(32)).unwrap();
        assert_eq!(short_image("busybox", Some(&id)), "busybox");
        assert_eq!(
            short_image("docker.io/library/busybox:1.36", Some(&id)),
            "busybox:1.36"
        );
        assert_eq!(short_image(id.as_str(), Some(&id)), "abababababab");
        assert_eq!(short_image("ababababab", Some(&id)), "ababababab");
        // A manifest digest is not the image id: the name stays, the digest goes.
        let manifest = Digest::from_hex(&"cd".repeat(32)).unwrap();
        assert_eq!(
            short_image(&format!("busybox@{manifest}"), Some(&id)),
            "busybox"
        );
    }

    #[test]
    fn templates_that_show_sizes() {
        assert!(shows_size("{{.Size}}"));
        assert!(shows_size("table {{.Names}}\t{{ .Size }}"));
        assert!(shows_size("{{json .}}"));
        assert!(!shows_size("json"));
        assert!(!shows_size("{{.Names}}"));
        assert!(!shows_size("{{.SizeRw}}"));
        assert!(!shows_size("{{json .Names}}"));
    }
}
