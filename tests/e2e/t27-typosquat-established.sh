#!/usr/bin/env bash
# A name one letter from a popular package is judged by the registry's
# history when the registry answers: first published 3 years ago with 40
# releases it is an established package (a warning, and it installs); the
# same name first published 2 days ago is a fresh squat (blocked).
. "$(dirname "$0")/lib.sh"
need npm
need python3

# fixture NAME FIRST_AGE_DAYS RELEASES: one package, oldest release first.
fixture() {
    python3 - "$@" <<'PY'
import json, sys
name, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
step = max(1, (first - 3) // max(1, n - 1))
vers = {"1.0.%d" % i: {"age": "%dd" % max(3, first - i * step)} for i in range(n)}
if n == 1:
    vers = {"1.0.0": {"age": "%dd" % first}}
print(json.dumps({"ecosystem": "npm", "name": name, "versions": vers}))
PY
}

# One registry per history of the name: the name is what is compared.
mkdir -p "$T/old" "$T/new"
cp "$PG_SOURCE_DIR/tests/fixture/packages/npm-lodash.json" "$T/old/"
cp "$PG_SOURCE_DIR/tests/fixture/packages/npm-lodash.json" "$T/new/"
fixture lodahs 1095 40 >"$T/old/npm-lodahs.json"
fixture lodahs 2 1 >"$T/new/npm-lodahs.json"

start_registry --packages "$T/old"
old_url=$REG_URL
start_fixture_registry new_port "$T/new" "$T/registry-new"
new_url="http://127.0.0.1:$new_port/"

mkdir -p app && cd app
echo '{"name":"app","version":"1.0.0"}' >package.json
# Only the typosquat rule may block here: a 2-day-old version would also
# trip min_version_age, which is not what this test is about.
echo '{"rules": {"min_version_age": {"action": "warn"}}}' >.pkggate.json
trust_project

# Offline the name is not on the established list: blocked by name alone.
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm lodahs
expect_in "did you mean \`lodash\`?"
pass "names only: lodahs blocked"

export npm_config_registry="$old_url"
expect_status 0 "$PKGGATE" check --json --ecosystem npm lodahs
printf '%s\n' "$OUT" | grep -q '"decision":"warn".*"established":true,"established_by":"registry".*"releases":40' ||
    fail "old lodahs JSON: $OUT"
expect_status 0 npm install --no-audit --no-fund lodahs
expect_in "not blocked, established: first published 3 years ago, 40 releases"
[ -f node_modules/lodahs/package.json ] || fail "established lodahs not installed"
pass "lodahs first published 3 years ago with 40 releases: warned, installed"
rm -rf node_modules package-lock.json

export npm_config_registry="$new_url"
expect_status 10 npm install --no-audit --no-fund lodahs
expect_in "[typosquat] did you mean \`lodash\`?"
expect_in "; first published 2 days ago)"
[ ! -e node_modules/lodahs ] || fail "fresh lodahs installed"
expect_status 10 "$PKGGATE" check --json --ecosystem npm lodahs
printf '%s\n' "$OUT" | grep -q '"decision":"block".*"established":false,"established_by":"registry"' ||
    fail "new lodahs JSON: $OUT"
pass "lodahs first published 2 days ago: blocked"
