//! Root bridge networking through rtnetlink: a kernel bridge per network holding the gateway
//! address, and a veth pair per container (the host end on the bridge, the other end the
//! container's `eth0` with its address and default route).
//!
//! Sync netlink (netlink-packet-route messages over a netlink-sys socket), as netavark does:
//! the monitor stays free of an async runtime (STYLE.md 8). The container's side is configured
//! through a netlink socket opened inside its network namespace by a short-lived thread that
//! joins the namespace (setns affects only that thread); the socket stays in the namespace it
//! was made in. Nothing here touches an interface berth did not name.

use std::net::{IpAddr, Ipv4Addr};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};

use anyhow::{Context as _, Result, bail};
use netlink_packet_core::{
    NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, NetlinkHeader, NetlinkMessage,
    NetlinkPayload,
};
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::link::{
    InfoData, InfoKind, InfoVeth, LinkAttribute, LinkFlags, LinkInfo, LinkMessage,
};
use netlink_packet_route::route::{
    RouteAddress, RouteAttribute, RouteHeader, RouteMessage, RouteProtocol, RouteScope, RouteType,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use netlink_sys::{Socket, SocketAddr, protocols::NETLINK_ROUTE};

/// How one container joins one network's bridge (planned by `ops`, applied by [`attach`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BridgePlan {
    /// The network's bridge interface.
    pub bridge: String,
    pub gateway: Ipv4Addr,
    pub prefix: u8,
    /// The container's address.
    pub address: Ipv4Addr,
    /// The host end of the veth pair.
    pub host_veth: String,
    pub mtu: Option<u32>,
    /// The interface's name inside the container (`eth0`, `eth1` for a second network).
    pub inside: String,
    /// `--mac-address` of the interface inside (else the kernel picks a random one).
    pub mac: Option<[u8; 6]>,
    /// Route everything not on a subnet through this network's gateway (the container's first
    /// network, unless `--internal`).
    pub default_route: bool,
    /// The network's nftables table, (re)made at each attach.
    pub rules: super::nft::NetworkRules,
    /// The container's published ports, if any.
    pub ports: Option<super::nft::PortRules>,
    /// The container's other networks (`network connect`), attached after this one.
    pub also: Vec<BridgePlan>,
}

/// What [`attach`] leaves that the container's end must undo: its published ports' table,
/// deleted on drop (the veth pair goes with the namespace by itself).
#[derive(Debug, Default)]
pub struct Attachment {
    ports_tables: Vec<String>,
}

impl Drop for Attachment {
    fn drop(&mut self) {
        for t in self.ports_tables.drain(..) {
            if let Err(e) = super::nft::remove_ports(&t) {
                log::warn!("{e:#}");
            }
        }
    }
}

/// The host end's name for container `id`: `vb` and twelve hex digits (interface names are at
/// most 15 bytes).
pub fn host_veth_name(container_id: &str) -> String {
    format!("vb{}", container_id.get(..12).unwrap_or(container_id))
}

/// The host end's name for container `id` on a network it was connected to (`network
/// connect`): `vc`, seven hex digits of the container's id and five of the network's.
pub fn connected_veth_name(container_id: &str, network_id: &str) -> String {
    format!(
        "vc{}{}",
        container_id.get(..7).unwrap_or(container_id),
        network_id.get(..5).unwrap_or(network_id)
    )
}

/// A route netlink socket.
struct Netlink {
    socket: Socket,
    seq: u32,
}

impl Netlink {
    fn open() -> Result<Netlink> {
        let mut socket = Socket::new(NETLINK_ROUTE).context("opening a netlink socket")?;
        socket.bind_auto().context("binding a netlink socket")?;
        socket
            .connect(&SocketAddr::new(0, 0))
            .context("connecting a netlink socket")?;
        Ok(Netlink { socket, seq: 0 })
    }

