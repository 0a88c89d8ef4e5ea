/*
 * pg_semver_range.c - node-semver 7 ranges: desugaring, compiling, testing.
 *
 * node-semver desugars a range by a fixed sequence of regex rewrites on the
 * text (classes/range.js), then parses what is left as comparators. Quirky
 * inputs ("**", "1.2.3 - v 2", "~> 1") are decided by those rewrites, so
 * this file repeats them step by step on strings rather than parsing a
 * grammar of its own. Every step reads a NUL-terminated string and appends
 * its rewrite to a pg_sb.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_semver.h"
#include "pg_semver_int.h"
#include "pg_util.h"
#include "banned.h"

enum op { OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE };

struct comp {
    int any; /* node-semver Comparator.ANY: the empty comparator */
    enum op op;
    struct pg_semver v;
    char *value; /* operator + version, node-semver's Comparator.value */
};

struct cset {
    struct comp *c;
    size_t n, alloc;
};

struct pg_semver_range {
    struct cset *set;
    size_t n, alloc;
    unsigned flags;
};

typedef void (*word_fn)(const char *w, unsigned flags, struct pg_sb *out);

/* s[.trim()].split(/\s+/).map(fn).join(' '), with JavaScript's empty words. */
static void map_words(const char *s, int trim, word_fn fn, unsigned flags, struct pg_sb *out)
{
    size_t b = 0, e = strlen(s), i, j;
    char *w;

    if (trim) {
        while (b < e && is_ws((unsigned char)s[b]))
            b++;
        while (e > b && is_ws((unsigned char)s[e - 1]))
            e--;
    }
    for (i = b;;) {
        for (j = i; j < e && !is_ws((unsigned char)s[j]); j++)
            ;
        w = pg_xstrndup(s + i, j - i);
        fn(w, flags, out);
        free(w);
        if (j >= e)
            break;
        pg_sb_addc(out, ' ');
        while (j < e && is_ws((unsigned char)s[j]))
            j++;
        i = j;
    }
}

#define X3(x) (int)(x).Ml, (x).M, (int)(x).ml, (x).m, (int)(x).pl, (x).p

/* replaceCaret: ^1.2.3 := >=1.2.3 <2.0.0-0, with the 0.x and 0.0.x rules. */
static void caret(const char *w, unsigned flags, struct pg_sb *out)
{
    const char *z = (flags & PG_SEMVER_INCLUDE_PRERELEASE) ? "-0" : "";
    struct xr x;
    int M0, m0;

    if (w[0] != '^' || pg_semver_i_xrange(w, pg_semver_i_skip_vprefix(w, 1), &x) != strlen(w)) {
        pg_sb_adds(out, w);
        return;
    }
    if (pg_semver_i_is_x(x.M, x.Ml))
        return;
    if (pg_semver_i_is_x(x.m, x.ml)) {
        pg_sb_addf(out, ">=%.*s.0.0%s <", (int)x.Ml, x.M, z);
        pg_semver_i_add_inc(out, x.M, x.Ml), pg_sb_adds(out, ".0.0-0");
        return;
    }
    M0 = x.Ml == 1 && x.M[0] == '0';
    m0 = x.ml == 1 && x.m[0] == '0';
    if (pg_semver_i_is_x(x.p, x.pl)) {
        pg_sb_addf(out, ">=%.*s.%.*s.0%s <", (int)x.Ml, x.M, (int)x.ml, x.m, z);
    } else {
        pg_sb_addf(out, ">=%.*s.%.*s.%.*s", X3(x));
        if (x.pr)
            pg_sb_addf(out, "-%.*s", (int)x.prl, x.pr);
        pg_sb_adds(out, " <");
        if (M0 && m0) {
            pg_sb_addf(out, "%.*s.%.*s.", (int)x.Ml, x.M, (int)x.ml, x.m);
            pg_semver_i_add_inc(out, x.p, x.pl), pg_sb_adds(out, "-0");
            return;
        }
    }
    if (M0) {
        pg_sb_addf(out, "%.*s.", (int)x.Ml, x.M);
        pg_semver_i_add_inc(out, x.m, x.ml), pg_sb_adds(out, ".0-0");
    } else {
        pg_semver_i_add_inc(out, x.M, x.Ml), pg_sb_adds(out, ".0.0-0");
    }
}

