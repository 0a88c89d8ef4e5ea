/*
 * pg_route_python.h - python, python3 and python3.N as a way to pip.
 *
 * `python -m pip install x` installs as surely as `pip install x`, and pip's
 * own documentation recommends that form. So the shim stands in front of
 * python too, and must then tell `-m pip` apart from every other python
 * start (npm scripts, build tools, editors: python starts all the time)
 * with a scan of argv alone, before the one execv that every other start
 * costs. libc only, like every file at shim/'s root.
 *
 * The scan follows CPython's own option grammar (Python/getopt.c, short
 * options "bBc:dEhiIm:OPqRsStuvVW:xX:?" and the long ones): flags may be
 * grouped (-IB), a value-taking letter takes the rest of its word or the
 * next word (-Wignore, -W ignore, -Im pip), and -c, -m, a lone "-", "--"
 * and the first word that is not an option end the options.
 */
#ifndef PG_ROUTE_PYTHON_H
#define PG_ROUTE_PYTHON_H

enum pg_pystart {
    PG_PY_OTHER,  /* certainly not pip: a script, -c, -m other, the REPL, -h, -V */
    PG_PY_PIP,    /* -m pip (or -m pip.__main__) with only known options before */
    PG_PY_UNSURE, /* an option this scan does not know comes before the end */
};

/*
 * Read python's options in argv[1..argc-1]. For PG_PY_PIP, *at is the index
 * of the word that ends with the module name ("pip" after "-m", or "-mpip"
 * itself), so argv + *at is pip's argv with argv[0] standing in for "pip".
 * For PG_PY_UNSURE, *at is the index of the unknown option. No allocation,
 * no I/O.
 */
enum pg_pystart pg_pyscan(int argc, char *const argv[], int *at);

/*
 * 1 if this python start could install (hand it to `pkggate run`), 0 if it
 * certainly cannot (exec the real python). -m pip: pg_route_pip on pip's
 * argv. An unknown option (a newer python's, say) routes the start only
 * when a later word mentions pip: CPython refuses options it does not know,
 * so everything else is left to python itself.
 */
int pg_route_python(int argc, char *const argv[]);

#endif
