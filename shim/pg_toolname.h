/*
 * pg_toolname.h - the commands pkggate answers to, from pg_tools.def.
 *
 * libc only: pkggate-shim matches its argv[0] here on every call, and
 * pkggate (run, doctor, --list-tools) reads the same table, so the two
 * programs never disagree about a name.
 */
#ifndef PG_TOOLNAME_H
#define PG_TOOLNAME_H

#include <stddef.h>

#include "pg_tool.h"

enum pg_toolname_match {
    PG_NAME_EXACT,  /* the name itself */
    PG_NAME_DIGITS, /* the name with its final 'N' as one or more digits */
};

struct pg_toolname {
    const char *name; /* as written in pg_tools.def: "pip3", "pip3.N" */
    enum pg_toolname_match match;
    enum pg_tool tool;
};

/* The tool basename(argv[0]) runs: pip, pip3, pip3.11 -> PG_TOOL_PIP; -1 if none. */
int pg_tool_from_name(const char *name);

/* The i-th name in table order (tools and their aliases), NULL past the end. */
const struct pg_toolname *pg_toolname_at(size_t i);

/*
 * The names for a message, joined by sep and the last two by last:
 * ", " and " or " give "pip, pip3, pip3.N, npm or npx". exact_only leaves
 * out the PG_NAME_DIGITS names. Cut short to fit outsz, always terminated.
 */
void pg_toolname_join(char *out, size_t outsz, const char *sep, const char *last, int exact_only);

#endif
