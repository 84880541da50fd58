//! `berth push` (and `berth image push`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::Args;

use crate::cmd::image::pull::{RegistryArgs, parse_duration};
use crate::context::Context;
use crate::ops::push::{self, PushOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth tag busybox localhost:5000/me/busybox:1 && berth push localhost:5000/me/busybox:1\n  berth push --compression-format zstd localhost:5000/me/busybox:1\n  berth push --digestfile d.txt busybox localhost:5000/me/busybox:2"
)]
pub struct PushArgs {
    /// The local image, by name or id
    pub source: String,
    /// Where to push it: REGISTRY/REPOSITORY:TAG (default: the image's name)
    pub destination: Option<String>,
    /// Recompress layers with this format: gzip or zstd (changes the digests)
    #[arg(long, value_name = "FORMAT")]
    pub compression_format: Option<String>,
    /// Write the digest of the pushed manifest to FILE
    #[arg(long, value_name = "FILE")]
    pub digestfile: Option<PathBuf>,
    /// Print nothing but errors
    #[arg(short, long)]
    pub quiet: bool,
    /// Retry this many times after a network failure
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retry: u32,
    /// The first wait between retries, doubled each time: 500ms, 2s, 1m
    #[arg(long, value_name = "DURATION")]
    pub retry_delay: Option<String>,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

pub fn run(ctx: &Context, a: PushArgs) -> Result<ExitCode> {
    let compression = a
        .compression_format
        .as_deref()
        .map(push::parse_compression)
        .transpose()?;
    let retry_delay = a.retry_delay.as_deref().map(parse_duration).transpose()?;
    let progress = |line: &str| eprintln!("{line}");
    let opts = PushOptions {
        source: a.source,
        destination: a.destination,
        compression,
        registry: a.registry.into_options(),
        retry: a.retry,
        retry_delay,
        progress: if a.quiet { None } else { Some(&progress) },
    };
    let report = push::push(ctx, &opts)?;
    if let Some(f) = &a.digestfile {
        std::fs::write(f, report.digest.as_str())
            .with_context(|| format!("writing the digest to {}", f.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
