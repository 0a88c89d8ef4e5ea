#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "pg_purl.h"
#include "pg_rule_typosquat.h"
#include "pg_util.h"
#include "banned.h"

void pg_rule_typosquat_explain(const struct pg_typo_match *m, char *out, size_t cap)
{
    const char *plus = strchr(m->detail, '+'), *swap = strchr(m->detail, '>');

    switch (m->kind) {
    case PG_TYPO_HOMOGLYPH:
        snprintf(out, cap, "uses lookalike characters");
        break;
    case PG_TYPO_SEPARATOR:
        snprintf(out, cap, "differs only in separators or case");
        break;
    case PG_TYPO_REPETITION:
        snprintf(out, cap, "doubles a letter or drops a doubled one");
        break;
    case PG_TYPO_TRANSPOSITION:
        snprintf(out, cap, "swaps two letters");
        break;
    case PG_TYPO_OMISSION:
        snprintf(out, cap, "leaves out a letter");
        break;
    case PG_TYPO_INSERTION:
        snprintf(out, cap, "adds a letter");
        break;
    case PG_TYPO_KEYBOARD:
        snprintf(out, cap, "has a letter changed for the key next to it");
        break;
    case PG_TYPO_SUBSTITUTION:
        snprintf(out, cap, "changes one letter");
        break;
    case PG_TYPO_EDITS:
        snprintf(out, cap, "is two typing mistakes away");
        break;
    case PG_TYPO_AFFIX:
        if (swap) /* "py>python": a word swapped for its synonym */
            snprintf(out, cap, "writes `%.*s` for `%s`", (int)(swap - m->detail), m->detail,
                     swap + 1);
        else if (plus)
            snprintf(out, cap, "adds `%.*s` and `%s`", (int)(plus - m->detail), m->detail,
                     plus + 1);
        else
            snprintf(out, cap, "adds `%s`", m->detail);
        break;
    case PG_TYPO_WORD_ORDER:
        snprintf(out, cap, "has the same words in another order");
        break;
    case PG_TYPO_UNSCOPED:
        snprintf(out, cap, "is the scoped name written without its scope");
        break;
    case PG_TYPO_SCOPED:
        snprintf(out, cap, "puts it under the unrelated scope `%s`", m->detail);
        break;
    case PG_TYPO_SCOPE_LOOKALIKE:
        snprintf(out, cap, "uses `%s`, a lookalike of its scope", m->detail);
        break;
    default:
        snprintf(out, cap, "looks like it");
    }
}

/* "about 60 million", "about 850,000": downloads are rough anyway. */
static void say_count(uint32_t n, char *out, size_t cap)
{
    if (n >= 10000000u)
        snprintf(out, cap, "about %u million", (n + 500000u) / 1000000u);
    else if (n >= 1000000u)
        snprintf(out, cap, "about %u.%u million", n / 1000000u, n % 1000000u / 100000u);
    else if (n >= 1000u)
        snprintf(out, cap, "about %u,%03u", n / 1000u, n % 1000u);
    else
        snprintf(out, cap, "%u", n);
}

static void why_popular(enum pg_eco eco, const struct pg_typo_match *m, char *out, size_t cap)
{
    char count[64];

    if (m->target_extra) {
        snprintf(out, cap, "`%s` is on this policy's typosquat.extra_popular list", m->target);
    } else if (eco == PG_ECO_PYPI) {
        snprintf(out, cap, "`%s` is among the most downloaded PyPI projects", m->target);
    } else {
        say_count(m->target_pop, count, sizeof(count));
        snprintf(out, cap, "`%s` is downloaded %s times a month from npm", m->target, count);
    }
}

/* The extra_popular names of eco, decoded from their purls; caller frees
 * the array (the strings belong to the purls, released by free_extra). */
static const char **extra_names(const struct pg_policy *pol, enum pg_eco eco,
                                struct pg_purl **purls, size_t *npurls, size_t *n)
{
    size_t total = 0, k = 0;
    const char *const *s = pg_policy_strings(pol, PG_RULE_TYPOSQUAT, "extra_popular", &total);
    const char **names;

