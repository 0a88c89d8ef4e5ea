/*
 * pg_registry.c - metadata for every package of a command (pg_registry.h).
 *
 * Each package is a small state machine (a "job" moving through stages) so
 * that all of them can share each parallel pg_http round: a command with
 * fifty packages costs a few round trips, not fifty.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_metacache.h"
#include "pg_npmmeta.h"
#include "pg_pep440.h"
#include "pg_pypimeta.h"
#include "pg_pypiprov.h"
#include "pg_par.h"
#include "pg_registry.h"
#include "pg_util.h"
#include "banned.h"

enum stage { DONE, NPM_CORGI, NPM_FULL, PYPI_SIMPLE, PYPI_JSON };

struct job {
    struct pg_registry_query *q;
    enum stage stage;
    char *url;
    struct pg_metacache_rec rec; /* the facts last recorded for url, if any */
};

static void set_error(struct pg_registry_query *q, const char *msg)
{
    free(q->error);
    q->error = pg_xstrdup(msg);
}

/* The abbreviated npm document first only when it can be enough. */
static void start(struct job *j, int64_t settled_before)
{
    struct pg_registry_query *q = j->q;

    if (q->eco == PG_ECO_NPM) {
        j->stage = settled_before > 0 ? NPM_CORGI : NPM_FULL;
        j->url = pg_npmmeta_url(q->index, q->name);
    } else {
        j->stage = PYPI_SIMPLE;
        j->url = pg_pypimeta_simple_url(q->index, q->name);
    }
}

static const char *accept_for(enum stage s)
{
    switch (s) {
    case NPM_CORGI:
        return PG_NPM_ACCEPT_CORGI;
    case NPM_FULL:
        return PG_NPM_ACCEPT_FULL;
    case PYPI_SIMPLE:
        return PG_PYPI_ACCEPT_SIMPLE;
    default:
        return "application/json";
    }
}

static int has_times(const struct pg_meta *m)
{
    for (size_t i = 0; i < m->nversions; i++)
        if (m->versions[i].published >= 0)
            return 1;
    return 0;
}

/* The corgi is enough when nothing changed since before the cut-off. */
static int corgi_settles(struct pg_meta *m, int64_t settled_before)
{
    if (settled_before <= 0)
        return 0;
    if (has_times(m))
        return 1; /* some registries (Verdaccio) include time in the corgi */
    if (m->modified < 0 || m->modified > settled_before)
        return 0;
    for (size_t i = 0; i < m->nversions; i++)
        m->versions[i].published = m->modified;
    return 1;
}

static void next_pypi_json(struct job *j, const char *why)
{
    char *url = pg_pypimeta_json_url(j->q->index, j->q->name);

    if (!url) {
        set_error(j->q, why);
        j->stage = DONE;
        return;
    }
    free(j->url);
    j->url = url;
    j->stage = PYPI_JSON;
}

static struct pg_meta *parse(struct job *j, const struct pg_http_req *r, struct pg_err *err)
{
    const char *name = j->q->name;

    switch (j->stage) {
    case NPM_CORGI:
    case NPM_FULL:
        return pg_npmmeta_parse(name, r->body, r->len, err);
    case PYPI_SIMPLE:
        /* Relative links resolve against where the page really is. */
        return pg_pypimeta_parse_simple(name, r->final_url ? r->final_url : j->url, r->body,
                                        r->len, err);
    case PYPI_JSON:
        return pg_pypimeta_parse_jsonapi(name, r->body, r->len, err);
    case DONE:
        break;
    }
    return NULL;
}

static int has_json_api(const struct pg_registry_query *q)
{
    char *url = pg_pypimeta_json_url(q->index, q->name);
    int yes = url != NULL;

    free(url);
    return yes;
}

/* The facts' digest, for whoever keeps verdicts by it (pg_facts.meta_digest). */
static void take_digest(struct pg_registry_query *q, const unsigned char *d)
{
    memcpy(q->meta_digest, d, sizeof(q->meta_digest));
    q->has_digest = 1;
}

