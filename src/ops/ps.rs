//! `ps`: the containers in the store with their state reconciled against the processes that
//! really exist, selected the way Docker's daemon selects them (moby `daemon/list.go`).
//!
//! Read-only: no lock is taken and nothing is written, so `ps` never waits on a `start` or an
//! `rm`, and every file it reads was renamed into place whole. It reads each container's
//! state, then the config only of those that can be shown (a plain `ps` skips the configs of
//! stopped containers), the image index only when a container is shown or `ancestor=` asks,
//! and walks upper dirs only for `--size`. A record that cannot be read is reported and
//! skipped, never fatal (SECURITY.md I9).
//!
//! Reconciliation (I12, I13): a state that says running is believed only while that very
//! process (pid + start time + boot id) exists. Otherwise the container shows as exited with
//! code 255, Docker's code for an exit it did not see (what `docker ps -a` shows for containers
//! that were running when the host went down). Its finish time is not known: after a reboot
//! it is shown as the boot time (it ended before that); within the same boot, as the last time
//! it was known alive, its start. `ps` only shows this; the next `start` or `rm` acts on it,
//! except for a `--rm` container: nobody is left to remove it, so `ps` does (I13), when it can
//! take the container's lock at once, and does not show it.

use std::collections::HashSet;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};

use crate::context::Context;
use crate::error::{self, ErrorKind};
use crate::storage::container::{ContainerConfig, ContainerDirs, ContainerId, Status};
use crate::storage::digest::Digest;
use crate::storage::{ImageRecord, Store, lookup_in};

/// The exit code shown for a container whose process vanished without its exit being
/// recorded: moby's `exitUnknown`.
pub const EXIT_UNKNOWN: i32 = 255;

/// A directory without a config this young is a `create` in progress, not a broken record.
const CREATE_GRACE: std::time::Duration = std::time::Duration::from_secs(60);

/// The states `status=` accepts: Docker's (moby `container.IsValidStateString`). berth has no
/// removing or dead containers, so those match nothing.
const STATES: [&str; 7] = [
    "created",
    "restarting",
    "running",
    "removing",
    "paused",
    "exited",
    "dead",
];

/// Filter keys Docker accepts that berth cannot evaluate yet: refused rather than ignored.
const UNSUPPORTED: [&str; 7] = [
    "expose",
    "publish",
    "health",
    "volume",
    "network",
    "isolation",
    "is-task",
];

/// A `--filter` of `ps`. Several values of one key match if any does; different keys must
/// all match (Docker's `filters.Args`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PsFilter {
    /// An unambiguous prefix of the container id (moby `GetByPrefix`).
    Id(String),
    /// The name, exactly or as an unanchored regular expression, with or without Docker's `/`.
    Name(String),
    Label(String, Option<String>),
    /// One of Docker's state words (created, running, exited, paused, ...).
    Status(String),
    /// Exited with this code (having run at least once).
    Exited(i32),
    /// Made from this image: a name, id or id prefix.
    Ancestor(String),
    /// Created before this container (name or id).
    Before(String),
    /// Created after this container (name or id).
    Since(String),
}

impl std::str::FromStr for PsFilter {
    type Err = anyhow::Error;

    /// Parses `KEY=VALUE` as docker/cli's `opts.ParseFlag` does: the key is trimmed and
    /// lowercased, the value trimmed.
    fn from_str(s: &str) -> Result<PsFilter> {
        let (k, v) = s.split_once('=').ok_or_else(|| {
            error::invalid(format!("bad format of filter {s:?} (expected name=value)"))
        })?;
        let k = k.trim().to_lowercase();
        let v = v.trim();
        let invalid = || error::invalid(format!("invalid filter '{k}={v}'"));
        Ok(match k.as_str() {
            "id" => PsFilter::Id(v.to_string()),
            "name" => PsFilter::Name(v.to_string()),
            "label" => match v.split_once('=') {
                Some((k, v)) => PsFilter::Label(k.to_string(), Some(v.to_string())),
                None => PsFilter::Label(v.to_string(), None),
            },
            "status" if STATES.contains(&v) => PsFilter::Status(v.to_string()),
            "status" => bail!(error::invalid(format!(
                "invalid filter 'status={v}': use one of {}",
                STATES.join(", ")
            ))),
            "exited" => PsFilter::Exited(v.parse().map_err(|_| invalid())?),
            "ancestor" => PsFilter::Ancestor(v.to_string()),
            "before" => PsFilter::Before(v.to_string()),
            "since" => PsFilter::Since(v.to_string()),
            other if UNSUPPORTED.contains(&other) => bail!(error::invalid(format!(
                "filter '{other}' is not supported by berth yet"
            ))),
            other => bail!(error::invalid(format!(
                "invalid filter '{other}': ps accepts id, name, label, status, exited, ancestor, before, since"
            ))),
        })
    }
}

