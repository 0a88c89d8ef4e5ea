/*
 * test_minisign.c - lib/pg_minisign and `pkggate policy keygen|sign|verify`.
 *
 * Vectors: tests/vectors/minisign (see its README). Interop runs the real
 * minisign with fork/execvp; it is skipped only when minisign is absent.
 *
 * The CLI lives in shim/, which unit tests do not link, so its one source
 * file is compiled in here. `test_minisign --cli keygen|sign|verify ...`
 * runs the CLI itself: tests/e2e/t50-minisign-interop.sh drives it that way
 * (exit codes, flags, files) when the pkggate program is not built.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_minisign.h"
#include "pg_util.h"
#include "../../shim/cli/cmd_sign.c"

#define VEC(name) PG_TEST_DATA_DIR "/vectors/minisign/" name
#define PASSWORD  "vector password"
#define GOOD_TC   "timestamp:1700000000\tfile:policy.json\tserial:7\texpires:2027-01-01"

static char tmp[64];
static char *paths[16]; /* made by tpath(), freed by teardown() */
static size_t npaths;

static char *slurp(const char *path, size_t *len)
{
    struct pg_err err = PG_ERR_INIT;
    char *text = NULL;

    if (pg_read_file(path, 1 << 20, &text, len, &err) < 0)
        fail_msg("%s", err.msg);
    return text;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *tpath(const char *name)
{
    assert_true(npaths < PG_ARRAY_SIZE(paths));
    return paths[npaths++] = pg_xasprintf("%s/%s", tmp, name);
}

static void assert_file_has(const char *path, const char *needle)
{
    size_t len = 0;
    char *text = slurp(path, &len);

    if (!strstr(text, needle))
        fail_msg("%s lacks '%s': %s", path, needle, text);
    free(text);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof(tmp), "/tmp/pg-minisign.XXXXXX");
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    DIR *d = opendir(tmp);
    struct dirent *e;

    (void)state;
    while (d && (e = readdir(d))) {
        char *p = pg_xasprintf("%s/%s", tmp, e->d_name);

        if (e->d_name[0] != '.')
            unlink(p);
        free(p);
    }
    if (d)
        closedir(d);
    while (npaths)
        free(paths[--npaths]);
    return rmdir(tmp);
}

/*
 * Run fn (a CLI entry point) or, with fn NULL, execvp argv[0], in a child
 * with stdin fed from in (NULL: empty) and stdout+stderr to the file out.
 */
