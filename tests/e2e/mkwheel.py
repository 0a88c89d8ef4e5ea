#!/usr/bin/env python3
"""mkwheel.py NAME VERSION OUTDIR - build a minimal pure-Python wheel.

Enough for the real pip to install it: the package module, METADATA, WHEEL
and a RECORD with sha256 digests. Standard library only.
"""
import base64
import hashlib
import os
import sys
import zipfile


def digest(data: bytes) -> str:
    raw = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def main() -> None:
    name, version, outdir = sys.argv[1:4]
    mod = name.replace("-", "_")
    info = f"{mod}-{version}.dist-info"
    files = {
        f"{mod}/__init__.py": f'VERSION = "{version}"\n'.encode(),
        f"{info}/METADATA": (f"Metadata-Version: 2.1\nName: {name}\n"
                             f"Version: {version}\n").encode(),
        f"{info}/WHEEL": (b"Wheel-Version: 1.0\nGenerator: pkggate-tests\n"
                          b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
    }
    record = "".join(f"{p},{digest(d)},{len(d)}\n" for p, d in files.items())
    record += f"{info}/RECORD,,\n"
    path = os.path.join(outdir, f"{mod}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for p, d in files.items():
            z.writestr(p, d)
        z.writestr(f"{info}/RECORD", record)
    print(path)


if __name__ == "__main__":
    main()
