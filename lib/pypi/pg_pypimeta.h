/*
 * pg_pypimeta.h - PyPI index documents into struct pg_meta.
 *
 * Two sources, one shape:
 *  - the PEP 691 JSON simple API (Accept: PG_PYPI_ACCEPT_SIMPLE): files with
 *    PEP 700 upload-time, PEP 592 yanked, PEP 740 provenance, PEP 792
 *    project-status;
 *  - the JSON API /pypi/<name>/json, for indexes that serve only PEP 503
 *    HTML or omit upload times.
 * A version is what its files say: published = its earliest upload, yanked =
 * every file yanked, evidence = provenance on any file, provenance_url = the
 * first file's PEP 740 provenance URL. Versions whose files cannot be
 * attributed (foreign filenames) are skipped, as pip skips them.
 */
#ifndef PG_PYPIMETA_H
#define PG_PYPIMETA_H

#include <stddef.h>

#include "pg_err.h"
#include "pg_meta.h"

#define PG_PYPI_ACCEPT_SIMPLE \
    "application/vnd.pypi.simple.v1+json, text/html;q=0.01"

/* A longer provenance URL is ignored (evidence is still PROVENANCE). */
#define PG_PYPIMETA_MAX_URL 8192

/* <index>/<normalized>/  (index like https://pypi.org/simple). Caller frees. */
char *pg_pypimeta_simple_url(const char *index, const char *name);
/*
 * The JSON API URL beside a simple index: ".../simple" -> ".../pypi/<name>/json".
 * NULL when the index URL does not end in /simple (no JSON API to guess).
 */
char *pg_pypimeta_json_url(const char *index, const char *name);

/*
 * The version a distribution filename carries, given the project name:
 * "requests-2.31.0-py3-none-any.whl" -> "2.31.0", "foo_bar-1.0.tar.gz" ->
 * "1.0"; *kind (may be NULL) PG_META_WHEEL or PG_META_SDIST. NULL if the
 * file is not this project's distribution. Caller frees.
 */
char *pg_pypimeta_file_version(const char *project, const char *filename, unsigned *kind);

/* ".../simple" -> ".../pypi/<name>/<version>/json", or NULL as above. */
char *pg_pypimeta_json_version_url(const char *index, const char *name, const char *version);

/* 1 if a Content-Type is PEP 691 JSON. */
int pg_pypimeta_is_json(const char *content_type);

/*
 * A PEP 691 page. page_url is the URL the page came from (after redirects):
 * relative provenance URLs are resolved against it; with NULL only absolute
 * ones are kept. A provenance URL that does not resolve leaves
 * provenance_url NULL (the version still counts as having provenance).
 */
struct pg_meta *pg_pypimeta_parse_simple(const char *name, const char *page_url,
                                         const char *body, size_t len, struct pg_err *err);
struct pg_meta *pg_pypimeta_parse_jsonapi(const char *name, const char *body, size_t len,
                                          struct pg_err *err);

#endif
