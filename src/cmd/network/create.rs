//! `berth network create`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::context::Context;
use crate::ops::network::{self, CreateOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth network create app\n  berth network create --subnet 10.42.0.0/24 --gateway 10.42.0.1 --internal back\n  berth network create --label tier=front --opt mtu=1400 front"
)]
pub struct CreateArgs {
    /// The driver: only "bridge"
    #[arg(short, long, value_name = "DRIVER")]
    pub driver: Option<String>,
    /// The IPv4 subnet, such as 10.42.0.0/24 (default: the first free /24 from 10.89.0.0 that
    /// overlaps no other network and no route of the host)
    #[arg(long, value_name = "CIDR")]
    pub subnet: Option<String>,
    /// The gateway address (default: the subnet's first address); needs --subnet
    #[arg(long, value_name = "IP")]
    pub gateway: Option<String>,
    /// Give containers addresses from this part of the subnet only; needs --subnet
    #[arg(long, value_name = "CIDR")]
    pub ip_range: Option<String>,
    /// No route out of the network: its containers get no default route
    #[arg(long)]
    pub internal: bool,
    /// No name resolution on this network (recorded; berth has no network DNS yet)
    #[arg(long)]
    pub disable_dns: bool,
    /// Set a label, KEY=VALUE (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    pub label: Vec<String>,
    /// Driver option, KEY=VALUE (repeatable); berth knows mtu=N
    #[arg(short, long, value_name = "KEY=VALUE")]
    pub opt: Vec<String>,
    /// Succeed without change when a network of that name exists
    #[arg(long)]
    pub ignore: bool,
    /// The network's name
    pub name: String,
}

pub fn run(ctx: &Context, a: CreateArgs) -> Result<ExitCode> {
    let n = network::create(
        ctx,
        CreateOptions {
            name: a.name,
            driver: a.driver,
            subnet: a.subnet,
            gateway: a.gateway,
            ip_range: a.ip_range,
            internal: a.internal,
            disable_dns: a.disable_dns,
            labels: a.label,
            options: a.opt,
            ignore: a.ignore,
        },
    )?;
    crate::cmd::print(&format!("{}\n", n.id))?;
    Ok(ExitCode::SUCCESS)
}
