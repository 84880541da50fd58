//! A container's name resolution files and the options that shape them: `--dns`,
//! `--dns-search`, `--dns-option`, `--add-host`, `--network-alias` (kept in the container
//! record as [`NetConfig`]), and the text of its `/etc/hosts` and `/etc/resolv.conf`.
//!
//! Pure: this module reads no files and knows no store. Callers hand it the host's own files and
//! the container's addresses, and write what it returns.

use std::net::{IpAddr, Ipv4Addr};

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use crate::error;

/// The names the host is known by inside a container (Podman's, then Docker's).
pub const HOST_NAMES: &str = "host.containers.internal host.docker.internal";
/// `--add-host NAME:host-gateway`: the host's address as the container reaches it.
pub const HOST_GATEWAY: &str = "host-gateway";
/// glibc reads at most this many nameservers (resolv.h MAXNS).
const MAX_NAMESERVERS: usize = 3;

/// What the user asked of name resolution, kept in the container record (checked at create).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetConfig {
    /// `--dns`: nameservers (IP addresses).
    pub dns: Vec<String>,
    /// `--dns-search`: search domains; `.` alone means none.
    pub dns_search: Vec<String>,
    /// `--dns-option`: resolv.conf options.
    pub dns_options: Vec<String>,
    /// `--add-host`: `NAME:IP`, as given.
    pub add_hosts: Vec<String>,
    /// `--network-alias`: more names of the container on its (user-defined) network.
    pub aliases: Vec<String>,
    /// Networks added by `network connect`, in order (`eth1`, `eth2`, …).
    pub connected: Vec<Connection>,
    /// `-P`: every exposed port was published on a random host port (they are in the
    /// record's ports).
    pub publish_all: bool,
    /// `--expose`: more ports the container offers.
    pub expose: Vec<String>,
    /// `--mac-address`: the container's MAC address on its (bridge) network.
    pub mac_address: Option<String>,
}

/// One network a container was connected to after its create.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Connection {
    /// The network's name.
    pub network: String,
    /// `network connect --alias`.
    pub aliases: Vec<String>,
    /// The address allocated at connect.
    pub ip: Option<Ipv4Addr>,
}

impl NetConfig {
    /// Checks every option: bad addresses, names and options are InvalidInput.
    pub fn check(&self) -> Result<()> {
        for d in &self.dns {
            if d.parse::<IpAddr>().is_err() {
                bail!(error::invalid(format!(
                    "invalid --dns {d:?}: expected an IP address"
                )));
            }
        }
        for s in &self.dns_search {
            if s != "." && !valid_domain(s) {
                bail!(error::invalid(format!(
                    "invalid --dns-search {s:?}: expected a domain name"
                )));
            }
        }
        for o in &self.dns_options {
            if o.is_empty() || o.chars().any(|c| c.is_whitespace() || c.is_control()) {
                bail!(error::invalid(format!(
                    "invalid --dns-option {o:?}: expected one option such as ndots:2"
                )));
            }
        }
        for h in &self.add_hosts {
            parse_add_host(h)?;
        }
        if let Some(m) = &self.mac_address {
            parse_mac(m)?;
        }
        for a in &self.aliases {
            if !valid_domain(a) {
                bail!(error::invalid(format!(
                    "invalid --network-alias {a:?}: expected a host name (letters, digits, '-', '.')"
                )));
            }
        }
        Ok(())
    }
}

/// Parses `--mac-address`: six hex bytes separated by `:` (or `-`), unicast.
pub fn parse_mac(s: &str) -> Result<[u8; 6]> {
    let bad = |why: &str| error::invalid(format!("invalid --mac-address {s:?}: {why}"));
    let parts: Vec<&str> = s.split([':', '-']).collect();
    if parts.len() != 6 {
        return Err(bad("expected six hex bytes such as 92:d0:c6:0a:29:33"));
    }
    let mut mac = [0u8; 6];
    for (b, p) in mac.iter_mut().zip(&parts) {
        if p.len() != 2 {
            return Err(bad("expected six hex bytes such as 92:d0:c6:0a:29:33"));
        }
        *b = u8::from_str_radix(p, 16)
            .map_err(|_| bad("expected six hex bytes such as 92:d0:c6:0a:29:33"))?;
    }
    if mac[0] & 1 == 1 {
        return Err(bad("it is a multicast address (the first byte is odd)"));
    }
    if mac == [0; 6] {
        return Err(bad("it is all zeros"));
    }
    Ok(mac)
}

/// Where `--add-host` points a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostTarget {
    Ip(IpAddr),
    /// `host-gateway`: the host's address as seen from the container.
    HostGateway,
}

