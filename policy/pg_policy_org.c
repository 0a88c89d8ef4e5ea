/*
 * The signed org layer: the anchor that pins its key, the checks a signed
 * layer must pass before its JSON is read, and the serials remembered
 * against rollback. The contract is in pg_policy.h ("Signed org policy");
 * fetching from a URL is in pg_policy_orgurl.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pg_duration.h"
#include "pg_http.h"
#include "pg_http_cache.h"
#include "pg_policy_int.h"
#include "pg_time.h"
#include "pg_util.h"
#include "banned.h"

#define SIG_SUFFIX ".minisig"
/* A state file holds one decimal number; anything longer is not ours. */
#define STATE_MAX 64

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
    a->refresh = PG_POLICY_ORG_REFRESH;
    a->timeout = PG_POLICY_ORG_TIMEOUT;
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
        a->timeout = PG_POLICY_ORG_TIMEOUT;
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
    if (anchor_trusted(path, &st, err) < 0 ||
        pg_read_file(path, PG_POLICY_ANCHOR_MAX, &text, &len, err) < 0)
        return -1;
    rc = anchor_parse(a, text, len, err);
    free(text);
    return rc < 0 ? -1 : 1;
}

static char *state_path(const char *dir, const char *keyid)
{
    return pg_xasprintf("%s/org-serial-%s", dir, keyid);
}

/* The highest serial accepted for keyid, 0 when none is on record. */
static int state_read(const char *dir, const char *keyid, uint64_t *out, struct pg_err *err)
{
    char *path, *text = NULL;
    size_t len = 0;
    int rc = 0;

    *out = 0;
    if (!dir)
        return 0;
    path = state_path(dir, keyid);
    if (access(path, F_OK) < 0 && errno == ENOENT)
        goto out;
    rc = -1;
    if (pg_read_file(path, STATE_MAX, &text, &len, err) < 0)
        goto out;
    if (len && text[len - 1] == '\n')
        text[--len] = '\0';
    if (pg_parse_u64(text, UINT64_MAX, out) < 0) {
        pg_err_set(err, "%s: not a serial number (delete it to forget the serials seen)", path);
        goto out;
    }
    rc = 0;
out:
    free(text);
    free(path);
    return rc;
}

void pg_policy_org_commit(const struct pg_policy_org *org, const struct pg_policy_paths *paths)
{
    uint64_t now = 0;
    char num[32], *path;
    int n;

    if (!org || !paths->state_dir || org->info.serial <= org->last_serial)
        return;
    /* Another pkggate may have recorded a newer one since we read it. */
    if (state_read(paths->state_dir, org->info.keyid, &now, NULL) < 0 || now >= org->info.serial)
        return;
    /* Best effort, by design: a state that cannot be kept only weakens rollback checks. */
    if (pg_http_cache_prepare(paths->state_dir, NULL) < 0)
        return;
    n = snprintf(num, sizeof(num), "%" PRIu64 "\n", org->info.serial);
    path = state_path(paths->state_dir, org->info.keyid);
    if (pg_minisign_write_file(path, num, (size_t)n, 0600, 1, NULL) < 0) {
        /* nothing to do: the next load reads the old serial */
    }
    free(path);
}

static const char *when(int64_t t, char *buf, size_t n)
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (t % 86400 == 0 && gmtime_r(&tt, &tm) && strftime(buf, n, "%Y-%m-%d", &tm))
        return buf;
    return pg_time_format(t, buf, n);
}

/* The pin that sig claims, or an error naming the key it came from. */
static const struct pg_minisign_pubkey *pick_key(const struct pg_policy_anchor *a,
                                                 const struct pg_minisign_sig *sig,
                                                 const char *name, struct pg_err *err)
{
    char got[PG_MINISIGN_KEYID_LEN], id[PG_MINISIGN_KEYID_LEN];
    struct pg_sb want = PG_SB_INIT;

    pg_minisign_sig_keyid(sig, got);
    for (size_t i = 0; i < a->nkeys; i++) {
        pg_minisign_keyid(a->keys[i].keynum, id);
        if (!strcmp(id, got)) {
            pg_sb_release(&want);
            return &a->keys[i];
        }
        pg_sb_addf(&want, "%s%s", i ? (i + 1 == a->nkeys ? " or " : ", ") : "", id);
    }
    pg_err_set(err, "org policy %s: signature by key %s, expected %s", name, got, pg_sb_str(&want));
    pg_sb_release(&want);
    return NULL;
}

