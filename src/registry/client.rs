//! The HTTP side of the distribution protocol: one `Client` per registry, doing every request
//! berth makes to it (ping, auth, manifests, blobs, uploads, tags, catalog).
//!
//! Security rules kept here (SECURITY.md I6–I8): every body read is capped; digests are checked
//! by the caller against bytes it hashed itself; redirects are followed by hand so credentials
//! never go to another origin and https never falls back to http; a token realm must be https
//! (http only for a registry already spoken to over http) and is never redirected.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use serde::Deserialize;
use ureq::http::{self, Method};

use super::auth::Credentials;
use super::challenge::{self, Challenge};
use crate::error;
use crate::storage::MAX_METADATA;
use crate::storage::digest::Digest;

/// Token and error bodies are capped at this (I6).
pub const MAX_SMALL_BODY: u64 = 1 << 20;
const MAX_REDIRECTS: usize = 5;
/// How long to wait for a connection, unless the registries configuration says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long to wait for each read (headers or a piece of a body), unless the registries
/// configuration says otherwise: long enough for a slow registry, short enough that a stalled
/// one fails the pull instead of hanging it.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(120);
/// Blobs bigger than this are pushed in chunks of this size, unless the registries
/// configuration says otherwise: one request body stays under what proxies in front of
/// registries commonly accept, and smaller blobs keep the single PUT.
pub const DEFAULT_CHUNK_SIZE: u64 = 256 << 20;

/// A network failure worth retrying (`--retry`): connection errors, timeouts, 429 and 5xx.
/// Never a digest mismatch or a 4xx.
#[derive(Debug)]
pub struct Transient(pub String);

impl std::fmt::Display for Transient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Transient {}

/// True when `e` is a failure `--retry` may retry.
pub fn is_transient(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<Transient>().is_some())
}

/// How to reach registries.
#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    /// `--tls-verify`: `Some(false)` allows unverified https and plain http.
    pub tls_verify: Option<bool>,
    /// `--cert-dir`: a directory holding `*.crt` (and `*.cert`/`*.key`) for this registry.
    pub cert_dir: Option<PathBuf>,
    /// certs.d directories holding `<host[:port]>/*.crt` (and `*.cert`/`*.key`).
    pub certs_d: Vec<PathBuf>,
    /// `connect-timeout` from the registries configuration: `None` is the default
    /// ([`DEFAULT_CONNECT_TIMEOUT`]), `Some(None)` no limit.
    pub connect_timeout: Option<Option<Duration>>,
    /// `read-timeout`, likewise ([`DEFAULT_READ_TIMEOUT`]).
    pub read_timeout: Option<Option<Duration>>,
    /// `upload-chunk-size`: `None` is [`DEFAULT_CHUNK_SIZE`], `Some(0)` never chunks.
    pub chunk_size: Option<u64>,
}

/// A connection to one registry.
pub struct Client {
    agent: ureq::Agent,
    /// The registry as references name it: `docker.io`, `localhost:5000`.
    pub domain: String,
    /// `https://registry-1.docker.io`, `http://localhost:5000`.
    base: String,
    creds: Option<Credentials>,
    state: Mutex<AuthState>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    chunk_size: u64,
}

#[derive(Default)]
struct AuthState {
    /// The registry answered with a basic challenge: send basic auth everywhere.
    basic: bool,
    /// The bearer challenge learned from the registry.
    bearer: Option<Challenge>,
    /// Tokens by scope.
    tokens: HashMap<String, String>,
}

/// One result of Docker Hub's search API.
#[derive(Debug, Clone, Deserialize)]
pub struct HubResult {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub star_count: u64,
    #[serde(default)]
    pub is_official: bool,
    #[serde(default)]
    pub is_automated: bool,
}

/// A request body.
#[derive(Clone, Copy)]
pub enum Body<'a> {
    Empty,
    Bytes(&'a [u8], &'a str),
    /// A file, opened anew for each attempt (a redirect re-sends it), and its length.
    File(&'a (dyn Fn() -> Result<File> + Sync), u64),
    /// `len` bytes of a file from `offset` (one chunk of a chunked upload).
    Range(&'a (dyn Fn() -> Result<File> + Sync), u64, u64),
}

/// True for registries Docker lets speak plain http without being told.
pub fn is_localhost(domain: &str) -> bool {
    let host = match domain.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => domain,
    };
    matches!(host, "localhost" | "127.0.0.1" | "[::1]") || host.starts_with("127.")
}

