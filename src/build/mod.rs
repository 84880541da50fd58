//! Dockerfile instructions and, later, the image builder.
//!
//! So far: the instruction subset `import --change` and `commit --change` accept.

pub mod change;