/* Expiry and rollback, from a trusted comment that has just verified. */
static int check_comment(const struct pg_policy_paths *paths, struct pg_policy_org *org,
                         const char *comment, struct pg_err *err)
{
    struct pg_minisign_tc tc = PG_MINISIGN_TC_INIT;
    struct pg_err e = PG_ERR_INIT;
    int64_t now = paths->now ? (int64_t)paths->now : (int64_t)time(NULL);
    const char *name = org->source;
    char buf[40];
    int rc = -1;

    if (pg_minisign_tc_parse(&tc, comment, &e) < 0) {
        pg_err_set(err, "org policy %s: %s", name, e.msg);
        goto out;
    }
    if (tc.has_expires && now >= tc.expires) {
        pg_err_set(err, "org policy %s: signature expired on %s", name,
                   when(tc.expires, buf, sizeof(buf)));
        goto out;
    }
    org->info.serial = tc.has_serial ? tc.serial : 0;
    org->info.expires = tc.has_expires ? tc.expires : 0;
    if (state_read(paths->state_dir, org->info.keyid, &org->last_serial, &e) < 0) {
        pg_err_set(err, "org policy %s: %s", name, e.msg);
        goto out;
    }
    if (org->info.serial < org->last_serial) {
        pg_err_set(err,
                   "org policy %s: serial %" PRIu64 " is older than the last accepted serial "
                   "%" PRIu64 " (rollback?)",
                   name, org->info.serial, org->last_serial);
        goto out;
    }
    rc = 0;
out:
    pg_minisign_tc_release(&tc);
    return rc;
}

int pg_policy_org_check(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
                        struct pg_policy_org *org, const char *text, size_t len, const char *sig,
                        size_t siglen, const char *sigwhere, struct pg_err *err)
{
    struct pg_minisign_sig *s = NULL;
    const struct pg_minisign_pubkey *pk;
    struct pg_err e = PG_ERR_INIT;
    char *comment = NULL;
    int rc = -1;

    if (!sig) {
        pg_err_set(err, "org policy %s: not signed (expected %s)", org->source, sigwhere);
        goto out;
    }
    if (pg_minisign_sig_parse(sig, siglen, &s, &e) < 0) {
        pg_err_set(err, "org policy %s: %s: %s", org->source, sigwhere, e.msg);
        goto out;
    }
    pk = pick_key(a, s, org->source, err);
    if (!pk)
        goto out;
    pg_minisign_keyid(pk->keynum, org->info.keyid);
    if (pg_minisign_verify(pk, s, text, len, PG_MINISIGN_REQUIRE_PREHASHED, &comment, &e) < 0) {
        pg_err_set(err, "org policy %s: %s%s", org->source, e.msg,
                   pg_minisign_sig_prehashed(s) ? "" : " (sign without -l)");
        goto out;
    }
    rc = check_comment(paths, org, comment, err);
out:
    free(comment);
    pg_minisign_sig_free(s);
    return rc;
}

/* The org layer from paths->system and the .minisig beside it. */
static int read_local(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
                      struct pg_policy_org *org, char **text, size_t *len, struct pg_err *err)
{
    char *sigpath = NULL, *sig = NULL;
    const char *base;
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
    sigpath = pg_xasprintf("%s%s", paths->system, SIG_SUFFIX);
    base = strrchr(sigpath, '/') ? strrchr(sigpath, '/') + 1 : sigpath;
    if (access(sigpath, F_OK) == 0 || errno != ENOENT) {
        if (pg_read_file(sigpath, PG_MINISIGN_SIGFILE_MAX, &sig, &siglen, err) < 0) {
            pg_err_prefix(err, "org policy %s: ", paths->system);
            goto out;
        }
    }
    rc = pg_policy_org_check(a, paths, org, *text, *len, sig, siglen, base, err);
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
        rc = pg_policy_org_fetch(&a, paths, org, text, len, err);
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
