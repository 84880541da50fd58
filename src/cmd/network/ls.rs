//! `berth network ls`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use serde_json::{Value, json};

use crate::cmd::format;
use crate::context::Context;
use crate::ops::network::{self, Filter};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth network ls\n  berth network ls -q\n  berth network ls --filter name=app --filter label=tier=front\n  berth network ls --format '{{.Name}} {{.Driver}}'"
)]
pub struct LsArgs {
    /// Only show network IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Don't truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Filter output: name=TEXT (a part of the name), id=PREFIX, label=KEY[=VALUE],
    /// driver=DRIVER
    #[arg(short, long, value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Format output with a Go template, "table …", or "json"
    #[arg(long)]
    pub format: Option<String>,
}

const HEADERS: &str = r#"{"ID":"NETWORK ID","Name":"NAME","Driver":"DRIVER","Scope":"SCOPE","IPv6":"IPV6","Internal":"INTERNAL","Labels":"LABELS","CreatedAt":"CREATED AT"}"#;

pub fn run(ctx: &Context, a: LsArgs) -> Result<ExitCode> {
    let filters = a
        .filter
        .iter()
        .map(|f| f.parse())
        .collect::<Result<Vec<Filter>>>()?;
    let report = network::ls(ctx, &filters)?;
    for (what, why) in &report.broken {
        log::warn!("{what} is broken and not listed: {why}");
    }
    let rows: Vec<Value> = report
        .networks
        .iter()
        .map(|n| {
            let labels: Vec<String> = n.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            json!({
                "CreatedAt": n.created,
                "Driver": n.driver,
                "ID": if a.no_trunc { n.id.as_str() } else { n.short_id() },
                "IPv6": "false",
                "Internal": n.internal.to_string(),
                "Labels": labels.join(","),
                "Name": n.name,
                "Scope": "local",
            })
        })
        .collect();
    let default = if a.quiet {
        "{{.ID}}"
    } else {
        "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}"
    };
    let headers: Value = serde_json::from_str(HEADERS)?;
    let fmt = if a.quiet { None } else { a.format.as_deref() };
    crate::cmd::print(&format::render(fmt, default, &headers, &rows)?)?;
    Ok(ExitCode::SUCCESS)
}
