//! Turning specs into kernel state: namespaces, id maps, mounts, credentials, raw syscalls.
//!
//! Each part plans as data and applies in one place (STYLE.md 7): `process` plans the container
//! process (argv, environment, identity, executable lookup, rlimits), `spawn` clones a process
//! into new namespaces, `userns` plans and writes id maps (and runs the rootless store helper),
//! `sys` holds the raw syscalls nix lacks. `berth run` wires these together (runtime issue).

pub mod process;
pub mod spawn;
pub mod sys;
pub mod userns;
