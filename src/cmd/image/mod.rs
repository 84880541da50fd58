//! `berth image …`: the image noun and its verbs (Docker's top-level aliases reuse these args).

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;

pub mod exists;
pub mod history;
pub mod import;
pub mod inspect;
pub mod load;
pub mod ls;
pub mod prune;
pub mod pull;
pub mod push;
pub mod rm;
pub mod save;
pub mod tag;

/// `berth image` subcommands.
#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// List images
    #[command(visible_alias = "list")]
    Ls(ls::LsArgs),
    /// Load images from a docker-archive or oci-archive
    Load(load::LoadArgs),
    /// Save images to a docker-archive or oci-archive
    Save(save::SaveArgs),
    /// Create an image from a root filesystem tarball
    Import(import::ImportArgs),
    /// Add names to an image
    Tag(tag::TagArgs),
    /// Remove names from an image
    Untag(tag::UntagArgs),
    /// Remove images
    #[command(visible_alias = "remove")]
    Rm(rm::RmArgs),
    /// Show details of images
    Inspect(inspect::InspectArgs),
    /// Show the history of an image
    History(history::HistoryArgs),
    /// Remove unused images
    Prune(prune::PruneArgs),
    /// Check whether an image exists (exit 0) or not (exit 1)
    Exists(exists::ExistsArgs),
    /// Pull an image from a registry
    Pull(pull::PullArgs),
    /// Push an image to a registry
    Push(push::PushArgs),
}

pub fn dispatch(ctx: &Context, c: ImageCommand) -> Result<ExitCode> {
    match c {
        ImageCommand::Ls(a) => ls::run(ctx, a),
        ImageCommand::Load(a) => load::run(ctx, a),
        ImageCommand::Save(a) => save::run(ctx, a),
        ImageCommand::Import(a) => import::run(ctx, a),
        ImageCommand::Tag(a) => tag::run(ctx, a),
        ImageCommand::Untag(a) => tag::run_untag(ctx, a),
        ImageCommand::Rm(a) => rm::run(ctx, a),
        ImageCommand::Inspect(a) => inspect::run(ctx, a),
        ImageCommand::History(a) => history::run(ctx, a),
        ImageCommand::Prune(a) => prune::run(ctx, a),
        ImageCommand::Exists(a) => exists::run(ctx, a),
        ImageCommand::Pull(a) => pull::run(ctx, a),
        ImageCommand::Push(a) => push::run(ctx, a),
    }
}

/// Docker's time columns: `2 months ago`, and `2023-07-18 23:19:33 +0000 UTC`.
pub(crate) fn times(created: Option<&str>) -> (String, String) {
    let parsed = created.and_then(|c| chrono::DateTime::parse_from_rfc3339(c).ok());
    match parsed {
        Some(t) => {
            let t = t.with_timezone(&chrono::Utc);
            (
                super::format::since(t, chrono::Utc::now()),
                t.format("%Y-%m-%d %H:%M:%S +0000 UTC").to_string(),
            )
        }
        None => ("N/A".to_string(), "N/A".to_string()),
    }
}
