#!/usr/bin/env python3
"""gen.py - the configurations of the differential suite (see README.md).

Each block is the product of a few axes that change what npm or pip
installs. A case is a dict:

  id      "<block>:axis=value,axis=value,..." (stable: known.txt matches it)
  eco     "npm" or "pip"
  argv    the user's command after the tool's name (what pkggate sees)
  env     extra environment
  files   {path relative to the case root: text}; paths start with
          "work/" (the project, the working directory) or "home/"
  lock    npm: start from a package.json + package-lock.json pinning
          left-pad@1.0.0 and tagged-lib@1.0.0 under "^1.0.0"
  reify   npm: observe a real `npm install --ignore-scripts` (hidden
          lockfile) instead of --package-lock-only, for settings a lockfile
          does not show (omit, package-lock=false, a workspace selection:
          the lockfile holds every workspace's tree whatever -w says)

Strings may hold placeholders the runner fills in: {A} {B} (npm registry
URLs of the decoy and the winning registry), {PA} {PB} (their PyPI simple
indexes), {FL} (a find-links directory holding requests-mini 2.99.0, newer
than any index version).

`python3 gen.py` prints the cases, one JSON object a line; `--count` only
their number.
"""
import itertools
import json
import sys

BOM = "\ufeff"


def _id(block, **axes):
    return block + ":" + ",".join(f"{k}={v}" for k, v in axes.items())


# -- npm ---------------------------------------------------------------------

# Where the winning registry B comes from; a lower layer always names the
# decoy A, so reading the wrong layer shows.
NPM_REG = {
    "argv": ({"npm_config_registry": "{A}"}, {}, ["--registry", "{B}"]),
    "argv-eq": ({}, {"home/.npmrc": "registry={A}\n"}, ["--registry={B}"]),
    "env": ({"npm_config_registry": "{B}"}, {"home/.npmrc": "registry={A}\n"}, []),
    "env-upper": ({"NPM_CONFIG_REGISTRY": "{B}"}, {"home/.npmrc": "registry={A}\n"}, []),
    "project": ({}, {"work/.npmrc": "registry={B}\n", "home/.npmrc": "registry={A}\n"}, []),
    "project-bom": ({}, {"work/.npmrc": BOM + "registry={B}\n",
                         "home/.npmrc": "registry={A}\n"}, []),
    "user": ({}, {"home/.npmrc": "registry={B}\n"}, []),
    "user-bom": ({}, {"home/.npmrc": BOM + "registry = {B}\n"}, []),
    "scope": ({}, {"work/.npmrc": "registry={A}\n@fixture:registry={B}\n"}, []),
}


def _npm(cid, argv, reg, env=None, files=None, lock=False, reify=False, pkgjson=None):
    renv, rfiles, rargv = NPM_REG[reg]
    e = dict(renv)
    e.update(env or {})
    f = {}
    for k, v in rfiles.items():
        f[k] = v
    for k, v in (files or {}).items():  # a case's .npmrc lines go after the registry's
        f[k] = (f.get(k, "") + v) if k.endswith(".npmrc") else v
    if pkgjson is not None:
        f["work/package.json"] = json.dumps(pkgjson, indent=2) + "\n"
    return {"id": cid, "eco": "npm", "argv": argv + rargv, "env": e, "files": f,
            "lock": lock, "reify": reify}


def npm_tag():
    specs = ["tagged-lib", "tagged-lib@latest", "left-pad", "@fixture/x", "held-lib"]
    tags = {
        "none": ([], {}, {}),
        "argv": (["--tag", "next"], {}, {}),
        "npmrc": ([], {}, {"work/.npmrc": "tag=next\n"}),
        "env": ([], {"npm_config_tag": "next"}, {}),
        "user": ([], {}, {"home/.npmrc": "tag=next\n"}),
    }
    regs = list(NPM_REG)
    for spec, (tn, (targv, tenv, tfiles)), reg in itertools.product(specs, tags.items(), regs):
        yield _npm(_id("npm.tag", spec=spec, tag=tn, reg=reg), ["install", spec] + targv, reg,
                   tenv, tfiles)


def npm_lock():
    cmds = {
        "install": ["install"], "install-lp": ["install", "left-pad"], "update": ["update"],
        "up": ["up"], "upgrade": ["upgrade"], "update-lp": ["update", "left-pad"],
    }
    plock = {
        "default": ([], {}, {}),
        "argv": (["--no-package-lock"], {}, {}),
        "npmrc": ([], {}, {"work/.npmrc": "package-lock=false\n"}),
        "env": ([], {"npm_config_package_lock": "false"}, {}),
        "user": ([], {}, {"home/.npmrc": "package-lock=false\n"}),
    }
    for ls, (cn, cargv), (pn, (pargv, penv, pfiles)), reg in itertools.product(
            ["none", "locked"], cmds.items(), plock.items(), ["env", "project"]):
        pkg = None if ls == "locked" else {"name": "app", "version": "1.0.0",
                                           "dependencies": {"left-pad": "^1.0.0",
                                                            "tagged-lib": "^1.0.0"}}
        yield _npm(_id("npm.lock", lock=ls, cmd=cn, plock=pn, reg=reg), cargv + pargv, reg,
                   penv, pfiles, lock=ls == "locked", reify=pn != "default", pkgjson=pkg)


