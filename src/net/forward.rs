//! Published TCP ports of containers on rootless user-defined networks: a user-space relay
//! (what Podman's rootlessport does). The host's ports are listened on in the host's network
//! namespace; each connection is relayed to the container's address from inside the rootless
//! networks' namespace (the caller enters it after binding, `ops::rootless_net`), so the
//! container sees its network's gateway as the peer. Threads: one per port and two per
//! connection; nothing here outlives the process.

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::time::Duration;

use anyhow::{Context as _, Result};

/// One published port: where the host listens and where the container listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forward {
    pub host: SocketAddr,
    pub container: SocketAddrV4,
}

impl Forward {
    /// `HOSTIP:HOSTPORT=CONTAINERIP:PORT` (IPv4 and `[v6]` host addresses).
    pub fn parse(s: &str) -> Result<Forward> {
        let (host, container) = s
            .split_once('=')
            .with_context(|| format!("bad forward {s:?}: expected HOST=CONTAINER"))?;
        Ok(Forward {
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
        write!(f, "{}={}", self.host, self.container)
    }
}

/// Binds every host side of `forwards`. Errors name the port (in use, or privileged).
pub fn bind(forwards: &[Forward]) -> Result<Vec<(TcpListener, SocketAddrV4)>> {
    forwards
        .iter()
        .map(|f| {
            let l = TcpListener::bind(f.host)
                .with_context(|| format!("publishing host port {}", f.host))?;
            Ok((l, f.container))
        })
        .collect()
}

/// Relays every connection to each listener to its container address, forever.
pub fn serve(listeners: Vec<(TcpListener, SocketAddrV4)>) -> ! {
    for (l, to) in listeners {
        std::thread::spawn(move || {
            for conn in l.incoming() {
                let Ok(client) = conn else { continue };
                std::thread::spawn(move || relay(client, to));
            }
        });
    }
    loop {
        std::thread::park();
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
        let f = Forward::parse("0.0.0.0:8080=10.9.0.2:80").unwrap();
        assert_eq!(f.host.port(), 8080);
        assert_eq!(f.to_string(), "0.0.0.0:8080=10.9.0.2:80");
        assert!(Forward::parse("[::1]:8080=10.9.0.2:80").is_ok());
        for bad in ["8080=10.9.0.2:80", "0.0.0.0:8080", "0.0.0.0:8080=x:80"] {
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
            host: "127.0.0.1:0".parse().unwrap(),
            container: to,
        }])
        .unwrap();
        let at = front[0].0.local_addr().unwrap();
        let (l, to) = front.into_iter().next().unwrap();
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
}
