/*
 * pg_npmdry.c - asking npm what an install would change (pg_npmdry.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <jansson.h>

#include "pg_child.h"
#include "pg_npmdry.h"
#include "pg_route_npm.h"
#include "pg_util.h"
#include "banned.h"

/* One line per package, the summary once: far less than this for any real tree. */
#define MAX_ANSWER (64u * 1024 * 1024)

/* After the person's words, so each of these is npm's last word on it. */
static const char *const dry_flags[] = {"--dry-run", "--ignore-scripts", "--no-audit",
                                        "--no-fund", "--json", "--loglevel=warn",
                                        "--color=false"};

int pg_npmdry_askable(const struct pg_cmd *cmd, char *const argv[])
{
    if (!cmd || cmd->tool != PG_TOOL_NPM || cmd->global || !argv || !cmd->subcmd ||
        (strcmp(cmd->subcmd, "install") != 0 && strcmp(cmd->subcmd, "update") != 0))
        return 0;
    for (size_t i = 1; argv[i]; i++)
        if (strcmp(argv[i], "--") == 0)
            return 0;
    return 1;
}

struct tally {
    size_t add, change, remove;
};

/* Word i of line[0..len), words split at single spaces; NULL past the last. */
static char *word(const char *line, size_t len, int i)
{
    const char *end = line + len, *p = line;
    size_t n;

    for (; i > 0 && p < end; i--) {
        const char *sp = memchr(p, ' ', (size_t)(end - p));

        p = sp ? sp + 1 : end;
    }
    if (p >= end)
        return NULL;
    for (n = 0; p + n < end && p[n] != ' '; n++)
        ;
    return pg_xstrndup(p, n);
}

/* "add NAME VERSION", "change NAME FROM => TO", "remove NAME VERSION"; 1 when refused. */
static int diff_line(const char *line, size_t len, pg_npmdry_test test, void *arg,
                     struct tally *t, struct pg_err *err)
{
    char *verb = word(line, len, 0), *name = word(line, len, 1), *v = word(line, len, 2);
    char *to = word(line, len, 4);
    int rc = 0;

    if (verb && name && v && strcmp(verb, "add") == 0) {
        t->add++;
        rc = test(arg, "add", name, v, err);
    } else if (verb && name && to && strcmp(verb, "change") == 0) {
        t->change++;
        rc = test(arg, "change", name, to, err);
    } else if (verb && name && v && strcmp(verb, "remove") == 0) {
        t->remove++;
        rc = test(arg, "remove", name, v, err);
    }
    free(verb);
    free(name);
    free(v);
    free(to);
    return rc;
}

/* npm 11's lists: each entry (at sub, if set) tested too. 1 when refused. */
static int listed(const json_t *summary, const char *key, const char *sub, pg_npmdry_test test,
                  void *arg, struct pg_err *err)
{
    size_t i;
    json_t *e;

    json_array_foreach(json_object_get(summary, key), i, e) {
        const json_t *p = sub ? json_object_get(e, sub) : e;
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *version = json_string_value(json_object_get(p, "version"));

        if (name && version && test(arg, key, name, version, err))
            return 1;
    }
    return 0;
}

/*
 * The summary counts as many changes as there were lines: nothing was
 * silenced. npm 11 counts an add only once it is in the tree it reports
 * (a linked store's package is printed but may be counted differently),
 * so the lines may name more adds than the count, never fewer.
 */
static enum pg_npmdry_answer summary_agrees(const char *text, const struct tally *t,
                                            pg_npmdry_test test, void *arg, struct pg_err *err)
{
    json_t *o = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    json_t *added = json_object_get(o, "added"), *changed = json_object_get(o, "changed"),
           *removed = json_object_get(o, "removed");
    enum pg_npmdry_answer a = PG_NPMDRY_UNKNOWN;

    if (!json_is_integer(added) || !json_is_integer(changed) || !json_is_integer(removed))
        pg_err_set(err, "npm --dry-run printed no summary");
    else if ((json_int_t)t->add < json_integer_value(added) ||
             (json_int_t)t->change != json_integer_value(changed) ||
             (json_int_t)t->remove != json_integer_value(removed))
        pg_err_set(err, "npm --dry-run's summary does not match its list of changes");
    else if (listed(o, "add", NULL, test, arg, err) || listed(o, "change", "to", test, arg, err))
        a = PG_NPMDRY_REFUSED;
    else
        a = PG_NPMDRY_AGREED;
    json_decref(o);
    return a;
}