    *n = 0;
    *npurls = 0;
    *purls = NULL;
    if (!s || total == 0)
        return NULL;
    *npurls = total;
    *purls = pg_xcalloc(total, sizeof(**purls));
    names = pg_xcalloc(total, sizeof(*names));
    for (size_t i = 0; i < total; i++) {
        struct pg_purl *p = &(*purls)[i];

        if (!s[i] || pg_purl_parse(p, s[i], NULL) < 0)
            continue;
        if (p->eco == eco && !p->glob && p->name)
            names[k++] = p->name;
    }
    *n = k;
    return names;
}

static void free_extra(struct pg_purl *purls, size_t total, const char **names)
{
    for (size_t i = 0; purls && i < total; i++)
        pg_purl_release(&purls[i]);
    free(purls);
    free((void *)names);
}

/* The name as it may appear in a one-line message. */
static char *printable(const char *s)
{
    char *d = pg_xstrdup(s);

    for (char *p = d; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            *p = '?';
    return d;
}

/*
 * Whether the checked package is established, and on what grounds: the
 * registry's history when it answered, else the compiled-in lists.
 */
struct standing {
    int established;
    const char *basis; /* "registry" or "names"; NULL: nothing known */
    int64_t first;     /* registry: first publish time, -1 unknown */
    size_t releases;
    char says[160];    /* for the message, "" when there is nothing to say */
};

/* "3 years", "5 months", "2 days", "4 hours": how long ago, roughly. */
static void say_ago(int64_t secs, char *out, size_t cap)
{
    int64_t d = secs / 86400;

    if (d >= 730)
        snprintf(out, cap, "%lld years", (long long)(d / 365));
    else if (d >= 60)
        snprintf(out, cap, "%lld months", (long long)(d / 30));
    else if (d >= 2)
        snprintf(out, cap, "%lld days", (long long)d);
    else
        snprintf(out, cap, "%lld hours", (long long)(secs > 0 ? secs / 3600 : 0));
}

static int64_t first_publish(const struct pg_meta *meta)
{
    int64_t first = meta->created;

    for (size_t i = 0; i < meta->nversions; i++) {
        int64_t t = meta->versions[i].published;

        if (t >= 0 && (first < 0 || t < first))
            first = t;
    }
    return first;
}

/* Offline: a known name, or on the list of npm packages with real use. */
static void by_names(const struct pg_typo *idx, const struct pg_typo_match *m,
                     struct standing *st)
{
    st->basis = "names";
    st->established = 1;
    if (m->name_pop)
        snprintf(st->says, sizeof(st->says), "itself a known package");
    else
        snprintf(st->says, sizeof(st->says),
                 "on the list of npm packages with real use, snapshot %s",
                 pg_typo_snapshot(idx));
}

/*
 * A squat is a fresh name: one whose first release is long past, with a
 * history of releases, has been in use and in view for that long. The
 * registry's dates decide when it gave any: a young name is never
 * established (a name re-registered after removal); an old one is when it
 * has a release history, or when the lists know it (a stable package with
 * few releases). Without dates (offline, a mirror that strips them) the
 * lists decide alone.
 */
static void judge_standing(const struct pg_policy *pol, const struct pg_typo *idx,
                           const struct pg_meta *meta, time_t now,
                           const struct pg_typo_match *m, struct standing *st)
{
    int64_t age = pg_policy_duration(pol, PG_RULE_TYPOSQUAT, "established_age",
                                     (int64_t)365 * 86400);
    char ago[32];

    memset(st, 0, sizeof(*st));
    st->first = meta && meta->exists ? first_publish(meta) : -1;
    if (st->first < 0) {
        if (m->established)
            by_names(idx, m, st);
        return;
    }
    st->basis = "registry";
    st->releases = meta->nversions;
    say_ago((int64_t)now - st->first, ago, sizeof(ago));
    if ((int64_t)now - st->first < age) {
        snprintf(st->says, sizeof(st->says), "first published %s ago", ago);
    } else if (st->releases >= PG_TYPOSQUAT_ESTABLISHED_RELEASES) {
        st->established = 1;
        snprintf(st->says, sizeof(st->says), "first published %s ago, %zu releases", ago,
                 st->releases);
    } else if (m->established) {
        by_names(idx, m, st);
    } else {
        snprintf(st->says, sizeof(st->says), "only %zu release%s in %s", st->releases,
                 st->releases == 1 ? "" : "s", ago);
    }
}

/*
 * Whether the candidate comes from the target's own people: a companion
 * (express-session beside express), not a squat. npm only (see the header
 * for why not PyPI, and for what a hostile candidate cannot fake).
 */
struct companion {
    int checked;       /* both sides named someone: the answer means something */
    int shared;
    const char *who;   /* the candidate version's publisher (borrowed from meta) */
    const char *how;   /* shared: "maintains" or "published the latest version of" */
};

/*
 * A version's publisher when it is a person's npm account: a trusted
 * publisher's _npmUser is the CI's shared name ("GitHub Actions" for
 * every package published from a workflow), which says nothing about who.
 */
static const char *person(const struct pg_meta_version *mv)
{
    if (!mv || !mv->publisher || !mv->publisher[0] || mv->evidence == PG_EVID_TRUSTED_PUBLISHER)
        return NULL;
    return mv->publisher;
}

static void judge_companion(const struct pg_meta *meta, const char *version,
                            const struct pg_meta *target, struct companion *c)
{
    const char *latest_by = NULL;

    memset(c, 0, sizeof(*c));
    if (!meta || !meta->exists || meta->eco != PG_ECO_NPM || !version || !target ||
        !target->exists)
        return;
    c->who = person(pg_meta_find(meta, version));
    if (target->latest)
        latest_by = person(pg_meta_find(target, target->latest));
    if (!c->who || (!latest_by && !target->nmaintainers))
        return;
    c->checked = 1;
    for (size_t i = 0; i < target->nmaintainers && !c->shared; i++)
        c->shared = strcmp(target->maintainers[i], c->who) == 0;
    if (!c->shared && latest_by && strcmp(latest_by, c->who) == 0) {
        c->shared = 1;
        c->how = "published the latest version of";
    } else if (c->shared) {
        c->how = "maintains";
    }
}

int pg_rule_typosquat_sponsor(const struct pg_typo *idx, enum pg_eco eco, const char *name)
{
    return idx && name && pg_typo_popularity(idx, eco, name) >= PG_TYPOSQUAT_SPONSOR_DOWNLOADS;
}

/* The sponsor that counts (see the header), or NULL. */
static const char *counted_sponsor(const struct pg_typo *idx, const struct pg_req *req,
                                   const char *sponsor, const struct standing *st, time_t now)
{
    if (!sponsor || st->first < 0 || (int64_t)now - st->first < PG_TYPOSQUAT_SPONSOR_AGE ||
        !pg_rule_typosquat_sponsor(idx, req->eco, sponsor))
        return NULL;
    return sponsor;
}

static char *evidence_json(const struct pg_typo_match *m, const struct standing *st,
                           const struct companion *c, const char *sponsor)
{
    json_t *o = json_pack("{s:s, s:s, s:f}", "target", m->target, "kind",
                          pg_typo_kind_name(m->kind), "score", m->score);
    char *text;

    if (!o)
        return NULL;
    if (st->basis) {
        json_object_set_new(o, "established", json_boolean(st->established));
        json_object_set_new(o, "established_by", json_string(st->basis));
    }
    if (st->first >= 0) {
        json_object_set_new(o, "first_published", json_integer(st->first));
        json_object_set_new(o, "releases", json_integer((json_int_t)st->releases));
    }
    if (c->checked) {
        json_object_set_new(o, "companion", json_boolean(c->shared));
        json_object_set_new(o, "publisher", json_string(c->who));
    }
    if (sponsor)
        json_object_set_new(o, "sponsor", json_string(sponsor));
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(2));
    json_decref(o);
    return text;
}

