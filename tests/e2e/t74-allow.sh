#!/usr/bin/env bash
# The honest override: blocked -> the block message prints the exact
# `pkggate allow` command -> allow with a reason and an expiry -> installs,
# naming the exception -> after expiry (faked by an expiry in the past, not
# by sleeping) blocked again with the expiry named, also in `policy show`.
# Who and why land in the audit log; a lower layer's lock on "exceptions"
# refuses, naming the file; --project trusts a file that was its own.
. "$(dirname "$0")/lib.sh"
need npm
start_registry
export npm_config_registry="$REG_URL"
mkdir -p app && cd app
echo '{"name": "app", "version": "1.0.0"}' >package.json
USERPOL="$XDG_CONFIG_HOME/pkggate/policy.json"

expect_status 10 npm install --no-audit --no-fund fresh-lib
HINT="pkggate allow 'pkg:npm/fresh-lib@1.1.0' --rule typosquat --rule min_version_age --reason 'WHY' --for 7d"
expect_in "pkggate: to install it anyway: $HINT"
pass "the block message prints the exact allow command"

expect_status 0 "$PKGGATE" allow 'pkg:npm/fresh-lib@1.1.0' --rule typosquat --rule min_version_age \
    --reason 'reviewed by J.' --for 7d
expect_in "created $USERPOL"
[ "$(stat -c %a "$USERPOL")" = 600 ] || fail "new user policy is not 0600"
grep -q '"command":"allow".*"user":"[^"]*".*"reason":"reviewed by J."' "$PKGGATE_AUDIT_LOG" ||
    fail "the audit log lacks who and why: $(cat "$PKGGATE_AUDIT_LOG")"
expect_status 0 npm install --no-audit --no-fund fresh-lib
expect_in "allowed npm fresh-lib@1.1.0"
expect_in "(exception: reviewed by J.)"
[ -f node_modules/fresh-lib/package.json ] || fail "fresh-lib was not installed"
pass "allow with a reason and an expiry; the install goes through and names it"

python3 - "$USERPOL" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["exceptions"][-1]["expires"] = "2020-01-02"
json.dump(p, open(sys.argv[1], "w"))
PY
rm -rf node_modules
expect_status 10 npm install --no-audit --no-fund fresh-lib
expect_in "an exception for this expired on 2020-01-02"
expect_status 0 "$PKGGATE" policy show
expect_in "expired on 2020-01-02, no longer applies"
pass "an expired exception is named in the block message and in policy show"

# A lower layer that locks "exceptions": the next file may not add one.
echo '{"locked": ["exceptions"]}' >"$USERPOL"
expect_status 10 "$PKGGATE" allow 'pkg:npm/fresh-lib@1.1.0' --project --reason x
expect_in "\"exceptions\" is locked by $USERPOL"
[ ! -e .pkggate.json ] || fail "a refused allow wrote the project file"
pass "a lock on exceptions refuses, naming the file"

# --project: a new file is the person's own, so it is trusted as edited.
rm "$USERPOL"
expect_status 0 "$PKGGATE" allow 'pkg:npm/fresh-lib@1.1.0' --project --rule typosquat \
    --rule min_version_age --reason 'reviewed' --for 1d
expect_in "trusted $PWD/.pkggate.json"
expect_status 0 npm install --no-audit --no-fund fresh-lib
# Someone else's file that already loosened something stays untrusted.
echo '{"rules": {"typosquat": {"action": "off"}}}' >.pkggate.json
expect_status 0 "$PKGGATE" allow 'pkg:npm/left-pad' --project --reason 'x'
expect_in "run: pkggate policy trust $PWD/.pkggate.json"
expect_status 0 "$PKGGATE" policy show
expect_in "not trusted"
pass "--project trusts its own edit, and says what to run for a file it did not trust"

expect_status 64 "$PKGGATE" allow 'pkg:npm/x' --rule no_such_rule --reason x
expect_status 64 "$PKGGATE" allow 'pkg:npm/x'
pass "bad rules and a missing reason are usage errors"
