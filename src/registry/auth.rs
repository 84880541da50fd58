//! Registry credentials: the auth files users already have (containers `auth.json`, Docker's
//! `config.json`), credential helpers (`docker-credential-<helper>`), and berth's own file that
//! `login` writes (0600) and `logout` edits.
//!
//! Read order, first hit wins: `--authfile`, `$REGISTRY_AUTH_FILE`, berth's file
//! (`<config dir>/auth.json`), `$XDG_RUNTIME_DIR/containers/auth.json`, `~/.docker/config.json`.
//! This module never sends anything anywhere; the client decides where credentials may go.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Map, Value};

use crate::context::Context;
use crate::error;
use crate::storage::atomic;

/// Auth files and helper output are small; anything bigger is refused (I6).
const MAX_AUTH_FILE: u64 = 1 << 20;

/// A user name and password (or token) for one registry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl fmt::Debug for Credentials {
    /// Never prints the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials({:?}, <redacted>)", self.username)
    }
}

impl Credentials {
    /// Parses `--creds user[:password]`.
    pub fn parse(s: &str) -> Result<Credentials> {
        let (u, p) = s.split_once(':').unwrap_or((s, ""));
        if u.is_empty() {
            bail!(error::invalid("invalid --creds: the user name is empty"));
        }
        Ok(Credentials {
            username: u.to_string(),
            password: p.to_string(),
        })
    }

    /// The value of an HTTP basic `Authorization` header.
    pub fn basic_header(&self) -> String {
        format!(
            "Basic {}",
            B64.encode(format!("{}:{}", self.username, self.password))
        )
    }
}

/// The auth files to read, in order, and the one `login` writes.
#[derive(Debug, Clone)]
pub struct AuthFiles {
    /// `--authfile` or `$REGISTRY_AUTH_FILE`: when set, read first and written by login.
    explicit: Option<PathBuf>,
    berth: PathBuf,
    others: Vec<PathBuf>,
}

impl AuthFiles {
    /// The files for this invocation: `authfile` is `--authfile`.
    pub fn new(ctx: &Context, authfile: Option<PathBuf>) -> AuthFiles {
        let explicit = authfile.or_else(|| {
            ctx.env
                .lookup("REGISTRY_AUTH_FILE")
                .filter(|s| !s.is_empty())
                .map(PathBuf::from)
        });
        let mut others = Vec::new();
        if let Some(rt) = &ctx.env.xdg_runtime_dir {
            others.push(PathBuf::from(rt).join("containers/auth.json"));
        }
        if let Some(home) = &ctx.env.home {
            others.push(PathBuf::from(home).join(".docker/config.json"));
        }
        AuthFiles {
            explicit,
            berth: ctx.config_dir.join("auth.json"),
            others,
        }
    }

    /// The files to search, in order.
    fn read_order(&self) -> Vec<&Path> {
        self.explicit
            .iter()
            .chain(std::iter::once(&self.berth))
            .chain(self.others.iter())
            .map(PathBuf::as_path)
            .collect()
    }

    /// The file `login` writes and `logout` edits.
    pub fn target(&self) -> &Path {
        self.explicit.as_deref().unwrap_or(&self.berth)
    }