    /// Sends `msg` and reads the answers up to its ACK; returns the messages received.
    /// A kernel error comes back as the io::Error of its errno.
    fn request(
        &mut self,
        msg: RouteNetlinkMessage,
        flags: u16,
    ) -> std::io::Result<Vec<RouteNetlinkMessage>> {
        self.seq += 1;
        let mut header = NetlinkHeader::default();
        header.flags = NLM_F_REQUEST | NLM_F_ACK | flags;
        header.sequence_number = self.seq;
        let mut packet = NetlinkMessage::new(header, NetlinkPayload::from(msg));
        packet.finalize();
        let mut buf = vec![0; packet.buffer_len()];
        packet.serialize(&mut buf);
        self.socket.send(&buf, 0)?;
        let mut got = Vec::new();
        loop {
            let (data, _) = self.socket.recv_from_full()?;
            let mut offset = 0;
            while offset < data.len() {
                let m = NetlinkMessage::<RouteNetlinkMessage>::deserialize(&data[offset..])
                    .map_err(|e| std::io::Error::other(format!("bad netlink answer: {e}")))?;
                let len = m.header.length as usize;
                if m.header.sequence_number == self.seq {
                    match m.payload {
                        NetlinkPayload::Error(e) => {
                            return match e.code {
                                None => Ok(got),
                                Some(_) => Err(e.to_io()),
                            };
                        }
                        NetlinkPayload::Done(_) => return Ok(got),
                        NetlinkPayload::InnerMessage(inner) => got.push(inner),
                        _ => {}
                    }
                }
                if len == 0 {
                    break;
                }
                offset += len;
            }
        }
    }

    /// The index of interface `name`, if it exists.
    fn index(&mut self, name: &str) -> Result<Option<u32>> {
        let mut m = LinkMessage::default();
        m.attributes.push(LinkAttribute::IfName(name.to_string()));
        match self.request(RouteNetlinkMessage::GetLink(m), 0) {
            Ok(answers) => Ok(answers.into_iter().find_map(|a| match a {
                RouteNetlinkMessage::NewLink(l) => Some(l.header.index),
                _ => None,
            })),
            Err(e) if e.raw_os_error() == Some(libc::ENODEV) => Ok(None),
            Err(e) => Err(e).with_context(|| format!("looking up interface {name}")),
        }
    }

    fn set_up(&mut self, index: u32, name: &str) -> Result<()> {
        let mut m = LinkMessage::default();
        m.header.index = index;
        m.header.flags = LinkFlags::Up;
        m.header.change_mask = LinkFlags::Up;
        self.request(RouteNetlinkMessage::SetLink(m), 0)
            .with_context(|| format!("bringing {name} up"))?;
        Ok(())
    }

    fn add_address(&mut self, index: u32, name: &str, ip: Ipv4Addr, prefix: u8) -> Result<()> {
        let mut m = AddressMessage::default();
        m.header.family = AddressFamily::Inet;
        m.header.prefix_len = prefix;
        m.header.index = index;
        m.attributes.push(AddressAttribute::Local(IpAddr::V4(ip)));
        m.attributes.push(AddressAttribute::Address(IpAddr::V4(ip)));
        match self.request(
            RouteNetlinkMessage::NewAddress(m),
            NLM_F_CREATE | NLM_F_EXCL,
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("adding {ip}/{prefix} to {name}")),
        }
    }

    fn delete(&mut self, index: u32, name: &str) -> Result<()> {
        let mut m = LinkMessage::default();
        m.header.index = index;
        match self.request(RouteNetlinkMessage::DelLink(m), 0) {
            Ok(_) => Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::ENODEV) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("deleting interface {name}")),
        }
    }
}

/// Makes `bridge` with `gateway/prefix` and brings it up, unless it exists; a bridge made by a
/// parallel berth in the meantime is fine.
fn ensure_bridge(nl: &mut Netlink, plan: &BridgePlan) -> Result<u32> {
    let name = &plan.bridge;
    let index = match nl.index(name)? {
        Some(i) => i,
        None => {
            let mut m = LinkMessage::default();
            m.attributes.push(LinkAttribute::IfName(name.clone()));
            if let Some(mtu) = plan.mtu {
                m.attributes.push(LinkAttribute::Mtu(mtu));
            }
            m.attributes
                .push(LinkAttribute::LinkInfo(vec![LinkInfo::Kind(
                    InfoKind::Bridge,
                )]));
            match nl.request(RouteNetlinkMessage::NewLink(m), NLM_F_CREATE | NLM_F_EXCL) {
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(libc::EEXIST) => {}
                Err(e) => return Err(e).with_context(|| format!("creating bridge {name}")),
            }
            nl.index(name)?
                .with_context(|| format!("bridge {name} vanished after it was created"))?
        }
    };
    nl.add_address(index, name, plan.gateway, plan.prefix)?;
    // Before the bridge forwards anything: the isolation rules come first. They depend only on
    // the network, so a table that is there already is left as it is: running nft costs tens
    // of milliseconds on every container start. A failed look is no answer: apply.
    if !super::nft::inet_table_exists(&plan.rules.table).unwrap_or(false) {
        super::nft::apply(&plan.rules)?;
    }
    if !plan.rules.internal {
        enable_forwarding();
    }
    nl.set_up(index, name)?;
    Ok(index)
}