impl Client {
    /// A client for `domain` with `creds` (from `--creds` or the auth files). Makes no request,
    /// except for an insecure registry: one https probe decides between https and http.
    pub fn new(domain: &str, creds: Option<Credentials>, opts: &ClientOptions) -> Result<Client> {
        let endpoint = if domain == "docker.io" {
            "registry-1.docker.io"
        } else {
            domain
        };
        let dirs: Vec<PathBuf> = opts
            .cert_dir
            .iter()
            .cloned()
            .chain(opts.certs_d.iter().map(|d| d.join(domain)))
            .collect();
        let has_ca = dirs.iter().any(|d| {
            std::fs::read_dir(d).is_ok_and(|mut es| {
                es.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".crt")))
            })
        });
        // An insecure registry (--tls-verify=false, or localhost without a CA of its own, as
        // Docker treats it) gets unverified https when it speaks TLS, else plain http.
        let insecure = match opts.tls_verify {
            Some(v) => !v,
            None => is_localhost(domain) && !has_ca,
        };
        let tls = tls_config(domain, &dirs, !insecure)?;
        let connect_timeout = opts
            .connect_timeout
            .unwrap_or(Some(DEFAULT_CONNECT_TIMEOUT));
        let read_timeout = opts.read_timeout.unwrap_or(Some(DEFAULT_READ_TIMEOUT));
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(format!("berth/{}", env!("CARGO_PKG_VERSION")))
            .timeout_connect(connect_timeout)
            .timeout_per_read(read_timeout)
            .tls_config(tls)
            .build();
        let agent = ureq::Agent::new_with_config(config);
        let scheme = if insecure && agent.get(format!("https://{endpoint}/v2/")).call().is_err() {
            "http"
        } else {
            "https"
        };
        Ok(Client {
            agent,
            domain: domain.to_string(),
            base: format!("{scheme}://{endpoint}"),
            creds,
            state: Mutex::new(AuthState::default()),
            connect_timeout,
            read_timeout,
            chunk_size: opts.chunk_size.unwrap_or(DEFAULT_CHUNK_SIZE),
        })
    }

    /// `GET /v2/`: checks the registry answers and the credentials work.
    pub fn ping(&self) -> Result<()> {
        let url = format!("{}/v2/", self.base);
        let resp = self.send(&Method::GET, &url, "", &[], Body::Empty)?;
        match resp.status().as_u16() {
            200..=299 => Ok(()),
            _ => Err(self.status_error(resp, "checking access to", None)),
        }
    }

    /// Fetches a manifest by tag or digest: `(bytes, content type, digest of the bytes)`.
    /// When `reference` is a digest the bytes must hash to it.
    pub fn manifest(
        &self,
        repo: &str,
        reference: &str,
        accept: &str,
    ) -> Result<(Vec<u8>, Option<String>, Digest)> {
        let url = format!("{}/v2/{repo}/manifests/{reference}", self.base);
        let resp = self.send(
            &Method::GET,
            &url,
            &pull_scope(repo),
            &[("Accept", accept)],
            Body::Empty,
        )?;
        if !resp.status().is_success() {
            return Err(self.status_error(resp, "reading manifest", Some((repo, reference))));
        }
        let ct = header(&resp, "content-type");
        let bytes = read_body(resp, MAX_METADATA, "manifest")?;
        let digest = Digest::of(&bytes);
        if reference.starts_with("sha256:") && digest.as_str() != reference {
            bail!(error::invalid(format!(
                "digest mismatch: manifest {reference} from {}/{repo} has content {digest}",
                self.domain
            )));
        }
        Ok((bytes, ct, digest))
    }

    /// Opens a blob for streaming; the reader fails past `size` bytes (I6). The caller hashes.
    pub fn blob(&self, repo: &str, digest: &Digest, size: u64) -> Result<Box<dyn Read + Send>> {
        let url = format!("{}/v2/{repo}/blobs/{digest}", self.base);
        let resp = self.send(&Method::GET, &url, &pull_scope(repo), &[], Body::Empty)?;
        if !resp.status().is_success() {
            return Err(self.status_error(resp, "fetching blob", Some((repo, digest.as_str()))));
        }
        if let Some(len) = header(&resp, "content-length").and_then(|l| l.parse::<u64>().ok())
            && len > size
        {
            bail!(error::invalid(format!(
                "blob {digest} from {}/{repo} is {len} bytes, larger than its descriptor's {size}",
                self.domain
            )));
        }
        let reader = Stalls {
            inner: resp.into_body().into_reader(),
            note: self.timeout_note(ureq::Timeout::PerRead),
        };
        Ok(Box::new(crate::storage::compress::Capped::new(
            reader, size, "blob",
        )))
    }

    /// Reads a small blob (a config) whole and checks its digest.
    pub fn small_blob(&self, repo: &str, digest: &Digest, size: u64) -> Result<Vec<u8>> {
        if size > MAX_METADATA {
            bail!(error::invalid(format!(
                "config {digest} is {size} bytes, more than the {MAX_METADATA} allowed"
            )));
        }
        let mut r = self.blob(repo, digest, size)?;
        let mut bytes = Vec::new();
        r.read_to_end(&mut bytes)
            .map_err(|e| transient_io(e, &format!("reading blob {digest}")))?;
        if Digest::of(&bytes) != *digest {
            bail!(error::invalid(format!(
                "digest mismatch: blob {digest} from {}/{repo} has content {}",
                self.domain,
                Digest::of(&bytes)
            )));
        }
        Ok(bytes)
    }

    /// `HEAD` a blob: does `repo` have it?
    pub fn has_blob(&self, repo: &str, digest: &Digest) -> Result<bool> {
        let url = format!("{}/v2/{repo}/blobs/{digest}", self.base);
        let resp = self.send(&Method::HEAD, &url, &push_scope(repo), &[], Body::Empty)?;
        match resp.status().as_u16() {
            200..=299 => Ok(true),
            404 => Ok(false),
            _ => Err(self.status_error(resp, "checking blob", Some((repo, digest.as_str())))),
        }
    }

    /// Tries a cross-repository mount of `digest` from `from` into `repo`. True when mounted;
    /// false when the registry wants an upload instead.
    pub fn mount_blob(&self, repo: &str, digest: &Digest, from: &str) -> Result<bool> {
        let url = format!(
            "{}/v2/{repo}/blobs/uploads/?mount={digest}&from={from}",
            self.base
        );
        let scope = format!("{} {}", push_scope(repo), pull_scope(from));
        let resp = self.send(&Method::POST, &url, &scope, &[], Body::Empty)?;
        match resp.status().as_u16() {
            201 => Ok(true),
            202 => {
                // An upload session was opened instead; let it expire unused.
                Ok(false)
            }
            401 | 403 | 404 => Ok(false),
            _ => Err(self.status_error(resp, "mounting blob", Some((repo, digest.as_str())))),
        }
    }

    /// Uploads a blob; `open` opens its content. In one PUT (monolithic upload), or, when it
    /// is bigger than the chunk size (`upload-chunk-size`, raised to the registry's
    /// `OCI-Chunk-Min-Length`), as PATCHes with `Content-Range` and a closing empty PUT.
    pub fn upload_blob(
        &self,
        repo: &str,
        digest: &Digest,
        open: &(dyn Fn() -> Result<File> + Sync),
        size: u64,
    ) -> Result<()> {
        let url = format!("{}/v2/{repo}/blobs/uploads/", self.base);
        let scope = push_scope(repo);
        let resp = self.send(&Method::POST, &url, &scope, &[], Body::Empty)?;
        if resp.status().as_u16() != 202 {
            return Err(self.status_error(resp, "starting upload", Some((repo, digest.as_str()))));
        }
        let min = header(&resp, "oci-chunk-min-length").and_then(|m| m.parse::<u64>().ok());
        let mut loc = self.upload_location(&url, &resp)?;
        let chunk = match self.chunk_size {
            0 => 0,
            c => c.max(min.unwrap_or(0)),
        };
        let mut body = Body::File(open, size);
        if chunk > 0 && size > chunk {
            let mut offset = 0;
            while offset < size {
                let len = chunk.min(size - offset);
                let range = format!("{offset}-{}", offset + len - 1);
                let resp = self.send(
                    &Method::PATCH,
                    &loc,
                    &scope,
                    &[
                        ("Content-Type", "application/octet-stream"),
                        ("Content-Range", &range),
                    ],
                    Body::Range(open, offset, len),
                )?;
                if resp.status().as_u16() != 202 {
                    return Err(self.status_error(
                        resp,
                        &format!("uploading bytes {range} of blob"),
                        Some((repo, digest.as_str())),
                    ));
                }
                loc = self.upload_location(&loc, &resp)?;
                offset += len;
            }
            body = Body::Empty;
        }
        let sep = if loc.contains('?') { '&' } else { '?' };
        let put = format!("{loc}{sep}digest={digest}");
        let resp = self.send(
            &Method::PUT,
            &put,
            &scope,
            &[("Content-Type", "application/octet-stream")],
            body,
        )?;
        if resp.status().as_u16() != 201 {
            return Err(self.status_error(resp, "uploading blob", Some((repo, digest.as_str()))));
        }
        Ok(())
    }

    /// The `Location` of an upload session, resolved against `url`; only on the registry's own
    /// origin, since the blob goes there with our credentials.
    fn upload_location(&self, url: &str, resp: &http::Response<ureq::Body>) -> Result<String> {
        let loc = header(resp, "location").context("the registry sent no upload location")?;
        let loc = resolve(url, &loc)?;
        if origin(&loc)? != origin(url)? {
            bail!("the registry's upload location {loc} is on another host; refusing to send");
        }
        Ok(loc)
    }

    /// PUTs manifest bytes under a tag or digest; returns the digest the registry reports.
    pub fn put_manifest(
        &self,
        repo: &str,
        reference: &str,
        bytes: &[u8],
        media_type: &str,
    ) -> Result<()> {
        let url = format!("{}/v2/{repo}/manifests/{reference}", self.base);
        let resp = self.send(
            &Method::PUT,
            &url,
            &push_scope(repo),
            &[],
            Body::Bytes(bytes, media_type),
        )?;
        if !resp.status().is_success() {
            return Err(self.status_error(resp, "writing manifest", Some((repo, reference))));
        }
        Ok(())
    }

    /// Every tag of `repo` (following `Link` pagination).
    pub fn tags(&self, repo: &str) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Tags {
            #[serde(default)]
            tags: Option<Vec<String>>,
        }
        let mut out = Vec::new();
        let mut url = format!("{}/v2/{repo}/tags/list", self.base);
        for _ in 0..1000 {
            let resp = self.send(&Method::GET, &url, &pull_scope(repo), &[], Body::Empty)?;
            if !resp.status().is_success() {
                return Err(self.status_error(resp, "listing tags", Some((repo, ""))));
            }
            let next = header(&resp, "link").and_then(|l| next_link(&l));
            let bytes = read_body(resp, MAX_METADATA, "tag list")?;
            let t: Tags = serde_json::from_slice(&bytes)
                .map_err(|e| error::invalid(format!("malformed tag list: {e}")))?;
            out.extend(t.tags.unwrap_or_default());
            match next {
                Some(n) => url = resolve(&url, &n)?,
                None => return Ok(out),
            }
        }
        bail!("the tag list of {}/{repo} does not end", self.domain)
    }

    /// The repositories the registry lists in `/v2/_catalog`.
    pub fn catalog(&self) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Catalog {
            #[serde(default)]
            repositories: Option<Vec<String>>,
        }
        let mut out = Vec::new();
        let mut url = format!("{}/v2/_catalog", self.base);
        for _ in 0..1000 {
            let resp = self.send(&Method::GET, &url, "registry:catalog:*", &[], Body::Empty)?;
            if !resp.status().is_success() {
                return Err(self.status_error(resp, "listing the catalog", None));
            }
            let next = header(&resp, "link").and_then(|l| next_link(&l));
            let bytes = read_body(resp, MAX_METADATA, "catalog")?;
            let c: Catalog = serde_json::from_slice(&bytes)
                .map_err(|e| error::invalid(format!("malformed catalog: {e}")))?;
            out.extend(c.repositories.unwrap_or_default());
            match next {
                Some(n) => url = resolve(&url, &n)?,
                None => return Ok(out),
            }
        }
        bail!("the catalog of {} does not end", self.domain)
    }

    /// Docker Hub's search API (`index.docker.io/v1/search`): `(name, description, stars,
    /// official)` per result. Only for docker.io, which has no usable catalog.
    pub fn hub_search(&self, term: &str, limit: usize) -> Result<Vec<HubResult>> {
        #[derive(Deserialize)]
        struct Page {
            #[serde(default)]
            results: Vec<HubResult>,
        }
        let url = format!(
            "https://index.docker.io/v1/search?q={}&n={limit}",
            urlencode(term)
        );
        let resp = self.follow(&Method::GET, &url, &[], Body::Empty, None)?;
        if !resp.status().is_success() {
            return Err(self.status_error(resp, "searching", None));
        }
        let bytes = read_body(resp, MAX_METADATA, "search result")?;
        let p: Page = serde_json::from_slice(&bytes)
            .map_err(|e| error::invalid(format!("malformed search result: {e}")))?;
        Ok(p.results)
    }

    /// Sends a request with the credentials this scope needs, answering one 401 challenge.
    fn send(
        &self,
        method: &Method,
        url: &str,
        scope: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
    ) -> Result<http::Response<ureq::Body>> {
        let mut answered = false;
        loop {
            let auth = self.auth_header(scope);
            let resp = self.follow(method, url, headers, body, auth)?;
            if resp.status().as_u16() != 401 || answered {
                return Ok(resp);
            }
            answered = true;
            let Some(h) = header(&resp, "www-authenticate") else {
                return Ok(resp);
            };
            if !self.authenticate(&h, scope)? {
                return Ok(resp);
            }
        }
    }

    fn auth_header(&self, scope: &str) -> Option<String> {
        let st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if st.basic {
            return self.creds.as_ref().map(Credentials::basic_header);
        }
        st.tokens.get(scope).map(|t| format!("Bearer {t}"))
    }

    /// Learns from a challenge. True when a retry can now succeed.
    fn authenticate(&self, header: &str, scope: &str) -> Result<bool> {
        let challenges = challenge::parse(header);
        if let Some(b) = challenges.iter().find(|c| c.scheme == "bearer") {
            let token = self.fetch_token(b, scope)?;
            let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
            st.bearer = Some(b.clone());
            st.tokens.insert(scope.to_string(), token);
            return Ok(true);
        }
        if challenges.iter().any(|c| c.scheme == "basic") && self.creds.is_some() {
            let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
            if st.basic {
                return Ok(false);
            }
            st.basic = true;
            return Ok(true);
        }
        Ok(false)
    }

    /// Gets a bearer token from the challenge's realm (anonymous, or with basic credentials).
    fn fetch_token(&self, c: &Challenge, scope: &str) -> Result<String> {
        let realm = c
            .param("realm")
            .context("the registry's bearer challenge has no realm")?;
        let (scheme, host, _) = origin(realm)
            .map_err(|_| error::invalid(format!("the token realm {realm:?} is not a URL")))?;
        let authority = realm
            .split_once("://")
            .map(|(_, r)| r.split('/').next().unwrap_or(r))
            .unwrap_or("");
        if authority.contains('@') || host.is_empty() {
            bail!(error::invalid(format!(
                "the token realm {realm:?} is not acceptable: it carries user info"
            )));
        }
        if scheme != "https" && !self.base.starts_with("http://") {
            bail!(error::invalid(format!(
                "the token realm {realm:?} is not https: refusing to send credentials over http"
            )));
        }
        let mut url = realm.to_string();
        let mut sep = if url.contains('?') { '&' } else { '?' };
        if let Some(s) = c.param("service") {
            url.push_str(&format!("{sep}service={}", urlencode(s)));
            sep = '&';
        }
        for s in scope.split(' ').filter(|s| !s.is_empty()) {
            url.push_str(&format!("{sep}scope={}", urlencode(s)));
            sep = '&';
        }
        let mut req = self.agent.get(&url);
        if let Some(cr) = &self.creds {
            req = req.header("Authorization", cr.basic_header());
        }
        let resp = req
            .call()
            .map_err(|e| self.net_error(e, &format!("getting a token from {realm}")))?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            let location = header(&resp, "location")
                .map(|l| l.chars().filter(|c| !c.is_control()).take(300).collect())
                .unwrap_or_else(|| "nowhere".to_string());
            let detail = error_detail(resp);
            let what = format!(
                "getting a token from {realm} for {}: {status}{detail}",
                self.domain
            );
            return Err(match status {
                // I8: a token request carries the credentials; it is never redirected.
                300..=399 => error::invalid(format!(
                    "{what}: the token endpoint redirected to {location}: refusing to follow it, token requests are never redirected"
                )),
                401 | 403 => anyhow!(
                    "{what}: unauthorized: check the user name and password (run berth login {})",
                    self.domain
                ),
                429 | 500..=599 => anyhow::Error::new(Transient(what)),
                _ => anyhow!(what),
            });
        }
        #[derive(Deserialize)]
        struct Token {
            #[serde(default)]
            token: Option<String>,
            #[serde(default)]
            access_token: Option<String>,
        }
        let bytes = read_body(resp, MAX_SMALL_BODY, "token")?;
        let t: Token = serde_json::from_slice(&bytes)
            .map_err(|e| error::invalid(format!("malformed token response from {realm}: {e}")))?;
        t.token
            .or(t.access_token)
            .filter(|t| !t.is_empty() && !t.contains(['\r', '\n']))
            .with_context(|| format!("the token response from {realm} has no token"))
    }

    /// Sends one request, following redirects by hand: at most [`MAX_REDIRECTS`], never from
    /// https to http, and without `Authorization` once the origin changes (I8).
    fn follow(
        &self,
        method: &Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
        auth: Option<String>,
    ) -> Result<http::Response<ureq::Body>> {
        let first = origin(url)?;
        let mut url = url.to_string();
        let mut auth = auth;
        for _ in 0..=MAX_REDIRECTS {
            let mut b = http::Request::builder().method(method.clone()).uri(&url);
            for (k, v) in headers {
                b = b.header(*k, *v);
            }
            if let Some(a) = &auth {
                b = b.header("Authorization", a);
            }
            let what = format!("{method} {url}");
            let resp = match body {
                Body::Empty => self.agent.run(b.body(()).context("building a request")?),
                Body::Bytes(bytes, ct) => self.agent.run(
                    b.header("Content-Type", ct)
                        .body(bytes)
                        .context("building a request")?,
                ),
                Body::File(open, size) => {
                    let f = open()?;
                    self.agent.run(
                        b.header("Content-Length", size.to_string())
                            .body(f)
                            .context("building a request")?,
                    )
                }
                Body::Range(open, offset, len) => {
                    use std::io::{Seek, SeekFrom};
                    let mut f = open()?;
                    f.seek(SeekFrom::Start(offset))
                        .context("seeking to the chunk to upload")?;
                    self.agent.run(
                        b.header("Content-Length", len.to_string())
                            .body(ureq::SendBody::from_owned_reader(f.take(len)))
                            .context("building a request")?,
                    )
                }
            }
            .map_err(|e| self.net_error(e, &format!("{what} (registry {})", self.domain)))?;
            let status = resp.status().as_u16();
            if !matches!(status, 301 | 302 | 303 | 307 | 308) {
                return Ok(resp);
            }
            let loc = header(&resp, "location")
                .with_context(|| format!("{what}: a redirect without a location"))?;
            let next = resolve(&url, &loc)?;
            if !redirect_keeps_auth(&first, &url, &next)
                .with_context(|| format!("{what}: the registry redirected to {next}"))?
            {
                auth = None;
            }
            url = next;
        }
        bail!("{method} {url}: too many redirects")
    }

    /// The error for a non-success answer: names the registry, the repository and what to do.
    fn status_error(
        &self,
        resp: http::Response<ureq::Body>,
        doing: &str,
        target: Option<(&str, &str)>,
    ) -> anyhow::Error {
        let status = resp.status().as_u16();
        let detail = error_detail(resp);
        let at = match target {
            Some((repo, r)) if r.starts_with("sha256:") => format!("{}/{repo}@{r}", self.domain),
            Some((repo, "")) => format!("{}/{repo}", self.domain),
            Some((repo, r)) => format!("{}/{repo}:{r}", self.domain),
            None => self.domain.clone(),
        };
        let msg = format!("{doing} {at}: {status}{detail}");
        match status {
            401 => anyhow!(
                "{msg}: unauthorized: authentication required or wrong credentials (run berth login {})",
                self.domain
            ),
            403 => anyhow!(
                "{msg}: access denied (check your permissions, or run berth login {})",
                self.domain
            ),
            404 => error::not_found(format!(
                "{msg}: not found (check the name and tag, or run berth login {} if the repository is private)",
                self.domain
            )),
            429 => anyhow::Error::new(Transient(format!(
                "{msg}: too many requests: the registry is rate-limiting, try again later"
            ))),
            500..=599 => anyhow::Error::new(Transient(format!(
                "{msg}: the registry failed, try again later"
            ))),
            _ => anyhow!(msg),
        }
    }
}

