//! The default seccomp profile (Docker's, as Rust data) and turning it into a BPF program for a
//! container's capability plan; installing that program is the one side effect here.
//!
//! Planning is pure: [`default_program`] resolves the profile against the capability plan and
//! compiles it with berth's own small classic-BPF compiler; [`install`] loads it into the calling
//! thread. This module must not decide when to install (the spawn code does, SECURITY.md I20),
//! must not set no_new_privs (opt-in, I15), and must not read profiles from disk. The compiler
//! also serves profile files (`seccomp_profile`, through `compile_ranges`), whose leaves are
//! any return value and ordered rules with 64-bit argument comparisons.
//!
//! Shape of the program (x86_64):
//!
//! 1. The architecture check: anything but `AUDIT_ARCH_X86_64` (i386 via `int 0x80`) kills the
//!    process (I20 "or kills on arch mismatch").
//! 2. A syscall number above the highest one the profile names returns ENOSYS. That covers
//!    syscalls newer than the profile (libc falls back, as runc's "ENOSYS stub" does, runc
//!    `libcontainer/seccomp/patchbpf`) and every x32 number (`nr | 0x40000000`), so no x32
//!    call reaches the allowlist.
//! 3. A balanced binary search over the ranges of syscall numbers that get the same answer:
//!    ALLOW; the profile's explicit errno rules, which win over the allowlist (clone3 → ENOSYS
//!    without CAP_SYS_ADMIN, so glibc falls back to clone, whose flags we can inspect); the
//!    argument checks of one syscall, ALLOW if one alternative holds; or EPERM, Docker's
//!    `defaultErrnoRet`, for everything else (known to the profile but not allowed, or in a gap
//!    of the table).
//!
//! Why not seccompiler, which berth used before: it emits a linear chain, one compare per
//! allowed syscall (about 1500 instructions for this profile), and both the kernel's work at
//! install time and a filtered syscall's cost grow with the path through the program; see
//! `compile`. seccompiler is still the oracle the unit tests compare every verdict with.
//!
//! One filter does all of this, so nothing depends on how the kernel combines stacked filters
//! (it runs all of them and the most restrictive action wins, with ties going to the newest).
//! Only the argument checks look at more than the arch and the number, so the kernel's
//! per-syscall action cache (Linux 5.11+) still applies to every unconditionally allowed syscall.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context as _, Result, bail};
use caps::{Capability, CapsHashSet};
use seccompiler::{BpfProgram, sock_filter};

use super::caps::CapPlan;

/// When a rule applies, in terms of the container's bounding set (moby gates on bounding too).
#[derive(Debug, Clone, Copy)]
enum Gate {
    Always,
    With(Capability),
    Without(Capability),
}

/// One argument condition; all conditions of a rule must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Arg {
    /// The low 32 bits of argument `.0` equal `.1` (for `int`/`unsigned int` parameters, where
    /// the kernel ignores the upper half; comparing 64 bits would let `1 << 32 | 40` through).
    Eq32(u8, u32),
    /// The low 32 bits of argument `.0` differ from `.1`.
    Ne32(u8, u32),
    /// Argument `.0` masked with `.1` is zero (64-bit).
    MaskedZero(u8, u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Allow,
    Errno(i32),
}

/// One entry of the profile, like one element of moby's `syscalls` array.
struct Rule {
    names: &'static [&'static str],
    gate: Gate,
    args: &'static [Arg],
    action: Action,
}

const fn allow(names: &'static [&'static str]) -> Rule {
    Rule {
        names,
        gate: Gate::Always,
        args: &[],
        action: Action::Allow,
    }
}

const fn allow_with(cap: Capability, names: &'static [&'static str]) -> Rule {
    Rule {
        names,
        gate: Gate::With(cap),
        args: &[],
        action: Action::Allow,
    }
}

macro_rules! personality {
    ($value:expr) => {
        Rule {
            names: &["personality"],
            gate: Gate::Always,
            args: &[Arg::Eq32(0, $value)],
            action: Action::Allow,
        }
    };
}

/// CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
/// CLONE_NEWNET (moby's 2114060288).
const CLONE_NAMESPACE_FLAGS: u64 = 0x7E02_0000;

/// AF_VSOCK: moby denies vsock sockets so containers cannot reach the host's hypervisor sockets.
const AF_VSOCK: u32 = 40;

