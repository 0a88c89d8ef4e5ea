/*
 * pkggate report [--since DURATION|all] [--json]
 *
 * What the audit log says happened, for the person who answers for a
 * machine or a team: blocks and warnings by rule, package and project,
 * the exceptions that were used and added, those about to expire, and the
 * policy in force. The log is read one line at a time (each line parsed
 * with jansson and dropped), so a month of decisions costs memory only
 * for the distinct keys, and 10,000 lines answer within 100 ms
 * (bench/report.sh).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "pg_audit.h"
#include "pg_duration.h"
#include "pg_exit.h"
#include "pg_gate.h"
#include "pg_main.h"
#include "pg_render.h"
#include "pg_tally.h"
#include "pg_time.h"
#include "banned.h"

#define DEFAULT_SINCE "7d"
#define EXPIRING_SOON (14 * 86400)
#define TOP_HUMAN     5
#define TOP_JSON      20
#define LINE_MAX_LEN  ((size_t)1 << 20) /* longer lines are not pkggate's: skipped */

static const char report_usage[] =
    "usage: pkggate report [--since DURATION|all] [--json]\n"
    "\n"
    "Summarises the audit log: what was blocked and warned about (by rule, by\n"
    "package, by project directory), which exceptions were used and added, which\n"
    "expire within 14 days, and the policy layers and org serial in force.\n"
    "\n"
    "  --since D   only decisions of the last D (7d, 24h, 2w; default 7d), or all\n"
    "  --json      one JSON object on stdout instead of the table\n"
    "\n"
    "The log is $PKGGATE_AUDIT_LOG, else $XDG_STATE_HOME/pkggate/audit.jsonl.\n";

struct counts {
    struct pg_tally rules, packages, projects, used; /* columns: blocked, warned */
    json_t *added;                                   /* `pkggate allow` records */
    size_t decisions, allowed, warned, blocked, runs, skipped, uses;
    char run_time[32]; /* time and pid of the last run seen: a run's lines are adjacent */
    json_int_t run_pid;
};

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void count_run(struct counts *c, json_t *o, const char *t)
{
    json_int_t pid = json_integer_value(json_object_get(o, "pid"));

    if (pid == c->run_pid && strncmp(t, c->run_time, sizeof(c->run_time)) == 0)
        return;
    c->runs++;
    c->run_pid = pid;
    snprintf(c->run_time, sizeof(c->run_time), "%s", t);
}

/* "npm left-pad@1.3.0" (or without the version); a verdict on a whole command has no package. */
static char *package_key(json_t *o, int with_version)
{
    const char *eco = str(o, "ecosystem"), *name = str(o, "name");
    const char *ver = with_version ? str(o, "version") : NULL;

    if (!name)
        return pg_xasprintf("(whole %s command)", str(o, "tool") ? str(o, "tool") : "");
    return pg_xasprintf("%s %s%s%s", eco ? eco : "?", name, ver ? "@" : "", ver ? ver : "");
}

static void count_reasons(struct counts *c, json_t *o, const char *pkg)
{
    json_t *reasons = json_object_get(o, "reasons"), *x;
    size_t i;

    json_array_foreach(reasons, i, x)
    {
        const char *rule = str(x, "rule"), *act = str(x, "action"), *ex = str(x, "exempted");

        if (!rule || !act)
            continue;
        if (ex) {
            char *key = pg_xasprintf("%s [%s] %s", pkg, rule, ex);

            pg_tally_add(&c->used, key, 0);
            c->uses++;
            free(key);
        } else if (!strcmp(act, "block") || !strcmp(act, "warn")) {
            pg_tally_add(&c->rules, rule, !strcmp(act, "warn"));
        }
    }
}

static void count_decision(struct counts *c, json_t *o, const char *d, const char *t)
{
    char *pkg = NULL;
    int col = !strcmp(d, "warn");

    count_run(c, o, t);
    c->decisions++;
    c->allowed += !strcmp(d, "allow");
    c->warned += !strcmp(d, "warn");
    c->blocked += !strcmp(d, "block");
    if (!strcmp(d, "block") || !strcmp(d, "warn")) {
        char *name = package_key(o, 0);

        pg_tally_add(&c->packages, name, col);
        free(name);
        pg_tally_add(&c->projects, str(o, "project") ? str(o, "project") : "(unknown)", col);
    }
    /* Most decisions are plain allows: no key to build. */
    if (json_array_size(json_object_get(o, "reasons"))) {
        pkg = package_key(o, 1);
        count_reasons(c, o, pkg);
    }
    free(pkg);
}

