#!/usr/bin/env bash
# tests/fuzz/grow.sh - fuzz every parser longer and keep what it learns.
#
#   tests/fuzz/grow.sh [SECONDS] [BUILD_DIR]
#
# Builds the libFuzzer targets (clang, ASan + UBSan), runs each for SECONDS
# (default 300) two at a time, then merges the inputs that reached new code
# into tests/fuzz/corpus/<target>/ with libFuzzer's -merge=1, which keeps
# the corpus minimal. Commit what it adds: every later `./install.sh --test`
# replays the whole checked-in corpus first, so each kept input, and each
# crash input copied there once fixed, is a regression test. Crashes are
# written to BUILD_DIR/tests/fuzz/artifacts/ and named at the end; the
# script exits 1 if there was one.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-300}
build=${2:-$src/build/fuzz-grow}

CC=clang cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DPKGGATE_FUZZ=ON \
    -DPKGGATE_TESTS=OFF -DPKGGATE_FUZZ_SECONDS="$secs" -DPKGGATE_SANITIZE=address,undefined >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
rc=0
ctest --test-dir "$build" -j"$(nproc)" -L fuzz --output-on-failure || rc=1
for t in "$build"/tests/fuzz/fuzz_*; do
    [ -x "$t" ] || continue
    name=${t##*/}
    mkdir -p "$src/tests/fuzz/corpus/$name"
    before=$(ls "$src/tests/fuzz/corpus/$name" | wc -l)
    "$t" -merge=1 -rss_limit_mb=2048 "$src/tests/fuzz/corpus/$name" \
        "$build/tests/fuzz/corpus-$name" >/dev/null 2>&1 || rc=1
    after=$(ls "$src/tests/fuzz/corpus/$name" | wc -l)
    printf 'grow.sh: %-16s corpus %d -> %d inputs\n' "$name" "$before" "$after"
done
if ls "$build"/tests/fuzz/artifacts/* >/dev/null 2>&1; then
    echo "grow.sh: crashes (fix, then copy each into tests/fuzz/corpus/<target>/):"
    ls "$build"/tests/fuzz/artifacts/
    rc=1
fi
exit "$rc"
