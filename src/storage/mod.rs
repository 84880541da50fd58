//! The store: content-addressed blobs, unpacked layers by chain id, image records.
//!
//! Owns every path under the store root (see `layout`). Mutations follow SECURITY.md I9:
//! stage under tmp/ without the lock, then take the store lock only to rename into place and
//! write records. Readers take no lock: every file they read was renamed into place whole.

pub mod apply;
pub mod archive;
pub mod atomic;
pub mod compress;
pub mod container;
pub mod copy;
pub mod digest;
pub mod events;
pub mod idshift;
pub mod image;
pub mod inroot;
pub mod layout;
pub mod lock;
pub mod mountpoints;
pub mod namespaces;
pub mod unpack;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Read};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::error;
use crate::registry::ImageRef;
use atomic::Staging;
use digest::{Digest, Hashing};
pub use image::{Descriptor, ImageRecord, LayerRef};
use layout::Layout;
use unpack::{Unpacked, Unpacker};

/// Manifests, indexes and configs larger than this are refused (I6).
pub const MAX_METADATA: u64 = 4 << 20;

/// An open store.
#[derive(Debug)]
pub struct Store {
    layout: Layout,
    /// The caller's uid, gid and name when the store is rootless.
    rootless: Option<(u32, u32, Option<String>)>,
    /// Planned on first use: listing images needs no id maps (nor their warnings).
    unpacker: OnceLock<Unpacker>,
}

/// Proof that the caller holds the store's write lock.
#[derive(Debug)]
pub struct StoreLock {
    _lock: lock::Lock,
}

/// A blob written to staging whose digest has been checked.
#[derive(Debug)]
pub struct StagedBlob {
    pub digest: Digest,
    pub size: u64,
    path: PathBuf,
}

impl StagedBlob {
    /// Where the staged bytes are, until commit.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A layer unpacked into staging, keyed by its chain id.
#[derive(Debug)]
pub struct StagedLayer {
    pub chain_id: Digest,
    pub meta: LayerMeta,
    path: PathBuf,
}

/// `layers/<chain>/layer.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LayerMeta {
    pub chain_id: Digest,
    pub diff_id: Digest,
    pub parent: Option<Digest>,
    /// Length of the uncompressed tar stream.
    pub diff_size: u64,
    /// Bytes of file content.
    pub size: u64,
}

/// What listing found: the good records and the ones that could not be used.
#[derive(Debug, Default)]
pub struct ImageList {
    pub images: Vec<ImageRecord>,
    /// (what, why) for each broken record, to report and skip.
    pub broken: Vec<(String, String)>,
}

impl Store {
    /// Opens the store for `ctx`, creating its directories (0700, I18/I19) on first use.
    pub fn open(ctx: &Context) -> Result<Store> {
        let layout = Layout::new(&ctx.root);
        if !layout.store_lock().exists() {
            for d in std::iter::once(layout.root.clone()).chain(layout.dirs()) {
                atomic::ensure_private_dir(&d)?;
            }
        }
        let meta = fs::symlink_metadata(&layout.root)
            .with_context(|| format!("opening store {}", layout.root.display()))?;
        if !meta.is_dir() {
            bail!("store {} is not a directory", layout.root.display());
        }
        if meta.uid() != nix::unistd::geteuid().as_raw() {
            bail!(
                "store {} belongs to uid {}, not to you: pass --root to use your own",
                layout.root.display(),
                meta.uid()
            );
        }
        if meta.permissions().mode() & 0o077 != 0 {
            fs::set_permissions(&layout.root, fs::Permissions::from_mode(0o700))
                .with_context(|| format!("making {} private", layout.root.display()))?;
        }
        Ok(Store {
            layout,
            rootless: ctx
                .rootless
                .then(|| (ctx.uid, ctx.gid, ctx.user_name.clone())),
            unpacker: OnceLock::new(),
        })
    }

    fn unpacker(&self) -> &Unpacker {
        self.unpacker.get_or_init(|| match &self.rootless {
            Some((uid, gid, name)) => Unpacker::Userns(crate::runtime::userns::maps_for(
                *uid,
                *gid,
                name.as_deref(),
                Path::new("/etc"),
            )),
            None => Unpacker::Root,
        })
    }

