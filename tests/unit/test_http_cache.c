/*
 * test_http_cache.c - pg_http's on-disk cache (lib/pg_http_cache) against
 * tests/fixture/faultserver.py on loopback: ETag revalidation, offline use,
 * corrupt entries, concurrent writers, directory permissions.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http_fx.h"
#include "pg_http_cache.h"
#include "banned.h"

static void test_etag_revalidation(void **state)
{
    struct env *e = *state;
    char *dir = new_cache_dir(e);
    struct pg_http_opts o = {.cache_dir = dir};
    struct pg_http *h = client(&o);
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    char *u = url(e, "/ok/etag1"), *path;
    struct stat st;
    struct timespec old[2] = {{time(NULL) - 1000, 0}, {time(NULL) - 1000, 0}};

    get1(h, u, &r);
    assert_false(r.failed);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "ok /ok/etag1\n");
    assert_string_equal(r.content_type, "text/plain");
    assert_false(r.from_cache);
    assert_int_equal(server_count(e, "/ok/etag1", "all"), 1);

    /* Fresh: served from disk, no request at all. */
    get1(h, u, &r);
    assert_true(r.from_cache);
    assert_false(r.stale);
    assert_string_equal(r.body, "ok /ok/etag1\n");
    assert_int_equal(server_count(e, "/ok/etag1", "all"), 1);

    /* Private cache: 0700 directory, 0600 file. */
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    path = pg_http_cache_path(dir, u, NULL);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* Past max-age: a conditional request, a 304, the cached body. */
    assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
    get1(h, u, &r);
    assert_false(r.failed);
    assert_int_equal(r.status, 200);
    assert_true(r.from_cache);
    assert_string_equal(r.body, "ok /ok/etag1\n");
    assert_int_equal(server_count(e, "/ok/etag1", "all"), 2);
    assert_int_equal(server_count(e, "/ok/etag1", "304"), 1);

    /* The 304 refreshed the entry: fresh again, no request. */
    get1(h, u, &r);
    assert_true(r.from_cache);
    assert_int_equal(server_count(e, "/ok/etag1", "all"), 2);

    /* Accept is part of the key. */
    r.accept = "application/json";
    get1(h, u, &r);
    assert_false(r.from_cache);
    assert_int_equal(server_count(e, "/ok/etag1", "all"), 3);

    pg_http_req_release(&r);
    pg_http_free(h);
    free(path);
    free(u);
    free(dir);
}

static void test_offline(void **state)
{
    struct env *e = *state;
    char *dir = new_cache_dir(e);
    struct pg_http_opts on = {.cache_dir = dir}, off = {.cache_dir = dir, .offline = 1};
    struct pg_http *h = client(&on);
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    char *u = url(e, "/ok/offline"), *miss = url(e, "/ok/never-fetched");
    char *path = pg_http_cache_path(dir, u, NULL);
    struct timespec old[2] = {{time(NULL) - 100000, 0}, {time(NULL) - 100000, 0}};

    get1(h, u, &r);
    assert_false(r.failed);
    pg_http_free(h);
    /* Offline: any age is served, old entries marked stale; no request. */
    assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
    h = client(&off);
    get1(h, u, &r);
    assert_false(r.failed);
    assert_true(r.from_cache);
    assert_true(r.stale);
    assert_string_equal(r.body, "ok /ok/offline\n");
    assert_int_equal(server_count(e, "/ok/offline", "all"), 1);
    get1(h, miss, &r);
    assert_true(r.failed);
    assert_string_equal(r.err.msg, "offline and not in the cache");
    assert_int_equal(server_count(e, "/ok/never-fetched", "all"), 0);
    pg_http_req_release(&r);
    pg_http_free(h);
    free(path);
    free(miss);
    free(u);
    free(dir);
}

/* Overwrite len bytes at off (off < 0: from the end) or truncate to off. */
static void damage(const char *path, long off, const char *bytes, int truncate_it)
{
    int fd = open(path, O_RDWR);
    off_t size = lseek(fd, 0, SEEK_END);

    assert_true(fd >= 0);
    if (truncate_it)
        assert_int_equal(ftruncate(fd, off), 0);
    else
        assert_int_equal(pwrite(fd, bytes, strlen(bytes), off < 0 ? size + off : off),
                         (ssize_t)strlen(bytes));
    close(fd);
}

