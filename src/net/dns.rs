//! The DNS server of a user-defined network: the wire format of the queries it answers (A and
//! AAAA questions for the names of the network's containers) and the serving loop, on UDP and
//! TCP port 53 of the network's gateway, forwarding every other name to upstream resolvers.
//!
//! The DNS wire format is written here (RFC 1035 §4): berth answers one question per message
//! with A records and relays everything else byte for byte, which needs the header, the
//! question and a fixed-shape answer record — about a hundred lines. The kept crates
//! (hickory-proto, simple-dns) would add a general message model and thousands of lines for
//! that, and hickory pulls in an async stack this synchronous binary has none of.
//!
//! Where names come from, and when the server should stop, is the caller's ([`Names`]): this
//! module knows no store and no containers.

use std::io::{Read as _, Write as _};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsFd, AsRawFd as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::socket::{self, AddressFamily, Backlog, SockFlag, SockType, SockaddrIn, sockopt};

/// DNS's port.
pub const PORT: u16 = 53;
/// TTL of the answers: short, so that a container's new address is seen soon.
const TTL: u32 = 10;
/// How long one upstream resolver gets to answer a forwarded query.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(2);
/// Queries being forwarded or TCP connections served at once; more are dropped (clients retry).
const MAX_IN_FLIGHT: usize = 64;
/// The largest message read (UDP: RFC 6891's common EDNS size; TCP: the 16-bit length).
const MAX_UDP: usize = 4096;

const TYPE_A: u16 = 1;
const TYPE_ANY: u16 = 255;
const CLASS_IN: u16 = 1;
pub const NOERROR: u8 = 0;
pub const SERVFAIL: u8 = 2;
pub const NXDOMAIN: u8 = 3;
const NOTIMP: u8 = 4;

/// One question, as read from a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub id: u16,
    flags: u16,
    /// Lowercase, dot-separated, without the final dot.
    pub name: String,
    pub qtype: u16,
    pub qclass: u16,
    /// Where the question section ends in the message.
    end: usize,
}

impl Query {
    /// Reads a standard query with exactly one question; None for anything else (answers, bad
    /// or compressed names, truncation).
    pub fn parse(msg: &[u8]) -> Option<Query> {
        let u16_at = |i: usize| Some(u16::from_be_bytes([*msg.get(i)?, *msg.get(i + 1)?]));
        let id = u16_at(0)?;
        let flags = u16_at(2)?;
        if flags & 0x8000 != 0 || u16_at(4)? != 1 {
            return None;
        }
        let mut i = 12;
        let mut labels = Vec::new();
        let mut len = 0;
        loop {
            let l = usize::from(*msg.get(i)?);
            i += 1;
            if l == 0 {
                break;
            }
            // A pointer (0xC0) or a reserved label type: not in a question berth answers.
            if l > 63 {
                return None;
            }
            let label = msg.get(i..i + l)?;
            len += l + 1;
            if len > 255 {
                return None;
            }
            labels.push(String::from_utf8_lossy(label).to_ascii_lowercase());
            i += l;
        }
        Some(Query {
            id,
            flags,
            name: labels.join("."),
            qtype: u16_at(i)?,
            qclass: u16_at(i + 2)?,
            end: i + 4,
        })
    }

    /// The opcode (0: a standard query).
    fn opcode(&self) -> u16 {
        (self.flags >> 11) & 0xf
    }

    /// True when the question asks for A records.
    pub fn wants_a(&self) -> bool {
        matches!(self.qtype, TYPE_A | TYPE_ANY)
    }

    /// The answer to this query (`msg`, whose question it copies): `rcode`, and an A record for
    /// each of `addrs`, in that order. Authoritative: the network's names are its own.
    pub fn answer(&self, msg: &[u8], rcode: u8, addrs: &[Ipv4Addr]) -> Vec<u8> {
        let flags = 0x8000 | (self.opcode() << 11) | 0x0400 | (self.flags & 0x0100) | 0x0080;
        let mut out = Vec::with_capacity(self.end + addrs.len() * 16);
        out.extend(self.id.to_be_bytes());
        out.extend((flags | u16::from(rcode & 0xf)).to_be_bytes());
        let count = u16::try_from(addrs.len()).unwrap_or(u16::MAX);
        for n in [1, count, 0, 0] {
            out.extend(n.to_be_bytes());
        }
        out.extend(&msg[12..self.end]);
        for a in addrs.iter().take(usize::from(count)) {
            // The name: a pointer to the question's, at offset 12.
            out.extend([0xc0, 0x0c]);
            out.extend(TYPE_A.to_be_bytes());
            out.extend(CLASS_IN.to_be_bytes());
            out.extend(TTL.to_be_bytes());
            out.extend(4u16.to_be_bytes());
            out.extend(a.octets());
        }
        out
    }
}

