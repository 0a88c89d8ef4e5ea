#!/usr/bin/env bash
# Decisions to syslog ("syslog": "on"): each message reaches a socket the
# test owns (PKGGATE_SYSLOG_SOCKET), framed as syslog(3) frames it, with
# the audit fields as JSON after "@cee:"; no secret and no control
# character gets through; a 5,000-entry lockfile sends one summary plus
# the decisions that are not plain allows; "off" sends nothing.
. "$(dirname "$0")/lib.sh"
need python3
need npm
mkdir -p "$XDG_CONFIG_HOME/pkggate"
USERPOL="$XDG_CONFIG_HOME/pkggate/policy.json"
export PKGGATE_SYSLOG_SOCKET="$T/log.sock"
export npm_config_registry="http://127.0.0.1:9/"

# listen: start the stand-in syslogd; collect: stop it, messages in $T/msgs.
listen() {
    rm -f "$T/log.sock" "$T/ready" "$T/msgs"
    bg_start "$T/msgs.out" "$T/msgs.err" python3 "$PG_SOURCE_DIR/tests/e2e/syslogd.py" \
        "$T/log.sock" "$T/msgs" "$T/ready"
    SYSLOGD=$BG_PID
    wait_file "$T/ready" "$SYSLOGD" || true
    [ -e "$T/ready" ] || fail "syslogd stand-in did not start: $(cat "$T/msgs.err")"
}
collect() {
    python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM); s.sendto(b"END",sys.argv[1])' \
        "$T/log.sock"
    wait "$SYSLOGD" || fail "syslogd stand-in failed: $(cat "$T/msgs.err")"
}
# check_msgs PY: run python over the messages (list `msgs` of (pri, obj)); its asserts fail the test.
check_msgs() {
    python3 - "$T/msgs" "$1" <<'PY' || fail "messages: $(head -c 3000 "$T/msgs")"
import json, re, sys
lines = open(sys.argv[1], "rb").read().decode("ascii").splitlines()
msgs = []
for l in lines:
    assert all(0x20 <= ord(c) < 0x7f for c in l), "control or non-ASCII character: %r" % l
    m = re.fullmatch(r"<(\d+)>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d pkggate\[(\d+)\]: @cee:(\{.*\})", l)
    assert m, "not syslog framing: %r" % l
    msgs.append((int(m.group(1)), json.loads(m.group(3))))
exec(sys.argv[2])
PY
}

# A small run: every decision is a message, fields as in the audit log.
echo '{"syslog": "on", "deny": ["pkg:npm/left-pad"]}' >"$USERPOL"
listen
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm left-pad lodash expres \
    'git+https://alice:s3cr3tT0ken@git.example.com/x.git' "$(printf 'git+https://git.example.com/e\033[31mvil.git')"
collect
grep -q s3cr3tT0ken "$PKGGATE_AUDIT_LOG" && fail "the audit log holds the secret"
grep -q s3cr3tT0ken "$T/msgs" && fail "a syslog message holds the secret"
check_msgs '
assert len(msgs) == 5, len(msgs)
by = {o["name"]: (p, o) for p, o in msgs}
p, o = by["left-pad"]
assert p == 8 + 4 and o["decision"] == "block" and o["ecosystem"] == "npm", (p, o)
assert o["reasons"][0]["rule"] == "deny" and o["event"] == "decision", o
for k in ("time", "tool", "command", "pid", "project"):
    assert k in o, k
assert by["lodash"][0] == 8 + 6 and by["lodash"][1]["decision"] == "allow"
assert by["expres"][1]["reasons"][0]["rule"] == "typosquat"
assert any("\x1b" in n for n in by), by.keys()
'
pass "each decision of a small run is one message with the audit fields; no secret, no control character"

# The same decisions with the audit file off: syslog is the policy's, not the file's.
listen
PKGGATE_AUDIT_LOG=off expect_status 10 "$PKGGATE" check --names-only --ecosystem npm left-pad
collect
check_msgs 'assert len(msgs) == 1 and msgs[0][1]["name"] == "left-pad", msgs'
pass "PKGGATE_AUDIT_LOG=off leaves syslog on"

# No listener: a warning, the verdict unchanged.
rm -f "$T/log.sock"
expect_status 0 "$PKGGATE" check --names-only --ecosystem npm lodash
expect_in "decisions not sent to syslog"
pass "an unreachable syslog socket is a warning, never a different verdict"

# A 5,000-entry lockfile: one summary plus the decisions that are not plain allows.
mkdir -p big && cd big
python3 - <<'PY'
import json
deps = {"zzq-internal-%04d" % i: "1.0.0" for i in range(5000)}
pk = {"": {"name": "app", "version": "1.0.0", "dependencies": deps}}
for n in deps:
    pk["node_modules/" + n] = {"version": "1.0.0",
        "resolved": "http://127.0.0.1:9/%s/-/%s-1.0.0.tgz" % (n, n),
        "integrity": "sha512-" + "A" * 86 + "=="}
json.dump({"name": "app", "version": "1.0.0", "dependencies": deps}, open("package.json", "w"))
json.dump({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
           "packages": pk}, open("package-lock.json", "w"))
PY
cat >"$USERPOL" <<'JSON'
{"syslog": "on", "undecidable": "allow", "rules": {"typosquat": {"action": "off"}},
 "deny": ["pkg:npm/zzq-internal-0007", "pkg:npm/zzq-internal-4000"]}
JSON
: >"$PKGGATE_AUDIT_LOG"
listen
expect_status 10 "$PKGGATE" run --offline -- npm ci
collect
nonallow=$(grep -vc '"decision":"allow"' "$PKGGATE_AUDIT_LOG" || true)
[ "$(wc -l <"$PKGGATE_AUDIT_LOG")" -eq 5000 ] || fail "audit log: $(wc -l <"$PKGGATE_AUDIT_LOG") lines"
check_msgs "
nonallow = $nonallow
assert len(msgs) <= nonallow + 1, (len(msgs), nonallow)
dec = [o for p, o in msgs if o['event'] == 'decision']
assert sorted(o['name'] for o in dec) == ['zzq-internal-0007', 'zzq-internal-4000'], dec
s = msgs[-1][1]
assert s['event'] == 'summary' and s['decisions'] == 5000 and s['blocked'] == 2, s
assert s['allowed'] == 4998 and s['summarised'] == 4998 and s['sent'] == 2, s
"
pass "a 5,000-entry lockfile: $nonallow decisions and one summary line"

# "off" (the default) sends nothing.
echo '{"deny": ["pkg:npm/left-pad"]}' >"$USERPOL"
listen
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm left-pad
collect
[ ! -s "$T/msgs" ] || fail "syslog off, yet: $(cat "$T/msgs")"
pass "syslog off sends nothing"
