//! `info`: what berth knows about the host and its store.

use anyhow::Result;
use serde::Serialize;

use crate::context::Context;
use crate::runtime::{rootfs, userns};
use crate::storage::Store;
use crate::storage::archive::oci::host_arch;

/// `berth info`, with Docker's top-level names and Podman's nested ones.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InfoReport {
    pub images: usize,
    pub driver: String,
    pub docker_root_dir: String,
    pub rootless: bool,
    pub architecture: String,
    pub operating_system: String,
    pub kernel_version: String,
    pub name: String,
    #[serde(rename = "NCPU")]
    pub ncpu: usize,
    pub mem_total: u64,
    pub server_version: String,
    /// Docker's `SecurityOptions`: `name=seccomp,profile=builtin`, and `name=rootless`.
    pub security_options: Vec<String>,
    /// Docker's name: the host forwards IPv4 (`net.ipv4.ip_forward`), which the egress of bridge
    /// networks needs beyond the host itself (berth turns it on when it sets up such a network
    /// as root, as Docker does).
    #[serde(rename = "IPv4Forwarding")]
    pub ipv4_forwarding: bool,
    pub host: HostInfo,
    pub store: StoreInfo,
    /// Docker's cgroup fields, for this caller: where limits can be enforced.
    #[serde(flatten)]
    pub cgroups: CgroupInfo,
}

/// Docker's `info` cgroup fields, and the controllers berth can use for this caller.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CgroupInfo {
    pub cgroup_driver: String,
    /// `1` (v1 or hybrid), `2`, or empty when none is mounted.
    pub cgroup_version: String,
    /// The hierarchy as berth sees it, with the reason when nothing is usable.
    pub cgroup_layout: String,
    /// Controllers whose limits berth can enforce for this caller.
    pub cgroup_controllers: Vec<String>,
    pub memory_limit: bool,
    pub cpu_cfs_quota: bool,
    pub cpu_shares: bool,
    pub cpu_set: bool,
    pub pids_limit: bool,
    pub io_limit: bool,
}

