//! Image verbs that work on the store alone: images, tag, untag, rmi, inspect, history, prune,
//! exists.

use anyhow::{Context as _, Result, bail};
use serde_json::{Value, json};

use crate::context::Context;
use crate::error::{self, ErrorKind};
use crate::registry::ImageRef;
use crate::registry::reference::familiar;
use crate::storage::{ImageRecord, Store, lookup_in};

/// A `--filter` of `images`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageFilter {
    Dangling(bool),
    Label(String, Option<String>),
    Reference(String),
    Before(String),
    Since(String),
}

impl std::str::FromStr for ImageFilter {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<ImageFilter> {
        let (k, v) = s
            .split_once('=')
            .ok_or_else(|| error::invalid(format!("invalid filter {s:?}: expected KEY=VALUE")))?;
        Ok(match k {
            "dangling" => match v {
                "true" | "1" => ImageFilter::Dangling(true),
                "false" | "0" => ImageFilter::Dangling(false),
                _ => bail!(error::invalid(format!(
                    "invalid filter {s:?}: dangling takes true or false"
                ))),
            },
            "label" => match v.split_once('=') {
                Some((k, v)) => ImageFilter::Label(k.to_string(), Some(v.to_string())),
                None => ImageFilter::Label(v.to_string(), None),
            },
            "reference" => ImageFilter::Reference(v.to_string()),
            "before" => ImageFilter::Before(v.to_string()),
            "since" => ImageFilter::Since(v.to_string()),
            other => bail!(error::invalid(format!(
                "invalid filter {other:?}: images accepts dangling, label, reference, before, since"
            ))),
        })
    }
}

/// Options for [`images`].
#[derive(Debug, Default)]
pub struct ImagesOptions {
    pub filters: Vec<ImageFilter>,
}

/// The images that passed the filters, and the records that could not be read.
#[derive(Debug)]
pub struct ImagesReport {
    pub images: Vec<ImageRecord>,
    pub broken: Vec<(String, String)>,
}

