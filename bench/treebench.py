#!/usr/bin/env python3
"""bench/treebench.py - the timings of bench/tree_npm.sh (see its header).

usage: treebench.py SHIMDIR WORKDIR RUNS CI_RUNS

Every run of every mode starts from the same state: a fresh copy of the
project (or an empty folder) and a fresh copy of a private npm cache
primed once before, so npm's own cache is alike for all. Modes:
  bare  the real npm (PATH without the shims)
  cold  through the shims, an empty pkggate cache (XDG_CACHE_HOME) each run
  warm  through the shims, pkggate's cache filled by the runs before
The modes take turns within each round (rotating who goes first), so a
machine that gets busier or quieter affects them alike. Wall time of the
whole npm process (fork to wait); medians.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time


def env_for(base, work, mode, k):
    e = dict(base)
    if mode != "bare":
        e["PATH"] = base["PG_SHIMS"] + ":" + base["PATH"]
        e["XDG_CACHE_HOME"] = (os.path.join(work, "pgcache-cold-%d" % k) if mode == "cold"
                               else os.path.join(work, "pgcache-warm"))
    return e


def timed(argv, cwd, env):
    t0 = time.monotonic()
    p = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    ms = (time.monotonic() - t0) * 1000.0
    if p.returncode != 0:
        sys.exit("treebench: %s failed (%d) in %s:\n%s" % (" ".join(argv), p.returncode, cwd,
                                                           p.stderr[-2000:]))
    if "WARNING" in p.stderr and "pkggate" in p.stderr:
        print("  note: pkggate warned after the install:\n" + p.stderr[-1500:], flush=True)
    return ms


def fresh(work, seed_proj, seed_cache, k):
    run = os.path.join(work, "run-%d" % k)
    shutil.rmtree(run, ignore_errors=True)
    if seed_proj:
        shutil.copytree(seed_proj, os.path.join(run, "proj"), symlinks=True)
    else:
        os.makedirs(os.path.join(run, "proj"))
        with open(os.path.join(run, "proj", "package.json"), "w") as f:
            f.write('{"name":"bench-app","version":"1.0.0"}\n')
    shutil.copytree(seed_cache, os.path.join(run, "npmcache"), symlinks=True)
    return run


def series(name, base, work, argv, seed_proj, seed_cache, runs, modes):
    got = {m: [] for m in modes}
    k = 0
    # One unmeasured warm-up fills pkggate's warm cache.
    run = fresh(work, seed_proj, seed_cache, k)
    e = env_for(base, work, "warm", k)
    e["npm_config_cache"] = os.path.join(run, "npmcache")
    timed(argv, os.path.join(run, "proj"), e)
    for r in range(runs):
        order = modes[r % len(modes):] + modes[:r % len(modes)]
        for m in order:
            k += 1
            run = fresh(work, seed_proj, seed_cache, k)
            e = env_for(base, work, m, k)
            e["npm_config_cache"] = os.path.join(run, "npmcache")
            got[m].append(timed(argv, os.path.join(run, "proj"), e))
            shutil.rmtree(run, ignore_errors=True)
            shutil.rmtree(os.path.join(work, "pgcache-cold-%d" % k), ignore_errors=True)
    med = {m: statistics.median(v) for m, v in got.items()}
    rng = {m: "%.0f..%.0f" % (min(v), max(v)) for m, v in got.items()}
    print("%s (%d runs each; ms median, min..max):" % (name, runs))
    for m in modes:
        print("  %-5s %8.0f  (%s)" % (m, med[m], rng[m]))
    return med


def ratio_line(what, med, mode, target_pct=None, target_ms=None):
    added = med[mode] - med["bare"]
    pct = 100.0 * added / med["bare"]
    tgt = ""
    if target_pct is not None:
        tgt = "; target <= %d%%: %s" % (target_pct, "met" if pct <= target_pct else "MISSED")
    if target_ms is not None:
        tgt = "; target <= %d ms: %s" % (target_ms, "met" if added <= target_ms else "MISSED")
    print("  => %s, %s: %+.0f ms, %+.1f%% (ratio %.3f)%s" %
          (what, mode, added, pct, med[mode] / med["bare"], tgt), flush=True)


def bare_run(base, argv, cwd, cache):
    e = dict(base)
    e["npm_config_cache"] = cache
    timed(argv, cwd, e)


def main():
    shims, work, runs, ci_runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    base = dict(os.environ)
    base["PG_SHIMS"] = shims
    flags = ["--no-audit", "--no-fund", "--ignore-scripts"]
    modes = ["bare", "cold", "warm"]

    # 1. npm install express in a fresh folder.
    seed_cache = os.path.join(work, "seed-cache-express")
    prime = os.path.join(work, "prime-express")
    os.makedirs(prime)
    with open(os.path.join(prime, "package.json"), "w") as f:
        f.write('{"name":"bench-app","version":"1.0.0"}\n')
    bare_run(base, ["npm", "install"] + flags + ["express"], prime, seed_cache)
    n = len(json.load(open(os.path.join(prime, "package-lock.json")))["packages"]) - 1
    med = series("npm install express, fresh folder (%d packages)" % n, base, work,
                 ["npm", "install"] + flags + ["express"], None, seed_cache, runs, modes)
    ratio_line("express", med, "cold", target_pct=25)
    ratio_line("express", med, "warm", target_pct=10)

    # 2. A project with a 400+ entry lockfile, node_modules installed.
    seed_proj = os.path.join(work, "seed-proj")
    seed_cache = os.path.join(work, "seed-cache-proj")
    os.makedirs(seed_proj)
    with open(os.path.join(seed_proj, "package.json"), "w") as f:
        f.write('{"name":"bench-proj","version":"1.0.0"}\n')
    bare_run(base, ["npm", "install", "--package-lock-only"] + flags +
             base.get("PG_PROJECT_PKGS", "express jest eslint webpack typescript").split(),
             seed_proj, seed_cache)
    n = len(json.load(open(os.path.join(seed_proj, "package-lock.json")))["packages"]) - 1
    bare_run(base, ["npm", "ci"] + flags, seed_proj, seed_cache)
    small = base.get("PG_SMALL_PKG", "is-number")
    bare_run(base, ["npm", "install", "--no-save"] + flags + [small], seed_proj, seed_cache)
    bare_run(base, ["npm", "ci"] + flags, seed_proj, seed_cache)
    med = series("npm install %s in a project with a %d-entry lockfile" % (small, n), base, work,
                 ["npm", "install"] + flags + [small], seed_proj, seed_cache, runs, modes)
    ratio_line("install " + small, med, "warm", target_ms=150)
    ratio_line("install " + small, med, "cold")
    shutil.rmtree(os.path.join(seed_proj, "node_modules"))
    med = series("npm ci, %d-entry lockfile" % n, base, work, ["npm", "ci"] + flags, seed_proj,
                 seed_cache, ci_runs, modes)
    ratio_line("npm ci", med, "warm", target_pct=10)
    ratio_line("npm ci", med, "cold")


if __name__ == "__main__":
    main()
