/*
 * One entry of a list-valued key: allow, deny, exceptions, and the pattern
 * and name lists inside rules. The contract is in pg_policy_entry.h.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_policy_entry.h"
#include "pg_time.h"
#include "pg_util.h"
#include "banned.h"

/* "2026-12-31" (through the end of that day, UTC) or RFC 3339. */
static int parse_date(const char *s, int64_t *out)
{
    int64_t t;
    int form = pg_time_scan(s, &t);

    if (form < 0)
        return -1;
    /* A bare date lasts through that day (UTC). */
    *out = form == PG_TIME_DATE ? t + 86400 : t;
    return 0;
}

static int read_pattern(struct pg_lctx *c, struct pg_entry *e, json_t *v, int one_name)
{
    struct pg_err perr = PG_ERR_INIT;
    char where[160];
    const char *s = json_string_value(v);

    pg_lctx_where(c, where, sizeof(where));
    if (!s)
        return pg_lctx_fail(c, PG_JSONPOS_VALUE,
                            "'%s' must be a package pattern such as \"pkg:npm/left-pad\"", where);
    if (pg_purl_parse(&e->pat, s, &perr) < 0)
        return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s': %s", where, perr.msg);
    if (one_name && (e->pat.glob || e->pat.range))
        return pg_lctx_fail(c, PG_JSONPOS_VALUE,
                            "'%s': '%.200s' must name one package, without globs or versions",
                            where, s);
    free(e->text);
    e->text = pg_xstrdup(s);
    return 0;
}

static int read_rule_ids(struct pg_lctx *c, struct pg_entry *e, json_t *v)
{
    char where[160];
    const char *cands[32];
    size_t idx, n = 0;
    json_t *id;

    if (json_is_string(v) && strcmp(json_string_value(v), "*") == 0) {
        e->rules = PG_POLICY_RULES_ALL;
        return 0;
    }
    if (!json_is_array(v) || json_array_size(v) == 0)
        return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s' must be \"*\" or a non-empty list of rules",
                            pg_lctx_where(c, where, sizeof(where)));
    for (size_t r = 0; r < PG_RULE_NCONF && n < PG_ARRAY_SIZE(cands); r++)
        cands[n++] = pg_rule_name((enum pg_rule)r);
    json_array_foreach(v, idx, id)
    {
        const char *s = json_string_value(id);
        int r = pg_rule_lookup(s, 1);
        int rc = 0;

        pg_lctx_push_index(c, idx);
        if (s && strcmp(s, "*") == 0)
            e->rules = PG_POLICY_RULES_ALL;
        else if (r >= 0)
            e->rules |= (uint32_t)1 << r;
        else if (!s)
            rc = pg_lctx_fail(c, PG_JSONPOS_VALUE, "rule names are strings");
        else
            rc = pg_lctx_unknown(c, "rule", s, cands, n);
        pg_lctx_pop(c);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int read_member(struct pg_lctx *c, enum pg_kind kind, struct pg_entry *e, const char *key,
                       json_t *v, int *have)
{
    static const char *const keys[] = {"package", "reason", "expires", "rules"};
    char where[160];
    int64_t t;

    pg_lctx_where(c, where, sizeof(where));

    if (strcmp(key, "package") == 0) {
        *have |= 1;
        return read_pattern(c, e, v, 0);
    }
    if (strcmp(key, "reason") == 0) {
        if (!json_is_string(v))
            return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s' must be a string", where);
        free(e->reason);
        e->reason = pg_xstrdup(json_string_value(v));
        *have |= e->reason[0] ? 2 : 0;
        return 0;
    }
    if (strcmp(key, "expires") == 0 && kind == PG_K_DENY)
        return pg_lctx_fail(c, PG_JSONPOS_KEY, "deny entries do not expire; remove 'expires'");
    if (strcmp(key, "expires") == 0) {
        if (!json_is_string(v) || parse_date(json_string_value(v), &t) < 0)
            return pg_lctx_fail(c, PG_JSONPOS_VALUE,
                                "'%s' must be a date such as \"2026-12-31\" or "
                                "\"2026-12-31T18:00:00Z\"",
                                where);
        e->expires = t;
        return 0;
    }
    if (strcmp(key, "rules") == 0 && kind == PG_K_EXCEPTIONS) {
        *have |= 4;
        return read_rule_ids(c, e, v);
    }
    return pg_lctx_unknown(c, "key", key, keys, kind == PG_K_EXCEPTIONS ? 4 : 3);
}

static int read_object(struct pg_lctx *c, enum pg_kind kind, struct pg_entry *e, json_t *v)
{
    char where[160];
    const char *key;
    json_t *m;
    int have = 0;

    json_object_foreach(v, key, m)
    {
        int rc;

        if (pg_policy_is_comment(key))
            continue;
        pg_lctx_push_key(c, key);
        rc = read_member(c, kind, e, key, m, &have);
        pg_lctx_pop(c);
        if (rc < 0)
            return -1;
    }
    pg_lctx_where(c, where, sizeof(where));
    if (!(have & 1))
        return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s' needs a \"package\"", where);
    if (kind == PG_K_EXCEPTIONS && !(have & 4))
        return pg_lctx_fail(c, PG_JSONPOS_VALUE,
                            "'%s' needs \"rules\": the rules it silences, or \"*\"", where);
    if (kind == PG_K_EXCEPTIONS && !(have & 2))
        return pg_lctx_fail(c, PG_JSONPOS_VALUE, "'%s' needs a non-empty \"reason\"", where);
    return 0;
}

static int read_item(struct pg_lctx *c, enum pg_kind kind, struct pg_entry *e, json_t *v)
{
    char where[160];

    e->expires = INT64_MAX;
    if (kind == PG_K_PATTERNS || kind == PG_K_NAMES)
        return read_pattern(c, e, v, kind == PG_K_NAMES);
    if (json_is_string(v) && kind != PG_K_EXCEPTIONS)
        return read_pattern(c, e, v, 0);
    if (json_is_object(v))
        return read_object(c, kind, e, v);
    pg_lctx_where(c, where, sizeof(where));
    if (kind == PG_K_EXCEPTIONS)
        return pg_lctx_fail(c, PG_JSONPOS_VALUE,
                            "'%s' must be an object with \"package\", \"rules\" and \"reason\"",
                            where);
    return pg_lctx_fail(c, PG_JSONPOS_VALUE,
                        "'%s' must be a package pattern or {\"package\": ..., \"reason\": ...}",
                        where);
}

int pg_policy_entry_read(struct pg_lctx *c, enum pg_kind kind, struct pg_entry *e, json_t *item)
{
    if (read_item(c, kind, e, item) < 0)
        return -1;
    e->why = e->reason && e->reason[0] ? pg_xasprintf("%s (%s)", e->text, e->reason)
                                       : pg_xstrdup(e->text);
    e->raw = json_incref(item);
    e->layer = c->name;
    return 0;
}

void pg_policy_entry_release(struct pg_entry *e)
{
    free(e->text);
    pg_purl_release(&e->pat);
    free(e->reason);
    free(e->why);
    json_decref(e->raw);
    memset(e, 0, sizeof(*e));
}
