/*
 * pg_pep440.c - PEP 440 versions: parse, normalise, order.
 *
 * The parser walks packaging's VERSION_PATTERN left to right. Greedy
 * choices are the regex's first choices, and no backtracking is needed: a
 * separator taken after a pre-release letter is followed either by the
 * digits only pre_n can take, or by something a later group can begin
 * without a separator of its own. Longer spellings are tried first
 * ("preview" before "pre"), which is where the regex ends up after failing
 * with the shorter one.
 */
#include <string.h>

#include "pg_pep440.h"
#include "banned.h"

/* Python's str.strip() and \s on ASCII: also the separators \x1c-\x1f. */
static int is_pyws(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_sep(int c)
{
    return c == '-' || c == '_' || c == '.';
}

static int is_alnum(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z');
}

/* Digits at t[*i] into a number (leading zeros dropped); 0 if none there. */
static int take_num(const char *t, size_t *i, struct pg_pep440_num *n)
{
    size_t b = *i, e = *i;

    while (is_digit(t[e]))
        e++;
    if (e == b)
        return 0;
    while (b < e - 1 && t[b] == '0')
        b++;
    n->off = (uint16_t)b;
    n->len = (uint16_t)(t[b] == '0' ? 0 : e - b);
    *i = e;
    return 1;
}

/* The first of words (longest first where one prefixes another) at t+i. */
static size_t take_word(const char *t, size_t i, const char *const *words, size_t *which)
{
    for (size_t k = 0; words[k]; k++) {
        size_t n = strlen(words[k]);

        if (strncmp(t + i, words[k], n) == 0) {
            *which = k;
            return i + n;
        }
    }
    return 0;
}

/* [-_.]?(word)[-_.]?(digits)? - the shape of pre, post (lettered) and dev. */
static int take_lettered(const char *t, size_t *i, const char *const *words, size_t *which,
                         struct pg_pep440_num *n)
{
    size_t j = *i + is_sep(t[*i]), k;

    if (!(k = take_word(t, j, words, which)))
        return 0;
    k += is_sep(t[k]);
    memset(n, 0, sizeof(*n));
    take_num(t, &k, n);
    *i = k;
    return 1;
}

static int parse_local(struct pg_pep440 *v, size_t *i)
{
    const char *t = v->text;
    size_t j = *i + 1, b;

    if (t[*i] != '+' || !is_alnum(t[j]))
        return 0;
    for (;;) {
        if (v->nlocal == PG_PEP440_MAX_PARTS)
            return -1;
        for (b = j; is_alnum(t[j]); j++)
            ;
        v->local[v->nlocal].off = (uint16_t)b;
        v->local[v->nlocal].len = (uint16_t)(j - b);
        v->local[v->nlocal].numeric = 1;
        for (size_t k = b; k < j; k++)
            if (!is_digit(t[k]))
                v->local[v->nlocal].numeric = 0;
        v->nlocal++;
        if (!is_sep(t[j]) || !is_alnum(t[j + 1]))
            break;
        j++;
    }
    *i = j;
    return 0;
}

static int parse_body(struct pg_pep440 *v, size_t i, size_t e)
{
    static const char *const pres[] = {"preview", "alpha", "beta", "pre", "rc",
                                       "a",       "b",     "c",    NULL};
    static const char *const posts[] = {"post", "rev", "r", NULL};
    static const char *const devs[] = {"dev", NULL};
    static const char preletter[] = {'c', 'a', 'b', 'c', 'c', 'a', 'b', 'c'};
    const char *t = v->text;
    size_t j = i, which;

    i += t[i] == 'v';
    j = i;
    if (take_num(t, &j, &v->epoch) && t[j] == '!')
        i = j + 1;
    else
        memset(&v->epoch, 0, sizeof(v->epoch));
    do {
        if (v->nrelease == PG_PEP440_MAX_PARTS || !take_num(t, &i, &v->release[v->nrelease]))
            return -1;
        v->nrelease++;
    } while (t[i] == '.' && is_digit(t[i + 1]) && ++i);
    if (take_lettered(t, &i, pres, &which, &v->pre_n))
        v->pre = preletter[which];
    if (t[i] == '-' && is_digit(t[i + 1])) {
        i++;
        v->has_post = take_num(t, &i, &v->post_n);
    } else {
        v->has_post = take_lettered(t, &i, posts, &which, &v->post_n);
    }
    v->has_dev = take_lettered(t, &i, devs, &which, &v->dev_n);
    if (parse_local(v, &i) < 0)
        return -1;
    return i == e ? 0 : -1;
}

int pg_pep440_parse(const char *s, struct pg_pep440 *out, struct pg_err *err)
{
    size_t n = strlen(s), b = 0, e;

    memset(out, 0, sizeof(*out));
    if (n > PG_PEP440_MAX_LEN)
        return pg_err_set(err, "invalid version: longer than %d characters", PG_PEP440_MAX_LEN);
    for (size_t i = 0; i < n; i++)
        out->text[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    for (e = n; e > 0 && is_pyws((unsigned char)s[e - 1]); e--)
        ;
    while (b < e && is_pyws((unsigned char)s[b]))
        b++;
    if (parse_body(out, b, e) < 0)
        return pg_err_set(err, "invalid version '%.*s'", (int)(n > 80 ? 80 : n), s);
    return 0;
}

static void add_num(const struct pg_pep440 *v, struct pg_pep440_num n, struct pg_sb *out)
{
    if (n.len)
        pg_sb_add(out, v->text + n.off, n.len);
    else
        pg_sb_addc(out, '0');
}

void pg_pep440_format(const struct pg_pep440 *v, unsigned flags, struct pg_sb *out)
{
    size_t nrel = v->nrelease;

    if (v->epoch.len) {
        add_num(v, v->epoch, out);
        pg_sb_addc(out, '!');
    }
    /* canonicalize_version: re.sub(r"(\.0)+$", "", release) */
    if (flags & PG_PEP440_FMT_CANONICAL)
        while (nrel > 1 && v->release[nrel - 1].len == 0)
            nrel--;
    for (size_t i = 0; i < nrel; i++) {
        if (i)
            pg_sb_addc(out, '.');
        add_num(v, v->release[i], out);
    }
    if (v->pre) {
        pg_sb_adds(out, v->pre == 'a' ? "a" : v->pre == 'b' ? "b" : "rc");
        add_num(v, v->pre_n, out);
    }
    if (v->has_post) {
        pg_sb_adds(out, ".post");
        add_num(v, v->post_n, out);
    }
    if (v->has_dev) {
        pg_sb_adds(out, ".dev");
        add_num(v, v->dev_n, out);
    }
    for (size_t i = 0; !(flags & PG_PEP440_FMT_PUBLIC) && i < v->nlocal; i++) {
        struct pg_pep440_num n = {v->local[i].off, v->local[i].len};

        pg_sb_addc(out, i ? '.' : '+');
        if (v->local[i].numeric) { /* int(part): leading zeros go */
            struct pg_pep440_num m = n;
            size_t j = n.off;

            take_num(v->text, &j, &m);
            add_num(v, m, out);
        } else {
            pg_sb_add(out, v->text + n.off, n.len);
        }
    }
}

static int cmp_num(const struct pg_pep440 *a, struct pg_pep440_num x, const struct pg_pep440 *b,
                   struct pg_pep440_num y)
{
    int c;

    if (x.len != y.len)
        return x.len < y.len ? -1 : 1;
    c = memcmp(a->text + x.off, b->text + y.off, x.len);
    return (c > 0) - (c < 0);
}

/* Release tuples with trailing zeros stripped, shorter prefix first. */
static int cmp_release(const struct pg_pep440 *a, const struct pg_pep440 *b)
{
    size_t na = a->nrelease, nb = b->nrelease;
    int c;

    while (na > 0 && a->release[na - 1].len == 0)
        na--;
    while (nb > 0 && b->release[nb - 1].len == 0)
        nb--;
    for (size_t i = 0; i < na && i < nb; i++)
        if ((c = cmp_num(a, a->release[i], b, b->release[i])))
            return c;
    return (na > nb) - (na < nb);
}

/* _cmpkey's pre: -inf for a bare .devN, +inf for no pre, else (letter, n). */
static int pre_rank(const struct pg_pep440 *v)
{
    if (!v->pre)
        return (!v->has_post && v->has_dev) ? -1 : 1;
    return 0;
}

static int cmp_local(const struct pg_pep440 *a, const struct pg_pep440 *b)
{
    if (!a->nlocal || !b->nlocal)
        return (a->nlocal != 0) - (b->nlocal != 0);
    for (size_t i = 0; i < a->nlocal && i < b->nlocal; i++) {
        int an = a->local[i].numeric, bn = b->local[i].numeric, c;

        if (an != bn) /* (n, "") beats (-inf, s) */
            return an ? 1 : -1;
        if (an) {
            struct pg_pep440_num x = {0, 0}, y = {0, 0};
            size_t j = a->local[i].off, k = b->local[i].off;

            take_num(a->text, &j, &x);
            take_num(b->text, &k, &y);
            c = cmp_num(a, x, b, y);
        } else {
            size_t la = a->local[i].len, lb = b->local[i].len;

            c = memcmp(a->text + a->local[i].off, b->text + b->local[i].off, la < lb ? la : lb);
            c = c ? c : (la > lb) - (la < lb);
        }
        if (c)
            return c < 0 ? -1 : 1;
    }
    return (a->nlocal > b->nlocal) - (a->nlocal < b->nlocal);
}

int pg_pep440_cmp(const struct pg_pep440 *a, const struct pg_pep440 *b)
{
    int c, ra, rb;

    if ((c = cmp_num(a, a->epoch, b, b->epoch)) || (c = cmp_release(a, b)))
        return c;
    ra = pre_rank(a), rb = pre_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (ra == 0 && a->pre != b->pre)
        return a->pre < b->pre ? -1 : 1;
    if (ra == 0 && (c = cmp_num(a, a->pre_n, b, b->pre_n)))
        return c;
    if (a->has_post != b->has_post)
        return a->has_post ? 1 : -1;
    if (a->has_post && (c = cmp_num(a, a->post_n, b, b->post_n)))
        return c;
    if (a->has_dev != b->has_dev)
        return a->has_dev ? -1 : 1;
    if (a->has_dev && (c = cmp_num(a, a->dev_n, b, b->dev_n)))
        return c;
    return cmp_local(a, b);
}

int pg_pep440_is_prerelease(const struct pg_pep440 *v)
{
    return v->pre || v->has_dev;
}
