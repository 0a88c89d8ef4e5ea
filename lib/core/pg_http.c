/*
 * pg_http.c - parallel GETs on one curl multi handle, with the cache of
 * pg_http_cache.c and the URL rules of pg_http_url.c.
 *
 * Redirects are followed here rather than by libcurl: that is the one place
 * to apply the per-hop scheme rule and to decide, per hop, whether the
 * credentials go along. libcurl sees each hop as a fresh request on the
 * same easy handle, so connection reuse and HTTP/2 multiplexing still work.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "pg_http.h"
#include "pg_http_cache.h"
#include "pg_http_trust.h"
#include "pg_util.h"
#include "banned.h"

#ifndef PKGGATE_VERSION
#define PKGGATE_VERSION "0"
#endif

/* A transfer that outlives its own curl timeout by this much is cut off. */
#define GRACE_MS 1000

struct pg_http {
    CURLM *multi;
    CURLSH *share;
    char *cache_dir;
    struct pg_http_trust trust;
    char *user_agent;
    long connect_timeout_ms;
    long timeout_ms;
    long deadline_ms;
    int64_t deadline_at; /* now_ms() clock */
    size_t max_body;
    int64_t max_age_s;
    int offline;
    void (*progress)(void *arg);
    void *progress_arg;
};

enum { HDR_ACCEPT, HDR_AUTH, HDR_INM, HDR_IMS, HDR_MAX };

/* One request in flight. */
struct xfer {
    struct pg_http *h;
    struct pg_http_req *req;
    CURL *easy;
    char *url;        /* the current hop */
    char *key_url;    /* the request URL without userinfo */
    char *cache_path; /* NULL without a cache */
    struct pg_http_cache_entry cached;
    int have_cached;
    int cond; /* cached holds the caller's validators (if_etag), no body */
    struct pg_sb body;
    struct curl_slist hdr[HDR_MAX];
    char *hdr_text[HDR_MAX];
    char errbuf[CURL_ERROR_SIZE];
    int64_t deadline_ms;
    int by_deadline; /* deadline_ms is the client's, not the request's */
    int hops;
    int too_big;
    int dropped_auth;
    int active; /* added to the multi handle */
};

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct pg_http *pg_http_new(const struct pg_http_opts *opts, struct pg_err *err)
{
    static const struct pg_http_opts none;
    struct pg_http *h;

    if (!opts)
        opts = &none;
    if (opts->cache_dir && pg_http_cache_prepare(opts->cache_dir, err) < 0)
        return NULL;
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        pg_err_set(err, "cannot initialise the HTTP library");
        return NULL;
    }
    h = pg_xcalloc(1, sizeof(*h));
    h->multi = curl_multi_init();
    h->share = curl_share_init();
    if (!h->multi || !h->share) {
        pg_err_set(err, "cannot initialise the HTTP library");
        pg_http_free(h);
        return NULL;
    }
    /* Many requests to one registry: one connection, streams multiplexed. */
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    /* HTTP/1.1: a connection per transfer, capped per host as npm does (15). */
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 16L);
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    h->cache_dir = opts->cache_dir ? pg_xstrdup(opts->cache_dir) : NULL;
    pg_http_trust_init(&h->trust, opts->cafile);
    h->user_agent = pg_xstrdup(opts->user_agent ? opts->user_agent
                                                : "pkggate/" PKGGATE_VERSION);
    h->connect_timeout_ms = opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms
                                                         : PG_HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
    h->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : PG_HTTP_DEFAULT_TIMEOUT_MS;
    h->deadline_ms = opts->deadline_ms > 0 ? opts->deadline_ms : PG_HTTP_DEFAULT_DEADLINE_MS;
    h->deadline_at = now_ms() + h->deadline_ms;
    h->max_body = opts->max_body ? opts->max_body : PG_HTTP_DEFAULT_MAX_BODY;
    h->max_age_s = opts->max_age_s ? opts->max_age_s : PG_HTTP_DEFAULT_MAX_AGE_S;
    h->progress = opts->progress;
    h->progress_arg = opts->progress_arg;
    h->offline = opts->offline;
    return h;
}

