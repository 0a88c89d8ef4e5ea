/*
 * pg_pipconf_auth.c - credentials for pip's indexes: user:password@ in an
 * index URL (pip's MultiDomainBasicAuth) and the netrc file (requests'
 * get_netrc_auth, parsed as Python's netrc module does), plus the result
 * accessors.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <curl/curl.h>
#include <sodium.h>

#include "pg_http.h"
#include "pg_pipconf_int.h"
#include "pg_util.h"
#include "banned.h"

#define NETRC_MAX (256 * 1024)

/* "Basic " + base64(user ":" pass), built in secure memory. */
static char *basic(const char *user, size_t ulen, const char *pass, size_t plen)
{
    size_t n = ulen + 1 + plen;
    size_t b64len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
    unsigned char *raw = sodium_malloc(n + 1);
    char *hdr = sodium_malloc(6 + b64len);

    if (!raw || !hdr)
        abort(); /* out of locked memory: as fatal as malloc failing */
    memcpy(raw, user, ulen);
    raw[ulen] = ':';
    memcpy(raw + ulen + 1, pass, plen);
    memcpy(hdr, "Basic ", 6);
    sodium_bin2base64(hdr + 6, b64len, raw, n, sodium_base64_VARIANT_ORIGINAL);
    sodium_free(raw);
    return hdr;
}

static char *url_dup(CURLU *h)
{
    char *u = NULL, *out;

    if (curl_url_get(h, CURLUPART_URL, &u, 0) != CURLUE_OK)
        return NULL;
    out = pg_xstrdup(u);
    curl_free(u);
    return out;
}

