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
//! berth's own keys, which Podman's file lacks (containers/image has no knob for them; the
//! names follow containerd's `hosts.toml` `dial_timeout`): `connect-timeout` and
//! `read-timeout`, at the top level for every registry or in a `[[registry]]` table for its
//! references, in seconds (`30`) or as a duration (`"1.5s"`, `"500ms"`, `"2m"`). A read
//! timeout bounds each wait for bytes, so a registry that stalls fails the request instead of
//! hanging the pull; `0` means no limit.
//!
//! `upload-chunk-size` (top level or per `[[registry]]`; bytes, or `"16MiB"`, `"512KiB"`,
//! `"1GiB"`): `push` uploads blobs larger than this in chunks of this size (PATCH with
//! `Content-Range`, then PUT), for proxies that cap request bodies; smaller blobs go in one
//! PUT. Default 256 MiB; `0` never chunks. A registry's `OCI-Chunk-Min-Length` raises it.
//!
//! Read from `$CONTAINERS_REGISTRIES_CONF` when set, else `<config dir>/registries.conf`.
//! Parsing and matching only; the client and `pull` act on the result.

use std::path::{Path, PathBuf};
use std::time::Duration;

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
    /// How long to wait for a connection to any registry (default 30 s).
    #[serde(default)]
    pub connect_timeout: Option<Timeout>,
    /// How long to wait for each read from any registry (default 120 s).
    #[serde(default)]
    pub read_timeout: Option<Timeout>,
    /// Push blobs bigger than this in chunks of this size.
    #[serde(default)]
    pub upload_chunk_size: Option<Size>,
}

/// A size from the file: bytes as a number, or `"16MiB"`-style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "toml::Value")]
pub struct Size(pub u64);

impl TryFrom<toml::Value> for Size {
    type Error = String;

    fn try_from(v: toml::Value) -> std::result::Result<Size, String> {
        let bad = || "invalid size: use bytes, or e.g. \"16MiB\", \"512KiB\", \"1GiB\"".to_string();
        match v {
            toml::Value::Integer(n) => u64::try_from(n).map(Size).map_err(|_| bad()),
            toml::Value::String(s) => {
                let s = s.trim();
                let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
                let (n, unit) = s.split_at(split);
                let n: u64 = n.parse().map_err(|_| bad())?;
                let mult: u64 = match unit.trim() {
                    "" | "B" => 1,
                    "KiB" | "K" | "k" => 1 << 10,
                    "MiB" | "M" | "m" => 1 << 20,
                    "GiB" | "G" | "g" => 1 << 30,
                    _ => return Err(bad()),
                };
                n.checked_mul(mult).map(Size).ok_or_else(bad)
            }
            _ => Err(bad()),
        }
    }
}

/// A timeout from the file: seconds as a number, or a duration string; 0 means none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "toml::Value")]
pub struct Timeout(pub Option<Duration>);

impl TryFrom<toml::Value> for Timeout {
    type Error = String;

    fn try_from(v: toml::Value) -> std::result::Result<Timeout, String> {
        let d = match v {
            toml::Value::Integer(n) if n >= 0 => Duration::from_secs(n.unsigned_abs()),
            toml::Value::Float(f) if f.is_finite() && (0.0..1e9).contains(&f) => {
                Duration::from_secs_f64(f)
            }
            toml::Value::String(s) => parse_duration(&s).ok_or_else(|| {
                format!("invalid timeout {s:?}: use e.g. 30, \"1.5s\", \"500ms\"")
            })?,
            other => {
                return Err(format!(
                    "invalid timeout of type {}: use seconds, e.g. 30",
                    other.type_str()
                ));
            }
        };
        Ok(Timeout((!d.is_zero()).then_some(d)))
    }
}

/// `"500ms"`, `"1.5s"`, `"2m"`, `"1h"` (Go's units that make sense here); no sign, finite.
fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (n, unit) = s.split_at(split);
    if n.is_empty() || n.len() > 12 {
        return None;
    }
    let n: f64 = n.parse().ok()?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return None,
    };
    (secs.is_finite() && secs < 1e9).then(|| Duration::from_secs_f64(secs))
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
    /// Overrides the top-level `connect-timeout` for this entry's references.
    #[serde(default)]
    pub connect_timeout: Option<Timeout>,
    /// Overrides the top-level `read-timeout` for this entry's references.
    #[serde(default)]
    pub read_timeout: Option<Timeout>,
    /// Overrides the top-level `upload-chunk-size` for this entry's references.
    #[serde(default)]
    pub upload_chunk_size: Option<Size>,
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

    /// `(connect, read)` timeouts for `domain/path`: its entry's, else the top-level ones, else
    /// `None` (the client's defaults). An inner `None` is "no limit".
    pub fn timeouts(&self, domain: &str, path: &str) -> (Option<Timeout>, Option<Timeout>) {
        let e = self.find(domain, path);
        (
            e.and_then(|e| e.connect_timeout).or(self.connect_timeout),
            e.and_then(|e| e.read_timeout).or(self.read_timeout),
        )
    }

    /// `upload-chunk-size` for `domain/path`: its entry's, else the top-level one.
    pub fn chunk_size(&self, domain: &str, path: &str) -> Option<u64> {
        self.find(domain, path)
            .and_then(|e| e.upload_chunk_size)
            .or(self.upload_chunk_size)
            .map(|s| s.0)
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
        assert!(RegistriesConf::parse("read-timeout = -1").is_err());
        assert!(RegistriesConf::parse("read-timeout = \"soon\"").is_err());
        assert!(RegistriesConf::parse("read-timeout = \"-1s\"").is_err());
        assert!(RegistriesConf::parse("read-timeout = \"1e99s\"").is_err());
        assert!(RegistriesConf::parse("read-timeout = true").is_err());
    }

    #[test]
    fn timeouts() {
        let c = RegistriesConf::parse(
            "read-timeout = \"1.5s\"\nconnect-timeout = 5\n[[registry]]\nlocation = \"slow.example\"\nread-timeout = 0\nconnect-timeout = \"500ms\"\n",
        )
        .unwrap();
        let ms = |n| Some(Timeout(Some(Duration::from_millis(n))));
        assert_eq!(c.timeouts("quay.io", "a"), (ms(5000), ms(1500)));
        assert_eq!(
            c.timeouts("slow.example", "a/b"),
            (ms(500), Some(Timeout(None)))
        );
        assert_eq!(RegistriesConf::default().timeouts("a", "b"), (None, None));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_duration("s"), None);
    }

    #[test]
    fn chunk_sizes() {
        let c = RegistriesConf::parse(
            "upload-chunk-size = \"16MiB\"\n[[registry]]\nlocation = \"a.example\"\nupload-chunk-size = 4096\n",
        )
        .unwrap();
        assert_eq!(c.chunk_size("a.example", "x"), Some(4096));
        assert_eq!(c.chunk_size("b.example", "x"), Some(16 << 20));
        assert_eq!(RegistriesConf::default().chunk_size("a", "b"), None);
        for bad in ["-1", "\"1TB\"", "\"x\"", "\"99999999999GiB\"", "1.5"] {
            assert!(
                RegistriesConf::parse(&format!("upload-chunk-size = {bad}")).is_err(),
                "{bad}"
            );
        }
    }
}
