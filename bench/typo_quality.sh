#!/usr/bin/env bash
# bench/typo_quality.sh - how well the typosquat check tells squats from
# legitimate names.
#
# Over a labelled file (default /work/shared/data/typosquat-dev.tsv;
# columns ecosystem name target kind label): the share of typosquats caught
# with the right target (target >= 95%) and of legitimate near-miss names
# flagged (target <= 5%), on the whole file and on a fixed 70/30 split by a
# hash of the name (tune / holdout), so that tuning on one part can be
# checked on the other. Then every popular name is checked against the rest
# (target: <= 0.5% flagged). With -v, lists every miss and false alarm.
# Usage: bench/typo_quality.sh [DEV.tsv] [BUILD_DIR] [-v]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
dev=${1:-/work/shared/data/typosquat-dev.tsv}
build=${2:-$src/build/bench-typo}
verbose=${3:-}

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPKGGATE_TESTS=OFF \
      -DPKGGATE_BENCH=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target pg_bench_typo >/dev/null
tb="$build/bench/pg_bench_typo"

for split in all tune holdout; do
    "$tb" quality "$dev" "$split" $verbose
done
"$tb" popular $verbose
