/*
 * pg_npmauth.h - npm's credentials for registry origins: the Authorization
 * value for each configured "//host[:port]/path/" key (npm calls it a
 * "nerf dart"), and the lookup npm-registry-fetch does to pick one for a
 * URL. pg_npmrc fills a table from the configuration and asks it; nothing
 * here reads files or the environment.
 *
 * Secrets: the header values are built in sodium_malloc'd memory owned by
 * the table and wiped by pg_npmauth_release. Never print or log them.
 */
#ifndef PG_NPMAUTH_H
#define PG_NPMAUTH_H

#include <stddef.h>

struct pg_npmauth_ent {
    char *regkey; /* "//host/path/" as configured */
    char *header; /* sodium_malloc'd; NULL when only certfile/keyfile */
};

/* The table. Value type: start from PG_NPMAUTH_INIT, end with release. */
struct pg_npmauth {
    struct pg_npmauth_ent *v;
    size_t n, alloc;
};
#define PG_NPMAUTH_INIT                                                                            \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* One key's credential settings, borrowed; NULL or "" means unset. */
struct pg_npmauth_fields {
    const char *token;    /* :_authToken */
    const char *auth;     /* :_auth, base64 "user:pass" */
    const char *username; /* :username */
    const char *password; /* :_password, base64 */
    const char *certfile; /* :certfile */
    const char *keyfile;  /* :keyfile */
};

/* 1 if regkey is in the table already. */
int pg_npmauth_has(const struct pg_npmauth *a, const char *regkey);

/*
 * Add regkey with what f gives, in npm's order: "Bearer <token>", else
 * "Basic <_auth>", else "Basic base64(username:base64decode(_password))"
 * (decoded as node's Buffer.from(s, 'base64')), else, with certfile and
 * keyfile, an entry without a header (client certificates: the key is
 * configured, so no other key's credentials apply). Returns 1 when added,
 * 0 when f holds nothing usable (nothing added). regkey is copied. Aborts
 * when secure memory runs out, as on malloc failure.
 */
int pg_npmauth_add(struct pg_npmauth *a, const char *regkey, const struct pg_npmauth_fields *f);

/*
 * The Authorization value for a request to url, or NULL: the entry for the
 * longest "//host[:port]/path" prefix of url, trimming one path segment (or
 * one trailing '/') at a time, as npm-registry-fetch does; if none matches
 * and url is on the same host and port as registry (the registry the
 * request is for), the registry's own entry. Hosts are lowercased and
 * default ports dropped before matching. Owned by a.
 */
const char *pg_npmauth_for(const struct pg_npmauth *a, const char *url, const char *registry);

/* Free the entries (headers wiped) and reset a to PG_NPMAUTH_INIT. */
void pg_npmauth_release(struct pg_npmauth *a);

#endif
