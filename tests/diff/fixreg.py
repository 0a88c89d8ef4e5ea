"""fixreg.py - one fixture registry (tests/fixture/registry.py) on loopback,
for the differential runners (run.py, pipgraph.py). Standard library only."""
import ctypes
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("PG_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))


def _die_with_parent():
    """Even if the runner is killed outright (a ctest timeout), no registry outlives it."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class FixtureRegistry:
    """Serves pkgdir with its state in `state` (stderr beside it, state + ".err")."""

    def __init__(self, state, pkgdir, name=""):
        self.state = state
        self.name = name
        self.errpath = state + ".err"
        self.err = open(self.errpath, "w")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(SRC, "tests/fixture/registry.py"), "--packages",
             pkgdir, "--state", state], stdout=subprocess.DEVNULL, stderr=self.err,
            preexec_fn=_die_with_parent)

    def wait_port(self):
        """The port, once the server has written it (its last step when starting)."""
        portf = os.path.join(self.state, "port")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if os.path.exists(portf) and os.path.getsize(portf) > 0:
                return int(open(portf).read())
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)  # polling a file the server writes last, bounded above
        raise RuntimeError("fixture registry %sdid not start: %s" %
                           (self.name + " " if self.name else "", open(self.errpath).read()))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.err.close()
