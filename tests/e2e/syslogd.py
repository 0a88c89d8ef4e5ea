#!/usr/bin/env python3
"""A stand-in for /dev/log: bind a datagram socket, write each message
received as one line of OUT, create READY once bound, and exit after a
datagram reading END (sent by the test once pkggate has exited, so every
message pkggate sent is in OUT when this exits)."""
import socket
import sys

path, out, ready = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
open(ready, "w").write("ready\n")
with open(out, "wb") as f:
    while True:
        msg = s.recv(1 << 20)
        if msg == b"END":
            break
        # A newline inside a message would be a finding: keep it visible.
        f.write(msg.replace(b"\n", b"\\n") + b"\n")
        f.flush()