/* What the stage's document said (m, taken): finish the job or move it on. */
static void settle(struct job *j, struct pg_meta *m, int64_t settled_before)
{
    if (j->stage == NPM_CORGI && !corgi_settles(m, settled_before)) {
        pg_meta_free(m);
        j->stage = NPM_FULL;
        return;
    }
    if (j->stage == PYPI_SIMPLE && m->nversions && !has_times(m) && has_json_api(j->q)) {
        pg_meta_free(m);
        next_pypi_json(j, "");
        return;
    }
    j->q->meta = m;
    j->stage = DONE;
}

/*
 * Answer the job from its facts records while they are current (stage
 * after stage: the abbreviated document's record may send it on to the
 * full one's). 1 when it still needs the network, with rec holding the
 * validators of what is recorded (or nothing).
 */
static int from_facts(struct job *j, struct pg_metacache *mc, int64_t settled_before,
                      int64_t now)
{
    const char *const *pins = j->q->npins ? j->q->pins : &j->q->locked;
    size_t npins = j->q->npins ? j->q->npins : j->q->locked != NULL;

    while (j->stage != DONE) {
        struct pg_meta *m;
        int cur = 0;

        if (pg_metacache_load(mc, j->url, accept_for(j->stage), j->q->name, pins, npins, now,
                              &j->rec) == 0)
            cur = pg_metacache_current(mc, &j->rec, pins, npins, now);
        if (!cur && j->q->latest_pinned && j->rec.meta && j->rec.meta->latest)
            cur = pg_metacache_current(mc, &j->rec, (const char *const *)&j->rec.meta->latest,
                                       1, now);
        if (!cur)
            return 1;
        j->q->on_schedule |= cur == 2;
        take_digest(j->q, j->rec.digest);
        m = j->rec.meta;
        j->rec.meta = NULL;
        settle(j, m, settled_before);
    }
    return 0;
}

/* Look at one answer; either finish the job or move it to its next stage. */
static void advance(struct job *j, const struct pg_http_req *r, int64_t settled_before,
                    struct pg_metacache *mc)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_meta *m;

    if (r->failed) {
        set_error(j->q, r->err.msg);
        j->stage = DONE;
        return;
    }
    /* The index listed the project; its JSON API lacking it is no answer. */
    if (j->stage == PYPI_JSON && (r->status == 404 || r->status == 410)) {
        set_error(j->q, "the index lists no upload times and has no JSON API for it");
        j->stage = DONE;
        return;
    }
    if (r->status == 404 || r->status == 410) {
        j->q->meta = pg_meta_new(j->q->eco, j->q->name);
        j->q->meta->exists = 0;
        j->stage = DONE;
        return;
    }
    /* Our validators (304), or the very document the record was read
     * from: unchanged, and so are its facts. */
    if ((r->status == 304 && j->rec.meta) || (mc && pg_metacache_unchanged(&j->rec, r))) {
        pg_metacache_touch(mc, j->url, accept_for(j->stage));
        take_digest(j->q, j->rec.digest);
        m = j->rec.meta;
        j->rec.meta = NULL;
        settle(j, m, settled_before);
        return;
    }
    if (j->stage == PYPI_SIMPLE && !pg_pypimeta_is_json(r->content_type)) {
        next_pypi_json(j, "the index answers only in HTML and has no JSON API");
        return;
    }
    m = parse(j, r, &err);
    if (!m) {
        set_error(j->q, err.msg);
        j->stage = DONE;
        return;
    }
    /* Recorded as parsed, before settle() adjusts it for this run. */
    if (mc && r->status == 200) {
        pg_metacache_store(mc, j->url, accept_for(j->stage), m, r, &j->rec,
                           j->q->meta_digest);
        j->q->has_digest = 1;
    }
    settle(j, m, settled_before);
}

