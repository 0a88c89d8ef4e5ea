#!/usr/bin/env python3
"""faultreg.py - an npm registry on loopback whose packages are faults.

Used by t40-registry-faults.sh. It reuses the misbehaviours of
tests/fixture/faultserver.py (same handler, same code paths) but names them
as npm packages, so `pkggate check --ecosystem npm pgfault-hang` and
`npm install pgfault-hang` meet them exactly where a packument is fetched.
Prints the port on stdout (one line) and serves until killed.

    faultreg.py [--tls CERT.pem KEY.pem]

Packages (GET /<name>, any Accept):
  pgfault-ok          a small valid packument, old enough (no tarball served)
  pgfault-500         HTTP 500
  pgfault-hang        never answers
  pgfault-cut         Content-Length 1000, 10 bytes, then close
  pgfault-halfjson    200, the pgfault-ok packument cut in the middle
  pgfault-badutf8     200, the pgfault-ok packument with bytes that are not
                      UTF-8 in a string (well-formed JSON otherwise)
  pgfault-big         64 MiB + 1 with Content-Length (pg_http's default cap)
  pgfault-bigstream   64 MiB + 1, close-delimited (no Content-Length)
  pgfault-gzipbomb    64 MiB + 1 of zeros, gzip-encoded (small on the wire)
  pgfault-away        302 to plain http on a host that is not loopback
  pgfault-loop        a redirect loop
  anything else       404 (as faultserver.py: "no such path")
"""
import json
import os
import ssl
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "fixture"))
import faultserver  # noqa: E402 (path set just above)

OVER = (64 << 20) + 1


def packument(name, description="an old, plain package"):
    when = "2020-01-01T00:00:00.000Z"
    ver = {"name": name, "version": "1.0.0", "description": description,
           "dist": {"tarball": "http://127.0.0.1:1/%s/-/%s-1.0.0.tgz" % (name, name),
                    "shasum": "0" * 40,
                    "integrity": "sha512-" + "A" * 86 + "=="}}
    return {"name": name, "dist-tags": {"latest": "1.0.0"},
            "versions": {"1.0.0": ver}, "modified": when,
            "time": {"created": when, "modified": when, "1.0.0": when}}


def body(name):
    return json.dumps(packument(name)).encode()


# name -> (faultserver path, query) for the faults faultserver already has
ROUTES = {
    "/pgfault-500": ("/status/500", {}),
    "/pgfault-hang": ("/hang", {}),
    "/pgfault-cut": ("/truncated", {}),
    "/pgfault-big": ("/big", {"n": str(OVER)}),
    "/pgfault-bigstream": ("/bigchunked", {"n": str(OVER)}),
    "/pgfault-gzipbomb": ("/gzip", {"n": str(OVER)}),
    "/pgfault-away": ("/redirect", {"to": "http://registry.example.invalid/pgfault-away"}),
    "/pgfault-loop": ("/redirect", {}),
}


class Handler(faultserver.Handler):
    def route(self, path, q):
        js = {"Content-Type": "application/json"}
        if path == "/pgfault-ok":
            self.reply(200, body("pgfault-ok"), js)
        elif path == "/pgfault-halfjson":
            b = body("pgfault-halfjson")
            self.reply(200, b[:len(b) // 2], js)
        elif path == "/pgfault-badutf8":
            b = body("pgfault-badutf8").replace(b"an old, plain package",
                                               b"an old \xc3\x28\xff\xfe package")
            self.reply(200, b, js)
        elif path in ROUTES:
            super().route(*ROUTES[path])
        else:
            super().route(path, q)


def main():
    server = faultserver.Server(("127.0.0.1", 0), Handler)
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    elif len(sys.argv) != 1:
        sys.exit("usage: faultreg.py [--tls CERT KEY]")
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
