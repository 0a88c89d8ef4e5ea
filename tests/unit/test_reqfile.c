/*
 * Requirements files read as pip reads them. The fixtures' expected results
 * were taken from pip 23.2's own RequirementsFileParser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pg_reqfile.h"
#include "pg_util.h"
#include "banned.h"

#define DATA PG_TEST_DATA_DIR "/unit/data/req"

static const char *fake_env(const char *name, void *ctx)
{
    (void)ctx;
    if (strcmp(name, "PG_TEST_PKG") == 0)
        return "six";
    if (strcmp(name, "EMPTY") == 0)
        return "";
    if (strcmp(name, "INDEX_HOST") == 0)
        return "env.example";
    if (strcmp(name, "lower") == 0)
        return "SHOULD-NOT-EXPAND";
    return NULL;
}

static const struct pg_reqfile_opts opts = {DATA, fake_env, NULL, 0};

/* Expected entries: text, line, editable, constraint, number of hashes, file. */
struct want {
    const char *text;
    unsigned long line;
    int editable, constraint;
    size_t hashes;
    const char *file;
};

static void check_entries(const struct pg_reqfile *rf, const struct want *w, size_t n)
{
    if (rf->n != n)
        fail_msg("%zu entries, expected %zu (first: '%s')", rf->n, n, rf->n ? rf->v[0].text : "");
    for (size_t i = 0; i < n; i++) {
        const struct pg_reqfile_entry *e = &rf->v[i];

        if (strcmp(e->text, w[i].text) != 0 || e->line != w[i].line ||
            e->editable != w[i].editable || e->constraint != w[i].constraint ||
            e->hashes.n != w[i].hashes || (w[i].file && strcmp(e->file, w[i].file) != 0))
            fail_msg("entry %zu: got '%s' %s:%lu e=%d c=%d h=%zu, expected '%s' %s:%lu e=%d c=%d "
                     "h=%zu",
                     i, e->text, e->file, e->line, e->editable, e->constraint, e->hashes.n,
                     w[i].text, w[i].file ? w[i].file : "?", w[i].line, w[i].editable,
                     w[i].constraint, w[i].hashes);
    }
}

static void parse_ok(struct pg_reqfile *rf, const char *path, int constraint)
{
    struct pg_err err = PG_ERR_INIT;

    if (pg_reqfile_parse(rf, path, constraint, &opts, &err) < 0)
        fail_msg("%s: %s", path, err.msg);
}

static void test_basic(void **state)
{
    static const struct want w[] = {
        {"requests==2.31.0", 2, 0, 0, 0, "basic.txt"},
        {"Django>=4.2,<5 ; python_version >= \"3.8\"", 4, 0, 0, 0, NULL},
        {"urllib3     >=1.26", 5, 0, 0, 0, NULL},
        {"flask[async]", 8, 0, 0, 0, NULL},
        {"numpy==1.26.*", 10, 0, 0, 0, NULL},
        {"https://example.org/dist/pkg-1.0.tar.gz#sha256=abc", 11, 0, 0, 0, NULL},
        {"certifi==2024.2.2", 18, 0, 0, 2, NULL},
        {"six>=1.0", 20, 0, 0, 0, NULL},
        {"./proj", 21, 1, 0, 0, NULL},
    };
    struct pg_reqfile rf = PG_REQFILE_INIT;

    (void)state;
    parse_ok(&rf, "basic.txt", 0);
    check_entries(&rf, w, PG_ARRAY_SIZE(w));
    assert_string_equal(rf.v[6].hashes.v[0],
                        "sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f");
    assert_int_equal(rf.index_replaced, 1);
    assert_string_equal(rf.index_url, "https://mirror.example/simple");
    assert_int_equal(rf.extra_index.n, 1);
    assert_string_equal(rf.extra_index.v[0], "https://extra.example/simple");
    assert_int_equal(rf.find_links.n, 1);
    /* pip: beside the requirements file when it exists there */
    assert_true(pg_ends_with(rf.find_links.v[0], "/unit/data/req/./wheels"));
    assert_int_equal(rf.pre, 1);
    assert_int_equal(rf.no_index, 0);
    assert_int_equal(rf.unknown.n, 0);
    assert_int_equal(rf.files.n, 1);
    pg_reqfile_release(&rf);
}