/// Options for [`ps`].
#[derive(Debug, Default)]
pub struct PsOptions {
    /// Show stopped containers too (`-a`; implied by a `status=` filter and by `limit`).
    pub all: bool,
    /// Show at most this many, newest first, in any state (`-n`, `-l`); 0 for no limit.
    pub limit: usize,
    /// Measure each shown container's writable layer (`-s`).
    pub size: bool,
    pub filters: Vec<PsFilter>,
}

/// A container's state as `ps` shows it, after reconciliation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PsState {
    Created,
    Running,
    /// Waiting to be started again by its restart policy.
    Restarting,
    /// Running, its processes frozen (`pause`).
    Paused,
    Exited,
}

impl PsState {
    /// Docker's `State` word.
    pub fn as_str(self) -> &'static str {
        match self {
            PsState::Created => "created",
            PsState::Running => "running",
            PsState::Restarting => "restarting",
            PsState::Paused => "paused",
            PsState::Exited => "exited",
        }
    }
}

/// Docker's `SizeRw` and `SizeRootFs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PsSize {
    /// What the container wrote (its upper dir).
    pub rw: u64,
    /// Its whole root filesystem: the image's layers plus `rw`.
    pub root_fs: u64,
}

/// One container as `ps` lists it: what Docker's daemon sends the CLI, before any text
/// formatting (truncation, quoting, durations), which is the command's job.
#[derive(Debug, Clone)]
pub struct PsEntry {
    pub id: ContainerId,
    pub name: String,
    /// The image as the user named it while that name still means the container's image;
    /// otherwise the image id (`sha256:…`), as moby's `refreshImage` does.
    pub image: String,
    pub image_id: Option<Digest>,
    /// Docker's one-line command: the executable, then the arguments, each quoted in `'` when
    /// it holds a space.
    pub command: String,
    pub created: DateTime<Utc>,
    pub state: PsState,
    /// The exit code; meaningful for [`PsState::Exited`].
    pub exit_code: i32,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The host paths bind-mounted into it (`-v`).
    pub mounts: Vec<String>,
    pub network: String,
    pub labels: std::collections::BTreeMap<String, String>,
    /// The ports a running container published.
    pub ports: Vec<crate::net::ports::PortMapping>,
    /// Present when [`PsOptions::size`] asked.
    pub size: Option<PsSize>,
}

/// The containers shown, newest first, and the records that could not be read.
#[derive(Debug, Default)]
pub struct PsReport {
    pub containers: Vec<PsEntry>,
    /// (what, why) for each record skipped.
    pub broken: Vec<(String, String)>,
}