/* replaceTilde: ~1.2.3 := >=1.2.3 <1.3.0-0 ("~>" is the same). */
static void tilde(const char *w, unsigned flags, struct pg_sb *out)
{
    const char *z = (flags & PG_SEMVER_INCLUDE_PRERELEASE) ? "-0" : "";
    size_t i = 1 + (w[0] == '~' && w[1] == '>');
    struct xr x;

    if (w[0] != '~' || pg_semver_i_xrange(w, pg_semver_i_skip_vprefix(w, i), &x) != strlen(w)) {
        pg_sb_adds(out, w);
        return;
    }
    if (pg_semver_i_is_x(x.M, x.Ml))
        return;
    if (pg_semver_i_is_x(x.m, x.ml)) {
        pg_sb_addf(out, ">=%.*s.0.0%s <", (int)x.Ml, x.M, z);
        pg_semver_i_add_inc(out, x.M, x.Ml), pg_sb_adds(out, ".0.0-0");
        return;
    }
    if (pg_semver_i_is_x(x.p, x.pl))
        pg_sb_addf(out, ">=%.*s.%.*s.0%s", (int)x.Ml, x.M, (int)x.ml, x.m, z);
    else if (x.pr)
        pg_sb_addf(out, ">=%.*s.%.*s.%.*s-%.*s", X3(x), (int)x.prl, x.pr);
    else
        pg_sb_addf(out, ">=%.*s.%.*s.%.*s", X3(x));
    pg_sb_addf(out, " <%.*s.", (int)x.Ml, x.M);
    pg_semver_i_add_inc(out, x.m, x.ml), pg_sb_adds(out, ".0-0");
}

/* replaceXRange: 1.x := >=1.0.0 <2.0.0-0, >1.2 := >=1.3.0, <=1.x := <2.0.0-0 ... */
static void xrange(const char *w0, unsigned flags, struct pg_sb *out)
{
    const char *pr = (flags & PG_SEMVER_INCLUDE_PRERELEASE) ? "-0" : "";
    char g[3] = "", *w = NULL;
    size_t b = 0, e = strlen(w0), gl = 0;
    int xM, xm, xp;
    struct xr x;

    while (b < e && is_ws((unsigned char)w0[b]))
        b++;
    while (e > b && is_ws((unsigned char)w0[e - 1]))
        e--;
    w = pg_xstrndup(w0 + b, e - b);
    if (w[gl] == '<' || w[gl] == '>')
        g[gl] = w[gl], gl++;
    if (w[gl] == '=')
        g[gl] = w[gl], gl++;
    if (pg_semver_i_xrange(w, pg_semver_i_skip_vprefix(w, gl), &x) != strlen(w) ||
        (pg_semver_i_is_x(x.M, x.Ml) && !pg_semver_i_is_x(x.m, x.ml)) ||
        (pg_semver_i_is_x(x.m, x.ml) && x.p && !pg_semver_i_is_x(x.p, x.pl))) {
        pg_sb_adds(out, w); /* no match, or invalidXRangeOrder: unchanged */
        goto out;
    }
    xM = pg_semver_i_is_x(x.M, x.Ml), xm = xM || pg_semver_i_is_x(x.m, x.ml),
    xp = xm || pg_semver_i_is_x(x.p, x.pl);
    if (strcmp(g, "=") == 0 && xp)
        g[0] = '\0';
    if (xM) {
        pg_sb_adds(out, strcmp(g, ">") == 0 || strcmp(g, "<") == 0 ? "<0.0.0-0" : "*");
    } else if (g[0] && xp) {
        int gt = strcmp(g, ">") == 0, le = strcmp(g, "<=") == 0;

        if (gt)
            g[1] = '=', g[2] = '\0';
        else if (le)
            g[1] = '\0';
        if (g[0] == '<' && !g[1])
            pr = "-0";
        pg_sb_adds(out, g);
        if ((gt || le) && xm) {
            pg_semver_i_add_inc(out, x.M, x.Ml), pg_sb_addf(out, ".0.0%s", pr);
        } else if (gt || le) {
            pg_sb_addf(out, "%.*s.", (int)x.Ml, x.M);
            pg_semver_i_add_inc(out, x.m, x.ml), pg_sb_addf(out, ".0%s", pr);
        } else {
            pg_sb_addf(out, "%.*s.%.*s.0%s", (int)x.Ml, x.M, xm ? 1 : (int)x.ml, xm ? "0" : x.m,
                       pr);
        }
    } else if (xm) {
        pg_sb_addf(out, ">=%.*s.0.0%s <", (int)x.Ml, x.M, pr);
        pg_semver_i_add_inc(out, x.M, x.Ml), pg_sb_adds(out, ".0.0-0");
    } else if (xp) {
        pg_sb_addf(out, ">=%.*s.%.*s.0%s <%.*s.", (int)x.Ml, x.M, (int)x.ml, x.m, pr, (int)x.Ml,
                   x.M);
        pg_semver_i_add_inc(out, x.m, x.ml), pg_sb_adds(out, ".0-0");
    } else {
        pg_sb_adds(out, w);
    }
out:
    free(w);
}