static void test_corrupt_cache(void **state)
{
    struct env *e = *state;
    char *dir = new_cache_dir(e);
    struct pg_http_opts o = {.cache_dir = dir};
    struct pg_http *h = client(&o);
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    struct pg_http_cache_entry ce = PG_HTTP_CACHE_ENTRY_INIT;
    struct pg_err err = PG_ERR_INIT;
    char *u = url(e, "/ok/corrupt"), *path = pg_http_cache_path(dir, u, NULL);
    static const struct {
        long off;
        const char *bytes;
        int truncate_it;
        const char *why;
    } cases[] = {
        {-3, "XX", 0, "corrupt: checksum mismatch"},
        {-3, NULL, 1, "corrupt: checksum mismatch"},
        {0, "garbage", 0, "corrupt: not a cache file"},
        {10, NULL, 1, "corrupt: not a cache file"},
        {0, NULL, 1, "corrupt: not a cache file"},
    };

    get1(h, u, &r);
    assert_int_equal(pg_http_cache_load(path, 1 << 20, &ce, &err), 0);
    assert_string_equal(ce.etag, "\"v1-corrupt\"");
    assert_string_equal(ce.body, "ok /ok/corrupt\n");
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        long before = server_count(e, "/ok/corrupt", "all");
        off_t size;
        struct stat st;

        assert_int_equal(stat(path, &st), 0);
        size = st.st_size;
        damage(path, cases[i].truncate_it && cases[i].off < 0 ? size + cases[i].off : cases[i].off,
               cases[i].bytes, cases[i].truncate_it);
        assert_int_equal(pg_http_cache_load(path, 1 << 20, &ce, &err), -1);
        assert_string_equal(err.msg, cases[i].why);
        assert_null(ce.body);
        /* A miss, never a crash: the network answers and the file is rewritten. */
        get1(h, u, &r);
        assert_false(r.failed);
        assert_false(r.from_cache);
        assert_string_equal(r.body, "ok /ok/corrupt\n");
        assert_int_equal(server_count(e, "/ok/corrupt", "all"), before + 1);
        assert_int_equal(pg_http_cache_load(path, 1 << 20, &ce, &err), 0);
    }
    /* An entry over the body limit is a miss too. */
    assert_int_equal(pg_http_cache_load(path, 4, &ce, &err), -1);
    pg_http_cache_entry_release(&ce);
    pg_http_req_release(&r);
    pg_http_free(h);
    free(path);
    free(u);
    free(dir);
}

/*
 * A FIFO where an entry belongs (planted, or left by anything else) is a
 * miss: opening it must not wait for a writer that never comes. The
 * client runs in a child under alarm(), so a hang fails the test (killed
 * by SIGALRM) instead of stalling it.
 */
static void test_fifo_is_a_miss(void **state)
{
    struct env *e = *state;
    char *dir = new_cache_dir(e);
    char *u = url(e, "/ok/fifo"), *path;
    struct pg_err err = PG_ERR_INIT;
    struct stat st;
    int status = 0;
    pid_t kid;

    assert_int_equal(pg_http_cache_prepare(dir, &err), 0);
    path = pg_http_cache_path(dir, u, NULL);
    assert_int_equal(mkfifo(path, 0600), 0);
    kid = fork();
    assert_true(kid >= 0);
    if (kid == 0) {
        struct pg_http_cache_entry ce = PG_HTTP_CACHE_ENTRY_INIT;
        struct pg_http_opts o = {.cache_dir = dir};
        struct pg_http_req r = PG_HTTP_REQ_INIT;
        struct pg_http *h;

        alarm(10);
        if (pg_http_cache_load(path, 1 << 20, &ce, &err) != -1 ||
            strcmp(err.msg, "not a regular file") != 0)
            _exit(2);
        h = pg_http_new(&o, &err);
        if (!h)
            _exit(3);
        get1(h, u, &r);
        if (r.failed || r.from_cache || strcmp(r.body, "ok /ok/fifo\n") != 0)
            _exit(4);
        pg_http_req_release(&r);
        pg_http_free(h);
        _exit(0);
    }
    assert_int_equal(waitpid(kid, &status, 0), kid);
    if (WIFSIGNALED(status))
        fail_msg("the cache hung on a FIFO (killed by signal %d)", WTERMSIG(status));
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* The network's answer replaced the FIFO with a real entry. */
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    free(path);
    free(u);
    free(dir);
}

enum { WRITERS = 4, ROUNDS = 40, UNIT = 40000 };

/* Writer k: bodies of one repeated letter, sized by k and round. */
static PG_NORETURN void writer(const char *path, int k)
{
    for (int i = 0; i < ROUNDS; i++) {
        struct pg_http_cache_entry w = PG_HTTP_CACHE_ENTRY_INIT;

        w.status = 200;
        w.etag = "\"w\"";
        w.len = (size_t)(k + 1) * UNIT + (size_t)i;
        w.body = pg_xmalloc(w.len);
        memset(w.body, 'a' + k, w.len);
        if (pg_http_cache_store(path, &w, NULL) < 0)
            _exit(1);
        free(w.body);
    }
    _exit(0);
}

