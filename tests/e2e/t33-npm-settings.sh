#!/usr/bin/env bash
# npm settings that change what is installed, wherever npm reads them
# (argv, npm_config_*, project/user .npmrc): pkggate must judge what npm
# will really install, or block. Each case below was a silent exit 0 with
# a too-young version installed.
. "$(dirname "$0")/lib.sh"
need npm
start_registry
export npm_config_registry="$REG_URL"
export npm_config_ignore_scripts=true

# new_project DIR DEPS_JSON: a project with a trusted policy that lets the
# fixture names through the typosquat rule.
new_project() {
    mkdir -p "$T/work/$1" && cd "$T/work/$1"
    echo '{"rules": {"typosquat": {"ignore": ["pkg:npm/fresh-lib", "pkg:npm/tagged-next",
          "pkg:npm/engine-lib", "pkg:npm/left-pad"]}}}' >.pkggate.json
    trust_project
    printf '{"name": "%s", "version": "1.0.0", "dependencies": %s}\n' "$1" "$2" >package.json
}

# A lockfile pinning fresh-lib 1.0.0 (old enough) under the range ^1.0.0,
# written by the real npm without pkggate.
locked_project() {
    new_project "$1" '{}'
    PATH="$ORIG_PATH" npm install --package-lock-only fresh-lib@1.0.0 >/dev/null 2>&1 ||
        fail "npm could not write a lockfile"
    grep -q "\"fresh-lib\": *\"^1.0.0\"" package.json || fail "package.json lacks ^1.0.0"
}

# 1. npm update ignores the lock for what it updates: it takes the newest in range.
locked_project upd
expect_status 0 npm ci
for cmd in "update" "up fresh-lib" "upgrade fresh-lib"; do
    expect_status 10 npm $cmd
    expect_in "fresh-lib@1.1.0"
done
grep -q '"version": "1.0.0"' node_modules/fresh-lib/package.json || fail "update was not blocked"
pass "npm update judges the newest version in the package.json range, not the lock"

# 2. package-lock=false: npm neither reads nor writes the lockfile.
locked_project nolock
echo 'package-lock=false' >.npmrc
expect_status 10 npm install
expect_in "fresh-lib@1.1.0"
rm .npmrc
npm_config_package_lock=false expect_status 10 npm install
expect_in "fresh-lib@1.1.0"
[ ! -e node_modules ] || fail "node_modules appeared"
pass "package-lock=false in .npmrc or the environment ignores the lockfile"

# 3. tag=next: a bare name resolves through that dist-tag.
new_project tagged '{}'
echo 'tag=next' >.npmrc
expect_status 10 npm install tagged-next
expect_in "tagged-next@2.0.0-beta.1"
rm .npmrc
npm_config_tag=next expect_status 10 npm install tagged-next
expect_in "tagged-next@2.0.0-beta.1"
expect_status 0 npm install tagged-next
grep -q '"version": "1.0.0"' node_modules/tagged-next/package.json || fail "latest not installed"
pass "tag in .npmrc or the environment is the default dist-tag"

# 4. A project .npmrc that starts with a UTF-8 BOM: npm's ini trims it off
# the first key (JavaScript's trim() counts U+FEFF as white space).
new_project bom '{}'
echo "registry=http://127.0.0.1:9/" >"$HOME/.npmrc"
printf '\xef\xbb\xbfregistry=%s\n' "$REG_URL" >.npmrc
env -u npm_config_registry npm config get registry | grep -qx "$REG_URL" ||
    fail "npm does not read the BOM line as this test assumes"
env -u npm_config_registry "$(command -v npm)" install fresh-lib >"$T/bom.out" 2>&1 &&
    fail "installed: $(cat "$T/bom.out")"
OUT=$(cat "$T/bom.out")
expect_in "fresh-lib@1.1.0"
rm "$HOME/.npmrc"
pass "a BOM before the first setting of .npmrc does not hide it"

