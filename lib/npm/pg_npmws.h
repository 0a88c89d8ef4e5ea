/*
 * pg_npmws.h - a project's npm workspaces, as @npmcli/map-workspaces finds
 * them from package.json "workspaces" (an array, or an object's
 * "packages" array).
 *
 * Understood patterns: a literal path ("tools/cli") and a directory's
 * children ("packages/" then "*"), after "./" and trailing '/' are dropped,
 * and either one negated ("!packages/b"), which removes what earlier
 * patterns matched; a
 * match is a directory holding package.json (node_modules and dot
 * directories are skipped, as map-workspaces' glob does). Any other
 * pattern (**, ?, [..], {..}, "*" elsewhere) is listed in
 * unsupported instead of guessed at. Each workspace's name is its
 * package.json "name", else its directory's base name.
 */
#ifndef PG_NPMWS_H
#define PG_NPMWS_H

#include <stddef.h>

#include "pg_cmd.h"
#include "pg_err.h"

struct pg_npmws {
    char *dir;  /* absolute */
    char *name;
};

struct pg_npmws_list {
    struct pg_npmws *v;
    size_t n, alloc;
    struct pg_strlist unsupported; /* the patterns, as written */
};
#define PG_NPMWS_LIST_INIT {NULL, 0, 0, PG_STRLIST_INIT}

/*
 * Fill out from root/package.json (root absolute). A project without
 * workspaces gives an empty list. -1 with err set when that package.json
 * is there but cannot be read or parsed.
 */
int pg_npmws_read(const char *root, struct pg_npmws_list *out, struct pg_err *err);
void pg_npmws_release(struct pg_npmws_list *l);

#endif
