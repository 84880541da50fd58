//! `berth rename`: give a container a new name.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::ops;

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth rename web web2")]
pub struct RenameArgs {
    /// The container, by name or id
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Its new name
    #[arg(value_name = "NEW_NAME")]
    pub new_name: String,
}

pub fn run(ctx: &Context, a: RenameArgs) -> Result<ExitCode> {
    ops::rename(ctx, &a.container, &a.new_name)?;
    Ok(ExitCode::SUCCESS)
}
