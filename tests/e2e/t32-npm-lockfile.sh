#!/usr/bin/env bash
# Lockfiles are checked whole: `npm ci` with one too-young locked entry is
# blocked (npm itself does not re-apply an age rule to locked entries), and
# the same project with old-enough pins installs.
. "$(dirname "$0")/lib.sh"
need npm
start_registry
export npm_config_registry="$REG_URL"
mkdir -p app && cd app
echo '{"rules": {"typosquat": {"ignore": ["pkg:npm/fresh-lib"]}}}' >.pkggate.json
trust_project
cat >package.json <<'JSON'
{"name": "app", "version": "1.0.0",
 "dependencies": {"pad-wrapper": "*", "fresh-lib": "^1.0.0"}}
JSON
# Let the real npm write the lockfile, bypassing pkggate, pinned old enough.
PATH="$ORIG_PATH" npm install --package-lock-only --no-audit --no-fund \
    fresh-lib@1.0.0 pad-wrapper >/dev/null 2>&1 || fail "npm could not write a lockfile"
grep -q '"node_modules/left-pad"' package-lock.json || fail "lockfile lacks the transitive left-pad"

expect_status 0 npm ci --no-audit --no-fund
[ -f node_modules/fresh-lib/package.json ] || fail "npm ci did not install"
[ -f node_modules/left-pad/package.json ] || fail "npm ci did not install the transitive dep"
pass "npm ci with old-enough locked entries installs"

# Now one locked entry is too young.
rm -rf node_modules
cp package-lock.json good-lock.json
sed -i 's/fresh-lib-1.0.0.tgz/fresh-lib-1.1.0.tgz/; /"node_modules\/fresh-lib"/,/}/ s/"version": "1.0.0"/"version": "1.1.0"/' \
    package-lock.json
grep -q '"version": "1.1.0"' package-lock.json || fail "could not edit the lockfile"
expect_status 10 npm ci
expect_in "blocked npm fresh-lib@1.1.0"
expect_in "min_version_age"
[ ! -e node_modules ] || fail "node_modules appeared although npm ci was blocked"
pass "npm ci with a too-young locked entry is blocked"

# A bare `npm install` reads the same lockfile.
expect_status 10 npm install
expect_in "fresh-lib@1.1.0"
pass "npm install with a lockfile checks the locked entries"

# A lockfile whose integrity for a version differs from the registry's makes
# npm install another tarball (one pointed at another host, say): blocked.
cp good-lock.json package-lock.json
python3 - <<'PY'
import json
lock = json.load(open("package-lock.json"))
ent = lock["packages"]["node_modules/left-pad"]
ent["resolved"] = "http://127.0.0.1:9/left-pad/-/left-pad-1.3.0.tgz"
ent["integrity"] = "sha512-" + "A" * 86 + "=="
json.dump(lock, open("package-lock.json", "w"), indent=2)
PY
expect_status 10 npm ci
expect_in "[integrity] the lockfile's integrity"
# The same with a sha1 the attacker chose: compared with the registry's shasum.
python3 - <<'PY'
import json
lock = json.load(open("package-lock.json"))
lock["packages"]["node_modules/left-pad"]["integrity"] = "sha1-" + "A" * 27 + "="
json.dump(lock, open("package-lock.json", "w"), indent=2)
PY
expect_status 10 npm ci
expect_in "[integrity] the lockfile's integrity"
pass "a lockfile pointing at another tarball is blocked"

# A package.json range the locked version does not satisfy is resolved
# afresh by npm, so it is checked as such, not as the lockfile pins it.
cp good-lock.json package-lock.json
sed -i 's/"fresh-lib": *"^1.0.0"/"fresh-lib":"^1.1.0"/' package.json
grep -q '"fresh-lib":"^1.1.0"' package.json || fail "could not edit package.json"
expect_status 10 npm install
expect_in "fresh-lib@1.1.0"
pass "a package.json range outside the lockfile's pin is checked"
