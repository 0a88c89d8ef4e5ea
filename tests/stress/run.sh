#!/usr/bin/env bash
# tests/stress/run.sh - ./install.sh --test, N times in a row, while a CPU
# load of our own keeps every core busy (issue 9: the suite must pass on a
# loaded 2-core machine, with no process left behind).
#
#   tests/stress/run.sh [-n N] [-j JOBS] [--keep-build] [--dry-run]
#
#   -n N          runs of ./install.sh --test (default 3; 0 runs none)
#   -j JOBS       busy-loop processes for the load (default: nproc, i.e.
#                 both cores here)
#   --keep-build  build once: later runs reuse the first run's build dirs
#                 (default: each run starts from a fresh copy's empty build/)
#   --dry-run     start the load, wait until every loop has used CPU, stop
#                 it and check nothing is left: the plumbing, in seconds
#
# STRESS_COMMAND replaces `./install.sh --test` (run in the copy), to try
# this script's own plumbing: STRESS_COMMAND='sleep 600' and a Ctrl-C.
#
# The tree is copied (without build/ and .git) into a temporary directory,
# so the runs build there and never touch this checkout's build/; TMPDIR
# points inside it too, so every test's files land there. Each run's output
# goes to a log kept in $STRESS_LOGS (default: a new /tmp/pkggate-stress.*)
# and its result and wall time are printed. After each run no process may be
# left in the run's session or mention the copy; the load is stopped at
# exit, Ctrl-C and kill (TERM, HUP) alike, and the copy removed. Exit 0 when
# every run passed and nothing was left behind, 1 otherwise, 64 on a usage
# error; killed by a signal: 128 + its number, after cleaning up.
set -uo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runs=3
jobs=$(nproc)
keep_build=0
dry=0

usage() { sed -n '6,17s/^# \{0,1\}//p' "$0"; }
while [ $# -gt 0 ]; do
    case "$1" in
    -n) [ $# -ge 2 ] || { usage >&2; exit 64; }; runs=$2; shift ;;
    -j) [ $# -ge 2 ] || { usage >&2; exit 64; }; jobs=$2; shift ;;
    --keep-build) keep_build=1 ;;
    --dry-run) dry=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 64 ;;
    esac
    shift
done
case "$runs$jobs" in *[!0-9]*|'') usage >&2; exit 64 ;; esac
[ "$jobs" -ge 1 ] || { usage >&2; exit 64; }

say() { printf 'stress: %s\n' "$*"; }

