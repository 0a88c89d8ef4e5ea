/*
 * The checks a signed org layer passes before its JSON is read, in the
 * order pg_policy.h gives, and the serials remembered against rollback.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pg_http_cache.h"
#include "pg_policy_orgsig.h"
#include "pg_time.h"
#include "pg_util.h"
#include "banned.h"

/* A state file holds one decimal number; anything longer is not ours. */
#define STATE_MAX 64

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

void pg_policy_orgsig_commit(const struct pg_policy_org *org, const struct pg_policy_paths *paths)
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

int pg_policy_orgsig_check(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
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
