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

/// Whether the `inet` table `name` exists, asked of the kernel with one nf_tables netlink
/// request (NFT_MSG_GETTABLE) rather than by running nft. Needs CAP_NET_ADMIN, as nft does.
pub fn inet_table_exists(name: &str) -> Result<bool> {
    use nix::sys::socket::{
        AddressFamily, MsgFlags, NetlinkAddr, SockFlag, SockProtocol, SockType, recv, sendto,
        socket,
    };
    use std::os::fd::AsRawFd;
    const NFNL_SUBSYS_NFTABLES: u16 = 10;
    const NFT_MSG_NEWTABLE: u16 = 0;
    const NFT_MSG_GETTABLE: u16 = 1;
    const NLMSG_ERROR: u16 = 2;
    const NLM_F_REQUEST: u16 = 1;
    const NLM_F_ACK: u16 = 4;
    const NFPROTO_INET: u8 = 1;
    const NFTA_TABLE_NAME: u16 = 1;
    let fd = socket(
        AddressFamily::Netlink,
        SockType::Raw,
        SockFlag::SOCK_CLOEXEC,
        SockProtocol::NetlinkNetFilter,
    )
    .context("opening an nf_tables netlink socket")?;
    let msg = gettable_request(
        name,
        NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETTABLE,
        NLM_F_REQUEST | NLM_F_ACK,
        NFPROTO_INET,
        NFTA_TABLE_NAME,
    );
    sendto(
        fd.as_raw_fd(),
        &msg,
        &NetlinkAddr::new(0, 0),
        MsgFlags::empty(),
    )
    .context("asking nf_tables for a table")?;
    // The table (NFT_MSG_NEWTABLE) then an acknowledgement, or an error: ENOENT when missing.
    let mut seen = false;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = recv(fd.as_raw_fd(), &mut buf, MsgFlags::empty())
            .context("reading nf_tables' answer")?;
        let mut off = 0;
        while off + 16 <= n {
            let word = |at: usize| u32::from_ne_bytes(buf[at..at + 4].try_into().unwrap_or([0; 4]));
            let len = word(off) as usize;
            let kind = u16::from_ne_bytes([buf[off + 4], buf[off + 5]]);
            if kind == NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWTABLE {
                seen = true;
            } else if kind == NLMSG_ERROR {
                if off + 20 > n {
                    bail!("a short netlink error message from nf_tables");
                }
                let errno = word(off + 16) as i32;
                return match -errno {
                    0 => Ok(seen),
                    libc::ENOENT => Ok(false),
                    e => Err(std::io::Error::from_raw_os_error(e))
                        .with_context(|| format!("asking nf_tables for table {name}")),
                };
            }
            if len < 16 {
                bail!("a malformed netlink message from nf_tables");
            }
            off += (len + 3) & !3;
        }
    }
}

/// The bytes of an nf_tables request of `kind` for table `name` of `family`.
fn gettable_request(name: &str, kind: u16, flags: u16, family: u8, name_attr: u16) -> Vec<u8> {
    let attr_len = 4 + name.len() + 1;
    let total = 16 + 4 + ((attr_len + 3) & !3);
    let mut m = Vec::with_capacity(total);
    m.extend_from_slice(&u32::try_from(total).unwrap_or(u32::MAX).to_ne_bytes());
    m.extend_from_slice(&kind.to_ne_bytes());
    m.extend_from_slice(&flags.to_ne_bytes());
    m.extend_from_slice(&1u32.to_ne_bytes()); // sequence
    m.extend_from_slice(&0u32.to_ne_bytes()); // port: the kernel's
    m.push(family); // nfgenmsg: family, NFNETLINK_V0, resource id 0
    m.push(0);
    m.extend_from_slice(&0u16.to_be_bytes());
    m.extend_from_slice(&u16::try_from(attr_len).unwrap_or(u16::MAX).to_ne_bytes());
    m.extend_from_slice(&name_attr.to_ne_bytes());
    m.extend_from_slice(name.as_bytes());
    m.push(0);
    m.resize(total, 0);
    m
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

/// One container's published ports on a bridge network: table `ip berth-c-<id12>`, DNAT from
/// the host's addresses (and from the host itself, 127.0.0.1 included) to the container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortRules {
    pub table: String,
    pub bridge: String,
    pub address: std::net::Ipv4Addr,
    /// Host ports resolved (none is 0).
    pub ports: Vec<super::ports::PortMapping>,
}

/// The table name of the published ports of container `id`.
pub fn ports_table_name(id: &str) -> String {
    format!("berth-c-{}", id.get(..12).unwrap_or(id))
}

