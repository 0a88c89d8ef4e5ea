#!/usr/bin/env bash
# A fresh name one letter from a popular package is a companion, not a
# squat, when the account that published it maintains the popular package
# (the registry's _npmUser of the candidate version against the target's
# maintainers): a warning, and it installs. Published by anyone else it
# stays blocked, even when its own packument lists the target's maintainer
# (npm owner add needs no consent, so the candidate's maintainers prove
# nothing).
. "$(dirname "$0")/lib.sh"
need npm
need python3

# fixture NAME PUBLISHER MAINTAINERS...: one release, 10 days old.
fixture() {
    python3 - "$@" <<'PY'
import json, sys
name, pub, maint = sys.argv[1], sys.argv[2], sys.argv[3:]
print(json.dumps({"ecosystem": "npm", "name": name, "publisher": pub,
                  "maintainers": maint, "versions": {"1.0.0": {"age": "10d"}}}))
PY
}

mkdir -p "$T/pkgs"
# express: maintained by dougwilson and wesleytodd (tests/fixture/packages).
cp "$PG_SOURCE_DIR/tests/fixture/packages/npm-express.json" "$T/pkgs/"
fixture exprses dougwilson dougwilson >"$T/pkgs/npm-exprses.json"
fixture expross mallory mallory dougwilson >"$T/pkgs/npm-expross.json"
REG_STATE="$T/registry"
start_fixture_registry port "$T/pkgs" "$REG_STATE"
export npm_config_registry="http://127.0.0.1:$port/"

mkdir -p app && cd app
echo '{"name":"app","version":"1.0.0"}' >package.json

# Offline there is no publisher to compare: blocked by name alone.
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm exprses
expect_in "did you mean \`express\`?"
pass "names only: exprses blocked"

expect_status 0 "$PKGGATE" check --json --ecosystem npm exprses
printf '%s\n' "$OUT" | grep -q '"decision":"warn".*"established":false.*"companion":true,"publisher":"dougwilson"' ||
    fail "companion JSON: $OUT"
expect_status 0 npm install --no-audit --no-fund exprses
expect_in "not blocked, a companion: \`dougwilson\` published \`exprses@1.0.0\` and maintains \`express\`"
[ -f node_modules/exprses/package.json ] || fail "companion exprses not installed"
# The target's packument is asked for only for a flagged name, and once a
# day at most: its facts record answers the next check (the schedule of the
# policy's "revalidate", as for a pinned version: nothing installs it).
n=$(grep -c '^GET /express ' "$REG_STATE/requests.log" || true)
[ "$n" = 1 ] || fail "express asked $n times for two checks: $(cat "$REG_STATE/requests.log")"
pass "exprses by express's maintainer: warned, installed"
rm -rf node_modules package-lock.json

expect_status 10 npm install --no-audit --no-fund expross
expect_in "[typosquat] did you mean \`express\`?"
[ ! -e node_modules/expross ] || fail "expross installed"
expect_status 10 "$PKGGATE" check --json --ecosystem npm expross
printf '%s\n' "$OUT" | grep -q '"decision":"block".*"companion":false,"publisher":"mallory"' ||
    fail "non-companion JSON: $OUT"
pass "expross by someone else (listing express's maintainer as its own): blocked"
