#!/usr/bin/env bash
# pip takes a version from any index it is given, so pkggate asks them all:
# an "internal" name that an attacker also publishes, newer, on the extra
# index (dependency confusion) is judged by the version pip would take.
. "$(dirname "$0")/lib.sh"
make_venv
need openssl

mk() { # mk DIR AGE_OF_1.0 [VERSION AGE]
    mkdir -p "$1"
    printf '{"ecosystem":"pypi","name":"acme-billing","versions":{"1.0.0":{"age":"%s"}%s}}\n' \
        "$2" "${3:+,\"$3\":{\"age\":\"$4\"\}}" >"$1/acme-billing.json"
}
mk "$T/internal" 400d
mk "$T/public" 400d 99.0.0 1h
mk "$T/public-old" 400d 99.0.0 60d
# A dependency's newer version on the extra index only: ixt-app (internal)
# needs ixt-lib, which the internal index has at an old 1.0.0 and the
# public one at an hour-old 2.0.0 that pulls ixt-leaf (public only, an
# hour old, read from 2.0.0's metadata there).
cat >"$T/internal/ixt.json" <<'JSON'
[{"ecosystem": "pypi", "name": "ixt-app",
  "versions": {"1.0.0": {"age": "400d", "dependencies": ["ixt-lib>=1.0"]}}},
 {"ecosystem": "pypi", "name": "ixt-lib", "versions": {"1.0.0": {"age": "400d"}}}]
JSON
cat >"$T/public/ixt.json" <<'JSON'
[{"ecosystem": "pypi", "name": "ixt-lib",
  "versions": {"2.0.0": {"age": "1h", "dependencies": ["ixt-leaf"]}}},
 {"ecosystem": "pypi", "name": "ixt-leaf", "versions": {"1.0.0": {"age": "1h"}}}]
JSON

start_fixture_registry internal "$T/internal" "$T/reg-internal"
start_fixture_registry public "$T/public" "$T/reg-public"
start_fixture_registry public_old "$T/public-old" "$T/reg-public-old"
[ -n "$internal" ] && [ -n "$public" ] || fail "fixture registries did not start"
echo '{"rules": {"typosquat": {"ignore": ["pkg:pypi/acme-billing", "pkg:pypi/ixt-*"]}}}' >.pkggate.json
trust_project

expect_status 0 pip install --index-url "http://127.0.0.1:$internal/simple" acme-billing
pass "the internal index alone: installs"
pip uninstall -y acme-billing >/dev/null 2>&1 || true

expect_status 10 pip install --index-url "http://127.0.0.1:$internal/simple" \
    --extra-index-url "http://127.0.0.1:$public/simple" acme-billing
expect_in "acme-billing@99.0.0"
expect_in "min_version_age"
[ ! -e "$SITE/acme_billing" ] || fail "acme-billing installed"
grep -q 'simple/acme-billing' "$T/reg-public/requests.log" || fail "the extra index was not asked"
pass "the newer version on the extra index is what is judged"

PIP_EXTRA_INDEX_URL="http://127.0.0.1:$public/simple" expect_status 10 \
    pip install --index-url "http://127.0.0.1:$internal/simple" acme-billing
pass "PIP_EXTRA_INDEX_URL likewise"

# Old enough, but only the extra index serves it while the primary index has
# the name: the dependency-confusion pattern itself.
expect_status 10 pip install --index-url "http://127.0.0.1:$internal/simple" \
    --extra-index-url "http://127.0.0.1:$public_old/simple" acme-billing
expect_in "[index_confusion]"
expect_status 0 pip install --index-url "http://127.0.0.1:$internal/simple" \
    --extra-index-url "http://127.0.0.1:$public_old/simple" 'acme-billing==1.0.0'
pass "a version only an extra index serves is blocked as index confusion; the primary's installs"

# The dependency tree sees every index too: pip takes ixt-lib 2.0.0 from the
# extra index (and what its metadata there requires), so that is what is
# judged, with its path, before pip runs.
: >"$T/reg-public/requests.log"
: >"$T/reg-internal/requests.log"
expect_status 10 pip install --index-url "http://127.0.0.1:$internal/simple" \
    --extra-index-url "http://127.0.0.1:$public/simple" ixt-app
expect_in "blocked pypi ixt-lib@2.0.0 (ixt-app > ixt-lib): [index_confusion]"
expect_in "[min_version_age] ixt-lib@2.0.0 was published"
expect_in "blocked pypi ixt-leaf@1.0.0 (ixt-app > ixt-lib > ixt-leaf): [min_version_age]"
for m in ixt_app ixt_lib ixt_leaf; do
    [ ! -e "$SITE/$m" ] || fail "$m installed although blocked"
done
grep -q '^GET /files/ixt_lib-2.0.0-py3-none-any.whl.metadata ' "$T/reg-public/requests.log" ||
    fail "ixt-lib 2.0.0's dependencies were not read from the extra index"
grep -q '\.whl ' "$T/reg-public/requests.log" "$T/reg-internal/requests.log" &&
    fail "pip downloaded a wheel although blocked"
pass "a too-young dependency on the extra index blocks, with its path and its own dependencies"

expect_status 0 pip install --index-url "http://127.0.0.1:$internal/simple" ixt-app
[ -e "$SITE/ixt_lib" ] || fail "ixt-lib not installed from the internal index"
pass "the internal index alone: the old ixt-lib installs"
