//! The store: content-addressed blobs, unpacked layers, image records.

pub mod apply;
pub mod inroot;
