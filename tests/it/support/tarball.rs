//! Deterministic tar writing for fixtures, raw (hostile) entries the `tar` crate refuses to
//! write, and read-modify-write of existing archives for tampering tests.
//!
//! Test-side only: berth's own extractor is what the tests exercise, never this code.

#![allow(dead_code)]

use std::io::{Read, Write};

/// The mtime of every fixture entry: 2024-01-01T00:00:00Z, so fixtures are byte-for-byte
/// reproducible.
pub const MTIME: u64 = 1_704_067_200;

/// Builds a tar in memory with fixed owners and times.
pub struct TarBuilder {
    b: tar::Builder<Vec<u8>>,
}

impl Default for TarBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl TarBuilder {
    pub fn new() -> TarBuilder {
        let mut b = tar::Builder::new(Vec::new());
        b.mode(tar::HeaderMode::Deterministic);
        TarBuilder { b }
    }

    fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(mode);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(MTIME);
        h.set_size(size);
        h
    }

    pub fn dir(&mut self, path: &str, mode: u32) -> &mut Self {
        let mut h = Self::header(tar::EntryType::Directory, mode, 0);
        self.b
            .append_data(&mut h, path, std::io::empty())
            .expect("tar dir");
        self
    }

    /// A directory with an owner other than root.
    pub fn dir_owned(&mut self, path: &str, mode: u32, uid: u64, gid: u64) -> &mut Self {
        let mut h = Self::header(tar::EntryType::Directory, mode, 0);
        h.set_uid(uid);
        h.set_gid(gid);
        self.b
            .append_data(&mut h, path, std::io::empty())
            .expect("tar dir");
        self
    }

    pub fn file(&mut self, path: &str, mode: u32, data: &[u8]) -> &mut Self {
        self.file_owned(path, mode, 0, 0, data)
    }

    pub fn file_owned(
        &mut self,
        path: &str,
        mode: u32,
        uid: u64,
        gid: u64,
        data: &[u8],
    ) -> &mut Self {
        let mut h = Self::header(tar::EntryType::Regular, mode, data.len() as u64);
        h.set_uid(uid);
        h.set_gid(gid);
        self.b.append_data(&mut h, path, data).expect("tar file");
        self
    }

    /// Appends a regular file streamed from a reader of known size.
    pub fn file_from(&mut self, path: &str, mode: u32, size: u64, data: impl Read) -> &mut Self {
        let mut h = Self::header(tar::EntryType::Regular, mode, size);
        self.b.append_data(&mut h, path, data).expect("tar file");
        self
    }

    pub fn symlink(&mut self, path: &str, target: &str) -> &mut Self {
        let mut h = Self::header(tar::EntryType::Symlink, 0o777, 0);
        self.b
            .append_link(&mut h, path, target)
            .expect("tar symlink");
        self
    }

    pub fn hardlink(&mut self, path: &str, target: &str) -> &mut Self {
        let mut h = Self::header(tar::EntryType::Link, 0o644, 0);
        self.b
            .append_link(&mut h, path, target)
            .expect("tar hardlink");
        self
    }

    /// A character or block device node.
    pub fn device(
        &mut self,
        path: &str,
        kind: tar::EntryType,
        major: u32,
        minor: u32,
    ) -> &mut Self {
        let mut h = Self::header(kind, 0o666, 0);
        h.set_device_major(major).expect("device major");
        h.set_device_minor(minor).expect("device minor");
        self.b
            .append_data(&mut h, path, std::io::empty())
            .expect("tar device");
        self
    }

    /// An entry whose name and link name are written byte for byte, unchecked: `../x`,
    /// `/etc/x`, and other things a hostile layer contains (names up to 100 bytes).
    pub fn raw(
        &mut self,
        kind: tar::EntryType,
        name: &[u8],
        link: &[u8],
        mode: u32,
        data: &[u8],
    ) -> &mut Self {
        let mut h = Self::header(kind, mode, data.len() as u64);
        {
            let old = h.as_old_mut();
            assert!(
                name.len() <= old.name.len() && link.len() <= old.linkname.len(),
                "raw name too long"
            );
            old.name = [0; 100];
            old.name[..name.len()].copy_from_slice(name);
            old.linkname = [0; 100];
            old.linkname[..link.len()].copy_from_slice(link);
        }
        h.set_cksum();
        self.b.append(&h, data).expect("tar raw entry");
        self
    }

    pub fn finish(self) -> Vec<u8> {
        self.b.into_inner().expect("finishing tar")
    }
}

/// gzip with fixed header fields (no name, mtime 0), so the output is reproducible.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

pub fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut v)
        .expect("gunzip");
    v
}

/// `sha256:<hex>` of some bytes.
pub fn digest(data: &[u8]) -> String {
    use sha2::Digest as _;
    format!("sha256:{:x}", sha2::Sha256::digest(data))
}

/// One entry of an archive, as read back.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: String,
    pub kind: tar::EntryType,
    pub mode: u32,
    pub link: Option<String>,
    pub data: Vec<u8>,
}

/// Reads every entry of a tar.
pub fn entries(tar_bytes: &[u8]) -> Vec<Entry> {
    let mut a = tar::Archive::new(tar_bytes);
    let mut out = Vec::new();
    for e in a.entries().expect("reading tar") {
        let mut e = e.expect("tar entry");
        let path = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        let kind = e.header().entry_type();
        let mode = e.header().mode().unwrap_or(0o644);
        let link = e
            .link_name_bytes()
            .map(|l| String::from_utf8_lossy(&l).into_owned());
        let mut data = Vec::new();
        e.read_to_end(&mut data).expect("tar data");
        out.push(Entry {
            path,
            kind,
            mode,
            link,
            data,
        });
    }
    out
}

/// Writes entries back as a tar (for tampering: read with [`entries`], change, write).
pub fn write_entries(list: &[Entry]) -> Vec<u8> {
    let mut b = TarBuilder::new();
    for e in list {
        match e.kind {
            tar::EntryType::Directory => {
                b.dir(&e.path, e.mode);
            }
            tar::EntryType::Symlink => {
                b.symlink(&e.path, e.link.as_deref().unwrap_or(""));
            }
            tar::EntryType::Link => {
                b.hardlink(&e.path, e.link.as_deref().unwrap_or(""));
            }
            _ => {
                b.file(&e.path, e.mode, &e.data);
            }
        }
    }
    b.finish()
}

/// Reads a tar, lets `f` change entries in place (or drop them by returning false), writes it
/// back.
pub fn rewrite(tar_bytes: &[u8], mut f: impl FnMut(&mut Entry) -> bool) -> Vec<u8> {
    let mut list = entries(tar_bytes);
    list.retain_mut(|e| f(e));
    write_entries(&list)
}
