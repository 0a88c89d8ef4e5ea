/*
 * test_registry.c - lib/pg_registry against the fixture registry
 * (tests/fixture/registry.py) on loopback: the PyPI publisher stage fills
 * the PEP 740 publisher of the version pip would install and of the
 * attested release before it, only when asked, and a provenance fetch that
 * fails leaves the publisher unknown without failing the package.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pg_registry.h"
#include "pg_util.h"
#include "banned.h"

#define FIXTURE PG_TEST_DATA_DIR "/fixture"

struct env {
    pid_t pid;
    int port;
    char tmp[PATH_MAX];
    char *state, *cache, *index, *log;
};

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* Start registry.py with its state in e->state; wait for its port file. */
static int start_registry(struct env *e)
{
    char script[] = FIXTURE "/registry.py", packages[] = FIXTURE "/packages";
    char *argv[] = {"python3", script, "--packages", packages, "--state", e->state, NULL};
    char *port_file = pg_xasprintf("%s/port", e->state), *text = NULL;
    uint64_t v = 0;
    size_t len;
    int rc = -1;

    e->pid = fork();
    if (e->pid == 0) {
        int null = open("/dev/null", O_WRONLY);

        dup2(null, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    for (int i = 0; e->pid > 0 && i < 600; i++) { /* 30 s: it makes keys and wheels */
        if (pg_read_file(port_file, 64, &text, &len, NULL) == 0) {
            text[strcspn(text, "\n")] = '\0';
            if (pg_parse_u64(text, 65535, &v) == 0 && v > 0) {
                e->port = (int)v;
                rc = 0;
            }
            break;
        }
        sleep_ms(50);
    }
    free(text);
    free(port_file);
    return rc;
}

static int group_setup(void **state)
{
    struct env *e = pg_xcalloc(1, sizeof(*e));
    const char *t = getenv("TMPDIR");

    (void)snprintf(e->tmp, sizeof(e->tmp), "%s/pg-registry-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(e->tmp))
        return -1;
    e->state = pg_xasprintf("%s/reg", e->tmp);
    e->cache = pg_xasprintf("%s/cache", e->tmp);
    e->log = pg_xasprintf("%s/requests.log", e->state);
    *state = e;
    if (start_registry(e) < 0)
        return -1;
    e->index = pg_xasprintf("http://127.0.0.1:%d/simple", e->port);
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int group_teardown(void **state)
{
    struct env *e = *state;

    if (!e)
        return 0;
    if (e->pid > 0) {
        kill(e->pid, SIGTERM);
        waitpid(e->pid, NULL, 0);
    }
    nftw(e->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(e->state);
    free(e->cache);
    free(e->index);
    free(e->log);
    free(e);
    return 0;
}

/* How many logged requests contain needle. The registry logs after it answers. */
static int requests(const struct env *e, const char *needle)
{
    char *text = NULL;
    size_t len;
    int n = 0;

    sleep_ms(200);
    if (pg_read_file(e->log, (size_t)1 << 24, &text, &len, NULL) < 0)
        return -1;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    free(text);
    return n;
}

static struct pg_registry_query query(const struct env *e, const char *name, const char *spec,
                                      const char *locked, int publishers)
{
    struct pg_registry_query q;

    memset(&q, 0, sizeof(q));
    q.eco = PG_ECO_PYPI;
    q.name = name;
    q.index = e->index;
    q.spec = spec;
    q.locked = locked;
    q.publishers = publishers;
    return q;
}

static void fetch(const struct env *e, struct pg_registry_query *q, size_t n, int offline)
{
    struct pg_http_opts o = {0};
    struct pg_err err = PG_ERR_INIT;
    struct pg_http *h;

    o.cache_dir = e->cache;
    o.offline = offline;
    h = pg_http_new(&o, &err);
    if (!h)
        fail_msg("pg_http_new: %s", err.msg);
    pg_registry_fetch(h, q, n, 0, NULL, 0);
    pg_http_free(h);
    for (size_t i = 0; i < n; i++)
        if (!q[i].meta)
            fail_msg("%s: %s", q[i].name, q[i].error ? q[i].error : "no meta");
}

static const struct pg_meta_version *ver(const struct pg_registry_query *q, const char *v)
{
    const struct pg_meta_version *mv = pg_meta_find(q->meta, v);

    if (!mv)
        fail_msg("%s has no %s", q->name, v);
    return mv;
}

/* Rule off: the provenance URL is known, but nothing more is fetched. */
static void test_not_asked(void **state)
{
    struct env *e = *state;
    struct pg_registry_query q = query(e, "prov-moved", "", NULL, 0);
    char *want;

    fetch(e, &q, 1, 0);
    want = pg_xasprintf("http://127.0.0.1:%d/integrity/prov-moved/1.1.0/"
                        "prov_moved-1.1.0-py3-none-any.whl/provenance",
                        e->port);
    assert_string_equal(ver(&q, "1.1.0")->provenance_url, want);
    assert_int_equal(ver(&q, "1.1.0")->evidence, PG_EVID_PROVENANCE);
    assert_null(ver(&q, "1.1.0")->publisher);
    assert_null(ver(&q, "1.0.0")->publisher);
    assert_int_equal(requests(e, "/integrity/prov-moved/"), 0);
    free(want);
    pg_registry_query_release(&q);
}

static void test_publishers(void **state)
{
    struct env *e = *state;
    struct pg_registry_query q[4];

    q[0] = query(e, "prov-moved", "", NULL, 1);        /* 1.1.0, other repository */
    q[1] = query(e, "prov-pkg", "<1.2", NULL, 1);      /* 1.1.0 and 1.0.0 */
    q[2] = query(e, "prov-pkg", NULL, NULL, 1);        /* 1.2.0: no provenance */
    q[3] = query(e, "prov-moved", ">=2", "1.0.0", 1); /* locked wins; nothing before it */
    fetch(e, q, 4, 0);

    assert_string_equal(ver(&q[0], "1.1.0")->publisher, "attacker/prov-moved");
    assert_string_equal(ver(&q[0], "1.1.0")->publisher_workflow, "release.yml");
    assert_string_equal(ver(&q[0], "1.0.0")->publisher, "fixture/prov-moved");
    assert_string_equal(ver(&q[0], "1.0.0")->publisher_workflow, "release.yml");

    assert_string_equal(ver(&q[1], "1.1.0")->publisher, "fixture/prov-pkg");
    assert_string_equal(ver(&q[1], "1.0.0")->publisher, "fixture/prov-pkg");
    assert_null(ver(&q[1], "1.2.0")->publisher);

    /* Nothing to compare, so nothing fetched for these. */
    for (size_t i = 0; i < q[2].meta->nversions; i++)
        assert_null(q[2].meta->versions[i].publisher);
    for (size_t i = 0; i < q[3].meta->nversions; i++)
        assert_null(q[3].meta->versions[i].publisher);
    assert_int_equal(requests(e, "/integrity/prov-pkg/1.2.0/"), 0);
    assert_int_equal(requests(e, "/integrity/prov-pkg/1.1.0/"), 1);
    assert_int_equal(requests(e, "/integrity/prov-moved/1.0.0/"), 1);
    assert_int_equal(requests(e, "/integrity/"), 4);
    for (size_t i = 0; i < 4; i++)
        pg_registry_query_release(&q[i]);
}

/* pip --pre: the prerelease is what would be installed, so it is compared. */
static void test_pre(void **state)
{
    struct env *e = *state;
    struct pg_registry_query q = query(e, "prov-pre", "", NULL, 1);

    fetch(e, &q, 1, 0); /* 1.0.0, nothing attested before it */
    assert_null(ver(&q, "1.0.0")->publisher);
    assert_null(ver(&q, "2.0.0b1")->publisher);
    pg_registry_query_release(&q);
    q = query(e, "prov-pre", "", NULL, 1);
    q.pre = 1;
    fetch(e, &q, 1, 0);
    assert_string_equal(ver(&q, "2.0.0b1")->publisher, "fixture/prov-pre");
    assert_string_equal(ver(&q, "2.0.0b1")->publisher_workflow, "nightly.yml");
    assert_string_equal(ver(&q, "1.0.0")->publisher_workflow, "release.yml");
    pg_registry_query_release(&q);
}

/*
 * Offline, the simple page comes from the cache but the provenance was
 * never fetched: the package is still there, its publishers unknown.
 */
static void test_fetch_fails(void **state)
{
    struct env *e = *state;
    struct pg_registry_query q = query(e, "requests-mini", "", NULL, 0);

    fetch(e, &q, 1, 0); /* fills the cache with the page only */
    pg_registry_query_release(&q);
    q = query(e, "requests-mini", "", NULL, 1);
    fetch(e, &q, 1, 1);
    assert_null(q.error);
    assert_non_null(ver(&q, "2.32.0")->provenance_url);
    assert_null(ver(&q, "2.32.0")->publisher);
    assert_null(ver(&q, "2.31.0")->publisher);
    pg_registry_query_release(&q);

    /* Online again, the same query gets them. */
    q = query(e, "requests-mini", "", NULL, 1);
    fetch(e, &q, 1, 0);
    assert_string_equal(ver(&q, "2.32.0")->publisher, "fixture/requests-mini");
    assert_string_equal(ver(&q, "2.31.0")->publisher, "fixture/requests-mini");
    pg_registry_query_release(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_asked),
        cmocka_unit_test(test_publishers),
        cmocka_unit_test(test_pre),
        cmocka_unit_test(test_fetch_fails),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
