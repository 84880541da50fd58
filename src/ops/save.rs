//! `save`: writing images to a docker-archive or oci-archive.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::context::Context;
use crate::registry::ImageRef;
use crate::storage::archive::docker::SaveItem;
use crate::storage::archive::{Format, docker, oci};
use crate::storage::{Store, atomic};

/// Options for [`save`].
#[derive(Debug)]
pub struct SaveOptions {
    pub images: Vec<String>,
    pub format: Format,
    /// The file to write; `None` writes to the given writer (stdout).
    pub output: Option<PathBuf>,
}

/// Writes the named images to one archive. A name saves that tag; an id saves the image
/// untagged, as Docker does. A file output is written beside its target and renamed into
/// place, so a failed save leaves no partial archive.
pub fn save(ctx: &Context, opts: SaveOptions, stdout: impl Write) -> Result<()> {
    let store = Store::open(ctx)?;
    let list = store.list();
    let mut items: Vec<SaveItem> = Vec::new();
    for name in &opts.images {
        let record = crate::storage::lookup_in(&list.images, name)?;
        let by_id = crate::storage::names_by_id(&record, name);
        let tag = (!by_id)
            .then(|| ImageRef::parse(name).map(|r| r.with_default_tag().to_string()))
            .transpose()?;
        match items.iter_mut().find(|i| i.record.id == record.id) {
            Some(existing) => existing.tags.extend(tag),
            None => items.push(SaveItem {
                record,
                tags: tag.into_iter().collect(),
            }),
        }
    }
    let write = |out: &mut dyn Write| match opts.format {
        Format::DockerArchive => docker::write(&store, &items, out),
        Format::OciArchive => oci::write(&store, &items, out),
    };
    match &opts.output {
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout);
            write(&mut out)?;
            out.flush().context("writing the archive to stdout")
        }
        Some(path) => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let tmp = dir.join(format!(".berth-save-{}", atomic::unique_name()));
            let result = (|| -> Result<()> {
                let f = std::fs::File::create(&tmp)
                    .with_context(|| format!("creating {}", path.display()))?;
                let mut out = std::io::BufWriter::with_capacity(1 << 20, f);
                write(&mut out)?;
                let f = out.into_inner().map_err(|e| e.into_error())?;
                f.sync_all()?;
                std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
            })();
            if result.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            result
        }
    }
}