/* replaceStars: comp.trim().replace(/(<|>)?=?\s*\*\/, '') - the first one only. */
static void stars(const char *s, struct pg_sb *out)
{
    size_t b = 0, e = strlen(s), i, j;

    while (b < e && is_ws((unsigned char)s[b]))
        b++;
    while (e > b && is_ws((unsigned char)s[e - 1]))
        e--;
    for (i = b; i < e; i++) {
        j = i + (s[i] == '<' || s[i] == '>');
        j += s[j] == '=';
        while (j < e && is_ws((unsigned char)s[j]))
            j++;
        if (j < e && s[j] == '*') {
            pg_sb_add(out, s + b, i - b);
            pg_sb_add(out, s + j + 1, e - j - 1);
            return;
        }
    }
    pg_sb_add(out, s + b, e - b);
}

/* parseComparator: carets, tildes, x-ranges, stars, in that order. */
static void desugar(const char *tok, unsigned flags, struct pg_sb *out)
{
    struct pg_sb a = PG_SB_INIT, b = PG_SB_INIT, c = PG_SB_INIT;

    map_words(tok, 1, caret, flags, &a);
    map_words(pg_sb_str(&a), 1, tilde, flags, &b);
    map_words(pg_sb_str(&b), 0, xrange, flags, &c);
    stars(pg_sb_str(&c), out);
    pg_sb_release(&a);
    pg_sb_release(&b);
    pg_sb_release(&c);
}

/* new Comparator(t): COMPARATOR = ^((?:<|>)?=?)\s*(FULLPLAIN)$|^$ */
static int comp_parse(const char *t, struct comp *c)
{
    static const char *const ops[] = {"", "<", "<=", ">", ">="};
    char buf[PG_SEMVER_MAX_LEN + 1];
    size_t i = 0;

    memset(c, 0, sizeof(*c));
    if (!*t) {
        c->any = 1;
        c->value = pg_xstrdup("");
        return 0;
    }
    if (t[i] == '<' || t[i] == '>')
        i++;
    if (t[i] == '=')
        i++;
    if (t[0] == '<')
        c->op = i == 2 ? OP_LE : OP_LT;
    else if (t[0] == '>')
        c->op = i == 2 ? OP_GE : OP_GT;
    while (is_ws((unsigned char)t[i]))
        i++;
    if (is_ws((unsigned char)t[strlen(t) - 1]) || pg_semver_parse(t + i, &c->v, NULL) < 0)
        return -1;
    pg_semver_format(&c->v, buf, sizeof(buf));
    c->value = pg_xasprintf("%s%s", ops[c->op], buf);
    return 0;
}

static int comp_test(const struct comp *c, const struct pg_semver *v)
{
    int r;

    if (c->any)
        return 1;
    r = pg_semver_cmp(v, &c->v);
    switch (c->op) {
    case OP_EQ:
        return r == 0;
    case OP_LT:
        return r < 0;
    case OP_LE:
        return r <= 0;
    case OP_GT:
        return r > 0;
    case OP_GE:
        return r >= 0;
    }
    return 0;
}

static void set_release(struct cset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->c[i].value);
    free(s->c);
    memset(s, 0, sizeof(*s));
}

static int is_null(const struct comp *c)
{
    return strcmp(c->value, "<0.0.0-0") == 0;
}

