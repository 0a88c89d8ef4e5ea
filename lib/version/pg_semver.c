/*
 * pg_semver.c - node-semver 7 versions, and the lexical steps of ranges.
 *
 * The matchers below stand for node-semver's regexes and are shared with
 * pg_semver_range.c. They are greedy where the regex is greedy; backtracking
 * is never needed because every optional tail starts with '.', '-' or '+',
 * which cannot satisfy what follows the regex (end of text or whitespace).
 */
#include <stdlib.h>
#include <string.h>

#include "pg_semver.h"
#include "pg_semver_int.h"
#include "pg_util.h"
#include "banned.h"

/* XRANGEIDENTIFIER: 0|[1-9]\d*|x|X|\* */
static size_t m_xid(const char *s, size_t i)
{
    if (s[i] == 'x' || s[i] == 'X' || s[i] == '*' || s[i] == '0')
        return i + 1;
    if (!is_digit(s[i]))
        return NOMATCH;
    while (is_digit(s[i]))
        i++;
    return i;
}

/* PRERELEASEIDENTIFIER: a run of [A-Za-z0-9-] that is not a number with a leading 0. */
static size_t m_preid(const char *s, size_t i)
{
    size_t j = i;
    int alnum = 0;

    while (is_idc(s[j])) {
        if (!is_digit(s[j]))
            alnum = 1;
        j++;
    }
    if (j == i || (!alnum && s[i] == '0' && j - i > 1))
        return NOMATCH;
    return j;
}

/* PRERELEASE (-id(.id)*) or BUILD (+bid(.bid)*) starting at s[i]. */
static size_t m_dotted(const char *s, size_t i, int build)
{
    size_t j, k;

    if (s[i] != (build ? '+' : '-'))
        return NOMATCH;
    j = i + 1;
    for (;;) {
        if (build) {
            for (k = j; is_idc(s[k]); k++)
                ;
            k = k == j ? NOMATCH : k;
        } else {
            k = m_preid(s, j);
        }
        if (k == NOMATCH)
            return j == i + 1 ? NOMATCH : j - 1; /* give the '.' back */
        if (s[k] != '.')
            return k;
        j = k + 1;
    }
}

/* XRANGEPLAIN after its prefix: XID(.XID(.XID PRERELEASE? BUILD?)?)? */
size_t pg_semver_i_xrange(const char *s, size_t i, struct xr *x)
{
    size_t j, k;

    memset(x, 0, sizeof(*x));
    if ((j = m_xid(s, i)) == NOMATCH)
        return NOMATCH;
    x->M = s + i, x->Ml = j - i;
    if (s[j] != '.' || (k = m_xid(s, j + 1)) == NOMATCH)
        return j;
    x->m = s + j + 1, x->ml = k - j - 1, j = k;
    if (s[j] != '.' || (k = m_xid(s, j + 1)) == NOMATCH)
        return j;
    x->p = s + j + 1, x->pl = k - j - 1, j = k;
    if ((k = m_dotted(s, j, 0)) != NOMATCH) {
        x->pr = s + j + 1, x->prl = k - j - 1;
        j = k;
    }
    if ((k = m_dotted(s, j, 1)) != NOMATCH)
        j = k;
    return j;
}

size_t pg_semver_i_skip_vprefix(const char *s, size_t i)
{
    while (s[i] == 'v' || s[i] == '=' || is_ws((unsigned char)s[i]))
        i++;
    return i;
}

int pg_semver_i_is_x(const char *id, size_t n)
{
    return !id || (n == 1 && (id[0] == 'x' || id[0] == 'X' || id[0] == '*'));
}

/* Decimal digits to a number; > PG_SEMVER_MAX_SAFE (or overflow) reports -1. */
static int num(const char *d, size_t n, uint64_t *out)
{
    uint64_t v = 0;

    for (size_t i = 0; i < n; i++) {
        if (v > (PG_SEMVER_MAX_SAFE - (uint64_t)(d[i] - '0')) / 10)
            return -1;
        v = v * 10 + (uint64_t)(d[i] - '0');
    }
    *out = v;
    return 0;
}

/*
 * `+N + 1` as JavaScript prints it. Anything past MAX_SAFE only ever lands
 * in a comparator that SemVer then rejects, so one invalid number stands
 * for all of them.
 */
void pg_semver_i_add_inc(struct pg_sb *sb, const char *d, size_t n)
{
    uint64_t v;

    if (num(d, n, &v) < 0 || v >= PG_SEMVER_MAX_SAFE)
        pg_sb_adds(sb, "9007199254740992");
    else
        pg_sb_addf(sb, "%llu", (unsigned long long)v + 1);
}

