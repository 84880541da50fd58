//! A container's security options as the user gives them (`--cap-add`, `--cap-drop`,
//! `--privileged`, `--security-opt`, `--device`), checked once at create into the record's
//! [`SecurityConfig`], and turned at every start (and exec) into what the runtime applies: the
//! capability sets' inputs, the seccomp program, the masked and read-only paths, /sys and the
//! device nodes.
//!
//! This module reads the host only to check what the user named (a seccomp profile file, a
//! device node, whether SELinux or AppArmor is enabled) and walks the host's /dev for
//! `--privileged`. It never mounts, never installs a filter and never touches cgroups: the
//! device cgroup belongs to the cgroup code, which reads [`SecurityConfig::devices`].

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use seccompiler::BpfProgram;
use serde::{Deserialize, Serialize};

use super::caps::{self, CapPlan};
use super::mounts::{self, DeviceMount, SecurityMounts};
use super::{seccomp, seccomp_profile};
use crate::error::invalid;

/// The security flags of `run`/`create`, as given.
#[derive(Debug, Clone, Default)]
pub struct SecurityOptions {
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub privileged: bool,
    pub security_opt: Vec<String>,
    pub devices: Vec<String>,
}

/// The container record's security part (one field of `ContainerConfig`; records written
/// before it existed load with the defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SecurityConfig {
    /// `--cap-add`/`--cap-drop` as given (validated at create).
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    /// `--privileged`.
    pub privileged: bool,
    /// `--security-opt` as given, for inspect.
    pub security_opt: Vec<String>,
    pub seccomp: SeccompMode,
    /// `--security-opt no-new-privileges`.
    pub no_new_privileges: bool,
    /// `--security-opt mask=`: paths masked on top of the defaults.
    pub mask: Vec<String>,
    /// `--security-opt unmask=`: default masked or read-only paths left alone (`ALL`: all).
    pub unmask: Vec<String>,
    /// `--device`, resolved at create (the cgroup code reads these for the device cgroup).
    pub devices: Vec<DeviceConfig>,
}

/// Which seccomp filter the container gets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "mode")]
pub enum SeccompMode {
    /// Docker's default profile, following the capability set (none with `--privileged`).
    #[default]
    Default,
    /// `seccomp=unconfined`: no filter.
    Unconfined,
    /// `seccomp=FILE`: the profile read at create, kept in the record so that later starts do
    /// not depend on the file.
    Profile { path: String, profile: String },
}

/// Character or block device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    Char,
    Block,
}

/// One `--device HOST[:CONTAINER][:PERMS]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceConfig {
    /// The host path as given (symlinks followed when it is opened).
    pub host: PathBuf,
    /// Where it appears in the container (absolute, normalised).
    pub container: String,
    /// Docker's cgroup permissions: a subset of `rwm`, in that order.
    pub perms: String,
    pub kind: DeviceKind,
    pub major: u64,
    pub minor: u64,
}

/// The largest seccomp profile berth reads (SECURITY.md I6; Docker's default is ~20 KiB).
const PROFILE_MAX: u64 = 4 << 20;

/// Checks `opts` and resolves what the record keeps: capability names, `--security-opt`
/// values (reading and compiling a seccomp profile file), device nodes. Every error is
/// `InvalidInput` naming the flag and value.
pub fn parse(opts: &SecurityOptions, rootless: bool) -> Result<SecurityConfig> {
    let mut config = SecurityConfig {
        cap_add: opts.cap_add.clone(),
        cap_drop: opts.cap_drop.clone(),
        privileged: opts.privileged,
        security_opt: opts.security_opt.clone(),
        ..SecurityConfig::default()
    };
    let plan = caps::plan(&opts.cap_add, &opts.cap_drop, opts.privileged, 0)?;
    for o in &opts.security_opt {
        parse_security_opt(o, &mut config)
            .with_context(|| format!("invalid --security-opt {o:?}"))?;
    }
    if !config.unmask.is_empty() {
        let all = config.unmask.iter().any(|u| u == "ALL");
        let maskable = default_masks();
        for u in config.unmask.iter().filter(|u| *u != "ALL") {
            if !all && !maskable.contains(&u.as_str()) {
                bail!(invalid(format!(
                    "invalid --security-opt \"unmask={u}\": {u} is not masked or read-only by default (those are {})",
                    maskable.join(", ")
                )));
            }
        }
    }
    // Compiled once now, so a profile that cannot be is refused before anything is made.
    if let SeccompMode::Profile { path, profile } = &config.seccomp {
        seccomp_profile::compile(profile, &plan).map_err(|e| {
            invalid(format!(
                "invalid --security-opt \"seccomp={path}\": seccomp profile {path}: {e:#}"
            ))
        })?;
    }
    for d in &opts.devices {
        for dev in parse_device(d, rootless)? {
            if config.devices.iter().any(|h| h.container == dev.container) {
                bail!(invalid(format!(
                    "invalid --device {d:?}: another --device is already at {}",
                    dev.container
                )));
            }
            config.devices.push(dev);
        }
    }
    Ok(config)
}

