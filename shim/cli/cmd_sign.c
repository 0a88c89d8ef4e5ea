/*
 * cmd_sign.c - pkggate policy keygen | sign | verify (see cmd_sign.h).
 *
 * Flag letters are minisign's so that people who know minisign need learn
 * nothing, and files move freely between the two tools.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd_sign.h"
#include "pg_gate.h"
#include "pg_minisign.h"
#include "pg_util.h"
#include "banned.h"

#define EXIT_VERIFIED     0
#define EXIT_NOT_VERIFIED 1
#define EXIT_ERROR        2
/* Policies are small; this only bounds what a mistaken -m could pull in. */
#define MSG_MAX (64u << 20)

static const char keygen_usage[] =
    "usage: pkggate policy keygen -p KEY.pub -s KEY [-W] [-f] [-c COMMENT]\n"
    "\n"
    "Make a minisign-compatible Ed25519 key pair for signing the org policy.\n"
    "  -p FILE   where to write the public key (give it to every machine)\n"
    "  -s FILE   where to write the secret key (mode 0600; keep it offline)\n"
    "  -W        do not encrypt the secret key with a password\n"
    "  -f        replace existing key files\n"
    "  -c TEXT   untrusted comment for the secret key file\n"
    "The password is read from the terminal, or from standard input (twice,\n"
    "one per line) when that is not a terminal.\n";

static const char sign_usage[] =
    "usage: pkggate policy sign -s KEY -m FILE [-x SIG] [-t COMMENT]\n"
    "                           [--serial N] [--expires DATE] [-l] [-c COMMENT]\n"
    "\n"
    "Sign FILE (e.g. policy.json) into FILE.minisig; `minisign -V` accepts it.\n"
    "  -s FILE         secret key (asks for its password if it has one)\n"
    "  -m FILE         file to sign\n"
    "  -x FILE         signature file (default: FILE.minisig)\n"
    "  -t TEXT         trusted comment (default: timestamp:NOW<TAB>file:NAME)\n"
    "  --serial N      append serial:N; raise it with every release so an old\n"
    "                  policy cannot be replayed\n"
    "  --expires DATE  append expires:DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)\n"
    "  -l              legacy signature over the raw file (\"Ed\", not \"ED\")\n"
    "  -c TEXT         untrusted comment\n";

static const char verify_usage[] =
    "usage: pkggate policy verify (-p KEY.pub | -P BASE64KEY) -m FILE [-x SIG] [-q|-Q] [-H]\n"
    "\n"
    "Check FILE against its minisign signature; exit 0 only if it is good,\n"
    "1 if it is not (forged, altered, wrong key), 2 on usage or read errors.\n"
    "  -p FILE   public key file\n"
    "  -P KEY    public key as its base64 line (as pinned in a policy)\n"
    "  -m FILE   signed file\n"
    "  -x FILE   signature file (default: FILE.minisig)\n"
    "  -q        print nothing on success\n"
    "  -Q        print only the trusted comment on success\n"
    "  -H        refuse legacy (not pre-hashed) signatures\n";

/* One option: a minisign letter, an optional long name, a value or a flag. */
struct opt {
    char letter;
    const char *name;
    const char **value; /* set for options that take a value */
    int *flag;          /* set for flags */
};

static int usage_error(const char *cmd, const char *usage, const char *what, const char *arg)
{
    pg_gate_errorf("pkggate policy %s: %s '%s'", cmd, what, arg);
    fputs(usage, stderr);
    return -1;
}

static const struct opt *find_opt(const struct opt *o, char letter, const char *name, size_t nlen)
{
    for (; o->letter || o->name; o++)
        if (name ? o->name && strlen(o->name) == nlen && !strncmp(o->name, name, nlen)
                 : o->letter == letter)
            return o;
    return NULL;
}