/* One audit line; cutoff is the --since instant as the log writes times. */
static void count_line(struct counts *c, const char *line, size_t n, const char *cutoff)
{
    json_t *o = json_loadb(line, n, 0, NULL);
    const char *t = str(o, "time"), *d = str(o, "decision");

    if (!json_is_object(o) || !t) {
        c->skipped++;
    } else if (strcmp(t, cutoff) >= 0) {
        if (d)
            count_decision(c, o, d, t);
        else if (str(o, "command") && !strcmp(str(o, "command"), "allow"))
            json_array_append(c->added, o);
    }
    json_decref(o);
}

/*
 * pkggate writes "time" first (pg_report_audit_context, `pkggate allow`), so
 * a line older than the cutoff is known without parsing it: the common
 * case for --since on a log that grew for months. Other lines are parsed.
 */
static int older(const char *line, size_t n, const char *cutoff)
{
    static const char lead[] = "{\"time\":\"";
    size_t ll = sizeof(lead) - 1, tl = strlen("2026-01-01T00:00:00Z");

    return n > ll + tl && !memcmp(line, lead, ll) && line[ll + tl] == '"' &&
           strncmp(line + ll, cutoff, tl) < 0;
}

static int read_log(const char *path, const char *cutoff, struct counts *c)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (!f)
        return -1;
    while ((n = getline(&line, &cap, f)) > 0) {
        if ((size_t)n > LINE_MAX_LEN) {
            c->skipped++;
            continue;
        }
        if (!older(line, (size_t)n, cutoff))
            count_line(c, line, (size_t)n, cutoff);
    }
    free(line);
    fclose(f);
    return 0;
}

static void counts_release(struct counts *c)
{
    pg_tally_release(&c->rules);
    pg_tally_release(&c->packages);
    pg_tally_release(&c->projects);
    pg_tally_release(&c->used);
    json_decref(c->added);
}

/* "min_version_age, typosquat", or "*" for every rule. */
static char *rule_names(uint32_t rules)
{
    struct pg_sb sb = PG_SB_INIT;

    if (rules == PG_POLICY_EXC_ALL)
        return pg_xstrdup("*");
    for (int r = 0; r < PG_RULE_N && r < 32; r++)
        if (rules & ((uint32_t)1 << r))
            pg_sb_addf(&sb, "%s%s", sb.len ? ", " : "", pg_rule_name((enum pg_rule)r));
    return pg_sb_detach(&sb);
}

static json_t *tally_json(struct pg_tally *t, const char *col0, const char *col1)
{
    json_t *a = json_array();

    for (size_t i = 0; i < t->n && i < TOP_JSON; i++) {
        json_t *row = json_pack("{s:s,s:I}", "key", t->rows[i].key, col0,
                                (json_int_t)t->rows[i].n[0]);

        if (row && col1)
            json_object_set_new(row, col1, json_integer((json_int_t)t->rows[i].n[1]));
        if (row)
            json_array_append_new(a, row);
    }
    return a;
}

/* Exceptions of the policy in force that lapse within EXPIRING_SOON. */
static json_t *expiring(const struct pg_policy *pol, time_t now)
{
    struct pg_policy_exception e;
    json_t *a = json_array();
    char when[32];

    for (size_t i = 0; pol && pg_policy_exception_at(pol, i, &e); i++) {
        char *rules;

        if (e.expires == INT64_MAX || e.expires <= now || e.expires > now + EXPIRING_SOON)
            continue;
        rules = rule_names(e.rules);
        /* expires is the first second it no longer applies: show the last day it does. */
        pg_time_format(e.expires - 1, when, sizeof(when));
        when[10] = '\0';
        json_array_append_new(a, json_pack("{s:s,s:s,s:s?,s:s,s:s}", "package", e.package,
                                           "rules", rules, "reason", e.reason, "until", when,
                                           "layer", e.layer));
        free(rules);
    }
    return a;
}

static json_t *policy_json(const struct pg_policy *pol)
{
    const struct pg_policy_orginfo *org = pol ? pg_policy_org_info(pol) : NULL;
    json_t *layers = json_array(), *o;
    size_t n = 0;
    const char *const *l = pol ? pg_policy_layers(pol, &n) : NULL;

    for (size_t i = 0; i < n; i++)
        json_array_append_new(layers, json_string(l[i]));
    o = json_pack("{s:o,s:s,s:b}", "layers", layers, "mode",
                  pol ? pg_mode_name(pg_policy_mode(pol)) : "?", "syslog",
                  pol && pg_policy_syslog(pol));
    if (org)
        json_object_set_new(o, "org", json_pack("{s:s,s:I,s:s,s:b}", "source", org->source,
                                                "serial", (json_int_t)org->serial, "key",
                                                org->keyid, "cached", org->cached));
    return o;
}

