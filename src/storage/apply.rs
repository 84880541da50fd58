//! berth's own layer applier: reads an uncompressed OCI layer tar and writes its entries into a
//! directory, with every path resolved in-root (SECURITY.md I1) and every input bounded (I6).
//!
//! The `tar` crate is used only to decode header fields (`tar::Header`); this module reads the
//! stream itself so that GNU long names and PAX headers are size-checked before they are read
//! into memory, and it never calls the crate's `unpack` (RUSTSEC-2018-0002, -2021-0080,
//! -2026-0067, -2026-0068). Each entry is created through a parent-directory fd from
//! [`inroot::resolve_parent_with`] and a plain final name, with `O_NOFOLLOW`/`O_EXCL` or the
//! `*at()` no-follow flags, so neither a symlink in the layer nor one left by an earlier layer can
//! redirect a write outside the destination.
//!
//! It must not decompress (the caller hands over plain tar), must not touch anything outside
//! `dest`, and assumes nobody else writes into `dest` while it runs (a staging dir of the store).

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::ffi::{CString, OsStr, OsString};
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use nix::dir::Dir;
use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, openat};
use nix::sys::stat::{
    FchmodatFlags, Mode, SFlag, UtimensatFlags, fchmod, fchmodat, fstatat, futimens, makedev,
    mkdirat, mknodat, utimensat,
};
use nix::sys::time::TimeSpec;
use nix::unistd::{Gid, Uid, UnlinkatFlags, fchown, fchownat, linkat, symlinkat, unlinkat};

use crate::runtime::sys;
use crate::storage::inroot::{self, Crossing};

/// The largest GNU long-name/long-link or PAX extended header accepted (SECURITY.md I6).
pub const MAX_EXTENSION_HEADER: u64 = 1 << 20;

/// How deep [`apply_layer`] recurses when it removes a directory tree or clears an opaque
/// directory; each level holds one fd, so this stays well below the usual 1024-fd soft limit.
pub(crate) const MAX_REMOVE_DEPTH: usize = 256;

/// Size of the buffer regular-file contents are copied through.
const COPY_BUFFER: usize = 1 << 20;

const BLOCK: u64 = 512;
const WHITEOUT_PREFIX: &[u8] = b".wh.";
const WHITEOUT_META_PREFIX: &[u8] = b".wh..wh.";
const WHITEOUT_OPAQUE: &[u8] = b".wh..wh..opq";
/// Overlay metadata must come from berth, never from layer content: a forged `redirect` or
/// `metacopy` xattr would let a layer point overlayfs at other files.
const OVERLAY_XATTR_PREFIXES: [&[u8]; 2] = [b"trusted.overlay.", b"user.overlay."];

/// What an OCI whiteout entry (`.wh.NAME`, `.wh..wh..opq`) turns into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhiteoutMode {
    /// Layers that overlayfs will stack: `.wh.NAME` becomes a char 0:0 device NAME;
    /// `.wh..wh..opq` sets `<prefix>opaque = "y"` on the dir.
    Overlay {
        /// `"trusted.overlay."` as root, `"user.overlay."` rootless (overlay `userxattr`).
        xattr_prefix: &'static str,
    },
    /// Layers applied onto one tree (copy fallback): `.wh.NAME` deletes NAME, opaque empties the
    /// dir's earlier contents (what this layer itself put there stays).
    Delete,
}

/// How [`apply_layer`] treats what the running user may not be able to create, and its caps.
#[derive(Clone, Debug)]
pub struct ApplyOptions {
    /// What whiteout entries become.
    pub whiteouts: WhiteoutMode,
    /// Rootless: char and block device nodes are skipped and counted. FIFOs are still created,
    /// since that needs no privilege.
    pub skip_devices: bool,
    /// Single-id user namespace fallback: a chown the kernel refuses (`EPERM`, or `EINVAL` for an
    /// id outside the map) is dropped and counted; the entry keeps the applier's ownership.
    pub ignore_chown_errors: bool,
    /// Most entries (headers, PAX global headers included) one layer may hold.
    pub max_entries: u64,
    /// Most bytes of entry data (file contents and extension headers) one layer may hold.
    pub max_size: u64,
    /// Most path components one entry path may have.
    pub max_depth: usize,
}

impl Default for ApplyOptions {
    /// Overlay whiteouts with root's xattr prefix, privileged, and caps far above any real
    /// image: 4 million entries, 1 TiB, 256 components.
    fn default() -> Self {
        ApplyOptions {
            whiteouts: WhiteoutMode::Overlay {
                xattr_prefix: "trusted.overlay.",
            },
            skip_devices: false,
            ignore_chown_errors: false,
            max_entries: 4_000_000,
            max_size: 1 << 40,
            max_depth: 256,
        }
    }
}

/// What [`apply_layer`] did, for the caller to report or log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyStats {
    /// Entries read (extension headers not counted).
    pub entries: u64,
    /// Bytes of regular-file content written.
    pub size: u64,
    /// Char/block devices skipped because of [`ApplyOptions::skip_devices`].
    pub skipped_devices: u64,
    /// Ownership changes dropped because of [`ApplyOptions::ignore_chown_errors`].
    pub chown_errors: u64,
    /// Extended attributes not set: `trusted.*`/`security.*` refused by the kernel, overlay
    /// xattrs in layer content, and any xattr on a symlink, device or FIFO (there is no fd to set
    /// it through).
    pub skipped_xattrs: u64,
}

/// Applies the uncompressed layer `tar` onto the existing directory `dest`.
///
/// Entries are created with their modes (setuid/setgid/sticky included), owners, mtimes and
/// PAX `SCHILY.xattr.*` attributes; directory modes and mtimes are set last, deepest first.
/// Whiteouts follow `opts.whiteouts`. An entry replaces what is at its path unless both are
/// directories, in which case the directory stays and its metadata is updated.
///
/// Errors name the entry (`applying layer entry "usr/bin/x": creating symlink: …`). Hostile
/// input is an error, never a panic: paths that climb above the root with `..`, hardlinks to
/// outside, caps exceeded, corrupt headers. On error, `dest` holds whatever was applied so far
/// and the caller should discard it; nothing outside `dest` is ever created, changed or removed.
/// The rest of the stream is read to its end on success, so a hashing reader sees every byte.
pub fn apply_layer(tar: impl Read, dest: &Path, opts: &ApplyOptions) -> anyhow::Result<ApplyStats> {
    let root = inroot::open_root(dest)?;
    let mut stream = TarStream { inner: tar };
    let mut totals = Totals::default();
    let mut applier = Applier {
        root,
        opts,
        stats: ApplyStats::default(),
        dirs: HashMap::new(),
        unpacked: HashSet::new(),
        skipped: HashSet::new(),
        buf: vec![0; COPY_BUFFER],
    };
    while let Some(entry) = next_entry(&mut stream, opts, &mut totals)? {
        applier.stats.entries += 1;
        let mut data = (&mut stream.inner).take(entry.size);
        applier
            .apply(&entry, &mut data)
            .with_context(|| format!("applying layer entry {:?}", entry.display))?;
        let left = data.limit();
        stream
            .skip(left.saturating_add(padding(entry.size)))
            .with_context(|| format!("reading layer entry {:?}", entry.display))?;
    }
    stream.drain(opts.max_size.saturating_sub(totals.bytes))?;
    applier.finish()?;
    let stats = applier.stats;
    if stats.skipped_devices + stats.chown_errors + stats.skipped_xattrs > 0 {
        log::debug!(
            "layer applied to {}: skipped {} device nodes, {} ownership changes, {} xattrs",
            dest.display(),
            stats.skipped_devices,
            stats.chown_errors,
            stats.skipped_xattrs
        );
    }
    Ok(stats)
}

/// One tar member, decoded and validated, ready to apply.
#[derive(Debug)]
struct Entry {
    /// The entry's path as written in the layer, for messages.
    display: String,
    /// Normalised relative path: no `.`, `..` or empty components; empty for the root.
    path: PathBuf,
    kind: Kind,
    mode: u32,
    uid: u32,
    gid: u32,
    mtime: TimeSpec,
    /// Bytes of data following the header.
    size: u64,
    xattrs: Vec<(CString, Vec<u8>)>,
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
    Symlink(OsString),
    /// Normalised path of the link target inside the layer.
    Hardlink(PathBuf),
    Char(u32, u32),
    Block(u32, u32),
    Fifo,
}

/// Running totals the caps are checked against.
#[derive(Default)]
struct Totals {
    entries: u64,
    bytes: u64,
}

impl Totals {
    fn add_entry(&mut self, opts: &ApplyOptions) -> anyhow::Result<()> {
        self.entries += 1;
        if self.entries > opts.max_entries {
            bail!("layer has more than {} entries", opts.max_entries);
        }
        Ok(())
    }

    fn add_bytes(&mut self, n: u64, opts: &ApplyOptions) -> anyhow::Result<()> {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > opts.max_size {
            bail!("layer content exceeds the {}-byte cap", opts.max_size);
        }
        Ok(())
    }
}

