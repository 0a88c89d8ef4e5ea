/*
 * pg_npmrc_auth.c - from the merged npm configuration to what pkggate uses:
 * the default and scoped registries, and per-"//host/path/" Authorization
 * values in secure memory, matched as npm-registry-fetch matches them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "pg_npmrc_int.h"
#include "pg_util.h"
#include "banned.h"

/* A registry URL as npm uses it: http(s) only, one trailing '/'. */
static int registry_url(const char *val, const char *key, char **out, struct pg_err *err)
{
    size_t n = strlen(val);

    if (!pg_starts_with(val, "https://") && !pg_starts_with(val, "http://"))
        return pg_err_set(err, "npm config: %s '%s' is not an http(s) URL", key, val);
    while (n && val[n - 1] == '/')
        n--;
    *out = pg_xasprintf("%.*s/", (int)n, val);
    return 0;
}

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

static const char *field(const struct loader *ld, const char *rk, const char *name)
{
    char *key = pg_xasprintf("%s:%s", rk, name);
    const char *v = pg_npmrc_truthy(pg_npmrc_kv_get(ld, key));

    free(key);
    return v;
}

/* One table entry per configured "//host/path/" with usable credentials. */
static void build_auth(struct loader *ld)
{
    static const char *const fields[] = {"_authToken", "_auth",    "username",
                                         "_password",  "certfile", "keyfile"};
    struct pg_npmrc *c = ld->cfg;
    size_t alloc = 0;

    for (size_t i = 0; i < ld->n; i++) {
        const char *k = ld->v[i].key, *colon = strrchr(k, ':');
        char *rk;
        const char *tok, *auth, *user, *pass;
        int known = 0, dup = 0;

        if (!pg_starts_with(k, "//") || !colon)
            continue;
        for (size_t f = 0; f < PG_ARRAY_SIZE(fields); f++)
            known |= pg_streq(colon + 1, fields[f]);
        rk = pg_xstrndup(k, (size_t)(colon - k));
        for (size_t j = 0; j < c->nauths; j++)
            dup |= pg_streq(c->auths[j].regkey, rk);
        tok = field(ld, rk, "_authToken");
        auth = field(ld, rk, "_auth");
        user = field(ld, rk, "username");
        pass = field(ld, rk, "_password");
        if (!known || dup ||
            !(tok || auth || (user && pass) ||
              (field(ld, rk, "certfile") && field(ld, rk, "keyfile")))) {
            free(rk);
            continue;
        }
        pg_xgrow((void **)&c->auths, &alloc, c->nauths + 1, sizeof(*c->auths));
        c->auths[c->nauths].regkey = rk;
        c->auths[c->nauths++].header = tok              ? secure_cat("Bearer ", tok, NULL)
                                       : auth           ? secure_cat("Basic ", auth, NULL)
                                       : (user && pass) ? basic_header(user, pass)
                                                        : NULL;
    }
}

int pg_npmrc_build(struct loader *ld, struct pg_err *err)
{
    struct pg_npmrc *c = ld->cfg;
    const char *reg = pg_npmrc_truthy(pg_npmrc_kv_get(ld, "registry")),
               *ssl = pg_npmrc_kv_get(ld, "strict-ssl");
    size_t alloc = 0;

    if (registry_url(reg ? reg : PG_NPMRC_DEFAULT_REGISTRY, "registry", &c->registry, err) < 0)
        return -1;
    for (size_t i = 0; i < ld->n; i++) {
        const char *k = ld->v[i].key;
        size_t kl = strlen(k);
        int dup = 0;

        if (k[0] != '@' || kl <= 10 || !pg_ends_with(k, ":registry") ||
            !pg_npmrc_truthy(pg_npmrc_kv_get(ld, k)))
            continue;
        for (size_t j = 0; j < c->nscopes; j++)
            dup |= strncmp(c->scopes[j].scope, k, kl - 9) == 0 && !c->scopes[j].scope[kl - 9];
        if (dup)
            continue;
        pg_xgrow((void **)&c->scopes, &alloc, c->nscopes + 1, sizeof(*c->scopes));
        c->scopes[c->nscopes].scope = pg_xstrndup(k, kl - 9);
        c->scopes[c->nscopes].registry = NULL;
        if (registry_url(pg_npmrc_kv_get(ld, k), k, &c->scopes[c->nscopes++].registry, err) < 0)
            return -1;
    }
    build_auth(ld);
    if (pg_npmrc_truthy(pg_npmrc_kv_get(ld, "cafile")))
        c->cafile = pg_npmrc_resolve(ld, pg_npmrc_kv_get(ld, "cafile"));
    c->strict_ssl = 1;
    if (ssl) {
        char *end = NULL;
        double d = strtod(ssl, &end);

        if (*ssl && end && !*end)
            c->strict_ssl = d != 0;
        else
            c->strict_ssl = !pg_streq(ssl, "false") && !pg_streq(ssl, "null");
    }
    return 0;
}

void pg_npmrc_free(struct pg_npmrc *c)
{
    if (!c)
        return;
    free(c->registry);
    for (size_t i = 0; i < c->nscopes; i++) {
        free(c->scopes[i].scope);
        free(c->scopes[i].registry);
    }
    free(c->scopes);
    for (size_t i = 0; i < c->nauths; i++) {
        free(c->auths[i].regkey);
        sodium_free(c->auths[i].header);
    }
    free(c->auths);
    for (size_t i = 0; i < c->nfiles; i++)
        free(c->files[i]);
    free(c->files);
    free(c->cafile);
    free(c);
}

const char *pg_npmrc_registry(const struct pg_npmrc *c)
{
    return c->registry;
}

const char *pg_npmrc_registry_for(const struct pg_npmrc *c, const char *name)
{
    const char *slash = name && name[0] == '@' ? strchr(name, '/') : NULL;

    for (size_t i = 0; slash && i < c->nscopes; i++)
        if (strlen(c->scopes[i].scope) == (size_t)(slash - name) &&
            !strncmp(c->scopes[i].scope, name, (size_t)(slash - name)))
            return c->scopes[i].registry;
    return c->registry;
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

const char *pg_npmrc_auth_for_pkg(const struct pg_npmrc *c, const char *url, const char *pkg)
{
    char *rk = url_key(url, 1);
    const char *reg = pg_npmrc_registry_for(c, pkg), *hdr = NULL;
    char *h1 = NULL, *h2 = NULL;
    size_t n;

    if (!rk)
        return NULL;
    for (n = strlen(rk); n > 2;) {
        rk[n] = '\0';
        for (size_t i = 0; i < c->nauths; i++)
            if (pg_streq(c->auths[i].regkey, rk)) {
                hdr = c->auths[i].header;
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
        hdr = pg_npmrc_auth_for_pkg(c, reg, pkg);
out:
    free(rk);
    free(h1);
    free(h2);
    return hdr;
}

const char *pg_npmrc_auth_for(const struct pg_npmrc *c, const char *url)
{
    return pg_npmrc_auth_for_pkg(c, url, NULL);
}

const char *pg_npmrc_cafile(const struct pg_npmrc *c)
{
    return c->cafile;
}

int pg_npmrc_strict_ssl(const struct pg_npmrc *c)
{
    return c->strict_ssl;
}

size_t pg_npmrc_nfiles(const struct pg_npmrc *c)
{
    return c->nfiles;
}

const char *pg_npmrc_file(const struct pg_npmrc *c, size_t i)
{
    return i < c->nfiles ? c->files[i] : NULL;
}
