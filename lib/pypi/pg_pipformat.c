/*
 * pg_pipformat.c - FormatControl.handle_mutual_excludes and
 * get_allowed_formats (pip/_internal/models/format_control.py), followed
 * for one project name only, which is all a pick needs.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_meta.h"
#include "pg_name.h"
#include "pg_pipformat.h"
#include "pg_util.h"
#include "banned.h"

/* One set of FormatControl, as seen by a single name. */
struct side {
    int all;  /* ":all:" in the set */
    int name; /* the name in the set */
};

/* handle_mutual_excludes(value, target, other), items split on ','. */
static void handle(const char *value, const char *norm, struct side *target, struct side *other)
{
    char *buf = pg_xstrdup(value), *save = NULL;
    const char *rest = buf;
    const char *all;

    /* "while ':all:' in new": clear both, keep only what follows, stop
     * unless a ':none:' comes later. */
    while ((all = strstr(rest, ":all:")) != NULL) {
        *other = (struct side){0, 0};
        *target = (struct side){1, 0};
        rest = all + 5;
        if (!strstr(rest, ":none:"))
            goto out;
    }
    for (char *it = strtok_r((char *)rest, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
        char *n;

        if (strcmp(it, ":none:") == 0) {
            *target = (struct side){0, 0};
            continue;
        }
        n = pg_name_normalize(PG_ECO_PYPI, it);
        if (strcmp(n, norm) == 0) {
            other->name = 0;
            target->name = 1;
        }
        free(n);
    }
out:
    free(buf);
}

unsigned pg_pipformat_kinds(const struct pg_strlist *ops, const char *name)
{
    struct side only = {0, 0}, no = {0, 0};
    char *norm = pg_name_normalize(PG_ECO_PYPI, name);
    unsigned kinds = PG_META_WHEEL | PG_META_SDIST;

    for (size_t i = 0; ops && i < ops->n; i++) {
        const char *v = ops->v[i];

        if (pg_starts_with(v, "only-binary="))
            handle(v + strlen("only-binary="), norm, &only, &no);
        else if (pg_starts_with(v, "no-binary="))
            handle(v + strlen("no-binary="), norm, &no, &only);
    }
    free(norm);
    if (only.name || (!no.name && only.all))
        kinds = PG_META_WHEEL;
    else if (no.name || no.all)
        kinds = PG_META_SDIST;
    return kinds;
}
