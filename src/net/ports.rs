//! Published ports (`-p`): Docker's syntax, checked at create, resolved (random host ports
//! picked) at each start.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, TcpListener, UdpSocket};

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use crate::error;

/// A transport protocol a port is published for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    Tcp,
    Udp,
}

impl Proto {
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }
}

/// One `-p`: `count` consecutive host ports from `host_port` (0: pick a free one at start)
/// forwarded to as many container ports from `container_port`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortMapping {
    /// The host address to listen on; `None`: every address.
    pub host_ip: Option<IpAddr>,
    pub host_port: u16,
    pub container_port: u16,
    pub count: u16,
    pub proto: Proto,
}

impl fmt::Display for PortMapping {
    /// Docker's `ps` form for the first port: `0.0.0.0:8080->80/tcp`, ranges as
    /// `0.0.0.0:8080-8081->80-81/tcp`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ip = self.host_ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let range = |start: u16| {
            if self.count > 1 {
                format!("{start}-{}", start + (self.count - 1))
            } else {
                start.to_string()
            }
        };
        let host = match ip {
            IpAddr::V6(v6) => format!("[{v6}]"),
            IpAddr::V4(v4) => v4.to_string(),
        };
        write!(
            f,
            "{host}:{}->{}/{}",
            range(self.host_port),
            range(self.container_port),
            self.proto.as_str()
        )
    }
}

impl PortMapping {
    /// One `(container port, host address, host port)` per port of the range.
    pub fn each(&self) -> impl Iterator<Item = (u16, String, u16)> + '_ {
        let ip = self
            .host_ip
            .map_or("0.0.0.0".to_string(), |ip| ip.to_string());
        (0..self.count).map(move |i| {
            (
                self.container_port + i,
                ip.clone(),
                if self.host_port == 0 {
                    0
                } else {
                    self.host_port + i
                },
            )
        })
    }
}

/// Parses `-p [IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]`, where the ports may be ranges
/// (`8080-8081:80-81`) and IPv6 addresses are bracketed (`[::1]:8080:80`).
pub fn parse(spec: &str) -> Result<PortMapping> {
    let bad = |why: &str| error::invalid(format!("invalid -p {spec:?}: {why}"));
    let (rest, proto) = match spec.rsplit_once('/') {
        Some((r, "tcp")) => (r, Proto::Tcp),
        Some((r, "udp")) => (r, Proto::Udp),
        Some((_, p)) => return Err(bad(&format!("unknown protocol {p:?} (tcp or udp)"))),
        None => (spec, Proto::Tcp),
    };
    // The address, if any, is everything before the last two colons (brackets for IPv6).
    let (ip_part, ports) = if let Some(stripped) = rest.strip_prefix('[') {
        let (ip, after) = stripped
            .split_once(']')
            .ok_or_else(|| bad("unclosed '[' in the address"))?;
        let after = after
            .strip_prefix(':')
            .ok_or_else(|| bad("expected ':' after the address"))?;
        (Some(ip), after)
    } else {
        let parts: Vec<&str> = rest.split(':').collect();
        match parts.len() {
            1 | 2 => (None, rest),
            3 => (Some(parts[0]), &rest[parts[0].len() + 1..]),
            _ => return Err(bad("too many ':'")),
        }
    };
    let host_ip = match ip_part {
        None | Some("") => None,
        Some(ip) => Some(
            ip.parse::<IpAddr>()
                .map_err(|_| bad(&format!("{ip:?} is not an IP address")))?,
        ),
    };
    let (host, container) = match ports.split_once(':') {
        Some((h, c)) => (h, c),
        None => ("", ports),
    };
    let (container_port, count) = range(container).ok_or_else(|| {
        bad("the container port must be a number from 1 to 65535, or a range of them")
    })?;
    let host_port = if host.is_empty() {
        if count > 1 {
            return Err(bad("a container port range needs a host port range"));
        }
        0
    } else {
        let (start, n) = range(host).ok_or_else(|| {
            bad("the host port must be a number from 1 to 65535, or a range of them")
        })?;
        if n != count {
            bail!(bad("the host and container port ranges differ in length"));
        }
        start
    };
    Ok(PortMapping {
        host_ip,
        host_port,
        container_port,
        count,
        proto,
    })
}