/// NOTIMP, with no question, for a query berth does not parse (several questions, an
/// unusual name); None for what is not a query at all (an answer, a short message).
fn refuse(msg: &[u8]) -> Option<Vec<u8>> {
    let head = msg.get(..12)?;
    if head[2] & 0x80 != 0 {
        return None;
    }
    let mut out = head[..4].to_vec();
    out[2] = 0x80 | (head[2] & 0x79);
    out[3] = 0x80 | NOTIMP;
    out.extend([0; 8]);
    Some(out)
}

/// What to do with one message.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    Reply(Vec<u8>),
    Forward,
    Ignore,
}

/// What a network knows about a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A container (or several, by alias) of the network: their addresses.
    Found(Vec<Ipv4Addr>),
    /// Not a name anyone outside the network can answer: NXDOMAIN.
    NoSuchName,
    /// Ask the upstream resolvers.
    Forward,
}

/// Where the names come from, and when to stop; called from several threads.
pub trait Names: Send + Sync {
    /// What `name` (lowercase, no final dot) is on the network.
    fn lookup(&self, name: &str) -> Lookup;
    /// The resolvers to forward a query from `client` to, in order.
    fn upstreams(&self, client: IpAddr) -> Vec<SocketAddr>;
    /// False when the server should stop (checked about once a second).
    fn keep_going(&self) -> bool;
    /// Whether `client` may ask at all: the network's own subnet only, so that the gateway
    /// address (a host address) is no open resolver for anyone who can route to it.
    fn serves(&self, client: IpAddr) -> bool;
}

/// A server's sockets, bound (IP_FREEBIND: before the gateway address exists on its bridge).
#[derive(Debug)]
pub struct Server {
    udp: UdpSocket,
    tcp: TcpListener,
}

impl Server {
    /// Binds UDP and TCP port `port` of `addr`.
    pub fn bind(addr: Ipv4Addr, port: u16) -> Result<Server> {
        let at = SockaddrIn::from(std::net::SocketAddrV4::new(addr, port));
        let what = |proto: &str| format!("binding the DNS server to {addr}:{port}/{proto}");
        let udp = socket::socket(
            AddressFamily::Inet,
            SockType::Datagram,
            SockFlag::SOCK_CLOEXEC,
            None,
        )
        .with_context(|| what("udp"))?;
        socket::setsockopt(&udp, sockopt::IpFreebind, &true).with_context(|| what("udp"))?;
        socket::bind(udp.as_raw_fd(), &at).with_context(|| what("udp"))?;
        let tcp = socket::socket(
            AddressFamily::Inet,
            SockType::Stream,
            SockFlag::SOCK_CLOEXEC,
            None,
        )
        .with_context(|| what("tcp"))?;
        socket::setsockopt(&tcp, sockopt::ReuseAddr, &true).with_context(|| what("tcp"))?;
        socket::setsockopt(&tcp, sockopt::IpFreebind, &true).with_context(|| what("tcp"))?;
        socket::bind(tcp.as_raw_fd(), &at).with_context(|| what("tcp"))?;
        socket::listen(&tcp, Backlog::new(64).unwrap_or(Backlog::MAXCONN))
            .with_context(|| what("tcp"))?;
        Ok(Server {
            udp: UdpSocket::from(udp),
            tcp: TcpListener::from(tcp),
        })
    }

