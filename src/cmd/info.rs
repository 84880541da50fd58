//! `berth info`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cmd::format;
use crate::context::Context;
use crate::ops;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  berth info\n  berth info --format '{{.Store.GraphRoot}}'\n  berth info --format '{{.Store.GraphDriverName}} {{.Store.Rootfs.Kind}}'"
)]
pub struct InfoArgs {
    /// Format output with a Go template ({{.Store.GraphRoot}}, {{.Images}}, …), or "json"
    #[arg(short, long)]
    pub format: Option<String>,
}

pub fn run(ctx: &Context, a: InfoArgs) -> Result<ExitCode> {
    let r = ops::info(ctx)?;
    let out = match a.format.as_deref() {
        Some(f) => format::render_each(f, &[serde_json::to_value(&r)?])?,
        None => {
            let m = &r.host.id_mappings;
            let maps = if r.rootless {
                format!(
                    " UID map: {}\n GID map: {}\n",
                    m.uid_map.join(", "),
                    m.gid_map.join(", ")
                )
            } else {
                String::new()
            };
            let fs = &r.store.rootfs;
            let mut rootfs = format!(" Rootfs: {}", fs.kind);
            if let Some(p) = &fs.program {
                rootfs.push_str(&format!(" ({p})"));
            }
            rootfs.push('\n');
            if let Some(w) = &fs.fallback {
                rootfs.push_str(&format!(" Rootfs Fallback: {w}\n"));
            }
            let cg = &r.cgroups;
            let limits = if cg.cgroup_controllers.is_empty() {
                "none can be enforced".to_string()
            } else {
                cg.cgroup_controllers.join(", ")
            };
            let maps = format!("{maps} Cgroups: {} (limits: {limits})\n", cg.cgroup_layout);
            let sec = &r.host.security;
            let state = |on: bool| match on {
                true => "enabled on this host, not applied by berth",
                false => "not enabled on this host",
            };
            let security = format!(
                " Security: seccomp (builtin profile); SELinux {}; AppArmor {}\n",
                state(sec.selinux_enabled),
                state(sec.app_armor_enabled)
            );
            let h = &r.host;
            let program = match h.rootless_network_cmd.as_str() {
                "pasta" if h.pasta.executable.is_empty() => "not installed: Debian package passt",
                "pasta" => h.pasta.executable.as_str(),
                _ if h.slirp4netns.executable.is_empty() => {
                    "not installed: Debian package slirp4netns"
                }
                _ => h.slirp4netns.executable.as_str(),
            };
            let forwarding = match r.ipv4_forwarding {
                true => "on",
                false => "off (containers on bridge networks reach the host, not beyond)",
            };
            let network = format!(
                " Default Network: {}\n Rootless Network Cmd: {} ({program})\n IPv4 Forwarding: {forwarding}\n",
                h.default_network, h.rootless_network_cmd
            );
            format!(
                "Host:\n Architecture: {}\n Operating System: {}\n Kernel Version: {}\n Name: {}\n CPUs: {}\n Total Memory: {}\n Rootless: {}\n{security}{maps}{network}Store:\n Root Dir: {}\n Run Root: {}\n Storage Driver: {}\n{rootfs} Images: {}\nVersion: {}\n",
                r.architecture,
                r.operating_system,
                r.kernel_version,
                r.name,
                r.ncpu,
                format::human_size(r.mem_total),
                r.rootless,
                r.store.graph_root,
                r.store.run_root,
                r.driver,
                r.images,
                r.server_version,
            )
        }
    };
    crate::cmd::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
