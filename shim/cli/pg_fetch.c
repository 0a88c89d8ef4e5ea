/*
 * pg_fetch.c - the registry rounds of a run (pg_fetch.h): which index each
 * request asks (as the tool would), one parallel round per stage over one
 * HTTP client and the facts cache, and the answers as each request's facts.
 * The questions later stages ask of those answers are in pg_fetch_later.c.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "pg_fetch.h"
#include "pg_fetch_int.h"
#include "pg_findlinks.h"
#include "pg_http.h"
#include "pg_keyring.h"
#include "pg_metacache.h"
#include "pg_name.h"
#include "pg_npmsig.h"
#include "pg_regconf.h"
#include "pg_registry.h"
#include "pg_strmap.h"
#include "pg_rules_trust.h"
#include "pg_typo.h"
#include "pg_util.h"
#include "banned.h"

extern char **environ;

static const char *env_get(const char *name)
{
    return getenv(name);
}

/* The tool's registry configuration, read as the tool itself reads it. */
static struct pg_regconf *regconf(const struct pg_cmd *cmd, const struct pg_fetch_opts *fo)
{
    struct pg_regconf_opts o = {0};
    char cwd[PATH_MAX];

    o.cwd = getcwd(cwd, sizeof(cwd)) ? cwd : NULL; /* NULL: every package undecidable */
    o.getenv_fn = env_get;
    o.environ = (const char *const *)environ;
    o.tool_path = fo->tool_path;
    return pg_regconf_load(cmd, &o);
}

char *pg_fetch_name_key(enum pg_eco eco, const char *name)
{
    char *norm = pg_name_normalize(eco, name);
    char *key = pg_xasprintf("%d\x1f%s", (int)eco, norm);

    free(norm);
    return key;
}

/*
 * Same package from the same index: ask once. PyPI also by spec and pin,
 * since the publisher stage looks at the version each would install.
 */
/* A spec or pin that is absent differs from an empty one (pip reads both apart). */
static const char *keypart(const char *s)
{
    return s ? s : "\x1e";
}

/*
 * A package no command installs, asked only for what a rule reads about
 * another (pg_gate's fetch_related: origin "related"): its latest
 * version's facts may be as old as the revalidation schedule allows.
 */
static int related(const struct pg_req *r)
{
    return r->origin && pg_streq(r->origin, "related") && !r->locked;
}

static size_t query_for(struct pg_fetch *f, const struct pg_req *r, const char *index,
                        const char *auth, int pre)
{
    /* A hash, not a scan: a 100,000-entry lockfile asked quadratically. */
    char *key = pg_xasprintf("%d\x1f%s\x1f%s\x1f%s\x1f%s", (int)r->eco, r->name, index,
                             r->eco == PG_ECO_NPM ? "" : keypart(r->spec),
                             r->eco == PG_ECO_NPM ? "" : keypart(r->locked));
    char *byname = pg_fetch_name_key(r->eco, r->name);
    const size_t *at = pg_strmap_get(&f->qkey, key);

    if (at) {
        if (!f->q[*at].meta && !f->q[*at].error && !related(r))
            f->q[*at].latest_pinned = 0;
        /* Pinned only while every request for it pins a version: another
         * range must see today's versions. */
        if (!f->q[*at].meta && !f->q[*at].error && !r->locked) {
            f->pins[*at].open = 1;
            f->q[*at].locked = NULL;
        } else if (!f->q[*at].meta && !f->q[*at].error &&
                   !pg_strlist_has(&f->pins[*at].v, r->locked)) {
            pg_strlist_push(&f->pins[*at].v, r->locked);
        }
        free(key);
        free(byname);
        return *at;
    }
    pg_strmap_put(&f->qkey, key, f->nq);
    if (!pg_strmap_get(&f->qname, byname))
        pg_strmap_put(&f->qname, byname, f->nq);
    free(key);
    free(byname);
    pg_xgrow((void **)&f->q, &f->qalloc, f->nq + 1, sizeof(*f->q));
    memset(&f->q[f->nq], 0, sizeof(*f->q));
    pg_xgrow((void **)&f->pins, &f->palloc, f->nq + 1, sizeof(*f->pins));
    memset(&f->pins[f->nq], 0, sizeof(*f->pins));
    f->pins[f->nq].open = !r->locked;
    if (r->locked)
        pg_strlist_push(&f->pins[f->nq].v, r->locked);
    f->q[f->nq].eco = r->eco;
    f->q[f->nq].name = r->name;
    f->q[f->nq].index = index;
    f->q[f->nq].auth = auth;
    f->q[f->nq].spec = r->spec;
    f->q[f->nq].locked = r->locked;
    f->q[f->nq].pre = pre;
    f->q[f->nq].latest_pinned = related(r);
    return f->nq++;
}