/* The facts records of a round's jobs, loaded on every core (pg_par.h). */
struct facts_pass {
    struct job *jobs;
    size_t n;
    struct pg_metacache *mc;
    int64_t settled_before, now;
    unsigned char *net;   /* net[i]: job i still needs the network */
    unsigned char *early; /* early[i]: job i was looked at before the pass */
};

/* Each job touches only its own query and records: safe in parallel. */
static void facts_one(void *arg, size_t i)
{
    struct facts_pass *p = arg;

    if (p->early[i])
        return;
    p->net[i] = p->jobs[i].stage != DONE &&
                (!p->mc || from_facts(&p->jobs[i], p->mc, p->settled_before, p->now));
}

/* A thread per this many jobs at most: below it, starting one costs more than it saves. */
#define FACTS_PER_THREAD 32

static void facts_all(void *arg)
{
    struct facts_pass *p = arg;

    pg_par_for(p->n, FACTS_PER_THREAD, facts_one, p);
}

/* Whether job j must ask whatever its records say (npm install's own new package). */
static int must_ask(const struct pg_metacache *mc, const struct job *j)
{
    const struct pg_registry_query *q = j->q;

    return j->stage != DONE &&
           (!mc || !pg_metacache_may_answer(mc, q->npins || q->locked || q->latest_pinned));
}

/* Requests sent together: reqs[0..k) for jobs idx[0..k), then nextra of the caller's. */
struct batch {
    struct pg_http *h;
    struct pg_http_req *reqs;
    size_t *idx;
    size_t k, nextra;
};

static void batch_add(struct batch *b, struct job *j, size_t i, struct pg_metacache *mc)
{
    struct pg_http_req *r = &b->reqs[b->k];

    if (mc) {
        /* The facts replace the document: the HTTP cache keeps no copy
         * (offline, what was cached before the facts is still read). */
        r->no_cache = !pg_metacache_offline(mc);
        r->if_etag = j->rec.etag;
        r->if_modified = j->rec.last_modified;
    }
    r->url = j->url;
    r->accept = accept_for(j->stage);
    r->auth = j->q->auth;
    /* The index is the tool's own configuration: its scheme is the person's choice. */
    r->allow_http = pg_http_same_origin(j->url, j->q->index);
    b->idx[b->k++] = i;
}

/* A request of b that got no answer at all from url's origin (DNS, connect, timeout), or NULL. */
static const struct pg_http_req *unreachable(const struct batch *b, const char *url)
{
    for (size_t i = 0; i < b->k + b->nextra; i++)
        if (b->reqs[i].failed && b->reqs[i].status == 0 &&
            pg_http_same_origin(b->reqs[i].url, url))
            return &b->reqs[i];
    return NULL;
}

static void batch_send(void *arg)
{
    struct batch *b = arg;

    if (b->k + b->nextra)
        pg_http_fetch(b->h, b->reqs, b->k + b->nextra);
}

static void batch_finish(struct batch *b, struct job *jobs, int64_t settled_before,
                         struct pg_metacache *mc)
{
    for (size_t i = 0; i < b->k; i++) {
        advance(&jobs[b->idx[i]], &b->reqs[i], settled_before, mc);
        pg_metacache_rec_release(&jobs[b->idx[i]].rec);
        pg_http_req_release(&b->reqs[i]);
    }
    free(b->reqs);
    free(b->idx);
}

/*
 * One parallel round over every job not yet done, with the caller's extra
 * requests riding along; returns how many jobs ran. What must ask anyway
 * (its record gives only validators) leaves first, with the extras, and
 * is on the wire while the other records load; what they cannot answer
 * is asked after.
 */
