#!/usr/bin/env bash
# A policy that names a rule pkggate does not know fails to load, and the
# check fails closed (exit 11) saying where: FILE:LINE:COL. No registry and
# no real tool are involved: --names-only decides before either.
. "$(dirname "$0")/lib.sh"

policy="$T/work/.pkggate.json"

# An unknown key under "rules".
printf '{\n  "rules": {"typosquatt": {"action": "off"}}\n}\n' >"$policy"
expect_status 11 "$PKGGATE" check --ecosystem npm --names-only left-pad
expect_in "$policy:2:13: unknown rule 'typosquatt' in 'rules' (did you mean 'typosquat'?)"
pass "unknown rule under rules fails closed with its position"

# An unknown name in an exception's "rules" list.
printf '{"exceptions": [{"package": "pkg:npm/left-pad", "reason": "r",\n  "rules": ["yanked", "min_version_agee"]}]}\n' >"$policy"
expect_status 11 "$PKGGATE" check --ecosystem npm --names-only left-pad
expect_in "$policy:2:23: unknown rule 'min_version_agee' in 'exceptions[0].rules'"
pass "unknown rule in an exception fails closed with its position"

# The verdict reasons that are no rule cannot be configured or excepted.
printf '{"exceptions": [{"package": "pkg:npm/left-pad", "reason": "r", "rules": ["deny"]}]}\n' >"$policy"
expect_status 11 "$PKGGATE" check --ecosystem npm --names-only left-pad
expect_in "$policy:1:74: unknown rule 'deny' in 'exceptions[0].rules'"
printf '{"locked": ["rules.undecidable"]}\n' >"$policy"
expect_status 11 "$PKGGATE" check --ecosystem npm --names-only left-pad
expect_in "$policy:1:13: unknown key 'rules.undecidable' in 'locked'"
pass "deny and undecidable are no rules a file can name"

# The same file with known rules loads and decides.
printf '{"exceptions": [{"package": "pkg:npm/left-pad", "reason": "r", "rules": ["yanked"]}]}\n' >"$policy"
expect_status 0 "$PKGGATE" check --ecosystem npm --names-only left-pad
pass "a policy naming known rules loads"
