//! Capability sets for a container process: parsing `--cap-add`/`--cap-drop`, planning the five
//! sets with Docker's semantics, and applying a plan in the container child right before exec.
//!
//! Planning is pure ([`plan`]); [`apply`] is the one place that changes the calling thread's
//! capabilities. This module must not decide *when* to apply (setuid, keep-caps and the order
//! against seccomp belong to the spawn code) and must not read container files.

use anyhow::{Context as _, Result};
use caps::{CapSet, Capability, CapsHashSet};

use crate::error::invalid;

/// Podman's default capability set (containers.conf `default_capabilities`). Docker's default
/// additionally grants NET_RAW, MKNOD and AUDIT_WRITE; berth follows Podman, which dropped them.
pub const DEFAULT_CAPS: [Capability; 11] = [
    Capability::CAP_CHOWN,
    Capability::CAP_DAC_OVERRIDE,
    Capability::CAP_FOWNER,
    Capability::CAP_FSETID,
    Capability::CAP_KILL,
    Capability::CAP_NET_BIND_SERVICE,
    Capability::CAP_SETFCAP,
    Capability::CAP_SETGID,
    Capability::CAP_SETPCAP,
    Capability::CAP_SETUID,
    Capability::CAP_SYS_CHROOT,
];

/// One `--cap-add`/`--cap-drop` argument: a capability or the keyword `ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapArg {
    All,
    One(Capability),
}

/// Parses a capability name as Docker does: `NET_ADMIN`, `CAP_NET_ADMIN`, any case, or `ALL`.
///
/// Errors with `ErrorKind::InvalidInput` (`invalid capability "X"`) for anything else.
pub fn parse_cap(name: &str) -> Result<CapArg> {
    let upper = name.trim().to_ascii_uppercase();
    if upper == "ALL" {
        return Ok(CapArg::All);
    }
    let canonical = if upper.starts_with("CAP_") {
        upper
    } else {
        format!("CAP_{upper}")
    };
    canonical
        .parse::<Capability>()
        .map(CapArg::One)
        .map_err(|_| invalid(format!("invalid capability {name:?}")))
}

/// The five capability sets of a container process, decided before anything is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapPlan {
    pub bounding: CapsHashSet,
    pub effective: CapsHashSet,
    pub permitted: CapsHashSet,
    pub inheritable: CapsHashSet,
    pub ambient: CapsHashSet,
}

/// Plans the capability sets for a container, following moby's `TweakCapabilities`:
///
/// - start from [`DEFAULT_CAPS`], or every capability when `privileged`;
/// - `--cap-add ALL` grants everything except the listed drops;
/// - `--cap-drop ALL` keeps only the listed adds (so `--cap-drop ALL --cap-add X` is just X);
/// - otherwise drops are removed from the base first and adds are granted after, so a
///   capability both added and dropped ends up granted.
///
/// Unlike Docker, which ignores `--cap-add`/`--cap-drop` entirely with `--privileged`, berth
/// applies them on top of the full set (Podman's behaviour) and always validates the names.
///
/// Inheritable and ambient are always empty (SECURITY.md I15); bounding is the final set. For a
/// non-root container user (`uid_in_container != 0`) effective and permitted are empty, as they
/// would be after execve without ambient capabilities; the bounding set still limits what
/// setuid or file-capability binaries can gain.
pub fn plan(
    add: &[String],
    drop: &[String],
    privileged: bool,
    uid_in_container: u32,
) -> Result<CapPlan> {
    let add = parse_all(add).context("parsing --cap-add")?;
    let drop = parse_all(drop).context("parsing --cap-drop")?;
    let named = |args: &[CapArg]| -> CapsHashSet {
        args.iter()
            .filter_map(|a| match a {
                CapArg::One(c) => Some(*c),
                CapArg::All => None,
            })
            .collect()
    };
    let (add_set, drop_set) = (named(&add), named(&drop));
    let base: CapsHashSet = if privileged {
        caps::all()
    } else {
        DEFAULT_CAPS.into_iter().collect()
    };

    let final_set: CapsHashSet = if add.contains(&CapArg::All) {
        caps::all().difference(&drop_set).copied().collect()
    } else if drop.contains(&CapArg::All) {
        add_set
    } else {
        base.difference(&drop_set)
            .chain(&add_set)
            .copied()
            .collect()
    };

    let running = if uid_in_container == 0 {
        final_set.clone()
    } else {
        CapsHashSet::new()
    };
    Ok(CapPlan {
        bounding: final_set,
        effective: running.clone(),
        permitted: running,
        inheritable: CapsHashSet::new(),
        ambient: CapsHashSet::new(),
    })
}

/// The calling thread's bounding set as the kernel reports it, read once (one PR_CAPBSET_READ
/// per capability) for [`fit_to_held`] and [`apply`].
#[derive(Debug, Clone)]
pub struct Bounding {
    /// In the bounding set.
    held: CapsHashSet,
    /// Known to the running kernel (PR_CAPBSET_READ answers for it).
    supported: CapsHashSet,
}

