#!/usr/bin/env bash
# The whole pip tree through the real pip: a too-young or denied project
# below what the command names blocks the install before pip starts,
# naming its path, and nothing lands; markers are evaluated for pip's own
# interpreter (a python_version < "3.8" dependency is not judged, a
# sys_platform == "linux" one is); extras pull their requirements; an
# installed distribution that satisfies a requirement is kept, not judged;
# --no-deps judges no tree; and every name@version `pip install --dry-run
# --report` would install was judged.
. "$(dirname "$0")/lib.sh"
make_venv
start_registry
export PIP_INDEX_URL="$PYPI_URL" PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_CONFIG_FILE=/dev/null
unset PIP_FIND_LINKS PIP_CERT REQUESTS_CA_BUNDLE CURL_CA_BUNDLE
mkdir -p "$T/work" && cd "$T/work"

nothing_landed() {
    for m in "$@"; do
        [ ! -e "$SITE/$m" ] || fail "$m appeared although blocked"
    done
    grep -q '^GET /files/[^ ]*\.whl ' "$REG_STATE/requests.log" &&
        fail "pip downloaded a wheel although blocked"
    return 0
}

: >"$REG_STATE/requests.log"
expect_status 10 pip install ptree-top
expect_in "blocked pypi ptree-young@1.0.0 (ptree-top > ptree-mid > ptree-young): [min_version_age]"
nothing_landed ptree_top ptree_mid ptree_young
grep -q '^GET /pypi/ptree-mid/1.0.0/json ' "$REG_STATE/requests.log" ||
    fail "ptree-mid's dependencies were not read from the JSON API"
grep -q '^GET /files/ptree_top-1.0.0-py3-none-any.whl.metadata ' "$REG_STATE/requests.log" ||
    fail "ptree-top's dependencies were not read from its PEP 658 metadata file"
pass "a too-young dependency two levels down blocks, with its path (metadata file, JSON API)"

expect_status 10 "$PKGGATE" run --json -- pip install ptree-top
printf '%s\n' "$OUT" | grep '"name":"ptree-young"' | grep -q '"path":\["ptree-top","ptree-mid"\]' ||
    fail "--json lacks the path of ptree-young: $OUT"
pass "--json names the path of a pip dependency"

echo '{"deny": ["pkg:pypi/ptree-evil"]}' >.pkggate.json
: >"$REG_STATE/requests.log"
expect_status 10 pip install ptree-deny-top
expect_in "(ptree-deny-top > ptree-evil): [deny]"
nothing_landed ptree_deny_top ptree_evil
rm .pkggate.json
pass "a denied dependency blocks"

expect_status 10 pip install ptree-undec
expect_in "ptree-sdist==1.0.0 (ptree-undec > ptree-sdist): no metadata says what it depends on"
pass "an sdist-only dependency without metadata is undecidable"

# --no-deps: pip installs the named project alone, so only it is judged.
expect_status 0 pip install --no-deps ptree-top
[ -f "$SITE/ptree_top/__init__.py" ] || fail "ptree-top not installed with --no-deps"
[ ! -e "$SITE/ptree_mid" ] || fail "--no-deps installed a dependency"
pass "--no-deps judges no tree"

# ptree-kept 1.0.0 installed: pip keeps it, so its too-young 2.0.0 is
# neither installed nor judged.
expect_status 0 pip install 'ptree-kept==1.0.0'
"$PKGGATE" run --json -- pip install --dry-run --report "$T/report.json" 'ptree-ok[fancy]' \
    >judged.jsonl 2>judged.err || fail "ptree-ok blocked: $(cat judged.err judged.jsonl)"
python3 - "$T/report.json" <<'PY' || fail "judged set differs from pip's report: $(cat judged.jsonl)"
import json, re, sys
report = json.load(open(sys.argv[1]))
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
would = {(norm(i["metadata"]["name"]), i["metadata"]["version"]) for i in report["install"]}
judged = set()
for line in open("judged.jsonl"):
    if line.startswith("{"):
        v = json.loads(line)
        judged.add((norm(v["name"]), v.get("version")))
missing = would - judged
if missing:
    sys.exit("pip would install but pkggate did not judge: %s" % sorted(missing))
for name in ("ptree-oldpy", "ptree-kept"):
    if any(n == name for n, _ in judged):
        sys.exit("%s was judged: %s" % (name, sorted(judged)))
for name in ("ptree-plat", "ptree-fancy", "ptree-leaf"):
    if not any(n == name for n, _ in judged):
        sys.exit("%s was not judged" % name)
print("pip would install %d, pkggate judged %d" % (len(would), len(judged)))
PY
pass "markers, extras and an installed dependency: every distribution pip would install was judged"

expect_status 0 pip install 'ptree-ok[fancy]'
for m in ptree_ok ptree_leaf ptree_plat ptree_fancy; do
    [ -f "$SITE/$m/__init__.py" ] || fail "$m not installed"
done
[ ! -e "$SITE/ptree_oldpy" ] || fail "a python_version < 3.8 dependency was installed"
"$T/venv/bin/python" -c 'import ptree_kept; assert ptree_kept.__version__ == "1.0.0"' ||
    fail "pip replaced the installed ptree-kept"
pass "the clean tree installs, keeping the installed dependency"