    /// Credentials for `registry` (`host[:port]`) and repository `repo` (most specific entry
    /// first: `host/ns/repo`, `host/ns`, `host`), or `None` when no file has any.
    pub fn lookup(&self, registry: &str, repo: Option<&str>) -> Result<Option<Credentials>> {
        let keys = lookup_keys(registry, repo);
        for path in self.read_order() {
            let Some(doc) = read_json(path)? else {
                continue;
            };
            if let Some(c) = lookup_in(&doc, registry, &keys)
                .with_context(|| format!("reading credentials from {}", path.display()))?
            {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    /// Stores `creds` for `registry` in [`AuthFiles::target`], keeping everything else in it.
    pub fn store(&self, registry: &str, creds: &Credentials) -> Result<()> {
        let path = self.target();
        let mut doc = read_json(path)?.unwrap_or_else(|| Value::Object(Map::new()));
        let obj = doc
            .as_object_mut()
            .with_context(|| format!("{} is not a JSON object", path.display()))?;
        let auths = obj
            .entry("auths")
            .or_insert_with(|| Value::Object(Map::new()));
        let auths = auths
            .as_object_mut()
            .with_context(|| format!("\"auths\" in {} is not an object", path.display()))?;
        auths.insert(
            registry.to_string(),
            serde_json::json!({
                "auth": B64.encode(format!("{}:{}", creds.username, creds.password))
            }),
        );
        write_json(path, &doc)
    }

    /// Removes `registry`'s entry from the target file; false when it had none.
    pub fn remove(&self, registry: &str) -> Result<bool> {
        let path = self.target();
        let Some(mut doc) = read_json(path)? else {
            return Ok(false);
        };
        let removed = doc
            .get_mut("auths")
            .and_then(Value::as_object_mut)
            .map(|a| {
                let keys: Vec<String> = a
                    .keys()
                    .filter(|k| normalize_key(k) == registry)
                    .cloned()
                    .collect();
                for k in &keys {
                    a.remove(k);
                }
                !keys.is_empty()
            })
            .unwrap_or(false);
        if removed {
            write_json(path, &doc)?;
        }
        Ok(removed)
    }

    /// Removes every entry from the target file.
    pub fn remove_all(&self) -> Result<()> {
        let path = self.target();
        let Some(mut doc) = read_json(path)? else {
            return Ok(());
        };
        if let Some(o) = doc.as_object_mut() {
            o.insert("auths".to_string(), Value::Object(Map::new()));
        }
        write_json(path, &doc)
    }
}

/// Docker Hub's entries are keyed by its v1 URL in Docker's config.
fn lookup_keys(registry: &str, repo: Option<&str>) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(r) = repo {
        let mut parts: Vec<&str> = r.split('/').collect();
        while !parts.is_empty() {
            keys.push(format!("{registry}/{}", parts.join("/")));
            parts.pop();
        }
    }
    keys.push(registry.to_string());
    keys
}

/// `https://index.docker.io/v1/` → `docker.io`; `http://h:5000/` → `h:5000`.
fn normalize_key(k: &str) -> String {
    let k = k
        .strip_prefix("https://")
        .or_else(|| k.strip_prefix("http://"))
        .unwrap_or(k);
    let k = k
        .strip_suffix("/v1/")
        .or_else(|| k.strip_suffix("/v2/"))
        .or_else(|| k.strip_suffix('/'))
        .unwrap_or(k);
    match k {
        "index.docker.io" | "registry-1.docker.io" | "index.docker.io/v1" => "docker.io".into(),
        other => other.to_string(),
    }
}

fn lookup_in(doc: &Value, registry: &str, keys: &[String]) -> Result<Option<Credentials>> {
    if let Some(helper) = doc
        .get("credHelpers")
        .and_then(Value::as_object)
        .and_then(|h| h.iter().find(|(k, _)| normalize_key(k) == registry))
        .and_then(|(_, v)| v.as_str())
    {
        return helper_get(helper, registry);
    }
    if let Some(auths) = doc.get("auths").and_then(Value::as_object) {
        for key in keys {
            if let Some(entry) = auths
                .iter()
                .find(|(k, _)| normalize_key(k) == *key)
                .map(|(_, v)| v)
                && let Some(c) = decode_entry(entry)?
            {
                return Ok(Some(c));
            }
        }
    }
    if let Some(store) = doc.get("credsStore").and_then(Value::as_str) {
        return helper_get(store, registry);
    }
    Ok(None)
}

fn decode_entry(entry: &Value) -> Result<Option<Credentials>> {
    if let Some(a) = entry.get("auth").and_then(Value::as_str)
        && !a.is_empty()
    {
        let raw = B64
            .decode(a.trim())
            .map_err(|_| anyhow::anyhow!("an \"auth\" entry is not valid base64"))?;
        let s = String::from_utf8(raw)
            .map_err(|_| anyhow::anyhow!("an \"auth\" entry is not UTF-8"))?;
        let (u, p) = s
            .split_once(':')
            .context("an \"auth\" entry is not user:password")?;
        return Ok(Some(Credentials {
            username: u.to_string(),
            password: p.to_string(),
        }));
    }
    let u = entry.get("username").and_then(Value::as_str);
    let p = entry.get("password").and_then(Value::as_str);
    Ok(match (u, p) {
        (Some(u), Some(p)) => Some(Credentials {
            username: u.to_string(),
            password: p.to_string(),
        }),
        _ => None,
    })
}

/// Runs `docker-credential-<helper> get` (Docker's credential helper protocol).
fn helper_get(helper: &str, registry: &str) -> Result<Option<Credentials>> {
    if helper.is_empty()
        || !helper
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        bail!("invalid credential helper name {helper:?}");
    }
    let prog = format!("docker-credential-{helper}");
    let server = if registry == "docker.io" {
        "https://index.docker.io/v1/"
    } else {
        registry
    };
    let mut child = Command::new(&prog)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("running credential helper {prog}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading is judged by its output below.
        let _ = stdin.write_all(server.as_bytes());
    }
    let mut out = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        stdout
            .take(MAX_AUTH_FILE)
            .read_to_end(&mut out)
            .with_context(|| format!("reading the output of {prog}"))?;
    }
    let status = child
        .wait()
        .with_context(|| format!("waiting for {prog}"))?;
    let text = String::from_utf8_lossy(&out);
    if !status.success() {
        if text.contains("credentials not found") {
            return Ok(None);
        }
        bail!("credential helper {prog} failed: {}", text.trim());
    }
    let v: Value =
        serde_json::from_slice(&out).with_context(|| format!("reading the output of {prog}"))?;
    let u = v.get("Username").and_then(Value::as_str).unwrap_or("");
    let p = v.get("Secret").and_then(Value::as_str).unwrap_or("");
    if p.is_empty() {
        return Ok(None);
    }
    Ok(Some(Credentials {
        username: u.to_string(),
        password: p.to_string(),
    }))
}