void pg_http_free(struct pg_http *h)
{
    if (!h)
        return;
    if (h->multi)
        curl_multi_cleanup(h->multi);
    if (h->share)
        curl_share_cleanup(h->share);
    free(h->cache_dir);
    pg_http_trust_release(&h->trust);
    free(h->user_agent);
    free(h);
    curl_global_cleanup();
}

void pg_http_req_release(struct pg_http_req *req)
{
    free(req->body);
    free(req->content_type);
    free(req->final_url);
    free(req->etag);
    free(req->last_modified);
    req->body = req->content_type = req->final_url = req->etag = req->last_modified = NULL;
    req->len = 0;
    req->status = 0;
    req->from_cache = req->stale = req->failed = 0;
    req->err = (struct pg_err)PG_ERR_INIT;
}

/* Fail the request with a message; always returns -1. */
static int fail(struct xfer *x, const char *fmt, ...) PG_PRINTF(2, 3);

static int fail(struct xfer *x, const char *fmt, ...)
{
    va_list ap;

    x->req->failed = 1;
    va_start(ap, fmt);
    (void)vsnprintf(x->req->err.msg, sizeof(x->req->err.msg), fmt, ap);
    va_end(ap);
    return -1;
}

/* Out of time: the request's own timeout, or the client's whole deadline. */
static void fail_timeout(struct xfer *x, const char *host)
{
    long ms = x->h->deadline_ms;

    if (!x->by_deadline)
        fail(x, "%s: timed out after %g s", host, (double)x->h->timeout_ms / 1000);
    else if (ms % 60000 == 0)
        fail(x, "the whole check took longer than the deadline (%ldm)", ms / 60000);
    else
        fail(x, "the whole check took longer than the deadline (%gs)", (double)ms / 1000);
}

static void free_headers(struct xfer *x)
{
    for (int i = 0; i < HDR_MAX; i++) {
        /* The auth line is a secret: wipe it before it goes back to malloc. */
        if (x->hdr_text[i] && i == HDR_AUTH)
            sodium_memzero(x->hdr_text[i], strlen(x->hdr_text[i]));
        free(x->hdr_text[i]);
        x->hdr_text[i] = NULL;
    }
}

/*
 * Request headers for the current hop. The list nodes live in the xfer, not
 * in curl_slist_append() memory, so the auth line can be wiped.
 */
static void build_headers(struct xfer *x, int send_auth)
{
    struct pg_http_req *r = x->req;
    struct curl_slist *head = NULL;

    free_headers(x);
    if (r->accept)
        x->hdr_text[HDR_ACCEPT] = pg_xasprintf("Accept: %s", r->accept);
    if (r->auth && send_auth)
        x->hdr_text[HDR_AUTH] = pg_xasprintf("Authorization: %s", r->auth);
    if ((x->have_cached || x->cond) && x->cached.etag)
        x->hdr_text[HDR_INM] = pg_xasprintf("If-None-Match: %s", x->cached.etag);
    if ((x->have_cached || x->cond) && x->cached.last_modified)
        x->hdr_text[HDR_IMS] = pg_xasprintf("If-Modified-Since: %s", x->cached.last_modified);
    for (int i = HDR_MAX - 1; i >= 0; i--) {
        if (!x->hdr_text[i])
            continue;
        x->hdr[i].data = x->hdr_text[i];
        x->hdr[i].next = head;
        head = &x->hdr[i];
    }
    curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, head);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
    struct xfer *x = arg;
    size_t n = size * nmemb;

    /* Counted after decoding, so a small gzip stream cannot inflate past it. */
    if (n > x->h->max_body - x->body.len) {
        x->too_big = 1;
        return 0;
    }
    pg_sb_add(&x->body, data, n);
    return n;
}

/* Options that stay the same across hops. */
static int make_easy(struct xfer *x)
{
    struct pg_http *h = x->h;
    CURL *e = curl_easy_init();

    if (!e)
        return fail(x, "cannot initialise the HTTP library");
    x->easy = e;
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_SHARE, h->share);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_USERAGENT, h->user_agent);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    /* Do not join a DNS thread that is still stuck when the timeout hits. */
    curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->max_body);
    pg_http_trust_apply(&h->trust, e);
    return 0;
}

/* Plain http off loopback only to the origin the caller vouched for: a
 * hop from https to http, or to another host, changes it and is refused. */
static int plain_ok(const struct xfer *x, const char *url)
{
    return x->req->allow_http && pg_http_same_origin(url, x->req->url);
}