/* Everything the report says, as one object; the table is drawn from it. */
static json_t *build(struct counts *c, const struct pg_policy *pol, const char *since,
                     const char *cutoff, const char *path, time_t now)
{
    json_t *o = json_object();

    json_object_set_new(o, "since", json_string(since));
    json_object_set_new(o, "from", json_string(cutoff));
    json_object_set_new(o, "audit_log", json_string(path));
    json_object_set_new(o, "totals",
                        json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "decisions",
                                  (json_int_t)c->decisions, "runs", (json_int_t)c->runs,
                                  "allowed", (json_int_t)c->allowed, "warned",
                                  (json_int_t)c->warned, "blocked", (json_int_t)c->blocked,
                                  "exception_uses", (json_int_t)c->uses,
                                  "unreadable_lines", (json_int_t)c->skipped));
    json_object_set_new(o, "distinct",
                        json_pack("{s:I,s:I,s:I,s:I}", "rules", (json_int_t)c->rules.n, "packages",
                                  (json_int_t)c->packages.n, "projects", (json_int_t)c->projects.n,
                                  "exceptions_used", (json_int_t)c->used.n));
    json_object_set_new(o, "by_rule", tally_json(&c->rules, "blocked", "warned"));
    json_object_set_new(o, "by_package", tally_json(&c->packages, "blocked", "warned"));
    json_object_set_new(o, "by_project", tally_json(&c->projects, "blocked", "warned"));
    json_object_set_new(o, "exceptions_used", tally_json(&c->used, "times", NULL));
    json_object_set(o, "exceptions_added", c->added);
    json_object_set_new(o, "exceptions_expiring", expiring(pol, now));
    json_object_set_new(o, "policy", policy_json(pol));
    return o;
}

/* A key as a terminal shows it: control characters as '?', cut to width (0: as is). */
static void cell(const char *s, int width)
{
    struct pg_sb sb = PG_SB_INIT;

    pg_render_clean(&sb, s);
    if (width && (int)sb.len > width)
        printf("  %.*s~", width - 1, sb.buf);
    else
        printf("  %-*s", width, pg_sb_str(&sb));
    pg_sb_release(&sb);
}

static void table(json_t *rows, const char *title, const char *c0, const char *c1, size_t total)
{
    json_t *r;
    size_t i;

    if (!json_array_size(rows))
        return;
    printf("\n%-44s %8s %8s\n", title, c0, c1 ? c1 : "");
    json_array_foreach(rows, i, r)
    {
        if (i == TOP_HUMAN)
            break;
        cell(str(r, "key"), 42);
        printf(" %8lld", (long long)json_integer_value(json_object_get(r, c0)));
        if (c1)
            printf(" %8lld", (long long)json_integer_value(json_object_get(r, c1)));
        putchar('\n');
    }
    if (total > TOP_HUMAN)
        printf("  ... and %zu more\n", total - TOP_HUMAN);
}

static void exceptions_human(json_t *o)
{
    json_t *a = json_object_get(o, "exceptions_added"), *e;
    size_t i;

    json_array_foreach(a, i, e)
    {
        if (i == 0)
            printf("\nexceptions added: %zu\n", json_array_size(a));
        if (i == TOP_HUMAN)
            break;
        printf("  %.10s", str(e, "time"));
        cell(str(e, "user") ? str(e, "user") : "?", 0);
        cell(str(e, "package") ? str(e, "package") : "?", 0);
        printf(" until %.10s\n", str(e, "expires") ? str(e, "expires") : "?");
    }
    a = json_object_get(o, "exceptions_expiring");
    printf("\nexceptions expiring within 14 days: %zu\n", json_array_size(a));
    json_array_foreach(a, i, e)
    {
        cell(str(e, "package"), 0);
        printf(" [%s] until %s (%s)\n", str(e, "rules"), str(e, "until"), str(e, "layer"));
    }
}

