#!/usr/bin/env bash
# `pkggate check` judges every well-formed name and gives each malformed one
# an "error" verdict of its own: exit 10, never 64 for a bad name. And a
# broken policy is reported without "(nothing was installed)" where nothing
# was being installed.
. "$(dirname "$0")/lib.sh"

expect_status 10 "$PKGGATE" check --names-only --ecosystem npm 'Bad Name!' left-pad lodash
expect_in "pkggate: error npm 'Bad Name!': "
expect_in "1 name could not be read"
OUT=$("$PKGGATE" check --names-only --json --ecosystem npm 'Bad Name!' left-pad 2>/dev/null) || true
[ "$(printf '%s\n' "$OUT" | grep -c '"decision":"error"')" = 1 ] || fail "no error verdict: $OUT"
[ "$(printf '%s\n' "$OUT" | grep -c '"name":"left-pad".*"decision":"allow"')" = 1 ] ||
    fail "left-pad was not judged: $OUT"
pass "a malformed name gets an error verdict; the others are judged; exit 10"

expect_status 0 "$PKGGATE" check --names-only --ecosystem npm left-pad
expect_status 64 "$PKGGATE" check --names-only --frobnicate --ecosystem npm left-pad
pass "exit 0 when all is allowed, 64 only for a bad option"

echo '{"mode": "sometimes"}' >.pkggate.json
expect_status 11 "$PKGGATE" policy show
case "$OUT" in *"nothing was installed"*) fail "policy show says nothing was installed: $OUT" ;; esac
expect_status 11 "$PKGGATE" check --names-only --ecosystem npm left-pad
case "$OUT" in *"nothing was installed"*) fail "check says nothing was installed: $OUT" ;; esac
expect_status 11 "$PKGGATE" run -- npm install left-pad
expect_in "(nothing was installed)"
pass "only an install says that nothing was installed"
