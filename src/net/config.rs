//! The network keys of `containers.conf` (Podman's file and key names, TOML):
//!
//! ```toml
//! [containers]
//! netns = "private"        # the network of a container run without --network: bridge, pasta,
//!                          # slirp4netns, none, host, or private (bridge as root, the
//!                          # rootless command rootless; the default)
//! [network]
//! default_rootless_network_cmd = "pasta"   # what "private" means rootless: pasta or
//!                                          # slirp4netns (default: whichever is installed,
//!                                          # pasta first)
//! default_subnet = "10.88.0.0/16"          # the default network's subnet, when it is created
//! ```
//!
//! Every other key and table is ignored, so a real Podman `containers.conf` reads fine. Read
//! from `$CONTAINERS_CONF` when set (as Podman does, and as `registries.conf` follows
//! `$CONTAINERS_REGISTRIES_CONF`), else `<config dir>/containers.conf`; a missing file is an
//! empty one. Parsing and validation only: `ops` decides what the values mean for a container.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::network::Subnet;
use crate::error;

/// The file's name in berth's config dir.
pub const FILE: &str = "containers.conf";
/// A bigger file is refused (I6).
const MAX_CONFIG: u64 = 1 << 20;

/// `[containers] netns`: the network mode of a container run without `--network`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultNetns {
    Bridge,
    Pasta,
    Slirp4netns,
    None,
    Host,
    /// The per-user default: the default bridge network as root, the rootless network command
    /// rootless.
    Private,
}

/// `[network] default_rootless_network_cmd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootlessNetworkCmd {
    Pasta,
    Slirp4netns,
}

impl RootlessNetworkCmd {
    pub fn as_str(self) -> &'static str {
        match self {
            RootlessNetworkCmd::Pasta => "pasta",
            RootlessNetworkCmd::Slirp4netns => "slirp4netns",
        }
    }
}

/// The network keys of one `containers.conf`, validated; `None` where the file says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkConf {
    /// The file the values came from (for messages), whether or not it exists.
    pub path: PathBuf,
    pub netns: Option<DefaultNetns>,
    pub rootless_network_cmd: Option<RootlessNetworkCmd>,
    pub default_subnet: Option<Subnet>,
}

/// The file to read: `$CONTAINERS_CONF` (given as `env_override`) when set and not empty, else
/// `<config_dir>/containers.conf`.
pub fn path(config_dir: &Path, env_override: Option<String>) -> PathBuf {
    env_override
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| config_dir.join(FILE))
}

/// Reads and validates `path`; a missing file is an empty configuration. Errors (InvalidInput)
/// name the file and, for a bad value, the key.
pub fn read(path: &Path) -> Result<NetworkConf> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(NetworkConf {
                path: path.to_path_buf(),
                ..NetworkConf::default()
            });
        }
        Err(e) => {
            return Err(anyhow::Error::from(e).context(format!("opening {}", path.display())));
        }
    };
    let bytes = crate::storage::unpack::read_capped(f, MAX_CONFIG, &path.display().to_string())?;
    let text = String::from_utf8(bytes)
        .map_err(|_| error::invalid(format!("{} is not UTF-8", path.display())))?;
    parse(&text, path)
}

