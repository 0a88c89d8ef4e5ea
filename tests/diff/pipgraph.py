#!/usr/bin/env python3
"""pipgraph.py - does pkggate judge the tree pip really installs? (issue 10)

From a seed, generate a random PyPI dependency graph (PROJECTS projects,
2-5 versions each, post- and pre-releases, PEP 508 specifiers including
wildcards, `~=`, `!=` and the old parenthesised form, markers on
python_version, python_full_version, sys_platform, platform_machine,
platform_system, implementation_name, os_name and extra, extras that pull
more extras, some versions without a PEP 658 file), serve it from the
fixture registry, and for SCENARIOS scenarios (roots x options: argv or
`-r`, `-c` constraints, `--no-deps`, `-U`, a venv with some projects
already installed at a version that does or does not satisfy) compare the
name==version set `pkggate run --json-out F -- pip install ...` judged
(policy: `"mode": "audit"`, which allows everything; the venv's `pip` is a
stand-in, so nothing is installed) with the `install` list of the real
pip's `pip install --dry-run --report`.

No generated graph needs resolvelib to backtrack (a documented limit of
pkggate, README "Not done yet"): every project p has a window W(p) of
versions whose top t(p) is what pip picks, and every specifier on p, in a
dependency, a root or a constraint, accepts all of W(p) and nothing above
t(p). Installed versions are inside W(p) (kept) or above t(p) (replaced);
constraints pin inside W(p). So every requirement pip meets agrees with
its first pick.

Then --index-scenarios more (gen_index_scenarios): a second fixture
registry as --extra-index-url and a find-links directory, with
dependencies newer, equal or older on each (INDEX_CASES).

Coverage per scenario = judged-and-installed / installed; printed with
every miss, then the median and the minimum. Exit 1 on any miss (or a
pkggate crash), 0 otherwise.

Environment: PG_BUILD_DIR (required), PG_SOURCE_DIR; options: --seed N,
--projects N, --scenarios N, --index-scenarios N, --keep (leave the work
directory).
"""
import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from pip._vendor.packaging.specifiers import SpecifierSet
from pip._vendor.packaging.version import Version

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixreg import FixtureRegistry  # noqa: E402
from pipgraph_ix import gen_index_scenarios, write_wheel  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("PG_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
TIMEOUT = 180
POLICY = {"mode": "audit", "undecidable": "allow"}
EXTRAS = ["cli", "fast", "all", "test", "docs"]


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


# -- the graph ----------------------------------------------------------------

def gen_versions(rng):
    majors = sorted(rng.sample(range(0, 4), rng.randint(1, 2)))
    vs = set()
    for m in majors:
        for _ in range(rng.randint(1, 3)):
            minor = rng.randint(0, 4)
            vs.add(f"{m}.{minor}" if rng.random() < 0.4 else f"{m}.{minor}.{rng.randint(0, 3)}")
    # PyPI refuses a second release of an equal version (1.0 == 1.0.0)
    vs = list({Version(v): v for v in sorted(vs)}.values())
    vs = sorted(vs, key=Version)[:4]
    if rng.random() < 0.2:  # a post-release of one of them
        vs.append(rng.choice(vs) + ".post1")
    vs = sorted(set(vs), key=Version)
    if rng.random() < 0.25:  # a pre-release above everything: pip skips it
        top = Version(vs[-1])
        vs.append(f"{top.major + 1}.0{rng.choice(['a1', 'b2', 'rc1'])}")
    return vs


def finals(vs):
    return [v for v in vs if not Version(v).is_prerelease]


def ok_spec(spec, proj):
    """Accepts every version of W(p) and nothing above t(p), pre-releases included."""
    try:
        s = SpecifierSet(spec)
    except Exception:
        return False
    if s.prereleases:  # names a pre-release: pip would then consider them
        return False
    t = Version(proj["top"])
    for v in proj["versions"]:
        if v in proj["window"] and not s.contains(v, prereleases=True):
            return False
        if Version(v) > t and s.contains(v, prereleases=True):
            return False
    return True


def spec_candidates(proj):
    vs, t, w = proj["versions"], proj["top"], proj["window"]
    tv = Version(t)
    above = [v for v in vs if Version(v) > tv]
    out = ["", f"<={t}", f"=={t}", f">={w[0]},<={t}", f"<{tv.major + 1}",
           f"=={tv.major}.*", f"~={tv.major}.{tv.minor}", f"=={t}.*"]
    if above:
        out.append(f"<{above[0]}")
        out.append(f"!={above[0]}," + f"<={t}")
    for v in vs:
        if Version(v) <= Version(w[0]):
            out.append(f">={v}")
            out.append(f">={v},<{tv.major + 1}")
            out.append(f">{v}" if v not in w else f">={v}")
        if v not in w and Version(v) < Version(w[0]):
            out.append(f"!={v},<={t}")
    if len(tv.release) >= 3:
        out.append(f"~={tv.major}.{tv.minor}.{tv.release[2]}")
    return [s for s in dict.fromkeys(out) if ok_spec(s, proj)]


def spec_for(rng, proj):
    return rng.choice(spec_candidates(proj)) or ""


def marker(rng, m):
    """A marker expression and whether it holds on this machine (m: the values)."""
    py = m["python_version"]
    atoms = [
        (f'python_version >= "3.8"', True), (f'python_version < "3.8"', False),
        (f'python_version == "{py}"', True), (f'"{py}" <= python_version', True),
        (f'python_version in "2.7 3.6"', False), (f'python_version > "4"', False),
        (f'python_full_version >= "{py}.0"', True), ('python_full_version < "3.0.1"', False),
        ('sys_platform == "linux"', m["sys_platform"] == "linux"),
        ('sys_platform == "win32"', False), ('sys_platform != "darwin"', True),
        (f'platform_machine == "{m["platform_machine"]}"', True),
        ('platform_machine == "s390x"', m["platform_machine"] == "s390x"),
        ('implementation_name == "cpython"', True), ('implementation_name == "pypy"', False),
        ('platform_python_implementation == "CPython"', True),
        ('platform_system == "Windows"', False), ('os_name == "posix"', True),
    ]
    a, va = rng.choice(atoms)
    if rng.random() < 0.35:
        b, vb = rng.choice(atoms)
        if rng.random() < 0.5:
            return f"{a} and {b}", va and vb
        return f"({a} or {b})", va or vb
    return a, va


def gen_graph(rng, n, mvals):
    projs = []
    for i in range(n):
        name = f"pg{i:02d}-{rng.choice(['core', 'util', 'net', 'io', 'cli', 'x'])}"
        if rng.random() < 0.15:  # a display name that only normalises to the URL one
            name = name.replace("-", rng.choice(["_", "."])).title()
        vs = gen_versions(rng)
        fs = finals(vs)
        ti = len(fs) - 1 if rng.random() < 0.6 else rng.randrange(len(fs))
        lo = rng.randint(0, ti) if rng.random() < 0.5 else ti
        extras = sorted(rng.sample(EXTRAS, rng.choice([0, 0, 1, 2])))
        projs.append({"name": name, "versions": vs, "top": fs[ti], "window": fs[lo:ti + 1],
                      "extras": extras, "deps": {}})
    for i, p in enumerate(projs):
        later = list(range(i + 1, min(n, i + 14)))
        for v in p["versions"]:
            deps = []
            for j in rng.sample(later, min(len(later), rng.choice([0, 1, 1, 2, 2, 3, 4]))):
                deps.append(dep_line(rng, projs[j], mvals))
            for e in p["extras"]:  # what each extra pulls in
                if later and rng.random() < 0.8:
                    q = projs[rng.choice(later)]
                    deps.append(dep_line(rng, q, mvals, extra=e))
            if "all" in p["extras"] and len(p["extras"]) > 1:  # an extra pulling extras
                others = ",".join(x for x in p["extras"] if x != "all")
                deps.append(f'{p["name"]}[{others}]; extra == "all"')
            p["deps"][v] = deps
    return projs


def dep_line(rng, q, mvals, extra=None):
    spec = spec_for(rng, q)
    ext = ""
    if q["extras"] and rng.random() < 0.3:
        ext = "[" + rng.choice(q["extras"]) + "]"
    if spec and rng.random() < 0.1 and "," not in spec and "*" not in spec:
        line = f"{q['name']}{ext} ({spec})"  # the old Requires-Dist form
    else:
        line = f"{q['name']}{ext}{spec}"
    conds = []
    if rng.random() < 0.35:
        conds.append(marker(rng, mvals)[0])
    if extra:
        conds.append(f'extra == "{extra}"')
    return line + ("; " + " and ".join(conds) if conds else "")


def fixture_json(projs, rng):
    out = []
    for p in projs:
        vers = {}
        for v in p["versions"]:
            vs = {"age": "300d", "dependencies": p["deps"][v]}
            if p["extras"]:
                vs["extras"] = p["extras"]
            if rng.random() < 0.15:
                vs["core-metadata"] = False  # the JSON API's requires_dist alone says
            vers[v] = vs
        out.append({"ecosystem": "pypi", "name": p["name"], "summary": "pipgraph",
                    "requires-python": ">=3.7", "versions": vers})
    return out


# -- scenarios ----------------------------------------------------------------

def gen_states(rng, projs):
    """Venv states: 0 empty; 1, 2 with projects installed (kept or replaced)."""
    states = [[]]
    for _ in range(2):
        inst = []
        for p in rng.sample(projs, min(len(projs), 10)):
            above = [v for v in finals(p["versions"]) if Version(v) > Version(p["top"])]
            if above and rng.random() < 0.4:
                inst.append((p["name"], rng.choice(above)))  # pip replaces it
            else:
                inst.append((p["name"], rng.choice(p["window"])))  # pip keeps it
        states.append(inst)
    return states


def root_line(rng, p, mvals):
    ext = ""
    if p["extras"] and rng.random() < 0.5:
        ext = "[" + ",".join(rng.sample(p["extras"], rng.randint(1, len(p["extras"])))) + "]"
    line = p["name"] + ext + spec_for(rng, p)
    if rng.random() < 0.15:
        line += "; " + marker(rng, mvals)[0]
    return line


def gen_scenarios(rng, projs, n, mvals):
    cands = projs[: max(3, len(projs) * 2 // 5)]
    out = []
    for k in range(n):
        roots = [root_line(rng, p, mvals) for p in rng.sample(cands, rng.randint(1, 3))]
        sc = {"id": k, "roots": roots, "state": rng.choice([0, 0, 1, 2]),
              "reqfile": rng.random() < 0.3, "nodeps": rng.random() < 0.12,
              "upgrade": rng.random() < 0.12, "constraints": []}
        if rng.random() < 0.35:
            for p in rng.sample(projs, 4):
                v = rng.choice(p["window"])
                sc["constraints"].append(p["name"] + rng.choice(["==", "<="]) + v)
        sc["constraints"] = [c for c in sc["constraints"] if constraint_ok(c, projs)]
        out.append(sc)
    return out


def constraint_ok(line, projs):
    """A constraint narrowing p to v in W(p) keeps every dependency's specifier
    satisfiable (they accept all of W(p)), so no backtracking: pip picks the
    best of W(p) under v."""
    by = {norm(p["name"]): p for p in projs}
    m = re.match(r"([A-Za-z0-9_.-]+)(.*)", line)
    p = by[norm(m.group(1))]
    s = SpecifierSet(m.group(2))
    return any(s.contains(v) for v in p["window"])


# -- running ------------------------------------------------------------------

def machine_values():
    return {"python_version": "%d.%d" % sys.version_info[:2], "sys_platform": sys.platform,
            "platform_machine": os.uname().machine}


class Registry(FixtureRegistry):
    """One fixture registry on loopback, serving pkgdir."""

    def __init__(self, tmp, tag, pkgdir):
        super().__init__(os.path.join(tmp, tag), pkgdir)

    def wait_ready(self):
        return "http://127.0.0.1:%d/simple" % self.wait_port()


class Env:
    def __init__(self, tmp, pkgdir, extradir):
        self.tmp = tmp
        self.regs = [Registry(tmp, "reg", pkgdir), Registry(tmp, "reg-extra", extradir)]
        home = os.path.join(tmp, "home")
        os.makedirs(home)
        self.policy = os.path.join(tmp, "policy.json")
        json.dump(POLICY, open(self.policy, "w"))
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": home,
            "XDG_CONFIG_HOME": home + "/.config", "XDG_CACHE_HOME": home + "/.cache",
            "XDG_STATE_HOME": home + "/.state", "PIP_CACHE_DIR": home + "/pip-cache",
            "PIP_CONFIG_FILE": "/dev/null", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PIP_NO_INPUT": "1", "PKGGATE_AUDIT_LOG": "off", "PKGGATE_POLICY": self.policy,
            "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
            "no_proxy": "127.0.0.1,localhost"}
        for k in ("PYENV_VERSION", "PYENV_ROOT"):
            if k in os.environ:
                self.env[k] = os.environ[k]

    def trust_policy(self, pkggate):
        """A $PKGGATE_POLICY that loosens is ignored until trusted."""
        subprocess.run([pkggate, "policy", "trust", self.policy], env=self.env, check=True,
                       capture_output=True, timeout=TIMEOUT)

    def wait_ready(self):
        self.index = self.regs[0].wait_ready()
        self.extra = self.regs[1].wait_ready()

    def venv(self, k, installed):
        """A venv holding `installed` (name, version), its pip scripts stand-ins."""
        d = os.path.join(self.tmp, "venv%d" % k)
        subprocess.run([sys.executable, "-m", "venv", d], check=True, capture_output=True)
        py = os.path.join(d, "bin", "python")
        if installed:
            subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", "--only-binary",
                            ":all:", "-i", self.index] + ["%s==%s" % x for x in installed],
                           check=True, capture_output=True, env=self.env, timeout=TIMEOUT)
        # pkggate execs `pip` when it allows: a stand-in that installs nothing,
        # whose #! names the venv's interpreter as the real script's does.
        for t in os.listdir(os.path.join(d, "bin")):
            if re.fullmatch(r"pip[0-9.]*", t):
                p = os.path.join(d, "bin", t)
                os.unlink(p)
                with open(p, "w") as f:
                    f.write("#!%s\nimport sys\nsys.exit(0)\n" % py)
                os.chmod(p, 0o755)
        return d

    def stop(self):
        for r in self.regs:
            r.stop()


