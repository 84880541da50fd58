//! `berth create`: record a container without starting it; prints its id.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::print;
use crate::cmd::run::CreateArgs;
use crate::context::Context;
use crate::ops;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth create --name c1 busybox sleep 1 && berth start -a c1\n  berth create -it --name shell busybox sh && berth start -ai shell",
    trailing_var_arg = true,
    disable_help_flag = true
)]
pub struct CreateCmd {
    #[command(flatten)]
    pub create: CreateArgs,
}

pub fn run(ctx: &Context, a: CreateCmd) -> Result<ExitCode> {
    let created = ops::create(ctx, a.create.into_options())?;
    print(&format!("{}\n", created.id))?;
    Ok(ExitCode::SUCCESS)
}
