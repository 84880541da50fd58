//! Image records: what the store knows about one image, kept in `images/<id>.json`.
//!
//! The record is an index over blobs: the config and manifest stay as exact bytes in blobs/,
//! and the record carries what listing needs (names, sizes, dates) so `berth images` reads one
//! small file per image and nothing else.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::digest::Digest;

/// A content descriptor: what a blob is and how big.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Descriptor {
    pub digest: Digest,
    pub media_type: String,
    pub size: u64,
}

/// One layer of an image, bottom first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerRef {
    /// The layer blob as stored (compressed or not).
    pub blob: Descriptor,
    /// The digest of the uncompressed tar stream.
    pub diff_id: Digest,
    /// The key of the unpacked layer under layers/.
    pub chain_id: Digest,
}

/// One image in the store.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageRecord {
    /// The image id: the digest of its config blob.
    pub id: Digest,
    /// Full references with tags: `docker.io/library/busybox:latest`.
    #[serde(default)]
    pub names: Vec<String>,
    /// `repository@digest` references this image was pulled by.
    #[serde(default)]
    pub digests: Vec<String>,
    /// The manifest blob, exact bytes in blobs/.
    pub manifest: Descriptor,
    /// The config blob's size.
    pub config_size: u64,
    pub layers: Vec<LayerRef>,
    /// The config's `created`, RFC 3339, when it has one.
    #[serde(default)]
    pub created: Option<String>,
    /// Bytes of file content in all layers, unpacked.
    pub size: u64,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// When this store recorded the image, RFC 3339.
    pub added: String,
}

impl ImageRecord {
    /// True when the image has no names: `<none>:<none>` in listings.
    pub fn dangling(&self) -> bool {
        self.names.is_empty()
    }
}

/// The parts of an image config (OCI or Docker, same field names) the store reads.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConfigView {
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub config: Option<RuntimeConfigView>,
    pub rootfs: RootFsView,
}

/// The image config's `config` object: what a container of the image starts with.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuntimeConfigView {
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub env: Option<Vec<String>>,
    #[serde(default)]
    pub cmd: Option<Vec<String>>,
    #[serde(default)]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default)]
    pub working_dir: Option<String>,
    #[serde(default)]
    pub user: Option<String>,
    /// `STOPSIGNAL`: what `stop` sends first.
    #[serde(default)]
    pub stop_signal: Option<String>,
    /// `EXPOSE`: `PORT/PROTO` keys (the values are empty objects).
    #[serde(default)]
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RootFsView {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub diff_ids: Vec<Digest>,
}

impl ConfigView {
    /// Parses config bytes, naming what is wrong.
    pub fn parse(bytes: &[u8]) -> anyhow::Result<ConfigView> {
        let c: ConfigView = serde_json::from_slice(bytes)
            .map_err(|e| crate::error::invalid(format!("invalid image config: {e}")))?;
        if c.rootfs.kind != "layers" {
            anyhow::bail!(crate::error::invalid(format!(
                "invalid image config: rootfs type is {:?}, not \"layers\"",
                c.rootfs.kind
            )));
        }
        Ok(c)
    }

    pub fn labels(&self) -> BTreeMap<String, String> {
        self.config
            .as_ref()
            .and_then(|c| c.labels.clone())
            .unwrap_or_default()
    }
}
