//! The part of a container record that says which namespaces the container shares and how its
//! kernel knobs and user namespace are set: `--ipc`, `--pid`, `--uts`, `--cgroupns`,
//! `--shm-size`, `--sysctl`, `--oom-score-adj`, `--userns`, `--uidmap`, `--gidmap`. Kept as the
//! user wrote them (checked at create), except that a `container:NAME` target is stored as
//! `container:ID`, resolved once at create, and `--subuidname` and `--userns auto` are stored
//! as the `--uidmap`/`--gidmap` they chose. An empty mode is the default. Records written
//! before these options existed load with every field at its default.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The namespace and kernel-knob options of one container (`ContainerConfig::namespaces`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NamespaceConfig {
    /// `--ipc`: "" (shareable), host, private, shareable, none, or container:ID.
    pub ipc: String,
    /// `--pid`: "" (private), host, private, or container:ID.
    pub pid: String,
    /// `--uts`: "" (private), host, private.
    pub uts: String,
    /// `--cgroupns`: "" (private), host, private.
    pub cgroupns: String,
    /// `--shm-size` in bytes (None: Docker's 64 MiB).
    pub shm_size: Option<u64>,
    /// `--sysctl`: dotted key to value.
    pub sysctls: BTreeMap<String, String>,
    /// `--oom-score-adj`.
    pub oom_score_adj: Option<i32>,
    /// `--userns`: "" or host (rootless: the user's namespace; root: none),
    /// keep-id[:uid=U,gid=G], nomap, auto[:size=N] (with the chosen `uidmap`/`gidmap`), or
    /// ns:PATH (root).
    pub userns: String,
    /// `--uidmap`/`--gidmap`: CONTAINER:HOST:COUNT (as root, HOST is a host id; rootless, it
    /// counts in the user's own namespace: 0 is the user, 1.. the subordinate ids).
    pub uidmap: Vec<String>,
    pub gidmap: Vec<String>,
}
