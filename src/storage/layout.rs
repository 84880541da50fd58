//! Every path in the store, in one place (STYLE.md 6): nothing outside `storage::` builds one.
//!
//! ```text
//! <root>/blobs/sha256/<hex>       exact bytes of layers, configs, manifests
//! <root>/layers/<chain-hex>/diff  an unpacked layer; layer.json beside it
//! <root>/images/<id-hex>.json     image records
//! <root>/images/index             the ids of every image, one per line
//! <root>/tmp/<random>/            staging (same filesystem, renamed into place)
//! <root>/trash/<random>           deletions in progress (rename first: needs no free space)
//! <root>/locks/store.lock         the store-wide write lock
//! <root>/containers/<id>/         a container's config and files: upper/, work/ and merged/
//!                                 for an overlay rootfs, rootfs/ for a copy
//! <root>/names/<name>             a container name, reserved by O_EXCL create
//! <root>/networks/                network records and address allocations (`net::network`)
//! ```

use std::path::{Path, PathBuf};

use super::digest::Digest;

pub const BLOBS: &str = "blobs/sha256";
pub const LAYERS: &str = "layers";
pub const IMAGES: &str = "images";
pub const TMP: &str = "tmp";
pub const TRASH: &str = "trash";
pub const LOCKS: &str = "locks";
pub const CONTAINERS: &str = "containers";
pub const NAMES: &str = "names";
pub const NETWORKS: &str = "networks";
pub const STORE_LOCK: &str = "store.lock";
pub const LAYER_DIFF: &str = "diff";
pub const LAYER_META: &str = "layer.json";
/// A container's copy rootfs, in its directory (`--storage-driver vfs`, or overlay's last resort).
pub const ROOTFS_COPY: &str = "rootfs";
/// The ids of every image the store should have, one per line: a record missing from images/
/// (deleted by hand, say) is then reported instead of silently vanishing.
pub const IMAGE_INDEX: &str = "index";

/// Paths of one store rooted at `root`.
#[derive(Debug, Clone)]
pub struct Layout {
    pub root: PathBuf,
}

impl Layout {
    pub fn new(root: &Path) -> Layout {
        Layout {
            root: root.to_path_buf(),
        }
    }
    pub fn blobs(&self) -> PathBuf {
        self.root.join(BLOBS)
    }
    pub fn blob(&self, digest: &Digest) -> PathBuf {
        self.blobs().join(digest.hex())
    }
    pub fn layers(&self) -> PathBuf {
        self.root.join(LAYERS)
    }
    pub fn layer(&self, chain_id: &Digest) -> PathBuf {
        self.layers().join(chain_id.hex())
    }
    pub fn images(&self) -> PathBuf {
        self.root.join(IMAGES)
    }
    pub fn image(&self, id: &Digest) -> PathBuf {
        self.images().join(format!("{}.json", id.hex()))
    }
    pub fn image_index(&self) -> PathBuf {
        self.images().join(IMAGE_INDEX)
    }
    pub fn tmp(&self) -> PathBuf {
        self.root.join(TMP)
    }
    pub fn trash(&self) -> PathBuf {
        self.root.join(TRASH)
    }
    /// The container directories and name reservations.
    pub fn containers(&self) -> super::container::ContainerDirs {
        super::container::ContainerDirs {
            names: self.root.join(NAMES),
            containers: self.root.join(CONTAINERS),
        }
    }
    /// Network records and their address allocations (laid out by `net::network`).
    pub fn networks(&self) -> PathBuf {
        self.root.join(NETWORKS)
    }
    pub fn locks(&self) -> PathBuf {
        self.root.join(LOCKS)
    }
    pub fn store_lock(&self) -> PathBuf {
        self.locks().join(STORE_LOCK)
    }
    /// Every directory the store needs, parents first.
    pub fn dirs(&self) -> [PathBuf; 7] {
        [
            self.root.join("blobs"),
            self.blobs(),
            self.layers(),
            self.images(),
            self.tmp(),
            self.trash(),
            self.locks(),
        ]
    }
}