    /// Serves until `names.keep_going()` says stop; returns then, closing the sockets.
    pub fn serve(self, names: Arc<dyn Names>) -> Result<()> {
        let rotation = Arc::new(AtomicUsize::new(0));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let mut checked = Instant::now();
        let mut buf = vec![0u8; MAX_UDP];
        loop {
            let mut fds = [
                PollFd::new(self.udp.as_fd(), PollFlags::POLLIN),
                PollFd::new(self.tcp.as_fd(), PollFlags::POLLIN),
            ];
            match poll(&mut fds, PollTimeout::from(1000u16)) {
                Ok(_) | Err(nix::errno::Errno::EINTR) => {}
                Err(e) => return Err(e).context("waiting for DNS queries"),
            }
            let udp_ready = fds[0].any().unwrap_or(false);
            let tcp_ready = fds[1].any().unwrap_or(false);
            if udp_ready
                && let Ok((n, from)) = self.udp.recv_from(&mut buf)
                && names.serves(from.ip())
            {
                let msg = buf[..n].to_vec();
                match local_answer(&msg, names.as_ref(), &rotation) {
                    Action::Reply(reply) => {
                        let _ = self.udp.send_to(&reply, from);
                    }
                    Action::Ignore => {}
                    Action::Forward => {
                        if let Some(slot) = Slot::take(&in_flight) {
                            let (udp, names) = (self.udp.try_clone(), names.clone());
                            std::thread::spawn(move || {
                                let _slot = slot;
                                let reply = forward_or_fail(&msg, &names.upstreams(from.ip()));
                                if let (Ok(udp), Some(r)) = (udp, reply) {
                                    let _ = udp.send_to(&r, from);
                                }
                            });
                        }
                    }
                }
            }
            if tcp_ready
                && let Ok((stream, from)) = self.tcp.accept()
                && names.serves(from.ip())
                && let Some(slot) = Slot::take(&in_flight)
            {
                let (names, rotation) = (names.clone(), rotation.clone());
                std::thread::spawn(move || {
                    let _slot = slot;
                    serve_tcp(stream, from, names.as_ref(), &rotation);
                });
            }
            if checked.elapsed() >= Duration::from_secs(1) {
                checked = Instant::now();
                if !names.keep_going() {
                    return Ok(());
                }
            }
        }
    }
}

