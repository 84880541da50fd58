//! The OCI distribution client and image references (being written).
