//! `berth images` / `berth image ls`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use serde_json::{Value, json};

use super::times;
use crate::cmd::format;
use crate::context::Context;
use crate::ops::{self, ImagesOptions};
use crate::registry::ImageRef;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth images\n  berth images -q\n  berth images --digests --no-trunc\n  berth images --filter dangling=true\n  berth images --filter reference='busy*' --format '{{.Repository}}:{{.Tag}}'\n  berth images --format '{{json .}}'"
)]
pub struct LsArgs {
    /// Show all images (berth keeps no intermediate images, so this lists the same set)
    #[arg(short, long)]
    pub all: bool,
    /// Only show image IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Show digests
    #[arg(long)]
    pub digests: bool,
    /// Don't truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Filter output: dangling=true|false, label=KEY[=VALUE], reference=PATTERN, before=IMAGE,
    /// since=IMAGE
    #[arg(short, long, value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Format output with a Go template, "table …", or "json"
    #[arg(long)]
    pub format: Option<String>,
    /// Only list this REPOSITORY or REPOSITORY:TAG (a reference filter)
    pub repository: Option<String>,
}

const HEADERS: &str = r#"{"Repository":"REPOSITORY","Tag":"TAG","ID":"IMAGE ID","CreatedSince":"CREATED","CreatedAt":"CREATED AT","Size":"SIZE","Digest":"DIGEST","VirtualSize":"VIRTUAL SIZE","SharedSize":"SHARED SIZE","UniqueSize":"UNIQUE SIZE","Containers":"CONTAINERS"}"#;

pub fn run(ctx: &Context, a: LsArgs) -> Result<ExitCode> {
    let mut filters = a
        .filter
        .iter()
        .map(|f| f.parse())
        .collect::<Result<Vec<_>>>()?;
    if let Some(r) = &a.repository {
        filters.push(ops::ImageFilter::Reference(r.clone()));
    }
    let report = ops::images(ctx, ImagesOptions { filters })?;
    for (what, why) in &report.broken {
        log::warn!("{what} is broken and not listed: {why}");
    }
    let mut rows = Vec::new();
    for r in &report.images {
        let id = if a.no_trunc {
            r.id.to_string()
        } else {
            r.id.short().to_string()
        };
        let (since, at) = times(r.created.as_deref());
        let size = format::human_size_precision(r.size, 3);
        let mut names: Vec<(String, String)> = r
            .names
            .iter()
            .filter_map(|n| ImageRef::parse(n).ok())
            .map(|p| (p.familiar_repository(), p.tag_or_default().to_string()))
            .collect();
        if names.is_empty() {
            names.push(("<none>".into(), "<none>".into()));
        }
        for (repo, tag) in names {
            let digest = r
                .digests
                .iter()
                .find_map(|d| {
                    let (name, digest) = d.split_once('@')?;
                    (crate::registry::reference::familiar(name) == repo).then(|| digest.to_string())
                })
                .unwrap_or_else(|| "<none>".into());
            rows.push(json!({
                "Containers": "N/A",
                "CreatedAt": at,
                "CreatedSince": since,
                "Digest": digest,
                "ID": id,
                "Repository": repo,
                "SharedSize": "N/A",
                "Size": size,
                "Tag": tag,
                "UniqueSize": "N/A",
                "VirtualSize": size,
            }));
        }
    }
    let default = if a.quiet {
        "{{.ID}}"
    } else if a.digests {
        "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
    } else {
        "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
    };
    let headers: Value = serde_json::from_str(HEADERS)?;
    let fmt = if a.quiet { None } else { a.format.as_deref() };
    crate::cmd::print(&format::render(fmt, default, &headers, &rows)?)?;
    Ok(ExitCode::SUCCESS)
}
