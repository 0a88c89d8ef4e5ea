#!/usr/bin/env python3
"""run.py - run the differential cases of gen.py (see README.md).

For each case: what pkggate judges (`pkggate run --json -- <tool> <argv>`
under a policy that blocks every judged version after resolution) against
what the real tool resolves on the fixture registry (npm: the lockfile
`npm install --package-lock-only --ignore-scripts` writes, or the hidden
lockfile of a real `npm install --ignore-scripts`; pip: the report of
`pip install --dry-run --report`). Direct dependencies are compared by
name, version and registry; transitive installs are compared too (npm and pip).

Environment: PG_BUILD_DIR (required), PG_SOURCE_DIR, PKGGATE_DIFF (unset:
every Nth case, about 40; "all": every case; a number N: every Nth case;
anything else: a regular expression on case ids), PKGGATE_DIFF_JOBS
(default 2). Exit 0 when every disagreement is in known.txt and every
known entry still disagrees somewhere.
"""
import fnmatch
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402
from fixreg import FixtureRegistry  # noqa: E402

SRC = os.environ.get("PG_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("PG_BUILD_DIR")
PKGGATE = os.path.join(BUILD or "", "shim", "pkggate")
DEFAULT_SAMPLE = 40
TIMEOUT = 180
# Blocks every version after it is resolved, so pkggate prints versions and
# never execs the tool (a stand-in records it if it does).
POLICY = {"mode": "enforce", "undecidable": "block",
          "rules": {"min_version_age": {"action": "block", "age": "36500d"}}}
STANDIN = "#!/bin/sh\necho \"$0 $*\" >>\"${PG_DIFF_EXEC_LOG:-/dev/null}\"\nexit 0\n"


def norm_pip(name):
    return re.sub(r"[-_.]+", "-", name).lower()


class Registry(FixtureRegistry):
    def __init__(self, root, label):
        self.label = label
        super().__init__(os.path.join(root, "reg-" + label),
                         os.path.join(SRC, "tests/fixture/packages"), label)

    def wait_ready(self):
        self.port = self.wait_port()
        self.npm = f"http://127.0.0.1:{self.port}/"
        self.pypi = f"http://127.0.0.1:{self.port}/simple"

    def log_size(self):
        try:
            return os.path.getsize(os.path.join(self.state, "requests.log"))
        except OSError:
            return 0

    def names_since(self, off, eco):
        names = set()
        with open(os.path.join(self.state, "requests.log"), "rb") as f:
            f.seek(off)
            for line in f.read().decode("utf-8", "replace").splitlines():
                parts = line.split(" ")
                if len(parts) < 2:
                    continue
                path = urllib.parse.unquote(parts[1].split("?")[0])
                if eco == "pip":
                    m = re.match(r"^/(?:simple|pypi)/([^/]+)", path)
                    if m and m.group(1):
                        names.add(norm_pip(m.group(1)))
                else:
                    if path.startswith("/-/") or path.startswith("/simple") or path.startswith("/pypi"):
                        continue
                    seg = path.lstrip("/").split("/")
                    if seg[0].startswith("@") and len(seg) > 1:
                        names.add(seg[0] + "/" + seg[1])
                    elif seg[0]:
                        names.add(seg[0])
        return names


class Slot:
    """One worker's registry pair (A decoy, B winner): request logs stay per case."""

    def __init__(self, root, n):
        self.root = os.path.join(root, f"slot{n}")
        os.makedirs(self.root)
        self.a = Registry(self.root, "A")
        self.b = Registry(self.root, "B")

    def ready(self, base_env):
        self.a.wait_ready()
        self.b.wait_ready()
        self.label = {self.a.port: "A", self.b.port: "B"}
        # The lockfile template: real npm, pinned versions, from B.
        d = os.path.join(self.root, "locktpl")
        os.makedirs(d)
        with open(os.path.join(d, "package.json"), "w") as f:
            json.dump({"name": "app", "version": "1.0.0"}, f)
        env = dict(base_env, HOME=self.root, npm_config_cache=os.path.join(self.root, "npmc"),
                   npm_config_registry=self.b.npm)
        r = subprocess.run(["npm", "install", "--package-lock-only", "--ignore-scripts",
                            "left-pad@1.0.0", "tagged-lib@1.0.0"], cwd=d, env=env,
                           capture_output=True, text=True, timeout=TIMEOUT)
        if r.returncode != 0:
            raise RuntimeError("npm could not write the lockfile template: " + r.stderr)
        pj = json.load(open(os.path.join(d, "package.json")))
        pj["dependencies"] = {"left-pad": "^1.0.0", "tagged-lib": "^1.0.0"}
        self.lock_pkgjson = json.dumps(pj, indent=2) + "\n"
        self.lock_text = open(os.path.join(d, "package-lock.json")).read()

    def source_of(self, url):
        if not url:
            return "?"
        u = urllib.parse.urlparse(url)
        if u.scheme == "file" or u.scheme == "":
            return "find-links"
        if u.hostname in ("127.0.0.1", "localhost") and u.port in self.label:
            return self.label[u.port]
        return "other:" + (u.hostname or "?")

    def stop(self):
        self.a.stop()
        self.b.stop()


def fill(s, subst):
    for k, v in subst.items():
        s = s.replace("{" + k + "}", v)
    return s


def npm_truth(work, lockpath):
    """Direct and transitive registry installs of a (hidden) lockfile."""
    try:
        lock = json.load(open(lockpath))
    except (OSError, ValueError):
        return None, None
    pk = lock.get("packages", {})
    # Who declares dependencies: the root and every workspace folder (links).
    declarers = [""]
    for path, e in pk.items():
        if e.get("link") and e.get("resolved") and "node_modules" not in e["resolved"]:
            declarers.append(e["resolved"])
    for path in pk:
        if path and not path.startswith("node_modules/") and "/node_modules/" not in path:
            declarers.append(path)
    direct = {}
    seen = set()
    for decl in dict.fromkeys(declarers):
        try:
            pj = json.load(open(os.path.join(work, decl, "package.json")))
        except (OSError, ValueError):
            continue
        names = set()
        for k in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
            names.update((pj.get(k) or {}).keys())
        for n in names:
            for cand in ((decl + "/" if decl else "") + "node_modules/" + n, "node_modules/" + n):
                e = pk.get(cand)
                if e is not None:
                    if not e.get("link") and e.get("version"):
                        direct[(n, e["version"])] = e.get("resolved")
                        seen.add(cand)
                    break
    trans = set()
    for path, e in pk.items():
        if "node_modules/" in path and path not in seen and not e.get("link") and e.get("version"):
            trans.add((path.rsplit("node_modules/", 1)[1], e["version"]))
    return direct, trans


def pip_truth(report):
    try:
        rep = json.load(open(report))
    except (OSError, ValueError):
        return None, None
    direct, trans = {}, set()
    for it in rep.get("install", []):
        key = (norm_pip(it["metadata"]["name"]), it["metadata"]["version"])
        if it.get("requested"):
            direct[key] = (it.get("download_info") or {}).get("url")
        else:
            trans.add(key)
    return direct, trans


class Runner:
    def __init__(self, jobs):
        self.tmp = tempfile.mkdtemp(prefix="pkggate-diff.")
        self.jobs = jobs
        self.slots = []
        self.base_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "npm_config_update_notifier": "false", "npm_config_fund": "false",
            "npm_config_audit": "false", "npm_config_loglevel": "error",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1",
            "PKGGATE_AUDIT_LOG": "off",
            # Nothing may leave loopback: a setting that is misread fails
            # on a dead proxy instead of reaching the public registries.
            "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
            "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost",
        }
        for k in ("PYENV_VERSION", "PYENV_ROOT"):
            if k in os.environ:
                self.base_env[k] = os.environ[k]

    def setup(self, need_pip):
        for n in range(self.jobs):
            self.slots.append(Slot(self.tmp, n))
        self.policy = os.path.join(self.tmp, "policy.json")
        json.dump(POLICY, open(self.policy, "w"))
        self.standin = os.path.join(self.tmp, "standin")
        with open(self.standin, "w") as f:
            f.write(STANDIN)
        os.chmod(self.standin, 0o755)
        self.fl = os.path.join(self.tmp, "find-links")
        os.makedirs(self.fl)
        subprocess.run([sys.executable, os.path.join(SRC, "tests/e2e/mkwheel.py"),
                        "requests-mini", "2.99.0", self.fl], check=True, capture_output=True)
        self.venv = os.path.join(self.tmp, "venv")
        if need_pip:
            # One venv for every case: --dry-run installs nothing into it. Its
            # pip/pip3 are stand-ins, so an exec by pkggate installs nothing;
            # the tool itself runs as `venv/bin/python -m pip`.
            subprocess.run([sys.executable, "-m", "venv", self.venv], check=True,
                           capture_output=True)
            for t in os.listdir(os.path.join(self.venv, "bin")):
                if re.fullmatch(r"pip[0-9.]*", t):
                    p = os.path.join(self.venv, "bin", t)
                    os.unlink(p)
                    shutil.copy(self.standin, p)
        for s in self.slots:
            s.ready(self.base_env)

    def teardown(self):
        for s in self.slots:
            s.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_case(self, case, slot):
        root = tempfile.mkdtemp(prefix="c.", dir=self.tmp)
        work, home = os.path.join(root, "work"), os.path.join(root, "home")
        os.makedirs(work)
        os.makedirs(home)
        before = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - 30 * 86400))
        subst = {"A": slot.a.npm, "B": slot.b.npm, "PA": slot.a.pypi, "PB": slot.b.pypi,
                 "FL": self.fl, "ROOT": root, "BEFORE": before}
        if case["lock"]:
            with open(os.path.join(work, "package.json"), "w") as f:
                f.write(slot.lock_pkgjson)
            with open(os.path.join(work, "package-lock.json"), "w") as f:
                f.write(slot.lock_text)
        for rel, text in case["files"].items():
            p = os.path.join(root, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w", encoding="utf-8") as f:
                f.write(fill(text, subst))
        env = dict(self.base_env)
        env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
                   XDG_CACHE_HOME=os.path.join(home, ".cache"),
                   XDG_STATE_HOME=os.path.join(home, ".local/state"),
                   npm_config_cache=os.path.join(root, "npm-cache"),
                   PIP_CACHE_DIR=os.path.join(root, "pip-cache"),
                   PKGGATE_POLICY=self.policy, PG_DIFF_EXEC_LOG=os.path.join(root, "exec.log"))
        if case["eco"] == "pip":
            env["PATH"] = os.path.join(self.venv, "bin") + ":" + env["PATH"]
        else:
            env["PKGGATE_REAL_NPM"] = self.standin
        for k, v in case["env"].items():
            env[k] = fill(v, subst)
        argv = [fill(a, subst) for a in case["argv"]]
        tool = "npm" if case["eco"] == "npm" else "pip"

        offs = (slot.a.log_size(), slot.b.log_size())
        pg = subprocess.run([PKGGATE, "run", "--json", "--", tool] + argv, cwd=work, env=env,
                            capture_output=True, text=True, timeout=TIMEOUT)
        asked = {"A": slot.a.names_since(offs[0], case["eco"]),
                 "B": slot.b.names_since(offs[1], case["eco"])}
        judged = {}
        for line in pg.stdout.splitlines():
            try:
                o = json.loads(line)
            except ValueError:
                continue
            if not isinstance(o, dict) or not o.get("name"):
                continue
            n = o["name"] if tool == "npm" else norm_pip(o["name"])
            judged.setdefault(n, set()).add(o.get("version"))
        execd = os.path.exists(os.path.join(root, "exec.log"))

        if tool == "npm":
            extra = ["--ignore-scripts"] if case["reify"] else ["--package-lock-only",
                                                                 "--ignore-scripts"]
            cmd = ["npm"] + argv + extra
            t = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True,
                               timeout=TIMEOUT)
            lp = os.path.join(work, "node_modules/.package-lock.json" if case["reify"]
                              else "package-lock.json")
            direct, trans = npm_truth(work, lp) if t.returncode == 0 else (None, None)
        else:
            rep = os.path.join(root, "report.json")
            cmd = [os.path.join(self.venv, "bin/python"), "-m", "pip"] + argv + [
                "--dry-run", "--report", rep, "--only-binary", ":all:"]
            if any(a.startswith("--python-version") for a in argv):
                cmd += ["--target", os.path.join(root, "target")]  # pip wants one with it
            t = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True,
                               timeout=TIMEOUT)
            direct, trans = pip_truth(rep) if t.returncode == 0 else (None, None)
            if direct is not None:
                direct = {k: v for k, v in direct.items()}

        res = {"id": case["id"], "cmd": " ".join([tool] + case["argv"]), "env": case["env"],
               "pg_rc": pg.returncode, "execd": execd, "tool_rc": t.returncode,
               "problems": [], "unjudged": 0, "trans": 0}
        if pg.returncode not in (0, 10, 11):  # a crash, a sanitizer report
            res["problems"].append(f"pkggate exited {pg.returncode}: " +
                                   ((pg.stderr.strip().splitlines() or ["?"])[-1])[:200])
        # The whole command refused (a setting pkggate does not model follows
        # unknown_arguments): nothing can land, which is safe, not a miss.
        if (pg.returncode == 10 and not judged and not execd
                and "[unknown_arguments]" in pg.stderr):
            res["refused"] = True
            shutil.rmtree(root, ignore_errors=True)
            return res
        if direct is None:
            res["tool_error"] = (t.stderr.strip().splitlines() or ["?"])[-1][:200]
            shutil.rmtree(root, ignore_errors=True)
            return res
        res["trans"] = len(trans)
        installed = []
        for (n, v), url in sorted(direct.items()):
            src = slot.source_of(url)
            installed.append(f"{n}@{v} ({src})")
            got = judged.get(n)
            if not got or v not in got:
                res["unjudged"] += 1
                res["problems"].append(f"{n}@{v} from {src} not judged" +
                                       (f" (judged {n}@{'/'.join(sorted(map(str, got)))})"
                                        if got else ""))
            elif src in ("A", "B") and n not in asked[src]:
                where = [k for k in ("A", "B") if n in asked[k]]
                res["problems"].append(f"{n}@{v} comes from {src}, pkggate asked "
                                       f"{'/'.join(where) or 'no fixture registry'}")
        # pkggate judges the whole tree (npm and pip), so transitive installs
        # count too; pip's versions by PEP 440 identity, as its report writes them.
        for n, v in sorted(trans):
            got = judged.get(n)
            if not got or v not in got:
                res["unjudged"] += 1
                res["problems"].append(f"{n}@{v} (a dependency of a dependency) not judged")
        res["trans"] = 0
        names_installed = {n for n, _ in direct} | {n for n, _ in trans}
        for n, vs in sorted(judged.items()):
            if n not in names_installed:
                res["problems"].append(f"judged {n}@{'/'.join(sorted(map(str, vs)))}, "
                                       "not installed")
        if execd and not res["problems"]:
            res["problems"].append("pkggate exec'd the tool although the policy blocks all")
        res["installed"] = installed
        res["judged"] = [f"{n}@{v}" for n, vs in sorted(judged.items()) for v in sorted(map(str, vs))]
        shutil.rmtree(root, ignore_errors=True)
        return res


