//! berth's integration tests: one binary (STYLE.md 29) that drives the real `berth` executable,
//! with a module per area. Every test runs twice, as root and as an unprivileged user (see
//! `support::both_modes!`), each time in a fresh `support::TestEnv`.
//!
//! Run: `cargo test --test it` (as root for both modes; `BERTH_TEST_REQUIRE=1` turns skips into
//! failures; `BERTH_TEST_MODES=rootless` selects a mode; `BERTH_TEST_KEEP=1` keeps a failed
//! test's directory).

// The harness reads its own knobs (BERTH_TEST_*) from the environment; the rule against
// `std::env` (clippy.toml) is for the engine below `cmd/`.
#![allow(clippy::print_stderr, clippy::print_stdout, clippy::disallowed_methods)]

#[macro_use]
mod support;

mod archive;
mod cgroups;
mod cli;
mod container;
mod default_network;
mod devices;
mod docs;
mod events;
mod exec;
mod fixtures;
mod image;
mod init;
mod inspect;
mod interop;
mod lifecycle;
mod namespaces;
mod network;
mod networks;
mod ps;
mod registry;
mod rootfs;
mod rootless_networks;
mod run;
mod security;