static size_t round_trip(struct pg_http *h, struct pg_metacache *mc, struct job *jobs, size_t n,
                         int64_t settled_before, struct pg_http_req *extra, size_t nextra)
{
    struct facts_pass fp = {jobs,          n, mc, settled_before, (int64_t)time(NULL),
                            pg_xcalloc(n + 1, 1), pg_xcalloc(n + 1, 1)};
    struct batch first = {h, pg_xcalloc(n + nextra + 1, sizeof(struct pg_http_req)),
                          pg_xcalloc(n + 1, sizeof(size_t)), 0, nextra};
    struct batch then = {h, pg_xcalloc(n + 1, sizeof(struct pg_http_req)),
                         pg_xcalloc(n + 1, sizeof(size_t)), 0, 0};
    size_t ran;

    for (size_t i = 0; i < n; i++) {
        if (!must_ask(mc, &jobs[i]))
            continue;
        facts_one(&fp, i);
        fp.early[i] = 1;
        if (fp.net[i])
            batch_add(&first, &jobs[i], i, mc);
    }
    for (size_t i = 0; i < nextra; i++)
        first.reqs[first.k + i] = extra[i];
    if (first.k + first.nextra)
        pg_par_two(batch_send, &first, facts_all, &fp);
    else
        facts_all(&fp);
    for (size_t i = 0; i < nextra; i++)
        extra[i] = first.reqs[first.k + i]; /* results go back to the caller */
    for (size_t i = 0; i < n; i++) {
        const struct pg_http_req *dead;

        if (fp.early[i] || !fp.net[i])
            continue;
        /* A registry that did not answer is not waited for twice. */
        dead = unreachable(&first, jobs[i].url);
        if (dead) {
            set_error(jobs[i].q, dead->err.msg);
            jobs[i].stage = DONE;
            pg_metacache_rec_release(&jobs[i].rec);
        } else {
            batch_add(&then, &jobs[i], i, mc);
        }
    }
    batch_send(&then);
    ran = first.k + then.k;
    batch_finish(&first, jobs, settled_before, mc);
    batch_finish(&then, jobs, settled_before, mc);
    free(fp.net);
    free(fp.early);
    return ran;
}

/* The version pip would install; NULL when none (the policy says why). */
static struct pg_meta_version *to_install(const struct pg_registry_query *q)
{
    const struct pg_meta_version *v;

    if (q->locked)
        v = pg_meta_find(q->meta, q->locked);
    else
        v = q->target ? pg_pep440_pick_for(q->meta, q->spec ? q->spec : "", q->target, 0, NULL)
                      : pg_pep440_pick(q->meta, q->spec ? q->spec : "", q->pre, 0, NULL);
    return v ? &q->meta->versions[v - q->meta->versions] : NULL;
}

/* The latest release published before mv that has provenance, or NULL. */
static struct pg_meta_version *attested_before(struct pg_meta *m, const struct pg_meta_version *mv)
{
    struct pg_meta_version *best = NULL;

    for (size_t i = 0; i < m->nversions; i++) {
        struct pg_meta_version *w = &m->versions[i];

        if (w == mv || !w->provenance_url || w->published < 0 || w->published >= mv->published)
            continue;
        if (!best || w->published > best->published)
            best = w;
    }
    return best;
}

/* The two versions whose publishers q needs; 0 when there is nothing to compare. */
static int publisher_pair(const struct pg_registry_query *q, struct pg_meta_version *pair[2])
{
    if (!q->publishers || q->eco != PG_ECO_PYPI || !q->meta || !q->meta->exists)
        return 0;
    pair[0] = to_install(q);
    /* publisher_change needs the version's publish time and an earlier
     * attested release; without them the fetch would be for nothing. */
    if (!pair[0] || !pair[0]->provenance_url || pair[0]->published < 0)
        return 0;
    pair[1] = attested_before(q->meta, pair[0]);
    return pair[1] != NULL;
}

/* Fill v's publisher from its provenance answer; leave it NULL on any failure. */
static void take_publisher(struct pg_meta_version *v, const struct pg_http_req *r)
{
    struct pg_pypiprov p = PG_PYPIPROV_INIT;

    if (r->failed || r->status / 100 != 2 || pg_pypiprov_parse(&p, r->body, r->len, NULL) < 0)
        return;
    free(v->publisher);
    free(v->publisher_workflow);
    v->publisher = p.identity;
    v->publisher_workflow = p.workflow;
    p.identity = p.workflow = NULL;
    pg_pypiprov_release(&p);
}

