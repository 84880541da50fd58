#!/bin/sh
# Issue 7's numbers, berth against Podman in the same run:
#   1. `run --rm IMG true` on the default network: as root berth's bridge against Podman's bridge
#      (netavark); rootless berth's default (pasta) against Podman with slirp4netns;
#   2. one 1 GiB transfer from the host into a container through a published port (`-p`), each
#      tool's default way, three times each (median MB/s).
# Builds berth in release mode; needs podman, hyperfine, jq, bash, busybox. Not run by CI.
# Usage: ./bench/network.sh   (ROUNDS, RUNS as in run.sh; BENCH_USER=berthtest for rootless;
#        run it as root either way)
#
# As root the script runs in a private mount namespace whose /sys/fs/cgroup is the cgroup2 tree
# (crun, under Podman, refuses this hybrid host otherwise; see run.sh); the network namespace is
# the host's, so the bridges are real. Podman's default network gets 10.198.0.0/16 (its config's
# default_subnet) so that its bridge and berth's (10.88.0.0/16 on berth0) do not route the same
# subnet; berth reads a containers.conf of its own that sets nothing.
if [ "$(id -u)" = 0 ] && [ "${BERTH_BENCH_IN_NS:-}" != 1 ]; then
    BERTH_BENCH_IN_NS=1 exec unshare --mount --propagation private sh -c '
        mount -t cgroup2 cgroup2 /sys/fs/cgroup && mount --make-rshared / && exec sh "$0" "$@"' "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
need podman hyperfine jq tar cargo setpriv bash busybox
build_release
setup_work
mode=root
[ -n "${BENCH_USER:-}" ] && mode="rootless ($BENCH_USER)"
RUNS=${RUNS:-20}

printf '[network]\ndefault_subnet = "10.198.0.0/16"\n' >>"$WORK/podman/containers.conf"
: >"$WORK/berth.conf"
[ -n "${BENCH_USER:-}" ] && chown "$BENCH_USER:" "$WORK/berth.conf"
B="env CONTAINERS_CONF=$WORK/berth.conf $B"

mkdir -p "$WORK/rootfs/bin"
cp "$(command -v busybox)" "$WORK/rootfs/bin/busybox"
for a in true sh nc cat; do ln -s busybox "$WORK/rootfs/bin/$a"; done
tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
echo "bench: importing the busybox image into berth and podman" >&2
$B import -c 'CMD ["/bin/sh"]' "$WORK/rootfs.tar" bench/busybox:latest >/dev/null
$P import -q -c 'CMD ["/bin/sh"]' "$WORK/rootfs.tar" bench/busybox:latest >/dev/null

if [ -n "${BENCH_USER:-}" ]; then
    set -- berth "$B run --rm bench/busybox true" \
        podman-slirp4netns "$P run --rm --network slirp4netns bench/busybox true"
    n=2
else
    set -- berth "$B run --rm bench/busybox true" \
        podman-bridge "$P run --rm --cgroups=disabled bench/busybox true"
    n=2
fi
for probe in "$2" "$4"; do
    out=$($probe 2>&1) || { echo "bench: cannot run ($mode): $probe: $out" >&2; exit 1; }
done
echo "bench: $mode, $ROUNDS rounds of $RUNS runs per command" >&2
compare_n netrun "$n" "$@" --warmup 3 --runs "$RUNS"
awk -v mode="$mode" '{ m[$1] = $2 } END {
    printf "target (issue 7): run --rm on the default network <= 40 ms (%s): berth %.1f ms [%s]\n",
        mode, m["berth"] * 1000, (m["berth"] * 1000 <= 40) ? "PASS" : "FAIL" }' "$WORK/netrun.medians"

# 1 GiB through -p: the container reads it to /dev/null; bash's /dev/tcp sends it and closes.
port=${BENCH_PORT:-$([ -n "${BENCH_USER:-}" ] && echo 28080 || echo 18080)}
transfer() { # CLI EXTRA_ARGS PORT -> prints MB/s
    name=bench-pub-$$-$3
    # shellcheck disable=SC2086
    $1 run -d --name "$name" $2 -p "$3:80" bench/busybox sh -c 'nc -l -p 80 >/dev/null' >/dev/null
    sleep 1.5
    start=$(date +%s.%N)
    head -c 1073741824 /dev/zero | bash -c "cat >/dev/tcp/127.0.0.1/$3"
    end=$(date +%s.%N)
    $1 rm -f "$name" >/dev/null 2>&1
    echo "$start $end" | awk '{ printf "%.0f\n", 1024 / ($2 - $1) }'
}
publish() { # TOOL CLI EXTRA_ARGS: three transfers, each on a port of its own
    speeds=""
    for _ in 1 2 3; do
        speeds="$speeds $(transfer "$2" "$3" "$port")"
        port=$((port + 1))
    done
    echo "$speeds" | tr ' ' '\n' | grep . | sort -n | awk -v t="$1" -v mode="$mode" \
        'NR == 2 { printf "publish (%s): %s, 1 GiB through -p: median %d MB/s\n", mode, t, $1 }'
}
publish berth "$B" ""
if [ -n "${BENCH_USER:-}" ]; then
    publish podman-slirp4netns "$P" "--network slirp4netns"
else
    publish podman-bridge "$P" "--cgroups=disabled"
fi