fn default_masks() -> Vec<&'static str> {
    mounts::DEFAULT_MASKED_PATHS
        .iter()
        .chain(mounts::DEFAULT_READONLY_PATHS)
        .copied()
        .collect()
}

/// One `--security-opt`: Docker's `KEY=VALUE` (or the old `KEY:VALUE`).
fn parse_security_opt(o: &str, c: &mut SecurityConfig) -> Result<()> {
    if o == "no-new-privileges" {
        c.no_new_privileges = true;
        return Ok(());
    }
    let (key, value) = o
        .split_once('=')
        .or_else(|| o.split_once(':'))
        .ok_or_else(|| {
            invalid("expected KEY=VALUE: seccomp=, no-new-privileges, mask=, unmask=, label=, apparmor=")
        })?;
    match key {
        "no-new-privileges" => {
            c.no_new_privileges = match value {
                "true" => true,
                "false" => false,
                _ => bail!(invalid("no-new-privileges takes true or false")),
            }
        }
        "seccomp" => {
            c.seccomp = match value {
                "unconfined" => SeccompMode::Unconfined,
                "" => bail!(invalid("seccomp= needs unconfined or a profile file")),
                path => SeccompMode::Profile {
                    path: path.to_string(),
                    profile: read_profile(Path::new(path))?,
                },
            }
        }
        "mask" => c.mask.extend(paths(value)?),
        "unmask" if value == "ALL" => c.unmask.push("ALL".into()),
        "unmask" => {
            for p in value.split(':') {
                match p.strip_suffix("/*") {
                    // Podman's `/proc/*`: every default masked or read-only path below.
                    Some(dir) => {
                        let below: Vec<String> = default_masks()
                            .into_iter()
                            .filter(|m| m.starts_with(&format!("{dir}/")))
                            .map(str::to_string)
                            .collect();
                        if below.is_empty() {
                            bail!(invalid(format!(
                                "nothing is masked or read-only below {dir} by default"
                            )));
                        }
                        c.unmask.extend(below);
                    }
                    None => c.unmask.extend(paths(p)?),
                }
            }
        }
        // Docker's spelling of unmask=ALL.
        "systempaths" if value == "unconfined" => c.unmask.push("ALL".into()),
        "label" => {
            if value != "disable" && selinux_enabled() {
                bail!(invalid(
                    "SELinux is enabled on this host, but berth does not apply SELinux labels"
                ));
            }
            if value != "disable" {
                log::warn!(
                    "--security-opt {o}: SELinux is not enabled on this host; no label is applied"
                );
            }
        }
        "apparmor" => {
            if value != "unconfined" && apparmor_enabled() {
                bail!(invalid(
                    "AppArmor is enabled on this host, but berth does not load AppArmor profiles"
                ));
            }
            if value != "unconfined" {
                log::warn!(
                    "--security-opt {o}: AppArmor is not enabled on this host; no profile is applied"
                );
            }
        }
        _ => bail!(invalid(
            "berth supports seccomp=, no-new-privileges, mask=, unmask=, systempaths=unconfined, label= and apparmor="
        )),
    }
    Ok(())
}

/// `/a:/b`: absolute container paths, normalised.
fn paths(value: &str) -> Result<Vec<String>> {
    value
        .split(':')
        .map(|p| {
            if !p.starts_with('/') {
                bail!(invalid(format!("{p:?} is not an absolute path")));
            }
            mounts::normalize_dest(p).map_err(|e| invalid(format!("{e:#}")))
        })
        .collect()
}

