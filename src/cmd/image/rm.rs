//! `berth rmi` / `berth image rm`.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::cmd::print_error;
use crate::context::Context;
use crate::error;
use crate::ops::{self, RmiOptions};
use crate::registry::reference::familiar;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth rmi mybox:1\n  berth rmi -f 4b3a8c2f1d0e\n  berth rmi --all"
)]
pub struct RmArgs {
    /// Remove the image even if it has several names
    #[arg(short, long)]
    pub force: bool,
    /// Remove all images
    #[arg(short, long)]
    pub all: bool,
    /// Images to remove, by name or id
    #[arg(value_name = "IMAGE")]
    pub images: Vec<String>,
}

pub fn run(ctx: &Context, a: RmArgs) -> Result<ExitCode> {
    if a.images.is_empty() && !a.all {
        bail!(error::invalid("rmi needs at least one image, or --all"));
    }
    let results = ops::rmi(
        ctx,
        RmiOptions {
            targets: a.images,
            force: a.force,
            all: a.all,
        },
    )?;
    let mut out = String::new();
    let mut failed = None;
    for (_, r) in results {
        match r {
            Ok(rep) => {
                for u in &rep.untagged {
                    out.push_str(&format!("Untagged: {}\n", familiar(u)));
                }
                for d in &rep.deleted {
                    out.push_str(&format!("Deleted: {d}\n"));
                }
            }
            Err(e) => {
                crate::cmd::print(&std::mem::take(&mut out))?;
                print_error(&e);
                failed = Some(e);
            }
        }
    }
    crate::cmd::print(&out)?;
    Ok(match failed {
        Some(e) => ExitCode::from(error::kind_of(&e).map_or(125, |k| k.exit_code()) as u8),
        None => ExitCode::SUCCESS,
    })
}
