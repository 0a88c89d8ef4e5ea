/*
 * pg_npmlock.h - what an npm command installs when a lockfile is present.
 *
 * With package-lock.json or npm-shrinkwrap.json npm installs what the file
 * pins, not what the ranges would pick today. So the packages to check are
 * every locked entry (the age rule too: npm does not re-apply it), once per
 * name@version, plus, except for `npm ci`, the requested packages the
 * lockfile does not already pin. For `npm ci` the lockfile is the whole
 * truth; for `npm update` the requested packages (the named ones, or all
 * of package.json's) are kept even where the lockfile pins them, since
 * update takes the newest version in range (the locked entries are still
 * judged too: a superset). Names `npm uninstall` removes are left out.
 */
#ifndef PG_NPMLOCK_H
#define PG_NPMLOCK_H

#include "pg_cmd.h"
#include "pg_err.h"

/*
 * Replace cmd->reqs by the merge described above, reading
 * cmd->lockfile_path. Does nothing (returns 0) unless cmd is a local
 * (not -g) npm command with has_lockfile set.
 *
 * Ownership: the entries kept are moved, not copied, into the new list,
 * which cmd owns; the old list is released. The lockfile is read and
 * released within the call. Returns 0, or -1 with err set when the
 * lockfile cannot be read or parsed; cmd is then unchanged.
 */
int pg_npmlock_merge(struct pg_cmd *cmd, struct pg_err *err) PG_WARN_UNUSED;

#endif
