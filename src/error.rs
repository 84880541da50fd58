//! The one typed error berth's callers branch on (STYLE.md 10).
//!
//! Everything else is an `anyhow::Error` with context. An `ErrorKind` sits somewhere in the
//! chain; `main` finds it with `downcast_ref` to pick the exit code and a hint. This module must
//! not grow one enum per subsystem.

use std::fmt;

/// What went wrong, in the terms a caller (or `main`'s exit-code mapping) acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// A named object (image, container, volume, …) does not exist; the text says which.
    NotFound(String),
    /// A name is already taken by another object.
    NameInUse(String),
    /// The object is in use and cannot be removed without force.
    InUse(String),
    /// The user's input is invalid (a bad reference, flag value, archive, …).
    InvalidInput(String),
    /// The container command was not found (exit 127).
    CommandNotFound(String),
    /// The container command could not be invoked (exit 126).
    CommandNotExecutable(String),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::NotFound(what) => write!(f, "{what}"),
            ErrorKind::NameInUse(what) => write!(f, "{what}: name is already in use"),
            ErrorKind::InUse(what) => write!(f, "{what}: in use"),
            ErrorKind::InvalidInput(what) => write!(f, "{what}"),
            ErrorKind::CommandNotFound(what) => {
                write!(f, "{what}: executable file not found in $PATH")
            }
            ErrorKind::CommandNotExecutable(what) => write!(f, "{what}: permission denied"),
        }
    }
}

impl std::error::Error for ErrorKind {}

impl ErrorKind {
    /// The process exit code Docker and Podman use for this kind of failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            ErrorKind::CommandNotFound(_) => 127,
            ErrorKind::CommandNotExecutable(_) => 126,
            _ => 125,
        }
    }
}

/// Shorthand for `anyhow::Error::new(ErrorKind::NotFound(..))`.
pub fn not_found(what: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(ErrorKind::NotFound(what.into()))
}

/// Shorthand for `anyhow::Error::new(ErrorKind::InvalidInput(..))`.
pub fn invalid(what: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(ErrorKind::InvalidInput(what.into()))
}

/// The first `ErrorKind` in an error's chain, if any.
pub fn kind_of(err: &anyhow::Error) -> Option<&ErrorKind> {
    err.chain().find_map(|e| e.downcast_ref::<ErrorKind>())
}
