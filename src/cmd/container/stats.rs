//! `berth stats` / `berth container stats`: what running containers use, in Docker's columns
//! (docker/cli `formatter/stats.go`).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::Args;
use serde_json::{Value, json};

use crate::cmd::{format, print, print_error};
use crate::context::Context;
use crate::ops::{self, StatsOptions, StatsSample};

#[derive(Debug, Args)]
#[command(
    after_long_help = "CPU % is measured over the time between two samples (half a second with --no-stream). MEM USAGE comes from the container's memory cgroup (less inactive file pages, as Docker counts it); a container without one shows -- there: rootless berth on a host that delegates no cgroup v2 subtree, --cgroups disabled, or on a cgroup v1 host a container started without a memory limit (berth makes a v1 memory cgroup only for a limit). CPU %, NET I/O, BLOCK I/O and PIDS come from /proc for every process in the container, so they are shown for every running container.\n\nExamples:\n  berth stats\n  berth stats --no-stream web db\n  berth stats -a --no-stream --format '{{.Name}} {{.MemUsage}}'\n  berth stats --no-stream --format json"
)]
pub struct StatsArgs {
    /// Show all containers (default shows just running)
    #[arg(short, long)]
    pub all: bool,
    /// Print one table and exit instead of refreshing it every second
    #[arg(long)]
    pub no_stream: bool,
    /// Don't truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Format output with a Go template, "table …", or "json"
    #[arg(long)]
    pub format: Option<String>,
    /// The containers, by name or id (default: all running)
    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

/// docker/cli `defaultStatsTableFormat`.
const TABLE: &str = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
const HEADERS: &str = r#"{"Container":"CONTAINER","ID":"CONTAINER ID","Name":"NAME","CPUPerc":"CPU %","MemUsage":"MEM USAGE / LIMIT","MemPerc":"MEM %","NetIO":"NET I/O","BlockIO":"BLOCK I/O","PIDs":"PIDS"}"#;

pub fn run(ctx: &Context, a: StatsArgs) -> Result<ExitCode> {
    let headers: Value = serde_json::from_str(HEADERS)?;
    let fmt = a.format.as_deref();
    // A bad template fails before any sampling.
    format::render(fmt, TABLE, &headers, &[])?;
    let opts = StatsOptions {
        targets: a.containers.clone(),
        all: a.all,
    };
    let terminal = std::io::stdout().is_terminal();
    let mut before: HashMap<String, StatsSample> = HashMap::new();
    let mut first = true;
    loop {
        if first {
            for s in ops::stats(ctx, &opts)?.into_iter().flatten() {
                before.insert(s.id.to_string(), s);
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let mut rows = Vec::new();
        let mut failed = false;
        let mut now = HashMap::new();
        for r in ops::stats(ctx, &opts)? {
            match r {
                Ok(s) => {
                    rows.push(row(&s, before.get(s.id.as_str()), a.no_trunc));
                    now.insert(s.id.to_string(), s);
                }
                Err(e) => {
                    print_error(&e);
                    failed = true;
                }
            }
        }
        if failed {
            return Ok(ExitCode::from(125));
        }
        let table = format::render(fmt, TABLE, &headers, &rows)?;
        if a.no_stream {
            print(&table)?;
            return Ok(ExitCode::SUCCESS);
        }
        if terminal {
            // Docker's redraw: clear the screen, cursor home.
            print(&format!("\x1b[2J\x1b[H{table}"))?;
        } else {
            print(&table)?;
        }
        before = now;
        first = false;
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// One table row in docker/cli's `StatsEntry` shape.
fn row(s: &StatsSample, before: Option<&StatsSample>, no_trunc: bool) -> Value {
    let cpu = match before {
        Some(b) if s.running => {
            let wall = s.at.duration_since(b.at).as_nanos() as f64;
            let used = s.cpu_ns.saturating_sub(b.cpu_ns) as f64;
            if wall > 0.0 { used / wall * 100.0 } else { 0.0 }
        }
        _ => 0.0,
    };
    let (mem_usage, mem_perc) = match s.memory {
        Some(m) => (
            format!(
                "{} / {}",
                format::bytes_size(m),
                format::bytes_size(s.memory_limit)
            ),
            if s.memory_limit > 0 {
                format!("{:.2}%", m as f64 / s.memory_limit as f64 * 100.0)
            } else {
                "0.00%".to_string()
            },
        ),
        None => ("-- / --".to_string(), "--".to_string()),
    };
    let io = |a: u64, b: u64| {
        format!(
            "{} / {}",
            format::human_size_precision(a, 3),
            format::human_size_precision(b, 3)
        )
    };
    let id = if no_trunc {
        s.id.as_str()
    } else {
        s.id.short()
    };
    json!({
        "Container": s.target,
        "ID": id,
        "Name": s.name,
        "CPUPerc": format!("{cpu:.2}%"),
        "MemUsage": mem_usage,
        "MemPerc": mem_perc,
        "NetIO": io(s.net_rx, s.net_tx),
        "BlockIO": io(s.blk_read, s.blk_write),
        "PIDs": s.pids.to_string(),
    })
}
