//! Manifests as registries serve them: Docker schema2 and OCI image manifests, Docker manifest
//! lists and OCI indexes, and picking one platform out of an index.
//!
//! Parsing only: the bytes were size-capped and their digest computed by the caller (I6, I7).
//! Every digest inside is validated here by [`Digest`]'s deserializer before it can become a
//! URL or a path.

use anyhow::{Result, bail};
use serde::Deserialize;

use crate::error;
use crate::storage::digest::Digest;

pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";

/// What berth asks registries for, best first.
pub const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

/// A content descriptor inside a manifest or index.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Desc {
    #[serde(default)]
    pub media_type: String,
    pub digest: Digest,
    pub size: u64,
    #[serde(default)]
    pub platform: Option<Platform>,
    /// Foreign-layer URLs: never fetched (I8), noted so the error can say why.
    #[serde(default)]
    pub urls: Vec<String>,
}

/// An OS/architecture pair, as in an index entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Platform {
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub variant: Option<String>,
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

impl Platform {
    /// The host's platform, with the variant Docker assumes for it.
    pub fn host() -> Platform {
        let arch = crate::storage::archive::oci::host_arch().to_string();
        let variant = match arch.as_str() {
            "arm64" => Some("v8".to_string()),
            "arm" => Some("v7".to_string()),
            _ => None,
        };
        Platform {
            os: "linux".to_string(),
            architecture: arch,
            variant,
        }
    }

    /// Parses `os/arch[/variant]` (`--platform`), then applies `--os`, `--arch`, `--variant`
    /// over it or over the host's platform.
    pub fn choose(
        platform: Option<&str>,
        os: Option<&str>,
        arch: Option<&str>,
        variant: Option<&str>,
    ) -> Result<Platform> {
        let mut p = Platform::host();
        if let Some(s) = platform {
            let parts: Vec<&str> = s.split('/').collect();
            let ok = |x: &str| {
                !x.is_empty()
                    && x.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            };
            if !(2..=3).contains(&parts.len()) || !parts.iter().all(|x| ok(x)) {
                bail!(error::invalid(format!(
                    "invalid --platform {s:?}: use os/arch[/variant], e.g. linux/arm64"
                )));
            }
            p.os = parts[0].to_ascii_lowercase();
            p.architecture = normalize_arch(&parts[1].to_ascii_lowercase()).to_string();
            p.variant = parts.get(2).map(|v| v.to_ascii_lowercase());
            if parts.len() == 2 {
                p.variant = default_variant(&p.architecture);
            }
        }
        if let Some(o) = os {
            p.os = o.to_string();
        }
        if let Some(a) = arch {
            p.architecture = normalize_arch(a).to_string();
            p.variant = default_variant(&p.architecture);
        }
        if let Some(v) = variant {
            p.variant = Some(v.to_string());
        }
        Ok(p)
    }

    /// True when an index entry for `other` runs here: same OS and architecture, and the
    /// variant matches when both name one (arm64's `v8` is the default either way).
    pub fn matches(&self, other: &Platform) -> bool {
        if self.os != other.os || self.architecture != normalize_arch(&other.architecture) {
            return false;
        }
        let norm = |v: &Option<String>| -> Option<String> {
            match (self.architecture.as_str(), v.as_deref()) {
                ("arm64", None | Some("v8")) => None,
                (_, None) => None,
                (_, Some(v)) => Some(v.to_string()),
            }
        };
        match (norm(&self.variant), norm(&other.variant)) {
            (Some(a), Some(b)) => a == b,
            (Some(_), None) => self.architecture != "arm",
            _ => true,
        }
    }
}

fn normalize_arch(a: &str) -> &str {
    match a {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        "i386" | "i686" => "386",
        other => other,
    }
}

fn default_variant(arch: &str) -> Option<String> {
    match arch {
        "arm64" => Some("v8".to_string()),
        "arm" => Some("v7".to_string()),
        _ => None,
    }
}

/// An image manifest (Docker schema2 or OCI).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageManifest {
    pub schema_version: u32,
    #[serde(default)]
    pub media_type: Option<String>,
    pub config: Desc,
    pub layers: Vec<Desc>,
}

/// A manifest list or OCI index.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    pub schema_version: u32,
    #[serde(default)]
    pub media_type: Option<String>,
    pub manifests: Vec<Desc>,
}

/// A parsed manifest of either kind.
#[derive(Debug, Clone)]
pub enum Manifest {
    Image(ImageManifest),
    Index(Index),
}

/// Parses manifest bytes, using the Content-Type when the body does not say what it is.
pub fn parse(bytes: &[u8], content_type: Option<&str>) -> Result<Manifest> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Probe {
        #[serde(default)]
        schema_version: Option<u32>,
        #[serde(default)]
        media_type: Option<String>,
        #[serde(default)]
        manifests: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        layers: Option<serde::de::IgnoredAny>,
    }
    let probe: Probe = serde_json::from_slice(bytes)
        .map_err(|e| error::invalid(format!("the manifest is not valid JSON: {e}")))?;
    if probe.schema_version != Some(2) {
        bail!(error::invalid(format!(
            "unsupported manifest schema version {}: berth reads schema 2 (Docker v2, OCI)",
            probe
                .schema_version
                .map_or("(none)".to_string(), |v| v.to_string())
        )));
    }
    let mt = probe
        .media_type
        .as_deref()
        .or(content_type.map(|c| c.split(';').next().unwrap_or(c).trim()));
    let is_index = match mt {
        Some(DOCKER_LIST | OCI_INDEX) => true,
        Some(DOCKER_MANIFEST | OCI_MANIFEST) => false,
        _ => probe.manifests.is_some() && probe.layers.is_none(),
    };
    let bad = |e: serde_json::Error| error::invalid(format!("malformed manifest: {e}"));
    Ok(if is_index {
        Manifest::Index(serde_json::from_slice(bytes).map_err(bad)?)
    } else {
        Manifest::Image(serde_json::from_slice(bytes).map_err(bad)?)
    })
}