static void test_nested(void **state)
{
    static const struct want w[] = {
        {"alpha==1.0", 1, 0, 0, 0, "nested/top.txt"},
        {"beta>=2", 1, 0, 0, 0, "nested/sub/child.txt"},
        {"gamma===3.0.0-weird", 1, 0, 0, 0, "nested/sub/../leaf.txt"},
        {"alpha==1.0", 1, 0, 1, 0, "nested/constraints.txt"},
        /* pip: -r inside a constraints file gives requirements */
        {"delta~=1.2", 1, 0, 0, 0, "nested/from-constraints.txt"},
        {"omega", 4, 0, 0, 0, "nested/top.txt"},
    };
    struct pg_reqfile rf = PG_REQFILE_INIT;

    (void)state;
    parse_ok(&rf, "nested/top.txt", 0);
    check_entries(&rf, w, PG_ARRAY_SIZE(w));
    assert_string_equal(rf.index_url, "https://constraints.example/simple");
    assert_int_equal(rf.files.n, 5);
    pg_reqfile_release(&rf);

    /* Read as a constraints file, its own lines are constraints; nested -r still is not. */
    parse_ok(&rf, "nested/sub/child.txt", 1);
    assert_int_equal(rf.n, 2);
    assert_int_equal(rf.v[0].constraint, 1);
    assert_int_equal(rf.v[1].constraint, 0);
    pg_reqfile_release(&rf);
}

static void test_options(void **state)
{
    static const struct want w[] = {
        {"from-leaf-a==0.1", 1, 0, 0, 0, "leaf-a.txt"},
        {"foo", 2, 0, 0, 0, "option-lines.txt"},
        {"git+https://github.com/pypa/sampleproject.git@v1#egg=sampleproject", 6, 1, 0, 0, NULL},
    };
    struct pg_reqfile rf = PG_REQFILE_INIT;

    (void)state;
    parse_ok(&rf, "option-lines.txt", 0);
    check_entries(&rf, w, PG_ARRAY_SIZE(w));
    /* -i after -r and -i on a requirement line are ignored; --ind abbreviates. */
    assert_string_equal(rf.index_url, "https://abbreviated.example/simple");
    assert_int_equal(rf.extra_index.n, 1);
    assert_string_equal(rf.extra_index.v[0], "https://quoted.example/simple");
    assert_int_equal(rf.find_links.n, 1); /* pip uses the first -f of a line */
    assert_string_equal(rf.find_links.v[0], "dir1");
    pg_reqfile_release(&rf);

    /* --no-index empties the index list for good, as the finder does. */
    parse_ok(&rf, "noindex.txt", 0);
    assert_int_equal(rf.no_index, 1);
    assert_int_equal(rf.index_replaced, 1);
    assert_null(rf.index_url);
    assert_int_equal(rf.extra_index.n, 0);
    assert_string_equal(rf.find_links.v[0], "./local");
    pg_reqfile_release(&rf);

    /* Command-line --no-index: later --index-url lines change nothing. */
    rf.no_index = 1;
    parse_ok(&rf, "basic.txt", 0);
    assert_int_equal(rf.index_replaced, 0);
    assert_null(rf.index_url);
    assert_int_equal(rf.extra_index.n, 0);
    pg_reqfile_release(&rf);
}

static void test_pinned(void **state)
{
    static const struct want w[] = {
        {"certifi==2024.2.2    ", 2, 0, 0, 1, NULL},
        {"charset-normalizer==3.3.2    ", 4, 0, 0, 1, NULL},
        {"idna==3.6", 7, 0, 0, 0, NULL},
        {"requests===2.31.0", 8, 0, 0, 0, NULL},
        {"urllib3==2.2.*", 9, 0, 0, 0, NULL},
    };
    struct pg_reqfile rf = PG_REQFILE_INIT;

    (void)state;
    parse_ok(&rf, "pinned.txt", 0);
    check_entries(&rf, w, PG_ARRAY_SIZE(w));
    pg_reqfile_release(&rf);
}

static void test_unknown(void **state)
{
    static const char *const want[] = {
        "unknown.txt:1: --frobnicate",
        "unknown.txt:2: --zap",
        "unknown.txt:3: -r https://example.org/r.txt: remote requirements file not read",
        "unknown.txt:4: --no-deps",
    };
    struct pg_reqfile rf = PG_REQFILE_INIT;

    (void)state;
    parse_ok(&rf, "unknown.txt", 0);
    assert_int_equal(rf.n, 2);
    assert_string_equal(rf.v[0].text, "foo");
    assert_string_equal(rf.v[1].text, "bar");
    assert_int_equal(rf.unknown.n, PG_ARRAY_SIZE(want));
    for (size_t i = 0; i < PG_ARRAY_SIZE(want); i++)
        assert_string_equal(rf.unknown.v[i], want[i]);
    pg_reqfile_release(&rf);
}

