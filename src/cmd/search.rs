//! `berth search`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use serde_json::json;

use crate::cmd::format;
use crate::cmd::image::pull::RegistryArgs;
use crate::context::Context;
use crate::ops::search::{self, SearchOptions};

const HEADERS: &str = r#"{"Name":"NAME","Description":"DESCRIPTION","Stars":"STARS","Official":"OFFICIAL","Automated":"AUTOMATED","Tag":"TAG"}"#;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth search localhost:5000/\n  berth search localhost:5000/busy\n  berth search --list-tags localhost:5000/me/busybox\n  berth search --format '{{.Name}}' localhost:5000/"
)]
pub struct SearchArgs {
    /// What to look for: TERM (on docker.io), REGISTRY/TERM, or REGISTRY/ for everything a
    /// registry's catalog lists
    pub term: String,
    /// Show at most this many results
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub limit: usize,
    /// List the tags of the repository TERM names
    #[arg(long)]
    pub list_tags: bool,
    /// Do not truncate descriptions
    #[arg(long)]
    pub no_trunc: bool,
    /// Format the output with a Go template, 'table …' or 'json' (fields: .Name, .Description,
    /// .Stars, .Official, .Automated, .Tag)
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

pub fn run(ctx: &Context, a: SearchArgs) -> Result<ExitCode> {
    let results = search::search(
        ctx,
        &SearchOptions {
            term: a.term,
            limit: a.limit,
            list_tags: a.list_tags,
            registry: a.registry.into_options(),
        },
    )?;
    let rows: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            let mut d = r.description.replace(['\n', '\t'], " ");
            if !a.no_trunc && d.chars().count() > 45 {
                d = d.chars().take(44).collect::<String>() + "…";
            }
            json!({
                "Name": r.name,
                "Description": d,
                "Stars": r.stars,
                "Official": if r.official { "[OK]" } else { "" },
                "Automated": if r.automated { "[OK]" } else { "" },
                "Tag": r.tag.clone().unwrap_or_default(),
            })
        })
        .collect();
    let default = if a.list_tags {
        "table {{.Name}}\t{{.Tag}}"
    } else {
        "table {{.Name}}\t{{.Description}}\t{{.Stars}}\t{{.Official}}"
    };
    let headers: serde_json::Value = serde_json::from_str(HEADERS)?;
    crate::cmd::print(&format::render(
        a.format.as_deref(),
        default,
        &headers,
        &rows,
    )?)?;
    Ok(ExitCode::SUCCESS)
}
