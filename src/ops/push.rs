//! `push`: sending a stored image to a registry.
//!
//! Blobs go as the store has them (exact bytes), so pulling what was pushed gives the same
//! digests; the manifest is PUT byte for byte. `--compression-format` recompresses layers whose
//! compression differs, which makes new blob and manifest digests (an OCI manifest then). A blob
//! the repository has is skipped (HEAD); one another repository of the same registry has is
//! mounted; the rest is uploaded in one PUT each.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use crate::context::Context;
use crate::error;
use crate::ops::pull::RegistryOptions;
use crate::registry::ImageRef;
use crate::registry::client::{self, Client};
use crate::registry::manifest;
use crate::storage::archive::docker;
use crate::storage::compress::{self, Compression};
use crate::storage::digest::{Digest, Hashing};
use crate::storage::{Store, atomic};

/// Options for [`push`].
pub struct PushOptions<'a> {
    /// The local image, by name or id.
    pub source: String,
    /// Where to push; the source's name when `None`.
    pub destination: Option<String>,
    /// `--compression-format`: recompress layers that differ.
    pub compression: Option<Compression>,
    pub registry: RegistryOptions,
    /// `--retry` after network failures.
    pub retry: u32,
    pub retry_delay: Option<Duration>,
    pub progress: Option<crate::ops::pull::Progress<'a>>,
}

/// What [`push`] did.
#[derive(Debug)]
pub struct PushReport {
    /// The full destination reference.
    pub reference: String,
    /// The digest of the manifest as pushed.
    pub digest: Digest,
}

/// Parses `--compression-format`.
pub fn parse_compression(s: &str) -> Result<Compression> {
    match s {
        "gzip" => Ok(Compression::Gzip),
        "zstd" => Ok(Compression::Zstd),
        other => bail!(error::invalid(format!(
            "invalid --compression-format {other:?}: use gzip or zstd"
        ))),
    }
}

fn say(opts: &PushOptions<'_>, line: &str) {
    if let Some(p) = opts.progress {
        p(line);
    }
}

/// Pushes an image. Errors name the registry and repository (401/403 with a `berth login`
/// hint). Afterwards the local image lists `repository@digest` among its RepoDigests.
pub fn push(ctx: &Context, opts: &PushOptions<'_>) -> Result<PushReport> {
    let store = Store::open(ctx)?;
    let record = store.lookup(&opts.source)?;
    let dest_str = match &opts.destination {
        Some(d) => d.clone(),
        None if ImageRef::parse(&opts.source).is_ok()
            && !record
                .id
                .hex()
                .starts_with(opts.source.trim_start_matches("sha256:")) =>
        {
            opts.source.clone()
        }
        None => bail!(error::invalid(format!(
            "push: {:?} is an image id; give a destination reference",
            opts.source
        ))),
    };
    let dest = ImageRef::parse(&dest_str)?.with_default_tag();
    if dest.digest.is_some() {
        bail!(error::invalid(format!(
            "push: the destination {dest_str:?} cannot carry a digest"
        )));
    }
    let tag = dest.tag_or_default().to_string();
    let client = opts
        .registry
        .client(ctx, &dest.domain, Some(&dest.path))
        .with_context(|| format!("pushing {dest}"))?;
    let result = push_to(&store, &client, &record, &dest, &tag, opts)
        .with_context(|| format!("pushing {dest}"))?;
    // Record where the image now is, as Docker does.
    let lock = store.lock()?;
    if let Ok(mut fresh) = store.lookup(record.id.as_str()) {
        let rd = format!("{}@{}", dest.repository(), result);
        if !fresh.digests.contains(&rd) {
            fresh.digests.push(rd);
            store.write_record(&fresh)?;
        }
    }
    drop(lock);
    Ok(PushReport {
        reference: dest.to_string(),
        digest: result,
    })
}

fn with_retry<T>(opts: &PushOptions<'_>, mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let mut delay = opts.retry_delay.unwrap_or(Duration::from_secs(1));
    let mut left = opts.retry;
    loop {
        match f() {
            Ok(v) => return Ok(v),
            Err(e) if left > 0 && client::is_transient(&e) => {
                left -= 1;
                say(
                    opts,
                    &format!("Retrying in {}s after: {e:#}", delay.as_secs_f32()),
                );
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_secs(60));
            }
            Err(e) => return Err(e),
        }
    }
}

