#!/usr/bin/env bash
# Trust through the real npm against the fixture registry, which signs its
# packuments with a key made at start: a valid signature installs, a
# tampered one is blocked, a provenance downgrade is blocked, a publisher
# change warns; a registry without keys is named once and does not block.
. "$(dirname "$0")/lib.sh"
need npm
start_registry
export npm_config_registry="$REG_URL"
mkdir -p app && cd app
echo '{"name":"app","version":"1.0.0"}' >package.json

expect_status 0 npm install --no-audit --no-fund left-pad@1.3.0
[ -f node_modules/left-pad/package.json ] || fail "left-pad not installed"
grep -q '/-/npm/v1/keys' "$REG_STATE/requests.log" || fail "keys were not fetched"
pass "validly signed version installs"

expect_status 10 npm install sig-tampered
expect_in "registry_signature"
[ ! -e node_modules/sig-tampered ] || fail "sig-tampered installed"
pass "tampered signature blocked"

expect_status 10 npm install prov-lib
expect_in "provenance_downgrade"
[ ! -e node_modules/prov-lib ] || fail "prov-lib installed"
expect_status 0 npm install --no-audit --no-fund prov-lib@1.1.0
pass "provenance downgrade blocked; the earlier version installs"

expect_status 0 npm install --no-audit --no-fund publisher-change
expect_in "publisher_change"
pass "publisher change warns"

# Keys are cached for a day: a second run does not ask again.
n=$(grep -c '/-/npm/v1/keys' "$REG_STATE/requests.log")
expect_status 0 "$PKGGATE" check --ecosystem npm left-pad@1.3.0
[ "$(grep -c '/-/npm/v1/keys' "$REG_STATE/requests.log")" -eq "$n" ] || fail "keys fetched again"
pass "keys fetched once"
