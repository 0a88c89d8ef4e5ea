/*
 * pg_regconf.h - which registry each package would really come from.
 *
 * Read as the tools read it: the command line first (npm --registry, pip
 * -i/--index-url), then the tools' own configuration (.npmrc files and
 * npm_config_* variables, pip.conf files and PIP_* variables), then the
 * public registries. Credentials found there are handed to the HTTP layer
 * for their own origin only and never printed.
 */
#ifndef PG_REGCONF_H
#define PG_REGCONF_H

#include "pg_cmd.h"

struct pg_regconf;

/* cmd may be NULL (pkggate check). Never fails: defaults fill the gaps. */
struct pg_regconf *pg_regconf_load(const struct pg_cmd *cmd);
void pg_regconf_free(struct pg_regconf *c);

/*
 * The index URL for this package (npm: its scope's registry if configured),
 * and in *auth the Authorization header value for it, or NULL. Both owned
 * by c.
 */
const char *pg_regconf_index(struct pg_regconf *c, enum pg_eco eco, const char *name,
                             const char **auth);
/* The CA bundle the tool would use (pip cert, npm cafile), or NULL. */
const char *pg_regconf_cafile(const struct pg_regconf *c);

#endif
