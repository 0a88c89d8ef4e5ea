/*
 * pg_http.h - parallel HTTPS GETs with an on-disk ETag cache (libcurl).
 *
 * One struct pg_http per pkggate run. It owns a curl multi handle (HTTP/2
 * multiplexing, so n requests to one registry share one connection and cost
 * one round trip of wall time) and a curl share handle (DNS and TLS
 * sessions; connections are pooled by the multi handle itself and live as
 * long as the struct pg_http). Not thread-safe: use it from one thread.
 *
 *     struct pg_http_opts o = { .cache_dir = dir };
 *     struct pg_http *h = pg_http_new(&o, &err);
 *     struct pg_http_req r[2] = { PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT };
 *     r[0].url = "https://registry.npmjs.org/lodash";
 *     r[1].url = "https://registry.npmjs.org/left-pad";
 *     pg_http_fetch(h, r, 2);
 *     ... r[i].failed ? r[i].err.msg : r[i].status / r[i].body ...
 *     pg_http_req_release(&r[0]); pg_http_req_release(&r[1]);
 *     pg_http_free(h);
 *
 * Safety rules applied to every URL, including each redirect hop:
 *  - https only, except plain http to loopback hosts (127.0.0.0/8, ::1,
 *    localhost), which the test fixtures and local mirrors use, and plain
 *    http to the request's own origin when the caller sets allow_http (a
 *    registry the tool's own configuration names over http: company
 *    Verdaccio, Nexus, devpi); anything else fails with a clear error before
 *    any byte is sent. So a redirect from https to http, or to another host
 *    over http, is always refused. Loopback requests
 *    never go through a proxy; other requests honour the usual proxy
 *    environment variables (libcurl's default).
 *  - redirects are followed by this module (at most 5), not by libcurl, so
 *    the scheme rule above is checked per hop. The Authorization header and
 *    URL userinfo are sent only to the request's own origin (scheme, host,
 *    port); a hop to another origin goes without them (curl's
 *    CREDENTIALS.md rule).
 *  - bodies are capped at max_body bytes after content decoding (gzip is
 *    accepted), checked from Content-Length up front and while receiving.
 *  - no message ever contains userinfo, a query string or the auth value:
 *    URLs in messages go through pg_http_redact().
 *
 * The cache (see pg_http_cache.h) keys on URL + Accept, keeps only 200
 * responses, and never stores request headers, so no credential is written
 * to disk. A response fetched with credentials is cached like any other,
 * in a directory only the user can read.
 */
#ifndef PG_HTTP_H
#define PG_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "pg_err.h"

struct pg_http;

/* Every field is optional; 0 / NULL picks the default in brackets. */
struct pg_http_opts {
    const char *cache_dir;   /* [NULL: no cache] created 0700 if missing */
    long connect_timeout_ms; /* [5000] */
    long timeout_ms;         /* [20000] whole request, redirects included */
    long deadline_ms;        /* [120000] all requests of this client together,
                                counted from pg_http_new */
    size_t max_body;         /* [64 MiB] decoded body size limit */
    int64_t max_age_s;       /* [300] younger cache entries skip the network;
                                negative: always revalidate */
    int offline;             /* serve only from the cache, any age */
    const char *cafile;      /* [the system's CAs] PEM file of trusted CAs */
    const char *user_agent;  /* ["pkggate/<version>"] */
    /* [NULL] called about every 100 ms while requests are in flight, from
     * the fetching thread (a spinner for slow checks) */
    void (*progress)(void *arg);
    void *progress_arg;
};

#define PG_HTTP_DEFAULT_CONNECT_TIMEOUT_MS 5000L
#define PG_HTTP_DEFAULT_TIMEOUT_MS         20000L
#define PG_HTTP_DEFAULT_DEADLINE_MS        120000L
#define PG_HTTP_DEFAULT_MAX_BODY           ((size_t)64 << 20)
#define PG_HTTP_DEFAULT_MAX_AGE_S          300
#define PG_HTTP_MAX_REDIRECTS              5

/*
 * One GET. The caller fills the inputs (borrowed until pg_http_fetch
 * returns); pg_http_fetch fills the results, which the struct owns until
 * pg_http_req_release().
 */
