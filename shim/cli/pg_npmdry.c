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

/* 1 when name is one that must stay (err says which line), else 0. */
static int touches(const char *verb, const char *name, size_t n, const char *line, size_t len,
                   const struct pg_strlist *names, struct pg_err *err)
{
    for (size_t i = 0; i < names->n; i++) {
        if (strlen(names->v[i]) == n && memcmp(names->v[i], name, n) == 0) {
            pg_err_set(err, "npm would %s it (`%.*s`)", verb, (int)len, line);
            return 1;
        }
    }
    return 0;
}

/* "add NAME VERSION", "change NAME FROM => TO", "remove NAME VERSION". */
static int diff_line(const char *line, size_t len, const struct pg_strlist *names,
                     struct tally *t, struct pg_err *err)
{
    size_t verb = strcspn(line, " \n");
    const char *name = line + verb + 1;
    size_t n = line[verb] == ' ' ? strcspn(name, " \n") : 0;

    if (n == 0)
        return 0;
    if (verb == 3 && strncmp(line, "add", 3) == 0) {
        t->add++;
        return touches("add", name, n, line, len, names, err);
    }
    if (verb == 6 && strncmp(line, "change", 6) == 0) {
        t->change++;
        return touches("change", name, n, line, len, names, err);
    }
    t->remove += verb == 6 && strncmp(line, "remove", 6) == 0;
    return 0;
}

/* The "name" of each object of the summary's list key (npm 11), at sub if set. */
static int listed(const json_t *summary, const char *key, const char *sub,
                  const struct pg_strlist *names, struct pg_err *err)
{
    size_t i;
    json_t *e;

    json_array_foreach(json_object_get(summary, key), i, e) {
        const char *name = json_string_value(json_object_get(sub ? json_object_get(e, sub) : e,
                                                             "name"));

        if (name && touches(key, name, strlen(name), name, strlen(name), names, err))
            return 1;
    }
    return 0;
}

/* The summary says as many changes as there were lines: nothing was silenced. */
static enum pg_npmdry_answer summary_agrees(const char *text, const struct tally *t,
                                            const struct pg_strlist *names, struct pg_err *err)
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
    else if (listed(o, "add", NULL, names, err) || listed(o, "change", "from", names, err) ||
             listed(o, "change", "to", names, err))
        a = PG_NPMDRY_TOUCHES;
    else
        a = PG_NPMDRY_LEAVES;
    json_decref(o);
    return a;
}

enum pg_npmdry_answer pg_npmdry_read(const char *out, const struct pg_strlist *names,
                                     struct pg_err *err)
{
    struct tally t = {0, 0, 0};
    const char *line = out;

    /* The lines, up to the summary: the first line that opens an object. */
    while (*line && *line != '{') {
        size_t len = strcspn(line, "\n");

        if (diff_line(line, len, names, &t, err))
            return PG_NPMDRY_TOUCHES;
        line += len + (line[len] == '\n');
    }
    return summary_agrees(*line ? line : NULL, &t, names, err);
}

enum pg_npmdry_answer pg_npmdry_ask(const char *real, char *const argv[],
                                    const struct pg_selfset *skip,
                                    const struct pg_strlist *names, struct pg_err *err)
{
    struct pg_sb out = PG_SB_INIT;
    enum pg_npmdry_answer a = PG_NPMDRY_UNKNOWN;
    size_t n = 0, k = 0;
    char **args;
    int status;

    while (argv[n])
        n++;
    args = pg_xcalloc(n + PG_ARRAY_SIZE(dry_flags) + 1, sizeof(*args));
    for (; k < n; k++)
        args[k] = argv[k];
    for (size_t i = 0; i < PG_ARRAY_SIZE(dry_flags); i++)
        args[k++] = (char *)dry_flags[i];
    if (pg_child_capture(real, args, skip, MAX_ANSWER, &out, &status) < 0)
        pg_err_set(err, "cannot ask npm (--dry-run): %s", strerror(errno));
    else if (WIFSIGNALED(status))
        pg_err_set(err, "npm --dry-run was killed by signal %d", WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0)
        pg_err_set(err, "npm --dry-run failed (exit %d)", WEXITSTATUS(status));
    else
        a = pg_npmdry_read(pg_sb_str(&out), names, err);
    pg_sb_release(&out);
    free(args);
    return a;
}