/// Lists containers like `docker ps`: running ones, or all with [`PsOptions::all`], filtered,
/// newest first.
///
/// Errors: a malformed filter value (a bad `name` regex is not one: as in Docker it then only
/// matches exactly), or a `before=`/`since=` container that does not exist (NotFound). A record
/// that cannot be read is not an error: it lands in [`PsReport::broken`]. Writes nothing but
/// the removal of `--rm` containers whose process vanished (see the module doc).
pub fn ps(ctx: &Context, opts: PsOptions) -> Result<PsReport> {
    let store = Store::open(ctx)?;
    let dirs = store.containers();
    let mut report = PsReport::default();
    let boot = crate::storage::container::boot_id();
    let all =
        opts.all || opts.limit > 0 || has(&opts.filters, |f| matches!(f, PsFilter::Status(_)));

    let before = bound(&dirs, &opts.filters, |f| match f {
        PsFilter::Before(v) => Some(v),
        _ => None,
    })?;
    let since = bound(&dirs, &opts.filters, |f| match f {
        PsFilter::Since(v) => Some(v),
        _ => None,
    })?;
    let ids = dirs.list();
    let names = names_matcher(&opts.filters);
    let id_matches = id_matches(&ids, &opts.filters);
    let mut candidates = Vec::new();
    for id in &ids {
        if id_matches.as_ref().is_some_and(|set| !set.contains(id)) {
            continue;
        }
        let state = match dirs.try_read_state(id) {
            Ok(Some(s)) => s,
            // Being created: the config is written first, then a `created` state.
            Ok(None) => Default::default(),
            Err(e) => {
                report.broken.push(broken(id, &e));
                continue;
            }
        };
        let mut seen = Seen::of(&state, &boot);
        let mut vanished = state.status == Status::Running && seen.state == PsState::Exited;
        if vanished && let Ok(Some(again)) = dirs.try_read_state(id) {
            // Read before its monitor recorded the end, looked at after the monitor exited:
            // the state file has the end now, unless the monitor died unseen.
            seen = Seen::of(&again, &boot);
            vanished = again.status == Status::Running && seen.state == PsState::Exited;
        }
        // moby counts restarting and paused containers as running.
        if all
            || vanished
            || matches!(
                seen.state,
                PsState::Running | PsState::Restarting | PsState::Paused
            )
        {
            candidates.push((id.clone(), seen, vanished));
        }
    }

    let mut rows = Vec::with_capacity(candidates.len());
    for (id, seen, vanished) in candidates {
        if vanished {
            super::net_reconcile::release_vanished(ctx, &store, &id);
        }
        match dirs.read_config(&id) {
            Ok(config) if vanished && config.rm => {
                if !super::reap_vanished(ctx, &store, &id, &config) && all {
                    rows.extend(parse_time(&config.created).map(|created| Row {
                        id,
                        created,
                        config,
                        seen,
                    }));
                }
            }
            Ok(_) if vanished && !all => {}
            Ok(config) => match parse_time(&config.created) {
                Some(created) => rows.push(Row {
                    id,
                    created,
                    config,
                    seen,
                }),
                None => report.broken.push((
                    format!("container {}", id.short()),
                    "its config.json has no valid creation time".into(),
                )),
            },
            Err(e) if missing(&e) => {
                // Removed since it was listed, or a create in progress; a config that never
                // came is an interrupted create, worth a word.
                if dirs
                    .modified(&id)
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > CREATE_GRACE)
                {
                    report.broken.push((
                        format!("container {}", id.short()),
                        format!(
                            "it has no config.json (an interrupted create?); remove its directory {}",
                            dirs.dir(&id).display()
                        ),
                    ));
                }
            }
            Err(e) => report.broken.push(broken(&id, &e)),
        }
    }
    // moby's byCreatedDescending; the id settles ties so the order is stable.
    rows.sort_by(|a, b| (b.created.cmp(&a.created)).then_with(|| b.id.cmp(&a.id)));

    let mut images: Option<Vec<ImageRecord>> = None;
    let ancestors = ancestor_ids(&opts.filters, || image_list(&mut images, &store));

    let mut shown = Vec::new();
    for r in rows {
        let key = (r.created, &r.id);
        if before.as_ref().is_some_and(|(t, id)| key >= (*t, id))
            || since.as_ref().is_some_and(|(t, id)| key <= (*t, id))
        {
            continue;
        }
        let f = &opts.filters;
        let ok = names.as_ref().is_none_or(|m| m.matches(&r.config.name))
            // Every label filter must match (moby's MatchKVList).
            && f.iter().all(|f| match f {
                PsFilter::Label(k, v) => r
                    .config
                    .labels
                    .get(k)
                    .is_some_and(|have| v.as_ref().is_none_or(|v| v == have)),
                _ => true,
            })
            && any_or_none(f, |f| match f {
                PsFilter::Exited(code) => Some(
                    r.seen.state == PsState::Exited && r.seen.exit_code == *code,
                ),
                _ => None,
            })
            && any_or_none(f, |f| match f {
                PsFilter::Status(s) => Some(s == r.seen.state.as_str()),
                _ => None,
            })
            && ancestors
                .as_ref()
                .is_none_or(|set| r.config.image_id.as_ref().is_some_and(|i| set.contains(i)));
        if ok {
            shown.push(r);
            if opts.limit > 0 && shown.len() == opts.limit {
                break;
            }
        }
    }
    if shown.is_empty() {
        return Ok(report);
    }

    let images = image_list(&mut images, &store);
    for r in shown {
        let image = images
            .iter()
            .find(|i| Some(&i.id) == r.config.image_id.as_ref());
        let size = opts.size.then(|| {
            let rw = dirs.upper_size(&r.id);
            PsSize {
                rw,
                root_fs: rw + image.map_or(0, |i| i.size),
            }
        });
        report.containers.push(PsEntry {
            image: shown_image(&r.config, images),
            image_id: r.config.image_id.clone(),
            command: command_line(&r.config.argv),
            created: r.created,
            state: r.seen.state,
            exit_code: r.seen.exit_code,
            started_at: r.seen.started_at,
            finished_at: r.seen.finished_at,
            mounts: mount_sources(&r.config.volumes),
            network: r.config.network.clone(),
            labels: r.config.labels.clone(),
            ports: if r.seen.state == PsState::Running && !r.config.ports.is_empty() {
                super::container::published_ports(&dirs.dir(&r.id))
            } else {
                Vec::new()
            },
            size,
            name: r.config.name,
            id: r.id,
        });
    }
    Ok(report)
}

