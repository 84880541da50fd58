//! Which device nodes a root container may make and open: Docker's default allow list, plus
//! `--device` nodes and `--device-cgroup-rule` lines, over "deny everything else".
//!
//! [`Policy`] is the list as data. On cgroup v1 it becomes the `devices` controller's files
//! ([`Policy::v1_writes`]: `devices.deny a`, then one `devices.allow` per rule). cgroup v2 has
//! no devices controller: there the list is compiled into a `BPF_PROG_TYPE_CGROUP_DEVICE`
//! program ([`Policy::program`], hand-assembled as runc's `devicefilter` and crun's `ebpf.c`
//! do) that [`attach`] loads with bpf(2) and attaches to the container's leaf cgroup, before
//! the container's first process runs anything in it. The kernel runs the program for every
//! mknod and every open of a device node by a process in that cgroup (or below it), with
//! `struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }`, `access_type` being
//! `(access << 16) | type`; a 0 return denies with EPERM.
//!
//! No RLIMIT_MEMLOCK is raised (root here lacks CAP_SYS_RESOURCE): since Linux 5.11 BPF
//! programs are charged to the memory cgroup instead; where loading still fails, the error
//! says why and the container does not start. Rootless containers get none of this: an
//! unprivileged user cannot load a device program (nor write v1 `devices` files), and the
//! kernel refuses to open a device node from a filesystem mounted in a user namespace, so a
//! node made there is useless anyway.
//!
//! This module makes no cgroup of its own: it only attaches to the directory it is given. The
//! program lives as long as that cgroup; removing the cgroup frees it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use nix::errno::Errno;
use nix::fcntl::OFlag;

/// The `m`, `r`, `w` access bits as the kernel passes them to a device program
/// (`BPF_DEVCG_ACC_MKNOD`, `_READ`, `_WRITE` in linux/bpf.h).
const ACC_MKNOD: u8 = 1;
const ACC_READ: u8 = 2;
const ACC_WRITE: u8 = 4;
const ACC_ALL: u8 = ACC_MKNOD | ACC_READ | ACC_WRITE;
/// The device types (`BPF_DEVCG_DEV_BLOCK`, `_CHAR`).
const DEV_BLOCK: u32 = 1;
const DEV_CHAR: u32 = 2;

/// Which devices a rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `a`: character and block devices.
    All,
    /// `c`.
    Char,
    /// `b`.
    Block,
}

/// One allow rule, `TYPE MAJOR:MINOR ACCESS` (`c 1:3 rwm`, `b 8:* r`), None standing for `*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub kind: Kind,
    pub major: Option<u32>,
    pub minor: Option<u32>,
    /// Access bits: 1 mknod, 2 read, 4 write (the kernel's `BPF_DEVCG_ACC_*`).
    pub access: u8,
}

impl Rule {
    /// Parses a rule in the kernel's v1 form (what `cgroup::parse_device_rule` returns).
    pub fn parse(s: &str) -> Result<Rule> {
        let f: Vec<&str> = s.split_whitespace().collect();
        let [kind, numbers, access] = f[..] else {
            bail!("device rule {s:?}: expected TYPE MAJOR:MINOR ACCESS");
        };
        let kind = match kind {
            "a" => Kind::All,
            "c" => Kind::Char,
            "b" => Kind::Block,
            _ => bail!("device rule {s:?}: the type must be a, b or c"),
        };
        let number = |n: &str| -> Result<Option<u32>> {
            if n == "*" {
                return Ok(None);
            }
            n.parse()
                .map(Some)
                .with_context(|| format!("device rule {s:?}: bad number {n:?}"))
        };
        let (major, minor) = numbers
            .split_once(':')
            .with_context(|| format!("device rule {s:?}: expected MAJOR:MINOR"))?;
        let mut bits = 0;
        for c in access.chars() {
            bits |= match c {
                'm' => ACC_MKNOD,
                'r' => ACC_READ,
                'w' => ACC_WRITE,
                _ => bail!("device rule {s:?}: the access must be made of r, w and m"),
            };
        }
        if bits == 0 {
            bail!("device rule {s:?}: no access");
        }
        Ok(Rule {
            kind,
            major: number(major)?,
            minor: number(minor)?,
            access: bits,
        })
    }

