//! The name-resolution and port-exposing flags `run` and `create` share (`--dns`, `--dns-search`,
//! `--dns-option`, `--add-host`, `--network-alias`, `-P`, `--expose`), flattened into
//! `CreateArgs`.

use clap::Args;

use crate::net::hosts::NetConfig;

#[derive(Debug, Args, Default)]
pub struct NameArgs {
    /// Set a nameserver of the container's /etc/resolv.conf (repeatable); on a network of your
    /// own, its DNS server forwards names it does not know to these
    #[arg(long, value_name = "IP")]
    pub dns: Vec<String>,
    /// Set a search domain of the container's /etc/resolv.conf (repeatable; "." for none)
    #[arg(long, value_name = "DOMAIN")]
    pub dns_search: Vec<String>,
    /// Set an option of the container's /etc/resolv.conf, such as ndots:2 (repeatable)
    #[arg(long, alias = "dns-opt", value_name = "OPTION")]
    pub dns_option: Vec<String>,
    /// Add a line to the container's /etc/hosts: NAME:IP, or NAME:host-gateway for the host's
    /// address as the container reaches it (repeatable)
    #[arg(long, value_name = "NAME:IP")]
    pub add_host: Vec<String>,
    /// Another name of the container on its network, answered by the network's DNS server
    /// (repeatable; needs a network of your own)
    #[arg(long, alias = "net-alias", value_name = "ALIAS")]
    pub network_alias: Vec<String>,
    /// Publish every exposed port (the image's EXPOSE and --expose) on a random host port;
    /// berth port shows which (needs a network that can publish ports, as -p)
    #[arg(short = 'P', long)]
    pub publish_all: bool,
    /// Expose a port or a range of ports: PORT[/PROTO] or FIRST-LAST[/PROTO] (repeatable)
    #[arg(long, value_name = "PORT[/PROTO]")]
    pub expose: Vec<String>,
    /// The container's MAC address on its network, such as 92:d0:c6:0a:29:33 (needs a bridge
    /// network, as root)
    #[arg(long, value_name = "MAC")]
    pub mac_address: Option<String>,
}

impl NameArgs {
    pub fn into_config(self) -> NetConfig {
        NetConfig {
            dns: self.dns,
            dns_search: self.dns_search,
            dns_options: self.dns_option,
            add_hosts: self.add_host,
            aliases: self.network_alias,
            connected: Vec::new(),
            publish_all: self.publish_all,
            expose: self.expose,
            mac_address: self.mac_address,
        }
    }
}
