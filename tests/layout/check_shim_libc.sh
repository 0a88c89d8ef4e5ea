#!/usr/bin/env bash
#
# check_shim_libc.sh - pkggate-shim links libc and nothing else.
#
# Usage: check_shim_libc.sh PATH/TO/pkggate-shim [SANITIZERS]
#
# Every `npm run build` and `pip` call pays the shim's start-up, so it is a
# static, libc-only program (shim/CMakeLists.txt). Without sanitizers the
# binary must be static: no PT_INTERP and no NEEDED entry. Sanitizer
# runtimes cannot link statically, so a sanitizer build (SANITIZERS not
# empty) may be dynamic, but its NEEDED list may hold only libc's own
# pieces and the sanitizer runtimes with what they pull in. A NEEDED
# libcurl, libjansson, libsodium or libcrypto fails either way.
set -u
export LC_ALL=C

bin=${1:?usage: check_shim_libc.sh PATH/TO/pkggate-shim [SANITIZERS]}
sanitize=${2:-}

if ! command -v readelf >/dev/null; then
    echo "check_shim_libc: readelf (binutils) is not installed"
    exit 77
fi
if [ ! -f "$bin" ]; then
    echo "check_shim_libc: no binary at '$bin'"
    exit 1
fi

dyn=$(readelf -dW "$bin") || { echo "check_shim_libc: readelf -d failed on '$bin'"; exit 1; }
needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p' <<<"$dyn")
interp=$(readelf -lW "$bin" | grep -c 'Requesting program interpreter')

if [ -z "$sanitize" ]; then
    if [ -n "$needed" ] || [ "$interp" -ne 0 ]; then
        echo "check_shim_libc: $bin must be linked statically (libc only) but is dynamic"
        [ -n "$needed" ] && echo "$needed" | sed 's/^/    NEEDED /'
        exit 1
    fi
    echo "check_shim_libc: ok, $bin is static"
    exit 0
fi

# libc's own libraries, the dynamic loader, and the sanitizer runtimes
# (libstdc++ and libgcc_s are theirs: the runtimes are C++).
allowed='^(libc|libm|libdl|libpthread|librt|libgcc_s|libasan|libubsan|liblsan|libtsan|libstdc\+\+)\.so(\.[0-9]+)*$|^ld-linux[-a-z0-9_.]*\.so(\.[0-9]+)*$'
bad=$(grep -vE "$allowed" <<<"$needed")
if [ -n "$bad" ]; then
    echo "check_shim_libc: $bin needs libraries beyond libc and the sanitizer runtimes:"
    echo "$bad" | sed 's/^/    NEEDED /'
    exit 1
fi
if [ -z "$needed" ]; then
    echo "check_shim_libc: ok, $bin is static"
else
    echo "check_shim_libc: ok, $bin ($sanitize build) needs only:" $needed
fi
exit 0
