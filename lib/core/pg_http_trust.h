/*
 * pg_http_trust.h - private to lib/core/pg_http*.c: which CA certificates
 * a client's transfers trust (pg_http_opts.cafile), decided once per
 * client and applied to each transfer.
 */
#ifndef PG_HTTP_TRUST_H
#define PG_HTTP_TRUST_H

#include <curl/curl.h>

struct pg_http_trust {
    char *cafile; /* a file of one's own, replacing the system's CAs; NULL: the system's */
    int dir_only; /* the system's: read from its hashed directory, not its bundle */
};

/* cafile NULL: the system's CAs. Release with pg_http_trust_release. */
void pg_http_trust_init(struct pg_http_trust *t, const char *cafile);
void pg_http_trust_apply(const struct pg_http_trust *t, CURL *easy);
void pg_http_trust_release(struct pg_http_trust *t);

#endif