struct bad {
    const char *file;
    const char *msg; /* exact */
};

static const struct bad bads[] = {
    {"cycle/a.txt", "cycle/b.txt:2: requirements file cycle: cycle/a.txt -> cycle/b.txt -> "
                    "cycle/a.txt"},
    {"cycle/self.txt", "cycle/self.txt:1: requirements file cycle: cycle/self.txt -> "
                       "cycle/self.txt"},
    {"cycle/start.txt", "cycle/d.txt:1: requirements file cycle: cycle/c.txt -> cycle/d.txt -> "
                        "cycle/c.txt"},
    {"bad-hash.txt",
     "bad-hash.txt:1: --hash algorithm 'md5' is not one of sha256, sha384, sha512"},
    {"missing-value.txt", "missing-value.txt:3: option '-r' requires a value"},
    {"bad-quote.txt", "bad-quote.txt:1: no closing quotation in options"},
    {"flag-value.txt", "flag-value.txt:1: option '--pre' does not take a value"},
    {"missing-nested.txt", "missing-nested.txt:2: could not open requirements file "
                           "'nope.txt': No such file or directory"},
    {"no-such-file.txt",
     "could not open requirements file 'no-such-file.txt': No such file or directory"},
    {"proj", "requirements file 'proj' is a directory"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(bads); i++) {
        struct pg_reqfile rf = PG_REQFILE_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_reqfile_parse(&rf, bads[i].file, 0, &opts, &err) == 0)
            fail_msg("%s: accepted", bads[i].file);
        if (strcmp(err.msg, bads[i].msg) != 0)
            fail_msg("%s: message '%s', expected '%s'", bads[i].file, err.msg, bads[i].msg);
        pg_reqfile_release(&rf);
    }
}

/* In-memory content: entries as "text@line" joined by '|', or an error piece. */
struct mem {
    const char *content;
    size_t len; /* 0: strlen */
    const char *want;
    const char *error;
};

static const struct mem mems[] = {
    {"a\r\nb\rc\n", 0, "a@1|b@2|c@3", NULL},
    {"a\fb\vc\x1c" "d\x1d" "e\x1e" "f", 0, "a@1|b@2|c@3|d@4|e@5|f@6", NULL},
    /* Python's splitlines() sees these breaks, so a comment cannot hide a package. */
    {"# harmless \xe2\x80\xa8" "evil\n", 0, "evil@2", NULL},
    {"# harmless \xe2\x80\xa9" "evil2\n# x \xc2\x85" "evil3", 0, "evil2@2|evil3@4", NULL},
    {"\xef\xbb\xbf" "bom-pkg\n", 0, "bom-pkg@1", NULL},
    {"foo\\", 0, "foo@1", NULL},
    {"\\\\foo\\\\\n>=1\n", 0, "foo>=1@1", NULL},
    {"# comment \\\nbar\n", 0, "bar@2", NULL},
    {"x#frag\ny #c\nz\t#c\n", 0, "x#frag@1|y@2|z@3", NULL},
    {"${PG_TEST_PKG}==1\n${UNSET_XYZ}pkg\n${lower}x\n$PG_TEST_PKG\n${EMPTY}e\n", 0,
     "six==1@1|${UNSET_XYZ}pkg@2|${lower}x@3|$PG_TEST_PKG@4|${EMPTY}e@5", NULL},
    /* expansion happens after comments are stripped */
    {"p${PG_TEST_PKG} # ${PG_TEST_PKG}\n", 0, "psix@1", NULL},
    {"-i https://${INDEX_HOST}/simple\n", 0, "", NULL},
    {"foo -- --bogus\n", 0, "foo@1", NULL},
    {"foo --hash sha512:abcd --hash=sha384:ef\n", 0, "foo@1", NULL},
    {"--hash=sha256:abcd\n", 0, "", NULL}, /* pip warns and ignores it */
    {"-e .\n-e ./a -e ./b\n", 0, ".@1|./a@2", NULL},
    {"foo\tbar\n", 0, "foo\tbar@1", NULL},
    {"   \n\t\n#\n", 0, "", NULL},
    {"a\0b\n", 4, NULL, "contains a NUL byte"},
    {"\xff\xfe" "a\0\n\0", 6, NULL, "UTF-16/32 text is not supported"},
    {"--index-url 'x\n", 0, NULL, "mem.txt:1: no closing quotation"},
    {"--index-url x\\ \n", 0, NULL, "mem.txt:1: no character after '\\'"},
    {"foo --hash=sha256\n", 0, NULL, "mem.txt:1: --hash needs algorithm:digest"},
    {"ok\n\n-c\n", 0, NULL, "mem.txt:3: option '-c' requires a value"},
};

