//! `berth save`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::context::Context;
use crate::error;
use crate::ops::{self, SaveOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth save -o busybox.tar busybox\n  berth save --format oci-archive -o images.tar busybox mybox:1\n  berth save busybox | gzip > busybox.tar.gz"
)]
pub struct SaveArgs {
    /// Write to a file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Archive format: docker-archive or oci-archive
    #[arg(long, default_value = "docker-archive")]
    pub format: String,
    /// Images to save, by name or id
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
}

pub fn run(ctx: &Context, a: SaveArgs) -> Result<ExitCode> {
    let format = a.format.parse()?;
    let stdout = std::io::stdout();
    if a.output.is_none() && stdout.is_terminal() {
        bail!(error::invalid(
            "refusing to save to a terminal: use --output FILE or redirect stdout"
        ));
    }
    ops::save(
        ctx,
        SaveOptions {
            images: a.images,
            format,
            output: a.output,
        },
        stdout.lock(),
    )?;
    Ok(ExitCode::SUCCESS)
}
