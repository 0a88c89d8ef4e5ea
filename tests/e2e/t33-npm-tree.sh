#!/usr/bin/env bash
# The whole tree through the real npm: a too-young, denied, typosquatted
# or badly signed package two levels below what the command names blocks
# the install before npm starts, naming its path, and nothing lands; a
# clean tree installs, and what pkggate judged covers every entry npm
# writes to package-lock.json.
. "$(dirname "$0")/lib.sh"
need npm
start_registry
export npm_config_registry="$REG_URL"

fresh_app() {
    rm -rf "$T/work/app" && mkdir -p "$T/work/app" && cd "$T/work/app"
    echo '{"name":"app","version":"1.0.0"}' >package.json
    : >"$REG_STATE/requests.log" # what each case fetched, alone
}

nothing_landed() {
    [ ! -e node_modules ] || fail "node_modules appeared although blocked"
    grep -q '\.tgz ' "$REG_STATE/requests.log" && fail "npm fetched a tarball although blocked"
    return 0
}

fresh_app
expect_status 10 npm install tree-top
expect_in "blocked npm tree-leaf@1.1.0 (tree-top > tree-mid > tree-leaf): [min_version_age]"
nothing_landed
pass "a too-young version two levels down blocks, with its path"

expect_status 10 "$PKGGATE" run --json -- npm install tree-top
printf '%s\n' "$OUT" | grep '"name":"tree-leaf"' | grep -q '"path":\["tree-top","tree-mid"\]' ||
    fail "--json lacks the path of tree-leaf: $OUT"
printf '%s\n' "$OUT" | grep '"name":"tree-top"' | grep -q '"path"' &&
    fail "a direct package carries a path: $OUT"
pass "--json names the path of a dependency, not of a direct package"

echo '{"deny": ["pkg:npm/tree-leaf"]}' >.pkggate.json
expect_status 10 npm install tree-top
expect_in "blocked npm tree-leaf (tree-top > tree-mid > tree-leaf): [deny]"
nothing_landed
pass "a denied package two levels down blocks"

fresh_app
expect_status 10 npm install tree-typo-top
expect_in "blocked npm exprss@1.0.0 (tree-typo-top > tree-typo-mid > exprss): [typosquat]"
nothing_landed
pass "a typosquat two levels down blocks"

fresh_app
expect_status 10 npm install tree-sig-top
expect_in "blocked npm sig-tampered@1.0.0 (tree-sig-top > tree-sig-mid > sig-tampered): [registry_signature]"
nothing_landed
pass "a bad registry signature two levels down blocks"

# The clean tree: a cycle, a peer, an optional dependency, an optional peer.
fresh_app
"$PKGGATE" run --json -- npm install --package-lock-only --ignore-scripts --no-audit --no-fund \
    tree-clean >judged.jsonl 2>judged.err || fail "tree-clean blocked: $(cat judged.err)"
python3 - <<'PY' 2>&1 || fail "pkggate did not judge every package npm locked: $(cat judged.err; cat judged.jsonl)"
import json, sys
lock = json.load(open("package-lock.json"))
locked = {(e.get("name") or k.rsplit("node_modules/", 1)[1], e["version"])
          for k, e in lock["packages"].items() if k}
judged = set()
for line in open("judged.jsonl"):
    if not line.startswith("{"):
        continue  # npm's own output, after pkggate's
    v = json.loads(line)
    judged.add((v["name"], v.get("version")))
missing = locked - judged
if missing:
    sys.exit("locked but not judged: %s" % sorted(missing))
if ("tree-peer-opt", "1.0.0") in judged:
    sys.exit("an optional peer nobody installs was judged")
print("locked %d, judged %d" % (len(locked), len(judged)))
PY
grep -q '"name":"tree-cycle-b".*"path":\["tree-clean","tree-cycle-a"\]' judged.jsonl ||
    fail "the cycle's second package lacks its path"
pass "every package of the lockfile was judged"

rm -f package-lock.json
expect_status 0 npm install --no-audit --no-fund tree-clean
for p in tree-clean tree-cycle-a tree-cycle-b tree-peer tree-opt pad-wrapper left-pad; do
    [ -f "node_modules/$p/package.json" ] || fail "$p not installed"
done
pass "a clean tree installs"

# npm install <name> in a project also installs package.json's
# dependencies: the tree below them is judged too.
fresh_app
echo '{"name":"app","version":"1.0.0","dependencies":{"tree-top":"^1.0.0"}}' >package.json
expect_status 10 npm install left-pad
expect_in "(tree-top > tree-mid > tree-leaf)"
nothing_landed
pass "package.json's dependencies and their tree are judged on npm install <name>"

# npx: the package's tree too.
fresh_app
expect_status 10 npx --yes tree-top
expect_in "(tree-top > tree-mid > tree-leaf)"
pass "npx judges the tree of the package it runs"
