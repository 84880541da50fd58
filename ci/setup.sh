#!/bin/sh
# Prepares a fresh Debian 12 machine for berth's test suite. Idempotent; run as root.
#
# - installs the peers and tools the tests use (TESTING.md "Real components")
# - creates the unprivileged test user `berthtest` with subordinate uid/gid ranges, so the
#   rootless half of the suite runs the real binary as a normal user (STYLE.md 32)
# - makes /dev/fuse and /dev/net/tun usable by normal users (the distro default, 0666)
# - installs ci/containers.conf, the private Podman config the tests and benchmarks use
#   (TESTING.md: the host's hard rlimits are below Podman's defaults); /etc is left alone
# - caches a debootstrap Debian rootfs as the "big" fixture when the mirror answers
set -eu

if [ "$(id -u)" != 0 ]; then
    echo "ci/setup.sh: run me as root (e.g. sudo ./ci/setup.sh)" >&2
    exit 1
fi

TEST_USER=berthtest
CACHE=/var/cache/berth-tests
SUBID_START=200000
SUBID_COUNT=65536

packages="busybox-static uidmap docker-registry passt slirp4netns fuse-overlayfs podman skopeo
buildah crun debootstrap hyperfine apache2-utils openssl util-linux ca-certificates curl git
gcc libc6-dev pkg-config make jq nftables iproute2"
missing=""
for p in $packages; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi

# A Rust toolchain new enough for rust-version in Cargo.toml (Debian 12's rustc is too old).
if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal \
        --component rustfmt,clippy
fi

if ! id "$TEST_USER" >/dev/null 2>&1; then
    useradd --system --create-home --home-dir "/home/$TEST_USER" --shell /usr/sbin/nologin \
        "$TEST_USER"
fi
# Subordinate ids: add the range unless the user already has one.
for f in /etc/subuid /etc/subgid; do
    touch "$f"
    grep -q "^$TEST_USER:" "$f" || echo "$TEST_USER:$SUBID_START:$SUBID_COUNT" >>"$f"
    # Root's `--userns auto` pool, by Podman's convention (the upper half of the id space, far
    # from any user's range), so that the root half of the auto tests runs for real.
    grep -q "^containers:" "$f" || echo "containers:2147483647:2147483648" >>"$f"
done

# Rootless fuse-overlayfs, pasta and slirp4netns open these as the user.
for dev in /dev/fuse /dev/net/tun; do
    [ -e "$dev" ] && chmod 0666 "$dev"
done

# The test user must reach the built binary and the fixtures under target/.
repo=$(cd "$(dirname "$0")/.." && pwd)
d=$repo
while [ "$d" != / ]; do
    chmod o+x "$d" 2>/dev/null || true
    d=$(dirname "$d")
done

mkdir -p "$CACHE"
chmod 0755 "$CACHE"
install -m 0644 "$repo/ci/containers.conf" "$CACHE/containers.conf"

# The "big" fixture: a real multi-thousand-file Debian rootfs as a tarball. Optional: without
# it the tests generate a tree of files instead.
if [ ! -s "$CACHE/bookworm-minbase.tar" ]; then
    rm -rf "$CACHE/rootfs.tmp"
    if debootstrap --variant=minbase bookworm "$CACHE/rootfs.tmp" http://deb.debian.org/debian \
        >"$CACHE/debootstrap.log" 2>&1; then
        tar -C "$CACHE/rootfs.tmp" --numeric-owner --sort=name \
            --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* \
            -cf "$CACHE/bookworm-minbase.tar.tmp" .
        mv "$CACHE/bookworm-minbase.tar.tmp" "$CACHE/bookworm-minbase.tar"
        chmod 0644 "$CACHE/bookworm-minbase.tar"
    else
        echo "ci/setup.sh: debootstrap failed (see $CACHE/debootstrap.log); tests use a generated tree" >&2
    fi
    rm -rf "$CACHE/rootfs.tmp"
fi

echo "ci/setup.sh: ready (test user $TEST_USER, CONTAINERS_CONF=$CACHE/containers.conf)"