/// `N` or `N-M` with 1 ≤ N ≤ M ≤ 65535: the start and the count.
fn range(s: &str) -> Option<(u16, u16)> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let (a, b) = (a.parse::<u16>().ok()?, b.parse::<u16>().ok()?);
    (a >= 1 && b >= a).then(|| (a, b - a + 1))
}

/// The mappings with every random host port (0) replaced by a port free on the host now.
/// A given host port that is taken is an error naming it: the forwarder would otherwise settle
/// for whichever of IPv4 and IPv6 it could still bind.
pub fn resolve(ports: &[PortMapping]) -> Result<Vec<PortMapping>> {
    ports
        .iter()
        .map(|p| {
            let mut p = p.clone();
            if p.host_port == 0 {
                p.host_port = free_port(&p)?;
            } else {
                for (_, _, port) in p.each() {
                    check_free(&p, port)?;
                }
            }
            Ok(p)
        })
        .collect()
}

/// Fails when `port` cannot be bound on `p`'s address now.
fn check_free(p: &PortMapping, port: u16) -> Result<()> {
    let ip = p.host_ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let bound = match p.proto {
        Proto::Tcp => TcpListener::bind((ip, port)).map(drop),
        Proto::Udp => UdpSocket::bind((ip, port)).map(drop),
    };
    match bound {
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => bail!(
            "cannot publish {ip}:{port}/{}: the host port is already in use",
            p.proto.as_str()
        ),
        // Other refusals (a privileged port, an address not on this host) are the
        // forwarder's to report.
        _ => Ok(()),
    }
}

/// A port the kernel says is free on `p`'s address, for `p`'s protocol.
fn free_port(p: &PortMapping) -> Result<u16> {
    let ip = p.host_ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let port = match p.proto {
        Proto::Tcp => TcpListener::bind((ip, 0)).and_then(|l| l.local_addr()),
        Proto::Udp => UdpSocket::bind((ip, 0)).and_then(|s| s.local_addr()),
    }
    .map_err(|e| {
        anyhow::anyhow!(
            "finding a free host port on {ip} for -p {}: {e}",
            p.container_port
        )
    })?
    .port();
    Ok(port)
}

/// Refuses host ports below `net.ipv4.ip_unprivileged_port_start` for a rootless caller.
pub fn check_unprivileged(ports: &[PortMapping]) -> Result<()> {
    let start: u16 = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1024);
    for p in ports {
        if p.host_port != 0 && p.host_port < start {
            bail!(error::invalid(format!(
                "cannot publish host port {} without root: ports below {start} are privileged (sysctl net.ipv4.ip_unprivileged_port_start={start}); use a higher host port",
                p.host_port
            )));
        }
    }
    Ok(())
}

/// Parses an exposed port as `--expose` and an image's `ExposedPorts` spell it: `PORT`,
/// `PORT/PROTO` or a range `FIRST-LAST[/PROTO]`; `what` names the source in errors. Returns
/// each port with its protocol.
pub fn parse_exposed(spec: &str, what: &str) -> Result<Vec<(u16, Proto)>> {
    let bad = |why: &str| error::invalid(format!("invalid {what} {spec:?}: {why}"));
    let (ports, proto) = match spec.rsplit_once('/') {
        Some((p, "tcp")) => (p, Proto::Tcp),
        Some((p, "udp")) => (p, Proto::Udp),
        Some((_, p)) => return Err(bad(&format!("unknown protocol {p:?} (tcp or udp)"))),
        None => (spec, Proto::Tcp),
    };
    let port = |s: &str| match s.parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(bad("a port is a number from 1 to 65535")),
    };
    let (first, last) = match ports.split_once('-') {
        Some((a, b)) => (port(a)?, port(b)?),
        None => (port(ports)?, port(ports)?),
    };
    if last < first {
        return Err(bad("the range ends before it starts"));
    }
    Ok((first..=last).map(|p| (p, proto)).collect())
}

