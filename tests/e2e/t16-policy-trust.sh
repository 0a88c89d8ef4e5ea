#!/usr/bin/env bash
# A repository's .pkggate.json and the file $PKGGATE_POLICY names are someone
# else's: what they tighten applies at once, what they loosen only after
# `pkggate policy trust` of that exact file; one changed byte un-trusts it.
# No registry and no real tool: --names-only decides on the name rules.
. "$(dirname "$0")/lib.sh"

work=$(pwd -P)
t=$(cd "$T" && pwd -P)
project="$work/.pkggate.json"
mkdir -p "$XDG_CONFIG_HOME/pkggate"
# The user's own policy: applied as written, no trust needed.
echo '{"deny": ["pkg:npm/left-pad"]}' >"$XDG_CONFIG_HOME/pkggate/policy.json"

# crossenv is a typosquat of cross-env: blocked by name.
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm crossenv
expect_in "[typosquat]"

# The repository allows it: not applied until trusted, and said once.
echo '{"allow": ["pkg:npm/crossenv"], "deny": ["pkg:npm/lodash"]}' >"$project"
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm crossenv
expect_in "pkggate: policy: $project is not trusted, so what it loosens is ignored: allow += \"pkg:npm/crossenv\"; to apply it: pkggate policy trust $project"
expect_in "[typosquat]"
[ "$(printf '%s\n' "$OUT" | grep -c 'is not trusted')" -eq 1 ] || fail "not one trust line: $OUT"
pass "an untrusted project allow is ignored, with the command that trusts it"

# Its deny applies at once: a project can always tighten.
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm lodash
expect_in "[deny] on the policy's deny list (pkg:npm/lodash)"
pass "an untrusted project deny applies"

expect_status 0 "$PKGGATE" policy show
expect_in "allow[+] = \"pkg:npm/crossenv\""
expect_in "untrusted, loosens: ignored)"
pass "policy show marks the ignored value"

# Trust it (the default FILE is the project file that applies here).
expect_status 0 "$PKGGATE" policy trust
expect_in "trusted $project"
[ "$(stat -c %a "$XDG_STATE_HOME/pkggate/trusted")" = 600 ] || fail "record is not 0600"
expect_status 0 "$PKGGATE" check --names-only --ecosystem npm crossenv
expect_in "pkggate: policy: $project (trusted) loosens: allow += \"pkg:npm/crossenv\""
pass "a trusted project allow applies and is named"

# Deny beats allow, and the user's deny is no project's to lift.
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm left-pad
expect_in "[deny]"
pass "the user's deny still blocks"

# One byte more: someone else's file again.
echo ' ' >>"$project"
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm crossenv
expect_in "$project is not trusted"
expect_in "pkggate policy trust $project"
pass "an edited file is no longer trusted"

expect_status 0 "$PKGGATE" policy trust "$project"
expect_status 0 "$PKGGATE" policy untrust
expect_in "$project is no longer trusted"
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm crossenv
expect_in "is not trusted"
pass "untrust forgets it"
rm "$project"

# $PKGGATE_POLICY pointing at an allow-all file.
echo '{"allow": ["pkg:npm/*", "pkg:pypi/*"]}' >"$t/allow-all.json"
export PKGGATE_POLICY="$t/allow-all.json"
expect_status 10 "$PKGGATE" check --names-only --ecosystem npm crossenv
expect_in "pkggate: policy: $t/allow-all.json is not trusted"
expect_in "pkggate policy trust $t/allow-all.json"
expect_status 0 "$PKGGATE" policy trust "$t/allow-all.json"
expect_status 0 "$PKGGATE" check --names-only --ecosystem npm crossenv
expect_in "(trusted) loosens: allow += \"pkg:npm/*\", allow += \"pkg:pypi/*\""
pass "PKGGATE_POLICY loosens only once trusted"
unset PKGGATE_POLICY

# Mistakes are usage errors or fail closed, never a silent trust.
expect_status 64 "$PKGGATE" policy trust
expect_in "no .pkggate.json here or above"
expect_status 11 "$PKGGATE" policy trust "$t/nope.json"
echo '{"allow": ["pkg:npm/*"], "mdoe": "warn"}' >"$t/broken.json"
expect_status 11 "$PKGGATE" policy trust "$t/broken.json"
expect_in "unknown key 'mdoe'"
pass "trust refuses a missing or broken file"
