//! Raw syscalls nix does not wrap, each behind a safe function that names its target on error.
//!
//! This is one of the few modules allowed `unsafe` (see lib.rs); every block says why it holds.
