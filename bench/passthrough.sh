#!/usr/bin/env bash
# bench/passthrough.sh - what the shim adds to a command that cannot install.
#
# Prints the median wall time per call of:
#   a trivial static stand-in for the real tool, called directly;
#   the same through pkggate-shim (PATH walk + routing + execv);
#   the same through a minimal static exec wrapper: the floor any wrapper pays;
# then the shim's added cost beside the floor's and their ratio (target
# <= 1.25x), the same for `python3 -c pass` (the stand-in as python3: every
# python start pays the python router), and the same comparison with the
# real `npm --version`, `pip --version` and `python3 -c pass`. Usage: bench/passthrough.sh [BUILD_DIR] [RUNS]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/bench}
runs=${2:-2000}

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=OFF \
      -DPKGGATE_BENCH=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target pkggate-shim pg_bench_standin pg_bench_floor \
      pg_bench_spawn >/dev/null

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/real" "$T/shims" "$T/floor"
cp "$build/bench/pg_bench_standin" "$T/real/npm"
cp "$build/bench/pg_bench_standin" "$T/real/python3"
ln -s "$build/shim/pkggate-shim" "$T/shims/npm"
ln -s "$build/shim/pkggate-shim" "$T/shims/python3"
cp "$build/bench/pg_bench_floor" "$T/floor/npm"
spawn="$build/bench/pg_bench_spawn"
# A PATH like a developer's: the shims first, then a few directories without
# the tool (each costs the walk a stat), then the tool.
base_path="$T/shims"
for d in 1 2 3 4 5; do mkdir -p "$T/empty$d"; base_path="$base_path:$T/empty$d"; done

# median PATH CMD...: the median microseconds of CMD run with that PATH
# (the floor wrapper execs $FLOOR_TARGET).
median() {
    local p=$1
    shift
    env PATH="$p" FLOOR_TARGET="${FLOOR_TARGET:-$T/real/npm}" "$spawn" "$runs" "$@" |
        awk '{print $1}'
}

# Interleaved rounds, so that drift in the machine's load hits all three alike;
# the median of the rounds' medians is reported.
rounds=7
runs_total=$runs
runs=$(( runs_total / rounds > 50 ? runs_total / rounds : 50 ))
pick() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# compare TOOL ARGS...: the stand-in as TOOL, direct, through the shim and
# through the floor, in interleaved rounds; prints the ratio.
compare() {
    local tool=$1 d_all="" s_all="" f_all="" direct shim floor
    shift
    for _ in $(seq "$rounds"); do
        d_all="$d_all $(median "$T/real" "$T/real/$tool" "$@")"
        s_all="$s_all $(median "$base_path:$T/real" "$T/shims/$tool" "$@")"
        f_all="$f_all $(FLOOR_TARGET="$T/real/$tool" median "$T/real" "$T/floor/npm" "$@")"
    done
    direct=$(printf '%s\n' $d_all | pick)
    shim=$(printf '%s\n' $s_all | pick)
    floor=$(printf '%s\n' $f_all | pick)
    awk -v d="$direct" -v s="$shim" -v f="$floor" -v t="$tool $*" 'BEGIN {
        printf "stand-in tool as `%s`, %s runs each (median wall time per call)\n", t, '"$runs_total"'
        printf "  direct                 %8.1f us\n", d
        printf "  through pkggate-shim   %8.1f us   (+%.1f us)\n", s, s - d
        printf "  through floor wrapper  %8.1f us   (+%.1f us)\n", f, f - d
        printf "  shim cost / floor cost = %.2fx (target <= 1.25x)\n", (s - d) / (f - d)
    }'
}
compare npm run build
compare python3 -c pass
runs=$runs_total

real_tool() {
    local tool=$1
    shift
    local path
    path=$(command -v "$tool") || { echo "  $tool: not installed, skipped"; return; }
    local n=$(( runs / 40 > 20 ? runs / 40 : 20 ))
    rm -f "$T/shims/$tool"; ln -s "$build/shim/pkggate-shim" "$T/shims/$tool"
    local d s f
    d=$("$spawn" "$n" "$path" "$@" | awk '{print $1}')
    s=$(env PATH="$T/shims:$PATH" "$spawn" "$n" "$T/shims/$tool" "$@" | awk '{print $1}')
    f=$(env FLOOR_TARGET="$path" "$spawn" "$n" "$T/floor/npm" "$@" | awk '{print $1}')
    awk -v t="$tool $*" -v d="$d" -v s="$s" -v f="$f" -v n="$n" 'BEGIN {
        printf "  %-15s direct %8.1f us  shim +%7.1f us (%.2f%%)  floor +%7.1f us  (%d runs)\n",
               t, d, s - d, 100 * (s - d) / d, f - d, n }'
}
echo "real tools (median; noise of a few hundred us is normal here)"
real_tool npm --version
real_tool pip --version
real_tool python3 -c pass
