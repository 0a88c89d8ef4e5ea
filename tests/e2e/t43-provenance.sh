#!/usr/bin/env bash
# Attestations verified before install (issue 14), through the real npm and
# pip against the fixture registry, whose bundles are made at start under a
# test sigstore root (tests/fixture/fixture_sigstore.py) that this test
# build trusts through $PKGGATE_TEST_SIGSTORE_ROOT (lib.sh sets it):
#  - verified provenance installs, with one "verified: built by ..." line,
#    and --json carries the state and identity;
#  - a tampered bundle (about another tarball, a leaf from another CA, a
#    broken inclusion proof) blocks, even where an allow entry covers the
#    package; a bundle the registry names but does not serve is undecidable;
#  - a release without the provenance its predecessor had blocks
#    (provenance_downgrade), naming the earlier release as verified;
#  - require_provenance, even from an untrusted project file, blocks a
#    package without verified provenance; such a file cannot name a root;
#  - under another root (the compiled-in public-good one) the same bundles
#    are never called verified.
. "$(dirname "$0")/lib.sh"
need npm
make_venv
start_registry
export npm_config_registry="$REG_URL" PIP_INDEX_URL="$PYPI_URL"
mkdir -p "$XDG_CONFIG_HOME/pkggate"
# prov-* are one edit from popular names: not what this test is about.
echo '{"rules": {"typosquat": {"ignore": ["pkg:npm/prov-*", "pkg:pypi/prov-*"]}}}' \
    >"$XDG_CONFIG_HOME/pkggate/policy.json"
mkdir -p app && cd app
echo '{"name":"app","version":"1.0.0"}' >package.json
asked() { grep -c "GET $1" "$REG_STATE/requests.log" || true; }

expect_status 0 npm install --no-audit --no-fund prov-lib@1.1.0
expect_in "pkggate: npm prov-lib@1.1.0 verified: built by github.com/fixture/prov-lib, workflow release.yml"
[ -f node_modules/prov-lib/package.json ] || fail "prov-lib 1.1.0 not installed"
[ "$(asked /-/npm/v1/attestations/prov-lib@1.1.0)" -ge 1 ] || fail "its attestations were not asked"
pass "npm: verified provenance installs with the verified line"

expect_status 0 "$PKGGATE" check --json --ecosystem npm prov-lib@1.1.0
printf '%s\n' "$OUT" | grep -q '"provenance":{"state":"verified","repository":"github.com/fixture/prov-lib","workflow":"release.yml"}' ||
    fail "--json lacks the verified state and identity: $OUT"
pass "--json carries the provenance state and identity"

expect_status 10 npm install --no-audit --no-fund prov-forged
expect_in "blocked npm prov-forged@1.1.0"
expect_in "[provenance] prov-forged 1.1.0: its provenance attestation does not verify"
[ ! -e node_modules/prov-forged ] || fail "prov-forged installed"
expect_status 10 npm install --no-audit --no-fund prov-forged@1.2.0
expect_in "[provenance] prov-forged 1.2.0: its provenance attestation does not verify"
case "$OUT" in *"prov-forged@1.2.0 verified"*) fail "a forged bundle was called verified: $OUT" ;; esac
expect_status 10 npm install --no-audit --no-fund prov-forged@1.4.0
expect_in "[provenance] prov-forged 1.4.0: its provenance attestation does not verify (the attestation was built by github.com/fixture/prov-forged but package.json names the repository github.com/other/prov-forged)"
pass "npm: a bundle about another tarball, or from another CA, or another repository than package.json's, blocks"

echo '{"allow": ["pkg:npm/prov-forged"], "exceptions": [{"package": "pkg:npm/prov-forged", "rules": "*", "reason": "r"}]}' >.pkggate.json
trust_project
expect_status 10 npm install --no-audit --no-fund prov-forged
expect_in "[provenance]"
rm .pkggate.json
pass "no allow entry or exception silences a forged attestation"

expect_status 10 npm install --no-audit --no-fund prov-forged@1.3.0
expect_in "[undecidable] provenance cannot be checked: the registry names attestations for prov-forged 1.3.0"
expect_in "HTTP 404"
pass "attestations named but not served: undecidable (blocks by default)"