int pg_semver_parse(const char *s, struct pg_semver *out, struct pg_err *err)
{
    size_t n = strlen(s), b = 0, e, i;
    struct xr x;
    int ok;

    out->major = out->minor = out->patch = 0;
    out->pre[0] = '\0';
    if (n > PG_SEMVER_MAX_LEN)
        return pg_err_set(err, "invalid version: longer than %d characters", PG_SEMVER_MAX_LEN);
    while (b < n && is_ws((unsigned char)s[b]))
        b++;
    for (e = n; e > b && is_ws((unsigned char)s[e - 1]); e--)
        ;
    i = b + (s[b] == 'v');
    ok = pg_semver_i_xrange(s, i, &x) == e && x.p && !pg_semver_i_is_x(x.M, x.Ml) &&
         !pg_semver_i_is_x(x.m, x.ml) && !pg_semver_i_is_x(x.p, x.pl) &&
         num(x.M, x.Ml, &out->major) == 0 && num(x.m, x.ml, &out->minor) == 0 &&
         num(x.p, x.pl, &out->patch) == 0;
    if (!ok)
        return pg_err_set(err, "invalid version '%.*s'", (int)(n > 80 ? 80 : n), s);
    memcpy(out->pre, x.pr ? x.pr : "", x.prl);
    out->pre[x.prl] = '\0';
    return 0;
}

int pg_semver_valid(const char *s)
{
    struct pg_semver v;

    return pg_semver_parse(s, &v, NULL) == 0;
}

int pg_semver_clean(const char *s, char *buf, size_t size)
{
    struct pg_semver v;
    size_t b = 0, n = strlen(s);
    char *t;
    int rc;

    while (b < n && is_ws((unsigned char)s[b]))
        b++;
    while (n > b && is_ws((unsigned char)s[n - 1]))
        n--;
    while (b < n && (s[b] == '=' || s[b] == 'v'))
        b++;
    t = pg_xstrndup(s + b, n - b);
    rc = pg_semver_parse(t, &v, NULL);
    free(t);
    if (rc < 0)
        return -1;
    pg_semver_format(&v, buf, size);
    return 0;
}