struct pg_http_req {
    /* inputs */
    const char *url;
    const char *accept; /* Accept header value, or NULL for curl's default */
    const char *auth;   /* whole Authorization header value, or NULL; a
                           secret: never logged, never cached, own origin only */
    /* results */
    long status;        /* final HTTP status (200, 404, ...); 0 if none */
    char *body;         /* NUL-terminated for convenience; may hold NULs and
                           invalid UTF-8: it is bytes, len says how many */
    size_t len;
    char *content_type; /* Content-Type of the response, or NULL */
    char *final_url;    /* URL after redirects, userinfo removed; NULL if failed */
    int from_cache;     /* body came from the cache (fresh, 304, or offline) */
    int stale;          /* served from the cache though older than max_age */
    int failed;         /* 1: err.msg says why; status/body may be unset */
    struct pg_err err;
    /* input: this request's cache max-age in seconds; 0: the client's */
    int64_t max_age_s;
    /* input: plain http is allowed to url's own origin (scheme, host, port),
     * also off loopback; the caller vouches that a person configured it */
    int allow_http;
    /* result, with from_cache: when the server last gave or confirmed (304)
     * this body, Unix seconds (a network answer is from now) */
    int64_t fetched_at;
    /* input: bypass this client's cache for this request (neither read nor
     * written); the caller keeps its own record of the answer, such as the
     * facts extracted from it (pg_metacache.h) */
    int no_cache;
    /* inputs, with no_cache: the validators of the caller's record, sent as
     * If-None-Match / If-Modified-Since; a 304 is then a success with
     * status 304 and no body: "what you have is still current" */
    const char *if_etag;
    const char *if_modified;
    /* results: the answer's ETag and Last-Modified (network answers only),
     * or NULL */
    char *etag;
    char *last_modified;
};

#define PG_HTTP_REQ_INIT                                                                           \
    {NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, 0, 0, 0, PG_ERR_INIT, 0, 0, 0, 0, NULL, NULL, NULL, NULL}

/*
 * Create the client. Fails (NULL, err set) if curl cannot be initialised or
 * the cache directory cannot be created or is not private to this user (a
 * directory others can write to would let them plant responses): pass
 * cache_dir = NULL to run without a cache. Free with pg_http_free().
 */
struct pg_http *pg_http_new(const struct pg_http_opts *opts, struct pg_err *err);
void pg_http_free(struct pg_http *h);

/*
 * Run n requests in parallel and return when every one has finished or hit
 * the total timeout; never blocks much longer than opts.timeout_ms, nor
 * past the client's deadline (opts.deadline_ms after pg_http_new): what is
 * still outstanding then fails with "the whole check took longer than the
 * deadline (2m)", and so does every later request that the cache cannot
 * answer. Each request succeeds or fails on its own:
 *  - success (failed = 0): status 2xx with body, or 404 / 410 (the caller
 *    decides that means "no such package"), from the network or the cache;
 *    or 304 with no body when the caller sent its own validators (if_etag);
 *  - failure (failed = 1, err.msg one line): bad or refused URL, DNS,
 *    connect, TLS, timeout, truncated or oversized body, any other status
 *    ("HTTP 500 from https://host/path"), too many redirects, offline miss.
 * Results left from an earlier call are released first, so a request array
 * can be fetched again. Returns the number of failed requests.
 */
size_t pg_http_fetch(struct pg_http *h, struct pg_http_req *reqs, size_t n);

/* Free the results of one request and reset them; the inputs are kept. */
void pg_http_req_release(struct pg_http_req *req);

/*
 * The URL fit for a message: scheme://host[:port]/path with userinfo, query
 * and fragment removed ("?..." marks a dropped query). An unparsable URL
 * gives "<invalid url>". Caller frees.
 */
char *pg_http_redact(const char *url);

/*
 * Check a URL against the scheme rule above: 0 if it may be fetched, else -1
 * with err naming the reason ("plain http is allowed only to loopback ...").
 * *loopback (may be NULL) is set when the host is a loopback host.
 */
int pg_http_url_check(const char *url, int *loopback, struct pg_err *err);
/*
 * The same, with plain http to any host allowed when allow_http is 1 (the
 * caller's decision: see pg_http_req.allow_http). *plain (may be NULL) is
 * set when the URL is plain http to a host that is not loopback.
 */
int pg_http_url_check_plain(const char *url, int allow_http, int *loopback, int *plain,
                            struct pg_err *err);

/*
 * The origin of a URL, the unit credentials are scoped to (curl's
 * CREDENTIALS.md, pip's MultiDomainBasicAuth): "scheme://host:port" with
 * the host lowercased and the scheme's default port written out, so
 * "https://U:P@A.example/x" gives "https://a.example:443". Userinfo, path
 * and query play no part. NULL when url does not parse or its scheme is
 * not one curl knows (no default port, and nothing pkggate may fetch), so
 * such a URL never shares an origin, or credentials, with anything.
 * Caller frees.
 */
char *pg_http_url_origin(const char *url);

/*
 * Whether two URLs have the same origin (pg_http_url_origin; scheme and
 * host compared without regard to case): 1 yes, 0 no or unparsable.
 */
int pg_http_same_origin(const char *a, const char *b);

/* The host of a URL for messages ("registry.npmjs.org"), or "<invalid url>". Caller frees. */
char *pg_http_url_host(const char *url);

/* The URL without user, password and login options; NULL if unparsable. Caller frees. */
char *pg_http_url_strip_userinfo(const char *url);

#endif
