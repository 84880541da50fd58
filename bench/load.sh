#!/bin/sh
# `berth load` vs `podman load` of the big fixture's docker-archive, into an empty store each
# run (issue 2: berth must be no slower than Podman). Builds berth in release mode and the
# fixture through the test suite; needs podman, hyperfine, jq. Not run by CI.
# Usage: ./bench/load.sh [ARCHIVE]   (default: the big fixture; ROUNDS=N for more rounds,
#        BENCH_USER=berthtest for rootless)
. "$(dirname "$0")/lib.sh"
need podman hyperfine jq cargo
build_release
archive=${1:-}
if [ -z "$archive" ]; then
    echo "bench: building the big fixture (tests/it/support/fixtures.rs)" >&2
    (cd "$BENCH_ROOT" && cargo test --locked --test it -- --exact fixtures::big_fixture_read_by_skopeo >&2)
    archive=$(ls -t "$BENCH_ROOT"/target/tmp/berth-fixtures/big-*/big.docker-archive.tar | head -n 1)
fi
[ -s "$archive" ] || { echo "bench: no archive at $archive" >&2; exit 1; }
echo "bench: archive $archive ($(du -h "$archive" | cut -f1))" >&2
setup_work

compare load "$B load -q -i $archive" "$P load -q -i $archive" --runs 5 \
    --prepare "rm -rf $WORK/berth $WORK/podman/root $WORK/podman/run"
echo "target: ratio <= 1.0"
