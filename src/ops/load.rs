//! `load` and `import`: bringing images in from files.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use serde_json::{Map, Value, json};

use crate::context::Context;
use crate::error;
use crate::registry::ImageRef;
use crate::storage::archive::{self, LoadedImage, docker};
use crate::storage::digest::Digest;
use crate::storage::image::{Descriptor, ImageRecord, LayerRef};
use crate::storage::{Store, compress};

/// What `load` and `import` stored.
#[derive(Debug)]
pub struct LoadReport {
    pub images: Vec<ImageRecord>,
}

/// Loads every image of a docker-archive or oci-archive, from `input` or stdin. All or nothing:
/// a bad archive leaves the store as it was.
pub fn load(ctx: &Context, input: Option<PathBuf>, stdin: impl Read) -> Result<LoadReport> {
    let store = Store::open(ctx)?;
    let st = store.staging()?;
    let what = input
        .as_ref()
        .map_or("stdin".to_string(), |p| p.display().to_string());
    let path = match input {
        Some(p) => p,
        None => archive::spool(&st, stdin)?,
    };
    let loaded = archive::read(&store, &st, &path).with_context(|| format!("loading {what}"))?;
    let images = store.commit_all(&st, loaded)?;
    Ok(LoadReport { images })
}

/// Options for [`import`].
#[derive(Debug, Default)]
pub struct ImportOptions {
    /// The tarball, or `None` for stdin.
    pub source: Option<PathBuf>,
    pub reference: Option<String>,
    pub changes: Vec<String>,
    pub message: Option<String>,
}

/// Makes a one-layer image from a root filesystem tarball (plain, gzip or zstd).
pub fn import(ctx: &Context, opts: ImportOptions, stdin: impl Read) -> Result<LoadReport> {
    let name = opts
        .reference
        .as_deref()
        .map(|r| ImageRef::parse(r).map(|r| r.with_default_tag()))
        .transpose()?;
    if name.as_ref().is_some_and(|n| n.digest.is_some()) {
        bail!(error::invalid(
            "import: the new image's name cannot carry a digest"
        ));
    }
    let mut runtime = Map::new();
    for c in &opts.changes {
        crate::build::change::apply(&mut runtime, c)?;
    }
    let store = Store::open(ctx)?;
    let st = store.staging()?;
    let source_name = opts
        .source
        .as_ref()
        .map_or("-".to_string(), |p| p.display().to_string());
    let blob = match &opts.source {
        Some(p) => {
            let f = std::fs::File::open(p).with_context(|| format!("opening {}", p.display()))?;
            store.stage_blob(&st, f, None, docker::MAX_LAYER)?
        }
        None => store.stage_blob(&st, stdin, None, docker::MAX_LAYER)?,
    };
    let blob_path = blob.path().to_path_buf();
    let compression = {
        let mut head = [0u8; 8];
        let n = std::fs::File::open(&blob_path)?.read(&mut head)?;
        compress::Compression::detect(&head[..n])?
    };
    let layer = store
        .stage_layer(&st, &blob_path, None, None)
        .map_err(|e| {
            error::invalid(format!(
                "{:#}",
                e.context(format!("importing {source_name}"))
            ))
        })?;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let comment = opts
        .message
        .clone()
        .unwrap_or_else(|| format!("Imported from {source_name}"));
    let config = json!({
        "created": now,
        "architecture": archive::oci::host_arch(),
        "os": "linux",
        "config": Value::Object(runtime),
        "rootfs": {"type": "layers", "diff_ids": [layer.meta.diff_id]},
        "history": [{"created": now, "created_by": "berth import", "comment": comment}],
    });
    let config = serde_json::to_vec(&config)?;
    let id = Digest::of(&config);
    let refs = vec![LayerRef {
        blob: Descriptor {
            digest: blob.digest.clone(),
            media_type: compression.oci_media_type().to_string(),
            size: blob.size,
        },
        diff_id: layer.meta.diff_id.clone(),
        chain_id: layer.chain_id.clone(),
    }];
    let manifest = docker::oci_manifest(&id, config.len() as u64, &refs);
    let config_blob = store.stage_bytes(&st, &config)?;
    let manifest_blob = store.stage_bytes(&st, &manifest)?;
    let record = ImageRecord {
        id,
        names: name.iter().map(ToString::to_string).collect(),
        digests: Vec::new(),
        manifest: Descriptor {
            digest: manifest_blob.digest.clone(),
            media_type: docker::OCI_MANIFEST.to_string(),
            size: manifest_blob.size,
        },
        config_size: config.len() as u64,
        layers: refs,
        created: Some(now.clone()),
        size: layer.meta.size,
        labels: crate::storage::image::ConfigView::parse(&config)?.labels(),
        added: now,
    };
    let images = store.commit_all(
        &st,
        vec![LoadedImage {
            blobs: vec![blob, config_blob, manifest_blob],
            layers: vec![layer],
            record,
        }],
    )?;
    Ok(LoadReport { images })
}