/// Parses `--add-host NAME:IP` (also `NAME=IP`, `NAME:[IPv6]`, `NAME:host-gateway`).
pub fn parse_add_host(s: &str) -> Result<(String, HostTarget)> {
    let bad = |why: &str| error::invalid(format!("invalid --add-host {s:?}: {why}"));
    let cut = match (s.find(':'), s.find('=')) {
        (Some(c), Some(e)) => c.min(e),
        (Some(c), None) => c,
        (None, Some(e)) => e,
        (None, None) => return Err(bad("expected NAME:IP or NAME:host-gateway")),
    };
    let (name, value) = (&s[..cut], &s[cut + 1..]);
    if !valid_domain(name) {
        return Err(bad(
            "the name must be a host name (letters, digits, '-', '.')",
        ));
    }
    if value == HOST_GATEWAY {
        return Ok((name.to_string(), HostTarget::HostGateway));
    }
    let bare = value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .unwrap_or(value);
    let ip = bare
        .parse::<IpAddr>()
        .map_err(|_| bad("expected an IP address or host-gateway after the name"))?;
    Ok((name.to_string(), HostTarget::Ip(ip)))
}

/// A host or domain name: dot-separated labels of letters, digits, `-` and `_`, 1–63 bytes each,
/// at most 253 in all.
pub fn valid_domain(s: &str) -> bool {
    let s = s.strip_suffix('.').unwrap_or(s);
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// What a container's network gives its name files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetView {
    /// `--network host`: the host's own files are the base.
    pub host_network: bool,
    /// The container's own address, when it has one (bridge networks).
    pub address: Option<Ipv4Addr>,
    /// The host's address as the container reaches it: a bridge network's gateway, the address
    /// pasta maps to the host; None for `none` and `host`.
    pub host_address: Option<IpAddr>,
    /// The nameserver that answers container names (a user-defined network's gateway).
    pub dns_server: Option<Ipv4Addr>,
    /// Drop loopback nameservers of the host (unreachable from a private namespace with a
    /// route out: bridge networks).
    pub drop_loopback: bool,
}

/// The container's /etc/hosts. `host_hosts` is the host's /etc/hosts (used with
/// `--network host`). An `--add-host NAME:host-gateway` without a host address is an error.
pub fn hosts(
    names: &NetConfig,
    net: &NetView,
    hostname: &str,
    name: &str,
    host_hosts: &str,
) -> Result<String> {
    let mut out = if net.host_network {
        let mut h = host_hosts.to_string();
        if !h.is_empty() && !h.ends_with('\n') {
            h.push('\n');
        }
        h
    } else {
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n".to_string()
    };
    let host_gateway = match (net.host_network, net.host_address) {
        (true, _) => Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        (false, a) => a,
    };
    for h in &names.add_hosts {
        let (n, target) = parse_add_host(h)?;
        let ip = match target {
            HostTarget::Ip(ip) => ip,
            HostTarget::HostGateway => host_gateway.ok_or_else(|| {
                error::invalid(format!(
                    "--add-host {h:?}: host-gateway needs a network that reaches the host (bridge, a network of your own, pasta or host), not --network none"
                ))
            })?,
        };
        out.push_str(&format!("{ip}\t{n}\n"));
    }
    if !net.host_network {
        let me = if name.is_empty() || name == hostname {
            hostname.to_string()
        } else {
            format!("{hostname} {name}")
        };
        match net.address {
            Some(a) => out.push_str(&format!("{a}\t{me}\n")),
            None => out.push_str(&format!("127.0.1.1\t{me}\n")),
        }
        if let Some(h) = net.host_address {
            out.push_str(&format!("{h}\t{HOST_NAMES}\n"));
        }
    }
    Ok(out)
}

/// The container's /etc/resolv.conf, made from the host's (`host_resolv`) with the container's
/// options over it. On a network with name DNS the network's nameserver is the only one (it
/// forwards other names to the container's `--dns` servers or the host's).
pub fn resolv_conf(names: &NetConfig, net: &NetView, host_resolv: &str) -> String {
    let untouched = names.dns.is_empty()
        && names.dns_search.is_empty()
        && names.dns_options.is_empty()
        && net.dns_server.is_none()
        && !net.drop_loopback;
    if untouched {
        return host_resolv.to_string();
    }
    let host = ResolvConf::parse(host_resolv);
    let nameservers: Vec<String> = if let Some(s) = net.dns_server {
        vec![s.to_string()]
    } else if !names.dns.is_empty() {
        names.dns.clone()
    } else {
        host.nameservers
            .into_iter()
            .filter(|n| {
                !net.drop_loopback || n.parse::<IpAddr>().map_or(true, |ip| !ip.is_loopback())
            })
            .collect()
    };
    let search: Vec<String> = if names.dns_search.is_empty() {
        host.search
    } else {
        names
            .dns_search
            .iter()
            .filter(|s| s.as_str() != ".")
            .cloned()
            .collect()
    };
    let options = if names.dns_options.is_empty() {
        host.options
    } else {
        names.dns_options.clone()
    };
    let mut out = String::new();
    if !search.is_empty() {
        out.push_str(&format!("search {}\n", search.join(" ")));
    }
    for n in nameservers.iter().take(MAX_NAMESERVERS) {
        out.push_str(&format!("nameserver {n}\n"));
    }
    if !options.is_empty() {
        out.push_str(&format!("options {}\n", options.join(" ")));
    }
    out
}

