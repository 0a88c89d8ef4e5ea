/*
 * The signed org layer: the anchor that pins its key, and reading the
 * layer it names. The contract is in pg_policy.h ("Signed org policy");
 * the checks are pg_policy_orgsig.c, fetching from a URL
 * pg_policy_orgurl.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pg_duration.h"
#include "pg_http.h"
#include "pg_policy_org.h"
#include "pg_policy_orgurl.h"
#include "pg_policy_schema.h"
#include "pg_util.h"
#include "banned.h"

#define SIG_SUFFIX  ".minisig"
#define ANCHOR_MAX  ((size_t)64 << 10)
#define ORG_REFRESH 300 /* seconds */
#define ORG_TIMEOUT 10  /* seconds */

static const char *const anchor_keys[] = {"cafile",        "public_key", "refresh",
                                          "signature_url", "timeout",    "url"};

static void anchor_release(struct pg_policy_anchor *a)
{
    free(a->url);
    free(a->sig_url);
    free(a->cafile);
    memset(a, 0, sizeof(*a));
}

/*
 * The anchor decides what counts as the org policy, so whoever can write
 * it can drop the pin: refuse one that group or others may write.
 */
static int anchor_trusted(const char *path, const struct stat *st, struct pg_err *err)
{
    if (!S_ISREG(st->st_mode))
        return pg_err_set(err, "%s: not a regular file", path);
    if (st->st_uid != 0 && st->st_uid != geteuid())
        return pg_err_set(err, "%s: owned by uid %ld, not by root; the key pin must be root's",
                          path, (long)st->st_uid);
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return pg_err_set(err,
                          "%s: writable by group or others; the key pin must be root's "
                          "alone (chmod go-w)",
                          path);
    return 0;
}

static int add_key(struct pg_policy_anchor *a, json_t *v, struct pg_err *err)
{
    struct pg_err kerr = PG_ERR_INIT;
    const char *s = json_string_value(v);

    if (!s)
        return pg_err_set(err, "%s: 'public_key' must be a string or a list of strings", a->path);
    if (a->nkeys == PG_POLICY_ORG_MAX_KEYS)
        return pg_err_set(err, "%s: more than %d public keys", a->path, PG_POLICY_ORG_MAX_KEYS);
    if (pg_minisign_pubkey_parse(&a->keys[a->nkeys], s, strlen(s), &kerr) < 0)
        return pg_err_set(err, "%s: 'public_key': %s", a->path, kerr.msg);
    a->nkeys++;
    return 0;
}

static int get_duration(struct pg_policy_anchor *a, const char *key, json_t *v, int64_t *out,
                        struct pg_err *err)
{
    struct pg_err derr = PG_ERR_INIT;
    const char *s = json_string_value(v);

    if (!s)
        return pg_err_set(err, "%s: '%s' must be a duration such as \"5m\"", a->path, key);
    if (pg_duration_parse(s, out, &derr) < 0)
        return pg_err_set(err, "%s: '%s': %s", a->path, key, derr.msg);
    return 0;
}

static int get_string(struct pg_policy_anchor *a, const char *key, json_t *v, char **out,
                      struct pg_err *err)
{
    const char *s = json_string_value(v);

    if (!s || !*s)
        return pg_err_set(err, "%s: '%s' must be a non-empty string", a->path, key);
    *out = pg_xstrdup(s);
    return 0;
}

static int anchor_key(struct pg_policy_anchor *a, const char *k, json_t *v, struct pg_err *err)
{
    const char *near;
    json_t *item;
    size_t i;

    if (pg_policy_is_comment(k))
        return 0;
    if (!strcmp(k, "public_key") && json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            if (add_key(a, item, err) < 0)
                return -1;
        }
        return 0;
    }
    if (!strcmp(k, "public_key"))
        return add_key(a, v, err);
    if (!strcmp(k, "url"))
        return get_string(a, k, v, &a->url, err);
    if (!strcmp(k, "signature_url"))
        return get_string(a, k, v, &a->sig_url, err);
    if (!strcmp(k, "cafile"))
        return get_string(a, k, v, &a->cafile, err);
    if (!strcmp(k, "refresh"))
        return get_duration(a, k, v, &a->refresh, err);
    if (!strcmp(k, "timeout"))
        return get_duration(a, k, v, &a->timeout, err);
    near = pg_policy_suggest(k, anchor_keys, PG_ARRAY_SIZE(anchor_keys));
    if (near)
        return pg_err_set(err, "%s: unknown key '%s' (did you mean '%s'?)", a->path, k, near);
    return pg_err_set(err, "%s: unknown key '%s'", a->path, k);
}

/* The URLs must be fetchable, and a signature URL cannot be guessed past a query. */
static int anchor_urls(struct pg_policy_anchor *a, struct pg_err *err)
{
    struct pg_err uerr = PG_ERR_INIT;

    if (!a->url && a->sig_url)
        return pg_err_set(err, "%s: 'signature_url' without 'url'", a->path);
    if (!a->url)
        return 0;
    if (pg_http_url_check(a->url, NULL, &uerr) < 0)
        return pg_err_set(err, "%s: 'url': %s", a->path, uerr.msg);
    if (!a->sig_url && strpbrk(a->url, "?#"))
        return pg_err_set(err,
                          "%s: 'url' has a query; say where its signature is with "
                          "'signature_url'",
                          a->path);
    if (!a->sig_url)
        a->sig_url = pg_xasprintf("%s%s", a->url, SIG_SUFFIX);
    else if (pg_http_url_check(a->sig_url, NULL, &uerr) < 0)
        return pg_err_set(err, "%s: 'signature_url': %s", a->path, uerr.msg);
    return 0;
}

