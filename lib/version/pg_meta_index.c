/*
 * The version lookup behind pg_meta_find(): a hash from a version's
 * identity to its index in m->versions. Identity is the ecosystem's: npm
 * compares versions as written; PyPI by PEP 440 canonical form, so "1.0"
 * and "1.0.0" are one version (pip would take either file for either).
 * Without it, a hostile index listing tens of thousands of versions cost
 * quadratic time, and two spellings of one release were judged apart.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_meta.h"
#include "pg_pep440.h"
#include "pg_util.h"
#include "banned.h"

struct pg_meta_index {
    char **keys;   /* NULL: empty slot; owned unless borrowed */
    int borrowed;  /* npm: keys are the versions' own strings (identity is the text) */
    size_t *pos;   /* index into m->versions */
    size_t cap;    /* a power of two */
    size_t n;
};

static char *identity(enum pg_eco eco, const char *version)
{
    struct pg_pep440 v;
    struct pg_sb sb = PG_SB_INIT;

    if (eco != PG_ECO_PYPI || pg_pep440_parse(version, &v, NULL) < 0)
        return pg_xstrdup(version);
    pg_pep440_format(&v, PG_PEP440_FMT_CANONICAL, &sb);
    return pg_sb_detach(&sb);
}

static size_t hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

static size_t *slot(const struct pg_meta_index *ix, const char *key)
{
    size_t i = hash(key) & (ix->cap - 1);

    while (ix->keys[i] && strcmp(ix->keys[i], key) != 0)
        i = (i + 1) & (ix->cap - 1);
    return &ix->pos[i];
}

static void put(struct pg_meta_index *ix, char *key, size_t pos);

static void grow(struct pg_meta_index *ix)
{
    struct pg_meta_index old = *ix;

    ix->cap = old.cap ? old.cap * 2 : 64;
    ix->keys = pg_xcalloc(ix->cap, sizeof(*ix->keys));
    ix->pos = pg_xcalloc(ix->cap, sizeof(*ix->pos));
    ix->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i])
            put(ix, old.keys[i], old.pos[i]);
    free(old.keys);
    free(old.pos);
}

/* Takes key; the first version with an identity keeps it. */
static void put(struct pg_meta_index *ix, char *key, size_t pos)
{
    size_t *p;

    if ((ix->n + 1) * 10 > ix->cap * 7)
        grow(ix);
    p = slot(ix, key);
    if (ix->keys[p - ix->pos]) {
        if (!ix->borrowed)
            free(key);
        return;
    }
    ix->keys[p - ix->pos] = key;
    *p = pos;
    ix->n++;
}

/*
 * The key for version i. npm's identity is the text as written: the
 * version's own string serves (a version string is never replaced, and
 * moving the versions array does not move it), which saves a copy per
 * version of every packument a warm run loads.
 */
static char *key_of(const struct pg_meta *m, size_t i)
{
    return m->index->borrowed ? m->versions[i].version : identity(m->eco, m->versions[i].version);
}

void pg_meta_index_add(struct pg_meta *m, size_t pos)
{
    if (!m->index) {
        m->index = pg_xcalloc(1, sizeof(*m->index));
        m->index->borrowed = m->eco != PG_ECO_PYPI;
        for (size_t i = 0; i < pos; i++)
            put(m->index, key_of(m, i), i);
    }
    put(m->index, key_of(m, pos), pos);
}

const struct pg_meta_version *pg_meta_find(const struct pg_meta *m, const char *version)
{
    const struct pg_meta_index *ix = m->index;
    char *key;
    size_t *p;
    const struct pg_meta_version *v = NULL;

    if (!ix || !version)
        return NULL;
    /* Only read: a borrowed index compares the text itself. */
    key = ix->borrowed ? (char *)version : identity(m->eco, version);
    p = slot(ix, key);
    if (ix->keys[p - ix->pos])
        v = &m->versions[*p];
    if (!ix->borrowed)
        free(key);
    return v;
}

void pg_meta_index_free(struct pg_meta_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; !ix->borrowed && i < ix->cap; i++)
        free(ix->keys[i]);
    free(ix->keys);
    free(ix->pos);
    free(ix);
}