def argv_of(sc, work, index, extra):
    argv = ["install", "-i", index]
    if sc.get("extra") == "argv":
        argv += ["--extra-index-url", extra]
    if sc.get("links") == "argv":
        argv += ["-f", os.path.join(os.path.dirname(work), "links")]
    if sc["reqfile"]:
        with open(os.path.join(work, "requirements.txt"), "w") as f:
            if sc.get("extra") == "reqfile":
                f.write("--extra-index-url %s\n" % extra)
            f.write("\n".join(sc["roots"]) + "\n")
        argv += ["-r", "requirements.txt"]
    else:
        argv += sc["roots"]
    if sc["constraints"]:
        with open(os.path.join(work, "constraints.txt"), "w") as f:
            f.write("\n".join(sc["constraints"]) + "\n")
        argv += ["-c", "constraints.txt"]
    if sc["nodeps"]:
        argv.append("--no-deps")
    if sc["upgrade"]:
        argv.append("-U")
    return argv


def canon(v):
    try:
        return str(Version(v))
    except Exception:
        return v


def run_one(pkggate, env, venv, sc, tmp):
    work = os.path.join(tmp, "sc%03d" % sc["id"])
    os.makedirs(work)
    argv = argv_of(sc, work, env.index, env.extra)
    e = dict(env.env, PATH=os.path.join(venv, "bin") + ":" + env.env["PATH"],
             VIRTUAL_ENV=venv)
    if sc.get("extra") == "env":
        e["PIP_EXTRA_INDEX_URL"] = env.extra
    if sc.get("links") == "env":
        e["PIP_FIND_LINKS"] = os.path.join(tmp, "links")
    jl = os.path.join(work, "judged.jsonl")
    t0 = time.monotonic()
    pg = subprocess.run([pkggate, "run", "--json-out", jl, "--", "pip"] + argv, cwd=work,
                        env=e, capture_output=True, text=True, timeout=TIMEOUT)
    secs = time.monotonic() - t0
    judged = set()
    if os.path.exists(jl):
        for line in open(jl):
            if line.startswith("{"):
                o = json.loads(line)
                if o.get("name") and o.get("version") and o.get("origin") != "landed":
                    judged.add((norm(o["name"]), canon(o["version"])))
    rep = os.path.join(work, "report.json")
    t = subprocess.run([os.path.join(venv, "bin", "python"), "-m", "pip"] + argv +
                       ["--dry-run", "--report", rep, "--only-binary", ":all:"], cwd=work,
                       env=e, capture_output=True, text=True, timeout=TIMEOUT)
    if t.returncode != 0:
        return {"error": "pip failed: " + (t.stderr.strip().splitlines() or ["?"])[-1][:300]}
    inst = set()
    for it in json.load(open(rep)).get("install", []):
        inst.add((norm(it["metadata"]["name"]), canon(it["metadata"]["version"])))
    res = {"installed": inst, "judged": judged, "pg_rc": pg.returncode, "secs": secs,
           "argv": argv}
    if pg.returncode not in (0, 10, 11):
        res["error"] = "pkggate exited %d: %s" % (pg.returncode,
                                                  (pg.stderr.strip().splitlines() or ["?"])[-1])
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=int(os.environ.get("PKGGATE_PIPGRAPH_SEED", 1)))
    ap.add_argument("--projects", type=int, default=60)
    ap.add_argument("--scenarios", type=int, default=40)
    ap.add_argument("--index-scenarios", type=int, default=6,
                    help="scenarios with an --extra-index-url (a second registry)")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    build = os.environ.get("PG_BUILD_DIR")
    pkggate = os.path.join(build or "", "shim", "pkggate")
    if not build or not os.access(pkggate, os.X_OK):
        sys.exit("pipgraph.py: set PG_BUILD_DIR to a build holding shim/pkggate")
    rng = random.Random(args.seed)
    mvals = machine_values()
    projs = gen_graph(rng, args.projects, mvals)
    states = gen_states(rng, projs)
    scens = gen_scenarios(rng, projs, args.scenarios, mvals)
    tmp = tempfile.mkdtemp(prefix="pkggate-pipgraph.")
    pkgdir = os.path.join(tmp, "packages")
    os.makedirs(pkgdir)
    with open(os.path.join(pkgdir, "pypi-graph.json"), "w") as f:
        json.dump(fixture_json(projs, rng), f, indent=1)
    # Their own generator, so a seed's single-index graph stays what it was.
    iscens, iprim, iextra, ilocal = gen_index_scenarios(random.Random("ix%d" % args.seed),
                                                        args.index_scenarios, len(scens))
    os.makedirs(os.path.join(tmp, "links"))
    for name, version, requires in ilocal:
        write_wheel(os.path.join(tmp, "links"), name, version, requires)
    scens += iscens
    extradir = os.path.join(tmp, "packages-extra")
    os.makedirs(extradir)
    if not iextra:  # a registry serves at least one project
        iextra = [{"ecosystem": "pypi", "name": "ix-none", "versions": {"1.0": {"age": "300d"}}}]
    for d, entries in ((pkgdir, iprim), (extradir, iextra)):
        if entries:
            with open(os.path.join(d, "pypi-ix.json"), "w") as f:
                json.dump(entries, f, indent=1)
    nv = sum(len(p["versions"]) for p in projs)
    print(f"pipgraph: seed {args.seed}, {len(projs)} projects, {nv} versions, "
          f"{len(scens)} scenarios ({len(iscens)} with an extra index); pip {subprocess.check_output([sys.executable, '-m', 'pip', '--version'], text=True).split()[1]}"
          f", python {mvals['python_version']} {mvals['sys_platform']} {mvals['platform_machine']}",
          flush=True)
    env = Env(tmp, pkgdir, extradir)
    cov, misses, errors, extra_judged = [], 0, 0, 0
    t0 = time.monotonic()
    try:
        env.wait_ready()
        env.trust_policy(pkggate)
        venvs = [env.venv(k, st) for k, st in enumerate(states)]
        for k, st in enumerate(states):
            if st:
                print(f"venv {k} holds: " + " ".join("%s==%s" % x for x in st))
        for sc in scens:
            r = run_one(pkggate, env, venvs[sc["state"]], sc, tmp)
            opts = [f"venv{sc['state']}"] + (["-r"] if sc["reqfile"] else []) + \
                (["-c " + " ".join(sc["constraints"])] if sc["constraints"] else []) + \
                (["--no-deps"] if sc["nodeps"] else []) + (["-U"] if sc["upgrade"] else []) + \
                (["extra index: %s, find-links: %s; %s" % (sc["extra"], sc["links"],
                                                          " ".join(sc["cases"]))]
                 if sc.get("extra") else [])
            head = f"#{sc['id']:02d} {' '.join(sc['roots'])!s} [{', '.join(opts)}]"
            if "installed" not in r:
                errors += 1
                print(f"{head}: skipped, {r['error']}")
                continue
            inst, jg = r["installed"], r["judged"]
            miss = sorted(inst - jg)
            c = 100.0 * (len(inst) - len(miss)) / len(inst) if inst else 100.0
            cov.append(c)
            misses += len(miss)
            extra_judged += len(jg - inst)
            more = sorted(jg - inst)
            print(f"{head}: pip installs {len(inst)}, judged {len(jg)}, cover {c:.1f}%"
                  f" ({r['secs']:.1f}s)" + (" MISS " + ", ".join("%s==%s" % m for m in miss)
                                           if miss else "") +
                  ("; also judged " + ", ".join("%s==%s" % m for m in more) if more else ""),
                  flush=True)
            if "error" in r:
                errors += 1
                print("  " + r["error"])
    finally:
        env.stop()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept " + tmp)
    if not cov:
        sys.exit("pipgraph: no scenario ran")
    print(f"pipgraph: {len(cov)} scenarios compared ({time.monotonic() - t0:.0f} s); coverage "
          f"median {statistics.median(cov):.2f}%, minimum {min(cov):.2f}%; {misses} misses; "
          f"{extra_judged} judged but not installed (roots pip keeps installed or skips for a false marker; not counted); "
          f"{errors} errors")
    sys.exit(1 if misses or errors else 0)


if __name__ == "__main__":
    main()
