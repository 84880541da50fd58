#!/bin/sh
# The detached lifecycle cycle: `berth run -d` + `berth stop -t 0` + `berth rm` of one container
# vs Podman's `podman run -d` + `podman stop -t 0` + `podman rm`, side by side (issue 4: berth's
# cycle at least 10x faster than Podman's; TESTING.md has Podman's create+start+wait+rm at about
# 310 ms). The container runs `sleep 1000`, so the stop really kills something. Builds berth in
# release mode; needs podman, hyperfine, jq, tar, cargo, unshare. Not run by CI.
# Usage: ./bench/lifecycle.sh   (ROUNDS=N for more alternating rounds, RUNS=N runs per command
#        and round, BENCH_USER=berthtest for rootless; run it as root either way)
#
# As in bench/run.sh, as root the script re-executes itself in a private mount namespace whose
# /sys/fs/cgroup is the cgroup2 tree (the host's is hybrid, which crun refuses), and Podman runs
# with --cgroups=disabled and --network none: berth makes no cgroup and no network for a
# container yet, so both do the same work. Each cycle runs through `sh FILE` for both tools.
if [ "$(id -u)" = 0 ] && [ "${BERTH_BENCH_IN_NS:-}" != 1 ]; then
    BERTH_BENCH_IN_NS=1 exec unshare --mount --propagation private sh -c '
        mount -t cgroup2 cgroup2 /sys/fs/cgroup && mount --make-rshared / && exec sh "$0" "$@"' "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
need podman hyperfine jq tar cargo setpriv
build_release
setup_work
mode=root
[ -n "${BENCH_USER:-}" ] && mode="rootless ($BENCH_USER)"
RUNS=${RUNS:-20}

mkdir -p "$WORK/rootfs/bin"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
ln -s busybox "$WORK/rootfs/bin/sleep"
tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
echo "bench: importing the busybox image into berth and podman" >&2
$B import -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" bench/busybox:latest >/dev/null
$P import -q -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" bench/busybox:latest >/dev/null

cat >"$WORK/berth-cycle.sh" <<CYCLE
set -e
$B run -d --name cyc bench/busybox sleep 1000 >/dev/null
$B stop -t 0 cyc >/dev/null
$B rm cyc >/dev/null
CYCLE
cat >"$WORK/podman-cycle.sh" <<CYCLE
set -e
$P run -d --network none --cgroups=disabled --name cyc bench/busybox sleep 1000 >/dev/null
$P stop -t 0 cyc >/dev/null
$P rm cyc >/dev/null
CYCLE
# Each must work once, and leave nothing behind, before it is timed.
for t in berth podman; do
    if ! out=$(sh "$WORK/$t-cycle.sh" 2>&1); then
        echo "bench: the $t cycle fails ($mode): $out" >&2
        exit 1
    fi
done
[ -z "$($B ps -aq)" ] || { echo "bench: berth left a container behind" >&2; exit 1; }

echo "bench: $mode, $ROUNDS rounds of $RUNS runs per command" >&2
compare cycle "sh $WORK/berth-cycle.sh" "sh $WORK/podman-cycle.sh" --warmup 2 --runs "$RUNS"
echo "target (issue 4): berth's run -d + stop -t 0 + rm cycle >= 10x faster than podman's"
