//! `pull`: bringing images in from a registry, and the implicit pull of `run`/`create`.
//!
//! The manifest (and index) digests are computed from the bytes; each missing layer is streamed
//! from the socket through the size cap and sha256 into staging, then decompressed, diff-id
//! hashed and applied by the store's layer applier; nothing is committed unless both digests
//! match (I7, I9). Layers go in parallel on a bounded pool of threads, without the store lock;
//! the lock is taken only for the commit (I10).

use std::cell::OnceCell;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use crate::context::Context;
use crate::error::{self, ErrorKind};
use crate::registry::ImageRef;
use crate::registry::auth::{AuthFiles, Credentials};
use crate::registry::client::{self, Client, ClientOptions};
use crate::registry::config::RegistriesConf;
use crate::registry::manifest::{self, Manifest, Platform};
use crate::storage::archive::{LoadedImage, docker};
use crate::storage::atomic::{self, Staging};
use crate::storage::digest::Digest;
use crate::storage::image::{ConfigView, Descriptor, ImageRecord, LayerRef};
use crate::storage::{StagedBlob, StagedLayer, Store, compress};

/// Layers fetched at once.
const POOL: usize = 4;
/// Indexes inside indexes, at most (I6).
const MAX_INDEX_DEPTH: usize = 8;

/// How to reach and authenticate to registries; shared by pull, push, login and search.
#[derive(Debug, Clone, Default)]
pub struct RegistryOptions {
    /// `--authfile`.
    pub authfile: Option<PathBuf>,
    /// `--creds user:password`: used instead of the auth files.
    pub creds: Option<String>,
    /// `--tls-verify`: `Some(false)` allows plain http and unverified https.
    pub tls_verify: Option<bool>,
    /// `--cert-dir`: looked in before the certs.d directories.
    pub cert_dir: Option<PathBuf>,
}

impl RegistryOptions {
    /// A client for `domain`, with credentials for `repo` from `--creds` or the auth files, and
    /// TLS per `--tls-verify` or the registries configuration. Fails for a blocked registry.
    pub fn client(&self, ctx: &Context, domain: &str, repo: Option<&str>) -> Result<Client> {
        let conf = RegistriesConf::load(ctx)?;
        let insecure = match conf.find(domain, repo.unwrap_or("")) {
            Some(e) if e.blocked => bail!(error::invalid(format!(
                "registry {domain} is blocked by the registries configuration"
            ))),
            Some(e) => e.insecure,
            None => false,
        };
        self.client_at(ctx, domain, repo, insecure)
    }

    /// A client for `domain`; `insecure` (from the registries configuration) applies unless
    /// `--tls-verify` was given.
    pub fn client_at(
        &self,
        ctx: &Context,
        domain: &str,
        repo: Option<&str>,
        insecure: bool,
    ) -> Result<Client> {
        let creds = match &self.creds {
            Some(c) => Some(Credentials::parse(c)?),
            None => AuthFiles::new(ctx, self.authfile.clone()).lookup(domain, repo)?,
        };
        let mut co = self.client_options(ctx, domain, repo.unwrap_or(""))?;
        if co.tls_verify.is_none() && insecure {
            co.tls_verify = Some(false);
        }
        Client::new(domain, creds, &co)
    }

    /// TLS settings (`--tls-verify`, and the certs.d directories in Podman's order) and the
    /// timeouts the registries configuration sets for `domain/repo`.
    pub fn client_options(&self, ctx: &Context, domain: &str, repo: &str) -> Result<ClientOptions> {
        let conf = RegistriesConf::load(ctx)?;
        let (connect, read) = conf.timeouts(domain, repo);
        Ok(ClientOptions {
            tls_verify: self.tls_verify,
            cert_dir: self.cert_dir.clone(),
            certs_d: vec![
                ctx.config_dir.join("certs.d"),
                PathBuf::from("/etc/containers/certs.d"),
                PathBuf::from("/etc/docker/certs.d"),
            ],
            connect_timeout: connect.map(|t| t.0),
            read_timeout: read.map(|t| t.0),
            chunk_size: conf.chunk_size(domain, repo),
        })
    }
}

/// What one pulled image reports as it goes.
pub type Progress<'a> = &'a (dyn Fn(&str) + Sync);