    /// `a *:* rwm`: every device, every access.
    fn allows_all(&self) -> bool {
        self.kind == Kind::All
            && self.major.is_none()
            && self.minor.is_none()
            && self.access == ACC_ALL
    }

    /// Whether the rule allows `access` (bits) to device `dev_type` `major:minor`.
    fn allows(&self, dev_type: u32, major: u32, minor: u32, access: u8) -> bool {
        let kind = match self.kind {
            Kind::All => true,
            Kind::Char => dev_type == DEV_CHAR,
            Kind::Block => dev_type == DEV_BLOCK,
        };
        kind && self.major.is_none_or(|m| m == major)
            && self.minor.is_none_or(|m| m == minor)
            && access & !self.access == 0
    }

    /// The rule as v1 `devices.allow` lines. The kernel's v1 reads any `a` rule as "allow
    /// everything" whatever its numbers and access (devcgroup_update_access), so a narrower
    /// `a` rule is written as its `c` and `b` halves: both cgroup versions then allow the
    /// same.
    fn v1_lines(&self) -> Vec<String> {
        let n = |v: Option<u32>| v.map_or_else(|| "*".to_string(), |v| v.to_string());
        let access: String = [(ACC_READ, 'r'), (ACC_WRITE, 'w'), (ACC_MKNOD, 'm')]
            .iter()
            .filter(|(b, _)| self.access & b != 0)
            .map(|(_, c)| *c)
            .collect();
        let line = |k: char| format!("{k} {}:{} {access}", n(self.major), n(self.minor));
        match self.kind {
            Kind::All => vec![line('c'), line('b')],
            Kind::Char => vec![line('c')],
            Kind::Block => vec![line('b')],
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = match self.kind {
            Kind::All => 'a',
            Kind::Char => 'c',
            Kind::Block => 'b',
        };
        let n = |v: Option<u32>| v.map_or_else(|| "*".to_string(), |v| v.to_string());
        write!(f, "{k} {}:{} ", n(self.major), n(self.minor))?;
        for (b, c) in [(ACC_READ, 'r'), (ACC_WRITE, 'w'), (ACC_MKNOD, 'm')] {
            if self.access & b != 0 {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// A container's device allow list: what the rules allow, everything else denied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub rules: Vec<Rule>,
}

impl Policy {
    /// The list from rule lines, in order.
    pub fn new<'a>(lines: impl IntoIterator<Item = &'a str>) -> Result<Policy> {
        let rules = lines.into_iter().map(Rule::parse).collect::<Result<_>>()?;
        Ok(Policy { rules })
    }

    /// True when some rule allows everything (`--privileged`, or `a *:* rwm` given): then
    /// there is nothing to enforce, and no program or v1 cgroup is made for it.
    pub fn allows_all(&self) -> bool {
        self.rules.iter().any(Rule::allows_all)
    }

    /// Whether the list allows `access` (bits: 1 mknod, 2 read, 4 write) to the device of
    /// type `dev_type` (1 block, 2 char) `major:minor`: what the kernel asks a device program.
    pub fn allows(&self, dev_type: u32, major: u32, minor: u32, access: u8) -> bool {
        self.rules
            .iter()
            .any(|r| r.allows(dev_type, major, minor, access))
    }

    /// The v1 `devices` controller's writes, in order: deny all, then allow each rule.
    pub fn v1_writes(&self) -> Vec<(String, String)> {
        let mut w = vec![("devices.deny".to_string(), "a".to_string())];
        for r in &self.rules {
            for l in r.v1_lines() {
                w.push(("devices.allow".to_string(), l));
            }
        }
        w
    }

    /// The list as a cgroup device program. The verifier's and JIT's time grows with the
    /// program (about 1.3 µs per instruction here, on every container start), so the rules are
    /// grouped first: a `c` and a `b` rule alike become one `a` rule; rules of one type and
    /// access share one type check and one access check; rules of one major share one major
    /// compare. Each group jumps to its end on a mismatch and to the shared "allow" (return 1)
    /// on a match; after the last group, return 0 (deny). Docker's list is 27 instructions
    /// this way, against 69 for a block per rule.
    pub fn program(&self) -> Result<Vec<Insn>> {
        use Insn as I;
        // (type, access) -> the (major, minor) pairs it allows, deterministic order.
        let mut groups: BTreeMap<(u32, u8), BTreeSet<Numbers>> = BTreeMap::new();
        // (numbers, access) -> (char, block)
        let mut by_kind: BTreeMap<(Numbers, u8), (bool, bool)> = BTreeMap::new();
        for r in &self.rules {
            let e = by_kind.entry(((r.major, r.minor), r.access)).or_default();
            match r.kind {
                Kind::All => *e = (true, true),
                Kind::Char => e.0 = true,
                Kind::Block => e.1 = true,
            }
        }
        for ((numbers, access), kinds) in by_kind {
            let dev_type = match kinds {
                (true, true) => 0,
                (true, false) => DEV_CHAR,
                _ => DEV_BLOCK,
            };
            groups
                .entry((dev_type, access))
                .or_default()
                .insert(numbers);
        }
        if groups
            .get(&(0, ACC_ALL))
            .is_some_and(|g| g.contains(&(None, None)))
        {
            // Everything allowed (the verifier refuses code that cannot be reached).
            return Ok(vec![I::mov64_imm(0, 1), I::exit()]);
        }
        // r2 = type, r3 = access, r4 = major, r5 = minor (all u32; the loads zero-extend).
        let mut p: Vec<(Insn, Option<To>)> = vec![
            (I::ldx_w(2, 1, 0), None),
            (I::and32_imm(2, 0xffff), None),
            (I::ldx_w(3, 1, 0), None),
            (I::rsh32_imm(3, 16), None),
            (I::ldx_w(4, 1, 4), None),
            (I::ldx_w(5, 1, 8), None),
        ];
        let mut ends = Vec::new();
        for (g, ((dev_type, access), pairs)) in groups.into_iter().enumerate() {
            let end = Some(To::End(g));
            let allow = Some(To::Allow);
            if dev_type != 0 {
                p.push((I::jmp32_imm(BPF_JNE, 2, dev_type), end));
            }
            if access != ACC_ALL {
                // Any requested bit outside the group's: no match (r1, the context, is free).
                p.push((I::mov32_reg(1, 3), None));
                p.push((I::and32_imm(1, !u32::from(access)), None));
                p.push((I::jmp32_imm(BPF_JNE, 1, 0), end));
            }
            if pairs.contains(&(None, None)) {
                // Every number: the last check, inverted, is the match.
                match p.last_mut() {
                    Some((insn, to))
                        if *to == Some(To::End(g)) && insn.code == BPF_JMP32 | BPF_JNE =>
                    {
                        insn.code = BPF_JMP32 | BPF_JEQ;
                        *to = allow;
                    }
                    _ => p.push((I::ja(), allow)),
                }
            } else {
                let whole: BTreeSet<u32> = pairs
                    .iter()
                    .filter_map(|&(major, minor)| minor.is_none().then_some(major).flatten())
                    .collect();
                for m in &whole {
                    p.push((I::jmp32_imm(BPF_JEQ, 4, *m), allow));
                }
                for (_, minor) in pairs.iter().filter(|(major, _)| major.is_none()) {
                    if let Some(m) = minor {
                        p.push((I::jmp32_imm(BPF_JEQ, 5, *m), allow));
                    }
                }
                let mut by_major: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
                for &(major, minor) in &pairs {
                    if let (Some(major), Some(minor)) = (major, minor)
                        && !whole.contains(&major)
                    {
                        by_major.entry(major).or_default().push(minor);
                    }
                }
                for (major, minors) in by_major {
                    let skip = i16::try_from(minors.len()).context("too many device rules")?;
                    let mut jne = I::jmp32_imm(BPF_JNE, 4, major);
                    jne.off = skip;
                    p.push((jne, None));
                    for m in minors {
                        p.push((I::jmp32_imm(BPF_JEQ, 5, m), allow));
                    }
                }
            }
            ends.push(p.len());
        }
        p.push((I::mov64_imm(0, 0), None));
        p.push((I::exit(), None));
        let allow_at = p.len();
        if p.iter().any(|(_, to)| matches!(to, Some(To::Allow))) {
            p.push((I::mov64_imm(0, 1), None));
            p.push((I::exit(), None));
        }
        p.into_iter()
            .enumerate()
            .map(|(i, (mut insn, to))| {
                if let Some(to) = to {
                    let target = match to {
                        To::Allow => allow_at,
                        To::End(g) => ends[g],
                    };
                    insn.off = i16::try_from(target - i - 1).context("too many device rules")?;
                }
                Ok(insn)
            })
            .collect()
    }
}

/// A rule's major and minor, None for `*`.
type Numbers = (Option<u32>, Option<u32>);

/// Where a jump of [`Policy::program`] goes: the shared "allow", or past group `n`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum To {
    Allow,
    End(usize),
}

/// One eBPF instruction (`struct bpf_insn`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insn {
    pub code: u8,
    /// dst_reg in the low nibble, src_reg in the high one.
    pub regs: u8,
    pub off: i16,
    pub imm: i32,
}

// Opcodes (linux/bpf_common.h, linux/bpf.h).
const BPF_LDX: u8 = 0x01;
const BPF_ALU: u8 = 0x04;
const BPF_JMP: u8 = 0x05;
const BPF_JMP32: u8 = 0x06;
const BPF_ALU64: u8 = 0x07;
const BPF_W: u8 = 0x00;
const BPF_MEM: u8 = 0x60;
const BPF_K: u8 = 0x00;
const BPF_X: u8 = 0x08;
const BPF_AND: u8 = 0x50;
const BPF_RSH: u8 = 0x70;
const BPF_MOV: u8 = 0xb0;
const BPF_JA: u8 = 0x00;
const BPF_JEQ: u8 = 0x10;
const BPF_JNE: u8 = 0x50;
const BPF_EXIT: u8 = 0x90;

impl Insn {
    fn new(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> Insn {
        Insn {
            code,
            regs: (src << 4) | (dst & 0xf),
            off,
            imm,
        }
    }
    /// dst = *(u32 *)(src + off)
    fn ldx_w(dst: u8, src: u8, off: i16) -> Insn {
        Insn::new(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
    }
    /// (u32) dst &= imm
    fn and32_imm(dst: u8, imm: u32) -> Insn {
        Insn::new(BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm as i32)
    }
    /// (u32) dst >>= imm
    fn rsh32_imm(dst: u8, imm: u32) -> Insn {
        Insn::new(BPF_ALU | BPF_RSH | BPF_K, dst, 0, 0, imm as i32)
    }
    /// (u32) dst = src
    fn mov32_reg(dst: u8, src: u8) -> Insn {
        Insn::new(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
    }
    /// dst = imm
    fn mov64_imm(dst: u8, imm: i32) -> Insn {
        Insn::new(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
    }
    /// if (u32) dst `op` imm goto +off (`op` BPF_JEQ or BPF_JNE; the offset is set once the
    /// target is known). A 32-bit compare, so that a number above i32::MAX is compared as the
    /// u32 it is.
    fn jmp32_imm(op: u8, dst: u8, imm: u32) -> Insn {
        Insn::new(BPF_JMP32 | op | BPF_K, dst, 0, 0, imm as i32)
    }
    /// goto +off
    fn ja() -> Insn {
        Insn::new(BPF_JMP | BPF_JA, 0, 0, 0, 0)
    }
    fn exit() -> Insn {
        Insn::new(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
    }
}

// linux/bpf.h
const BPF_PROG_LOAD: libc::c_int = 5;
const BPF_PROG_ATTACH: libc::c_int = 8;
const BPF_PROG_TYPE_CGROUP_DEVICE: u32 = 15;
const BPF_CGROUP_DEVICE: u32 = 6;
/// Programs attached below (a container's own nested cgroups) add to this one instead of
/// replacing it, and ours adds to any attached above us the same way (systemd's): the kernel
/// allows an access only when every program on the path allows it.
const BPF_F_ALLOW_MULTI: u32 = 2;

/// The `BPF_PROG_LOAD` part of `union bpf_attr`, up to `expected_attach_type`; the kernel
/// takes a shorter attr and reads the rest as zero.
#[repr(C)]
struct ProgLoadAttr {
    prog_type: u32,
    insn_cnt: u32,
    insns: u64,
    license: u64,
    log_level: u32,
    log_size: u32,
    log_buf: u64,
    kern_version: u32,
    prog_flags: u32,
    prog_name: [u8; 16],
    prog_ifindex: u32,
    expected_attach_type: u32,
}

/// The `BPF_PROG_ATTACH` part of `union bpf_attr`, up to `replace_bpf_fd`.
#[repr(C)]
struct ProgAttachAttr {
    target_fd: u32,
    attach_bpf_fd: u32,
    attach_type: u32,
    attach_flags: u32,
    replace_bpf_fd: u32,
}

/// bpf(2) with `attr` of type `T`; the raw return value.
fn bpf<T>(cmd: libc::c_int, attr: &mut T) -> nix::Result<libc::c_long> {
    // SAFETY: `attr` is a live, exclusively borrowed #[repr(C)] struct laid out as the prefix
    // of `union bpf_attr` that `cmd` reads, and its size is passed with it; every pointer in
    // it (instructions, license, log buffer) points into memory the caller keeps alive for the
    // call. The kernel copies the attr in and writes only into the log buffer.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            cmd,
            std::ptr::from_mut(attr).cast::<libc::c_void>(),
            std::mem::size_of::<T>() as libc::c_uint,
        )
    };
    Errno::result(ret)
}

/// Loads `insns` as a cgroup device program (BPF_PROG_LOAD); with `log`, the verifier's log
/// is written into it.
fn load(insns: &[Insn], log: Option<&mut [u8]>) -> nix::Result<OwnedFd> {
    let license = c"Apache-2.0";
    let mut name = [0u8; 16];
    name[..13].copy_from_slice(b"berth_devices");
    let (log_level, log_size, log_buf) = match log {
        Some(l) => (
            1,
            u32::try_from(l.len()).unwrap_or(u32::MAX),
            l.as_mut_ptr() as u64,
        ),
        None => (0, 0, 0),
    };
    let mut attr = ProgLoadAttr {
        prog_type: BPF_PROG_TYPE_CGROUP_DEVICE,
        insn_cnt: u32::try_from(insns.len()).map_err(|_| Errno::E2BIG)?,
        insns: insns.as_ptr() as u64,
        license: license.as_ptr() as u64,
        log_level,
        log_size,
        log_buf,
        kern_version: 0,
        prog_flags: 0,
        prog_name: name,
        prog_ifindex: 0,
        expected_attach_type: 0,
    };
    let fd = bpf(BPF_PROG_LOAD, &mut attr)?;
    let fd = i32::try_from(fd).map_err(|_| Errno::EBADF)?;
    // SAFETY: BPF_PROG_LOAD returned a new file descriptor (opened O_CLOEXEC by the kernel)
    // that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Loads the program, with the verifier's complaint in the error when it refuses it.
pub fn load_program(insns: &[Insn]) -> Result<OwnedFd> {
    match load(insns, None) {
        Ok(fd) => Ok(fd),
        Err(e @ (Errno::EINVAL | Errno::EACCES)) => {
            let mut log = vec![0u8; 64 * 1024];
            let _ = load(insns, Some(&mut log));
            let end = log.iter().position(|b| *b == 0).unwrap_or(log.len());
            let text = String::from_utf8_lossy(&log[..end]);
            let last: Vec<&str> = text.lines().rev().take(3).collect();
            let last: Vec<&str> = last.into_iter().rev().collect();
            bail!(
                "loading the eBPF device program ({} instructions): {e}: verifier: {}",
                insns.len(),
                last.join(" / ")
            )
        }
        Err(e) => Err(e).with_context(|| {
            let hint = match e {
                Errno::EPERM => {
                    ": loading a device program needs CAP_BPF or CAP_SYS_ADMIN in the host's user namespace"
                }
                _ => "",
            };
            format!("loading the eBPF device program{hint}")
        }),
    }
}

/// Attaches program `prog` to the cgroup `cgroup` (an open v2 cgroup directory) as its device
/// program (BPF_PROG_ATTACH, BPF_CGROUP_DEVICE, with BPF_F_ALLOW_MULTI).
pub fn attach_program(prog: BorrowedFd<'_>, cgroup: BorrowedFd<'_>) -> nix::Result<()> {
    let mut attr = ProgAttachAttr {
        target_fd: u32::try_from(cgroup.as_raw_fd()).map_err(|_| Errno::EBADF)?,
        attach_bpf_fd: u32::try_from(prog.as_raw_fd()).map_err(|_| Errno::EBADF)?,
        attach_type: BPF_CGROUP_DEVICE,
        attach_flags: BPF_F_ALLOW_MULTI,
        replace_bpf_fd: 0,
    };
    bpf(BPF_PROG_ATTACH, &mut attr).map(drop)
}

/// Confines the processes of the v2 cgroup `dir` to `policy`'s devices: compiles, loads and
/// attaches its program. Errors say what failed and why (the caller refuses to start the
/// container, or with `--ignore-unenforceable-limits` warns).
pub fn attach(policy: &Policy, dir: &Path) -> Result<()> {
    let cg = nix::fcntl::open(
        dir,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        nix::sys::stat::Mode::empty(),
    )
    .with_context(|| format!("opening cgroup {}", dir.display()))?;
    let prog = load_program(&policy.program()?)?;
    attach_program(prog.as_fd(), cg.as_fd())
        .with_context(|| format!("attaching the eBPF device program to {}", dir.display()))
}

/// A v2 cgroup's device program as planned: attached by `cgroup::Plan::create` to the leaf it
/// makes, before the container's process is born there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub policy: Policy,
    /// `--ignore-unenforceable-limits`: a program that cannot be loaded or attached is warned
    /// about, and the container runs without it.
    pub ignore_failure: bool,
}

impl Filter {
    /// Attaches the program to the v2 cgroup `dir` (see [`attach`]).
    pub fn attach(&self, dir: &Path) -> Result<()> {
        match attach(&self.policy, dir) {
            Err(e) if self.ignore_failure => {
                log::warn!(
                    "{e:#}: ignored (--ignore-unenforceable-limits): the container's device access is not confined"
                );
                Ok(())
            }
            Err(e) => Err(e.context(
                "confining the container's device access (--ignore-unenforceable-limits runs it without)",
            )),
            Ok(()) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::cgroup::DEFAULT_DEVICE_RULES;

    /// Runs a device program the way the kernel would for one access: a tiny interpreter for
    /// the instructions [`Policy::program`] emits (anything else fails the test).
    fn run(p: &[Insn], dev_type: u32, major: u32, minor: u32, access: u8) -> u64 {
        let ctx = [(u32::from(access) << 16) | dev_type, major, minor];
        let mut r = [0u64; 11];
        let mut pc = 0usize;
        for _ in 0..10_000 {
            let i = p[pc];
            let (dst, src) = (usize::from(i.regs & 0xf), usize::from(i.regs >> 4));
            pc += 1;
            match i.code {
                0x61 => {
                    assert_eq!(src, 1, "loads only from the context");
                    r[dst] = u64::from(ctx[usize::try_from(i.off).unwrap() / 4]);
                }
                0x54 => r[dst] = u64::from(r[dst] as u32 & i.imm as u32),
                0x74 => r[dst] = u64::from((r[dst] as u32) >> (i.imm as u32)),
                0xbc => r[dst] = u64::from(r[src] as u32),
                0xb7 => r[dst] = i.imm as i64 as u64,
                0x56 | 0x16 => {
                    if (r[dst] as u32 == i.imm as u32) == (i.code == 0x16) {
                        pc += usize::try_from(i.off).unwrap();
                    }
                }
                0x05 => pc += usize::try_from(i.off).unwrap(),
                0x95 => return r[0],
                c => panic!("unexpected opcode {c:#x}"),
            }
        }
        panic!("no exit");
    }

    /// 300 random lists, with numbers from `small` so that rules overlap and share majors.
    fn random_policies(small: &[u32; 5]) -> Vec<Policy> {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        (0..300)
            .map(|_| Policy {
                rules: (0..next(7))
                    .map(|_| Rule {
                        kind: [Kind::All, Kind::Char, Kind::Block][next(3) as usize],
                        major: (next(3) > 0).then(|| small[next(5) as usize]),
                        minor: (next(3) > 0).then(|| small[next(5) as usize]),
                        access: 1 + next(7) as u8,
                    })
                    .collect(),
            })
            .collect()
    }

    fn default_policy(extra: &[&str]) -> Policy {
        Policy::new(
            DEFAULT_DEVICE_RULES
                .iter()
                .copied()
                .chain(extra.iter().copied()),
        )
        .unwrap()
    }

    #[test]
    fn rules_parse_and_print_in_the_kernels_form() {
        let r = Rule::parse("c 1:3 rwm").unwrap();
        assert_eq!(
            r,
            Rule {
                kind: Kind::Char,
                major: Some(1),
                minor: Some(3),
                access: 7
            }
        );
        assert_eq!(Rule::parse("b 8:* mr").unwrap().to_string(), "b 8:* rm");
        for bad in [
            "c 1:3", "x 1:3 r", "c 1:3 q", "c a:3 r", "c 1-3 r", "c 1:3 ",
        ] {
            assert!(Rule::parse(bad).is_err(), "{bad}");
        }
        assert!(Policy::new(["a *:* rwm"]).unwrap().allows_all());
        assert!(!Policy::new(["a *:* rw", "c *:* rwm"]).unwrap().allows_all());
    }

    #[test]
    fn v1_writes_deny_all_then_allow_each_rule() {
        let p = default_policy(&["a 7:* r"]);
        let w = p.v1_writes();
        assert_eq!(w[0], ("devices.deny".into(), "a".into()));
        assert_eq!(w[1], ("devices.allow".into(), "c *:* m".into()));
        assert_eq!(w[3], ("devices.allow".into(), "c 1:3 rwm".into()));
        // A narrow `a` rule is not v1's "allow everything": its two halves.
        let n = w.len();
        assert_eq!(w[n - 2].1, "c 7:* r");
        assert_eq!(w[n - 1].1, "b 7:* r");
        assert_eq!(n, 1 + DEFAULT_DEVICE_RULES.len() + 2);
    }

    #[test]
    fn the_program_allows_exactly_what_the_list_allows() {
        let policies = [
            default_policy(&[]),
            default_policy(&["b 8:0 r", "c 10:229 rw", "a 4:* w", "c 4294967295:1 m"]),
            Policy::new(["c 1:3 r"]).unwrap(),
            Policy::new([]).unwrap(),
        ];
        let numbers = [0, 1, 3, 5, 7, 8, 9, 136, 200, 229, 4, 10, 0xffff_ffff];
        for p in &policies {
            let prog = p.program().unwrap();
            for dev_type in [DEV_BLOCK, DEV_CHAR] {
                for &major in &numbers {
                    for &minor in &numbers {
                        for access in 1..=7u8 {
                            let want = p.allows(dev_type, major, minor, access);
                            let got = run(&prog, dev_type, major, minor, access);
                            assert_eq!(
                                got,
                                u64::from(want),
                                "{p:?}: type {dev_type} {major}:{minor} access {access}"
                            );
                        }
                    }
                }
            }
        }
        let small = [0u32, 1, 3, 8, 136];
        for p in random_policies(&small) {
            let prog = p.program().unwrap();
            for dev_type in [DEV_BLOCK, DEV_CHAR] {
                for &major in &small {
                    for &minor in &small {
                        for access in 1..=7u8 {
                            assert_eq!(
                                run(&prog, dev_type, major, minor, access),
                                u64::from(p.allows(dev_type, major, minor, access)),
                                "{p:?}: type {dev_type} {major}:{minor} access {access}"
                            );
                        }
                    }
                }
            }
        }
        // Grouped, Docker's list is small (the verifier's time is per instruction).
        assert_eq!(default_policy(&[]).program().unwrap().len(), 27);
        // The reference itself, spot-checked against Docker's list.
        let d = default_policy(&[]);
        assert!(d.allows(DEV_CHAR, 1, 3, ACC_READ | ACC_WRITE));
        assert!(d.allows(DEV_CHAR, 136, 7, ACC_ALL));
        assert!(d.allows(DEV_BLOCK, 8, 0, ACC_MKNOD));
        assert!(!d.allows(DEV_BLOCK, 8, 0, ACC_READ));
        assert!(!d.allows(DEV_CHAR, 1, 1, ACC_READ));
        assert!(!d.allows(DEV_CHAR, 10, 229, ACC_READ | ACC_WRITE));
        let r = default_policy(&["c 10:229 r"]);
        assert!(r.allows(DEV_CHAR, 10, 229, ACC_READ));
        assert!(!r.allows(DEV_CHAR, 10, 229, ACC_READ | ACC_WRITE));
    }

    #[test]
    fn the_kernel_verifier_accepts_the_program() {
        if !crate::runtime::test_support::require_root("the_kernel_verifier_accepts_the_program") {
            return;
        }
        let fixed = [
            default_policy(&["b 8:* r", "a 4:* w", "c 4294967295:1 m", "b *:3 rw"]),
            Policy::new(["a *:* rwm"]).unwrap(),
            Policy::new(["c *:* rwm", "b *:* rwm"]).unwrap(),
            Policy::new([]).unwrap(),
        ];
        for p in fixed.into_iter().chain(random_policies(&[0, 1, 3, 8, 136])) {
            let fd = load_program(&p.program().unwrap()).expect("the verifier takes it");
            drop(fd);
        }
        // Attaching where it cannot (a directory that is no cgroup) stops the start, naming
        // the way out, or with --ignore-unenforceable-limits lets it run.
        let dir = tempfile::tempdir().unwrap();
        let mut f = Filter {
            policy: default_policy(&[]),
            ignore_failure: false,
        };
        let e = format!("{:#}", f.attach(dir.path()).unwrap_err());
        assert!(
            e.starts_with("confining the container's device access (--ignore-unenforceable-limits runs it without): attaching the eBPF device program to "),
            "{e}"
        );
        assert!(e.contains(": EBADF"), "{e}");
        f.ignore_failure = true;
        f.attach(dir.path()).unwrap();
        // And one it must refuse says what the verifier said: reading past the context.
        let bad = [Insn::ldx_w(0, 1, 12), Insn::exit()];
        let e = format!("{:#}", load_program(&bad).unwrap_err());
        assert!(e.contains("verifier:"), "{e}");
    }
}
