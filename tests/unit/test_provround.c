/*
 * test_provround.c - lib/eco/pg_provround against the fixture registry
 * started with --forge (tests/fixture/fixture_sigstore.py): real bundles
 * under a test root of this run, and forged ones. Each state the round can
 * leave is reached: verified (npm and PyPI, with the identity and, for
 * PyPI, the publisher the document states), invalid (a statement about
 * another tarball, a leaf from another CA, a broken inclusion proof),
 * absent, unavailable (named but 404; no root), and a version asked twice
 * is settled once.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pg_meta.h"
#include "pg_provround.h"
#include "pg_registry.h"
#include "pg_util.h"

#define FIXTURE PG_TEST_DATA_DIR "/fixture"

struct env {
    pid_t pid;
    char tmp[64];
    char *npm, *pypi;
    struct pg_sigstore_root *root;
    struct pg_http *h;
};

static int wait_port(struct env *e, const char *state)
{
    char *port_file = pg_xasprintf("%s/port", state), *text = NULL;
    struct timespec tick = {0, 50000000L};
    size_t len;
    int rc = -1;

    /* Until the port file appears or the registry dies: no fixed wait. */
    for (int i = 0; i < 2400 && waitpid(e->pid, NULL, WNOHANG) == 0; i++) {
        if (pg_read_file(port_file, 64, &text, &len, NULL) == 0 && len > 1) {
            text[strcspn(text, "\n")] = '\0';
            e->npm = pg_xasprintf("http://127.0.0.1:%s/", text);
            e->pypi = pg_xasprintf("http://127.0.0.1:%s/simple", text);
            rc = 0;
            break;
        }
        free(text);
        text = NULL;
        nanosleep(&tick, NULL);
    }
    free(text);
    free(port_file);
    return rc;
}

static int load_root(struct env *e, const char *state)
{
    char *path = pg_xasprintf("%s/sigstore-root.json", state), *text = NULL;
    struct pg_err err = PG_ERR_INIT;
    size_t len;
    int rc = pg_read_file(path, (size_t)1 << 20, &text, &len, &err);

    if (rc == 0)
        rc = pg_sigstore_root_parse(&e->root, text, len, &err);
    if (rc < 0)
        fprintf(stderr, "test root: %s\n", err.msg);
    free(text);
    free(path);
    return rc;
}

