/*
 * pg_coremeta.h - what a distribution says it needs: core metadata
 * (METADATA / PKG-INFO, the PEP 658 `.metadata` file) and the JSON API's
 * version document.
 *
 * Core metadata is RFC 822 headers (continuation lines start with
 * whitespace) ending at the first blank line; only Name, Version and
 * Requires-Dist are read. Requires-Dist values are kept as written (PEP
 * 508 text, parsed by the caller). Input is capped at PG_COREMETA_MAX.
 */
#ifndef PG_COREMETA_H
#define PG_COREMETA_H

#include <stddef.h>

#include "pg_cmd.h"
#include "pg_err.h"

#define PG_COREMETA_MAX (4u << 20)

struct pg_coremeta {
    char *name;                 /* Name:, or NULL */
    char *version;              /* Version:, or NULL */
    struct pg_strlist requires; /* Requires-Dist: values, in order */
    int known;                  /* 0: the source did not say (JSON API null
                                 * requires_dist); 1: requires is the list */
};
#define PG_COREMETA_INIT {NULL, NULL, PG_STRLIST_INIT, 0}

/* Parse core metadata text; known is 1. Returns 0, or -1 with err set. */
int pg_coremeta_parse(struct pg_coremeta *m, const char *text, size_t len, struct pg_err *err);

/*
 * Parse a JSON API version document (/pypi/<name>/<version>/json):
 * info.name, info.version, info.requires_dist. A null or missing
 * requires_dist leaves known 0: PyPI writes null both for "no
 * dependencies" and for metadata it could not read (an sdist). Returns 0,
 * or -1 with err set.
 */
int pg_coremeta_parse_json(struct pg_coremeta *m, const char *body, size_t len,
                           struct pg_err *err);

void pg_coremeta_release(struct pg_coremeta *m);

#endif