def load_known(path):
    known = []
    for ln, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pat, _, reason = line.partition(" ")
        if not reason.strip():
            sys.exit(f"known.txt:{ln}: an entry needs a reason")
        known.append({"pat": pat, "reason": reason.strip(), "hit": 0, "agree": 0})
    return known


def select(all_cases):
    sel = os.environ.get("PKGGATE_DIFF", "")
    if sel == "all":
        return all_cases
    if sel.isdigit() or not sel:
        step = int(sel) if sel else max(1, len(all_cases) // DEFAULT_SAMPLE)
        return all_cases[::step]
    return [c for c in all_cases if re.search(sel, c["id"])]


def main():
    if not BUILD or not os.access(PKGGATE, os.X_OK):
        sys.exit("run.py: set PG_BUILD_DIR to a build holding shim/pkggate")
    for t in ("npm", "node"):
        if not shutil.which(t):
            print(f"SKIP: {t} not installed")
            sys.exit(77)
    all_cases = gen.cases()
    cases = select(all_cases)
    jobs = max(1, int(os.environ.get("PKGGATE_DIFF_JOBS", "2")))
    known = load_known(os.path.join(HERE, "known.txt"))
    t0 = time.monotonic()
    r = Runner(min(jobs, len(cases)) or 1)
    results = []
    stop = threading.Event()

    def handle(signum, frame):
        stop.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handle)
    try:
        r.setup(any(c["eco"] == "pip" for c in cases))
        q = queue.Queue()
        for c in cases:
            q.put(c)
        lock = threading.Lock()

        def worker(slot):
            while not stop.is_set():
                try:
                    c = q.get_nowait()
                except queue.Empty:
                    return
                try:
                    res = r.run_case(c, slot)
                except Exception as e:  # a harness failure is a failure, never a pass
                    res = {"id": c["id"], "cmd": " ".join(c["argv"]), "env": c["env"],
                           "problems": [f"harness error: {e!r}"], "unjudged": 0, "trans": 0}
                with lock:
                    results.append(res)

        threads = [threading.Thread(target=worker, args=(s,)) for s in r.slots]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        r.teardown()

    results.sort(key=lambda x: [c["id"] for c in all_cases].index(x["id"]))
    passed = failed = unjudged = tool_errors = known_fail = trans = refused = 0
    for res in results:
        trans += res.get("trans", 0)
        refused += 1 if res.get("refused") else 0
        if "tool_error" in res:
            tool_errors += 1
            if os.environ.get("PKGGATE_DIFF_VERBOSE"):
                print(f"tool failed {res['id']}: {res['tool_error']}")
        matches = [k for k in known if fnmatch.fnmatchcase(res["id"], k["pat"])]
        unjudged += res["unjudged"]
        if res["problems"]:
            env = " ".join(f"{k}={v}" for k, v in res["env"].items())
            line = (f"{res['id']}: `{(env + ' ') if env else ''}{res['cmd']}`: "
                    f"{'; '.join(res['problems'])} | tool installs "
                    f"{', '.join(res.get('installed', [])) or 'nothing'}; pkggate judged "
                    f"{', '.join(res.get('judged', [])) or 'nothing'} (rc {res.get('pg_rc')})")
            if matches:
                for k in matches:
                    k["hit"] += 1
                known_fail += 1
                passed += 1
                if os.environ.get("PKGGATE_DIFF_VERBOSE"):
                    print("known " + line)
            else:
                failed += 1
                print("DIFF " + line)
        else:
            for k in matches:
                k["agree"] += 1
            passed += 1
    for k in known:
        if os.environ.get("PKGGATE_DIFF_VERBOSE"):
            print(f"known {k['hit']:4d} disagree, {k['agree']:4d} agree: {k['pat']}")
        if k["agree"] and not k["hit"]:
            failed += 1
            print(f"fixed: remove from known.txt: {k['pat']} ({k['agree']} matching case(s) "
                  f"now agree; {k['reason']})")
    print(f"({len(results)} of {len(all_cases)} cases, {known_fail} known disagreements, "
          f"{tool_errors} where the tool itself failed, {refused} refused whole by "
          f"unknown_arguments, {trans} transitive installs not compared, {time.monotonic() - t0:.0f} s)")
    print(f"diff: {passed} passed, {failed} failed, {unjudged} unjudged installs")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
