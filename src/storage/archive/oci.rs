//! oci-archive: an OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/…`) in a tar.
//!
//! Every blob is checked against the digest that names it (SECURITY.md I7); indexes nest at most
//! 8 deep and pick the host's platform.

use std::collections::HashSet;
use std::io::Write;

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;

use super::docker::{SaveItem, append, append_dir};
use super::{Archive, LayerEntry, LoadedImage, StagedImage};
use crate::error;
use crate::registry::ImageRef;
use crate::storage::atomic::Staging;
use crate::storage::digest::Digest;
use crate::storage::image::{ConfigView, Descriptor};
use crate::storage::{MAX_METADATA, Store};

pub const INDEX: &str = "index.json";
const LAYOUT: &str = "oci-layout";
const REF_NAME: &str = "org.opencontainers.image.ref.name";
const CONTAINERD_NAME: &str = "io.containerd.image.name";
const MAX_NESTING: usize = 8;
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// Image config media types berth reads (an empty one is tolerated, as in old layouts).
const CONFIG_TYPES: &[&str] = &[
    "",
    "application/vnd.oci.image.config.v1+json",
    "application/vnd.docker.container.image.v1+json",
];
const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Desc {
    #[serde(default)]
    media_type: String,
    digest: Digest,
    size: u64,
    #[serde(default)]
    annotations: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    platform: Option<Platform>,
}

#[derive(Debug, Deserialize)]
struct Platform {
    architecture: String,
    os: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Index {
    #[serde(default)]
    manifests: Vec<Desc>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    #[serde(default)]
    media_type: Option<String>,
    config: Desc,
    layers: Vec<Desc>,
}

fn blob_path(d: &Digest) -> String {
    format!("blobs/sha256/{}", d.hex())
}

/// Reads a small blob and checks it against its descriptor.
fn read_blob(ar: &Archive, d: &Desc) -> Result<Vec<u8>> {
    if d.size > MAX_METADATA {
        bail!(error::invalid(format!(
            "blob {} is too large for metadata",
            d.digest
        )));
    }
    let bytes = ar.read_small(&blob_path(&d.digest))?;
    if Digest::of(&bytes) != d.digest || bytes.len() as u64 != d.size {
        bail!(error::invalid(format!(
            "digest mismatch: blob {} does not match its descriptor",
            d.digest
        )));
    }
    Ok(bytes)
}

/// The Go architecture name of this host.
pub fn host_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        other => other,
    }
}

/// The name an index entry carries, as a full reference.
fn entry_name(d: &Desc) -> Option<String> {
    let a = d.annotations.as_ref()?;
    let raw = a.get(CONTAINERD_NAME).or_else(|| a.get(REF_NAME))?;
    // A bare tag ("latest") names no repository: such an image loads untagged.
    if !raw.contains('/') && !raw.contains(':') && a.get(CONTAINERD_NAME).is_none() {
        return None;
    }
    ImageRef::parse(raw)
        .ok()
        .map(|r| r.with_default_tag().to_string())
}

/// Follows indexes down to manifests for the host platform.
fn manifests(
    ar: &Archive,
    d: Desc,
    depth: usize,
    out: &mut Vec<(Desc, Option<String>)>,
    name: Option<String>,
) -> Result<()> {
    if depth > MAX_NESTING {
        bail!(error::invalid("image index nests more than 8 deep"));
    }
    match d.media_type.as_str() {
        OCI_INDEX | DOCKER_LIST => {
            let idx: Index = serde_json::from_slice(&read_blob(ar, &d)?)
                .map_err(|e| error::invalid(format!("invalid image index {}: {e}", d.digest)))?;
            let pick = idx.manifests.into_iter().find(|m| {
                m.platform
                    .as_ref()
                    .is_none_or(|p| p.architecture == host_arch() && p.os == "linux")
            });
            match pick {
                Some(m) => manifests(ar, m, depth + 1, out, name),
                None => bail!(error::invalid(format!(
                    "image index {} has no image for linux/{}",
                    d.digest,
                    host_arch()
                ))),
            }
        }
        "" | crate::storage::archive::docker::OCI_MANIFEST | DOCKER_MANIFEST => {
            out.push((d, name));
            Ok(())
        }
        other => bail!(error::invalid(format!(
            "unknown media type {other:?} in image index"
        ))),
    }
}