/// Turns on IPv4 forwarding in this network namespace, which masqueraded egress beyond the
/// host needs, as Docker and Podman (netavark) do when they set up a bridge network; the
/// isolation between networks and the published ports are berth's own nft rules. A failure is
/// a warning: the network still works between its containers and with the host.
fn enable_forwarding() {
    const KNOB: &str = "/proc/sys/net/ipv4/ip_forward";
    if std::fs::read_to_string(KNOB).is_ok_and(|v| v.trim() == "1") {
        return;
    }
    if let Err(e) = std::fs::write(KNOB, "1") {
        log::warn!(
            "cannot turn on IPv4 forwarding ({KNOB}: {e}): containers on bridge networks reach \
             the host but nothing beyond it"
        );
    }
}

/// Connects the network namespace of process `pid` to its network's bridge: the bridge (made
/// if missing), a veth pair with the host end on the bridge, and `eth0` inside with the
/// container's address and (unless internal) a default route via the gateway. The pair goes
/// away with the namespace; on error the host end is removed again.
pub fn attach(plan: &BridgePlan, pid: i32) -> Result<Attachment> {
    let netns = std::fs::File::open(format!("/proc/{pid}/ns/net"))
        .with_context(|| format!("opening the network namespace of process {pid}"))?;
    attach_netns(plan, &OwnedFd::from(netns))
}

/// [`attach`] for the network namespace behind `netns` (a namespace file), with the bridge
/// in the caller's own network namespace (a rootless network's, `runtime::netns`).
pub fn attach_netns(plan: &BridgePlan, netns: &OwnedFd) -> Result<Attachment> {
    let mut nl = Netlink::open()?;
    let mut done = Attachment::default();
    for p in std::iter::once(plan).chain(&plan.also) {
        attach_one(&mut nl, netns, p)?;
        done.ports_tables
            .extend(p.ports.as_ref().map(|t| t.table.clone()));
    }
    Ok(done)
}

/// Connects the running container whose process is `pid` to one more network (`network
/// connect`): as [`attach`] for `plan` alone, which must publish no ports. `still_ours` is
/// asked after the namespace is open, so that a pid reused meanwhile is never joined (I11).
pub fn connect(plan: &BridgePlan, pid: i32, still_ours: &dyn Fn() -> bool) -> Result<()> {
    let netns = std::fs::File::open(format!("/proc/{pid}/ns/net"))
        .with_context(|| format!("opening the network namespace of process {pid}"))?;
    if !still_ours() {
        bail!("the container's process {pid} has ended");
    }
    attach_one(&mut Netlink::open()?, &OwnedFd::from(netns), plan)
}

/// [`connect`] for the network namespace behind `netns`, already checked to be the
/// container's, with the bridge in the caller's own network namespace.
pub fn connect_netns(plan: &BridgePlan, netns: &OwnedFd) -> Result<()> {
    attach_one(&mut Netlink::open()?, netns, plan)
}

/// Brings interface `name` of the caller's network namespace up (`lo` of a new one).
pub fn up(name: &str) -> Result<()> {
    let mut nl = Netlink::open()?;
    let index = nl
        .index(name)?
        .with_context(|| format!("interface {name} does not exist"))?;
    nl.set_up(index, name)
}

