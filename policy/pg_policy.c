/*
 * The policy's public face: finding and loading the layers, the getters,
 * and list matching. Parsing lives in pg_policy_parse.c (which reads list
 * entries with pg_policy_entry.c), the org layer in pg_policy_org.c,
 * output in pg_policy_show.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg_policy_entry.h"
#include "pg_policy_org.h"
#include "pg_policy_parse.h"
#include "pg_policy_schema.h"
#include "pg_policy_trust.h"
#include "pg_util.h"
#include "banned.h"

void pg_policy_free(struct pg_policy *pol)
{
    if (!pol)
        return;
    for (size_t i = 0; i < pol->nslots; i++) {
        struct pg_slot *s = &pol->slots[i];

        for (size_t k = 0; k < s->n; k++)
            pg_policy_entry_release(&s->items[k]);
        free(s->items);
        free(s->strs);
        free(s->path);
        json_decref(s->raw);
    }
    free(pol->slots);
    for (size_t i = 0; i < pol->nloose; i++)
        free(pol->loose[i].value);
    free(pol->loose);
    for (size_t i = 0; i < pol->nguards; i++)
        free(pol->guards[i].canon);
    for (size_t i = 0; i < pol->nlayers; i++)
        free(pol->layers[i]);
    free(pol->layers);
    pg_policy_org_free(pol->org);
    free(pol->sigstore_root);
    free(pol);
}

/* "$DIR/rest" into buf at *used when DIR is absolute; NULL if unset, relative or too long. */
static const char *compose(char *buf, size_t bufsz, size_t *used, int *truncated, const char *dir,
                           const char *rest)
{
    int w;

    if (!dir || dir[0] != '/' || *truncated)
        return NULL;
    w = snprintf(buf + *used, bufsz - *used, "%s%s", dir, rest);
    if (w < 0 || (size_t)w >= bufsz - *used) {
        *truncated = 1;
        return NULL;
    }
    buf += *used;
    *used += (size_t)w + 1;
    return buf;
}

/* state_dir and cache_dir, after the user file and cwd in buf. */
static void xdg_dirs(struct pg_policy_paths *p, char *buf, size_t bufsz, size_t used,
                     const char *(*get)(const char *))
{
    const char *home = get("HOME"), *state = get("XDG_STATE_HOME"), *cache = get("XDG_CACHE_HOME");

    /* The XDG spec says to ignore relative values, as for XDG_CONFIG_HOME. */
    if (state && state[0] == '/')
        p->state_dir = compose(buf, bufsz, &used, &p->truncated, state, "/pkggate");
    else
        p->state_dir = compose(buf, bufsz, &used, &p->truncated, home, "/.local/state/pkggate");
    if (cache && cache[0] == '/')
        p->cache_dir = compose(buf, bufsz, &used, &p->truncated, cache, "/pkggate/http");
    else
        p->cache_dir = compose(buf, bufsz, &used, &p->truncated, home, "/.cache/pkggate/http");
}

void pg_policy_paths_from_env(struct pg_policy_paths *p, char *buf, size_t bufsz,
                              const char *(*get)(const char *))
{
    const char *xdg = get("XDG_CONFIG_HOME"), *home = get("HOME");
    const char *env = get("PKGGATE_POLICY");
    size_t used = 0;
    int w = -1;

    /* Never from the environment: whoever sets a variable must not move the pin. */
    p->system = PG_POLICY_SYSTEM_FILE;
    p->org = PG_POLICY_ORG_ANCHOR;
    p->state_dir = p->cache_dir = NULL;
    p->offline = 0;
    p->now = 0;
    p->user = NULL;
    p->cwd = NULL;
    p->env = env && *env ? env : NULL;
    p->truncated = 0;
    /* The XDG spec says to ignore a relative XDG_CONFIG_HOME. */
    if (xdg && xdg[0] == '/')
        w = snprintf(buf, bufsz, "%s/pkggate/policy.json", xdg);
    else if (home && home[0] == '/')
        w = snprintf(buf, bufsz, "%s/.config/pkggate/policy.json", home);
    if (w >= 0 && (size_t)w < bufsz) {
        p->user = buf;
        used = (size_t)w + 1;
    } else if (w >= 0) {
        p->truncated = 1;
        return;
    }
    if (used < bufsz && getcwd(buf + used, bufsz - used)) {
        p->cwd = buf + used;
        used += strlen(p->cwd) + 1;
    } else if (used >= bufsz || errno == ERANGE) {
        p->truncated = 1;
        return;
    }
    xdg_dirs(p, buf, bufsz, used, get);
}

