/*
 * pg_tuf_client.c - TUF's client workflow for one top-level target, and
 * the state it keeps between updates (pg_tuf.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_time.h"
#include "pg_tuf.h"
#include "banned.h"

#define REPO_FILE "repository" /* the URL the stored state came from */

/* The trusted metadata of one update; each a parsed document or NULL. */
struct tuf {
    json_t *root, *ts, *snap, *targets;
    char *ts_raw, *snap_raw, *targets_raw, *target_raw;
    size_t ts_len, snap_len, targets_len, target_len;
};

static void tuf_release(struct tuf *t)
{
    json_decref(t->root);
    json_decref(t->ts);
    json_decref(t->snap);
    json_decref(t->targets);
    free(t->ts_raw);
    free(t->snap_raw);
    free(t->targets_raw);
    free(t->target_raw);
}

/* GET base/path; *raw NULL on a 404. */
static int get(const struct pg_tuf_update *u, const char *path, size_t max, char **raw,
               size_t *len, struct pg_err *err)
{
    size_t n = strlen(u->url);
    char *url = pg_xasprintf("%.*s/%s", (int)(n && u->url[n - 1] == '/' ? n - 1 : n), u->url,
                             path);
    int rc = u->fetch.get(u->fetch.arg, url, max, raw, len, err);

    if (rc < 0)
        pg_err_prefix(err, "%s: ", path);
    free(url);
    return rc;
}

/* A fetched document that must exist: parsed as type, raw kept in *raw. */
static int get_doc(const struct pg_tuf_update *u, const char *path, size_t max, const char *type,
                   json_t **doc, char **raw, size_t *len, struct pg_err *err)
{
    if (get(u, path, max, raw, len, err) < 0)
        return -1;
    if (!*raw)
        return pg_err_set(err, "%s: not found (404) in the repository", path);
    if (pg_tuf_parse(*raw, *len, type, doc, err) < 0)
        return pg_err_prefix(err, "%s: ", path);
    return 0;
}

static int not_expired(const json_t *doc, const char *name, int64_t now, struct pg_err *err)
{
    char when[32];

    if (pg_tuf_expires(doc) > now)
        return 0;
    return pg_err_set(err, "%s expired at %s (a frozen or replayed repository)", name,
                      pg_time_format(pg_tuf_expires(doc), when, sizeof(when)));
}

/* One rotation: N+1.root.json signed by the old and the new root keys. */
static int next_root(const struct pg_tuf_update *u, struct tuf *t, int *done, struct pg_err *err)
{
    int64_t v = pg_tuf_version(t->root) + 1;
    char *path = pg_xasprintf("%lld.root.json", (long long)v), *raw = NULL;
    size_t len = 0;
    json_t *doc = NULL;
    int rc = -1;

    *done = 0;
    if (get(u, path, PG_TUF_MAX_META, &raw, &len, err) < 0)
        goto out;
    if (!raw) {
        *done = 1;
        rc = 0;
        goto out;
    }
    if (pg_tuf_parse(raw, len, "root", &doc, err) < 0 ||
        pg_tuf_verify_role(t->root, "root", doc, err) < 0 ||
        pg_tuf_verify_role(doc, "root", doc, err) < 0) {
        pg_err_prefix(err, "%s: ", path);
        goto out;
    }
    if (pg_tuf_version(doc) != v) {
        pg_err_set(err, "%s: states version %lld (a replayed root)", path,
                   (long long)pg_tuf_version(doc));
        goto out;
    }
    json_decref(t->root);
    t->root = doc;
    doc = NULL;
    rc = 0;
out:
    json_decref(doc);
    free(raw);
    free(path);
    return rc;
}

static const json_t *role_keys(const json_t *root, const char *role)
{
    return json_object_get(json_object_get(json_object_get(json_object_get(root, "signed"),
                                                           "roles"),
                                           role),
                           "keyids");
}

