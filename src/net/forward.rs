//! Published ports of containers on rootless user-defined networks: a user-space relay (what
//! Podman's rootlessport does). The host's ports are bound in the host's network namespace;
//! each TCP connection, and each UDP client's datagrams, are relayed to the container's
//! address from inside the rootless networks' namespace (the caller enters it after binding,
//! `ops::rootless_net`), so the container sees its network's gateway as the peer. Threads: one
//! per port, two per TCP connection, one per UDP client (ended after `UDP_IDLE` without a
//! reply); nothing here outlives the process.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, SocketAddrV4, TcpListener, TcpStream, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use super::ports::Proto;

/// How long a UDP client's relay waits for the container's next datagram before it ends.
const UDP_IDLE: Duration = Duration::from_secs(60);
/// At most this many UDP clients per port at once (a datagram from one more is dropped).
const UDP_CLIENTS: usize = 1024;

/// One published port: where the host listens and where the container listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forward {
    pub proto: Proto,
    pub host: SocketAddr,
    pub container: SocketAddrV4,
}

impl Forward {
    /// `tcp|udp:HOSTIP:HOSTPORT=CONTAINERIP:PORT` (IPv4 and `[v6]` host addresses).
    pub fn parse(s: &str) -> Result<Forward> {
        let (proto, rest) = s
            .split_once(':')
            .with_context(|| format!("bad forward {s:?}: expected PROTO:HOST=CONTAINER"))?;
        let proto = match proto {
            "tcp" => Proto::Tcp,
            "udp" => Proto::Udp,
            other => bail!("bad forward {s:?}: unknown protocol {other:?}"),
        };
        let (host, container) = rest
            .split_once('=')
            .with_context(|| format!("bad forward {s:?}: expected PROTO:HOST=CONTAINER"))?;
        Ok(Forward {
            proto,
            host: host
                .parse()
                .with_context(|| format!("bad host address {host:?}"))?,
            container: container
                .parse()
                .with_context(|| format!("bad container address {container:?}"))?,
        })
    }
}

impl std::fmt::Display for Forward {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}={}",
            self.proto.as_str(),
            self.host,
            self.container
        )
    }
}

/// A bound host port.
#[derive(Debug)]
pub enum Bound {
    Tcp(TcpListener),
    Udp(UdpSocket),
}

/// Binds every host side of `forwards`. Errors name the port (in use, or privileged).
pub fn bind(forwards: &[Forward]) -> Result<Vec<(Bound, SocketAddrV4)>> {
    forwards
        .iter()
        .map(|f| {
            let what = || format!("publishing host port {}/{}", f.host, f.proto.as_str());
            let b = match f.proto {
                Proto::Tcp => Bound::Tcp(TcpListener::bind(f.host).with_context(what)?),
                Proto::Udp => Bound::Udp(UdpSocket::bind(f.host).with_context(what)?),
            };
            Ok((b, f.container))
        })
        .collect()
}

/// Relays everything each bound port gets to its container address, forever.
pub fn serve(bound: Vec<(Bound, SocketAddrV4)>) -> ! {
    for (b, to) in bound {
        std::thread::spawn(move || match b {
            Bound::Tcp(l) => {
                for conn in l.incoming() {
                    let Ok(client) = conn else { continue };
                    std::thread::spawn(move || relay(client, to));
                }
            }
            Bound::Udp(s) => relay_udp(s, to),
        });
    }
    loop {
        std::thread::park();
    }
}

/// Relays datagrams: each client gets a socket of its own towards the container (so that the
/// container's replies can be told apart), and a thread sending the replies back.
fn relay_udp(host: UdpSocket, to: SocketAddrV4) {
    let clients: Arc<Mutex<HashMap<SocketAddr, UdpSocket>>> = Arc::default();
    let mut buf = vec![0u8; 65536];
    loop {
        let Ok((n, from)) = host.recv_from(&mut buf) else {
            continue;
        };
        let upstream = {
            let Ok(mut map) = clients.lock() else { return };
            match map.get(&from) {
                Some(u) => u.try_clone().ok(),
                None if map.len() >= UDP_CLIENTS => None,
                None => {
                    let made = (|| -> std::io::Result<(UdpSocket, UdpSocket, UdpSocket)> {
                        let u = UdpSocket::bind("0.0.0.0:0")?;
                        u.connect(to)?;
                        u.set_read_timeout(Some(UDP_IDLE))?;
                        Ok((u.try_clone()?, u.try_clone()?, host.try_clone()?))
                    })();
                    match made {
                        Ok((kept, replies, back)) => {
                            map.insert(from, kept);
                            let clients = Arc::clone(&clients);
                            std::thread::spawn(move || {
                                let mut buf = vec![0u8; 65536];
                                loop {
                                    match replies.recv(&mut buf) {
                                        Ok(n) => {
                                            let _ = back.send_to(&buf[..n], from);
                                        }
                                        // A datagram to a closed port came back as ICMP: the
                                        // client's next ones may find it open.
                                        Err(e)
                                            if e.kind()
                                                == std::io::ErrorKind::ConnectionRefused => {}
                                        // Idle for UDP_IDLE.
                                        Err(_) => break,
                                    }
                                }
                                if let Ok(mut map) = clients.lock() {
                                    map.remove(&from);
                                }
                            });
                            map.get(&from).and_then(|u| u.try_clone().ok())
                        }
                        Err(_) => None,
                    }
                }
            }
        };
        if let Some(u) = upstream
            && let Err(e) = u.send(&buf[..n])
            && e.kind() == std::io::ErrorKind::ConnectionRefused
        {
            // The error was an earlier datagram's ICMP reply, not this one's.
            let _ = u.send(&buf[..n]);
        }
    }
}

