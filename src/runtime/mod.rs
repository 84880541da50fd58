//! Turning specs into kernel state: namespaces, id maps, mounts, credentials, raw syscalls.
//!
//! Each part plans as data and applies in one place (STYLE.md 7): `process` plans the container
//! process (argv, environment, identity, executable lookup, rlimits), `caps` the capability sets,
//! `seccomp` the default filter (Docker's profile as data) and the BPF compiler,
//! `seccomp_profile` Docker/OCI JSON profiles, `security` the security options of a container
//! (capabilities, `--privileged`, `--security-opt`, `--device`) as recorded and planned, `mounts` the mount namespace
//! (rootfs, /proc, /dev, /sys, volumes, masks, pivot_root), `rootfs` which root filesystem a
//! container gets (native overlay, fuse-overlayfs or a copy) and the fuse-overlayfs daemon
//! outside the container, `spawn` clones a process into new namespaces (or, with `namespaces`,
//! joins another container's), `userns` plans and writes id maps (and runs the rootless store
//! helper),
//! `sys` holds the raw syscalls nix lacks, `init` is the container's PID 1 for `run --init`,
//! `cgroup` makes a container's own cgroup (limits, OOM, stats), `devcg` confines a root
//! container's device access (the v1 devices controller's list, or an eBPF device program on
//! v2), `monitor` forks and runs a detached container's monitor, `exec` runs one more process
//! in a running container, `freezer` makes the cgroup that `pause` freezes, `memory` gives back what
//! a monitor no longer needs. The ops wire these together.

pub mod caps;
pub mod cgroup;
pub mod container;
pub mod devcg;
pub mod exec;
pub mod freezer;
pub mod init;
pub mod memory;
pub mod monitor;
pub mod mounts;
pub mod namespaces;
pub mod netns;
pub mod process;
pub mod rootfs;
pub mod seccomp;
pub mod seccomp_profile;
pub mod security;
pub mod spawn;
pub mod sys;
#[cfg(test)]
pub(crate) mod test_support;
pub mod tty;
pub mod userns;
