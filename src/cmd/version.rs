//! `berth version`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use serde_json::json;

use crate::cmd::format;
use crate::storage::archive::oci::host_arch;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth version\n  berth version --format '{{.Client.Version}}'"
)]
pub struct VersionArgs {
    /// Format output with a Go template ({{.Client.Version}} or {{.Version}}), or "json"
    #[arg(short, long)]
    pub format: Option<String>,
}

pub fn run(a: VersionArgs) -> Result<ExitCode> {
    let version = env!("CARGO_PKG_VERSION");
    let os_arch = format!("linux/{}", host_arch());
    let client = json!({
        "Version": version,
        "APIVersion": version,
        "Os": "linux",
        "Arch": host_arch(),
        "OsArch": os_arch,
    });
    let mut all = client.clone();
    all["Client"] = client;
    let out = match a.format.as_deref() {
        Some(f) => format::render_each(f, &[all])?,
        None => {
            format!("Version:      {version}\nAPI Version:  {version}\nOS/Arch:      {os_arch}\n")
        }
    };
    crate::cmd::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