static void join_entries(const struct pg_reqfile *rf, struct pg_sb *sb)
{
    for (size_t i = 0; i < rf->n; i++)
        pg_sb_addf(sb, "%s%s@%lu", i ? "|" : "", rf->v[i].text, rf->v[i].line);
}

static void test_in_memory(void **state)
{
    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(mems); i++) {
        struct pg_reqfile rf = PG_REQFILE_INIT;
        struct pg_err err = PG_ERR_INIT;
        struct pg_sb got = PG_SB_INIT;
        const struct mem *m = &mems[i];
        size_t len = m->len ? m->len : strlen(m->content);
        int r = pg_reqfile_parse_buf(&rf, "mem.txt", m->content, len, 0, &opts, &err);

        if (m->error) {
            if (r == 0 || !strstr(err.msg, m->error))
                fail_msg("case %zu: r=%d '%s', expected error '%s'", i, r, err.msg, m->error);
        } else {
            if (r < 0)
                fail_msg("case %zu: %s", i, err.msg);
            join_entries(&rf, &got);
            if (strcmp(pg_sb_str(&got), m->want) != 0)
                fail_msg("case %zu: got '%s', expected '%s'", i, pg_sb_str(&got), m->want);
        }
        pg_sb_release(&got);
        pg_reqfile_release(&rf);
    }
}

static void test_in_memory_details(void **state)
{
    struct pg_reqfile rf = PG_REQFILE_INIT;
    struct pg_err err = PG_ERR_INIT;
    const char *text = "-i https://${INDEX_HOST}/simple\nfoo --hash sha512:abcd "
                       "--hash=sha384:ef\n-r other.txt\n";
    struct pg_reqfile_opts o = opts;

    (void)state;
    o.no_nested = 1;
    assert_int_equal(pg_reqfile_parse_buf(&rf, "mem.txt", text, strlen(text), 0, &o, &err), 0);
    assert_string_equal(rf.index_url, "https://env.example/simple");
    assert_int_equal(rf.n, 1);
    assert_int_equal(rf.v[0].hashes.n, 2);
    assert_string_equal(rf.v[0].hashes.v[0], "sha512:abcd");
    assert_string_equal(rf.v[0].hashes.v[1], "sha384:ef");
    assert_int_equal(rf.unknown.n, 1);
    assert_string_equal(rf.unknown.v[0], "mem.txt:3: -r other.txt: nested file not read");
    pg_reqfile_release(&rf);
}

/* ---- limits, in a scratch directory ---------------------------------- */

static char *scratch_dir(void)
{
    char tmpl[] = "/tmp/pg-reqfile-XXXXXX";
    char *d = mkdtemp(tmpl);

    assert_non_null(d);
    return pg_xstrdup(d);
}

