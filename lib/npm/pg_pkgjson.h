/*
 * pg_pkgjson.h - what package.json asks for and what package-lock.json pins.
 *
 * package.json: the four dependency maps (dependencies, devDependencies,
 * optionalDependencies, peerDependencies), each entry read with
 * pg_npmspec_resolve() into a struct pg_req (origin "package.json" or the
 * caller's label; devDependencies set dev = 1). An exact duplicate (same
 * key, same spec in two maps) is listed once.
 *
 * package-lock.json / npm-shrinkwrap.json, lockfileVersion 1, 2 and 3:
 * every locked package becomes a struct pg_req with origin = the file's
 * basename, name (alias entries: the real name, alias = the key), locked =
 * version, dev = the entry's "dev". v2/v3 read the "packages" map keyed by
 * install location ("node_modules/a/node_modules/b"); v1 (and v2 files
 * without "packages") walk "dependencies" recursively. Skipped: the root
 * "" entry, `"link": true` entries (their target is listed under its own
 * key when it is part of the tree), and keys that are not under a
 * node_modules folder (workspace and file: link targets: the project's own
 * code). Alongside each req, struct pg_lockent keeps what pg_req has no
 * room for: the location, "resolved", "integrity" and flags.
 *
 * Source of a locked entry, from "resolved" (v1: also "version"):
 *   absent, or http(s) ending in /-/<name>-<version>.tgz -> PG_SRC_REGISTRY,
 *       spec = version
 *   git+..., git:, ssh:, github: ...                     -> PG_SRC_GIT
 *   file:..., or a bare path                             -> PG_SRC_LOCAL
 *   any other http(s) URL                                -> PG_SRC_URL
 * For non-registry sources spec is the resolved URL/path (pg_req.h's rule).
 * A registry that serves tarballs under another layout (GitHub Packages'
 * /download/...) reads as PG_SRC_URL; resolved is kept so a caller can
 * decide otherwise.
 *
 * Errors: one line naming the file; JSON syntax errors carry jansson's
 * line:column ("package.json:3:5: ..."), wrong types the position of the
 * offending value. Inputs are capped (PG_PKGJSON_MAX, PG_PKGLOCK_MAX) and a
 * UTF-8 byte order mark is skipped, as npm does.
 */
#ifndef PG_PKGJSON_H
#define PG_PKGJSON_H

#include <stddef.h>

#include "pg_err.h"
#include "pg_req.h"

#define PG_PKGJSON_MAX   (16u << 20)  /* bytes of package.json */
#define PG_PKGLOCK_MAX   (256u << 20) /* bytes of a lockfile */
#define PG_PKGLOCK_DEPTH 256          /* v1 "dependencies" nesting */

/*
 * Append the dependencies of the package.json text buf[0..len) to out
 * (entries appended before an error stay). label names the file in errors
 * and is the origin of each req ("package.json" if NULL).
 */
int pg_pkgjson_parse_deps(const char *buf, size_t len, const char *label, struct pg_reqlist *out,
                          struct pg_err *err);

/* Read path (capped at PG_PKGJSON_MAX) and parse it; origin "package.json". */
int pg_pkgjson_read_deps(const char *path, struct pg_reqlist *out, struct pg_err *err);

#define PG_LOCK_DEV            0x01u /* "dev": true */
#define PG_LOCK_OPTIONAL       0x02u /* "optional": true */
#define PG_LOCK_DEV_OPTIONAL   0x04u /* "devOptional": true */
#define PG_LOCK_PEER           0x08u /* "peer": true */
#define PG_LOCK_BUNDLED        0x10u /* "inBundle" (v1 "bundled"): comes inside its parent */
#define PG_LOCK_INSTALL_SCRIPT 0x20u /* "hasInstallScript": true */

/* The lockfile facts that struct pg_req has no field for. Owned strings. */
struct pg_lockent {
    char *path;      /* "node_modules/a/node_modules/b" (v1: built the same way) */
    char *resolved;  /* NULL when absent */
    char *integrity; /* SRI string, NULL when absent */
    unsigned flags;  /* PG_LOCK_* */
};

/* A parsed lockfile: ent[i] belongs to reqs.v[i]. */
struct pg_pkglock {
    int version; /* lockfileVersion (1 when the file has none) */
    struct pg_reqlist reqs;
    struct pg_lockent *ent;
    size_t nent, alloc;
};
#define PG_PKGLOCK_INIT                                                                            \
    {                                                                                              \
        0, PG_REQLIST_INIT, NULL, 0, 0                                                             \
    }

/*
 * Parse lockfile text into lk (PG_PKGLOCK_INIT or released). label names
 * the file in errors and is each entry's origin ("package-lock.json" if
 * NULL). On error lk is released.
 */
int pg_pkgjson_lock_parse(const char *buf, size_t len, const char *label, struct pg_pkglock *lk,
                          struct pg_err *err);

/* Read path (capped at PG_PKGLOCK_MAX); the origin is path's basename. */
int pg_pkgjson_lock_read(const char *path, struct pg_pkglock *lk, struct pg_err *err);

void pg_pkgjson_lock_release(struct pg_pkglock *lk);

/*
 * npm's local prefix, as @npmcli/config finds it when --prefix is not
 * given: walking up from cwd (absolute), the first directory holding a
 * package.json file or a node_modules directory; then, unless global or
 * workspaces_off (--workspaces=false), an ancestor whose package.json
 * "workspaces" globs name that directory takes its place. None found: cwd.
 * Unreadable ancestor manifests are passed over, as npm does. *dir is
 * malloc'd (caller frees). Returns 0, or -1 with err set.
 */
int pg_pkgjson_find_prefix(const char *cwd, int global, int workspaces_off, char **dir,
                           struct pg_err *err);

#endif