# 5. Workspaces: every workspace's dependencies are installed.
new_project ws '{"left-pad": "^1.0.0"}'
python3 - <<'PY'
import json
p = json.load(open("package.json")); p["workspaces"] = ["packages/*", "tools/cli"]
json.dump(p, open("package.json", "w"))
PY
mkdir -p packages/a packages/b tools/cli
echo '{"name": "a", "version": "1.0.0", "dependencies": {"fresh-lib": "^1.0.0"}}' >packages/a/package.json
echo '{"name": "b", "version": "1.0.0", "dependencies": {"left-pad": "1.3.0"}}' >packages/b/package.json
echo '{"name": "cli", "version": "1.0.0", "dependencies": {"tagged-next": "*"}}' >tools/cli/package.json
expect_status 10 npm install
expect_in "fresh-lib@1.1.0"
expect_status 10 npm install -w a
expect_in "fresh-lib@1.1.0"
expect_status 10 npm install --workspace=packages/a
expect_in "fresh-lib@1.1.0"
expect_status 0 npm install --package-lock-only -w b
rm -f package-lock.json
expect_status 0 npm install --package-lock-only -w cli
[ ! -e node_modules ] || fail "node_modules appeared"
pass "workspace dependencies are judged (all, or the ones -w selects)"

# 6. engines: npm prefers versions whose engines.node fits the running node.
new_project eng '{}'
expect_status 10 npm install engine-lib
expect_in "engine-lib@1.1.0"
pass "a latest version whose engines exclude this node is not the one judged"

# 7. before / min-release-age are modelled; settings that change resolution
# and are not modelled follow unknown_arguments, naming where they were set.
new_project before '{}'
expect_status 0 npm install --package-lock-only fresh-lib --before="$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)"
grep -q "\"fresh-lib\": *\"^1.0.0\"" package.json || fail "before: npm did not take 1.0.0"
echo 'min-release-age=1' >.npmrc
expect_status 0 npm install --package-lock-only left-pad fresh-lib@^1
grep -q 'fresh-lib-1.0.0.tgz' package-lock.json || fail "min-release-age: npm did not take 1.0.0"
echo 'prefer-offline=true' >.npmrc
expect_status 10 npm install fresh-lib@1.0.0
expect_in "prefer-offline"
expect_in "$PWD/.npmrc"
rm .npmrc
npm_config_min_release_age_exclude=fresh-lib expect_status 10 npm install left-pad
expect_in "min-release-age-exclude"
expect_in "npm_config_"
pass "before/min-release-age are applied; unmodelled settings are blocked by name and place"

# 8. ignore-scripts, wherever npm reads it: no install script will run, so
# install_scripts (here: block) has nothing to say; without it, it blocks.
new_project scripts '{}'
echo '{"rules": {"install_scripts": {"action": "block"},
       "typosquat": {"ignore": ["pkg:npm/with-postinstall"]}}}' >.pkggate.json
trust_project
env -u npm_config_ignore_scripts "$(command -v npm)" install with-postinstall >"$T/scripts.out" 2>&1 &&
    fail "installed with scripts on: $(cat "$T/scripts.out")"
OUT=$(cat "$T/scripts.out")
expect_in "install_scripts"
[ ! -e node_modules ] || fail "node_modules appeared"
expect_status 0 npm install --package-lock-only with-postinstall
rm -f package-lock.json
expect_status 0 env -u npm_config_ignore_scripts npm install --ignore-scripts --package-lock-only with-postinstall
rm -f package-lock.json
echo 'ignore-scripts=true' >.npmrc
expect_status 0 env -u npm_config_ignore_scripts npm install with-postinstall
[ ! -e node_modules/with-postinstall/postinstall-ran.txt ] || fail "the postinstall script ran"
pass "install_scripts is silent when npm ignores scripts (argv, .npmrc, npm_config_)"