static void fail_all(struct pg_fetch *f, size_t from, const char *msg)
{
    for (size_t i = from; i < f->nq; i++)
        if (!f->q[i].meta && !f->q[i].error)
            f->q[i].error = pg_xstrdup(msg);
}

static void spin(void *arg)
{
    static const char frames[] = "|/-\\";
    struct spinner *sp = arg;
    struct timespec now;
    long ms;

    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (now.tv_sec - sp->start.tv_sec) * 1000 + (now.tv_nsec - sp->start.tv_nsec) / 1000000;
    if (ms < 300)
        return;
    fprintf(stderr, "\rpkggate: asking the registry about %zu package%s %c", sp->packages,
            sp->packages == 1 ? "" : "s", frames[sp->frame++ % 4]);
    fflush(stderr);
    sp->shown = 1;
}

struct pg_http *pg_fetch_http_open(struct pg_fetch *f, const struct pg_policy *pol,
                                   const struct pg_fetch_opts *fo)
{
    struct pg_http_opts o = {0};
    struct pg_err err = PG_ERR_INIT;

    if (f->h || f->http_error)
        return f->h;
    f->dir = pg_fetch_cache_path("http");
    o.cache_dir = f->dir;
    o.timeout_ms = (long)pg_policy_timeout(pol) * 1000;
    /* timeout is per request: the deadline bounds this run's requests together. */
    o.deadline_ms = (long)pg_policy_deadline(pol) * 1000;
    o.offline = fo->offline;
    /* A cached answer may predate a release published a minute ago, the
     * one the tool would now install: before an install, revalidate. */
    o.max_age_s = fo->revalidate ? -1 : 0;
    if (fo->spinner) {
        clock_gettime(CLOCK_MONOTONIC, &f->sp.start);
        o.progress = spin;
        o.progress_arg = &f->sp;
    }
    /* One command, one ecosystem: its tool's CA bundle. */
    o.cafile = pg_regconf_cafile(f->conf, f->q[0].eco);
    f->h = pg_http_new(&o, &err);
    if (!f->h)
        f->http_error = pg_xstrdup(err.msg);
    else
        f->mc = pg_fetch_facts_open(pol, fo);
    pg_policy_needs(pol, time(NULL), &f->needs);
    return f->h;
}

/* One parallel round for the queries from `from` on. */
static void fetch(struct pg_fetch *f, const struct pg_policy *pol, const struct pg_fetch_opts *fo,
                  size_t from)
{
    struct pg_http_req *keys = NULL;
    size_t nkeys = 0;

    if (!pg_fetch_http_open(f, pol, fo)) {
        fail_all(f, from, f->http_error);
        return;
    }
    f->sp.packages = f->nq;
    if (f->rings.n && f->needs.signatures)
        nkeys = pg_keyrings_requests(&f->rings, f->dir, f->conf, &keys);
    /* The provenance round (pg_provplan.h) reads PyPI publishers from the
     * documents it verifies: no separate, unverified round for them. */
    for (size_t i = from; i < f->nq; i++) {
        f->q[i].publishers = f->needs.publishers && !f->needs.provenance;
        f->q[i].pins = f->pins[i].open ? NULL : (const char *const *)f->pins[i].v.v;
        f->q[i].npins = f->pins[i].open ? 0 : f->pins[i].v.n;
    }
    /* npm `before` reads every version's publish time: full documents. */
    pg_registry_fetch_cached(f->h, f->mc, f->q + from, f->nq - from,
                      f->full_docs ? 0 : f->needs.settled_before, keys, nkeys);
    if (keys)
        pg_keyrings_answers(&f->rings, f->dir, keys);
    pg_fetch_round_done(f);
    free(keys);
}