/// Docker's default profile, following moby `profiles/seccomp/default.json` at Docker 24
/// (the version with the AF_VSOCK socket rule and the CAP_BPF/CAP_PERFMON groups), plus the
/// Docker 25 changes as recalled: io_uring_* removed from the allowlist, cachestat, fchmodat2,
/// futex_wait/futex_wake/futex_requeue and map_shadow_stack added.
///
/// Only names that exist in the x86_64 64-bit ABI are listed: Docker's 32-bit-only names
/// (chown32, *_time64, mmap2, socketcall, …) never match here because i386 calls are killed,
/// and the ppc/arm/s390/riscv groups are left out with their architectures. The
/// `minKernel: 4.8` ptrace group is unconditional: berth needs a much newer kernel anyway.
static PROFILE: &[Rule] = &[
    allow(&[
        "accept",
        "accept4",
        "access",
        "adjtimex",
        "alarm",
        "bind",
        "brk",
        "cachestat",
        "capget",
        "capset",
        "chdir",
        "chmod",
        "chown",
        "clock_adjtime",
        "clock_getres",
        "clock_gettime",
        "clock_nanosleep",
        "close",
        "close_range",
        "connect",
        "copy_file_range",
        "creat",
        "dup",
        "dup2",
        "dup3",
        "epoll_create",
        "epoll_create1",
        "epoll_ctl",
        "epoll_ctl_old",
        "epoll_pwait",
        "epoll_pwait2",
        "epoll_wait",
        "epoll_wait_old",
        "eventfd",
        "eventfd2",
        "execve",
        "execveat",
        "exit",
        "exit_group",
        "faccessat",
        "faccessat2",
        "fadvise64",
        "fallocate",
        "fanotify_mark",
        "fchdir",
        "fchmod",
        "fchmodat",
        "fchmodat2",
        "fchown",
        "fchownat",
        "fcntl",
        "fdatasync",
        "fgetxattr",
        "flistxattr",
        "flock",
        "fork",
        "fremovexattr",
        "fsetxattr",
        "fstat",
        "fstatfs",
        "fsync",
        "ftruncate",
        "futex",
        "futex_requeue",
        "futex_wait",
        "futex_waitv",
        "futex_wake",
        "futimesat",
        "get_robust_list",
        "get_thread_area",
        "getcpu",
        "getcwd",
        "getdents",
        "getdents64",
        "getegid",
        "geteuid",
        "getgid",
        "getgroups",
        "getitimer",
        "getpeername",
        "getpgid",
        "getpgrp",
        "getpid",
        "getppid",
        "getpriority",
        "getrandom",
        "getresgid",
        "getresuid",
        "getrlimit",
        "getrusage",
        "getsid",
        "getsockname",
        "getsockopt",
        "gettid",
        "gettimeofday",
        "getuid",
        "getxattr",
        "inotify_add_watch",
        "inotify_init",
        "inotify_init1",
        "inotify_rm_watch",
        "io_cancel",
        "io_destroy",
        "io_getevents",
        "io_pgetevents",
        "io_setup",
        "io_submit",
        "ioctl",
        "ioprio_get",
        "ioprio_set",
        "kill",
        "landlock_add_rule",
        "landlock_create_ruleset",
        "landlock_restrict_self",
        "lchown",
        "lgetxattr",
        "link",
        "linkat",
        "listen",
        "listxattr",
        "llistxattr",
        "lremovexattr",
        "lseek",
        "lsetxattr",
        "lstat",
        "madvise",
        "map_shadow_stack",
        "membarrier",
        "memfd_create",
        "memfd_secret",
        "mincore",
        "mkdir",
        "mkdirat",
        "mknod",
        "mknodat",
        "mlock",
        "mlock2",
        "mlockall",
        "mmap",
        "mprotect",
        "mq_getsetattr",
        "mq_notify",
        "mq_open",
        "mq_timedreceive",
        "mq_timedsend",
        "mq_unlink",
        "mremap",
        "msgctl",
        "msgget",
        "msgrcv",
        "msgsnd",
        "msync",
        "munlock",
        "munlockall",
        "munmap",
        "name_to_handle_at",
        "nanosleep",
        "newfstatat",
        "open",
        "openat",
        "openat2",
        "pause",
        "pidfd_open",
        "pidfd_send_signal",
        "pipe",
        "pipe2",
        "pkey_alloc",
        "pkey_free",
        "pkey_mprotect",
        "poll",
        "ppoll",
        "prctl",
        "pread64",
        "preadv",
        "preadv2",
        "prlimit64",
        "process_mrelease",
        "pselect6",
        "pwrite64",
        "pwritev",
        "pwritev2",
        "read",
        "readahead",
        "readlink",
        "readlinkat",
        "readv",
        "recvfrom",
        "recvmmsg",
        "recvmsg",
        "remap_file_pages",
        "removexattr",
        "rename",
        "renameat",
        "renameat2",
        "restart_syscall",
        "rmdir",
        "rseq",
        "rt_sigaction",
        "rt_sigpending",
        "rt_sigprocmask",
        "rt_sigqueueinfo",
        "rt_sigreturn",
        "rt_sigsuspend",
        "rt_sigtimedwait",
        "rt_tgsigqueueinfo",
        "sched_get_priority_max",
        "sched_get_priority_min",
        "sched_getaffinity",
        "sched_getattr",
        "sched_getparam",
        "sched_getscheduler",
        "sched_rr_get_interval",
        "sched_setaffinity",
        "sched_setattr",
        "sched_setparam",
        "sched_setscheduler",
        "sched_yield",
        "seccomp",
        "select",
        "semctl",
        "semget",
        "semop",
        "semtimedop",
        "sendfile",
        "sendmmsg",
        "sendmsg",
        "sendto",
        "set_robust_list",
        "set_thread_area",
        "set_tid_address",
        "setfsgid",
        "setfsuid",
        "setgid",
        "setgroups",
        "setitimer",
        "setpgid",
        "setpriority",
        "setregid",
        "setresgid",
        "setresuid",
        "setreuid",
        "setrlimit",
        "setsid",
        "setsockopt",
        "setuid",
        "setxattr",
        "shmat",
        "shmctl",
        "shmdt",
        "shmget",
        "shutdown",
        "sigaltstack",
        "signalfd",
        "signalfd4",
        "socketpair",
        "splice",
        "stat",
        "statfs",
        "statx",
        "symlink",
        "symlinkat",
        "sync",
        "sync_file_range",
        "syncfs",
        "sysinfo",
        "tee",
        "tgkill",
        "time",
        "timer_create",
        "timer_delete",
        "timer_getoverrun",
        "timer_gettime",
        "timer_settime",
        "timerfd_create",
        "timerfd_gettime",
        "timerfd_settime",
        "times",
        "tkill",
        "truncate",
        "umask",
        "uname",
        "unlink",
        "unlinkat",
        "utime",
        "utimensat",
        "utimes",
        "vfork",
        "vmsplice",
        "wait4",
        "waitid",
        "write",
        "writev",
    ]),
    // moby: `includes.minKernel 4.8`; before 4.8 ptrace could bypass seccomp.
    allow(&["process_vm_readv", "process_vm_writev", "ptrace"]),
    Rule {
        names: &["socket"],
        gate: Gate::Always,
        args: &[Arg::Ne32(0, AF_VSOCK)],
        action: Action::Allow,
    },
    // PER_LINUX, UNAME26, PER_LINUX32, UNAME26|PER_LINUX32, and the 0xffffffff query.
    personality!(0x0),
    personality!(0x8),
    personality!(0x20000),
    personality!(0x20008),
    personality!(0xffff_ffff),
    allow(&["arch_prctl", "modify_ldt"]),
    allow_with(Capability::CAP_DAC_READ_SEARCH, &["open_by_handle_at"]),
    allow_with(
        Capability::CAP_SYS_ADMIN,
        &[
            "bpf",
            "clone",
            "clone3",
            "fanotify_init",
            "fsconfig",
            "fsmount",
            "fsopen",
            "fspick",
            "lookup_dcookie",
            "mount",
            "mount_setattr",
            "move_mount",
            "open_tree",
            "perf_event_open",
            "quotactl",
            "quotactl_fd",
            "setdomainname",
            "sethostname",
            "setns",
            "syslog",
            "umount2",
            "unshare",
        ],
    ),
    Rule {
        names: &["clone"],
        gate: Gate::Without(Capability::CAP_SYS_ADMIN),
        args: &[Arg::MaskedZero(0, CLONE_NAMESPACE_FLAGS)],
        action: Action::Allow,
    },
    // clone3 passes its flags in a struct seccomp cannot read: ENOSYS makes glibc fall back to
    // clone, whose flags the rule above checks (I20).
    Rule {
        names: &["clone3"],
        gate: Gate::Without(Capability::CAP_SYS_ADMIN),
        args: &[],
        action: Action::Errno(libc::ENOSYS),
    },
    allow_with(Capability::CAP_SYS_BOOT, &["reboot"]),
    allow_with(Capability::CAP_SYS_CHROOT, &["chroot"]),
    allow_with(
        Capability::CAP_SYS_MODULE,
        &["delete_module", "init_module", "finit_module"],
    ),
    allow_with(Capability::CAP_SYS_PACCT, &["acct"]),
    allow_with(
        Capability::CAP_SYS_PTRACE,
        &[
            "kcmp",
            "pidfd_getfd",
            "process_madvise",
            "process_vm_readv",
            "process_vm_writev",
            "ptrace",
        ],
    ),
    allow_with(Capability::CAP_SYS_RAWIO, &["iopl", "ioperm"]),
    allow_with(Capability::CAP_SYS_TIME, &["settimeofday", "clock_settime"]),
    allow_with(Capability::CAP_SYS_TTY_CONFIG, &["vhangup"]),
    allow_with(
        Capability::CAP_SYS_NICE,
        &[
            "get_mempolicy",
            "mbind",
            "set_mempolicy",
            "set_mempolicy_home_node",
        ],
    ),
    allow_with(Capability::CAP_SYSLOG, &["syslog"]),
    allow_with(Capability::CAP_BPF, &["bpf"]),
    allow_with(Capability::CAP_PERFMON, &["perf_event_open"]),
];

/// The profile resolved for one capability set: plain data, checked by the unit tests.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Resolved {
    /// Allowed syscalls; an empty list of rules means "always", otherwise any rule may match.
    allow: BTreeMap<i64, Vec<Vec<Arg>>>,
    /// Syscalls answered with an errno before the allowlist is consulted.
    errno: BTreeMap<i64, i32>,
    /// The highest syscall number the profile names; anything above is "unknown" → ENOSYS.
    max_known: i64,
}

fn gate_open(gate: Gate, bounding: &CapsHashSet) -> bool {
    match gate {
        Gate::Always => true,
        Gate::With(cap) => bounding.contains(&cap),
        Gate::Without(cap) => !bounding.contains(&cap),
    }
}

fn resolve(bounding: &CapsHashSet) -> Result<Resolved> {
    let mut allow: BTreeMap<i64, Vec<Vec<Arg>>> = BTreeMap::new();
    let mut unconditional = std::collections::BTreeSet::new();
    let mut errno = BTreeMap::new();
    let mut max_known = 0;
    let numbers = syscall_numbers();
    for rule in PROFILE {
        let open = gate_open(rule.gate, bounding);
        for name in rule.names {
            let nr = numbers
                .get(name)
                .copied()
                .with_context(|| format!("syscall {name:?} in the profile"))?;
            max_known = max_known.max(nr);
            if !open {
                continue;
            }
            match rule.action {
                Action::Errno(e) => {
                    errno.insert(nr, e);
                }
                Action::Allow if rule.args.is_empty() => {
                    unconditional.insert(nr);
                }
                Action::Allow => allow.entry(nr).or_default().push(rule.args.to_vec()),
            }
        }
    }
    // An unconditional allow makes the argument rules for the same syscall moot.
    for nr in unconditional {
        allow.insert(nr, Vec::new());
    }
    Ok(Resolved {
        allow,
        errno,
        max_known,
    })
}

// Classic BPF opcodes (linux/bpf_common.h). The compiler emits only these, which are also the
// ones the kernel's action-cache emulator understands (`seccomp_is_const_allow`).
/// BPF_LD | BPF_W | BPF_ABS (0x00 | 0x00 | 0x20).
const BPF_LD_W_ABS: u16 = 0x20;
/// BPF_JMP | BPF_JA: unconditional, with a 32-bit offset in `k`.
const BPF_JMP_JA: u16 = 0x05;
const BPF_JMP_JEQ_K: u16 = 0x05 | 0x10;
const BPF_JMP_JGT_K: u16 = 0x05 | 0x20;
const BPF_JMP_JGE_K: u16 = 0x05 | 0x30;
const BPF_JMP_JSET_K: u16 = 0x05 | 0x40;
const BPF_RET_K: u16 = 0x06;
/// Offsets of `nr`, `arch` and `args[0]` in `struct seccomp_data`.
const DATA_NR: u32 = 0;
const DATA_ARCH: u32 = 4;
const DATA_ARGS: u32 = 16;
/// The kernel's limit on a classic BPF program (BPF_MAXINSNS).
const BPF_MAXINSNS: usize = 4096;

fn stmt(code: u16, k: u32) -> sock_filter {
    sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

fn ret_errno(errno: i32) -> sock_filter {
    let data = u32::try_from(errno).unwrap_or(0) & libc::SECCOMP_RET_DATA;
    stmt(BPF_RET_K, libc::SECCOMP_RET_ERRNO | data)
}

fn nr_u32(nr: i64) -> Result<u32> {
    u32::try_from(nr).with_context(|| format!("syscall number {nr} out of range"))
}

/// Offsets of the low and the high 32-bit word of argument `index` (`__u64 args[6]`, native
/// byte order).
fn arg_words(index: u8) -> Result<(u32, u32)> {
    if index > 5 {
        bail!("syscall argument {index} does not exist: seccomp sees six");
    }
    let base = DATA_ARGS + 8 * u32::from(index);
    Ok(if cfg!(target_endian = "little") {
        (base, base + 4)
    } else {
        (base + 4, base)
    })
}

/// A 64-bit comparison of one syscall argument, as libseccomp's (and so a JSON profile's,
/// `SCMP_CMP_*`) make them: both halves of the argument are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Ge,
    Gt,
    /// `(arg & .0) == value`.
    MaskedEq(u64),
}

