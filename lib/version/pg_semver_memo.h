/*
 * pg_semver_memo.h - compiled npm ranges, by their text.
 *
 * Compiling a range follows node-semver's desugaring through text (each
 * `^1.2` becomes `>=1.2.0 <2.0.0-0`, formatted and parsed again), which
 * costs about a hundred times a test. A tree walk tests a few hundred
 * distinct ranges thousands of times (every placed and locked version of a
 * name against every range that name is asked with): this compiles each
 * once.
 */
#ifndef PG_SEMVER_MEMO_H
#define PG_SEMVER_MEMO_H

#include "pg_semver.h"
#include "pg_strmap.h"

struct pg_semver_memo {
    struct pg_strmap at;            /* range text -> index in v */
    struct pg_semver_range **v;     /* owned; NULL: the text does not compile */
    size_t n, alloc;
    unsigned flags;                 /* PG_SEMVER_* every range compiles with */
};
#define PG_SEMVER_MEMO_INIT(flags) {PG_STRMAP_INIT, NULL, 0, 0, (flags)}

/* The range compiled from text, or NULL when node-semver would throw. Borrowed from c. */
const struct pg_semver_range *pg_semver_memo_range(struct pg_semver_memo *c, const char *text);

/* pg_semver_satisfies(version, range, c->flags) with range compiled once: 1, 0, or -1. */
int pg_semver_memo_satisfies(struct pg_semver_memo *c, const char *version, const char *range);

void pg_semver_memo_release(struct pg_semver_memo *c);

#endif
