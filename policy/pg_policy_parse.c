/*
 * Reading one policy layer: parse with jansson, check every key against
 * the schema, merge the values into the policy's slots, enforce the locks
 * earlier layers left, then record this layer's own locks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_duration.h"
#include "pg_lctx.h"
#include "pg_policy_entry.h"
#include "pg_policy_parse.h"
#include "pg_util.h"
#include "banned.h"

/* The value as a person wrote it, for lock messages: strings unquoted. */
static char *show_value(const json_t *v)
{
    char *dump, *copy;

    if (json_is_string(v))
        return pg_xstrdup(json_string_value(v));
    dump = json_dumps(v, JSON_ENCODE_ANY);
    copy = pg_xstrdup(dump ? dump : "?");
    free(dump);
    return copy;
}

/* Is (i, x) at least as strict as what slot s holds now? */
static int tightens(const struct pg_slot *s, int64_t i, double x)
{
    if (s->def->tight == PG_TIGHT_DOWN)
        return s->def->kind == PG_K_RATIO ? x <= s->x : i <= s->i;
    return s->def->kind == PG_K_RATIO ? x >= s->x : i >= s->i;
}

/*
 * Record that the layer being read sets s looser than the layers below
 * (v: the value or the list entry). Returns 1 when the value is to be
 * ignored: the layer is not trusted.
 */
static int loosening(struct pg_lctx *c, struct pg_slot *s, const json_t *v)
{
    struct pg_policy *pol = c->pol;
    struct pg_loose *l;
    char *dump;

    if (c->trust == PG_LAYER_OWN)
        return 0;
    dump = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    pg_xgrow((void **)&pol->loose, &pol->aloose, pol->nloose + 1, sizeof(*pol->loose));
    l = &pol->loose[pol->nloose++];
    l->slot = (size_t)(s - pol->slots);
    l->layer = c->name;
    l->value = pg_xstrdup(dump ? dump : "?");
    l->applied = c->trust == PG_LAYER_TRUSTED;
    free(dump);
    return !l->applied;
}

static int lock_check(struct pg_lctx *c, struct pg_slot *s, json_t *v, int64_t i, double x)
{
    char *was, *now;

    if (!s->locked_by || !s->set || tightens(s, i, x))
        return 0;
    was = show_value(s->raw);
    now = show_value(v);
    pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s' is locked by %s and may only be tightened (%s -> %s)",
                 s->path, s->locked_by, was, now);
    free(was);
    free(now);
    return -1;
}

static int read_enum(struct pg_lctx *c, const struct pg_slot *s, json_t *v, int64_t *i)
{
    size_t n = 0;
    const char *cands[3], *str = json_string_value(v), *hint;
    char list[64];

    if (str && pg_policy_enum_parse(s->def->kind, str, i) == 0)
        return 0;
    snprintf(list, sizeof(list), "%s", pg_policy_enum_choices(s->def->kind));
    if (!str)
        return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s' must be a string: one of %s", s->path, list);
    for (int64_t k = 0; k <= PG_ACT_BLOCK && n < PG_ARRAY_SIZE(cands); k++)
        if (strcmp(pg_policy_enum_name(s->def->kind, k), "?") != 0)
            cands[n++] = pg_policy_enum_name(s->def->kind, k);
    hint = pg_policy_suggest(str, cands, n);
    return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s' must be one of %s, not '%.100s'%s%s%s", s->path,
                        list, str, hint ? " (did you mean '" : "", hint ? hint : "",
                        hint ? "'?)" : "");
}

static int read_duration(struct pg_lctx *c, const struct pg_slot *s, json_t *v, int64_t *i)
{
    struct pg_err e = PG_ERR_INIT;

    if (json_is_integer(v)) {
        if (json_integer_value(v) < 0 || json_integer_value(v) > PG_DURATION_MAX)
            return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s' must be between 0 and 100 years",
                                s->path);
        *i = json_integer_value(v);
        return 0;
    }
    if (!json_is_string(v))
        return pg_lctx_fail(c, PG_JSONPOS_VALUE,
                            "'%s' must be a duration such as \"48h\", \"7d\" or \"P7D\"", s->path);
    if (pg_duration_parse(json_string_value(v), i, &e) < 0)
        return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s': %s", s->path, e.msg);
    return 0;
}

static int read_scalar(struct pg_lctx *c, const struct pg_slot *s, json_t *v, int64_t *i, double *x)
{
    switch (s->def->kind) {
    case PG_K_AGE:
    case PG_K_TIMEOUT:
        return read_duration(c, s, v, i);
    case PG_K_BOOL:
        if (!json_is_boolean(v))
            return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s' must be true or false", s->path);
        *i = json_is_true(v);
        return 0;
    case PG_K_RATIO:
        *x = json_number_value(v);
        if (!json_is_number(v) || !(*x > 0) || !isfinite(*x))
            return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s' must be a number above 0", s->path);
        return 0;
    default:
        return read_enum(c, s, v, i);
    }
}

