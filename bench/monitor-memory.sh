#!/bin/sh
# Memory per running container: berth's monitor vs Podman's conmon (issue 4: a berth monitor's
# PSS <= conmon's; TESTING.md has conmon at about 0.44 MB). Starts N detached containers with
# each tool (default 10, N=...), each printing a line a second so that the monitor really works,
# waits for them to settle, and reports the average PSS (smaps_rollup) of berth's monitors (the
# parents of the containers' processes) and of Podman's conmons, with each one's anonymous and
# file-backed parts. PSS shares the pages processes have in common among them, so running
# several containers is what a user with several containers pays per container.
# Builds berth in release mode; needs podman, jq, tar, cargo, unshare. Not run by CI.
# Usage: ./bench/monitor-memory.sh   (N=containers, SETTLE=seconds, BENCH_USER=berthtest for
#        rootless; run it as root either way)
#
# As root the script re-executes itself in a private mount namespace whose /sys/fs/cgroup is the
# cgroup2 tree, as bench/run.sh does (Podman's crun refuses the hybrid host).
if [ "$(id -u)" = 0 ] && [ "${BERTH_BENCH_IN_NS:-}" != 1 ]; then
    BERTH_BENCH_IN_NS=1 exec unshare --mount --propagation private sh -c '
        mount -t cgroup2 cgroup2 /sys/fs/cgroup && mount --make-rshared / && exec sh "$0" "$@"' "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
need podman jq tar cargo setpriv
build_release
setup_work
mode=root
[ -n "${BENCH_USER:-}" ] && mode="rootless ($BENCH_USER)"
N=${N:-10}
SETTLE=${SETTLE:-8}

mkdir -p "$WORK/rootfs/bin"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for a in sh sleep echo; do ln -s busybox "$WORK/rootfs/bin/$a"; done
tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
$B import -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" bench/busybox:latest >/dev/null
$P import -q -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" bench/busybox:latest >/dev/null

LOOP='while :; do echo tick; sleep 1; done'
i=1
while [ "$i" -le "$N" ]; do
    $B run -d --name "mem$i" bench/busybox sh -c "$LOOP" >/dev/null
    $P run -d --network none --cgroups=disabled --name "mem$i" bench/busybox sh -c "$LOOP" >/dev/null
    i=$((i + 1))
done
echo "bench: $mode, $N containers per tool, measured after ${SETTLE}s" >&2
sleep "$SETTLE"

# pss PID...: the average Pss, Pss_Anon and Pss_File of the processes, in kB.
pss() {
    for p in "$@"; do cat "/proc/$p/smaps_rollup"; done | awk -v n=$# '
        $1 == "Pss:" { t += $2 } $1 == "Pss_Anon:" { a += $2 } $1 == "Pss_File:" { f += $2 }
        END { printf "%.0f kB (anon %.0f, file %.0f)", t / n, a / n, f / n }'
}
monitors=""
conmons=""
i=1
while [ "$i" -le "$N" ]; do
    pid=$($B inspect --format '{{.State.Pid}}' "mem$i")
    monitors="$monitors $(ps -o ppid= -p "$pid")"
    conmons="$conmons $($P inspect --format '{{.State.ConmonPid}}' "mem$i")"
    i=$((i + 1))
done
# shellcheck disable=SC2086
echo "berth monitor: $(pss $monitors)"
# shellcheck disable=SC2086
echo "podman conmon: $(pss $conmons)"
echo "target (issue 4): berth's monitor PSS <= conmon's"
i=1
while [ "$i" -le "$N" ]; do
    $B rm -f "mem$i" >/dev/null
    $P rm -f -t 0 "mem$i" >/dev/null
    i=$((i + 1))
done