/* What the rule matched, with the policy's extra names it may point into. */
struct look {
    struct pg_typo_match m;
    struct pg_purl *purls;
    size_t npurls;
    const char **extra;
};

/* 1 when the rule applies to req and its name imitates a popular one. */
static int look_up(const struct pg_policy *pol, const struct pg_typo *idx,
                   const struct pg_req *req, struct look *lk)
{
    struct pg_typo_opts opts = PG_TYPO_OPTS_INIT;

    memset(lk, 0, sizeof(*lk));
    if (!idx || pg_policy_action(pol, PG_RULE_TYPOSQUAT) == PG_ACT_OFF ||
        req->source != PG_SRC_REGISTRY || !req->name)
        return 0;
    if (pg_policy_listed(pol, PG_RULE_TYPOSQUAT, "ignore", req->eco, req->name, NULL, NULL))
        return 0;
    lk->extra = extra_names(pol, req->eco, &lk->purls, &lk->npurls, &opts.nextra);
    opts.extra = lk->extra;
    opts.popularity_ratio = pg_policy_number(pol, PG_RULE_TYPOSQUAT, "popularity_ratio", 1000.0);
    return pg_typo_check(idx, req->eco, req->name, &opts, &lk->m);
}

static void look_release(struct look *lk)
{
    free_extra(lk->purls, lk->npurls, lk->extra);
}

