/*
 * How one name relates to one popular name: the kind of confusion and its
 * score. pg_typo.c finds the candidates; this file judges each.
 */
#include <stdio.h>
#include <string.h>

#include "pg_typo.h"
#include "pg_typo_int.h"
#include "pg_util.h"
#include "banned.h"

/* A name as its registry compares names: PEP 503 for PyPI, as written for
 * npm; cut to fit cap. */
static void normalise(enum pg_eco eco, const char *name, char *out, size_t cap)
{
    int py = eco == PG_ECO_PYPI;
    size_t j = 0;

    for (const char *p = name; *p && j + 1 < cap; p++) {
        if (py && (*p == '-' || *p == '_' || *p == '.')) {
            while (p[1] == '-' || p[1] == '_' || p[1] == '.')
                p++;
            out[j++] = '-';
        } else {
            out[j++] = (py && *p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
        }
    }
    out[j] = '\0';
}

static size_t skel_of(enum pg_eco eco, const char *s, size_t n, unsigned flags, char *out)
{
    size_t len = pg_typo_skel(eco, s, n, flags, out, PG_TYPO_BUF);

    return len >= PG_TYPO_BUF ? PG_TYPO_BUF - 1 : len;
}

int pg_typo_query_init(struct pg_typo_query *q, enum pg_eco eco, const char *name)
{
    size_t n;
    const char *slash;

    if (!name)
        return 0;
    n = strnlen(name, PG_TYPO_NAME_MAX);
    if (n == 0 || n >= PG_TYPO_NAME_MAX)
        return 0;
    q->eco = eco;
    normalise(eco, name, q->norm, sizeof(q->norm));
    n = strlen(q->norm);
    /* The key skeleton is the folded one collapsed: one pass less. */
    q->klen = skel_of(eco, q->norm, n, PG_SKEL_FOLD, q->fold);
    memcpy(q->key, q->fold, q->klen + 1);
    q->klen = pg_typo_collapse(q->key, q->klen);
    if (q->klen == 0)
        return 0;
    pg_typo_peq_init(&q->peq, q->key, q->klen);
    skel_of(eco, q->norm, n, 0, q->plain);
    memcpy(q->pcol, q->plain, strlen(q->plain) + 1);
    pg_typo_collapse(q->pcol, strlen(q->pcol));
    q->nwords = pg_typo_words(q->norm, q->words, sizeof(q->words));
    q->scope_len = 0;
    q->base = q->norm;
    q->nrem = 0;
    q->known = 0;
    q->scope_suspicious = 0;
    q->pop = 0;
    slash = strchr(q->norm, '/');
    if (eco == PG_ECO_NPM && q->norm[0] == '@' && slash && slash[1]) {
        q->scope_len = (size_t)(slash - q->norm - 1);
        q->base = slash + 1;
        skel_of(eco, q->norm + 1, q->scope_len, PG_SKEL_KEY, q->scope_key);
        skel_of(eco, q->base, strlen(q->base), PG_SKEL_KEY, q->base_key);
    } else {
        pg_typo_make_remainders(q);
    }
    return 1;
}

/* At most one edit (OSA) apart? Linear time: the common case in the index. */
static int within_one(const char *a, size_t la, const char *b, size_t lb)
{
    size_t i = 0;

    if (la < lb) {
        const char *t = a;

        a = b;
        b = t;
        i = la;
        la = lb;
        lb = i;
        i = 0;
    }
    while (i < lb && a[i] == b[i])
        i++;
    if (la == lb) {
        if (i == la)
            return 0;
        if (!memcmp(a + i + 1, b + i + 1, la - i - 1))
            return 1;
        return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
                       !memcmp(a + i + 2, b + i + 2, la - i - 2)
                   ? 1
                   : 2;
    }
    return la == lb + 1 && !memcmp(a + i + 1, b + i, lb - i) ? 1 : 2;
}

int pg_typo_osa(const char *a, size_t la, const char *b, size_t lb, int max)
{
    /* Three rows of the DP, only the diagonal band |i - j| <= max filled:
     * cells outside it cannot lead to a distance within max. */
    int r0[PG_TYPO_BUF + 1], r1[PG_TYPO_BUF + 1], r2[PG_TYPO_BUF + 1];
    int *pp = r0, *p = r1, *c = r2, inf = max + 1;
    size_t d = la > lb ? la - lb : lb - la, k = (size_t)max;

    if (d > k || la >= PG_TYPO_BUF || lb >= PG_TYPO_BUF)
        return inf;
    if (max == 1)
        return within_one(a, la, b, lb);
    for (size_t j = 0; j <= lb; j++)
        p[j] = j <= k ? (int)j : inf;
    for (size_t i = 1; i <= la; i++) {
        size_t lo = i > k ? i - k : 1, hi = i + k < lb ? i + k : lb;
        int *t, rowmin;

        c[lo - 1] = lo == 1 && i <= k ? (int)i : inf;
        rowmin = c[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            int v = p[j - 1] + (a[i - 1] != b[j - 1]);

            if (p[j] + 1 < v)
                v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v > inf ? inf : v;
            if (c[j] < rowmin)
                rowmin = c[j];
        }
        if (hi + 1 <= lb)
            c[hi + 1] = inf;
        if (rowmin >= inf)
            return inf;
        t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb] > max ? inf : p[lb];
}

void pg_typo_peq_init(struct pg_typo_peq *pe, const char *a, size_t m)
{
    memset(pe->eq, 0, sizeof(pe->eq));
    pe->m = m <= 64 ? m : 0;
    for (size_t i = 0; i < pe->m; i++)
        pe->eq[(unsigned char)a[i]] |= 1ull << i;
}

/*
 * Hyyro's bit-vector edit distance with adjacent transpositions (OSA):
 * one pass over b with a handful of word operations per character, for
 * patterns of at most 64 characters.
 */
int pg_typo_osa_bits(const struct pg_typo_peq *pe, const char *b, size_t n, int max)
{
    uint64_t pv = ~0ull, mv = 0, d0 = 0, pmprev = 0, top;
    size_t m = pe->m;
    int score = (int)m;

    if (m == 0 || (m > n ? m - n : n - m) > (size_t)max)
        return max + 1;
    top = 1ull << (m - 1);
    for (size_t j = 0; j < n; j++) {
        uint64_t pm = pe->eq[(unsigned char)b[j]], tr, ph, mh;

        tr = (((~d0) & pm) << 1) & pmprev;
        d0 = (((pm & pv) + pv) ^ pv) | pm | mv | tr;
        ph = mv | ~(d0 | pv);
        mh = pv & d0;
        if (ph & top)
            score++;
        else if (mh & top)
            score--;
        ph = (ph << 1) | 1;
        mh <<= 1;
        pv = mh | ~(d0 | ph);
        mv = ph & d0;
        pmprev = pm;
    }
    return score > max ? max + 1 : score;
}

/* QWERTY neighbours: same row +-1, the row above at c and c+1, below at c-1 and c. */
static int keyboard_adjacent(char x, char y)
{
    static const char *const rows[] = {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"};
    int rx = -1, ry = -1, cx = 0, cy = 0;

    for (int r = 0; r < 4; r++) {
        const char *px = strchr(rows[r], x), *py = strchr(rows[r], y);

        if (x && px) {
            rx = r;
            cx = (int)(px - rows[r]);
        }
        if (y && py) {
            ry = r;
            cy = (int)(py - rows[r]);
        }
    }
    if (rx < 0 || ry < 0)
        return 0;
    if (rx == ry)
        return cx - cy == 1 || cy - cx == 1;
    if (ry == rx - 1)
        return cy == cx || cy == cx + 1;
    if (ry == rx + 1)
        return cy == cx || cy == cx - 1;
    return 0;
}

/* Single characters that read alike (0/o and 1/l are folded already). */
static int confusable(char x, char y)
{
    static const char pairs[][2] = {{'i', 'l'}, {'i', 'j'}, {'g', 'q'}, {'u', 'v'},
                                    {'s', '5'}, {'b', '8'}, {'b', '6'}, {'z', '2'}};

    for (size_t i = 0; i < PG_ARRAY_SIZE(pairs); i++)
        if ((x == pairs[i][0] && y == pairs[i][1]) || (x == pairs[i][1] && y == pairs[i][0]))
            return 1;
    return 0;
}

/* The kind of a one-edit difference from target b to name a. */
static int one_edit_kind(const char *a, size_t la, const char *b, size_t lb)
{
    size_t i = 0;

    if (la + 1 == lb)
        return PG_TYPO_OMISSION;
    if (la == lb + 1)
        return PG_TYPO_INSERTION;
    while (i < la && a[i] == b[i])
        i++;
    if (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && !strcmp(a + i + 2, b + i + 2))
        return PG_TYPO_TRANSPOSITION;
    if (i < la && confusable(a[i], b[i]))
        return PG_TYPO_HOMOGLYPH;
    if (i < la && keyboard_adjacent(a[i], b[i]))
        return PG_TYPO_KEYBOARD;
    return PG_TYPO_SUBSTITUTION;
}

/* Copy s[0..n) into out as a string, cut to fit cap. */
static void copy_cut(char *out, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

static double round2(double x)
{
    return (double)(long)(x * 100.0 + 0.5) / 100.0;
}

/* Is a d-edit difference of this kind close enough on a target this long? */
static int edits_ok(size_t tklen, size_t qklen, int d, int kind, int loose)
{
    size_t l = tklen < qklen ? tklen : qklen;

    if (d == 1) {
        if (tklen >= 5 && l >= 4)
            return 1;
        if (tklen == 4 || (loose && tklen == 3))
            return l >= 3 && kind != PG_TYPO_SUBSTITUTION;
        return 0;
    }
    return d == 2 && tklen >= (loose ? 7u : 8u) && l >= 6;
}

/*
 * Scores: an exact skeleton match (only separators, lookalikes, doubled
 * letters or scope punctuation differ) beats an affix, which beats edits;
 * an edit costs more on a short name than on a long one.
 */
static double edit_score(int d, int kind, size_t tklen, size_t qklen)
{
    size_t l = tklen > qklen ? tklen : qklen;
    double w = d == 2                         ? 2.2
               : kind == PG_TYPO_HOMOGLYPH    ? 0.5
               : kind == PG_TYPO_SUBSTITUTION ? 1.3
                                              : 1.0;
    double s = 0.95 - 0.4 * w / (double)l;

    return s < 0.5 ? 0.5 : s;
}

static void set_rel(struct pg_typo_rel *r, int kind, double score, const char *detail)
{
    size_t n;

    if (score <= r->score)
        return;
    r->kind = kind;
    r->score = round2(score);
    /* A long scope is cut: the detail only decorates the message. */
    n = detail ? strnlen(detail, sizeof(r->detail) - 1) : 0;
    memcpy(r->detail, detail ? detail : "", n);
    r->detail[n] = '\0';
}

/* Equal key skeletons: which game made them equal? */
static int exact_kind(const struct pg_typo_query *q, const char *tnorm, int tscoped)
{
    char buf[PG_TYPO_BUF];
    size_t n = strlen(tnorm);

    if (q->scope_len && !tscoped)
        return PG_TYPO_SCOPED;
    if (!q->scope_len && tscoped)
        return PG_TYPO_UNSCOPED;
    if (q->scope_len && tscoped)
        return PG_TYPO_SCOPE_LOOKALIKE;
    skel_of(q->eco, tnorm, n, 0, buf);
    if (!strcmp(buf, q->plain))
        return PG_TYPO_SEPARATOR;
    skel_of(q->eco, tnorm, n, PG_SKEL_FOLD, buf);
    if (!strcmp(buf, q->fold))
        return PG_TYPO_HOMOGLYPH;
    skel_of(q->eco, tnorm, n, 0, buf);
    pg_typo_collapse(buf, strlen(buf));
    if (!strcmp(buf, q->pcol))
        return PG_TYPO_REPETITION;
    return PG_TYPO_HOMOGLYPH;
}

static const double exact_score[] = {
    [PG_TYPO_HOMOGLYPH] = 0.98, [PG_TYPO_SEPARATOR] = 0.97,       [PG_TYPO_REPETITION] = 0.96,
    [PG_TYPO_UNSCOPED] = 0.955,  [PG_TYPO_SCOPE_LOOKALIKE] = 0.96, [PG_TYPO_SCOPED] = 0.9,
};

/* npm: q "@s/x" against "@t/y" with s != t. */
static void relate_scopes(const struct pg_typo_query *q, const char *tnorm, const char *tslash,
                          int whole_ok, struct pg_typo_rel *r)
{
    char tscope[PG_TYPO_BUF], tbase[PG_TYPO_BUF], detail[PG_TYPO_BUF];
    size_t sl = skel_of(PG_ECO_NPM, tnorm + 1, (size_t)(tslash - tnorm - 1), PG_SKEL_KEY, tscope);
    size_t bl = skel_of(PG_ECO_NPM, tslash + 1, strlen(tslash + 1), PG_SKEL_KEY, tbase);
    size_t ql = strlen(q->base_key);
    int ds = pg_typo_osa(q->scope_key, strlen(q->scope_key), tscope, sl, 2);

    snprintf(detail, sizeof(detail), "@%.*s", (int)q->scope_len, q->norm + 1);
    if (ds > 2 || (ds > 0 && !edits_ok(sl, strlen(q->scope_key), ds, PG_TYPO_EDITS, 0)))
        ds = -1;
    /* "@azure-sdk/cosmos" for "@azure/cosmos": the same package in a scope
     * named like the real one plus an affix (q's scope is not established:
     * it holds no known package). */
    if (ds < 0 && !strcmp(q->base_key, tbase) &&
        pg_typo_affixed(q->scope_key, strlen(q->scope_key), tscope, sl)) {
        set_rel(r, PG_TYPO_SCOPE_LOOKALIKE, 0.92, detail);
        return;
    }
    if (!strcmp(q->base_key, tbase) && (ds >= 0 || whole_ok)) {
        set_rel(r, PG_TYPO_SCOPE_LOOKALIKE, ds >= 0 ? 0.94 - 0.02 * ds : 0.9, detail);
        return;
    }
    /* Same scope family, a name that starts or ends like the real one. */
    if (ds >= 0 && ql >= 3 && ql < bl &&
        (!strncmp(tbase, q->base_key, ql) || !strcmp(tbase + bl - ql, q->base_key)))
        set_rel(r, PG_TYPO_SCOPE_LOOKALIKE, 0.9 - 0.01 * ds, detail);
    /* ... or the real name with an affix: "@angullar/core-js". */
    else if (ds >= 0 && ds <= 1 && pg_typo_affixed(q->base_key, ql, tbase, bl))
        set_rel(r, PG_TYPO_SCOPE_LOOKALIKE, 0.88 - 0.01 * ds, detail);
}

/* Characters of a normalised name that are not separators. */
static size_t word_letters(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += !(*s == '-' || *s == '_' || *s == '.' || *s == '/' || *s == '@');
    return n;
}

/*
 * The whole name against the target's, skeleton to skeleton: equal (which
 * game?) or a few edits (which kind?). Returns 1 when they are close enough
 * for the target's length.
 */
static int relate_spelling(const struct pg_typo_query *q, const char *tnorm, int tscoped,
                           const char *tkey, int loose, const char *sdetail,
                           struct pg_typo_rel *r)
{
    size_t tklen = strlen(tkey);
    int d = q->peq.m ? pg_typo_osa_bits(&q->peq, tkey, tklen, 2)
                     : pg_typo_osa(q->key, q->klen, tkey, tklen, 2);
    int kind, ok;
    char tfold[PG_TYPO_BUF];
    size_t fl;

    if (d == 0) {
        kind = exact_kind(q, tnorm, tscoped);
        set_rel(r, kind, exact_score[kind], q->scope_len ? sdetail : NULL);
        return 1;
    }
    /* "@scope/x" a few letters from an unscoped name, counted over scope
     * and name run together ("@best/cli" and jest-cli, "@aave/core" and
     * axe-core): that is how orgs' own packages read, not a typo. */
    if (d > 2 || (q->scope_len && !tscoped))
        return 0;
    kind = d == 1 ? one_edit_kind(q->key, q->klen, tkey, tklen) : PG_TYPO_EDITS;
    fl = skel_of(q->eco, tnorm, strlen(tnorm), PG_SKEL_FOLD, tfold);
    /* Collapsing doubles can hide a plain edit ("pandaai" is one letter
     * off "pandasai"): the edit seen uncollapsed wins. */
    if (pg_typo_osa(q->fold, strlen(q->fold), tfold, fl, 1) == 1) {
        d = 1;
        kind = one_edit_kind(q->fold, strlen(q->fold), tfold, fl);
    }
    ok = edits_ok(tklen, q->klen, d, kind, loose);
    if (ok)
        set_rel(r, kind, edit_score(d, kind, tklen, q->klen), NULL);
    return ok;
}

int pg_typo_relate(const struct pg_typo_query *q, const char *tname, const char *tkey,
                   int loose, struct pg_typo_rel *r)
{
    char tnorm[PG_TYPO_BUF], kbuf[PG_TYPO_BUF], words[PG_TYPO_BUF];
    const char *tslash = NULL;
    size_t tklen;
    int tscoped = 0, whole_ok;
    char sdetail[PG_TYPO_BUF];

    memset(r, 0, sizeof(*r));
    normalise(q->eco, tname, tnorm, sizeof(tnorm));
    if (!strcmp(tnorm, q->norm))
        return 0;
    if (q->eco == PG_ECO_NPM && tnorm[0] == '@') {
        tslash = strchr(tnorm, '/');
        tscoped = tslash != NULL;
    }
    /* One owner publishes everything in a scope. */
    if (tscoped && q->scope_len && (size_t)(tslash - tnorm - 1) == q->scope_len &&
        !memcmp(tnorm + 1, q->norm + 1, q->scope_len))
        return 0;
    if (!tkey) {
        skel_of(q->eco, tnorm, strlen(tnorm), PG_SKEL_KEY, kbuf);
        tkey = kbuf;
    }
    tklen = strlen(tkey);
    sdetail[0] = '@';
    copy_cut(sdetail + 1, sizeof(sdetail) - 1, q->norm + 1, q->scope_len);
    whole_ok = relate_spelling(q, tnorm, tscoped, tkey, loose, sdetail, r);
    /* Reordered words keep their letters. */
    if (q->nwords >= 2 && word_letters(tnorm) == strlen(q->plain) &&
        pg_typo_words(tnorm, words, sizeof(words)) == q->nwords && !strcmp(words, q->words))
        set_rel(r, PG_TYPO_WORD_ORDER, 0.93, NULL);
    /* An affix is stronger evidence the more of the name the popular one
     * makes up: "mysqljs" rather than "piptool". */
    for (size_t i = 0; i < q->nrem; i++)
        if (!strcmp(q->rem[i].key, tkey))
            set_rel(r, PG_TYPO_AFFIX,
                    q->rem[i].swap ? 0.86
                                   : (strchr(q->rem[i].affix, '+') ? 0.78 : 0.8) +
                                         0.14 * (double)tklen / (double)q->klen,
                    q->rem[i].affix);
    if (q->scope_len && q->scope_suspicious && !tscoped && !strcmp(q->base_key, tkey))
        set_rel(r, PG_TYPO_SCOPED, 0.86, sdetail);
    if (q->scope_len && tscoped)
        relate_scopes(q, tnorm, tslash, whole_ok, r);
    return r->kind != PG_TYPO_NONE;
}

/* ASCII lowercase of s into out (cap bytes, cut to fit). */
static size_t lower_copy(const char *s, char *out, size_t cap)
{
    size_t n = 0;

    for (; s[n] && n + 1 < cap; n++)
        out[n] = s[n] >= 'A' && s[n] <= 'Z' ? (char)(s[n] - 'A' + 'a') : s[n];
    out[n] = '\0';
    return n;
}

int pg_typo_written_edits(const struct pg_typo_query *q, const char *tname)
{
    char tnorm[PG_TYPO_BUF], a[PG_TYPO_BUF], b[PG_TYPO_BUF];
    size_t la, lb;

    normalise(q->eco, tname, tnorm, sizeof(tnorm));
    /* Case is no written difference: npm takes only lowercase names now,
     * so "jsonstream" imitates the old "JSONStream", not "json-stream". */
    la = lower_copy(q->norm, a, sizeof(a));
    lb = lower_copy(tnorm, b, sizeof(b));
    return pg_typo_osa(a, la, b, lb, 4);
}
