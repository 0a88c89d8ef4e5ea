/*
 * pg_pep440_spec.c - PEP 440 specifier sets as packaging 24.2 applies them,
 * and pip's choice of a version. pg_pep440.h has the contract.
 *
 * `==X.*` and `~=` are decided in packaging by string surgery on the
 * specifier as written (_version_split, _pad_version), with quirks of their
 * own (`~=1.4.5c1` means `==1.4.5.*`); that surgery is repeated here on
 * the same strings rather than reasoned about.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_pep440.h"
#include "banned.h"

enum sop { S_COMPAT, S_EQ, S_NE, S_LE, S_GE, S_LT, S_GT, S_ARB };

struct spec {
    enum sop op;
    char *ver;       /* as written after the operator, stripped, case kept */
    int wildcard;    /* == or != with ".*" */
    int v_ok;        /* ver (minus ".*") parsed into v */
    int prereleases; /* Specifier.prereleases */
    struct pg_pep440 v;
};

struct pg_pep440_specset {
    struct spec *s;
    size_t n, alloc;
};

static int is_pyws(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static char *strip(const char *s, size_t n)
{
    while (n && is_pyws((unsigned char)*s))
        s++, n--;
    while (n && is_pyws((unsigned char)s[n - 1]))
        n--;
    return pg_xstrndup(s, n);
}

/* The Specifier regex, alternative by alternative (see specifiers.py). */
static int spec_parse(const char *item, struct spec *sp)
{
    static const struct {
        const char *text;
        enum sop op;
    } ops[] = {{"===", S_ARB}, {"~=", S_COMPAT}, {"==", S_EQ}, {"!=", S_NE},
               {"<=", S_LE},   {">=", S_GE},     {"<", S_LT},  {">", S_GT}};
    size_t k, n;
    char *t;

    for (k = 0; k < PG_ARRAY_SIZE(ops) && strncmp(item, ops[k].text, strlen(ops[k].text)) != 0; k++)
        ;
    if (k == PG_ARRAY_SIZE(ops))
        return -1;
    sp->op = ops[k].op;
    sp->ver = strip(item + strlen(ops[k].text), strlen(item + strlen(ops[k].text)));
    n = strlen(sp->ver);
    if (sp->op == S_ARB) { /* [^\s;)]* */
        for (t = sp->ver; *t; t++)
            if (is_pyws((unsigned char)*t) || *t == ';' || *t == ')')
                return -1;
        sp->v_ok = pg_pep440_parse(sp->ver, &sp->v, NULL) == 0;
        sp->prereleases = sp->v_ok && pg_pep440_is_prerelease(&sp->v);
        return 0;
    }
    sp->wildcard = (sp->op == S_EQ || sp->op == S_NE) && n >= 2 && pg_ends_with(sp->ver, ".*");
    t = pg_xstrndup(sp->ver, sp->wildcard ? n - 2 : n);
    sp->v_ok = !(t[0] && is_pyws((unsigned char)t[strlen(t) - 1])) &&
               pg_pep440_parse(t, &sp->v, NULL) == 0;
    free(t);
    if (!sp->v_ok)
        return -1;
    if (sp->wildcard && (sp->v.pre || sp->v.has_post || sp->v.has_dev || sp->v.nlocal))
        return -1;
    if (sp->op != S_EQ && sp->op != S_NE && sp->v.nlocal)
        return -1;
    if (sp->op == S_COMPAT && sp->v.nrelease < 2)
        return -1;
    /* packaging 24.2: every operator but != lets a prerelease bound admit prereleases */
    sp->prereleases = sp->op != S_NE && pg_pep440_is_prerelease(&sp->v);
    return 0;
}

void pg_pep440_specset_free(struct pg_pep440_specset *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        free(set->s[i].ver);
    free(set->s);
    free(set);
}

struct pg_pep440_specset *pg_pep440_specset_parse(const char *s, struct pg_err *err)
{
    struct pg_pep440_specset *set = pg_xcalloc(1, sizeof(*set));
    const char *p = s, *comma;
    char *item;

    if (strlen(s) > PG_PEP440_SPEC_MAX) {
        pg_err_set(err, "invalid specifier: longer than %d characters", PG_PEP440_SPEC_MAX);
        goto fail;
    }
    for (;; p = comma + 1) {
        comma = strchr(p, ',');
        item = strip(p, comma ? (size_t)(comma - p) : strlen(p));
        if (*item) {
            pg_xgrow((void **)&set->s, &set->alloc, set->n + 1, sizeof(*set->s));
            memset(&set->s[set->n], 0, sizeof(*set->s));
            if (spec_parse(item, &set->s[set->n]) < 0) {
                free(set->s[set->n].ver);
                pg_err_set(err, "invalid specifier '%.80s'", item);
                free(item);
                goto fail;
            }
            set->n++;
        }
        free(item);
        if (!comma)
            break;
    }
    return set;
fail:
    pg_pep440_specset_free(set);
    return NULL;
}

/* _version_split: "1.0rc1" -> 1, 0, rc1 (pieces point into s). */
struct pieces {
    const char **p;
    size_t *len, n;
};

static int is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

static void add_piece(struct pieces *ps, const char *p, size_t n)
{
    ps->p[ps->n] = p;
    ps->len[ps->n++] = n;
}

static void version_split(const char *s, struct pieces *ps)
{
    size_t cap = 2 * strlen(s) + 2, n, d, r;

    ps->p = pg_xcalloc(cap, sizeof(*ps->p));
    ps->len = pg_xcalloc(cap, sizeof(*ps->len));
    ps->n = 0;
    for (;; s += n + 1) {
        n = strcspn(s, ".");
        /* ^([0-9]+)((?:a|b|c|rc)[0-9]+)$ */
        for (d = 0; d < n && s[d] >= '0' && s[d] <= '9'; d++)
            ;
        r = d + (d < n && (s[d] == 'a' || s[d] == 'b' || s[d] == 'c')) +
            (size_t)2 * (d + 1 < n && s[d] == 'r' && s[d + 1] == 'c');
        if (d > 0 && r > d && is_digits(s + r, n - r)) {
            add_piece(ps, s, d);
            add_piece(ps, s + d, n - d);
        } else {
            add_piece(ps, s, n);
        }
        if (!s[n])
            break;
    }
}

static void pieces_free(struct pieces *ps)
{
    free(ps->p);
    free(ps->len);
}

/* _compare_equal for "prefix.*": canonical forms, split, zero-padded, cut. */
static int eq_wild(const struct pg_pep440 *p, const char *prefix)
{
    struct pg_sb np = PG_SB_INIT, ns = PG_SB_INIT;
    struct pieces l, r;
    struct pg_pep440 sv;
    size_t lr = 0, rr = 0, i, pad;
    int eq;

    pg_pep440_format(p, PG_PEP440_FMT_PUBLIC | PG_PEP440_FMT_CANONICAL, &np);
    if (pg_pep440_parse(prefix, &sv, NULL) == 0)
        pg_pep440_format(&sv, 0, &ns);
    else
        pg_sb_adds(&ns, prefix); /* canonicalize_version leaves it alone */
    version_split(pg_sb_str(&np), &l);
    version_split(pg_sb_str(&ns), &r);
    while (lr < l.n && is_digits(l.p[lr], l.len[lr]))
        lr++;
    while (rr < r.n && is_digits(r.p[rr], r.len[rr]))
        rr++;
    /* padded = l[:lr] + ["0"] * pad + l[lr:]; is padded[:r.n] == r? */
    pad = rr > lr ? rr - lr : 0;
    eq = l.n + pad >= r.n;
    for (i = 0; eq && i < r.n; i++) {
        const char *s = "0";
        size_t n = 1;

        if (i < lr)
            s = l.p[i], n = l.len[i];
        else if (i >= lr + pad)
            s = l.p[i - pad], n = l.len[i - pad];
        eq = n == r.len[i] && memcmp(s, r.p[i], n) == 0;
    }
    pieces_free(&l);
    pieces_free(&r);
    pg_sb_release(&np);
    pg_sb_release(&ns);
    return eq;
}

/* Version(x.public): the same version without its local label. */
static int cmp_public(const struct pg_pep440 *a, const struct pg_pep440 *b)
{
    struct pg_pep440 t = *a;

    t.nlocal = 0;
    return pg_pep440_cmp(&t, b);
}

/* Version(a.base_version) == Version(b.base_version): epoch and release only. */
static int base_eq(const struct pg_pep440 *a, const struct pg_pep440 *b)
{
    struct pg_pep440 x = *a, y = *b;

    x.pre = y.pre = 0;
    x.has_post = y.has_post = x.has_dev = y.has_dev = 0;
    x.nlocal = y.nlocal = 0;
    return pg_pep440_cmp(&x, &y) == 0;
}

/* _compare_compatible: >= V and == (V's release minus its last part).* */
static int compat(const struct pg_pep440 *p, const struct spec *sp)
{
    struct pg_sb prefix = PG_SB_INIT;
    struct pieces ps;
    size_t n = 0;
    int ok;

    version_split(sp->ver, &ps);
    while (n < ps.n && !((ps.len[n] >= 3 && !strncmp(ps.p[n], "dev", 3)) ||
                         (ps.len[n] >= 1 && (ps.p[n][0] == 'a' || ps.p[n][0] == 'b')) ||
                         (ps.len[n] >= 2 && !strncmp(ps.p[n], "rc", 2)) ||
                         (ps.len[n] >= 4 && !strncmp(ps.p[n], "post", 4))))
        n++;
    for (size_t i = 0; i + 1 < n; i++) {
        if (i)
            pg_sb_addc(&prefix, '.');
        pg_sb_add(&prefix, ps.p[i], ps.len[i]);
    }
    ok = cmp_public(p, &sp->v) >= 0 && eq_wild(p, pg_sb_str(&prefix));
    pieces_free(&ps);
    pg_sb_release(&prefix);
    return ok;
}

static int arbitrary(const struct pg_pep440 *p, const char *ver)
{
    struct pg_sb sb = PG_SB_INIT;
    const char *a;
    size_t i;

    pg_pep440_format(p, 0, &sb); /* already lowercase */
    a = pg_sb_str(&sb);
    for (i = 0; a[i] && ver[i]; i++)
        if (a[i] != ((ver[i] >= 'A' && ver[i] <= 'Z') ? ver[i] - 'A' + 'a' : ver[i]))
            break;
    i = !a[i] && !ver[i];
    pg_sb_release(&sb);
    return (int)i;
}

/* Specifier._compare_<op>(prospective, spec), prerelease gate aside. */
static int spec_op(const struct spec *sp, const struct pg_pep440 *p)
{
    const struct pg_pep440 *s = &sp->v;
    int eq;

    switch (sp->op) {
    case S_COMPAT:
        return compat(p, sp);
    case S_EQ:
    case S_NE:
        if (sp->wildcard) {
            char *pre = pg_xstrndup(sp->ver, strlen(sp->ver) - 2);

            eq = eq_wild(p, pre);
            free(pre);
        } else {
            eq = (s->nlocal ? pg_pep440_cmp(p, s) : cmp_public(p, s)) == 0;
        }
        return sp->op == S_EQ ? eq : !eq;
    case S_LE:
        return cmp_public(p, s) <= 0;
    case S_GE:
        return cmp_public(p, s) >= 0;
    case S_LT: /* <V excludes V's own prereleases unless V is one */
        return pg_pep440_cmp(p, s) < 0 &&
               !(!pg_pep440_is_prerelease(s) && pg_pep440_is_prerelease(p) && base_eq(p, s));
    case S_GT: /* >V excludes V's post and local releases unless V is a post */
        return pg_pep440_cmp(p, s) > 0 && !(!s->has_post && p->has_post && base_eq(p, s)) &&
               !(p->nlocal && base_eq(p, s));
    case S_ARB:
        return arbitrary(p, sp->ver);
    }
    return 0;
}

/* SpecifierSet.prereleases (None, for the empty set, reads as 0). */
static int set_prereleases(const struct pg_pep440_specset *set)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->s[i].prereleases)
            return 1;
    return 0;
}

