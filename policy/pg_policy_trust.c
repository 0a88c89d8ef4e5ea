/*
 * Trusting a project or $PKGGATE_POLICY file, as direnv trusts an .envrc:
 * by its real path and the SHA-256 of its content, so that changing one
 * byte un-trusts it. The record's format is in pg_policy_trust.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_policy_trust.h"
#include "pg_policy_schema.h"
#include "pg_util.h"
#include "banned.h"

#define HEX_LEN (2 * crypto_hash_sha256_BYTES)
/* The record holds a line per trusted file: a few hundred at most. */
#define STORE_MAX ((size_t)1 << 20)

static void sha256_hex(const char *text, size_t len, char hex[HEX_LEN + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)text, len);
    sodium_bin2hex(hex, HEX_LEN + 1, h, sizeof(h));
}

char *pg_policy_trust_canon(const char *path)
{
    char *real = path ? realpath(path, NULL) : NULL;

    /* A newline would split the record's line: such a path is never trusted. */
    if (real && strchr(real, '\n')) {
        free(real);
        return NULL;
    }
    return real;
}

static char *store_path(const char *state_dir)
{
    return pg_xasprintf("%s/trusted", state_dir);
}

/* The record's text into *text (NULL when there is none or it is not the user's own). */
static void store_read(const char *path, char **text)
{
    struct pg_err err = PG_ERR_INIT;
    struct stat st;
    size_t len;

    *text = NULL;
    if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & 022))
        return;
    if (pg_read_file(path, STORE_MAX, text, &len, &err) < 0)
        *text = NULL;
}

/*
 * Walk the record's lines: for each well-formed one, call fn(hex, path,
 * arg); stop when it returns non-zero and return that.
 */
static int each_line(char *text, int (*fn)(const char *, const char *, void *), void *arg)
{
    char *line = text;

    while (line && *line) {
        char *nl = strchr(line, '\n');
        int rc;

        if (nl)
            *nl = '\0';
        if (strlen(line) > HEX_LEN + 1 && line[HEX_LEN] == ' ' &&
            strspn(line, "0123456789abcdef") == HEX_LEN) {
            line[HEX_LEN] = '\0';
            rc = fn(line, line + HEX_LEN + 1, arg);
            line[HEX_LEN] = ' ';
            if (rc) {
                if (nl)
                    *nl = '\n';
                return rc;
            }
        }
        if (nl)
            *nl = '\n';
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

struct want {
    const char *hex, *path;
};

static int matches(const char *hex, const char *path, void *arg)
{
    const struct want *w = arg;

    return strcmp(path, w->path) == 0 && sodium_memcmp(hex, w->hex, HEX_LEN) == 0;
}

int pg_policy_trust_known(const char *state_dir, const char *canon, const char *text, size_t len)
{
    char hex[HEX_LEN + 1], *store, *rec = NULL;
    struct want w = {hex, canon};
    int hit;

    if (!state_dir || !canon)
        return 0;
    sha256_hex(text, len, hex);
    store = store_path(state_dir);
    store_read(store, &rec);
    hit = rec ? each_line(rec, matches, &w) : 0;
    free(rec);
    free(store);
    return hit;
}

/* mkdir -p dir, 0700 for what it creates. */
static int make_dir(const char *dir, struct pg_err *err)
{
    char *p = pg_xstrdup(dir);
    int rc = 0;

    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) < 0 && errno != EEXIST)
            rc = pg_err_set(err, "cannot create '%s': %s", p, strerror(errno));
        *s = '/';
    }
    if (rc == 0 && mkdir(p, 0700) < 0 && errno != EEXIST)
        rc = pg_err_set(err, "cannot create '%s': %s", p, strerror(errno));
    free(p);
    return rc;
}

/* Write text over path atomically: a 0600 file beside it, renamed. */
static int store_write(const char *path, const struct pg_sb *text, struct pg_err *err)
{
    char *tmp = pg_xasprintf("%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp), rc = -1;

    if (fd < 0) {
        pg_err_set(err, "cannot create a file next to '%s': %s", path, strerror(errno));
        goto out;
    }
    if (pg_write_all(fd, text->buf ? text->buf : "", text->len) < 0 || fsync(fd) < 0) {
        pg_err_set(err, "cannot write '%s': %s", tmp, strerror(errno));
        close(fd);
    } else if (close(fd) < 0) {
        pg_err_set(err, "cannot write '%s': %s", tmp, strerror(errno));
    } else if (rename(tmp, path) < 0) {
        pg_err_set(err, "cannot rename to '%s': %s", path, strerror(errno));
    } else {
        rc = 0;
    }
    if (rc < 0 && fd >= 0)
        unlink(tmp);
out:
    free(tmp);
    return rc;
}

struct keep {
    const char *drop; /* this path's lines go */
    struct pg_sb *out;
    int dropped;
};

static int keep_others(const char *hex, const char *path, void *arg)
{
    struct keep *k = arg;

    if (strcmp(path, k->drop) == 0)
        k->dropped = 1;
    else
        pg_sb_addf(k->out, "%s %s\n", hex, path);
    return 0;
}

/*
 * Rewrite the record without canon's lines, plus "hex canon" when hex is
 * not NULL. Returns 1 when canon had lines, 0 when not, -1 on error.
 */
static int store_update(const char *state_dir, const char *canon, const char *hex,
                        struct pg_err *err)
{
    struct pg_sb out = PG_SB_INIT;
    struct keep k = {canon, &out, 0};
    char *store = NULL, *rec = NULL;
    int rc = -1;

    if (!state_dir) {
        pg_err_set(err, "no state directory to record trust in (set XDG_STATE_HOME or HOME)");
        goto out;
    }
    if (make_dir(state_dir, err) < 0)
        goto out;
    store = store_path(state_dir);
    store_read(store, &rec);
    pg_sb_adds(&out, "# pkggate: trusted policy files (sha256 real-path); "
                     "see `pkggate policy trust`\n");
    if (rec)
        each_line(rec, keep_others, &k);
    if (hex)
        pg_sb_addf(&out, "%s %s\n", hex, canon);
    if ((k.dropped || hex) && store_write(store, &out, err) < 0)
        goto out;
    rc = k.dropped;
out:
    free(rec);
    free(store);
    pg_sb_release(&out);
    return rc;
}

int pg_policy_trust_record(const char *state_dir, const char *canon, const char *text, size_t len,
                           struct pg_err *err)
{
    char hex[HEX_LEN + 1];

    sha256_hex(text, len, hex);
    return store_update(state_dir, canon, hex, err) < 0 ? -1 : 0;
}

int pg_policy_trust_forget(const char *state_dir, const char *canon, struct pg_err *err)
{
    return store_update(state_dir, canon, NULL, err);
}