static int setup(void **state)
{
    struct env *e = pg_xcalloc(1, sizeof(*e));
    struct pg_http_opts o = {0};
    struct pg_err err = PG_ERR_INIT;
    char script[] = FIXTURE "/registry.py", packages[] = FIXTURE "/packages";
    char forge[] = PG_BUILD_DIR "/tests/pg_forge_sigstore";
    char *st;

    *state = e;
    snprintf(e->tmp, sizeof(e->tmp), "/tmp/pg-provround-XXXXXX");
    if (!mkdtemp(e->tmp))
        return -1;
    st = pg_xasprintf("%s/reg", e->tmp);
    e->pid = fork();
    if (e->pid == 0) {
        char *argv[] = {"python3", script, "--packages", packages, "--state", st,
                        "--forge", forge, NULL};
        int null = open("/dev/null", O_WRONLY);

        dup2(null, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (e->pid < 0 || wait_port(e, st) < 0 || load_root(e, st) < 0) {
        free(st);
        return -1;
    }
    free(st);
    e->h = pg_http_new(&o, &err);
    return e->h ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct env *e = *state;

    if (e->pid > 0) {
        kill(e->pid, SIGTERM);
        waitpid(e->pid, NULL, 0);
    }
    nftw(e->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    pg_http_free(e->h);
    pg_sigstore_root_free(e->root);
    free(e->npm);
    free(e->pypi);
    free(e);
    return 0;
}

/* The packuments (or simple pages) of names, fetched in one round. */
static void metas(struct env *e, enum pg_eco eco, const char *const *names,
                  struct pg_registry_query *q, size_t n)
{
    memset(q, 0, n * sizeof(*q));
    for (size_t i = 0; i < n; i++) {
        q[i].eco = eco;
        q[i].name = names[i];
        q[i].index = eco == PG_ECO_NPM ? e->npm : e->pypi;
    }
    pg_registry_fetch(e->h, q, n, 0, NULL, 0);
    for (size_t i = 0; i < n; i++)
        if (!q[i].meta)
            fail_msg("%s: %s", names[i], q[i].error ? q[i].error : "no meta");
}

static struct pg_meta_version *ver(struct pg_registry_query *q, const char *v)
{
    struct pg_meta_version *mv = (struct pg_meta_version *)pg_meta_find(q->meta, v);

    if (!mv)
        fail_msg("%s has no %s", q->name, v);
    return mv;
}

static struct pg_provround_job job(struct pg_registry_query *q, const char *v)
{
    struct pg_provround_job j = {q->eco, q->name, q->index, NULL, ver(q, v)};

    return j;
}

static void test_npm(void **state)
{
    struct env *e = *state;
    const char *names[] = {"prov-lib", "prov-forged"};
    struct pg_registry_query q[2];
    struct pg_provround_job jobs[7];
    struct pg_meta_version *ok;

    metas(e, PG_ECO_NPM, names, q, 2);
    jobs[0] = job(&q[0], "1.1.0");
    jobs[1] = job(&q[0], "1.2.0");
    jobs[2] = job(&q[1], "1.1.0");
    jobs[3] = job(&q[1], "1.2.0");
    jobs[4] = job(&q[1], "1.3.0");
    jobs[5] = job(&q[1], "1.0.0");
    jobs[6] = job(&q[0], "1.1.0"); /* again: settled once */
    pg_provround_run(e->h, e->root, NULL, jobs, 7);
    ok = ver(&q[0], "1.1.0");
    assert_int_equal(ok->prov, PG_PROV_VERIFIED);
    assert_string_equal(ok->prov_repository, "github.com/fixture/prov-lib");
    assert_string_equal(ok->prov_workflow, "release.yml");
    assert_null(ok->prov_detail);
    assert_int_equal(ver(&q[0], "1.2.0")->prov, PG_PROV_ABSENT);
    assert_int_equal(ver(&q[1], "1.1.0")->prov, PG_PROV_INVALID);
    assert_non_null(ver(&q[1], "1.1.0")->prov_detail);
    assert_null(ver(&q[1], "1.1.0")->prov_repository);
    assert_int_equal(ver(&q[1], "1.2.0")->prov, PG_PROV_INVALID);
    assert_non_null(strstr(ver(&q[1], "1.2.0")->prov_detail, "Fulcio CA"));
    assert_int_equal(ver(&q[1], "1.3.0")->prov, PG_PROV_UNAVAILABLE);
    assert_non_null(strstr(ver(&q[1], "1.3.0")->prov_detail, "HTTP 404"));
    assert_int_equal(ver(&q[1], "1.0.0")->prov, PG_PROV_VERIFIED);
    pg_registry_query_release(&q[0]);
    pg_registry_query_release(&q[1]);
}

static void test_pypi(void **state)
{
    struct env *e = *state;
    const char *names[] = {"prov-pkg", "prov-forged"};
    struct pg_registry_query q[2];
    struct pg_provround_job jobs[3];
    struct pg_meta_version *ok;

    metas(e, PG_ECO_PYPI, names, q, 2);
    jobs[0] = job(&q[0], "1.1.0");
    jobs[1] = job(&q[0], "1.2.0");
    jobs[2] = job(&q[1], "1.1.0");
    pg_provround_run(e->h, e->root, NULL, jobs, 3);
    ok = ver(&q[0], "1.1.0");
    assert_int_equal(ok->prov, PG_PROV_VERIFIED);
    assert_string_equal(ok->prov_repository, "github.com/fixture/prov-pkg");
    /* The publisher the verified document states. */
    assert_string_equal(ok->publisher, "fixture/prov-pkg");
    assert_string_equal(ok->publisher_workflow, "release.yml");
    assert_int_equal(ver(&q[0], "1.2.0")->prov, PG_PROV_ABSENT);
    assert_int_equal(ver(&q[1], "1.1.0")->prov, PG_PROV_INVALID);
    assert_non_null(strstr(ver(&q[1], "1.1.0")->prov_detail, "inclusion proof"));
    assert_null(ver(&q[1], "1.1.0")->publisher);
    pg_registry_query_release(&q[0]);
    pg_registry_query_release(&q[1]);
}

/* No root: nothing is verified, and nothing is fetched either. */
static void test_no_root(void **state)
{
    struct env *e = *state;
    const char *names[] = {"prov-lib"};
    struct pg_registry_query q[1];
    struct pg_provround_job jobs[2];

    metas(e, PG_ECO_NPM, names, q, 1);
    jobs[0] = job(&q[0], "1.1.0");
    jobs[1] = job(&q[0], "1.2.0");
    pg_provround_run(e->h, NULL, "the root is broken", jobs, 2);
    assert_int_equal(ver(&q[0], "1.1.0")->prov, PG_PROV_UNAVAILABLE);
    assert_string_equal(ver(&q[0], "1.1.0")->prov_detail, "the root is broken");
    assert_int_equal(ver(&q[0], "1.2.0")->prov, PG_PROV_ABSENT);
    pg_registry_query_release(&q[0]);
}

/* The root is loaded only when some version would be asked about. */
static void test_needs_root(void **state)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "a"), *py = pg_meta_new(PG_ECO_PYPI, "b");
    struct pg_meta_version *plain, *att, *pv = pg_meta_add_version(py, "1.0");
    struct pg_provround_job jobs[2] = {{PG_ECO_NPM, "a", NULL, NULL, NULL},
                                       {PG_ECO_PYPI, "b", NULL, NULL, pv}};

    (void)state;
    pg_meta_add_version(m, "1.0.0");
    pg_meta_add_version(m, "2.0.0"); /* may move the first */
    plain = &m->versions[0];
    att = &m->versions[1];
    jobs[0].v = plain;
    pg_meta_add_file(pv, PG_META_WHEEL, NULL);
    pg_meta_add_file(pv, PG_META_SDIST, NULL); /* may move the first */
    assert_false(pg_provround_needs_root(jobs, 1));
    jobs[0].v = att;
    att->attestations_url = pg_xstrdup("https://r.example/-/npm/v1/attestations/a@2.0.0");
    assert_true(pg_provround_needs_root(jobs, 1));
    att->prov = PG_PROV_VERIFIED; /* settled before: not asked again */
    assert_false(pg_provround_needs_root(jobs, 1));
    pv->files[0].provenance_url = pg_xstrdup("https://p.example/1");
    assert_false(pg_provround_needs_root(jobs, 2)); /* the sdist has none: ABSENT, unasked */
    pv->files[1].provenance_url = pg_xstrdup("https://p.example/2");
    assert_true(pg_provround_needs_root(jobs, 2));
    pg_meta_free(m);
    pg_meta_free(py);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_npm),
        cmocka_unit_test(test_pypi),
        cmocka_unit_test(test_no_root),
        cmocka_unit_test(test_needs_root),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