void pg_fetch_round_done(struct pg_fetch *f)
{
    if (f && f->sp.shown)
        fputs("\r\033[K", stderr);
    if (f)
        f->sp.shown = 0;
}

static char *suggestions(enum pg_eco eco, const char *name)
{
    const char *near[3];
    size_t n = pg_typo_suggest(pg_typo_builtin(), eco, name, near, PG_ARRAY_SIZE(near));
    struct pg_sb sb = PG_SB_INIT;

    for (size_t i = 0; i < n; i++)
        pg_sb_addf(&sb, "%s`%s`", i ? ", " : "", near[i]);
    return pg_sb_detach(&sb);
}

/*
 * A registry the tool is configured to reach over plain http, off
 * loopback: 1 when the policy refuses it (fact->insecure names it), else
 * it is asked and remembered for the once-a-day warning.
 */
static int insecure(struct pg_fetch *f, const struct pg_policy *pol, const char *index,
                    struct pg_facts *fact)
{
    struct pg_err err = PG_ERR_INIT;

    if (!pg_streq(f->plain_index, index)) {
        free(f->plain_index);
        f->plain_index = pg_xstrdup(index);
        f->plain = 0;
        if (pg_http_url_check_plain(index, 1, NULL, &f->plain, &err) < 0)
            f->plain = 0;
    }
    if (!f->plain)
        return 0;
    if (pg_policy_insecure_registries(pol) == PG_ACT_BLOCK) {
        fact->insecure = index;
        return 1;
    }
    if (!pg_strlist_has(&f->insecure, index))
        pg_strlist_push(&f->insecure, index);
    return 0;
}

/* Queue a query on every index the tool would look in for r. */
static void plan(struct pg_fetch *f, const struct pg_policy *pol, const struct pg_req *r,
                 int pre, struct reqmap *map, struct pg_facts *fact)
{
    size_t n;

    /* Denied whatever its version: the registry has nothing to add. */
    if (r->source != PG_SRC_REGISTRY || !r->name ||
        pg_policy_denied(pol, r->eco, r->name, r->locked, NULL))
        return;
    fact->error = pg_regconf_error(f->conf, r->eco);
    if (fact->error)
        return; /* the configuration could not be read */
    /* pip --no-index gives no index: nothing is asked, name rules only. */
    n = pg_regconf_nindexes(f->conf, r->eco);
    for (size_t k = 0; k < n && k < MAX_INDEXES; k++) {
        const char *auth = NULL;
        const char *index = pg_regconf_index_at(f->conf, r->eco, r->name, k, &auth);

        if (!index)
            break;
        if (insecure(f, pol, index, fact)) {
            map->n = 0; /* refused: nothing is asked for this package */
            return;
        }
        map->q[map->n++] = query_for(f, r, index, auth, pre);
        if (r->eco == PG_ECO_NPM)
            pg_keyrings_add(&f->rings, index);
    }
}

/*
 * Several indexes: any failure leaves the package undecidable (pip would
 * have looked there too); else one merged view (pg_meta_merge).
 */