/// Shell-style glob matching (`*`, `?`) as Docker's reference filter uses (path.Match).
fn glob(pattern: &str, s: &str) -> bool {
    let (p, s): (Vec<char>, Vec<char>) = (pattern.chars().collect(), s.chars().collect());
    let (mut pi, mut si, mut star, mut mark) = (0, 0, None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' && s[si] != '/' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star
            && s[mark] != '/'
        {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn reference_matches(pattern: &str, name: &str) -> bool {
    let Ok(r) = ImageRef::parse(name) else {
        return false;
    };
    let repo = r.familiar_repository();
    let tag = r.tag_or_default();
    if pattern.contains(':') {
        glob(pattern, &format!("{repo}:{tag}")) || glob(pattern, name)
    } else {
        glob(pattern, &repo) || glob(pattern, &r.repository())
    }
}

/// Lists images, newest first, filtered like `docker images --filter`.
pub fn images(ctx: &Context, opts: ImagesOptions) -> Result<ImagesReport> {
    let store = Store::open(ctx)?;
    let list = store.list();
    let mut out = Vec::new();
    let created = |r: &ImageRecord| r.created.clone().unwrap_or_default();
    let mut bounds = Vec::new();
    for f in &opts.filters {
        if let ImageFilter::Before(n) | ImageFilter::Since(n) = f {
            bounds.push((f.clone(), created(&lookup_in(&list.images, n)?)));
        }
    }
    'images: for r in list.images {
        for f in &opts.filters {
            let ok = match f {
                ImageFilter::Dangling(d) => r.dangling() == *d,
                ImageFilter::Label(k, v) => match (r.labels.get(k), v) {
                    (Some(have), Some(want)) => have == want,
                    (Some(_), None) => true,
                    (None, _) => false,
                },
                ImageFilter::Reference(p) => r.names.iter().any(|n| reference_matches(p, n)),
                ImageFilter::Before(_) | ImageFilter::Since(_) => true,
            };
            if !ok {
                continue 'images;
            }
        }
        for (f, t) in &bounds {
            let c = created(&r);
            let ok = match f {
                ImageFilter::Before(_) => c < *t,
                _ => c > *t,
            };
            if !ok {
                continue 'images;
            }
        }
        out.push(r);
    }
    Ok(ImagesReport {
        images: out,
        broken: list.broken,
    })
}

/// Adds `targets` as names of `source`, moving them off any other image.
pub fn tag(ctx: &Context, source: &str, targets: &[String]) -> Result<()> {
    let mut names = Vec::new();
    for t in targets {
        let r = ImageRef::parse(t)?.with_default_tag();
        if r.digest.is_some() {
            bail!(error::invalid(format!(
                "invalid tag {t:?}: a tag cannot contain a digest"
            )));
        }
        names.push(r.to_string());
    }
    let store = Store::open(ctx)?;
    let lock = store.lock()?;
    let mut record = store.lookup(source)?;
    for n in names {
        if !record.names.contains(&n) {
            record.names.push(n);
        }
    }
    store.commit(&lock, Vec::new(), Vec::new(), record)?;
    Ok(())
}

/// Removes `names` (all names when empty) from an image; the image itself stays.
pub fn untag(ctx: &Context, image: &str, names: &[String]) -> Result<()> {
    let store = Store::open(ctx)?;
    let _lock = store.lock()?;
    let mut record = store.lookup(image)?;
    if names.is_empty() {
        record.names.clear();
    } else {
        for n in names {
            let full = ImageRef::parse(n)?.with_default_tag().to_string();
            if !record.names.contains(&full) {
                bail!(error::not_found(format!(
                    "image {} has no name {n:?}",
                    record.id.short()
                )));
            }
            record.names.retain(|x| *x != full);
        }
    }
    store.write_record(&record)?;
    Ok(())
}

/// Options for [`rmi`].
#[derive(Debug, Default)]
pub struct RmiOptions {
    pub targets: Vec<String>,
    pub force: bool,
    pub all: bool,
}

/// What removing one target did.
#[derive(Debug, Default)]
pub struct RmiReport {
    /// Names removed, full references.
    pub untagged: Vec<String>,
    /// Image ids deleted.
    pub deleted: Vec<String>,
}

/// Removes images like `docker rmi`: a name untags, the last name (or the id) deletes.
/// Returns one result per target; a failed target does not stop the others.
pub fn rmi(ctx: &Context, opts: RmiOptions) -> Result<Vec<(String, Result<RmiReport>)>> {
    let store = Store::open(ctx)?;
    let lock = store.lock()?;
    let targets = if opts.all {
        store
            .list()
            .images
            .iter()
            .map(|r| r.id.to_string())
            .collect()
    } else {
        opts.targets.clone()
    };
    let in_use = store.images_in_use(&lock);
    let mut results = Vec::new();
    for t in targets {
        let r = (|| -> Result<RmiReport> {
            let mut record = match store.lookup(&t) {
                Ok(r) => r,
                Err(e) if matches!(error::kind_of(&e), Some(ErrorKind::NotFound(_))) => {
                    // What `images` reports as broken can be removed by its id.
                    return match store.forget_broken(&lock, &t)? {
                        Some(id) => Ok(RmiReport {
                            untagged: Vec::new(),
                            deleted: vec![id.to_string()],
                        }),
                        None => Err(e),
                    };
                }
                Err(e) => return Err(e),
            };
            let mut report = RmiReport::default();
            let users = in_use.get(&record.id).filter(|u| !u.is_empty());
            let by_name = !crate::storage::names_by_id(&record, &t);
            if by_name {
                let full = ImageRef::parse(&t)?.with_default_tag().to_string();
                // The last name of an image a container uses goes only with --force, and the
                // image stays (nameless) for the container, as Docker does.
                if record.names.len() == 1
                    && let Some(users) = users
                    && !opts.force
                {
                    bail!(in_use_error(&t, &record, users));
                }
                record.names.retain(|n| *n != full);
                report.untagged.push(full);
                if !record.names.is_empty() || users.is_some() {
                    store.write_record(&record)?;
                    return Ok(report);
                }
            } else if let Some(users) = users {
                if !opts.force {
                    bail!(in_use_error(&t, &record, users));
                }
                report.untagged.append(&mut record.names);
                store.write_record(&record)?;
                return Ok(report);
            } else if record.names.len() > 1 && !opts.force {
                bail!(ErrorKind::InUse(format!(
                    "unable to delete {} (must be forced): image is referenced in multiple repositories",
                    record.id.short()
                )));
            } else {
                report.untagged.append(&mut record.names);
            }
            store.delete_record(&lock, &record.id)?;
            report.deleted.push(record.id.to_string());
            Ok(report)
        })();
        results.push((t, r));
    }
    // The records are gone; content a failed collection leaves behind is collected next time.
    if let Err(e) = store.gc(&lock) {
        log::warn!("removed images, but not all of their content: {e:#}");
    }
    Ok(results)
}

/// Docker's conflict for an image that containers use.
fn in_use_error(target: &str, record: &ImageRecord, users: &[String]) -> anyhow::Error {
    anyhow::Error::new(ErrorKind::InUse(format!(
        "unable to remove image {target} ({}): it is used by container {}: remove the container first, or force with -f to untag it (the image then stays for the container)",
        record.id.short(),
        users.join(", ")
    )))
}

/// What `image prune` removed.
#[derive(Debug, Default)]
pub struct PruneReport {
    pub untagged: Vec<String>,
    pub deleted: Vec<String>,
    pub reclaimed: u64,
}

/// Removes dangling images, or with `all` every image, leaving those containers use.
pub fn prune(ctx: &Context, all: bool) -> Result<PruneReport> {
    let store = Store::open(ctx)?;
    let lock = store.lock()?;
    let in_use = store.images_in_use(&lock);
    let mut report = PruneReport::default();
    for r in store.list().images {
        if (!all && !r.dangling()) || in_use.contains_key(&r.id) {
            continue;
        }
        report.untagged.extend(r.names.iter().cloned());
        store.delete_record(&lock, &r.id)?;
        report.deleted.push(r.id.to_string());
    }
    report.reclaimed = store.gc(&lock)?;
    Ok(report)
}

/// True when `name` names an image in the store.
pub fn exists(ctx: &Context, name: &str) -> Result<bool> {
    let store = Store::open(ctx)?;
    match store.lookup(name) {
        Ok(_) => Ok(true),
        Err(e) if matches!(error::kind_of(&e), Some(ErrorKind::NotFound(_))) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `docker image inspect` objects, one per target, with Docker's field names.
pub fn inspect(ctx: &Context, targets: &[String]) -> Result<Vec<(String, Result<Value>)>> {
    let store = Store::open(ctx)?;
    let list = store.list();
    Ok(targets
        .iter()
        .map(|t| {
            let r = lookup_in(&list.images, t).and_then(|r| inspect_one(&store, &r));
            (t.clone(), r)
        })
        .collect())
}

/// How an absent key of an image's Config shows in Docker's inspect output.
#[derive(Clone, Copy)]
enum Empty {
    Str,
    False,
    Null,
}

/// The keys Docker always shows in an image's Config, in Docker's order.
const CONFIG_KEYS: &[(&str, Empty)] = &[
    ("Hostname", Empty::Str),
    ("Domainname", Empty::Str),
    ("User", Empty::Str),
    ("AttachStdin", Empty::False),
    ("AttachStdout", Empty::False),
    ("AttachStderr", Empty::False),
    ("Tty", Empty::False),
    ("OpenStdin", Empty::False),
    ("StdinOnce", Empty::False),
    ("Env", Empty::Null),
    ("Cmd", Empty::Null),
    ("Image", Empty::Str),
    ("Volumes", Empty::Null),
    ("WorkingDir", Empty::Str),
    ("Entrypoint", Empty::Null),
    ("OnBuild", Empty::Null),
    ("Labels", Empty::Null),
];

fn inspect_one(store: &Store, r: &ImageRecord) -> Result<Value> {
    let config: Value = serde_json::from_slice(&store.read_blob(&r.id)?)
        .with_context(|| format!("parsing config of image {}", r.id.short()))?;
    let mut runtime = serde_json::Map::new();
    let given = config.get("config").and_then(Value::as_object);
    for (k, default) in CONFIG_KEYS {
        runtime.insert(
            (*k).to_string(),
            given
                .and_then(|g| g.get(*k))
                .cloned()
                .unwrap_or(match default {
                    Empty::Str => json!(""),
                    Empty::False => json!(false),
                    Empty::Null => Value::Null,
                }),
        );
    }
    for (k, v) in given.into_iter().flatten() {
        runtime.entry(k.clone()).or_insert_with(|| v.clone());
    }
    let s = |k: &str| config.get(k).cloned().unwrap_or(json!(""));
    let tags: Vec<String> = r.names.iter().map(|n| familiar(n)).collect();
    let digests: Vec<String> = r.digests.iter().map(|n| familiar(n)).collect();
    let layers: Vec<String> = r.layers.iter().map(|l| l.diff_id.to_string()).collect();
    let top = r
        .layers
        .last()
        .map(|l| store.layer_diff(&l.chain_id).display().to_string());
    let comment = config
        .get("history")
        .and_then(Value::as_array)
        .and_then(|h| h.last())
        .and_then(|h| h.get("comment"))
        .cloned()
        .unwrap_or(json!(""));
    let mut out = json!({
        "Id": r.id,
        "RepoTags": tags,
        "RepoDigests": digests,
        "Parent": "",
        "Comment": comment,
        "Created": s("created"),
        "DockerVersion": s("docker_version"),
        "Author": s("author"),
        "Config": Value::Object(runtime),
        "Architecture": s("architecture"),
        "Os": s("os"),
        "Size": r.size,
        "GraphDriver": {"Name": "overlay", "Data": {"UpperDir": top}},
        "RootFS": {"Type": "layers", "Layers": layers},
        "Metadata": {"LastTagTime": "0001-01-01T00:00:00Z"},
    });
    if let Some(v) = config.get("variant") {
        out["Variant"] = v.clone();
    }
    Ok(out)
}

/// One row of `history`.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    /// The image id on the top row; `None` (`<missing>`) below it, as Docker shows.
    pub id: Option<String>,
    pub created: Option<String>,
    pub created_by: String,
    pub size: u64,
    pub comment: String,
}

/// The image's build history, newest first, with each step's layer size.
pub fn history(ctx: &Context, image: &str) -> Result<Vec<HistoryRow>> {
    let store = Store::open(ctx)?;
    let r = store.lookup(image)?;
    let config: Value = serde_json::from_slice(&store.read_blob(&r.id)?)
        .with_context(|| format!("parsing config of image {}", r.id.short()))?;
    let sizes: Vec<u64> = r
        .layers
        .iter()
        .map(|l| store.layer(&l.chain_id).map_or(0, |m| m.size))
        .collect();
    let mut rows = Vec::new();
    let mut next_layer = 0;
    let entries = config
        .get("history")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let str_of = |h: &Value, k: &str| {
        h.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    for h in &entries {
        let empty = h
            .get("empty_layer")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let size = if empty {
            0
        } else {
            next_layer += 1;
            sizes.get(next_layer - 1).copied().unwrap_or(0)
        };
        rows.push(HistoryRow {
            id: None,
            created: h.get("created").and_then(Value::as_str).map(str::to_string),
            created_by: str_of(h, "created_by"),
            size,
            comment: str_of(h, "comment"),
        });
    }
    // Layers the history does not account for still show, as Docker does.
    for s in sizes.iter().skip(next_layer) {
        rows.push(HistoryRow {
            id: None,
            created: r.created.clone(),
            created_by: String::new(),
            size: *s,
            comment: String::new(),
        });
    }
    rows.reverse();
    if let Some(top) = rows.first_mut() {
        top.id = Some(r.id.to_string());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse() {
        assert_eq!(
            "dangling=true".parse::<ImageFilter>().unwrap(),
            ImageFilter::Dangling(true)
        );
        assert_eq!(
            "label=a=b".parse::<ImageFilter>().unwrap(),
            ImageFilter::Label("a".into(), Some("b".into()))
        );
        assert!("dangling=maybe".parse::<ImageFilter>().is_err());
        assert!("color=red".parse::<ImageFilter>().is_err());
        assert!("nokey".parse::<ImageFilter>().is_err());
    }

    #[test]
    fn reference_filter_globs_like_docker() {
        let n = "docker.io/library/busybox:latest";
        assert!(reference_matches("busybox", n));
        assert!(reference_matches("busy*", n));
        assert!(reference_matches("busybox:lat*", n));
        assert!(!reference_matches("alpine", n));
        assert!(reference_matches("quay.io/*/app", "quay.io/org/app:1"));
        assert!(!reference_matches("quay.io/*", "quay.io/org/app:1"));
    }
}
