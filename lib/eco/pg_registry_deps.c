/*
 * pg_registry_deps.c - what a PyPI version depends on, from the index's
 * metadata files or its JSON API (pg_registry.h, pg_registry_fetch_deps).
 *
 * A separate stage from the listing: the versions are only known once
 * their projects' pages are read and pip's pick is made, so the tree asks
 * for them one depth at a time.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "pg_coremeta.h"
#include "pg_name.h"
#include "pg_pep508.h"
#include "pg_pypimeta.h"
#include "pg_registry.h"
#include "pg_util.h"
#include "banned.h"

enum dstage { D_DONE, D_METADATA, D_JSON };

struct djob {
    struct pg_registry_depq *q;
    enum dstage stage;
    char *url;
    const char *sha256; /* expected, for D_METADATA; NULL: none given */
};

static int has_wheel(const struct pg_meta_version *v)
{
    for (size_t i = 0; i < v->nfiles; i++)
        if (v->files[i].kind == PG_META_WHEEL)
            return 1;
    return 0;
}

/* The file whose .metadata to read: a wheel's, else any the index marks. */
static const struct pg_meta_file *metadata_file(const struct pg_meta_version *v)
{
    const struct pg_meta_file *best = NULL;

    for (size_t i = 0; i < v->nfiles; i++) {
        const struct pg_meta_file *f = &v->files[i];

        if (!f->core_metadata || !f->url)
            continue;
        if (!best || (f->kind == PG_META_WHEEL && best->kind != PG_META_WHEEL))
            best = f;
    }
    return best;
}

static void to_json(struct djob *j)
{
    free(j->url);
    j->url = pg_pypimeta_json_version_url(j->q->index, j->q->name, j->q->v->version);
    j->stage = j->url ? D_JSON : D_DONE;
    if (!j->url)
        j->q->v->deps_state = PG_DEPS_UNKNOWN;
}

static void start(struct djob *j)
{
    const struct pg_meta_file *f = metadata_file(j->q->v);

    if (!f) {
        to_json(j);
        return;
    }
    j->url = pg_xasprintf("%s.metadata", f->url);
    /* A URL fragment (#sha256=...) belongs after the path, not in it. */
    if (strchr(f->url, '#')) {
        free(j->url);
        j->url = pg_xasprintf("%.*s.metadata", (int)(strchr(f->url, '#') - f->url), f->url);
    }
    j->sha256 = pg_starts_with(f->core_metadata, "sha256=") ? f->core_metadata + 7 : NULL;
    j->stage = D_METADATA;
}

static int hash_ok(const char *want, const struct pg_http_req *r)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];

    if (!want)
        return 1;
    crypto_hash_sha256(h, (const unsigned char *)r->body, r->len);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    return strcasecmp(hex, want) == 0;
}

static int same_name(const char *a, const char *b)
{
    char *na, *nb;
    int same;

    if (!a || !b)
        return 0;
    na = pg_name_normalize(PG_ECO_PYPI, a);
    nb = pg_name_normalize(PG_ECO_PYPI, b);
    same = strcmp(na, nb) == 0;
    free(na);
    free(nb);
    return same;
}

static void keep(struct pg_meta_version *v, const struct pg_coremeta *cm)
{
    for (size_t i = 0; i < cm->requires.n; i++) {
        struct pg_pep508 r = PG_PEP508_INIT;
        const char *text = cm->requires.v[i];

        /* An unparsable line is kept whole: the tree reports it. */
        if (pg_pep508_parse(&r, text, NULL) == 0)
            pg_meta_add_dep(v, r.name, text, PG_DEP_PROD);
        else
            pg_meta_add_dep(v, text, text, PG_DEP_PROD);
        pg_pep508_release(&r);
    }
    v->deps_state = PG_DEPS_KNOWN;
}

/* Read one answer; finish the job or send it to the JSON API. */
static void advance(struct djob *j, const struct pg_http_req *r)
{
    struct pg_coremeta cm = PG_COREMETA_INIT;
    int ok = !r->failed && r->status / 100 == 2;

    if (j->stage == D_METADATA) {
        ok = ok && hash_ok(j->sha256, r) && pg_coremeta_parse(&cm, r->body, r->len, NULL) == 0 &&
             same_name(cm.name, j->q->name);
        if (ok)
            keep(j->q->v, &cm);
        else
            to_json(j);
        if (ok)
            j->stage = D_DONE;
    } else {
        ok = ok && pg_coremeta_parse_json(&cm, r->body, r->len, NULL) == 0 &&
             same_name(cm.name, j->q->name);
        if (ok && (cm.known || has_wheel(j->q->v)))
            keep(j->q->v, &cm);
        else
            j->q->v->deps_state = PG_DEPS_UNKNOWN;
        j->stage = D_DONE;
    }
    pg_coremeta_release(&cm);
}

static size_t round_trip(struct pg_http *h, struct djob *jobs, size_t n)
{
    struct pg_http_req *reqs = pg_xcalloc(n + 1, sizeof(*reqs));
    size_t *idx = pg_xcalloc(n + 1, sizeof(*idx));
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        int own = 0;

        if (jobs[i].stage == D_DONE)
            continue;
        own = pg_http_same_origin(jobs[i].url, jobs[i].q->index);
        reqs[k].url = jobs[i].url;
        reqs[k].accept = "*/*";
        reqs[k].auth = own ? jobs[i].q->auth : NULL;
        reqs[k].allow_http = own;
        idx[k++] = i;
    }
    if (k)
        pg_http_fetch(h, reqs, k);
    for (size_t i = 0; i < k; i++) {
        advance(&jobs[idx[i]], &reqs[i]);
        pg_http_req_release(&reqs[i]);
    }
    free(reqs);
    free(idx);
    return k;
}

void pg_registry_fetch_deps(struct pg_http *h, struct pg_registry_depq *q, size_t n)
{
    struct djob *jobs = pg_xcalloc(n ? n : 1, sizeof(*jobs));

    for (size_t i = 0; i < n; i++) {
        jobs[i].q = &q[i];
        if (q[i].v->deps_state == PG_DEPS_UNASKED)
            start(&jobs[i]);
    }
    /* Metadata files first; the JSON API for what they did not answer. */
    if (h) {
        round_trip(h, jobs, n);
        round_trip(h, jobs, n);
    }
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].stage != D_DONE)
            q[i].v->deps_state = PG_DEPS_UNKNOWN;
        free(jobs[i].url);
    }
    free(jobs);
}
