//! The container's process planned as data: argv, environment, user identity, working directory,
//! resource limits and the executable to run, with Docker's semantics. The spawn code applies
//! these values; this module only computes them.
//!
//! Everything here is pure except [`read_identity_files`] and [`find_executable`]. Those two read
//! the container's rootfs strictly in-root through `storage::inroot` (SECURITY.md I1) and never
//! execute or `dlopen` anything from it. Users and groups come from parsing the image's own
//! /etc/passwd and /etc/group (I5), read with a 1 MiB cap and only from regular files (I6).
//! This module must not read the host's environment (callers pass a `lookup`, STYLE.md 2), must
//! not look anything up through NSS, and must not change process state.

use std::io::Read;
use std::os::fd::{BorrowedFd, OwnedFd};
use std::path::Path;

use anyhow::{Context as _, Result};
use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::stat::{FileStat, Mode, SFlag, fstat};

use crate::error::{ErrorKind, invalid};
use crate::runtime::userns::IdMap;
use crate::storage::inroot;

/// The `PATH` a container gets when neither the image nor the user sets one (Docker's
/// `oci.DefaultPathEnv` for Linux, also Podman's).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The most bytes of the image's /etc/passwd or /etc/group that berth reads (SECURITY.md I6).
pub const MAX_IDENTITY_FILE: u64 = 1 << 20;

/// The longest `--user` value accepted.
pub const MAX_USER_SPEC: usize = 256;

/// The largest uid or gid accepted: `u32::MAX` is `(uid_t)-1`, which `setuid(2)` and
/// `chown(2)` read as "leave unchanged".
pub const MAX_ID: u32 = u32::MAX - 1;

// ---------------------------------------------------------------------------------------------
// argv

/// The container's argv from the image's Entrypoint/Cmd and the user's `--entrypoint` and
/// arguments, as Docker computes it:
///
/// - the user's arguments replace the image's Cmd;
/// - `--entrypoint X` replaces the image's Entrypoint with the single word `X` (never split, as
///   in Docker) and drops the image's Cmd, so only the user's arguments follow it;
/// - `--entrypoint ""` clears the entrypoint and also drops the image's Cmd.
///
/// Errors (`ErrorKind::InvalidInput`, exit 125): the result is empty ("no command specified"),
/// or an argument contains a NUL byte, which `execve(2)` cannot carry.
pub fn argv(
    image_entrypoint: Option<&[String]>,
    image_cmd: Option<&[String]>,
    entrypoint: Option<&str>,
    command: &[String],
) -> Result<Vec<String>> {
    let (mut out, args): (Vec<String>, &[String]) = match entrypoint {
        None => {
            let args = if command.is_empty() {
                image_cmd.unwrap_or_default()
            } else {
                command
            };
            (image_entrypoint.unwrap_or_default().to_vec(), args)
        }
        Some("") => (Vec::new(), command),
        Some(ep) => (vec![ep.to_owned()], command),
    };
    out.extend_from_slice(args);
    if out.is_empty() {
        return Err(invalid("no command specified"));
    }
    if let Some(i) = out.iter().position(|a| a.contains('\0')) {
        return Err(invalid(format!(
            "argument {i} of the command contains a NUL byte"
        )));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// environment

/// The key of a `KEY=VALUE` entry (the whole entry when it has no `=`).
fn env_key(entry: &str) -> &str {
    entry.split_once('=').map_or(entry, |(k, _)| k)
}

/// Parses a Docker `--env-file`: lines starting with `#` (after leading whitespace) and blank
/// lines are skipped; `KEY=VALUE` is kept verbatim (spaces and quotes included, leading
/// whitespace of the line dropped, as Docker does); a bare `KEY` takes the host's value from
/// `lookup` or is dropped when the host has none. A UTF-8 byte-order mark and `\r` line ends are
/// tolerated.
///
/// Errors (`ErrorKind::InvalidInput`) name the 1-based line: a key containing a space or tab, an
/// empty key, or a NUL byte. Callers add the file name as context.
pub fn parse_env_file(text: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let n = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line).trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.contains('\0') {
            return Err(invalid(format!("env file line {n}: contains a NUL byte")));
        }
        let (key, has_value) = match line.split_once('=') {
            Some((k, _)) => (k, true),
            None => (line, false),
        };
        if key.is_empty() {
            return Err(invalid(format!(
                "env file line {n}: no variable name in {line:?}"
            )));
        }
        if key.contains([' ', '\t']) {
            return Err(invalid(format!(
                "env file line {n}: variable {key:?} contains whitespace"
            )));
        }
        if has_value {
            out.push(line.to_owned());
        } else if let Some(value) = lookup(key) {
            out.push(format!("{key}={value}"));
        }
    }
    Ok(out)
}

/// Docker's `ReplaceOrAppendEnvValues`: each override replaces the entry with the same key in
/// place or is appended; afterwards every entry without `=` is removed, which is how a bare key
/// unsets a variable.
fn replace_or_append(mut base: Vec<String>, overrides: &[String]) -> Vec<String> {
    for o in overrides {
        let key = env_key(o);
        match base.iter().position(|e| env_key(e) == key) {
            Some(i) => base[i].clone_from(o),
            None => base.push(o.clone()),
        }
    }
    base.retain(|e| e.contains('='));
    base
}

/// What the runtime adds below the image's and the user's environment (Docker's
/// `CreateDaemonEnvironment`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EnvDefaults<'a> {
    /// `HOSTNAME`, when the container has one (Docker always sets it).
    pub hostname: Option<&'a str>,
    /// Whether the container has a terminal: adds `TERM=xterm`.
    pub tty: bool,
}

/// The container's environment, merged as Docker does:
///
/// 1. `files` (entries from [`parse_env_file`], in file order) then `flags` (`-e`, in order) are
///    the user's environment; `-e KEY` without `=` takes the host's value from `lookup`, and when
///    the host has none it unsets `KEY` (Docker passes the bare key on, and its merge removes it,
///    the image's value included);
/// 2. the user's entries replace the image's per key, in place, and new keys are appended, so the
///    order is stable: image entries first;
/// 3. the result overrides `PATH=`[`DEFAULT_PATH`], `HOSTNAME` and `TERM=xterm` (the latter two
///    per `defaults`), which therefore come first when the image and user do not set them.
///
/// `HOME` depends on the resolved user; add it with [`set_home`] once [`resolve_user`] ran.
///
/// Errors (`ErrorKind::InvalidInput`): a `-e` with an empty name (`-e =x`), or a NUL byte in any
/// entry.
pub fn merge_env(
    image: &[String],
    files: Vec<String>,
    flags: &[String],
    defaults: &EnvDefaults<'_>,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Vec<String>> {
    if let Some(e) = image.iter().find(|e| e.contains('\0')) {
        return Err(invalid(format!(
            "image environment variable {:?} contains a NUL byte",
            env_key(e)
        )));
    }
    let mut user = files;
    if let Some(e) = user.iter().find(|e| e.contains('\0')) {
        return Err(invalid(format!(
            "environment variable {:?} contains a NUL byte",
            env_key(e)
        )));
    }
    for flag in flags {
        let (key, has_value) = match flag.split_once('=') {
            Some((k, _)) => (k, true),
            None => (flag.as_str(), false),
        };
        if key.is_empty() {
            return Err(invalid(format!("invalid environment variable: {flag:?}")));
        }
        if flag.contains('\0') {
            return Err(invalid(format!(
                "environment variable {key:?} contains a NUL byte"
            )));
        }
        if has_value {
            user.push(flag.clone());
        } else if let Some(value) = lookup(key) {
            user.push(format!("{key}={value}"));
        } else {
            user.push(key.to_owned());
        }
    }
    let config = replace_or_append(image.to_vec(), &user);
    let mut base = vec![format!("PATH={DEFAULT_PATH}")];
    if let Some(h) = defaults.hostname {
        base.push(format!("HOSTNAME={h}"));
    }
    if defaults.tty {
        base.push("TERM=xterm".to_owned());
    }
    Ok(replace_or_append(base, &config))
}