void pg_semver_format(const struct pg_semver *v, char *buf, size_t size)
{
    struct pg_sb sb = PG_SB_INIT;

    pg_sb_addf(&sb, "%llu.%llu.%llu", (unsigned long long)v->major, (unsigned long long)v->minor,
               (unsigned long long)v->patch);
    if (v->pre[0])
        pg_sb_addf(&sb, "-%s", v->pre);
    if (size) {
        size_t n = sb.len < size - 1 ? sb.len : size - 1;

        memcpy(buf, pg_sb_str(&sb), n);
        buf[n] = '\0';
    }
    pg_sb_release(&sb);
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

/*
 * compareIdentifiers: numbers below strings; numbers compare as JavaScript
 * Numbers (doubles, so huge ones may tie), strings by code unit.
 */
static int cmp_id(const char *a, size_t an, const char *b, size_t bn)
{
    int ad = all_digits(a, an), bd = all_digits(b, bn);
    char ta[PG_SEMVER_MAX_LEN + 1], tb[PG_SEMVER_MAX_LEN + 1];
    double x, y;
    int c;

    if (ad && bd) {
        memcpy(ta, a, an), ta[an] = '\0';
        memcpy(tb, b, bn), tb[bn] = '\0';
        x = strtod(ta, NULL), y = strtod(tb, NULL);
        return x < y ? -1 : x > y;
    }
    if (ad != bd)
        return ad ? -1 : 1;
    c = memcmp(a, b, an < bn ? an : bn);
    return c ? (c < 0 ? -1 : 1) : (an > bn) - (an < bn);
}

static int cmp_pre(const char *a, const char *b)
{
    if (!*a || !*b)
        return (!*a) - (!*b); /* no prerelease ranks higher */
    for (;;) {
        size_t an = strcspn(a, "."), bn = strcspn(b, ".");

        if (an != bn || memcmp(a, b, an) != 0)
            return cmp_id(a, an, b, bn);
        a += an, b += bn;
        if (!*a || !*b)
            return (*a != 0) - (*b != 0);
        a++, b++;
    }
}

int pg_semver_cmp(const struct pg_semver *a, const struct pg_semver *b)
{
    if (a->major != b->major)
        return a->major < b->major ? -1 : 1;
    if (a->minor != b->minor)
        return a->minor < b->minor ? -1 : 1;
    if (a->patch != b->patch)
        return a->patch < b->patch ? -1 : 1;
    return cmp_pre(a->pre, b->pre);
}

/*
 * internal/trim-comparator-whitespace.js: join an operator to its version
 * ("> 1.2.3" -> ">1.2.3"). Ported scanner, same length limits.
 */
#define TRIM_MAX_LEN   256
#define TRIM_MAX_BUILD 250

static size_t digits_end(const char *r, size_t start, size_t limit)
{
    size_t end = start;

    while (is_digit(r[end]))
        end++;
    return end - start > limit ? start + limit : end;
}

static size_t vnum_end(const char *r, size_t start, int loose)
{
    if (!loose && r[start] == '0')
        return start + 1;
    return digits_end(r, start, loose ? TRIM_MAX_LEN : TRIM_MAX_LEN + 1);
}

static size_t preid_end(const char *r, size_t start, int loose)
{
    size_t d = digits_end(r, start, TRIM_MAX_LEN), end, limit;

    if (is_alpha(r[d]) || r[d] == '-') {
        end = d + 1;
        limit = end + TRIM_MAX_BUILD;
        while (end < limit && is_idc(r[end]))
            end++;
        return end;
    }
    return vnum_end(r, start, loose);
}

static size_t pre_end(const char *r, size_t start, int loose)
{
    int hy = r[start] == '-';
    size_t id = start + (hy ? 1 : 0), end, next;

    if (!loose && !hy)
        return start;
    if ((end = preid_end(r, id, loose)) == id) {
        if (!loose || !hy)
            return start;
        end = preid_end(r, start, loose);
    }
    while (r[end] == '.' && (next = preid_end(r, end + 1, loose)) != end + 1)
        end = next;
    return end;
}

static size_t bid_end(const char *r, size_t start)
{
    size_t end = start;

    while (end - start < TRIM_MAX_BUILD && is_idc(r[end]))
        end++;
    return end;
}

static size_t build_end(const char *r, size_t start)
{
    size_t end, next;

    if (r[start] != '+' || (end = bid_end(r, start + 1)) == start + 1)
        return start;
    while (r[end] == '.' && (next = bid_end(r, end + 1)) != end + 1)
        end = next;
    return end;
}

static int is_vstart(int c)
{
    return is_digit(c) || c == 'x' || c == 'X' || c == '*';
}

static size_t loose_full_end(const char *r, size_t start)
{
    size_t end = start, next;

    for (int comp = 0; comp < 3; comp++) {
        if ((next = vnum_end(r, end, 1)) == end)
            return start;
        end = next;
        if (comp < 2 && r[end++] != '.')
            return start;
    }
    return build_end(r, pre_end(r, end, 1));
}

static size_t part_end(const char *r, size_t start)
{
    if (is_digit(r[start]))
        return vnum_end(r, start, 0);
    return is_vstart(r[start]) ? start + 1 : start;
}

static size_t partial_end(const char *r, size_t start)
{
    size_t end = part_end(r, start), next;

    for (int comp = 0; comp < 2; comp++) {
        if (r[end] != '.' || (next = part_end(r, end + 1)) == end + 1)
            return end;
        end = next;
    }
    return build_end(r, pre_end(r, end, 0));
}

static int is_vprefix(int c)
{
    return c == 'v' || c == '=' || is_ws(c);
}

void pg_semver_i_trim_cmp_ws(const char *r, struct pg_sb *out)
{
    size_t len = strlen(r), copy = 0, cur = 0, ms, p, full;

    while (cur < len) {
        ms = cur;
        if (r[cur] == '<' || r[cur] == '>') {
            cur++;
        } else if (!is_vprefix((unsigned char)r[cur]) && !is_vstart(r[cur])) {
            cur++;
            continue;
        }
        while (cur < len && is_vprefix((unsigned char)r[cur]))
            cur++;
        if (!is_vstart(r[cur]))
            continue;
        p = ms + (is_ws((unsigned char)r[ms]) ? 1 : 0);
        p += (r[p] == '<' || r[p] == '>');
        p += (r[p] == '=');
        if (is_ws((unsigned char)r[p])) {
            pg_sb_add(out, r + copy, p - copy);
            copy = p + 1;
        }
        full = loose_full_end(r, cur);
        cur = full != cur ? full : partial_end(r, cur);
    }
    pg_sb_adds(out, r + copy);
}

/* range.trim().replace(/\s+/g, ' ') */
void pg_semver_i_collapse(const char *s, struct pg_sb *out)
{
    while (is_ws((unsigned char)*s))
        s++;
    while (*s) {
        if (!is_ws((unsigned char)*s)) {
            pg_sb_addc(out, *s++);
            continue;
        }
        while (is_ws((unsigned char)*s))
            s++;
        if (*s)
            pg_sb_addc(out, ' ');
    }
}

/* range.replace(BUILDSTRIPRE, ''): every "+build" goes. */
void pg_semver_i_strip_builds(const char *s, struct pg_sb *out)
{
    size_t i = 0, k;

    while (s[i]) {
        if (s[i] == '+' && (k = m_dotted(s, i, 1)) != NOMATCH) {
            i = k;
            continue;
        }
        pg_sb_addc(out, s[i++]);
    }
}

/* TILDETRIM (`(\s*)~>?\s+` -> `$1~`) and CARETTRIM (`(\s*)\^\s+` -> `$1^`). */
void pg_semver_i_lone_trim(const char *s, char ch, struct pg_sb *out)
{
    size_t i = 0, j;

    while (s[i]) {
        if (s[i] == ch) {
            j = i + 1 + (ch == '~' && s[i + 1] == '>');
            if (is_ws((unsigned char)s[j])) {
                while (is_ws((unsigned char)s[j]))
                    j++;
                pg_sb_addc(out, ch);
                i = j;
                continue;
            }
        }
        pg_sb_addc(out, s[i++]);
    }
}

/* HYPHENRANGE: `1.2 - 3.4` becomes `>=1.2.0 <3.5.0-0`; 0 when it does not match. */
int pg_semver_i_hyphen(const char *s, unsigned flags, struct pg_sb *out)
{
    const char *z = (flags & PG_SEMVER_INCLUDE_PRERELEASE) ? "-0" : "";
    size_t i = 0, f0, f1, t0, t1;
    struct xr f, t;

    while (is_ws((unsigned char)s[i]))
        i++;
    f0 = i;
    if ((f1 = pg_semver_i_xrange(s, pg_semver_i_skip_vprefix(s, i), &f)) == NOMATCH ||
        !is_ws((unsigned char)s[f1]))
        return 0;
    for (i = f1; is_ws((unsigned char)s[i]); i++)
        ;
    if (s[i++] != '-' || !is_ws((unsigned char)s[i]))
        return 0;
    while (is_ws((unsigned char)s[i]))
        i++;
    t0 = i;
    if ((t1 = pg_semver_i_xrange(s, pg_semver_i_skip_vprefix(s, i), &t)) == NOMATCH)
        return 0;
    for (i = t1; is_ws((unsigned char)s[i]); i++)
        ;
    if (s[i])
        return 0;
    if (pg_semver_i_is_x(f.M, f.Ml))
        ;
    else if (pg_semver_i_is_x(f.m, f.ml))
        pg_sb_addf(out, ">=%.*s.0.0%s", (int)f.Ml, f.M, z);
    else if (pg_semver_i_is_x(f.p, f.pl))
        pg_sb_addf(out, ">=%.*s.%.*s.0%s", (int)f.Ml, f.M, (int)f.ml, f.m, z);
    else
        pg_sb_addf(out, ">=%.*s%s", (int)(f1 - f0), s + f0, f.pr ? "" : z);
    if (out->len && !pg_semver_i_is_x(t.M, t.Ml))
        pg_sb_addc(out, ' ');
    if (pg_semver_i_is_x(t.M, t.Ml)) {
        ;
    } else if (pg_semver_i_is_x(t.m, t.ml)) {
        pg_sb_adds(out, "<"), pg_semver_i_add_inc(out, t.M, t.Ml), pg_sb_adds(out, ".0.0-0");
    } else if (pg_semver_i_is_x(t.p, t.pl)) {
        pg_sb_addf(out, "<%.*s.", (int)t.Ml, t.M);
        pg_semver_i_add_inc(out, t.m, t.ml), pg_sb_adds(out, ".0-0");
    } else if (t.pr) {
        pg_sb_addf(out, "<=%.*s.%.*s.%.*s-%.*s", (int)t.Ml, t.M, (int)t.ml, t.m, (int)t.pl, t.p,
                   (int)t.prl, t.pr);
    } else if (flags & PG_SEMVER_INCLUDE_PRERELEASE) {
        pg_sb_addf(out, "<%.*s.%.*s.", (int)t.Ml, t.M, (int)t.ml, t.m);
        pg_semver_i_add_inc(out, t.p, t.pl), pg_sb_adds(out, "-0");
    } else {
        pg_sb_addf(out, "<=%.*s", (int)(t1 - t0), s + t0);
    }
    return 1;
}
