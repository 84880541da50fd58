#!/bin/sh
# `berth ps -a` vs `podman ps -a` with 50 created containers in each store (target: berth's
# median <= 5 ms; TESTING.md has podman at about 44 ms). Also times a plain `ps` (running only:
# berth then skips the configs of stopped containers). Builds berth in release mode; needs
# podman, hyperfine, jq, tar, cargo. Not run by CI.
# Usage: ./bench/ps.sh   (ROUNDS=N for more alternating rounds, BENCH_USER=berthtest for rootless)
. "$(dirname "$0")/lib.sh"
need podman hyperfine jq tar cargo
build_release
setup_work

# The same one-layer busybox image in both, and 50 containers made from it that never ran.
mkdir -p "$WORK/rootfs/bin"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
ln -s busybox "$WORK/rootfs/bin/sh"
tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
echo "bench: importing busybox and creating 50 containers in berth and podman" >&2
$B import -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" bench/busybox:latest >/dev/null
$P import -q -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" bench/busybox:latest >/dev/null
i=1
while [ "$i" -le 50 ]; do
    $B create --name "c$i" bench/busybox sh -c "sleep $i" >/dev/null
    $P create --network none --name "c$i" bench/busybox sh -c "sleep $i" >/dev/null
    i=$((i + 1))
done
[ "$($B ps -aq | wc -l)" = 50 ] || { echo "bench: berth does not list 50 containers" >&2; exit 1; }
[ "$($P ps -aq | wc -l)" = 50 ] || { echo "bench: podman does not list 50 containers" >&2; exit 1; }

compare ps_a "$B ps -a" "$P ps -a" --warmup 5 --runs 30
compare ps "$B ps" "$P ps" --warmup 5 --runs 30
echo "target: berth ps -a median <= 5 ms"
