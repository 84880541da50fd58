//! The layer applier (being written).