def npm_workspaces():
    root = {"name": "root", "version": "1.0.0", "workspaces": ["packages/*"],
            "dependencies": {"tagged-lib": "^1.0.0"},
            "devDependencies": {"@fixture/x": "^1.0.0"}}
    ws = {
        "work/packages/a/package.json": json.dumps(
            {"name": "a", "version": "1.0.0", "dependencies": {"left-pad": "1.0.0"}}) + "\n",
        "work/packages/b/package.json": json.dumps(
            {"name": "b", "version": "1.0.0", "dependencies": {"engines-lib": "*"},
             "devDependencies": {"fresh-lib": "^1.0.0"}}) + "\n",
    }
    cmds = {
        "install": ["install"], "w-a": ["install", "-w", "a"],
        "workspace-a": ["install", "--workspace", "a"],
        "workspace-eq-path": ["install", "--workspace=packages/b"],
        "workspaces": ["install", "--workspaces"],
        "add-w-a": ["install", "pad-wrapper", "-w", "a"],
        "ws": ["install", "--ws"],
    }
    omits = {
        "none": ([], {}, {}),
        "omit-dev": (["--omit=dev"], {}, {}),
        "production": (["--production"], {}, {}),
        "env-omit": ([], {"npm_config_omit": "dev"}, {}),
    }
    for (cn, cargv), (on, (oargv, oenv, ofiles)), reg in itertools.product(
            cmds.items(), omits.items(), ["env", "project", "user"]):
        files = dict(ws)
        files.update(ofiles)
        # -w/--workspaces reify the selected workspaces' trees only (not
        # the root's, unless include-workspace-root), but the lockfile
        # --package-lock-only writes holds every tree: only a real install
        # shows what lands.
        yield _npm(_id("npm.ws", cmd=cn, omit=on, reg=reg), cargv + oargv, reg, oenv, files,
                   reify=on != "none" or cn != "install", pkgjson=root)


def npm_engines_before():
    specs = ["engines-lib", "fresh-lib", "tagged-lib", "left-pad@^1"]
    before = {
        "none": ([], {}, {}),
        "argv": (["--before", "{BEFORE}"], {}, {}),
        "npmrc": ([], {}, {"work/.npmrc": "before={BEFORE}\n"}),
        "env": ([], {"npm_config_before": "{BEFORE}"}, {}),
    }
    strict = {
        "default": ([], {}, {}),
        "argv": (["--engine-strict"], {}, {}),
        "npmrc": ([], {}, {"work/.npmrc": "engine-strict=true\n"}),
    }
    for spec, (bn, (bargv, benv, bfiles)), (sn, (sargv, senv, sfiles)), reg in itertools.product(
            specs, before.items(), strict.items(), ["env", "project"]):
        env = dict(benv, **senv)
        files = dict(bfiles)
        for k, v in sfiles.items():
            files[k] = files.get(k, "") + v
        yield _npm(_id("npm.eng", spec=spec, before=bn, strict=sn, reg=reg),
                   ["install", spec] + bargv + sargv, reg, env, files)


# -- pip ---------------------------------------------------------------------

UCONF = "home/.config/pip/pip.conf"

# Where the winning index B comes from; a lower layer names the decoy A.
PIP_IDX = {
    "argv": ({"PIP_INDEX_URL": "{PA}"}, {}, ["-i", "{PB}"]),
    "argv-long": ({}, {UCONF: "[global]\nindex-url = {PA}\n"}, ["--index-url={PB}"]),
    "env": ({"PIP_INDEX_URL": "{PB}"}, {UCONF: "[global]\nindex-url = {PA}\n"}, []),
    "conf": ({}, {UCONF: "[global]\nindex-url = {PB}\n"}, []),
    "conf-file": ({"PIP_CONFIG_FILE": "{ROOT}/pip-extra.conf"},
                  {UCONF: "[global]\nindex-url = {PA}\n",
                   "pip-extra.conf": "[global]\nindex-url = {PB}\n"}, []),
    "conf-install": ({}, {UCONF: "[global]\nindex-url = {PA}\n[install]\nindex-url = {PB}\n"}, []),
    "extra": ({}, {}, ["-i", "{PA}", "--extra-index-url", "{PB}"]),
    "extra-env": ({"PIP_INDEX_URL": "{PA}", "PIP_EXTRA_INDEX_URL": "{PB}"}, {}, []),
}