/* Point the easy handle at x->url and add it to the multi handle. */
static int start_hop(struct xfer *x)
{
    struct pg_err uerr = PG_ERR_INIT;
    int64_t left = x->deadline_ms - now_ms();
    int loopback = 0, plain = 0;
    const char *protos;

    if (pg_http_url_check_plain(x->url, plain_ok(x, x->url), &loopback, &plain, &uerr) < 0)
        return fail(x, "%s", uerr.msg);
    if (left <= 0) {
        char *host = pg_http_url_host(x->url);

        fail_timeout(x, host);
        free(host);
        return -1;
    }
    protos = loopback || plain ? "http,https" : "https";
    curl_easy_setopt(x->easy, CURLOPT_URL, x->url);
    curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, protos);
    curl_easy_setopt(x->easy, CURLOPT_REDIR_PROTOCOLS_STR, protos);
    /* A proxy cannot reach our loopback; everything else honours *_proxy. */
    curl_easy_setopt(x->easy, CURLOPT_NOPROXY, loopback ? "*" : NULL);
    curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, (long)left);
    /*
     * Over TLS, wait for the first connection to a host to learn whether it
     * speaks HTTP/2 rather than open one connection per request. Plain http
     * never multiplexes here, and waiting would queue requests behind a slow one.
     */
    curl_easy_setopt(x->easy, CURLOPT_PIPEWAIT, strncasecmp(x->url, "https:", 6) == 0 ? 1L : 0L);
    build_headers(x, pg_http_same_origin(x->url, x->req->url));
    pg_sb_reset(&x->body);
    x->too_big = 0;
    x->errbuf[0] = '\0';
    if (curl_multi_add_handle(x->h->multi, x->easy) != CURLM_OK)
        return fail(x, "cannot start the HTTP transfer");
    x->active = 1;
    return 0;
}

/* Fill the request from a cache entry (which gives up its body). */
static void serve_cached(struct xfer *x, int stale, int64_t fetched_at)
{
    struct pg_http_req *r = x->req;

    r->status = x->cached.status;
    r->body = x->cached.body;
    r->len = x->cached.len;
    x->cached.body = NULL;
    x->cached.len = 0;
    r->content_type = x->cached.content_type ? pg_xstrdup(x->cached.content_type) : NULL;
    r->final_url = pg_xstrdup(x->cached.url ? x->cached.url : x->key_url);
    r->from_cache = 1;
    r->stale = stale;
    r->fetched_at = fetched_at;
}

static int is_fresh(const struct pg_http *h, const struct pg_http_req *r,
                    const struct pg_http_cache_entry *e)
{
    int64_t age = (int64_t)time(NULL) - e->fetched_at;
    int64_t max = r->max_age_s ? r->max_age_s : h->max_age_s;

    /* An mtime in the future is not trusted to be fresh. */
    return max > 0 && age >= 0 && age < max;
}

/* Validate and look in the cache: 1 if the network is needed, 0 if served, -1 if failed. */
static int prepare(struct xfer *x)
{
    struct pg_http *h = x->h;
    struct pg_http_req *r = x->req;
    struct pg_err uerr = PG_ERR_INIT;

    if (!r->url)
        return fail(x, "no URL given");
    if (pg_http_url_check_plain(r->url, r->allow_http, NULL, NULL, &uerr) < 0)
        return fail(x, "%s", uerr.msg);
    if ((r->accept && strpbrk(r->accept, "\r\n")) || (r->auth && strpbrk(r->auth, "\r\n")))
        return fail(x, "request header holds a line break");
    x->key_url = pg_http_url_strip_userinfo(r->url);
    if (!x->key_url)
        return fail(x, "not a valid URL");
    if (h->cache_dir && !r->no_cache) {
        x->cache_path = pg_http_cache_path(h->cache_dir, x->key_url, r->accept);
        x->have_cached = pg_http_cache_load(x->cache_path, h->max_body, &x->cached, NULL) == 0;
    } else if (r->if_etag || r->if_modified) {
        x->cond = 1; /* the caller keeps what the body meant; only ask if it changed */
        x->cached.etag = r->if_etag ? pg_xstrdup(r->if_etag) : NULL;
        x->cached.last_modified = r->if_modified ? pg_xstrdup(r->if_modified) : NULL;
    }
    if (x->have_cached && (h->offline || is_fresh(h, r, &x->cached))) {
        serve_cached(x, !is_fresh(h, r, &x->cached), x->cached.fetched_at);
        return 0;
    }
    if (h->offline)
        return fail(x, "offline and not in the cache");
    x->url = pg_xstrdup(r->url);
    return 1;
}