/// Sets `HOME` to the user's home directory when the environment has no `HOME` or an empty one,
/// as runc does for Docker (`setupUser`: "if HOME is not set, set it from the passwd entry").
pub fn set_home(env: &mut Vec<String>, home: &str) {
    match env.iter().position(|e| env_key(e) == "HOME") {
        Some(i) if env[i] == "HOME=" || env[i] == "HOME" => env[i] = format!("HOME={home}"),
        Some(_) => {}
        None => env.push(format!("HOME={home}")),
    }
}

/// The value of `key` in a `KEY=VALUE` list, for the caller to pass `PATH` to
/// [`find_executable`].
pub fn env_value<'a>(env: &'a [String], key: &str) -> Option<&'a str> {
    env.iter()
        .find_map(|e| e.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v))
}

// ---------------------------------------------------------------------------------------------
// user

/// A user or group as written in `--user`: a number or a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdRef {
    Id(u32),
    Name(String),
}

/// A parsed `--user` (or image `User`) value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserSpec {
    /// Empty: the image's default, root (uid 0 with its passwd entry's group and home, if any).
    Default,
    /// `name` or `uid`: the group comes from the passwd entry (gid 0 without one).
    User(IdRef),
    /// `user:group`, each part a name or a number.
    UserGroup(IdRef, IdRef),
}

/// Parses one part of a `--user` value. Returns the reason on failure.
fn parse_id_ref(part: &str, what: &str) -> std::result::Result<IdRef, String> {
    if part.is_empty() {
        return Err(format!("empty {what}"));
    }
    let unsigned = part.strip_prefix(['-', '+']).unwrap_or(part);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if part.starts_with('-') {
            return Err(format!("negative {what} id"));
        }
        if part.starts_with('+') {
            return Err(format!("{what} id must be a plain number"));
        }
        return match unsigned.parse::<u32>() {
            Ok(n) if n <= MAX_ID => Ok(IdRef::Id(n)),
            _ => Err(format!(
                "{what} id {part} is out of range (at most {MAX_ID})"
            )),
        };
    }
    if part.contains(':') {
        return Err("too many ':'".to_owned());
    }
    if part.starts_with('-') {
        return Err(format!("{what} name must not start with '-'"));
    }
    if part
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '/')
    {
        return Err(format!("{what} name contains invalid characters"));
    }
    Ok(IdRef::Name(part.to_owned()))
}

/// Parses `--user`: `name`, `uid`, `name:group`, `uid:gid`, `name:gid` or `uid:group`; the empty
/// string is [`UserSpec::Default`].
///
/// Errors (`ErrorKind::InvalidInput`): an empty part (`:`, `a:`, `:g`), more than one `:`, a NUL
/// byte, more than [`MAX_USER_SPEC`] bytes, a negative or signed number, a number above
/// [`MAX_ID`], or a name with whitespace, control characters or `/`. Never panics, whatever the
/// input (SECURITY.md I15, I16).
pub fn parse_user(s: &str) -> Result<UserSpec> {
    if s.is_empty() {
        return Ok(UserSpec::Default);
    }
    if s.len() > MAX_USER_SPEC {
        return Err(invalid(format!(
            "invalid user: longer than {MAX_USER_SPEC} bytes"
        )));
    }
    let bad = |why: String| invalid(format!("invalid user {s:?}: {why}"));
    if s.contains('\0') {
        return Err(bad("contains a NUL byte".to_owned()));
    }
    match s.split_once(':') {
        None => Ok(UserSpec::User(parse_id_ref(s, "user").map_err(bad)?)),
        Some((u, g)) => Ok(UserSpec::UserGroup(
            parse_id_ref(u, "user").map_err(&bad)?,
            parse_id_ref(g, "group").map_err(&bad)?,
        )),
    }
}

/// Who the container's process runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub uid: u32,
    pub gid: u32,
    /// The supplementary groups for `setgroups(2)`: the primary gid first (SECURITY.md I15),
    /// then the groups from /etc/group, then `--group-add`; no duplicates.
    pub additional_gids: Vec<u32>,
    /// The passwd entry's home directory, `/` without one.
    pub home: String,
}

struct PasswdEntry<'a> {
    name: &'a str,
    uid: u32,
    gid: u32,
    home: &'a str,
}

struct GroupEntry<'a> {
    name: &'a str,
    gid: u32,
    members: &'a str,
}

/// Lines worth parsing: not blank, not comments, not NIS compat entries (`+`/`-`).
fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with(['#', '+', '-']))
}

fn parse_id(field: &str) -> Option<u32> {
    field.parse::<u32>().ok().filter(|&n| n <= MAX_ID)
}

/// passwd(5) entries; lines without exactly 7 fields or with bad numbers are skipped.
fn passwd_entries(text: &str) -> impl Iterator<Item = PasswdEntry<'_>> {
    data_lines(text).filter_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        let [name, _pw, uid, gid, _gecos, home, _shell] = f[..] else {
            return None;
        };
        Some(PasswdEntry {
            name,
            uid: parse_id(uid)?,
            gid: parse_id(gid)?,
            home,
        })
        .filter(|e| !e.name.is_empty())
    })
}

/// group(5) entries; lines without exactly 4 fields or with a bad gid are skipped.
fn group_entries(text: &str) -> impl Iterator<Item = GroupEntry<'_>> {
    data_lines(text).filter_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        let [name, _pw, gid, members] = f[..] else {
            return None;
        };
        Some(GroupEntry {
            name,
            gid: parse_id(gid)?,
            members,
        })
        .filter(|e| !e.name.is_empty())
    })
}

impl GroupEntry<'_> {
    fn has_member(&self, user: &str) -> bool {
        self.members.split(',').any(|m| m.trim() == user)
    }
}

fn no_group(name: &str) -> anyhow::Error {
    invalid(format!(
        "unable to find group {name}: no matching entries in group file"
    ))
}

