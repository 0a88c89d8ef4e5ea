/*
 * pg_strmap.h - a map from strings to indexes, for "have I seen this
 * before?" over lists that can hold a 100,000-entry lockfile.
 *
 * A linear scan per insertion made those lists quadratic: 100,000 lockfile
 * entries took minutes in strcmp. Open addressing with FNV-1a, grown at
 * half full. Keys are copied (the map owns them); values are the caller's
 * indexes into its own array.
 *
 *     struct pg_strmap m = PG_STRMAP_INIT;
 *     size_t *at = pg_strmap_get(&m, key);      NULL when absent
 *     pg_strmap_put(&m, key, i);                replaces an existing value
 *     pg_strmap_release(&m);
 */
#ifndef PG_STRMAP_H
#define PG_STRMAP_H

#include <stddef.h>

struct pg_strmap {
    char **keys;   /* NULL: an empty slot */
    size_t *vals;
    size_t cap;    /* 0 or a power of two */
    size_t n;
};
#define PG_STRMAP_INIT {NULL, NULL, 0, 0}

/* The value stored for key (borrowed, valid until the next put), or NULL. */
size_t *pg_strmap_get(const struct pg_strmap *m, const char *key);
/* Store key -> val; returns 1 if key was new, 0 if its value was replaced. */
int pg_strmap_put(struct pg_strmap *m, const char *key, size_t val);
void pg_strmap_release(struct pg_strmap *m);

#endif
