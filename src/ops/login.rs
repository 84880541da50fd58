//! `login` and `logout`: checking credentials against a registry and keeping them in the auth
//! file (0600), and taking them out again.

use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};

use crate::context::Context;
use crate::error;
use crate::ops::pull::RegistryOptions;
use crate::registry::auth::{AuthFiles, Credentials};
use crate::registry::client::Client;

/// Options for [`login`].
#[derive(Debug)]
pub struct LoginOptions {
    /// `host[:port]`, or a reference whose registry is meant (`docker.io` by default).
    pub registry: Option<String>,
    pub username: String,
    pub password: String,
    pub registry_options: RegistryOptions,
}

/// What [`login`] did.
#[derive(Debug)]
pub struct LoginReport {
    pub registry: String,
    /// Where the credentials were written.
    pub authfile: PathBuf,
}

/// `docker.io` for nothing; the registry part of `localhost:5000/ns` or a bare host.
pub fn registry_of(arg: Option<&str>) -> Result<String> {
    let Some(a) = arg.map(str::trim).filter(|a| !a.is_empty()) else {
        return Ok("docker.io".to_string());
    };
    let a = a
        .strip_prefix("https://")
        .or_else(|| a.strip_prefix("http://"))
        .unwrap_or(a);
    let a = a.trim_end_matches('/');
    let host = a.split('/').next().unwrap_or(a);
    let host = match host {
        "index.docker.io" | "registry-1.docker.io" => "docker.io",
        h => h,
    };
    // Validate the host through the reference grammar (I7).
    crate::registry::ImageRef::parse(&format!("{host}/x"))
        .map_err(|_| error::invalid(format!("invalid registry {host:?}")))?;
    Ok(host.to_string())
}

/// Checks the credentials with the registry (`GET /v2/`, answering its challenge), then stores
/// them. Wrong credentials fail with the registry's 401 and nothing is written.
pub fn login(ctx: &Context, opts: LoginOptions) -> Result<LoginReport> {
    let registry = registry_of(opts.registry.as_deref())?;
    if opts.username.is_empty() {
        bail!(error::invalid("login: the user name is empty"));
    }
    let creds = Credentials {
        username: opts.username,
        password: opts.password,
    };
    let client = Client::new(
        &registry,
        Some(creds.clone()),
        &opts.registry_options.client_options(ctx, &registry, "")?,
    )?;
    client
        .ping()
        .with_context(|| format!("logging in to {registry}"))?;
    let files = AuthFiles::new(ctx, opts.registry_options.authfile.clone());
    files.store(&registry, &creds)?;
    Ok(LoginReport {
        registry,
        authfile: files.target().to_path_buf(),
    })
}

/// The user name stored for `registry` (`--get-login`).
pub fn get_login(
    ctx: &Context,
    registry: Option<&str>,
    authfile: Option<PathBuf>,
) -> Result<String> {
    let registry = registry_of(registry)?;
    match AuthFiles::new(ctx, authfile).lookup(&registry, None)? {
        Some(c) => Ok(c.username),
        None => bail!(error::not_found(format!("not logged into {registry}"))),
    }
}

/// Removes the stored credentials for `registry`, or all of them with `all`.
pub fn logout(
    ctx: &Context,
    registry: Option<&str>,
    all: bool,
    authfile: Option<PathBuf>,
) -> Result<String> {
    let files = AuthFiles::new(ctx, authfile);
    if all {
        files.remove_all()?;
        return Ok(String::new());
    }
    let registry = registry_of(registry)?;
    if !files.remove(&registry)? {
        bail!(error::not_found(format!("not logged into {registry}")));
    }
    Ok(registry)
}
