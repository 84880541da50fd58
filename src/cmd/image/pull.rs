//! `berth pull` (and `berth image pull`), plus the registry flags pull, push, login and search
//! share.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Result, bail};
use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::context::Context;
use crate::error;
use crate::ops;
use crate::ops::pull::{PullOptions, RegistryOptions};
use crate::registry::manifest::Platform;
use crate::storage::digest::Digest;

/// How to reach a registry and authenticate to it.
#[derive(Debug, Args, Clone)]
pub struct RegistryArgs {
    /// Path of the auth file to read credentials from (default: $REGISTRY_AUTH_FILE, berth's
    /// auth.json, $XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json)
    #[arg(long, value_name = "FILE")]
    pub authfile: Option<PathBuf>,
    /// Credentials USER:PASSWORD to use instead of the auth files
    #[arg(long, value_name = "USER[:PASSWORD]")]
    pub creds: Option<String>,
    /// Require https with verified certificates (--tls-verify=false allows http and
    /// unverified https; localhost registries may use http regardless)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub tls_verify: Option<bool>,
    /// A directory with CA certificates (*.crt) and a client certificate (*.cert, *.key) for
    /// the registry, looked in before the certs.d directories
    #[arg(long, value_name = "DIR")]
    pub cert_dir: Option<PathBuf>,
}

impl RegistryArgs {
    pub fn into_options(self) -> RegistryOptions {
        RegistryOptions {
            authfile: self.authfile,
            creds: self.creds,
            tls_verify: self.tls_verify,
            cert_dir: self.cert_dir,
        }
    }
}

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth pull busybox\n  berth pull --platform linux/arm64 alpine:3.20\n  berth pull localhost:5000/team/app@sha256:…\n  berth pull -q --retry 3 localhost:5000/me/busybox:1\n  berth pull --all-tags localhost:5000/me/busybox"
)]
pub struct PullArgs {
    /// The image: a name such as busybox, REGISTRY/REPOSITORY:TAG or REPOSITORY@DIGEST
    pub reference: String,
    /// Pull every tag of the repository
    #[arg(short, long)]
    pub all_tags: bool,
    /// Print only the image id
    #[arg(short, long)]
    pub quiet: bool,
    /// The platform to pick from a multi-platform image: OS/ARCH[/VARIANT] (default: the host's)
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,
    /// The architecture to pick instead of the host's
    #[arg(long, value_name = "ARCH")]
    pub arch: Option<String>,
    /// The OS to pick instead of the host's
    #[arg(long, value_name = "OS")]
    pub os: Option<String>,
    /// The architecture variant to pick (v7, v8, …)
    #[arg(long, value_name = "VARIANT")]
    pub variant: Option<String>,
    /// Retry this many times after a network failure (never after a digest mismatch)
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retry: u32,
    /// The first wait between retries, doubled each time: 500ms, 2s, 1m
    #[arg(long, value_name = "DURATION")]
    pub retry_delay: Option<String>,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `500ms`, `2s`, `1m`, or plain seconds.
pub fn parse_duration(s: &str) -> Result<Duration> {
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: f64 = num
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0 && *n < 1e6)
        .ok_or_else(|| error::invalid(format!("invalid duration {s:?}: use e.g. 500ms, 2s, 1m")))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => bail!(error::invalid(format!(
            "invalid duration {s:?}: use e.g. 500ms, 2s, 1m"
        ))),
    };
    Ok(Duration::from_secs_f64(secs))
}

/// Progress bars on a terminal (indicatif): one per layer, step lines printed above them.
pub(crate) struct Bars {
    multi: MultiProgress,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Bars {
    pub(crate) fn new() -> Bars {
        Bars {
            multi: MultiProgress::new(),
            bars: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn line(&self, line: &str) {
        // The bars show the blobs; the other steps go above them.
        if !line.starts_with("Copying blob") || line.ends_with("already exists") {
            let _ = self.multi.println(line);
        }
    }

    pub(crate) fn bytes(&self, d: &Digest, done: u64, total: u64) {
        let mut bars = self.bars.lock().unwrap_or_else(|p| p.into_inner());
        let bar = bars.entry(d.to_string()).or_insert_with(|| {
            let style = ProgressStyle::with_template(
                "Copying blob {prefix} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            self.multi.add(
                ProgressBar::new(total)
                    .with_style(style)
                    .with_prefix(d.short().to_string()),
            )
        });
        bar.set_position(done);
        if done >= total {
            bar.finish();
        }
    }
}

pub fn run(ctx: &Context, a: PullArgs) -> Result<ExitCode> {
    let platform = Platform::choose(
        a.platform.as_deref(),
        a.os.as_deref(),
        a.arch.as_deref(),
        a.variant.as_deref(),
    )?;
    let retry_delay = a.retry_delay.as_deref().map(parse_duration).transpose()?;
    let bars = (!a.quiet && std::io::stderr().is_terminal()).then(Bars::new);
    let progress = |line: &str| match &bars {
        Some(b) => b.line(line),
        None => eprintln!("{line}"),
    };
    let bytes = |d: &Digest, done: u64, total: u64| {
        if let Some(b) = &bars {
            b.bytes(d, done, total);
        }
    };
    let opts = PullOptions {
        reference: a.reference,
        all_tags: a.all_tags,
        platform,
        registry: a.registry.into_options(),
        retry: a.retry,
        retry_delay,
        progress: if a.quiet { None } else { Some(&progress) },
        bytes: bars.as_ref().map(|_| &bytes as _),
    };
    let report = ops::pull(ctx, &opts)?;
    let mut out = String::new();
    for p in &report.images {
        out.push_str(p.record.id.hex());
        out.push('\n');
    }
    crate::cmd::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