fn push_to(
    store: &Store,
    client: &Client,
    record: &crate::storage::ImageRecord,
    dest: &ImageRef,
    tag: &str,
    opts: &PushOptions<'_>,
) -> Result<Digest> {
    let repo = &dest.path;
    let mut manifest_bytes = store.read_blob(&record.manifest.digest)?;
    let mut media_type = record.manifest.media_type.clone();
    // Repositories of the same registry this image came from or is named in: mount sources.
    let mounts: Vec<String> = record
        .digests
        .iter()
        .map(|d| d.split('@').next().unwrap_or(d).to_string())
        .chain(
            record
                .names
                .iter()
                .filter_map(|n| ImageRef::parse(n).ok().map(|r| r.repository())),
        )
        .filter_map(|full| {
            let r = ImageRef::parse(&full).ok()?;
            (r.domain == dest.domain && r.path != *repo).then_some(r.path)
        })
        .collect();

    let st = store.staging()?;
    // (digest, size, where the bytes are)
    let mut uploads: Vec<(Digest, u64, Option<PathBuf>)> = Vec::new();
    if let Some(want) = opts.compression {
        let mut doc: Value = serde_json::from_slice(&manifest_bytes)
            .map_err(|e| error::invalid(format!("the stored manifest is not JSON: {e}")))?;
        let mut changed = false;
        for (i, l) in record.layers.iter().enumerate() {
            let have = Compression::from_media_type(&l.blob.media_type)?;
            if have == want {
                uploads.push((l.blob.digest.clone(), l.blob.size, None));
                continue;
            }
            let name = if want == Compression::Zstd {
                "zstd"
            } else {
                "gzip"
            };
            say(
                opts,
                &format!("Compressing blob {} with {name}", l.blob.digest.short()),
            );
            let (digest, size, path) = recompress(store, &st, &l.blob.digest, want)?;
            let layer = &mut doc["layers"][i];
            layer["mediaType"] = Value::from(want.oci_media_type());
            layer["digest"] = Value::from(digest.as_str());
            layer["size"] = Value::from(size);
            uploads.push((digest, size, Some(path)));
            changed = true;
        }
        if changed {
            // Docker's schema 2 has no zstd: a recompressed image goes as an OCI manifest.
            doc["mediaType"] = Value::from(manifest::OCI_MANIFEST);
            doc["config"]["mediaType"] = Value::from(docker::OCI_CONFIG);
            if let Some(layers) = doc["layers"].as_array_mut() {
                for l in layers {
                    let mt = l["mediaType"].as_str().unwrap_or_default().to_string();
                    if let Ok(c) = Compression::from_media_type(&mt) {
                        l["mediaType"] = Value::from(c.oci_media_type());
                    }
                }
            }
            manifest_bytes = serde_json::to_vec(&doc)?;
            media_type = manifest::OCI_MANIFEST.to_string();
        }
    } else {
        for l in &record.layers {
            uploads.push((l.blob.digest.clone(), l.blob.size, None));
        }
    }
    say(opts, "Getting image source signatures");
    let mut blobs = uploads;
    blobs.push((record.id.clone(), record.config_size, None));
    let n = blobs.len();
    for (i, (digest, size, path)) in blobs.into_iter().enumerate() {
        let what = if i + 1 == n { "config" } else { "blob" };
        if with_retry(opts, || client.has_blob(repo, &digest))? {
            say(
                opts,
                &format!("Copying {what} {} skipped: already exists", digest.short()),
            );
            continue;
        }
        let mut mounted = false;
        for from in &mounts {
            if with_retry(opts, || client.mount_blob(repo, &digest, from))? {
                mounted = true;
                say(
                    opts,
                    &format!("Copying {what} {} mounted from {from}", digest.short()),
                );
                break;
            }
        }
        if mounted {
            continue;
        }
        say(opts, &format!("Copying {what} {}", digest.short()));
        let open = |path: &Option<PathBuf>, d: &Digest| -> Result<File> {
            match path {
                Some(p) => File::open(p).with_context(|| format!("opening {}", p.display())),
                None => store.open_blob(d),
            }
        };
        let opener = || open(&path, &digest);
        with_retry(opts, || client.upload_blob(repo, &digest, &opener, size))?;
        say(opts, &format!("Copying {what} {} done", digest.short()));
    }
    say(opts, "Writing manifest to image destination");
    let digest = Digest::of(&manifest_bytes);
    with_retry(opts, || {
        client.put_manifest(repo, tag, &manifest_bytes, &media_type)
    })?;
    Ok(digest)
}

/// Decompresses a stored layer blob and compresses it as `want` into staging: `(digest, size,
/// path)` of the new blob.
fn recompress(
    store: &Store,
    st: &atomic::Staging,
    blob: &Digest,
    want: Compression,
) -> Result<(Digest, u64, PathBuf)> {
    let (_, mut reader) = compress::decompress(store.open_blob(blob)?)?;
    let path = st.entry(&format!("push-{}", atomic::unique_name()));
    let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let hashing = Hashing::new(BufWriter::with_capacity(256 * 1024, file));
    let hashing = match want {
        Compression::Gzip => {
            let mut enc = flate2::write::GzEncoder::new(hashing, flate2::Compression::default());
            io::copy(&mut reader, &mut enc).context("compressing layer")?;
            enc.finish().context("compressing layer")?
        }
        Compression::Zstd => {
            let mut enc = zstd::stream::write::Encoder::new(hashing, 3)?;
            io::copy(&mut reader, &mut enc).context("compressing layer")?;
            enc.finish().context("compressing layer")?
        }
        Compression::None => {
            let mut h = hashing;
            io::copy(&mut reader, &mut h).context("copying layer")?;
            h
        }
    };
    let (digest, size, mut w) = hashing.finish();
    w.flush().context("writing compressed layer")?;
    Ok((digest, size, path))
}