/// `args[index] <op> value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cond {
    pub index: u8,
    pub op: Cmp,
    pub value: u64,
}

/// A seccomp return value (`SECCOMP_RET_*` with its data).
pub(super) type Ret = u32;

/// What the program answers for one syscall number at or below `max_known`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class<'a> {
    Allow,
    /// One of the profile's explicit errno rules; they win over the allowlist.
    Errno(i32),
    /// Not allowed, or a gap in the table: EPERM, Docker's `defaultErrnoRet`.
    Default,
    /// Allowed if one of these alternatives holds (each a conjunction), EPERM otherwise.
    Conditional(&'a [Vec<Arg>]),
    /// A profile file's answer: this return value.
    Ret(Ret),
    /// A profile file's rules for one syscall, in order: the first whose conditions all hold
    /// gives its return value; `.1` when none does.
    Rules(&'a [(Vec<Cond>, Ret)], Ret),
}

fn classify(resolved: &Resolved, nr: i64) -> Class<'_> {
    if let Some(errno) = resolved.errno.get(&nr) {
        return Class::Errno(*errno);
    }
    match resolved.allow.get(&nr) {
        None => Class::Default,
        Some(alternatives) if alternatives.is_empty() => Class::Allow,
        Some(alternatives) => Class::Conditional(alternatives),
    }
}

