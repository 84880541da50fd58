//! In-root path resolution (being written).