/* Add c to s unless its value is there already (node-semver's Map). */
static void set_add(struct cset *s, struct comp *c)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->c[i].value, c->value) == 0) {
            free(s->c[i].value);
            s->c[i] = *c;
            return;
        }
    }
    pg_xgrow((void **)&s->c, &s->alloc, s->n + 1, sizeof(*c));
    s->c[s->n++] = *c;
}

/* Compile the comparator words of a desugared set (after .split(/\s+/)) into *set. */
static int compile_words(const char *s, unsigned flags, struct cset *set)
{
    const char *gte0 = (flags & PG_SEMVER_INCLUDE_PRERELEASE) ? ">=0.0.0-0" : ">=0.0.0";
    struct cset all = {NULL, 0, 0}, res = {NULL, 0, 0};
    size_t i = 0, j, k;
    char *w;
    int rc = 0;

    for (;;) { /* every word is compiled: one bad comparator spoils the range */
        for (j = i; s[j] && !is_ws((unsigned char)s[j]); j++)
            ;
        w = pg_xstrndup(s + i, j - i);
        pg_xgrow((void **)&all.c, &all.alloc, all.n + 1, sizeof(*all.c));
        rc = comp_parse(strcmp(w, gte0) == 0 ? "" : w, &all.c[all.n]);
        free(w);
        if (rc < 0)
            goto out;
        all.n++;
        if (!s[j])
            break;
        while (is_ws((unsigned char)s[j]))
            j++;
        i = j;
    }
    for (k = 0; k < all.n; k++) { /* a null set stands alone */
        if (is_null(&all.c[k])) {
            set_release(&res);
            set_add(&res, &all.c[k]);
            all.c[k].value = NULL;
            goto out;
        }
        set_add(&res, &all.c[k]);
        all.c[k].value = NULL;
    }
    for (k = 0; res.n > 1 && k < res.n; k++) { /* "" is dropped beside others */
        if (res.c[k].any) {
            free(res.c[k].value);
            memmove(&res.c[k], &res.c[k + 1], (res.n - k - 1) * sizeof(*res.c));
            res.n--;
            break;
        }
    }
out:
    set_release(&all);
    if (rc < 0)
        set_release(&res);
    else
        *set = res;
    return rc;
}

/* parseRange: one ||-separated part. */
static int parse_set(const char *part, unsigned flags, struct cset *set)
{
    struct pg_sb a = PG_SB_INIT, b = PG_SB_INIT, c = PG_SB_INIT, d = PG_SB_INIT;
    struct pg_sb e = PG_SB_INIT, f = PG_SB_INIT;
    const char *s, *sp;
    char *tok;
    int rc;

    pg_semver_i_strip_builds(part, &a);
    if (!pg_semver_i_hyphen(pg_sb_str(&a), flags, &b))
        pg_sb_adds(&b, pg_sb_str(&a));
    pg_semver_i_trim_cmp_ws(pg_sb_str(&b), &c);
    pg_semver_i_lone_trim(pg_sb_str(&c), '~', &d);
    pg_semver_i_lone_trim(pg_sb_str(&d), '^', &e);
    for (s = pg_sb_str(&e);; s = sp + 1) { /* .split(' ').map(parseComparator).join(' ') */
        sp = strchr(s, ' ');
        tok = pg_xstrndup(s, sp ? (size_t)(sp - s) : strlen(s));
        desugar(tok, flags, &f);
        free(tok);
        if (!sp)
            break;
        pg_sb_addc(&f, ' ');
    }
    rc = compile_words(pg_sb_str(&f), flags, set);
    pg_sb_release(&a), pg_sb_release(&b), pg_sb_release(&c);
    pg_sb_release(&d), pg_sb_release(&e), pg_sb_release(&f);
    return rc;
}

void pg_semver_range_free(struct pg_semver_range *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        set_release(&r->set[i]);
    free(r->set);
    free(r);
}

/* The Range constructor's clean-up of null sets and "*" sets. */
static void range_prune(struct pg_semver_range *r)
{
    size_t i, k = 0, nonnull = 0;

    if (r->n < 2)
        return;
    for (i = 0; i < r->n; i++)
        nonnull += !is_null(&r->set[i].c[0]);
    for (i = 0; i < r->n; i++) { /* drop null sets; if all are, keep the first */
        if (nonnull ? !is_null(&r->set[i].c[0]) : i == 0)
            r->set[k++] = r->set[i];
        else
            set_release(&r->set[i]);
    }
    r->n = k;
    for (i = 0; r->n > 1 && i < r->n; i++) {
        if (r->set[i].n == 1 && r->set[i].c[0].any) { /* a "*" set: the range is "*" */
            struct cset keep = r->set[i];

            r->set[i] = r->set[0];
            r->set[0] = keep;
            for (k = 1; k < r->n; k++)
                set_release(&r->set[k]);
            r->n = 1;
        }
    }
}