static int spawn(int (*fn)(int, char **), const char *in, const char *out, char **argv)
{
    int argc = 0, fds[2], status = 0;
    pid_t pid;

    while (argv[argc])
        argc++;
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);

        dup2(fds[0], 0);
        dup2(o, 1);
        dup2(o, 2);
        close(fds[1]);
        if (fn) {
            int rc = fn(argc, argv);

            fflush(stdout);
            _exit(rc);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[0]);
    if (in && write(fds[1], in, strlen(in)) != (ssize_t)strlen(in))
        fail_msg("short write to child");
    close(fds[1]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

#define CLI(fn, in, out, ...) spawn(fn, in, out, (char *[]){__VA_ARGS__, NULL})
#define RUN(in, out, ...)     spawn(NULL, in, out, (char *[]){__VA_ARGS__, NULL})

static int have_minisign(void)
{
    return RUN(NULL, NULL, "minisign", "-v") == 0;
}

/* Verify files through the library; returns 0/-1 and the trusted comment. */
static int lib_verify(const char *sigf, const char *msgf, const char *pubf, unsigned flags,
                      char **tc, struct pg_err *err)
{
    struct pg_minisign_pubkey pk;
    struct pg_minisign_sig *sig = NULL;
    size_t slen = 0, mlen = 0;
    char *stext = slurp(sigf, &slen), *msg = slurp(msgf, &mlen);
    int ret = -1;

    if (pg_minisign_pubkey_load(&pk, pubf, err) == 0 &&
        pg_minisign_sig_parse(stext, slen, &sig, err) == 0)
        ret = pg_minisign_verify(&pk, sig, msg, mlen, flags, tc, err);
    pg_minisign_sig_free(sig);
    free(stext);
    free(msg);
    return ret;
}

/* lib_verify on files of tests/vectors/minisign. */
static int vec_verify(const char *sig, const char *msg, const char *pub, unsigned flags, char **tc,
                      struct pg_err *err)
{
    char *ps = pg_xasprintf(VEC("%s"), sig), *pm = pg_xasprintf(VEC("%s"), msg),
         *pp = pg_xasprintf(VEC("%s"), pub);
    int rc = lib_verify(ps, pm, pp, flags, tc, err);

    free(ps);
    free(pm);
    free(pp);
    return rc;
}

/* call must fail with a message containing needle (err is in scope). */
#define ASSERT_FAILS(call, needle)                                                                 \
    do {                                                                                           \
        assert_int_equal((call), -1);                                                              \
        if (!strstr(err.msg, needle))                                                              \
            fail_msg("want '%s', got '%s'", needle, err.msg);                                      \
    } while (0)

static void test_pubkey_parse(void **state)
{
    struct pg_minisign_pubkey a, b;
    struct pg_err err = PG_ERR_INIT;
    char b64[PG_MINISIGN_PUBKEY_B64_LEN], id[PG_MINISIGN_KEYID_LEN], *text, *padded;

    (void)state;
    assert_int_equal(pg_minisign_pubkey_load(&a, VEC("key.pub"), &err), 0);
    pg_minisign_pubkey_base64(&a, b64);
    padded = pg_xasprintf("  %s \n\n", b64);
    assert_int_equal(pg_minisign_pubkey_parse(&b, padded, strlen(padded), &err), 0);
    assert_memory_equal(&a, &b, sizeof(a));
    /* The comment minisign writes names the key id we compute. */
    text = pg_minisign_pubkey_format(&a);
    pg_minisign_keyid(a.keynum, id);
    assert_non_null(strstr(text, id));
    assert_int_equal(pg_minisign_pubkey_parse(&b, text, strlen(text), &err), 0);
    assert_memory_equal(&a, &b, sizeof(a));
    ASSERT_FAILS(pg_minisign_pubkey_load(&b, VEC("bad-base64.pub"), &err), "not base64");
    ASSERT_FAILS(pg_minisign_pubkey_load(&b, VEC("truncated.pub"), &err), "not base64");
    ASSERT_FAILS(pg_minisign_pubkey_load(&b, VEC("wrong-alg.pub"), &err), "unsupported signature");
    assert_int_equal(pg_minisign_pubkey_parse(&b, "", 0, &err), -1);
    free(padded);
    padded = pg_xasprintf("%s\nmore", text);
    ASSERT_FAILS(pg_minisign_pubkey_parse(&b, padded, strlen(padded), &err), "after the key line");
    free(padded);
    free(text);
}

/* Every MANIFEST case through the library: verdict and reason. */
static void test_manifest(void **state)
{
    size_t len = 0;
    char *man = slurp(VEC("MANIFEST"), &len), *save = NULL;
    int cases = 0, fails = 0;

    (void)state;
    for (char *line = strtok_r(man, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char exp[8], sig[80], msg[80], pub[80], reason[120] = "";
        struct pg_err err = PG_ERR_INIT;
        char *tc = NULL;
        int rc;

        if (line[0] == '#' ||
            sscanf(line, "%7s %79s %79s %79s %119[^\n]", exp, sig, msg, pub, reason) < 4)
            continue;
        rc = vec_verify(sig, msg, pub, 0, &tc, &err);
        if (!strcmp(exp, "ok")) {
            if (rc != 0 || !tc)
                fail_msg("%s should verify: %s", sig, err.msg);
        } else {
            fails++;
            if (rc != -1 || tc || !strstr(err.msg, reason))
                fail_msg("%s/%s: want failure '%s', got rc %d '%s'", sig, msg, reason, rc, err.msg);
        }
        cases++;
        free(tc);
    }
    assert_true(cases >= 24);
    assert_true(fails >= 18);
    free(man);
}

static void test_trusted_comment_fields(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_minisign_tc tc = PG_MINISIGN_TC_INIT;
    char *text = NULL;

    (void)state;
    assert_int_equal(vec_verify("good.minisig", "policy.json", "key.pub", 0, &text, &err), 0);
    assert_string_equal(text, GOOD_TC);
    assert_int_equal(pg_minisign_tc_parse(&tc, text, &err), 0);
    assert_true(tc.has_timestamp && tc.has_serial && tc.has_expires);
    assert_int_equal(tc.timestamp, 1700000000);
    assert_int_equal(tc.serial, 7);
    assert_int_equal(tc.expires, 1798761600); /* 2027-01-01T00:00:00Z */
    assert_string_equal(tc.file, "policy.json");
    pg_minisign_tc_release(&tc);
    free(text);
    /* The pkggate-made vector carries the same fields. */
    assert_int_equal(
        vec_verify("good-pkggate.minisig", "policy.json", "pkggate.pub", 0, &text, &err), 0);
    assert_non_null(strstr(text, "\tfile:policy.json\tserial:7\texpires:2027-01-01\thashed"));
    free(text);
}

static void test_require_prehashed(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    char *tc = NULL;

    (void)state;
    ASSERT_FAILS(vec_verify("good-legacy.minisig", "policy.json", "key.pub",
                            PG_MINISIGN_REQUIRE_PREHASHED, &tc, &err),
                 "legacy");
    assert_null(tc);
    assert_int_equal(vec_verify("good.minisig", "policy.json", "key.pub",
                                PG_MINISIGN_REQUIRE_PREHASHED, NULL, &err),
                     0);
}

static char *sign_ok(const struct pg_minisign_seckey *sk, const char *msg, const char *tc,
                     unsigned flags)
{
    struct pg_err err = PG_ERR_INIT;
    char *out = NULL;

    if (pg_minisign_sign(sk, msg, strlen(msg), tc, NULL, flags, &out, &err) < 0)
        fail_msg("sign: %s", err.msg);
    return out;
}

static int verify_text(const struct pg_minisign_pubkey *pk, const char *sigtext, const char *msg,
                       char **tc, struct pg_err *err)
{
    struct pg_minisign_sig *sig = NULL;
    int rc = pg_minisign_sig_parse(sigtext, strlen(sigtext), &sig, err);

    if (rc == 0)
        rc = pg_minisign_verify(pk, sig, msg, strlen(msg), 0, tc, err);
    pg_minisign_sig_free(sig);
    return rc;
}

static void test_sign_roundtrip(void **state)
{
    struct pg_minisign_seckey *sk = NULL, *other = NULL;
    struct pg_minisign_pubkey pk, opk;
    struct pg_err err = PG_ERR_INIT;
    char *text, *tc = NULL;

    (void)state;
    assert_int_equal(pg_minisign_keygen(&sk, &pk, &err), 0);
    assert_int_equal(pg_minisign_keygen(&other, &opk, &err), 0);
    for (unsigned flags = 0; flags <= PG_MINISIGN_LEGACY; flags++) {
        text = sign_ok(sk, "{\"a\":1}\n", "serial:1", flags);
        assert_non_null(strstr(text, flags ? "\nRW" : "\nRU")); /* "Ed" / "ED" */
        assert_int_equal(verify_text(&pk, text, "{\"a\":1}\n", &tc, &err), 0);
        assert_string_equal(tc, "serial:1");
        free(tc);
        tc = NULL;
        ASSERT_FAILS(verify_text(&pk, text, "{\"a\":2}\n", &tc, &err), "verification failed");
        assert_null(tc);
        ASSERT_FAILS(verify_text(&opk, text, "{\"a\":1}\n", &tc, &err), "signed by key");
        free(text);
    }
    /* A trusted comment is one line. */
    assert_int_equal(pg_minisign_sign(sk, "x", 1, "a\nb", NULL, 0, &text, &err), -1);
    assert_null(text);
    pg_minisign_seckey_free(sk);
    pg_minisign_seckey_free(other);
}

static struct pg_minisign_seckey *load_key(const char *path)
{
    struct pg_minisign_seckey *sk = NULL;
    struct pg_err err = PG_ERR_INIT;

    if (pg_minisign_seckey_load(path, &sk, &err) < 0)
        fail_msg("%s", err.msg);
    return sk;
}

/* Keys from both tools, encrypted and not, sign for their public keys. */
static void test_seckey_vectors(void **state)
{
    static const char *const keys[][2] = {
        {VEC("key.key"), VEC("key.pub")},
        {VEC("pkggate.key"), VEC("pkggate.pub")},
        {VEC("enc-minisign.key"), VEC("enc-minisign.pub")},
        {VEC("enc-pkggate.key"), VEC("enc-pkggate.pub")},
    };
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(keys); i++) {
        struct pg_minisign_seckey *sk = load_key(keys[i][0]);
        struct pg_minisign_pubkey want, got;
        char *text;

        assert_int_equal(pg_minisign_pubkey_load(&want, keys[i][1], &err), 0);
        assert_int_equal(pg_minisign_seckey_locked(sk), i >= 2);
        if (i >= 2) {
            assert_int_equal(pg_minisign_seckey_pubkey(sk, &got, &err), -1);
            assert_int_equal(pg_minisign_seckey_decrypt(sk, "wrong", 5, &err), -1);
            assert_string_equal(err.msg, "wrong password for that key");
            assert_int_equal(pg_minisign_seckey_locked(sk), 1);
            assert_int_equal(pg_minisign_seckey_decrypt(sk, PASSWORD, strlen(PASSWORD), &err), 0);
        }
        assert_int_equal(pg_minisign_seckey_pubkey(sk, &got, &err), 0);
        assert_memory_equal(&want, &got, sizeof(want));
        text = sign_ok(sk, "policy", "t", 0);
        assert_int_equal(verify_text(&want, text, "policy", NULL, &err), 0);
        free(text);
        pg_minisign_seckey_free(sk);
    }
}

/* Re-encode a key file with one byte of its blob changed. */
static int parse_mutated(const char *path, size_t off, unsigned char x, struct pg_err *err)
{
    struct pg_minisign_seckey *sk = NULL;
    unsigned char blob[158];
    char b64[sodium_base64_ENCODED_LEN(158, sodium_base64_VARIANT_ORIGINAL)], *text, *nl;
    size_t len = 0, got = 0;
    char *orig = slurp(path, &len);
    int rc;

    nl = strchr(orig, '\n');
    assert_int_equal(sodium_base642bin(blob, sizeof(blob), nl + 1, strcspn(nl + 1, "\n"), NULL,
                                       &got, NULL, sodium_base64_VARIANT_ORIGINAL),
                     0);
    blob[off] ^= x;
    sodium_bin2base64(b64, sizeof(b64), blob, sizeof(blob), sodium_base64_VARIANT_ORIGINAL);
    text = pg_xasprintf("untrusted comment: x\n%s\n", b64);
    rc = pg_minisign_seckey_parse(text, strlen(text), &sk, err);
    pg_minisign_seckey_free(sk);
    free(text);
    free(orig);
    return rc;
}

static void test_seckey_corrupt(void **state)
{
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_int_equal(parse_mutated(VEC("key.key"), 0, 0, &err), 0);
    ASSERT_FAILS(parse_mutated(VEC("key.key"), 70, 1, &err), "corrupt"); /* seed */
    ASSERT_FAILS(parse_mutated(VEC("pkggate.key"), 130, 1, &err), "checksum mismatch");
    ASSERT_FAILS(parse_mutated(VEC("key.key"), 2, 'X', &err), "key derivation function");
    ASSERT_FAILS(parse_mutated(VEC("key.key"), 0, 1, &err), "signature algorithm");
    ASSERT_FAILS(parse_mutated(VEC("key.key"), 4, 1, &err), "checksum function");
}

static void test_seckey_save(void **state)
{
    struct pg_minisign_seckey *sk = NULL, *back;
    struct pg_minisign_pubkey pk, got;
    struct pg_minisign_save_opts so = PG_MINISIGN_SAVE_OPTS_INIT;
    struct pg_err err = PG_ERR_INIT;
    char *plain = tpath("plain.key"), *enc = tpath("enc.key");
    struct stat st;

    (void)state;
    assert_int_equal(pg_minisign_keygen(&sk, &pk, &err), 0);
    assert_int_equal(pg_minisign_seckey_save(sk, plain, &so, &err), 0);
    assert_int_equal(stat(plain, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    ASSERT_FAILS(pg_minisign_seckey_save(sk, plain, &so, &err), "already exists");
    so.overwrite = 1;
    assert_int_equal(pg_minisign_seckey_save(sk, plain, &so, &err), 0);
    back = load_key(plain);
    assert_int_equal(pg_minisign_seckey_locked(back), 0);
    pg_minisign_seckey_free(back);
    /* Encrypted, with small scrypt limits to keep the test quick. */
    so = (struct pg_minisign_save_opts){"s3cret", 6, 1 << 19, 1 << 24, NULL, 0};
    assert_int_equal(pg_minisign_seckey_save(sk, enc, &so, &err), 0);
    back = load_key(enc);
    assert_int_equal(pg_minisign_seckey_locked(back), 1);
    assert_int_equal(pg_minisign_seckey_decrypt(back, "s3cret", 6, &err), 0);
    assert_int_equal(pg_minisign_seckey_pubkey(back, &got, &err), 0);
    assert_memory_equal(&pk, &got, sizeof(pk));
    pg_minisign_seckey_free(back);
    pg_minisign_seckey_free(sk);
}

static void test_tc_parse(void **state)
{
    char bad[] = "serial:1\tserial:2\nfile:a\tfile:b\nserial:x\nserial:-1\nserial:\n"
                 "timestamp:1e9\nexpires:2027-02-29\nexpires:2027-13-01\nexpires:2027-1-1\n"
                 "expires:2027-01-01T25:00:00Z\nexpires:2027-01-01 00:00:00\n"
                 "expires:1969-12-31\nserial:99999999999999999999";
    struct pg_minisign_tc tc = PG_MINISIGN_TC_INIT;
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    for (char *save = NULL, *c = strtok_r(bad, "\n", &save); c; c = strtok_r(NULL, "\n", &save))
        if (pg_minisign_tc_parse(&tc, c, &err) != -1)
            fail_msg("'%s' should not parse", c);
    assert_int_equal(
        pg_minisign_tc_parse(&tc, "hashed\tnote:hi\texpires:2028-02-29T12:30:01Z", &err), 0);
    assert_false(tc.has_serial || tc.has_timestamp || tc.file);
    assert_int_equal(tc.expires, 1835440201);
    pg_minisign_tc_release(&tc);
    assert_int_equal(pg_minisign_tc_parse(&tc, "", &err), 0);
    assert_false(tc.has_expires);
}

static void test_tc_build(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    uint64_t serial = 7;
    char *out = NULL;

    (void)state;
    assert_int_equal(
        pg_minisign_tc_build(NULL, "/etc/org/policy.json", 5, &serial, "2027-01-01", 1, &out, &err),
        0);
    assert_string_equal(out, "timestamp:5\tfile:policy.json\tserial:7\texpires:2027-01-01\thashed");
    free(out);
    assert_int_equal(pg_minisign_tc_build("release 3", "p", 5, &serial, NULL, 1, &out, &err), 0);
    assert_string_equal(out, "release 3\tserial:7");
    free(out);
    assert_int_equal(pg_minisign_tc_build("serial:1", "p", 5, &serial, NULL, 0, &out, &err), -1);
    assert_null(out);
    assert_int_equal(pg_minisign_tc_build("a\nb", "p", 5, NULL, NULL, 0, &out, &err), -1);
    assert_int_equal(
        pg_minisign_tc_build(NULL, "p", 5, NULL, "2027-01-01\tserial:9", 0, &out, &err), -1);
    assert_int_equal(pg_minisign_tc_build(NULL, "a\tb", 5, NULL, NULL, 0, &out, &err), -1);
}

/* Exit status of the CLI; its output goes to the file out. */
#define KEYGEN(in, ...)   CLI(pg_cmd_policy_keygen, in, out, "keygen", __VA_ARGS__)
#define SIGN(in, ...)     CLI(pg_cmd_policy_sign, in, out, "sign", __VA_ARGS__)
#define VERIFY(...)       CLI(pg_cmd_policy_verify, NULL, out, "verify", __VA_ARGS__)
#define MINISIGN(in, ...) RUN(in, out, "minisign", __VA_ARGS__)

/* Passwords arrive on stdin when it is not a terminal. */
static void test_cli_passwords(void **state)
{
    char *msg = tpath("m"), *out = tpath("out"), *pub = tpath("e.pub"), *sec = tpath("e.key");

    (void)state;
    spit(msg, "policy\n");
    assert_int_equal(SIGN(PASSWORD "\n", "-s", VEC("enc-pkggate.key"), "-m", msg), 0);
    assert_int_equal(VERIFY("-p", VEC("enc-pkggate.pub"), "-m", msg), 0);
    assert_int_equal(SIGN("nope\n", "-s", VEC("enc-minisign.key"), "-m", msg), 2);
    assert_file_has(out, "wrong password for that key");
    assert_int_equal(SIGN(NULL, "-s", VEC("enc-minisign.key"), "-m", msg), 2);
    /* keygen asks twice and stops, writing nothing, when they differ. */
    assert_int_equal(KEYGEN("one\ntwo\n", "-p", pub, "-s", sec), 2);
    assert_file_has(out, "passwords don't match");
    assert_int_equal(access(sec, F_OK), -1);
}

/* Real minisign signs, pkggate verifies; pkggate signs, minisign verifies. */
static void test_interop(void **state)
{
    char *pub = tpath("m.pub"), *sec = tpath("m.key"), *msg = tpath("policy.json"),
         *sig = tpath("policy.json.minisig"), *out = tpath("out"), *enc = tpath("p.key");
    struct pg_minisign_save_opts so = {PASSWORD, strlen(PASSWORD), 1 << 19, 1 << 24, NULL, 0};
    struct pg_minisign_seckey *sk = NULL;
    struct pg_minisign_pubkey pk;
    struct pg_err err = PG_ERR_INIT;
    char *tc = NULL, *ptext;

    (void)state;
    if (!have_minisign())
        skip();
    spit(msg, "{\"version\": 1}\n");
    assert_int_equal(MINISIGN(NULL, "-G", "-W", "-p", pub, "-s", sec), 0);
    assert_int_equal(MINISIGN(NULL, "-S", "-s", sec, "-m", msg, "-t", GOOD_TC), 0);
    assert_int_equal(lib_verify(sig, msg, pub, PG_MINISIGN_REQUIRE_PREHASHED, &tc, &err), 0);
    assert_string_equal(tc, GOOD_TC);
    assert_int_equal(MINISIGN(NULL, "-S", "-l", "-s", sec, "-m", msg), 0);
    assert_int_equal(VERIFY("-p", pub, "-m", msg), 0);
    /* The other way: pkggate's key, signature and trusted comment. */
    assert_int_equal(KEYGEN(NULL, "-W", "-f", "-p", pub, "-s", sec), 0);
    assert_int_equal(SIGN(NULL, "-s", sec, "-m", msg, "--serial", "12", "--expires", "2030-01-01"),
                     0);
    assert_int_equal(MINISIGN(NULL, "-V", "-Q", "-p", pub, "-m", msg), 0);
    assert_file_has(out, "\tserial:12\texpires:2030-01-01\thashed\n");
    assert_int_equal(SIGN(NULL, "-l", "-s", sec, "-m", msg), 0);
    assert_int_equal(MINISIGN(NULL, "-V", "-p", pub, "-m", msg), 0);
    spit(msg, "{\"version\": 2}\n");
    assert_int_equal(MINISIGN(NULL, "-V", "-p", pub, "-m", msg), 1);
    /* minisign decrypts a key that pkggate encrypted. */
    assert_int_equal(pg_minisign_keygen(&sk, &pk, &err), 0);
    assert_int_equal(pg_minisign_seckey_save(sk, enc, &so, &err), 0);
    ptext = pg_minisign_pubkey_format(&pk);
    spit(pub, ptext);
    assert_int_equal(MINISIGN(PASSWORD "\n", "-S", "-s", enc, "-m", msg), 0);
    assert_int_equal(lib_verify(sig, msg, pub, 0, NULL, &err), 0);
    free(tc);
    free(ptext);
    pg_minisign_seckey_free(sk);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pubkey_parse),
        cmocka_unit_test(test_manifest),
        cmocka_unit_test(test_trusted_comment_fields),
        cmocka_unit_test(test_require_prehashed),
        cmocka_unit_test(test_sign_roundtrip),
        cmocka_unit_test(test_seckey_vectors),
        cmocka_unit_test(test_seckey_corrupt),
        cmocka_unit_test(test_tc_parse),
        cmocka_unit_test(test_tc_build),
        cmocka_unit_test_setup_teardown(test_seckey_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_passwords, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interop, setup, teardown),
    };

    if (sodium_init() < 0)
        return 1;
    /* Driver mode for tests/e2e: test_minisign --cli keygen|sign|verify ... */
    if (argc > 2 && !strcmp(argv[1], "--cli"))
        return !strcmp(argv[2], "keygen")   ? pg_cmd_policy_keygen(argc - 2, argv + 2)
               : !strcmp(argv[2], "sign")   ? pg_cmd_policy_sign(argc - 2, argv + 2)
               : !strcmp(argv[2], "verify") ? pg_cmd_policy_verify(argc - 2, argv + 2)
                                            : 2;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
