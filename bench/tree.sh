#!/usr/bin/env bash
# bench/tree.sh - what judging a large npm lockfile costs from a warm cache
# (issue 10: "Judging a 5,000-entry tree from a warm cache: <= 300 ms CPU,
# peak RSS <= 64 MB; cache on disk <= 20% of today's for the same packages").
#
# Two projects, each judged with a stand-in for the real npm:
#
#     pkggate run -- npm ci        (its lines go to /dev/null)
#
#   synthetic  the fixture registry (tests/fixture/registry.py) serves N
#              packages (bench/facts_tree.py gen: a binary dependency tree,
#              signed, two versions each); the project locks all N
#              (package-lock.json v3 written from the registry's own
#              packuments). The registry signs at start: a few minutes
#              for 5,000.
#   real       (with "real" as MODE) the npm registry this machine reaches
#              (specs.md f: a mirror), a project whose lockfile the real
#              npm writes for REAL_PACKAGES (popular frameworks and CLIs,
#              about 1,500 entries), so the documents have real sizes
#              (typescript's packument is 10 MB).
#
# Each project is judged once on an empty cache (cold: fills it), then RUNS
# times on what that left (warm): medians of the child's CPU time (user +
# system) and peak RSS (getrusage of the waited child), wall time, the
# requests a warm run sent (synthetic only: the fixture logs them), and
# pkggate's cache directory: apparent bytes (du -sb) and disk blocks (du -sk;
# one file per document, so small documents cost a 4 KiB block each).
#
# With BASE_REV (a git revision, e.g. main) the same is measured for that
# revision, built from `git archive` into BUILD_DIR-base (kept, and rebuilt
# only when the revision moves), and printed above ("before" / "after").
# A missed target is printed, not an error.
#
# Usage: bench/tree.sh [BUILD_DIR] [RUNS] [N|real] [BASE_REV]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/bench}
runs=${2:-5}
mode=${3:-5000}
base=${4:-}
bench=$src/bench
REAL_PACKAGES=${REAL_PACKAGES:-"express jest typescript webpack webpack-cli eslint @babel/core
react react-dom next vite rollup prettier lodash axios mocha sass @angular/core rxjs"}

need() { command -v "$1" >/dev/null 2>&1 || { echo "bench/tree.sh: needs $1" >&2; exit 1; }; }
need python3
need openssl

T=$(mktemp -d "${TMPDIR:-/tmp}/pkggate-tree.XXXXXX")
pids=""
cleanup() {
    local p
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    rm -rf "$T"
}
trap cleanup EXIT

# build_pkggate SRC DIR: a Release pkggate from SRC into DIR.
build_pkggate() {
    cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=OFF >/dev/null
    cmake --build "$2" -j"$(nproc)" --target pkggate >/dev/null
}
build_pkggate "$src" "$build"
after=$build/shim/pkggate
before=""
if [ -n "$base" ]; then
    rev=$(git -C "$src" rev-parse "$base^{commit}")
    if [ "$(cat "$build-base/rev" 2>/dev/null)" != "$rev" ]; then
        rm -rf "$build-base"
        mkdir -p "$build-base/src"
        git -C "$src" archive "$rev" | tar -x -C "$build-base/src"
        build_pkggate "$build-base/src" "$build-base/build"
        echo "$rev" >"$build-base/rev"
    fi
    before=$build-base/build/shim/pkggate
fi

# No configuration, policy or cache of the user's: the built-in default.
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_STATE_HOME="$T/home/.state"
export PKGGATE_AUDIT_LOG="$T/audit.jsonl"
unset PKGGATE_POLICY npm_config_registry NPM_CONFIG_REGISTRY || true
mkdir -p "$HOME" "$T/real"
# The real npm is not what is measured: a stand-in that exits 0.
printf '#!/bin/sh\nexit 0\n' >"$T/real/npm"
chmod +x "$T/real/npm"

log=""
if [ "$mode" = real ]; then
    need npm
    echo "bench/tree.sh: real packages from $(npm config get registry); $runs warm runs"
    mkdir -p "$T/proj"
    cd "$T/proj"
    printf '{"name": "tree-bench-real", "version": "1.0.0"}\n' >package.json
    # shellcheck disable=SC2086 # one word per package
    npm_config_cache="$T/npm-cache" npm install --package-lock-only --ignore-scripts \
        --no-audit --no-fund $REAL_PACKAGES >/dev/null
    # The lockfile's versions may be younger than the default 48 h: judge,
    # do not block, so both builds do the same work.
    printf '{"mode": "audit"}\n' >"$T/audit-policy.json"
    export PKGGATE_POLICY="$T/audit-policy.json"
    # It loosens the policy: applied only once trusted (README "Trusting").
    "$after" policy trust "$PKGGATE_POLICY" >/dev/null
else
    echo "bench/tree.sh: $mode synthetic packages, $runs warm runs; build: $build (Release)"
    python3 "$bench/facts_tree.py" gen "$T/pkgs" "$mode"
    start=$(date +%s)
    python3 "$src/tests/fixture/registry.py" --packages "$T/pkgs" --state "$T/reg" \
        >"$T/reg.out" 2>"$T/reg.err" &
    pids="$pids $!"
    for _ in $(seq 1 9000); do
        [ -s "$T/reg/port" ] && break
        kill -0 "${pids##* }" 2>/dev/null || { cat "$T/reg.err" >&2; exit 1; }
        sleep 0.1
    done
    [ -s "$T/reg/port" ] || { echo "bench/tree.sh: the registry did not start" >&2; exit 1; }
    url="http://127.0.0.1:$(cat "$T/reg/port")/"
    echo "fixture registry ready after $(($(date +%s) - start)) s: $url"
    export npm_config_registry=$url
    python3 "$bench/facts_tree.py" project "$T/proj" "$url" "$mode"
    cd "$T/proj"
    log=$T/reg/requests.log
fi
echo "lockfile entries: $(grep -c '"node_modules/' package-lock.json)"
export PKGGATE_REAL_NPM="$T/real/npm"

# figures LABEL PKGGATE: "cpu wall rss requests bytes blocks_kb" for one binary.
figures() {
    local label=$1 bin=$2 out cold reqs=-1 bytes kb
    export XDG_CACHE_HOME="$T/cache-$label"
    cold=$(python3 "$bench/facts_tree.py" measure 0 "$bin" run -- npm ci)
    case "$cold" in *"status 0") ;; *)
        echo "bench/tree.sh: $label: pkggate did not allow the project (${cold##*status }):" >&2
        "$bin" run -- npm ci 2>&1 | grep -v warning | tail -5 >&2
        exit 1 ;;
    esac
    [ -z "$log" ] || : >"$log"
    out=$(python3 "$bench/facts_tree.py" measure "$runs" "$bin" run -- npm ci)
    [ -z "$log" ] || reqs=$(($(wc -l <"$log") / (runs + 1)))
    bytes=$(du -sb "$XDG_CACHE_HOME/pkggate" | cut -f1)
    kb=$(du -sk "$XDG_CACHE_HOME/pkggate" | cut -f1)
    printf '%s %s %s %s\n' "${out%%$'\n'*}" "$reqs" "$bytes" "$kb"
}

