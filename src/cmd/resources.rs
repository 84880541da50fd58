//! The cgroup resource flags `run` and `create` take (and the subset `update` changes).

use clap::Args;

use crate::runtime::cgroup::ResourceFlags;

/// The limits `update` can change on a running container as well.
#[derive(Debug, Args, Default)]
pub struct LimitArgs {
    /// Memory limit: a size such as 64m or 1g (at least 6m); the container is OOM-killed above it
    #[arg(short = 'm', long, value_name = "SIZE")]
    pub memory: Option<String>,
    /// Memory plus swap: a size at least --memory, or -1 for unlimited swap (default: twice
    /// --memory)
    #[arg(long, value_name = "SIZE", allow_hyphen_values = true)]
    pub memory_swap: Option<String>,
    /// Soft memory limit, kept when the host is short of memory (cgroup v2 memory.low)
    #[arg(long, value_name = "SIZE")]
    pub memory_reservation: Option<String>,
    /// Number of CPUs the container may use, such as 1.5 (at most the host's CPUs)
    #[arg(long, value_name = "NUMBER")]
    pub cpus: Option<String>,
    /// Relative CPU weight, 2 to 262144 (default 1024; cgroup v2 cpu.weight is derived from it)
    #[arg(short = 'c', long, value_name = "SHARES")]
    pub cpu_shares: Option<i64>,
    /// CFS period in microseconds, 1000 to 1000000
    #[arg(long, value_name = "MICROSECONDS")]
    pub cpu_period: Option<i64>,
    /// CFS quota in microseconds per period (at least 1000; -1 for none)
    #[arg(long, value_name = "MICROSECONDS", allow_negative_numbers = true)]
    pub cpu_quota: Option<i64>,
    /// CPUs the container may run on: a list such as 0-3,5
    #[arg(long, value_name = "LIST")]
    pub cpuset_cpus: Option<String>,
    /// Memory nodes the container may use: a list such as 0-1
    #[arg(long, value_name = "LIST")]
    pub cpuset_mems: Option<String>,
    /// Most processes the container may have at once; 0 or -1 for unlimited (default 2048
    /// where the pids controller is available)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub pids_limit: Option<i64>,
    /// Relative block I/O weight, 10 to 1000 (0 to leave unset)
    #[arg(long, value_name = "WEIGHT")]
    pub blkio_weight: Option<u16>,
}

/// The resource flags of `run` and `create`.
#[derive(Debug, Args, Default)]
pub struct ResourceArgs {
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Limit reads from a block device, in bytes per second: DEVICE:RATE such as /dev/sda:1mb
    #[arg(long, value_name = "DEVICE:RATE")]
    pub device_read_bps: Vec<String>,
    /// Limit writes to a block device, in bytes per second: DEVICE:RATE
    #[arg(long, value_name = "DEVICE:RATE")]
    pub device_write_bps: Vec<String>,
    /// Limit reads from a block device, in operations per second: DEVICE:RATE
    #[arg(long, value_name = "DEVICE:RATE")]
    pub device_read_iops: Vec<String>,
    /// Limit writes to a block device, in operations per second: DEVICE:RATE
    #[arg(long, value_name = "DEVICE:RATE")]
    pub device_write_iops: Vec<String>,
    /// The cgroup to make the container's cgroup in, a path below the cgroup root (or, rootless,
    /// below the delegated subtree); default berth
    #[arg(long, value_name = "PATH")]
    pub cgroup_parent: Option<String>,
    /// Cgroup mode: enabled (the default), no-conmon (the same: berth has no conmon), split
    /// (beside the caller's own cgroup) or disabled (no cgroup of its own: no limits, no device
    /// cgroup, and stats shows no memory use)
    #[arg(long, value_name = "MODE")]
    pub cgroups: Option<String>,
    /// Add a rule to the container's device cgroup, over Docker's default allow list:
    /// TYPE MAJOR:MINOR ACCESS such as 'c 1:3 rwm' (type a, b or c; * for any number; access
    /// made of r, w, m). Root only: enforced by the devices controller on cgroup v1 and by an
    /// eBPF device program on cgroup v2; refused rootless, where a container has no device
    /// cgroup (it cannot open device nodes it makes)
    #[arg(long, value_name = "RULE")]
    pub device_cgroup_rule: Vec<String>,
    /// Run even where a requested limit cannot be enforced (rootless without a delegated
    /// cgroup v2 subtree, a missing controller): such limits are skipped with a warning instead
    /// of refusing to run
    #[arg(long)]
    pub ignore_unenforceable_limits: bool,
}

impl LimitArgs {
    pub fn into_flags(self) -> ResourceFlags {
        ResourceFlags {
            memory: self.memory,
            memory_swap: self.memory_swap,
            memory_reservation: self.memory_reservation,
            cpus: self.cpus,
            cpu_shares: self.cpu_shares,
            cpu_period: self.cpu_period,
            cpu_quota: self.cpu_quota,
            cpuset_cpus: self.cpuset_cpus,
            cpuset_mems: self.cpuset_mems,
            pids_limit: self.pids_limit,
            blkio_weight: self.blkio_weight,
            ..ResourceFlags::default()
        }
    }
}

impl ResourceArgs {
    pub fn into_flags(self) -> ResourceFlags {
        ResourceFlags {
            device_read_bps: self.device_read_bps,
            device_write_bps: self.device_write_bps,
            device_read_iops: self.device_read_iops,
            device_write_iops: self.device_write_iops,
            cgroup_parent: self.cgroup_parent,
            cgroups: self.cgroups,
            ignore_unenforceable_limits: self.ignore_unenforceable_limits,
            device_cgroup_rules: self.device_cgroup_rule,
            ..self.limits.into_flags()
        }
    }
}
