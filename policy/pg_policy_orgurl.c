/*
 * The org layer fetched from the URL in the anchor, with its .minisig,
 * through pg_http and its ETag cache. Every copy, fresh or cached, goes
 * through pg_policy_orgsig_check before its text is handed on; see pg_policy.h
 * ("Signed org policy") for when the cache may stand in for the network.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_http.h"
#include "pg_policy_orgurl.h"
#include "pg_policy_schema.h"
#include "pg_util.h"
#include "banned.h"

/* How one attempt ended. */
enum got {
    GOT_OK = 0,
    GOT_BAD = -1, /* an answer came and it is not acceptable */
    GOT_NET = -2, /* no answer: transport error, timeout, 5xx, cache miss */
};

/* max_age as pg_http takes it: > 0 a fresh window, < 0 always revalidate. */
static struct pg_http *client(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
                              int64_t max_age, int offline, struct pg_err *err)
{
    struct pg_http_opts o = {0};

    o.cache_dir = paths->cache_dir;
    o.timeout_ms = (long)a->timeout * 1000;
    o.connect_timeout_ms = o.timeout_ms < PG_HTTP_DEFAULT_CONNECT_TIMEOUT_MS
                               ? o.timeout_ms
                               : PG_HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
    o.max_body = PG_POLICY_FILE_MAX;
    o.max_age_s = max_age;
    o.offline = offline;
    o.cafile = a->cafile;
    return pg_http_new(&o, err);
}

/* Check the answers; on success the policy body moves to *text. */
static enum got judge(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
                      struct pg_policy_org *org, struct pg_http_req *r, char **text, size_t *len,
                      struct pg_err *err)
{
    const char *sig = NULL;
    char *where;
    int rc = -1;

    for (size_t i = 0; i < 2; i++) {
        if (r[i].failed) {
            pg_err_set(err, "org policy %s: %s", org->source, r[i].err.msg);
            return GOT_NET;
        }
    }
    if (r[0].status != 200) {
        pg_err_set(err, "org policy %s: HTTP %ld", org->source, r[0].status);
        return GOT_BAD;
    }
    where = pg_http_redact(a->sig_url);
    if (r[1].status == 200)
        sig = r[1].body ? r[1].body : "";
    else if (r[1].status != 404 && r[1].status != 410)
        rc = pg_err_set(err, "org policy %s: HTTP %ld from %s", org->source, r[1].status, where);
    if (sig || r[1].status == 404 || r[1].status == 410)
        rc = pg_policy_orgsig_check(a, paths, org, r[0].body ? r[0].body : "", r[0].len, sig,
                                    r[1].len, where, err);
    free(where);
    if (rc < 0)
        return GOT_BAD;
    *text = r[0].body ? r[0].body : pg_xstrdup("");
    *len = r[0].len;
    r[0].body = NULL;
    return GOT_OK;
}

/* One GET of the pair (in parallel) and its verdict; *cached if any came from the cache. */
static enum got attempt(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
                        struct pg_policy_org *org, int64_t max_age, int offline, char **text,
                        size_t *len, int *cached, struct pg_err *err)
{
    struct pg_http_req r[2] = {PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT};
    struct pg_err e = PG_ERR_INIT;
    struct pg_http *h = client(a, paths, max_age, offline, &e);
    enum got rc;

    *cached = 0;
    if (!h) {
        pg_err_set(err, "org policy %s: %s", org->source, e.msg);
        return GOT_BAD;
    }
    r[0].url = a->url;
    r[1].url = a->sig_url;
    pg_http_fetch(h, r, 2);
    *cached = r[0].from_cache || r[1].from_cache;
    org->info.refreshed = r[0].from_cache ? r[0].fetched_at : (int64_t)time(NULL);
    rc = judge(a, paths, org, r, text, len, err);
    pg_http_req_release(&r[0]);
    pg_http_req_release(&r[1]);
    pg_http_free(h);
    return rc;
}

/* err's message without the "org policy NAME: " every message here starts with. */
static const char *bare(const struct pg_err *err, const struct pg_policy_org *org)
{
    const char *m = err->msg;
    size_t n = strlen("org policy ") + strlen(org->source) + 2;

    return pg_starts_with(m, "org policy ") && strlen(m) >= n &&
                   !strncmp(m + strlen("org policy "), org->source, strlen(org->source))
               ? m + n
               : m;
}

int pg_policy_orgurl_fetch(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
                           struct pg_policy_org *org, char **text, size_t *len, struct pg_err *err)
{
    struct pg_err net = PG_ERR_INIT, old = PG_ERR_INIT;
    int cached = 0;
    enum got rc;

    if (paths->offline) {
        rc = attempt(a, paths, org, -1, 1, text, len, &cached, err);
        if (rc == GOT_OK) {
            org->info.cached = 1;
            org->fetch_error = pg_xstrdup("offline");
        }
        return rc == GOT_OK ? 0 : -1;
    }
    rc = attempt(a, paths, org, a->refresh ? a->refresh : -1, 0, text, len, &cached, err);
    /* The server may have changed between the two GETs: revalidate both once. */
    if (rc == GOT_BAD && cached)
        rc = attempt(a, paths, org, -1, 0, text, len, &cached, err);
    if (rc != GOT_NET)
        return rc == GOT_OK ? 0 : -1;
    net = *err;
    rc = attempt(a, paths, org, -1, 1, text, len, &cached, &old);
    if (rc != GOT_OK)
        return pg_err_set(err, "org policy %s: %s; no usable cached copy (%s)", org->source,
                          bare(&net, org), bare(&old, org));
    org->info.cached = 1;
    org->fetch_error = pg_xstrdup(bare(&net, org));
    return 0;
}
