#!/usr/bin/env python3
"""Write a synthetic audit log of N decisions (bench/report.sh, tests/e2e/
t81-report.sh) and print what `pkggate report --since 7d` must count.

Usage: mkaudit.py OUT N. Deterministic (seeded). Decisions come in runs of
1..40 lines sharing time and pid, like pkggate writes them; 80% of runs are
within the last 6 days, the rest 8..10 days old, so --since 7d has a clear
boundary. About 3% blocked, 7% warned, and some allows through an exception."""
import json
import random
import sys
import time

out, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
now = int(time.time())
rules_b = ["typosquat", "min_version_age", "deny", "unknown_package"]
rules_w = ["min_package_age", "install_scripts", "deprecated", "non_registry_source"]
projects = ["/src/team%d/app%d" % (i % 5, i) for i in range(20)]
want = {"decisions": 0, "blocked": 0, "warned": 0, "allowed": 0, "runs": 0, "used": 0,
        "by_rule": {}, "old": 0}
lines, pid = [], 1000
while len(lines) < n:
    pid += 1
    old = rnd.random() < 0.2
    age = rnd.randint(8 * 86400, 10 * 86400) if old else rnd.randint(60, 6 * 86400)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - age))
    ctx = {"time": stamp, "tool": rnd.choice(["npm", "pip"]), "command": "install", "pid": pid,
           "project": rnd.choice(projects)}
    if not old:
        want["runs"] += 1
    for _ in range(min(rnd.randint(1, 40), n - len(lines))):
        eco = "npm" if ctx["tool"] == "npm" else "pypi"
        d = dict(ctx, ecosystem=eco, name="pkg%d" % rnd.randint(0, 1999),
                 spec="", version="1.%d.0" % rnd.randint(0, 9), origin="package-lock.json")
        x, reasons = rnd.random(), []
        if x < 0.03:
            d["decision"], r = "block", rnd.choice(rules_b)
            reasons.append({"rule": r, "action": "block", "message": "synthetic"})
        elif x < 0.10:
            d["decision"], r = "warn", rnd.choice(rules_w)
            reasons.append({"rule": r, "action": "warn", "message": "synthetic"})
        else:
            d["decision"], r = "allow", None
            if x > 0.99:
                reasons.append({"rule": "min_version_age", "action": "block",
                                "message": "synthetic", "exempted": "CVE fix, reviewed"})
        d["reasons"] = reasons
        lines.append(json.dumps(d, separators=(",", ":")))
        if old:
            want["old"] += 1
            continue
        want["decisions"] += 1
        want[{"block": "blocked", "warn": "warned", "allow": "allowed"}[d["decision"]]] += 1
        if r:
            want["by_rule"][r] = want["by_rule"].get(r, 0) + 1
        want["used"] += bool(reasons and "exempted" in reasons[0])
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
print(json.dumps(want, sort_keys=True))