impl Index {
    /// The entry for `want`, or an error listing what the index has.
    pub fn select(&self, want: &Platform) -> Result<&Desc> {
        let found = self
            .manifests
            .iter()
            .filter(|d| d.media_type != "application/vnd.oci.image.index.v1+json")
            .find(|d| d.platform.as_ref().is_some_and(|p| want.matches(p)));
        match found {
            Some(d) => Ok(d),
            None => {
                let have: Vec<String> = self
                    .manifests
                    .iter()
                    .filter_map(|d| d.platform.as_ref().map(ToString::to_string))
                    .collect();
                bail!(error::not_found(format!(
                    "no image for platform {want} in the manifest list (it has: {})",
                    if have.is_empty() {
                        "no platforms".to_string()
                    } else {
                        have.join(", ")
                    }
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D1: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    const D2: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    fn plat(os: &str, arch: &str, v: Option<&str>) -> Platform {
        Platform {
            os: os.into(),
            architecture: arch.into(),
            variant: v.map(Into::into),
        }
    }

    #[test]
    fn parses_docker_and_oci_manifests() {
        let m = format!(
            r#"{{"schemaVersion":2,"mediaType":"{DOCKER_MANIFEST}","config":{{"mediaType":"{DOCKER_CONFIG}","digest":"{D1}","size":10}},"layers":[{{"mediaType":"{DOCKER_LAYER_GZIP}","digest":"{D2}","size":20}}]}}"#
        );
        let Manifest::Image(m) = parse(m.as_bytes(), None).unwrap() else {
            panic!("expected an image manifest")
        };
        assert_eq!(m.layers[0].size, 20);
        // No mediaType in the body (OCI allows that): the Content-Type decides.
        let m =
            format!(r#"{{"schemaVersion":2,"config":{{"digest":"{D1}","size":1}},"layers":[]}}"#);
        assert!(matches!(
            parse(m.as_bytes(), Some(OCI_MANIFEST)).unwrap(),
            Manifest::Image(_)
        ));
    }

    #[test]
    fn rejects_bad_digests_schema1_and_garbage() {
        let m =
            r#"{"schemaVersion":2,"config":{"digest":"sha256:../../etc","size":1},"layers":[]}"#;
        assert!(parse(m.as_bytes(), Some(OCI_MANIFEST)).is_err());
        assert!(parse(br#"{"schemaVersion":1}"#, None).is_err());
        assert!(parse(b"\xff\x00", None).is_err());
        assert!(parse(b"[]", None).is_err());
    }

    #[test]
    fn index_selects_platform() {
        let idx = format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[
              {{"mediaType":"{OCI_MANIFEST}","digest":"{D1}","size":1,"platform":{{"os":"linux","architecture":"amd64"}}}},
              {{"mediaType":"{OCI_MANIFEST}","digest":"{D2}","size":1,"platform":{{"os":"linux","architecture":"arm64","variant":"v8"}}}}]}}"#
        );
        let Manifest::Index(i) = parse(idx.as_bytes(), None).unwrap() else {
            panic!("expected an index")
        };
        assert_eq!(
            i.select(&plat("linux", "amd64", None))
                .unwrap()
                .digest
                .as_str(),
            D1
        );
        assert_eq!(
            i.select(&plat("linux", "arm64", None))
                .unwrap()
                .digest
                .as_str(),
            D2
        );
        let e = i.select(&plat("linux", "s390x", None)).unwrap_err();
        assert!(format!("{e:#}").contains("linux/arm64/v8"), "{e:#}");
    }

    #[test]
    fn platform_flags() {
        let p = Platform::choose(Some("linux/arm64"), None, None, None).unwrap();
        assert_eq!(p, plat("linux", "arm64", Some("v8")));
        let p = Platform::choose(None, None, Some("arm"), Some("v6")).unwrap();
        assert_eq!(
            (p.architecture.as_str(), p.variant.as_deref()),
            ("arm", Some("v6"))
        );
        let p = Platform::choose(Some("linux/x86_64"), None, None, None).unwrap();
        assert_eq!(p.architecture, "amd64");
        for bad in ["linux", "linux/", "a/b/c/d", "linux/../x"] {
            assert!(
                Platform::choose(Some(bad), None, None, None).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn variant_matching() {
        let arm64 = plat("linux", "arm64", Some("v8"));
        assert!(arm64.matches(&plat("linux", "arm64", None)));
        assert!(arm64.matches(&plat("linux", "aarch64", Some("v8"))));
        let v7 = plat("linux", "arm", Some("v7"));
        assert!(v7.matches(&plat("linux", "arm", Some("v7"))));
        assert!(!v7.matches(&plat("linux", "arm", Some("v6"))));
        assert!(!v7.matches(&plat("linux", "arm", None)));
        assert!(!plat("linux", "amd64", None).matches(&plat("windows", "amd64", None)));
    }
}
