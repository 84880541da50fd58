//! Containers in the store: ids, names reserved atomically, and each container's directory.
//!
//! `containers/<id>/` holds what the user asked (`config.json`) and the container's own files
//! (hostname, hosts, resolv.conf, the overlay upper/ and work/ dirs, or the copy rootfs/). A name is reserved by
//! creating `names/<name>` with O_EXCL (SECURITY.md I10), so two `run --name web` never both win.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};

use super::atomic;
use crate::error::{self, ErrorKind};

/// A container id: 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContainerId(String);

impl ContainerId {
    /// A fresh random id.
    pub fn generate() -> Result<ContainerId> {
        let mut bytes = [0u8; 32];
        fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut bytes))
            .context("reading /dev/urandom for a container id")?;
        Ok(ContainerId(
            bytes.iter().map(|b| format!("{b:02x}")).collect(),
        ))
    }

    /// Accepts exactly 64 lowercase hex digits.
    pub fn parse(s: &str) -> Result<ContainerId> {
        if s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            Ok(ContainerId(s.to_string()))
        } else {
            bail!(error::invalid(format!("invalid container id {s:?}")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 12 hex digits Docker shows.
    pub fn short(&self) -> &str {
        &self.0[..12]
    }
}

impl std::fmt::Display for ContainerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Docker's container name grammar: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 2
        && b.len() <= 253
        && b[0].is_ascii_alphanumeric()
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// The names and containers directories of one store.
#[derive(Debug, Clone)]
pub struct ContainerDirs {
    pub names: PathBuf,
    pub containers: PathBuf,
}

impl ContainerDirs {
    /// The directory of container `id`.
    pub fn dir(&self, id: &ContainerId) -> PathBuf {
        self.containers.join(id.as_str())
    }

    /// Reserves `name` for `id`: creates `names/<name>` holding the id, or fails with
    /// NameInUse naming the holder.
    pub fn reserve_name(&self, name: &str, id: &ContainerId) -> Result<()> {
        if !valid_name(name) {
            bail!(error::invalid(format!(
                "invalid container name {name:?}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
            )));
        }
        atomic::ensure_private_dir(&self.names)?;
        let path = self.names.join(name);
        let created = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&path);
        match created {
            Ok(mut f) => {
                f.write_all(id.as_str().as_bytes())
                    .and_then(|()| f.sync_all())
                    .with_context(|| format!("reserving container name {name:?}"))?;
                atomic::fsync_dir(&self.names)
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let holder = fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.get(..12).unwrap_or("another container");
                Err(anyhow::Error::new(ErrorKind::NameInUse(format!(
                    "the container name {name:?} is already in use by {holder}: remove or rename that container, or use --replace"
                ))))
            }
            Err(e) => Err(e).with_context(|| format!("reserving container name {name:?}")),
        }
    }

    /// Releases `name` if `id` holds it; a name held by another container is left alone.
    pub fn release_name(&self, name: &str, id: &ContainerId) -> Result<()> {
        let path = self.names.join(name);
        match fs::read_to_string(&path) {
            Ok(holder) if holder == id.as_str() => {
                fs::remove_file(&path).with_context(|| format!("releasing name {name:?}"))
            }
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("releasing name {name:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs() -> (tempfile::TempDir, ContainerDirs) {
        let t = tempfile::tempdir().unwrap();
        let d = ContainerDirs {
            names: t.path().join("names"),
            containers: t.path().join("containers"),
        };
        (t, d)
    }

    #[test]
    fn ids_are_64_hex_and_validated() {
        let a = ContainerId::generate().unwrap();
        let b = ContainerId::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(ContainerId::parse(a.as_str()).unwrap(), a);
        assert_eq!(a.short().len(), 12);
        for bad in [
            "",
            "abc",
            &"A".repeat(64),
            &format!("../{}", "a".repeat(61)),
        ] {
            assert!(ContainerId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_follow_docker_grammar() {
        assert!(valid_name("web"));
        assert!(valid_name("my_app.1-x"));
        for bad in ["", "a", "-web", "_x", "a/b", "../x", "a b", "é1"] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_name_is_reserved_once() {
        let (_t, d) = dirs();
        let (a, b) = (
            ContainerId::generate().unwrap(),
            ContainerId::generate().unwrap(),
        );
        d.reserve_name("web", &a).unwrap();
        let e = d.reserve_name("web", &b).unwrap_err();
        assert!(matches!(
            crate::error::kind_of(&e),
            Some(ErrorKind::NameInUse(_))
        ));
        assert!(format!("{e:#}").contains(a.short()), "{e:#}");
        d.release_name("web", &b).unwrap();
        assert!(
            d.reserve_name("web", &b).is_err(),
            "released by a non-holder"
        );
        d.release_name("web", &a).unwrap();
        d.reserve_name("web", &b).unwrap();
    }

    #[test]
    fn parallel_reservations_have_one_winner() {
        let (_t, d) = dirs();
        let winners = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    let d = d.clone();
                    s.spawn(move || {
                        let id = ContainerId::generate().unwrap();
                        d.reserve_name("race", &id).is_ok()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap())
                .filter(|won| *won)
                .count()
        });
        assert_eq!(winners, 1);
    }
}
