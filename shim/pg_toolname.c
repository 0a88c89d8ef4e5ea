/*
 * pg_toolname.c - the name table of pg_tools.def and its matcher. libc
 * only, because pkggate-shim compiles it too (see pg_toolname.h).
 */
#include <stdio.h>
#include <string.h>

#include "pg_toolname.h"
#include "banned.h"

static const struct pg_toolname names[] = {
#define PG_TOOL(id, name, eco, route, parse, regconf) {name, PG_NAME_EXACT, id},
#define PG_TOOL_ALIAS(id, name, match)                {name, match, id},
#include "pg_tools.def"
};

#define NNAMES (sizeof(names) / sizeof(names[0]))

static int matches(const struct pg_toolname *t, const char *name)
{
    size_t n;

    if (t->match == PG_NAME_EXACT)
        return strcmp(name, t->name) == 0;
    /* "pip3.N": the text before the N, then at least one digit, only digits. */
    n = strlen(t->name) - 1;
    if (strncmp(name, t->name, n) != 0 || !name[n])
        return 0;
    for (const char *p = name + n; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

int pg_tool_from_name(const char *name)
{
    for (size_t i = 0; i < NNAMES; i++)
        if (matches(&names[i], name))
            return (int)names[i].tool;
    return -1;
}

const struct pg_toolname *pg_toolname_at(size_t i)
{
    return i < NNAMES ? &names[i] : NULL;
}

void pg_toolname_join(char *out, size_t outsz, const char *sep, const char *last, int exact_only)
{
    size_t len = 0, total = 0, k = 0;

    for (size_t i = 0; i < NNAMES; i++)
        total += !exact_only || names[i].match == PG_NAME_EXACT;
    if (outsz)
        out[0] = '\0';
    for (size_t i = 0; i < NNAMES && len < outsz; i++) {
        const char *before = k == 0 ? "" : k + 1 == total ? last : sep;
        int w;

        if (exact_only && names[i].match != PG_NAME_EXACT)
            continue;
        w = snprintf(out + len, outsz - len, "%s%s", before, names[i].name);
        if (w < 0)
            break;
        len += (size_t)w;
        k++;
    }
}
