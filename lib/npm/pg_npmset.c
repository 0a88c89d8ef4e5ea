/*
 * pg_npmset.c - npm settings that change which versions are installed
 * (see pg_npmset.h). Values come already layered from pg_npmrc_get, so a
 * higher layer overrides a lower one exactly as npm's config does.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_npmset.h"
#include "pg_time.h"
#include "pg_util.h"
#include "banned.h"

#define DAY 86400

int pg_npmset_bool(const char *v)
{
    char *end = NULL;
    double d;

    if (!v || !*v || pg_streq(v, "false") || pg_streq(v, "null"))
        return 0;
    d = strtod(v, &end);
    if (end && !*end)
        return d != 0;
    return 1;
}

static void unmodelled(struct pg_npmset *s, const char *key, const char *where)
{
    char *e = pg_xasprintf("%s (set in %s)", key, where);

    pg_strlist_push(&s->unmodelled, e);
    free(e);
}

/* before / min-release-age: the later cutoff of the two. */
static void cutoff(struct pg_npmset *s, const struct pg_npmrc *cfg, time_t now)
{
    const char *w, *v = pg_npmrc_get(cfg, "before", &w);
    int64_t t;

    if (v && *v && !pg_streq(v, "null")) {
        if (pg_time_scan(v, &t) > 0)
            s->before = t;
        else
            unmodelled(s, "before", w);
    }
    v = pg_npmrc_get(cfg, "min-release-age", &w);
    if (v && *v && !pg_streq(v, "null")) {
        char *end = NULL;
        double days = strtod(v, &end);

        if (!end || *end || days < 0 || days > 36500)
            unmodelled(s, "min-release-age", w);
        else if (days > 0 && (int64_t)now - (int64_t)(days * DAY) > s->before)
            s->before = (int64_t)now - (int64_t)(days * DAY);
    }
}

/* A setting that matters only when it is truthy (or has a given value). */
static void flag(struct pg_npmset *s, const struct pg_npmrc *cfg, const char *key,
                 const char *value, int cli_ok)
{
    const char *w, *v = pg_npmrc_get(cfg, key, &w);

    if (!v || (cli_ok && pg_streq(w, "the command line")))
        return;
    if (value ? pg_streq(v, value) : pg_npmset_bool(v))
        unmodelled(s, key, w);
}

void pg_npmset_read(struct pg_npmset *s, const struct pg_npmrc *cfg, time_t now)
{
    const char *v, *w;
    static const char *const truthy[] = {"offline", "prefer-offline", "include-staged"};

    v = pg_npmrc_get(cfg, "tag", NULL);
    if (v && *v && !pg_streq(v, "latest"))
        s->tag = pg_xstrdup(v);
    cutoff(s, cfg, now);
    /* shrinkwrap is npm's old name for package-lock (it flattens into it). */
    v = pg_npmrc_get(cfg, "package-lock", NULL);
    if (!v)
        v = pg_npmrc_get(cfg, "shrinkwrap", NULL);
    s->package_lock = !v || pg_npmset_bool(v);
    v = pg_npmrc_get(cfg, "ignore-scripts", NULL);
    s->ignore_scripts = v && pg_npmset_bool(v);
    v = pg_npmrc_get(cfg, "min-release-age-exclude", &w);
    if (!v)
        v = pg_npmrc_get(cfg, "min-release-age-exclude[]", &w);
    if (v && *v)
        unmodelled(s, "min-release-age-exclude", w);
    for (size_t i = 0; i < PG_ARRAY_SIZE(truthy); i++)
        flag(s, cfg, truthy[i], NULL, 0);
    v = pg_npmrc_get(cfg, "cache-min", &w);
    if (v && strtod(v, NULL) >= 9999)
        unmodelled(s, "cache-min", w);
    flag(s, cfg, "global", NULL, 1);
    flag(s, cfg, "location", "global", 1);
}

void pg_npmset_release(struct pg_npmset *s)
{
    free(s->tag);
    s->tag = NULL;
    pg_strlist_release(&s->unmodelled);
}
