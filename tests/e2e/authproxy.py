#!/usr/bin/env python3
"""authproxy.py - a registry that wants credentials, in front of the fixture.

Used by t35-registry-config.sh to see which requests carry which
credentials, without ever writing a credential down. Forwards every GET to
the upstream registry (the fixture, which then builds its tarball and file
URLs for itself) and appends one line per request to the log:

    METHOD PATH host=HOST auth=ok|none|wrong ua=pkggate|npm|pip|other STATUS

Requests to Host 127.0.0.1:PORT must carry one of the accepted
Authorization values, else 401. Requests to Host localhost:PORT (another
origin on the same socket) need none: they are where /hop/ redirects to,
to see that a client drops its credentials on a cross-origin redirect.

    /hop/REST   302 to http://localhost:PORT/REST
    /-/npm/v1/keys is public, as on registry.npmjs.org

    authproxy.py --upstream URL --log FILE --accept 'Bearer T' [--accept ...]

Prints the port on stdout (one line) and serves until killed.
"""
import argparse
import http.server
import sys
import threading
import urllib.error
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # hand 3xx back to the client as they are


OPENER = urllib.request.build_opener(NoRedirect)
FORWARD = ("Accept", "If-None-Match", "User-Agent")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def auth_state(self):
        got = self.headers.get("Authorization")
        if got is None:
            return "none"
        return "ok" if got in self.server.accept else "wrong"

    def agent(self):
        ua = self.headers.get("User-Agent", "")
        for name in ("pkggate", "npm", "pip"):
            if ua.startswith(name):
                return name
        return "other"

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        host = self.headers.get("Host", "")
        auth = self.auth_state()
        status = self.answer(host, auth)
        with self.server.lock:
            with open(self.server.log, "a", encoding="utf-8") as f:
                f.write("%s %s host=%s auth=%s ua=%s %d\n" %
                        (self.command, self.path, host, auth, self.agent(), status))

    def answer(self, host, auth):
        port = self.server.server_address[1]
        if self.path.startswith("/hop/"):
            loc = "http://localhost:%d/%s" % (port, self.path[len("/hop/"):])
            self.send(302, headers=[("Location", loc)])
            return 302
        public = host.startswith("localhost:") or self.path.endswith("/-/npm/v1/keys")
        if not public and auth != "ok":
            self.send(401, b'{"error":"authentication required"}',
                      [("Content-Type", "application/json"),
                       ("WWW-Authenticate", 'Basic realm="authproxy"')])
            return 401
        return self.forward()

    def forward(self):
        req = urllib.request.Request(self.server.upstream + self.path)
        for k in FORWARD:
            if self.headers.get(k):
                req.add_header(k, self.headers[k])
        try:
            with OPENER.open(req, timeout=30) as r:
                status, headers, body = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, e.headers, e.read()
        keep = [(k, v) for k, v in headers.items()
                if k.lower() in ("content-type", "etag", "location")]
        self.send(status, body, keep)
        return status


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--accept", action="append", default=[])
    args = ap.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    server.upstream = args.upstream.rstrip("/")
    server.accept = set(args.accept)
    server.log = args.log
    server.lock = threading.Lock()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