/// The nft script that (re)makes `r`'s table. IPv6 host addresses are refused (the bridge
/// networks are IPv4).
pub fn port_script(r: &PortRules) -> Result<String> {
    let mut dnat = Vec::new();
    for p in &r.ports {
        let only = match p.host_ip {
            None => "fib daddr type local".to_string(),
            Some(std::net::IpAddr::V4(ip)) if ip.is_unspecified() => {
                "fib daddr type local".to_string()
            }
            Some(std::net::IpAddr::V4(ip)) => format!("ip daddr {ip}"),
            Some(std::net::IpAddr::V6(ip)) => bail!(crate::error::invalid(format!(
                "cannot publish on {ip}: bridge networks are IPv4"
            ))),
        };
        for (container, _, host) in p.each() {
            dnat.push(format!(
                "{only} {proto} dport {host} dnat to {}:{container}",
                r.address,
                proto = p.proto.as_str()
            ));
        }
    }
    let (t, br) = (&r.table, &r.bridge);
    let mut s = format!("add table ip {t}\nflush table ip {t}\ntable ip {t} {{\n");
    for (chain, hook, prio) in [
        ("prerouting", "prerouting", "dstnat"),
        ("output", "output", "-100"),
    ] {
        s.push_str(&format!(
            "  chain {chain} {{\n    type nat hook {hook} priority {prio}; policy accept;\n"
        ));
        for rule in &dnat {
            s.push_str(&format!("    {rule}\n"));
        }
        s.push_str("  }\n");
    }
    // The host's own connections to 127.0.0.1:PORT leave with a loopback source, which the
    // container could not answer: they take the gateway's address instead.
    s.push_str(&format!(
        "  chain postrouting {{\n    type nat hook postrouting priority srcnat; policy accept;\n    oifname \"{br}\" ip saddr 127.0.0.0/8 masquerade\n  }}\n}}\n"
    ));
    Ok(s)
}

/// Makes (or remakes) a container's port table.
pub fn apply_ports(r: &PortRules) -> Result<()> {
    nft(&port_script(r)?)
        .with_context(|| format!("publishing ports (nftables table ip {})", r.table))
}

/// Deletes a container's port table if it exists.
pub fn remove_ports(table: &str) -> Result<()> {
    nft(&format!("add table ip {table}\ndelete table ip {table}\n"))
        .with_context(|| format!("removing nftables table ip {table}"))
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
    fn a_table_is_seen_over_netlink_exactly_while_it_exists() {
        use crate::runtime::test_support::{require_root, skip};
        if !require_root("a_table_is_seen_over_netlink_exactly_while_it_exists") {
            return;
        }
        if program().is_err() {
            skip("skipped: needs nft");
            return;
        }
        let name = format!("berth-test-{}", std::process::id());
        assert!(!inet_table_exists(&name).unwrap());
        nft(&format!("add table inet {name}\n")).unwrap();
        let seen = inet_table_exists(&name);
        nft(&format!("delete table inet {name}\n")).unwrap();
        assert!(seen.unwrap(), "the table was there");
        assert!(!inet_table_exists(&name).unwrap());
        // An ip (not inet) table of that name is another table.
        nft(&format!("add table ip {name}\n")).unwrap();
        let other = inet_table_exists(&name);
        nft(&format!("delete table ip {name}\n")).unwrap();
        assert!(!other.unwrap());
    }

    #[test]
    fn port_scripts_dnat_each_port() {
        let r = PortRules {
            table: ports_table_name(&"cd".repeat(32)),
            bridge: "br-x".into(),
            address: "10.89.0.2".parse().unwrap(),
            ports: vec![
                crate::net::ports::parse("8080-8081:80-81").unwrap(),
                crate::net::ports::parse("127.0.0.1:9000:90/udp").unwrap(),
            ],
        };
        let s = port_script(&r).unwrap();
        assert!(s.contains("fib daddr type local tcp dport 8080 dnat to 10.89.0.2:80"));
        assert!(s.contains("fib daddr type local tcp dport 8081 dnat to 10.89.0.2:81"));
        assert!(s.contains("ip daddr 127.0.0.1 udp dport 9000 dnat to 10.89.0.2:90"));
        assert!(s.contains("oifname \"br-x\" ip saddr 127.0.0.0/8 masquerade"));
        let v6 = PortRules {
            ports: vec![crate::net::ports::parse("[::1]:8080:80").unwrap()],
            ..r
        };
        assert!(port_script(&v6).is_err());
    }

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
