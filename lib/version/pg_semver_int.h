/*
 * pg_semver_int.h - pieces shared by pg_semver.c, pg_semver_range.c and
 * pg_semver_pick.c.
 * Not an interface: nothing outside the pg_semver module includes this.
 *
 * The matchers stand for node-semver's regexes (internal/re.js). Each takes
 * a NUL-terminated string and a start index and returns the index just past
 * its match, or NOMATCH.
 */
#ifndef PG_SEMVER_INT_H
#define PG_SEMVER_INT_H

#include <stddef.h>

#include "pg_util.h"

#define NOMATCH ((size_t)-1)

/* A match of XRANGEPLAIN without its [v=\s]* prefix; NULL parts absent. */
struct xr {
    const char *M, *m, *p, *pr;
    size_t Ml, ml, pl, prl;
};

/* JavaScript's \s, ASCII part only (see pg_semver.h). */
static inline int is_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static inline int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static inline int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* [a-zA-Z0-9-], the identifier characters. */
static inline int is_idc(int c)
{
    return is_digit(c) || is_alpha(c) || c == '-';
}

/* XRANGEPLAIN without the prefix: XID(.XID(.XID PRERELEASE? BUILD?)?)? */
size_t pg_semver_i_xrange(const char *s, size_t i, struct xr *x);
/* [v=\s]* */
size_t pg_semver_i_skip_vprefix(const char *s, size_t i);
/* node-semver isX: absent, x, X or *. */
int pg_semver_i_is_x(const char *id, size_t n);
/* Append `+N + 1` as JavaScript would print it (see pg_semver.c). */
void pg_semver_i_add_inc(struct pg_sb *sb, const char *d, size_t n);
/*
 * internal/trim-comparator-whitespace.js: join each operator to its version
 * ("> 1.2.3" becomes ">1.2.3"), appending the result to out.
 */
void pg_semver_i_trim_cmp_ws(const char *r, struct pg_sb *out);
/* range.trim().replace(/\s+/g, ' ') */
void pg_semver_i_collapse(const char *s, struct pg_sb *out);
/* range.replace(BUILDSTRIPRE, ''): every "+build" goes. */
void pg_semver_i_strip_builds(const char *s, struct pg_sb *out);
/* TILDETRIM ("~> 1" -> "~1") for ch '~', CARETTRIM ("^ 1" -> "^1") for '^'. */
void pg_semver_i_lone_trim(const char *s, char ch, struct pg_sb *out);
/*
 * HYPHENRANGE: when all of s is "A - B", append its desugaring
 * (">=A <=B" and the x-range variants) and return 1; else 0.
 */
int pg_semver_i_hyphen(const char *s, unsigned flags, struct pg_sb *out);

#endif