/// The raw byte stream, read one block or one bounded body at a time.
struct TarStream<R> {
    inner: R,
}

impl<R: Read> TarStream<R> {
    /// Reads one 512-byte block; `false` at a clean end of the stream.
    fn read_block(&mut self, block: &mut [u8]) -> anyhow::Result<bool> {
        let mut got = 0;
        while got < block.len() {
            match self.inner.read(&mut block[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e).context("reading layer"),
            }
        }
        match got {
            0 => Ok(false),
            n if n == block.len() => Ok(true),
            _ => bail!("layer ends in the middle of a tar header"),
        }
    }

    /// Reads an extension header body of `size` bytes (already checked against the cap) and
    /// its padding.
    fn read_body(&mut self, size: u64) -> anyhow::Result<Vec<u8>> {
        let len = usize::try_from(size).context("extension header too large")?;
        let mut body = vec![0; len];
        self.inner
            .read_exact(&mut body)
            .context("layer ends in the middle of an extension header")?;
        self.skip(padding(size))?;
        Ok(body)
    }

    fn skip(&mut self, n: u64) -> anyhow::Result<()> {
        let skipped =
            io::copy(&mut (&mut self.inner).take(n), &mut io::sink()).context("reading layer")?;
        if skipped < n {
            bail!("layer ends in the middle of an entry");
        }
        Ok(())
    }

    /// Reads what follows the end-of-archive marker, at most `cap` bytes.
    fn drain(&mut self, cap: u64) -> anyhow::Result<()> {
        let n = io::copy(
            &mut (&mut self.inner).take(cap.saturating_add(1)),
            &mut io::sink(),
        )
        .context("reading layer")?;
        if n > cap {
            bail!("layer has more trailing data than its size cap allows");
        }
        Ok(())
    }
}

fn padding(size: u64) -> u64 {
    (BLOCK - size % BLOCK) % BLOCK
}

/// The PAX keys berth honours; later records override earlier ones.
#[derive(Default)]
struct Pax {
    path: Option<Vec<u8>>,
    linkpath: Option<Vec<u8>>,
    size: Option<u64>,
    uid: Option<u64>,
    gid: Option<u64>,
    mtime: Option<TimeSpec>,
    xattrs: Vec<(Vec<u8>, Vec<u8>)>,
    sparse: bool,
}

/// Splits a PAX extended header into `(key, value)` records. The record length prefix is
/// honoured (values such as binary xattrs may contain newlines), unlike a split on `\n`.
fn pax_records(mut data: &[u8]) -> anyhow::Result<Vec<(&[u8], &[u8])>> {
    let mut out = Vec::new();
    while !data.is_empty() {
        let space = data
            .iter()
            .take(20)
            .position(|b| *b == b' ')
            .context("malformed pax record: no length")?;
        let len: usize = std::str::from_utf8(&data[..space])
            .ok()
            .and_then(|s| s.parse().ok())
            .context("malformed pax record length")?;
        if len <= space + 1 || len > data.len() || data[len - 1] != b'\n' {
            bail!("malformed pax record");
        }
        let kv = &data[space + 1..len - 1];
        let eq = kv
            .iter()
            .position(|b| *b == b'=')
            .context("malformed pax record: no '='")?;
        out.push((&kv[..eq], &kv[eq + 1..]));
        data = &data[len..];
    }
    Ok(out)
}

fn parse_pax(data: &[u8]) -> anyhow::Result<Pax> {
    let mut pax = Pax::default();
    for (key, value) in pax_records(data)? {
        match key {
            b"path" => pax.path = Some(value.to_vec()),
            b"linkpath" => pax.linkpath = Some(value.to_vec()),
            b"size" => pax.size = Some(parse_decimal(value).context("invalid pax size")?),
            b"uid" => pax.uid = Some(parse_decimal(value).context("invalid pax uid")?),
            b"gid" => pax.gid = Some(parse_decimal(value).context("invalid pax gid")?),
            b"mtime" => pax.mtime = Some(parse_pax_time(value)?),
            k if k.starts_with(b"SCHILY.xattr.") => {
                let name = k[b"SCHILY.xattr.".len()..].to_vec();
                pax.xattrs.retain(|(n, _)| *n != name);
                pax.xattrs.push((name, value.to_vec()));
            }
            k if k.starts_with(b"GNU.sparse.") => pax.sparse = true,
            _ => {}
        }
    }
    Ok(pax)
}

fn parse_decimal(value: &[u8]) -> anyhow::Result<u64> {
    std::str::from_utf8(value)
        .ok()
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("{:?} is not a number", String::from_utf8_lossy(value)))
}

/// Parses a PAX time, `[-]SECONDS[.FRACTION]`.
fn parse_pax_time(value: &[u8]) -> anyhow::Result<TimeSpec> {
    let bad = || format!("invalid pax mtime {:?}", String::from_utf8_lossy(value));
    let text = std::str::from_utf8(value).ok().with_context(bad)?;
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (secs, frac) = text.split_once('.').unwrap_or((text, ""));
    if secs.is_empty() || !secs.bytes().all(|b| b.is_ascii_digit()) {
        bail!(bad());
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        bail!(bad());
    }
    let secs: i64 = secs.parse().ok().with_context(bad)?;
    let mut nanos: i64 = 0;
    for (i, digit) in frac.bytes().take(9).enumerate() {
        nanos += i64::from(digit - b'0') * 10i64.pow(8 - i as u32);
    }
    let (secs, nanos) = match (negative, nanos) {
        (false, n) => (secs, n),
        (true, 0) => (-secs, 0),
        (true, n) => (-secs - 1, 1_000_000_000 - n),
    };
    Ok(TimeSpec::new(secs, nanos))
}

/// Normalises a layer path: strips leading `/` and `./`, drops `.` and empty components, applies
/// `..` lexically (as `filepath.Clean` does for Docker) and refuses one that would climb above
/// the root. `NUL` cannot be part of a file name.
fn normalize(raw: &[u8], max_depth: usize) -> anyhow::Result<PathBuf> {
    let invalid = || format!("invalid path in layer: {:?}", String::from_utf8_lossy(raw));
    if raw.contains(&0) {
        bail!(invalid());
    }
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in raw.split(|b| *b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                if parts.pop().is_none() {
                    bail!(invalid());
                }
            }
            p => parts.push(p),
        }
    }
    if parts.len() > max_depth {
        bail!(
            "path in layer is deeper than {max_depth} components: {:?}",
            String::from_utf8_lossy(raw)
        );
    }
    Ok(parts.iter().map(|p| OsStr::from_bytes(p)).collect())
}

/// Cuts a GNU long name at its terminating NUL.
fn trim_nul(mut data: Vec<u8>) -> Vec<u8> {
    if let Some(end) = data.iter().position(|b| *b == 0) {
        data.truncate(end);
    }
    data
}

/// The header checksum, summed over unsigned bytes as POSIX says or over signed ones as some old
/// writers did (Go's archive/tar accepts both too).
fn header_checksum_ok(header: &tar::Header) -> bool {
    let bytes = header.as_bytes();
    let rest = || bytes[..148].iter().chain(&bytes[156..]);
    let blank = 8 * i64::from(b' ');
    let unsigned = rest().map(|b| i64::from(*b)).sum::<i64>() + blank;
    let signed = rest().map(|b| i64::from(*b as i8)).sum::<i64>() + blank;
    matches!(header.cksum(), Ok(stored) if i64::from(stored) == unsigned || i64::from(stored) == signed)
}

fn id(value: u64, what: &str) -> anyhow::Result<u32> {
    // (uid_t)-1 means "leave unchanged" to chown(2), so it cannot be a real owner.
    match u32::try_from(value) {
        Ok(v) if v != u32::MAX => Ok(v),
        _ => bail!("{what} {value} is out of range"),
    }
}