/* Several processes rewriting one key while another reads it. */
static void test_concurrent_writers(void **state)
{
    struct env *e = *state;
    char *dir = new_cache_dir(e);
    char *path;
    pid_t kids[WRITERS];
    struct pg_http_cache_entry ce = PG_HTTP_CACHE_ENTRY_INIT;
    struct pg_err err = PG_ERR_INIT;
    int hits = 0, running = WRITERS;
    DIR *d;
    struct dirent *de;

    assert_int_equal(pg_http_cache_prepare(dir, &err), 0);
    path = pg_http_cache_path(dir, "https://example.com/same-key", NULL);
    for (int k = 0; k < WRITERS; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0)
            writer(path, k);
    }
    while (running > 0) {
        int status;
        pid_t done = waitpid(-1, &status, WNOHANG);

        if (done > 0) {
            assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
            running--;
        }
        if (pg_http_cache_load(path, 1 << 20, &ce, &err) < 0) {
            /* Before the first rename only. */
            assert_string_equal(err.msg, "not cached");
            continue;
        }
        hits++;
        /* Whole entries only: one writer's body, of that writer's size. */
        assert_true(ce.len > 0 && ce.body[0] >= 'a' && ce.body[0] < 'a' + WRITERS);
        assert_true(ce.len / UNIT == (size_t)(ce.body[0] - 'a' + 1));
        for (size_t i = 0; i < ce.len; i++)
            if (ce.body[i] != ce.body[0])
                fail_msg("mixed body at byte %zu", i);
    }
    assert_int_equal(pg_http_cache_load(path, 1 << 20, &ce, &err), 0);
    print_message("concurrent writers: %d consistent reads while %d processes wrote\n", hits,
                  WRITERS);
    /* No temporary files left behind. */
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)))
        assert_false(pg_starts_with(de->d_name, ".tmp-"));
    closedir(d);
    pg_http_cache_entry_release(&ce);
    free(path);
    free(dir);
}

/* An empty file at dir/name whose mtime is age seconds in the past. */
static void old_file(const char *dir, const char *name, time_t age)
{
    char *p = pg_xasprintf("%s/%s", dir, name);
    struct timespec t[2] = {{time(NULL) - age, 0}, {time(NULL) - age, 0}};
    int fd = open(p, O_CREAT | O_WRONLY, 0600);

    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(utimensat(AT_FDCWD, p, t, 0), 0);
    free(p);
}

static int exists_in(const char *dir, const char *name)
{
    char *p = pg_xasprintf("%s/%s", dir, name);
    struct stat st;
    int yes = lstat(p, &st) == 0;

    free(p);
    return yes;
}

/*
 * A writer killed between mkstemp and rename (kill -9) leaves a .tmp-*
 * file. Stale ones (over an hour old) go, at most once a day, on the
 * marker's say; young ones may be another process's write and stay.
 */
static void test_stale_temp_files_swept(void **state)
{
    struct env *e = *state;
    struct pg_err err = PG_ERR_INIT;
    char *dir = new_cache_dir(e);

    assert_int_equal(pg_http_cache_prepare(dir, &err), 0);
    old_file(dir, ".tmp-killed", 2 * 3600);
    old_file(dir, ".tmp-writing", 0);
    old_file(dir, "0123abcd", 2 * 3600); /* an entry, however old, is not swept */
    /* Swept less than a day ago: no scan, the stale file survives this run. */
    assert_int_equal(pg_http_cache_prepare(dir, &err), 0);
    assert_true(exists_in(dir, ".tmp-killed"));
    /* A day later the next client start sweeps. */
    old_file(dir, PG_HTTP_CACHE_SWEEP_MARKER, 25 * 3600);
    assert_int_equal(pg_http_cache_prepare(dir, &err), 0);
    assert_false(exists_in(dir, ".tmp-killed"));
    assert_true(exists_in(dir, ".tmp-writing"));
    assert_true(exists_in(dir, "0123abcd"));
    /* And marks the day, so the next start does not scan again. */
    old_file(dir, ".tmp-killed2", 2 * 3600);
    assert_int_equal(pg_http_cache_prepare(dir, &err), 0);
    assert_true(exists_in(dir, ".tmp-killed2"));
    free(dir);
}

static void test_cache_dir_rules(void **state)
{
    struct env *e = *state;
    struct pg_err err = PG_ERR_INIT;
    struct pg_http_opts o = {0};
    char *dir = new_cache_dir(e), *file;
    int fd;

    /* Parents are created too, and the directory is private. */
    assert_int_equal(pg_http_cache_prepare(dir, &err), 0);
    assert_int_equal(chmod(dir, 0777), 0);
    o.cache_dir = dir;
    assert_null(pg_http_new(&o, &err));
    assert_true(pg_ends_with(err.msg, "/pkggate/http' is writable by other users"));
    assert_int_equal(chmod(dir, 0755), 0);
    assert_int_equal(pg_http_cache_prepare(dir, &err), 0);
    file = pg_xasprintf("%s/plain-file", dir);
    fd = open(file, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(pg_http_cache_prepare(file, &err), -1);
    assert_true(pg_ends_with(err.msg, "/plain-file' is not a directory"));
    free(file);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_etag_revalidation),
        cmocka_unit_test(test_offline),
        cmocka_unit_test(test_corrupt_cache),
        cmocka_unit_test(test_fifo_is_a_miss),
        cmocka_unit_test(test_concurrent_writers),
        cmocka_unit_test(test_cache_dir_rules),
        cmocka_unit_test(test_stale_temp_files_swept),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
