#!/usr/bin/env bash
# The registry rules through the real npm against the fixture registry:
# old enough installs, too young is blocked with the pin that passes,
# a name that does not exist is blocked, an exception lets one through.
. "$(dirname "$0")/lib.sh"
need npm
start_registry
mkdir -p app && cd app
echo '{"name":"app","version":"1.0.0"}' >package.json
export npm_config_registry="$REG_URL"
# fresh-lib is "fresh" plus "-lib" to the typosquat rule; silence that
# here, as a project would, to see the age rules alone.
echo '{"rules": {"typosquat": {"ignore": ["pkg:npm/fresh-lib"]}}}' >.pkggate.json
trust_project

expect_status 0 npm install --no-audit --no-fund left-pad
[ -f node_modules/left-pad/package.json ] || fail "left-pad not installed"
pass "old-enough package installed"

expect_status 10 npm install fresh-lib
expect_in "blocked npm fresh-lib@1.1.0"
expect_in "min_version_age"
expect_in "npm install fresh-lib@1.0.0"
[ ! -e node_modules/fresh-lib ] || fail "fresh-lib appeared although blocked"
grep -q 'fresh-lib/-/fresh-lib-1.1.0.tgz' "$REG_STATE/requests.log" &&
    fail "npm fetched the blocked tarball"
pass "too-young version blocked with the pin suggestion"

expect_status 0 npm install --no-audit --no-fund fresh-lib@1.0.0
[ -f node_modules/fresh-lib/package.json ] || fail "fresh-lib@1.0.0 not installed"
pass "the suggested pin installs"

expect_status 10 npm install no-such-package-here
expect_in "unknown_package"
pass "nonexistent name blocked"

# --registry on the command line wins over the environment.
unset npm_config_registry
expect_status 10 npm install --registry "$REG_URL" fresh-lib@^1.1
expect_in "fresh-lib@1.1.0"
pass "--registry honoured"
export npm_config_registry="$REG_URL"

cat >.pkggate.json <<JSON
{"rules": {"typosquat": {"ignore": ["pkg:npm/fresh-lib"]}},
 "exceptions": [{"package": "pkg:npm/fresh-lib@1.1.0", "rules": ["min_version_age"],
                 "reason": "urgent fix, reviewed"}]}
JSON
trust_project
expect_status 0 npm install --no-audit --no-fund fresh-lib@1.1.0
grep -q '"version": "1.1.0"' node_modules/fresh-lib/package.json || fail "1.1.0 not installed"
pass "an exception lets the young version through"

# npm uninstall reifies the whole tree: what stays and is missing gets
# installed, so it is checked (but not what is being removed).
mkdir -p ../app2 && cd ../app2
echo '{"name":"app2","version":"1.0.0","dependencies":{"left-pad":"1.3.0","fresh-lib":"1.0.0"}}' >package.json
echo '{"deny": ["pkg:npm/left-pad"], "rules": {"typosquat": {"ignore": ["pkg:npm/fresh-lib"]}}}' >.pkggate.json
trust_project
expect_status 10 npm uninstall fresh-lib
expect_in "blocked npm left-pad"
[ ! -e node_modules/left-pad ] || fail "left-pad installed by npm uninstall"
expect_status 0 npm uninstall --no-audit --no-fund left-pad
pass "npm uninstall checks what it would install, not what it removes"
