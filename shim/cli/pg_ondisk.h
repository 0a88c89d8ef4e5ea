/*
 * pg_ondisk.h - packages a command would block that npm installed before.
 *
 * A package already in node_modules that the policy blocks now (a new deny
 * entry, a version found bad since) is held (pg_held.h): whether npm would
 * leave that copy alone or install it again (another location, a copy it
 * does not trust, scripts and all) is npm's own answer, not this file
 * check's. This only says which blocks are of packages on disk.
 *
 * Installed means: npm's record of node_modules
 * (node_modules/.package-lock.json) lists name@version at a location
 * inside node_modules, that location is a folder (not a link: npm runs a
 * linked package's scripts on every install), and its package.json, a
 * regular file, names the same package and version. Not for npm ci /
 * install-ci-test (they delete node_modules and install every package
 * again), -g, or anything but npm.
 */
#ifndef PG_ONDISK_H
#define PG_ONDISK_H

#include "pg_cmd.h"

struct pg_ondisk;

/* What node_modules holds for cmd's project; NULL when cmd is none of the
 * above or nothing is recorded. Free with pg_ondisk_free. */
struct pg_ondisk *pg_ondisk_open(const struct pg_cmd *cmd);

/*
 * Where name@version is installed ("node_modules/ms"; owned by d), or
 * NULL. folder (may be NULL) gets the name of its folder, which npm prints
 * it by: an npm: alias's own (owned by d).
 */
const char *pg_ondisk_where(const struct pg_ondisk *d, const char *name, const char *version,
                            const char **folder);

void pg_ondisk_free(struct pg_ondisk *d);

#endif
