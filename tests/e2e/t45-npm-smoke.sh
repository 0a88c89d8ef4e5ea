#!/usr/bin/env bash
# Smoke test against the real npm registry this machine reaches (the one
# `npm config get registry` names; here a filtered mirror without
# signatures, publishers or upstream publish times, specs.md f): popular
# packages pass the default policy, a name that does not exist is blocked,
# and one real install goes through the shim. Skipped (77) when that
# registry does not answer `npm ping` within 5 s.

# The registry as the user's own npm configuration has it, read before
# lib.sh gives the test a private HOME.
REAL_REGISTRY=$(timeout 10 npm config get registry 2>/dev/null || true)
. "$(dirname "$0")/lib.sh"
need npm
need timeout
[ -n "$REAL_REGISTRY" ] || skip "npm config get registry said nothing"
export npm_config_registry="$REAL_REGISTRY"

# The probe goes through the real npm, not the shim.
PATH="$ORIG_PATH" timeout 5 npm ping >"$T/ping.out" 2>&1 ||
    skip "$REAL_REGISTRY does not answer npm ping within 5 s"

mkdir -p app
cd app || fail "no app directory"
echo '{"name":"app","version":"1.0.0","private":true}' >package.json

# Popular, long-published packages: allowed (a warning would also do).
expect_status 0 "$PKGGATE" check --json --ecosystem npm lodash@4.17.21 is-number
printf '%s\n' "$OUT" | sed 's/^/  /'
for p in lodash is-number; do
    printf '%s\n' "$OUT" | grep -q "\"name\":\"$p\".*\"decision\":\"\(allow\|warn\)\"" ||
        fail "$p: no allow/warn decision:
$OUT"
done
printf '%s\n' "$OUT" | grep -q '"name":"lodash","spec":"4.17.21","version":"4.17.21"' ||
    fail "lodash@4.17.21 was not resolved to 4.17.21:
$OUT"
pass "lodash@4.17.21 and is-number allowed by the default policy"

# The second look comes from the ETag cache and must say the same.
expect_status 0 "$PKGGATE" check --ecosystem npm lodash@4.17.21 is-number
pass "the same check again, from the cache"

# A name nobody has published.
name=pkggate-e2e-no-such-package-7f3c2a
expect_status 10 "$PKGGATE" check --ecosystem npm "$name"
expect_in "blocked npm $name"
expect_in "[unknown_package]"
pass "a nonexistent name is blocked as unknown_package"

# npm's cafile replaces the system's CAs, it does not add to them: with a
# throwaway CA that signed nothing of the registry's, the registry's
# certificate is refused (libcurl also reads its default CA directory
# unless told not to).
mkdir -p "$T/ca" && sh "$PG_SOURCE_DIR/tests/fixture/mkca.sh" "$T/ca"
expect_status 10 env npm_config_cafile="$T/ca/ca.pem" \
    "$PKGGATE" check --refresh --ecosystem npm is-number
expect_in "TLS certificate problem"
pass "a cafile of one's own replaces the system's CAs"

# One real install through the shim.
expect_status 0 npm install --no-audit --no-fund is-number
[ -f node_modules/is-number/package.json ] || fail "is-number not installed:
$OUT"
grep -q '"is-number"' package.json || fail "is-number not saved to package.json"
pass "npm install is-number through the shim"