row() {
    awk -v l="$1" -v f="$2" 'BEGIN { split(f, a, " ")
        printf "  %-7s %8.0f ms %8.0f ms %8.1f MB %8s %9.1f MB %9.1f MB\n", l, a[1], a[2],
               a[3] / 1024, a[4] < 0 ? "-" : a[4], a[5] / 1048576, a[6] / 1024 }'
}

fb=""
[ -z "$before" ] || fb=$(figures before "$before")
fa=$(figures after "$after")
printf '\n  %-7s %11s %11s %11s %8s %12s %12s\n' "" "CPU (warm)" "wall (warm)" "peak RSS" \
    "requests" "cache bytes" "cache disk"
[ -z "$fb" ] || row "before" "$fb"
row "after" "$fa"
awk -v a="$fa" -v b="$fb" 'BEGIN { split(a, x, " ")
    printf "  target: CPU <= 300 ms:  %.0f ms  %s\n", x[1], x[1] <= 300 ? "met" : "MISSED"
    printf "  target: peak RSS <= 64 MB:  %.1f MB  %s\n", x[3] / 1024,
           x[3] <= 65536 ? "met" : "MISSED"
    if (b != "") { split(b, y, " ")
        printf "  target: cache <= 20%% of before:  bytes %.1f%%, disk %.1f%%  %s\n",
               100 * x[5] / y[5], 100 * x[6] / y[6],
               x[5] <= 0.2 * y[5] && x[6] <= 0.2 * y[6] ? "met" : "MISSED"
        printf "  warm: CPU %.1fx, RSS %.1fx less than before\n", y[1] / x[1], y[3] / x[3] } }'
