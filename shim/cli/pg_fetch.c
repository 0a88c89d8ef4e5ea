#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "pg_fetch.h"
#include "pg_http.h"
#include "pg_npmsig.h"
#include "pg_regconf.h"
#include "pg_registry.h"
#include "pg_rules_trust.h"
#include "pg_typo.h"
#include "pg_util.h"
#include "banned.h"

#define DAY (24 * 3600)

extern char **environ;

/* One npm registry's signing keys. */
struct keyring {
    char *registry;
    size_t pending;          /* index of its keys request, SIZE_MAX: none */
    struct pg_npmkeys *keys; /* NULL: publishes none, or error */
    char *error;
};

/* pip asks every index it is given; at most this many are checked. */
#define MAX_INDEXES 8

/* The queries that answer for one request: one per index. */
struct reqmap {
    size_t n;
    size_t q[MAX_INDEXES];
};

struct pg_fetch {
    struct pg_registry_query *q;
    size_t nq;
    struct pg_meta **merged; /* per request, when several indexes answered */
    struct keyring *rings;
    size_t nrings;
    char **suggest; /* per request */
    size_t nreq;
    struct pg_regconf *conf;
    struct pg_strlist insecure; /* registries asked over plain http, off loopback */
};

static char *cache_dir(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");

    if (xdg && *xdg == '/')
        return pg_xasprintf("%s/pkggate/http", xdg);
    if (home && *home)
        return pg_xasprintf("%s/.cache/pkggate/http", home);
    return NULL;
}

static const char *env_get(const char *name)
{
    return getenv(name);
}

/* The tool's registry configuration, read as the tool itself reads it. */
static struct pg_regconf *regconf(const struct pg_cmd *cmd, const struct pg_fetch_opts *fo)
{
    struct pg_regconf_opts o = {0};
    char cwd[PATH_MAX];

    o.cwd = getcwd(cwd, sizeof(cwd)) ? cwd : NULL; /* NULL: every package undecidable */
    o.getenv_fn = env_get;
    o.environ = (const char *const *)environ;
    o.tool_path = fo->tool_path;
    return pg_regconf_load(cmd, &o);
}

static int same(const char *a, const char *b)
{
    return a == b || pg_streq(a, b);
}

/*
 * Same package from the same index: ask once. PyPI also by spec and pin,
 * since the publisher stage looks at the version each would install.
 */
static size_t query_for(struct pg_fetch *f, const struct pg_req *r, const char *index,
                        const char *auth, int pre)
{
    for (size_t i = 0; i < f->nq; i++)
        if (f->q[i].eco == r->eco && strcmp(f->q[i].name, r->name) == 0 &&
            strcmp(f->q[i].index, index) == 0 &&
            (r->eco == PG_ECO_NPM ||
             (same(f->q[i].spec, r->spec) && same(f->q[i].locked, r->locked))))
            return i;
    f->q = pg_xrealloc(f->q, (f->nq + 1) * sizeof(*f->q));
    memset(&f->q[f->nq], 0, sizeof(*f->q));
    f->q[f->nq].eco = r->eco;
    f->q[f->nq].name = r->name;
    f->q[f->nq].index = index;
    f->q[f->nq].auth = auth;
    f->q[f->nq].spec = r->spec;
    f->q[f->nq].locked = r->locked;
    f->q[f->nq].pre = pre;
    return f->nq++;
}

static void fail_all(struct pg_fetch *f, const char *msg)
{
    for (size_t i = 0; i < f->nq; i++)
        if (!f->q[i].meta && !f->q[i].error)
            f->q[i].error = pg_xstrdup(msg);
}

static void add_ring(struct pg_fetch *f, const char *registry)
{
    for (size_t i = 0; i < f->nrings; i++)
        if (strcmp(f->rings[i].registry, registry) == 0)
            return;
    f->rings = pg_xrealloc(f->rings, (f->nrings + 1) * sizeof(*f->rings));
    memset(&f->rings[f->nrings], 0, sizeof(*f->rings));
    f->rings[f->nrings++].registry = pg_xstrdup(registry);
}

