#!/usr/bin/env bash
# pkggate report: on a generated audit log of 10,000 decisions
# (bench/mkaudit.py, which prints what must be counted) the totals, the
# by-rule table and the exceptions used agree; --since drops older runs;
# exceptions of the policy that expire within 14 days are listed, later
# ones not; a name with an escape sequence is shown with '?'. The time
# target (under 100 ms) is bench/report.sh's, on a Release build.
. "$(dirname "$0")/lib.sh"
need python3
want=$(python3 "$PG_SOURCE_DIR/bench/mkaudit.py" "$PKGGATE_AUDIT_LOG" 10000)
soon=$(date -u -d '+5 days' +%Y-%m-%d)
later=$(date -u -d '+40 days' +%Y-%m-%d)
mkdir -p "$XDG_CONFIG_HOME/pkggate"
cat >"$XDG_CONFIG_HOME/pkggate/policy.json" <<JSON
{"exceptions": [
  {"package": "pkg:npm/soon-lib", "rules": ["min_version_age"], "reason": "r1", "expires": "$soon"},
  {"package": "pkg:npm/later-lib", "rules": "*", "reason": "r2", "expires": "$later"}]}
JSON

expect_status 0 "$PKGGATE" report --json
printf '%s\n' "$OUT" >"$T/report.json"
python3 - "$T/report.json" "$want" "$soon" <<'PY' || fail "report --json: $(head -c 2000 "$T/report.json")"
import json, sys
r, want, soon = json.load(open(sys.argv[1])), json.loads(sys.argv[2]), sys.argv[3]
t = r["totals"]
for k in ("decisions", "blocked", "warned", "allowed", "runs"):
    assert t[k] == want[k], (k, t[k], want[k])
rules = {x["key"]: x["blocked"] + x["warned"] for x in r["by_rule"]}
assert rules == want["by_rule"], (rules, want["by_rule"])
assert t["exception_uses"] == want["used"], (t, want["used"])
assert len(r["exceptions_used"]) == 20 and r["distinct"]["exceptions_used"] == want["used"]
assert r["by_project"][0]["blocked"] >= r["by_project"][-1]["blocked"]
exp = r["exceptions_expiring"]
assert [e["package"] for e in exp] == ["pkg:npm/soon-lib"], exp
assert exp[0]["until"] == soon and exp[0]["rules"] == "min_version_age", exp
assert r["policy"]["layers"][0] == "built-in default" and "org" not in r["policy"], r["policy"]
PY
pass "totals, rules, exceptions used and expiring agree with the generated log"

expect_status 0 "$PKGGATE" report --since all --json
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); w=json.loads(sys.argv[2]); assert r["totals"]["decisions"] == w["decisions"] + w["old"], r["totals"]' \
    "$OUT" "$want" || fail "--since all does not count every decision"
pass "--since all counts the older runs too"

expect_status 0 "$PKGGATE" report
for s in "pkggate report since " "blocked/warned by rule" "by package" "by project" \
    "exceptions used" "exceptions expiring within 14 days: 1" "pkg:npm/soon-lib [min_version_age] until $soon" \
    "policy: mode enforce, syslog off; layers: built-in default > " "org policy: not pinned"; do
    expect_in "$s"
done
[ "$(printf '%s\n' "$OUT" | wc -l)" -le 50 ] || fail "the table is longer than a screen: $OUT"
pass "the table fits a screen and names every section"

# Names come from registries and argv: a terminal sees no escape sequence.
printf '{"time":"%s","tool":"npm","command":"install","pid":1,"project":"/p","ecosystem":"npm","name":"ev\\u001b[2Jil","decision":"block","reasons":[{"rule":"deny","action":"block","message":"m"}]}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$PKGGATE_AUDIT_LOG"
echo 'not json' >>"$PKGGATE_AUDIT_LOG"
expect_status 0 "$PKGGATE" report
expect_in "npm ev?[2Jil"
expect_in "(1 lines not read)"
case "$OUT" in *$'\033'*) fail "an escape character reached the terminal" ;; esac
pass "control characters are shown as '?', unreadable lines counted"

expect_status 64 "$PKGGATE" report --since soon
expect_status 0 "$PKGGATE" report --help
pass "a bad --since is a usage error"
