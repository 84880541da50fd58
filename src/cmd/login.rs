//! `berth login` and `berth logout`.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::Args;

use crate::cmd::image::pull::RegistryArgs;
use crate::context::Context;
use crate::error;
use crate::ops::login::{self, LoginOptions};

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth login localhost:5000 -u alice --password-stdin < pw\n  berth login -u alice -p secret quay.io\n  berth login --get-login localhost:5000"
)]
pub struct LoginArgs {
    /// The registry: HOST or HOST:PORT (default docker.io)
    pub registry: Option<String>,
    /// The user name
    #[arg(short, long)]
    pub username: Option<String>,
    /// The password (visible to other users in the process list: prefer --password-stdin)
    #[arg(short, long)]
    pub password: Option<String>,
    /// Read the password from stdin
    #[arg(long)]
    pub password_stdin: bool,
    /// Print the user name stored for the registry and exit
    #[arg(long)]
    pub get_login: bool,
    #[command(flatten)]
    pub registry_args: RegistryArgs,
}

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  berth logout localhost:5000\n  berth logout -a")]
pub struct LogoutArgs {
    /// The registry: HOST or HOST:PORT (default docker.io)
    pub registry: Option<String>,
    /// Remove the credentials of every registry
    #[arg(short, long)]
    pub all: bool,
    /// Path of the auth file to edit
    #[arg(long, value_name = "FILE")]
    pub authfile: Option<PathBuf>,
}

pub fn run(ctx: &Context, a: LoginArgs) -> Result<ExitCode> {
    if a.registry_args.creds.is_some() {
        bail!(error::invalid(
            "login takes -u and -p or --password-stdin, not --creds"
        ));
    }
    if a.get_login {
        let user = login::get_login(ctx, a.registry.as_deref(), a.registry_args.authfile.clone())?;
        crate::cmd::print(&format!("{user}\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(username) = a.username else {
        bail!(error::invalid(
            "login needs a user name: pass -u USER (berth does not prompt)"
        ));
    };
    let password = match (a.password, a.password_stdin) {
        (Some(_), true) => bail!(error::invalid(
            "--password and --password-stdin are mutually exclusive"
        )),
        (Some(p), false) => p,
        (None, true) => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                bail!(error::invalid(
                    "--password-stdin: stdin is a terminal; pipe the password in"
                ));
            }
            let mut s = String::new();
            stdin
                .lock()
                .take(64 * 1024)
                .read_to_string(&mut s)
                .context("reading the password from stdin")?;
            s.trim_end_matches(['\n', '\r']).to_string()
        }
        (None, false) => bail!(error::invalid(
            "login needs a password: pass -p PASSWORD or --password-stdin (berth does not prompt)"
        )),
    };
    let report = login::login(
        ctx,
        LoginOptions {
            registry: a.registry,
            username,
            password,
            registry_options: a.registry_args.into_options(),
        },
    )?;
    log::debug!(
        "stored credentials for {} in {}",
        report.registry,
        report.authfile.display()
    );
    crate::cmd::print("Login Succeeded!\n")?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_logout(ctx: &Context, a: LogoutArgs) -> Result<ExitCode> {
    if a.all && a.registry.is_some() {
        bail!(error::invalid("logout: give a registry or --all, not both"));
    }
    let registry = login::logout(ctx, a.registry.as_deref(), a.all, a.authfile)?;
    if a.all {
        crate::cmd::print("Removed login credentials for all registries\n")?;
    } else {
        crate::cmd::print(&format!("Removed login credentials for {registry}\n"))?;
    }
    Ok(ExitCode::SUCCESS)
}
