#!/usr/bin/env bash
# A registry like the mirror this machine reaches: no signing keys, no
# publishers, no created/modified times. The default policy must still
# install from it, saying once that signatures cannot be checked there;
# a policy that demands keys blocks.
. "$(dirname "$0")/lib.sh"
need npm
start_registry --mirror
export npm_config_registry="$REG_URL"
mkdir -p app && cd app
echo '{"name":"app","version":"1.0.0"}' >package.json

expect_status 0 npm install --no-audit --no-fund left-pad pad-wrapper
[ -f node_modules/left-pad/package.json ] || fail "left-pad not installed"
[ "$(printf '%s\n' "$OUT" | grep -c 'publishes no signing keys\|no signing keys')" -eq 1 ] ||
    fail "the no-keys note should appear exactly once: $OUT"
pass "installs from a keyless mirror with one note"

echo '{"rules": {"registry_signature": {"require_keys": true}}}' >.pkggate.json
expect_status 10 npm install left-pad
expect_in "registry_signature"
pass "require_keys blocks a keyless registry"
