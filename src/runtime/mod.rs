//! Turning specs into kernel state: namespaces, id maps, raw syscalls.
//!
//! For now this holds what the image store needs from the kernel: the raw syscalls nix lacks
//! (`sys`) and running work inside a user namespace with the caller's subordinate id ranges
//! (`userns`). The container runtime (spawn, mounts, cgroups, …) lands here with the runtime issue.

pub mod spawn;
pub mod sys;
pub mod userns;
