/*
 * pg_pyversion.h - the Python the real pip runs on: its version, its
 * marker environment and where it installs.
 *
 * pip skips files whose requires-python excludes its interpreter, evaluates
 * dependency markers in that interpreter's environment and keeps the
 * distributions installed in its site-packages, so all three depend on it.
 * The interpreter is the one the pip script's #! line names
 * (pg_regconf_python_path), or the tool itself when it is a python binary
 * (python -m pip), else (a wrapper, a pyenv shim) python3 on PATH
 * (pg_interp.h). It is asked once, `python -I -c '...'` (isolated: no
 * site, no PYTHON* variables, no package code; the standard library's
 * sys, os, platform and sysconfig only), run by the path pip's script
 * names (a venv's python answers with the venv's site-packages), and the
 * answer is cached in $XDG_CACHE_HOME/pkggate/python/ by that path and the
 * real binary's mtime and size, so an upgrade in place is noticed (not
 * cached when the interpreter is a script: a shim chooses when it runs).
 */
#ifndef PG_PYVERSION_H
#define PG_PYVERSION_H

#include "pg_marker.h"

struct pg_pyenv {
    char *version;                /* "3.11.7" */
    char *markers[PG_MK_NVARS];   /* the PEP 508 marker environment */
    char *purelib, *platlib;      /* sysconfig paths: where pip installs */
};
#define PG_PYENV_INIT {0}

/* Fill env; 0, or -1 when the interpreter cannot be found or told. */
int pg_pyenv_of_tool(const char *tool_path, struct pg_pyenv *env);
/* The marker environment as pg_marker_eval reads it (borrowed from env). */
void pg_pyenv_markers(const struct pg_pyenv *env, struct pg_marker_env *out);
void pg_pyenv_release(struct pg_pyenv *env);

/* The version alone ("3.11.7"), or NULL when it cannot be told. Caller frees. */
char *pg_pyversion_of_tool(const char *tool_path);

#endif
