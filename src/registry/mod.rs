//! The OCI distribution client and image references.
//!
//! `reference` parses and validates names; `challenge` reads `WWW-Authenticate`; `auth` finds
//! and stores credentials; `manifest` parses manifests and picks a platform from an index;
//! `config` reads the registries configuration (mirrors, insecure, blocked);
//! `client` makes every HTTP request berth sends to a registry (STYLE.md 6).

pub mod auth;
pub mod challenge;
pub mod client;
pub mod config;
pub mod manifest;
pub mod reference;

pub use reference::ImageRef;
