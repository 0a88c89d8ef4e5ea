/*
 * The typosquat index: finding candidate targets in the compiled-in tables
 * (pg_typo_int.h) and keeping the best. pg_typo_match.c judges each one.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pg_typo.h"
#include "pg_typo_int.h"
#include "pg_util.h"
#include "banned.h"

#define SEEN_SLOTS 256 /* power of two; a check rarely sees more than 100 candidates */
#define SUGGEST_MAX 16

struct cand {
    double rank;
    const char *name;
};

struct ctx {
    const struct pg_typo *idx;
    const struct pg_typo_set *set;
    struct pg_typo_query *q;
    double ratio;
    int loose; /* suggestion mode: no floor, no gate, keep several */
    uint32_t seen[SEEN_SLOTS];  /* ids visited */
    uint32_t tried[SEEN_SLOTS]; /* ids the pass-join filter verified */
    size_t nseen, ntried;
    struct pg_typo_match *m;
    double best;    /* rank of *m, without the written-edits term */
    int best_edits;  /* written edits of *m; -1: not counted yet */
    int edits;
    int have;
    struct cand sug[SUGGEST_MAX];
    size_t nsug, maxsug;
};

static const char *name_at(const struct pg_typo_set *s, uint32_t id)
{
    return s->names + s->name_off[id];
}

static const char *skel_at(const struct pg_typo_set *s, uint32_t id)
{
    return s->skels + s->skel_off[id];
}

/* 1 the first time key is added to the set tab (n entries). */
static int first_time(uint32_t *tab, size_t *n, uint32_t key)
{
    uint32_t h = (key * 0x9E3779B1u) & (SEEN_SLOTS - 1);

    if (*n >= SEEN_SLOTS / 2)
        return 1; /* table full: doing it twice is only slower */
    while (tab[h]) {
        if (tab[h] == key + 1)
            return 0;
        h = (h + 1) & (SEEN_SLOTS - 1);
    }
    tab[h] = key + 1;
    (*n)++;
    return 1;
}

static int first_visit(struct ctx *c, uint32_t id)
{
    return first_time(c->seen, &c->nseen, id);
}

/* Kinds that are not also how related packages are named. */
static int strong_kind(int kind)
{
    return kind == PG_TYPO_HOMOGLYPH || kind == PG_TYPO_SEPARATOR ||
           kind == PG_TYPO_TRANSPOSITION || kind == PG_TYPO_UNSCOPED ||
           kind == PG_TYPO_WORD_ORDER || kind == PG_TYPO_SCOPE_LOOKALIKE;
}

/*
 * Which candidate target to name: the best fit, then the most popular
 * (squatters aim at the big ones: 0.004 per doubling of downloads), then
 * the one closest as written ("babelcli" is babel-cli, not @babel/cli):
 * 0.01 per edit, counted only when two candidates come that close.
 */
static double rank_of(const struct pg_typo_rel *r, uint32_t pop)
{
    int bits = 0;

    while (pop) {
        bits++;
        pop >>= 1;
    }
    return r->score + 0.004 * bits;
}

#define CLOSE_CALL 0.05

/*
 * How far a candidate is from q as written, for the close call. An affix
 * counts as two edits however long it is: letter by letter "python-httpx"
 * was nearer python-pptx (two letters) than httpx (seven), so a word added
 * to a big name lost to two typos of a smaller one; as two it ties them
 * and popularity decides, while "piptool" stays pip-tools (one letter)
 * rather than pip + "tool".
 */
static int cand_edits(const struct ctx *c, int kind, const char *tname)
{
    return kind == PG_TYPO_AFFIX ? 2 : pg_typo_written_edits(c->q, tname);
}

static void keep_suggestion(struct ctx *c, const char *name, double rank)
{
    size_t i = c->nsug;

    if (i == c->maxsug && rank <= c->sug[i - 1].rank)
        return;
    if (i == c->maxsug)
        i--;
    else
        c->nsug++;
    while (i > 0 && rank > c->sug[i - 1].rank) {
        c->sug[i] = c->sug[i - 1];
        i--;
    }
    c->sug[i].rank = rank;
    c->sug[i].name = name;
}

