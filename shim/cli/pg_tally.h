/*
 * pg_tally.h - counters keyed by strings, for `pkggate report`: a hash
 * table, because a month of audit log names thousands of packages and a
 * list searched per line would make the report slow.
 *
 *     struct pg_tally t = PG_TALLY_INIT;
 *     pg_tally_add(&t, "npm left-pad", 0);    (column 0 += 1)
 *     pg_tally_sort(&t);                       (most in column 0 first)
 *     for (size_t i = 0; i < t.n; i++) t.rows[i].key, t.rows[i].n[0] ...
 *     pg_tally_release(&t);
 */
#ifndef PG_TALLY_H
#define PG_TALLY_H

#include <stddef.h>

#define PG_TALLY_COLS 2

struct pg_tally_row {
    char *key;
    size_t n[PG_TALLY_COLS];
};

struct pg_tally {
    struct pg_tally_row *rows;
    size_t n, alloc;
    size_t *index; /* open addressing: row + 1, 0 empty */
    size_t nindex;
};
#define PG_TALLY_INIT {NULL, 0, 0, NULL, 0}

/* Count one for key (copied) in column col (< PG_TALLY_COLS). */
void pg_tally_add(struct pg_tally *t, const char *key, int col);
/* Rows by column 0, then column 1, highest first, then by key; the index is dropped. */
void pg_tally_sort(struct pg_tally *t);
void pg_tally_release(struct pg_tally *t);

#endif