    /// The container directories and name reservations of this store.
    pub fn containers(&self) -> container::ContainerDirs {
        self.layout.containers()
    }

    /// The directory of network records and address allocations (`net::network` lays it out).
    pub fn networks(&self) -> PathBuf {
        self.layout.networks()
    }

    /// The unpacked layer directories of an image, lowest first.
    pub fn layer_dirs(&self, record: &ImageRecord) -> Vec<PathBuf> {
        record
            .layers
            .iter()
            .map(|l| self.layer_diff(&l.chain_id))
            .collect()
    }

    /// The unpacked layer directories of an image for an overlay root, lowest first, topped by
    /// the stack's mount points layer when it has one (see [`mountpoints`]).
    pub fn overlay_layer_dirs(&self, record: &ImageRecord) -> Vec<PathBuf> {
        let mut dirs = self.layer_dirs(record);
        if let Some(top) = record.layers.last()
            && let Some(m) =
                mountpoints::layer(&dirs, &self.layout.layer(&top.chain_id), &self.layout.tmp())
        {
            dirs.push(m);
        }
        dirs
    }

    /// Creates container `id`'s copy rootfs, `<container dir>/rootfs`, and fills it with the
    /// image's layers (see `copy`). Returns its path. The copy is made under another name and
    /// renamed into place when complete, so an existing `rootfs` is always whole. On error the
    /// partial copy stays in the container's directory, for [`Store::remove_container_dir`] to
    /// remove with the rest; a later start then fails naming it rather than using half a copy.
    pub fn create_rootfs_copy(
        &self,
        id: &container::ContainerId,
        image: &ImageRecord,
    ) -> Result<PathBuf> {
        self.create_shifted_rootfs_copy(id, image, None)
    }

    /// [`Store::create_rootfs_copy`], with the owners shifted through `shift` (in the store's
    /// ids: the host's as root, the user namespace helper's rootless) before the copy is
    /// renamed into place: a copy for a container with a user namespace of its own.
    pub fn create_shifted_rootfs_copy(
        &self,
        id: &container::ContainerId,
        image: &ImageRecord,
        shift: Option<&crate::runtime::userns::IdMaps>,
    ) -> Result<PathBuf> {
        let dir = self.containers().dir(id);
        let partial = dir.join(format!("{}.partial", layout::ROOTFS_COPY));
        fs::create_dir(&partial).with_context(|| {
            format!(
                "creating {} (an earlier copy of the image was interrupted: remove the container and create it again)",
                partial.display()
            )
        })?;
        self.unpacker()
            .copy_layers(&self.layer_dirs(image), &partial)
            .with_context(|| {
                format!(
                    "copying image {} into {}",
                    image.id.short(),
                    partial.display()
                )
            })?;
        if let Some(maps) = shift {
            self.unpacker().shift_ids(&partial, maps)?;
        }
        let done = dir.join(layout::ROOTFS_COPY);
        fs::rename(&partial, &done)
            .with_context(|| format!("renaming {} into place", partial.display()))?;
        Ok(done)
    }

    /// Removes container `id`'s directory, files owned by subordinate ids included.
    ///
    /// The directory leaves the store at once (a rename into trash/). With `detached`, what it
    /// held is then deleted by a detached child process while the caller goes on, when the
    /// caller is single-threaded (fork is safe): for the end of a `--rm` container, one at a
    /// time (a prune of many removes them in its own process). Deleting a container's dozen directories costs a
    /// synchronous discard each on a disk mounted with `discard`, about half a millisecond in
    /// all, on the path of every `run --rm`. A child that is killed midway leaves the rest in
    /// trash/, which the next [`Store::lock`] empties.
    pub fn remove_container_dir(&self, id: &container::ContainerId, detached: bool) -> Result<()> {
        let dir = self.containers().dir(id);
        if !dir.exists() {
            return Ok(());
        }
        let trash = atomic::move_to_trash(&dir, &self.layout.trash())?;
        // overlayfs leaves work/work mode 000: opened up, a rootless container that wrote
        // nothing as a subordinate id is removed without the user-namespace helper.
        for sub in ["work/work", "work/index", "work/incompat"] {
            let _ = fs::set_permissions(trash.join(sub), fs::Permissions::from_mode(0o700));
        }
        if detached && crate::runtime::sys::single_threaded() && self.remove_tree_detached(&trash) {
            return Ok(());
        }
        self.unpacker().remove_tree(&trash)
    }

