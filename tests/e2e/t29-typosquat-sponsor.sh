#!/usr/bin/env bash
# A name a popular package depends on is its maintainers' choice, not a
# person's typo: webpack depends on minimizer-webpack-plugin, two edits
# from css-minimizer-webpack-plugin. With real npm and the fixture
# registry: when the name is months old, `npm install webpack` warns and
# installs it, also from a lockfile; a version outside webpack's range
# blocks; the same name published 2 days ago blocks the install, with
# webpack's path shown, and nothing lands; named by the person directly,
# it blocks.
. "$(dirname "$0")/lib.sh"
need npm
need python3

# registry DIR AGE_DAYS: webpack (popular, old) depending on the lookalike,
# which was first published AGE_DAYS ago.
registry() {
    mkdir -p "$1"
    python3 - "$1" "$2" <<'PY'
import json, sys
d, age = sys.argv[1], int(sys.argv[2])
w = {"ecosystem": "npm", "name": "webpack", "publisher": "sokra",
     "versions": {"5.0.0": {"age": "900d",
                            "dependencies": {"minimizer-webpack-plugin": "^5.0.0"}}}}
if age > 3:
    vs = {"5.0.%d" % i: {"age": "%dd" % (age - 20 * i)} for i in range(3)}
    vs["4.0.0"] = {"age": "%dd" % (age + 50)}
else:
    vs = {"5.0.0": {"age": "%dd" % age}}
m = {"ecosystem": "npm", "name": "minimizer-webpack-plugin", "publisher": "evil",
     "versions": vs}
for p in (w, m):
    with open("%s/npm-%s.json" % (d, p["name"]), "w") as f:
        json.dump(p, f)
PY
}

registry "$T/old" 150
registry "$T/new" 2

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

export npm_config_registry="$old_url"
expect_status 0 npm install --no-audit --no-fund webpack
expect_in "not blocked, a dependency that \`webpack\`"
[ -f node_modules/minimizer-webpack-plugin/package.json ] || fail "sponsored dependency not installed"
pass "minimizer-webpack-plugin, 5 months old, webpack's dependency: warned, installed"

expect_status 0 "$PKGGATE" run --json-out "$T/ci.json" -- npm ci --no-audit --no-fund
grep -q '"name":"minimizer-webpack-plugin".*"decision":"warn".*"sponsor":"webpack"' "$T/ci.json" ||
    fail "lockfile install did not name the sponsor: $(cat "$T/ci.json")"
pass "from the lockfile (npm ci): the same warning, sponsor in --json"

# A version outside the range webpack declares is not what its
# maintainers chose: blocked, while webpack's own copy is still vouched for.
expect_status 10 npm install --no-audit --no-fund minimizer-webpack-plugin@4.0.0
expect_in "blocked npm minimizer-webpack-plugin@4.0.0: [typosquat]"
expect_not_in "blocked npm minimizer-webpack-plugin@5"
pass "a version outside webpack's range: blocked"

# In a project that has webpack, its dependency stays vouched for; in one
# that does not, the person typed the name: blocked.
mkdir -p ../solo && cd ../solo
echo '{"name":"solo","version":"1.0.0"}' >package.json
cp ../app/.pkggate.json . && trust_project
expect_status 10 npm install --no-audit --no-fund minimizer-webpack-plugin
expect_in "[typosquat] did you mean \`css-minimizer-webpack-plugin\`?"
[ ! -e node_modules/minimizer-webpack-plugin ] || fail "unsponsored lookalike installed"
pass "named directly, with no sponsor in the run: blocked"
cd ../app && rm -rf node_modules package-lock.json
echo '{"name":"app","version":"1.0.0"}' >package.json

export npm_config_registry="$new_url"
expect_status 10 npm install --no-audit --no-fund webpack
expect_in "blocked npm minimizer-webpack-plugin@5.0.0 (webpack > minimizer-webpack-plugin): [typosquat]"
expect_in "; first published 2 days ago)"
[ ! -e node_modules/webpack ] && [ ! -e node_modules/minimizer-webpack-plugin ] ||
    fail "something was installed although the install was blocked"
pass "the lookalike first published 2 days ago: blocked with its path, nothing installed"
