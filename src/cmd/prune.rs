//! What every `prune` command shares: Docker's confirmation and its report.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Result, bail};

use crate::cmd::format;
use crate::error;

/// Docker's "WARNING! This will remove `what`." question, answered on a terminal; true for
/// yes. Without a terminal there is nobody to ask: an error that says to pass --force.
pub fn confirm(command: &str, what: &str) -> Result<bool> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        bail!(error::invalid(format!(
            "{command} asks for confirmation and stdin is not a terminal: pass --force"
        )));
    }
    eprint!("WARNING! This will remove {what}.\nAre you sure you want to continue? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// Docker's report: `heading` and the `lines` removed (nothing when none), then the space
/// reclaimed.
pub fn report(heading: &str, lines: &[String], reclaimed: u64) -> String {
    let mut out = String::new();
    if !lines.is_empty() {
        out.push_str(heading);
        out.push_str(":\n");
        for l in lines {
            out.push_str(l);
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "Total reclaimed space: {}\n",
        format::human_size(reclaimed)
    ));
    out
}