/// Bytes of a blob read so far: `(digest, done, total)`, for progress bars.
pub type ByteProgress<'a> = &'a (dyn Fn(&Digest, u64, u64) + Sync);

/// Options for [`pull`].
pub struct PullOptions<'a> {
    /// The reference, or with `all_tags` a repository.
    pub reference: String,
    pub all_tags: bool,
    /// The platform to pick from a manifest list.
    pub platform: Platform,
    pub registry: RegistryOptions,
    /// `--retry`: how many more times to try after a network failure.
    pub retry: u32,
    /// `--retry-delay`: the first wait; doubled after each failure. Default 1s.
    pub retry_delay: Option<Duration>,
    /// Called with one line per step (`Copying blob …`), unless `None`.
    pub progress: Option<Progress<'a>>,
    /// Called as layer bytes arrive (every 256 KiB and at the end), unless `None`.
    pub bytes: Option<ByteProgress<'a>>,
}

/// One image [`pull`] stored.
#[derive(Debug)]
pub struct Pulled {
    /// The reference as asked (normalized).
    pub reference: String,
    pub record: ImageRecord,
    /// The digest of the manifest (or index) the tag pointed at.
    pub digest: Digest,
}

/// What [`pull`] did.
#[derive(Debug)]
pub struct PullReport {
    pub images: Vec<Pulled>,
}

/// Pulls an image (or every tag of a repository with `all_tags`) into the store.
///
/// Errors name the registry and repository: 401/403 with a `berth login` hint, 404 as
/// `ErrorKind::NotFound`, a digest or size mismatch as `ErrorKind::InvalidInput`. Network
/// failures are retried `retry` times with backoff; mismatches never are. A failed pull leaves
/// only staging files, removed by the next mutating command.
pub fn pull(ctx: &Context, opts: &PullOptions<'_>) -> Result<PullReport> {
    let r = ImageRef::parse(&opts.reference)?;
    let store = Store::open(ctx)?;
    let conf = RegistriesConf::load(ctx)?;
    let endpoints = conf
        .endpoints(&r.domain, &r.path)
        .with_context(|| format!("pulling {}", opts.reference))?;
    // Mirrors first, then the registry itself; each client made when first needed.
    let slots: Vec<OnceCell<Client>> = endpoints.iter().map(|_| OnceCell::new()).collect();
    let slots = &slots;
    let client_for = |i: usize| -> Result<&Client> {
        if slots[i].get().is_none() {
            let e = &endpoints[i];
            let c = opts
                .registry
                .client_at(ctx, &e.domain, Some(&e.path), e.insecure)?;
            let _ = slots[i].set(c);
        }
        Ok(slots[i].get().expect("set just above"))
    };
    let refs = if opts.all_tags {
        if r.tag.is_some() || r.digest.is_some() {
            bail!(error::invalid(format!(
                "--all-tags: {:?} names a tag or digest; give a repository",
                opts.reference
            )));
        }
        let mut tags = Err(anyhow::anyhow!("no registry to ask"));
        for (i, e) in endpoints.iter().enumerate() {
            tags = client_for(i).and_then(|c| with_retry(opts, || c.tags(&e.path)));
            if tags.is_ok() {
                break;
            }
        }
        let tags = tags.with_context(|| format!("pulling {}", r.repository()))?;
        if tags.is_empty() {
            bail!(error::not_found(format!(
                "pulling {}: the repository has no tags",
                r.repository()
            )));
        }
        tags.into_iter()
            .map(|t| ImageRef {
                tag: Some(t),
                digest: None,
                ..r.clone()
            })
            .collect()
    } else {
        vec![r.with_default_tag()]
    };
    let mut images = Vec::new();
    for name in refs {
        let mut result = Err(anyhow::anyhow!("no registry to pull from"));
        for (i, e) in endpoints.iter().enumerate() {
            let fetch = ImageRef {
                domain: e.domain.clone(),
                path: e.path.clone(),
                ..name.clone()
            };
            result = client_for(i).and_then(|c| pull_one(&store, c, &fetch, &name, opts));
            match &result {
                Ok(_) => break,
                Err(err) if i + 1 < endpoints.len() => {
                    say(
                        opts,
                        &format!("Mirror {} failed, trying the next: {err:#}", e.domain),
                    );
                }
                Err(_) => {}
            }
        }
        images.push(result.with_context(|| format!("pulling {name}"))?);
    }
    Ok(PullReport { images })
}