static const char *add_layer(struct pg_policy *pol, const char *name)
{
    pg_xgrow((void **)&pol->layers, &pol->alloc, pol->nlayers + 1, sizeof(*pol->layers));
    pol->layers[pol->nlayers] = pg_xstrdup(name);
    return pol->layers[pol->nlayers++];
}

/* Text handed to pg_policy_apply; the layer list grows even on error. */
static int apply_text(struct pg_policy *pol, const char *name, const char *text, size_t len,
                      struct pg_err *err)
{
    return pg_policy_apply(pol, add_layer(pol, name), text, len, PG_LAYER_OWN, err);
}

/*
 * A project or $PKGGATE_POLICY layer: trusted only if the user trusted
 * these very bytes at this path (the hash is of what is applied).
 */
static int apply_guarded(struct pg_policy *pol, const struct pg_policy_paths *paths,
                         const char *path, const char *text, size_t len, struct pg_err *err)
{
    struct pg_guard *g = &pol->guards[pol->nguards++];

    g->layer = add_layer(pol, path);
    g->canon = pg_policy_trust_canon(path);
    g->trusted = pg_policy_trust_known(paths->state_dir, g->canon, text, len);
    return pg_policy_apply(pol, g->layer, text, len,
                           g->trusted ? PG_LAYER_TRUSTED : PG_LAYER_UNTRUSTED, err);
}

/* guarded: paths->state_dir says whether the file is trusted (NULL: own file). */
static int apply_file(struct pg_policy *pol, const char *path, int must_exist, const char *what,
                      const struct pg_policy_paths *guarded, struct pg_err *err)
{
    struct stat st;
    char *text = NULL;
    size_t len = 0;
    int rc;

    if (stat(path, &st) < 0) {
        if ((errno == ENOENT || errno == ENOTDIR) && !must_exist)
            return 0;
        return pg_err_set(err, "%s%s: %s", what, path, strerror(errno));
    }
    if (pg_read_file(path, PG_POLICY_FILE_MAX, &text, &len, err) < 0)
        return -1;
    if (guarded)
        rc = apply_guarded(pol, guarded, path, text, len, err);
    else
        rc = apply_text(pol, path, text, len, err);
    free(text);
    return rc;
}

/*
 * Layer 2: signed and verified when an anchor pins a key (pg_policy_org.c),
 * else the system file as it is.
 */
static int org_layer(struct pg_policy *pol, const struct pg_policy_paths *paths, struct pg_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    if (pg_policy_org_read(paths, &pol->org, &text, &len, err) < 0)
        return -1;
    pol->reading_org = 1;
    if (!pol->org)
        rc = paths->system ? apply_file(pol, paths->system, 0, "", NULL, err) : 0;
    else
        rc = apply_text(pol, pol->org->source, text, len, err);
    pol->reading_org = 0;
    free(text);
    return rc;
}

int pg_policy_project_file(const char *dir, struct pg_sb *found)
{
    struct pg_sb d = PG_SB_INIT;
    int hit = 0;

    if (!dir[0])
        return 0;
    pg_sb_adds(&d, dir);
    for (;;) {
        struct stat st;
        char *slash;

        while (d.len > 1 && d.buf[d.len - 1] == '/')
            d.buf[--d.len] = '\0';
        pg_sb_reset(found);
        pg_sb_addf(found, "%s/.pkggate.json", strcmp(d.buf, "/") == 0 ? "" : d.buf);
        /* Anything but "not there" counts, so an unreadable file is an error. */
        if (stat(found->buf, &st) == 0 || (errno != ENOENT && errno != ENOTDIR)) {
            hit = 1;
            break;
        }
        slash = strrchr(d.buf, '/');
        if (!slash || strcmp(d.buf, "/") == 0)
            break;
        d.len = slash == d.buf ? 1 : (size_t)(slash - d.buf);
        d.buf[d.len] = '\0';
    }
    pg_sb_release(&d);
    return hit;
}

