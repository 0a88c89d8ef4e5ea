/*
 * pg_npmrc_int.h - shared between pg_npmrc.c (reading the layers) and
 * pg_npmrc_auth.c (turning them into registries and credentials). Not a
 * public interface.
 */
#ifndef PG_NPMRC_INT_H
#define PG_NPMRC_INT_H

#include <stddef.h>

#include "pg_npmrc.h"

enum layer { L_CLI, L_ENV, L_PROJECT, L_USER, L_GLOBAL, L_BUILTIN };

struct kv {
    char *key;
    char *val;
    enum layer layer;
};

struct authent {
    char *regkey; /* "//host/path/" as configured */
    char *header; /* sodium_malloc'd; NULL when only certfile/keyfile */
};

struct scopereg {
    char *scope; /* "@scope" */
    char *registry;
};

struct pg_npmrc {
    char *registry;
    struct scopereg *scopes;
    size_t nscopes;
    struct authent *auths;
    size_t nauths;
    char *cafile;
    int strict_ssl;
    char **files;
    size_t nfiles, files_alloc;
};

struct loader {
    const struct pg_npmrc_opts *o;
    const char *home;
    struct kv *v;
    size_t n, alloc;
    struct pg_npmrc *cfg;
};

/* Highest-priority value for key, or NULL. */
const char *pg_npmrc_kv_get(const struct loader *ld, const char *key);
/* JavaScript truthiness of a config string: s when set and not empty. */
const char *pg_npmrc_truthy(const char *s);
/* Node's path.resolve(cwd, p) with npm's "~/" expansion. Caller frees. */
char *pg_npmrc_resolve(const struct loader *ld, const char *p);
/* Fill ld->cfg from the complete list. */
int pg_npmrc_build(struct loader *ld, struct pg_err *err);

#endif