/// Runs `f`, again after transient network failures, up to `--retry` more times.
fn with_retry<T>(opts: &PullOptions<'_>, mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let mut delay = opts.retry_delay.unwrap_or(Duration::from_secs(1));
    let mut left = opts.retry;
    loop {
        match f() {
            Ok(v) => return Ok(v),
            Err(e) if left > 0 && retryable(&e) => {
                left -= 1;
                if let Some(p) = opts.progress {
                    p(&format!(
                        "Retrying in {}s after: {e:#}",
                        delay.as_secs_f32()
                    ));
                }
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_secs(60));
            }
            Err(e) => return Err(e),
        }
    }
}

/// A network failure: a transient status or a broken connection, never a mismatch.
fn retryable(e: &anyhow::Error) -> bool {
    if client::is_transient(e) {
        return true;
    }
    if error::kind_of(e).is_some() {
        return false;
    }
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::UnexpectedEof
                    | io::ErrorKind::TimedOut
                    | io::ErrorKind::BrokenPipe
            )
        })
    })
}

fn say(opts: &PullOptions<'_>, line: &str) {
    if let Some(p) = opts.progress {
        p(line);
    }
}

/// Resolves `r` to one image manifest for the platform: `(top digest, manifest digest, bytes,
/// media type, index bytes when there was an index)`.
struct Resolved {
    top: Digest,
    digest: Digest,
    bytes: Vec<u8>,
    media_type: String,
    manifest: manifest::ImageManifest,
    extra: Vec<Vec<u8>>,
}

fn resolve(client: &Client, r: &ImageRef, opts: &PullOptions<'_>) -> Result<Resolved> {
    let reference = match (&r.digest, &r.tag) {
        (Some(d), _) => d.to_string(),
        (None, Some(t)) => t.clone(),
        (None, None) => r.tag_or_default().to_string(),
    };
    let (mut bytes, mut ct, top) = with_retry(opts, || {
        client.manifest(&r.path, &reference, manifest::ACCEPT)
    })?;
    let mut digest = top.clone();
    let mut extra = Vec::new();
    for _ in 0..MAX_INDEX_DEPTH {
        match manifest::parse(&bytes, ct.as_deref())? {
            Manifest::Image(m) => {
                let media_type = m
                    .media_type
                    .clone()
                    .or_else(|| {
                        ct.as_ref()
                            .map(|c| c.split(';').next().unwrap_or(c).trim().to_string())
                    })
                    .filter(|t| t == manifest::DOCKER_MANIFEST || t == manifest::OCI_MANIFEST)
                    .unwrap_or_else(|| manifest::OCI_MANIFEST.to_string());
                return Ok(Resolved {
                    top,
                    digest,
                    bytes,
                    media_type,
                    manifest: m,
                    extra,
                });
            }
            Manifest::Index(idx) => {
                let d = idx.select(&opts.platform)?.digest.clone();
                extra.push(std::mem::take(&mut bytes));
                let (b, c, got) = with_retry(opts, || {
                    client.manifest(&r.path, d.as_str(), manifest::ACCEPT)
                })?;
                (bytes, ct, digest) = (b, c, got);
            }
        }
    }
    bail!(error::invalid(format!(
        "the manifest lists are nested more than {MAX_INDEX_DEPTH} deep"
    )))
}