static void take_keys(struct keyring *ring, const struct pg_http_req *r)
{
    struct pg_err err = PG_ERR_INIT;

    if (r->failed)
        ring->error = pg_xasprintf("cannot fetch the registry's signing keys: %s", r->err.msg);
    else if (r->status == 404 || r->status == 410)
        return; /* publishes no keys: the signature rule does not apply */
    else if (pg_npmkeys_parse(&ring->keys, r->body, r->len, &err) < 0)
        ring->error = pg_xasprintf("the registry's signing keys are unreadable: %s", err.msg);
}

/*
 * A registry without keys answers 404, which the HTTP cache does not keep;
 * a marker file remembers it for a day so warm runs ask nothing.
 */
static char *nokeys_marker(const char *cache, const char *registry)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];

    if (!cache)
        return NULL;
    crypto_hash_sha256(h, (const unsigned char *)registry, strlen(registry));
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    return pg_xasprintf("%s/nokeys-%.32s", cache, hex);
}

static int nokeys_fresh(const char *marker)
{
    struct stat st;
    time_t now = time(NULL);

    return marker && stat(marker, &st) == 0 && st.st_mtime <= now && now - st.st_mtime < DAY;
}

static void nokeys_remember(const char *marker)
{
    int fd = marker ? open(marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;

    if (fd >= 0)
        close(fd);
}

/* The keys requests ride in the packuments' first round; one per day. */
static size_t keys_requests(struct pg_fetch *f, const char *cache, struct pg_http_req **out)
{
    struct pg_http_req *reqs = pg_xcalloc(f->nrings ? f->nrings : 1, sizeof(*reqs));
    size_t n = 0;

    for (size_t i = 0; i < f->nrings; i++) {
        char *marker = nokeys_marker(cache, f->rings[i].registry);

        if (!nokeys_fresh(marker)) {
            reqs[n].url = pg_npmsig_keys_url(f->rings[i].registry);
            reqs[n].accept = "application/json";
            reqs[n].auth = pg_regconf_auth_for(f->conf, PG_ECO_NPM, reqs[n].url, NULL);
            reqs[n].max_age_s = DAY;
            reqs[n].allow_http = 1; /* the registry's own origin, as configured */
            f->rings[i].pending = n++;
        } else {
            f->rings[i].pending = SIZE_MAX;
        }
        free(marker);
    }
    *out = reqs;
    return n;
}

static void keys_answers(struct pg_fetch *f, const char *cache, struct pg_http_req *reqs)
{
    for (size_t i = 0; i < f->nrings; i++) {
        struct pg_http_req *r;

        if (f->rings[i].pending == SIZE_MAX)
            continue;
        r = &reqs[f->rings[i].pending];
        take_keys(&f->rings[i], r);
        if (!r->failed && (r->status == 404 || r->status == 410)) {
            char *marker = nokeys_marker(cache, f->rings[i].registry);

            nokeys_remember(marker);
            free(marker);
        }
        pg_http_req_release(r);
        free((char *)r->url);
    }
}

/* A spinner on stderr, only once a check has taken longer than 300 ms. */
struct spinner {
    struct timespec start;
    size_t packages;
    unsigned frame;
    int shown;
};

static void spin(void *arg)
{
    static const char frames[] = "|/-\\";
    struct spinner *sp = arg;
    struct timespec now;
    long ms;

    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (now.tv_sec - sp->start.tv_sec) * 1000 + (now.tv_nsec - sp->start.tv_nsec) / 1000000;
    if (ms < 300)
        return;
    fprintf(stderr, "\rpkggate: asking the registry about %zu package%s %c", sp->packages,
            sp->packages == 1 ? "" : "s", frames[sp->frame++ % 4]);
    fflush(stderr);
    sp->shown = 1;
}

static void fetch(struct pg_fetch *f, const struct pg_policy *pol, int offline, int spinner,
                  int revalidate)
{
    struct spinner sp = {.packages = f->nq};
    struct pg_http_opts o = {0};
    struct pg_err err = PG_ERR_INIT;
    struct pg_http_req *keys = NULL;
    struct pg_policy_needs needs;
    size_t nkeys = 0;
    struct pg_http *h;
    char *dir = cache_dir();

    o.cache_dir = dir;
    o.timeout_ms = (long)pg_policy_timeout(pol) * 1000;
    /* timeout is per request: the deadline bounds this run's requests together. */
    o.deadline_ms = (long)pg_policy_deadline(pol) * 1000;
    o.offline = offline;
    /* A cached answer may predate a release published a minute ago, the
     * one the tool would now install: before an install, revalidate. */
    o.max_age_s = revalidate ? -1 : 0;
    if (spinner) {
        clock_gettime(CLOCK_MONOTONIC, &sp.start);
        o.progress = spin;
        o.progress_arg = &sp;
    }
    /* One command, one ecosystem: its tool's CA bundle. */
    o.cafile = pg_regconf_cafile(f->conf, f->q[0].eco);
    h = pg_http_new(&o, &err);
    if (!h) {
        fail_all(f, err.msg);
        free(dir);
        return;
    }
    pg_policy_needs(pol, time(NULL), &needs);
    if (f->nrings && needs.signatures)
        nkeys = keys_requests(f, dir, &keys);
    for (size_t i = 0; i < f->nq; i++)
        f->q[i].publishers = needs.publishers;
    pg_registry_fetch(h, f->q, f->nq, needs.settled_before, keys, nkeys);
    if (keys)
        keys_answers(f, dir, keys);
    if (sp.shown)
        fputs("\r\033[K", stderr);
    pg_http_free(h);
    free(keys);
    free(dir);
}

static const struct keyring *ring_of(const struct pg_fetch *f, const char *registry)
{
    for (size_t i = 0; i < f->nrings; i++)
        if (strcmp(f->rings[i].registry, registry) == 0)
            return &f->rings[i];
    return NULL;
}

static char *suggestions(enum pg_eco eco, const char *name)
{
    const char *near[3];
    size_t n = pg_typo_suggest(pg_typo_builtin(), eco, name, near, PG_ARRAY_SIZE(near));
    struct pg_sb sb = PG_SB_INIT;

    for (size_t i = 0; i < n; i++)
        pg_sb_addf(&sb, "%s`%s`", i ? ", " : "", near[i]);
    return pg_sb_detach(&sb);
}

/*
 * A registry the tool is configured to reach over plain http, off
 * loopback: 1 when the policy refuses it (fact->insecure names it), else
 * it is asked and remembered for the once-a-day warning.
 */
static int insecure(struct pg_fetch *f, const struct pg_policy *pol, const char *index,
                    struct pg_facts *fact)
{
    struct pg_err err = PG_ERR_INIT;
    int plain = 0;

    if (pg_http_url_check_plain(index, 1, NULL, &plain, &err) < 0 || !plain)
        return 0;
    if (pg_policy_insecure_registries(pol) == PG_ACT_BLOCK) {
        fact->insecure = index;
        return 1;
    }
    if (!pg_strlist_has(&f->insecure, index))
        pg_strlist_push(&f->insecure, index);
    return 0;
}

/* Queue a query on every index the tool would look in for r. */
static void plan(struct pg_fetch *f, const struct pg_policy *pol, const struct pg_req *r,
                 int pre, struct reqmap *map, struct pg_facts *fact)
{
    size_t n;

    /* Denied whatever its version: the registry has nothing to add. */
    if (r->source != PG_SRC_REGISTRY || !r->name ||
        pg_policy_denied(pol, r->eco, r->name, r->locked, NULL))
        return;
    fact->error = pg_regconf_error(f->conf, r->eco);
    if (fact->error)
        return; /* the configuration could not be read */
    /* pip --no-index gives no index: nothing is asked, name rules only. */
    n = pg_regconf_nindexes(f->conf, r->eco);
    for (size_t k = 0; k < n && k < MAX_INDEXES; k++) {
        const char *auth = NULL;
        const char *index = pg_regconf_index_at(f->conf, r->eco, r->name, k, &auth);

        if (!index)
            break;
        if (insecure(f, pol, index, fact)) {
            map->n = 0; /* refused: nothing is asked for this package */
            return;
        }
        map->q[map->n++] = query_for(f, r, index, auth, pre);
        if (r->eco == PG_ECO_NPM)
            add_ring(f, index);
    }
}

/*
 * Several indexes: any failure leaves the package undecidable (pip would
 * have looked there too); else one merged view (pg_meta_merge).
 */
static void answer(struct pg_fetch *f, size_t i, const struct reqmap *map,
                   struct pg_facts *fact)
{
    const struct pg_meta *parts[MAX_INDEXES];
    const struct pg_registry_query *q = &f->q[map->q[0]];

    fact->meta = q->meta;
    fact->error = q->error;
    if (q->eco == PG_ECO_NPM && ring_of(f, q->index)) {
        fact->keys = ring_of(f, q->index)->keys;
        fact->keys_error = ring_of(f, q->index)->error;
    }
    if (map->n < 2)
        return;
    for (size_t k = 0; k < map->n; k++) {
        q = &f->q[map->q[k]];
        if (q->error) {
            fact->meta = NULL;
            fact->error = q->error;
            return;
        }
        parts[k] = q->meta;
    }
    f->merged[i] = pg_meta_merge(parts, map->n);
    fact->meta = f->merged[i];
}

struct pg_fetch *pg_fetch_run(const struct pg_policy *pol, const struct pg_cmd *cmd,
                              const struct pg_reqlist *reqs, const struct pg_fetch_opts *fo,
                              struct pg_facts *facts)
{
    struct pg_fetch *f = pg_xcalloc(1, sizeof(*f));
    size_t slots = reqs->n ? reqs->n : 1;
    struct reqmap *map = pg_xcalloc(slots, sizeof(*map));

    f->conf = regconf(cmd, fo);
    f->nreq = reqs->n;
    f->suggest = pg_xcalloc(slots, sizeof(*f->suggest));
    f->merged = pg_xcalloc(slots, sizeof(*f->merged));
    for (size_t i = 0; i < reqs->n; i++) {
        memset(&facts[i], 0, sizeof(facts[i]));
        plan(f, pol, &reqs->v[i], cmd && cmd->pre, &map[i], &facts[i]);
    }
    if (f->nq)
        fetch(f, pol, fo->offline, fo->spinner, fo->revalidate);
    for (size_t i = 0; i < reqs->n; i++) {
        if (map[i].n == 0)
            continue;
        answer(f, i, &map[i], &facts[i]);
        if (facts[i].meta && !facts[i].meta->exists) {
            f->suggest[i] = suggestions(reqs->v[i].eco, reqs->v[i].name);
            facts[i].suggest = f->suggest[i];
        }
    }
    free(map);
    return f;
}

void pg_fetch_free(struct pg_fetch *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nq; i++)
        pg_registry_query_release(&f->q[i]);
    for (size_t i = 0; i < f->nreq; i++) {
        free(f->suggest[i]);
        pg_meta_free(f->merged[i]);
    }
    free(f->merged);
    for (size_t i = 0; i < f->nrings; i++) {
        free(f->rings[i].registry);
        pg_npmkeys_free(f->rings[i].keys);
        free(f->rings[i].error);
    }
    free(f->rings);
    free(f->q);
    free(f->suggest);
    pg_strlist_release(&f->insecure);
    pg_regconf_free(f->conf);
    free(f);
}

void pg_fetch_notes(const struct pg_fetch *f, const struct pg_decide_ctx *ctx,
                    struct pg_sb *out)
{
    for (size_t i = 0; f && i < f->insecure.n; i++) {
        char *shown = pg_http_redact(f->insecure.v[i]);

        pg_sb_addf(out, "pkggate: warning: %s is plain http: its answers, and what pkggate "
                        "judges by them, can be forged on the way (\"insecure_registries\": "
                        "\"block\" refuses it)\n", shown);
        free(shown);
    }
    for (size_t i = 0; f && i < f->nrings; i++) {
        char *shown, *note;

        if (f->rings[i].keys || f->rings[i].error)
            continue;
        shown = pg_http_redact(f->rings[i].registry);
        note = pg_rules_trust_no_keys_note(ctx, shown);
        if (note)
            pg_sb_addf(out, "pkggate: note: %s\n", note);
        free(note);
        free(shown);
    }
}
