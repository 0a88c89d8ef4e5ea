#!/usr/bin/env bash
# A package npm installed before that the policy blocks now (here: denied
# afterwards) still blocks, but the block says it is installed already and
# how to remove it: refusing the command does not take it off the disk.
# With real npm and the fixture registry. Not said where npm would install
# it again anyway (npm ci, which deletes node_modules), nor when
# node_modules does not really hold that version (npm's record says so,
# the package's own package.json does not), nor through a package.json
# that is a link (here to a FIFO, which must not hang the check).
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
expect_status 10 npm install --no-audit --no-fund lodash
expect_in "blocked npm left-pad@1.3.0"
expect_in "it is installed already (node_modules/left-pad), and refusing this command does not remove it"
expect_in "\`npm ls left-pad\` shows what pulls it in"
[ ! -e node_modules/lodash ] || fail "lodash installed although the command was blocked"
pass "a denied package on disk: still blocked, and the block says it is there and how to remove it"

expect_status 10 "$PKGGATE" run --json-out "$T/run.json" -- npm install --no-audit --no-fund
grep -q '"name":"left-pad".*"decision":"block".*installed already (node_modules/left-pad)' \
    "$T/run.json" || fail "--json did not say so: $(cat "$T/run.json")"
pass "--json: the block names where it is installed"

expect_status 10 npm ci --no-audit --no-fund
expect_in "blocked npm left-pad@1.3.0"
expect_not_in "installed already"
[ -f node_modules/left-pad/package.json ] || fail "npm ci ran although blocked"
pass "npm ci, which installs everything again: blocked, not said to be installed"

# A link planted at the package's package.json is not followed (a FIFO
# would otherwise hang the check).
mkfifo "$T/fifo"
mv node_modules/left-pad/package.json "$T/left-pad.json"
ln -s "$T/fifo" node_modules/left-pad/package.json
expect_status 10 npm install --no-audit --no-fund lodash
expect_not_in "installed already"
rm node_modules/left-pad/package.json
mv "$T/left-pad.json" node_modules/left-pad/package.json
pass "a package.json that is a link is not read: blocked, not said to be installed"

# npm's record says 1.3.0 is there; the package itself says otherwise.
sed -i 's/"version": *"1.3.0"/"version": "0.0.1"/' node_modules/left-pad/package.json
grep -q '"0.0.1"' node_modules/left-pad/package.json || fail "could not edit left-pad's package.json"
expect_status 10 npm install --no-audit --no-fund lodash
expect_in "blocked npm left-pad@1.3.0"
expect_not_in "installed already"
pass "not that version on disk: blocked, not said to be installed"