/// A container's state as seen now (the reconciliation in the module doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seen {
    pub(crate) state: PsState,
    pub(crate) exit_code: i32,
    pub(crate) started_at: Option<DateTime<Utc>>,
    pub(crate) finished_at: Option<DateTime<Utc>>,
}

impl Seen {
    pub(crate) fn of(state: &crate::storage::container::ContainerState, boot: &str) -> Seen {
        let started_at = state.started_at.as_deref().and_then(parse_time);
        let finished_at = state.finished_at.as_deref().and_then(parse_time);
        if state.status == Status::Restarting && state.monitor_alive(boot) {
            return Seen {
                state: PsState::Restarting,
                exit_code: state.exit_code,
                started_at,
                finished_at,
            };
        }
        if matches!(state.status, Status::Running | Status::Restarting) {
            if state.is_alive(boot) {
                return Seen {
                    state: if state.paused {
                        PsState::Paused
                    } else {
                        PsState::Running
                    },
                    exit_code: 0,
                    started_at,
                    finished_at: None,
                };
            }
            let finished_at = if state.boot_id == boot {
                started_at
            } else {
                boot_time().or(started_at)
            };
            return Seen {
                state: PsState::Exited,
                exit_code: EXIT_UNKNOWN,
                started_at,
                finished_at,
            };
        }
        // moby `State.StateString`: not running and never started is created, else exited. A
        // start that failed after an earlier run leaves berth's status `created` with that
        // run's start time: Docker shows such a container as exited, and so does this.
        Seen {
            state: if started_at.is_some() {
                PsState::Exited
            } else {
                PsState::Created
            },
            exit_code: state.exit_code,
            started_at,
            finished_at,
        }
    }
}

/// A container being considered.
struct Row {
    id: ContainerId,
    created: DateTime<Utc>,
    config: ContainerConfig,
    seen: Seen,
}

fn broken(id: &ContainerId, e: &anyhow::Error) -> (String, String) {
    (
        format!("container {}", id.short()),
        format!("{e:#}; remove it with `berth rm -f {}`", id.short()),
    )
}

fn missing(e: &anyhow::Error) -> bool {
    matches!(error::kind_of(e), Some(ErrorKind::NotFound(_)))
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// When this boot began (`btime` in /proc/stat, proc(5)).
fn boot_time() -> Option<DateTime<Utc>> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let secs = stat
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    DateTime::from_timestamp(secs, 0)
}