struct pg_semver_range *pg_semver_range_parse(const char *range, unsigned flags, struct pg_err *err)
{
    struct pg_semver_range *r = NULL;
    struct pg_sb raw = PG_SB_INIT;
    const char *s, *bar;
    char *part = NULL;
    size_t n = strlen(range);

    if (n > PG_SEMVER_RANGE_MAX) {
        pg_err_set(err, "invalid range: longer than %d characters", PG_SEMVER_RANGE_MAX);
        goto out;
    }
    r = pg_xcalloc(1, sizeof(*r));
    pg_semver_i_collapse(range, &raw);
    for (s = pg_sb_str(&raw);; s = bar + 2) {
        size_t b = 0, e;

        bar = strstr(s, "||");
        e = bar ? (size_t)(bar - s) : strlen(s);
        while (b < e && is_ws((unsigned char)s[b]))
            b++;
        while (e > b && is_ws((unsigned char)s[e - 1]))
            e--;
        part = pg_xstrndup(s + b, e - b);
        pg_xgrow((void **)&r->set, &r->alloc, r->n + 1, sizeof(*r->set));
        memset(&r->set[r->n], 0, sizeof(*r->set));
        if (parse_set(part, flags, &r->set[r->n]) < 0) {
            set_release(&r->set[r->n]);
            pg_err_set(err, "invalid range '%.*s'", (int)(n > 80 ? 80 : n), range);
            pg_semver_range_free(r);
            r = NULL;
            goto out;
        }
        r->n++;
        free(part);
        part = NULL;
        if (!bar)
            break;
    }
    r->flags = flags;
    range_prune(r);
out:
    free(part);
    pg_sb_release(&raw);
    return r;
}

/* testSet: every comparator, plus node-semver's prerelease gate. */
static int test_set(const struct cset *s, const struct pg_semver *v, unsigned flags)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        if (!comp_test(&s->c[i], v))
            return 0;
    if (!v->pre[0] || (flags & PG_SEMVER_INCLUDE_PRERELEASE))
        return 1;
    /*
     * A prerelease passes only if some comparator names a prerelease of the
     * same major.minor.patch: ^1.2.3-pr.1 admits 1.2.3-pr.2, not 1.2.4-a.
     */
    for (i = 0; i < s->n; i++) {
        const struct pg_semver *a = &s->c[i].v;

        if (!s->c[i].any && a->pre[0] && a->major == v->major && a->minor == v->minor &&
            a->patch == v->patch)
            return 1;
    }
    return 0;
}

int pg_semver_range_test(const struct pg_semver_range *r, const struct pg_semver *v)
{
    for (size_t i = 0; i < r->n; i++)
        if (test_set(&r->set[i], v, r->flags))
            return 1;
    return 0;
}

char *pg_semver_range_format(const struct pg_semver_range *r)
{
    struct pg_sb sb = PG_SB_INIT;

    for (size_t i = 0; i < r->n; i++) {
        if (i)
            pg_sb_adds(&sb, "||");
        for (size_t k = 0; k < r->set[i].n; k++) {
            if (k)
                pg_sb_addc(&sb, ' ');
            pg_sb_adds(&sb, r->set[i].c[k].value);
        }
    }
    return pg_sb_detach(&sb);
}

int pg_semver_range_valid(const char *range)
{
    struct pg_semver_range *r = pg_semver_range_parse(range, 0, NULL);

    pg_semver_range_free(r);
    return r != NULL;
}

int pg_semver_satisfies(const char *version, const char *range, unsigned flags)
{
    struct pg_semver_range *r = NULL;
    struct pg_semver v;
    int rc = -1;

    if (pg_semver_parse(version, &v, NULL) < 0)
        goto out;
    r = pg_semver_range_parse(range, flags, NULL);
    if (r)
        rc = pg_semver_range_test(r, &v);
out:
    pg_semver_range_free(r);
    return rc;
}
