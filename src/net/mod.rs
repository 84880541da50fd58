//! Container networking: the modes a container can have (`--network`), published ports, and
//! the user-mode networking (pasta) that gives a private network namespace egress and ports, and
//! network objects with their address management, the name files of a container (`hosts`) and
//! the DNS server of user-defined networks (`dns`).

pub mod bridge;
pub mod config;
pub mod dns;
pub mod forward;
pub mod hosts;
pub mod network;
pub mod nft;
pub mod pasta;
pub mod ports;
pub mod slirp;

use anyhow::{Result, bail};

use crate::error;

/// `--network`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A private network namespace with only `lo`.
    None,
    /// The host's network namespace.
    Host,
    /// A private network namespace connected by pasta.
    Pasta,
    /// A private network namespace connected by slirp4netns (rootless, when pasta is missing).
    Slirp4netns,
    /// A private network namespace on a network object's bridge (`--network NAME`, `bridge`);
    /// the container record keeps the network's name.
    Bridge,
    /// Another container's network namespace (`container:NAME`; the record keeps
    /// `container:ID`), joined with its /etc/hosts, /etc/resolv.conf and hostname.
    Container,
    /// The network namespace of a file (`ns:PATH`, such as /run/netns/NAME), as root.
    Ns,
}

impl Mode {
    pub fn parse(s: &str) -> Result<Mode> {
        match s {
            "none" | "" => Ok(Mode::None),
            "host" => Ok(Mode::Host),
            "pasta" => Ok(Mode::Pasta),
            "slirp4netns" => Ok(Mode::Slirp4netns),
            "bridge" => Ok(Mode::Bridge),
            c if c.starts_with("container:") => Ok(Mode::Container),
            n if n.starts_with("ns:") => Ok(Mode::Ns),
            name if network::valid_name(name) => Ok(Mode::Bridge),
            other => bail!(error::invalid(format!(
                "--network {other:?} is not supported yet: use none, host, pasta, slirp4netns, bridge, container:NAME, ns:PATH or the name of a network"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::None => "none",
            Mode::Host => "host",
            Mode::Pasta => "pasta",
            Mode::Slirp4netns => "slirp4netns",
            Mode::Bridge => "bridge",
            Mode::Container => "container",
            Mode::Ns => "ns",
        }
    }
}
