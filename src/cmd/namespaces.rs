//! The namespace and kernel-knob flags `run` and `create` share (`--ipc`, `--pid`, `--uts`,
//! `--cgroupns`, `--shm-size`, `--sysctl`, `--oom-score-adj`, `--userns`, `--uidmap`,
//! `--gidmap`, `--subuidname`, `--subgidname`), flattened into `CreateArgs`.
//! `--network container:NAME` is `--network`'s own.

use clap::Args;

use crate::ops::namespaces::NamespaceOptions;

#[derive(Debug, Args)]
pub struct NamespaceArgs {
    /// IPC namespace: shareable (the default: private, and others may join it), private (not
    /// joinable), none (private, without /dev/shm), host, or container:NAME (join a running
    /// container's)
    #[arg(long, value_name = "MODE")]
    pub ipc: Option<String>,
    /// PID namespace: private (the default), host, or container:NAME (join a running
    /// container's, seeing its processes)
    #[arg(long, value_name = "MODE")]
    pub pid: Option<String>,
    /// UTS namespace: private (the default) or host (the host's hostname; not with --hostname)
    #[arg(long, value_name = "MODE")]
    pub uts: Option<String>,
    /// Cgroup namespace: private (the default) or host
    #[arg(long, value_name = "MODE")]
    pub cgroupns: Option<String>,
    /// Size of /dev/shm, such as 64m (the default) or 1g
    #[arg(long, value_name = "SIZE")]
    pub shm_size: Option<String>,
    /// Set a namespaced kernel parameter in the container: KEY=VALUE with KEY kernel.msg*,
    /// kernel.sem, kernel.shm*, fs.mqueue.* (own IPC namespace), net.* (own network namespace)
    /// or kernel.domainname (own UTS namespace)
    #[arg(long, value_name = "KEY=VALUE")]
    pub sysctl: Vec<String>,
    /// Tune the container's OOM-killer preference, -1000 to 1000 (going below your own value
    /// needs CAP_SYS_RESOURCE)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub oom_score_adj: Option<i64>,
    /// User namespace: host (the default; rootless, you are root in the container and your
    /// subordinate ids the other users), keep-id[:uid=U,gid=G] (rootless: your uid and gid
    /// are U and G in the container, by default your own, and the command runs as them),
    /// nomap (rootless: only your subordinate ids, you are not in the container),
    /// auto[:size=N] (N ids, default 1024, that no other auto container has: your
    /// subordinate ids rootless, the ranges of the name containers in /etc/subuid as root), or
    /// ns:PATH (as root: join the user namespace of a namespace file)
    #[arg(long, value_name = "MODE")]
    pub userns: Option<String>,
    /// Map container uids to host uids: CONTAINER:HOST:COUNT, repeatable; the container gets a
    /// user namespace of its own and a copy of the image owned accordingly (rootless, HOST
    /// counts in your own namespace: 0 is you, 1 your first subordinate uid)
    #[arg(long, value_name = "CONTAINER:HOST:COUNT")]
    pub uidmap: Vec<String>,
    /// Map container gids to host gids, as --uidmap (default: the same as --uidmap)
    #[arg(long, value_name = "CONTAINER:HOST:COUNT")]
    pub gidmap: Vec<String>,
    /// As root: map the container's uids from 0 up onto the ranges of NAME in /etc/subuid
    /// (and its gids onto /etc/subgid's, unless --subgidname is given)
    #[arg(long, value_name = "NAME")]
    pub subuidname: Option<String>,
    /// As root: map the container's gids from 0 up onto the ranges of NAME in /etc/subgid
    #[arg(long, value_name = "NAME")]
    pub subgidname: Option<String>,
}

impl NamespaceArgs {
    pub fn into_options(self) -> NamespaceOptions {
        NamespaceOptions {
            ipc: self.ipc,
            pid: self.pid,
            uts: self.uts,
            cgroupns: self.cgroupns,
            shm_size: self.shm_size,
            sysctls: self.sysctl,
            oom_score_adj: self.oom_score_adj,
            userns: self.userns,
            uidmap: self.uidmap,
            gidmap: self.gidmap,
            subuidname: self.subuidname,
            subgidname: self.subgidname,
        }
    }
}