    /// Deletes `tree` in a detached child; false when it could not fork.
    fn remove_tree_detached(&self, tree: &Path) -> bool {
        crate::runtime::sys::detached(|| {
            let _ = self.unpacker().remove_tree(tree);
        })
        .map_err(|e| log::debug!("forking to remove {}: {e}", tree.display()))
        .is_ok()
    }

    /// Takes the store's write lock, then removes what crashed commands left behind.
    pub fn lock(&self) -> Result<StoreLock> {
        let l = lock::exclusive(&self.layout.store_lock(), lock::LOCK_TIMEOUT)?;
        for left in atomic::clean_tmp(&self.layout.tmp()) {
            self.remove_tree_logged(&left);
        }
        if let Ok(entries) = fs::read_dir(self.layout.trash()) {
            for e in entries.flatten() {
                self.remove_tree_logged(&e.path());
            }
        }
        Ok(StoreLock { _lock: l })
    }

    /// The store's write lock without [`Store::lock`]'s clean-up of tmp/ and trash/: for a
    /// short section that only needs to exclude writers (`create` writing a container record
    /// against `rmi`), on the path of every `run`.
    pub fn lock_briefly(&self) -> Result<StoreLock> {
        let l = lock::exclusive(&self.layout.store_lock(), lock::LOCK_TIMEOUT)?;
        Ok(StoreLock { _lock: l })
    }

    /// The lock under which `--userns auto` picks an id range and records it in the new
    /// container's config, so that two parallel creates never pick the same range. Taken before
    /// the store lock when both are held.
    pub fn lock_id_ranges(&self) -> Result<lock::Lock> {
        atomic::ensure_private_dir(&self.layout.locks())?;
        lock::exclusive(
            &self.layout.locks().join("id-ranges.lock"),
            lock::LOCK_TIMEOUT,
        )
    }

    fn remove_tree_logged(&self, path: &Path) {
        let r = if path.is_dir() {
            self.unpacker().remove_tree(path)
        } else {
            fs::remove_file(path).map_err(anyhow::Error::from)
        };
        // A detached remover (see remove_container_dir) may be deleting it too.
        if let Err(e) = r
            && path.exists()
        {
            log::warn!("cleaning up {}: {e:#}", path.display());
        }
    }

    /// A staging area in tmp/ for work done before the lock is taken.
    pub fn staging(&self) -> Result<Staging> {
        Staging::new(&self.layout.tmp())
    }

    pub fn has_blob(&self, d: &Digest) -> bool {
        self.layout.blob(d).exists()
    }

