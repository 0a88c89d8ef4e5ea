/*
 * pg_name.h - package names per ecosystem.
 */
#ifndef PG_NAME_H
#define PG_NAME_H

#include <stddef.h>

#include "pg_req.h"

/*
 * The name two spellings are compared by. PyPI: PEP 503 (lowercase, runs of
 * -_. become one -). npm: unchanged (npm names are case-sensitive; the
 * registry refuses new uppercase names). Caller frees.
 */
char *pg_name_normalize(enum pg_eco eco, const char *name);

/*
 * 1 if the registry would accept name. PyPI: PEP 508 name syntax
 * ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$ (case-insensitive). npm: at most
 * 214 bytes, optional "@scope/" prefix, URL-safe lowercase characters, not
 * starting with . or _ (validate-npm-package-name, new packages).
 */
int pg_name_valid(enum pg_eco eco, const char *name);

#endif
