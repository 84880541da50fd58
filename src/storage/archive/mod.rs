//! Image archives: docker-archive (`manifest.json` + `repositories`) and oci-archive (an OCI
//! image layout in a tar), read by `berth load` and written by `berth save`.
//!
//! Reading indexes the tar once (path → offset), then reads small JSON files by seeking and
//! streams each layer straight from its offset into staging, layers in parallel. Nothing here
//! takes the store lock; the caller commits what `read` staged.

pub mod docker;
pub mod oci;

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::atomic::Staging;
use super::compress::Compression;
use super::digest::Digest;
use super::image::{ConfigView, Descriptor, ImageRecord, LayerRef};
use super::unpack::read_capped;
use super::{MAX_METADATA, StagedBlob, StagedLayer, Store};
use crate::error;
use docker::MAX_LAYER;

/// Archive entries larger than this many per archive are refused (I6).
const MAX_ENTRIES: usize = 1 << 20;
/// How many layers are staged at once.
const PARALLEL_LAYERS: usize = 4;

/// The two archive formats berth reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    DockerArchive,
    OciArchive,
}

impl std::str::FromStr for Format {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Format> {
        match s {
            "docker-archive" | "docker" => Ok(Format::DockerArchive),
            "oci-archive" | "oci" => Ok(Format::OciArchive),
            other => bail!(error::invalid(format!(
                "unsupported archive format {other:?}: use docker-archive or oci-archive"
            ))),
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    offset: u64,
    size: u64,
    /// Symlink target, already joined to the link's directory.
    link: Option<String>,
}

/// An indexed tar file.
pub struct Archive {
    file: File,
    path: PathBuf,
    entries: HashMap<String, Entry>,
}

/// Normalizes a path inside an archive: no leading `./` or `/`, no `..`.
fn clean(p: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

impl Archive {
    /// Indexes the tar at `path`.
    pub fn open(path: &Path) -> Result<Archive> {
        let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let mut entries = HashMap::new();
        {
            let mut ar = tar::Archive::new(&file);
            for e in ar.entries().context("reading archive")? {
                let e = e.context("reading archive")?;
                if entries.len() >= MAX_ENTRIES {
                    bail!("archive has more than {MAX_ENTRIES} entries");
                }
                let name = String::from_utf8_lossy(&e.path_bytes()).into_owned();
                let Some(name) = clean(&name) else { continue };
                let kind = e.header().entry_type();
                let link = if kind.is_symlink() {
                    let t = e
                        .link_name_bytes()
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                        .unwrap_or_default();
                    let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
                    clean(&format!("{dir}/{t}"))
                } else if kind.is_hard_link() {
                    e.link_name_bytes()
                        .and_then(|b| clean(&String::from_utf8_lossy(&b)))
                } else if kind.is_file() {
                    None
                } else {
                    continue;
                };
                let size = e
                    .header()
                    .entry_size()
                    .context("reading archive entry size")?;
                entries.insert(
                    name,
                    Entry {
                        offset: e.raw_file_position(),
                        size,
                        link,
                    },
                );
            }
        }
        Ok(Archive {
            file,
            path: path.to_path_buf(),
            entries,
        })
    }

    fn entry(&self, name: &str) -> Result<&Entry> {
        let mut name = clean(name).unwrap_or_default();
        for _ in 0..8 {
            let e = self
                .entries
                .get(&name)
                .ok_or_else(|| error::invalid(format!("archive has no file {name:?}")))?;
            match &e.link {
                Some(t) => name = t.clone(),
                None => return Ok(e),
            }
        }
        bail!(error::invalid(format!(
            "too many links resolving {name:?} in the archive"
        )))
    }

    pub fn contains(&self, name: &str) -> bool {
        self.entry(name).is_ok()
    }

    /// A reader of one file's content.
    pub fn open_entry(&self, name: &str) -> Result<impl Read + use<>> {
        let e = self.entry(name)?;
        let mut f =
            File::open(&self.path).with_context(|| format!("reopening {}", self.path.display()))?;
        f.seek(SeekFrom::Start(e.offset))?;
        let len = f.metadata()?.len();
        if e.offset.saturating_add(e.size) > len {
            bail!(error::invalid(format!(
                "archive is truncated: {name:?} is cut short"
            )));
        }
        Ok(f.take(e.size))
    }

    /// Reads a small file (JSON metadata) whole, capped (I6).
    pub fn read_small(&self, name: &str) -> Result<Vec<u8>> {
        read_capped(self.open_entry(name)?, MAX_METADATA, name)
    }

    pub fn file(&self) -> &File {
        &self.file
    }
}

/// One image read out of an archive, staged and ready to commit.
pub struct LoadedImage {
    pub blobs: Vec<StagedBlob>,
    pub layers: Vec<StagedLayer>,
    pub record: ImageRecord,
}

/// Reads every image in the archive at `path` into `st`, detecting the format.
pub fn read(store: &Store, st: &Staging, path: &Path) -> Result<Vec<LoadedImage>> {
    let ar = Archive::open(path)
        .map_err(|e| error::invalid(format!("{:#}", e.context("not a valid image archive"))))?;
    if ar.contains(docker::MANIFEST) {
        docker::read(store, st, &ar)
    } else if ar.contains(oci::INDEX) {
        oci::read(store, st, &ar)
    } else {
        bail!(error::invalid(
            "not an image archive: it has neither manifest.json (docker-archive) nor index.json (oci-archive)"
        ))
    }
}

/// Where one layer's blob is in the archive, and its descriptor when the archive has one
/// (oci-archive); a docker-archive's layers are described by their content alone.
pub(crate) struct LayerEntry {
    pub entry: String,
    pub descriptor: Option<Descriptor>,
}

/// A layer to stage: where its blob comes from, and what the config says its diff id is.
struct LayerSource {
    entry: String,
    expected_blob: Option<Digest>,
    diff_id: Digest,
    parent: Option<Digest>,
    max_size: u64,
}

/// A staged layer blob, and its unpacked layer unless the store already had it.
type StagedPair = (StagedBlob, Option<StagedLayer>);

/// One image read out of an archive: its config and manifest bytes and its layers, staged.
pub(crate) struct StagedImage<'a> {
    pub config: &'a [u8],
    pub view: &'a ConfigView,
    pub names: Vec<String>,
}

impl StagedImage<'_> {
    /// Stages every layer (checking blob digests, sizes and diff ids), then the config and the
    /// manifest (`None`: an OCI manifest is made, as for a docker-archive), and builds the record.
    pub(crate) fn stage(
        self,
        store: &Store,
        st: &Staging,
        ar: &Archive,
        entries: Vec<LayerEntry>,
        manifest: Option<(&[u8], Descriptor)>,
    ) -> Result<LoadedImage> {
        let id = Digest::of(self.config);
        let diff_ids = &self.view.rootfs.diff_ids;
        if diff_ids.len() != entries.len() {
            bail!(error::invalid(format!(
                "image {}: the config lists {} layers, the manifest {}",
                id.short(),
                diff_ids.len(),
                entries.len()
            )));
        }
        let mut parent: Option<Digest> = None;
        let mut sources = Vec::new();
        for (e, diff_id) in entries.iter().zip(diff_ids) {
            if let Some(d) = &e.descriptor {
                Compression::from_media_type(&d.media_type)?;
            }
            sources.push(LayerSource {
                entry: e.entry.clone(),
                expected_blob: e.descriptor.as_ref().map(|d| d.digest.clone()),
                diff_id: diff_id.clone(),
                parent: parent.clone(),
                max_size: e
                    .descriptor
                    .as_ref()
                    .map_or(MAX_LAYER, |d| d.size.min(MAX_LAYER)),
            });
            parent = Some(Digest::chain(parent.as_ref(), diff_id));
        }
        let staged = stage_layers(store, st, ar, sources)?;
        let (mut blobs, mut layers, mut refs) = (Vec::new(), Vec::new(), Vec::<LayerRef>::new());
        let mut size = 0;
        for (((blob, layer), e), diff_id) in staged.into_iter().zip(entries).zip(diff_ids) {
            let descriptor = match e.descriptor {
                Some(d) if d.size != blob.size => bail!(error::invalid(format!(
                    "layer {} is {} bytes, its descriptor says {}",
                    d.digest, blob.size, d.size
                ))),
                Some(d) => d,
                None => Descriptor {
                    digest: blob.digest.clone(),
                    media_type: detect(&blob.path)?.oci_media_type().to_string(),
                    size: blob.size,
                },
            };
            let chain_id = Digest::chain(refs.last().map(|r| &r.chain_id), diff_id);
            size += match &layer {
                Some(l) => l.meta.size,
                None => store.layer(&chain_id).map_or(0, |m| m.size),
            };
            refs.push(LayerRef {
                blob: descriptor,
                diff_id: diff_id.clone(),
                chain_id,
            });
            blobs.push(blob);
            layers.extend(layer);
        }
        let made;
        let (manifest_bytes, manifest) = match manifest {
            Some(m) => m,
            None => {
                made = docker::oci_manifest(&id, self.config.len() as u64, &refs);
                let d = Descriptor {
                    digest: Digest::of(&made),
                    media_type: docker::OCI_MANIFEST.to_string(),
                    size: made.len() as u64,
                };
                (&made[..], d)
            }
        };
        blobs.push(store.stage_bytes(st, self.config)?);
        blobs.push(store.stage_bytes(st, manifest_bytes)?);
        let record = ImageRecord {
            id,
            names: self.names,
            digests: Vec::new(),
            manifest,
            config_size: self.config.len() as u64,
            layers: refs,
            created: self.view.created.clone(),
            size,
            labels: self.view.labels(),
            added: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        };
        Ok(LoadedImage {
            blobs,
            layers,
            record,
        })
    }
}

/// The compression of a staged blob, from its first bytes.
fn detect(path: &Path) -> Result<Compression> {
    let mut head = [0u8; 8];
    let n = File::open(path)?.read(&mut head)?;
    Compression::detect(&head[..n])
}

/// Stages the blobs and unpacks the layers of one image, a few at a time.
fn stage_layers(
    store: &Store,
    st: &Staging,
    ar: &Archive,
    sources: Vec<LayerSource>,
) -> Result<Vec<StagedPair>> {
    let mut results: Vec<Option<Result<StagedPair>>> = (0..sources.len()).map(|_| None).collect();
    for (chunk_i, chunk) in sources.chunks(PARALLEL_LAYERS).enumerate() {
        std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|src| {
                    s.spawn(move || -> Result<StagedPair> {
                        let r = ar.open_entry(&src.entry)?;
                        let blob = store
                            .stage_blob(st, r, src.expected_blob.as_ref(), src.max_size)
                            .with_context(|| format!("reading layer {}", src.entry))?;
                        let chain = Digest::chain(src.parent.as_ref(), &src.diff_id);
                        if store.layer(&chain).is_some() {
                            store
                                .verify_diff_id(&blob.path, &src.diff_id)
                                .with_context(|| format!("reading layer {}", src.entry))?;
                            return Ok((blob, None));
                        }
                        let layer = store
                            .stage_layer(st, &blob.path, Some(&src.diff_id), src.parent.as_ref())
                            .with_context(|| format!("unpacking layer {}", src.entry))?;
                        Ok((blob, Some(layer)))
                    })
                })
                .collect();
            for (i, h) in handles.into_iter().enumerate() {
                let r = h
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("layer worker panicked")));
                results[chunk_i * PARALLEL_LAYERS + i] = Some(r);
            }
        });
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(anyhow::anyhow!("layer was not staged"))))
        .collect()
}

/// Copies stdin into a staged file so it can be indexed like any archive.
pub fn spool(st: &Staging, mut input: impl Read) -> Result<PathBuf> {
    let path = st.entry("input.tar");
    let mut f = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    io::copy(&mut input, &mut f).context("reading the archive from stdin")?;
    Ok(path)
}
