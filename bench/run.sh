#!/bin/sh
# `berth run --rm --network none IMG true` vs `podman run --rm --network none IMG true` vs
# `crun run` of an equivalent OCI bundle, side by side in the same hyperfine runs (issue 3:
# berth's median must be <= 6 ms as root, at least 15x faster than Podman and no slower than crun
# alone). Builds berth in release mode; needs podman, crun, hyperfine, jq, unshare. Not run by CI.
# Usage: ./bench/run.sh   (ROUNDS=N for more alternating rounds, RUNS=N runs per command and
#        round, BENCH_USER=berthtest for rootless; run it as root either way)
#
# On the hybrid-cgroup CI machine crun refuses to start anything ("cgroups in hybrid mode not
# supported"), so as root the whole script re-executes itself in a private mount namespace whose
# /sys/fs/cgroup is the cgroup2 tree (shared/TESTING.md); the host's /sys/fs/cgroup is never
# touched. `/` is then made shared again inside that namespace (new peer groups, none with the
# host), as on a systemd host, so that rootless Podman does not warn about it. All three tools
# run there, with the same setpriv wrapper in rootless mode.
#
# cgroups: crun cannot create one here as root (its eBPF device filter needs RLIMIT_MEMLOCK
# raised, and root lacks CAP_SYS_RESOURCE), so Podman runs with --cgroups=disabled and crun with
# --cgroup-manager=disabled. berth makes its container's leaf cgroup (berth/<id>, born there with
# clone3 CLONE_INTO_CGROUP; this cgroup2 tree has no controllers to enable) and, as root, attaches
# its eBPF device program to it (without raising RLIMIT_MEMLOCK), so it does more work than the
# other two. The run also times berth-nocg, berth with --cgroups=disabled: the same work as crun.
if [ "$(id -u)" = 0 ] && [ "${BERTH_BENCH_IN_NS:-}" != 1 ]; then
    BERTH_BENCH_IN_NS=1 exec unshare --mount --propagation private sh -c '
        mount -t cgroup2 cgroup2 /sys/fs/cgroup && mount --make-rshared / && exec sh "$0" "$@"' "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
need podman crun hyperfine jq tar cargo setpriv
[ -n "${BERTH_BENCH_IN_NS:-}" ] || echo "bench: not root, so running in the host's mount namespace (crun and Podman need a pure cgroup v2 host)" >&2
build_release
setup_work
mode=root
[ -n "${BENCH_USER:-}" ] && mode="rootless ($BENCH_USER)"
RUNS=${RUNS:-30}

# The busybox image: /bin/busybox plus /bin/true, so that `IMG true` resolves through PATH.
mkdir -p "$WORK/rootfs/bin"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
ln -s busybox "$WORK/rootfs/bin/true"
tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
echo "bench: importing the busybox image into berth and podman" >&2
$B import -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" bench/busybox:latest >/dev/null
podman_ok=1
if ! out=$($P import -q -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" bench/busybox:latest 2>&1); then
    echo "bench: podman import fails ($mode), so podman is left out: $out" >&2
    podman_ok=""
fi

# The equivalent OCI bundle for crun: the same rootfs, crun's own default spec (new pid, network,
# ipc, uts and mount namespaces, plus user and cgroup namespaces with --rootless) running
# `/bin/busybox true` without a terminal.
mkdir -p "$WORK/bundle" "$WORK/crun"
cp -a "$WORK/rootfs" "$WORK/bundle/rootfs"
rootless_spec=""
if [ -n "${BENCH_USER:-}" ]; then
    chown -R "$BENCH_USER:" "$WORK/bundle" "$WORK/crun"
    rootless_spec=--rootless
fi
crun_ok=1
if ! out=$($RUNAS crun spec $rootless_spec -b "$WORK/bundle" 2>&1); then
    echo "bench: crun spec fails ($mode), so crun is left out: $out" >&2
    crun_ok=""
else
    jq '.process.args = ["/bin/busybox", "true"] | .process.terminal = false
        | if any(.linux.namespaces[]; .type == "network") then . else .linux.namespaces += [{"type": "network"}] end' \
        "$WORK/bundle/config.json" >"$WORK/config.json"
    cat "$WORK/config.json" >"$WORK/bundle/config.json"
fi

# A foreground `crun run` deletes its container when it exits, so every run can reuse one id
# (checked below: the state root must be empty again after a run).
berth_cmd="$B run --rm --network none ${BERTH_ARGS:-} bench/busybox true"
podman_cmd="$P run --rm --network none --cgroups=disabled bench/busybox true"
crun_cmd="$RUNAS crun --root $WORK/crun --cgroup-manager=disabled run --bundle $WORK/bundle berth-bench"

# berth-nocg: berth doing crun's work here, without a cgroup (so without the device program
# either), for the like-for-like ratio; the headline stays berth's default.
berth_nocg_cmd="$B run --rm --network none --cgroups=disabled bench/busybox true"

# Each tool must run once before it is timed; one that cannot is left out, saying why.
set -- berth "$berth_cmd"
n=1 skipped=""
probe() {
    if out=$($2 2>&1); then
        return 0
    fi
    echo "bench: $1 cannot run here ($mode), so it is left out: $out" >&2
    skipped="$skipped $1"
    return 1
}
probe berth "$berth_cmd" || { echo "bench: berth itself fails; nothing to measure" >&2; exit 1; }
if [ -z "${BERTH_ARGS:-}" ] && probe berth-nocg "$berth_nocg_cmd"; then
    set -- "$@" berth-nocg "$berth_nocg_cmd"; n=$((n + 1))
fi
if [ -z "$podman_ok" ]; then
    skipped="$skipped podman"
elif probe podman "$podman_cmd"; then
    set -- "$@" podman "$podman_cmd"; n=$((n + 1))
fi
if [ -z "$crun_ok" ]; then
    skipped="$skipped crun"
elif probe crun "$crun_cmd"; then
    if [ -n "$(ls -A "$WORK/crun")" ]; then
        echo "bench: crun left state behind after a foreground run; it is left out" >&2
        skipped="$skipped crun"
    else
        set -- "$@" crun "$crun_cmd"; n=$((n + 1))
    fi
fi

echo "bench: $mode, $ROUNDS rounds of $RUNS runs per command" >&2
compare_n run "$n" "$@" --warmup 3 --runs "$RUNS"
[ -z "$skipped" ] || echo "run: NOT MEASURED ($mode):$skipped (see the messages above)"
awk -v mode="$mode" '
    { m[$1] = $2 }
    function verdict(ok) { return ok ? "PASS" : "FAIL" }
    END {
        b = m["berth"] * 1000
        printf "target (issue 3, as root): berth median <= 6 ms, >= 15x faster than podman, no slower than crun\n"
        printf "measured (%s): berth %.2f ms [%s]", mode, b, verdict(b <= 6)
        if ("podman" in m) printf ", podman/berth %.1fx [%s]", m["podman"] / m["berth"], verdict(m["podman"] / m["berth"] >= 15)
        else printf ", podman not measured"
        if ("crun" in m) printf ", berth/crun %.3f [%s]", m["berth"] / m["crun"], verdict(m["berth"] <= m["crun"])
        else printf ", crun not measured"
        printf "\n"
        if (("crun" in m) && ("berth-nocg" in m))
            printf "same work as crun here (no cgroup, no device program): berth %.2f ms, berth/crun %.3f\n", m["berth-nocg"] * 1000, m["berth-nocg"] / m["crun"]
    }' "$WORK/run.medians"