/* Lists concatenate across layers: append the items of the array v. */
static int set_list(struct pg_lctx *c, struct pg_slot *s, json_t *v)
{
    size_t idx;
    json_t *item;

    if (!json_is_array(v))
        return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s' must be a list [...]", s->path);
    /* Entries there loosen the policy, so a locked list takes no more. */
    if (s->locked_by && s->def->tight == PG_TIGHT_SHRINKS && json_array_size(v) > 0)
        return pg_lctx_fail(c, PG_JSONPOS_VALUE,
                            "'%s' is locked by %s and may only be tightened (no entries may "
                            "be added)",
                            s->path, s->locked_by);
    json_array_foreach(v, idx, item)
    {
        struct pg_entry e;
        int rc;

        memset(&e, 0, sizeof(e));
        pg_lctx_push_index(c, idx);
        rc = pg_policy_entry_read(c, s->def->kind, &e, item);
        pg_lctx_pop(c);
        if (rc < 0) {
            pg_policy_entry_release(&e);
            return -1;
        }
        if (s->def->tight == PG_TIGHT_SHRINKS && c->trust != PG_LAYER_OWN) {
            /* Read and checked all the same: a broken entry is an error either way. */
            if (loosening(c, s, item)) {
                pg_policy_entry_release(&e);
                continue;
            }
            e.loosens = 1;
        }
        pg_xgrow((void **)&s->items, &s->alloc, s->n + 1, sizeof(*s->items));
        s->items[s->n++] = e;
    }
    s->layer = c->name;
    s->set = 1;
    return 0;
}

/* Merge one value into its slot; c's path points at the value. */
static int set_value(struct pg_lctx *c, struct pg_slot *s, json_t *v)
{
    int64_t i = 0;
    double x = 0;

    if (pg_policy_kind_is_list(s->def->kind))
        return set_list(c, s, v);
    int loose;

    if (read_scalar(c, s, v, &i, &x) < 0 || lock_check(c, s, v, i, x) < 0)
        return -1;
    loose = s->set && !tightens(s, i, x) && c->trust != PG_LAYER_OWN;
    if (loose && loosening(c, s, v))
        return 0;
    s->loosens = loose;
    json_decref(s->raw);
    s->raw = json_incref(v);
    s->i = i;
    s->x = x;
    s->layer = c->name;
    s->set = 1;
    return 0;
}

/* Key names of a rule, for suggestions. */
static size_t rule_key_names(int r, const char **out, size_t max)
{
    size_t n = 0;

    for (size_t k = 0; k < pg_policy_rules[r].nkeys && n < max; k++)
        out[n++] = pg_policy_rules[r].keys[k].name;
    return n;
}

