//! The network of a container created without `--network`, and the default network object's
//! first creation: what `containers.conf` (`net::config`) says, and berth's own default when it
//! says nothing — the default bridge network as root (Docker's and Podman's default), pasta
//! rootless (Podman's), or slirp4netns where pasta is not installed.
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
    let asked = |cmd: RootlessNetworkCmd| -> Result<String> {
        if !ctx.rootless {
            bail!(error::invalid(format!(
                "the default network is {} ({}), which is for rootless containers: set it to private or bridge, or pass --network",
                cmd.as_str(),
                key()
            )));
        }
        installed(cmd, &key())
    };
    Ok(match c.netns.unwrap_or(DefaultNetns::Private) {
        DefaultNetns::None => "none".into(),
        DefaultNetns::Host => "host".into(),
        DefaultNetns::Bridge if ctx.rootless => bail!(error::invalid(format!(
            "the default network is bridge ({}), which rootless containers cannot use yet: set it to private or pasta, or pass --network",
            key()
        ))),
        DefaultNetns::Bridge => "bridge".into(),
        DefaultNetns::Pasta => asked(RootlessNetworkCmd::Pasta)?,
        DefaultNetns::Slirp4netns => asked(RootlessNetworkCmd::Slirp4netns)?,
        DefaultNetns::Private if ctx.rootless => match c.rootless_network_cmd {
            Some(cmd) => installed(
                cmd,
                &format!(
                    "[network] default_rootless_network_cmd in {}",
                    c.path.display()
                ),
            )?,
            None => rootless_cmd()?.as_str().to_string(),
        },
        DefaultNetns::Private => "bridge".into(),
    })
}

/// `cmd` as a `--network` value when its program is installed; else an error naming the
/// package and the key (`why`) that asked for it.
fn installed(cmd: RootlessNetworkCmd, why: &str) -> Result<String> {
    let (found, package) = match cmd {
        RootlessNetworkCmd::Pasta => (crate::net::pasta::find().is_some(), "passt"),
        RootlessNetworkCmd::Slirp4netns => (crate::net::slirp::find().is_some(), "slirp4netns"),
    };
    if !found {
        bail!(error::invalid(format!(
            "rootless containers get their network from {} ({why}), which is not installed: install the Debian package {package}, or pass --network none",
            cmd.as_str()
        )));
    }
    Ok(cmd.as_str().to_string())
}

/// The rootless network command when the file names none: pasta, else slirp4netns, whichever
/// is installed (pasta first, as Podman prefers it). Errors name the package to install.
fn rootless_cmd() -> Result<RootlessNetworkCmd> {
    pick(
        crate::net::pasta::find().is_some(),
        crate::net::slirp::find().is_some(),
    )
}

/// [`rootless_cmd`]'s choice, given which programs are installed.
fn pick(pasta: bool, slirp4netns: bool) -> Result<RootlessNetworkCmd> {
    if pasta {
        Ok(RootlessNetworkCmd::Pasta)
    } else if slirp4netns {
        Ok(RootlessNetworkCmd::Slirp4netns)
    } else {
        bail!(error::invalid(
            "rootless containers get their network from pasta (or slirp4netns), and neither is installed: install the Debian package passt, or pass --network none"
        ))
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
    /// The rootless network command: the file's, else pasta or slirp4netns, whichever is
    /// installed (pasta when neither is).
    pub rootless_network_cmd: String,
}

/// Gathers [`NetworkInfo`]; a bad `containers.conf` is an error.
pub(super) fn info(ctx: &Context) -> Result<NetworkInfo> {
    let c = conf(ctx)?;
    let cmd = c
        .rootless_network_cmd
        .or_else(|| rootless_cmd().ok())
        .unwrap_or(RootlessNetworkCmd::Pasta);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasta_first_then_slirp4netns_then_an_error_naming_passt() {
        assert_eq!(pick(true, true).unwrap(), RootlessNetworkCmd::Pasta);
        assert_eq!(pick(true, false).unwrap(), RootlessNetworkCmd::Pasta);
        assert_eq!(pick(false, true).unwrap(), RootlessNetworkCmd::Slirp4netns);
        let e = pick(false, false).unwrap_err();
        assert!(
            matches!(error::kind_of(&e), Some(error::ErrorKind::InvalidInput(_))),
            "{e:#}"
        );
        assert!(format!("{e:#}").contains("install the Debian package passt"));
    }
}
