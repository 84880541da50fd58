# Shared helpers for the bench scripts (sourced, not run). Not run by CI.
#
# Every comparison runs berth and Podman side by side in the same hyperfine invocation, in
# several rounds whose command order alternates (TESTING.md "Measuring": the machine is noisy),
# and reports each tool's median over all runs and the ratio berth/podman.

set -eu

BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BERTH="$BENCH_ROOT/target/release/berth"
ROUNDS=${ROUNDS:-3}

need() {
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || { echo "bench: needs $t (run ci/setup.sh)" >&2; exit 1; }
    done
}

build_release() {
    echo "bench: building berth in release mode" >&2
    (cd "$BENCH_ROOT" && cargo build --release --locked --bin berth >&2)
}

# A private work dir with berth's and Podman's stores and Podman's config, removed on exit.
# With BENCH_USER=NAME (as root), both tools run as that unprivileged user (rootless mode),
# through the same setpriv wrapper so neither pays for it alone.
setup_work() {
    WORK=$(mktemp -d /tmp/berth-bench.XXXXXX)
    trap cleanup_work EXIT
    mkdir -p "$WORK/podman/tmp" "$WORK/home" "$WORK/run"
    chmod 0700 "$WORK/run"
    cp "$BENCH_ROOT/ci/containers.conf" "$WORK/podman/containers.conf"
    chmod 0755 "$WORK"
    export CONTAINERS_CONF="$WORK/podman/containers.conf"
    RUNAS=""
    if [ -n "${BENCH_USER:-}" ]; then
        chown -R "$BENCH_USER:" "$WORK"
        RUNAS="setpriv --reuid=$BENCH_USER --regid=$BENCH_USER --init-groups env HOME=$WORK/home XDG_RUNTIME_DIR=$WORK/run"
    fi
    B="$RUNAS $BERTH --root $WORK/berth/root --runroot $WORK/berth/run"
    P="$RUNAS podman --root $WORK/podman/root --runroot $WORK/podman/run --tmpdir $WORK/podman/tmp --storage-driver overlay"
}

cleanup_work() {
    # Rootless Podman leaves a pause process per --tmpdir; stop the one this run made.
    if [ -s "$WORK/podman/tmp/pause.pid" ]; then
        kill "$(cat "$WORK/podman/tmp/pause.pid")" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}

# compare NAME BERTH_CMD PODMAN_CMD [hyperfine options...]
# Prints both medians (ms) and berth/podman.
compare() {
    name=$1 bcmd=$2 pcmd=$3
    shift 3
    : >"$WORK/$name.times"
    r=1
    while [ "$r" -le "$ROUNDS" ]; do
        if [ $((r % 2)) = 1 ]; then first=$bcmd second=$pcmd; else first=$pcmd second=$bcmd; fi
        hyperfine -N --style basic "$@" --export-json "$WORK/$name.$r.json" \
            -n "$( [ "$first" = "$bcmd" ] && echo berth || echo podman )" "$first" \
            -n "$( [ "$second" = "$bcmd" ] && echo berth || echo podman )" "$second" >&2
        jq -r '.results[] | .command as $c | .times[] | "\($c) \(.)"' "$WORK/$name.$r.json" >>"$WORK/$name.times"
        r=$((r + 1))
    done
    awk -v name="$name" '
        { t[$1, ++n[$1]] = $2 }
        function median(c,   i, j, k, tmp, a) {
            k = n[c]; for (i = 1; i <= k; i++) a[i] = t[c, i]
            for (i = 2; i <= k; i++) { tmp = a[i]; for (j = i - 1; j >= 1 && a[j] > tmp; j--) a[j + 1] = a[j]; a[j + 1] = tmp }
            return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
        }
        END {
            b = median("berth"); p = median("podman")
            printf "%s: berth median %.2f ms (%d runs), podman median %.2f ms (%d runs), ratio berth/podman %.3f\n",
                name, b * 1000, n["berth"], p * 1000, n["podman"], b / p
        }' "$WORK/$name.times"
}

# compare_n NAME N NAME1 CMD1 ... NAMEn CMDn [hyperfine options...]
# Like compare for N commands (N >= 1; names are single words, the first is the reference):
# the order rotates each round, and it prints every median (ms) and NAME1/NAMEi for the others.
# The medians (seconds) are also left in $WORK/NAME.medians as "name seconds" lines.
compare_n() {
    name=$1 n=$2
    shift 2
    i=1 cn_order=""
    while [ "$i" -le "$n" ]; do
        eval "cn_name$i=\$1 cn_cmd$i=\$2"
        cn_order="$cn_order $1"
        shift 2
        i=$((i + 1))
    done
    : >"$WORK/$name.times"
    r=1
    while [ "$r" -le "$ROUNDS" ]; do
        # Round r starts with command ((r - 1) mod n) + 1, then wraps around; the subshell keeps
        # the caller's hyperfine options in "$@" for the next round.
        (
            set -- "$@" --export-json "$WORK/$name.$r.json"
            k=0
            while [ "$k" -lt "$n" ]; do
                j=$(((r - 1 + k) % n + 1))
                eval "set -- \"\$@\" -n \"\$cn_name$j\" \"\$cn_cmd$j\""
                k=$((k + 1))
            done
            hyperfine -N --style basic "$@" >&2
        )
        jq -r '.results[] | .command as $c | .times[] | "\($c) \(.)"' "$WORK/$name.$r.json" >>"$WORK/$name.times"
        r=$((r + 1))
    done
    awk -v name="$name" -v order="$cn_order" -v medfile="$WORK/$name.medians" '
        { t[$1, ++cnt[$1]] = $2 }
        function median(c,   i, j, k, tmp, a) {
            k = cnt[c]; for (i = 1; i <= k; i++) a[i] = t[c, i]
            for (i = 2; i <= k; i++) { tmp = a[i]; for (j = i - 1; j >= 1 && a[j] > tmp; j--) a[j + 1] = a[j]; a[j + 1] = tmp }
            return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
        }
        END {
            m = split(order, names, " ")
            for (i = 1; i <= m; i++) {
                med[i] = median(names[i])
                printf "%s: %s median %.2f ms (%d runs)\n", name, names[i], med[i] * 1000, cnt[names[i]]
                printf "%s %.9f\n", names[i], med[i] >medfile
            }
            for (i = 2; i <= m; i++)
                printf "%s: ratio %s/%s %.3f (%s/%s %.1f)\n", name, names[1], names[i], med[1] / med[i], names[i], names[1], med[i] / med[1]
        }' "$WORK/$name.times"
}
