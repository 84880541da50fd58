//! `berth import`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::context::Context;
use crate::error;
use crate::ops::{self, ImportOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth import rootfs.tar myimg\n  berth import rootfs.tar.gz myimg --change 'CMD [\"/bin/sh\"]' --change 'ENV A=1'\n  tar -C rootfs -c . | berth import - myimg -m 'from a directory'"
)]
pub struct ImportArgs {
    /// Apply a Dockerfile instruction to the image: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL,
    /// ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL
    #[arg(short, long, value_name = "INSTRUCTION")]
    pub change: Vec<String>,
    /// Set the commit message of the image's history
    #[arg(short, long)]
    pub message: Option<String>,
    /// Suppress the output
    #[arg(short, long)]
    pub quiet: bool,
    /// A root filesystem tarball (plain, gzip or zstd), or - for stdin
    pub file: String,
    /// The new image's name
    pub reference: Option<String>,
}

pub fn run(ctx: &Context, a: ImportArgs) -> Result<ExitCode> {
    if a.file.contains("://") {
        bail!(error::invalid(format!(
            "importing from a URL ({}) is not supported: download it and import the file",
            a.file
        )));
    }
    let stdin = std::io::stdin();
    let source = (a.file != "-").then(|| PathBuf::from(&a.file));
    if source.is_none() && stdin.is_terminal() {
        bail!(error::invalid(
            "import from stdin, but stdin is a terminal: redirect a tarball"
        ));
    }
    let report = ops::import(
        ctx,
        ImportOptions {
            source,
            reference: a.reference,
            changes: a.change,
            message: a.message,
        },
        stdin.lock(),
    )?;
    if !a.quiet {
        let out: String = report
            .images
            .iter()
            .map(|i| format!("{}\n", i.id))
            .collect();
        crate::cmd::print(&out)?;
    }
    Ok(ExitCode::SUCCESS)
}
