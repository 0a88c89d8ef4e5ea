#!/usr/bin/env bash
# pkggate asks the registry the tool would really use, read from the tool's
# own configuration (project .npmrc, @scope:registry, pip.conf through
# PIP_CONFIG_FILE, credentials in an index URL, netrc), sends credentials
# only to their own origin, and never shows them: not in its output, not in
# the audit log, not in its cache. authproxy.py stands in front of the
# fixture registry to see which request carried which credentials.
. "$(dirname "$0")/lib.sh"
need npm
need python3
start_registry

SECRET="pgTOKEN-$$-n0t-for-eyes"
PIPPW="pgPW-$$-hunter2"
PIPB64=$(printf 'alice:%s' "$PIPPW" | base64 -w0)
PROXY_LOG="$T/authproxy.log"
bg_start "$T/authproxy.port" "$T/authproxy.err" python3 "$PG_SOURCE_DIR/tests/e2e/authproxy.py" \
    --upstream "$REG_URL" --log "$PROXY_LOG" --accept "Bearer $SECRET" --accept "Basic $PIPB64"
wait_file "$T/authproxy.port" "$BG_PID" || fail "authproxy.py did not start: $(cat "$T/authproxy.err")"
PPORT=$(head -n1 "$T/authproxy.port")
PROXY="http://127.0.0.1:$PPORT"

# no_secret: neither credential in the last output, the audit log or the cache.
no_secret() {
    case "$OUT" in *"$SECRET"* | *"$PIPPW"* | *"$PIPB64"*) fail "a credential in the output:
$OUT" ;; esac
    if grep -rqF -e "$SECRET" -e "$PIPPW" -e "$PIPB64" "$PKGGATE_AUDIT_LOG" \
        "$XDG_CACHE_HOME/pkggate" 2>/dev/null; then
        fail "a credential in the audit log or the cache"
    fi
}

# proxy_saw PATTERN: a line of the proxy log matches (grep -E).
proxy_saw() {
    grep -qE -- "$1" "$PROXY_LOG" || fail "authproxy did not see '$1':
$(cat "$PROXY_LOG")"
}

mkdir -p app && cd app
echo '{"name":"app","version":"1.0.0"}' >package.json
# fresh-lib is "fresh" plus "-lib" to the typosquat rule: silence that to
# see the age rules alone, as t30 does.
echo '{"rules": {"typosquat": {"ignore": ["pkg:npm/fresh-lib"]}}}' >.pkggate.json
trust_project

# --- npm: project .npmrc --------------------------------------------------------
printf 'registry=%s\n' "$REG_URL" >.npmrc
: >"$REG_STATE/requests.log"
expect_status 10 npm install fresh-lib
expect_in "blocked npm fresh-lib@1.1.0"
expect_in "min_version_age"
grep -q '^GET /fresh-lib ' "$REG_STATE/requests.log" || fail "pkggate did not ask the fixture"
[ ! -e node_modules/fresh-lib ] || fail "fresh-lib appeared although blocked"
pass "registry= in the project .npmrc is the registry asked"

# --- npm: @scope:registry beside a default that does not answer ---------------
printf 'registry=http://127.0.0.1:1/\n@fixture:registry=%s\n' "$REG_URL" >.npmrc
: >"$REG_STATE/requests.log"
expect_status 0 "$PKGGATE" check --ecosystem npm @fixture/x
grep -qi '^GET /@fixture\(%2f\|/\)x ' "$REG_STATE/requests.log" ||
    fail "the scoped package was not asked at its scope's registry"
expect_status 10 "$PKGGATE" check --ecosystem npm left-pad
expect_in "[undecidable]"
pass "@fixture:registry for the scope, the default registry for the rest"

# --- npm: _authToken for the registry's origin only -----------------------------
printf 'registry=%s/\n//127.0.0.1:%s/:_authToken=%s\n' "$PROXY" "$PPORT" "$SECRET" >.npmrc
expect_status 0 npm install --no-audit --no-fund left-pad
[ -f node_modules/left-pad/package.json ] || fail "left-pad not installed through the proxy"
proxy_saw "^GET /left-pad host=127.0.0.1:$PPORT auth=ok ua=pkggate 200"
no_secret
expect_status 10 npm install fresh-lib
expect_in "min_version_age"
no_secret
expect_status 10 "$PKGGATE" check --json --ecosystem npm fresh-lib
no_secret
pass "_authToken sent to its registry; never shown or logged"

# The cache would answer from the good token's fetch (same URL): empty it.
rm -rf "$XDG_CACHE_HOME/pkggate"
printf 'registry=%s/\n//127.0.0.1:%s/:_authToken=wrong-token\n' "$PROXY" "$PPORT" >.npmrc
expect_status 10 "$PKGGATE" check --ecosystem npm left-pad
expect_in "[undecidable]"
expect_in "401"
proxy_saw "^GET /left-pad host=127.0.0.1:$PPORT auth=wrong ua=pkggate 401"
no_secret
pass "a rejected token makes the package undecidable"