/// Reads headers up to and including the next real entry; `None` at the end of the archive.
fn next_entry<R: Read>(
    stream: &mut TarStream<R>,
    opts: &ApplyOptions,
    totals: &mut Totals,
) -> anyhow::Result<Option<Entry>> {
    let mut long_name: Option<Vec<u8>> = None;
    let mut long_link: Option<Vec<u8>> = None;
    let mut pax: Option<Pax> = None;
    loop {
        let mut header = tar::Header::new_old();
        let more = stream.read_block(header.as_mut_bytes())?;
        if !more || header.as_bytes().iter().all(|b| *b == 0) {
            if long_name.is_some() || long_link.is_some() || pax.is_some() {
                bail!("layer ends after an extension header, before the entry it describes");
            }
            return Ok(None);
        }
        if !header_checksum_ok(&header) {
            bail!("corrupt tar header: checksum mismatch");
        }
        let typeflag = header.as_bytes()[156];
        let declared = header.entry_size().context("corrupt tar header")?;
        if matches!(typeflag, b'L' | b'K' | b'x' | b'g') {
            // Checked before a single byte of the body is read (I6).
            if declared > MAX_EXTENSION_HEADER {
                bail!(
                    "tar extension header of {declared} bytes exceeds the {MAX_EXTENSION_HEADER}-byte cap"
                );
            }
            totals.add_bytes(declared, opts)?;
            let body = stream.read_body(declared)?;
            let dup = match typeflag {
                b'L' => long_name.replace(trim_nul(body)).is_some(),
                b'K' => long_link.replace(trim_nul(body)).is_some(),
                b'x' => pax.replace(parse_pax(&body)?).is_some(),
                _ => {
                    totals.add_entry(opts)?;
                    log::debug!("ignoring pax global header in layer");
                    false
                }
            };
            if dup {
                bail!("two extension headers of the same kind describe one entry");
            }
            continue;
        }
        totals.add_entry(opts)?;
        let pax = pax.unwrap_or_default();
        let raw_path = long_name
            .or(pax.path.clone())
            .unwrap_or_else(|| header.path_bytes().into_owned());
        let display = String::from_utf8_lossy(&raw_path).into_owned();
        let path = normalize(&raw_path, opts.max_depth)?;
        let size = pax.size.unwrap_or(declared);
        totals.add_bytes(size, opts)?;
        let link = long_link
            .or(pax.linkpath.clone())
            .or_else(|| header.link_name_bytes().map(|l| l.into_owned()));
        let entry = decode(&header, typeflag, &raw_path, path, size, link, pax, opts)
            .with_context(|| format!("applying layer entry {display:?}"))?;
        return Ok(Some(Entry { display, ..entry }));
    }
}

/// Turns one real header (plus its extensions) into an [`Entry`].
#[allow(clippy::too_many_arguments)]
fn decode(
    header: &tar::Header,
    typeflag: u8,
    raw_path: &[u8],
    path: PathBuf,
    size: u64,
    link: Option<Vec<u8>>,
    pax: Pax,
    opts: &ApplyOptions,
) -> anyhow::Result<Entry> {
    if pax.sparse {
        bail!("sparse files are not supported");
    }
    let need_link = || link.clone().context("link entry without a target");
    let device = || -> anyhow::Result<(u32, u32)> {
        let major = header.device_major().context("corrupt device major")?;
        let minor = header.device_minor().context("corrupt device minor")?;
        major
            .zip(minor)
            .context("device entry without device numbers")
    };
    let kind = match typeflag {
        // Pre-POSIX tars mark directories with a trailing slash on a regular entry.
        b'\0' if raw_path.ends_with(b"/") => Kind::Dir,
        b'0' | b'\0' | b'7' => Kind::File,
        b'1' => {
            let target = need_link()?;
            let norm = normalize(&target, opts.max_depth).map_err(|_| {
                anyhow::anyhow!(
                    "invalid hardlink target in layer: {:?}",
                    String::from_utf8_lossy(&target)
                )
            })?;
            if norm.as_os_str().is_empty() {
                bail!("hardlink to the layer root");
            }
            Kind::Hardlink(norm)
        }
        b'2' => {
            let target = need_link()?;
            if target.is_empty() || target.contains(&0) {
                bail!(
                    "invalid symlink target {:?}",
                    String::from_utf8_lossy(&target)
                );
            }
            Kind::Symlink(OsString::from_vec(target))
        }
        b'3' => {
            let (major, minor) = device()?;
            Kind::Char(major, minor)
        }
        b'4' => {
            let (major, minor) = device()?;
            Kind::Block(major, minor)
        }
        b'5' => Kind::Dir,
        b'6' => Kind::Fifo,
        b'S' => bail!("sparse files are not supported"),
        other => bail!("unsupported tar entry type {:?}", char::from(other)),
    };
    let mode = header.mode().context("corrupt mode")? & 0o7777;
    let uid = id(
        match pax.uid {
            Some(v) => v,
            None => header.uid().context("corrupt uid")?,
        },
        "uid",
    )?;
    let gid = id(
        match pax.gid {
            Some(v) => v,
            None => header.gid().context("corrupt gid")?,
        },
        "gid",
    )?;
    let mtime = match pax.mtime {
        Some(t) => t,
        None => {
            let secs = header.mtime().context("corrupt mtime")?;
            TimeSpec::new(i64::try_from(secs).context("mtime out of range")?, 0)
        }
    };
    let mut xattrs = Vec::with_capacity(pax.xattrs.len());
    for (name, value) in pax.xattrs {
        let name = CString::new(name).context("xattr name contains NUL")?;
        xattrs.push((name, value));
    }
    Ok(Entry {
        display: String::new(),
        path,
        kind,
        mode,
        uid,
        gid,
        mtime,
        size,
        xattrs,
    })
}

/// Deferred directory metadata, applied in [`Applier::finish`].
struct DirMeta {
    mode: u32,
    mtime: TimeSpec,
}

struct Applier<'o> {
    root: OwnedFd,
    opts: &'o ApplyOptions,
    stats: ApplyStats,
    /// Directory modes and mtimes, set after all children are written.
    dirs: HashMap<PathBuf, DirMeta>,
    /// Paths this layer wrote (and their ancestors); only kept for [`WhiteoutMode::Delete`],
    /// where an opaque marker must spare them.
    unpacked: HashSet<PathBuf>,
    /// Device nodes left out under [`ApplyOptions::skip_devices`], so hardlinks to them are left
    /// out too instead of failing.
    skipped: HashSet<PathBuf>,
    buf: Vec<u8>,
}

