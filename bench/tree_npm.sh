#!/usr/bin/env bash
# bench/tree_npm.sh - what pkggate adds to real npm installs against the
# npm registry this machine reaches (registry.npmjs.org; on the build
# machine a mirror whose packuments carry no registry signatures, no
# attestations and, for some packages, no publish times, so those rules
# have less to fetch and check than against the real registry).
#
# Figures, ratios from one run (bench/treebench.py does the timing):
#   1. `npm install express` in a fresh folder: bare npm, through the
#      shims with an empty pkggate cache (cold), with a filled one (warm).
#      Targets (issue 10): added <= 25% cold, <= 10% warm.
#   2. A project whose lockfile has 400+ entries (`npm install
#      --package-lock-only` of express jest eslint webpack typescript;
#      PG_PROJECT_PKGS to change), node_modules installed:
#      `npm install is-number` (PG_SMALL_PKG): target <= 150 ms added, warm;
#      `npm ci`: target <= 10% added, warm.
# Every run starts from a fresh copy of the project and of a private npm
# cache primed before, so npm's own cache state is the same for each;
# npm runs with --ignore-scripts --no-audit --no-fund. pkggate runs with
# a private HOME and the built-in default policy in "mode": "warn": every
# rule is evaluated as under enforce, but a verdict on the day of the run
# (a version a few hours too young, a typosquat false positive) does not
# stop the benchmark. A missed target is printed, not an error.
#
# Usage: bench/tree_npm.sh [BUILD_DIR] [RUNS] [CI_RUNS]   (defaults: build/bench 7 5)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/bench}
runs=${2:-7}
ci_runs=${3:-5}

command -v npm >/dev/null || { echo "bench/tree_npm.sh: needs npm" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench/tree_npm.sh: needs python3" >&2; exit 1; }

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target pkggate pkggate-shim >/dev/null

T=$(mktemp -d "${TMPDIR:-/tmp}/pkggate-treebench.XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/shims" "$T/home"
for t in npm npx; do ln -s "$build/shim/pkggate-shim" "$T/shims/$t"; done

# No configuration, policy or cache of the user's.
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_STATE_HOME="$T/home/.state"
export XDG_CACHE_HOME="$T/home/.cache" PKGGATE_AUDIT_LOG="$T/audit.jsonl"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
unset PKGGATE_POLICY npm_config_registry NPM_CONFIG_REGISTRY PKGGATE_SEEN || true

mkdir -p "$XDG_CONFIG_HOME/pkggate"
echo '{"mode": "warn"}' >"$XDG_CONFIG_HOME/pkggate/policy.json"

echo "bench/tree_npm.sh: $(npm --version) npm, node $(node --version), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$src/bench/treebench.py" "$T/shims" "$T" "$runs" "$ci_runs"
echo "audit log: $(wc -l <"$T/audit.jsonl") records, $(grep -c '"rule":"unjudged"' "$T/audit.jsonl" || true) unjudged"
