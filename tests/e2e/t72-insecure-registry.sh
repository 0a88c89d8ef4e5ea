#!/usr/bin/env bash
# A private registry over plain http (company Verdaccio/Nexus/devpi) works
# when the tool's own configuration names it: pkggate says once a day that
# its answers can be forged on the way, and "insecure_registries": "block"
# refuses it. The registry listens on 10.254.0.1, not loopback, inside a
# network namespace this test makes for itself: that namespace has no route
# anywhere else, so nothing here can reach another machine.
if [ -z "${PG_IN_NETNS:-}" ]; then
    command -v unshare >/dev/null && command -v ip >/dev/null ||
        { echo "SKIP: unshare or ip not installed"; exit 77; }
    if [ "$(id -u)" = 0 ]; then flags=-n; else flags=-rn; fi
    unshare $flags true 2>/dev/null || { echo "SKIP: cannot make a network namespace"; exit 77; }
    PG_IN_NETNS=1 exec unshare $flags bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
need npm
ip link set lo up
# A dummy interface where the kernel has the driver; else the same address
# on the namespace's own lo (still not a loopback address to pkggate).
if ip link add dummy0 type dummy 2>/dev/null; then
    ip addr add 10.254.0.1/32 dev dummy0
    ip link set dummy0 up
else
    ip addr add 10.254.0.1/32 dev lo
fi
[ -z "$(ip route show default)" ] || fail "the namespace has a default route: $(ip route)"

start_registry --no-keys --host 10.254.0.1
REG_URL="http://10.254.0.1:$REG_PORT/"
export npm_config_registry="$REG_URL"
mkdir -p app && cd app
echo '{"name": "app", "version": "1.0.0"}' >package.json

expect_status 0 npm install --no-audit --no-fund left-pad
expect_in "pkggate: warning: http://10.254.0.1:$REG_PORT/ is plain http"
[ "$(printf '%s\n' "$OUT" | grep -c 'is plain http')" = 1 ] || fail "more than one warning: $OUT"
[ -f node_modules/left-pad/package.json ] || fail "left-pad was not installed"
expect_status 0 npm install --no-audit --no-fund left-pad
case "$OUT" in *"plain http"*) fail "the http warning repeated the same day: $OUT" ;; esac
pass "a configured plain-http registry off loopback is used, with one warning"

mkdir -p "$XDG_CONFIG_HOME/pkggate"
echo '{"insecure_registries": "block"}' >"$XDG_CONFIG_HOME/pkggate/policy.json"
expect_status 10 npm install --no-audit --no-fund lodash
expect_in "[insecure_registries] the registry http://10.254.0.1:$REG_PORT/ is plain http"
[ ! -e node_modules/lodash ] || fail "lodash was installed although refused"
pass "\"insecure_registries\": \"block\" refuses it"