/// Pulls `fetch` (where the bytes come from: the registry or a mirror) and records it as
/// `r` (the reference the user gave).
fn pull_one(
    store: &Store,
    client: &Client,
    fetch: &ImageRef,
    r: &ImageRef,
    opts: &PullOptions<'_>,
) -> Result<Pulled> {
    say(opts, &format!("Trying to pull {fetch}..."));
    let res = resolve(client, fetch, opts)?;
    let m = &res.manifest;
    let config_bytes = with_retry(opts, || {
        client.small_blob(&fetch.path, &m.config.digest, m.config.size)
    })?;
    let config = ConfigView::parse(&config_bytes)?;
    let diff_ids = &config.rootfs.diff_ids;
    if diff_ids.len() != m.layers.len() {
        bail!(error::invalid(format!(
            "the manifest has {} layers but the config lists {} diff ids",
            m.layers.len(),
            diff_ids.len()
        )));
    }
    let mut refs = Vec::new();
    let mut parent: Option<Digest> = None;
    for (l, diff_id) in m.layers.iter().zip(diff_ids) {
        compress::Compression::from_media_type(&l.media_type)?;
        if l.size > docker::MAX_LAYER {
            bail!(error::invalid(format!(
                "layer {} claims {} bytes, more than berth accepts",
                l.digest, l.size
            )));
        }
        let chain_id = Digest::chain(parent.as_ref(), diff_id);
        refs.push(LayerRef {
            blob: Descriptor {
                digest: l.digest.clone(),
                media_type: l.media_type.clone(),
                size: l.size,
            },
            diff_id: diff_id.clone(),
            chain_id: chain_id.clone(),
        });
        parent = Some(chain_id);
    }
    say(opts, "Getting image source signatures");
    let st = store.staging()?;
    let (blobs, layers) = fetch_layers(store, &st, client, fetch, &refs, opts)?;
    say(opts, &format!("Copying config {}", m.config.digest.short()));
    let config_blob = store.stage_bytes(&st, &config_bytes)?;
    let manifest_blob = store.stage_bytes(&st, &res.bytes)?;
    let mut all_blobs = blobs;
    all_blobs.push(config_blob);
    all_blobs.push(manifest_blob);
    for b in &res.extra {
        all_blobs.push(store.stage_bytes(&st, b)?);
    }
    let size = refs
        .iter()
        .map(|l| {
            layers
                .iter()
                .find(|s| s.chain_id == l.chain_id)
                .map(|s| s.meta.size)
                .or_else(|| store.layer(&l.chain_id).map(|m| m.size))
                .unwrap_or(0)
        })
        .sum();
    let repo = r.repository();
    let mut digests = vec![format!("{repo}@{}", res.top)];
    if res.digest != res.top {
        digests.push(format!("{repo}@{}", res.digest));
    }
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let record = ImageRecord {
        id: m.config.digest.clone(),
        names: if r.tag.is_some() && r.digest.is_none() {
            vec![r.to_string()]
        } else {
            Vec::new()
        },
        digests,
        manifest: Descriptor {
            digest: res.digest.clone(),
            media_type: res.media_type.clone(),
            size: res.bytes.len() as u64,
        },
        config_size: config_bytes.len() as u64,
        layers: refs,
        created: config.created.clone(),
        size,
        labels: config.labels(),
        added: now,
    };
    say(opts, "Writing manifest to image destination");
    let mut stored = store.commit_all(
        &st,
        vec![LoadedImage {
            blobs: all_blobs,
            layers,
            record,
        }],
    )?;
    let record = stored.pop().context("the commit stored no image")?;
    Ok(Pulled {
        reference: r.to_string(),
        record,
        digest: res.top,
    })
}

/// A fetched blob, and its unpacked layer unless the store had the layer already.
type Fetched = (StagedBlob, Option<StagedLayer>);