/* How the user wrote the option, for messages. */
static void opt_name(const struct opt *o, char *buf, size_t n)
{
    if (o->name)
        snprintf(buf, n, "--%s", o->name);
    else
        snprintf(buf, n, "-%c", o->letter);
}

static int set_value(const char *cmd, const char *usage, const struct opt *o, const char *v)
{
    char shown[32];

    if (*o->value) {
        /* Two different values would leave the user guessing which won. */
        opt_name(o, shown, sizeof(shown));
        return usage_error(cmd, usage, "option given twice:", shown);
    }
    *o->value = v;
    return 0;
}

static int long_opt(const char *cmd, const char *usage, const struct opt *opts, int argc,
                    char **argv, int *i)
{
    const char *a = argv[*i] + 2, *eq = strchr(a, '=');
    const struct opt *o = find_opt(opts, 0, a, eq ? (size_t)(eq - a) : strlen(a));

    if (!o || (!o->value && eq))
        return usage_error(cmd, usage, "unknown option", argv[*i]);
    if (!o->value) {
        *o->flag = 1;
        return 0;
    }
    if (!eq && *i + 1 >= argc)
        return usage_error(cmd, usage, "missing value for", argv[*i]);
    return set_value(cmd, usage, o, eq ? eq + 1 : argv[++*i]);
}

static int short_opts(const char *cmd, const char *usage, const struct opt *opts, int argc,
                      char **argv, int *i)
{
    for (const char *p = argv[*i] + 1; *p; p++) {
        const struct opt *o = find_opt(opts, *p, NULL, 0);
        char shown[3] = {'-', *p, '\0'};

        if (!o)
            return usage_error(cmd, usage, "unknown option", shown);
        if (!o->value) {
            *o->flag = 1;
            continue;
        }
        if (!p[1] && *i + 1 >= argc)
            return usage_error(cmd, usage, "missing value for", shown);
        return set_value(cmd, usage, o, p[1] ? p + 1 : argv[++*i]);
    }
    return 0;
}

/*
 * Parse argv[1..] against opts. Understands -abc groups, -mFILE and -m FILE,
 * --name VALUE and --name=VALUE, and "--". Takes no positional arguments.
 * Returns 0, 1 when help was asked for, -1 after printing a usage error.
 */
static int parse_opts(const char *cmd, const char *usage, int argc, char **argv,
                      const struct opt *opts)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc;

        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return 1;
        if (!strcmp(a, "--")) {
            if (i + 1 < argc)
                return usage_error(cmd, usage, "unexpected argument", argv[i + 1]);
            break;
        }
        if (a[0] != '-' || !a[1])
            return usage_error(cmd, usage, "unexpected argument", a);
        rc = a[1] == '-' ? long_opt(cmd, usage, opts, argc, argv, &i)
                         : short_opts(cmd, usage, opts, argc, argv, &i);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int report(const char *cmd, const struct pg_err *err, int status)
{
    pg_gate_errorf("pkggate policy %s: %s", cmd, err->msg);
    return status;
}

static int sodium_ready(const char *cmd)
{
    if (sodium_init() >= 0)
        return 0;
    fprintf(stderr, "pkggate policy %s: cannot initialise libsodium\n", cmd);
    return -1;
}

/*
 * Read one line of password into buf (secure memory) straight from fd 0,
 * a byte at a time so no stdio buffer keeps a copy and a second line stays
 * unread for the next prompt. Echo is off while a terminal is the input.
 */
