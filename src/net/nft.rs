//! nftables rules of root bridge networks: one table per network, `inet berth-<id12>`, so
//! that `nft list ruleset` shows berth's rules apart from everyone else's and removing a network
//! removes exactly its rules (deleting one table cannot race another network's rules, as
//! flushing chains of a shared table would).
//!
//! The rules: traffic between this network's bridge and another berth bridge is dropped (the
//! host would otherwise route between networks when forwarding is on); an `--internal` network
//! forwards nothing in or out; other networks masquerade what leaves the subnet (egress,
//! effective where the host forwards IPv4). Applied with `nft -f -` in one transaction.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail};

/// Where nft is looked for.
const PROGRAMS: [&str; 3] = ["/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft"];

/// What one network's table says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkRules {
    /// The table's name, `berth-<id12>`.
    pub table: String,
    pub bridge: String,
    /// The subnet, `A.B.C.D/N`.
    pub subnet: String,
    pub internal: bool,
}

/// True when nft is installed.
pub fn installed() -> bool {
    program().is_ok()
}

fn program() -> Result<PathBuf> {
    PROGRAMS
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .context("bridge networks need nft (Debian package nftables), which is not installed")
}

/// The table name of the network with id `id`.
pub fn table_name(id: &str) -> String {
    format!("berth-{}", id.get(..12).unwrap_or(id))
}

/// The nft script that (re)makes `r`'s table, atomically.
pub fn script(r: &NetworkRules) -> String {
    let (t, br, net) = (&r.table, &r.bridge, &r.subnet);
    let mut forward = Vec::new();
    if r.internal {
        forward.push(format!("iifname \"{br}\" oifname != \"{br}\" drop"));
        forward.push(format!("oifname \"{br}\" iifname != \"{br}\" drop"));
    } else {
        for other in ["br-*", "berth0"] {
            forward.push(format!(
                "iifname \"{br}\" oifname \"{other}\" oifname != \"{br}\" drop"
            ));
            forward.push(format!(
                "oifname \"{br}\" iifname \"{other}\" iifname != \"{br}\" drop"
            ));
        }
    }
    let mut s = format!(
        "add table inet {t}\nflush table inet {t}\ntable inet {t} {{\n  chain forward {{\n    type filter hook forward priority filter; policy accept;\n"
    );
    for rule in forward {
        s.push_str(&format!("    {rule}\n"));
    }
    s.push_str("  }\n");
    if !r.internal {
        s.push_str(&format!(
            "  chain postrouting {{\n    type nat hook postrouting priority srcnat; policy accept;\n    ip saddr {net} ip daddr != {net} masquerade\n  }}\n"
        ));
    }
    s.push_str("}\n");
    s
}

fn nft(input: &str) -> Result<()> {
    let program = program()?;
    let mut child = Command::new(&program)
        .args(["-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {}", program.display()))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .context("writing rules to nft")?;
    }
    let out = child.wait_with_output().context("waiting for nft")?;
    if !out.status.success() {
        bail!(
            "nft failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// Makes (or remakes) the table of a network.
pub fn apply(r: &NetworkRules) -> Result<()> {
    nft(&script(r)).with_context(|| format!("setting up nftables table inet {}", r.table))
}

/// Deletes table `table` if it exists.
pub fn remove(table: &str) -> Result<()> {
    // `add` first makes the delete succeed when the table is not there.
    nft(&format!(
        "add table inet {table}\ndelete table inet {table}\n"
    ))
    .with_context(|| format!("removing nftables table inet {table}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_isolate_networks_and_masquerade_egress() {
        let r = NetworkRules {
            table: table_name(&"ab".repeat(32)),
            bridge: "br-abababababab".into(),
            subnet: "10.89.0.0/24".into(),
            internal: false,
        };
        let s = script(&r);
        assert!(s.starts_with(
            "add table inet berth-abababababab\nflush table inet berth-abababababab\n"
        ));
        assert!(s.contains(
            "iifname \"br-abababababab\" oifname \"br-*\" oifname != \"br-abababababab\" drop"
        ));
        assert!(s.contains("ip saddr 10.89.0.0/24 ip daddr != 10.89.0.0/24 masquerade"));
        let internal = script(&NetworkRules {
            internal: true,
            ..r
        });
        assert!(
            internal.contains("iifname \"br-abababababab\" oifname != \"br-abababababab\" drop")
        );
        assert!(!internal.contains("masquerade"));
    }
}