/// Fetches and unpacks every layer the store lacks, `POOL` at a time. Returns the staged blobs
/// and layers.
fn fetch_layers(
    store: &Store,
    st: &Staging,
    client: &Client,
    r: &ImageRef,
    refs: &[LayerRef],
    opts: &PullOptions<'_>,
) -> Result<(Vec<StagedBlob>, Vec<StagedLayer>)> {
    // Each distinct layer once: an image may repeat a layer blob.
    let mut seen = HashSet::new();
    let mut todo: Vec<(usize, bool)> = Vec::new();
    for (i, l) in refs.iter().enumerate() {
        let have_layer = store.layer(&l.chain_id).is_some();
        let have_blob = store.has_blob(&l.blob.digest);
        if have_layer && have_blob {
            say(
                opts,
                &format!(
                    "Copying blob {} skipped: already exists",
                    l.blob.digest.short()
                ),
            );
            continue;
        }
        if seen.insert(l.chain_id.clone()) {
            // `true`: unpack too; `false`: the layer is there, only its blob is missing.
            todo.push((i, !have_layer));
        }
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Mutex<Vec<Result<Fetched>>> = Mutex::new(Vec::new());
    let workers = todo.len().min(POOL);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    if failed.load(Ordering::Relaxed) {
                        return;
                    }
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(i, unpack)) = todo.get(n) else {
                        return;
                    };
                    let l = &refs[i];
                    let parent = i.checked_sub(1).map(|p| &refs[p].chain_id);
                    let res = fetch_layer(store, st, client, r, l, parent, unpack, opts)
                        .with_context(|| format!("layer {}", l.blob.digest));
                    if res.is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                    results.lock().unwrap_or_else(|p| p.into_inner()).push(res);
                }
            });
        }
    });
    let mut blobs = Vec::new();
    let mut layers = Vec::new();
    for res in results.into_inner().unwrap_or_else(|p| p.into_inner()) {
        let (b, l) = res?;
        blobs.push(b);
        layers.extend(l);
    }
    Ok((blobs, layers))
}

#[allow(clippy::too_many_arguments)]
fn fetch_layer(
    store: &Store,
    st: &Staging,
    client: &Client,
    r: &ImageRef,
    l: &LayerRef,
    parent: Option<&Digest>,
    unpack: bool,
    opts: &PullOptions<'_>,
) -> Result<Fetched> {
    say(opts, &format!("Copying blob {}", l.blob.digest.short()));
    let fetched = if unpack {
        let (b, layer) = with_retry(opts, || {
            stream_layer(store, st, client, r, l, parent, opts.bytes)
        })?;
        (b, Some(layer))
    } else {
        let b = with_retry(opts, || {
            let body = client.blob(&r.path, &l.blob.digest, l.blob.size)?;
            stage_checked(store, st, Counting::new(body, l, opts.bytes), l)
        })?;
        store.verify_diff_id(b.path(), &l.diff_id)?;
        (b, None)
    };
    say(
        opts,
        &format!("Copying blob {} done", l.blob.digest.short()),
    );
    Ok(fetched)
}

/// Stages a blob from `body`, checking its digest and its size against the descriptor.
fn stage_checked(store: &Store, st: &Staging, body: impl Read, l: &LayerRef) -> Result<StagedBlob> {
    let b = store.stage_blob(st, body, Some(&l.blob.digest), l.blob.size)?;
    if b.size != l.blob.size {
        bail!(error::invalid(format!(
            "blob {} is {} bytes, its descriptor says {}",
            l.blob.digest, b.size, l.blob.size
        )));
    }
    Ok(b)
}

/// One pass over the network stream: the body is hashed into the staged blob while the same
/// bytes go through a FIFO to the store's layer applier (decompress, diff-id hash, apply), which
/// runs at the same time (in the user-namespace helper for a rootless store). Both digests are
/// checked before anything can be committed (I7, I9).
fn stream_layer(
    store: &Store,
    st: &Staging,
    client: &Client,
    r: &ImageRef,
    l: &LayerRef,
    parent: Option<&Digest>,
    bytes: Option<ByteProgress<'_>>,
) -> Result<(StagedBlob, StagedLayer)> {
    let body = Counting::new(client.blob(&r.path, &l.blob.digest, l.blob.size)?, l, bytes);
    let fifo = st.entry(&format!("fifo-{}", atomic::unique_name()));
    nix::unistd::mkfifo(
        &fifo,
        nix::sys::stat::Mode::S_IRUSR | nix::sys::stat::Mode::S_IWUSR,
    )
    .with_context(|| format!("creating {}", fifo.display()))?;
    let result = std::thread::scope(|s| {
        let unpacker = s.spawn(|| store.stage_layer(st, &fifo, Some(&l.diff_id), parent));
        let (blob, unpacker_gone) = match open_fifo_writer(&fifo, &|| unpacker.is_finished()) {
            Ok(Some(w)) => {
                let mut tee = Tee {
                    inner: body,
                    out: w,
                    write_failed: false,
                };
                let res = stage_checked(store, st, &mut tee, l);
                // Dropping the tee closes the FIFO: the applier sees the end of the stream.
                let gone = tee.write_failed;
                drop(tee);
                (res, gone)
            }
            Ok(None) => (
                Err(anyhow::anyhow!("the layer applier stopped early")),
                true,
            ),
            Err(e) => {
                // Unblock an applier waiting in open() for a writer, so the scope can end.
                drop(
                    std::fs::OpenOptions::new()
                        .read(true)
                        .write(true)
                        .open(&fifo),
                );
                (Err(e), false)
            }
        };
        let layer = unpacker
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the layer applier panicked")));
        match (blob, layer) {
            (Ok(b), Ok(l)) => Ok((b, l)),
            // The applier stopped reading (a bad tar, a diff id mismatch): its error says why.
            (Err(be), Err(le)) if unpacker_gone => Err(le.context(format!("{be:#}"))),
            (Err(be), _) => Err(be),
            (Ok(_), Err(le)) => Err(le),
        }
    });
    let _ = std::fs::remove_file(&fifo);
    result
}

