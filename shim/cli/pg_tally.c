#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_tally.h"
#include "pg_util.h"
#include "banned.h"

static size_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

static void reindex(struct pg_tally *t)
{
    free(t->index);
    t->nindex = t->nindex ? t->nindex * 2 : 64;
    t->index = pg_xcalloc(t->nindex, sizeof(*t->index));
    for (size_t r = 0; r < t->n; r++) {
        size_t i = hash(t->rows[r].key) & (t->nindex - 1);

        while (t->index[i])
            i = (i + 1) & (t->nindex - 1);
        t->index[i] = r + 1;
    }
}

void pg_tally_add(struct pg_tally *t, const char *key, int col)
{
    size_t i;

    /* Half full at most, so probes stay short. */
    if (!t->index || (t->n + 1) * 2 > t->nindex)
        reindex(t);
    i = hash(key) & (t->nindex - 1);
    while (t->index[i] && strcmp(t->rows[t->index[i] - 1].key, key) != 0)
        i = (i + 1) & (t->nindex - 1);
    if (!t->index[i]) {
        if (t->n == t->alloc) {
            t->alloc = t->alloc ? t->alloc * 2 : 32;
            t->rows = pg_xrealloc(t->rows, t->alloc * sizeof(*t->rows));
        }
        memset(&t->rows[t->n], 0, sizeof(t->rows[t->n]));
        t->rows[t->n].key = pg_xstrdup(key);
        t->index[i] = ++t->n;
    }
    t->rows[t->index[i] - 1].n[col]++;
}

/* Column 0 first (blocks outrank warnings), then column 1, then by key. */
static int busiest_first(const void *a, const void *b)
{
    const struct pg_tally_row *x = a, *y = b;

    for (int c = 0; c < PG_TALLY_COLS; c++)
        if (x->n[c] != y->n[c])
            return x->n[c] > y->n[c] ? -1 : 1;
    return strcmp(x->key, y->key);
}

void pg_tally_sort(struct pg_tally *t)
{
    free(t->index);
    t->index = NULL;
    t->nindex = 0;
    if (t->n)
        qsort(t->rows, t->n, sizeof(*t->rows), busiest_first);
}

void pg_tally_release(struct pg_tally *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->rows[i].key);
    free(t->rows);
    free(t->index);
    memset(t, 0, sizeof(*t));
}
