/*
 * pg_npmauth.c - npm's per-"//host/path/" credentials (see pg_npmauth.h).
 *
 * Keys are compared as text, so URLs are first brought to the same
 * WHATWG-style form npm's nerf-dart uses (host lowercased, default port
 * dropped) with curl's URL parser. Header values are assembled directly in
 * sodium_malloc'd memory, so the table holds no secret in ordinary heap.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "pg_npmauth.h"
#include "pg_util.h"
#include "banned.h"

/* Secure copy of the concatenation of up to three strings. */
static char *secure_cat(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0;
    char *s = sodium_malloc(la + lb + lc + 1);

    if (!s)
        abort(); /* out of locked memory: as fatal as malloc failing */
    memcpy(s, a, la);
    memcpy(s + la, b, lb);
    if (c)
        memcpy(s + la + lb, c, lc);
    s[la + lb + lc] = '\0';
    return s;
}

/* "Basic " + base64(user ":" + base64decode(pass)), decoding as node's
 * Buffer.from(s, 'base64') does: both alphabets, junk skipped, '=' ends. */
static char *basic_header(const char *user, const char *pass)
{
    size_t plen = strlen(pass), ulen = strlen(user), n = 0, binlen = 0, b64len;
    char *clean = sodium_malloc(plen + 1);
    unsigned char *bin = sodium_malloc(ulen + 1 + plen + 1);
    char *b64, *hdr;

    if (!clean || !bin)
        abort();
    for (size_t i = 0; i < plen && pass[i] != '='; i++) {
        char c = pass[i] == '-' ? '+' : pass[i] == '_' ? '/' : pass[i];

        if (isalnum((unsigned char)c) || c == '+' || c == '/')
            clean[n++] = c;
    }
    if (n % 4 == 1)
        n--;
    memcpy(bin, user, ulen);
    bin[ulen] = ':';
    if (n && sodium_base642bin(bin + ulen + 1, plen + 1, clean, n, NULL, &binlen, NULL,
                               sodium_base64_VARIANT_ORIGINAL_NO_PADDING) < 0)
        binlen = 0;
    b64len = sodium_base64_encoded_len(ulen + 1 + binlen, sodium_base64_VARIANT_ORIGINAL);
    b64 = sodium_malloc(b64len);
    if (!b64)
        abort();
    sodium_bin2base64(b64, b64len, bin, ulen + 1 + binlen, sodium_base64_VARIANT_ORIGINAL);
    hdr = secure_cat("Basic ", b64, NULL);
    sodium_free(b64);
    sodium_free(bin);
    sodium_free(clean);
    return hdr;
}

int pg_npmauth_has(const struct pg_npmauth *a, const char *regkey)
{
    for (size_t i = 0; i < a->n; i++)
        if (pg_streq(a->v[i].regkey, regkey))
            return 1;
    return 0;
}

static const char *set(const char *s)
{
    return s && *s ? s : NULL;
}

int pg_npmauth_add(struct pg_npmauth *a, const char *regkey, const struct pg_npmauth_fields *f)
{
    const char *tok = set(f->token), *auth = set(f->auth), *user = set(f->username),
               *pass = set(f->password);

    if (!(tok || auth || (user && pass) || (set(f->certfile) && set(f->keyfile))))
        return 0;
    pg_xgrow((void **)&a->v, &a->alloc, a->n + 1, sizeof(*a->v));
    a->v[a->n].regkey = pg_xstrdup(regkey);
    a->v[a->n++].header = tok              ? secure_cat("Bearer ", tok, NULL)
                          : auth           ? secure_cat("Basic ", auth, NULL)
                          : (user && pass) ? basic_header(user, pass)
                                           : NULL;
    return 1;
}

void pg_npmauth_release(struct pg_npmauth *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i].regkey);
        sodium_free(a->v[i].header);
    }
    free(a->v);
    a->v = NULL;
    a->n = a->alloc = 0;
}

/* WHATWG-style "//host[:port]/path" of url (default ports dropped, host
 * lowercased), or NULL if it is not a URL. Caller frees. */
static char *url_key(const char *url, int with_path)
{
    CURLU *h = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *out = NULL;

    if (!h || curl_url_set(h, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(h, CURLUPART_PATH, &path, 0) != CURLUE_OK)
        goto out;
    if (curl_url_get(h, CURLUPART_PORT, &port, 0) == CURLUE_OK &&
        ((pg_streq(scheme, "https") && pg_streq(port, "443")) ||
         (pg_streq(scheme, "http") && pg_streq(port, "80")))) {
        curl_free(port);
        port = NULL;
    }
    for (char *p = host; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    out =
        pg_xasprintf("//%s%s%s%s", host, port ? ":" : "", port ? port : "", with_path ? path : "");
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_url_cleanup(h);
    return out;
}

const char *pg_npmauth_for(const struct pg_npmauth *a, const char *url, const char *reg)
{
    char *rk;
    const char *hdr = NULL;
    char *h1 = NULL, *h2 = NULL;
    size_t n;

    /* No credentials configured (the usual case): no URL to parse, three
     * times per package of a 5,000-entry lockfile. */
    if (a->n == 0)
        return NULL;
    rk = url_key(url, 1);
    if (!rk)
        return NULL;
    for (n = strlen(rk); n > 2;) {
        rk[n] = '\0';
        for (size_t i = 0; i < a->n; i++)
            if (pg_streq(a->v[i].regkey, rk)) {
                hdr = a->v[i].header;
                goto out;
            }
        /* npm-registry-fetch: drop one trailing '/' or one last segment. */
        if (rk[n - 1] == '/')
            n--;
        else
            while (n > 2 && rk[n - 1] != '/')
                n--;
    }
    /* Nothing for the URL itself: a URL on the registry's host gets the
     * registry's credentials (tarballs served under another path). */
    h1 = url_key(url, 0);
    h2 = url_key(reg, 0);
    if (!pg_streq(url, reg) && h1 && h2 && pg_streq(h1, h2))
        hdr = pg_npmauth_for(a, reg, reg);
out:
    free(rk);
    free(h1);
    free(h2);
    return hdr;
}