/// Opens the FIFO's write end once the applier has opened its read end; `None` when the
/// applier ended without opening it.
fn open_fifo_writer(fifo: &Path, applier_done: &dyn Fn() -> bool) -> Result<Option<File>> {
    use std::os::unix::fs::OpenOptionsExt;
    loop {
        // O_NONBLOCK: open fails with ENXIO instead of blocking while there is no reader.
        match std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(fifo)
        {
            Ok(f) => {
                nix::fcntl::fcntl(
                    &f,
                    nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::empty()),
                )
                .with_context(|| format!("setting {} blocking", fifo.display()))?;
                return Ok(Some(f));
            }
            Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
                if applier_done() {
                    return Ok(None);
                }
                std::thread::sleep(Duration::from_micros(200));
            }
            Err(e) => {
                return Err(anyhow::Error::from(e).context(format!("opening {}", fifo.display())));
            }
        }
    }
}

/// Reports how much of a blob has been read.
struct Counting<'a, R> {
    inner: R,
    layer: &'a LayerRef,
    done: u64,
    reported: u64,
    report: Option<ByteProgress<'a>>,
}

impl<'a, R> Counting<'a, R> {
    fn new(inner: R, layer: &'a LayerRef, report: Option<ByteProgress<'a>>) -> Self {
        Counting {
            inner,
            layer,
            done: 0,
            reported: 0,
            report,
        }
    }
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        if let Some(f) = self.report
            && (n == 0 || self.done - self.reported >= 256 * 1024)
        {
            self.reported = self.done;
            f(&self.layer.blob.digest, self.done, self.layer.blob.size);
        }
        Ok(n)
    }
}

/// Copies everything read from `inner` to `out`.
struct Tee<R> {
    inner: R,
    out: File,
    /// The write side failed: the reader at the other end went away.
    write_failed: bool,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Err(e) = self.out.write_all(&buf[..n]) {
            self.write_failed = true;
            return Err(e);
        }
        Ok(n)
    }
}

/// True when the registry's manifest digest for `image`'s tag is among the local record's
/// RepoDigests. Any failure (no network, no such tag) counts as "not known to be up to date".
fn up_to_date(ctx: &Context, image: &str, rec: &ImageRecord, registry: &RegistryOptions) -> bool {
    let Ok(r) = ImageRef::parse(image).map(ImageRef::with_default_tag) else {
        return false;
    };
    let reference = match (&r.digest, &r.tag) {
        (Some(d), _) => d.to_string(),
        (_, Some(t)) => t.clone(),
        _ => return false,
    };
    let Ok(client) = registry.client(ctx, &r.domain, Some(&r.path)) else {
        return false;
    };
    match client.manifest(&r.path, &reference, manifest::ACCEPT) {
        Ok((_, _, digest)) => rec
            .digests
            .contains(&format!("{}@{digest}", r.repository())),
        Err(_) => false,
    }
}

/// A [`Progress`] the options own (for `run`/`create`, whose options outlive no borrow).
pub type SharedProgress = std::sync::Arc<dyn Fn(&str) + Send + Sync>;

/// A [`ByteProgress`] the options own.
pub type SharedByteProgress = std::sync::Arc<dyn Fn(&Digest, u64, u64) + Send + Sync>;