int pg_pep440_specset_contains(const struct pg_pep440_specset *set, const struct pg_pep440 *v,
                               int pre)
{
    if (pg_pep440_is_prerelease(v) && !pre && !set_prereleases(set))
        return 0;
    for (size_t i = 0; i < set->n; i++)
        if (!spec_op(&set->s[i], v))
            return 0;
    return 1;
}

int pg_pep440_specset_pinned(const struct pg_pep440_specset *set)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->s[i].op == S_ARB || (set->s[i].op == S_EQ && !set->s[i].wildcard))
            return 1;
    return 0;
}

int pg_pep440_satisfies(const char *version, const char *specset, int pre)
{
    struct pg_pep440_specset *set = NULL;
    struct pg_pep440 v;
    int rc = -1;

    if (pg_pep440_parse(version, &v, NULL) == 0 && (set = pg_pep440_specset_parse(specset, NULL)))
        rc = pg_pep440_specset_contains(set, &v, pre);
    pg_pep440_specset_free(set);
    return rc;
}

/*
 * One step of filter(): contains(), except that an empty set without pre
 * admits prereleases when no final release was offered at all.
 */
static int passes(const struct pg_pep440_specset *set, const struct pg_pep440 *v, int pre,
                  int any_final)
{
    if (!set->n && !pre && !any_final)
        return 1;
    return pg_pep440_specset_contains(set, v, pre);
}