static void answer(struct pg_fetch *f, const struct reqmap *map, struct pg_facts *fact)
{
    const struct pg_meta *parts[MAX_INDEXES];
    const struct pg_registry_query *q = &f->q[map->q[0]];

    fact->meta = q->meta;
    fact->meta_digest = q->meta && q->has_digest ? q->meta_digest : NULL;
    fact->error = q->error;
    if (q->eco == PG_ECO_NPM && pg_keyrings_find(&f->rings, q->index)) {
        fact->keys = pg_keyrings_find(&f->rings, q->index)->keys;
        fact->keys_error = pg_keyrings_find(&f->rings, q->index)->error;
    }
    if (map->n < 2)
        return;
    for (size_t k = 0; k < map->n; k++) {
        q = &f->q[map->q[k]];
        if (q->error) {
            fact->meta = NULL;
            fact->error = q->error;
            return;
        }
        parts[k] = q->meta;
    }
    f->merged = pg_xrealloc(f->merged, (f->nmerged + 1) * sizeof(*f->merged));
    f->merged[f->nmerged] = pg_meta_merge(parts, map->n);
    fact->meta = f->merged[f->nmerged++];
    fact->meta_digest = NULL; /* the digest was of one index's facts */
}

/*
 * pip also takes candidates from its find-links locations and installs the
 * best version of all: fold what the local ones offer into the index's
 * answer (the versions carry local_file, which the rules name). Returns
 * what the files offer when it was folded in (caller frees), else NULL.
 */
static struct pg_meta *add_find_links(struct pg_fetch *f, const struct pg_req *r,
                                      struct pg_facts *fact)
{
    size_t n = pg_regconf_nfind_links(f->conf);
    const char **links = pg_xcalloc(n ? n : 1, sizeof(*links));
    char cwd[PATH_MAX];
    struct pg_meta *fl, *merged;
    const struct pg_meta *parts[2];

    for (size_t k = 0; k < n; k++)
        links[k] = pg_regconf_find_links(f->conf, k);
    fl = n ? pg_findlinks_meta(r->name, links, n, getcwd(cwd, sizeof(cwd)) ? cwd : NULL,
                               getenv("HOME"))
           : NULL;
    free(links);
    /* An index that failed leaves the package undecidable whatever the files say. */
    if (!fl || fact->error) {
        pg_meta_free(fl);
        return NULL;
    }
    parts[0] = fact->meta;
    parts[1] = fl;
    merged = pg_meta_merge(parts, 2);
    f->merged = pg_xrealloc(f->merged, (f->nmerged + 1) * sizeof(*f->merged));
    f->merged[f->nmerged++] = merged;
    fact->meta = merged;
    fact->meta_digest = NULL;
    return fl;
}

/*
 * The first answer about a PyPI project is what the dependency tree sees
 * of it (pg_fetch_meta): every index and find-links file, as pip sees
 * them. Takes local.
 */
static void remember(struct pg_fetch *f, const struct pg_req *r, const struct reqmap *map,
                     const struct pg_facts *fact, struct pg_meta *local)
{
    char *key = pg_fetch_name_key(r->eco, r->name);
    struct view *v;

    /* Nothing asked (denied, refused): as before, the tree gets nothing. */
    if (r->eco != PG_ECO_PYPI || (!fact->meta && !fact->error) ||
        pg_strmap_get(&f->vname, key)) {
        pg_meta_free(local);
        free(key);
        return;
    }
    pg_xgrow((void **)&f->views, &f->valloc, f->nviews + 1, sizeof(*f->views));
    v = &f->views[f->nviews];
    memset(v, 0, sizeof(*v));
    v->meta = fact->meta;
    v->error = fact->error;
    v->nq = map->n;
    memcpy(v->q, map->q, sizeof(v->q));
    v->local = local;
    pg_strmap_put(&f->vname, key, f->nviews++);
    free(key);
}

/* Plan, fetch what is new, answer: one round for reqs. */
static void round_for(struct pg_fetch *f, const struct pg_policy *pol, const struct pg_cmd *cmd,
                      const struct pg_reqlist *reqs, const struct pg_fetch_opts *fo,
                      struct pg_facts *facts)
{
    struct reqmap *map = pg_xcalloc(reqs->n ? reqs->n : 1, sizeof(*map));
    size_t from = f->nq;