pub(super) fn read(store: &Store, st: &Staging, ar: &Archive) -> Result<Vec<LoadedImage>> {
    let index: Index = serde_json::from_slice(&ar.read_small(INDEX)?)
        .map_err(|e| error::invalid(format!("invalid index.json: {e}")))?;
    if index.manifests.is_empty() {
        bail!(error::invalid("index.json lists no images"));
    }
    let mut found = Vec::new();
    for d in index.manifests {
        let name = entry_name(&d);
        manifests(ar, d, 0, &mut found, name)?;
    }
    let mut out: Vec<LoadedImage> = Vec::new();
    for (desc, name) in found {
        // Several names for one manifest load as one image with several names.
        if let Some(prev) = out
            .iter_mut()
            .find(|i| i.record.manifest.digest == desc.digest)
        {
            prev.record.names.extend(name);
            continue;
        }
        let manifest_bytes = read_blob(ar, &desc)?;
        let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
            .map_err(|e| error::invalid(format!("invalid manifest {}: {e}", desc.digest)))?;
        if !CONFIG_TYPES.contains(&manifest.config.media_type.as_str()) {
            bail!(error::invalid(format!(
                "unknown config media type {:?} in manifest {}",
                manifest.config.media_type, desc.digest
            )));
        }
        let config_bytes = read_blob(ar, &manifest.config)?;
        let view = ConfigView::parse(&config_bytes)?;
        let entries = manifest
            .layers
            .into_iter()
            .map(|l| LayerEntry {
                entry: blob_path(&l.digest),
                descriptor: Some(Descriptor {
                    digest: l.digest,
                    media_type: l.media_type,
                    size: l.size,
                }),
            })
            .collect();
        let manifest_desc = Descriptor {
            digest: desc.digest,
            media_type: manifest.media_type.unwrap_or(desc.media_type),
            size: desc.size,
        };
        let image = StagedImage {
            config: &config_bytes,
            view: &view,
            names: name.into_iter().collect(),
        };
        out.push(image.stage(
            store,
            st,
            ar,
            entries,
            Some((&manifest_bytes, manifest_desc)),
        )?);
    }
    Ok(out)
}

/// Writes an oci-archive of `items` to `out`: every blob as stored, one index entry per tag.
pub fn write(store: &Store, items: &[SaveItem], out: impl Write) -> Result<()> {
    let mut b = tar::Builder::new(out);
    let layout = br#"{"imageLayoutVersion":"1.0.0"}"#;
    append(&mut b, LAYOUT, layout.len() as u64, &layout[..])?;
    // Explicit directory entries: an unprivileged skopeo that unpacks the archive otherwise
    // fails to chown the directories it had to invent.
    for dir in ["blobs/", "blobs/sha256/"] {
        append_dir(&mut b, dir)?;
    }
    let mut written = HashSet::new();
    let mut index = Vec::new();
    for item in items {
        let r = &item.record;
        let mut blobs: Vec<(Digest, u64)> = vec![
            (r.manifest.digest.clone(), r.manifest.size),
            (r.id.clone(), r.config_size),
        ];
        blobs.extend(
            r.layers
                .iter()
                .map(|l| (l.blob.digest.clone(), l.blob.size)),
        );
        for (d, size) in blobs {
            if written.insert(d.clone()) {
                let f = store.open_blob(&d)?;
                append(&mut b, &blob_path(&d), size, f)
                    .with_context(|| format!("image {}", r.id.short()))?;
            }
        }
        let desc = |name: Option<&String>| {
            let mut d = serde_json::json!({
                "mediaType": r.manifest.media_type,
                "digest": r.manifest.digest,
                "size": r.manifest.size,
            });
            if let Some(n) = name {
                d["annotations"] = serde_json::json!({ REF_NAME: n, CONTAINERD_NAME: n });
            }
            d
        };
        if item.tags.is_empty() {
            index.push(desc(None));
        }
        for t in &item.tags {
            index.push(desc(Some(t)));
        }
    }
    let index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": index,
    }))?;
    append(&mut b, INDEX, index.len() as u64, &index[..])?;
    b.into_inner()
        .context("finishing archive")?
        .flush()
        .context("writing archive")?;
    Ok(())
}
