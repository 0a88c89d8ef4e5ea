/*
 * pg_pysite.h - the distributions already installed in a Python
 * environment, as pip sees them: <dir>/NAME.dist-info/METADATA in the
 * environment's site-packages (purelib, platlib).
 *
 * pip keeps an installed distribution that satisfies a requirement (unless
 * told to upgrade it), so the tree reuses these instead of judging a new
 * install. Only Name, Version and Requires-Dist are read. Legacy
 * `.egg-info` installs are not read: a requirement they would satisfy is
 * judged as a new install (more, never less). At most PG_PYSITE_MAX
 * distributions per environment are read.
 */
#ifndef PG_PYSITE_H
#define PG_PYSITE_H

#include <stddef.h>

#include "pg_cmd.h"

#define PG_PYSITE_MAX 20000

struct pg_pysite_dist {
    char *key;                  /* the PEP 503-normalised name */
    char *name;                 /* as its METADATA writes it */
    char *version;
    struct pg_strlist requires; /* Requires-Dist, as written */
};

struct pg_pysite {
    struct pg_pysite_dist *v;
    size_t n, alloc;
};
#define PG_PYSITE_INIT {NULL, 0, 0}

/*
 * Read every dist-info under dirs[0..n) (NULL entries and missing
 * directories are skipped; a directory listed twice is read once). An
 * unreadable METADATA is skipped. The first directory wins for a name.
 */
void pg_pysite_load(struct pg_pysite *s, const char *const *dirs, size_t n);

/* Add one distribution (tests, and the loader). */
void pg_pysite_add(struct pg_pysite *s, const char *name, const char *version,
                   const struct pg_strlist *requires);

/* The installed distribution of name (any spelling), or NULL. */
const struct pg_pysite_dist *pg_pysite_find(const struct pg_pysite *s, const char *name);

void pg_pysite_release(struct pg_pysite *s);

#endif
