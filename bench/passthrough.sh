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
# Every binary run here is a fresh copy, and the shims and the floor are
# laid out alike, as install.sh lays out the shims: a relative symlink per
# tool name to one binary in a sibling directory. Until 2026-12-07 the shim
# was exec'd from the build tree, as the linker wrote it, while the floor
# and the stand-in were copies: on this machine an executable as the linker
# left it execs 50-80 us slower than a byte-identical copy here (the floor
# wrapper shows the same gap; not the page cache: evicting the file and
# reading it back keeps the gap, a copy evicted and faulted back in has
# none), which was the whole of the "python 1.39x".
mkdir -p "$T/real" "$T/shims" "$T/floor" "$T/lib"
cp "$build/shim/pkggate-shim" "$T/lib/pkggate-shim"
cp "$build/bench/pg_bench_floor" "$T/lib/floorwrap"
for tool in npm python3; do
    cp "$build/bench/pg_bench_standin" "$T/real/$tool"
    ln -s ../lib/pkggate-shim "$T/shims/$tool"
    ln -s ../lib/floorwrap "$T/floor/$tool"
done
spawn="$build/bench/pg_bench_spawn"
# A PATH like a developer's: the shims first, then a few directories without
# the tool (each costs the walk a stat), then the tool.
base_path="$T/shims"
for d in 1 2 3 4 5; do mkdir -p "$T/empty$d"; base_path="$base_path:$T/empty$d"; done

# Rounds of interleaved runs: within a round spawnbench runs direct, shim
# and floor in turn, run by run, with the same environment (PATH and
# FLOOR_TARGET alike), so that drift in the machine's load, and the size of
# what exec copies, hit all three alike. Each time shown is the median of
# the rounds' medians; the ratio is the median of the rounds' own ratios,
# each from three figures measured together (a ratio of the separate
# medians would pair one round's direct with another's shim and floor).
rounds=15
runs_total=$runs
runs=$(( runs_total / rounds > 50 ? runs_total / rounds : 50 ))
pick() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# round TOOL_PATH SHIM FLOOR ARGS...: one round; prints "direct shim floor".
round() {
    local tool=$1 shim=$2 floor=$3 envs
    shift 3
    envs=("PATH=$base_path:$T/real" "FLOOR_TARGET=$tool")
    "$spawn" "$runs" -- "${envs[@]}" "$tool" "$@" -- "${envs[@]}" "$shim" "$@" \
        -- "${envs[@]}" "$floor" "$@" | awk '{printf "%s ", $1} END {print ""}'
}
# compare TOOL ARGS...: the stand-in as TOOL, direct, through the shim and
# through the floor; prints the figures and the ratio.
compare() {
    local tool=$1 out=""
    shift
    for _ in $(seq "$rounds"); do
        out="$out$(round "$T/real/$tool" "$T/shims/$tool" "$T/floor/$tool" "$@")"$'\n'
    done
    awk -v t="$tool $*" -v n="$runs_total" '
        function median(a, k,   i, j, x) {
            for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
            return a[int((k + 1) / 2)]
        }
        NF == 3 { k++; d[k] = $1; s[k] = $2; f[k] = $3; r[k] = ($2 - $1) / ($3 - $1) }
        END {
            dm = median(d, k); sm = median(s, k); fm = median(f, k); rm = median(r, k)
            printf "stand-in tool as `%s`, %d runs each in %d rounds (median wall time per call)\n", t, n, k
            printf "  direct                 %8.1f us\n", dm
            printf "  through pkggate-shim   %8.1f us   (+%.1f us)\n", sm, sm - dm
            printf "  through floor wrapper  %8.1f us   (+%.1f us)\n", fm, fm - dm
            printf "  shim cost / floor cost = %.2fx (target <= 1.25x; median of the rounds, %.2fx to %.2fx)\n",
                   rm, r[1], r[k]
        }' <<<"$out"
}
compare npm run build
compare python3 -c pass
runs=$runs_total

real_tool() {
    local tool=$1
    shift
    local path
    path=$(command -v "$tool") || { echo "  $tool: not installed, skipped"; return; }
    local n=$(( runs / 40 > 20 ? runs / 40 : 20 )) envs
    envs=("PATH=$T/shims:$PATH" "FLOOR_TARGET=$path")
    rm -f "$T/shims/$tool" "$T/floor/$tool"
    ln -s ../lib/pkggate-shim "$T/shims/$tool"
    ln -s ../lib/floorwrap "$T/floor/$tool"
    "$spawn" "$n" -- "${envs[@]}" "$path" "$@" -- "${envs[@]}" "$T/shims/$tool" "$@" \
        -- "${envs[@]}" "$T/floor/$tool" "$@" | awk -v t="$tool $*" -v n="$n" '
        { v[NR] = $1 }
        END { printf "  %-15s direct %8.1f us  shim +%7.1f us (%.2f%%)  floor +%7.1f us  (%d runs)\n",
                     t, v[1], v[2] - v[1], 100 * (v[2] - v[1]) / v[1], v[3] - v[1], n }'
}
echo "real tools (median; noise of a few hundred us is normal here)"
real_tool npm --version
real_tool pip --version
real_tool python3 -c pass
