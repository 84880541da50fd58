//! The security flags `run` and `create` share: capabilities, `--privileged`,
//! `--security-opt` and `--device` (flattened into `CreateArgs`).

use clap::Args;

use crate::runtime::security::SecurityOptions;

#[derive(Debug, Args, Default)]
pub struct SecurityArgs {
    /// Add a Linux capability (NET_ADMIN, CAP_NET_ADMIN or any case; ALL for all)
    #[arg(long, value_name = "CAPABILITY")]
    pub cap_add: Vec<String>,
    /// Drop a Linux capability (ALL drops all, then --cap-add grants back)
    #[arg(long, value_name = "CAPABILITY")]
    pub cap_drop: Vec<String>,
    /// Give the container every capability, the host's devices, a writable /sys and no
    /// seccomp filter, masked or read-only paths (rootless: only what the user namespace
    /// allows)
    #[arg(long)]
    pub privileged: bool,
    /// Security options: seccomp=unconfined, seccomp=PROFILE.json, no-new-privileges,
    /// mask=/PATH:/PATH, unmask=ALL or unmask=/PATH:/DIR/*, label=disable, apparmor=unconfined
    #[arg(long, value_name = "OPT")]
    pub security_opt: Vec<String>,
    /// Add a host device: HOST, HOST:CONTAINER or HOST:CONTAINER:PERMS, with PERMS rwm (the
    /// default), rw, or r for read-only (root only); a directory adds every device under it
    #[arg(long, value_name = "HOST[:CONTAINER][:PERMS]")]
    pub device: Vec<String>,
}

impl SecurityArgs {
    pub fn into_options(self) -> SecurityOptions {
        SecurityOptions {
            cap_add: self.cap_add,
            cap_drop: self.cap_drop,
            privileged: self.privileged,
            security_opt: self.security_opt,
            devices: self.device,
        }
    }
}
