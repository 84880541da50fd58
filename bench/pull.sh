#!/bin/sh
# `berth pull` vs `podman pull` vs the floor (curl | gunzip | tar per layer, layers in parallel)
# of a ~200 MB (gzip) 4-layer image served by a local docker-registry, into an empty store each
# run (issue 5: berth <= 1.1x the floor, >= 2x faster than Podman). Then the same image with
# zstd layers (pushed by berth), berth vs podman. Builds berth in release mode; needs
# docker-registry, podman, skopeo, hyperfine, jq, curl and the debootstrap tarball from
# ci/setup.sh. Not run by CI.
# Usage: ./bench/pull.sh   (ROUNDS=N for more rounds, BENCH_USER=berthtest for rootless)
. "$(dirname "$0")/lib.sh"
need docker-registry podman skopeo hyperfine jq curl cargo sha256sum
ROOTFS=${BERTH_TEST_BIG_ROOTFS:-/var/cache/berth-tests/bookworm-minbase.tar}
[ -s "$ROOTFS" ] || { echo "bench: needs $ROOTFS (run ci/setup.sh)" >&2; exit 1; }
build_release
setup_work

# The registry, on a free port, killed by pid on exit (before the work dir goes).
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
REG=127.0.0.1:$PORT
cat >"$WORK/registry.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry
http:
  addr: $REG
EOF
docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
REG_PID=$!
# set -e is on: wait's 143 for the killed registry must not end the trap before cleanup.
trap 'kill $REG_PID 2>/dev/null; wait $REG_PID 2>/dev/null || true; cleanup_work' EXIT
i=0
until curl -sf "http://$REG/v2/" >/dev/null; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "bench: registry did not start" >&2; exit 1; }
    sleep 0.1
done

# The image: the debootstrap rootfs plus three layers of generated, barely compressible data,
# as an OCI layout, pushed by skopeo.
echo "bench: building the image" >&2
L="$WORK/layout"
mkdir -p "$L/blobs/sha256" "$WORK/gen"
layer() { # layer TAR -> "digest size diffid"
    diff=$(sha256sum <"$1" | cut -d' ' -f1)
    gzip -1 -n <"$1" >"$WORK/l.gz"
    d=$(sha256sum <"$WORK/l.gz" | cut -d' ' -f1)
    mv "$WORK/l.gz" "$L/blobs/sha256/$d"
    echo "$d $(stat -c %s "$L/blobs/sha256/$d") $diff"
}
set -- "$(layer "$ROOTFS")"
for n in 1 2 3; do
    rm -rf "$WORK/gen/d$n"
    mkdir -p "$WORK/gen/d$n/data$n"
    f=0
    while [ $f -lt 400 ]; do
        head -c 100000 /dev/urandom >"$WORK/gen/d$n/data$n/f$f"
        f=$((f + 1))
    done
    tar -C "$WORK/gen/d$n" -cf "$WORK/gen/l$n.tar" .
    set -- "$@" "$(layer "$WORK/gen/l$n.tar")"
done
diffids=$(for x in "$@"; do echo "$x" | cut -d' ' -f3; done | jq -R '"sha256:" + .' | jq -s .)
layers=$(for x in "$@"; do echo "$x"; done | jq -R 'split(" ") | {mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: ("sha256:" + .[0]), size: (.[1] | tonumber)}' | jq -s .)
jq -n --arg a "$(dpkg --print-architecture)" --argjson d "$diffids" '{architecture: $a, os: "linux", config: {Cmd: ["sh"]}, rootfs: {type: "layers", diff_ids: $d}}' >"$WORK/config.json"
cd_=$(sha256sum <"$WORK/config.json" | cut -d' ' -f1)
cp "$WORK/config.json" "$L/blobs/sha256/$cd_"
jq -n --argjson l "$layers" --arg c "sha256:$cd_" --argjson cs "$(stat -c %s "$WORK/config.json")" \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs}, layers: $l}' >"$WORK/manifest.json"
md=$(sha256sum <"$WORK/manifest.json" | cut -d' ' -f1)
cp "$WORK/manifest.json" "$L/blobs/sha256/$md"
echo '{"imageLayoutVersion":"1.0.0"}' >"$L/oci-layout"
jq -n --arg d "sha256:$md" --argjson s "$(stat -c %s "$WORK/manifest.json")" \
    '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s}]}' >"$L/index.json"
skopeo copy -q --dest-tls-verify=false "oci:$L" "docker://$REG/bench/big:gzip"
echo "bench: image $(du -shc "$L"/blobs/sha256/* | tail -1 | cut -f1) compressed, 4 layers" >&2

# zstd: berth recompresses and pushes it.
$BERTH --root "$WORK/setup" pull -q "$REG/bench/big:gzip" >/dev/null
$BERTH --root "$WORK/setup" push -q --compression-format zstd "$REG/bench/big:gzip" "$REG/bench/big:zstd"
rm -rf "$WORK/setup"

# The floor: every layer fetched, gunzipped and untarred at once, nothing else.
cat >"$WORK/floor.sh" <<EOF
#!/bin/sh
rm -rf $WORK/floor && mkdir -p $WORK/floor
for d in $(for x in "$@"; do echo "$x" | cut -d' ' -f1; done | tr '\n' ' '); do
    mkdir -p $WORK/floor/\$d
    (curl -sf http://$REG/v2/bench/big/blobs/sha256:\$d | gunzip | tar -x -C $WORK/floor/\$d) &
done
wait
EOF
chmod 0755 "$WORK/floor.sh"
[ -z "${BENCH_USER:-}" ] || chown -R "$BENCH_USER:" "$WORK"

clean="rm -rf $WORK/berth $WORK/podman/root $WORK/podman/run $WORK/floor"
compare_n pull-gzip 3 \
    berth "$B pull -q $REG/bench/big:gzip" \
    podman "$P pull -q --tls-verify=false $REG/bench/big:gzip" \
    floor "$RUNAS sh $WORK/floor.sh" \
    --runs 3 --prepare "$clean"
compare pull-zstd "$B pull -q $REG/bench/big:zstd" "$P pull -q --tls-verify=false $REG/bench/big:zstd" \
    --runs 3 --prepare "$clean"
echo "target: berth/floor <= 1.1, berth/podman <= 0.5"
