/*
 * pg_strmap.c - open addressing over FNV-1a (see pg_strmap.h). Linear
 * probing is enough: keys are package names and versions, the table is
 * kept at most half full, and nothing is ever deleted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_strmap.h"
#include "pg_util.h"
#include "banned.h"

static size_t hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

static size_t slot(const struct pg_strmap *m, const char *key)
{
    size_t i = hash(key) & (m->cap - 1);

    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

size_t *pg_strmap_get(const struct pg_strmap *m, const char *key)
{
    size_t i;

    if (!m->cap)
        return NULL;
    i = slot(m, key);
    return m->keys[i] ? &m->vals[i] : NULL;
}

static void grow(struct pg_strmap *m)
{
    struct pg_strmap old = *m;

    m->cap = old.cap ? old.cap * 2 : 64;
    m->keys = pg_xcalloc(m->cap, sizeof(*m->keys));
    m->vals = pg_xcalloc(m->cap, sizeof(*m->vals));
    for (size_t i = 0; i < old.cap; i++) {
        if (old.keys[i]) {
            size_t j = slot(m, old.keys[i]);

            m->keys[j] = old.keys[i];
            m->vals[j] = old.vals[i];
        }
    }
    free(old.keys);
    free(old.vals);
}

int pg_strmap_put(struct pg_strmap *m, const char *key, size_t val)
{
    size_t i;

    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    i = slot(m, key);
    m->vals[i] = val;
    if (m->keys[i])
        return 0;
    m->keys[i] = pg_xstrdup(key);
    m->n++;
    return 1;
}

void pg_strmap_release(struct pg_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}
