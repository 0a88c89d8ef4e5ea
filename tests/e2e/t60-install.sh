#!/usr/bin/env bash
# install.sh end to end: installs into a prefix, puts the shims first on
# PATH through the shell start-up file, is idempotent, `pkggate doctor` is
# happy in a new login shell, and --uninstall removes all of it.
. "$(dirname "$0")/lib.sh"
need npm
[ "$(id -u)" -eq 0 ] || command -v cmake >/dev/null || skip "cannot build here"
prefix="$T/prefix"
export PATH="$ORIG_PATH"

expect_status 0 "$PG_SOURCE_DIR/install.sh" --prefix "$prefix"
expect_in "added the PATH line to $HOME/.profile"
for f in bin/pkggate lib/pkggate/pkggate-shim lib/pkggate/pkggate.sh; do
    [ -x "$prefix/$f" ] || [ -f "$prefix/$f" ] || fail "$f not installed"
done
for t in pip pip3 npm npx; do
    [ "$(readlink "$prefix/lib/pkggate/shims/$t")" = ../pkggate-shim ] || fail "shim link $t"
done
pass "installed"

expect_status 0 "$PG_SOURCE_DIR/install.sh" --prefix "$prefix"
[ "$(grep -c '>>> pkggate >>>' "$HOME/.profile")" -eq 1 ] || fail "PATH block added twice"
pass "idempotent"

# A new login shell has the shims first and a healthy doctor.
out=$(env -i HOME="$HOME" PATH="$ORIG_PATH" bash -lc 'echo "$PATH"; pkggate doctor; echo "rc=$?"' 2>&1)
case "$out" in "$prefix/lib/pkggate/shims:"*) ;; *) fail "shims not first on PATH: $out" ;; esac
case "$out" in *"doctor: all good"*"rc=0"*) ;; *) fail "doctor unhappy: $out" ;; esac
out=$(env -i HOME="$HOME" PATH="$ORIG_PATH" bash -lc 'npm --version' 2>&1)
[ "$out" = "$(npm --version)" ] || fail "npm through the installed shim: $out"
pass "login shell guarded, doctor happy"

# The doctor notices when something shadows the shims.
mkdir -p "$T/shadow"
ln -s "$(command -v npm)" "$T/shadow/npm"
PATH="$T/shadow:$prefix/lib/pkggate/shims:$ORIG_PATH" expect_status 11 "$prefix/bin/pkggate" doctor
expect_in "not the pkggate shim: it is not checked"
pass "doctor warns about shadowing"

# The man pages and the bash completion come with it.
[ -f "$prefix/share/man/man1/pkggate.1" ] && [ -f "$prefix/share/man/man5/pkggate-policy.5" ] ||
    fail "man pages not installed"
if command -v man >/dev/null; then
    MANPATH="$prefix/share/man" man -w pkggate >/dev/null 2>&1 || fail "man pkggate finds no page"
fi
[ -f "$prefix/share/bash-completion/completions/pkggate" ] || fail "bash completion not installed"
pass "man pages and completion installed"

# What pkggate keeps under HOME: cache, state (audit log, trust), config.
mkdir -p "$HOME/.config/pkggate" "$HOME/.local/state/pkggate" "$HOME/.cache/pkggate"
echo '{}' >"$HOME/.config/pkggate/policy.json"
unset PKGGATE_AUDIT_LOG
env -i HOME="$HOME" PATH="$ORIG_PATH" bash -lc 'pkggate check --names-only -e npm left-pad' >/dev/null 2>&1 ||
    fail "pkggate check after install"
expect_status 0 "$PG_SOURCE_DIR/install.sh" --prefix "$prefix" --uninstall
[ ! -e "$prefix/bin/pkggate" ] && [ ! -e "$prefix/lib/pkggate" ] || fail "files left behind"
grep -q 'pkggate' "$HOME/.profile" && fail "PATH block left in .profile"
left=$(find "$prefix" -type f)
[ -z "$left" ] || fail "files left in the prefix: $left"
expect_in "kept $HOME/.config/pkggate"
expect_in "--uninstall --purge removes it"
[ -e "$HOME/.config/pkggate/policy.json" ] || fail "--uninstall without --purge removed the config"
pass "uninstalled; cache, state and config kept and named"

expect_status 0 "$PG_SOURCE_DIR/install.sh" --prefix "$prefix" --uninstall --purge
left=$(find "$HOME" "$prefix" -name '*pkggate*'; grep -rl pkggate "$HOME" 2>/dev/null || true)
[ -z "$left" ] || fail "pkggate files left under HOME after --purge: $left"
pass "--uninstall --purge leaves no file of pkggate's under HOME"
