//! `search`: finding repositories in a registry. A private registry is searched through its
//! catalog (`/v2/_catalog`, filtered by the term); docker.io through Docker Hub's search API,
//! since Hub has no catalog. `--list-tags` lists one repository's tags instead.

use anyhow::{Context as _, Result, bail};

use crate::context::Context;
use crate::error;
use crate::ops::pull::RegistryOptions;
use crate::registry::ImageRef;
use crate::registry::reference::DEFAULT_DOMAIN;

/// Options for [`search`].
#[derive(Debug, Default)]
pub struct SearchOptions {
    /// `TERM`, `HOST/TERM` or `HOST/` (everything in HOST's catalog).
    pub term: String,
    /// At most this many results (per registry); 0 for no limit.
    pub limit: usize,
    /// List the tags of the repository `term` names.
    pub list_tags: bool,
    pub registry: RegistryOptions,
}

/// One search result.
#[derive(Debug, Clone)]
pub struct SearchResult {
    /// `host/repository` (`docker.io/library/busybox`), or with `--list-tags` the repository.
    pub name: String,
    /// The tag, with `--list-tags`.
    pub tag: Option<String>,
    pub description: String,
    pub stars: u64,
    pub official: bool,
    pub automated: bool,
}

/// Searches one registry. Errors name the registry (401/403 with a `berth login` hint); a
/// registry without a catalog answers 404, reported as such.
pub fn search(ctx: &Context, opts: &SearchOptions) -> Result<Vec<SearchResult>> {
    let term = opts.term.trim();
    if term.is_empty() {
        bail!(error::invalid("search: the term is empty"));
    }
    if opts.list_tags {
        let r = ImageRef::parse(term)?;
        if r.tag.is_some() || r.digest.is_some() {
            bail!(error::invalid(format!(
                "--list-tags: {term:?} names a tag or digest; give a repository"
            )));
        }
        let client = opts.registry.client(ctx, &r.domain, Some(&r.path))?;
        let mut tags = client
            .tags(&r.path)
            .with_context(|| format!("listing tags of {}", r.repository()))?;
        tags.sort();
        if opts.limit > 0 {
            tags.truncate(opts.limit);
        }
        return Ok(tags
            .into_iter()
            .map(|t| SearchResult {
                name: r.repository(),
                tag: Some(t),
                description: String::new(),
                stars: 0,
                official: false,
                automated: false,
            })
            .collect());
    }
    // `host/rest` names a registry when `host` looks like one (Docker's rule).
    let (domain, needle) = match term.split_once('/') {
        Some((h, rest)) if h.contains('.') || h.contains(':') || h == "localhost" => {
            (h.to_string(), rest.to_string())
        }
        _ => (DEFAULT_DOMAIN.to_string(), term.to_string()),
    };
    ImageRef::parse(&format!("{domain}/x"))
        .map_err(|_| error::invalid(format!("invalid registry {domain:?}")))?;
    let client = opts.registry.client(ctx, &domain, None)?;
    let mut out: Vec<SearchResult> = if domain == DEFAULT_DOMAIN {
        let limit = if opts.limit == 0 { 25 } else { opts.limit };
        client
            .hub_search(&needle, limit)
            .with_context(|| format!("searching {domain} for {needle:?}"))?
            .into_iter()
            .map(|h| SearchResult {
                name: format!("{domain}/{}", h.name),
                tag: None,
                description: h.description,
                stars: h.star_count,
                official: h.is_official,
                automated: h.is_automated,
            })
            .collect()
    } else {
        client
            .catalog()
            .with_context(|| format!("searching {domain}"))?
            .into_iter()
            .filter(|r| r.contains(&needle))
            .map(|r| SearchResult {
                name: format!("{domain}/{r}"),
                tag: None,
                description: String::new(),
                stars: 0,
                official: false,
                automated: false,
            })
            .collect()
    };
    if opts.limit > 0 {
        out.truncate(opts.limit);
    }
    Ok(out)
}
