/*
 * pg_provround.c - one parallel round of attestation fetches, each answer
 * verified as it comes back (pg_provround.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "pg_npmmeta.h"
#include "pg_provround.h"
#include "pg_pypiprov.h"
#include "pg_util.h"
#include "banned.h"

#define ACCEPT_NPM "application/json"

/* One request: a version's npm attestations, or one PyPI file's provenance. */
struct item {
    struct pg_provround_job *job;
    const struct pg_meta_file *file; /* PyPI; NULL for npm */
};

/* How bad a state is when the files of one version disagree. */
static int severity(enum pg_prov_state s)
{
    switch (s) {
    case PG_PROV_INVALID:
        return 4;
    case PG_PROV_UNAVAILABLE:
        return 3;
    case PG_PROV_UNSUPPORTED:
        return 2;
    default:
        return 1;
    }
}

/* Fold one answer into the version: the worst state wins, with its reason. */
static void fold(struct pg_meta_version *v, enum pg_prov_state s, const char *detail)
{
    if (severity(s) <= severity(v->prov))
        return;
    v->prov = s;
    free(v->prov_detail);
    v->prov_detail = detail ? pg_xstrdup(detail) : NULL;
}

static void set_state(struct pg_meta_version *v, enum pg_prov_state s, const char *detail)
{
    v->prov = s;
    free(v->prov_detail);
    v->prov_detail = detail ? pg_xstrdup(detail) : NULL;
}

/*
 * How many requests j's version needs (npm: its attestations; PyPI: each
 * file's provenance); 0 when it is settled without asking, as *state,
 * with why saying why when there is something to say ("" otherwise).
 */
static size_t to_ask(const struct pg_provround_job *j, enum pg_prov_state *state, char *why,
                     size_t cap)
{
    const struct pg_meta_version *v = j->v;

    *state = PG_PROV_ABSENT;
    why[0] = '\0';
    if (j->eco == PG_ECO_NPM)
        return v->attestations_url ? 1 : 0;
    if (v->nfiles == 0)
        return 0;
    for (size_t i = 0; i < v->nfiles; i++)
        if (!v->files[i].provenance_url) {
            /* pip may install exactly that file */
            snprintf(why, cap, "%s has no provenance",
                     v->files[i].filename ? v->files[i].filename : "one of its files");
            return 0;
        }
    if (v->nfiles > PG_PROVROUND_MAX_FILES) {
        *state = PG_PROV_UNSUPPORTED;
        snprintf(why, cap, "%zu files, more than pkggate verifies one by one (%d)", v->nfiles,
                 PG_PROVROUND_MAX_FILES);
        return 0;
    }
    return v->nfiles;
}

static int unchecked(const struct pg_provround_job *j)
{
    return j->v && j->v->prov == PG_PROV_UNCHECKED;
}

int pg_provround_needs_root(const struct pg_provround_job *jobs, size_t n)
{
    enum pg_prov_state st;
    char why[PG_ERR_MSG_MAX];

    for (size_t i = 0; i < n; i++)
        if (unchecked(&jobs[i]) && to_ask(&jobs[i], &st, why, sizeof(why)))
            return 1;
    return 0;
}

/* Queue the requests for one job; settles the version when nothing is to be asked. */
static void plan(struct pg_provround_job *j, const char *root_error, struct item *items,
                 size_t *k)
{
    struct pg_meta_version *v = j->v;
    enum pg_prov_state st;
    char why[PG_ERR_MSG_MAX];
    size_t nfiles;

    if (!unchecked(j))
        return;
    nfiles = to_ask(j, &st, why, sizeof(why));
    if (!nfiles) {
        set_state(v, st, why[0] ? why : NULL);
        return;
    }
    if (root_error) {
        set_state(v, PG_PROV_UNAVAILABLE, root_error);
        return;
    }
    /* VERIFIED until an answer says worse (fold). */
    set_state(v, PG_PROV_VERIFIED, NULL);
    for (size_t i = 0; i < nfiles; i++) {
        items[*k].job = j;
        items[*k].file = j->eco == PG_ECO_NPM ? NULL : &v->files[i];
        (*k)++;
    }
}

static void request_for(const struct item *it, struct pg_http_req *r)
{
    const struct pg_provround_job *j = it->job;

    r->url = it->file ? it->file->provenance_url : j->v->attestations_url;
    r->accept = it->file ? PG_PYPIPROV_ACCEPT : ACCEPT_NPM;
    /* The index's credentials are for the index's origin only. */
    if (j->index && pg_http_same_origin(r->url, j->index)) {
        r->auth = j->auth;
        r->allow_http = 1;
    }
}

/*
 * The publisher the provenance document names must be who the certificate
 * says signed: a document whose claims and signature disagree is forged.
 */
static int claims_match(const struct pg_pypiprov *p, const struct pg_sigstore_identity *id,
                        char *why, size_t n)
{
    char *want;
    int ok = 1;

    if (!p->kind || !p->repository ||
        (strcasecmp(p->kind, "GitHub") != 0 && strcasecmp(p->kind, "GitLab") != 0))
        return 1; /* Google and others name no repository to compare */
    want = pg_xasprintf("%s.com/%s", strcasecmp(p->kind, "GitHub") == 0 ? "github" : "gitlab",
                        p->repository);
    if (!id->repository || strcasecmp(want, id->repository) != 0)
        ok = 0;
    else if (strcasecmp(p->kind, "GitHub") == 0 && p->workflow && id->workflow &&
             strcmp(p->workflow, id->workflow) != 0)
        ok = 0;
    if (!ok)
        snprintf(why, n, "the index names publisher %s (workflow %s) but the attestation was "
                 "signed by %s (workflow %s)", want, p->workflow ? p->workflow : "?",
                 id->repository ? id->repository : "?", id->workflow ? id->workflow : "?");
    free(want);
    return ok;
}

