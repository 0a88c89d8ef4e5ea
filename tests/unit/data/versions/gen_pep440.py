#!/usr/bin/python3
"""Writes pep440_*.tsv from packaging (the oracle), as of 24.2. Deterministic.

Usage: /usr/bin/python3 gen_pep440.py OUTDIR   (Debian bookworm's python3-packaging 23.0)

pip 25 vendors packaging 24.2. On the paths tested here 24.2 differs from
23.0 in one place: `<V` and `>V` with a prerelease V admit prereleases too
(24.2's changelog; pip's news entry for the upgrade says the same; `!=`
never does). Bookworm ships 23.0, so that one change is applied below.
"""
import itertools
import random
import sys

import packaging
from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.version import InvalidVersion, Version

assert packaging.__version__ == "23.0", packaging.__version__


def _prereleases_24_2(self):
    if self._prereleases is not None:
        return self._prereleases
    operator, version = self._spec
    if operator in ["==", ">=", "<=", "~=", "===", ">", "<"]:
        if operator == "==" and version.endswith(".*"):
            version = version[:-2]
        if Version(version).is_prerelease:
            return True
    return False


Specifier.prereleases = property(_prereleases_24_2, Specifier.prereleases.fset)
out = sys.argv[1]


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def ver(s):
    try:
        return Version(s)
    except InvalidVersion:
        return None


# PEP 440's examples, packaging's tests/test_version.py VERSIONS, alternative spellings.
ORDERED = """1.0.dev456 1.0a1 1.0a2.dev456 1.0a12.dev456 1.0a12 1.0b1.dev456 1.0b2 1.0b2.post345.dev456
1.0b2.post345 1.0b2-346 1.0c1.dev456 1.0c1 1.0rc2 1.0c3 1.0 1.0.post456.dev34 1.0.post456 1.1.dev1
1.2+123abc 1.2+123abc456 1.2+abc 1.2+abc123 1.2+abc123def 1.2+1234.abc 1.2+123456
1.2.r32+123456 1.2.rev33+123456 1!1.0.dev456 1!1.0a1 1!1.0a2.dev456 1!1.0a12.dev456 1!1.0a12
1!1.0b1.dev456 1!1.0b2 1!1.0b2.post345.dev456 1!1.0b2.post345 1!1.0b2-346 1!1.0c1.dev456 1!1.0c1
1!1.0rc2 1!1.0c3 1!1.0 1!1.0.post456.dev34 1!1.0.post456 1!1.1.dev1 1!1.2+123abc 1!1.2+123abc456
1!1.2+abc 1!1.2+abc123 1!1.2+abc123def 1!1.2+1234.abc 1!1.2+123456 1!1.2.r32+123456 1!1.2.rev33+123456""".split()
SPELLINGS = """1.0a 1.0A1 1.0alpha1 1.0ALPHA1 1.0-alpha1 1.0_a1 1.0.a.1 1.0a-1 1.0a_1 1.0a.1 1.0-a-1 1.0b 1.0beta2
1.0.beta.2 1.0c 1.0c3 1.0pre4 1.0preview5 1.0-pre-6 1.0.preview.7 1.0rc 1.0RC1 1.0-rc-1 1.0.post 1.0post1
1.0-post1 1.0_post1 1.0.post.1 1.0-1 1.0-0 1.0r 1.0r5 1.0rev 1.0REV3 1.0-r-1 1.0.rev.2 1.0.dev 1.0dev1 1.0-dev1
1.0_dev_1 1.0.dev.1 1.0DEV 1.0a1.post2.dev3 1.0a1-2-dev3 1.0a1.r2_dev3 1.0.0 1.0.0.0 01.02.03 1.00 0.0 0 00
v1.0 V1.0 v1!1.0 1!1 0!1.0 000!1.0 1.0+local 1.0+LOCAL.7 1.0+ubuntu-1 1.0+ubuntu_01 1.0+1.2.3 1.0+001.a
1.0+a.001 1.0+0 1.0+00 1.0+abc.5.xyz 1.0+5.abc 1.0+5 1.0+5.0 1.0+abc 1.0+abc.def 1.0+ABC  1.0  \t1.0\n
\x1f1.0\x1c 1.0a. 1.0a- 1.0.post- 1.0.post. 1.0a.post 1.0a-dev 1.0a.-1 1.0a--1 1.0a.-dev 1.0.post.dev
1.0-r 1.0a1-1 99999999999999999999999999.0 1.0.99999999999999999999999999999 1.0a99999999999999999999999
1.0.dev00001 1.0.post0001 1!0 2!0.1 10!1.0 1.0.0.0.0.0.0.0.0.0.1 1.2.3.4.5.6.7.8.9.10""".split() + [
    " 1.0", "1.0 ", "\t1.0\n", "\x1f1.0\x1c", "1.0+ab.CD-9_x"]