impl Applier<'_> {
    fn apply(&mut self, e: &Entry, data: &mut dyn Read) -> anyhow::Result<()> {
        let Some(name) = e.path.file_name() else {
            if e.kind != Kind::Dir {
                bail!("only a directory can stand for the layer root");
            }
            let fd = openat(
                &self.root,
                ".",
                OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
                Mode::empty(),
            )
            .context("opening layer root")?;
            return self.dir_metadata(fd.as_fd(), e);
        };
        let parent_path = e.path.parent().unwrap_or(Path::new(""));
        if parent_path
            .components()
            .any(|c| c.as_os_str().as_bytes().starts_with(WHITEOUT_META_PREFIX))
        {
            log::debug!("skipping aufs metadata entry {:?}", e.display);
            return Ok(());
        }
        let name = name.as_bytes();
        if name == WHITEOUT_OPAQUE {
            return self.opaque(e);
        }
        if name.starts_with(WHITEOUT_META_PREFIX) {
            log::debug!("skipping aufs metadata entry {:?}", e.display);
            return Ok(());
        }
        if let Some(victim) = name.strip_prefix(WHITEOUT_PREFIX) {
            return self.whiteout(e, OsStr::from_bytes(victim));
        }
        if self.opts.skip_devices && matches!(e.kind, Kind::Char(..) | Kind::Block(..)) {
            self.stats.skipped_devices += 1;
            self.skipped.insert(e.path.clone());
            log::debug!("skipping device node {:?}", e.display);
            return Ok(());
        }
        if let Kind::Hardlink(target) = &e.kind
            && self.skipped.contains(target)
        {
            self.stats.skipped_devices += 1;
            self.skipped.insert(e.path.clone());
            log::debug!("skipping hardlink {:?} to a skipped device node", e.display);
            return Ok(());
        }
        let (parent, name) = self.parent_of(&e.path, true)?;
        if self.opts.whiteouts == WhiteoutMode::Delete {
            for p in e.path.ancestors() {
                if p.as_os_str().is_empty() || !self.unpacked.insert(p.to_owned()) {
                    break;
                }
            }
        }
        let parent = parent.as_fd();
        let name = name.as_os_str();
        match &e.kind {
            Kind::Dir => self.dir(e, parent, name),
            Kind::File => self.file(e, parent, name, data),
            Kind::Symlink(target) => self.symlink(e, parent, name, target),
            Kind::Hardlink(target) => self.hardlink(e, parent, name, target),
            Kind::Char(major, minor) => self.node(
                e,
                parent,
                name,
                SFlag::S_IFCHR,
                makedev((*major).into(), (*minor).into()),
            ),
            Kind::Block(major, minor) => self.node(
                e,
                parent,
                name,
                SFlag::S_IFBLK,
                makedev((*major).into(), (*minor).into()),
            ),
            Kind::Fifo => self.node(e, parent, name, SFlag::S_IFIFO, 0),
        }
    }

    fn parent_of(&self, path: &Path, create: bool) -> anyhow::Result<(OwnedFd, OsString)> {
        inroot::resolve_parent_with(self.root.as_fd(), path, create, Crossing::SameMount)
            .context("resolving parent directory")
    }

    fn dir(&mut self, e: &Entry, parent: BorrowedFd<'_>, name: &OsStr) -> anyhow::Result<()> {
        match fstatat(parent, name, AtFlags::AT_SYMLINK_NOFOLLOW) {
            Ok(st) if is_kind(st.st_mode, SFlag::S_IFDIR) => {}
            Ok(_) => {
                remove_all(parent, name, 0)?;
                mkdirat(parent, name, Mode::S_IRWXU).context("creating directory")?;
            }
            Err(Errno::ENOENT) => {
                mkdirat(parent, name, Mode::S_IRWXU).context("creating directory")?;
            }
            Err(err) => return Err(err).context("inspecting existing entry"),
        }
        let fd = openat(
            parent,
            name,
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .context("opening directory")?;
        self.dir_metadata(fd.as_fd(), e)
    }

    /// Owner and xattrs now, mode and mtime once the children are written.
    fn dir_metadata(&mut self, fd: BorrowedFd<'_>, e: &Entry) -> anyhow::Result<()> {
        let res = fchown(fd, Some(Uid::from_raw(e.uid)), Some(Gid::from_raw(e.gid)));
        self.chown_result(res, e)?;
        self.set_xattrs(fd, e)?;
        self.dirs.insert(
            e.path.clone(),
            DirMeta {
                mode: e.mode,
                mtime: e.mtime,
            },
        );
        Ok(())
    }

    fn file(
        &mut self,
        e: &Entry,
        parent: BorrowedFd<'_>,
        name: &OsStr,
        data: &mut dyn Read,
    ) -> anyhow::Result<()> {
        remove_all(parent, name, 0)?;
        let fd = openat(
            parent,
            name,
            OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
            Mode::S_IRUSR | Mode::S_IWUSR,
        )
        .context("creating file")?;
        let mut file = File::from(fd);
        let mut left = e.size;
        while left > 0 {
            let want = usize::try_from(left)
                .unwrap_or(usize::MAX)
                .min(self.buf.len());
            let n = match data.read(&mut self.buf[..want]) {
                Ok(0) => bail!("layer ends in the middle of the file"),
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err).context("reading layer"),
            };
            file.write_all(&self.buf[..n]).context("writing file")?;
            left -= n as u64;
        }
        self.stats.size += e.size;
        // chown clears setuid/setgid and file capabilities, so: owner, then mode, then xattrs.
        let res = fchown(
            &file,
            Some(Uid::from_raw(e.uid)),
            Some(Gid::from_raw(e.gid)),
        );
        self.chown_result(res, e)?;
        fchmod(&file, Mode::from_bits_truncate(e.mode)).context("setting mode")?;
        self.set_xattrs(file.as_fd(), e)?;
        futimens(&file, &e.mtime, &e.mtime).context("setting mtime")?;
        Ok(())
    }

    fn symlink(
        &mut self,
        e: &Entry,
        parent: BorrowedFd<'_>,
        name: &OsStr,
        target: &OsStr,
    ) -> anyhow::Result<()> {
        remove_all(parent, name, 0)?;
        symlinkat(target, parent, name).context("creating symlink")?;
        self.at_metadata(e, parent, name, false)
    }

    fn hardlink(
        &mut self,
        e: &Entry,
        parent: BorrowedFd<'_>,
        name: &OsStr,
        target: &Path,
    ) -> anyhow::Result<()> {
        if target == e.path {
            log::debug!("ignoring hardlink {:?} to itself", e.display);
            return Ok(());
        }
        // The target is resolved in-root like any other path, so a symlinked directory in its
        // way cannot point the link at a host file, and it must already exist in the layer dir.
        let (tparent, tname) =
            inroot::resolve_parent_with(self.root.as_fd(), target, false, Crossing::SameMount)
                .with_context(|| format!("resolving hardlink target {:?}", target.as_os_str()))?;
        remove_all(parent, name, 0)?;
        linkat(&tparent, tname.as_os_str(), parent, name, AtFlags::empty())
            .with_context(|| format!("linking to {:?}", target.as_os_str()))
    }

    fn node(
        &mut self,
        e: &Entry,
        parent: BorrowedFd<'_>,
        name: &OsStr,
        kind: SFlag,
        dev: libc::dev_t,
    ) -> anyhow::Result<()> {
        remove_all(parent, name, 0)?;
        mknodat(parent, name, kind, Mode::S_IRUSR | Mode::S_IWUSR, dev)
            .context("creating device node")?;
        self.at_metadata(e, parent, name, true)
    }

    /// Metadata for entries there is no fd for (symlinks, devices, FIFOs): everything by name with
    /// no-follow flags. Xattrs cannot be set without an fd and are counted as skipped.
    fn at_metadata(
        &mut self,
        e: &Entry,
        parent: BorrowedFd<'_>,
        name: &OsStr,
        chmod: bool,
    ) -> anyhow::Result<()> {
        let res = fchownat(
            parent,
            name,
            Some(Uid::from_raw(e.uid)),
            Some(Gid::from_raw(e.gid)),
            AtFlags::AT_SYMLINK_NOFOLLOW,
        );
        self.chown_result(res, e)?;
        if chmod {
            let mode = Mode::from_bits_truncate(e.mode);
            match fchmodat(parent, name, mode, FchmodatFlags::NoFollowSymlink) {
                Ok(()) => {}
                // Kernels before fchmodat2 (6.6) and libcs without /proc cannot chmod without
                // following; this entry was just created as a non-symlink in a directory only
                // berth writes to, so following is safe here.
                Err(Errno::ENOTSUP) => {
                    let st = fstatat(parent, name, AtFlags::AT_SYMLINK_NOFOLLOW)
                        .context("inspecting node")?;
                    if is_kind(st.st_mode, SFlag::S_IFLNK) {
                        bail!("node was replaced by a symlink");
                    }
                    fchmodat(parent, name, mode, FchmodatFlags::FollowSymlink)
                        .context("setting mode")?;
                }
                Err(err) => return Err(err).context("setting mode"),
            }
        }
        if !e.xattrs.is_empty() {
            self.stats.skipped_xattrs += e.xattrs.len() as u64;
            log::debug!("skipping xattrs of non-regular entry {:?}", e.display);
        }
        utimensat(
            parent,
            name,
            &e.mtime,
            &e.mtime,
            UtimensatFlags::NoFollowSymlink,
        )
        .context("setting mtime")
    }

    fn chown_result(&mut self, res: nix::Result<()>, e: &Entry) -> anyhow::Result<()> {
        match res {
            Ok(()) => Ok(()),
            Err(Errno::EPERM | Errno::EINVAL) if self.opts.ignore_chown_errors => {
                self.stats.chown_errors += 1;
                log::debug!(
                    "dropping owner {}:{} of {:?}: not mapped",
                    e.uid,
                    e.gid,
                    e.display
                );
                Ok(())
            }
            Err(err) => Err(err).with_context(|| format!("changing owner to {}:{}", e.uid, e.gid)),
        }
    }

    fn set_xattrs(&mut self, fd: BorrowedFd<'_>, e: &Entry) -> anyhow::Result<()> {
        for (name, value) in &e.xattrs {
            let bytes = name.as_bytes();
            if OVERLAY_XATTR_PREFIXES.iter().any(|p| bytes.starts_with(p)) {
                self.stats.skipped_xattrs += 1;
                log::debug!(
                    "ignoring overlay xattr {name:?} in layer entry {:?}",
                    e.display
                );
                continue;
            }
            match sys::fsetxattr(fd, name, value) {
                Ok(()) => {}
                Err(Errno::EPERM | Errno::ENOTSUP)
                    if bytes.starts_with(b"trusted.") || bytes.starts_with(b"security.") =>
                {
                    self.stats.skipped_xattrs += 1;
                    log::debug!("cannot set xattr {name:?} on {:?}", e.display);
                }
                Err(err) => return Err(err).with_context(|| format!("setting xattr {name:?}")),
            }
        }
        Ok(())
    }

    /// `.wh..wh..opq`: the directory holding it hides (overlay) or loses (delete) what earlier
    /// layers put there.
    fn opaque(&mut self, e: &Entry) -> anyhow::Result<()> {
        let dir_path = e.path.parent().unwrap_or(Path::new(""));
        match self.opts.whiteouts {
            WhiteoutMode::Overlay { xattr_prefix } => {
                let (dir, _) = self.parent_of(&e.path, true)?;
                let dir = openat(
                    &dir,
                    ".",
                    OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
                    Mode::empty(),
                )
                .context("opening opaque directory")?;
                let name = CString::new(format!("{xattr_prefix}opaque"))
                    .context("overlay xattr prefix contains NUL")?;
                sys::fsetxattr(dir.as_fd(), &name, b"y").context("marking directory opaque")
            }
            WhiteoutMode::Delete => {
                let dir = match inroot::resolve_parent_with(
                    self.root.as_fd(),
                    &e.path,
                    false,
                    Crossing::SameMount,
                ) {
                    Ok((dir, _)) => dir,
                    Err(err) if is_missing(&err) => return Ok(()),
                    Err(err) => return Err(err).context("resolving opaque directory"),
                };
                self.clear_opaque(dir.as_fd(), dir_path, 0)
            }
        }
    }

    /// Removes everything under `dir` that this layer did not write.
    fn clear_opaque(
        &self,
        dir: BorrowedFd<'_>,
        dir_path: &Path,
        depth: usize,
    ) -> anyhow::Result<()> {
        if depth > MAX_REMOVE_DEPTH {
            bail!(
                "directory tree under {:?} is too deep",
                dir_path.as_os_str()
            );
        }
        for name in list_dir(dir).context("listing opaque directory")? {
            let path = dir_path.join(&name);
            if !self.unpacked.contains(&path) {
                remove_all(dir, &name, depth)?;
                continue;
            }
            let sub = match openat(
                dir,
                name.as_os_str(),
                OFlag::O_PATH | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
                Mode::empty(),
            ) {
                Ok(sub) => sub,
                Err(Errno::ENOTDIR | Errno::ELOOP) => continue,
                Err(err) => return Err(err).with_context(|| format!("opening {name:?}")),
            };
            self.clear_opaque(sub.as_fd(), &path, depth + 1)?;
        }
        Ok(())
    }

    /// `.wh.NAME`: NAME is hidden (overlay) or removed (delete).
    fn whiteout(&mut self, e: &Entry, victim: &OsStr) -> anyhow::Result<()> {
        if !inroot::is_plain_name(victim) {
            bail!("invalid whiteout in layer: {:?}", e.display);
        }
        match self.opts.whiteouts {
            WhiteoutMode::Overlay { .. } => {
                let (parent, _) = self.parent_of(&e.path, true)?;
                remove_all(parent.as_fd(), victim, 0)?;
                mknodat(
                    &parent,
                    victim,
                    SFlag::S_IFCHR,
                    Mode::empty(),
                    makedev(0, 0),
                )
                .context("creating whiteout device")
            }
            WhiteoutMode::Delete => {
                let victim_path = e.path.with_file_name(victim);
                // Whiteouts only hide lower layers, never what this layer wrote itself.
                if self.unpacked.contains(&victim_path) {
                    return Ok(());
                }
                let parent = match inroot::resolve_parent_with(
                    self.root.as_fd(),
                    &victim_path,
                    false,
                    Crossing::SameMount,
                ) {
                    Ok((parent, _)) => parent,
                    Err(err) if is_missing(&err) => return Ok(()),
                    Err(err) => return Err(err).context("resolving whiteout parent"),
                };
                remove_all(parent.as_fd(), victim, 0)
            }
        }
    }

    /// Sets the deferred directory modes and mtimes, deepest first, so that neither a read-only
    /// parent blocks its children nor a child's creation bumps a parent's mtime afterwards.
    fn finish(&mut self) -> anyhow::Result<()> {
        let mut dirs: Vec<(PathBuf, DirMeta)> = self.dirs.drain().collect();
        dirs.sort_by_key(|(path, _)| Reverse(path.components().count()));
        for (path, meta) in dirs {
            self.finish_dir(&path, &meta)
                .with_context(|| format!("applying layer entry {:?}", path.as_os_str()))?;
        }
        Ok(())
    }

    fn finish_dir(&self, path: &Path, meta: &DirMeta) -> anyhow::Result<()> {
        let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
        let fd = if path.as_os_str().is_empty() {
            openat(&self.root, ".", flags, Mode::empty()).context("opening layer root")?
        } else {
            // The directory may have been replaced or whited out later in the layer; then its
            // metadata no longer applies.
            let (parent, name) = match self.parent_of(path, false) {
                Ok(found) => found,
                Err(err) if is_missing(&err) => return Ok(()),
                Err(err) => return Err(err),
            };
            match openat(&parent, name.as_os_str(), flags, Mode::empty()) {
                Ok(fd) => fd,
                Err(Errno::ENOENT | Errno::ENOTDIR | Errno::ELOOP) => return Ok(()),
                Err(err) => return Err(err).context("opening directory"),
            }
        };
        fchmod(&fd, Mode::from_bits_truncate(meta.mode)).context("setting directory mode")?;
        futimens(&fd, &meta.mtime, &meta.mtime).context("setting directory mtime")
    }
}

