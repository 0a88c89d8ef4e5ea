#!/usr/bin/env bash
# PyPI trust through the real pip against the fixture index: a release
# attested by another repository than the one before it warns
# (publisher_change, both repositories named; a block when the policy says
# so), a release without the provenance its predecessors had is blocked
# (provenance_downgrade), a consistently attested one installs with one
# "verified" line. The provenance documents are fetched only as far as the
# policy needs them: with every rule that reads them off, none; with
# publisher_change off, only the version that would be installed (its
# attestations are verified), not the release before it. The fixture signs
# them under a test root (tests/fixture/fixture_sigstore.py).
. "$(dirname "$0")/lib.sh"
make_venv
start_registry
export PIP_INDEX_URL="$PYPI_URL"
# "prov-pkg" is one edit from the popular "prov": not what this test is about.
# The user's own policy: a project file that loosens is named on every run,
# and the quiet install below must stay quiet.
mkdir -p "$XDG_CONFIG_HOME/pkggate"
policy() {
    printf '{"rules": {"typosquat": {"ignore": ["pkg:pypi/prov-pkg"]}%s}}\n' "$1" \
        >"$XDG_CONFIG_HOME/pkggate/policy.json"
}
integrity() { grep -c "GET /integrity/$1" "$REG_STATE/requests.log" || true; }

policy ', "publisher_change": {"action": "off"}, "provenance_downgrade": {"action": "off"}, "provenance": {"action": "off"}'
expect_status 0 "$PKGGATE" check --ecosystem pypi prov-moved
grep -q "GET /simple/prov-moved/" "$REG_STATE/requests.log" || fail "the index was not asked"
case "$OUT" in *"[publisher_change]"*) fail "publisher_change reported while off: $OUT" ;; esac
[ "$(integrity prov-moved/)" -eq 0 ] || fail "provenance fetched although no rule reads it"
pass "every provenance rule off: no provenance fetched"

policy ', "publisher_change": {"action": "off"}'
expect_status 0 "$PKGGATE" check --ecosystem pypi prov-moved
expect_in "verified: built by github.com/attacker/prov-moved, workflow release.yml"
[ "$(integrity prov-moved/1.1.0/)" -ge 1 ] || fail "1.1.0's provenance was not fetched"
[ "$(integrity prov-moved/1.0.0/)" -eq 0 ] || fail "1.0.0's provenance fetched although publisher_change is off"
pass "publisher_change off: only the version to install is fetched and verified"

policy ', "publisher_change": {"action": "block"}'
expect_status 10 pip install prov-moved
expect_in "blocked pypi prov-moved@1.1.0"
expect_in "[publisher_change]"
expect_in "attacker/prov-moved"
expect_in "fixture/prov-moved"
[ ! -e "$SITE/prov_moved" ] || fail "prov-moved installed although blocked"
[ "$(integrity prov-moved/1.1.0/)" -ge 1 ] || fail "1.1.0's provenance was not fetched"
[ "$(integrity prov-moved/1.0.0/)" -ge 1 ] || fail "1.0.0's provenance was not fetched"
pass "publisher change blocked when the policy says block"

policy ''
expect_status 0 pip install prov-moved
expect_in "warning pypi prov-moved@1.1.0"
expect_in "prov-moved 1.1.0 was built elsewhere than the attested release before it: prov-moved 1.1.0 (verified: built by github.com/attacker/prov-moved, workflow release.yml), but 1.0.0 (verified: built by github.com/fixture/prov-moved, workflow release.yml)"
[ -f "$SITE/prov_moved/__init__.py" ] || fail "prov-moved not installed"
pass "publisher change warns by default and installs"

expect_status 10 pip install prov-pkg
expect_in "blocked pypi prov-pkg@1.2.0"
expect_in "[provenance_downgrade]"
expect_in "prov-pkg 1.2.0 carries no provenance, but 1.1.0"
[ ! -e "$SITE/prov_pkg" ] || fail "prov-pkg installed although blocked"
[ "$(integrity prov-pkg/1.2.0/)" -eq 0 ] || fail "asked for a provenance 1.2.0 does not have"
pass "provenance downgrade blocked"

expect_status 0 pip install 'prov-pkg==1.1.0'
expect_in "pkggate: pypi prov-pkg@1.1.0 verified: built by github.com/fixture/prov-pkg, workflow release.yml"
[ "$(printf '%s\n' "$OUT" | grep -c '^pkggate:')" -eq 1 ] || fail "more than the verified line: $OUT"
[ -f "$SITE/prov_pkg/__init__.py" ] || fail "prov-pkg 1.1.0 not installed"
[ "$(integrity prov-pkg/1.1.0/)" -ge 1 ] || fail "1.1.0's provenance was not fetched"
pass "same publisher as the release before: installs with the verified line alone"