void pg_pep440_specset_filter(const struct pg_pep440_specset *set,
                              const struct pg_pep440 *const *versions, size_t n, int pre, int *keep)
{
    int any_final = 0;

    for (size_t i = 0; i < n; i++)
        any_final |= versions[i] && !pg_pep440_is_prerelease(versions[i]);
    for (size_t i = 0; i < n; i++)
        keep[i] = versions[i] && passes(set, versions[i], pre, any_final);
}

struct best {
    const struct pg_meta_version *mv;
    struct pg_pep440 v;
};

/* Keep the higher; on a tie the one seen first stays. */
static void consider(struct best *b, const struct pg_meta_version *mv, const struct pg_pep440 *v)
{
    if (!b->mv || pg_pep440_cmp(v, &b->v) > 0) {
        b->mv = mv;
        b->v = *v;
    }
}

static const struct pg_meta_version *pick_fail(const struct pg_meta *m, const char *specset,
                                               int64_t before, int yanked, struct pg_err *err)
{
    struct pg_sb sb = PG_SB_INIT;
    char when[32];
    time_t t = (time_t)before;
    struct tm tm;

    pg_sb_addf(&sb, "no version of %s matches '%.80s'", m->name, specset);
    if (before > 0 && gmtime_r(&t, &tm) && strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
        pg_sb_addf(&sb, " published at or before %s", when);
    if (yanked)
        pg_sb_adds(&sb, " (all matching versions are yanked)");
    pg_err_set(err, "%s", pg_sb_str(&sb));
    pg_sb_release(&sb);
    return NULL;
}

static int old_enough(const struct pg_meta_version *mv, int64_t before)
{
    return before <= 0 || (mv->published >= 0 && mv->published <= before);
}

/*
 * pip's LinkEvaluator, per file: a version is on offer when one of its files
 * is of a kind pip may take and its requires-python admits the interpreter.
 * An invalid requires-python is ignored, as pip ignores it.
 */
static int offered(const struct pg_meta_version *mv, const struct pg_pep440_target *t,
                   unsigned kinds)
{
    if (!mv->nfiles)
        return 1; /* nothing known about its files */
    for (size_t i = 0; i < mv->nfiles; i++) {
        const struct pg_meta_file *f = &mv->files[i];

        if ((f->kind & kinds) && (!t->python || !f->requires_python ||
                                  pg_pep440_satisfies(t->python, f->requires_python, 1) != 0))
            return 1;
    }
    return 0;
}

static int usable(const struct pg_meta_version *mv, const struct pg_pep440_target *t,
                  int64_t before)
{
    return old_enough(mv, before) && offered(mv, t, t->kinds ? t->kinds : PG_META_WHEEL |
                                                                             PG_META_SDIST);
}

const struct pg_meta_version *pg_pep440_pick(const struct pg_meta *m, const char *specset, int pre,
                                             int64_t before, struct pg_err *err)
{
    struct pg_pep440_target t = {0};

    t.pre = pre;
    return pg_pep440_pick_for(m, specset, &t, before, err);
}

const struct pg_meta_version *pg_pep440_pick_for(const struct pg_meta *m, const char *specset,
                                                 const struct pg_pep440_target *t,
                                                 int64_t before, struct pg_err *err)
{
    struct pg_pep440_specset *set = pg_pep440_specset_parse(specset, err);
    struct best *live = NULL, *yanked = NULL, *wheel = NULL;
    const struct pg_meta_version *res = NULL;
    struct pg_pep440 *v = NULL;
    int any_final = 0;
    size_t i;

    if (!set)
        return NULL;
    live = pg_xcalloc(1, sizeof(*live));
    yanked = pg_xcalloc(1, sizeof(*yanked));
    wheel = pg_xcalloc(1, sizeof(*wheel));
    v = pg_xmalloc(sizeof(*v));
    /* Pass 1: is any final release on offer? (the empty set's fallback) */
    for (i = 0; i < m->nversions; i++)
        if (usable(&m->versions[i], t, before) &&
            pg_pep440_parse(m->versions[i].version, v, NULL) == 0)
            any_final |= !pg_pep440_is_prerelease(v);
    for (i = 0; i < m->nversions; i++) {
        const struct pg_meta_version *mv = &m->versions[i];

        if (!usable(mv, t, before) || pg_pep440_parse(mv->version, v, NULL) < 0 ||
            !passes(set, v, t->pre, any_final))
            continue;
        consider(mv->yanked == 1 ? yanked : live, mv, v);
        if (mv->yanked != 1 && offered(mv, t, PG_META_WHEEL & (t->kinds ? t->kinds : ~0u)))
            consider(wheel, mv, v);
    }
    /* PEP 592, as pip's resolver: a yanked release only for an exact pin
     * that nothing else satisfies. --prefer-binary ranks a wheel above a
     * newer version's sdist (pip's _sort_key: yank, binary, version). */
    if (t->prefer_binary && wheel->mv)
        res = wheel->mv;
    else if (live->mv)
        res = live->mv;
    else if (yanked->mv && pg_pep440_specset_pinned(set))
        res = yanked->mv;
    else
        pick_fail(m, specset, before, yanked->mv != NULL, err);
    free(v);
    free(live);
    free(yanked);
    free(wheel);
    pg_pep440_specset_free(set);
    return res;
}