static void consider(struct ctx *c, const char *tname, uint32_t pop, int extra,
                     const struct pg_typo_rel *r)
{
    struct pg_typo_match *m = c->m;
    double rank = rank_of(r, pop);

    if (c->loose) {
        keep_suggestion(c, tname, rank - 0.01 * pg_typo_written_edits(c->q, tname));
        return;
    }
    if (c->q->known && (!strong_kind(r->kind) || (double)pop < c->ratio * (double)c->q->pop))
        return;
    if (c->have && rank <= c->best - CLOSE_CALL)
        return;
    if (c->have && rank < c->best + CLOSE_CALL) {
        if (c->best_edits < 0)
            c->best_edits = cand_edits(c, m->kind, m->target);
        c->edits = cand_edits(c, r->kind, tname);
        if (rank - 0.01 * c->edits <= c->best - 0.01 * c->best_edits)
            return;
        c->best_edits = c->edits;
    } else {
        c->best_edits = -1;
    }
    c->have = 1;
    c->best = rank;
    m->kind = (enum pg_typo_kind)r->kind;
    m->score = r->score;
    m->target = tname;
    m->target_pop = extra ? 0 : pop;
    m->target_extra = extra;
    m->name_pop = c->q->pop;
    memcpy(m->detail, r->detail, sizeof(m->detail));
}

static void visit(struct ctx *c, uint32_t id)
{
    const struct pg_typo_set *s = c->set;
    struct pg_typo_rel r;

    if (!first_visit(c, id))
        return;
    if (!c->loose && !(s->flags[id] & PG_TYPO_F_TARGET))
        return;
    if (pg_typo_relate(c->q, name_at(s, id), skel_at(s, id), c->loose, &r))
        consider(c, name_at(s, id), s->pop[id], 0, &r);
}

/* Visit the ids of a bucket whose key skeleton is key (NULL: any). */
static void lookup(struct ctx *c, const struct pg_typo_csr *t, uint32_t h, const char *key)
{
    uint32_t b = h & t->mask;

    for (uint32_t k = t->start[b]; k < t->start[b + 1]; k++)
        if (!key || !strcmp(skel_at(c->set, t->ids[k]), key))
            visit(c, t->ids[k]);
}

static void lookup_skel(struct ctx *c, const char *key, size_t n)
{
    const struct pg_typo_csr *t = &c->set->by_skel;
    uint32_t b = pg_typo_hash(pg_typo_seed(PG_TYPO_H_SKEL, 0, 0), key, n) & t->mask;

    for (uint32_t k = t->start[b]; k < t->start[b + 1]; k++) {
        uint32_t id = t->ids[k];

        if (c->set->skel_len[id] == n && !memcmp(skel_at(c->set, id), key, n))
            visit(c, id);
    }
}

/* Exact id of a name in a set, or -1. */
static int64_t find_name(const struct pg_typo_set *s, const char *name, size_t n)
{
    const struct pg_typo_csr *t = &s->by_name;
    uint32_t b = pg_typo_hash(pg_typo_seed(PG_TYPO_H_NAME, 0, 0), name, n) & t->mask;

    for (uint32_t k = t->start[b]; k < t->start[b + 1]; k++) {
        const char *cand = name_at(s, t->ids[k]);

        if (!strncmp(cand, name, n) && cand[n] == '\0')
            return t->ids[k];
    }
    return -1;
}

/* Pass-join: candidates within pg_typo_kf(L) edits of key, verified. */
typedef void (*hit_fn)(struct ctx *c, uint32_t id);

static void near(struct ctx *c, const struct pg_typo_set *s, const char *key, size_t lq,
                 hit_fn hit)
{
    size_t lo_len = lq > 6 ? lq - 2 : 4, hi_len = lq + 2;
    struct pg_typo_peq own;
    const struct pg_typo_peq *pe = &c->q->peq;
    uint32_t letters = pg_typo_letters(key, lq);

    if (key != c->q->key) {
        pg_typo_peq_init(&own, key, lq);
        pe = &own;
    }

    if (hi_len > PG_TYPO_SKEL_MAX)
        hi_len = PG_TYPO_SKEL_MAX;
    for (size_t lt = lo_len; lt <= hi_len; lt++) {
        int k = pg_typo_kf(lt);
        long delta = (long)lq - (long)lt;

        if (k == 0 || delta > k || -delta > k)
            continue;
        for (int i = 0; i <= k; i++) {
            size_t p, l;
            long lo, hi;

            pg_typo_segment(lt, k, i, &p, &l);
            lo = (long)p - i;
            if ((long)p + delta - (k - i) > lo)
                lo = (long)p + delta - (k - i);
            hi = (long)p + i;
            if ((long)p + delta + (k - i) < hi)
                hi = (long)p + delta + (k - i);
            if (lo < 0)
                lo = 0;
            if (hi > (long)lq - (long)l)
                hi = (long)lq - (long)l;
            for (long st = lo; st <= hi; st++) {
                uint32_t h = pg_typo_hash(pg_typo_seed(PG_TYPO_H_SEG, (unsigned)lt, (unsigned)i),
                                          key + st, l);
                const struct pg_typo_csr *t = &s->by_seg;
                uint32_t b = h & t->mask;

                for (uint32_t x = t->start[b]; x < t->start[b + 1]; x++) {
                    uint32_t id = t->ids[x] & PG_TYPO_SEG_ID_MASK;

                    /* The top bit keeps scope ids apart from package ids. */
                    if (t->ids[x] >> PG_TYPO_SEG_LEN_SHIFT == lt &&
                        __builtin_popcount(s->letters[id] ^ letters) <= 2 * k &&
                        first_time(c->tried, &c->ntried,
                                   id | (s == &c->idx->scopes ? 1u << 31 : 0)) &&
                        pg_typo_osa_bits(pe, s->skels + s->skel_off[id], lt, k) <= k)
                        hit(c, id);
                }
            }
        }
    }
}

