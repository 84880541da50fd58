//! The container's cgroup as the ops see it: the host's layout and the caller, checked at
//! create and planned at every start (`runtime::cgroup` does the work).

use anyhow::Result;

use crate::context::Context;
use crate::runtime::cgroup::{self, Caller, Hierarchy, Plan, Resources};
use crate::runtime::devcg::Policy;

/// The caller as the cgroup code needs it.
pub(super) fn caller(ctx: &Context) -> Caller {
    Caller::current(ctx.rootless, ctx.uid)
}

/// Checks at create time that the host can enforce what `r` asks (I14), so that the error
/// comes before anything is made.
pub(super) fn check(ctx: &Context, r: &Resources) -> Result<()> {
    if r.requested().is_empty() {
        return Ok(());
    }
    cgroup::plan(&cgroup::detect(), &caller(ctx), r, "check").map(|_| ())
}

/// The cgroup for one start of container `id`, or None when it gets none; with its device
/// access confined to `devices` (see `cgroup::plan_with`).
pub(super) fn plan(
    ctx: &Context,
    r: &Resources,
    devices: Option<&Policy>,
    id: &str,
) -> Result<Option<Plan>> {
    let h = cgroup::detect();
    if h == Hierarchy::None && r.requested().is_empty() {
        return Ok(None);
    }
    cgroup::plan_with(&h, &caller(ctx), r, devices, id)
}
