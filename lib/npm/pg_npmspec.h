/*
 * pg_npmspec.h - one npm package spec, read as npm-package-arg reads it.
 *
 * npm decides what an install argument means with npm-package-arg (npa):
 *
 *   lodash, lodash@^4.17, lodash@latest, @babel/core@7 -> registry
 *   foo@npm:bar@^1                                     -> alias (installs bar as foo)
 *   jsr:@std/path@1                                    -> registry @jsr/std__path
 *   github:u/r, u/r#v1, gitlab:g/p, bitbucket:, gist:,
 *   git+https://..., git+ssh://..., git@host:u/r.git,
 *   https://github.com/u/r                             -> git
 *   https://host/pkg.tgz                               -> remote tarball
 *   file:../x, ./dir, ../x.tgz, /abs, ~/x, x.tgz        -> local file or directory
 *
 * The rules follow npa 13 (npm 11) with hosted-git-info 9 for git hosts:
 * the order of the checks, the scp-style git rule, the github "user/repo"
 * shorthand, validate-npm-package-name's "valid for old packages" test, and
 * the errors npa throws (bad name, nested alias, alias of a non-registry
 * spec, unsupported URL protocol, invalid tag). jsr: follows the newer npa.
 *
 * Deviations: registry ranges are not parsed here (pg_semver does that when
 * resolving); npa rejects a tag/range only if node-semver cannot read it AND
 * it is not URL-safe, and this module rejects only what is neither URL-safe
 * nor made of range characters. Local paths are kept as written, not
 * resolved against a directory.
 */
#ifndef PG_NPMSPEC_H
#define PG_NPMSPEC_H

#include "pg_err.h"
#include "pg_req.h"

enum pg_npmspec_type {
    PG_NPMSPEC_REGISTRY, /* version, range or dist-tag (npa: version/range/tag) */
    PG_NPMSPEC_ALIAS,    /* alias@npm:real@range */
    PG_NPMSPEC_GIT,
    PG_NPMSPEC_REMOTE,    /* http(s) tarball URL */
    PG_NPMSPEC_FILE,      /* local tarball: .tgz, .tar.gz, .tar */
    PG_NPMSPEC_DIRECTORY, /* local directory */
};

/*
 * A parsed spec; every string is owned (pg_npmspec_release frees).
 *
 *   name      the registry package to fetch (for an alias: the real one);
 *             for git/remote/local only when written as name@spec; NULL if
 *             unknown
 *   alias     ALIAS: the name it is installed under; else NULL
 *   spec      REGISTRY/ALIAS: the range, version or tag as written,
 *             trimmed; "" when none was written ("lodash", "lodash@").
 *             Other types: the spec itself (URL, git spec, path)
 *   raw_spec  npa's rawSpec: what followed "name@", "*" when nothing did
 *   git_user, git_project
 *             hosted git (github, gitlab, bitbucket, gist, sourcehut):
 *             user (may be NULL for gist) and project; else NULL
 */
struct pg_npmspec {
    enum pg_npmspec_type type;
    char *name;
    char *alias;
    char *spec;
    char *raw_spec;
    char *git_user;
    char *git_project;
    int hosted;
};
#define PG_NPMSPEC_INIT                                                                            \
    {                                                                                              \
        PG_NPMSPEC_REGISTRY, NULL, NULL, NULL, NULL, NULL, NULL, 0                                 \
    }

/*
 * npa(arg): parse a command-line argument. On success fills *out (which
 * must be PG_NPMSPEC_INIT or released) and returns 0; on an input npm
 * rejects returns -1 with err set (out left released).
 */
int pg_npmspec_parse(const char *arg, struct pg_npmspec *out, struct pg_err *err);

/*
 * npa.resolve(name, spec): a package.json entry "name": "spec". Same
 * contract as pg_npmspec_parse.
 */
int pg_npmspec_resolve(const char *name, const char *spec, struct pg_npmspec *out,
                       struct pg_err *err);

void pg_npmspec_release(struct pg_npmspec *s);

/*
 * Append s to l as a struct pg_req (strings copied; origin copied, may be
 * NULL). REGISTRY and ALIAS -> PG_SRC_REGISTRY, GIT -> PG_SRC_GIT, REMOTE ->
 * PG_SRC_URL, FILE and DIRECTORY -> PG_SRC_LOCAL. Returns the new entry.
 */
struct pg_req *pg_npmspec_add_req(const struct pg_npmspec *s, struct pg_reqlist *l,
                                  const char *origin);

/*
 * validate-npm-package-name's validForOldPackages: what npm still installs
 * (capitals, "~'!()*" and names over 214 bytes are only warnings there).
 * Stricter rules for new names are pg_name_valid().
 */
int pg_npmspec_name_ok(const char *name);

const char *pg_npmspec_type_name(enum pg_npmspec_type t); /* "registry", "alias", ... */

#endif
