#!/usr/bin/env bash
# Typosquats are stopped by name alone: through the real npm and pip against
# the fixture registry, where the squats exist and are old enough so that
# only the typosquat rule can stop them; and offline by `pkggate check`.
. "$(dirname "$0")/lib.sh"
need npm
start_registry
export npm_config_registry="$REG_URL"
mkdir -p app && cd app
echo '{"name":"app","version":"1.0.0"}' >package.json

expect_status 10 npm install crossenv
expect_in "[typosquat] did you mean \`cross-env\`?"
[ ! -e node_modules/crossenv ] || fail "crossenv installed"
pass "npm crossenv blocked as a typosquat of cross-env"

expect_status 0 npm install --no-audit --no-fund cross-env
[ -f node_modules/cross-env/package.json ] || fail "cross-env not installed"
pass "the real cross-env installs"

# An org can protect its internal names, and silence a false alarm.
cat >.pkggate.json <<'JSON'
{"rules": {"typosquat": {"extra_popular": ["pkg:npm/acme-billing"],
                         "ignore": ["pkg:npm/crossenv"]}}}
JSON
trust_project
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm acme-biling
expect_in "did you mean \`acme-billing\`?"
expect_status 0 "$PKGGATE" check --names-only --ecosystem npm crossenv
pass "extra_popular and ignore"
rm .pkggate.json

# Names only, no network, one JSON object per name.
expect_status 10 "$PKGGATE" check --names-only --json --ecosystem pypi reqeusts requests
printf '%s\n' "$OUT" | grep -q '^{"ecosystem":"pypi","name":"reqeusts",.*"decision":"block","reasons":\[{"rule":"typosquat",.*"target":"requests","kind":"transposition","score":' ||
    fail "reqeusts JSON: $OUT"
printf '%s\n' "$OUT" | grep -q '^{"ecosystem":"pypi","name":"requests",.*"decision":"allow","reasons":\[\]}' ||
    fail "requests JSON: $OUT"
pass "check --names-only --json"

# Through pip: the fixture's reqeusts is old enough; only its name stops it.
make_venv
expect_status 10 pip install --index-url "$PYPI_URL" reqeusts
expect_in "did you mean \`requests\`?"
[ ! -e "$SITE/reqeusts" ] || fail "reqeusts installed"
pass "pip reqeusts blocked"
