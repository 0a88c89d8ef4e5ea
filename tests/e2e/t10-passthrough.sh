#!/usr/bin/env bash
# Commands that cannot install reach the real tool untouched, and finding the
# real tool never loops back into pkggate.
. "$(dirname "$0")/lib.sh"
need npm

# Output through the shim equals the bare tool's.
bare=$(PATH="$ORIG_PATH" npm --version)
[ "$(npm --version)" = "$bare" ] || fail "npm --version differs through the shim"
bare=$(PATH="$ORIG_PATH" npm config get registry)
[ "$(npm config get registry)" = "$bare" ] || fail "npm config get registry differs"
pass "npm pass-through output identical"

if command -v pip >/dev/null; then
    bare=$(PATH="$ORIG_PATH" pip --version)
    [ "$(pip --version)" = "$bare" ] || fail "pip --version differs through the shim"
    bare=$(PATH="$ORIG_PATH" pip list --format=freeze 2>/dev/null | sort)
    [ "$(pip list --format=freeze 2>/dev/null | sort)" = "$bare" ] || fail "pip list differs"
    pass "pip pass-through output identical"
fi

# The exit status of the real tool comes back unchanged.
want=0
(PATH="$ORIG_PATH" npm run no-such-script-here >/dev/null 2>&1) || want=$?
[ "$want" -ne 0 ] || fail "bare npm run of a missing script succeeded?"
expect_status "$want" npm run no-such-script-here
pass "npm's own exit status is returned"

# A pass-through neither writes the audit log nor needs a policy: a broken
# policy file does not stop `npm --version`.
echo '{ broken' >"$T/work/.pkggate.json"
expect_status 0 npm --version
[ ! -e "$PKGGATE_AUDIT_LOG" ] || fail "pass-through wrote the audit log"
rm "$T/work/.pkggate.json"
pass "pass-through reads no policy"

# The shim directory twice on PATH (and a symlinked copy of it) does not loop.
ln -s "$SHIMS" "$T/shims-again"
bare_npm=$(PATH="$ORIG_PATH" npm --version)
PATH="$SHIMS:$T/shims-again:$SHIMS:$ORIG_PATH" expect_status 0 npm --version
[ "$OUT" = "$bare_npm" ] || fail "npm --version through a looping PATH: $OUT"
pass "PATH with the shims twice resolves to the real npm"

# A second copy of pkggate later on PATH is passed through, not looped.
mkdir -p "$T/copy/shims"
cp "$SHIM_BIN" "$T/copy/pkggate-shim"
ln -s "$T/copy/pkggate-shim" "$T/copy/shims/npm"
PATH="$SHIMS:$T/copy/shims:$SHIMS:$ORIG_PATH" expect_status 0 npm --version
pass "a second pkggate copy on PATH does not loop"

# No real tool at all: 127 and a clear message, not a loop.
PATH="$SHIMS" expect_status 127 npm --version
expect_in "no real npm found on PATH"
PATH="$SHIMS:$SHIMS" expect_status 127 pip --version
expect_in "no real pip found"
pass "missing real tool gives 127"

# PKGGATE_REAL_NPM pointing back at the shim is refused, not followed.
PKGGATE_REAL_NPM="$SHIMS/npm" expect_status 127 npm --version
expect_in "points back at pkggate"
PKGGATE_REAL_NPM="$(PATH=$ORIG_PATH command -v npm)" expect_status 0 npm --version
pass "PKGGATE_REAL_NPM honoured and loop-checked"

# An unknown name for the shim.
ln -s "$SHIM_BIN" "$T/shims/yarn"
expect_status 127 "$T/shims/yarn" --version
expect_in "not a tool pkggate guards"
pass "unknown tool name gives 127"

# Signal dispositions reach the tool as the caller left them: the shim
# changes none (a pass-through is one execv), while pkggate, which ignores
# SIGPIPE for itself, gives the tool the default back.
cat >"$T/sigtool" <<'SH'
#!/bin/sh
sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status
SH
chmod +x "$T/sigtool"
pipe_ignored() { (( 16#$1 & 0x1000 )); } # SIGPIPE is signal 13: bit 12
mask=$(trap '' PIPE; PKGGATE_REAL_NPM="$T/sigtool" npm --version)
pipe_ignored "$mask" || fail "an ignored SIGPIPE was reset by the shim (SigIgn $mask)"
mask=$(PKGGATE_REAL_NPM="$T/sigtool" npm --version)
! pipe_ignored "$mask" || fail "the shim ignored SIGPIPE (SigIgn $mask)"
mask=$(PKGGATE_REAL_NPM="$T/sigtool" "$PKGGATE" run -- npm --version)
! pipe_ignored "$mask" || fail "pkggate left SIGPIPE ignored for the tool (SigIgn $mask)"
pass "signal dispositions pass through the shim; pkggate restores SIGPIPE"