T=$(mktemp -d "${TMPDIR:-/tmp}/pkggate-stress-tree.XXXXXX")
logs=${STRESS_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/pkggate-stress.XXXXXX")}
mkdir -p "$logs"
load_pids=()
run_pid=""

# Everything started here goes at exit, however the script ends.
cleanup() {
    if [ -n "$run_pid" ]; then
        kill -TERM -- "-$run_pid" 2>/dev/null
        wait "$run_pid" 2>/dev/null
        # What ignored TERM, or left the run's process group.
        kill -KILL -- "-$run_pid" 2>/dev/null
        for pid in $(stray_pids "$run_pid"); do
            kill -KILL "$pid" 2>/dev/null
        done
        run_pid=""
    fi
    for pid in "${load_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${load_pids[@]}"; do
        wait "$pid" 2>/dev/null
    done
    load_pids=()
    rm -rf "$T"
}
on_signal() {
    say "interrupted by SIG$1: stopping the load and the run (logs in $logs)"
    trap - EXIT
    cleanup
    exit "$2"
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

# CPU time (user + system, in clock ticks) a process has used; empty if gone.
cpu_ticks() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    echo $((${12} + ${13}))
}

start_load() {
    for _ in $(seq "$jobs"); do
        nice -n 0 bash -c 'while :; do :; done' &
        load_pids+=("$!")
    done
    say "load: $jobs busy loops (pids ${load_pids[*]})"
}

# Waits until every loop has used CPU (a loop that is not running is a
# failure); the wait is on the loops' own CPU counters, bounded at 30 s.
load_is_running() {
    local deadline=$((SECONDS + 30)) pid t
    for pid in "${load_pids[@]}"; do
        while :; do
            t=$(cpu_ticks "$pid")
            [ -n "$t" ] || { say "load loop $pid is gone"; return 1; }
            [ "$t" -gt 0 ] && break
            [ "$SECONDS" -lt "$deadline" ] || { say "load loop $pid used no CPU in 30 s"; return 1; }
            sleep 0.1
        done
    done
    say "load: every loop is using CPU"
}

# Processes left from a run: in its session, or mentioning the copy (a
# fixture server that left the session still has the copy's path in argv).
# Builtins only (read, mapfile): a fork per process would make the scan
# itself slow on the loaded machine it is meant for.
stray_pids() {
    local sid=$1 d pid stat args
    for d in /proc/[0-9]*; do
        pid=${d#/proc/}
        [ "$pid" = "$$" ] && continue
        { read -r stat <"$d/stat" && mapfile -d '' -t args <"$d/cmdline"; } 2>/dev/null || continue
        stat=${stat##*) }
        # A zombie has run to its end: it only waits for a parent outside
        # the run (init, once the run's shell is gone) to reap it.
        [ "${stat%% *}" = Z ] && continue
        stat=${stat#* * * } # state ppid pgrp, then the session
        if [ "${stat%% *}" = "$sid" ] || [[ " ${args[*]} " == *"$T/"* ]]; then
            echo "$pid"
        fi
    done
}

leftovers() {
    local pid args
    for pid in $(stray_pids "$1"); do
        { mapfile -d '' -t args <"/proc/$pid/cmdline"; } 2>/dev/null || continue
        printf '  %s %s\n' "$pid" "${args[*]}"
    done
}

copy_tree() {
    rm -rf "$T/src" && mkdir -p "$T/src" "$T/tmp" &&
        tar -C "$src" --exclude=./build --exclude=./.git -cf - . | tar -C "$T/src" -xf -
}

# one_run I: one ./install.sh --test in its own session (so a Ctrl-C or
# kill of this script can stop all of it); 0 when it passed.
one_run() {
    local i=$1 log="$logs/run$1.log" start rc=0 left summary pid
    if [ "$keep_build" -eq 0 ] || [ "$i" -eq 1 ]; then
        copy_tree || { say "run $i/$runs: cannot copy $src"; return 1; }
    fi
    start=$SECONDS
    # A background job of a script ignores SIGINT; the run gets it back, as
    # it would have in a terminal (tests may send it).
    if [ -n "${STRESS_COMMAND:-}" ]; then
        (cd "$T/src" && TMPDIR="$T/tmp" exec setsid env --default-signal=INT,QUIT \
            bash -c "$STRESS_COMMAND") >"$log" 2>&1 &
    else
        (cd "$T/src" && TMPDIR="$T/tmp" exec setsid env --default-signal=INT,QUIT \
            ./install.sh --test) >"$log" 2>&1 &
    fi
    run_pid=$!
    wait "$run_pid" || rc=$?
    summary=$(grep -E '^steps: ' "$log" | tail -n 1)
    left=$(leftovers "$run_pid")
    for pid in $(stray_pids "$run_pid"); do
        kill -KILL "$pid" 2>/dev/null # reported below; none may outlive us
    done
    run_pid=""
    if [ "$rc" -eq 0 ]; then
        say "run $i/$runs: ok in $((SECONDS - start)) s (${summary:-no summary line})"
    else
        say "run $i/$runs: FAILED (status $rc) in $((SECONDS - start)) s" \
            "(${summary:-no summary line}; log: $log)"
        grep -E 'step: .*FAILED|^FAIL' "$log" | sed 's/^/  /' | head -n 20
    fi
    if [ -n "$left" ]; then
        say "run $i/$runs: processes left behind:"
        printf '%s\n' "$left"
        return 1
    fi
    return "$rc"
}

start_load
started=("${load_pids[@]}")
failed=0
load_is_running || failed=1
if [ "$dry" -eq 0 ] && [ "$failed" -eq 0 ]; then
    for i in $(seq "$runs"); do
        one_run "$i" || failed=$((failed + 1))
    done
fi
trap - EXIT
cleanup
for pid in "${started[@]}"; do
    [ ! -e "/proc/$pid" ] || { say "load loop $pid outlived the script"; failed=$((failed + 1)); }
done
if [ "$dry" -eq 1 ] || [ "$runs" -eq 0 ]; then
    rmdir "$logs" 2>/dev/null
    say "no runs: $jobs busy loops started, used CPU and were stopped; $failed problem(s)"
else
    say "$runs run(s) under a load of $jobs busy loops: $failed failed; logs in $logs"
fi
[ "$failed" -eq 0 ]