INVALID = """1.0- 1.0+ 1.0+. 1.0+a. 1.0+-a 1.0+a..b 1.0.* a1.0 1.0.a1.b2 1.0abc 1.0a1a1 1.0.postx 1.0-dev-dev
1.0_ 1.0__1 ..1 1. .1 1..0 1.0~1 1.0--1 1.0.post1.post2 1.0.dev1.a1 1!  !1.0 1!2!3 1.0b1a1 vv1.0 v 1.0
1.0pre-preview 1.0.0.dev1-1 1.0-1-1 french toast 1.0+local+local 1,0 ₁.0 1.0-é""".split() + [
    "", " ", "1 .0", "1. 0", "1.0 a1", "v 1.0"]
# Not here: Unicode whitespace such as U+00A0, which Python strips and pg_pep440 does not.

vrows = []
for s in ORDERED + SPELLINGS + INVALID:
    v = ver(s)
    if v is None:
        vrows.append([esc(s), "!", "", ""])
    else:
        vrows.append([esc(s), str(v), str(int(v.is_prerelease)), str(int(v.is_postrelease))])
with open(out + "/pep440_versions.tsv", "w") as f:
    f.write("# version\tstr(Version(v)) (! = invalid)\tis_prerelease\tis_postrelease\n")
    f.writelines("\t".join(r) + "\n" for r in vrows)

valid = [s for s in ORDERED + SPELLINGS if ver(s) is not None]
rnd = random.Random(440)
crows = []
pairs = list(itertools.combinations(ORDERED, 2)) + [(a, b) for a in SPELLINGS for b in rnd.sample(valid, 6)]
for a, b in pairs:
    va, vb = ver(a), ver(b)
    if va is None or vb is None:
        continue
    crows.append([esc(a), esc(b), str((va > vb) - (va < vb))])
with open(out + "/pep440_compare.tsv", "w") as f:
    f.write("# a\tb\tcmp(Version(a), Version(b))\n")
    f.writelines("\t".join(r) + "\n" for r in crows)