static void transpositions(struct ctx *c, char *key, size_t n, void (*fn)(struct ctx *, char *, size_t))
{
    for (size_t i = 0; i + 1 < n; i++) {
        char t = key[i];

        if (t == key[i + 1])
            continue;
        key[i] = key[i + 1];
        key[i + 1] = t;
        fn(c, key, n);
        key[i + 1] = key[i];
        key[i] = t;
    }
}

static void lookup_skel_fn(struct ctx *c, char *key, size_t n)
{
    lookup_skel(c, key, n);
}

/*
 * A scope that looks like q's: visit its packages as the npm set, all of a
 * small scope when whole, else only the one with q's base name.
 */
/* A big scope's packages named like q's base less an affix: "@expue/config-js"
 * looks up "@expo/config" by key skeleton (scope and base run together). */
static void scope_affixed_bases(struct ctx *c, uint32_t sid)
{
    const char *sk = skel_at(&c->idx->scopes, sid);
    const char *bk = c->q->base_key;
    char rest[4][PG_TYPO_SKEL_MAX + 1], key[2 * PG_TYPO_SKEL_MAX + 2];
    size_t nr = pg_typo_unaffix(bk, strlen(bk), rest, 4), sl = strlen(sk);

    for (size_t i = 0; i < nr && sl <= PG_TYPO_SKEL_MAX; i++) {
        size_t rl = strlen(rest[i]);

        memcpy(key, sk, sl);
        memcpy(key + sl, rest[i], rl + 1);
        /* Run together, the two may share a letter at the seam. */
        lookup_skel(c, key, pg_typo_collapse(key, sl + rl));
    }
}

static void scope_visit(struct ctx *c, uint32_t sid, int whole)
{
    const struct pg_typo_set *sc = &c->idx->scopes;
    const struct pg_typo_set *saved = c->set;
    char full[PG_TYPO_BUF];
    int n;

    c->set = &c->idx->npm;
    if (whole && sc->count[sid] <= 64) {
        for (uint32_t i = 0; i < sc->count[sid]; i++)
            visit(c, sc->first[sid] + i);
    } else {
        int64_t id;

        n = snprintf(full, sizeof(full), "@%s/%s", name_at(sc, sid), c->q->base);
        id = n > 0 && (size_t)n < sizeof(full) ? find_name(c->set, full, (size_t)n) : -1;
        if (id >= 0)
            visit(c, (uint32_t)id);
        if (whole)
            scope_affixed_bases(c, sid);
    }
    c->set = saved;
}

/*
 * Is q's scope so like established scope sid that "@scope/x" reads as the
 * unscoped popular x in disguise ("@typescript_eslinter/prettier")? Orgs
 * whose scope is merely a letter or two from some other org's publish
 * "@org/react" or "@org/cli" freely (a quarter of the npm long tail's
 * flags, all legitimate, before this test): only a close likeness of a
 * scope worth imitating counts.
 */
#define SCOPE_SUSPECT_POP 1000000u /* the imitated scope's top package, a month */

static int scope_suspect(const struct ctx *c, uint32_t sid)
{
    const struct pg_typo_set *sc = &c->idx->scopes;
    const char *k = skel_at(sc, sid);
    size_t qn = strlen(c->q->scope_key);
    int d = pg_typo_osa(c->q->scope_key, qn, k, strlen(k), 2);

    if (sc->pop[sid] < SCOPE_SUSPECT_POP)
        return 0;
    return d == 0 || (d == 1 && qn >= 5) || (d == 2 && qn >= 10);
}

