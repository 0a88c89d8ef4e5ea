#!/usr/bin/env bash
# The Debian package (packaging/deb.cmake): build it with the documented
# command, look inside (files, links, dependencies as Debian names them,
# the conffile, no maintainer scripts), then install it into a temporary
# root with its own dpkg database (dpkg --root), run the installed
# `pkggate --version` and `pkggate doctor`, and purge it: no file of ours
# may remain. The host's /usr and /etc are never written: dpkg works only
# under the temporary root, and as root the install runs in a private
# mount namespace where /usr and /etc are read-only, so a stray write
# fails instead of landing. Exit 77 (skipped) without dpkg-deb or cpack,
# and for the install half when not root.
#
# PG_DEB_CLONE=1: build from a fresh `git clone` of the source (what a
# clean checkout gives) rather than from the working tree.
set -euo pipefail
: "${PG_SOURCE_DIR:?}"
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf 'ok: %s\n' "$*"; }
for t in dpkg-deb dpkg cpack cmake; do
    command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/pkggate-deb.XXXXXX")
trap 'rm -rf "$T"' EXIT
src=$PG_SOURCE_DIR
if [ "${PG_DEB_CLONE:-0}" = 1 ]; then
    git clone -q "$src" "$T/src"
    src=$T/src
fi

# The documented command (README "Deploying to a fleet").
b="$T/build"
cmake -S "$src" -B "$b" -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=OFF >"$T/log" 2>&1 &&
    cmake --build "$b" -j"$(nproc)" >>"$T/log" 2>&1 &&
    (cd "$b" && cpack -G DEB) >>"$T/log" 2>&1 || fail "the .deb did not build: $(tail -20 "$T/log")"
arch=$(dpkg --print-architecture)
ver=$(sed -n 's/^project(pkggate VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
deb="$b/pkggate_${ver}_${arch}.deb"
[ -f "$deb" ] || fail "no $deb: $(ls "$b"/*.deb 2>&1)"
pass "built $(basename "$deb")"

# Into files first: grep -q stopping early would kill dpkg-deb with SIGPIPE.
dpkg-deb -c "$deb" >"$T/listing"
awk '{ print $6 }' "$T/listing" | sed 's|^\./|/|' >"$T/files"
for f in /usr/bin/pkggate /usr/lib/pkggate/pkggate-shim /usr/lib/pkggate/pkggate.sh \
    /usr/lib/pkggate/shims/pip /usr/lib/pkggate/shims/pip3 /usr/lib/pkggate/shims/npm \
    /usr/lib/pkggate/shims/npx /usr/lib/pkggate/shims/python3 /usr/lib/pkggate/shims/pip3.11 \
    /usr/share/man/man1/pkggate.1 /usr/share/man/man5/pkggate-policy.5 \
    /usr/share/bash-completion/completions/pkggate /usr/share/zsh/site-functions/_pkggate \
    /usr/share/fish/vendor_completions.d/pkggate.fish /etc/profile.d/pkggate.sh; do
    grep -qx "$f" "$T/files" || fail "the package lacks $f"
done
grep -q '\./usr/lib/pkggate/shims/pip -> \.\./pkggate-shim$' "$T/listing" ||
    fail "shims/pip is not a link to ../pkggate-shim"
! grep -q -e '^/home' -e '^/root' -e '_CPack' -e '^/work' -e '^/tmp' "$T/files" ||
    fail "files outside the package's places: $(grep -e '^/home' -e '^/root' -e '_CPack' "$T/files")"
pass "files, shim links, man pages, completions and /etc/profile.d/pkggate.sh are in it"

deps=$(dpkg-deb -f "$deb" Depends)
for d in libc6 libcurl4 libjansson4 libsodium23 libssl3; do
    case ", $deps" in *", $d"[\ ,]* | *", $d") ;; *) fail "Depends lacks $d: $deps" ;; esac
done
dpkg-deb --ctrl-tarfile "$deb" | tar -t | sed 's|^\./||' | sort >"$T/ctrl"
grep -qx conffiles "$T/ctrl" || fail "no conffiles"
! grep -qE '^(pre|post)(inst|rm)$' "$T/ctrl" || fail "maintainer scripts: $(cat "$T/ctrl")"
dpkg-deb -I "$deb" conffiles >"$T/conffiles"
grep -qx /etc/profile.d/pkggate.sh "$T/conffiles" || fail "profile.d is no conffile"
pass "Depends: $deps; no maintainer scripts"

# The profile.d line puts the shims first for a login shell, once.
out=$(env -i PATH=/usr/bin:/bin sh -c '. "$1"; . "$1"; printf %s "$PATH"' sh \
    <(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./etc/profile.d/pkggate.sh))
[ "$out" = /usr/lib/pkggate/shims:/usr/bin:/bin ] || fail "profile.d gives PATH=$out"
pass "/etc/profile.d/pkggate.sh puts /usr/lib/pkggate/shims first on PATH"

[ "$(id -u)" = 0 ] || { echo "SKIP: installing needs root (dpkg --root)"; exit 77; }
R="$T/root"
# No /usr or /etc yet: in this root no other package owns them, so dpkg
# makes them for pkggate and a purge takes them away again.
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
: >"$R/var/lib/dpkg/status"
: >"$R/var/lib/dpkg/available"
find "$R" | sort >"$T/before"
# In a private mount namespace with read-only /usr and /etc when we can:
# dpkg --root writes under $R only, and this makes sure of it.
guard=()
if command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
    guard=(unshare -m sh -c 'for d in /usr /etc; do mount --bind "$d" "$d" &&
        mount -o remount,bind,ro "$d"; done && exec "$@"' sh)
fi
# Dependencies are the host's libraries: the temporary root's database has none.
"${guard[@]}" dpkg --root="$R" --force-depends --force-script-chrootless -i "$deb" >"$T/dpkg.log" 2>&1 ||
    fail "dpkg -i: $(cat "$T/dpkg.log")"
[ -x "$R/usr/bin/pkggate" ] && [ -L "$R/usr/lib/pkggate/shims/npm" ] || fail "not installed: $(ls -R "$R/usr")"
"$R/usr/bin/pkggate" --version | grep -qx "pkggate $ver" || fail "--version: $("$R/usr/bin/pkggate" --version)"
mkdir -p "$T/home"
doc=$(env -i HOME="$T/home" XDG_STATE_HOME="$T/home/state" PATH="$R/usr/lib/pkggate/shims:/usr/bin:/bin" \
    "$R/usr/bin/pkggate" doctor 2>&1) || fail "doctor is not happy: $doc"
case "$doc" in *"doctor: all good"*) ;; *) fail "doctor: $doc" ;; esac
case "$doc" in *"shims: $R/usr/lib/pkggate/shims (on PATH)"*) ;; *) fail "doctor's shims: $doc" ;; esac
pass "installed into a temporary root: --version and doctor are happy"

"${guard[@]}" dpkg --root="$R" --force-script-chrootless --purge pkggate >>"$T/dpkg.log" 2>&1 ||
    fail "dpkg --purge: $(cat "$T/dpkg.log")"
# What is left besides dpkg's own database: only what was there before.
find "$R" -path "$R/var/lib/dpkg" -prune -o -print | sort >"$T/after"
grep -v "^$R/var/lib/dpkg" "$T/before" | diff - "$T/after" >"$T/left" ||
    fail "purge left files of ours: $(cat "$T/left")"
! ls "$R/var/lib/dpkg/info/" | grep -q pkggate || fail "dpkg still lists pkggate's files"
pass "dpkg --purge leaves no file of ours"