impl Bounding {
    pub fn read() -> Bounding {
        let mut b = Bounding {
            held: CapsHashSet::new(),
            supported: CapsHashSet::new(),
        };
        for cap in caps::all() {
            match caps::has_cap(None, CapSet::Bounding, cap) {
                Ok(true) => {
                    b.held.insert(cap);
                    b.supported.insert(cap);
                }
                Ok(false) => {
                    b.supported.insert(cap);
                }
                Err(_) => {}
            }
        }
        b
    }
}

/// Fits `plan` to what the calling thread can hand on, its bounding set `held`: capabilities
/// that only `ALL` or `--privileged` asked for are left out (root on some hosts lacks one, such
/// as CAP_SYS_RESOURCE), while one named in `add` that is not held is an error naming it.
pub fn fit_to_held(plan: &mut CapPlan, add: &[String], held: &Bounding) -> Result<()> {
    let held = &held.held;
    for arg in parse_all(add)? {
        if let CapArg::One(c) = arg
            && plan.bounding.contains(&c)
            && !held.contains(&c)
        {
            anyhow::bail!(invalid(format!(
                "--cap-add {c}: berth itself does not hold {c} (it is not in its bounding set), so it cannot grant it"
            )));
        }
    }
    for set in [&mut plan.bounding, &mut plan.effective, &mut plan.permitted] {
        set.retain(|c| held.contains(c));
    }
    Ok(())
}

fn parse_all(names: &[String]) -> Result<Vec<CapArg>> {
    names.iter().map(|n| parse_cap(n)).collect()
}