fn read_profile(path: &Path) -> Result<String> {
    use std::io::Read;
    let f = std::fs::File::open(path)
        .map_err(|e| invalid(format!("reading seccomp profile {}: {e}", path.display())))?;
    let mut text = String::new();
    f.take(PROFILE_MAX + 1)
        .read_to_string(&mut text)
        .map_err(|e| invalid(format!("reading seccomp profile {}: {e}", path.display())))?;
    if text.len() as u64 > PROFILE_MAX {
        bail!(invalid(format!(
            "seccomp profile {} is larger than {PROFILE_MAX} bytes",
            path.display()
        )));
    }
    Ok(text)
}

/// True when SELinux is enabled on this host (selinuxfs is mounted).
pub fn selinux_enabled() -> bool {
    Path::new("/sys/fs/selinux/enforce").exists()
}

/// True when AppArmor is enabled on this host.
pub fn apparmor_enabled() -> bool {
    std::fs::read_to_string("/sys/module/apparmor/parameters/enabled")
        .is_ok_and(|s| s.trim() == "Y")
}

/// Docker's `--device` syntax: `HOST`, `HOST:CONTAINER`, `HOST:PERMS` or
/// `HOST:CONTAINER:PERMS`, permissions from `rwm` (default `rwm`). The host path must be a
/// character or block device (symlinks followed), or a directory: then every device node
/// under it, at the same place under `CONTAINER` (Docker's `--device /dev/dri`).
pub fn parse_device(s: &str, rootless: bool) -> Result<Vec<DeviceConfig>> {
    let bad = |why: String| invalid(format!("invalid --device {s:?}: {why}"));
    let parts: Vec<&str> = s.split(':').collect();
    let (host, container, perms) = match parts.as_slice() {
        [h] => (*h, *h, "rwm"),
        [h, p] if valid_perms(p) => (*h, *h, *p),
        [h, c] => (*h, *c, "rwm"),
        [h, c, p] => (*h, *c, *p),
        _ => return Err(bad("expected HOST[:CONTAINER][:PERMS]".into())),
    };
    if !valid_perms(perms) {
        return Err(bad(format!(
            "permissions {perms:?} must be letters from rwm, each at most once"
        )));
    }
    if !host.starts_with('/') || !container.starts_with('/') {
        return Err(bad("device paths must be absolute".into()));
    }
    let container = mounts::normalize_dest(container).map_err(|e| bad(format!("{e:#}")))?;
    // Less than rw: as root, a node of berth's own behind an idmapped mount (mounts.rs,
    // DeviceMount::mode). Rootless, berth cannot make one, and a read-only mount does not stop
    // writes to a device node (may_open in fs/namei.c checks the mount's nodev, not its rdonly).
    let order: String = "rwm".chars().filter(|c| perms.contains(*c)).collect();
    // Through an idmapped mount with an unmapped owner the kernel refuses every write
    // (inode_permission: HAS_UNMAPPED_ID), so there is no write-only node to be had.
    if order.contains('w') && !order.contains('r') {
        return Err(bad(format!(
            "berth cannot enforce write-only access {perms:?} without a device cgroup; use rw or rwm"
        )));
    }
    if rootless && !order.starts_with("rw") {
        return Err(bad(format!(
            "rootless, berth cannot enforce {perms:?}: it cannot make device nodes, and a read-only mount does not stop writes to a device node; use rw or rwm"
        )));
    }
    let meta = std::fs::metadata(host).map_err(|e| bad(format!("{host}: {e}")))?;
    let one = |host: PathBuf, container: String, meta: &std::fs::Metadata| {
        let kind = if meta.file_type().is_char_device() {
            DeviceKind::Char
        } else if meta.file_type().is_block_device() {
            DeviceKind::Block
        } else {
            return None;
        };
        Some(DeviceConfig {
            host,
            container,
            perms: order.clone(),
            kind,
            major: nix::sys::stat::major(meta.rdev()),
            minor: nix::sys::stat::minor(meta.rdev()),
        })
    };
    if !meta.is_dir() {
        return one(PathBuf::from(host), container, &meta)
            .map(|d| vec![d])
            .ok_or_else(|| bad(format!("{host} is not a device")));
    }
    let mut out = Vec::new();
    let mut todo = vec![PathBuf::from(host)];
    while let Some(dir) = todo.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            // Below the named directory, one we may not read holds nothing we could bind.
            Err(_) if dir != Path::new(host) => continue,
            Err(e) => return Err(bad(format!("{host}: {e}"))),
        };
        for e in entries.flatten() {
            let path = e.path();
            // Symlinks (such as /dev/dri/by-path) are skipped, as Docker does.
            let Ok(m) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if m.is_dir() {
                todo.push(path);
                continue;
            }
            let Some(dest) = path
                .strip_prefix(host)
                .ok()
                .and_then(|rel| Path::new(&container).join(rel).to_str().map(str::to_string))
            else {
                continue;
            };
            out.extend(one(path, dest, &m));
        }
    }
    if out.is_empty() {
        return Err(bad(format!("there are no devices under {host}")));
    }
    out.sort_by(|a, b| a.container.cmp(&b.container));
    Ok(out)
}

