#!/usr/bin/env bash
# Quiet when all is well: ten installs in one project against a registry
# without signing keys say "publishes no signing keys" once, and warn about
# the locked package with an install script once; a package named on the
# command line and in package.json is judged once. The audit log still
# records every decision. PKGGATE_QUIET=1 and "notes": "off" silence notes.
. "$(dirname "$0")/lib.sh"
need npm
start_registry --no-keys
export npm_config_registry="$REG_URL"
mkdir -p app && cd app
cat >package.json <<'JSON'
{"name": "app", "version": "1.0.0", "dependencies": {"with-postinstall": "1.0.0"}}
JSON
PATH="$ORIG_PATH" npm install --package-lock-only --ignore-scripts >/dev/null 2>&1 ||
    fail "npm could not write a lockfile"

ALL=""
# Scripts on: with --ignore-scripts the install_scripts rule has nothing
# to say (t33-npm-settings), and this test is about saying it once.
for i in 1 2 3 4 5 6 7 8 9 10; do
    expect_status 0 npm install --no-audit --no-fund left-pad
    ALL="$ALL$OUT
"
done
count() { printf '%s' "$ALL" | grep -c "$1" || true; }
[ "$(count 'publishes no signing keys')" = 1 ] || fail "keys note not once:
$ALL"
[ "$(count 'warning npm with-postinstall@1.0.0')" = 1 ] || fail "locked warning not once:
$ALL"
[ "$(count 'with warnings; installing')" = 1 ] || fail "summary not once:
$ALL"
[ "$(grep -c '"name":"with-postinstall"' "$PKGGATE_AUDIT_LOG")" -ge 10 ] ||
    fail "the audit log lost decisions"
pass "ten installs: the keys note once, the locked package's warning once, all logged"

# left-pad is now in package.json and named again: one verdict, not two.
OUT=$("$PKGGATE" run --json -- npm install --no-audit --no-fund --ignore-scripts left-pad 2>/dev/null)
[ "$(printf '%s\n' "$OUT" | grep -c '"name":"left-pad"')" = 1 ] || fail "left-pad judged twice:
$OUT"
expect_status 10 npm install --no-audit --no-fund exprss
expect_in "1 of 3 packages blocked"
pass "a name on the command line and in package.json is judged once"

# A new day for the notes: PKGGATE_QUIET and "notes": "off" silence them.
rm -rf "$XDG_STATE_HOME/pkggate/once"
PKGGATE_QUIET=1 expect_status 0 npm install --no-audit --no-fund --ignore-scripts left-pad
case "$OUT" in *"signing keys"*) fail "PKGGATE_QUIET=1 printed a note: $OUT" ;; esac
mkdir -p "$XDG_CONFIG_HOME/pkggate"
echo '{"notes": "off"}' >"$XDG_CONFIG_HOME/pkggate/policy.json"
expect_status 0 npm install --no-audit --no-fund --ignore-scripts left-pad
case "$OUT" in *"signing keys"*) fail "notes off printed a note: $OUT" ;; esac
pass "PKGGATE_QUIET=1 and \"notes\": \"off\" silence notes"
