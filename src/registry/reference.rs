//! Image references: Docker's grammar and normalization (distribution/reference).
//!
//! `busybox` → `docker.io/library/busybox:latest`; `localhost:5000/a/b@sha256:…` keeps its
//! registry. A reference is validated here, strictly, before any part of it becomes a path or a
//! URL (SECURITY.md I7). Display goes back to Docker's familiar form (`busybox`, `quay.io/x/y`).

use std::fmt;

use anyhow::{Result, bail};

use crate::storage::digest::Digest;

pub const DEFAULT_DOMAIN: &str = "docker.io";
pub const DEFAULT_TAG: &str = "latest";
const OFFICIAL_REPO_PREFIX: &str = "library/";
const MAX_NAME_LEN: usize = 255;
const MAX_TAG_LEN: usize = 128;

/// A normalized image reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// Registry host, with port: `docker.io`, `localhost:5000`.
    pub domain: String,
    /// Repository path inside the registry: `library/busybox`.
    pub path: String,
    /// The tag, when the reference has one (or got the default).
    pub tag: Option<String>,
    pub digest: Option<Digest>,
}

fn bad(s: &str, why: &str) -> anyhow::Error {
    crate::error::invalid(format!("invalid reference format {s:?}: {why}"))
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        let ch = b[i];
        if ch.is_ascii_lowercase() || ch.is_ascii_digit() {
            i += 1;
            continue;
        }
        // A separator run: ".", "_", "__", or one or more "-".
        let start = i;
        while i < b.len() && matches!(b[i], b'.' | b'_' | b'-') {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok || sep.is_empty() {
            return false;
        }
    }
    true
}

/// A registry host: DNS-ish labels or an IPv6 literal in brackets, with an optional port.
fn valid_domain(d: &str) -> bool {
    let (host, port) = match d.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || d.starts_with('[') => (h, Some(p)),
        _ => (d, None),
    };
    if let Some(p) = port
        && (p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    if let Some(v6) = host.strip_prefix('[') {
        return v6.strip_suffix(']').is_some_and(|a| {
            !a.is_empty() && a.bytes().all(|b| b.is_ascii_hexdigit() || b == b':')
        });
    }
    !host.is_empty()
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

/// `[\w][\w.-]{0,127}`
pub fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_TAG_LEN
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

impl ImageRef {
    /// Parses and normalizes a reference; a missing tag stays missing (see [`with_default_tag`]).
    ///
    /// [`with_default_tag`]: ImageRef::with_default_tag
    pub fn parse(s: &str) -> Result<ImageRef> {
        if s.is_empty() {
            bail!(bad(s, "empty reference"));
        }
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => (
                r,
                Some(Digest::parse(d).map_err(|e| bad(s, &format!("{e:#}")))?),
            ),
            None => (s, None),
        };
        // A tag is after the last ':' that comes after the last '/'.
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[slash..].rfind(':') {
            Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
            None => (rest, None),
        };
        if let Some(t) = tag
            && !valid_tag(t)
        {
            bail!(bad(s, &format!("invalid tag {t:?}")));
        }
        if name.is_empty() {
            bail!(bad(s, "empty repository name"));
        }
        if name.len() > MAX_NAME_LEN {
            bail!(bad(
                s,
                "repository name must not be more than 255 characters"
            ));
        }
        let (domain, path) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.')
                    || first.contains(':')
                    || first == "localhost"
                    || first.bytes().any(|b| b.is_ascii_uppercase()) =>
            {
                (first.to_string(), rest.to_string())
            }
            _ => (DEFAULT_DOMAIN.to_string(), name.to_string()),
        };
        if !valid_domain(&domain) {
            bail!(bad(s, &format!("invalid registry {domain:?}")));
        }
        if path.bytes().any(|b| b.is_ascii_uppercase()) {
            bail!(bad(s, "repository name must be lowercase"));
        }
        if !path.split('/').all(valid_component) {
            bail!(bad(s, "invalid repository name"));
        }
        let domain = if domain == "index.docker.io" {
            DEFAULT_DOMAIN.to_string()
        } else {
            domain
        };
        let path = if domain == DEFAULT_DOMAIN && !path.contains('/') {
            format!("{OFFICIAL_REPO_PREFIX}{path}")
        } else {
            path
        };
        Ok(ImageRef {
            domain,
            path,
            tag: tag.map(str::to_string),
            digest,
        })
    }

    /// The same reference with `latest` when it names neither a tag nor a digest.
    pub fn with_default_tag(mut self) -> ImageRef {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some(DEFAULT_TAG.to_string());
        }
        self
    }

    /// `docker.io/library/busybox`
    pub fn repository(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// `busybox`, `quay.io/org/app`: the repository as Docker shows it.
    pub fn familiar_repository(&self) -> String {
        familiar(&self.repository())
    }

    /// The tag, or `latest` when there is none.
    pub fn tag_or_default(&self) -> &str {
        self.tag.as_deref().unwrap_or(DEFAULT_TAG)
    }
}

/// Docker's familiar form of a full repository or reference string.
pub fn familiar(full: &str) -> String {
    match full.strip_prefix("docker.io/") {
        Some(rest) => rest
            .strip_prefix(OFFICIAL_REPO_PREFIX)
            .unwrap_or(rest)
            .to_string(),
        None => full.to_string(),
    }
}

impl fmt::Display for ImageRef {
    /// The full normalized form: `docker.io/library/busybox:latest@sha256:…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.domain, self.path)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        ImageRef::parse(s).unwrap().with_default_tag().to_string()
    }

    #[test]
    fn normalizes_like_docker() {
        assert_eq!(norm("busybox"), "docker.io/library/busybox:latest");
        assert_eq!(norm("busybox:1.36"), "docker.io/library/busybox:1.36");
        assert_eq!(norm("me/app"), "docker.io/me/app:latest");
        assert_eq!(
            norm("index.docker.io/library/x"),
            "docker.io/library/x:latest"
        );
        assert_eq!(norm("quay.io/org/app:v1"), "quay.io/org/app:v1");
        assert_eq!(norm("localhost:5000/a/b:c"), "localhost:5000/a/b:c");
        assert_eq!(norm("localhost/x"), "localhost/x:latest");
        let d = format!("sha256:{}", "a".repeat(64));
        assert_eq!(
            norm(&format!("busybox@{d}")),
            format!("docker.io/library/busybox@{d}")
        );
        assert_eq!(
            norm(&format!("a:1@{d}")),
            format!("docker.io/library/a:1@{d}")
        );
    }

    #[test]
    fn familiar_names() {
        assert_eq!(
            ImageRef::parse("busybox").unwrap().familiar_repository(),
            "busybox"
        );
        assert_eq!(
            ImageRef::parse("me/app").unwrap().familiar_repository(),
            "me/app"
        );
        assert_eq!(
            ImageRef::parse("quay.io/o/a")
                .unwrap()
                .familiar_repository(),
            "quay.io/o/a"
        );
    }

    #[test]
    fn rejects_bad_references() {
        for bad in [
            "",
            "Busybox",
            "Bad:Tag!",
            "a:",
            "a/",
            "/a",
            "a//b",
            "a..b",
            "-a",
            "a:-tag",
            "a@sha256:zz",
            "a@md5:abc",
            "localhost:port/x",
            "a b",
            "a\0b",
            "../x",
            &"a".repeat(300),
            &format!("a:{}", "t".repeat(129)),
        ] {
            assert!(ImageRef::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn component_separators() {
        assert!(valid_component("a__b"));
        assert!(valid_component("a---b"));
        assert!(!valid_component("a___b"));
        assert!(!valid_component("a._b"));
    }
}