fn valid_perms(p: &str) -> bool {
    !p.is_empty()
        && p.chars().all(|c| "rwm".contains(c))
        && p.chars().enumerate().all(|(i, c)| !p[..i].contains(c))
}

/// The seccomp program for a container with capability plan `plan`: empty when it runs
/// without one (`seccomp=unconfined`, or `--privileged` without a profile of its own).
pub fn seccomp_program(config: &SecurityConfig, plan: &CapPlan) -> Result<BpfProgram> {
    match &config.seccomp {
        SeccompMode::Unconfined => Ok(Vec::new()),
        SeccompMode::Default if config.privileged => Ok(Vec::new()),
        SeccompMode::Default => seccomp::default_program(plan),
        SeccompMode::Profile { path, profile } => seccomp_profile::compile(profile, plan)
            .map_err(|e| invalid(format!("seccomp profile {path}: {e:#}"))),
    }
}

/// The capability plan the seccomp program follows (the container's bounding set, which its
/// user does not change).
pub fn cap_plan(config: &SecurityConfig) -> Result<CapPlan> {
    caps::plan(&config.cap_add, &config.cap_drop, config.privileged, 0)
}

/// What the security options change in the mount namespace. `rootless`: devices the caller
/// cannot open are left out of `--privileged`'s host /dev.
pub fn mounts(config: &SecurityConfig, rootless: bool) -> Result<SecurityMounts> {
    let mut m = SecurityMounts {
        nodev: !rootless,
        ..SecurityMounts::default()
    };
    if config.privileged {
        m.masked.clear();
        m.readonly.clear();
        m.sys_writable = true;
        m.nodev = false;
        m.devices = host_devices(Path::new("/dev"), rootless)?;
    }
    if config.unmask.iter().any(|u| u == "ALL") {
        m.masked.clear();
        m.readonly.clear();
    } else {
        m.masked.retain(|p| !config.unmask.contains(p));
        m.readonly.retain(|p| !config.unmask.contains(p));
    }
    m.masked.extend(config.mask.iter().cloned());
    for d in &config.devices {
        m.devices.retain(|have| have.dest != d.container);
        m.devices.push(DeviceMount {
            host: d.host.clone(),
            dest: d.container.clone(),
            block: d.kind == DeviceKind::Block,
            major: d.major,
            minor: d.minor,
            // Less than rw: berth's own node with just those bits (root only, see parse).
            mode: (!d.perms.contains('w')).then(|| if d.perms.contains('r') { 0o444 } else { 0 }),
        });
    }
    Ok(m)
}

/// Names in /dev that berth makes itself or that belong to the container (runc's
/// `HostDevices` skips the same directories).
const OWN_DEV: &[&str] = &["pts", "shm", "mqueue", "fd", "console", "ptmx", "core"];

