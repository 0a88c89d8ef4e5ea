/*
 * pg_marker.h - PEP 508 environment markers, evaluated as packaging 24
 * (pip 24/25) evaluates them.
 *
 *     python_version < "3.8" and (sys_platform == "linux" or extra == "socks")
 *
 * A comparison first tries the operator and the literal as one PEP 440
 * specifier (`Specifier(op + rhs)`) and tests the other side as a version
 * with prereleases allowed; when that specifier does not parse, <, <=, ==,
 * !=, >=, > compare the strings, `in`/`not in` test substrings, and ~= or
 * === is an error (packaging's UndefinedComparison). `extra` is compared
 * with both sides PEP 503-normalised. The legacy names (os.name,
 * sys.platform, platform.version, platform.machine,
 * platform.python_implementation, python_implementation) read the same
 * values as their PEP 508 names. A variable the environment lacks is an
 * error (packaging's UndefinedEnvironmentName).
 */
#ifndef PG_MARKER_H
#define PG_MARKER_H

#include "pg_err.h"

enum pg_marker_var {
    PG_MK_IMPLEMENTATION_NAME,
    PG_MK_IMPLEMENTATION_VERSION,
    PG_MK_OS_NAME,
    PG_MK_PLATFORM_MACHINE,
    PG_MK_PLATFORM_PYTHON_IMPLEMENTATION,
    PG_MK_PLATFORM_RELEASE,
    PG_MK_PLATFORM_SYSTEM,
    PG_MK_PLATFORM_VERSION,
    PG_MK_PYTHON_FULL_VERSION,
    PG_MK_PYTHON_VERSION,
    PG_MK_SYS_PLATFORM,
    PG_MK_NVARS
};

/* The values markers are evaluated against (borrowed strings; NULL: unknown). */
struct pg_marker_env {
    const char *v[PG_MK_NVARS];
};

/* The PEP 508 name of a variable ("python_version"). */
const char *pg_marker_var_name(enum pg_marker_var var);

/* The variable named name (PEP 508 spelling), or -1. */
int pg_marker_var_find(const char *name);

/*
 * Evaluate marker (the text after ';') in env with `extra` set to extra
 * ("" for none, as pip evaluates a requirement's base dependencies).
 * Returns 1 (true), 0 (false), or -1 with err set: a syntax error, an
 * undefined comparison, or a variable env leaves NULL.
 */
int pg_marker_eval(const char *marker, const struct pg_marker_env *env, const char *extra,
                   struct pg_err *err) PG_WARN_UNUSED;

#endif
