/*
 * The shim's router for python; the grammar is in the header. Every python
 * start pays for this function, so it reads argv once and stops at the
 * first word that ends python's options, usually argv[1].
 */
#include <string.h>

#include "pg_route_pip.h"
#include "pg_route_python.h"
#include "banned.h"

/* Short options that take a value; -c and -m also end the options. */
static int takes_value(char c)
{
    return c == 'c' || c == 'm' || c == 'W' || c == 'X';
}

/* Short flags CPython 3.8 to 3.13 know without a value. */
static int is_flag(char c)
{
    return c && strchr("bBdEhiIOPqRsStuvVx?", c) != NULL;
}

static int is_pip_module(const char *mod)
{
    return strcmp(mod, "pip") == 0 || strcmp(mod, "pip.__main__") == 0;
}

/* The long options; --check-hash-based-pycs takes the next word. */
static enum pg_pystart long_opt(const char *w, int *skip_next, int *other)
{
    static const char *const ends[] = {"--help", "--help-all", "--help-env", "--help-xoptions",
                                       "--version"};

    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
        if (strcmp(w, ends[i]) == 0) {
            *other = 1; /* python prints and exits, whatever follows */
            return PG_PY_OTHER;
        }
    if (strcmp(w, "--check-hash-based-pycs") == 0) {
        *skip_next = 1;
        return PG_PY_OTHER;
    }
    return PG_PY_UNSURE;
}

/*
 * One word starting with '-': 0 to read on, 1 when it decides. -h and -V
 * make python print and exit, so nothing after them matters.
 */
static int short_opts(int argc, char *const argv[], int *i, enum pg_pystart *res, int *at)
{
    const char *w = argv[*i];

    for (const char *p = w + 1; *p; p++) {
        const char *val;

        if (*p == 'h' || *p == '?' || *p == 'V') {
            *res = PG_PY_OTHER;
            return 1;
        }
        if (is_flag(*p))
            continue;
        if (!takes_value(*p)) {
            *res = PG_PY_UNSURE;
            *at = *i;
            return 1;
        }
        val = p[1] ? p + 1 : *i + 1 < argc ? argv[++*i] : NULL;
        if (!val) {
            *res = PG_PY_OTHER; /* "Argument expected": python refuses */
            return 1;
        }
        if (*p == 'c' || *p == 'm') {
            *res = *p == 'm' && is_pip_module(val) ? PG_PY_PIP : PG_PY_OTHER;
            *at = *i;
            return 1;
        }
        break; /* -W, -X: the value is read; next word */
    }
    return 0;
}

enum pg_pystart pg_pyscan(int argc, char *const argv[], int *at)
{
    enum pg_pystart res = PG_PY_OTHER;

    *at = 0;
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];

        if (w[0] != '-' || !w[1] || strcmp(w, "--") == 0)
            return PG_PY_OTHER; /* a script, stdin, or "--" then a script */
        if (w[1] == '-') {
            int skip = 0, other = 0;

            if (long_opt(w, &skip, &other) == PG_PY_UNSURE) {
                *at = i;
                return PG_PY_UNSURE;
            }
            if (other)
                return PG_PY_OTHER;
            i += skip;
            continue;
        }
        if (short_opts(argc, argv, &i, &res, at))
            return res;
    }
    return PG_PY_OTHER; /* no script: the REPL */
}

int pg_route_python(int argc, char *const argv[])
{
    int at;

    switch (pg_pyscan(argc, argv, &at)) {
    case PG_PY_PIP:
        return pg_route_pip(argc - at, argv + at);
    case PG_PY_UNSURE:
        for (int i = at; i < argc; i++)
            if (strstr(argv[i], "pip"))
                return 1;
        return 0;
    case PG_PY_OTHER:
        break;
    }
    return 0;
}