/// The host's device nodes under `dev` (recursively, symlinks skipped), as `--privileged`
/// binds them. Rootless: only those the caller may open for reading or writing.
pub fn host_devices(dev: &Path, rootless: bool) -> Result<Vec<DeviceMount>> {
    let mut out = Vec::new();
    let mut todo = vec![dev.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            // A directory we may not read (rootless) holds nothing we could use.
            Err(e) if dir != dev => {
                log::debug!("skipping {}: {e}", dir.display());
                continue;
            }
            Err(e) => return Err(e).with_context(|| format!("listing {}", dir.display())),
        };
        for e in entries.flatten() {
            let path = e.path();
            let Ok(rel) = path.strip_prefix(dev) else {
                continue;
            };
            let top = rel.components().next().map(|c| c.as_os_str().to_owned());
            if dir == dev
                && top.as_ref().is_some_and(|t| {
                    OWN_DEV.iter().any(|n| t == n)
                        || mounts::DEFAULT_DEVICES.iter().any(|(n, ..)| t == n)
                })
            {
                continue;
            }
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let ft = meta.file_type();
            if ft.is_dir() {
                todo.push(path);
                continue;
            }
            if !(ft.is_char_device() || ft.is_block_device()) {
                continue;
            }
            if rootless {
                use nix::unistd::{AccessFlags, access};
                if access(&path, AccessFlags::R_OK).is_err()
                    && access(&path, AccessFlags::W_OK).is_err()
                {
                    continue;
                }
            }
            let Some(dest) = Path::new("/dev").join(rel).to_str().map(str::to_string) else {
                continue;
            };
            out.push(DeviceMount {
                host: path,
                dest,
                block: ft.is_block_device(),
                major: nix::sys::stat::major(meta.rdev()),
                minor: nix::sys::stat::minor(meta.rdev()),
                mode: None,
            });
        }
    }
    out.sort_by(|a, b| a.dest.cmp(&b.dest));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_root(o: &SecurityOptions) -> Result<SecurityConfig> {
        parse(o, false)
    }

    fn opts(security_opt: &[&str]) -> SecurityOptions {
        SecurityOptions {
            security_opt: security_opt.iter().map(|s| s.to_string()).collect(),
            ..SecurityOptions::default()
        }
    }

    #[test]
    fn security_opts_parse_like_docker() {
        let c = parse_root(&opts(&["no-new-privileges"])).unwrap();
        assert!(c.no_new_privileges);
        let c = parse_root(&opts(&[
            "no-new-privileges:true",
            "no-new-privileges=false",
        ]))
        .unwrap();
        assert!(!c.no_new_privileges);
        let c = parse_root(&opts(&["seccomp=unconfined"])).unwrap();
        assert_eq!(c.seccomp, SeccompMode::Unconfined);
        let c = parse_root(&opts(&["mask=/x:/y/z", "unmask=/proc/kcore"])).unwrap();
        assert_eq!(c.mask, ["/x", "/y/z"]);
        assert_eq!(c.unmask, ["/proc/kcore"]);
        let c = parse_root(&opts(&["unmask=/sys/*:/proc/kcore"])).unwrap();
        assert_eq!(
            c.unmask,
            [
                "/sys/firmware",
                "/sys/devices/virtual/powercap",
                "/proc/kcore"
            ]
        );
        assert!(parse_root(&opts(&["unmask=/etc/*"])).is_err());
        let c = parse_root(&opts(&[
            "unmask=ALL",
            "label=disable",
            "apparmor=unconfined",
        ]))
        .unwrap();
        assert_eq!(c.unmask, ["ALL"]);
    }

    #[test]
    fn bad_security_opts_name_the_problem() {
        for (o, why) in [
            ("bogus=1", "berth supports"),
            ("bogus", "expected KEY=VALUE"),
            ("no-new-privileges=maybe", "true or false"),
            ("mask=relative", "not an absolute path"),
            ("unmask=/etc", "not masked or read-only by default"),
            (
                "seccomp=/nonexistent/profile.json",
                "reading seccomp profile",
            ),
            ("seccomp=", "needs unconfined"),
        ] {
            let e = parse_root(&opts(&[o])).unwrap_err();
            let text = format!("{e:#}");
            assert!(text.contains(why), "{o}: {text}");
            assert!(
                text.starts_with(&format!("invalid --security-opt {o:?}")),
                "{text}"
            );
            assert!(crate::error::kind_of(&e).is_some(), "{o}: not InvalidInput");
        }
    }

    #[test]
    fn masks_follow_unmask_mask_and_privileged() {
        let mut c =
            parse_root(&opts(&["unmask=/proc/kcore:/proc/sys", "mask=/etc/secret"])).unwrap();
        let m = mounts(&c, false).unwrap();
        assert!(!m.masked.contains(&"/proc/kcore".to_string()));
        assert!(m.masked.contains(&"/proc/keys".to_string()));
        assert!(m.masked.contains(&"/etc/secret".to_string()));
        assert!(!m.readonly.contains(&"/proc/sys".to_string()));
        assert!(!m.sys_writable);
        c.unmask = vec!["ALL".into()];
        let m = mounts(&c, false).unwrap();
        assert_eq!(m.masked, ["/etc/secret"]);
        assert!(m.readonly.is_empty());
        let p = SecurityConfig {
            privileged: true,
            ..SecurityConfig::default()
        };
        let m = mounts(&p, false).unwrap();
        assert!(m.masked.is_empty() && m.readonly.is_empty() && m.sys_writable);
        assert!(
            m.devices
                .iter()
                .any(|d| d.dest == "/dev/fuse" || d.dest.starts_with("/dev/loop"))
        );
        assert!(
            !m.devices
                .iter()
                .any(|d| d.dest == "/dev/null" || d.dest.starts_with("/dev/pts"))
        );
    }

    #[test]
    fn two_devices_at_one_place_are_refused() {
        let o = SecurityOptions {
            devices: vec!["/dev/null:/dev/x".into(), "/dev/zero:/dev/x".into()],
            ..SecurityOptions::default()
        };
        let e = parse(&o, false).unwrap_err();
        assert!(format!("{e:#}").contains("already at /dev/x"), "{e:#}");
    }

    #[test]
    fn seccomp_follows_privileged_and_the_profile() {
        let plan = caps::plan(&[], &[], false, 0).unwrap();
        let mut c = SecurityConfig::default();
        assert!(!seccomp_program(&c, &plan).unwrap().is_empty());
        c.privileged = true;
        assert!(seccomp_program(&c, &plan).unwrap().is_empty());
        // An explicit profile still applies with --privileged (Podman's rule).
        c.seccomp = SeccompMode::Profile {
            path: "p.json".into(),
            profile: r#"{"defaultAction": "SCMP_ACT_ALLOW"}"#.into(),
        };
        assert!(!seccomp_program(&c, &plan).unwrap().is_empty());
        c.seccomp = SeccompMode::Unconfined;
        c.privileged = false;
        assert!(seccomp_program(&c, &plan).unwrap().is_empty());
        // Old records without the security part load with the defaults.
        let old: crate::storage::container::ContainerConfig =
            serde_json::from_str(r#"{"id": "x", "name": "n"}"#).unwrap();
        assert_eq!(old.security, SecurityConfig::default());
    }

    #[test]
    fn devices_parse_like_docker() {
        let one = |s: &str| -> DeviceConfig {
            let mut v = parse_device(s, false).unwrap();
            assert_eq!(v.len(), 1, "{s}");
            v.remove(0)
        };
        let d = one("/dev/null");
        // A directory: every node under it, at the same place under the container path.
        let net = parse_device("/dev/net:/dev/n:rw", false).unwrap();
        assert!(
            net.iter()
                .any(|d| d.container == "/dev/n/tun" && d.perms == "rw"),
            "{net:?}"
        );
        assert!(
            format!("{:#}", parse_device("/etc", false).unwrap_err())
                .contains("no devices under /etc")
        );
        assert_eq!(
            (d.container.as_str(), d.perms.as_str()),
            ("/dev/null", "rwm")
        );
        assert_eq!((d.kind, d.major, d.minor), (DeviceKind::Char, 1, 3));
        let d = one("/dev/null:/dev/mynull");
        assert_eq!(d.container, "/dev/mynull");
        let d = one("/dev/null:wr");
        assert_eq!(
            (d.container.as_str(), d.perms.as_str()),
            ("/dev/null", "rw")
        );
        let d = one("/dev/null:/dev/x:mrw");
        assert_eq!(d.perms, "rwm");
        for (s, why) in [
            ("/etc/passwd", "is not a device"),
            ("/nonexistent", "/nonexistent"),
            ("/dev/null:/a:/b:rw", "expected HOST"),
            ("/dev/null:/x:rwx", "letters from rwm"),
            ("/dev/null:/x:rr", "letters from rwm"),
            ("dev/null", "absolute"),
            ("/dev/null:/x:r", "cannot enforce"),
        ] {
            let e = parse_device(s, true).unwrap_err();
            assert!(format!("{e:#}").contains(why), "{s}: {e:#}");
            assert!(crate::error::kind_of(&e).is_some());
        }
    }
}
