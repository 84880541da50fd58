//! Docker/OCI seccomp profiles from a JSON file (`--security-opt seccomp=FILE`), resolved for
//! a container's capability set and compiled with berth's own compiler (`seccomp`).
//!
//! Pure: parsing and compiling only. The file is read at create (`security`), kept in the
//! container record, and compiled again at every start and exec.
//!
//! What a profile can say, and what berth does with it (runc `libcontainer/seccomp` and moby
//! `profiles/seccomp` semantics):
//! - `defaultAction` (+ `defaultErrnoRet`), each syscall entry's `action` (+ `errnoRet`):
//!   `SCMP_ACT_ALLOW`, `ERRNO` (EPERM unless `errnoRet`), `KILL`/`KILL_THREAD`,
//!   `KILL_PROCESS`, `TRAP`, `LOG`, `TRACE`. `SCMP_ACT_NOTIFY` needs a listener berth does
//!   not run, and `flags`/`listenerPath` are refused.
//! - `names` (or the old `name`): names this architecture lacks (`chown32`, …) are skipped,
//!   as runc does, so one profile serves every architecture.
//! - `args`: `SCMP_CMP_EQ/NE/LT/LE/GE/GT/MASKED_EQ` on all 64 bits, ANDed; several conditions
//!   on the same argument are ORed instead (runc's rule, which Docker profiles rely on).
//! - `includes`/`excludes` on `caps` (the container's bounding set), `arches` and `minKernel`.
//! - Entries are tried in profile order for a syscall; the first whose conditions hold decides.
//! - Architectures: the native one gets the rules; i386 calls are killed and x32 calls get
//!   ENOSYS whatever `architectures` says (as berth's default filter, SECURITY.md I20).
//! - Syscalls newer than any the profile names get ENOSYS unless the default action allows
//!   them (runc's ENOSYS stub), and `clone3` gets ENOSYS when no entry applies to it, so libc
//!   falls back to `clone`.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result, bail};
use caps::{Capability, CapsHashSet};
use seccompiler::BpfProgram;
use serde::Deserialize;

use super::caps::CapPlan;
use super::seccomp::{self, Class, Cmp, Cond, Ret};