fn pull_scope(repo: &str) -> String {
    format!("repository:{repo}:pull")
}

fn push_scope(repo: &str) -> String {
    format!("repository:{repo}:pull,push")
}

fn header(resp: &http::Response<ureq::Body>, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Reads a whole body, refusing more than `cap` bytes (I6).
fn read_body(resp: http::Response<ureq::Body>, cap: u64, what: &str) -> Result<Vec<u8>> {
    let r = resp.into_body().into_reader();
    let mut buf = Vec::new();
    r.take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|e| transient_io(e, &format!("reading {what}")))?;
    if buf.len() as u64 > cap {
        bail!(error::invalid(format!(
            "the {what} is larger than {cap} bytes: refusing it"
        )));
    }
    Ok(buf)
}

/// `: <code>: <message>` from a distribution error body, or nothing.
fn error_detail(resp: http::Response<ureq::Body>) -> String {
    #[derive(Deserialize)]
    struct Errors {
        #[serde(default)]
        errors: Vec<ErrorItem>,
    }
    #[derive(Deserialize)]
    struct ErrorItem {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    let Ok(bytes) = read_body(resp, MAX_SMALL_BODY, "error body") else {
        return String::new();
    };
    match serde_json::from_slice::<Errors>(&bytes) {
        Ok(e) if !e.errors.is_empty() => e
            .errors
            .iter()
            .map(|i| {
                let s = format!("{}: {}", i.code.to_lowercase(), i.message);
                s.chars()
                    .filter(|c| !c.is_control())
                    .take(300)
                    .collect::<String>()
            })
            .map(|s| format!(" {s}"))
            .collect::<Vec<_>>()
            .join(";"),
        _ => String::new(),
    }
}

impl Client {
    /// What a timeout of kind `t` means, with the limit and where to change it.
    fn timeout_note(&self, t: ureq::Timeout) -> String {
        let (limit, key) = match t {
            ureq::Timeout::Connect | ureq::Timeout::Resolve => {
                (self.connect_timeout, "connect-timeout")
            }
            _ => (self.read_timeout, "read-timeout"),
        };
        match limit {
            Some(d) if key == "connect-timeout" => format!(
                "timed out: no connection within {} (set {key} in the registries configuration)",
                human(d)
            ),
            Some(d) => format!(
                "timed out: the registry sent nothing for {} (set {key} in the registries configuration)",
                human(d)
            ),
            None => format!("timed out ({t})"),
        }
    }

    fn net_error(&self, e: ureq::Error, what: &str) -> anyhow::Error {
        match e {
            ureq::Error::Timeout(t) => {
                anyhow::Error::new(Transient(format!("{what}: {}", self.timeout_note(t))))
            }
            e => net_error(e, what),
        }
    }
}

/// `1s`, `1.5s`, `2m`.
fn human(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 60.0 && s % 60.0 == 0.0 {
        format!("{}m", s / 60.0)
    } else {
        format!("{s}s")
    }
}

/// A blob body whose read timeouts say what happened, still as `TimedOut` so `--retry`
/// retries them.
struct Stalls<R> {
    inner: R,
    note: String,
}

impl<R: Read> Read for Stalls<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            // ureq reports its own timeouts as `Other` wrapping `ureq::Error::Timeout`.
            let ureq_timeout = e
                .get_ref()
                .and_then(|i| i.downcast_ref::<ureq::Error>())
                .is_some_and(|u| matches!(u, ureq::Error::Timeout(_)));
            if ureq_timeout || e.kind() == std::io::ErrorKind::TimedOut {
                std::io::Error::new(std::io::ErrorKind::TimedOut, self.note.clone())
            } else {
                e
            }
        })
    }
}