/// Applies `plan` to the calling thread; the container child calls it right before execve.
///
/// Order, and why:
/// 1. Drop every capability not in `plan.bounding` from the bounding set. PR_CAPBSET_DROP
///    needs CAP_SETPCAP in the *effective* set, so this happens before effective/permitted are
///    reduced (a plan without SETPCAP could not drop anything afterwards).
/// 2. Clear the ambient set (needs no capability).
/// 3. Set inheritable, then effective, then permitted. Effective goes before permitted because
///    the kernel requires effective ⊆ permitted after every capset(2).
///
/// Keeping capabilities across a setuid to a non-root user (PR_SET_KEEPCAPS or SECBIT_KEEP_CAPS)
/// is the caller's concern: `apply` runs after setuid, first raises the effective set back to
/// the permitted set the setuid left (so CAP_SETPCAP is there for the bounding drops), and can
/// only lower what the thread still holds. Capabilities the running kernel does not know are left out of the effective and
/// permitted sets rather than failing capset(2).
///
/// Errors name the set that could not be changed; on error the thread may be left with some
/// sets already lowered, so the caller must not exec.
pub fn apply(plan: &CapPlan, bounding: &Bounding) -> Result<()> {
    let supported = &bounding.supported;
    // A setuid to a non-root user (with keep-caps) clears the effective set but keeps the
    // permitted one: raise effective back to permitted so the bounding-set drops below still
    // have CAP_SETPCAP.
    let permitted = caps::read(None, CapSet::Permitted).context("reading the permitted set")?;
    caps::set(None, CapSet::Effective, &permitted).context("raising the effective set")?;
    // Only what is held: a capability the kernel does not know is in no set.
    for &cap in bounding.held.difference(&plan.bounding) {
        caps::drop(None, CapSet::Bounding, cap)
            .with_context(|| format!("dropping {cap} from the bounding set"))?;
    }
    caps::clear(None, CapSet::Ambient).context("clearing the ambient capability set")?;
    let known =
        |set: &CapsHashSet| -> CapsHashSet { set.intersection(supported).copied().collect() };
    caps::set(None, CapSet::Inheritable, &known(&plan.inheritable))
        .context("setting the inheritable capability set")?;
    caps::set(None, CapSet::Effective, &known(&plan.effective))
        .context("setting the effective capability set")?;
    caps::set(None, CapSet::Permitted, &known(&plan.permitted))
        .context("setting the permitted capability set")?;
    if !plan.ambient.is_empty() {
        for cap in known(&plan.ambient) {
            caps::raise(None, CapSet::Ambient, cap)
                .with_context(|| format!("raising {cap} in the ambient set"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::test_support::{in_child, require_root};

    fn set(caps: &[Capability]) -> CapsHashSet {
        caps.iter().copied().collect()
    }

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parse_accepts_docker_spellings() {
        for name in [
            "NET_ADMIN",
            "CAP_NET_ADMIN",
            "net_admin",
            "cap_Net_Admin",
            " NET_ADMIN ",
        ] {
            assert_eq!(
                parse_cap(name).unwrap(),
                CapArg::One(Capability::CAP_NET_ADMIN),
                "{name}"
            );
        }
        assert_eq!(parse_cap("all").unwrap(), CapArg::All);
        assert_eq!(parse_cap("ALL").unwrap(), CapArg::All);
    }

    #[test]
    fn parse_rejects_unknown_and_hostile_names() {
        for name in [
            "",
            "CAP_",
            "NET_ADMINX",
            "CAP_ALL",
            "NET ADMIN",
            "\0",
            "ÄLL",
            "42",
        ] {
            let err = parse_cap(name).unwrap_err();
            assert_eq!(
                crate::error::kind_of(&err),
                Some(&crate::ErrorKind::InvalidInput(format!(
                    "invalid capability {name:?}"
                ))),
            );
        }
        assert_eq!(
            format!("{:#}", parse_cap("FOO").unwrap_err()),
            r#"invalid capability "FOO""#
        );
    }

    #[test]
    fn default_plan_is_podmans_set_with_empty_inheritable_and_ambient() {
        let p = plan(&[], &[], false, 0).unwrap();
        assert_eq!(p.bounding, set(&DEFAULT_CAPS));
        assert_eq!(p.effective, p.bounding);
        assert_eq!(p.permitted, p.bounding);
        assert!(p.inheritable.is_empty());
        assert!(p.ambient.is_empty());
    }

    #[test]
    fn drop_all_then_add() {
        let p = plan(&strings(&["net_admin"]), &strings(&["ALL"]), false, 0).unwrap();
        assert_eq!(p.bounding, set(&[Capability::CAP_NET_ADMIN]));
        assert_eq!(p.effective, p.bounding);
    }

    #[test]
    fn add_all_minus_drops() {
        let p = plan(&strings(&["ALL"]), &strings(&["SYS_ADMIN"]), false, 0).unwrap();
        assert_eq!(p.bounding.len(), caps::all().len() - 1);
        assert!(!p.bounding.contains(&Capability::CAP_SYS_ADMIN));
    }

    #[test]
    fn drops_first_then_adds() {
        let p = plan(
            &strings(&["NET_RAW", "CHOWN"]),
            &strings(&["CHOWN", "KILL"]),
            false,
            0,
        )
        .unwrap();
        assert!(p.bounding.contains(&Capability::CAP_NET_RAW));
        // Added and dropped: the add wins, as in Docker.
        assert!(p.bounding.contains(&Capability::CAP_CHOWN));
        assert!(!p.bounding.contains(&Capability::CAP_KILL));
        assert_eq!(p.bounding.len(), DEFAULT_CAPS.len());
    }

    #[test]
    fn privileged_starts_from_everything() {
        let p = plan(&[], &[], true, 0).unwrap();
        assert_eq!(p.bounding, caps::all());
        let p = plan(&[], &strings(&["SYS_ADMIN"]), true, 0).unwrap();
        assert!(!p.bounding.contains(&Capability::CAP_SYS_ADMIN));
        assert!(p.inheritable.is_empty() && p.ambient.is_empty());
    }

    #[test]
    fn non_root_user_keeps_bounding_only() {
        let p = plan(&strings(&["NET_ADMIN"]), &[], false, 1000).unwrap();
        assert!(p.bounding.contains(&Capability::CAP_NET_ADMIN));
        assert!(p.effective.is_empty());
        assert!(p.permitted.is_empty());
        assert!(p.inheritable.is_empty() && p.ambient.is_empty());
    }

    #[test]
    fn bad_names_name_the_flag() {
        let err = plan(&[], &strings(&["NOPE"]), false, 0).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            r#"parsing --cap-drop: invalid capability "NOPE""#
        );
        assert!(plan(&strings(&["NOPE"]), &[], true, 0).is_err());
    }

    /// Reads the capability masks from /proc/self/status as (CapInh, CapPrm, CapEff, CapBnd,
    /// CapAmb).
    fn status_masks() -> Option<[u64; 5]> {
        let text = std::fs::read_to_string("/proc/self/status").ok()?;
        let field = |name: &str| -> Option<u64> {
            let line = text.lines().find(|l| l.starts_with(name))?;
            u64::from_str_radix(line.split_whitespace().nth(1)?, 16).ok()
        };
        Some([
            field("CapInh:")?,
            field("CapPrm:")?,
            field("CapEff:")?,
            field("CapBnd:")?,
            field("CapAmb:")?,
        ])
    }

    fn mask(set: &CapsHashSet) -> u64 {
        set.iter().fold(0, |m, c| m | c.bitmask())
    }

    #[test]
    fn apply_sets_the_planned_sets() {
        if !require_root("apply_sets_the_planned_sets") {
            return;
        }
        let supported = mask(&caps::runtime::thread_all_supported());
        for (p, name) in [
            (plan(&[], &[], false, 0).unwrap(), "default"),
            (
                plan(&strings(&["NET_ADMIN"]), &strings(&["ALL"]), false, 0).unwrap(),
                "drop all add one",
            ),
            (plan(&[], &[], false, 1000).unwrap(), "non-root"),
        ] {
            let want = [
                0,
                mask(&p.permitted) & supported,
                mask(&p.effective) & supported,
                mask(&p.bounding) & supported,
                0,
            ];
            let code = in_child(|| {
                if apply(&p, &Bounding::read()).is_err() {
                    return 2;
                }
                match status_masks() {
                    Some(got) if got == want => 0,
                    Some(_) => 1,
                    None => 3,
                }
            });
            assert_eq!(
                code, 0,
                "{name}: 1 = wrong masks, 2 = apply failed, 3 = no status"
            );
        }
    }
}
