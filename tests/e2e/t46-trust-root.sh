#!/usr/bin/env bash
# `pkggate trust-root update` against a TUF repository laid out as
# sigstore's, made at test time (tests/fixture/tufrepo.py) and served on
# loopback: a good update applies, a rotated root applies; a forged
# timestamp signature, an expired timestamp, a rolled-back timestamp, a
# target with the wrong hash and a root not signed by the previous keys
# each fail with one line and leave the stored root as it was.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need python3
need openssl

GEN=(python3 "$PG_SOURCE_DIR/tests/fixture/tufrepo.py")
R="$T/tuf"
STORE="$HOME/.local/share/pkggate/trust-root"
ROOT1="$R/repo/1.root.json"
cp "$PG_SOURCE_DIR/data/sigstore/trusted_root.json" "$T/tr1.json"
# The same root in other bytes: a new target the client must fetch and check.
python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"), indent=1)' \
    "$T/tr1.json" "$T/tr2.json"

"${GEN[@]}" init "$R" "$T/tr1.json"
bg_start "$T/tuf.out" "$T/tuf.err" "${GEN[@]}" serve "$R" "$T/tuf.port"
wait_file "$T/tuf.port" "$BG_PID" || fail "TUF server did not start: $(cat "$T/tuf.err")"
URL="http://127.0.0.1:$(cat "$T/tuf.port")"
update() { "$PKGGATE" trust-root update --url "$URL" "$@"; }

# unchanged_after ERROR-TEXT CMD...: CMD fails (11) with one line naming
# ERROR-TEXT, and the stored root and its metadata are byte for byte as before.
unchanged_after() {
    local want=$1
    shift
    cp -R "$STORE" "$T/before"
    expect_status 11 "$@"
    expect_in "$want"
    [ "$(printf "%s\n" "$OUT" | wc -l)" = 1 ] || fail "not one line: $OUT"
    diff -r "$T/before" "$STORE" >/dev/null || fail "the stored state changed"
    rm -rf "$T/before"
}

expect_status 0 "$PKGGATE" trust-root --help
expect_in "TUF"
expect_status 64 "$PKGGATE" trust-root
expect_status 64 "$PKGGATE" trust-root update --bogus
pass "trust-root --help teaches, usage errors are 64"

expect_status 11 update
expect_in "trust-root update failed, nothing changed"
[ ! -e "$STORE/trusted_root.json" ] || fail "stored a root from an unverified repository"
pass "sigstore's pinned root does not trust a repository it did not sign"

expect_status 0 update --root "$ROOT1"
expect_in "trust root updated: root.json version 1 (0 new), targets version 1"
cmp -s "$STORE/trusted_root.json" "$T/tr1.json" || fail "stored root differs from the target"
expect_status 0 "$PKGGATE" trust-root show
expect_in "in use: the root stored by \`pkggate trust-root update\`"
expect_in "from $URL, targets version 1, sha256 $(sha256sum "$T/tr1.json" | cut -d' ' -f1)"
pass "a good update applies and is in use"

"${GEN[@]}" rotate "$R"
"${GEN[@]}" publish "$R" "$T/tr2.json"
expect_status 0 update
expect_in "trust root updated: root.json version 2 (1 new), targets version 2"
cmp -s "$STORE/trusted_root.json" "$T/tr2.json" || fail "rotated update not stored"
pass "a rotated root (2 of 3 keys replaced, signed by old and new) applies"

"${GEN[@]}" publish "$R" "$T/tr1.json" --tamper timestamp
unchanged_after "timestamp metadata has 0 valid signature(s) of the timestamp role" update
pass "a forged timestamp signature fails, nothing changed"

"${GEN[@]}" publish "$R" "$T/tr1.json" --expired timestamp
unchanged_after "timestamp.json expired at" update
pass "an expired timestamp fails, nothing changed"

"${GEN[@]}" publish "$R" "$T/tr1.json" --wrong-target
unchanged_after "trusted_root.json: its sha256 is not the one the signed metadata states" update
pass "a target with the wrong hash fails, nothing changed"

"${GEN[@]}" publish "$R" "$T/tr1.json"
cp "$R/repo/timestamp.json" "$T/old-timestamp.json"
"${GEN[@]}" publish "$R" "$T/tr2.json"
expect_status 0 update
cp "$T/old-timestamp.json" "$R/repo/timestamp.json"
unchanged_after "is older than the" update
expect_in "(a rollback)"
pass "a rolled-back (older, validly signed) timestamp fails, nothing changed"

"${GEN[@]}" publish "$R" "$T/tr2.json"
expect_status 0 update
expect_in "trust root already current"
"${GEN[@]}" rotate "$R" --unsigned-by-old
unchanged_after "3.root.json: root metadata has 1 valid signature(s) of the root role, needs 2" update
pass "a new root not signed by a threshold of the previous root's keys fails"
rm "$R/repo/3.root.json" # the repository takes the bad root back

# A stored root from sigstore's CDN is used only when newer than the one
# compiled in (targets version above 14): pretend this state came from there.
cp "$STORE/repository" "$T/repository"
printf '%s' https://tuf-repo-cdn.sigstore.dev >"$STORE/repository"
expect_status 0 "$PKGGATE" trust-root show
expect_in "in use: the public-good root compiled in"
expect_in "is not newer than the compiled-in one (14)"
cp "$T/repository" "$STORE/repository"
# A stored root cut short (or changed) no longer matches its targets.json.
echo >>"$STORE/trusted_root.json"
expect_status 0 "$PKGGATE" trust-root show
expect_in "in use: the public-good root compiled in"
expect_in "trusted_root.json: "
pass "the stored root is used only when newer and intact"

# End to end: the fixture registry's bundles are signed under its test
# root, which only the test build's variable trusts; once a TUF update
# stores that root, they verify without it.
start_registry
export npm_config_registry="$REG_URL"
unset PKGGATE_TEST_SIGSTORE_ROOT
mkdir -p "$XDG_CONFIG_HOME/pkggate"
echo '{"rules": {"typosquat": {"ignore": ["pkg:npm/prov-*"]}}}' >"$XDG_CONFIG_HOME/pkggate/policy.json"
expect_status 10 "$PKGGATE" check --ecosystem npm prov-lib@1.1.0
expect_in "[provenance] prov-lib 1.1.0: its provenance attestation does not verify"
"${GEN[@]}" publish "$R" "$REG_STATE/sigstore-root.json"
expect_status 0 update
expect_status 0 "$PKGGATE" check --ecosystem npm prov-lib@1.1.0
expect_in "verified: built by github.com/fixture/prov-lib, workflow release.yml"
expect_status 10 "$PKGGATE" check --ecosystem npm prov-forged@1.2.0
expect_in "[provenance]"
pass "provenance checks use the root the update stored"
