# >>> pkggate python hook >>>
# sitecustomize.py written by pkggate's `install.sh --python-hook`; removed
# by `install.sh --uninstall`. Python runs it at every start of this
# interpreter, virtualenvs made from it included, so a pip that is reached
# around the shims (a venv's bin/ ahead of them on PATH, a script, a CI
# step) still hands its command to pkggate before resolving anything.
# It costs every python start, so it only looks at argv unless the
# process is pip. The shim decides precisely (pkggate-shim's python
# router): this only asks "could this be pip?".
def _pkggate_hook():
    import os
    import sys

    shim = "@SHIM@"
    # pkggate exec'd this very process after checking it (exec keeps the
    # pid; see pg_realtool.h), or a copy of the value: that never matches.
    if os.environ.get("PKGGATE_TARGET", "").endswith(":%d" % os.getpid()):
        return
    argv = getattr(sys, "orig_argv", None) or []
    name = (sys.argv[0] if sys.argv else "").rpartition("/")[2]
    if name in ("pip", "pip3") or (name[:5] == "pip3." and name[5:].isdigit()):
        # A pip console script: the same pip as `python -m pip`.
        args = [sys.executable, "-m", "pip"] + sys.argv[1:]
    elif name == "-m" and any(w == "pip" or w == "pip.__main__" or w[-4:] == "mpip" for w in argv):
        args = [sys.executable] + argv[1:]
    else:
        return
    try:
        os.execv(shim, ["pkggate-shim"] + args)
    except OSError as e:
        # Fail closed, as pkggate does on every error on the checking path.
        sys.stderr.write("pkggate: cannot run %s: %s (install blocked); to remove this "
                         "hook: %s\n" % (shim, e.strerror, __file__))
        sys.stderr.flush()
        os._exit(11)


_pkggate_hook()
del _pkggate_hook
# <<< pkggate python hook <<<
