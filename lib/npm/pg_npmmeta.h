/*
 * pg_npmmeta.h - npm registry documents into struct pg_meta.
 *
 * Reads the full packument (Accept: application/json) and the abbreviated
 * "corgi" (application/vnd.npm.install-v1+json) alike; what the corgi lacks
 * (time, _npmUser, maintainers, scripts) stays unknown (-1 / NULL), which the rules treat
 * as undecidable rather than as "fine".
 */
#ifndef PG_NPMMETA_H
#define PG_NPMMETA_H

#include <stddef.h>

#include "pg_err.h"
#include "pg_meta.h"

#define PG_NPM_ACCEPT_FULL "application/json"
#define PG_NPM_ACCEPT_CORGI \
    "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"

/*
 * The packument URL: registry base (with or without trailing '/') plus the
 * name, a scoped name's '/' escaped as %2f as npm does. Caller frees.
 */
char *pg_npmmeta_url(const char *registry, const char *name);

/*
 * Parse a packument body of len bytes. Returns a new pg_meta (caller frees
 * with pg_meta_free) or NULL with err set: invalid JSON or UTF-8, or a
 * document whose shape is not a packument ("'versions' is not an object").
 * A name in the document that differs from the one asked for is an error
 * too: a registry must not answer for another package.
 */
struct pg_meta *pg_npmmeta_parse(const char *name, const char *body, size_t len,
                                 struct pg_err *err);

/*
 * A package.json "repository" on GitHub or GitLab as "host/owner/repo"
 * (host lowercase), the form sigstore identities take: accepts
 * "git+https://github.com/o/r.git", "git@github.com:o/r.git",
 * "github:o/r", "gitlab:o/r", "o/r" (npm's GitHub shorthand); a deeper
 * path keeps its first two parts. 1 with out filled, or 0 when url is
 * none of these (another host, no owner or repository) or does not fit.
 */
int pg_npmmeta_repo(const char *url, char *out, size_t n);

#endif