def _pip(cid, argv, idx, env=None, files=None):
    ienv, ifiles, iargv = PIP_IDX[idx]
    e = dict(ienv)
    e.update(env or {})
    f = dict(ifiles)
    for k, v in (files or {}).items():
        if k == UCONF and k in f:  # merge sections of the user pip.conf
            f[k] = _merge_conf(f[k], v)
        else:
            f[k] = v
    return {"id": cid, "eco": "pip", "argv": argv + iargv, "env": e, "files": f,
            "lock": False, "reify": False}


def _merge_conf(a, b):
    secs = {}
    order = []
    for text in (a, b):
        cur = None
        for line in text.splitlines():
            if line.startswith("["):
                cur = line
                if cur not in secs:
                    secs[cur] = []
                    order.append(cur)
            elif cur is not None and line.strip():
                secs[cur].append(line)
    return "".join(s + "\n" + "".join(l + "\n" for l in secs[s]) for s in order)


def pip_pre():
    specs = ["pre-lib", "requests-mini", "needs-future-python", "pre-lib>=1"]
    pres = {
        "none": ([], {}, {}),
        "argv": (["--pre"], {}, {}),
        "env": ([], {"PIP_PRE": "1"}, {}),
        "conf-install": ([], {}, {UCONF: "[install]\npre = true\n"}),
        "conf-global": ([], {}, {UCONF: "[global]\npre = yes\n"}),
    }
    idxs = ["argv", "env", "conf", "conf-file", "conf-install", "extra"]
    for spec, (pn, (pargv, penv, pfiles)), idx in itertools.product(specs, pres.items(), idxs):
        yield _pip(_id("pip.pre", spec=spec, pre=pn, idx=idx), ["install", spec] + pargv, idx,
                   penv, pfiles)


def pip_links():
    links = ["none", "argv", "env", "reqfile", "conf"]
    delivery = ["argv", "reqfile", "conf-requirement", "env-requirement"]
    cons = ["none", "argv", "env"]
    for ln, dn, cn, idx in itertools.product(links, delivery, cons, ["env", "conf"]):
        argv, env, files = ["install"], {}, {}
        conf = ""
        if dn == "argv":
            argv.append("requests-mini")
        elif dn == "reqfile":
            argv += ["-r", "req.txt"]
            files["work/req.txt"] = "requests-mini\n"
        elif dn == "conf-requirement":
            files["work/req.txt"] = "requests-mini\n"
            conf += "[install]\nrequirement = {ROOT}/work/req.txt\n"
        else:
            files["work/req.txt"] = "requests-mini\n"
            env["PIP_REQUIREMENT"] = "{ROOT}/work/req.txt"
        if ln == "argv":
            argv += ["-f", "{FL}"]
        elif ln == "env":
            env["PIP_FIND_LINKS"] = "{FL}"
        elif ln == "reqfile":
            argv += ["-r", "links.txt"]
            files["work/links.txt"] = "-f {FL}\n"
        elif ln == "conf":
            conf += "[global]\nfind-links = {FL}\n"
        if cn == "argv":
            argv += ["-c", "c.txt"]
            files["work/c.txt"] = "requests-mini<2.32\n"
        elif cn == "env":
            env["PIP_CONSTRAINT"] = "{ROOT}/work/c.txt"
            files["work/c.txt"] = "requests-mini<2.32\n"
        if conf:
            files[UCONF] = conf
        yield _pip(_id("pip.links", links=ln, reqs=dn, cons=cn, idx=idx), argv, idx, env, files)


def pip_python():
    specs = ["needs-future-python", "needs-future-python>=1", "requests-mini", "ptree-ok[fancy]"]
    binary = {
        "none": ([], {}),
        "only-all": (["--only-binary", ":all:"], {}),
        "only-all-eq": (["--only-binary=:all:"], {}),
        "prefer": (["--prefer-binary"], {}),
        "no-binary-none": (["--no-binary", ":none:"], {}),
        "env-only": ([], {"PIP_ONLY_BINARY": ":all:"}),
        "env-prefer": ([], {"PIP_PREFER_BINARY": "1"}),
    }
    pyver = {"running": [], "py4": ["--python-version", "4.0"], "py38": ["--python-version=3.8"]}
    for spec, (bn, (bargv, benv)), (vn, vargv), idx in itertools.product(
            specs, binary.items(), pyver.items(), ["env", "argv"]):
        yield _pip(_id("pip.py", spec=spec, binary=bn, pyver=vn, idx=idx),
                   ["install", spec] + bargv + vargv, idx, benv)


BLOCKS = [npm_tag, npm_lock, npm_workspaces, npm_engines_before, pip_pre, pip_links, pip_python]


def cases():
    out = [c for b in BLOCKS for c in b()]
    ids = [c["id"] for c in out]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    return out


if __name__ == "__main__":
    all_cases = cases()
    if "--count" in sys.argv[1:]:
        print(len(all_cases))
    else:
        for c in all_cases:
            print(json.dumps(c, ensure_ascii=False))