/* Item texts for pg_policy_strings, once no more items can arrive. */
static void finish(struct pg_policy *pol)
{
    for (size_t i = 0; i < pol->nslots; i++) {
        struct pg_slot *s = &pol->slots[i];

        if (!pg_policy_kind_is_list(s->def->kind))
            continue;
        s->strs = pg_xcalloc(s->n + 1, sizeof(*s->strs));
        for (size_t k = 0; k < s->n; k++)
            s->strs[k] = s->items[k].text;
    }
}

static struct pg_policy *start(struct pg_err *err)
{
    struct pg_policy *pol = pg_policy_alloc();
    const char *def = pg_policy_default_json();

    if (apply_text(pol, PG_POLICY_BUILTIN, def, strlen(def), err) < 0) {
        pg_policy_free(pol);
        return NULL;
    }
    return pol;
}

int pg_policy_load_strings(struct pg_policy **out, const char *const *texts,
                           const char *const *names, size_t n, struct pg_err *err)
{
    struct pg_policy *pol = start(err);

    *out = NULL;
    if (!pol)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (apply_text(pol, names[i], texts[i], strlen(texts[i]), err) < 0) {
            pg_policy_free(pol);
            return -1;
        }
    }
    finish(pol);
    *out = pol;
    return 0;
}

int pg_policy_load(struct pg_policy **out, const struct pg_policy_paths *paths, struct pg_err *err)
{
    struct pg_sb project = PG_SB_INIT;
    struct pg_policy *pol = NULL;
    int rc = -1;

    *out = NULL;
    if (paths->truncated) {
        pg_err_set(err, "policy file paths did not fit the buffer they were built in");
        goto out;
    }
    pol = start(err);
    if (!pol)
        goto out;
    if (org_layer(pol, paths, err) < 0)
        goto out;
    if (paths->user && apply_file(pol, paths->user, 0, "", NULL, err) < 0)
        goto out;
    /* Someone else's files: what they loosen waits for the user's trust. */
    if (paths->cwd && pg_policy_project_file(paths->cwd, &project) &&
        apply_file(pol, project.buf, 0, "", paths, err) < 0)
        goto out;
    if (paths->env && apply_file(pol, paths->env, 1, "$PKGGATE_POLICY: ", paths, err) < 0)
        goto out;
    finish(pol);
    /* Only a policy that loaded whole raises the serial on record. */
    pg_policy_orgsig_commit(pol->org, paths);
    *out = pol;
    pol = NULL;
    rc = 0;
out:
    pg_policy_free(pol);
    pg_sb_release(&project);
    return rc;
}

const struct pg_policy_orginfo *pg_policy_org_info(const struct pg_policy *pol)
{
    return pol && pol->org ? &pol->org->info : NULL;
}

const char *const *pg_policy_layers(const struct pg_policy *pol, size_t *n)
{
    *n = pol ? pol->nlayers : 0;
    return pol ? (const char *const *)pol->layers : NULL;
}

static const struct pg_slot *get(const struct pg_policy *pol, int rule, const char *key)
{
    const struct pg_slot *s = pg_policy_slot(pol, rule, key);

    return s && s->set ? s : NULL;
}

/* Without a policy (a caller bug), the strictest answers. */
enum pg_mode pg_policy_mode(const struct pg_policy *pol)
{
    const struct pg_slot *s = get(pol, PG_POLICY_TOP, "mode");

    return s ? (enum pg_mode)s->i : PG_MODE_ENFORCE;
}

enum pg_action pg_policy_undecidable(const struct pg_policy *pol)
{
    const struct pg_slot *s = get(pol, PG_POLICY_TOP, "undecidable");