/// The parts of a resolv.conf berth uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolvConf {
    pub nameservers: Vec<String>,
    pub search: Vec<String>,
    pub options: Vec<String>,
}

impl ResolvConf {
    /// Reads `nameserver`, `search` (or `domain`: the last one wins, as in glibc) and
    /// `options` lines; anything else is ignored.
    pub fn parse(text: &str) -> ResolvConf {
        let mut r = ResolvConf::default();
        for line in text.lines() {
            let mut words = line.split_whitespace();
            match words.next() {
                Some("nameserver") => r.nameservers.extend(words.next().map(str::to_string)),
                Some("search" | "domain") => r.search = words.map(str::to_string).collect(),
                Some("options") => r.options.extend(words.map(str::to_string)),
                _ => {}
            }
        }
        r
    }

    /// The nameservers that are IP addresses, IPv4 first.
    pub fn addresses(&self) -> Vec<IpAddr> {
        let mut v: Vec<IpAddr> = self
            .nameservers
            .iter()
            .filter_map(|n| n.split('%').next()?.parse().ok())
            .collect();
        v.sort_by_key(|ip| !ip.is_ipv4());
        v
    }
}

/// The default route's gateway in `/proc/net/route` text, if any.
pub fn default_gateway(proc_net_route: &str) -> Option<Ipv4Addr> {
    proc_net_route.lines().skip(1).find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.get(1) != Some(&"00000000") || f.get(7) != Some(&"00000000") {
            return None;
        }
        let gw = u32::from_str_radix(f.get(2)?, 16).ok()?;
        // The kernel prints the address's bytes in memory order as a number (little-endian
        // hosts: the first byte last).
        let ip = Ipv4Addr::from(gw.to_le_bytes());
        (!ip.is_unspecified()).then_some(ip)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> NetConfig {
        NetConfig::default()
    }

    #[test]
    fn add_host_accepts_docker_syntax() {
        let ip = |s: &str| HostTarget::Ip(s.parse().unwrap());
        assert_eq!(
            parse_add_host("db:10.1.2.3").unwrap(),
            ("db".into(), ip("10.1.2.3"))
        );
        assert_eq!(
            parse_add_host("db=10.1.2.3").unwrap(),
            ("db".into(), ip("10.1.2.3"))
        );
        assert_eq!(parse_add_host("v6:::1").unwrap(), ("v6".into(), ip("::1")));
        assert_eq!(
            parse_add_host("v6:[fd00::2]").unwrap(),
            ("v6".into(), ip("fd00::2"))
        );
        assert_eq!(
            parse_add_host("gw:host-gateway").unwrap(),
            ("gw".into(), HostTarget::HostGateway)
        );
        for bad in [
            "db",
            "db:",
            ":1.2.3.4",
            "db:300.1.1.1",
            "d b:1.2.3.4",
            "db:x",
        ] {
            let e = parse_add_host(bad).unwrap_err();
            assert!(
                format!("{e:#}").starts_with(&format!("invalid --add-host {bad:?}")),
                "{e:#}"
            );
        }
    }

    #[test]
    fn mac_addresses_parse() {
        assert_eq!(
            parse_mac("92:d0:c6:0a:29:33").unwrap(),
            [0x92, 0xd0, 0xc6, 0x0a, 0x29, 0x33]
        );
        assert_eq!(parse_mac("02-42-AC-11-00-02").unwrap()[5], 2);
        for bad in [
            "",
            "92:d0:c6:0a:29",
            "92:d0:c6:0a:29:3g",
            "01:00:5e:00:00:01",
            "00:00:00:00:00:00",
            "920:d0:c6:0a:29:33",
        ] {
            let e = parse_mac(bad).unwrap_err();
            assert!(
                format!("{e:#}").starts_with("invalid --mac-address"),
                "{e:#}"
            );
        }
    }

    #[test]
    fn check_refuses_bad_options() {
        let mut n = names();
        n.dns = vec!["1.1.1.1".into(), "fd00::53".into()];
        n.dns_search = vec!["corp".into(), ".".into()];
        n.dns_options = vec!["ndots:2".into()];
        n.aliases = vec!["search".into()];
        n.check().unwrap();
        for bad in [
            NetConfig {
                dns: vec!["dns.example".into()],
                ..names()
            },
            NetConfig {
                dns_search: vec!["a..b".into()],
                ..names()
            },
            NetConfig {
                dns_options: vec!["a b".into()],
                ..names()
            },
            NetConfig {
                aliases: vec!["-x".into()],
                ..names()
            },
        ] {
            assert!(bad.check().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn hosts_lists_the_container_extra_hosts_and_the_host() {
        let n = NetConfig {
            add_hosts: vec![
                "db2:10.1.2.3".into(),
                "gw:host-gateway".into(),
                "six:::1".into(),
            ],
            ..names()
        };
        let net = NetView {
            address: Some("10.89.0.2".parse().unwrap()),
            host_address: Some("10.89.0.1".parse().unwrap()),
            ..NetView::default()
        };
        let h = hosts(&n, &net, "h1", "web", "").unwrap();
        assert_eq!(
            h,
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.1.2.3\tdb2\n10.89.0.1\tgw\n::1\tsix\n10.89.0.2\th1 web\n10.89.0.1\thost.containers.internal host.docker.internal\n"
        );
        // No network: no host, and host-gateway is an error.
        let none = NetView::default();
        let h = hosts(&names(), &none, "abc", "abc", "").unwrap();
        assert!(h.ends_with("127.0.1.1\tabc\n"), "{h}");
        assert!(!h.contains("host.containers.internal"));
        let e = hosts(&n, &none, "abc", "x", "").unwrap_err();
        assert!(format!("{e:#}").contains("host-gateway needs a network"));
        // Host network: the host's file, with the extra hosts after it.
        let host = NetView {
            host_network: true,
            ..NetView::default()
        };
        let h = hosts(&n, &host, "h", "x", "127.0.0.1 localhost").unwrap();
        assert!(
            h.starts_with("127.0.0.1 localhost\n10.1.2.3\tdb2\n127.0.0.1\tgw\n"),
            "{h}"
        );
    }

    #[test]
    fn resolv_conf_takes_the_options_over_the_hosts() {
        let host = "# generated\nsearch lan\nnameserver 127.0.0.53\nnameserver 192.168.1.1\noptions edns0\n";
        // Nothing asked: the host's file as it is.
        assert_eq!(resolv_conf(&names(), &NetView::default(), host), host);
        let n = NetConfig {
            dns: vec!["10.0.0.53".into()],
            dns_search: vec!["corp".into()],
            dns_options: vec!["ndots:2".into(), "timeout:1".into()],
            ..names()
        };
        assert_eq!(
            resolv_conf(&n, &NetView::default(), host),
            "search corp\nnameserver 10.0.0.53\noptions ndots:2 timeout:1\n"
        );
        // A bridge network drops the host's loopback resolver.
        let bridge = NetView {
            drop_loopback: true,
            ..NetView::default()
        };
        assert_eq!(
            resolv_conf(&names(), &bridge, host),
            "search lan\nnameserver 192.168.1.1\noptions edns0\n"
        );
        // A network with name DNS: its server alone.
        let dns = NetView {
            dns_server: Some("10.89.0.1".parse().unwrap()),
            drop_loopback: true,
            ..NetView::default()
        };
        assert_eq!(
            resolv_conf(&n, &dns, host),
            "search corp\nnameserver 10.89.0.1\noptions ndots:2 timeout:1\n"
        );
        let none = NetConfig {
            dns_search: vec![".".into()],
            ..names()
        };
        assert_eq!(
            resolv_conf(&none, &NetView::default(), host),
            "nameserver 127.0.0.53\nnameserver 192.168.1.1\noptions edns0\n"
        );
    }

    #[test]
    fn resolv_conf_parses_and_orders_addresses() {
        let r =
            ResolvConf::parse("nameserver fe80::1%eth0\nnameserver 1.1.1.1\nnameserver bogus\n");
        assert_eq!(
            r.addresses(),
            vec![
                "1.1.1.1".parse::<IpAddr>().unwrap(),
                "fe80::1".parse().unwrap()
            ]
        );
    }

    #[test]
    fn default_gateway_comes_from_proc_net_route() {
        let t = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\neth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        assert_eq!(default_gateway(t), Some("192.168.2.1".parse().unwrap()));
        assert_eq!(default_gateway("Iface\n"), None);
    }
}
