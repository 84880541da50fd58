#!/bin/sh
# `berth exec C true` vs `podman exec C true` into a running `sleep` container, side by side in
# the same hyperfine runs (issue 4). Builds berth in release mode; needs podman, hyperfine, jq,
# tar, cargo, setpriv, unshare. Not run by CI.
# Usage: ./bench/exec.sh   (ROUNDS=N for more alternating rounds, RUNS=N runs per command and
#        round, BENCH_USER=berthtest for rootless; run it as root either way)
#
# As root the script re-executes itself in a private mount namespace whose /sys/fs/cgroup is the
# cgroup2 tree, as bench/run.sh does (shared/TESTING.md: the host is hybrid and crun, which Podman
# runs, refuses that); the host's /sys/fs/cgroup is never touched. Podman runs with
# --cgroups=disabled and --network none, since berth makes no cgroup and no network for its
# container either: both join the same set of namespaces.
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
RUNS=${RUNS:-50}

# The busybox image: /bin/busybox plus the two applets the bench runs.
mkdir -p "$WORK/rootfs/bin"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
ln -s busybox "$WORK/rootfs/bin/true"
ln -s busybox "$WORK/rootfs/bin/sleep"
tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
echo "bench: importing the busybox image into berth and podman" >&2
$B import -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" bench/busybox:latest >/dev/null
$P import -q -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" bench/busybox:latest >/dev/null

# One running container each; removed on exit before the work dir goes.
stop_containers() {
    $B rm -f bench-exec >/dev/null 2>&1 || true
    $P rm -f -t 0 bench-exec >/dev/null 2>&1 || true
}
trap 'stop_containers; cleanup_work' EXIT
$B run -d --name bench-exec --network none bench/busybox sleep 100000 >/dev/null
$P run -d --name bench-exec --network none --cgroups=disabled bench/busybox sleep 100000 >/dev/null

berth_cmd="$B exec bench-exec true"
podman_cmd="$P exec bench-exec true"
for c in "$berth_cmd" "$podman_cmd"; do
    $c || { echo "bench: '$c' fails ($mode); nothing to compare" >&2; exit 1; }
done

echo "bench: $mode, $ROUNDS rounds of $RUNS runs per command" >&2
compare exec "$berth_cmd" "$podman_cmd" --warmup 3 --runs "$RUNS"