fn net_error(e: ureq::Error, what: &str) -> anyhow::Error {
    let transient = matches!(
        e,
        ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound
            | ureq::Error::Protocol(_)
    );
    let msg = format!("{what}: {e}");
    if transient {
        anyhow::Error::new(Transient(msg))
    } else {
        anyhow!(msg)
    }
}

/// An I/O error while reading a body: a dropped connection is transient; the size cap is not.
pub fn transient_io(e: std::io::Error, what: &str) -> anyhow::Error {
    let msg = format!("{what}: {e}");
    let from_ureq = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<ureq::Error>())
        .is_some();
    if from_ureq {
        // A timeout or broken connection that ureq wrapped as `Other`.
        anyhow::Error::new(Transient(msg))
    } else if e.kind() == std::io::ErrorKind::InvalidData || e.kind() == std::io::ErrorKind::Other {
        // The size cap (Capped) and digest checks report InvalidData/Other: never retried.
        anyhow!(msg)
    } else {
        anyhow::Error::new(Transient(msg))
    }
}

/// Whether a redirect from `from` to `to` may keep the credentials of the first request's
/// origin `first` (I8): only while it stays on that origin. A redirect from https to http is
/// refused outright.
fn redirect_keeps_auth(first: &(String, String, u16), from: &str, to: &str) -> Result<bool> {
    let (from_scheme, ..) = origin(from)?;
    let to = origin(to)?;
    if from_scheme == "https" && to.0 != "https" {
        bail!(error::invalid(
            "refusing to follow a redirect from https to http"
        ));
    }
    Ok(to == *first)
}