static int update_root(struct pg_tuf_update *u, struct tuf *t, struct pg_err *err)
{
    json_t *first = json_incref(t->root);
    int done = 0, rc = -1;

    for (int i = 0; i < PG_TUF_MAX_ROTATIONS && !done; i++) {
        if (next_root(u, t, &done, err) < 0)
            goto out;
        u->root_rotations += !done;
    }
    if (not_expired(t->root, "root.json", u->now, err) < 0)
        goto out;
    /* New timestamp or snapshot keys: the old versions say nothing about the
     * new keys' metadata, so they no longer bound it (spec 5.3.11). */
    if (!json_equal(role_keys(first, "timestamp"), role_keys(t->root, "timestamp"))) {
        json_decref(t->ts);
        t->ts = NULL;
    }
    if (!json_equal(role_keys(first, "snapshot"), role_keys(t->root, "snapshot")) || !t->ts) {
        json_decref(t->snap);
        t->snap = NULL;
    }
    u->root_version = pg_tuf_version(t->root);
    rc = 0;
out:
    json_decref(first);
    return rc;
}

/* The meta entry for name in doc's "signed"."meta", with an integer version. */
static const json_t *meta_of(const json_t *doc, const char *name)
{
    const json_t *m = json_object_get(json_object_get(json_object_get(doc, "signed"), "meta"),
                                      name);

    return json_is_integer(json_object_get(m, "version")) ? m : NULL;
}

/* Every hash of a known algorithm in hashes matches; need_one: at least one. */
static int hashes_ok(const json_t *hashes, const char *data, size_t len, int need_one,
                     const char *what, struct pg_err *err)
{
    unsigned char d[crypto_hash_sha512_BYTES];
    char hex[2 * crypto_hash_sha512_BYTES + 1];
    const char *alg;
    const json_t *want;
    int known = 0;

    json_object_foreach((json_t *)hashes, alg, want) {
        size_t n;
        if (!strcmp(alg, "sha256")) {
            crypto_hash_sha256(d, (const unsigned char *)data, len);
            n = crypto_hash_sha256_BYTES;
        } else if (!strcmp(alg, "sha512")) {
            crypto_hash_sha512(d, (const unsigned char *)data, len);
            n = crypto_hash_sha512_BYTES;
        } else {
            continue;
        }
        sodium_bin2hex(hex, sizeof(hex), d, n);
        if (!pg_streq(json_string_value(want), hex))
            return pg_err_set(err, "%s: its %s is not the one the signed metadata states", what,
                              alg);
        known++;
    }
    if (need_one && !known)
        return pg_err_set(err, "%s: the signed metadata gives no sha256 or sha512", what);
    return 0;
}

/* Length (exact) and hashes of raw as meta states them, when it does. */
static int meta_ok(const json_t *meta, const char *raw, size_t len, const char *what,
                   struct pg_err *err)
{
    const json_t *l = json_object_get(meta, "length");

    if (l && (!json_is_integer(l) || (json_int_t)len != json_integer_value(l)))
        return pg_err_set(err, "%s: %zu bytes, the signed metadata states another length",
                          what, len);
    return hashes_ok(json_object_get(meta, "hashes"), raw, len, 0, what, err);
}

static int step_timestamp(const struct pg_tuf_update *u, struct tuf *t, struct pg_err *err)
{
    json_t *doc = NULL;
    const json_t *m;

    if (get_doc(u, "timestamp.json", PG_TUF_MAX_META, "timestamp", &doc, &t->ts_raw, &t->ts_len,
                err) < 0 ||
        pg_tuf_verify_role(t->root, "timestamp", doc, err) < 0)
        goto fail;
    m = meta_of(doc, "snapshot.json");
    if (!m) {
        pg_err_set(err, "timestamp.json names no snapshot.json version");
        goto fail;
    }
    if (t->ts && (pg_tuf_version(doc) < pg_tuf_version(t->ts) ||
                  json_integer_value(json_object_get(m, "version")) <
                      json_integer_value(json_object_get(meta_of(t->ts, "snapshot.json"),
                                                         "version")))) {
        pg_err_set(err, "timestamp.json: version %lld is older than the %lld already trusted "
                        "(a rollback)",
                   (long long)pg_tuf_version(doc), (long long)pg_tuf_version(t->ts));
        goto fail;
    }
    if (not_expired(doc, "timestamp.json", u->now, err) < 0)
        goto fail;
    json_decref(t->ts);
    t->ts = doc;
    return 0;
fail:
    json_decref(doc);
    return -1;
}

