#!/usr/bin/env bash
# `pkggate explain PURL` shows the facts each rule saw and which layer set
# each threshold, then the verdict; exit 10 when it would be blocked.
. "$(dirname "$0")/lib.sh"
start_registry
export npm_config_registry="$REG_URL"
mkdir -p "$XDG_CONFIG_HOME/pkggate"
echo '{"rules": {"min_version_age": {"age": "72h"}}}' >"$XDG_CONFIG_HOME/pkggate/policy.json"

expect_status 10 "$PKGGATE" explain pkg:npm/fresh-lib
for want in "version judged         1.1.0" "published              " "publisher              bob" \
    "provenance             none" "registry signature     ok" "install scripts        no" \
    "nearest popular names  fresh" \
    "rules.min_version_age.age = \"72h\"              (from $XDG_CONFIG_HOME/pkggate/policy.json)" \
    "rules.typosquat.action = \"block\"               (from built-in default)" \
    "verdict: block" "[min_version_age]"; do
    expect_in "$want"
done
pass "explain: facts, thresholds with their layers, verdict"

expect_status 0 "$PKGGATE" explain pkg:npm/with-postinstall@1.0.0
expect_in "install scripts        yes"
expect_in "verdict: warn"
expect_status 10 "$PKGGATE" explain pkg:npm/no-such-package-here
expect_in "no such package" 
expect_status 64 "$PKGGATE" explain 'pkg:npm/*'
pass "explain: scripts, unknown names, no globs"
