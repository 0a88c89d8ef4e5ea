#!/usr/bin/env bash
# A package npm installed before that the policy blocks now (here: denied
# afterwards) is not a reason to refuse every later install: pkggate asks
# npm (--dry-run) whether the command would install it again, and when npm
# leaves it alone the command goes on with a warning, every time, naming
# where it is and how to remove it. When npm would install it again (here:
# the lockfile's integrity for it changed; a copy under an npm: alias),
# when install scripts could load it (a dependent's, the project's own or
# its workspaces'; --ignore-scripts lifts that), when the command names
# it, or when something else blocks, it blocks, saying it is on disk and
# why. With real npm and the fixture registry.
# Not said where npm installs everything again (npm ci), nor when
# node_modules does not really hold that version (npm's record says so,
# the package's own package.json does not), nor through a package.json
# that is a link (here to a FIFO, which must not hang the check) or a
# folder that is a link.
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
before=$(stat -c '%i %Y' node_modules/left-pad/package.json)
cp package-lock.json "$T/lock.json"
expect_status 0 npm install --no-audit --no-fund lodash
expect_in "warning npm left-pad@1.3.0"
expect_in "it is installed already (node_modules/left-pad) and npm leaves that copy as it is (asked with --dry-run), so the install goes on"
expect_in "\`npm ls left-pad\` shows what pulls it in"
expect_not_in "blocked"
[ -f node_modules/lodash/package.json ] || fail "lodash not installed"
[ "$(stat -c '%i %Y' node_modules/left-pad/package.json)" = "$before" ] ||
    fail "left-pad was installed again"
grep -q '"lodash"' package.json || fail "the real install did not save lodash"
grep -q '"name":"left-pad",.*"version":"1.3.0".*"installed":"node_modules/left-pad","decision":"warn"' \
    "$PKGGATE_AUDIT_LOG" || fail "the audit log lacks the warning: $(cat "$PKGGATE_AUDIT_LOG")"
pass "a denied package on disk that npm leaves alone: the install goes on, with a warning"

cp package-lock.json "$T/lock.json"
expect_status 0 "$PKGGATE" run --quiet --json-out "$T/run.json" -- npm install --no-audit --no-fund
expect_in "warning npm left-pad@1.3.0"
grep -q '"name":"left-pad".*"installed":"node_modules/left-pad","decision":"warn"' \
    "$T/run.json" || fail "--json did not say so: $(cat "$T/run.json")"
pass "said again on the next install, --quiet too; --json names where it is installed"

# Named by the command itself: asked for, so blocked, not left alone.
expect_status 10 npm install --no-audit --no-fund left-pad@1.3.0
expect_in "blocked npm left-pad@1.3.0"
expect_in "it is installed already (node_modules/left-pad), and refusing this command does not remove it"
grep -q '"left-pad"' package.json && fail "the blocked command saved left-pad"
pass "the command names it: blocked, and the block says it is there"

# npm would install it again: the lockfile now wants another tarball of it.
python3 - <<'PY'
import json
d = json.load(open("package-lock.json"))
d["packages"]["node_modules/left-pad"]["integrity"] = "sha512-" + "A" * 86 + "=="
json.dump(d, open("package-lock.json", "w"), indent=2)
PY
expect_status 10 npm install --no-audit --no-fund
expect_in "blocked npm left-pad@1.3.0"
expect_in "it is installed already (node_modules/left-pad), and this command cannot go on: npm would install it again (change left-pad@1.3.0)"
[ "$(stat -c '%i %Y' node_modules/left-pad/package.json)" = "$before" ] ||
    fail "left-pad was installed again"
cmp -s package-lock.json "$T/lock.json" && fail "the test's lockfile edit was lost"
cp "$T/lock.json" package-lock.json
pass "npm would install it again: blocked, and the block says why"

# Another copy under an npm: alias is the same package again; pkggate's
# tree reuses the judged left-pad@1.3.0 there, so npm's "lp" is a name it
# did not judge, and that blocks.
expect_status 10 npm install --no-audit --no-fund alias-wrap
expect_in "this command cannot go on: npm would add lp@1.3.0, which pkggate did not judge by that name"
[ ! -e node_modules/lp ] && [ ! -e node_modules/alias-wrap ] || fail "alias-wrap installed"
pass "a copy npm would place under an alias: blocked"

# Install scripts could load it: a dependent's, or the project's own.
echo '{"deny": ["pkg:npm/left-pad"],
       "rules": {"typosquat": {"ignore": ["pkg:npm/with-postinstall"]}}}' >.pkggate.json
expect_status 10 npm install --no-audit --no-fund --no-save with-postinstall
expect_in "npm would run the install scripts of with-postinstall@1.0.0, which could load it (--ignore-scripts keeps them from running)"
[ ! -e node_modules/with-postinstall ] || fail "with-postinstall installed although blocked"
expect_status 0 npm install --no-audit --no-fund --no-save --ignore-scripts with-postinstall
expect_in "npm leaves that copy as it is"
[ -e node_modules/with-postinstall ] && [ ! -e postinstall-ran.txt ] ||
    fail "--ignore-scripts: with-postinstall not installed, or its script ran"
cp package.json "$T/package.json"
python3 - <<'PY'
import json
d = json.load(open("package.json"))
d["scripts"] = {"postinstall": "node -e \"require('left-pad')\""}
json.dump(d, open("package.json", "w"), indent=2)
PY
expect_status 10 npm install --no-audit --no-fund
expect_in "the project's own \`postinstall\` script runs during this install and could load it"
# npm runs the project's install scripts on a bare `npm install` only.
expect_status 0 npm install --no-audit --no-fund lodash
expect_in "npm leaves that copy as it is"
cp "$T/package.json" package.json
python3 - <<'PY'
import json
d = json.load(open("package.json"))
d["workspaces"] = ["pkgs/*"]
json.dump(d, open("package.json", "w"), indent=2)
PY
expect_status 10 npm install --no-audit --no-fund lodash
expect_in "npm runs the scripts of the project's workspaces and file: dependencies on every install"
cp "$T/package.json" package.json
echo '{"deny": ["pkg:npm/left-pad"]}' >.pkggate.json
pass "install scripts that could load it: blocked unless --ignore-scripts"

# Something else blocks: npm is not asked, and the block stays.
echo '{"deny": ["pkg:npm/left-pad", "pkg:npm/old-deprecated"]}' >.pkggate.json
expect_status 10 npm install --no-audit --no-fund old-deprecated
expect_in "blocked npm old-deprecated"
expect_in "it is installed already (node_modules/left-pad), and refusing this command does not remove it"
[ ! -e node_modules/old-deprecated ] || fail "old-deprecated installed although blocked"
echo '{"deny": ["pkg:npm/left-pad"]}' >.pkggate.json
pass "with another block: still blocked, and the block says it is there and how to remove it"

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

# A folder that is a link: npm runs a linked package's scripts on every install.
sed -i 's/"version": "0.0.1"/"version": "1.3.0"/' node_modules/left-pad/package.json
mv node_modules/left-pad "$T/left-pad"
ln -s "$T/left-pad" node_modules/left-pad
expect_status 10 npm install --no-audit --no-fund lodash
expect_in "blocked npm left-pad@1.3.0"
expect_not_in "installed already"
pass "a package folder that is a link: blocked, not said to be installed"