/* snapshot.json or targets.json as meta (from the previous role) names it. */
static int get_meta_doc(const struct pg_tuf_update *u, const struct tuf *t, const json_t *meta,
                        const char *name, const char *type, json_t **doc, char **raw,
                        size_t *len, struct pg_err *err)
{
    int64_t v = json_integer_value(json_object_get(meta, "version"));
    const json_t *l = json_object_get(meta, "length");
    size_t max = PG_TUF_MAX_META;
    int consistent = json_is_true(json_object_get(json_object_get(t->root, "signed"),
                                                  "consistent_snapshot"));
    char *path = consistent ? pg_xasprintf("%lld.%s", (long long)v, name) : pg_xstrdup(name);
    int rc = -1;

    if (json_is_integer(l) && json_integer_value(l) >= 0 &&
        (size_t)json_integer_value(l) < max)
        max = (size_t)json_integer_value(l);
    if (get_doc(u, path, max, type, doc, raw, len, err) < 0 ||
        meta_ok(meta, *raw, *len, path, err) < 0 ||
        pg_tuf_verify_role(t->root, type, *doc, err) < 0)
        goto out;
    if (pg_tuf_version(*doc) != v) {
        pg_err_set(err, "%s: version %lld, where version %lld was signed for", path,
                   (long long)pg_tuf_version(*doc), (long long)v);
        goto out;
    }
    rc = not_expired(*doc, name, u->now, err);
out:
    free(path);
    return rc;
}

/* No targets file the old snapshot listed is gone or older (spec 5.5.5). */
static int snap_no_rollback(const json_t *old, const json_t *doc, struct pg_err *err)
{
    const char *name;
    const json_t *m;

    json_object_foreach(json_object_get(json_object_get(old, "signed"), "meta"), name, m) {
        const json_t *n = meta_of(doc, name);
        if (!n || json_integer_value(json_object_get(n, "version")) <
                      json_integer_value(json_object_get(m, "version")))
            return pg_err_set(err, "snapshot.json: %s is missing or older than the version "
                                   "already trusted (a rollback)",
                              name);
    }
    return 0;
}

static int step_snapshot(const struct pg_tuf_update *u, struct tuf *t, struct pg_err *err)
{
    json_t *doc = NULL;

    if (get_meta_doc(u, t, meta_of(t->ts, "snapshot.json"), "snapshot.json", "snapshot", &doc,
                     &t->snap_raw, &t->snap_len, err) < 0 ||
        (t->snap && snap_no_rollback(t->snap, doc, err) < 0)) {
        json_decref(doc);
        return -1;
    }
    json_decref(t->snap);
    t->snap = doc;
    return 0;
}

static int step_targets(struct pg_tuf_update *u, struct tuf *t, struct pg_err *err)
{
    const json_t *m = meta_of(t->snap, "targets.json");
    json_t *doc = NULL;

    if (!m)
        return pg_err_set(err, "snapshot.json names no targets.json version");
    if (get_meta_doc(u, t, m, "targets.json", "targets", &doc, &t->targets_raw, &t->targets_len,
                     err) < 0) {
        json_decref(doc);
        return -1;
    }
    json_decref(t->targets);
    t->targets = doc;
    u->targets_version = pg_tuf_version(doc);
    return 0;
}

/* The target's entry in the top-level targets, with a usable length. */
static const json_t *target_entry(const json_t *targets, const char *name, struct pg_err *err)
{
    const json_t *e = json_object_get(
        json_object_get(json_object_get(targets, "signed"), "targets"), name);
    const json_t *l = json_object_get(e, "length");

    if (!e) {
        pg_err_set(err, "'%s' is not among the top-level targets (delegated targets are not "
                        "followed)",
                   name);
        return NULL;
    }
    if (!json_is_integer(l) || json_integer_value(l) < 0 ||
        (size_t)json_integer_value(l) > PG_TUF_MAX_TARGET) {
        pg_err_set(err, "'%s': no length, or over %zu bytes", name, PG_TUF_MAX_TARGET);
        return NULL;
    }
    return e;
}

