#!/usr/bin/env bash
# A package npm installed before that the policy blocks now (here: denied
# afterwards) is reported as installed, with how to remove it, and no
# longer refuses every later install in the project: refusing would not
# take it off the disk. With real npm and the fixture registry. It is
# still refused where it would be installed again: npm ci (which deletes
# node_modules), and when node_modules does not hold that very version
# (npm's record says so but the package's own package.json does not).
. "$(dirname "$0")/lib.sh"
need npm
start_registry
mkdir -p app && cd app
echo '{"name":"app","version":"1.0.0"}' >package.json
export npm_config_registry="$REG_URL"

expect_status 0 npm install --no-audit --no-fund pad-wrapper
[ -f node_modules/left-pad/package.json ] || fail "left-pad (pad-wrapper's dependency) not installed"
pass "pad-wrapper and its dependency left-pad installed"

# Denying tightens: it applies without trusting the file.
echo '{"deny": ["pkg:npm/left-pad"]}' >.pkggate.json
expect_status 0 npm install --no-audit --no-fund lodash
expect_in "warning npm left-pad@1.3.0"
expect_in "installed already (node_modules/left-pad)"
expect_in "\`npm ls left-pad\` shows what pulls it in"
[ -f node_modules/lodash/package.json ] || fail "lodash not installed"
pass "a denied package on disk is reported, the next install goes ahead"

expect_status 0 "$PKGGATE" run --json-out "$T/run.json" -- npm install --no-audit --no-fund
grep -q '"name":"left-pad".*"decision":"warn".*installed already' "$T/run.json" ||
    fail "--json did not say so: $(cat "$T/run.json")"
pass "--json: a warning that names where it is installed"

expect_status 10 npm ci --no-audit --no-fund
expect_in "blocked npm left-pad@1.3.0"
[ -f node_modules/left-pad/package.json ] || fail "npm ci ran although blocked"
pass "npm ci, which installs everything again: blocked, nothing touched"

# npm's record says 1.3.0 is there; the package itself says otherwise.
sed -i 's/"version": *"1.3.0"/"version": "0.0.1"/' node_modules/left-pad/package.json
grep -q '"0.0.1"' node_modules/left-pad/package.json || fail "could not edit left-pad's package.json"
expect_status 10 npm install --no-audit --no-fund lodash
expect_in "blocked npm left-pad@1.3.0"
pass "not that version on disk: blocked"