fn cgroup_info(ctx: &Context) -> CgroupInfo {
    use crate::runtime::cgroup;
    let h = cgroup::detect();
    let (layout, controllers) =
        cgroup::enforceable(&h, &cgroup::Caller::current(ctx.rootless, ctx.uid));
    let has = |c: &str| controllers.iter().any(|x| x == c);
    CgroupInfo {
        cgroup_driver: "cgroupfs".into(),
        cgroup_version: match h {
            cgroup::Hierarchy::V2(_) => "2",
            cgroup::Hierarchy::V1(_) => "1",
            cgroup::Hierarchy::None => "",
        }
        .into(),
        cgroup_layout: layout,
        memory_limit: has("memory"),
        cpu_cfs_quota: has("cpu"),
        cpu_shares: has("cpu"),
        cpu_set: has("cpuset"),
        pids_limit: has("pids"),
        io_limit: has("io"),
        cgroup_controllers: controllers,
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostInfo {
    pub arch: String,
    pub os: String,
    pub kernel: String,
    pub hostname: String,
    pub security: SecurityInfo,
    #[serde(rename = "IDMappings")]
    pub id_mappings: IdMappingInfo,
    /// What a container run without `--network` gets here: a network's name (`berth`, the
    /// default bridge network), `pasta`, `none`, `host`, or why there is none.
    pub default_network: String,
    /// Podman's name: what gives rootless containers their default network (`pasta`).
    pub rootless_network_cmd: String,
    /// Podman's `host.pasta`: the pasta program (empty when not installed).
    pub pasta: ProgramInfo,
    /// Podman's `host.slirp4netns`: the slirp4netns program (empty when not installed).
    pub slirp4netns: ProgramInfo,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProgramInfo {
    pub executable: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityInfo {
    pub rootless: bool,
    /// berth applies no SELinux labels: `label=` options have no effect where this is false
    /// and are refused where it is true.
    #[serde(rename = "SELinuxEnabled")]
    pub selinux_enabled: bool,
    /// berth loads no AppArmor profiles (the same rule for `apparmor=`).
    pub app_armor_enabled: bool,
    /// Containers get Docker's default seccomp profile unless told otherwise.
    pub seccomp_enabled: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdMappingInfo {
    #[serde(rename = "UIDMap")]
    pub uid_map: Vec<String>,
    #[serde(rename = "GIDMap")]
    pub gid_map: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StoreInfo {
    pub graph_root: String,
    pub run_root: String,
    pub graph_driver_name: String,
    /// Podman's shape: `{"overlay.mount_program": {"Executable": …}}` when one is set.
    pub graph_options: serde_json::Map<String, serde_json::Value>,
    /// How container root filesystems are made here.
    pub rootfs: RootfsInfo,
    pub config_file: String,
    pub image_store: ImageStoreInfo,
}

/// The root filesystem kind `run` uses, and why when overlay fell back.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RootfsInfo {
    /// `overlay`, `fuse-overlayfs` or `copy`.
    pub kind: String,
    /// The fuse-overlayfs program, for that kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// Why the kernel's overlay is not used, when it was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageStoreInfo {
    pub number: usize,
}

/// Gathers `info`. Broken image records are not counted. May probe the kernel's overlay
/// support (see `rootfs::select`), so the caller must be single-threaded.
pub fn info(ctx: &Context) -> Result<InfoReport> {
    let store = Store::open(ctx)?;
    let sel = rootfs::select(ctx, &store)?;
    let mut graph_options = serde_json::Map::new();
    if let Some(p) = &ctx.storage.mount_program {
        graph_options.insert(
            "overlay.mount_program".to_string(),
            serde_json::json!({ "Executable": p.display().to_string() }),
        );
    }
    let images = store.list().images.len();
    let uts = nix::sys::utsname::uname()?;
    let kernel = uts.release().to_string_lossy().into_owned();
    let hostname = uts.nodename().to_string_lossy().into_owned();
    let mem_total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024);
    let (uid_map, gid_map) = if ctx.rootless {
        let m = userns::maps_for(
            ctx.uid,
            ctx.gid,
            ctx.user_name.as_deref(),
            std::path::Path::new("/etc"),
        );
        let f = |v: &[userns::IdMap]| {
            v.iter()
                .map(|m| format!("{}:{}:{}", m.inside, m.outside, m.count))
                .collect()
        };
        (f(&m.uids), f(&m.gids))
    } else {
        (Vec::new(), Vec::new())
    };
    let net = super::default_network::info(ctx)?;
    let mut security_options = vec!["name=seccomp,profile=builtin".to_string()];
    if ctx.rootless {
        security_options.push("name=rootless".into());
    }
    Ok(InfoReport {
        ipv4_forwarding: std::fs::read_to_string("/proc/sys/net/ipv4/ip_forward")
            .is_ok_and(|v| v.trim() == "1"),
        cgroups: cgroup_info(ctx),
        security_options,
        images,
        driver: ctx.storage.driver.as_str().to_string(),
        docker_root_dir: ctx.root.display().to_string(),
        rootless: ctx.rootless,
        architecture: std::env::consts::ARCH.to_string(),
        operating_system: os_name(),
        kernel_version: kernel.clone(),
        name: hostname.clone(),
        ncpu: std::thread::available_parallelism().map_or(1, |n| n.get()),
        mem_total,
        server_version: env!("CARGO_PKG_VERSION").to_string(),
        host: HostInfo {
            arch: host_arch().to_string(),
            os: "linux".to_string(),
            kernel,
            hostname,
            security: SecurityInfo {
                rootless: ctx.rootless,
                selinux_enabled: crate::runtime::security::selinux_enabled(),
                app_armor_enabled: crate::runtime::security::apparmor_enabled(),
                seccomp_enabled: true,
            },
            id_mappings: IdMappingInfo { uid_map, gid_map },
            default_network: net.default_network,
            pasta: ProgramInfo {
                executable: crate::net::pasta::find()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
            },
            slirp4netns: ProgramInfo {
                executable: crate::net::slirp::find()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
            },
            rootless_network_cmd: net.rootless_network_cmd,
        },
        store: StoreInfo {
            graph_root: ctx.root.display().to_string(),
            run_root: ctx.runroot.display().to_string(),
            graph_driver_name: ctx.storage.driver.as_str().to_string(),
            graph_options,
            rootfs: RootfsInfo {
                kind: sel.rootfs.name().to_string(),
                program: match &sel.rootfs {
                    rootfs::Rootfs::FuseOverlayfs(p) => Some(p.display().to_string()),
                    _ => None,
                },
                fallback: sel.fallback,
            },
            config_file: ctx.config_dir.join("berth.conf").display().to_string(),
            image_store: ImageStoreInfo { number: images },
        },
    })
}

fn os_name() -> String {
    std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| "Linux".to_string())
}
