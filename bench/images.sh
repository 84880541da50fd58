#!/bin/sh
# `berth images` vs `podman images` with 50 images in each store (issue 2: berth must take at
# most 1/5 of Podman's time). Builds berth in release mode; needs podman, hyperfine, jq.
# Not run by CI. Usage: ./bench/images.sh   (ROUNDS=N for more alternating rounds, BENCH_USER=berthtest for rootless)
. "$(dirname "$0")/lib.sh"
need podman hyperfine jq tar cargo
build_release
setup_work

# 50 distinct images (different configs, one shared small layer) made the same way in both.
mkdir -p "$WORK/rootfs/bin"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
echo "bench: importing 50 images into berth and podman" >&2
i=1
while [ "$i" -le 50 ]; do
    $B import -c "LABEL bench.n=$i" -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" "bench/img$i:v$i" >/dev/null
    $P import -c "LABEL bench.n=$i" -c 'CMD ["/bin/busybox"]' "$WORK/rootfs.tar" "bench/img$i:v$i" >/dev/null
    i=$((i + 1))
done
[ "$($B images -q | wc -l)" = 50 ] || { echo "bench: berth does not list 50 images" >&2; exit 1; }
[ "$($P images -q | wc -l)" = 50 ] || { echo "bench: podman does not list 50 images" >&2; exit 1; }

compare images "$B images" "$P images" --warmup 5 --runs 30
echo "target: ratio <= 0.2"
