//! Unpacking a layer blob into a directory: decompress, hash the diff id, apply. Also the other
//! work on trees owned by an image's ids: copying unpacked layers into a container's copy
//! rootfs, and removing trees.
//!
//! Runs in-process as root, or inside a mapped user namespace for rootless stores (the
//! `__userns unpack|copy|idshift|rmtree` child), so ownership in the layer is right either way.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};

use super::apply::{self, ApplyOptions, WhiteoutMode};
use super::compress;
use super::copy::{self, CopyOptions};
use super::digest::{Digest, Hashing};
use crate::runtime::userns::{self, IdMaps};

/// What unpacking one blob produced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Unpacked {
    /// The digest of the uncompressed tar stream.
    pub diff_id: Digest,
    /// Length of the uncompressed tar stream.
    pub diff_size: u64,
    /// Bytes of file content.
    pub size: u64,
}

/// How to unpack: as real root, or as root of a mapped user namespace.
#[derive(Debug, Clone)]
pub enum Unpacker {
    Root,
    Userns(IdMaps),
}

impl Unpacker {
    /// Unpacks the blob at `blob` into the existing empty directory `dest`.
    pub fn unpack(&self, blob: &Path, dest: &Path) -> Result<Unpacked> {
        match self {
            Unpacker::Root => unpack(blob, dest, false, false),
            Unpacker::Userns(maps) => {
                let args = [
                    OsString::from("unpack"),
                    OsString::from(if maps.is_full() { "full" } else { "single" }),
                    blob.as_os_str().to_owned(),
                    dest.as_os_str().to_owned(),
                ];
                let out = userns::run(maps, &args)?;
                serde_json::from_slice(&out).context("reading the unpack helper's result")
            }
        }
    }

    /// Copies unpacked layer directories (lowest first) into the existing empty directory
    /// `dest`, applying whiteouts as overlayfs would (see `storage::copy`).
    pub fn copy_layers(&self, layers: &[PathBuf], dest: &Path) -> Result<()> {
        match self {
            Unpacker::Root => copy_layers(layers, dest, false),
            Unpacker::Userns(maps) => {
                let mut args = vec![
                    OsString::from("copy"),
                    OsString::from(if maps.is_full() { "full" } else { "single" }),
                    dest.as_os_str().to_owned(),
                ];
                args.extend(layers.iter().map(|l| l.as_os_str().to_owned()));
                userns::run(maps, &args).map(|_| ())
            }
        }
    }

    /// Gives the tree at `dest` the owners `maps` maps its current ones to (`storage::idshift`).
    pub fn shift_ids(&self, dest: &Path, maps: &IdMaps) -> Result<()> {
        use super::idshift::{maps_arg, shift_tree};
        match self {
            Unpacker::Root => shift_tree(dest, &maps.uids, &maps.gids),
            Unpacker::Userns(ns) => {
                let args = [
                    OsString::from("idshift"),
                    dest.as_os_str().to_owned(),
                    OsString::from(maps_arg(&maps.uids)),
                    OsString::from(maps_arg(&maps.gids)),
                ];
                userns::run(ns, &args).map(|_| ())
            }
        }
    }

    /// Removes a directory tree that may hold files owned by subordinate ids.
    pub fn remove_tree(&self, path: &Path) -> Result<()> {
        match self {
            Unpacker::Root => std::fs::remove_dir_all(path)
                .with_context(|| format!("removing {}", path.display())),
            Unpacker::Userns(maps) => {
                if std::fs::remove_dir_all(path).is_ok() {
                    return Ok(());
                }
                userns::run(
                    maps,
                    &[OsString::from("rmtree"), path.as_os_str().to_owned()],
                )
                .map(|_| ())
            }
        }
    }
}

