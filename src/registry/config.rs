//! The registries configuration: insecure and blocked registries and pull mirrors, in TOML with
//! Podman's `registries.conf` (v2) keys where they overlap:
//!
//! ```toml
//! [[registry]]
//! location = "registry.example.com:5000"   # or prefix = "registry.example.com/team"
//! insecure = true                          # unverified https or plain http
//! blocked = false                          # refuse pulls and pushes
//! [[registry.mirror]]
//! location = "mirror.example.com/cache"    # tried in order before the registry itself
//! insecure = false
//! ```
//!
//! Read from `$CONTAINERS_REGISTRIES_CONF` when set, else `<config dir>/registries.conf`.
//! Parsing and matching only; the client and `pull` act on the result.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde::Deserialize;

use crate::context::Context;
use crate::error;

/// The config file is small; a bigger one is refused (I6).
const MAX_CONFIG: u64 = 1 << 20;

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RegistriesConf {
    #[serde(default)]
    pub registry: Vec<RegistryEntry>,
    /// Podman's key: berth resolves short names to docker.io and ignores it.
    #[serde(default)]
    pub unqualified_search_registries: Vec<String>,
}

/// One `[[registry]]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RegistryEntry {
    /// What references the entry applies to: `host[:port][/path]` (default: `location`).
    #[serde(default)]
    pub prefix: Option<String>,
    /// Where such references are really fetched: `host[:port][/path]`.
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub insecure: bool,
    #[serde(default)]
    pub blocked: bool,
    #[serde(default)]
    pub mirror: Vec<Mirror>,
}

/// One `[[registry.mirror]]` table.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Mirror {
    pub location: String,
    #[serde(default)]
    pub insecure: bool,
}

/// Where a repository is fetched from: a registry host and the repository path there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub domain: String,
    pub path: String,
    pub insecure: bool,
}

impl RegistriesConf {
    /// The file for this invocation, and whether it exists.
    pub fn path(ctx: &Context) -> PathBuf {
        ctx.env
            .lookup("CONTAINERS_REGISTRIES_CONF")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| ctx.config_dir.join("registries.conf"))
    }

    /// Reads the configuration; a missing file is an empty one.
    pub fn load(ctx: &Context) -> Result<RegistriesConf> {
        RegistriesConf::read(&RegistriesConf::path(ctx))
    }

    /// Reads and checks `path`; a missing file is an empty configuration.
    pub fn read(path: &Path) -> Result<RegistriesConf> {
        let f = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(RegistriesConf::default());
            }
            Err(e) => {
                return Err(anyhow::Error::from(e).context(format!("opening {}", path.display())));
            }
        };
        let bytes =
            crate::storage::unpack::read_capped(f, MAX_CONFIG, &path.display().to_string())?;
        let text = String::from_utf8(bytes)
            .map_err(|_| error::invalid(format!("{} is not UTF-8", path.display())))?;
        RegistriesConf::parse(&text)
            .map_err(|e| error::invalid(format!("reading {}: {e:#}", path.display())))
    }

    /// Parses the TOML text and validates every location.
    pub fn parse(text: &str) -> Result<RegistriesConf> {
        let conf: RegistriesConf = toml::from_str(text).map_err(|e| anyhow::anyhow!("{e}"))?;
        for r in &conf.registry {
            if r.location.is_empty() && r.prefix.is_none() {
                bail!("a [[registry]] has neither location nor prefix");
            }
            for loc in std::iter::once(r.location.as_str())
                .filter(|l| !l.is_empty())
                .chain(r.prefix.as_deref())
                .chain(r.mirror.iter().map(|m| m.location.as_str()))
            {
                split_location(loc)?;
            }
        }
        Ok(conf)
    }

    /// The entry for repository `domain/path`: the longest prefix that matches whole
    /// components.
    pub fn find(&self, domain: &str, path: &str) -> Option<&RegistryEntry> {
        let full = if path.is_empty() {
            domain.to_string()
        } else {
            format!("{domain}/{path}")
        };
        self.registry
            .iter()
            .filter(|r| {
                let p = r.prefix.as_deref().unwrap_or(&r.location);
                full == p || full.starts_with(&format!("{}/", p.trim_end_matches('/')))
            })
            .max_by_key(|r| r.prefix.as_deref().unwrap_or(&r.location).len())
    }

    /// Where to fetch `domain/path` from, in order: the mirrors, then the location itself.
    /// Fails for a blocked registry.
    pub fn endpoints(&self, domain: &str, path: &str) -> Result<Vec<Endpoint>> {
        let Some(r) = self.find(domain, path) else {
            return Ok(vec![Endpoint {
                domain: domain.to_string(),
                path: path.to_string(),
                insecure: false,
            }]);
        };
        if r.blocked {
            bail!(error::invalid(format!(
                "registry {domain} is blocked by the registries configuration"
            )));
        }
        let prefix = r
            .prefix
            .as_deref()
            .unwrap_or(&r.location)
            .trim_end_matches('/');
        let rest = format!("{domain}/{path}")
            .strip_prefix(prefix)
            .unwrap_or_default()
            .trim_start_matches('/')
            .to_string();
        let mut out = Vec::new();
        let target = |loc: &str, insecure: bool| -> Result<Endpoint> {
            let (d, base) = split_location(loc)?;
            let path = match (base.is_empty(), rest.is_empty()) {
                (true, _) => rest.clone(),
                (false, true) => base,
                (false, false) => format!("{base}/{rest}"),
            };
            Ok(Endpoint {
                domain: d,
                path,
                insecure,
            })
        };
        for m in &r.mirror {
            out.push(target(&m.location, m.insecure)?);
        }
        let location = if r.location.is_empty() {
            prefix
        } else {
            &r.location
        };
        out.push(target(location, r.insecure)?);
        Ok(out)
    }
}