/// One of [`MAX_IN_FLIGHT`] places for a thread, given back on drop.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(count: &Arc<AtomicUsize>) -> Option<Slot> {
        if count.fetch_add(1, Ordering::AcqRel) >= MAX_IN_FLIGHT {
            count.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(Slot(count.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What berth does with `msg`: its own answer, forwarding, or nothing.
fn local_answer(msg: &[u8], names: &dyn Names, rotation: &AtomicUsize) -> Action {
    let Some(q) = Query::parse(msg) else {
        return refuse(msg).map_or(Action::Ignore, Action::Reply);
    };
    if q.opcode() != 0 || q.qclass != CLASS_IN {
        return Action::Forward;
    }
    match names.lookup(&q.name) {
        Lookup::Found(mut addrs) => {
            // Round robin: each answer starts one further along.
            if !addrs.is_empty() {
                let k = rotation.fetch_add(1, Ordering::Relaxed) % addrs.len();
                addrs.rotate_left(k);
            }
            // AAAA and other types of a known name: no records, but the name exists.
            let addrs = if q.wants_a() { addrs } else { Vec::new() };
            Action::Reply(q.answer(msg, NOERROR, &addrs))
        }
        Lookup::NoSuchName => Action::Reply(q.answer(msg, NXDOMAIN, &[])),
        Lookup::Forward => Action::Forward,
    }
}

/// The first upstream answer to `msg`, or SERVFAIL when none answers.
fn forward_or_fail(msg: &[u8], upstreams: &[SocketAddr]) -> Option<Vec<u8>> {
    for u in upstreams {
        match forward(msg, *u) {
            Ok(r) => return Some(r),
            Err(e) => log::debug!("forwarding a DNS query to {u}: {e:#}"),
        }
    }
    Query::parse(msg).map(|q| q.answer(msg, SERVFAIL, &[]))
}

/// Sends `msg` to `upstream` over UDP and returns its answer (same id).
fn forward(msg: &[u8], upstream: SocketAddr) -> Result<Vec<u8>> {
    let local: SocketAddr = match upstream {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (std::net::Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let s = UdpSocket::bind(local)?;
    s.connect(upstream)?;
    s.set_read_timeout(Some(UPSTREAM_TIMEOUT))?;
    s.send(msg)?;
    let mut buf = vec![0u8; MAX_UDP];
    let deadline = Instant::now() + UPSTREAM_TIMEOUT;
    while Instant::now() < deadline {
        let n = s.recv(&mut buf)?;
        if n >= 2 && buf[..2] == msg[..2] {
            return Ok(buf[..n].to_vec());
        }
    }
    anyhow::bail!("no answer")
}

/// Serves DNS over one TCP connection (RFC 7766: two-byte length, then the message), until the
/// client closes it or is idle for 10 s.
fn serve_tcp(mut s: TcpStream, from: SocketAddr, names: &dyn Names, rotation: &AtomicUsize) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = s.set_write_timeout(Some(Duration::from_secs(10)));
    loop {
        let mut len = [0u8; 2];
        if s.read_exact(&mut len).is_err() {
            return;
        }
        let mut msg = vec![0u8; usize::from(u16::from_be_bytes(len))];
        if s.read_exact(&mut msg).is_err() {
            return;
        }
        let reply = match local_answer(&msg, names, rotation) {
            Action::Reply(r) => Some(r),
            Action::Forward => forward_or_fail(&msg, &names.upstreams(from.ip())),
            Action::Ignore => None,
        };
        let Some(reply) = reply else { return };
        let Ok(n) = u16::try_from(reply.len()) else {
            return;
        };
        if s.write_all(&n.to_be_bytes()).is_err() || s.write_all(&reply).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query for `name` of type `qtype`, as a resolver sends it (with RD).
    fn query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
        let mut m = Vec::new();
        m.extend(id.to_be_bytes());
        m.extend(0x0100u16.to_be_bytes());
        m.extend([0, 1, 0, 0, 0, 0, 0, 0]);
        for l in name.split('.') {
            m.push(l.len() as u8);
            m.extend(l.as_bytes());
        }
        m.push(0);
        m.extend(qtype.to_be_bytes());
        m.extend(CLASS_IN.to_be_bytes());
        m
    }

    struct Fixed;
    impl Names for Fixed {
        fn lookup(&self, name: &str) -> Lookup {
            match name {
                "search" => Lookup::Found(vec![
                    "10.1.0.2".parse().unwrap(),
                    "10.1.0.3".parse().unwrap(),
                ]),
                "db" => Lookup::Found(vec!["10.1.0.4".parse().unwrap()]),
                n if !n.contains('.') => Lookup::NoSuchName,
                _ => Lookup::Forward,
            }
        }
        fn upstreams(&self, _: IpAddr) -> Vec<SocketAddr> {
            Vec::new()
        }
        fn keep_going(&self) -> bool {
            true
        }
        fn serves(&self, _: IpAddr) -> bool {
            true
        }
    }

    #[test]
    fn queries_parse_and_bad_ones_do_not() {
        let q = Query::parse(&query(7, "DB.Example", 1)).unwrap();
        assert_eq!((q.id, q.name.as_str(), q.qtype), (7, "db.example", 1));
        let mut answer = query(7, "db", 1);
        answer[2] |= 0x80;
        assert!(Query::parse(&answer).is_none());
        let full = query(7, "db", 1);
        for cut in 0..full.len() {
            assert!(Query::parse(&full[..cut]).is_none(), "cut at {cut}");
        }
        let mut pointer = full.clone();
        pointer[12] = 0xc0;
        assert!(Query::parse(&pointer).is_none());
    }

    #[test]
    fn known_names_get_every_address_in_turn() {
        let r = AtomicUsize::new(0);
        let msg = query(9, "search", 1);
        let reply = |m: &[u8]| match local_answer(m, &Fixed, &r) {
            Action::Reply(a) => a,
            other => panic!("{other:?}"),
        };
        let a = reply(&msg);
        // Header: same id, QR|AA|RD|RA, NOERROR, one question, two answers.
        assert_eq!(&a[..12], &[0, 9, 0x85, 0x80, 0, 1, 0, 2, 0, 0, 0, 0]);
        assert_eq!(&a[12..msg.len()], &msg[12..]);
        let first = &a[msg.len()..];
        assert_eq!(&first[..12], &[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 10, 0, 4]);
        assert_eq!(&first[12..16], &[10, 1, 0, 2]);
        assert_eq!(&first[28..32], &[10, 1, 0, 3]);
        // The next answer starts with the other address.
        let b = reply(&msg);
        assert_eq!(&b[msg.len() + 12..msg.len() + 16], &[10, 1, 0, 3]);
        // AAAA of a known name: NOERROR, no records.
        let aaaa = reply(&query(1, "db", 28));
        assert_eq!(&aaaa[2..8], &[0x85, 0x80, 0, 1, 0, 0]);
        // An unknown single label: NXDOMAIN; anything else goes upstream.
        let nx = reply(&query(1, "nothere", 1));
        assert_eq!(nx[3] & 0xf, NXDOMAIN);
        assert_eq!(
            local_answer(&query(1, "example.com", 1), &Fixed, &r),
            Action::Forward
        );
        // Two questions: NOTIMP; an answer: ignored.
        let mut two = query(2, "db", 1);
        two[5] = 2;
        assert_eq!(reply(&two)[3] & 0xf, NOTIMP);
        let mut answer = query(2, "db", 1);
        answer[2] |= 0x80;
        assert_eq!(local_answer(&answer, &Fixed, &r), Action::Ignore);
    }

    #[test]
    fn no_upstream_is_servfail() {
        let msg = query(3, "example.com", 1);
        let r = forward_or_fail(&msg, &[]).unwrap();
        assert_eq!(&r[..2], &[0, 3]);
        assert_eq!(r[3] & 0xf, SERVFAIL);
    }
}
