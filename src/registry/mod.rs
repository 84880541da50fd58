//! The OCI distribution client and image references.
//!
//! So far: reference parsing and normalization. The HTTP client lands with the registry issue.

pub mod reference;

pub use reference::ImageRef;