fn is_kind(mode: libc::mode_t, kind: SFlag) -> bool {
    mode & SFlag::S_IFMT.bits() == kind.bits()
}

fn is_missing(err: &anyhow::Error) -> bool {
    matches!(
        err.downcast_ref::<Errno>(),
        Some(Errno::ENOENT | Errno::ENOTDIR)
    )
}

/// Names in the directory behind `dir`, without `.` and `..`.
pub(crate) fn list_dir(dir: BorrowedFd<'_>) -> nix::Result<Vec<OsString>> {
    let fd = openat(
        dir,
        ".",
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )?;
    let mut d = Dir::from_fd(fd)?;
    let mut names = Vec::new();
    for ent in d.iter() {
        let name = ent?.file_name().to_bytes().to_vec();
        if name != b"." && name != b".." {
            names.push(OsString::from_vec(name));
        }
    }
    Ok(names)
}

/// Removes `name` in `parent` and, if it is a directory, everything below it, never following a
/// symlink. A missing entry is not an error.
pub(crate) fn remove_all(parent: BorrowedFd<'_>, name: &OsStr, depth: usize) -> anyhow::Result<()> {
    match unlinkat(parent, name, UnlinkatFlags::NoRemoveDir) {
        Ok(()) | Err(Errno::ENOENT) => return Ok(()),
        // Linux answers EISDIR for a directory (unlink(2)).
        Err(Errno::EISDIR) => {}
        Err(err) => return Err(err).with_context(|| format!("removing existing {name:?}")),
    }
    if depth >= MAX_REMOVE_DEPTH {
        bail!("directory tree at {name:?} is too deep to remove");
    }
    let dir = openat(
        parent,
        name,
        OFlag::O_PATH | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("opening existing {name:?}"))?;
    for child in list_dir(dir.as_fd()).with_context(|| format!("listing existing {name:?}"))? {
        remove_all(dir.as_fd(), &child, depth + 1)?;
    }
    unlinkat(parent, name, UnlinkatFlags::RemoveDir)
        .with_context(|| format!("removing existing directory {name:?}"))
}