/* The publisher stage (see the header): one parallel round for every query. */
static void fetch_publishers(struct pg_http *h, struct pg_registry_query *q, size_t n)
{
    struct pg_http_req *reqs = pg_xcalloc(2 * n + 1, sizeof(*reqs));
    struct pg_meta_version **vs = pg_xcalloc(2 * n + 1, sizeof(*vs));
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        struct pg_meta_version *pair[2];

        if (!publisher_pair(&q[i], pair))
            continue;
        for (int j = 0; j < 2; j++) {
            vs[k] = pair[j];
            reqs[k].url = pair[j]->provenance_url;
            reqs[k].accept = PG_PYPIPROV_ACCEPT;
            /* The index's credentials are for the index's origin only. */
            if (q[i].auth && pg_http_same_origin(pair[j]->provenance_url, q[i].index))
                reqs[k].auth = q[i].auth;
            reqs[k].allow_http = pg_http_same_origin(pair[j]->provenance_url, q[i].index);
            k++;
        }
    }
    if (k)
        pg_http_fetch(h, reqs, k);
    for (size_t i = 0; i < k; i++) {
        take_publisher(vs[i], &reqs[i]);
        pg_http_req_release(&reqs[i]);
    }
    free(reqs);
    free(vs);
}

void pg_registry_fetch(struct pg_http *h, struct pg_registry_query *q, size_t n,
                       int64_t settled_before, struct pg_http_req *extra, size_t nextra)
{
    pg_registry_fetch_cached(h, NULL, q, n, settled_before, extra, nextra);
}

void pg_registry_fetch_cached(struct pg_http *h, struct pg_metacache *mc,
                              struct pg_registry_query *q, size_t n, int64_t settled_before,
                              struct pg_http_req *extra, size_t nextra)
{
    struct job *jobs = pg_xcalloc(n ? n : 1, sizeof(*jobs));

    for (size_t i = 0; i < n; i++) {
        jobs[i].q = &q[i];
        start(&jobs[i], settled_before);
    }
    /* At most three rounds: npm corgi -> full; PyPI simple -> JSON API. */
    round_trip(h, mc, jobs, n, settled_before, extra, nextra);
    for (int r = 1; r < 3 && round_trip(h, mc, jobs, n, settled_before, NULL, 0); r++)
        ;
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].stage != DONE && !q[i].meta && !q[i].error)
            set_error(&q[i], "the registry did not settle on an answer");
        free(jobs[i].url);
        pg_metacache_rec_release(&jobs[i].rec);
    }
    free(jobs);
    fetch_publishers(h, q, n);
}

struct pg_meta *pg_registry_peek_npm(struct pg_metacache *mc, const char *index,
                                     const char *name)
{
    static const enum stage order[] = {NPM_FULL, NPM_CORGI};
    struct pg_metacache_rec rec = PG_METACACHE_REC_INIT;
    struct pg_meta *m = NULL;
    char *url;

    if (!mc)
        return NULL;
    url = pg_npmmeta_url(index, name);
    for (size_t i = 0; !m && i < PG_ARRAY_SIZE(order); i++)
        if (pg_metacache_load(mc, url, accept_for(order[i]), name, NULL, 0, (int64_t)time(NULL),
                              &rec) == 0) {
            m = rec.meta;
            rec.meta = NULL;
        }
    pg_metacache_rec_release(&rec);
    free(url);
    return m;
}

void pg_registry_query_release(struct pg_registry_query *q)
{
    pg_meta_free(q->meta);
    free(q->error);
    q->meta = NULL;
    q->error = NULL;
    q->on_schedule = 0;
    q->has_digest = 0;
}