fn has(filters: &[PsFilter], pred: impl Fn(&PsFilter) -> bool) -> bool {
    filters.iter().any(pred)
}

/// True when no filter of a key is given (`test` answers None for other keys), or any given
/// one matches.
fn any_or_none(filters: &[PsFilter], test: impl Fn(&PsFilter) -> Option<bool>) -> bool {
    let mut given = false;
    for f in filters {
        match test(f) {
            Some(true) => return true,
            Some(false) => given = true,
            None => {}
        }
    }
    !given
}

/// The (created, id) key of the container a `before=`/`since=` filter names; the last such
/// filter wins, as in moby.
fn bound(
    dirs: &ContainerDirs,
    filters: &[PsFilter],
    value: impl Fn(&PsFilter) -> Option<&String>,
) -> Result<Option<(DateTime<Utc>, ContainerId)>> {
    let mut out = None;
    for v in filters.iter().filter_map(value) {
        let id = dirs.resolve(v)?;
        let config = dirs.read_config(&id)?;
        let created = parse_time(&config.created).ok_or_else(|| {
            anyhow::anyhow!("container {v:?} has no valid creation time in its config.json")
        })?;
        out = Some((created, id));
    }
    Ok(out)
}

/// `name=` values: each matches a name equal to it or, as an unanchored regular expression,
/// the name with or without Docker's leading `/` (filters.Args.Match). A value that is not a
/// valid expression only matches exactly, as Go's `regexp.MatchString` error is skipped.
struct NameMatcher {
    exact: Vec<String>,
    regexes: Vec<regex_lite::Regex>,
}

impl NameMatcher {
    fn matches(&self, name: &str) -> bool {
        let slashed = format!("/{name}");
        self.exact.iter().any(|e| *e == name || *e == slashed)
            || self
                .regexes
                .iter()
                .any(|r| r.is_match(name) || r.is_match(&slashed))
    }
}

fn names_matcher(filters: &[PsFilter]) -> Option<NameMatcher> {
    let values: Vec<&String> = filters
        .iter()
        .filter_map(|f| match f {
            PsFilter::Name(n) => Some(n),
            _ => None,
        })
        .collect();
    if values.is_empty() {
        return None;
    }
    Some(NameMatcher {
        exact: values.iter().map(|v| (*v).clone()).collect(),
        regexes: values
            .iter()
            .filter_map(|v| regex_lite::Regex::new(v).ok())
            .collect(),
    })
}

/// The containers `id=` values name: each value must be a prefix of exactly one id (moby
/// looks ids up with `GetByPrefix`, and an ambiguous prefix finds nothing).
fn id_matches(ids: &[ContainerId], filters: &[PsFilter]) -> Option<HashSet<ContainerId>> {
    let mut out: Option<HashSet<ContainerId>> = None;
    for f in filters {
        let PsFilter::Id(prefix) = f else { continue };
        let set = out.get_or_insert_with(HashSet::new);
        if prefix.is_empty() {
            continue;
        }
        let mut hits = ids
            .iter()
            .filter(|id| id.as_str().starts_with(prefix.as_str()));
        if let (Some(one), None) = (hits.next(), hits.next()) {
            set.insert(one.clone());
        }
    }
    out
}

/// The store's images, read on first use: only when a container is shown or `ancestor=` asks.
fn image_list<'a>(cache: &'a mut Option<Vec<ImageRecord>>, store: &Store) -> &'a [ImageRecord] {
    cache.get_or_insert_with(|| store.list().images)
}

/// The image ids `ancestor=` values name. An image that cannot be found is warned about and
/// matches nothing (moby logs "Error while looking up for image" and goes on).
fn ancestor_ids<'a>(
    filters: &[PsFilter],
    images: impl FnOnce() -> &'a [ImageRecord],
) -> Option<HashSet<Digest>> {
    let wanted: Vec<&String> = filters
        .iter()
        .filter_map(|f| match f {
            PsFilter::Ancestor(a) => Some(a),
            _ => None,
        })
        .collect();
    if wanted.is_empty() {
        return None;
    }
    let list = images();
    let mut out = HashSet::new();
    for a in wanted {
        match lookup_in(list, a) {
            Ok(r) => {
                out.insert(r.id);
            }
            Err(e) => log::warn!("filter ancestor={a}: {e:#}"),
        }
    }
    Some(out)
}