static void human(json_t *o)
{
    json_t *t = json_object_get(o, "totals"), *pol = json_object_get(o, "policy"), *x;
    json_t *org = json_object_get(pol, "org");
    size_t i;

#define N(obj, k) ((long long)json_integer_value(json_object_get(obj, k)))
    printf("pkggate report since %s (%s): %lld decisions in %lld runs: %lld blocked, %lld "
           "warned, %lld allowed\n",
           str(o, "from"), str(o, "since"), N(t, "decisions"), N(t, "runs"), N(t, "blocked"),
           N(t, "warned"), N(t, "allowed"));
    printf("audit log: %s", str(o, "audit_log"));
    if (N(t, "unreadable_lines"))
        printf(" (%lld lines not read)", N(t, "unreadable_lines"));
    putchar('\n');
    x = json_object_get(o, "distinct");
    table(json_object_get(o, "by_rule"), "blocked/warned by rule", "blocked", "warned",
          (size_t)N(x, "rules"));
    table(json_object_get(o, "by_package"), "by package", "blocked", "warned",
          (size_t)N(x, "packages"));
    table(json_object_get(o, "by_project"), "by project", "blocked", "warned",
          (size_t)N(x, "projects"));
    table(json_object_get(o, "exceptions_used"), "exceptions used", "times", NULL,
          (size_t)N(x, "exceptions_used"));
    exceptions_human(o);
    printf("\npolicy: mode %s, syslog %s; layers:", str(pol, "mode"),
           json_is_true(json_object_get(pol, "syslog")) ? "on" : "off");
    json_array_foreach(json_object_get(pol, "layers"), i, x)
    {
        printf("%s %s", i ? " >" : "", json_string_value(x));
    }
    putchar('\n');
    if (org)
        printf("org policy: %s, serial %lld, key %s%s\n", str(org, "source"), N(org, "serial"),
               str(org, "key"), json_is_true(json_object_get(org, "cached")) ? " (cached copy)" : "");
    else
        printf("org policy: not pinned\n");
#undef N
}

static int parse_args(int argc, char **argv, const char **since, int *json)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            *json = 1;
        } else if (!strcmp(argv[i], "--since") && i + 1 < argc) {
            *since = argv[++i];
        } else if (!strncmp(argv[i], "--since=", 8)) {
            *since = argv[i] + 8;
        } else {
            pg_gate_errorf("pkggate report: unknown argument '%s'; see pkggate report --help",
                           argv[i]);
            return -1;
        }
    }
    return 0;
}

/* The --since instant as the audit log writes times, so strings compare. */
static int cutoff_of(const char *since, time_t now, char *out, size_t outsz)
{
    struct pg_err err = PG_ERR_INIT;
    int64_t secs = 0;

    if (!strcmp(since, "all")) {
        snprintf(out, outsz, "0000");
        return 0;
    }
    if (pg_duration_parse(since, &secs, &err) < 0 || secs <= 0) {
        pg_gate_errorf("pkggate report: --since '%s': %s", since,
                       err.msg[0] ? err.msg : "must be longer than 0");
        return -1;
    }
    pg_time_format((int64_t)now - secs, out, outsz);
    return 0;
}

int pg_main_report(int argc, char **argv)
{
    struct counts c = {.added = json_array()};
    struct pg_policy *pol = NULL;
    const char *since = DEFAULT_SINCE;
    char path[PATH_MAX], cutoff[32];
    time_t now = time(NULL);
    int json = 0, rc = PG_EXIT_USAGE;
    json_t *o;

    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(report_usage, stdout);
        rc = PG_EXIT_OK;
        goto out;
    }
    if (parse_args(argc, argv, &since, &json) < 0 || cutoff_of(since, now, cutoff, sizeof(cutoff)) < 0)
        goto out;
    rc = PG_EXIT_FAILED;
    if (pg_audit_path(path, sizeof(path)) < 0 || !strcmp(path, "off")) {
        pg_gate_errorf("pkggate report: no audit log (PKGGATE_AUDIT_LOG is off, or no HOME)");
        goto out;
    }
    /* A missing log is an empty report: nothing was decided yet. */
    if (read_log(path, cutoff, &c) < 0 && errno != ENOENT) {
        pg_gate_errorf("pkggate report: %s: %s", path, strerror(errno));
        goto out;
    }
    /* The report is about the log; a policy that does not load is said, not fatal. */
    if (pg_gate_load_policy(&pol, PG_GATE_OFFLINE) < 0)
        pol = NULL;
    pg_tally_sort(&c.rules);
    pg_tally_sort(&c.packages);
    pg_tally_sort(&c.projects);
    pg_tally_sort(&c.used);
    o = build(&c, pol, since, cutoff, path, now);
    if (json) {
        json_dumpf(o, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
        putchar('\n');
    } else {
        human(o);
    }
    json_decref(o);
    rc = PG_EXIT_OK;
out:
    pg_policy_free(pol);
    counts_release(&c);
    return rc;
}