# A redirect to another origin (localhost is not 127.0.0.1) goes without it.
printf 'registry=%s/hop/\n//127.0.0.1:%s/hop/:_authToken=%s\n' "$PROXY" "$PPORT" "$SECRET" >.npmrc
rm -rf "$XDG_CACHE_HOME/pkggate"
: >"$PROXY_LOG"
expect_status 0 "$PKGGATE" check --ecosystem npm left-pad
proxy_saw "^GET /hop/left-pad host=127.0.0.1:$PPORT auth=ok ua=pkggate 302"
proxy_saw "^GET /left-pad host=localhost:$PPORT auth=none ua=pkggate 200"
grep -q "host=localhost:.* auth=ok" "$PROXY_LOG" && fail "the token followed the redirect"
no_secret
pass "credentials dropped on a cross-origin redirect"
rm -f .npmrc

# --- a signed tarball URL: its query is a credential too -------------------------
# Pre-signed S3-style URLs carry the signature and the key id in the query:
# pkggate shows and logs them as https://host/path?... (like userinfo, ****).
SIG="pgSIG-$$-b7f3e9"
AMZ="X-Amz-Signature=$SIG&X-Amz-Credential=AKIA-$SIG%2Fus-east-1&X-Amz-Expires=300"
SIGNED_URL="https://alice:$SECRET@127.0.0.1:1/dl/x-1.0.0.tgz?$AMZ"
# no_signature: neither the signature nor the userinfo in the output or the log.
no_signature() {
    case "$OUT" in *"$SIG"* | *"X-Amz"*) fail "a URL's query in the output:
$OUT" ;; esac
    if grep -qF -e "$SIG" -e "X-Amz" "$PKGGATE_AUDIT_LOG" 2>/dev/null; then
        fail "a URL's query in the audit log: $(grep -F "$SIG" "$PKGGATE_AUDIT_LOG")"
    fi
    no_secret
}
expect_status 0 "$PKGGATE" check --ecosystem npm "$SIGNED_URL"
expect_in "[non_registry_source]"
expect_in "https://****@127.0.0.1:1/dl/x-1.0.0.tgz?..."
no_signature
expect_status 0 "$PKGGATE" check --json --ecosystem npm "$SIGNED_URL"
expect_in '"spec":"https://****@127.0.0.1:1/dl/x-1.0.0.tgz?..."'
no_signature
mkdir -p signed && cd signed
echo '{"name":"signed","version":"1.0.0"}' >package.json
echo '{"rules": {"non_registry_source": {"action": "block"}}}' >.pkggate.json
expect_status 10 npm install "$SIGNED_URL"
expect_in "blocked npm"
no_signature
cd .. && rm -rf signed
pass "a signed tarball URL: its query and userinfo are shown and logged redacted"

# --- pip ------------------------------------------------------------------------
make_venv
cd "$T/work"
mkdir -p py && cd py
cat >"$T/pip.conf" <<CONF
[global]
index-url = $PYPI_URL
CONF
: >"$REG_STATE/requests.log"
PIP_CONFIG_FILE="$T/pip.conf" expect_status 10 pip install requests-mini
expect_in "blocked pypi requests-mini@2.32.0"
grep -q '^GET /simple/requests-mini/ ' "$REG_STATE/requests.log" ||
    fail "pkggate did not ask the index from pip.conf"
[ ! -e "$SITE/requests_mini" ] || fail "requests-mini appeared although blocked"
pass "index-url from the file PIP_CONFIG_FILE names"

CRED_URL="http://alice:$PIPPW@127.0.0.1:$PPORT/simple"
: >"$PROXY_LOG"
expect_status 10 pip install --index-url "$CRED_URL" requests-mini
expect_in "min_version_age"
no_secret
proxy_saw "^GET /simple/requests-mini/ host=127.0.0.1:$PPORT auth=ok ua=pkggate 200"
expect_status 0 pip install --index-url "$CRED_URL" 'requests-mini==2.31.0'
[ -f "$SITE/requests_mini/__init__.py" ] || fail "requests-mini 2.31.0 not installed"
no_secret
pass "user:password@ in the index URL: Basic auth to that origin, shown nowhere"

# The same credentials from netrc, for an index URL that carries none.
printf 'machine 127.0.0.1\nlogin alice\npassword %s\n' "$PIPPW" >"$HOME/.netrc"
chmod 600 "$HOME/.netrc"
rm -rf "$XDG_CACHE_HOME/pkggate"
: >"$PROXY_LOG"
PIP_INDEX_URL="$PROXY/simple" expect_status 10 "$PKGGATE" check --ecosystem pypi requests-mini
expect_in "min_version_age"
proxy_saw "^GET /simple/requests-mini/ host=127.0.0.1:$PPORT auth=ok ua=pkggate 200"
no_secret
rm -f "$HOME/.netrc"
pass "netrc credentials for the index host"

# --no-index: pip asks no index, so neither does pkggate.
: >"$REG_STATE/requests.log"
: >"$PROXY_LOG"
PIP_INDEX_URL="$PYPI_URL" expect_status 1 pip install --no-index young-project
[ ! -s "$REG_STATE/requests.log" ] && [ ! -s "$PROXY_LOG" ] ||
    fail "an index was asked under --no-index"
case "$OUT" in *"blocked pypi"*) fail "pkggate blocked what pip would not fetch:
$OUT" ;; esac
pass "--no-index: no index asked, pip decides"