/// `(scheme, host, port)` of an absolute http(s) URL.
pub fn origin(url: &str) -> Result<(String, String, u16)> {
    let uri: http::Uri = url
        .parse()
        .map_err(|_| error::invalid(format!("invalid URL {url:?}")))?;
    let scheme = uri
        .scheme_str()
        .map(str::to_ascii_lowercase)
        .with_context(|| format!("URL {url:?} has no scheme"))?;
    if scheme != "http" && scheme != "https" {
        bail!(error::invalid(format!("unsupported URL scheme in {url:?}")));
    }
    let host = uri
        .host()
        .with_context(|| format!("URL {url:?} has no host"))?
        .to_ascii_lowercase();
    let port = uri
        .port_u16()
        .unwrap_or(if scheme == "https" { 443 } else { 80 });
    Ok((scheme, host, port))
}

/// Resolves a `Location` against the URL it came from.
pub fn resolve(base: &str, loc: &str) -> Result<String> {
    if loc.starts_with("http://") || loc.starts_with("https://") {
        return Ok(loc.to_string());
    }
    let (scheme, rest) = base
        .split_once("://")
        .with_context(|| format!("URL {base:?} has no scheme"))?;
    if let Some(r) = loc.strip_prefix("//") {
        return Ok(format!("{scheme}://{r}"));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if loc.starts_with('/') {
        return Ok(format!("{scheme}://{authority}{loc}"));
    }
    let path = path.split('?').next().unwrap_or(path);
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    Ok(format!("{scheme}://{authority}{dir}{loc}"))
}

/// The `rel="next"` target of a `Link` header.
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let part = part.trim();
        if !part.contains("rel=\"next\"") && !part.contains("rel=next") {
            return None;
        }
        let start = part.find('<')? + 1;
        let end = part.find('>')?;
        (start <= end).then(|| part[start..end].to_string())
    })
}

fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// TLS settings for `host` from `dirs` (its certs.d directories): CAs (added to the system's) and a client certificate.
fn tls_config(host: &str, dirs: &[PathBuf], verify: bool) -> Result<ureq::tls::TlsConfig> {
    use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};
    let mut b = TlsConfig::builder().disable_verification(!verify);
    let mut cas: Vec<Certificate<'static>> = Vec::new();
    let mut client: Option<ClientCert> = None;
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut names: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        names.sort();
        for p in names {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".crt") {
                let bytes = read_pem(&p)?;
                for item in ureq::tls::parse_pem(&bytes) {
                    if let Ok(PemItem::Certificate(c)) = item {
                        cas.push(c);
                    }
                }
            } else if let Some(stem) = name.strip_suffix(".cert") {
                let key = p.with_file_name(format!("{stem}.key"));
                let cert = read_pem(&p)?;
                let chain: Vec<Certificate<'static>> = ureq::tls::parse_pem(&cert)
                    .filter_map(|i| match i {
                        Ok(PemItem::Certificate(c)) => Some(c),
                        _ => None,
                    })
                    .collect();
                let key = PrivateKey::from_pem(&read_pem(&key)?)
                    .map_err(|e| anyhow!("reading client key for {host}: {e}"))?;
                client = Some(ClientCert::new_with_certs(&chain, key));
            }
        }
    }
    let has_ca = !cas.is_empty();
    if has_ca {
        for bundle in [
            "/etc/ssl/certs/ca-certificates.crt",
            "/etc/pki/tls/certs/ca-bundle.crt",
        ] {
            if let Ok(bytes) = std::fs::read(bundle) {
                for item in ureq::tls::parse_pem(&bytes) {
                    if let Ok(PemItem::Certificate(c)) = item {
                        cas.push(c);
                    }
                }
                break;
            }
        }
        b = b.root_certs(RootCerts::new_with_certs(&cas));
    }
    if client.is_some() {
        b = b.client_cert(client);
    }
    Ok(b.build())
}