/// Resolves `spec` against the image's passwd and group text (from [`read_identity_files`]) and
/// the `--group-add` values, as runc's `GetExecUser` and Docker's `GetAdditionalGroups` do:
///
/// - a user name must have a passwd entry; a numeric uid may lack one (gid 0, home `/`), and when
///   it has one, that entry's gid, home and name apply;
/// - an explicit group (name or number) becomes the primary gid, and a group name must exist;
/// - without an explicit group, every group listing the user's name is a supplementary group
///   (runc adds none from /etc/group in the `user:group` form, and neither does berth);
/// - `--group-add` entries are group names (must exist) or numbers.
///
/// Errors (`ErrorKind::InvalidInput`): `unable to find user NAME: no matching entries in passwd
/// file` (Docker's wording), the same for groups, or an invalid `--group-add` value.
pub fn resolve_user(
    spec: &UserSpec,
    passwd: &str,
    group: &str,
    extra_groups: &[String],
) -> Result<Identity> {
    let root = IdRef::Id(0);
    let (user, group_ref) = match spec {
        UserSpec::Default => (&root, None),
        UserSpec::User(u) => (u, None),
        UserSpec::UserGroup(u, g) => (u, Some(g)),
    };
    let entry = passwd_entries(passwd).find(|e| match user {
        IdRef::Id(n) => e.uid == *n,
        IdRef::Name(n) => e.name == n,
    });
    let (uid, mut gid, home, name) = match (entry, user) {
        (Some(e), _) => (
            e.uid,
            e.gid,
            if e.home.is_empty() { "/" } else { e.home },
            Some(e.name),
        ),
        (None, IdRef::Id(n)) => (*n, 0, "/", None),
        (None, IdRef::Name(n)) => {
            return Err(invalid(format!(
                "unable to find user {n}: no matching entries in passwd file"
            )));
        }
    };
    let mut sgids = Vec::new();
    match group_ref {
        Some(g) => {
            let found = group_entries(group).find(|e| match g {
                IdRef::Id(n) => e.gid == *n,
                IdRef::Name(n) => e.name == n,
            });
            gid = match (found, g) {
                (Some(e), _) => e.gid,
                (None, IdRef::Id(n)) => *n,
                (None, IdRef::Name(n)) => return Err(no_group(n)),
            };
        }
        None => {
            if let Some(name) = name {
                sgids.extend(
                    group_entries(group)
                        .filter(|e| e.has_member(name))
                        .map(|e| e.gid),
                );
            }
        }
    }
    for extra in extra_groups {
        if extra.len() > MAX_USER_SPEC || extra.contains('\0') {
            return Err(invalid(format!("invalid group {extra:?} in --group-add")));
        }
        let gid = match parse_id_ref(extra, "group")
            .map_err(|why| invalid(format!("invalid group {extra:?} in --group-add: {why}")))?
        {
            IdRef::Id(n) => n,
            IdRef::Name(n) => group_entries(group)
                .find(|e| e.name == n)
                .map(|e| e.gid)
                .ok_or_else(|| no_group(&n))?,
        };
        sgids.push(gid);
    }
    let mut additional_gids = vec![gid];
    for g in sgids {
        if !additional_gids.contains(&g) {
            additional_gids.push(g);
        }
    }
    Ok(Identity {
        uid,
        gid,
        additional_gids,
        home: home.to_owned(),
    })
}

/// Errors when `id` is outside every range of `maps` (the inside ids of a user namespace), so a
/// rootless container cannot be asked to run as an id the kernel would refuse or map to the
/// overflow id (SECURITY.md I15). Error: `ErrorKind::InvalidInput`.
pub fn check_mapped(id: u32, maps: &[IdMap]) -> Result<()> {
    let inside = maps
        .iter()
        .any(|m| id >= m.inside && u64::from(id - m.inside) < u64::from(m.count));
    if inside {
        return Ok(());
    }
    Err(invalid(format!(
        "id {id} is not mapped in the user namespace (see /etc/subuid and /etc/subgid)"
    )))
}

/// [`check_mapped`] for the uid, the gid and every supplementary gid of `identity`.
pub fn check_identity_mapped(identity: &Identity, uids: &[IdMap], gids: &[IdMap]) -> Result<()> {
    check_mapped(identity.uid, uids).with_context(|| format!("uid {}", identity.uid))?;
    for g in std::iter::once(&identity.gid).chain(&identity.additional_gids) {
        check_mapped(*g, gids).with_context(|| format!("gid {g}"))?;
    }
    Ok(())
}

fn is_errno(err: &anyhow::Error, which: &[Errno]) -> bool {
    err.downcast_ref::<Errno>()
        .is_some_and(|e| which.contains(e))
}

fn file_kind(st: &FileStat) -> SFlag {
    SFlag::from_bits_truncate(st.st_mode & SFlag::S_IFMT.bits())
}

