//! berth as a library: the engine behind the `berth` binary.
//!
//! `main.rs` calls [`cmd::main`], which parses the command line and runs [`cmd::dispatch`]; everything else lives here so
//! integration tests and the engine share one code path. Unsafe code is denied crate-wide and
//! re-allowed per module below, so the whole list is reviewed in one place (STYLE.md 16).

#![deny(unsafe_code)]

pub mod build;
pub mod cmd;
pub mod context;
pub mod error;
pub mod net;
pub mod ops;
pub mod registry;
#[allow(unsafe_code)]
pub mod runtime;
pub mod storage;

pub use context::Context;
pub use error::ErrorKind;