# Specifiers: packaging's tests/test_specifiers.py cases, then combinations.
SPEC_CASES = [
    ("2.0", "==2"), ("2.0", "==2.0"), ("2.0", "==2.0.0"), ("2.0+deadbeef", "==2"), ("2.0+deadbeef", "==2.0"),
    ("2.0+deadbeef", "==2.0.0"), ("2.0+deadbeef", "==2+deadbeef"), ("2.0+deadbeef", "==2.0+deadbeef"),
    ("2.0+deadbeef", "==2.0.0+deadbeef"), ("2.0+deadbeef.0", "==2.0.0+deadbeef.00"),
    ("2.dev1", "==2.*"), ("2a1", "==2.*"), ("2a1.post1", "==2.*"), ("2b1", "==2.*"), ("2b1.dev1", "==2.*"),
    ("2c1", "==2.*"), ("2c1.post1.dev1", "==2.*"), ("2c1.post1.dev1", "==2.0.*"), ("2rc1", "==2.*"),
    ("2rc1", "==2.0.*"), ("2", "==2.*"), ("2", "==2.0.*"), ("2", "==0!2.*"), ("0!2", "==2.*"),
    ("2.0", "==2.*"), ("2.0.0", "==2.*"), ("2.1+local.version", "==2.1.*"), ("2.1", "!=2"), ("2.1", "!=2.0"),
    ("2.0.1", "!=2"), ("2.0.1", "!=2.0"), ("2.0.1", "!=2.0.0"), ("2.0", "!=2.0+deadbeef"), ("2.0", "!=3.*"),
    ("2.1", "!=2.0.*"), ("2.0", "<=2"), ("2.0", "<=3"), ("2.0", ">=2"), ("2.0", ">=1"), ("2.0.dev1", ">=2.0.dev0"),
    ("3.0.dev0", ">=2.0.dev0"), ("3.0.dev0", "<2.0.dev0"), ("2.0.dev0", "<2.0.dev1"), ("2.0.dev1", ">2.0.dev0"),
    ("1.0.post1", "<2"), ("2.0.post1", ">2"), ("2.0.post1", "<=2"), ("2.0.post1", ">=2"), ("2.0.post1", ">2.0"),
    ("2.0.post2", ">2.0.post1"), ("2.0.post1.dev1", ">2"), ("2.1.post1", ">2.0.post1"), ("2.0.1", ">2"),
    ("2.0+local.version", ">2"), ("2.0+local.version", ">1.9"), ("2.0+local.version", "<2"),
    ("2.0+local.version", "<2.1"), ("2.0+local.version", "<=2"), ("2.0+local.version", ">=2"),
    ("1!1.0", ">=1.0"), ("1.0", "<1!0.1"), ("2.0a1", "<2"), ("1.9a1", "<2"), ("2.0a1", "<2.0a2"),
    ("2.0a1", ">2.0.dev1"), ("2.0", "~=2.0"), ("3.0", "~=2.0"), ("2.4", "~=2.2"), ("2.2.1", "~=2.2.0"),
    ("2.3.0", "~=2.2.0"), ("2.0", "~=2.0.0"), ("2.2.post3", "~=2.2"), ("2.2.post3", "~=2.2.post2"),
    ("2.2.post1", "~=2.2.post2"), ("2.3", "~=2.2.post2"), ("1.4.5", "~=1.4.5a4"), ("1.4.5a5", "~=1.4.5a4"),
    ("1.5", "~=1.4.5a4"), ("1.4.6", "~=1.4.5c1"), ("1.4.5", "~=1.4.5c1"), ("1.5", "~=1.4.5pre1"),
    ("1.4.5.1", "~=1.4.5.0"), ("2.0", "~=1!2.0"), ("1!2.5", "~=1!2.0"), ("2.1", "~=2.0.dev1"),
    ("2.0", "~=2.0.dev1"), ("1.4.6", "~=1.4.5RC1"), ("1.5", "~=1.4.5-alpha4"), ("1.4.6", "~=V1.4.5"),
    ("1.0", "===1.0"), ("1.0.0", "===1.0"), ("1.0", "===1.0.0"), ("v1.0", "===1.0"), ("1.0", "===V1.0"),
    ("1.0+local", "===1.0+local"), ("1.0", "===foobar"), ("1.0", "==="), ("1.0", ""), ("1.0a1", ""),
    ("1!1.0", "==1!1.0.*"), ("1!1", "==1!1.0.*"), ("1!1.0.5", "==1!1.*"), ("1.0", "==0!1.0.*"),
    ("1.0a1", ">=1.0a1,<2"), ("1.5a1", ">=1.0,<2"), ("1.5a1", ">=1.0,<2,!=1.9a1"), ("1.5", ">=1.0 , <2 ,"),
    ("1.5", ",,>=1.0"), ("1.5", ">= 1.0"), ("1.5", " == 1.5 "), ("1.5", "== v1.5"), ("1.5", "==1.5 .*"),
    ("1.5", "==1.5.* "), ("1.5", "===1.5 "), ("1.5", "=== 1.5"), ("1.5", "===1.5;"), ("1.5", "===1.5)"),
    ("1.5", "~=1"), ("1.5", "~=1.*"), ("1.5", ">=1.*"), ("1.5", "!=1.5+local"), ("1.5+local", "!=1.5+local"),
    ("1.5+local", "==1.5+LOCAL"), ("1.5", "<=1.5+local"), ("1.5", "~=1.5+local"), ("1.5", "=1.5"),
    ("1.5", "1.5"), ("1.5", "<>1.5"), ("1.5", "=<1.5"), ("1.5", "<==1.5"), ("1.5", "~1.5"), ("1.5", "==1.5.*.*"),
    ("1.5", "==1.5a1.*"), ("1.5", "==1.5.post1.*"), ("1.5", "==1.5.*+local"), ("1.5", "!=1.5.*"),
    ("1.5", "==1!0.*"), ("1.5.dev1", "==1.5.*"), ("1.5.dev1", "==1.5.dev1"), ("1.5.dev1", ">=1.5.dev0"),
    ("1.5.dev1", "!=1.5.dev1"), ("1.5.dev1", "<1.6"), ("1.5.post1.dev1", ">1.5"), ("1.5.post1", ">1.5.post0"),
]
VS = ["0.9", "1.0", "1.0.0", "1.0a1", "1.0b2", "1.0rc1", "1.0.dev1", "1.0.post1", "1.0.post1.dev1",
      "1.0+local", "1.0+1", "1.1", "1.1a1", "1.1.1", "1.2", "2.0", "2.0.dev0", "1!1.0", "1.0.post1+l"]