expect_status 10 npm install --no-audit --no-fund prov-lib
expect_in "[provenance_downgrade] prov-lib 1.2.0 carries no provenance, but 1.1.0"
expect_in "(verified: built by github.com/fixture/prov-lib, workflow release.yml)"
[ "$(asked /-/npm/v1/attestations/prov-lib@1.2.0)" -eq 0 ] || fail "asked for attestations 1.2.0 does not name"
[ ! -e node_modules/prov-lib/package.json ] || grep -q '"1.1.0"' node_modules/prov-lib/package.json ||
    fail "prov-lib 1.2.0 installed"
pass "npm: provenance lost after a verified release blocks"

# An untrusted project file tightens at once; it cannot name a trust root.
echo '{"require_provenance": ["pkg:npm/left-pad"]}' >.pkggate.json
expect_status 10 npm install --no-audit --no-fund left-pad@1.3.0
expect_in "[provenance] left-pad 1.3.0 has no verified provenance: it carries no attestation; the policy requires it (require_provenance: pkg:npm/left-pad)"
[ ! -e node_modules/left-pad ] || fail "left-pad installed"
expect_status 0 npm install --no-audit --no-fund prov-lib@1.1.0
pass "require_provenance from an untrusted project file blocks an unattested package"
echo '{"sigstore_root": "/tmp/evil-root.json"}' >.pkggate.json
expect_status 11 "$PKGGATE" check --ecosystem npm left-pad@1.3.0
expect_in "'sigstore_root' may only be set by the organisation's policy"
rm .pkggate.json
pass "a project file naming a trust root is refused"

expect_status 0 pip install 'prov-forged==1.0.0'
expect_in "pkggate: pypi prov-forged@1.0.0 verified: built by github.com/fixture/prov-forged, workflow release.yml"
[ -f "$SITE/prov_forged/__init__.py" ] || fail "prov-forged 1.0.0 not installed"
expect_status 10 pip install --upgrade prov-forged
expect_in "[provenance] prov-forged 1.1.0: its provenance attestation does not verify"
pass "PyPI: a verified file installs; one with a broken inclusion proof blocks"

expect_status 0 "$PKGGATE" explain pkg:npm/prov-lib@1.1.0
expect_in "attestations           verified: built by github.com/fixture/prov-lib, workflow release.yml"
expect_status 10 "$PKGGATE" explain pkg:npm/prov-forged@1.2.0
expect_in "attestations           invalid"
expect_in "why                    transparency log entry"
pass "explain shows what the attestations verified to, and why not"

# Every rule that reads attestations off: nothing is fetched for them.
cp "$XDG_CONFIG_HOME/pkggate/policy.json" "$T/user-policy.json"
echo '{"rules": {"typosquat": {"ignore": ["pkg:npm/prov-*"]}, "provenance": {"action": "off"}, "provenance_downgrade": {"action": "off"}, "publisher_change": {"action": "off"}}}' \
    >"$XDG_CONFIG_HOME/pkggate/policy.json"
n=$(asked /-/npm/v1/attestations/)
expect_status 0 "$PKGGATE" check --ecosystem npm prov-lib@1.1.0 prov-forged@1.1.0
[ "$(asked /-/npm/v1/attestations/)" -eq "$n" ] || fail "attestations fetched although no rule reads them"
case "$OUT" in *verified*) fail "verified without verifying: $OUT" ;; esac
cp "$T/user-policy.json" "$XDG_CONFIG_HOME/pkggate/policy.json"
pass "provenance rules off: no attestation is fetched, nothing is called verified"

# Another root: nothing the fixture signed is verified, and nothing says so.
root=$PKGGATE_TEST_SIGSTORE_ROOT
unset PKGGATE_TEST_SIGSTORE_ROOT
expect_status 10 "$PKGGATE" check --ecosystem npm prov-lib@1.1.0
expect_in "[provenance]"
case "$OUT" in *"verified: built by"*) fail "verified under a root that did not sign it: $OUT" ;; esac
export PKGGATE_TEST_SIGSTORE_ROOT=$root
pass "under the public-good root the test bundles are refused"
