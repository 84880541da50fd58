#!/bin/sh
# berth's whole test suite, from a fresh Debian 12 machine: set-up, then every check CI runs.
# Run as root from anywhere: ./ci/test.sh   (CI: .ci/run, which adds BERTH_TEST_REQUIRE=1)
#
#   1. ci/setup.sh: packages, the test user berthtest with subuid/subgid, /dev/fuse and
#      /dev/net/tun 0666, Podman's private config, the big fixture rootfs
#   2. cargo fmt --check, cargo clippy --all-targets -D warnings
#   3. cargo test --all-targets: unit tests and the integration suite, whose every test runs
#      as root and as berthtest (tests/it/support: both_modes!)
#   4. the integration suite again from an unprivileged process (STYLE.md 32), rootless half only
#   5. cargo doc with RUSTDOCFLAGS=-D warnings
#
# Every step runs even when an earlier one failed (one CI log shows every problem); the script
# exits non-zero when any step failed, and at once when the set-up fails.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)

step() { printf '\n==> %s\n' "$*"; }
failed=""
# check NAME CMD...: runs a step, remembering a failure.
check() {
    name=$1
    shift
    step "$name"
    if ! "$@"; then
        failed="$failed
  - $name"
        printf '==> FAILED: %s\n' "$name"
    fi
}

step "setup"
./ci/setup.sh
if [ -d "$HOME/.cargo/bin" ]; then PATH="$HOME/.cargo/bin:$PATH"; fi
export PATH
export CARGO_TERM_COLOR=never
# Pass the strictness switch through explicitly (sudo and setpriv runs drop the environment).
BERTH_TEST_REQUIRE=${BERTH_TEST_REQUIRE:-}
export BERTH_TEST_REQUIRE

check "cargo fmt --check" cargo fmt --check
check "cargo clippy --all-targets -- -D warnings" cargo clippy --locked --all-targets -- -D warnings
check "cargo test --all-targets (unit + integration, root and rootless modes)" \
    cargo test --locked --all-targets --no-fail-fast

# The integration suite once more, run by berthtest itself (STYLE.md 32): the rootless half,
# with berth's default XDG paths and a non-root test process. It runs the binary cargo just
# built; the fixtures under target/tmp were made by the run above.
unprivileged_suite() {
    it_bin=$(cargo test --locked --test it --no-run --message-format=json |
        jq -r 'select(.reason == "compiler-artifact" and .target.name == "it" and .executable != null) | .executable' |
        tail -n 1)
    [ -x "$it_bin" ] || { echo "ci/test.sh: cannot find the integration test binary" >&2; return 1; }
    user_home=$(getent passwd berthtest | cut -d: -f6)
    user_run=$(mktemp -d /tmp/berth-ci-run.XXXXXX)
    chown berthtest: "$user_run"
    chmod 0700 "$user_run"
    status=0
    setpriv --reuid=berthtest --regid=berthtest --init-groups -- \
        env -i HOME="$user_home" USER=berthtest LOGNAME=berthtest \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        XDG_RUNTIME_DIR="$user_run" LANG=C.UTF-8 RUST_BACKTRACE=1 \
        BERTH_TEST_REQUIRE="$BERTH_TEST_REQUIRE" BERTH_TEST_MODES=rootless \
        "$it_bin" || status=$?
    rm -rf "$user_run"
    return "$status"
}
check "integration suite as the unprivileged user berthtest (rootless mode)" unprivileged_suite

RUSTDOCFLAGS="-D warnings"
export RUSTDOCFLAGS
check "cargo doc (RUSTDOCFLAGS=-D warnings)" cargo doc --locked --no-deps --document-private-items

if [ -n "$failed" ]; then
    printf '\n==> these steps failed:%s\n' "$failed"
    exit 1
fi
step "all checks passed"
