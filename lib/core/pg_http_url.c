/*
 * pg_http_url.c - URL rules for pg_http: which URLs may be fetched, which
 * hops keep credentials, and how a URL is shown in messages. All parsing
 * is curl's URL API (CURLU), so the rules see the URL exactly as the
 * transfer will.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "pg_http.h"
#include "pg_util.h"
#include "banned.h"

static CURLU *parse(const char *url)
{
    CURLU *u = curl_url();

    if (!u)
        return NULL;
    /* Flags 0: no scheme guessing, no unknown schemes, no spaces. */
    if (!url || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        curl_url_cleanup(u);
        return NULL;
    }
    return u;
}

/* A curl-allocated part as our own string (so one free() fits all), or NULL. */
static char *get_part(CURLU *u, CURLUPart what, unsigned flags)
{
    char *p = NULL, *copy;

    if (curl_url_get(u, what, &p, flags) != CURLUE_OK || !p)
        return NULL;
    copy = pg_xstrdup(p);
    curl_free(p);
    return copy;
}

static int is_loopback_host(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;
    char buf[INET6_ADDRSTRLEN + 2];
    size_t n = strlen(host);

    if (strcasecmp(host, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    /* curl keeps the brackets of an IPv6 literal: "[::1]". */
    if (n < 3 || n > sizeof(buf) || host[0] != '[' || host[n - 1] != ']')
        return 0;
    memcpy(buf, host + 1, n - 2);
    buf[n - 2] = '\0';
    if (inet_pton(AF_INET6, buf, &a6) != 1)
        return 0;
    if (IN6_IS_ADDR_LOOPBACK(&a6))
        return 1;
    return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}

int pg_http_url_check(const char *url, int *loopback, struct pg_err *err)
{
    return pg_http_url_check_plain(url, 0, loopback, NULL, err);
}

int pg_http_url_check_plain(const char *url, int allow_http, int *loopback, int *plain,
                            struct pg_err *err)
{
    CURLU *u = parse(url);
    char *scheme = NULL, *host = NULL, *shown = NULL;
    int ret = -1, lo;

    if (!u) {
        /* Echo it only when it cannot hold userinfo, and never its query. */
        if (url && !strchr(url, '@'))
            pg_err_set(err, "not a valid URL: '%.*s'", (int)strcspn(url, "?#"), url);
        else
            pg_err_set(err, "not a valid URL");
        goto out;
    }
    scheme = get_part(u, CURLUPART_SCHEME, 0);
    host = get_part(u, CURLUPART_HOST, 0);
    if (!scheme || !host || !*host) {
        shown = pg_http_redact(url);
        pg_err_set(err, "URL has no host: '%s'", shown);
        goto out;
    }
    lo = is_loopback_host(host);
    if (loopback)
        *loopback = lo;
    if (plain)
        *plain = !lo && strcasecmp(scheme, "http") == 0;
    if (strcasecmp(scheme, "https") == 0 ||
        ((lo || allow_http) && strcasecmp(scheme, "http") == 0)) {
        ret = 0;
    } else if (strcasecmp(scheme, "http") == 0) {
        pg_err_set(err, "refusing plain http to '%s': only https, or http to a loopback host",
                   host);
    } else {
        pg_err_set(err, "refusing URL scheme '%s': only https", scheme);
    }
out:
    free(shown);
    free(scheme);
    free(host);
    curl_url_cleanup(u);
    return ret;
}

char *pg_http_url_origin(const char *url)
{
    CURLU *u = parse(url);
    char *scheme = NULL, *host = NULL, *port = NULL, *o = NULL;

    if (!u)
        return NULL;
    scheme = get_part(u, CURLUPART_SCHEME, 0);
    host = get_part(u, CURLUPART_HOST, 0);
    port = get_part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
    if (scheme && host && port) {
        for (char *p = host; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        o = pg_xasprintf("%s://%s:%s", scheme, host, port);
    }
    free(scheme);
    free(host);
    free(port);
    curl_url_cleanup(u);
    return o;
}

int pg_http_same_origin(const char *a, const char *b)
{
    char *oa = pg_http_url_origin(a), *ob = pg_http_url_origin(b);
    int same = oa && ob && strcasecmp(oa, ob) == 0;

    free(oa);
    free(ob);
    return same;
}

char *pg_http_url_strip_userinfo(const char *url)
{
    CURLU *u = parse(url);
    char *out;

    if (!u)
        return NULL;
    curl_url_set(u, CURLUPART_USER, NULL, 0);
    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
    curl_url_set(u, CURLUPART_OPTIONS, NULL, 0);
    out = get_part(u, CURLUPART_URL, 0);
    curl_url_cleanup(u);
    return out;
}

char *pg_http_redact(const char *url)
{
    CURLU *u = parse(url);
    char *query = NULL, *base = NULL, *out;

    if (!u)
        return pg_xstrdup("<invalid url>");
    query = get_part(u, CURLUPART_QUERY, 0);
    curl_url_set(u, CURLUPART_USER, NULL, 0);
    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
    curl_url_set(u, CURLUPART_OPTIONS, NULL, 0);
    curl_url_set(u, CURLUPART_QUERY, NULL, 0);
    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
    base = get_part(u, CURLUPART_URL, 0);
    if (!base)
        out = pg_xstrdup("<invalid url>");
    else if (query && *query)
        out = pg_xasprintf("%s?...", base);
    else
        out = pg_xstrdup(base);
    free(base);
    free(query);
    curl_url_cleanup(u);
    return out;
}

char *pg_http_url_host(const char *url)
{
    CURLU *u = parse(url);
    char *host = u ? get_part(u, CURLUPART_HOST, 0) : NULL;

    curl_url_cleanup(u);
    return host ? host : pg_xstrdup("<invalid url>");
}
