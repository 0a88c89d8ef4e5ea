#!/usr/bin/env bash
# Machine output that composes: `pkggate run --json-out FILE` writes the
# verdicts to FILE (or /dev/fd/N) and leaves the tool's stdout to the tool;
# `--json` still puts them on stdout; and `npm install --json` that pkggate
# blocks prints npm's own error object on stdout, so a program parsing
# npm's JSON sees why nothing was installed.
. "$(dirname "$0")/lib.sh"
need npm
start_registry
export npm_config_registry="$REG_URL"
mkdir -p app && cd app
echo '{"name": "app", "version": "1.0.0"}' >package.json

"$PKGGATE" run --json-out "$T/v.jsonl" -- npm install --no-audit --no-fund left-pad \
    >"$T/stdout" 2>"$T/stderr" || fail "install failed: $(cat "$T/stderr")"
grep -q '"decision"' "$T/stdout" && fail "verdicts leaked onto the tool's stdout: $(cat "$T/stdout")"
grep -q 'added 1 package' "$T/stdout" || fail "npm's own output is missing: $(cat "$T/stdout")"
grep -q '"name":"left-pad".*"decision":"allow"' "$T/v.jsonl" || fail "no verdict in FILE: $(cat "$T/v.jsonl")"
pass "--json-out FILE: verdicts in FILE, npm's stdout untouched"

"$PKGGATE" run --json-out /dev/fd/3 -- npm install --no-audit --no-fund left-pad \
    3>"$T/fd3" >"$T/stdout" 2>/dev/null || fail "install failed"
grep -q '"name":"left-pad"' "$T/fd3" || fail "no verdict on fd 3"
OUT=$("$PKGGATE" run --json -- npm install --no-audit --no-fund left-pad 2>/dev/null)
printf '%s\n' "$OUT" | grep -q '"name":"left-pad"' || fail "--json no longer on stdout: $OUT"
pass "--json-out /dev/fd/3 works; --json still writes stdout"

got=0
npm install --json --no-audit --no-fund exprss >"$T/stdout" 2>"$T/stderr" || got=$?
[ "$got" = 10 ] || fail "blocked npm install --json exited $got"
python3 - "$T/stdout" <<'PY' || fail "no npm error object on stdout: $(cat "$T/stdout")"
import json, sys
e = json.load(open(sys.argv[1]))["error"]
assert e["code"] == "EPKGGATE", e
assert "exprss" in e["detail"] and "typosquat" in e["detail"], e
assert e["summary"], e
PY
got=0
npm install --no-audit --no-fund exprss >"$T/stdout" 2>/dev/null || got=$?
[ "$got" = 10 ] && [ ! -s "$T/stdout" ] || fail "without --json stdout should stay empty: $(cat "$T/stdout")"
pass "npm install --json, blocked: npm's error shape on stdout"
