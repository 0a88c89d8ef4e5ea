#!/usr/bin/env bash
# bench/report.sh - how long `pkggate report` takes on a big audit log.
#
# Generates an audit log of N decisions (default 10,000; bench/mkaudit.py:
# runs of 1..40 decisions over ten days, 3% blocked, 7% warned) and times
# `pkggate report` (the table) and `pkggate report --json`, RUNS times each
# (default 20), in a Release build. Prints the median and the fastest.
# Target: under 100 ms for 10,000 decisions.
# Usage: bench/report.sh [BUILD_DIR] [N] [RUNS]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/bench-report}
n=${2:-10000}
runs=${3:-20}

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target pkggate >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$src/bench/mkaudit.py" "$tmp/audit.jsonl" "$n" >/dev/null
# A private HOME: no user policy, no org anchor read beyond /etc's.
export HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state"
export XDG_CACHE_HOME="$tmp/cache" PKGGATE_AUDIT_LOG="$tmp/audit.jsonl"
echo "audit log: $n decisions, $(du -k "$tmp/audit.jsonl" | cut -f1) KiB"

# One run: wall and CPU (user + system) milliseconds of `pkggate report ARGS`,
# measured by GNU time around the process alone. On a shared machine the
# wall time carries other people's load; the CPU time is pkggate's own.
one_run() {
    /usr/bin/time -f "%e %U %S" -o "$tmp/one" "$build/shim/pkggate" report "$@" >/dev/null
    awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$tmp/one"
}
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 1; }
for args in "--since 7d" "--since all --json"; do
    # shellcheck disable=SC2086
    for _ in $(seq "$runs"); do one_run $args; done >"$tmp/t"
    sort -n -k1 "$tmp/t" | awk -v a="$args" '{ w[NR] = $1 } END {
        m = w[int((NR + 1) / 2)]
        printf "pkggate report %-18s wall median %4d ms, fastest %4d ms (target < 100 ms): %s\n",
               a, m, w[1], m < 100 ? "met" : "MISSED" }'
    sort -n -k2 "$tmp/t" | awk '{ c[NR] = $2 } END {
        printf "%33s cpu  median %4d ms\n", "", c[int((NR + 1) / 2)] }'
done