#[cfg(test)]
#[allow(clippy::print_stderr)] // tests say why they skip (STYLE.md 31, 35)
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
    use tar::{EntryType, Header};

    const MTIME: u64 = 1_000_000;

    /// Builds layers in memory, including ones no well-behaved writer would produce.
    struct Layer {
        b: tar::Builder<Vec<u8>>,
    }

    fn header(path: &[u8], kind: EntryType, size: u64, mode: u32) -> Header {
        let mut h = Header::new_gnu();
        // Written raw so hostile names (`..`, absolute) survive; Header::set_path refuses them.
        h.as_old_mut().name[..path.len()].copy_from_slice(path);
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(mode);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(MTIME);
        h.set_cksum();
        h
    }

    impl Layer {
        fn new() -> Self {
            Layer {
                b: tar::Builder::new(Vec::new()),
            }
        }
        fn file(mut self, path: &str, content: &[u8], mode: u32) -> Self {
            let h = header(
                path.as_bytes(),
                EntryType::Regular,
                content.len() as u64,
                mode,
            );
            self.b.append(&h, content).unwrap();
            self
        }
        fn owned_file(mut self, path: &str, uid: u64, gid: u64, mode: u32) -> Self {
            let mut h = header(path.as_bytes(), EntryType::Regular, 1, mode);
            h.set_uid(uid);
            h.set_gid(gid);
            h.set_cksum();
            self.b.append(&h, &b"x"[..]).unwrap();
            self
        }
        fn dir(mut self, path: &str, mode: u32) -> Self {
            let h = header(path.as_bytes(), EntryType::Directory, 0, mode);
            self.b.append(&h, io::empty()).unwrap();
            self
        }
        fn link(mut self, kind: EntryType, path: &str, target: &str) -> Self {
            let mut h = header(path.as_bytes(), kind, 0, 0o777);
            h.as_old_mut().linkname[..target.len()].copy_from_slice(target.as_bytes());
            h.set_cksum();
            self.b.append(&h, io::empty()).unwrap();
            self
        }
        fn symlink(self, path: &str, target: &str) -> Self {
            self.link(EntryType::Symlink, path, target)
        }
        fn hardlink(self, path: &str, target: &str) -> Self {
            self.link(EntryType::Link, path, target)
        }
        fn device(mut self, path: &str, kind: EntryType, major: u32, minor: u32) -> Self {
            let mut h = header(path.as_bytes(), kind, 0, 0o666);
            h.set_device_major(major).unwrap();
            h.set_device_minor(minor).unwrap();
            h.set_cksum();
            self.b.append(&h, io::empty()).unwrap();
            self
        }
        fn pax(mut self, records: &[(&str, &[u8])]) -> Self {
            self.b
                .append_pax_extensions(records.iter().map(|(k, v)| (*k, *v)))
                .unwrap();
            self
        }
        /// A header whose body the stream never delivers.
        fn raw_header(mut self, kind: EntryType, size: u64) -> Vec<u8> {
            let h = header(b"././@LongLink", kind, size, 0o644);
            let mut out = std::mem::replace(&mut self.b, tar::Builder::new(Vec::new()))
                .into_inner()
                .unwrap();
            // Drop the end-of-archive blocks the builder wrote.
            out.truncate(out.len() - 1024);
            out.extend_from_slice(h.as_bytes());
            out
        }
        fn done(self) -> Vec<u8> {
            self.b.into_inner().unwrap()
        }
    }

    struct Env {
        tmp: tempfile::TempDir,
        dest: PathBuf,
        outside: PathBuf,
        before: Vec<String>,
    }

    fn env() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("dest");
        let outside = tmp.path().join("outside");
        fs::create_dir(&dest).unwrap();
        fs::create_dir(&outside).unwrap();
        fs::write(outside.join("file"), "host").unwrap();
        fs::write(outside.join("victim"), "host").unwrap();
        let before = snapshot(tmp.path(), &dest);
        Env {
            tmp,
            dest,
            outside,
            before,
        }
    }

    /// Everything under `top` except `dest`, with the metadata an escape would change.
    fn snapshot(top: &Path, dest: &Path) -> Vec<String> {
        let mut out = Vec::new();
        let mut todo = vec![top.to_path_buf()];
        while let Some(p) = todo.pop() {
            if p == dest {
                continue;
            }
            let m = fs::symlink_metadata(&p).unwrap();
            out.push(format!(
                "{} {:o} {} {} {}",
                p.display(),
                m.mode(),
                m.len(),
                m.nlink(),
                m.mtime()
            ));
            if m.is_dir() {
                for e in fs::read_dir(&p).unwrap() {
                    todo.push(e.unwrap().path());
                }
            }
        }
        out.sort();
        out
    }

    impl Env {
        fn apply(&self, tar: &[u8], opts: &ApplyOptions) -> anyhow::Result<ApplyStats> {
            apply_layer(tar, &self.dest, opts)
        }
        fn assert_outside_untouched(&self) {
            assert_eq!(snapshot(self.tmp.path(), &self.dest), self.before);
            assert_eq!(fs::read(self.outside.join("file")).unwrap(), b"host");
        }
        fn p(&self, rel: &str) -> PathBuf {
            self.dest.join(rel)
        }
    }

    /// Defaults, except that an unprivileged run drops ownership instead of failing on it.
    fn base() -> ApplyOptions {
        ApplyOptions {
            ignore_chown_errors: !is_root(),
            ..ApplyOptions::default()
        }
    }

    fn delete() -> ApplyOptions {
        ApplyOptions {
            whiteouts: WhiteoutMode::Delete,
            ..base()
        }
    }

    fn overlay_user() -> ApplyOptions {
        ApplyOptions {
            whiteouts: WhiteoutMode::Overlay {
                xattr_prefix: "user.overlay.",
            },
            ..base()
        }
    }

    fn is_root() -> bool {
        nix::unistd::geteuid().is_root()
    }

    fn user_xattrs_work(dir: &Path) -> bool {
        let f = File::create(dir.join(".xattr-probe")).unwrap();
        let ok = sys::fsetxattr(f.as_fd(), c"user.probe", b"1").is_ok();
        fs::remove_file(dir.join(".xattr-probe")).unwrap();
        ok
    }

    fn xattr(path: &Path, name: &std::ffi::CStr) -> nix::Result<Vec<u8>> {
        let f = File::open(path).unwrap();
        sys::fgetxattr(f.as_fd(), name)
    }

    fn err_text(r: anyhow::Result<ApplyStats>) -> String {
        format!("{:#}", r.unwrap_err())
    }

    #[test]
    fn normal_tree() {
        let e = env();
        let long = format!("usr/{}/deep", "l".repeat(150));
        let mut layer = Layer::new()
            .dir("etc", 0o755)
            .file("etc/passwd", b"root:x:0:0::/root:/bin/sh\n", 0o644)
            .dir("./bin/", 0o755)
            .file("/bin/busybox", b"ELF", 0o755)
            .file("bin/su", b"su", 0o4755)
            .file("bin/sgid", b"sg", 0o2711)
            .dir("tmp", 0o1777)
            .symlink("bin/sh", "busybox")
            .hardlink("bin/ls", "bin/busybox")
            .owned_file("home/user/owned", 1000, 1001, 0o600)
            .device("run/fifo", EntryType::Fifo, 0, 0)
            .pax(&[("path", b"pax/named/file")])
            .file("short", b"pax", 0o644);
        let mut h = Header::new_gnu();
        h.set_uid(0);
        h.set_gid(0);
        h.set_size(4);
        h.set_mode(0o644);
        h.set_mtime(MTIME);
        layer.b.append_data(&mut h, &long, &b"long"[..]).unwrap();
        // A directory whose children come later: its mtime must still be the layer's.
        let layer = layer.dir("late", 0o555).file("late/child", b"c", 0o644);
        let stats = e.apply(&layer.done(), &base()).unwrap();
        assert_eq!(stats.entries, 15);
        assert_eq!(
            fs::read(e.p("etc/passwd")).unwrap(),
            b"root:x:0:0::/root:/bin/sh\n"
        );
        let mode = |p: &str| fs::symlink_metadata(e.p(p)).unwrap().mode() & 0o7777;
        assert_eq!(mode("bin/su"), 0o4755);
        assert_eq!(mode("bin/sgid"), 0o2711);
        assert_eq!(mode("tmp"), 0o1777);
        assert_eq!(mode("late"), 0o555);
        assert_eq!(fs::read_link(e.p("bin/sh")).unwrap(), Path::new("busybox"));
        let ino = |p: &str| fs::symlink_metadata(e.p(p)).unwrap().ino();
        assert_eq!(ino("bin/ls"), ino("bin/busybox"));
        assert!(
            fs::symlink_metadata(e.p("run/fifo"))
                .unwrap()
                .file_type()
                .is_fifo()
        );
        assert_eq!(fs::read(e.p("pax/named/file")).unwrap(), b"pax");
        assert!(!e.p("short").exists());
        assert_eq!(fs::read(e.p(&long)).unwrap(), b"long");
        // Implicit parents are 0755.
        assert_eq!(mode("home/user"), 0o755);
        for p in ["etc", "etc/passwd", "bin/sh", "late", "late/child", "tmp"] {
            let m = fs::symlink_metadata(e.p(p)).unwrap();
            assert_eq!(m.mtime() as u64, MTIME, "{p}");
        }
        if is_root() {
            let m = fs::symlink_metadata(e.p("home/user/owned")).unwrap();
            assert_eq!((m.uid(), m.gid()), (1000, 1001));
            assert_eq!(stats.chown_errors, 0);
        } else {
            // Every entry is owned by 0 or 1000 in the layer; none of that is ours to give.
            assert!(stats.chown_errors > 0);
            let strict = ApplyOptions {
                ignore_chown_errors: false,
                ..ApplyOptions::default()
            };
            let e = env();
            let layer = Layer::new().owned_file("f", 0, 0, 0o644).done();
            let msg = err_text(e.apply(&layer, &strict));
            assert!(msg.contains("changing owner to 0:0"), "{msg}");
        }
        assert_eq!(stats.size, 26 + 3 + 2 + 2 + 1 + 3 + 4 + 1);
        e.assert_outside_untouched();
    }

    #[test]
    fn xattrs_from_pax() {
        let e = env();
        let layer = Layer::new()
            .pax(&[
                ("SCHILY.xattr.user.bin", b"a\nb=c\0d"),
                ("SCHILY.xattr.trusted.overlay.redirect", b"/etc"),
            ])
            .file("f", b"data", 0o644)
            .pax(&[("SCHILY.xattr.user.onlink", b"x")])
            .symlink("l", "f")
            .done();
        let stats = e.apply(&layer, &base());
        if !user_xattrs_work(&e.dest) {
            crate::runtime::test_support::skip("skipped: needs user xattrs on the temp filesystem");
            return;
        }
        let stats = stats.unwrap();
        assert_eq!(xattr(&e.p("f"), c"user.bin").unwrap(), b"a\nb=c\0d");
        // Overlay xattrs in layer content are never applied; symlinks get none.
        assert_eq!(stats.skipped_xattrs, 2);
        if is_root() {
            assert_eq!(
                xattr(&e.p("f"), c"trusted.overlay.redirect").unwrap_err(),
                Errno::ENODATA
            );
        }
    }

    #[test]
    fn whiteouts_overlay() {
        let e = env();
        let layer = Layer::new()
            .file("a/.wh.b", b"", 0o644)
            .dir("c", 0o755)
            .file("c/.wh..wh..opq", b"", 0o644)
            .file(".wh..wh.plnk/123", b"aufs", 0o644)
            .file(".wh..wh.aufs", b"", 0o644)
            .done();
        let r = e.apply(&layer, &overlay_user());
        if !crate::runtime::test_support::require_root("whiteouts_overlay (whiteout devices)") {
            return;
        }
        r.unwrap();
        let m = fs::symlink_metadata(e.p("a/b")).unwrap();
        assert!(m.file_type().is_char_device());
        assert_eq!(m.rdev(), 0);
        assert!(!e.p("a/.wh.b").exists());
        assert!(!e.p(".wh..wh.plnk").exists());
        assert!(!e.p(".wh..wh.aufs").exists());
        assert!(!e.p("c/.wh..wh..opq").exists());
        if user_xattrs_work(&e.dest) {
            assert_eq!(xattr(&e.p("c"), c"user.overlay.opaque").unwrap(), b"y");
        }
        e.assert_outside_untouched();
    }

    #[test]
    fn whiteouts_delete() {
        let e = env();
        let lower = Layer::new()
            .file("a/b", b"1", 0o644)
            .file("a/c", b"1", 0o644)
            .file("d/x", b"1", 0o644)
            .file("d/sub/y", b"1", 0o644)
            .done();
        e.apply(&lower, &delete()).unwrap();
        let upper = Layer::new()
            .file("a/.wh.b", b"", 0o644)
            .file("a/.wh.missing", b"", 0o644)
            .file("nodir/.wh.x", b"", 0o644)
            .file("d/new", b"2", 0o644)
            .file("d/sub/z", b"2", 0o644)
            .file("d/.wh..wh..opq", b"", 0o644)
            .done();
        e.apply(&upper, &delete()).unwrap();
        assert!(!e.p("a/b").exists());
        assert!(e.p("a/c").exists());
        assert!(!e.p("d/x").exists());
        assert!(!e.p("d/sub/y").exists());
        assert!(e.p("d/new").exists());
        assert!(e.p("d/sub/z").exists());
        assert!(!e.p("nodir").exists());
        assert!(!e.p("d/.wh..wh..opq").exists());
        e.assert_outside_untouched();
    }

    #[test]
    fn overwrites() {
        let e = env();
        let lower = Layer::new()
            .dir("x", 0o755)
            .file("x/f", b"1", 0o644)
            .file("y", b"1", 0o644)
            .file("target", b"orig", 0o644)
            .symlink("z", "target")
            .dir("d", 0o755)
            .file("d/keep", b"1", 0o644)
            .done();
        e.apply(&lower, &delete()).unwrap();
        let upper = Layer::new()
            .file("x", b"now a file", 0o600)
            .dir("y", 0o700)
            .file("z", b"replaced", 0o644)
            .dir("d", 0o711)
            .done();
        e.apply(&upper, &delete()).unwrap();
        assert_eq!(fs::read(e.p("x")).unwrap(), b"now a file");
        assert!(e.p("y").is_dir());
        assert_eq!(fs::read(e.p("target")).unwrap(), b"orig");
        assert_eq!(fs::read(e.p("z")).unwrap(), b"replaced");
        assert!(!fs::symlink_metadata(e.p("z")).unwrap().is_symlink());
        assert!(e.p("d/keep").exists());
        assert_eq!(
            fs::metadata(e.p("d")).unwrap().permissions().mode() & 0o7777,
            0o711
        );
    }

    #[test]
    fn dotdot_paths_are_errors() {
        for path in [
            "../escape",
            "a/../../escape",
            "./../escape",
            "a/b/../../../escape",
        ] {
            let e = env();
            let layer = Layer::new().file(path, b"pwned", 0o644).done();
            let msg = err_text(e.apply(&layer, &base()));
            assert!(msg.contains("invalid path in layer"), "{path}: {msg}");
            e.assert_outside_untouched();
        }
        // A PAX path overrides the header's, and is checked the same way.
        let e = env();
        let layer = Layer::new()
            .pax(&[("path", b"../outside/file")])
            .file("innocent", b"pwned", 0o644)
            .done();
        let msg = err_text(e.apply(&layer, &base()));
        assert!(msg.contains("invalid path in layer"), "{msg}");
        e.assert_outside_untouched();
        // `a/../b` stays inside and is fine.
        let e = env();
        let layer = Layer::new().file("a/../b", b"ok", 0o644).done();
        e.apply(&layer, &base()).unwrap();
        assert_eq!(fs::read(e.p("b")).unwrap(), b"ok");
    }

    #[test]
    fn absolute_paths_land_inside() {
        let e = env();
        let outside_abs = format!("{}/new", e.outside.display());
        let layer = Layer::new()
            .file("/etc/x", b"in", 0o644)
            .file(&outside_abs, b"in", 0o644)
            .done();
        e.apply(&layer, &base()).unwrap();
        assert_eq!(fs::read(e.p("etc/x")).unwrap(), b"in");
        assert!(e.p(outside_abs.trim_start_matches('/')).exists());
        e.assert_outside_untouched();
    }

    #[test]
    fn symlinked_parents_stay_in_root() {
        let e = env();
        let outside = e.outside.display().to_string();
        let layer = Layer::new()
            .dir("etc", 0o755)
            .symlink("evil", "/etc")
            .file("evil/passwd", b"in", 0o644)
            .symlink("up", "../../..")
            .file("up/pwned", b"in", 0o644)
            .symlink("slash", "/")
            .file("slash/tmp/pwned", b"in", 0o644)
            .symlink("host", &outside)
            .dir(&format!("{}/", outside.trim_start_matches('/')), 0o755)
            .file("host/file", b"in", 0o644)
            .done();
        e.apply(&layer, &base()).unwrap();
        assert_eq!(fs::read(e.p("etc/passwd")).unwrap(), b"in");
        assert_eq!(fs::read(e.p("pwned")).unwrap(), b"in");
        assert_eq!(fs::read(e.p("tmp/pwned")).unwrap(), b"in");
        assert_eq!(
            fs::read(e.p(&format!("{}/file", outside.trim_start_matches('/')))).unwrap(),
            b"in"
        );
        e.assert_outside_untouched();
    }

    #[test]
    fn dangling_symlink_parent_is_an_error_not_an_escape() {
        let e = env();
        let layer = Layer::new()
            .symlink("evil", "/nonexistent")
            .file("evil/passwd", b"x", 0o644)
            .done();
        let msg = err_text(e.apply(&layer, &base()));
        assert!(
            msg.contains("applying layer entry \"evil/passwd\""),
            "{msg}"
        );
        e.assert_outside_untouched();
    }

    #[test]
    fn hardlink_escapes_are_errors() {
        let e = env();
        let layer = Layer::new().hardlink("h", "../../outside/file").done();
        let msg = err_text(e.apply(&layer, &base()));
        assert!(msg.contains("invalid hardlink target"), "{msg}");
        e.assert_outside_untouched();

        for target in [e.outside.display().to_string(), "../outside".to_string()] {
            let e2 = env();
            let target = target.replace(
                &e.outside.display().to_string(),
                &e2.outside.display().to_string(),
            );
            let layer = Layer::new()
                .symlink("d", &target)
                .hardlink("h", "d/file")
                .done();
            let msg = err_text(e2.apply(&layer, &base()));
            assert!(msg.contains("applying layer entry \"h\""), "{msg}");
            e2.assert_outside_untouched();
        }
    }

    #[test]
    fn whiteout_escapes() {
        let e = env();
        let layer = Layer::new().file("../.wh.victim", b"", 0o644).done();
        assert!(err_text(e.apply(&layer, &delete())).contains("invalid path in layer"));
        for bad in [".wh..", ".wh.", "a/.wh..."] {
            let layer = Layer::new().file(bad, b"", 0o644).done();
            assert!(e.apply(&layer, &delete()).is_err(), "{bad}");
        }
        let outside = e.outside.display().to_string();
        let layer = Layer::new()
            .symlink("p", &outside)
            .file("p/.wh.victim", b"", 0o644)
            .symlink("q", "../..")
            .file("q/.wh.victim", b"", 0o644)
            .file("q/outside/.wh.victim", b"", 0o644)
            .done();
        e.apply(&layer, &delete()).unwrap();
        e.assert_outside_untouched();
        if is_root() {
            // Overlay whiteouts need their parent: through a dangling link that is an error.
            assert!(e.apply(&layer, &overlay_user()).is_err());
            e.assert_outside_untouched();
            let layer = Layer::new()
                .symlink("q", "../..")
                .file("q/.wh.victim", b"", 0o644)
                .file("q/outside/.wh.victim", b"", 0o644)
                .done();
            e.apply(&layer, &overlay_user()).unwrap();
            e.assert_outside_untouched();
            // The overlay whiteouts landed inside, under the in-root meaning of the link.
            for inside in ["victim", "outside/victim"] {
                let m = fs::symlink_metadata(e.p(inside)).unwrap();
                assert!(m.file_type().is_char_device());
            }
        }
    }

    #[test]
    fn file_replaced_by_symlink_is_not_written_through() {
        let e = env();
        let target = e.outside.join("file").display().to_string();
        let layer = Layer::new()
            .file("f", b"first", 0o644)
            .symlink("f", &target)
            .file("f", b"pwned", 0o644)
            .done();
        e.apply(&layer, &base()).unwrap();
        assert_eq!(fs::read(e.p("f")).unwrap(), b"pwned");
        assert!(!fs::symlink_metadata(e.p("f")).unwrap().is_symlink());
        e.assert_outside_untouched();
        // Same across layers, and for a symlink to a directory.
        let e = env();
        let lower = Layer::new()
            .symlink("f", &target)
            .symlink("d", &e.outside.display().to_string())
            .done();
        e.apply(&lower, &base()).unwrap();
        let upper = Layer::new()
            .file("f", b"pwned", 0o644)
            .dir("d", 0o755)
            .file("d/file", b"pwned", 0o644)
            .done();
        e.apply(&upper, &base()).unwrap();
        assert!(e.p("d").is_dir());
        e.assert_outside_untouched();
    }

    #[test]
    fn oversized_extension_headers_fail_before_reading() {
        for kind in [
            EntryType::XHeader,
            EntryType::GNULongName,
            EntryType::XGlobalHeader,
        ] {
            let e = env();
            // Declares 2 GiB and delivers nothing: the cap must trip, not the read.
            let layer = Layer::new()
                .file("ok", b"1", 0o644)
                .raw_header(kind, 2 << 30);
            let msg = err_text(e.apply(&layer, &base()));
            assert!(
                msg.contains("exceeds the 1048576-byte cap"),
                "{kind:?}: {msg}"
            );
        }
    }

    #[test]
    fn caps() {
        let e = env();
        let mut layer = Layer::new();
        for i in 0..5 {
            layer = layer.file(&format!("f{i}"), b"x", 0o644);
        }
        let opts = ApplyOptions {
            max_entries: 3,
            ..base()
        };
        let msg = err_text(e.apply(&layer.done(), &opts));
        assert!(msg.contains("more than 3 entries"), "{msg}");

        let layer = Layer::new().file("big", &[7u8; 100], 0o644).done();
        let opts = ApplyOptions {
            max_size: 50,
            ..base()
        };
        let msg = err_text(e.apply(&layer, &opts));
        assert!(msg.contains("50-byte cap"), "{msg}");

        let layer = Layer::new().file("a/b/c/d/e/f/g", b"x", 0o644).done();
        let opts = ApplyOptions {
            max_depth: 5,
            ..base()
        };
        let msg = err_text(e.apply(&layer, &opts));
        assert!(msg.contains("deeper than 5"), "{msg}");
    }

    #[test]
    fn devices() {
        let e = env();
        let layer = Layer::new()
            .device("dev/null", EntryType::Char, 1, 3)
            .device("dev/sda", EntryType::Block, 8, 0)
            .device("dev/fifo", EntryType::Fifo, 0, 0)
            .done();
        let opts = ApplyOptions {
            skip_devices: true,
            ..base()
        };
        let stats = e.apply(&layer, &opts).unwrap();
        assert_eq!(stats.skipped_devices, 2);
        let links = Layer::new()
            .device("dev/zero", EntryType::Char, 1, 5)
            .hardlink("dev/zero2", "dev/zero")
            .hardlink("dev/fifo2", "dev/fifo")
            .done();
        let stats = e.apply(&links, &opts).unwrap();
        assert_eq!(stats.skipped_devices, 2);
        assert!(!e.p("dev/zero2").exists());
        assert!(
            fs::symlink_metadata(e.p("dev/fifo2"))
                .unwrap()
                .file_type()
                .is_fifo()
        );
        assert!(!e.p("dev/null").exists());
        assert!(!e.p("dev/sda").exists());
        assert!(
            fs::symlink_metadata(e.p("dev/fifo"))
                .unwrap()
                .file_type()
                .is_fifo()
        );
        if is_root() {
            let e = env();
            e.apply(&layer, &base()).unwrap();
            let m = fs::symlink_metadata(e.p("dev/null")).unwrap();
            assert!(m.file_type().is_char_device());
            assert_eq!(m.rdev(), makedev(1, 3));
            assert_eq!(m.mode() & 0o7777, 0o666);
            assert!(
                fs::symlink_metadata(e.p("dev/sda"))
                    .unwrap()
                    .file_type()
                    .is_block_device()
            );
        }
    }

    #[test]
    fn corrupt_input_is_an_error() {
        let e = env();
        let good = Layer::new().file("f", b"content", 0o644).done();
        // Truncated inside the data.
        assert!(e.apply(&good[..520], &base()).is_err());
        // Truncated inside the header.
        assert!(e.apply(&good[..100], &base()).is_err());
        // Checksum.
        let mut bad = good.clone();
        bad[0] = b'g';
        assert!(err_text(e.apply(&bad[..], &base())).contains("checksum"));
        // A signed-byte checksum (old writers) over a name with high-bit bytes is accepted.
        let mut h = header("caf\u{e9}".as_bytes(), EntryType::Regular, 0, 0o644);
        let sum: i64 = h.as_bytes()[..148]
            .iter()
            .chain(&h.as_bytes()[156..])
            .map(|b| i64::from(*b as i8))
            .sum::<i64>()
            + 8 * 32;
        let field = format!("{sum:06o}\0 ");
        h.as_mut_bytes()[148..156].copy_from_slice(field.as_bytes());
        let mut signed = h.as_bytes().to_vec();
        signed.extend_from_slice(&[0; 1024]);
        e.apply(&signed[..], &base()).unwrap();
        assert!(e.p("caf\u{e9}").exists());
        // Hostile numbers and bytes in PAX records.
        for records in [
            &[("uid", &b"99999999999"[..])][..],
            &[("uid", b"4294967295")],
            &[("gid", b"-1")],
            &[("mtime", b"12x")],
            &[("size", b"18446744073709551616")],
            &[("path", b"a\0b")],
            &[("SCHILY.xattr.user.a\0b", b"v")],
            &[("GNU.sparse.major", b"1")],
        ] {
            let layer = Layer::new().pax(records).file("f", b"x", 0o644).done();
            assert!(e.apply(&layer, &base()).is_err(), "{records:?}");
        }
        // An extension header with nothing after it.
        let layer = Layer::new().pax(&[("path", b"x")]).done();
        assert!(e.apply(&layer, &base()).is_err());
        // Unknown entry types are refused.
        let mut b = tar::Builder::new(Vec::new());
        b.append(&header(b"v", EntryType::new(b'V'), 0, 0o644), io::empty())
            .unwrap();
        let layer = b.into_inner().unwrap();
        assert!(err_text(e.apply(&layer, &base())).contains("unsupported"));
    }

    #[test]
    fn errors_name_the_entry() {
        let e = env();
        let layer = Layer::new()
            .file("usr/bin/x", b"x", 0o644)
            .hardlink("usr/bin/y", "usr/bin/missing")
            .done();
        let msg = err_text(e.apply(&layer, &base()));
        assert!(
            msg.starts_with("applying layer entry \"usr/bin/y\": "),
            "{msg}"
        );
        assert!(msg.contains("ENOENT"), "{msg}");
    }

    #[test]
    fn root_entry_updates_root_metadata() {
        let e = env();
        let layer = Layer::new().dir("./", 0o750).file("f", b"x", 0o644).done();
        e.apply(&layer, &base()).unwrap();
        let m = fs::metadata(&e.dest).unwrap();
        assert_eq!(m.mode() & 0o7777, 0o750);
        assert_eq!(m.mtime() as u64, MTIME);
        let layer = Layer::new().file("./", b"x", 0o644).done();
        assert!(e.apply(&layer, &base()).is_err());
    }

    #[test]
    fn hostile_layers_with_userspace_walk() {
        inroot::FORCE_WALK.with(|f| f.set(true));
        dotdot_paths_are_errors();
        absolute_paths_land_inside();
        symlinked_parents_stay_in_root();
        dangling_symlink_parent_is_an_error_not_an_escape();
        hardlink_escapes_are_errors();
        whiteout_escapes();
        file_replaced_by_symlink_is_not_written_through();
        whiteouts_delete();
        overwrites();
        normal_tree();
        inroot::FORCE_WALK.with(|f| f.set(false));
    }

    #[test]
    fn pure_parsers() {
        assert_eq!(normalize(b"/a/./b//c/", 10).unwrap(), Path::new("a/b/c"));
        assert_eq!(normalize(b"./", 10).unwrap(), Path::new(""));
        assert_eq!(normalize(b"a/../b", 10).unwrap(), Path::new("b"));
        assert!(normalize(b"a/../..", 10).is_err());
        assert!(normalize(b"..", 10).is_err());
        assert!(normalize(b"a/b/c", 2).is_err());

        let recs = pax_records(b"14 path=a\nb=c\n10 size=5\n").unwrap();
        assert_eq!(
            recs,
            vec![(&b"path"[..], &b"a\nb=c"[..]), (&b"size"[..], &b"5"[..])]
        );
        for bad in [
            &b"99 path=a\n"[..],
            b"x path=a\n",
            b"9 patha\n",
            b"3 \n",
            b"10 path=a\0",
        ] {
            assert!(pax_records(bad).is_err(), "{bad:?}");
        }

        let t = parse_pax_time(b"1700000000.5").unwrap();
        assert_eq!((t.tv_sec(), t.tv_nsec()), (1_700_000_000, 500_000_000));
        let t = parse_pax_time(b"-1.25").unwrap();
        assert_eq!((t.tv_sec(), t.tv_nsec()), (-2, 750_000_000));
        let t = parse_pax_time(b"12.1234567891234").unwrap();
        assert_eq!((t.tv_sec(), t.tv_nsec()), (12, 123_456_789));
        for bad in [&b""[..], b".5", b"1e9", b"99999999999999999999", b"1.-5"] {
            assert!(parse_pax_time(bad).is_err(), "{bad:?}");
        }
    }
}
