//! The network of a container created without `--network`, and the default network object's
//! first creation: what `containers.conf` (`net::config`) says, and berth's own default when it
//! says nothing — the default bridge network as root (Docker's and Podman's default), pasta
//! rootless (Podman's).
//!
//! The file is read only when a default is needed: an explicit `--network` costs no read (the
//! `run --rm --network none` start-up is measured), and the default network's subnet is looked
//! up only when that network is made.

use anyhow::{Context as _, Result, bail};

use crate::context::Context;
use crate::error;
use crate::net::config::{self, DefaultNetns, NetworkConf, RootlessNetworkCmd};
use crate::net::network::{Network, Networks};

/// The `containers.conf` of this invocation.
pub(super) fn conf(ctx: &Context) -> Result<NetworkConf> {
    config::read(&config::path(
        &ctx.config_dir,
        ctx.env.lookup("CONTAINERS_CONF"),
    ))
}

/// The `--network` value a container created without one gets. Errors (InvalidInput) say what
/// is missing or which key of which file asked for something berth cannot do for this caller.
pub(super) fn network(ctx: &Context) -> Result<String> {
    let c = conf(ctx)?;
    let key = || format!("[containers] netns in {}", c.path.display());
    Ok(match c.netns.unwrap_or(DefaultNetns::Private) {
        DefaultNetns::None => "none".into(),
        DefaultNetns::Host => "host".into(),
        DefaultNetns::Bridge if ctx.rootless => bail!(error::invalid(format!(
            "the default network is bridge ({}), which rootless containers cannot use yet: set it to private or pasta, or pass --network",
            key()
        ))),
        DefaultNetns::Bridge => "bridge".into(),
        DefaultNetns::Pasta if !ctx.rootless => bail!(error::invalid(format!(
            "the default network is pasta ({}), which is for rootless containers: set it to private or bridge, or pass --network",
            key()
        ))),
        DefaultNetns::Pasta => rootless_cmd(&c, true)?,
        DefaultNetns::Slirp4netns => bail!(error::invalid(format!(
            "the default network is slirp4netns ({}), which berth does not implement: set it to private or pasta (Debian package passt), or pass --network",
            key()
        ))),
        DefaultNetns::Private if ctx.rootless => rootless_cmd(&c, false)?,
        DefaultNetns::Private => "bridge".into(),
    })
}

/// The rootless network command's mode (`pasta`); `asked`: netns said pasta itself.
fn rootless_cmd(c: &NetworkConf, asked: bool) -> Result<String> {
    let cmd = match asked {
        true => RootlessNetworkCmd::Pasta,
        false => c.rootless_network_cmd.unwrap_or(RootlessNetworkCmd::Pasta),
    };
    match cmd {
        RootlessNetworkCmd::Slirp4netns => bail!(error::invalid(format!(
            "rootless containers get their network from slirp4netns ([network] default_rootless_network_cmd in {}), which berth does not implement: set it to pasta (Debian package passt), or pass --network",
            c.path.display()
        ))),
        RootlessNetworkCmd::Pasta if crate::net::pasta::find().is_none() => {
            bail!(error::invalid(
                "rootless containers get their network from pasta, which is not installed: install the Debian package passt, or pass --network none"
            ))
        }
        RootlessNetworkCmd::Pasta => Ok("pasta".into()),
    }
}

/// The default network of `nets`, created on first use with `[network] default_subnet` when
/// the file sets one.
pub(crate) fn ensure(ctx: &Context, nets: &Networks) -> Result<Network> {
    let mut from = None;
    nets.ensure_default_with(|| {
        let c = conf(ctx)?;
        from = c.default_subnet.map(|_| c.path.display().to_string());
        Ok(c.default_subnet)
    })
    .with_context(|| match &from {
        Some(file) => format!("creating the default network ([network] default_subnet in {file})"),
        None => "creating the default network".to_string(),
    })
}

/// What `info` says about networking.
#[derive(Debug, Clone)]
pub(super) struct NetworkInfo {
    /// The default mode for this caller, or why there is none.
    pub default_network: String,
    /// The rootless network command (pasta unless the file says otherwise).
    pub rootless_network_cmd: String,
}

/// Gathers [`NetworkInfo`]; a bad `containers.conf` is an error.
pub(super) fn info(ctx: &Context) -> Result<NetworkInfo> {
    let c = conf(ctx)?;
    let cmd = c.rootless_network_cmd.unwrap_or(RootlessNetworkCmd::Pasta);
    let default_network = match network(ctx) {
        Ok(n) if n == "bridge" => crate::net::network::DEFAULT_NAME.to_string(),
        Ok(n) => n,
        Err(e) => format!("none: {e:#}"),
    };
    Ok(NetworkInfo {
        default_network,
        rootless_network_cmd: cmd.as_str().to_string(),
    })
}