fn read_json(path: &Path) -> Result<Option<Value>> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(anyhow::Error::from(e).context(format!("opening {}", path.display())));
        }
    };
    let bytes = crate::storage::unpack::read_capped(f, MAX_AUTH_FILE, &path.display().to_string())?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let v = serde_json::from_slice(&bytes)
        .map_err(|e| error::invalid(format!("reading {}: {e}", path.display())))?;
    Ok(Some(v))
}

fn write_json(path: &Path, doc: &Value) -> Result<()> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.exists()
    {
        atomic::ensure_private_dir(parent)?;
    }
    let mut bytes = serde_json::to_vec_pretty(doc)?;
    bytes.push(b'\n');
    atomic::write_file(path, &bytes, 0o600).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalize() {
        assert_eq!(normalize_key("https://index.docker.io/v1/"), "docker.io");
        assert_eq!(normalize_key("http://localhost:5000/"), "localhost:5000");
        assert_eq!(normalize_key("quay.io"), "quay.io");
        assert_eq!(
            lookup_keys("h:1", Some("a/b")),
            vec!["h:1/a/b", "h:1/a", "h:1"]
        );
    }

    #[test]
    fn entries_decode() {
        let doc: Value = serde_json::json!({"auths": {
            "https://index.docker.io/v1/": {"auth": B64.encode("u:p:w")},
            "h:5000/team": {"username": "t", "password": "s"},
            "bad": {"auth": "!!"}
        }});
        let c = lookup_in(&doc, "docker.io", &lookup_keys("docker.io", None))
            .unwrap()
            .unwrap();
        assert_eq!((c.username.as_str(), c.password.as_str()), ("u", "p:w"));
        let c = lookup_in(&doc, "h:5000", &lookup_keys("h:5000", Some("team/app")))
            .unwrap()
            .unwrap();
        assert_eq!(c.username, "t");
        assert!(
            lookup_in(&doc, "h:5000", &lookup_keys("h:5000", Some("other")))
                .unwrap()
                .is_none()
        );
        assert!(lookup_in(&doc, "bad", &lookup_keys("bad", None)).is_err());
    }

    #[test]
    fn creds_flag_and_debug_redacts() {
        let c = Credentials::parse("alice:s3cr:et").unwrap();
        assert_eq!(c.password, "s3cr:et");
        assert!(!format!("{c:?}").contains("s3cr"));
        assert!(Credentials::parse(":x").is_err());
        assert_eq!(
            Credentials::parse("a:b").unwrap().basic_header(),
            "Basic YTpi"
        );
    }
}