static int read_password(const char *cmd, const char *prompt, char *buf, size_t *len)
{
    struct termios old, quiet;
    int tty = isatty(0) && tcgetattr(0, &old) == 0, got_any = 0, too_long = 0;
    char c = 0;

    *len = 0;
    if (tty) {
        fputs(prompt, stderr);
        fflush(stderr);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(0, TCSAFLUSH, &quiet);
    }
    for (;;) {
        ssize_t n = read(0, &c, 1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || c == '\n')
            break;
        got_any = 1;
        if (*len < PG_MINISIGN_PASSWORD_MAX)
            buf[(*len)++] = c;
        else
            too_long = 1;
    }
    if (c == '\n')
        got_any = 1;
    sodium_memzero(&c, sizeof(c));
    if (tty) {
        tcsetattr(0, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (*len && buf[*len - 1] == '\r')
        (*len)--;
    buf[*len] = '\0';
    if (!got_any || too_long) {
        fprintf(stderr, "pkggate policy %s: %s\n", cmd,
                too_long ? "password too long" : "no password given on standard input");
        return -1;
    }
    return 0;
}

static char *secure_buf(void)
{
    char *p = sodium_malloc(PG_MINISIGN_PASSWORD_MAX + 1);

    if (!p) {
        fputs("pkggate policy: cannot allocate secure memory\n", stderr);
        abort();
    }
    return p;
}

/* Ask twice, as minisign does, so a typo cannot lock the key away. */
static int new_password(char **pw, size_t *len)
{
    char *again = secure_buf();
    size_t again_len = 0;
    int ret = -1;

    *pw = secure_buf();
    if (read_password("keygen", "Password: ", *pw, len) < 0 ||
        read_password("keygen", "Password (one more time): ", again, &again_len) < 0)
        goto out;
    if (*len != again_len || sodium_memcmp(*pw, again, *len) != 0) {
        fputs("pkggate policy keygen: passwords don't match\n", stderr);
        goto out;
    }
    ret = 0;
out:
    sodium_free(again);
    return ret;
}

static int refuse_existing(const char *path)
{
    if (access(path, F_OK) != 0)
        return 0;
    pg_gate_errorf("pkggate policy keygen: %s already exists (add -f to replace the key pair)",
                   path);
    return -1;
}

static int write_keys(const struct pg_minisign_seckey *sk, const struct pg_minisign_pubkey *pk,
                      const char *pub, const char *sec, const struct pg_minisign_save_opts *so,
                      struct pg_err *err)
{
    char *text = pg_minisign_pubkey_format(pk);
    int ret = -1;

    if (pg_minisign_seckey_save(sk, sec, so, err) == 0 &&
        pg_minisign_write_file(pub, text, strlen(text), 0644, so->overwrite, err) == 0)
        ret = 0;
    free(text);
    return ret;
}

int pg_cmd_policy_keygen(int argc, char **argv)
{
    const char *pub = NULL, *sec = NULL, *comment = NULL;
    int unencrypted = 0, force = 0, rc = EXIT_ERROR;
    const struct opt opts[] = {{'p', NULL, &pub, NULL},     {'s', NULL, &sec, NULL},
                               {'c', NULL, &comment, NULL}, {'W', NULL, NULL, &unencrypted},
                               {'f', NULL, NULL, &force},   {0, NULL, NULL, NULL}};
    struct pg_minisign_save_opts so = PG_MINISIGN_SAVE_OPTS_INIT;
    struct pg_minisign_seckey *sk = NULL;
    struct pg_minisign_pubkey pk;
    struct pg_err err = PG_ERR_INIT;
    char *pw = NULL, b64[PG_MINISIGN_PUBKEY_B64_LEN];
    size_t pw_len = 0;

    switch (parse_opts("keygen", keygen_usage, argc, argv, opts)) {
    case 1:
        fputs(keygen_usage, stdout);
        return 0;
    case -1:
        return EXIT_ERROR;
    }
    if (!pub || !sec || !strcmp(pub, sec)) {
        fprintf(stderr, "pkggate policy keygen: need -p and -s, two different files\n%s",
                keygen_usage);
        return EXIT_ERROR;
    }
    if (sodium_ready("keygen") < 0 ||
        (!force && (refuse_existing(pub) < 0 || refuse_existing(sec) < 0)))
        return EXIT_ERROR;
    if (!unencrypted && new_password(&pw, &pw_len) < 0)
        goto out;
    so.password = pw;
    so.password_len = pw_len;
    so.comment = comment;
    so.overwrite = force;
    if (pg_minisign_keygen(&sk, &pk, &err) < 0 || write_keys(sk, &pk, pub, sec, &so, &err) < 0) {
        rc = report("keygen", &err, EXIT_ERROR);
        goto out;
    }
    pg_minisign_pubkey_base64(&pk, b64);
    printf("The secret key was saved as %s - keep it secret%s.\n"
           "The public key was saved as %s - that one can be public.\n\n"
           "Pin it as \"public_key\" in /etc/pkggate/org.json, or verify with:\n"
           "  pkggate policy verify -P %s -m <file>\n",
           sec, unencrypted ? " (it has no password)" : "", pub, b64);
    rc = 0;
out:
    pg_minisign_seckey_free(sk);
    if (pw)
        sodium_free(pw);
    return rc;
}

/* Load the secret key and, if it has one, ask for its password. */
static int unlock_key(const char *path, struct pg_minisign_seckey **sk, struct pg_err *err)
{
    char *pw;
    size_t len = 0;
    int ret;

    if (pg_minisign_seckey_load(path, sk, err) < 0)
        return -1;
    if (!pg_minisign_seckey_locked(*sk))
        return 0;
    pw = secure_buf();
    ret = read_password("sign", "Password: ", pw, &len);
    if (ret < 0)
        pg_err_set(err, "%s: no password to decrypt it", path);
    else
        ret = pg_minisign_seckey_decrypt(*sk, pw, len, err);
    sodium_free(pw);
    return ret;
}

struct sign_args {
    const char *sec, *msg, *sig, *tc, *uc, *serial, *expires;
    int legacy;
};

static int do_sign(const struct sign_args *a, struct pg_err *err)
{
    struct pg_minisign_seckey *sk = NULL;
    char *msg = NULL, *tc = NULL, *text = NULL;
    char *sig_path = a->sig ? pg_xstrdup(a->sig) : pg_xasprintf("%s.minisig", a->msg);
    size_t msg_len = 0;
    uint64_t serial = 0;
    int ret = -1;

    if (a->serial && pg_parse_u64(a->serial, UINT64_MAX, &serial) < 0) {
        pg_err_set(err, "bad --serial '%s' (want a whole number)", a->serial);
        goto out;
    }
    if (unlock_key(a->sec, &sk, err) < 0 ||
        pg_read_file(a->msg, MSG_MAX, &msg, &msg_len, err) < 0 ||
        pg_minisign_tc_build(a->tc, a->msg, (uint64_t)time(NULL), a->serial ? &serial : NULL,
                             a->expires, !a->legacy, &tc, err) < 0 ||
        pg_minisign_sign(sk, msg, msg_len, tc, a->uc, a->legacy ? PG_MINISIGN_LEGACY : 0, &text,
                         err) < 0 ||
        pg_minisign_write_file(sig_path, text, strlen(text), 0644, 1, err) < 0)
        goto out;
    printf("Signature written to %s\nTrusted comment: %s\n", sig_path, tc);
    ret = 0;
out:
    pg_minisign_seckey_free(sk);
    free(msg);
    free(tc);
    free(text);
    free(sig_path);
    return ret;
}

int pg_cmd_policy_sign(int argc, char **argv)
{
    struct sign_args a = {0};
    const struct opt opts[] = {{'s', NULL, &a.sec, NULL},      {'m', NULL, &a.msg, NULL},
                               {'x', NULL, &a.sig, NULL},      {'t', NULL, &a.tc, NULL},
                               {'c', NULL, &a.uc, NULL},       {'l', NULL, NULL, &a.legacy},
                               {0, "serial", &a.serial, NULL}, {0, "expires", &a.expires, NULL},
                               {0, NULL, NULL, NULL}};
    struct pg_err err = PG_ERR_INIT;

    switch (parse_opts("sign", sign_usage, argc, argv, opts)) {
    case 1:
        fputs(sign_usage, stdout);
        return 0;
    case -1:
        return EXIT_ERROR;
    }
    if (!a.sec || !a.msg) {
        fprintf(stderr, "pkggate policy sign: need -s KEY and -m FILE\n%s", sign_usage);
        return EXIT_ERROR;
    }
    if (sodium_ready("sign") < 0)
        return EXIT_ERROR;
    if (do_sign(&a, &err) < 0)
        return report("sign", &err, EXIT_ERROR);
    return 0;
}

struct verify_args {
    const char *pub, *pub_b64, *msg, *sig;
    int quiet, only_comment, prehashed;
};

/* Returns an exit status: I/O and key trouble is 2, any doubt about the signature 1. */
static int do_verify(const struct verify_args *a, struct pg_err *err)
{
    struct pg_minisign_pubkey pk;
    struct pg_minisign_sig *sig = NULL;
    char *msg = NULL, *sigtext = NULL, *tc = NULL;
    char *sig_path = a->sig ? pg_xstrdup(a->sig) : pg_xasprintf("%s.minisig", a->msg);
    size_t msg_len = 0, sig_len = 0;
    int rc = EXIT_ERROR;

    if ((a->pub ? pg_minisign_pubkey_load(&pk, a->pub, err)
                : pg_minisign_pubkey_parse(&pk, a->pub_b64, strlen(a->pub_b64), err)) < 0 ||
        pg_read_file(a->msg, MSG_MAX, &msg, &msg_len, err) < 0 ||
        pg_read_file(sig_path, PG_MINISIGN_SIGFILE_MAX, &sigtext, &sig_len, err) < 0)
        goto out;
    rc = EXIT_NOT_VERIFIED;
    if (pg_minisign_sig_parse(sigtext, sig_len, &sig, err) < 0) {
        pg_err_prefix(err, "%s: ", sig_path);
        goto out;
    }
    if (pg_minisign_verify(&pk, sig, msg, msg_len, a->prehashed ? PG_MINISIGN_REQUIRE_PREHASHED : 0,
                           &tc, err) < 0)
        goto out;
    if (a->only_comment)
        printf("%s\n", tc);
    else if (!a->quiet)
        printf("Signature and comment signature verified\nTrusted comment: %s\n", tc);
    rc = EXIT_VERIFIED;
out:
    pg_minisign_sig_free(sig);
    free(msg);
    free(sigtext);
    free(tc);
    free(sig_path);
    return rc;
}

int pg_cmd_policy_verify(int argc, char **argv)
{
    struct verify_args a = {0};
    const struct opt opts[] = {{'p', NULL, &a.pub, NULL},       {'P', NULL, &a.pub_b64, NULL},
                               {'m', NULL, &a.msg, NULL},       {'x', NULL, &a.sig, NULL},
                               {'q', NULL, NULL, &a.quiet},     {'Q', NULL, NULL, &a.only_comment},
                               {'H', NULL, NULL, &a.prehashed}, {0, NULL, NULL, NULL}};
    struct pg_err err = PG_ERR_INIT;
    int rc;

    switch (parse_opts("verify", verify_usage, argc, argv, opts)) {
    case 1:
        fputs(verify_usage, stdout);
        return 0;
    case -1:
        return EXIT_ERROR;
    }
    if (!a.msg || !a.pub == !a.pub_b64) {
        fprintf(stderr, "pkggate policy verify: need -m FILE and one of -p or -P\n%s",
                verify_usage);
        return EXIT_ERROR;
    }
    if (sodium_ready("verify") < 0)
        return EXIT_ERROR;
    rc = do_verify(&a, &err);
    if (rc == EXIT_NOT_VERIFIED)
        pg_gate_errorf("pkggate policy verify: not verified: %s", err.msg);
    else if (rc != EXIT_VERIFIED)
        report("verify", &err, rc);
    return rc;
}