static int anchor_parse(struct pg_policy_anchor *a, const char *text, size_t len,
                        struct pg_err *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je), *v;
    const char *k;
    int rc = -1;

    if (!root) {
        pg_err_set(err, "%s:%d:%d: %s", a->path, je.line, je.column, je.text);
        goto out;
    }
    if (!json_is_object(root)) {
        pg_err_set(err, "%s: must be a JSON object", a->path);
        goto out;
    }
    a->refresh = ORG_REFRESH;
    a->timeout = ORG_TIMEOUT;
    json_object_foreach(root, k, v)
    {
        if (anchor_key(a, k, v, err) < 0)
            goto out;
    }
    if (!a->nkeys) {
        pg_err_set(err, "%s: no 'public_key' to pin (the org policy's signing key)", a->path);
        goto out;
    }
    if (a->timeout == 0)
        a->timeout = ORG_TIMEOUT;
    rc = anchor_urls(a, err);
out:
    json_decref(root);
    return rc;
}

/* 1 and *a filled when the anchor exists, 0 when it does not, -1 on error. */
static int anchor_load(struct pg_policy_anchor *a, const char *path, struct pg_err *err)
{
    struct stat st;
    char *text = NULL;
    size_t len = 0;
    int rc;

    memset(a, 0, sizeof(*a));
    a->path = path;
    if (stat(path, &st) < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        return pg_err_set(err, "%s: %s", path, strerror(errno));
    }
    if (anchor_trusted(path, &st, err) < 0 || pg_read_file(path, ANCHOR_MAX, &text, &len, err) < 0)
        return -1;
    rc = anchor_parse(a, text, len, err);
    free(text);
    return rc < 0 ? -1 : 1;
}

/* The org layer from paths->system and the .minisig beside it. */
static int read_local(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
                      struct pg_policy_org *org, char **text, size_t *len, struct pg_err *err)
{
    char *sigpath = NULL, *sig = NULL;
    const char *base;
    struct stat st;
    size_t siglen = 0;
    int rc = -1;

    if (!paths->system)
        return pg_err_set(err, "%s pins a signing key but no org policy file is configured",
                          a->path);
    if (access(paths->system, F_OK) < 0 && errno == ENOENT)
        return pg_err_set(err, "org policy %s: missing, but %s requires a signed org policy",
                          paths->system, a->path);
    if (pg_read_file(paths->system, PG_POLICY_FILE_MAX, text, len, err) < 0)
        return pg_err_prefix(err, "org policy: ");
    if (stat(paths->system, &st) == 0)
        org->info.refreshed = (int64_t)st.st_mtime;
    sigpath = pg_xasprintf("%s%s", paths->system, SIG_SUFFIX);
    base = strrchr(sigpath, '/') ? strrchr(sigpath, '/') + 1 : sigpath;
    if (access(sigpath, F_OK) == 0 || errno != ENOENT) {
        if (pg_read_file(sigpath, PG_MINISIGN_SIGFILE_MAX, &sig, &siglen, err) < 0) {
            pg_err_prefix(err, "org policy %s: ", paths->system);
            goto out;
        }
    }
    rc = pg_policy_orgsig_check(a, paths, org, *text, *len, sig, siglen, base, err);
out:
    free(sig);
    free(sigpath);
    if (rc < 0) {
        free(*text);
        *text = NULL;
    }
    return rc;
}

int pg_policy_org_read(const struct pg_policy_paths *paths, struct pg_policy_org **out, char **text,
                       size_t *len, struct pg_err *err)
{
    struct pg_policy_anchor a;
    struct pg_policy_org *org = NULL;
    int rc = -1, found;

    *out = NULL;
    *text = NULL;
    *len = 0;
    if (!paths->org)
        return 0;
    found = anchor_load(&a, paths->org, err);
    if (found <= 0) {
        anchor_release(&a);
        return found;
    }
    org = pg_xcalloc(1, sizeof(*org));
    org->anchor = pg_xstrdup(paths->org);
    if (a.url) {
        org->source = pg_http_redact(a.url);
        org->info.source = org->source;
        rc = pg_policy_orgurl_fetch(&a, paths, org, text, len, err);
    } else {
        org->source = pg_xstrdup(paths->system ? paths->system : "");
        org->info.source = org->source;
        rc = read_local(&a, paths, org, text, len, err);
    }
    anchor_release(&a);
    org->info.anchor = org->anchor;
    org->info.fetch_error = org->fetch_error;
    if (rc < 0) {
        pg_policy_org_free(org);
        return -1;
    }
    *out = org;
    return 0;
}

void pg_policy_org_free(struct pg_policy_org *org)
{
    if (!org)
        return;
    free(org->source);
    free(org->anchor);
    free(org->fetch_error);
    free(org);
}