/// One veth pair of [`attach`]; on error its host end is removed again.
fn attach_one(nl: &mut Netlink, netns: &OwnedFd, plan: &BridgePlan) -> Result<()> {
    let bridge = ensure_bridge(nl, plan)?;
    let eth = plan.inside.as_str();
    let host = &plan.host_veth;
    // A pair left by a container whose namespace is not gone yet would make this fail.
    if let Some(old) = nl.index(host)? {
        nl.delete(old, host)?;
    }
    let mut peer = LinkMessage::default();
    peer.attributes.push(LinkAttribute::IfName(eth.into()));
    if let Some(mac) = plan.mac {
        peer.attributes.push(LinkAttribute::Address(mac.to_vec()));
    }
    peer.attributes
        .push(LinkAttribute::NetNsFd(netns.as_fd().as_raw_fd()));
    let mut m = LinkMessage::default();
    m.attributes.push(LinkAttribute::IfName(host.clone()));
    if let Some(mtu) = plan.mtu {
        m.attributes.push(LinkAttribute::Mtu(mtu));
        peer.attributes.push(LinkAttribute::Mtu(mtu));
    }
    m.attributes.push(LinkAttribute::Controller(bridge));
    m.attributes.push(LinkAttribute::LinkInfo(vec![
        LinkInfo::Kind(InfoKind::Veth),
        LinkInfo::Data(InfoData::Veth(InfoVeth::Peer(peer))),
    ]));
    nl.request(RouteNetlinkMessage::NewLink(m), NLM_F_CREATE | NLM_F_EXCL)
        .with_context(|| format!("creating veth pair {host}/{eth}"))?;
    let configured = (|| -> Result<()> {
        let index = nl
            .index(host)?
            .with_context(|| format!("veth {host} vanished after it was created"))?;
        nl.set_up(index, host)?;
        let mut inside = in_namespace(netns)?;
        let eth0 = inside
            .index(eth)?
            .with_context(|| format!("{eth} is missing in the container"))?;
        inside.add_address(eth0, eth, plan.address, plan.prefix)?;
        inside.set_up(eth0, eth)?;
        if plan.default_route {
            let mut r = RouteMessage::default();
            r.header = RouteHeader {
                address_family: AddressFamily::Inet,
                table: RouteHeader::RT_TABLE_MAIN,
                protocol: RouteProtocol::Boot,
                scope: RouteScope::Universe,
                kind: RouteType::Unicast,
                ..RouteHeader::default()
            };
            r.attributes
                .push(RouteAttribute::Gateway(RouteAddress::Inet(plan.gateway)));
            r.attributes.push(RouteAttribute::Oif(eth0));
            inside
                .request(RouteNetlinkMessage::NewRoute(r), NLM_F_CREATE | NLM_F_EXCL)
                .with_context(|| format!("adding the default route via {}", plan.gateway))?;
        }
        if let Some(ports) = &plan.ports {
            // The host's own connections to 127.0.0.1 are DNATed onto this bridge; the kernel
            // drops loopback sources on other interfaces unless this (per-interface) is on.
            let knob = format!("/proc/sys/net/ipv4/conf/{}/route_localnet", plan.bridge);
            std::fs::write(&knob, "1").with_context(|| format!("writing {knob}"))?;
            super::nft::apply_ports(ports)?;
        }
        Ok(())
    })();
    if configured.is_err()
        && let Ok(Some(i)) = nl.index(host)
    {
        let _ = nl.delete(i, host);
    }
    configured
}

/// A netlink socket in the network namespace `netns`, opened by a thread that joins it.
fn in_namespace(netns: &OwnedFd) -> Result<Netlink> {
    std::thread::scope(|s| {
        s.spawn(|| -> Result<Netlink> {
            nix::sched::setns(netns.as_fd(), nix::sched::CloneFlags::CLONE_NEWNET)
                .context("joining the container's network namespace")?;
            Netlink::open()
        })
        .join()
        .map_err(|_| {
            anyhow::anyhow!("the thread joining the container's network namespace panicked")
        })?
    })
}

/// Deletes interface `name` (a network's bridge) if it exists.
pub fn delete(name: &str) -> Result<()> {
    let mut nl = Netlink::open()?;
    match nl.index(name)? {
        Some(i) => nl.delete(i, name),
        None => Ok(()),
    }
}

/// True when interface `name` exists (in berth's own network namespace).
pub fn exists(name: &str) -> Result<bool> {
    Ok(Netlink::open()?.index(name)?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_veth_names_fit_ifnamsiz() {
        let n = host_veth_name(&"ab".repeat(32));
        assert_eq!(n, "vbabababababab");
        assert!(n.len() <= 15);
    }

    #[test]
    fn bad_requests_come_back_as_errors() {
        // Needs no privileges: asking for a link that does not exist.
        let mut nl = Netlink::open().unwrap();
        assert_eq!(nl.index("berth-no-such0").unwrap(), None);
        assert!(!exists("berth-no-such0").unwrap());
        assert!(nl.index("lo").unwrap().is_some());
    }
}