/* A 3xx with a Location: check the next hop and start it. */
static void follow(struct xfer *x, const char *location)
{
    struct pg_err uerr = PG_ERR_INIT;
    char *next, *shown;

    if (x->hops >= PG_HTTP_MAX_REDIRECTS) {
        shown = pg_http_redact(x->req->url);
        fail(x, "more than %d redirects from %s", PG_HTTP_MAX_REDIRECTS, shown);
        free(shown);
        return;
    }
    x->hops++;
    if (pg_http_url_check_plain(location, plain_ok(x, location), NULL, NULL, &uerr) < 0) {
        shown = pg_http_redact(x->url);
        fail(x, "redirect from %s refused: %s", shown, uerr.msg);
        free(shown);
        return;
    }
    if (pg_http_same_origin(location, x->req->url)) {
        next = pg_xstrdup(location);
    } else {
        /* Another origin: neither URL userinfo nor the auth header go along. */
        next = pg_http_url_strip_userinfo(location);
        if (x->req->auth || !pg_streq(x->key_url, x->req->url))
            x->dropped_auth = 1;
    }
    free(x->url);
    x->url = next ? next : pg_xstrdup(location);
    start_hop(x);
}

/* A transport-level failure, as one line naming the host. */
static void fail_transport(struct xfer *x, CURLcode rc)
{
    char *host = pg_http_url_host(x->url), *lim = pg_fmt_size(x->h->max_body), *shown = NULL;
    curl_off_t connect_us = 0;
    const char *eb = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);

    curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
    if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        shown = pg_http_redact(x->url);
        fail(x, "%s: response larger than %s", shown, lim);
    } else if (rc == CURLE_OPERATION_TIMEDOUT && connect_us == 0 &&
               now_ms() < x->deadline_ms - 50) {
        fail(x, "%s: could not connect within %g s", host,
             (double)x->h->connect_timeout_ms / 1000);
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        fail_timeout(x, host);
    } else if (rc == CURLE_PEER_FAILED_VERIFICATION && pg_starts_with(eb, "SSL certificate problem: ")) {
        fail(x, "%s: TLS certificate problem: %s", host, eb + strlen("SSL certificate problem: "));
    } else if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR ||
               rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM) {
        fail(x, "%s: TLS error: %s", host, eb);
    } else if (rc == CURLE_PARTIAL_FILE) {
        shown = pg_http_redact(x->url);
        fail(x, "%s: response truncated (connection closed early)", shown);
    } else if (rc == CURLE_COULDNT_RESOLVE_HOST) {
        fail(x, "%s: cannot resolve host name", host);
    } else {
        fail(x, "%s: %s", host, eb);
    }
    free(shown);
    free(lim);
    free(host);
}

/* A 2xx / 404 / 410 from the network: hand it over and cache a 200. */
static void deliver(struct xfer *x, long status)
{
    struct pg_http_req *r = x->req;
    struct pg_http_cache_entry e = PG_HTTP_CACHE_ENTRY_INIT;
    struct curl_header *hh = NULL;
    char *ct = NULL;

    r->status = status;
    r->len = x->body.len;
    r->body = pg_sb_detach(&x->body);
    curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
    r->content_type = ct ? pg_xstrdup(ct) : NULL;
    r->final_url = pg_http_url_strip_userinfo(x->url);
    /* Copies: a header struct is only valid until the next lookup. */
    if (curl_easy_header(x->easy, "ETag", 0, CURLH_HEADER, -1, &hh) == CURLHE_OK)
        r->etag = pg_xstrdup(hh->value);
    if (curl_easy_header(x->easy, "Last-Modified", 0, CURLH_HEADER, -1, &hh) == CURLHE_OK)
        r->last_modified = pg_xstrdup(hh->value);
    if (status != 200 || !x->cache_path)
        return;
    e.status = status;
    e.etag = r->etag;
    e.last_modified = r->last_modified;
    e.body = r->body;
    e.len = r->len;
    e.content_type = r->content_type;
    e.url = r->final_url;
    /* A cache that cannot be written is only a slower next run. */
    (void)pg_http_cache_store(x->cache_path, &e, NULL);
}