/// Parses the text of `path`.
pub fn parse(text: &str, path: &Path) -> Result<NetworkConf> {
    let file = path.display();
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
        error::invalid(format!(
            "invalid {file}{at}: {}",
            e.message().trim_end_matches('\n')
        ))
    })?;
    let string = |section: &str, key: &str| -> Result<Option<String>> {
        let Some(s) = table.get(section) else {
            return Ok(None);
        };
        let Some(s) = s.as_table() else {
            bail!(error::invalid(format!(
                "invalid {file}: [{section}] must be a table"
            )));
        };
        match s.get(key) {
            None => Ok(None),
            Some(toml::Value::String(v)) => Ok(Some(v.clone())),
            Some(other) => bail!(error::invalid(format!(
                "invalid {file}: [{section}] {key} must be a string, not {}",
                other.type_str()
            ))),
        }
    };
    let bad = |section: &str, key: &str, value: &str, why: &str| {
        error::invalid(format!(
            "invalid {file}: [{section}] {key} = {value:?}: {why}"
        ))
    };
    let netns = match string("containers", "netns")?.as_deref() {
        None | Some("") => None,
        Some("bridge") => Some(DefaultNetns::Bridge),
        Some("pasta") => Some(DefaultNetns::Pasta),
        Some("slirp4netns") => Some(DefaultNetns::Slirp4netns),
        Some("none") => Some(DefaultNetns::None),
        Some("host") => Some(DefaultNetns::Host),
        Some("private") => Some(DefaultNetns::Private),
        Some(other) => bail!(bad(
            "containers",
            "netns",
            other,
            "use bridge, pasta, slirp4netns, none, host or private"
        )),
    };
    let rootless_network_cmd = match string("network", "default_rootless_network_cmd")?.as_deref() {
        None | Some("") => None,
        Some("pasta") => Some(RootlessNetworkCmd::Pasta),
        Some("slirp4netns") => Some(RootlessNetworkCmd::Slirp4netns),
        Some(other) => bail!(bad(
            "network",
            "default_rootless_network_cmd",
            other,
            "use pasta or slirp4netns"
        )),
    };
    let default_subnet = match string("network", "default_subnet")? {
        None => None,
        Some(s) => {
            let subnet: Subnet = s.parse().map_err(|e| {
                // Subnet's own words, without its "invalid subnet …: " prefix.
                let msg = format!("{e:#}");
                let why = msg.split_once(": ").map_or(msg.as_str(), |(_, w)| w);
                bad("network", "default_subnet", &s, why)
            })?;
            if subnet.prefix() > 30 {
                bail!(bad(
                    "network",
                    "default_subnet",
                    &s,
                    "too small: it needs room for a gateway and containers (at most /30)"
                ));
            }
            Some(subnet)
        }
    };
    Ok(NetworkConf {
        path: path.to_path_buf(),
        netns,
        rootless_network_cmd,
        default_subnet,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<NetworkConf> {
        parse(text, Path::new("/c/containers.conf"))
    }

    fn err(text: &str) -> String {
        let e = p(text).unwrap_err();
        assert!(
            matches!(error::kind_of(&e), Some(error::ErrorKind::InvalidInput(_))),
            "{e:#}"
        );
        format!("{e:#}")
    }

    #[test]
    fn network_keys_are_read_and_others_ignored() {
        let c = p("[containers]\nnetns = \"none\"\ndefault_ulimits = [\"nofile=20000:20000\"]\n\
             [network]\ndefault_rootless_network_cmd = \"pasta\"\ndefault_subnet = \"10.77.0.0/24\"\n\
             network_backend = \"netavark\"\n[engine]\ncgroup_manager = \"cgroupfs\"\n")
        .unwrap();
        assert_eq!(c.netns, Some(DefaultNetns::None));
        assert_eq!(c.rootless_network_cmd, Some(RootlessNetworkCmd::Pasta));
        assert_eq!(c.default_subnet.unwrap().to_string(), "10.77.0.0/24");
        assert_eq!(p("").unwrap().netns, None);
        assert_eq!(
            p("[containers]\nnetns = \"private\"").unwrap().netns,
            Some(DefaultNetns::Private)
        );
    }

    #[test]
    fn bad_values_name_the_file_and_the_key() {
        assert_eq!(
            err("[containers]\nnetns = \"bridged\"\n"),
            "invalid /c/containers.conf: [containers] netns = \"bridged\": use bridge, pasta, slirp4netns, none, host or private"
        );
        assert_eq!(
            err("[containers]\nnetns = 3\n"),
            "invalid /c/containers.conf: [containers] netns must be a string, not integer"
        );
        assert_eq!(
            err("[network]\ndefault_rootless_network_cmd = \"vpnkit\"\n"),
            "invalid /c/containers.conf: [network] default_rootless_network_cmd = \"vpnkit\": use pasta or slirp4netns"
        );
        assert!(
            err("[network]\ndefault_subnet = \"10.77.0.1/24\"\n")
                .starts_with("invalid /c/containers.conf: [network] default_subnet = \"10.77.0.1/24\": it has host bits set"),
        );
        assert!(err("[network]\ndefault_subnet = \"10.77.0.0/31\"\n").contains("too small"));
        assert!(err("network = 1\n").contains("[network] must be a table"));
        let syntax = err("[containers]\n\nnetns = \n");
        assert!(
            syntax.starts_with("invalid /c/containers.conf (line 3): "),
            "{syntax}"
        );
    }

    #[test]
    fn a_missing_file_is_empty() {
        let t = tempfile::tempdir().unwrap();
        let c = read(&t.path().join("containers.conf")).unwrap();
        assert_eq!(c.netns, None);
        assert_eq!(
            path(t.path(), Some("/x/y.conf".into())),
            PathBuf::from("/x/y.conf")
        );
        assert_eq!(path(t.path(), Some(String::new())), t.path().join(FILE));
    }
}
