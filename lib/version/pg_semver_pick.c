/*
 * pg_semver_pick.c - the version npm would install: npm-pick-manifest 9
 * (lib/index.js). pg_semver.h has the contract.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_semver.h"
#include "pg_semver_int.h"
#include "pg_util.h"
#include "banned.h"

/* isBefore: no cutoff, or no time recorded, or published by the cutoff. */
static int is_before(const struct pg_meta_version *v, int64_t before)
{
    return before <= 0 || !v || v->published < 0 || v->published <= before;
}

static void add_when(struct pg_sb *sb, int64_t before)
{
    char buf[32];
    time_t t = (time_t)before;
    struct tm tm;

    if (before <= 0)
        return;
    if (gmtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
        pg_sb_addf(sb, " published at or before %s", buf);
    else
        pg_sb_addf(sb, " published at or before %lld", (long long)before);
}

static const struct pg_meta_version *no_match(const struct pg_meta *m, const char *spec,
                                              int64_t before, struct pg_err *err)
{
    struct pg_sb sb = PG_SB_INIT;

    pg_sb_addf(&sb, "no version of %s matches '%.80s'", m->name, spec);
    add_when(&sb, before);
    pg_err_set(err, "%s", pg_sb_str(&sb));
    pg_sb_release(&sb);
    return NULL;
}

static int satisfies(const char *version, const struct pg_semver_range *r)
{
    struct pg_semver v;

    return pg_semver_parse(version, &v, NULL) == 0 && pg_semver_range_test(r, &v);
}

/*
 * engineOk: engines.node (and engines.npm when npm's version is known)
 * satisfied with includePrerelease; an engines entry that is not a valid
 * range satisfies nothing, as semver.satisfies() says false. Without the
 * node version (env NULL) every version is fine, as before engines were read.
 */
static int engine_ok(const struct pg_meta_version *v, const struct pg_semver_env *env)
{
    if (!env || !env->node_version)
        return 1;
    if (env->npm_version && v->engines_npm &&
        pg_semver_satisfies(env->npm_version, v->engines_npm, PG_SEMVER_INCLUDE_PRERELEASE) != 1)
        return 0;
    return !v->engines_node ||
           pg_semver_satisfies(env->node_version, v->engines_node, PG_SEMVER_INCLUDE_PRERELEASE) == 1;
}

/* npm-pick-manifest's sort: (not deprecated and engine ok), engine ok, not
 * deprecated, then semver. 1 when c (version cv) beats best (bv). */
static int better(const struct pg_meta_version *c, const struct pg_semver *cv,
                  const struct pg_meta_version *best, const struct pg_semver *bv,
                  const struct pg_semver_env *env)
{
    int ce = engine_ok(c, env), be = engine_ok(best, env);
    int cd = c->deprecated != 1, bd = best->deprecated != 1;

    if ((cd && ce) != (bd && be))
        return cd && ce;
    if (ce != be)
        return ce;
    if (cd != bd)
        return cd;
    /* Array.prototype.sort is stable: on a tie the earlier entry stays. */
    return pg_semver_cmp(cv, bv) > 0;
}

/* The default tag's version, when the range allows it and nothing speaks against it. */
static const struct pg_meta_version *default_pick(const struct pg_meta *m, const char *range,
                                                  const struct pg_semver_range *r,
                                                  const struct pg_semver_env *env)
{
    const char *tag = env->default_tag ? env->default_tag : "latest";
    const char *dv = strcmp(tag, "latest") == 0 ? m->latest : pg_meta_tag(m, tag);
    const struct pg_meta_version *v = dv ? pg_meta_find(m, dv) : NULL;

    if (v && (strcmp(range, "*") == 0 || satisfies(v->version, r)) &&
        is_before(v, env->before) && engine_ok(v, env) && v->deprecated != 1)
        return v;
    return NULL;
}

/* The range branch: the default tag's version, else the best by better(). */
static const struct pg_meta_version *pick_range(const struct pg_meta *m, const char *range,
                                                const struct pg_semver_env *env,
                                                struct pg_err *err)
{
    const struct pg_meta_version *lv, *best = NULL;
    struct pg_semver bv, cv;
    struct pg_semver_range *r;
    size_t i, nbefore = 0;

    if (!(r = pg_semver_range_parse(range, 0, err)))
        return NULL;
    if ((lv = default_pick(m, range, r, env))) {
        pg_semver_range_free(r);
        return lv;
    }
    for (i = 0; i < m->nversions; i++) {
        const struct pg_meta_version *v = &m->versions[i];

        if (!is_before(v, env->before))
            continue;
        nbefore++;
        if (pg_semver_parse(v->version, &cv, NULL) < 0 || !pg_semver_range_test(r, &cv))
            continue;
        if (!best || better(v, &cv, best, &bv, env)) {
            best = v;
            bv = cv;
        }
    }
    pg_semver_range_free(r);
    if (!nbefore) {
        struct pg_sb sb = PG_SB_INIT;

        pg_sb_addf(&sb, "no versions of %s", m->name);
        add_when(&sb, env->before);
        pg_err_set(err, "%s", pg_sb_str(&sb));
        pg_sb_release(&sb);
        return NULL;
    }
    return best ? best : no_match(m, range, env->before, err);
}

/* encodeURIComponent leaves these alone; npm-package-arg refuses other tags. */
static int tag_ok(const char *s)
{
    for (; *s; s++)
        if (!is_alpha((unsigned char)*s) && !is_digit((unsigned char)*s) &&
            !strchr("-_.!~*'()", *s))
            return 0;
    return 1;
}

const struct pg_meta_version *pg_semver_pick(const struct pg_meta *m, const char *spec,
                                             int64_t before, struct pg_err *err)
{
    struct pg_semver_env env = {NULL, before, NULL, NULL};

    return pg_semver_pick_env(m, spec, &env, err);
}

const struct pg_meta_version *pg_semver_pick_env(const struct pg_meta *m, const char *spec,
                                                 const struct pg_semver_env *env,
                                                 struct pg_err *err)
{
    int64_t before = env->before;
    char key[PG_SEMVER_MAX_LEN + 1], *t = NULL, *le = NULL;
    const struct pg_meta_version *v = NULL;
    const char *tv;
    size_t b = 0, e = strlen(spec);

    while (b < e && is_ws((unsigned char)spec[b]))
        b++;
    while (e > b && is_ws((unsigned char)spec[e - 1]))
        e--;
    t = pg_xstrndup(spec + b, e - b);
    if (!*t) { /* no spec: the default tag, treated as the range "*" */
        v = pick_range(m, "*", env, err);
    } else if (pg_semver_clean(t + pg_semver_i_skip_vprefix(t, 0), key, sizeof(key)) == 0) {
        v = pg_meta_find(m, key);
        if (!v || !is_before(v, before))
            v = no_match(m, t, before, err);
    } else if (pg_semver_range_valid(t)) {
        v = pick_range(m, t, env, err);
    } else if (!tag_ok(t)) {
        pg_err_set(err, "invalid version, range or tag '%.80s' for %s", t, m->name);
    } else if (!(tv = pg_meta_tag(m, t))) {
        pg_err_set(err, "no such dist-tag '%.80s' for %s", t, m->name);
    } else if (!is_before(v = pg_meta_find(m, tv), before)) {
        /* The tag moved past the cutoff: npm takes the best at or below it. */
        le = pg_xasprintf("<=%s", tv);
        v = pick_range(m, le, env, err);
    } else if (!v) {
        pg_err_set(err, "dist-tag '%.80s' of %s names missing version '%.80s'", t, m->name, tv);
    }
    free(le);
    free(t);
    return v;
}