/// `host[:port][/path]` → (`host[:port]`, `path`), both validated by the reference grammar.
fn split_location(loc: &str) -> Result<(String, String)> {
    let loc = loc.trim_end_matches('/');
    let (d, p) = loc.split_once('/').unwrap_or((loc, ""));
    let probe = if p.is_empty() {
        format!("{d}/x")
    } else {
        format!("{d}/{p}")
    };
    let r = crate::registry::ImageRef::parse(&probe)
        .map_err(|_| anyhow::anyhow!("invalid location {loc:?}"))?;
    if r.domain != d && !(d == "index.docker.io" && r.domain == "docker.io") {
        bail!("invalid location {loc:?}: it names no registry host");
    }
    Ok((r.domain, p.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONF: &str = r#"
unqualified-search-registries = ["docker.io"]

[[registry]]
location = "docker.io"
[[registry.mirror]]
location = "mirror.local:5000/hub"
insecure = true

[[registry]]
prefix = "quay.io/team"
location = "internal.example:5000/quay-team"

[[registry]]
location = "evil.example"
blocked = true
"#;

    #[test]
    fn mirrors_prefixes_and_blocks() {
        let c = RegistriesConf::parse(CONF).unwrap();
        let e = c.endpoints("docker.io", "library/busybox").unwrap();
        assert_eq!(
            e,
            vec![
                Endpoint {
                    domain: "mirror.local:5000".into(),
                    path: "hub/library/busybox".into(),
                    insecure: true
                },
                Endpoint {
                    domain: "docker.io".into(),
                    path: "library/busybox".into(),
                    insecure: false
                },
            ]
        );
        let e = c.endpoints("quay.io", "team/app").unwrap();
        assert_eq!(e[0].domain, "internal.example:5000");
        assert_eq!(e[0].path, "quay-team/app");
        // "quay.io/teamx" does not match the prefix "quay.io/team".
        assert_eq!(
            c.endpoints("quay.io", "teamx/a").unwrap()[0].domain,
            "quay.io"
        );
        let err = c.endpoints("evil.example", "x").unwrap_err();
        assert!(format!("{err:#}").contains("blocked"));
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(RegistriesConf::parse("[[registry]]\nlocation = \"../../x\"\n").is_err());
        assert!(RegistriesConf::parse("[[registry]]\ninsecure = true\n").is_err());
        assert!(RegistriesConf::parse("registry = 3").is_err());
        assert!(RegistriesConf::parse("[[registry]\n").is_err());
        assert!(RegistriesConf::parse("").unwrap().registry.is_empty());
    }
}