/// How `run` and `create` pull: the registry flags, `--platform`, and where progress goes.
#[derive(Clone, Default)]
pub struct ImplicitPull {
    /// `--authfile`, `--creds`, `--tls-verify`, `--cert-dir`.
    pub registry: RegistryOptions,
    /// `--platform` as given (`os/arch[/variant]`): pick this platform from a multi-platform
    /// image (default: the host's), and pull again when the local image is for another one.
    pub platform: Option<String>,
    /// Called with one line per step, unless `None` (`-q`).
    pub progress: Option<SharedProgress>,
    /// Called as layer bytes arrive (progress bars on a terminal), unless `None`.
    pub bytes: Option<SharedByteProgress>,
}

impl std::fmt::Debug for ImplicitPull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImplicitPull")
            .field("registry", &self.registry)
            .field("platform", &self.platform)
            .field("progress", &self.progress.is_some())
            .field("bytes", &self.bytes.is_some())
            .finish()
    }
}

/// True when the local image's config names `want`'s OS and architecture (and variant).
fn is_for(store: &Store, rec: &ImageRecord, want: &Platform) -> bool {
    store
        .read_blob(&rec.id)
        .ok()
        .and_then(|b| serde_json::from_slice::<Platform>(&b).ok())
        .is_some_and(|have| want.matches(&have))
}

/// `--pull` for `run` and `create`: makes sure `image` is in the store per `policy` (`missing`,
/// `always`, `never`, `newer`). `newer` pulls only when the registry's manifest for the tag is
/// not one the local image was pulled or pushed as, and keeps the local image when the
/// registry cannot be reached. With `--platform`, a local image for another platform counts as
/// missing (as in Podman); with `never` it is an error. Returns the local record when nothing
/// was pulled (`None` after a pull: the caller looks the new image up), so that `run` reads
/// the image's record once.
pub fn ensure_image(
    ctx: &Context,
    store: &Store,
    image: &str,
    policy: &str,
    how: &ImplicitPull,
) -> Result<Option<ImageRecord>> {
    let platform = how
        .platform
        .as_deref()
        .map(|p| Platform::choose(Some(p), None, None, None))
        .transpose()?;
    let local = match store.lookup(image) {
        // An image named by its id is never pulled: an id is no registry reference.
        Ok(rec)
            if rec
                .id
                .hex()
                .starts_with(image.trim_start_matches("sha256:")) =>
        {
            return Ok(Some(rec));
        }
        Ok(rec) => Some(rec),
        Err(e) if matches!(error::kind_of(&e), Some(ErrorKind::NotFound(_))) => None,
        Err(e) => return Err(e),
    };
    let local = match (local, &platform) {
        (Some(rec), Some(want)) if !is_for(store, &rec, want) => {
            if policy == "never" {
                bail!(error::invalid(format!(
                    "the local image {image} is not for {want}, and --pull=never forbids pulling it"
                )));
            }
            None
        }
        (local, _) => local,
    };
    if policy == "newer"
        && let Some(rec) = &local
        && up_to_date(ctx, image, rec, &how.registry)
    {
        return Ok(local);
    }
    let found = local;
    let local = found.is_some();
    let want = match policy {
        "never" => false,
        "missing" | "" => !local,
        "always" => true,
        "newer" => true,
        other => bail!(error::invalid(format!(
            "invalid --pull {other:?}: use missing, always, never or newer"
        ))),
    };
    if !want {
        return Ok(found);
    }
    let progress = how.progress.as_deref().map(|p| p as Progress<'_>);
    let bytes = how.bytes.as_deref().map(|b| b as ByteProgress<'_>);
    let opts = PullOptions {
        reference: image.to_string(),
        all_tags: false,
        platform: platform.unwrap_or_else(Platform::host),
        registry: how.registry.clone(),
        retry: 0,
        retry_delay: None,
        progress,
        bytes,
    };
    match pull(ctx, &opts) {
        Ok(_) => Ok(None),
        Err(e) if policy == "newer" && local && retryable(&e) => {
            log::warn!("keeping the local {image}: {e:#}");
            Ok(found)
        }
        Err(e) if !local => Err(e.context(format!("no such image: {image}"))),
        Err(e) => Err(e),
    }
}