    for (size_t i = 0; i < reqs->n; i++) {
        memset(&facts[i], 0, sizeof(facts[i]));
        plan(f, pol, &reqs->v[i], cmd && cmd->pre, &map[i], &facts[i]);
    }
    /* Queries from earlier rounds are answered already: never refetched. */
    if (f->nq > from)
        fetch(f, pol, fo, from);
    for (size_t i = 0; i < reqs->n; i++) {
        const struct pg_req *r = &reqs->v[i];

        struct pg_meta *local = NULL;

        if (map[i].n)
            answer(f, &map[i], &facts[i]);
        /* pip looks in its find-links locations too, even with --no-index. */
        if (r->eco == PG_ECO_PYPI && r->source == PG_SRC_REGISTRY && r->name && !facts[i].error)
            local = add_find_links(f, r, &facts[i]);
        if (r->source == PG_SRC_REGISTRY && r->name)
            remember(f, r, &map[i], &facts[i], local);
        else
            pg_meta_free(local);
        if (map[i].n == 0)
            continue;
        if (facts[i].meta && !facts[i].meta->exists) {
            char *near = suggestions(reqs->v[i].eco, reqs->v[i].name);

            pg_strlist_push(&f->suggest, near);
            facts[i].suggest = f->suggest.v[f->suggest.n - 1];
            free(near);
        }
    }
    free(map);
}

struct pg_fetch *pg_fetch_run(const struct pg_policy *pol, const struct pg_cmd *cmd,
                              const struct pg_reqlist *reqs, const struct pg_fetch_opts *fo,
                              struct pg_facts *facts)
{
    struct pg_fetch *f = pg_xcalloc(1, sizeof(*f));

    f->conf = regconf(cmd, fo);
    f->full_docs = cmd && cmd->npm_before > 0;
    round_for(f, pol, cmd, reqs, fo, facts);
    return f;
}

void pg_fetch_more(struct pg_fetch *f, const struct pg_policy *pol, const struct pg_cmd *cmd,
                   const struct pg_reqlist *reqs, const struct pg_fetch_opts *fo,
                   struct pg_facts *facts)
{
    round_for(f, pol, cmd, reqs, fo, facts);
}

void pg_fetch_free(struct pg_fetch *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nq; i++) {
        pg_registry_query_release(&f->q[i]);
        pg_strlist_release(&f->pins[i].v);
    }
    free(f->pins);
    for (size_t i = 0; i < f->nmerged; i++)
        pg_meta_free(f->merged[i]);
    free(f->merged);
    for (size_t i = 0; i < f->nviews; i++)
        pg_meta_free(f->views[i].local);
    free(f->views);
    pg_strmap_release(&f->vname);
    pg_keyrings_release(&f->rings);
    free(f->q);
    pg_strlist_release(&f->suggest);
    pg_strlist_release(&f->insecure);
    free(f->plain_index);
    pg_strmap_release(&f->qkey);
    pg_strmap_release(&f->qname);
    pg_regconf_free(f->conf);
    pg_http_free(f->h);
    pg_metacache_free(f->mc);
    free(f->dir);
    free(f->http_error);
    free(f);
}

void pg_fetch_notes(const struct pg_fetch *f, const struct pg_decide_ctx *ctx,
                    struct pg_sb *out)
{
    for (size_t i = 0; f && i < f->insecure.n; i++) {
        char *shown = pg_http_redact(f->insecure.v[i]);

        pg_sb_addf(out, "pkggate: warning: %s is plain http: its answers, and what pkggate "
                        "judges by them, can be forged on the way (\"insecure_registries\": "
                        "\"block\" refuses it)\n", shown);
        free(shown);
    }
    if (f)
        pg_keyrings_notes(&f->rings, ctx, out);
}
