/*
 * pg_pipconf_int.h - shared between pg_pipconf.c (files, variables, command
 * line) and pg_pipconf_auth.c (credentials, netrc, results). Not a public
 * interface.
 */
#ifndef PG_PIPCONF_INT_H
#define PG_PIPCONF_INT_H

#include <stddef.h>

#include "pg_pipconf.h"

struct pip_index {
    struct pg_pipconf_index pub; /* strings below, borrowed */
    char *url;
    char *display;
    char *origin; /* pg_http_url_origin(url): the credentials' scope */
    char *header; /* sodium_malloc'd Authorization value, or NULL */
};

struct netrc_ent {
    char *host;   /* "default" for the default entry */
    char *header; /* sodium_malloc'd */
};

struct pg_pipconf {
    struct pip_index *idx; /* [0] index-url, then extra-index-urls */
    size_t nidx, idx_alloc;
    int no_index;
    char **find_links;
    size_t nfl;
    char *cert;
    char *ca_bundle;
    struct netrc_ent *netrc;
    size_t nnetrc;
    char **files;
    size_t nfiles, files_alloc;
    struct pg_pipconf_setting *set; /* every string owned; values wiped */
    size_t nset, set_alloc;
};

/* Record one setting pip applies (copies all three). */
void pg_pipconf_add_setting(struct pg_pipconf *c, const char *name, const char *value,
                            const char *where);

/* Add an index from its configured URL (may carry user:pass@). The URL is
 * wiped by the caller afterwards; nothing secret is kept outside sodium
 * memory. */
void pg_pipconf_add_index(struct pg_pipconf *c, const char *raw);
/* Load the netrc file requests would use; unreadable or malformed files
 * give no entries, as in requests. */
void pg_pipconf_load_netrc(struct pg_pipconf *c, const char *(*getenv_fn)(const char *),
                           const char *home);

#endif