fn read_pem(p: &Path) -> Result<Vec<u8>> {
    let f = File::open(p).with_context(|| format!("opening {}", p.display()))?;
    crate::storage::unpack::read_capped(f, MAX_SMALL_BODY, &p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_and_compare() {
        assert_eq!(
            resolve(
                "http://a:5000/v2/x/blobs/uploads/",
                "/v2/x/blobs/uploads/u?s=1"
            )
            .unwrap(),
            "http://a:5000/v2/x/blobs/uploads/u?s=1"
        );
        assert_eq!(
            resolve("https://a/v2/x", "https://b/c").unwrap(),
            "https://b/c"
        );
        assert_eq!(resolve("https://a/v2/x", "//b/c").unwrap(), "https://b/c");
        assert_eq!(resolve("https://a/v2/x?q", "y").unwrap(), "https://a/v2/y");
        assert_eq!(
            origin("https://A:443/x").unwrap(),
            origin("https://a/y").unwrap()
        );
        assert_ne!(
            origin("http://a/x").unwrap(),
            origin("https://a/x").unwrap()
        );
        assert!(origin("ftp://a/").is_err());
        assert!(origin("not a url").is_err());
    }

    #[test]
    fn redirects_keep_credentials_only_on_their_origin() {
        let first = origin("https://reg.example/v2/x/blobs/sha256:a").unwrap();
        let keep = |from: &str, to: &str| redirect_keeps_auth(&first, from, to);
        assert!(keep("https://reg.example/v2/a", "https://reg.example:443/v2/b").unwrap());
        assert!(!keep("https://reg.example/v2/a", "https://cdn.example/b").unwrap());
        assert!(!keep("https://reg.example/v2/a", "https://reg.example:8443/b").unwrap());
        // Per hop: back on the first origin it may keep them (follow() never puts dropped
        // credentials back, though).
        assert!(keep("https://cdn.example/b", "https://reg.example/c").unwrap());
        assert!(keep("https://reg.example/v2/a", "http://reg.example/b").is_err());
        assert!(keep("https://cdn.example/a", "http://cdn.example/b").is_err());
        let plain = origin("http://127.0.0.1:5000/v2/").unwrap();
        assert!(
            !redirect_keeps_auth(
                &plain,
                "http://127.0.0.1:5000/a",
                "https://127.0.0.1:5000/a"
            )
            .unwrap()
        );
    }

    #[test]
    fn link_and_encoding() {
        assert_eq!(
            next_link(r#"</v2/_catalog?last=b&n=2>; rel="next""#).as_deref(),
            Some("/v2/_catalog?last=b&n=2")
        );
        assert_eq!(next_link(r#"<x>; rel="prev""#), None);
        assert_eq!(
            urlencode("repository:a/b:pull,push"),
            "repository%3Aa%2Fb%3Apull%2Cpush"
        );
    }

    #[test]
    fn localhost_detection() {
        assert!(is_localhost("localhost:5000"));
        assert!(is_localhost("127.0.0.1:41234"));
        assert!(is_localhost("localhost"));
        assert!(!is_localhost("localhost.example.com"));
        assert!(!is_localhost("quay.io"));
    }
}