static void scope_hit(struct ctx *c, uint32_t sid)
{
    if (scope_suspect(c, sid))
        c->q->scope_suspicious = 1;
    scope_visit(c, sid, 1);
}

/* The scope is an established one plus an affix ("@azure-sdk"): only the
 * same package name there is read as imitation, since forks and companion
 * orgs name themselves so too ("@octokit-next"). */
static void scope_affix_fn(struct ctx *c, char *key, size_t n)
{
    const struct pg_typo_csr *t = &c->idx->scopes.by_skel;
    uint32_t b = pg_typo_hash(pg_typo_seed(PG_TYPO_H_SKEL, 0, 0), key, n) & t->mask;

    for (uint32_t k = t->start[b]; k < t->start[b + 1]; k++)
        if (!strcmp(skel_at(&c->idx->scopes, t->ids[k]), key))
            scope_visit(c, t->ids[k], 0);
}

static void scope_skel_fn(struct ctx *c, char *key, size_t n)
{
    const struct pg_typo_csr *t = &c->idx->scopes.by_skel;
    uint32_t b = pg_typo_hash(pg_typo_seed(PG_TYPO_H_SKEL, 0, 0), key, n) & t->mask;

    for (uint32_t k = t->start[b]; k < t->start[b + 1]; k++)
        if (!strcmp(skel_at(&c->idx->scopes, t->ids[k]), key))
            scope_hit(c, t->ids[k]);
}

/* npm @scope/base with a scope that holds no known package. */
static void scoped_candidates(struct ctx *c)
{
    const struct pg_typo_set *sc = &c->idx->scopes;
    struct pg_typo_query *q = c->q;
    char key[PG_TYPO_BUF];
    size_t n = strlen(q->scope_key);

    memcpy(key, q->scope_key, n + 1);
    scope_skel_fn(c, key, n);
    transpositions(c, key, n, scope_skel_fn);
    near(c, sc, q->scope_key, n, scope_hit);
    /* An established scope with an affix: "@azure-sdk", "@babeljs". */
    {
        char rest[4][PG_TYPO_SKEL_MAX + 1];
        size_t nr = pg_typo_unaffix(q->scope_key, n, rest, 4);

        for (size_t i = 0; i < nr; i++)
            scope_affix_fn(c, rest[i], strlen(rest[i]));
    }
    if (q->scope_suspicious)
        lookup_skel(c, q->base_key, strlen(q->base_key));
}

static void candidates(struct ctx *c)
{
    struct pg_typo_query *q = c->q;
    const struct pg_typo_set *s = c->set;
    char key[PG_TYPO_BUF];

    lookup_skel(c, q->key, q->klen);
    if (q->klen <= PG_TYPO_SKEL_MAX) {
        memcpy(key, q->key, q->klen + 1);
        /* From 8 characters on, the edit search below finds swaps too. */
        if (q->klen < 8 || q->known || c->loose)
            transpositions(c, key, q->klen, lookup_skel_fn);
        /* A known name may only be flagged for kinds the exact lookups
         * find (strong_kind): the edit search is not needed. */
        if (!q->known || c->loose)
            near(c, s, q->key, q->klen, visit);
    }
    for (size_t i = 0; i < q->nrem; i++)
        lookup_skel(c, q->rem[i].key, strlen(q->rem[i].key));
    if (q->nwords >= 2)
        lookup(c, &s->by_tok,
               pg_typo_hash(pg_typo_seed(PG_TYPO_H_TOK, 0, 0), q->words, strlen(q->words)),
               NULL);
    if (q->scope_len)
        scoped_candidates(c);
}

static const struct pg_typo_set *set_for(const struct pg_typo *idx, enum pg_eco eco)
{
    return eco == PG_ECO_PYPI ? &idx->pypi : &idx->npm;
}

/* Fill q->known/pop; 1 if q is in an established npm scope (never a squat). */
static int self_facts(const struct pg_typo *idx, struct pg_typo_query *q)
{
    int64_t id = find_name(set_for(idx, q->eco), q->norm, strlen(q->norm));

    if (id >= 0) {
        q->known = 1;
        q->pop = set_for(idx, q->eco)->pop[id];
    }
    return q->scope_len && find_name(&idx->scopes, q->norm + 1, q->scope_len) >= 0;
}