/* One hop finished: decide between done, failed and next hop. */
static void finish(struct xfer *x, CURLcode rc)
{
    long status = 0;
    char *location = NULL, *shown;

    if (rc != CURLE_OK) {
        fail_transport(x, rc);
        return;
    }
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &location);
    if ((status == 301 || status == 302 || status == 303 || status == 307 || status == 308) &&
        location) {
        follow(x, location);
        return;
    }
    if (status == 304 && x->have_cached) {
        (void)pg_http_cache_touch(x->cache_path, NULL);
        serve_cached(x, 0, (int64_t)time(NULL)); /* the server just confirmed it */
        return;
    }
    if ((status >= 200 && status < 300) || status == 404 || status == 410 ||
        (status == 304 && x->cond)) {
        deliver(x, status);
        return;
    }
    x->req->status = status;
    shown = pg_http_redact(x->url);
    fail(x, "HTTP %ld from %s%s", status, shown,
         x->dropped_auth ? " (redirect to another host dropped credentials)" : "");
    free(shown);
}

static void xfer_release(struct xfer *x)
{
    if (x->active)
        curl_multi_remove_handle(x->h->multi, x->easy);
    if (x->easy)
        curl_easy_cleanup(x->easy);
    free_headers(x);
    pg_sb_release(&x->body);
    pg_http_cache_entry_release(&x->cached);
    free(x->url);
    free(x->key_url);
    free(x->cache_path);
}

/* Collect finished transfers; returns how many are still active. */
static size_t reap(struct pg_http *h, struct xfer *xs, size_t n)
{
    CURLMsg *msg;
    int queued;
    size_t active = 0;

    while ((msg = curl_multi_info_read(h->multi, &queued))) {
        struct xfer *x;
        char *priv = NULL;

        if (msg->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
        x = (struct xfer *)(void *)priv;
        curl_multi_remove_handle(h->multi, x->easy);
        x->active = 0;
        finish(x, msg->data.result);
    }
    /* Belt and braces for "never block past the timeout". */
    for (size_t i = 0; i < n; i++) {
        if (xs[i].active && now_ms() > xs[i].deadline_ms + GRACE_MS) {
            curl_multi_remove_handle(h->multi, xs[i].easy);
            xs[i].active = 0;
            fail_transport(&xs[i], CURLE_OPERATION_TIMEDOUT);
        }
        active += xs[i].active ? 1 : 0;
    }
    return active;
}

static void run(struct pg_http *h, struct xfer *xs, size_t n)
{
    int running = 0;

    for (;;) {
        CURLMcode mc = curl_multi_perform(h->multi, &running);

        if (mc != CURLM_OK) {
            for (size_t i = 0; i < n; i++)
                if (xs[i].active)
                    fail(&xs[i], "HTTP engine failed: %s", curl_multi_strerror(mc));
            return;
        }
        if (reap(h, xs, n) == 0)
            return;
        /* curl shortens the wait to its own next timeout. */
        curl_multi_poll(h->multi, NULL, 0, h->progress ? 100 : 1000, NULL);
        if (h->progress)
            h->progress(h->progress_arg);
    }
}

size_t pg_http_fetch(struct pg_http *h, struct pg_http_req *reqs, size_t n)
{
    struct xfer *xs = pg_xcalloc(n ? n : 1, sizeof(*xs));
    int64_t start = now_ms();
    size_t failed = 0;

    for (size_t i = 0; i < n; i++) {
        struct xfer *x = &xs[i];

        pg_http_req_release(&reqs[i]);
        x->h = h;
        x->req = &reqs[i];
        x->deadline_ms = start + h->timeout_ms;
        x->by_deadline = h->deadline_at < x->deadline_ms;
        if (x->by_deadline)
            x->deadline_ms = h->deadline_at;
        if (prepare(x) > 0 && make_easy(x) == 0)
            start_hop(x);
    }
    run(h, xs, n);
    for (size_t i = 0; i < n; i++) {
        xfer_release(&xs[i]);
        failed += reqs[i].failed ? 1 : 0;
    }
    free(xs);
    return failed;
}
