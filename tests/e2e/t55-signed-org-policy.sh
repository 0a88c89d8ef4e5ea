#!/usr/bin/env bash
# t55-signed-org-policy: the real pkggate with an org anchor in /etc/pkggate.
#
# The anchor's path is compiled in (no variable moves it), so this test
# gives each run its own /etc: a private mount namespace (unshare -m) with
# an overlay on /etc whose upper layer is a fresh tmpfs, and the test's
# org.json, policy.json and .minisig copied into /etc/pkggate there. The
# host's /etc is never written. Needs root and unshare; skipped (77)
# otherwise. Keys and signatures come from `pkggate policy keygen|sign`.
#
# Checks: a signed org policy is enforced (its deny list blocks, exit 10);
# a tampered, unsigned, expired or rolled-back one blocks every install
# with exit 11 and one line naming the cause, through `pkggate check` and
# through the npm shim; one fetched from a URL (tests/fixture/policyserver.py
# on loopback) is enforced, and while the server is down its verified
# cached copy is, with a note saying so.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root for a private mount namespace"
command -v unshare >/dev/null 2>&1 || skip "unshare not installed"

ORG="$T/etc-pkggate"
mkdir -p "$ORG" "$T/ovl"

# in_org CMD...: run CMD with /etc/pkggate = the contents of $ORG.
in_org() {
    unshare -m sh -c '
        set -e
        mount -t tmpfs none "$1"
        mkdir "$1/up" "$1/work"
        mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/up,workdir=$1/work" /etc
        mkdir -p /etc/pkggate
        cp -R "$2"/. /etc/pkggate/
        chmod -R go-w /etc/pkggate
        shift 2
        exec "$@"' sh "$T/ovl" "$ORG" "$@"
}
in_org true 2>/dev/null || skip "no private mount namespace with an overlay on /etc here"

expect_status 0 "$PKGGATE" policy keygen -W -p "$T/org.pub" -s "$T/org.key"
KEY=$(sed -n 2p "$T/org.pub")
printf '{"public_key": "%s"}\n' "$KEY" >"$ORG/org.json"

# sign SERIAL [EXPIRES]: sign $ORG/policy.json
sign() {
    expect_status 0 "$PKGGATE" policy sign -s "$T/org.key" -m "$ORG/policy.json" \
        --serial "$1" ${2:+--expires "$2"}
}
check() { in_org "$PKGGATE" check --ecosystem npm left-pad; }

printf '{"deny": ["pkg:npm/left-pad"], "locked": ["deny"]}\n' >"$ORG/policy.json"
sign 5 2099-01-01
expect_status 10 check
expect_in "left-pad"
pass "a signed org policy is enforced"

# doctor names the org layer, its serial, signature, freshness and locks;
# an org that requires syslog locks it on, and a user file cannot turn it off.
printf '{"deny": ["pkg:npm/left-pad"], "syslog": "on", "locked": ["deny", "syslog", "rules.min_version_age"]}\n' \
    >"$ORG/policy.json"
sign 5 2099-01-01
OUT=$(in_org "$PKGGATE" doctor 2>&1) || true
for want in "org policy: /etc/pkggate/policy.json" "pinned by: /etc/pkggate/org.json" "serial: 5" \
    "signature: verified, key " "expires 2099-01-01" "last refresh: " "syslog: on" \
    "locked by /etc/pkggate/policy.json: syslog, deny, rules.min_version_age"; do
    expect_in "$want"
done
mkdir -p "$XDG_CONFIG_HOME/pkggate"
echo '{"syslog": "off"}' >"$XDG_CONFIG_HOME/pkggate/policy.json"
expect_status 11 check
expect_in "'syslog' is locked by /etc/pkggate/policy.json and may only be tightened (on -> off)"
rm "$XDG_CONFIG_HOME/pkggate/policy.json"
pass "doctor shows the org layer's source, serial, signature, refresh and locks; a locked syslog stays on"
printf '{"deny": ["pkg:npm/left-pad"], "locked": ["deny"]}\n' >"$ORG/policy.json"
sign 5 2099-01-01

# The policy outside the namespace is untouched by all this.
[ ! -e /etc/pkggate/org.json ] || fail "the host's /etc/pkggate/org.json exists"

cp "$ORG/policy.json" "$T/good.json"
printf '{"deny": []}\n' >"$ORG/policy.json"
expect_status 11 check
expect_in "pkggate: policy: org policy /etc/pkggate/policy.json: signature verification failed"
[ "$(printf '%s\n' "$OUT" | wc -l)" = 1 ] || fail "more than one line: $OUT"
pass "a tampered org policy blocks with one line"

cp "$T/good.json" "$ORG/policy.json"
rm "$ORG/policy.json.minisig"
expect_status 11 check
expect_in "not signed (expected policy.json.minisig)"
pass "an unsigned org policy blocks"

sign 6 2020-01-01
expect_status 11 check
expect_in "signature expired on 2020-01-01"
pass "an expired signature blocks"

sign 4
expect_status 11 check
expect_in "serial 4 is older than the last accepted serial 5 (rollback?)"
pass "an older serial than the last accepted one blocks"

"$PKGGATE" policy keygen -W -p "$T/other.pub" -s "$T/other.key" >/dev/null 2>&1
expect_status 0 "$PKGGATE" policy sign -s "$T/other.key" -m "$ORG/policy.json" --serial 7
expect_status 11 check
expect_in "signature by key"
pass "a signature by another key blocks"

# Through the shim: the install is blocked before npm runs.
if command -v npm >/dev/null 2>&1; then
    expect_status 11 in_org npm install left-pad
    expect_in "org policy /etc/pkggate/policy.json: signature by key"
    [ ! -e node_modules ] || fail "npm ran"
    pass "npm install is blocked while the org policy does not verify"
fi

# And a good one again, with a higher serial, is back in force.
sign 8
expect_status 10 check
pass "a newer signed release is accepted"

# From a URL: fetched, verified, cached; the cached copy stands in while the server is down.
mkdir -p "$T/www"
cp "$ORG/policy.json" "$ORG/policy.json.minisig" "$T/www/"
rm "$ORG/policy.json" "$ORG/policy.json.minisig"
bg_start "$T/srv.port" /dev/null python3 "$PG_SOURCE_DIR/tests/fixture/policyserver.py" "$T/www"
SRV=$BG_PID
wait_file "$T/srv.port" "$SRV" || true
PORT=$(head -n1 "$T/srv.port")
[ -n "$PORT" ] || fail "policyserver.py did not start"
printf '{"public_key": "%s", "url": "http://127.0.0.1:%s/policy.json", "refresh": "0"}\n' \
    "$KEY" "$PORT" >"$ORG/org.json"
expect_status 10 check
case "$OUT" in *note:*) fail "a note though the server is up: $OUT" ;; esac
pass "an org policy fetched from a URL is enforced"
kill "$SRV"
wait "$SRV" 2>/dev/null || true
expect_status 10 check
expect_in "pkggate: note: org policy http://127.0.0.1:$PORT/policy.json: "
expect_in "using the cached copy (serial 8, signature verified)"
pass "with the server down, the verified cached copy is enforced, with a note"
