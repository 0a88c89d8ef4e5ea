#!/usr/bin/env python3
"""checkbench.py - helpers for bench/check.sh (standard library only).

    checkbench.py gen DIR N [provenance]
        Write N synthetic npm fixture packages pgbench-pkg-0001.. into DIR
        (tests/fixture/README.md format): three versions, the newest 300
        days old, so every age rule passes, and names no typosquat rule
        relates to a popular package. With "provenance", every version is
        attested (bench/prov.sh: the fixture's --forge signs them).

    checkbench.py time MODE RUNS CACHE_ROOT CMD [ARGS...]
        Run CMD RUNS times and print "median p10 p90" wall milliseconds per
        run, then the exit statuses seen ("status 0" or "status 0,10").
        Output of CMD goes to /dev/null. Each run's XDG_CACHE_HOME is set:
          cold   a fresh empty directory under CACHE_ROOT for every run
          warm   one directory, filled by an untimed run first (entries
                 younger than pg_http's max age: no network at all)
          stale  as warm, but before every run the cache files are dated an
                 hour back (outside the timed part), so every entry is
                 revalidated with If-None-Match and answered 304
        Two untimed runs come first (page cache, lazy binding). The timer
        covers posix_spawn to waitpid, nothing else.
"""
import json
import os
import statistics
import sys
import time


def gen(outdir, n, provenance=False):
    os.makedirs(outdir, exist_ok=True)
    for i in range(1, n + 1):
        name = "pgbench-pkg-%04d" % i
        doc = {
            "ecosystem": "npm",
            "name": name,
            "description": "synthetic package %d for bench/check.sh" % i,
            "publisher": "alice",
            "versions": {
                "1.0.0": {"age": "700d"},
                "1.1.0": {"age": "500d"},
                "2.0.0": {"age": "300d"},
            },
        }
        if provenance:
            doc["provenance"] = True
            doc["repository"] = "https://github.com/pgbench/%s" % name
        with open(os.path.join(outdir, "npm-%s.json" % name), "w") as f:
            json.dump(doc, f, indent=1)


def age_cache(root):
    old = time.time() - 3600
    for d, _, files in os.walk(root):
        for f in files:
            os.utime(os.path.join(d, f), (old, old))


def run(argv, cache):
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    fa = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
          (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=fa)
    _, status = os.waitpid(pid, 0)
    t1 = time.perf_counter_ns()
    return (t1 - t0) / 1e6, os.waitstatus_to_exitcode(status)


def timed(mode, runs, root, argv):
    os.makedirs(root, exist_ok=True)
    shared = os.path.join(root, "shared")
    times, codes = [], set()
    for i in range(-2, runs):
        if mode == "cold":
            cache = os.path.join(root, "c%d" % (i + 2))
            os.makedirs(cache)
        else:
            cache = shared
            if mode == "stale":
                age_cache(cache)
        ms, code = run(argv, cache)
        codes.add(code)
        if i >= 0:
            times.append(ms)
    times.sort()
    print("%.2f %.2f %.2f" % (statistics.median(times), times[len(times) // 10],
                              times[len(times) * 9 // 10]))
    print("status " + ",".join(str(c) for c in sorted(codes)))


def main():
    a = sys.argv[1:]
    if len(a) in (3, 4) and a[0] == "gen":
        gen(a[1], int(a[2]), len(a) > 3 and a[3] == "provenance")
    elif len(a) >= 5 and a[0] == "time" and a[1] in ("cold", "warm", "stale"):
        timed(a[1], int(a[2]), a[3], a[4:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