static int step_target(const struct pg_tuf_update *u, struct tuf *t, struct pg_err *err)
{
    const json_t *e = target_entry(t->targets, u->target, err);
    const char *h = json_string_value(json_object_get(json_object_get(e, "hashes"), "sha256"));
    int consistent = json_is_true(json_object_get(json_object_get(t->root, "signed"),
                                                  "consistent_snapshot"));
    char *path = NULL;
    int rc = -1;

    if (!e)
        return -1;
    if (consistent && (!h || strchr(h, '/')))
        return pg_err_set(err, "'%s': no sha256 to fetch it by", u->target);
    path = consistent ? pg_xasprintf("targets/%s.%s", h, u->target)
                      : pg_xasprintf("targets/%s", u->target);
    if (get(u, path, (size_t)json_integer_value(json_object_get(e, "length")), &t->target_raw,
            &t->target_len, err) < 0)
        goto out;
    if (!t->target_raw) {
        pg_err_set(err, "%s: not found (404) in the repository", path);
        goto out;
    }
    if (meta_ok(e, t->target_raw, t->target_len, path, err) < 0 ||
        hashes_ok(json_object_get(e, "hashes"), t->target_raw, t->target_len, 1, path, err) < 0)
        goto out;
    rc = 0;
out:
    free(path);
    return rc;
}

/* A stored document, or NULL when there is none or it is unreadable. */
static json_t *load_stored(const char *dir, const char *name, const char *type)
{
    char *path = pg_xasprintf("%s/%s", dir, name), *text = NULL;
    size_t len = 0;
    json_t *doc = NULL;
    struct pg_err e = PG_ERR_INIT;

    if (pg_read_file(path, PG_TUF_MAX_META, &text, &len, &e) == 0 &&
        pg_tuf_parse(text, len, type, &doc, &e) < 0)
        doc = NULL;
    free(text);
    free(path);
    return doc;
}

/* The state this update starts from: stored for the same URL, else the initial root. */
static int load_state(const struct pg_tuf_update *u, struct tuf *t, struct pg_err *err)
{
    char *path = pg_xasprintf("%s/" REPO_FILE, u->state_dir), *url = NULL;
    size_t len = 0;
    struct pg_err e = PG_ERR_INIT;
    int same = pg_read_file(path, 4096, &url, &len, &e) == 0 && pg_streq(url, u->url);

    free(path);
    free(url);
    if (same)
        t->root = load_stored(u->state_dir, "root.json", "root");
    if (t->root) {
        t->ts = load_stored(u->state_dir, "timestamp.json", "timestamp");
        t->snap = load_stored(u->state_dir, "snapshot.json", "snapshot");
        return 0;
    }
    if (pg_tuf_parse(u->initial_root, u->initial_len, "root", &t->root, err) < 0)
        return pg_err_prefix(err, "the initial root: ");
    /* Trusted because it is pinned, but it must at least be signed by itself. */
    if (pg_tuf_verify_role(t->root, "root", t->root, err) < 0)
        return pg_err_prefix(err, "the initial root: ");
    return 0;
}

static int mkdirs(const char *dir, struct pg_err *err)
{
    char *p = pg_xstrdup(dir);
    int rc = 0;

    for (char *s = p + 1; rc == 0; s++) {
        int end = *s == '\0';
        if (*s != '/' && !end)
            continue;
        *s = '\0';
        if (mkdir(p, 0700) < 0 && errno != EEXIST)
            rc = pg_err_set(err, "cannot create '%s': %s", p, strerror(errno));
        if (end)
            break;
        *s = '/';
    }
    free(p);
    return rc;
}

/* dir/name := data, by a private temporary file and rename. */
static int put(const char *dir, const char *name, const char *data, size_t len,
               struct pg_err *err)
{
    char *tmp = pg_xasprintf("%s/.%s.XXXXXX", dir, name), *path = pg_xasprintf("%s/%s", dir, name);
    int fd = mkstemp(tmp), rc = -1;