SPECS = ["==1.0", "==1.0.*", "==1.*", "!=1.0", "!=1.0.*", "<1.0", "<=1.0", ">1.0", ">=1.0", "~=1.0", "~=1.0.0",
         "===1.0", "<1.1", ">1.0.post1", ">1.0.dev0", "<1.0a1", ">=1.0a1", "<=1.1a1", "~=1.0a1", "==1.0a1",
         "==1.0+local", "!=1.0+local", ">1.0b1", "<2.0.dev0", "==1!1.*", "~=1.0.post1", ">=1.0,<2",
         ">=1.0.dev0,<1.1", "==1.0,!=1.0.post1", "~=1.1,>1.1a1"]
srows = []
seen = set()


def spec_row(v, s):
    if (v, s) in seen:
        return
    seen.add((v, s))
    try:
        ss = SpecifierSet(s)
    except InvalidSpecifier:
        srows.append([esc(s), esc(v), "!", "!"])
        return
    if ver(v) is None:
        return
    try:
        res = [str(int(ss.contains(v))), str(int(ss.contains(v, prereleases=True)))]
    except InvalidVersion:
        return  # packaging raises (=== with a non-PEP 440 version); not a table row
    srows.append([esc(s), esc(v)] + res)


for v, s in SPEC_CASES:
    spec_row(v, s)
for s in SPECS:
    for v in VS:
        spec_row(v, s)
for _ in range(500):
    n = rnd.randint(1, 3)
    s = ",".join(rnd.choice(SPECS[:25]) for _ in range(n))
    spec_row(rnd.choice(VS + valid), s)
with open(out + "/pep440_specs.tsv", "w") as f:
    f.write("# specifier set\tversion\tcontains (prereleases None)\tcontains (True) (! = invalid set)\n")
    f.writelines("\t".join(r) + "\n" for r in srows)

FILTERS = [("", ["1.0a1", "1.0b1"]), ("", ["1.0a1", "0.9", "1.0b1"]), (">=1.0", ["2.0a1"]),
           (">=1.0", ["2.0a1", "0.5"]), (">=1.0a1", ["2.0a1", "0.5"]), (">=1.0", ["1.0", "1.1a1", "1.2"]),
           ("==1.1a1", ["1.0", "1.1a1"]), ("~=1.0", ["1.0", "1.1.dev1", "1.1", "2.0a1"]),
           ("<2", ["1.9", "2.0a1", "2.0"]), ("!=1.1", ["1.0", "1.1", "1.1a1", "1.1.post1"]),
           ("", ["1.0", "1.0+local", "2.0.dev1"]), (">1.0", ["1.0.post1", "1.0+l", "1.1.dev0", "1.1"]),
           ("<2.0dev", ["1.0", "1.0rc1", "2.0a1"]), (">1.0a1", ["1.0", "1.0a2", "2.0b1"]),
           ("!=1.0a1", ["1.0", "1.0a2"])]
frows = []
for s, vs in FILTERS:
    for pre in (0, 1):
        got = list(SpecifierSet(s).filter(vs, prereleases=True if pre else None))
        frows.append([esc(s), str(pre), ",".join(vs), ",".join(got)])
with open(out + "/pep440_filter.tsv", "w") as f:
    f.write("# specifier set\tpre\tversions offered\tSpecifierSet(s).filter(versions, prereleases=pre or None)\n")
    f.writelines("\t".join(r) + "\n" for r in frows)
print(len(vrows), len(crows), len(srows), len(frows))