/// The image as the user named it if that name still finds the container's image, else the
/// image id (moby `refreshImage`).
fn shown_image(config: &ContainerConfig, images: &[ImageRecord]) -> String {
    let Some(id) = &config.image_id else {
        return config.image.clone();
    };
    if config.image == id.to_string() {
        return config.image.clone();
    }
    match lookup_in(images, &config.image) {
        Ok(r) if r.id == *id => config.image.clone(),
        _ => id.to_string(),
    }
}

/// Docker's `Command` of a container summary: the path, then the arguments, an argument
/// with a space wrapped in single quotes (and nothing escaped, exactly as moby does).
fn command_line(argv: &[String]) -> String {
    let mut out = String::new();
    for (i, a) in argv.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i > 0 && a.contains(' ') {
            out.push('\'');
            out.push_str(a);
            out.push('\'');
        } else {
            out.push_str(a);
        }
    }
    out
}

/// The host paths of the container's bind mounts, in the order given.
fn mount_sources(volumes: &[String]) -> Vec<String> {
    volumes
        .iter()
        .filter_map(|v| crate::runtime::mounts::parse_volume(v).ok())
        .map(|b| b.source.display().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::container::ContainerState;

    #[test]
    fn filters_parse_like_docker() {
        assert_eq!(
            " Name = web ".parse::<PsFilter>().unwrap(),
            PsFilter::Name("web".into())
        );
        assert_eq!(
            "label=a=b".parse::<PsFilter>().unwrap(),
            PsFilter::Label("a".into(), Some("b".into()))
        );
        assert_eq!(
            "exited=-1".parse::<PsFilter>().unwrap(),
            PsFilter::Exited(-1)
        );
        assert_eq!(
            "status=paused".parse::<PsFilter>().unwrap(),
            PsFilter::Status("paused".into())
        );
        let err = |s: &str| format!("{:#}", s.parse::<PsFilter>().unwrap_err());
        assert!(err("status=up").contains("invalid filter 'status=up'"));
        assert!(err("exited=x").contains("invalid filter 'exited=x'"));
        assert!(err("color=red").contains("invalid filter 'color'"));
        assert!(err("network=host").contains("not supported"));
        assert!(err("name").contains("expected name=value"));
        let e = "status=up".parse::<PsFilter>().unwrap_err();
        assert!(matches!(
            error::kind_of(&e),
            Some(ErrorKind::InvalidInput(_))
        ));
    }

    #[test]
    fn command_line_quotes_arguments_with_spaces() {
        let argv = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            command_line(&argv(&["sh", "-c", "while true; do sleep 1; done"])),
            "sh -c 'while true; do sleep 1; done'"
        );
        assert_eq!(command_line(&argv(&["/my prog", "a"])), "/my prog a");
        assert_eq!(
            command_line(&argv(&["echo", "it's here"])),
            "echo 'it's here'"
        );
        assert_eq!(command_line(&[]), "");
    }

    fn state(status: Status) -> ContainerState {
        ContainerState {
            status,
            ..Default::default()
        }
    }

    #[test]
    fn states_follow_docker() {
        let boot = crate::storage::container::boot_id();
        let created = Seen::of(&state(Status::Created), &boot);
        assert_eq!(created.state, PsState::Created);
        // A failed start keeps "created" but with the code it would have exited with.
        let failed = ContainerState {
            exit_code: 127,
            ..state(Status::Created)
        };
        assert_eq!(Seen::of(&failed, &boot).state, PsState::Created);
        let exited = ContainerState {
            exit_code: 3,
            started_at: Some("2024-05-01T12:00:00Z".into()),
            finished_at: Some("2024-05-01T12:00:05Z".into()),
            ..state(Status::Exited)
        };
        let seen = Seen::of(&exited, &boot);
        assert_eq!((seen.state, seen.exit_code), (PsState::Exited, 3));
        assert_eq!(seen.finished_at, parse_time("2024-05-01T12:00:05Z"));
        // A failed restart of a container that ran before: exited, as Docker shows it.
        let restarted = ContainerState {
            status: Status::Created,
            ..exited.clone()
        };
        assert_eq!(Seen::of(&restarted, &boot).state, PsState::Exited);
    }

    #[test]
    fn a_running_state_is_believed_only_while_its_process_lives() {
        let boot = crate::storage::container::boot_id();
        let me = std::process::id() as i32;
        let alive = ContainerState {
            status: Status::Running,
            pid: me,
            pid_start: crate::storage::container::process_start_time(me).unwrap(),
            boot_id: boot.clone(),
            started_at: Some("2024-05-01T12:00:00Z".into()),
            ..Default::default()
        };
        assert_eq!(Seen::of(&alive, &boot).state, PsState::Running);
        // Same pid, another start time: the pid was reused.
        let reused = ContainerState {
            pid_start: alive.pid_start + 1,
            ..alive.clone()
        };
        let seen = Seen::of(&reused, &boot);
        assert_eq!(
            (seen.state, seen.exit_code),
            (PsState::Exited, EXIT_UNKNOWN)
        );
        assert_eq!(seen.finished_at, seen.started_at, "same boot: its start");
        // Another boot: ended by the reboot at the latest.
        let rebooted = ContainerState {
            boot_id: "another-boot".into(),
            ..alive
        };
        let seen = Seen::of(&rebooted, &boot);
        assert_eq!(
            (seen.state, seen.exit_code),
            (PsState::Exited, EXIT_UNKNOWN)
        );
        assert_eq!(seen.finished_at, boot_time());
        assert!(seen.finished_at.is_some());
    }

    #[test]
    fn names_match_exactly_or_as_unanchored_regex() {
        let m = |v: &[&str]| {
            names_matcher(
                &v.iter()
                    .map(|s| PsFilter::Name(s.to_string()))
                    .collect::<Vec<_>>(),
            )
            .unwrap()
        };
        assert!(m(&["web"]).matches("my-web-1"));
        assert!(m(&["^web$"]).matches("web"));
        assert!(!m(&["^web$"]).matches("web2"));
        assert!(m(&["^/web"]).matches("web"), "Docker's / prefix");
        assert!(m(&["db", "web"]).matches("web"), "values are alternatives");
        assert!(!m(&["db"]).matches("web"));
        // Not a valid expression: only an exact match counts.
        assert!(m(&["a(b"]).matches("a(b"));
        assert!(!m(&["a(b"]).matches("xa(b"));
        assert!(names_matcher(&[]).is_none());
    }

    #[test]
    fn id_filter_takes_unambiguous_prefixes() {
        let ids: Vec<ContainerId> = ["ab", "ac", "bb"]
            .iter()
            .map(|p| ContainerId::parse(&p.repeat(32)).unwrap())
            .collect();
        let f = |v: &[&str]| {
            id_matches(
                &ids,
                &v.iter()
                    .map(|s| PsFilter::Id(s.to_string()))
                    .collect::<Vec<_>>(),
            )
            .unwrap()
        };
        assert_eq!(f(&["ab"]), HashSet::from([ids[0].clone()]));
        assert!(f(&["a"]).is_empty(), "ambiguous");
        assert!(f(&[""]).is_empty());
        assert_eq!(f(&["ab", "bb"]).len(), 2);
        assert!(f(&["zz"]).is_empty());
        assert!(id_matches(&ids, &[]).is_none());
    }

    #[test]
    fn any_or_none_ors_values_of_one_key() {
        let f = [PsFilter::Exited(1), PsFilter::Exited(2)];
        let test = |code: i32| {
            any_or_none(&f, |f| match f {
                PsFilter::Exited(c) => Some(*c == code),
                _ => None,
            })
        };
        assert!(test(1) && test(2) && !test(3));
        assert!(any_or_none(&[], |_| Some(false)));
    }
}
