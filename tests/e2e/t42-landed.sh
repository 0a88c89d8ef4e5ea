#!/usr/bin/env bash
# After an install, what landed is read back (npm: node_modules/
# .package-lock.json; pip: the venv's new *.dist-info) and anything that
# was not judged is said loudly on stderr and in the audit log: here the
# dependencies of a tarball URL (npm) and of a wheel URL (pip), which
# pkggate cannot see into. A tree judged whole stays quiet. pkggate stays
# invisible meanwhile: the tool's exit status, its death by a signal, and
# a signal sent to pkggate all come through as if the tool ran alone.
. "$(dirname "$0")/lib.sh"
need npm
make_venv
start_registry
export npm_config_registry="$REG_URL" PIP_INDEX_URL="$PYPI_URL"

fresh_app() {
    rm -rf "$T/work/app" && mkdir -p "$T/work/app" && cd "$T/work/app"
    echo '{"name":"app","version":"1.0.0"}' >package.json
    : >"$PKGGATE_AUDIT_LOG"
}

# unjudged_in_audit NAME VERSION: the audit log has the "unjudged" record.
unjudged_in_audit() {
    grep '"rule":"unjudged"' "$PKGGATE_AUDIT_LOG" | grep "\"name\":\"$1\"" |
        grep -q "\"version\":\"$2\"" || fail "audit log lacks unjudged $1@$2: $(cat "$PKGGATE_AUDIT_LOG")"
}

fresh_app
expect_status 0 npm install --no-audit --no-fund "${REG_URL}pad-wrapper/-/pad-wrapper-2.0.0.tgz"
[ -f node_modules/left-pad/package.json ] || fail "left-pad did not land: $OUT"
expect_in "pkggate: WARNING: 2 packages landed that pkggate did not judge"
expect_in "pkggate:   npm left-pad@1.3.0 (node_modules/left-pad)"
expect_in "pkggate:   npm pad-wrapper@2.0.0 (node_modules/pad-wrapper)"
unjudged_in_audit left-pad 1.3.0
unjudged_in_audit pad-wrapper 2.0.0
rm -rf node_modules package-lock.json
expect_status 0 "$PKGGATE" run --json-out "$T/v.jsonl" -- npm install --no-audit --no-fund \
    "${REG_URL}pad-wrapper/-/pad-wrapper-2.0.0.tgz"
grep '"origin":"landed"' "$T/v.jsonl" | grep '"name":"left-pad"' | grep -q '"rule":"unjudged"' ||
    fail "--json-out lacks the unjudged left-pad: $(cat "$T/v.jsonl")"
pass "npm: a tarball URL's dependency landed unjudged, and pkggate says so (stderr, audit log)"

# The same packages from the registry: judged, so nothing to say; and a
# second install keeps the earlier ones (already there) out of it.
fresh_app
expect_status 0 npm install --no-audit --no-fund pad-wrapper
[ -f node_modules/left-pad/package.json ] || fail "left-pad did not land: $OUT"
case "$OUT" in *WARNING*) fail "a tree judged whole warned: $OUT" ;; esac
expect_status 0 npm install --no-audit --no-fund left-pad@1.3.0
case "$OUT" in *WARNING*) fail "packages there before the run were reported: $OUT" ;; esac
grep -q '"rule":"unjudged"' "$PKGGATE_AUDIT_LOG" && fail "unjudged records for a judged tree"
pass "npm: a tree judged whole lands quietly"

# pip: a wheel by URL pulls requests-mini from the index, unseen.
cd "$T/work"
: >"$PKGGATE_AUDIT_LOG"
expect_status 0 pip install "http://127.0.0.1:$REG_PORT/files/dep_app-1.0.0-py3-none-any.whl"
[ -d "$SITE/requests_mini" ] || fail "requests-mini did not land: $OUT"
expect_in "pkggate: WARNING: 2 packages landed that pkggate did not judge"
expect_in "pkggate:   pypi requests-mini@2.31.0"
expect_in "pkggate check --ecosystem pypi dep-app==1.0.0 requests-mini==2.31.0"
unjudged_in_audit requests-mini 2.31.0
pass "pip: a wheel URL's dependency landed unjudged, and pkggate says so"

: >"$PKGGATE_AUDIT_LOG"
expect_status 0 pip install ptree-plat
[ -d "$SITE/ptree_leaf" ] || fail "ptree-leaf did not land: $OUT"
case "$OUT" in *WARNING*) fail "a pip tree judged whole warned: $OUT" ;; esac
grep -q '"rule":"unjudged"' "$PKGGATE_AUDIT_LOG" && fail "unjudged records for a judged pip tree"
pass "pip: a tree judged whole lands quietly"

# A stand-in npm: writes what it "installed" (left-pad, judged, and
# stray@6.6.6, not), then exits, dies or waits as told.
mkdir -p "$T/fake"
cat >"$T/fake/npm" <<'PY'
#!/usr/bin/env python3
import json, os, signal, sys, time
if len(sys.argv) > 1 and sys.argv[1] in ("--version", "-v"):
    print("11.0.0"); sys.exit(0)
os.makedirs("node_modules", exist_ok=True)
with open("node_modules/.package-lock.json", "w") as f:
    json.dump({"name": "app", "lockfileVersion": 3, "packages": {
        "node_modules/left-pad": {"version": "1.3.0"},
        "node_modules/stray": {"version": "6.6.6"}}}, f)
mode = os.environ.get("FAKE_MODE", "")
if mode == "exit":
    sys.exit(3)
if mode == "die":
    os.kill(os.getpid(), signal.SIGTERM)
if mode == "wait":
    def term(*_):
        open("got-term", "w").write("TERM")
        sys.exit(42)
    signal.signal(signal.SIGTERM, term)
    open("ready", "w").write("1")
    for _ in range(1200):
        time.sleep(0.1)
    sys.exit(9)
PY
chmod +x "$T/fake/npm"
export PKGGATE_REAL_NPM="$T/fake/npm"

fresh_app
FAKE_MODE=exit expect_status 3 npm install left-pad
expect_in "pkggate:   npm stray@6.6.6 (node_modules/stray)"
case "$OUT" in *"left-pad@1.3.0 (node"*) fail "a judged package was reported: $OUT" ;; esac
pass "the tool's exit status comes through, after the report"

fresh_app
rc=$(FAKE_MODE=die python3 -c '
import subprocess, sys
print(subprocess.run(sys.argv[1:], stderr=subprocess.DEVNULL).returncode)' npm install left-pad)
[ "$rc" = "-15" ] || fail "a tool killed by SIGTERM: pkggate ended with $rc, wanted death by signal 15"
pass "death by a signal comes through as death by the same signal"

fresh_app
FAKE_MODE=wait npm install left-pad 2>"$T/wait.err" &
pid=$!
PG_BG_PIDS="${PG_BG_PIDS:-} $pid"
wait_file ready "$pid" || fail "the stand-in did not start: $(cat "$T/wait.err")"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 42 ] || fail "after SIGTERM to pkggate: exit $rc, wanted the tool's 42: $(cat "$T/wait.err")"
[ "$(cat got-term 2>/dev/null)" = TERM ] || fail "SIGTERM sent to pkggate did not reach the tool"
grep -q "stray@6.6.6" "$T/wait.err" || fail "no report after a forwarded signal: $(cat "$T/wait.err")"
pass "a signal sent to pkggate reaches the tool"