/// `-P`: every exposed port (the image's, then `--expose`) that no `-p` publishes already,
/// each on a random host port of every address.
pub fn publish_all<'a>(
    image: impl IntoIterator<Item = &'a str>,
    expose: &[String],
    published: &[PortMapping],
) -> Result<Vec<PortMapping>> {
    let mut all = Vec::new();
    for spec in image {
        // The image's own business: a protocol berth cannot publish (sctp) is left out.
        match parse_exposed(spec, "exposed port of the image") {
            Ok(ports) => all.extend(ports),
            Err(e) => log::warn!("-P: {e:#}"),
        }
    }
    for spec in expose {
        all.extend(parse_exposed(spec, "--expose")?);
    }
    let mut out: Vec<PortMapping> = Vec::new();
    for (port, proto) in all {
        let covered = |p: &PortMapping| {
            p.proto == proto
                && port >= p.container_port
                && u32::from(port) < u32::from(p.container_port) + u32::from(p.count)
        };
        if published.iter().chain(&out).any(covered) {
            continue;
        }
        out.push(PortMapping {
            host_ip: None,
            host_port: 0,
            container_port: port,
            count: 1,
            proto,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn exposed_ports_parse_and_publish_all_skips_published_ones() {
        use super::*;
        assert_eq!(
            parse_exposed("80", "--expose").unwrap(),
            vec![(80, Proto::Tcp)]
        );
        assert_eq!(
            parse_exposed("53/udp", "--expose").unwrap(),
            vec![(53, Proto::Udp)]
        );
        assert_eq!(parse_exposed("8000-8002/tcp", "--expose").unwrap().len(), 3);
        for bad in ["", "0", "x", "80/sctp", "90-80", "70000"] {
            let e = parse_exposed(bad, "--expose").unwrap_err();
            assert!(
                format!("{e:#}").starts_with(&format!("invalid --expose {bad:?}")),
                "{e:#}"
            );
        }
        let published = vec![parse("8080:80").unwrap()];
        let all = publish_all(
            ["80/tcp", "443/tcp", "53/udp", "9/sctp"],
            &["443".to_string(), "9000".to_string()],
            &published,
        )
        .unwrap();
        let got: Vec<(u16, Proto, u16)> = all
            .iter()
            .map(|p| (p.container_port, p.proto, p.host_port))
            .collect();
        assert_eq!(
            got,
            vec![
                (443, Proto::Tcp, 0),
                (53, Proto::Udp, 0),
                (9000, Proto::Tcp, 0)
            ]
        );
    }

    use super::*;

    fn p(host_ip: Option<&str>, host: u16, cont: u16, count: u16, proto: Proto) -> PortMapping {
        PortMapping {
            host_ip: host_ip.map(|i| i.parse().unwrap()),
            host_port: host,
            container_port: cont,
            count,
            proto,
        }
    }

    #[test]
    fn parses_dockers_forms() {
        use Proto::*;
        assert_eq!(parse("80").unwrap(), p(None, 0, 80, 1, Tcp));
        assert_eq!(parse("8080:80").unwrap(), p(None, 8080, 80, 1, Tcp));
        assert_eq!(parse("8080:80/udp").unwrap(), p(None, 8080, 80, 1, Udp));
        assert_eq!(
            parse("127.0.0.1:8080:80").unwrap(),
            p(Some("127.0.0.1"), 8080, 80, 1, Tcp)
        );
        assert_eq!(
            parse("127.0.0.1::80").unwrap(),
            p(Some("127.0.0.1"), 0, 80, 1, Tcp)
        );
        assert_eq!(
            parse("9000-9001:9000-9001/udp").unwrap(),
            p(None, 9000, 9000, 2, Udp)
        );
        assert_eq!(
            parse("[::1]:8080:80").unwrap(),
            p(Some("::1"), 8080, 80, 1, Tcp)
        );
        assert_eq!(
            parse("0.0.0.0:8080-8081:80-81").unwrap().to_string(),
            "0.0.0.0:8080-8081->80-81/tcp"
        );
        assert_eq!(
            parse("[::1]:8080:80").unwrap().to_string(),
            "[::1]:8080->80/tcp"
        );
    }

    #[test]
    fn refuses_nonsense() {
        for bad in [
            "",
            "0",
            "70000",
            "a:80",
            "80/sctp2",
            "1:2:3:4",
            "x.y:80:80",
            "8080-8081:80",
            "80-81",
            "[::1:80:80",
            "81-80:81-80",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn random_ports_are_resolved() {
        let r = resolve(&[p(Some("127.0.0.1"), 0, 80, 1, Proto::Tcp)]).unwrap();
        assert_ne!(r[0].host_port, 0);
    }
}
