#!/usr/bin/env python3
"""bench/faithful.py - the comparison of bench/faithful_npm.sh (see its header).

usage: faithful.py PKGGATE WORKDIR CASE...

A CASE is a package spec ("express", "@babel/core") or a project,
"name=dep1+dep2+..." (one package.json holding those dependencies).
"""
import json
import os
import statistics
import subprocess
import sys
import time

FLAGS = ["--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"]


def project(d, case):
    os.makedirs(d)
    pkg = {"name": "faithful-app", "version": "1.0.0"}
    args = []
    if "=" in case:
        pkg["dependencies"] = {dep: "*" for dep in case.split("=", 1)[1].split("+")}
    else:
        args = [case]
    with open(os.path.join(d, "package.json"), "w") as f:
        json.dump(pkg, f)
    return args


def locked(d):
    lock = json.load(open(os.path.join(d, "package-lock.json")))
    out = set()
    for k, e in lock.get("packages", {}).items():
        if not k or "node_modules/" not in k or e.get("link"):
            continue
        out.add((e.get("name") or k.rsplit("node_modules/", 1)[1], e.get("version")))
    return out


def judged(path):
    out = set()
    for line in open(path):
        if line.startswith("{"):
            v = json.loads(line)
            if v.get("name") and v.get("version"):
                out.add((v["name"], v["version"]))
    return out


def one(pkggate, work, i, case):
    d = os.path.join(work, "case-%02d" % i)
    args = project(d, case)
    jl = os.path.join(d, "judged.jsonl")
    t0 = time.monotonic()
    p = subprocess.run([pkggate, "run", "--json-out", jl, "--", "npm", "install"] + FLAGS + args,
                       cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    secs = time.monotonic() - t0
    if p.returncode != 0 or not os.path.exists(os.path.join(d, "package-lock.json")):
        # Blocked (or npm failed): what would npm have written? Ask it bare.
        q = subprocess.run(["npm", "install"] + FLAGS + args, cwd=d, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        if q.returncode != 0:
            return None, "npm failed: " + q.stderr[-300:], p.returncode, secs
    lk, jg = locked(d), judged(jl)
    return (lk, jg), "", p.returncode, secs


def main():
    pkggate, work, cases = sys.argv[1], sys.argv[2], sys.argv[3:]
    cov = []
    print("%-40s %6s %6s %6s %8s  %s" % ("case", "locked", "judged", "cover", "pkggate", "misses"))
    for i, case in enumerate(cases):
        res, err, rc, secs = one(pkggate, work, i, case)
        if res is None:
            print("%-40s skipped: %s" % (case, err))
            continue
        lk, jg = res
        miss = sorted(lk - jg)
        c = 100.0 * (len(lk) - len(miss)) / len(lk) if lk else 100.0
        cov.append((c, case))
        shown = ", ".join("%s@%s" % m for m in miss[:12]) + (" ..." if len(miss) > 12 else "")
        print("%-40s %6d %6d %5.1f%% %6.1fs%s  %s" % (case[:40], len(lk), len(jg), c, secs,
                                                    "" if rc == 0 else " (exit %d)" % rc, shown),
              flush=True)
    if not cov:
        sys.exit("faithful: no case ran")
    vals = [c for c, _ in cov]
    worst = min(cov)
    print("cases %d; coverage median %.2f%% (target >= 99.5%%: %s), minimum %.2f%% (%s; "
          "target >= 98%%: %s)" % (len(cov), statistics.median(vals),
                                   "met" if statistics.median(vals) >= 99.5 else "MISSED",
                                   worst[0], worst[1], "met" if worst[0] >= 98 else "MISSED"))


if __name__ == "__main__":
    main()
