/*
 * policy_org_fx.h - the scratch world of test_policy_org.c and
 * test_policy_orgurl.c: two keys made at test time (group state), and per
 * test a directory with etc/ (anchor, org layer, .minisig), www/ (what
 * tests/fixture/policyserver.py serves), a state and a cache directory,
 * and struct pg_policy_paths pointing at them. Include after cmocka.h.
 */
#ifndef POLICY_ORG_FX_H
#define POLICY_ORG_FX_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_minisign.h"
#include "pg_policy.h"
#include "pg_util.h"
#include "fx_port.h"

#define FIXTURE   PG_TEST_DATA_DIR "/fixture"
#define NO_SERIAL (-1)
/* 2030-06-15T12:00:00Z */
#define T2030 ((time_t)1907755200)

struct keys {
    struct pg_minisign_seckey *sk[2];
    struct pg_minisign_pubkey pk[2];
    char b64[2][PG_MINISIGN_PUBKEY_B64_LEN];
    char id[2][PG_MINISIGN_KEYID_LEN];
};

struct fx {
    const struct keys *k;
    char *tmp, *etc, *policy, *sig, *anchor, *state, *cache, *www;
    struct pg_policy_paths p;
    pid_t srv;
    int port;
};

/* fork + execvp, stdout to out_fd (or /dev/null when < 0), stderr to /dev/null. */
static inline pid_t spawn(char *const argv[], int out_fd)
{
    pid_t pid = fork();

    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);

        dup2(out_fd >= 0 ? out_fd : null, 1);
        dup2(null, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static inline int run_wait(char *const argv[])
{
    int status = 0;
    pid_t pid = spawn(argv, -1);

    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Start policyserver.py on fx->www; its first stdout line is the port. */
static inline void start_server(struct fx *f)
{
    char script[] = FIXTURE "/policyserver.py";
    char *argv[] = {"python3", script, f->www, NULL};
    int p[2];

    assert_int_equal(pipe(p), 0);
    f->srv = spawn(argv, p[1]);
    close(p[1]);
    f->port = fx_read_port(p[0]);
    if (f->port < 0)
        fail_msg("policyserver.py did not start");
}

static inline void stop_server(struct fx *f)
{
    if (f->srv <= 0)
        return;
    kill(f->srv, SIGTERM);
    waitpid(f->srv, NULL, 0);
    f->srv = 0;
}

static inline void put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

static inline char *sign_text(const struct fx *f, int key, const char *text, int64_t serial,
                              const char *expires, unsigned flags)
{
    struct pg_err err = PG_ERR_INIT;
    uint64_t s = (uint64_t)serial;
    char *tc = NULL, *out = NULL;

    if (pg_minisign_tc_build(NULL, "policy.json", 1700000000, serial < 0 ? NULL : &s, expires,
                             !(flags & PG_MINISIGN_LEGACY), &tc, &err) < 0 ||
        pg_minisign_sign(f->k->sk[key], text, strlen(text), tc, NULL, flags, &out, &err) < 0)
        fail_msg("signing: %s", err.msg);
    free(tc);
    return out;
}

/* Write text to path and its signature to path.minisig. */
static inline void publish(const struct fx *f, const char *path, const char *text, int key,
                           int64_t serial, const char *expires)
{
    char *sig = sign_text(f, key, text, serial, expires, 0);
    char *sigpath = pg_xasprintf("%s.minisig", path);

    put(path, text);
    put(sigpath, sig);
    free(sigpath);
    free(sig);
}

/* org.json pinning key 0, plus extra members ("" or ", \"url\": ..."). */
static inline void anchor(const struct fx *f, const char *fmt, ...) PG_PRINTF(2, 3);

static inline void anchor(const struct fx *f, const char *fmt, ...)
{
    struct pg_sb sb = PG_SB_INIT;
    va_list ap;

    pg_sb_addf(&sb, "{\"public_key\": \"%s\"", f->k->b64[0]);
    va_start(ap, fmt);
    pg_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    pg_sb_adds(&sb, "}\n");
    put(f->anchor, pg_sb_str(&sb));
    pg_sb_release(&sb);
}

static inline struct pg_policy *load_ok(const struct fx *f)
{
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;

    if (pg_policy_load(&pol, &f->p, &err) < 0)
        fail_msg("load failed: %s", err.msg);
    return pol;
}

/* The load must fail, and its message contain want. */
static inline void load_fails(const struct fx *f, const char *want)
{
    struct pg_policy *pol = (struct pg_policy *)&pol;
    struct pg_err err = PG_ERR_INIT;

    assert_int_equal(pg_policy_load(&pol, &f->p, &err), -1);
    assert_null(pol);
    if (!strstr(err.msg, want))
        fail_msg("error '%s' lacks '%s'", err.msg, want);
}

/* The serial on record for key 0, or -1 when there is none. */
static inline int64_t recorded(const struct fx *f)
{
    char *path = pg_xasprintf("%s/org-serial-%s", f->state, f->k->id[0]);
    char *text = NULL;
    size_t len = 0;
    uint64_t v = 0;
    struct stat st;

    if (stat(path, &st) < 0) {
        free(path);
        return -1;
    }
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(pg_read_file(path, 64, &text, &len, NULL), 0);
    text[strcspn(text, "\n")] = '\0';
    assert_int_equal(pg_parse_u64(text, UINT64_MAX, &v), 0);
    free(text);
    free(path);
    return (int64_t)v;
}

static inline int group_setup(void **state)
{
    struct keys *k = pg_xcalloc(1, sizeof(*k));
    struct pg_err err = PG_ERR_INIT;

    for (int i = 0; i < 2; i++) {
        if (pg_minisign_keygen(&k->sk[i], &k->pk[i], &err) < 0)
            return -1;
        pg_minisign_pubkey_base64(&k->pk[i], k->b64[i]);
        pg_minisign_keyid(k->pk[i].keynum, k->id[i]);
    }
    *state = k;
    return 0;
}

static inline int group_teardown(void **state)
{
    struct keys *k = *state;

    for (int i = 0; k && i < 2; i++)
        pg_minisign_seckey_free(k->sk[i]);
    free(k);
    return 0;
}

static inline int setup(void **state)
{
    struct fx *f = pg_xcalloc(1, sizeof(*f));
    const char *t = getenv("TMPDIR");

    f->k = *state;
    f->tmp = pg_xasprintf("%s/pg-org-XXXXXX", t && *t == '/' ? t : "/tmp");
    if (!mkdtemp(f->tmp))
        return -1;
    f->etc = pg_xasprintf("%s/etc", f->tmp);
    f->www = pg_xasprintf("%s/www", f->tmp);
    f->policy = pg_xasprintf("%s/policy.json", f->etc);
    f->sig = pg_xasprintf("%s/policy.json.minisig", f->etc);
    f->anchor = pg_xasprintf("%s/org.json", f->etc);
    f->state = pg_xasprintf("%s/state/pkggate", f->tmp);
    f->cache = pg_xasprintf("%s/cache/pkggate/http", f->tmp);
    if (mkdir(f->etc, 0755) < 0 || mkdir(f->www, 0755) < 0)
        return -1;
    f->p.system = f->policy;
    f->p.org = f->anchor;
    f->p.state_dir = f->state;
    f->p.cache_dir = f->cache;
    *state = f;
    return 0;
}

static inline int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static inline int teardown(void **state)
{
    struct fx *f = *state;

    stop_server(f);
    nftw(f->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f->tmp);
    free(f->etc);
    free(f->www);
    free(f->policy);
    free(f->sig);
    free(f->anchor);
    free(f->state);
    free(f->cache);
    free(f);
    return 0;
}

#endif