/// Splits `0..=max_known` into runs of equal class: `(first number, class)` in order, each run
/// ending where the next begins and the last at `max_known`. Syscalls with identical argument
/// rules next to each other share a run, as their checks would be the same code.
fn ranges(resolved: &Resolved) -> Result<Vec<(u32, Class<'_>)>> {
    let mut runs: Vec<(u32, Class<'_>)> = Vec::new();
    for nr in 0..=resolved.max_known {
        let class = classify(resolved, nr);
        if runs.last().is_none_or(|(_, last)| *last != class) {
            runs.push((nr_u32(nr)?, class));
        }
    }
    Ok(runs)
}

/// An instruction's position counted from the end of the program, which stays the same while
/// [`Backwards`] adds instructions in front.
type Label = usize;

/// Builds a program back to front. Classic BPF only jumps forward, so when a jump is added its
/// targets are already in place and their distances known: no fix-ups, and every block the
/// compiler emits ends in `ret`, so blocks can be laid out side by side.
///
/// Conditional jumps have 8-bit offsets. A target more than 255 instructions away is reached
/// through a trampoline, a `ja` (32-bit offset) placed right after the jump: only a path that
/// takes such a jump runs one instruction more.
#[derive(Default)]
struct Backwards {
    rev: Vec<sock_filter>,
}

impl Backwards {
    fn push(&mut self, insn: sock_filter) -> Label {
        self.rev.push(insn);
        self.rev.len() - 1
    }

    /// How many instructions an instruction added now skips to land on `target`.
    fn distance(&self, target: Label) -> usize {
        self.rev.len() - 1 - target
    }

    fn jump(&mut self, code: u16, k: u32, mut jt: Label, mut jf: Label) -> Label {
        let near = usize::from(u8::MAX);
        // A trampoline for one branch moves the other one a step further away: check again.
        loop {
            let far = if self.distance(jt) > near {
                &mut jt
            } else if self.distance(jf) > near {
                &mut jf
            } else {
                break;
            };
            let skip = u32::try_from(self.distance(*far))
                .expect("a program that fits in memory is shorter than 2^32 instructions");
            *far = self.push(stmt(BPF_JMP_JA, skip));
        }
        let offset = |target| u8::try_from(self.distance(target)).expect("checked in the loop");
        let (jt, jf) = (offset(jt), offset(jf));
        self.push(sock_filter { code, jt, jf, k })
    }

    fn finish(mut self) -> BpfProgram {
        self.rev.reverse();
        self.rev
    }
}

/// Emits one argument check that continues at `pass` or jumps to `fail`; returns its entry.
fn emit_arg(b: &mut Backwards, arg: Arg, pass: Label, fail: Label) -> Result<Label> {
    Ok(match arg {
        // The low word only, as seccompiler's `Dword` (see [`Arg::Eq32`]).
        Arg::Eq32(index, value) => {
            b.jump(BPF_JMP_JEQ_K, value, pass, fail);
            b.push(stmt(BPF_LD_W_ABS, arg_words(index)?.0))
        }
        Arg::Ne32(index, value) => {
            b.jump(BPF_JMP_JEQ_K, value, fail, pass);
            b.push(stmt(BPF_LD_W_ABS, arg_words(index)?.0))
        }
        // Both words, low first; a half with an empty mask cannot fail and costs nothing.
        Arg::MaskedZero(index, mask) => {
            let (low, high) = arg_words(index)?;
            let mut entry = pass;
            for (word, half) in [(high, (mask >> 32) as u32), (low, mask as u32)] {
                if half != 0 {
                    b.jump(BPF_JMP_JSET_K, half, fail, entry);
                    entry = b.push(stmt(BPF_LD_W_ABS, word));
                }
            }
            entry
        }
    })
}

const BPF_ALU_AND_K: u16 = 0x04 | 0x50;

/// Emits one 64-bit argument comparison that continues at `pass` or jumps to `fail`; returns
/// its entry. The high word decides unless it is equal; then the low word does.
fn emit_cond(b: &mut Backwards, c: Cond, pass: Label, fail: Label) -> Result<Label> {
    let (low, high) = arg_words(c.index)?;
    let (vlo, vhi) = (c.value as u32, (c.value >> 32) as u32);
    // `greater(strict, pass, fail)`: arg > value (or >= when not strict).
    let greater = |b: &mut Backwards, strict: bool, pass: Label, fail: Label| {
        let low_op = if strict { BPF_JMP_JGT_K } else { BPF_JMP_JGE_K };
        b.jump(low_op, vlo, pass, fail);
        let lo = b.push(stmt(BPF_LD_W_ABS, low));
        let eq = b.jump(BPF_JMP_JEQ_K, vhi, lo, fail);
        b.jump(BPF_JMP_JGT_K, vhi, pass, eq);
        b.push(stmt(BPF_LD_W_ABS, high))
    };
    let equal = |b: &mut Backwards, mask: u64, pass: Label, fail: Label| {
        b.jump(BPF_JMP_JEQ_K, vlo, pass, fail);
        if mask as u32 != u32::MAX {
            b.push(stmt(BPF_ALU_AND_K, mask as u32));
        }
        let lo = b.push(stmt(BPF_LD_W_ABS, low));
        b.jump(BPF_JMP_JEQ_K, vhi, lo, fail);
        if (mask >> 32) as u32 != u32::MAX {
            b.push(stmt(BPF_ALU_AND_K, (mask >> 32) as u32));
        }
        b.push(stmt(BPF_LD_W_ABS, high))
    };
    Ok(match c.op {
        Cmp::Eq => equal(b, u64::MAX, pass, fail),
        Cmp::Ne => equal(b, u64::MAX, fail, pass),
        Cmp::MaskedEq(mask) => equal(b, mask, pass, fail),
        Cmp::Gt => greater(b, true, pass, fail),
        Cmp::Ge => greater(b, false, pass, fail),
        Cmp::Lt => greater(b, false, fail, pass),
        Cmp::Le => greater(b, true, fail, pass),
    })
}

/// Emits the answer for one range; returns its entry.
fn emit_leaf(b: &mut Backwards, class: Class<'_>) -> Result<Label> {
    match class {
        Class::Allow => Ok(b.push(stmt(BPF_RET_K, libc::SECCOMP_RET_ALLOW))),
        Class::Errno(errno) => Ok(b.push(ret_errno(errno))),
        Class::Default => Ok(b.push(ret_errno(libc::EPERM))),
        // Each alternative reloads its arguments (a failed check leaves any word in A) and ends
        // in `ret ALLOW`; a failed check jumps to the next alternative, after the last to EPERM.
        Class::Conditional(alternatives) => {
            let mut next = b.push(ret_errno(libc::EPERM));
            for conjunction in alternatives.iter().rev() {
                let mut entry = b.push(stmt(BPF_RET_K, libc::SECCOMP_RET_ALLOW));
                for arg in conjunction.iter().rev() {
                    entry = emit_arg(b, *arg, entry, next)?;
                }
                next = entry;
            }
            Ok(next)
        }
        Class::Ret(ret) => Ok(b.push(stmt(BPF_RET_K, ret))),
        Class::Rules(rules, fallback) => {
            let mut next = b.push(stmt(BPF_RET_K, fallback));
            for (conds, ret) in rules.iter().rev() {
                let mut entry = b.push(stmt(BPF_RET_K, *ret));
                for c in conds.iter().rev() {
                    entry = emit_cond(b, *c, entry, next)?;
                }
                next = entry;
            }
            Ok(next)
        }
    }
}

/// Emits a balanced binary search over `ranges` (A holds the syscall number, already known to
/// be in the ranges); returns its entry. Each node is `jge <first of the upper half>`.
fn emit_tree(b: &mut Backwards, ranges: &[(u32, Class<'_>)]) -> Result<Label> {
    let mid = ranges.len() / 2;
    match ranges {
        [] => bail!("no syscall numbers to compile"),
        [(_, class)] => emit_leaf(b, *class),
        _ => {
            // The upper half goes last, so the lower half is the fall-through.
            let upper = emit_tree(b, &ranges[mid..])?;
            let lower = emit_tree(b, &ranges[..mid])?;
            Ok(b.jump(BPF_JMP_JGE_K, ranges[mid].0, upper, lower))
        }
    }
}

/// Compiles the resolved profile:
///
/// ```text
/// ld arch; jeq AUDIT_ARCH, +1; ret KILL_PROCESS
/// ld nr;   jgt max_known, 0, +1; ret ERRNO(ENOSYS)
/// binary search over the ranges of equal class in 0..=max_known:
///   jge <lower bound of the upper half> → upper subtree, else lower subtree
///   leaves: ret ALLOW | ret ERRNO(e) | ret ERRNO(EPERM) | the argument checks of one syscall
/// ```
///
/// Why a tree: when a filter is installed, the kernel emulates it for every syscall number to
/// find the ones it always allows (`seccomp_cache_prepare`, Linux 5.11+), and a syscall outside
/// that cache runs the filter on every call. Both cost in proportion to the path a number takes
/// (and loading the filter, to the program's length).
/// seccompiler emits one compare per allowed syscall in a line (about 1500 instructions here),
/// so installing took ~0.7 ms of every `berth run`; here a path is the prefix, about log2 of
/// the number of ranges in compares, and a leaf. The emulator stops at the first argument load
/// and answers "not always allowed", which is right for the conditional leaves.
fn compile(resolved: &Resolved) -> Result<BpfProgram> {
    let enosys = ret_errno(libc::ENOSYS).k;
    compile_ranges(&ranges(resolved)?, nr_u32(resolved.max_known)?, enosys)
}

/// x32 syscall numbers have this bit set (`__X32_SYSCALL_BIT`).
const X32_SYSCALL_BIT: u32 = 0x4000_0000;

/// Compiles `ranges` (see [`ranges`]; the last one ends at `max_known`) with the prefix
/// [`compile`] shows. Numbers above `max_known` get `above`, except x32 numbers, which always
/// get ENOSYS.
pub(super) fn compile_ranges(
    ranges: &[(u32, Class<'_>)],
    max_known: u32,
    above: Ret,
) -> Result<BpfProgram> {
    let mut b = Backwards::default();
    let tree = emit_tree(&mut b, ranges)?;
    // Unsigned comparison: x32 numbers (bit 30) and anything past the table land here.
    let enosys = b.push(ret_errno(libc::ENOSYS));
    if above == ret_errno(libc::ENOSYS).k {
        b.jump(BPF_JMP_JGT_K, max_known, enosys, tree);
    } else {
        let above = b.push(stmt(BPF_RET_K, above));
        let gt = b.jump(BPF_JMP_JGT_K, max_known, above, tree);
        b.jump(BPF_JMP_JGE_K, X32_SYSCALL_BIT, enosys, gt);
    }
    let load_nr = b.push(stmt(BPF_LD_W_ABS, DATA_NR));
    let kill = b.push(stmt(BPF_RET_K, libc::SECCOMP_RET_KILL_PROCESS));
    b.jump(BPF_JMP_JEQ_K, AUDIT_ARCH, load_nr, kill);
    b.push(stmt(BPF_LD_W_ABS, DATA_ARCH));
    let prog = b.finish();
    if prog.len() >= BPF_MAXINSNS {
        bail!(
            "seccomp program has {} instructions, more than the kernel accepts",
            prog.len()
        );
    }
    Ok(prog)
}

/// Builds the default seccomp program for a container with capability plan `caps`.
///
/// Capability-gated parts of the profile follow `caps.bounding`, as moby does. Pure: nothing is
/// installed. Errors only if the profile names a syscall this architecture lacks (a bug) or
/// on an architecture berth has no table for.
pub fn default_program(caps: &CapPlan) -> Result<BpfProgram> {
    compile(&resolve(&caps.bounding)?)
}

/// Installs `prog` as a seccomp filter on the calling thread (seccomp(2),
/// SECCOMP_SET_MODE_FILTER, no flags).
///
/// The kernel requires no_new_privs or CAP_SYS_ADMIN in the thread's user namespace. This
/// function sets neither: no_new_privs is opt-in (I15, `--security-opt no-new-privileges`).
/// So the caller installs the program after all privileged setup and:
/// - with no_new_privs: last, right before execve;
/// - without it: while it still holds CAP_SYS_ADMIN, i.e. before [`super::caps::apply`]; the
///   few calls left (prctl, capset, setresuid/setgroups, close_range, execve) are all in
///   the profile.
///
/// Only the calling thread is filtered (no TSYNC): call it in the single-threaded container
/// child (I20). Errors carry the errno (EACCES: neither no_new_privs nor CAP_SYS_ADMIN).
pub fn install(prog: &BpfProgram) -> Result<()> {
    if prog.is_empty() {
        bail!("installing seccomp filter: empty program");
    }
    let len = u16::try_from(prog.len()).context("installing seccomp filter: program too long")?;
    let fprog = libc::sock_fprog {
        len,
        // seccompiler's sock_filter is `#[repr(C)]` with the same fields as the kernel's.
        filter: prog.as_ptr().cast::<libc::sock_filter>().cast_mut(),
    };
    // SAFETY: `fprog` points at `prog`, which is borrowed and alive for the whole call; the
    // kernel copies the instructions and never writes through the pointer (the `*mut` is only
    // libc's type). `sock_filter` and `libc::sock_filter` have the same repr(C) layout.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            libc::SECCOMP_SET_MODE_FILTER,
            0,
            &raw const fprog,
        )
    };
    nix::errno::Errno::result(rc).context("installing seccomp filter")?;
    Ok(())
}

/// AUDIT_ARCH_X86_64 = EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE (linux/audit.h).
#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH: u32 = 62 | 0x8000_0000 | 0x4000_0000;

// Other architectures compile, but have no syscall table yet: `default_program` fails there.
#[cfg(not(target_arch = "x86_64"))]
const AUDIT_ARCH: u32 = 183 | 0x8000_0000 | 0x4000_0000;

/// x86_64 syscall numbers from the kernel's `syscall_64.tbl` (common and 64-bit entries, up to
/// open_tree_attr, Linux 6.15).
#[cfg(target_arch = "x86_64")]
static TABLE: [(&str, i64); 380] = [
    ("read", 0),
    ("write", 1),
    ("open", 2),
    ("close", 3),
    ("stat", 4),
    ("fstat", 5),
    ("lstat", 6),
    ("poll", 7),
    ("lseek", 8),
    ("mmap", 9),
    ("mprotect", 10),
    ("munmap", 11),
    ("brk", 12),
    ("rt_sigaction", 13),
    ("rt_sigprocmask", 14),
    ("rt_sigreturn", 15),
    ("ioctl", 16),
    ("pread64", 17),
    ("pwrite64", 18),
    ("readv", 19),
    ("writev", 20),
    ("access", 21),
    ("pipe", 22),
    ("select", 23),
    ("sched_yield", 24),
    ("mremap", 25),
    ("msync", 26),
    ("mincore", 27),
    ("madvise", 28),
    ("shmget", 29),
    ("shmat", 30),
    ("shmctl", 31),
    ("dup", 32),
    ("dup2", 33),
    ("pause", 34),
    ("nanosleep", 35),
    ("getitimer", 36),
    ("alarm", 37),
    ("setitimer", 38),
    ("getpid", 39),
    ("sendfile", 40),
    ("socket", 41),
    ("connect", 42),
    ("accept", 43),
    ("sendto", 44),
    ("recvfrom", 45),
    ("sendmsg", 46),
    ("recvmsg", 47),
    ("shutdown", 48),
    ("bind", 49),
    ("listen", 50),
    ("getsockname", 51),
    ("getpeername", 52),
    ("socketpair", 53),
    ("setsockopt", 54),
    ("getsockopt", 55),
    ("clone", 56),
    ("fork", 57),
    ("vfork", 58),
    ("execve", 59),
    ("exit", 60),
    ("wait4", 61),
    ("kill", 62),
    ("uname", 63),
    ("semget", 64),
    ("semop", 65),
    ("semctl", 66),
    ("shmdt", 67),
    ("msgget", 68),
    ("msgsnd", 69),
    ("msgrcv", 70),
    ("msgctl", 71),
    ("fcntl", 72),
    ("flock", 73),
    ("fsync", 74),
    ("fdatasync", 75),
    ("truncate", 76),
    ("ftruncate", 77),
    ("getdents", 78),
    ("getcwd", 79),
    ("chdir", 80),
    ("fchdir", 81),
    ("rename", 82),
    ("mkdir", 83),
    ("rmdir", 84),
    ("creat", 85),
    ("link", 86),
    ("unlink", 87),
    ("symlink", 88),
    ("readlink", 89),
    ("chmod", 90),
    ("fchmod", 91),
    ("chown", 92),
    ("fchown", 93),
    ("lchown", 94),
    ("umask", 95),
    ("gettimeofday", 96),
    ("getrlimit", 97),
    ("getrusage", 98),
    ("sysinfo", 99),
    ("times", 100),
    ("ptrace", 101),
    ("getuid", 102),
    ("syslog", 103),
    ("getgid", 104),
    ("setuid", 105),
    ("setgid", 106),
    ("geteuid", 107),
    ("getegid", 108),
    ("setpgid", 109),
    ("getppid", 110),
    ("getpgrp", 111),
    ("setsid", 112),
    ("setreuid", 113),
    ("setregid", 114),
    ("getgroups", 115),
    ("setgroups", 116),
    ("setresuid", 117),
    ("getresuid", 118),
    ("setresgid", 119),
    ("getresgid", 120),
    ("getpgid", 121),
    ("setfsuid", 122),
    ("setfsgid", 123),
    ("getsid", 124),
    ("capget", 125),
    ("capset", 126),
    ("rt_sigpending", 127),
    ("rt_sigtimedwait", 128),
    ("rt_sigqueueinfo", 129),
    ("rt_sigsuspend", 130),
    ("sigaltstack", 131),
    ("utime", 132),
    ("mknod", 133),
    ("uselib", 134),
    ("personality", 135),
    ("ustat", 136),
    ("statfs", 137),
    ("fstatfs", 138),
    ("sysfs", 139),
    ("getpriority", 140),
    ("setpriority", 141),
    ("sched_setparam", 142),
    ("sched_getparam", 143),
    ("sched_setscheduler", 144),
    ("sched_getscheduler", 145),
    ("sched_get_priority_max", 146),
    ("sched_get_priority_min", 147),
    ("sched_rr_get_interval", 148),
    ("mlock", 149),
    ("munlock", 150),
    ("mlockall", 151),
    ("munlockall", 152),
    ("vhangup", 153),
    ("modify_ldt", 154),
    ("pivot_root", 155),
    ("_sysctl", 156),
    ("prctl", 157),
    ("arch_prctl", 158),
    ("adjtimex", 159),
    ("setrlimit", 160),
    ("chroot", 161),
    ("sync", 162),
    ("acct", 163),
    ("settimeofday", 164),
    ("mount", 165),
    ("umount2", 166),
    ("swapon", 167),
    ("swapoff", 168),
    ("reboot", 169),
    ("sethostname", 170),
    ("setdomainname", 171),
    ("iopl", 172),
    ("ioperm", 173),
    ("create_module", 174),
    ("init_module", 175),
    ("delete_module", 176),
    ("get_kernel_syms", 177),
    ("query_module", 178),
    ("quotactl", 179),
    ("nfsservctl", 180),
    ("getpmsg", 181),
    ("putpmsg", 182),
    ("afs_syscall", 183),
    ("tuxcall", 184),
    ("security", 185),
    ("gettid", 186),
    ("readahead", 187),
    ("setxattr", 188),
    ("lsetxattr", 189),
    ("fsetxattr", 190),
    ("getxattr", 191),
    ("lgetxattr", 192),
    ("fgetxattr", 193),
    ("listxattr", 194),
    ("llistxattr", 195),
    ("flistxattr", 196),
    ("removexattr", 197),
    ("lremovexattr", 198),
    ("fremovexattr", 199),
    ("tkill", 200),
    ("time", 201),
    ("futex", 202),
    ("sched_setaffinity", 203),
    ("sched_getaffinity", 204),
    ("set_thread_area", 205),
    ("io_setup", 206),
    ("io_destroy", 207),
    ("io_getevents", 208),
    ("io_submit", 209),
    ("io_cancel", 210),
    ("get_thread_area", 211),
    ("lookup_dcookie", 212),
    ("epoll_create", 213),
    ("epoll_ctl_old", 214),
    ("epoll_wait_old", 215),
    ("remap_file_pages", 216),
    ("getdents64", 217),
    ("set_tid_address", 218),
    ("restart_syscall", 219),
    ("semtimedop", 220),
    ("fadvise64", 221),
    ("timer_create", 222),
    ("timer_settime", 223),
    ("timer_gettime", 224),
    ("timer_getoverrun", 225),
    ("timer_delete", 226),
    ("clock_settime", 227),
    ("clock_gettime", 228),
    ("clock_getres", 229),
    ("clock_nanosleep", 230),
    ("exit_group", 231),
    ("epoll_wait", 232),
    ("epoll_ctl", 233),
    ("tgkill", 234),
    ("utimes", 235),
    ("vserver", 236),
    ("mbind", 237),
    ("set_mempolicy", 238),
    ("get_mempolicy", 239),
    ("mq_open", 240),
    ("mq_unlink", 241),
    ("mq_timedsend", 242),
    ("mq_timedreceive", 243),
    ("mq_notify", 244),
    ("mq_getsetattr", 245),
    ("kexec_load", 246),
    ("waitid", 247),
    ("add_key", 248),
    ("request_key", 249),
    ("keyctl", 250),
    ("ioprio_set", 251),
    ("ioprio_get", 252),
    ("inotify_init", 253),
    ("inotify_add_watch", 254),
    ("inotify_rm_watch", 255),
    ("migrate_pages", 256),
    ("openat", 257),
    ("mkdirat", 258),
    ("mknodat", 259),
    ("fchownat", 260),
    ("futimesat", 261),
    ("newfstatat", 262),
    ("unlinkat", 263),
    ("renameat", 264),
    ("linkat", 265),
    ("symlinkat", 266),
    ("readlinkat", 267),
    ("fchmodat", 268),
    ("faccessat", 269),
    ("pselect6", 270),
    ("ppoll", 271),
    ("unshare", 272),
    ("set_robust_list", 273),
    ("get_robust_list", 274),
    ("splice", 275),
    ("tee", 276),
    ("sync_file_range", 277),
    ("vmsplice", 278),
    ("move_pages", 279),
    ("utimensat", 280),
    ("epoll_pwait", 281),
    ("signalfd", 282),
    ("timerfd_create", 283),
    ("eventfd", 284),
    ("fallocate", 285),
    ("timerfd_settime", 286),
    ("timerfd_gettime", 287),
    ("accept4", 288),
    ("signalfd4", 289),
    ("eventfd2", 290),
    ("epoll_create1", 291),
    ("dup3", 292),
    ("pipe2", 293),
    ("inotify_init1", 294),
    ("preadv", 295),
    ("pwritev", 296),
    ("rt_tgsigqueueinfo", 297),
    ("perf_event_open", 298),
    ("recvmmsg", 299),
    ("fanotify_init", 300),
    ("fanotify_mark", 301),
    ("prlimit64", 302),
    ("name_to_handle_at", 303),
    ("open_by_handle_at", 304),
    ("clock_adjtime", 305),
    ("syncfs", 306),
    ("sendmmsg", 307),
    ("setns", 308),
    ("getcpu", 309),
    ("process_vm_readv", 310),
    ("process_vm_writev", 311),
    ("kcmp", 312),
    ("finit_module", 313),
    ("sched_setattr", 314),
    ("sched_getattr", 315),
    ("renameat2", 316),
    ("seccomp", 317),
    ("getrandom", 318),
    ("memfd_create", 319),
    ("kexec_file_load", 320),
    ("bpf", 321),
    ("execveat", 322),
    ("userfaultfd", 323),
    ("membarrier", 324),
    ("mlock2", 325),
    ("copy_file_range", 326),
    ("preadv2", 327),
    ("pwritev2", 328),
    ("pkey_mprotect", 329),
    ("pkey_alloc", 330),
    ("pkey_free", 331),
    ("statx", 332),
    ("io_pgetevents", 333),
    ("rseq", 334),
    ("uretprobe", 335),
    ("pidfd_send_signal", 424),
    ("io_uring_setup", 425),
    ("io_uring_enter", 426),
    ("io_uring_register", 427),
    ("open_tree", 428),
    ("move_mount", 429),
    ("fsopen", 430),
    ("fsconfig", 431),
    ("fsmount", 432),
    ("fspick", 433),
    ("pidfd_open", 434),
    ("clone3", 435),
    ("close_range", 436),
    ("openat2", 437),
    ("pidfd_getfd", 438),
    ("faccessat2", 439),
    ("process_madvise", 440),
    ("epoll_pwait2", 441),
    ("mount_setattr", 442),
    ("quotactl_fd", 443),
    ("landlock_create_ruleset", 444),
    ("landlock_add_rule", 445),
    ("landlock_restrict_self", 446),
    ("memfd_secret", 447),
    ("process_mrelease", 448),
    ("futex_waitv", 449),
    ("set_mempolicy_home_node", 450),
    ("cachestat", 451),
    ("fchmodat2", 452),
    ("map_shadow_stack", 453),
    ("futex_wake", 454),
    ("futex_wait", 455),
    ("futex_requeue", 456),
    ("statmount", 457),
    ("listmount", 458),
    ("lsm_get_self_attr", 459),
    ("lsm_set_self_attr", 460),
    ("lsm_list_modules", 461),
    ("mseal", 462),
    ("setxattrat", 463),
    ("getxattrat", 464),
    ("listxattrat", 465),
    ("removexattrat", 466),
    ("open_tree_attr", 467),
];

/// Syscall numbers by name on this architecture. A map rather than a scan of the table per
/// name: the profile names about 370 syscalls, and the scans were most of `default_program`'s
/// time on the `berth run` path.
#[cfg(target_arch = "x86_64")]
pub(super) fn syscall_numbers() -> HashMap<&'static str, i64> {
    TABLE.iter().copied().collect()
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) fn syscall_numbers() -> HashMap<&'static str, i64> {
    HashMap::new()
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::runtime::caps::{self as caps_plan};
    use crate::runtime::test_support::{in_child, require_root};

    fn default_caps() -> CapPlan {
        caps_plan::plan(&[], &[], false, 0).unwrap()
    }

    fn all_caps() -> CapPlan {
        caps_plan::plan(&[], &[], true, 0).unwrap()
    }

    fn nr(name: &str) -> i64 {
        syscall_numbers()[name]
    }

    #[test]
    fn every_profile_name_exists_on_x86_64() {
        for rule in PROFILE {
            for name in rule.names {
                assert!(syscall_numbers().contains_key(name), "{name}");
            }
        }
    }

    #[test]
    fn table_numbers_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for (name, nr) in TABLE.iter() {
            assert!(seen.insert(*nr), "{name} {nr}");
        }
    }

    #[test]
    fn default_caps_gate_the_privileged_groups() {
        let r = resolve(&default_caps().bounding).unwrap();
        for name in [
            "read",
            "getpid",
            "execve",
            "capset",
            "prctl",
            "setresuid",
            "close_range",
        ] {
            assert_eq!(r.allow.get(&nr(name)), Some(&vec![]), "{name}");
        }
        // Unconditional since Linux 4.8 made ptrace unable to bypass seccomp (moby minKernel).
        assert_eq!(r.allow.get(&nr("ptrace")), Some(&vec![]));
        // SYS_CHROOT is in Podman's default set.
        assert!(r.allow.contains_key(&nr("chroot")));
        for name in [
            "mount",
            "unshare",
            "setns",
            "reboot",
            "init_module",
            "bpf",
            "keyctl",
            "kexec_load",
            "io_uring_setup",
            "clone3",
            "settimeofday",
            "acct",
            "iopl",
        ] {
            assert!(!r.allow.contains_key(&nr(name)), "{name}");
        }
        assert_eq!(r.errno.get(&nr("clone3")), Some(&libc::ENOSYS));
        assert_eq!(
            r.allow.get(&nr("clone")),
            Some(&vec![vec![Arg::MaskedZero(0, CLONE_NAMESPACE_FLAGS)]])
        );
        assert_eq!(r.allow.get(&nr("personality")).map(Vec::len), Some(5));
        assert_eq!(
            r.allow.get(&nr("socket")),
            Some(&vec![vec![Arg::Ne32(0, AF_VSOCK)]])
        );
        assert_eq!(r.max_known, nr("futex_requeue"));
    }

    #[test]
    fn all_caps_open_the_gates() {
        let r = resolve(&all_caps().bounding).unwrap();
        for name in [
            "mount",
            "unshare",
            "setns",
            "clone",
            "clone3",
            "ptrace",
            "reboot",
            "bpf",
            "perf_event_open",
            "init_module",
            "settimeofday",
            "open_by_handle_at",
        ] {
            assert_eq!(r.allow.get(&nr(name)), Some(&vec![]), "{name}");
        }
        assert!(r.errno.is_empty());
        // Still not in Docker's profile at all, whatever the capabilities.
        for name in [
            "kexec_load",
            "keyctl",
            "add_key",
            "userfaultfd",
            "io_uring_setup",
        ] {
            assert!(!r.allow.contains_key(&nr(name)), "{name}");
        }
    }

    #[test]
    fn programs_build_and_fit() {
        for plan in [default_caps(), all_caps()] {
            let prog = default_program(&plan).unwrap();
            assert!(prog.len() < BPF_MAXINSNS);
            // Arch check, then berth's prefix.
            assert_eq!(prog[2].k, libc::SECCOMP_RET_KILL_PROCESS);
            assert_eq!(prog[3], stmt(BPF_LD_W_ABS, DATA_NR));
            assert_eq!(prog[4].code, BPF_JMP_JGT_K);
            assert_eq!(prog[5], ret_errno(libc::ENOSYS));
        }
    }

    /// The old compiler, kept as the oracle for [`compile`]: seccompiler's arch check and
    /// linear allowlist, with the ENOSYS prefix and a linear list of the errno rules spliced in
    /// after the arch check.
    fn compile_with_seccompiler(resolved: &Resolved) -> Result<BpfProgram> {
        use seccompiler::{
            SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
            SeccompRule,
        };

        fn condition(arg: Arg) -> Result<SeccompCondition, seccompiler::BackendError> {
            match arg {
                Arg::Eq32(i, v) => {
                    SeccompCondition::new(i, SeccompCmpArgLen::Dword, SeccompCmpOp::Eq, v.into())
                }
                Arg::Ne32(i, v) => {
                    SeccompCondition::new(i, SeccompCmpArgLen::Dword, SeccompCmpOp::Ne, v.into())
                }
                Arg::MaskedZero(i, mask) => SeccompCondition::new(
                    i,
                    SeccompCmpArgLen::Qword,
                    SeccompCmpOp::MaskedEq(mask),
                    0,
                ),
            }
        }

        let mut rules = BTreeMap::new();
        for (nr, alternatives) in &resolved.allow {
            let chain = alternatives
                .iter()
                .map(|conds| {
                    let conds = conds
                        .iter()
                        .map(|a| condition(*a))
                        .collect::<Result<_, _>>()?;
                    SeccompRule::new(conds)
                })
                .collect::<Result<Vec<_>, _>>()?;
            rules.insert(*nr, chain);
        }
        let filter = SeccompFilter::new(
            rules,
            SeccompAction::Errno(libc::EPERM as u32),
            SeccompAction::Allow,
            seccompiler::TargetArch::x86_64,
        )?;
        let body: BpfProgram = filter.try_into()?;
        let arch_check = [
            stmt(BPF_LD_W_ABS, DATA_ARCH),
            jump(BPF_JMP_JEQ_K, AUDIT_ARCH, 1, 0),
            stmt(BPF_RET_K, libc::SECCOMP_RET_KILL_PROCESS),
        ];
        assert_eq!(body[..3], arch_check[..]);
        let mut prog = body[..3].to_vec();
        prog.push(stmt(BPF_LD_W_ABS, DATA_NR));
        prog.push(jump(BPF_JMP_JGT_K, nr_u32(resolved.max_known)?, 0, 1));
        prog.push(ret_errno(libc::ENOSYS));
        for (nr, errno) in &resolved.errno {
            prog.push(jump(BPF_JMP_JEQ_K, nr_u32(*nr)?, 0, 1));
            prog.push(ret_errno(*errno));
        }
        // The body reloads `nr` itself and its jumps are relative, so it can follow unchanged.
        prog.extend_from_slice(&body[3..]);
        assert!(prog.len() < BPF_MAXINSNS);
        Ok(prog)
    }

    fn jump(code: u16, k: u32, jt: u8, jf: u8) -> sock_filter {
        sock_filter { code, jt, jf, k }
    }

    /// BPF_ALU | BPF_AND | BPF_K: seccompiler's masked compares use it.
    const BPF_ALU_AND_K: u16 = 0x04 | 0x50;
    /// AUDIT_ARCH_I386 (linux/audit.h): `int 0x80` from a 64-bit process.
    const AUDIT_ARCH_I386: u32 = 3 | 0x4000_0000;
    const X32_BIT: u32 = 0x4000_0000;

    /// `struct seccomp_data` as a filter sees it (the instruction pointer stays 0).
    #[derive(Debug, Clone, Copy)]
    struct Data {
        nr: u32,
        arch: u32,
        args: [u64; 6],
    }

    impl Data {
        fn word(&self, k: u32) -> u32 {
            let mut bytes = [0u8; 64];
            bytes[0..4].copy_from_slice(&self.nr.to_ne_bytes());
            bytes[4..8].copy_from_slice(&self.arch.to_ne_bytes());
            for (i, arg) in self.args.iter().enumerate() {
                bytes[16 + 8 * i..24 + 8 * i].copy_from_slice(&arg.to_ne_bytes());
            }
            let k = k as usize;
            assert!(k.is_multiple_of(4) && k < 64, "load from offset {k}");
            u32::from_ne_bytes(bytes[k..k + 4].try_into().unwrap())
        }
    }

    /// Runs `prog` on `data` as the kernel would, for the opcodes either compiler emits (any
    /// other fails the test); returns the verdict and how many instructions ran.
    fn eval(prog: &[sock_filter], data: &Data) -> (u32, usize) {
        let (mut a, mut pc, mut steps) = (0u32, 0usize, 0usize);
        loop {
            let insn = &prog[pc];
            pc += 1;
            steps += 1;
            let branch = |taken: bool| usize::from(if taken { insn.jt } else { insn.jf });
            match insn.code {
                BPF_LD_W_ABS => a = data.word(insn.k),
                BPF_ALU_AND_K => a &= insn.k,
                BPF_JMP_JA => pc += insn.k as usize,
                BPF_JMP_JEQ_K => pc += branch(a == insn.k),
                BPF_JMP_JGT_K => pc += branch(a > insn.k),
                BPF_JMP_JGE_K => pc += branch(a >= insn.k),
                BPF_JMP_JSET_K => pc += branch(a & insn.k != 0),
                BPF_RET_K => return (insn.k, steps),
                code => panic!("opcode {code:#x} at {}", pc - 1),
            }
        }
    }

    /// What the kernel checks before accepting a seccomp filter (`bpf_check_classic`,
    /// `seccomp_check_filter`), for these opcodes: every jump lands inside the program, loads
    /// are aligned words of `seccomp_data`, and the last instruction returns.
    fn assert_loadable(prog: &[sock_filter]) {
        assert!(!prog.is_empty() && prog.len() <= BPF_MAXINSNS);
        for (pc, insn) in prog.iter().enumerate() {
            let lands = |skip: usize| assert!(pc + 1 + skip < prog.len(), "jump out at {pc}");
            match insn.code {
                BPF_LD_W_ABS => assert!(insn.k % 4 == 0 && insn.k < 64, "load at {pc}"),
                BPF_JMP_JA => lands(insn.k as usize),
                BPF_JMP_JEQ_K | BPF_JMP_JGT_K | BPF_JMP_JGE_K | BPF_JMP_JSET_K => {
                    lands(insn.jt.max(insn.jf).into());
                }
                BPF_ALU_AND_K | BPF_RET_K => {}
                code => panic!("opcode {code:#x} at {pc}"),
            }
        }
        assert_eq!(prog.last().unwrap().code, BPF_RET_K);
    }

    /// Argument values worth trying: the edges, and each constant the profile's conditions use
    /// with its neighbours, its complement and the same with high bits set; for masks also each
    /// single bit.
    fn interesting_values(resolved: &Resolved) -> Vec<u64> {
        let mut values = std::collections::BTreeSet::from([
            0,
            1,
            u64::MAX,
            0xffff_ffff,
            0x8000_0000,
            1 << 32,
            1 << 63,
            0xffff_ffff_0000_0000,
        ]);
        for arg in resolved.allow.values().flatten().flatten() {
            let k = match *arg {
                Arg::Eq32(_, v) | Arg::Ne32(_, v) => u64::from(v),
                Arg::MaskedZero(_, mask) => {
                    values.extend((0..64).map(|bit| 1u64 << bit).filter(|b| mask & b != 0));
                    mask
                }
            };
            for v in [k, k.wrapping_sub(1), k.wrapping_add(1), !k] {
                values.extend([v, v & 0xffff_ffff, v | 1 << 32, v | 0xffff_ffff_0000_0000]);
            }
        }
        values.into_iter().collect()
    }

    /// `args` changed as little as possible so that every check in `conjunction` holds.
    fn satisfy(conjunction: &[Arg], mut args: [u64; 6]) -> [u64; 6] {
        for arg in conjunction {
            match *arg {
                Arg::Eq32(i, v) => {
                    let a = &mut args[usize::from(i)];
                    *a = (*a & !0xffff_ffff) | u64::from(v);
                }
                Arg::Ne32(i, v) => {
                    let a = &mut args[usize::from(i)];
                    if *a & 0xffff_ffff == u64::from(v) {
                        *a ^= 1;
                    }
                }
                Arg::MaskedZero(i, mask) => args[usize::from(i)] &= !mask,
            }
        }
        args
    }

    /// `args` changed so that `arg` fails (one variant per way it can fail).
    fn violate(arg: Arg, args: [u64; 6]) -> Vec<[u64; 6]> {
        let with = |i: u8, f: &dyn Fn(u64) -> u64| {
            let mut out = args;
            out[usize::from(i)] = f(out[usize::from(i)]);
            out
        };
        match arg {
            Arg::Eq32(i, _) => vec![with(i, &|a| a ^ 1), with(i, &|a| a ^ 0x8000_0000)],
            Arg::Ne32(i, v) => vec![with(i, &|a| (a & !0xffff_ffff) | u64::from(v))],
            Arg::MaskedZero(i, mask) if mask != 0 => {
                let (low, high) = (mask & mask.wrapping_neg(), 1 << (63 - mask.leading_zeros()));
                vec![with(i, &|a| a | low), with(i, &|a| a | high)]
            }
            Arg::MaskedZero(..) => vec![],
        }
    }

    /// Argument vectors for a syscall with argument rules: every interesting value in all six
    /// arguments and in each one alone, and for each alternative a vector that passes it and
    /// vectors that fail each of its checks in turn.
    fn conditional_vectors(alternatives: &[Vec<Arg>], values: &[u64]) -> Vec<[u64; 6]> {
        let mut out = Vec::new();
        for &v in values {
            out.push([v; 6]);
            for i in 0..6 {
                let mut args = [0; 6];
                args[i] = v;
                out.push(args);
            }
        }
        for base in [[0; 6], [u64::MAX; 6], [0xffff_ffff_0000_0000; 6]] {
            for conjunction in alternatives {
                let pass = satisfy(conjunction, base);
                out.push(pass);
                for arg in conjunction {
                    out.extend(violate(*arg, pass));
                }
            }
        }
        out
    }

    /// Asserts that [`compile`] and the seccompiler oracle give the same verdict for every
    /// syscall number up to `max_known + 50`, the same numbers with the x32 bit, and a wrong
    /// architecture; returns the new program.
    fn assert_same_verdicts(resolved: &Resolved) -> BpfProgram {
        let new = compile(resolved).unwrap();
        let old = compile_with_seccompiler(resolved).unwrap();
        assert_loadable(&new);
        assert_loadable(&old);
        let values = interesting_values(resolved);
        // Syscalls without argument rules must not look at the arguments at all.
        let few = [[0; 6], [u64::MAX; 6], [1 << 32 | 40; 6], [0x8000_0000; 6]];
        let max = nr_u32(resolved.max_known).unwrap();
        let (mut allowed, mut denied) = (0, 0);
        for nr in 0..=max + 50 {
            let vectors = match resolved.allow.get(&i64::from(nr)) {
                Some(alternatives) if !alternatives.is_empty() => {
                    conditional_vectors(alternatives, &values)
                }
                _ => few.to_vec(),
            };
            for (nr, vectors) in [(nr, &vectors[..]), (nr | X32_BIT, &few[..])] {
                for args in vectors {
                    let data = Data {
                        nr,
                        arch: AUDIT_ARCH,
                        args: *args,
                    };
                    let verdict = eval(&new, &data).0;
                    assert_eq!(verdict, eval(&old, &data).0, "{data:x?}");
                    if verdict == libc::SECCOMP_RET_ALLOW {
                        allowed += 1;
                    } else {
                        denied += 1;
                    }
                }
            }
        }
        assert!(allowed > 0 && denied > 0);
        for arch in [AUDIT_ARCH_I386, 0, AUDIT_ARCH & !0x8000_0000, u32::MAX] {
            for nr in [0, 1, max, max + 1, X32_BIT] {
                let data = Data {
                    nr,
                    arch,
                    args: [0; 6],
                };
                assert_eq!(eval(&new, &data).0, libc::SECCOMP_RET_KILL_PROCESS);
                assert_eq!(eval(&old, &data).0, libc::SECCOMP_RET_KILL_PROCESS);
            }
        }
        new
    }

    /// The bounding sets that open or close each gate of the profile: the default set, every
    /// capability, the default set plus each gated capability alone, and plus all of them but
    /// CAP_SYS_ADMIN (whose presence closes the `Without` gates).
    fn gate_bounding_sets() -> Vec<CapsHashSet> {
        let gated: CapsHashSet = PROFILE
            .iter()
            .filter_map(|rule| match rule.gate {
                Gate::Always => None,
                Gate::With(cap) | Gate::Without(cap) => Some(cap),
            })
            .collect();
        let default = default_caps().bounding;
        let mut sets = vec![default.clone(), all_caps().bounding];
        for cap in &gated {
            let mut set = default.clone();
            set.insert(*cap);
            sets.push(set);
        }
        let mut most = default.clone();
        most.extend(gated.iter().filter(|c| **c != Capability::CAP_SYS_ADMIN));
        sets.push(most);
        sets
    }

    #[test]
    fn tree_gives_seccompilers_verdicts_for_every_gate() {
        for bounding in gate_bounding_sets() {
            let resolved = resolve(&bounding).unwrap();
            let prog = assert_same_verdicts(&resolved);
            // The point of the tree: every number without argument rules is decided after the
            // 4-instruction prefix, at most ceil(log2(ranges)) compares, and a `ret`.
            let depth = ranges(&resolved).unwrap().len().next_power_of_two().ilog2();
            for nr in 0..=nr_u32(resolved.max_known).unwrap() + 50 {
                if resolved
                    .allow
                    .get(&i64::from(nr))
                    .is_some_and(|a| !a.is_empty())
                {
                    continue;
                }
                let data = Data {
                    nr,
                    arch: AUDIT_ARCH,
                    args: [0; 6],
                };
                let steps = eval(&prog, &data).1;
                assert!(steps <= 5 + depth as usize, "nr {nr}: {steps} instructions");
            }
        }
    }

    /// A profile far bigger than Docker's: 120 syscalls with two alternatives each (about 15
    /// instructions apiece; neighbours differ, so each is its own range), so the root's lower
    /// subtree is far more than 255 instructions long; then a run of syscalls with the same
    /// rules (one range), and errno rules that shadow allowed and conditional syscalls.
    #[test]
    fn far_jumps_in_the_tree_use_trampolines() {
        let rules = |k: u32| {
            vec![
                vec![Arg::Eq32(0, k), Arg::MaskedZero(1, 0xff00_0000_0000_00f0)],
                vec![
                    Arg::Ne32(2, 7),
                    Arg::Eq32(3, 0xffff_fff0 - k),
                    Arg::MaskedZero(5, 1 << 40),
                ],
            ]
        };
        let mut allow = BTreeMap::new();
        for nr in 0..120i64 {
            allow.insert(nr, rules(u32::try_from(nr % 2).unwrap()));
        }
        for nr in 120..126 {
            allow.insert(nr, rules(9));
        }
        for nr in (150..200).step_by(3) {
            allow.insert(nr, Vec::new());
        }
        let errno = BTreeMap::from([(5, libc::ENOSYS), (151, libc::EACCES), (152, libc::EPERM)]);
        let resolved = Resolved {
            allow,
            errno,
            max_known: 230,
        };
        let prog = assert_same_verdicts(&resolved);
        assert!(prog.len() > 1000);
        assert!(prog.iter().any(|i| i.code == BPF_JMP_JA && i.k > 255));
    }

    /// One alternative of 70 two-word mask checks (280 instructions), so a check near its start
    /// is too far from the next alternative for a conditional jump.
    #[test]
    fn far_jumps_out_of_a_long_alternative_use_trampolines() {
        let long: Vec<Arg> = (0..70u8)
            .map(|i| Arg::MaskedZero(i % 6, (1 << (32 + i % 32)) | 1 << (i % 31)))
            .collect();
        let resolved = Resolved {
            allow: BTreeMap::from([
                (0, vec![long, vec![Arg::Eq32(0, 9)]]),
                (1, Vec::new()),
                (3, vec![vec![Arg::Ne32(4, 1)]]),
            ]),
            errno: BTreeMap::new(),
            max_known: 3,
        };
        let prog = assert_same_verdicts(&resolved);
        assert!(prog.iter().any(|i| i.code == BPF_JMP_JA && i.k > 255));
    }

    /// Jumps right at the 8-bit limit and just past it. The alternative of `k` checks puts
    /// `2k - 1` instructions between its first check and the next alternative, and `2k - 3` for
    /// the second (one trampoline each beyond 255); the tree node skips the whole `2k + 5`
    /// instruction leaf to reach syscall 1, plus the leaf's own trampolines.
    #[test]
    fn jumps_either_side_of_the_8_bit_limit() {
        for k in 120..=135u8 {
            let long = (0..k).map(|i| Arg::Eq32(i % 6, u32::from(i % 6) + 100));
            let resolved = Resolved {
                allow: BTreeMap::from([
                    (0, vec![long.collect(), vec![Arg::Ne32(1, 5)]]),
                    (1, Vec::new()),
                ]),
                errno: BTreeMap::new(),
                max_known: 1,
            };
            let prog = assert_same_verdicts(&resolved);
            let trampolines = prog.iter().filter(|i| i.code == BPF_JMP_JA).count();
            let expected = usize::from(k >= 126) + usize::from(k.saturating_sub(128));
            assert_eq!(trampolines, expected, "k = {k}");
        }
    }

    /// Builds the default program a few hundred times and reports the mean, so the cost on the
    /// `berth run` path is visible in test output (`--nocapture`).
    #[test]
    #[allow(clippy::print_stderr)]
    fn build_time_is_reported() {
        let plan = default_caps();
        let rounds = 200u32;
        let start = std::time::Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(default_program(&plan).unwrap());
        }
        eprintln!("default_program: {:?} per build", start.elapsed() / rounds);
    }

    fn errno_of(rc: libc::c_long) -> i32 {
        if rc == -1 {
            nix::errno::Errno::last_raw()
        } else {
            0
        }
    }

    /// A numbered check run in the filtered child; the number is the child's exit code on failure.
    type Check = (i32, fn() -> bool);

    /// Installs `prog` in a forked child and runs raw syscalls there, reporting the first failed
    /// check by exit code.
    fn check_in_child(prog: &BpfProgram, checks: &[Check]) -> i32 {
        in_child(|| {
            if install(prog).is_err() {
                return 90;
            }
            for (code, check) in checks {
                if !check() {
                    return *code;
                }
            }
            0
        })
    }

    // SAFETY (for every `libc::syscall` below): the calls pass only integers and null
    // pointers; the ones the filter denies never reach the kernel, and the rest (getpid,
    // unshare with a flag the filter must refuse) take no pointers.
    fn sys0(nr: libc::c_long) -> libc::c_long {
        // SAFETY: see above; no arguments at all.
        unsafe { libc::syscall(nr) }
    }

    fn sys1(nr: libc::c_long, a: libc::c_long) -> libc::c_long {
        // SAFETY: see above; one integer argument.
        unsafe { libc::syscall(nr, a) }
    }

    #[test]
    fn installed_default_program_behaves() {
        if !require_root("installed_default_program_behaves") {
            return;
        }
        let prog = default_program(&default_caps()).unwrap();
        let checks: &[Check] = &[
            (1, || sys0(libc::SYS_getpid) > 0),
            // Known to the profile's range but not allowed: EPERM.
            (2, || errno_of(sys0(libc::SYS_kexec_load)) == libc::EPERM),
            (3, || errno_of(sys0(libc::SYS_keyctl)) == libc::EPERM),
            (4, || errno_of(sys0(libc::SYS_reboot)) == libc::EPERM),
            // clone3 without CAP_SYS_ADMIN: ENOSYS so libc falls back to clone.
            (5, || errno_of(sys0(libc::SYS_clone3)) == libc::ENOSYS),
            // Beyond the table: ENOSYS.
            (6, || errno_of(sys0(1000)) == libc::ENOSYS),
            // x32 getpid must not get through.
            (7, || {
                errno_of(sys0(0x4000_0000 | libc::SYS_getpid)) == libc::ENOSYS
            }),
            (8, || {
                errno_of(sys1(libc::SYS_unshare, libc::CLONE_NEWUSER.into())) == libc::EPERM
            }),
            (9, || {
                std::fs::read_to_string("/proc/self/status")
                    .is_ok_and(|s| s.lines().any(|l| l == "Seccomp:\t2"))
            }),
            // Personality: the query is allowed, other values are not.
            (10, || sys1(libc::SYS_personality, 0xffff_ffff) >= 0),
            (11, || {
                errno_of(sys1(libc::SYS_personality, 0x0040_0000)) == libc::EPERM
            }),
            // socket(AF_VSOCK, …) is denied; AF_UNIX is fine.
            (12, || {
                // SAFETY: see above; three integer arguments.
                let rc = unsafe { libc::syscall(libc::SYS_socket, 40, libc::SOCK_STREAM, 0) };
                errno_of(rc) == libc::EPERM
            }),
        ];
        assert_eq!(check_in_child(&prog, checks), 0, "see the numbered checks");
    }

    #[test]
    fn clone_with_namespace_flags_is_denied_without_sys_admin() {
        if !require_root("clone_with_namespace_flags_is_denied_without_sys_admin") {
            return;
        }
        let prog = default_program(&default_caps()).unwrap();
        let checks: &[Check] = &[(1, || {
            // A namespace flag is checked before the kernel looks at anything else; the filter
            // must answer first. Never reaches the kernel, so no child is created.
            let flags = libc::c_long::from(libc::CLONE_NEWNET | libc::SIGCHLD);
            errno_of(sys1(libc::SYS_clone, flags)) == libc::EPERM
        })];
        assert_eq!(check_in_child(&prog, checks), 0);
    }

    #[test]
    fn all_caps_program_allows_clone3_and_unshare() {
        if !require_root("all_caps_program_allows_clone3_and_unshare") {
            return;
        }
        let prog = default_program(&all_caps()).unwrap();
        let checks: &[Check] = &[
            // clone3 with a null struct reaches the kernel: EFAULT/EINVAL, not ENOSYS or EPERM.
            (1, || {
                let e = errno_of(sys0(libc::SYS_clone3));
                e != libc::ENOSYS && e != libc::EPERM
            }),
            (2, || {
                sys1(libc::SYS_unshare, libc::CLONE_NEWUTS.into()) == 0
            }),
            (3, || errno_of(sys0(1000)) == libc::ENOSYS),
        ];
        assert_eq!(check_in_child(&prog, checks), 0);
    }
}