    /// Opens a stored blob.
    pub fn open_blob(&self, d: &Digest) -> Result<File> {
        File::open(self.layout.blob(d)).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                anyhow::anyhow!("blob {d} is missing from the store")
            } else {
                anyhow::Error::from(e).context(format!("opening blob {d}"))
            }
        })
    }

    /// Reads a small stored blob (config, manifest) and checks its digest.
    pub fn read_blob(&self, d: &Digest) -> Result<Vec<u8>> {
        let bytes = unpack::read_capped(self.open_blob(d)?, MAX_METADATA, &format!("blob {d}"))?;
        if Digest::of(&bytes) != *d {
            bail!("blob {d} is corrupt: its content does not match its digest");
        }
        Ok(bytes)
    }

    /// Streams `r` into staging, hashing as it goes; checks `expected` when given and caps the
    /// size at `max` bytes.
    pub fn stage_blob(
        &self,
        st: &Staging,
        r: impl Read,
        expected: Option<&Digest>,
        max: u64,
    ) -> Result<StagedBlob> {
        let path = st.entry(&format!("blob-{}", atomic::unique_name()));
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let mut w = Hashing::new(io::BufWriter::with_capacity(256 * 1024, file));
        let mut r = compress::Capped::new(r, max, "blob");
        io::copy(&mut r, &mut w).context("writing blob to staging")?;
        let (digest, size, w) = w.finish();
        let file = w
            .into_inner()
            .map_err(|e| e.into_error())
            .context("writing blob")?;
        file.sync_all().context("syncing blob")?;
        if let Some(want) = expected
            && *want != digest
        {
            bail!(error::invalid(format!(
                "digest mismatch: expected {want}, got {digest}"
            )));
        }
        Ok(StagedBlob { digest, size, path })
    }

    /// Stages small bytes as a blob.
    pub fn stage_bytes(&self, st: &Staging, bytes: &[u8]) -> Result<StagedBlob> {
        self.stage_blob(st, bytes, None, MAX_METADATA)
    }

    /// The metadata of an unpacked layer, if the store has it.
    pub fn layer(&self, chain_id: &Digest) -> Option<LayerMeta> {
        let bytes = fs::read(self.layout.layer(chain_id).join(layout::LAYER_META)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The directory of an unpacked layer.
    pub fn layer_diff(&self, chain_id: &Digest) -> PathBuf {
        self.layout.layer(chain_id).join(layout::LAYER_DIFF)
    }

    /// Checks that a layer blob's content has the diff id the image config claims, for layers
    /// the store already has unpacked (I7: a blob is never trusted by what names it).
    pub fn verify_diff_id(&self, blob: &Path, expected: &Digest) -> Result<()> {
        let (diff_id, _) = unpack::diff_id(blob)?;
        if diff_id != *expected {
            bail!(error::invalid(format!(
                "layer diff id mismatch: the config says {expected}, the layer's content is {diff_id}"
            )));
        }
        Ok(())
    }

    /// Unpacks a blob (staged or stored) into staging and checks its diff id against `expected`.
    pub fn stage_layer(
        &self,
        st: &Staging,
        blob: &Path,
        expected: Option<&Digest>,
        parent: Option<&Digest>,
    ) -> Result<StagedLayer> {
        let path = st.entry(&format!("layer-{}", atomic::unique_name()));
        let diff = path.join(layout::LAYER_DIFF);
        atomic::ensure_private_dir(&path)?;
        fs::create_dir(&diff).with_context(|| format!("creating {}", diff.display()))?;
        fs::set_permissions(&diff, fs::Permissions::from_mode(0o755))?;
        let Unpacked {
            diff_id,
            diff_size,
            size,
        } = self.unpacker().unpack(blob, &diff)?;
        if let Some(want) = expected
            && *want != diff_id
        {
            bail!(error::invalid(format!(
                "layer diff id mismatch: the config says {want}, the layer's content is {diff_id}"
            )));
        }
        let chain_id = Digest::chain(parent, &diff_id);
        let meta = LayerMeta {
            chain_id: chain_id.clone(),
            diff_id,
            parent: parent.cloned(),
            diff_size,
            size,
        };
        atomic::write_file(
            &path.join(layout::LAYER_META),
            &serde_json::to_vec(&meta)?,
            0o600,
        )?;
        Ok(StagedLayer {
            chain_id,
            meta,
            path,
        })
    }

    /// Takes the lock and commits staged images, in order. Staging skips layers the store
    /// already has; when one of those was collected meanwhile (an `rmi` between staging and
    /// the lock), the lock is let go, the layer is unpacked again from its staged blob, and
    /// the commit is retried.
    pub fn commit_all(
        &self,
        st: &Staging,
        mut images: Vec<archive::LoadedImage>,
    ) -> Result<Vec<ImageRecord>> {
        const ATTEMPTS: usize = 5;
        for _ in 0..ATTEMPTS {
            let lock = self.lock()?;
            let staged: HashSet<Digest> = images
                .iter()
                .flat_map(|img| img.layers.iter().map(|l| l.chain_id.clone()))
                .collect();
            let missing = |img: &archive::LoadedImage| -> Vec<usize> {
                (0..img.record.layers.len())
                    .filter(|&i| {
                        let chain = &img.record.layers[i].chain_id;
                        !staged.contains(chain) && !self.layout.layer(chain).exists()
                    })
                    .collect()
            };
            let todo: Vec<Vec<usize>> = images.iter().map(missing).collect();
            if todo.iter().all(Vec::is_empty) {
                return images
                    .into_iter()
                    .map(|img| self.commit(&lock, img.blobs, img.layers, img.record))
                    .collect();
            }
            drop(lock);
            for (img, todo) in images.iter_mut().zip(todo) {
                for i in todo {
                    let layer = &img.record.layers[i];
                    let blob = img
                        .blobs
                        .iter()
                        .find(|b| b.digest == layer.blob.digest)
                        .with_context(|| format!("layer {} was not staged", layer.chain_id))?;
                    let parent = i.checked_sub(1).map(|p| &img.record.layers[p].chain_id);
                    let staged = self.stage_layer(st, &blob.path, Some(&layer.diff_id), parent)?;
                    img.layers.push(staged);
                }
            }
        }
        bail!("the store kept changing while committing; try again")
    }

    /// Renames staged blobs and layers into place (skipping ones already present), then writes
    /// the image record, moving its names off any other image. Returns the record as stored.
    /// Every layer the record names must be staged or present: new content goes through
    /// [`Store::commit_all`], which makes sure of that.
    pub fn commit(
        &self,
        _lock: &StoreLock,
        blobs: Vec<StagedBlob>,
        layers: Vec<StagedLayer>,
        mut record: ImageRecord,
    ) -> Result<ImageRecord> {
        let mut synced = false;
        for b in blobs {
            let dest = self.layout.blob(&b.digest);
            if !dest.exists() {
                fs::rename(&b.path, &dest).with_context(|| format!("storing blob {}", b.digest))?;
                synced = true;
            }
        }
        if synced {
            atomic::fsync_dir(&self.layout.blobs())?;
        }
        let mut new_layers = false;
        for l in layers {
            let dest = self.layout.layer(&l.chain_id);
            if !dest.exists() {
                // One syncfs makes every file of the layer durable before it becomes visible.
                if let Ok(f) = File::open(&l.path) {
                    let _ = nix::unistd::syncfs(&f);
                }
                fs::rename(&l.path, &dest)
                    .with_context(|| format!("storing layer {}", l.chain_id))?;
                new_layers = true;
            }
        }
        if new_layers {
            atomic::fsync_dir(&self.layout.layers())?;
        }
        for l in &record.layers {
            if !self.layout.layer(&l.chain_id).exists() {
                bail!("layer {} is missing after commit", l.chain_id);
            }
        }
        let existing = self.read_record(&record.id).unwrap_or_else(|e| {
            log::warn!("replacing a broken record: {e:#}");
            None
        });
        if let Some(existing) = existing {
            for n in existing.names.iter().rev() {
                if !record.names.contains(n) {
                    record.names.insert(0, n.clone());
                }
            }
            for d in existing.digests {
                if !record.digests.contains(&d) {
                    record.digests.push(d);
                }
            }
            record.added = existing.added;
        }
        let names = record.names.clone();
        self.take_names(&record.id, &names)?;
        self.write_record(&record)?;
        Ok(record)
    }

    /// Removes `names` from every image but `keep`. Untagged images stay (dangling).
    fn take_names(&self, keep: &Digest, names: &[String]) -> Result<()> {
        for mut other in self.list().images {
            if other.id == *keep {
                continue;
            }
            let before = other.names.len();
            other.names.retain(|n| !names.contains(n));
            if other.names.len() != before {
                self.write_record(&other)?;
            }
        }
        Ok(())
    }

    /// Writes an image record atomically, then lists it in the index. Call under the store lock.
    pub fn write_record(&self, record: &ImageRecord) -> Result<()> {
        let bytes = serde_json::to_vec(record)?;
        atomic::write_file(&self.layout.image(&record.id), &bytes, 0o600)
            .with_context(|| format!("writing record of image {}", record.id.short()))?;
        let mut ids = self.read_index();
        if ids.insert(record.id.hex().to_string()) {
            self.write_index(&ids)?;
        }
        Ok(())
    }

    /// The ids in the image index; an unreadable index reads as empty (records still list).
    fn read_index(&self) -> BTreeSet<String> {
        fs::read_to_string(self.layout.image_index())
            .map(|s| {
                s.lines()
                    .filter(|l| Digest::from_hex(l).is_ok())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn write_index(&self, ids: &BTreeSet<String>) -> Result<()> {
        if ids.is_empty() {
            // An empty store has no index at all, exactly as before its first image.
            return match fs::remove_file(self.layout.image_index()) {
                Ok(()) => atomic::fsync_dir(&self.layout.images()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e).context("removing the image index"),
            };
        }
        let text: String = ids.iter().map(|id| format!("{id}\n")).collect();
        atomic::write_file(&self.layout.image_index(), text.as_bytes(), 0o600)
            .context("writing the image index")
    }

    fn read_record(&self, id: &Digest) -> Result<Option<ImageRecord>> {
        match fs::read(self.layout.image(id)) {
            Ok(b) => Ok(Some(serde_json::from_slice(&b).with_context(|| {
                format!("image record {} is corrupt", id.short())
            })?)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading image record {}", id.short())),
        }
    }

    /// Lists every image record, newest first; broken records are reported, not fatal.
    pub fn list(&self) -> ImageList {
        let mut out = ImageList::default();
        let dir = match fs::read_dir(self.layout.images()) {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return out,
            Err(e) => {
                out.broken
                    .push((self.layout.images().display().to_string(), e.to_string()));
                return out;
            }
        };
        for entry in dir.flatten() {
            let name = entry.file_name();
            let Some(hex) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
                continue;
            };
            let what = format!("image {}", &hex[..hex.len().min(12)]);
            let parsed = fs::read(entry.path())
                .map_err(anyhow::Error::from)
                .and_then(|b| serde_json::from_slice::<ImageRecord>(&b).map_err(Into::into));
            match parsed {
                Ok(r) if r.id.hex() != hex => out
                    .broken
                    .push((what, "record does not match its file name".into())),
                Ok(r) => match self.check(&r) {
                    Ok(()) => out.images.push(r),
                    Err(e) => out.broken.push((what, format!("{e:#}"))),
                },
                Err(e) => out.broken.push((
                    what,
                    format!(
                        "its record is corrupt ({e:#}); load it again, or remove it with `berth rmi {}`",
                        &hex[..hex.len().min(12)]
                    ),
                )),
            }
        }
        for id in self.read_index() {
            if !self.layout.images().join(format!("{id}.json")).exists() {
                out.broken.push((
                    format!("image {}", &id[..12]),
                    format!(
                        "its record is missing (load it again, or remove what is left of it with `berth rmi {}`)",
                        &id[..12]
                    ),
                ));
            }
        }
        out.images.sort_by(|a, b| {
            b.created
                .cmp(&a.created)
                .then_with(|| b.added.cmp(&a.added))
                .then_with(|| a.id.cmp(&b.id))
        });
        out
    }

    /// Checks that what a record points at is present.
    fn check(&self, r: &ImageRecord) -> Result<()> {
        if !self.has_blob(&r.id) {
            bail!("its config blob is missing");
        }
        for l in &r.layers {
            if !self.layout.layer(&l.chain_id).exists() {
                bail!("its layer {} is missing", l.chain_id.short());
            }
        }
        Ok(())
    }

    /// Finds an image by name (`busybox`, `busybox:1`, `docker.io/library/busybox:latest`),
    /// by `name@digest`, by full id (`sha256:…`), or by an unambiguous id prefix.
    pub fn lookup(&self, name: &str) -> Result<ImageRecord> {
        // A full id names one record file: read just that (every container start does this).
        if let Ok(d) = Digest::parse(name)
            && let Ok(Some(r)) = self.read_record(&d)
        {
            return Ok(r);
        }
        let list = self.list();
        lookup_in(&list.images, name)
    }

    /// The images containers use: image id → the names of the containers using it. Call under
    /// the store lock: `create` writes a container's record under it, so no container can
    /// come to use an image between this and a [`Store::delete_record`].
    pub fn images_in_use(&self, _lock: &StoreLock) -> HashMap<Digest, Vec<String>> {
        let dirs = self.containers();
        let mut used: HashMap<Digest, Vec<String>> = HashMap::new();
        for id in dirs.list() {
            if let Ok(c) = dirs.read_config(&id)
                && let Some(image) = c.image_id
            {
                used.entry(image).or_default().push(c.name);
            }
        }
        used
    }

    /// Deletes an image record. Call under the store lock; then [`Store::gc`] frees its content.
    pub fn delete_record(&self, _lock: &StoreLock, id: &Digest) -> Result<()> {
        let p = self.layout.image(id);
        match fs::remove_file(&p) {
            Ok(()) => atomic::fsync_dir(&self.layout.images())?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", p.display())),
        }
        let mut ids = self.read_index();
        if ids.remove(id.hex()) {
            self.write_index(&ids)?;
        }
        Ok(())
    }

    /// Removes the record of a broken image (corrupt, missing its content, or listed in the index
    /// without a record) named by its id or an unambiguous id prefix, so `rmi` can clear what
    /// `images` reports. Returns the full id, or `None` when no broken image matches.
    pub fn forget_broken(&self, lock: &StoreLock, target: &str) -> Result<Option<Digest>> {
        let hex = target.strip_prefix("sha256:").unwrap_or(target);
        if hex.is_empty() || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Ok(None);
        }
        let healthy: HashSet<String> = self
            .list()
            .images
            .iter()
            .map(|r| r.id.hex().to_string())
            .collect();
        let mut candidates: BTreeSet<String> = self.read_index();
        if let Ok(dir) = fs::read_dir(self.layout.images()) {
            candidates.extend(dir.flatten().filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_suffix(".json")
                    .map(str::to_string)
            }));
        }
        let hits: Vec<Digest> = candidates
            .iter()
            .filter(|id| id.starts_with(hex) && !healthy.contains(*id))
            .filter_map(|id| Digest::from_hex(id).ok())
            .collect();
        match hits.as_slice() {
            [] => Ok(None),
            [one] => {
                self.delete_record(lock, one)?;
                Ok(Some(one.clone()))
            }
            _ => bail!(error::invalid(format!(
                "image id prefix {target:?} is ambiguous: it matches {} broken images",
                hits.len()
            ))),
        }
    }

    /// Removes blobs and layers no image record references. Returns the bytes freed.
    pub fn gc(&self, _lock: &StoreLock) -> Result<u64> {
        let mut keep_blobs = HashSet::new();
        let mut keep_layers = HashSet::new();
        let dir = fs::read_dir(self.layout.images()).context("listing image records")?;
        let mut present = BTreeSet::new();
        for entry in dir.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(hex) = name.strip_suffix(".json") else {
                continue;
            };
            present.insert(hex.to_string());
            let bytes = fs::read(entry.path())?;
            // A record that cannot be parsed keeps nothing alive, but we must not delete what
            // it might reference either: give up on this collection.
            let r: ImageRecord = serde_json::from_slice(&bytes).with_context(|| {
                let short = &hex[..hex.len().min(12)];
                format!(
                    "not collecting unused content while the record of image {short} is corrupt \
                     (remove it with `berth rmi {short}`, or load the image again)"
                )
            })?;
            keep_blobs.insert(r.id.hex().to_string());
            keep_blobs.insert(r.manifest.digest.hex().to_string());
            for l in &r.layers {
                keep_blobs.insert(l.blob.digest.hex().to_string());
                keep_layers.insert(l.chain_id.hex().to_string());
            }
        }
        // Index entries whose record is gone (deleted by hand) are given up here: what they
        // referenced is collected below.
        let ids = self.read_index();
        let kept: BTreeSet<String> = ids.intersection(&present).cloned().collect();
        if kept != ids {
            self.write_index(&kept)?;
        }
        let mut freed = 0u64;
        let mut errors = Vec::new();
        for e in fs::read_dir(self.layout.blobs())?.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !keep_blobs.contains(&name) {
                freed += e.metadata().map(|m| m.len()).unwrap_or(0);
                if let Err(err) = fs::remove_file(e.path()) {
                    errors.push(format!("removing blob {name}: {err}"));
                }
            }
        }
        for e in fs::read_dir(self.layout.layers())?.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if keep_layers.contains(&name) {
                continue;
            }
            if let Ok(m) = fs::read(e.path().join(layout::LAYER_META))
                && let Ok(meta) = serde_json::from_slice::<LayerMeta>(&m)
            {
                freed += meta.size;
            }
            let r = atomic::move_to_trash(&e.path(), &self.layout.trash())
                .and_then(|t| self.unpacker().remove_tree(&t));
            if let Err(err) = r {
                errors.push(format!("removing layer {name}: {err:#}"));
            }
        }
        if !errors.is_empty() {
            bail!("{}", errors.join("; "));
        }
        Ok(freed)
    }
}