fn relay(client: TcpStream, to: SocketAddrV4) {
    let Ok(upstream) = TcpStream::connect_timeout(&to.into(), Duration::from_secs(10)) else {
        // The client sees the connection close, as with a refused port.
        return;
    };
    let (Ok(c2), Ok(u2)) = (client.try_clone(), upstream.try_clone()) else {
        return;
    };
    let back = std::thread::spawn(move || pipe(u2, c2));
    pipe(client, upstream);
    let _ = back.join();
}

/// Copies `from` to `to` until EOF, then passes the EOF on (half-close).
fn pipe(mut from: TcpStream, mut to: TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let _ = from.shutdown(Shutdown::Read);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwards_parse_and_print() {
        let f = Forward::parse("tcp:0.0.0.0:8080=10.9.0.2:80").unwrap();
        assert_eq!(f.host.port(), 8080);
        assert_eq!(f.to_string(), "tcp:0.0.0.0:8080=10.9.0.2:80");
        assert_eq!(
            Forward::parse("udp:[::1]:53=10.9.0.2:53").unwrap().proto,
            Proto::Udp
        );
        for bad in [
            "tcp:8080=10.9.0.2:80",
            "tcp:0.0.0.0:8080",
            "tcp:0.0.0.0:8080=x:80",
            "0.0.0.0:8080=10.9.0.2:80",
            "sctp:0.0.0.0:8080=10.9.0.2:80",
        ] {
            assert!(Forward::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn relays_both_ways() {
        let server = TcpListener::bind("127.0.0.1:0").unwrap();
        let SocketAddr::V4(to) = server.local_addr().unwrap() else {
            unreachable!()
        };
        let echo = std::thread::spawn(move || {
            let (mut s, _) = server.accept().unwrap();
            let mut got = String::new();
            s.read_to_string(&mut got).unwrap();
            s.write_all(format!("echo:{got}").as_bytes()).unwrap();
        });
        let front = bind(&[Forward {
            proto: Proto::Tcp,
            host: "127.0.0.1:0".parse().unwrap(),
            container: to,
        }])
        .unwrap();
        let (Bound::Tcp(l), to) = front.into_iter().next().unwrap() else {
            unreachable!()
        };
        let at = l.local_addr().unwrap();
        std::thread::spawn(move || {
            let (c, _) = l.accept().unwrap();
            relay(c, to);
        });
        let mut c = TcpStream::connect(at).unwrap();
        c.write_all(b"hi").unwrap();
        c.shutdown(Shutdown::Write).unwrap();
        let mut answer = String::new();
        c.read_to_string(&mut answer).unwrap();
        assert_eq!(answer, "echo:hi");
        echo.join().unwrap();
    }

    #[test]
    fn relays_datagrams_both_ways_per_client() {
        let server = UdpSocket::bind("127.0.0.1:0").unwrap();
        let SocketAddr::V4(to) = server.local_addr().unwrap() else {
            unreachable!()
        };
        let echo = std::thread::spawn(move || {
            let mut buf = [0u8; 64];
            for _ in 0..2 {
                let (n, from) = server.recv_from(&mut buf).unwrap();
                let mut answer = b"echo:".to_vec();
                answer.extend_from_slice(&buf[..n]);
                server.send_to(&answer, from).unwrap();
            }
        });
        let host = UdpSocket::bind("127.0.0.1:0").unwrap();
        let at = host.local_addr().unwrap();
        std::thread::spawn(move || relay_udp(host, to));
        for word in ["one", "two"] {
            let c = UdpSocket::bind("127.0.0.1:0").unwrap();
            c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            c.send_to(word.as_bytes(), at).unwrap();
            let mut buf = [0u8; 64];
            let n = c.recv(&mut buf).unwrap();
            assert_eq!(&buf[..n], format!("echo:{word}").as_bytes());
        }
        echo.join().unwrap();
    }
}
