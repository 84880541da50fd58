//! `berth container exists`: exit 0 when the container exists, 1 when it does not.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::error::{self, ErrorKind};
use crate::ops;

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth container exists web && echo there")]
pub struct ExistsArgs {
    /// The container, by name or id
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

/// Exit 0: it exists; 1: it does not; 125: the question could not be answered.
pub fn run(ctx: &Context, a: ExistsArgs) -> Result<ExitCode> {
    match ops::resolve_container(ctx, &a.container) {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(e) if matches!(error::kind_of(&e), Some(ErrorKind::NotFound(_))) => {
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e),
    }
}