/// Docker's lookup rules over a list of records (see [`Store::lookup`]).
pub fn lookup_in(images: &[ImageRecord], name: &str) -> Result<ImageRecord> {
    let not_found = || error::not_found(format!("no such image: {name}"));
    let hex = name.strip_prefix("sha256:").unwrap_or(name);
    let is_hex = !hex.is_empty() && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    // Docker's order: a full id, then a name, then an unambiguous id prefix.
    if is_hex && (hex.len() == 64 || name.starts_with("sha256:")) {
        return match_id_prefix(images, hex, name)?.ok_or_else(not_found);
    }
    if let Ok(r) = ImageRef::parse(name) {
        let found = match &r.digest {
            Some(d) => {
                let want = format!("{}@{d}", r.repository());
                images.iter().find(|i| {
                    i.digests.contains(&want)
                        || (i.manifest.digest == *d
                            && i.names.iter().any(|n| n.starts_with(&r.repository())))
                })
            }
            None => {
                let full = r.with_default_tag().to_string();
                images.iter().find(|i| i.names.contains(&full))
            }
        };
        if let Some(found) = found {
            return Ok(found.clone());
        }
    }
    if is_hex && let Some(found) = match_id_prefix(images, hex, name)? {
        return Ok(found);
    }
    Err(not_found())
}

