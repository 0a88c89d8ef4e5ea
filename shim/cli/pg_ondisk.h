/*
 * pg_ondisk.h - packages a command would block that npm installed before.
 *
 * A package already in node_modules that the policy blocks now (a new deny
 * entry, a version found bad since) is no reason to refuse every later
 * install in the project: refusing does not take it off the disk, and the
 * command at hand does not add it. The gate reports it as installed, with
 * how to remove it, and lets the command go on (pg_gate.c).
 *
 * On disk means both: npm's record of node_modules
 * (node_modules/.package-lock.json) lists name@version at a location, and
 * that location's package.json names the same package and version. Not
 * for npm ci / install-ci-test / install-clean (they delete node_modules
 * and install every package again), -g, or anything but npm: pip keeps an
 * installed distribution that satisfies a requirement without judging it
 * (pg_piptree.h), and one it would replace is a new install.
 */
#ifndef PG_ONDISK_H
#define PG_ONDISK_H

#include "pg_cmd.h"

struct pg_ondisk;

/* What node_modules holds for cmd's project; NULL when cmd is none of the
 * above or nothing is recorded. Free with pg_ondisk_free. */
struct pg_ondisk *pg_ondisk_open(const struct pg_cmd *cmd);

/*
 * Where name is installed ("node_modules/ms"; owned by d), or NULL: at
 * version when given, else at a version that satisfies the npm range spec
 * (NULL or "": any), which *found (may be NULL) gets (owned by d).
 */
const char *pg_ondisk_where(const struct pg_ondisk *d, const char *name, const char *version,
                            const char *spec, const char **found);

void pg_ondisk_free(struct pg_ondisk *d);

#endif