/// Reads `path` of the rootfs in-root: regular files only, at most [`MAX_IDENTITY_FILE`] bytes,
/// a missing file (or a missing directory on the way) reads as empty.
fn read_identity_file(root: BorrowedFd<'_>, path: &str) -> Result<String> {
    let ctx = || format!("reading {path} of the container");
    // Probe the type without opening for reading: opening a FIFO would block and opening a
    // device could have side effects.
    let probe = match inroot::open_in_root(root, Path::new(path), OFlag::O_PATH, Mode::empty()) {
        Ok(fd) => fd,
        Err(e) if is_errno(&e, &[Errno::ENOENT, Errno::ENOTDIR]) => return Ok(String::new()),
        Err(e) => return Err(e).with_context(ctx),
    };
    let regular = |fd: &OwnedFd| -> Result<FileStat> {
        let st = fstat(fd).with_context(ctx)?;
        if file_kind(&st) != SFlag::S_IFREG {
            anyhow::bail!("{path} of the container is not a regular file");
        }
        Ok(st)
    };
    regular(&probe)?;
    // The file may have been swapped since the probe: O_NONBLOCK keeps a FIFO from blocking, and
    // the type is checked again on what was actually opened.
    let fd = inroot::open_in_root(
        root,
        Path::new(path),
        OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_NOCTTY,
        Mode::empty(),
    )
    .with_context(ctx)?;
    let st = regular(&fd)?;
    let too_big = || anyhow::anyhow!("{path} of the container is larger than 1 MiB");
    if u64::try_from(st.st_size).unwrap_or(u64::MAX) > MAX_IDENTITY_FILE {
        return Err(too_big());
    }
    let mut buf = Vec::new();
    std::fs::File::from(fd)
        .take(MAX_IDENTITY_FILE + 1)
        .read_to_end(&mut buf)
        .with_context(ctx)?;
    if buf.len() as u64 > MAX_IDENTITY_FILE {
        return Err(too_big());
    }
    // Invalid UTF-8 must not fail every run: bad bytes simply match no name.
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Reads the container's /etc/passwd and /etc/group, in that order, resolved inside `root`
/// (symlinks included, SECURITY.md I1). Each must be a regular file of at most 1 MiB (I6); a
/// missing file reads as the empty string. Invalid UTF-8 is replaced, not an error.
pub fn read_identity_files(root: BorrowedFd<'_>) -> Result<(String, String)> {
    Ok((
        read_identity_file(root, "/etc/passwd")?,
        read_identity_file(root, "/etc/group")?,
    ))
}

// ---------------------------------------------------------------------------------------------
// executable and working directory

/// Lexically cleans an absolute path like Go's `path.Clean`: no empty, `.` or `..` components
/// (`..` at the root stays at the root), no trailing slash.
fn clean_abs(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

#[derive(Debug, PartialEq, Eq)]
enum Probe {
    Executable,
    NotExecutable,
    Missing,
}

/// Looks at `path` in-root. "Executable" means a regular file with any execute bit set, which
/// is exactly what `execve(2)` requires of root (CAP_DAC_OVERRIDE) and an approximation for other
/// users (the kernel then answers EACCES, and the container gets 126 from the init instead).
fn probe(root: BorrowedFd<'_>, path: &str) -> Result<Probe> {
    match inroot::open_in_root(root, Path::new(path), OFlag::O_PATH, Mode::empty()) {
        Ok(fd) => {
            let st = fstat(&fd).with_context(|| format!("inspecting {path:?} in the container"))?;
            if file_kind(&st) == SFlag::S_IFREG && st.st_mode & 0o111 != 0 {
                Ok(Probe::Executable)
            } else {
                Ok(Probe::NotExecutable)
            }
        }
        Err(e) if is_errno(&e, &[Errno::ENOENT, Errno::ENOTDIR, Errno::ELOOP]) => {
            Ok(Probe::Missing)
        }
        Err(e) if is_errno(&e, &[Errno::EACCES]) => Ok(Probe::NotExecutable),
        Err(e) => Err(e),
    }
}

/// Finds the executable for `argv0` in the rootfs, so a missing or unusable command fails with
/// Docker's exit codes before anything is spawned. Returns its absolute path in the container
/// (lexically cleaned, symlinks not replaced: busybox applets stay applets).
///
/// - `argv0` with a `/` is resolved in-root, relative to `workdir` when not absolute;
/// - otherwise each entry of `path_env` ([`DEFAULT_PATH`] when `None`) is searched in order; an
///   empty or relative entry is taken relative to `workdir`. As Go's `exec.LookPath` (what runc
///   and so Docker use), candidates that are not executable are skipped, and the search then ends
///   in "not found".
///
/// Errors: `ErrorKind::CommandNotFound` (exit 127, `"nosuchcmd": executable file not found in
/// $PATH`) when nothing is found; `ErrorKind::CommandNotExecutable` (exit 126, `"/etc/passwd":
/// permission denied`) when an explicit path names a directory, a non-regular file or a file
/// without any execute bit; `InvalidInput` for a NUL byte; other lookup failures with context.
pub fn find_executable(
    root: BorrowedFd<'_>,
    argv0: &str,
    path_env: Option<&str>,
    workdir: &str,
) -> Result<String> {
    let quoted = format!("{argv0:?}");
    if argv0.contains('\0') {
        return Err(invalid(format!("command {quoted} contains a NUL byte")));
    }
    if argv0.is_empty() {
        return Err(ErrorKind::CommandNotFound(quoted).into());
    }
    if argv0.contains('/') {
        let path = if argv0.starts_with('/') {
            clean_abs(argv0)
        } else {
            clean_abs(&format!("{workdir}/{argv0}"))
        };
        return match probe(root, &path).with_context(|| format!("looking up {quoted}"))? {
            Probe::Executable => Ok(path),
            Probe::NotExecutable => Err(ErrorKind::CommandNotExecutable(quoted).into()),
            Probe::Missing => Err(ErrorKind::CommandNotFound(quoted).into()),
        };
    }
    for dir in path_env.unwrap_or(DEFAULT_PATH).split(':') {
        let path = if dir.starts_with('/') {
            clean_abs(&format!("{dir}/{argv0}"))
        } else {
            clean_abs(&format!("{workdir}/{dir}/{argv0}"))
        };
        match probe(root, &path) {
            Ok(Probe::Executable) => return Ok(path),
            Ok(_) => {}
            // As LookPath: a PATH entry that cannot be inspected is skipped, not fatal.
            Err(e) => log::debug!("skipping {path:?} in the PATH search: {e:#}"),
        }
    }
    Err(ErrorKind::CommandNotFound(quoted).into())
}

/// The container's working directory: `--workdir` when given and not empty, else the image's
/// `WorkingDir`, else `/`; cleaned lexically as Docker does (`/a/../b/` is `/b`). An image's
/// relative `WorkingDir` is taken relative to `/` (builders normally store absolute ones).
///
/// Errors (`ErrorKind::InvalidInput`): a relative `--workdir` (Docker's "needs to be an absolute
/// path"), or a NUL byte in either.
pub fn workdir(image_workdir: &str, flag: Option<&str>) -> Result<String> {
    match flag.filter(|f| !f.is_empty()) {
        Some(f) => {
            if f.contains('\0') {
                return Err(invalid(format!(
                    "the working directory {f:?} contains a NUL byte"
                )));
            }
            if !f.starts_with('/') {
                return Err(invalid(format!(
                    "the working directory {f:?} is invalid, it needs to be an absolute path"
                )));
            }
            Ok(clean_abs(f))
        }
        None => {
            if image_workdir.contains('\0') {
                return Err(invalid(format!(
                    "the image's working directory {image_workdir:?} contains a NUL byte"
                )));
            }
            Ok(clean_abs(image_workdir))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// resource limits

/// A resource `setrlimit(2)` limits, named as `--ulimit` names them (Docker's list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    Core,
    Cpu,
    Data,
    Fsize,
    Locks,
    Memlock,
    Msgqueue,
    Nice,
    Nofile,
    Nproc,
    Rss,
    Rtprio,
    Rttime,
    Sigpending,
    Stack,
}

impl Limit {
    const ALL: [(Limit, &'static str); 15] = [
        (Limit::Core, "core"),
        (Limit::Cpu, "cpu"),
        (Limit::Data, "data"),
        (Limit::Fsize, "fsize"),
        (Limit::Locks, "locks"),
        (Limit::Memlock, "memlock"),
        (Limit::Msgqueue, "msgqueue"),
        (Limit::Nice, "nice"),
        (Limit::Nofile, "nofile"),
        (Limit::Nproc, "nproc"),
        (Limit::Rss, "rss"),
        (Limit::Rtprio, "rtprio"),
        (Limit::Rttime, "rttime"),
        (Limit::Sigpending, "sigpending"),
        (Limit::Stack, "stack"),
    ];

    /// The `--ulimit` name: `nofile`, `nproc`, …
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(l, _)| *l == self)
            .map_or("?", |(_, n)| n)
    }

    fn from_name(name: &str) -> Option<Limit> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(l, _)| *l)
    }
}

/// `RLIM_INFINITY` as berth spells it.
pub const UNLIMITED: u64 = u64::MAX;

/// One limit to set: soft and hard, [`UNLIMITED`] for infinity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rlimit {
    pub limit: Limit,
    pub soft: u64,
    pub hard: u64,
}

/// The `nofile` and `nproc` values Podman gives containers by default; berth caps them at the
/// caller's hard limits.
const DEFAULT_NOFILE: u64 = 1_048_576;
const DEFAULT_NPROC: u64 = 4_194_304;

fn limit_value(s: &str) -> Option<u64> {
    if s == "-1" {
        return Some(UNLIMITED);
    }
    s.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| s.parse::<u64>().ok())
        .flatten()
        .filter(|&n| n != UNLIMITED)
}

/// Parses `--ulimit NAME=SOFT[:HARD]` (Docker's syntax; `-1` is unlimited, HARD defaults to
/// SOFT). Errors (`ErrorKind::InvalidInput`): an unknown name, a bad number, or soft above hard.
pub fn parse_ulimit(s: &str) -> Result<Rlimit> {
    let bad = |why: &str| invalid(format!("invalid ulimit {s:?}: {why}"));
    let (name, values) = s
        .split_once('=')
        .ok_or_else(|| bad("expected NAME=SOFT[:HARD]"))?;
    let limit = Limit::from_name(name).ok_or_else(|| bad("unknown limit name"))?;
    let (soft, hard) = match values.split_once(':') {
        Some((soft, hard)) => (soft, hard),
        None => (values, values),
    };
    let soft = limit_value(soft).ok_or_else(|| bad("invalid soft limit"))?;
    let hard = limit_value(hard).ok_or_else(|| bad("invalid hard limit"))?;
    if soft > hard {
        return Err(bad(
            "the soft limit must be less than or equal to the hard limit",
        ));
    }
    Ok(Rlimit { limit, soft, hard })
}