static int walk_rule(struct pg_lctx *c, int r, json_t *obj)
{
    const char *key, *cands[8];
    json_t *v;

    if (!json_is_object(obj))
        return pg_lctx_fail(c, PG_JSONPOS_VALUE,
                            "'rules.%s' must be an object such as {\"action\": \"block\"}",
                            pg_rule_name((enum pg_rule)r));
    json_object_foreach(obj, key, v)
    {
        struct pg_slot *s;
        int rc;

        if (pg_policy_is_comment(key))
            continue;
        pg_lctx_push_key(c, key);
        s = pg_policy_slot(c->pol, r, key);
        if (s)
            rc = set_value(c, s, v);
        else
            rc = pg_lctx_unknown(c, "key", key, cands,
                                 rule_key_names(r, cands, PG_ARRAY_SIZE(cands)));
        pg_lctx_pop(c);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int walk_rules(struct pg_lctx *c, json_t *obj)
{
    const char *key, *cands[32];
    size_t n = 0;
    json_t *v;

    if (!json_is_object(obj))
        return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'rules' must be an object");
    for (size_t r = 0; r < PG_RULE_NCONF && n < PG_ARRAY_SIZE(cands); r++)
        cands[n++] = pg_rule_name((enum pg_rule)r);
    json_object_foreach(obj, key, v)
    {
        int r, rc;

        if (pg_policy_is_comment(key))
            continue;
        pg_lctx_push_key(c, key);
        r = pg_rule_lookup(key, 1);
        rc = r < 0 ? pg_lctx_unknown(c, "rule", key, cands, n) : walk_rule(c, r, v);
        pg_lctx_pop(c);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Everything "locked" may name: each slot path, "rules", "rules.<rule>". */
static char **lock_names(const struct pg_policy *pol, size_t *n)
{
    char **v = pg_xcalloc(pol->nslots + PG_RULE_NCONF + 1, sizeof(*v));

    *n = 0;
    for (size_t i = 0; i < pol->nslots; i++)
        v[(*n)++] = pg_xstrdup(pol->slots[i].path);
    v[(*n)++] = pg_xstrdup("rules");
    for (size_t r = 0; r < PG_RULE_NCONF; r++)
        v[(*n)++] = pg_xasprintf("rules.%s", pg_rule_name((enum pg_rule)r));
    return v;
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Check "locked" now; its locks take effect once the layer is merged. */
static int check_locks(struct pg_lctx *c, json_t *arr)
{
    size_t n, idx;
    char **names = NULL;
    json_t *v;
    int rc = 0;

    if (!json_is_array(arr))
        return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'locked' must be a list of key names");
    names = lock_names(c->pol, &n);
    json_array_foreach(arr, idx, v)
    {
        const char *s = json_string_value(v);
        size_t k;

        pg_lctx_push_index(c, idx);
        for (k = 0; s && k < n && strcmp(names[k], s) != 0; k++)
            ;
        if (!s)
            rc = pg_lctx_fail(c, PG_JSONPOS_VALUE, "'locked' entries must be strings");
        else if (k == n)
            rc = pg_lctx_unknown(c, "key", s, (const char *const *)names, n);
        pg_lctx_pop(c);
        if (rc < 0)
            break;
    }
    free_names(names, n);
    return rc;
}

static void apply_locks(struct pg_policy *pol, const char *layer, json_t *arr)
{
    size_t idx;
    json_t *v;

    json_array_foreach(arr, idx, v)
    {
        const char *name = json_string_value(v);
        size_t len = strlen(name);

        for (size_t i = 0; i < pol->nslots; i++) {
            struct pg_slot *s = &pol->slots[i];

            if (s->locked_by)
                continue;
            if (strcmp(s->path, name) == 0 ||
                (strncmp(s->path, name, len) == 0 && s->path[len] == '.'))
                s->locked_by = layer;
        }
    }
}

/*
 * The trust root decides what pkggate calls "verified": only the
 * organisation's layer names one (a private sigstore), never a user,
 * project or $PKGGATE_POLICY file, trusted or not.
 */
static int set_root(struct pg_lctx *c, json_t *v)
{
    struct pg_policy *pol = c->pol;

    if (!pol->reading_org)
        return pg_lctx_fail(c, PG_JSONPOS_KEY,
                            "'sigstore_root' may only be set by the organisation's policy "
                            "(%s): a trust root decides what pkggate calls verified",
                            PG_POLICY_SYSTEM_FILE);
    if (!(json_is_string(v) && json_string_value(v)[0] == '/') && !json_is_object(v))
        return pg_lctx_fail(c, PG_JSONPOS_VALUE,
                            "'sigstore_root' must be an absolute path to a trusted_root.json "
                            "or the trusted root itself, {...}");
    free(pol->sigstore_root);
    pol->sigstore_root_inline = json_is_object(v);
    pol->sigstore_root = pol->sigstore_root_inline ? json_dumps(v, JSON_COMPACT)
                                                   : pg_xstrdup(json_string_value(v));
    return 0;
}

static int walk_top(struct pg_lctx *c, json_t *root, json_t **locked)
{
    const char *key, *cands[16];
    size_t n = 0;
    json_t *v;

    for (size_t k = 0; k < pg_policy_ntop; k++)
        cands[n++] = pg_policy_top_keys[k].name;
    cands[n++] = "rules";
    cands[n++] = "locked";
    cands[n++] = "sigstore_root";
    json_object_foreach(root, key, v)
    {
        struct pg_slot *s = NULL;
        int rc;

        if (pg_policy_is_comment(key))
            continue;
        pg_lctx_push_key(c, key);
        if (strcmp(key, "rules") == 0) {
            rc = walk_rules(c, v);
        } else if (strcmp(key, "sigstore_root") == 0) {
            rc = set_root(c, v);
        } else if (strcmp(key, "locked") == 0) {
            rc = check_locks(c, v);
            *locked = v;
        } else {
            s = pg_policy_slot(c->pol, PG_POLICY_TOP, key);
            rc = s ? set_value(c, s, v) : pg_lctx_unknown(c, "key", key, cands, n);
        }
        pg_lctx_pop(c);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int pg_policy_apply(struct pg_policy *pol, const char *name, const char *text, size_t len,
                    int trust, struct pg_err *err)
{
    struct pg_lctx c = {pol, name, text, len, {{NULL, 0}}, 0, err, trust};
    json_t *root = NULL, *locked = NULL;
    json_error_t je;
    int rc = -1;

    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        pg_err_set(err, "%s:%d:%d: %s", name, je.line > 0 ? je.line : 1,
                   je.column > 0 ? je.column : 1, je.text);
        goto out;
    }
    if (!json_is_object(root)) {
        pg_lctx_fail(&c, PG_JSONPOS_VALUE, "a policy is a JSON object, {...}");
        goto out;
    }
    if (walk_top(&c, root, &locked) < 0)
        goto out;
    if (locked)
        apply_locks(pol, name, locked);
    rc = 0;
out:
    json_decref(root);
    return rc;
}
