#!/usr/bin/env python3
"""Regenerate the minisign test vectors in this directory.

usage: make-vectors.py PKGGATE...   e.g.  make-vectors.py build/shim/pkggate policy
                                    or    make-vectors.py build/tests/test_minisign --cli

Needs the real `minisign` (Debian package minisign). Keys are made fresh, so
every file changes when this runs; the tests read MANIFEST and never depend
on particular bytes. Encrypted keys are made under a small address-space
limit: both minisign and pkggate then halve the scrypt limits until they fit,
which leaves keys that decrypt in a fraction of a second in tests. Run it
with a build without sanitizers (ASan cannot run under that limit).
"""
import base64
import os
import resource
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = b"vector password"
TC = "timestamp:1700000000\tfile:policy.json\tserial:7\texpires:2027-01-01"
POLICY = b'{\n  "version": 1,\n  "serial": 7,\n  "min_release_age": "3d",\n  "typosquat": "block"\n}\n'


def run(*argv, stdin=b"", small_memory=False):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (64 << 20, 64 << 20))

    subprocess.run(argv, input=stdin, cwd=HERE, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, preexec_fn=limit if small_memory else None)


def lines(name):
    with open(os.path.join(HERE, name), "rb") as f:
        return f.read().split(b"\n")


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def blob_edit(sig_lines, fn):
    """Decode line 2, let fn change the bytes, re-encode."""
    raw = bytearray(base64.b64decode(sig_lines[1]))
    fn(raw)
    out = list(sig_lines)
    out[1] = base64.b64encode(bytes(raw))
    return b"\n".join(out)


def main():
    pkggate = sys.argv[1:]
    if not pkggate:
        sys.exit(__doc__)
    for name in os.listdir(HERE):
        if name.endswith((".pub", ".key", ".minisig", ".json")):
            os.unlink(os.path.join(HERE, name))
    write("policy.json", POLICY)
    write("policy-tampered.json", POLICY.replace(b'"block"', b'"allow"'))
    write("other.json", b'{"version": 1}\n')

    # Keys: minisign -W, a second (wrong) key, and encrypted keys of both tools.
    run("minisign", "-G", "-W", "-p", "key.pub", "-s", "key.key")
    run("minisign", "-G", "-W", "-p", "other.pub", "-s", "other.key")
    run("minisign", "-G", "-p", "enc-minisign.pub", "-s", "enc-minisign.key",
        stdin=PASSWORD + b"\n" + PASSWORD + b"\n", small_memory=True)
    run(*pkggate, "keygen", "-p", "enc-pkggate.pub", "-s", "enc-pkggate.key",
        stdin=PASSWORD + b"\n" + PASSWORD + b"\n", small_memory=True)
    run(*pkggate, "keygen", "-W", "-p", "pkggate.pub", "-s", "pkggate.key")

    # Good signatures.
    run("minisign", "-S", "-s", "key.key", "-m", "policy.json", "-x", "good.minisig", "-t", TC)
    run("minisign", "-S", "-l", "-s", "key.key", "-m", "policy.json", "-x",
        "good-legacy.minisig", "-t", TC)
    run("minisign", "-S", "-s", "enc-minisign.key", "-m", "policy.json", "-x",
        "good-enc-minisign.minisig", stdin=PASSWORD + b"\n")
    run(*pkggate, "sign", "-s", "pkggate.key", "-m", "policy.json", "-x",
        "good-pkggate.minisig", "--serial", "7", "--expires", "2027-01-01")
    run(*pkggate, "sign", "-s", "enc-pkggate.key", "-m", "policy.json", "-x",
        "good-enc-pkggate.minisig", stdin=PASSWORD + b"\n")
    run("minisign", "-S", "-s", "key.key", "-m", "other.json", "-x", "other.minisig",
        "-t", TC.replace("policy.json", "other.json").replace("serial:7", "serial:99"))
    run("minisign", "-S", "-s", "other.key", "-m", "policy.json", "-x",
        "by-other-key.minisig", "-t", TC)

    good, legacy = lines("good.minisig"), lines("good-legacy.minisig")
    key_keynum = base64.b64decode(lines("key.pub")[1])[2:10]

    # Forgeries: each must fail, in pkggate and in minisign.
    write("forged-comment.minisig", b"\n".join(
        [good[0], good[1], good[2].replace(b"serial:7", b"serial:9")] + good[3:]))
    other = lines("other.minisig")
    write("forged-comment-transplant.minisig", b"\n".join(good[:2] + other[2:]))
    write("forged-keyid.minisig", blob_edit(lines("by-other-key.minisig"),
                                            lambda r: r.__setitem__(slice(2, 10), key_keynum)))
    write("forged-alg-hashed-to-legacy.minisig", blob_edit(good, lambda r: r.__setitem__(1, ord("d"))))
    write("forged-alg-legacy-to-hashed.minisig", blob_edit(legacy, lambda r: r.__setitem__(1, ord("D"))))
    write("wrong-alg.minisig", blob_edit(good, lambda r: r.__setitem__(slice(0, 2), b"EX")))
    write("forged-sig-bitflip.minisig", blob_edit(good, lambda r: r.__setitem__(40, r[40] ^ 1)))
    write("truncated-lines.minisig", b"\n".join(good[:2]) + b"\n")
    write("truncated-sig.minisig", b"\n".join([good[0], good[1][:-8]] + good[2:]))
    write("truncated-global.minisig", b"\n".join(good[:3] + [good[3][:44]] + good[4:]))
    write("truncated-bytes.minisig", b"\n".join(good)[:150])
    write("bad-base64.minisig", b"\n".join([good[0], good[1][:20] + b"*" + good[1][21:]] + good[2:]))
    write("bad-prefix.minisig", b"\n".join(good[:2] + [good[2].replace(b"trusted comment: ", b"comment: ")] + good[3:]))
    write("empty.minisig", b"")

    # Public keys that must not parse.
    pub = lines("key.pub")
    write("bad-base64.pub", pub[0] + b"\n" + pub[1][:10] + b"!" + pub[1][11:] + b"\n")
    write("truncated.pub", pub[0] + b"\n" + pub[1][:40] + b"\n")
    raw = bytearray(base64.b64decode(pub[1]))
    raw[0:2] = b"EX"
    write("wrong-alg.pub", pub[0] + b"\n" + base64.b64encode(bytes(raw)) + b"\n")


if __name__ == "__main__":
    main()