/// The limits the container gets: `nofile` and `nproc` default to Podman's values capped at the
/// caller's hard limits (`current`, as read with `getrlimit`), since berth cannot raise a hard
/// limit without CAP_SYS_RESOURCE in the initial user namespace (Podman's uncapped 1048576 fails
/// there with EPERM); other limits are inherited. `requested` (`--ulimit`) wins per limit.
///
/// Errors (`ErrorKind::InvalidInput`): a requested hard limit above the caller's, naming the
/// limit. A limit missing from `current` is taken as unlimited.
pub fn rlimits(current: &[Rlimit], requested: &[Rlimit]) -> Result<Vec<Rlimit>> {
    let hard_of = |limit: Limit| {
        current
            .iter()
            .find(|c| c.limit == limit)
            .map_or(UNLIMITED, |c| c.hard)
    };
    let mut out: Vec<Rlimit> = [
        (Limit::Nofile, DEFAULT_NOFILE),
        (Limit::Nproc, DEFAULT_NPROC),
    ]
    .into_iter()
    .map(|(limit, want)| {
        let v = want.min(hard_of(limit));
        Rlimit {
            limit,
            soft: v,
            hard: v,
        }
    })
    .collect();
    for r in requested {
        let max = hard_of(r.limit);
        if r.hard > max {
            let show = |v: u64| {
                if v == UNLIMITED {
                    "unlimited".to_owned()
                } else {
                    v.to_string()
                }
            };
            return Err(invalid(format!(
                "ulimit {}: hard limit {} exceeds the current hard limit {} (raising it needs CAP_SYS_RESOURCE)",
                r.limit.name(),
                show(r.hard),
                show(max)
            )));
        }
        match out.iter_mut().find(|o| o.limit == r.limit) {
            Some(o) => *o = *r,
            None => out.push(*r),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::fd::AsFd;
    use std::os::unix::fs::{PermissionsExt, symlink};

    fn v(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    fn kind(r: Result<impl std::fmt::Debug>) -> ErrorKind {
        let e = r.unwrap_err();
        crate::error::kind_of(&e)
            .unwrap_or_else(|| panic!("no ErrorKind in {e:#}"))
            .clone()
    }

    // ---- argv

    #[test]
    fn argv_follows_docker() {
        let ep = v(&["/entry", "-x"]);
        let cmd = v(&["sh", "-c", "echo hi"]);
        #[allow(clippy::type_complexity)]
        let cases: &[(
            Option<&[String]>,
            Option<&[String]>,
            Option<&str>,
            &[&str],
            &[&str],
        )] = &[
            // image Cmd only
            (None, Some(&cmd), None, &[], &["sh", "-c", "echo hi"]),
            // user args replace the Cmd
            (None, Some(&cmd), None, &["ls", "-l"], &["ls", "-l"]),
            // Entrypoint + Cmd
            (
                Some(&ep),
                Some(&cmd),
                None,
                &[],
                &["/entry", "-x", "sh", "-c", "echo hi"],
            ),
            // Entrypoint + user args
            (Some(&ep), Some(&cmd), None, &["a"], &["/entry", "-x", "a"]),
            // --entrypoint drops the image Cmd and Entrypoint, never split
            (
                Some(&ep),
                Some(&cmd),
                Some("/bin/my ep"),
                &[],
                &["/bin/my ep"],
            ),
            (Some(&ep), Some(&cmd), Some("ls"), &["-a"], &["ls", "-a"]),
            // --entrypoint "" clears it; user args are the command
            (Some(&ep), Some(&cmd), Some(""), &["id"], &["id"]),
            (Some(&ep), None, None, &[], &["/entry", "-x"]),
        ];
        for (iep, icmd, flag, args, want) in cases {
            let got = argv(*iep, *icmd, *flag, &v(args)).unwrap();
            assert_eq!(got, v(want), "{iep:?} {icmd:?} {flag:?} {args:?}");
        }
    }

    #[test]
    fn argv_errors() {
        let ep = v(&["/entry"]);
        let cmd = v(&["sh"]);
        for (iep, icmd, flag, args) in [
            (None, None, None, v(&[])),
            (Some(&ep[..]), Some(&cmd[..]), Some(""), v(&[])),
            (None, Some(&[][..]), None, v(&[])),
            (None, None, None, v(&["a\0b"])),
        ] {
            let k = kind(argv(iep, icmd, flag, &args));
            assert!(matches!(k, ErrorKind::InvalidInput(_)), "{k:?}");
            assert_eq!(k.exit_code(), 125);
        }
        let e = argv(None, None, None, &[]).unwrap_err();
        assert_eq!(format!("{e:#}"), "no command specified");
    }

    // ---- environment

    fn host(k: &str) -> Option<String> {
        match k {
            "HOSTVAR" => Some("from host".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn env_file_docker_rules() {
        let text = "\u{feff}# comment\n\n   \nA=1\r\n  B = not a key\n";
        let e = parse_env_file(text, host).unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "env file line 5: variable \"B \" contains whitespace"
        );
        let text = "\u{feff}# comment\n\n  # indented comment\nA=1\r\nQ=\"quoted\" 'x'  \n  LEAD=x\nHOSTVAR\nUNSET\nEMPTY\nE=\n";
        assert_eq!(
            parse_env_file(text, host).unwrap(),
            v(&[
                "A=1",
                "Q=\"quoted\" 'x'  ",
                "LEAD=x",
                "HOSTVAR=from host",
                "EMPTY=",
                "E="
            ])
        );
        for (bad, line) in [("=x", 1), ("ok=1\nA\tB=2", 2), ("A=\0", 1)] {
            let e = parse_env_file(bad, host).unwrap_err();
            assert!(format!("{e:#}").contains(&format!("line {line}:")), "{e:#}");
            assert!(matches!(
                crate::error::kind_of(&e),
                Some(ErrorKind::InvalidInput(_))
            ));
        }
    }

    #[test]
    fn merge_env_order_and_overrides() {
        let image = v(&["PATH=/img/bin", "A=1", "B=2"]);
        let files = v(&["B=file", "C=file"]);
        let flags = v(&["C=flag", "HOSTVAR", "D=4", "A"]);
        let env = merge_env(&image, files, &flags, &EnvDefaults::default(), host).unwrap();
        // A is unset by the bare -e A (unset on the host), as Docker does.
        assert_eq!(
            env,
            v(&[
                "PATH=/img/bin",
                "B=file",
                "C=flag",
                "HOSTVAR=from host",
                "D=4"
            ])
        );
    }

    #[test]
    fn merge_env_defaults() {
        let d = EnvDefaults {
            hostname: Some("abc123"),
            tty: true,
        };
        let env = merge_env(&v(&["X=1"]), vec![], &[], &d, host).unwrap();
        assert_eq!(
            env,
            v(&[
                &format!("PATH={DEFAULT_PATH}"),
                "HOSTNAME=abc123",
                "TERM=xterm",
                "X=1"
            ])
        );
        // User values win over the defaults, in place.
        let env = merge_env(&[], vec![], &v(&["TERM=dumb", "HOSTNAME=h"]), &d, host).unwrap();
        assert_eq!(
            env,
            v(&[&format!("PATH={DEFAULT_PATH}"), "HOSTNAME=h", "TERM=dumb"])
        );
        // Unsetting the image's PATH falls back to the default.
        let env = merge_env(
            &v(&["PATH=/x"]),
            vec![],
            &v(&["PATH"]),
            &EnvDefaults::default(),
            host,
        )
        .unwrap();
        assert_eq!(env, v(&[&format!("PATH={DEFAULT_PATH}")]));
    }

    #[test]
    fn merge_env_errors() {
        let d = EnvDefaults::default();
        assert!(merge_env(&[], vec![], &v(&["=x"]), &d, host).is_err());
        assert!(merge_env(&[], vec![], &v(&["A=\0"]), &d, host).is_err());
        assert!(merge_env(&v(&["A=\0"]), vec![], &[], &d, host).is_err());
        assert!(merge_env(&[], v(&["A=\0"]), &[], &d, host).is_err());
    }

    #[test]
    fn home_composes_with_identity() {
        let id = resolve_user(&parse_user("alice").unwrap(), PASSWD, GROUP, &[]).unwrap();
        let mut env = merge_env(&[], vec![], &[], &EnvDefaults::default(), host).unwrap();
        set_home(&mut env, &id.home);
        assert_eq!(env_value(&env, "HOME"), Some("/home/alice"));
        let mut env = v(&["HOME=/custom"]);
        set_home(&mut env, "/root");
        assert_eq!(env, v(&["HOME=/custom"]));
        let mut env = v(&["A=1", "HOME=", "B=2"]);
        set_home(&mut env, "/root");
        assert_eq!(env, v(&["A=1", "HOME=/root", "B=2"]));
        assert_eq!(env_value(&env, "B"), Some("2"));
        assert_eq!(env_value(&env, "C"), None);
    }

    // ---- user parsing

    #[test]
    fn parse_user_forms() {
        use IdRef::{Id, Name};
        let n = |s: &str| Name(s.to_owned());
        let cases = [
            ("", UserSpec::Default),
            ("root", UserSpec::User(n("root"))),
            ("1000", UserSpec::User(Id(1000))),
            ("007", UserSpec::User(Id(7))),
            ("alice:staff", UserSpec::UserGroup(n("alice"), n("staff"))),
            ("1000:100", UserSpec::UserGroup(Id(1000), Id(100))),
            ("alice:100", UserSpec::UserGroup(n("alice"), Id(100))),
            ("1000:staff", UserSpec::UserGroup(Id(1000), n("staff"))),
            ("4294967294", UserSpec::User(Id(MAX_ID))),
            ("www-data", UserSpec::User(n("www-data"))),
            ("0x10", UserSpec::User(n("0x10"))),
        ];
        for (s, want) in cases {
            assert_eq!(parse_user(s).unwrap(), want, "{s:?}");
        }
    }

    #[test]
    fn parse_user_rejects() {
        let long = "a".repeat(MAX_USER_SPEC + 1);
        for s in [
            ":",
            "a:",
            ":g",
            "a:b:c",
            "a\0",
            "-1",
            "1:-1",
            "+1",
            "4294967295",
            "99999999999999999999",
            "1:4294967295",
            "-foo",
            "a b",
            "a\n",
            "../x",
            long.as_str(),
        ] {
            let k = kind(parse_user(s));
            assert!(matches!(k, ErrorKind::InvalidInput(_)), "{s:?}: {k:?}");
        }
        assert!(parse_user(&"a".repeat(MAX_USER_SPEC)).is_ok());
    }

    /// A tiny deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn string(&mut self, alphabet: &[&str], max: usize) -> String {
            let len = (self.next() % (max as u64 + 1)) as usize;
            (0..len)
                .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize])
                .collect()
        }
    }

    const ALPHABET: &[&str] = &[
        ":",
        "0",
        "1",
        "9",
        "4294967295",
        "-",
        "+",
        "a",
        "root",
        "\0",
        " ",
        "\n",
        "é",
        "\u{202e}",
        "/",
        ",",
        "#",
        "x",
        "99999999999",
        "\r",
    ];

    #[test]
    fn parse_user_fuzz_never_panics() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let s = rng.string(ALPHABET, 24);
            if let Ok(spec) = parse_user(&s) {
                // Whatever parses, resolves or errors cleanly.
                let _ = resolve_user(&spec, PASSWD, GROUP, &[]);
            }
        }
        // Long inputs around the cap.
        for _ in 0..200 {
            let s = rng.string(ALPHABET, 300);
            let _ = parse_user(&s);
        }
    }

    #[test]
    fn identity_file_parsers_fuzz_never_panic() {
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        for _ in 0..5_000 {
            let passwd = rng.string(ALPHABET, 64);
            let group = rng.string(ALPHABET, 64);
            let extra = vec![rng.string(ALPHABET, 8)];
            for spec in [
                UserSpec::Default,
                UserSpec::User(IdRef::Name("root".into())),
                UserSpec::UserGroup(IdRef::Id(1), IdRef::Name("a".into())),
            ] {
                let _ = resolve_user(&spec, &passwd, &group, &extra);
            }
            let _ = parse_env_file(&passwd, host);
        }
    }

    // ---- user resolution

    const PASSWD: &str = "\
# a comment
root:x:0:0:root:/root:/bin/sh
+nis::0:0:::
-nis2:x:0:0:::
broken:x:5
badid:x:abc:0::/:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice:/home/alice:/bin/sh
nohome:x:1001:1001:::/bin/sh
";
    const GROUP: &str = "\
root:x:0:
bin:x:1:root,daemon
wheel:x:10: root , alice
staff:x:50:alice
alice:x:1000:
broken:x:7
+:::
video:x:44:bob
";

    fn resolve(spec: &str, extra: &[&str]) -> Result<Identity> {
        resolve_user(&parse_user(spec).unwrap(), PASSWD, GROUP, &v(extra))
    }

    fn id(uid: u32, gid: u32, add: &[u32], home: &str) -> Identity {
        Identity {
            uid,
            gid,
            additional_gids: add.to_vec(),
            home: home.into(),
        }
    }

    #[test]
    fn resolve_user_cases() {
        let cases: &[(&str, &[&str], Identity)] = &[
            ("", &[], id(0, 0, &[0, 1, 10], "/root")),
            ("root", &[], id(0, 0, &[0, 1, 10], "/root")),
            ("0", &[], id(0, 0, &[0, 1, 10], "/root")),
            ("alice", &[], id(1000, 1000, &[1000, 10, 50], "/home/alice")),
            ("1000", &[], id(1000, 1000, &[1000, 10, 50], "/home/alice")),
            // Explicit group: primary gid changes, no /etc/group memberships (runc).
            ("alice:staff", &[], id(1000, 50, &[50], "/home/alice")),
            ("alice:4242", &[], id(1000, 4242, &[4242], "/home/alice")),
            ("alice:0", &[], id(1000, 0, &[0], "/home/alice")),
            // Numeric uid without an entry: gid 0, home "/".
            ("4242", &[], id(4242, 0, &[0], "/")),
            ("4242:44", &[], id(4242, 44, &[44], "/")),
            ("4242:video", &[], id(4242, 44, &[44], "/")),
            ("nohome", &[], id(1001, 1001, &[1001], "/")),
            // --group-add: names and numbers, deduplicated, primary first.
            (
                "alice",
                &["video", "777", "staff", "1000"],
                id(1000, 1000, &[1000, 10, 50, 44, 777], "/home/alice"),
            ),
        ];
        for (spec, extra, want) in cases {
            assert_eq!(&resolve(spec, extra).unwrap(), want, "{spec:?} {extra:?}");
        }
    }

    #[test]
    fn resolve_user_errors() {
        let e = resolve("nosuch", &[]).unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "unable to find user nosuch: no matching entries in passwd file"
        );
        assert!(matches!(
            crate::error::kind_of(&e),
            Some(ErrorKind::InvalidInput(_))
        ));
        // NIS and malformed lines are not users.
        for spec in ["+nis", "nis2", "broken", "badid"] {
            assert!(resolve(spec, &[]).is_err(), "{spec}");
        }
        let e = resolve("alice:nogroup", &[]).unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "unable to find group nogroup: no matching entries in group file"
        );
        assert!(resolve("alice", &["nogroup"]).is_err());
        assert!(resolve("alice", &["broken"]).is_err());
        assert!(resolve("alice", &["-1"]).is_err());
        assert!(resolve("alice", &[""]).is_err());
        assert!(resolve("alice", &["a\0"]).is_err());
        // No passwd file at all: names fail, numbers work.
        assert!(resolve_user(&parse_user("root").unwrap(), "", "", &[]).is_err());
        assert_eq!(
            resolve_user(&UserSpec::Default, "", "", &[]).unwrap(),
            id(0, 0, &[0], "/")
        );
    }

    #[test]
    fn mapping_checks() {
        let maps = [
            IdMap {
                inside: 0,
                outside: 1000,
                count: 1,
            },
            IdMap {
                inside: 1,
                outside: 100_000,
                count: 65536,
            },
        ];
        for ok in [0, 1, 1000, 65536] {
            check_mapped(ok, &maps).unwrap();
        }
        for bad in [65537, MAX_ID, u32::MAX] {
            let k = kind(check_mapped(bad, &maps));
            assert!(matches!(k, ErrorKind::InvalidInput(_)));
        }
        assert!(check_mapped(0, &[]).is_err());
        let full = [IdMap {
            inside: 0,
            outside: 0,
            count: u32::MAX,
        }];
        check_mapped(MAX_ID, &full).unwrap();
        let single = [maps[0]];
        let me = id(0, 0, &[0], "/root");
        check_identity_mapped(&me, &single, &single).unwrap();
        let e = check_identity_mapped(&id(0, 0, &[0, 10], "/"), &single, &single).unwrap_err();
        assert!(
            format!("{e:#}").starts_with("gid 10: id 10 is not mapped"),
            "{e:#}"
        );
        let e = check_identity_mapped(&id(5, 0, &[0], "/"), &single, &single).unwrap_err();
        assert!(format!("{e:#}").starts_with("uid 5:"), "{e:#}");
    }

    // ---- in-root reads

    struct Tree {
        _tmp: tempfile::TempDir,
        root: std::path::PathBuf,
        host: std::path::PathBuf,
        fd: OwnedFd,
    }

    fn tree() -> Tree {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        let host = tmp.path().join("host");
        fs::create_dir_all(root.join("etc")).unwrap();
        fs::create_dir_all(host.join("etc")).unwrap();
        fs::write(host.join("etc/passwd"), "hostuser:x:0:0::/:/bin/sh\n").unwrap();
        let fd = inroot::open_root(&root).unwrap();
        Tree {
            _tmp: tmp,
            root,
            host,
            fd,
        }
    }

    /// Runs `f` with the kernel lookup and with the userspace walk.
    fn both_lookups(f: impl Fn()) {
        f();
        inroot::FORCE_WALK.with(|w| w.set(true));
        f();
        inroot::FORCE_WALK.with(|w| w.set(false));
    }

    #[test]
    fn identity_files_read_in_root() {
        let t = tree();
        both_lookups(|| {
            assert_eq!(
                read_identity_files(t.fd.as_fd()).unwrap(),
                (String::new(), String::new())
            );
        });
        fs::write(t.root.join("etc/passwd"), PASSWD).unwrap();
        fs::write(t.root.join("etc/group"), b"g:x:1:\xff\xfe\n").unwrap();
        both_lookups(|| {
            let (p, g) = read_identity_files(t.fd.as_fd()).unwrap();
            assert_eq!(p, PASSWD);
            assert!(g.starts_with("g:x:1:"));
        });
    }

    #[test]
    fn hostile_symlinked_passwd_stays_in_root() {
        let t = tree();
        let depth = t.host.components().count();
        let escape = format!("{}{}/etc/passwd", "/..".repeat(depth + 2), t.host.display());
        symlink(&escape, t.root.join("etc/passwd")).unwrap();
        symlink("../../../../host/etc/passwd", t.root.join("etc/group")).unwrap();
        both_lookups(|| {
            // The targets do not exist inside the root: read as missing, never the host's file.
            let (p, g) = read_identity_files(t.fd.as_fd()).unwrap();
            assert_eq!((p.as_str(), g.as_str()), ("", ""));
        });
        // The same link names the root's own copy once it exists there.
        let inside = t.root.join(escape.trim_start_matches(['/', '.']));
        fs::create_dir_all(inside.parent().unwrap()).unwrap();
        fs::write(&inside, "inside:x:5:5::/:/bin/sh\n").unwrap();
        both_lookups(|| {
            let (p, _) = read_identity_files(t.fd.as_fd()).unwrap();
            assert_eq!(p, "inside:x:5:5::/:/bin/sh\n");
        });
    }

    #[test]
    fn identity_files_must_be_small_regular_files() {
        let t = tree();
        nix::unistd::mkfifo(&t.root.join("etc/passwd"), Mode::from_bits_truncate(0o644)).unwrap();
        both_lookups(|| {
            let e = read_identity_files(t.fd.as_fd()).unwrap_err();
            assert!(format!("{e:#}").contains("not a regular file"), "{e:#}");
        });
        fs::remove_file(t.root.join("etc/passwd")).unwrap();
        fs::create_dir(t.root.join("etc/passwd")).unwrap();
        assert!(read_identity_files(t.fd.as_fd()).is_err());
        fs::remove_dir(t.root.join("etc/passwd")).unwrap();
        fs::write(t.root.join("etc/passwd"), vec![b'#'; 2 << 20]).unwrap();
        let e = read_identity_files(t.fd.as_fd()).unwrap_err();
        assert!(format!("{e:#}").contains("larger than 1 MiB"), "{e:#}");
        fs::write(t.root.join("etc/passwd"), vec![b'#'; 1 << 20]).unwrap();
        assert_eq!(read_identity_files(t.fd.as_fd()).unwrap().0.len(), 1 << 20);
        // /etc itself a file: as missing.
        fs::remove_file(t.root.join("etc/passwd")).unwrap();
        fs::remove_dir(t.root.join("etc")).unwrap();
        fs::write(t.root.join("etc"), "x").unwrap();
        assert_eq!(
            read_identity_files(t.fd.as_fd()).unwrap(),
            (String::new(), String::new())
        );
    }

    fn exe(path: &std::path::Path, mode: u32) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "#!/bin/sh\n").unwrap();
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn find_executable_cases() {
        let t = tree();
        exe(&t.root.join("bin/busybox"), 0o755);
        symlink("/bin/busybox", t.root.join("bin/sh")).unwrap();
        symlink("busybox", t.root.join("bin/ls")).unwrap();
        exe(&t.root.join("usr/bin/noexec"), 0o644);
        exe(&t.root.join("usr/local/bin/noexec"), 0o700);
        exe(&t.root.join("app/run.sh"), 0o755);
        exe(&t.root.join("app/plain"), 0o644);
        fs::create_dir_all(t.root.join("usr/bin/dir")).unwrap();
        // A link out of the root: the host's binary must not be found.
        exe(&t.host.join("bin/hostonly"), 0o755);
        symlink(t.host.join("bin/hostonly"), t.root.join("bin/hostonly")).unwrap();
        exe(&t.host.join("bin/abs"), 0o755);
        symlink("../../../../host/bin/abs", t.root.join("bin/rel")).unwrap();
        symlink("loop", t.root.join("bin/loop")).unwrap();
        let root = t.fd.as_fd();
        both_lookups(|| {
            let ok = |a: &str, p: Option<&str>, w: &str| find_executable(root, a, p, w).unwrap();
            assert_eq!(ok("sh", None, "/"), "/bin/sh");
            assert_eq!(ok("ls", Some("/usr/bin:/bin"), "/"), "/bin/ls");
            assert_eq!(ok("/bin/sh", None, "/"), "/bin/sh");
            assert_eq!(ok("./run.sh", None, "/app"), "/app/run.sh");
            assert_eq!(ok("../app/run.sh", None, "/bin"), "/app/run.sh");
            assert_eq!(ok("run.sh", Some("/nope:app"), "/"), "/app/run.sh");
            assert_eq!(ok("run.sh", Some(""), "/app"), "/app/run.sh");
            // Non-executable candidates are skipped, like LookPath.
            assert_eq!(ok("noexec", None, "/"), "/usr/local/bin/noexec");
            assert_eq!(
                ok("noexec", Some("/usr/bin:/usr/local/bin"), "/"),
                "/usr/local/bin/noexec"
            );

            let err = |a: &str, p: Option<&str>| find_executable(root, a, p, "/");
            for (a, p) in [
                ("nosuchcmd", None),
                ("hostonly", None),
                ("rel", None),
                ("loop", None),
                ("", None),
                ("/bin/nosuch", None),
                ("/bin/busybox/x", None),
                ("noexec", Some("/usr/bin")),
                ("dir", Some("/usr/bin")),
                ("sh", Some("/usr/bin")),
            ] {
                let k = kind(err(a, p));
                assert!(matches!(k, ErrorKind::CommandNotFound(_)), "{a:?}: {k:?}");
                assert_eq!(k.exit_code(), 127);
            }
            let e = err("nosuchcmd", None).unwrap_err();
            assert_eq!(
                format!("{e:#}"),
                "\"nosuchcmd\": executable file not found in $PATH"
            );
            for a in ["/usr/bin/noexec", "/usr/bin/dir", "/app/plain", "/", "/etc"] {
                let k = kind(err(a, None));
                assert!(
                    matches!(k, ErrorKind::CommandNotExecutable(_)),
                    "{a:?}: {k:?}"
                );
                assert_eq!(k.exit_code(), 126);
            }
            fs::write(t.root.join("etc/passwd"), "").unwrap();
            let e = err("/etc/passwd", None).unwrap_err();
            assert_eq!(format!("{e:#}"), "\"/etc/passwd\": permission denied");
            let k = kind(err("a\0b", None));
            assert!(matches!(k, ErrorKind::InvalidInput(_)));
        });
    }

    // ---- workdir

    #[test]
    fn workdir_cases() {
        let cases = [
            ("", None, "/"),
            ("/app", None, "/app"),
            ("/app/", None, "/app"),
            ("app", None, "/app"),
            ("/app", Some(""), "/app"),
            ("/app", Some("/srv/./x/../y//"), "/srv/y"),
            ("", Some("/.."), "/"),
        ];
        for (img, flag, want) in cases {
            assert_eq!(workdir(img, flag).unwrap(), want, "{img:?} {flag:?}");
        }
        for (img, flag) in [("/", Some("rel")), ("/", Some("/a\0")), ("/a\0", None)] {
            let k = kind(workdir(img, flag));
            assert!(matches!(k, ErrorKind::InvalidInput(_)), "{flag:?}");
        }
        let e = workdir("/", Some("rel")).unwrap_err();
        assert!(format!("{e:#}").contains("needs to be an absolute path"));
    }

    // ---- rlimits

    #[test]
    fn ulimit_parsing() {
        let r = |limit, soft, hard| Rlimit { limit, soft, hard };
        assert_eq!(
            parse_ulimit("nofile=1024").unwrap(),
            r(Limit::Nofile, 1024, 1024)
        );
        assert_eq!(
            parse_ulimit("nofile=1024:2048").unwrap(),
            r(Limit::Nofile, 1024, 2048)
        );
        assert_eq!(
            parse_ulimit("core=-1").unwrap(),
            r(Limit::Core, UNLIMITED, UNLIMITED)
        );
        assert_eq!(
            parse_ulimit("nproc=10:-1").unwrap(),
            r(Limit::Nproc, 10, UNLIMITED)
        );
        for bad in [
            "",
            "nofile",
            "nofile=",
            "bogus=1",
            "nofile=2:1",
            "nofile=-2",
            "nofile=+1",
            "nofile=1:2:3",
            "nofile=18446744073709551615",
            "nofile=99999999999999999999999",
            "nofile=-1:5",
        ] {
            let k = kind(parse_ulimit(bad));
            assert!(matches!(k, ErrorKind::InvalidInput(_)), "{bad:?}");
        }
        for (l, n) in Limit::ALL {
            assert_eq!(l.name(), n);
            assert_eq!(Limit::from_name(n), Some(l));
        }
    }

    #[test]
    fn rlimits_never_exceed_the_callers_hard_limits() {
        let r = |limit, soft, hard| Rlimit { limit, soft, hard };
        let current = [
            r(Limit::Nofile, 1024, 524_288),
            r(Limit::Nproc, 100, UNLIMITED),
        ];
        assert_eq!(
            rlimits(&current, &[]).unwrap(),
            vec![
                r(Limit::Nofile, 524_288, 524_288),
                r(Limit::Nproc, DEFAULT_NPROC, DEFAULT_NPROC)
            ]
        );
        assert_eq!(
            rlimits(&[], &[]).unwrap(),
            vec![
                r(Limit::Nofile, DEFAULT_NOFILE, DEFAULT_NOFILE),
                r(Limit::Nproc, DEFAULT_NPROC, DEFAULT_NPROC)
            ]
        );
        let req = [
            parse_ulimit("nofile=100:200").unwrap(),
            parse_ulimit("core=0").unwrap(),
        ];
        assert_eq!(
            rlimits(&current, &req).unwrap(),
            vec![
                r(Limit::Nofile, 100, 200),
                r(Limit::Nproc, DEFAULT_NPROC, DEFAULT_NPROC),
                r(Limit::Core, 0, 0)
            ]
        );
        let e = rlimits(&current, &[parse_ulimit("nofile=1048576").unwrap()]).unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "ulimit nofile: hard limit 1048576 exceeds the current hard limit 524288 (raising it needs CAP_SYS_RESOURCE)"
        );
        let e = rlimits(&[r(Limit::Core, 0, 0)], &[parse_ulimit("core=-1").unwrap()]).unwrap_err();
        assert!(
            format!("{e:#}").contains("hard limit unlimited exceeds"),
            "{e:#}"
        );
    }
}
