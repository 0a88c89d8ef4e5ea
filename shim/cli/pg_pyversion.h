/*
 * pg_pyversion.h - the version of the Python the real pip runs on.
 *
 * pip skips files whose requires-python excludes its interpreter, so the
 * version pip installs depends on it. The interpreter is the one the pip
 * script's #! line names (pg_regconf_python_path), or the tool itself when
 * it is a python binary (python -m pip). Its version is asked from the
 * interpreter once, `python -I -c 'import sys; print(...)'` (isolated: no
 * site, no PYTHON* variables, no package code), and cached in
 * $XDG_CACHE_HOME/pkggate/python/ by its real path, mtime and size, so an
 * upgrade in place is noticed.
 */
#ifndef PG_PYVERSION_H
#define PG_PYVERSION_H

/* "3.11.7", or NULL when it cannot be told. Caller frees. */
char *pg_pyversion_of_tool(const char *tool_path);

#endif
