//! Running work in a user namespace with the caller's subordinate ids (being written).