enum pg_npmdry_answer pg_npmdry_read(const char *out, pg_npmdry_test test, void *arg,
                                     struct pg_err *err)
{
    struct tally t = {0, 0, 0};
    const char *line = out;

    /* The lines, up to the summary: the first line that opens an object. */
    while (*line && *line != '{') {
        size_t len = strcspn(line, "\n");

        if (diff_line(line, len, test, arg, &t, err))
            return PG_NPMDRY_REFUSED;
        line += len + (line[len] == '\n');
    }
    return summary_agrees(*line ? line : NULL, &t, test, arg, err);
}

/* How npm reads the words: each of ours as the option it is, none a value. */
struct reading {
    char *const *ours;
    size_t n;
    int taken, dry, noscripts; /* one of ours taken as a value; --dry-run, --ignore-scripts on */
};

static int read_one(const struct pg_npmscan_ev *ev, void *arg)
{
    struct reading *r = arg;
    int on = !ev->value && !ev->is_null && ev->bool_value;

    for (size_t i = 0; i < r->n; i++)
        r->taken |= ev->value == r->ours[i];
    if (ev->is_opt && ev->known && strcmp(ev->name, "dry-run") == 0)
        r->dry = on;
    if (ev->is_opt && ev->known && strcmp(ev->name, "ignore-scripts") == 0)
        r->noscripts = on;
    return 0;
}

/*
 * An option of the person's that takes a value, left last without one
 * (`npm install x --prefix`), takes the next word: --dry-run would become
 * a folder, and the question an install. npm's own parser says.
 */
static int flags_hold(char **args, size_t n, size_t ours)
{
    struct reading r = {args + ours, n - ours, 0, 0, 0};

    pg_npmscan((int)n, args, read_one, &r);
    return !r.taken && r.dry && r.noscripts;
}

/*
 * Why npm failed: the first line of the summary of the error object npm
 * --json prints, if any, with URL credentials hidden (it may quote the
 * registry's URL, and the line reaches the audit log).
 */
static void failed(const char *out, int code, struct pg_err *err)
{
    const char *brace = strchr(out, '{');
    json_t *o = brace ? json_loads(brace, 0, NULL) : NULL;
    const char *why = json_string_value(json_object_get(json_object_get(o, "error"), "summary"));
    char *shown = why ? pg_redact_urls(why) : NULL;

    if (shown)
        pg_err_set(err, "npm --dry-run failed (exit %d: %.*s)", code,
                   (int)strcspn(shown, "\n"), shown);
    else
        pg_err_set(err, "npm --dry-run failed (exit %d)", code);
    free(shown);
    json_decref(o);
}

enum pg_npmdry_answer pg_npmdry_ask(const char *real, char *const argv[],
                                    const struct pg_selfset *skip, pg_npmdry_test test,
                                    void *arg, struct pg_err *err)
{
    struct pg_sb out = PG_SB_INIT;
    enum pg_npmdry_answer a = PG_NPMDRY_UNKNOWN;
    size_t n = 0, k;
    char **args;
    int status;

    while (argv[n])
        n++;
    args = pg_xcalloc(n + PG_ARRAY_SIZE(dry_flags) + 1, sizeof(*args));
    memcpy(args, argv, n * sizeof(*args));
    for (k = 0; k < PG_ARRAY_SIZE(dry_flags); k++)
        args[n + k] = (char *)dry_flags[k];
    if (!flags_hold(args, n + k, n))
        pg_err_set(err, "npm would read --dry-run as the value of the command's last option");
    else if (pg_child_capture(real, args, skip, MAX_ANSWER, &out, &status) < 0)
        pg_err_set(err, "cannot ask npm (--dry-run): %s", strerror(errno));
    else if (WIFSIGNALED(status))
        pg_err_set(err, "npm --dry-run was killed by signal %d", WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0)
        failed(pg_sb_str(&out), WEXITSTATUS(status), err);
    else
        a = pg_npmdry_read(pg_sb_str(&out), test, arg, err);
    pg_sb_release(&out);
    free(args);
    return a;
}
