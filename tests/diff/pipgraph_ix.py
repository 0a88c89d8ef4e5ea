#!/usr/bin/env python3
"""pipgraph_ix.py - pipgraph.py's scenarios with several indexes.

A dependency's versions spread over the primary index, an
--extra-index-url (a second fixture registry) and a local find-links
directory, generated so that reading the wrong copy's dependencies shows
as a miss (tests/diff/README.md, "pipgraph.py").
"""
import os
import re
import zipfile


# How a dependency's versions sit on the primary index (-i), on an
# --extra-index-url and in a local find-links directory (-f): pip takes the
# best version of all, and of one version offered twice, the copy listed
# last (find-links files, then the indexes in order: the sort is stable and
# walked from the top), so the extra index's copy over the primary's, and
# an index's over a local file's. ("primary", "extra", "local" versions).
# A local file's metadata is not read by pkggate (its dependencies are
# undecidable), so a local copy pip installs requires nothing here; a
# local copy pip passes over requires a leaf, which pip would install if
# it took that copy.
INDEX_CASES = {
    "extra-newer": (["1.0"], ["2.0"], []),     # pip installs the extra's 2.0
    "primary-newer": (["2.0"], ["1.0"], []),   # pip installs the primary's 2.0
    "same-version": (["1.0"], ["1.0"], []),    # one version, two copies: the extra's deps
    "extra-only": ([], ["1.0", "1.5"], []),    # the primary lacks the project
    "extra-older": (["1.0", "3.0"], ["2.0"], []),
    "local-newer": (["1.0"], [], ["2.0"]),     # pip installs the local file
    "local-same": (["1.0"], [], ["1.0"]),      # the index's copy, and its deps
    "local-older": (["2.0"], ["1.5"], ["1.0"]),
}


def write_wheel(d, name, version, requires):
    """A minimal pure-Python wheel for a find-links directory."""
    mod = re.sub(r"[-_.]+", "_", name)
    info = f"{mod}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + \
        "".join(f"Requires-Dist: {r}\n" for r in requires)
    files = {f"{mod}/__init__.py": "", f"{info}/METADATA": meta,
             f"{info}/WHEEL": "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    with zipfile.ZipFile(os.path.join(d, f"{mod}-{version}-py3-none-any.whl"), "w") as z:
        for path, text in files.items():
            z.writestr(path, text)
        z.writestr(f"{info}/RECORD", "".join(f"{p},,\n" for p in files) + f"{info}/RECORD,,\n")


def gen_index_graph(rng, k, depth=0):
    """A root on the primary whose dependencies exercise INDEX_CASES.
    Returns (root name, {index: [fixture entries], "local": [(name, version,
    requires)]}, the cases used)."""
    prim, extra, local, used = [], [], [], []
    root = f"ix{k:02d}-r{depth}"
    deps = []
    for j in range(rng.randint(1, 3)):
        case = rng.choice(sorted(INDEX_CASES))
        used.append(case)
        name = f"ix{k:02d}-d{depth}{j}-{case}"
        deps.append(name + rng.choice(["", ">=1.0", ">0.1"]))
        pv, ev, lv = INDEX_CASES[case]
        for v in lv:
            leaf = f"{name}-lf{v.replace('.', '')}"  # installed only if pip took this copy
            req = [] if case == "local-newer" else [leaf]
            local.append((name, v, req))
            prim.append({"ecosystem": "pypi", "name": leaf, "summary": "pipgraph ix",
                         "versions": {"1.0": {"age": "300d"}}})
        for side, vs, out in (("p", pv, prim), ("x", ev, extra)):
            if not vs:
                continue
            vers = {}
            for v in vs:
                leaf = f"{name}-l{side}{v.replace('.', '')}"  # whose copy pip read
                # The leaf lives only on the index of the copy that names it.
                out.append({"ecosystem": "pypi", "name": leaf, "summary": "pipgraph ix",
                            "versions": {"1.0": {"age": "300d"}}})
                vd = {"age": "300d", "dependencies": [leaf]}
                if rng.random() < 0.3:
                    vd["core-metadata"] = False  # the JSON API at that index says
                vers[v] = vd
            out.append({"ecosystem": "pypi", "name": name, "summary": "pipgraph ix",
                        "versions": vers})
    if depth == 0 and rng.random() < 0.4:  # a second level: the extra's copy pulls a root
        sub, parts, more = gen_index_graph(rng, k, depth + 1)
        prim += parts["primary"]
        extra += parts["extra"]
        local += parts["local"]
        used += more
        extra.append({"ecosystem": "pypi", "name": f"ix{k:02d}-hop{depth}",
                      "summary": "pipgraph ix", "versions": {
                          "1.0": {"age": "300d", "dependencies": [sub]}}})
        deps.append(f"ix{k:02d}-hop{depth}")
    prim.append({"ecosystem": "pypi", "name": root, "summary": "pipgraph ix",
                 "versions": {"1.0": {"age": "300d", "dependencies": deps}}})
    return root, {"primary": prim, "extra": extra, "local": local}, used


def gen_index_scenarios(rng, n, first_id):
    """Scenarios with an --extra-index-url (on argv, in PIP_EXTRA_INDEX_URL
    or in the requirements file) and a find-links directory (-f or
    PIP_FIND_LINKS), each on its own generated root."""
    scens, prim, extra, local = [], [], [], []
    for k in range(n):
        root, parts, used = gen_index_graph(rng, k)
        prim += parts["primary"]
        extra += parts["extra"]
        local += parts["local"]
        how = rng.choice(["argv", "env", "reqfile"])
        scens.append({"id": first_id + k, "roots": [root], "state": 0,
                      "reqfile": how == "reqfile", "nodeps": False, "upgrade": False,
                      "constraints": [], "extra": how, "cases": used,
                      "links": rng.choice(["argv", "env"])})
    return scens, prim, extra, local
