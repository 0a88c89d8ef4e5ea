/*
 * pkggate allow PURL --reason TEXT [--for 7d] [--rule R]... [--user|--project]
 *
 * The honest override: an exception with a reason and an expiry, written
 * into the user's policy file (default) or the project's .pkggate.json,
 * refused where a lower layer locked "exceptions", and recorded with who
 * and why in the audit log.
 *
 * A project file loosens only once trusted (README "Trusting a project's
 * policy"). --project re-trusts the file after the edit when it was new or
 * trusted as it was: the change is the person's own. A file that was not
 * trusted before may loosen more than this one exception, so it is left
 * untrusted and the exact `pkggate policy trust` command is printed.
 */
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "pg_audit.h"
#include "pg_duration.h"
#include "pg_exit.h"
#include "pg_gate.h"
#include "pg_main.h"
#include "pg_polfile.h"
#include "pg_purl.h"
#include "banned.h"

#define MAX_RULES 32

static const char allow_usage[] =
    "usage: pkggate allow PURL --reason TEXT [--for DURATION] [--rule RULE]... [--user|--project]\n"
    "\n"
    "Adds an exception for PURL (pkg:npm/NAME@VERSION, pkg:pypi/NAME@VERSION) to a\n"
    "policy file: it silences RULE (each --rule; default every rule but deny)\n"
    "for DURATION (default 7d), and says REASON wherever it is used.\n"
    "\n"
    "  --user     $XDG_CONFIG_HOME/pkggate/policy.json (the default)\n"
    "  --project  the .pkggate.json that applies here (./.pkggate.json if none);\n"
    "             trusted again after the edit if it was trusted (or new) before\n"
    "\n"
    "Refused (exit 10) where the organisation's policy locks \"exceptions\".\n";

struct allow_args {
    const char *purl, *reason, *span;
    const char *rules[MAX_RULES];
    size_t nrules;
    int project;
    int syslog; /* the policy in force sends audit records to syslog too */
};

static int bad(const char *fmt, ...) PG_PRINTF(1, 2);

static int bad(const char *fmt, ...)
{
    struct pg_sb line = PG_SB_INIT;
    va_list ap;

    pg_sb_adds(&line, "pkggate allow: ");
    va_start(ap, fmt);
    pg_sb_vaddf(&line, fmt, ap);
    va_end(ap);
    pg_gate_errorf("%s", pg_sb_str(&line));
    fputs(allow_usage, stderr);
    pg_sb_release(&line);
    return -1;
}

static int value(int argc, char **argv, int *i, const char **out)
{
    if (*i + 1 >= argc)
        return bad("%s needs a value", argv[*i]);
    *out = argv[++*i];
    return 0;
}

static int parse_args(int argc, char **argv, struct allow_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int rc = 0;

        if (!strcmp(arg, "--reason"))
            rc = value(argc, argv, &i, &a->reason);
        else if (!strcmp(arg, "--for"))
            rc = value(argc, argv, &i, &a->span);
        else if (!strcmp(arg, "--rule") && a->nrules < MAX_RULES)
            rc = value(argc, argv, &i, &a->rules[a->nrules++]);
        else if (!strcmp(arg, "--project") || !strcmp(arg, "--user"))
            a->project = !strcmp(arg, "--project");
        else if (arg[0] == '-' && arg[1])
            return bad("unknown option '%s'", arg);
        else if (a->purl)
            return bad("one package at a time ('%s')", arg);
        else
            a->purl = arg;
        if (rc < 0)
            return -1;
    }
    if (!a->purl)
        return bad("%s", "name the package as a purl, e.g. pkg:npm/left-pad@1.3.0");
    if (!a->reason || !*a->reason)
        return bad("%s", "say why with --reason: it is shown wherever the exception is used");
    for (size_t k = 0; k < a->nrules; k++)
        if (pg_rule_lookup(a->rules[k], 1) < 0)
            return bad("no rule '%s' can be excepted (see README \"Rules\")", a->rules[k]);
    return 0;
}

static const char *env_get(const char *name)
{
    return getenv(name);
}

/* Who ran it, for the audit log: the account, not an environment variable. */
static const char *who(void)
{
    struct passwd *pw = getpwuid(getuid());

    return pw && pw->pw_name ? pw->pw_name : "?";
}

static json_t *str(const char *s)
{
    json_t *j = json_string(s);

    return j ? j : json_string("(not valid UTF-8)");
}

static void stamp(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    buf[0] = '\0';
    if (gmtime_r(&tt, &tm))
        strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Who and why, in the audit log beside the decisions the exception changes. */
static void audit(const struct allow_args *a, const char *file, int64_t now, int64_t expires)
{
    json_t *line = json_object(), *rules = json_array();
    char when[32], until[32], *text;

    stamp(now, when, sizeof(when));
    stamp(expires, until, sizeof(until));
    for (size_t k = 0; k < a->nrules; k++)
        json_array_append_new(rules, str(a->rules[k]));
    json_object_set_new(line, "time", json_string(when));
    json_object_set_new(line, "tool", json_string("pkggate"));
    json_object_set_new(line, "command", json_string("allow"));
    json_object_set_new(line, "user", str(who()));
    json_object_set_new(line, "package", str(a->purl));
    json_object_set_new(line, "rules", a->nrules ? rules : json_string("*"));
    if (!a->nrules)
        json_decref(rules);
    json_object_set_new(line, "reason", str(a->reason));
    json_object_set_new(line, "expires", json_string(until));
    json_object_set_new(line, "file", str(file));
    text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text) {
        char *nl = pg_xasprintf("%s\n", text);

        pg_audit_append(nl, strlen(nl), a->syslog);
        free(nl);
    }
    free(text);
    json_decref(line);
}

