#!/usr/bin/env bash
# An organisation pins its own Sigstore trusted root (a private sigstore)
# in its policy: "sigstore_root" in /etc/pkggate/policy.json, as a path or
# inline. Here that root is the fixture registry's test root, and the test
# build's $PKGGATE_TEST_SIGSTORE_ROOT is unset, so only the org's key can
# make the fixture's bundles verify. A user policy that names a root is
# refused. Like t55, each run gets its own /etc (a private mount namespace
# with an overlay on /etc); needs root and unshare, skipped (77) otherwise.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root for a private mount namespace"
command -v unshare >/dev/null 2>&1 || skip "unshare not installed"
ORG="$T/etc-pkggate"
mkdir -p "$ORG" "$T/ovl"
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

start_registry
export npm_config_registry="$REG_URL"
root=$PKGGATE_TEST_SIGSTORE_ROOT
unset PKGGATE_TEST_SIGSTORE_ROOT
mkdir -p "$XDG_CONFIG_HOME/pkggate"
echo '{"rules": {"typosquat": {"ignore": ["pkg:npm/prov-*"]}}}' >"$XDG_CONFIG_HOME/pkggate/policy.json"
check() { in_org "$PKGGATE" check --ecosystem npm "$@"; }

echo '{}' >"$ORG/policy.json"
expect_status 10 check prov-lib@1.1.0
expect_in "[provenance] prov-lib 1.1.0: its provenance attestation does not verify"
pass "without the org's root the test bundles do not verify"

printf '{"sigstore_root": "%s"}\n' "$root" >"$ORG/policy.json"
expect_status 0 check prov-lib@1.1.0
expect_in "pkggate: npm prov-lib@1.1.0 verified: built by github.com/fixture/prov-lib, workflow release.yml"
expect_status 0 in_org "$PKGGATE" policy show
expect_in "sigstore_root = \"$root\"  (organisation's policy)"
expect_status 10 check prov-forged@1.2.0
expect_in "[provenance]"
pass "an org root by path: its bundles verify, forgeries still fail"

python3 -c 'import json, sys; print(json.dumps({"sigstore_root": json.load(open(sys.argv[1]))}))' \
    "$root" >"$ORG/policy.json"
expect_status 0 check prov-lib@1.1.0
expect_in "verified: built by github.com/fixture/prov-lib"
pass "an org root inline"

printf '{"sigstore_root": "%s"}\n' "$T/missing-root.json" >"$ORG/policy.json"
expect_status 10 check prov-lib@1.1.0
expect_in "the sigstore trusted root (the org policy's sigstore_root) cannot be used"
pass "an org root that cannot be read: nothing verified, undecidable"

echo '{}' >"$ORG/policy.json"
printf '{"sigstore_root": "%s"}\n' "$root" >"$XDG_CONFIG_HOME/pkggate/policy.json"
expect_status 11 check prov-lib@1.1.0
expect_in "'sigstore_root' may only be set by the organisation's policy"
pass "a user policy naming a root is refused"
