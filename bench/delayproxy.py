#!/usr/bin/env python3
"""delayproxy.py - a reverse proxy on loopback that adds network latency.

    delayproxy.py UPSTREAM_PORT DELAY_MS

Forwards every GET/HEAD to http://127.0.0.1:UPSTREAM_PORT (same path,
request headers but Host and hop-by-hop ones) and answers with the
upstream's status, headers and body. It models a registry DELAY_MS away:
  - a new connection waits DELAY_MS before its first request is read
    (the TCP handshake's round trip);
  - every request waits DELAY_MS before it is answered (its round trip).
HTTP/1.1 with keep-alive, one thread per connection, so parallel
connections overlap their delays as they would on a real network; a
client that sends requests one after another pays one delay each.
Two artefacts of the Python fixture registry are kept out of the figures:
  - it listens with Python's default backlog of 5, and a burst of 100
    parallel connects overflows that (each dropped SYN costs a 1 s
    retransmit), so at most POOL (4) upstream requests run at once;
  - it writes a response's headers and body in two send()s, which on a
    reused connection meets Nagle's algorithm and the client's delayed ACK
    (a 40 ms stall per response), so each upstream request gets a fresh
    connection (loopback: ~0.1 ms), and this proxy answers its own
    clients in one send() with TCP_NODELAY.
Prints its port on stdout (one line) and serves until killed. Standard
library only.
"""
import http.client
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
       "te", "trailer", "upgrade", "host"}
POOL = 4


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        time.sleep(self.server.delay)  # the handshake's round trip

    def upstream(self, hdrs):
        """(status, headers, body) over a fresh upstream connection."""
        with self.server.slots:
            conn = http.client.HTTPConnection("127.0.0.1", self.server.up, timeout=30)
            try:
                conn.request(self.command, self.path, headers=hdrs)
                r = conn.getresponse()
                return r.status, r.getheaders(), r.read()
            finally:
                conn.close()

    def forward(self):
        time.sleep(self.server.delay)
        hdrs = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        hdrs["Host"] = "127.0.0.1:%d" % self.server.up
        try:
            status, headers, body = self.upstream(hdrs)
        except (OSError, http.client.HTTPException):
            self.send_error(502)
            return
        self.send_response(status)
        for k, v in headers:
            if k.lower() not in HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        # end_headers() would send the headers alone; one send() instead.
        self._headers_buffer.append(b"\r\n")
        head = b"".join(self._headers_buffer)
        self._headers_buffer = []
        self.wfile.write(head + (body if self.command != "HEAD" else b""))

    do_GET = forward  # noqa: N815 (http.server naming)
    do_HEAD = forward  # noqa: N815


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a burst of parallel connects must not be dropped


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: delayproxy.py UPSTREAM_PORT DELAY_MS")
    server = Server(("127.0.0.1", 0), Handler)
    server.up = int(sys.argv[1])
    server.delay = int(sys.argv[2]) / 1000
    server.slots = threading.BoundedSemaphore(POOL)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