/* The file to write: the user's, or the project's nearest (else ./.pkggate.json). */
static int target(const struct allow_args *a, const struct pg_policy_paths *paths,
                  struct pg_sb *file)
{
    if (!a->project) {
        if (!paths->user) {
            fputs("pkggate allow: no user policy file: set HOME or XDG_CONFIG_HOME\n", stderr);
            return -1;
        }
        pg_sb_adds(file, paths->user);
        return 0;
    }
    if (!paths->cwd) {
        fputs("pkggate allow: cannot read the working directory\n", stderr);
        return -1;
    }
    if (!pg_policy_project_file(paths->cwd, file)) {
        pg_sb_reset(file); /* the search leaves its last guess in file */
        pg_sb_addf(file, "%s/.pkggate.json", paths->cwd);
    }
    return 0;
}

/*
 * A lower layer's lock on "exceptions" means the organisation decides
 * them: refuse, naming the file, before anything is written.
 */
static int locked(const char *file, int *syslog)
{
    struct pg_policy *pol = NULL;
    const char *by;
    int rc = 0;

    if (pg_gate_load_policy(&pol, 0) < 0)
        return PG_EXIT_FAILED;
    *syslog = pg_policy_syslog(pol);
    by = pg_policy_locked_by(pol, "exceptions");
    if (by && strcmp(by, file) != 0) {
        pg_gate_errorf("pkggate allow: refused: \"exceptions\" is locked by %s, so no other "
                       "file may add one; ask whoever maintains %s",
                       by, by);
        rc = PG_EXIT_BLOCKED;
    }
    pg_policy_free(pol);
    return rc;
}

/* --project: trust the edited file when the change is all that is new in it. */
static void trust_after(const struct pg_policy_paths *paths, const char *file, int was_trusted)
{
    struct pg_err err = PG_ERR_INIT;
    char *canon = NULL;

    if (!was_trusted) {
        printf("pkggate: %s was not trusted before this change, so what it loosens (this "
               "exception too) applies only once you trust it; check it with `pkggate policy "
               "show`, then run: pkggate policy trust %s\n",
               file, file);
        return;
    }
    if (pg_policy_trust(paths, file, &canon, &err) < 0)
        pg_gate_errorf("pkggate allow: could not trust %s: %s; run: pkggate policy trust %s",
                       file, err.msg, file);
    else
        printf("pkggate: trusted %s as it is now (it was trusted, or new, before)\n", canon);
    free(canon);
}

static int write_exception(const struct allow_args *a, const struct pg_policy_paths *paths,
                           const char *file)
{
    struct pg_exception ex = {a->purl, a->rules, a->nrules, a->reason, 0};
    struct pg_err err = PG_ERR_INIT;
    int64_t span = 7 * 24 * 3600, now = (int64_t)time(NULL);
    int created = 0, was_trusted;
    char until[32];

    if (a->span && pg_duration_parse(a->span, &span, &err) < 0) {
        bad("--for: %s", err.msg);
        return PG_EXIT_USAGE;
    }
    ex.expires = now + span;
    was_trusted = access(file, F_OK) != 0 || pg_policy_trusted(paths, file);
    /* The user's own file is private from the start; a project file is shared code. */
    if (pg_polfile_add_exception(file, &ex, a->project ? 0644 : 0600, &created, &err) < 0) {
        pg_gate_errorf("pkggate allow: %s", err.msg);
        return PG_EXIT_FAILED;
    }
    stamp(ex.expires, until, sizeof(until));
    printf("pkggate: %s %s: exception for %s (%s) until %s\n", created ? "created" : "updated",
           file, a->purl, a->nrules ? "the rules named" : "every rule but deny", until);
    audit(a, file, now, ex.expires);
    if (a->project)
        trust_after(paths, file, was_trusted);
    return PG_EXIT_OK;
}

int pg_main_allow(int argc, char **argv)
{
    struct allow_args a = {0};
    struct pg_policy_paths paths;
    struct pg_sb file = PG_SB_INIT;
    struct pg_purl pat = PG_PURL_INIT;
    struct pg_err err = PG_ERR_INIT;
    char *buf = pg_xmalloc(PG_POLICY_PATHS_BUFSZ);
    int rc = PG_EXIT_USAGE;

    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(allow_usage, stdout);
        rc = PG_EXIT_OK;
        goto out;
    }
    if (parse_args(argc, argv, &a) < 0)
        goto out;
    if (pg_purl_parse(&pat, a.purl, &err) < 0) {
        bad("%s", err.msg);
        goto out;
    }
    pg_policy_paths_from_env(&paths, buf, PG_POLICY_PATHS_BUFSZ, env_get);
    rc = PG_EXIT_FAILED;
    if (target(&a, &paths, &file) < 0)
        goto out;
    rc = locked(pg_sb_str(&file), &a.syslog);
    if (rc == PG_EXIT_OK)
        rc = write_exception(&a, &paths, pg_sb_str(&file));
out:
    pg_purl_release(&pat);
    pg_sb_release(&file);
    free(buf);
    return rc;
}