    if (fd < 0) {
        pg_err_set(err, "cannot write in '%s': %s", dir, strerror(errno));
        goto out;
    }
    if (pg_write_all(fd, data, len) < 0 || fsync(fd) < 0 || close(fd) < 0 ||
        rename(tmp, path) < 0) {
        pg_err_set(err, "cannot write '%s': %s", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    free(tmp);
    free(path);
    return rc;
}

static int save_state(const struct pg_tuf_update *u, const struct tuf *t, struct pg_err *err)
{
    char *root = json_dumps(t->root, JSON_INDENT(1) | JSON_SORT_KEYS);
    int rc = -1;

    if (!root) {
        pg_err_set(err, "out of memory");
        goto out;
    }
    /* The target goes last but one: pg_tuf_stored checks it against the
     * stored targets.json, so a write cut short is noticed, not trusted. */
    if (mkdirs(u->state_dir, err) < 0 ||
        put(u->state_dir, "timestamp.json", t->ts_raw, t->ts_len, err) < 0 ||
        put(u->state_dir, "snapshot.json", t->snap_raw, t->snap_len, err) < 0 ||
        put(u->state_dir, "targets.json", t->targets_raw, t->targets_len, err) < 0 ||
        put(u->state_dir, u->target, t->target_raw, t->target_len, err) < 0 ||
        put(u->state_dir, "root.json", root, strlen(root), err) < 0 ||
        put(u->state_dir, REPO_FILE, u->url, strlen(u->url), err) < 0)
        goto out;
    rc = 0;
out:
    free(root);
    return rc;
}

/* Whether the target differs from what is stored. */
static int target_changed(const struct pg_tuf_update *u, const struct tuf *t)
{
    char *path = pg_xasprintf("%s/%s", u->state_dir, u->target), *old = NULL;
    size_t len = 0;
    struct pg_err e = PG_ERR_INIT;
    int changed = pg_read_file(path, PG_TUF_MAX_TARGET, &old, &len, &e) < 0 ||
                  len != t->target_len || memcmp(old, t->target_raw, len) != 0;

    free(old);
    free(path);
    return changed;
}

int pg_tuf_update_run(struct pg_tuf_update *u, struct pg_err *err)
{
    struct tuf t = {0};
    int rc = -1;

    u->root_version = u->targets_version = 0;
    u->root_rotations = u->target_changed = 0;
    if (load_state(u, &t, err) < 0 || update_root(u, &t, err) < 0 ||
        step_timestamp(u, &t, err) < 0 || step_snapshot(u, &t, err) < 0 ||
        step_targets(u, &t, err) < 0 || step_target(u, &t, err) < 0)
        goto out;
    if (u->check && u->check(t.target_raw, t.target_len, err) < 0) {
        pg_err_prefix(err, "%s: ", u->target);
        goto out;
    }
    u->target_changed = target_changed(u, &t);
    rc = save_state(u, &t, err);
out:
    tuf_release(&t);
    return rc;
}

int pg_tuf_stored(const char *state_dir, const char *target, char **text, size_t *len,
                  int64_t *targets_version, char **url, struct pg_err *err)
{
    json_t *targets = load_stored(state_dir, "targets.json", "targets");
    const json_t *e = targets ? target_entry(targets, target, err) : NULL;
    char *path = pg_xasprintf("%s/%s", state_dir, target);
    char *repo = pg_xasprintf("%s/" REPO_FILE, state_dir);
    size_t ulen = 0;
    int rc = -1;

    *text = *url = NULL;
    if (!targets) {
        pg_err_set(err, "no trust root stored in '%s' (run `pkggate trust-root update`)",
                   state_dir);
        goto out;
    }
    if (!e || pg_read_file(path, PG_TUF_MAX_TARGET, text, len, err) < 0 ||
        meta_ok(e, *text, *len, path, err) < 0 ||
        hashes_ok(json_object_get(e, "hashes"), *text, *len, 1, path, err) < 0 ||
        pg_read_file(repo, 4096, url, &ulen, err) < 0)
        goto out;
    *targets_version = pg_tuf_version(targets);
    rc = 0;
out:
    if (rc < 0) {
        free(*text);
        free(*url);
        *text = *url = NULL;
    }
    json_decref(targets);
    free(path);
    free(repo);
    return rc;
}