static void write_file(const char *dir, const char *name, const char *content, size_t len)
{
    char *p = pg_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(p, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(p);
}

static int parse_in(const char *dir, const char *name, struct pg_err *err,
                    struct pg_reqfile *rf)
{
    struct pg_reqfile_opts o = {dir, fake_env, NULL, 0};

    return pg_reqfile_parse(rf, name, 0, &o, err);
}

static void remove_tree(const char *dir, int nfiles)
{
    for (int i = 0; i < nfiles; i++) {
        char *p = pg_xasprintf("%s/f%d.txt", dir, i);

        unlink(p);
        free(p);
    }
}

static void test_depth(void **state)
{
    char *dir = scratch_dir();
    struct pg_err err = PG_ERR_INIT;
    struct pg_reqfile rf = PG_REQFILE_INIT;

    (void)state;
    /* f0 -> f1 -> ... -> f32: 33 files, one too deep. */
    for (int i = 0; i <= PG_REQFILE_MAX_DEPTH; i++) {
        char *body = i < PG_REQFILE_MAX_DEPTH ? pg_xasprintf("p%d\n-r f%d.txt\n", i, i + 1)
                                              : pg_xstrdup("last\n");
        char *name = pg_xasprintf("f%d.txt", i);

        write_file(dir, name, body, strlen(body));
        free(body);
        free(name);
    }
    assert_int_equal(parse_in(dir, "f0.txt", &err, &rf), -1);
    assert_non_null(strstr(err.msg, "f31.txt:2: requirements files nested more than 32 deep"));
    pg_reqfile_release(&rf);
    /* 32 deep is fine. */
    assert_int_equal(parse_in(dir, "f1.txt", &err, &rf), 0);
    assert_int_equal(rf.n, 32);
    assert_string_equal(rf.v[31].text, "last");
    pg_reqfile_release(&rf);
    remove_tree(dir, PG_REQFILE_MAX_DEPTH + 1);
    rmdir(dir);
    free(dir);
}

static void test_sizes_and_kinds(void **state)
{
    char *dir = scratch_dir(), *fifo = pg_xasprintf("%s/fifo", dir);
    char *big = pg_xmalloc(PG_REQFILE_MAX_SIZE + 1);
    struct pg_err err = PG_ERR_INIT;
    struct pg_reqfile rf = PG_REQFILE_INIT;
    const char *wide = "a\n-r f1.txt\n-r f1.txt\n";

    (void)state;
    memset(big, '#', PG_REQFILE_MAX_SIZE + 1);
    write_file(dir, "f0.txt", big, PG_REQFILE_MAX_SIZE + 1);
    assert_int_equal(parse_in(dir, "f0.txt", &err, &rf), -1);
    assert_non_null(strstr(err.msg, "larger than the 1048576 byte limit"));
    pg_reqfile_release(&rf);
    write_file(dir, "f0.txt", big, PG_REQFILE_MAX_SIZE); /* exactly the cap: fine */
    assert_int_equal(parse_in(dir, "f0.txt", &err, &rf), 0);
    pg_reqfile_release(&rf);

    /* A pipe is pip's to read: listed, not opened (opening would block or steal it). */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    write_file(dir, "f1.txt", "-r fifo\nafter\n", 14);
    assert_int_equal(parse_in(dir, "f1.txt", &err, &rf), 0);
    assert_int_equal(rf.n, 1);
    assert_int_equal(rf.unknown.n, 1);
    assert_string_equal(rf.unknown.v[0], "fifo: not a regular file, not read");
    pg_reqfile_release(&rf);

    /* Diamonds are not cycles, but the number of files read is capped. */
    for (int i = 1; i < 12; i++) {
        char *name = pg_xasprintf("f%d.txt", i);
        char *body = i < 11 ? pg_xasprintf("a%d\n-r f%d.txt\n-r f%d.txt\n", i, i + 1, i + 1)
                            : pg_xstrdup("leaf\n");

        write_file(dir, name, body, strlen(body));
        free(name);
        free(body);
    }
    write_file(dir, "f0.txt", wide, strlen(wide));
    assert_int_equal(parse_in(dir, "f0.txt", &err, &rf), -1);
    assert_non_null(strstr(err.msg, "more than 256 requirements files"));
    pg_reqfile_release(&rf);
    assert_int_equal(parse_in(dir, "f6.txt", &err, &rf), 0); /* 1 + 2 + ... + 32 files */
    assert_int_equal(rf.files.n, 63);
    pg_reqfile_release(&rf);

    unlink(fifo);
    remove_tree(dir, 12);
    rmdir(dir);
    free(fifo);
    free(big);
    free(dir);
}

static void test_file_urls(void **state)
{
    struct pg_reqfile rf = PG_REQFILE_INIT;
    struct pg_err err = PG_ERR_INIT;
    char *url = pg_xasprintf("file://%s/leaf-a.txt", DATA);
    char *url2 = pg_xasprintf("file://localhost%s/nested/leaf.txt", DATA);

    (void)state;
    parse_ok(&rf, url, 0);
    parse_ok(&rf, url2, 0);
    assert_int_equal(rf.n, 2);
    assert_string_equal(rf.v[0].text, "from-leaf-a==0.1");
    assert_string_equal(rf.v[1].text, "gamma===3.0.0-weird");
    assert_int_equal(pg_reqfile_parse(&rf, "file://other.host/x.txt", 0, &opts, &err), -1);
    assert_non_null(strstr(err.msg, "only local file: URLs"));
    assert_int_equal(pg_reqfile_parse(&rf, "HTTPS://example.org/r.txt", 0, &opts, &err), 0);
    assert_string_equal(rf.unknown.v[0],
                        "-r HTTPS://example.org/r.txt: remote requirements file not read");
    pg_reqfile_release(&rf);
    free(url);
    free(url2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),          cmocka_unit_test(test_nested),
        cmocka_unit_test(test_options),        cmocka_unit_test(test_pinned),
        cmocka_unit_test(test_unknown),        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_in_memory),      cmocka_unit_test(test_in_memory_details),
        cmocka_unit_test(test_depth),          cmocka_unit_test(test_sizes_and_kinds),
        cmocka_unit_test(test_file_urls),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
