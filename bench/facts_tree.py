#!/usr/bin/env python3
"""facts_tree.py - helpers for bench/tree.sh (standard library only).

    facts_tree.py gen DIR N
        Write N synthetic npm fixture packages pgtree-00001.. into DIR
        (tests/fixture/README.md format) as one file: versions 1.0.0
        (unsigned) and 1.1.0 (signed), old enough for every age rule; package i depends on 2i and
        2i+1 ("^1.0.0") when they exist, so the tree is 13 levels deep for
        5,000; one locked version in 50 has an install script and one in
        40 is deprecated (about what real trees show), so the rules have
        something to say.

    facts_tree.py project DIR REGISTRY N
        Write DIR/package.json (depending on pgtree-00001) and
        DIR/package-lock.json (lockfileVersion 3, all N packages at 1.1.0
        with resolved and integrity as REGISTRY serves them), the way
        `npm install --package-lock-only` would have written them. The
        packuments are read over one keep-alive connection.

    facts_tree.py measure RUNS CMD [ARGS...]
        Run CMD RUNS times (after one untimed run; RUNS 0: once, timed,
        with nothing before) and print the medians
        "cpu_ms wall_ms maxrss_kb" of the child (getrusage of the waited
        child: user + system time, peak RSS), then "status N,..".
"""
import http.client
import json
import os
import resource
import statistics
import sys
import time
import urllib.parse


def name(i):
    return "pgtree-%05d" % i


def gen(outdir, n):
    os.makedirs(outdir, exist_ok=True)
    pkgs = []
    for i in range(1, n + 1):
        deps = {name(j): "^1.0.0" for j in (2 * i, 2 * i + 1) if j <= n}
        v11 = {"age": "200d", "dependencies": deps}
        if i % 50 == 0:
            v11["scripts"] = {"postinstall": "node setup.js"}
        if i % 40 == 0:
            v11["deprecated"] = "synthetic deprecation %d" % i
        pkgs.append({
            "ecosystem": "npm",
            "name": name(i),
            "description": "synthetic package %d for bench/tree.sh" % i,
            "publisher": "alice",
            # Only 1.1.0 is locked and judged; signing 1.0.0 too would only
            # double the registry's start-up (one openssl run per signature).
            "versions": {"1.0.0": {"age": "400d", "dependencies": deps, "signature": "missing"},
                         "1.1.0": v11},
        })
    with open(os.path.join(outdir, "npm-pgtree.json"), "w") as f:
        json.dump(pkgs, f)


def project(outdir, registry, n):
    u = urllib.parse.urlsplit(registry)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    packages = {"": {"name": "tree-bench", "version": "1.0.0",
                     "dependencies": {name(1): "^1.0.0"}}}
    for i in range(1, n + 1):
        conn.request("GET", "/" + name(i), headers={"Accept": "application/json"})
        r = conn.getresponse()
        doc = json.loads(r.read())
        if r.status != 200:
            sys.exit("facts_tree.py: %s answered %d" % (name(i), r.status))
        v = doc["versions"]["1.1.0"]
        ent = {"version": "1.1.0", "resolved": v["dist"]["tarball"],
               "integrity": v["dist"]["integrity"]}
        if v.get("dependencies"):
            ent["dependencies"] = v["dependencies"]
        if v.get("scripts", {}).get("postinstall"):
            ent["hasInstallScript"] = True
        packages["node_modules/" + name(i)] = ent
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "package.json"), "w") as f:
        json.dump({"name": "tree-bench", "version": "1.0.0",
                   "dependencies": {name(1): "^1.0.0"}}, f, indent=2)
    with open(os.path.join(outdir, "package-lock.json"), "w") as f:
        json.dump({"name": "tree-bench", "version": "1.0.0", "lockfileVersion": 3,
                   "requires": True, "packages": packages}, f, indent=2)


def run_once(argv):
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, dict(os.environ),
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                                       (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, status, ru = os.wait4(pid, 0)
    wall = (time.perf_counter() - t0) * 1000
    cpu = (ru.ru_utime + ru.ru_stime) * 1000
    return cpu, wall, ru.ru_maxrss, os.waitstatus_to_exitcode(status)


def measure(runs, argv):
    cpus, walls, rss, codes = [], [], [], set()
    # RUNS 0: one timed run and no warm-up (the cold run that fills a cache).
    for i in range(-1 if runs else 0, max(runs, 1)):
        cpu, wall, kb, code = run_once(argv)
        codes.add(code)
        if i >= 0:
            cpus.append(cpu)
            walls.append(wall)
            rss.append(kb)
    print("%.1f %.1f %d" % (statistics.median(cpus), statistics.median(walls),
                            statistics.median(rss)))
    print("status " + ",".join(str(c) for c in sorted(codes)))


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "gen":
        gen(a[1], int(a[2]))
    elif len(a) == 4 and a[0] == "project":
        project(a[1], a[2], int(a[3]))
    elif len(a) >= 3 and a[0] == "measure":
        measure(int(a[1]), a[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
