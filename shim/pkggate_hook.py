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
    # pkggate (or its shim, for a pip command that installs nothing) exec'd
    # this very process: it left a pipe open and named it (pg_realtool.h,
    # pg_realtool_mark_handled). Only that fd being that pipe counts, which
    # a value planted in an environment cannot arrange. Closed and dropped
    # either way, so pip's own children are handled afresh.
    mark = os.environ.pop("PKGGATE_HANDLED", "").split(":")
    if len(mark) == 3 and all(m.isdigit() for m in mark):
        try:
            st = os.fstat(int(mark[0]))
            ok = (st.st_mode & 0o170000 == 0o010000 and st.st_dev == int(mark[1])
                  and st.st_ino == int(mark[2]))
        except OSError:
            ok = False
        if ok:
            os.close(int(mark[0]))
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
