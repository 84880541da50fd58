//! `berth history`.

use std::process::ExitCode;

use anyhow::Result;
use clap::{ArgAction, Args};
use serde_json::{Value, json};

use super::times;
use crate::cmd::format;
use crate::context::Context;
use crate::ops;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth history busybox\n  berth history --no-trunc --format '{{.CreatedBy}}' busybox"
)]
pub struct HistoryArgs {
    /// Print sizes and dates in human-readable form
    #[arg(short = 'H', long, default_value_t = true, action = ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub human: bool,
    /// Don't truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Only show image IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Format output with a Go template, "table …", or "json"
    #[arg(long)]
    pub format: Option<String>,
    /// The image, by name or id
    pub image: String,
}

const HEADERS: &str = r#"{"ID":"IMAGE","CreatedSince":"CREATED","CreatedAt":"CREATED AT","CreatedBy":"CREATED BY","Size":"SIZE","Comment":"COMMENT"}"#;
const CREATED_BY_WIDTH: usize = 45;

/// Docker's stringutils.Ellipsis.
fn ellipsis(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

pub fn run(ctx: &Context, a: HistoryArgs) -> Result<ExitCode> {
    let rows: Vec<Value> = ops::history(ctx, &a.image)?
        .into_iter()
        .map(|h| {
            let id = match &h.id {
                Some(id) if a.no_trunc => id.clone(),
                Some(id) => id.trim_start_matches("sha256:").chars().take(12).collect(),
                None => "<missing>".to_string(),
            };
            let (since, at) = times(h.created.as_deref());
            let created_by = h.created_by.replace('\t', " ");
            let created_by = if a.no_trunc {
                created_by
            } else {
                ellipsis(&created_by, CREATED_BY_WIDTH)
            };
            json!({
                "ID": id,
                "CreatedSince": if a.human { since } else { h.created.clone().unwrap_or_default() },
                "CreatedAt": if a.human { at } else { h.created.clone().unwrap_or_default() },
                "CreatedBy": created_by,
                "Size": if a.human { format::human_size_precision(h.size, 3) } else { h.size.to_string() },
                "Comment": h.comment,
            })
        })
        .collect();
    let default = if a.quiet {
        "{{.ID}}"
    } else {
        "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
    };
    let headers: Value = serde_json::from_str(HEADERS)?;
    let fmt = if a.quiet { None } else { a.format.as_deref() };
    crate::cmd::print(&format::render(fmt, default, &headers, &rows)?)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ellipsis_matches_docker() {
        assert_eq!(super::ellipsis("short", 45), "short");
        let long = "x".repeat(50);
        let e = super::ellipsis(&long, 45);
        assert_eq!(e.chars().count(), 45);
        assert!(e.ends_with('…'));
    }
}