int pg_rule_typosquat_suspect(const struct pg_policy *pol, const struct pg_typo *idx,
                              const struct pg_req *req)
{
    struct look lk;
    int hit = look_up(pol, idx, req, &lk);

    look_release(&lk);
    return hit;
}

char *pg_rule_typosquat_target(const struct pg_policy *pol, const struct pg_typo *idx,
                               const struct pg_req *req, const struct pg_meta *meta, time_t now)
{
    struct standing st;
    struct look lk;
    char *target = NULL;

    memset(&lk, 0, sizeof(lk));
    if (req->eco == PG_ECO_NPM && pg_policy_action(pol, PG_RULE_TYPOSQUAT) == PG_ACT_BLOCK &&
        meta && meta->exists && look_up(pol, idx, req, &lk)) {
        judge_standing(pol, idx, meta, now, &lk.m, &st);
        if (!st.established)
            target = pg_xstrdup(lk.m.target);
    }
    look_release(&lk);
    return target;
}

/* Why a block became a warning, after what the standing says: a companion,
 * else a sponsor. */
static void say_softened(const struct standing *st, const struct companion *c,
                         const char *sponsor, const char *name, const char *version,
                         const char *target, char *also, size_t cap)
{
    size_t at = strlen(also);

    if (st->established)
        return;
    if (c->shared) {
        char *who = printable(c->who);

        snprintf(also + at, cap - at,
                 "; not blocked, a companion: `%s` published `%s@%s` and %s `%s`", who, name,
                 version, c->how, target);
        free(who);
    } else if (sponsor) {
        char *by = printable(sponsor);

        snprintf(also + at, cap - at,
                 "; not blocked, a dependency that `%s`, itself downloaded over a million times "
                 "a month, declares", by);
        free(by);
    }
}

int pg_rule_typosquat(const struct pg_policy *pol, const struct pg_typo *idx,
                      const struct pg_req *req, const struct pg_meta *meta,
                      const struct pg_meta *target, const char *sponsor, time_t now,
                      struct pg_verdict *v)
{
    enum pg_action act = pg_policy_action(pol, PG_RULE_TYPOSQUAT);
    char how[256], why[256], also[768];
    char *name = NULL, *evidence = NULL;
    struct standing st;
    struct companion c;
    struct look lk;
    int added = 0;

    if (!look_up(pol, idx, req, &lk))
        goto out;
    pg_rule_typosquat_explain(&lk.m, how, sizeof(how));
    why_popular(req->eco, &lk.m, why, sizeof(why));
    name = printable(req->name);
    judge_standing(pol, idx, meta, now, &lk.m, &st);
    judge_companion(meta, v->version, target, &c);
    sponsor = counted_sponsor(idx, req, sponsor, &st, now);
    evidence = evidence_json(&lk.m, &st, &c, sponsor);
    also[0] = '\0';
    if (st.says[0])
        snprintf(also, sizeof(also), "%s%s", st.established ? "; not blocked, established: " : "; ",
                 st.says);
    /* An established package, one its target's own people publish, or one
     * a popular package depends on is named for what it resembles, not
     * blocked. */
    if (act == PG_ACT_BLOCK)
        say_softened(&st, &c, sponsor, name, v->version, lk.m.target, also, sizeof(also));
    if ((st.established || c.shared || sponsor) && act == PG_ACT_BLOCK)
        act = PG_ACT_WARN;
    pg_verdict_add(v, PG_RULE_TYPOSQUAT, act, evidence, "did you mean `%s`? (`%s` %s; %s%s)",
                   lk.m.target, name, how, why, also);
    added = 1;
out:
    free(name);
    free(evidence);
    look_release(&lk);
    return added;
}