/// The one image whose id starts with `hex`; an error when several do.
fn match_id_prefix(images: &[ImageRecord], hex: &str, name: &str) -> Result<Option<ImageRecord>> {
    let hits: Vec<_> = images
        .iter()
        .filter(|r| r.id.hex().starts_with(hex))
        .collect();
    match hits.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some((*one).clone())),
        _ => bail!(error::invalid(format!(
            "image id prefix {name:?} is ambiguous: it matches {} images",
            hits.len()
        ))),
    }
}

/// Whether `target` names `record` by id (full or prefix) rather than by one of its names.
pub fn names_by_id(record: &ImageRecord, target: &str) -> bool {
    let hex = target.strip_prefix("sha256:").unwrap_or(target);
    let full = ImageRef::parse(target)
        .ok()
        .map(|r| r.with_default_tag().to_string());
    record.id.hex().starts_with(hex) && !full.is_some_and(|f| record.names.contains(&f))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id_byte: &str, names: &[&str]) -> ImageRecord {
        let id = Digest::from_hex(&id_byte.repeat(64 / id_byte.len())).unwrap();
        ImageRecord {
            id: id.clone(),
            names: names.iter().map(|n| n.to_string()).collect(),
            digests: Vec::new(),
            manifest: Descriptor {
                digest: id,
                media_type: String::new(),
                size: 0,
            },
            config_size: 0,
            layers: Vec::new(),
            created: None,
            size: 0,
            labels: Default::default(),
            added: String::new(),
        }
    }

    #[test]
    fn lookup_prefers_full_id_then_name_then_prefix() {
        let a = record("ab", &["docker.io/library/abab:latest"]);
        let b = record("cd", &["docker.io/library/busybox:latest"]);
        let imgs = [a.clone(), b.clone()];
        assert_eq!(lookup_in(&imgs, "busybox").unwrap().id, b.id);
        assert_eq!(lookup_in(&imgs, b.id.as_str()).unwrap().id, b.id);
        assert_eq!(lookup_in(&imgs, "cdcd").unwrap().id, b.id);
        // "abab" is both a name and an id prefix of the same image here; the name wins.
        assert_eq!(lookup_in(&imgs, "abab").unwrap().id, a.id);
        assert!(!names_by_id(&a, "abab"));
        assert!(names_by_id(&a, "abababab"));
        let e = lookup_in(&imgs, "nosuch").unwrap_err();
        assert_eq!(format!("{e:#}"), "no such image: nosuch");
        assert!(lookup_in(&imgs, "").is_err());
        assert!(lookup_in(&imgs, "sha256:ef").is_err());
    }

    #[test]
    fn ambiguous_id_prefix_is_an_error() {
        let imgs = [record("a1", &[]), record("a2", &[])];
        assert!(format!("{:#}", lookup_in(&imgs, "a").unwrap_err()).contains("ambiguous"));
    }
}
