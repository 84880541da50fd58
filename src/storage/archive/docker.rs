//! docker-archive: `manifest.json`, `repositories`, `<hex>.json` configs and uncompressed
//! `<diff-id>.tar` layers, as `docker save` and `podman save` write them.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};

use super::{Archive, LayerEntry, LoadedImage, StagedImage};
use crate::error;
use crate::registry::ImageRef;
use crate::storage::Store;
use crate::storage::atomic::Staging;
use crate::storage::compress;
use crate::storage::digest::Digest;
use crate::storage::image::{ConfigView, ImageRecord, LayerRef};

pub const MANIFEST: &str = "manifest.json";
const REPOSITORIES: &str = "repositories";
/// An uncompressed layer may be this large (I6: finite).
pub const MAX_LAYER: u64 = 64 << 30;

#[derive(Debug, Serialize, Deserialize)]
pub struct ManifestItem {
    #[serde(rename = "Config")]
    pub config: String,
    #[serde(rename = "RepoTags", default)]
    pub repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers")]
    pub layers: Vec<String>,
}

/// The digest a path like `<hex>.json` or `blobs/sha256/<hex>` claims for its content.
fn claimed_digest(path: &str) -> Option<Digest> {
    let base = path.rsplit('/').next()?;
    let hex = base.strip_suffix(".json").unwrap_or(base);
    Digest::from_hex(hex).ok()
}

pub(super) fn read(store: &Store, st: &Staging, ar: &Archive) -> Result<Vec<LoadedImage>> {
    let items: Vec<ManifestItem> = serde_json::from_slice(&ar.read_small(MANIFEST)?)
        .map_err(|e| error::invalid(format!("invalid manifest.json: {e}")))?;
    if items.is_empty() {
        bail!(error::invalid("manifest.json lists no images"));
    }
    let mut out = Vec::new();
    for item in items {
        let config = ar.read_small(&item.config)?;
        let id = Digest::of(&config);
        if let Some(claimed) = claimed_digest(&item.config)
            && claimed != id
        {
            bail!(error::invalid(format!(
                "digest mismatch: config {} has digest {id}",
                item.config
            )));
        }
        let view = ConfigView::parse(&config)?;
        let mut names = Vec::new();
        for t in item.repo_tags.iter().flatten() {
            let r =
                ImageRef::parse(t).with_context(|| format!("RepoTags of image {}", id.short()))?;
            names.push(r.with_default_tag().to_string());
        }
        let entries = item
            .layers
            .iter()
            .map(|l| LayerEntry {
                entry: l.clone(),
                descriptor: None,
            })
            .collect();
        let image = StagedImage {
            config: &config,
            view: &view,
            names,
        };
        out.push(image.stage(store, st, ar, entries, None)?);
    }
    Ok(out)
}

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";

/// An OCI manifest for an image that arrived without one (docker-archive, import).
pub fn oci_manifest(config: &Digest, config_size: u64, layers: &[LayerRef]) -> Vec<u8> {
    let layers: Vec<_> = layers
        .iter()
        .map(|l| {
            serde_json::json!({
                "mediaType": l.blob.media_type,
                "digest": l.blob.digest,
                "size": l.blob.size,
            })
        })
        .collect();
    let m = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": config, "size": config_size},
        "layers": layers,
    });
    serde_json::to_vec(&m).expect("a json! value always serializes")
}

/// One image to write: its record and the tags to put in RepoTags (full references).
pub struct SaveItem {
    pub record: ImageRecord,
    pub tags: Vec<String>,
}

/// Writes a docker-archive of `items` to `out`.
pub fn write(store: &Store, items: &[SaveItem], out: impl Write) -> Result<()> {
    let mut b = tar::Builder::new(out);
    let mut written = HashSet::new();
    let mut manifest = Vec::new();
    let mut repositories: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for item in items {
        let r = &item.record;
        let mut layer_names = Vec::new();
        for l in &r.layers {
            let name = format!("{}.tar", l.diff_id.hex());
            if written.insert(name.clone()) {
                let meta = store.layer(&l.chain_id).with_context(|| {
                    format!(
                        "layer {} of image {} is missing",
                        l.chain_id.short(),
                        r.id.short()
                    )
                })?;
                let blob = store.open_blob(&l.blob.digest)?;
                let (_, reader) = compress::decompress(blob)?;
                append(&mut b, &name, meta.diff_size, reader)?;
            }
            layer_names.push(name);
        }
        let config_name = format!("{}.json", r.id.hex());
        if written.insert(config_name.clone()) {
            let config = store.read_blob(&r.id)?;
            append(&mut b, &config_name, config.len() as u64, &config[..])?;
        }
        // Full references: Docker normalizes them on load as it does short ones, and Podman
        // would otherwise file a short name under localhost/.
        let tags = item.tags.clone();
        for t in &item.tags {
            if let (Ok(parsed), Some(top)) = (ImageRef::parse(t), r.layers.last()) {
                repositories
                    .entry(parsed.familiar_repository())
                    .or_default()
                    .insert(
                        parsed.tag_or_default().to_string(),
                        top.diff_id.hex().to_string(),
                    );
            }
        }
        manifest.push(ManifestItem {
            config: config_name,
            repo_tags: (!tags.is_empty()).then_some(tags),
            layers: layer_names,
        });
    }
    let manifest = serde_json::to_vec(&manifest)?;
    append(&mut b, MANIFEST, manifest.len() as u64, &manifest[..])?;
    if !repositories.is_empty() {
        let repos = serde_json::to_vec(&repositories)?;
        append(&mut b, REPOSITORIES, repos.len() as u64, &repos[..])?;
    }
    b.into_inner()
        .context("finishing archive")?
        .flush()
        .context("writing archive")?;
    Ok(())
}

/// Appends one regular file whose length is known in advance.
/// Appends a directory entry (mode 0755).
pub(super) fn append_dir(b: &mut tar::Builder<impl Write>, name: &str) -> Result<()> {
    let mut h = tar::Header::new_ustar();
    h.set_path(name)?;
    h.set_size(0);
    h.set_mode(0o755);
    h.set_mtime(0);
    h.set_entry_type(tar::EntryType::Directory);
    h.set_cksum();
    b.append(&h, io::empty())
        .with_context(|| format!("writing {name} to the archive"))
}

pub(super) fn append(
    b: &mut tar::Builder<impl Write>,
    name: &str,
    size: u64,
    mut data: impl io::Read,
) -> Result<()> {
    let mut h = tar::Header::new_ustar();
    h.set_path(name)?;
    h.set_size(size);
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_entry_type(tar::EntryType::Regular);
    h.set_cksum();
    // A layer that does not produce exactly `size` bytes would corrupt the archive.
    let mut counted = crate::storage::digest::Hashing::new(crate::storage::compress::Capped::new(
        &mut data, size, "layer",
    ));
    b.append(&h, &mut counted)
        .with_context(|| format!("writing {name} to the archive"))?;
    if counted.count() != size {
        bail!(
            "{name} is shorter than recorded ({} of {size} bytes)",
            counted.count()
        );
    }
    Ok(())
}
