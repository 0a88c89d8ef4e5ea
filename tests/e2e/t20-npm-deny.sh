#!/usr/bin/env bash
# A package on the project's deny list is blocked before npm starts; a local
# package that the policy allows installs for real.
. "$(dirname "$0")/lib.sh"
need npm

mkdir -p app && cd app
echo '{"name":"app","version":"1.0.0"}' >package.json
echo '{"deny": ["pkg:npm/left-pad"]}' >.pkggate.json

expect_status 10 npm install left-pad
expect_in "blocked npm left-pad"
expect_in "deny"
[ ! -e node_modules ] || fail "node_modules appeared although the install was blocked"
grep -q '"decision":"block"' "$PKGGATE_AUDIT_LOG" || fail "block not in the audit log"
pass "denied package blocked before npm ran"

# The exec markers cannot be planted to skip the check.
id=$(stat -L -c %d:%i "$SHIM_BIN")
PKGGATE_TARGET="$id" expect_status 10 npm install left-pad
PKGGATE_TARGET="$id:1" PKGGATE_SEEN="$id" expect_status 10 npm install left-pad
# The review's form: a script that knows its own pid, then execs npm (exec
# keeps the pid, so a pid-bound marker matched).
expect_status 10 bash -c 'export PKGGATE_TARGET="$1:$$" PKGGATE_SEEN="$1"; exec npm install left-pad' _ "$id"
[ ! -e node_modules ] || fail "node_modules appeared"
pass "planted PKGGATE_TARGET does not skip the check"

# Aliases and flags in odd places are understood too.
expect_status 10 npm --save-dev i left-pad@^1
expect_status 10 npm add left-pad --no-audit
[ ! -e node_modules ] || fail "node_modules appeared"
pass "aliases blocked"

# --json gives one object per package.
expect_status 10 "$PKGGATE" run --json -- npm install left-pad
printf '%s\n' "$OUT" | grep -q '^{"ecosystem":"npm","name":"left-pad".*"decision":"block"' ||
    fail "--json output: $OUT"
pass "--json verdicts"

# A local directory package installs (warned as a non-registry source).
mkdir -p ../localdep
echo '{"name":"localdep","version":"1.0.0","main":"index.js"}' >../localdep/package.json
echo 'module.exports = 42;' >../localdep/index.js
expect_status 0 npm install --no-audit --no-fund ../localdep
expect_in "non_registry_source"
[ -f node_modules/localdep/package.json ] || fail "localdep was not installed"
pass "allowed local package installed"

# A token in a URL spec or an unknown option's value is never printed or logged.
echo '{"rules": {"non_registry_source": {"action": "block"}}}' >.pkggate.json
expect_status 10 npm install 'git+https://x-access-token:SECRETTOKEN@127.0.0.1:9/o/r.git'
expect_in "git+https://****@127.0.0.1:9/o/r.git"
expect_status 10 npm install left-pad --frobnicate=SECRETTOKEN
expect_in "--frobnicate"
case "$OUT" in *SECRETTOKEN*) fail "a token was printed: $OUT" ;; esac
! grep -q SECRETTOKEN "$PKGGATE_AUDIT_LOG" || fail "a token reached the audit log"
pass "tokens in specs and option values are redacted"

# npm pack of a spec fetches it (a git spec runs its prepare script): checked.
expect_status 10 npm pack ../localdep
expect_in "non_registry_source"
pass "npm pack <spec> is checked"

# Warn mode reports but does not block.
echo '{"mode": "warn", "deny": ["pkg:npm/localdep2"]}' >.pkggate.json
trust_project
cp -r ../localdep ../localdep2
sed -i 's/"localdep"/"localdep2"/' ../localdep2/package.json
expect_status 0 npm install --no-audit --no-fund ../localdep2
expect_in "/.pkggate.json (trusted) loosens: mode = \"warn\""
pass "warn mode lets the install proceed, and a trusted repository's loosening is said"

# A broken policy fails closed with the file, line and column.
printf '{\n  "mode": "enforce",\n  "deny": [\n' >.pkggate.json
expect_status 11 npm install left-pad
expect_in ".pkggate.json:"
pass "broken policy fails closed"