/* Credentials, the bare URL and pip's redacted form from one index URL. */
static void split_index(struct pip_index *x, const char *raw)
{
    CURLU *h = curl_url();
    char *user = NULL, *pass = NULL, *ruser = NULL;

    if (!h || curl_url_set(h, CURLUPART_URL, raw, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
        x->url = pg_xstrdup(raw);
        x->display = pg_xstrdup(raw);
        goto out;
    }
    curl_url_get(h, CURLUPART_USER, &user, CURLU_URLDECODE);
    curl_url_get(h, CURLUPART_USER, &ruser, 0);
    curl_url_get(h, CURLUPART_PASSWORD, &pass, CURLU_URLDECODE);
    x->origin = pg_http_url_origin(raw);
    if (user || pass) {
        /* pip sends "user:" for a token-only URL. */
        x->header = basic(user ? user : "", user ? strlen(user) : 0, pass ? pass : "",
                          pass ? strlen(pass) : 0);
        curl_url_set(h, CURLUPART_USER, pass ? (ruser ? ruser : "") : "****", 0);
        curl_url_set(h, CURLUPART_PASSWORD, pass ? "****" : NULL, 0);
        x->display = url_dup(h);
        curl_url_set(h, CURLUPART_USER, NULL, 0);
        curl_url_set(h, CURLUPART_PASSWORD, NULL, 0);
    }
    /* Without credentials the URL stays exactly as configured. */
    x->url = x->header ? url_dup(h) : pg_xstrdup(raw);
    if (!x->url)
        x->url = pg_xstrdup("");
    if (!x->display)
        x->display = pg_xstrdup(x->url);
out:
    if (user)
        sodium_memzero(user, strlen(user));
    if (pass)
        sodium_memzero(pass, strlen(pass));
    curl_free(user);
    curl_free(ruser);
    curl_free(pass);
    curl_url_cleanup(h);
}

void pg_pipconf_add_index(struct pg_pipconf *c, const char *raw)
{
    struct pip_index *x;

    pg_xgrow((void **)&c->idx, &c->idx_alloc, c->nidx + 1, sizeof(*c->idx));
    x = &c->idx[c->nidx++];
    memset(x, 0, sizeof(*x));
    split_index(x, raw);
    x->pub.url = x->url;
    x->pub.display = x->display;
    x->pub.has_auth = x->header != NULL;
}

/* Python's netrc lexer: whitespace-separated, "quoted", backslash escapes;
 * tracks the line number for its comment rule. */
struct lex {
    const char *s;
    size_t n, i, line;
};

static int lex_char(struct lex *l)
{
    if (l->i >= l->n)
        return -1;
    if (l->s[l->i] == '\n')
        l->line++;
    return (unsigned char)l->s[l->i++];
}

static char *lex_token(struct lex *l)
{
    struct pg_sb sb = PG_SB_INIT;
    int ch, quoted = 0;

    while ((ch = lex_char(l)) >= 0 && strchr("\n\t\r ", ch))
        ;
    if (ch == '"')
        quoted = 1;
    else if (ch >= 0)
        l->i--; /* not whitespace: re-read it below */
    while ((ch = lex_char(l)) >= 0) {
        if (quoted ? ch == '"' : strchr("\n\t\r ", ch) != NULL)
            break;
        if (ch == '\\' && (ch = lex_char(l)) < 0)
            break;
        pg_sb_addc(&sb, (char)ch);
    }
    return pg_sb_detach(&sb);
}

static void lex_skip_line(struct lex *l)
{
    int ch;

    while ((ch = lex_char(l)) >= 0 && ch != '\n')
        ;
}

static void netrc_set(struct pg_pipconf *c, const char *host, const char *login,
                      const char *account, const char *password)
{
    const char *user = *login ? login : account;
    size_t i;

    for (i = 0; i < c->nnetrc && !pg_streq(c->netrc[i].host, host); i++)
        ;
    if (i == c->nnetrc) {
        c->netrc = pg_xrealloc(c->netrc, (c->nnetrc + 1) * sizeof(*c->netrc));
        c->netrc[c->nnetrc++].host = pg_xstrdup(host);
    } else {
        sodium_free(c->netrc[i].header);
    }
    c->netrc[i].header = basic(user, strlen(user), password, strlen(password));
}

static void wipe_free(char *s)
{
    if (s)
        sodium_memzero(s, strlen(s));
    free(s);
}

/* One machine/default entry's followers. Returns 0 or -1 (parse error). */
static int netrc_entry(struct pg_pipconf *c, struct lex *l, const char *name)
{
    char *f[3] = {pg_xstrdup(""), pg_xstrdup(""), pg_xstrdup("")}; /* login account pw */
    int ret = 0;

    for (;;) {
        size_t prev = l->line, save = l->i, save_line = l->line;
        char *tt = lex_token(l);
        int k = pg_streq(tt, "login") || pg_streq(tt, "user") ? 0
                : pg_streq(tt, "account")                     ? 1
                : pg_streq(tt, "password")                    ? 2
                                                              : -1;

        if (tt[0] == '#') {
            if (l->line == prev)
                lex_skip_line(l);
            free(tt);
            continue;
        }
        if (!*tt || pg_streq(tt, "machine") || pg_streq(tt, "default") || pg_streq(tt, "macdef")) {
            netrc_set(c, name, f[0], f[1], f[2]);
            l->i = save, l->line = save_line; /* push the token back */
            free(tt);
            break;
        }
        free(tt);
        if (k < 0) {
            ret = -1;
            break;
        }
        wipe_free(f[k]);
        f[k] = lex_token(l);
    }
    for (size_t i = 0; i < 3; i++)
        wipe_free(f[i]);
    return ret;
}

static int netrc_parse(struct pg_pipconf *c, const char *buf, size_t len)
{
    struct lex l = {buf, len, 0, 1};

    for (;;) {
        size_t saved = l.line;
        char *tt = lex_token(&l), *name = NULL;
        int r = 0;

        if (!*tt) {
            free(tt);
            return 0;
        }
        if (tt[0] == '#') {
            if (l.line == saved && !tt[1])
                lex_skip_line(&l);
        } else if (pg_streq(tt, "macdef")) {
            /* A macro runs to the first empty line; unterminated is an error. */
            free(lex_token(&l));
            for (;;) {
                size_t start = l.i;

                if (l.i >= l.n) {
                    r = -1;
                    break;
                }
                lex_skip_line(&l);
                if (l.i - start == 1 && buf[start] == '\n')
                    break;
            }
        } else if (pg_streq(tt, "machine") || pg_streq(tt, "default")) {
            name = pg_streq(tt, "default") ? pg_xstrdup("default") : lex_token(&l);
            r = *name ? netrc_entry(c, &l, name) : -1;
        } else {
            r = -1;
        }
        free(name);
        free(tt);
        if (r < 0)
            return -1;
    }
}

void pg_pipconf_load_netrc(struct pg_pipconf *c, const char *(*getenv_fn)(const char *),
                           const char *home)
{
    const char *env = getenv_fn("NETRC");
    char *cand[2] = {NULL, NULL}, *buf = NULL;
    size_t len = 0;
    struct stat st;

    if (env) {
        cand[0] = pg_xstrdup(env);
    } else if (home) {
        cand[0] = pg_xasprintf("%s/.netrc", home);
        cand[1] = pg_xasprintf("%s/_netrc", home);
    }
    for (size_t i = 0; i < 2 && cand[i]; i++) {
        if (stat(cand[i], &st) != 0)
            continue;
        /* requests uses the first file that exists, and ignores it when it
         * cannot be read or parsed. */
        if (pg_read_file(cand[i], NETRC_MAX, &buf, &len, NULL) == 0 &&
            netrc_parse(c, buf, len) < 0) {
            for (size_t j = 0; j < c->nnetrc; j++) {
                free(c->netrc[j].host);
                sodium_free(c->netrc[j].header);
            }
            c->nnetrc = 0;
        }
        break;
    }
    if (buf)
        sodium_memzero(buf, len);
    free(buf);
    free(cand[0]);
    free(cand[1]);
}

const char *pg_pipconf_auth_for(const struct pg_pipconf *c, const char *url)
{
    CURLU *h = curl_url();
    char *origin = NULL, *host = NULL;
    const char *hdr = NULL, *def = NULL;

    if (!h || curl_url_set(h, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
        goto out;
    origin = pg_http_url_origin(url);
    for (size_t i = 0; origin && i < c->nidx && !hdr; i++)
        if (c->idx[i].header && c->idx[i].origin && pg_streq(c->idx[i].origin, origin))
            hdr = c->idx[i].header;
    if (hdr || curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        goto out;
    for (size_t i = 0; i < c->nnetrc && !hdr; i++) {
        if (pg_streq(c->netrc[i].host, host))
            hdr = c->netrc[i].header;
        else if (pg_streq(c->netrc[i].host, "default"))
            def = c->netrc[i].header;
    }
    if (!hdr)
        hdr = def;
out:
    free(origin);
    curl_free(host);
    curl_url_cleanup(h);
    return hdr;
}

void pg_pipconf_free(struct pg_pipconf *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nidx; i++) {
        free(c->idx[i].url);
        free(c->idx[i].display);
        free(c->idx[i].origin);
        sodium_free(c->idx[i].header);
    }
    free(c->idx);
    for (size_t i = 0; i < c->nfl; i++)
        free(c->find_links[i]);
    free(c->find_links);
    for (size_t i = 0; i < c->nnetrc; i++) {
        free(c->netrc[i].host);
        sodium_free(c->netrc[i].header);
    }
    free(c->netrc);
    for (size_t i = 0; i < c->nfiles; i++)
        free(c->files[i]);
    free(c->files);
    for (size_t i = 0; i < c->nset; i++) {
        sodium_memzero((char *)c->set[i].value, strlen(c->set[i].value));
        free((char *)c->set[i].name);
        free((char *)c->set[i].value);
        free((char *)c->set[i].where);
    }
    free(c->set);
    free(c->cert);
    free(c->ca_bundle);
    free(c);
}

void pg_pipconf_add_setting(struct pg_pipconf *c, const char *name, const char *value,
                            const char *where)
{
    pg_xgrow((void **)&c->set, &c->set_alloc, c->nset + 1, sizeof(*c->set));
    c->set[c->nset].name = pg_xstrdup(name);
    c->set[c->nset].value = pg_xstrdup(value);
    c->set[c->nset++].where = pg_xstrdup(where ? where : "pip's configuration");
}

size_t pg_pipconf_nsettings(const struct pg_pipconf *c)
{
    return c->nset;
}

const struct pg_pipconf_setting *pg_pipconf_setting(const struct pg_pipconf *c, size_t i)
{
    return i < c->nset ? &c->set[i] : NULL;
}

size_t pg_pipconf_nindexes(const struct pg_pipconf *c)
{
    return c->no_index ? 0 : c->nidx;
}

const struct pg_pipconf_index *pg_pipconf_index(const struct pg_pipconf *c, size_t i)
{
    return i < pg_pipconf_nindexes(c) ? &c->idx[i].pub : NULL;
}

const char *pg_pipconf_index_url(const struct pg_pipconf *c)
{
    return c->idx[0].url;
}

int pg_pipconf_no_index(const struct pg_pipconf *c)
{
    return c->no_index;
}

size_t pg_pipconf_nfind_links(const struct pg_pipconf *c)
{
    return c->nfl;
}

const char *pg_pipconf_find_links(const struct pg_pipconf *c, size_t i)
{
    return i < c->nfl ? c->find_links[i] : NULL;
}

const char *pg_pipconf_cert(const struct pg_pipconf *c)
{
    return c->cert;
}

const char *pg_pipconf_ca_bundle(const struct pg_pipconf *c)
{
    return c->ca_bundle;
}

size_t pg_pipconf_nfiles(const struct pg_pipconf *c)
{
    return c->nfiles;
}

const char *pg_pipconf_file(const struct pg_pipconf *c, size_t i)
{
    return i < c->nfiles ? c->files[i] : NULL;
}