    return s ? (enum pg_action)s->i : PG_ACT_BLOCK;
}

enum pg_action pg_policy_unknown_arguments(const struct pg_policy *pol)
{
    const struct pg_slot *s = get(pol, PG_POLICY_TOP, "unknown_arguments");

    return s ? (enum pg_action)s->i : PG_ACT_BLOCK;
}

enum pg_action pg_policy_insecure_registries(const struct pg_policy *pol)
{
    const struct pg_slot *s = get(pol, PG_POLICY_TOP, "insecure_registries");

    return s ? (enum pg_action)s->i : PG_ACT_BLOCK;
}

int pg_policy_notes(const struct pg_policy *pol)
{
    const struct pg_slot *s = get(pol, PG_POLICY_TOP, "notes");

    return s && s->i != PG_ACT_OFF;
}

int pg_policy_syslog(const struct pg_policy *pol)
{
    const struct pg_slot *s = get(pol, PG_POLICY_TOP, "syslog");

    return s && s->i != 0;
}

enum pg_action pg_policy_action(const struct pg_policy *pol, enum pg_rule rule)
{
    const struct pg_slot *s;

    if (rule == PG_RULE_DENY)
        return PG_ACT_BLOCK;
    if (rule == PG_RULE_UNDECIDABLE)
        return pg_policy_undecidable(pol);
    if (rule == PG_RULE_INSECURE_REGISTRY)
        return pg_policy_insecure_registries(pol);
    /* Not a rule at all: only a cast can get here, and it fails closed. */
    if (!pg_rule_configurable(rule))
        return PG_ACT_BLOCK;
    s = get(pol, rule, "action");
    return s ? (enum pg_action)s->i : PG_ACT_OFF;
}

int64_t pg_policy_timeout(const struct pg_policy *pol)
{
    const struct pg_slot *s = get(pol, PG_POLICY_TOP, "timeout");

    return s ? s->i : PG_POLICY_TIMEOUT_DEFAULT;
}

int64_t pg_policy_deadline(const struct pg_policy *pol)
{
    const struct pg_slot *s = get(pol, PG_POLICY_TOP, "deadline");

    return s ? s->i : PG_POLICY_DEADLINE_DEFAULT;
}

int64_t pg_policy_revalidate(const struct pg_policy *pol)
{
    const struct pg_slot *s = get(pol, PG_POLICY_TOP, "revalidate");

    return s ? s->i : PG_POLICY_REVALIDATE_DEFAULT;
}

int64_t pg_policy_duration(const struct pg_policy *pol, enum pg_rule rule, const char *key,
                           int64_t def)
{
    const struct pg_slot *s = get(pol, rule, key);

    if (!s || (s->def->kind != PG_K_AGE && s->def->kind != PG_K_TIMEOUT))
        return def;
    return s->i;
}

int pg_policy_bool(const struct pg_policy *pol, enum pg_rule rule, const char *key, int def)
{
    const struct pg_slot *s = get(pol, rule, key);

    return s && s->def->kind == PG_K_BOOL ? (int)s->i : def;
}

double pg_policy_number(const struct pg_policy *pol, enum pg_rule rule, const char *key,
                        double def)
{
    const struct pg_slot *s = get(pol, rule, key);

    return s && s->def->kind == PG_K_RATIO ? s->x : def;
}

static const char *const *strings(const struct pg_slot *s, size_t *n)
{
    *n = 0;
    if (!s || !pg_policy_kind_is_list(s->def->kind) || !s->strs)
        return NULL;
    *n = s->n;
    return s->strs;
}

const char *const *pg_policy_strings(const struct pg_policy *pol, enum pg_rule rule,
                                     const char *key, size_t *n)
{
    return strings(pg_policy_slot(pol, rule, key), n);
}

const char *const *pg_policy_top_strings(const struct pg_policy *pol, const char *key, size_t *n)
{
    return strings(pg_policy_slot(pol, PG_POLICY_TOP, key), n);
}

