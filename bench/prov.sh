#!/usr/bin/env bash
# bench/prov.sh - what verifying provenance adds to `pkggate check` of N
# attested npm packages (issue 14: at most one extra parallel round of
# fetches for a tree, about 2 ms CPU per bundle).
#
# N synthetic packages (bench/checkbench.py gen ... provenance), every
# version attested, served by the fixture registry with --forge (real
# bundles under a test root, which this test build trusts through
# $PKGGATE_TEST_SIGSTORE_ROOT), behind bench/delayproxy.py adding DELAY_MS
# per connection and per request. Cold cache, median (p10..p90) of RUNS
# runs, under three policies:
#   off      provenance, provenance_downgrade, publisher_change off: nothing
#            is fetched for provenance (the run before this work)
#   verify   publisher_change off: the attestations of the N versions that
#            would be installed, one round, N bundles verified
#   default  the built-in policy: also the attested release before each
#            (publisher_change compares verified identities): 2N bundles
# and the attestation requests one run makes, from the registry's log.
# Built in Release with the test suite (for the forge tool and the test
# root variable; the pkggate that install.sh builds has neither).
#
# Usage: bench/prov.sh [BUILD_DIR] [N] [RUNS] [DELAY_MS]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/bench-prov}
n=${2:-100}
runs=${3:-7}
delay=${4:-50}
bench=$src/bench

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=ON >/dev/null
cmake --build "$build" -j2 --target pkggate pg_forge_sigstore >/dev/null
pkggate=$build/shim/pkggate

T=$(mktemp -d "${TMPDIR:-/tmp}/pkggate-bench.XXXXXX")
pids=""
cleanup() {
    local p
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    for p in $pids; do wait "$p" 2>/dev/null || true; done
    rm -rf "$T"
}
trap cleanup EXIT
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_STATE_HOME="$T/home/.state"
export PKGGATE_AUDIT_LOG=off
unset PKGGATE_POLICY npm_config_registry NPM_CONFIG_REGISTRY || true
mkdir -p "$HOME" "$T/work"
cd "$T/work"

wait_file() {
    local _
    for _ in $(seq 1 600); do
        [ -s "$1" ] && return 0
        sleep 0.05
    done
    echo "bench/prov.sh: $2 did not start" >&2
    exit 1
}

python3 "$bench/checkbench.py" gen "$T/pkgs" "$n" provenance
python3 "$src/tests/fixture/registry.py" --packages "$T/pkgs" --state "$T/reg" \
    --forge "$build/tests/pg_forge_sigstore" >"$T/reg.out" 2>"$T/reg.err" &
pids="$pids $!"
wait_file "$T/reg/port" "the fixture registry"
export PKGGATE_TEST_SIGSTORE_ROOT="$T/reg/sigstore-root.json"
python3 "$bench/delayproxy.py" "$(cat "$T/reg/port")" "$delay" >"$T/proxy.port" 2>"$T/proxy.err" &
pids="$pids $!"
wait_file "$T/proxy.port" "bench/delayproxy.py"
export npm_config_registry="http://127.0.0.1:$(head -n1 "$T/proxy.port")/"
names=$(seq -f 'pgbench-pkg-%04g' 1 "$n")

echo '{"rules": {"provenance": {"action": "off"}, "provenance_downgrade": {"action": "off"}, "publisher_change": {"action": "off"}}}' >"$T/off.json"
echo '{"rules": {"publisher_change": {"action": "off"}}}' >"$T/verify.json"
echo '{}' >"$T/default.json"
echo "$n attested npm packages, $delay ms per connection and request, cold cache, $runs runs"
# The user's own file: a $PKGGATE_POLICY file that loosens would need trusting.
mkdir -p "$XDG_CONFIG_HOME/pkggate"
for pol in off verify default; do
    cp "$T/$pol.json" "$XDG_CONFIG_HOME/pkggate/policy.json"
    # shellcheck disable=SC2086 # one word per package name
    "$pkggate" check --ecosystem npm $names >"$T/probe" 2>&1 ||
        { echo "bench/prov.sh: the $pol run does not allow the packages:" >&2; head "$T/probe" >&2; exit 1; }
    before=$(grep -c 'attestations' "$T/reg/requests.log" || true)
    XDG_CACHE_HOME="$T/c-$pol-probe" "$pkggate" check --ecosystem npm $names \
        >/dev/null 2>&1 || true
    asked=$(( $(grep -c 'attestations' "$T/reg/requests.log" || true) - before ))
    # shellcheck disable=SC2086
    out=$(python3 "$bench/checkbench.py" time cold "$runs" \
        "$T/t-$pol" "$pkggate" check --ecosystem npm $names)
    printf '  %-8s %s   (%d attestation requests a run)\n' "$pol" \
        "$(awk '{ printf "%8.1f ms  (%.1f..%.1f)", $1, $2, $3 }' <<<"${out%%$'\n'*}")" "$asked"
done
cp "$T/default.json" "$XDG_CONFIG_HOME/pkggate/policy.json"
/usr/bin/time -f '  CPU of one default run: %U s user, %S s system' env \
    XDG_CACHE_HOME="$T/c-cpu" "$pkggate" check --ecosystem npm $names >/dev/null 2>"$T/cpu" || true
tail -n1 "$T/cpu"
cp "$T/off.json" "$XDG_CONFIG_HOME/pkggate/policy.json"
/usr/bin/time -f '  CPU of one off run:     %U s user, %S s system' env \
    XDG_CACHE_HOME="$T/c-cpu2" "$pkggate" check --ecosystem npm $names >/dev/null 2>"$T/cpu" || true
tail -n1 "$T/cpu"