/// Docker's profiles write `null` for an empty list.
fn nullable<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    default_action: String,
    #[serde(default)]
    default_errno_ret: Option<u32>,
    #[serde(default, deserialize_with = "nullable")]
    architectures: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    arch_map: Vec<ArchMap>,
    #[serde(default, deserialize_with = "nullable")]
    syscalls: Vec<Syscall>,
    #[serde(default, deserialize_with = "nullable")]
    flags: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    listener_path: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArchMap {
    architecture: String,
    #[serde(default, deserialize_with = "nullable")]
    sub_architectures: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Syscall {
    #[serde(default, deserialize_with = "nullable")]
    names: Vec<String>,
    #[serde(default)]
    name: Option<String>,
    action: String,
    #[serde(default)]
    errno_ret: Option<u32>,
    #[serde(default, deserialize_with = "nullable")]
    args: Vec<ArgCmp>,
    #[serde(default, deserialize_with = "nullable")]
    includes: Filter,
    #[serde(default, deserialize_with = "nullable")]
    excludes: Filter,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArgCmp {
    index: u32,
    value: u64,
    #[serde(default)]
    value_two: u64,
    op: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Filter {
    #[serde(default, deserialize_with = "nullable")]
    caps: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    arches: Vec<String>,
    #[serde(default)]
    min_kernel: Option<String>,
}

const KNOWN_ARCHES: &[&str] = &[
    "SCMP_ARCH_X86",
    "SCMP_ARCH_X86_64",
    "SCMP_ARCH_X32",
    "SCMP_ARCH_ARM",
    "SCMP_ARCH_AARCH64",
    "SCMP_ARCH_MIPS",
    "SCMP_ARCH_MIPS64",
    "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL",
    "SCMP_ARCH_MIPSEL64",
    "SCMP_ARCH_MIPSEL64N32",
    "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",
    "SCMP_ARCH_PPC64LE",
    "SCMP_ARCH_S390",
    "SCMP_ARCH_S390X",
    "SCMP_ARCH_PARISC",
    "SCMP_ARCH_PARISC64",
    "SCMP_ARCH_RISCV64",
    "SCMP_ARCH_LOONGARCH64",
    "SCMP_ARCH_M68K",
    "SCMP_ARCH_SH",
    "SCMP_ARCH_SHEB",
];

/// This architecture's names in `includes.arches`/`excludes.arches` (moby uses Go's names).
const NATIVE_ARCHES: &[&str] = &["amd64", "x86_64", "SCMP_ARCH_X86_64"];

/// An action and its errno (or trace message) as a seccomp return value.
fn action(name: &str, errno: Option<u32>) -> Result<Ret> {
    let data = |default: u32| -> Result<u32> {
        let v = errno.unwrap_or(default);
        if v > 0xffff {
            bail!("errnoRet {v} does not fit in seccomp's 16 bits");
        }
        Ok(v)
    };
    Ok(match name {
        "SCMP_ACT_ALLOW" => libc::SECCOMP_RET_ALLOW,
        "SCMP_ACT_ERRNO" => libc::SECCOMP_RET_ERRNO | data(libc::EPERM as u32)?,
        "SCMP_ACT_KILL" | "SCMP_ACT_KILL_THREAD" => libc::SECCOMP_RET_KILL_THREAD,
        "SCMP_ACT_KILL_PROCESS" => libc::SECCOMP_RET_KILL_PROCESS,
        "SCMP_ACT_TRAP" => libc::SECCOMP_RET_TRAP,
        "SCMP_ACT_LOG" => libc::SECCOMP_RET_LOG,
        "SCMP_ACT_TRACE" => libc::SECCOMP_RET_TRACE | data(libc::EPERM as u32)?,
        "SCMP_ACT_NOTIFY" => {
            bail!("SCMP_ACT_NOTIFY needs a seccomp listener, which berth does not run")
        }
        other => bail!("unknown action {other:?}"),
    })
}

fn cmp(a: &ArgCmp) -> Result<Cond> {
    if a.index > 5 {
        bail!(
            "argument index {} does not exist: seccomp sees six (0-5)",
            a.index
        );
    }
    let op = match a.op.as_str() {
        "SCMP_CMP_EQ" => Cmp::Eq,
        "SCMP_CMP_NE" => Cmp::Ne,
        "SCMP_CMP_LT" => Cmp::Lt,
        "SCMP_CMP_LE" => Cmp::Le,
        "SCMP_CMP_GE" => Cmp::Ge,
        "SCMP_CMP_GT" => Cmp::Gt,
        // libseccomp's MASKED_EQ: `value` is the mask, `valueTwo` the datum.
        "SCMP_CMP_MASKED_EQ" => Cmp::MaskedEq(a.value),
        other => bail!("unknown comparison {other:?}"),
    };
    let value = match op {
        Cmp::MaskedEq(_) => a.value_two,
        _ => a.value,
    };
    Ok(Cond {
        index: a.index as u8,
        op,
        value,
    })
}

/// `major.minor` of a kernel release such as `6.18.44-foo`.
fn kernel_version(release: &str) -> Option<(u32, u32)> {
    let mut it = release.split(|c: char| !c.is_ascii_digit());
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

fn running_kernel() -> (u32, u32) {
    nix::sys::utsname::uname()
        .ok()
        .and_then(|u| kernel_version(&u.release().to_string_lossy()))
        .unwrap_or((0, 0))
}

fn parse_cap(name: &str) -> Result<Capability> {
    match super::caps::parse_cap(name)? {
        super::caps::CapArg::One(c) => Ok(c),
        super::caps::CapArg::All => bail!("\"ALL\" is not a capability"),
    }
}

/// Does `f` match: every listed cap held, our arch listed, the kernel new enough. With
/// `any`, one matching part is enough (the `excludes` reading).
fn filter_matches(
    f: &Filter,
    bounding: &CapsHashSet,
    kernel: (u32, u32),
    any: bool,
) -> Result<bool> {
    let mut parts = Vec::new();
    if !f.caps.is_empty() {
        let caps = f
            .caps
            .iter()
            .map(|c| parse_cap(c))
            .collect::<Result<Vec<_>>>()?;
        parts.push(if any {
            caps.iter().any(|c| bounding.contains(c))
        } else {
            caps.iter().all(|c| bounding.contains(c))
        });
    }
    if !f.arches.is_empty() {
        parts.push(f.arches.iter().any(|a| NATIVE_ARCHES.contains(&a.as_str())));
    }
    if let Some(k) = &f.min_kernel {
        let want =
            kernel_version(k).with_context(|| format!("minKernel {k:?} is not a version"))?;
        parts.push(kernel >= want);
    }
    Ok(if any {
        parts.iter().any(|p| *p)
    } else {
        parts.iter().all(|p| *p)
    })
}

/// A profile resolved for one capability set: per syscall number, its rules in order.
struct Resolved {
    default: Ret,
    rules: BTreeMap<u32, Vec<(Vec<Cond>, Ret)>>,
    /// The highest syscall number the profile names (whether or not its entry applies).
    max_known: u32,
}

fn resolve(text: &str, bounding: &CapsHashSet, kernel: (u32, u32)) -> Result<Resolved> {
    let p: Profile = serde_json::from_str(text).context("parsing the JSON")?;
    if !p.flags.is_empty() {
        bail!("flags {:?} are not supported", p.flags);
    }
    if !p.listener_path.is_empty() {
        bail!("listenerPath needs a seccomp listener, which berth does not run");
    }
    for a in p.architectures.iter().chain(
        p.arch_map
            .iter()
            .flat_map(|m| std::iter::once(&m.architecture).chain(&m.sub_architectures)),
    ) {
        if !KNOWN_ARCHES.contains(&a.as_str()) {
            bail!("unknown architecture {a:?}");
        }
    }
    let default = action(&p.default_action, p.default_errno_ret).context("defaultAction")?;
    let numbers = seccomp::syscall_numbers();
    let mut rules: BTreeMap<u32, Vec<(Vec<Cond>, Ret)>> = BTreeMap::new();
    let mut max_known = 0;
    for (i, s) in p.syscalls.iter().enumerate() {
        let at = || format!("syscalls[{i}]");
        let ret = action(&s.action, s.errno_ret).with_context(at)?;
        let conds = s
            .args
            .iter()
            .map(cmp)
            .collect::<Result<Vec<_>>>()
            .with_context(at)?;
        let names: Vec<&String> = s.names.iter().chain(&s.name).collect();
        if names.is_empty() {
            bail!("{}: no syscall names", at());
        }
        let applies = filter_matches(&s.includes, bounding, kernel, false).with_context(at)?
            && !(has_parts(&s.excludes)
                && filter_matches(&s.excludes, bounding, kernel, true).with_context(at)?);
        // Several conditions on one argument: each its own alternative (runc).
        let mut seen = [0u8; 6];
        for c in &conds {
            seen[usize::from(c.index)] += 1;
        }
        let alternatives: Vec<Vec<Cond>> = if seen.iter().any(|n| *n > 1) {
            conds.iter().map(|c| vec![*c]).collect()
        } else {
            vec![conds.clone()]
        };
        for name in names {
            let Some(&nr) = numbers.get(name.as_str()) else {
                log::debug!("seccomp profile: no syscall {name:?} on this architecture");
                continue;
            };
            let nr = u32::try_from(nr).context("syscall number")?;
            max_known = max_known.max(nr);
            if applies {
                let list = rules.entry(nr).or_default();
                list.extend(alternatives.iter().map(|a| (a.clone(), ret)));
            }
        }
    }
    let allows_unknown = matches!(default, libc::SECCOMP_RET_ALLOW | libc::SECCOMP_RET_LOG);
    if !allows_unknown
        && let Some(&clone3) = numbers.get("clone3")
        && let Ok(clone3) = u32::try_from(clone3)
        && clone3 <= max_known
    {
        rules
            .entry(clone3)
            .or_insert_with(|| vec![(Vec::new(), enosys())]);
    }
    Ok(Resolved {
        default,
        rules,
        max_known,
    })
}

fn has_parts(f: &Filter) -> bool {
    !f.caps.is_empty() || !f.arches.is_empty() || f.min_kernel.is_some()
}

fn enosys() -> Ret {
    libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32
}

/// The answer for syscall `nr`: one return value when its first rule is unconditional,
/// else its rules up to the first unconditional one, falling back to that or the default.
fn class_of(r: &Resolved, nr: u32) -> Class<'_> {
    let Some(list) = r.rules.get(&nr) else {
        return Class::Ret(r.default);
    };
    match list.iter().position(|(conds, _)| conds.is_empty()) {
        Some(0) => Class::Ret(list[0].1),
        Some(i) => Class::Rules(&list[..i], list[i].1),
        None => Class::Rules(list, r.default),
    }
}

fn compile_resolved(r: &Resolved) -> Result<BpfProgram> {
    let mut ranges: Vec<(u32, Class<'_>)> = Vec::new();
    for nr in 0..=r.max_known {
        let class = class_of(r, nr);
        if ranges.last().is_none_or(|(_, last)| *last != class) {
            ranges.push((nr, class));
        }
    }
    let above = match r.default {
        libc::SECCOMP_RET_ALLOW | libc::SECCOMP_RET_LOG => r.default,
        _ => enosys(),
    };
    seccomp::compile_ranges(&ranges, r.max_known, above)
}

/// Compiles `profile` (JSON text) for a container with capability plan `caps` (its bounding
/// set decides `includes.caps`/`excludes.caps`). Errors name the part of the profile that is
/// wrong: `syscalls[3]: unknown action "SCMP_ACT_FOO"`.
pub fn compile(profile: &str, caps: &CapPlan) -> Result<BpfProgram> {
    compile_resolved(&resolve(profile, &caps.bounding, running_kernel())?)
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::runtime::test_support::in_child;

    fn plan() -> CapPlan {
        super::super::caps::plan(&[], &[], false, 0).unwrap()
    }

    fn err(profile: &str) -> String {
        format!("{:#}", compile(profile, &plan()).unwrap_err())
    }

    #[test]
    fn malformed_profiles_name_the_problem() {
        for (p, why) in [
            ("{", "parsing the JSON"),
            (r#"{"syscalls": []}"#, "defaultAction"),
            (
                r#"{"defaultAction": "SCMP_ACT_NOPE"}"#,
                "unknown action \"SCMP_ACT_NOPE\"",
            ),
            (
                r#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_FOO"}]}"#,
                "syscalls[0]: unknown action",
            ),
            (
                r#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}"#,
                "argument index 6",
            ),
            (
                r#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_LIKE"}]}]}"#,
                "unknown comparison",
            ),
            (
                r#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"action": "SCMP_ACT_ERRNO"}]}"#,
                "no syscall names",
            ),
            (
                r#"{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_Z80"]}"#,
                "unknown architecture",
            ),
            (r#"{"defaultAction": "SCMP_ACT_NOTIFY"}"#, "listener"),
            (
                r#"{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG"]}"#,
                "not supported",
            ),
            (
                r#"{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 70000}"#,
                "16 bits",
            ),
            (
                r#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "includes": {"caps": ["CAP_NOPE"]}}]}"#,
                "invalid capability",
            ),
            ("[]", "parsing the JSON"),
        ] {
            let e = err(p);
            assert!(e.contains(why), "{p}: {e}");
        }
    }

    /// I16: mangled profiles give an error or a program, never a panic.
    #[test]
    fn mangled_profiles_never_panic() {
        let base = r#"{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "syscalls": [
            {"names": ["read", "personality"], "action": "SCMP_ACT_ALLOW",
             "args": [{"index": 0, "value": 18446744073709551615, "valueTwo": 3, "op": "SCMP_CMP_MASKED_EQ"}],
             "includes": {"caps": ["CAP_SYS_ADMIN"], "minKernel": "4.8"}, "excludes": {"arches": ["amd64"]}}]}"#;
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let replacements = [
            "",
            "-1",
            "99999999999999999999",
            "null",
            "[]",
            "{}",
            "\"x\"",
            "7",
        ];
        for _ in 0..500 {
            let mut text = base.to_string();
            for _ in 0..3 {
                let at = (next() % text.len() as u64) as usize;
                if !text.is_char_boundary(at) {
                    continue;
                }
                let with = replacements[(next() % replacements.len() as u64) as usize];
                let end = (at + (next() % 4) as usize).min(text.len());
                if text.is_char_boundary(end) {
                    text.replace_range(at..end, with);
                }
            }
            let _ = compile(&text, &plan());
        }
        // Deep nesting stops at serde_json's recursion limit.
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(compile(&deep, &plan()).is_err());
        // Many rules: refused as too long for the kernel, not a panic.
        let many: Vec<String> = (0..3000)
            .map(|i| format!(r#"{{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{{"index": 0, "value": {i}, "op": "SCMP_CMP_EQ"}}, {{"index": 1, "value": 1, "op": "SCMP_CMP_GT"}}]}}"#))
            .collect();
        let big = format!(
            r#"{{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{}]}}"#,
            many.join(",")
        );
        assert!(
            format!("{:#}", compile(&big, &plan()).unwrap_err())
                .contains("more than the kernel accepts")
        );
    }

    fn resolved(profile: &str, bounding: &[Capability]) -> Resolved {
        resolve(profile, &bounding.iter().copied().collect(), (6, 1)).unwrap()
    }

    #[test]
    fn includes_excludes_and_order() {
        let p = r#"{
            "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
            "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
            "syscalls": [
                {"names": ["read", "write", "chown32"], "action": "SCMP_ACT_ALLOW"},
                {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["reboot"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "9.0"}},
                {"names": ["getpid"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm64"]}},
                {"names": ["clone3"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13, "excludes": {"caps": ["CAP_KILL"]}},
                {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
                {"names": ["personality"], "action": "SCMP_ACT_KILL_PROCESS"}
            ]
        }"#;
        let r = resolved(p, &[]);
        assert_eq!(r.default, libc::SECCOMP_RET_ERRNO | 1);
        assert_eq!(class_of(&r, 0), Class::Ret(libc::SECCOMP_RET_ALLOW));
        assert_eq!(
            class_of(&r, 165),
            Class::Ret(r.default),
            "mount needs SYS_ADMIN"
        );
        assert_eq!(
            class_of(&r, 169),
            Class::Ret(r.default),
            "reboot needs kernel 9"
        );
        assert_eq!(
            class_of(&r, 39),
            Class::Ret(r.default),
            "getpid is for arm64"
        );
        assert_eq!(
            class_of(&r, 435),
            Class::Ret(enosys()),
            "clone3 falls back to ENOSYS"
        );
        assert_eq!(class_of(&r, 62), Class::Ret(libc::SECCOMP_RET_ERRNO | 13));
        let alts = [
            (
                vec![Cond {
                    index: 0,
                    op: Cmp::Eq,
                    value: 0,
                }],
                libc::SECCOMP_RET_ALLOW,
            ),
            (
                vec![Cond {
                    index: 0,
                    op: Cmp::Eq,
                    value: 8,
                }],
                libc::SECCOMP_RET_ALLOW,
            ),
        ];
        assert_eq!(
            class_of(&r, 135),
            Class::Rules(&alts, libc::SECCOMP_RET_KILL_PROCESS),
            "same-index conditions are ORed; the unconditional entry is the fallback"
        );
        assert_eq!(r.max_known, 435);
        let r = resolved(p, &[Capability::CAP_SYS_ADMIN, Capability::CAP_KILL]);
        assert_eq!(class_of(&r, 165), Class::Ret(libc::SECCOMP_RET_ALLOW));
        assert_eq!(class_of(&r, 435), Class::Ret(libc::SECCOMP_RET_ALLOW));
        assert_eq!(class_of(&r, 62), Class::Ret(r.default));
    }

    fn sys(nr: libc::c_long, a: [u64; 3]) -> (libc::c_long, i32) {
        // SAFETY: raw syscalls with integer arguments only; the ones used here (personality,
        // getppid, mkdir on a NULL path, the two unknown numbers) touch no memory we own.
        let rc = unsafe { libc::syscall(nr, a[0], a[1], a[2]) };
        (
            rc,
            std::io::Error::last_os_error().raw_os_error().unwrap_or(0),
        )
    }

    /// Installs the profile in a child and checks the verdicts of a few syscalls.
    #[test]
    fn installed_profile_gives_its_answers() {
        let p = r#"{
            "defaultAction": "SCMP_ACT_ALLOW",
            "syscalls": [
                {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"},
                {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22},
                {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 7,
                 "args": [{"index": 0, "value": 4294967296, "op": "SCMP_CMP_GE"}]},
                {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 9,
                 "args": [{"index": 0, "value": 255, "valueTwo": 8, "op": "SCMP_CMP_MASKED_EQ"}]}
            ]
        }"#;
        let prog = compile(p, &plan()).unwrap();
        let code = in_child(|| {
            if nix::sys::prctl::set_no_new_privs().is_err() || seccomp::install(&prog).is_err() {
                return 2;
            }
            let checks: [(libc::c_long, [u64; 3], i32); 7] = [
                (libc::SYS_mkdir, [0, 0o755, 0], libc::EPERM),
                (libc::SYS_getppid, [0; 3], libc::EINVAL),
                // 64-bit compare: 1 << 32 is >= 2^32; 0xffffffff is not.
                (libc::SYS_personality, [1 << 32, 0, 0], 7),
                (libc::SYS_personality, [0x108, 0, 0], 9),
                (libc::SYS_personality, [0xffff_ffff, 0, 0], 0),
                // x32 numbers get ENOSYS even though the default allows.
                (libc::SYS_getpid | 0x4000_0000, [0; 3], libc::ENOSYS),
                // Above the profile's highest number: the default (allow) → the kernel's ENOSYS.
                (1000, [0; 3], libc::ENOSYS),
            ];
            for (i, (nr, args, want)) in checks.iter().enumerate() {
                let (rc, errno) = sys(*nr, *args);
                let got = if rc == -1 { errno } else { 0 };
                if got != *want {
                    return 10 + i as i32;
                }
            }
            0
        });
        assert_eq!(
            code, 0,
            "2: install failed; 10+i: check i gave the wrong answer"
        );
    }

    #[test]
    fn deny_by_default_profile_installs_and_new_syscalls_get_enosys() {
        let p = r#"{
            "defaultAction": "SCMP_ACT_ERRNO",
            "syscalls": [
                {"names": ["exit", "exit_group", "getpid", "rt_sigreturn", "write"], "action": "SCMP_ACT_ALLOW"}
            ]
        }"#;
        let prog = compile(p, &plan()).unwrap();
        let code = in_child(|| {
            if nix::sys::prctl::set_no_new_privs().is_err() || seccomp::install(&prog).is_err() {
                return 2;
            }
            if sys(libc::SYS_getpid, [0; 3]).0 <= 0 {
                return 3;
            }
            if sys(libc::SYS_getppid, [0; 3]) != (-1, libc::EPERM) {
                return 4;
            }
            // Newer than anything the profile names: ENOSYS, not the default.
            if sys(libc::SYS_clone3, [0; 3]) != (-1, libc::ENOSYS) {
                return 5;
            }
            0
        });
        assert_eq!(code, 0);
    }
}