/* The first live item of a list slot that matches, or NULL. */
static const struct pg_entry *first_match(const struct pg_slot *s, enum pg_eco eco,
                                          const char *name, const char *version, time_t now,
                                          int rule)
{
    for (size_t i = 0; s && name && i < s->n; i++) {
        const struct pg_entry *e = &s->items[i];

        if ((int64_t)now >= e->expires)
            continue;
        if (rule >= 0 && e->rules != PG_POLICY_RULES_ALL && !(e->rules & ((uint32_t)1 << rule)))
            continue;
        if (pg_purl_match(&e->pat, eco, name, version))
            return e;
    }
    return NULL;
}

int pg_policy_denied(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                     const char *version, const char **why)
{
    /* Deny entries never expire (the schema refuses "expires"). */
    const struct pg_entry *e =
        first_match(pg_policy_slot(pol, PG_POLICY_TOP, "deny"), eco, name, version, 0, -1);

    if (e && why)
        *why = e->why;
    return e != NULL;
}

int pg_policy_allowed(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                      const char *version, time_t now, const char **why)
{
    const struct pg_entry *e =
        first_match(pg_policy_slot(pol, PG_POLICY_TOP, "allow"), eco, name, version, now, -1);

    if (e && why)
        *why = e->why;
    return e != NULL;
}

const char *pg_policy_exempt(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                             const char *version, enum pg_rule rule, time_t now)
{
    const struct pg_entry *e;

    /* Reasons that are no rule of their own have a bit no list sets: "*" covers them. */
    if (rule == PG_RULE_DENY || (unsigned)rule >= PG_RULE_N)
        return NULL;
    e = first_match(pg_policy_slot(pol, PG_POLICY_TOP, "exceptions"), eco, name, version, now,
                    (int)rule);
    return e ? e->reason : NULL;
}

int pg_policy_listed(const struct pg_policy *pol, enum pg_rule rule, const char *key,
                     enum pg_eco eco, const char *name, const char *version, const char **which)
{
    const struct pg_slot *s = pg_policy_slot(pol, rule, key);
    const struct pg_entry *e;

    if (!s || (s->def->kind != PG_K_PATTERNS && s->def->kind != PG_K_NAMES))
        return 0;
    e = first_match(s, eco, name, version, 0, -1);
    if (e && which)
        *which = e->text;
    return e != NULL;
}

/* Trust only what loads: a broken file would fail every run anyway. */
static int loads(const char *canon, const char *text, size_t len, struct pg_err *err)
{
    const char *texts[] = {text}, *names[] = {canon};
    struct pg_policy *pol = NULL;

    if (strlen(text) != len)
        return pg_err_set(err, "%s: the file holds a NUL byte", canon);
    if (pg_policy_load_strings(&pol, texts, names, 1, err) < 0)
        return -1;
    pg_policy_free(pol);
    return 0;
}

int pg_policy_trust(const struct pg_policy_paths *paths, const char *file, char **canon,
                    struct pg_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = -1;

    errno = 0;
    *canon = pg_policy_trust_canon(file);
    if (!*canon) {
        pg_err_set(err, "%s: %s", file, errno ? strerror(errno) : "not a path that can be trusted");
        goto out;
    }
    if (pg_read_file(*canon, PG_POLICY_FILE_MAX, &text, &len, err) < 0 ||
        loads(*canon, text, len, err) < 0)
        goto out;
    rc = pg_policy_trust_record(paths->state_dir, *canon, text, len, err);
out:
    free(text);
    return rc;
}

int pg_policy_untrust(const struct pg_policy_paths *paths, const char *file, char **canon,
                      struct pg_err *err)
{
    /* A file already gone is forgotten by the path it was trusted at. */
    errno = 0;
    *canon = pg_policy_trust_canon(file);
    if (!*canon && file[0] == '/' && !strchr(file, '\n'))
        *canon = pg_xstrdup(file);
    if (!*canon)
        return pg_err_set(err, "%s: %s", file, errno ? strerror(errno) : "no such path");
    return pg_policy_trust_forget(paths->state_dir, *canon, err);
}
