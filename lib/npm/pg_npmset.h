/*
 * pg_npmset.h - the npm settings that change which versions npm installs,
 * beyond the registry ones pg_npmrc itself builds, read from every layer
 * npm reads (pg_npmrc_get: argv, npm_config_*, project, user, global and
 * builtin npmrc).
 *
 * Modelled:
 *   tag              the default dist-tag npm-pick-manifest prefers
 *   before           a cutoff date (RFC 3339 or a date, as pg_time reads)
 *   min-release-age  days: before = now - days. When both are set the
 *                    later cutoff is kept, so the version judged is never
 *                    older than the one npm takes
 *   package-lock, shrinkwrap   false: npm neither reads nor writes the lockfile
 *   ignore-scripts   true: npm runs no package's lifecycle scripts, so a
 *                    package's install scripts are no risk of this command
 * Not modelled, so listed in unmodelled ("key (set in WHERE)") for the
 * policy's unknown_arguments: min-release-age-exclude (exempts names from
 * the cutoff), offline, prefer-offline and cache-min >= 9999 (versions
 * come from npm's cache, which a project can point anywhere, not from the
 * registry asked), include-staged, global/location=global outside the
 * command line (pg_npmargs reads argv's), and a before or min-release-age
 * that cannot be read. workspace, workspaces and include-workspace-root
 * outside the command line only narrow what npm installs, and every
 * workspace is then judged (pg_npmws.h). Settings that only change the
 * shape of the tree or which transitive dependencies land (omit, include,
 * production, legacy-peer-deps, strict-peer-deps, prefer-dedupe,
 * install-links, install-strategy, engine-strict, force, os, cpu, libc)
 * are not listed: pkggate judges the direct dependencies and every
 * lockfile entry whatever they say, which is at least what npm installs
 * of those.
 */
#ifndef PG_NPMSET_H
#define PG_NPMSET_H

#include <stdint.h>
#include <time.h>

#include "pg_cmd.h"
#include "pg_npmrc.h"

struct pg_npmset {
    char *tag;        /* NULL: "latest" */
    int64_t before;   /* Unix time; 0: no cutoff */
    int package_lock; /* 0: the lockfile is ignored */
    int ignore_scripts; /* 1: no lifecycle script runs */
    struct pg_strlist unmodelled;
};
#define PG_NPMSET_INIT {NULL, 0, 1, 0, PG_STRLIST_INIT}

/* Fill s from cfg; now is the current time (min-release-age). */
void pg_npmset_read(struct pg_npmset *s, const struct pg_npmrc *cfg, time_t now);
void pg_npmset_release(struct pg_npmset *s);

/* nopt's Boolean: "false", "null", "" and numbers equal to 0 are false. */
int pg_npmset_bool(const char *v);

#endif