static void check_extra(struct ctx *c, const struct pg_typo_opts *opts)
{
    for (size_t i = 0; opts && i < opts->nextra; i++) {
        struct pg_typo_rel r;

        if (opts->extra[i] && pg_typo_relate(c->q, opts->extra[i], NULL, c->loose, &r))
            consider(c, opts->extra[i], UINT32_MAX, 1, &r);
    }
}

int pg_typo_check(const struct pg_typo *idx, enum pg_eco eco, const char *name,
                  const struct pg_typo_opts *opts, struct pg_typo_match *m)
{
    struct pg_typo_query q;
    struct ctx c;

    memset(m, 0, sizeof(*m));
    if (!pg_typo_query_init(&q, eco, name))
        return 0;
    memset(&c, 0, sizeof(c));
    c.idx = idx;
    c.q = &q;
    c.m = m;
    c.ratio = opts && opts->popularity_ratio > 0 ? opts->popularity_ratio : 1000.0;
    if (!self_facts(idx, &q)) {
        c.set = set_for(idx, eco);
        candidates(&c);
    }
    check_extra(&c, opts);
    if (!c.have)
        memset(m, 0, sizeof(*m));
    else
        m->established = q.known || pg_typo_est_has(idx, eco, q.norm, strlen(q.norm));
    return c.have;
}

size_t pg_typo_suggest(const struct pg_typo *idx, enum pg_eco eco, const char *name,
                       const char **out, size_t max)
{
    struct pg_typo_query q;
    struct ctx c;

    if (max == 0 || !pg_typo_query_init(&q, eco, name))
        return 0;
    memset(&c, 0, sizeof(c));
    c.idx = idx;
    c.q = &q;
    c.loose = 1;
    c.maxsug = max < SUGGEST_MAX ? max : SUGGEST_MAX;
    c.set = set_for(idx, eco);
    (void)self_facts(idx, &q);
    candidates(&c);
    for (size_t i = 0; i < c.nsug; i++)
        out[i] = c.sug[i].name;
    return c.nsug;
}

const struct pg_typo *pg_typo_builtin(void)
{
    return &pg_typo_builtin_index;
}

uint32_t pg_typo_popularity(const struct pg_typo *idx, enum pg_eco eco, const char *name)
{
    struct pg_typo_query q;
    int64_t id;

    if (!pg_typo_query_init(&q, eco, name))
        return 0;
    id = find_name(set_for(idx, eco), q.norm, strlen(q.norm));
    return id >= 0 ? set_for(idx, eco)->pop[id] : 0;
}

int pg_typo_established(const struct pg_typo *idx, enum pg_eco eco, const char *name)
{
    struct pg_typo_query q;

    if (!pg_typo_query_init(&q, eco, name))
        return 0;
    return find_name(set_for(idx, eco), q.norm, strlen(q.norm)) >= 0 ||
           pg_typo_est_has(idx, eco, q.norm, strlen(q.norm));
}

size_t pg_typo_count(const struct pg_typo *idx, enum pg_eco eco)
{
    return set_for(idx, eco)->n;
}

const char *pg_typo_name_at(const struct pg_typo *idx, enum pg_eco eco, size_t i)
{
    const struct pg_typo_set *s = set_for(idx, eco);

    return i < s->n ? name_at(s, (uint32_t)i) : NULL;
}

const char *pg_typo_kind_name(enum pg_typo_kind kind)
{
    static const char *const names[] = {
        [PG_TYPO_NONE] = "none",
        [PG_TYPO_HOMOGLYPH] = "homoglyph",
        [PG_TYPO_SEPARATOR] = "separator",
        [PG_TYPO_REPETITION] = "repetition",
        [PG_TYPO_TRANSPOSITION] = "transposition",
        [PG_TYPO_OMISSION] = "omission",
        [PG_TYPO_INSERTION] = "insertion",
        [PG_TYPO_KEYBOARD] = "keyboard",
        [PG_TYPO_SUBSTITUTION] = "substitution",
        [PG_TYPO_EDITS] = "edits",
        [PG_TYPO_AFFIX] = "affix",
        [PG_TYPO_WORD_ORDER] = "word-order",
        [PG_TYPO_UNSCOPED] = "unscoped",
        [PG_TYPO_SCOPED] = "scoped",
        [PG_TYPO_SCOPE_LOOKALIKE] = "scope-lookalike",
    };

    return (unsigned)kind < PG_ARRAY_SIZE(names) ? names[kind] : "none";
}