/* PyPI: verify one file's provenance and take the publisher it states. */
static enum pg_sigstore_result pypi_check(const struct pg_sigstore_root *root,
                                          const struct item *it, const struct pg_http_req *r,
                                          struct pg_sigstore_identity *id, struct pg_err *err)
{
    struct pg_meta_version *v = it->job->v;
    struct pg_pypiprov p = PG_PYPIPROV_INIT;
    unsigned char sha[32];
    size_t got = 0;
    enum pg_sigstore_result res;

    if (!it->file->filename || !it->file->sha256 ||
        sodium_hex2bin(sha, sizeof(sha), it->file->sha256, strlen(it->file->sha256), NULL, &got,
                       NULL) != 0 ||
        got != sizeof(sha)) {
        pg_err_set(err, "the index states no sha256 for %s",
                   it->file->filename ? it->file->filename : "a file");
        return PG_SIGSTORE_INVALID;
    }
    res = pg_sigstore_verify_pypi(root, r->body, r->len, it->file->filename, sha, id, err);
    if (res != PG_SIGSTORE_OK)
        return res;
    if (pg_pypiprov_parse(&p, r->body, r->len, err) < 0)
        return PG_SIGSTORE_INVALID;
    if (!claims_match(&p, id, err->msg, sizeof(err->msg)))
        res = PG_SIGSTORE_INVALID;
    else if (!v->publisher) {
        v->publisher = p.identity;
        v->publisher_workflow = p.workflow;
        p.identity = p.workflow = NULL;
    }
    pg_pypiprov_release(&p);
    return res;
}

/*
 * npm: the registry refuses a provenance publish whose package.json
 * "repository" is not the repository that built it; a version served with
 * another one is not what was attested. A repository pkggate cannot read
 * as host/owner/repo is not compared.
 */
static enum pg_sigstore_result npm_repo(const struct pg_meta_version *v,
                                        const struct pg_sigstore_identity *id, struct pg_err *err)
{
    char want[600];

    if (!v->repository || !id->repository || !pg_npmmeta_repo(v->repository, want, sizeof(want)) ||
        strcasecmp(want, id->repository) == 0)
        return PG_SIGSTORE_OK;
    pg_err_set(err, "the attestation was built by %s but package.json names the repository %s",
               id->repository, want);
    return PG_SIGSTORE_INVALID;
}

static void answer(const struct pg_sigstore_root *root, const struct item *it,
                   const struct pg_http_req *r)
{
    struct pg_meta_version *v = it->job->v;
    struct pg_sigstore_identity id = PG_SIGSTORE_IDENTITY_INIT;
    struct pg_err err = PG_ERR_INIT;
    enum pg_sigstore_result res;

    if (r->failed || r->status != 200) {
        if (!r->failed)
            pg_err_set(&err, "the registry answered HTTP %ld for its attestations", r->status);
        fold(v, PG_PROV_UNAVAILABLE, r->failed ? r->err.msg : err.msg);
        return;
    }
    if (it->file) {
        res = pypi_check(root, it, r, &id, &err);
    } else if (!v->integrity) {
        pg_err_set(&err, "the registry states no integrity to verify it against");
        res = PG_SIGSTORE_INVALID;
    } else {
        res = pg_sigstore_verify_npm(root, r->body, r->len, it->job->name, v->version,
                                     v->integrity, &id, &err);
        if (res == PG_SIGSTORE_OK)
            res = npm_repo(v, &id, &err);
    }
    if (res == PG_SIGSTORE_OK && !v->prov_repository) {
        /* A non-repository identity (a Google service account) is its SAN. */
        v->prov_repository = pg_xstrdup(id.repository ? id.repository : id.san ? id.san : "?");
        v->prov_workflow = id.workflow ? pg_xstrdup(id.workflow) : NULL;
    }
    if (res == PG_SIGSTORE_INVALID)
        fold(v, PG_PROV_INVALID, err.msg);
    else if (res == PG_SIGSTORE_UNSUPPORTED)
        fold(v, PG_PROV_UNSUPPORTED, err.msg);
    pg_sigstore_identity_release(&id);
}

void pg_provround_run(struct pg_http *h, const struct pg_sigstore_root *root,
                      const char *root_error, struct pg_provround_job *jobs, size_t n)
{
    size_t cap = 0, k = 0;
    struct item *items;
    struct pg_http_req *reqs;

    for (size_t i = 0; i < n; i++)
        cap += jobs[i].v ? (jobs[i].v->nfiles ? jobs[i].v->nfiles : 1) : 0;
    items = pg_xcalloc(cap + 1, sizeof(*items));
    if (!root && !root_error)
        root_error = "no trusted root";
    for (size_t i = 0; i < n; i++)
        plan(&jobs[i], root ? NULL : root_error, items, &k);
    reqs = pg_xcalloc(k + 1, sizeof(*reqs));
    for (size_t i = 0; i < k; i++)
        request_for(&items[i], &reqs[i]);
    if (k)
        pg_http_fetch(h, reqs, k);
    for (size_t i = 0; i < k; i++) {
        answer(root, &items[i], &reqs[i]);
        pg_http_req_release(&reqs[i]);
    }
    free(reqs);
    free(items);
}