/// Decompresses, hashes and applies `blob` into `dest`.
pub fn unpack(blob: &Path, dest: &Path, in_userns: bool, single_id: bool) -> Result<Unpacked> {
    let file = File::open(blob).with_context(|| format!("opening {}", blob.display()))?;
    let (_, reader) = compress::decompress(file)?;
    let mut hashing = Hashing::new(reader);
    let opts = ApplyOptions {
        whiteouts: WhiteoutMode::Overlay {
            xattr_prefix: if in_userns {
                "user.overlay."
            } else {
                "trusted.overlay."
            },
        },
        skip_devices: in_userns,
        ignore_chown_errors: single_id,
        ..ApplyOptions::default()
    };
    let stats = apply::apply_layer(&mut hashing, dest, &opts)?;
    // The diff id covers the whole stream, including padding after the end-of-archive blocks.
    io::copy(&mut hashing, &mut io::sink()).context("reading the rest of the layer")?;
    if stats.skipped_devices > 0 {
        log::debug!("skipped {} device nodes (rootless)", stats.skipped_devices);
    }
    if stats.chown_errors > 0 {
        log::debug!(
            "{} files kept the caller's ownership (single-id mapping)",
            stats.chown_errors
        );
    }
    let (diff_id, diff_size, _) = hashing.finish();
    Ok(Unpacked {
        diff_id,
        diff_size,
        size: stats.size,
    })
}

/// Copies `layers` into `dest` and logs what it could not keep.
fn copy_layers(layers: &[PathBuf], dest: &Path, single_id: bool) -> Result<()> {
    let opts = CopyOptions {
        ignore_chown_errors: single_id,
    };
    let stats = copy::materialise(layers, dest, &opts)?;
    log::debug!(
        "copied {} entries ({} bytes) into {}: {} whiteouts, {} owners and {} attributes dropped",
        stats.entries,
        stats.bytes,
        dest.display(),
        stats.whiteouts,
        stats.chown_errors,
        stats.skipped_xattrs
    );
    Ok(())
}

/// The diff id and uncompressed length of a layer blob, without unpacking it.
pub fn diff_id(blob: &Path) -> Result<(Digest, u64)> {
    let file = File::open(blob).with_context(|| format!("opening {}", blob.display()))?;
    let (_, reader) = compress::decompress(file)?;
    let mut hashing = Hashing::new(reader);
    io::copy(&mut hashing, &mut io::sink()).context("decompressing layer")?;
    let (d, n, _) = hashing.finish();
    Ok((d, n))
}

/// The `berth __userns …` child: enters the namespace, runs one operation, prints its result.
pub fn userns_child(args: &[OsString]) -> Result<Vec<u8>> {
    userns::enter_as_child()?;
    let arg = |i: usize| -> Result<&OsString> { args.get(i).context("missing helper argument") };
    match arg(0)?.to_str() {
        Some("unpack") => {
            let single = arg(1)? == "single";
            let (blob, dest) = (PathBuf::from(arg(2)?), PathBuf::from(arg(3)?));
            let u = unpack(&blob, &dest, true, single)?;
            Ok(serde_json::to_vec(&u)?)
        }
        Some("copy") => {
            let single = arg(1)? == "single";
            let dest = PathBuf::from(arg(2)?);
            let layers: Vec<PathBuf> = args.iter().skip(3).map(PathBuf::from).collect();
            copy_layers(&layers, &dest, single)?;
            Ok(Vec::new())
        }
        Some("idshift") => {
            use super::idshift::{parse_maps_arg, shift_tree};
            let dest = PathBuf::from(arg(1)?);
            let text = |i: usize| -> Result<String> {
                arg(i)?
                    .to_str()
                    .map(str::to_string)
                    .context("bad helper argument")
            };
            let (uids, gids) = (parse_maps_arg(&text(2)?)?, parse_maps_arg(&text(3)?)?);
            shift_tree(&dest, &uids, &gids)?;
            Ok(Vec::new())
        }
        Some("rmtree") => {
            let p = PathBuf::from(arg(1)?);
            std::fs::remove_dir_all(&p).with_context(|| format!("removing {}", p.display()))?;
            Ok(Vec::new())
        }
        _ => bail!("unknown helper operation"),
    }
}

/// Reads a whole small file, refusing one larger than `cap` bytes (I6).
pub fn read_capped(mut r: impl Read, cap: u64, what: &str) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    r.by_ref()
        .take(cap + 1)
        .read_to_end(&mut buf)
        .with_context(|| format!("reading {what}"))?;
    if buf.len() as u64 > cap {
        bail!("{what} is larger than {cap} bytes");
    }
    Ok(buf)
}
